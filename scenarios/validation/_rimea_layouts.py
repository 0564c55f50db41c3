"""Geometries, crowds and measuring devices of the RiMEA verification tests.

The RiMEA guideline (RiMEA e.V., *Richtlinie für Mikroskopische Entfluchtungsanalysen /
Guideline for Microscopic Evacuation Analysis*, version 4.1.1 of 11 September 2025, Annex 1)
lists sixteen tests. This module builds each test's rooms from plain shapely polygons (no site
file), places its people and provides what the evacuation model does not offer by itself:

- measuring lines and areas (:class:`LineCrossings`, :class:`AreaSampler`), a log of stair use
  and of density and speed on each stair (:class:`StairLog`), and a stepping loop that calls
  them (:func:`simulate`), stopping early on a jam that does not clear;
- positions on a regular lattice (:func:`lattice_positions`), for densities above what random
  placement reaches;
- walking speeds of an adult population after the guideline's age-speed figure
  (:func:`adult_speeds_m_s`);
- a periodic corridor (:func:`periodic_corridor_speeds`) for the fundamental diagrams of tests 4
  and 16: the model's movement kernel with its default parameters, the corridor closed into a loop
  by copies of the people near each end.

Dimensions follow the guideline; where its figures are not dimensioned, the geometry of the
JuPedSim RiMEA test suite (which implements the same figures) is used and the function says so.
Several tests run their variants side by side in one layout (separate rooms, their own exits):
the runs do not interact, and one simulation costs less than several.

References
----------
.. [1] RiMEA e.V. (2025). RiMEA - Guideline for Microscopic Evacuation Analysis, version 4.1.1,
   Annex 1 "Provisional instructions for the validation / verification of simulation programs",
   tests 1-16.
.. [2] Weidmann, U. (1993). Transporttechnik der Fussgänger. Schriftenreihe des IVT Nr. 90,
   ETH Zürich (walking speed against age, after which the guideline's age-speed figure is drawn).
.. [3] JuPedSim contributors, RiMEA test geometries of the jpscore test suite
   (``Utest/rimea_tests/test_*/geometry.xml``), GitHub PedestrianDynamics/jupedsim.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.affinity import scale as scale_geometry
from shapely.geometry import MultiPolygon, Polygon, box

from scenarios.evacuation.layout import EvacuationLayout, StairSpec
from scenarios.evacuation.model import AgentState, EvacuationModel
from scenarios.evacuation.population import AgentSpec, spawn_positions
from solvers.errors import InvalidInputError
from solvers.pedestrian import collision_free_speed, walking_speed
from solvers.pedestrian.collision_free_speed import CollisionFreeSpeedParameters, NeighbourList
from solvers.pedestrian.walls import walls_from_segments

__all__ = [
    "ADULT_AGE_RANGE_YEARS",
    "BODY_RADIUS_M",
    "DT_S",
    "AreaSampler",
    "LineCrossings",
    "PeriodicCorridorResult",
    "RimeaSetup",
    "StairLog",
    "adult_speeds_m_s",
    "bottleneck_test_12",
    "building_test_8",
    "corner_test_6",
    "corridor_test_1",
    "demographic_test_7",
    "escape_routes_test_10",
    "large_corner_test_15",
    "lattice_positions",
    "periodic_corridor_speeds",
    "premovement_test_5",
    "public_room_test_9",
    "route_choice_test_11",
    "route_choice_test_14",
    "simulate",
    "stair_congestion_test_13",
    "stair_speed_tests_2_3",
]

#: Time step of every run, s: the model's documented default (JuPedSim's).
DT_S = collision_free_speed.DEFAULT_DT_S

#: Body radius of everyone, m: the model's default; the guideline's test 1 assumes a body
#: dimension of 40 cm.
BODY_RADIUS_M = collision_free_speed.DEFAULT_RADIUS_M

#: Ages of an adult population, years, drawn uniformly: adults on the guideline's age-speed figure
#: (its curve spans 10-80 years; "adult" read as 20-80).
ADULT_AGE_RANGE_YEARS = (20.0, 80.0)

#: Gap between people placed on a lattice, beyond touching, m.
_LATTICE_CLEARANCE_M = 0.02

#: Thickness of inner walls drawn as gaps between rooms, m.
_WALL_M = 0.1

#: Stair pitch used where the guideline gives none: riser 0.17 m over tread 0.29 m (about 30°).
_STAIR_RISER_M = 0.17
_STAIR_TREAD_M = 0.29


@dataclass(frozen=True, kw_only=True, eq=False)
class RimeaSetup:
    """One RiMEA test (or several of its variants side by side): layout, people, measuring devices.

    Attributes
    ----------
    layout : EvacuationLayout
        Levels, exits and stairs.
    agents : AgentSpec
        The people.
    groups : Mapping[str, (k,) int]
        Rows of ``agents`` by variant or group name.
    lines : Mapping[str, (2, 2) float]
        Measuring lines by name, m.
    areas : Mapping[str, Polygon]
        Measuring areas by name, m.
    numbers : Mapping[str, float]
        Set values of the test worth reporting (walking length, speed, ...), by name.
    """

    layout: EvacuationLayout
    agents: AgentSpec
    groups: Mapping[str, NDArray[np.intp]] = field(default_factory=dict)
    lines: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)
    areas: Mapping[str, Polygon] = field(default_factory=dict)
    numbers: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", MappingProxyType(dict(self.groups)))
        object.__setattr__(self, "lines", MappingProxyType(dict(self.lines)))
        object.__setattr__(self, "areas", MappingProxyType(dict(self.areas)))
        object.__setattr__(self, "numbers", MappingProxyType(dict(self.numbers)))

    def model(self, **kwargs: object) -> EvacuationModel:
        """Return a fresh evacuation model of this setup (seed 0, no trajectories by default)."""
        options: dict[str, object] = {"rng": 0, "trajectory_interval_s": None}
        options.update(kwargs)
        return EvacuationModel(self.layout, self.agents, **options)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- placement


def lattice_positions(
    region: Polygon | MultiPolygon,
    n: int,
    *,
    rng: np.random.Generator,
    radius_m: float = BODY_RADIUS_M,
) -> NDArray[np.float64]:
    """Place ``n`` bodies on a triangular lattice inside a region, a radius clear of its edges.

    The lattice spacing starts at the one that fills the region exactly and shrinks by 1 % until
    ``n`` sites fit; ``n`` of the sites are then chosen at random. Reaches densities random
    placement cannot (up to about 6 persons/m^2 at a radius of 0.2 m).

    Parameters
    ----------
    region : Polygon or MultiPolygon
        Area to fill, m.
    n : int
        Number of bodies, >= 0.
    rng : numpy Generator
        Chooses the sites.
    radius_m : float
        Body radius, m.

    Returns
    -------
    (n, 2) float
        Centres, m, in lattice order.

    Raises
    ------
    InvalidInputError
        If ``n`` bodies do not fit without touching.
    """
    if n <= 0:
        return np.zeros((0, 2))
    inner = region.buffer(-radius_m - 1e-6)
    shapely.prepare(inner)
    min_spacing = 2.0 * radius_m + _LATTICE_CLEARANCE_M
    spacing = math.sqrt(2.0 * float(inner.area) / (math.sqrt(3.0) * n))
    xmin, ymin, xmax, ymax = inner.bounds
    while spacing >= min_spacing:
        dy = spacing * math.sqrt(3.0) / 2.0
        rows = np.arange(ymin, ymax + 1e-9, dy)
        cols = np.arange(xmin, xmax + spacing, spacing)
        xx, yy = np.meshgrid(cols, rows)
        xx = xx + 0.5 * spacing * (np.arange(len(rows)) % 2)[:, None]
        pts = np.column_stack([xx.ravel(), yy.ravel()])
        pts = pts[shapely.contains_xy(inner, pts[:, 0], pts[:, 1])]
        if len(pts) >= n:
            keep = np.sort(rng.choice(len(pts), size=n, replace=False))
            return np.asarray(pts[keep], dtype=np.float64)
        spacing *= 0.99
    raise InvalidInputError(
        f"{n} bodies of radius {radius_m:g} m do not fit on a lattice in {region.area:.1f} m2"
    )


def adult_speeds_m_s(n: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Draw free walking speeds of ``n`` adults after the guideline's age-speed figure, m/s.

    Ages uniform in :data:`ADULT_AGE_RANGE_YEARS`; speeds normal about the figure's mean at that
    age (:func:`solvers.pedestrian.walking_speed.sample_free_speeds_by_age_m_s`).
    """
    ages = rng.uniform(*ADULT_AGE_RANGE_YEARS, size=n)
    return np.asarray(walking_speed.sample_free_speeds_by_age_m_s(ages, rng), dtype=np.float64)


