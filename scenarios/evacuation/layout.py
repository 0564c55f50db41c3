"""Walkable layout of an evacuation: levels, walls, exits, stairs, muster points and spawn areas.

An :class:`EvacuationLayout` is what the crowd model walks on. It is built either from a site
(:meth:`EvacuationLayout.from_site`, through :class:`twin.runtime.SiteView`) or from plain shapely
polygons (:meth:`EvacuationLayout.from_polygons`), so verification rooms such as the RiMEA tests
need no site file.

Per level (key ``"outdoor"`` or ``"<building>/<level>"``, as in :mod:`twin.runtime`):

- ``walkable``: the walkable region (floor minus walls and obstacles), m;
- ``wall_segments_m`` (m, 2, 2): its boundary cut into straight segments, with a gap at every exit
  (the walls the movement model keeps people away from);
- ``grid`` and ``cells``: the floor-field grid and its walkable cells
  (:func:`geometry.navigation_grid.walkable_cells`, exits carved through the walls) plus an *apron*
  beyond each exit, so that distance fields lead people through the doorway and out.

Exits are segments on the walkable boundary with an outward unit normal; a person has left
through an exit when their centre has crossed its line (see :meth:`ExitSpec.crossed`). A building
exit *leads to* the outdoor level when the layout has one: people with a muster point continue
outdoors. Gates are exits of the outdoor level. Stairs link two levels of a building
(:mod:`scenarios.evacuation.stairs`); muster points are discs on the outdoor level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import MultiPolygon, Point, Polygon

from geometry.floor_plan import Level, Opening
from geometry.grid import Grid2D, rasterise
from geometry.navigation_grid import opening_strip, walkable_cells
from geometry.regions import polygonal
from solvers.errors import InvalidInputError
from solvers.pedestrian.walls import Walls, walls_from_segments

if TYPE_CHECKING:
    from twin.runtime import SiteView
    from twin.site import Site

__all__ = [
    "DEFAULT_BUILDING_CELL_M",
    "EXIT_APRON_DEPTH_M",
    "MUSTER_RADIUS_M",
    "EvacuationLayout",
    "ExitSpec",
    "LevelLayout",
    "MusterArea",
    "SpawnArea",
    "StairSpec",
]

#: Floor-field cell edge inside buildings, m: a 0.8 m door keeps three cells across.
DEFAULT_BUILDING_CELL_M = 0.25

#: Depth of the walkable apron added beyond each exit for the distance fields, m.
EXIT_APRON_DEPTH_M = 1.0

#: How far inside the walkable boundary an exit may be drawn, m (as in
#: :data:`geometry.floor_plan.EXIT_ON_BOUNDARY_TOLERANCE_M`); the wall gap reaches this far.
EXIT_GAP_HALF_DEPTH_M = 0.3

#: Radius of a muster area around its point, m: a crowd of 100 at 1.3 persons/m^2 fills it.
MUSTER_RADIUS_M = 5.0

#: Distance, m, from an opening to the probe points that tell its two sides apart.
_SIDE_PROBE_M = 0.4


def _segment(value: ArrayLike, name: str) -> NDArray[np.float64]:
    seg = np.array(value, dtype=np.float64)
    if seg.shape != (2, 2) or not np.all(np.isfinite(seg)):
        raise InvalidInputError(
            f"{name} = {np.asarray(value).tolist()!r}: must be two finite points "
            + "[[x0, y0], [x1, y1]] in m"
        )
    if float(np.hypot(*(seg[1] - seg[0]))) <= 0.0:
        raise InvalidInputError(f"{name} = {seg.tolist()!r} m: the two end points must differ")
    seg.flags.writeable = False
    return seg


def _unit_normal(seg: NDArray[np.float64]) -> NDArray[np.float64]:
    d = seg[1] - seg[0]
    return np.array([d[1], -d[0]]) / math.hypot(d[0], d[1])


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ExitSpec:
    """A way out of a level: a segment on its walkable boundary.

    Attributes
    ----------
    id : str
        Exit or gate id.
    level_key : str
        Level the exit is on.
    segment_m : (2, 2) float
        End points, m.
    outward_normal : (2,) float
        Unit normal pointing out of the walkable region.
    kind : str
        ``"exit"`` (building to outside) or ``"gate"`` (site fence).
    leads_to : str or None
        Level reached through the exit (``"outdoor"`` for a building exit when the layout has the
        outdoor level); None when leaving through it ends the walk.
    """

    id: str
    level_key: str
    segment_m: NDArray[np.float64]
    outward_normal: NDArray[np.float64]
    kind: str = "exit"
    leads_to: str | None = None

    @property
    def width_m(self) -> float:
        """Clear width, m."""
        d = self.segment_m[1] - self.segment_m[0]
        return float(math.hypot(d[0], d[1]))

    @property
    def midpoint_m(self) -> NDArray[np.float64]:
        """Centre of the exit, (2,) m."""
        return np.asarray(self.segment_m.mean(axis=0))

    @property
    def tangent(self) -> NDArray[np.float64]:
        """Unit vector from the first end point to the second."""
        d = self.segment_m[1] - self.segment_m[0]
        return np.asarray(d / math.hypot(d[0], d[1]))

    def crossed(self, points_m: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Return which points lie beyond the exit line, within its width; (n,) bool."""
        rel = np.asarray(points_m, dtype=np.float64).reshape(-1, 2) - self.midpoint_m
        beyond = rel @ self.outward_normal > 0.0
        lateral = np.abs(rel @ self.tangent) <= 0.5 * self.width_m + 0.5
        return np.asarray(beyond & lateral)

    def apron(self, depth_m: float = EXIT_APRON_DEPTH_M) -> Polygon:
        """Rectangle from just inside the exit line to ``depth_m`` beyond it, m."""
        n = self.outward_normal
        p0, p1 = self.segment_m
        back = EXIT_GAP_HALF_DEPTH_M * n
        return Polygon([p0 - back, p1 - back, p1 + depth_m * n, p0 + depth_m * n])


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class StairSpec:
    """A stair linking two levels of one building (plan segments where it meets each level).

    Attributes
    ----------
    id : str
        Stair id.
    lower_key, upper_key : str
        Level keys linked.
    bottom_m, top_m : (2, 2) float
        Segments where the stair meets the lower and the upper level, m.
    width_m : float
        Clear width, m.
    length_m : float
        Horizontal walking length, m.
    rise_m : float
        Height climbed, m.
    """

    id: str
    lower_key: str
    upper_key: str
    bottom_m: NDArray[np.float64]
    top_m: NDArray[np.float64]
    width_m: float
    length_m: float
    rise_m: float

    @property
    def slope_length_m(self) -> float:
        """Walking length along the pitch line, m."""
        return float(math.hypot(self.length_m, self.rise_m))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class MusterArea:
    """A muster point: a disc on a level that people walk into after leaving the building.

    Attributes
    ----------
    id : str
        Muster point id.
    level_key : str
        Level (normally ``"outdoor"``).
    position_m : (2,) float
        Centre, m.
    radius_m : float
        People within this distance of the centre have arrived, m.
    """

    id: str
    level_key: str
    position_m: NDArray[np.float64]
    radius_m: float = MUSTER_RADIUS_M


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SpawnArea:
    """A room or zone people start in: its walkable part and its occupancy per shift.

    Attributes
    ----------
    id : str
        Room or zone id.
    level_key : str
        Level it is on.
    region : shapely Polygon or MultiPolygon
        Walkable part of the room or zone, m.
    occupancy : Mapping[str, int]
        People present by shift id.
    kind : str
        ``"room"``, ``"zone"`` or ``"area"``.
    """

    id: str
    level_key: str
    region: Polygon | MultiPolygon
    occupancy: Mapping[str, int] = field(default_factory=dict)
    kind: str = "area"

    def people(self, shift_id: str | None) -> int:
        """People present on ``shift_id`` (the only or the first listed shift when None)."""
        if shift_id is None:
            return int(next(iter(self.occupancy.values()), 0))
        return int(self.occupancy.get(shift_id, 0))


