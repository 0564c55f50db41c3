"""Checks of a parsed site file that the schema alone cannot make.

:func:`validate_site` returns every problem found as a :class:`~twin.errors.SiteIssue` naming the
element (path and id), its line in the file and what is wrong; :func:`twin.store.load_site` raises
them together in one :class:`~twin.errors.SiteFileError`.

Checks, in order (the geometry checks run only when the others pass, since they need sound
references):

1. every number is finite;
2. ids are unique within their kind; door, exit and gate ids are unique site-wide, and so are valve
   ids and the ids of solids (buildings, equipment, structures share one namespace in the 3D model);
3. every reference resolves: a room's, door's or exit's level; a stair's two levels (the lower below
   the upper, a pitch of at most :data:`MAX_STAIR_PITCH_DEG`, and a walking length no shorter than
   the plan distance between its two ends); exits only on a ground level (at most
   :data:`MAX_EXIT_ABOVE_GROUND_M` above the building's lowest level); occupancy shift ids; a
   shelter's building; alarm levels that fit the detector kind and increase strictly in the order
   given;
4. every referenced geometry file exists and has a supported suffix;
5. the fence polygon is valid, gates lie on it, and room, zone and congested-area polygons are
   valid; rooms of one level of a building overlap by at most
   :data:`MAX_ROOM_OVERLAP_FRACTION` of the smaller room; doors, exits, gates and stairs are at
   least :data:`MIN_OPENING_WIDTH_M` wide; detectors (with z >= 0), equipment, valves, muster
   points, zones and congested areas lie inside the fence;
6. with ``check_geometry``: the runtime view is built (:mod:`twin.runtime`), and every exit lies on
   its level's walkable boundary, every gate on the outdoor walkable boundary, every door lies in a
   gap of the walkable area (touching it, and not straddling two separate parts of it), every stair
   end meets the walkable area, every occupied room and zone overlaps walkable area, every occupied
   room reaches an exit of its building (through the walkable area and stairs), and every exit opens
   onto outdoor walkable ground that reaches an open gate or a muster point. Before that, each
   building mesh is read once and, like each plan level, must lie inside the fence (else one issue
   points at its units, offset_m and up_axis, and the building's other checks are skipped). Exits
   and doors must be crossable: at 1/4, 1/2 and 3/4 of the opening a line
   :data:`CROSSING_PROBE_M` to each side, perpendicular to it, runs through no wall or obstacle
   of the level (cut at body height) and ends on walkable floor inside (both sides for a door).
   Equipment and structure footprints lie inside the fence; an equipment footprint lies outside
   or wholly inside each building (not across its outline); no detector is inside a solid; the
   plan position of a cylinder or box with a mesh lies on its mesh (within
   :data:`MESH_SHAPE_TOLERANCE` of its size plus :data:`MESH_SHAPE_SLACK_M`). At least
   :data:`MIN_ROOM_INSIDE_FRACTION` of each room lies inside its level's floor and walls, and no
   room holds more than :data:`MAX_OCCUPANT_DENSITY_P_M2` people per m^2 of its walkable floor.
   Every occupied room that reaches an exit through the walkable regions must also reach, on the
   navigation grid at ``grids.navigation_cell_m`` (4-connected walkable cells), an exit or a stair
   end of its level: openings narrower than about two cells close up on a coarse grid.
   ``grids.voxel_height_m`` reaches the top of the tallest building, equipment item or structure;
7. the default grids fit :data:`geometry.grid.MAX_GRID_CELLS`: every level's navigation grid
   (level bounds / ``navigation_cell_m`` plus a spare cell each side) and the voxel grid (fence
   bounds plus ``margin_m``, up to ``voxel_height_m``), counted without building them.

Reachability follows the walkable regions themselves, which are what the navigation grids are made
of: two regions of a level are joined only by a stair (through another level) or through the
outdoor area by exits, never by a door drawn across a wall.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from geometry.errors import GeometryError
from geometry.file_formats import MESH_SUFFIXES, PLAN_SUFFIXES
from geometry.floor_plan import (
    EXIT_ON_BOUNDARY_TOLERANCE_M,
    Level,
    Opening,
    check_opening_on_boundary,
)
from geometry.grid import MAX_GRID_CELLS, Grid2D
from geometry.regions import fill_holes, polygonal
from geometry.segments import segment_length_m, segment_normal
from twin.convert import resolve_path, to_site
from twin.errors import SiteIssue, format_path
from twin.positions import PathKey, PositionMap
from twin.runtime import OPENING_WALL_CUT_M, OUTDOOR, level_key
from twin.schema import BuildingSpec, SiteFile
from twin.site import Box, Building, Cylinder, Equipment, Shape, Site, Structure, Wall

if TYPE_CHECKING:
    import trimesh

__all__ = [
    "MAX_OCCUPANT_DENSITY_P_M2",
    "MAX_STAIR_PITCH_DEG",
    "MESH_SUFFIXES",
    "MIN_OPENING_WIDTH_M",
    "PLAN_SUFFIXES",
    "check_and_convert",
    "validate_site",
]

logger = logging.getLogger(__name__)

#: Steepest stair accepted, degrees (rise over horizontal length); steeper is a ladder, not a stair.
MAX_STAIR_PITCH_DEG = 50.0

#: How far a point may sit outside the fence (or a door/stair end off walkable area), m.
POSITION_TOLERANCE_M = 0.25

#: Distance in front of an exit at which the outdoor side is probed, m.
EXIT_PROBE_DISTANCE_M = 0.5

#: How far a muster point may sit from outdoor walkable ground, m.
MUSTER_TOLERANCE_M = 1.0

#: Half-length of the line drawn across an exit or door to check that it can be walked through:
#: it reaches this far to each side of the opening, m.
CROSSING_PROBE_M = 0.5

#: Fractions along an exit or door at which the crossing line is drawn.
CROSSING_PROBE_FRACTIONS = (0.25, 0.5, 0.75)

#: Length of a crossing line that may run through walls or obstacles (grazing an edge), m.
CROSSING_BLOCKED_M = 0.02

#: How far the end of a crossing line may be from walkable floor, m.
CROSSING_END_TOLERANCE_M = 0.05

#: Highest floor, above the lowest level of its building, on which an exit is accepted, m.
MAX_EXIT_ABOVE_GROUND_M = 0.5

#: Depth to which an equipment footprint may overlap a building footprint, m.
FOOTPRINT_OVERLAP_TOLERANCE_M = 0.1

#: Spare cells a navigation grid has beyond its level's bounds (one each side), per axis.
NAVIGATION_SPARE_CELLS = 2

#: Narrowest door, exit, gate or stair accepted, m: about one adult's shoulder breadth (the
#: 95th-percentile bideltoid breadth of adult men is about 0.5 m; Pheasant and Haslegrave,
#: Bodyspace, 3rd ed., 2006). Anything narrower cannot be walked through.
MIN_OPENING_WIDTH_M = 0.5

#: SFPE hydraulic model of emergency movement: speed S = k (1 - a D) with a = 0.266 m^2/person
#: (Gwynne and Rosenbaum, "Employing the hydraulic model in assessing emergency movement", SFPE
#: Handbook of Fire Protection Engineering; after Nelson and Mowrer).
_SFPE_SPEED_DENSITY_A_M2 = 0.266

#: Densest occupancy accepted, persons per m^2 of a room's walkable area: the density at which the
#: SFPE hydraulic model's walking speed falls to zero, 1 / 0.266 = 3.76 persons/m^2.
MAX_OCCUPANT_DENSITY_P_M2 = 1.0 / _SFPE_SPEED_DENSITY_A_M2

#: Share of a room's area that must lie inside its level's footprint (floor and walls, holes
#: filled); the rest allows for rooms drawn to the wall's outer face.
MIN_ROOM_INSIDE_FRACTION = 0.9

#: Overlap of two rooms of one level, as a fraction of the smaller room's area, above which they
#: are reported (shared walls drawn twice give a sliver).
MAX_ROOM_OVERLAP_FRACTION = 0.01


class _Issues:
    """Collects issues with their file positions."""

    def __init__(self, positions: PositionMap | None, file: str) -> None:
        self.positions = positions or PositionMap()
        self.file = file
        self.items: list[SiteIssue] = []

    def add(self, path: PathKey, message: str, element_id: str | None = None) -> None:
        self.items.append(
            SiteIssue.at(
                path,
                message,
                position=self.positions.lookup(path),
                file=self.file,
                element_id=element_id,
            )
        )

    def line_of(self, path: PathKey) -> str:
        pos = self.positions.lookup(path)
        return f"line {pos[0]}" if pos else format_path(path)


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _pt(xy: Iterable[float]) -> str:
    return "(" + ", ".join(f"{v:.2f}" for v in xy) + ")"


# -------------------------------------------------------------------------------------- 1 finite


def _non_finite(value: Any, path: PathKey) -> Iterator[tuple[PathKey, float]]:
    if isinstance(value, float):
        if not math.isfinite(value):
            yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _non_finite(v, (*path, k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _non_finite(v, (*path, i))


def _owner(data: Any, path: PathKey) -> tuple[str | None, PathKey]:
    """Return the ``id`` of the innermost element on ``path`` that has one, and the rest."""
    ident: str | None = None
    rest = path
    node = data
    for k, part in enumerate(path):
        if isinstance(node, Mapping) and isinstance(node.get("id"), str):
            ident, rest = node["id"], path[k:]
        node = node[part]
    return ident, rest


def _check_finite(spec: SiteFile, out: _Issues) -> None:
    data = spec.model_dump(mode="python")
    for path, value in _non_finite(data, ()):
        ident, field = _owner(data, path)
        out.add(path, f"{format_path(field)} = {value!r}: must be a finite number", ident)


# ----------------------------------------------------------------------------------------- 2 ids


def _check_unique(items: Iterable[tuple[str, PathKey]], what: str, out: _Issues) -> None:
    first: dict[str, PathKey] = {}
    for ident, path in sorted(
        items, key=lambda item: out.positions.lookup(item[1]) or (math.inf, 0)
    ):
        if ident in first:
            out.add(
                (*path, "id"),
                f"id {ident!r} is already used by {format_path(first[ident])} "
                + f"({out.line_of(first[ident])}); {what} ids must be unique",
                ident,
            )
        else:
            first[ident] = path


def _check_ids(spec: SiteFile, out: _Issues) -> None:
    _check_unique(((s.id, ("shifts", i)) for i, s in enumerate(spec.shifts)), "shift", out)
    for i, b in enumerate(spec.buildings):
        bp: PathKey = ("buildings", i)
        _check_unique(
            ((lv.id, (*bp, "levels", j)) for j, lv in enumerate(b.levels)),
            f"level (in {b.id!r})",
            out,
        )
        _check_unique(
            ((r.id, (*bp, "rooms", j)) for j, r in enumerate(b.rooms)), f"room (in {b.id!r})", out
        )
        _check_unique(
            ((s.id, (*bp, "stairs", j)) for j, s in enumerate(b.stairs)),
            f"stair (in {b.id!r})",
            out,
        )
    openings: list[tuple[str, PathKey]] = []
    for i, b in enumerate(spec.buildings):
        openings += [(d.id, ("buildings", i, "doors", j)) for j, d in enumerate(b.doors)]
        openings += [(e.id, ("buildings", i, "exits", j)) for j, e in enumerate(b.exits)]
    openings += [(g.id, ("fence", "gates", j)) for j, g in enumerate(spec.fence.gates)]
    _check_unique(openings, "door, exit and gate", out)
    _check_unique(
        [
            *((b.id, ("buildings", i)) for i, b in enumerate(spec.buildings)),
            *((e.id, ("equipment", i)) for i, e in enumerate(spec.equipment)),
            *((s.id, ("structures", i)) for i, s in enumerate(spec.structures)),
        ],
        "building, equipment and structure",
        out,
    )
    _check_unique(
        (
            (v.id, ("equipment", i, "valves", j))
            for i, e in enumerate(spec.equipment)
            for j, v in enumerate(e.valves)
        ),
        "valve",
        out,
    )
    kinds: tuple[tuple[str, Sequence[Any]], ...] = (
        ("detectors", spec.detectors),
        ("zones", spec.zones),
        ("muster_points", spec.muster_points),
        ("congested_areas", spec.congested_areas),
    )
    for kind, items in kinds:
        _check_unique(
            ((x.id, (kind, i)) for i, x in enumerate(items)),
            kind.replace("_", " ").rstrip("s"),
            out,
        )


# ---------------------------------------------------------------------------------- 3 references


def _check_building_refs(b: BuildingSpec, bp: PathKey, out: _Issues) -> None:
    levels = {lv.id: lv for lv in b.levels}
    known = sorted(levels)
    kinds: tuple[tuple[str, Sequence[Any]], ...] = (
        ("rooms", b.rooms),
        ("doors", b.doors),
        ("exits", b.exits),
    )
    for kind, items in kinds:
        for j, item in enumerate(items):
            if item.level not in levels:
                out.add(
                    (*bp, kind, j, "level"),
                    f"level = {item.level!r} is not a level of building {b.id!r}; choose one of "
                    + f"{known}",
                    item.id,
                )
    lowest = min(levels.values(), key=lambda lv: lv.elevation_m, default=None)
    for j, e in enumerate(b.exits):
        if lowest is None or e.level not in levels:
            continue
        above_m = levels[e.level].elevation_m - lowest.elevation_m
        if above_m > MAX_EXIT_ABOVE_GROUND_M:
            ground = [
                lv.id
                for lv in b.levels
                if lv.elevation_m - lowest.elevation_m <= MAX_EXIT_ABOVE_GROUND_M
            ]
            out.add(
                (*bp, "exits", j, "level"),
                f"level = {e.level!r} (elevation {_fmt(levels[e.level].elevation_m)} m): the exit "
                + f"opens {_fmt(above_m)} m above the ground level {lowest.id!r} (elevation "
                + f"{_fmt(lowest.elevation_m)} m); at most {MAX_EXIT_ABOVE_GROUND_M:g} m is "
                + f"allowed: put exits on the ground level ({ground}) and reach them by stairs",
                e.id,
            )
    for j, s in enumerate(b.stairs):
        sp = (*bp, "stairs", j)
        missing = False
        for field in ("lower_level", "upper_level"):
            value = getattr(s, field)
            if value not in levels:
                missing = True
                out.add(
                    (*sp, field),
                    f"{field} = {value!r} is not a level of building {b.id!r}; choose one of "
                    + f"{known}",
                    s.id,
                )
        if missing:
            continue
        z0, z1 = levels[s.lower_level].elevation_m, levels[s.upper_level].elevation_m
        rise = z1 - z0
        if rise <= 0:
            out.add(
                sp,
                f"lower_level {s.lower_level!r} (elevation {_fmt(z0)} m) must be below "
                + f"upper_level {s.upper_level!r} (elevation {_fmt(z1)} m)",
                s.id,
            )
            continue
        ends_apart_m = LineString(s.bottom_m).distance(LineString(s.top_m))
        if s.length_m < ends_apart_m - POSITION_TOLERANCE_M:
            out.add(
                (*sp, "length_m"),
                f"length_m = {_fmt(s.length_m)} m is shorter than the {ends_apart_m:.2f} m "
                + "between bottom_m and top_m in plan; the walking length (with landings) must "
                + f"be >= {ends_apart_m:.2f} m",
                s.id,
            )
        pitch = math.degrees(math.atan2(rise, s.length_m))
        if pitch > MAX_STAIR_PITCH_DEG:
            need = rise / math.tan(math.radians(MAX_STAIR_PITCH_DEG))
            out.add(
                (*sp, "length_m"),
                f"length_m = {_fmt(s.length_m)} m for a rise of {_fmt(rise)} m (elevations of "
                + f"{s.lower_level!r} and {s.upper_level!r}) gives a pitch of {pitch:.1f} deg; "
                + f"at most {MAX_STAIR_PITCH_DEG:g} deg is allowed, so length_m must be "
                + f">= {need:.2f} m",
                s.id,
            )


def _check_occupancy(
    occupancy: Mapping[str, int], path: PathKey, ident: str, shifts: list[str], out: _Issues
) -> None:
    for shift in occupancy:
        if shift not in shifts:
            out.add(
                (*path, "occupancy", shift),
                f"occupancy shift {shift!r} is not a shift of the site; choose one of {shifts}",
                ident,
            )


def _check_refs(spec: SiteFile, out: _Issues) -> None:
    shifts = [s.id for s in spec.shifts]
    buildings = {b.id: b for b in spec.buildings}
    for i, b in enumerate(spec.buildings):
        _check_building_refs(b, ("buildings", i), out)
        for j, r in enumerate(b.rooms):
            _check_occupancy(r.occupancy, ("buildings", i, "rooms", j), r.id, shifts, out)
    for i, z in enumerate(spec.zones):
        _check_occupancy(z.occupancy, ("zones", i), z.id, shifts, out)
    for i, m in enumerate(spec.muster_points):
        mp: PathKey = ("muster_points", i)
        if m.kind == "shelter":
            if m.building is None:
                out.add(mp, f"a shelter needs 'building' (one of {sorted(buildings)})", m.id)
            elif m.building not in buildings:
                out.add(
                    (*mp, "building"),
                    f"building = {m.building!r} is unknown; choose one of {sorted(buildings)}",
                    m.id,
                )
            elif not buildings[m.building].is_shelter:
                out.add(
                    (*mp, "building"),
                    f"building = {m.building!r} is not marked 'is_shelter: true'; mark it or "
                    + f"choose one of {sorted(k for k, v in buildings.items() if v.is_shelter)}",
                    m.id,
                )
        elif m.building is not None:
            out.add(
                (*mp, "building"),
                f"building = {m.building!r} is only for kind 'shelter' (this is {m.kind!r})",
                m.id,
            )
    for i, d in enumerate(spec.detectors):
        allowed = (
            ("radiation_w_m2",) if d.kind == "flame" else ("fraction_of_lfl", "volume_fraction")
        )
        previous: dict[str, tuple[str, float]] = {}  # measure -> (name, value) of the last level
        for j, a in enumerate(d.alarm_levels):
            given = next(
                f
                for f in ("fraction_of_lfl", "volume_fraction", "radiation_w_m2")
                if getattr(a, f) is not None
            )
            if given not in allowed:
                out.add(
                    ("detectors", i, "alarm_levels", j, given),
                    f"alarm level {a.name!r} of a {d.kind} detector gives {given}; use one of "
                    + f"{list(allowed)}",
                    d.id,
                )
                continue
            value = float(getattr(a, given))
            if given in previous and not value > previous[given][1]:
                name, before = previous[given]
                out.add(
                    ("detectors", i, "alarm_levels", j, given),
                    f"alarm level {a.name!r}: {given} = {_fmt(value)} must be greater than "
                    + f"{_fmt(before)} of the level before it ({name!r}); alarm levels are listed "
                    + "from the lowest to the highest, strictly increasing",
                    d.id,
                )
            previous[given] = (a.name, value)


# --------------------------------------------------------------------------------------- 4 files


def _geometry_refs(spec: SiteFile) -> Iterator[tuple[PathKey, str, str, tuple[str, ...]]]:
    """(path of the ``file`` field, file, element id, allowed suffixes) of every referenced file."""
    for i, b in enumerate(spec.buildings):
        if b.mesh is not None:
            yield ("buildings", i, "mesh", "file"), b.mesh.file, b.id, MESH_SUFFIXES
        for j, lv in enumerate(b.levels):
            if lv.plan is not None:
                yield (
                    ("buildings", i, "levels", j, "plan", "file"),
                    lv.plan.file,
                    lv.id,
                    PLAN_SUFFIXES,
                )
    solids: tuple[tuple[str, Sequence[Any]], ...] = (
        ("equipment", spec.equipment),
        ("structures", spec.structures),
    )
    for kind, items in solids:
        for i, item in enumerate(items):
            if item.mesh is not None:
                yield (kind, i, "mesh", "file"), item.mesh.file, item.id, MESH_SUFFIXES


def _check_files(spec: SiteFile, base_dir: Path, out: _Issues) -> None:
    for path, file, ident, suffixes in _geometry_refs(spec):
        resolved = resolve_path(file, base_dir)
        if resolved.suffix.lower() not in suffixes:
            out.add(
                path,
                f"file = {file!r} has suffix {resolved.suffix!r}; use one of {list(suffixes)}",
                ident,
            )
        elif not resolved.is_file():
            out.add(path, f"file = {file!r} does not exist (looked for {str(resolved)!r})", ident)


# ----------------------------------------------------------------------------- 5 fence, polygons


def _check_polygon(
    points: Sequence[Sequence[float]], path: PathKey, ident: str | None, out: _Issues
) -> Polygon | None:
    poly = Polygon(points)
    if not poly.is_valid:
        out.add(
            path,
            f"polygon_m is not a valid polygon: {explain_validity(poly)}; its edges must not cross",
            ident,
        )
        return None
    if poly.area <= 0:
        out.add(
            path, "polygon_m has zero area: give at least 3 points that are not on one line", ident
        )
        return None
    return poly


def _segments(spec: SiteFile) -> Iterator[tuple[PathKey, str, Sequence[Sequence[float]]]]:
    for i, b in enumerate(spec.buildings):
        for kind in ("doors", "exits"):
            for j, o in enumerate(getattr(b, kind)):
                yield ("buildings", i, kind, j, "segment_m"), o.id, o.segment_m
        for j, s in enumerate(b.stairs):
            yield ("buildings", i, "stairs", j, "bottom_m"), s.id, s.bottom_m
            yield ("buildings", i, "stairs", j, "top_m"), s.id, s.top_m
    for j, g in enumerate(spec.fence.gates):
        yield ("fence", "gates", j, "segment_m"), g.id, g.segment_m


def _check_widths(spec: SiteFile, out: _Issues) -> None:
    """Doors, exits, gates and stairs must be at least MIN_OPENING_WIDTH_M wide."""
    rule = (
        f"narrower than one person's shoulder breadth, about {MIN_OPENING_WIDTH_M:g} m; "
        + f"it must be >= {MIN_OPENING_WIDTH_M:g} m wide"
    )
    for path, ident, seg in _segments(spec):
        if path[-1] != "segment_m":
            continue  # stair ends: the stair's width_m is checked below
        width_m = segment_length_m(seg)
        kind = str(path[-3])[:-1]  # door, exit or gate
        if 0 < width_m < MIN_OPENING_WIDTH_M:
            out.add(
                path,
                f"segment_m = {[list(p) for p in seg]} is {width_m:.2f} m wide: {kind} "
                + f"{ident!r} is {rule}",
                ident,
            )
    for i, b in enumerate(spec.buildings):
        for j, st in enumerate(b.stairs):
            if st.width_m < MIN_OPENING_WIDTH_M:
                out.add(
                    ("buildings", i, "stairs", j, "width_m"),
                    f"width_m = {_fmt(st.width_m)} m: stair {st.id!r} is {rule}",
                    st.id,
                )


def _check_room_overlaps(
    i: int, rooms: Sequence[tuple[int, str, str, Polygon]], out: _Issues
) -> None:
    """Rooms on one level of a building must not overlap (beyond MAX_ROOM_OVERLAP_FRACTION).

    ``rooms`` holds ``(index in the building, id, level id, polygon)`` of the valid room polygons.
    """
    if len(rooms) < 2:
        return
    polys = np.array([r[3] for r in rooms], dtype=object)
    tree = shapely.STRtree(polys)
    pairs = tree.query(polys, predicate="intersects")
    for a, b in zip(*pairs.tolist(), strict=True):
        (ja, id_a, lv_a, pa), (jb, id_b, lv_b, pb) = rooms[a], rooms[b]
        if a >= b or lv_a != lv_b:
            continue
        shared_m2 = float(pa.intersection(pb).area)
        smaller_m2 = min(pa.area, pb.area)
        if shared_m2 > MAX_ROOM_OVERLAP_FRACTION * smaller_m2:
            first: PathKey = ("buildings", i, "rooms", ja)
            out.add(
                ("buildings", i, "rooms", jb, "polygon_m"),
                f"polygon_m of room {id_b!r} overlaps room {id_a!r} ({out.line_of(first)}) on "
                + f"level {lv_b!r} by {shared_m2:.2f} m^2 ({100 * shared_m2 / smaller_m2:.0f} % "
                + "of the smaller room); rooms of one level may share at most "
                + f"{100 * MAX_ROOM_OVERLAP_FRACTION:g} % of the smaller room's area",
                id_b,
            )


def _check_fence_and_places(spec: SiteFile, out: _Issues) -> None:
    for path, ident, seg in _segments(spec):
        if segment_length_m(seg) <= 0:
            out.add(
                path,
                f"{path[-1]} = {[list(p) for p in seg]}: the two end points must differ",
                ident,
            )
    _check_widths(spec, out)
    for i, b in enumerate(spec.buildings):
        rooms = [
            (
                j,
                r,
                _check_polygon(r.polygon_m, ("buildings", i, "rooms", j, "polygon_m"), r.id, out),
            )
            for j, r in enumerate(b.rooms)
        ]
        _check_room_overlaps(i, [(j, r.id, r.level, p) for j, r, p in rooms if p is not None], out)
    # zones and congested areas, in file order
    area_kinds: tuple[tuple[str, Sequence[Any]], ...] = (
        ("zones", spec.zones),
        ("congested_areas", spec.congested_areas),
    )
    areas: list[tuple[PathKey, str, Polygon | None]] = []
    for kind, items in area_kinds:
        for i, item in enumerate(items):
            path = (kind, i, "polygon_m")
            areas.append((path, item.id, _check_polygon(item.polygon_m, path, item.id, out)))
    fence = _check_polygon(spec.fence.polygon_m, ("fence", "polygon_m"), None, out)
    if fence is None:
        return
    boundary = fence.exterior
    for j, g in enumerate(spec.fence.gates):
        gate_m = np.asarray(g.segment_m, dtype=float)
        ends_and_middle = np.vstack([gate_m, gate_m.mean(axis=0)])
        worst = float(np.max(shapely.distance(shapely.points(ends_and_middle), boundary)))
        if worst > EXIT_ON_BOUNDARY_TOLERANCE_M:
            out.add(
                ("fence", "gates", j, "segment_m"),
                f"gate at {np.round(gate_m, 2).tolist()} m is {worst:.2f} m from the fence line; "
                + f"it must lie on it (within {EXIT_ON_BOUNDARY_TOLERANCE_M} m)",
                g.id,
            )
    inside = fence.buffer(POSITION_TOLERANCE_M)
    shapely.prepare(inside)
    where = f"inside the fence (bounds {_pt(fence.bounds)} m)"

    def point_check(path: PathKey, ident: str, xy: Sequence[float]) -> None:
        if not inside.covers(Point(xy[0], xy[1])):
            out.add(
                path, f"{path[-1]} = {_pt(xy)} m is outside the fence; it must lie {where}", ident
            )

    for i, d in enumerate(spec.detectors):
        point_check(("detectors", i, "position_m"), d.id, d.position_m)
        if d.position_m[2] < 0:
            out.add(
                ("detectors", i, "position_m"),
                f"position_m z = {_fmt(d.position_m[2])} m: must be >= 0 (above ground)",
                d.id,
            )
    for i, e in enumerate(spec.equipment):
        point_check(("equipment", i, "position_m"), e.id, e.position_m)
        for j, v in enumerate(e.valves):
            point_check(("equipment", i, "valves", j, "position_m"), v.id, v.position_m)
    for i, m in enumerate(spec.muster_points):
        point_check(("muster_points", i, "position_m"), m.id, m.position_m)
    for path, ident, poly in areas:
        if poly is not None and not inside.covers(poly):
            out.add(path, f"polygon_m reaches outside the fence; it must lie {where}", ident)


# ------------------------------------------------------------------------------------ 6 geometry


class _UnionFind:
    """Connected walkable regions: nodes ``(level key, region index)``, joined by stairs, exits."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(self, a: tuple[str, int]) -> tuple[str, int]:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: tuple[str, int], b: tuple[str, int]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


