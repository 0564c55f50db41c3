"""Britter & McQuaid (1988) dense-gas correlations: continuous plumes and instantaneous clouds.

The Workbook on the Dispersion of Dense Gases (Britter & McQuaid 1988, HSE Contract Research
Report 17/1988) condenses the field trials of its time into nomograms of the ratio of the maximum
ground-level concentration to the source concentration, ``Cm/C0``, against a dimensionless
downwind distance, one curve per ratio, as functions of one buoyancy parameter ``alpha``:

* continuous release (volume rate ``q0``, m^3/s at source conditions)::

      alpha = 0.2 log10(g0'^2 q0 / u^5),    beta = log10(x / D),    D = sqrt(q0 / u)

* instantaneous release (volume ``V0``, m^3)::

      alpha = 0.5 log10(g0' V0^(1/3) / u^2),    beta = log10(x / V0^(1/3))

with ``g0' = g (rho0 - rho_a) / rho_a`` and ``u`` the wind speed at 10 m. The curves are used in
the piecewise-linear fits ``beta = a alpha + b`` published in CCPS (1999) and reproduced in Crowl
& Louvar (2011, ch. 5): six ratios from 0.1 to 0.002 for plumes, seven from 0.1 to 0.001
for clouds. Between the curves ``log(Cm/C0)`` is interpolated linearly in ``beta``.

Outside the charted ratios this module extends the curves as follows (our choice, stated so it
can be checked): nearer the source than the 0.1 curve, ``Cm/C0 = 1 / (1 + (x'/x'_n)^2)`` with
``x'_n`` set so that the ratio is 0.1 on the 0.1 curve (for weakly dense plumes this is close to
the passive line ``306 (x/D)^-2`` drawn on the workbook's plume chart); beyond the last curve the
ratio falls as ``x^-2`` from the last charted point.

Release classification (workbook): ``u Td / x >= 2.5`` continuous, ``<= 0.6``
instantaneous. Dense-gas effects matter when ``(g0' q0 / (u^3 D))^(1/3) >= 0.15`` (continuous)
or ``sqrt(g0' V0^(1/3)) / u >= 0.2`` (instantaneous).

Non-isothermal releases: the charts are for isothermal mixing. For a source at ``T0`` mixing
with air at ``Ta`` without heat exchange with the ground, the chart ratio ``C*`` and the actual
volume fraction ratio ``C`` are related by ``C* = C / (C + (1 - C) Ta / T0)`` (workbook;
CCPS 1999). Turning the correction off gives the isothermal (heat-transfer-limit)
answer; the workbook suggests computing both when ground heating may be strong.

Plume extent (workbook, continuous release): upwind ``L_U = D/2 + 2 l_b``, half-width at the
source ``L_H0 = D + 8 l_b``, downwind half-width ``L_H = L_H0 + 2.5 l_b^(1/3) x^(2/3)`` with
``l_b = g0' q0 / u^3``; the height follows from continuity of the volume flux of a top-hat
plume travelling at ``u``: ``H = q0 / (2 u L_H C*)``.

Validity: ground-level releases of negligible momentum over flat, unobstructed terrain;
``alpha`` up to 1 (values above are clamped and logged).

References
----------
.. [1] Britter, R.E., McQuaid, J. (1988). Workbook on the dispersion of dense gases. HSE
   Contract Research Report 17/1988, Health and Safety Executive, Sheffield.
.. [2] CCPS (1999). Guidelines for Consequence Analysis of Chemical Releases. AIChE, New York,
   dense-gas dispersion (Britter-McQuaid model; nomogram fits on p. 118, example p. 122).
.. [3] Crowl, D.A., Louvar, J.F. (2011). Chemical Process Safety: Fundamentals with
   Applications, 3rd ed., Prentice Hall, ch. 5 (dense gas dispersion).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers._checks import require_in_range, require_positive
from solvers.dispersion._dense_gas_common import GRAVITY_M_S2
from solvers.errors import InvalidInputError

__all__ = [
    "CONTINUOUS_CRITERION_THRESHOLD",
    "INSTANTANEOUS_CRITERION_THRESHOLD",
    "BritterMcQuaidPlume",
    "BritterMcQuaidPuff",
    "ReleaseKind",
    "britter_mcquaid_plume",
    "britter_mcquaid_puff",
    "continuous_density_criterion",
    "instantaneous_density_criterion",
    "release_kind",
    "release_kind_ratio",
]

_LOG = logging.getLogger(__name__)

ReleaseKind = Literal["continuous", "instantaneous", "intermediate"]

#: u Td / x at or above which a release is continuous (Britter & McQuaid 1988).
CONTINUOUS_RELEASE_RATIO = 2.5
#: u Td / x at or below which a release is instantaneous (Britter & McQuaid 1988).
INSTANTANEOUS_RELEASE_RATIO = 0.6
#: (g0' q0 / (u^3 D))^(1/3) at or above which a plume is dense (Britter & McQuaid 1988).
CONTINUOUS_CRITERION_THRESHOLD = 0.15
#: sqrt(g0' V0^(1/3)) / u at or above which a cloud is dense (Britter & McQuaid 1988).
INSTANTANEOUS_CRITERION_THRESHOLD = 0.2
#: Largest alpha the published fits cover (CCPS 1999); larger values are clamped.
ALPHA_MAX = 1.0

# A fit is a tuple of segments (alpha_upper, slope, intercept): beta = slope * alpha + intercept
# for alpha <= alpha_upper (and above the previous segment's upper bound). The last segment's
# upper bound is ALPHA_MAX.
_Fit = tuple[tuple[float, float, float], ...]

#: Continuous plume: (Cm/C0, fit). CCPS (1999) p. 118, fits of Britter & McQuaid's
#: continuous-release nomogram; also Crowl & Louvar (2011) ch. 5.
_PLUME_FITS: tuple[tuple[float, _Fit], ...] = (
    (0.10, ((-0.55, 0.0, 1.75), (-0.14, 0.24, 1.88), (1.0, -0.50, 1.78))),
    (0.05, ((-0.68, 0.0, 1.92), (-0.29, 0.36, 2.16), (-0.18, 0.0, 2.06), (1.0, -0.56, 1.96))),
    (0.02, ((-0.69, 0.0, 2.08), (-0.31, 0.45, 2.39), (-0.16, 0.0, 2.25), (1.0, -0.54, 2.16))),
    (0.01, ((-0.70, 0.0, 2.25), (-0.29, 0.49, 2.59), (-0.20, 0.0, 2.45), (1.0, -0.52, 2.35))),
    (0.005, ((-0.67, 0.0, 2.40), (-0.28, 0.59, 2.80), (-0.15, 0.0, 2.63), (1.0, -0.48, 2.56))),
    (0.002, ((-0.69, 0.0, 2.60), (-0.25, 0.39, 2.87), (-0.13, 0.0, 2.77), (1.0, -0.50, 2.71))),
)

#: Instantaneous cloud: (Cm/C0, fit). CCPS (1999) p. 118, fits of Britter & McQuaid's
#: instantaneous-release nomogram; also Crowl & Louvar (2011) ch. 5.
_PUFF_FITS: tuple[tuple[float, _Fit], ...] = (
    (0.10, ((-0.44, 0.0, 0.70), (0.43, 0.26, 0.81), (1.0, 0.0, 0.93))),
    (0.05, ((-0.56, 0.0, 0.85), (0.31, 0.26, 1.00), (1.0, -0.12, 1.12))),
    (0.02, ((-0.66, 0.0, 0.95), (0.32, 0.36, 1.19), (1.0, -0.26, 1.38))),
    (0.01, ((-0.71, 0.0, 1.15), (0.37, 0.34, 1.39), (1.0, -0.38, 1.66))),
    (0.005, ((-0.52, 0.0, 1.48), (0.24, 0.26, 1.62), (1.0, -0.30, 1.75))),
    (0.002, ((0.27, 0.0, 1.83), (1.0, -0.32, 1.92))),
    (0.001, ((-0.10, 0.0, 2.075), (1.0, -0.27, 2.05))),
)

#: Far-field decay exponent of Cm/C0 with distance beyond the last charted curve (our choice:
#: the x^-2 decay of the workbook's passive plume line).
_FAR_FIELD_EXPONENT = 2.0
#: Ratio of the near-field scale to the distance of the 0.1 curve, sqrt((1 - 0.1) / 0.1) = 3.
_NEAR_FIELD_DIVISOR = 3.0
#: Coefficient of the cloud radius law R^2 = R0^2 + 1.2 sqrt(g0' V0) t (Britter & McQuaid 1988;
#: the integral of dR/dt = 1.07 sqrt(g' H) at constant g' V).
_PUFF_SPREAD_COEFFICIENT = 1.2


def _fit_beta(fit: _Fit, alpha: float) -> float:
    """Return beta of one fitted curve at ``alpha``."""
    for upper, slope, intercept in fit:
        if alpha <= upper:
            return slope * alpha + intercept
    _, slope, intercept = fit[-1]
    return slope * alpha + intercept


def _clamped_alpha(alpha: float, what: str) -> float:
    """Return ``alpha`` clamped to the fitted range, logging when it is clamped."""
    if alpha > ALPHA_MAX:
        _LOG.warning(
            "Britter-McQuaid %s alpha = %.3f is above the fitted range; using %.1f",
            what,
            alpha,
            ALPHA_MAX,
        )
        return ALPHA_MAX
    return alpha


@dataclass(frozen=True, slots=True)
class _Chart:
    """One nomogram at a fixed alpha: dimensionless distances of the charted ratios."""

    ratios: NDArray[np.float64]  # (k,) decreasing Cm/C0
    distances: NDArray[np.float64]  # (k,) increasing x / length scale

    @classmethod
    def from_fits(cls, fits: tuple[tuple[float, _Fit], ...], alpha: float) -> _Chart:
        ratios = np.array([r for r, _ in fits])
        betas = np.array([_fit_beta(fit, alpha) for _, fit in fits])
        # Fits can cross by a few hundredths where curves nearly touch; keep the chart monotone.
        betas = np.maximum.accumulate(betas + 1e-9 * np.arange(betas.size))
        return cls(ratios=ratios, distances=10.0**betas)

    def ratio(self, distance: NDArray[np.float64]) -> NDArray[np.float64]:
        """Isothermal ratio Cm/C0 at dimensionless distances ``distance`` (>= 0)."""
        d = np.asarray(distance, dtype=np.float64)
        near_scale = self.distances[0] / _NEAR_FIELD_DIVISOR
        near = 1.0 / (1.0 + (d / near_scale) ** 2)
        far = self.ratios[-1] * (np.maximum(d, self.distances[-1]) / self.distances[-1]) ** (
            -_FAR_FIELD_EXPONENT
        )
        log_mid = np.interp(
            np.log(np.clip(d, self.distances[0], self.distances[-1])),
            np.log(self.distances),
            np.log(self.ratios),
        )
        mid = np.exp(log_mid)
        return np.where(d <= self.distances[0], near, np.where(d >= self.distances[-1], far, mid))

    def distance(self, ratio: float) -> float:
        """Dimensionless distance where the isothermal ratio falls to ``ratio`` (0 < ratio)."""
        if ratio >= 1.0:
            return 0.0
        if ratio >= self.ratios[0]:
            near_scale = self.distances[0] / _NEAR_FIELD_DIVISOR
            return float(near_scale * math.sqrt(1.0 / ratio - 1.0))
        if ratio <= self.ratios[-1]:
            return float(
                self.distances[-1] * (self.ratios[-1] / ratio) ** (1 / _FAR_FIELD_EXPONENT)
            )
        log_d = np.interp(math.log(ratio), np.log(self.ratios[::-1]), np.log(self.distances[::-1]))
        return float(math.exp(log_d))


def _to_actual(chart_ratio: NDArray[np.float64], temperature_ratio: float) -> NDArray[np.float64]:
    """Actual volume-fraction ratio from the isothermal chart ratio (non-isothermal correction)."""
    k = temperature_ratio
    return chart_ratio * k / (1.0 - chart_ratio + chart_ratio * k)


def _to_chart(actual_ratio: float, temperature_ratio: float) -> float:
    """Isothermal chart ratio from the actual volume-fraction ratio (inverse of _to_actual)."""
    k = temperature_ratio
    return actual_ratio / (actual_ratio + (1.0 - actual_ratio) * k)


def _check_common(
    source_density_kg_m3: float,
    source_temperature_k: float,
    wind_speed_10m_m_s: float,
    air_density_kg_m3: float,
    ambient_temperature_k: float,
    source_volume_fraction: float,
) -> None:
    require_positive("source_density_kg_m3", source_density_kg_m3, "kg/m^3")
    require_in_range("source_temperature_k", source_temperature_k, "K", low=20.0, high=1500.0)
    require_positive("wind_speed_10m_m_s", wind_speed_10m_m_s, "m/s")
    require_positive("air_density_kg_m3", air_density_kg_m3, "kg/m^3")
    require_in_range("ambient_temperature_k", ambient_temperature_k, "K", low=200.0, high=330.0)
    require_in_range(
        "source_volume_fraction",
        source_volume_fraction,
        "",
        low=0.0,
        high=1.0,
        low_inclusive=False,
    )
    if source_density_kg_m3 <= air_density_kg_m3:
        raise InvalidInputError(
            f"source_density_kg_m3 = {source_density_kg_m3!r} kg/m^3: the Britter-McQuaid "
            + f"correlations need a source denser than the air ({air_density_kg_m3:.4g} kg/m^3)"
        )


def continuous_density_criterion(
    *,
    volume_rate_m3_s: float,
    reduced_gravity_m_s2: float,
    wind_speed_10m_m_s: float,
) -> float:
    """Return the continuous-release dense-gas criterion ``(g0' q0 / (u^3 D))^(1/3)``.

    Parameters
    ----------
    volume_rate_m3_s : float
        Volume rate of the source material at source conditions ``q0``, m^3/s.
    reduced_gravity_m_s2 : float
        ``g0' = g (rho0 - rho_a) / rho_a``, m/s^2 (negative or zero for buoyant sources).
    wind_speed_10m_m_s : float
        Wind speed at 10 m, m/s.

    Returns
    -------
    float
        The criterion (dense when >= 0.15); 0 for a source that is not denser than air.
    """
    q = require_positive("volume_rate_m3_s", volume_rate_m3_s, "m^3/s")
    u = require_positive("wind_speed_10m_m_s", wind_speed_10m_m_s, "m/s")
    if reduced_gravity_m_s2 <= 0:
        return 0.0
    d = math.sqrt(q / u)
    return float((reduced_gravity_m_s2 * q / (u**3 * d)) ** (1.0 / 3.0))


def instantaneous_density_criterion(
    *,
    volume_m3: float,
    reduced_gravity_m_s2: float,
    wind_speed_10m_m_s: float,
) -> float:
    """Return the instantaneous-release dense-gas criterion ``sqrt(g0' V0^(1/3)) / u``.

    Parameters
    ----------
    volume_m3 : float
        Volume of the source material at source conditions ``V0``, m^3.
    reduced_gravity_m_s2 : float
        ``g0'``, m/s^2 (negative or zero for buoyant sources).
    wind_speed_10m_m_s : float
        Wind speed at 10 m, m/s.

    Returns
    -------
    float
        The criterion (dense when >= 0.2); 0 for a source that is not denser than air.
    """
    v = require_positive("volume_m3", volume_m3, "m^3")
    u = require_positive("wind_speed_10m_m_s", wind_speed_10m_m_s, "m/s")
    if reduced_gravity_m_s2 <= 0:
        return 0.0
    return float(math.sqrt(reduced_gravity_m_s2 * v ** (1.0 / 3.0)) / u)


def release_kind_ratio(*, wind_speed_10m_m_s: float, duration_s: float, distance_m: float) -> float:
    """Return ``u Td / x``, the workbook's measure of how continuous a release looks at ``x``."""
    u = require_positive("wind_speed_10m_m_s", wind_speed_10m_m_s, "m/s")
    td = require_positive("duration_s", duration_s, "s")
    x = require_positive("distance_m", distance_m, "m")
    return u * td / x


def release_kind(*, wind_speed_10m_m_s: float, duration_s: float, distance_m: float) -> ReleaseKind:
    """Classify a release seen at ``distance_m`` (Britter & McQuaid 1988).

    Parameters
    ----------
    wind_speed_10m_m_s : float
        Wind speed at 10 m, m/s.
    duration_s : float
        Release duration ``Td``, s.
    distance_m : float
        Downwind distance of interest ``x``, m.

    Returns
    -------
    {"continuous", "instantaneous", "intermediate"}
        ``u Td / x >= 2.5`` continuous, ``<= 0.6`` instantaneous, intermediate in between
        (evaluate both and take the smaller concentration, CCPS 1999).

    Examples
    --------
    >>> release_kind(wind_speed_10m_m_s=10.9, duration_s=174.0, distance_m=367.0)
    'continuous'
    """
    ratio = release_kind_ratio(
        wind_speed_10m_m_s=wind_speed_10m_m_s, duration_s=duration_s, distance_m=distance_m
    )
    if ratio >= CONTINUOUS_RELEASE_RATIO:
        return "continuous"
    if ratio <= INSTANTANEOUS_RELEASE_RATIO:
        return "instantaneous"
    return "intermediate"


@dataclass(frozen=True, slots=True, kw_only=True)
class BritterMcQuaidPlume:
    """A Britter-McQuaid continuous dense plume (see the module docstring).

    Attributes
    ----------
    alpha : float
        ``0.2 log10(g0'^2 q0 / u^5)`` as used on the chart (clamped to <= 1).
    length_scale_m : float
        ``D = sqrt(q0 / u)``, m.
    buoyancy_length_m : float
        ``l_b = g0' q0 / u^3``, m.
    reduced_gravity_m_s2 : float
        ``g0'``, m/s^2.
    density_criterion : float
        ``(g0' q0 / (u^3 D))^(1/3)``.
    is_dense : bool
        Whether the criterion reaches 0.15.
    volume_rate_m3_s : float
        ``q0``, m^3/s.
    wind_speed_10m_m_s : float
        ``u``, m/s.
    temperature_ratio : float
        ``Ta / T0`` used by the non-isothermal correction (1 when it is off).
    source_volume_fraction : float
        ``C0``: volume fraction of the substance in the released material.
    """

    alpha: float
    length_scale_m: float
    buoyancy_length_m: float
    reduced_gravity_m_s2: float
    density_criterion: float
    is_dense: bool
    volume_rate_m3_s: float
    wind_speed_10m_m_s: float
    temperature_ratio: float
    source_volume_fraction: float
    _chart: _Chart

    def centreline_volume_fraction(self, x_m: ArrayLike) -> NDArray[np.float64]:
        """Return the maximum ground-level volume fraction at downwind distances ``x_m``.

        Parameters
        ----------
        x_m : array_like
            Downwind distances from the source, m (values <= 0 give the source value ``C0``).

        Returns
        -------
        ndarray
            Volume fraction of the substance in air, same shape as ``x_m``.
        """
        x = np.asarray(x_m, dtype=np.float64)
        chart = self._chart.ratio(np.maximum(x, 0.0) / self.length_scale_m)
        return self.source_volume_fraction * _to_actual(chart, self.temperature_ratio)

    def distance_to_m(self, volume_fraction: float) -> float:
        """Return the downwind distance where the maximum concentration falls to a level, m.

        Parameters
        ----------
        volume_fraction : float
            Concentration of interest (e.g. the lower flammability limit), 0 < value.

        Returns
        -------
        float
            Distance, m (0 when the level is at or above the source concentration).
        """
        c = require_positive("volume_fraction", volume_fraction, "")
        ratio = c / self.source_volume_fraction
        if ratio >= 1.0:
            return 0.0
        chart = _to_chart(ratio, self.temperature_ratio)
        return self.length_scale_m * self._chart.distance(chart)

    def is_within_chart(self, x_m: float) -> bool:
        """Return whether ``x_m`` lies between the first and last charted curves."""
        d = float(x_m) / self.length_scale_m
        return bool(self._chart.distances[0] <= d <= self._chart.distances[-1])

    @property
    def upwind_extent_m(self) -> float:
        """Upwind extent of the plume ``L_U = D/2 + 2 l_b``, m."""
        return 0.5 * self.length_scale_m + 2.0 * self.buoyancy_length_m

    def half_width_m(self, x_m: ArrayLike) -> NDArray[np.float64]:
        """Return the plume half-width ``L_H0 + 2.5 l_b^(1/3) x^(2/3)`` (``L_H0`` upwind), m."""
        x = np.maximum(np.asarray(x_m, dtype=np.float64), 0.0)
        lb = self.buoyancy_length_m
        return np.asarray(
            self.length_scale_m + 8.0 * lb + 2.5 * np.cbrt(lb) * x ** (2.0 / 3.0), dtype=np.float64
        )

    def height_m(self, x_m: ArrayLike) -> NDArray[np.float64]:
        """Return the top-hat plume height from volume-flux continuity, m."""
        x = np.maximum(np.asarray(x_m, dtype=np.float64), 0.0)
        chart = self._chart.ratio(x / self.length_scale_m)
        return self.volume_rate_m3_s / (
            2.0 * self.wind_speed_10m_m_s * self.half_width_m(x) * chart
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class BritterMcQuaidPuff:
    """A Britter-McQuaid instantaneous dense cloud (see the module docstring).

    Attributes
    ----------
    alpha : float
        ``0.5 log10(g0' V0^(1/3) / u^2)`` as used on the chart (clamped to <= 1).
    length_scale_m : float
        ``V0^(1/3)``, m.
    reduced_gravity_m_s2 : float
        ``g0'``, m/s^2.
    density_criterion : float
        ``sqrt(g0' V0^(1/3)) / u``.
    is_dense : bool
        Whether the criterion reaches 0.2.
    volume_m3 : float
        ``V0``, m^3.
    wind_speed_10m_m_s : float
        ``u``, m/s.
    temperature_ratio : float
        ``Ta / T0`` used by the non-isothermal correction (1 when it is off).
    source_volume_fraction : float
        ``C0``.
    """

    alpha: float
    length_scale_m: float
    reduced_gravity_m_s2: float
    density_criterion: float
    is_dense: bool
    volume_m3: float
    wind_speed_10m_m_s: float
    temperature_ratio: float
    source_volume_fraction: float
    _chart: _Chart

    def centre_volume_fraction(self, x_m: ArrayLike) -> NDArray[np.float64]:
        """Return the maximum volume fraction when the cloud has travelled ``x_m``.

        Parameters
        ----------
        x_m : array_like
            Downwind travel distance of the cloud, m.

        Returns
        -------
        ndarray
            Volume fraction, same shape as ``x_m``.
        """
        x = np.asarray(x_m, dtype=np.float64)
        chart = self._chart.ratio(np.maximum(x, 0.0) / self.length_scale_m)
        return self.source_volume_fraction * _to_actual(chart, self.temperature_ratio)

    def distance_to_m(self, volume_fraction: float) -> float:
        """Return the travel distance where the maximum concentration falls to a level, m."""
        c = require_positive("volume_fraction", volume_fraction, "")
        ratio = c / self.source_volume_fraction
        if ratio >= 1.0:
            return 0.0
        chart = _to_chart(ratio, self.temperature_ratio)
        return self.length_scale_m * self._chart.distance(chart)

    def radius_m(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Return the gravity-spread cloud radius ``sqrt(R0^2 + 1.2 sqrt(g0' V0) t)``, m.

        ``R0`` is the radius of a hemisphere of volume ``V0``.
        """
        t = np.maximum(np.asarray(t_s, dtype=np.float64), 0.0)
        r0 = (3.0 * self.volume_m3 / (2.0 * math.pi)) ** (1.0 / 3.0)
        growth = _PUFF_SPREAD_COEFFICIENT * math.sqrt(self.reduced_gravity_m_s2 * self.volume_m3)
        return np.asarray(np.sqrt(r0**2 + growth * t), dtype=np.float64)


def britter_mcquaid_plume(
    *,
    volume_rate_m3_s: float,
    source_density_kg_m3: float,
    source_temperature_k: float,
    wind_speed_10m_m_s: float,
    air_density_kg_m3: float,
    ambient_temperature_k: float,
    source_volume_fraction: float = 1.0,
    non_isothermal: bool = True,
) -> BritterMcQuaidPlume:
    """Return the Britter-McQuaid continuous dense plume for a ground-level source.

    The maximum ground-level concentration against distance comes from the workbook's
    continuous-release nomogram in CCPS (1999)'s piecewise-linear fits, with the
    non-isothermal correction for sources colder or warmer than the air (module docstring).

    Parameters
    ----------
    volume_rate_m3_s : float
        Volume rate of the released material at source conditions ``q0``, m^3/s.
    source_density_kg_m3 : float
        Density of the released material ``rho0``, kg/m^3; must exceed the air density.
    source_temperature_k : float
        Temperature of the released material ``T0``, K.
    wind_speed_10m_m_s : float
        Wind speed at 10 m, m/s.
    air_density_kg_m3 : float
        Ambient air density ``rho_a``, kg/m^3.
    ambient_temperature_k : float
        Ambient temperature ``Ta``, K.
    source_volume_fraction : float, optional
        Volume fraction ``C0`` of the substance in the released material (1 for a pure gas).
    non_isothermal : bool, optional
        Apply the non-isothermal correction (default); False gives the isothermal answer.

    Returns
    -------
    BritterMcQuaidPlume
        The chart at this release's alpha, with distance, concentration and extent methods.

    Raises
    ------
    InvalidInputError
        For a non-positive or non-finite input, or a source not denser than the air.

    References
    ----------
    .. [1] Britter & McQuaid (1988), HSE CRR 17/1988, continuous-release nomogram.
    .. [2] CCPS (1999), Guidelines for Consequence Analysis of Chemical Releases, p. 118.

    Examples
    --------
    CCPS (1999) Burro LNG example: distance to the lower flammability limit (5 %).

    >>> plume = britter_mcquaid_plume(
    ...     volume_rate_m3_s=0.23 * 425.6 / 1.76, source_density_kg_m3=1.76,
    ...     source_temperature_k=111.15, wind_speed_10m_m_s=10.9,
    ...     air_density_kg_m3=1.184, ambient_temperature_k=298.0)
    >>> round(plume.distance_to_m(0.05), -1)
    370.0
    """
    q = require_positive("volume_rate_m3_s", volume_rate_m3_s, "m^3/s")
    _check_common(
        source_density_kg_m3,
        source_temperature_k,
        wind_speed_10m_m_s,
        air_density_kg_m3,
        ambient_temperature_k,
        source_volume_fraction,
    )
    u = wind_speed_10m_m_s
    g0 = GRAVITY_M_S2 * (source_density_kg_m3 - air_density_kg_m3) / air_density_kg_m3
    alpha = _clamped_alpha(0.2 * math.log10(g0**2 * q / u**5), "plume")
    criterion = continuous_density_criterion(
        volume_rate_m3_s=q, reduced_gravity_m_s2=g0, wind_speed_10m_m_s=u
    )
    return BritterMcQuaidPlume(
        alpha=alpha,
        length_scale_m=math.sqrt(q / u),
        buoyancy_length_m=g0 * q / u**3,
        reduced_gravity_m_s2=g0,
        density_criterion=criterion,
        is_dense=criterion >= CONTINUOUS_CRITERION_THRESHOLD,
        volume_rate_m3_s=q,
        wind_speed_10m_m_s=u,
        temperature_ratio=(ambient_temperature_k / source_temperature_k if non_isothermal else 1.0),
        source_volume_fraction=source_volume_fraction,
        _chart=_Chart.from_fits(_PLUME_FITS, alpha),
    )


def britter_mcquaid_puff(
    *,
    volume_m3: float,
    source_density_kg_m3: float,
    source_temperature_k: float,
    wind_speed_10m_m_s: float,
    air_density_kg_m3: float,
    ambient_temperature_k: float,
    source_volume_fraction: float = 1.0,
    non_isothermal: bool = True,
) -> BritterMcQuaidPuff:
    """Return the Britter-McQuaid instantaneous dense cloud for a ground-level release.

    The maximum concentration against travel distance comes from the workbook's
    instantaneous-release nomogram in CCPS (1999)'s piecewise-linear fits, with the
    non-isothermal correction (module docstring).

    Parameters
    ----------
    volume_m3 : float
        Volume of the released material at source conditions ``V0``, m^3.
    source_density_kg_m3 : float
        Density of the released material ``rho0``, kg/m^3; must exceed the air density.
    source_temperature_k : float
        Temperature of the released material ``T0``, K.
    wind_speed_10m_m_s : float
        Wind speed at 10 m, m/s.
    air_density_kg_m3 : float
        Ambient air density ``rho_a``, kg/m^3.
    ambient_temperature_k : float
        Ambient temperature ``Ta``, K.
    source_volume_fraction : float, optional
        Volume fraction ``C0`` of the substance in the released material.
    non_isothermal : bool, optional
        Apply the non-isothermal correction (default).

    Returns
    -------
    BritterMcQuaidPuff
        The chart at this release's alpha, with distance, concentration and radius methods.

    Raises
    ------
    InvalidInputError
        For a non-positive or non-finite input, or a source not denser than the air.

    References
    ----------
    .. [1] Britter & McQuaid (1988), HSE CRR 17/1988, instantaneous-release nomogram.
    .. [2] CCPS (1999), Guidelines for Consequence Analysis of Chemical Releases, p. 118.
    """
    v = require_positive("volume_m3", volume_m3, "m^3")
    _check_common(
        source_density_kg_m3,
        source_temperature_k,
        wind_speed_10m_m_s,
        air_density_kg_m3,
        ambient_temperature_k,
        source_volume_fraction,
    )
    u = wind_speed_10m_m_s
    g0 = GRAVITY_M_S2 * (source_density_kg_m3 - air_density_kg_m3) / air_density_kg_m3
    alpha = _clamped_alpha(0.5 * math.log10(g0 * v ** (1.0 / 3.0) / u**2), "puff")
    criterion = instantaneous_density_criterion(
        volume_m3=v, reduced_gravity_m_s2=g0, wind_speed_10m_m_s=u
    )
    return BritterMcQuaidPuff(
        alpha=alpha,
        length_scale_m=v ** (1.0 / 3.0),
        reduced_gravity_m_s2=g0,
        density_criterion=criterion,
        is_dense=criterion >= INSTANTANEOUS_CRITERION_THRESHOLD,
        volume_m3=v,
        wind_speed_10m_m_s=u,
        temperature_ratio=(ambient_temperature_k / source_temperature_k if non_isothermal else 1.0),
        source_volume_fraction=source_volume_fraction,
        _chart=_Chart.from_fits(_PUFF_FITS, alpha),
    )
