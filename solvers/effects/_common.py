"""Shared input checks and unit factors of the effects family (private)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from solvers.errors import InvalidInputError

#: Parts per million in one unit of volume (mole) fraction.
PPM_PER_VOLUME_FRACTION = 1.0e6

#: Seconds in a minute; published dose-response constants use minutes.
SECONDS_PER_MINUTE = 60.0

#: Oxygen in dry air, volume fraction (U.S. Standard Atmosphere 1976: 0.209476, rounded).
AIR_OXYGEN_VOLUME_FRACTION = 0.2095


def as_array(name: str, value: Any, unit: str, *, low: float = 0.0) -> NDArray[np.float64]:
    """Return ``value`` as a float array; raise unless every entry is finite and >= ``low``."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} = {value!r} {unit}: must be numbers") from None
    bad = ~np.isfinite(array) | (array < low)
    if bad.any():
        first = array[bad].flat[0]
        raise InvalidInputError(
            f"{name} holds {first!r} {unit} (at {int(bad.sum())} place(s)): "
            + f"every entry must be a finite number >= {low:g}"
        )
    return array


def as_fraction_array(name: str, value: Any) -> NDArray[np.float64]:
    """Return ``value`` as a float array; raise unless every entry lies in [0, 1]."""
    array = as_array(name, value, "(volume fraction)")
    if (array > 1.0).any():
        first = array[array > 1.0].flat[0]
        raise InvalidInputError(
            f"{name} holds {first!r}: a volume fraction must lie in [0, 1] (1 ppm = 1e-6)"
        )
    return array


def as_time_axis(name: str, value: Any, n_samples: int) -> NDArray[np.float64]:
    """Return sample times as a 1-D float array of ``n_samples`` non-decreasing finite values."""
    t = np.asarray(value, dtype=np.float64)
    if t.ndim != 1 or t.shape[0] != n_samples:
        raise InvalidInputError(
            f"{name} has shape {t.shape}: must be ({n_samples},), one time per sample"
        )
    if not np.isfinite(t).all():
        raise InvalidInputError(f"{name} holds a non-finite time: every time must be finite, s")
    if n_samples > 1 and (np.diff(t) < 0).any():
        raise InvalidInputError(f"{name} must be non-decreasing, s")
    return t


def readonly(array: NDArray[Any]) -> NDArray[Any]:
    """Return ``array`` marked read-only (for arrays held by frozen results)."""
    array.flags.writeable = False
    return array


def require_time_axis(name: str, array: NDArray[np.float64]) -> None:
    """Raise unless ``array`` has a first (time) axis holding at least one sample."""
    if array.ndim < 1 or array.shape[0] < 1:
        raise InvalidInputError(
            f"{name} has shape {array.shape}: needs a first (time) axis of length >= 1"
        )


def integrate_history(
    integrand: NDArray[np.float64], t: NDArray[np.float64], rule: str
) -> NDArray[np.float64]:
    """Integrate a sampled history over its first axis; 0 for a single sample.

    ``rule`` is ``"trapezoid"`` (trapezoid rule) or ``"step"`` (each sample held until the
    next: left Riemann sum). ``t`` holds one time per sample, in the unit of the result's
    time factor.
    """
    if integrand.shape[0] == 1:
        return np.zeros(integrand.shape[1:])
    dt = np.diff(t).reshape((-1,) + (1,) * (integrand.ndim - 1))
    if rule == "trapezoid":
        return np.asarray(np.sum(0.5 * (integrand[1:] + integrand[:-1]) * dt, axis=0))
    return np.asarray(np.sum(integrand[:-1] * dt, axis=0))