def _translated(points_m: NDArray[np.float64], dx_m: float, dy_m: float) -> NDArray[np.float64]:
    return np.asarray(points_m + np.array([dx_m, dy_m]), dtype=np.float64)


def _segment(x0: float, y0: float, x1: float, y1: float) -> NDArray[np.float64]:
    return np.array([[x0, y0], [x1, y1]], dtype=np.float64)


def _groups(sizes: Mapping[str, int]) -> dict[str, NDArray[np.intp]]:
    out: dict[str, NDArray[np.intp]] = {}
    start = 0
    for name, size in sizes.items():
        out[name] = np.arange(start, start + size, dtype=np.intp)
        start += size
    return out


# ---------------------------------------------------------------------------- measurement


class LineCrossings:
    """First time each person's centre crosses a measuring line (linear interpolation in time).

    Parameters
    ----------
    line_m : (2, 2) float
        The line, m; a crossing counts within its length (plus a body radius).
    n : int
        Number of people.
    """

    def __init__(self, line_m: ArrayLike, n: int) -> None:
        seg = np.asarray(line_m, dtype=np.float64)
        self._a = seg[0]
        d = seg[1] - seg[0]
        self._length = float(np.hypot(*d))
        self._t = d / self._length
        self._normal = np.array([-self._t[1], self._t[0]])
        self.time_s = np.full(n, np.inf)
        self._side: NDArray[np.float64] | None = None
        self._time = 0.0

    def observe(self, model: EvacuationModel) -> None:
        """Record crossings since the previous call."""
        rel = model.positions_m - self._a
        side = rel @ self._normal
        along = rel @ self._t
        t = model.time_s
        if self._side is not None:
            flipped = (np.sign(side) != np.sign(self._side)) & (self._side != 0.0)
            within = (along >= -BODY_RADIUS_M) & (along <= self._length + BODY_RADIUS_M)
            new = flipped & within & ~np.isfinite(self.time_s)
            if new.any():
                frac = self._side[new] / (self._side[new] - side[new])
                self.time_s[new] = self._time + frac * (t - self._time)
        self._side = side
        self._time = t

    def flow_p_s(self, rows: NDArray[np.intp] | None = None) -> float:
        """Mean flow over the line between its first and last crossing, persons/s."""
        t = np.sort(self.time_s if rows is None else self.time_s[rows])
        t = t[np.isfinite(t)]
        if len(t) < 2 or t[-1] <= t[0]:
            return 0.0
        return float((len(t) - 1) / (t[-1] - t[0]))


class AreaSampler:
    """Count and mean speed of the people inside a measuring area at each observation.

    Parameters
    ----------
    area : Polygon
        Measuring area, m.
    rows : (k,) int, optional
        People taken into account; all when None.
    level : int, optional
        Level index the area is on (people on stairs never count); any level when None.
    """

    def __init__(
        self, area: Polygon, rows: NDArray[np.intp] | None = None, level: int | None = None
    ) -> None:
        self.area = area
        self.area_m2 = float(area.area)
        shapely.prepare(area)
        self._rows = rows
        self._level = level
        self.time_s: list[float] = []
        self.count: list[int] = []
        self.mean_speed_m_s: list[float] = []

    def observe(self, model: EvacuationModel) -> None:
        """Record one sample."""
        rows = np.arange(model.n) if self._rows is None else self._rows
        live = (model.state[rows] == AgentState.MOVING) | (model.state[rows] == AgentState.WAITING)
        if self._level is not None:
            live &= model.level[rows] == self._level
        rows = rows[live]
        pos = model.positions_m[rows]
        inside = rows[shapely.contains_xy(self.area, pos[:, 0], pos[:, 1])]
        self.time_s.append(model.time_s)
        self.count.append(len(inside))
        speed = np.hypot(*model.velocities_m_s[inside].T) if len(inside) else np.zeros(0)
        self.mean_speed_m_s.append(float(speed.mean()) if len(inside) else math.nan)

    @property
    def density_1_m2(self) -> NDArray[np.float64]:
        """Density at each sample, persons/m^2."""
        return np.asarray(self.count, dtype=np.float64) / self.area_m2


class StairLog:
    """When each person stepped onto and off a stair, and density and speed on each stair lane.

    Parameters
    ----------
    n : int
        Number of people.
    """

    def __init__(self, n: int) -> None:
        self.on_s = np.full(n, np.inf)
        self.off_s = np.full(n, np.inf)
        self.stair = np.full(n, -1, dtype=np.intp)
        #: (lane index, persons/m^2 along the slope, count, mean speed m/s) per sample
        self.lane_samples: list[tuple[int, float, int, float]] = []
        self._was_on = np.zeros(n, dtype=bool)
        self._last: NDArray[np.float64] | None = None
        self._last_t = 0.0

    def observe(self, model: EvacuationModel) -> None:
        """Record stair entries and exits since the previous call, and one lane sample."""
        on = model.state == AgentState.ON_STAIRS
        t = model.time_s
        start = on & ~self._was_on & ~np.isfinite(self.on_s)
        self.on_s[start] = t
        self.stair[start] = model.stair[start]
        stop = ~on & self._was_on & ~np.isfinite(self.off_s)
        self.off_s[stop] = t
        local = model.stair_local_m.copy()
        if self._last is not None and t > self._last_t:
            speed = np.hypot(*(local - self._last).T) / (t - self._last_t)
            for lane in model.lanes:
                rows = np.flatnonzero(on & self._was_on & (model.stair == lane.index))
                if len(rows):
                    density = len(rows) / (lane.length_m * lane.width_m)
                    self.lane_samples.append(
                        (lane.index, density, len(rows), float(speed[rows].mean()))
                    )
        self._was_on = on
        self._last = local
        self._last_t = t


def simulate(
    model: EvacuationModel,
    *,
    max_time_s: float,
    observers: Sequence[Callable[[EvacuationModel], None]] = (),
    every_s: float = 0.1,
    stall_s: float = 20.0,
    dt_s: float = DT_S,
) -> float:
    """Step a model until nobody is left inside, calling observers.

    Stops early when, after the first person has left, nobody has left for ``stall_s`` while
    nobody is still waiting to start (a jam that does not clear, e.g. bodies wedged in a door):
    the people left inside then show up as not evacuated.

    Parameters
    ----------
    model : EvacuationModel
        The model, at time 0.
    max_time_s : float
        Latest stop, s.
    observers : sequence of callables
        Each called with the model at time 0 and about every ``every_s``.
    every_s : float
        Observation interval, s (rounded to whole steps).
    stall_s : float
        Time without anyone leaving (after the first) after which a jam is declared, s.
    dt_s : float
        Time step, s.

    Returns
    -------
    float
        Time reached, s.
    """
    every = max(1, round(every_s / dt_s))
    for observe in observers:
        observe(model)
    step = 0
    first_active = last_active = model.n_active
    last_change_s = model.time_s
    while model.n_active > 0 and model.time_s < max_time_s - 1e-9:
        model.advance(dt_s)
        step += 1
        if step % every == 0 or model.n_active == 0:
            for observe in observers:
                observe(model)
        if model.n_active != last_active:
            last_active = model.n_active
            last_change_s = model.time_s
        elif (
            last_active < first_active
            and model.time_s - last_change_s > stall_s
            and not np.any(model.state == AgentState.WAITING)
        ):
            break
    return float(model.time_s)


# ------------------------------------------------------------------------ A 2: components

