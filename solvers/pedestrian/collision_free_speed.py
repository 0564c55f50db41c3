"""Collision-free speed model (Tordeux, Chraibi & Seyfried 2016), vectorised over all agents.

Model
-----
A first-order model: each agent ``i`` moves with velocity ``v_i = V(s_i) e_i``.

- Direction ``e_i``: the unit vector of ``e0_i + sum_j R_ij + sum_w R_iw`` with ``e0_i`` the desired
  direction, neighbour repulsion ``R_ij = -a exp((l_ij - d_ij) / D) (x_j - x_i) / d_ij``
  (``l_ij = r_i + r_j``, ``d_ij`` the centre distance) and wall repulsion
  ``R_iw = -a_w exp((r_i - d_iw) / D_w) (c_w - x_i) / d_iw`` (``c_w`` the closest point of
  wall ``w``).
- Speed ``V(s) = min(v0_i, max(0, s / T))`` with ``s_i = min_j (d_ij - l_ij)`` over the neighbours
  ``j`` ahead of ``i`` (``e_i . (x_j - x_i) >= 0``) whose centre lies in the corridor of half-width
  ``l_ij`` around the line of motion (``|e_i^perp . (x_j - x_i)| <= l_ij``); ``T`` is the time gap.

This is the model as JuPedSim implements it (``CollisionFreeSpeedModel``, libsimulator, v1.x):
the same spacing and corridor, the same repulsion terms, neighbours hidden behind a wall ignored,
and the same published defaults (:class:`CollisionFreeSpeedParameters`). Two departures, both on
the side of safety and documented: repulsion terms smaller than
:attr:`CollisionFreeSpeedParameters.negligible_repulsion` are dropped (JuPedSim sums all neighbours
within 3 m; the dropped terms are below 1e-4 of the unit desired direction), and the two safety
rules of :mod:`solvers.pedestrian._common` (no wall crossing, no new overlap) are applied to the
proposed positions.

Time step
---------
Positions are advanced by explicit Euler, ``x += v dt``. The speed rule keeps the gap to the agent
ahead from closing within a step when ``dt <= T`` (the follower covers at most ``s dt / T <= s``);
JuPedSim's default is ``dt = 0.01 s`` (:data:`DEFAULT_DT_S`), which the benchmark uses (the
validation cases run at 0.05 s to stay short; see :mod:`scenarios.validation.pedestrian_cases`).
The model runs stably with ``dt`` up to about ``0.05 s`` (tested); larger steps make the direction
term react late to walls and neighbours.

Neighbours come from a :class:`scipy.spatial.cKDTree` (``query_pairs``) kept as a Verlet list
(:class:`NeighbourList`: rebuilt only when an agent has moved more than half its skin), and all
per-pair terms are accumulated with ``np.add.reduceat`` / ``np.minimum.reduceat`` over the pairs
sorted by agent; no Python loop runs over agents.

References
----------
.. [1] Tordeux, A., Chraibi, M., Seyfried, A. (2016). Collision-free speed model for pedestrian
   dynamics. In: Traffic and Granular Flow '15, Springer, 2016 (the speed function and the
   direction model).
.. [2] JuPedSim 1.x documentation, ``jupedsim.CollisionFreeSpeedModel`` and
   ``CollisionFreeSpeedModelAgentParameters`` (defaults: T = 1 s, v0 = 1.2 m/s, r = 0.2 m,
   neighbour repulsion 8 / 0.1 m, geometry repulsion 5 / 0.02 m, dt = 0.01 s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from solvers._checks import require_non_negative, require_positive
from solvers.pedestrian._common import (
    NeighbourList,
    StepResult,
    check_step_inputs,
    current_neighbour_list,
    hidden_pairs,
    keep_off_walls,
    sum_by_agent,
    sum_over_neighbours,
    undo_overlaps,
    wall_contacts,
)
from solvers.pedestrian.walls import Walls

__all__ = [
    "DEFAULT_DESIRED_SPEED_M_S",
    "DEFAULT_DT_S",
    "DEFAULT_RADIUS_M",
    "CollisionFreeSpeedParameters",
    "NeighbourList",
    "StepResult",
    "step",
]

#: Desired (free walking) speed default, m/s. JuPedSim CollisionFreeSpeedModelAgentParameters.
DEFAULT_DESIRED_SPEED_M_S = 1.2
#: Agent radius default, m. JuPedSim CollisionFreeSpeedModelAgentParameters.
DEFAULT_RADIUS_M = 0.2
#: Time step default, s. JuPedSim ``Simulation(dt=0.01)``.
DEFAULT_DT_S = 0.01


@dataclass(frozen=True, slots=True, kw_only=True)
class CollisionFreeSpeedParameters:
    """Model parameters of the collision-free speed model.

    Attributes
    ----------
    time_gap_s : float
        Time gap ``T``, s. Tordeux et al. (2016) and JuPedSim: 1 s.
    neighbour_repulsion_strength : float
        ``a``, dimensionless (a fraction of the unit desired direction). JuPedSim: 8.
    neighbour_repulsion_range_m : float
        ``D``, m. JuPedSim: 0.1 m.
    wall_repulsion_strength : float
        ``a_w``, dimensionless. JuPedSim: 5.
    wall_repulsion_range_m : float
        ``D_w``, m. JuPedSim: 0.02 m.
    negligible_repulsion : float
        Repulsion terms below this magnitude are dropped, which sets the search ranges;
        dimensionless. 1e-4.
    hide_neighbours_behind_walls : bool
        Ignore neighbours whose connecting line meets a wall (as JuPedSim does). True.
    neighbour_skin_m : float
        Skin of the neighbour list, m (see :class:`NeighbourList`): larger lists, rebuilt less
        often. 0.3 m (a rebuild every ~10 steps at dt = 0.01 s); no effect on results.
    """

    time_gap_s: float = 1.0
    neighbour_repulsion_strength: float = 8.0
    neighbour_repulsion_range_m: float = 0.1
    wall_repulsion_strength: float = 5.0
    wall_repulsion_range_m: float = 0.02
    negligible_repulsion: float = 1e-4
    hide_neighbours_behind_walls: bool = True
    neighbour_skin_m: float = 0.3

    def __post_init__(self) -> None:
        require_positive("time_gap_s", self.time_gap_s, "s")
        require_non_negative("neighbour_repulsion_strength", self.neighbour_repulsion_strength, "")
        require_positive("neighbour_repulsion_range_m", self.neighbour_repulsion_range_m, "m")
        require_non_negative("wall_repulsion_strength", self.wall_repulsion_strength, "")
        require_positive("wall_repulsion_range_m", self.wall_repulsion_range_m, "m")
        require_positive("negligible_repulsion", self.negligible_repulsion, "")
        require_positive("neighbour_skin_m", self.neighbour_skin_m, "m")

    def repulsion_reach_m(self, strength: float, range_m: float) -> float:
        """Return the gap beyond contact at which a repulsion term becomes negligible, m."""
        if strength <= self.negligible_repulsion:
            return 0.0
        return range_m * math.log(strength / self.negligible_repulsion)


def step(
    positions_m: ArrayLike,
    desired_direction: ArrayLike,
    desired_speed_m_s: ArrayLike,
    radius_m: ArrayLike,
    *,
    walls: Walls,
    dt_s: float = DEFAULT_DT_S,
    params: CollisionFreeSpeedParameters | None = None,
    active: ArrayLike | None = None,
    moving: ArrayLike | None = None,
    neighbours: NeighbourList | None = None,
) -> StepResult:
    """Advance all agents by one time step of the collision-free speed model.

    Parameters
    ----------
    positions_m : (n, 2) float
        Agent centres, m.
    desired_direction : (n, 2) float
        Unit desired directions (e.g. from :meth:`FloorField.direction_at`); a zero vector means
        "no wish to move" (the agent stands still but is still seen by others).
    desired_speed_m_s : (n,) float or float
        Free walking speeds ``v0``, m/s, >= 0.
    radius_m : (n,) float or float
        Body radii, m, > 0.
    walls : Walls
        Wall segments.
    dt_s : float
        Time step, s; default 0.01 s (JuPedSim's default).
    params : CollisionFreeSpeedParameters, optional
        Model parameters; JuPedSim's defaults when None.
    active : (n,) bool, optional
        Agents taking part in the simulation. Inactive agents (evacuated, not yet spawned) neither
        move nor are seen by others. All active when None.
    moving : (n,) bool, optional
        Active agents allowed to move this step; the others (waiting for their pre-movement time,
        incapacitated) stand still but block others. All when None.
    neighbours : NeighbourList, optional
        The list returned by the previous step (:attr:`StepResult.neighbours`); reused while it
        holds, rebuilt otherwise. Only the run time depends on it (and repulsion terms below
        ``params.negligible_repulsion``, which a reused list may still include).

    Returns
    -------
    StepResult
        New positions (n, 2) m, step velocities (n, 2) m/s and the neighbour list used.

    Raises
    ------
    InvalidInputError
        If an array has the wrong shape, a value is not finite, a speed is negative, a radius is
        not positive, or ``dt_s`` is not positive.
    """
    prm = params if params is not None else CollisionFreeSpeedParameters()
    inputs = check_step_inputs(
        positions_m,
        desired_direction,
        desired_speed_m_s,
        radius_m,
        dt_s=dt_s,
        active=active,
        moving=moving,
    )
    pos = inputs.positions_m
    present = inputs.present
    n = len(pos)
    if not present.any():
        return StepResult(positions_m=pos.copy(), velocities_m_s=np.zeros_like(pos))
    e0 = inputs.desired_direction
    v0 = np.where(inputs.moving, inputs.desired_speed_m_s, 0.0)
    radius = inputs.radius_m
    r_max = float(radius[present].max())
    v_max = float(v0.max())
    reach_n = prm.repulsion_reach_m(
        prm.neighbour_repulsion_strength, prm.neighbour_repulsion_range_m
    )
    reach_w = prm.repulsion_reach_m(prm.wall_repulsion_strength, prm.wall_repulsion_range_m)
    # pairs that matter for repulsion, for the speed rule (gap < v0 T) and the overlap rule
    cutoff = 2 * r_max + max(reach_n, v_max * prm.time_gap_s, 2 * v_max * dt_s)
    # walls that matter for repulsion and for the crossing rule
    wall_range = max(r_max + reach_w, v_max * dt_s)
    nbr = current_neighbour_list(
        neighbours,
        pos,
        present,
        radius,
        cutoff_m=cutoff,
        wall_range_m=wall_range,
        skin_m=prm.neighbour_skin_m,
        walls=walls,
    )
    me, other, contact = nbr.me, nbr.other, nbr.contact_m
    # component arrays: gathers from 1-D arrays are much faster than row gathers from (n, 2)
    px = pos[:, 0]
    py = pos[:, 1]
    dx = px[other] - px[me]
    dy = py[other] - py[me]
    dist = np.sqrt(dx * dx + dy * dy)
    gap = dist - contact
    # pairs that can overlap after the step, for the overlap rule (each counted once)
    close = np.flatnonzero(gap < 2 * v_max * dt_s + 1e-9)
    close = close[me[close] < other[close]]
    close_i, close_j = me[close], other[close]
    # pairs that do not interact this step: a wall between them (the list holds only pairs of
    # agents present now)
    ignored = hidden_pairs(nbr, walls, pos) if prm.hide_neighbours_behind_walls else None

    # neighbour repulsion: pushes each agent away from the other
    mag = np.exp(gap * (-1.0 / prm.neighbour_repulsion_range_m))
    mag *= prm.neighbour_repulsion_strength / np.maximum(dist, 1e-12)
    if ignored is not None:
        mag[ignored] = 0.0
    push_x = -sum_over_neighbours(nbr, mag * dx, n)
    push_y = -sum_over_neighbours(nbr, mag * dy, n)

    # wall repulsion: along the wall normal, away from the wall
    d_w = None
    if walls.count:
        k, _, d_w, normal = wall_contacts(nbr, walls, pos, present)
        mag_w = prm.wall_repulsion_strength * np.exp((radius[k] - d_w) / prm.wall_repulsion_range_m)
        push_x += sum_by_agent(k, mag_w * normal[:, 0], n)
        push_y += sum_by_agent(k, mag_w * normal[:, 1], n)

    dir_x = e0[:, 0] + push_x
    dir_y = e0[:, 1] + push_y
    norm = np.sqrt(dir_x * dir_x + dir_y * dir_y)
    ok = norm > 1e-12
    safe = np.where(ok, norm, 1.0)
    dir_x = np.where(ok, dir_x / safe, e0[:, 0])
    dir_y = np.where(ok, dir_y / safe, e0[:, 1])

    # speed rule: gap to the nearest neighbour ahead within the corridor of half-width l
    ex = dir_x[me]
    ey = dir_y[me]
    blocking = ex * dx + ey * dy >= 0.0
    blocking &= np.abs(ex * dy - ey * dx) <= contact
    if ignored is not None:
        blocking &= ~ignored
    gap = np.where(blocking, gap, np.inf)
    spacing = np.full(n, np.inf)
    if len(me):
        spacing[nbr.owners] = np.minimum.reduceat(gap, nbr.starts)
    wants = (e0[:, 0] != 0.0) | (e0[:, 1] != 0.0)
    speed = np.where(wants, np.minimum(v0, np.maximum(0.0, spacing / prm.time_gap_s)), 0.0)

    proposed = pos.copy()
    proposed[:, 0] += speed * dt_s * dir_x
    proposed[:, 1] += speed * dt_s * dir_y
    if walls.count:
        proposed = keep_off_walls(nbr, walls, pos, proposed, present, clearance_m=d_w)
    proposed = undo_overlaps(pos, proposed, radius, close_i, close_j)
    return StepResult(positions_m=proposed, velocities_m_s=(proposed - pos) / dt_s, neighbours=nbr)
