from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString

from solvers.errors import InvalidInputError
from solvers.pedestrian.walls import Walls, point_segment_distance, walls_from_segments

ROOM = np.array(
    [
        [[0.0, 0.0], [10.0, 0.0]],
        [[10.0, 0.0], [10.0, 8.0]],
        [[10.0, 8.0], [0.0, 8.0]],
        [[0.0, 8.0], [0.0, 0.0]],
        [[5.0, 0.0], [5.0, 5.0]],  # partition
        [[2.0, 6.0], [3.5, 7.2]],  # a diagonal piece
    ]
)


def _brute_distances(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    lines = shapely.linestrings(segments)
    pts = shapely.points(points)
    return np.asarray(shapely.distance(pts[:, None], lines[None, :]))


@pytest.mark.verification
def test_distance_and_normal_match_hand_values() -> None:
    """Analytic: distances and normals to axis-aligned walls of a 10 m x 8 m room (exact)."""
    walls = walls_from_segments(ROOM[:4])
    contacts = walls.distance_and_normal(np.array([[1.0, 0.3], [9.5, 4.0]]), 0.6)
    got = sorted(
        zip(
            contacts.point_index.tolist(),
            contacts.segment_index.tolist(),
            contacts.distance_m.round(12).tolist(),
            strict=True,
        )
    )
    assert got == [(0, 0, 0.3), (1, 1, 0.5)]
    normal = contacts.normal[np.argsort(contacts.point_index)]
    np.testing.assert_allclose(normal, [[0.0, 1.0], [-1.0, 0.0]])


coords = st.floats(-1.0, 11.0, allow_nan=False, allow_subnormal=False)


@pytest.mark.property
@given(
    st.lists(st.tuples(coords, coords), min_size=1, max_size=30),
    st.floats(0.0, 2.0),
)
def test_distance_and_normal_find_every_wall_in_range(points: list, max_range: float) -> None:
    """Against a brute-force shapely distance to every segment: same pairs, same distances."""
    pts = np.array(points)
    walls = walls_from_segments(ROOM)
    contacts = walls.distance_and_normal(pts, max_range)
    brute = _brute_distances(pts, ROOM)
    expected = {(int(i), int(j)) for i, j in zip(*np.nonzero(brute <= max_range), strict=True)}
    got = set(zip(contacts.point_index.tolist(), contacts.segment_index.tolist(), strict=True))
    # pairs at the range limit may differ by rounding
    edge = {(i, j) for i, j in expected ^ got if abs(brute[i, j] - max_range) > 1e-9}
    assert not edge
    np.testing.assert_allclose(
        contacts.distance_m, brute[contacts.point_index, contacts.segment_index], atol=1e-9
    )
    np.testing.assert_allclose(np.linalg.norm(contacts.normal, axis=1), 1.0)


@pytest.mark.property
@given(st.lists(st.tuples(coords, coords, coords, coords), min_size=1, max_size=30))
def test_crosses_agrees_with_shapely(steps: list) -> None:
    """Against shapely's intersection test: the two agree except for steps that pass within
    rounding (1e-9 m) of a wall, where either answer is acceptable (touching counts as crossing,
    and both tests round)."""
    arr = np.array(steps)
    p0, p1 = arr[:, :2], arr[:, 2:]
    walls = walls_from_segments(ROOM)
    got = walls.crosses(p0, p1)
    lines = shapely.linestrings(ROOM)
    steps_geom = [
        LineString([a, b]) if np.hypot(*(b - a)) > 1e-9 else shapely.points(a)
        for a, b in zip(p0, p1, strict=True)
    ]
    gap = np.array([shapely.distance(g, lines).min() for g in steps_geom])
    expected = gap == 0.0
    assert np.all(gap[got != expected] < 1e-9)


@pytest.mark.property
@given(st.lists(st.tuples(st.floats(-30.0, 40.0), st.floats(-30.0, 40.0)), min_size=1))
def test_clearance_bound_never_exceeds_true_distance(points: list) -> None:
    """The cheap lower bound used to skip far agents is a true lower bound (brute force)."""
    pts = np.array(points)
    walls = walls_from_segments(ROOM)
    bound = walls.clearance_lower_bound_m(pts)
    assert np.all(bound <= _brute_distances(pts, ROOM).min(axis=1) + 1e-12)


def test_nearest_reports_inf_out_of_range() -> None:
    walls = walls_from_segments(ROOM[:4])
    dist, normal = walls.nearest(np.array([[5.0, 4.0], [0.2, 0.1]]), 1.0)
    assert dist[0] == np.inf
    np.testing.assert_array_equal(normal[0], [0.0, 0.0])
    assert dist[1] == pytest.approx(0.1)
    np.testing.assert_allclose(normal[1], [0.0, 1.0])


def test_degenerate_segments_are_dropped_and_empty_walls_work() -> None:
    walls = walls_from_segments([[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [1.0, 0.0]]])
    assert walls.count == 1
    empty = Walls(np.zeros((0, 2, 2)))
    assert empty.count == 0
    assert not empty.crosses(np.zeros((2, 2)), np.ones((2, 2))).any()
    assert len(empty.distance_and_normal(np.zeros((3, 2)), 5.0).distance_m) == 0


def test_segments_are_read_only() -> None:
    walls = walls_from_segments(ROOM)
    with pytest.raises(ValueError, match="read-only"):
        walls.segments_m[0, 0, 0] = 1.0


@pytest.mark.parametrize(
    ("segments", "match"),
    [(np.zeros((3, 2)), "must be \\(m, 2, 2\\)"), ([[[0, 0], [np.nan, 1]]], "non-finite")],
)
def test_bad_segments_are_rejected(segments: object, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        walls_from_segments(segments)  # type: ignore[arg-type]


def test_bad_queries_are_rejected() -> None:
    walls = walls_from_segments(ROOM)
    with pytest.raises(InvalidInputError, match="points_m"):
        walls.distance_and_normal(np.zeros((3, 3)), 1.0)
    with pytest.raises(InvalidInputError, match="max_range_m"):
        walls.distance_and_normal(np.zeros((3, 2)), -1.0)
    with pytest.raises(InvalidInputError, match="same"):
        walls.crosses(np.zeros((3, 2)), np.zeros((2, 2)))


def test_point_on_a_wall_gets_its_left_normal() -> None:
    dist, normal = point_segment_distance(np.array([[1.0, 0.0]]), ROOM[:1])
    assert dist[0] == 0.0
    np.testing.assert_allclose(normal[0], [0.0, 1.0])
