"""Social force model (Helbing, Farkas & Vicsek 2000), vectorised over all agents.

Model
-----
A second-order model: each agent of mass ``m`` accelerates as

``m dv_i/dt = m (v0_i e0_i - v_i) / tau + sum_j f_ij + sum_w f_iw``

with the agent-agent force (``n_ij`` the unit vector from ``j`` to ``i``, ``t_ij`` its left normal,
``d_ij`` the centre distance, ``r_ij = r_i + r_j`` and ``g(x) = max(x, 0)``)

``f_ij = (A exp((r_ij - d_ij) / B) + k g(r_ij - d_ij)) n_ij + kappa g(r_ij - d_ij) dv_t t_ij``,
``dv_t = (v_j - v_i) . t_ij``,

and the agent-wall force (``d_iw`` the distance to wall ``w``, ``n_iw`` the unit normal from the
wall to the agent, ``t_iw`` its tangent)

``f_iw = (A exp((r_i - d_iw) / B) + k g(r_i - d_iw)) n_iw - kappa g(r_i - d_iw) (v_i . t_iw) t_iw``.

The parameters are those of the paper (:class:`SocialForceParameters`). Bodies may be compressed
a little when pushed (the body force ``k g`` acts only on contact), so this model does not apply the
no-overlap rule; it applies the no-wall-crossing rule of :mod:`solvers.pedestrian._common`.
Speeds are capped at :attr:`SocialForceParameters.max_speed_factor` times the desired speed, as in
Helbing & Molnár (1995).

Time step
---------
Semi-implicit (symplectic) Euler: ``v += a dt``, then ``x += v dt``. The body force is stiff:
``k / m = 1500 1/s^2`` gives a contact oscillation period of ``2 pi sqrt(m / k) = 0.16 s``, and the
sliding friction relaxes on ``m / (kappa g)``; :data:`DEFAULT_DT_S` = 0.005 s resolves both (the
explicit scheme is stable for ``dt`` well below ``2 sqrt(m / k) = 0.05 s``, tested at the default).

References
----------
.. [1] Helbing, D., Farkas, I., Vicsek, T. (2000). Simulating dynamical features of escape panic.
   Nature 407, 487-490 (model equations and parameters in the paper's Methods).
.. [2] Helbing, D., Molnár, P. (1995). Social force model for pedestrian dynamics. Phys. Rev. E 51,
   4282-4286.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from solvers._checks import require_positive
from solvers.errors import InvalidInputError
from solvers.pedestrian._common import (
    NeighbourList,
    StepResult,
    check_step_inputs,
    current_neighbour_list,
    hidden_pairs,
    keep_off_walls,
    sum_by_agent,
    sum_over_neighbours,
    wall_contacts,
)
from solvers.pedestrian.walls import Walls

__all__ = ["DEFAULT_DT_S", "SocialForceParameters", "StepResult", "step"]

#: Time step default, s (see the module notes on stability).
DEFAULT_DT_S = 0.005


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialForceParameters:
    """Parameters of the social force model; defaults from Helbing, Farkas & Vicsek (2000).

    Attributes
    ----------
    mass_kg : float
        Agent mass ``m``, kg. 80 kg.
    relaxation_time_s : float
        ``tau``, s. 0.5 s.
    repulsion_strength_n : float
        ``A``, N. 2000 N.
    repulsion_range_m : float
        ``B``, m. 0.08 m.
    body_stiffness_kg_s2 : float
        ``k``, kg/s^2. 1.2e5 kg/s^2.
    friction_kg_m_s : float
        ``kappa``, kg/(m s). 2.4e5 kg/(m s).
    max_speed_factor : float
        Speed cap as a multiple of the desired speed, dimensionless. 1.3 (Helbing & Molnár 1995
        cap speeds at 1.3 times the desired speed). An agent with desired speed 0 is held still.
    negligible_force_n : float
        Repulsion terms below this are dropped, which sets the search ranges, N. 1 N (0.5 % of
        the driving force ``m v0 / tau`` of a walker at 1.34 m/s).
    hide_neighbours_behind_walls : bool
        Ignore neighbours whose connecting line meets a wall. True.
    neighbour_skin_m : float
        Skin of the neighbour list, m; no effect on results. 0.3 m.
    """

    mass_kg: float = 80.0
    relaxation_time_s: float = 0.5
    repulsion_strength_n: float = 2000.0
    repulsion_range_m: float = 0.08
    body_stiffness_kg_s2: float = 1.2e5
    friction_kg_m_s: float = 2.4e5
    max_speed_factor: float = 1.3
    negligible_force_n: float = 1.0
    hide_neighbours_behind_walls: bool = True
    neighbour_skin_m: float = 0.3

    def __post_init__(self) -> None:
        require_positive("mass_kg", self.mass_kg, "kg")
        require_positive("relaxation_time_s", self.relaxation_time_s, "s")
        require_positive("repulsion_strength_n", self.repulsion_strength_n, "N")
        require_positive("repulsion_range_m", self.repulsion_range_m, "m")
        require_positive("body_stiffness_kg_s2", self.body_stiffness_kg_s2, "kg/s^2")
        require_positive("friction_kg_m_s", self.friction_kg_m_s, "kg/(m s)")
        require_positive("max_speed_factor", self.max_speed_factor, "")
        require_positive("negligible_force_n", self.negligible_force_n, "N")
        require_positive("neighbour_skin_m", self.neighbour_skin_m, "m")

    @property
    def reach_m(self) -> float:
        """Gap beyond contact at which the repulsion falls below the negligible force, m."""
        ratio = self.repulsion_strength_n / self.negligible_force_n
        return self.repulsion_range_m * math.log(ratio) if ratio > 1 else 0.0


def step(
    positions_m: ArrayLike,
    velocities_m_s: ArrayLike,
    desired_direction: ArrayLike,
    desired_speed_m_s: ArrayLike,
    radius_m: ArrayLike,
    *,
    walls: Walls,
    dt_s: float = DEFAULT_DT_S,
    params: SocialForceParameters | None = None,
    active: ArrayLike | None = None,
    moving: ArrayLike | None = None,
    neighbours: NeighbourList | None = None,
) -> StepResult:
    """Advance all agents by one time step of the social force model.

    Parameters
    ----------
    positions_m : (n, 2) float
        Agent centres, m.
    velocities_m_s : (n, 2) float
        Current velocities, m/s.
    desired_direction : (n, 2) float
        Unit desired directions; a zero vector means "no wish to move" (the agent brakes to rest).
    desired_speed_m_s : (n,) float or float
        Desired speeds ``v0``, m/s, >= 0.
    radius_m : (n,) float or float
        Body radii, m, > 0 (Helbing et al. 2000 draw them from 0.25-0.35 m).
    walls : Walls
        Wall segments.
    dt_s : float
        Time step, s; default 0.005 s.
    params : SocialForceParameters, optional
        Model parameters; the paper's when None.
    active : (n,) bool, optional
        Agents taking part; inactive ones neither move nor are seen. All when None.
    moving : (n,) bool, optional
        Active agents allowed to move; the others stand still (zero velocity) but push back.
    neighbours : NeighbourList, optional
        The list returned by the previous step; reused while it holds.

    Returns
    -------
    StepResult
        New positions (n, 2) m, new velocities (n, 2) m/s and the neighbour list used.

    Raises
    ------
    InvalidInputError
        On wrong shapes, non-finite values, negative speeds, non-positive radii or ``dt_s``.
    """
    prm = params if params is not None else SocialForceParameters()
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
    n = len(pos)
    vel = np.asarray(velocities_m_s, dtype=np.float64)
    if vel.shape != (n, 2):
        raise InvalidInputError(f"velocities_m_s has shape {vel.shape}: must be ({n}, 2) in m/s")
    present = inputs.present
    if not present.any():
        return StepResult(positions_m=pos.copy(), velocities_m_s=np.zeros_like(pos))
    if not np.isfinite(vel[present]).all():
        raise InvalidInputError("velocities_m_s holds a non-finite value for an active agent")
    moving_now = inputs.moving
    vel = np.where(moving_now[:, None], vel, 0.0)
    e0 = inputs.desired_direction
    v0 = np.where(moving_now, inputs.desired_speed_m_s, 0.0)
    radius = inputs.radius_m
    r_max = float(radius[present].max())
    v_cap = prm.max_speed_factor * v0
    max_step = float(v_cap.max()) * dt_s
    cutoff = 2 * r_max + max(prm.reach_m, 2 * max_step)
    wall_range = max(r_max + prm.reach_m, max_step)
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
    px, py = pos[:, 0], pos[:, 1]
    # n_ij points from j (other) to i (me)
    nx = px[me] - px[other]
    ny = py[me] - py[other]
    dist = np.sqrt(nx * nx + ny * ny)
    inv = 1.0 / np.maximum(dist, 1e-12)
    nx *= inv
    ny *= inv
    overlap = np.maximum(contact - dist, 0.0)
    normal_force = prm.repulsion_strength_n * np.exp((contact - dist) / prm.repulsion_range_m)
    normal_force += prm.body_stiffness_kg_s2 * overlap
    # tangential velocity difference (v_j - v_i) . t_ij with t_ij = (-n_y, n_x)
    vx, vy = vel[:, 0], vel[:, 1]
    dv_t = (vx[other] - vx[me]) * (-ny) + (vy[other] - vy[me]) * nx
    friction = prm.friction_kg_m_s * overlap * dv_t
    # pairs that do not interact: a wall between them (the list pairs only agents present now)
    ignored = hidden_pairs(nbr, walls, pos) if prm.hide_neighbours_behind_walls else None
    if ignored is not None:
        normal_force[ignored] = 0.0
        friction[ignored] = 0.0
    force_x = sum_over_neighbours(nbr, normal_force * nx - friction * ny, n)
    force_y = sum_over_neighbours(nbr, normal_force * ny + friction * nx, n)

    if walls.count:
        k, _, d_w, n_w = wall_contacts(nbr, walls, pos, present)
        gap_w = radius[k] - d_w
        push = prm.repulsion_strength_n * np.exp(gap_w / prm.repulsion_range_m)
        push += prm.body_stiffness_kg_s2 * np.maximum(gap_w, 0.0)
        t_x, t_y = -n_w[:, 1], n_w[:, 0]
        slide = prm.friction_kg_m_s * np.maximum(gap_w, 0.0) * (vx[k] * t_x + vy[k] * t_y)
        force_x += sum_by_agent(k, push * n_w[:, 0] - slide * t_x, n)
        force_y += sum_by_agent(k, push * n_w[:, 1] - slide * t_y, n)

    drive_x = (v0 * e0[:, 0] - vx) / prm.relaxation_time_s
    drive_y = (v0 * e0[:, 1] - vy) / prm.relaxation_time_s
    new_vx = vx + dt_s * (drive_x + force_x / prm.mass_kg)
    new_vy = vy + dt_s * (drive_y + force_y / prm.mass_kg)
    speed = np.sqrt(new_vx * new_vx + new_vy * new_vy)
    scale = np.where(speed > v_cap, v_cap / np.maximum(speed, 1e-12), 1.0)
    scale = np.where(moving_now, scale, 0.0)
    new_vx *= scale
    new_vy *= scale
    proposed = pos.copy()
    proposed[:, 0] += dt_s * new_vx
    proposed[:, 1] += dt_s * new_vy
    new_vel = np.column_stack([new_vx, new_vy])
    if walls.count:
        free = proposed
        proposed = keep_off_walls(nbr, walls, pos, free, present)
        # an agent held back by a wall keeps only the velocity it actually moved with
        held = (proposed != free).any(axis=1)
        new_vel[held] = (proposed[held] - pos[held]) / dt_s
    new_vel[~present] = 0.0
    return StepResult(positions_m=proposed, velocities_m_s=new_vel, neighbours=nbr)
