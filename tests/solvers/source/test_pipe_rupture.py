"""Tests of solvers.source.pipe_rupture: friction, Fanno flow, Wilson blowdown, line releases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad

from solvers.errors import InvalidInputError
from solvers.source._common import GAS_CONSTANT_J_MOL_K, JUMP_GAP_S
from solvers.source.orifice_gas import gas_orifice_rate_kg_s
from solvers.source.pipe_rupture import (
    Pipeline,
    PipeRupture,
    darcy_friction_factor,
    fanno_mass_flux_kg_m2_s,
    liquid_line_rate_kg_s,
    release,
    wilson_blowdown_rate_kg_s,
    wilson_time_constant_s,
)
from solvers.substances.library import substance

PA = 101_325.0


@pytest.mark.verification
def test_friction_factor_limits() -> None:
    """Analytic limits of the Colebrook equation and laminar flow.

    Laminar 64/Re exactly; smooth pipe at Re = 1e5 within 2 % of Blasius 0.316 Re^-0.25 (the
    Blasius fit's accuracy there); fully rough limit 1/sqrt(f) = -2 log10(eps/(3.7 D)) (1e-6).
    """
    assert float(darcy_friction_factor(1000.0, 1e-3)) == pytest.approx(0.064, rel=1e-12)
    assert float(darcy_friction_factor(1e5, 0.0)) == pytest.approx(0.316 * 1e5**-0.25, rel=0.02)
    rough = float(darcy_friction_factor(1e12, 1e-3))
    assert rough == pytest.approx((-2 * math.log10(1e-3 / 3.7)) ** -2, rel=1e-6)


@pytest.mark.verification
def test_liquid_line_rate_closes_the_energy_balance() -> None:
    """Analytic: the returned flow satisfies dP = rho u^2/2 (K_in + f L/D + 1) (1e-9)."""
    line = Pipeline(inner_diameter_m=0.1, length_m=150.0)
    rho, mu, dp = 680.0, 2.5e-4, 8e5
    q = liquid_line_rate_kg_s(line, driving_pressure_pa=dp, density_kg_m3=rho, viscosity_pa_s=mu)
    u = q / (rho * line.area_m2)
    f = float(darcy_friction_factor(rho * u * 0.1 / mu, line.roughness_m / 0.1))
    assert 0.5 * rho * u**2 * (0.5 + f * 150.0 / 0.1 + 1.0) == pytest.approx(dp, rel=1e-9)


@pytest.mark.verification
def test_frictionless_liquid_line_is_bernoulli() -> None:
    """Analytic: a vanishing line with no entrance loss gives rho A sqrt(2 dP / rho) (1e-6)."""
    line = Pipeline(inner_diameter_m=0.05, length_m=1e-9)
    q = liquid_line_rate_kg_s(
        line,
        driving_pressure_pa=2e5,
        density_kg_m3=1000.0,
        viscosity_pa_s=1e-3,
        entrance_loss_coefficient=0.0,
    )
    assert q == pytest.approx(1000.0 * line.area_m2 * math.sqrt(2 * 2e5 / 1000.0), rel=1e-6)


@pytest.mark.verification
def test_short_pipe_fanno_flux_tends_to_the_choked_orifice() -> None:
    """Analytic limit: with f L/D -> 0 the Fanno flux is the isentropic choked flux (1e-3)."""
    p0, t0, mm, g = 50e5, 300.0, 0.016, 1.31
    flux = fanno_mass_flux_kg_m2_s(
        friction_length=1e-7,
        upstream_pressure_pa=p0,
        upstream_temperature_k=t0,
        molar_mass_kg_mol=mm,
        gamma=g,
    )
    choked = float(
        gas_orifice_rate_kg_s(1.0, p0, t0, molar_mass_kg_mol=mm, gamma=g, discharge_coefficient=1.0)
    )
    assert flux == pytest.approx(choked, rel=1e-3)


@pytest.mark.property
@given(fld=st.floats(0.1, 5000.0), factor=st.floats(1.01, 10.0), p0=st.floats(1.2e5, 1e7))
def test_fanno_flux_falls_with_friction(fld: float, factor: float, p0: float) -> None:
    """More friction, less flow: also across the choked/subsonic switch."""
    args = {
        "upstream_pressure_pa": p0,
        "upstream_temperature_k": 290.0,
        "molar_mass_kg_mol": 0.016,
        "gamma": 1.31,
    }
    assert fanno_mass_flux_kg_m2_s(friction_length=fld * factor, **args) < (
        fanno_mass_flux_kg_m2_s(friction_length=fld, **args)
    )


@pytest.mark.verification
def test_wilson_rate_integrates_to_the_inventory() -> None:
    """Analytic: the integral of Wilson's double exponential over all time is m_0 (1e-8)."""
    beta = wilson_time_constant_s(
        length_m=5000.0, diameter_m=0.3, sound_speed_m_s=430.0, gamma=1.31, fanning=0.003
    )
    q0, m0 = 500.0, 3.0e4
    total, _ = quad(
        lambda t: float(
            wilson_blowdown_rate_kg_s(
                t, initial_rate_kg_s=q0, inventory_kg=m0, time_constant_s=beta
            )
        ),
        0.0,
        np.inf,
        limit=200,
    )
    assert total == pytest.approx(m0, rel=1e-8)
    start = wilson_blowdown_rate_kg_s(
        0.0, initial_rate_kg_s=q0, inventory_kg=m0, time_constant_s=beta
    )
    assert float(start) == pytest.approx(q0)


GAS_LINE = Pipeline(inner_diameter_m=0.2, length_m=2000.0)


def _gas(**changes: object) -> PipeRupture:
    base: dict[str, object] = {
        "substance": "methane",
        "pipeline": GAS_LINE,
        "upstream_pressure_pa": 50e5,
        "temperature_k": 288.0,
    }
    base.update(changes)
    return PipeRupture(**base)  # type: ignore[arg-type]


@pytest.mark.verification
def test_isolated_gas_line_releases_its_inventory() -> None:
    """Mass conservation: a line isolated at once releases its ideal-gas inventory (0.5 %)."""
    source = release(_gas(isolation_time_s=0.0))
    mm = substance("methane").molar_mass_kg_mol
    inventory = 50e5 * mm / (GAS_CONSTANT_J_MOL_K * 288.0) * GAS_LINE.area_m2 * 2000.0
    assert source.discharged_mass_kg() == pytest.approx(inventory, rel=5e-3)
    assert source.phase == "gas"
    np.testing.assert_array_equal(source.airborne_rate_kg_s, source.discharge_rate_kg_s)


def test_fed_gas_line_settles_on_the_steady_flow_and_isolation_ends_it() -> None:
    fed = release(_gas(max_duration_s=3600.0))
    assert fed.duration_s == 3600.0
    late = fed.discharge_rate_kg_s[-20:]
    assert np.ptp(late) == pytest.approx(0.0, abs=1e-9 * late[0])
    isolated = release(_gas(isolation_time_s=120.0))
    assert isolated.duration_s < 3600.0
    rate_at = np.interp([120.0 - 1e-3, 120.0 + 1e-3], isolated.t_s, isolated.discharge_rate_kg_s)
    assert rate_at[1] == pytest.approx(rate_at[0], rel=1e-3)
    assert isolated.discharged_mass_kg() > release(_gas(isolation_time_s=0.0)).discharged_mass_kg()


LIQUID_LINE = Pipeline(inner_diameter_m=0.1, length_m=200.0, elevation_drop_m=5.0)


def _liquid(**changes: object) -> PipeRupture:
    base: dict[str, object] = {
        "substance": "ammonia",
        "pipeline": LIQUID_LINE,
        "upstream_pressure_pa": 10e5,
        "temperature_k": 230.0,
    }
    base.update(changes)
    return PipeRupture(**base)  # type: ignore[arg-type]


@pytest.mark.verification
def test_isolated_sloping_liquid_line_drains_its_inventory() -> None:
    """Mass conservation: after isolation a falling line drains rho A L (tolerance 1 %).

    Tolerance: the fed part is exact; the drain is sampled on 101 rows.
    """
    rho = substance("ammonia").liquid_density_kg_m3(230.0)
    fed = release(_liquid())
    t_iso = 30.0
    source = release(_liquid(isolation_time_s=t_iso))
    assert source.phase == "liquid"
    assert np.all(source.airborne_rate_kg_s == 0.0)
    fed_rate = fed.discharge_rate_kg_s[0]
    drained = source.discharged_mass_kg() - fed_rate * (t_iso + JUMP_GAP_S / 2)
    assert drained == pytest.approx(rho * LIQUID_LINE.area_m2 * 200.0, rel=0.01)


def test_horizontal_liquid_line_stops_at_isolation() -> None:
    flat = Pipeline(inner_diameter_m=0.1, length_m=200.0)
    source = release(_liquid(pipeline=flat, isolation_time_s=45.0))
    assert source.duration_s == pytest.approx(45.0)
    assert np.ptp(source.discharge_rate_kg_s) == 0.0


@pytest.mark.verification
def test_flashing_line_releases_its_liquid_after_isolation() -> None:
    """Mass conservation: after isolation the saturated line empties rho A L (0.1 %)."""
    source = release(_liquid(temperature_k=293.15, upstream_pressure_pa=15e5, isolation_time_s=0.0))
    rho = substance("ammonia").liquid_density_kg_m3(293.15)
    assert source.phase == "two-phase"
    assert source.discharged_mass_kg() == pytest.approx(rho * LIQUID_LINE.area_m2 * 200.0, rel=1e-3)
    assert np.all(source.rainout_rate_kg_s < source.discharge_rate_kg_s)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"rupture_diameter_m": 0.3},
            r"rupture_diameter_m = 0\.3 m: must be <= the pipe's inner diameter 0\.2 m",
        ),
        ({"upstream_pressure_pa": 95_000.0}, "must be above the ambient pressure"),
        ({"isolation_time_s": -5.0}, "isolation_time_s"),
        ({"max_duration_s": -1.0}, "max_duration_s"),
        ({"substance": "water"}, "water"),
    ],
)
def test_bad_inputs_are_rejected_with_a_clear_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        release(_gas(**changes))


def test_pipeline_geometry_is_checked() -> None:
    with pytest.raises(InvalidInputError, match="elevation_drop_m"):
        Pipeline(inner_diameter_m=0.1, length_m=10.0, elevation_drop_m=20.0)
    with pytest.raises(InvalidInputError, match="inner_diameter_m"):
        Pipeline(inner_diameter_m=0.0, length_m=10.0)
