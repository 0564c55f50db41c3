"""Flashing two-phase discharge of a pressurised liquefied gas (ammonia, propane, chlorine, ...).

A liquid stored above its ambient-pressure boiling point (at its saturation pressure, plus any pad
gas) boils as it leaves the hole. This module gives:

- the flash fraction of the isenthalpic expansion to ambient pressure: the exact enthalpy balance
  x = (h_l(T) - h_l(T_b)) / (h_v(T_b) - h_l(T_b)) from the substance library, or the constant-cp
  forms x = cp (T - T_b) / h_fg and x = 1 - exp(-cp (T - T_b) / h_fg) (Crowl and Louvar 2011,
  section 4-7);
- the mass flux through the hole: Fauske's equilibrium rate model (ERM),
  G_ERM = h_fg / (v_fg sqrt(cp T)), reached after ~0.1 m of flow path (Fauske 1985), with
  Fauske's non-equilibrium correction for shorter paths,
  G_NE = G_ERM / sqrt(N), N = G_ERM^2 / (2 rho_l Cd^2 (P_sat - P_a)) + L / L_e, L_e = 0.1 m,
  which falls back to the Bernoulli liquid flux at L = 0; subcooling of the liquid at the hole
  (pad gas, liquid head) adds a Bernoulli term, G^2 = 2 rho_l Cd^2 (P - P_sat) + G_NE^2
  (Fauske 1985);
- rain-out by the CCPS "double flash" rule: the airborne fraction (vapour plus entrained aerosol)
  is min(1, 2 x) (CCPS 1989; Kletz's observation that about as much liquid is carried as spray as
  flashes), or no rain-out at all;
- the jet once expanded to ambient pressure: temperature = boiling point at ambient pressure;
  velocity from a momentum balance over the flashing zone, u_f = u_e + (P_e - P_a) / G, with the
  liquid leaving the hole at u_e = G / rho_l and P_e = P_sat (the liquid boils once outside;
  Witlox and Bowen 2002 review this momentum closure); diameter from mass conservation at the
  two-phase density.

A tank holding the liquid drains through the hole with its level falling (the same quadrature as
:mod:`solvers.source.orifice_liquid`) while its temperature, hence pressure, stays constant.

Validity: single-component (or bubble-point) liquid, superheated at ambient pressure and below the
critical temperature; hole in the liquid space; the tank does not cool as it empties (evaporation
inside the tank would lower its pressure, so late rates are overestimated); the two-phase
flux models are for holes and short pipes on vessels; a step in the flux at L = L_e is inherent
to Fauske's correlation. The homogeneous equilibrium model is not implemented.

References
----------
.. [1] Fauske, H. K. (1985). Flashing flows or: some practical guidelines for emergency
   releases. Plant/Operations Progress 4(3), 132-134.
.. [2] Crowl, D. A., and Louvar, J. F. (2011). Chemical Process Safety, 3rd ed., section 4-7
   (flashing liquids).
.. [3] CCPS (1989). Guidelines for Chemical Process Quantitative Risk Analysis. AIChE, New
   York; section 2.1 (flash and aerosol formation, "double the flash").
.. [4] Witlox, H. W. M., and Bowen, P. J. (2002). Flashing liquid jets and two-phase dispersion:
   a review. HSE Contract Research Report 403/2002.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from solvers._checks import (
    require_choice,
    require_finite,
    require_in_range,
    require_non_negative,
    require_positive,
)
from solvers.atmosphere import STANDARD_PRESSURE_PA
from solvers.errors import InvalidInputError
from solvers.source._common import (
    DEFAULT_SAMPLES,
    GRAVITY_M_S2,
    SUPERHEAT_TOLERANCE_K,
    FloatArray,
    Tank,
    check_ambient_pressure,
    check_discharge_coefficient,
    check_hole_diameter,
    check_liquid_levels,
    check_n_samples,
    circle_area_m2,
    clip_history,
    drain_history,
    sample_times,
)
from solvers.source.source_term import SourceTerm
from solvers.substances.library import Substance
from solvers.substances.library import substance as lookup_substance

__all__ = [
    "EQUILIBRIUM_LENGTH_M",
    "FLASH_METHODS",
    "RAINOUT_MODELS",
    "FlashState",
    "PressurisedLiquidLeak",
    "Tank",
    "airborne_fraction_double_flash",
    "erm_mass_flux_kg_m2_s",
    "flash_fraction_exponential",
    "flash_fraction_linear",
    "flash_state",
    "isenthalpic_flash_fraction",
    "release",
    "two_phase_mass_flux_kg_m2_s",
]

#: Flow length after which a flashing flow reaches equilibrium, m (Fauske 1985).
EQUILIBRIUM_LENGTH_M = 0.1
#: Discharge coefficient of the liquid (Bernoulli) part of the flux, sharp-edged hole
#: (Crowl and Louvar 2011, section 4-2).
DISCHARGE_COEFFICIENT_LIQUID = 0.61
#: Ratio of airborne mass to flashed mass in the "double flash" rule (CCPS 1989, section 2.1).
DOUBLE_FLASH_FACTOR = 2.0

FlashMethod = Literal["isenthalpic", "linear", "exponential"]
FLASH_METHODS: tuple[str, ...] = ("isenthalpic", "linear", "exponential")
RainoutModel = Literal["double_flash", "none"]
RAINOUT_MODELS: tuple[str, ...] = ("double_flash", "none")


def flash_fraction_linear(
    liquid_cp_j_kg_k: float,
    temperature_k: float,
    boiling_temperature_k: float,
    latent_heat_j_kg: float,
) -> float:
    """Return the flash fraction cp (T - T_b) / h_fg of a superheated liquid (constant cp).

    Crowl and Louvar (2011), section 4-7. Clipped to [0, 1].

    Parameters
    ----------
    liquid_cp_j_kg_k : float
        Mean liquid specific heat between T_b and T, J/(kg K).
    temperature_k : float
        Liquid temperature before the flash, K.
    boiling_temperature_k : float
        Boiling point at the ambient pressure, K.
    latent_heat_j_kg : float
        Latent heat at the boiling point, J/kg.

    Returns
    -------
    float
        Mass fraction vaporised.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-7.

    Examples
    --------
    >>> round(flash_fraction_linear(4000.0, 400.0, 373.15, 2.257e6), 4)
    0.0476
    """
    cp = require_positive("liquid_cp_j_kg_k", liquid_cp_j_kg_k, "J/(kg K)")
    t = require_positive("temperature_k", temperature_k, "K")
    tb = require_positive("boiling_temperature_k", boiling_temperature_k, "K")
    hfg = require_positive("latent_heat_j_kg", latent_heat_j_kg, "J/kg")
    return float(min(max(cp * (t - tb) / hfg, 0.0), 1.0))


def flash_fraction_exponential(
    liquid_cp_j_kg_k: float,
    temperature_k: float,
    boiling_temperature_k: float,
    latent_heat_j_kg: float,
) -> float:
    """Return the flash fraction 1 - exp(-cp (T - T_b) / h_fg) of a superheated liquid.

    The form that follows from integrating dm cp = -h_fg dm_v as the liquid mass shrinks
    (Crowl and Louvar 2011, section 4-7); it never exceeds 1 and is below the linear form.

    Parameters
    ----------
    liquid_cp_j_kg_k : float
        Mean liquid specific heat, J/(kg K).
    temperature_k : float
        Liquid temperature before the flash, K.
    boiling_temperature_k : float
        Boiling point at the ambient pressure, K.
    latent_heat_j_kg : float
        Mean latent heat, J/kg.

    Returns
    -------
    float
        Mass fraction vaporised.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-7.
    """
    # The linear form checks the inputs; its argument is the exponent here.
    flash_fraction_linear(liquid_cp_j_kg_k, temperature_k, boiling_temperature_k, latent_heat_j_kg)
    exponent = liquid_cp_j_kg_k * (temperature_k - boiling_temperature_k) / latent_heat_j_kg
    return float(1.0 - math.exp(-max(exponent, 0.0)))


def isenthalpic_flash_fraction(
    sub: Substance, temperature_k: float, ambient_pressure_pa: float = STANDARD_PRESSURE_PA
) -> float:
    """Return the flash fraction of a saturated liquid expanded isenthalpically to ambient pressure.

    x = (h_l(T) - h_l(T_b)) / (h_v(T_b) - h_l(T_b)) with saturated enthalpies of the substance
    library (CoolProp) and T_b the boiling point at ``ambient_pressure_pa``. 0 for a liquid at or
    below T_b.

    Parameters
    ----------
    sub : Substance
        Library substance.
    temperature_k : float
        Liquid temperature before the flash, K.
    ambient_pressure_pa : float
        Pressure after the expansion, Pa.

    Returns
    -------
    float
        Mass fraction vaporised, in [0, 1].

    Raises
    ------
    InvalidInputError
        If the temperature or pressure is outside the substance's range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-7 (energy
       balance of the flash).
    """
    t_b = float(sub.saturation_temperature_k(ambient_pressure_pa))
    if temperature_k <= t_b:
        return 0.0
    h_l_b = float(sub.liquid_enthalpy_j_kg(t_b))
    x = (float(sub.liquid_enthalpy_j_kg(temperature_k)) - h_l_b) / float(sub.latent_heat_j_kg(t_b))
    return float(min(max(x, 0.0), 1.0))


def erm_mass_flux_kg_m2_s(
    latent_heat_j_kg: float,
    specific_volume_change_m3_kg: float,
    liquid_cp_j_kg_k: float,
    temperature_k: float,
) -> float:
    """Return the equilibrium rate model (ERM) mass flux of a saturated liquid.

    G = h_fg / (v_fg sqrt(cp T)), Fauske (1985); Crowl and Louvar (2011), section 4-7. For
    saturated liquid flowing through more than ~0.1 m of pipe or nozzle.

    Parameters
    ----------
    latent_heat_j_kg : float
        Latent heat at T, J/kg.
    specific_volume_change_m3_kg : float
        v_g - v_l at T, m^3/kg.
    liquid_cp_j_kg_k : float
        Liquid specific heat at T, J/(kg K).
    temperature_k : float
        Storage temperature, K.

    Returns
    -------
    float
        Mass flux, kg/(m^2 s).

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Fauske (1985), Plant/Operations Progress 4(3), 132-134.
    .. [2] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-7.
    """
    hfg = require_positive("latent_heat_j_kg", latent_heat_j_kg, "J/kg")
    vfg = require_positive("specific_volume_change_m3_kg", specific_volume_change_m3_kg, "m^3/kg")
    cp = require_positive("liquid_cp_j_kg_k", liquid_cp_j_kg_k, "J/(kg K)")
    t = require_positive("temperature_k", temperature_k, "K")
    return hfg / (vfg * math.sqrt(cp * t))


def two_phase_mass_flux_kg_m2_s(
    *,
    erm_flux_kg_m2_s: float,
    liquid_density_kg_m3: float,
    saturation_pressure_pa: float,
    hole_pressure_pa: ArrayLike,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    discharge_length_m: float = 0.0,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_LIQUID,
) -> FloatArray:
    """Return the mass flux of a flashing liquid through a hole or short pipe (Fauske 1985).

    G^2 = 2 rho_l Cd^2 max(P - P_sat, 0) + G_NE^2 with G_NE = G_ERM / sqrt(N),
    N = G_ERM^2 / (2 rho_l Cd^2 (P_sat - P_a)) + L / L_e for L < L_e = 0.1 m and N = 1
    (equilibrium) beyond. At L = 0 this is the Bernoulli liquid flux Cd sqrt(2 rho_l (P - P_a)).

    Parameters
    ----------
    erm_flux_kg_m2_s : float
        Equilibrium rate model flux at the storage temperature, kg/(m^2 s).
    liquid_density_kg_m3 : float
        Liquid density, kg/m^3.
    saturation_pressure_pa : float
        Saturation pressure at the storage temperature, Pa.
    hole_pressure_pa : float or array
        Liquid pressure upstream of the hole (vessel pressure plus liquid head), Pa.
    ambient_pressure_pa : float
        Ambient pressure, Pa.
    discharge_length_m : float
        Flow length through the hole or attached pipe, m (0 for a hole in a thin wall).
    discharge_coefficient : float
        Cd of the liquid (Bernoulli) part, in (0, 1].

    Returns
    -------
    ndarray
        Mass flux, kg/(m^2 s), shape of ``hole_pressure_pa``.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Fauske (1985), Plant/Operations Progress 4(3), 132-134.
    .. [2] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-7.
    """
    g_erm = require_positive("erm_flux_kg_m2_s", erm_flux_kg_m2_s, "kg/(m^2 s)")
    rho = require_positive("liquid_density_kg_m3", liquid_density_kg_m3, "kg/m^3")
    p_sat = require_positive("saturation_pressure_pa", saturation_pressure_pa, "Pa")
    pa = require_positive("ambient_pressure_pa", ambient_pressure_pa, "Pa")
    length = require_non_negative("discharge_length_m", discharge_length_m, "m")
    cd = check_discharge_coefficient(discharge_coefficient)
    p = np.asarray(hole_pressure_pa, dtype=np.float64)
    flash_drop = p_sat - pa
    if flash_drop <= 0:
        g_ne_sq = 0.0
    elif length >= EQUILIBRIUM_LENGTH_M:
        g_ne_sq = g_erm * g_erm
    else:
        n = g_erm * g_erm / (2.0 * rho * cd * cd * flash_drop) + length / EQUILIBRIUM_LENGTH_M
        g_ne_sq = g_erm * g_erm / n
    subcooling = np.maximum(p - p_sat, 0.0)
    return np.asarray(np.sqrt(2.0 * rho * cd * cd * subcooling + g_ne_sq), dtype=np.float64)


def airborne_fraction_double_flash(flash_fraction: float) -> float:
    """Return the airborne fraction min(1, 2 x) of the "double flash" rain-out rule (CCPS 1989).

    Parameters
    ----------
    flash_fraction : float
        Flash fraction x, in [0, 1].

    Returns
    -------
    float
        Fraction of the discharge that stays airborne as vapour plus aerosol.

    Raises
    ------
    InvalidInputError
        If ``flash_fraction`` is outside [0, 1].

    References
    ----------
    .. [1] CCPS (1989). Guidelines for Chemical Process Quantitative Risk Analysis, section 2.1.

    Examples
    --------
    >>> airborne_fraction_double_flash(0.2), airborne_fraction_double_flash(0.6)
    (0.4, 1.0)
    """
    x = require_in_range("flash_fraction", flash_fraction, "", low=0.0, high=1.0)
    return min(1.0, DOUBLE_FLASH_FACTOR * x)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlashState:
    """Properties of a flashing liquid at its storage temperature and after expansion.

    Attributes
    ----------
    temperature_k : float
        Storage temperature, K.
    saturation_pressure_pa : float
        Saturation pressure at the storage temperature, Pa.
    liquid_density_kg_m3 : float
        Saturated liquid density at the storage temperature, kg/m^3.
    erm_flux_kg_m2_s : float
        Equilibrium rate model flux, kg/(m^2 s).
    flash_fraction : float
        Mass fraction vaporised by the expansion to ambient pressure.
    boiling_temperature_k : float
        Boiling point at ambient pressure (the expanded jet's temperature), K.
    expanded_density_kg_m3 : float
        Two-phase density of the expanded jet, kg/m^3.
    """

    temperature_k: float
    saturation_pressure_pa: float
    liquid_density_kg_m3: float
    erm_flux_kg_m2_s: float
    flash_fraction: float
    boiling_temperature_k: float
    expanded_density_kg_m3: float


def flash_state(
    sub: Substance,
    temperature_k: float,
    *,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    flash_method: FlashMethod = "isenthalpic",
) -> FlashState:
    """Return the storage and expanded properties of a superheated liquid.

    Parameters
    ----------
    sub : Substance
        Library substance.
    temperature_k : float
        Storage temperature, K; above the boiling point at ambient pressure, below critical.
    ambient_pressure_pa : float
        Ambient pressure, Pa.
    flash_method : {"isenthalpic", "linear", "exponential"}
        Flash-fraction formula: exact enthalpy balance, or the constant-cp forms with cp the
        mean of the liquid cp at T and T_b and h_fg at T_b.

    Returns
    -------
    FlashState
        The properties.

    Raises
    ------
    InvalidInputError
        If the liquid is not superheated at ambient pressure or is at or above its critical
        temperature, or the method is unknown.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-7.
    """
    require_choice("flash_method", flash_method, FLASH_METHODS)
    pa = check_ambient_pressure(ambient_pressure_pa)
    t = require_positive("temperature_k", temperature_k, "K")
    t_b = float(sub.saturation_temperature_k(pa))
    if t <= t_b + SUPERHEAT_TOLERANCE_K:
        raise InvalidInputError(
            f"temperature_k = {temperature_k!r} K: {sub.key} boils at {t_b:.2f} K at the ambient "
            + f"pressure {pa:g} Pa, so the liquid does not flash (needs > "
            + f"{t_b + SUPERHEAT_TOLERANCE_K:.2f} K); use solvers.source.orifice_liquid"
        )
    if t >= sub.critical_temperature_k:
        raise InvalidInputError(
            f"temperature_k = {temperature_k!r} K: must be below the critical temperature of "
            + f"{sub.key}, {sub.critical_temperature_k:.2f} K (above it there is no liquid)"
        )
    p_sat = float(sub.saturation_pressure_pa(t))
    rho_l = float(sub.liquid_density_kg_m3(t))
    # The vapour side of saturation: a hair below P_sat the gas root is the only stable one.
    rho_v = float(sub.vapour_density_kg_m3(t, p_sat * (1.0 - 1e-9)))
    hfg = float(sub.latent_heat_j_kg(t))
    cp_l = float(sub.liquid_cp_j_kg_k(t))
    g_erm = erm_mass_flux_kg_m2_s(hfg, 1.0 / rho_v - 1.0 / rho_l, cp_l, t)
    if flash_method == "isenthalpic":
        x = isenthalpic_flash_fraction(sub, t, pa)
    else:
        cp_mean = 0.5 * (cp_l + float(sub.liquid_cp_j_kg_k(t_b)))
        hfg_b = float(sub.latent_heat_j_kg(t_b))
        formula = flash_fraction_linear if flash_method == "linear" else flash_fraction_exponential
        x = formula(cp_mean, t, t_b, hfg_b)
    rho_v_b = float(sub.vapour_density_kg_m3(t_b, pa * (1.0 - 1e-9)))
    rho_l_b = float(sub.liquid_density_kg_m3(t_b))
    return FlashState(
        temperature_k=t,
        saturation_pressure_pa=p_sat,
        liquid_density_kg_m3=rho_l,
        erm_flux_kg_m2_s=g_erm,
        flash_fraction=x,
        boiling_temperature_k=t_b,
        expanded_density_kg_m3=1.0 / (x / rho_v_b + (1.0 - x) / rho_l_b),
    )


def expanded_velocity_m_s(
    mass_flux_kg_m2_s: ArrayLike,
    *,
    liquid_density_kg_m3: float,
    exit_pressure_pa: float,
    ambient_pressure_pa: float,
) -> FloatArray:
    """Return the flashing jet velocity u_e + (P_e - P_a) / G from a momentum balance."""
    g = np.asarray(mass_flux_kg_m2_s, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        u = g / liquid_density_kg_m3 + max(exit_pressure_pa - ambient_pressure_pa, 0.0) / g
    return np.asarray(np.where(g > 0, u, 0.0), dtype=np.float64)


def split_discharge(
    rate_kg_s: FloatArray, flash_fraction: float, rainout_model: RainoutModel
) -> tuple[FloatArray, FloatArray, float]:
    """(airborne rate, rain-out rate, aerosol fraction of the airborne part) of a flashing jet."""
    require_choice("rainout_model", rainout_model, RAINOUT_MODELS)
    airborne = (
        airborne_fraction_double_flash(flash_fraction) if rainout_model == "double_flash" else 1.0
    )
    aerosol = (airborne - flash_fraction) / airborne if airborne > 0 else 0.0
    return rate_kg_s * airborne, rate_kg_s * (1.0 - airborne), max(aerosol, 0.0)


def two_phase_source_term(
    t_s: FloatArray,
    rate_kg_s: FloatArray,
    *,
    state: FlashState,
    hole_area_m2: float,
    rainout_model: RainoutModel,
    ambient_pressure_pa: float,
    substance: str,
    model: str,
    release_height_m: float,
) -> SourceTerm:
    """Return the source term of a flashing jet discharging ``rate_kg_s`` through a hole.

    The discharge splits into airborne and rain-out parts by :func:`split_discharge`; the jet
    leaves at the boiling point with the velocity of :func:`expanded_velocity_m_s`, and its
    diameter is that of the first row's flow at the expanded two-phase density.
    """
    airborne, rainout, aerosol = split_discharge(rate_kg_s, state.flash_fraction, rainout_model)
    velocity = expanded_velocity_m_s(
        rate_kg_s / hole_area_m2,
        liquid_density_kg_m3=state.liquid_density_kg_m3,
        exit_pressure_pa=state.saturation_pressure_pa,
        ambient_pressure_pa=ambient_pressure_pa,
    )
    jet_area = rate_kg_s[0] / (state.expanded_density_kg_m3 * velocity[0])
    return SourceTerm(
        substance=substance,
        model=model,
        phase="two-phase",
        t_s=t_s,
        discharge_rate_kg_s=rate_kg_s,
        airborne_rate_kg_s=airborne,
        rainout_rate_kg_s=rainout,
        temperature_k=np.full_like(t_s, state.boiling_temperature_k),
        velocity_m_s=velocity,
        aerosol_fraction=np.full_like(t_s, aerosol),
        release_height_m=release_height_m,
        diameter_m=math.sqrt(4.0 * jet_area / math.pi),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PressurisedLiquidLeak:
    """A hole below the liquid level of a vessel of pressurised liquefied gas.

    Attributes
    ----------
    substance : str
        Key in the substance library, e.g. ``"ammonia"``, ``"propane"``, ``"chlorine"``.
    tank : Tank
        Vessel geometry.
    liquid_level_m : float
        Liquid level above the vessel bottom when the hole opens, m.
    temperature_k : float
        Liquid temperature, K (sets the saturation pressure).
    hole_diameter_m : float
        Equivalent hole diameter, m.
    hole_height_m : float
        Height of the hole above the vessel bottom, m.
    pad_pressure_pa : float
        Pad-gas partial pressure added to the saturation pressure, Pa (0: none).
    discharge_length_m : float
        Flow length through the hole or a short attached pipe, m (0: hole in a thin wall).
    discharge_coefficient : float
        Cd of the liquid part of the flux.
    flash_method : {"isenthalpic", "linear", "exponential"}
        Flash-fraction formula.
    rainout_model : {"double_flash", "none"}
        Rain-out rule.
    release_height_m : float or None
        Height of the hole above ground, m; None: vessel base elevation plus hole height.
    max_duration_s : float
        Longest release time followed, s.
    """

    substance: str
    tank: Tank
    liquid_level_m: float
    temperature_k: float
    hole_diameter_m: float
    hole_height_m: float = 0.0
    pad_pressure_pa: float = 0.0
    discharge_length_m: float = 0.0
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_LIQUID
    flash_method: FlashMethod = "isenthalpic"
    rainout_model: RainoutModel = "double_flash"
    release_height_m: float | None = None
    max_duration_s: float = 3600.0


def release(
    leak: PressurisedLiquidLeak,
    *,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    n_samples: int = DEFAULT_SAMPLES,
) -> SourceTerm:
    """Return the source term of a pressurised liquefied gas flashing through a hole.

    Parameters
    ----------
    leak : PressurisedLiquidLeak
        The vessel, its liquid and the hole.
    ambient_pressure_pa : float
        Air pressure outside the hole, Pa.
    n_samples : int
        Number of rows of the source term (3 to 10,000).

    Returns
    -------
    SourceTerm
        Model ``"flashing_two_phase"``, phase ``"two-phase"``; airborne and rain-out rates from
        the rain-out rule; temperature the boiling point at ambient pressure; velocity and (initial)
        diameter of the expanded jet.

    Raises
    ------
    InvalidInputError
        If the substance is unknown, the liquid is not superheated or is supercritical, the hole
        is above the liquid or larger than the vessel, or another input is out of range.

    References
    ----------
    .. [1] Fauske (1985), Plant/Operations Progress 4(3), 132-134.
    .. [2] CCPS (1989), Guidelines for Chemical Process Quantitative Risk Analysis, section 2.1.
    """
    pa = check_ambient_pressure(ambient_pressure_pa)
    n = check_n_samples(n_samples)
    sub = lookup_substance(leak.substance)
    state = flash_state(
        sub, leak.temperature_k, ambient_pressure_pa=pa, flash_method=leak.flash_method
    )
    hole_d = check_hole_diameter(leak.hole_diameter_m, leak.tank.diameter_m, "tank")
    pad = require_non_negative("pad_pressure_pa", leak.pad_pressure_pa, "Pa")
    length = require_non_negative("discharge_length_m", leak.discharge_length_m, "m")
    cd = check_discharge_coefficient(leak.discharge_coefficient)
    t_max = require_positive("max_duration_s", leak.max_duration_s, "s")
    level, h_hole = check_liquid_levels(leak.tank, leak.liquid_level_m, leak.hole_height_m)
    area = circle_area_m2(hole_d)
    rho = state.liquid_density_kg_m3
    p_vessel = state.saturation_pressure_pa + pad

    def rate_of_head(head_m: FloatArray) -> FloatArray:
        flux = two_phase_mass_flux_kg_m2_s(
            erm_flux_kg_m2_s=state.erm_flux_kg_m2_s,
            liquid_density_kg_m3=rho,
            saturation_pressure_pa=state.saturation_pressure_pa,
            hole_pressure_pa=p_vessel + rho * GRAVITY_M_S2 * head_m,
            ambient_pressure_pa=pa,
            discharge_length_m=length,
            discharge_coefficient=cd,
        )
        return flux * area

    t_fine, head_fine = drain_history(
        tank=leak.tank,
        initial_level_m=level,
        hole_height_m=h_hole,
        density_kg_m3=rho,
        rate_of_head_kg_s=rate_of_head,
    )
    t_fine, head_fine = clip_history(t_fine, head_fine, t_max)
    t = sample_times(t_fine, rate_of_head(head_fine), n)
    rate = rate_of_head(np.interp(t, t_fine, head_fine))
    height = (
        leak.tank.base_elevation_m + h_hole
        if leak.release_height_m is None
        else require_finite("release_height_m", leak.release_height_m, "m")
    )
    return two_phase_source_term(
        t,
        rate,
        state=state,
        hole_area_m2=area,
        rainout_model=leak.rainout_model,
        ambient_pressure_pa=pa,
        substance=sub.key,
        model="flashing_two_phase",
        release_height_m=height,
    )