#: Test 1: corridor length and width, m, walking speed, m/s, and the guideline's travel-time
#: window, s (RiMEA 4.1.1, Annex 1, test 1).
CORRIDOR_LENGTH_M = 40.0
CORRIDOR_WIDTH_M = 2.0
CORRIDOR_SPEED_M_S = 1.33
CORRIDOR_TIME_WINDOW_S = (26.0, 34.0)

#: Run-up behind the start line of test 1, m: the person starts walking before the 40 m are timed.
_RUN_UP_M = 1.0


def corridor_test_1() -> RimeaSetup:
    """Test 1: one person walks a 2 m x 40 m corridor at 1.33 m/s.

    The corridor is timed between a start line and the exit 40 m further; the person starts
    half a metre behind the start line (a 1 m run-up, as in JuPedSim's implementation).

    Returns
    -------
    RimeaSetup
        Line ``"start"`` at x = 0 and line ``"end"`` at x = 40 m (the exit).
    """
    walkable = box(-_RUN_UP_M, 0.0, CORRIDOR_LENGTH_M, CORRIDOR_WIDTH_M)
    layout = EvacuationLayout.from_polygons(
        walkable, {"end": _segment(CORRIDOR_LENGTH_M, 0.0, CORRIDOR_LENGTH_M, CORRIDOR_WIDTH_M)}
    )
    agents = AgentSpec.create(
        [[-0.5 * _RUN_UP_M, 0.5 * CORRIDOR_WIDTH_M]], desired_speed_m_s=CORRIDOR_SPEED_M_S
    )
    return RimeaSetup(
        layout=layout,
        agents=agents,
        lines={
            "start": _segment(0.0, 0.0, 0.0, CORRIDOR_WIDTH_M),
            "end": _segment(CORRIDOR_LENGTH_M, 0.0, CORRIDOR_LENGTH_M, CORRIDOR_WIDTH_M),
        },
        numbers={"length_m": CORRIDOR_LENGTH_M, "speed_m_s": CORRIDOR_SPEED_M_S},
    )


#: Tests 2 and 3: stair length along the slope and width, m (RiMEA 4.1.1, Annex 1, tests 2-3).
STAIR_SLOPE_LENGTH_M = 10.0
STAIR_WIDTH_M = 2.0


def stair_speed_tests_2_3(speed_m_s: float = CORRIDOR_SPEED_M_S) -> RimeaSetup:
    """Test 2 and 3: one person up and one person down a 2 m wide stair, 10 m along the slope.

    Both runs sit side by side in one layout: level ``"L0"`` (ground) and ``"L1"`` (the stairs'
    rise higher), a 4 m approach before each stair and a 4 m landing with an exit after it. The
    pitch (riser 0.17 m over tread 0.29 m, about 30°) is not given by the guideline.

    Parameters
    ----------
    speed_m_s : float
        Free walking speed on the flat, m/s; the model walks stairs at a fixed fraction of it.

    Returns
    -------
    RimeaSetup
        Groups ``"up"`` and ``"down"`` (one person each); numbers ``length_m``, ``rise_m``.
    """
    angle = math.atan2(_STAIR_RISER_M, _STAIR_TREAD_M)
    run = STAIR_SLOPE_LENGTH_M * math.cos(angle)
    rise = STAIR_SLOPE_LENGTH_M * math.sin(angle)
    w = STAIR_WIDTH_M
    approach = 4.0
    far = approach + run
    dy = w + 4.0
    walkable = {
        "L0": MultiPolygon([box(0.0, 0.0, approach, w), box(far, dy, far + approach, dy + w)]),
        "L1": MultiPolygon([box(far, 0.0, far + approach, w), box(0.0, dy, approach, dy + w)]),
    }
    exits = [
        ("up-exit", "L1", _segment(far + approach, 0.0, far + approach, w)),
        ("down-exit", "L0", _segment(far + approach, dy, far + approach, dy + w)),
    ]
    stairs = [
        StairSpec(
            id="up",
            lower_key="L0",
            upper_key="L1",
            bottom_m=_segment(approach, 0.0, approach, w),
            top_m=_segment(far, 0.0, far, w),
            width_m=w,
            length_m=run,
            rise_m=rise,
        ),
        StairSpec(
            id="down",
            lower_key="L0",
            upper_key="L1",
            bottom_m=_segment(far, dy, far, dy + w),
            top_m=_segment(approach, dy, approach, dy + w),
            width_m=w,
            length_m=run,
            rise_m=rise,
        ),
    ]
    layout = EvacuationLayout.from_polygons(
        walkable, exits, elevations_m={"L0": 0.0, "L1": rise}, stairs=stairs
    )
    agents = AgentSpec.create(
        [[1.0, 0.5 * w], [1.0, dy + 0.5 * w]],
        level=["L0", "L1"],
        desired_speed_m_s=speed_m_s,
    )
    return RimeaSetup(
        layout=layout,
        agents=agents,
        groups={"up": np.array([0]), "down": np.array([1])},
        numbers={"length_m": STAIR_SLOPE_LENGTH_M, "rise_m": rise, "speed_m_s": speed_m_s},
    )


#: Test 5: room, exit width, people and pre-movement range (RiMEA 4.1.1, Annex 1, test 5).
PREMOVEMENT_ROOM_M = (8.0, 5.0)
PREMOVEMENT_EXIT_WIDTH_M = 1.0
PREMOVEMENT_PEOPLE = 10
PREMOVEMENT_RANGE_S = (10.0, 100.0)


def premovement_test_5(rng: np.random.Generator) -> RimeaSetup:
    """Test 5: ten people in an 8 m x 5 m room, pre-movement times uniform in 10-100 s.

    The 1 m exit is centred on one 5 m wall; people stand on a 5 x 2 grid 1 m apart in the room.

    Parameters
    ----------
    rng : numpy Generator
        Draws the pre-movement times.

    Returns
    -------
    RimeaSetup
    """
    length, width = PREMOVEMENT_ROOM_M
    half = 0.5 * PREMOVEMENT_EXIT_WIDTH_M
    layout = EvacuationLayout.from_polygons(
        box(0.0, 0.0, length, width),
        {"exit": _segment(length, 0.5 * width - half, length, 0.5 * width + half)},
    )
    xs = np.arange(1.0, 6.0)
    pos = np.array([[x, y] for y in (1.5, 3.5) for x in xs])
    pre = rng.uniform(*PREMOVEMENT_RANGE_S, size=PREMOVEMENT_PEOPLE)
    agents = AgentSpec.create(pos, desired_speed_m_s=CORRIDOR_SPEED_M_S, pre_movement_s=pre)
    return RimeaSetup(layout=layout, agents=agents)


#: Test 6: people, corridor width and arm length (RiMEA 4.1.1, Annex 1, test 6 and its figure;
#: JuPedSim: arms 12 m along the outer wall, 2 m wide, start area the first 6 m).
CORNER_PEOPLE = 20
CORNER_WIDTH_M = 2.0
CORNER_ARM_M = 12.0
CORNER_START_M = 6.0


def corner_test_6(rng: np.random.Generator) -> RimeaSetup:
    """Test 6: twenty people walk round a left-hand corner of a 2 m wide corridor.

    Parameters
    ----------
    rng : numpy Generator
        Places the people at random in the first 6 m.

    Returns
    -------
    RimeaSetup
        Area ``"corridor"`` (the walkable L).
    """
    a, w = CORNER_ARM_M, CORNER_WIDTH_M
    walkable = Polygon([(0, 0), (a, 0), (a, a), (a - w, a), (a - w, w), (0, w)])
    layout = EvacuationLayout.from_polygons(walkable, {"exit": _segment(a - w, a, a, a)})
    pos = spawn_positions(
        box(0, 0, CORNER_START_M, w), CORNER_PEOPLE, radius_m=BODY_RADIUS_M, rng=rng
    )
    agents = AgentSpec.create(pos, desired_speed_m_s=adult_speeds_m_s(CORNER_PEOPLE, rng))
    return RimeaSetup(layout=layout, agents=agents, areas={"corridor": walkable})


