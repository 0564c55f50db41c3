"""Tests of solvers.effects.purser_fed: Purser / ISO 13571 fractional effective doses."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.effects import purser_fed
from solvers.effects.purser_fed import (
    FED_THRESHOLD_SENSITIVE,
    asphyxiant_fed_rate_per_min,
    co2_asphyxia_fed_rate_per_min,
    co2_hyperventilation_factor,
    co_fed_rate_per_min,
    convective_heat_fed_rate_per_min,
    fed_history,
    hcn_fed_rate_per_min,
    heat_fed_rate_per_min,
    incapacitating_toxic_load,
    irritant_fec,
    irritant_walking_speed_fraction,
    low_oxygen_fed_rate_per_min,
    radiant_heat_fed_rate_per_min,
    toxic_fed,
)
from solvers.effects.toxic_load import toxic_fatality_probability
from solvers.errors import InvalidInputError
from solvers.substances.library import substance


@pytest.mark.verification
@pytest.mark.parametrize("co_ppm", [500.0, 1000.0, 3000.0])
def test_stewart_equation_at_20_l_min_matches_the_iso_co_dose(co_ppm: float) -> None:
    """Purser & McAllister (2016), note 2 to eq. 63.18: the ISO 13571 CO dose of
    35 000 ppm min corresponds to the Stewart equation for light work at about 20 L/min.
    Tolerance 5 %: the Stewart exponent 1.036 makes the two differ by C^0.036 over the
    500-3000 ppm range."""
    rate = float(co_fed_rate_per_min(co_ppm * 1e-6, ventilation_l_min=20.0))
    assert 1.0 / rate == pytest.approx(35_000.0 / co_ppm, rel=0.05)


@pytest.mark.verification
def test_co_and_hcn_times_to_incapacitation() -> None:
    """Analytic forms of eqs. 63.18 and 63.20: light work, 1000 ppm CO gives
    t = 30 / (3.317e-5 * 1000^1.036 * 25) min; 100 ppm HCN gives 1.2e6 / 100^2.36 min."""
    t_co = 1.0 / float(co_fed_rate_per_min(1e-3))
    assert t_co == pytest.approx(30.0 / (3.317e-5 * 1000.0**1.036 * 25.0), rel=1e-12)
    assert t_co == pytest.approx(28.2, abs=0.1)
    t_hcn = 1.0 / float(hcn_fed_rate_per_min(100e-6))
    assert t_hcn == pytest.approx(1.2e6 / 100.0**2.36, rel=1e-12)


@pytest.mark.verification
def test_co2_hyperventilation_forms() -> None:
    """Eq. 63.35 gives 1 in clean air and e at 5 % CO2; eq. 63.34 gives exp(2.0004)/7.1
    (1.04) in clean air and agrees with eq. 63.35 within 4 % below 5 % CO2."""
    assert float(co2_hyperventilation_factor(0.0)) == 1.0
    assert float(co2_hyperventilation_factor(0.05)) == pytest.approx(math.e, rel=1e-12)
    full = co2_hyperventilation_factor(np.linspace(0.0, 0.05, 11), form="full")
    assert float(full[0]) == pytest.approx(math.exp(2.0004) / 7.1, rel=1e-12)
    simple = co2_hyperventilation_factor(np.linspace(0.0, 0.05, 11))
    np.testing.assert_allclose(full, simple, rtol=0.045)


@pytest.mark.verification
def test_low_oxygen_term() -> None:
    """Purser's hypoxia time exp(8.13 - 0.54 (20.9 - %O2)) min: about 140 min at 15 % O2;
    zero at and above the 19.5 % onset."""
    assert 1.0 / float(low_oxygen_fed_rate_per_min(0.15)) == pytest.approx(140.4, abs=0.1)
    np.testing.assert_array_equal(low_oxygen_fed_rate_per_min([0.195, 0.2095]), [0.0, 0.0])
    assert float(low_oxygen_fed_rate_per_min(0.2, onset_o2_volume_fraction=0.21)) > 0.0


def test_asphyxiant_sum_combines_the_terms() -> None:
    co, hcn, co2, o2 = 800e-6, 50e-6, 0.03, 0.17
    expected = (co_fed_rate_per_min(co) + hcn_fed_rate_per_min(hcn)) * co2_hyperventilation_factor(
        co2
    ) + low_oxygen_fed_rate_per_min(o2)
    got = asphyxiant_fed_rate_per_min(
        co_volume_fraction=co,
        hcn_volume_fraction=hcn,
        co2_volume_fraction=co2,
        o2_volume_fraction=o2,
    )
    assert float(got) == pytest.approx(float(expected), rel=1e-12)
    assert float(asphyxiant_fed_rate_per_min()) == 0.0
    assert float(co2_asphyxia_fed_rate_per_min(0.05)) == pytest.approx(
        1.0 / math.exp(6.1623 - 0.5189 * 5.0)
    )


@pytest.mark.property
@given(co_ppm=st.floats(1.0, 5e4), factor=st.floats(1.01, 5.0), co2=st.floats(0.0, 0.1))
def test_asphyxiant_rate_rises_with_co(co_ppm: float, factor: float, co2: float) -> None:
    low = asphyxiant_fed_rate_per_min(co_volume_fraction=co_ppm * 1e-6, co2_volume_fraction=co2)
    high = asphyxiant_fed_rate_per_min(
        co_volume_fraction=co_ppm * factor * 1e-6, co2_volume_fraction=co2
    )
    assert float(high) > float(low) > 0.0


@pytest.mark.verification
def test_irritant_fec_uses_the_iso_13571_table() -> None:
    """ISO 13571:2012 sec. 6.2.1: F(HCl) = 1000 ppm, F(SO2) = 150 ppm, F(acrolein) = 30 ppm;
    FEC = 500/1000 + 30/150 + 3/30 = 0.8. SFPE Table 63.6 incapacitation: HCl 900 ppm."""
    fec = irritant_fec({"hcl": 500e-6, "so2": 30e-6, "acrolein": 3e-6})
    assert float(fec) == pytest.approx(0.8, rel=1e-12)
    sfpe = irritant_fec({"hcl": 900e-6}, basis="sfpe_incapacitation")
    assert float(sfpe) == pytest.approx(1.0, rel=1e-12)
    escape = irritant_fec({"hcl": 200e-6}, basis="sfpe_escape_impairment")
    assert float(escape) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(irritant_fec({"hf": [0.0, 250e-6]}), [0.0, 0.5])


@pytest.mark.verification
@pytest.mark.parametrize(
    ("fic", "fraction"),
    [(0.0, 1.0), (0.05, 0.914), (0.1, 0.714), (0.2, 0.308), (0.3, 0.141), (0.5, 0.083)],
)
def test_irritant_walking_speed_curve(fic: float, fraction: float) -> None:
    """Purser & McAllister (2016) eq. 63.13 evaluated by hand at FIC 0 to 0.5 (3 decimals):
    1 at no irritant, 0.714 at a tenth of the incapacitating concentration."""
    assert float(irritant_walking_speed_fraction(fic)) == pytest.approx(fraction, abs=6e-4)


def test_irritant_speed_is_zero_at_and_beyond_incapacitation() -> None:
    np.testing.assert_allclose(irritant_walking_speed_fraction([1.0, 1.5, 10.0]), 0.0, atol=1e-15)
    values = irritant_walking_speed_fraction(np.linspace(0.0, 1.0, 101))
    assert np.all(np.diff(values) <= 1e-15)


@pytest.mark.verification
def test_convective_heat_laws_at_100_c() -> None:
    """ISO 13571:2012 eqs. 9 and 10 at 100 deg C: 4.1e8 * 100^-3.61 = 24.7 min (clothed) and
    5e7 * 100^-3.4 = 7.9 min (lightly clothed); tolerance 0.1 min (quoted to 0.1 min)."""
    t_clothed = 1.0 / float(convective_heat_fed_rate_per_min(373.15))
    t_light = 1.0 / float(convective_heat_fed_rate_per_min(373.15, clothing="lightly_clothed"))
    assert t_clothed == pytest.approx(24.7, abs=0.1)
    assert t_light == pytest.approx(7.9, abs=0.1)
    assert float(convective_heat_fed_rate_per_min(263.15)) == 0.0


@pytest.mark.verification
def test_radiant_heat_laws() -> None:
    """ISO 13571 radiant form t = 6.9 q^-1.56 min and SFPE eq. 63.43 t = r / q^1.33; no dose
    below 2.5 kW/m^2 (ISO 13571 sec. 8)."""
    q = 10_000.0
    iso = float(radiant_heat_fed_rate_per_min(q))
    assert 1.0 / iso == pytest.approx(6.9 * 10.0**-1.56, rel=1e-12)
    pain = float(radiant_heat_fed_rate_per_min(2500.0, law="sfpe_pain"))
    assert 1.0 / pain == pytest.approx(1.33 / 2.5**1.33, rel=1e-12)
    np.testing.assert_array_equal(radiant_heat_fed_rate_per_min([0.0, 2499.0]), [0.0, 0.0])
    total = heat_fed_rate_per_min(radiation_w_m2=q, temperature_k=373.15)
    assert float(total) == pytest.approx(iso + 1.0 / 24.6896, rel=1e-3)
    assert float(heat_fed_rate_per_min(radiation_w_m2=q)) == iso


@pytest.mark.verification
def test_fed_history_integrates_a_rate() -> None:
    """Analytic: a constant 0.1 /min for 10 min gives FED 1; a step history is exact."""
    t_s = np.linspace(0.0, 600.0, 11)
    assert float(fed_history(np.full(11, 0.1), t_s)) == pytest.approx(1.0, rel=1e-12)
    rate = np.array([0.2, 0.05, 0.0])
    assert float(fed_history(rate, [0.0, 120.0, 360.0], rule="step")) == pytest.approx(0.6)


@pytest.mark.verification
def test_toxic_fed_is_one_at_the_one_percent_load() -> None:
    """By definition (module docstring): FED_tox = 1 at the probit's 1 % fatality load."""
    probit = substance("chlorine").hazard.toxic_probit
    assert probit is not None
    load = incapacitating_toxic_load(probit)
    assert float(toxic_fed(load, probit)) == pytest.approx(1.0, rel=1e-12)
    assert float(toxic_fatality_probability(load, probit)) == pytest.approx(0.01, rel=1e-9)
    assert FED_THRESHOLD_SENSITIVE == 0.3


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="co_volume_fraction"):
        co_fed_rate_per_min(-1e-6)
    with pytest.raises(InvalidInputError, match="ventilation_l_min"):
        co_fed_rate_per_min(1e-4, ventilation_l_min=0.0)
    with pytest.raises(InvalidInputError, match="cohb"):
        co_fed_rate_per_min(1e-4, cohb_incapacitation_percent=120.0)
    with pytest.raises(InvalidInputError, match="form"):
        co2_hyperventilation_factor(0.01, form="linear")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="chlorine"):
        irritant_fec({"chlorine": 1e-6})
    with pytest.raises(InvalidInputError, match="basis"):
        irritant_fec({"hcl": 1e-6}, basis="aegl")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="law"):
        radiant_heat_fed_rate_per_min(5000.0, law="eisenberg")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="temperature_k"):
        convective_heat_fed_rate_per_min(-5.0)
    with pytest.raises(InvalidInputError, match="clothing"):
        convective_heat_fed_rate_per_min(300.0, clothing="naked")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="rate_per_min"):
        fed_history(np.array([-1.0, 0.0]), [0.0, 1.0])


def test_docstring_examples_run() -> None:
    result = doctest.testmod(purser_fed)
    assert result.attempted > 0
    assert result.failed == 0
