"""Static floor fields: walking distance to a target on a grid, and the direction that descends it.

Model
-----
The field ``D`` solves the eikonal equation ``|grad D| = s(x)`` on the walkable cells with ``D = 0``
on the target, by fast marching (Sethian 1996; scikit-fmm ``travel_time`` with speed ``1 / s``).
``s`` is a dimensionless slowness: ``1`` gives the geodesic walking distance around obstacles; a
caller can raise it where a hazard should be avoided (``inf`` makes a cell impassable).

Walls are avoided as pedestrians do: people keep a gap to walls and cut corners wide (Weidmann
1993, "Randabstand"; Fruin 1971's edge effect), and a pure geodesic field steers agents tight
along walls and round corners on the inside. As in Kretz (2009) and the wall-avoiding floor
fields of JuPedSim's router, the slowness is raised close to walls: within ``wall_buffer_m`` of
the nearest non-walkable cell it is multiplied by ``1 + G (1 - d / wall_buffer_m)`` (``d`` the
distance to the wall, ``G`` = :data:`WALL_SLOWNESS_GAIN`), so a route clears walls and corners
by up to ``wall_buffer_m`` when it can, and still runs through doors narrower than
``2 * wall_buffer_m``. With ``wall_buffer_m = 0`` the field is the plain (slowness-weighted)
geodesic distance.

Directions are the unit vectors of steepest descent of the field: central differences at each cell
centre (one-sided next to walls and unreachable cells), interpolated bilinearly between the four
cell centres around a point and normalised. Where the gradient vanishes (a ridge between two
routes, the deep inside of a target) the best of the eight neighbour cells is taken instead; a
point in a cell the field does not reach is sent towards the nearest reached cell.
:class:`FloorFieldStack` holds the fields of several exits on one grid and looks up each agent on
its own exit's field in one vectorised call.

References
----------
.. [1] Sethian, J. A. (1996). A fast marching level set method for monotonically advancing fronts.
   PNAS 93(4), 1591-1595.
.. [2] Kretz, T. (2009). Pedestrian traffic: on the quickest path. J. Stat. Mech. P03012.
.. [3] Weidmann, U. (1993). Transporttechnik der Fussgänger. Schriftenreihe des IVT Nr. 90,
   ETH Zürich, section 2.4 (lateral clearance to walls).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import skfmm
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage

from geometry.grid import Grid2D
from solvers._checks import require_non_negative
from solvers.errors import InvalidInputError

__all__ = [
    "DEFAULT_WALL_BUFFER_M",
    "WALL_SLOWNESS_GAIN",
    "FloorField",
    "FloorFieldStack",
    "floor_field",
]

#: Width of the band along walls in which the field's slowness is raised, m. Weidmann (1993,
#: section 2.4) gives lateral clearances of pedestrians to walls of about 0.25-0.45 m; half a metre
#: keeps the centre line of a 1 m door free of any penalty at its middle.
DEFAULT_WALL_BUFFER_M = 0.5

#: Extra slowness right at a wall, dimensionless: a step along a wall costs ``1 + gain`` times a
#: step in the open, so a route 0.5 m off the wall is preferred over one hugging it.
WALL_SLOWNESS_GAIN = 1.0

#: Steepest-descent vectors shorter than this (1/m per m) are treated as undefined.
_FLAT_GRADIENT = 1e-9

#: Offsets ``(dj, di)`` of the eight neighbour cells.
_NEIGHBOURS = np.array(
    [(dj, di) for dj in (-1, 0, 1) for di in (-1, 0, 1) if (dj, di) != (0, 0)], dtype=np.intp
)


@dataclass(frozen=True)
class FloorField:
    """Walking distance to a target on a grid and its steepest-descent directions.

    Attributes
    ----------
    grid : Grid2D
        The grid the field lives on.
    distance_m : (ny, nx) float
        Slowness-weighted walking distance from each cell centre to the target, m; 0 on the target
        and ``inf`` on cells that are not walkable or not connected to the target. Read-only.
    potential_m : (ny, nx) float or None
        Field whose gradient gives the directions: ``distance_m`` outside the target and minus the
        depth into the target inside it, so agents that reach the target keep walking into it.
        None uses ``distance_m``.
    """

    grid: Grid2D
    distance_m: NDArray[np.float64]
    potential_m: NDArray[np.float64] | None = None
    _direction: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _direction_x: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _direction_y: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _distance_flat: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _nearest_reached: NDArray[np.intp] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        dist = np.array(self.distance_m, dtype=np.float64, copy=True)
        if dist.shape != self.grid.shape:
            raise InvalidInputError(
                f"distance_m has shape {dist.shape}: must match grid shape {self.grid.shape}"
            )
        dist[np.isnan(dist)] = np.inf
        dist.flags.writeable = False
        object.__setattr__(self, "distance_m", dist)
        pot = dist if self.potential_m is None else np.array(self.potential_m, dtype=np.float64)
        if pot.shape != dist.shape:
            raise InvalidInputError(
                f"potential_m has shape {pot.shape}: must match grid shape {self.grid.shape}"
            )
        pot = np.where(np.isfinite(dist), pot, np.inf)
        pot.flags.writeable = False
        object.__setattr__(self, "potential_m", pot)
        reached = np.isfinite(dist)
        if reached.any():
            _, nearest = ndimage.distance_transform_edt(~reached, return_indices=True)
        else:
            nearest = np.zeros((2, *dist.shape), dtype=np.intp)
        object.__setattr__(self, "_nearest_reached", np.asarray(nearest, dtype=np.intp))
        direction = _cell_directions(pot, self.grid.cell_size_m)
        object.__setattr__(self, "_direction", direction)
        object.__setattr__(self, "_direction_x", np.ascontiguousarray(direction[..., 0]).ravel())
        object.__setattr__(self, "_direction_y", np.ascontiguousarray(direction[..., 1]).ravel())
        object.__setattr__(self, "_distance_flat", dist.ravel())

    @property
    def is_reachable(self) -> NDArray[np.bool_]:
        """Cells with a finite distance, (ny, nx) bool."""
        return np.asarray(np.isfinite(self.distance_m))

    def _corners(
        self, points_m: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.float64]]:
        """Points as (n, 2), flat indices (4, n) of the surrounding centres, and weights (4, n)."""
        pts = np.asarray(points_m, dtype=np.float64).reshape(-1, 2)
        base, di, dj, tx, ty = self._cell_offsets(pts)
        flat = np.stack([base, base + di, base + dj, base + dj + di])
        w = np.stack([(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty])
        return pts, flat, w

    def _cell_offsets(
        self, pts: NDArray[np.float64]
    ) -> tuple[NDArray[np.intp], int, int, NDArray[np.float64], NDArray[np.float64]]:
        """Locate points among the cell centres for bilinear interpolation.

        Returns the flat index of the lower-left surrounding centre (n,), the flat steps to the
        next centre in x and in y, and the fractional offsets (n,) within the cell of centres.
        """
        ny, nx = self.grid.shape
        h = self.grid.cell_size_m
        fx = np.clip((pts[:, 0] - self.grid.origin_m[0]) * (1.0 / h) - 0.5, 0.0, nx - 1.0)
        fy = np.clip((pts[:, 1] - self.grid.origin_m[1]) * (1.0 / h) - 0.5, 0.0, ny - 1.0)
        i0 = np.minimum(fx.astype(np.intp), max(nx - 2, 0))
        j0 = np.minimum(fy.astype(np.intp), max(ny - 2, 0))
        tx = fx - i0
        ty = fy - j0
        di = 1 if nx > 1 else 0
        dj = nx if ny > 1 else 0
        return j0 * nx + i0, di, dj, tx, ty

    def _nearest_cell(self, pts: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return indices (j, i) of the reached cell nearest to the grid cell holding each point."""
        ny, nx = self.grid.shape
        h = self.grid.cell_size_m
        i = np.clip(np.floor((pts[:, 0] - self.grid.origin_m[0]) / h), 0, nx - 1).astype(np.intp)
        j = np.clip(np.floor((pts[:, 1] - self.grid.origin_m[1]) / h), 0, ny - 1).astype(np.intp)
        return self._nearest_reached[0, j, i], self._nearest_reached[1, j, i]

    def distance_at(self, points_m: ArrayLike) -> NDArray[np.float64]:
        """Return the walking distance to the target at arbitrary points.

        Bilinear interpolation between the four surrounding cell centres, using only the reached
        ones (weights renormalised). A point with no reached centre around it takes the value of
        the nearest reached cell plus its straight distance to that cell's centre.

        Parameters
        ----------
        points_m : (n, 2) float
            Points, m. Points off the grid are clamped onto its edge.

        Returns
        -------
        (n,) float
            Distance, m; ``inf`` only when the field reaches no cell at all.
        """
        pts, flat, w = self._corners(points_m)
        value = np.take(self._distance_flat, flat)
        finite = np.isfinite(value)
        w = np.where(finite, w, 0.0)
        total = w.sum(axis=0)
        out = (w * np.where(finite, value, 0.0)).sum(axis=0) / np.where(total > 0, total, 1.0)
        lost = total <= 1e-12
        if np.any(lost):
            out[lost] = self._fallback_distance(pts[lost])
        return np.asarray(out, dtype=np.float64)

    def _fallback_distance(self, pts: NDArray[np.float64]) -> NDArray[np.float64]:
        """Distance at points with no reached corner: via the nearest reached cell."""
        jn, in_ = self._nearest_cell(pts)
        base = self.distance_m[jn, in_]
        centre = np.column_stack([self.grid.x_m[in_], self.grid.y_m[jn]])
        return np.asarray(base + np.hypot(*(pts - centre).T), dtype=np.float64)

    def direction_at(self, points_m: ArrayLike) -> NDArray[np.float64]:
        """Return unit vectors of steepest descent of the field at arbitrary points.

        Parameters
        ----------
        points_m : (n, 2) float
            Points, m. Points off the grid are clamped onto its edge.

        Returns
        -------
        (n, 2) float
            Unit vectors (dimensionless); zero only where the field reaches no cell or at a cell
            with no lower neighbour (the innermost cell of a target).
        """
        pts = np.asarray(points_m, dtype=np.float64).reshape(-1, 2)
        base, di, dj, tx, ty = self._cell_offsets(pts)
        # unreached cells carry zero vectors, so they drop out of the weighted sum
        out, ok = _interpolated_unit(self._direction_x, self._direction_y, base, di, dj, tx, ty)
        bad = ~ok
        if np.any(bad):
            out[bad] = self._fallback_direction(pts[bad])
        return out

    def _fallback_direction(self, pts: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return directions where interpolation fails: from the nearest reached cell."""
        jn, in_ = self._nearest_cell(pts)
        if not np.isfinite(self.distance_m[jn, in_]).any():
            return np.zeros_like(pts)
        ny, nx = self.grid.shape
        h = self.grid.cell_size_m
        j = np.clip(np.floor((pts[:, 1] - self.grid.origin_m[1]) / h), 0, ny - 1).astype(np.intp)
        i = np.clip(np.floor((pts[:, 0] - self.grid.origin_m[0]) / h), 0, nx - 1).astype(np.intp)
        own = self._direction[jn, in_]
        inside = (jn == j) & (in_ == i)
        centre = np.column_stack([self.grid.x_m[in_], self.grid.y_m[jn]])
        towards = centre - pts
        norm = np.hypot(towards[:, 0], towards[:, 1])
        towards = towards / np.where(norm > 0, norm, 1.0)[:, None]
        # inside a reached cell: its own direction; outside: walk back to the reached cell
        return np.asarray(np.where(inside[:, None], own, towards), dtype=np.float64)


@dataclass(frozen=True)
class FloorFieldStack:
    """Several floor fields on one grid (one per exit), looked up for all agents in one call.

    Each agent names the field it follows; the interpolation weights are computed once for all
    agents and the values gathered from the fields stacked end to end, so a step costs one look-up
    however many exits there are. Results equal those of each field's own methods.

    Attributes
    ----------
    fields : tuple of FloorField
        The fields; all on the same grid.
    """

    fields: tuple[FloorField, ...]
    _direction_x: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _direction_y: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _distance: NDArray[np.float64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = tuple(self.fields)
        if not fields:
            raise InvalidInputError("fields is empty: give at least one FloorField")
        if any(f.grid != fields[0].grid for f in fields):
            raise InvalidInputError("fields: all floor fields of a stack must share one grid")
        object.__setattr__(self, "fields", fields)
        for name, part in (
            ("_direction_x", "_direction_x"),
            ("_direction_y", "_direction_y"),
            ("_distance", "_distance_flat"),
        ):
            object.__setattr__(self, name, np.concatenate([getattr(f, part) for f in fields]))

    def _check_index(self, field_index: ArrayLike, n: int) -> NDArray[np.intp]:
        """Return ``field_index`` as an (n,) int array; raise if out of range."""
        idx = np.asarray(field_index, dtype=np.intp)
        if idx.shape != (n,):
            idx = np.broadcast_to(idx, (n,))
        if n and (idx.min() < 0 or idx.max() >= len(self.fields)):
            raise InvalidInputError(
                f"field_index holds a value outside [0, {len(self.fields) - 1}]: "
                + "each agent must name one of the stacked fields"
            )
        return np.asarray(idx)

    def direction_at(self, points_m: ArrayLike, field_index: ArrayLike) -> NDArray[np.float64]:
        """Return unit steepest-descent vectors, each point on its own field.

        Parameters
        ----------
        points_m : (n, 2) float
            Points, m.
        field_index : (n,) int
            Index into :attr:`fields` for each point.

        Returns
        -------
        (n, 2) float
            As :meth:`FloorField.direction_at` of the named field.
        """
        pts = np.asarray(points_m, dtype=np.float64).reshape(-1, 2)
        idx = self._check_index(field_index, len(pts))
        base, di, dj, tx, ty = self.fields[0]._cell_offsets(pts)
        base += idx * self._cells
        out, ok = _interpolated_unit(self._direction_x, self._direction_y, base, di, dj, tx, ty)
        if not ok.all():
            for k in np.unique(idx[~ok]):
                sel = (~ok) & (idx == k)
                out[sel] = self.fields[k].direction_at(pts[sel])
        return out

    def distance_at(self, points_m: ArrayLike, field_index: ArrayLike) -> NDArray[np.float64]:
        """Return walking distances, each point on its own field.

        Parameters
        ----------
        points_m : (n, 2) float
            Points, m.
        field_index : (n,) int
            Index into :attr:`fields` for each point.

        Returns
        -------
        (n,) float
            As :meth:`FloorField.distance_at` of the named field, m.
        """
        pts, flat, w = self.fields[0]._corners(points_m)
        idx = self._check_index(field_index, len(pts))
        value = np.take(self._distance, flat + idx * self._cells)
        finite = np.isfinite(value)
        w = np.where(finite, w, 0.0)
        total = w.sum(axis=0)
        out = (w * np.where(finite, value, 0.0)).sum(axis=0) / np.where(total > 0, total, 1.0)
        lost = total <= 1e-12
        if lost.any():
            for k in np.unique(idx[lost]):
                sel = lost & (idx == k)
                out[sel] = self.fields[k].distance_at(pts[sel])
        return np.asarray(out, dtype=np.float64)

    @property
    def _cells(self) -> int:
        """Cells per field."""
        ny, nx = self.fields[0].grid.shape
        return ny * nx


def _interpolated_unit(
    field_x: NDArray[np.float64],
    field_y: NDArray[np.float64],
    base: NDArray[np.intp],
    di: int,
    dj: int,
    tx: NDArray[np.float64],
    ty: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Interpolate a flat vector field bilinearly and normalise it.

    Returns unit vectors (n, 2) and where the interpolated vector was long enough to normalise
    (elsewhere the row is meaningless). The four corners are summed in the order
    ``(x0, y0), (x1, y0), (x0, y1), (x1, y1)``.
    """
    w00 = (1 - tx) * (1 - ty)
    w10 = tx * (1 - ty)
    w01 = (1 - tx) * ty
    w11 = tx * ty
    c10 = base + di
    c01 = base + dj
    c11 = c01 + di
    vx = w00 * np.take(field_x, base)
    vx += w10 * np.take(field_x, c10)
    vx += w01 * np.take(field_x, c01)
    vx += w11 * np.take(field_x, c11)
    vy = w00 * np.take(field_y, base)
    vy += w10 * np.take(field_y, c10)
    vy += w01 * np.take(field_y, c01)
    vy += w11 * np.take(field_y, c11)
    norm = np.sqrt(vx * vx + vy * vy)
    ok = norm > 1e-6
    safe = np.where(ok, norm, 1.0)
    out = np.empty((len(base), 2))
    np.divide(vx, safe, out=out[:, 0])
    np.divide(vy, safe, out=out[:, 1])
    return out, ok


def _cell_directions(potential: NDArray[np.float64], h: float) -> NDArray[np.float64]:
    """Return unit steepest-descent vectors at the cell centres, (ny, nx, 2); zero if unreached."""
    padded = np.pad(potential, 1, constant_values=np.inf)
    centre = padded[1:-1, 1:-1]
    reached = np.isfinite(centre)

    def descent(minus: NDArray[np.float64], plus: NDArray[np.float64]) -> NDArray[np.float64]:
        # -dF/dx: central where both sides are reached, one-sided where one is
        both = np.isfinite(minus) & np.isfinite(plus)
        only_minus = np.isfinite(minus) & ~np.isfinite(plus)
        only_plus = ~np.isfinite(minus) & np.isfinite(plus)
        with np.errstate(invalid="ignore"):
            g = np.where(both, (minus - plus) / (2 * h), 0.0)
            g = np.where(only_minus, (minus - centre) / h, g)
            g = np.where(only_plus, (centre - plus) / h, g)
        return np.where(reached, g, 0.0)

    gx = descent(padded[1:-1, :-2], padded[1:-1, 2:])
    gy = descent(padded[:-2, 1:-1], padded[2:, 1:-1])
    vec = np.stack([gx, gy], axis=-1)
    norm = np.hypot(gx, gy)
    flat = reached & (norm <= _FLAT_GRADIENT)
    out = np.where((norm > _FLAT_GRADIENT)[..., None], vec / np.maximum(norm, 1e-300)[..., None], 0)
    if np.any(flat):
        out[flat] = _best_neighbour_direction(padded, np.argwhere(flat))
    return np.asarray(out, dtype=np.float64)


def _best_neighbour_direction(
    padded: NDArray[np.float64], cells: NDArray[np.intp]
) -> NDArray[np.float64]:
    """Return unit vectors from each listed cell to its lowest lower neighbour; zero if none."""
    j = cells[:, 0, None] + 1 + _NEIGHBOURS[None, :, 0]
    i = cells[:, 1, None] + 1 + _NEIGHBOURS[None, :, 1]
    values = padded[j, i]
    own = padded[cells[:, 0] + 1, cells[:, 1] + 1]
    step_length = np.hypot(_NEIGHBOURS[:, 0], _NEIGHBOURS[:, 1])
    with np.errstate(invalid="ignore"):
        slope = (own[:, None] - values) / step_length[None, :]
    slope = np.where(np.isfinite(slope), slope, -np.inf)
    best = np.argmax(slope, axis=1)
    has_lower = slope[np.arange(len(cells)), best] > 0
    offset = _NEIGHBOURS[best][:, ::-1].astype(np.float64)
    unit = offset / np.hypot(offset[:, 0], offset[:, 1])[:, None]
    return np.where(has_lower[:, None], unit, 0.0)


def floor_field(
    grid: Grid2D,
    walkable: ArrayLike,
    target: ArrayLike,
    *,
    slowness: ArrayLike | None = None,
    wall_buffer_m: float = DEFAULT_WALL_BUFFER_M,
) -> FloorField:
    """Compute the floor field of one target by fast marching.

    Parameters
    ----------
    grid : Grid2D
        The grid.
    walkable : (ny, nx) bool
        Cells agents may stand in.
    target : (ny, nx) bool
        Target cells (an exit, a muster point); they count as walkable. The field is the distance
        to the union of their squares.
    slowness : (ny, nx) float, optional
        Dimensionless cost per metre, ``>= 0``; 1 (default) is plain walking distance, higher
        values are avoided (smoke, heat, a toxic cloud) and ``inf`` is impassable.
    wall_buffer_m : float
        Width of the band along walls where slowness is raised, m (:data:`DEFAULT_WALL_BUFFER_M`);
        0 switches wall avoidance off.

    Returns
    -------
    FloorField
        Distances (``inf`` where not walkable or not connected to the target) and directions.

    Raises
    ------
    InvalidInputError
        If the masks do not match the grid, no target cell exists, or ``slowness`` holds a
        negative or NaN value.
    """
    require_non_negative("wall_buffer_m", wall_buffer_m, "m")
    walk = _mask("walkable", walkable, grid)
    goal = _mask("target", target, grid)
    if not goal.any():
        raise InvalidInputError("target has no True cell: give at least one target cell")
    h = grid.cell_size_m
    slow = np.ones(grid.shape) if slowness is None else np.asarray(slowness, dtype=np.float64)
    if slow.shape != grid.shape:
        raise InvalidInputError(
            f"slowness has shape {slow.shape}: must match grid shape {grid.shape}"
        )
    if np.any(np.isnan(slow)) or np.any(slow < 0):
        raise InvalidInputError("slowness holds a NaN or negative value: must be >= 0 (inf blocks)")
    open_cells = (walk | goal) & np.isfinite(slow)
    open_cells |= goal
    if wall_buffer_m > 0:
        # distance from each cell centre to the nearest blocked cell's edge, grid edge included
        blocked_edge = ndimage.distance_transform_edt(np.pad(open_cells, 1)) * h - 0.5 * h
        wall_m = np.asarray(blocked_edge[1:-1, 1:-1])
        ramp = np.clip(1.0 - wall_m / wall_buffer_m, 0.0, 1.0)
        slow = slow * (1.0 + WALL_SLOWNESS_GAIN * ramp)
    with np.errstate(divide="ignore"):
        speed = np.where(goal, 1.0, 1.0 / np.where(slow > 0, slow, 1e-12))
    if goal.all():
        distance = np.zeros(grid.shape)
        return FloorField(grid, distance, potential_m=distance)
    phi = np.ma.MaskedArray(np.where(goal, -1.0, 1.0), mask=~open_cells)
    travel = skfmm.travel_time(phi, np.where(open_cells, speed, 1.0), dx=h, order=2)
    depth = np.ma.filled(travel, np.inf).astype(np.float64)
    depth[~open_cells] = np.inf
    distance = np.where(goal, 0.0, depth)
    potential = np.where(goal, -depth, depth)
    return FloorField(grid, distance, potential_m=potential)


def _mask(name: str, mask: ArrayLike, grid: Grid2D) -> NDArray[np.bool_]:
    """Return ``mask`` as a bool array of the grid's shape; raise naming ``name`` otherwise."""
    arr = np.asarray(mask, dtype=bool)
    if arr.shape != grid.shape:
        raise InvalidInputError(f"{name} has shape {arr.shape}: must match grid shape {grid.shape}")
    return arr
