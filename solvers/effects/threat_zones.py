"""Threat zones: where and how far a concentration or a toxic dose reaches a level of concern.

Two inputs are handled.

A field on a receptor grid over time, ``(nt, ny, nx)`` volume fractions on a
:class:`geometry.grid.Grid2D`
    The footprint of a level is the set of cells where the concentration reaches it at any
    time (the union over time), returned as a boolean mask. From the mask come the threat-zone
    distance (the largest downwind distance, along the wind, of a cell centre in the footprint,
    measured from the source), the width (the crosswind extent of the cell centres plus one
    cell) and the area (cells times cell area). For a toxic probit, the footprint of a fatality
    fraction is where the toxic load integrated over the history reaches the load of that
    fraction. Resolution is one cell; polygons can be traced from the masks elsewhere.

A plume centreline, a callable ``c(x)`` of downwind distance
    The threat distance of a level is the largest x where ``c(x) = level``: the centreline is
    scanned on a logarithmic grid to bracket the last crossing, and
    :func:`scipy.optimize.brentq` refines it. A toxic probit with a fixed exposure duration
    becomes a concentration level by the constant-exposure closed form.

References
----------
.. [1] US EPA / NOAA (2013). ALOHA 5.4 Technical Documentation, NOAA Technical Memorandum NOS
   OR&R 43: threat zones as the areas where a level of concern is exceeded at any time.
.. [2] CCPS (2000). Guidelines for Chemical Process Quantitative Risk Analysis, 2nd ed., ch. 2.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from geometry.grid import Grid2D
from solvers._checks import require_finite, require_in_range, require_positive
from solvers.atmosphere import downwind_unit_vector
from solvers.effects._common import as_fraction_array, as_time_axis, readonly
from solvers.effects.threshold_zones import ThresholdLevel
from solvers.effects.toxic_load import (
    IntegrationRule,
    ProbitConstants,
    concentration_for_probability,
    toxic_load_for_probability,
    toxic_load_history,
)
from solvers.errors import ConvergenceError, InvalidInputError

__all__ = [
    "ThreatZone",
    "grid_probit_zones",
    "grid_threat_zones",
    "plume_probit_zone",
    "plume_threat_distance_m",
    "plume_threat_zones",
]

#: Fatality fractions reported by default for toxic-probit zones (1 % and 50 %).
DEFAULT_FATALITY_FRACTIONS: tuple[float, ...] = (0.01, 0.5)

#: Relative tolerance of the centreline root, dimensionless.
_BRENTQ_RTOL = 1e-10


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatZone:
    """The footprint and reach of one level of concern.

    Attributes
    ----------
    level_name : str
        Level, e.g. ``"AEGL-3 (60 min)"`` or ``"1 % fatality"``.
    threshold_volume_fraction : float or None
        Concentration of the level, volume fraction; None for a dose-based zone on a grid.
    distance_m : float
        Largest downwind distance from the source where the level is reached, m; 0 when it is
        nowhere reached; ``inf`` when a centreline still exceeds it at the end of its range.
    area_m2 : float or None
        Footprint area, m^2; None for a centreline.
    width_m : float or None
        Largest crosswind extent of the footprint, m; None for a centreline.
    mask : ndarray of bool, shape (ny, nx), or None
        Footprint cells (read-only); None for a centreline or when not kept.
    fatality_probability : float or None
        Fatality fraction of a probit zone; None for a concentration level.
    """

    level_name: str
    threshold_volume_fraction: float | None
    distance_m: float
    area_m2: float | None = None
    width_m: float | None = None
    mask: NDArray[np.bool_] | None = None
    fatality_probability: float | None = None


def _field_history(volume_fraction: Any, grid: Grid2D) -> NDArray[np.float64]:
    """Return the field as ``(nt, ny, nx)``, checking it matches the grid."""
    field = as_fraction_array("volume_fraction", volume_fraction)
    if field.ndim == 2:
        field = field[np.newaxis]
    if field.ndim != 3 or field.shape[1:] != tuple(grid.shape) or field.shape[0] < 1:
        raise InvalidInputError(
            f"volume_fraction has shape {field.shape}: must be (nt, ny, nx) or (ny, nx) with "
            + f"(ny, nx) = {tuple(grid.shape)} of the grid"
        )
    return field


def _grid_frame(
    grid: Grid2D, source_xy_m: tuple[float, float], wind_from_deg: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the downwind and crosswind coordinates of the cell centres, (ny, nx) m each."""
    xs = require_finite("source_xy_m[0]", source_xy_m[0], "m")
    ys = require_finite("source_xy_m[1]", source_xy_m[1], "m")
    require_in_range("wind_from_deg", wind_from_deg, "deg", low=0.0, high=360.0)
    ux, uy = downwind_unit_vector(wind_from_deg)
    dx = grid.x_m[np.newaxis, :] - xs
    dy = grid.y_m[:, np.newaxis] - ys
    return dx * ux + dy * uy, dy * ux - dx * uy


