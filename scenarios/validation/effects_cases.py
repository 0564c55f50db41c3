"""Validation cases of the effects models against published numbers and closed forms.

Published: the Withers & Lees (1985) chlorine 50 % lethal concentrations, Finney's probit table,
the NRC AEGL values, and Purser's equivalence of the Stewart CO equation with the ISO 13571 CO
dose. Analytic: unit conversion of the Purple Book ammonia probit, the ISO 13571 convective heat
laws, the Eisenberg thermal probit, oxygen displacement, the plume threat distance, and the
per-person dose update against the constant-exposure closed forms.
"""

from __future__ import annotations

import math

import numpy as np

from scenarios.validation.registry import Check, validation_case
from solvers.effects.person_dose import accumulate_dose, initial_dose_state
from solvers.effects.purser_fed import co_fed_rate_per_min, convective_heat_fed_rate_per_min
from solvers.effects.thermal_dose import (
    thermal_dose_for_probability,
    thermal_dose_tdu,
    thermal_probability,
    time_to_thermal_probability_s,
)
from solvers.effects.threat_zones import plume_threat_distance_m
from solvers.effects.threshold_zones import aegl_ppm, agent_fraction_for_oxygen
from solvers.effects.toxic_load import (
    concentration_for_probability,
    probability_from_probit,
    toxic_fatality_probability,
    toxic_load_constant,
)
from solvers.hazard_field import HazardSample
from solvers.substances.library import ToxicProbit, substance

_GAS_CONSTANT_J_MOL_K = 8.314462618
_T_20C_K = 293.15
_ATMOSPHERE_PA = 101_325.0


@validation_case(
    "effects/withers-lees-chlorine-lc50",
    title="Chlorine 50 % lethal concentrations for 10 and 30 min from the probit",
    source="Withers, R.M.J., Lees, F.P. (1985). The assessment of major hazards: the lethal "
    + "toxicity of chlorine, Part 2. J. Hazardous Materials 12, 283-302 (abstract): "
    + "Y = -8.29 + 0.92 ln(sum C^2 T); LC50 433 ppm (10 min), 250 ppm (30 min)",
    kind="published",
)
def withers_lees_chlorine() -> list[Check]:
    """Compare the published LC50s (regular population); 0.5 % covers 3-figure rounding."""
    probit = ToxicProbit(-8.29, 0.92, 2.0, source="Withers & Lees (1985)")
    c10 = concentration_for_probability(0.5, probit, duration_s=600.0) * 1e6
    c30 = concentration_for_probability(0.5, probit, duration_s=1800.0) * 1e6
    p10 = toxic_fatality_probability(toxic_load_constant(433e-6, 600.0, exponent_n=2.0), probit)
    return [
        Check(quantity="LC50, 10 min", got=c10, unit="ppm", expected=433.0, rel_tol=0.005),
        Check(quantity="LC50, 30 min", got=c30, unit="ppm", expected=250.0, rel_tol=0.005),
        Check(quantity="fatality at 433 ppm, 10 min", got=float(p10), expected=0.5, abs_tol=0.005),
    ]


@validation_case(
    "effects/finney-probit-table",
    title="Probit to percentage conversion",
    source="Finney, D.J. (1971). Probit Analysis, 3rd ed., Table I (as reproduced in Crowl & "
    + "Louvar, Chemical Process Safety, Table 2-4): probits 2.67, 3.72, 6.28, 7.33 for "
    + "1, 10, 90, 99 %",
    kind="published",
)
def finney_table() -> list[Check]:
    """Compare with the table; probits have 2 decimals, so tolerances are slope x 0.005."""
    rows = [(2.67, 0.01, 2e-4), (3.72, 0.10, 1e-3), (6.28, 0.90, 1e-3), (7.33, 0.99, 2e-4)]
    return [
        Check(
            quantity=f"response at probit {pr:.2f}",
            got=float(probability_from_probit(pr)),
            expected=fraction,
            abs_tol=tol,
        )
        for pr, fraction, tol in rows
    ]


