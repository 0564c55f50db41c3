"""Validation cases of the discharge (source-term) models.

Published numbers: Crowl and Louvar's Example 4-1 (liquid through a hole) and the critical pressure
ratio of air. The other cases are analytic identities, because the remaining textbook answers (the
draining-tank, gas and flashing examples of Crowl and Louvar, the Yellow Book and CCPS examples)
could not be checked against a copy of the source: Torricelli/Crowl-Louvar closed forms of the
draining tank, the closed form of the choked adiabatic blowdown, continuity of the choked and
subsonic orifice formulas, mass conservation of every time-varying model, the limits of Fauske's
two-phase flux, the energy balance of the isenthalpic flash and the integral of Wilson's pipeline
blowdown.
"""

from __future__ import annotations

import math

import numpy as np

from scenarios.validation.registry import Check, validation_case
from solvers.source._common import GAS_CONSTANT_J_MOL_K, Tank
from solvers.source.flashing_two_phase import (
    EQUILIBRIUM_LENGTH_M,
    isenthalpic_flash_fraction,
    two_phase_mass_flux_kg_m2_s,
)
from solvers.source.orifice_gas import (
    adiabatic_choked_blowdown_pressure_pa,
    critical_pressure_ratio,
    gas_orifice_rate_kg_s,
    vessel_blowdown,
)
from solvers.source.orifice_liquid import (
    liquid_orifice_rate_kg_s,
    tank_drain,
    vertical_tank_drain_time_s,
)
from solvers.source.pipe_rupture import Pipeline, PipeRupture, release
from solvers.substances.library import substance

_LBM_KG = 0.45359237
_FT_M = 0.3048
_IN_M = 0.0254
_PSI_PA = 6894.757293168
_US_GALLON_M3 = 3.785411784e-3
_AMBIENT_PA = 101_325.0


@validation_case(
    "source/crowl-louvar-4-1-liquid-hole",
    title="Benzene through a 1/4-in hole at 100 psig for 90 min: rate and spilled volume",
    source="Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., Example 4-1 "
    + "(Qm = 1.48 lbm/s, 1090 gal; Cd 0.61, specific gravity 0.8794)",
    kind="published",
)
def crowl_louvar_liquid_hole() -> list[Check]:
    """Bernoulli orifice flow against the textbook's answers (3 significant figures: 1 %)."""
    density = 0.8794 * 62.4 * _LBM_KG / _FT_M**3
    area = math.pi / 4.0 * (0.25 * _IN_M) ** 2
    rate = float(liquid_orifice_rate_kg_s(area, density, 100.0 * _PSI_PA))
    spilled = rate * 90.0 * 60.0 / density / _US_GALLON_M3
    return [
        Check(quantity="mass flow", got=rate / _LBM_KG, unit="lbm/s", expected=1.48, rel_tol=0.01),
        Check(quantity="volume spilled", got=spilled, unit="gal", expected=1090.0, rel_tol=0.01),
    ]


@validation_case(
    "source/critical-pressure-ratio",
    title="Choking pressure ratio of air (gamma 1.4)",
    source="Crowl and Louvar (2011), section 4-6; any gas-dynamics text: P*/P0 = 0.528",
    kind="published",
)
def critical_ratio_of_air() -> list[Check]:
    """Compare (2/(gamma + 1))^(gamma/(gamma - 1)) at gamma = 1.4 with the tabulated ratio."""
    return [
        Check(
            quantity="critical pressure ratio",
            got=critical_pressure_ratio(1.4),
            expected=0.528,
            rel_tol=1e-3,
        )
    ]


@validation_case(
    "source/draining-tank-closed-form",
    title="Numerical drain of a padded vertical tank against the closed form",
    source="Crowl and Louvar (2011), section 4-3, closed-form drain time and level of a vertical "
    + "cylinder at constant gauge pressure (here their Example 4-2 geometry: 8 ft tank, 1-in "
    + "hole 5 ft up, 17 ft of benzene, 1 atm gauge)",
    kind="analytic",
)
def draining_tank() -> list[Check]:
    """Drain time, and drained mass against the integral of the sampled rate."""
    density = 0.8794 * 62.4 * _LBM_KG / _FT_M**3
    tank = Tank(shape="vertical_cylinder", diameter_m=8 * _FT_M, length_m=20 * _FT_M)
    drain = tank_drain(
        tank,
        liquid_level_m=17 * _FT_M,
        hole_height_m=5 * _FT_M,
        hole_diameter_m=_IN_M,
        density_kg_m3=density,
        gauge_pressure_pa=_AMBIENT_PA,
        max_duration_s=1e6,
    )
    closed = vertical_tank_drain_time_s(
        tank_diameter_m=tank.diameter_m,
        hole_diameter_m=_IN_M,
        liquid_head_m=12 * _FT_M,
        density_kg_m3=density,
        gauge_pressure_pa=_AMBIENT_PA,
    )
    return [
        Check(
            quantity="drain time", got=float(drain.t_s[-1]), unit="s", expected=closed, rel_tol=1e-6
        ),
        Check(
            quantity="integral of the sampled rate",
            got=float(np.trapezoid(drain.rate_kg_s, drain.t_s)),
            unit="kg",
            expected=drain.drained_mass_kg,
            rel_tol=1e-4,
        ),
    ]


