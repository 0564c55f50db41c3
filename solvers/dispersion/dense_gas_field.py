"""A dense-gas release as a field: the slab and box models sampled at points and times.

:class:`DenseGasField` implements :class:`solvers.hazard_field.FieldSampler` and the
``concentration_kg_m3(points_m, t_s)`` protocol of
:class:`solvers.dispersion.concentration_field.ConcentrationModel`, so the crowd, the detectors
and the grid evaluators read it like any other dispersion model. The volume fraction it reports
is the cloud's own (the mixture may be much colder than the air), not a conversion at ambient
temperature.

How the release becomes a field:

* **Source area.** A pool source (``phase == "liquid"``, zero velocity, a diameter) is the
  square of equal area around the release point: the slab plume starts at its downwind edge,
  half a side from the release point, and the points over the pool see the state at that edge.
  Gas boiling off anywhere on the pool leaves it at the edge after crossing the rest of it, so
  the rate leaving the pool is the evaporation rate averaged over the crossing time
  ``L / u_c`` (side ``L``, cloud speed ``u_c`` at the edge for the mass-weighted mean rate):
  plug flow over a uniform area source. This also removes the unphysical start of a pool
  evaporation rate, whose heat-conduction term is infinite at the first instant and carries no
  mass. Other sources are points: the rate leaving the source is the airborne rate.
* **Continuous, quasi-steady** (:func:`~solvers.dispersion.dense_gas_slab.slab_plume`): the
  plume along the wind is solved for a few release rates (the distinct rates of the source, or
  log-spaced rates from the one below which 1 % of the mass leaves the source to the largest);
  a receptor at plume distance ``x`` at time ``t`` sees the plume of the rate ``Q(t_e)`` that
  left the source at the emission time ``t_e`` solving ``t_e + tau(x, Q(t_e)) = t``, with
  ``tau(x, Q)`` the travel time of the plume of that rate (a small, shallow plume travels
  slower than a large one), interpolated linearly in the rate between the solved plumes (and in
  proportion below the smallest). Where faster gas catches up with slower gas emitted before
  it, the slower gas arrives with the faster. Before the first gas arrives and after the last
  has passed the receptor sees nothing.
* **Instantaneous** (:func:`~solvers.dispersion.dense_gas_slab.slab_cloud`): the whole airborne
  mass as one cloud centred on the release point, released at the mass-weighted mean emission
  time, drifting downwind.
* **auto**: Britter & McQuaid's (1988) classification per receptor distance ``x`` with
  ``r = u10 Td / x``: the plume's timing where ``r > 0.6``, the cloud's where ``r <= 0.6``.
  The peak over time is bounded by the smaller of the two models' maxima at that distance
  (the rule of the workbook for the intermediate range, CCPS 1999), which is also what linear
  superposition gives for passive gas: a release can exceed neither the steady plume of its
  largest rate nor the puff of all its mass. Between ``r = 2.5`` and ``r = 0.6`` the peak goes
  over from the plume's maximum ``C`` to that bound ``min(C, I)`` (``I`` the cloud's maximum)
  log-linearly in ``r``: ``C^(1 - s) min(C, I)^s``, ``s = ln(2.5 / r) / ln(2.5 / 0.6)``, as the
  workbook interpolates its own curves in logarithms. The peak is then continuous and, for
  maxima falling with distance, falls with distance: a threshold's contour is never cut by
  the change of regime. The maxima are ground-level ones: the plume's of the largest solved rate
  and the cloud's highest value at a fixed distance over time (the front of the slumped
  cylinder brings its concentration of that moment to the point ahead of its centre).

In height, the dense stages are sampled with the ground-reflected Gaussian of the same ground
value and depth integral as the slab's top-hat (``vertical="gaussian"`` of
:mod:`~solvers.dispersion.dense_gas_slab`), so a receptor at breathing height over a shallow
dense layer reads the gas above the layer's effective depth instead of nothing.

Site coordinates: x east, y north, z up (m); the wind blows from ``weather.wind_from_deg``.

References
----------
.. [1] Britter, R.E., McQuaid, J. (1988). Workbook on the dispersion of dense gases. HSE
   Contract Research Report 17/1988 (release classification; logarithmic interpolation).
.. [2] CCPS (1999). Guidelines for Chemical Process Quantitative Risk Analysis, 2nd ed.,
   AIChE (Britter-McQuaid model: the smaller of the continuous and instantaneous estimates
   between the two criteria).
.. [3] Witlox, H.W.M. (1994). The HEGADAS model for ground-level heavy-gas dispersion - II.
   Time-dependent model. Atmos. Environ. 28, 2933-2946 (quasi-steady plume of the rate at the
   emission time of the gas, its travel time following the plume).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import cumulative_trapezoid

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
#: Share of the mass leaving the source below the smallest solved rate (log-spaced levels).
_LOW_RATE_MASS_FRACTION = 0.01
#: Emission times at which the arrival times are tabulated (evenly spaced over the emission).
_EMISSION_NODES = 512
#: Distances of the arrival table: 0, then log-spaced over this range, m (1.6 % apart).
_ARRIVAL_RANGE_M = (0.1, 1e6)
_ARRIVAL_DISTANCES = 1000

#: Times at which the cloud's passive puff is tabulated: up to about 12 days of travel.
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
    source_half_length_m : float
        Distance from the release point to the start of the plume, m (half the side of the
        square of a pool's area; 0 for a point source).
    source_crossing_time_s : float
        Time over which the rate leaving a pool averages its evaporation rate, s (0 for a point
        source).
    emission_t_s, emission_rate_kg_s : (m,) float
        Rate leaving the source area against time, s and kg/s (0 outside the table).
    plumes : tuple of SlabPlume
        Steady plumes, one per solved release rate (increasing), for the continuous part.
    cloud : SlabCloud or None
        The instantaneous cloud, if used.
    cloud_release_time_s : float
        Time at which the cloud is taken to be released, s.
    cloud_peak_distance_m, cloud_peak_kg_m3, cloud_peak_fraction : (m,) float
        The cloud's highest ground-level concentration and volume fraction over time at fixed
        distances from the release point (one zero without a cloud).
    arrival_distance_m : (d,) float
        Plume distances of the arrival table, m.
    arrival_time_s : (d, m) float
        Time at which the gas emitted at each of ``arrival_emission_time_s`` reaches each
        distance, s (non-decreasing along the emission times: overtaken gas arrives with the
        gas that overtook it).
    arrival_rate_kg_s : (d, m) float
        Release rate whose plume the gas of each emission time brings to each distance, kg/s
        (of gas arriving together, the largest).
    arrival_emission_time_s : (m,) float
        Emission times of the arrival table, s.
    """

    substance: str
    kind: FieldKind
    source: SourceTerm
    source_x_m: float
    source_y_m: float
    downwind_unit: tuple[float, float]
    wind_speed_10m_m_s: float
    source_half_length_m: float
    source_crossing_time_s: float
    emission_t_s: NDArray[np.float64]
    emission_rate_kg_s: NDArray[np.float64]
    plumes: tuple[SlabPlume, ...]
    cloud: SlabCloud | None
    cloud_release_time_s: float
    cloud_peak_distance_m: NDArray[np.float64]
    cloud_peak_kg_m3: NDArray[np.float64]
    cloud_peak_fraction: NDArray[np.float64]
    arrival_distance_m: NDArray[np.float64]
    arrival_time_s: NDArray[np.float64]
    arrival_rate_kg_s: NDArray[np.float64]
    arrival_emission_time_s: NDArray[np.float64]

    def along_across_m(self, points_m: ArrayLike) -> tuple[NDArray[np.float64], ...]:
        """Return downwind, crosswind (positive to the left) and height coordinates, m."""
        pts = as_points(points_m)
        dx = pts[:, 0] - self.source_x_m
        dy = pts[:, 1] - self.source_y_m
        ex, ey = self.downwind_unit
        return dx * ex + dy * ey, -dx * ey + dy * ex, pts[:, 2]

    def plume_distance_m(self, along_m: ArrayLike) -> NDArray[np.float64]:
        """Return the plume coordinate of downwind distances from the release point, m.

        The plume starts at the downwind edge of the source area; the points over the area
        (within ``source_half_length_m`` of the release point) are at its start (0), the points
        upwind of the area are negative.
        """
        along = np.asarray(along_m, np.float64)
        half = self.source_half_length_m
        return np.where(along >= -half, np.maximum(along - half, 0.0), along + half)

    def emission_rate_at(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Return the rate leaving the source area at times ``t_s``, kg/s (0 outside)."""
        t = np.asarray(t_s, dtype=np.float64)
        return np.asarray(
            np.interp(t, self.emission_t_s, self.emission_rate_kg_s, left=0.0, right=0.0),
            dtype=np.float64,
        )

    def seen_rate_kg_s(self, along_m: ArrayLike, t_s: float) -> NDArray[np.float64]:
        """Return the release rate whose steady plume a receptor sees at ``t_s``, kg/s.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m.
        t_s : float
            Time, s.

        Returns
        -------
        ndarray
            The rate that left the source at the emission time of the gas there (module
            docstring); 0 before the first gas arrives, after the last has passed and upwind
            of the source area.

        Raises
        ------
        InvalidInputError
            For an instantaneous field (no plumes).
        """
        if not self.plumes:
            raise InvalidInputError(
                f"kind = {self.kind!r}: seen rates need the plumes of a continuous release"
            )
        plume_x = self.plume_distance_m(along_m)
        x = np.maximum(plume_x, 0.0)
        upwind = plume_x < 0.0
        nodes = self.arrival_emission_time_s
        m = nodes.size
        step = (nodes[-1] - nodes[0]) / (m - 1)
        emitted = self._row_emission_times_s(t_s)
        # Between two rows of the table: the emission time, then each row's rate at it.
        distance = self.arrival_distance_m
        hi_row = np.clip(np.searchsorted(distance, x), 1, distance.size - 1)
        lo_row = hi_row - 1
        w = np.clip((x - distance[lo_row]) / (distance[hi_row] - distance[lo_row]), 0.0, 1.0)
        when = (1.0 - w) * emitted[lo_row] + w * emitted[hi_row]
        position = (when - nodes[0]) / step
        inside = (position >= 0.0) & (position <= m - 1) & ~upwind
        j = np.clip(np.floor(position).astype(np.intp), 0, m - 2)
        f = np.clip(position - j, 0.0, 1.0)

        def row_rate(row: NDArray[np.intp]) -> NDArray[np.float64]:
            q = self.arrival_rate_kg_s
            return np.asarray(q[row, j] + f * (q[row, j + 1] - q[row, j]), dtype=np.float64)

        rate = (1.0 - w) * row_rate(lo_row) + w * row_rate(hi_row)
        return np.asarray(np.where(inside, rate, 0.0), dtype=np.float64)

    def _row_emission_times_s(self, t_s: float) -> NDArray[np.float64]:
        """Emission time of the gas at each distance of the arrival table at ``t_s``, s.

        Before the first arrival and after the last it is extrapolated with the first and last
        gas's travel times (and lies outside the emission).
        """
        arrival = self.arrival_time_s
        nodes = self.arrival_emission_time_s
        m = nodes.size
        passed = np.count_nonzero(arrival <= t_s, axis=1)
        lo = np.clip(passed - 1, 0, m - 2)
        hi = lo + 1
        rows = np.arange(arrival.shape[0])
        a_lo = arrival[rows, lo]
        span = arrival[rows, hi] - a_lo
        frac = np.clip(
            np.where(span > 0.0, (t_s - a_lo) / np.where(span > 0.0, span, 1.0), 1.0), 0.0, 1.0
        )
        emitted = nodes[lo] + frac * (nodes[hi] - nodes[lo])
        emitted = np.where(passed == 0, t_s - (arrival[:, 0] - nodes[0]), emitted)
        emitted = np.where(passed == m, t_s - (arrival[:, -1] - nodes[-1]), emitted)
        return np.asarray(emitted, dtype=np.float64)

    def arrival_window_s(self, along_m: ArrayLike) -> tuple[NDArray[np.float64], ...]:
        """Return when the first gas of the continuous release arrives and the last leaves, s.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m (on the source side of the plume).

        Returns
        -------
        tuple of ndarray
            Arrival of the first emitted gas and passage of the last, s.
        """
        if not self.plumes:
            raise InvalidInputError(
                f"kind = {self.kind!r}: arrival times need the plumes of a continuous release"
            )
        x = np.maximum(self.plume_distance_m(along_m), 0.0)
        first = np.interp(x, self.arrival_distance_m, self.arrival_time_s[:, 0])
        last = np.interp(x, self.arrival_distance_m, self.arrival_time_s[:, -1])
        return np.asarray(first, dtype=np.float64), np.asarray(last, dtype=np.float64)

    def _levels(self) -> NDArray[np.float64]:
        return np.array([p.mass_rate_kg_s for p in self.plumes])

    def _continuous(
        self,
        along: NDArray[np.float64],
        y: NDArray[np.float64],
        z: NDArray[np.float64],
        t: float,
        quantity: Quantity,
    ) -> NDArray[np.float64]:
        x = self.plume_distance_m(along)
        rate = self.seen_rate_kg_s(along, t)
        levels = self._levels()
        values = np.array(
            [
                p.concentration_at_kg_m3(x, y, z, vertical="gaussian")
                if quantity == "concentration"
                else p.volume_fraction_at(x, y, z, vertical="gaussian")
                for p in self.plumes
            ]
        )  # (k, n)
        lower, upper, weight = _level_weights(levels, rate)
        cols = np.arange(x.size)
        blended = (1.0 - weight) * values[lower, cols] + weight * values[upper, cols]
        scaled = values[0] * rate / levels[0]
        return np.asarray(np.where(rate < levels[0], scaled, blended), dtype=np.float64)

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
            return self.cloud.concentration_at_kg_m3(x, y, z, age, vertical="gaussian")
        return self.cloud.volume_fraction_at(x, y, z, age, vertical="gaussian")

    def plume_peak(self, along_m: ArrayLike, quantity: Quantity) -> NDArray[np.float64]:
        """Return the continuous release's highest ground-level centreline value over time.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m.
        quantity : {"concentration", "volume_fraction"}
            kg/m^3 or volume fraction.

        Returns
        -------
        ndarray
            The largest of the solved plumes' values at the distance (0 without plumes).
        """
        x = self.plume_distance_m(along_m)
        if not self.plumes:
            return np.zeros(np.shape(x))
        values = [
            p.concentration_at_kg_m3(x, 0.0, 0.0)
            if quantity == "concentration"
            else p.centreline_volume_fraction(x)
            for p in self.plumes
        ]
        return np.asarray(np.max(values, axis=0), dtype=np.float64)

    def cloud_peak(self, along_m: ArrayLike, quantity: Quantity) -> NDArray[np.float64]:
        """Return the instantaneous cloud's highest ground-level value over time.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m (upwind points read the source's).
        quantity : {"concentration", "volume_fraction"}
            kg/m^3 or volume fraction.

        Returns
        -------
        ndarray
            Interpolated in ``cloud_peak_distance_m``; 0 beyond the table and without a cloud.
        """
        table = self.cloud_peak_kg_m3 if quantity == "concentration" else self.cloud_peak_fraction
        along = np.maximum(np.asarray(along_m, np.float64), 0.0)
        return np.asarray(
            np.interp(along, self.cloud_peak_distance_m, table, right=0.0), dtype=np.float64
        )

    def _evaluate(self, points_m: ArrayLike, t_s: float, quantity: Quantity) -> NDArray[np.float64]:
        along, y, z = self.along_across_m(points_m)
        t = require_finite("t_s", t_s, "s")
        if self.kind == "continuous":
            return self._continuous(along, y, z, t, quantity)
        if self.kind == "instantaneous":
            return self._instantaneous(along, y, z, t, quantity)
        duration = max(self.source.duration_s, 1e-9)
        ratio = self.wind_speed_10m_m_s * duration / np.maximum(along, 1e-9)
        toward_cloud = np.clip(
            np.log(CONTINUOUS_RELEASE_RATIO / ratio)
            / math.log(CONTINUOUS_RELEASE_RATIO / INSTANTANEOUS_RELEASE_RATIO),
            0.0,
            1.0,
        )
        plume_max = self.plume_peak(along, quantity)
        cloud_max = self.cloud_peak(along, quantity)
        bound = np.minimum(plume_max, cloud_max)
        plume_scale = (bound / np.maximum(plume_max, 1e-300)) ** toward_cloud
        cloud_scale = bound / np.maximum(cloud_max, 1e-300)
        use_plume = ratio > INSTANTANEOUS_RELEASE_RATIO
        out = np.zeros(along.size)
        if np.any(use_plume):
            out[use_plume] = (
                self._continuous(along[use_plume], y[use_plume], z[use_plume], t, quantity)
                * plume_scale[use_plume]
            )
        if not np.all(use_plume):
            cloud = ~use_plume
            out[cloud] = (
                self._instantaneous(along[cloud], y[cloud], z[cloud], t, quantity)
                * cloud_scale[cloud]
            )
        return out

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


def _level_weights(
    levels: NDArray[np.float64], rate: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Bracketing levels of each rate and the linear weight of the upper one (0..1, clipped)."""
    upper = np.clip(np.searchsorted(levels, rate), 0, levels.size - 1)
    lower = np.maximum(upper - 1, 0)
    span = levels[upper] - levels[lower]
    weight = np.where(
        span > 0.0, np.clip((rate - levels[lower]) / np.where(span > 0.0, span, 1.0), 0.0, 1.0), 0.0
    )
    return lower, upper, weight


