"""The neighbour (Verlet) lists of solvers.pedestrian._common: complete while they hold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geometry.boundary_segments import boundary_segments
from solvers.pedestrian._common import build_neighbour_list, hidden_pairs, wall_contacts
from solvers.pedestrian.walls import walls_from_segments

ROOM = box(0.0, 0.0, 10.0, 6.0)
WALLS = walls_from_segments(
    np.concatenate(
        [
            boundary_segments(ROOM, openings_m=[[[10.0, 2.0], [10.0, 3.0]]]),
            [[[5.0, 0.0], [5.0, 2.5]], [[5.0, 3.5], [5.0, 6.0]]],  # a partition with a door
            [[[2.0, 4.0], [3.0, 4.6]]],  # a free-standing screen
        ]
    )
)
CUTOFF_M = 1.8
WALL_RANGE_M = 0.45
SKIN_M = 0.3


@pytest.mark.property
@settings(max_examples=40)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 150))
def test_list_stays_complete_while_agents_move_less_than_half_the_skin(seed: int, n: int) -> None:
    """Brute force after random moves shorter than skin / 2: every pair within the cutoff, every
    wall within range and every wall between two listed agents is found."""
    rng = np.random.default_rng(seed)
    start = rng.uniform([-0.5, -0.5], [11.0, 6.5], (n, 2))
    present = rng.random(n) < 0.9
    radius = np.full(n, 0.2)
    nbr = build_neighbour_list(
        start,
        present,
        radius,
        cutoff_m=CUTOFF_M,
        wall_range_m=WALL_RANGE_M,
        skin_m=SKIN_M,
        walls=WALLS,
    )
    angle = rng.uniform(0, 2 * np.pi, n)
    step = rng.uniform(0, 0.5 * SKIN_M * 0.999, n)
    now = start + step[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    assert nbr.holds_for(now, present, radius, CUTOFF_M, WALL_RANGE_M)

    listed = set(zip(nbr.me.tolist(), nbr.other.tolist(), strict=True))
    d = np.linalg.norm(now[:, None] - now[None], axis=2)
    close = (d <= CUTOFF_M) & present[:, None] & present[None]
    np.fill_diagonal(close, False)
    assert {(int(i), int(j)) for i, j in zip(*np.nonzero(close), strict=True)} <= listed

    agent, seg, _, _ = wall_contacts(nbr, WALLS, now, present)
    contacts = WALLS.distance_and_normal(now, WALL_RANGE_M)
    expected = {
        (int(a), int(s))
        for a, s in zip(contacts.point_index, contacts.segment_index, strict=True)
        if present[a]
    }
    assert expected <= set(zip(agent.tolist(), seg.tolist(), strict=True))

    hidden = hidden_pairs(nbr, WALLS, now)
    brute = WALLS.crosses(now[nbr.me], now[nbr.other])
    np.testing.assert_array_equal(np.zeros_like(brute) if hidden is None else hidden, brute)


def test_list_is_rebuilt_when_an_agent_moved_too_far_or_joined() -> None:
    pos = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])
    present = np.array([True, True, False])
    radius = np.full(3, 0.2)
    nbr = build_neighbour_list(
        pos, present, radius, cutoff_m=1.0, wall_range_m=0.5, skin_m=0.3, walls=WALLS
    )
    step = np.array([0.1, 0.0])
    assert nbr.holds_for(pos + step, present, radius, 1.0, 0.5)
    assert not nbr.holds_for(pos + 2 * step, present, radius, 1.0, 0.5)
    assert not nbr.holds_for(pos, np.ones(3, dtype=bool), radius, 1.0, 0.5)
    assert not nbr.holds_for(pos, present, radius, 1.2, 0.5)
    assert not nbr.holds_for(pos, present, radius * 1.5, 1.0, 0.5)
    # agents leaving is fine
    assert nbr.holds_for(pos, np.array([True, False, False]), radius, 1.0, 0.5)


def test_list_never_serves_other_walls() -> None:
    pos = np.array([[1.0, 1.0], [2.0, 1.0]])
    present = np.ones(2, dtype=bool)
    radius = np.full(2, 0.2)
    nbr = build_neighbour_list(
        pos, present, radius, cutoff_m=1.0, wall_range_m=0.5, skin_m=0.3, walls=WALLS
    )
    other = walls_from_segments(WALLS.segments_m[:3])
    assert nbr.holds_for(pos, present, radius, 1.0, 0.5, WALLS)
    assert not nbr.holds_for(pos, present, radius, 1.0, 0.5, other)