def _footprint_zone(
    mask: NDArray[np.bool_],
    grid: Grid2D,
    frame: tuple[NDArray[np.float64], NDArray[np.float64]],
    *,
    level_name: str,
    threshold_volume_fraction: float | None,
    fatality_probability: float | None,
    keep_mask: bool,
) -> ThreatZone:
    """Return the zone of one footprint mask."""
    downwind, crosswind = frame
    cell = float(grid.cell_size_m)
    if mask.any():
        distance = max(0.0, float(downwind[mask].max()))
        across = crosswind[mask]
        width = float(across.max() - across.min()) + cell
        area = float(mask.sum()) * cell * cell
    else:
        distance = width = area = 0.0
    return ThreatZone(
        level_name=level_name,
        threshold_volume_fraction=threshold_volume_fraction,
        distance_m=distance,
        area_m2=area,
        width_m=width,
        mask=readonly(mask) if keep_mask else None,
        fatality_probability=fatality_probability,
    )


def grid_threat_zones(
    volume_fraction: Any,
    grid: Grid2D,
    levels: Sequence[ThresholdLevel],
    *,
    source_xy_m: tuple[float, float],
    wind_from_deg: float,
    keep_masks: bool = True,
) -> tuple[ThreatZone, ...]:
    """Return the threat zone of each level from a concentration field on a grid.

    Parameters
    ----------
    volume_fraction : array_like, shape (nt, ny, nx) or (ny, nx)
        Concentration at the receptor height over time (or its peak over time), volume
        fraction in [0, 1], on ``grid``.
    grid : Grid2D
        Receptor grid (cell centres in site coordinates).
    levels : sequence of ThresholdLevel
        Levels of concern (e.g. :func:`solvers.effects.threshold_zones.threshold_levels`).
    source_xy_m : tuple of float
        Source position ``(x, y)``, m, in site coordinates.
    wind_from_deg : float
        Direction the wind blows from, deg clockwise from north.
    keep_masks : bool
        Whether to return the footprint masks.

    Returns
    -------
    tuple of ThreatZone
        One per level, in the given order.

    Raises
    ------
    InvalidInputError
        On a field that does not match the grid, values outside [0, 1] or a bad source or wind.
    """
    field = _field_history(volume_fraction, grid)
    frame = _grid_frame(grid, source_xy_m, wind_from_deg)
    peak = field.max(axis=0)
    return tuple(
        _footprint_zone(
            peak >= level.volume_fraction,
            grid,
            frame,
            level_name=level.name,
            threshold_volume_fraction=level.volume_fraction,
            fatality_probability=None,
            keep_mask=keep_masks,
        )
        for level in levels
    )


