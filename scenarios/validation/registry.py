"""The registry of validation cases and the check rows they report.

A case is a function with no arguments that returns one or more :class:`Check` rows; it is
registered with :func:`validation_case`. A check either compares a value with an expected number
within a relative or absolute tolerance, or tests that a value lies inside an acceptance range
(for example a fractional bias within [-0.3, 0.3] for field-trial scoring).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "CASES",
    "Check",
    "ValidationCase",
    "all_cases",
    "validation_case",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One compared quantity of a validation case.

    Give ``expected`` with ``rel_tol`` and/or ``abs_tol``, or an acceptance range ``lower`` /
    ``upper`` (either may be None for a one-sided range).

    Attributes
    ----------
    quantity : str
        What is compared, e.g. ``"centreline concentration at 500 m"``.
    got : float
        The model's value.
    unit : str
        Unit of ``got`` and ``expected``, as displayed ("kg/s", "m", "" for dimensionless).
    expected : float or None
        Published, analytic or measured value.
    rel_tol, abs_tol : float or None
        Allowed relative and absolute differences from ``expected``.
    lower, upper : float or None
        Acceptance range when no single expected value applies.
    """

    quantity: str
    got: float
    unit: str = ""
    expected: float | None = None
    rel_tol: float | None = None
    abs_tol: float | None = None
    lower: float | None = None
    upper: float | None = None

    def __post_init__(self) -> None:
        has_expected = self.expected is not None
        has_range = self.lower is not None or self.upper is not None
        if has_expected == has_range:
            raise ValueError(
                f"check {self.quantity!r}: give either expected (with a tolerance) or a range"
            )
        if has_expected and self.rel_tol is None and self.abs_tol is None:
            raise ValueError(f"check {self.quantity!r}: expected needs rel_tol or abs_tol")

    @property
    def passed(self) -> bool:
        """Whether ``got`` meets the expected value or lies in the range."""
        if not math.isfinite(self.got):
            return False
        if self.expected is not None:
            diff = abs(self.got - self.expected)
            ok_rel = self.rel_tol is not None and diff <= self.rel_tol * abs(self.expected)
            ok_abs = self.abs_tol is not None and diff <= self.abs_tol
            return ok_rel or ok_abs
        return (self.lower is None or self.got >= self.lower) and (
            self.upper is None or self.got <= self.upper
        )

    @property
    def expected_text(self) -> str:
        """The expected value or range as displayed."""
        if self.expected is not None:
            return f"{self.expected:.4g}"
        lo = "-inf" if self.lower is None else f"{self.lower:.4g}"
        hi = "inf" if self.upper is None else f"{self.upper:.4g}"
        return f"[{lo}, {hi}]"

    @property
    def tolerance_text(self) -> str:
        """The tolerance as displayed ("±5 %", "±0.1 m", "range")."""
        parts = []
        if self.rel_tol is not None:
            parts.append(f"±{100 * self.rel_tol:.3g} %")
        if self.abs_tol is not None:
            parts.append(f"±{self.abs_tol:.3g} {self.unit}".rstrip())
        return " or ".join(parts) if parts else "range"


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationCase:
    """A registered validation case.

    Attributes
    ----------
    id : str
        Stable identifier, ``"<family>/<case>"``, e.g. ``"dispersion/prairie-grass"``.
    title : str
        One line saying what is checked.
    source : str
        Citation of the published number, analytic solution or data set.
    kind : str
        ``"published"``, ``"analytic"`` or ``"measured"``.
    run : callable
        Function returning the case's checks.
    known_failure : str or None
        Why the model is known not to meet this case yet; such a case is still run and shown,
        and the test suite expects it to fail (and flags it when it starts to pass).
    """

    id: str
    title: str
    source: str
    kind: str
    run: Callable[[], Sequence[Check]]
    known_failure: str | None = None

    @property
    def family(self) -> str:
        """The part of ``id`` before the slash."""
        return self.id.split("/", 1)[0]


CASES: dict[str, ValidationCase] = {}

_KINDS = ("published", "analytic", "measured")


def validation_case(
    case_id: str, *, title: str, source: str, kind: str, known_failure: str | None = None
) -> Callable[[Callable[[], Sequence[Check]]], Callable[[], Sequence[Check]]]:
    """Register the decorated function as the validation case ``case_id``.

    ``known_failure`` says why the model does not meet the case yet (see :class:`ValidationCase`).
    """
    if kind not in _KINDS:
        raise ValueError(f"kind = {kind!r}: choose one of {list(_KINDS)}")
    if "/" not in case_id:
        raise ValueError(f"case id {case_id!r}: must read '<family>/<case>'")

    def register(func: Callable[[], Sequence[Check]]) -> Callable[[], Sequence[Check]]:
        if case_id in CASES:
            raise ValueError(f"validation case {case_id!r} is registered twice")
        CASES[case_id] = ValidationCase(
            id=case_id,
            title=title,
            source=source,
            kind=kind,
            run=func,
            known_failure=known_failure,
        )
        return func

    return register


def all_cases(family: str | None = None) -> list[ValidationCase]:
    """Every registered case (importing each ``*_cases`` module of this package), sorted by id."""
    package = importlib.import_module("scenarios.validation")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.endswith("_cases"):
            importlib.import_module(f"scenarios.validation.{info.name}")
    cases = sorted(CASES.values(), key=lambda c: c.id)
    if family is not None:
        cases = [c for c in cases if c.family == family]
    return cases
