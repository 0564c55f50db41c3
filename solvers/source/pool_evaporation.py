"""Heat and mass transfer into and out of a liquid pool: the evaporation half of the pool model.

The pool model (:mod:`solvers.source.pool_spreading`) integrates the pool's size, mass and
temperature; this module supplies the fluxes it needs, each a published correlation or a closed
form, evaluated without state:

* heat conducted from the ground (a semi-infinite solid suddenly brought to the pool temperature,
  Carslaw & Jaeger 1959, ch. 2): ``q = k (T_g - T_p) / sqrt(pi alpha t)``, ground properties by
  surface type (:data:`GROUND_THERMAL_PROPERTIES`);
* the same kernel ``t**-1/2`` written as a sum of decaying exponentials
  (:func:`inverse_sqrt_exponential_sum`), which turns the conduction from a spreading pool, whose
  every ring was wetted at a different time, into a set of linear ordinary differential equations;
* heat from water under a boiling cryogen: a constant film-boiling flux
  (:data:`LNG_ON_WATER_HEAT_FLUX_W_M2`);
* heat from the air by forced convection over the pool (turbulent flat plate) and net long-wave
  radiation exchange with the surroundings; absorbed solar radiation is an input;
* evaporation of a liquid below its boiling point by mass transfer into the wind: the MacKay &
  Matsugu (1973) coefficient (the Yellow Book's choice for non-boiling pools, CPR 14E, 3rd ed.,
  1997, ch. 3) with the high-vapour-pressure correction ``-(P_a/P_v) ln(1 - P_v/P_a)`` of
  Brighton (1985).

Validity: neutral atmosphere, a pool of a pure liquid (or a mixture treated as one component),
wind speeds of about 1 to 10 m/s for MacKay & Matsugu, one-dimensional vertical conduction in the
ground (no lateral conduction, no percolation, no ice or frost layer).

References
----------
.. [1] H. S. Carslaw, J. C. Jaeger, *Conduction of Heat in Solids*, 2nd ed., Oxford, 1959, ch. 2.
.. [2] D. MacKay, R. S. Matsugu, "Evaporation rates of liquid hydrocarbon spills on land and
   water", Can. J. Chem. Eng. 51 (1973) 434-439.
.. [3] TNO, *Methods for the calculation of physical effects* ("Yellow Book"), CPR 14E, 3rd ed.,
   1997, ch. 3 "Pool evaporation".
.. [4] F. P. Incropera, D. P. DeWitt, *Fundamentals of Heat and Mass Transfer*, 5th ed., Wiley,
   2002, ch. 7 (average Nusselt number of a turbulent flat plate) and Tables A.4, A.11.
.. [5] F. Briscoe, P. Shaw, "Spread and evaporation of liquid", Prog. Energy Combust. Sci. 6 (1980)
   127-140.
.. [6] J. A. Hissong, "Keys to modeling LNG spills on water", Journal of Hazardous Materials
   140 (2007) 465-477.
.. [7] A. Luketa-Hanlin, "A review of large-scale LNG spills: experiments and modeling",
   Journal of Hazardous Materials 132 (2006) 119-140.
.. [8] P. W. M. Brighton, "Evaporation from a plane liquid surface into a turbulent boundary
   layer", J. Fluid Mech. 159 (1985) 323-345.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers._checks import require_non_negative, require_positive

__all__ = [
    "AIR_KINEMATIC_VISCOSITY_M2_S",
    "GAS_CONSTANT_J_MOL_K",
    "GROUND_THERMAL_PROPERTIES",
    "LNG_ON_WATER_HEAT_FLUX_W_M2",
    "GroundThermal",
    "air_heat_transfer_coefficient_w_m2_k",
    "evaporation_mass_flux_kg_m2_s",
    "ground_heat_flux_w_m2",
    "inverse_sqrt_exponential_sum",
    "longwave_net_flux_w_m2",
    "mackay_matsugu_mass_transfer_coefficient_m_s",
]

#: Molar gas constant, J/(mol K) (CODATA 2018, exact).
GAS_CONSTANT_J_MOL_K = 8.314462618

#: Stefan-Boltzmann constant, W/(m^2 K^4) (CODATA 2018).
_STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8

#: Long-wave emissivity of a liquid pool surface; 0.95 is the usual value for water and organic
#: liquids (Incropera & DeWitt 2002, Table A.11, water 0.95-0.96).
_POOL_EMISSIVITY = 0.95

#: MacKay & Matsugu (1973) coefficient 0.0292 for K in m/h with the wind in m/h and the pool
#: size in m: K = 0.0292 U^0.78 X^-0.11 Sc^-0.67.
_MACKAY_MATSUGU_COEFFICIENT_M_H = 0.0292
_MACKAY_MATSUGU_WIND_EXPONENT = 0.78
_MACKAY_MATSUGU_SIZE_EXPONENT = -0.11
_MACKAY_MATSUGU_SCHMIDT_EXPONENT = -0.67
#: The same coefficient for K in m/s with the wind in m/s: 0.0292 * 3600**(0.78 - 1).
_MACKAY_MATSUGU_COEFFICIENT_SI = _MACKAY_MATSUGU_COEFFICIENT_M_H * 3600.0 ** (
    _MACKAY_MATSUGU_WIND_EXPONENT - 1.0
)

#: Largest vapour-to-ambient pressure ratio used in the high-vapour-pressure correction
#: -(P_a/P_v) ln(1 - P_v/P_a) (Brighton 1985), which diverges at 1; at 0.98 it is 3.99. Closer
#: to the boiling point the pool model treats the pool as boiling (heat-limited).
_MAX_VAPOUR_PRESSURE_RATIO = 0.98

#: Air at 288 K and 1 atm for the convective heat transfer to the pool: thermal conductivity
#: W/(m K), kinematic viscosity m^2/s (also used for the Schmidt number), Prandtl number
#: (Incropera & DeWitt 2002, Table A.4).
_AIR_CONDUCTIVITY_W_M_K = 0.0253
AIR_KINEMATIC_VISCOSITY_M2_S = 1.48e-5
_AIR_PRANDTL = 0.71
#: Average Nusselt number over a turbulent flat plate, Nu = 0.037 Re^0.8 Pr^(1/3)
#: (Incropera & DeWitt 2002, ch. 7).
_TURBULENT_PLATE_NUSSELT_COEFFICIENT = 0.037

#: Heat flux from water into a spreading pool of boiling LNG (film boiling), W/m^2: a constant
#: of the size discussed for LNG on water by Hissong (2007) and in the review of Luketa-Hanlin
#: (2006); the exact value is a modelling choice (override with
#: ``PoolSurface.water_heat_flux_w_m2``).
LNG_ON_WATER_HEAT_FLUX_W_M2 = 85_000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class GroundThermal:
    """Thermal properties of the ground under a pool.

    Attributes
    ----------
    conductivity_w_m_k : float
        Thermal conductivity, W/(m K).
    diffusivity_m2_s : float
        Thermal diffusivity, m^2/s.
    source : str
        Where the values come from.
    """

    conductivity_w_m_k: float
    diffusivity_m2_s: float
    source: str

    def __post_init__(self) -> None:
        require_positive("conductivity_w_m_k", self.conductivity_w_m_k, "W/(m K)")
        require_positive("diffusivity_m2_s", self.diffusivity_m2_s, "m^2/s")

    @property
    def conduction_factor_w_m2_k_s05(self) -> float:
        """``k / sqrt(pi alpha)``, W s^0.5/(m^2 K): flux = factor * dT / sqrt(t)."""
        return self.conductivity_w_m_k / math.sqrt(math.pi * self.diffusivity_m2_s)


_YELLOW_BOOK_SUBSOILS = "TNO Yellow Book CPR 14E (1997), ch. 3, table of subsoil properties"

#: Ground thermal properties by surface type. The concrete and soil rows are the subsoil values
#: of the Yellow Book table (conductivity; diffusivity = k / (rho c)), as commonly quoted from
#: it (not re-checked against the printed edition); the insulating concrete row is an estimate
#: for a lightweight bund-floor concrete (k 0.21 W/(m K), rho 900 kg/m^3, c 1000 J/(kg K)).
GROUND_THERMAL_PROPERTIES: dict[str, GroundThermal] = {
    "concrete": GroundThermal(
        conductivity_w_m_k=1.1, diffusivity_m2_s=5.0e-7, source=_YELLOW_BOOK_SUBSOILS
    ),
    "soil_average": GroundThermal(
        conductivity_w_m_k=0.9, diffusivity_m2_s=4.3e-7, source=_YELLOW_BOOK_SUBSOILS
    ),
    "sand_dry": GroundThermal(
        conductivity_w_m_k=0.3, diffusivity_m2_s=2.3e-7, source=_YELLOW_BOOK_SUBSOILS
    ),
    "sand_moist": GroundThermal(
        conductivity_w_m_k=0.6, diffusivity_m2_s=3.3e-7, source=_YELLOW_BOOK_SUBSOILS
    ),
    "insulating_concrete": GroundThermal(
        conductivity_w_m_k=0.21,
        diffusivity_m2_s=2.3e-7,
        source="estimate for lightweight insulating concrete (rho 900 kg/m^3)",
    ),
}


def ground_heat_flux_w_m2(
    ground: GroundThermal, temperature_difference_k: ArrayLike, time_since_wetting_s: ArrayLike
) -> NDArray[np.float64]:
    """Return the heat flux conducted from the ground into a pool that wetted it ``t`` ago.

    The ground is a semi-infinite solid at ``T_g`` whose surface is held at the pool temperature
    from the moment of wetting: ``q = k (T_g - T_p) / sqrt(pi alpha t)`` (Carslaw & Jaeger 1959,
    ch. 2; Yellow Book CPR 14E, ch. 3). Perfect thermal contact is assumed (no vapour film).

    Parameters
    ----------
    ground : GroundThermal
        Ground properties.
    temperature_difference_k : float or array
        Ground minus pool temperature, K.
    time_since_wetting_s : float or array
        Time since the pool covered the ground, s. Must be > 0.

    Returns
    -------
    ndarray
        Heat flux into the pool, W/m^2 (broadcast shape of the inputs).

    Raises
    ------
    InvalidInputError
        If a time is not > 0.
    """
    t = np.asarray(time_since_wetting_s, dtype=np.float64)
    if not np.all(np.isfinite(t) & (t > 0)):
        require_positive("time_since_wetting_s", float(np.min(t)), "s")
    dt = np.asarray(temperature_difference_k, dtype=np.float64)
    return np.asarray(ground.conduction_factor_w_m2_k_s05 * dt / np.sqrt(t), dtype=np.float64)


def inverse_sqrt_exponential_sum(
    horizon_s: float,
    *,
    fastest_rate_1_s: float = 1.0e5,
    node_spacing: float = 0.7,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return rates and weights with ``t**-0.5 ~= sum(w * exp(-u t))`` for ``t`` up to the horizon.

    From ``t**-0.5 = pi**-0.5 * integral_0^inf u**-0.5 exp(-u t) du`` with ``u = exp(x)``,
    discretised by the trapezoidal rule in ``x``, which converges geometrically for this
    integrand. The slowest rate is ``1e-10 / horizon_s`` (relative error about 1e-5 at the
    horizon); the fastest sets the smallest time resolved, about ``50 / fastest_rate_1_s``.
    Below that the sum stays finite, so an integral of it over ``[0, t]`` misses about
    ``2 / sqrt(pi * fastest_rate_1_s)`` s^0.5 of the exact ``2 sqrt(t)``.

    Parameters
    ----------
    horizon_s : float
        Longest time the sum must represent, s. Must be > 0.
    fastest_rate_1_s : float
        Largest decay rate, 1/s. Must be > 0.
    node_spacing : float
        Spacing of the nodes in ``ln u``; 0.7 gives a relative error below 1e-6 from the
        discretisation.

    Returns
    -------
    rates_1_s : (m,) ndarray
        Decay rates ``u``, 1/s.
    weights_1_s05 : (m,) ndarray
        Weights ``w``, s^-0.5 (the sum has the unit of ``t**-0.5``).

    Raises
    ------
    InvalidInputError
        If an argument is not positive.
    """
    require_positive("horizon_s", horizon_s, "s")
    require_positive("fastest_rate_1_s", fastest_rate_1_s, "1/s")
    require_positive("node_spacing", node_spacing, "")
    x = np.arange(math.log(1.0e-10 / horizon_s), math.log(fastest_rate_1_s), node_spacing)
    rates = np.exp(x)
    weights = node_spacing * np.exp(0.5 * x) / math.sqrt(math.pi)
    return rates, weights


