"""Tests of solvers.source.orifice_gas: choked/subsonic hole flow, blowdown, expanded jets."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

from solvers.errors import InvalidInputError
from solvers.source._common import GAS_CONSTANT_J_MOL_K
from solvers.source.orifice_gas import (
    Expansion,
    GasLeak,
    adiabatic_choked_blowdown_pressure_pa,
    critical_pressure_ratio,
    expanded_jet,
    gas_orifice_rate_kg_s,
    isothermal_choked_blowdown_pressure_pa,
    release,
    vessel_blowdown,
)

PA = 101_325.0
MM_METHANE = 0.016043
GAMMA_METHANE = 1.31


@pytest.mark.verification
def test_critical_pressure_ratio_of_air_is_0_528() -> None:
    """Published: P*/P0 = 0.528 for gamma = 1.4 (Crowl and Louvar 2011, section 4-6; any text).

    Tolerance 1e-3, the published value's rounding.
    """
    assert critical_pressure_ratio(1.4) == pytest.approx(0.528, rel=1e-3)


@pytest.mark.verification
def test_choked_rate_matches_the_closed_form() -> None:
    """Analytic: Q = Cd A P0 sqrt(gamma M/(R T0) (2/(gamma+1))^((gamma+1)/(gamma-1))).

    The module evaluates the subsonic formula at the critical ratio, so agreement to 1e-12
    checks the algebra of both branches.
    """
    area, p0, t0, g, mm = 1e-4, 20e5, 300.0, 1.4, 0.028
    expected = (
        0.62
        * area
        * p0
        * math.sqrt(g * mm / (GAS_CONSTANT_J_MOL_K * t0) * (2 / (g + 1)) ** ((g + 1) / (g - 1)))
    )
    got = float(gas_orifice_rate_kg_s(area, p0, t0, molar_mass_kg_mol=mm, gamma=g))
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.verification
@pytest.mark.parametrize("gamma", [1.1, 1.31, 1.4, 1.67])
def test_choked_and_subsonic_branches_meet_at_the_critical_ratio(gamma: float) -> None:
    """Analytic: the rate is continuous where the flow chokes (relative jump < 1e-6)."""
    p_crit = PA / critical_pressure_ratio(gamma)
    below, above = p_crit * (1 - 1e-9), p_crit * (1 + 1e-9)
    rates = gas_orifice_rate_kg_s(
        1e-4, np.array([below, above]), 300.0, molar_mass_kg_mol=0.02, gamma=gamma
    )
    assert rates[1] == pytest.approx(rates[0], rel=1e-6)


@pytest.mark.property
@given(p0_pa=st.floats(PA * 1.0001, 2e7), step=st.floats(1.001, 3.0))
def test_rate_increases_with_upstream_pressure(p0_pa: float, step: float) -> None:
    rates = gas_orifice_rate_kg_s(
        1e-4,
        np.array([p0_pa, p0_pa * step]),
        280.0,
        molar_mass_kg_mol=MM_METHANE,
        gamma=GAMMA_METHANE,
    )
    assert rates[1] > rates[0] > 0


def test_no_flow_without_overpressure() -> None:
    rate = gas_orifice_rate_kg_s(1e-4, PA, 300.0, molar_mass_kg_mol=MM_METHANE, gamma=1.31)
    assert float(rate) == 0.0


@pytest.mark.verification
@pytest.mark.parametrize(
    ("expansion", "closed_form"),
    [
        ("adiabatic", adiabatic_choked_blowdown_pressure_pa),
        ("isothermal", isothermal_choked_blowdown_pressure_pa),
    ],
)
def test_choked_blowdown_follows_the_closed_form(
    expansion: Expansion, closed_form: Callable[..., NDArray[np.float64]]
) -> None:
    """Analytic: during the choked phase the integrated pressure equals the closed form.

    Adiabatic: P/P0 = [1 + (gamma-1)/2 K t]^(-2 gamma/(gamma-1)); isothermal: exp(-K t).
    solve_ivp runs at rtol 1e-9, so the tolerance is 1e-7.
    """
    kwargs: dict[str, Any] = {
        "volume_m3": 10.0,
        "initial_pressure_pa": 50e5,
        "initial_temperature_k": 300.0,
        "molar_mass_kg_mol": MM_METHANE,
        "gamma": GAMMA_METHANE,
    }
    blowdown = vessel_blowdown(
        hole_diameter_m=0.02, expansion=expansion, max_duration_s=1e5, **kwargs
    )
    choked = blowdown.pressure_pa * critical_pressure_ratio(1.31) > PA
    assert choked.sum() > 20
    expected = closed_form(blowdown.t_s[choked], hole_area_m2=math.pi * 0.02**2 / 4, **kwargs)
    np.testing.assert_allclose(blowdown.pressure_pa[choked], expected, rtol=1e-7)


@pytest.mark.verification
@pytest.mark.parametrize("expansion", ["adiabatic", "isothermal"])
def test_blowdown_releases_the_inventory_down_to_ambient_density(expansion: Expansion) -> None:
    """Mass conservation: integral of the rate = initial - final mass; the vessel ends at P_a.

    Tolerance 1e-3 for the trapezoid rule on 101 rows.
    """
    blowdown = vessel_blowdown(
        volume_m3=5.0,
        initial_pressure_pa=30e5,
        initial_temperature_k=290.0,
        hole_diameter_m=0.03,
        expansion=expansion,
        max_duration_s=1e5,
        molar_mass_kg_mol=MM_METHANE,
        gamma=GAMMA_METHANE,
    )
    assert blowdown.is_depressurised
    assert blowdown.pressure_pa[-1] == pytest.approx(PA, rel=1e-9)
    released = blowdown.initial_mass_kg - blowdown.final_mass_kg
    assert float(np.trapezoid(blowdown.rate_kg_s, blowdown.t_s)) == pytest.approx(
        released, rel=1e-3
    )
    if expansion == "adiabatic":
        assert blowdown.temperature_k[-1] == pytest.approx(290.0 * (PA / 30e5) ** (0.31 / 1.31))


@pytest.mark.verification
def test_pseudo_source_diameters_match_their_published_closed_forms() -> None:
    """Analytic forms of the notional nozzles.

    Birch et al. (1984): d = d0 sqrt(Cd P0/Pa) (2/(gamma+1))^(1/(2(gamma-1))) (sonic, T0);
    Ewan and Moodie (1986): d = d0 sqrt(Cd P*/Pa) (sonic, T*). Birch et al. (1987) conserve
    momentum: Q u = Q u* + (P* - Pa) Cd A. Tolerance 1e-10 (same algebra, different route).
    """
    d0, cd, p0, t0, g, mm = 0.05, 0.62, 60e5, 290.0, 1.31, 0.016043
    args = {
        "hole_diameter_m": d0,
        "molar_mass_kg_mol": mm,
        "gamma": g,
        "discharge_coefficient": cd,
    }
    b84 = expanded_jet(p0, t0, model="birch_1984", **args)
    assert float(b84.diameter_m) == pytest.approx(
        d0 * math.sqrt(cd * p0 / PA) * (2 / (g + 1)) ** (1 / (2 * (g - 1))), rel=1e-10
    )
    assert float(b84.temperature_k) == t0
    em = expanded_jet(p0, t0, model="ewan_moodie_1986", **args)
    p_star = p0 * critical_pressure_ratio(g)
    assert float(em.diameter_m) == pytest.approx(d0 * math.sqrt(cd * p_star / PA), rel=1e-10)
    assert float(em.temperature_k) == pytest.approx(2 * t0 / (g + 1))
    b87 = expanded_jet(p0, t0, model="birch_1987", **args)
    q = float(
        gas_orifice_rate_kg_s(
            math.pi * d0**2 / 4, p0, t0, molar_mass_kg_mol=mm, gamma=g, discharge_coefficient=cd
        )
    )
    u_star = math.sqrt(g * GAS_CONSTANT_J_MOL_K * (2 * t0 / (g + 1)) / mm)
    momentum = q * u_star + (p_star - PA) * cd * math.pi * d0**2 / 4
    assert q * float(b87.velocity_m_s) == pytest.approx(momentum, rel=1e-10)


@pytest.mark.verification
def test_subsonic_jet_conserves_energy() -> None:
    """Analytic: a subsonic jet's exit state satisfies cp T + u^2/2 = cp T0 (tolerance 1e-12)."""
    g, mm, t0 = 1.4, 0.029, 300.0
    jet = expanded_jet(1.5e5, t0, hole_diameter_m=0.01, molar_mass_kg_mol=mm, gamma=g)
    cp = g * GAS_CONSTANT_J_MOL_K / ((g - 1) * mm)
    total = cp * float(jet.temperature_k) + 0.5 * float(jet.velocity_m_s) ** 2
    assert total == pytest.approx(cp * t0, rel=1e-12)


