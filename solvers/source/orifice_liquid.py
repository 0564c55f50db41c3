"""Liquid discharge through a hole in a tank, with the liquid level falling as the tank drains.

Model: quasi-steady Bernoulli flow through an orifice (Crowl and Louvar 2011, section 4-2),

    Q = Cd A sqrt(2 rho (P_top - P_a + rho g h)),

with h the liquid height above the hole and P_top the (constant) gas pressure above the liquid:
an open or vented tank (P_top = P_a) or a tank padded to a regulated pressure. The level falls as
rho A_tank(level) dlevel/dt = -Q; for a vertical cylinder this has the closed form of Crowl and
Louvar (2011) section 4-3 (the level is quadratic and the rate linear in time), used as the
analytic test; for other shapes the same ODE is integrated numerically. The release stops when
the liquid reaches the hole or at the given maximum duration.

Validity: a liquid that stays liquid through the hole, i.e. stored at or below its boiling point
at ambient pressure (a subcooled liquid, or a refrigerated liquefied gas at atmospheric pressure).
A superheated liquid flashes in the hole; use :mod:`solvers.source.flashing_two_phase`. The jet
does not evaporate on its way down: all the discharge rains out to a pool (airborne rate 0), whose
evaporation is the job of :mod:`solvers.source.pool_spreading`. Hole area much smaller than the
free-surface area (the approach velocity is neglected); constant liquid density; the gas above
the liquid keeps its pressure (no vacuum forms in a closed tank). When a padded tank's liquid
reaches the hole with gas pressure still above ambient, the following gas release is not modelled.

References
----------
.. [1] Crowl, D. A., and Louvar, J. F. (2011). Chemical Process Safety: Fundamentals with
   Applications, 3rd ed. Prentice Hall. Sections 4-2 (flow of liquid through a hole) and 4-3
   (flow of liquid through a hole in a tank), Examples 4-1 and 4-2.
.. [2] TNO (1997). Methods for the calculation of physical effects ("Yellow Book"), CPR 14E,
   3rd ed., chapter 2 (outflow and spray release).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from solvers._checks import require_finite, require_non_negative, require_positive
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
    single_phase_source_term,
)
from solvers.source.source_term import SourceTerm
from solvers.substances.library import substance as lookup_substance

__all__ = [
    "DISCHARGE_COEFFICIENT_ROUNDED",
    "DISCHARGE_COEFFICIENT_SHARP_EDGED",
    "DISCHARGE_COEFFICIENT_SHORT_PIPE",
    "LiquidDrain",
    "LiquidTankLeak",
    "Tank",
    "liquid_orifice_rate_kg_s",
    "release",
    "tank_drain",
    "vertical_tank_drain_time_s",
    "vertical_tank_head_m",
]

#: Sharp-edged orifice at Reynolds numbers above 30,000 (Crowl and Louvar 2011, section 4-2).
DISCHARGE_COEFFICIENT_SHARP_EDGED = 0.61
#: Well-rounded nozzle (Crowl and Louvar 2011, section 4-2).
DISCHARGE_COEFFICIENT_ROUNDED = 1.0
#: Short pipe section attached to a vessel, length >= 3 diameters (Crowl and Louvar 2011, 4-2).
DISCHARGE_COEFFICIENT_SHORT_PIPE = 0.81


def liquid_orifice_rate_kg_s(
    hole_area_m2: ArrayLike,
    density_kg_m3: float,
    pressure_difference_pa: ArrayLike,
    *,
    liquid_head_m: ArrayLike = 0.0,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_EDGED,
) -> FloatArray:
    """Return the liquid mass flow through a hole (Bernoulli orifice equation).

    Q = Cd A sqrt(2 rho (dP + rho g h)), Crowl and Louvar (2011) section 4-2. Broadcasts over the
    array arguments; a non-positive driving pressure gives 0.

    Parameters
    ----------
    hole_area_m2 : float or array
        Hole area, m^2.
    density_kg_m3 : float
        Liquid density, kg/m^3. Must be > 0.
    pressure_difference_pa : float or array
        Gas pressure above the liquid minus ambient pressure, Pa.
    liquid_head_m : float or array
        Liquid height above the hole, m.
    discharge_coefficient : float
        Cd in (0, 1]; 0.61 for a sharp-edged hole.

    Returns
    -------
    ndarray
        Mass flow, kg/s, broadcast shape of the inputs.

    Raises
    ------
    InvalidInputError
        If the density or the discharge coefficient is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-2.

    Examples
    --------
    >>> round(float(liquid_orifice_rate_kg_s(1e-4, 1000.0, 1e5)), 4)
    0.8627
    """
    rho = require_positive("density_kg_m3", density_kg_m3, "kg/m^3")
    cd = check_discharge_coefficient(discharge_coefficient)
    area = np.asarray(hole_area_m2, dtype=np.float64)
    drive = np.asarray(pressure_difference_pa, dtype=np.float64) + rho * GRAVITY_M_S2 * np.asarray(
        liquid_head_m, dtype=np.float64
    )
    return np.asarray(cd * area * np.sqrt(2.0 * rho * np.maximum(drive, 0.0)), dtype=np.float64)


def _drain_constants(
    tank_diameter_m: float,
    hole_diameter_m: float,
    liquid_head_m: float,
    density_kg_m3: float,
    gauge_pressure_pa: float,
    discharge_coefficient: float,
) -> tuple[float, float, float, float]:
    """(k, p, h0, t_e) after checks: k = Cd A / A_tank, p = 2 P_g / rho, t_e the drain time."""
    require_positive("tank_diameter_m", tank_diameter_m, "m")
    check_hole_diameter(hole_diameter_m, tank_diameter_m, "tank")
    rho = require_positive("density_kg_m3", density_kg_m3, "kg/m^3")
    pg = require_non_negative("gauge_pressure_pa", gauge_pressure_pa, "Pa")
    cd = check_discharge_coefficient(discharge_coefficient)
    k = cd * (hole_diameter_m / tank_diameter_m) ** 2
    p = 2.0 * pg / rho
    h0 = require_non_negative("liquid_head_m", liquid_head_m, "m")
    t_end = (math.sqrt(p + 2.0 * GRAVITY_M_S2 * h0) - math.sqrt(p)) / (k * GRAVITY_M_S2)
    return k, p, h0, t_end


def vertical_tank_drain_time_s(
    *,
    tank_diameter_m: float,
    hole_diameter_m: float,
    liquid_head_m: float,
    density_kg_m3: float,
    gauge_pressure_pa: float = 0.0,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_EDGED,
) -> float:
    """Return the time for a vertical cylindrical tank to drain down to the hole (closed form).

    t_e = (A_t / (Cd A g)) [sqrt(2 P_g / rho + 2 g h0) - sqrt(2 P_g / rho)], Crowl and Louvar
    (2011) section 4-3, for a constant gauge pressure P_g above the liquid.

    Parameters
    ----------
    tank_diameter_m : float
        Tank inner diameter, m.
    hole_diameter_m : float
        Hole diameter, m; at most the tank diameter.
    liquid_head_m : float
        Initial liquid height above the hole, m. Must be >= 0.
    density_kg_m3 : float
        Liquid density, kg/m^3.
    gauge_pressure_pa : float
        Constant gas pressure above the liquid minus ambient pressure, Pa. Must be >= 0.
    discharge_coefficient : float
        Cd in (0, 1].

    Returns
    -------
    float
        Drain time, s.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-3.
    """
    return _drain_constants(
        tank_diameter_m,
        hole_diameter_m,
        liquid_head_m,
        density_kg_m3,
        gauge_pressure_pa,
        discharge_coefficient,
    )[3]


def vertical_tank_head_m(
    t_s: ArrayLike,
    *,
    tank_diameter_m: float,
    hole_diameter_m: float,
    liquid_head_m: float,
    density_kg_m3: float,
    gauge_pressure_pa: float = 0.0,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_EDGED,
) -> FloatArray:
    """Return the liquid height above the hole of a draining vertical cylinder (closed form).

    h(t) = h0 - k sqrt(2 P_g / rho + 2 g h0) t + (g / 2) k^2 t^2 with k = Cd A / A_t, up to the
    drain time (Crowl and Louvar 2011, section 4-3); 0 afterwards.

    Parameters
    ----------
    t_s : float or array
        Times since the hole opened, s.
    tank_diameter_m, hole_diameter_m, liquid_head_m, density_kg_m3, gauge_pressure_pa,
    discharge_coefficient
        As for :func:`vertical_tank_drain_time_s`.

    Returns
    -------
    ndarray
        Liquid height above the hole, m, shape of ``t_s``.

    Raises
    ------
    InvalidInputError
        If an input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., section 4-3.
    """
    k, p, h0, t_end = _drain_constants(
        tank_diameter_m,
        hole_diameter_m,
        liquid_head_m,
        density_kg_m3,
        gauge_pressure_pa,
        discharge_coefficient,
    )
    t = np.clip(np.asarray(t_s, dtype=np.float64), 0.0, t_end)
    head = h0 - k * math.sqrt(p + 2.0 * GRAVITY_M_S2 * h0) * t + 0.5 * GRAVITY_M_S2 * k * k * t * t
    return np.asarray(np.maximum(head, 0.0), dtype=np.float64)


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidDrain:
    """History of a liquid draining from a tank through a hole.

    Attributes
    ----------
    t_s : (n,) float
        Times since the hole opened, s; first 0, last the end of the release.
    head_m : (n,) float
        Liquid height above the hole, m.
    rate_kg_s : (n,) float
        Mass flow through the hole, kg/s.
    velocity_m_s : (n,) float
        Mean velocity through the hole area, rate / (rho A), m/s.
    is_drained : bool
        Whether the liquid reached the hole before the maximum duration.
    drained_mass_kg : float
        Liquid mass that left the tank by the last time (from the level drop), kg.
    """

    t_s: FloatArray
    head_m: FloatArray
    rate_kg_s: FloatArray
    velocity_m_s: FloatArray
    is_drained: bool
    drained_mass_kg: float


def tank_drain(
    tank: Tank,
    *,
    liquid_level_m: float,
    hole_height_m: float,
    hole_diameter_m: float,
    density_kg_m3: float,
    gauge_pressure_pa: float = 0.0,
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_EDGED,
    max_duration_s: float = 3600.0,
    n_samples: int = DEFAULT_SAMPLES,
) -> LiquidDrain:
    """Return the drain history of a tank of any shape through a hole (numerical integration).

    Integrates rho A_tank(level) dlevel/dt = -Q(level - h_hole) with Q from
    :func:`liquid_orifice_rate_kg_s` until the liquid reaches the hole or ``max_duration_s``;
    the quadrature used is exact for the ODE up to ~1e-8 relative error.

    Parameters
    ----------
    tank : Tank
        Tank geometry.
    liquid_level_m : float
        Initial liquid level above the tank bottom, m; at most the tank height.
    hole_height_m : float
        Height of the hole above the tank bottom, m; below the liquid level.
    hole_diameter_m : float
        Hole diameter, m; at most the tank diameter.
    density_kg_m3 : float
        Liquid density, kg/m^3.
    gauge_pressure_pa : float
        Constant gas pressure above the liquid minus ambient pressure, Pa (>= 0).
    discharge_coefficient : float
        Cd in (0, 1].
    max_duration_s : float
        Longest release time followed, s.
    n_samples : int
        Number of rows of the history (3 to 10,000).

    Returns
    -------
    LiquidDrain
        The sampled history.

    Raises
    ------
    InvalidInputError
        If an input is out of range, e.g. the hole above the liquid or larger than the tank.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., sections 4-2 and 4-3.
    """
    hole_d = check_hole_diameter(hole_diameter_m, tank.diameter_m, "tank")
    rho = require_positive("density_kg_m3", density_kg_m3, "kg/m^3")
    pg = require_non_negative("gauge_pressure_pa", gauge_pressure_pa, "Pa")
    cd = check_discharge_coefficient(discharge_coefficient)
    t_max = require_positive("max_duration_s", max_duration_s, "s")
    n = check_n_samples(n_samples)
    level, h_hole = check_liquid_levels(tank, liquid_level_m, hole_height_m)
    area = circle_area_m2(hole_d)

    def rate_of_head(head_m: FloatArray) -> FloatArray:
        return liquid_orifice_rate_kg_s(
            area, rho, pg, liquid_head_m=head_m, discharge_coefficient=cd
        )

    t_fine, head_fine = drain_history(
        tank=tank,
        initial_level_m=level,
        hole_height_m=h_hole,
        density_kg_m3=rho,
        rate_of_head_kg_s=rate_of_head,
    )
    is_drained = bool(t_fine[-1] <= t_max)
    t_fine, head_fine = clip_history(t_fine, head_fine, t_max)
    t = sample_times(t_fine, rate_of_head(head_fine), n)
    head = np.interp(t, t_fine, head_fine)
    if is_drained:
        head[-1] = 0.0
    rate = rate_of_head(head)
    drained = float(rho * (tank.liquid_volume_m3(level) - tank.liquid_volume_m3(h_hole + head[-1])))
    return LiquidDrain(
        t_s=t,
        head_m=head,
        rate_kg_s=rate,
        velocity_m_s=rate / (rho * area),
        is_drained=is_drained,
        drained_mass_kg=drained,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidTankLeak:
    """A hole below the liquid level of a tank holding a liquid at or below its boiling point.

    Attributes
    ----------
    substance : str
        Key in the substance library, e.g. ``"lng"`` or ``"ammonia"``.
    tank : Tank
        Tank geometry.
    liquid_level_m : float
        Liquid level above the tank bottom when the hole opens, m.
    temperature_k : float
        Liquid temperature, K; at most the boiling point at ambient pressure.
    hole_diameter_m : float
        Equivalent hole diameter, m.
    hole_height_m : float
        Height of the hole above the tank bottom, m.
    vessel_pressure_pa : float
        Absolute gas pressure above the liquid, Pa, held constant (vented or padded tank).
    discharge_coefficient : float
        Cd; 0.61 sharp-edged hole, 0.81 short pipe stub, 1.0 rounded nozzle.
    release_height_m : float or None
        Height of the hole above ground, m; None: tank base elevation plus hole height.
    max_duration_s : float
        Longest release time followed, s.
    """

    substance: str
    tank: Tank
    liquid_level_m: float
    temperature_k: float
    hole_diameter_m: float
    hole_height_m: float = 0.0
    vessel_pressure_pa: float = STANDARD_PRESSURE_PA
    discharge_coefficient: float = DISCHARGE_COEFFICIENT_SHARP_EDGED
    release_height_m: float | None = None
    max_duration_s: float = 3600.0


def release(
    leak: LiquidTankLeak,
    *,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    n_samples: int = DEFAULT_SAMPLES,
) -> SourceTerm:
    """Return the source term of a liquid leaking from a tank as its level falls.

    Parameters
    ----------
    leak : LiquidTankLeak
        The tank, its liquid and the hole.
    ambient_pressure_pa : float
        Air pressure outside the hole, Pa.
    n_samples : int
        Number of rows of the source term (3 to 10,000).

    Returns
    -------
    SourceTerm
        Model ``"orifice_liquid"``, phase ``"liquid"``: the whole discharge rains out (airborne
        rate 0) at the liquid temperature; velocity is the mean velocity through the hole.

    Raises
    ------
    InvalidInputError
        If the substance is unknown, the liquid is superheated at ambient pressure (use
        :mod:`solvers.source.flashing_two_phase`), the vessel pressure is below ambient, or a
        geometric input is out of range.

    References
    ----------
    .. [1] Crowl and Louvar (2011), Chemical Process Safety, 3rd ed., sections 4-2 and 4-3.
    """
    pa = check_ambient_pressure(ambient_pressure_pa)
    sub = lookup_substance(leak.substance)
    temperature = require_positive("temperature_k", leak.temperature_k, "K")
    boiling_k = float(sub.saturation_temperature_k(pa))
    if temperature > boiling_k + SUPERHEAT_TOLERANCE_K:
        raise InvalidInputError(
            f"temperature_k = {leak.temperature_k!r} K: {sub.key} boils at {boiling_k:.2f} K at "
            + f"the ambient pressure {pa:g} Pa, so this liquid flashes; use "
            + "solvers.source.flashing_two_phase (or keep temperature_k <= the boiling point)"
        )
    p_top = require_positive("vessel_pressure_pa", leak.vessel_pressure_pa, "Pa")
    if p_top < pa:
        raise InvalidInputError(
            f"vessel_pressure_pa = {leak.vessel_pressure_pa!r} Pa: must be >= the ambient "
            + f"pressure {pa:g} Pa (absolute)"
        )
    rho = float(sub.liquid_density_kg_m3(temperature))
    drain = tank_drain(
        leak.tank,
        liquid_level_m=leak.liquid_level_m,
        hole_height_m=leak.hole_height_m,
        hole_diameter_m=leak.hole_diameter_m,
        density_kg_m3=rho,
        gauge_pressure_pa=p_top - pa,
        discharge_coefficient=leak.discharge_coefficient,
        max_duration_s=leak.max_duration_s,
        n_samples=n_samples,
    )
    height = (
        leak.tank.base_elevation_m + leak.hole_height_m
        if leak.release_height_m is None
        else require_finite("release_height_m", leak.release_height_m, "m")
    )
    return single_phase_source_term(
        phase="liquid",
        substance=sub.key,
        model="orifice_liquid",
        t_s=drain.t_s,
        rate_kg_s=drain.rate_kg_s,
        temperature_k=temperature,
        velocity_m_s=drain.velocity_m_s,
        diameter_m=leak.hole_diameter_m,
        release_height_m=height,
    )
