"""Purser's fractional effective dose (FED): time to incapacitation by gases and heat.

The FED is the fraction of an incapacitating dose received so far, summed over time steps,
``FED = sum dt / t_I(exposure)``; a person of average susceptibility is predicted to be
incapacitated (unable to escape) when it reaches 1, and ISO 13571 suggests 0.3 to protect
sensitive people (ISO 13571:2012, principle of sec. 6.1.1; Purser & McAllister 2016).
Asphyxiants, irritants and heat are separate endpoints and are not added to one another.

Asphyxiant gases (Purser & McAllister 2016, SFPE Handbook 5th ed., ch. 63)
    ``F_IN = (F_ICO + F_ICN) x VCO2 + F_IO`` (the structure of eq. 63.38, without the NOx and
    lung-irritant terms) with, per minute of exposure, concentrations in ppm or vol %:

    * CO, Stewart equation (eq. 63.18): ``3.317e-5 [CO]^1.036 V_E / D`` with minute volume
      V_E = 25 L/min (light work; 8.5 at rest, 50 heavy) and D = 30 % COHb at incapacitation
      (40 % at rest, 20 % heavy work).
    * HCN (eq. 63.20/63.24): ``[CN]^2.36 / 1.2e6``.
    * CO2 hyperventilation factor: ``exp(%CO2 / 5)`` (eq. 63.35, the form used in eq. 63.38) or
      ``exp(0.1903 %CO2 + 2.0004) / 7.1`` (eq. 63.34).
    * Low oxygen: ``1 / exp(8.13 - 0.54 (20.9 - %O2))``. Its data lie at 4-10 % O2; at 20.9 %
      it still gives a time of 57 h, so the term is counted only below 19.5 % O2 (the OSHA
      oxygen-deficient level), which keeps clean air dose-free.
    * CO2 as an asphyxiant in its own right (eqs. 63.36-63.37): ``1 / exp(6.1623 - 0.5189 %CO2)``.

Irritant gases (ISO 13571:2012, sec. 6.2.1, eq. 4)
    The fractional effective concentration ``FEC = sum C_i / F_i`` (instantaneous, not a dose)
    with F_i from the standard (HCl 1000, HBr 1000, HF 500, SO2 150, NO2 250, acrolein 30,
    formaldehyde 250 ppm, +/-50 %), or Purser's incapacitation or escape-impairment values
    (SFPE Handbook Table 63.6). Purser's walking-speed curve for irritants (eq. 63.13) maps FIC
    (on the incapacitation scale) to a speed fraction.

Heat (ISO 13571:2012 sec. 8; Purser & McAllister 2016 eqs. 63.43-63.44, 63.48)
    Convected heat, T in deg C, t in min: ``t_Iconv = 4.1e8 T^-3.61`` (fully clothed,
    ISO eq. 9) or ``5e7 T^-3.4`` (unclothed or lightly clothed, ISO eq. 10; SFPE eq. 63.44),
    for air with < 10 % water vapour. Radiant heat, q in kW/m^2: below 2.5 kW/m^2 the radiant
    term is zero (ISO sec. 8); above it ``t_Irad = 6.9 q^-1.56`` (the ISO 13571 radiant form) or
    ``t_Irad = r / q^1.33`` (SFPE eq. 63.43) with r = 1.33 (severe pain, tolerance),
    10 (incapacitation / serious injury) or 16.7 (third-degree burns, fatal).
    ``FED_heat = sum (1/t_Irad + 1/t_Iconv) dt`` (eq. 63.48).

A dispersing industrial gas
    The chemical-industry probits are fitted to lethality, not incapacitation. The toxic FED of
    this project is ``FED_tox = L / L_1%``: the toxic load over the load at which the
    substance's probit gives 1 % fatality. The 1 % level is the basis of the UK HSE's
    "dangerous toxic load" (specified level of toxicity, SLOT: severe distress to almost
    everyone, a substantial fraction needing medical attention, some seriously injured,
    highly susceptible people possibly killed), a state in which escape is seriously impaired.
    It is a severe-injury benchmark used as the incapacitating dose, not a measured
    incapacitation dose; it is consistent with the FED principle of ISO 13571 (a dose over the
    dose that compromises tenability).

References
----------
.. [1] Purser, D.A., McAllister, J.L. (2016). Assessment of hazards to occupants from smoke,
   toxic gases, and heat. In: SFPE Handbook of Fire Protection Engineering, 5th ed., ch. 63,
   2308-2428. Springer, New York.
.. [2] ISO 13571:2012. Life-threatening components of fire -- Guidelines for the estimation of
   time to compromised tenability in fires. ISO, Geneva.
.. [3] Health and Safety Executive (UK). Assessment of the dangerous toxic load (DTL) for
   specified level of toxicity (SLOT) and significant likelihood of death (SLOD); the SLOT DTL
   corresponds to about 1 % lethality, the SLOD DTL to 50 %.
.. [4] OSHA 29 CFR 1910.134(b), "oxygen deficient atmosphere" (19.5 % O2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from solvers._checks import require_choice, require_in_range, require_positive
from solvers.effects._common import (
    PPM_PER_VOLUME_FRACTION,
    SECONDS_PER_MINUTE,
    as_array,
    as_fraction_array,
    as_time_axis,
    integrate_history,
    require_time_axis,
)
from solvers.effects.toxic_load import (
    IntegrationRule,
    ProbitConstants,
    toxic_load_for_probability,
)
from solvers.errors import InvalidInputError

__all__ = [
    "FED_THRESHOLD_AVERAGE",
    "FED_THRESHOLD_SENSITIVE",
    "IRRITANT_F_ISO_13571_PPM",
    "IRRITANT_F_SFPE_ESCAPE_PPM",
    "IRRITANT_F_SFPE_INCAPACITATION_PPM",
    "RADIANT_HEAT_THRESHOLD_W_M2",
    "RADIANT_TOLERANCE_DOSE",
    "asphyxiant_fed_rate_per_min",
    "co2_asphyxia_fed_rate_per_min",
    "co2_hyperventilation_factor",
    "co_fed_rate_per_min",
    "convective_heat_fed_rate_per_min",
    "fed_history",
    "hcn_fed_rate_per_min",
    "heat_fed_rate_per_min",
    "incapacitating_toxic_load",
    "irritant_fec",
    "irritant_walking_speed_fraction",
    "low_oxygen_fed_rate_per_min",
    "radiant_heat_fed_rate_per_min",
    "toxic_fed",
]

#: FED at which a person of average susceptibility is incapacitated (ISO 13571:2012).
FED_THRESHOLD_AVERAGE = 1.0
#: FED threshold that protects sensitive people (ISO 13571:2012 suggests 0.3).
FED_THRESHOLD_SENSITIVE = 0.3

#: Stewart equation for CO uptake: coefficient and exponent (Purser & McAllister 2016, eq. 63.18).
_STEWART_COEFFICIENT = 3.317e-5
_STEWART_CO_EXPONENT = 1.036
#: Minute volume for light work (walking to escape), L/min (Purser & McAllister 2016, eq. 63.18).
VENTILATION_LIGHT_WORK_L_MIN = 25.0
#: COHb at incapacitation for light work, % (Purser & McAllister 2016, eq. 63.18).
COHB_INCAPACITATION_LIGHT_WORK_PERCENT = 30.0

#: HCN time to incapacitation t = 1.2e6 / [CN]^2.36 min (Purser & McAllister 2016, eq. 63.20).
_HCN_DOSE = 1.2e6
_HCN_EXPONENT = 2.36

#: CO2 hyperventilation, eq. 63.34: exp(0.1903 %CO2 + 2.0004) / 7.1; eq. 63.35: exp(%CO2 / 5).
_VCO2_FULL = (0.1903, 2.0004, 7.1)
_VCO2_SIMPLIFIED_DIVISOR_PERCENT = 5.0

#: CO2 asphyxia t = exp(6.1623 - 0.5189 %CO2) min (Purser & McAllister 2016, eqs. 63.36-63.37).
_CO2_ASPHYXIA = (6.1623, 0.5189)

#: Low-oxygen hypoxia t = exp(8.13 - 0.54 (20.9 - %O2)) min (Purser & McAllister 2016).
_HYPOXIA = (8.13, 0.54, 20.9)
#: Oxygen level below which the hypoxia term is counted (OSHA 29 CFR 1910.134(b)).
HYPOXIA_ONSET_O2_VOLUME_FRACTION = 0.195

#: Irritant concentrations F_i that compromise tenability, ppm (ISO 13571:2012, sec. 6.2.1).
IRRITANT_F_ISO_13571_PPM: Mapping[str, float] = {
    "hcl": 1000.0,
    "hbr": 1000.0,
    "hf": 500.0,
    "so2": 150.0,
    "no2": 250.0,
    "acrolein": 30.0,
    "formaldehyde": 250.0,
}
#: Irritant concentrations for incapacitation, ppm (Purser & McAllister 2016, Table 63.6).
IRRITANT_F_SFPE_INCAPACITATION_PPM: Mapping[str, float] = {
    "hcl": 900.0,
    "hbr": 900.0,
    "hf": 900.0,
    "so2": 120.0,
    "no2": 350.0,
    "acrolein": 20.0,
    "formaldehyde": 30.0,
}
#: Irritant concentrations for escape impairment, ppm (Purser & McAllister 2016, Table 63.6).
IRRITANT_F_SFPE_ESCAPE_PPM: Mapping[str, float] = {
    "hcl": 200.0,
    "hbr": 200.0,
    "hf": 200.0,
    "so2": 24.0,
    "no2": 70.0,
    "acrolein": 4.0,
    "formaldehyde": 6.0,
}
_IRRITANT_BASES: Mapping[str, Mapping[str, float]] = {
    "iso_13571": IRRITANT_F_ISO_13571_PPM,
    "sfpe_incapacitation": IRRITANT_F_SFPE_INCAPACITATION_PPM,
    "sfpe_escape_impairment": IRRITANT_F_SFPE_ESCAPE_PPM,
}

#: Purser's irritant walking-speed curve (Purser & McAllister 2016, eq. 63.13): b = 160.
_IRRITANT_SPEED_B = 160.0

#: Convected heat t = k T^-p min, T in deg C: fully clothed (ISO 13571:2012 eq. 9, Crane 1978)
#: and unclothed or lightly clothed (ISO 13571:2012 eq. 10; SFPE eq. 63.44).
_CONVECTIVE_LAWS: Mapping[str, tuple[float, float]] = {
    "clothed": (4.1e8, 3.61),
    "lightly_clothed": (5.0e7, 3.4),
}
#: Radiant flux below which the radiant heat term is zero, W/m^2 (ISO 13571:2012, sec. 8).
RADIANT_HEAT_THRESHOLD_W_M2 = 2500.0
#: ISO 13571 radiant form t = 6.9 q^-1.56 min, q in kW/m^2.
_ISO_RADIANT = (6.9, 1.56)
#: Radiant doses r of t = r / q^1.33 min, q in kW/m^2, (kW/m^2)^(4/3) min (SFPE eq. 63.43).
RADIANT_TOLERANCE_DOSE: Mapping[str, float] = {
    "pain": 1.33,
    "incapacitation": 10.0,
    "fatal": 16.7,
}
_SFPE_RADIANT_EXPONENT = 1.33

RadiantLaw = Literal["iso_13571", "sfpe_pain", "sfpe_incapacitation", "sfpe_fatal"]
_RADIANT_LAWS: tuple[str, ...] = ("iso_13571", "sfpe_pain", "sfpe_incapacitation", "sfpe_fatal")
Clothing = Literal["clothed", "lightly_clothed"]
Vco2Form = Literal["simplified", "full"]
IrritantBasis = Literal["iso_13571", "sfpe_incapacitation", "sfpe_escape_impairment"]

_KELVIN_OFFSET = 273.15
_PERCENT = 100.0
_W_PER_KW = 1000.0


def co_fed_rate_per_min(
    co_volume_fraction: Any,
    *,
    ventilation_l_min: float = VENTILATION_LIGHT_WORK_L_MIN,
    cohb_incapacitation_percent: float = COHB_INCAPACITATION_LIGHT_WORK_PERCENT,
) -> NDArray[np.float64]:
    """Return the CO dose rate of the Stewart equation, ``3.317e-5 [CO]^1.036 V_E / D``, 1/min.

    Parameters
    ----------
    co_volume_fraction : float or array_like
        CO concentration, volume fraction in [0, 1].
    ventilation_l_min : float
        Minute volume, L/min; > 0 (25 light work, 8.5 rest, 50 heavy work).
    cohb_incapacitation_percent : float
        COHb at incapacitation, %; in (0, 100] (30 light work, 40 rest, 20 heavy work).

    Returns
    -------
    ndarray
        FED rate, 1/min.

    Raises
    ------
    InvalidInputError
        On concentrations outside [0, 1] or non-positive physiology.
    """
    v = require_positive("ventilation_l_min", ventilation_l_min, "L/min")
    d = require_in_range(
        "cohb_incapacitation_percent",
        cohb_incapacitation_percent,
        "%",
        low=0.0,
        high=100.0,
        low_inclusive=False,
    )
    co_ppm = as_fraction_array("co_volume_fraction", co_volume_fraction) * PPM_PER_VOLUME_FRACTION
    return np.asarray(_STEWART_COEFFICIENT * np.power(co_ppm, _STEWART_CO_EXPONENT) * v / d)


def hcn_fed_rate_per_min(hcn_volume_fraction: Any) -> NDArray[np.float64]:
    """Return the HCN dose rate, ``[CN]^2.36 / 1.2e6``, 1/min (Purser & McAllister, eq. 63.24).

    Parameters
    ----------
    hcn_volume_fraction : float or array_like
        HCN (or the cyanide-equivalent [CN]) concentration, volume fraction in [0, 1].

    Returns
    -------
    ndarray
        FED rate, 1/min.

    Raises
    ------
    InvalidInputError
        On concentrations outside [0, 1].
    """
    cn_ppm = as_fraction_array("hcn_volume_fraction", hcn_volume_fraction) * PPM_PER_VOLUME_FRACTION
    return np.asarray(np.power(cn_ppm, _HCN_EXPONENT) / _HCN_DOSE)


def co2_hyperventilation_factor(
    co2_volume_fraction: Any, *, form: Vco2Form = "simplified"
) -> NDArray[np.float64]:
    """Return the CO2 hyperventilation factor VCO2 (multiplies the CO and HCN dose rates).

    Parameters
    ----------
    co2_volume_fraction : float or array_like
        CO2 concentration, volume fraction in [0, 1].
    form : {"simplified", "full"}
        ``exp(%CO2/5)`` (eq. 63.35, 1 in clean air) or ``exp(0.1903 %CO2 + 2.0004)/7.1``
        (eq. 63.34, 1.04 in clean air).

    Returns
    -------
    ndarray
        Factor, dimensionless, >= 1 (simplified form).

    Raises
    ------
    InvalidInputError
        On concentrations outside [0, 1] or an unknown form.
    """
    require_choice("form", form, ("simplified", "full"))
    pct = as_fraction_array("co2_volume_fraction", co2_volume_fraction) * _PERCENT
    if form == "simplified":
        return np.asarray(np.exp(pct / _VCO2_SIMPLIFIED_DIVISOR_PERCENT))
    slope, offset, divisor = _VCO2_FULL
    return np.asarray(np.exp(slope * pct + offset) / divisor)


def co2_asphyxia_fed_rate_per_min(co2_volume_fraction: Any) -> NDArray[np.float64]:
    """Return the dose rate of CO2 as an asphyxiant, ``1/exp(6.1623 - 0.5189 %CO2)``, 1/min.

    Parameters
    ----------
    co2_volume_fraction : float or array_like
        CO2 concentration, volume fraction in [0, 1].

    Returns
    -------
    ndarray
        FED rate, 1/min (an alternative endpoint, not added to :func:`asphyxiant_fed_rate_per_min`).

    Raises
    ------
    InvalidInputError
        On concentrations outside [0, 1].
    """
    pct = as_fraction_array("co2_volume_fraction", co2_volume_fraction) * _PERCENT
    intercept, slope = _CO2_ASPHYXIA
    return np.asarray(1.0 / np.exp(intercept - slope * pct))


def low_oxygen_fed_rate_per_min(
    o2_volume_fraction: Any,
    *,
    onset_o2_volume_fraction: float = HYPOXIA_ONSET_O2_VOLUME_FRACTION,
) -> NDArray[np.float64]:
    """Return the hypoxia dose rate, ``1/exp(8.13 - 0.54 (20.9 - %O2))`` below the onset, 1/min.

    Parameters
    ----------
    o2_volume_fraction : float or array_like
        Oxygen concentration, volume fraction in [0, 1].
    onset_o2_volume_fraction : float
        Oxygen level below which the term counts (default 0.195, OSHA oxygen-deficient); in
        [0, 0.21].

    Returns
    -------
    ndarray
        FED rate, 1/min; zero at and above the onset.

    Raises
    ------
    InvalidInputError
        On concentrations outside [0, 1] or an onset outside [0, 0.21].
    """
    onset = require_in_range(
        "onset_o2_volume_fraction", onset_o2_volume_fraction, "", low=0.0, high=0.21
    )
    o2 = as_fraction_array("o2_volume_fraction", o2_volume_fraction)
    intercept, slope, reference_pct = _HYPOXIA
    rate = 1.0 / np.exp(intercept - slope * (reference_pct - o2 * _PERCENT))
    return np.asarray(np.where(o2 < onset, rate, 0.0))


def asphyxiant_fed_rate_per_min(
    *,
    co_volume_fraction: Any = 0.0,
    hcn_volume_fraction: Any = 0.0,
    co2_volume_fraction: Any = 0.0,
    o2_volume_fraction: Any = 0.2095,
    ventilation_l_min: float = VENTILATION_LIGHT_WORK_L_MIN,
    cohb_incapacitation_percent: float = COHB_INCAPACITATION_LIGHT_WORK_PERCENT,
    vco2_form: Vco2Form = "simplified",
) -> NDArray[np.float64]:
    """Return the asphyxiant FED rate ``(F_CO + F_CN) VCO2 + F_O``, 1/min (broadcast inputs).

    Parameters
    ----------
    co_volume_fraction, hcn_volume_fraction, co2_volume_fraction, o2_volume_fraction : array_like
        Gas concentrations, volume fractions in [0, 1]; broadcast together.
    ventilation_l_min : float
        Minute volume for the CO term, L/min.
    cohb_incapacitation_percent : float
        COHb at incapacitation for the CO term, %.
    vco2_form : {"simplified", "full"}
        CO2 hyperventilation form (:func:`co2_hyperventilation_factor`).

    Returns
    -------
    ndarray
        FED rate, 1/min.

    Raises
    ------
    InvalidInputError
        As the term functions.
    """
    narcotic = co_fed_rate_per_min(
        co_volume_fraction,
        ventilation_l_min=ventilation_l_min,
        cohb_incapacitation_percent=cohb_incapacitation_percent,
    ) + hcn_fed_rate_per_min(hcn_volume_fraction)
    factor = co2_hyperventilation_factor(co2_volume_fraction, form=vco2_form)
    return np.asarray(narcotic * factor + low_oxygen_fed_rate_per_min(o2_volume_fraction))


def irritant_fec(
    volume_fractions: Mapping[str, Any], *, basis: IrritantBasis = "iso_13571"
) -> NDArray[np.float64]:
    """Return the fractional effective (irritant) concentration ``sum C_i / F_i``.

    Parameters
    ----------
    volume_fractions : mapping of str to array_like
        Concentration of each irritant, volume fraction in [0, 1], keyed by ``"hcl"``,
        ``"hbr"``, ``"hf"``, ``"so2"``, ``"no2"``, ``"acrolein"``, ``"formaldehyde"``;
        arrays broadcast together.
    basis : {"iso_13571", "sfpe_incapacitation", "sfpe_escape_impairment"}
        Set of F_i values (see the module docstring).

    Returns
    -------
    ndarray
        FEC, dimensionless (instantaneous; compare with the FED threshold).

    Raises
    ------
    InvalidInputError
        On an unknown gas or basis, or concentrations outside [0, 1].
    """
    require_choice("basis", basis, tuple(_IRRITANT_BASES))
    table = _IRRITANT_BASES[basis]
    total: NDArray[np.float64] = np.zeros(())
    for gas, value in volume_fractions.items():
        if gas not in table:
            raise InvalidInputError(f"irritant {gas!r} is unknown; choose from {sorted(table)}")
        ppm = as_fraction_array(f"{gas} volume fraction", value) * PPM_PER_VOLUME_FRACTION
        total = total + ppm / table[gas]
    return np.asarray(total)


def irritant_walking_speed_fraction(fic: Any) -> NDArray[np.float64]:
    """Return Purser's walking-speed fraction in irritant gas (eq. 63.13), in [0, 1].

    ``F = (exp(-(1000 x / 160)^2) + 0.2 (1 - x)) / 1.2`` for FIC ``x`` in [0, 1] on the
    incapacitation scale (1 = incapacitating); 0 beyond 1. A concept curve: Purser fitted it
    between no effect and incapacitation, not to walking data.

    Parameters
    ----------
    fic : float or array_like
        Fractional irritant concentration, >= 0.

    Returns
    -------
    ndarray
        Speed fraction, same shape.

    Raises
    ------
    InvalidInputError
        On negative or non-finite input.

    Examples
    --------
    >>> round(float(irritant_walking_speed_fraction(0.1)), 3)
    0.714
    """
    x = as_array("fic", fic, "")
    curve = (np.exp(-np.square(1000.0 * x / _IRRITANT_SPEED_B)) + 0.2 * (1.0 - x)) / 1.2
    return np.asarray(np.where(x < 1.0, np.clip(curve, 0.0, 1.0), 0.0))


def convective_heat_fed_rate_per_min(
    temperature_k: Any, *, clothing: Clothing = "clothed"
) -> NDArray[np.float64]:
    """Return the convected-heat dose rate ``1 / t_Iconv``, 1/min (ISO 13571:2012 eqs. 9-10).

    Parameters
    ----------
    temperature_k : float or array_like
        Air temperature at the person, K (> 0); the law uses deg C and gives 0 at <= 0 deg C.
    clothing : {"clothed", "lightly_clothed"}
        ``4.1e8 T^-3.61`` (fully clothed) or ``5e7 T^-3.4`` (unclothed or lightly clothed).

    Returns
    -------
    ndarray
        FED rate, 1/min. Valid for air with < 10 % water vapour.

    Raises
    ------
    InvalidInputError
        On non-positive or non-finite temperatures or an unknown clothing.
    """
    require_choice("clothing", clothing, tuple(_CONVECTIVE_LAWS))
    coefficient, exponent = _CONVECTIVE_LAWS[clothing]
    t_c = as_array("temperature_k", temperature_k, "K", low=1e-9) - _KELVIN_OFFSET
    hot = np.maximum(t_c, 0.0)
    return np.asarray(np.power(hot, exponent) / coefficient)


def radiant_heat_fed_rate_per_min(
    radiation_w_m2: Any, *, law: RadiantLaw = "iso_13571"
) -> NDArray[np.float64]:
    """Return the radiant-heat dose rate ``1 / t_Irad``, 1/min; zero below 2.5 kW/m^2.

    Parameters
    ----------
    radiation_w_m2 : float or array_like
        Incident radiant flux on skin, W/m^2, >= 0.
    law : {"iso_13571", "sfpe_pain", "sfpe_incapacitation", "sfpe_fatal"}
        ``t = 6.9 q^-1.56`` (ISO 13571) or ``t = r / q^1.33`` with r = 1.33, 10 or 16.7
        (SFPE eq. 63.43), q in kW/m^2, t in min.

    Returns
    -------
    ndarray
        FED rate, 1/min.

    Raises
    ------
    InvalidInputError
        On negative or non-finite flux or an unknown law.
    """
    require_choice("law", law, _RADIANT_LAWS)
    q_w = as_array("radiation_w_m2", radiation_w_m2, "W/m2")
    q_kw = q_w / _W_PER_KW
    if law == "iso_13571":
        coefficient, exponent = _ISO_RADIANT
    else:
        coefficient = RADIANT_TOLERANCE_DOSE[law.removeprefix("sfpe_")]
        exponent = _SFPE_RADIANT_EXPONENT
    rate = np.power(q_kw, exponent) / coefficient
    return np.asarray(np.where(q_w >= RADIANT_HEAT_THRESHOLD_W_M2, rate, 0.0))


def heat_fed_rate_per_min(
    *,
    radiation_w_m2: Any = 0.0,
    temperature_k: Any | None = None,
    radiant_law: RadiantLaw = "iso_13571",
    clothing: Clothing = "clothed",
) -> NDArray[np.float64]:
    """Return the heat FED rate ``1/t_Irad + 1/t_Iconv``, 1/min (SFPE eq. 63.48).

    Parameters
    ----------
    radiation_w_m2 : float or array_like
        Incident radiant flux, W/m^2.
    temperature_k : float or array_like or None
        Air temperature, K; None leaves out the convective term.
    radiant_law : str
        See :func:`radiant_heat_fed_rate_per_min`.
    clothing : {"clothed", "lightly_clothed"}
        See :func:`convective_heat_fed_rate_per_min`.

    Returns
    -------
    ndarray
        FED rate, 1/min (valid while the exposure is stable or rising).

    Raises
    ------
    InvalidInputError
        As the term functions.
    """
    rate = radiant_heat_fed_rate_per_min(radiation_w_m2, law=radiant_law)
    if temperature_k is not None:
        rate = rate + convective_heat_fed_rate_per_min(temperature_k, clothing=clothing)
    return np.asarray(rate)


def fed_history(
    rate_per_min: Any, t_s: Any, *, rule: IntegrationRule = "trapezoid"
) -> NDArray[np.float64]:
    """Return the FED accumulated from a sampled dose-rate history, ``integral rate dt``.

    Parameters
    ----------
    rate_per_min : array_like, shape (nt, ...)
        FED rate at each sample time (first axis) and receptor, 1/min, >= 0.
    t_s : array_like, shape (nt,)
        Sample times, s, non-decreasing.
    rule : {"trapezoid", "step"}
        Trapezoid rule, or each sample held until the next.

    Returns
    -------
    ndarray, shape (...)
        FED, dimensionless.

    Raises
    ------
    InvalidInputError
        On bad rates or times or an unknown rule.
    """
    require_choice("rule", rule, ("trapezoid", "step"))
    rate = as_array("rate_per_min", rate_per_min, "1/min")
    require_time_axis("rate_per_min", rate)
    t_min = as_time_axis("t_s", t_s, rate.shape[0]) / SECONDS_PER_MINUTE
    return integrate_history(rate, t_min, rule)


def incapacitating_toxic_load(probit: ProbitConstants) -> float:
    """Return the toxic load taken as incapacitating: the probit's 1 % fatality load.

    Parameters
    ----------
    probit : ProbitConstants
        Lethality probit (ppm, min).

    Returns
    -------
    float
        Load, ppm^n min (see the module docstring for the basis).

    Raises
    ------
    InvalidInputError
        On constants in units other than ppm and min.
    """
    return toxic_load_for_probability(0.01, probit)


def toxic_fed(toxic_load: Any, probit: ProbitConstants) -> NDArray[np.float64]:
    """Return the toxic FED of an industrial gas, ``L / L_1%`` (see the module docstring).

    Parameters
    ----------
    toxic_load : float or array_like
        Toxic load, ppm^n min, computed with the probit's n.
    probit : ProbitConstants
        Lethality probit (ppm, min).

    Returns
    -------
    ndarray
        FED, dimensionless.

    Raises
    ------
    InvalidInputError
        On a negative load or constants in other units.
    """
    load = as_array("toxic_load", toxic_load, "ppm^n min")
    return np.asarray(load / incapacitating_toxic_load(probit))
