"""The evacuation model: walking, pre-movement, exit choice, blocking, stairs, sites, seeds."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pytest
from numpy.typing import ArrayLike
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout
from scenarios.evacuation.model import (
    MAX_DT_S,
    AgentState,
    EvacuationModel,
    Pedestrian,
)
from scenarios.evacuation.plan import EvacuationPlan, Route
from scenarios.evacuation.population import (
    AgentSpec,
    PreMovementDistribution,
    population_from_layout,
    spawn_agents,
)
from solvers.errors import InvalidInputError

DT = 0.05


def corridor_model(positions: ArrayLike, **kwargs: Any) -> EvacuationModel:
    """People in a 20 m x 6 m room with 1 m exits W (x = 0) and E (x = 20)."""
    spec_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in ("pre_movement_s", "exit_id")}
    spec = AgentSpec.create(positions, desired_speed_m_s=1.2, **spec_kwargs)
    kwargs.setdefault("trajectory_interval_s", None)
    return EvacuationModel.from_polygons(
        box(0, 0, 20, 6),
        {"W": [[0.0, 2.5], [0.0, 3.5]], "E": [[20.0, 2.5], [20.0, 3.5]]},
        spec,
        **kwargs,
    )


def test_one_person_walks_to_the_exit_at_free_speed():
    """Alone in a room, 8 m from the exit line: out after about 8 / 1.2 = 6.7 s.

    The distance field bends around the wall band (floor_field's wall buffer) and the exit is
    counted when the centre crosses the line, so allow 4 %.
    """
    model = corridor_model([[12.0, 3.0]], rng=0)
    result = model.run_until_clear(max_time_s=30.0, dt_s=DT)
    assert result.records["exit"].tolist() == ["E"]
    assert result.rset_s == pytest.approx(8.0 / 1.2, rel=0.04)
    assert result.records["distance_m"][0] == pytest.approx(8.0, rel=0.04)
    assert result.records["outcome"].tolist() == ["evacuated"]


def test_pre_movement_delays_the_start():
    early = corridor_model([[12.0, 3.0]], rng=0).run_until_clear(30.0, DT)
    late = corridor_model([[12.0, 3.0]], rng=0, pre_movement_s=5.0).run_until_clear(30.0, DT)
    assert late.rset_s - early.rset_s == pytest.approx(5.0, abs=2 * DT)


def test_nobody_moves_before_the_alarm():
    model = corridor_model([[12.0, 3.0]], rng=0, alarm_time_s=None)
    for _ in range(20):
        model.advance(DT)
    np.testing.assert_array_equal(model.positions_m, [[12.0, 3.0]])
    assert model.state.tolist() == [AgentState.WAITING]
    model.raise_alarm(model.time_s)
    model.advance(DT)
    assert model.state.tolist() == [AgentState.MOVING]
    assert model.positions_m[0, 0] > 12.0


def test_advance_follows_the_driving_clock():
    model = corridor_model([[12.0, 3.0]], rng=0, pre_movement_s=2.0)
    model.advance(DT, t_s=1.9)
    assert model.state.tolist() == [AgentState.WAITING]
    model.advance(DT, t_s=2.0)
    assert model.state.tolist() == [AgentState.MOVING]
    assert model.time_s == pytest.approx(2.0 + DT)


def test_people_go_to_their_nearest_exit():
    model = corridor_model([[3.0, 3.0], [17.0, 3.0], [4.0, 1.0]], rng=0)
    result = model.run_until_clear(30.0, DT)
    assert result.records["exit"].tolist() == ["W", "E", "W"]


def test_a_plan_overrides_nearness():
    model = corridor_model([[3.0, 3.0], [17.0, 3.0]], rng=0, exit_id=["E", ""])
    result = model.run_until_clear(40.0, DT)
    assert result.records["exit"].tolist() == ["E", "E"]
    assert model.agent_list[0].strategy == "plan"
    assert model.agent_list[1].strategy == "nearest"


def test_plan_by_area_and_known_exits(two_exit_layout):
    layout = EvacuationLayout.from_polygons(
        box(0, 0, 20, 6),
        {"W": [[0.0, 2.5], [0.0, 3.5]], "E": [[20.0, 2.5], [20.0, 3.5]]},
        spawn_areas={"west": box(0, 0, 10, 6), "east": box(10, 0, 20, 6)},
    )
    crowd = spawn_agents(
        layout, {"west": 5, "east": 5}, rng=1, pre_movement=PreMovementDistribution.fixed(0)
    )
    plan = EvacuationPlan(routes={"west": Route(exit_id="E")}, known_exits=frozenset({"E"}))
    result = EvacuationModel(layout, crowd, rng=1, plan=plan).run_until_clear(60.0, DT)
    assert set(result.records["exit"].tolist()) == {"E"}
    bad = EvacuationPlan(routes={"west": Route(exit_id="N")})
    with pytest.raises(InvalidInputError, match=r"'N' does not exist; known exits: \['E', 'W'\]"):
        EvacuationModel(layout, crowd, rng=1, plan=bad)


def test_a_blocked_exit_sends_people_to_the_other():
    model = corridor_model([[15.0, 3.0], [16.0, 2.0]], rng=0, blocked_exits={"E": 1.0})
    result = model.run_until_clear(60.0, DT)
    assert result.records["exit"].tolist() == ["W", "W"]
    assert result.rset_s > 13.0  # walked back west


def test_blocking_every_exit_leaves_people_inside_and_reopening_lets_them_out():
    model = corridor_model([[15.0, 3.0]], rng=0)
    model.block_exit("E")
    model.block_exit("W")
    for _ in range(40):
        model.advance(DT)
    assert model.target_exit.tolist() == [-1]
    assert model.n_active == 1
    model.open_exit("W")
    result = model.run_until_clear(60.0, DT)
    assert result.records["exit"].tolist() == ["W"]


def test_whoever_is_pushed_past_an_open_exit_leaves_through_it() -> None:
    """Regression: people crossing the line of an exit they were not heading for used to stay
    outside the room for good (RiMEA test 11). Now they leave through it, and it is recorded."""
    model = corridor_model([[17.0, 3.0], [16.0, 2.0]], rng=0, exit_id=["W", "W"])
    model.advance(DT)
    assert model.target_exit.tolist() == [0, 0]  # both head west
    model.block_exit("E")
    # a push carries both past the east exit's line, within its width
    model.positions_m[:] = [[20.1, 3.0], [20.05, 2.7]]
    model.advance(DT, t_s=1.0)
    # the open exit takes them; a blocked one does not
    assert model.state.tolist() == [AgentState.MOVING] * 2
    model.open_exit("E")
    model.positions_m[:] = [[20.1, 3.0], [20.05, 2.7]]
    model.advance(DT, t_s=2.0)
    assert model.state.tolist() == [AgentState.EXITED] * 2
    records = model.result().records
    assert records["exit"].tolist() == ["E", "E"]
    np.testing.assert_allclose(records["exit_time_s"], 2.0 + DT)


def test_a_crowd_pressed_through_the_other_door_still_gets_out() -> None:
    """Sixty people choosing between two doors 1 m apart on one wall, queue-aware and never
    reconsidering: bodies squeezed past the door they did not choose leave through it, and the
    room empties (before, three stayed outside the wall and the run stalled)."""
    from scenarios.validation._rimea_layouts import lattice_positions, simulate

    pos = lattice_positions(box(0.5, 0.5, 4.5, 7.5), 60, rng=np.random.default_rng(1))
    crowd = AgentSpec.create(pos, desired_speed_m_s=1.34)
    model = EvacuationModel.from_polygons(
        box(0, 0, 10, 8),
        {"A": [[6.0, 8.0], [7.0, 8.0]], "B": [[8.0, 8.0], [9.0, 8.0]]},
        crowd,
        rng=0,
        trajectory_interval_s=None,
        exit_strategy="quickest",
    )
    simulate(model, max_time_s=120.0, dt_s=DT)
    used = model.result().records["exit"]
    assert model.n_active == 0
    assert sorted(set(used.tolist())) == ["A", "B"]


def test_quickest_uses_the_far_exit_when_the_near_one_queues():
    """Forty people near the east exit: nearest sends all east, quickest sends some west."""
    layout = EvacuationLayout.from_polygons(
        box(0, 0, 20, 6),
        {"W": [[0.0, 2.5], [0.0, 3.5]], "E": [[20.0, 2.5], [20.0, 3.5]]},
        spawn_areas={"east": box(12, 0, 20, 6)},
    )
    crowd = spawn_agents(layout, {"east": 40}, rng=3, pre_movement=PreMovementDistribution.fixed(0))
    nearest = EvacuationModel(layout, crowd, rng=0, exit_strategy="nearest")
    quickest = EvacuationModel(layout, crowd, rng=0, exit_strategy="quickest")
    nearest.advance(DT)
    quickest.advance(DT)
    assert np.all(nearest.target_exit == layout.exit_index("E"))
    west = int((quickest.target_exit == layout.exit_index("W")).sum())
    assert 3 <= west <= 25


def test_same_seed_same_numbers():
    layout = EvacuationLayout.from_polygons(
        box(0, 0, 12, 8), {"E": [[12, 3.5], [12, 4.5]]}, spawn_areas={"a": box(0, 0, 12, 8)}
    )
    dist = PreMovementDistribution.uniform(0.0, 2.0)

    def run(seed):
        crowd = spawn_agents(layout, {"a": 25}, rng=seed, pre_movement=dist)
        model = EvacuationModel(layout, crowd, rng=seed, trajectory_interval_s=0.5)
        return model.run_until_clear(60.0, DT)

    a, b, c = run(7), run(7), run(8)
    np.testing.assert_array_equal(a.records, b.records)
    np.testing.assert_array_equal(a.trajectories.x_m, b.trajectories.x_m)
    assert not np.array_equal(a.records["exit_time_s"], c.records["exit_time_s"])


def test_mesa_agents_mirror_the_arrays():
    model = corridor_model([[3.0, 3.0], [17.0, 3.0]], rng=0)
    assert len(model.agents) == 2
    assert all(isinstance(a, Pedestrian) for a in model.agents)
    assert isinstance(model, mesa.Model)
    first = model.agent_list[0]
    assert first.level_key == "L0"
    model.advance(DT)
    np.testing.assert_array_equal(first.position_m, model.positions_m[0])
    assert first.state is AgentState.MOVING
    assert first.exit_id == "W"
    first.request_route()
    assert first.needs_route


@pytest.mark.parametrize(
    ("positions", "message"),
    [
        ([[25.0, 3.0]], "agent 0 at .* not on the walkable floor"),
        ([[0.1, 1.0]], "agent 0 at .* overlaps the wall"),
        ([[5.0, 3.0], [5.2, 3.0]], "agents 0 and 1 on level 'L0' overlap"),
    ],
)
def test_bad_placements_are_refused(positions, message):
    with pytest.raises(InvalidInputError, match=message):
        corridor_model(positions, rng=0)


def test_person_inside_a_column_is_refused():
    region = box(0, 0, 10, 10).difference(box(4, 4, 6, 6))
    spec = AgentSpec.create([[5.0, 5.0]])
    with pytest.raises(InvalidInputError, match="not on the walkable floor"):
        EvacuationModel.from_polygons(region, {"E": [[10, 4], [10, 6]]}, spec, rng=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"exit_strategy": "random"}, "exit_strategy = 'random'"),
        ({"door_flow_cap_p_s_m": 0.0}, "door_flow_cap_p_s_m"),
        ({"trajectory_interval_s": -1.0}, "trajectory_interval_s"),
        ({"route_update_interval_s": 0.0}, "route_update_interval_s"),
        ({"blocked_exits": {"X": 1.0}}, "known exits"),
    ],
)
def test_bad_model_options_are_refused(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        corridor_model([[5.0, 3.0]], rng=0, **kwargs)


@pytest.mark.parametrize("dt", [0.0, -0.01, MAX_DT_S * 2, float("nan")])
def test_time_step_outside_the_allowed_range_is_refused(dt):
    model = corridor_model([[5.0, 3.0]], rng=0)
    with pytest.raises(InvalidInputError, match="dt_s = "):
        model.advance(dt)
    with pytest.raises(InvalidInputError, match="dt_s = "):
        model.run_until_clear(10.0, dt)


def test_unknown_level_in_the_crowd_is_refused(room_layout):
    with pytest.raises(InvalidInputError, match=r"level 'L7' is unknown; known levels: \['L0'\]"):
        EvacuationModel(room_layout, AgentSpec.create([[5, 3]], level="L7"), rng=0)


def test_door_flow_cap_limits_the_flow():
    """A cap of 0.5 persons/(s m) on the 1.2 m exit lets through at most 0.6 persons/s."""
    layout = EvacuationLayout.from_polygons(
        box(0, 0, 10, 6), {"E": [[10, 2.4], [10, 3.6]]}, spawn_areas={"a": box(4, 0, 10, 6)}
    )
    crowd = spawn_agents(layout, {"a": 20}, rng=2, pre_movement=PreMovementDistribution.fixed(0))
    free = EvacuationModel(layout, crowd, rng=0).run_until_clear(120.0, DT)
    capped = EvacuationModel(layout, crowd, rng=0, door_flow_cap_p_s_m=0.5).run_until_clear(
        120.0, DT
    )
    assert capped.n_out == 20
    assert capped.mean_flow_p_s("E") <= 0.6 * 1.05
    assert free.mean_flow_p_s("E") > 1.0


def test_people_upstairs_come_down_the_stair_and_leave(two_storey_layout):
    crowd = AgentSpec.create([[2.0, 2.0], [3.0, 3.0], [5.0, 4.0]], level="L1")
    model = EvacuationModel(two_storey_layout, crowd, rng=0, trajectory_interval_s=0.25)
    seen_on_stairs = False
    while model.n_active and model.time_s < 60.0:
        model.advance(DT)
        seen_on_stairs |= bool(np.any(model.state == AgentState.ON_STAIRS))
    result = model.result()
    assert seen_on_stairs
    assert result.records["exit"].tolist() == ["E", "E", "E"]
    assert result.records["start_level"].tolist() == ["L1"] * 3
    lane_length = np.hypot(4.0, 3.0)
    assert result.rset_s > lane_length / 1.2  # the stair alone takes this long at full speed
    traj = result.trajectories
    assert np.any(traj.level == -1)  # samples on the stair
    on_stair_z = traj.z_m[traj.level == -1]
    assert on_stair_z.min() >= 0.0
    assert on_stair_z.max() <= 3.0
    assert np.any((on_stair_z > 0.5) & (on_stair_z < 2.5))


def test_a_narrow_stair_queues_people():
    """Ten people upstairs: the stair is walked in file, so the last leaves well after the first."""
    from scenarios.evacuation.layout import StairSpec

    stair = StairSpec(
        id="S1",
        lower_key="L0",
        upper_key="L1",
        bottom_m=np.array([[7.0, 6.0], [7.8, 6.0]]),
        top_m=np.array([[3.0, 6.0], [3.8, 6.0]]),
        width_m=0.8,
        length_m=4.0,
        rise_m=3.0,
    )
    layout = EvacuationLayout.from_polygons(
        {"L0": box(0, 0, 10, 6), "L1": box(0, 0, 10, 6)},
        [("E", "L0", [[10.0, 2.0], [10.0, 4.0]])],
        elevations_m={"L0": 0.0, "L1": 3.0},
        stairs=[stair],
        spawn_areas={"up": box(0, 0, 6, 6).intersection(box(0, 0, 10, 6))},
    )
    crowd = spawn_agents(layout, {"up": 10}, rng=0, pre_movement=PreMovementDistribution.fixed(0))
    crowd = AgentSpec.create(crowd.positions_m, level="L1", desired_speed_m_s=1.2)
    result = EvacuationModel(layout, crowd, rng=0).run_until_clear(120.0, DT)
    assert result.n_out == 10
    t = result.exit_times_s()
    assert t[-1] - t[0] > 4.0  # ten bodies in file on 0.8 m at under 1.2 m/s


def test_site_occupants_leave_the_office_and_walk_to_the_muster_point(
    small_site, small_site_layout
):
    crowd = population_from_layout(
        small_site_layout, "day", rng=0, pre_movement=PreMovementDistribution.fixed(0.0)
    )
    plan = EvacuationPlan(default_muster_id="M1")
    model = EvacuationModel(small_site_layout, crowd, rng=0, plan=plan)
    result = model.run_until_clear(max_time_s=120.0, dt_s=DT)
    rec = result.records
    assert result.outcome_counts()["mustered"] == 7
    office = np.isin(rec["area"], ["R1", "R2"])
    assert set(rec["exit"][office].tolist()) == {"E1"}
    assert np.all(rec["muster_time_s"][office] > rec["exit_time_s"][office])
    zone = rec["area"] == "Z1"
    assert np.all(rec["exit"][zone] == "")
    assert np.all(np.isfinite(rec["muster_time_s"]))


def test_site_occupants_without_muster_point_end_at_the_building_exit(small_site_layout):
    crowd = population_from_layout(
        small_site_layout, "day", rng=0, pre_movement=PreMovementDistribution.fixed(0.0)
    )
    result = EvacuationModel(small_site_layout, crowd, rng=0).run_until_clear(120.0, DT)
    rec = result.records
    office = np.isin(rec["area"], ["R1", "R2"])
    assert set(rec["exit"][office].tolist()) == {"E1"}
    assert set(rec["exit"][~office].tolist()) == {"G1"}  # outdoor workers leave by the gate
    assert result.outcome_counts()["evacuated"] == 7


def test_progress_is_reported_and_ends_at_one():
    seen = []
    model = corridor_model([[12.0, 3.0], [5.0, 3.0]], rng=0)
    result = model.run_until_clear(30.0, DT, on_progress=seen.append)
    assert seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen)
    assert result.trajectories.n_samples == 0  # no frames asked for


def test_quickest_people_reconsider_on_a_clock():
    model = corridor_model(
        [[15.0, 3.0], [16.0, 2.0]], rng=0, exit_strategy="quickest", reconsider_interval_s=1.0
    )
    calls = []
    original = model._choose

    def spy(group):
        calls.append(round(model.time_s, 2))
        original(group)

    model._choose = spy
    for _ in range(50):
        model.advance(DT)
    assert calls[0] == 0.0
    assert 1.0 in calls
    assert 2.0 in calls


def test_people_walled_in_stay_put_and_the_run_stops():
    """A closed room beside the exit room: its occupant has no route and does not push on walls."""
    region = box(0, 0, 10, 6).union(box(12, 0, 16, 6))  # two parts, only the first has an exit
    spec = AgentSpec.create([[3.0, 3.0], [14.0, 3.0]])
    model = EvacuationModel.from_polygons(region, {"E": [[0, 2.5], [0, 3.5]]}, spec, rng=0)
    result = model.run_until_clear(max_time_s=300.0, dt_s=DT)
    assert result.records["outcome"].tolist() == ["evacuated", "inside"]
    np.testing.assert_allclose(model.positions_m[1], [14.0, 3.0])
    assert result.end_time_s < 10.0


def test_a_router_can_be_shared_between_runs_of_one_layout(room_layout, two_exit_layout):
    from scenarios.evacuation.routing import Router

    router = Router(room_layout)
    crowd = AgentSpec.create([[5.0, 3.0]])
    a = EvacuationModel(room_layout, crowd, rng=0, router=router).run_until_clear(30.0, DT)
    b = EvacuationModel(room_layout, crowd, rng=0).run_until_clear(30.0, DT)
    np.testing.assert_array_equal(a.records, b.records)
    with pytest.raises(InvalidInputError, match="another layout"):
        EvacuationModel(two_exit_layout, crowd, rng=0, router=router)