@dataclass(frozen=True, kw_only=True, eq=False)
class LevelLayout:
    """One level as the crowd model sees it.

    Attributes
    ----------
    key : str
        Level key.
    elevation_m : float
        Floor elevation, m.
    walkable : shapely Polygon or MultiPolygon
        Walkable region, m.
    wall_segments_m : (m, 2, 2) float
        Wall segments (walkable boundary with gaps at the exits), m; read-only.
    grid : Grid2D
        Floor-field grid.
    cells : (ny, nx) bool
        Cells the distance fields may use: walkable cells plus the exit aprons; read-only.
    """

    key: str
    elevation_m: float
    walkable: Polygon | MultiPolygon
    wall_segments_m: NDArray[np.float64]
    grid: Grid2D
    cells: NDArray[np.bool_]

    @cached_property
    def walls(self) -> Walls:
        """The wall segments as the movement kernel's :class:`solvers.pedestrian.walls.Walls`."""
        return walls_from_segments(self.wall_segments_m)

    @property
    def area_m2(self) -> float:
        """Walkable area, m^2."""
        return float(self.walkable.area)


@dataclass(frozen=True, kw_only=True, eq=False)
class EvacuationLayout:
    """Levels, exits, stairs, muster points and spawn areas of one evacuation.

    Build it with :meth:`from_polygons` or :meth:`from_site`.

    Attributes
    ----------
    levels : Mapping[str, LevelLayout]
        Levels by key, in a fixed order (:attr:`level_keys`).
    exits : tuple of ExitSpec
        Every exit and gate.
    stairs : tuple of StairSpec
        Stairs between levels.
    muster_areas : tuple of MusterArea
        Muster points.
    spawn_areas : Mapping[str, SpawnArea]
        Rooms and zones by id.
    """

    levels: Mapping[str, LevelLayout]
    exits: tuple[ExitSpec, ...]
    stairs: tuple[StairSpec, ...] = ()
    muster_areas: tuple[MusterArea, ...] = ()
    spawn_areas: Mapping[str, SpawnArea] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", MappingProxyType(dict(self.levels)))
        object.__setattr__(self, "spawn_areas", MappingProxyType(dict(self.spawn_areas)))
        if not self.exits:
            raise InvalidInputError("layout exits = (): an evacuation needs at least one exit")
        ids = [e.id for e in self.exits]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise InvalidInputError(f"layout exit ids {dupes} occur more than once")
        for e in self.exits:
            self._require_level(e.level_key, f"exit {e.id!r} level")
            if e.leads_to is not None:
                self._require_level(e.leads_to, f"exit {e.id!r} leads_to")
        for s in self.stairs:
            self._require_level(s.lower_key, f"stair {s.id!r} lower level")
            self._require_level(s.upper_key, f"stair {s.id!r} upper level")
        for m in self.muster_areas:
            self._require_level(m.level_key, f"muster point {m.id!r} level")
        for a in self.spawn_areas.values():
            self._require_level(a.level_key, f"area {a.id!r} level")

    def _require_level(self, key: str, what: str) -> None:
        if key not in self.levels:
            raise InvalidInputError(f"{what} = {key!r} is unknown; known levels: {self.level_keys}")

    @property
    def level_keys(self) -> list[str]:
        """Level keys in layout order (the model's level index follows this order)."""
        return list(self.levels)

    @property
    def exit_ids(self) -> list[str]:
        """Exit and gate ids in layout order."""
        return [e.id for e in self.exits]

    @property
    def muster_ids(self) -> list[str]:
        """Muster point ids in layout order."""
        return [m.id for m in self.muster_areas]

    def level_index(self, key: str) -> int:
        """Return the index of a level key; the error lists the known keys."""
        self._require_level(key, "level")
        return self.level_keys.index(key)

    def exit_index(self, exit_id: str) -> int:
        """Return the index of an exit id; the error lists the known exits."""
        ids = self.exit_ids
        if exit_id not in ids:
            raise InvalidInputError(f"exit {exit_id!r} does not exist; known exits: {ids}")
        return ids.index(exit_id)

    def muster_index(self, muster_id: str) -> int:
        """Return the index of a muster point id; the error lists the known ones."""
        ids = self.muster_ids
        if muster_id not in ids:
            raise InvalidInputError(
                f"muster point {muster_id!r} does not exist; known muster points: {ids}"
            )
        return ids.index(muster_id)

    # ----------------------------------------------------------------------------- constructors

    @classmethod
    def from_polygons(
        cls,
        walkable: Polygon | MultiPolygon | Mapping[str, Polygon | MultiPolygon],
        exits: Mapping[str, ArrayLike] | Sequence[tuple[str, str, ArrayLike]],
        *,
        elevations_m: Mapping[str, float] | None = None,
        stairs: Sequence[StairSpec] = (),
        spawn_areas: Mapping[str, Polygon | MultiPolygon] | None = None,
        muster_points: Mapping[str, ArrayLike] | None = None,
        cell_size_m: float = DEFAULT_BUILDING_CELL_M,
    ) -> EvacuationLayout:
        """Build a layout from shapely polygons (no site file needed).

        Parameters
        ----------
        walkable : Polygon, MultiPolygon or Mapping[str, Polygon | MultiPolygon]
            Walkable region, m: one level (key ``"L0"``) or regions by level key. Walls are its
            boundary; holes are obstacles.
        exits : Mapping[str, (2, 2) float] or sequence of (id, level_key, (2, 2) float)
            Exit segments on the walkable boundary, m; a mapping puts them all on the one level.
        elevations_m : Mapping[str, float], optional
            Floor elevation by level key, m; default 0 for every level.
        stairs : sequence of StairSpec
            Stairs between the levels.
        spawn_areas : Mapping[str, Polygon | MultiPolygon], optional
            Named spawn areas (on the first level whose walkable region they overlap most).
        muster_points : Mapping[str, (2,) float], optional
            Muster points on the first level, m.
        cell_size_m : float
            Floor-field cell edge, m; must be in (0, 2].

        Returns
        -------
        EvacuationLayout

        Raises
        ------
        InvalidInputError
            If a region is empty, an exit is not on its level's walkable boundary, or the cell
            size is out of range.

        Examples
        --------
        >>> from shapely.geometry import box
        >>> layout = EvacuationLayout.from_polygons(box(0, 0, 10, 5), {"E": [[10, 2], [10, 3]]})
        >>> layout.level_keys, layout.exits[0].outward_normal.tolist()
        (['L0'], [1.0, 0.0])
        """
        regions: dict[str, Polygon | MultiPolygon] = (
            {"L0": walkable} if isinstance(walkable, Polygon | MultiPolygon) else dict(walkable)
        )
        if not regions:
            raise InvalidInputError("walkable = {}: give at least one level")
        first = next(iter(regions))
        if isinstance(exits, Mapping):
            exit_rows = [(str(k), first, v) for k, v in exits.items()]
        else:
            exit_rows = [(str(k), str(lv), v) for k, lv, v in exits]
        cell = _check_cell(cell_size_m)
        elevations = dict(elevations_m or {})
        levels: dict[str, Level] = {}
        for key, region in regions.items():
            poly = polygonal(region)
            if poly.is_empty:
                raise InvalidInputError(f"walkable[{key!r}]: the region has no area")
            levels[key] = Level(id=key, elevation_m=float(elevations.get(key, 0.0)), walkable=poly)
        openings = [
            Opening(
                id=i,
                level_id=lv,
                segment_m=_segment(seg, f"exit {i!r} segment_m"),
                kind="exit",
            )
            for i, lv, seg in exit_rows
        ]
        musters = tuple(
            MusterArea(id=str(k), level_key=first, position_m=_point(v, f"muster {k!r}"))
            for k, v in (muster_points or {}).items()
        )
        areas = {}
        for area_id, region in (spawn_areas or {}).items():
            poly = polygonal(region)
            key = max(levels, key=lambda k: float(poly.intersection(levels[k].walkable).area))
            areas[str(area_id)] = SpawnArea(
                id=str(area_id),
                level_key=key,
                region=polygonal(poly.intersection(levels[key].walkable)),
                kind="area",
            )
        return _assemble(
            levels,
            openings,
            cells=dict.fromkeys(levels, cell),
            stairs=tuple(stairs),
            musters=musters,
            areas=areas,
            outdoor_key=None,
        )

    @classmethod
    def from_site(
        cls,
        site: Site | SiteView,
        *,
        level_keys: Iterable[str] | None = None,
        include_outdoor: bool = True,
        building_cell_m: float = DEFAULT_BUILDING_CELL_M,
        outdoor_cell_m: float | None = None,
    ) -> EvacuationLayout:
        """Build a layout from a site's runtime view.

        Parameters
        ----------
        site : Site or SiteView
            The twin (``site.view()`` is used for a Site).
        level_keys : iterable of str, optional
            Levels to include; default every building level (and ``"outdoor"`` when
            ``include_outdoor``). Stairs are kept when both their levels are included.
        include_outdoor : bool
            Include the outdoor level, so building exits lead outdoors and gates and muster
            points can be reached.
        building_cell_m : float
            Floor-field cell edge inside buildings, m.
        outdoor_cell_m : float, optional
            Floor-field cell edge outdoors, m; default the site's ``grids.navigation_cell_m``.

        Returns
        -------
        EvacuationLayout
            Rooms (walkable part, occupancy by shift) and outdoor zones as spawn areas; open
            gates as exits of the outdoor level; outdoor muster points (not shelters).

        Raises
        ------
        InvalidInputError
            If a level key is unknown or a cell size is out of range.
        """
        from twin.runtime import OUTDOOR, SiteView, level_key

        view = site if isinstance(site, SiteView) else site.view()
        s = view.site
        all_keys = [level_key(b.id, lv.id) for b in s.buildings for lv in b.levels]
        if include_outdoor:
            all_keys.append(OUTDOOR)
        keys = list(all_keys if level_keys is None else level_keys)
        for key in keys:
            if key not in view.level_keys:
                raise InvalidInputError(f"level key {key!r} is unknown; known: {view.level_keys}")
        outdoor = OUTDOOR if OUTDOOR in keys else None
        b_cell = _check_cell(building_cell_m)
        o_cell = _check_cell(
            s.grids.navigation_cell_m if outdoor_cell_m is None else outdoor_cell_m
        )
        levels = {key: view.level(key) for key in keys}
        openings: list[Opening] = []
        stairs: list[StairSpec] = []
        areas: dict[str, SpawnArea] = {}
        for b in s.buildings:
            plan = view.building_plan(b.id)
            for o in plan.openings:
                key = level_key(b.id, o.level_id)
                if o.kind == "exit" and key in levels:
                    openings.append(
                        Opening(id=o.id, level_id=key, segment_m=o.segment_m, kind="exit")
                    )
            for st in plan.stairs:
                lo, up = level_key(b.id, st.lower_level_id), level_key(b.id, st.upper_level_id)
                if lo in levels and up in levels:
                    stairs.append(
                        StairSpec(
                            id=st.id,
                            lower_key=lo,
                            upper_key=up,
                            bottom_m=st.bottom_m,
                            top_m=st.top_m,
                            width_m=st.width_m,
                            length_m=st.length_m,
                            rise_m=st.rise_m,
                        )
                    )
            for room in b.rooms:
                key = level_key(b.id, room.level_id)
                if key in levels:
                    areas[room.id] = SpawnArea(
                        id=room.id,
                        level_key=key,
                        region=polygonal(room.polygon.intersection(levels[key].walkable)),
                        occupancy=dict(room.occupancy),
                        kind="room",
                    )
        musters: tuple[MusterArea, ...] = ()
        if outdoor is not None:
            openings += [
                Opening(id=g.id, level_id=OUTDOOR, segment_m=g.segment_m, kind="gate")
                for g in s.fence.gates
                if g.is_open
            ]
            reachable = _components_touching(
                levels[OUTDOOR].walkable, [o.segment_m for o in openings]
            )
            for z in s.zones:
                areas[z.id] = SpawnArea(
                    id=z.id,
                    level_key=OUTDOOR,
                    region=polygonal(z.polygon.intersection(reachable)),
                    occupancy=dict(z.occupancy),
                    kind="zone",
                )
            musters = tuple(
                MusterArea(id=m.id, level_key=OUTDOOR, position_m=np.array(m.position_m))
                for m in s.muster_points
                if m.building_id is None
            )
        cells = {k: (o_cell if k == outdoor else b_cell) for k in levels}
        return _assemble(
            levels,
            openings,
            cells=cells,
            stairs=tuple(stairs),
            musters=musters,
            areas=areas,
            outdoor_key=outdoor,
            fence_grid_region=s.fence.polygon if outdoor is not None else None,
        )


