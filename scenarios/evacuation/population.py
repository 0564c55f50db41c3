"""Who is where when the alarm sounds: spawn positions, pre-movement times, speeds and body sizes.

:class:`AgentSpec` is the crowd's starting state as arrays (positions, level, speed, radius,
pre-movement time, spawn area, assigned exit and muster point); the evacuation model is built from
it (:meth:`scenarios.evacuation.model.EvacuationModel.from_layout`). Make one

- by hand, for verification rooms (RiMEA tests: given positions, speeds and pre-movement times):
  :meth:`AgentSpec.create`;
- from counts per spawn area (:func:`spawn_agents`), or from a site's occupancy on a shift
  (:func:`population_from_layout`): uniformly random positions inside each area's walkable part,
  at least a body radius clear of the walls and not overlapping each other.

Pre-movement times follow a :class:`PreMovementDistribution` per area or area kind. The default
is a log-normal distribution through the first-occupant and 99th-percentile times of
PD 7974-6 [1]_ for awake occupants familiar with the building, with good management, a simple
building and automatic detection with a general alarm (category A, M1 B1 A1): 0.5 min and
0.5 + 1.0 = 1.5 min.

Occupancy is capped at the SFPE standstill density, 3.76 persons/m^2
(:data:`twin.validation.MAX_OCCUPANT_DENSITY_P_M2`); more people than that in an area is an error
naming the area, its walkable area and the most it can hold.

References
----------
.. [1] BSI PD 7974-6:2004, *The application of fire safety engineering principles to fire safety
   design of buildings - Part 6: Human factors: Life safety strategies - Occupant evacuation,
   behaviour and condition*, Annex C, Table C.1.
.. [2] Gwynne, S. M. V. and Rosenbaum, E. R., "Employing the hydraulic model in assessing
   emergency movement", SFPE Handbook of Fire Protection Engineering (speed-density relation,
   standstill density 1/0.266 persons/m^2).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree
from shapely.geometry import MultiPolygon, Polygon

from scenarios.evacuation.layout import EvacuationLayout
from solvers.errors import InvalidInputError
from solvers.pedestrian import walking_speed
from twin.validation import MAX_OCCUPANT_DENSITY_P_M2

__all__ = [
    "DEFAULT_BODY_RADIUS_M",
    "DEFAULT_PRE_MOVEMENT",
    "MAX_OCCUPANT_DENSITY_P_M2",
    "PRE_MOVEMENT_PRESETS",
    "SPAWN_CLEARANCE_M",
    "AgentSpec",
    "PreMovementDistribution",
    "Sampler",
    "default_speed_sampler",
    "max_occupants",
    "population_from_layout",
    "spawn_agents",
    "spawn_positions",
]

#: Body radius, m, when no body-size model is given: JuPedSim's default for the collision-free
#: speed model (shoulder width about 0.4 m).
DEFAULT_BODY_RADIUS_M = walking_speed.JUPEDSIM_DEFAULT_RADIUS_M

#: ``sampler(n, rng) -> (n,)`` values (speeds in m/s, radii in m).
Sampler = Callable[[int, np.random.Generator], NDArray[np.float64]]


def default_speed_sampler(n: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Draw free walking speeds from Weidmann's normal distribution (1.34 +- 0.26 m/s), m/s."""
    return walking_speed.sample_free_speeds_m_s(n, rng)


#: Extra gap between two spawned bodies, m, so nobody starts in contact.
SPAWN_CLEARANCE_M = 0.02

#: Candidate points drawn per person still to be placed in one rejection round.
_CANDIDATES_PER_PERSON = 8