#: Test 7: number of adults (RiMEA 4.1.1, Annex 1, test 7).
DEMOGRAPHIC_PEOPLE = 50

#: Test 7 hall: lane pitch across, walking length and the two timing lines, m.
_LANE_PITCH_M = 1.0
_HALL_LENGTH_M = 30.0
_TIMING_LINES_M = (10.0, 25.0)


def demographic_test_7(rng: np.random.Generator) -> RimeaSetup:
    """Test 7: fifty adults with walking speeds after the guideline's age-speed figure.

    Each person walks alone in a lane 1 m from the next across a 30 m hall (the far wall is the
    exit), so the realised speed between two lines 15 m apart is the free walking speed.

    Parameters
    ----------
    rng : numpy Generator
        Draws ages and speeds.

    Returns
    -------
    RimeaSetup
        Lines ``"t0"`` and ``"t1"``; numbers ``timed_length_m``.
    """
    height = DEMOGRAPHIC_PEOPLE * _LANE_PITCH_M
    layout = EvacuationLayout.from_polygons(
        box(0.0, 0.0, _HALL_LENGTH_M, height),
        {"exit": _segment(_HALL_LENGTH_M, 0.0, _HALL_LENGTH_M, height)},
    )
    y = (np.arange(DEMOGRAPHIC_PEOPLE) + 0.5) * _LANE_PITCH_M
    pos = np.column_stack([np.full(DEMOGRAPHIC_PEOPLE, 1.0), y])
    agents = AgentSpec.create(pos, desired_speed_m_s=adult_speeds_m_s(DEMOGRAPHIC_PEOPLE, rng))
    x0, x1 = _TIMING_LINES_M
    return RimeaSetup(
        layout=layout,
        agents=agents,
        lines={"t0": _segment(x0, 0.0, x0, height), "t1": _segment(x1, 0.0, x1, height)},
        numbers={"timed_length_m": x1 - x0},
    )


# --------------------------------------------------------------- A 3: functional verification

#: Test 8: walking speeds of the guideline's example parameter series, m/s (RiMEA 4.1.1, test 8).
PARAMETER_SPEEDS_M_S = (0.5, 0.75, 1.0)

#: Test 8 building: storey height, m; room size (2 m x 3 m) and door width, m; people per room.
_STOREY_M = 3.5
_ROOM_M = (2.0, 3.0)
_ROOM_DOOR_M = 1.0
_PEOPLE_PER_ROOM = 4
_HALL_M = 4.0
_STAIR_RUN_M = 5.0


def _storey(rooms_per_side: int, y0: float) -> tuple[Polygon | MultiPolygon, float]:
    """One storey: a 2 m corridor with rooms both sides and a stair hall at its east end."""
    rw, rd = _ROOM_M
    t = _WALL_M
    length = rooms_per_side * rw
    parts: list[Polygon] = [box(0.0, y0 + rd, length, y0 + rd + 2.0)]
    for i in range(rooms_per_side):
        x0, x1 = i * rw + 0.5 * t, (i + 1) * rw - 0.5 * t
        cx = 0.5 * (x0 + x1)
        door = (cx - 0.5 * _ROOM_DOOR_M, cx + 0.5 * _ROOM_DOOR_M)
        parts += [
            box(x0, y0, x1, y0 + rd - t),
            box(door[0], y0 + rd - t, door[1], y0 + rd),
            box(x0, y0 + rd + 2.0 + t, x1, y0 + 2.0 * rd + 2.0),
            box(door[0], y0 + rd + 2.0, door[1], y0 + rd + 2.0 + t),
        ]
    parts.append(box(length, y0, length + _HALL_M, y0 + 2.0 * rd + 2.0))
    return shapely.union_all(parts), length + _HALL_M


def _room_people(rooms_per_side: int, y0: float) -> NDArray[np.float64]:
    """Four people in each room of a storey, 0.9 m apart."""
    rw, rd = _ROOM_M
    out = []
    for i in range(rooms_per_side):
        cx = (i + 0.5) * rw
        for cy in (y0 + 0.5 * (rd - _WALL_M), y0 + rd + 2.0 + _WALL_M + 0.5 * (rd - _WALL_M)):
            out += [[cx + dx, cy + dy] for dx in (-0.45, 0.45) for dy in (-0.55, 0.55)]
    return np.array(out, dtype=np.float64)


def building_test_8(
    speeds_m_s: Sequence[float] = PARAMETER_SPEEDS_M_S, *, rooms_per_side: int = 10
) -> RimeaSetup:
    """Test 8: a three-storey building evacuated at each speed of a parameter series.

    A simplified reading of the guideline's test building: each storey is a 2 m wide corridor
    with 2 m x 3 m rooms on both sides (1 m doors, four people each) and a stair hall at its east
    end; a 2 m wide stair (5 m run, 3.5 m rise) leads from each hall to the one below, and the
    ground-floor hall has the exit. One building per speed, side by side, everyone in a building
    walking at that speed.

    Parameters
    ----------
    speeds_m_s : sequence of float
        Free walking speeds, m/s, one building each.
    rooms_per_side : int
        Rooms on each side of each corridor.

    Returns
    -------
    RimeaSetup
        Groups ``"v=<speed>"``; numbers ``people_per_building``.
    """
    rd = _ROOM_M[1]
    height = 2.0 * rd + 2.0
    keys = ("L0", "L1", "L2")
    floors: dict[str, list[Polygon | MultiPolygon]] = {k: [] for k in keys}
    exits = []
    stairs = []
    positions = []
    levels: list[str] = []
    speeds: list[float] = []
    sizes: dict[str, int] = {}
    for b, v in enumerate(speeds_m_s):
        y0 = b * (height + 6.0)
        count = 0
        for k in keys:
            plan, east = _storey(rooms_per_side, y0)
            floors[k].append(plan)
            people = _room_people(rooms_per_side, y0)
            positions.append(people)
            levels += [k] * len(people)
            count += len(people)
        down = _segment(east, y0 + 0.5, east, y0 + 2.5)
        up = _segment(east, y0 + height - 2.5, east, y0 + height - 0.5)
        exits.append((f"exit-{b}", "L0", down))
        for lower, upper in (("L0", "L1"), ("L1", "L2")):
            stairs.append(
                StairSpec(
                    id=f"stair-{b}-{upper}",
                    lower_key=lower,
                    upper_key=upper,
                    bottom_m=up,
                    top_m=down,
                    width_m=2.0,
                    length_m=_STAIR_RUN_M,
                    rise_m=_STOREY_M,
                )
            )
        speeds += [float(v)] * count
        sizes[f"v={v:g}"] = count
    walkable = {k: shapely.union_all(parts) for k, parts in floors.items()}
    layout = EvacuationLayout.from_polygons(
        walkable,
        exits,
        elevations_m={k: i * _STOREY_M for i, k in enumerate(keys)},
        stairs=stairs,
    )
    agents = AgentSpec.create(np.concatenate(positions), level=levels, desired_speed_m_s=speeds)
    return RimeaSetup(
        layout=layout,
        agents=agents,
        groups=_groups(sizes),
        numbers={"people_per_building": float(next(iter(sizes.values())))},
    )


# --------------------------------------------------------------- A 4: qualitative verification

#: Test 9: room side, m, people, door width, m, and door offset from the corners (centre), m
#: (RiMEA 4.1.1, Annex 1, test 9: a 20 m x 20 m room, 1000 people, four 1 m doors).
PUBLIC_ROOM_M = 20.0
PUBLIC_ROOM_PEOPLE = 1000
PUBLIC_DOOR_M = 1.0
PUBLIC_DOOR_OFFSET_M = 2.0


