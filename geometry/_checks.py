"""Input checks shared by the geometry modules; errors name the field, the value and the limit."""

from __future__ import annotations

import math
from typing import Any

from geometry.errors import GeometryError


def _as_float(value: Any) -> float:
    """``value`` as a float; NaN when it is not a number, so the caller's finiteness test fails."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def require_finite(name: str, value: Any, unit: str) -> float:
    """Return ``value`` as a float; raise :class:`GeometryError` unless it is a finite number."""
    number = _as_float(value)
    if not math.isfinite(number):
        raise GeometryError(f"{name} = {value!r} {unit}: must be a finite number")
    return number


def require_positive(name: str, value: Any, unit: str) -> float:
    """Return ``value`` as a float; raise :class:`GeometryError` unless it is finite and > 0."""
    number = _as_float(value)
    if not (math.isfinite(number) and number > 0):
        raise GeometryError(f"{name} = {value!r} {unit}: must be a finite number > 0")
    return number