def mackay_matsugu_mass_transfer_coefficient_m_s(
    wind_speed_10m_m_s: ArrayLike, pool_diameter_m: ArrayLike, schmidt_number: ArrayLike
) -> NDArray[np.float64]:
    """Return the MacKay & Matsugu (1973) mass-transfer coefficient for a pool, m/s.

    ``k_m = C u10^0.78 D^-0.11 Sc^-0.67`` with ``C = 0.0292 * 3600**-0.22`` (the published
    coefficient 0.0292 for k in m/h and the wind in m/h, converted to SI). Fitted to the
    evaporation of cumene and water pools (wind about 1-10 m/s, pools of about 1-10 m); the
    Yellow Book (CPR 14E, ch. 3) uses it for non-boiling pools.

    Parameters
    ----------
    wind_speed_10m_m_s : float or array
        Wind speed at 10 m, m/s. Must be > 0.
    pool_diameter_m : float or array
        Pool diameter (the along-wind size), m. Must be > 0.
    schmidt_number : float or array
        Schmidt number of the vapour in air, ``nu_air / D``. Must be > 0.

    Returns
    -------
    ndarray
        Mass-transfer coefficient, m/s.

    Raises
    ------
    InvalidInputError
        If an input is not > 0.

    Examples
    --------
    The SI form agrees with the published m/h form:

    >>> k_si = float(mackay_matsugu_mass_transfer_coefficient_m_s(5.0, 10.0, 1.5))
    >>> k_m_h = 0.0292 * (5.0 * 3600) ** 0.78 * 10.0**-0.11 * 1.5**-0.67
    >>> abs(k_si * 3600 / k_m_h - 1) < 1e-12
    True
    """
    u = np.asarray(wind_speed_10m_m_s, dtype=np.float64)
    d = np.asarray(pool_diameter_m, dtype=np.float64)
    sc = np.asarray(schmidt_number, dtype=np.float64)
    for name, arr, unit in (
        ("wind_speed_10m_m_s", u, "m/s"),
        ("pool_diameter_m", d, "m"),
        ("schmidt_number", sc, ""),
    ):
        if not np.all(np.isfinite(arr) & (arr > 0)):
            require_positive(name, float(np.min(arr)), unit)
    k = (
        _MACKAY_MATSUGU_COEFFICIENT_SI
        * u**_MACKAY_MATSUGU_WIND_EXPONENT
        * d**_MACKAY_MATSUGU_SIZE_EXPONENT
        * sc**_MACKAY_MATSUGU_SCHMIDT_EXPONENT
    )
    return np.asarray(k, dtype=np.float64)