class _Regions:
    """The connected walkable regions of one level, largest first, as a shapely array."""

    def __init__(self, key: str, level: Level) -> None:
        self.key = key
        self.level = level
        self.parts = np.array(level.regions, dtype=object)
        shapely.prepare(self.parts)

    def near(self, geom: BaseGeometry, tolerance_m: float) -> list[int]:
        """Return the indices of the regions within ``tolerance_m`` of ``geom``."""
        return np.flatnonzero(shapely.distance(self.parts, geom) <= tolerance_m).tolist()

    def overlapping(self, poly: Polygon) -> list[int]:
        """Return the indices of the regions sharing area with ``poly``."""
        return np.flatnonzero(shapely.area(shapely.intersection(self.parts, poly)) > 0.0).tolist()

    def gap_m(self, geom: BaseGeometry) -> float:
        """Distance from ``geom`` to the walkable area, m."""
        return float(self.level.walkable.distance(geom))


def _outside_probe(opening: Opening, inside: Polygon | MultiPolygon) -> Point:
    """Return the point in front of an exit, on the side away from ``inside``."""
    offset = EXIT_PROBE_DISTANCE_M * segment_normal(opening.segment_m)
    a, b = Point(opening.midpoint_m + offset), Point(opening.midpoint_m - offset)
    return a if inside.distance(a) >= inside.distance(b) else b


