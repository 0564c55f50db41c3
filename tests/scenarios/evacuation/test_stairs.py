"""Stair lanes: frame mapping, entry and arrival points, stair speeds."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.evacuation.stairs import ARRIVAL_GAP_M, stair_lanes, stair_speed_ratio
from solvers.pedestrian import walking_speed


@pytest.fixture
def lane(two_storey_layout):
    return stair_lanes(two_storey_layout)[0]


def test_lane_frame_maps_onto_the_end_segments(lane):
    length = np.hypot(4.0, 3.0)
    assert lane.length_m == pytest.approx(length)
    assert (lane.lower, lane.upper) == (0, 1)
    ends = lane.to_site(np.array([[0.0, 0.0], [0.0, 1.2], [length, 0.0], [length, 1.2]]))
    np.testing.assert_allclose(ends[:2], lane.bottom_m)
    np.testing.assert_allclose(ends[2:], lane.top_m)
    z = lane.elevation_m(np.array([[0.0, 0.6], [length / 2, 0.6], [length, 0.6]]), 0.0)
    np.testing.assert_allclose(z, [0.0, 1.5, 3.0])


def test_walls_enclose_the_lane(lane):
    walls = lane.walls
    assert walls.count == 4
    inside = np.array([[1.0, 0.6]])
    outside = np.array([[1.0, 2.0]])
    assert walls.crosses(inside, outside).tolist() == [True]


def test_entry_and_arrival_points(lane):
    r = np.array([0.2, 0.2])
    at_bottom = np.array([[7.1, 5.7], [8.1, 5.0]])
    assert lane.near_end("bottom", at_bottom, r).tolist() == [True, False]
    entry = lane.entry_local("bottom", at_bottom, r)
    np.testing.assert_allclose(entry[:, 0], 0.2)
    assert entry[0, 1] == pytest.approx(0.2)  # clipped a radius off the side wall
    up = np.array([True, False])
    assert lane.reached_end(np.array([[lane.length_m - 0.1, 0.6], [0.1, 0.6]]), up, r).all()
    arrive = lane.arrival_site(up, np.array([[lane.length_m, 0.6], [0.0, 0.6]]), r)
    # both floors lie south of y = 6: people step off southwards
    np.testing.assert_allclose(arrive[:, 1], 6.0 - (0.2 + ARRIVAL_GAP_M))


@pytest.mark.verification
def test_stair_speed_ratio_is_the_sfpe_k_ratio():
    """SFPE hydraulic model (Gwynne & Rosenbaum 2016): k = 1.08 m/s for 7/11 in stairs against
    k = 1.40 m/s for corridors, so stairs are walked at 1.08 / 1.40 of flat speed. Exact."""
    assert stair_speed_ratio(7.0, 11.0) == pytest.approx(
        walking_speed.SFPE_K_STAIRS_M_S[(7.0, 11.0)] / walking_speed.SFPE_K_CORRIDOR_M_S
    )
    assert stair_speed_ratio(7.0, 11.0) == pytest.approx(1.08 / 1.40)
    steep = stair_speed_ratio(7.5, 10.0)
    shallow = stair_speed_ratio(6.5, 13.0)
    assert steep < stair_speed_ratio(7.0, 11.0) < shallow
