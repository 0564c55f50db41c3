"""The site model inside the engine: frozen dataclasses in SI units with read-only numpy arrays.

These mirror the site file (:mod:`twin.schema`) once it has been parsed and checked;
:func:`twin.convert.to_site` is the only place that builds them from the pydantic models. Everything
here is immutable, so a site can be shared between runs and derived data (the
:class:`twin.runtime.SiteView`) can be cached safely.

Coordinates are site coordinates in metres: ``x`` east, ``y`` north, ``z`` up from the site datum.
Placement conventions:

- cylinder and box shapes stand on ``position_m`` (base centre);
- pipe paths (``(n, 3)``) and wall centre lines (``(n, 2)``) are in site coordinates; a wall stands
  on ``z = position_m[2]``;
- a mesh reference carries its own placement (``offset_m``, ``rotation_deg``) and replaces the shape
  for geometry (the shape still gives the nominal size).

Lookups by id (:meth:`Site.building`, :meth:`Site.shift`, :meth:`Building.level` ...) raise
:class:`twin.errors.UnknownIdError` (a ``ValueError``) listing the ids that exist.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray
from shapely.geometry import Point, Polygon

from geometry.floor_plan import Opening
from geometry.segments import polyline_length_m, segment_length_m
from twin.errors import UnknownIdError

if TYPE_CHECKING:
    from twin.runtime import SiteView
    from twin.schema import SiteFile

__all__ = [
    "SECONDS_PER_HOUR",
    "AlarmLevel",
    "Box",
    "Building",
    "CongestedArea",
    "Cylinder",
    "Detector",
    "Equipment",
    "Fence",
    "FrozenMapping",
    "Gate",
    "GeoOrigin",
    "GridSettings",
    "LevelInfo",
    "MeshSource",
    "MusterPoint",
    "OpeningInfo",
    "Pipe",
    "PlanSource",
    "RoomInfo",
    "Shape",
    "Shift",
    "Site",
    "StairInfo",
    "Structure",
    "Valve",
    "Wall",
    "Zone",
]

#: Seconds in an hour: site files give air changes and shift clocks in hours.
SECONDS_PER_HOUR = 3600.0


def _freeze(obj: Any, name: str, shape: tuple[int, ...]) -> None:
    """Replace ``obj.<name>`` by a read-only float array of ``shape`` (-1: any length)."""
    arr = np.array(getattr(obj, name), dtype=np.float64)
    if arr.ndim != len(shape) or any(
        want != -1 and got != want for got, want in zip(arr.shape, shape, strict=True)
    ):
        dims = ["n" if n == -1 else str(n) for n in shape]
        expected = f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"
        raise ValueError(
            f"{type(obj).__name__}.{name} has shape {arr.shape}: it must be an array of shape "
            + f"{expected} (values in m)"
        )
    arr.flags.writeable = False
    object.__setattr__(obj, name, arr)


class _HasId(Protocol):
    """Anything with a string ``id``."""

    @property
    def id(self) -> str: ...


_ItemT = TypeVar("_ItemT", bound=_HasId)


def _by_id(items: Sequence[_ItemT], item_id: str, kind: str, where: str = "") -> _ItemT:
    """Return the item of ``items`` whose ``id`` is ``item_id``; else UnknownIdError listing ids."""
    for item in items:
        if item.id == item_id:
            return item
    raise UnknownIdError(kind, item_id, [item.id for item in items], where)


class FrozenMapping(Mapping[str, Any]):
    """A read-only mapping that pickles (unlike ``types.MappingProxyType``)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"

    def __getstate__(self) -> dict[str, Any]:
        return self._data

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._data = state


def _freeze_mapping(obj: Any, name: str) -> None:
    value = getattr(obj, name)
    if value is not None and not isinstance(value, FrozenMapping):
        object.__setattr__(obj, name, FrozenMapping(value))


