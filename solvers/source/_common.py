"""Shared maths of the discharge models: tank geometry, hole checks, ideal-gas relations, sampling.

Private to :mod:`solvers.source`. Everything here is SI. The tank shapes give the free-surface
area and the liquid volume as functions of the liquid level, which is all a draining calculation
needs; the sampler turns a finely resolved history into the 50 to 200 rows of a
:class:`~solvers.source.source_term.SourceTerm`, placing rows where the rate changes fastest.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import cumulative_simpson

from solvers._checks import (
    require_choice,
    require_in_range,
    require_non_negative,
    require_positive,
)
from solvers.errors import InvalidInputError
from solvers.source.source_term import SourceTerm
from solvers.substances.library import Substance

#: Standard acceleration of gravity, m/s^2 (CGPM 1901, ISO 80000-3).
GRAVITY_M_S2 = 9.80665

#: Molar gas constant, J/(mol K) (CODATA 2018, exact).
GAS_CONSTANT_J_MOL_K = 8.314462618

#: Default number of rows of a sampled source term.
DEFAULT_SAMPLES = 101

#: Shortest gap, s, between the two rows that bracket a jump in a rate (e.g. a valve closure).
JUMP_GAP_S = 1e-3

#: A liquid up to this much above its ambient-pressure boiling point, K, counts as not flashing
#: (its flash fraction is then below ~0.5 %, inside the scatter of the property data).
SUPERHEAT_TOLERANCE_K = 0.5

FluidPhase = Literal["gas", "liquid", "flashing"]
TankShape = Literal["vertical_cylinder", "horizontal_cylinder", "sphere"]
TANK_SHAPES: tuple[str, ...] = ("vertical_cylinder", "horizontal_cylinder", "sphere")

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class Tank:
    """Interior geometry of a liquid storage tank or pressure vessel.

    Attributes
    ----------
    shape : {"vertical_cylinder", "horizontal_cylinder", "sphere"}
        Vertical cylinder (flat bottom), horizontal cylinder (flat ends, a "bullet") or sphere.
    diameter_m : float
        Inner diameter, m. Must be > 0.
    length_m : float
        Inner height of a vertical cylinder or inner length of a horizontal one, m; ignored for
        a sphere.
    base_elevation_m : float
        Height of the tank's lowest interior point above ground, m.
    """

    shape: TankShape
    diameter_m: float
    length_m: float = 0.0
    base_elevation_m: float = 0.0

    def __post_init__(self) -> None:
        require_choice("tank.shape", self.shape, TANK_SHAPES)
        require_positive("tank.diameter_m", self.diameter_m, "m")
        if self.shape != "sphere":
            require_positive("tank.length_m", self.length_m, "m")
        require_non_negative("tank.base_elevation_m", self.base_elevation_m, "m")

    @property
    def height_m(self) -> float:
        """Inner height, m: the length of a vertical cylinder, else the diameter."""
        return self.length_m if self.shape == "vertical_cylinder" else self.diameter_m

    @property
    def volume_m3(self) -> float:
        """Inner volume, m^3."""
        return float(self.liquid_volume_m3(self.height_m))

    def liquid_area_m2(self, level_m: ArrayLike) -> FloatArray:
        """Free-surface area at liquid level ``level_m`` above the bottom, m^2 (same shape)."""
        h = np.clip(np.asarray(level_m, dtype=np.float64), 0.0, self.height_m)
        d = self.diameter_m
        if self.shape == "vertical_cylinder":
            return np.full_like(h, math.pi * d * d / 4.0)
        if self.shape == "horizontal_cylinder":
            return np.asarray(2.0 * self.length_m * np.sqrt(h * (d - h)), dtype=np.float64)
        return np.asarray(math.pi * h * (d - h), dtype=np.float64)

    def liquid_volume_m3(self, level_m: ArrayLike) -> FloatArray:
        """Liquid volume below level ``level_m`` above the bottom, m^3 (same shape)."""
        h = np.clip(np.asarray(level_m, dtype=np.float64), 0.0, self.height_m)
        d = self.diameter_m
        r = d / 2.0
        if self.shape == "vertical_cylinder":
            return np.asarray(math.pi * r * r * h, dtype=np.float64)
        if self.shape == "horizontal_cylinder":
            segment = r * r * np.arccos((r - h) / r) - (r - h) * np.sqrt(np.maximum(h * (d - h), 0))
            return np.asarray(self.length_m * segment, dtype=np.float64)
        return np.asarray(math.pi * h * h * (3.0 * r - h) / 3.0, dtype=np.float64)


def fluid_phase(
    sub: Substance, temperature_k: float, pressure_pa: float, ambient_pressure_pa: float
) -> FluidPhase:
    """Return what a vessel or line at (T, P) holds: gas, liquid, or liquid that flashes.

    Gas at or above the critical temperature or below the saturation pressure; a liquid is
    ``"flashing"`` when it is more than :data:`SUPERHEAT_TOLERANCE_K` above its boiling point at
    the ambient pressure. Raises :class:`InvalidInputError` outside the substance's range.
    """
    if temperature_k >= sub.saturation_temperature_range_k[1]:
        return "gas"
    if pressure_pa < float(sub.saturation_pressure_pa(temperature_k)):
        return "gas"
    boiling_k = float(sub.saturation_temperature_k(ambient_pressure_pa))
    return "flashing" if temperature_k > boiling_k + SUPERHEAT_TOLERANCE_K else "liquid"


def check_liquid_levels(
    tank: Tank, liquid_level_m: float, hole_height_m: float
) -> tuple[float, float]:
    """Return (liquid level, hole height) above the tank bottom, m, after checks.

    Raises unless 0 <= hole height < liquid level <= the tank's inner height.
    """
    level = require_non_negative("liquid_level_m", liquid_level_m, "m")
    if level > tank.height_m:
        raise InvalidInputError(
            f"liquid_level_m = {liquid_level_m!r} m: must be <= the tank's inner height "
            + f"{tank.height_m:g} m"
        )
    h_hole = require_non_negative("hole_height_m", hole_height_m, "m")
    if h_hole >= level:
        raise InvalidInputError(
            f"hole_height_m = {hole_height_m!r} m: must be below the liquid level {level:g} m "
            + "(a hole above the liquid releases vapour: use solvers.source.orifice_gas)"
        )
    return level, h_hole


def circle_area_m2(diameter_m: float) -> float:
    """Area of a circle of diameter ``diameter_m``, m^2."""
    return math.pi * diameter_m * diameter_m / 4.0


def check_hole_diameter(
    hole_diameter_m: float,
    container_diameter_m: float | None,
    container: str,
    *,
    name: str = "hole_diameter_m",
) -> float:
    """Return the hole diameter; raise unless it is > 0 and fits the container's diameter."""
    hole = require_positive(name, hole_diameter_m, "m")
    if container_diameter_m is not None and hole > container_diameter_m:
        raise InvalidInputError(
            f"{name} = {hole_diameter_m!r} m: must be <= the {container}'s inner diameter "
            + f"{container_diameter_m:g} m"
        )
    return hole