def public_room_test_9(
    rng: np.random.Generator,
    *,
    room_m: float = PUBLIC_ROOM_M,
    people: int = PUBLIC_ROOM_PEOPLE,
) -> RimeaSetup:
    """Test 9: a crowd leaves a square room through four doors, and again through two.

    Two identical rooms side by side with the same people (same places, same speeds): room A with
    four 1 m doors (two in the north wall, two in the south wall, centred 2 m from the corners),
    room B with the two north doors locked.

    Parameters
    ----------
    rng : numpy Generator
        Places the people (random, uniform) and draws adult walking speeds.
    room_m : float
        Side of the room, m.
    people : int
        People in each room.

    Returns
    -------
    RimeaSetup
        Groups ``"four doors"`` and ``"two doors"``.
    """
    s = room_m
    gap = 5.0
    h = 0.5 * PUBLIC_DOOR_M
    room = box(0.0, 0.0, s, s)
    pos = spawn_positions(room, people, radius_m=BODY_RADIUS_M, rng=rng)
    speeds = adult_speeds_m_s(people, rng)
    exits: dict[str, NDArray[np.float64]] = {}
    for name, dx, locked in (("A", 0.0, False), ("B", s + gap, True)):
        for k, xc in enumerate((PUBLIC_DOOR_OFFSET_M, s - PUBLIC_DOOR_OFFSET_M)):
            exits[f"{name}-south-{k}"] = _segment(dx + xc - h, 0.0, dx + xc + h, 0.0)
            if not locked:
                exits[f"{name}-north-{k}"] = _segment(dx + xc - h, s, dx + xc + h, s)
    walkable = MultiPolygon([room, box(s + gap, 0.0, 2.0 * s + gap, s)])
    layout = EvacuationLayout.from_polygons(walkable, exits)
    agents = AgentSpec.create(
        np.concatenate([pos, _translated(pos, s + gap, 0.0)]),
        desired_speed_m_s=np.concatenate([speeds, speeds]),
    )
    return RimeaSetup(
        layout=layout,
        agents=agents,
        groups=_groups({"four doors": people, "two doors": people}),
    )


#: Test 10: people per room 1-12 (room 3 is the narrow room beside the passage to the main exit)
#: and the rooms assigned the main exit (RiMEA 4.1.1, Annex 1, test 10 and its figure; room
#: layout after JuPedSim's implementation).
ESCAPE_PEOPLE_PER_ROOM = (2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2)
ESCAPE_MAIN_EXIT_ROOMS = frozenset({1, 2, 3, 4, 7, 8, 9, 10})

#: Test 10: room spans along the corridor, m (north rooms 1-6, south rooms 7-12) and door spans.
_NORTH_ROOMS_M = ((0.0, 3.0), (3.0, 6.0), (7.2, 9.0), (9.0, 12.0), (12.0, 15.0), (15.0, 18.0))
_SOUTH_ROOMS_M = ((0.0, 3.0), (3.0, 6.0), (6.0, 9.0), (9.0, 12.0), (12.0, 15.0), (15.0, 18.0))
_NORTH_DOORS_M = (1.05, 4.05, 7.65, 10.05, 13.05, 16.05)
_SOUTH_DOORS_M = (1.05, 4.05, 7.05, 10.05, 13.05, 16.05)
_DOOR_M = 0.9


def escape_routes_test_10() -> RimeaSetup:
    """Test 10: 23 people in twelve rooms along a 1 m corridor, each room assigned an exit.

    Rooms 3 m x 5 m (room 3: 1.8 m wide) open onto the corridor by 0.9 m doors; the main exit
    (1.2 m) tops the passage between rooms 2 and 3, the secondary exit closes the corridor's east
    end. Rooms 1-4 and 7-10 are assigned the main exit, rooms 5, 6, 11 and 12 the secondary one;
    for rooms 4 and 10 the secondary exit is the nearer one.

    Returns
    -------
    RimeaSetup
        Groups ``"room 1"`` ... ``"room 12"``; each person's ``exit_id`` is set.
    """
    t = _WALL_M
    parts: list[Polygon] = [box(0.0, 5.0, 18.0, 6.0), box(6.0, 6.0, 7.2, 11.0)]
    positions: list[list[float]] = []
    exit_ids: list[str] = []
    sizes: dict[str, int] = {}
    rooms = [(r, True) for r in _NORTH_ROOMS_M] + [(r, False) for r in _SOUTH_ROOMS_M]
    doors = _NORTH_DOORS_M + _SOUTH_DOORS_M
    for k, (((x0, x1), north), door) in enumerate(zip(rooms, doors, strict=True)):
        room_no = k + 1
        lo = x0 + (t if x0 in (7.2,) else 0.5 * t if x0 > 0 else 0.0)
        hi = x1 - (t if x1 == 6.0 and north else 0.5 * t if x1 < 18.0 else 0.0)
        if north:
            parts += [box(lo, 6.0 + t, hi, 11.0), box(door, 6.0, door + _DOOR_M, 6.0 + t)]
            cy = 8.5
        else:
            parts += [box(lo, 0.0, hi, 5.0 - t), box(door, 5.0 - t, door + _DOOR_M, 5.0)]
            cy = 2.5
        cx = 0.5 * (lo + hi)
        count = ESCAPE_PEOPLE_PER_ROOM[k]
        offsets = (0.0,) if count == 1 else (-0.6, 0.6)
        positions += [[cx + dx, cy] for dx in offsets]
        exit_id = "main" if room_no in ESCAPE_MAIN_EXIT_ROOMS else "secondary"
        exit_ids += [exit_id] * count
        sizes[f"room {room_no}"] = count
    walkable = shapely.union_all(parts)
    layout = EvacuationLayout.from_polygons(
        walkable,
        {"main": _segment(6.0, 11.0, 7.2, 11.0), "secondary": _segment(18.0, 5.0, 18.0, 6.0)},
    )
    agents = AgentSpec.create(positions, desired_speed_m_s=CORRIDOR_SPEED_M_S, exit_id=exit_ids)
    return RimeaSetup(layout=layout, agents=agents, groups=_groups(sizes))


#: Test 11: room, exits on its north wall (x spans), people and their area and density
#: (RiMEA 4.1.1, Annex 1, test 11 and its figure; dimensions after JuPedSim's implementation:
#: 1000 people packed in x 2-15 m, y 2-18 m, about 4.8 persons/m^2).
CHOICE_ROOM_M = (30.0, 20.0)
CHOICE_EXITS_M = {"exit 1": (21.0, 22.0), "exit 2": (27.0, 28.0)}
CHOICE_PEOPLE = 1000
CHOICE_DENSITY_1_M2 = CHOICE_PEOPLE / (13.0 * 16.0)


def route_choice_test_11(rng: np.random.Generator, *, people: int = CHOICE_PEOPLE) -> RimeaSetup:
    """Test 11: a crowd packed against the west wall of a room chooses between two exits.

    Parameters
    ----------
    rng : numpy Generator
        Picks the lattice sites and draws adult walking speeds.
    people : int
        Crowd size; the crowd keeps the guideline's density and grows east from x = 2 m.

    Returns
    -------
    RimeaSetup
    """
    length, width = CHOICE_ROOM_M
    exits = {k: _segment(x0, width, x1, width) for k, (x0, x1) in CHOICE_EXITS_M.items()}
    layout = EvacuationLayout.from_polygons(box(0.0, 0.0, length, width), exits)
    depth = people / (CHOICE_DENSITY_1_M2 * (width - 4.0))
    pos = lattice_positions(box(2.0, 2.0, 2.0 + depth, width - 2.0), people, rng=rng)
    agents = AgentSpec.create(pos, desired_speed_m_s=adult_speeds_m_s(people, rng))
    return RimeaSetup(layout=layout, agents=agents)


#: Test 12: room 1 side, m, people, bottleneck width and length, m, and the goal distances,
#: bottleneck lengths and widths varied by 12a, 12b and 12d (RiMEA 4.1.1, Annex 1, test 12).
BOTTLENECK_ROOM_M = 10.0
BOTTLENECK_PEOPLE = 150
BOTTLENECK_WIDTH_M = 1.0
BOTTLENECK_SHORT_M = 0.2
BOTTLENECK_LONG_M = 5.0
GOAL_DISTANCES_M = (0.0, 5.0, 10.0)
BOTTLENECK_WIDTHS_M = (0.8, 1.0, 1.2)


@dataclass(frozen=True, slots=True, kw_only=True)
class _BottleneckVariant:
    name: str
    width_m: float = BOTTLENECK_WIDTH_M
    length_m: float = BOTTLENECK_SHORT_M
    goal_m: float = GOAL_DISTANCES_M[-1]
    in_series: bool = False