#: Rejection rounds before spawning gives up.
_MAX_ROUNDS = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class PreMovementDistribution:
    """A distribution of pre-movement times (alarm to start of movement), s.

    Use the constructors: :meth:`lognormal`, :meth:`from_percentiles`, :meth:`uniform`,
    :meth:`normal`, :meth:`fixed`.

    Attributes
    ----------
    kind : str
        ``"lognormal"``, ``"uniform"``, ``"normal"`` (truncated at 0) or ``"fixed"``.
    a, b : float
        Parameters: lognormal ``mu`` and ``sigma`` of ln(t / 1 s); uniform ``low_s``, ``high_s``;
        normal ``mean_s``, ``sd_s``; fixed ``value_s`` and 0.
    offset_s : float
        Added to every sample, s (a shifted distribution).
    """

    kind: str
    a: float
    b: float
    offset_s: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ("lognormal", "uniform", "normal", "fixed"):
            raise InvalidInputError(
                f"pre-movement kind = {self.kind!r}: choose one of "
                + "['fixed', 'lognormal', 'normal', 'uniform']"
            )
        for name in ("a", "b", "offset_s"):
            if not math.isfinite(getattr(self, name)):
                raise InvalidInputError(
                    f"pre-movement {name} = {getattr(self, name)!r}: not finite"
                )
        if self.offset_s < 0:
            raise InvalidInputError(f"pre-movement offset_s = {self.offset_s!r} s: must be >= 0")
        if self.kind in ("lognormal", "normal") and self.b < 0:
            raise InvalidInputError(f"pre-movement spread = {self.b!r}: must be >= 0")
        if self.kind == "uniform" and not 0 <= self.a <= self.b:
            raise InvalidInputError(
                f"pre-movement uniform low_s = {self.a!r} s, high_s = {self.b!r} s: "
                + "need 0 <= low_s <= high_s"
            )
        if self.kind == "fixed" and self.a < 0:
            raise InvalidInputError(f"pre-movement value_s = {self.a!r} s: must be >= 0")

    @classmethod
    def lognormal(
        cls, median_s: float, sigma: float, *, offset_s: float = 0.0
    ) -> PreMovementDistribution:
        """Return a log-normal with median ``median_s`` (s) and sigma of ln t, plus ``offset_s``."""
        if not (math.isfinite(median_s) and median_s > 0):
            raise InvalidInputError(f"pre-movement median_s = {median_s!r} s: must be > 0")
        return cls(kind="lognormal", a=math.log(median_s), b=float(sigma), offset_s=offset_s)

    @classmethod
    def from_percentiles(
        cls, first_s: float, p99_s: float, *, first_percentile: float = 0.01
    ) -> PreMovementDistribution:
        """Return the log-normal through the first-occupant time and the 99th percentile.

        Parameters
        ----------
        first_s : float
            Time by which the first ``first_percentile`` of occupants move, s; > 0.
        p99_s : float
            Time by which 99 % move, s; > ``first_s``.
        first_percentile : float
            Fraction of occupants ``first_s`` stands for, in (0, 0.5).

        Returns
        -------
        PreMovementDistribution

        Examples
        --------
        >>> d = PreMovementDistribution.from_percentiles(30.0, 90.0)
        >>> round(d.quantile_s(0.01), 6), round(d.quantile_s(0.99), 6)
        (30.0, 90.0)
        """
        if not (math.isfinite(first_s) and first_s > 0):
            raise InvalidInputError(f"pre-movement first_s = {first_s!r} s: must be > 0")
        if not (math.isfinite(p99_s) and p99_s > first_s):
            raise InvalidInputError(
                f"pre-movement p99_s = {p99_s!r} s: must be > first_s = {first_s!r} s"
            )
        if not 0 < first_percentile < 0.5:
            raise InvalidInputError(f"first_percentile = {first_percentile!r}: must be in (0, 0.5)")
        z_lo = NormalDist().inv_cdf(first_percentile)
        z_hi = NormalDist().inv_cdf(0.99)
        sigma = (math.log(p99_s) - math.log(first_s)) / (z_hi - z_lo)
        mu = math.log(first_s) - z_lo * sigma
        return cls(kind="lognormal", a=mu, b=sigma)

    @classmethod
    def uniform(cls, low_s: float, high_s: float) -> PreMovementDistribution:
        """Return a uniform distribution between ``low_s`` and ``high_s``, s."""
        return cls(kind="uniform", a=float(low_s), b=float(high_s))

    @classmethod
    def normal(cls, mean_s: float, sd_s: float) -> PreMovementDistribution:
        """Return a normal distribution (mean, sd in s); negative samples are set to 0."""
        return cls(kind="normal", a=float(mean_s), b=float(sd_s))

    @classmethod
    def fixed(cls, value_s: float) -> PreMovementDistribution:
        """Return the same time for everyone, s."""
        return cls(kind="fixed", a=float(value_s), b=0.0)

    def quantile_s(self, q: float) -> float:
        """Return the ``q`` quantile, s (``q`` in (0, 1))."""
        if not 0 < q < 1:
            raise InvalidInputError(f"quantile q = {q!r}: must be in (0, 1)")
        if self.kind == "lognormal":
            value = math.exp(self.a + self.b * NormalDist().inv_cdf(q))
        elif self.kind == "uniform":
            value = self.a + q * (self.b - self.a)
        elif self.kind == "normal":
            value = max(0.0, self.a + self.b * NormalDist().inv_cdf(q))
        else:
            value = self.a
        return value + self.offset_s

    def sample(self, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
        """Draw ``n`` pre-movement times, s, (n,) float."""
        if self.kind == "lognormal":
            out = rng.lognormal(self.a, self.b, size=n)
        elif self.kind == "uniform":
            out = rng.uniform(self.a, self.b, size=n)
        elif self.kind == "normal":
            out = np.maximum(rng.normal(self.a, self.b, size=n), 0.0)
        else:
            out = np.full(n, self.a)
        return np.asarray(out + self.offset_s, dtype=np.float64)


#: Published pre-movement distributions (PD 7974-6:2004, Annex C, Table C.1, category A: awake
#: and familiar, e.g. offices and industrial premises), as log-normals through the first-occupant
#: time and the 99th percentile (first-occupant time plus the distribution time).
PRE_MOVEMENT_PRESETS: Mapping[str, PreMovementDistribution] = {
    # M1 B1 A1: 0.5 min to the first occupants, distribution 1.0 min
    "pd7974_a_m1": PreMovementDistribution.from_percentiles(30.0, 90.0),
    # M2 B1 A2: 1.0 min to the first occupants, distribution 2.0 min
    "pd7974_a_m2": PreMovementDistribution.from_percentiles(60.0, 180.0),
}

#: Pre-movement distribution used when none is given.
DEFAULT_PRE_MOVEMENT = PRE_MOVEMENT_PRESETS["pd7974_a_m1"]


def _column(value: ArrayLike, n: int, name: str, unit: str) -> NDArray[np.float64]:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise InvalidInputError(f"{name} has shape {arr.shape}: must be a scalar or ({n},) {unit}")
    if not np.all(np.isfinite(arr)):
        raise InvalidInputError(f"{name} holds a non-finite value: all must be finite {unit}")
    out = np.array(arr, dtype=np.float64)
    out.flags.writeable = False
    return out


def _labels(value: str | Sequence[str] | NDArray[np.str_], n: int, name: str) -> NDArray[np.str_]:
    arr = np.asarray(value, dtype=np.str_)
    if arr.ndim == 0:
        arr = np.full(n, str(arr))
    if arr.shape != (n,):
        raise InvalidInputError(f"{name} has shape {arr.shape}: must be one string or ({n},)")
    out = np.array(arr)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, kw_only=True, eq=False)