def _touch_issue(what: str, segment_m: Any, level_id: str, gap_m: float) -> str:
    return (
        f"{what} at {np.round(segment_m, 2).tolist()} m is {gap_m:.2f} m from the walkable area "
        + f"of level {level_id!r}; it must touch it (within {POSITION_TOLERANCE_M} m)"
    )


def _crossing_issue(
    kind: str, ident: str, segment_m: Any, level: Level, *, both_sides: bool
) -> str | None:
    """Why an exit or door cannot be walked through, or None if it can.

    At each of :data:`CROSSING_PROBE_FRACTIONS` along the opening, a line perpendicular to it
    reaching :data:`CROSSING_PROBE_M` to each side must not run through the level's obstacles
    (walls cut at body height), and its inner end (both ends for a door) must be walkable.
    """
    seg = np.asarray(segment_m, dtype=float)
    reach = CROSSING_PROBE_M * segment_normal(seg)
    where = f"{kind} {ident!r} at {np.round(seg, 2).tolist()} m"
    rule = f"{kind}s must lie in an opening of the wall"
    for t in CROSSING_PROBE_FRACTIONS:
        at = seg[0] + t * (seg[1] - seg[0])
        ends = (at - reach, at + reach)
        probe = LineString(ends)
        blocked_m = (
            0.0 if level.obstacles.is_empty else float(probe.intersection(level.obstacles).length)
        )
        if blocked_m > CROSSING_BLOCKED_M:
            return (
                f"{where} crosses a wall/obstacle (the line across it at {_pt(at)} m, "
                + f"{CROSSING_PROBE_M:g} m to each side, runs {blocked_m:.2f} m through the walls "
                + f"and obstacles of level {level.id!r} cut at body height; 0 m is allowed); {rule}"
            )
        gaps = [float(level.walkable.distance(Point(e))) for e in ends]
        if both_sides:
            dry = [e for e, gap in zip(ends, gaps, strict=True) if gap > CROSSING_END_TOLERANCE_M]
        else:
            inner = int(np.argmin(gaps))
            dry = [ends[inner]] if gaps[inner] > CROSSING_END_TOLERANCE_M else []
        if dry:
            side = "to each side" if both_sides else "inside"
            return (
                f"{where}: the floor {CROSSING_PROBE_M:g} m {side} of it, at {_pt(dry[0])} m, is "
                + f"not walkable area of level {level.id!r} (it is "
                + f"{max(gaps):.2f} m from it; at most {CROSSING_END_TOLERANCE_M:g} m is allowed); "
                + f"{rule} with walkable floor "
                + ("on both sides" if both_sides else "behind it")
            )
    return None