def _components_touching(
    region: Polygon | MultiPolygon, segments_m: Sequence[NDArray[np.float64]], *, tol_m: float = 1.0
) -> Polygon | MultiPolygon:
    """Parts of ``region`` within ``tol_m`` of an opening; enclosed pockets (a bund) are dropped.

    Nobody starts inside ground walled in on every side (an impounding basin, a bund): only the
    walkable components that an exit, gate or building exit opens onto are kept.
    """
    parts = list(region.geoms) if isinstance(region, MultiPolygon) else [region]
    if not segments_m:
        return region
    lines = shapely.linestrings(np.asarray(segments_m, dtype=np.float64))
    kept = [p for p in parts if bool(np.any(shapely.distance(p, lines) <= tol_m))]
    return MultiPolygon(kept) if len(kept) != 1 else kept[0]


def _check_cell(cell_size_m: float) -> float:
    value = float(cell_size_m)
    if not (math.isfinite(value) and 0.0 < value <= 2.0):
        raise InvalidInputError(f"cell_size_m = {cell_size_m!r} m: must be a number in (0, 2]")
    return value


def _point(value: ArrayLike, name: str) -> NDArray[np.float64]:
    p = np.array(value, dtype=np.float64)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise InvalidInputError(f"{name} = {np.asarray(value).tolist()!r}: must be (x, y) in m")
    return p