# --------------------------------------------------------------------------------------- sources


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class MeshSource:
    """A mesh file and its placement in the site frame.

    Attributes
    ----------
    file : Path
        Absolute path of the mesh file.
    units : str
        Length unit of the file (``"m"``, ``"cm"``, ``"mm"``, ``"ft"``, ``"in"``).
    up_axis : str
        ``"z"`` or ``"y"``.
    offset_m : (3,) float
        Translation applied after scaling and rotation, m.
    rotation_deg : float
        Rotation about +z, counter-clockwise, degrees.
    """

    file: Path
    units: str = "m"
    up_axis: str = "z"
    offset_m: NDArray[np.float64] = field(default_factory=lambda: np.zeros(3))
    rotation_deg: float = 0.0

    def __post_init__(self) -> None:
        _freeze(self, "offset_m", (3,))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PlanSource:
    """A 2D plan file (DXF, GeoJSON, WKT) for one level and its placement.

    Attributes
    ----------
    file : Path
        Absolute path of the plan file.
    units : str or None
        Length unit of the drawing; None: the DXF header's ``$INSUNITS``, else metres.
    offset_m : (2,) float
        Translation, m.
    rotation_deg : float
        Rotation about +z, counter-clockwise, degrees.
    wall_thickness_m : float
        Thickness given to walls drawn as centre lines, m.
    """

    file: Path
    units: str | None = None
    offset_m: NDArray[np.float64] = field(default_factory=lambda: np.zeros(2))
    rotation_deg: float = 0.0
    wall_thickness_m: float = 0.2

    def __post_init__(self) -> None:
        _freeze(self, "offset_m", (2,))


# ------------------------------------------------------------------------------------- buildings


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelInfo:
    """A storey: floor elevation and floor-to-floor height, m; its plan file if it has one."""

    id: str
    elevation_m: float
    height_m: float
    plan: PlanSource | None = None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RoomInfo:
    """A room on a level with its people per shift.

    Attributes
    ----------
    id, level_id, name : str
        Identifier, level and display name.
    polygon_m : (n, 2) float
        Footprint, m.
    occupancy : Mapping[str, int]
        People present, by shift id.
    """

    id: str
    level_id: str
    polygon_m: NDArray[np.float64]
    name: str = ""
    occupancy: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _freeze(self, "polygon_m", (-1, 2))
        _freeze_mapping(self, "occupancy")

    @property
    def polygon(self) -> Polygon:
        """The footprint as a shapely polygon, m."""
        return Polygon(self.polygon_m)

    def people(self, shift_id: str) -> int:
        """People in the room on ``shift_id`` (0 if none are listed)."""
        return int(self.occupancy.get(shift_id, 0))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class OpeningInfo:
    """A door or exit of a building: a segment ``[[x0, y0], [x1, y1]]`` (m) on a level."""

    id: str
    level_id: str
    segment_m: NDArray[np.float64]
    kind: Literal["door", "exit"] = "door"

    def __post_init__(self) -> None:
        _freeze(self, "segment_m", (2, 2))

    @property
    def width_m(self) -> float:
        """Clear width, m."""
        return segment_length_m(self.segment_m)

    def to_opening(self) -> Opening:
        """Return the door or exit as a :class:`geometry.floor_plan.Opening` on its level."""
        return Opening(id=self.id, level_id=self.level_id, segment_m=self.segment_m, kind=self.kind)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class StairInfo:
    """A stair between two levels; segments (2, 2) m where it meets each level."""

    id: str
    lower_level_id: str
    upper_level_id: str
    bottom_m: NDArray[np.float64]
    top_m: NDArray[np.float64]
    width_m: float
    length_m: float

    def __post_init__(self) -> None:
        _freeze(self, "bottom_m", (2, 2))
        _freeze(self, "top_m", (2, 2))


@dataclass(frozen=True, slots=True, kw_only=True)
class Building:
    """A building: levels, rooms, doors, exits and stairs.

    Attributes
    ----------
    id, name, use : str
        Identifier, display name and use (``"control"``, ``"office"`` ...).
    mesh : MeshSource or None
        3D model sliced per level (levels without a plan file need it).
    levels : tuple of LevelInfo
        Storeys in file order.
    rooms, doors, exits, stairs : tuples
        Spaces and connections.
    is_shelter : bool
        Usable for shelter-in-place.
    air_change_rate_per_s : float
        Infiltration rate, 1/s (the file gives air changes per hour).
    """

    id: str
    name: str = ""
    use: str = "other"
    mesh: MeshSource | None = None
    levels: tuple[LevelInfo, ...] = ()
    rooms: tuple[RoomInfo, ...] = ()
    doors: tuple[OpeningInfo, ...] = ()
    exits: tuple[OpeningInfo, ...] = ()
    stairs: tuple[StairInfo, ...] = ()
    is_shelter: bool = False
    air_change_rate_per_s: float = 0.5 / SECONDS_PER_HOUR

    @property
    def air_changes_per_h(self) -> float:
        """Infiltration rate in air changes per hour, 1/h."""
        return self.air_change_rate_per_s * SECONDS_PER_HOUR

    def level(self, level_id: str) -> LevelInfo:
        """Return the level named ``level_id``.

        Raises
        ------
        UnknownIdError
            If the building has no such level; the message lists its levels.
        """
        return _by_id(self.levels, level_id, "level", f"building {self.id!r}")

    def people(self, shift_id: str) -> int:
        """People in the building's rooms on ``shift_id``."""
        return sum(room.people(shift_id) for room in self.rooms)


