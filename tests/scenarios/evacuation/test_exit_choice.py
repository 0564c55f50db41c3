"""Exit choice: nearest, queue-aware quickest and planned, vectorised over people."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scenarios.evacuation.exit_choice import (
    SPECIFIC_FLOW_P_S_M,
    nearest_exit,
    planned_exit,
    queue_ahead,
    quickest_exit,
)
from solvers.errors import InvalidInputError


def test_nearest_respects_allowed_and_unreachable_exits():
    cost = np.array([[1.0, 2.0, 3.0], [np.inf, 5.0, 1.0], [np.inf, np.inf, np.inf]])
    assert nearest_exit(cost).tolist() == [0, 2, -1]
    assert nearest_exit(cost, allowed=[False, True, True]).tolist() == [1, 2, -1]
    per_person = np.array([[True, False, False], [True, True, False], [True, True, True]])
    assert nearest_exit(cost, allowed=per_person).tolist() == [0, 1, -1]


def test_queue_ahead_counts_only_nearer_committed_people():
    committed_cost = np.array([1.0, 2.0, 3.0, 0.5])
    committed_exit = np.array([0, 0, 0, 1])
    q = queue_ahead([[2.5, 0.2], [0.1, 9.0]], committed_cost, committed_exit, 2)
    assert q.tolist() == [[2.0, 0.0], [0.0, 1.0]]
    assert queue_ahead([[2.0, 0.5]], committed_cost, committed_exit, 2).tolist() == [[2.0, 1.0]]


def test_quickest_spreads_a_crowd_over_equal_exits():
    """Fifty people strung out midway between two equal exits split about evenly."""
    d = np.linspace(5.0, 15.0, 50)
    cost = np.column_stack([d, d + 1e-6])
    choice = quickest_exit(cost, np.full(50, 1.3), [1.0, 1.0])
    assert abs(int((choice == 0).sum()) - 25) <= 4
    assert np.all(nearest_exit(cost) == 0)


def test_quickest_trades_walking_time_against_queue_time():
    """Queue time q / (1.3 w): 13 people ahead at a 1 m exit wait 10 s; a 5 m detour takes 5 s."""
    committed = np.zeros(13)
    choice = quickest_exit(
        [[1.0, 6.0]],
        [1.0],
        [1.0, 1.0],
        committed_cost_m=committed,
        committed_exit=np.zeros(13, dtype=int),
    )
    assert choice.tolist() == [1]
    assert SPECIFIC_FLOW_P_S_M == 1.3
    # a wide exit clears its queue faster: 13 people at 13 m width wait 0.77 s
    wide = quickest_exit(
        [[1.0, 6.0]],
        [1.0],
        [13.0, 1.0],
        committed_cost_m=committed,
        committed_exit=np.zeros(13, dtype=int),
    )
    assert wide.tolist() == [0]


def test_planned_exit_falls_back_when_blocked_or_unreachable():
    cost = np.array([[1.0, 2.0], [1.0, np.inf], [1.0, 2.0]])
    got = planned_exit([1, 1, -1], cost, fallback=[0, 0, 0], allowed=[True, True])
    assert got.tolist() == [1, 0, 0]
    blocked = planned_exit([1, 1, 1], cost, fallback=[0, 0, 0], allowed=[True, False])
    assert blocked.tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nearest_exit([1.0, 2.0]), "must be \\(n people, e exits\\)"),
        (lambda: nearest_exit([[np.nan]]), "NaN or negative"),
        (lambda: nearest_exit([[1.0]], allowed=[True, False]), "allowed has shape"),
        (lambda: quickest_exit([[1.0]], [0.0], [1.0]), "speed_m_s"),
        (lambda: quickest_exit([[1.0]], [1.0], [-1.0]), "exit_width_m"),
        (lambda: quickest_exit([[1.0]], [1.0], [1.0], specific_flow_p_s_m=0), "specific_flow"),
        (lambda: planned_exit([0, 0], [[1.0]], [0]), "planned and fallback"),
    ],
)
def test_bad_inputs_are_refused(call, message):
    with pytest.raises(InvalidInputError, match=message):
        call()


@pytest.mark.property
@given(
    cost=arrays(
        np.float64,
        st.tuples(st.integers(1, 12), st.integers(1, 4)),
        elements=st.floats(0.0, 100.0),
    ),
    data=st.data(),
)
def test_choices_are_allowed_and_reachable(cost, data):
    n, e = cost.shape
    allowed = np.array(data.draw(st.lists(st.booleans(), min_size=e, max_size=e)))
    speed = np.full(n, 1.2)
    for choice in (
        nearest_exit(cost, allowed),
        quickest_exit(cost, speed, np.ones(e), allowed=allowed),
    ):
        if not allowed.any():
            assert np.all(choice == -1)
        else:
            assert np.all(choice >= 0)
            assert np.all(allowed[choice])
    near = nearest_exit(cost, allowed)
    if allowed.any():
        best = np.where(allowed, cost, np.inf).min(axis=1)
        assert np.allclose(cost[np.arange(n), near], best)
