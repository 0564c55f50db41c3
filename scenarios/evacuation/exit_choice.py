"""Exit choice: nearest, quickest (queue-aware) or as the plan says, vectorised over people.

Every function takes route distances ``cost_m (n, e)`` from ``n`` people to ``e`` exits (from
:meth:`scenarios.evacuation.routing.Router.goal_costs`; ``inf`` where an exit cannot be reached,
e.g. through an impassable hazard) and an ``allowed (e,)`` or ``(n, e)`` mask (known exits that are
not blocked). They return the chosen exit index per person, ``-1`` where no allowed exit can be
reached.

- :func:`nearest_exit`: the shortest walk.
- :func:`quickest_exit`: the shortest estimated time, walk plus queue,
  ``t = d / v + q / (f_s w)``, with ``q`` the people ahead in the queue for that exit (people
  already heading for it who are nearer to it), ``w`` the exit width and ``f_s`` the specific flow
  through a door, 1.3 persons/(s m) (:data:`SPECIFIC_FLOW_P_S_M`, SFPE [1]_). People decide in
  order of their nearness to an exit, in a few batches, so that a crowd spreads over the exits
  instead of all rushing the same one.
- :func:`planned_exit`: the plan's exit where it is allowed and reachable, else a fallback choice.

References
----------
.. [1] Gwynne, S. M. V. and Rosenbaum, E. R., "Employing the hydraulic model in assessing
   emergency movement", SFPE Handbook of Fire Protection Engineering (maximum specific flow
   through doors 1.3 persons/s per m of effective width).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers.errors import InvalidInputError

__all__ = [
    "QUICKEST_BATCHES",
    "SPECIFIC_FLOW_P_S_M",
    "nearest_exit",
    "planned_exit",
    "queue_ahead",
    "quickest_exit",
]

#: Maximum specific flow through a door, persons per second per metre of width (SFPE hydraulic
#: model; Gwynne and Rosenbaum, SFPE Handbook).
SPECIFIC_FLOW_P_S_M = 1.3

#: Batches in which people choose by quickest time, nearest first.
QUICKEST_BATCHES = 8


def _allowed(allowed: ArrayLike | None, n: int, e: int) -> NDArray[np.bool_]:
    if allowed is None:
        return np.ones((n, e), dtype=bool)
    mask = np.asarray(allowed, dtype=bool)
    if mask.shape == (e,):
        return np.broadcast_to(mask, (n, e))
    if mask.shape != (n, e):
        raise InvalidInputError(f"allowed has shape {mask.shape}: must be ({e},) or ({n}, {e})")
    return mask


def _costs(cost_m: ArrayLike) -> NDArray[np.float64]:
    cost = np.asarray(cost_m, dtype=np.float64)
    if cost.ndim != 2:
        raise InvalidInputError(f"cost_m has shape {cost.shape}: must be (n people, e exits)")
    if np.any(np.isnan(cost)) or np.any(cost < 0):
        raise InvalidInputError("cost_m holds a NaN or negative distance: must be >= 0 m or inf")
    return cost


def nearest_exit(cost_m: ArrayLike, allowed: ArrayLike | None = None) -> NDArray[np.intp]:
    """Choose the allowed exit with the shortest route for each person.

    Parameters
    ----------
    cost_m : (n, e) float
        Route distance to each exit, m; inf where unreachable.
    allowed : (e,) or (n, e) bool, optional
        Exits each person may choose; all when None.

    Returns
    -------
    (n,) int
        Exit index; -1 where no allowed exit is reachable.

    Examples
    --------
    >>> nearest_exit([[5.0, 3.0], [2.0, 9.0]], allowed=[True, True]).tolist()
    [1, 0]
    """
    cost = _costs(cost_m)
    n, e = cost.shape
    masked = np.where(_allowed(allowed, n, e), cost, np.inf)
    if e == 0:
        return np.full(n, -1, dtype=np.intp)
    best = np.argmin(masked, axis=1)
    ok = np.isfinite(masked[np.arange(n), best])
    return np.where(ok, best, -1).astype(np.intp)


def queue_ahead(
    cost_m: ArrayLike, committed_cost_m: ArrayLike, committed_exit: ArrayLike, n_exits: int
) -> NDArray[np.float64]:
    """Count, for each person and exit, the committed people as near or nearer to that exit.

    Parameters
    ----------
    cost_m : (n, e) float
        Route distance of the choosers to each exit, m.
    committed_cost_m : (k,) float
        Route distance of the people already heading for an exit to it, m.
    committed_exit : (k,) int
        Exit they head for.
    n_exits : int
        Number of exits ``e``.

    Returns
    -------
    (n, e) float
        People ahead in each exit's queue.
    """
    cost = np.asarray(cost_m, dtype=np.float64)
    c_cost = np.asarray(committed_cost_m, dtype=np.float64)
    c_exit = np.asarray(committed_exit, dtype=np.intp)
    out = np.zeros((cost.shape[0], n_exits))
    for e in range(n_exits):
        ahead = np.sort(c_cost[c_exit == e])
        if len(ahead):
            out[:, e] = np.searchsorted(ahead, cost[:, e], side="right")
    return out


def quickest_exit(
    cost_m: ArrayLike,
    speed_m_s: ArrayLike,
    exit_width_m: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    committed_cost_m: ArrayLike = (),
    committed_exit: ArrayLike = (),
    specific_flow_p_s_m: float = SPECIFIC_FLOW_P_S_M,
    batches: int = QUICKEST_BATCHES,
) -> NDArray[np.intp]:
    """Choose the allowed exit with the shortest estimated time, walk plus queue.

    ``t[i, e] = cost[i, e] / v[i] + q[i, e] / (f_s w[e])`` with ``q`` the people ahead
    (:func:`queue_ahead`): those already committed plus the choosers of earlier batches. Choosers
    go in :data:`QUICKEST_BATCHES` batches, nearest to any exit first.

    Parameters
    ----------
    cost_m : (n, e) float
        Route distance to each exit, m.
    speed_m_s : (n,) float
        Walking speeds, m/s; > 0.
    exit_width_m : (e,) float
        Exit widths, m; > 0.
    allowed : (e,) or (n, e) bool, optional
        Exits each person may choose.
    committed_cost_m, committed_exit : (k,) float, (k,) int
        People not choosing now who already head for an exit: their distance to it and its index.
    specific_flow_p_s_m : float
        Specific flow through an exit, persons/(s m).
    batches : int
        Number of batches, >= 1.

    Returns
    -------
    (n,) int
        Exit index; -1 where no allowed exit is reachable.

    Raises
    ------
    InvalidInputError
        If a shape is wrong or a speed, width or flow is not > 0.

    Examples
    --------
    Ten people already queue at exit 0; a newcomer 1 m from exit 0 and 3 m from exit 1 (both
    1 m wide) is quicker through exit 1:

    >>> quickest_exit([[1.0, 3.0]], [1.0], [1.0, 1.0],
    ...               committed_cost_m=np.zeros(10), committed_exit=np.zeros(10, int)).tolist()
    [1]
    """
    cost = _costs(cost_m)
    n, e = cost.shape
    speed = np.asarray(speed_m_s, dtype=np.float64).reshape(-1)
    width = np.asarray(exit_width_m, dtype=np.float64).reshape(-1)
    if speed.shape != (n,) or np.any(~(speed > 0)):
        raise InvalidInputError(f"speed_m_s must be ({n},) values > 0 m/s")
    if width.shape != (e,) or np.any(~(width > 0)):
        raise InvalidInputError(f"exit_width_m must be ({e},) values > 0 m")
    if not specific_flow_p_s_m > 0:
        raise InvalidInputError(
            f"specific_flow_p_s_m = {specific_flow_p_s_m!r} persons/(s m): must be > 0"
        )
    if batches < 1:
        raise InvalidInputError(f"batches = {batches!r}: must be >= 1")
    ok = _allowed(allowed, n, e)
    masked = np.where(ok, cost, np.inf)
    choice = np.full(n, -1, dtype=np.intp)
    if n == 0 or e == 0:
        return choice
    c_cost = np.asarray(committed_cost_m, dtype=np.float64).reshape(-1)
    c_exit = np.asarray(committed_exit, dtype=np.intp).reshape(-1)
    order = np.argsort(masked.min(axis=1), kind="stable")
    capacity = specific_flow_p_s_m * width
    for chunk in np.array_split(order, min(batches, n)):
        if len(chunk) == 0:
            continue
        queue = queue_ahead(masked[chunk], c_cost, c_exit, e)
        with np.errstate(invalid="ignore"):
            t = masked[chunk] / speed[chunk, None] + queue / capacity[None, :]
        best = np.argmin(t, axis=1)
        reach = np.isfinite(t[np.arange(len(chunk)), best])
        choice[chunk] = np.where(reach, best, -1)
        took = choice[chunk] >= 0
        c_cost = np.concatenate([c_cost, masked[chunk[took], choice[chunk[took]]]])
        c_exit = np.concatenate([c_exit, choice[chunk[took]]])
    return choice


def planned_exit(
    planned: ArrayLike, cost_m: ArrayLike, fallback: ArrayLike, allowed: ArrayLike | None = None
) -> NDArray[np.intp]:
    """Take each person's planned exit where it is allowed and reachable, else the fallback.

    Parameters
    ----------
    planned : (n,) int
        Planned exit index; -1 for none.
    cost_m : (n, e) float
        Route distances, m.
    fallback : (n,) int
        Choice to use where the plan cannot be followed (e.g. from :func:`nearest_exit`).
    allowed : (e,) or (n, e) bool, optional
        Exits each person may use.

    Returns
    -------
    (n,) int
        Exit index per person.

    Examples
    --------
    >>> planned_exit([1, 1], [[2.0, 5.0], [2.0, np.inf]], fallback=[0, 0]).tolist()
    [1, 0]
    """
    cost = _costs(cost_m)
    n, e = cost.shape
    plan = np.asarray(planned, dtype=np.intp).reshape(-1)
    back = np.asarray(fallback, dtype=np.intp).reshape(-1)
    if plan.shape != (n,) or back.shape != (n,):
        raise InvalidInputError(f"planned and fallback must be ({n},) exit indices")
    ok = _allowed(allowed, n, e)
    safe = np.clip(plan, 0, max(e - 1, 0))
    rows = np.arange(n)
    usable = (plan >= 0) & ok[rows, safe] & np.isfinite(cost[rows, safe]) if e else plan < -1
    return np.where(usable, plan, back).astype(np.intp)
