"""Spreading, evaporating liquid pool on land or water, fed by an instantaneous or continuous spill.

An integral (GASP-like) pool model after Briscoe & Shaw (1980) and the TNO Yellow Book
(CPR 14E, 1997, ch. 3): the pool is a flat disc of radius ``r``, mass ``M`` and temperature ``T``.

* Spreading: the front moves at the gravity-inertia speed ``dr/dt = sqrt(2 g' (h - h_min))``
  (Briscoe & Shaw 1980), ``h = M / (rho pi r^2)``, with ``g' = g`` on land and
  ``g' = g (1 - rho / rho_water)`` on water. It stops at the minimum thickness ``h_min`` of the
  surface (a roughness class on land) or at a bund wall, behind which the pool deepens. On land
  the wetted area never shrinks (the cooled ground stays under the liquid, which breaks into
  patches rather than retracting); on water a pool thinner than ``h_min`` retracts, keeping
  ``h_min``.
  Without evaporation the front laws are ``r^2 = r_0^2 + 2 sqrt(2 g V / pi) t`` for an
  instantaneous spill (``r ~ t^1/2``) and ``r = (4/3)^1/2 (2 g Q / pi)^1/4 t^3/4`` for a constant
  volume rate ``Q`` from ``r = 0``.
* Heat into the pool: conduction from the ground, ``k (T_g - T) / sqrt(pi alpha (t - t_w))``
  summed over every ring, each since its own wetting time ``t_w``; written exactly (Duhamel's
  theorem) as ``Q_g = k / sqrt(pi alpha) * integral (t - s)^-1/2 dF(s)`` with
  ``F = A (T_g - T)``, and evaluated with an exponential sum for ``t^-1/2``, which adds linear
  ODEs to the system (:func:`~solvers.source.pool_evaporation.inverse_sqrt_exponential_sum`).
  On water, a boiling cryogen receives a constant film-boiling flux; a liquid that does not boil
  on water is held at the water temperature. Plus forced convection from the air, net long-wave
  radiation, absorbed solar radiation and the sensible heat of the incoming liquid.
* Evaporation: a pool at its boiling point boils off what the heat input supplies,
  ``E = Q / L``, as long as that exceeds what mass transfer into the wind would remove at the
  boiling point; otherwise (a cooling ground under a cryogen, or any liquid below its boiling
  point) MacKay & Matsugu (1973) mass transfer sets ``E`` and the heat balance
  ``M c_p dT/dt = Q - E L`` moves the temperature (or it is held at a given temperature).

Mass is conserved exactly: the pool mass is the spilled mass (the exact integral of the feed
table) minus the evaporated mass, and only the evaporated mass is integrated.

Validity: a circular pool on flat ground or calm water; no viscous or surface-tension spreading
regime (Fay 1969), no bund overtopping, no dissolution in water (ammonia dissolves, so its
evaporation rate on water is an upper bound), no percolation into porous ground, no ice layer on
the ground, one-component liquid (a mixture such as LNG evaporates at its bubble point without
weathering).

References
----------
.. [1] F. Briscoe, P. Shaw, "Spread and evaporation of liquid", Prog. Energy Combust. Sci. 6
   (1980) 127-140.
.. [2] TNO, *Methods for the calculation of physical effects* ("Yellow Book"), CPR 14E, 3rd ed.,
   1997, ch. 3 "Pool evaporation".
.. [3] D. M. Webber, *A model for pool spreading and vaporisation and its implementation in the
   computer code GASP*, SRD/HSE R507, UKAEA, 1990.
.. [4] J. A. Fay, "The spread of oil slicks on a calm sea", in D. P. Hoult (ed.), *Oil on the
   Sea*, Plenum, 1969, 53-63.
.. [5] D. MacKay, R. S. Matsugu, Can. J. Chem. Eng. 51 (1973) 434-439.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import OdeSolution, solve_ivp

from solvers._checks import (
    require_choice,
    require_in_range,
    require_non_negative,
    require_positive,
)
from solvers.atmosphere import Weather
from solvers.errors import ConvergenceError, InvalidInputError
from solvers.source.pool_evaporation import (
    AIR_KINEMATIC_VISCOSITY_M2_S,
    GROUND_THERMAL_PROPERTIES,
    LNG_ON_WATER_HEAT_FLUX_W_M2,
    air_heat_transfer_coefficient_w_m2_k,
    evaporation_mass_flux_kg_m2_s,
    inverse_sqrt_exponential_sum,
    longwave_net_flux_w_m2,
    mackay_matsugu_mass_transfer_coefficient_m_s,
)
from solvers.source.source_term import SourceTerm
from solvers.substances.library import Substance, substance

__all__ = [
    "MINIMUM_THICKNESS_BY_ROUGHNESS_M",
    "ROUGHNESS_CLASSES",
    "SURFACE_TYPES",
    "PoolOptions",
    "PoolResult",
    "PoolSpill",
    "PoolSurface",
    "gravity_spreading_radius_m",
    "pool_spreading",
    "spill_from_source_term",
]

_LOG = logging.getLogger(__name__)

#: Standard gravity, m/s^2 (CGPM 1901).
_GRAVITY_M_S2 = 9.80665

#: Square of the front Froude number: dr/dt = sqrt(2 g' h) (Briscoe & Shaw 1980).
_FRONT_FROUDE_SQUARED = 2.0

#: Surfaces the pool can lie on: the ground types of
#: :data:`~solvers.source.pool_evaporation.GROUND_THERMAL_PROPERTIES`, and water.
SURFACE_TYPES: tuple[str, ...] = (*GROUND_THERMAL_PROPERTIES, "water")

#: Minimum thickness of a spreading pool on land by surface roughness, m. Roughness classes and
#: thicknesses after the Yellow Book (CPR 14E, 1997, ch. 3, table of minimum layer thickness by
#: subsoil roughness; values not re-checked against the printed table).
MINIMUM_THICKNESS_BY_ROUGHNESS_M: dict[str, float] = {
    "flat": 0.005,  # flat concrete, flat stone, flat sand
    "gravel": 0.010,  # gravel, stony ground
    "farmland": 0.020,  # farmland, pasture, grass
    "rough": 0.025,  # rough sandy soil with cobbles, undergrowth
}
ROUGHNESS_CLASSES: tuple[str, ...] = tuple(MINIMUM_THICKNESS_BY_ROUGHNESS_M)

#: Roughness class assumed for each land surface when none is given.
_DEFAULT_ROUGHNESS: dict[str, str] = {
    "concrete": "flat",
    "insulating_concrete": "flat",
    "soil_average": "farmland",
    "sand_dry": "flat",
    "sand_moist": "flat",
}

#: Minimum thickness of a pool on calm water, m: an engineering value of the order used in
#: integral models of LNG on water (no single published number; override as needed).
_WATER_MINIMUM_THICKNESS_M = 0.001

#: Radius at which a pool fed only by a continuous spill starts, m (it is empty then).
_CONTINUOUS_START_RADIUS_M = 0.05

#: Liquids boiling below this temperature at ambient pressure are treated as cryogens on water
#: and get the LNG film-boiling flux by default, K.
_CRYOGEN_BOILING_POINT_K = 150.0

#: Thickness below which a film is taken as drying out, m: the evaporation rate tapers linearly
#: to zero so the pool mass can never go negative (numerical, far below any h_min).
_DRY_FILM_THICKNESS_M = 1.0e-6

#: Pool mass, as a fraction of the spilled mass, at which a pool that no longer receives liquid
#: is declared evaporated and the integration stops.
_DRY_MASS_FRACTION = 1.0e-7

#: Relative step of the finite-difference Jacobian (about the square root of the machine epsilon).
_FD_RELATIVE_STEP = 1.5e-8

#: Points of the temperature table for the liquid properties (interpolated linearly).
_PROPERTY_TABLE_POINTS = 48

#: Margin below the coldest of spill, air and surface temperatures for the property table, K
#: (an evaporating pool cools below all of them).
_PROPERTY_TABLE_MARGIN_K = 40.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolSpill:
    """Liquid reaching the ground: an instantaneous mass at t = 0 and/or a feed-rate table.

    Attributes
    ----------
    substance : str
        Key in the substance library (e.g. ``"lng"``, ``"ammonia"``).
    instantaneous_mass_kg : float
        Mass spilled at t = 0, kg. Must be >= 0.
    feed_t_s : (n,) array
        Times of the feed table, s; start at 0 and increase strictly (empty for no feed).
    feed_rate_kg_s : (n,) array
        Liquid mass rate reaching the pool, kg/s, >= 0; linear between samples, 0 after the last.
    liquid_temperature_k : float or None
        Temperature of the spilled liquid, K. None: the lower of the boiling point at ambient
        pressure and the air temperature. A value above the boiling point is taken as the
        boiling point (the flash belongs to the release model).
    """

    substance: str
    instantaneous_mass_kg: float = 0.0
    feed_t_s: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    feed_rate_kg_s: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    liquid_temperature_k: float | None = None

    def __post_init__(self) -> None:
        require_non_negative("instantaneous_mass_kg", self.instantaneous_mass_kg, "kg")
        t = np.array(self.feed_t_s, dtype=np.float64).reshape(-1)
        rate = np.array(self.feed_rate_kg_s, dtype=np.float64).reshape(-1)
        if t.size != rate.size:
            raise InvalidInputError(
                f"feed_rate_kg_s has {rate.size} samples: must have {t.size}, one per feed_t_s"
            )
        if t.size and (not np.all(np.isfinite(t)) or t[0] != 0.0 or np.any(np.diff(t) <= 0)):
            raise InvalidInputError(f"feed_t_s = {t!r} s: must start at 0 and increase strictly")
        if rate.size and not np.all(np.isfinite(rate) & (rate >= 0)):
            raise InvalidInputError(f"feed_rate_kg_s = {rate!r} kg/s: must be finite numbers >= 0")
        total = self.instantaneous_mass_kg + (float(np.trapezoid(rate, t)) if t.size > 1 else 0.0)
        if total <= 0:
            raise InvalidInputError(
                f"spill of {self.substance!r}: instantaneous_mass_kg = "
                + f"{self.instantaneous_mass_kg!r} kg and a feed of {total!r} kg: "
                + "the total spilled mass must be > 0"
            )
        if self.liquid_temperature_k is not None:
            require_positive("liquid_temperature_k", self.liquid_temperature_k, "K")
        t.flags.writeable = False
        rate.flags.writeable = False
        object.__setattr__(self, "feed_t_s", t)
        object.__setattr__(self, "feed_rate_kg_s", rate)

    @property
    def total_mass_kg(self) -> float:
        """Total mass spilled, kg (instantaneous plus the integral of the feed)."""
        return float(self.spilled_mass_kg(np.array([np.inf]))[0])

    @property
    def feed_end_s(self) -> float:
        """Time after which no more liquid arrives, s (0 for an instantaneous spill)."""
        if self.feed_t_s.size < 2 or not np.any(self.feed_rate_kg_s > 0):
            return 0.0
        return float(self.feed_t_s[-1])

    def feed_rate_at(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Feed rate, kg/s, at times ``t_s`` (0 outside the table)."""
        t = np.asarray(t_s, dtype=np.float64)
        if self.feed_t_s.size < 2:
            return np.zeros_like(t)
        rate = np.interp(t, self.feed_t_s, self.feed_rate_kg_s)
        return np.where((t < 0) | (t > self.feed_t_s[-1]), 0.0, rate)

    def spilled_mass_kg(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Mass spilled from 0 to ``t_s`` (the exact integral of the linear feed), kg."""
        t = np.asarray(t_s, dtype=np.float64)
        out = np.full_like(t, self.instantaneous_mass_kg)
        tt, rr = self.feed_t_s, self.feed_rate_kg_s
        if tt.size < 2:
            return out
        cumulative = np.concatenate(([0.0], np.cumsum(0.5 * (rr[1:] + rr[:-1]) * np.diff(tt))))
        tc = np.clip(t, tt[0], tt[-1])
        i = np.clip(np.searchsorted(tt, tc, side="right") - 1, 0, tt.size - 2)
        dt = tc - tt[i]
        slope = (rr[i + 1] - rr[i]) / (tt[i + 1] - tt[i])
        return np.asarray(out + cumulative[i] + rr[i] * dt + 0.5 * slope * dt * dt)


def spill_from_source_term(source: SourceTerm, *, instantaneous_mass_kg: float = 0.0) -> PoolSpill:
    """Return the spill that feeds a pool from the rain-out table of a release source term.

    Parameters
    ----------
    source : SourceTerm
        Release whose ``rainout_rate_kg_s`` reaches the ground.
    instantaneous_mass_kg : float
        Extra mass spilled at t = 0, kg (e.g. the liquid of a catastrophic rupture).

    Returns
    -------
    PoolSpill
        Feed table equal to the rain-out table; the liquid at the coldest source temperature
        (rain-out from a flashing jet is at the boiling point; a subcooled jet keeps its own).

    Raises
    ------
    InvalidInputError
        If the source has no rain-out and ``instantaneous_mass_kg`` is 0.
    """
    return PoolSpill(
        substance=source.substance,
        instantaneous_mass_kg=instantaneous_mass_kg,
        feed_t_s=np.asarray(source.t_s),
        feed_rate_kg_s=np.asarray(source.rainout_rate_kg_s),
        liquid_temperature_k=float(np.min(source.temperature_k)),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolSurface:
    """What the pool lies on.

    Attributes
    ----------
    surface : str
        One of :data:`SURFACE_TYPES`: ``"concrete"``, ``"insulating_concrete"``,
        ``"soil_average"``, ``"sand_dry"``, ``"sand_moist"``, ``"water"``.
    roughness : str or None
        Roughness class on land, one of :data:`ROUGHNESS_CLASSES`; sets the minimum thickness.
        None: the default of the surface (flat for concrete and sand, farmland for soil).
    minimum_thickness_m : float or None
        Minimum pool thickness, m; overrides the roughness class. Must be > 0.
    bund_area_m2 : float or None
        Floor area of a bund around the spill, m^2 (land only); the pool cannot spread beyond
        the circle of this area. Must be > 0.
    surface_temperature_k : float or None
        Initial ground or water temperature, K. None: the air temperature.
    water_heat_flux_w_m2 : float or None
        Heat flux from water into a pool boiling on it, W/m^2. None: the LNG film-boiling flux
        for cryogens (boiling point below 150 K); required for other liquids that boil on water.
    water_density_kg_m3 : float
        Density of the water, kg/m^3 (1000 fresh, about 1025 sea water).
    """

    surface: str = "concrete"
    roughness: str | None = None
    minimum_thickness_m: float | None = None
    bund_area_m2: float | None = None
    surface_temperature_k: float | None = None
    water_heat_flux_w_m2: float | None = None
    water_density_kg_m3: float = 1000.0

    def __post_init__(self) -> None:
        require_choice("surface", self.surface, SURFACE_TYPES)
        if self.roughness is not None:
            require_choice("roughness", self.roughness, ROUGHNESS_CLASSES)
        if self.minimum_thickness_m is not None:
            require_in_range(
                "minimum_thickness_m", self.minimum_thickness_m, "m", low=1e-5, high=1.0
            )
        if self.bund_area_m2 is not None:
            require_positive("bund_area_m2", self.bund_area_m2, "m^2")
            if self.is_water:
                raise InvalidInputError(
                    f"bund_area_m2 = {self.bund_area_m2!r} m^2: a bund applies to land "
                    + f"surfaces only, not to surface = {self.surface!r}"
                )
        if self.surface_temperature_k is not None:
            require_in_range(
                "surface_temperature_k", self.surface_temperature_k, "K", low=200.0, high=350.0
            )
        if self.water_heat_flux_w_m2 is not None:
            require_positive("water_heat_flux_w_m2", self.water_heat_flux_w_m2, "W/m^2")
        require_in_range(
            "water_density_kg_m3", self.water_density_kg_m3, "kg/m^3", low=900.0, high=1100.0
        )

    @property
    def is_water(self) -> bool:
        """Whether the pool lies on water."""
        return self.surface == "water"

    @property
    def minimum_pool_thickness_m(self) -> float:
        """Thickness at which spreading stops, m."""
        if self.minimum_thickness_m is not None:
            return self.minimum_thickness_m
        if self.is_water:
            return _WATER_MINIMUM_THICKNESS_M
        roughness = self.roughness or _DEFAULT_ROUGHNESS[self.surface]
        return MINIMUM_THICKNESS_BY_ROUGHNESS_M[roughness]


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolOptions:
    """Settings of a pool calculation.

    Attributes
    ----------
    duration_s : float
        Longest time followed, s; the calculation stops earlier when the pool has evaporated.
    initial_radius_m : float or None
        Radius of the pool at t = 0, m. None: the radius of a cylinder as high as it is wide
        holding the instantaneous spill (``(V/pi)^1/3``), or 0.05 m for a continuous spill, capped
        at the bund radius.
    pool_temperature_k : float or None
        Hold the pool at this temperature (must be below the boiling point) and use mass transfer
        only; None: the temperature follows the heat balance.
    solar_flux_w_m2 : float
        Absorbed solar radiation, W/m^2 (0 at night).
    include_air_convection : bool
        Whether heat from the air by forced convection enters the balance.
    include_longwave_radiation : bool
        Whether net long-wave radiation enters the balance.
    n_samples : int
        Number of output samples (geometrically spaced in time, plus the feed-table times).
    rtol : float
        Relative tolerance of the integration.
    """

    duration_s: float = 3600.0
    initial_radius_m: float | None = None
    pool_temperature_k: float | None = None
    solar_flux_w_m2: float = 0.0
    include_air_convection: bool = True
    include_longwave_radiation: bool = True
    n_samples: int = 300
    rtol: float = 1e-7

    def __post_init__(self) -> None:
        require_in_range("duration_s", self.duration_s, "s", low=1e-3, high=1e7)
        if self.initial_radius_m is not None:
            require_positive("initial_radius_m", self.initial_radius_m, "m")
        if self.pool_temperature_k is not None:
            require_positive("pool_temperature_k", self.pool_temperature_k, "K")
        require_in_range("solar_flux_w_m2", self.solar_flux_w_m2, "W/m^2", low=0.0, high=1500.0)
        require_in_range("n_samples", self.n_samples, "", low=10, high=100_000)
        require_in_range("rtol", self.rtol, "", low=1e-12, high=1e-2)


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolResult:
    """Pool size, mass, temperature and evaporation rate against time.

    Attributes
    ----------
    substance : str
        Key in the substance library.
    surface : str
        Surface type the pool lies on.
    t_s : (n,) ndarray
        Sample times, s; start at 0.
    radius_m, area_m2 : (n,) ndarray
        Pool radius, m, and area, m^2.
    thickness_m : (n,) ndarray
        Mean pool depth, m.
    mass_kg : (n,) ndarray
        Liquid in the pool, kg.
    spilled_mass_kg, evaporated_mass_kg : (n,) ndarray
        Cumulative mass spilled and evaporated since t = 0, kg;
        ``spilled = evaporated + mass`` holds to round-off.
    evaporation_rate_kg_s : (n,) ndarray
        Evaporation rate, kg/s.
    temperature_k : (n,) ndarray
        Pool temperature, K.
    is_boiling : (n,) ndarray of bool
        Whether the pool is at its boiling point (heat-limited evaporation).
    is_bunded : bool
        Whether the pool reached the bund wall.
    boiling_point_k : float
        Boiling point at the ambient pressure, K.
    """

    substance: str
    surface: str
    t_s: NDArray[np.float64]
    radius_m: NDArray[np.float64]
    area_m2: NDArray[np.float64]
    thickness_m: NDArray[np.float64]
    mass_kg: NDArray[np.float64]
    spilled_mass_kg: NDArray[np.float64]
    evaporated_mass_kg: NDArray[np.float64]
    evaporation_rate_kg_s: NDArray[np.float64]
    temperature_k: NDArray[np.float64]
    is_boiling: NDArray[np.bool_]
    is_bunded: bool
    boiling_point_k: float

    def __post_init__(self) -> None:
        for name in (
            "t_s",
            "radius_m",
            "area_m2",
            "thickness_m",
            "mass_kg",
            "spilled_mass_kg",
            "evaporated_mass_kg",
            "evaporation_rate_kg_s",
            "temperature_k",
            "is_boiling",
        ):
            getattr(self, name).flags.writeable = False

    @property
    def final_diameter_m(self) -> float:
        """Equivalent pool diameter at the last sample, m."""
        return float(2.0 * self.radius_m[-1])

    @property
    def max_diameter_m(self) -> float:
        """Largest pool diameter reached, m."""
        return float(2.0 * np.max(self.radius_m))

    def to_source_term(
        self,
        *,
        diameter: Literal["final", "max"] = "final",
        release_height_m: float = 0.0,
    ) -> SourceTerm:
        """Return the pool as a :class:`SourceTerm`: its evaporation rate enters the atmosphere.

        Parameters
        ----------
        diameter : {"final", "max"}
            Which pool diameter becomes the source diameter (a source term has one).
        release_height_m : float
            Height of the pool surface above ground, m.

        Returns
        -------
        SourceTerm
            Model ``"pool_spreading"``, phase ``"liquid"``; discharge and airborne rates equal
            the evaporation rate; vapour at the pool temperature; no rain-out, no momentum.
        """
        require_choice("diameter", diameter, ("final", "max"))
        zeros = np.zeros_like(self.t_s)
        return SourceTerm(
            substance=self.substance,
            model="pool_spreading",
            phase="liquid",
            t_s=self.t_s,
            discharge_rate_kg_s=self.evaporation_rate_kg_s,
            airborne_rate_kg_s=self.evaporation_rate_kg_s,
            rainout_rate_kg_s=zeros,
            temperature_k=self.temperature_k,
            velocity_m_s=zeros,
            aerosol_fraction=zeros,
            release_height_m=release_height_m,
            diameter_m=self.final_diameter_m if diameter == "final" else self.max_diameter_m,
        )


def gravity_spreading_radius_m(
    t_s: ArrayLike,
    *,
    volume_m3: float = 0.0,
    volume_rate_m3_s: float = 0.0,
    minimum_thickness_m: float,
    reduced_gravity_m_s2: float = _GRAVITY_M_S2,
    initial_radius_m: float | None = None,
    bund_area_m2: float | None = None,
) -> NDArray[np.float64]:
    """Return the radius of a non-evaporating pool spreading under gravity, m.

    The same front law as :func:`pool_spreading`: ``dr/dt = sqrt(2 g' (h - h_min))`` while
    ``h = V(t) / (pi r^2) > h_min`` and ``r`` is inside the bund, with
    ``V(t) = volume_m3 + volume_rate_m3_s * t`` (Briscoe & Shaw 1980). Use it for liquids that
    hardly evaporate (fuel oil, diesel) or to check the spreading alone.

    Parameters
    ----------
    t_s : (n,) array
        Output times, s, increasing, >= 0.
    volume_m3 : float
        Volume spilled at t = 0, m^3. Must be >= 0.
    volume_rate_m3_s : float
        Constant volume rate from t = 0, m^3/s. Must be >= 0.
    minimum_thickness_m : float
        Thickness at which spreading stops, m. Must be > 0.
    reduced_gravity_m_s2 : float
        ``g`` on land, ``g (1 - rho / rho_water)`` on water, m/s^2. Must be > 0.
    initial_radius_m : float or None
        Radius at t = 0, m; None: ``(V/pi)^1/3`` for an instantaneous spill, 0.05 m otherwise.
    bund_area_m2 : float or None
        Bund floor area, m^2; caps the pool area.

    Returns
    -------
    (n,) ndarray
        Pool radius at ``t_s``, m.

    Raises
    ------
    InvalidInputError
        If an input is out of range or both volumes are 0.
    ConvergenceError
        If the integration fails.
    """
    t = np.asarray(t_s, dtype=np.float64).reshape(-1)
    if t.size == 0 or not np.all(np.isfinite(t)) or t[0] < 0 or np.any(np.diff(t) < 0):
        raise InvalidInputError(f"t_s = {t!r} s: must be finite, >= 0 and increasing")
    require_non_negative("volume_m3", volume_m3, "m^3")
    require_non_negative("volume_rate_m3_s", volume_rate_m3_s, "m^3/s")
    require_positive("minimum_thickness_m", minimum_thickness_m, "m")
    require_positive("reduced_gravity_m_s2", reduced_gravity_m_s2, "m/s^2")
    if volume_m3 == 0 and volume_rate_m3_s == 0:
        raise InvalidInputError("volume_m3 and volume_rate_m3_s are both 0: nothing spreads")
    r_bund = _bund_radius_m(bund_area_m2)
    r0 = _initial_radius_m(initial_radius_m, volume_m3, r_bund)

    def rhs(time: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
        r = max(float(y[0]), r0)
        h = (volume_m3 + volume_rate_m3_s * time) / (math.pi * r * r)
        return np.array([_front_speed_m_s(h, r, minimum_thickness_m, reduced_gravity_m_s2, r_bund)])

    if t[-1] == 0:
        return np.full_like(t, r0)
    sol = solve_ivp(
        rhs, (0.0, float(t[-1])), [r0], method="LSODA", t_eval=t, rtol=1e-10, atol=1e-12
    )
    if not sol.success:
        raise ConvergenceError(f"gravity spreading: LSODA failed: {sol.message}")
    return np.asarray(sol.y[0], dtype=np.float64)


def _bund_radius_m(bund_area_m2: float | None) -> float:
    """Radius of the circle of the bund area, m (infinite without a bund)."""
    if bund_area_m2 is None:
        return math.inf
    require_positive("bund_area_m2", bund_area_m2, "m^2")
    return math.sqrt(bund_area_m2 / math.pi)


def _initial_radius_m(given_m: float | None, volume_m3: float, bund_radius_m: float) -> float:
    """Return the initial radius: given, a cylinder as high as wide, or the continuous start."""
    if given_m is not None:
        r0 = require_positive("initial_radius_m", given_m, "m")
    elif volume_m3 > 0:
        r0 = (volume_m3 / math.pi) ** (1.0 / 3.0)
    else:
        r0 = _CONTINUOUS_START_RADIUS_M
    return min(r0, bund_radius_m)


def _front_speed_m_s(
    thickness_m: float,
    radius_m: float,
    minimum_thickness_m: float,
    reduced_gravity_m_s2: float,
    bund_radius_m: float,
) -> float:
    """Gravity-inertia front speed, m/s; 0 at the bund wall or at the minimum thickness."""
    if radius_m >= bund_radius_m or thickness_m <= minimum_thickness_m:
        return 0.0
    return math.sqrt(
        _FRONT_FROUDE_SQUARED * reduced_gravity_m_s2 * (thickness_m - minimum_thickness_m)
    )


@dataclass(frozen=True, slots=True)
class _PropertyTable:
    """Liquid properties tabulated against temperature between ``t_k[0]`` and the boiling point."""

    t_k: NDArray[np.float64]
    density_kg_m3: NDArray[np.float64]
    cp_j_kg_k: NDArray[np.float64]
    latent_heat_j_kg: NDArray[np.float64]
    log_vapour_pressure_pa: NDArray[np.float64]  # ln(P_v / 1 Pa): nearly linear in 1/T
    schmidt_number: NDArray[np.float64]

    def at(self, temperature_k: float) -> tuple[float, float, float, float, float]:
        """Density, cp, latent heat, vapour pressure and Schmidt number at a temperature."""
        t = self.t_k
        return (
            float(np.interp(temperature_k, t, self.density_kg_m3)),
            float(np.interp(temperature_k, t, self.cp_j_kg_k)),
            float(np.interp(temperature_k, t, self.latent_heat_j_kg)),
            math.exp(float(np.interp(temperature_k, t, self.log_vapour_pressure_pa))),
            float(np.interp(temperature_k, t, self.schmidt_number)),
        )


def _property_table(
    sub: Substance,
    low_k: float,
    boiling_k: float,
    pressure_pa: float,
    *,
    exact_at_k: tuple[float, ...] = (),
) -> _PropertyTable:
    """Tabulate the liquid properties from ``low_k`` up to the boiling point.

    Temperatures in ``exact_at_k`` (a held pool temperature, the spill temperature) become table
    nodes, so the properties there are exact rather than interpolated.
    """
    low = min(low_k, boiling_k - 1.0)
    nodes = np.linspace(boiling_k, low, _PROPERTY_TABLE_POINTS)
    extra = [t for t in exact_at_k if low < t < boiling_k]
    rows: list[tuple[float, ...]] = []
    # From the boiling point downwards, so that a failure near the triple point only shortens
    # the table at its cold end.
    for temp in np.unique(np.concatenate((nodes, extra)))[::-1]:
        t = float(temp)
        try:
            row = (
                t,
                sub.liquid_density_kg_m3(t),
                sub.liquid_cp_j_kg_k(t),
                sub.latent_heat_j_kg(t),
                min(sub.saturation_pressure_pa(t), pressure_pa) if t < boiling_k else pressure_pa,
                AIR_KINEMATIC_VISCOSITY_M2_S / sub.gas_diffusivity_m2_s(t, pressure_pa),
            )
        except (ValueError, RuntimeError) as exc:
            _LOG.debug("property table of %s stops at %.2f K: %s", sub.key, t, exc)
            break
        if not all(math.isfinite(v) and v > 0 for v in row):
            break
        rows.append(tuple(float(v) for v in row))
    if len(rows) < 2:
        raise InvalidInputError(
            f"substance {sub.key!r}: liquid properties are not available near its boiling "
            + f"point {boiling_k:.2f} K at {pressure_pa:.0f} Pa"
        )
    table = np.array(rows[::-1])
    table[:, 4] = np.log(table[:, 4])
    return _PropertyTable(*(np.ascontiguousarray(table[:, i]) for i in range(6)))


@dataclass(frozen=True, slots=True)
class _PoolSystem:
    """Everything the right-hand side needs, fixed for one calculation."""

    spill: PoolSpill
    props: _PropertyTable
    boiling_k: float
    ambient_k: float
    ambient_pa: float
    surface_k: float
    feed_k: float
    molar_mass_kg_mol: float
    wind_10m_m_s: float
    minimum_thickness_m: float
    bund_radius_m: float
    initial_radius_m: float
    is_water: bool
    water_density_kg_m3: float
    water_heat_flux_w_m2: float
    fixed_temperature_k: float | None
    conduction_factor: float
    kernel_rates_1_s: NDArray[np.float64]
    kernel_weights: NDArray[np.float64]
    solar_w_m2: float
    with_convection: bool
    with_longwave: bool
    fd_scales: tuple[float, float, float, float]

    @property
    def n_kernel(self) -> int:
        """Number of exponential modes of the ground-conduction kernel."""
        return int(self.kernel_rates_1_s.size)

    def rates(self, t: float, y: NDArray[np.float64]) -> tuple[NDArray[np.float64], bool, float]:
        """Time derivative of the state, whether the pool boils, and the pool mass, kg."""
        conduction_w = self._conduction_w(y)
        evap, dr, dtemp, d_forcing, boiling, m_pool = self._core(
            t, float(y[0]), float(y[1]), float(y[2]), conduction_w
        )
        out = np.empty_like(y)
        out[0] = evap
        out[1] = dr
        out[2] = dtemp
        if self.n_kernel:
            out[3:] = d_forcing - self.kernel_rates_1_s * y[3:]
        return out, boiling, m_pool

    def jacobian(self, t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Jacobian of :meth:`rates` by finite differences in four variables.

        The kernel modes enter the right-hand side only through the conducted heat
        ``c * w @ z``, so differencing in the evaporated mass, radius, temperature and that heat
        gives the whole matrix (4 evaluations instead of one per mode).
        """
        conduction_w = self._conduction_w(y)
        args = [float(y[0]), float(y[1]), float(y[2]), conduction_w]
        base = np.array(self._core(t, *args)[:4])
        n = y.size
        columns = np.empty((4, 4))
        for j in range(4):
            step = _FD_RELATIVE_STEP * max(abs(args[j]), self.fd_scales[j])
            shifted = list(args)
            shifted[j] += step
            columns[:, j] = (np.array(self._core(t, *shifted)[:4]) - base) / step
        jac = np.zeros((n, n))
        jac[:3, :3] = columns[:3, :3]
        if self.n_kernel:
            dq_dz = self.conduction_factor * self.kernel_weights
            jac[:3, 3:] = np.outer(columns[:3, 3], dq_dz)
            jac[3:, :3] = columns[3, :3]
            jac[3:, 3:] = np.outer(np.full(self.n_kernel, columns[3, 3]), dq_dz)
            jac[3:, 3:] -= np.diag(self.kernel_rates_1_s)
        return jac

    def _conduction_w(self, y: NDArray[np.float64]) -> float:
        """Heat conducted from the ground into the pool, W."""
        if not self.n_kernel:
            return 0.0
        return self.conduction_factor * float(self.kernel_weights @ y[3:])

    def _core(
        self, t: float, m_evap: float, radius_m: float, temp: float, conduction_w: float
    ) -> tuple[float, float, float, float, bool, float]:
        """Evaporation rate, dr/dt, dT/dt, dF/dt, boiling flag and pool mass at one state."""
        # The step that reaches the bund wall may overshoot it by the integration tolerance.
        r = min(max(radius_m, 1e-9), self.bund_radius_m)
        feed = float(self.spill.feed_rate_at(t))
        m_pool = max(float(self.spill.spilled_mass_kg(t)) - m_evap, 0.0)
        # Properties are tabulated from t_k[0] to the boiling point; a trial state outside that
        # range (a Newton iterate) is evaluated at the nearest end.
        t_eff = min(max(temp, float(self.props.t_k[0])), self.boiling_k)
        rho, cp, latent, p_vap, schmidt = self.props.at(t_eff)
        area = math.pi * r * r
        thickness = m_pool / (rho * area)
        diameter = 2.0 * r

        q_in = feed * cp * (self.feed_k - t_eff) + conduction_w + area * self.solar_w_m2
        if self.is_water and t_eff < self.surface_k and self.fixed_temperature_k is None:
            q_in += self.water_heat_flux_w_m2 * area
        if self.with_convection:
            h_air = float(air_heat_transfer_coefficient_w_m2_k(self.wind_10m_m_s, diameter))
            q_in += h_air * area * (self.ambient_k - t_eff)
        if self.with_longwave:
            q_in += area * float(longwave_net_flux_w_m2(self.ambient_k, t_eff))

        k_m = float(
            mackay_matsugu_mass_transfer_coefficient_m_s(self.wind_10m_m_s, diameter, schmidt)
        )
        e_mass_transfer = area * float(
            evaporation_mass_flux_kg_m2_s(
                k_m,
                p_vap,
                ambient_pressure_pa=self.ambient_pa,
                temperature_k=t_eff,
                molar_mass_kg_mol=self.molar_mass_kg_mol,
            )
        )
        boiling = False
        if self.fixed_temperature_k is not None:
            evap, dtemp = e_mass_transfer, 0.0
        else:
            surplus_w = q_in - e_mass_transfer * latent
            if temp >= self.boiling_k and surplus_w > 0:
                boiling = True
                evap, dtemp = q_in / latent, 0.0
            else:
                heat_capacity = max(m_pool, rho * area * _DRY_FILM_THICKNESS_M) * cp
                evap, dtemp = e_mass_transfer, surplus_w / heat_capacity
        evap *= min(1.0, thickness / _DRY_FILM_THICKNESS_M)

        dvolume = (feed - evap) / rho
        if self.is_water:
            g_reduced = _GRAVITY_M_S2 * (1.0 - rho / self.water_density_kg_m3)
        else:
            g_reduced = _GRAVITY_M_S2
        dr = _front_speed_m_s(thickness, r, self.minimum_thickness_m, g_reduced, self.bund_radius_m)
        if self.is_water and thickness <= self.minimum_thickness_m and dvolume < 0:
            # Retreat at the minimum thickness: d(pi r^2 h_min) = dV.
            dr = dvolume / (2.0 * math.pi * r * self.minimum_thickness_m)
        d_forcing = 2.0 * math.pi * r * dr * (self.surface_k - t_eff) - area * dtemp
        return evap, dr, dtemp, d_forcing, boiling, m_pool


def _wind_at_10m_m_s(weather: Weather) -> float:
    """Wind speed at 10 m from the reference height by the neutral log profile, m/s."""
    z0 = weather.surface_roughness_m
    return weather.wind_speed_m_s * math.log(10.0 / z0) / math.log(weather.reference_height_m / z0)


def pool_spreading(
    spill: PoolSpill,
    surface: PoolSurface,
    *,
    weather: Weather,
    options: PoolOptions | None = None,
) -> PoolResult:
    """Compute the spreading and evaporation of a liquid pool on land or water.

    Integrates the pool radius, the evaporated mass, the pool temperature and the modes of the
    ground-conduction kernel with :func:`scipy.integrate.solve_ivp` (BDF: the fast kernel modes
    are stiff) from t = 0 until ``options.duration_s`` or until the pool has evaporated after
    the feed stopped. See the module docstring for the model and its sources.

    Parameters
    ----------
    spill : PoolSpill
        Substance, instantaneous mass and feed table (see :func:`spill_from_source_term`).
    surface : PoolSurface
        Surface type, roughness, bund and surface temperature.
    weather : Weather
        Wind (for mass and heat transfer), air temperature and pressure.
    options : PoolOptions or None
        Duration, initial radius, fixed pool temperature, heat terms, output sampling.

    Returns
    -------
    PoolResult
        Radius, area, mass, temperature and evaporation rate against time;
        ``PoolResult.to_source_term()`` gives the dispersion input.

    Raises
    ------
    InvalidInputError
        If the substance is unknown, sinks in water, has no default heat flux on water, or the
        fixed pool temperature is not below the boiling point.
    ConvergenceError
        If the integration fails.

    References
    ----------
    .. [1] F. Briscoe, P. Shaw, Prog. Energy Combust. Sci. 6 (1980) 127-140.
    .. [2] TNO Yellow Book, CPR 14E, 3rd ed., 1997, ch. 3.
    """
    opts = options or PoolOptions()
    system = _build_system(spill, surface, weather, opts)
    t_feed_end = min(spill.feed_end_s, opts.duration_s)
    total_kg = spill.total_mass_kg
    y0 = np.zeros(3 + system.n_kernel)
    y0[1] = system.initial_radius_m
    y0[2] = min(system.feed_k, system.boiling_k)
    if system.fixed_temperature_k is not None:
        y0[2] = system.fixed_temperature_k
    y0[3:] = math.pi * y0[1] ** 2 * (system.surface_k - y0[2])
    atol = _absolute_tolerances(system, total_kg, opts.rtol)

    def rhs(t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
        return system.rates(t, y)[0]

    def dried(t: float, y: NDArray[np.float64]) -> float:
        return float(spill.spilled_mass_kg(t)) - float(y[0]) - _DRY_MASS_FRACTION * total_kg

    dried.terminal = True  # type: ignore[attr-defined]
    dried.direction = -1  # type: ignore[attr-defined]

    pieces: list[tuple[float, float, OdeSolution]] = []
    steps: list[NDArray[np.float64]] = []
    start, y_start = 0.0, y0
    for stop, events in ((t_feed_end, None), (opts.duration_s, dried)):
        if stop <= start:
            continue
        sol = solve_ivp(
            rhs,
            (start, stop),
            y_start,
            method="BDF",
            rtol=opts.rtol,
            atol=atol,
            dense_output=True,
            events=events,
            jac=system.jacobian,
        )
        if sol.status < 0:
            raise ConvergenceError(f"pool_spreading: BDF integration failed: {sol.message}")
        pieces.append((start, float(sol.t[-1]), sol.sol))
        steps.append(sol.t)
        start, y_start = float(sol.t[-1]), sol.y[:, -1]
    return _sample(system, spill, surface, pieces, np.concatenate(steps), opts.n_samples)


def _absolute_tolerances(system: _PoolSystem, total_kg: float, rtol: float) -> NDArray[np.float64]:
    """Absolute tolerances scaled to the spill: mass, radius, temperature, kernel modes."""
    rho = float(system.props.density_kg_m3[-1])
    radius_scale = math.sqrt(total_kg / rho / system.minimum_thickness_m / math.pi)
    delta_k = max(abs(system.surface_k - system.boiling_k), 1.0)
    scale = np.full(3 + system.n_kernel, math.pi * radius_scale**2 * delta_k)
    scale[:3] = (total_kg, radius_scale, 300.0)
    return 1e-3 * rtol * scale


def _build_system(
    spill: PoolSpill, surface: PoolSurface, weather: Weather, opts: PoolOptions
) -> _PoolSystem:
    """Check the combination of inputs and gather the fixed quantities of the calculation."""
    sub = substance(spill.substance)
    pressure = weather.ambient_pressure_pa
    boiling_k = float(sub.saturation_temperature_k(pressure))
    ambient_k = weather.ambient_temperature_k
    surface_k = surface.surface_temperature_k or ambient_k
    feed_k = min(spill.liquid_temperature_k or min(boiling_k, ambient_k), boiling_k)
    fixed_k = opts.pool_temperature_k
    if fixed_k is not None and fixed_k >= boiling_k:
        raise InvalidInputError(
            f"pool_temperature_k = {fixed_k!r} K: must be below the boiling point of "
            + f"{sub.key!r}, {boiling_k:.2f} K at {pressure:.0f} Pa"
        )
    water_flux, fixed_k = _water_heat_terms(sub, surface, boiling_k, surface_k, fixed_k)
    low_k = min(feed_k, ambient_k, surface_k, fixed_k or feed_k) - _PROPERTY_TABLE_MARGIN_K
    props = _property_table(
        sub, low_k, boiling_k, pressure, exact_at_k=(feed_k,) if fixed_k is None else (fixed_k,)
    )
    r_bund = _bund_radius_m(surface.bund_area_m2)
    volume0 = spill.instantaneous_mass_kg / float(props.density_kg_m3[-1])
    r0 = _initial_radius_m(opts.initial_radius_m, volume0, r_bund)
    uses_kernel = not surface.is_water and fixed_k is None
    if uses_kernel:
        ground = GROUND_THERMAL_PROPERTIES[surface.surface]
        rates, weights = inverse_sqrt_exponential_sum(opts.duration_s)
        factor = ground.conduction_factor_w_m2_k_s05
    else:
        rates, weights, factor = np.zeros(0), np.zeros(0), 0.0
    return _PoolSystem(
        spill=spill,
        props=props,
        boiling_k=boiling_k,
        ambient_k=ambient_k,
        ambient_pa=pressure,
        surface_k=surface_k,
        feed_k=feed_k,
        molar_mass_kg_mol=sub.molar_mass_kg_mol,
        wind_10m_m_s=_wind_at_10m_m_s(weather),
        minimum_thickness_m=surface.minimum_pool_thickness_m,
        bund_radius_m=r_bund,
        initial_radius_m=r0,
        is_water=surface.is_water,
        water_density_kg_m3=surface.water_density_kg_m3,
        water_heat_flux_w_m2=water_flux,
        fixed_temperature_k=fixed_k,
        conduction_factor=factor,
        kernel_rates_1_s=rates,
        kernel_weights=weights,
        solar_w_m2=opts.solar_flux_w_m2,
        with_convection=opts.include_air_convection,
        with_longwave=opts.include_longwave_radiation,
        fd_scales=(spill.total_mass_kg, r0, 100.0, 1.0e3),
    )


def _water_heat_terms(
    sub: Substance,
    surface: PoolSurface,
    boiling_k: float,
    water_k: float,
    fixed_k: float | None,
) -> tuple[float, float | None]:
    """Return the heat flux from water (W/m^2) and the held pool temperature (K or None)."""
    if not surface.is_water:
        return 0.0, fixed_k
    density = sub.liquid_density_kg_m3(boiling_k)
    if density >= surface.water_density_kg_m3:
        raise InvalidInputError(
            f"{sub.key!r} liquid density {density:.0f} kg/m^3 >= water_density_kg_m3 = "
            + f"{surface.water_density_kg_m3!r} kg/m^3: the liquid sinks; a pool on water "
            + "needs a lighter liquid"
        )
    if boiling_k >= water_k:
        # A liquid that does not boil on water takes the temperature of the water below it.
        return 0.0, fixed_k if fixed_k is not None else min(water_k, boiling_k - 0.5)
    if surface.water_heat_flux_w_m2 is not None:
        return surface.water_heat_flux_w_m2, fixed_k
    if boiling_k < _CRYOGEN_BOILING_POINT_K:
        return LNG_ON_WATER_HEAT_FLUX_W_M2, fixed_k
    raise InvalidInputError(
        f"water_heat_flux_w_m2 = None W/m^2 for {sub.key!r} boiling on water "
        + f"(boiling point {boiling_k:.1f} K): give the flux; the default "
        + f"{LNG_ON_WATER_HEAT_FLUX_W_M2:.0f} W/m^2 applies to cryogens (boiling "
        + f"point below {_CRYOGEN_BOILING_POINT_K:.0f} K) only"
    )


def _sample(
    system: _PoolSystem,
    spill: PoolSpill,
    surface: PoolSurface,
    pieces: list[tuple[float, float, OdeSolution]],
    solver_steps_s: NDArray[np.float64],
    n_samples: int,
) -> PoolResult:
    """Evaluate the dense solution on the output grid and assemble the result.

    The grid joins geometric spacing with the solver's own steps, which crowd where the rate
    changes fast (the start of boiling, the drying of the last film).
    """
    t_end = pieces[-1][1]
    # Geometric spacing from 0.1 ms resolves the t^-1/2 start of a boiling pool, so that the
    # trapezoidal integral of the sampled rate matches the evaporated mass.
    first = min(1e-4, t_end * 1e-6)
    grid = np.concatenate(
        (
            [0.0],
            np.geomspace(first, t_end, n_samples - 1),
            spill.feed_t_s[(spill.feed_t_s > 0) & (spill.feed_t_s < t_end)],
            [piece[1] for piece in pieces],
            solver_steps_s,
        )
    )
    t_out = np.unique(grid)
    states = np.empty((3 + system.n_kernel, t_out.size))
    for i, (lo, hi, sol) in enumerate(pieces):
        last = i == len(pieces) - 1
        mask = (t_out >= lo) & ((t_out <= hi) if last else (t_out < hi))
        if i == 0:
            mask |= t_out < lo
        states[:, mask] = sol(t_out[mask])
    derived = [system.rates(float(t_out[j]), states[:, j]) for j in range(t_out.size)]
    evap_rate = np.array([d[0][0] for d in derived])
    boiling = np.array([d[1] for d in derived], dtype=bool)
    spilled = spill.spilled_mass_kg(t_out)
    evaporated = states[0].copy()
    mass = spilled - evaporated
    radius = np.clip(states[1], 0.0, system.bund_radius_m)
    area = math.pi * radius**2
    coldest_k = float(system.props.t_k[0])
    if np.min(states[2]) < coldest_k:
        _LOG.warning(
            "pool of %s cooled below %.1f K, the cold end of its property table; its "
            + "properties and temperature are held there",
            spill.substance,
            coldest_k,
        )
    temperature = np.clip(states[2], coldest_k, system.boiling_k)
    density = np.interp(temperature, system.props.t_k, system.props.density_kg_m3)
    thickness = np.where(
        area > 0, np.maximum(mass, 0.0) / (density * np.where(area > 0, area, 1.0)), 0.0
    )
    is_bunded = bool(np.isfinite(system.bund_radius_m)) and bool(
        np.max(radius) >= system.bund_radius_m * (1.0 - 1e-9)
    )
    return PoolResult(
        substance=spill.substance,
        surface=surface.surface,
        t_s=t_out,
        radius_m=radius,
        area_m2=area,
        thickness_m=thickness,
        mass_kg=mass,
        spilled_mass_kg=spilled,
        evaporated_mass_kg=evaporated,
        evaporation_rate_kg_s=evap_rate,
        temperature_k=temperature,
        is_boiling=boiling,
        is_bunded=is_bunded,
        boiling_point_k=system.boiling_k,
    )