def evaporation_mass_flux_kg_m2_s(
    mass_transfer_coefficient_m_s: ArrayLike,
    vapour_pressure_pa: ArrayLike,
    *,
    ambient_pressure_pa: float,
    temperature_k: ArrayLike,
    molar_mass_kg_mol: float,
) -> NDArray[np.float64]:
    """Return the evaporation mass flux of a non-boiling pool into clean air, kg/(m^2 s).

    ``q = k_m (P_v M / (R T)) * f`` with the high-vapour-pressure correction
    ``f = -(P_a / P_v) ln(1 - P_v / P_a)`` (Brighton 1985; f -> 1 as P_v -> 0). The pressure
    ratio is capped at 0.98 (f = 3.99) because f diverges at the boiling point, where the heat
    balance sets the rate instead.

    Parameters
    ----------
    mass_transfer_coefficient_m_s : float or array
        Mass-transfer coefficient, m/s (e.g. :func:`mackay_matsugu_mass_transfer_coefficient_m_s`).
    vapour_pressure_pa : float or array
        Saturation vapour pressure at the pool surface, Pa. Must be >= 0.
    ambient_pressure_pa : float
        Ambient pressure, Pa. Must be > 0.
    temperature_k : float or array
        Pool surface temperature, K. Must be > 0.
    molar_mass_kg_mol : float
        Molar mass of the vapour, kg/mol. Must be > 0.

    Returns
    -------
    ndarray
        Mass flux, kg/(m^2 s).

    Raises
    ------
    InvalidInputError
        If a pressure, temperature or molar mass is out of range.
    """
    require_positive("ambient_pressure_pa", ambient_pressure_pa, "Pa")
    require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    pv = np.asarray(vapour_pressure_pa, dtype=np.float64)
    temp = np.asarray(temperature_k, dtype=np.float64)
    if not np.all(np.isfinite(pv) & (pv >= 0)):
        require_non_negative("vapour_pressure_pa", float(np.min(pv)), "Pa")
    if not np.all(np.isfinite(temp) & (temp > 0)):
        require_positive("temperature_k", float(np.min(temp)), "K")
    ratio = np.minimum(pv / ambient_pressure_pa, _MAX_VAPOUR_PRESSURE_RATIO)
    # -ln(1 - x)/x -> 1 as x -> 0; log1p keeps it accurate for small x.
    safe = np.where(ratio > 1e-12, ratio, 1.0)
    correction = np.where(ratio > 1e-12, -np.log1p(-safe) / safe, 1.0)
    concentration_kg_m3 = (
        ratio * ambient_pressure_pa * molar_mass_kg_mol / (GAS_CONSTANT_J_MOL_K * temp)
    )
    flux = np.asarray(mass_transfer_coefficient_m_s, dtype=np.float64) * concentration_kg_m3
    return np.asarray(flux * correction, dtype=np.float64)


