"""Gas discharge through a hole: choked and subsonic orifice flow, vessel blowdown, expanded jet.

Model: one-dimensional isentropic flow of an ideal gas with constant heat-capacity ratio gamma
from the vessel (stagnation) state through the hole, corrected by a discharge coefficient
(Crowl and Louvar 2011, section 4-6; TNO Yellow Book 1997, chapter 2). The flow is choked when
P_a / P_0 is at or below the critical ratio (2 / (gamma + 1))^(gamma / (gamma - 1)):

    choked:    Q = Cd A P_0 sqrt(gamma M / (R T_0) (2 / (gamma + 1))^((gamma + 1) / (gamma - 1)))
    subsonic:  Q = Cd A P_0 sqrt(2 M / (R T_0) gamma / (gamma - 1)
                               ((P_a/P_0)^(2/gamma) - (P_a/P_0)^((gamma + 1)/gamma)))

and the two agree at the critical ratio. A vessel of fixed volume blows down as
V drho/dt = -Q, either isothermally (heat from the walls keeps T_0) or adiabatically (the gas left
in the vessel expands isentropically, so T_0 falls). During the choked phase both have closed
forms (exponential decay, and P/P_0 = [1 + (gamma - 1)/2 K t]^(-2 gamma / (gamma - 1)) with
K = Cd A c_0 Psi / V), used as the analytic tests; the general blowdown, through the subsonic
tail to ambient pressure, is integrated with :func:`scipy.integrate.solve_ivp`.

An under-expanded (choked) jet keeps expanding outside the hole. Its state once at ambient
pressure (the "pseudo-source" or "notional nozzle") follows one of three published closures:
Birch et al. (1984) (mass conserved, sonic velocity, stagnation temperature), Birch et al. (1987)
(mass and momentum conserved, stagnation temperature) or Ewan and Moodie (1986) (sonic velocity at
the throat temperature). A subsonic jet leaves at ambient pressure with its isentropic exit
velocity and temperature.

Validity: ideal gas (compressibility factor near 1; at 100 bar natural gas has Z ~ 0.85, so the
inventory and the rate are then ~15 % uncertain); constant gamma, taken at the vessel temperature
and ambient pressure; single-phase gas (a deep adiabatic blowdown can cool a condensable gas below
its dew point, which is not modelled); hole small compared with the vessel.

References
----------
.. [1] Crowl, D. A., and Louvar, J. F. (2011). Chemical Process Safety, 3rd ed., section 4-6
   (flow of gases or vapors through holes).
.. [2] TNO (1997). Methods for the calculation of physical effects ("Yellow Book"), CPR 14E,
   3rd ed., chapter 2 (outflow and spray release): discharge coefficients, vessel outflow.
.. [3] Birch, A. D., Brown, D. R., Dodson, M. G., and Swaffield, F. (1984). The structure and
   concentration decay of high pressure jets of natural gas. Combustion Science and Technology
   36, 249-261.
.. [4] Birch, A. D., Hughes, D. J., and Swaffield, F. (1987). Velocity decay of high pressure
   jets. Combustion Science and Technology 52, 161-171.
.. [5] Ewan, B. C. R., and Moodie, K. (1986). Structure and velocity measurements in
   underexpanded jets. Combustion Science and Technology 45, 275-288.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.integrate import solve_ivp

from solvers._checks import require_choice, require_finite, require_in_range, require_positive
from solvers.atmosphere import STANDARD_PRESSURE_PA
from solvers.errors import ConvergenceError, InvalidInputError
from solvers.source._common import (
    DEFAULT_SAMPLES,
    GAS_CONSTANT_J_MOL_K,
    FloatArray,
    check_ambient_pressure,
    check_discharge_coefficient,
    check_hole_diameter,
    check_n_samples,
    check_pressure_above_ambient,
    circle_area_m2,
    ideal_gas_density_kg_m3,
    sample_times,
    single_phase_source_term,
    sound_speed_m_s,
)
from solvers.source.source_term import SourceTerm
from solvers.substances.library import substance as lookup_substance

__all__ = [
    "DISCHARGE_COEFFICIENT_FULL_BORE",
    "DISCHARGE_COEFFICIENT_SHARP_GAS",
    "EXPANSIONS",
    "JET_MODELS",
    "ExpandedJet",
    "GasBlowdown",
    "GasLeak",
    "adiabatic_choked_blowdown_pressure_pa",
    "critical_pressure_ratio",
    "expanded_jet",
    "gas_orifice_rate_kg_s",
    "isothermal_choked_blowdown_pressure_pa",
    "release",
    "vessel_blowdown",
]

#: Sharp-edged hole in a vessel wall (TNO Yellow Book 1997, chapter 2).
DISCHARGE_COEFFICIENT_SHARP_GAS = 0.62
#: Full-bore rupture of a pipe (TNO Yellow Book 1997, chapter 2).
DISCHARGE_COEFFICIENT_FULL_BORE = 1.0

Expansion = Literal["adiabatic", "isothermal", "constant_pressure"]
EXPANSIONS: tuple[str, ...] = ("adiabatic", "isothermal", "constant_pressure")
JetModel = Literal["birch_1984", "birch_1987", "ewan_moodie_1986"]
JET_MODELS: tuple[str, ...] = ("birch_1984", "birch_1987", "ewan_moodie_1986")

#: The blowdown ends when the vessel pressure is this close (relative) to ambient.
_END_PRESSURE_MARGIN = 1e-6


def _check_gamma(gamma: float) -> float:
    return require_in_range("gamma", gamma, "", low=1.0, high=1.7, low_inclusive=False)


def critical_pressure_ratio(gamma: float) -> float:
    """Return the critical (choking) ratio of ambient to upstream pressure of an ideal gas.

    (2 / (gamma + 1))^(gamma / (gamma - 1)); 0.528 for gamma = 1.4.

    Parameters
    ----------
    gamma : float
        Heat-capacity ratio cp/cv, in (1, 1.7].

    Returns
    -------
    float
        P_a / P_0 at and below which the flow through a hole is choked.

    Raises
    ------
    InvalidInputError
        If ``gamma`` is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-6.

    Examples
    --------
    >>> round(critical_pressure_ratio(1.4), 4)
    0.5283
    """
    g = _check_gamma(gamma)
    return float((2.0 / (g + 1.0)) ** (g / (g - 1.0)))


def gas_orifice_rate_kg_s(
    hole_area_m2: float,
    upstream_pressure_pa: ArrayLike,
    upstream_temperature_k: ArrayLike,
    *,
    molar_mass_kg_mol: float,
    gamma: float,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_GAS,
) -> FloatArray:
    """Return the mass flow of an ideal gas through a hole, choked or subsonic.

    Choked when P_a / P_0 <= :func:`critical_pressure_ratio`, else subsonic (formulas in the
    module docstring; Crowl and Louvar 2011, section 4-6). Broadcasts over upstream pressure and
    temperature; an upstream pressure at or below ambient gives 0.

    Parameters
    ----------
    hole_area_m2 : float
        Hole area, m^2. Must be > 0.
    upstream_pressure_pa : float or array
        Stagnation (vessel) pressure, absolute, Pa.
    upstream_temperature_k : float or array
        Stagnation (vessel) temperature, K.
    molar_mass_kg_mol : float
        Molar mass, kg/mol.
    gamma : float
        Heat-capacity ratio cp/cv, in (1, 1.7].
    ambient_pressure_pa : float
        Pressure outside the hole, Pa.
    discharge_coefficient : float
        Cd in (0, 1]; 0.62 sharp-edged hole, 1.0 full-bore rupture.

    Returns
    -------
    ndarray
        Mass flow, kg/s, broadcast shape of pressure and temperature.

    Raises
    ------
    InvalidInputError
        If a scalar input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-6.
    .. [2] TNO (1997), Yellow Book CPR 14E, chapter 2.

    Examples
    --------
    >>> round(float(gas_orifice_rate_kg_s(1e-4, 10e5, 300.0, molar_mass_kg_mol=0.028,
    ...                                    gamma=1.4, discharge_coefficient=1.0)), 4)
    0.2294
    """
    area = require_positive("hole_area_m2", hole_area_m2, "m^2")
    mm = require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    g = _check_gamma(gamma)
    pa = require_positive("ambient_pressure_pa", ambient_pressure_pa, "Pa")
    cd = check_discharge_coefficient(discharge_coefficient)
    p0 = np.asarray(upstream_pressure_pa, dtype=np.float64)
    t0 = np.asarray(upstream_temperature_k, dtype=np.float64)
    ratio = np.clip(pa / np.maximum(p0, pa), 0.0, 1.0)
    ratio = np.maximum(ratio, critical_pressure_ratio(g))
    # Isentropic mass flux at a throat pressure ratio r: the choked value is the subsonic formula
    # evaluated at the critical ratio, which makes the two branches continuous by construction.
    bracket = ratio ** (2.0 / g) - ratio ** ((g + 1.0) / g)
    flux = p0 * np.sqrt(
        np.maximum(2.0 * mm / (GAS_CONSTANT_J_MOL_K * t0) * g / (g - 1.0) * bracket, 0.0)
    )
    return np.asarray(np.where(p0 > pa, cd * area * flux, 0.0), dtype=np.float64)


def _choked_rate_constant_per_s(
    volume_m3: float,
    hole_area_m2: float,
    temperature_k: float,
    molar_mass_kg_mol: float,
    gamma: float,
    discharge_coefficient: float,
) -> float:
    """K = Cd A c_0 Psi / V of a choked blowdown, 1/s."""
    psi = (2.0 / (gamma + 1.0)) ** ((gamma + 1.0) / (2.0 * (gamma - 1.0)))
    c0 = float(sound_speed_m_s(temperature_k, molar_mass_kg_mol, gamma))
    return float(discharge_coefficient * hole_area_m2 * c0 * psi / volume_m3)


def _blowdown_inputs(
    volume_m3: float,
    hole_area_m2: float,
    initial_pressure_pa: float,
    initial_temperature_k: float,
    molar_mass_kg_mol: float,
    gamma: float,
    discharge_coefficient: float,
) -> float:
    """Check the common blowdown inputs; return K of :func:`_choked_rate_constant_per_s`."""
    v = require_positive("volume_m3", volume_m3, "m^3")
    a = require_positive("hole_area_m2", hole_area_m2, "m^2")
    require_positive("initial_pressure_pa", initial_pressure_pa, "Pa")
    t0 = require_positive("initial_temperature_k", initial_temperature_k, "K")
    mm = require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    g = _check_gamma(gamma)
    cd = check_discharge_coefficient(discharge_coefficient)
    return _choked_rate_constant_per_s(v, a, t0, mm, g, cd)


def adiabatic_choked_blowdown_pressure_pa(
    t_s: ArrayLike,
    *,
    volume_m3: float,
    hole_area_m2: float,
    initial_pressure_pa: float,
    initial_temperature_k: float,
    molar_mass_kg_mol: float,
    gamma: float,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_GAS,
) -> FloatArray:
    """Return the vessel pressure of an adiabatic blowdown while the hole is choked (closed form).

    With the gas left in the vessel expanding isentropically, V drho/dt = -Cd A rho c Psi
    integrates to P/P_0 = [1 + (gamma - 1)/2 K t]^(-2 gamma/(gamma - 1)), K = Cd A c_0 Psi / V,
    Psi = (2/(gamma + 1))^((gamma + 1)/(2 (gamma - 1))), c_0 the initial speed of sound. Valid
    while P stays above P_a divided by the critical pressure ratio.

    Parameters
    ----------
    t_s : float or array
        Times since the hole opened, s.
    volume_m3 : float
        Vessel volume, m^3.
    hole_area_m2 : float
        Hole area, m^2.
    initial_pressure_pa : float
        Initial vessel pressure, absolute, Pa.
    initial_temperature_k : float
        Initial vessel temperature, K.
    molar_mass_kg_mol : float
        Molar mass, kg/mol.
    gamma : float
        Heat-capacity ratio.
    discharge_coefficient : float
        Cd in (0, 1].

    Returns
    -------
    ndarray
        Vessel pressure, Pa, shape of ``t_s``.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-6 (choked
       flow); the decay law follows by integrating it with the isentropic relations.
    """
    k = _blowdown_inputs(
        volume_m3,
        hole_area_m2,
        initial_pressure_pa,
        initial_temperature_k,
        molar_mass_kg_mol,
        gamma,
        discharge_coefficient,
    )
    t = np.asarray(t_s, dtype=np.float64)
    base = 1.0 + 0.5 * (gamma - 1.0) * k * t
    return np.asarray(initial_pressure_pa * base ** (-2.0 * gamma / (gamma - 1.0)))


def isothermal_choked_blowdown_pressure_pa(
    t_s: ArrayLike,
    *,
    volume_m3: float,
    hole_area_m2: float,
    initial_pressure_pa: float,
    initial_temperature_k: float,
    molar_mass_kg_mol: float,
    gamma: float,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_GAS,
) -> FloatArray:
    """Return the vessel pressure of an isothermal blowdown while the hole is choked (closed form).

    The choked rate is proportional to the vessel pressure at fixed temperature, so
    P = P_0 exp(-K t) with K = Cd A c_0 Psi / V as in
    :func:`adiabatic_choked_blowdown_pressure_pa`.

    Parameters
    ----------
    t_s : float or array
        Times since the hole opened, s.
    volume_m3 : float
        Vessel volume, m^3.
    hole_area_m2 : float
        Hole area, m^2.
    initial_pressure_pa : float
        Initial vessel pressure, absolute, Pa.
    initial_temperature_k : float
        Vessel temperature (constant), K.
    molar_mass_kg_mol : float
        Molar mass, kg/mol.
    gamma : float
        Heat-capacity ratio.
    discharge_coefficient : float
        Cd in (0, 1].

    Returns
    -------
    ndarray
        Vessel pressure, Pa, shape of ``t_s``.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-6.
    """
    k = _blowdown_inputs(
        volume_m3,
        hole_area_m2,
        initial_pressure_pa,
        initial_temperature_k,
        molar_mass_kg_mol,
        gamma,
        discharge_coefficient,
    )
    t = np.asarray(t_s, dtype=np.float64)
    return np.asarray(initial_pressure_pa * np.exp(-k * t))


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpandedJet:
    """State of a gas jet once expanded to ambient pressure (the pseudo-source).

    Attributes
    ----------
    velocity_m_s : (n,) float
        Jet velocity, m/s.
    temperature_k : (n,) float
        Jet temperature, K.
    diameter_m : (n,) float
        Diameter of the pseudo-source, m.
    """

    velocity_m_s: FloatArray
    temperature_k: FloatArray
    diameter_m: FloatArray


def expanded_jet(
    upstream_pressure_pa: ArrayLike,
    upstream_temperature_k: ArrayLike,
    *,
    hole_diameter_m: float,
    molar_mass_kg_mol: float,
    gamma: float,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_GAS,
    model: JetModel = "birch_1987",
) -> ExpandedJet:
    """Return velocity, temperature and diameter of a gas jet expanded to ambient pressure.

    Subsonic jets leave at ambient pressure with the isentropic exit state. Choked jets use the
    chosen closure, from the throat (vena contracta, area Cd A) state T* = 2 T_0/(gamma + 1),
    u* = sound speed at T*, P* = P_0 times the critical ratio:

    - ``"birch_1984"``: u = u*, T = T_0, area from mass conservation (Birch et al. 1984);
    - ``"birch_1987"``: u = u* + (P* - P_a)/(rho* u*) from momentum, T = T_0 (Birch et al. 1987);
    - ``"ewan_moodie_1986"``: u = u*, T = T* (Ewan and Moodie 1986).

    Parameters
    ----------
    upstream_pressure_pa : float or array
        Stagnation pressure, absolute, Pa.
    upstream_temperature_k : float or array
        Stagnation temperature, K.
    hole_diameter_m : float
        Hole diameter, m.
    molar_mass_kg_mol : float
        Molar mass, kg/mol.
    gamma : float
        Heat-capacity ratio.
    ambient_pressure_pa : float
        Ambient pressure, Pa.
    discharge_coefficient : float
        Cd in (0, 1].
    model : {"birch_1984", "birch_1987", "ewan_moodie_1986"}
        Pseudo-source closure for choked jets.

    Returns
    -------
    ExpandedJet
        Arrays of the broadcast shape of pressure and temperature; a jet with no driving pressure
        has velocity 0.

    Raises
    ------
    InvalidInputError
        If an input is out of range or the model is unknown.

    References
    ----------
    .. [1] Birch et al. (1984), Combust. Sci. Technol. 36, 249-261.
    .. [2] Birch et al. (1987), Combust. Sci. Technol. 52, 161-171.
    .. [3] Ewan and Moodie (1986), Combust. Sci. Technol. 45, 275-288.
    """
    require_choice("model", model, JET_MODELS)
    d = require_positive("hole_diameter_m", hole_diameter_m, "m")
    mm = require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    g = _check_gamma(gamma)
    pa = require_positive("ambient_pressure_pa", ambient_pressure_pa, "Pa")
    cd = check_discharge_coefficient(discharge_coefficient)
    p0, t0 = np.broadcast_arrays(
        np.asarray(upstream_pressure_pa, dtype=np.float64),
        np.asarray(upstream_temperature_k, dtype=np.float64),
    )
    area = cd * circle_area_m2(d)
    rate = gas_orifice_rate_kg_s(
        circle_area_m2(d),
        p0,
        t0,
        molar_mass_kg_mol=mm,
        gamma=g,
        ambient_pressure_pa=pa,
        discharge_coefficient=cd,
    )
    r_crit = critical_pressure_ratio(g)
    is_choked = pa / np.maximum(p0, pa) <= r_crit
    flows = p0 > pa
    cp_j_kg_k = g * GAS_CONSTANT_J_MOL_K / ((g - 1.0) * mm)

    # Subsonic: isentropic expansion to ambient pressure inside the hole.
    t_sub = t0 * np.minimum(pa / np.maximum(p0, pa), 1.0) ** ((g - 1.0) / g)
    u_sub = np.sqrt(2.0 * cp_j_kg_k * np.maximum(t0 - t_sub, 0.0))

    # Choked: throat state, then the chosen closure.
    t_star = 2.0 * t0 / (g + 1.0)
    u_star = sound_speed_m_s(t_star, mm, g)
    p_star = p0 * r_crit
    rho_star = ideal_gas_density_kg_m3(p_star, t_star, mm)
    if model == "birch_1987":
        u_ch = u_star + (p_star - pa) / (rho_star * u_star)
        t_ch = t0
    elif model == "birch_1984":
        u_ch, t_ch = u_star, t0
    else:
        u_ch, t_ch = u_star, t_star

    velocity = np.where(flows, np.where(is_choked, u_ch, u_sub), 0.0)
    temperature = np.where(flows & is_choked, t_ch, np.where(flows, t_sub, t0))
    rho = ideal_gas_density_kg_m3(pa, temperature, mm)
    with np.errstate(divide="ignore", invalid="ignore"):
        jet_area = np.where(velocity > 0, rate / (rho * velocity), area)
    return ExpandedJet(
        velocity_m_s=np.asarray(velocity, dtype=np.float64),
        temperature_k=np.asarray(temperature, dtype=np.float64),
        diameter_m=np.asarray(np.sqrt(4.0 * jet_area / math.pi), dtype=np.float64),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class GasBlowdown:
    """History of a gas vessel blowing down through a hole.

    Attributes
    ----------
    t_s : (n,) float
        Times since the hole opened, s.
    pressure_pa : (n,) float
        Vessel pressure, Pa.
    temperature_k : (n,) float
        Vessel gas temperature, K.
    rate_kg_s : (n,) float
        Mass flow through the hole, kg/s.
    initial_mass_kg : float
        Gas mass in the vessel at the start, kg.
    final_mass_kg : float
        Gas mass in the vessel at the last time, kg.
    is_depressurised : bool
        Whether the vessel reached ambient pressure before the maximum duration.
    """

    t_s: FloatArray
    pressure_pa: FloatArray
    temperature_k: FloatArray
    rate_kg_s: FloatArray
    initial_mass_kg: float
    final_mass_kg: float
    is_depressurised: bool


def vessel_blowdown(
    *,
    volume_m3: float,
    initial_pressure_pa: float,
    initial_temperature_k: float,
    hole_diameter_m: float,
    molar_mass_kg_mol: float,
    gamma: float,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_GAS,
    expansion: Expansion = "adiabatic",
    max_duration_s: float = 3600.0,
    n_samples: int = DEFAULT_SAMPLES,
) -> GasBlowdown:
    """Return the blowdown history of a gas vessel through a hole, choked then subsonic.

    Integrates V drho/dt = -Q(P(rho), T(rho)) with :func:`scipy.integrate.solve_ivp` (RK45,
    rtol 1e-9) until the vessel pressure reaches ambient or ``max_duration_s``. ``"adiabatic"``:
    P = P_0 (rho/rho_0)^gamma, T = T_0 (rho/rho_0)^(gamma - 1); ``"isothermal"``: T = T_0;
    ``"constant_pressure"``: the vessel is kept at P_0 and T_0 (a large or fed inventory).

    Parameters
    ----------
    volume_m3 : float
        Gas volume of the vessel, m^3.
    initial_pressure_pa : float
        Initial vessel pressure, absolute, Pa; above ambient.
    initial_temperature_k : float
        Initial vessel temperature, K.
    hole_diameter_m : float
        Hole diameter, m.
    molar_mass_kg_mol : float
        Molar mass, kg/mol.
    gamma : float
        Heat-capacity ratio.
    ambient_pressure_pa : float
        Ambient pressure, Pa.
    discharge_coefficient : float
        Cd in (0, 1].
    expansion : {"adiabatic", "isothermal", "constant_pressure"}
        Thermodynamic path of the gas left in the vessel.
    max_duration_s : float
        Longest release time followed, s.
    n_samples : int
        Number of rows of the history (3 to 10,000).

    Returns
    -------
    GasBlowdown
        The sampled history.

    Raises
    ------
    InvalidInputError
        If an input is out of range.
    ConvergenceError
        If the integrator fails.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-6.
    .. [2] TNO (1997), Yellow Book CPR 14E, chapter 2 (vessel outflow of gas).
    """
    require_choice("expansion", expansion, EXPANSIONS)
    pa = check_ambient_pressure(ambient_pressure_pa)
    v = require_positive("volume_m3", volume_m3, "m^3")
    p0 = check_pressure_above_ambient("initial_pressure_pa", initial_pressure_pa, pa)
    t0 = require_positive("initial_temperature_k", initial_temperature_k, "K")
    d = require_positive("hole_diameter_m", hole_diameter_m, "m")
    mm = require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    g = _check_gamma(gamma)
    cd = check_discharge_coefficient(discharge_coefficient)
    t_max = require_positive("max_duration_s", max_duration_s, "s")
    n = check_n_samples(n_samples)
    area = circle_area_m2(d)
    rho0 = float(ideal_gas_density_kg_m3(p0, t0, mm))
    m0 = rho0 * v

    def state(r: FloatArray) -> tuple[FloatArray, FloatArray]:
        r = np.maximum(r, 0.0)
        if expansion == "adiabatic":
            return p0 * r**g, t0 * r ** (g - 1.0)
        return p0 * r, np.full_like(r, t0)

    def rate(r: FloatArray) -> FloatArray:
        p, t = state(r)
        return gas_orifice_rate_kg_s(
            area,
            p,
            t,
            molar_mass_kg_mol=mm,
            gamma=g,
            ambient_pressure_pa=pa,
            discharge_coefficient=cd,
        )

    if expansion == "constant_pressure":
        t = np.array([0.0, t_max])
        q = rate(np.ones(2))
        return GasBlowdown(
            t_s=t,
            pressure_pa=np.full(2, p0),
            temperature_k=np.full(2, t0),
            rate_kg_s=q,
            initial_mass_kg=m0,
            final_mass_kg=m0,
            is_depressurised=False,
        )

    # r = rho / rho_0; the end is where P(r) reaches ambient pressure (plus a tiny margin).
    r_end = (pa / p0) ** (1.0 / g) if expansion == "adiabatic" else pa / p0
    r_stop = r_end * (1.0 + _END_PRESSURE_MARGIN)

    def rhs(_t: float, y: FloatArray) -> FloatArray:
        return -rate(y) / (rho0 * v)

    def reaches_ambient(_t: float, y: FloatArray) -> float:
        return float(y[0] - r_stop)

    reaches_ambient.terminal = True  # type: ignore[attr-defined]
    reaches_ambient.direction = -1  # type: ignore[attr-defined]
    sol = solve_ivp(
        rhs,
        (0.0, t_max),
        np.array([1.0]),
        method="RK45",
        rtol=1e-9,
        atol=1e-12,
        dense_output=True,
        events=reaches_ambient,
    )
    if sol.status < 0:
        raise ConvergenceError(f"gas vessel blowdown: solve_ivp failed ({sol.message})")
    t_end = float(sol.t[-1])
    is_depressurised = sol.status == 1
    fine = np.unique(
        np.concatenate((np.linspace(0.0, t_end, 2001), np.geomspace(t_end * 1e-6, t_end, 500)))
    )
    r_fine = np.asarray(sol.sol(fine)[0])
    t = sample_times(fine, rate(r_fine), n)
    r = np.asarray(sol.sol(t)[0])
    r[0] = 1.0
    if is_depressurised:
        r[-1] = r_end
    p, temp = state(r)
    return GasBlowdown(
        t_s=t,
        pressure_pa=p,
        temperature_k=temp,
        rate_kg_s=rate(r),
        initial_mass_kg=m0,
        final_mass_kg=float(r[-1]) * m0,
        is_depressurised=is_depressurised,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class GasLeak:
    """A hole in the gas space of a vessel or a gas-filled pipe.

    Attributes
    ----------
    substance : str
        Key in the substance library, e.g. ``"methane"`` or ``"hydrogen"``.
    pressure_pa : float
        Vessel pressure when the hole opens, absolute, Pa.
    temperature_k : float
        Vessel gas temperature when the hole opens, K.
    hole_diameter_m : float
        Equivalent hole diameter, m.
    vessel_volume_m3 : float or None
        Gas volume of the vessel, m^3; None means the pressure is maintained (an inventory so
        large, or so well fed, that it does not fall during ``max_duration_s``).
    vessel_diameter_m : float or None
        Inner diameter of the vessel or pipe, m, to check the hole against; None skips the check.
    expansion : {"adiabatic", "isothermal", "constant_pressure"}
        Thermodynamic path of the gas left in the vessel (ignored without a volume).
    discharge_coefficient : float
        Cd; 0.62 sharp-edged hole, 1.0 full-bore rupture.
    jet_model : {"birch_1984", "birch_1987", "ewan_moodie_1986"}
        Pseudo-source closure of an under-expanded jet.
    release_height_m : float
        Height of the hole above ground, m.
    max_duration_s : float
        Longest release time followed, s.
    """

    substance: str
    pressure_pa: float
    temperature_k: float
    hole_diameter_m: float
    vessel_volume_m3: float | None = None
    vessel_diameter_m: float | None = None
    expansion: Expansion = "adiabatic"
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_GAS
    jet_model: JetModel = "birch_1987"
    release_height_m: float = 1.0
    max_duration_s: float = 3600.0


def release(
    leak: GasLeak,
    *,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    n_samples: int = DEFAULT_SAMPLES,
) -> SourceTerm:
    """Return the source term of gas escaping through a hole, with the vessel blowing down.

    Parameters
    ----------
    leak : GasLeak
        The vessel state and the hole.
    ambient_pressure_pa : float
        Air pressure outside the hole, Pa.
    n_samples : int
        Number of rows of the source term (3 to 10,000).

    Returns
    -------
    SourceTerm
        Model ``"orifice_gas"``, phase ``"gas"``: all the discharge is airborne; temperature,
        velocity and the (initial) diameter are those of the jet expanded to ambient pressure.

    Raises
    ------
    InvalidInputError
        If the substance is unknown, the vessel holds liquid at that state (use
        :mod:`solvers.source.orifice_liquid` or :mod:`solvers.source.flashing_two_phase`), the
        pressure is not above ambient, the hole is larger than the vessel or pipe, or another
        input is out of range.
    ConvergenceError
        If the blowdown integration fails.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-6.
    .. [2] Birch et al. (1987), Combust. Sci. Technol. 52, 161-171 (default jet closure).
    """
    pa = check_ambient_pressure(ambient_pressure_pa)
    sub = lookup_substance(leak.substance)
    t0 = require_positive("temperature_k", leak.temperature_k, "K")
    p0 = check_pressure_above_ambient("pressure_pa", leak.pressure_pa, pa)
    hole_d = check_hole_diameter(leak.hole_diameter_m, leak.vessel_diameter_m, "vessel or pipe")
    require_choice("jet_model", leak.jet_model, JET_MODELS)
    if t0 < sub.saturation_temperature_range_k[1]:
        p_sat = float(sub.saturation_pressure_pa(t0))
        if p0 >= p_sat:
            raise InvalidInputError(
                f"pressure_pa = {leak.pressure_pa!r} Pa: at {t0:g} K {sub.key} condenses above "
                + f"its saturation pressure {p_sat:.6g} Pa, so the vessel holds liquid; a hole "
                + "below the liquid needs solvers.source.flashing_two_phase or orifice_liquid"
            )
    mm = float(sub.molar_mass_kg_mol)
    gamma = float(sub.gas_gamma(t0, pa))
    if leak.vessel_volume_m3 is None:
        expansion: Expansion = "constant_pressure"
        volume = 1.0
    else:
        expansion = leak.expansion
        volume = require_positive("vessel_volume_m3", leak.vessel_volume_m3, "m^3")
    blowdown = vessel_blowdown(
        volume_m3=volume,
        initial_pressure_pa=p0,
        initial_temperature_k=t0,
        hole_diameter_m=hole_d,
        molar_mass_kg_mol=mm,
        gamma=gamma,
        ambient_pressure_pa=pa,
        discharge_coefficient=leak.discharge_coefficient,
        expansion=expansion,
        max_duration_s=leak.max_duration_s,
        n_samples=n_samples,
    )
    jet = expanded_jet(
        blowdown.pressure_pa,
        blowdown.temperature_k,
        hole_diameter_m=hole_d,
        molar_mass_kg_mol=mm,
        gamma=gamma,
        ambient_pressure_pa=pa,
        discharge_coefficient=leak.discharge_coefficient,
        model=leak.jet_model,
    )
    return single_phase_source_term(
        phase="gas",
        substance=sub.key,
        model="orifice_gas",
        t_s=blowdown.t_s,
        rate_kg_s=blowdown.rate_kg_s,
        temperature_k=jet.temperature_k,
        velocity_m_s=jet.velocity_m_s,
        diameter_m=float(jet.diameter_m[0]),
        release_height_m=require_finite("release_height_m", leak.release_height_m, "m"),
    )
