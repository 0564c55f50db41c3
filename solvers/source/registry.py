"""The discharge models by name, and a chooser that picks the model for a release spec.

Every model is a function ``release(spec, *, ambient_pressure_pa, n_samples) -> SourceTerm`` of
its own frozen input dataclass. :data:`SOURCE_MODELS` maps the model names used in scenario files
to those functions; :func:`release_source_term` dispatches on the type of the spec;
:func:`storage_phase` tells which model a vessel's contents need.
"""

from __future__ import annotations

from typing import Any, Protocol

from solvers.atmosphere import STANDARD_PRESSURE_PA
from solvers.errors import InvalidInputError
from solvers.source import flashing_two_phase, orifice_gas, orifice_liquid, pipe_rupture
from solvers.source._common import (
    DEFAULT_SAMPLES,
    FluidPhase,
    check_ambient_pressure,
    fluid_phase,
)
from solvers.source.source_term import SourceTerm
from solvers.substances.library import substance as lookup_substance

__all__ = [
    "SOURCE_MODELS",
    "ReleaseSpec",
    "SourceModel",
    "release_source_term",
    "source_model",
    "storage_phase",
]

ReleaseSpec = (
    orifice_liquid.LiquidTankLeak
    | orifice_gas.GasLeak
    | flashing_two_phase.PressurisedLiquidLeak
    | pipe_rupture.PipeRupture
)


class SourceModel(Protocol):
    """A discharge model: its input spec in, a sampled :class:`SourceTerm` out."""

    def __call__(
        self, spec: Any, /, *, ambient_pressure_pa: float = ..., n_samples: int = ...
    ) -> SourceTerm:
        """Return the source term of ``spec``."""
        ...


SOURCE_MODELS: dict[str, SourceModel] = {
    "orifice_liquid": orifice_liquid.release,
    "orifice_gas": orifice_gas.release,
    "flashing_two_phase": flashing_two_phase.release,
    "pipe_rupture": pipe_rupture.release,
}

_MODEL_OF_SPEC: dict[type, str] = {
    orifice_liquid.LiquidTankLeak: "orifice_liquid",
    orifice_gas.GasLeak: "orifice_gas",
    flashing_two_phase.PressurisedLiquidLeak: "flashing_two_phase",
    pipe_rupture.PipeRupture: "pipe_rupture",
}


def source_model(name: str) -> SourceModel:
    """Return the discharge model called ``name``.

    Parameters
    ----------
    name : str
        One of :data:`SOURCE_MODELS`.

    Returns
    -------
    SourceModel
        The model's ``release`` function.

    Raises
    ------
    InvalidInputError
        If the name is unknown; the message lists the known ones.
    """
    try:
        return SOURCE_MODELS[name]
    except KeyError:
        raise InvalidInputError(
            f"source model {name!r} is unknown; choose one of {sorted(SOURCE_MODELS)}"
        ) from None


def release_source_term(
    spec: ReleaseSpec,
    *,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
    n_samples: int = DEFAULT_SAMPLES,
) -> SourceTerm:
    """Return the source term of a release spec, with the model its type names.

    Parameters
    ----------
    spec : LiquidTankLeak, GasLeak, PressurisedLiquidLeak or PipeRupture
        The release.
    ambient_pressure_pa : float
        Ambient pressure, Pa.
    n_samples : int
        Number of rows of the source term.

    Returns
    -------
    SourceTerm
        The model's result.

    Raises
    ------
    InvalidInputError
        If the spec is of no known type, or its model rejects it.
    """
    name = _MODEL_OF_SPEC.get(type(spec))
    if name is None:
        raise InvalidInputError(
            f"release spec of type {type(spec).__name__!r} is unknown; give one of "
            + f"{sorted(t.__name__ for t in _MODEL_OF_SPEC)}"
        )
    return SOURCE_MODELS[name](spec, ambient_pressure_pa=ambient_pressure_pa, n_samples=n_samples)


def storage_phase(
    substance: str,
    temperature_k: float,
    pressure_pa: float,
    *,
    ambient_pressure_pa: float = STANDARD_PRESSURE_PA,
) -> FluidPhase:
    """Return what a vessel at (T, P) holds, which decides the model for a hole below its top.

    Parameters
    ----------
    substance : str
        Key in the substance library.
    temperature_k : float
        Storage temperature, K.
    pressure_pa : float
        Storage pressure, absolute, Pa.
    ambient_pressure_pa : float
        Ambient pressure, Pa.

    Returns
    -------
    {"gas", "liquid", "flashing"}
        ``"gas"`` (supercritical, or below the saturation pressure): :mod:`orifice_gas`;
        ``"liquid"`` (at or below the ambient boiling point): :mod:`orifice_liquid`;
        ``"flashing"`` (liquid above its ambient boiling point): :mod:`flashing_two_phase`.

    Raises
    ------
    InvalidInputError
        If the substance is unknown or the state is outside its range.
    """
    pa = check_ambient_pressure(ambient_pressure_pa)
    return fluid_phase(lookup_substance(substance), temperature_k, pressure_pa, pa)
