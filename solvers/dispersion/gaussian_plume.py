"""Steady Gaussian plume from a continuous point source, with ground and mixing-lid reflections.

Model
-----
For a source of ``Q`` kg/s at effective height ``H``, in a wind ``u`` blowing along ``x``::

    C(x, y, z) = Q / u * F_y(y; sigma_y(x)) * F_z(z; H, sigma_z(x), h)

``F_y`` is the normal density across the wind. ``F_z`` is the vertical density with the ground
(z = 0) and the top of the mixing layer (z = h) both reflecting: the source and its images at
``+-H + 2 n h`` (Turner 1970, ch. 5, limited mixing). Once ``sigma_z > 1.6 h`` the layer is
taken as well mixed and ``F_z = 1 / h`` (Turner 1970, ch. 5). Both forms integrate to one over
the layer, so the flux ``u * C`` through any crosswind plane is ``Q`` (tests check this). A
source above the lid sees no lid.

The spreads come from :mod:`solvers.dispersion.briggs_sigma` (Briggs 1973 rural or urban, or the
Pasquill-Gifford-Turner curves); the wind that carries the plume from
:func:`solvers.dispersion.stability.transport_wind_speed_m_s`. Validity: passive (neutrally
buoyant) gas, wind above 0.5 m/s, flat terrain, distances from about 100 m to 10 km (the formulas
are extrapolated nearer the source; within 1 m the spreads at 1 m are used). The plume is steady:
it ignores the time since release (use :mod:`solvers.dispersion.gaussian_puff` for transients).

Plume rise: :func:`briggs_final_rise_m` gives Briggs' final rise for a hot or fast stack
discharge, to be added to the release height through ``PlumeSource.plume_rise_m``.

References
----------
.. [1] Turner, D. B. (1970). Workbook of Atmospheric Dispersion Estimates. US EPA AP-26, ch. 3
   (the Gaussian plume) and ch. 5 (limited mixing).
.. [2] Hanna, S. R., Briggs, G. A. and Hosker, R. P. (1982). Handbook on Atmospheric Diffusion.
   US DOE/TIC-11223, sec. 4.
.. [3] Briggs, G. A. (1975). Plume rise predictions. In Lectures on Air Pollution and
   Environmental Impact Analyses, AMS, 59-111; as implemented in US EPA (1995), User's Guide for
   the ISC3 Dispersion Models, Vol. II, EPA-454/B-95-003b, sec. 1.1.4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers._checks import require_finite, require_in_range, require_non_negative
from solvers.atmosphere import StabilityClass, Weather, downwind_unit_vector
from solvers.dispersion._common import add_initial_sigma_m, weather_sigmas_m
from solvers.dispersion.briggs_sigma import (
    REFERENCE_AVERAGING_TIME_S,
    SigmaScheme,
)
from solvers.dispersion.stability import transport_wind_speed_m_s
from solvers.errors import InvalidInputError

__all__ = [
    "WELL_MIXED_SIGMA_RATIO",
    "GaussianPlume",
    "PlumeSource",
    "as_points",
    "briggs_final_rise_m",
    "crosswind_factor_per_m",
    "gaussian_plume",
    "vertical_factor_per_m",
]

#: sigma_z / h beyond which the mixing layer is taken as uniformly mixed (Turner 1970, ch. 5).
WELL_MIXED_SIGMA_RATIO = 1.6
#: Number of standard deviations an image must lie within to be summed.
_IMAGE_REACH_SIGMAS = 8.0

_SQRT_2PI = math.sqrt(2.0 * math.pi)
_G_M_S2 = 9.80665

# Briggs plume rise as implemented in ISC3 (US EPA 1995, Vol. II, sec. 1.1.4).
#: Buoyancy flux, m^4/s^3, separating the two neutral/unstable regimes.
_RISE_FB_SPLIT = 55.0
#: Neutral/unstable buoyant final rise: dh = a Fb^b / u for Fb < 55 and Fb >= 55.
_RISE_BUOYANT_LOW = (21.425, 0.75)
_RISE_BUOYANT_HIGH = (38.71, 0.6)
#: Crossover temperature differences, K: 0.0297 Ts vs^(1/3) / ds^(2/3) (Fb < 55),
#: 0.00575 Ts vs^(2/3) / ds^(1/3) (Fb >= 55), 0.019582 Ts vs sqrt(s) (stable).
_RISE_CROSSOVER_LOW = 0.0297
_RISE_CROSSOVER_HIGH = 0.00575
_RISE_CROSSOVER_STABLE = 0.019582
#: Default potential temperature gradients for classes E and F, K/m.
_RISE_DTHETA_DZ = {"E": 0.020, "F": 0.035}
#: Stable buoyant rise 2.6 (Fb / (u s))^(1/3); stable momentum rise 1.5 (Fm / (u sqrt(s)))^(1/3);
#: neutral momentum rise 3 d v / u.
_RISE_STABLE_BUOYANT = 2.6
_RISE_STABLE_MOMENTUM = 1.5
_RISE_NEUTRAL_MOMENTUM = 3.0


def as_points(points_m: ArrayLike) -> NDArray[np.float64]:
    """Return ``points_m`` as an (n, 3) float array; raise unless so shaped and finite."""
    pts = np.asarray(points_m, dtype=np.float64)
    if pts.ndim == 1 and pts.size == 3:
        pts = pts.reshape(1, 3)
    if pts.ndim != 2 or pts.shape[1] != 3:
        raise InvalidInputError(f"points_m has shape {pts.shape}: must be (n, 3) x, y, z in m")
    if not np.all(np.isfinite(pts)):
        raise InvalidInputError("points_m: must hold finite coordinates, m")
    return pts


def crosswind_factor_per_m(y_m: ArrayLike, sigma_y_m: ArrayLike) -> NDArray[np.float64]:
    """Return the crosswind normal density ``exp(-y^2 / 2 sy^2) / (sqrt(2 pi) sy)``, 1/m.

    Examples
    --------
    >>> round(float(crosswind_factor_per_m(0.0, 1.0)), 6)
    0.398942
    """
    y = np.asarray(y_m, dtype=np.float64)
    sy = np.asarray(sigma_y_m, dtype=np.float64)
    return np.asarray(np.exp(-0.5 * (y / sy) ** 2) / (_SQRT_2PI * sy), dtype=np.float64)


def vertical_factor_per_m(
    z_m: ArrayLike,
    source_height_m: float,
    sigma_z_m: ArrayLike,
    mixing_height_m: float = math.inf,
) -> NDArray[np.float64]:
    """Return the vertical density of a reflected Gaussian, 1/m (integrates to 1 over the layer).

    The source at ``H`` and its images at ``+-H + 2 n h`` for the ground and the lid at ``h``
    (Turner 1970, ch. 5), summed as far as they reach within 8 sigma; ``1 / h`` where
    ``sigma_z > 1.6 h`` (the well-mixed limit). Above the lid the density is 0. With no lid
    (``h`` infinite, or a source at or above it) only the ground image is added. Receptors below
    ground are taken at ground level.

    Parameters
    ----------
    z_m : float or array
        Receptor heights, m.
    source_height_m : float
        Effective source height H, m (>= 0).
    sigma_z_m : float or array
        Vertical spreads, m (> 0); broadcast against ``z_m``.
    mixing_height_m : float
        Mixing-layer height h, m; ``inf`` for none.

    Returns
    -------
    array
        Density, 1/m, with the broadcast shape of ``z_m`` and ``sigma_z_m``.

    References
    ----------
    .. [1] Turner, D. B. (1970). Workbook of Atmospheric Dispersion Estimates, ch. 5.
    """
    z = np.maximum(np.asarray(z_m, dtype=np.float64), 0.0)
    sz = np.asarray(sigma_z_m, dtype=np.float64)
    h_src = float(source_height_m)
    two_var = 2.0 * sz * sz
    norm = 1.0 / (_SQRT_2PI * sz)
    lid = float(mixing_height_m)
    if not math.isfinite(lid) or h_src >= lid:
        return np.asarray(
            norm * (np.exp(-((z - h_src) ** 2) / two_var) + np.exp(-((z + h_src) ** 2) / two_var)),
            dtype=np.float64,
        )
    z, sz, two_var, norm = np.broadcast_arrays(z, sz, two_var, norm)
    well_mixed = sz > WELL_MIXED_SIGMA_RATIO * lid
    reach = float(np.max(np.where(well_mixed, 0.0, sz), initial=0.0)) * _IMAGE_REACH_SIGMAS
    n_max = max(1, math.ceil((reach / lid + 1.0) / 2.0))
    total = np.zeros(z.shape)
    for n in range(-n_max, n_max + 1):
        shift = 2.0 * n * lid
        total += np.exp(-((z - h_src - shift) ** 2) / two_var)
        total += np.exp(-((z + h_src - shift) ** 2) / two_var)
    density = np.where(well_mixed, 1.0 / lid, norm * total)
    return np.asarray(np.where(z > lid, 0.0, density), dtype=np.float64)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlumeSource:
    """A continuous point source.

    Attributes
    ----------
    mass_rate_kg_s : float
        Release rate, kg/s (>= 0).
    x_m, y_m : float
        Source position in site coordinates (x east, y north), m.
    release_height_m : float
        Height of the release point above ground, m.
    plume_rise_m : float
        Rise of the plume above the release point, m (see :func:`briggs_final_rise_m`).
    initial_sigma_y_m, initial_sigma_z_m : float
        Initial spreads of the source (a virtual source), m, added in quadrature.
    """

    mass_rate_kg_s: float
    x_m: float = 0.0
    y_m: float = 0.0
    release_height_m: float = 0.0
    plume_rise_m: float = 0.0
    initial_sigma_y_m: float = 0.0
    initial_sigma_z_m: float = 0.0

    def __post_init__(self) -> None:
        require_non_negative("mass_rate_kg_s", self.mass_rate_kg_s, "kg/s")
        require_finite("x_m", self.x_m, "m")
        require_finite("y_m", self.y_m, "m")
        require_in_range("release_height_m", self.release_height_m, "m", low=0.0, high=1.0e4)
        require_in_range("plume_rise_m", self.plume_rise_m, "m", low=0.0, high=1.0e4)
        require_non_negative("initial_sigma_y_m", self.initial_sigma_y_m, "m")
        require_non_negative("initial_sigma_z_m", self.initial_sigma_z_m, "m")

    @property
    def effective_height_m(self) -> float:
        """Release height plus plume rise, m."""
        return self.release_height_m + self.plume_rise_m


@dataclass(frozen=True, slots=True, kw_only=True)
class GaussianPlume:
    """A steady Gaussian plume, ready to be evaluated at any points.

    Build it with :func:`gaussian_plume`.

    Attributes
    ----------
    source : PlumeSource
        The source.
    weather : Weather
        Wind, stability class, mixing height.
    sigma_scheme : {"briggs", "pasquill_gifford_turner"}
        Spread parameterisation.
    averaging_time_s : float
        Averaging time of the concentrations, s.
    wind_speed_m_s : float
        Speed that carries the plume, m/s.
    downwind_unit : tuple[float, float]
        Unit vector (east, north) the wind blows to.
    """

    source: PlumeSource
    weather: Weather
    sigma_scheme: SigmaScheme
    averaging_time_s: float
    wind_speed_m_s: float
    downwind_unit: tuple[float, float]

    def sigmas_m(self, x_m: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return (sigma_y, sigma_z) at downwind distances ``x_m``, with the initial spreads."""
        sy, sz = weather_sigmas_m(x_m, self.weather, self.sigma_scheme, self.averaging_time_s)
        sy0, sz0 = self.source.initial_sigma_y_m, self.source.initial_sigma_z_m
        return add_initial_sigma_m(sy, sy0), add_initial_sigma_m(sz, sz0)

    def along_across_m(
        self, points_m: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return downwind and crosswind (positive to the left) distances from the source, m."""
        pts = as_points(points_m)
        dx = pts[:, 0] - self.source.x_m
        dy = pts[:, 1] - self.source.y_m
        ex, ey = self.downwind_unit
        return dx * ex + dy * ey, -dx * ey + dy * ex

    def concentration_kg_m3(self, points_m: ArrayLike, t_s: float = 0.0) -> NDArray[np.float64]:
        """Return the concentration at points, kg/m^3 (steady: ``t_s`` is ignored).

        Parameters
        ----------
        points_m : (n, 3) float
            Receptor positions x east, y north, z up, m.
        t_s : float
            Time since the release started, s (unused: the plume is steady).

        Returns
        -------
        (n,) float
            Concentration, kg/m^3; 0 upwind of the source.
        """
        pts = as_points(points_m)
        along, across = self.along_across_m(pts)
        downwind = along > 0.0
        out = np.zeros(pts.shape[0])
        if not np.any(downwind) or self.source.mass_rate_kg_s == 0.0:
            return out
        sy, sz = self.sigmas_m(along[downwind])
        fz = vertical_factor_per_m(
            pts[downwind, 2], self.source.effective_height_m, sz, self.weather.mixing_height_m
        )
        out[downwind] = (
            self.source.mass_rate_kg_s
            / self.wind_speed_m_s
            * crosswind_factor_per_m(across[downwind], sy)
            * fz
        )
        return out


def gaussian_plume(
    source: PlumeSource,
    weather: Weather,
    *,
    sigma_scheme: SigmaScheme = "briggs",
    averaging_time_s: float = REFERENCE_AVERAGING_TIME_S,
) -> GaussianPlume:
    """Return the steady Gaussian plume of a continuous source in the given weather.

    Parameters
    ----------
    source : PlumeSource
        Rate, position, height and plume rise.
    weather : Weather
        Wind (speed at its reference height and direction), stability class, roughness class
        (``is_urban``), mixing height.
    sigma_scheme : {"briggs", "pasquill_gifford_turner"}
        Spread parameterisation (:mod:`solvers.dispersion.briggs_sigma`).
    averaging_time_s : float
        Averaging time of the concentrations, s (sigma_y scales as ``(t / 600 s)^0.2``).

    Returns
    -------
    GaussianPlume
        The plume; evaluate it with :meth:`GaussianPlume.concentration_kg_m3`.

    Raises
    ------
    InvalidInputError
        If the wind is calm (< 0.5 m/s), or for an unknown scheme.

    References
    ----------
    .. [1] Turner, D. B. (1970). Workbook of Atmospheric Dispersion Estimates, ch. 3 and 5.
    """
    speed = transport_wind_speed_m_s(weather, source.effective_height_m)
    weather_sigmas_m(1.0, weather, sigma_scheme, averaging_time_s)
    return GaussianPlume(
        source=source,
        weather=weather,
        sigma_scheme=sigma_scheme,
        averaging_time_s=float(averaging_time_s),
        wind_speed_m_s=speed,
        downwind_unit=downwind_unit_vector(weather.wind_from_deg),
    )


def briggs_final_rise_m(
    *,
    stack_diameter_m: float,
    exit_velocity_m_s: float,
    exit_temperature_k: float,
    ambient_temperature_k: float,
    wind_speed_m_s: float,
    stability_class: StabilityClass,
) -> float:
    """Return Briggs' final plume rise of a stack discharge, m.

    Buoyancy flux ``Fb = g v d^2 (Ts - Ta) / (4 Ts)`` and momentum flux
    ``Fm = v^2 d^2 Ta / (4 Ts)``. Neutral and unstable classes (A-D): buoyant rise
    ``21.425 Fb^(3/4) / u`` (Fb < 55 m^4/s^3) or ``38.71 Fb^(3/5) / u`` (Fb >= 55) when the
    excess temperature passes the crossover, else momentum rise ``3 d v / u``. Stable classes
    (E, F; dtheta/dz = 0.020, 0.035 K/m): ``2.6 (Fb / (u s))^(1/3)`` or the smaller of
    ``1.5 (Fm / (u sqrt(s)))^(1/3)`` and ``3 d v / u``, with ``s = g dtheta/dz / Ta``. A gas
    colder than the air rises by momentum only.

    Parameters
    ----------
    stack_diameter_m : float
        Stack (or jet) diameter, m (> 0).
    exit_velocity_m_s : float
        Exit velocity, m/s (>= 0).
    exit_temperature_k : float
        Exit gas temperature, K.
    ambient_temperature_k : float
        Air temperature, K.
    wind_speed_m_s : float
        Wind speed at stack height, m/s (>= 0.5).
    stability_class : {"A", "B", "C", "D", "E", "F"}
        Pasquill-Gifford class.

    Returns
    -------
    float
        Final rise above the stack top, m.

    References
    ----------
    .. [1] Briggs, G. A. (1975). Plume rise predictions; US EPA (1995), ISC3 User's Guide
       Vol. II, EPA-454/B-95-003b, sec. 1.1.4.

    Examples
    --------
    >>> round(briggs_final_rise_m(stack_diameter_m=1.0, exit_velocity_m_s=10.0,
    ...     exit_temperature_k=400.0, ambient_temperature_k=293.0, wind_speed_m_s=5.0,
    ...     stability_class="D"), 1)
    17.6
    """
    d = require_in_range("stack_diameter_m", stack_diameter_m, "m", low=1e-3, high=100.0)
    v = require_in_range("exit_velocity_m_s", exit_velocity_m_s, "m/s", low=0.0, high=1000.0)
    ts = require_in_range("exit_temperature_k", exit_temperature_k, "K", low=50.0, high=2500.0)
    ta = require_in_range(
        "ambient_temperature_k", ambient_temperature_k, "K", low=200.0, high=330.0
    )
    u = require_in_range("wind_speed_m_s", wind_speed_m_s, "m/s", low=0.5, high=100.0)
    if stability_class not in ("A", "B", "C", "D", "E", "F"):
        raise InvalidInputError(
            f"stability_class = {stability_class!r}: choose one of ['A', 'B', 'C', 'D', 'E', 'F']"
        )
    if v == 0.0:
        return 0.0
    fb = _G_M_S2 * v * d * d * (ts - ta) / (4.0 * ts)
    fm = v * v * d * d * ta / (4.0 * ts)
    momentum_neutral = _RISE_NEUTRAL_MOMENTUM * d * v / u
    if stability_class in _RISE_DTHETA_DZ:
        s = _G_M_S2 * _RISE_DTHETA_DZ[stability_class] / ta
        crossover = _RISE_CROSSOVER_STABLE * ts * v * math.sqrt(s)
        if fb > 0.0 and ts - ta >= crossover:
            return float(_RISE_STABLE_BUOYANT * (fb / (u * s)) ** (1.0 / 3.0))
        stable_momentum = _RISE_STABLE_MOMENTUM * (fm / (u * math.sqrt(s))) ** (1.0 / 3.0)
        return float(min(momentum_neutral, stable_momentum))
    if fb < _RISE_FB_SPLIT:
        crossover = _RISE_CROSSOVER_LOW * ts * v ** (1.0 / 3.0) / d ** (2.0 / 3.0)
        a, b = _RISE_BUOYANT_LOW
    else:
        crossover = _RISE_CROSSOVER_HIGH * ts * v ** (2.0 / 3.0) / d ** (1.0 / 3.0)
        a, b = _RISE_BUOYANT_HIGH
    if fb > 0.0 and ts - ta >= crossover:
        return float(a * fb**b / u)
    return float(momentum_neutral)