def _bottleneck_variants() -> list[_BottleneckVariant]:
    out = [_BottleneckVariant(name=f"a={a:g}", goal_m=a) for a in GOAL_DISTANCES_M]
    out.append(_BottleneckVariant(name="long", length_m=BOTTLENECK_LONG_M))
    out += [
        _BottleneckVariant(name=f"w={w:g}", width_m=w)
        for w in BOTTLENECK_WIDTHS_M
        if w != BOTTLENECK_WIDTH_M
    ]
    out.append(_BottleneckVariant(name="series", in_series=True))
    return out


def bottleneck_test_12(rng: np.random.Generator, *, people: int = BOTTLENECK_PEOPLE) -> RimeaSetup:
    """Test 12 (12a-12d): people leave a 10 m x 10 m room through a bottleneck.

    Variants side by side, each with the same people (same places, same speeds):

    - ``"a=0"``, ``"a=5"``, ``"a=10"`` (12a): a 1 m wide, 0.2 m long bottleneck (a door in a
      thick wall) into a second room whose far wall, ``a`` metres on, is the goal (``a = 0``: the
      bottleneck's end is the goal); ``"a=10"`` is also the short bottleneck of 12b and the 1 m
      width of 12d;
    - ``"long"`` (12b): the bottleneck 5 m long;
    - ``"w=0.8"``, ``"w=1.2"`` (12d): other widths;
    - ``"series"`` (12c): room 1, bottleneck, a second 10 m x 10 m room, a second identical
      bottleneck and a third room 5 m deep whose far wall is the goal.

    Parameters
    ----------
    rng : numpy Generator
        Places the people in room 1 (uniform, clear of the last metre before the bottleneck) and
        draws adult walking speeds.
    people : int
        People in room 1 of each variant.

    Returns
    -------
    RimeaSetup
        Groups by variant; lines ``"<variant> in"`` and ``"<variant> out"`` at each bottleneck's
        two ends (``"series in 2"``, ``"series out 2"`` for the second one); areas
        ``"series before 1"`` and ``"series before 2"``: 2 m x 2 m in front of each bottleneck.
    """
    s = BOTTLENECK_ROOM_M
    mid = 0.5 * s
    pos = spawn_positions(box(0.0, 0.0, s - 1.0, s), people, radius_m=BODY_RADIUS_M, rng=rng)
    speeds = adult_speeds_m_s(people, rng)
    parts: list[Polygon] = []
    exits: dict[str, NDArray[np.float64]] = {}
    lines: dict[str, NDArray[np.float64]] = {}
    areas: dict[str, Polygon] = {}
    all_pos = []
    variants = _bottleneck_variants()
    for k, v in enumerate(variants):
        y0 = k * (s + 5.0)
        h = 0.5 * v.width_m
        x_in, x_out = s, s + v.length_m
        parts += [box(0.0, y0, s, y0 + s), box(x_in, y0 + mid - h, x_out, y0 + mid + h)]
        lines[f"{v.name} in"] = _segment(x_in, y0 + mid - h, x_in, y0 + mid + h)
        lines[f"{v.name} out"] = _segment(x_out, y0 + mid - h, x_out, y0 + mid + h)
        if v.in_series:
            x2_in = x_out + s
            x2_out = x2_in + v.length_m
            parts += [
                box(x_out, y0, x2_in, y0 + s),
                box(x2_in, y0 + mid - h, x2_out, y0 + mid + h),
                box(x2_out, y0, x2_out + 5.0, y0 + s),
            ]
            lines[f"{v.name} in 2"] = _segment(x2_in, y0 + mid - h, x2_in, y0 + mid + h)
            lines[f"{v.name} out 2"] = _segment(x2_out, y0 + mid - h, x2_out, y0 + mid + h)
            exits[v.name] = _segment(x2_out + 5.0, y0, x2_out + 5.0, y0 + s)
            areas[f"{v.name} before 1"] = box(x_in - 2.0, y0 + mid - 1.0, x_in, y0 + mid + 1.0)
            areas[f"{v.name} before 2"] = box(x2_in - 2.0, y0 + mid - 1.0, x2_in, y0 + mid + 1.0)
        elif v.goal_m > 0.0:
            parts.append(box(x_out, y0, x_out + v.goal_m, y0 + s))
            exits[v.name] = _segment(x_out + v.goal_m, y0, x_out + v.goal_m, y0 + s)
        else:
            exits[v.name] = _segment(x_out, y0 + mid - h, x_out, y0 + mid + h)
        all_pos.append(_translated(pos, 0.0, y0))
    walkable = shapely.union_all(parts)
    layout = EvacuationLayout.from_polygons(walkable, exits)
    agents = AgentSpec.create(
        np.concatenate(all_pos), desired_speed_m_s=np.tile(speeds, len(variants))
    )
    return RimeaSetup(
        layout=layout,
        agents=agents,
        groups=_groups({v.name: people for v in variants}),
        lines=lines,
        areas=areas,
    )


#: Test 13: room side, m, people, stair run and width, m, and the level approach before and
#: departure after the stair, m (RiMEA 4.1.1, Annex 1, test 13).
STAIR_ROOM_M = 10.0
STAIR_PEOPLE = 100
STAIR_RUN_M = 5.0
STAIR_CROWD_WIDTH_M = 2.0
STAIR_APPROACH_M = 2.0


def stair_congestion_test_13(rng: np.random.Generator, *, people: int = STAIR_PEOPLE) -> RimeaSetup:
    """Test 13: a crowd leaves a room over a stair, once climbing and once descending.

    The room's 2 m door opens onto a 2 m approach, then a 2 m wide stair with a 5 m run (pitch
    0.17/0.29), a 2 m landing and the exit. Both directions side by side with the same people.

    Parameters
    ----------
    rng : numpy Generator
        Places the people (uniform in the room) and draws adult walking speeds.
    people : int
        People in each room.

    Returns
    -------
    RimeaSetup
        Groups ``"up"`` and ``"down"``; areas ``"up before"`` / ``"down before"`` (the 2 m x 2 m
        approach in front of each stair) and ``"up room"`` / ``"down room"`` (the 2 m x 2 m in
        front of each room's door).
    """
    s = STAIR_ROOM_M
    w = STAIR_CROWD_WIDTH_M
    rise = STAIR_RUN_M * _STAIR_RISER_M / _STAIR_TREAD_M
    pos = spawn_positions(box(0.0, 0.0, s, s), people, radius_m=BODY_RADIUS_M, rng=rng)
    speeds = adult_speeds_m_s(people, rng)
    mid = 0.5 * s
    x_stair = s + STAIR_APPROACH_M
    x_top = x_stair + STAIR_RUN_M
    x_exit = x_top + STAIR_APPROACH_M
    dy = s + 5.0
    room_up = shapely.union_all([box(0, 0, s, s), box(s, mid - 0.5 * w, x_stair, mid + 0.5 * w)])
    room_down = shapely.union_all(
        [box(0, dy, s, dy + s), box(s, dy + mid - 0.5 * w, x_stair, dy + mid + 0.5 * w)]
    )
    land_up = box(x_top, mid - 0.5 * w, x_exit, mid + 0.5 * w)
    land_down = box(x_top, dy + mid - 0.5 * w, x_exit, dy + mid + 0.5 * w)
    walkable = {
        "L0": MultiPolygon([room_up, land_down]),
        "L1": MultiPolygon([land_up, room_down]),
    }
    foot = _segment(x_stair, mid - 0.5 * w, x_stair, mid + 0.5 * w)
    head = _segment(x_top, mid - 0.5 * w, x_top, mid + 0.5 * w)
    stairs = [
        StairSpec(
            id="up",
            lower_key="L0",
            upper_key="L1",
            bottom_m=foot,
            top_m=head,
            width_m=w,
            length_m=STAIR_RUN_M,
            rise_m=rise,
        ),
        StairSpec(
            id="down",
            lower_key="L0",
            upper_key="L1",
            bottom_m=_translated(head, 0.0, dy),
            top_m=_translated(foot, 0.0, dy),
            width_m=w,
            length_m=STAIR_RUN_M,
            rise_m=rise,
        ),
    ]
    exits = [
        ("up-exit", "L1", _segment(x_exit, mid - 0.5 * w, x_exit, mid + 0.5 * w)),
        ("down-exit", "L0", _segment(x_exit, dy + mid - 0.5 * w, x_exit, dy + mid + 0.5 * w)),
    ]
    layout = EvacuationLayout.from_polygons(
        walkable, exits, elevations_m={"L0": 0.0, "L1": rise}, stairs=stairs
    )
    agents = AgentSpec.create(
        np.concatenate([pos, _translated(pos, 0.0, dy)]),
        level=["L0"] * people + ["L1"] * people,
        desired_speed_m_s=np.concatenate([speeds, speeds]),
    )
    areas = {
        "up before": box(s, mid - 0.5 * w, x_stair, mid + 0.5 * w),
        "down before": box(s, dy + mid - 0.5 * w, x_stair, dy + mid + 0.5 * w),
        "up room": box(s - 2.0, mid - 1.0, s, mid + 1.0),
        "down room": box(s - 2.0, dy + mid - 1.0, s, dy + mid + 1.0),
    }
    return RimeaSetup(
        layout=layout,
        agents=agents,
        groups=_groups({"up": people, "down": people}),
        areas=areas,
        numbers={"rise_m": rise},
    )


