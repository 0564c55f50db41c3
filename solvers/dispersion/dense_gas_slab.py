"""Integral (slab and box) model of a dense-gas plume or cloud, with a passive Gaussian far field.

A ground-level dense release is followed as a top-hat body: a steady **plume** (rectangular
cross-section of half-width ``b`` and height ``h``, state integrated along the downwind distance
``x``) for a continuous release, a **cylindrical cloud** (radius ``R``, height ``H``, state
integrated in time) for an instantaneous one. Both spread under gravity, entrain air through
their top and edges, and mix adiabatically with the humid air; once the cloud is no longer
dense they continue as a passive Gaussian plume or puff from a virtual source.

Equations (continuous, per unit downwind distance; ``u_c`` the cloud speed)::

    d m_a/dx = rho_a [ 2 b w_e + 2 h u_c (gamma db_g/dx + db_p/dx) ]
    db/dx    = db_g/dx + db_p/dx,   db_g/dx = C_E sqrt(g' h) / u_c,
                                    db_p/dx = sqrt(2 pi)/2 d sigma_y/dx
    h        from volume-flux continuity  (Q + m_a) / rho = 2 b h u_c

and for the instantaneous cloud (per unit time)::

    d m_a/dt = rho_a [ pi R^2 w_e + 2 pi R H (gamma dR_g/dt + dR_p/dt) ]
    dR/dt    = dR_g/dt + dR_p/dt,   dR_g/dt = C_E sqrt(g' H),  dR_p/dt = sqrt(2) u_c d sigma_y/dx
    dx_c/dt  = u_c,    H = (M + m_a) / (rho pi R^2)

* Gravity spreading ``C_E sqrt(g' h)`` with ``C_E = 1.07``: the front speed of van Ulden (1974)
  for instantaneous clouds, used for the lateral spreading of steady plumes in the manner of
  Britter (1980) and HEGADAS (Witlox 1994).
* Top entrainment ``w_e = kappa u* / phi(Ri*)``, ``Ri* = g' h / u*^2``, with
  ``phi = 0.74 + 0.25 Ri*^0.7 + 1.2e-3 Ri*^1.3`` (as used in HEGADAS, Witlox
  1994). In the passive limit ``w_e = 0.55 u*``.
* Edge entrainment: a fraction ``gamma = 0.6`` of the gravity-front speed (Cox & Carpenter
  1980).
* Passive lateral growth: the top-hat width tracks the Briggs ``sigma_y`` of a virtual source
  (``2 b = sqrt(2 pi) sigma_y``), so the lateral spread joins the far field smoothly.
* Cloud speed: the power-law wind averaged over the cloud depth,
  ``u_c = u_ref (h / z_ref)^p / (1 + p)`` (exponent ``p`` of the stability class, ISC3).
* Thermodynamics: adiabatic mixing of the released substance (vapour and liquid aerosol at the
  release temperature) with humid ambient air; aerosol evaporates to phase equilibrium with a
  Clausius-Clapeyron vapour pressure through the normal boiling point. Water vapour of the air
  does not condense (fog is ignored) and the ground exchanges no heat with the cloud: both make
  a cold cloud warm up slower than it would over warm ground, which is conservative for a
  flammable cloud's length. The ideal-gas mixture gives the density; aerosol volume is neglected.
* Transition: the dense stage ends where the density excess ``(rho - rho_a)/rho_a`` falls below
  ``1e-3`` or ``Ri*`` below 0.1 (where ``phi`` is within 7 % of its passive value). From there a
  ground-level Gaussian plume (or puff, ``sigma_x = sigma_y``) with Briggs sigmas continues from
  virtual distances that give the same spreads: ``sigma_y = 2b / sqrt(2 pi)`` (``R / sqrt 2``
  for a cloud) and ``sigma_z = h sqrt(2 / pi)``; with the same transport speed this makes the
  centreline concentration continuous. The far-field speed is the depth-averaged power-law wind
  over ``sigma_z sqrt(pi/2)``.

Concentrations are total substance (vapour plus aerosol counted as vapour) per unit volume of
cloud, as a volume fraction and in kg/m^3; the profiles are top-hat in the dense stage and
Gaussian in the passive stage.

Sampling at a height: the top-hat depth ``h`` is an effective depth, and a top-hat puts no gas
at all just above it, whereas the dense-layer models that resolve the vertical structure give
a concentration decaying smoothly with height (HEGADAS, Witlox 1994: ``exp(-(z/S_z)^(1+a))``;
SLAB, Ermak 1990: Gaussian-type profile functions). With ``vertical="gaussian"`` the dense stage
is sampled as the ground-reflected Gaussian ``c exp(-z^2 / (2 sigma_z^2))``,
``sigma_z = h sqrt(2/pi)``: the same ground-level value, the same depth integral ``c h`` (hence
the same flux and mass) and, at the transition, the passive stage's own ``sigma_z``, so the
sampled field is continuous there in height as well. The gas above the core is more diluted,
hence warmer: its volume fraction follows the adiabatic mixing line of the release, at the
local concentration. The top-hat (``vertical="top_hat"``) stays the default: it is the model's
state and the form its identities are checked on.

Validity: ground-level releases without momentum over flat unobstructed terrain, within the
mixing layer; wind speeds above about 1 m/s. Jet momentum and release height are not modelled.

References
----------
.. [1] van Ulden, A.P. (1974). On the spreading of a heavy gas released near the ground. Proc.
   1st Int. Loss Prevention Symp., The Hague, 221-226.
.. [2] Cox, R.A., Carpenter, R.J. (1980). Further development of a dense vapour cloud
   dispersion model for hazard analysis. In Heavy Gas and Risk Assessment (S. Hartwig, ed.),
   Reidel, 55-87.
.. [3] Britter, R.E. (1980). The ground level extent of a negatively buoyant plume in a
   turbulent boundary layer. Atmos. Environ. 14, 779-785.
.. [4] Witlox, H.W.M. (1994). The HEGADAS model for ground-level heavy-gas dispersion - I.
   Steady-state model. Atmos. Environ. 28, 2917-2932.
.. [5] Ermak, D.L. (1990). User's manual for SLAB: an atmospheric dispersion model for
   denser-than-air releases. UCRL-MA-105607, LLNL (the slab-and-box structure).
.. [6] Briggs, G.A. (1973). Diffusion estimation for small emissions. ATDL-79, NOAA.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import cumulative_trapezoid, solve_ivp
from scipy.optimize import brentq

from solvers._checks import require_choice, require_in_range, require_positive
from solvers.atmosphere import Weather
from solvers.dispersion._dense_gas_common import (
    AIR_CP_J_KG_K,
    AIR_MOLAR_MASS_KG_MOL,
    GAS_CONSTANT_J_MOL_K,
    GRAVITY_M_S2,
    MIN_PROFILE_HEIGHT_M,
    VON_KARMAN,
    WATER_MOLAR_MASS_KG_MOL,
    WATER_VAPOUR_CP_J_KG_K,
    humid_air_density_kg_m3,
    humid_air_water_mass_ratio,
)
from solvers.dispersion.briggs_sigma import briggs_sigma_y_m, briggs_sigma_z_m
from solvers.dispersion.stability import friction_velocity_m_s, power_law_exponent
from solvers.errors import ConvergenceError, InvalidInputError
from solvers.substances.library import Substance, substance

__all__ = [
    "VERTICAL_PROFILES",
    "SlabCloud",
    "SlabPlume",
    "SlabSettings",
    "VerticalProfile",
    "slab_cloud",
    "slab_plume",
]

#: Vertical profile of the dense stage when the field is sampled at a point: the slab's own
#: top-hat, or a ground-reflected half-Gaussian with the same ground value and depth integral.
VerticalProfile = Literal["top_hat", "gaussian"]
VERTICAL_PROFILES: tuple[str, ...] = ("top_hat", "gaussian")

#: Gravity-front coefficient C_E of dR/dt = C_E sqrt(g' H) (van Ulden 1974).
SPREADING_COEFFICIENT = 1.07
#: Edge-entrainment coefficient gamma (Cox & Carpenter 1980).
EDGE_ENTRAINMENT_COEFFICIENT = 0.6
#: phi(Ri*) = a + b Ri*^c + d Ri*^e of the top entrainment (Witlox 1994, HEGADAS).
_PHI_COEFFICIENTS = (0.74, 0.25, 0.7, 1.2e-3, 1.3)
#: Density excess (rho - rho_a)/rho_a below which the cloud is passive.
TRANSITION_DENSITY_EXCESS = 1e-3
#: Ri* below which the cloud is passive (phi within 7 % of its passive value 0.74).
TRANSITION_RICHARDSON_NUMBER = 0.1
#: Standard atmospheric pressure of the normal boiling point, Pa.
_NORMAL_PRESSURE_PA = 101_325.0
#: Air-to-substance mass ratios tabulated by the mixing table (log-spaced; 0 added in front).
_MIXING_RATIO_RANGE = (1e-6, 1e9)
_MIXING_TABLE_SIZE = 600
#: Bisection iterations of the aerosol equilibrium (2^-60 of the liquid fraction).
_BISECTION_STEPS = 60
#: Relative step of the numerical derivative of sigma_y, -.
_SIGMA_DERIVATIVE_STEP = 1e-3
#: Shortest and longest distances searched for a virtual source, m.
_VIRTUAL_RANGE_M = (1.0, 1e7)
#: Samples of a dense stage kept for interpolation (linear plus log-spaced), in addition to the
#: solver's own steps; linear interpolation between them conserves mass to about 0.1 %.
_SAMPLES_PER_STAGE = 300
#: Points of the far-field travel-time table per decade of distance.
_TRAVEL_TABLE_POINTS = 400


@dataclass(frozen=True, slots=True, kw_only=True)
class SlabSettings:
    """Model constants and numerics of the slab and box models.

    Attributes
    ----------
    spreading_coefficient : float
        ``C_E`` of the gravity front (van Ulden 1974: 1.07).
    edge_entrainment_coefficient : float
        ``gamma`` (Cox & Carpenter 1980: 0.6).
    transition_density_excess : float
        Density excess below which the cloud is passive (1e-3).
    transition_richardson_number : float
        ``Ri*`` below which the cloud is passive (0.1).
    friction_velocity_m_s : float or None
        Measured friction velocity, m/s; None derives it from the weather (Golder 1972 L and
        the Businger-Dyer log law, :func:`solvers.dispersion.stability.friction_velocity_m_s`).
    max_distance_m : float
        Farthest distance (plume) or travel distance (cloud) of the dense stage, m.
    rtol : float
        Relative tolerance of the ODE integration.
    """

    spreading_coefficient: float = SPREADING_COEFFICIENT
    edge_entrainment_coefficient: float = EDGE_ENTRAINMENT_COEFFICIENT
    transition_density_excess: float = TRANSITION_DENSITY_EXCESS
    transition_richardson_number: float = TRANSITION_RICHARDSON_NUMBER
    friction_velocity_m_s: float | None = None
    max_distance_m: float = 20_000.0
    rtol: float = 1e-5

    def __post_init__(self) -> None:
        require_in_range("spreading_coefficient", self.spreading_coefficient, "", low=0, high=3)
        require_in_range(
            "edge_entrainment_coefficient", self.edge_entrainment_coefficient, "", low=0, high=2
        )
        require_in_range(
            "transition_density_excess", self.transition_density_excess, "", low=0, high=0.1
        )
        require_in_range(
            "transition_richardson_number", self.transition_richardson_number, "", low=0, high=10
        )
        if self.friction_velocity_m_s is not None:
            require_in_range(
                "friction_velocity_m_s", self.friction_velocity_m_s, "m/s", low=0.01, high=3.0
            )
        require_in_range("max_distance_m", self.max_distance_m, "m", low=10.0, high=1e6)
        require_in_range("rtol", self.rtol, "", low=1e-10, high=1e-2)


# -- mixing thermodynamics ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _MixingTable:
    """Adiabatic mixing states against the humid-air to substance mass ratio ``r``."""

    log_ratio: NDArray[np.float64]  # (n,) ln r, increasing
    temperature_k: NDArray[np.float64]  # (n,)
    density_kg_m3: NDArray[np.float64]  # (n,) cloud density
    volume_fraction: NDArray[np.float64]  # (n,) substance moles / all moles (aerosol as vapour)
    concentration_kg_m3: NDArray[np.float64]  # (n,) substance mass per cloud volume
    liquid_fraction: NDArray[np.float64]  # (n,) liquid mass fraction of the substance

    def at(self, ratio: float) -> tuple[float, float, float, float]:
        """(density, temperature, volume fraction, concentration) at mass ratio ``ratio``."""
        lr = math.log(max(ratio, _MIXING_RATIO_RANGE[0]))
        density = float(np.interp(lr, self.log_ratio, self.density_kg_m3))
        # The substance is 1 / (1 + r) of the mass: exact mass balance whatever the interpolation.
        return (
            density,
            float(np.interp(lr, self.log_ratio, self.temperature_k)),
            float(np.interp(lr, self.log_ratio, self.volume_fraction)),
            density / (1.0 + max(ratio, 0.0)),
        )


def _gas_cp(sub: Substance, temperature_k: float, pressure_pa: float) -> float:
    low, high = sub.gas_temperature_range_k
    return sub.gas_cp_j_kg_k(min(max(temperature_k, low), high), pressure_pa)


def _mixing_table(
    sub: Substance,
    *,
    temperature_k: float,
    aerosol_fraction: float,
    weather: Weather,
) -> _MixingTable:
    """Tabulate adiabatic mixing of the release with humid air (see the module docstring)."""
    ta = weather.ambient_temperature_k
    p = weather.ambient_pressure_pa
    t0 = temperature_k
    m_s = sub.molar_mass_kg_mol
    cp_v = _gas_cp(sub, 0.5 * (t0 + ta), p)
    tb = sub.normal_boiling_point_k
    latent = sub.latent_heat_j_kg(tb) if aerosol_fraction > 0 else 0.0
    water = humid_air_water_mass_ratio(weather)

    ratio = np.concatenate(
        ([0.0], np.geomspace(*_MIXING_RATIO_RANGE, _MIXING_TABLE_SIZE - 1))
    )  # humid air per kg substance
    dry = ratio / (1.0 + water)
    wet = ratio - dry
    n_air = dry / AIR_MOLAR_MASS_KG_MOL
    n_water = wet / WATER_MOLAR_MASS_KG_MOL
    n_sub = 1.0 / m_s
    heat_capacity = cp_v + dry * AIR_CP_J_KG_K + wet * WATER_VAPOUR_CP_J_KG_K  # J/K per kg sub
    enthalpy_in = -aerosol_fraction * latent + (
        dry * AIR_CP_J_KG_K + wet * WATER_VAPOUR_CP_J_KG_K
    ) * (ta - t0)  # J per kg substance, relative to vapour at t0

    def temperature(liquid: NDArray[np.float64]) -> NDArray[np.float64]:
        return t0 + (enthalpy_in + liquid * latent) / heat_capacity

    def excess(liquid: NDArray[np.float64]) -> NDArray[np.float64]:
        # Vapour mole fraction minus the saturation fraction; decreasing in the liquid fraction.
        n_vap = (1.0 - liquid) / m_s
        y = n_vap / (n_vap + n_air + n_water)
        t = np.maximum(temperature(liquid), 1.0)
        saturation = (
            _NORMAL_PRESSURE_PA * np.exp(-(latent * m_s / GAS_CONSTANT_J_MOL_K) * (1 / t - 1 / tb))
        ) / p
        return np.asarray(y - saturation, dtype=np.float64)

    if aerosol_fraction > 0:
        low = np.zeros_like(ratio)
        high = np.ones_like(ratio)
        evaporated = excess(low) <= 0.0
        for _ in range(_BISECTION_STEPS):
            mid = 0.5 * (low + high)
            wet_side = excess(mid) > 0.0
            low = np.where(wet_side, mid, low)
            high = np.where(wet_side, high, mid)
        liquid = np.where(evaporated, 0.0, 0.5 * (low + high))
    else:
        liquid = np.zeros_like(ratio)
    t_mix = temperature(liquid)
    n_gas = (1.0 - liquid) / m_s + n_air + n_water
    volume = n_gas * GAS_CONSTANT_J_MOL_K * t_mix / p  # m^3 of cloud per kg substance
    log_ratio = np.log(np.maximum(ratio, _MIXING_RATIO_RANGE[0] / 10.0))
    return _MixingTable(
        log_ratio=log_ratio,
        temperature_k=t_mix,
        density_kg_m3=(1.0 + ratio) / volume,
        volume_fraction=n_sub / (n_sub + n_air + n_water),
        concentration_kg_m3=1.0 / volume,
        liquid_fraction=liquid,
    )


# -- shared pieces --------------------------------------------------------------------------------


def _phi(richardson: float) -> float:
    """Top-entrainment stability function phi(Ri*) (Witlox 1994)."""
    a, b, c, d, e = _PHI_COEFFICIENTS
    ri = max(richardson, 0.0)
    return float(a + b * ri**c + d * ri**e)


@dataclass(frozen=True, slots=True)
class _Ambient:
    """Ambient quantities the integration needs, computed once."""

    weather: Weather
    density_kg_m3: float
    friction_velocity_m_s: float
    exponent: float

    def mean_speed_m_s(self, depth_m: float) -> float:
        """Power-law wind averaged over 0..depth, m/s."""
        w = self.weather
        z = max(depth_m, MIN_PROFILE_HEIGHT_M)
        return float(
            w.wind_speed_m_s * (z / w.reference_height_m) ** self.exponent / (1 + self.exponent)
        )

    def depth_for_flux(self, flux_m2_s: float) -> float:
        """Depth h with h * mean_speed(h) = flux (m^2/s), m."""
        w = self.weather
        p = self.exponent
        scale = w.wind_speed_m_s / (w.reference_height_m**p * (1 + p))
        depth = float((flux_m2_s / scale) ** (1.0 / (1.0 + p)))
        if depth < MIN_PROFILE_HEIGHT_M:
            # Below the floor of the profile the speed is constant: keep h * u_c = flux exact.
            return flux_m2_s / self.mean_speed_m_s(MIN_PROFILE_HEIGHT_M)
        return depth

    def sigma_y(self, x_m: ArrayLike) -> NDArray[np.float64]:
        return briggs_sigma_y_m(x_m, self.weather.stability_class, is_urban=self.weather.is_urban)

    def sigma_z(self, x_m: ArrayLike) -> NDArray[np.float64]:
        return briggs_sigma_z_m(x_m, self.weather.stability_class, is_urban=self.weather.is_urban)

    def sigma_y_slope(self, x_m: float) -> float:
        """Return d(sigma_y)/dx at ``x_m`` by a central difference."""
        dx = max(_SIGMA_DERIVATIVE_STEP * x_m, 0.01)
        pair = self.sigma_y(np.array([x_m + dx, max(x_m - dx, 1.0)]))
        return float((pair[0] - pair[1]) / (x_m + dx - max(x_m - dx, 1.0)))

    def virtual_distance(self, sigma_m: float, *, vertical: bool) -> float:
        """Distance at which the Briggs sigma equals ``sigma_m``, m (>= 1 m)."""
        fn = self.sigma_z if vertical else self.sigma_y
        low, high = _VIRTUAL_RANGE_M
        if sigma_m <= float(fn(low)[()]):
            return low
        if sigma_m >= float(fn(high)[()]):
            return high
        return float(brentq(lambda x: float(fn(x)[()]) - sigma_m, low, high, xtol=1e-6, rtol=1e-10))


def _ambient(weather: Weather, settings: SlabSettings) -> _Ambient:
    u_star = (
        settings.friction_velocity_m_s
        if settings.friction_velocity_m_s is not None
        else friction_velocity_m_s(weather)
    )
    return _Ambient(
        weather=weather,
        density_kg_m3=humid_air_density_kg_m3(weather),
        friction_velocity_m_s=u_star,
        exponent=power_law_exponent(weather.stability_class, is_urban=weather.is_urban),
    )


def _check_release(substance_key: str, temperature_k: float, aerosol_fraction: float) -> Substance:
    sub = substance(substance_key)
    require_in_range("temperature_k", temperature_k, "K", low=20.0, high=1500.0)
    require_in_range(
        "aerosol_fraction", aerosol_fraction, "", low=0.0, high=1.0, high_inclusive=False
    )
    if aerosol_fraction > 0 and temperature_k > sub.normal_boiling_point_k + 1.0:
        raise InvalidInputError(
            f"aerosol_fraction = {aerosol_fraction!r}: liquid aerosol needs temperature_k at or "
            + f"below the normal boiling point of {sub.key} ({sub.normal_boiling_point_k:.1f} K); "
            + f"got {temperature_k!r} K"
        )
    return sub


def _travel_table(
    amb: _Ambient, start_m: float, offset_z_m: float, max_m: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Far-field distances from ``start_m`` and travel times from there, (x_m, t_s)."""
    decades = max(math.log10(max_m / max(start_m, 1.0)), 0.1)
    x = start_m + np.concatenate(
        ([0.0], np.geomspace(0.1, max(max_m - start_m, 1.0), int(_TRAVEL_TABLE_POINTS * decades)))
    )
    sz = amb.sigma_z(x - start_m + offset_z_m)
    depth = np.maximum(sz * math.sqrt(math.pi / 2.0), MIN_PROFILE_HEIGHT_M)
    w = amb.weather
    speed = w.wind_speed_m_s * (depth / w.reference_height_m) ** amb.exponent / (1 + amb.exponent)
    return x, cumulative_trapezoid(1.0 / speed, x, initial=0.0)


