"""Straight segments and polylines: lengths and unit normals, vectorised with numpy.

A segment is a ``(2, 2)`` array ``[[x0, y0], [x1, y1]]`` in m (doors, exits, gates, stair ends); a
polyline is an ``(n, d)`` array of ``n`` points in ``d = 2`` or ``3`` dimensions (wall centre lines,
pipe paths).

Examples
--------
>>> segment_length_m([[0.0, 0.0], [3.0, 4.0]])
5.0
>>> polyline_length_m([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0], [3.0, 4.0, 2.0]])
7.0
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["polyline_length_m", "segment_length_m", "segment_normal"]


def segment_length_m(segment_m: ArrayLike) -> float:
    """Length of a segment, m.

    Parameters
    ----------
    segment_m : (2, 2) float
        End points ``[[x0, y0], [x1, y1]]``, m.

    Returns
    -------
    float
        Distance between the end points, m.
    """
    seg = np.asarray(segment_m, dtype=np.float64)
    return float(np.hypot(*(seg[1] - seg[0])))


def polyline_length_m(path_m: ArrayLike) -> float:
    """Length of a polyline, m: the sum of its pieces.

    Parameters
    ----------
    path_m : (n, d) float
        Points, m, ``n >= 1``, ``d`` = 2 or 3.

    Returns
    -------
    float
        Total length, m; 0 for a single point.
    """
    path = np.asarray(path_m, dtype=np.float64)
    return float(np.sum(np.linalg.norm(np.diff(path, axis=0), axis=1)))


def segment_normal(segment_m: ArrayLike) -> NDArray[np.float64]:
    """Return the unit normal of a segment pointing to its right (seen from its first end).

    Parameters
    ----------
    segment_m : (2, 2) float
        End points ``[[x0, y0], [x1, y1]]``, m; they must differ.

    Returns
    -------
    (2,) float
        ``(dy, -dx) / length``, dimensionless.
    """
    seg = np.asarray(segment_m, dtype=np.float64)
    dx, dy = seg[1] - seg[0]
    normal: NDArray[np.float64] = np.array([dy, -dx]) / np.hypot(dx, dy)
    return normal
