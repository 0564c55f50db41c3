"""Ambient conditions shared by the release, pool and dispersion models.

Coordinates: site x points east, y north, z up, m. The wind direction is meteorological: the
direction the wind blows *from*, degrees clockwise from north (wind from 270 deg blows to +x).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from solvers._checks import require_choice, require_in_range, require_positive

__all__ = ["STABILITY_CLASSES", "StabilityClass", "Weather", "downwind_unit_vector"]

StabilityClass = Literal["A", "B", "C", "D", "E", "F"]
STABILITY_CLASSES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")

#: Standard atmosphere at sea level, Pa (ISO 2533).
STANDARD_PRESSURE_PA = 101_325.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Weather:
    """Weather at the site during a release.

    Attributes
    ----------
    wind_speed_m_s : float
        Mean wind speed at ``reference_height_m``, m/s. Must be > 0.
    wind_from_deg : float
        Direction the wind blows from, degrees clockwise from north, in [0, 360).
    stability_class : {"A", "B", "C", "D", "E", "F"}
        Pasquill-Gifford stability class (derive it with
        :func:`solvers.dispersion.stability.pasquill_class`).
    ambient_temperature_k : float
        Air temperature, K.
    ambient_pressure_pa : float
        Air pressure, Pa.
    relative_humidity : float
        Relative humidity, 0 to 1.
    reference_height_m : float
        Height at which the wind speed is given, m (10 m by convention).
    surface_roughness_m : float
        Aerodynamic roughness length z0, m (0.03 open flat land, 0.1 to 0.3 industrial, 1 city).
    mixing_height_m : float
        Height of the mixing-layer lid, m.
    is_urban : bool
        Whether Briggs' urban dispersion coefficients apply.
    """

    wind_speed_m_s: float
    wind_from_deg: float
    stability_class: StabilityClass = "D"
    ambient_temperature_k: float = 293.15
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA
    relative_humidity: float = 0.7
    reference_height_m: float = 10.0
    surface_roughness_m: float = 0.1
    mixing_height_m: float = 1000.0
    is_urban: bool = False

    def __post_init__(self) -> None:
        require_positive("wind_speed_m_s", self.wind_speed_m_s, "m/s")
        require_in_range(
            "wind_from_deg", self.wind_from_deg, "deg", low=0.0, high=360.0, high_inclusive=False
        )
        require_choice("stability_class", self.stability_class, STABILITY_CLASSES)
        require_in_range(
            "ambient_temperature_k", self.ambient_temperature_k, "K", low=200.0, high=330.0
        )
        require_in_range(
            "ambient_pressure_pa", self.ambient_pressure_pa, "Pa", low=50_000.0, high=110_000.0
        )
        require_in_range("relative_humidity", self.relative_humidity, "", low=0.0, high=1.0)
        require_positive("reference_height_m", self.reference_height_m, "m")
        require_in_range("surface_roughness_m", self.surface_roughness_m, "m", low=1e-4, high=3.0)
        require_in_range("mixing_height_m", self.mixing_height_m, "m", low=50.0, high=5000.0)


def downwind_unit_vector(wind_from_deg: float) -> tuple[float, float]:
    """Return the unit vector (east, north) the wind blows to, for a wind from ``wind_from_deg``.

    Examples
    --------
    >>> [round(c, 12) + 0.0 for c in downwind_unit_vector(270.0)]
    [1.0, 0.0]
    """
    rad = math.radians(wind_from_deg)
    return (-math.sin(rad), -math.cos(rad))