# ----------------------------------------------------------------------------- equipment, solids


@dataclass(frozen=True, slots=True, kw_only=True)
class Cylinder:
    """Vertical cylinder standing on the owner's ``position_m``: diameter and height, m."""

    diameter_m: float
    height_m: float

    @property
    def volume_m3(self) -> float:
        """Enclosed volume, m^3."""
        return math.pi * self.diameter_m**2 / 4.0 * self.height_m


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Box:
    """Axis-aligned box centred in plan on the owner's ``position_m``, base at its z; (3,) m."""

    size_m: NDArray[np.float64]

    def __post_init__(self) -> None:
        _freeze(self, "size_m", (3,))

    @property
    def volume_m3(self) -> float:
        """Enclosed volume, m^3."""
        return float(np.prod(self.size_m))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Pipe:
    """A pipe along a polyline of centre points ``path_m`` (n, 3) in site coordinates, m."""

    path_m: NDArray[np.float64]
    diameter_m: float

    def __post_init__(self) -> None:
        _freeze(self, "path_m", (-1, 3))

    @property
    def length_m(self) -> float:
        """Centre-line length, m."""
        return polyline_length_m(self.path_m)

    @property
    def volume_m3(self) -> float:
        """Enclosed volume (solid pipe, ignoring joints), m^3."""
        return math.pi * self.diameter_m**2 / 4.0 * self.length_m


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Wall:
    """A wall along a plan centre line ``path_m`` (n, 2) in site coordinates, m."""

    path_m: NDArray[np.float64]
    height_m: float
    thickness_m: float = 0.3

    def __post_init__(self) -> None:
        _freeze(self, "path_m", (-1, 2))

    @property
    def length_m(self) -> float:
        """Centre-line length, m."""
        return polyline_length_m(self.path_m)

    @property
    def volume_m3(self) -> float:
        """Nominal volume (length x height x thickness), m^3."""
        return self.length_m * self.height_m * self.thickness_m


Shape = Cylinder | Box | Pipe | Wall


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Valve:
    """An isolation valve at ``position_m`` (3,) m that closes in ``closure_time_s``."""

    id: str
    position_m: NDArray[np.float64]
    closure_time_s: float
    is_remote: bool = True

    def __post_init__(self) -> None:
        _freeze(self, "position_m", (3,))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Equipment:
    """Plant equipment holding a hazardous inventory.

    Attributes
    ----------
    id, kind, name : str
        Identifier, kind (``"storage_tank"`` ...) and display name.
    fluid : str
        Substance name.
    composition : Mapping[str, float] or None
        Mole fractions of a mixture.
    inventory_kg : float
        Hazardous inventory, kg.
    pressure_pa : float
        Operating pressure, absolute, Pa.
    temperature_k : float
        Operating temperature, K.
    position_m : (3,) float
        Base centre or reference point, m.
    shape : Shape
        Nominal solid.
    mesh : MeshSource or None
        Detailed solid, replacing the shape for geometry.
    is_obstacle : bool
        Blocks walking and wind.
    valves : tuple of Valve
        Isolation valves.
    """

    id: str
    kind: str
    fluid: str
    inventory_kg: float
    pressure_pa: float
    temperature_k: float
    position_m: NDArray[np.float64]
    shape: Shape
    name: str = ""
    composition: Mapping[str, float] | None = None
    mesh: MeshSource | None = None
    is_obstacle: bool = True
    valves: tuple[Valve, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "position_m", (3,))
        _freeze_mapping(self, "composition")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Structure:
    """A solid without inventory (pipe rack, bund, wall, jetty, platform); see Equipment."""

    id: str
    kind: str
    shape: Shape
    position_m: NDArray[np.float64] = field(default_factory=lambda: np.zeros(3))
    name: str = ""
    mesh: MeshSource | None = None
    is_obstacle: bool = True

    def __post_init__(self) -> None:
        _freeze(self, "position_m", (3,))


