"""Routes through a layout: floor fields to every portal and the route cost between them.

A *portal* is a place on a level people walk to: an exit (its apron beyond the exit line), one end
of a stair, or a muster area. Each portal has a floor field on its level
(:func:`solvers.pedestrian.floor_field.floor_field`: walking distance by fast marching). Passing a
portal may bring a person onto another level (a stair's other end, the outdoor level behind a
building exit), at an *arrival point* on that level.

The route graph joins portal ``P`` to every portal ``Q`` of ``P``'s arrival level with the weight
``transfer_m(P) + D_Q(arrival(P))``, where ``transfer_m`` is a stair's walking length along the
pitch divided by its speed ratio in the direction ``P`` enters it
(:func:`scenarios.evacuation.stairs.stair_speed_ratios`, the model's own stair speeds): the flat
walk that takes as long. Shortest paths over this small graph
(:func:`scipy.sparse.csgraph.shortest_path`) give ``cost[P, G]``, the walking distance from
portal ``P`` to goal ``G`` in metres of flat walking; a person at ``x`` on level ``L`` is
``min_Q D_Q(x) + cost[Q, G]`` from ``G`` over the portals ``Q`` of ``L``, and walks towards the
minimising ``Q`` (the *next portal*).

Hazards steer routes through the fields' slowness (cost per metre, ``inf`` impassable):
:meth:`Router.set_slowness` recomputes one level's fields and the graph.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from scipy.sparse.csgraph import shortest_path
from shapely.geometry import LineString, Point, Polygon

from geometry.grid import Grid2D, rasterise
from scenarios.evacuation.layout import EXIT_APRON_DEPTH_M, EvacuationLayout
from scenarios.evacuation.stairs import (
    DEFAULT_STAIR_SPEED_MODEL,
    STAIR_SPEED_MODELS,
    stair_arrival_normal,
    stair_speed_ratios,
)
from solvers._checks import require_choice
from solvers.errors import InvalidInputError
from solvers.pedestrian.floor_field import FloorField, FloorFieldStack, floor_field

__all__ = [
    "ARRIVAL_OFFSET_M",
    "FIELD_STACK_BYTES",
    "STAIR_CAPTURE_M",
    "Portal",
    "Router",
    "stair_arrival_normal",
]

logger = logging.getLogger(__name__)

#: People arriving on a level through a portal are placed this far past its line, m (plus their
#: radius when placed by the model); the arrival point of the route graph lies at this distance.
ARRIVAL_OFFSET_M = 0.5

#: Reach of a stair end's target area from its segment, m.
STAIR_CAPTURE_M = 0.4

#: Largest stack of a level's fields kept for the direction look-up, bytes (three float64 values
#: per cell and field); a level beyond it asks each field in turn.
FIELD_STACK_BYTES = 128_000_000


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Portal:
    """A place people walk to on one level.

    Attributes
    ----------
    index : int
        Position in :attr:`Router.portals`.
    level : int
        Level index (layout order) the portal is on.
    kind : str
        ``"exit"``, ``"stair"`` or ``"muster"``.
    ref : int
        Index of the exit, stair or muster area in the layout.
    end : str
        ``"bottom"`` or ``"top"`` for a stair end; ``""`` otherwise.
    target : (ny, nx) bool
        Target cells on the level's grid.
    arrival_level : int
        Level reached by passing the portal; -1 when passing it ends the walk.
    arrival_point_m : (2,) float
        Where one arrives on ``arrival_level``, m (NaN when there is none).
    transfer_m : float
        Route cost of passing the portal, m of flat walking: for a stair end, the stair's length
        along the pitch over its speed ratio in the direction walked from this end; else 0.
    """

    index: int
    level: int
    kind: str
    ref: int
    end: str
    target: NDArray[np.bool_]
    arrival_level: int
    arrival_point_m: NDArray[np.float64]
    transfer_m: float


def _target_cells(
    grid: Grid2D, cells: NDArray[np.bool_], region: Polygon, fallback_m: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Cells of ``region`` among ``cells``; the cell holding ``fallback_m`` if that is none."""
    mask = rasterise(region, grid) & cells
    if not mask.any():
        j, i = grid.cell_of(fallback_m.reshape(1, 2))[0]
        if j >= 0:
            mask[j, i] = True
    return mask


