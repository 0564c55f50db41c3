"""Tests of solvers.source.flashing_two_phase: flash fraction, Fauske fluxes, rain-out, release."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.errors import InvalidInputError
from solvers.source._common import Tank
from solvers.source.flashing_two_phase import (
    EQUILIBRIUM_LENGTH_M,
    PressurisedLiquidLeak,
    airborne_fraction_double_flash,
    erm_mass_flux_kg_m2_s,
    flash_fraction_exponential,
    flash_fraction_linear,
    flash_state,
    isenthalpic_flash_fraction,
    release,
    two_phase_mass_flux_kg_m2_s,
)
from solvers.substances.library import substance

PA = 101_325.0
# Round numbers of the size of propane at 25 degC, for the pure-number identities.
FLUX_ARGS = {
    "erm_flux_kg_m2_s": 8000.0,
    "liquid_density_kg_m3": 490.0,
    "saturation_pressure_pa": 9.5e5,
}


@pytest.mark.verification
def test_thin_hole_flux_is_the_bernoulli_liquid_flux() -> None:
    """Analytic: at L = 0 Fauske's non-equilibrium flux equals Cd sqrt(2 rho (P - P_a)).

    Holds with and without subcooling at the hole; tolerance 1e-12 (exact algebra).
    """
    for p_hole in (9.5e5, 12e5):
        got = float(two_phase_mass_flux_kg_m2_s(hole_pressure_pa=p_hole, **FLUX_ARGS))
        assert got == pytest.approx(0.61 * math.sqrt(2 * 490.0 * (p_hole - PA)), rel=1e-12)


@pytest.mark.verification
def test_long_path_flux_is_the_equilibrium_rate_model() -> None:
    """Analytic: from L = 0.1 m on, a saturated liquid flows at G_ERM (Fauske 1985)."""
    for length in (EQUILIBRIUM_LENGTH_M, 2.0):
        got = two_phase_mass_flux_kg_m2_s(
            hole_pressure_pa=9.5e5, discharge_length_m=length, **FLUX_ARGS
        )
        assert float(got) == pytest.approx(8000.0, rel=1e-12)


@pytest.mark.property
@given(l1=st.floats(0.0, 0.099), l2=st.floats(0.0, 0.099))
def test_flux_falls_as_the_flow_path_lengthens(l1: float, l2: float) -> None:
    """Below L_e a longer path gives the liquid more time to flash, so less flux."""
    short, long_ = sorted((l1, l2))
    g_short = two_phase_mass_flux_kg_m2_s(
        hole_pressure_pa=9.5e5, discharge_length_m=short, **FLUX_ARGS
    )
    g_long = two_phase_mass_flux_kg_m2_s(
        hole_pressure_pa=9.5e5, discharge_length_m=long_, **FLUX_ARGS
    )
    assert float(g_long) <= float(g_short)


def test_erm_flux_formula() -> None:
    """G = h_fg / (v_fg sqrt(cp T)) for round numbers."""
    assert erm_mass_flux_kg_m2_s(3.0e5, 0.05, 2500.0, 300.0) == pytest.approx(
        3.0e5 / 0.05 / math.sqrt(2500.0 * 300.0)
    )


@pytest.mark.verification
@pytest.mark.parametrize(("key", "temperature_k"), [("ammonia", 293.15), ("propane", 288.15)])
def test_isenthalpic_flash_closes_the_energy_balance(key: str, temperature_k: float) -> None:
    """Analytic: h_l(T) = x h_v(T_b) + (1 - x) h_l(T_b) with library enthalpies (1e-12)."""
    sub = substance(key)
    x = isenthalpic_flash_fraction(sub, temperature_k, PA)
    t_b = sub.saturation_temperature_k(PA)
    mixed = x * sub.vapour_enthalpy_j_kg(t_b) + (1 - x) * sub.liquid_enthalpy_j_kg(t_b)
    assert mixed == pytest.approx(sub.liquid_enthalpy_j_kg(temperature_k), rel=1e-12)
    assert 0.1 < x < 0.5


@pytest.mark.verification
def test_linear_flash_is_the_first_order_form_of_the_exact_flash() -> None:
    """Analytic: for 5 K of superheat the constant-cp linear form agrees with the enthalpy balance.

    The error of a first-order expansion is O(dT^2): 0.5 % tolerance at 5 K.
    """
    sub = substance("ammonia")
    t_b = sub.saturation_temperature_k(PA)
    exact = isenthalpic_flash_fraction(sub, t_b + 5.0, PA)
    cp = 0.5 * (sub.liquid_cp_j_kg_k(t_b) + sub.liquid_cp_j_kg_k(t_b + 5.0))
    linear = flash_fraction_linear(cp, t_b + 5.0, t_b, sub.latent_heat_j_kg(t_b))
    assert linear == pytest.approx(exact, rel=5e-3)


@pytest.mark.property
@given(superheat_k=st.floats(0.0, 200.0))
def test_exponential_flash_is_bounded_by_the_linear_form(superheat_k: float) -> None:
    linear = flash_fraction_linear(2500.0, 250.0 + superheat_k, 250.0, 4e5)
    expo = flash_fraction_exponential(2500.0, 250.0 + superheat_k, 250.0, 4e5)
    # Absolute slack: (250 + dT) - 250 loses digits for tiny superheats.
    assert 0.0 <= expo <= linear + 1e-12 <= 1.0 + 1e-12


def test_double_flash_rule() -> None:
    assert airborne_fraction_double_flash(0.0) == 0.0
    assert airborne_fraction_double_flash(0.18) == pytest.approx(0.36)
    assert airborne_fraction_double_flash(0.7) == 1.0
    with pytest.raises(InvalidInputError, match="flash_fraction"):
        airborne_fraction_double_flash(1.2)


def _leak(**changes: object) -> PressurisedLiquidLeak:
    base: dict[str, object] = {
        "substance": "ammonia",
        "tank": Tank(shape="horizontal_cylinder", diameter_m=2.5, length_m=10.0),
        "liquid_level_m": 2.0,
        "temperature_k": 293.15,
        "hole_diameter_m": 0.025,
        "hole_height_m": 0.3,
        "max_duration_s": 1800.0,
    }
    base.update(changes)
    return PressurisedLiquidLeak(**base)  # type: ignore[arg-type]


def test_ammonia_leak_splits_into_airborne_and_rainout_by_the_double_flash() -> None:
    source = release(_leak())
    state = flash_state(substance("ammonia"), 293.15)
    assert source.model == "flashing_two_phase"
    assert source.phase == "two-phase"
    np.testing.assert_allclose(
        source.airborne_rate_kg_s + source.rainout_rate_kg_s, source.discharge_rate_kg_s
    )
    np.testing.assert_allclose(
        source.airborne_rate_kg_s, 2 * state.flash_fraction * source.discharge_rate_kg_s
    )
    np.testing.assert_allclose(source.aerosol_fraction, 0.5)
    np.testing.assert_allclose(source.temperature_k, state.boiling_temperature_k)
    assert np.all(source.velocity_m_s > 0)
    assert source.release_height_m == pytest.approx(0.3)


@pytest.mark.verification
def test_drained_vessel_releases_the_liquid_above_the_hole() -> None:
    """Mass conservation: the vessel drains to the hole; integral of the rate = rho dV (1e-3)."""
    tank = Tank(shape="vertical_cylinder", diameter_m=1.0, length_m=2.0)
    source = release(_leak(tank=tank, liquid_level_m=1.5, hole_height_m=0.1, hole_diameter_m=0.05))
    assert source.duration_s < 1800.0
    rho = substance("ammonia").liquid_density_kg_m3(293.15)
    expected = rho * math.pi / 4 * 1.4
    assert source.discharged_mass_kg() == pytest.approx(expected, rel=1e-3)


def test_no_rainout_model_keeps_everything_airborne() -> None:
    source = release(_leak(rainout_model="none"))
    np.testing.assert_array_equal(source.airborne_rate_kg_s, source.discharge_rate_kg_s)
    assert np.all(source.rainout_rate_kg_s == 0.0)


def test_pad_gas_and_a_longer_path_change_the_rate_the_right_way() -> None:
    base = release(_leak()).discharge_rate_kg_s[0]
    assert release(_leak(pad_pressure_pa=5e5)).discharge_rate_kg_s[0] > base
    assert release(_leak(discharge_length_m=0.2)).discharge_rate_kg_s[0] < base


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"substance": "lng", "temperature_k": 111.0}, "does not flash"),
        ({"temperature_k": 410.0}, "temperature_k"),
        ({"hole_height_m": 2.2}, "must be below the liquid level"),
        ({"hole_diameter_m": 3.0}, "must be <= the tank's inner diameter 2.5 m"),
        ({"pad_pressure_pa": -1.0}, "pad_pressure_pa"),
        ({"rainout_model": "lots"}, "rainout_model"),
        ({"flash_method": "guess"}, "flash_method"),
        ({"liquid_level_m": 3.0}, "must be <= the tank's inner height"),
    ],
)
def test_bad_inputs_are_rejected_with_a_clear_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        release(_leak(**changes))