def _units_hint(source: Any) -> str:
    return (
        f"check its units ({source.units!r}: is the file in another unit?), offset_m "
        + f"({_pt(source.offset_m)} m)"
        + (f" and up_axis ({source.up_axis!r})" if hasattr(source, "up_axis") else "")
    )


def _outside_fence(shape: BaseGeometry, fence: Polygon) -> bool:
    return not fence.buffer(POSITION_TOLERANCE_M).covers(shape)


def _extent_text(bounds: Sequence[float]) -> str:
    x0, y0, x1, y1 = bounds
    size = f"{x1 - x0:.4g} x {y1 - y0:.4g} m"
    return f"x {_fmt(x0)} to {_fmt(x1)} m, y {_fmt(y0)} to {_fmt(y1)} m ({size})"


def _check_building_meshes(site: Site, out: _Issues) -> tuple[dict[str, trimesh.Trimesh], set[str]]:
    """Load each building mesh once; report a broken mesh or one reaching outside the fence once.

    Returns the building solids by id and the ids of the buildings whose other geometry checks
    are skipped (their mesh is broken or misplaced: those checks would only repeat the cause).
    """
    view = site.view()
    fence = site.fence.polygon
    solids: dict[str, trimesh.Trimesh] = {}
    broken: set[str] = set()
    for i, b in enumerate(site.buildings):
        if b.mesh is None:
            continue
        path: PathKey = ("buildings", i, "mesh")
        src = b.mesh
        try:
            model = view.mesh_model(src)
        except (ValueError, OSError) as exc:
            out.add(path, f"mesh cannot be used: {exc}", b.id)
            broken.add(b.id)
            continue
        solid = model.combined
        hull = MultiPoint(np.asarray(solid.vertices)[:, :2]).convex_hull
        if _outside_fence(hull, fence):
            (_, _, z0), (_, _, z1) = model.bounds_m
            out.add(
                path,
                f"mesh {src.file.name!r} spans {_extent_text(hull.bounds)}, z {_fmt(z0)} to "
                + f"{_fmt(z1)} m, and reaches outside the fence (bounds {_pt(fence.bounds)} m); "
                + f"a building must lie inside the fence: {_units_hint(src)}",
                b.id,
            )
            broken.add(b.id)
            continue
        solids[b.id] = solid
    return solids, broken