# ------------------------------------------------------------------------------ detectors, areas


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmLevel:
    """One alarm threshold; exactly one measure is set.

    Attributes
    ----------
    name : str
        e.g. ``"low"``, ``"high"``.
    fraction_of_lfl : float or None
        Gas concentration as a fraction of the lower flammable limit, dimensionless.
    volume_fraction : float or None
        Toxic gas concentration, mol/mol.
    radiation_w_m2 : float or None
        Flame detector threshold, W/m^2.
    """

    name: str
    fraction_of_lfl: float | None = None
    volume_fraction: float | None = None
    radiation_w_m2: float | None = None

    @property
    def measure(self) -> tuple[str, float]:
        """``(field name, threshold)`` of the measure that is set."""
        for name in ("fraction_of_lfl", "volume_fraction", "radiation_w_m2"):
            value = getattr(self, name)
            if value is not None:
                return name, float(value)
        raise ValueError(f"alarm level {self.name!r} has no threshold")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Detector:
    """A fixed gas or flame detector at ``position_m`` (3,) m; ``response_time_s`` is its t90."""

    id: str
    kind: str
    position_m: NDArray[np.float64]
    alarm_levels: tuple[AlarmLevel, ...]
    gas: str | None = None
    response_time_s: float = 10.0

    def __post_init__(self) -> None:
        _freeze(self, "position_m", (3,))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Gate:
    """A gate in the fence: segment (2, 2) m."""

    id: str
    segment_m: NDArray[np.float64]
    is_open: bool = True

    def __post_init__(self) -> None:
        _freeze(self, "segment_m", (2, 2))

    @property
    def width_m(self) -> float:
        """Clear width, m."""
        return segment_length_m(self.segment_m)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Fence:
    """The site fence: polygon (n, 2) m and its gates."""

    polygon_m: NDArray[np.float64]
    gates: tuple[Gate, ...]

    def __post_init__(self) -> None:
        _freeze(self, "polygon_m", (-1, 2))

    @property
    def polygon(self) -> Polygon:
        """The fenced area as a shapely polygon, m."""
        return Polygon(self.polygon_m)

    @property
    def area_m2(self) -> float:
        """Fenced area, m^2."""
        return float(self.polygon.area)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Zone:
    """A named outdoor area with outdoor workers per shift; ``polygon_m`` (n, 2) m."""

    id: str
    polygon_m: NDArray[np.float64]
    name: str = ""
    kind: str = "other"
    occupancy: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _freeze(self, "polygon_m", (-1, 2))
        _freeze_mapping(self, "occupancy")

    @property
    def polygon(self) -> Polygon:
        """The zone as a shapely polygon, m."""
        return Polygon(self.polygon_m)

    def people(self, shift_id: str) -> int:
        """Outdoor workers in the zone on ``shift_id``."""
        return int(self.occupancy.get(shift_id, 0))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class MusterPoint:
    """A muster point (outdoors) or shelter (a building); ``position_m`` (2,) m."""

    id: str
    position_m: NDArray[np.float64]
    kind: str = "muster"
    capacity: int = 500
    building_id: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, "position_m", (2,))

    @property
    def point(self) -> Point:
        """The position as a shapely point, m."""
        return Point(self.position_m)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class CongestedArea:
    """A congested process area for explosion models.

    Attributes
    ----------
    id : str
        Identifier.
    polygon_m : (n, 2) float
        Plan outline, m.
    height_m : float
        Height of the congested volume, m.
    volume_blockage_ratio : float
        Obstacle volume over area volume, dimensionless, in (0, 1).
    obstacle_diameter_m : float
        Typical obstacle size, m.
    layers : int
        Obstacle layers in the flame path.
    """

    id: str
    polygon_m: NDArray[np.float64]
    height_m: float
    volume_blockage_ratio: float
    obstacle_diameter_m: float = 0.3
    layers: int = 1

    def __post_init__(self) -> None:
        _freeze(self, "polygon_m", (-1, 2))

    @property
    def polygon(self) -> Polygon:
        """The area as a shapely polygon, m."""
        return Polygon(self.polygon_m)

    @property
    def volume_m3(self) -> float:
        """Congested volume (plan area x height), m^3."""
        return float(self.polygon.area) * self.height_m