@validation_case(
    "effects/aegl-published-values",
    title="AEGL look-up returns the NRC values and interpolates between them",
    source="NRC (2008) AEGL vol. 6 (ammonia); NRC (2004) vol. 4 (chlorine); NRC (2001) "
    + "Standing Operating Procedures (C^n t = k time scaling)",
    kind="published",
)
def aegl_values() -> list[Check]:
    """Compare AEGL-3 values at table durations and the power-law value between two."""
    ammonia = substance("ammonia").hazard
    chlorine = substance("chlorine").hazard
    between = aegl_ppm(ammonia, 3, math.sqrt(1800.0 * 3600.0))
    return [
        Check(
            quantity="ammonia AEGL-3, 60 min",
            got=aegl_ppm(ammonia, 3, 3600.0),
            unit="ppm",
            expected=1100.0,
            rel_tol=1e-9,
        ),
        Check(
            quantity="chlorine AEGL-3, 30 min",
            got=aegl_ppm(chlorine, 3, 1800.0),
            unit="ppm",
            expected=28.0,
            rel_tol=1e-9,
        ),
        Check(
            quantity="ammonia AEGL-3 at the log-mean of 30 and 60 min",
            got=between,
            unit="ppm",
            expected=math.sqrt(1600.0 * 1100.0),
            rel_tol=1e-9,
        ),
    ]


@validation_case(
    "effects/stewart-co-vs-iso-13571",
    title="Time to incapacitation by CO: Stewart equation at 20 L/min against 35 000 ppm min",
    source="Purser, D.A., McAllister, J.L. (2016), SFPE Handbook 5th ed., ch. 63, note 2 to "
    + "eq. 63.18: the ISO 13571 CO dose (35 000 ppm min) equals light work at about 20 L/min",
    kind="published",
)
def stewart_vs_iso() -> list[Check]:
    """Compare within 5 %: the Stewart exponent 1.036 departs from ISO by C^0.036."""
    checks = []
    for co_ppm in (500.0, 1000.0, 3000.0):
        t_min = 1.0 / float(co_fed_rate_per_min(co_ppm * 1e-6, ventilation_l_min=20.0))
        checks.append(
            Check(
                quantity=f"time to FED 1 at {co_ppm:g} ppm CO",
                got=t_min,
                unit="min",
                expected=35_000.0 / co_ppm,
                rel_tol=0.05,
            )
        )
    return checks


@validation_case(
    "effects/purple-book-ammonia-units",
    title="Ammonia probit in ppm reproduces the published mg/m3 form",
    source="CPR 18E Purple Book, ch. 5: ammonia a = -15.6, b = 1, n = 2 (mg/m3, min); "
    + "ideal-gas conversion at 20 °C, 1 atm",
    kind="analytic",
)
def purple_book_units() -> list[Check]:
    """Compare the 30-min LC50 of the mg/m3 constants, converted to ppm, with the ppm form."""
    nh3 = substance("ammonia")
    probit = nh3.hazard.toxic_probit
    assert probit is not None
    lc50_mg_m3 = math.sqrt(math.exp(5.0 + 15.6) / 30.0)
    mg_m3_per_ppm = _ATMOSPHERE_PA * nh3.molar_mass_kg_mol / (_GAS_CONSTANT_J_MOL_K * _T_20C_K)
    got = concentration_for_probability(0.5, probit, duration_s=1800.0) * 1e6
    return [
        Check(
            quantity="30-min LC50",
            got=got,
            unit="ppm",
            expected=lc50_mg_m3 / mg_m3_per_ppm,
            rel_tol=1e-6,
        )
    ]


@validation_case(
    "effects/iso-13571-convective-heat",
    title="Convected-heat time to incapacitation at 100 °C",
    source="ISO 13571:2012 eq. 9 (4.1e8 T^-3.61, clothed) and eq. 10 (5e7 T^-3.4, lightly "
    + "clothed; Purser & McAllister 2016 eq. 63.44), evaluated at 100 °C",
    kind="analytic",
)
def iso_convective_heat() -> list[Check]:
    """Compare with the hand values 24.7 and 7.9 min, quoted to 0.1 min."""
    clothed = 1.0 / float(convective_heat_fed_rate_per_min(373.15))
    light = 1.0 / float(convective_heat_fed_rate_per_min(373.15, clothing="lightly_clothed"))
    return [
        Check(quantity="clothed", got=clothed, unit="min", expected=24.7, abs_tol=0.05),
        Check(quantity="lightly clothed", got=light, unit="min", expected=7.9, abs_tol=0.05),
    ]