def _check_plan_envelopes(
    site: Site, levels: dict[str, _Regions], broken: set[str], out: _Issues
) -> None:
    """Check that each plan level (floor and walls, after placement) lies inside the fence."""
    fence = site.fence.polygon
    for i, b in enumerate(site.buildings):
        if b.id in broken:
            continue
        for j, lv in enumerate(b.levels):
            regions = levels.get(level_key(b.id, lv.id))
            if lv.plan is None or regions is None:
                continue
            envelope = shapely.union(regions.level.walkable, regions.level.obstacles)
            if _outside_fence(envelope, fence):
                out.add(
                    ("buildings", i, "levels", j, "plan"),
                    f"plan {lv.plan.file.name!r} of level {lv.id!r} spans "
                    + f"{_extent_text(envelope.bounds)} and reaches outside the fence (bounds "
                    + f"{_pt(fence.bounds)} m); a building must lie inside the fence: "
                    + _units_hint(lv.plan),
                    b.id,
                )
                broken.add(b.id)


def _footprint(solid: trimesh.Trimesh, *, convex: bool) -> Polygon | MultiPolygon:
    """Plan outline of a solid, m.

    The convex hull of its vertices when the solid is known to be convex (a cylinder or box), else
    the union of its faces seen from above.
    """
    xy = np.asarray(solid.vertices)[:, :2]
    if convex:
        hull = MultiPoint(xy).convex_hull
        return hull if isinstance(hull, Polygon) else Polygon()
    tri = xy[np.asarray(solid.faces)]  # (n, 3, 2)
    u, v = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    tri = tri[np.abs(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]) > 1e-9]  # drop faces seen edge-on
    rings = np.concatenate([tri, tri[:, :1]], axis=1)
    return polygonal(shapely.union_all(shapely.polygons(rings), grid_size=1e-6))


def _check_placements(
    site: Site,
    building_solids: dict[str, trimesh.Trimesh],
    levels: dict[str, _Regions],
    broken: set[str],
    out: _Issues,
) -> None:
    """Footprints inside the fence and clear of buildings; detectors outside solids."""
    from geometry.slicing import section_polygons

    view = site.view()
    fence = site.fence.polygon
    item_solids: dict[str, trimesh.Trimesh] = {}
    groups: list[tuple[str, Sequence[Equipment | Structure]]] = [
        ("equipment", site.equipment),
        ("structures", site.structures),
    ]
    footprints = {b.id: view.building_footprint(b.id) for b in site.buildings if b.id not in broken}
    for section, items in groups:
        for i, item in enumerate(items):
            try:
                solid = view.item_solid(item.id)
            except (ValueError, OSError):
                continue  # reported by _check_item_meshes
            item_solids[item.id] = solid
            # the convex hull holds the footprint: the exact one is needed only where it fails
            foot = hull = _footprint(solid, convex=True)
            convex = item.mesh is None and isinstance(item.shape, Cylinder | Box)
            near_building = any(hull.intersects(b) for b in footprints.values())
            if not convex and (_outside_fence(hull, fence) or near_building):
                foot = _footprint(solid, convex=False)
            where = f"footprint of {item.id!r} ({_extent_text(foot.bounds)})"
            if _outside_fence(foot, fence):
                out.add(
                    (section, i, "position_m"),
                    f"position_m = {_pt(item.position_m)} m: the {where} reaches outside the "
                    + f"fence; it must lie inside the fence (bounds {_pt(fence.bounds)} m, within "
                    + f"{POSITION_TOLERANCE_M} m)",
                    item.id,
                )
            if section != "equipment":
                continue
            # indoor equipment (a machine room's compressors) lies wholly inside its building;
            # a footprint across a building's outline is drawn through its wall
            core = foot.buffer(-FOOTPRINT_OVERLAP_TOLERANCE_M)
            for b_id, building in footprints.items():
                overlap_m2 = float(core.intersection(building).area) if not core.is_empty else 0.0
                if overlap_m2 <= 0.0:
                    continue
                outside_m2 = float(core.difference(building).area)
                if outside_m2 > 0.0:
                    out.add(
                        (section, i, "position_m"),
                        f"position_m = {_pt(item.position_m)} m: the {where} straddles the "
                        + f"outline of building {b_id!r}: {overlap_m2:.2f} m^2 inside and "
                        + f"{outside_m2:.2f} m^2 outside it (more than "
                        + f"{FOOTPRINT_OVERLAP_TOLERANCE_M:g} m deep); equipment must stand "
                        + "either outside a building or wholly inside it",
                        item.id,
                    )
    solids = {**item_solids, **building_solids}
    plan_levels = [
        (b.id, lv, levels[level_key(b.id, lv.id)])
        for b in site.buildings
        if b.mesh is None and b.id not in broken
        for lv in b.levels
        if level_key(b.id, lv.id) in levels
    ]
    sections: dict[tuple[str, float], Polygon | MultiPolygon] = {}
    for i, d in enumerate(site.detectors):
        x, y, z = (float(v) for v in d.position_m)
        point = Point(x, y)
        inside: list[str] = []
        for ident, solid in solids.items():
            (x0, y0, z0), (x1, y1, z1) = solid.bounds
            if not (x0 <= x <= x1 and y0 <= y <= y1 and z0 <= z <= z1):
                continue
            key = (ident, z)
            if key not in sections:
                sections[key] = section_polygons(solid, z)
            if sections[key].buffer(-CROSSING_END_TOLERANCE_M).contains(point):
                inside.append(ident)
        for b_id, lv, regions in plan_levels:
            in_storey = lv.elevation_m <= z < lv.elevation_m + lv.height_m
            if in_storey and regions.level.obstacles.buffer(-CROSSING_END_TOLERANCE_M).contains(
                point
            ):
                inside.append(f"{b_id} (walls of level {lv.id!r})")
        if inside:
            out.add(
                ("detectors", i, "position_m"),
                f"position_m = {_pt(d.position_m)} m is inside the solid of {inside[0]!r} (its "
                + f"section at z = {_fmt(z)} m); a detector must be in open air, outside every "
                + "building wall, equipment item and structure",
                d.id,
            )


def _grid_cells_2d(width_m: float, depth_m: float, cell_m: float) -> int:
    nx = max(1, math.ceil(width_m / cell_m - 1e-9)) + NAVIGATION_SPARE_CELLS
    ny = max(1, math.ceil(depth_m / cell_m - 1e-9)) + NAVIGATION_SPARE_CELLS
    return nx * ny


def _grid_cells_3d(width_m: float, depth_m: float, height_m: float, cell_m: float) -> int:
    return math.prod(max(1, math.ceil(d / cell_m - 1e-9)) for d in (width_m, depth_m, height_m))


def _smallest_cell_m(cells: Any, cell_m: float) -> float:
    """Smallest cell edge (3 significant digits, rounded up) for which ``cells`` fits, m."""
    lo, hi = cell_m, cell_m
    while cells(hi) > MAX_GRID_CELLS:
        lo, hi = hi, hi * 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if cells(mid) > MAX_GRID_CELLS else (lo, mid)
    scale = 10.0 ** (2 - math.floor(math.log10(hi)))
    best = math.ceil(hi * scale) / scale
    while cells(best) > MAX_GRID_CELLS:  # the rounding can only help, but be sure
        best += 1.0 / scale
    return best


