"""CoolProp access for the substance library: one cached, lock-guarded state per fluid.

Creating a CoolProp ``AbstractState`` costs far more than one property call (and a mixture state
far more than a pure one), so each fluid or composition gets one state, made on first use and
kept. A state is mutable (``update`` changes it), so every update-and-read sequence runs under
the fluid's lock; that keeps the cached state safe to share between threads.

Only :mod:`solvers.substances.library` uses this module; its functions raise CoolProp's own
``ValueError`` on failure and leave fallbacks and input checks to the library.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import CoolProp.CoolProp as CP  # noqa: N817 - CoolProp's documented import name

__all__ = ["Fluid", "fluid"]

# Phase selectors used below (CoolProp's imposed-phase constants).
PHASE_GAS = CP.iphase_gas
PHASE_LIQUID = CP.iphase_liquid


@dataclass(frozen=True, slots=True)
class Fluid:
    """A cached CoolProp HEOS state for one pure fluid or one mixture composition.

    Attributes
    ----------
    names : tuple of str
        CoolProp fluid names of the components.
    mole_fractions : tuple of float
        Component mole fractions (sum 1); ``(1.0,)`` for a pure fluid.
    """

    names: tuple[str, ...]
    mole_fractions: tuple[float, ...]
    _state: CP.AbstractState = field(repr=False, compare=False)
    _lock: threading.Lock = field(repr=False, compare=False)

    @property
    def is_mixture(self) -> bool:
        """Whether the fluid has more than one component."""
        return len(self.names) > 1

    def evaluate(
        self,
        inputs: CP.input_pairs,
        value1: float,
        value2: float,
        outputs: Sequence[Callable[[CP.AbstractState], float]],
        *,
        phase: CP.phases | None = None,
    ) -> tuple[float, ...]:
        """Update the state with one CoolProp input pair and read ``outputs`` from it.

        ``phase`` imposes a phase (gas or liquid) for the update; it is released afterwards.
        Raises CoolProp's ``ValueError`` when the flash fails and ``ValueError`` when an output
        is not finite.
        """
        with self._lock:
            state = self._state
            try:
                if phase is not None:
                    state.specify_phase(phase)
                state.update(inputs, value1, value2)
                values = tuple(float(get(state)) for get in outputs)
            finally:
                if phase is not None:
                    state.unspecify_phase()
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"CoolProp returned non-finite values {values} for {self.names}")
        return values

    def constant(self, getter: Callable[[CP.AbstractState], float]) -> float:
        """Read a state-independent constant (critical point, triple point, molar mass)."""
        with self._lock:
            return float(getter(self._state))

    def critical_points(self) -> list[tuple[float, float, float]]:
        """Return every critical point CoolProp finds as (T K, p Pa, molar density mol/m3)."""
        with self._lock:
            points = self._state.all_critical_points()
        return [(float(p.T), float(p.p), float(p.rhomolar)) for p in points]


@functools.cache
def fluid(names: tuple[str, ...], mole_fractions: tuple[float, ...]) -> Fluid:
    """Return the cached :class:`Fluid` for these components and mole fractions."""
    state = CP.AbstractState("HEOS", "&".join(names))
    if len(names) > 1:
        state.set_mole_fractions(list(mole_fractions))
    return Fluid(names, mole_fractions, state, threading.Lock())