#: Test 14: people in the start room (RiMEA 4.1.1, Annex 1, test 14; its figure is not
#: dimensioned: rooms, corridor and basement after JuPedSim's implementation of the RiMEA 3.0
#: figure, with a 3 m storey instead of 5 m).
ROUTE_PEOPLE = 30
_BASEMENT_DEPTH_M = 3.0


def route_choice_test_14(rng: np.random.Generator, *, people: int = ROUTE_PEOPLE) -> RimeaSetup:
    """Test 14: from a start room to an exit either over two stairs or along a longer corridor.

    Ground floor ``"L0"``: a 5 m x 20 m start room, a 20 m x 5 m corridor along its north end to a
    second 5 m x 20 m room with the exit (2 m, south wall). Basement ``"B1"`` (3 m lower): a 10 m
    x 2 m corridor linking two stairs (2 m wide, 5 m run) that leave the two rooms' facing walls
    near their south ends. The way over the stairs is shorter, the corridor is level.

    Parameters
    ----------
    rng : numpy Generator
        Places the people (uniform in the start room) and draws adult walking speeds.
    people : int
        Crowd size.

    Returns
    -------
    RimeaSetup
        Areas ``"basement"`` and ``"upper corridor"``.
    """
    ground = shapely.union_all([box(0, 0, 5, 20), box(5, 15, 25, 20), box(25, 0, 30, 20)])
    basement = box(10, 4, 20, 6)
    stairs = [
        StairSpec(
            id="left",
            lower_key="B1",
            upper_key="L0",
            bottom_m=_segment(10, 4, 10, 6),
            top_m=_segment(5, 4, 5, 6),
            width_m=2.0,
            length_m=5.0,
            rise_m=_BASEMENT_DEPTH_M,
        ),
        StairSpec(
            id="right",
            lower_key="B1",
            upper_key="L0",
            bottom_m=_segment(20, 4, 20, 6),
            top_m=_segment(25, 4, 25, 6),
            width_m=2.0,
            length_m=5.0,
            rise_m=_BASEMENT_DEPTH_M,
        ),
    ]
    layout = EvacuationLayout.from_polygons(
        {"L0": ground, "B1": basement},
        [("exit", "L0", _segment(27, 0, 29, 0))],
        elevations_m={"L0": 0.0, "B1": -_BASEMENT_DEPTH_M},
        stairs=stairs,
    )
    pos = spawn_positions(box(0, 0, 5, 20), people, radius_m=BODY_RADIUS_M, rng=rng)
    agents = AgentSpec.create(pos, desired_speed_m_s=adult_speeds_m_s(people, rng))
    return RimeaSetup(
        layout=layout,
        agents=agents,
        areas={"basement": basement, "upper corridor": box(5, 15, 25, 20)},
    )


#: Test 15: corridor width, start-area depth, people and the three walking lengths, m
#: (RiMEA 4.1.1, Annex 1, test 15 and its figure; JuPedSim: long 75.4 m, short 44 m, corner
#: 34 m then 30 m with a 10 m x 10 m chamfer at the outer corner).
LARGE_CORNER_WIDTH_M = 20.0
LARGE_CORNER_START_M = 6.0
LARGE_CORNER_PEOPLE = 500
LARGE_CORNER_LONG_M = 75.4
LARGE_CORNER_SHORT_M = 44.0


def large_corner_test_15(
    rng: np.random.Generator,
    *,
    scale: float = 1.0,
    speed_m_s: float = walking_speed.WEIDMANN_FREE_SPEED_M_S,
) -> RimeaSetup:
    """Test 15: a large crowd walks a straight long, a straight short and a cornered route.

    Three 20 m wide routes side by side, each with the same crowd packed in a 6 m deep start area
    (500 people, about 4.2 persons/m^2) and a full-width exit at its end. ``scale`` shrinks all
    lengths (and the crowd with the area) for cheap runs. Everyone walks at one speed, so that
    the three times compare the routes rather than where the slowest walker happens to stand.

    Parameters
    ----------
    rng : numpy Generator
        Picks the lattice sites.
    scale : float
        Linear scale of the geometry, in (0, 1].
    speed_m_s : float
        Free walking speed of everyone, m/s.

    Returns
    -------
    RimeaSetup
        Groups ``"long"``, ``"corner"``, ``"short"``.
    """
    f = float(scale)
    w = LARGE_CORNER_WIDTH_M * f
    d = LARGE_CORNER_START_M * f
    people = round(LARGE_CORNER_PEOPLE * f * f)
    gap = 5.0
    start = box(0.0, 0.0, w, d)
    pos = lattice_positions(start, people, rng=rng)
    long_len = LARGE_CORNER_LONG_M * f
    short_len = LARGE_CORNER_SHORT_M * f
    # straight routes: start area at the top, exit at y = 0
    x_short = w + gap
    corner = Polygon([(10, 0), (30, 0), (30, 20), (20, 20), (20, 60), (0, 60), (0, 10)])
    corner = scale_geometry(corner, xfact=f, yfact=f, origin=(0, 0))
    x_corner = 2.0 * (w + gap)
    corner = shapely.affinity.translate(corner, xoff=x_corner)
    top_corner = 60.0 * f
    walkable = MultiPolygon(
        [
            box(0.0, 0.0, w, long_len + d),
            box(x_short, 0.0, x_short + w, short_len + d),
            corner,
        ]
    )
    exits = {
        "long": _segment(0.0, 0.0, w, 0.0),
        "short": _segment(x_short, 0.0, x_short + w, 0.0),
        "corner": _segment(x_corner + 30.0 * f, 0.0, x_corner + 30.0 * f, 20.0 * f),
    }
    layout = EvacuationLayout.from_polygons(walkable, exits)
    placed = [
        _translated(pos, 0.0, long_len),
        _translated(pos, x_corner, top_corner - d),
        _translated(pos, x_short, short_len),
    ]
    agents = AgentSpec.create(np.concatenate(placed), desired_speed_m_s=speed_m_s)
    return RimeaSetup(
        layout=layout,
        agents=agents,
        groups=_groups({"long": people, "corner": people, "short": people}),
        numbers={"people": float(people)},
    )


# ------------------------------------------------------------------- periodic corridor (4, 16)


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodicCorridorResult:
    """Mean speed and density measured in a periodic corridor, one entry per set density.

    Attributes
    ----------
    density_set : (k,) float
        Density the corridor was filled with: persons/m^2, or persons/m for a single file.
    density_measured : (k,) float
        Mean density in the measuring area over the measuring time (same unit).
    speed_m_s : (k,) float
        Mean speed of the people in the measuring area over the measuring time, m/s.
    """

    density_set: NDArray[np.float64]
    density_measured: NDArray[np.float64]
    speed_m_s: NDArray[np.float64]

    @property
    def specific_flow(self) -> NDArray[np.float64]:
        """Set density times mean speed: persons/(m s), or persons/s for a single file."""
        return np.asarray(self.density_set * self.speed_m_s, dtype=np.float64)


