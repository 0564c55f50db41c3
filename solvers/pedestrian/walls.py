"""Walls as straight segments, with a spatial index for the movement models.

A wall is a segment ``[[x0, y0], [x1, y1]]`` in m; :class:`Walls` holds ``(m, 2, 2)`` of them and
answers the two questions a movement model asks every step:

- which walls lie within a range of each agent, at what distance and along which normal
  (:meth:`Walls.distance_and_normal`, :meth:`Walls.nearest`), for wall repulsion;
- does the straight step of an agent from ``p0`` to ``p1`` meet a wall (:meth:`Walls.crosses`), so
  that no agent ever passes through one.

Index
-----
Each segment is sampled every :data:`SAMPLE_SPACING_M` along its length (end points included) and
the samples go into a :class:`scipy.spatial.cKDTree`, built once. A point within ``r`` of a segment
has a sample of that segment within ``r + SAMPLE_SPACING_M / 2``, so one dual-tree range query
(``cKDTree.sparse_distance_matrix``) finds every candidate (point, segment) pair; exact
point-segment distances and segment-segment intersection tests then run vectorised on the
candidates only. A coarse grid of lower bounds on the distance to the nearest wall, built once,
dismisses points far from every wall before the tree is queried.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from solvers.errors import InvalidInputError

__all__ = [
    "SAMPLE_SPACING_M",
    "WallContacts",
    "Walls",
    "point_segment_distance",
    "segments_meet",
    "walls_from_segments",
]

#: Spacing of the index samples along each wall, m. Smaller is more samples but fewer false
#: candidates; a quarter metre is a fraction of a body width.
SAMPLE_SPACING_M = 0.25

#: Edge length of the clearance grid cells, m (coarser on very large sites, see below).
_CLEARANCE_CELL_M = 0.5

#: Largest number of cells of the clearance grid.
_MAX_CLEARANCE_CELLS = 1_000_000

#: Margin of the clearance grid around the walls' bounding box, m.
_GRID_MARGIN_M = 2.0

#: Walls shorter than this are dropped: a degenerate segment has no direction, m.
_MIN_SEGMENT_LENGTH_M = 1e-9


@dataclass(frozen=True, slots=True)
class WallContacts:
    """Pairs of (point, wall segment) closer than a range, as flat arrays of length ``k``.

    Attributes
    ----------
    point_index : (k,) int
        Index of the query point.
    segment_index : (k,) int
        Index of the wall segment in :attr:`Walls.segments_m`.
    distance_m : (k,) float
        Distance from the point to the closest point of the segment, m.
    normal : (k, 2) float
        Unit vector from the closest point of the segment towards the query point
        (dimensionless); for a point exactly on the segment, the segment's left normal.
    """

    point_index: NDArray[np.intp]
    segment_index: NDArray[np.intp]
    distance_m: NDArray[np.float64]
    normal: NDArray[np.float64]


@dataclass(frozen=True)
class _SampleIndex:
    """Samples along the walls in a k-d tree, and a coarse grid of lower bounds on wall distance.

    ``clearance_m[j, i]`` is a lower bound on the distance from any point of cell ``(j, i)`` to the
    nearest wall, so most points far from walls are dismissed with one array look-up.
    """

    tree: cKDTree | None
    sample_segment: NDArray[np.intp]
    origin_m: tuple[float, float] = (0.0, 0.0)
    cell_m: float = 1.0
    clearance_m: NDArray[np.float64] = field(default_factory=lambda: np.zeros((1, 1)))

    def lower_bound_m(self, points_m: NDArray[np.float64]) -> NDArray[np.float64]:
        """Lower bound on each point's distance to the nearest wall, (n,) m."""
        if self.tree is None:
            return np.full(len(points_m), np.inf)
        ny, nx = self.clearance_m.shape
        i = np.floor((points_m[:, 0] - self.origin_m[0]) / self.cell_m).astype(np.intp)
        j = np.floor((points_m[:, 1] - self.origin_m[1]) / self.cell_m).astype(np.intp)
        inside = (i >= 0) & (j >= 0) & (i < nx) & (j < ny)
        # off the grid a point is at least the grid margin away from every wall
        out = np.full(len(points_m), _GRID_MARGIN_M)
        out[inside] = self.clearance_m[j[inside], i[inside]]
        return out