def _check_grid_sizes(site: Site, levels: Mapping[str, _Regions], out: _Issues) -> None:
    """Default navigation grids and the voxel grid must stay within MAX_GRID_CELLS."""
    g = site.grids
    fx0, fy0, fx1, fy1 = site.fence.polygon.bounds
    extents: dict[str, tuple[float, float]] = {OUTDOOR: (fx1 - fx0, fy1 - fy0)}
    for key, regions in levels.items():
        x0, y0, x1, y1 = regions.level.walkable.bounds
        extents[key] = (x1 - x0, y1 - y0)
    nav = g.navigation_cell_m
    counts = {key: _grid_cells_2d(w, d, nav) for key, (w, d) in extents.items()}
    worst = max(counts, key=lambda k: counts[k])
    if counts[worst] > MAX_GRID_CELLS:
        fits = max(
            _smallest_cell_m(lambda c, w=w, d=d: _grid_cells_2d(w, d, c), nav)
            for w, d in extents.values()
        )
        w, d = extents[worst]
        out.add(
            ("grids", "navigation_cell_m"),
            f"navigation_cell_m = {_fmt(nav)} m gives {counts[worst]:,} cells for the navigation "
            + f"grid of level {worst!r} ({w:.6g} x {d:.6g} m, one spare cell each side); at most "
            + f"{MAX_GRID_CELLS:,} cells are allowed: use navigation_cell_m >= {fits:g} m",
        )
    m = g.margin_m
    box_m = (fx1 - fx0 + 2 * m, fy1 - fy0 + 2 * m, g.voxel_height_m)
    vox = g.voxel_cell_m
    count = _grid_cells_3d(*box_m, vox)
    if count > MAX_GRID_CELLS:
        fits = _smallest_cell_m(lambda c: _grid_cells_3d(*box_m, c), vox)
        out.add(
            ("grids", "voxel_cell_m"),
            f"voxel_cell_m = {_fmt(vox)} m gives {count:,} voxels for the obstacle grid (fence "
            + f"bounds plus margin_m = {_fmt(m)} m each side: {box_m[0]:.6g} x {box_m[1]:.6g} m, "
            + f"up to voxel_height_m = {_fmt(g.voxel_height_m)} m); at most {MAX_GRID_CELLS:,} "
            + f"are allowed: use voxel_cell_m >= {fits:g} m",
        )


def _build_levels(site: Site, broken: set[str], out: _Issues) -> dict[str, _Regions]:
    """Walkable regions of every level that can be built.

    Buildings in ``broken`` are skipped (their cause is reported already); a building with a level
    that cannot be built is added to it.
    """
    view = site.view()
    levels: dict[str, _Regions] = {}
    for i, b in enumerate(site.buildings):
        if b.id in broken:
            continue
        for j, lv in enumerate(b.levels):
            key = level_key(b.id, lv.id)
            try:
                levels[key] = _Regions(key, view.level(key))
            except (ValueError, OSError) as exc:
                source = ("levels", j, "plan") if lv.plan is not None else ("mesh",)
                out.add(("buildings", i, *source), f"level {lv.id!r} cannot be built: {exc}", b.id)
                broken.add(b.id)
    return levels


def _check_doors_and_stairs(
    i: int, b: Building, levels: dict[str, _Regions], uf: _UnionFind, out: _Issues
) -> None:
    """Doors must open a passage in the walkable area; stairs join the regions at their two ends."""
    bp: PathKey = ("buildings", i)
    for j, d in enumerate(b.doors):
        regions = levels[level_key(b.id, d.level_id)]
        line = LineString(d.segment_m)
        near = regions.near(line, POSITION_TOLERANCE_M)
        if not near:
            out.add(
                (*bp, "doors", j, "segment_m"),
                _touch_issue("door", d.segment_m, d.level_id, regions.gap_m(line)),
                d.id,
            )
        elif len(near) > 1:
            # walking and the navigation grids follow the walkable area: a door is a way through
            # only where the plan or mesh leaves a gap for it
            out.add(
                (*bp, "doors", j, "segment_m"),
                f"door at {np.round(d.segment_m, 2).tolist()} m touches {len(near)} separate "
                + f"walkable areas of level {d.level_id!r} but does not join them: the wall there "
                + "has no gap (in a plan, walls up to "
                + f"{2 * OPENING_WALL_CUT_M:g} m thick are opened at doors; in a mesh, leave the "
                + "doorway open)",
                d.id,
            )
        else:
            problem = _crossing_issue("door", d.id, d.segment_m, regions.level, both_sides=True)
            if problem is not None:
                out.add((*bp, "doors", j, "segment_m"), problem, d.id)
    for j, s in enumerate(b.stairs):
        ends: list[tuple[str, int]] = []
        for field, level_id, seg in (
            ("bottom_m", s.lower_level_id, s.bottom_m),
            ("top_m", s.upper_level_id, s.top_m),
        ):
            regions = levels[level_key(b.id, level_id)]
            line = LineString(seg)
            near = regions.near(line, POSITION_TOLERANCE_M)
            if not near:
                out.add(
                    (*bp, "stairs", j, field),
                    _touch_issue(field, seg, level_id, regions.gap_m(line)),
                    s.id,
                )
            ends += [(regions.key, k) for k in near]
        for node in ends[1:]:
            uf.union(ends[0], node)


#: A mesh may differ from its declared shape by this fraction of the shape's size (plus
#: MESH_SHAPE_SLACK_M) before it is reported: more usually means a wrong up_axis, units or offset.
MESH_SHAPE_TOLERANCE = 0.25
MESH_SHAPE_SLACK_M = 0.5


def _declared_height_m(shape: Shape) -> float | None:
    """Height of a declared shape, m; None for pipes (their height follows their path)."""
    if isinstance(shape, Cylinder | Wall):
        return shape.height_m
    if isinstance(shape, Box):
        return float(shape.size_m[2])
    return None


def _check_mesh_position(
    section: str, i: int, item: Equipment | Structure, solid: trimesh.Trimesh, out: _Issues
) -> None:
    """Check that the plan position of a cylinder or box lies on (or near) its mesh.

    The hazard source sits at ``position_m`` while the obstacle is the mesh: the two must agree
    within :data:`MESH_SHAPE_TOLERANCE` of the shape's largest plan size plus
    :data:`MESH_SHAPE_SLACK_M`. Pipes and walls are placed by their path, not by ``position_m``.
    """
    shape = item.shape
    if isinstance(shape, Cylinder):
        size_m = shape.diameter_m
    elif isinstance(shape, Box):
        size_m = float(max(shape.size_m[0], shape.size_m[1]))
    else:
        return
    (x0, y0, _), (x1, y1, _) = solid.bounds
    x, y = (float(v) for v in item.position_m[:2])
    gap_m = math.hypot(max(x0 - x, 0.0, x - x1), max(y0 - y, 0.0, y - y1))
    allowed_m = MESH_SHAPE_TOLERANCE * size_m + MESH_SHAPE_SLACK_M
    if gap_m > allowed_m:
        out.add(
            (section, i, "position_m"),
            f"position_m = {_pt(item.position_m)} is {gap_m:.2f} m from its mesh (spans "
            + f"x {_fmt(x0)} to {_fmt(x1)} m, y {_fmt(y0)} to {_fmt(y1)} m; at most "
            + f"{allowed_m:.2f} m is allowed); the hazard source and its obstacle would be apart: "
            + "check position_m and mesh.offset_m",
            item.id,
        )


def _check_item_meshes(site: Site, out: _Issues) -> None:
    """Equipment and structure meshes must be closed and agree with their declared shape."""
    view = site.view()
    groups: list[tuple[str, Sequence[Equipment | Structure]]] = [
        ("equipment", site.equipment),
        ("structures", site.structures),
    ]
    for section, items in groups:
        for i, item in enumerate(items):
            if item.mesh is None:
                continue
            path: PathKey = (section, i, "mesh")
            try:
                solid = view.item_solid(item.id)
            except (ValueError, OSError) as exc:
                out.add(path, f"mesh cannot be used: {exc}", item.id)
                continue
            if not solid.is_watertight:
                out.add(
                    path,
                    f"mesh {item.mesh.file.name!r} is not closed: obstacle sections and voxels "
                    + "need closed solids; close the mesh or describe the item by its shape only",
                    item.id,
                )
            _check_mesh_position(section, i, item, solid, out)
            height = _declared_height_m(item.shape)
            if height is None:
                continue
            (_, _, z0), (_, _, z1) = solid.bounds
            mesh_height = float(z1 - z0)
            base = float(item.position_m[2])
            slack = MESH_SHAPE_TOLERANCE * height + MESH_SHAPE_SLACK_M
            if abs(mesh_height - height) > slack or abs(float(z0) - base) > slack:
                out.add(
                    path,
                    f"mesh {item.mesh.file.name!r} spans z = {_fmt(z0)} to {_fmt(z1)} m "
                    + f"({_fmt(mesh_height)} m tall) but the shape stands {_fmt(height)} m tall "
                    + f"on z = {_fmt(base)} m; check the mesh's up_axis ({item.mesh.up_axis!r}), "
                    + f"units ({item.mesh.units!r}) and offset_m",
                    item.id,
                )


