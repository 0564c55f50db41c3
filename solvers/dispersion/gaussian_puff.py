"""Gaussian puffs: an instantaneous release, and a time-varying release as a train of puffs.

Model
-----
A puff of mass ``m`` released at ``t_k`` from ``(x0, y0, H)`` drifts with the wind ``u`` along the
downwind unit vector ``e``; at time ``t`` its centre is ``(x0, y0) + u (t - t_k) e`` and::

    C = m * exp(-r^2 / (2 sigma_y^2)) / (2 pi sigma_y^2) * F_z(z; H, sigma_z, h)

with ``r`` the horizontal distance to the centre, sigma_x = sigma_y (an axisymmetric puff), and
``F_z`` the vertical density with ground and mixing-lid reflections of
:func:`solvers.dispersion.gaussian_plume.vertical_factor_per_m`. The spreads are those of the
plume model at the puff's travel distance ``u (t - t_k)`` (the slender-plume identification of
Turner 1970, ch. 3; Hanna, Briggs and Hosker 1982, sec. 4), so that a long steady release
reproduces the steady plume away from its ends (a test checks this).

A :class:`~solvers.source.source_term.SourceTerm` becomes a train of puffs, one per interval
``dt``: puff ``k`` carries the airborne mass released in ``[k dt, (k + 1) dt]`` (integrated
exactly from the piecewise-linear rate) and leaves at the middle of its interval. The puffs must
overlap where the concentration matters: spacing ``u dt`` below about 1.5 sigma_y keeps the
along-wind ripple under 0.1 %. The default interval makes the spacing one sigma_y at 100 m.

Because sigma_x = sigma_y, each puff's horizontal Gaussian factorises along any pair of
orthogonal axes, whatever the wind direction. On a regular grid the field is therefore a sum of
outer products ``G_y^T diag(w) G_x`` of per-axis factors, one matrix product per time
(:meth:`PuffTrain.concentration_on_grid_kg_m3`).

References
----------
.. [1] Turner, D. B. (1970). Workbook of Atmospheric Dispersion Estimates. US EPA AP-26, ch. 3.
.. [2] Hanna, S. R., Briggs, G. A. and Hosker, R. P. (1982). Handbook on Atmospheric Diffusion.
   US DOE/TIC-11223, sec. 4 (instantaneous sources).
.. [3] Scire, J. S. et al. (2000). A User's Guide for the CALPUFF Dispersion Model (puff
   sampling and puff spacing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geometry.grid import Grid2D
from solvers._checks import require_finite, require_in_range, require_non_negative
from solvers.atmosphere import Weather, downwind_unit_vector
from solvers.dispersion._common import add_initial_sigma_m, weather_sigmas_m
from solvers.dispersion.briggs_sigma import (
    REFERENCE_AVERAGING_TIME_S,
    SigmaScheme,
)
from solvers.dispersion.gaussian_plume import as_points, vertical_factor_per_m
from solvers.dispersion.stability import transport_wind_speed_m_s
from solvers.errors import InvalidInputError
from solvers.source.source_term import SourceTerm

__all__ = [
    "PuffTrain",
    "default_puff_interval_s",
    "gaussian_puff_train",
    "instantaneous_puff",
]

#: Distance at which the default puff spacing equals sigma_y, m.
NEAR_FIELD_DISTANCE_M = 100.0
#: Bounds of the default puff interval, s.
_MIN_PUFF_INTERVAL_S = 0.1
_MAX_PUFF_INTERVAL_S = 60.0
#: Most puffs a train may hold; a longer release gets a longer interval.
MAX_PUFFS = 20_000
#: A puff is ignored beyond this many sigma_y from a receptor (its factor is below 1e-8).
_REACH_SIGMAS = 6.0
#: Receptor x puff pairs evaluated at once, to bound memory (about 32 MB per float64 array).
_CHUNK_ELEMENTS = 4_000_000


def _readonly(values: ArrayLike) -> NDArray[np.float64]:
    arr = np.array(values, dtype=np.float64).reshape(-1)
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, slots=True, kw_only=True)
class PuffTrain:
    """Puffs released from one point and carried by a steady wind.

    Build it with :func:`gaussian_puff_train` or :func:`instantaneous_puff`.

    Attributes
    ----------
    release_times_s : (k,) float
        Time each puff leaves the source, s since the release started.
    masses_kg : (k,) float
        Mass carried by each puff, kg.
    x_m, y_m : float
        Source position (x east, y north), m.
    release_height_m : float
        Height of the puff centres above ground, m.
    weather : Weather
        Wind, stability class, mixing height.
    sigma_scheme : {"briggs", "pasquill_gifford_turner"}
        Spread parameterisation.
    averaging_time_s : float
        Averaging time the spreads stand for, s.
    wind_speed_m_s : float
        Speed that carries the puffs, m/s.
    downwind_unit : tuple[float, float]
        Unit vector (east, north) the wind blows to.
    initial_sigma_m : float
        Initial horizontal and vertical spread of each puff (a virtual source), m.
    """

    release_times_s: NDArray[np.float64]
    masses_kg: NDArray[np.float64]
    x_m: float
    y_m: float
    release_height_m: float
    weather: Weather
    sigma_scheme: SigmaScheme
    averaging_time_s: float
    wind_speed_m_s: float
    downwind_unit: tuple[float, float]
    initial_sigma_m: float = 0.0

    def __post_init__(self) -> None:
        times = _readonly(self.release_times_s)
        masses = _readonly(self.masses_kg)
        if times.shape != masses.shape:
            raise InvalidInputError(
                f"release_times_s has {times.size} values and masses_kg {masses.size}: "
                + "they must match, one per puff"
            )
        if not (np.all(np.isfinite(times)) and np.all(np.isfinite(masses)) and np.all(masses >= 0)):
            raise InvalidInputError("release_times_s and masses_kg must be finite, masses >= 0 kg")
        object.__setattr__(self, "release_times_s", times)
        object.__setattr__(self, "masses_kg", masses)

    @property
    def total_mass_kg(self) -> float:
        """Mass of all puffs, kg."""
        return float(self.masses_kg.sum())

    def released_mass_kg(self, t_s: float) -> float:
        """Mass of the puffs released by ``t_s``, kg."""
        return float(self.masses_kg[self.release_times_s <= t_s].sum())

    def puffs_at(
        self, t_s: float
    ) -> tuple[
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
    ]:
        """Return the puffs in the air at ``t_s``: masses, centres x and y, sigma_y, sigma_z.

        Parameters
        ----------
        t_s : float
            Time since the release started, s.

        Returns
        -------
        masses_kg, x_m, y_m, sigma_y_m, sigma_z_m : (k,) float
            Released puffs with mass, their centres (m) and spreads (m).
        """
        t = require_finite("t_s", t_s, "s")
        released = (self.release_times_s <= t) & (self.masses_kg > 0.0)
        age_s = t - self.release_times_s[released]
        travel_m = self.wind_speed_m_s * age_s
        sy, sz = weather_sigmas_m(travel_m, self.weather, self.sigma_scheme, self.averaging_time_s)
        s0 = self.initial_sigma_m
        sy = add_initial_sigma_m(sy, s0)
        sz = add_initial_sigma_m(sz, s0)
        ex, ey = self.downwind_unit
        return (
            self.masses_kg[released],
            self.x_m + travel_m * ex,
            self.y_m + travel_m * ey,
            sy,
            sz,
        )

    def concentration_kg_m3(self, points_m: ArrayLike, t_s: float) -> NDArray[np.float64]:
        """Return the concentration at points at time ``t_s``, kg/m^3 (sum over all puffs).

        Vectorised over receptors x puffs in chunks of about four million pairs. In each chunk,
        puffs whose centre lies more than 6 sigma_y outside the chunk's bounding box are skipped,
        pairs beyond 6 sigma_y are not exponentiated, and the vertical factor is computed once
        per distinct receptor height (crowds and grids share a few heights).

        Parameters
        ----------
        points_m : (n, 3) float
            Receptor positions x east, y north, z up, m.
        t_s : float
            Time since the release started, s.

        Returns
        -------
        (n,) float
            Concentration, kg/m^3.
        """
        pts = as_points(points_m)
        out = np.zeros(pts.shape[0])
        mass, cx, cy, sy, sz = self.puffs_at(t_s)
        if mass.size == 0 or pts.shape[0] == 0:
            return out
        reach = _REACH_SIGMAS * sy
        weight = mass / (2.0 * math.pi * sy * sy)
        two_var = 2.0 * sy * sy
        cut = 0.5 * _REACH_SIGMAS**2
        lid = self.weather.mixing_height_m
        step = max(1, _CHUNK_ELEMENTS // mass.size)
        for start in range(0, pts.shape[0], step):
            chunk = pts[start : start + step]
            lo = chunk.min(axis=0)
            hi = chunk.max(axis=0)
            near = np.flatnonzero(
                (cx + reach >= lo[0])
                & (cx - reach <= hi[0])
                & (cy + reach >= lo[1])
                & (cy - reach <= hi[1])
            )
            if near.size == 0:
                continue
            arg = ((chunk[:, 0:1] - cx[near]) ** 2 + (chunk[:, 1:2] - cy[near]) ** 2) / two_var[
                near
            ]
            horizontal = np.exp(-arg, where=arg < cut, out=np.zeros_like(arg))
            heights, which = np.unique(chunk[:, 2], return_inverse=True)
            vertical = vertical_factor_per_m(
                heights[:, None], self.release_height_m, sz[near][None, :], lid
            )
            out[start : start + step] = np.einsum(
                "ik,ik,k->i", horizontal, vertical[which], weight[near], optimize=True
            )
        return out

    def concentration_on_grid_kg_m3(
        self, grid: Grid2D, z_m: float, t_s: float
    ) -> NDArray[np.float64]:
        """Return the concentration on the cell centres of a grid at height ``z_m``, kg/m^3.

        Each puff's horizontal factor is the product of a factor along the grid's x axis and one
        along its y axis (sigma_x = sigma_y), so the field is ``G_y^T diag(w) G_x``: one matrix
        product over the puffs, whatever the wind direction.

        Parameters
        ----------
        grid : Grid2D
            Receptor grid (cell centres).
        z_m : float
            Receptor height, m.
        t_s : float
            Time since the release started, s.

        Returns
        -------
        (ny, nx) float
            Concentration, kg/m^3.
        """
        z = require_finite("z_m", z_m, "m")
        ny, nx = grid.shape
        out = np.zeros((ny, nx))
        mass, cx, cy, sy, sz = self.puffs_at(t_s)
        if mass.size == 0:
            return out
        x0, y0, x1, y1 = grid.bounds_m
        reach = _REACH_SIGMAS * sy
        near = (cx + reach >= x0) & (cx - reach <= x1) & (cy + reach >= y0) & (cy - reach <= y1)
        mass, cx, cy, sy, sz = mass[near], cx[near], cy[near], sy[near], sz[near]
        if mass.size == 0:
            return out
        weight = (
            mass
            / (2.0 * math.pi * sy * sy)
            * vertical_factor_per_m(z, self.release_height_m, sz, self.weather.mixing_height_m)
        )
        xs, ys = grid.x_m, grid.y_m
        step = max(1, _CHUNK_ELEMENTS // max(nx, ny))
        for start in range(0, mass.size, step):
            part = slice(start, start + step)
            two_var = (2.0 * sy[part] * sy[part])[:, None]
            gx = np.exp(-((xs[None, :] - cx[part, None]) ** 2) / two_var)
            gy = np.exp(-((ys[None, :] - cy[part, None]) ** 2) / two_var)
            out += (gy * weight[part, None]).T @ gx
        return out


def _weather_wind(weather: Weather, release_height_m: float) -> tuple[float, tuple[float, float]]:
    return (
        transport_wind_speed_m_s(weather, release_height_m),
        downwind_unit_vector(weather.wind_from_deg),
    )


def instantaneous_puff(
    mass_kg: float,
    weather: Weather,
    *,
    x_m: float = 0.0,
    y_m: float = 0.0,
    release_height_m: float = 0.0,
    release_time_s: float = 0.0,
    sigma_scheme: SigmaScheme = "briggs",
    averaging_time_s: float = REFERENCE_AVERAGING_TIME_S,
    initial_sigma_m: float = 0.0,
) -> PuffTrain:
    """Return a single puff: an instantaneous release of ``mass_kg``.

    Parameters
    ----------
    mass_kg : float
        Released mass, kg (>= 0).
    weather : Weather
        Wind, stability class, mixing height.
    x_m, y_m : float
        Release position (x east, y north), m.
    release_height_m : float
        Release height, m.
    release_time_s : float
        Time of the release, s.
    sigma_scheme : {"briggs", "pasquill_gifford_turner"}
        Spread parameterisation.
    averaging_time_s : float
        Averaging time the spreads stand for, s.
    initial_sigma_m : float
        Initial spread of the cloud, m (for example the radius of a flashed cloud / 2.15).

    Returns
    -------
    PuffTrain
        A train of one puff.

    Raises
    ------
    InvalidInputError
        If the wind is calm (< 0.5 m/s) or an input is out of range.
    """
    require_non_negative("mass_kg", mass_kg, "kg")
    require_in_range("release_height_m", release_height_m, "m", low=0.0, high=1.0e4)
    require_non_negative("initial_sigma_m", initial_sigma_m, "m")
    speed, unit = _weather_wind(weather, release_height_m)
    weather_sigmas_m(1.0, weather, sigma_scheme, averaging_time_s)
    return PuffTrain(
        release_times_s=np.array([require_finite("release_time_s", release_time_s, "s")]),
        masses_kg=np.array([float(mass_kg)]),
        x_m=require_finite("x_m", x_m, "m"),
        y_m=require_finite("y_m", y_m, "m"),
        release_height_m=float(release_height_m),
        weather=weather,
        sigma_scheme=sigma_scheme,
        averaging_time_s=float(averaging_time_s),
        wind_speed_m_s=speed,
        downwind_unit=unit,
        initial_sigma_m=float(initial_sigma_m),
    )


def default_puff_interval_s(
    weather: Weather,
    duration_s: float,
    *,
    release_height_m: float = 0.0,
    sigma_scheme: SigmaScheme = "briggs",
) -> float:
    """Return the puff interval that spaces puffs one sigma_y (at 100 m) apart, s.

    ``dt = sigma_y(100 m) / u``, kept within 0.1-60 s and long enough that the release needs at
    most 20 000 puffs.

    Parameters
    ----------
    weather : Weather
        Wind and stability class.
    duration_s : float
        Release duration, s.
    release_height_m : float
        Release height, m (sets the transport wind).
    sigma_scheme : {"briggs", "pasquill_gifford_turner"}
        Spread parameterisation.

    Returns
    -------
    float
        Puff interval, s.
    """
    speed = transport_wind_speed_m_s(weather, release_height_m)
    sigma_y, _ = weather_sigmas_m(NEAR_FIELD_DISTANCE_M, weather, sigma_scheme)
    dt = float(sigma_y) / speed
    dt = min(max(dt, _MIN_PUFF_INTERVAL_S), _MAX_PUFF_INTERVAL_S)
    return max(dt, float(duration_s) / MAX_PUFFS)


def _cumulative_mass_kg(source: SourceTerm, t_s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Exact airborne mass released from 0 to each ``t_s`` (rate linear between samples), kg."""
    t_src = source.t_s
    rate = source.airborne_rate_kg_s
    if t_src.size == 1:
        return np.zeros_like(t_s)
    widths = np.diff(t_src)
    nodes = np.concatenate(([0.0], np.cumsum(0.5 * (rate[:-1] + rate[1:]) * widths)))
    t = np.clip(t_s, 0.0, t_src[-1])
    seg = np.clip(np.searchsorted(t_src, t, side="right") - 1, 0, t_src.size - 2)
    tau = t - t_src[seg]
    slope = (rate[seg + 1] - rate[seg]) / widths[seg]
    return np.asarray(nodes[seg] + rate[seg] * tau + 0.5 * slope * tau * tau, dtype=np.float64)