class Router:
    """Floor fields of every portal and the portal-to-portal route costs of a layout.

    Parameters
    ----------
    layout : EvacuationLayout
        The layout.
    stair_speed_model : str
        Stair speed model of the route costs, one of
        :data:`~scenarios.evacuation.stairs.STAIR_SPEED_MODELS` (the crowd model's own).

    Raises
    ------
    InvalidInputError
        If a portal has no target cell, an arrival point is off the walkable floor or the stair
        speed model is unknown.
    """

    def __init__(
        self, layout: EvacuationLayout, *, stair_speed_model: str = DEFAULT_STAIR_SPEED_MODEL
    ) -> None:
        require_choice("stair_speed_model", stair_speed_model, STAIR_SPEED_MODELS)
        self.layout = layout
        self.stair_speed_model = stair_speed_model
        keys = layout.level_keys
        self._levels = [layout.levels[k] for k in keys]
        portals: list[Portal] = []
        nan2 = np.full(2, np.nan)
        for k, e in enumerate(layout.exits):
            lv = self._levels[keys.index(e.level_key)]
            n = e.outward_normal
            p0, p1 = e.segment_m
            depth = max(EXIT_APRON_DEPTH_M, 3.0 * lv.grid.cell_size_m)
            beyond = Polygon([p0, p1, p1 + depth * n, p0 + depth * n])
            target = _target_cells(lv.grid, lv.cells, beyond, e.midpoint_m + 0.5 * depth * n)
            if e.leads_to is not None:
                arrival_level = keys.index(e.leads_to)
                arrival = e.midpoint_m + ARRIVAL_OFFSET_M * n
                self._check_on_floor(arrival, e.leads_to, f"exit {e.id!r} arrival point")
            else:
                arrival_level, arrival = -1, nan2
            portals.append(
                Portal(
                    index=len(portals),
                    level=keys.index(e.level_key),
                    kind="exit",
                    ref=k,
                    end="",
                    target=target,
                    arrival_level=arrival_level,
                    arrival_point_m=arrival,
                    transfer_m=0.0,
                )
            )
        for k, s in enumerate(layout.stairs):
            lo, up = keys.index(s.lower_key), keys.index(s.upper_key)
            ratio_up, ratio_down = stair_speed_ratios(s.rise_m, s.length_m, stair_speed_model)
            # walked up from the bottom end, down from the top end
            transfer = {
                "bottom": s.slope_length_m / ratio_up,
                "top": s.slope_length_m / ratio_down,
            }
            ends = (
                ("bottom", lo, s.bottom_m, up, s.top_m),
                ("top", up, s.top_m, lo, s.bottom_m),
            )
            for end, lv_idx, seg, other_idx, other_seg in ends:
                lv = self._levels[lv_idx]
                other = self._levels[other_idx]
                reach = max(STAIR_CAPTURE_M, 0.75 * lv.grid.cell_size_m)
                region = LineString(seg).buffer(reach)
                target = _target_cells(lv.grid, lv.cells, region, np.mean(seg, axis=0))
                normal = stair_arrival_normal(other_seg, seg, other.walkable)
                arrival = np.mean(other_seg, axis=0) + ARRIVAL_OFFSET_M * normal
                self._check_on_floor(arrival, other.key, f"stair {s.id!r} {end} arrival point")
                portals.append(
                    Portal(
                        index=len(portals),
                        level=lv_idx,
                        kind="stair",
                        ref=k,
                        end=end,
                        target=target,
                        arrival_level=other_idx,
                        arrival_point_m=arrival,
                        transfer_m=transfer[end],
                    )
                )
        for k, m in enumerate(layout.muster_areas):
            lv_idx = keys.index(m.level_key)
            lv = self._levels[lv_idx]
            disc = Point(m.position_m).buffer(m.radius_m)
            portals.append(
                Portal(
                    index=len(portals),
                    level=lv_idx,
                    kind="muster",
                    ref=k,
                    end="",
                    target=_target_cells(lv.grid, lv.cells, disc, m.position_m),
                    arrival_level=-1,
                    arrival_point_m=nan2,
                    transfer_m=0.0,
                )
            )
        for p in portals:
            if not p.target.any():
                raise InvalidInputError(
                    f"{p.kind} {self._portal_name(p)!r}: no floor-field cell at it on level "
                    + f"{keys[p.level]!r}; check that it lies on the level's walkable floor"
                )
        self.portals: tuple[Portal, ...] = tuple(portals)
        self.level_portals: list[NDArray[np.intp]] = [
            np.array([p.index for p in portals if p.level == li], dtype=np.intp)
            for li in range(len(keys))
        ]
        self.exit_portal = np.array([p.index for p in portals if p.kind == "exit"], dtype=np.intp)
        self.muster_portal = np.array(
            [p.index for p in portals if p.kind == "muster"], dtype=np.intp
        )
        self._slowness: dict[int, NDArray[np.float64] | None] = {}
        self._stacks: dict[int, FloorFieldStack | None] = {}
        self._nearest_cells: dict[int, NDArray[np.intp]] = {}
        self._local_index = np.zeros(len(portals), dtype=np.intp)
        for qs in self.level_portals:
            self._local_index[qs] = np.arange(len(qs))
        self.fields: list[FloorField] = [self._field(p) for p in portals]
        self.cost = self._route_costs()

    # ------------------------------------------------------------------------------ building

    def _portal_name(self, p: Portal) -> str:
        if p.kind == "exit":
            return self.layout.exits[p.ref].id
        if p.kind == "stair":
            return f"{self.layout.stairs[p.ref].id} {p.end}"
        return self.layout.muster_areas[p.ref].id

    def portal_name(self, index: int) -> str:
        """Return a readable name of portal ``index`` (exit id, stair id and end, muster id)."""
        return self._portal_name(self.portals[index])

    def _check_on_floor(self, point: NDArray[np.float64], key: str, what: str) -> None:
        if not self.layout.levels[key].walkable.contains(Point(point)):
            raise InvalidInputError(
                f"{what} {np.round(point, 2).tolist()} m is not on walkable floor of level "
                + f"{key!r}; the exit or stair end must open onto walkable floor"
            )

    def _field(self, p: Portal) -> FloorField:
        lv = self._levels[p.level]
        slowness = self._slowness.get(p.level)
        if slowness is not None:
            open_cells = lv.cells & np.isfinite(slowness) & ~p.target
            ring = ndimage.binary_dilation(p.target) & open_cells
            if not ring.any():
                # the hazard walls the target in: nothing reaches it
                logger.info("%s %r cut off by the hazard", p.kind, self._portal_name(p))
                return FloorField(lv.grid, np.where(p.target, 0.0, np.inf))
        return floor_field(lv.grid, lv.cells, p.target, slowness=slowness)

    def _route_costs(self) -> NDArray[np.float64]:
        """All-pairs portal route costs, (n_portals, n_portals) m; inf where unreachable."""
        n = len(self.portals)
        weights = np.zeros((n, n))
        for p in self.portals:
            if p.arrival_level < 0:
                continue
            for q in self.level_portals[p.arrival_level]:
                d = float(self.fields[q].distance_at(p.arrival_point_m.reshape(1, 2))[0])
                if np.isfinite(d) and q != p.index:
                    # a zero weight means "no edge" to csgraph: keep a tiny positive cost
                    weights[p.index, q] = max(p.transfer_m + d, 1e-9)
        cost = shortest_path(weights, method="D", directed=True)
        return np.asarray(cost, dtype=np.float64)

    # ------------------------------------------------------------------------------- queries

    def set_slowness(self, level: int, slowness: NDArray[np.float64] | None) -> None:
        """Recompute the fields of one level with a slowness grid (None: plain distance).

        Parameters
        ----------
        level : int
            Level index.
        slowness : (ny, nx) float or None
            Cost per metre on the level's grid (>= 1 in practice; ``inf`` impassable).
        """
        self._slowness[level] = slowness
        for q in self.level_portals[level]:
            self.fields[q] = self._field(self.portals[q])
        self._stacks.pop(level, None)
        self.cost = self._route_costs()

    def portal_distances(self, level: int, points_m: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return walking distances from points to every portal of a level, (n, k) m.

        A point whose nearest field cell the portal's field does not reach (a walled-in part of
        the floor) is ``inf`` from it, not the straight-line guess of
        :meth:`~solvers.pedestrian.floor_field.FloorField.distance_at`.
        """
        pts = np.asarray(points_m, dtype=np.float64).reshape(-1, 2)
        qs = self.level_portals[level]
        out = np.empty((len(pts), len(qs)))
        jn, in_ = self._nearest_field_cell(level, pts)
        for c, q in enumerate(qs):
            field = self.fields[q]
            d = field.distance_at(pts)
            out[:, c] = np.where(np.isfinite(field.distance_m[jn, in_]), d, np.inf)
        return out

    def _nearest_field_cell(
        self, level: int, pts: NDArray[np.float64]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return indices (j, i) of the field cell nearest to the grid cell of each point."""
        nearest = self._nearest_cells.get(level)
        lv = self._levels[level]
        if nearest is None:
            _, idx = ndimage.distance_transform_edt(~lv.cells, return_indices=True)
            nearest = self._nearest_cells[level] = np.asarray(idx, dtype=np.intp)
        ny, nx = lv.grid.shape
        h = lv.grid.cell_size_m
        i = np.clip((pts[:, 0] - lv.grid.origin_m[0]) // h, 0, nx - 1).astype(np.intp)
        j = np.clip((pts[:, 1] - lv.grid.origin_m[1]) // h, 0, ny - 1).astype(np.intp)
        return nearest[0, j, i], nearest[1, j, i]

    def goal_costs(
        self, level: int, points_m: NDArray[np.float64], goals: NDArray[np.intp]
    ) -> NDArray[np.float64]:
        """Route distance from points on a level to each goal portal, (n, g) m; inf unreachable."""
        d = self.portal_distances(level, points_m)
        qs = self.level_portals[level]
        if len(qs) == 0:
            return np.full((len(points_m), len(goals)), np.inf)
        via = d[:, :, None] + self.cost[np.ix_(qs, goals)][None, :, :]
        return np.asarray(via.min(axis=1))

    def next_portals(
        self, level: int, points_m: NDArray[np.float64], goal: NDArray[np.intp]
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Portal of the level each person walks to for their goal, and the route distance.

        Parameters
        ----------
        level : int
            Level index.
        points_m : (n, 2) float
            Positions, m.
        goal : (n,) int
            Goal portal of each person.

        Returns
        -------
        portal : (n,) int
            Next portal; -1 where the goal cannot be reached from the level.
        distance_m : (n,) float
            Route distance to the goal, m (inf where unreachable).
        """
        qs = self.level_portals[level]
        if len(qs) == 0 or len(points_m) == 0:
            return np.full(len(points_m), -1, dtype=np.intp), np.full(len(points_m), np.inf)
        d = self.portal_distances(level, points_m)
        total = d + self.cost[np.ix_(qs, np.arange(len(self.portals)))][:, goal].T
        best = np.argmin(total, axis=1)
        dist = total[np.arange(len(points_m)), best]
        portal = np.where(np.isfinite(dist), qs[best], -1)
        return portal.astype(np.intp), dist

    def directions(
        self, level: int, points_m: NDArray[np.float64], portal: NDArray[np.intp]
    ) -> NDArray[np.float64]:
        """Return unit walking directions to each person's next portal, (n, 2); zero if none.

        The level's fields are stacked (:class:`~solvers.pedestrian.floor_field.FloorFieldStack`)
        so one look-up serves everyone whatever their portal; a level too large for the stack
        (:data:`FIELD_STACK_BYTES`) asks each field in turn.
        """
        pts = np.asarray(points_m, dtype=np.float64).reshape(-1, 2)
        out = np.zeros((len(pts), 2))
        rows = np.flatnonzero(portal >= 0)
        if len(rows) == 0:
            return out
        stack = self._stack(level)
        if stack is not None:
            out[rows] = stack.direction_at(pts[rows], self._local_index[portal[rows]])
            return out
        for q in self.level_portals[level]:
            sel = portal == q
            if sel.any():
                out[sel] = self.fields[q].direction_at(pts[sel])
        return out

    def _stack(self, level: int) -> FloorFieldStack | None:
        """Return the stacked fields of a level (built on first use), None if too large."""
        if level not in self._stacks:
            qs = self.level_portals[level]
            ny, nx = self._levels[level].grid.shape
            fits = len(qs) > 0 and len(qs) * ny * nx * 24 <= FIELD_STACK_BYTES
            self._stacks[level] = (
                FloorFieldStack(tuple(self.fields[q] for q in qs)) if fits else None
            )
        return self._stacks[level]

    def level_cells(self, level: int) -> tuple[Grid2D, NDArray[np.bool_]]:
        """Grid and field cells of a level."""
        lv = self._levels[level]
        return lv.grid, lv.cells

    def describe(self) -> Mapping[str, float]:
        """Route cost from each portal to the nearest final goal, m (for logs and reports)."""
        goals = [p.index for p in self.portals if p.arrival_level < 0]
        return {
            self.portal_name(p.index): float(self.cost[p.index, goals].min()) if goals else np.inf
            for p in self.portals
        }