def grid_probit_zones(
    volume_fraction: Any,
    t_s: Any,
    grid: Grid2D,
    probit: ProbitConstants,
    *,
    source_xy_m: tuple[float, float],
    wind_from_deg: float,
    fatality_fractions: Sequence[float] = DEFAULT_FATALITY_FRACTIONS,
    rule: IntegrationRule = "trapezoid",
    keep_masks: bool = True,
) -> tuple[ThreatZone, ...]:
    """Return the zones where the toxic load of a field history gives each fatality fraction.

    Parameters
    ----------
    volume_fraction : array_like, shape (nt, ny, nx)
        Concentration history at the receptor height, volume fraction in [0, 1].
    t_s : array_like, shape (nt,)
        Sample times, s, non-decreasing.
    grid : Grid2D
        Receptor grid.
    probit : ProbitConstants
        Lethality probit of the substance (ppm, min).
    source_xy_m : tuple of float
        Source position ``(x, y)``, m.
    wind_from_deg : float
        Direction the wind blows from, deg.
    fatality_fractions : sequence of float
        Fractions in (0, 1); default 1 % and 50 %.
    rule : {"trapezoid", "step"}
        Time integration of the load (see :func:`solvers.effects.toxic_load.toxic_load_history`).
    keep_masks : bool
        Whether to return the footprint masks.

    Returns
    -------
    tuple of ThreatZone
        One per fraction, in the given order.

    Raises
    ------
    InvalidInputError
        On mismatched shapes, bad values, fractions outside (0, 1) or probit units.
    """
    field = _field_history(volume_fraction, grid)
    t = as_time_axis("t_s", t_s, field.shape[0])
    load = toxic_load_history(field, t, exponent_n=probit.n, rule=rule)
    frame = _grid_frame(grid, source_xy_m, wind_from_deg)
    zones = []
    for fraction in fatality_fractions:
        threshold = toxic_load_for_probability(fraction, probit)
        zones.append(
            _footprint_zone(
                load >= threshold,
                grid,
                frame,
                level_name=f"{100 * fraction:g} % fatality",
                threshold_volume_fraction=None,
                fatality_probability=float(fraction),
                keep_mask=keep_masks,
            )
        )
    return tuple(zones)


def plume_threat_distance_m(
    centreline_volume_fraction: Callable[[float], float],
    threshold_volume_fraction: float,
    *,
    x_min_m: float = 1.0,
    x_max_m: float = 50_000.0,
    n_scan: int = 400,
) -> float:
    """Return the largest downwind distance where a centreline concentration equals a level.

    The centreline is evaluated at ``n_scan`` distances spaced evenly in log(x) between
    ``x_min_m`` and ``x_max_m``; the last interval where it falls from at or above the level
    to below it is refined with Brent's method. A level first reached beyond ``x_min_m`` (an
    elevated source) is handled the same way.

    Parameters
    ----------
    centreline_volume_fraction : callable
        ``c(x_m) -> volume fraction`` at the receptor height on the plume axis.
    threshold_volume_fraction : float
        Level, volume fraction in (0, 1].
    x_min_m, x_max_m : float
        Range searched, m; 0 < x_min_m < x_max_m.
    n_scan : int
        Number of scan points, >= 2; a plume that dips below and rises above the level again
        between two scan points is not resolved.

    Returns
    -------
    float
        Distance, m: 0 when the level is not reached in the range, ``inf`` when it is still
        reached at ``x_max_m``.

    Raises
    ------
    InvalidInputError
        On a bad range, level or a centreline that returns a non-finite or negative value.
    ConvergenceError
        If Brent's method fails to converge.
    """
    level = require_in_range(
        "threshold_volume_fraction",
        threshold_volume_fraction,
        "",
        low=0.0,
        high=1.0,
        low_inclusive=False,
    )
    x0 = require_positive("x_min_m", x_min_m, "m")
    x1 = require_positive("x_max_m", x_max_m, "m")
    if x1 <= x0:
        raise InvalidInputError(f"x_max_m = {x_max_m!r} m: must be > x_min_m = {x_min_m!r} m")
    if int(n_scan) < 2:
        raise InvalidInputError(f"n_scan = {n_scan!r}: must be an integer >= 2")
    xs = np.geomspace(x0, x1, int(n_scan))
    # Plume models are scalar callables here; the scan is a few hundred calls, not a hot path.
    values = np.array([float(centreline_volume_fraction(float(x))) for x in xs])
    if not (np.isfinite(values).all() and (values >= 0).all()):
        raise InvalidInputError(
            "centreline_volume_fraction returned a non-finite or negative value in "
            + f"[{x0:g}, {x1:g}] m: it must return volume fractions >= 0"
        )
    above = values >= level
    if not above.any():
        return 0.0
    last = int(np.flatnonzero(above)[-1])
    if last == xs.size - 1:
        return math.inf
    lo, hi = float(xs[last]), float(xs[last + 1])
    if values[last] == level:
        return lo
    try:
        root = optimize.brentq(
            lambda x: float(centreline_volume_fraction(x)) - level, lo, hi, rtol=_BRENTQ_RTOL
        )
    except (RuntimeError, ValueError) as error:
        raise ConvergenceError(
            f"brentq found no crossing of {level:g} between {lo:g} and {hi:g} m: {error}"
        ) from error
    return float(root)