def gaussian_puff_train(
    source: SourceTerm,
    weather: Weather,
    *,
    x_m: float = 0.0,
    y_m: float = 0.0,
    puff_interval_s: float | None = None,
    sigma_scheme: SigmaScheme = "briggs",
    averaging_time_s: float = REFERENCE_AVERAGING_TIME_S,
    initial_sigma_m: float = 0.0,
) -> PuffTrain:
    """Return the train of puffs that carries a time-varying release downwind.

    Parameters
    ----------
    source : SourceTerm
        Airborne rate against time and the release height.
    weather : Weather
        Wind, stability class, mixing height (steady over the release).
    x_m, y_m : float
        Release position (x east, y north), m.
    puff_interval_s : float, optional
        Time between puffs, s; default :func:`default_puff_interval_s`.
    sigma_scheme : {"briggs", "pasquill_gifford_turner"}
        Spread parameterisation.
    averaging_time_s : float
        Averaging time the spreads stand for, s.
    initial_sigma_m : float
        Initial spread of each puff, m.

    Returns
    -------
    PuffTrain
        One puff per interval, each with the airborne mass released in it (the total equals
        ``source.airborne_mass_kg()``).

    Raises
    ------
    InvalidInputError
        If the wind is calm (< 0.5 m/s) or an input is out of range.

    References
    ----------
    .. [1] Scire, J. S. et al. (2000). A User's Guide for the CALPUFF Dispersion Model.
    """
    height = source.release_height_m
    require_in_range("release_height_m", height, "m", low=0.0, high=1.0e4)
    require_non_negative("initial_sigma_m", initial_sigma_m, "m")
    speed, unit = _weather_wind(weather, height)
    duration = source.duration_s
    if puff_interval_s is None:
        dt = default_puff_interval_s(
            weather, duration, release_height_m=height, sigma_scheme=sigma_scheme
        )
    else:
        dt = require_in_range("puff_interval_s", puff_interval_s, "s", low=1e-3, high=3600.0)
        if duration / dt > MAX_PUFFS:
            raise InvalidInputError(
                f"puff_interval_s = {puff_interval_s!r} s gives {math.ceil(duration / dt)} puffs "
                + f"over {duration:g} s: at most {MAX_PUFFS} are allowed; use a longer interval"
            )
    if duration > 0.0:
        edges = np.append(np.arange(0.0, duration, dt), duration)
    else:
        edges = np.array([0.0, 0.0])
    cumulative = _cumulative_mass_kg(source, edges)
    weather_sigmas_m(1.0, weather, sigma_scheme, averaging_time_s)
    return PuffTrain(
        release_times_s=0.5 * (edges[:-1] + edges[1:]),
        masses_kg=np.maximum(np.diff(cumulative), 0.0),
        x_m=require_finite("x_m", x_m, "m"),
        y_m=require_finite("y_m", y_m, "m"),
        release_height_m=float(height),
        weather=weather,
        sigma_scheme=sigma_scheme,
        averaging_time_s=float(averaging_time_s),
        wind_speed_m_s=speed,
        downwind_unit=unit,
        initial_sigma_m=float(initial_sigma_m),
    )
