"""Errors raised by the solvers.

Exception tree::

    ValueError
    └── InvalidInputError      an input a user must fix; the message names field, value and limit
    RuntimeError
    └── ConvergenceError       a numerical method that did not converge for valid inputs
"""

from __future__ import annotations


class InvalidInputError(ValueError):
    """Solver input out of its allowed range; the message names the field, value and the limit."""


class ConvergenceError(RuntimeError):
    """An iteration or integration that failed to converge; the message names the method."""
