"""The navigation grid of a level: walkable cells with no 4-neighbour step through a wall.

Rule
----
1. A cell is walkable when its centre is strictly inside the level's walkable region and its square
   shares no interior point with the level's obstacles (walls, columns and equipment cut at body
   height, :attr:`geometry.floor_plan.Level.obstacles`). The square test is exact
   (:func:`geometry.grid.squares_overlap`) and runs only on the cells near the obstacles' boundary
   (:func:`geometry.grid.cells_near_boundary`).
2. Openings are carved back: for each door, exit or gate of the level, the cells whose centre is
   inside the walkable region and inside the opening's strip (:func:`opening_strip`: the segment
   pushed out perpendicular to itself by half a typical wall thickness plus one cell on each side,
   bounded laterally exactly by its end points) are walkable.
3. Every step between walkable 4-neighbours that could still leave the walkable region (a step
   with a carved end, or with an end near the floor's own edge: fence, stairwell, open floor edge)
   is tested exactly; a step that leaves the walkable region or touches an obstacle loses its
   non-carved end cell (both ends if both or neither are carved).

Why no step crosses an obstacle
-------------------------------
A 4-neighbour step joins the centres of two cells ``A`` and ``B`` sharing an edge; the segment runs
through the interior of ``A``, the open shared edge and the interior of ``B``. If neither square
shares an interior point with a (closed, polygonal) obstacle ``O``, then ``O`` misses the open
squares, and it misses the open shared edge too: a point of ``O`` there would have interior points
of ``O`` arbitrarily close, inside one of the open squares. So a step between two cells kept by
rule 1 never meets an obstacle, not even touching it. The only steps that can are those with a
carved end: a carved cell may straddle a wall face or a door jamb, and a partition thinner than half
a cell meeting the jamb can lie wholly inside it, between its centre and a neighbour whose square is
clear. Rule 3 tests those steps exactly. It also tests the steps that could cut a corner of ground
that is neither walkable nor obstacle (outside the fence or the floor, a stairwell): such a step
crosses the boundary of walkable + obstacles inside one of its two squares, so one of its ends is
among the cells near that boundary. Removing cells only removes steps, so rule 3 leaves no failing
step behind. Carved cells in the same strip keep their step when the opening is a proper gap: the
strip is convex and clear.

Cost
----
Cells whose square overlaps a wall are lost: a corridor keeps its cells at least half a cell clear
of the walls, so at 0.5 m cells a 1.2 m corridor keeps one or two cells across, and a room loses a
ring of up to one cell along its walls. Openings keep the cells whose centres lie between their end
points, so a door wider than one cell keeps at least one column of cells through the wall, unless
the step test finds that column stepping through an obstacle (an opening drawn wider than its gap
in the wall).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geometry._checks import require_positive
from geometry.floor_plan import Level, Opening
from geometry.grid import Grid2D, cells_near_boundary, rasterise, squares_overlap

__all__ = ["TYPICAL_WALL_THICKNESS_M", "opening_strip", "step_segments", "walkable_cells"]

logger = logging.getLogger(__name__)

#: Wall thickness, m, assumed around an opening: its strip reaches half of it plus one cell beyond
#: the opening's line on each side (sample-site walls are 0.2 to 0.4 m thick).
TYPICAL_WALL_THICKNESS_M = 0.3


def opening_strip(segment_m: NDArray[np.float64], *, half_depth_m: float) -> Polygon:
    """Rectangle swept by an opening segment pushed perpendicular to itself both ways.

    Parameters
    ----------
    segment_m : (2, 2) float
        End points ``[[x0, y0], [x1, y1]]`` of the opening, m.
    half_depth_m : float
        Distance, m, the strip reaches on each side of the segment's line. Must be > 0.

    Returns
    -------
    shapely Polygon
        The rectangle, bounded laterally exactly by the lines through the end points perpendicular
        to the segment.

    Raises
    ------
    GeometryError
        If ``half_depth_m`` is not > 0.
    """
    depth = require_positive("half_depth_m", half_depth_m, "m")
    p0, p1 = np.asarray(segment_m, dtype=np.float64).reshape(2, 2)
    along = p1 - p0
    normal = np.array([-along[1], along[0]]) / math.hypot(along[0], along[1]) * depth
    return Polygon([p0 - normal, p1 - normal, p1 + normal, p0 + normal])


def step_segments(grid: Grid2D, cells_ji: NDArray[np.intp], axis: int) -> NDArray[np.object_]:
    """Segments from the listed cells' centres to their next neighbour along ``axis``.

    Parameters
    ----------
    grid : Grid2D
        The grid.
    cells_ji : (n, 2) int
        Cell indices ``[j, i]`` of the first end of each step.
    axis : {0, 1}
        0: step to ``[j + 1, i]`` (north); 1: step to ``[j, i + 1]`` (east).

    Returns
    -------
    (n,) object
        shapely LineStrings between the two centres, m.
    """
    ji = np.asarray(cells_ji, dtype=np.intp).reshape(-1, 2)
    h = grid.cell_size_m
    start = np.column_stack([grid.x_m[ji[:, 1]], grid.y_m[ji[:, 0]]])
    end = start + (np.array([0.0, h]) if axis == 0 else np.array([h, 0.0]))
    return np.asarray(shapely.linestrings(np.stack([start, end], axis=1)), dtype=object)


def _failing_steps(
    mask: NDArray[np.bool_],
    suspect: NDArray[np.bool_],
    grid: Grid2D,
    walkable: Polygon | MultiPolygon,
    obstacles: Polygon | MultiPolygon,
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Return the ends ``(a_ji, b_ji)`` of suspect steps leaving walkable or meeting obstacles."""
    out = []
    for axis in (0, 1):
        a = (slice(0, -1), slice(None)) if axis == 0 else (slice(None), slice(0, -1))
        b = (slice(1, None), slice(None)) if axis == 0 else (slice(None), slice(1, None))
        a_ji = np.argwhere(mask[a] & mask[b] & (suspect[a] | suspect[b]))
        if len(a_ji) == 0:
            continue
        lines = step_segments(grid, a_ji, axis)
        bad = ~shapely.covered_by(lines, walkable)
        if not obstacles.is_empty:
            bad |= shapely.intersects(lines, obstacles)
        a_bad = a_ji[bad]
        out.append((a_bad, a_bad + (np.array([1, 0]) if axis == 0 else np.array([0, 1]))))
    return out