def _check_geometry(site: Site, out: _Issues) -> dict[str, _Regions]:
    """Run the geometry checks; return the walkable regions of the levels that could be built."""
    view = site.view()
    _check_item_meshes(site, out)
    uf = _UnionFind()
    building_solids, broken = _check_building_meshes(site, out)
    levels = _build_levels(site, broken, out)
    _check_plan_envelopes(site, levels, broken, out)
    outdoor: _Regions | None = None
    if not broken:  # else the footprints are missing and the cause is reported
        try:
            outdoor = _Regions(OUTDOOR, view.outdoor_level)
        except (ValueError, OSError) as exc:
            out.add(("fence",), f"the outdoor level cannot be built: {exc}")

    # outdoor regions in front of each exit that lies on its level's boundary, by (i, j)
    exit_outside: dict[tuple[int, int], tuple[Point, list[int]]] = {}
    grid_rooms: list[tuple[int, int]] = []  # (building, room) of occupied rooms that reach an exit
    for i, b in enumerate(site.buildings):
        if b.id in broken:
            continue
        bp: PathKey = ("buildings", i)
        _check_doors_and_stairs(i, b, levels, uf, out)
        exit_nodes: list[tuple[str, int]] = []
        exits_ok = True
        for j, e in enumerate(b.exits):
            regions = levels[level_key(b.id, e.level_id)]
            opening = e.to_opening()
            try:
                check_opening_on_boundary(opening, regions.level.walkable)
            except GeometryError as exc:
                out.add((*bp, "exits", j, "segment_m"), str(exc), e.id)
                exits_ok = False
                continue
            problem = _crossing_issue("exit", e.id, e.segment_m, regions.level, both_sides=False)
            if problem is not None:
                out.add((*bp, "exits", j, "segment_m"), problem, e.id)
                exits_ok = False
                continue
            inside = regions.near(opening.line, EXIT_ON_BOUNDARY_TOLERANCE_M)
            exit_nodes += [(regions.key, k) for k in inside]
            if outdoor is None:
                continue
            probe = _outside_probe(opening, regions.level.walkable)
            outside = outdoor.near(probe, POSITION_TOLERANCE_M)
            if not outside:
                out.add(
                    (*bp, "exits", j, "segment_m"),
                    f"the ground {EXIT_PROBE_DISTANCE_M} m outside the exit, at "
                    + f"{_pt(probe.coords[0])} m, is not outdoor walkable area (it is outside the "
                    + "fence, in another building or in an obstacle)",
                    e.id,
                )
                continue
            exit_outside[(i, j)] = (probe, outside)
            for k_in in inside:
                for k_out in outside:
                    uf.union((regions.key, k_in), (OUTDOOR, k_out))
        for j, r in enumerate(b.rooms):
            people = {s: n for s, n in r.occupancy.items() if n > 0}
            if not people:
                continue
            regions = levels[level_key(b.id, r.level_id)]
            overlap = regions.overlapping(r.polygon)
            rp = (*bp, "rooms", j)
            if not overlap:
                out.add(
                    (*rp, "polygon_m"),
                    f"room with people {people} does not overlap the walkable area of level "
                    + f"{r.level_id!r}",
                    r.id,
                )
                continue
            # a misplaced exit is reported above; judging reachability without it repeats it
            if not exits_ok:
                continue
            if _reaches(uf, [(regions.key, k) for k in overlap], exit_nodes):
                grid_rooms.append((i, j))
            else:
                out.add(
                    rp,
                    f"room with people {people} on level {r.level_id!r} cannot reach any exit of "
                    + f"building {b.id!r} ({[x.id for x in b.exits] or 'it has none'}) through its "
                    + "doors and stairs; check walls, doors and stairs",
                    r.id,
                )
    if outdoor is not None:
        _check_outdoor(site, outdoor, exit_outside, uf, out)
    _check_placements(site, building_solids, levels, broken, out)
    misplaced = _check_room_fit(site, levels, broken, out)
    _check_grid_paths(site, [r for r in grid_rooms if r not in misplaced], out)
    _check_voxel_height(site, broken, out)
    return levels


def _check_room_fit(
    site: Site, levels: Mapping[str, _Regions], broken: set[str], out: _Issues
) -> set[tuple[int, int]]:
    """Rooms lie inside their level's footprint and hold no more people than fit on their floor.

    Returns the ``(building index, room index)`` of the rooms reported as outside their level.
    """
    misplaced: set[tuple[int, int]] = set()
    for i, b in enumerate(site.buildings):
        if b.id in broken:
            continue
        footprints: dict[str, Polygon | MultiPolygon] = {}
        for j, r in enumerate(b.rooms):
            regions = levels.get(level_key(b.id, r.level_id))
            if regions is None:
                continue
            level = regions.level
            if r.level_id not in footprints:
                footprints[r.level_id] = fill_holes(
                    polygonal(shapely.union(level.walkable, level.obstacles))
                )
            rp: PathKey = ("buildings", i, "rooms", j)
            room = r.polygon
            inside = float(room.intersection(footprints[r.level_id]).area) / room.area
            if inside < MIN_ROOM_INSIDE_FRACTION:
                out.add(
                    (*rp, "polygon_m"),
                    f"polygon_m of room {r.id!r} ({room.area:.2f} m^2, "
                    + f"{_extent_text(room.bounds)}) has only {100 * inside:.0f} % of its area "
                    + f"inside level {r.level_id!r} of building {b.id!r} (floor and walls span "
                    + f"{_extent_text(footprints[r.level_id].bounds)}); at least "
                    + f"{100 * MIN_ROOM_INSIDE_FRACTION:g} % must lie inside",
                    r.id,
                )
                misplaced.add((i, j))
                continue
            if not r.occupancy:
                continue
            shift, people = max(r.occupancy.items(), key=lambda kv: kv[1])
            floor_m2 = float(room.intersection(level.walkable).area)
            if floor_m2 > 0 and people > MAX_OCCUPANT_DENSITY_P_M2 * floor_m2:
                out.add(
                    (*rp, "occupancy", shift),
                    f"occupancy {shift} = {people} people in room {r.id!r} is "
                    + f"{people / floor_m2:.1f} persons/m^2 of its {floor_m2:.2f} m^2 walkable "
                    + f"floor; at most {MAX_OCCUPANT_DENSITY_P_M2:.2f} persons/m^2 "
                    + f"({math.floor(MAX_OCCUPANT_DENSITY_P_M2 * floor_m2)} people) is allowed, "
                    + "above which people cannot move freely",
                    r.id,
                )
    return misplaced


def _cells_near(
    grid: Grid2D, mask: NDArray[np.bool_], geom: BaseGeometry, distance_m: float
) -> NDArray[np.bool_]:
    """Cells of ``mask`` whose centre lies within ``distance_m`` of ``geom``, (ny, nx) bool."""
    near = np.zeros(mask.shape, dtype=bool)
    x0, y0, x1, y1 = geom.bounds
    lo = grid.cell_of(np.array([[x0 - distance_m, y0 - distance_m]]))[0]
    hi = grid.cell_of(np.array([[x1 + distance_m, y1 + distance_m]]))[0]
    ny, nx = mask.shape
    j0, i0 = (0, 0) if lo[0] < 0 else (int(lo[0]), int(lo[1]))
    j1, i1 = (ny - 1, nx - 1) if hi[0] < 0 else (int(hi[0]), int(hi[1]))
    xs, ys = grid.x_m[i0 : i1 + 1], grid.y_m[j0 : j1 + 1]
    px, py = np.meshgrid(xs, ys)
    if distance_m > 0:
        hit = shapely.dwithin(geom, shapely.points(px, py), distance_m)
    else:
        hit = shapely.contains_xy(geom, px, py)
    near[j0 : j1 + 1, i0 : i1 + 1] = hit
    return near & mask


def _unreached_rooms(
    site: Site, b: Building, level_id: str, rooms: Sequence[Any], cell_m: float
) -> list[Any]:
    """Rooms of one level with no 4-connected navigation-grid path to an exit or stair end.

    The goals are the walkable cells whose centre lies within one cell of an exit of the level or
    of a stair end on it; a room's cells are the walkable cells whose centre is in the room.
    """
    from scipy import ndimage

    grid, mask = site.view().navigation_grid(level_key(b.id, level_id), cell_m)
    labels, _ = ndimage.label(mask)  # default structure: 4-connected
    goal_segments = [e.segment_m for e in b.exits if e.level_id == level_id]
    for st in b.stairs:
        goal_segments += [st.bottom_m] if st.lower_level_id == level_id else []
        goal_segments += [st.top_m] if st.upper_level_id == level_id else []
    goals: set[int] = set()
    for seg in goal_segments:
        goals |= set(labels[_cells_near(grid, mask, LineString(seg), cell_m)].tolist())
    goals.discard(0)
    return [
        r
        for r in rooms
        if not goals & set(labels[_cells_near(grid, mask, r.polygon, 0.0)].tolist())
    ]


