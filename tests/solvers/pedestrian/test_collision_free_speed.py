from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geometry.boundary_segments import boundary_segments
from solvers.errors import InvalidInputError
from solvers.pedestrian import collision_free_speed as cfs
from solvers.pedestrian.walls import Walls, walls_from_segments

ROOM = box(0.0, 0.0, 8.0, 6.0)
PARTITION = np.array([[[4.0, 0.0], [4.0, 4.0]], [[1.0, 4.5], [2.5, 5.5]]])
WALLS = walls_from_segments(np.concatenate([boundary_segments(ROOM), PARTITION]))
NO_WALLS = Walls(np.zeros((0, 2, 2)))


def _spread(points: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Keep a subset of points whose discs do not overlap and clear the walls by a radius."""
    keep: list[int] = []
    for k, p in enumerate(points):
        clear = all(np.hypot(*(p - points[q])) > radius[k] + radius[q] for q in keep)
        if clear and WALLS.nearest(p[None], 1.0)[0][0] > radius[k]:
            keep.append(k)
    return np.array(keep, dtype=np.intp)


@pytest.mark.verification
def test_lone_agent_walks_at_its_desired_speed() -> None:
    """Tordeux et al. (2016), speed function: with no neighbour ahead the speed is v0, along e0."""
    pos = np.array([[2.0, 3.0]])
    e0 = np.array([[0.6, 0.8]])
    result = cfs.step(pos, e0, 1.34, 0.2, walls=WALLS, dt_s=0.01)
    np.testing.assert_allclose(result.velocities_m_s, [[0.804, 1.072]], atol=1e-12)
    np.testing.assert_allclose(result.positions_m, pos + 0.01 * np.array([[0.804, 1.072]]))


@pytest.mark.verification
def test_follower_speed_is_the_gap_over_the_time_gap() -> None:
    """Tordeux et al. (2016), speed function: V(s) = min(v0, (s - l) / T); a follower 1.0 m
    behind its leader (l = 0.4 m, T = 1 s) walks at 0.6 m/s, the leader at v0 (exact)."""
    pos = np.array([[1.0, 2.0], [2.0, 2.0]])
    e0 = np.array([[1.0, 0.0], [1.0, 0.0]])
    result = cfs.step(pos, e0, 1.2, 0.2, walls=NO_WALLS, dt_s=0.01)
    np.testing.assert_allclose(result.velocities_m_s, [[0.6, 0.0], [1.2, 0.0]], atol=1e-12)
    slow = cfs.step(
        pos, e0, 1.2, 0.2, walls=NO_WALLS, params=cfs.CollisionFreeSpeedParameters(time_gap_s=2.0)
    )
    assert slow.velocities_m_s[0, 0] == pytest.approx(0.3)


def test_agents_ahead_but_outside_the_corridor_do_not_slow_down() -> None:
    """A neighbour 1 m ahead and 0.5 m aside (more than l = 0.4 m) leaves the speed at v0."""
    pos = np.array([[1.0, 2.0], [2.0, 2.5]])
    e0 = np.array([[1.0, 0.0], [0.0, 1.0]])
    result = cfs.step(pos, e0, 1.0, 0.2, walls=NO_WALLS)
    assert np.linalg.norm(result.velocities_m_s[0]) == pytest.approx(1.0)


@pytest.mark.property
@settings(max_examples=25)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 60),
    dt_s=st.sampled_from([0.01, 0.05]),
    towards_centre=st.booleans(),
)
def test_no_overlap_and_no_wall_crossing_ever(
    seed: int, n: int, dt_s: float, towards_centre: bool
) -> None:
    """Random crowds in a room with partitions, pushed towards each other or in random
    directions: no step creates an overlap of two bodies or crosses a wall, and no agent leaves
    the room."""
    rng = np.random.default_rng(seed)
    radius_all = rng.uniform(0.15, 0.3, 4 * n)
    pos = rng.uniform([0.3, 0.3], [7.7, 5.7], (4 * n, 2))
    keep = _spread(pos, radius_all)[:n]
    pos, radius = pos[keep], radius_all[keep]
    speed = rng.uniform(0.5, 2.0, len(pos))
    neighbours = None
    for _ in range(40):
        e0 = np.array([4.0, 3.0]) - pos if towards_centre else rng.normal(size=pos.shape)
        e0 /= np.maximum(np.linalg.norm(e0, axis=1), 1e-12)[:, None]
        result = cfs.step(pos, e0, speed, radius, walls=WALLS, dt_s=dt_s, neighbours=neighbours)
        new = result.positions_m
        assert not WALLS.crosses(pos, new).any()
        d = np.linalg.norm(new[:, None] - new[None], axis=2)
        np.fill_diagonal(d, np.inf)
        assert np.all(d >= radius[:, None] + radius[None] - 1e-12)
        assert shapely.contains_xy(ROOM, new[:, 0], new[:, 1]).all()
        pos, neighbours = new, result.neighbours


def test_reused_neighbour_list_gives_the_same_motion() -> None:
    """Reusing the list changes only terms below the negligible repulsion (1e-4)."""
    rng = np.random.default_rng(7)
    radius = np.full(200, 0.2)
    pos = rng.uniform([0.3, 0.3], [7.7, 5.7], (200, 2))
    pos = pos[_spread(pos, radius)]
    radius = radius[: len(pos)]
    fresh = cached = pos
    neighbours = None
    for _ in range(50):
        e0 = np.array([7.0, 5.0]) - fresh
        e0 /= np.linalg.norm(e0, axis=1)[:, None]
        a = cfs.step(fresh, e0, 1.3, radius, walls=WALLS)
        b = cfs.step(cached, e0, 1.3, radius, walls=WALLS, neighbours=neighbours)
        np.testing.assert_allclose(b.positions_m, a.positions_m, atol=1e-7)
        fresh, cached, neighbours = a.positions_m, a.positions_m, b.neighbours
    assert neighbours is not None


def test_inactive_agents_vanish_and_waiting_agents_block() -> None:
    pos = np.array([[1.0, 2.0], [1.8, 2.0]])
    e0 = np.array([[1.0, 0.0], [1.0, 0.0]])
    # the agent ahead waits: the follower slows to the gap over the time gap, 0.4 m/s
    waiting = cfs.step(pos, e0, 1.2, 0.2, walls=NO_WALLS, moving=np.array([True, False]))
    np.testing.assert_allclose(waiting.velocities_m_s[1], 0.0)
    np.testing.assert_allclose(waiting.velocities_m_s[0], [0.4, 0.0], atol=1e-12)
    # the agent ahead is gone: the follower walks freely and the gone one stays put
    gone = cfs.step(pos, e0, 1.2, 0.2, walls=NO_WALLS, active=np.array([True, False]))
    np.testing.assert_allclose(gone.velocities_m_s, [[1.2, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(gone.positions_m[1], pos[1])
    # a zero desired direction means standing
    still = cfs.step(pos, np.zeros((2, 2)), 1.2, 0.2, walls=NO_WALLS)
    np.testing.assert_array_equal(still.positions_m, pos)


def test_agent_gone_since_the_list_was_built_does_not_hold_back_a_follower() -> None:
    """An agent that left (an evacuee past the exit line) stays where it was but is no longer
    seen, also when the neighbour list is reused: a follower 1 cm from its disc walks on at v0
    (not held back by the overlap rule) and the list returned no longer holds the pair. (If the
    gone body still counted, a crowd standing still would never rebuild its list and stay
    wedged.)"""
    # the first two stand 1 cm apart; the third, far away, walks (same search range both steps)
    pos = np.array([[1.0, 2.0], [1.41, 2.0], [5.0, 2.0]])
    e0 = np.array([[1.0, 0.0], [-1.0, 0.0], [1.0, 0.0]])
    built = cfs.step(pos, e0, 1.2, 0.2, walls=NO_WALLS, moving=np.array([False, False, True]))
    assert built.neighbours is not None
    assert len(built.neighbours.me) == 2
    gone = cfs.step(
        built.positions_m,
        e0,
        1.2,
        0.2,
        walls=NO_WALLS,
        active=np.array([False, True, True]),
        neighbours=built.neighbours,
    )
    expected = np.array([[0.0, 0.0], [-1.2, 0.0], [1.2, 0.0]])
    np.testing.assert_allclose(gone.velocities_m_s, expected, atol=1e-12)
    assert gone.neighbours is not None
    assert len(gone.neighbours.me) == 0
    assert gone.neighbours.reference_m is built.neighbours.reference_m  # pruned, not rebuilt


def test_neighbours_behind_a_wall_are_ignored() -> None:
    """Two agents on either side of the partition x = 4 m do not slow or push each other (the
    wall itself, 0.4 m away, deflects them by less than 1e-3)."""
    pos = np.array([[3.6, 2.0], [4.4, 2.0]])
    e0 = np.array([[0.0, 1.0], [0.0, 1.0]])
    result = cfs.step(pos, e0, 1.0, 0.2, walls=WALLS)
    np.testing.assert_allclose(result.velocities_m_s[:, 1], 1.0, atol=1e-3)
    seen = cfs.step(
        pos,
        e0,
        1.0,
        0.2,
        walls=WALLS,
        params=cfs.CollisionFreeSpeedParameters(hide_neighbours_behind_walls=False),
    )
    assert abs(seen.velocities_m_s[0, 0]) > 1e-3


def test_crowd_leaves_through_a_door() -> None:
    """Forty agents pass a 1 m door in a wall within a plausible time (a smoke test of the loop)."""
    room = box(0.0, 0.0, 6.0, 6.0)
    segs = boundary_segments(room, openings_m=[[[6.0, 2.5], [6.0, 3.5]]])
    walls = walls_from_segments(segs)
    rng = np.random.default_rng(1)
    radius = np.full(200, 0.2)
    pos = rng.uniform([0.5, 0.5], [5.5, 5.5], (200, 2))
    keep = _spread(pos, radius)[:40]
    pos = pos[keep]
    active = np.ones(len(pos), dtype=bool)
    neighbours = None
    t = 0.0
    while active.any() and t < 60.0:
        e0 = np.array([6.5, 3.0]) - pos
        e0 /= np.linalg.norm(e0, axis=1)[:, None]
        res = cfs.step(
            pos, e0, 1.34, 0.2, walls=walls, dt_s=0.05, active=active, neighbours=neighbours
        )
        pos, neighbours = res.positions_m, res.neighbours
        active &= pos[:, 0] < 6.2
        t += 0.05
    assert not active.any()
    assert 15.0 < t < 45.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"positions_m": np.zeros((2, 3))}, "positions_m has shape"),
        ({"desired_direction": np.zeros((3, 2))}, "desired_direction has shape"),
        ({"desired_speed_m_s": -1.0}, "desired_speed_m_s"),
        ({"radius_m": 0.0}, "radius_m"),
        ({"dt_s": 0.0}, "dt_s"),
        ({"active": np.ones(3, dtype=bool)}, "active has shape"),
        ({"positions_m": np.array([[np.nan, 0.0], [1.0, 1.0]])}, "non-finite"),
    ],
)
def test_bad_inputs_are_rejected(kwargs: dict[str, Any], match: str) -> None:
    args: dict[str, Any] = {
        "positions_m": np.array([[1.0, 1.0], [2.0, 2.0]]),
        "desired_direction": np.array([[1.0, 0.0], [1.0, 0.0]]),
        "desired_speed_m_s": 1.0,
        "radius_m": 0.2,
        "dt_s": 0.01,
    } | kwargs
    with pytest.raises(InvalidInputError, match=match):
        cfs.step(
            args.pop("positions_m"),
            args.pop("desired_direction"),
            args.pop("desired_speed_m_s"),
            args.pop("radius_m"),
            walls=NO_WALLS,
            **args,
        )


def test_parameters_are_checked() -> None:
    with pytest.raises(InvalidInputError, match="time_gap_s"):
        cfs.CollisionFreeSpeedParameters(time_gap_s=0.0)
    with pytest.raises(InvalidInputError, match="neighbour_repulsion_range_m"):
        cfs.CollisionFreeSpeedParameters(neighbour_repulsion_range_m=-0.1)
