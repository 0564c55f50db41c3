"""Tests of solvers.effects.threshold_zones: AEGL durations, level lists, oxygen depletion."""

from __future__ import annotations

import dataclasses
import math
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.effects.threshold_zones import (
    ThresholdLevel,
    aegl_ppm,
    agent_fraction_for_oxygen,
    oxygen_volume_fraction,
    threshold_levels,
)
from solvers.errors import InvalidInputError
from solvers.substances.library import HazardData, substance


@pytest.fixture(scope="module")
def ammonia() -> HazardData:
    return substance("ammonia").hazard


@pytest.mark.verification
@pytest.mark.parametrize(
    ("key", "tier", "duration_s", "published_ppm"),
    [
        ("ammonia", 3, 600.0, 2700.0),
        ("ammonia", 3, 3600.0, 1100.0),
        ("ammonia", 2, 14400.0, 110.0),
        ("chlorine", 3, 1800.0, 28.0),
        ("chlorine", 2, 3600.0, 2.0),
        ("hydrogen_sulfide", 3, 28800.0, 31.0),
    ],
)
def test_published_durations_return_the_published_aegl(
    key: str, tier: int, duration_s: float, published_ppm: float
) -> None:
    """NRC AEGL volumes (ammonia vol. 6 2008, chlorine vol. 4 2004, H2S vol. 9 2010), final
    values: at a published duration both methods return the published value exactly."""
    hazard = substance(key).hazard
    for method in ("power_law", "protective_step"):
        assert aegl_ppm(hazard, tier, duration_s, method=method) == pytest.approx(
            published_ppm, rel=1e-12
        )


@pytest.mark.verification
def test_power_law_interpolation_is_log_linear(ammonia: HazardData) -> None:
    """Analytic: between 30 min (1600 ppm) and 60 min (1100 ppm) the power law C^k t = const
    gives the geometric mean sqrt(1600 * 1100) ppm at the geometric-mean duration."""
    t = math.sqrt(1800.0 * 3600.0)
    assert aegl_ppm(ammonia, 3, t) == pytest.approx(math.sqrt(1600.0 * 1100.0), rel=1e-12)


def test_protective_step_takes_the_next_longer_duration(ammonia: HazardData) -> None:
    assert aegl_ppm(ammonia, 3, 2700.0, method="protective_step") == 1100.0
    for t in np.linspace(600.0, 28800.0, 25):
        step = aegl_ppm(ammonia, 3, float(t), method="protective_step")
        assert step <= aegl_ppm(ammonia, 3, float(t)) + 1e-9


@pytest.mark.verification
def test_extrapolation_uses_the_sop_default_exponents(ammonia: HazardData) -> None:
    """NRC (2001) SOP defaults when no chemical-specific n is known: n = 3 towards shorter
    durations (C = 100 (1800/600)^(1/3) ppm) and n = 1 towards longer (C = 80 * 3600/28800)."""
    partial = dataclasses.replace(
        ammonia, aegl_ppm=MappingProxyType({(3, 1800): 100.0, (3, 3600): 80.0})
    )
    assert aegl_ppm(partial, 3, 600.0) == pytest.approx(100.0 * 3.0 ** (1.0 / 3.0), rel=1e-12)
    assert aegl_ppm(partial, 3, 28800.0) == pytest.approx(10.0, rel=1e-12)
    # The protective step has no longer value beyond 1 h, so it extrapolates the same way.
    assert aegl_ppm(partial, 3, 28800.0, method="protective_step") == pytest.approx(10.0)


@pytest.mark.property
@given(t1=st.floats(600.0, 28800.0), t2=st.floats(600.0, 28800.0))
def test_aegl_never_rises_with_duration(t1: float, t2: float) -> None:
    hazard = substance("chlorine").hazard
    lo, hi = sorted((t1, t2))
    for tier in (1, 2, 3):
        assert aegl_ppm(hazard, tier, hi) <= aegl_ppm(hazard, tier, lo) * (1 + 1e-12)


def test_bad_aegl_requests_are_refused(ammonia: HazardData) -> None:
    with pytest.raises(InvalidInputError, match="duration_s"):
        aegl_ppm(ammonia, 3, 300.0)
    with pytest.raises(InvalidInputError, match="duration_s"):
        aegl_ppm(ammonia, 3, 30000.0)
    with pytest.raises(InvalidInputError, match="tier"):
        aegl_ppm(ammonia, 4, 3600.0)
    with pytest.raises(InvalidInputError, match="method"):
        aegl_ppm(ammonia, 3, 3600.0, method="nearest")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="AEGL-3"):
        aegl_ppm(substance("methane").hazard, 3, 3600.0)


