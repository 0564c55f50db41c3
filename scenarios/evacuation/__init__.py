"""Agent-based evacuation: the Mesa crowd model on the twin's walkable levels.

Build an :class:`EvacuationLayout` from a site (or from polygons), people as an :class:`AgentSpec`
(or with :func:`population_from_layout`), then run an :class:`EvacuationModel` and read its
:class:`EvacuationResult`.
"""

from scenarios.evacuation.layout import EvacuationLayout, ExitSpec, StairSpec
from scenarios.evacuation.model import AgentState, EvacuationModel, Pedestrian
from scenarios.evacuation.plan import EvacuationPlan, Route
from scenarios.evacuation.population import (
    PRE_MOVEMENT_PRESETS,
    AgentSpec,
    PreMovementDistribution,
    population_from_layout,
    spawn_agents,
)
from scenarios.evacuation.results import (
    EvacuationResult,
    Trajectories,
    rset_statistics,
    write_trajectory_sqlite,
    write_trajectory_txt,
)

__all__ = [
    "PRE_MOVEMENT_PRESETS",
    "AgentSpec",
    "AgentState",
    "EvacuationLayout",
    "EvacuationModel",
    "EvacuationPlan",
    "EvacuationResult",
    "ExitSpec",
    "Pedestrian",
    "PreMovementDistribution",
    "Route",
    "StairSpec",
    "Trajectories",
    "population_from_layout",
    "rset_statistics",
    "spawn_agents",
    "write_trajectory_sqlite",
    "write_trajectory_txt",
]
