"""Tests of solvers.effects.toxic_load: toxic load integration and the probit model."""

from __future__ import annotations

import doctest
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.validation.registry import all_cases
from solvers.effects import toxic_load
from solvers.effects.toxic_load import (
    PROBIT_AT_1_PERCENT,
    concentration_for_probability,
    probability_from_probit,
    probit_from_probability,
    time_to_probability_s,
    toxic_fatality_probability,
    toxic_load_constant,
    toxic_load_for_probability,
    toxic_load_history,
    toxic_load_increment,
    toxic_probit,
)
from solvers.errors import InvalidInputError
from solvers.substances.library import ToxicProbit, substance

# Withers & Lees (1985), chlorine, regular population at standard activity (ppm, min).
WITHERS_LEES_CHLORINE = ToxicProbit(-8.29, 0.92, 2.0, source="Withers & Lees (1985)")


@pytest.mark.verification
def test_withers_lees_chlorine_lc50_at_10_and_30_min() -> None:
    """Withers & Lees (1985), J. Hazardous Materials 12, 283-302 (abstract): with
    Y = -8.29 + 0.92 ln(sum C^2 T) the 50 % lethal concentration of the regular population is
    433 ppm for 10 min and 250 ppm for 30 min. Tolerance 0.5 %: the published values are
    rounded to 3 significant figures (433.1 and 250.1 ppm from the constants)."""
    c10 = concentration_for_probability(0.5, WITHERS_LEES_CHLORINE, duration_s=600.0)
    c30 = concentration_for_probability(0.5, WITHERS_LEES_CHLORINE, duration_s=1800.0)
    assert c10 * 1e6 == pytest.approx(433.0, rel=5e-3)
    assert c30 * 1e6 == pytest.approx(250.0, rel=5e-3)
    load = toxic_load_constant(433e-6, 600.0, exponent_n=2.0)
    assert float(toxic_fatality_probability(load, WITHERS_LEES_CHLORINE)) == pytest.approx(
        0.5, abs=5e-3
    )


@pytest.mark.verification
@pytest.mark.parametrize(
    ("probit", "fraction", "tolerance"),
    [
        (2.67, 0.01, 2e-4),
        (3.72, 0.10, 1e-3),
        (5.00, 0.50, 1e-12),
        (6.28, 0.90, 1e-3),
        (7.33, 0.99, 2e-4),
    ],
)
def test_probit_matches_finney_table(probit: float, fraction: float, tolerance: float) -> None:
    """Finney (1971), Probit Analysis, Table I (reproduced in Crowl & Louvar, Table 2-4):
    probits 2.67, 3.72, 5.00, 6.28, 7.33 for 1, 10, 50, 90, 99 %. The table gives probits to
    two decimals, so the tolerance is the slope of the normal CDF there times 0.005."""
    assert float(probability_from_probit(probit)) == pytest.approx(fraction, abs=tolerance)


@pytest.mark.verification
def test_probit_of_one_percent_constant() -> None:
    """Analytic: 5 + Phi^-1(0.01) = 2.6737 (Finney Table I: 2.67)."""
    assert pytest.approx(2.6737, abs=1e-4) == PROBIT_AT_1_PERCENT


@pytest.mark.verification
def test_step_rule_is_exact_for_piecewise_constant_history() -> None:
    """Analytic: a history held at 100 ppm for 5 min then 300 ppm for 10 min has
    L = 100^2 * 5 + 300^2 * 10 ppm^2 min; the step rule is exact (rel 1e-12, round-off)."""
    t_s = np.array([0.0, 300.0, 900.0])
    c = np.array([100e-6, 300e-6, 0.0])
    load = toxic_load_history(c, t_s, exponent_n=2.0, rule="step")
    assert float(load) == pytest.approx(100.0**2 * 5 + 300.0**2 * 10, rel=1e-12)


@pytest.mark.verification
def test_trapezoid_is_exact_for_linear_integrand() -> None:
    """Analytic: with n = 1 the integrand is linear in C, so for a linear ramp 0 -> 200 ppm
    over 10 min the trapezoid rule gives the exact 1000 ppm min on any sampling."""
    t_s = np.linspace(0.0, 600.0, 7)
    c = np.linspace(0.0, 200e-6, 7)
    assert float(toxic_load_history(c, t_s, exponent_n=1.0)) == pytest.approx(1000.0, rel=1e-12)


@pytest.mark.verification
def test_constant_history_matches_closed_form_on_receptor_grid() -> None:
    """Analytic: a constant concentration for 20 min gives C^n t at every receptor."""
    c = np.array([[1e-6, 5e-5], [2e-4, 0.0]])
    history = np.broadcast_to(c, (5, 2, 2))
    t_s = np.linspace(0.0, 1200.0, 5)
    expected = toxic_load_constant(c, 1200.0, exponent_n=2.75)
    for rule in ("trapezoid", "step"):
        got = toxic_load_history(history, t_s, exponent_n=2.75, rule=rule)
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_increments_sum_to_the_step_rule() -> None:
    rng = np.random.default_rng(3)
    c = rng.uniform(0.0, 1e-3, size=(6, 4))
    t_s = np.arange(6) * 2.0
    total = sum(toxic_load_increment(c[k], 2.0, exponent_n=1.5) for k in range(5))
    np.testing.assert_allclose(
        total, toxic_load_history(c, t_s, exponent_n=1.5, rule="step"), rtol=1e-12
    )