class AgentSpec:
    """Starting state of ``n`` people, as arrays. Build with :meth:`create`.

    Attributes
    ----------
    positions_m : (n, 2) float
        Start positions, m.
    level : (n,) str
        Level key of each person.
    desired_speed_m_s : (n,) float
        Free walking speed on the flat, m/s; > 0.
    radius_m : (n,) float
        Body radius, m; > 0.
    pre_movement_s : (n,) float
        Time from the alarm to the start of movement, s; >= 0.
    area_id : (n,) str
        Spawn area (room or zone) id; ``""`` if none.
    exit_id : (n,) str
        Assigned exit; ``""`` leaves the choice to the exit-choice strategy.
    muster_id : (n,) str
        Muster point to walk to after leaving; ``""`` ends at the exit.
    """

    positions_m: NDArray[np.float64]
    level: NDArray[np.str_]
    desired_speed_m_s: NDArray[np.float64]
    radius_m: NDArray[np.float64]
    pre_movement_s: NDArray[np.float64]
    area_id: NDArray[np.str_]
    exit_id: NDArray[np.str_]
    muster_id: NDArray[np.str_]

    @classmethod
    def create(
        cls,
        positions_m: ArrayLike,
        *,
        level: str | Sequence[str] = "L0",
        desired_speed_m_s: ArrayLike = 1.34,
        radius_m: ArrayLike = DEFAULT_BODY_RADIUS_M,
        pre_movement_s: ArrayLike = 0.0,
        area_id: str | Sequence[str] = "",
        exit_id: str | Sequence[str] = "",
        muster_id: str | Sequence[str] = "",
    ) -> AgentSpec:
        """Build a spec from positions and per-person values (scalars are broadcast).

        Parameters
        ----------
        positions_m : (n, 2) float
            Positions, m.
        level : str or (n,) str
            Level key(s); default ``"L0"``, the one level of
            :meth:`~scenarios.evacuation.layout.EvacuationLayout.from_polygons`.
        desired_speed_m_s : float or (n,) float
            Free walking speeds, m/s; default 1.34 m/s (Weidmann 1993, mean free speed).
        radius_m : float or (n,) float
            Body radii, m.
        pre_movement_s : float or (n,) float
            Pre-movement times, s.
        area_id, exit_id, muster_id : str or (n,) str
            Spawn area, assigned exit and muster point ids (``""``: none).

        Returns
        -------
        AgentSpec

        Raises
        ------
        InvalidInputError
            If a shape is wrong, a value not finite, a speed or radius not > 0 or a pre-movement
            time negative.

        Examples
        --------
        >>> spec = AgentSpec.create([[1.0, 1.0], [2.0, 1.0]], pre_movement_s=[0.0, 5.0])
        >>> spec.n, spec.desired_speed_m_s.tolist()
        (2, [1.34, 1.34])
        """
        pos = np.array(positions_m, dtype=np.float64)
        if pos.size == 0:
            pos = np.zeros((0, 2))
        if pos.ndim != 2 or pos.shape[1] != 2:
            raise InvalidInputError(f"positions_m has shape {pos.shape}: must be (n, 2) in m")
        if not np.all(np.isfinite(pos)):
            raise InvalidInputError("positions_m holds a non-finite value: all must be finite m")
        pos.flags.writeable = False
        n = len(pos)
        speed = _column(desired_speed_m_s, n, "desired_speed_m_s", "m/s")
        radius = _column(radius_m, n, "radius_m", "m")
        pre = _column(pre_movement_s, n, "pre_movement_s", "s")
        if np.any(speed <= 0):
            k = int(np.argmax(speed <= 0))
            raise InvalidInputError(f"desired_speed_m_s[{k}] = {speed[k]!r} m/s: must be > 0")
        if np.any((radius <= 0) | (radius > 0.5)):
            k = int(np.argmax((radius <= 0) | (radius > 0.5)))
            raise InvalidInputError(f"radius_m[{k}] = {radius[k]!r} m: must be in (0, 0.5]")
        if np.any(pre < 0):
            k = int(np.argmax(pre < 0))
            raise InvalidInputError(f"pre_movement_s[{k}] = {pre[k]!r} s: must be >= 0")
        return cls(
            positions_m=pos,
            level=_labels(level, n, "level"),
            desired_speed_m_s=speed,
            radius_m=radius,
            pre_movement_s=pre,
            area_id=_labels(area_id, n, "area_id"),
            exit_id=_labels(exit_id, n, "exit_id"),
            muster_id=_labels(muster_id, n, "muster_id"),
        )

    @property
    def n(self) -> int:
        """Number of people."""
        return int(self.positions_m.shape[0])

    @classmethod
    def concatenate(cls, specs: Sequence[AgentSpec]) -> AgentSpec:
        """Join several specs into one (in order)."""
        if not specs:
            return cls.create(np.zeros((0, 2)))
        return cls.create(
            np.concatenate([s.positions_m for s in specs]),
            level=np.concatenate([s.level for s in specs]).tolist(),
            desired_speed_m_s=np.concatenate([s.desired_speed_m_s for s in specs]),
            radius_m=np.concatenate([s.radius_m for s in specs]),
            pre_movement_s=np.concatenate([s.pre_movement_s for s in specs]),
            area_id=np.concatenate([s.area_id for s in specs]).tolist(),
            exit_id=np.concatenate([s.exit_id for s in specs]).tolist(),
            muster_id=np.concatenate([s.muster_id for s in specs]).tolist(),
        )


