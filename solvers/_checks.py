"""Input checks shared by the solvers; errors name the field, the value and what is allowed."""

from __future__ import annotations

import math
from typing import Any

from solvers.errors import InvalidInputError


def _as_float(value: Any) -> float:
    """``value`` as a float; NaN when it is not a number, so the caller's finiteness test fails."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def require_finite(name: str, value: Any, unit: str) -> float:
    """Return ``value`` as a float; raise :class:`InvalidInputError` unless it is finite."""
    number = _as_float(value)
    if not math.isfinite(number):
        raise InvalidInputError(f"{name} = {value!r} {unit}: must be a finite number")
    return number


def require_positive(name: str, value: Any, unit: str) -> float:
    """Return ``value`` as a float; raise :class:`InvalidInputError` unless finite and > 0."""
    number = _as_float(value)
    if not (math.isfinite(number) and number > 0):
        raise InvalidInputError(f"{name} = {value!r} {unit}: must be a finite number > 0")
    return number


def require_non_negative(name: str, value: Any, unit: str) -> float:
    """Return ``value`` as a float; raise :class:`InvalidInputError` unless finite and >= 0."""
    number = _as_float(value)
    if not (math.isfinite(number) and number >= 0):
        raise InvalidInputError(f"{name} = {value!r} {unit}: must be a finite number >= 0")
    return number


def require_in_range(
    name: str,
    value: Any,
    unit: str,
    *,
    low: float,
    high: float,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a float; raise :class:`InvalidInputError` unless it lies in the range."""
    number = _as_float(value)
    above = number >= low if low_inclusive else number > low
    below = number <= high if high_inclusive else number < high
    if not (math.isfinite(number) and above and below):
        lo = "[" if low_inclusive else "("
        hi = "]" if high_inclusive else ")"
        raise InvalidInputError(
            f"{name} = {value!r} {unit}: must be a finite number in {lo}{low:g}, {high:g}{hi}"
        )
    return number


def require_choice(name: str, value: str, allowed: tuple[str, ...] | list[str]) -> str:
    """Return ``value``; raise :class:`InvalidInputError` listing the allowed choices otherwise."""
    if value not in allowed:
        raise InvalidInputError(f"{name} = {value!r}: choose one of {sorted(allowed)}")
    return value