@dataclass(frozen=True, slots=True, kw_only=True)
class Shift:
    """A work shift in local clock hours; ``end_h < start_h`` runs past midnight."""

    id: str
    start_h: float
    end_h: float

    @property
    def duration_s(self) -> float:
        """Length of the shift, s."""
        hours = (self.end_h - self.start_h) % 24.0
        return (hours if hours > 0 else 24.0) * SECONDS_PER_HOUR


@dataclass(frozen=True, slots=True, kw_only=True)
class GeoOrigin:
    """Geographic position of the local origin; grid rotation from true north to +y, clockwise."""

    latitude_deg: float
    longitude_deg: float
    elevation_m: float = 0.0
    grid_rotation_deg: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class GridSettings:
    """Default resolutions of the derived grids, m."""

    navigation_cell_m: float = 0.5
    voxel_cell_m: float = 2.0
    voxel_height_m: float = 60.0
    margin_m: float = 50.0
    body_height_m: float = 1.0


# ------------------------------------------------------------------------------------------ site


@dataclass(frozen=True, kw_only=True, eq=False)
class Site:
    """A whole site: fence, buildings, equipment, detectors, zones, people and grid settings.

    Attributes
    ----------
    name, description : str
        Display name and notes.
    fence : Fence
        Site boundary and gates.
    shifts : tuple of Shift
        Work shifts; occupancies are keyed by their ids.
    buildings, equipment, structures, detectors, zones, muster_points, congested_areas : tuples
        Site elements in file order.
    grids : GridSettings
        Default grid resolutions.
    origin : GeoOrigin or None
        Geographic position of the local origin.
    base_dir : Path
        Folder of the site file; geometry paths are resolved against it.
    source : SiteFile or None
        The parsed file, kept so the site can be saved unchanged.
    """

    name: str
    fence: Fence
    shifts: tuple[Shift, ...]
    buildings: tuple[Building, ...] = ()
    equipment: tuple[Equipment, ...] = ()
    structures: tuple[Structure, ...] = ()
    detectors: tuple[Detector, ...] = ()
    zones: tuple[Zone, ...] = ()
    muster_points: tuple[MusterPoint, ...] = ()
    congested_areas: tuple[CongestedArea, ...] = ()
    grids: GridSettings = field(default_factory=GridSettings)
    description: str = ""
    origin: GeoOrigin | None = None
    base_dir: Path = field(default_factory=Path.cwd)
    source: SiteFile | None = field(default=None, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def building(self, building_id: str) -> Building:
        """Return the building named ``building_id``.

        Raises
        ------
        UnknownIdError
            If there is none; the message lists the building ids.
        """
        return _by_id(self.buildings, building_id, "building")

    def equipment_item(self, equipment_id: str) -> Equipment:
        """Return the equipment item named ``equipment_id``.

        Raises
        ------
        UnknownIdError
            If there is none; the message lists the equipment ids.
        """
        return _by_id(self.equipment, equipment_id, "equipment")

    def shift(self, shift_id: str) -> Shift:
        """Return the shift named ``shift_id``.

        Raises
        ------
        UnknownIdError
            If there is none; the message lists the shift ids.
        """
        return _by_id(self.shifts, shift_id, "shift")

    def people_in(self, building_id: str, shift_id: str) -> int:
        """People inside building ``building_id`` on shift ``shift_id``.

        Parameters
        ----------
        building_id : str
            Building id.
        shift_id : str
            Shift id.

        Returns
        -------
        int
            Sum of its rooms' occupancy for the shift.

        Raises
        ------
        UnknownIdError
            If the building or the shift is unknown; the message lists the known ids.
        """
        self.shift(shift_id)
        return self.building(building_id).people(shift_id)

    def people_outdoors(self, shift_id: str) -> int:
        """Outdoor workers (all zones) on shift ``shift_id``."""
        return sum(z.people(shift_id) for z in self.zones)

    def population_by_shift(self) -> dict[str, int]:
        """Everyone on site per shift (rooms of all buildings plus outdoor zones), by shift id."""
        return {
            s.id: sum(b.people(s.id) for b in self.buildings) + self.people_outdoors(s.id)
            for s in self.shifts
        }

    def __getstate__(self) -> dict[str, Any]:
        # the cached view holds meshes and grids; a copy sent to another process rebuilds its own
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def view(self) -> SiteView:
        """Return the derived runtime view (plans, grids, voxels), built once and cached here."""
        cached = self._cache.get("view")
        if cached is None:
            from twin.runtime import SiteView  # runtime builds on this module

            cached = self._cache["view"] = SiteView(self)
        return cached  # type: ignore[no-any-return]
