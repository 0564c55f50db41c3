"""The evacuation model: a Mesa crowd on the walkable levels, moved by vectorised kernel calls.

Agents and arrays
-----------------
Every person is a :class:`Pedestrian` (a ``mesa.Agent``) that keeps its identity, its spawn area
and its exit-choice strategy; everything that changes every step lives in arrays on the model,
indexed by :attr:`Pedestrian.index` (struct of arrays, STYLE R11): ``positions_m (n, 2)``,
``velocities_m_s (n, 2)``, ``level (n,)`` (index into :attr:`EvacuationLayout.level_keys`),
``state (n,) int8`` (:class:`AgentState`), ``target_exit (n,)``, ``pre_movement_end_s (n,)``,
``distance_m (n,)`` and the dose state. Decisions are the occasional, event-driven part: when
people start to move, when an exit is blocked, when the hazard changes the routes, the agents that
need a route are selected as a Mesa ``AgentSet``, grouped by strategy and given their exits by one
vectorised choice per group (:mod:`scenarios.evacuation.exit_choice`).

Movement
--------
The default and only built-in movement model is the collision-free speed model
(:mod:`solvers.pedestrian.collision_free_speed`, Tordeux et al. 2016): it is JuPedSim's default,
first order (no inertia, so no oscillation and no overlap by construction: speed falls to zero
at contact), stable at the time steps used here (0.01 s default, up to
:data:`MAX_DT_S`) and has few parameters (time gap, two repulsion pairs). The social force model is
the usual alternative; it needs more parameters, smaller steps and lets bodies overlap under
pressure. Each step makes one kernel call per level (and one per occupied stair and direction);
flows through doors and stairs emerge from the geometry. An optional ``door_flow_cap_p_s_m``
caps the flow through every exit (persons/s per metre of width) for users who want a prescribed
capacity; it is off by default. Whoever's centre crosses the line of an open exit of their level
leaves through it, whichever exit they were heading for (a crowd may push people through a door
they did not choose; outside, there is no way back in).

Time
----
The model has no clock of its own (STYLE R14): :meth:`EvacuationModel.advance` takes the step
length and, optionally, the time it starts at; a SimPy process drives it in a scenario run, and
:meth:`EvacuationModel.run_until_clear` drives it for standalone runs. Pre-movement times count
from the alarm (:meth:`EvacuationModel.raise_alarm`, default at time 0).

Hazard coupling
---------------
With a :class:`solvers.hazard_field.FieldSampler`, each step samples the field at everyone's
position (``z`` = floor elevation + :data:`BREATHING_HEIGHT_M`) and applies the person effects of
:mod:`solvers.effects.person_dose`: dose accumulation, a walking-speed factor, incapacitation
(incapacitated people stop and stay where they are) and, every ``route_update_interval_s``, route
costs: each level's floor fields are recomputed with a slowness grid from the hazard sampled at the
cell centres, so people re-route around the hazard (impassable cells cost
:data:`IMPASSABLE_ROUTE_COST` per metre, so those caught inside still find the way out).

Verification rooms (RiMEA and the like)
---------------------------------------
Build the geometry from shapely polygons and place people at given positions with given speeds
and pre-movement times; no site file is needed:

>>> from shapely.geometry import box
>>> from scenarios.evacuation.population import AgentSpec
>>> corridor = box(0.0, 0.0, 40.0, 2.0)                      # RiMEA test 1 style corridor
>>> person = AgentSpec.create([[0.5, 1.0]], desired_speed_m_s=1.33, pre_movement_s=0.0)
>>> model = EvacuationModel.from_polygons(corridor, {"end": [[40.0, 0.0], [40.0, 2.0]]},
...                                       person, rng=0, trajectory_interval_s=None)
>>> result = model.run_until_clear(max_time_s=60.0, dt_s=0.05)
>>> 26.0 <= result.rset_s <= 34.0
True

For several levels pass ``{"L0": poly0, "L1": poly1}``, exits as ``(id, level, segment)`` rows,
``elevations_m`` and :class:`~scenarios.evacuation.layout.StairSpec` stairs; give people their
level with ``AgentSpec.create(..., level=[...])``, an assigned exit with ``exit_id=[...]``. Build
the layout once (:meth:`EvacuationLayout.from_polygons`) and reuse it, with its
:class:`~scenarios.evacuation.routing.Router`, in :meth:`EvacuationModel.from_layout` for runs
with many seeds. People on a part of the floor from which no exit can be reached stay where they
are (outcome ``"inside"``), and a standalone run stops once only they are left. ``result.records``,
``result.trajectories.to_dataframe()`` (PedPy) and ``result.evacuation_curve()`` hold what the
tests compare.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from enum import IntEnum
from typing import TYPE_CHECKING, Any, cast

import mesa
import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree
from shapely.geometry import MultiPolygon, Polygon

from scenarios.evacuation import exit_choice
from scenarios.evacuation.layout import DEFAULT_BUILDING_CELL_M, EvacuationLayout, StairSpec
from scenarios.evacuation.plan import EvacuationPlan
from scenarios.evacuation.population import AgentSpec
from scenarios.evacuation.results import RECORD_DTYPE, EvacuationResult, Trajectories
from scenarios.evacuation.routing import Router
from scenarios.evacuation.stairs import DEFAULT_STAIR_SPEED_MODEL, StairLane, stair_lanes
from solvers.effects import person_dose
from solvers.effects.person_dose import DoseState
from solvers.errors import InvalidInputError
from solvers.hazard_field import FieldSampler, HazardSample, QuietField
from solvers.pedestrian import collision_free_speed
from solvers.pedestrian.collision_free_speed import CollisionFreeSpeedParameters

__all__ = [
    "BREATHING_HEIGHT_M",
    "MAX_DT_S",
    "MIN_DT_S",
    "AgentState",
    "EvacuationModel",
    "Pedestrian",
]

if TYPE_CHECKING:
    from solvers.substances.library import HazardData

logger = logging.getLogger(__name__)

#: Height above the floor at which people breathe and are exposed, m.
BREATHING_HEIGHT_M = 1.5

#: Smallest and largest time step accepted, s. The collision-free speed model runs stably up to
#: about 0.05 s (:mod:`solvers.pedestrian.collision_free_speed`).
MIN_DT_S = 1e-4
MAX_DT_S = 0.05

#: Default time between trajectory frames, s.
DEFAULT_TRAJECTORY_INTERVAL_S = 0.5

#: Default time between route updates (next portal, hazard-aware fields), s.
DEFAULT_ROUTE_UPDATE_INTERVAL_S = 2.0

#: Relative change of the route-cost multiplier anywhere on a level that triggers new fields.
ROUTE_COST_CHANGE = 0.1

#: Route-cost factor of cells the hazard makes impassable: a metre there costs a kilometre, so
#: every open route wins, while people caught inside still find the shortest way out (an
#: infinite cost would cut them off from every exit).
IMPASSABLE_ROUTE_COST = 1000.0

#: Gap, m, kept between a body arriving outdoors through an exit and the exit line.
_EXIT_ARRIVAL_GAP_M = 0.05

HazardSampleFn = Callable[[NDArray[np.float64], float], HazardSample]


class AgentState(IntEnum):
    """State of a person (stored as int8 in :attr:`EvacuationModel.state`)."""

    WAITING = 0
    MOVING = 1
    ON_STAIRS = 2
    EXITED = 3
    INCAPACITATED = 4


_WAITING = np.int8(AgentState.WAITING)
_MOVING = np.int8(AgentState.MOVING)
_ON_STAIRS = np.int8(AgentState.ON_STAIRS)
_EXITED = np.int8(AgentState.EXITED)
_INCAPACITATED = np.int8(AgentState.INCAPACITATED)


class Pedestrian(mesa.Agent):  # type: ignore[misc]
    """One person: identity, spawn area and exit strategy; the state lives in the model's arrays.

    Parameters
    ----------
    model : EvacuationModel
        The model.
    index : int
        Row of this person in the model's arrays (also the ``id`` of the results).
    area_id : str
        Spawn area (room or zone); ``""`` if none.
    """

    model: EvacuationModel

    def __init__(self, model: EvacuationModel, index: int, area_id: str) -> None:
        super().__init__(model)
        self.index = index
        self.area_id = area_id

    @property
    def strategy(self) -> str:
        """Exit-choice strategy: ``"nearest"``, ``"quickest"`` or ``"plan"``."""
        return str(self.model.strategy[self.index])

    @property
    def position_m(self) -> NDArray[np.float64]:
        """Current plan position, (2,) m."""
        return np.asarray(self.model.positions_m[self.index])

    @property
    def state(self) -> AgentState:
        """Current state."""
        return AgentState(int(self.model.state[self.index]))

    @property
    def level_key(self) -> str:
        """Key of the level the person is on (the lower level while on a stair)."""
        return self.model.layout.level_keys[int(self.model.level[self.index])]

    @property
    def exit_id(self) -> str | None:
        """Exit the person is heading for (or left through); None if none."""
        k = int(self.model.exit_used[self.index])
        if k < 0:
            k = int(self.model.target_exit[self.index])
        return None if k < 0 else self.model.layout.exits[k].id

    @property
    def needs_route(self) -> bool:
        """True when the person must (re)choose an exit at the next step."""
        return bool(self.model.needs_route[self.index])

    def request_route(self) -> None:
        """Ask for a new exit choice at the next step (e.g. after a new instruction)."""
        self.model.needs_route[self.index] = True


def _check_options(
    *,
    exit_strategy: str,
    door_flow_cap_p_s_m: float | None,
    trajectory_interval_s: float | None,
    route_update_interval_s: float,
    reconsider_interval_s: float | None,
) -> None:
    """Raise :class:`InvalidInputError` naming the first model option out of range."""
    if exit_strategy not in ("nearest", "quickest"):
        raise InvalidInputError(
            f"exit_strategy = {exit_strategy!r}: choose one of ['nearest', 'quickest']"
        )
    for name, value, unit in (
        ("door_flow_cap_p_s_m", door_flow_cap_p_s_m, "persons/(s m)"),
        ("trajectory_interval_s", trajectory_interval_s, "s"),
        ("reconsider_interval_s", reconsider_interval_s, "s"),
    ):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise InvalidInputError(f"{name} = {value!r} {unit}: must be a number > 0 or None")
    if not (math.isfinite(route_update_interval_s) and route_update_interval_s > 0):
        raise InvalidInputError(
            f"route_update_interval_s = {route_update_interval_s!r} s: must be a number > 0"
        )


def _check_dt(dt_s: float) -> float:
    value = float(dt_s)
    if not (math.isfinite(value) and MIN_DT_S <= value <= MAX_DT_S):
        raise InvalidInputError(
            f"dt_s = {dt_s!r} s: must be in [{MIN_DT_S:g}, {MAX_DT_S:g}] s (the collision-free "
            + "speed model is stable up to about 0.05 s)"
        )
    return value


class EvacuationModel(mesa.Model):  # type: ignore[misc]
    """Agent-based evacuation of a layout (Mesa model, vectorised movement).

    Parameters
    ----------
    layout : EvacuationLayout
        Levels, exits, stairs and muster points.
    agents : AgentSpec
        People and their starting state.
    rng : numpy Generator, int or None
        Seed or generator; passed to ``mesa.Model(rng=...)``.
    plan : EvacuationPlan, optional
        Area -> exit -> muster point, known exits and the default strategy.
    exit_strategy : str
        Strategy of people without a planned exit when no plan is given: ``"nearest"`` or
        ``"quickest"`` (with a plan, the plan's ``default_strategy`` applies).
    hazard : FieldSampler, optional
        Hazard field; None runs without hazard (no dose, no slowing).
    hazard_data : HazardData, optional
        Harm criteria of the hazardous substance (``substance(name).hazard``) for
        :mod:`solvers.effects.person_dose`; default from ``hazard.substance``.
    params : CollisionFreeSpeedParameters, optional
        Movement model parameters (JuPedSim defaults when None).
    alarm_time_s : float or None
        Time of the alarm, s; pre-movement times count from it. None waits for
        :meth:`raise_alarm`.
    blocked_exits : Mapping[str, float], optional
        Exit id -> time it becomes blocked, s (standalone runs; in a scenario, call
        :meth:`block_exit` from the timeline).
    door_flow_cap_p_s_m : float, optional
        Cap on the flow through each exit, persons/(s m); None (default) lets flows emerge.
    trajectory_interval_s : float or None
        Time between trajectory frames, s; None records none.
    route_update_interval_s : float
        Time between route updates (next portals; hazard-aware fields), s.
    reconsider_interval_s : float, optional
        If set, people following ``"quickest"`` re-choose their exit this often, s.
    router : Router, optional
        Floor fields already built for ``layout`` (saves rebuilding them for every seed of a
        sweep); a hazard run changes its fields, so share one only between runs without hazard.
    stair_speed_model : str
        How fast stairs are walked, one of :data:`~scenarios.evacuation.stairs.STAIR_SPEED_MODELS`:
        ``"weidmann_direction"`` (default; Weidmann 1993, faster down than up) or ``"sfpe"`` (the
        SFPE hydraulic model, one speed both ways). Route costs use the same speeds.

    Attributes
    ----------
    positions_m, velocities_m_s : (n, 2) float
        Plan positions, m, and velocities over the last step, m/s (site frame; on a stair, the
        point of the flight under the person).
    level : (n,) int
        Level index (layout order); on a stair, the level the person stepped on from.
    state : (n,) int8
        :class:`AgentState` values.
    target_exit, exit_used : (n,) int
        Exit heading for and exit left through (layout order); -1 for none.
    exit_time_s, muster_time_s, incapacitated_time_s : (n,) float
        When each happened, s; inf if not (yet).
    pre_movement_end_s : (n,) float
        Alarm time plus pre-movement time, s; inf before the alarm.
    desired_speed_m_s, speed_factor, radius_m, distance_m : (n,) float
        Free speed, m/s; hazard speed factor; body radius, m; distance walked, m.
    strategy : (n,) str
        Exit-choice strategy of each person.
    stair, stair_local_m : (n,) int, (n, 2) float
        Stair index (-1 off stairs) and position in the stair's lane frame, m.

    Raises
    ------
    InvalidInputError
        If a person stands inside a wall or off the walkable floor, two people overlap, a level,
        exit, muster point or strategy is unknown, or a plan names an exit that does not exist.
    """

    def __init__(
        self,
        layout: EvacuationLayout,
        agents: AgentSpec,
        *,
        rng: np.random.Generator | int | None,
        plan: EvacuationPlan | None = None,
        exit_strategy: str = "nearest",
        hazard: FieldSampler | None = None,
        hazard_data: HazardData | None = None,
        params: CollisionFreeSpeedParameters | None = None,
        alarm_time_s: float | None = 0.0,
        blocked_exits: Mapping[str, float] | None = None,
        door_flow_cap_p_s_m: float | None = None,
        trajectory_interval_s: float | None = DEFAULT_TRAJECTORY_INTERVAL_S,
        route_update_interval_s: float = DEFAULT_ROUTE_UPDATE_INTERVAL_S,
        reconsider_interval_s: float | None = None,
        router: Router | None = None,
        stair_speed_model: str = DEFAULT_STAIR_SPEED_MODEL,
    ) -> None:
        super().__init__(rng=rng)
        _check_options(
            exit_strategy=exit_strategy,
            door_flow_cap_p_s_m=door_flow_cap_p_s_m,
            trajectory_interval_s=trajectory_interval_s,
            route_update_interval_s=route_update_interval_s,
            reconsider_interval_s=reconsider_interval_s,
        )
        self.layout = layout
        self.plan = plan if plan is not None else EvacuationPlan(default_strategy=exit_strategy)
        self.plan.check_against(
            exit_ids=layout.exit_ids,
            muster_ids=layout.muster_ids,
            area_ids=list(layout.spawn_areas) or None,
        )
        self.params = params if params is not None else CollisionFreeSpeedParameters()
        if router is not None and router.layout is not layout:
            raise InvalidInputError("router was built for another layout: pass the same layout")
        if router is not None and router.stair_speed_model != stair_speed_model:
            raise InvalidInputError(
                f"router was built with stair_speed_model = {router.stair_speed_model!r}, the "
                + f"model is asked for {stair_speed_model!r}: build the router with the same one"
            )
        self.router = (
            router if router is not None else Router(layout, stair_speed_model=stair_speed_model)
        )
        self.lanes: tuple[StairLane, ...] = stair_lanes(layout, speed_model=stair_speed_model)
        self._keys = layout.level_keys
        self._elevation = np.array([layout.levels[k].elevation_m for k in self._keys])
        self.n = agents.n
        n = self.n

        # ----------------------------------------------------------------------- arrays
        names, inverse = np.unique(np.asarray(agents.level), return_inverse=True)
        codes = np.array([self._level_of(str(k)) for k in names], dtype=np.intp)
        self.level = codes[inverse].reshape(n) if n else np.zeros(0, dtype=np.intp)
        self._start_level = self.level.copy()
        self.positions_m = np.array(agents.positions_m, dtype=np.float64).reshape(n, 2)
        self.start_positions_m = self.positions_m.copy()
        self.velocities_m_s = np.zeros((n, 2))
        self.desired_speed_m_s = np.array(agents.desired_speed_m_s, dtype=np.float64)
        self.radius_m = np.array(agents.radius_m, dtype=np.float64)
        self.pre_movement_s = np.array(agents.pre_movement_s, dtype=np.float64)
        self.state = np.full(n, _WAITING, dtype=np.int8)
        self.speed_factor = np.ones(n)
        self.distance_m = np.zeros(n)
        self.exit_used = np.full(n, -1, dtype=np.intp)
        self.exit_time_s = np.full(n, np.inf)
        self.muster_time_s = np.full(n, np.inf)
        self.incapacitated_time_s = np.full(n, np.inf)
        self.target_exit = np.full(n, -1, dtype=np.intp)
        self.goal = np.full(n, -1, dtype=np.intp)
        self.next_portal = np.full(n, -1, dtype=np.intp)
        self.route_distance_m = np.full(n, np.inf)
        self.needs_route = np.zeros(n, dtype=bool)
        self.stair = np.full(n, -1, dtype=np.intp)
        self.stair_local_m = np.zeros((n, 2))
        self.stair_up = np.zeros(n, dtype=bool)
        self.area_id = np.array(agents.area_id)

        self._check_positions()

        # --------------------------------------------------------------- plan and routes
        self.planned_exit = np.full(n, -1, dtype=np.intp)
        self.muster = np.full(n, -1, dtype=np.intp)
        strategies = np.full(n, self.plan.default_strategy, dtype="U8")
        for i_area in np.unique(self.area_id):
            rows = self.area_id == i_area
            route = self.plan.route_for(str(i_area))
            if route.exit_id is not None:
                self.planned_exit[rows] = layout.exit_index(route.exit_id)
            muster = route.muster_id or self.plan.default_muster_id
            if muster is not None:
                self.muster[rows] = layout.muster_index(muster)
        for e_id in np.unique(agents.exit_id):
            if e_id:
                self.planned_exit[agents.exit_id == e_id] = layout.exit_index(str(e_id))
        for m_id in np.unique(agents.muster_id):
            if m_id:
                self.muster[agents.muster_id == m_id] = layout.muster_index(str(m_id))
        strategies[self.planned_exit >= 0] = "plan"
        self.strategy = strategies
        known = self.plan.known_exits
        self.known_exit = np.array(
            [known is None or e.id in known for e in layout.exits], dtype=bool
        )
        self.blocked = np.zeros(len(layout.exits), dtype=bool)
        self._block_schedule = sorted(
            ((float(t), layout.exit_index(e)) for e, t in (blocked_exits or {}).items()),
        )
        outdoor_levels = {self._level_of(e.leads_to) for e in layout.exits if e.leads_to}
        exit_level = np.array([self._level_of(e.level_key) for e in layout.exits], dtype=np.intp)
        self._exit_level = exit_level
        self._is_outdoor_level = np.array(
            [li in outdoor_levels for li in range(len(self._keys))], dtype=bool
        )
        self._exit_outdoor = self._is_outdoor_level[exit_level]
        self._exit_width = np.array([e.width_m for e in layout.exits])
        self._exit_leads_to = np.array(
            [-1 if e.leads_to is None else self._level_of(e.leads_to) for e in layout.exits],
            dtype=np.intp,
        )
        # exit lines for the pre-selection of the crossing test: outward normal n (x and y parts)
        # and n . midpoint, (e,) each; the exit of each portal (-1 if none), with one more -1 at
        # the end for "no portal" (index -1)
        mid = np.array([e.midpoint_m for e in layout.exits]).reshape(-1, 2)
        normal = np.array([e.outward_normal for e in layout.exits]).reshape(-1, 2)
        self._exit_normal_x = np.ascontiguousarray(normal[:, 0])
        self._exit_normal_y = np.ascontiguousarray(normal[:, 1])
        self._exit_offset_m = normal[:, 0] * mid[:, 0] + normal[:, 1] * mid[:, 1]
        self._exit_of_portal = np.full(len(self.router.portals) + 1, -1, dtype=np.intp)
        self._exit_of_portal[self.router.exit_portal] = np.arange(len(layout.exits))

        # ---------------------------------------------------------------- Mesa agents
        self._agent_list: list[Pedestrian] = [
            Pedestrian(self, i, str(self.area_id[i])) for i in range(n)
        ]

        # -------------------------------------------------------------- clock and events
        self.time_s = 0.0
        self.alarm_time_s = None if alarm_time_s is None else float(alarm_time_s)
        self.pre_movement_end_s = np.full(n, np.inf)
        if self.alarm_time_s is not None:
            self.pre_movement_end_s = self.alarm_time_s + self.pre_movement_s
        self.door_flow_cap_p_s_m = door_flow_cap_p_s_m
        self._door_tokens = np.ones(len(layout.exits))
        self.trajectory_interval_s = trajectory_interval_s
        self.route_update_interval_s = float(route_update_interval_s)
        self._next_route_update_s = self.route_update_interval_s
        self.reconsider_interval_s = reconsider_interval_s
        self._next_reconsider_s = (
            math.inf if reconsider_interval_s is None else float(reconsider_interval_s)
        )
        self._frames: list[tuple[int, NDArray[np.float64]]] = []
        self._frame_ids: list[NDArray[np.intp]] = []
        self._next_frame = 0

        # ------------------------------------------------------------------------ hazard
        self.hazard = hazard
        self._hazard_data = hazard_data
        self._effects = (
            _HazardEffects.create(hazard, hazard_data, n) if hazard is not None else None
        )
        self._route_multiplier: dict[int, NDArray[np.float64]] = {}
        self._hazard_applied = False
        self._next_hazard_route_s = 0.0
        self._neighbours: dict[tuple[str, int], Any] = {}
        self._last_dt = collision_free_speed.DEFAULT_DT_S

    # ------------------------------------------------------------------------ constructors

    @classmethod
    def from_layout(
        cls,
        layout: EvacuationLayout,
        agents: AgentSpec,
        *,
        rng: np.random.Generator | int | None = 0,
        **kwargs: Any,
    ) -> EvacuationModel:
        """Build a model from a layout and a crowd (same as the constructor; a readable alias).

        Parameters
        ----------
        layout : EvacuationLayout
            The layout.
        agents : AgentSpec
            The people (e.g. :meth:`AgentSpec.create` with given positions, speeds and
            pre-movement times for a RiMEA test).
        rng : numpy Generator, int or None
            Seed; default 0.
        **kwargs
            Any keyword argument of :class:`EvacuationModel`.

        Returns
        -------
        EvacuationModel
        """
        return cls(layout, agents, rng=rng, **kwargs)

    @classmethod
    def from_polygons(
        cls,
        walkable: Polygon | MultiPolygon | Mapping[str, Polygon | MultiPolygon],
        exits: Mapping[str, Any] | Sequence[tuple[str, str, Any]],
        agents: AgentSpec,
        *,
        rng: np.random.Generator | int | None = 0,
        stairs: Sequence[StairSpec] = (),
        elevations_m: Mapping[str, float] | None = None,
        cell_size_m: float | None = None,
        **kwargs: Any,
    ) -> EvacuationModel:
        """Build a model straight from shapely polygons and exit segments.

        Parameters
        ----------
        walkable : Polygon, MultiPolygon or Mapping[str, Polygon | MultiPolygon]
            Walkable region(s), m (see :meth:`EvacuationLayout.from_polygons`).
        exits : Mapping[str, (2, 2) float] or sequence of (id, level, (2, 2) float)
            Exit segments on the boundary, m.
        agents : AgentSpec
            The people.
        rng : numpy Generator, int or None
            Seed; default 0.
        stairs : sequence of StairSpec
            Stairs between levels.
        elevations_m : Mapping[str, float], optional
            Level elevations, m.
        cell_size_m : float, optional
            Floor-field cell edge, m.
        **kwargs
            Any keyword argument of :class:`EvacuationModel`.

        Returns
        -------
        EvacuationModel

        Examples
        --------
        >>> from shapely.geometry import box
        >>> crowd = AgentSpec.create([[2.0, 2.5], [4.0, 2.5]])
        >>> model = EvacuationModel.from_polygons(box(0, 0, 10, 5), {"E": [[10, 2], [10, 3]]},
        ...                                       crowd, rng=1, trajectory_interval_s=None)
        >>> result = model.run_until_clear(max_time_s=30.0, dt_s=0.05)
        >>> result.n_out, bool(result.rset_s < 15.0)
        (2, True)
        """
        layout = EvacuationLayout.from_polygons(
            walkable,
            exits,
            stairs=stairs,
            elevations_m=elevations_m,
            cell_size_m=DEFAULT_BUILDING_CELL_M if cell_size_m is None else cell_size_m,
        )
        return cls(layout, agents, rng=rng, **kwargs)

    # ------------------------------------------------------------------------------ checks

    def _level_of(self, key: str) -> int:
        if key not in self._keys:
            raise InvalidInputError(f"level {key!r} is unknown; known levels: {self._keys}")
        return self._keys.index(key)

    def _check_positions(self) -> None:
        """Check everyone is on walkable floor, a body radius clear of walls, not overlapping."""
        for li, key in enumerate(self._keys):
            rows = np.flatnonzero(self.level == li)
            if len(rows) == 0:
                continue
            lv = self.layout.levels[key]
            pts = self.positions_m[rows]
            shapely.prepare(lv.walkable)
            inside = shapely.contains_xy(lv.walkable, pts[:, 0], pts[:, 1])
            if not inside.all():
                k = rows[int(np.argmin(inside))]
                raise InvalidInputError(
                    f"agent {k} at {np.round(self.positions_m[k], 3).tolist()} m is not on the "
                    + f"walkable floor of level {key!r} (inside a wall or obstacle, or outside)"
                )
            walls = shapely.MultiLineString(list(lv.wall_segments_m))
            clearance = shapely.distance(shapely.points(pts), walls)
            tight = clearance < self.radius_m[rows] - 1e-9
            if tight.any():
                c = int(np.argmax(tight))
                k = rows[c]
                raise InvalidInputError(
                    f"agent {k} at {np.round(self.positions_m[k], 3).tolist()} m is "
                    + f"{clearance[c]:.3f} m from a wall of level {key!r}: its body (radius "
                    + f"{self.radius_m[k]:g} m) overlaps the wall"
                )
            if len(rows) > 1:
                pairs = cKDTree(pts).query_pairs(
                    2.0 * float(self.radius_m.max()), output_type="ndarray"
                )
                if len(pairs):
                    a, b = rows[pairs[:, 0]], rows[pairs[:, 1]]
                    d = np.hypot(*(self.positions_m[a] - self.positions_m[b]).T)
                    bad = d < self.radius_m[a] + self.radius_m[b] - 1e-9
                    if bad.any():
                        c = int(np.argmax(bad))
                        raise InvalidInputError(
                            f"agents {a[c]} and {b[c]} on level {key!r} overlap: centres "
                            + f"{d[c]:.3f} m apart, radii {self.radius_m[a[c]]:g} and "
                            + f"{self.radius_m[b[c]]:g} m"
                        )

    # ------------------------------------------------------------------------------ events

    @property
    def agent_list(self) -> list[Pedestrian]:
        """The Mesa agents in index order."""
        return self._agent_list

    def raise_alarm(self, t_s: float) -> None:
        """Sound the alarm at ``t_s``: everyone's pre-movement time starts counting then."""
        if not math.isfinite(t_s):
            raise InvalidInputError(f"alarm t_s = {t_s!r} s: must be finite")
        if self.alarm_time_s is not None:
            return
        self.alarm_time_s = float(t_s)
        self.pre_movement_end_s = self.alarm_time_s + self.pre_movement_s

    def block_exit(self, exit_id: str) -> None:
        """Block an exit now: people heading for it choose again at the next step."""
        k = self.layout.exit_index(exit_id)
        self._block(k)

    def open_exit(self, exit_id: str) -> None:
        """Reopen a blocked exit; people without a reachable exit choose again."""
        k = self.layout.exit_index(exit_id)
        self.blocked[k] = False
        active = (self.state == _MOVING) | (self.state == _WAITING)
        self.needs_route |= active & (self.target_exit < 0)

    def _block(self, k: int) -> None:
        self.blocked[k] = True
        heading = (self.target_exit == k) & (self.exit_used < 0)
        heading &= (self.state == _MOVING) | (self.state == _ON_STAIRS) | (self.state == _WAITING)
        self.needs_route |= heading & (self.state != _WAITING)
        # waiting people choose when they start; their old choice no longer holds
        self.target_exit[heading & (self.state == _WAITING)] = -1
        logger.info("exit %r blocked at t = %.2f s", self.layout.exits[k].id, self.time_s)

    @property
    def n_active(self) -> int:
        """People still waiting, moving or on a stair."""
        s = self.state
        return int(np.count_nonzero((s == _WAITING) | (s == _MOVING) | (s == _ON_STAIRS)))

    # --------------------------------------------------------------------------- decisions

    def _exit_costs(self, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        """Route distance from people ``rows`` to every exit (plus on to their muster), (k, e)."""
        n_exit = len(self.layout.exits)
        out = np.full((len(rows), n_exit), np.inf)
        portals = self.router.exit_portal
        for li in np.unique(self.level[rows]):
            sel = self.level[rows] == li
            r = rows[sel]
            out[sel] = self.router.goal_costs(int(li), self.positions_m[r], portals)
        muster = self.muster[rows]
        has = muster >= 0
        if has.any():
            mp = self.router.muster_portal[muster[has]]
            onward = self.router.cost[np.ix_(portals, mp)].T  # (k, e)
            leads = self._exit_leads_to >= 0
            out[has] = np.where(leads[None, :], out[has] + onward, out[has])
        # people indoors use building exits, people outdoors use gates
        outdoor = self._is_outdoor_level[self.level[rows]]
        wrong = outdoor[:, None] != self._exit_outdoor[None, :]
        out[wrong] = np.inf
        return out

    def _choose(self, group: mesa.agent.AgentSet) -> None:
        """Give every agent of one strategy group an exit (one vectorised choice)."""
        rows = np.fromiter((a.index for a in group), dtype=np.intp, count=len(group))
        strategy = group[0].strategy
        allowed = self.known_exit & ~self.blocked
        # people outdoors heading to a muster point need no exit
        direct = self._is_outdoor_level[self.level[rows]] & (self.muster[rows] >= 0)
        choice = np.full(len(rows), -1, dtype=np.intp)
        pick = rows[~direct]
        if len(pick):
            cost = self._exit_costs(pick)
            fallback_quickest = self.plan.default_strategy == "quickest"
            if strategy == "quickest" or (strategy == "plan" and fallback_quickest):
                others = (self.target_exit >= 0) & (self.exit_used < 0)
                others[pick] = False
                others &= (self.state == _MOVING) | (self.state == _ON_STAIRS)
                o_rows = np.flatnonzero(others)
                choice_q = exit_choice.quickest_exit(
                    cost,
                    self.desired_speed_m_s[pick],
                    self._exit_width,
                    allowed=allowed,
                    committed_cost_m=self.route_distance_m[o_rows],
                    committed_exit=self.target_exit[o_rows],
                )
                fallback = choice_q
            else:
                fallback = exit_choice.nearest_exit(cost, allowed)
            if strategy == "plan":
                choice[~direct] = exit_choice.planned_exit(
                    self.planned_exit[pick], cost, fallback, allowed
                )
            else:
                choice[~direct] = fallback
        self.target_exit[rows] = choice
        stranded = ~direct & (choice < 0)
        if stranded.any():
            logger.warning(
                "%d people (first: %d) reach no allowed exit from where they stand; they stay",
                int(stranded.sum()),
                int(rows[stranded][0]),
            )
        goal = np.where(choice >= 0, self.router.exit_portal[np.maximum(choice, 0)], -1)
        if direct.any():
            goal[direct] = self.router.muster_portal[self.muster[rows[direct]]]
        self.goal[rows] = goal
        self._update_next_portals(rows)

    def _update_next_portals(self, rows: NDArray[np.intp]) -> None:
        """Next portal and route distance of people ``rows`` on their current level."""
        on_floor = rows[self.state[rows] != _ON_STAIRS]
        for li in np.unique(self.level[on_floor]):
            r = on_floor[self.level[on_floor] == li]
            has_goal = self.goal[r] >= 0
            portal = np.full(len(r), -1, dtype=np.intp)
            dist = np.full(len(r), np.inf)
            if has_goal.any():
                rg = r[has_goal]
                p, d = self.router.next_portals(int(li), self.positions_m[rg], self.goal[rg])
                portal[has_goal], dist[has_goal] = p, d
            self.next_portal[r] = portal
            self.route_distance_m[r] = dist

    def _decide(self) -> None:
        """Decide routes for the agents that asked: Mesa agent set, groups, vectorised choice."""
        rows = np.flatnonzero(self.needs_route)
        self.needs_route[rows] = False
        rows = rows[(self.state[rows] == _MOVING) | (self.state[rows] == _ON_STAIRS)]
        if len(rows) == 0:
            return
        due = mesa.agent.AgentSet([self._agent_list[i] for i in rows], random=self.random)
        due.groupby("strategy").map(self._choose)

    # ------------------------------------------------------------------------------- stepping

    def step(self) -> None:
        """Advance by the default step (0.01 s, JuPedSim's); prefer :meth:`advance`."""
        self.advance(collision_free_speed.DEFAULT_DT_S)

    def advance(
        self,
        dt_s: float,
        t_s: float | None = None,
        hazard_sample_fn: FieldSampler | HazardSampleFn | None = None,
    ) -> None:
        """Advance everyone by one time step.

        Parameters
        ----------
        dt_s : float
            Step length, s; in [:data:`MIN_DT_S`, :data:`MAX_DT_S`].
        t_s : float, optional
            Time at the start of the step, s (the driving clock's ``now``); default the model's
            own count of steps times their lengths.
        hazard_sample_fn : FieldSampler or callable, optional
            Hazard for this step (``sample(points (n, 3), t_s) -> HazardSample`` or a function
            with that signature); default the model's ``hazard``.

        Raises
        ------
        InvalidInputError
            If ``dt_s`` is out of range or ``t_s`` is not finite.
        """
        dt = _check_dt(dt_s)
        self._last_dt = dt
        if t_s is not None:
            if not math.isfinite(t_s):
                raise InvalidInputError(f"t_s = {t_s!r} s: must be finite")
            self.time_s = float(t_s)
        t0 = self.time_s
        t1 = t0 + dt
        while self._block_schedule and self._block_schedule[0][0] <= t0:
            self._block(self._block_schedule.pop(0)[1])

        starting = (self.state == _WAITING) & (self.pre_movement_end_s <= t0)
        if starting.any():
            self.state[starting] = _MOVING
            self.needs_route |= starting
        self._apply_hazard(t0, dt, hazard_sample_fn)
        if t0 >= self._next_reconsider_s:
            self._next_reconsider_s += float(self.reconsider_interval_s or math.inf)
            quick = self.strategy == "quickest"
            self.needs_route |= quick & (self.state == _MOVING)
        if self.needs_route.any():
            self._decide()
        if t0 >= self._next_route_update_s:
            self._next_route_update_s += self.route_update_interval_s
            moving = np.flatnonzero(self.state == _MOVING)
            self._update_next_portals(moving)

        old = self.positions_m.copy()
        self._move_levels(dt)
        self._move_stairs(dt)
        step_m = self.positions_m - old
        self.distance_m += np.hypot(step_m[:, 0], step_m[:, 1])
        self._pass_exits(t1, dt)
        self._enter_stairs()
        self._leave_stairs()
        self._reach_musters(t1)
        self.time_s = t1
        self._record_frame()

    def _move_levels(self, dt: float) -> None:
        """One collision-free-speed kernel call per level with anyone moving on it."""
        s = self.state
        present = (s == _WAITING) | (s == _MOVING) | (s == _INCAPACITATED)
        moving_all = s == _MOVING
        speed = self.desired_speed_m_s * self.speed_factor
        for li in range(len(self._keys)):
            on_level = self.level == li
            moving = moving_all & on_level
            if not moving.any():
                continue
            active = present & on_level
            # everyone not moving on this level has no portal, hence no direction
            portal = np.where(moving, self.next_portal, -1)
            result = collision_free_speed.step(
                self.positions_m,
                self.router.directions(li, self.positions_m, portal),
                speed,
                self.radius_m,
                walls=self.layout.levels[self._keys[li]].walls,
                dt_s=dt,
                params=self.params,
                active=active,
                moving=moving,
                neighbours=self._neighbours.get(("level", li)),
            )
            self._neighbours[("level", li)] = result.neighbours
            keep = active[:, None]
            np.copyto(self.positions_m, result.positions_m, where=keep)
            np.copyto(self.velocities_m_s, result.velocities_m_s, where=keep)

    def _move_stairs(self, dt: float) -> None:
        """One kernel call per occupied stair and direction, in the stair's own frame.

        The stair scales the speed-spacing relation by its speed ratio for the direction: the
        desired speed by the ratio (:meth:`_stair_speed`) and the time gap by its inverse
        (:mod:`scenarios.evacuation.stairs`). People walking the other way on the same lane
        stand still for the call that moves one direction and block it; the calls go up first,
        then down.
        """
        if not self.lanes:
            return
        on = self.state == _ON_STAIRS
        if not on.any():
            return
        speed = np.zeros(self.n)
        rows_on = np.flatnonzero(on)
        speed[rows_on] = self._stair_speed(rows_on)
        direction = np.zeros((self.n, 2))
        direction[:, 0] = np.where(self.stair_up, 1.0, -1.0)
        for lane in self.lanes:
            active = on & (self.stair == lane.index)
            if not active.any():
                continue
            for going_up, ratio in ((True, lane.speed_ratio_up), (False, lane.speed_ratio_down)):
                moving = active & (self.stair_up == going_up)
                if not moving.any():
                    continue
                key = ("stair up" if going_up else "stair down", lane.index)
                result = collision_free_speed.step(
                    self.stair_local_m,
                    direction,
                    speed,
                    self.radius_m,
                    walls=lane.walls,
                    dt_s=dt,
                    params=replace(self.params, time_gap_s=self.params.time_gap_s / ratio),
                    active=active,
                    moving=moving,
                    neighbours=self._neighbours.get(key),
                )
                self._neighbours[key] = result.neighbours
                rows = np.flatnonzero(moving)
                self.stair_local_m[rows] = result.positions_m[rows]
                site = lane.to_site(result.positions_m[rows])
                self.velocities_m_s[rows] = (site - self.positions_m[rows]) / dt
                self.positions_m[rows] = site

    def _stair_speed(self, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        """Desired speed along the pitch of people ``rows`` on their stair, m/s."""
        up = np.array([lane.speed_ratio_up for lane in self.lanes])
        down = np.array([lane.speed_ratio_down for lane in self.lanes])
        lane = self.stair[rows]
        ratio = np.where(self.stair_up[rows], up[lane], down[lane])
        return np.asarray(self.desired_speed_m_s[rows] * self.speed_factor[rows] * ratio)

    def _pass_exits(self, t1: float, dt: float) -> None:
        """People past an exit line leave through it (or go outdoors).

        Those whose next portal is the exit leave once past its line (:meth:`ExitSpec.crossed`);
        anyone else moving on the exit's level whose centre is past the line of an open exit,
        within its width, has been pushed through it by the crowd and leaves through it too
        (:meth:`_pushed_through`).
        """
        moving = self.state == _MOVING
        near = self._near_exit_lines(moving)
        for k, e in enumerate(self.layout.exits):
            rows = near[self._exit_of_portal[self.next_portal[near]] == k]
            crossed = rows[e.crossed(self.positions_m[rows])]
            if not self.blocked[k]:
                pushed = self._pushed_through(k, moving)
                if len(pushed):
                    crossed = np.union1d(crossed, pushed)
            if len(crossed) == 0:
                continue
            if self.door_flow_cap_p_s_m is not None:
                cap = self.door_flow_cap_p_s_m * e.width_m
                self._door_tokens[k] = min(self._door_tokens[k] + cap * dt, max(1.0, cap * dt))
                allowed = int(self._door_tokens[k])
                held = crossed[allowed:]
                crossed = crossed[:allowed]
                self._door_tokens[k] -= len(crossed)
                if len(held):
                    back = self.positions_m[held] - e.midpoint_m
                    depth = back @ e.outward_normal
                    self.positions_m[held] -= (depth + 1e-3)[:, None] * e.outward_normal
            if len(crossed) == 0:
                continue
            self.target_exit[crossed] = k
            self.exit_used[crossed] = k
            self.exit_time_s[crossed] = t1
            onward = crossed[self.muster[crossed] >= 0] if e.leads_to is not None else crossed[:0]
            done = np.setdiff1d(crossed, onward, assume_unique=True)
            self.state[done] = _EXITED
            moving[done] = False
            self.velocities_m_s[done] = 0.0
            if len(onward):
                rel = self.positions_m[onward] - e.midpoint_m
                depth = rel @ e.outward_normal
                push = np.maximum(0.0, self.radius_m[onward] + _EXIT_ARRIVAL_GAP_M - depth)
                self.positions_m[onward] += push[:, None] * e.outward_normal
                self.level[onward] = self._exit_leads_to[k]
                self.goal[onward] = self.router.muster_portal[self.muster[onward]]
                self._update_next_portals(onward)
                # their next portal may be another exit already at hand
                near = self._near_exit_lines(moving)

    def _pushed_through(self, k: int, moving: NDArray[np.bool_]) -> NDArray[np.intp]:
        """Return people ``moving`` on exit ``k``'s level, not heading for it, who are past it.

        Past the line and within the exit's width: the crowd pushed them through the opening.
        """
        level = self._exit_level[k]
        rows = np.flatnonzero(
            moving & (self.level == level) & (self._exit_of_portal[self.next_portal] != k)
        )
        if len(rows) == 0:
            return rows
        pts = self.positions_m[rows]
        past = (
            pts[:, 0] * self._exit_normal_x[k]
            + pts[:, 1] * self._exit_normal_y[k]
            - self._exit_offset_m[k]
        )
        beyond = past > 0.0
        rows, pts = rows[beyond], pts[beyond]
        e = self.layout.exits[k]
        lateral = (pts - e.midpoint_m) @ e.tangent
        return np.asarray(rows[np.abs(lateral) <= 0.5 * e.width_m], dtype=np.intp)

    def _near_exit_lines(self, moving: NDArray[np.bool_]) -> NDArray[np.intp]:
        """People ``moving`` whose next portal is an exit and who may be past its line.

        A cheap, conservative pre-selection for :meth:`ExitSpec.crossed`: the signed distance
        past the line of the exit (without the lateral test) is above -1 micrometre.
        """
        if not self.layout.exits:
            return np.zeros(0, dtype=np.intp)
        k = self._exit_of_portal[self.next_portal]
        heading = moving & (k >= 0)
        past = (
            self.positions_m[:, 0] * self._exit_normal_x[k]
            + self.positions_m[:, 1] * self._exit_normal_y[k]
            - self._exit_offset_m[k]
        )
        return np.flatnonzero(heading & (past > -1e-6))

    def _enter_stairs(self) -> None:
        """People at a stair end step onto the lane where there is room."""
        if not self.lanes:
            return
        moving = self.state == _MOVING
        for p in self.router.portals:
            if p.kind != "stair":
                continue
            rows = np.flatnonzero(moving & (self.next_portal == p.index))
            if len(rows) == 0:
                continue
            lane = self.lanes[p.ref]
            near = rows[lane.near_end(p.end, self.positions_m[rows], self.radius_m[rows])]
            if len(near) == 0:
                continue
            entry = lane.entry_local(p.end, self.positions_m[near], self.radius_m[near])
            on_lane = np.flatnonzero((self.state == _ON_STAIRS) & (self.stair == lane.index))
            ok = _room_for(
                entry, self.radius_m[near], self.stair_local_m[on_lane], self.radius_m[on_lane]
            )
            near, entry = near[ok], entry[ok]
            if len(near) == 0:
                continue
            self.state[near] = _ON_STAIRS
            self.stair[near] = lane.index
            self.stair_local_m[near] = entry
            self.stair_up[near] = p.end == "bottom"
            self.positions_m[near] = lane.to_site(entry)

    def _leave_stairs(self) -> None:
        """People at the far end of a lane step onto the other level where there is room."""
        if not self.lanes:
            return
        on = self.state == _ON_STAIRS
        if not on.any():
            return
        for lane in self.lanes:
            rows = np.flatnonzero(on & (self.stair == lane.index))
            if len(rows) == 0:
                continue
            up = self.stair_up[rows]
            done = lane.reached_end(self.stair_local_m[rows], up, self.radius_m[rows])
            rows, up = rows[done], up[done]
            if len(rows) == 0:
                continue
            target_level = np.where(up, lane.upper, lane.lower)
            arrive = lane.arrival_site(up, self.stair_local_m[rows], self.radius_m[rows])
            ok = np.zeros(len(rows), dtype=bool)
            for li in np.unique(target_level):
                sel = target_level == li
                there = np.flatnonzero(
                    (self.level == li)
                    & (
                        (self.state == _WAITING)
                        | (self.state == _MOVING)
                        | (self.state == _INCAPACITATED)
                    )
                )
                ok[sel] = _room_for(
                    arrive[sel],
                    self.radius_m[rows[sel]],
                    self.positions_m[there],
                    self.radius_m[there],
                )
            rows, arrive, target_level = rows[ok], arrive[ok], target_level[ok]
            if len(rows) == 0:
                continue
            self.state[rows] = _MOVING
            self.stair[rows] = -1
            self.level[rows] = target_level
            self.positions_m[rows] = arrive
            self._update_next_portals(rows)

    def _reach_musters(self, t1: float) -> None:
        """People inside the muster area they walk to have arrived."""
        if not self.layout.muster_areas:
            return
        moving = self.state == _MOVING
        for k, m in enumerate(self.layout.muster_areas):
            portal = self.router.muster_portal[k]
            rows = np.flatnonzero(moving & (self.goal == portal))
            if len(rows) == 0:
                continue
            d = np.hypot(*(self.positions_m[rows] - m.position_m).T)
            arrived = rows[d <= m.radius_m]
            self.state[arrived] = _EXITED
            self.muster_time_s[arrived] = t1
            self.velocities_m_s[arrived] = 0.0

    # --------------------------------------------------------------------------------- hazard

    def _apply_hazard(
        self, t0: float, dt: float, override: FieldSampler | HazardSampleFn | None
    ) -> None:
        field = override if override is not None else self.hazard
        if field is None:
            return
        if self._effects is None:
            self._effects = _HazardEffects.create(field, self._hazard_data, self.n)
        if isinstance(field, QuietField) and not self._hazard_applied:
            # zero everywhere and nothing before it: no dose, no slowing, no route cost to add
            # (the route updates keep their schedule)
            if t0 >= self._next_hazard_route_s:
                self._next_hazard_route_s = t0 + self.route_update_interval_s
            return
        self._hazard_applied = True
        sample_fn = cast(HazardSampleFn, getattr(field, "sample", field))
        s = self.state
        exposed = np.flatnonzero(
            (s == _WAITING) | (s == _MOVING) | (s == _ON_STAIRS) | (s == _INCAPACITATED)
        )
        n = self.n
        vf = np.zeros(n)
        rad = np.zeros(n)
        op = np.zeros(n)
        if len(exposed):
            z = self._floor_height(exposed) + BREATHING_HEIGHT_M
            pts = np.column_stack([self.positions_m[exposed], z])
            got = sample_fn(pts, t0)
            vf[exposed] = got.volume_fraction
            rad[exposed] = got.radiation_w_m2
            op[exposed] = got.overpressure_pa
        sample = HazardSample(vf, rad, op)
        effects = self._effects
        effects.accumulate(sample, dt)
        self.speed_factor = effects.speed_factor(sample)
        newly = effects.incapacitated() & ((s == _WAITING) | (s == _MOVING) | (s == _ON_STAIRS))
        if newly.any():
            self.state[newly] = _INCAPACITATED
            self.incapacitated_time_s[newly] = t0 + dt
            self.velocities_m_s[newly] = 0.0
        if t0 >= self._next_hazard_route_s:
            self._next_hazard_route_s = t0 + self.route_update_interval_s
            self._update_route_costs(sample_fn, t0)

    def _floor_height(self, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        """Floor elevation under people ``rows`` (stairs interpolated), m."""
        z = self._elevation[self.level[rows]].copy()
        on = self.state[rows] == _ON_STAIRS
        for lane in self.lanes:
            sel = on & (self.stair[rows] == lane.index)
            if sel.any():
                z[sel] = lane.elevation_m(
                    self.stair_local_m[rows[sel]], self._elevation[lane.lower]
                )
        return z

    def _update_route_costs(self, sample_fn: HazardSampleFn, t_s: float) -> None:
        """Recompute a level's fields when the hazard's route cost there changed enough."""
        assert self._effects is not None
        changed = False
        for li, key in enumerate(self._keys):
            lv = self.layout.levels[key]
            cells = np.argwhere(lv.cells)
            if len(cells) == 0:
                continue
            x = lv.grid.x_m[cells[:, 1]]
            y = lv.grid.y_m[cells[:, 0]]
            z = np.full(len(cells), lv.elevation_m + BREATHING_HEIGHT_M)
            sample = sample_fn(np.column_stack([x, y, z]), t_s)
            mult = self._effects.route_cost(np.clip(sample.volume_fraction, 0.0, 1.0))
            grid_mult = np.ones(lv.grid.shape)
            grid_mult[cells[:, 0], cells[:, 1]] = mult
            old = self._route_multiplier.get(li)
            base = np.ones(lv.grid.shape) if old is None else old
            with np.errstate(invalid="ignore"):
                rel = np.abs(grid_mult - base) / np.maximum(base, 1.0)
            differs = np.isinf(grid_mult) != np.isinf(base)
            if not (
                np.any(differs) or np.nanmax(np.where(np.isinf(rel), 0.0, rel)) > ROUTE_COST_CHANGE
            ):
                continue
            self._route_multiplier[li] = grid_mult
            self.router.set_slowness(li, None if np.all(grid_mult == 1.0) else grid_mult)
            changed = True
        if changed:
            live = (self.state == _MOVING) | (self.state == _ON_STAIRS)
            self.needs_route |= live & (self.exit_used < 0)
            self._update_next_portals(np.flatnonzero(live & (self.exit_used >= 0)))

    # ------------------------------------------------------------------------------ results

    def _record_frame(self) -> None:
        if self.trajectory_interval_s is None:
            return
        frame_time = self._next_frame * self.trajectory_interval_s
        if self.time_s + 1e-9 < frame_time:
            return
        s = self.state
        rows = np.flatnonzero(
            (s == _WAITING) | (s == _MOVING) | (s == _ON_STAIRS) | (s == _INCAPACITATED)
        )
        level = np.where(self.state[rows] == _ON_STAIRS, -1, self.level[rows])
        z = self._floor_height(rows)
        data = np.column_stack([self.positions_m[rows], z, level])
        self._frames.append((self._next_frame, data))
        self._frame_ids.append(rows)
        self._next_frame = math.floor(self.time_s / self.trajectory_interval_s + 1e-9) + 1

    def _is_stalled(self) -> bool:
        """Return True when everyone active walks nowhere: no route, nobody waiting or on stairs."""
        s = self.state
        moving = s == _MOVING
        if np.any(moving & (self.next_portal >= 0)):
            return False
        if self._block_schedule or np.any((s == _WAITING) | (s == _ON_STAIRS)):
            return False
        return bool(moving.any())

    def result(self, meta: Mapping[str, object] | None = None) -> EvacuationResult:
        """Return the records and trajectories so far.

        Parameters
        ----------
        meta : Mapping[str, object], optional
            Extra run information stored with the result.

        Returns
        -------
        EvacuationResult
        """
        n = self.n
        rec = np.zeros(n, dtype=RECORD_DTYPE)
        rec["id"] = np.arange(n)
        rec["start_x_m"] = self.start_positions_m[:, 0]
        rec["start_y_m"] = self.start_positions_m[:, 1]
        exits = np.array([e.id for e in self.layout.exits] + [""])
        musters = np.array([m.id for m in self.layout.muster_areas] + [""])
        rec["area"] = self.area_id
        rec["pre_movement_s"] = self.pre_movement_s
        rec["exit"] = exits[self.exit_used]
        rec["exit_time_s"] = self.exit_time_s
        rec["muster"] = musters[self.muster]
        rec["muster_time_s"] = self.muster_time_s
        rec["distance_m"] = self.distance_m
        if self._effects is not None:
            dose = self._effects.state
            rec["fed_toxic"] = dose.fed_toxic
            rec["fed_heat"] = dose.fed_heat
            rec["toxic_load_ppmn_min"] = dose.toxic_load_ppmn_min
            rec["fatality_probability"] = self._effects.fatality()
        outcome = np.full(n, "inside", dtype="U16")
        outcome[self.state == _EXITED] = "evacuated"
        outcome[(self.state == _EXITED) & np.isfinite(self.muster_time_s)] = "mustered"
        outcome[self.state == _INCAPACITATED] = "incapacitated"
        rec["outcome"] = outcome
        keys = np.array(self._keys)
        rec["start_level"] = keys[self._start_level]
        if self._frames:
            frames = np.concatenate([np.full(len(d), f, dtype=np.int64) for f, d in self._frames])
            data = np.concatenate([d for _, d in self._frames])
            ids = np.concatenate(self._frame_ids).astype(np.int64)
        else:
            frames = np.zeros(0, dtype=np.int64)
            data = np.zeros((0, 4))
            ids = np.zeros(0, dtype=np.int64)
        traj = Trajectories(
            interval_s=self.trajectory_interval_s or 1.0,
            frame=frames,
            id=ids,
            x_m=data[:, 0],
            y_m=data[:, 1],
            z_m=data[:, 2],
            level=data[:, 3].astype(np.int64),
        )
        info: dict[str, object] = {
            "strategy": self.plan.default_strategy,
            "door_flow_cap_p_s_m": self.door_flow_cap_p_s_m,
        }
        info.update(meta or {})
        return EvacuationResult(
            records=rec,
            trajectories=traj,
            exit_ids=tuple(self.layout.exit_ids),
            level_keys=tuple(self._keys),
            end_time_s=self.time_s,
            dt_s=float(self._last_dt),
            meta=info,
        )

    def run_until_clear(
        self,
        max_time_s: float,
        dt_s: float = collision_free_speed.DEFAULT_DT_S,
        on_progress: Callable[[float], None] | None = None,
    ) -> EvacuationResult:
        """Run until nobody is left waiting, moving or on a stair, or until ``max_time_s``.

        Parameters
        ----------
        max_time_s : float
            Latest time to stop, s; > 0.
        dt_s : float
            Time step, s.
        on_progress : callable, optional
            Called with the fraction done (time or people out, whichever is further) about
            every simulated second.

        Returns
        -------
        EvacuationResult

        Raises
        ------
        InvalidInputError
            If ``max_time_s`` or ``dt_s`` is out of range.
        """
        dt = _check_dt(dt_s)
        if not (math.isfinite(max_time_s) and max_time_s > 0):
            raise InvalidInputError(f"max_time_s = {max_time_s!r} s: must be a finite number > 0")
        self._last_dt = dt
        self._record_frame()
        next_report = 1.0
        steps = 0
        while self.n_active > 0 and self.time_s < max_time_s - 1e-9:
            self.advance(dt)
            if self._is_stalled():
                logger.warning(
                    "t = %.1f s: the %d people left can reach no exit; stopping",
                    self.time_s,
                    self.n_active,
                )
                break
            steps += 1
            self.steps += 1
            if on_progress is not None and self.time_s >= next_report:
                next_report += 1.0
                out = 1.0 - self.n_active / max(self.n, 1)
                on_progress(min(1.0, max(self.time_s / max_time_s, out)))
        if on_progress is not None:
            on_progress(1.0)
        return self.result()


def _room_for(
    points_m: NDArray[np.float64],
    radius_m: NDArray[np.float64],
    others_m: NDArray[np.float64],
    others_radius_m: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Which new bodies fit: no overlap with ``others`` nor with an earlier new body, (k,) bool."""
    k = len(points_m)
    ok = np.ones(k, dtype=bool)
    if k == 0:
        return ok
    if len(others_m):
        reach = float(radius_m.max() + others_radius_m.max())
        tree = cKDTree(others_m)
        d, j = tree.query(points_m, k=min(8, len(others_m)), distance_upper_bound=reach)
        d = np.atleast_2d(d.reshape(k, -1))
        j = np.atleast_2d(j.reshape(k, -1))
        valid = j < len(others_m)
        rj = np.where(valid, others_radius_m[np.minimum(j, len(others_m) - 1)], 0.0)
        ok &= ~np.any(valid & (d < radius_m[:, None] + rj), axis=1)
    if k > 1:
        gap = np.hypot(*(points_m[:, None, :] - points_m[None, :, :]).transpose(2, 0, 1))
        clash = gap < radius_m[:, None] + radius_m[None, :]
        clash &= np.tri(k, k, -1, dtype=bool)  # j < i: an earlier newcomer has priority
        ok &= ~np.any(clash & ok[None, :], axis=1)
    return ok


class _HazardEffects:
    """Adapter from the model to :mod:`solvers.effects.person_dose` (dose state of all people)."""

    def __init__(self, hazard: HazardData | None, n: int) -> None:
        self.hazard = hazard
        self.state: DoseState = person_dose.initial_dose_state(n)

    @classmethod
    def create(cls, field: Any, hazard_data: HazardData | None, n: int) -> _HazardEffects:
        """Use ``hazard_data`` if given, else the hazard data of the field's substance."""
        if hazard_data is None:
            name = getattr(field, "substance", None)
            if name is not None:
                from solvers.substances.library import substance

                hazard_data = substance(name).hazard
        return cls(hazard_data, n)

    def accumulate(self, sample: HazardSample, dt: float) -> None:
        """Add one step of exposure."""
        self.state = person_dose.accumulate_dose(self.state, sample, dt, hazard=self.hazard)

    def speed_factor(self, sample: HazardSample) -> NDArray[np.float64]:
        """Walking-speed factor from the sample, (n,)."""
        return person_dose.walking_speed_factor(sample, hazard=self.hazard)

    def incapacitated(self) -> NDArray[np.bool_]:
        """Who has reached the incapacitation threshold, (n,)."""
        return person_dose.is_incapacitated(self.state)

    def route_cost(self, volume_fraction: NDArray[np.float64]) -> NDArray[np.float64]:
        """Route-cost multiplier of concentrations (any shape)."""
        return person_dose.route_cost_multiplier(
            volume_fraction, self.hazard, impassable_factor=IMPASSABLE_ROUTE_COST
        )

    def fatality(self) -> NDArray[np.float64]:
        """Probability of death of everyone, (n,)."""
        return person_dose.fatality_probability(self.state, hazard=self.hazard)