def _outward_normal(
    seg: NDArray[np.float64], walkable: Polygon | MultiPolygon, what: str
) -> NDArray[np.float64]:
    """Return the unit normal of an exit pointing away from the walkable region."""
    n = _unit_normal(seg)
    mid = seg.mean(axis=0)
    probes = shapely.points(np.array([mid + _SIDE_PROBE_M * n, mid - _SIDE_PROBE_M * n]))
    inside = shapely.contains(walkable, probes)
    if inside[0] and not inside[1]:
        return -n + 0.0  # no negative zeros in the normal
    if inside[1] and not inside[0]:
        return n + 0.0
    gap = float(shapely.distance(walkable.boundary, shapely.linestrings(seg)))
    raise InvalidInputError(
        f"{what} at {np.round(seg, 2).tolist()} m must lie on the boundary of its level's "
        + f"walkable region with walkable floor on one side only (it is {gap:.2f} m from the "
        + "boundary)"
    )


def _wall_segments(
    walkable: Polygon | MultiPolygon, gaps: Sequence[Polygon]
) -> NDArray[np.float64]:
    """Boundary of the walkable region as (m, 2, 2) segments, minus the gap rectangles."""
    lines = walkable.boundary
    if gaps:
        lines = shapely.difference(lines, shapely.union_all(list(gaps)))
    parts = [p for p in shapely.get_parts(lines) if p.geom_type == "LineString" and not p.is_empty]
    segs = []
    for part in parts:
        xy = shapely.get_coordinates(part)
        if len(xy) >= 2:
            segs.append(np.stack([xy[:-1], xy[1:]], axis=1))
    out = np.concatenate(segs, axis=0) if segs else np.zeros((0, 2, 2))
    keep = np.hypot(*(out[:, 1] - out[:, 0]).T) > 1e-9
    arr = np.ascontiguousarray(out[keep])
    arr.flags.writeable = False
    return arr


