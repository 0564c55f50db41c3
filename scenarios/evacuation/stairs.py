"""Stairs between levels: each flight is a narrow 2D lane walked at stair speed.

A stair (:class:`~scenarios.evacuation.layout.StairSpec`) meets its lower level at ``bottom_m``
and its upper level at ``top_m``. The crowd model walks it in the stair's own frame: a rectangle
``x`` in ``[0, L]`` along the pitch (``L`` the walking length along the slope) and ``y`` in
``[0, W]`` across (``W`` the clear width), with side walls, so the same movement kernel that walks
the floors queues people on the flight and the width limits the flow by itself (no flow cap).

- *Entering*: a person whose next portal is a stair end and who comes within their radius plus
  :data:`ENTRY_REACH_M` of the end's segment steps onto the lane at ``x = r`` (bottom) or
  ``x = L - r`` (top), at the matching place across; only if nobody on the lane is in the way.
- *On the lane*: desired direction ``+x`` going up, ``-x`` going down; desired speed the person's
  stair speed (:mod:`solvers.pedestrian.walking_speed`).
- *Leaving*: a person reaching the far end steps onto the other level just past that end's
  segment (:func:`~scenarios.evacuation.routing.stair_arrival_normal`), if the spot is free;
  otherwise they wait at the end of the lane and the flight backs up.

:meth:`StairLane.to_site` maps lane coordinates to the site plan (bilinear between the two end
segments) and :meth:`StairLane.elevation_m` gives the height, for trajectories and hazard sampling.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from scenarios.evacuation.layout import EvacuationLayout, StairSpec
from scenarios.evacuation.routing import stair_arrival_normal
from solvers.pedestrian import walking_speed
from solvers.pedestrian.walls import Walls, walls_from_segments

__all__ = [
    "ARRIVAL_GAP_M",
    "ENTRY_REACH_M",
    "TYPICAL_RISER_M",
    "StairLane",
    "stair_lanes",
    "stair_speed_ratio",
]

#: A person steps onto a stair when their centre is within their radius plus this of the end, m.
ENTRY_REACH_M = 0.2

#: Gap, m, between a body arriving on a level and the stair end's line.
ARRIVAL_GAP_M = 0.05

#: How far the lane's side walls run past each end, m, and where its end caps stand.
_CAP_M = 0.3

#: Riser height assumed to turn a stair's pitch into the riser and tread of the SFPE table, m
#: (7 in, the middle of the table's 6.5-7.5 in).
TYPICAL_RISER_M = 0.178


def stair_speed_ratio(rise_m: float, length_m: float) -> float:
    """Return the ratio of free speed along a stair's pitch to free speed on the flat.

    The SFPE hydraulic model's speed factor ``k`` of the stair (interpolated in the pitch, riser
    :data:`TYPICAL_RISER_M`) over ``k`` of corridors, both at low density
    (:func:`solvers.pedestrian.walking_speed.stair_speed_m_s`); e.g. 7/11 in stairs: 1.08 / 1.40 =
    0.77. The SFPE model gives one speed for both directions, and so does this ratio.

    Parameters
    ----------
    rise_m, length_m : float
        Height climbed and horizontal run of the stair, m; both > 0.

    Returns
    -------
    float
        Speed ratio, dimensionless.

    Examples
    --------
    >>> round(stair_speed_ratio(3.0, 3.0 * 11.0 / 7.0), 3)
    0.771
    """
    tread = min(max(TYPICAL_RISER_M * length_m / rise_m, 0.1), 0.6)
    along, _ = walking_speed.stair_speed_m_s(TYPICAL_RISER_M, tread, 0.0)
    flat = walking_speed.sfpe_speed_m_s(0.0, walking_speed.SFPE_K_CORRIDOR_M_S)
    return float(along) / float(flat)


@dataclass(frozen=True, kw_only=True, eq=False)
class StairLane:
    """One stair as a lane in its own frame.

    Attributes
    ----------
    index : int
        Stair index in the layout.
    spec : StairSpec
        The stair.
    lower, upper : int
        Level indices (layout order) of its two ends.
    bottom_m, top_m : (2, 2) float
        End segments, ordered so that point 0 of both lies on the same side of the flight, m.
    bottom_normal, top_normal : (2,) float
        Unit normals pointing from each end onto its level's floor.
    """

    index: int
    spec: StairSpec
    lower: int
    upper: int
    bottom_m: NDArray[np.float64]
    top_m: NDArray[np.float64]
    bottom_normal: NDArray[np.float64]
    top_normal: NDArray[np.float64]

    @property
    def length_m(self) -> float:
        """Walking length along the pitch, m."""
        return self.spec.slope_length_m

    @property
    def width_m(self) -> float:
        """Clear width, m."""
        return float(self.spec.width_m)

    @cached_property
    def speed_ratio(self) -> float:
        """Free speed along the pitch over free speed on the flat (:func:`stair_speed_ratio`)."""
        return stair_speed_ratio(self.spec.rise_m, self.spec.length_m)

    @cached_property
    def walls(self) -> Walls:
        """Side walls and end caps of the lane, in the lane frame."""
        length, width = self.length_m, self.width_m
        x0, x1 = -_CAP_M, length + _CAP_M
        segs = np.array(
            [
                [[x0, 0.0], [x1, 0.0]],
                [[x0, width], [x1, width]],
                [[x0, 0.0], [x0, width]],
                [[x1, 0.0], [x1, width]],
            ]
        )
        return walls_from_segments(segs)

    def to_site(self, local_m: NDArray[np.float64]) -> NDArray[np.float64]:
        """Map lane points (k, 2) ``(x along, y across)`` to site plan points (k, 2), m."""
        loc = np.asarray(local_m, dtype=np.float64).reshape(-1, 2)
        s = np.clip(loc[:, 0] / self.length_m, 0.0, 1.0)[:, None]
        u = np.clip(loc[:, 1] / self.width_m, 0.0, 1.0)[:, None]
        b = self.bottom_m[0] + u * (self.bottom_m[1] - self.bottom_m[0])
        t = self.top_m[0] + u * (self.top_m[1] - self.top_m[0])
        return np.asarray(b + s * (t - b))

    def elevation_m(
        self, local_m: NDArray[np.float64], lower_elevation_m: float
    ) -> NDArray[np.float64]:
        """Floor height under lane points (k, 2), m."""
        loc = np.asarray(local_m, dtype=np.float64).reshape(-1, 2)
        s = np.clip(loc[:, 0] / self.length_m, 0.0, 1.0)
        return np.asarray(lower_elevation_m + s * self.spec.rise_m)

    def near_end(
        self, end: str, points_m: NDArray[np.float64], radius_m: NDArray[np.float64]
    ) -> NDArray[np.bool_]:
        """Return which points are close enough to an end's segment to step on, (k,) bool."""
        seg = self.bottom_m if end == "bottom" else self.top_m
        a = seg[0]
        ab = seg[1] - a
        ap = np.asarray(points_m, dtype=np.float64).reshape(-1, 2) - a
        t = np.clip(ap @ ab / float(ab @ ab), 0.0, 1.0)
        d = np.hypot(*(ap - t[:, None] * ab).T)
        return np.asarray(d <= radius_m + ENTRY_REACH_M)

    def entry_local(
        self, end: str, points_m: NDArray[np.float64], radius_m: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Lane positions (k, 2) where people at ``points_m`` step on at ``end``, m."""
        seg = self.bottom_m if end == "bottom" else self.top_m
        ab = seg[1] - seg[0]
        ap = np.asarray(points_m, dtype=np.float64).reshape(-1, 2) - seg[0]
        u = np.clip(ap @ ab / float(ab @ ab), 0.0, 1.0)
        r = np.asarray(radius_m, dtype=np.float64)
        y = np.clip(u * self.width_m, r, np.maximum(r, self.width_m - r))
        x = r if end == "bottom" else self.length_m - r
        return np.column_stack([np.broadcast_to(x, y.shape), y])

    def reached_end(
        self,
        local_m: NDArray[np.float64],
        going_up: NDArray[np.bool_],
        radius_m: NDArray[np.float64],
    ) -> NDArray[np.bool_]:
        """Return which lane points have reached the end they walk to, (k,) bool."""
        x = np.asarray(local_m, dtype=np.float64).reshape(-1, 2)[:, 0]
        return np.asarray(np.where(going_up, x >= self.length_m - radius_m, x <= radius_m))

    def arrival_site(
        self,
        going_up: NDArray[np.bool_],
        local_m: NDArray[np.float64],
        radius_m: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """Site points (k, 2) where people leaving the lane step onto the far level, m."""
        loc = np.asarray(local_m, dtype=np.float64).reshape(-1, 2)
        u = np.clip(loc[:, 1] / self.width_m, 0.0, 1.0)[:, None]
        top = self.top_m[0] + u * (self.top_m[1] - self.top_m[0])
        bottom = self.bottom_m[0] + u * (self.bottom_m[1] - self.bottom_m[0])
        up = np.asarray(going_up, dtype=bool)[:, None]
        base = np.where(up, top, bottom)
        normal = np.where(up, self.top_normal[None, :], self.bottom_normal[None, :])
        r = np.asarray(radius_m, dtype=np.float64)[:, None]
        return np.asarray(base + (r + ARRIVAL_GAP_M) * normal)


def stair_lanes(layout: EvacuationLayout) -> tuple[StairLane, ...]:
    """Build the lane of every stair of a layout.

    Parameters
    ----------
    layout : EvacuationLayout
        The layout.

    Returns
    -------
    tuple of StairLane
        In layout order.
    """
    keys = layout.level_keys
    out = []
    for k, s in enumerate(layout.stairs):
        bottom = np.array(s.bottom_m, dtype=np.float64)
        top = np.array(s.top_m, dtype=np.float64)
        straight = np.hypot(*(bottom[0] - top[0])) + np.hypot(*(bottom[1] - top[1]))
        crossed = np.hypot(*(bottom[0] - top[1])) + np.hypot(*(bottom[1] - top[0]))
        if crossed < straight:
            top = top[::-1].copy()
        lower = layout.levels[s.lower_key]
        upper = layout.levels[s.upper_key]
        out.append(
            StairLane(
                index=k,
                spec=s,
                lower=keys.index(s.lower_key),
                upper=keys.index(s.upper_key),
                bottom_m=bottom,
                top_m=top,
                bottom_normal=stair_arrival_normal(bottom, top, lower.walkable),
                top_normal=stair_arrival_normal(top, bottom, upper.walkable),
            )
        )
    return tuple(out)