@validation_case(
    "source/gas-orifice-continuity",
    title="Choked and subsonic orifice formulas agree at the critical ratio",
    source="Crowl and Louvar (2011), section 4-6 (choked and subsonic ideal-gas hole flow)",
    kind="analytic",
)
def gas_orifice_continuity() -> list[Check]:
    """Rates a hair above and below the choking pressure, gamma = 1.31 (methane)."""
    p_crit = _AMBIENT_PA / critical_pressure_ratio(1.31)
    below, above = gas_orifice_rate_kg_s(
        1e-4,
        np.array([p_crit * (1 - 1e-9), p_crit * (1 + 1e-9)]),
        290.0,
        molar_mass_kg_mol=0.016043,
        gamma=1.31,
    )
    return [
        Check(
            quantity="subsonic / choked rate", got=float(below / above), expected=1.0, rel_tol=1e-6
        )
    ]


@validation_case(
    "source/adiabatic-blowdown",
    title="Adiabatic gas vessel blowdown: choked phase and mass balance",
    source="Closed form P/P0 = [1 + (gamma-1)/2 K t]^(-2 gamma/(gamma-1)) of the choked "
    + "isentropic blowdown (from Crowl and Louvar 2011, section 4-6, choked flow)",
    kind="analytic",
)
def adiabatic_blowdown() -> list[Check]:
    """Blow down a 10 m3 methane vessel at 50 bar through a 20 mm hole."""
    args = {
        "volume_m3": 10.0,
        "initial_pressure_pa": 50e5,
        "initial_temperature_k": 300.0,
        "molar_mass_kg_mol": 0.016043,
        "gamma": 1.31,
    }
    history = vessel_blowdown(hole_diameter_m=0.02, max_duration_s=1e5, **args)  # type: ignore[arg-type]
    t_mid = float(np.interp(0.3, history.pressure_pa[::-1] / 50e5, history.t_s[::-1]))
    closed = float(
        adiabatic_choked_blowdown_pressure_pa(t_mid, hole_area_m2=math.pi * 1e-4, **args)
    )
    return [
        Check(
            quantity="pressure at P/P0 = 0.3",
            got=0.3 * 50e5,
            unit="Pa",
            expected=closed,
            rel_tol=1e-3,
        ),
        Check(
            quantity="integral of the rate",
            got=float(np.trapezoid(history.rate_kg_s, history.t_s)),
            unit="kg",
            expected=history.initial_mass_kg - history.final_mass_kg,
            rel_tol=1e-3,
        ),
    ]


@validation_case(
    "source/fauske-flux-limits",
    title="Fauske's flashing flux: Bernoulli at L = 0, equilibrium rate model at L = 0.1 m",
    source="Fauske (1985), Plant/Operations Progress 4(3), 132-134; Crowl and Louvar (2011), "
    + "section 4-7",
    kind="analytic",
)
def fauske_limits() -> list[Check]:
    """Saturated propane-like liquid (G_ERM 8000 kg/m2/s, rho 490 kg/m3, P_sat 9.5 bar)."""
    args = {
        "erm_flux_kg_m2_s": 8000.0,
        "liquid_density_kg_m3": 490.0,
        "saturation_pressure_pa": 9.5e5,
        "hole_pressure_pa": 9.5e5,
    }
    thin = float(two_phase_mass_flux_kg_m2_s(discharge_length_m=0.0, **args))  # type: ignore[arg-type]
    long_ = float(
        two_phase_mass_flux_kg_m2_s(discharge_length_m=EQUILIBRIUM_LENGTH_M, **args)  # type: ignore[arg-type]
    )
    return [
        Check(
            quantity="flux at L = 0",
            got=thin,
            unit="kg/m2/s",
            expected=0.61 * math.sqrt(2 * 490.0 * (9.5e5 - _AMBIENT_PA)),
            rel_tol=1e-9,
        ),
        Check(
            quantity="flux at L = 0.1 m", got=long_, unit="kg/m2/s", expected=8000.0, rel_tol=1e-9
        ),
    ]


@validation_case(
    "source/isenthalpic-flash",
    title="Ammonia at 20 °C flashed to 1 atm: the energy balance closes",
    source="Energy balance of the adiabatic flash, Crowl and Louvar (2011), section 4-7",
    kind="analytic",
)
def isenthalpic_flash() -> list[Check]:
    """h_l(T) = x h_v(T_b) + (1 - x) h_l(T_b) with the library's saturated enthalpies."""
    nh3 = substance("ammonia")
    x = isenthalpic_flash_fraction(nh3, 293.15, _AMBIENT_PA)
    t_b = nh3.saturation_temperature_k(_AMBIENT_PA)
    mixed = x * nh3.vapour_enthalpy_j_kg(t_b) + (1 - x) * nh3.liquid_enthalpy_j_kg(t_b)
    return [
        Check(
            quantity="enthalpy after / before",
            got=mixed / nh3.liquid_enthalpy_j_kg(293.15),
            expected=1.0,
            rel_tol=1e-9,
        ),
    ]


@validation_case(
    "source/wilson-pipeline-inventory",
    title="Isolated gas pipeline rupture releases its inventory",
    source="Wilson (1981) double-exponential blowdown as in CCPS (2000), Guidelines for CPQRA, "
    + "2nd ed., section 2.1.1: the integral of the rate is the initial inventory",
    kind="analytic",
)
def wilson_inventory() -> list[Check]:
    """Rupture a 2 km, 0.2 m methane line at 50 bar, isolated at once."""
    line = Pipeline(inner_diameter_m=0.2, length_m=2000.0)
    source = release(
        PipeRupture(
            substance="methane",
            pipeline=line,
            upstream_pressure_pa=50e5,
            temperature_k=288.0,
            isolation_time_s=0.0,
        )
    )
    mm = substance("methane").molar_mass_kg_mol
    inventory = 50e5 * mm / (GAS_CONSTANT_J_MOL_K * 288.0) * line.area_m2 * line.length_m
    return [
        Check(
            quantity="mass released",
            got=source.discharged_mass_kg(),
            unit="kg",
            expected=inventory,
            rel_tol=5e-3,
        ),
    ]