def max_occupants(area_m2: float) -> int:
    """Most people an area can hold at the SFPE standstill density (3.76 persons/m^2)."""
    return math.floor(area_m2 * MAX_OCCUPANT_DENSITY_P_M2 + 1e-9)


def spawn_positions(
    region: Polygon | MultiPolygon,
    n: int,
    *,
    radius_m: float,
    rng: np.random.Generator | int | None,
    occupied_m: NDArray[np.float64] | None = None,
    occupied_radius_m: float | NDArray[np.float64] = 0.0,
    name: str = "area",
) -> NDArray[np.float64]:
    """Draw ``n`` non-overlapping body centres uniformly inside a region, clear of its boundary.

    Random sequential addition, vectorised by rounds: each round draws a batch of uniform points in
    the region's bounding box, keeps those inside the region shrunk by the body radius, drops those
    closer than two radii (plus :data:`SPAWN_CLEARANCE_M`) to a body already placed, and of each
    close pair within the batch keeps the first.

    Parameters
    ----------
    region : shapely Polygon or MultiPolygon
        Walkable region to fill, m.
    n : int
        Number of people, >= 0.
    radius_m : float
        Body radius (the largest of the people placed), m; > 0.
    rng : numpy Generator, int or None
        Random source.
    occupied_m : (k, 2) float, optional
        Bodies already there (other areas of the level), m.
    occupied_radius_m : float or (k,) float
        Their radii, m.
    name : str
        Area name for error messages.

    Returns
    -------
    (n, 2) float
        Positions, m.

    Raises
    ------
    InvalidInputError
        If ``n`` exceeds what the area holds at the SFPE standstill density, the region shrunk by
        the radius is empty, or the rounds run out before all are placed.
    """
    gen = np.random.default_rng(rng)
    if n < 0:
        raise InvalidInputError(f"{name}: people = {n}: must be >= 0")
    area = float(region.area)
    cap = max_occupants(area)
    if n > cap:
        raise InvalidInputError(
            f"{name} holds {n} people but its walkable area {area:.1f} m2 fits at most {cap} "
            + f"at the SFPE maximum density {MAX_OCCUPANT_DENSITY_P_M2:.2f} /m2"
        )
    if n == 0:
        return np.zeros((0, 2))
    inner = region.buffer(-radius_m)
    if inner.is_empty:
        raise InvalidInputError(
            f"{name}: no point of its walkable area ({area:.1f} m2) is a body radius "
            + f"({radius_m:g} m) clear of the walls"
        )
    shapely.prepare(inner)
    xmin, ymin, xmax, ymax = inner.bounds
    spacing = 2.0 * radius_m + SPAWN_CLEARANCE_M
    old = np.zeros((0, 2)) if occupied_m is None else np.asarray(occupied_m, dtype=np.float64)
    old_r = np.broadcast_to(np.asarray(occupied_radius_m, dtype=np.float64), (len(old),))
    old_tree = cKDTree(old) if len(old) else None
    placed = np.zeros((0, 2))
    for _ in range(_MAX_ROUNDS):
        need = n - len(placed)
        if need <= 0:
            break
        m = max(64, _CANDIDATES_PER_PERSON * need)
        cand = np.column_stack([gen.uniform(xmin, xmax, m), gen.uniform(ymin, ymax, m)])
        cand = cand[shapely.contains_xy(inner, cand[:, 0], cand[:, 1])]
        if old_tree is not None and len(cand):
            d, idx = old_tree.query(cand, k=1)
            cand = cand[d >= old_r[idx] + radius_m + SPAWN_CLEARANCE_M]
        if len(placed) and len(cand):
            d, _ = cKDTree(placed).query(cand, k=1)
            cand = cand[d >= spacing]
        if len(cand) > 1:
            pairs = cKDTree(cand).query_pairs(spacing, output_type="ndarray")
            drop = np.zeros(len(cand), dtype=bool)
            drop[pairs.max(axis=1)] = True
            cand = cand[~drop]
        placed = np.concatenate([placed, cand[:need]])
    if len(placed) < n:
        raise InvalidInputError(
            f"{name}: placed only {len(placed)} of {n} people without overlap in "
            + f"{area:.1f} m2 of walkable area (body radius {radius_m:g} m); lower the "
            + "occupancy or the body radius"
        )
    return placed