@pytest.mark.verification
def test_oxygen_displacement() -> None:
    """Analytic: O2 = 0.2095 (1 - C); 19.5 % O2 is left by 6.92 % of agent (1 - 19.5/20.95)."""
    np.testing.assert_allclose(oxygen_volume_fraction([0.0, 0.5, 1.0]), [0.2095, 0.10475, 0.0])
    assert agent_fraction_for_oxygen(0.195) == pytest.approx(1.0 - 0.195 / 0.2095, rel=1e-12)
    c = agent_fraction_for_oxygen(0.12)
    assert float(oxygen_volume_fraction(c)) == pytest.approx(0.12, rel=1e-12)
    with pytest.raises(InvalidInputError, match="oxygen_fraction"):
        agent_fraction_for_oxygen(0.25)
    with pytest.raises(InvalidInputError, match="agent_volume_fraction"):
        oxygen_volume_fraction(1.2)


@pytest.mark.verification
def test_ammonia_levels_hold_the_published_values(ammonia: HazardData) -> None:
    """Published ammonia values: AEGL-1/2/3 60 min 30/160/1100 ppm (NRC 2008), ERPG-1/2/3
    25/150/1500 ppm (AIHA), IDLH 300 ppm (NIOSH 1994), LFL 15 % (Zabetakis 1965)."""
    levels = {lv.key: lv for lv in threshold_levels(ammonia)}
    expected_ppm = {
        "aegl-1": 30.0,
        "aegl-2": 160.0,
        "aegl-3": 1100.0,
        "erpg-1": 25.0,
        "erpg-2": 150.0,
        "erpg-3": 1500.0,
        "idlh": 300.0,
        "lfl": 150000.0,
        "lfl-0.5": 75000.0,
    }
    assert set(levels) == set(expected_ppm)
    for key, ppm in expected_ppm.items():
        assert levels[key].volume_fraction * 1e6 == pytest.approx(ppm, rel=1e-12)
    assert levels["aegl-3"].name == "AEGL-3 (60 min)"
    assert levels["aegl-3"].tier == 3
    assert "NRC" in levels["aegl-3"].source


def test_levels_follow_the_exposure_duration(ammonia: HazardData) -> None:
    ten = {lv.key: lv for lv in threshold_levels(ammonia, exposure_duration_s=600.0)}
    assert ten["aegl-3"].volume_fraction == pytest.approx(2700e-6)
    assert ten["aegl-3"].name == "AEGL-3 (10 min)"
    assert ten["erpg-3"].volume_fraction == pytest.approx(1500e-6)


def test_asphyxiant_levels_and_options() -> None:
    methane = substance("methane").hazard
    levels = threshold_levels(methane, lfl_fractions=(1.0, 0.5, 0.1))
    keys = [lv.key for lv in levels]
    assert keys == ["lfl", "lfl-0.5", "lfl-0.1", "o2-0.195", "o2-0.16", "o2-0.12", "o2-0.1"]
    by_key = {lv.key: lv for lv in levels}
    assert by_key["lfl-0.1"].volume_fraction == pytest.approx(0.005)
    assert by_key["o2-0.195"].volume_fraction == pytest.approx(agent_fraction_for_oxygen(0.195))
    assert "1910.134" in by_key["o2-0.195"].source
    only_flammable = threshold_levels(methane, families=("flammable",))
    assert [lv.family for lv in only_flammable] == ["flammable", "flammable"]


def test_chlorine_has_no_flammable_or_oxygen_levels() -> None:
    families = {lv.family for lv in threshold_levels(substance("chlorine").hazard)}
    assert families == {"aegl", "erpg", "idlh"}


def test_bad_level_requests_are_refused(ammonia: HazardData) -> None:
    with pytest.raises(InvalidInputError, match="families"):
        threshold_levels(ammonia, families=("pac",))
    with pytest.raises(InvalidInputError, match="lfl_fractions"):
        threshold_levels(ammonia, lfl_fractions=(0.0,))
    with pytest.raises(InvalidInputError, match="volume_fraction"):
        ThresholdLevel(key="x", name="x", volume_fraction=1.5, tier=1, family="aegl", source="s")
    with pytest.raises(InvalidInputError, match="tier"):
        ThresholdLevel(key="x", name="x", volume_fraction=0.1, tier=0, family="aegl", source="s")
