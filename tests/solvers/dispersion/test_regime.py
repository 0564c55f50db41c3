"""Choice of dense-gas or passive dispersion: density at release and Britter-McQuaid criteria."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from solvers.atmosphere import Weather
from solvers.dispersion.regime import choose_regime, release_density_kg_m3
from solvers.errors import InvalidInputError
from solvers.source.source_term import SourceTerm, constant_source
from solvers.substances.library import substance

WEATHER = Weather(wind_speed_m_s=3.0, wind_from_deg=270.0, stability_class="D")


def _source(
    name: str, rate: float, duration: float, temperature: float, aerosol: float = 0.0
) -> SourceTerm:
    two = np.ones(2)
    return SourceTerm(
        substance=name,
        model="test",
        phase="two-phase" if aerosol else "gas",
        t_s=np.array([0.0, duration]),
        discharge_rate_kg_s=rate * two,
        airborne_rate_kg_s=rate * two,
        rainout_rate_kg_s=0 * two,
        temperature_k=temperature * two,
        velocity_m_s=0 * two,
        aerosol_fraction=aerosol * two,
    )


def test_cold_chlorine_plume_is_dense_and_says_why() -> None:
    choice = choose_regime(constant_source("chlorine", 5.0, 600.0, temperature_k=239.0), WEATHER)
    assert choice.model == "dense_gas_slab"
    assert choice.is_dense
    assert choice.release_kind == "continuous"
    assert choice.reason.startswith("dense: initial density 3.62 kg/m3 > air 1.20")
    assert "B-M continuous criterion" in choice.reason
    assert f"{choice.continuous_criterion:.3g} >= 0.15" in choice.reason


def test_warm_methane_is_passive() -> None:
    choice = choose_regime(constant_source("methane", 5.0, 600.0, temperature_k=290.0), WEATHER)
    assert choice.model == "gaussian_plume"
    assert not choice.is_dense
    assert choice.reason.startswith("passive: initial density 0.67 kg/m3 <= air")


def test_short_release_is_instantaneous_and_uses_the_puff_criterion() -> None:
    choice = choose_regime(constant_source("propane", 100.0, 5.0, temperature_k=231.0), WEATHER)
    assert choice.release_kind == "instantaneous"
    assert choice.model == "dense_gas_slab"
    assert "B-M instantaneous criterion" in choice.reason
    assert "continuous criterion" not in choice.reason


def test_intermediate_release_reports_both_criteria() -> None:
    # u10 = 3 m/s, Td = 50 s, x = 100 m: u Td / x = 1.5
    choice = choose_regime(constant_source("chlorine", 1.0, 50.0, temperature_k=239.0), WEATHER)
    assert choice.release_kind == "intermediate"
    assert "continuous criterion" in choice.reason
    assert "instantaneous criterion" in choice.reason


def test_weakly_dense_fast_wind_release_is_passive() -> None:
    """Propane vapour slightly heavier than air in a strong wind: criterion below 0.15."""
    windy = Weather(wind_speed_m_s=15.0, wind_from_deg=0.0, stability_class="D")
    choice = choose_regime(constant_source("ethane", 0.01, 3600.0, temperature_k=293.0), windy)
    assert choice.initial_density_kg_m3 > choice.air_density_kg_m3
    assert not choice.is_dense
    assert choice.model == "gaussian_plume"
    assert "< 0.15" in choice.reason


@pytest.mark.verification
def test_aerosol_raises_the_release_density() -> None:
    """1/rho = (1-f)/rho_v + f/rho_l with ideal-gas vapour and saturated liquid (exact)."""
    nh3 = substance("ammonia")
    tb = nh3.normal_boiling_point_k
    rho_v = 101_325.0 * nh3.molar_mass_kg_mol / (8.314462618 * tb)
    rho_l = nh3.liquid_density_kg_m3(tb)
    got = release_density_kg_m3(nh3, temperature_k=tb, pressure_pa=101_325.0, aerosol_fraction=0.5)
    assert got == pytest.approx(1.0 / (0.5 / rho_v + 0.5 / rho_l), rel=1e-12)
    choice = choose_regime(_source("ammonia", 10.0, 600.0, tb, aerosol=0.5), WEATHER)
    assert choice.is_dense
    assert "(vapour + 50 % aerosol)" in choice.reason
    dry = choose_regime(_source("ammonia", 10.0, 600.0, 293.0), WEATHER)
    assert not dry.is_dense


def test_state_is_read_at_the_requested_time() -> None:
    src = SourceTerm(
        substance="chlorine",
        model="test",
        phase="gas",
        t_s=np.array([0.0, 100.0, 200.0]),
        discharge_rate_kg_s=np.array([5.0, 5.0, 0.0]),
        airborne_rate_kg_s=np.array([5.0, 5.0, 0.0]),
        rainout_rate_kg_s=np.zeros(3),
        temperature_k=np.array([239.0, 290.0, 290.0]),
        velocity_m_s=np.zeros(3),
        aerosol_fraction=np.zeros(3),
    )
    early = choose_regime(src, WEATHER, t_s=0.0)
    late = choose_regime(src, WEATHER, t_s=100.0)
    assert early.initial_density_kg_m3 > late.initial_density_kg_m3


def test_bad_inputs() -> None:
    with pytest.raises(InvalidInputError, match="distance_m"):
        choose_regime(
            constant_source("chlorine", 5.0, 60.0, temperature_k=239.0), WEATHER, distance_m=0
        )
    with pytest.raises(InvalidInputError, match="airborne"):
        choose_regime(constant_source("chlorine", 0.0, 60.0, temperature_k=239.0), WEATHER)
    with pytest.raises(InvalidInputError, match="aerosol_fraction"):
        release_density_kg_m3(
            substance("chlorine"), temperature_k=239.0, pressure_pa=1e5, aerosol_fraction=1.0
        )


def test_docstring_examples() -> None:
    from solvers.dispersion import regime

    result = doctest.testmod(regime)
    assert result.attempted > 0
    assert result.failed == 0
