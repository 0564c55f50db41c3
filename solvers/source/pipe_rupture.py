"""Rupture of a process line fed from upstream and isolated by a valve after a delay.

A line of length L and inner diameter D runs from an upstream vessel or pump, held at a constant
pressure, to a full-bore (or large partial) rupture. Until the isolation valve at the upstream end
is closed, at ``isolation_time_s`` (the twin's detection delay plus valve closure time), the line
is fed; afterwards only the inventory left in the isolated line escapes. The fluid decides the
model:

Gas (or supercritical) lines: Wilson's double-exponential blowdown of a ruptured pipeline,

    Q(t) = Q_0 / (1 + alpha) [exp(-t / (alpha^2 beta)) + alpha exp(-t / beta)],
    beta = (2/3) (L / c_0) sqrt(gamma f L / D),  alpha = m_0 / (Q_0 beta),

with Q_0 the choked flow through the rupture, c_0 the speed of sound, f the Fanning friction
factor and m_0 the inventory; the integral of Q is m_0 exactly (CCPS 2000, section 2.1.1, after
Wilson 1981). While fed, the outflow cannot fall below the steady adiabatic (Fanno) flow from the
upstream source through the line, so Q = max(Wilson, Fanno). At isolation the remaining inventory
m_0 - integral of (Q - Q_Fanno) restarts Wilson's decay from the rate at that moment (a
continuation assumed here, not part of Wilson's model).

Liquid lines (fluid at or below its ambient boiling point): steady Bernoulli flow with pipe
friction, P_up - P_a + rho g dz = rho u^2 / 2 (K_in + f_D L / D + K_exit), f_D from the
Colebrook equation (Darcy-Weisbach); a liquid is nearly incompressible, so the line decompresses
at once on isolation and only drains by gravity if it falls towards the rupture (air entering
behind the column; a horizontal or rising line keeps its liquid).

Pressurised liquefied gas lines (superheated at ambient pressure, line pressure above saturation):
the flow is the lesser of Fauske's two-phase flux through the rupture
(:func:`solvers.source.flashing_two_phase.two_phase_mass_flux_kg_m2_s`, equilibrium for a line
longer than 0.1 m) and the friction-limited liquid flow; after isolation the line's liquid leaves
at the saturated equilibrium flux until it is gone (constant temperature: conservative on the
rate, exact on the mass). Flash, rain-out and jet state as in
:mod:`solvers.source.flashing_two_phase`.

Validity: one-dimensional, quasi-steady estimates for consequence analysis; no pressure-wave
(water-hammer) or method-of-characteristics detail, no heat exchange with the pipe wall; Wilson's
model is for long pipelines (L/D >> 100) with a full-bore break; ideal gas; constant upstream
pressure while fed.

References
----------
.. [1] Wilson, D. J. (1981). Expansion and plume rise of gas jets from high pressure pipeline
   ruptures. Gas Safety Research Paper, Alberta; as given in CCPS (2000), Guidelines for
   Chemical Process Quantitative Risk Analysis, 2nd ed., AIChE, section 2.1.1.
.. [2] Crowl, D. A., and Louvar, J. F. (2011). Chemical Process Safety, 3rd ed., sections 4-4
   (flow of liquids through pipes: Darcy-Weisbach, Colebrook, entrance loss, Table 4-1
   roughness) and 4-5 (adiabatic flow of gases in pipes).
.. [3] Colebrook, C. F. (1939). Turbulent flow in pipes. J. Inst. Civil Engineers 11, 133-156.
.. [4] Shapiro, A. H. (1953). The Dynamics and Thermodynamics of Compressible Fluid Flow,
   vol. 1, ch. 6 (Fanno flow).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

from solvers._checks import require_finite, require_non_negative, require_positive
from solvers.atmosphere import STANDARD_PRESSURE_PA
from solvers.errors import ConvergenceError, InvalidInputError
from solvers.source._common import (
    DEFAULT_SAMPLES,
    GAS_CONSTANT_J_MOL_K,
    GRAVITY_M_S2,
    JUMP_GAP_S,
    FloatArray,
    Tank,
    check_ambient_pressure,
    check_discharge_coefficient,
    check_hole_diameter,
    check_n_samples,
    check_pressure_above_ambient,
    circle_area_m2,
    clip_history,
    drain_history,
    fluid_phase,
    ideal_gas_density_kg_m3,
    sample_times,
    single_phase_source_term,
    sound_speed_m_s,
)
from solvers.source.flashing_two_phase import (
    FlashMethod,
    RainoutModel,
    flash_state,
    two_phase_mass_flux_kg_m2_s,
    two_phase_source_term,
)
from solvers.source.orifice_gas import JetModel, expanded_jet, gas_orifice_rate_kg_s
from solvers.source.source_term import SourceTerm
from solvers.substances.library import Substance
from solvers.substances.library import substance as lookup_substance

__all__ = [
    "COMMERCIAL_STEEL_ROUGHNESS_M",
    "ENTRANCE_LOSS_COEFFICIENT",
    "PipeRupture",
    "Pipeline",
    "darcy_friction_factor",
    "fanno_mass_flux_kg_m2_s",
    "liquid_line_rate_kg_s",
    "release",
    "wilson_blowdown_rate_kg_s",
    "wilson_time_constant_s",
]

#: Absolute roughness of commercial steel pipe, m (Crowl and Louvar 2011, Table 4-1).
COMMERCIAL_STEEL_ROUGHNESS_M = 4.6e-5
#: Loss coefficient of a sharp-edged entrance from a vessel into a pipe (Crowl and Louvar 2011,
#: section 4-4, 2-K method K_inf for a standard entrance).
ENTRANCE_LOSS_COEFFICIENT = 0.5
#: Reynolds number below which pipe flow is laminar, f_D = 64 / Re.
_LAMINAR_REYNOLDS = 2300.0
#: A Wilson decay is followed until this fraction of its inventory is left.
_WILSON_RESIDUAL_FRACTION = 1e-4


@dataclass(frozen=True, slots=True, kw_only=True)
class Pipeline:
    """A process line between an upstream source and the rupture.

    Attributes
    ----------
    inner_diameter_m : float
        Inner diameter, m.
    length_m : float
        Length from the isolation valve (upstream source) to the rupture, m.
    roughness_m : float
        Absolute wall roughness, m (commercial steel 4.6e-5 m).
    elevation_drop_m : float
        Height of the upstream end above the rupture, m (negative: the line rises).
    """

    inner_diameter_m: float
    length_m: float
    roughness_m: float = COMMERCIAL_STEEL_ROUGHNESS_M
    elevation_drop_m: float = 0.0

    def __post_init__(self) -> None:
        require_positive("pipeline.inner_diameter_m", self.inner_diameter_m, "m")
        require_positive("pipeline.length_m", self.length_m, "m")
        require_non_negative("pipeline.roughness_m", self.roughness_m, "m")
        require_finite("pipeline.elevation_drop_m", self.elevation_drop_m, "m")
        if abs(self.elevation_drop_m) > self.length_m:
            raise InvalidInputError(
                f"pipeline.elevation_drop_m = {self.elevation_drop_m!r} m: its size must be <= "
                + f"the line length {self.length_m:g} m"
            )

    @property
    def area_m2(self) -> float:
        """Flow area, m^2."""
        return circle_area_m2(self.inner_diameter_m)


def darcy_friction_factor(reynolds: ArrayLike, relative_roughness: float) -> FloatArray:
    """Return the Darcy friction factor: 64/Re if laminar, else the Colebrook equation.

    1/sqrt(f) = -2 log10(eps/(3.7 D) + 2.51/(Re sqrt(f))) (Colebrook 1939), solved by fixed-point
    iteration from the fully rough value (converges to 1e-12 in under 30 steps).

    Parameters
    ----------
    reynolds : float or array
        Reynolds number, > 0.
    relative_roughness : float
        Wall roughness over diameter, eps/D, >= 0.

    Returns
    -------
    ndarray
        Darcy friction factor (4 times the Fanning factor), shape of ``reynolds``.

    Raises
    ------
    InvalidInputError
        If an input is out of range.
    ConvergenceError
        If the iteration does not converge.

    References
    ----------
    .. [1] Colebrook (1939), J. Inst. Civil Engineers 11, 133-156.
    .. [2] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-4.

    Examples
    --------
    >>> round(float(darcy_friction_factor(1e5, 0.0)), 4)
    0.018
    """
    re = np.asarray(reynolds, dtype=np.float64)
    if not np.all(np.isfinite(re) & (re > 0)):
        raise InvalidInputError(f"reynolds = {reynolds!r}: must be finite numbers > 0")
    rr = require_non_negative("relative_roughness", relative_roughness, "")
    turbulent_re = np.maximum(re, _LAMINAR_REYNOLDS)
    inv_sqrt_f = np.full_like(turbulent_re, -2.0 * math.log10(rr / 3.7 + 1e-12))
    for _ in range(60):
        new = -2.0 * np.log10(rr / 3.7 + 2.51 * inv_sqrt_f / turbulent_re)
        if np.all(np.abs(new - inv_sqrt_f) <= 1e-12 * np.abs(new)):
            inv_sqrt_f = new
            break
        inv_sqrt_f = new
    else:
        raise ConvergenceError("Colebrook equation: fixed-point iteration did not converge")
    return np.asarray(np.where(re < _LAMINAR_REYNOLDS, 64.0 / re, inv_sqrt_f**-2.0))


def liquid_line_rate_kg_s(
    pipeline: Pipeline,
    *,
    driving_pressure_pa: float,
    density_kg_m3: float,
    viscosity_pa_s: float,
    rupture_area_m2: float | None = None,
    discharge_coefficient: float = 1.0,
    entrance_loss_coefficient: float = ENTRANCE_LOSS_COEFFICIENT,
) -> float:
    """Return the steady liquid flow through a line into a rupture (Darcy-Weisbach, Colebrook).

    Solves dP = rho u^2 / 2 (K_in + f_D(Re) L / D + (A / (Cd A_r))^2) for the pipe velocity u;
    the last term is the kinetic energy of the jet leaving through the rupture area A_r.

    Parameters
    ----------
    pipeline : Pipeline
        The line.
    driving_pressure_pa : float
        Upstream pressure minus ambient pressure plus rho g dz, Pa.
    density_kg_m3 : float
        Liquid density, kg/m^3.
    viscosity_pa_s : float
        Liquid dynamic viscosity, Pa s.
    rupture_area_m2 : float or None
        Rupture area, m^2; None: the full bore.
    discharge_coefficient : float
        Cd of the rupture, in (0, 1].
    entrance_loss_coefficient : float
        Loss coefficient of the line entrance (0.5 sharp-edged).

    Returns
    -------
    float
        Mass flow, kg/s (0 if the driving pressure is not positive).

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-4.
    """
    rho = require_positive("density_kg_m3", density_kg_m3, "kg/m^3")
    mu = require_positive("viscosity_pa_s", viscosity_pa_s, "Pa s")
    dp = require_finite("driving_pressure_pa", driving_pressure_pa, "Pa")
    cd = check_discharge_coefficient(discharge_coefficient)
    k_in = require_non_negative("entrance_loss_coefficient", entrance_loss_coefficient, "")
    area = pipeline.area_m2
    a_r = area if rupture_area_m2 is None else rupture_area_m2
    if dp <= 0:
        return 0.0
    d = pipeline.inner_diameter_m
    k_exit = (area / (cd * a_r)) ** 2
    rr = pipeline.roughness_m / d

    def excess(u: float) -> float:
        f = float(darcy_friction_factor(max(rho * u * d / mu, 1e-9), rr))
        return 0.5 * rho * u * u * (k_in + f * pipeline.length_m / d + k_exit) - dp

    u_max = math.sqrt(2.0 * dp / (rho * k_exit))
    u = brentq(excess, 1e-9 * u_max, u_max, xtol=1e-12 * u_max, rtol=1e-12)
    return rho * area * float(u)


def _fanno(mach: float, gamma: float) -> float:
    """Fanno parameter f_D L*/D from Mach number ``mach`` to sonic."""
    m2 = mach * mach
    return (1.0 - m2) / (gamma * m2) + (gamma + 1.0) / (2.0 * gamma) * math.log(
        (gamma + 1.0) * m2 / (2.0 + (gamma - 1.0) * m2)
    )


def fanno_mass_flux_kg_m2_s(
    *,
    friction_length: float,
    upstream_pressure_pa: float,
    upstream_temperature_k: float,
    molar_mass_kg_mol: float,
    gamma: float,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
) -> float:
    """Return the steady adiabatic (Fanno) mass flux of an ideal gas from a reservoir via a pipe.

    The gas accelerates isentropically from the reservoir (P_0, T_0) to Mach M_1 at the pipe
    inlet, then flows adiabatically with friction. Choked when the sonic exit pressure is at or
    above ambient: fanno(M_1) = f_D L / D; else the exit is subsonic at ambient pressure and
    fanno(M_1) - fanno(M_2) = f_D L / D (Shapiro 1953; Crowl and Louvar 2011, section 4-5), with
    fanno(M) = (1 - M^2)/(gamma M^2) + (gamma + 1)/(2 gamma) ln((gamma + 1) M^2 /
    (2 + (gamma - 1) M^2)).

    Parameters
    ----------
    friction_length : float
        f_D L / D (Darcy factor times length over diameter), > 0.
    upstream_pressure_pa : float
        Reservoir pressure, Pa; above ambient.
    upstream_temperature_k : float
        Reservoir temperature, K.
    molar_mass_kg_mol : float
        Molar mass, kg/mol.
    gamma : float
        Heat-capacity ratio.
    ambient_pressure_pa : float
        Pressure at the pipe exit, Pa.

    Returns
    -------
    float
        Mass flux in the pipe, kg/(m^2 s).

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Shapiro (1953), The Dynamics and Thermodynamics of Compressible Fluid Flow, ch. 6.
    .. [2] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-5.
    """
    fld = require_positive("friction_length", friction_length, "")
    pa = require_positive("ambient_pressure_pa", ambient_pressure_pa, "Pa")
    p0 = check_pressure_above_ambient("upstream_pressure_pa", upstream_pressure_pa, pa)
    t0 = require_positive("upstream_temperature_k", upstream_temperature_k, "K")
    mm = require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    g = require_positive("gamma", gamma, "")

    def inlet(m1: float) -> tuple[float, float]:
        t1 = t0 / (1.0 + 0.5 * (g - 1.0) * m1 * m1)
        return p0 * (t1 / t0) ** (g / (g - 1.0)), t1

    def pressure_ratio(m1: float, m2: float) -> float:
        return (m1 / m2) * math.sqrt((2.0 + (g - 1.0) * m1 * m1) / (2.0 + (g - 1.0) * m2 * m2))

    m1_choked = brentq(lambda m: _fanno(m, g) - fld, 1e-9, 1.0 - 1e-15, xtol=1e-15)
    p1, t1 = inlet(m1_choked)
    m1 = m1_choked
    if p1 * pressure_ratio(m1_choked, 1.0) < pa:

        def exit_mach(m1_: float) -> float:
            p1_, _ = inlet(m1_)
            return float(
                brentq(lambda m2: p1_ * pressure_ratio(m1_, m2) - pa, m1_, 1.0, xtol=1e-15)
            )

        def residual(m1_: float) -> float:
            return _fanno(m1_, g) - _fanno(exit_mach(m1_), g) - fld

        # The inlet pressure must stay above ambient: M_1 below the Mach number at which the
        # isentropic acceleration alone brings the pressure down to P_a.
        m1_ambient = math.sqrt(2.0 / (g - 1.0) * ((p0 / pa) ** ((g - 1.0) / g) - 1.0))
        high = min(m1_choked, m1_ambient * (1.0 - 1e-9))
        m1 = brentq(residual, min(1e-9, 0.5 * high), high, xtol=1e-14)
        p1, t1 = inlet(m1)
    return float(p1 * m1 * math.sqrt(g * mm / (GAS_CONSTANT_J_MOL_K * t1)))


def wilson_time_constant_s(
    *, length_m: float, diameter_m: float, sound_speed_m_s: float, gamma: float, fanning: float
) -> float:
    """Return Wilson's pipeline blowdown time constant beta = (2/3)(L/c_0) sqrt(gamma f L / D).

    Parameters
    ----------
    length_m : float
        Pipe length, m.
    diameter_m : float
        Inner diameter, m.
    sound_speed_m_s : float
        Speed of sound of the gas at line conditions, m/s.
    gamma : float
        Heat-capacity ratio.
    fanning : float
        Fanning friction factor (Darcy / 4).

    Returns
    -------
    float
        beta, s.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Wilson (1981), as given in CCPS (2000), Guidelines for Chemical Process Quantitative
       Risk Analysis, 2nd ed., section 2.1.1.
    """
    length = require_positive("length_m", length_m, "m")
    d = require_positive("diameter_m", diameter_m, "m")
    c0 = require_positive("sound_speed_m_s", sound_speed_m_s, "m/s")
    g = require_positive("gamma", gamma, "")
    f = require_positive("fanning", fanning, "")
    return (2.0 / 3.0) * (length / c0) * math.sqrt(g * f * length / d)


def wilson_blowdown_rate_kg_s(
    t_s: ArrayLike, *, initial_rate_kg_s: float, inventory_kg: float, time_constant_s: float
) -> FloatArray:
    """Return Wilson's double-exponential release rate of a ruptured pipeline.

    Q(t) = Q_0/(1 + alpha) [exp(-t/(alpha^2 beta)) + alpha exp(-t/beta)], alpha = m_0/(Q_0 beta);
    its integral over all time is m_0.

    Parameters
    ----------
    t_s : float or array
        Times since the rupture, s (>= 0).
    initial_rate_kg_s : float
        Q_0, the initial (choked) rate, kg/s.
    inventory_kg : float
        m_0, the gas mass in the line, kg.
    time_constant_s : float
        beta, s (:func:`wilson_time_constant_s`).

    Returns
    -------
    ndarray
        Release rate, kg/s, shape of ``t_s``.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Wilson (1981), as given in CCPS (2000), Guidelines for Chemical Process Quantitative
       Risk Analysis, 2nd ed., section 2.1.1.
    """
    q0 = require_positive("initial_rate_kg_s", initial_rate_kg_s, "kg/s")
    m0 = require_positive("inventory_kg", inventory_kg, "kg")
    beta = require_positive("time_constant_s", time_constant_s, "s")
    alpha = m0 / (q0 * beta)
    t = np.asarray(t_s, dtype=np.float64)
    return np.asarray(
        q0 / (1.0 + alpha) * (np.exp(-t / (alpha * alpha * beta)) + alpha * np.exp(-t / beta))
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PipeRupture:
    """A ruptured line fed from upstream until its isolation valve closes.

    Attributes
    ----------
    substance : str
        Key in the substance library.
    pipeline : Pipeline
        The line between the isolation valve and the rupture.
    upstream_pressure_pa : float
        Pressure of the upstream vessel or pump discharge (and of the line before the rupture),
        absolute, Pa.
    temperature_k : float
        Fluid temperature, K.
    isolation_time_s : float or None
        Time after the rupture at which the feed stops (detection plus valve closure), s; 0: the
        line was isolated from the start; None: never isolated.
    rupture_diameter_m : float or None
        Equivalent rupture diameter, m, at most the line's inner diameter; None: full bore.
    discharge_coefficient : float
        Cd of the rupture (1.0 full bore).
    jet_model : {"birch_1984", "birch_1987", "ewan_moodie_1986"}
        Pseudo-source closure of a gas jet.
    flash_method : {"isenthalpic", "linear", "exponential"}
        Flash-fraction formula of a flashing liquid.
    rainout_model : {"double_flash", "none"}
        Rain-out rule of a flashing liquid.
    release_height_m : float
        Height of the rupture above ground, m.
    max_duration_s : float
        Longest release time followed, s.
    """

    substance: str
    pipeline: Pipeline
    upstream_pressure_pa: float
    temperature_k: float
    isolation_time_s: float | None = None
    rupture_diameter_m: float | None = None
    discharge_coefficient: float = 1.0
    jet_model: JetModel = "birch_1987"
    flash_method: FlashMethod = "isenthalpic"
    rainout_model: RainoutModel = "double_flash"
    release_height_m: float = 1.0
    max_duration_s: float = 3600.0


@dataclass(frozen=True, slots=True)
class _History:
    """Finely resolved outflow history: times, rates and the jumps among them."""

    t_s: FloatArray
    rate_kg_s: FloatArray
    breaks_s: tuple[float, ...]


def _gas_history(
    rupture: PipeRupture, sub: Substance, pa: float, rupture_d: float, t_max: float
) -> tuple[_History, float, float, float]:
    """Outflow of a gas line; also the molar mass, gamma and initial rate."""
    line = rupture.pipeline
    p0 = rupture.upstream_pressure_pa
    t0 = rupture.temperature_k
    mm = float(sub.molar_mass_kg_mol)
    gamma = float(sub.gas_gamma(t0, pa))
    cd = rupture.discharge_coefficient
    area_r = circle_area_m2(rupture_d)
    q0 = float(
        gas_orifice_rate_kg_s(
            area_r,
            p0,
            t0,
            molar_mass_kg_mol=mm,
            gamma=gamma,
            ambient_pressure_pa=pa,
            discharge_coefficient=cd,
        )
    )
    m0 = float(ideal_gas_density_kg_m3(p0, t0, mm)) * line.area_m2 * line.length_m
    mu = float(sub.gas_viscosity_pa_s(t0, p0))
    reynolds = q0 / area_r * rupture_d / mu
    darcy = float(darcy_friction_factor(reynolds, line.roughness_m / line.inner_diameter_m))
    c0 = float(sound_speed_m_s(t0, mm, gamma))
    beta = wilson_time_constant_s(
        length_m=line.length_m,
        diameter_m=line.inner_diameter_m,
        sound_speed_m_s=c0,
        gamma=gamma,
        fanning=darcy / 4.0,
    )
    t_iso = rupture.isolation_time_s
    fed_rate = 0.0
    if t_iso is None or t_iso > 0:
        fanno_flux = fanno_mass_flux_kg_m2_s(
            friction_length=darcy * line.length_m / line.inner_diameter_m,
            upstream_pressure_pa=p0,
            upstream_temperature_k=t0,
            molar_mass_kg_mol=mm,
            gamma=gamma,
            ambient_pressure_pa=pa,
        )
        fed_rate = min(fanno_flux * line.area_m2, q0)

    def wilson_tail(q_start: float, m_start: float) -> float:
        alpha = m_start / (q_start * beta)
        return -math.log(_WILSON_RESIDUAL_FRACTION) * max(alpha * alpha * beta, beta)

    if t_iso is None or t_iso >= t_max:
        t = _fine_grid(t_max)
        rate = np.maximum(
            wilson_blowdown_rate_kg_s(
                t, initial_rate_kg_s=q0, inventory_kg=m0, time_constant_s=beta
            ),
            fed_rate,
        )
        return _History(t, rate, ()), mm, gamma, q0
    if t_iso == 0:
        t_end = min(t_max, wilson_tail(q0, m0))
        t = _fine_grid(t_end)
        rate = wilson_blowdown_rate_kg_s(
            t, initial_rate_kg_s=q0, inventory_kg=m0, time_constant_s=beta
        )
        return _History(t, rate, ()), mm, gamma, q0
    # Fed until isolation: the line loses only what Wilson's decay releases above the feed.
    t_fed = _fine_grid(t_iso)
    w_fed = wilson_blowdown_rate_kg_s(
        t_fed, initial_rate_kg_s=q0, inventory_kg=m0, time_constant_s=beta
    )
    q_iso = max(float(w_fed[-1]), fed_rate)
    excess = np.maximum(w_fed - fed_rate, 0.0)
    m_iso = m0 - float(np.trapezoid(excess, t_fed))
    t_end = min(t_max, t_iso + wilson_tail(q_iso, m_iso))
    t = np.unique(np.concatenate((t_fed, t_iso + _fine_grid(t_end - t_iso))))
    before = np.maximum(
        wilson_blowdown_rate_kg_s(t, initial_rate_kg_s=q0, inventory_kg=m0, time_constant_s=beta),
        fed_rate,
    )
    after = wilson_blowdown_rate_kg_s(
        np.maximum(t - t_iso, 0.0),
        initial_rate_kg_s=q_iso,
        inventory_kg=m_iso,
        time_constant_s=beta,
    )
    rate = np.where(t <= t_iso, before, after)
    return _History(t, rate, ()), mm, gamma, q0


def _fine_grid(t_end_s: float) -> FloatArray:
    """Dense times on [0, t_end]: uniform plus geometric near 0 (fast early decays)."""
    return np.unique(
        np.concatenate(
            (np.linspace(0.0, t_end_s, 2001), np.geomspace(t_end_s * 1e-7, t_end_s, 400), [0.0])
        )
    )


def _liquid_history(
    rupture: PipeRupture, sub: Substance, pa: float, rupture_d: float, t_max: float
) -> tuple[_History, float]:
    """Outflow of a liquid line; also the liquid density."""
    line = rupture.pipeline
    t0 = rupture.temperature_k
    rho = float(sub.liquid_density_kg_m3(t0))
    mu = float(sub.liquid_viscosity_pa_s(t0))
    area_r = circle_area_m2(rupture_d)
    dz = line.elevation_drop_m
    fed = liquid_line_rate_kg_s(
        line,
        driving_pressure_pa=rupture.upstream_pressure_pa - pa + rho * GRAVITY_M_S2 * dz,
        density_kg_m3=rho,
        viscosity_pa_s=mu,
        rupture_area_m2=area_r,
        discharge_coefficient=rupture.discharge_coefficient,
    )
    t_iso = rupture.isolation_time_s
    if t_iso is not None and t_iso >= t_max:
        t_iso = None
    if t_iso is None:
        return _History(np.array([0.0, t_max]), np.full(2, fed), ()), rho
    if dz <= 0:
        if t_iso <= 0:
            raise InvalidInputError(
                "isolation_time_s = 0 s with a liquid line that does not fall towards the rupture "
                + "(elevation_drop_m <= 0): nothing drains, so there is no release to model"
            )
        return _History(np.array([0.0, t_iso]), np.full(2, fed), ()), rho

    # Gravity drain of the isolated column: a sloping pipe of length L falling dz behaves as a
    # vertical "tank" of height dz and plan area A L / dz emptying through the line.
    pseudo_tank = Tank(
        shape="vertical_cylinder",
        diameter_m=math.sqrt(4.0 * line.area_m2 * line.length_m / (math.pi * dz)),
        length_m=dz,
    )

    def drain_rate(head_m: FloatArray) -> FloatArray:
        column_m = np.maximum(head_m, 0.0) * line.length_m / dz
        shortened = [
            liquid_line_rate_kg_s(
                Pipeline(
                    inner_diameter_m=line.inner_diameter_m,
                    length_m=max(float(c), 1e-9 * line.length_m),
                    roughness_m=line.roughness_m,
                ),
                driving_pressure_pa=rho * GRAVITY_M_S2 * float(h),
                density_kg_m3=rho,
                viscosity_pa_s=mu,
                rupture_area_m2=area_r,
                discharge_coefficient=rupture.discharge_coefficient,
                entrance_loss_coefficient=0.0,
            )
            for c, h in zip(column_m, head_m, strict=True)
        ]
        return np.asarray(shortened, dtype=np.float64)

    t_drain, head = drain_history(
        tank=pseudo_tank,
        initial_level_m=dz,
        hole_height_m=0.0,
        density_kg_m3=rho,
        rate_of_head_kg_s=drain_rate,
        n_fine=201,
    )
    if t_iso <= 0:
        t_after, head = clip_history(t_drain, head, t_max)
        return _History(t_after, drain_rate(head), ()), rho
    # The rate jumps from the fed value to the gravity-drain value over JUMP_GAP_S at t_iso.
    t_after, head = clip_history(t_iso + JUMP_GAP_S + t_drain, head, t_max)
    t = np.concatenate(([0.0, t_iso], t_after))
    rate = np.concatenate(([fed, fed], drain_rate(head)))
    return _History(t, rate, (t_iso,)), rho


def _resample(history: _History, n_samples: int) -> tuple[FloatArray, FloatArray]:
    """Rows of the source term picked along a fine history, rates interpolated."""
    t = sample_times(history.t_s, history.rate_kg_s, n_samples, breaks_s=history.breaks_s)
    return t, np.interp(t, history.t_s, history.rate_kg_s)


def release(
    rupture: PipeRupture,
    *,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    n_samples: int = DEFAULT_SAMPLES,
) -> SourceTerm:
    """Return the source term of a ruptured line fed until its isolation valve closes.

    Parameters
    ----------
    rupture : PipeRupture
        The line, its fluid, the rupture and the isolation time.
    ambient_pressure_pa : float
        Air pressure at the rupture, Pa.
    n_samples : int
        Number of rows of the source term (3 to 10,000).

    Returns
    -------
    SourceTerm
        Model ``"pipe_rupture"``; phase ``"gas"``, ``"liquid"`` or ``"two-phase"`` from the line
        state (:func:`solvers.source.registry.storage_phase`).

    Raises
    ------
    InvalidInputError
        If the substance is unknown, the pressure is not above ambient, the rupture is larger than
        the line, or another input is out of range.
    ConvergenceError
        If a friction or Fanno solution fails.

    References
    ----------
    .. [1] Wilson (1981), in CCPS (2000), Guidelines for CPQRA, 2nd ed., section 2.1.1.
    .. [2] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., sections 4-4 and 4-5.
    .. [3] Fauske (1985), Plant/Operations Progress 4(3), 132-134.
    """
    pa = check_ambient_pressure(ambient_pressure_pa)
    n = check_n_samples(n_samples)
    sub = lookup_substance(rupture.substance)
    line = rupture.pipeline
    p0 = check_pressure_above_ambient("upstream_pressure_pa", rupture.upstream_pressure_pa, pa)
    t0 = require_positive("temperature_k", rupture.temperature_k, "K")
    rupture_d = (
        line.inner_diameter_m
        if rupture.rupture_diameter_m is None
        else check_hole_diameter(
            rupture.rupture_diameter_m, line.inner_diameter_m, "pipe", name="rupture_diameter_m"
        )
    )
    check_discharge_coefficient(rupture.discharge_coefficient)
    t_max = require_positive("max_duration_s", rupture.max_duration_s, "s")
    if rupture.isolation_time_s is not None:
        require_non_negative("isolation_time_s", rupture.isolation_time_s, "s")
    height = require_finite("release_height_m", rupture.release_height_m, "m")
    fluid = fluid_phase(sub, t0, p0, pa)
    area_r = circle_area_m2(rupture_d)

    if fluid == "gas":
        history, mm, gamma, q0 = _gas_history(rupture, sub, pa, rupture_d, t_max)
        t, rate = _resample(history, n)
        # Choked flow is proportional to the pressure behind the rupture at fixed temperature.
        p_eff = np.maximum(p0 * rate / q0, pa)
        jet = expanded_jet(
            p_eff,
            t0,
            hole_diameter_m=rupture_d,
            molar_mass_kg_mol=mm,
            gamma=gamma,
            ambient_pressure_pa=pa,
            discharge_coefficient=rupture.discharge_coefficient,
            model=rupture.jet_model,
        )
        return single_phase_source_term(
            phase="gas",
            substance=sub.key,
            model="pipe_rupture",
            t_s=t,
            rate_kg_s=rate,
            temperature_k=jet.temperature_k,
            velocity_m_s=jet.velocity_m_s,
            diameter_m=float(jet.diameter_m[0]),
            release_height_m=height,
        )

    if fluid == "liquid":
        history, rho = _liquid_history(rupture, sub, pa, rupture_d, t_max)
        t, rate = _resample(history, n)
        return single_phase_source_term(
            phase="liquid",
            substance=sub.key,
            model="pipe_rupture",
            t_s=t,
            rate_kg_s=rate,
            temperature_k=t0,
            velocity_m_s=rate / (rho * area_r),
            diameter_m=rupture_d,
            release_height_m=height,
        )

    state = flash_state(sub, t0, ambient_pressure_pa=pa, flash_method=rupture.flash_method)
    rho = state.liquid_density_kg_m3

    def flux(pressure_pa: float) -> float:
        return float(
            two_phase_mass_flux_kg_m2_s(
                erm_flux_kg_m2_s=state.erm_flux_kg_m2_s,
                liquid_density_kg_m3=rho,
                saturation_pressure_pa=state.saturation_pressure_pa,
                hole_pressure_pa=pressure_pa,
                ambient_pressure_pa=pa,
                discharge_length_m=line.length_m,
                discharge_coefficient=rupture.discharge_coefficient,
            )
        )

    friction_limited = liquid_line_rate_kg_s(
        line,
        driving_pressure_pa=p0 - pa + rho * GRAVITY_M_S2 * line.elevation_drop_m,
        density_kg_m3=rho,
        viscosity_pa_s=float(sub.liquid_viscosity_pa_s(t0)),
        rupture_area_m2=area_r,
        discharge_coefficient=rupture.discharge_coefficient,
    )
    fed = min(flux(p0) * area_r, friction_limited)
    drain = flux(state.saturation_pressure_pa) * area_r
    t_iso = rupture.isolation_time_s
    if t_iso is None or t_iso >= t_max:
        history = _History(np.array([0.0, t_max]), np.full(2, fed), ())
    else:
        t_empty = t_iso + rho * line.area_m2 * line.length_m / drain
        t_stop = min(t_empty, t_max)
        if t_iso <= 0:
            history = _History(np.array([0.0, t_stop]), np.full(2, drain), ())
        else:
            history = _History(
                np.array([0.0, t_iso, t_iso + JUMP_GAP_S, max(t_stop, t_iso + 2 * JUMP_GAP_S)]),
                np.array([fed, fed, drain, drain]),
                (t_iso,),
            )
    t, rate = _resample(history, n)
    return two_phase_source_term(
        t,
        rate,
        state=state,
        hole_area_m2=area_r,
        rainout_model=rupture.rainout_model,
        ambient_pressure_pa=pa,
        substance=sub.key,
        model="pipe_rupture",
        release_height_m=height,
    )