def _assemble(
    levels: Mapping[str, Level],
    openings: Sequence[Opening],
    *,
    cells: Mapping[str, float],
    stairs: tuple[StairSpec, ...],
    musters: tuple[MusterArea, ...],
    areas: Mapping[str, SpawnArea],
    outdoor_key: str | None,
    fence_grid_region: Polygon | None = None,
) -> EvacuationLayout:
    """Build exits with their normals, wall segments with gaps, grids and field cells."""
    exits: list[ExitSpec] = []
    for o in openings:
        if o.level_id not in levels:
            raise InvalidInputError(
                f"exit {o.id!r} level = {o.level_id!r} is unknown; known levels: {list(levels)}"
            )
        level = levels[o.level_id]
        normal = _outward_normal(o.segment_m, level.walkable, f"{o.kind} {o.id!r}")
        leads_to = outdoor_key if (o.kind == "exit" and o.level_id != outdoor_key) else None
        seg = np.array(o.segment_m, dtype=np.float64)
        seg.flags.writeable = False
        normal.flags.writeable = False
        exits.append(
            ExitSpec(
                id=o.id,
                level_key=o.level_id,
                segment_m=seg,
                outward_normal=normal,
                kind="gate" if o.kind == "gate" else "exit",
                leads_to=leads_to,
            )
        )
    out: dict[str, LevelLayout] = {}
    for key, level in levels.items():
        h = cells[key]
        own = [e for e in exits if e.level_key == key]
        aprons = [e.apron(max(EXIT_APRON_DEPTH_M, 3.0 * h)) for e in own]
        region = fence_grid_region if key == outdoor_key and fence_grid_region else level.walkable
        bounds = shapely.union_all([region, *aprons]).bounds
        xmin, ymin, xmax, ymax = bounds
        grid = Grid2D.covering((xmin - h, ymin - h, xmax + h, ymax + h), h)
        ops = [Opening(id=e.id, level_id=key, segment_m=e.segment_m, kind="exit") for e in own]
        mask = walkable_cells(level, grid, openings=ops)
        for apron in aprons:
            mask |= rasterise(apron, grid)
        mask.flags.writeable = False
        gaps = [opening_strip(e.segment_m, half_depth_m=EXIT_GAP_HALF_DEPTH_M) for e in own]
        out[key] = LevelLayout(
            key=key,
            elevation_m=float(level.elevation_m),
            walkable=level.walkable,
            wall_segments_m=_wall_segments(level.walkable, gaps),
            grid=grid,
            cells=mask,
        )
    for m in musters:
        walk = levels[m.level_key].walkable
        if not walk.contains(Point(m.position_m)):
            raise InvalidInputError(
                f"muster point {m.id!r} at {np.round(m.position_m, 2).tolist()} m is not on "
                + f"walkable ground of level {m.level_key!r}"
            )
    return EvacuationLayout(
        levels=out, exits=tuple(exits), stairs=stairs, muster_areas=musters, spawn_areas=areas
    )
