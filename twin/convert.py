"""Turn a parsed site file (pydantic, :mod:`twin.schema`) into the site model (:mod:`twin.site`).

This is the only module where the two meet: it resolves geometry paths against the site folder,
converts units to SI (air changes per hour to 1/s) and freezes every point list into a read-only
numpy array. It does not check cross-references; :mod:`twin.validation` does that first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from twin import schema
from twin.site import (
    SECONDS_PER_HOUR,
    AlarmLevel,
    Box,
    Building,
    CongestedArea,
    Cylinder,
    Detector,
    Equipment,
    Fence,
    Gate,
    GeoOrigin,
    GridSettings,
    LevelInfo,
    MeshSource,
    MusterPoint,
    OpeningInfo,
    Pipe,
    PlanSource,
    RoomInfo,
    Shape,
    Shift,
    Site,
    StairInfo,
    Structure,
    Valve,
    Wall,
    Zone,
)

__all__ = ["resolve_path", "to_site"]


def resolve_path(file: str, base_dir: Path) -> Path:
    """Absolute path of a geometry file named in a site file.

    Parameters
    ----------
    file : str
        Path as written in the site file (relative to the site file's folder, or absolute).
    base_dir : Path
        Folder of the site file.

    Returns
    -------
    Path
        Absolute path (not checked for existence).
    """
    path = Path(file).expanduser()
    return path if path.is_absolute() else (Path(base_dir) / path).absolute()


def _mesh(ref: schema.MeshRef | None, base_dir: Path) -> MeshSource | None:
    if ref is None:
        return None
    return MeshSource(
        file=resolve_path(ref.file, base_dir),
        units=ref.units,
        up_axis=ref.up_axis,
        offset_m=ref.offset_m,  # type: ignore[arg-type]
        rotation_deg=ref.rotation_deg,
    )


def _plan(ref: schema.PlanRef | None, base_dir: Path) -> PlanSource | None:
    if ref is None:
        return None
    return PlanSource(
        file=resolve_path(ref.file, base_dir),
        units=ref.units,
        offset_m=ref.offset_m,  # type: ignore[arg-type]
        rotation_deg=ref.rotation_deg,
        wall_thickness_m=ref.wall_thickness_m,
    )


def _shape(
    spec: schema.CylinderShape | schema.BoxShape | schema.PipeShape | schema.WallShape,
) -> Shape:
    if isinstance(spec, schema.CylinderShape):
        return Cylinder(diameter_m=spec.diameter_m, height_m=spec.height_m)
    if isinstance(spec, schema.BoxShape):
        return Box(size_m=spec.size_m)  # type: ignore[arg-type]
    if isinstance(spec, schema.PipeShape):
        return Pipe(path_m=spec.path_m, diameter_m=spec.diameter_m)  # type: ignore[arg-type]
    return Wall(path_m=spec.path_m, height_m=spec.height_m, thickness_m=spec.thickness_m)  # type: ignore[arg-type]


def _openings(
    specs: Sequence[schema.OpeningSpec], kind: Literal["door", "exit"]
) -> tuple[OpeningInfo, ...]:
    return tuple(
        OpeningInfo(id=o.id, level_id=o.level, segment_m=o.segment_m, kind=kind)  # type: ignore[arg-type]
        for o in specs
    )


def _building(spec: schema.BuildingSpec, base_dir: Path) -> Building:
    return Building(
        id=spec.id,
        name=spec.name,
        use=spec.use,
        mesh=_mesh(spec.mesh, base_dir),
        levels=tuple(
            LevelInfo(
                id=lv.id,
                elevation_m=lv.elevation_m,
                height_m=lv.height_m,
                plan=_plan(lv.plan, base_dir),
            )
            for lv in spec.levels
        ),
        rooms=tuple(
            RoomInfo(
                id=r.id,
                level_id=r.level,
                name=r.name,
                polygon_m=r.polygon_m,  # type: ignore[arg-type]
                occupancy=dict(r.occupancy),
            )
            for r in spec.rooms
        ),
        doors=_openings(spec.doors, "door"),
        exits=_openings(spec.exits, "exit"),
        stairs=tuple(
            StairInfo(
                id=s.id,
                lower_level_id=s.lower_level,
                upper_level_id=s.upper_level,
                bottom_m=s.bottom_m,  # type: ignore[arg-type]
                top_m=s.top_m,  # type: ignore[arg-type]
                width_m=s.width_m,
                length_m=s.length_m,
            )
            for s in spec.stairs
        ),
        is_shelter=spec.is_shelter,
        air_change_rate_per_s=spec.air_changes_per_h / SECONDS_PER_HOUR,
    )


def _equipment(spec: schema.EquipmentSpec, base_dir: Path) -> Equipment:
    return Equipment(
        id=spec.id,
        kind=spec.kind,
        name=spec.name,
        fluid=spec.fluid,
        composition=dict(spec.composition) if spec.composition is not None else None,
        inventory_kg=spec.inventory_kg,
        pressure_pa=spec.pressure_pa,
        temperature_k=spec.temperature_k,
        position_m=spec.position_m,  # type: ignore[arg-type]
        shape=_shape(spec.shape),
        mesh=_mesh(spec.mesh, base_dir),
        is_obstacle=spec.is_obstacle,
        valves=tuple(
            Valve(
                id=v.id,
                position_m=v.position_m,  # type: ignore[arg-type]
                closure_time_s=v.closure_time_s,
                is_remote=v.is_remote,
            )
            for v in spec.valves
        ),
    )


def _detector(spec: schema.DetectorSpec) -> Detector:
    return Detector(
        id=spec.id,
        kind=spec.kind,
        gas=spec.gas,
        position_m=spec.position_m,  # type: ignore[arg-type]
        alarm_levels=tuple(
            AlarmLevel(
                name=a.name,
                fraction_of_lfl=a.fraction_of_lfl,
                volume_fraction=a.volume_fraction,
                radiation_w_m2=a.radiation_w_m2,
            )
            for a in spec.alarm_levels
        ),
        response_time_s=spec.response_time_s,
    )


def to_site(spec: schema.SiteFile, *, base_dir: Path | str) -> Site:
    """Build the engine's :class:`~twin.site.Site` from a parsed site file.

    Parameters
    ----------
    spec : SiteFile
        The parsed site file (cross-references are assumed checked by
        :func:`twin.validation.validate_site`).
    base_dir : Path or str
        Folder of the site file; relative geometry paths are resolved against it.

    Returns
    -------
    Site
        Frozen site model in SI units; ``site.source`` is ``spec``.
    """
    base = Path(base_dir).expanduser().absolute()
    g = spec.grids
    return Site(
        name=spec.name,
        description=spec.description,
        origin=(
            GeoOrigin(
                latitude_deg=spec.origin.latitude_deg,
                longitude_deg=spec.origin.longitude_deg,
                elevation_m=spec.origin.elevation_m,
                grid_rotation_deg=spec.origin.grid_rotation_deg,
            )
            if spec.origin is not None
            else None
        ),
        fence=Fence(
            polygon_m=spec.fence.polygon_m,  # type: ignore[arg-type]
            gates=tuple(
                Gate(id=gt.id, segment_m=gt.segment_m, is_open=gt.is_open)  # type: ignore[arg-type]
                for gt in spec.fence.gates
            ),
        ),
        shifts=tuple(Shift(id=s.id, start_h=s.start_h, end_h=s.end_h) for s in spec.shifts),
        buildings=tuple(_building(b, base) for b in spec.buildings),
        equipment=tuple(_equipment(e, base) for e in spec.equipment),
        structures=tuple(
            Structure(
                id=s.id,
                kind=s.kind,
                name=s.name,
                position_m=s.position_m,  # type: ignore[arg-type]
                shape=_shape(s.shape),
                mesh=_mesh(s.mesh, base),
                is_obstacle=s.is_obstacle,
            )
            for s in spec.structures
        ),
        detectors=tuple(_detector(d) for d in spec.detectors),
        zones=tuple(
            Zone(
                id=z.id,
                name=z.name,
                kind=z.kind,
                polygon_m=z.polygon_m,  # type: ignore[arg-type]
                occupancy=dict(z.occupancy),
            )
            for z in spec.zones
        ),
        muster_points=tuple(
            MusterPoint(
                id=m.id,
                kind=m.kind,
                position_m=m.position_m,  # type: ignore[arg-type]
                capacity=m.capacity,
                building_id=m.building,
            )
            for m in spec.muster_points
        ),
        congested_areas=tuple(
            CongestedArea(
                id=c.id,
                polygon_m=c.polygon_m,  # type: ignore[arg-type]
                height_m=c.height_m,
                volume_blockage_ratio=c.volume_blockage_ratio,
                obstacle_diameter_m=c.obstacle_diameter_m,
                layers=c.layers,
            )
            for c in spec.congested_areas
        ),
        grids=GridSettings(
            navigation_cell_m=g.navigation_cell_m,
            voxel_cell_m=g.voxel_cell_m,
            voxel_height_m=g.voxel_height_m,
            margin_m=g.margin_m,
            body_height_m=g.body_height_m,
        ),
        base_dir=base,
        source=spec,
    )