def _periodic_lattice(
    n: int, length_m: float, width_m: float, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Return ``n`` centres on staggered rows across a periodic corridor, as far apart as possible.

    Rows run from one wall to the other a body radius clear of each; the sites of a row are
    evenly spaced over the period (so the pattern continues across the seam); surplus sites are
    dropped at random.
    """
    margin = BODY_RADIUS_M + 0.5 * _LATTICE_CLEARANCE_M
    span = width_m - 2.0 * margin
    best: tuple[float, int, int] | None = None
    for rows in range(1, max(2, math.floor(span / 0.2) + 2)):
        cols = math.ceil(n / rows)
        dx = length_m / cols
        dy = span / (rows - 1) if rows > 1 else math.inf
        gap = min(dx, math.hypot(0.5 * dx, dy), 2.0 * dy if rows > 2 else math.inf)
        if best is None or gap > best[0]:
            best = (gap, rows, cols)
    assert best is not None
    gap, rows, cols = best
    if gap < 2.0 * BODY_RADIUS_M + 0.5 * _LATTICE_CLEARANCE_M:
        raise InvalidInputError(
            f"{n} bodies do not fit in a {length_m:g} m x {width_m:g} m periodic corridor"
        )
    dx = length_m / cols
    j, i = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    x = ((i + 0.5 * (j % 2)) * dx) % length_m
    y = margin + j * (span / (rows - 1)) if rows > 1 else np.full(j.shape, 0.5 * width_m)
    sites = np.column_stack([x.ravel(), np.broadcast_to(y, j.shape).ravel()])
    keep = np.sort(rng.choice(len(sites), size=n, replace=False))
    return np.asarray(sites[keep], dtype=np.float64)


def _corridor_fill(
    density: float, length_m: float, width_m: float, single_file: bool, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Return initial positions in a periodic corridor: random up to 3 /m^2, a lattice above."""
    r = BODY_RADIUS_M
    if single_file:
        n = round(density * length_m)
        x = (np.arange(n) + 0.5) * (length_m / n)
        return np.column_stack([x, np.full(n, 0.5 * width_m)])
    n = round(density * length_m * width_m)
    if density > 3.0:
        return _periodic_lattice(n, length_m, width_m, rng)
    # random in [r, L - r - clearance): no body straddles the seam at the start
    region = box(0.0, 0.0, length_m - 2.0 * r - _LATTICE_CLEARANCE_M, width_m)
    pts = spawn_positions(region, n, radius_m=r, rng=rng)
    return np.asarray(pts + np.array([r, 0.0]), dtype=np.float64)


def periodic_corridor_speeds(
    densities: Sequence[float],
    *,
    length_m: float,
    width_m: float,
    warmup_s: float,
    measure_s: float,
    rng: np.random.Generator,
    single_file: bool = False,
    free_speed_m_s: float = walking_speed.WEIDMANN_FREE_SPEED_M_S,
    dt_s: float = DT_S,
) -> PeriodicCorridorResult:
    """Walk crowds of given densities along periodic corridors and measure their speed.

    One straight corridor per density, stacked across (walls between them): everyone walks +x
    with the same free speed; the model's movement kernel
    (:func:`solvers.pedestrian.collision_free_speed.step`, default parameters and radius) moves
    them, and the corridor is closed into a loop by copies, shifted by ``length_m``, of the
    people within a band of each end. The measuring area is the guideline's 2 m x 2 m square in
    the middle of each corridor (for a single file: a 2 m stretch); people in it are sampled
    every 0.1 s after ``warmup_s``.

    Parameters
    ----------
    densities : sequence of float
        Densities, persons/m^2 (persons/m with ``single_file``).
    length_m, width_m : float
        Corridor length (the period) and width, m.
    warmup_s, measure_s : float
        Time discarded, then time measured, s.
    rng : numpy Generator
        Initial positions (random up to 3 persons/m^2, a lattice above; a single file evenly
        spaced).
    single_file : bool
        One person wide: nobody can overtake (the ring of test 16).
    free_speed_m_s : float
        Free walking speed of everyone, m/s.
    dt_s : float
        Time step, s.

    Returns
    -------
    PeriodicCorridorResult
    """
    r = BODY_RADIUS_M
    gap = 2.0
    groups: list[NDArray[np.float64]] = []
    segs: list[list[list[float]]] = []
    for k, rho in enumerate(densities):
        y0 = k * (width_m + gap)
        pts = _corridor_fill(float(rho), length_m, width_m, single_file, rng)
        groups.append(pts + np.array([0.0, y0]))
        segs += [
            [[-length_m, y0], [2 * length_m, y0]],
            [[-length_m, y0 + width_m], [2 * length_m, y0 + width_m]],
        ]
    pos = np.concatenate(groups)
    corridor = np.concatenate([np.full(len(g), k) for k, g in enumerate(groups)])
    walls = walls_from_segments(np.array(segs, dtype=np.float64))
    params = CollisionFreeSpeedParameters()
    n = len(pos)
    # copies reach the interaction range plus the list's skin and a step
    band = 2.0 * r + free_speed_m_s * params.time_gap_s + params.neighbour_skin_m + 0.5
    half_area = 1.0
    cy = np.array([k * (width_m + gap) + 0.5 * width_m for k in range(len(groups))])
    steps = round((warmup_s + measure_s) / dt_s)
    every = max(1, round(0.1 / dt_s))
    first = round(warmup_s / dt_s)
    counts = np.zeros(len(groups))
    speed_sum = np.zeros(len(groups))
    speed_frames = np.zeros(len(groups))
    frames = 0
    neighbours: NeighbourList | None = None
    lo = hi = np.zeros(0, dtype=np.intp)
    direction = moving = np.zeros(0)
    for step in range(steps):
        if neighbours is None:
            lo = np.flatnonzero(pos[:, 0] < band)
            hi = np.flatnonzero(pos[:, 0] > length_m - band)
            m = n + len(lo) + len(hi)
            direction = np.zeros((m, 2))
            direction[:n, 0] = 1.0
            moving = np.zeros(m, dtype=bool)
            moving[:n] = True
        everyone = np.concatenate([pos, pos[lo] + [length_m, 0.0], pos[hi] - [length_m, 0.0]])
        result = collision_free_speed.step(
            everyone,
            direction,
            free_speed_m_s,
            r,
            walls=walls,
            dt_s=dt_s,
            params=params,
            moving=moving,
            neighbours=neighbours,
        )
        new = result.positions_m[:n]
        wrapped = (new[:, 0] >= length_m) | (new[:, 0] < 0.0)
        velocity = result.velocities_m_s[:n]
        pos = new.copy()
        pos[:, 0] %= length_m
        # a person moved by a whole period breaks the neighbour list: start a new one
        neighbours = None if wrapped.any() else result.neighbours
        if step >= first and step % every == 0:
            frames += 1
            in_x = np.abs(pos[:, 0] - 0.5 * length_m) <= half_area
            in_y = single_file | (np.abs(pos[:, 1] - cy[corridor]) <= half_area)
            inside = in_x & in_y
            counts += np.bincount(corridor[inside], minlength=len(groups))
            speed = np.hypot(velocity[:, 0], velocity[:, 1])
            total = np.bincount(corridor[inside], weights=speed[inside], minlength=len(groups))
            number = np.bincount(corridor[inside], minlength=len(groups))
            has = number > 0
            speed_sum[has] += total[has] / number[has]
            speed_frames[has] += 1
    area = 2.0 * half_area if single_file else (2.0 * half_area) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_speed = np.where(speed_frames > 0, speed_sum / np.maximum(speed_frames, 1), np.nan)
    return PeriodicCorridorResult(
        density_set=np.asarray(densities, dtype=np.float64),
        density_measured=counts / max(frames, 1) / area,
        speed_m_s=np.asarray(mean_speed, dtype=np.float64),
    )