def _leak(**changes: object) -> GasLeak:
    base: dict[str, object] = {
        "substance": "methane",
        "pressure_pa": 40e5,
        "temperature_k": 288.0,
        "hole_diameter_m": 0.025,
        "vessel_volume_m3": 20.0,
        "vessel_diameter_m": 2.0,
        "max_duration_s": 3600.0,
    }
    base.update(changes)
    return GasLeak(**base)  # type: ignore[arg-type]


def test_vessel_leak_is_all_airborne_and_ends_when_depressurised() -> None:
    source = release(_leak())
    assert source.model == "orifice_gas"
    assert source.phase == "gas"
    np.testing.assert_array_equal(source.airborne_rate_kg_s, source.discharge_rate_kg_s)
    assert np.all(source.rainout_rate_kg_s == 0.0)
    assert source.duration_s < 3600.0
    assert source.discharge_rate_kg_s[-1] == pytest.approx(0.0, abs=1e-6)
    assert np.all(np.diff(source.discharge_rate_kg_s) <= 0)
    assert source.velocity_m_s[0] > 300.0


def test_maintained_pressure_gives_a_steady_release() -> None:
    source = release(_leak(vessel_volume_m3=None, max_duration_s=120.0))
    assert source.duration_s == 120.0
    assert np.ptp(source.discharge_rate_kg_s) == 0.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hole_diameter_m": 3.0}, "must be <= the vessel or pipe's inner diameter 2 m"),
        ({"pressure_pa": 90_000.0}, "must be above the ambient pressure"),
        ({"pressure_pa": -1.0}, "pressure_pa"),
        ({"substance": "ammonia", "pressure_pa": 20e5, "temperature_k": 293.15}, "holds liquid"),
        ({"jet_model": "nozzle"}, "jet_model"),
        ({"expansion": "polytropic"}, "expansion"),
        ({"vessel_volume_m3": 0.0}, "vessel_volume_m3"),
        ({"substance": "kryptonite"}, "kryptonite"),
    ],
)
def test_bad_inputs_are_rejected_with_a_clear_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        release(_leak(**changes))
