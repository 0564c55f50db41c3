"""Release source terms: discharge through holes and ruptures, flashing, pool evaporation.

Every model returns a :class:`~solvers.source.source_term.SourceTerm`. Discharge models take a
frozen spec and are listed in :data:`~solvers.source.registry.SOURCE_MODELS`; the pool model runs
downstream of a discharge (rain-out or a spill) and returns a richer
:class:`~solvers.source.pool_spreading.PoolResult`.
"""

from solvers.source.flashing_two_phase import PressurisedLiquidLeak
from solvers.source.orifice_gas import GasLeak
from solvers.source.orifice_liquid import LiquidTankLeak
from solvers.source.pipe_rupture import Pipeline, PipeRupture
from solvers.source.pool_spreading import (
    PoolOptions,
    PoolResult,
    PoolSpill,
    PoolSurface,
    spill_from_source_term,
)
from solvers.source.registry import SOURCE_MODELS, release_source_term, source_model
from solvers.source.source_term import SourceTerm, constant_source

__all__ = [
    "SOURCE_MODELS",
    "GasLeak",
    "LiquidTankLeak",
    "PipeRupture",
    "Pipeline",
    "PoolOptions",
    "PoolResult",
    "PoolSpill",
    "PoolSurface",
    "PressurisedLiquidLeak",
    "SourceTerm",
    "constant_source",
    "release_source_term",
    "source_model",
    "spill_from_source_term",
]

# ``pool_spreading`` is a module and a function: import the function from its module.