def _sample_grid(steps: NDArray[np.float64]) -> NDArray[np.float64]:
    """Solver steps refined to at least _SAMPLES_PER_STAGE points (linear and log spaced)."""
    end = float(steps[-1])
    extra = np.concatenate(
        (
            np.linspace(0.0, end, _SAMPLES_PER_STAGE),
            np.geomspace(max(end * 1e-6, 1e-4), end, _SAMPLES_PER_STAGE),
        )
    )
    return np.unique(np.concatenate((steps, extra)))


def _far_travel(
    table_x: NDArray[np.float64], table_t: NDArray[np.float64], distance: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Travel time over ``distance`` beyond the transition, extrapolated at the last speed."""
    slope = (table_t[-1] - table_t[-2]) / (table_x[-1] - table_x[-2])
    inside = np.interp(distance, table_x, table_t)
    return np.where(distance > table_x[-1], table_t[-1] + (distance - table_x[-1]) * slope, inside)


def _mixing_line(table: _MixingTable) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Concentrations (increasing) and volume fraction per concentration on the mixing line."""
    conc = np.minimum.accumulate(table.concentration_kg_m3)  # decreasing in the air ratio
    ratio = table.volume_fraction / np.maximum(table.concentration_kg_m3, 1e-300)
    return np.ascontiguousarray(conc[::-1]), np.ascontiguousarray(ratio[::-1])


def _gaussian_depth_factor(
    z: NDArray[np.float64], depth_m: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return ``exp(-z^2 / (2 sigma_z^2))``, ``sigma_z = h sqrt(2/pi)``: depth integral ``h``."""
    sigma = np.maximum(depth_m, 1e-12) * math.sqrt(2.0 / math.pi)
    return np.asarray(np.exp(-0.5 * (z / sigma) ** 2), dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class _Continuation:
    """The passive continuation of a dense stage and its mixing line (plume and cloud alike).

    ``x_m`` and ``t_s`` are the travel table from the end of the dense stage (distance after
    it, m, and time after it, s); the virtual distances place the passive Gaussian's source.
    """

    ambient: _Ambient
    virtual_y_m: float
    virtual_z_m: float
    fraction_per_concentration: float
    x_m: NDArray[np.float64]
    t_s: NDArray[np.float64]
    line_concentration_kg_m3: NDArray[np.float64]
    line_fraction_per_concentration: NDArray[np.float64]

    def line_ratio(
        self, local: NDArray[np.float64], core: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Volume fraction per concentration at ``local`` over its value at ``core``."""
        line_conc = self.line_concentration_kg_m3
        line_ratio = self.line_fraction_per_concentration
        at_local = np.interp(local, line_conc, line_ratio)
        at_core = np.interp(core, line_conc, line_ratio)
        return np.asarray(at_local / np.maximum(at_core, 1e-300), dtype=np.float64)


def _continuation(
    amb: _Ambient,
    table: _MixingTable,
    end_m: float,
    virtual_y_m: float,
    virtual_z_m: float,
    volume_fraction: NDArray[np.float64],
    concentration_kg_m3: NDArray[np.float64],
) -> _Continuation:
    """Return the passive continuation beyond a dense stage ending at distance ``end_m``."""
    far_x, far_t = _travel_table(amb, end_m, virtual_z_m, max(end_m * 10.0, end_m + 20_000.0))
    line_conc, line_ratio = _mixing_line(table)
    return _Continuation(
        ambient=amb,
        virtual_y_m=virtual_y_m,
        virtual_z_m=virtual_z_m,
        fraction_per_concentration=float(volume_fraction[-1] / concentration_kg_m3[-1]),
        x_m=far_x - end_m,
        t_s=far_t,
        line_concentration_kg_m3=line_conc,
        line_fraction_per_concentration=line_ratio,
    )


# -- continuous plume -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SlabPlume:
    """A steady dense plume: the dense stage on a distance grid and its passive continuation.

    Attributes
    ----------
    substance : str
        Substance key.
    mass_rate_kg_s : float
        Airborne release rate ``Q``, kg/s.
    x_m : (n,) float
        Distances of the dense-stage samples, m (0 at the source edge, last at the transition).
    half_width_m, height_m : (n,) float
        Top-hat half-width ``b`` and height ``h``, m.
    volume_fraction : (n,) float
        Substance volume fraction (aerosol counted as vapour).
    concentration_kg_m3 : (n,) float
        Substance mass per unit cloud volume, kg/m^3.
    temperature_k, density_kg_m3 : (n,) float
        Cloud temperature, K, and density, kg/m^3.
    richardson_number : (n,) float
        ``Ri* = g' h / u*^2``.
    speed_m_s : (n,) float
        Cloud speed ``u_c``, m/s.
    travel_time_s : (n,) float
        Time for the cloud to travel from the source to each ``x_m``, s.
    air_mass_rate_kg_s : (n,) float
        Humid air entrained up to each ``x_m``, kg/s.
    transition_m : float
        Distance where the plume became passive, m (``inf`` if it stayed dense to the end of
        the integration, 0 if it was never dense).
    air_density_kg_m3 : float
        Ambient humid-air density, kg/m^3.
    """

    substance: str
    mass_rate_kg_s: float
    x_m: NDArray[np.float64]
    half_width_m: NDArray[np.float64]
    height_m: NDArray[np.float64]
    volume_fraction: NDArray[np.float64]
    concentration_kg_m3: NDArray[np.float64]
    temperature_k: NDArray[np.float64]
    density_kg_m3: NDArray[np.float64]
    richardson_number: NDArray[np.float64]
    speed_m_s: NDArray[np.float64]
    travel_time_s: NDArray[np.float64]
    air_mass_rate_kg_s: NDArray[np.float64]
    transition_m: float
    air_density_kg_m3: float
    _far: _Continuation = field(repr=False)

    def __post_init__(self) -> None:
        for name in (
            "x_m",
            "half_width_m",
            "height_m",
            "volume_fraction",
            "concentration_kg_m3",
            "temperature_k",
            "density_kg_m3",
            "richardson_number",
            "speed_m_s",
            "travel_time_s",
            "air_mass_rate_kg_s",
        ):
            getattr(self, name).flags.writeable = False

    @property
    def end_m(self) -> float:
        """Last distance of the dense stage, m."""
        return float(self.x_m[-1])

    def _far_sigmas(self, x: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        d = x - self.end_m
        sy = self._far.ambient.sigma_y(np.maximum(d + self._far.virtual_y_m, 1.0))
        sz = self._far.ambient.sigma_z(np.maximum(d + self._far.virtual_z_m, 1.0))
        depth = np.maximum(sz * math.sqrt(math.pi / 2.0), MIN_PROFILE_HEIGHT_M)
        w = self._far.ambient.weather
        p = self._far.ambient.exponent
        speed = w.wind_speed_m_s * (depth / w.reference_height_m) ** p / (1 + p)
        return sy, sz, speed

    def concentration_at_kg_m3(
        self,
        x_m: ArrayLike,
        y_m: ArrayLike,
        z_m: ArrayLike,
        *,
        vertical: VerticalProfile = "top_hat",
    ) -> NDArray[np.float64]:
        """Return the substance mass concentration at plume coordinates, kg/m^3.

        Parameters
        ----------
        x_m, y_m, z_m : array_like
            Downwind distance from the source, crosswind offset and height, m (broadcast).
        vertical : {"top_hat", "gaussian"}
            Vertical profile of the dense stage (module docstring): the top-hat of depth ``h``,
            or the ground-reflected Gaussian of the same ground value and depth integral.

        Returns
        -------
        ndarray
            Concentration; top-hat across the wind (and in height, for ``"top_hat"``) in the
            dense stage, Gaussian (ground-reflected) beyond; 0 upwind of the source and below
            ground.

        Raises
        ------
        InvalidInputError
            For an unknown ``vertical``.
        """
        require_choice("vertical", vertical, VERTICAL_PROFILES)
        x, y, z = np.broadcast_arrays(
            np.asarray(x_m, np.float64), np.asarray(y_m, np.float64), np.asarray(z_m, np.float64)
        )
        out = np.zeros(x.shape)
        near = (x >= 0.0) & (x <= self.end_m) & (z >= 0.0)
        if np.any(near):
            b = np.interp(x[near], self.x_m, self.half_width_m)
            h = np.interp(x[near], self.x_m, self.height_m)
            c = np.interp(x[near], self.x_m, self.concentration_kg_m3)
            across = np.abs(y[near]) <= b
            if vertical == "top_hat":
                out[near] = np.where(across & (z[near] <= h), c, 0.0)
            else:
                out[near] = np.where(across, c * _gaussian_depth_factor(z[near], h), 0.0)
        far = (x > self.end_m) & (z >= 0.0)
        if np.any(far) and math.isfinite(self.transition_m):
            sy, sz, speed = self._far_sigmas(x[far])
            out[far] = (
                self.mass_rate_kg_s
                / (math.pi * sy * sz * speed)
                * np.exp(-0.5 * (y[far] / sy) ** 2)
                * np.exp(-0.5 * (z[far] / sz) ** 2)
            )
        return out

    def volume_fraction_at(
        self,
        x_m: ArrayLike,
        y_m: ArrayLike,
        z_m: ArrayLike,
        *,
        vertical: VerticalProfile = "top_hat",
    ) -> NDArray[np.float64]:
        """Return the substance volume fraction at plume coordinates (see concentration_at)."""
        conc = self.concentration_at_kg_m3(x_m, y_m, z_m, vertical=vertical)
        x = np.broadcast_to(np.asarray(x_m, np.float64), conc.shape)
        ratio_near = np.interp(
            x, self.x_m, self.volume_fraction / np.maximum(self.concentration_kg_m3, 1e-300)
        )
        if vertical == "gaussian":
            core = np.interp(x, self.x_m, self.concentration_kg_m3)
            ratio_near = ratio_near * self._far.line_ratio(conc, core)
        ratio = np.where(x <= self.end_m, ratio_near, self._far.fraction_per_concentration)
        return np.asarray(conc * ratio, dtype=np.float64)

    def centreline_volume_fraction(self, x_m: ArrayLike) -> NDArray[np.float64]:
        """Return the ground-level centreline volume fraction at distances ``x_m``."""
        x = np.asarray(x_m, np.float64)
        return self.volume_fraction_at(x, np.zeros_like(x), np.zeros_like(x))

    def travel_time_at_s(self, x_m: ArrayLike) -> NDArray[np.float64]:
        """Return the travel time from the source to distances ``x_m``, s (0 upwind)."""
        x = np.maximum(np.asarray(x_m, np.float64), 0.0)
        near = np.interp(x, self.x_m, self.travel_time_s)
        if not math.isfinite(self.transition_m):
            return near
        return np.where(
            x <= self.end_m,
            near,
            self.travel_time_s[-1] + _far_travel(self._far.x_m, self._far.t_s, x - self.end_m),
        )

    def speed_at_m_s(self, x_m: ArrayLike) -> NDArray[np.float64]:
        """Return the transport speed of the plume at distances ``x_m``, m/s."""
        x = np.maximum(np.asarray(x_m, np.float64), 0.0)
        near = np.interp(x, self.x_m, self.speed_m_s)
        if not math.isfinite(self.transition_m):
            return near
        far = self._far_sigmas(np.maximum(x, self.end_m))[2]
        return np.asarray(np.where(x <= self.end_m, near, far), dtype=np.float64)

    def mass_flux_kg_s(self, x_m: float) -> float:
        """Return the substance flux through the cross-section at ``x_m`` (model identity), kg/s."""
        x = float(x_m)
        if x <= self.end_m:
            b = float(np.interp(x, self.x_m, self.half_width_m))
            h = float(np.interp(x, self.x_m, self.height_m))
            c = float(np.interp(x, self.x_m, self.concentration_kg_m3))
            u = float(np.interp(x, self.x_m, self.speed_m_s))
            return 2.0 * b * h * c * u
        sy, sz, speed = self._far_sigmas(np.array([x]))
        peak = self.concentration_at_kg_m3(x, 0.0, 0.0)
        return float(peak * math.pi * sy[0] * sz[0] * speed[0])


def slab_plume(
    *,
    substance_key: str,
    mass_rate_kg_s: float,
    temperature_k: float,
    weather: Weather,
    aerosol_fraction: float = 0.0,
    source_half_width_m: float | None = None,
    settings: SlabSettings | None = None,
) -> SlabPlume:
    """Return the steady dense plume of a continuous ground-level release.

    The slab equations of the module docstring are integrated along ``x`` with
    :func:`scipy.integrate.solve_ivp` until the plume is passive; a Gaussian plume from a
    virtual source continues it.

    Parameters
    ----------
    substance_key : str
        Substance library key (e.g. ``"lng"``, ``"ammonia"``, ``"chlorine"``).
    mass_rate_kg_s : float
        Airborne release rate ``Q`` (vapour plus aerosol), kg/s. Must be > 0.
    temperature_k : float
        Temperature of the released material after flashing, K.
    weather : Weather
        Ambient conditions.
    aerosol_fraction : float, optional
        Liquid mass fraction of the airborne material, in [0, 1); needs a temperature at or
        below the normal boiling point.
    source_half_width_m : float, optional
        Half-width of the source area, m (e.g. ``0.443 D`` for a pool of diameter ``D``: the
        square of equal area). None makes the source as deep as it is half-wide, carrying the
        released volume flux at the depth-averaged wind speed.
    settings : SlabSettings, optional
        Model constants and numerics.

    Returns
    -------
    SlabPlume
        Dense-stage profiles and the passive continuation.

    Raises
    ------
    InvalidInputError
        For inputs out of range (names the field, value and the limit).
    ConvergenceError
        If the ODE integration fails.

    References
    ----------
    .. [1] Witlox (1994), Atmos. Environ. 28, 2917; van Ulden (1974); Cox & Carpenter (1980);
       Ermak (1990) SLAB manual; see the module docstring.
    """
    cfg = settings if settings is not None else SlabSettings()
    q = require_positive("mass_rate_kg_s", mass_rate_kg_s, "kg/s")
    sub = _check_release(substance_key, temperature_k, aerosol_fraction)
    if source_half_width_m is not None:
        require_positive("source_half_width_m", source_half_width_m, "m")
    amb = _ambient(weather, cfg)
    table = _mixing_table(
        sub, temperature_k=temperature_k, aerosol_fraction=aerosol_fraction, weather=weather
    )
    rho_a = amb.density_kg_m3
    u_star = amb.friction_velocity_m_s
    rho0 = table.at(0.0)[0]
    volume_rate0 = q / rho0
    if source_half_width_m is None:
        # 2 b b u_c(b) = V0 with u_c(b) = scale b^p  ->  b^(2+p) = V0 / (2 scale)
        w = weather
        scale = w.wind_speed_m_s / (w.reference_height_m**amb.exponent * (1 + amb.exponent))
        b0 = (volume_rate0 / (2.0 * scale)) ** (1.0 / (2.0 + amb.exponent))
    else:
        b0 = float(source_half_width_m)
    offset_y = amb.virtual_distance(2.0 * b0 / math.sqrt(2.0 * math.pi), vertical=False)

    def state(y: NDArray[np.float64]) -> tuple[float, ...]:
        m_air, b = max(float(y[0]), 0.0), float(y[1])
        rho, t, vf, conc = table.at(m_air / q)
        h = amb.depth_for_flux((q + m_air) / rho / (2.0 * b))
        u_c = amb.mean_speed_m_s(h)
        g_red = max(GRAVITY_M_S2 * (rho - rho_a) / rho_a, 0.0)
        ri = g_red * h / u_star**2
        return m_air, b, rho, t, vf, conc, h, u_c, g_red, ri

    def rhs(x: float, y: NDArray[np.float64]) -> list[float]:
        _, b, _, _, _, _, h, u_c, g_red, ri = state(y)
        w_e = VON_KARMAN * u_star / _phi(ri)
        db_g = cfg.spreading_coefficient * math.sqrt(g_red * h) / u_c
        db_p = 0.5 * math.sqrt(2.0 * math.pi) * amb.sigma_y_slope(x + offset_y)
        dm = rho_a * (
            2.0 * b * w_e + 2.0 * h * u_c * (cfg.edge_entrainment_coefficient * db_g + db_p)
        )
        return [dm, db_g + db_p]

    def density_event(x: float, y: NDArray[np.float64]) -> float:
        rho = state(y)[2]
        return (rho - rho_a) / rho_a - cfg.transition_density_excess

    def richardson_event(x: float, y: NDArray[np.float64]) -> float:
        return state(y)[9] - cfg.transition_richardson_number

    density_event.terminal = True  # type: ignore[attr-defined]
    density_event.direction = -1  # type: ignore[attr-defined]
    richardson_event.terminal = True  # type: ignore[attr-defined]
    richardson_event.direction = -1  # type: ignore[attr-defined]

    y0 = np.array([0.0, b0])
    dense_at_source = density_event(0.0, y0) > 0 and richardson_event(0.0, y0) > 0
    if dense_at_source:
        sol = solve_ivp(
            rhs,
            (0.0, cfg.max_distance_m),
            y0,
            method="RK45",
            rtol=cfg.rtol,
            atol=[1e-6 * q, 1e-6],
            events=(density_event, richardson_event),
            first_step=min(0.05 * b0, 1.0),
            dense_output=True,
        )
        if sol.status < 0:
            raise ConvergenceError(f"dense plume integration (RK45) failed: {sol.message}")
        xs = _sample_grid(sol.t)
        ys = sol.sol(xs)
        transition = float(xs[-1]) if sol.status == 1 else math.inf
    else:
        xs, ys = np.array([0.0]), y0[:, None]
        transition = 0.0
    return _plume_result(sub, q, xs, ys, state, amb, table, transition)


def _plume_result(
    sub: Substance,
    q: float,
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
    state: Any,
    amb: _Ambient,
    table: _MixingTable,
    transition: float,
) -> SlabPlume:
    rows = np.array([state(ys[:, i]) for i in range(xs.size)])
    m_air, b, rho, t, vf, conc, h, u_c, _, ri = rows.T
    travel = cumulative_trapezoid(1.0 / u_c, xs, initial=0.0) if xs.size > 1 else np.zeros(xs.size)
    end = float(xs[-1])
    vy = amb.virtual_distance(2.0 * b[-1] / math.sqrt(2.0 * math.pi), vertical=False)
    vz = amb.virtual_distance(h[-1] * math.sqrt(2.0 / math.pi), vertical=True)
    return SlabPlume(
        substance=sub.key,
        mass_rate_kg_s=q,
        x_m=np.asarray(xs, dtype=np.float64),
        half_width_m=b,
        height_m=h,
        volume_fraction=vf,
        concentration_kg_m3=conc,
        temperature_k=t,
        density_kg_m3=rho,
        richardson_number=ri,
        speed_m_s=u_c,
        travel_time_s=travel,
        air_mass_rate_kg_s=m_air,
        transition_m=transition,
        air_density_kg_m3=amb.density_kg_m3,
        _far=_continuation(amb, table, end, vy, vz, vf, conc),
    )


# -- instantaneous cloud --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SlabCloud:
    """An instantaneous dense cloud: the box stage in time and its passive puff continuation.

    Attributes
    ----------
    substance : str
        Substance key.
    mass_kg : float
        Airborne mass released, kg.
    t_s : (n,) float
        Times of the box-stage samples since the release, s (last at the transition).
    centre_m : (n,) float
        Downwind distance of the cloud centre, m.
    radius_m, height_m : (n,) float
        Cylinder radius ``R`` and height ``H``, m.
    volume_fraction : (n,) float
        Substance volume fraction in the cloud (aerosol counted as vapour).
    concentration_kg_m3 : (n,) float
        Substance mass per unit cloud volume, kg/m^3.
    temperature_k, density_kg_m3 : (n,) float
        Cloud temperature, K, and density, kg/m^3.
    richardson_number : (n,) float
        ``Ri* = g' H / u*^2``.
    speed_m_s : (n,) float
        Cloud speed, m/s.
    air_mass_kg : (n,) float
        Humid air entrained, kg.
    transition_s : float
        Time at which the cloud became passive, s (``inf`` if it stayed dense, 0 if it never
        was dense).
    air_density_kg_m3 : float
        Ambient humid-air density, kg/m^3.
    """

    substance: str
    mass_kg: float
    t_s: NDArray[np.float64]
    centre_m: NDArray[np.float64]
    radius_m: NDArray[np.float64]
    height_m: NDArray[np.float64]
    volume_fraction: NDArray[np.float64]
    concentration_kg_m3: NDArray[np.float64]
    temperature_k: NDArray[np.float64]
    density_kg_m3: NDArray[np.float64]
    richardson_number: NDArray[np.float64]
    speed_m_s: NDArray[np.float64]
    air_mass_kg: NDArray[np.float64]
    transition_s: float
    air_density_kg_m3: float
    _far: _Continuation = field(repr=False)

    def __post_init__(self) -> None:
        for name in (
            "t_s",
            "centre_m",
            "radius_m",
            "height_m",
            "volume_fraction",
            "concentration_kg_m3",
            "temperature_k",
            "density_kg_m3",
            "richardson_number",
            "speed_m_s",
            "air_mass_kg",
        ):
            getattr(self, name).flags.writeable = False

    @property
    def end_s(self) -> float:
        """Last time of the box stage, s."""
        return float(self.t_s[-1])

    def centre_at_m(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Return the downwind distance of the cloud centre at times ``t_s``, m."""
        t = np.maximum(np.asarray(t_s, np.float64), 0.0)
        near = np.interp(t, self.t_s, self.centre_m)
        if not math.isfinite(self.transition_s):
            return near
        far = self.centre_m[-1] + _far_distance(self._far.x_m, self._far.t_s, t - self.end_s)
        return np.where(t <= self.end_s, near, far)

    def _far_sigmas(self, t: float) -> tuple[float, float]:
        travelled = float(self.centre_at_m(t)) - float(self.centre_m[-1])
        sy = float(self._far.ambient.sigma_y(max(travelled + self._far.virtual_y_m, 1.0))[()])
        sz = float(self._far.ambient.sigma_z(max(travelled + self._far.virtual_z_m, 1.0))[()])
        return sy, sz

    def puff_sigma_y_m(self, t_s: float) -> float:
        """Return the passive puff's horizontal spread ``sigma_y = sigma_x`` at ``t_s``, m.

        Raises
        ------
        InvalidInputError
            Before the end of the box stage or for a cloud that never becomes passive.
        """
        t = float(t_s)
        if not (math.isfinite(self.transition_s) and t >= self.end_s):
            raise InvalidInputError(
                f"t_s = {t_s!r} s: the passive puff exists from the end of the box stage "
                + f"({self.end_s:.6g} s) of a cloud that becomes passive"
            )
        return self._far_sigmas(t)[0]

    def concentration_at_kg_m3(
        self,
        x_m: ArrayLike,
        y_m: ArrayLike,
        z_m: ArrayLike,
        t_s: float,
        *,
        vertical: VerticalProfile = "top_hat",
    ) -> NDArray[np.float64]:
        """Return the substance mass concentration at time ``t_s``, kg/m^3.

        Parameters
        ----------
        x_m, y_m, z_m : array_like
            Downwind distance from the release point, crosswind offset and height, m.
        t_s : float
            Time since the release, s.
        vertical : {"top_hat", "gaussian"}
            Vertical profile of the box stage (module docstring): the top-hat of height ``H``,
            or the ground-reflected Gaussian of the same ground value and depth integral.

        Returns
        -------
        ndarray
            Concentration: cylinder in the box stage (top-hat in plan, and in height for
            ``"top_hat"``), Gaussian puff (ground-reflected, ``sigma_x = sigma_y``) beyond; 0
            before the release and below ground.

        Raises
        ------
        InvalidInputError
            For an unknown ``vertical``.
        """
        require_choice("vertical", vertical, VERTICAL_PROFILES)
        x, y, z = np.broadcast_arrays(
            np.asarray(x_m, np.float64), np.asarray(y_m, np.float64), np.asarray(z_m, np.float64)
        )
        t = float(t_s)
        if t < 0.0 or (t > self.end_s and not math.isfinite(self.transition_s)):
            return np.zeros(x.shape)
        centre = float(self.centre_at_m(t))
        if t <= self.end_s:
            radius = float(np.interp(t, self.t_s, self.radius_m))
            height = float(np.interp(t, self.t_s, self.height_m))
            conc = float(np.interp(t, self.t_s, self.concentration_kg_m3))
            plan = ((x - centre) ** 2 + y**2 <= radius**2) & (z >= 0.0)
            if vertical == "top_hat":
                return np.where(plan & (z <= height), conc, 0.0)
            depth = np.full(z.shape, height)
            return np.where(plan, conc * _gaussian_depth_factor(z, depth), 0.0)
        sy, sz = self._far_sigmas(t)
        peak = 2.0 * self.mass_kg / ((2.0 * math.pi) ** 1.5 * sy * sy * sz)
        value = peak * np.exp(-0.5 * ((x - centre) ** 2 + y**2) / sy**2 - 0.5 * (z / sz) ** 2)
        return np.where(z >= 0.0, value, 0.0)

    def volume_fraction_at(
        self,
        x_m: ArrayLike,
        y_m: ArrayLike,
        z_m: ArrayLike,
        t_s: float,
        *,
        vertical: VerticalProfile = "top_hat",
    ) -> NDArray[np.float64]:
        """Return the substance volume fraction at time ``t_s`` (see concentration_at_kg_m3)."""
        conc = self.concentration_at_kg_m3(x_m, y_m, z_m, t_s, vertical=vertical)
        t = float(t_s)
        if t > self.end_s:
            return np.asarray(conc * self._far.fraction_per_concentration, dtype=np.float64)
        ratio = float(
            np.interp(
                t, self.t_s, self.volume_fraction / np.maximum(self.concentration_kg_m3, 1e-300)
            )
        )
        if vertical == "top_hat":
            return np.asarray(conc * ratio, dtype=np.float64)
        core = np.full(conc.shape, float(np.interp(t, self.t_s, self.concentration_kg_m3)))
        local = self._far.line_ratio(conc, core)
        return np.asarray(conc * ratio * local, dtype=np.float64)

    def centre_values_at(
        self, t_s: ArrayLike, z_m: float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the concentration and volume fraction above the cloud centre at times ``t_s``.

        Equal, time by time, to :meth:`concentration_at_kg_m3` and :meth:`volume_fraction_at`
        at the centre, at height ``z_m``, with ``vertical="gaussian"``; vectorised in time.

        Parameters
        ----------
        t_s : array_like
            Times since the release, s (values before the release give 0).
        z_m : float
            Height, m (>= 0).

        Returns
        -------
        tuple of ndarray
            Concentration, kg/m^3, and volume fraction, both shaped like ``t_s``.
        """
        t = np.asarray(t_s, dtype=np.float64)
        z = float(require_in_range("z_m", z_m, "m", low=0.0, high=1e5))
        conc = np.zeros(t.shape)
        fraction = np.zeros(t.shape)
        box = (t >= 0.0) & (t <= self.end_s)
        if np.any(box):
            core = np.interp(t[box], self.t_s, self.concentration_kg_m3)
            depth = np.interp(t[box], self.t_s, self.height_m)
            local = core * _gaussian_depth_factor(np.full(core.shape, z), depth)
            ratio = np.interp(
                t[box],
                self.t_s,
                self.volume_fraction / np.maximum(self.concentration_kg_m3, 1e-300),
            )
            conc[box] = local
            fraction[box] = local * ratio * self._far.line_ratio(local, core)
        late = t > self.end_s
        if np.any(late) and math.isfinite(self.transition_s):
            sigmas = np.array([self._far_sigmas(float(s)) for s in t[late]])
            sy, sz = sigmas[:, 0], sigmas[:, 1]
            value = (2.0 * self.mass_kg / ((2.0 * math.pi) ** 1.5 * sy * sy * sz)) * np.exp(
                -0.5 * (z / sz) ** 2
            )
            conc[late] = value
            fraction[late] = value * self._far.fraction_per_concentration
        return conc, fraction

    def peak_volume_fraction(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Return the highest (centre, ground-level) volume fraction at times ``t_s``."""
        times = np.atleast_1d(np.asarray(t_s, np.float64))
        out = np.array(
            [
                float(self.volume_fraction_at(float(self.centre_at_m(t)), 0.0, 0.0, float(t))[()])
                for t in times
            ]
        )
        return out.reshape(np.shape(t_s))


def _far_distance(
    table_x: NDArray[np.float64], table_t: NDArray[np.float64], elapsed: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Distance travelled in ``elapsed`` seconds after the transition (inverse travel table)."""
    slope = (table_x[-1] - table_x[-2]) / (table_t[-1] - table_t[-2])
    inside = np.interp(elapsed, table_t, table_x)
    return np.where(elapsed > table_t[-1], table_x[-1] + (elapsed - table_t[-1]) * slope, inside)


def slab_cloud(
    *,
    substance_key: str,
    mass_kg: float,
    temperature_k: float,
    weather: Weather,
    aerosol_fraction: float = 0.0,
    initial_aspect_ratio: float = 1.0,
    settings: SlabSettings | None = None,
) -> SlabCloud:
    """Return the box-model history of an instantaneous ground-level release.

    The box equations of the module docstring are integrated in time with
    :func:`scipy.integrate.solve_ivp` until the cloud is passive; a Gaussian puff from a
    virtual source continues it.

    Parameters
    ----------
    substance_key : str
        Substance library key.
    mass_kg : float
        Airborne mass released (vapour plus aerosol), kg. Must be > 0.
    temperature_k : float
        Temperature of the released material after flashing, K.
    weather : Weather
        Ambient conditions.
    aerosol_fraction : float, optional
        Liquid mass fraction of the airborne material, in [0, 1).
    initial_aspect_ratio : float, optional
        Initial height over radius ``H0 / R0`` of the cylinder (1: as tall as its radius).
    settings : SlabSettings, optional
        Model constants and numerics (``max_distance_m`` bounds the travel distance).

    Returns
    -------
    SlabCloud
        Box-stage history and the passive continuation.

    Raises
    ------
    InvalidInputError
        For inputs out of range.
    ConvergenceError
        If the ODE integration fails.

    References
    ----------
    .. [1] van Ulden (1974); Cox & Carpenter (1980); Witlox (1994); see the module docstring.
    """
    cfg = settings if settings is not None else SlabSettings()
    mass = require_positive("mass_kg", mass_kg, "kg")
    aspect = require_in_range(
        "initial_aspect_ratio", initial_aspect_ratio, "", low=0.01, high=100.0
    )
    sub = _check_release(substance_key, temperature_k, aerosol_fraction)
    amb = _ambient(weather, cfg)
    table = _mixing_table(
        sub, temperature_k=temperature_k, aerosol_fraction=aerosol_fraction, weather=weather
    )
    rho_a = amb.density_kg_m3
    u_star = amb.friction_velocity_m_s
    rho0 = table.at(0.0)[0]
    r0 = (mass / rho0 / (math.pi * aspect)) ** (1.0 / 3.0)
    offset_y = amb.virtual_distance(r0 / math.sqrt(2.0), vertical=False)

    def state(y: NDArray[np.float64]) -> tuple[float, ...]:
        m_air, radius, centre = max(float(y[0]), 0.0), float(y[1]), float(y[2])
        rho, t, vf, conc = table.at(m_air / mass)
        height = (mass + m_air) / rho / (math.pi * radius**2)
        u_c = amb.mean_speed_m_s(height)
        g_red = max(GRAVITY_M_S2 * (rho - rho_a) / rho_a, 0.0)
        ri = g_red * height / u_star**2
        return m_air, radius, centre, rho, t, vf, conc, height, u_c, g_red, ri

    def rhs(t: float, y: NDArray[np.float64]) -> list[float]:
        _, radius, centre, _, _, _, _, height, u_c, g_red, ri = state(y)
        w_e = VON_KARMAN * u_star / _phi(ri)
        dr_g = cfg.spreading_coefficient * math.sqrt(g_red * height)
        dr_p = math.sqrt(2.0) * u_c * amb.sigma_y_slope(centre + offset_y)
        dm = rho_a * (
            math.pi * radius**2 * w_e
            + 2.0 * math.pi * radius * height * (cfg.edge_entrainment_coefficient * dr_g + dr_p)
        )
        return [dm, dr_g + dr_p, u_c]

    def density_event(t: float, y: NDArray[np.float64]) -> float:
        return (state(y)[3] - rho_a) / rho_a - cfg.transition_density_excess

    def richardson_event(t: float, y: NDArray[np.float64]) -> float:
        return state(y)[10] - cfg.transition_richardson_number

    def distance_event(t: float, y: NDArray[np.float64]) -> float:
        return float(y[2]) - cfg.max_distance_m

    for event in (density_event, richardson_event, distance_event):
        event.terminal = True  # type: ignore[attr-defined]
    density_event.direction = -1  # type: ignore[attr-defined]
    richardson_event.direction = -1  # type: ignore[attr-defined]

    y0 = np.array([0.0, r0, 0.0])
    dense_at_source = density_event(0.0, y0) > 0 and richardson_event(0.0, y0) > 0
    if dense_at_source:
        t_max = 10.0 * cfg.max_distance_m / max(amb.mean_speed_m_s(0.0), 1e-3)
        sol = solve_ivp(
            rhs,
            (0.0, t_max),
            y0,
            method="RK45",
            rtol=cfg.rtol,
            atol=[1e-6 * mass, 1e-6, 1e-6],
            events=(density_event, richardson_event, distance_event),
            first_step=min(0.01 * r0, 0.1),
            dense_output=True,
        )
        if sol.status < 0:
            raise ConvergenceError(f"dense cloud integration (RK45) failed: {sol.message}")
        ts = _sample_grid(sol.t)
        ys = sol.sol(ts)
        passive = sol.status == 1 and sol.t_events[2].size == 0
        transition = float(ts[-1]) if passive else math.inf
    else:
        ts, ys = np.array([0.0]), y0[:, None]
        transition = 0.0
    rows = np.array([state(ys[:, i]) for i in range(ts.size)])
    m_air, radius, centre, rho, t_mix, vf, conc, height, u_c, _, ri = rows.T
    vy = amb.virtual_distance(radius[-1] / math.sqrt(2.0), vertical=False)
    vz = amb.virtual_distance(height[-1] * math.sqrt(2.0 / math.pi), vertical=True)
    end = float(centre[-1])
    return SlabCloud(
        substance=sub.key,
        mass_kg=mass,
        t_s=np.asarray(ts, dtype=np.float64),
        centre_m=centre,
        radius_m=radius,
        height_m=height,
        volume_fraction=vf,
        concentration_kg_m3=conc,
        temperature_k=t_mix,
        density_kg_m3=rho,
        richardson_number=ri,
        speed_m_s=u_c,
        air_mass_kg=m_air,
        transition_s=transition,
        air_density_kg_m3=rho_a,
        _far=_continuation(amb, table, end, vy, vz, vf, conc),
    )