def _emission(
    source: SourceTerm, crossing_s: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Rate leaving the source area: the airborne rate averaged over the last ``crossing_s``."""
    if crossing_s <= 0.0 or source.t_s.size < 2:
        return source.t_s, source.airborne_rate_kg_s
    t_src = source.t_s
    mass = cumulative_trapezoid(source.airborne_rate_kg_s, t_src, initial=0.0)
    t = np.unique(np.concatenate((t_src, t_src + crossing_s)))

    def released(times: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(np.interp(times, t_src, mass, left=0.0, right=mass[-1]))

    return t, (released(t) - released(t - crossing_s)) / crossing_s


def _mass_weighted_rate(t: NDArray[np.float64], rate: NDArray[np.float64]) -> float:
    """Mass-weighted mean rate ``int Q^2 dt / int Q dt``, kg/s."""
    return float(np.trapezoid(rate**2, t) / np.trapezoid(rate, t))


def _rate_levels(
    t: NDArray[np.float64], rate: NDArray[np.float64], max_levels: int
) -> NDArray[np.float64]:
    """Release rates to solve: the distinct positive rates, else log-spaced over the mass."""
    rates = np.unique(rate[rate > 0.0])
    if rates.size <= max_levels:
        return rates
    seg_rate = 0.5 * (rate[1:] + rate[:-1])
    seg_mass = seg_rate * np.diff(t)
    order = np.argsort(seg_rate)
    share = np.cumsum(seg_mass[order]) / np.sum(seg_mass)
    index = min(int(np.searchsorted(share, _LOW_RATE_MASS_FRACTION)), order.size - 1)
    low = min(max(float(seg_rate[order][index]), float(rates[0])), float(rates[-1]))
    return np.unique(np.geomspace(low, rates[-1], max_levels))


def _state_at_rate(source: SourceTerm, rate: float) -> tuple[float, float]:
    """Temperature and aerosol fraction of the sample whose rate is nearest ``rate``."""
    i = int(np.argmin(np.abs(source.airborne_rate_kg_s - rate)))
    return float(source.temperature_k[i]), float(source.aerosol_fraction[i])


def _arrival_table(
    plumes: tuple[SlabPlume, ...], t: NDArray[np.float64], rate: NDArray[np.float64]
) -> tuple[NDArray[np.float64], ...]:
    """Arrival times and seen rates (d, m) of the gas emitted at m times, at d plume distances.

    Each emission travels with the plume of its rate (interpolated between the solved rates,
    the smallest's below them). Gas that faster gas emitted after it overtakes arrives with
    that gas, and the group brings the largest rate among it.
    """
    distance = np.concatenate(([0.0], np.geomspace(*_ARRIVAL_RANGE_M, _ARRIVAL_DISTANCES)))
    positive = np.flatnonzero(rate > 0.0)
    # The emission runs from the last zero before the first positive rate to the first after
    # the last one (or the table's ends).
    start = float(t[max(int(positive[0]) - 1, 0)])
    end = float(t[min(int(positive[-1]) + 1, t.size - 1)])
    nodes = np.linspace(start, end, _EMISSION_NODES)
    node_rate = np.interp(nodes, t, rate)
    levels = np.array([p.mass_rate_kg_s for p in plumes])
    travel = np.array([p.travel_time_at_s(distance) for p in plumes])  # (k, d)
    lower, upper, weight = _level_weights(levels, node_rate)
    node_travel = (1.0 - weight)[:, None] * travel[lower] + weight[:, None] * travel[upper]
    own = nodes[None, :] + node_travel.T  # (d, m)
    arrival = np.minimum.accumulate(own[:, ::-1], axis=1)[:, ::-1]
    # Groups arriving together are contiguous runs of equal arrival times along each row.
    d, m = arrival.shape
    new_group = np.ones((d, m), dtype=bool)
    new_group[:, 1:] = arrival[:, 1:] != arrival[:, :-1]
    starts = np.flatnonzero(new_group.ravel())
    group_max = np.maximum.reduceat(np.tile(node_rate, d), starts)
    lengths = np.diff(np.append(starts, d * m))
    seen = np.repeat(group_max, lengths).reshape(d, m)
    return distance, arrival, seen, nodes


def _cloud_peaks(cloud: SlabCloud | None) -> tuple[NDArray[np.float64], ...]:
    """Highest ground-level concentration and volume fraction of a cloud over time, by distance.

    In the box stage the top-hat's concentration falls with time while its front advances, so
    a point's highest value is the one the front brings; in the passive stage it is the puff's
    centre value as the centre passes.
    """
    if cloud is None:
        empty = np.zeros(1)
        return empty, empty, empty
    front = np.maximum.accumulate(cloud.centre_m + cloud.radius_m)
    box_c = cloud.concentration_kg_m3
    box_f = cloud.volume_fraction
    far_x = np.zeros(0)
    far_c = np.zeros(0)
    far_f = np.zeros(0)
    if math.isfinite(cloud.transition_s):
        times = cloud.end_s + np.concatenate(
            ([0.0], np.geomspace(1e-2, _CLOUD_PEAK_LAST_TIME_S, _CLOUD_PEAK_POINTS))
        )
        far_x = cloud.centre_at_m(times)
        far_c = np.array(
            [
                float(cloud.concentration_at_kg_m3(c, 0.0, 0.0, t)[()])
                for c, t in zip(far_x, times, strict=True)
            ]
        )
        far_f = np.array(
            [
                float(cloud.volume_fraction_at(c, 0.0, 0.0, t)[()])
                for c, t in zip(far_x, times, strict=True)
            ]
        )
    distance = np.unique(np.concatenate(([0.0], front, far_x)))

    def envelope(box: NDArray[np.float64], far: NDArray[np.float64]) -> NDArray[np.float64]:
        near = np.interp(distance, front, box, left=float(box[0]), right=0.0)
        if far_x.size == 0:
            return np.asarray(near, dtype=np.float64)
        passive = np.interp(distance, far_x, far, left=0.0, right=0.0)
        return np.asarray(np.maximum(near, passive), dtype=np.float64)

    return distance, envelope(box_c, far_c), envelope(box_f, far_f)


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
        (``phase == "liquid"`` and zero velocity) with a diameter is the square of equal area:
        it sets the plume's initial width, where the plume starts and the averaging of the
        rate over the time the gas takes to cross the pool (module docstring).
    weather : Weather
        Ambient conditions and wind direction.
    source_x_m, source_y_m : float
        Release point (a pool's centre) in site coordinates, m.
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
    crossing = 0.0
    plumes: tuple[SlabPlume, ...] = ()
    emission_t, emission_rate = source.t_s, source.airborne_rate_kg_s
    arrival_x, arrival_t, arrival_q, arrival_nodes = (
        np.zeros(1),
        np.zeros((1, 1)),
        np.zeros((1, 1)),
        np.zeros(1),
    )

    def plume_at(rate: float) -> SlabPlume:
        temperature, aerosol = _state_at_rate(source, rate)
        return slab_plume(
            substance_key=source.substance,
            mass_rate_kg_s=rate,
            temperature_k=temperature,
            aerosol_fraction=aerosol,
            weather=weather,
            source_half_width_m=half_width,
            settings=settings,
        )

    if kind in ("auto", "continuous"):
        if half_width is not None:
            typical = plume_at(_mass_weighted_rate(source.t_s, source.airborne_rate_kg_s))
            crossing = 2.0 * half_width / float(typical.speed_m_s[0])
            emission_t, emission_rate = _emission(source, crossing)
        plumes = tuple(
            plume_at(float(rate)) for rate in _rate_levels(emission_t, emission_rate, levels_cap)
        )
        arrival_x, arrival_t, arrival_q, arrival_nodes = _arrival_table(
            plumes, emission_t, emission_rate
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
        source_half_length_m=0.0 if half_width is None else float(half_width),
        source_crossing_time_s=crossing,
        emission_t_s=np.asarray(emission_t, dtype=np.float64),
        emission_rate_kg_s=np.asarray(emission_rate, dtype=np.float64),
        plumes=plumes,
        cloud=cloud,
        cloud_release_time_s=release_time,
        cloud_peak_distance_m=peak_x,
        cloud_peak_kg_m3=peak_c,
        cloud_peak_fraction=peak_f,
        arrival_distance_m=arrival_x,
        arrival_time_s=arrival_t,
        arrival_rate_kg_s=arrival_q,
        arrival_emission_time_s=arrival_nodes,
    )
