"""Routing: portals, floor fields, route costs through stairs, hazard slowness."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout, StairSpec
from scenarios.evacuation.routing import Router, stair_arrival_normal
from scenarios.evacuation.stairs import stair_lanes
from solvers.errors import InvalidInputError


def test_portals_of_a_two_storey_building(two_storey_layout: EvacuationLayout) -> None:
    router = Router(two_storey_layout)
    kinds = [(p.kind, p.end, p.level) for p in router.portals]
    assert kinds == [("exit", "", 0), ("stair", "bottom", 0), ("stair", "top", 1)]
    assert router.level_portals[1].tolist() == [2]
    assert router.exit_portal.tolist() == [0]
    assert router.portal_name(2) == "S1 top"


def test_route_cost_from_upstairs_adds_the_stair_and_the_walk_below(
    two_storey_layout: EvacuationLayout,
) -> None:
    router = Router(two_storey_layout)
    top = router.portals[2]
    # the stair walked down: its length at the speed people walk it down, as flat metres
    stair_m = np.hypot(4.0, 3.0) / stair_lanes(two_storey_layout)[0].speed_ratio_down
    below = router.fields[0].distance_at(top.arrival_point_m.reshape(1, 2))[0]
    assert router.cost[2, 0] == pytest.approx(stair_m + below)
    assert np.isinf(router.cost[0, 2])  # no way back up from the exit
    portal, dist = router.next_portals(1, np.array([[2.0, 2.0]]), np.array([0]))
    assert portal.tolist() == [2]
    assert dist[0] > router.cost[2, 0]


@pytest.mark.parametrize("model", ["sfpe_direction", "weidmann_direction", "sfpe"])
def test_stair_costs_match_the_stair_speeds_each_way(
    two_storey_layout: EvacuationLayout, model: str
) -> None:
    """A metre of stair costs the flat metres walked in the time it takes, up and down."""
    router = Router(two_storey_layout, stair_speed_model=model)
    lane = stair_lanes(two_storey_layout, speed_model=model)[0]
    bottom, top = router.portals[1], router.portals[2]
    assert (bottom.end, top.end) == ("bottom", "top")
    assert bottom.transfer_m == pytest.approx(lane.length_m / lane.speed_ratio_up)
    assert top.transfer_m == pytest.approx(lane.length_m / lane.speed_ratio_down)
    if model == "sfpe":
        assert bottom.transfer_m == pytest.approx(top.transfer_m)
    else:
        assert bottom.transfer_m > top.transfer_m  # climbing is slower
    with pytest.raises(InvalidInputError, match="stair_speed_model"):
        Router(two_storey_layout, stair_speed_model="fast")


def test_goal_costs_grow_with_distance(room_layout: EvacuationLayout) -> None:
    router = Router(room_layout)
    pts = np.array([[9.0, 3.0], [5.0, 3.0], [1.0, 3.0]])
    cost = router.goal_costs(0, pts, router.exit_portal)
    assert cost.shape == (3, 1)
    assert np.all(np.diff(cost[:, 0]) > 0)
    assert cost[1, 0] == pytest.approx(5.0, rel=0.05)


def test_directions_point_to_the_exit(room_layout: EvacuationLayout) -> None:
    router = Router(room_layout)
    d = router.directions(0, np.array([[2.0, 3.0], [5.0, 3.0]]), np.array([0, -1]))
    np.testing.assert_allclose(d[0], [1.0, 0.0], atol=0.05)
    np.testing.assert_array_equal(d[1], [0.0, 0.0])


def test_slowness_makes_a_route_dearer(two_exit_layout: EvacuationLayout) -> None:
    router = Router(two_exit_layout)
    pt = np.array([[12.0, 3.0]])
    before = router.goal_costs(0, pt, router.exit_portal)[0]
    grid, _ = router.level_cells(0)
    slow = np.ones(grid.shape)
    xx, _ = grid.centres_m()
    slow[xx > 15.0] = 50.0
    router.set_slowness(0, slow)
    after = router.goal_costs(0, pt, router.exit_portal)[0]
    assert after[0] == pytest.approx(before[0], rel=1e-6)  # west untouched
    assert after[1] > 10 * before[1]
    router.set_slowness(0, None)
    np.testing.assert_allclose(router.goal_costs(0, pt, router.exit_portal)[0], before)


def test_stair_arrival_normal_faces_the_floor() -> None:
    floor = box(0, 0, 10, 6)
    seg = np.array([[7.0, 6.0], [8.2, 6.0]])
    np.testing.assert_allclose(stair_arrival_normal(seg, seg, floor), [0.0, -1.0])
    mid_floor = np.array([[5.0, 1.0], [5.0, 2.0]])
    other = np.array([[3.0, 1.0], [3.0, 2.0]])
    np.testing.assert_allclose(stair_arrival_normal(mid_floor, other, floor), [1.0, 0.0])


def test_a_stair_ending_off_the_floor_is_refused() -> None:
    stair = StairSpec(
        id="S",
        lower_key="L0",
        upper_key="L1",
        bottom_m=np.array([[30.0, 30.0], [31.0, 30.0]]),
        top_m=np.array([[1.0, 6.0], [2.0, 6.0]]),
        width_m=1.0,
        length_m=40.0,
        rise_m=3.0,
    )
    with pytest.raises(InvalidInputError, match="stair 'S'"):
        Router(
            EvacuationLayout.from_polygons(
                {"L0": box(0, 0, 10, 6), "L1": box(0, 0, 10, 6)},
                [("E", "L0", [[10, 2], [10, 3]])],
                stairs=[stair],
            )
        )
