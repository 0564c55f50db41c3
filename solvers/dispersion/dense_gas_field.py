"""A dense-gas release as a field: the slab and box models sampled at points and times.

:class:`DenseGasField` implements :class:`solvers.hazard_field.FieldSampler` and the
``concentration_kg_m3(points_m, t_s)`` protocol of
:class:`solvers.dispersion.concentration_field.ConcentrationModel`, so the crowd, the detectors
and the grid evaluators read it like any other dispersion model. The volume fraction it reports
is the cloud's own (the mixture may be much colder than the air), not a conversion at ambient
temperature.

How the release becomes a field:

* **Continuous, quasi-steady** (:func:`~solvers.dispersion.dense_gas_slab.slab_plume`): the
  plume along the wind through the source is solved for a few release rates spanning the source
  term; a receptor at downwind distance ``x`` at time ``t`` sees the plume of the rate released
  at the emission time ``t - tau(x)`` (``tau`` the travel time of the plume of the peak rate),
  interpolated linearly between the solved rates (and in proportion below the smallest). Before
  the first gas arrives and after the last has passed the receptor sees nothing.
* **Instantaneous** (:func:`~solvers.dispersion.dense_gas_slab.slab_cloud`): the whole airborne
  mass as one cloud, released at the mass-weighted mean emission time, drifting downwind.
* **auto**: Britter & McQuaid's (1988) classification per receptor distance ``x`` with
  ``r = u10 Td / x``: continuous where ``r >= 2.5``, instantaneous where ``r <= 0.6``, and the
  smaller of the two in between (CCPS 1999, Britter-McQuaid model).

Site coordinates: x east, y north, z up (m); the wind blows from ``weather.wind_from_deg``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers._checks import require_choice, require_finite, require_in_range
from solvers.atmosphere import Weather, downwind_unit_vector
from solvers.dispersion.dense_gas_britter_mcquaid import (
    CONTINUOUS_RELEASE_RATIO,
    INSTANTANEOUS_RELEASE_RATIO,
)
from solvers.dispersion.dense_gas_slab import (
    SlabCloud,
    SlabPlume,
    SlabSettings,
    slab_cloud,
    slab_plume,
)
from solvers.dispersion.gaussian_plume import as_points
from solvers.dispersion.stability import wind_speed_at_height_m_s
from solvers.errors import InvalidInputError
from solvers.hazard_field import HazardSample
from solvers.source.source_term import SourceTerm

__all__ = ["FIELD_KINDS", "DenseGasField", "FieldKind", "dense_gas_field"]

FieldKind = Literal["auto", "continuous", "instantaneous"]
FIELD_KINDS: tuple[str, ...] = ("auto", "continuous", "instantaneous")

#: Largest number of release rates solved for a time-varying source.
MAX_RATE_LEVELS = 8
#: Ratio of a pool diameter to the half-width of the square of equal area, sqrt(pi)/4.
_POOL_HALF_WIDTH_PER_DIAMETER = math.sqrt(math.pi) / 4.0

#: Times at which the cloud's peak is tabulated against distance: up to about 12 days of travel.
_CLOUD_PEAK_POINTS = 400
_CLOUD_PEAK_LAST_TIME_S = 1e6

Quantity = Literal["concentration", "volume_fraction"]


@dataclass(frozen=True, kw_only=True)
class DenseGasField:
    """A dense-gas release sampled at points and times (see the module docstring).

    Build it with :func:`dense_gas_field`.

    Attributes
    ----------
    substance : str
        Substance key.
    kind : {"auto", "continuous", "instantaneous"}
        How the release is represented.
    source : SourceTerm
        The release.
    source_x_m, source_y_m : float
        Release point in site coordinates, m.
    downwind_unit : tuple[float, float]
        Unit vector (east, north) the wind blows to.
    wind_speed_10m_m_s : float
        Wind at 10 m, for the release classification, m/s.
    plumes : tuple of SlabPlume
        Steady plumes, one per solved release rate (increasing), for the continuous part.
    cloud : SlabCloud or None
        The instantaneous cloud, if used.
    cloud_release_time_s : float
        Time at which the cloud is taken to be released, s.
    cloud_peak_distance_m, cloud_peak_kg_m3, cloud_peak_fraction : (m,) float
        The cloud's peak concentration and volume fraction against the distance of its centre
        (empty without a cloud).
    """

    substance: str
    kind: FieldKind
    source: SourceTerm
    source_x_m: float
    source_y_m: float
    downwind_unit: tuple[float, float]
    wind_speed_10m_m_s: float
    plumes: tuple[SlabPlume, ...]
    cloud: SlabCloud | None
    cloud_release_time_s: float
    cloud_peak_distance_m: NDArray[np.float64]
    cloud_peak_kg_m3: NDArray[np.float64]
    cloud_peak_fraction: NDArray[np.float64]

    def along_across_m(self, points_m: ArrayLike) -> tuple[NDArray[np.float64], ...]:
        """Return downwind, crosswind (positive to the left) and height coordinates, m."""
        pts = as_points(points_m)
        dx = pts[:, 0] - self.source_x_m
        dy = pts[:, 1] - self.source_y_m
        ex, ey = self.downwind_unit
        return dx * ex + dy * ey, -dx * ey + dy * ex, pts[:, 2]

    def _continuous(
        self,
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        z: NDArray[np.float64],
        t: float,
        quantity: Quantity,
    ) -> NDArray[np.float64]:
        reference = self.plumes[-1]
        emitted = t - reference.travel_time_at_s(x)
        rate = np.where(x >= 0.0, self.source.airborne_rate_at(emitted), 0.0)
        levels = np.array([p.mass_rate_kg_s for p in self.plumes])
        values = np.array(
            [
                p.concentration_at_kg_m3(x, y, z)
                if quantity == "concentration"
                else p.volume_fraction_at(x, y, z)
                for p in self.plumes
            ]
        )  # (k, n)
        if levels.size == 1:
            return np.asarray(values[0] * np.minimum(rate / levels[0], 1.0), dtype=np.float64)
        upper = np.clip(np.searchsorted(levels, rate), 1, levels.size - 1)
        lower = upper - 1
        weight = np.clip((rate - levels[lower]) / (levels[upper] - levels[lower]), 0.0, 1.0)
        cols = np.arange(x.size)
        blended = (1.0 - weight) * values[lower, cols] + weight * values[upper, cols]
        below = rate < levels[0]
        scaled = values[0] * rate / levels[0]
        return np.asarray(np.where(below, scaled, blended), dtype=np.float64)

    def _instantaneous(
        self,
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        z: NDArray[np.float64],
        t: float,
        quantity: Quantity,
    ) -> NDArray[np.float64]:
        if self.cloud is None:
            return np.zeros(x.size)
        age = t - self.cloud_release_time_s
        if age < 0.0:
            return np.zeros(x.size)
        if quantity == "concentration":
            return self.cloud.concentration_at_kg_m3(x, y, z, age)
        return self.cloud.volume_fraction_at(x, y, z, age)

    def _evaluate(self, points_m: ArrayLike, t_s: float, quantity: Quantity) -> NDArray[np.float64]:
        x, y, z = self.along_across_m(points_m)
        t = require_finite("t_s", t_s, "s")
        if self.kind == "continuous":
            return self._continuous(x, y, z, t, quantity)
        if self.kind == "instantaneous":
            return self._instantaneous(x, y, z, t, quantity)
        duration = max(self.source.duration_s, 1e-9)
        ratio = self.wind_speed_10m_m_s * duration / np.maximum(x, 1e-9)
        cont = self._continuous(x, y, z, t, quantity)
        inst = self._instantaneous(x, y, z, t, quantity)
        # In between, the plume's timing with its peak capped by the cloud's peak at that
        # distance: the smaller of the two maxima, as the workbook's rule asks.
        plume_peak = (
            self.plumes[-1].concentration_at_kg_m3(x, 0.0, 0.0)
            if quantity == "concentration"
            else self.plumes[-1].centreline_volume_fraction(x)
        )
        cloud_peak = np.interp(
            x,
            self.cloud_peak_distance_m,
            self.cloud_peak_kg_m3 if quantity == "concentration" else self.cloud_peak_fraction,
        )
        cap = np.clip(cloud_peak / np.maximum(plume_peak, 1e-300), 0.0, 1.0)
        return np.asarray(
            np.where(
                ratio >= CONTINUOUS_RELEASE_RATIO,
                cont,
                np.where(ratio <= INSTANTANEOUS_RELEASE_RATIO, inst, cont * cap),
            ),
            dtype=np.float64,
        )

    def concentration_kg_m3(self, points_m: ArrayLike, t_s: float) -> NDArray[np.float64]:
        """Return the substance concentration at points ((n, 3) m) at ``t_s`` s, (n,) kg/m^3."""
        return self._evaluate(points_m, t_s, "concentration")

    def volume_fraction(self, points_m: ArrayLike, t_s: float) -> NDArray[np.float64]:
        """Return the substance volume fraction at points ((n, 3) m) at ``t_s`` s, (n,)."""
        return np.minimum(self._evaluate(points_m, t_s, "volume_fraction"), 1.0)

    def sample(self, points_m: NDArray[np.float64], t_s: float) -> HazardSample:
        """Sample the field at points ((n, 3) m) at ``t_s`` s (no radiation, no overpressure)."""
        fraction = self.volume_fraction(points_m, t_s)
        zeros = np.zeros_like(fraction)
        return HazardSample(fraction, zeros, zeros.copy())


def _rate_levels(source: SourceTerm, max_levels: int) -> NDArray[np.float64]:
    """Release rates to solve: the distinct positive rates, thinned to ``max_levels``."""
    rates = np.unique(source.airborne_rate_kg_s[source.airborne_rate_kg_s > 0.0])
    if rates.size <= max_levels:
        return rates
    return np.geomspace(rates[0], rates[-1], max_levels)


def _state_at_rate(source: SourceTerm, rate: float) -> tuple[float, float]:
    """Temperature and aerosol fraction of the sample whose rate is nearest ``rate``."""
    i = int(np.argmin(np.abs(source.airborne_rate_kg_s - rate)))
    return float(source.temperature_k[i]), float(source.aerosol_fraction[i])


def _cloud_peaks(cloud: SlabCloud | None) -> tuple[NDArray[np.float64], ...]:
    """Peak concentration and volume fraction of a cloud against its centre's distance."""
    if cloud is None:
        empty = np.zeros(1)
        return empty, empty, empty
    times = np.concatenate(([0.0], np.geomspace(1e-2, _CLOUD_PEAK_LAST_TIME_S, _CLOUD_PEAK_POINTS)))
    centre = cloud.centre_at_m(times)
    conc = np.array(
        [
            float(cloud.concentration_at_kg_m3(c, 0.0, 0.0, t)[()])
            for c, t in zip(centre, times, strict=True)
        ]
    )
    frac = np.array(
        [
            float(cloud.volume_fraction_at(c, 0.0, 0.0, t)[()])
            for c, t in zip(centre, times, strict=True)
        ]
    )
    return centre, conc, frac