def _build_index(segments_m: NDArray[np.float64]) -> _SampleIndex:
    """Sample every segment at most :data:`SAMPLE_SPACING_M` apart and index the samples."""
    if len(segments_m) == 0:
        return _SampleIndex(tree=None, sample_segment=np.zeros(0, dtype=np.intp))
    a = segments_m[:, 0, :]
    ab = segments_m[:, 1, :] - a
    length = np.hypot(ab[:, 0], ab[:, 1])
    pieces = np.maximum(1, np.ceil(length / SAMPLE_SPACING_M).astype(np.intp))
    counts = pieces + 1
    seg = np.repeat(np.arange(len(segments_m), dtype=np.intp), counts)
    starts = np.cumsum(counts) - counts
    k = np.arange(len(seg)) - np.repeat(starts, counts)
    t = k / np.repeat(pieces, counts)
    samples = a[seg] + t[:, None] * ab[seg]
    tree = cKDTree(samples)
    lo = samples.min(axis=0) - _GRID_MARGIN_M
    hi = samples.max(axis=0) + _GRID_MARGIN_M
    cell = max(_CLEARANCE_CELL_M, math.sqrt(float(np.prod(hi - lo)) / _MAX_CLEARANCE_CELLS))
    nx = max(1, math.ceil((hi[0] - lo[0]) / cell))
    ny = max(1, math.ceil((hi[1] - lo[1]) / cell))
    xc = lo[0] + (np.arange(nx) + 0.5) * cell
    yc = lo[1] + (np.arange(ny) + 0.5) * cell
    xx, yy = np.meshgrid(xc, yc)
    d_centre, _ = tree.query(np.column_stack([xx.ravel(), yy.ravel()]))
    # every wall point is within half a sample spacing of a sample, every cell point within half a
    # cell diagonal of the centre
    bound = d_centre - 0.5 * SAMPLE_SPACING_M - cell * math.sqrt(0.5)
    clearance = np.maximum(bound, 0.0).reshape(ny, nx)
    return _SampleIndex(
        tree=tree,
        sample_segment=seg,
        origin_m=(float(lo[0]), float(lo[1])),
        cell_m=cell,
        clearance_m=clearance,
    )


