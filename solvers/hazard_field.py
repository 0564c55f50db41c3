"""What the crowd reads from the hazard: a sampler of concentration, radiation and overpressure.

Every hazard model that produces a field in space and time offers it through :class:`FieldSampler`,
so the evacuation model, detectors and the plan optimiser sample any model the same way: positions
in site coordinates (x east, y north, z up, m) at one time since the release started.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = ["FieldSampler", "HazardSample", "QuietField"]


@dataclass(frozen=True, slots=True)
class HazardSample:
    """Hazard quantities at ``n`` points at one time.

    Attributes
    ----------
    volume_fraction : (n,) float
        Gas concentration as a volume (mole) fraction in air, 0 to 1 (1 ppm = 1e-6).
    radiation_w_m2 : (n,) float
        Incident thermal radiation, W/m^2.
    overpressure_pa : (n,) float
        Peak side-on overpressure reaching the point at this time, Pa.
    """

    volume_fraction: NDArray[np.float64]
    radiation_w_m2: NDArray[np.float64]
    overpressure_pa: NDArray[np.float64]


class FieldSampler(Protocol):
    """Anything that can be sampled at points and a time (see the module docstring)."""

    @property
    def substance(self) -> str | None:
        """Key of the dispersing substance in the substance library, or None."""
        ...

    def sample(self, points_m: NDArray[np.float64], t_s: float) -> HazardSample:
        """Sample the field at ``points_m`` ((n, 3) float, m) at ``t_s`` s after the release."""
        ...


@dataclass(frozen=True, slots=True)
class QuietField:
    """A field that is zero everywhere: no hazard (a drill, or a baseline run)."""

    substance: str | None = None

    def sample(self, points_m: NDArray[np.float64], t_s: float) -> HazardSample:
        """Zeros at every point."""
        n = np.asarray(points_m).reshape(-1, 3).shape[0]
        return HazardSample(np.zeros(n), np.zeros(n), np.zeros(n))
