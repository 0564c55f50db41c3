"""The layers of a 2D floor plan, in site metres, as every plan loader returns them.

A plan is read into seven named layers (:data:`LAYER_NAMES`), whatever the file format:

========== ==================================================================================
FLOOR      floor outline(s); their union is the floor. If absent, the union of the ROOMS.
WALLS      wall solids: centre lines buffered by half the wall thickness, or closed outlines.
OBSTACLES  solid obstacles (columns, equipment, voids) as polygons.
DOORS      opening segments inside the building, each ``(id, (2, 2) array)``.
EXITS      opening segments from the building to the outside, on the walkable boundary.
STAIRS     stair outlines ``(id, Polygon)``; walkable, linked to other levels by the site model.
ROOMS      named room footprints ``(name, Polygon)``.
========== ==================================================================================

The walkable region is ``FLOOR - WALLS - OBSTACLES``, with parts smaller than
:data:`MIN_WALKABLE_PART_M2` dropped (wall-end slivers and closets nobody is counted in).

Each door and exit also cuts a gap through the walls: the segment, widened by
``wall_thickness_m`` to each side, is removed from the wall solids. A wall drawn with its gap
already open is unchanged by this; a wall drawn straight through a door gets its gap.

:func:`build_plan_layers` is the one place where loaders turn raw shapes (already in metres) into a
:class:`PlanLayers`; :meth:`PlanLayers.to_level` turns it into the :mod:`geometry.floor_plan` types.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Final

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geometry.errors import FloorPlanError
from geometry.floor_plan import Level, Opening, Room, check_opening_on_boundary
from geometry.regions import EMPTY_REGION, drop_small_parts, polygonal

__all__ = [
    "LAYER_NAMES",
    "MIN_WALKABLE_PART_M2",
    "PlanLayers",
    "build_plan_layers",
    "cut_wall_gaps",
    "opening_segment",
]

logger = logging.getLogger(__name__)

#: Layer vocabulary of a 2D plan (DXF layer names; GeoJSON/WKT kinds are lower-case singulars).
LAYER_NAMES: Final = ("WALLS", "OBSTACLES", "DOORS", "EXITS", "STAIRS", "ROOMS", "FLOOR")

#: Walkable parts smaller than this are dropped, m^2: wall-junction slivers and voids too small
#: to hold a standing person with room to turn (about 0.7 m x 0.7 m).
MIN_WALKABLE_PART_M2: Final = 0.5


def cut_wall_gaps(
    walls: Polygon | MultiPolygon, segments: Iterable[ArrayLike], *, half_width_m: float
) -> Polygon | MultiPolygon:
    """Walls with a gap cut along each opening segment, so a wall drawn through a door opens there.

    Parameters
    ----------
    walls : shapely Polygon or MultiPolygon
        Wall solids, m.
    segments : iterable of (2, 2) float
        Door and exit segments, m.
    half_width_m : float
        How far the gap reaches to each side of a segment, m (at least half the wall thickness).
        The gap ends square at the segment's end points.

    Returns
    -------
    shapely Polygon or MultiPolygon
        The walls less the gaps, m.
    """
    cuts = [
        shapely.buffer(LineString(seg), half_width_m, cap_style="flat", join_style="mitre")
        for seg in segments
    ]
    if not cuts or walls.is_empty:
        return walls
    return polygonal(shapely.difference(walls, shapely.union_all(cuts)))


def opening_segment(points: ArrayLike, *, kind: str, where: str) -> NDArray[np.float64]:
    """Check that a door or exit is a straight 2-point segment and return it read-only.

    Consecutive repeated vertices are dropped first; exactly two distinct points must remain.

    Parameters
    ----------
    points : (n, 2) float
        Vertices of the drawn opening, m.
    kind : str
        ``"door"`` or ``"exit"``, for the message.
    where : str
        Where the opening was found (DXF entity, GeoJSON feature, WKT line), for the message.

    Returns
    -------
    (2, 2) float
        End points ``[[x0, y0], [x1, y1]]``, m; not writeable.

    Raises
    ------
    FloorPlanError
        If the opening is not two distinct finite points.
    """
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim == 2 and pts.shape[1] >= 2:
        pts = pts[:, :2]
        if len(pts) > 1:
            keep = np.r_[True, np.any(np.abs(np.diff(pts, axis=0)) > 1e-12, axis=1)]
            pts = pts[keep]
    if pts.shape != (2, 2) or not np.all(np.isfinite(pts)):
        n = pts.shape[0] if pts.ndim >= 1 else 0
        raise FloorPlanError(
            f"{kind} at {where} has {n} distinct vertices: a {kind} must be a straight segment of "
            + "exactly 2 points (a LINE or a 2-vertex polyline) spanning the opening"
        )
    pts = np.ascontiguousarray(pts)
    pts.flags.writeable = False
    return pts


def _checked_openings(
    named: Iterable[tuple[str, ArrayLike]], kind: str
) -> tuple[tuple[str, NDArray[np.float64]], ...]:
    """Return ``(id, read-only (2, 2) segment)`` pairs, each checked by :func:`opening_segment`."""
    return tuple(
        (name, opening_segment(seg, kind=kind, where=f"{kind}s[{i}] {name!r}"))
        for i, (name, seg) in enumerate(named)
    )


@dataclass(frozen=True, eq=False, kw_only=True)
class PlanLayers:
    """The layers of one 2D floor plan, in site metres.

    Attributes
    ----------
    floor : shapely Polygon or MultiPolygon
        Floor area (FLOOR layer, else the union of ROOMS), m.
    walls : shapely Polygon or MultiPolygon
        Wall solids, m.
    obstacles : shapely Polygon or MultiPolygon
        Other solid obstacles (columns, equipment), m.
    doors : tuple of (str, (2, 2) float)
        ``(id, segment_m)`` of each door, in file order.
    exits : tuple of (str, (2, 2) float)
        ``(id, segment_m)`` of each exit, in file order.
    stairs : tuple of (str, Polygon)
        ``(id, outline)`` of each stair, m.
    rooms : tuple of (str, Polygon)
        ``(name, footprint)`` of each room, m.

    Raises
    ------
    FloorPlanError
        On construction, if the floor is empty, if the walkable region is empty, or if two
        openings share an id.
    """

    floor: Polygon | MultiPolygon
    walls: Polygon | MultiPolygon = EMPTY_REGION
    obstacles: Polygon | MultiPolygon = EMPTY_REGION
    doors: tuple[tuple[str, NDArray[np.float64]], ...] = ()
    exits: tuple[tuple[str, NDArray[np.float64]], ...] = ()
    stairs: tuple[tuple[str, Polygon], ...] = ()
    rooms: tuple[tuple[str, Polygon], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "doors", _checked_openings(self.doors, "door"))
        object.__setattr__(self, "exits", _checked_openings(self.exits, "exit"))
        if self.floor.is_empty or self.floor.area <= 0.0:
            raise FloorPlanError(
                "floor is empty: the plan needs a closed outline on layer FLOOR (kind 'floor') "
                + "or at least one closed room on layer ROOMS (kind 'room')"
            )
        counts = Counter(name for name, _ in (*self.doors, *self.exits))
        dupes = sorted(i for i, n in counts.items() if n > 1)
        if dupes:
            raise FloorPlanError(
                f"door/exit ids {dupes} are used more than once; each opening id must be unique"
            )
        if self.walkable.is_empty:
            raise FloorPlanError(
                f"walkable area is empty: floor {self.floor.area:.2f} m2 is entirely covered by "
                + f"walls ({self.walls.area:.2f} m2) and obstacles ({self.obstacles.area:.2f} m2), "
                + f"or no part left is >= {MIN_WALKABLE_PART_M2} m2; check the units and the wall "
                + "thickness"
            )

    @cached_property
    def walkable(self) -> Polygon | MultiPolygon:
        """Walkable region, m: floor - walls - obstacles, parts < MIN_WALKABLE_PART_M2 dropped."""
        free = polygonal(shapely.difference(self.floor, self.solids))
        return drop_small_parts(free, MIN_WALKABLE_PART_M2)

    @cached_property
    def solids(self) -> Polygon | MultiPolygon:
        """Walls and obstacles together, m."""
        return polygonal(shapely.union(self.walls, self.obstacles))

    @property
    def walkable_area_m2(self) -> float:
        """Walkable area, m^2."""
        return float(self.walkable.area)

    def to_level(
        self, *, level_id: str, elevation_m: float
    ) -> tuple[Level, tuple[Opening, ...], tuple[Room, ...]]:
        """Build the :mod:`geometry.floor_plan` level, openings and rooms of this plan.

        Parameters
        ----------
        level_id : str
            Identifier of the level.
        elevation_m : float
            Floor elevation above site datum, m.

        Returns
        -------
        level : Level
            Walkable region and obstacles (walls and obstacles together).
        openings : tuple of Opening
            Doors (kind ``"door"``) then exits (kind ``"exit"``), in file order.
        rooms : tuple of Room
            Rooms; the id is the name, with ``-2``, ``-3`` ... appended to repeated names.

        Raises
        ------
        FloorPlanError
            If the elevation is not finite, or an exit does not lie on the walkable boundary
            (within :data:`geometry.floor_plan.EXIT_ON_BOUNDARY_TOLERANCE_M`).
        """
        level = Level(
            id=level_id, elevation_m=elevation_m, walkable=self.walkable, obstacles=self.solids
        )
        openings = tuple(
            Opening(id=oid, level_id=level_id, segment_m=seg, kind=kind)
            for kind, items in (("door", self.doors), ("exit", self.exits))
            for oid, seg in items
        )
        for op in openings:
            if op.kind == "exit":
                check_opening_on_boundary(op, level.walkable)
        seen: dict[str, int] = {}
        rooms = []
        for name, poly in self.rooms:
            seen[name] = seen.get(name, 0) + 1
            rid = name if seen[name] == 1 else f"{name}-{seen[name]}"
            rooms.append(Room(id=rid, level_id=level_id, polygon=poly, name=name))
        return level, openings, tuple(rooms)


def _auto_ids(ids: Sequence[str | None], prefix: str) -> list[str]:
    """Fill missing ids with ``prefix-1``, ``prefix-2`` ... in order, skipping ids already taken."""
    taken = {i for i in ids if i}
    out, n = [], 0
    for given in ids:
        if given:
            out.append(given)
            continue
        n += 1
        while f"{prefix}-{n}" in taken:
            n += 1
        out.append(f"{prefix}-{n}")
    return out


def _single_polygon(geom: BaseGeometry, what: str, source: str) -> Polygon:
    poly = polygonal(geom)
    if isinstance(poly, Polygon) and not poly.is_empty:
        return poly
    n = len(shapely.get_parts(poly))
    raise FloorPlanError(
        f"{source}: {what} outline has {n} polygon parts after repair: it must be one simple "
        + "closed polygon with positive area (check for a self-crossing or zero-area outline)"
    )


def _check_wall_thickness(wall_thickness_m: float) -> None:
    if not (math.isfinite(wall_thickness_m) and 0.0 < wall_thickness_m <= 5.0):
        raise FloorPlanError(
            f"wall_thickness_m = {wall_thickness_m!r} m: must be a finite number in (0, 5]"
        )


def build_plan_layers(
    *,
    floors: Sequence[Polygon] = (),
    wall_lines: Sequence[LineString] = (),
    wall_polygons: Sequence[Polygon] = (),
    obstacles: Sequence[Polygon] = (),
    doors: Sequence[tuple[str | None, NDArray[np.float64]]] = (),
    exits: Sequence[tuple[str | None, NDArray[np.float64]]] = (),
    stairs: Sequence[tuple[str | None, Polygon]] = (),
    rooms: Sequence[tuple[str | None, Polygon]] = (),
    wall_thickness_m: float = 0.2,
    source: str = "plan",
) -> PlanLayers:
    """Assemble a :class:`PlanLayers` from raw shapes already in site metres.

    Wall centre lines are merged where they meet end to end and buffered by ``wall_thickness_m / 2``
    with flat caps and mitred joins, so a wall ends exactly where its line ends and corners stay
    square. Openings missing an id get ``door-1``, ``exit-1`` ... in order; stairs ``stair-1`` ...;
    rooms ``room-1`` ....

    Parameters
    ----------
    floors : sequence of Polygon
        Floor outlines, m; unioned. If empty, the union of ``rooms`` is the floor.
    wall_lines : sequence of LineString
        Wall centre lines, m.
    wall_polygons : sequence of Polygon
        Closed wall outlines, m (solid).
    obstacles : sequence of Polygon
        Obstacle outlines, m.
    doors, exits : sequence of (str or None, (2, 2) float)
        Opening id (None: automatic) and segment, m.
    stairs : sequence of (str or None, Polygon)
        Stair id (None: automatic) and outline, m.
    rooms : sequence of (str or None, Polygon)
        Room name (None: automatic) and footprint, m.
    wall_thickness_m : float
        Thickness given to wall centre lines, m; in (0, 5].
    source : str
        The file the shapes come from, for messages.

    Returns
    -------
    PlanLayers
        The plan, with its walkable region computed.

    Raises
    ------
    FloorPlanError
        Bad ``wall_thickness_m``, neither floor nor rooms, duplicate opening ids, or an empty
        walkable region.
    """
    _check_wall_thickness(wall_thickness_m)
    if not floors and not rooms:
        raise FloorPlanError(
            f"{source}: no floor outline and no rooms; draw closed outlines on layer FLOOR "
            + "(GeoJSON/WKT kind 'floor') or ROOMS (kind 'room')"
        )
    room_items = [(name, polygonal(poly)) for name, poly in rooms]
    floor = polygonal(
        shapely.union_all([polygonal(p) for p in floors] or [p for _, p in room_items])
    )

    solids: list[BaseGeometry] = [polygonal(p) for p in wall_polygons]
    if wall_lines:
        merged = shapely.line_merge(shapely.union_all(list(wall_lines)))
        solids.append(
            shapely.buffer(merged, wall_thickness_m / 2.0, cap_style="flat", join_style="mitre")
        )
    walls = polygonal(shapely.union_all(solids)) if solids else EMPTY_REGION
    walls = cut_wall_gaps(
        walls, (seg for _, seg in (*doors, *exits)), half_width_m=wall_thickness_m
    )

    door_ids = _auto_ids([i for i, _ in doors], "door")
    exit_ids = _auto_ids([i for i, _ in exits], "exit")
    stair_ids = _auto_ids([i for i, _ in stairs], "stair")
    room_names = _auto_ids([n for n, _ in room_items], "room")
    stair_polys = [
        _single_polygon(p, f"stair {i!r}", source)
        for i, (_, p) in zip(stair_ids, stairs, strict=True)
    ]
    room_polys = [
        _single_polygon(p, f"room {n!r}", source)
        for n, (_, p) in zip(room_names, room_items, strict=True)
    ]
    logger.debug(
        "%s: floor %.2f m2, %d doors, %d exits, %d stairs, %d rooms",
        source,
        floor.area,
        len(doors),
        len(exits),
        len(stairs),
        len(rooms),
    )
    return PlanLayers(
        floor=floor,
        walls=walls,
        obstacles=polygonal(shapely.union_all([polygonal(p) for p in obstacles]))
        if obstacles
        else EMPTY_REGION,
        doors=tuple(zip(door_ids, (s for _, s in doors), strict=True)),
        exits=tuple(zip(exit_ids, (s for _, s in exits), strict=True)),
        stairs=tuple(zip(stair_ids, stair_polys, strict=True)),
        rooms=tuple(zip(room_names, room_polys, strict=True)),
    )