def dense_gas_field(
    source: SourceTerm,
    weather: Weather,
    *,
    source_x_m: float = 0.0,
    source_y_m: float = 0.0,
    kind: FieldKind = "auto",
    settings: SlabSettings | None = None,
    max_rate_levels: int = MAX_RATE_LEVELS,
) -> DenseGasField:
    """Return the field of a dense ground-level release (slab plume and/or box cloud).

    Parameters
    ----------
    source : SourceTerm
        The release: airborne rate, temperature and aerosol fraction against time. A pool source
        (``phase == "liquid"`` and zero velocity) with a diameter sets the plume's initial
        width to the square of equal area.
    weather : Weather
        Ambient conditions and wind direction.
    source_x_m, source_y_m : float
        Release point in site coordinates, m.
    kind : {"auto", "continuous", "instantaneous"}
        Representation (module docstring).
    settings : SlabSettings, optional
        Constants and numerics of the slab and box models.
    max_rate_levels : int
        Largest number of release rates solved for a time-varying continuous release (1 to 32).

    Returns
    -------
    DenseGasField
        The field, implementing ``sample`` and ``concentration_kg_m3``.

    Raises
    ------
    InvalidInputError
        If the source releases no airborne mass, for an unknown ``kind`` or out-of-range inputs.
    """
    require_choice("kind", kind, FIELD_KINDS)
    require_finite("source_x_m", source_x_m, "m")
    require_finite("source_y_m", source_y_m, "m")
    levels_cap = int(require_in_range("max_rate_levels", max_rate_levels, "", low=1, high=32))
    total = source.airborne_mass_kg()
    if not total > 0.0:
        raise InvalidInputError(
            f"source airborne mass = {total!r} kg: the source term must release airborne "
            + "material over a duration > 0"
        )
    is_pool = bool(np.all(source.velocity_m_s == 0.0)) and source.diameter_m > 0.0
    half_width = _POOL_HALF_WIDTH_PER_DIAMETER * source.diameter_m if is_pool else None
    plumes: tuple[SlabPlume, ...] = ()
    if kind in ("auto", "continuous"):
        plumes = tuple(
            slab_plume(
                substance_key=source.substance,
                mass_rate_kg_s=float(rate),
                temperature_k=_state_at_rate(source, float(rate))[0],
                aerosol_fraction=_state_at_rate(source, float(rate))[1],
                weather=weather,
                source_half_width_m=half_width,
                settings=settings,
            )
            for rate in _rate_levels(source, levels_cap)
        )
    cloud = None
    release_time = 0.0
    if kind in ("auto", "instantaneous"):
        peak = float(np.max(source.airborne_rate_kg_s))
        temperature, aerosol = _state_at_rate(source, peak)
        cloud = slab_cloud(
            substance_key=source.substance,
            mass_kg=total,
            temperature_k=temperature,
            aerosol_fraction=aerosol,
            weather=weather,
            settings=settings,
        )
        if source.t_s.size > 1:
            weights = source.airborne_rate_kg_s
            release_time = float(np.trapezoid(weights * source.t_s, source.t_s) / total)
    peak_x, peak_c, peak_f = _cloud_peaks(cloud)
    return DenseGasField(
        substance=source.substance,
        kind=kind,
        source=source,
        source_x_m=float(source_x_m),
        source_y_m=float(source_y_m),
        downwind_unit=downwind_unit_vector(weather.wind_from_deg),
        wind_speed_10m_m_s=float(wind_speed_at_height_m_s(weather, 10.0)[()]),
        plumes=plumes,
        cloud=cloud,
        cloud_release_time_s=release_time,
        cloud_peak_distance_m=peak_x,
        cloud_peak_kg_m3=peak_c,
        cloud_peak_fraction=peak_f,
    )