def test_single_sample_history_has_zero_load() -> None:
    load = toxic_load_history(np.array([[1e-4, 2e-4]]), [5.0], exponent_n=2.0)
    np.testing.assert_array_equal(load, [0.0, 0.0])


@pytest.mark.verification
def test_load_and_probability_are_inverse() -> None:
    """Analytic: P(L(P)) = P for the library's ammonia probit."""
    probit = substance("ammonia").hazard.toxic_probit
    assert probit is not None
    for p in (0.01, 0.1, 0.5, 0.9):
        load = toxic_load_for_probability(p, probit)
        assert float(toxic_fatality_probability(load, probit)) == pytest.approx(p, rel=1e-9)


@pytest.mark.verification
def test_time_and_concentration_closed_forms_agree() -> None:
    """Analytic: the time to 50 % at the 30-min LC50 is 30 min."""
    c50 = concentration_for_probability(0.5, WITHERS_LEES_CHLORINE, duration_s=1800.0)
    assert float(time_to_probability_s(0.5, c50, WITHERS_LEES_CHLORINE)) == pytest.approx(1800.0)


def test_zero_load_gives_zero_probability() -> None:
    assert float(toxic_probit(0.0, WITHERS_LEES_CHLORINE)) == -np.inf
    assert float(toxic_fatality_probability(0.0, WITHERS_LEES_CHLORINE)) == 0.0
    assert float(time_to_probability_s(0.5, 0.0, WITHERS_LEES_CHLORINE)) == np.inf


def test_probit_from_probability_round_trip() -> None:
    p = np.array([0.001, 0.3, 0.999])
    np.testing.assert_allclose(probability_from_probit(probit_from_probability(p)), p)


@pytest.mark.property
@given(
    c_ppm=st.floats(0.1, 1e4),
    factor=st.floats(1.01, 10.0),
    t_min=st.floats(0.1, 600.0),
    n=st.floats(0.5, 3.5),
)
def test_load_and_probability_rise_with_concentration(
    c_ppm: float, factor: float, t_min: float, n: float
) -> None:
    probit = ToxicProbit(-10.0, 1.0, n)
    low = toxic_load_constant(c_ppm * 1e-6, t_min * 60.0, exponent_n=n)
    high = toxic_load_constant(min(c_ppm * factor, 1e6) * 1e-6, t_min * 60.0, exponent_n=n)
    assert float(high) > float(low)
    p_low = float(toxic_fatality_probability(low, probit))
    p_high = float(toxic_fatality_probability(high, probit))
    assert 0.0 <= p_low <= p_high <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"volume_fraction": -1e-6, "duration_s": 60.0}, "volume_fraction"),
        ({"volume_fraction": 1.5, "duration_s": 60.0}, "volume_fraction"),
        ({"volume_fraction": np.nan, "duration_s": 60.0}, "volume_fraction"),
        ({"volume_fraction": 1e-4, "duration_s": -1.0}, "duration_s"),
    ],
)
def test_bad_constant_exposure_is_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        toxic_load_constant(exponent_n=2.0, **kwargs)


def test_bad_histories_are_refused() -> None:
    c = np.zeros((3, 2))
    with pytest.raises(InvalidInputError, match="t_s"):
        toxic_load_history(c, [0.0, 1.0], exponent_n=2.0)
    with pytest.raises(InvalidInputError, match="non-decreasing"):
        toxic_load_history(c, [0.0, 2.0, 1.0], exponent_n=2.0)
    with pytest.raises(InvalidInputError, match="rule"):
        toxic_load_history(c, [0.0, 1.0, 2.0], exponent_n=2.0, rule="simpson")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="exponent_n"):
        toxic_load_history(c, [0.0, 1.0, 2.0], exponent_n=0.0)
    with pytest.raises(InvalidInputError, match="dt_s"):
        toxic_load_increment(np.zeros(2), -1.0, exponent_n=2.0)


def test_bad_probits_are_refused() -> None:
    mg = ToxicProbit(-6.35, 0.5, 2.75, concentration_unit="mg/m3")
    with pytest.raises(InvalidInputError, match="ppm"):
        toxic_probit(1.0, mg)
    with pytest.raises(InvalidInputError, match="b"):
        toxic_probit(1.0, ToxicProbit(-6.0, 0.0, 2.0))
    with pytest.raises(InvalidInputError, match="probability"):
        toxic_load_for_probability(1.0, WITHERS_LEES_CHLORINE)
    with pytest.raises(InvalidInputError, match="probability"):
        probit_from_probability(0.0)
    with pytest.raises(InvalidInputError, match="NaN"):
        probability_from_probit(np.nan)
    with pytest.raises(InvalidInputError, match="duration_s"):
        concentration_for_probability(0.5, WITHERS_LEES_CHLORINE, duration_s=0.0)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(toxic_load)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.verification
@pytest.mark.parametrize("case", all_cases("effects"), ids=lambda c: c.id)
def test_effects_validation_case_passes(case: Any) -> None:
    """Every effects validation case (published and analytic; sources and tolerances in each
    case of scenarios/validation/effects_cases.py)."""
    checks = case.run()
    assert checks
    failed = [c for c in checks if not c.passed]
    assert not failed, [(c.quantity, c.got, c.expected_text) for c in failed]
