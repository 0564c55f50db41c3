"""Tests of solvers.source.registry: model lookup, dispatch on the spec type, storage phase."""

from __future__ import annotations

import pytest

from solvers.errors import InvalidInputError
from solvers.source._common import Tank
from solvers.source.flashing_two_phase import PressurisedLiquidLeak
from solvers.source.orifice_gas import GasLeak
from solvers.source.registry import (
    SOURCE_MODELS,
    release_source_term,
    source_model,
    storage_phase,
)


def test_unknown_model_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="orifice_gas"):
        source_model("bernoulli")
    assert source_model("pipe_rupture") is SOURCE_MODELS["pipe_rupture"]


def test_dispatch_follows_the_spec_type() -> None:
    gas = GasLeak(substance="hydrogen", pressure_pa=20e5, temperature_k=290.0, hole_diameter_m=0.01)
    assert release_source_term(gas, n_samples=11).model == "orifice_gas"
    tank = Tank(shape="sphere", diameter_m=10.0)
    leak = PressurisedLiquidLeak(
        substance="propane",
        tank=tank,
        liquid_level_m=6.0,
        temperature_k=288.0,
        hole_diameter_m=0.02,
    )
    assert release_source_term(leak, n_samples=11).model == "flashing_two_phase"
    with pytest.raises(InvalidInputError, match="GasLeak"):
        release_source_term("a leak")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "temperature_k", "pressure_pa", "phase"),
    [
        ("methane", 288.0, 50e5, "gas"),
        ("lng", 111.0, 1.2e5, "liquid"),
        ("ammonia", 293.15, 10e5, "flashing"),
        ("ammonia", 293.15, 5e5, "gas"),
        ("chlorine", 230.0, 3e5, "liquid"),
    ],
)
def test_storage_phase(key: str, temperature_k: float, pressure_pa: float, phase: str) -> None:
    assert storage_phase(key, temperature_k, pressure_pa) == phase
