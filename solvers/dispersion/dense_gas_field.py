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
* **auto**: Britter & McQuaid's (1988) classification per receptor distance ``x``. Their ratio
  ``u10 Td / x`` compares the release duration ``Td`` with the time the gas takes to reach
  ``x``; the field uses that time itself, the mean time of flight ``tau(x)`` of the released
  mass (its emissions weighted by their rate, from the arrival table): ``r = Td / tau(x)``.
  A dense layer on the ground moves at its own depth-averaged speed, several times slower
  than the 10 m wind (0.3 to 0.6 m/s in a 2 m/s class F wind for a boiling LNG pool), so
  ``u10 Td / x`` would keep the steady plume of the largest rate, whose gravity-spread
  half-width keeps growing, out to distances the gas reaches only after several release
  durations. The plume's timing where ``r > 0.6``, the cloud's where ``r <= 0.6``.
  At every receptor the peak over time is bounded by the smaller of the two representations'
  peaks *at that receptor* (position and height; each with its own crosswind profile,
  half-width and height profile): the rule of the workbook for the intermediate range
  (CCPS 1999), which is also what linear superposition gives for passive gas: a release can
  exceed neither the steady plume of its largest rate nor the puff of all its mass. Between
  ``r = 2.5`` and ``r = 0.6`` the peak goes over from the plume's value ``P`` to that bound
  log-linearly in ``r``, ``P^(1 - s) min(P, I)^s`` with ``s = ln(2.5 / r) / ln(2.5 / 0.6)``
  and ``I`` the cloud's peak at the receptor, as the workbook interpolates its own curves in
  logarithms. So a receptor gets gas only where the representation whose timing it uses has
  gas and, once the release is not continuous, only where the other brings gas too; the peak
  is continuous at both ends of the intermediate range, at every point and height, and on
  the axis falls with distance where both maxima do. The plume's peak at a point is the
  largest of its solved plumes' values there; the cloud's comes from a map of the highest
  value over time at fixed distances and crosswind offsets (the front of the slumped cylinder
  brings its concentration of that moment; the passive puff its Gaussian as it passes),
  computed once per receptor height.

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
from dataclasses import dataclass, field
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
#: Crosswind offsets per row of the cloud's peak map (evenly spaced from 0 to the reach).
_CLOUD_MAP_OFFSETS = 65
#: Times (each of a linear and a logarithmic spacing) resampling the box stage for the map.
_CLOUD_MAP_TIMES = 2000
#: Reach of the passive puff in its peak map, in ``sigma_y`` (exp(-12.5): 4e-6 of the centre).
_PUFF_REACH_SIGMAS = 5.0

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
    release_duration_s : float
        Duration ``Td`` of the release, for the classification, s.
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
    cloud_peak_distance_m, cloud_peak_reach_m : (m,) float
        Rows of the cloud's peak map: distances from the release point and the largest crosswind
        offset the cloud ever reaches there, m (one zero row without a cloud).
    cloud_peak_kg_m3, cloud_peak_fraction : (m, e) float
        The cloud's highest ground-level concentration and volume fraction over time on each
        row, at ``e`` crosswind offsets evenly spaced from 0 to the row's reach.
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
    mean_travel_time_s : (d,) float
        Mean time of flight of the released mass to each distance of the arrival table, s
        (emissions weighted by their rate), for the classification.
    """

    substance: str
    kind: FieldKind
    source: SourceTerm
    source_x_m: float
    source_y_m: float
    downwind_unit: tuple[float, float]
    release_duration_s: float
    source_half_length_m: float
    source_crossing_time_s: float
    emission_t_s: NDArray[np.float64]
    emission_rate_kg_s: NDArray[np.float64]
    plumes: tuple[SlabPlume, ...]
    cloud: SlabCloud | None
    cloud_release_time_s: float
    cloud_peak_distance_m: NDArray[np.float64]
    cloud_peak_reach_m: NDArray[np.float64]
    cloud_peak_kg_m3: NDArray[np.float64]
    cloud_peak_fraction: NDArray[np.float64]
    arrival_distance_m: NDArray[np.float64]
    arrival_time_s: NDArray[np.float64]
    arrival_rate_kg_s: NDArray[np.float64]
    arrival_emission_time_s: NDArray[np.float64]
    mean_travel_time_s: NDArray[np.float64]
    _height_maps: dict[float, tuple[NDArray[np.float64], NDArray[np.float64]]] = field(
        default_factory=dict, repr=False, compare=False
    )

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

    def _plume_values(
        self,
        along: NDArray[np.float64],
        y: NDArray[np.float64],
        z: NDArray[np.float64],
        quantity: Quantity,
    ) -> NDArray[np.float64]:
        """Return every solved plume's values at the points, (k, n) (dense stage Gaussian)."""
        x = self.plume_distance_m(along)
        return np.array(
            [
                p.concentration_at_kg_m3(x, y, z, vertical="gaussian")
                if quantity == "concentration"
                else p.volume_fraction_at(x, y, z, vertical="gaussian")
                for p in self.plumes
            ]
        )

    def _continuous(
        self,
        along: NDArray[np.float64],
        y: NDArray[np.float64],
        z: NDArray[np.float64],
        t: float,
        quantity: Quantity,
        values: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64]:
        if values is None:
            values = self._plume_values(along, y, z, quantity)
        rate = self.seen_rate_kg_s(along, t)
        levels = self._levels()
        lower, upper, weight = _level_weights(levels, rate)
        cols = np.arange(along.size)
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

    def plume_peak(
        self,
        along_m: ArrayLike,
        quantity: Quantity,
        across_m: ArrayLike = 0.0,
        height_m: ArrayLike = 0.0,
    ) -> NDArray[np.float64]:
        """Return the continuous release's highest value over time at points.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m.
        quantity : {"concentration", "volume_fraction"}
            kg/m^3 or volume fraction.
        across_m, height_m : array_like, optional
            Crosswind offset and height, m (broadcast with ``along_m``; 0 on the ground axis).

        Returns
        -------
        ndarray
            The largest of the solved plumes' values at the point, each with its own crosswind
            profile, half-width and (``vertical="gaussian"``) height profile; 0 without plumes.
        """
        along, y, z = np.broadcast_arrays(
            np.asarray(along_m, dtype=np.float64),
            np.asarray(across_m, dtype=np.float64),
            np.asarray(height_m, dtype=np.float64),
        )
        if not self.plumes:
            return np.zeros(along.shape)
        values = self._plume_values(along.ravel(), y.ravel(), z.ravel(), quantity)
        return np.asarray(np.max(values, axis=0).reshape(along.shape), dtype=np.float64)

    def cloud_peak(
        self,
        along_m: ArrayLike,
        quantity: Quantity,
        across_m: ArrayLike = 0.0,
        height_m: ArrayLike = 0.0,
    ) -> NDArray[np.float64]:
        """Return the instantaneous cloud's highest value over time at points.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m (upwind points read the release
            point's).
        quantity : {"concentration", "volume_fraction"}
            kg/m^3 or volume fraction.
        across_m, height_m : array_like, optional
            Crosswind offset and height, m (broadcast with ``along_m``; 0 on the ground axis).
            The map of each height other than the ground is computed once, when first asked.

        Returns
        -------
        ndarray
            Interpolated in the cloud's peak map (linearly along the wind between its rows and
            across it between the row's offsets); 0 beyond the row's reach, beyond the last
            row, below ground and without a cloud.
        """
        along, across, height = np.broadcast_arrays(
            np.maximum(np.asarray(along_m, dtype=np.float64), 0.0),
            np.abs(np.asarray(across_m, dtype=np.float64)),
            np.asarray(height_m, dtype=np.float64),
        )
        out = np.zeros(along.shape)
        rows = self.cloud_peak_distance_m
        if rows.size < 2:
            return out
        hi = np.clip(np.searchsorted(rows, along), 1, rows.size - 1)
        lo = hi - 1
        w = np.clip((along - rows[lo]) / (rows[hi] - rows[lo]), 0.0, 1.0)
        reach = self.cloud_peak_reach_m
        above = height >= 0.0
        for level in np.unique(height[above]):
            table = self._peak_map(float(level), quantity)
            at = above & (height == level)
            before = _map_row(table, reach, lo[at], across[at])
            after = _map_row(table, reach, hi[at], across[at])
            out[at] = (1.0 - w[at]) * before + w[at] * after
        return np.asarray(np.where(along > rows[-1], 0.0, out), dtype=np.float64)

    def _peak_map(self, height_m: float, quantity: Quantity) -> NDArray[np.float64]:
        """Return the cloud's peak map at a height (the ground's stored, others made once)."""
        if height_m == 0.0:
            maps = (self.cloud_peak_kg_m3, self.cloud_peak_fraction)
        else:
            if height_m not in self._height_maps:
                _, _, conc, fraction = _cloud_peaks(self.cloud, height_m)
                self._height_maps[height_m] = (conc, fraction)
            maps = self._height_maps[height_m]
        return maps[0] if quantity == "concentration" else maps[1]

    def release_ratio(self, along_m: ArrayLike) -> NDArray[np.float64]:
        """Return the classification ratio ``Td / tau(x)`` of the release at downwind distances.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m.

        Returns
        -------
        ndarray
            Release duration over the mean time of flight of the released mass to the point's
            plume distance (module docstring); ``inf`` over the source and upwind of it.

        Raises
        ------
        InvalidInputError
            For an instantaneous field (no plumes, no travel times).
        """
        if not self.plumes:
            raise InvalidInputError(
                f"kind = {self.kind!r}: the classification needs the plumes' travel times"
            )
        x = np.maximum(self.plume_distance_m(along_m), 0.0)
        tau = np.interp(x, self.arrival_distance_m, self.mean_travel_time_s)
        positive = tau > 0.0
        ratio = self.release_duration_s / np.where(positive, tau, 1.0)
        return np.asarray(np.where(positive, ratio, np.inf), dtype=np.float64)

    def _evaluate(self, points_m: ArrayLike, t_s: float, quantity: Quantity) -> NDArray[np.float64]:
        along, y, z = self.along_across_m(points_m)
        t = require_finite("t_s", t_s, "s")
        if self.kind == "continuous":
            return self._continuous(along, y, z, t, quantity)
        if self.kind == "instantaneous":
            return self._instantaneous(along, y, z, t, quantity)
        toward_cloud = self.toward_cloud(along)
        out = np.zeros(along.size)
        steady = toward_cloud == 0.0
        if np.any(steady):
            out[steady] = self._continuous(along[steady], y[steady], z[steady], t, quantity)
        idx = np.flatnonzero(~steady)
        if idx.size == 0:
            return out
        s, a, c, h = toward_cloud[idx], along[idx], y[idx], z[idx]
        values = self._plume_values(a, c, h, quantity)
        plume_max = np.max(values, axis=0)
        cloud_max = self.cloud_peak(a, quantity, c, h)
        # The smaller of the two representations' peaks at this very point; the plume's own
        # value goes over to it log-linearly in the classification ratio.
        share = np.minimum(_ratio(cloud_max, plume_max), 1.0) ** s
        plume_timed = s < 1.0
        if np.any(plume_timed):
            i = plume_timed
            plume = self._continuous(a[i], c[i], h[i], t, quantity, values[:, i])
            out[idx[i]] = plume * share[i]
        if not np.all(plume_timed):
            i = ~plume_timed
            scale = np.minimum(_ratio(plume_max[i], cloud_max[i]), 1.0)
            out[idx[i]] = self._instantaneous(a[i], c[i], h[i], t, quantity) * scale
        return out

    def toward_cloud(self, along_m: ArrayLike) -> NDArray[np.float64]:
        """Return the share ``s`` of the way from the plume to the cloud at downwind distances.

        Parameters
        ----------
        along_m : array_like
            Downwind distance from the release point, m.

        Returns
        -------
        ndarray
            ``ln(2.5 / r) / ln(2.5 / 0.6)`` of the classification ratio ``r`` clipped to
            [0, 1]: 0 where the release is continuous (``r >= 2.5``), 1 where it is
            instantaneous (``r <= 0.6``).

        Raises
        ------
        InvalidInputError
            For an instantaneous field (see :meth:`release_ratio`).
        """
        ratio = self.release_ratio(along_m)
        out = np.zeros(ratio.shape)
        finite = ratio < CONTINUOUS_RELEASE_RATIO
        out[finite] = np.clip(
            np.log(CONTINUOUS_RELEASE_RATIO / ratio[finite])
            / math.log(CONTINUOUS_RELEASE_RATIO / INSTANTANEOUS_RELEASE_RATIO),
            0.0,
            1.0,
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


def _map_row(
    table: NDArray[np.float64],
    reach: NDArray[np.float64],
    row: NDArray[np.intp],
    offset: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Values of a peak map's rows at crosswind offsets (linear between its offsets, 0 beyond)."""
    last = table.shape[1] - 1
    row_reach = reach[row]
    reached = offset <= row_reach
    share = np.where(reached, offset / np.where(row_reach > 0.0, row_reach, 1.0), 0.0)
    j = np.clip(np.floor(share * last).astype(np.intp), 0, last - 1)
    f = np.clip(share * last - j, 0.0, 1.0)
    value = (1.0 - f) * table[row, j] + f * table[row, j + 1]
    return np.asarray(np.where(reached, value, 0.0), dtype=np.float64)


def _ratio(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``numerator / denominator``, 0 where the denominator is 0."""
    positive = denominator > 0.0
    return np.asarray(
        np.where(positive, numerator / np.where(positive, denominator, 1.0), 0.0),
        dtype=np.float64,
    )


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
    that gas, and the group brings the largest rate among it. Also returns the emission times
    (m,) and the rate-weighted mean time of flight to each distance (d,).
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
    mean_travel = (arrival - nodes[None, :]) @ node_rate / np.sum(node_rate)
    return distance, arrival, seen, nodes, mean_travel


def _cloud_peaks(cloud: SlabCloud | None, height_m: float) -> tuple[NDArray[np.float64], ...]:
    """Map of a cloud's highest concentration and volume fraction over time at one height.

    Rows at distances from the release point, each with its reach (the largest crosswind
    offset the cloud covers there) and the values at :data:`_CLOUD_MAP_OFFSETS` offsets from 0
    to the reach. In the box stage a point's highest value is the highest value of the
    cylinders that cover it in plan (the box history resampled at :data:`_CLOUD_MAP_TIMES`
    times, linear in time as the cloud is sampled; in height the ground-reflected Gaussian of
    ``vertical="gaussian"``); in the passive stage it is the highest of the puff's Gaussian
    values at its tabulated times and as its centre passes the row, within
    :data:`_PUFF_REACH_SIGMAS` ``sigma_y`` of the centre.

    Returns
    -------
    tuple of ndarray
        Row distances (m,), reaches (m,), concentrations (m, e) and volume fractions (m, e).
    """
    offsets = np.linspace(0.0, 1.0, _CLOUD_MAP_OFFSETS)
    if cloud is None:
        return np.zeros(1), np.zeros(1), np.zeros((1, offsets.size)), np.zeros((1, offsets.size))
    end = cloud.end_s
    t = np.unique(
        np.concatenate(
            (
                cloud.t_s,
                np.linspace(0.0, end, _CLOUD_MAP_TIMES),
                np.geomspace(max(end, 1e-3) * 1e-6, max(end, 1e-3), _CLOUD_MAP_TIMES),
            )
        )
    )
    t = t[t <= end]
    centre = np.interp(t, cloud.t_s, cloud.centre_m)
    radius = np.interp(t, cloud.t_s, cloud.radius_m)
    box = dict(zip(("c", "f"), cloud.centre_values_at(t, height_m), strict=True))
    # Box samples from the highest value down: the first that covers an offset gives its peak.
    order = {key: np.argsort(-value, kind="stable") for key, value in box.items()}
    far_x = np.zeros(0)
    far = {"c": np.zeros(0), "f": np.zeros(0)}
    far_sigma = np.zeros(0)
    if math.isfinite(cloud.transition_s):
        times = end + np.concatenate(
            ([0.0], np.geomspace(1e-2, _CLOUD_PEAK_LAST_TIME_S, _CLOUD_PEAK_POINTS))
        )
        far_x = cloud.centre_at_m(times)
        far = dict(zip(("c", "f"), cloud.centre_values_at(times, height_m), strict=True))
        far_sigma = np.array([cloud.puff_sigma_y_m(float(time)) for time in times])
    front = np.maximum.accumulate(cloud.centre_m + cloud.radius_m)
    distance = np.unique(np.concatenate(([0.0], front, far_x)))
    reach = np.zeros(distance.size)
    maps = {key: np.zeros((distance.size, offsets.size)) for key in box}
    for i, x in enumerate(distance):
        gap = x - centre
        chord = np.where(radius >= np.abs(gap), np.sqrt(np.maximum(radius**2 - gap**2, 0.0)), -1.0)
        # Puff samples within the reach of this row, and the puff as its centre passes.
        far_gap2 = (x - far_x) ** 2
        near = far_gap2 < (_PUFF_REACH_SIGMAS * far_sigma) ** 2
        passing = far_x.size > 0 and far_x[0] <= x <= far_x[-1]
        sigma = float(np.interp(x, far_x, far_sigma)) if passing else 0.0
        puff_reach = np.sqrt((_PUFF_REACH_SIGMAS * far_sigma[near]) ** 2 - far_gap2[near])
        reach[i] = max(float(chord.max()), _PUFF_REACH_SIGMAS * sigma, puff_reach.max(initial=0.0))
        y = offsets * reach[i]
        across = np.exp(-0.5 * (y[:, None] / far_sigma[near]) ** 2)  # (e, k)
        along = np.exp(-0.5 * far_gap2[near] / far_sigma[near] ** 2)
        for key, value in box.items():
            covered = np.maximum.accumulate(chord[order[key]])
            first = np.searchsorted(covered, y)
            row = np.where(first < t.size, value[order[key]][np.minimum(first, t.size - 1)], 0.0)
            if np.any(near):
                row = np.maximum(row, np.max(far[key][near] * along * across, axis=1))
            if passing:
                centre_value = float(np.interp(x, far_x, far[key]))
                row = np.maximum(row, centre_value * np.exp(-0.5 * (y / sigma) ** 2))
            maps[key][i] = row
    return distance, reach, maps["c"], maps["f"]


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
    arrival_x, arrival_t, arrival_q, arrival_nodes, mean_travel = (
        np.zeros(1),
        np.zeros((1, 1)),
        np.zeros((1, 1)),
        np.zeros(1),
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
        arrival_x, arrival_t, arrival_q, arrival_nodes, mean_travel = _arrival_table(
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
    peak_x, peak_reach, peak_c, peak_f = _cloud_peaks(cloud, 0.0)
    return DenseGasField(
        substance=source.substance,
        kind=kind,
        source=source,
        source_x_m=float(source_x_m),
        source_y_m=float(source_y_m),
        downwind_unit=downwind_unit_vector(weather.wind_from_deg),
        release_duration_s=float(source.duration_s),
        source_half_length_m=0.0 if half_width is None else float(half_width),
        source_crossing_time_s=crossing,
        emission_t_s=np.asarray(emission_t, dtype=np.float64),
        emission_rate_kg_s=np.asarray(emission_rate, dtype=np.float64),
        plumes=plumes,
        cloud=cloud,
        cloud_release_time_s=release_time,
        cloud_peak_distance_m=peak_x,
        cloud_peak_reach_m=peak_reach,
        cloud_peak_kg_m3=peak_c,
        cloud_peak_fraction=peak_f,
        arrival_distance_m=arrival_x,
        arrival_time_s=arrival_t,
        arrival_rate_kg_s=arrival_q,
        arrival_emission_time_s=arrival_nodes,
        mean_travel_time_s=np.asarray(mean_travel, dtype=np.float64),
    )