@dataclass(frozen=True)
class Walls:
    """Wall segments with a spatial index built once.

    Attributes
    ----------
    segments_m : (m, 2, 2) float
        Segments ``[[x0, y0], [x1, y1]]``, m; read-only. May be empty (``m = 0``): no walls.
    """

    segments_m: NDArray[np.float64]
    _index: _SampleIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        seg = np.array(self.segments_m, dtype=np.float64, copy=True)
        if seg.size == 0:
            seg = np.zeros((0, 2, 2), dtype=np.float64)
        if seg.ndim != 3 or seg.shape[1:] != (2, 2):
            raise InvalidInputError(
                f"segments_m has shape {seg.shape}: must be (m, 2, 2) end points in m"
            )
        if not np.all(np.isfinite(seg)):
            raise InvalidInputError(
                "segments_m holds a non-finite coordinate: all must be finite m"
            )
        length = np.hypot(*(seg[:, 1, :] - seg[:, 0, :]).T)
        seg = seg[length > _MIN_SEGMENT_LENGTH_M]
        seg.flags.writeable = False
        object.__setattr__(self, "segments_m", seg)
        object.__setattr__(self, "_index", _build_index(seg))

    @property
    def count(self) -> int:
        """Number of wall segments."""
        return int(self.segments_m.shape[0])

    def _candidates(
        self,
        points_m: NDArray[np.float64],
        range_m: float | NDArray[np.float64],
        *,
        unique: bool = True,
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """(point, segment) pairs that may lie within ``range_m`` (scalar or per point).

        With ``unique=False`` a pair may be listed more than once (cheaper when only "any" counts).
        """
        index = self._index
        empty = np.zeros(0, dtype=np.intp)
        if index.tree is None or len(points_m) == 0:
            return empty, empty
        near = np.flatnonzero(index.lower_bound_m(points_m) <= range_m)
        if len(near) == 0:
            return empty, empty
        reach = float(np.max(np.broadcast_to(range_m, (len(points_m),))[near]))
        hits = cKDTree(points_m[near]).sparse_distance_matrix(
            index.tree, reach + 0.5 * SAMPLE_SPACING_M, output_type="ndarray"
        )
        if len(hits) == 0:
            return empty, empty
        point = near[hits["i"]]
        seg = index.sample_segment[hits["j"]]
        if not unique:
            return point, seg
        key = point * self.count + seg
        size = len(points_m) * self.count
        if size <= 8 * len(key) + 65536:
            # a mask over all (point, segment) keys: sorted and unique as np.unique, without the
            # sort
            seen = np.zeros(size, dtype=bool)
            seen[key] = True
            key = np.flatnonzero(seen)
        else:
            key = np.unique(key)
        return key // self.count, key % self.count

    def candidates_within(
        self, points_m: NDArray[np.float64], range_m: float | NDArray[np.float64]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return (point, segment) pairs closer than ``range_m`` (scalar or per point), once each.

        Parameters
        ----------
        points_m : (n, 2) float
            Points, m.
        range_m : float or (n,) float
            Range, m.

        Returns
        -------
        point_index, segment_index : (k,) int
            Pairs with exact point-segment distance <= the point's range.
        """
        pts = _as_points("points_m", points_m)
        point, seg = self._candidates(pts, range_m)
        if len(point) == 0:
            return point, seg
        dist, _ = point_segment_distance(pts[point], self.segments_m[seg])
        keep = dist <= np.broadcast_to(range_m, (len(pts),))[point]
        return point[keep], seg[keep]

    def clearance_lower_bound_m(self, points_m: ArrayLike) -> NDArray[np.float64]:
        """Return a cheap lower bound on each point's distance to the nearest wall.

        Parameters
        ----------
        points_m : (n, 2) float
            Points, m.

        Returns
        -------
        (n,) float
            Lower bound, m (``inf`` when there are no walls); exact distances are at least this.
        """
        return self._index.lower_bound_m(_as_points("points_m", points_m))

    def distance_and_normal(self, points_m: ArrayLike, max_range_m: float) -> WallContacts:
        """Find every wall within ``max_range_m`` of each point.

        Parameters
        ----------
        points_m : (n, 2) float
            Query points, m.
        max_range_m : float
            Search range, m; must be >= 0.

        Returns
        -------
        WallContacts
            One row per (point, segment) pair with distance <= ``max_range_m``.

        Raises
        ------
        InvalidInputError
            If ``points_m`` is not (n, 2) or ``max_range_m`` is negative or not finite.
        """
        pts = _as_points("points_m", points_m)
        if not (math.isfinite(max_range_m) and max_range_m >= 0):
            raise InvalidInputError(
                f"max_range_m = {max_range_m!r} m: must be a finite number >= 0"
            )
        point, seg = self._candidates(pts, max_range_m)
        dist, normal = point_segment_distance(pts[point], self.segments_m[seg])
        keep = dist <= max_range_m
        return WallContacts(
            point_index=point[keep],
            segment_index=seg[keep],
            distance_m=dist[keep],
            normal=normal[keep],
        )

    def nearest(
        self, points_m: ArrayLike, max_range_m: float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Distance to, and unit normal from, the nearest wall of each point within a range.

        Parameters
        ----------
        points_m : (n, 2) float
            Query points, m.
        max_range_m : float
            Search range, m.

        Returns
        -------
        distance_m : (n,) float
            Distance to the nearest wall, m; ``inf`` where no wall is within range.
        normal : (n, 2) float
            Unit vector from that wall towards the point; zero where no wall is within range.
        """
        pts = _as_points("points_m", points_m)
        contacts = self.distance_and_normal(pts, max_range_m)
        n = len(pts)
        distance = np.full(n, np.inf)
        normal = np.zeros((n, 2))
        if len(contacts.distance_m) == 0:
            return distance, normal
        # sort by distance descending so the nearest contact of each point is written last
        order = np.argsort(-contacts.distance_m, kind="stable")
        idx = contacts.point_index[order]
        distance[idx] = contacts.distance_m[order]
        normal[idx] = contacts.normal[order]
        return distance, normal

    def crossings(
        self, p0_m: ArrayLike, p1_m: ArrayLike
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """List the (step, segment) pairs where the step from ``p0`` to ``p1`` meets a wall.

        Touching counts as meeting (an end point on a wall, or a step along a wall), so the test
        errs on the safe side.

        Parameters
        ----------
        p0_m, p1_m : (n, 2) float
            Start and end points of ``n`` straight steps, m.

        Returns
        -------
        step_index : (k,) int
            Index of the step.
        segment_index : (k,) int
            Index of the wall segment it meets (a pair may be listed more than once).
        """
        a = _as_points("p0_m", p0_m)
        b = _as_points("p1_m", p1_m)
        if a.shape != b.shape:
            raise InvalidInputError(
                f"p0_m has shape {a.shape} and p1_m {b.shape}: they must have the same (n, 2) shape"
            )
        empty = np.zeros(0, dtype=np.intp)
        if len(a) == 0 or self.count == 0:
            return empty, empty
        step = b - a
        # a wall meeting the step comes within half the step length of its midpoint
        half = 0.5 * np.hypot(step[:, 0], step[:, 1])
        step_idx, seg = self._candidates(a + 0.5 * step, half, unique=False)
        if len(step_idx) == 0:
            return empty, empty
        hit = segments_meet(a[step_idx], b[step_idx], self.segments_m[seg])
        return step_idx[hit], seg[hit]

    def crosses(self, p0_m: ArrayLike, p1_m: ArrayLike) -> NDArray[np.bool_]:
        """Test whether each straight step from ``p0`` to ``p1`` meets any wall.

        Parameters
        ----------
        p0_m, p1_m : (n, 2) float
            Start and end points of ``n`` straight steps, m.

        Returns
        -------
        (n,) bool
            True where the closed step segment shares a point with a wall segment.
        """
        step_idx, _ = self.crossings(p0_m, p1_m)
        hit = np.zeros(len(np.asarray(p0_m).reshape(-1, 2)), dtype=bool)
        hit[step_idx] = True
        return hit


def walls_from_segments(segments_m: ArrayLike) -> Walls:
    """Build :class:`Walls` from segments.

    Parameters
    ----------
    segments_m : (m, 2, 2) float
        Wall segments ``[[x0, y0], [x1, y1]]``, m. Zero-length segments are dropped.

    Returns
    -------
    Walls
        The walls with their spatial index.

    Raises
    ------
    InvalidInputError
        If the array is not (m, 2, 2) or holds a non-finite coordinate.
    """
    return Walls(np.asarray(segments_m, dtype=np.float64))


def _as_points(name: str, points: ArrayLike) -> NDArray[np.float64]:
    """Return ``points`` as an (n, 2) float array; raise naming ``name`` otherwise."""
    pts = np.asarray(points, dtype=np.float64)
    if pts.size == 0:
        return np.zeros((0, 2))
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise InvalidInputError(f"{name} has shape {pts.shape}: must be (n, 2) points in m")
    return pts


def point_segment_distance(
    points_m: NDArray[np.float64], segments_m: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return row-wise distances from points to segments and unit normals towards the points.

    Parameters
    ----------
    points_m : (k, 2) float
        Points, m.
    segments_m : (k, 2, 2) float
        One segment per point, m; non-degenerate.

    Returns
    -------
    distance_m : (k,) float
        Distance from each point to its segment, m.
    normal : (k, 2) float
        Unit vector from the closest point of the segment to the point (the segment's left
        normal for a point on it).
    """
    # component arrays: cheaper than (k, 2) row arithmetic for the short arrays of a step
    ax = segments_m[:, 0, 0]
    ay = segments_m[:, 0, 1]
    abx = segments_m[:, 1, 0] - ax
    aby = segments_m[:, 1, 1] - ay
    apx = points_m[:, 0] - ax
    apy = points_m[:, 1] - ay
    t = np.clip((apx * abx + apy * aby) / (abx * abx + aby * aby), 0.0, 1.0)
    normal = np.empty((len(t), 2))
    awayx = np.subtract(apx, t * abx, out=normal[:, 0])
    awayy = np.subtract(apy, t * aby, out=normal[:, 1])
    dist = np.hypot(awayx, awayy)
    on_wall = dist == 0.0
    if np.any(on_wall):
        safe = np.where(on_wall, 1.0, dist)
        normal /= safe[:, None]
        left = np.column_stack([-aby, abx])
        left /= np.hypot(left[:, 0], left[:, 1])[:, None]
        normal[on_wall] = left[on_wall]
    else:
        normal /= dist[:, None]
    return dist, normal


def _cross(u: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise z-component of the cross product of 2D vectors."""
    return np.asarray(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0])


def segments_meet(
    p0: NDArray[np.float64], p1: NDArray[np.float64], segments_m: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Test row-wise whether closed segments ``[p0, p1]`` and the wall segments share a point.

    Parameters
    ----------
    p0, p1 : (k, 2) float
        End points of the moving segments (steps, sight lines), m.
    segments_m : (k, 2, 2) float
        One wall segment per row, m; non-degenerate.

    Returns
    -------
    (k,) bool
        True where the two closed segments intersect or touch.
    """
    a = segments_m[:, 0, :]
    b = segments_m[:, 1, :]
    ab = b - a
    step = p1 - p0
    o1 = _cross(ab, p0 - a)
    o2 = _cross(ab, p1 - a)
    o3 = _cross(step, a - p0)
    o4 = _cross(step, b - p0)
    proper = (o1 * o2 <= 0.0) & (o3 * o4 <= 0.0)
    # Collinear pieces pass the sign test without touching; keep them only if their projections
    # on the wall's line overlap.
    collinear = (o1 == 0.0) & (o2 == 0.0)
    if np.any(collinear):
        denom = np.einsum("ij,ij->i", ab, ab)
        t0 = np.einsum("ij,ij->i", p0 - a, ab) / denom
        t1 = np.einsum("ij,ij->i", p1 - a, ab) / denom
        overlap = (np.maximum(t0, t1) >= 0.0) & (np.minimum(t0, t1) <= 1.0)
        proper = np.where(collinear, overlap, proper)
    return np.asarray(proper, dtype=bool)
