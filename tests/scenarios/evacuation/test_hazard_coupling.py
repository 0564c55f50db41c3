"""Hazard coupling: dose, slowing, incapacitation and re-routing around a synthetic gas cloud."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout
from scenarios.evacuation.model import BREATHING_HEIGHT_M, AgentState, EvacuationModel
from scenarios.evacuation.population import AgentSpec
from solvers.hazard_field import HazardSample, QuietField

DT = 0.05
EXITS = {"W": [[0.0, 2.5], [0.0, 3.5]], "E": [[20.0, 2.5], [20.0, 3.5]]}
CORRIDOR = box(0, 0, 20, 6)


@dataclass
class GrowingCloud:
    """A disc of ammonia at a fixed volume fraction whose radius grows linearly in time."""

    centre_m: tuple[float, float]
    radius0_m: float
    growth_m_s: float
    volume_fraction: float
    max_radius_m: float = np.inf
    substance: str = "ammonia"
    asked: list[np.ndarray] = field(default_factory=list)

    def sample(self, points_m: np.ndarray, t_s: float) -> HazardSample:
        pts = np.asarray(points_m, dtype=float).reshape(-1, 3)
        self.asked.append(pts)
        r = min(self.radius0_m + self.growth_m_s * t_s, self.max_radius_m)
        inside = np.hypot(pts[:, 0] - self.centre_m[0], pts[:, 1] - self.centre_m[1]) <= r
        n = len(pts)
        return HazardSample(np.where(inside, self.volume_fraction, 0.0), np.zeros(n), np.zeros(n))


def test_people_in_the_cloud_take_a_dose_and_slow_down() -> None:
    """500 ppm ammonia (below the 10-min AEGL-3 of 2700 ppm): doses grow, walking slows."""
    cloud = GrowingCloud(centre_m=(5.0, 3.0), radius0_m=2.0, growth_m_s=0.0, volume_fraction=5e-4)
    crowd = AgentSpec.create([[5.0, 3.0], [15.0, 3.0]], pre_movement_s=100.0)
    model = EvacuationModel.from_polygons(
        CORRIDOR, EXITS, crowd, rng=0, hazard=cloud, trajectory_interval_s=None
    )
    for _ in range(20):
        model.advance(DT)
    effects = model._effects
    assert effects is not None
    assert effects.state.fed_toxic[0] > 0.0
    assert effects.state.fed_toxic[1] == 0.0
    assert effects.state.toxic_load_ppmn_min[0] == pytest.approx(500.0**2 * 20 * DT / 60.0)
    assert model.speed_factor[0] < 1.0
    assert model.speed_factor[1] == 1.0


def test_hazard_is_sampled_at_breathing_height_above_each_floor(
    two_storey_layout: EvacuationLayout,
) -> None:
    cloud = GrowingCloud(centre_m=(50.0, 50.0), radius0_m=1.0, growth_m_s=0.0, volume_fraction=0.0)
    crowd = AgentSpec.create([[2.0, 2.0], [2.0, 2.0]], level=["L0", "L1"])
    model = EvacuationModel(two_storey_layout, crowd, rng=0, hazard=cloud)
    model.advance(DT)
    people = cloud.asked[0]
    assert people[:, 2].tolist() == [BREATHING_HEIGHT_M, 3.0 + BREATHING_HEIGHT_M]


def test_a_growing_cloud_at_an_exit_turns_people_to_the_other_exit() -> None:
    """The east exit disappears under a cloud above the 10-min AEGL-3: everyone leaves west."""
    cloud = GrowingCloud(
        centre_m=(20.0, 3.0),
        radius0_m=0.1,
        growth_m_s=3.0,
        volume_fraction=0.01,
        max_radius_m=4.0,
    )
    crowd = AgentSpec.create([[14.0, 3.0], [15.0, 1.5], [15.0, 4.5]], desired_speed_m_s=1.0)
    model = EvacuationModel.from_polygons(
        CORRIDOR, EXITS, crowd, rng=0, hazard=cloud, route_update_interval_s=0.5
    )
    model.advance(DT)
    assert model.target_exit.tolist() == [1, 1, 1]  # east is nearest at first
    result = model.run_until_clear(max_time_s=60.0, dt_s=DT)
    assert result.records["exit"].tolist() == ["W", "W", "W"]
    assert np.all(result.records["fed_toxic"] < 1.0)


def test_incapacitated_people_stop_where_they_are() -> None:
    """Pure ammonia at 10 % by volume: the toxic FED passes 1 within seconds."""
    cloud = GrowingCloud(centre_m=(10.0, 3.0), radius0_m=3.0, growth_m_s=0.0, volume_fraction=0.1)
    crowd = AgentSpec.create([[10.0, 3.0], [2.0, 3.0]])
    model = EvacuationModel.from_polygons(CORRIDOR, EXITS, crowd, rng=0, hazard=cloud)
    result = model.run_until_clear(max_time_s=30.0, dt_s=DT)
    assert model.state[0] == AgentState.INCAPACITATED
    assert result.records["outcome"].tolist() == ["incapacitated", "evacuated"]
    assert np.hypot(*(model.positions_m[0] - [10.0, 3.0])) < 3.0
    assert result.records["fatality_probability"][0] > result.records["fatality_probability"][1]
    assert result.records["fed_toxic"][0] >= 1.0
    assert np.isfinite(model.incapacitated_time_s[0])


def test_a_hazard_can_be_passed_per_step() -> None:
    """The driving timeline may hand a sampler to each step instead of the constructor."""
    cloud = GrowingCloud(centre_m=(5.0, 3.0), radius0_m=2.0, growth_m_s=0.0, volume_fraction=5e-4)
    crowd = AgentSpec.create([[5.0, 3.0]], pre_movement_s=100.0)
    model = EvacuationModel.from_polygons(CORRIDOR, EXITS, crowd, rng=0)
    model.advance(DT, t_s=0.0, hazard_sample_fn=cloud)
    model.advance(DT, hazard_sample_fn=cloud.sample)
    assert len(cloud.asked) >= 2
    assert model._effects is not None
    assert model._effects.state.fed_toxic[0] > 0.0


def test_a_quiet_field_changes_nothing_and_a_cloud_after_it_still_counts() -> None:
    """A field that is zero everywhere (a drill) gives the run without hazard, to the last bit;
    a cloud handed to later steps is still sampled and recorded."""
    crowd = AgentSpec.create([[5.0, 3.0], [12.0, 2.0], [14.0, 4.0]])
    plain = EvacuationModel.from_polygons(CORRIDOR, EXITS, crowd, rng=0)
    quiet = EvacuationModel.from_polygons(CORRIDOR, EXITS, crowd, rng=0, hazard=QuietField())
    for _ in range(40):
        plain.advance(DT)
        quiet.advance(DT)
    np.testing.assert_array_equal(quiet.positions_m, plain.positions_m)
    np.testing.assert_array_equal(quiet.speed_factor, plain.speed_factor)
    rec = quiet.result().records
    assert np.all(rec["fed_toxic"] == 0.0)
    assert np.all(rec["fatality_probability"] == 0.0)
    cloud = GrowingCloud(centre_m=(5.0, 3.0), radius0_m=30.0, growth_m_s=0.0, volume_fraction=5e-4)
    quiet.advance(DT, hazard_sample_fn=cloud)
    assert len(cloud.asked[0]) == 3  # everyone sampled (then the cells, for route costs)
    assert quiet._effects is not None
    np.testing.assert_array_equal(quiet._effects.state.peak_volume_fraction, 5e-4)