def check_discharge_coefficient(value: float) -> float:
    """Return the discharge coefficient; raise unless it lies in (0, 1]."""
    return require_in_range(
        "discharge_coefficient", value, "", low=0.0, high=1.0, low_inclusive=False
    )


def check_pressure_above_ambient(
    name: str, pressure_pa: float, ambient_pressure_pa: float
) -> float:
    """Return ``pressure_pa``; raise unless it is finite and above the ambient pressure."""
    p = require_positive(name, pressure_pa, "Pa")
    if p <= ambient_pressure_pa:
        raise InvalidInputError(
            f"{name} = {pressure_pa!r} Pa: must be above the ambient pressure "
            + f"{ambient_pressure_pa:g} Pa (absolute pressures; nothing flows out otherwise)"
        )
    return p


def check_n_samples(n_samples: int) -> int:
    """Return ``n_samples``; raise unless it is an integer in [3, 10000]."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, int | np.integer):
        raise InvalidInputError(f"n_samples = {n_samples!r}: must be an integer in [3, 10000]")
    require_in_range("n_samples", n_samples, "", low=3, high=10_000)
    return int(n_samples)


def check_ambient_pressure(ambient_pressure_pa: float) -> float:
    """Return the ambient pressure; raise unless it lies in the range of :class:`Weather`."""
    return require_in_range(
        "ambient_pressure_pa", ambient_pressure_pa, "Pa", low=50_000.0, high=110_000.0
    )


def ideal_gas_density_kg_m3(
    pressure_pa: ArrayLike, temperature_k: ArrayLike, molar_mass_kg_mol: float
) -> FloatArray:
    """Ideal-gas density, kg/m^3, broadcast over pressure and temperature."""
    p = np.asarray(pressure_pa, dtype=np.float64)
    t = np.asarray(temperature_k, dtype=np.float64)
    return np.asarray(p * molar_mass_kg_mol / (GAS_CONSTANT_J_MOL_K * t), dtype=np.float64)


def sound_speed_m_s(temperature_k: ArrayLike, molar_mass_kg_mol: float, gamma: float) -> FloatArray:
    """Ideal-gas speed of sound sqrt(gamma R T / M), m/s."""
    t = np.asarray(temperature_k, dtype=np.float64)
    return np.asarray(np.sqrt(gamma * GAS_CONSTANT_J_MOL_K * t / molar_mass_kg_mol))


def sample_times(
    t_fine_s: FloatArray, rate_fine: FloatArray, n_samples: int, *, breaks_s: tuple[float, ...] = ()
) -> FloatArray:
    """Pick ``n_samples`` times along a finely resolved history, densest where the rate bends.

    Rows are spaced evenly in the arc length of the curve (t / t_end, rate / max rate), so a
    blowdown's steep start gets as many rows as its slow tail. ``breaks_s`` are times that must be
    rows (a jump in the rate); each is followed by a row :data:`JUMP_GAP_S` later.
    """
    t_end = float(t_fine_s[-1])
    scale = float(np.max(np.abs(rate_fine))) or 1.0
    dx = np.diff(t_fine_s) / t_end
    dy = np.diff(rate_fine) / scale
    arc = np.concatenate(([0.0], np.cumsum(np.hypot(dx, dy))))
    n_free = max(n_samples - 2 * len(breaks_s), 2)
    t = np.interp(np.linspace(0.0, arc[-1], n_free), arc, t_fine_s)
    extra = [b for b in breaks_s if 0.0 < b < t_end]
    extra += [b + JUMP_GAP_S for b in extra if b + JUMP_GAP_S < t_end]
    t = np.unique(np.concatenate((t, extra, [0.0, t_end])))
    keep = np.concatenate(([True], np.diff(t) > 1e-9 * t_end))
    return np.asarray(t[keep], dtype=np.float64)


def drain_history(
    *,
    tank: Tank,
    initial_level_m: float,
    hole_height_m: float,
    density_kg_m3: float,
    rate_of_head_kg_s: Callable[[FloatArray], FloatArray],
    n_fine: int = 4001,
) -> tuple[FloatArray, FloatArray]:
    """Return (t_s, head_m) of a tank draining through a hole, from the start to the hole.

    The drain obeys rho A(h) dh/dt = -Q(h - h_hole), an autonomous ODE whose solution is the
    quadrature t(h) = integral of rho A / Q dh. Substituting s = sqrt(head) removes the
    inverse-square-root end singularity of a hole driven by head alone, so a cumulative Simpson
    rule on a fine grid of s is accurate to ~1e-8. ``rate_of_head_kg_s`` maps head above the hole
    (m, array) to the mass rate (kg/s, array) and must be > 0 for head > 0.
    """
    head0 = initial_level_m - hole_height_m
    s = np.linspace(0.0, math.sqrt(head0), n_fine)
    head = s * s
    rate = rate_of_head_kg_s(head)
    area = tank.liquid_area_m2(hole_height_m + head)
    with np.errstate(divide="ignore", invalid="ignore"):
        integrand = np.where(rate > 0, 2.0 * s * density_kg_m3 * area / rate, 0.0)
    if rate[0] <= 0:
        # Head-driven flow: rate ~ s near the hole, so the integrand tends to a finite limit at
        # s = 0; extrapolate it quadratically from the next three nodes.
        integrand[0] = 3.0 * integrand[1] - 3.0 * integrand[2] + integrand[3]
    # Time to drain from head s^2 down to the hole; elapsed time is the total minus that.
    to_empty = cumulative_simpson(integrand, x=s, initial=0.0)
    t = (to_empty[-1] - to_empty)[::-1]
    head = head[::-1]
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) < 0):
        raise InvalidInputError(
            "the liquid drain could not be integrated: the discharge rate must stay > 0 while "
            + "liquid stands above the hole"
        )
    return np.asarray(t, dtype=np.float64), np.asarray(head, dtype=np.float64)


def clip_history(
    t_fine_s: FloatArray, values: FloatArray, max_duration_s: float
) -> tuple[FloatArray, FloatArray]:
    """Cut a fine history (t, value) at ``max_duration_s``, interpolating the last value."""
    if t_fine_s[-1] <= max_duration_s:
        return t_fine_s, values
    keep = t_fine_s < max_duration_s
    t = np.append(t_fine_s[keep], max_duration_s)
    v = np.append(values[keep], np.interp(max_duration_s, t_fine_s, values))
    return t, v


def single_phase_source_term(
    *,
    phase: Literal["gas", "liquid"],
    substance: str,
    model: str,
    t_s: FloatArray,
    rate_kg_s: FloatArray,
    temperature_k: ArrayLike,
    velocity_m_s: FloatArray,
    diameter_m: float,
    release_height_m: float,
) -> SourceTerm:
    """Return the source term of a release that does not flash.

    A gas discharge is all airborne; a liquid one all rains out (nothing airborne). Neither
    carries aerosol. ``temperature_k`` is one value or one per row of ``t_s``.
    """
    zeros = np.zeros_like(t_s)
    is_gas = phase == "gas"
    return SourceTerm(
        substance=substance,
        model=model,
        phase=phase,
        t_s=t_s,
        discharge_rate_kg_s=rate_kg_s,
        airborne_rate_kg_s=rate_kg_s if is_gas else zeros,
        rainout_rate_kg_s=zeros if is_gas else rate_kg_s,
        temperature_k=np.broadcast_to(np.asarray(temperature_k, dtype=np.float64), t_s.shape),
        velocity_m_s=velocity_m_s,
        aerosol_fraction=zeros,
        release_height_m=release_height_m,
        diameter_m=diameter_m,
    )
