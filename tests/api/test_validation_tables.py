"""The validation table: passes, new failures and known failures are told apart."""

from __future__ import annotations

from rich.console import Console

from api.validation_tables import CaseOutcome, outcome_json, render_validation
from scenarios.validation.registry import Check, ValidationCase


def _case(known_failure: str | None = None) -> ValidationCase:
    return ValidationCase(
        id="demo/case",
        title="t",
        source="s",
        kind="published",
        run=lambda: [],
        known_failure=known_failure,
    )


FAILING = (Check(quantity="q", got=2.0, expected=1.0, rel_tol=0.1),)
PASSING = (Check(quantity="q", got=1.0, expected=1.0, rel_tol=0.1),)


def test_a_known_failure_keeps_the_run_green_and_is_shown() -> None:
    outcome = CaseOutcome(_case("the model jams at corners"), FAILING)
    assert not outcome.passed
    assert outcome.is_known_failure
    assert outcome.is_acceptable
    console = Console(record=True, width=200)
    render_validation(console, [outcome])
    text = console.export_text()
    assert "known" in text
    assert "the model jams at corners" in text
    assert outcome_json(outcome)["known_failure"] == "the model jams at corners"


def test_a_new_failure_turns_the_run_red() -> None:
    outcome = CaseOutcome(_case(), FAILING)
    assert not outcome.is_acceptable


def test_a_known_failure_that_passes_is_a_plain_pass() -> None:
    outcome = CaseOutcome(_case("old reason"), PASSING)
    assert outcome.passed
    assert not outcome.is_known_failure