def walkable_cells(
    level: Level,
    grid: Grid2D,
    *,
    openings: Iterable[Opening] = (),
    wall_thickness_m: float = TYPICAL_WALL_THICKNESS_M,
) -> NDArray[np.bool_]:
    """Walkable cells of a level: no 4-neighbour step between them crosses an obstacle.

    See the module notes for the rule, the argument and its cost.

    Parameters
    ----------
    level : Level
        Walkable region and obstacles (cut at body height), m.
    grid : Grid2D
        Target grid.
    openings : iterable of Opening
        Doors, exits and gates whose cells are carved back (any level id is accepted: the caller
        picks the openings of this level).
    wall_thickness_m : float
        Wall thickness assumed around openings, m; the carve strip reaches ``wall_thickness_m / 2 +
        grid.cell_size_m`` on each side of an opening. Must be > 0.

    Returns
    -------
    (ny, nx) bool
        True where the cell is walkable.

    Raises
    ------
    GeometryError
        If ``wall_thickness_m`` is not > 0.
    """
    half_depth = 0.5 * require_positive("wall_thickness_m", wall_thickness_m, "m")
    half_depth += grid.cell_size_m
    walkable, obstacles = level.walkable, level.obstacles
    centre_in = rasterise(walkable, grid)
    mask = centre_in.copy()
    if not obstacles.is_empty:
        near = np.argwhere(centre_in & cells_near_boundary(obstacles, grid))
        blocked = squares_overlap(obstacles, grid, near)
        mask[near[blocked, 0], near[blocked, 1]] = False

    carved = np.zeros(grid.shape, dtype=bool)
    for opening in openings:
        strip = opening_strip(opening.segment_m, half_depth_m=half_depth)
        carved |= rasterise(strip, grid) & centre_in
    carved &= ~mask
    mask |= carved

    floor = shapely.union(walkable, obstacles) if not obstacles.is_empty else walkable
    suspect = carved | (cells_near_boundary(floor, grid) & mask)
    shapely.prepare(walkable)
    dropped = 0
    for a_ji, b_ji in _failing_steps(mask, suspect, grid, walkable, obstacles):
        a_carved = carved[a_ji[:, 0], a_ji[:, 1]]
        b_carved = carved[b_ji[:, 0], b_ji[:, 1]]
        both_or_neither = a_carved == b_carved
        for ji, keep in ((a_ji, a_carved & ~both_or_neither), (b_ji, b_carved & ~both_or_neither)):
            drop = ji[~keep]
            dropped += int(mask[drop[:, 0], drop[:, 1]].sum())
            mask[drop[:, 0], drop[:, 1]] = False
    logger.debug(
        "level %r: %d walkable cells (%d carved at openings, %d dropped by the step test)",
        level.id,
        int(mask.sum()),
        int(carved.sum()),
        dropped,
    )
    return mask