@validation_case(
    "effects/eisenberg-thermal-probit",
    title="Eisenberg lethality probit: 50 % dose and time at 10 kW/m2",
    source="Eisenberg, Lynch & Breeding (1975), US Coast Guard CG-D-136-75: "
    + "Pr = -14.9 + 2.56 ln(t q^(4/3) / 1e4), closed form",
    kind="analytic",
)
def eisenberg_thermal() -> list[Check]:
    """Check the 50 % dose 1e4 exp(19.9/2.56) (W/m2)^(4/3) s and 110.3 s at 10 kW/m2."""
    d50 = thermal_dose_for_probability(0.5)
    return [
        Check(
            quantity="50 % dose",
            got=float(thermal_dose_tdu(d50)),
            unit="TDU",
            expected=math.exp(19.9 / 2.56),
            rel_tol=1e-9,
        ),
        Check(
            quantity="time to 50 % at 10 kW/m2",
            got=float(time_to_thermal_probability_s(0.5, 10_000.0)),
            unit="s",
            expected=math.exp(19.9 / 2.56) * 1e4 / 10_000.0 ** (4.0 / 3.0),
            rel_tol=1e-9,
        ),
    ]


@validation_case(
    "effects/oxygen-displacement",
    title="Agent concentration that leaves 19.5 % oxygen",
    source="Dilution of air (0.2095 O2, U.S. Standard Atmosphere 1976) by an inert gas; "
    + "OSHA 29 CFR 1910.134(b) oxygen-deficient level 19.5 %",
    kind="analytic",
)
def oxygen_displacement() -> list[Check]:
    """``1 - 0.195 / 0.2095`` = 6.92 %."""
    return [
        Check(
            quantity="agent for 19.5 % O2",
            got=agent_fraction_for_oxygen(0.195) * 100.0,
            unit="%",
            expected=(1.0 - 0.195 / 0.2095) * 100.0,
            rel_tol=1e-12,
        )
    ]


@validation_case(
    "effects/plume-threat-distance",
    title="Threat distance of an inverse-square centreline",
    source="Closed form: c(x) = Q / x^2 reaches c at x = sqrt(Q / c)",
    kind="analytic",
)
def plume_distance() -> list[Check]:
    """Check Brent's method on the last bracketed crossing, relative tolerance 1e-8."""
    got = plume_threat_distance_m(lambda x: 50.0 / x**2, 1e-4, x_min_m=1.0, x_max_m=1e4)
    return [
        Check(
            quantity="distance to 100 ppm",
            got=got,
            unit="m",
            expected=math.sqrt(50.0 / 1e-4),
            rel_tol=1e-8,
        )
    ]


@validation_case(
    "effects/person-dose-constant-exposure",
    title="Per-person dose update against the constant-exposure closed forms",
    source="Closed forms: toxic load C^n t and thermal dose q^(4/3) t for a held exposure",
    kind="analytic",
)
def person_dose_closed_form() -> list[Check]:
    """Run 300 steps of 1 s at 500 ppm ammonia and 6 kW/m2 against 5-min closed forms."""
    hazard = substance("ammonia").hazard
    probit = hazard.toxic_probit
    assert probit is not None
    sample = HazardSample(np.array([500e-6]), np.array([6000.0]), np.array([0.0]))
    state = initial_dose_state(1)
    for _ in range(300):
        state = accumulate_dose(state, sample, 1.0, hazard=hazard)
    load = float(toxic_load_constant(500e-6, 300.0, exponent_n=probit.n))
    dose = 6000.0 ** (4.0 / 3.0) * 300.0
    return [
        Check(
            quantity="toxic load",
            got=float(state.toxic_load_ppmn_min[0]),
            unit="ppm^2 min",
            expected=load,
            rel_tol=1e-9,
        ),
        Check(
            quantity="thermal lethality",
            got=float(thermal_probability(state.thermal_dose_w43_s_m83[0])),
            expected=float(thermal_probability(dose)),
            rel_tol=1e-9,
        ),
    ]
