"""Validation cases of the substance library against published property values.

Each case compares :mod:`solvers.substances.library` with reference data: saturation properties
from the NIST Chemistry WebBook (Lemmon, McLinden & Friend, "Thermophysical properties of fluid
systems", NIST Standard Reference Database 69) and Perry's Chemical Engineers' Handbook, gas
diffusivity against a measured value, the LNG bubble point against Raoult's law, and the
ammonia probit against an independent lethality estimate.
"""

from __future__ import annotations

import math

from scipy import optimize

from scenarios.validation.registry import Check, validation_case
from solvers.substances.library import lng_mixture, substance

_ATMOSPHERE_PA = 101_325.0
_T_20C_K = 293.15


@validation_case(
    "substances/ammonia-saturation",
    title="Ammonia boiling point, vapour pressure, liquid density and latent heat",
    source="NIST Chemistry WebBook, SRD 69, ammonia saturation properties (Tillner-Roth et "
    + "al. 1993 EOS)",
    kind="published",
)
def ammonia_saturation() -> list[Check]:
    """Ammonia at 1 atm and 20 °C against NIST WebBook values (tolerances cover rounding)."""
    nh3 = substance("ammonia")
    t_boil = nh3.normal_boiling_point_k
    return [
        Check(quantity="normal boiling point", got=t_boil, unit="K", expected=239.82, abs_tol=0.1),
        Check(
            quantity="vapour pressure at 20 °C",
            got=nh3.saturation_pressure_pa(_T_20C_K) / 1e5,
            unit="bar",
            expected=8.575,
            rel_tol=0.005,
        ),
        Check(
            quantity="liquid density at the boiling point",
            got=nh3.liquid_density_kg_m3(t_boil),
            unit="kg/m3",
            expected=682.0,
            rel_tol=0.005,
        ),
        Check(
            quantity="latent heat at the boiling point",
            got=nh3.latent_heat_j_kg(t_boil) / 1e3,
            unit="kJ/kg",
            expected=1370.0,
            rel_tol=0.01,
        ),
    ]


@validation_case(
    "substances/chlorine-saturation",
    title="Chlorine boiling point, liquid density and latent heat",
    source="NIST Chemistry WebBook (chlorine: Tboil 239.11 K, Giauque & Powell 1939; "
    + "enthalpy of vaporisation 20.41 kJ/mol; saturated liquid density)",
    kind="published",
)
def chlorine_saturation() -> list[Check]:
    """Chlorine at 1 atm against NIST WebBook values (tolerances cover rounding)."""
    cl2 = substance("chlorine")
    t_boil = cl2.normal_boiling_point_k
    return [
        Check(quantity="normal boiling point", got=t_boil, unit="K", expected=239.11, abs_tol=0.2),
        Check(
            quantity="liquid density at the boiling point",
            got=cl2.liquid_density_kg_m3(t_boil),
            unit="kg/m3",
            expected=1563.0,
            rel_tol=0.01,
        ),
        Check(
            quantity="latent heat at the boiling point",
            got=cl2.latent_heat_j_kg(t_boil) / 1e3,
            unit="kJ/kg",
            expected=20.41 / 70.906 * 1e3,
            rel_tol=0.01,
        ),
    ]


@validation_case(
    "substances/hydrocarbon-saturation",
    title="Methane boiling point, liquid density, latent heat; propane vapour pressure",
    source="NIST Chemistry WebBook, SRD 69 (methane: Setzmann & Wagner 1991 EOS; propane: "
    + "Lemmon et al. 2009 EOS)",
    kind="published",
)
def hydrocarbon_saturation() -> list[Check]:
    """Methane at 1 atm and propane at 20 °C against NIST WebBook values."""
    ch4 = substance("methane")
    t_boil = ch4.normal_boiling_point_k
    return [
        Check(
            quantity="methane normal boiling point",
            got=t_boil,
            unit="K",
            expected=111.67,
            abs_tol=0.05,
        ),
        Check(
            quantity="methane liquid density at the boiling point",
            got=ch4.liquid_density_kg_m3(t_boil),
            unit="kg/m3",
            expected=422.4,
            rel_tol=0.005,
        ),
        Check(
            quantity="methane latent heat at the boiling point",
            got=ch4.latent_heat_j_kg(t_boil) / 1e3,
            unit="kJ/kg",
            expected=510.8,
            rel_tol=0.01,
        ),
        Check(
            quantity="propane vapour pressure at 20 °C",
            got=substance("propane").saturation_pressure_pa(_T_20C_K) / 1e5,
            unit="bar",
            expected=8.367,
            rel_tol=0.005,
        ),
    ]


