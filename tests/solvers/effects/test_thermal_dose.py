"""Tests of solvers.effects.thermal_dose: thermal dose and burn and lethality probits."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.effects import thermal_dose
from solvers.effects.thermal_dose import (
    EISENBERG_LETHALITY,
    FIRST_DEGREE_BURNS,
    SECOND_DEGREE_BURNS,
    TSAO_PERRY_LETHALITY,
    ThermalProbit,
    thermal_dose_constant,
    thermal_dose_for_probability,
    thermal_dose_history,
    thermal_dose_increment,
    thermal_dose_tdu,
    thermal_probability,
    thermal_probit,
    thermal_probit_named,
    time_to_thermal_probability_s,
)
from solvers.errors import InvalidInputError


@pytest.mark.verification
def test_eisenberg_fifty_percent_dose() -> None:
    """Eisenberg et al. (1975): Pr = -14.9 + 2.56 ln(t q^(4/3) / 1e4) is 5 at
    t q^(4/3) = 1e4 exp(19.9 / 2.56), i.e. 2377 TDU; at 10 kW/m^2 that is 110 s."""
    d50 = 1e4 * math.exp(19.9 / 2.56)
    assert thermal_dose_for_probability(0.5) == pytest.approx(d50, rel=1e-12)
    assert float(thermal_dose_tdu(d50)) == pytest.approx(2377.0, abs=1.0)
    assert float(thermal_probability(d50)) == pytest.approx(0.5, abs=1e-12)
    t50 = float(time_to_thermal_probability_s(0.5, 10_000.0))
    assert t50 == pytest.approx(d50 / 10_000.0 ** (4 / 3), rel=1e-12)
    assert t50 == pytest.approx(110.3, abs=0.1)


@pytest.mark.verification
def test_green_book_lethality_equals_tsao_perry() -> None:
    """CPR 16E Green Book: Pr = -36.38 + 2.56 ln(t q^(4/3)) is the Tsao & Perry (1979)
    line, since -12.8 - 2.56 ln(1e4) = -36.378; the probits agree to 0.002 (rounding of
    the published -36.38)."""
    dose = np.geomspace(1e5, 1e9, 9)
    green = -36.38 + 2.56 * np.log(dose)
    np.testing.assert_allclose(thermal_probit(dose, TSAO_PERRY_LETHALITY), green, atol=2.5e-3)


@pytest.mark.verification
def test_burns_come_before_death() -> None:
    """Analytic ordering at 10 kW/m^2: 50 % first-degree burns (13 s) before second-degree
    (39 s) before Eisenberg lethality (110 s); Tsao & Perry (fires' infrared) is harsher than
    Eisenberg."""
    times = [
        float(time_to_thermal_probability_s(0.5, 10_000.0, probit))
        for probit in (FIRST_DEGREE_BURNS, SECOND_DEGREE_BURNS, EISENBERG_LETHALITY)
    ]
    assert times == sorted(times)
    assert times[0] == pytest.approx(13.0, abs=0.5)
    assert times[1] == pytest.approx(39.2, abs=0.5)
    assert float(time_to_thermal_probability_s(0.5, 10_000.0, TSAO_PERRY_LETHALITY)) < times[2]


@pytest.mark.verification
def test_dose_integration_rules() -> None:
    """Analytic: constant flux gives q^(4/3) t with either rule; a piecewise-constant history
    (5 kW/m^2 for 20 s, 20 kW/m^2 for 5 s) is exact with the step rule."""
    t_s = np.linspace(0.0, 30.0, 4)
    constant = np.full(4, 8000.0)
    for rule in ("trapezoid", "step"):
        assert float(thermal_dose_history(constant, t_s, rule=rule)) == pytest.approx(
            float(thermal_dose_constant(8000.0, 30.0)), rel=1e-12
        )
    steps = thermal_dose_history([5000.0, 20000.0, 0.0], [0.0, 20.0, 25.0], rule="step")
    assert float(steps) == pytest.approx(5000.0 ** (4 / 3) * 20 + 20000.0 ** (4 / 3) * 5)
    increments = thermal_dose_increment([5000.0, 0.0], 20.0)
    np.testing.assert_allclose(increments, [5000.0 ** (4 / 3) * 20, 0.0])


def test_zero_dose_has_zero_probability() -> None:
    assert float(thermal_probability(0.0)) == 0.0
    assert float(time_to_thermal_probability_s(0.5, 0.0)) == math.inf


@pytest.mark.property
@given(q=st.floats(100.0, 3e5), t=st.floats(0.1, 600.0), factor=st.floats(1.01, 10.0))
def test_probability_rises_with_flux(q: float, t: float, factor: float) -> None:
    low = float(thermal_probability(thermal_dose_constant(q, t)))
    high = float(thermal_probability(thermal_dose_constant(q * factor, t)))
    assert 0.0 <= low <= high <= 1.0


def test_registry_and_bad_inputs() -> None:
    assert thermal_probit_named("eisenberg") is EISENBERG_LETHALITY
    with pytest.raises(InvalidInputError, match="eisenberg"):
        thermal_probit_named("pain")
    with pytest.raises(InvalidInputError, match="radiation_w_m2"):
        thermal_dose_constant(-1.0, 10.0)
    with pytest.raises(InvalidInputError, match="rule"):
        thermal_dose_history([1.0, 2.0], [0.0, 1.0], rule="midpoint")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="t_s"):
        thermal_dose_history([1.0, 2.0], [0.0, 1.0, 2.0])
    with pytest.raises(InvalidInputError, match="probability"):
        thermal_dose_for_probability(0.0)
    with pytest.raises(InvalidInputError, match="b"):
        ThermalProbit(name="x", a=1.0, b=0.0, dose_scale_w43_s_m83=1.0, source="s")
    with pytest.raises(InvalidInputError, match="dt_s"):
        thermal_dose_increment([1.0], -1.0)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(thermal_dose)
    assert result.attempted > 0
    assert result.failed == 0
