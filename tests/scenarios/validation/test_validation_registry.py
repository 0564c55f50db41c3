"""The validation registry: check rows, registration rules and every registered case passing."""

from __future__ import annotations

import math

import pytest

from scenarios.validation.registry import CASES as REGISTRY
from scenarios.validation.registry import Check, all_cases, validation_case


def test_check_with_relative_tolerance() -> None:
    assert Check(quantity="q", got=1.04, expected=1.0, rel_tol=0.05).passed
    assert not Check(quantity="q", got=1.06, expected=1.0, rel_tol=0.05).passed


def test_check_with_absolute_tolerance_and_range() -> None:
    assert Check(quantity="q", got=0.2, expected=0.0, abs_tol=0.25).passed
    assert Check(quantity="fb", got=-0.2, lower=-0.3, upper=0.3).passed
    assert not Check(quantity="fac2", got=0.4, lower=0.5).passed
    assert Check(quantity="fac2", got=0.4, lower=0.5).expected_text == "[0.5, inf]"


def test_check_fails_on_nan() -> None:
    assert not Check(quantity="q", got=math.nan, lower=0.0).passed


def test_check_needs_expected_or_range() -> None:
    with pytest.raises(ValueError, match="either expected"):
        Check(quantity="q", got=1.0)
    with pytest.raises(ValueError, match="rel_tol or abs_tol"):
        Check(quantity="q", got=1.0, expected=1.0)


def test_registration_rejects_bad_ids_and_kinds() -> None:
    with pytest.raises(ValueError, match="family"):
        validation_case("no-family", title="t", source="s", kind="analytic")
    with pytest.raises(ValueError, match="kind"):
        validation_case("a/b", title="t", source="s", kind="guess")


def test_registration_keeps_the_known_failure() -> None:
    validation_case("tmp/known", title="t", source="s", kind="analytic", known_failure="why")(list)
    try:
        assert REGISTRY["tmp/known"].known_failure == "why"
    finally:
        del REGISTRY["tmp/known"]


CASES = all_cases()


@pytest.mark.verification
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validation_case_passes(case) -> None:  # type: ignore[no-untyped-def]
    """Every registered case: each check meets its published, analytic or measured target.

    A case with a known failure must still fail; when it starts to pass, its mark must go.
    """
    checks = list(case.run())
    assert checks, f"{case.id} returned no checks"
    failed = [c for c in checks if not c.passed]
    if case.known_failure is not None:
        assert failed, f"{case.id} now passes: remove its known_failure ({case.known_failure})"
        pytest.xfail(case.known_failure)
    assert not failed, "; ".join(
        f"{c.quantity}: got {c.got:.4g}, expected {c.expected_text} ({c.tolerance_text})"
        for c in failed
    )