def raoult_bubble_temperature_k(
    methane: float, ethane: float, propane: float, pressure_pa: float
) -> float:
    """Return the ideal-solution (Raoult's law) bubble temperature of an LNG, K."""
    parts = [
        (substance("methane"), methane),
        (substance("ethane"), ethane),
        (substance("propane"), propane),
    ]

    def excess_pa(t_k: float) -> float:
        return sum(x * s.saturation_pressure_pa(t_k) for s, x in parts) - pressure_pa

    return float(optimize.brentq(excess_pa, 95.0, 180.0, xtol=1e-6))


@validation_case(
    "substances/lng-bubble-point",
    title="LNG (92/6/2 methane/ethane/propane) bubble point at 1 atm",
    source="Raoult's law with the pure-component vapour pressures (ideal solution, e.g. "
    + "Smith, Van Ness & Abbott, Introduction to Chemical Engineering Thermodynamics, ch. 10); "
    + "LNG boils at about -160 °C at atmospheric pressure (GIIGNL, LNG information paper 1)",
    kind="analytic",
)
def lng_bubble_point() -> list[Check]:
    """GERG-2008 (CoolProp) bubble point against Raoult's law and the published range."""
    lng = lng_mixture(0.92, 0.06, 0.02)
    t_bubble = lng.saturation_temperature_k(_ATMOSPHERE_PA)
    t_raoult = raoult_bubble_temperature_k(0.92, 0.06, 0.02, _ATMOSPHERE_PA)
    return [
        Check(
            quantity="bubble point vs Raoult's law",
            got=t_bubble,
            unit="K",
            expected=t_raoult,
            abs_tol=1.0,
        ),
        Check(
            quantity="bubble point within the usual LNG range",
            got=t_bubble,
            unit="K",
            lower=substance("methane").normal_boiling_point_k,
            upper=116.0,
        ),
    ]


@validation_case(
    "substances/fuller-methane-air",
    title="Methane-air diffusion coefficient (Fuller correlation) against measurement",
    source="Massman (1998), A review of the molecular diffusivities of H2O, CO2, CH4 ... in "
    + "air, O2 and N2 near STP, Atmos. Environ. 32(6), 1111-1127: CH4-air 0.1952 cm2/s at "
    + "273.15 K, 101.325 kPa, temperature exponent 1.81",
    kind="measured",
)
def fuller_methane_air() -> list[Check]:
    """Fuller's stated error is about 5-10 % (Poling et al. 2001, Table 11-2): 10 % tolerance."""
    ch4 = substance("methane")
    measured_273_cm2_s = 0.1952
    measured_298_cm2_s = measured_273_cm2_s * (298.15 / 273.15) ** 1.81
    return [
        Check(
            quantity="D(CH4-air) at 273.15 K, 1 atm",
            got=ch4.gas_diffusivity_m2_s(273.15, _ATMOSPHERE_PA) * 1e4,
            unit="cm2/s",
            expected=measured_273_cm2_s,
            rel_tol=0.10,
        ),
        Check(
            quantity="D(CH4-air) at 298.15 K, 1 atm",
            got=ch4.gas_diffusivity_m2_s(298.15, _ATMOSPHERE_PA) * 1e4,
            unit="cm2/s",
            expected=measured_298_cm2_s,
            rel_tol=0.10,
        ),
    ]


@validation_case(
    "substances/ammonia-probit-lc50",
    title="Ammonia lethality probit: 30-min LC50 against an independent estimate",
    source="Probit: CPR 18E (1999), Purple Book, ch. 5 (a = -15.6, b = 1, n = 2, mg/m3, min); "
    + "LC50 30 min ≈ 7,500 ppm 'give or take factors of two': Engelhardt & Holliday (1985), "
    + "Atomic Energy Control Board report INFO-0153",
    kind="published",
)
def ammonia_probit_lc50() -> list[Check]:
    """Pr = 5 at 30 min solved for C (ppm); accepted within the source's factor of two."""
    probit = substance("ammonia").hazard.toxic_probit
    if probit is None:
        return [Check(quantity="ammonia probit present", got=math.nan, lower=0.0)]
    exposure_min = 30.0
    lc50_ppm = math.exp(((5.0 - probit.a) / probit.b - math.log(exposure_min)) / probit.n)
    return [
        Check(
            quantity="LC50 for 30 min",
            got=lc50_ppm,
            unit="ppm",
            lower=7500.0 / 2.0,
            upper=7500.0 * 2.0,
        )
    ]
