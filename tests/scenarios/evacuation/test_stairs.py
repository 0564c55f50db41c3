"""Stair lanes: frame mapping, entry and arrival points, stair speeds."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout
from scenarios.evacuation.model import AgentState, EvacuationModel
from scenarios.evacuation.population import AgentSpec
from scenarios.evacuation.stairs import (
    ARRIVAL_GAP_M,
    DEFAULT_STAIR_SPEED_MODEL,
    STAIR_SPEED_MODELS,
    StairLane,
    stair_lanes,
    stair_speed_ratio,
    stair_speed_ratios,
)
from solvers.errors import InvalidInputError
from solvers.pedestrian import walking_speed


@pytest.fixture
def lane(two_storey_layout: EvacuationLayout) -> StairLane:
    return stair_lanes(two_storey_layout)[0]


def test_lane_frame_maps_onto_the_end_segments(lane: StairLane) -> None:
    length = np.hypot(4.0, 3.0)
    assert lane.length_m == pytest.approx(length)
    assert (lane.lower, lane.upper) == (0, 1)
    ends = lane.to_site(np.array([[0.0, 0.0], [0.0, 1.2], [length, 0.0], [length, 1.2]]))
    np.testing.assert_allclose(ends[:2], lane.bottom_m)
    np.testing.assert_allclose(ends[2:], lane.top_m)
    z = lane.elevation_m(np.array([[0.0, 0.6], [length / 2, 0.6], [length, 0.6]]), 0.0)
    np.testing.assert_allclose(z, [0.0, 1.5, 3.0])


def test_walls_enclose_the_lane(lane: StairLane) -> None:
    walls = lane.walls
    assert walls.count == 4
    inside = np.array([[1.0, 0.6]])
    outside = np.array([[1.0, 2.0]])
    assert walls.crosses(inside, outside).tolist() == [True]


def test_entry_and_arrival_points(lane: StairLane) -> None:
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
def test_stair_speed_ratio_is_the_sfpe_k_ratio() -> None:
    """SFPE hydraulic model (Gwynne & Rosenbaum 2016): k = 1.08 m/s for 7/11 in stairs against
    k = 1.40 m/s for corridors, so stairs are walked at 1.08 / 1.40 of flat speed. Exact."""
    assert stair_speed_ratio(7.0, 11.0) == pytest.approx(
        walking_speed.SFPE_K_STAIRS_M_S[(7.0, 11.0)] / walking_speed.SFPE_K_CORRIDOR_M_S
    )
    assert stair_speed_ratio(7.0, 11.0) == pytest.approx(1.08 / 1.40)
    steep = stair_speed_ratio(7.5, 10.0)
    shallow = stair_speed_ratio(6.5, 13.0)
    assert steep < stair_speed_ratio(7.0, 11.0) < shallow


@pytest.mark.verification
def test_weidmann_direction_walks_the_published_stair_speeds() -> None:
    """Weidmann (1993): mean horizontal speeds on stairs 0.610 m/s up and 0.694 m/s down for a
    mean free speed of 1.34 m/s on the flat. The ratios times 1.34 m/s, brought back to the plan
    by the cosine of the pitch, give them back; exact arithmetic."""
    for rise, run in ((3.0, 4.0), (0.17, 0.29), (1.0, 2.0)):
        up, down = stair_speed_ratios(rise, run, "weidmann_direction")
        plan = run / np.hypot(rise, run)
        assert up * 1.34 * plan == pytest.approx(walking_speed.WEIDMANN_STAIR_UP_SPEED_M_S)
        assert down * 1.34 * plan == pytest.approx(walking_speed.WEIDMANN_STAIR_DOWN_SPEED_M_S)


@pytest.mark.verification
def test_default_stair_speeds_keep_the_sfpe_round_trip_and_the_weidmann_split() -> None:
    """Default model: the harmonic mean of the two directions is the SFPE ratio k(stair) /
    k(corridor) (Gwynne & Rosenbaum 2016), and down / up = 0.694 / 0.610 (Weidmann 1993);
    exact arithmetic."""
    assert DEFAULT_STAIR_SPEED_MODEL == "sfpe_direction"
    for rise, run in ((7.0, 11.0), (0.17, 0.29), (7.5, 10.0)):
        up, down = stair_speed_ratios(rise, run)
        assert 2 * up * down / (up + down) == pytest.approx(stair_speed_ratio(rise, run))
        assert down / up == pytest.approx(0.694 / 0.610)
    assert stair_speed_ratios(7.0, 11.0, "sfpe") == (stair_speed_ratio(7.0, 11.0),) * 2


def test_lane_speed_ratios_follow_the_model(two_storey_layout: EvacuationLayout) -> None:
    for model in STAIR_SPEED_MODELS:
        lane = stair_lanes(two_storey_layout, speed_model=model)[0]
        up, down = stair_speed_ratios(3.0, 4.0, model)
        assert (lane.speed_ratio_up, lane.speed_ratio_down) == (up, down)
        np.testing.assert_array_equal(lane.speed_ratio_of(np.array([True, False])), [up, down])
        assert min(up, down) <= lane.speed_ratio <= max(up, down)
    with pytest.raises(InvalidInputError, match="stair speed model"):
        stair_lanes(two_storey_layout, speed_model="escalator")


def _time_on_stairs_s(model: EvacuationModel, dt_s: float = 0.05) -> np.ndarray:
    on = np.zeros(model.n)
    while model.n_active and model.time_s < 60.0:
        model.advance(dt_s)
        on += model.state == AgentState.ON_STAIRS
    return on * dt_s


def test_people_walk_down_faster_than_up_each_at_their_own_pace(
    two_storey_layout: EvacuationLayout,
) -> None:
    """Lone walkers at two free speeds, up and down in turn: the time on the stair is the lane
    length over (own free speed x the direction's ratio), within two steps."""
    spec = two_storey_layout.stairs[0]
    layout = EvacuationLayout.from_polygons(
        {"L0": box(0, 0, 10, 6), "L1": box(0, 0, 10, 6)},
        [("E0", "L0", [[10.0, 2.4], [10.0, 3.6]]), ("E1", "L1", [[10.0, 2.4], [10.0, 3.6]])],
        elevations_m={"L0": 0.0, "L1": 3.0},
        stairs=[spec],
    )
    lane = stair_lanes(layout)[0]
    walked = lane.length_m - 2 * 0.2
    times = {}
    for speed in (1.0, 1.5):
        crowd = AgentSpec.create(
            [[7.6, 5.0], [3.6, 5.0]],
            level=["L0", "L1"],
            exit_id=["E1", "E0"],
            desired_speed_m_s=speed,
            pre_movement_s=[0.0, 20.0],  # one at a time on the one stair
        )
        model = EvacuationModel(layout, crowd, rng=0, trajectory_interval_s=None)
        times["up", speed], times["down", speed] = _time_on_stairs_s(model)
        for way, ratio in (("up", lane.speed_ratio_up), ("down", lane.speed_ratio_down)):
            assert times[way, speed] == pytest.approx(walked / (speed * ratio), abs=0.1)
    assert times["up", 1.0] > times["down", 1.0]
    assert times["down", 1.0] / times["down", 1.5] == pytest.approx(1.5, rel=0.03)


def test_a_router_of_another_stair_model_is_refused(two_storey_layout: EvacuationLayout) -> None:
    from scenarios.evacuation.routing import Router

    crowd = AgentSpec.create([[2.0, 2.0]])
    router = Router(two_storey_layout, stair_speed_model="sfpe")
    with pytest.raises(InvalidInputError, match="stair_speed_model"):
        EvacuationModel(two_storey_layout, crowd, rng=0, router=router)
    model = EvacuationModel(
        two_storey_layout, crowd, rng=0, router=router, stair_speed_model="sfpe"
    )
    assert model.lanes[0].speed_ratio_up == model.lanes[0].speed_ratio_down
