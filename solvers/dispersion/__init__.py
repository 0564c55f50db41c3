"""Atmospheric dispersion: passive Gaussian plumes and puffs, dense-gas clouds, and their fields.

:func:`~solvers.dispersion.regime.choose_regime` picks dense-gas or passive dispersion for a source
term and says why; every model's field is sampled through the same
:class:`~solvers.hazard_field.FieldSampler` protocol.
"""

from solvers.dispersion.concentration_field import ConcentrationField, evaluate_on_grid
from solvers.dispersion.dense_gas_britter_mcquaid import britter_mcquaid_plume, britter_mcquaid_puff
from solvers.dispersion.dense_gas_field import DenseGasField, dense_gas_field
from solvers.dispersion.dense_gas_slab import SlabSettings, slab_cloud, slab_plume
from solvers.dispersion.gaussian_plume import PlumeSource
from solvers.dispersion.gaussian_puff import gaussian_puff_train, instantaneous_puff
from solvers.dispersion.regime import RegimeChoice, choose_regime
from solvers.dispersion.stability import pasquill_class

__all__ = [
    "ConcentrationField",
    "DenseGasField",
    "PlumeSource",
    "RegimeChoice",
    "SlabSettings",
    "britter_mcquaid_plume",
    "britter_mcquaid_puff",
    "choose_regime",
    "dense_gas_field",
    "evaluate_on_grid",
    "gaussian_puff_train",
    "instantaneous_puff",
    "pasquill_class",
    "slab_cloud",
    "slab_plume",
]

# ``concentration_field`` and ``gaussian_plume`` are both modules and functions: import the
# functions from their modules so the package attributes stay the modules.
