"""Tests of solvers.effects.person_dose: the per-agent dose coupling used by the crowd."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.effects.person_dose import (
    DoseState,
    accumulate_dose,
    fatality_probability,
    initial_dose_state,
    is_incapacitated,
    route_cost_multiplier,
    smoke_walking_speed_fraction,
    walking_speed_factor,
)
from solvers.effects.purser_fed import (
    FED_THRESHOLD_SENSITIVE,
    incapacitating_toxic_load,
    low_oxygen_fed_rate_per_min,
    radiant_heat_fed_rate_per_min,
)
from solvers.effects.thermal_dose import TSAO_PERRY_LETHALITY, thermal_probability
from solvers.effects.threshold_zones import aegl_ppm, agent_fraction_for_oxygen
from solvers.effects.toxic_load import toxic_fatality_probability, toxic_load_constant
from solvers.errors import InvalidInputError
from solvers.hazard_field import HazardSample
from solvers.substances.library import HazardData, substance


@pytest.fixture(scope="module")
def ammonia() -> HazardData:
    return substance("ammonia").hazard


@pytest.fixture(scope="module")
def methane() -> HazardData:
    return substance("methane").hazard


def _sample(
    vf: list[float], q: list[float] | None = None, p: list[float] | None = None
) -> HazardSample:
    n = len(vf)
    return HazardSample(
        np.array(vf, dtype=float),
        np.zeros(n) if q is None else np.array(q, dtype=float),
        np.zeros(n) if p is None else np.array(p, dtype=float),
    )


def _run(
    state: DoseState, sample: HazardSample, steps: int, dt_s: float, hazard: HazardData | None
) -> DoseState:
    for _ in range(steps):
        state = accumulate_dose(state, sample, dt_s, hazard=hazard)
    return state


def test_initial_state_is_zero() -> None:
    state = initial_dose_state(4)
    assert state.n == 4
    for name in (
        "toxic_load_ppmn_min",
        "fed_toxic",
        "fed_heat",
        "thermal_dose_w43_s_m83",
        "peak_overpressure_pa",
        "peak_volume_fraction",
    ):
        np.testing.assert_array_equal(getattr(state, name), np.zeros(4))
    assert initial_dose_state(0).n == 0
    for bad in (-1, 2.5, True):
        with pytest.raises(InvalidInputError, match="n ="):
            initial_dose_state(bad)  # type: ignore[arg-type]


@pytest.mark.verification
def test_constant_exposure_matches_the_closed_forms(ammonia: HazardData) -> None:
    """Analytic: 60 steps of 2 s at constant exposure equal the closed forms for 120 s:
    toxic load C^n t, toxic FED L / L_1%, thermal dose q^(4/3) t, heat FED t / t_Irad
    (rel 1e-12: the step rule is exact for a held sample)."""
    vf, q = [0.0, 500e-6, 2000e-6], [0.0, 3000.0, 12000.0]
    state = _run(initial_dose_state(3), _sample(vf, q, [0.0, 5e3, 2e4]), 60, 2.0, ammonia)
    probit = ammonia.toxic_probit
    assert probit is not None
    load = toxic_load_constant(vf, 120.0, exponent_n=probit.n)
    np.testing.assert_allclose(state.toxic_load_ppmn_min, load, rtol=1e-12)
    np.testing.assert_allclose(
        state.fed_toxic, load / incapacitating_toxic_load(probit), rtol=1e-12
    )
    np.testing.assert_allclose(state.thermal_dose_w43_s_m83, np.power(q, 4 / 3) * 120.0, rtol=1e-12)
    np.testing.assert_allclose(state.fed_heat, radiant_heat_fed_rate_per_min(q) * 2.0, rtol=1e-12)
    np.testing.assert_array_equal(state.peak_overpressure_pa, [0.0, 5e3, 2e4])
    np.testing.assert_array_equal(state.peak_volume_fraction, vf)


def test_accumulate_is_pure(ammonia: HazardData) -> None:
    state = initial_dose_state(2)
    new = accumulate_dose(state, _sample([1e-3, 0.0], [5000.0, 0.0]), 1.0, hazard=ammonia)
    np.testing.assert_array_equal(state.toxic_load_ppmn_min, [0.0, 0.0])
    assert new is not state
    assert new.toxic_load_ppmn_min[0] > 0.0
    assert not new.fed_toxic.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        new.fed_toxic[0] = 1.0


@pytest.mark.verification
def test_asphyxiant_dose_comes_from_oxygen_depletion(methane: HazardData) -> None:
    """Purser's hypoxia term: 30 % methane leaves 0.2095 * 0.7 = 14.67 % O2, a time to
    incapacitation exp(8.13 - 0.54 (20.9 - 14.665)) = 117.2 min; 5 % methane (19.9 % O2)
    adds nothing. Without hazard data the same oxygen dose counts."""
    sample = _sample([0.30, 0.05])
    for hazard in (methane, None):
        state = _run(initial_dose_state(2), sample, 10, 6.0, hazard)
        expected = float(low_oxygen_fed_rate_per_min(0.2095 * 0.7))
        assert state.fed_toxic[0] == pytest.approx(expected, rel=1e-12)
        assert 1.0 / expected == pytest.approx(117.2, abs=0.1)
        assert state.fed_toxic[1] == 0.0
        assert state.toxic_load_ppmn_min[0] == 0.0


def test_incapacitation_thresholds() -> None:
    state = DoseState(
        toxic_load_ppmn_min=np.zeros(4),
        fed_toxic=np.array([0.2, 0.5, 1.2, 0.0]),
        fed_heat=np.array([0.0, 0.0, 0.0, 1.0]),
        thermal_dose_w43_s_m83=np.zeros(4),
        peak_overpressure_pa=np.zeros(4),
        peak_volume_fraction=np.zeros(4),
    )
    np.testing.assert_array_equal(is_incapacitated(state), [False, False, True, True])
    np.testing.assert_array_equal(
        is_incapacitated(state, threshold=FED_THRESHOLD_SENSITIVE), [False, True, True, True]
    )
    with pytest.raises(InvalidInputError, match="threshold"):
        is_incapacitated(state, threshold=0.0)


@pytest.mark.verification
def test_fatality_combines_independent_causes(ammonia: HazardData) -> None:
    """1 - (1 - p_tox)(1 - p_heat)(1 - p_blast) with each p from its probit; the blast probit
    of Eisenberg et al. (1975), Pr = -77.1 + 6.91 ln P, is 5 at P = exp(82.1 / 6.91) Pa."""
    p50_blast_pa = math.exp(82.1 / 6.91)
    state = DoseState(
        toxic_load_ppmn_min=np.array([0.0, 3e8, 3e8, 0.0]),
        fed_toxic=np.zeros(4),
        fed_heat=np.zeros(4),
        thermal_dose_w43_s_m83=np.array([0.0, 0.0, 2e7, 0.0]),
        peak_overpressure_pa=np.array([0.0, 0.0, p50_blast_pa, p50_blast_pa]),
        peak_volume_fraction=np.zeros(4),
    )
    probit = ammonia.toxic_probit
    assert probit is not None
    p_tox = toxic_fatality_probability(3e8, probit)
    p_heat = thermal_probability(2e7)
    got = fatality_probability(state, hazard=ammonia)
    assert got[0] == 0.0
    assert got[1] == pytest.approx(float(p_tox), rel=1e-12)
    assert got[2] == pytest.approx(1 - (1 - p_tox) * (1 - p_heat) * 0.5, rel=1e-12)
    assert got[3] == pytest.approx(0.5, rel=1e-12)
    no_blast = fatality_probability(state, hazard=None, include_overpressure=False)
    assert no_blast[3] == 0.0
    assert no_blast[1] == 0.0
    harsher = fatality_probability(state, hazard=None, thermal_probit=TSAO_PERRY_LETHALITY)
    assert harsher[2] > 0.5


@pytest.mark.verification
def test_walking_speed_in_ammonia(ammonia: HazardData) -> None:
    """Purser's eq. 63.13 on FIC = C / AEGL-3(10 min) (module rule): 1 in clean air, 0.714 at a
    tenth of the 10-min AEGL-3 (270 ppm), 0 at the AEGL-3 (2700 ppm)."""
    a3 = aegl_ppm(ammonia, 3, 600.0) * 1e-6
    factor = walking_speed_factor(_sample([0.0, 0.1 * a3, a3]), hazard=ammonia)
    np.testing.assert_allclose(factor, [1.0, 0.714, 0.0], atol=6e-4)


@pytest.mark.verification
def test_walking_speed_in_oxygen_depleted_air(methane: HazardData) -> None:
    """Module rule: full speed at >= 16 % O2, 0.1 of it at <= 10 % O2, linear in between;
    30 % methane leaves 14.665 % O2, giving 0.1 + 0.9 (0.14665 - 0.10) / 0.06 = 0.7998."""
    factor = walking_speed_factor(_sample([0.0, 0.30, 0.60]), hazard=methane)
    np.testing.assert_allclose(factor, [1.0, 0.1 + 0.9 * (0.2095 * 0.7 - 0.10) / 0.06, 0.1])


@pytest.mark.verification
def test_walking_speed_in_smoke_adds_losses() -> None:
    """Frantzich & Nilsson (2003) as in FDS+Evac: v/v0 = 1 - 0.057 K / 0.706, floor 0.1; with
    irritant gas the losses add (Purser eq. 63.14)."""
    np.testing.assert_allclose(
        smoke_walking_speed_fraction([0.0, 2.0, 50.0]), [1.0, 1 - 0.057 * 2 / 0.706, 0.1]
    )
    smoky = walking_speed_factor(_sample([0.0, 0.0]), hazard=None, extinction_per_m=[0.0, 2.0])
    np.testing.assert_allclose(smoky, [1.0, 1 - 0.057 * 2 / 0.706])


def test_route_cost_levels(ammonia: HazardData, methane: HazardData) -> None:
    a1, a2, a3 = (aegl_ppm(ammonia, tier, 600.0) / 1e6 for tier in (1, 2, 3))
    cost = route_cost_multiplier(np.array([0.0, a1, a2, a3 * 0.999, a3]), ammonia)
    np.testing.assert_allclose(cost[:3], [1.0, 1.0, 10.0])
    assert 90.0 < cost[3] < 100.0
    assert cost[4] == math.inf
    lfl = 0.05
    cost = route_cost_multiplier(np.array([[0.1 * lfl, 0.5 * lfl], [lfl, 0.0]]), methane)
    np.testing.assert_allclose(cost, [[1.0, 10.0], [math.inf, 1.0]])
    finite = route_cost_multiplier(np.array([lfl]), methane, impassable_factor=1e6)
    assert finite[0] == 1e6
    o2_blocked = agent_fraction_for_oxygen(0.12)
    none = route_cost_multiplier(np.array([0.0, agent_fraction_for_oxygen(0.16), o2_blocked]), None)
    np.testing.assert_allclose(none, [1.0, 10.0, math.inf])


@pytest.mark.property
@given(c1=st.floats(0.0, 1.0), c2=st.floats(0.0, 1.0))
def test_route_cost_never_falls_with_concentration(c1: float, c2: float) -> None:
    hazard = substance("ammonia").hazard
    lo, hi = sorted((c1, c2))
    costs = route_cost_multiplier(np.array([lo, hi]), hazard)
    assert 1.0 <= costs[0] <= costs[1]


def test_bad_inputs_are_refused(ammonia: HazardData) -> None:
    state = initial_dose_state(2)
    with pytest.raises(InvalidInputError, match=r"\(2,\)"):
        accumulate_dose(state, _sample([0.0, 0.0, 0.0]), 1.0, hazard=ammonia)
    with pytest.raises(InvalidInputError, match="volume_fraction"):
        accumulate_dose(state, _sample([1.5, 0.0]), 1.0, hazard=ammonia)
    with pytest.raises(InvalidInputError, match="radiation_w_m2"):
        accumulate_dose(state, _sample([0.0, 0.0], [-1.0, 0.0]), 1.0, hazard=ammonia)
    with pytest.raises(InvalidInputError, match="dt_s"):
        accumulate_dose(state, _sample([0.0, 0.0]), -1.0, hazard=ammonia)
    with pytest.raises(InvalidInputError, match="impassable_factor"):
        route_cost_multiplier(np.zeros(2), ammonia, impassable_factor=5.0)
    with pytest.raises(InvalidInputError, match="shape"):
        DoseState(
            toxic_load_ppmn_min=np.zeros(2),
            fed_toxic=np.zeros(3),
            fed_heat=np.zeros(2),
            thermal_dose_w43_s_m83=np.zeros(2),
            peak_overpressure_pa=np.zeros(2),
            peak_volume_fraction=np.zeros(2),
        )
    with pytest.raises(InvalidInputError, match="extinction_per_m"):
        walking_speed_factor(_sample([0.0]), hazard=None, extinction_per_m=-1.0)
