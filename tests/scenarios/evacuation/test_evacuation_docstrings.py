"""The examples in the evacuation modules' docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "scenarios.evacuation.exit_choice",
    "scenarios.evacuation.layout",
    "scenarios.evacuation.model",
    "scenarios.evacuation.plan",
    "scenarios.evacuation.population",
    "scenarios.evacuation.results",
    "scenarios.evacuation.stairs",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
