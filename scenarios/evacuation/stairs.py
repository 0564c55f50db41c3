"""Stairs between levels: each flight is a narrow 2D lane walked at stair speed.

A stair (:class:`~scenarios.evacuation.layout.StairSpec`) meets its lower level at ``bottom_m``
and its upper level at ``top_m``. The crowd model walks it in the stair's own frame: a rectangle
``x`` in ``[0, L]`` along the pitch (``L`` the walking length along the slope) and ``y`` in
``[0, W]`` across (``W`` the clear width), with side walls, so the same movement kernel that walks
the floors queues people on the flight and the width limits the flow by itself (no flow cap).

- *Entering*: a person whose next portal is a stair end and who comes within their radius plus
  :data:`ENTRY_REACH_M` of the end's segment steps onto the lane at ``x = r`` (bottom) or
  ``x = L - r`` (top), at the matching place across; only if nobody on the lane is in the way.
- *On the lane*: desired direction ``+x`` going up, ``-x`` going down. The stair scales the whole
  speed-spacing relation of the movement model by the stair's speed ratio for the person's
  direction (:func:`stair_speed_ratios`): the desired speed is the person's free speed on the
  flat times the ratio, and the time gap is divided by it, so a person on the stair walks at
  ``ratio`` times the speed they would walk on the flat at the same spacing. This is the
  hydraulic model's rule (SFPE: speed on a stair = ``k_stair / k_corridor`` times the corridor
  speed at the same density), and it keeps the stair's flow capacity below the floor's by the
  same factor; the density effect itself comes from the crowd on the lane.
- *Leaving*: a person reaching the far end steps onto the other level just past that end's
  segment (:func:`stair_arrival_normal`), if the spot is free; otherwise they wait at the end of
  the lane and the flight backs up.

:meth:`StairLane.to_site` maps lane coordinates to the site plan (bilinear between the two end
segments) and :meth:`StairLane.elevation_m` gives the height, for trajectories and hazard sampling.

Stair speed models (:data:`STAIR_SPEED_MODELS`): the ratios of free speed along the pitch to free
speed on the flat, going up and going down.

- ``"sfpe_direction"`` (default): the SFPE hydraulic model's speed (``k`` of the stair over ``k``
  of corridors, :func:`stair_speed_ratio`) for a walk up and back down, split between the two
  directions in the proportion of Weidmann's (1993) mean stair speeds, 0.694 / 0.610: descending
  is about 14 % faster than ascending. The SFPE speed is the harmonic mean of the two (a round
  trip takes as long as at the SFPE speed). This keeps the speed level of the engineering
  reference that the RiMEA stair-crowd comparison (test 13) uses and adds the direction that
  the SFPE table does not give.
- ``"weidmann_direction"``: Weidmann's (1993) mean horizontal stair speeds themselves, 0.610 m/s
  up and 0.694 m/s down, along the pitch, over his mean free speed on the flat, 1.34 m/s
  (:func:`solvers.pedestrian.walking_speed.weidmann_stair_speed_m_s`). About 25 % (up) to 15 %
  (down) slower than the SFPE free speed on a 30 degree stair, and slower than the speeds the
  SFPE density relation gives on crowded stairs.
- ``"sfpe"``: :func:`stair_speed_ratio` both ways (the SFPE model has one speed).

Each person keeps their own free-speed ratio (someone 10 % faster than the mean on the flat is
10 % faster on stairs), and the route costs of :class:`~scenarios.evacuation.routing.Router` use
the same ratios.

References
----------
.. [1] Weidmann, U. (1993). Transporttechnik der Fussgänger. Schriftenreihe des IVT Nr. 90,
   ETH Zürich, 2nd ed.: mean speeds on stairs, 0.610 m/s up and 0.694 m/s down (horizontal).
.. [2] Gwynne, S. M. V., Rosenbaum, E. R. (2016). Employing the hydraulic model in assessing
   emergency movement. SFPE Handbook of Fire Protection Engineering, 5th ed., ch. 59: ``k`` of
   corridors and stairs, ``S = k - a k D`` on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from numpy.typing import NDArray

from scenarios.evacuation.layout import EvacuationLayout, StairSpec
from solvers._checks import require_choice
from solvers.pedestrian import walking_speed
from solvers.pedestrian.walls import Walls, walls_from_segments

__all__ = [
    "ARRIVAL_GAP_M",
    "DEFAULT_STAIR_SPEED_MODEL",
    "ENTRY_REACH_M",
    "STAIR_SPEED_MODELS",
    "TYPICAL_RISER_M",
    "StairLane",
    "stair_arrival_normal",
    "stair_lanes",
    "stair_speed_ratio",
    "stair_speed_ratios",
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

#: Stair speed models (module docstring): the SFPE speed split by direction after Weidmann (1993),
#: Weidmann's direction speeds themselves, or the SFPE hydraulic model's one speed.
STAIR_SPEED_MODELS = ("sfpe_direction", "weidmann_direction", "sfpe")

#: Stair speed model used unless another is chosen.
DEFAULT_STAIR_SPEED_MODEL = "sfpe_direction"

#: Distance, m, from a stair end to the probe points that tell its floor side from its stair side.
_SIDE_PROBE_M = 0.5


def stair_arrival_normal(
    segment_m: NDArray[np.float64],
    other_end_m: NDArray[np.float64],
    walkable: shapely.Geometry,
) -> NDArray[np.float64]:
    """Return the unit normal of a stair end pointing onto its level's floor, off the stair.

    The side with walkable floor just past the segment wins; if both sides are walkable (a stair
    end drawn across open floor), the side facing away from the stair's other end.

    Parameters
    ----------
    segment_m : (2, 2) float
        The stair end on this level, m.
    other_end_m : (2, 2) float
        The stair's other end (on the other level), m.
    walkable : shapely geometry
        This level's walkable region.

    Returns
    -------
    (2,) float
        Unit normal.
    """
    seg = np.asarray(segment_m, dtype=np.float64)
    d = seg[1] - seg[0]
    n = np.array([d[1], -d[0]]) / float(np.hypot(d[0], d[1]))
    mid = seg.mean(axis=0)
    probes = shapely.points(np.array([mid + _SIDE_PROBE_M * n, mid - _SIDE_PROBE_M * n]))
    inside = shapely.contains(walkable, probes)
    if inside[0] != inside[1]:
        return n if inside[0] else -n
    away = mid - np.asarray(other_end_m, dtype=np.float64).mean(axis=0)
    return n if float(away @ n) >= 0.0 else -n


def _tread_m(rise_m: float, length_m: float) -> float:
    """Tread of a stair of :data:`TYPICAL_RISER_M` risers at the pitch rise / length, m."""
    return min(max(TYPICAL_RISER_M * length_m / rise_m, 0.1), 0.6)


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
    along, _ = walking_speed.stair_speed_m_s(TYPICAL_RISER_M, _tread_m(rise_m, length_m), 0.0)
    flat = walking_speed.sfpe_speed_m_s(0.0, walking_speed.SFPE_K_CORRIDOR_M_S)
    return float(along) / float(flat)


def stair_speed_ratios(
    rise_m: float, length_m: float, model: str = DEFAULT_STAIR_SPEED_MODEL
) -> tuple[float, float]:
    """Return the ratios of free speed along a stair's pitch to free speed on the flat, up and down.

    - ``"sfpe_direction"``: ``r (u + d) / (2 d)`` up and ``r (u + d) / (2 u)`` down, with ``r``
      the SFPE ratio (:func:`stair_speed_ratio`) and ``u``, ``d`` Weidmann's mean stair speeds
      0.610 and 0.694 m/s; ``r`` is their harmonic mean, and down / up = 0.694 / 0.610.
    - ``"weidmann_direction"``: Weidmann's mean horizontal stair speeds along the pitch over his
      mean free speed on the flat, 1.34 m/s
      (:func:`solvers.pedestrian.walking_speed.weidmann_stair_speed_m_s`).
    - ``"sfpe"``: ``r`` both ways.

    The pitch is ``rise_m / length_m``, turned into a stair of :data:`TYPICAL_RISER_M` risers
    (treads held within 0.1-0.6 m). A person's desired speed on the stair is their free speed on
    the flat times the ratio of their direction; the route costs count a metre of stair as
    ``1 / ratio`` metres of flat walking.

    Parameters
    ----------
    rise_m, length_m : float
        Height climbed and horizontal run of the stair, m; both > 0.
    model : str
        One of :data:`STAIR_SPEED_MODELS`.

    Returns
    -------
    up, down : float
        Speed ratios going up and going down, dimensionless.

    Raises
    ------
    InvalidInputError
        If the model is unknown.

    Examples
    --------
    >>> up, down = stair_speed_ratios(3.0, 3.0 * 11.0 / 7.0)  # 7 in risers, 11 in treads
    >>> round(up, 3), round(down, 3), round(2 * up * down / (up + down), 3)
    (0.725, 0.825, 0.771)
    >>> up, down = stair_speed_ratios(1.0, 3.0**0.5, "weidmann_direction")  # 30 degrees
    >>> round(up, 3), round(down, 3)
    (0.526, 0.598)
    """
    require_choice("stair speed model", model, STAIR_SPEED_MODELS)
    up_m_s = walking_speed.WEIDMANN_STAIR_UP_SPEED_M_S
    down_m_s = walking_speed.WEIDMANN_STAIR_DOWN_SPEED_M_S
    if model == "weidmann_direction":
        along, _ = walking_speed.weidmann_stair_speed_m_s(
            TYPICAL_RISER_M, _tread_m(rise_m, length_m), going_up=[True, False]
        )
        flat = walking_speed.WEIDMANN_FREE_SPEED_M_S
        return float(along[0]) / flat, float(along[1]) / flat
    ratio = stair_speed_ratio(rise_m, length_m)
    if model == "sfpe":
        return ratio, ratio
    mean = 0.5 * (up_m_s + down_m_s)
    return ratio * mean / down_m_s, ratio * mean / up_m_s


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
    speed_model : str
        Stair speed model, one of :data:`STAIR_SPEED_MODELS`.
    """

    index: int
    spec: StairSpec
    lower: int
    upper: int
    bottom_m: NDArray[np.float64]
    top_m: NDArray[np.float64]
    bottom_normal: NDArray[np.float64]
    top_normal: NDArray[np.float64]
    speed_model: str = DEFAULT_STAIR_SPEED_MODEL

    @property
    def length_m(self) -> float:
        """Walking length along the pitch, m."""
        return self.spec.slope_length_m

    @property
    def width_m(self) -> float:
        """Clear width, m."""
        return float(self.spec.width_m)

    @cached_property
    def speed_ratio_up(self) -> float:
        """Free speed along the pitch going up over free speed on the flat."""
        return stair_speed_ratios(self.spec.rise_m, self.spec.length_m, self.speed_model)[0]

    @cached_property
    def speed_ratio_down(self) -> float:
        """Free speed along the pitch going down over free speed on the flat."""
        return stair_speed_ratios(self.spec.rise_m, self.spec.length_m, self.speed_model)[1]

    @property
    def speed_ratio(self) -> float:
        """One speed ratio for the stair: that of a walk up and back down (harmonic mean)."""
        up, down = self.speed_ratio_up, self.speed_ratio_down
        return 2.0 * up * down / (up + down)

    def speed_ratio_of(self, going_up: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Return the speed ratio of each direction in ``going_up`` (True up), (k,)."""
        return np.where(going_up, self.speed_ratio_up, self.speed_ratio_down)

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


def stair_lanes(
    layout: EvacuationLayout, *, speed_model: str = DEFAULT_STAIR_SPEED_MODEL
) -> tuple[StairLane, ...]:
    """Build the lane of every stair of a layout.

    Parameters
    ----------
    layout : EvacuationLayout
        The layout.
    speed_model : str
        Stair speed model, one of :data:`STAIR_SPEED_MODELS`.

    Returns
    -------
    tuple of StairLane
        In layout order.

    Raises
    ------
    InvalidInputError
        If the speed model is unknown.
    """
    require_choice("stair speed model", speed_model, STAIR_SPEED_MODELS)
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
                speed_model=speed_model,
            )
        )
    return tuple(out)
