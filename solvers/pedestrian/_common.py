"""Shared pieces of the movement models: step result, input checks, neighbour lists, safety rules.

Neighbour lists (Verlet lists)
------------------------------
Agents move a few centimetres per step, so the pairs within the interaction cutoff change slowly.
:class:`NeighbourList` stores every pair within ``cutoff + skin`` of each other at build time, every
(agent, wall) pair within ``wall_range + skin`` and every (pair, wall) combination whose wall could
come between the two agents. While no agent has moved more than ``skin / 2`` since the build, every
pair now within ``cutoff`` is in the list (two agents close in by at most ``skin``), so a step
using the list sees every interaction a fresh search would (plus pairs just beyond the cutoff,
whose terms are negligible); once an agent has moved further the list is rebuilt (Verlet 1967;
Allen & Tildesley 2017, neighbour lists). Building costs one
:class:`scipy.spatial.cKDTree` and one range query against the walls; reusing it costs nothing.
Agents that leave while the list holds (evacuees past their exit) are dropped from it at once, so
a list only ever pairs agents present now and an agent that has left is seen by no rule, the
overlap rule included (otherwise a crowd standing still in a door, never rebuilding its list,
would stay held back by bodies already out).

Safety rules, applied after a model has proposed new positions:

1. No wall crossing (:func:`keep_off_walls`): a step that meets a wall segment slides along that
   wall (the component of the step along it is kept); if the slid step still meets a wall (a
   corner), the agent stays where it was.
2. No new overlap (:func:`undo_overlaps`): if two agents end a step with their discs overlapping and
   closer than they started, both stay where they were; repeated until no such pair is left. Undoing
   every move restores the previous, valid configuration, so the loop ends after at most ``n``
   rounds. Both rules are safety nets: in 3000 steps of RiMEA test 9 (1000 agents, dt = 0.01 s)
   the collision-free speed model needed neither.

References
----------
.. [1] Verlet, L. (1967). Computer "experiments" on classical fluids. I. Phys. Rev. 159, 98-103.
.. [2] Allen, M. P., Tildesley, D. J. (2017). Computer Simulation of Liquids, 2nd ed., Oxford
   University Press (neighbour lists).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from solvers._checks import require_positive
from solvers.errors import InvalidInputError
from solvers.pedestrian.walls import Walls, point_segment_distance, segments_meet

__all__ = [
    "NeighbourList",
    "StepInputs",
    "StepResult",
    "check_step_inputs",
    "current_neighbour_list",
    "hidden_pairs",
    "keep_off_walls",
    "sum_by_agent",
    "sum_over_neighbours",
    "undo_overlaps",
    "wall_contacts",
]


@dataclass(frozen=True, slots=True)
class NeighbourList:
    """Pairs of agents and agent-wall pairs that may interact while no agent moves > skin / 2.

    Pairs are stored *directed* (each pair twice, once from each agent) and sorted by their first
    agent, so per-agent sums are one ``np.bincount`` and per-agent minima one
    ``np.minimum.reduceat``. Pass the list a step returned into the next step; it is rebuilt when
    it no longer holds.

    Attributes
    ----------
    reference_m : (n, 2) float
        Positions at build time, m.
    present : (n,) bool
        Agents taking part: those at build time, less any that left since (their pairs are
        dropped, see :func:`current_neighbour_list`).
    radius_m : (n,) float
        Radii at build time, m.
    cutoff_m : float
        Interaction range the list was built for (without the skin), m.
    wall_range_m : float
        Agent-wall range the list was built for (without the skin), m.
    skin_m : float
        Extra range, m.
    me, other : (2k,) int
        Directed pairs within ``cutoff_m + skin_m`` at build time, sorted by ``me``.
    contact_m : (2k,) float
        Sum of the two radii of each directed pair, m.
    starts, owners : (u,) int
        Start of each agent's run in ``me`` and that agent's index (agents with a neighbour).
    pair_i, pair_j : (k,) int
        The same pairs once each (``i < j``).
    wall_agent, wall_segment : (q,) int
        Agent and wall-segment index of pairs within ``wall_range_m + skin_m`` at build time.
    sight_index, sight_segment : (p,) int
        Index into the directed pairs and wall segment that may come between the two agents.
    walls : Walls
        The walls the list was built for (a list never serves other walls).
    """

    reference_m: NDArray[np.float64]
    present: NDArray[np.bool_]
    radius_m: NDArray[np.float64]
    cutoff_m: float
    wall_range_m: float
    skin_m: float
    me: NDArray[np.intp]
    other: NDArray[np.intp]
    contact_m: NDArray[np.float64]
    starts: NDArray[np.intp]
    owners: NDArray[np.intp]
    pair_i: NDArray[np.intp]
    pair_j: NDArray[np.intp]
    wall_agent: NDArray[np.intp]
    wall_segment: NDArray[np.intp]
    sight_index: NDArray[np.intp]
    sight_segment: NDArray[np.intp]
    walls: Walls

    def holds_for(
        self,
        positions_m: NDArray[np.float64],
        present: NDArray[np.bool_],
        radius_m: NDArray[np.float64],
        cutoff_m: float,
        wall_range_m: float,
        walls: Walls | None = None,
    ) -> bool:
        """Whether the list is still complete for these positions, agents, radii and ranges."""
        if (
            (walls is not None and walls is not self.walls)
            or positions_m.shape != self.reference_m.shape
            or cutoff_m > self.cutoff_m
            or wall_range_m > self.wall_range_m
            or np.any(present & ~self.present)
            or not (
                np.array_equal(radius_m, self.radius_m)
                or np.array_equal(radius_m[present], self.radius_m[present])
            )
        ):
            return False
        dx = positions_m[:, 0] - self.reference_m[:, 0]
        dy = positions_m[:, 1] - self.reference_m[:, 1]
        moved2 = dx * dx + dy * dy
        return bool(np.where(present, moved2, 0.0).max(initial=0.0) < (0.5 * self.skin_m) ** 2)


def build_neighbour_list(
    positions_m: NDArray[np.float64],
    present: NDArray[np.bool_],
    radius_m: NDArray[np.float64],
    *,
    cutoff_m: float,
    wall_range_m: float,
    skin_m: float,
    walls: Walls,
) -> NeighbourList:
    """Build a :class:`NeighbourList` from scratch (k-d tree and wall range queries)."""
    idx = np.flatnonzero(present)
    pos = positions_m[idx]
    empty = np.zeros(0, dtype=np.intp)
    if len(idx) >= 2:
        pairs = cKDTree(pos).query_pairs(cutoff_m + skin_m, output_type="ndarray")
        pair_i = idx[pairs[:, 0]]
        pair_j = idx[pairs[:, 1]]
    else:
        pair_i = pair_j = empty
    me = np.concatenate([pair_i, pair_j])
    other = np.concatenate([pair_j, pair_i])
    order = _order_by_agent(me)
    me, other = me[order], other[order]
    first = np.flatnonzero(np.concatenate([[True], me[1:] != me[:-1]])) if len(me) else empty
    wall_agent = wall_segment = sight_index = sight_segment = empty
    if walls.count and len(idx):
        # one range query serves both the wall contacts and the walls that may hide a neighbour
        sight_reach_m = _sight_reach_m(positions_m, pair_i, pair_j, skin_m)
        contacts = walls.distance_and_normal(pos, max(wall_range_m + skin_m, sight_reach_m))
        agent = idx[contacts.point_index]
        seg = contacts.segment_index
        close = contacts.distance_m <= wall_range_m + skin_m
        wall_agent, wall_segment = agent[close], seg[close]
        if len(me):
            sight = contacts.distance_m <= sight_reach_m
            pair, sight_segment = _sight_candidates(
                positions_m, pair_i, pair_j, skin_m, walls, agent[sight], seg[sight]
            )
            # each undirected pair u sits at directed positions where(order == u) and
            # where(order == u + k); test both directions
            where = np.empty(len(order), dtype=np.intp)
            where[order] = np.arange(len(order))
            sight_index = np.concatenate([where[pair], where[pair + len(pair_i)]])
            sight_segment = np.concatenate([sight_segment, sight_segment])
    return NeighbourList(
        reference_m=positions_m.copy(),
        present=present.copy(),
        radius_m=radius_m.copy(),
        cutoff_m=cutoff_m,
        wall_range_m=wall_range_m,
        skin_m=skin_m,
        me=me,
        other=other,
        contact_m=radius_m[me] + radius_m[other],
        starts=first,
        owners=me[first],
        pair_i=pair_i,
        pair_j=pair_j,
        wall_agent=wall_agent,
        wall_segment=wall_segment,
        sight_index=sight_index,
        sight_segment=sight_segment,
        walls=walls,
    )


def _order_by_agent(index: NDArray[np.intp]) -> NDArray[np.intp]:
    """Return a permutation that sorts agent indices (radix sort on 15-bit digits, O(k))."""
    # numpy's stable sort is a radix sort for 16-bit integers and a merge sort otherwise; two
    # stable passes over 15-bit digits sort any index below 2**30 in linear time
    low = (index & 0x7FFF).astype(np.int16)
    order = np.argsort(low, kind="stable")
    high = index[order] >> 15
    if high.any():
        order = order[np.argsort(high.astype(np.int16), kind="stable")]
    return np.asarray(order, dtype=np.intp)


def _sight_reach_m(
    positions_m: NDArray[np.float64],
    me: NDArray[np.intp],
    other: NDArray[np.intp],
    skin_m: float,
) -> float:
    """Range around an agent in which a wall may come between it and a listed neighbour, m."""
    if len(me) == 0:
        return 0.0
    px = positions_m[:, 0]
    py = positions_m[:, 1]
    dist = np.sqrt((px[other] - px[me]) ** 2 + (py[other] - py[me]) ** 2)
    return float(dist.max()) + 1.5 * skin_m


def _sight_candidates(
    positions_m: NDArray[np.float64],
    me: NDArray[np.intp],
    other: NDArray[np.intp],
    skin_m: float,
    walls: Walls,
    near_agent: NDArray[np.intp],
    near_segment: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """(pair, wall) combinations where the wall may come between the two agents.

    ``near_agent, near_segment`` list every (agent, wall) pair within :func:`_sight_reach_m` of
    each other, sorted by agent then wall (agents outside any pair may be among them).

    Until the list is rebuilt each agent moves at most skin / 2, so a pair grows by at most the
    skin. A wall that comes between i and j then lies within their distance of both, and the two
    cannot be on the same side of its line by more than skin / 2. So only walls with agents on
    both sides of their line (or close to it) within reach can hide anyone ("two-sided" walls:
    partitions, door jambs; not the outer walls of a room), and only pairs of agents near such a
    wall are tested: against each two-sided wall near the first agent, by the separating-axis
    test of the two segments (the wall's normal and direction, the sight line's normal), each
    end of the sight line free to move skin / 2.
    """
    empty = np.zeros(0, dtype=np.intp)
    px = positions_m[:, 0]
    py = positions_m[:, 1]
    in_pair = np.zeros(len(positions_m), dtype=bool)
    in_pair[me] = True
    in_pair[other] = True
    keep = in_pair[near_agent]
    agent, seg = near_agent[keep], near_segment[keep]
    if len(agent) == 0:
        return empty, empty
    w0x, w0y, ux, uy, length = _wall_frames(walls, seg)
    side = ux * (py[agent] - w0y) - uy * (px[agent] - w0x)
    margin = 0.5 * skin_m
    m = walls.count
    low = np.bincount(seg[side < margin], minlength=m) > 0
    high = np.bincount(seg[side > -margin], minlength=m) > 0
    keep = (low & high)[seg]
    agent, seg = agent[keep], seg[keep]
    near_two_sided = np.zeros(len(positions_m), dtype=bool)
    near_two_sided[agent] = True
    maybe = np.flatnonzero(near_two_sided[me] & near_two_sided[other])
    if len(maybe) == 0:
        return empty, empty
    # every two-sided wall within reach of the first agent of each maybe pair: one row each
    order = _order_by_agent(agent)
    agent, seg = agent[order], seg[order]
    count = np.bincount(agent, minlength=len(positions_m))
    first = np.cumsum(count) - count
    per_pair = count[me[maybe]]
    pair = np.repeat(maybe, per_pair)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    seg = seg[first[me[pair]] + offset]
    ax, ay = px[me[pair]], py[me[pair]]
    bx, by = px[other[pair]], py[other[pair]]
    w0x, w0y, ux, uy, length = _wall_frames(walls, seg)
    # axis 1: the wall's normal
    apart = _same_side(ux * (ay - w0y) - uy * (ax - w0x), ux * (by - w0y) - uy * (bx - w0x), margin)
    # axis 2: the wall's direction
    t_a = ux * (ax - w0x) + uy * (ay - w0y)
    t_b = ux * (bx - w0x) + uy * (by - w0y)
    apart |= ((t_a < -margin) & (t_b < -margin)) | (
        (t_a > length + margin) & (t_b > length + margin)
    )
    # axis 3: the sight line's normal (NaN for two agents at one point: never apart)
    sx, sy = bx - ax, by - ay
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.sqrt(sx * sx + sy * sy)
        sx, sy = sx / norm, sy / norm
    w1x, w1y = w0x + ux * length, w0y + uy * length
    apart |= _same_side(
        sx * (w0y - ay) - sy * (w0x - ax), sx * (w1y - ay) - sy * (w1x - ax), margin
    )
    return pair[~apart], seg[~apart]


def _wall_frames(
    walls: Walls, seg: NDArray[np.intp]
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]:
    """Return start x, start y, unit direction x, y and length (m) of the listed walls."""
    s = walls.segments_m
    w0x, w0y = s[:, 0, 0][seg], s[:, 0, 1][seg]
    dx, dy = s[:, 1, 0][seg] - w0x, s[:, 1, 1][seg] - w0y
    length = np.sqrt(dx * dx + dy * dy)
    return w0x, w0y, dx / length, dy / length, length


def _same_side(
    side_a: NDArray[np.float64], side_b: NDArray[np.float64], margin: float
) -> NDArray[np.bool_]:
    """Return where both signed distances exceed the margin on the same side."""
    return np.asarray(
        ((side_a > margin) & (side_b > margin)) | ((side_a < -margin) & (side_b < -margin))
    )


def current_neighbour_list(
    previous: NeighbourList | None,
    positions_m: NDArray[np.float64],
    present: NDArray[np.bool_],
    radius_m: NDArray[np.float64],
    *,
    cutoff_m: float,
    wall_range_m: float,
    skin_m: float,
    walls: Walls,
) -> NeighbourList:
    """Return ``previous`` if it still holds, else a freshly built list.

    The list returned holds only pairs of agents present now: agents that left since ``previous``
    was built are dropped from it (:func:`_without_absent`), so a step never needs to mask them.
    """
    if previous is not None and previous.holds_for(
        positions_m, present, radius_m, cutoff_m, wall_range_m, walls
    ):
        if np.array_equal(present, previous.present):
            return previous
        return _without_absent(previous, present)
    return build_neighbour_list(
        positions_m,
        present,
        radius_m,
        cutoff_m=cutoff_m,
        wall_range_m=wall_range_m,
        skin_m=skin_m,
        walls=walls,
    )


def _without_absent(nbr: NeighbourList, present: NDArray[np.bool_]) -> NeighbourList:
    """Return ``nbr`` without the pairs of agents no longer present (a subset of its agents)."""
    keep = present[nbr.me] & present[nbr.other]
    me, other = nbr.me[keep], nbr.other[keep]
    first = (
        np.flatnonzero(np.concatenate([[True], me[1:] != me[:-1]]))
        if len(me)
        else np.zeros(0, dtype=np.intp)
    )
    undirected = present[nbr.pair_i] & present[nbr.pair_j]
    wall = present[nbr.wall_agent]
    # directed pair k of the old list is pair renumber[k] of the new one (where kept)
    renumber = np.cumsum(keep) - 1
    sight = keep[nbr.sight_index]
    return NeighbourList(
        reference_m=nbr.reference_m,
        present=present.copy(),
        radius_m=nbr.radius_m,
        cutoff_m=nbr.cutoff_m,
        wall_range_m=nbr.wall_range_m,
        skin_m=nbr.skin_m,
        me=me,
        other=other,
        contact_m=nbr.contact_m[keep],
        starts=first,
        owners=me[first],
        pair_i=nbr.pair_i[undirected],
        pair_j=nbr.pair_j[undirected],
        wall_agent=nbr.wall_agent[wall],
        wall_segment=nbr.wall_segment[wall],
        sight_index=renumber[nbr.sight_index[sight]],
        sight_segment=nbr.sight_segment[sight],
        walls=nbr.walls,
    )


@dataclass(frozen=True, slots=True)
class StepResult:
    """Positions and velocities of all agents after one step.

    Attributes
    ----------
    positions_m : (n, 2) float
        New positions, m (unchanged for inactive agents).
    velocities_m_s : (n, 2) float
        Velocity over the step, ``(new - old) / dt``, m/s (zero for agents that did not move).
    neighbours : NeighbourList or None
        The neighbour list used; pass it to the next step to save rebuilding it.
    """

    positions_m: NDArray[np.float64]
    velocities_m_s: NDArray[np.float64]
    neighbours: NeighbourList | None = None


@dataclass(frozen=True, slots=True)
class StepInputs:
    """Checked step inputs as float arrays over all ``n`` agents."""

    positions_m: NDArray[np.float64]
    desired_direction: NDArray[np.float64]
    desired_speed_m_s: NDArray[np.float64]
    radius_m: NDArray[np.float64]
    present: NDArray[np.bool_]
    moving: NDArray[np.bool_]


def check_step_inputs(
    positions_m: ArrayLike,
    desired_direction: ArrayLike,
    desired_speed_m_s: ArrayLike,
    radius_m: ArrayLike,
    *,
    dt_s: float,
    active: ArrayLike | None,
    moving: ArrayLike | None,
) -> StepInputs:
    """Validate the inputs of a step call; raise :class:`InvalidInputError` naming the input."""
    require_positive("dt_s", dt_s, "s")
    pos = np.asarray(positions_m, dtype=np.float64)
    if pos.ndim != 2 or pos.shape[1] != 2:
        raise InvalidInputError(f"positions_m has shape {pos.shape}: must be (n, 2) in m")
    n = len(pos)
    direction = np.asarray(desired_direction, dtype=np.float64)
    if direction.shape != (n, 2):
        raise InvalidInputError(
            f"desired_direction has shape {direction.shape}: must be ({n}, 2) unit vectors"
        )
    speed = np.broadcast_to(np.asarray(desired_speed_m_s, dtype=np.float64), (n,))
    radius = np.broadcast_to(np.asarray(radius_m, dtype=np.float64), (n,))
    act = np.ones(n, dtype=bool) if active is None else np.asarray(active, dtype=bool)
    mov = np.ones(n, dtype=bool) if moving is None else np.asarray(moving, dtype=bool)
    for name, arr in (("active", act), ("moving", mov)):
        if arr.shape != (n,):
            raise InvalidInputError(f"{name} has shape {arr.shape}: must be ({n},) bool")
    # one sum per array: NaN and inf propagate into it (a sum that overflows from finite values
    # is rejected too; such coordinates are no use either). The values of every agent are
    # checked first (one pass, no copy); only if that fails are inactive agents left out.
    if not (
        np.isfinite(pos.sum())
        and np.isfinite(direction.sum())
        and np.isfinite(speed.sum())
        and speed.min(initial=0.0) >= 0
        and radius.min(initial=1.0) > 0
        and np.isfinite(radius.sum())
    ):
        _check_active_values(pos, direction, speed, radius, act)
    return StepInputs(
        positions_m=pos,
        desired_direction=direction,
        desired_speed_m_s=np.asarray(speed),
        radius_m=np.asarray(radius),
        present=act,
        moving=mov & act,
    )


def _check_active_values(
    pos: NDArray[np.float64],
    direction: NDArray[np.float64],
    speed: NDArray[np.float64],
    radius: NDArray[np.float64],
    active: NDArray[np.bool_],
) -> None:
    """Raise :class:`InvalidInputError` if an active agent has a non-finite or negative value."""
    finite = (
        np.isfinite(pos[active].sum())
        and np.isfinite(direction[active].sum())
        and np.isfinite(speed[active].sum())
    )
    if not finite:
        raise InvalidInputError(
            "positions_m, desired_direction or desired_speed_m_s holds a non-finite value for an "
            + "active agent: all must be finite"
        )
    if speed[active].min(initial=0.0) < 0:
        raise InvalidInputError("desired_speed_m_s holds a negative value: must be >= 0 m/s")
    r = radius[active]
    if not (r.min(initial=1.0) > 0 and np.isfinite(r.sum())):
        raise InvalidInputError("radius_m holds a value <= 0 or non-finite: must be > 0 m")


def sum_by_agent(
    index: NDArray[np.intp], weights: NDArray[np.float64], n: int
) -> NDArray[np.float64]:
    """Return the sum of ``weights`` per agent index, (n,) float (zeros when there are none)."""
    return np.asarray(np.bincount(index, weights, n), dtype=np.float64)


def sum_over_neighbours(
    neighbours: NeighbourList, weights: NDArray[np.float64], n: int
) -> NDArray[np.float64]:
    """Return the sum of per-pair ``weights`` (aligned with ``neighbours.me``) per agent, (n,).

    The pairs are sorted by agent, so this is one contiguous ``np.add.reduceat`` (several times
    faster than ``np.bincount``'s scattered adds).
    """
    out = np.zeros(n)
    if len(neighbours.starts):
        out[neighbours.owners] = np.add.reduceat(weights, neighbours.starts)
    return out


def wall_contacts(
    neighbours: NeighbourList,
    walls: Walls,
    positions_m: NDArray[np.float64],
    present: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Exact (agent, segment, distance m, unit normal away from the wall) for listed wall pairs."""
    agent = neighbours.wall_agent
    seg = neighbours.wall_segment
    if len(agent) and not present[agent].all():
        keep = present[agent]
        agent, seg = agent[keep], seg[keep]
    dist, normal = point_segment_distance(
        np.take(positions_m, agent, axis=0), np.take(walls.segments_m, seg, axis=0)
    )
    return agent, seg, dist, normal


def hidden_pairs(
    neighbours: NeighbourList, walls: Walls, positions_m: NDArray[np.float64]
) -> NDArray[np.bool_] | None:
    """Mask over the directed pairs: True where a wall now lies between the two agents.

    Returns None when no listed wall can come between any pair.
    """
    if len(neighbours.sight_index) == 0:
        return None
    k = neighbours.sight_index
    meet = segments_meet(
        np.take(positions_m, neighbours.me[k], axis=0),
        np.take(positions_m, neighbours.other[k], axis=0),
        np.take(walls.segments_m, neighbours.sight_segment, axis=0),
    )
    if not meet.any():
        return None
    hidden = np.zeros(len(neighbours.me), dtype=bool)
    hidden[k[meet]] = True
    return hidden


def keep_off_walls(
    neighbours: NeighbourList,
    walls: Walls,
    old_m: NDArray[np.float64],
    new_m: NDArray[np.float64],
    present: NDArray[np.bool_],
    clearance_m: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Return ``new_m`` with every wall-crossing step slid along the wall or cancelled.

    Only the listed agent-wall pairs are tested: the list's wall range must cover the step length
    plus half the skin. ``clearance_m``, if given, is the distance at ``old_m`` of every listed
    pair of a present agent (as :func:`wall_contacts` returns it, same order); a step shorter
    than the distance to a wall cannot meet it, so only the other pairs are tested.
    """
    agent = neighbours.wall_agent
    seg = neighbours.wall_segment
    if len(agent) == 0:
        return new_m
    if not present[agent].all():
        keep = present[agent]
        agent, seg = agent[keep], seg[keep]
    start = np.take(old_m, agent, axis=0)
    end = np.take(new_m, agent, axis=0)
    if clearance_m is None:
        moved = (start != end).any(axis=1)
    else:
        sx = end[:, 0] - start[:, 0]
        sy = end[:, 1] - start[:, 1]
        length = np.sqrt(sx * sx + sy * sy)
        # a margin for rounding: a step reaching the wall within 1 nm is tested
        moved = (length > 0.0) & (clearance_m <= length + 1e-9)
    agent, seg = agent[moved], seg[moved]
    if len(agent) == 0:
        return new_m
    meet = segments_meet(start[moved], end[moved], np.take(walls.segments_m, seg, axis=0))
    if not np.any(meet):
        return new_m
    out = new_m.copy()
    bad, first = np.unique(agent[meet], return_index=True)
    wall = walls.segments_m[seg[meet][first]]
    along = wall[:, 1, :] - wall[:, 0, :]
    along /= np.hypot(along[:, 0], along[:, 1])[:, None]
    step = new_m[bad] - old_m[bad]
    out[bad] = old_m[bad] + np.einsum("ij,ij->i", step, along)[:, None] * along
    # the slid steps of those agents, against all their listed walls
    again = np.isin(agent, bad)
    meet2 = segments_meet(old_m[agent[again]], out[agent[again]], walls.segments_m[seg[again]])
    stuck = np.unique(agent[again][meet2])
    out[stuck] = old_m[stuck]
    return out


def undo_overlaps(
    old_m: NDArray[np.float64],
    new_m: NDArray[np.float64],
    radius_m: NDArray[np.float64],
    pair_i: NDArray[np.intp],
    pair_j: NDArray[np.intp],
) -> NDArray[np.float64]:
    """Return ``new_m`` with both agents of every newly overlapping, approaching pair held back.

    ``pair_i, pair_j`` must list every pair that could overlap after the step (all pairs closer
    than the sum of their radii plus both step lengths).
    """
    if len(pair_i) == 0:
        return new_m
    contact = radius_m[pair_i] + radius_m[pair_j]
    d_old = np.hypot(old_m[pair_j, 0] - old_m[pair_i, 0], old_m[pair_j, 1] - old_m[pair_i, 1])
    out = new_m
    check = np.ones(len(pair_i), dtype=bool)
    for _ in range(len(old_m) + 1):
        pi = pair_i[check]
        pj = pair_j[check]
        d_new = np.hypot(out[pj, 0] - out[pi, 0], out[pj, 1] - out[pi, 1])
        bad = (d_new < contact[check]) & (d_new < d_old[check])
        if not np.any(bad):
            break
        if out is new_m:
            out = new_m.copy()
        agents = np.unique(np.concatenate([pi[bad], pj[bad]]))
        out[agents] = old_m[agents]
        held = np.zeros(len(old_m), dtype=bool)
        held[agents] = True
        # only pairs with an agent just held back can change state next round
        check = held[pair_i] | held[pair_j]
    return out