def _check_grid_paths(site: Site, rooms: Sequence[tuple[int, int]], out: _Issues) -> None:
    """Occupied rooms that reach an exit through the walkable area must do so on the grid too.

    At ``grids.navigation_cell_m`` an opening narrower than about two cells can close up; a room
    behind it is reported with the cell size (and a smaller one that joins it, if half does).
    """
    cell_m = site.grids.navigation_cell_m
    by_level: dict[tuple[int, str], list[tuple[int, Any]]] = {}
    for i, j in rooms:
        r = site.buildings[i].rooms[j]
        by_level.setdefault((i, r.level_id), []).append((j, r))
    for (i, level_id), items in by_level.items():
        b = site.buildings[i]
        try:
            cut_off = _unreached_rooms(site, b, level_id, [r for _, r in items], cell_m)
            if not cut_off:
                continue
            finer = _unreached_rooms(site, b, level_id, cut_off, 0.5 * cell_m)
        except ValueError:
            continue  # the grid is too large: reported by _check_grid_sizes
        for j, r in items:
            if r not in cut_off:
                continue
            hint = (
                f"use a smaller navigation_cell_m (at {_fmt(0.5 * cell_m)} m it has a path)"
                if r not in finer
                else "use a smaller navigation_cell_m or widen the openings on its way out"
            )
            out.add(
                ("buildings", i, "rooms", j),
                f"at grids.navigation_cell_m = {_fmt(cell_m)} m room {r.id!r} has no grid path to "
                + f"an exit or stair of its level {level_id!r} (openings narrower than about two "
                + f"cells close up on the grid); {hint}",
                r.id,
            )


def _check_voxel_height(site: Site, broken: set[str], out: _Issues) -> None:
    """``grids.voxel_height_m`` must reach the top of the tallest solid."""
    view = site.view()
    tops: list[tuple[float, str]] = []
    for b in site.buildings:
        if b.id in broken:
            continue
        if b.mesh is not None:
            tops.append((float(view.mesh_model(b.mesh).bounds_m[1][2]), b.id))
        else:
            tops.append((max(lv.elevation_m + lv.height_m for lv in b.levels), b.id))
    items: list[Equipment | Structure] = [*site.equipment, *site.structures]
    for item in items:
        try:
            tops.append((float(view.item_solid(item.id).bounds[1][2]), item.id))
        except (ValueError, OSError):
            continue  # reported by _check_item_meshes
    if not tops:
        return
    top_m, ident = max(tops)
    height_m = site.grids.voxel_height_m
    if height_m < top_m:
        out.add(
            ("grids", "voxel_height_m"),
            f"voxel_height_m = {_fmt(height_m)} m is below the top of {ident!r} at {top_m:.2f} m "
            + "(the tallest building, equipment item or structure); the obstacle voxels would cut "
            + f"it off: voxel_height_m must be >= {top_m:.2f} m",
        )


def _check_outdoor(
    site: Site,
    outdoor: _Regions,
    exit_outside: dict[tuple[int, int], tuple[Point, list[int]]],
    uf: _UnionFind,
    out: _Issues,
) -> None:
    """Check gates on the outdoor boundary, and that exits, zones and muster points reach safety."""
    safe: set[tuple[str, int]] = set()
    for j, (g, opening) in enumerate(zip(site.fence.gates, site.view().gates, strict=True)):
        try:
            check_opening_on_boundary(opening, outdoor.level.walkable)
        except GeometryError as exc:
            out.add(("fence", "gates", j, "segment_m"), f"{exc} (of the outdoor level)", g.id)
            continue
        if g.is_open:
            safe |= {
                uf.find((OUTDOOR, k))
                for k in outdoor.near(opening.line, EXIT_ON_BOUNDARY_TOLERANCE_M)
            }
    for j, m in enumerate(site.muster_points):
        if m.kind != "muster":
            continue
        near = outdoor.near(m.point, MUSTER_TOLERANCE_M)
        if not near:
            out.add(
                ("muster_points", j, "position_m"),
                f"position_m = {_pt(m.position_m)} m is {outdoor.gap_m(m.point):.2f} m from "
                + f"outdoor walkable ground; a muster point must be within {MUSTER_TOLERANCE_M} m "
                + "of it",
                m.id,
            )
        safe |= {uf.find((OUTDOOR, k)) for k in near}
    for (i, j), (probe, outside) in exit_outside.items():
        if not any(uf.find((OUTDOOR, k)) in safe for k in outside):
            e = site.buildings[i].exits[j]
            out.add(
                ("buildings", i, "exits", j),
                f"exit leads to outdoor ground at {_pt(probe.coords[0])} m that is cut off "
                + "from every open gate and muster point (walled in by buildings, obstacles or "
                + "the fence)",
                e.id,
            )
    for i, z in enumerate(site.zones):
        people = {s: n for s, n in z.occupancy.items() if n > 0}
        if not people:
            continue
        overlap = outdoor.overlapping(z.polygon)
        if not overlap:
            out.add(
                ("zones", i, "polygon_m"),
                f"zone with people {people} does not overlap outdoor walkable ground",
                z.id,
            )
        elif not any(uf.find((OUTDOOR, k)) in safe for k in overlap):
            out.add(
                ("zones", i),
                f"zone with people {people} lies on outdoor ground cut off from every open gate "
                + "and muster point",
                z.id,
            )


def _reaches(uf: _UnionFind, starts: list[tuple[str, int]], goals: list[tuple[str, int]]) -> bool:
    """Whether any of ``starts`` is connected to any of ``goals``."""
    roots = {uf.find(node) for node in starts}
    return any(uf.find(node) in roots for node in goals)


# ----------------------------------------------------------------------------------------- entry


def _static_issues(
    spec: SiteFile, positions: PositionMap | None, *, base_dir: Path, file: str
) -> _Issues:
    out = _Issues(positions, file)
    _check_finite(spec, out)
    all_finite = not out.items
    _check_ids(spec, out)
    _check_refs(spec, out)
    _check_files(spec, base_dir, out)
    if all_finite:  # polygon and placement checks assume finite numbers
        _check_fence_and_places(spec, out)
    return out


def _sorted(items: list[SiteIssue]) -> list[SiteIssue]:
    return sorted(items, key=lambda i: (i.line is None, i.line or 0, i.column or 0))


def check_and_convert(
    spec: SiteFile,
    positions: PositionMap | None = None,
    *,
    base_dir: Path | str,
    check_geometry: bool = True,
    file: str = "",
) -> tuple[list[SiteIssue], Site | None]:
    """Validate a parsed site file and, if it passes, convert it.

    Parameters
    ----------
    spec : SiteFile
        The parsed site file.
    positions : PositionMap, optional
        Element positions in the file, for line numbers.
    base_dir : Path or str
        Folder of the site file (geometry paths are relative to it).
    check_geometry : bool
        Also run the geometry checks (builds the runtime view, reading mesh and plan files).
    file : str
        Name of the site file, for the messages.

    Returns
    -------
    issues : list of SiteIssue
        Every problem found, in file order; empty if the site passes.
    site : Site or None
        The converted site (its view already built when ``check_geometry``), or None if there are
        issues.
    """
    base = Path(base_dir)
    out = _static_issues(spec, positions, base_dir=base, file=file)
    if out.items:
        return _sorted(out.items), None
    site = to_site(spec, base_dir=base)
    levels = _check_geometry(site, out) if check_geometry else {}
    _check_grid_sizes(site, levels, out)
    if out.items:
        return _sorted(out.items), None
    return [], site


def validate_site(
    spec: SiteFile,
    positions: PositionMap | None = None,
    *,
    base_dir: Path | str,
    check_geometry: bool = True,
    file: str = "",
) -> list[SiteIssue]:
    """Check cross-references, files, placements and (optionally) geometry of a parsed site file.

    Parameters
    ----------
    spec : SiteFile
        The parsed site file.
    positions : PositionMap, optional
        Element positions in the file (from :func:`twin.store.load_site_file`), for line numbers.
    base_dir : Path or str
        Folder of the site file; geometry paths are resolved against it.
    check_geometry : bool
        Also build the floor plans and the outdoor level and check exits, gates, rooms and
        reachability.
    file : str
        Name of the site file, for the messages.

    Returns
    -------
    list of SiteIssue
        Every problem found, in file order; empty if the site passes. Each names the element path,
        its id, its line and column, and what is wrong.
    """
    issues, _ = check_and_convert(
        spec, positions, base_dir=base_dir, check_geometry=check_geometry, file=file
    )
    return issues