def plume_threat_zones(
    centreline_volume_fraction: Callable[[float], float],
    levels: Sequence[ThresholdLevel],
    *,
    x_min_m: float = 1.0,
    x_max_m: float = 50_000.0,
    n_scan: int = 400,
) -> tuple[ThreatZone, ...]:
    """Return the threat distance of each level along a plume centreline.

    Parameters
    ----------
    centreline_volume_fraction : callable
        ``c(x_m) -> volume fraction`` on the plume axis at the receptor height.
    levels : sequence of ThresholdLevel
        Levels of concern.
    x_min_m, x_max_m : float
        Range searched, m.
    n_scan : int
        Scan points (see :func:`plume_threat_distance_m`).

    Returns
    -------
    tuple of ThreatZone
        One per level (area, width and mask None).

    Raises
    ------
    InvalidInputError, ConvergenceError
        As :func:`plume_threat_distance_m`.
    """
    return tuple(
        ThreatZone(
            level_name=level.name,
            threshold_volume_fraction=level.volume_fraction,
            distance_m=plume_threat_distance_m(
                centreline_volume_fraction,
                level.volume_fraction,
                x_min_m=x_min_m,
                x_max_m=x_max_m,
                n_scan=n_scan,
            ),
        )
        for level in levels
    )


def plume_probit_zone(
    centreline_volume_fraction: Callable[[float], float],
    probit: ProbitConstants,
    *,
    fatality_probability: float,
    exposure_duration_s: float,
    x_min_m: float = 1.0,
    x_max_m: float = 50_000.0,
    n_scan: int = 400,
) -> ThreatZone:
    """Return the distance to a fatality fraction for a steady plume and a fixed exposure.

    With a constant concentration for ``exposure_duration_s`` the load is ``C^n t``, so the
    fraction is reached where the centreline equals
    :func:`solvers.effects.toxic_load.concentration_for_probability`.

    Parameters
    ----------
    centreline_volume_fraction : callable
        ``c(x_m) -> volume fraction`` on the plume axis.
    probit : ProbitConstants
        Lethality probit (ppm, min).
    fatality_probability : float
        Fraction in (0, 1), e.g. 0.01 or 0.5.
    exposure_duration_s : float
        Exposure duration, s; > 0.
    x_min_m, x_max_m : float
        Range searched, m.
    n_scan : int
        Scan points.

    Returns
    -------
    ThreatZone
        With the equivalent concentration as ``threshold_volume_fraction``; 0 m if that
        concentration exceeds 1 (the fraction is unreachable).

    Raises
    ------
    InvalidInputError, ConvergenceError
        As :func:`plume_threat_distance_m`, or on a bad fraction, duration or probit.
    """
    level = concentration_for_probability(
        fatality_probability, probit, duration_s=exposure_duration_s
    )
    name = f"{100 * fatality_probability:g} % fatality ({exposure_duration_s / 60.0:g} min)"
    distance = (
        0.0
        if level > 1.0
        else plume_threat_distance_m(
            centreline_volume_fraction, level, x_min_m=x_min_m, x_max_m=x_max_m, n_scan=n_scan
        )
    )
    return ThreatZone(
        level_name=name,
        threshold_volume_fraction=level,
        distance_m=distance,
        fatality_probability=float(fatality_probability),
    )
