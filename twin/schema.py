"""The site file: pydantic models at the boundary (schema version 1).

A site file is YAML or JSON. All lengths are metres in local site coordinates (``x`` east, ``y``
north, ``z`` up from the site datum); pressures Pa (absolute); temperatures K; masses kg; times s.
An optional geographic origin ties the local frame to the map. Geometry files are referenced by path
relative to the site file.

Every model forbids unknown fields, so a typo is an error that names the field. Cross-references (a
room's level, an occupancy's room, a detector's position inside the site) are checked after parsing
by :mod:`twin.validation`, which reports the element and its line in the file.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The schema version this code reads and writes.
SCHEMA_VERSION: Final = 1

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
Point2 = tuple[float, float]
Point3 = tuple[float, float, float]
Segment2 = tuple[Point2, Point2]


def _ring(points: list[Point2], name: str) -> list[Point2]:
    if len(points) < 3:
        raise ValueError(f"{name} needs at least 3 points (x, y) in m, got {len(points)}")
    return points


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class GeoOrigin(_Model):
    """Geographic position of the local origin (0, 0); north is +y."""

    latitude_deg: float = Field(ge=-90, le=90)
    longitude_deg: float = Field(ge=-180, le=180)
    elevation_m: float = Field(default=0.0, description="Site datum above mean sea level, m")
    grid_rotation_deg: float = Field(
        default=0.0,
        ge=-180,
        le=180,
        description="Angle from true north to local +y, clockwise, degrees",
    )


class MeshRef(_Model):
    """A 3D mesh file (OBJ, STL, PLY, GLB/glTF) and how it sits in the site frame."""

    file: str = Field(min_length=1, description="Path relative to the site file")
    units: Literal["m", "cm", "mm", "ft", "in"] = "m"
    up_axis: Literal["z", "y"] = "z"
    offset_m: Point3 = (0.0, 0.0, 0.0)
    rotation_deg: float = Field(
        default=0.0, ge=-360, le=360, description="About +z, counter-clockwise"
    )


class PlanRef(_Model):
    """A 2D floor plan file for one level (DXF by layer names, GeoJSON or WKT)."""

    file: str = Field(min_length=1, description="Path relative to the site file")
    units: Literal["m", "cm", "mm", "ft", "in"] | None = Field(
        default=None, description="Drawing units; None: the DXF header's $INSUNITS, else metres"
    )
    offset_m: Point2 = (0.0, 0.0)
    rotation_deg: float = Field(default=0.0, ge=-360, le=360)
    wall_thickness_m: float = Field(
        default=0.2, gt=0, le=2.0, description="Thickness given to walls drawn as centre lines, m"
    )


class LevelSpec(_Model):
    """A storey of a building."""

    id: Id
    elevation_m: float = Field(ge=-100, le=1000, description="Floor level above site datum, m")
    height_m: float = Field(default=3.0, gt=0, le=50, description="Floor-to-floor height, m")
    plan: PlanRef | None = Field(
        default=None, description="2D plan; else the building mesh is sliced"
    )


class RoomSpec(_Model):
    """A room: footprint polygon on a level and its occupancy per shift."""

    id: Id
    level: Id
    name: str = ""
    polygon_m: list[Point2]
    occupancy: dict[Id, int] = Field(
        default_factory=dict, description="People present, by shift id"
    )

    @field_validator("polygon_m")
    @classmethod
    def _polygon(cls, v: list[Point2]) -> list[Point2]:
        return _ring(v, "polygon_m")

    @field_validator("occupancy")
    @classmethod
    def _occupancy(cls, v: dict[str, int]) -> dict[str, int]:
        for shift, n in v.items():
            if n < 0:
                raise ValueError(f"occupancy[{shift!r}] = {n}: people must be >= 0")
        return v


class OpeningSpec(_Model):
    """A door (between spaces of one level) or an exit (from the building to outside)."""

    id: Id
    level: Id
    segment_m: Segment2 = Field(
        description="End points [[x0, y0], [x1, y1]]; its length is the clear width"
    )


class StairSpec(_Model):
    """A stair between two levels."""

    id: Id
    lower_level: Id
    upper_level: Id
    bottom_m: Segment2 = Field(description="Where the stair meets the lower level")
    top_m: Segment2 = Field(description="Where the stair meets the upper level")
    width_m: float = Field(gt=0, le=20)
    length_m: float = Field(gt=0, le=200, description="Horizontal walking length incl. landings, m")


class BuildingSpec(_Model):
    """A building people must leave (or may shelter in)."""

    id: Id
    name: str = ""
    use: Literal[
        "control", "office", "workshop", "gatehouse", "warehouse", "machine_room", "other"
    ] = "other"
    mesh: MeshRef | None = Field(
        default=None, description="3D mesh with walls and slabs; sliced per level"
    )
    levels: list[LevelSpec] = Field(min_length=1)
    rooms: list[RoomSpec] = Field(default_factory=list)
    doors: list[OpeningSpec] = Field(default_factory=list)
    exits: list[OpeningSpec] = Field(default_factory=list)
    stairs: list[StairSpec] = Field(default_factory=list)
    is_shelter: bool = Field(default=False, description="Usable for shelter-in-place")
    air_changes_per_h: float = Field(default=0.5, ge=0, le=50, description="Infiltration rate, 1/h")

    @model_validator(mode="after")
    def _geometry_source(self) -> BuildingSpec:
        if self.mesh is None and any(lv.plan is None for lv in self.levels):
            missing = [lv.id for lv in self.levels if lv.plan is None]
            raise ValueError(
                f"levels {missing} have no plan and the building has no mesh: give one of them"
            )
        return self


class CylinderShape(_Model):
    """Vertical cylinder standing on its base (tanks, vessels)."""

    type: Literal["cylinder"] = "cylinder"
    diameter_m: float = Field(gt=0, le=200)
    height_m: float = Field(gt=0, le=200)


class BoxShape(_Model):
    """Axis-aligned box centred on the position in plan, base at its z (pumps, skids)."""

    type: Literal["box"] = "box"
    size_m: Point3

    @field_validator("size_m")
    @classmethod
    def _size(cls, v: Point3) -> Point3:
        if min(v) <= 0:
            raise ValueError(f"size_m = {list(v)}: every side must be > 0 m")
        return v


class PipeShape(_Model):
    """A pipe along a polyline of centre points (m), with an outside diameter."""

    type: Literal["pipe"] = "pipe"
    path_m: list[Point3] = Field(min_length=2)
    diameter_m: float = Field(gt=0, le=5)


class WallShape(_Model):
    """A wall of given height and thickness along a plan polyline (bund walls, blast walls)."""

    type: Literal["wall"] = "wall"
    path_m: list[Point2] = Field(
        min_length=2, description="Centre line; repeat the first point to close"
    )
    height_m: float = Field(gt=0, le=50)
    thickness_m: float = Field(default=0.3, gt=0, le=10)


Shape = Annotated[CylinderShape | BoxShape | PipeShape | WallShape, Field(discriminator="type")]


class ValveSpec(_Model):
    """An isolation valve (ESD) on a piece of equipment."""

    id: Id
    position_m: Point3
    closure_time_s: float = Field(
        gt=0, le=3600, description="Stroke time from signal to fully closed"
    )
    is_remote: bool = Field(default=True, description="Closed by the ESD system (else by hand)")


class EquipmentSpec(_Model):
    """Plant equipment that holds or moves a hazardous inventory."""

    id: Id
    kind: Literal[
        "storage_tank",
        "process_vessel",
        "pipe_segment",
        "loading_arm",
        "pump",
        "compressor",
        "vaporiser",
        "flare",
        "heat_exchanger",
    ]
    name: str = ""
    fluid: str = Field(min_length=1, description="Substance name, e.g. 'methane', 'ammonia'")
    composition: dict[str, float] | None = Field(
        default=None,
        description="Mole fractions for a mixture, e.g. LNG {methane: 0.92, ethane: 0.06, ...}",
    )
    inventory_kg: float = Field(ge=0, description="Hazardous inventory held, kg")
    pressure_pa: float = Field(gt=0, le=5e7, description="Operating pressure, absolute, Pa")
    temperature_k: float = Field(gt=0, le=2000, description="Operating temperature, K")
    position_m: Point3 = Field(description="Base centre (tanks, boxes) or reference point, m")
    shape: Shape
    mesh: MeshRef | None = None
    is_obstacle: bool = Field(default=True, description="Blocks walking and wind")
    valves: list[ValveSpec] = Field(default_factory=list)

    @field_validator("composition")
    @classmethod
    def _composition(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is not None:
            if any(x < 0 for x in v.values()):
                raise ValueError(f"composition = {v}: mole fractions must be >= 0")
            total = sum(v.values())
            if abs(total - 1.0) > 1e-3:
                raise ValueError(f"composition sums to {total:.4f}: mole fractions must sum to 1")
        return v


class StructureSpec(_Model):
    """A solid without a hazardous inventory: pipe rack, bund wall, blast wall, jetty head."""

    id: Id
    kind: Literal["pipe_rack", "bund", "wall", "jetty", "platform", "other"]
    name: str = ""
    position_m: Point3 = Field(default=(0.0, 0.0, 0.0), description="Base reference point, m")
    shape: Shape
    mesh: MeshRef | None = None
    is_obstacle: bool = Field(
        default=True, description="Blocks walking (where cut at body height) and wind"
    )


class AlarmLevelSpec(_Model):
    """One alarm threshold: give exactly one of the three measures."""

    name: str = Field(min_length=1, description="e.g. 'low', 'high'")
    fraction_of_lfl: float | None = Field(
        default=None, gt=0, le=1, description="Gas detectors, e.g. 0.2"
    )
    volume_fraction: float | None = Field(
        default=None, gt=0, le=1, description="Toxic gas, mol/mol"
    )
    radiation_w_m2: float | None = Field(default=None, gt=0, description="Flame detectors")

    @model_validator(mode="after")
    def _one_measure(self) -> AlarmLevelSpec:
        given = [
            f
            for f in ("fraction_of_lfl", "volume_fraction", "radiation_w_m2")
            if getattr(self, f) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                f"alarm level {self.name!r} gives {given or 'none'}: give exactly one of "
                + "fraction_of_lfl, volume_fraction, radiation_w_m2"
            )
        return self


class DetectorSpec(_Model):
    """A fixed gas or flame detector."""

    id: Id
    kind: Literal["gas", "flame"]
    gas: str | None = Field(default=None, description="Target substance for gas detectors")
    position_m: Point3 = Field(description="Sensor position; z is its height, m")
    alarm_levels: list[AlarmLevelSpec] = Field(min_length=1)
    response_time_s: float = Field(default=10.0, ge=0, le=600, description="t90 response time, s")

    @model_validator(mode="after")
    def _gas(self) -> DetectorSpec:
        if self.kind == "gas" and not self.gas:
            raise ValueError(
                f"detector {self.id!r}: a gas detector needs 'gas' (the substance it senses)"
            )
        return self


class GateSpec(_Model):
    """A gate in the site fence: a way off site."""

    id: Id
    segment_m: Segment2
    is_open: bool = True


class FenceSpec(_Model):
    """The site fence: a closed polygon with gates."""

    polygon_m: list[Point2]
    gates: list[GateSpec] = Field(min_length=1)

    @field_validator("polygon_m")
    @classmethod
    def _polygon(cls, v: list[Point2]) -> list[Point2]:
        return _ring(v, "polygon_m")


class ZoneSpec(_Model):
    """A named area of the site (process area, jetty, tank farm, car park ...)."""

    id: Id
    name: str = ""
    kind: Literal["process", "storage", "jetty", "utility", "admin", "parking", "road", "other"] = (
        "other"
    )
    polygon_m: list[Point2]
    occupancy: dict[Id, int] = Field(
        default_factory=dict, description="Outdoor workers present, by shift id"
    )

    @field_validator("polygon_m")
    @classmethod
    def _polygon(cls, v: list[Point2]) -> list[Point2]:
        return _ring(v, "polygon_m")


class MusterPointSpec(_Model):
    """A muster point (assembly area outdoors) or a shelter (a building for shelter-in-place)."""

    id: Id
    kind: Literal["muster", "shelter"] = "muster"
    position_m: Point2
    capacity: int = Field(default=500, ge=1)
    building: Id | None = Field(default=None, description="For shelters: the building id")


class CongestedAreaSpec(_Model):
    """A congested process area for vapour-cloud explosion models (e.g. TNO multi-energy)."""

    id: Id
    polygon_m: list[Point2]
    height_m: float = Field(gt=0, le=100)
    volume_blockage_ratio: float = Field(gt=0, lt=1, description="Obstacle volume / area volume")
    obstacle_diameter_m: float = Field(
        default=0.3, gt=0, le=10, description="Typical obstacle size"
    )
    layers: int = Field(
        default=1, ge=1, le=20, description="Number of obstacle layers in flame path"
    )

    @field_validator("polygon_m")
    @classmethod
    def _polygon(cls, v: list[Point2]) -> list[Point2]:
        return _ring(v, "polygon_m")


class ShiftSpec(_Model):
    """A work shift: its id and clock hours (local time)."""

    id: Id
    start_h: float = Field(ge=0, lt=24)
    end_h: float = Field(ge=0, le=24)


class GridSettings(_Model):
    """Default resolutions of the derived grids."""

    navigation_cell_m: float = Field(
        default=0.5, gt=0.05, le=10, description="Navigation grid cell, m"
    )
    voxel_cell_m: float = Field(default=2.0, gt=0.1, le=50, description="Obstacle voxel cell, m")
    voxel_height_m: float = Field(
        default=60.0, gt=1, le=1000, description="Top of the voxel grid, m"
    )
    margin_m: float = Field(default=50.0, ge=0, le=5000, description="Margin around the fence, m")
    body_height_m: float = Field(
        default=1.0, gt=0.1, le=2.5, description="Height at which walls are cut"
    )


class SiteFile(_Model):
    """A hazard-twin site file (schema version 1)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: str = Field(min_length=1)
    description: str = ""
    origin: GeoOrigin | None = None
    fence: FenceSpec
    shifts: list[ShiftSpec] = Field(
        default_factory=lambda: [ShiftSpec(id="day", start_h=7, end_h=19)]
    )
    buildings: list[BuildingSpec] = Field(default_factory=list)
    equipment: list[EquipmentSpec] = Field(default_factory=list)
    structures: list[StructureSpec] = Field(default_factory=list)
    detectors: list[DetectorSpec] = Field(default_factory=list)
    zones: list[ZoneSpec] = Field(default_factory=list)
    muster_points: list[MusterPointSpec] = Field(default_factory=list)
    congested_areas: list[CongestedAreaSpec] = Field(default_factory=list)
    grids: GridSettings = Field(default_factory=GridSettings)