def _distribution_for(
    pre_movement: PreMovementDistribution | Mapping[str, PreMovementDistribution],
    area_id: str,
    kind: str,
) -> PreMovementDistribution:
    if isinstance(pre_movement, PreMovementDistribution):
        return pre_movement
    for key in (area_id, kind, "*"):
        if key in pre_movement:
            return pre_movement[key]
    return DEFAULT_PRE_MOVEMENT


def spawn_agents(
    layout: EvacuationLayout,
    counts: Mapping[str, int],
    *,
    rng: np.random.Generator | int | None,
    pre_movement: PreMovementDistribution
    | Mapping[str, PreMovementDistribution] = DEFAULT_PRE_MOVEMENT,
    speed_sampler: Sampler | None = None,
    radius_m: float | Sampler = DEFAULT_BODY_RADIUS_M,
) -> AgentSpec:
    """Spawn people in the layout's spawn areas.

    Parameters
    ----------
    layout : EvacuationLayout
        Layout whose ``spawn_areas`` are named in ``counts``.
    counts : Mapping[str, int]
        People per spawn-area id.
    rng : numpy Generator, int or None
        Random source (positions, pre-movement times, speeds), drawn in ``counts`` order.
    pre_movement : PreMovementDistribution or Mapping[str, PreMovementDistribution]
        One distribution for all, or by area id, area kind (``"room"``, ``"zone"``) or ``"*"``;
        unmatched areas use :data:`DEFAULT_PRE_MOVEMENT`.
    speed_sampler : callable, optional
        ``speed_sampler(n, rng) -> (n,) m/s`` free walking speeds; default the adult
        distribution of :mod:`solvers.pedestrian.walking_speed`.
    radius_m : float
        Body radius, m.

    Returns
    -------
    AgentSpec
        People in ``counts`` order, ``area_id`` set.

    Raises
    ------
    InvalidInputError
        If an area is unknown (the message lists them), holds more people than fit, or cannot be
        filled without overlap.
    """
    gen = np.random.default_rng(rng)
    sampler = speed_sampler if speed_sampler is not None else default_speed_sampler
    placed_by_level: dict[str, NDArray[np.float64]] = {}
    largest_radius: dict[str, float] = {}
    parts = []
    for area_id, count in counts.items():
        if area_id not in layout.spawn_areas:
            raise InvalidInputError(
                f"spawn area {area_id!r} does not exist; known rooms and zones: "
                + f"{sorted(layout.spawn_areas)}"
            )
        area = layout.spawn_areas[area_id]
        k = int(count)
        if k == 0:
            continue
        occupied = placed_by_level.get(area.level_key)
        radii = (
            np.full(k, float(radius_m)) if not callable(radius_m) else np.asarray(radius_m(k, gen))
        )
        r_max = float(radii.max())
        label = f"{area.kind} {area_id!r}" if area.kind != "area" else f"area {area_id!r}"
        pos = spawn_positions(
            area.region,
            k,
            radius_m=r_max,
            rng=gen,
            occupied_m=occupied,
            occupied_radius_m=max(r_max, largest_radius.get(area.level_key, 0.0)),
            name=label,
        )
        largest_radius[area.level_key] = max(r_max, largest_radius.get(area.level_key, 0.0))
        placed_by_level[area.level_key] = (
            pos if occupied is None else np.concatenate([occupied, pos])
        )
        dist = _distribution_for(pre_movement, area_id, area.kind)
        parts.append(
            AgentSpec.create(
                pos,
                level=area.level_key,
                desired_speed_m_s=sampler(k, gen),
                radius_m=radii,
                pre_movement_s=dist.sample(k, gen),
                area_id=area_id,
            )
        )
    return AgentSpec.concatenate(parts)


def population_from_layout(
    layout: EvacuationLayout,
    shift_id: str | None,
    *,
    rng: np.random.Generator | int | None,
    pre_movement: PreMovementDistribution
    | Mapping[str, PreMovementDistribution] = DEFAULT_PRE_MOVEMENT,
    speed_sampler: Sampler | None = None,
    radius_m: float | Sampler = DEFAULT_BODY_RADIUS_M,
) -> AgentSpec:
    """Spawn the occupancy of every room and zone of a site layout on one shift.

    Parameters
    ----------
    layout : EvacuationLayout
        Layout built with :meth:`EvacuationLayout.from_site` (rooms and zones with occupancy).
    shift_id : str or None
        Shift whose occupancy to use; None takes each area's first listed shift.
    rng, pre_movement, speed_sampler, radius_m
        As in :func:`spawn_agents`.

    Returns
    -------
    AgentSpec

    Raises
    ------
    InvalidInputError
        As :func:`spawn_agents`.
    """
    counts = {a.id: a.people(shift_id) for a in layout.spawn_areas.values()}
    return spawn_agents(
        layout,
        counts,
        rng=rng,
        pre_movement=pre_movement,
        speed_sampler=speed_sampler,
        radius_m=radius_m,
    )
