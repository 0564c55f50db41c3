"""Rich tables for ``hazard-twin validate``: one row per check, grouped by validation case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scenarios.validation.registry import Check, ValidationCase


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """A case with the checks it returned, or the error it raised."""

    case: ValidationCase
    checks: tuple[Check, ...]
    error: str | None = None
    elapsed_s: float = 0.0

    @property
    def passed(self) -> bool:
        """Whether the case ran and every check passed."""
        return self.error is None and bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def is_known_failure(self) -> bool:
        """Whether the case failed as its known-failure mark says it does."""
        return self.case.known_failure is not None and not self.passed

    @property
    def is_acceptable(self) -> bool:
        """Whether the outcome leaves the validation run green (a pass or a known failure)."""
        return self.passed or self.is_known_failure


def outcome_json(outcome: CaseOutcome) -> dict[str, Any]:
    """One case outcome as a JSON-ready dict."""
    return {
        "id": outcome.case.id,
        "title": outcome.case.title,
        "kind": outcome.case.kind,
        "source": outcome.case.source,
        "passed": outcome.passed,
        "known_failure": outcome.case.known_failure,
        "error": outcome.error,
        "elapsed_s": round(outcome.elapsed_s, 3),
        "checks": [
            {
                "quantity": c.quantity,
                "unit": c.unit,
                "expected": c.expected,
                "lower": c.lower,
                "upper": c.upper,
                "rel_tol": c.rel_tol,
                "abs_tol": c.abs_tol,
                "got": c.got,
                "passed": c.passed,
            }
            for c in outcome.checks
        ],
    }


def render_validation(console: Console, outcomes: Sequence[CaseOutcome]) -> None:
    """Print the validation table (case, quantity, expected, got, tolerance, pass) and sources."""
    table = Table(title="hazard-twin validation", show_lines=False, expand=False)
    for name, justify in (
        ("case", "left"),
        ("kind", "left"),
        ("quantity", "left"),
        ("expected", "right"),
        ("got", "right"),
        ("tolerance", "right"),
        ("unit", "left"),
        ("pass", "center"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for outcome in outcomes:
        case = outcome.case
        if outcome.error is not None:
            table.add_row(
                escape(case.id),
                case.kind,
                f"[red]{escape(outcome.error)}[/]",
                "",
                "",
                "",
                "",
                "[red]✗",
            )
            continue
        for i, c in enumerate(outcome.checks):
            if c.passed:
                mark = "[green]✓"
            elif outcome.is_known_failure:
                mark = "[yellow]✗ known"
            else:
                mark = "[bold red]✗"
            table.add_row(
                escape(case.id) if i == 0 else "",
                case.kind if i == 0 else "",
                escape(c.quantity),
                c.expected_text,
                f"{c.got:.4g}",
                c.tolerance_text,
                escape(c.unit),
                mark,
            )
        table.add_section()
    console.print(table)
    console.print("[bold]Sources[/]")
    for outcome in outcomes:
        console.print(
            f"  {escape(outcome.case.id)}: {escape(outcome.case.source)}", highlight=False
        )
    known = [o for o in outcomes if o.is_known_failure]
    if known:
        console.print("[bold]Known failures[/] (the model does not meet these yet)")
        for outcome in known:
            reason = outcome.case.known_failure or ""
            console.print(f"  {escape(outcome.case.id)}: {escape(reason)}", highlight=False)
    n_pass = sum(o.passed for o in outcomes)
    colour = "green" if all(o.is_acceptable for o in outcomes) else "red"
    console.print(
        f"[{colour}]{n_pass} of {len(outcomes)} cases pass[/]"
        + (f", {len(known)} known failure(s)" if known else "")
    )