def air_heat_transfer_coefficient_w_m2_k(
    wind_speed_10m_m_s: ArrayLike, pool_diameter_m: ArrayLike
) -> NDArray[np.float64]:
    """Return the forced-convection heat-transfer coefficient from the air to a pool, W/(m^2 K).

    Average over a turbulent flat plate of length ``D``: ``Nu = 0.037 Re^0.8 Pr^(1/3)``,
    ``h = Nu k_air / D`` (Incropera & DeWitt 2002, ch. 7), air at 288 K.

    Parameters
    ----------
    wind_speed_10m_m_s : float or array
        Wind speed, m/s. Must be >= 0.
    pool_diameter_m : float or array
        Pool diameter, m. Must be > 0.

    Returns
    -------
    ndarray
        Heat-transfer coefficient, W/(m^2 K).
    """
    u = np.asarray(wind_speed_10m_m_s, dtype=np.float64)
    d = np.asarray(pool_diameter_m, dtype=np.float64)
    reynolds = u * d / AIR_KINEMATIC_VISCOSITY_M2_S
    nusselt = _TURBULENT_PLATE_NUSSELT_COEFFICIENT * reynolds**0.8 * _AIR_PRANDTL ** (1.0 / 3.0)
    return np.asarray(nusselt * _AIR_CONDUCTIVITY_W_M_K / d, dtype=np.float64)


def longwave_net_flux_w_m2(
    ambient_temperature_k: float, pool_temperature_k: ArrayLike
) -> NDArray[np.float64]:
    """Return the net long-wave radiation into a pool from surroundings at ambient temperature.

    ``q = eps sigma (T_a^4 - T_p^4)`` with ``eps = 0.95``. The surroundings (bund walls, plant,
    sky) are taken at the air temperature; a clear sky is colder, so this is an upper bound for
    an open pool.

    Parameters
    ----------
    ambient_temperature_k : float
        Air temperature, K.
    pool_temperature_k : float or array
        Pool surface temperature, K.

    Returns
    -------
    ndarray
        Net flux into the pool, W/m^2.
    """
    tp = np.asarray(pool_temperature_k, dtype=np.float64)
    return np.asarray(
        _POOL_EMISSIVITY * _STEFAN_BOLTZMANN_W_M2_K4 * (ambient_temperature_k**4 - tp**4),
        dtype=np.float64,
    )
