"""Population: spawn positions, capacity errors, pre-movement distributions and agent specs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout
from scenarios.evacuation.population import (
    DEFAULT_PRE_MOVEMENT,
    MAX_OCCUPANT_DENSITY_P_M2,
    PRE_MOVEMENT_PRESETS,
    SPAWN_CLEARANCE_M,
    AgentSpec,
    PreMovementDistribution,
    max_occupants,
    population_from_layout,
    spawn_agents,
    spawn_positions,
)
from solvers.errors import InvalidInputError


def test_spawned_bodies_are_inside_clear_of_walls_and_apart():
    region = box(0, 0, 8, 5).difference(box(3, 2, 5, 3))  # a room with a column
    pos = spawn_positions(region, 60, radius_m=0.25, rng=3)
    assert pos.shape == (60, 2)
    clearance = shapely.distance(shapely.points(pos), region.boundary)
    assert np.all(shapely.contains_xy(region, pos[:, 0], pos[:, 1]))
    assert clearance.min() >= 0.25 - 1e-9
    d, _ = cKDTree(pos).query(pos, k=2)
    assert d[:, 1].min() >= 0.5 + SPAWN_CLEARANCE_M - 1e-9


def test_spawning_is_deterministic_for_a_seed():
    a = spawn_positions(box(0, 0, 10, 10), 40, radius_m=0.2, rng=11)
    b = spawn_positions(box(0, 0, 10, 10), 40, radius_m=0.2, rng=11)
    c = spawn_positions(box(0, 0, 10, 10), 40, radius_m=0.2, rng=12)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_spawning_avoids_bodies_already_there():
    old = np.array([[1.0, 1.0], [2.0, 2.0]])
    pos = spawn_positions(
        box(0, 0, 3, 3), 8, radius_m=0.2, rng=1, occupied_m=old, occupied_radius_m=0.3
    )
    d, _ = cKDTree(old).query(pos)
    assert d.min() >= 0.5 - 1e-9


def test_too_many_people_for_the_area_names_room_area_and_limit():
    """A 20 m^2 room holds at most floor(20 x 3.76) = 75 people (SFPE standstill density)."""
    assert pytest.approx(1 / 0.266) == MAX_OCCUPANT_DENSITY_P_M2
    assert max_occupants(20.0) == 75
    with pytest.raises(
        InvalidInputError,
        match=r"room 'x' holds 500 people but its walkable area 20\.0 m2 fits at most 75 at "
        + r"the SFPE maximum density 3\.76 /m2",
    ):
        spawn_positions(box(0, 0, 5, 4), 500, radius_m=0.2, rng=0, name="room 'x'")


def test_an_area_too_narrow_for_a_body_is_refused():
    with pytest.raises(InvalidInputError, match="body radius"):
        spawn_positions(box(0, 0, 10, 0.3), 1, radius_m=0.2, rng=0)


def test_packing_failure_is_reported_not_looped_forever():
    # allowed by density but not packable at this radius without overlap
    with pytest.raises(InvalidInputError, match="placed only"):
        spawn_positions(box(0, 0, 4, 4), 60, radius_m=0.3, rng=0)


@pytest.mark.verification
def test_pd7974_presets_hit_their_published_percentiles():
    """PD 7974-6:2004 Table C.1, category A: M1 0.5 + 1 min, M2 1 + 2 min (1st and 99th).

    The log-normal is fitted through the two times exactly, so tolerance is rounding only.
    """
    m1 = PRE_MOVEMENT_PRESETS["pd7974_a_m1"]
    m2 = PRE_MOVEMENT_PRESETS["pd7974_a_m2"]
    assert m1.quantile_s(0.01) == pytest.approx(30.0, rel=1e-9)
    assert m1.quantile_s(0.99) == pytest.approx(90.0, rel=1e-9)
    assert m2.quantile_s(0.01) == pytest.approx(60.0, rel=1e-9)
    assert m2.quantile_s(0.99) == pytest.approx(180.0, rel=1e-9)
    assert DEFAULT_PRE_MOVEMENT is m1


def test_pre_movement_samples_follow_their_distribution():
    rng = np.random.default_rng(5)
    d = PreMovementDistribution.from_percentiles(30.0, 90.0)
    t = d.sample(20000, rng)
    assert np.quantile(t, 0.5) == pytest.approx(d.quantile_s(0.5), rel=0.02)
    u = PreMovementDistribution.uniform(10.0, 20.0).sample(1000, rng)
    assert u.min() >= 10.0
    assert u.max() <= 20.0
    nrm = PreMovementDistribution.normal(5.0, 10.0).sample(1000, rng)
    assert nrm.min() == 0.0
    fixed = PreMovementDistribution.fixed(7.0)
    assert fixed.sample(3, rng).tolist() == [7.0, 7.0, 7.0]
    shifted = PreMovementDistribution.lognormal(10.0, 0.5, offset_s=60.0)
    assert shifted.quantile_s(0.5) == pytest.approx(70.0)
    assert math.isclose(shifted.sample(500, rng).min(), 60.0, abs_tol=10.0)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: PreMovementDistribution(kind="weibull", a=1, b=1), "choose one of"),
        (lambda: PreMovementDistribution.uniform(5, 1), "low_s <= high_s"),
        (lambda: PreMovementDistribution.from_percentiles(30, 20), "must be > first_s"),
        (lambda: PreMovementDistribution.lognormal(-1, 0.5), "median_s"),
        (lambda: PreMovementDistribution.fixed(-1), "value_s"),
        (lambda: PreMovementDistribution.normal(1, -1), "spread"),
    ],
)
def test_bad_distributions_are_refused(make, message):
    with pytest.raises(InvalidInputError, match=message):
        make()


def test_agent_spec_broadcasts_and_checks():
    spec = AgentSpec.create([[1, 1], [2, 2], [3, 3]], pre_movement_s=[0, 1, 2], exit_id="E")
    assert spec.n == 3
    assert spec.level.tolist() == ["L0"] * 3
    assert spec.exit_id.tolist() == ["E"] * 3
    both = AgentSpec.concatenate([spec, spec])
    assert both.n == 6
    assert both.pre_movement_s.tolist() == [0, 1, 2, 0, 1, 2]
    for kwargs, message in (
        ({"desired_speed_m_s": 0.0}, "must be > 0"),
        ({"radius_m": 0.9}, r"must be in \(0, 0.5\]"),
        ({"pre_movement_s": -1.0}, "must be >= 0"),
        ({"pre_movement_s": [1.0, 2.0]}, "shape"),
        ({"level": ["L0"]}, "shape"),
    ):
        with pytest.raises(InvalidInputError, match=message):
            AgentSpec.create([[1, 1], [2, 2], [3, 3]], **kwargs)
    with pytest.raises(InvalidInputError, match="positions_m"):
        AgentSpec.create([[1, np.nan]])


def test_spawn_agents_by_area_with_per_kind_pre_movement():
    layout = EvacuationLayout.from_polygons(
        box(0, 0, 20, 10),
        {"E": [[20, 4], [20, 6]]},
        spawn_areas={"west": box(0, 0, 10, 10), "east": box(10, 0, 20, 10)},
    )
    spec = spawn_agents(
        layout,
        {"west": 30, "east": 10},
        rng=2,
        pre_movement={"east": PreMovementDistribution.fixed(5.0)},
    )
    assert spec.n == 40
    assert spec.area_id.tolist() == ["west"] * 30 + ["east"] * 10
    assert np.all(spec.positions_m[:30, 0] < 10.0)
    assert np.all(spec.pre_movement_s[30:] == 5.0)
    assert np.all(spec.pre_movement_s[:30] > 5.0)  # default PD 7974-6 M1: above 20 s
    d, _ = cKDTree(spec.positions_m).query(spec.positions_m, k=2)
    assert d[:, 1].min() >= 0.4
    with pytest.raises(InvalidInputError, match=r"known rooms and zones: \['east', 'west'\]"):
        spawn_agents(layout, {"north": 1}, rng=0)


def test_spawn_agents_with_sampled_radii_and_speeds():
    layout = EvacuationLayout.from_polygons(
        box(0, 0, 10, 10), {"E": [[10, 4], [10, 6]]}, spawn_areas={"a": box(0, 0, 10, 10)}
    )
    spec = spawn_agents(
        layout,
        {"a": 20},
        rng=4,
        radius_m=lambda n, g: g.uniform(0.2, 0.3, n),
        speed_sampler=lambda n, g: np.full(n, 1.1),
    )
    assert np.all((spec.radius_m >= 0.2) & (spec.radius_m <= 0.3))
    assert np.all(spec.desired_speed_m_s == 1.1)


def test_population_from_site_occupancy(small_site_layout):
    """The small site on the day shift: 3 in R1, 2 in R2 (office), 2 in zone Z1 (outdoors)."""
    spec = population_from_layout(small_site_layout, "day", rng=0)
    assert spec.n == 7
    assert sorted(spec.area_id.tolist()) == ["R1"] * 3 + ["R2"] * 2 + ["Z1"] * 2
    assert set(spec.level[spec.area_id == "Z1"].tolist()) == {"outdoor"}
    assert set(spec.level[spec.area_id == "R1"].tolist()) == {"office/L0"}
    night = population_from_layout(small_site_layout, "night", rng=0)
    assert night.n == 1
