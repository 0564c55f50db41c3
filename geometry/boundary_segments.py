"""The boundary of a walkable region as straight wall segments, for the movement models.

Examples
--------
>>> from shapely.geometry import box
>>> boundary_segments(box(0, 0, 4, 3)).shape
(4, 2, 2)
>>> room = box(0, 0, 4, 3)
>>> exit_gap = [[4.0, 1.0], [4.0, 2.0]]
>>> boundary_segments(room, openings_m=[exit_gap]).shape
(5, 2, 2)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import LineString, MultiPolygon, Polygon

__all__ = ["boundary_segments"]

#: Half-width of the strip cut out of the boundary around each opening, m: wide enough for
#: rounding in the coordinates, far below any wall or door size.
_OPENING_TOLERANCE_M = 1e-6


def boundary_segments(
    walkable: Polygon | MultiPolygon,
    obstacles: Iterable[Polygon | MultiPolygon] = (),
    *,
    openings_m: Iterable[ArrayLike] = (),
) -> NDArray[np.float64]:
    """Return the boundary of the walkable region minus obstacles as wall segments.

    Exterior rings, holes and obstacle outlines all become segments; openings (exits, doors drawn
    on the boundary) are cut out so agents can pass through them.

    Parameters
    ----------
    walkable : shapely Polygon or MultiPolygon
        Walkable region, m.
    obstacles : iterable of shapely Polygon or MultiPolygon
        Obstacles subtracted from the walkable region, m.
    openings_m : iterable of (2, 2) float
        Segments ``[[x0, y0], [x1, y1]]`` lying on the boundary, m, removed from it.

    Returns
    -------
    (m, 2, 2) float
        Wall segments ``[[x0, y0], [x1, y1]]``, m; ``(0, 2, 2)`` for an empty region.
    """
    region = walkable
    obstacle_list = list(obstacles)
    if obstacle_list:
        region = shapely.difference(region, shapely.union_all(obstacle_list))
    if region.is_empty:
        return np.zeros((0, 2, 2))
    boundary = region.boundary
    cuts = [LineString(np.asarray(o, dtype=np.float64).reshape(2, 2)) for o in openings_m]
    if cuts:
        boundary = shapely.difference(
            boundary, shapely.union_all(cuts).buffer(_OPENING_TOLERANCE_M, cap_style="flat")
        )
    lines = shapely.get_parts(shapely.line_merge(boundary)) if not boundary.is_empty else []
    pieces = []
    for line in lines:
        xy = shapely.get_coordinates(line)
        if len(xy) >= 2:
            pieces.append(np.stack([xy[:-1], xy[1:]], axis=1))
    if not pieces:
        return np.zeros((0, 2, 2))
    segments = np.concatenate(pieces)
    length = np.hypot(*(segments[:, 1] - segments[:, 0]).T)
    return np.asarray(segments[length > 0.0], dtype=np.float64)
