"""Model performance measures (Chang and Hanna 2004): definitions, symmetries, inputs."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.validation import statistics
from scenarios.validation.statistics import (
    fraction_within_factor,
    fractional_bias,
    geometric_mean_bias,
    geometric_variance,
    normalized_mean_square_error,
    performance_measures,
)
from solvers.errors import InvalidInputError

positive = st.lists(st.floats(1e-6, 1e6), min_size=1, max_size=30)


def test_docstring_examples() -> None:
    assert doctest.testmod(statistics).failed == 0


@pytest.mark.verification
def test_perfect_model() -> None:
    """Identical data: FB = 0, MG = 1, NMSE = 0, VG = 1, FAC2 = 1 (Chang and Hanna 2004)."""
    obs = np.array([1.0, 5.0, 0.3, 12.0])
    m = performance_measures(obs, obs)
    assert (m.fb, m.mg, m.nmse, m.vg, m.fac2, m.n) == (0.0, 1.0, 0.0, 1.0, 1.0, 4)
    assert m.is_good_model


@pytest.mark.verification
def test_model_twice_too_high() -> None:
    """Cp = 2 Co: FB = -2/3, MG = 1/2, VG = exp(ln(2)^2), FAC2 = 1, NMSE = mean(Co^2)/(2 mean^2)."""
    obs = np.array([1.0, 2.0, 3.0, 6.0])
    m = performance_measures(obs, 2.0 * obs)
    assert m.fb == pytest.approx(-2.0 / 3.0)
    assert m.mg == pytest.approx(0.5)
    assert m.vg == pytest.approx(math.exp(math.log(2.0) ** 2))
    assert m.fac2 == 1.0
    assert m.nmse == pytest.approx(np.mean(obs**2) / (2.0 * obs.mean() ** 2))
    assert not m.is_good_model


@pytest.mark.property
@given(data=st.data(), obs=positive)
def test_swapping_roles_flips_the_bias(data: st.DataObject, obs: list[float]) -> None:
    pred = data.draw(st.lists(st.floats(1e-6, 1e6), min_size=len(obs), max_size=len(obs)))
    assert fractional_bias(obs, pred) == pytest.approx(-fractional_bias(pred, obs), abs=1e-12)
    assert geometric_mean_bias(obs, pred) * geometric_mean_bias(pred, obs) == pytest.approx(1.0)
    assert geometric_variance(obs, pred) == pytest.approx(geometric_variance(pred, obs))
    assert normalized_mean_square_error(obs, pred) == pytest.approx(
        normalized_mean_square_error(pred, obs)
    )
    assert 0.0 <= fraction_within_factor(obs, pred) <= 1.0
    assert abs(fractional_bias(obs, pred)) <= 2.0


def test_fac2_edges_and_zeros() -> None:
    assert fraction_within_factor([1.0, 1.0], [0.5, 2.0]) == 1.0
    assert fraction_within_factor([0.0, 0.0, 1.0], [0.0, 1.0, 0.0]) == pytest.approx(1.0 / 3.0)
    assert fraction_within_factor([1.0], [4.5], factor=5.0) == 1.0


def test_min_value_floors_near_zero_data() -> None:
    with pytest.raises(InvalidInputError, match="min_value"):
        geometric_mean_bias([0.0, 1.0], [1.0, 1.0])
    assert geometric_mean_bias([0.0, 1.0], [1e-3, 1.0], min_value=1e-3) == pytest.approx(1.0)


def test_bad_inputs_are_named() -> None:
    with pytest.raises(InvalidInputError, match="same number"):
        fractional_bias([1.0, 2.0], [1.0])
    with pytest.raises(InvalidInputError, match="same number"):
        fractional_bias([], [])
    with pytest.raises(InvalidInputError, match="finite"):
        normalized_mean_square_error([1.0, math.nan], [1.0, 1.0])
    with pytest.raises(InvalidInputError, match=">= 0"):
        fractional_bias([-1.0], [1.0])
    with pytest.raises(InvalidInputError, match="factor"):
        fraction_within_factor([1.0], [1.0], factor=0.5)
