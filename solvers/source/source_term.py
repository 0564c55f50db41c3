"""The time-varying source term every release model returns and every dispersion model reads.

A source term is a table of release quantities against time since the release started, sampled at
increasing times ``t_s`` (the first is 0). Between samples a quantity is linear in time; after the
last sample the release has stopped (rate 0). The airborne rate is what enters the atmosphere as
vapour plus entrained aerosol; the rain-out rate is liquid that falls to the ground and feeds a
pool (see :mod:`solvers.source.pool_spreading`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers.errors import InvalidInputError

__all__ = ["Phase", "SourceTerm", "constant_source"]

Phase = Literal["gas", "liquid", "two-phase"]


def _readonly(values: ArrayLike, name: str, n: int | None) -> NDArray[np.float64]:
    arr = np.array(values, dtype=np.float64).reshape(-1)
    if n is not None and arr.size != n:
        raise InvalidInputError(f"{name} has {arr.size} samples: must have {n}, one per t_s")
    if not np.all(np.isfinite(arr)):
        raise InvalidInputError(f"{name} = {arr!r}: must be finite numbers")
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, kw_only=True)
class SourceTerm:
    """Release rate, state and momentum against time since the start of the release.

    Attributes
    ----------
    substance : str
        Key in the substance library (:func:`solvers.substances.substance`).
    model : str
        Name of the model that produced the term, e.g. ``"orifice_liquid"``.
    phase : {"gas", "liquid", "two-phase"}
        Phase at the release point (before any flash).
    t_s : (n,) float
        Sample times since the release started, s; strictly increasing, first 0.
    discharge_rate_kg_s : (n,) float
        Mass leaving the containment, kg/s.
    airborne_rate_kg_s : (n,) float
        Vapour plus aerosol entering the atmosphere at the release point, kg/s.
    rainout_rate_kg_s : (n,) float
        Liquid reaching the ground (feeds a pool), kg/s.
    temperature_k : (n,) float
        Temperature of the airborne material after expansion to ambient pressure, K.
    velocity_m_s : (n,) float
        Jet velocity after expansion to ambient pressure, m/s (0 for a pool).
    aerosol_fraction : (n,) float
        Liquid mass fraction of the airborne material (0 to 1).
    release_height_m : float
        Height of the release point above ground, m.
    diameter_m : float
        Equivalent source diameter after expansion (jet) or pool diameter, m.
    """

    substance: str
    model: str
    phase: Phase
    t_s: NDArray[np.float64]
    discharge_rate_kg_s: NDArray[np.float64]
    airborne_rate_kg_s: NDArray[np.float64]
    rainout_rate_kg_s: NDArray[np.float64]
    temperature_k: NDArray[np.float64]
    velocity_m_s: NDArray[np.float64]
    aerosol_fraction: NDArray[np.float64]
    release_height_m: float = 1.0
    diameter_m: float = 0.0

    def __post_init__(self) -> None:
        t = _readonly(self.t_s, "t_s", None)
        if t.size < 1 or t[0] != 0.0 or np.any(np.diff(t) <= 0):
            raise InvalidInputError(f"t_s = {t!r} s: must start at 0 and increase strictly")
        object.__setattr__(self, "t_s", t)
        for name in (
            "discharge_rate_kg_s",
            "airborne_rate_kg_s",
            "rainout_rate_kg_s",
            "temperature_k",
            "velocity_m_s",
            "aerosol_fraction",
        ):
            arr = _readonly(getattr(self, name), name, t.size)
            if name != "temperature_k" and np.any(arr < 0):
                raise InvalidInputError(f"{name} = {arr!r}: must be >= 0")
            object.__setattr__(self, name, arr)

    @property
    def duration_s(self) -> float:
        """Time of the last sample, s (the release has stopped after it)."""
        return float(self.t_s[-1])

    def airborne_rate_at(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Airborne rate, kg/s, interpolated at times ``t_s`` (0 before 0 and after the end)."""
        t = np.asarray(t_s, dtype=np.float64)
        rate = np.interp(t, self.t_s, self.airborne_rate_kg_s)
        return np.where((t < 0) | (t > self.t_s[-1]), 0.0, rate)

    def airborne_mass_kg(self, t_end_s: float | None = None) -> float:
        """Airborne mass released from 0 to ``t_end_s`` (default: the whole release), kg."""
        return self._integral(self.airborne_rate_kg_s, t_end_s)

    def discharged_mass_kg(self, t_end_s: float | None = None) -> float:
        """Mass leaving the containment from 0 to ``t_end_s`` (default: the whole release), kg."""
        return self._integral(self.discharge_rate_kg_s, t_end_s)

    def _integral(self, rate: NDArray[np.float64], t_end_s: float | None) -> float:
        if self.t_s.size == 1:
            return 0.0
        if t_end_s is None or t_end_s >= self.t_s[-1]:
            return float(np.trapezoid(rate, self.t_s))
        if t_end_s <= 0:
            return 0.0
        keep = self.t_s < t_end_s
        t = np.append(self.t_s[keep], t_end_s)
        r = np.append(rate[keep], np.interp(t_end_s, self.t_s, rate))
        return float(np.trapezoid(r, t))


def constant_source(
    substance: str,
    rate_kg_s: float,
    duration_s: float,
    *,
    temperature_k: float,
    release_height_m: float = 1.0,
    phase: Phase = "gas",
) -> SourceTerm:
    """Return a release at a constant airborne rate for ``duration_s`` (a user-given source term).

    Parameters
    ----------
    substance : str
        Key in the substance library.
    rate_kg_s : float
        Airborne rate, kg/s. Must be >= 0.
    duration_s : float
        Release duration, s. Must be > 0.
    temperature_k : float
        Temperature of the released material, K.
    release_height_m : float
        Release height above ground, m.
    phase : {"gas", "liquid", "two-phase"}
        Phase at the release point.

    Returns
    -------
    SourceTerm
        Two samples, at 0 and ``duration_s``.
    """
    if not (np.isfinite(rate_kg_s) and rate_kg_s >= 0):
        raise InvalidInputError(f"rate_kg_s = {rate_kg_s!r} kg/s: must be a finite number >= 0")
    if not (np.isfinite(duration_s) and duration_s > 0):
        raise InvalidInputError(f"duration_s = {duration_s!r} s: must be a finite number > 0")
    two = np.ones(2)
    return SourceTerm(
        substance=substance,
        model="constant",
        phase=phase,
        t_s=np.array([0.0, duration_s]),
        discharge_rate_kg_s=rate_kg_s * two,
        airborne_rate_kg_s=rate_kg_s * two,
        rainout_rate_kg_s=0.0 * two,
        temperature_k=temperature_k * two,
        velocity_m_s=0.0 * two,
        aerosol_fraction=0.0 * two,
        release_height_m=release_height_m,
    )
