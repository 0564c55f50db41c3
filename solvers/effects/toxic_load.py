"""Toxic load and the probit dose-response model for inhaled toxic gases.

The harm from a toxic gas depends on concentration and time together through the toxic load

    L = integral of C(t)^n dt,

with C in ppm and t in minutes, the units in which the published probit constants are defined
(ten Berge et al. 1986; TNO Purple Book CPR 18E, 2005, sec. 5.2). The probit

    Pr = a + b ln L

turns the load into the fraction of an exposed population that dies, P = Phi(Pr - 5), with Phi
the standard normal distribution (Finney 1971). For a constant concentration the load is C^n t,
so every quantity has a closed form: the concentration or the exposure time that gives a chosen
fatality fraction.

Inside the project concentrations are volume fractions and times are seconds; the conversion to
ppm and minutes happens here, once, next to the published constants.

Time integration of a sampled history offers two rules: ``"trapezoid"`` (trapezoid rule on C^n,
second order for smooth histories) and ``"step"`` (each sample held until the next: exact for a
piecewise-constant history such as a field updated on a fixed clock). The crowd model uses
:func:`toxic_load_increment`, which holds the sampled concentration over one step.

References
----------
.. [1] ten Berge, W.F., Zwart, A., Appelman, L.M. (1986). Concentration-time mortality response
   relationship of irritant and systemically acting vapours and gases. J. Hazardous Materials
   13, 301-309.
.. [2] Finney, D.J. (1971). Probit Analysis, 3rd ed. Cambridge University Press.
.. [3] CPR 18E (2005). Guidelines for quantitative risk assessment ("Purple Book"), sec. 5.2.
   Committee for the Prevention of Disasters / RIVM, The Hague.
.. [4] CCPS (2000). Guidelines for Chemical Process Quantitative Risk Analysis, 2nd ed.,
   sec. 2.3.1. AIChE, New York.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from scipy import special

from solvers._checks import require_in_range, require_non_negative, require_positive
from solvers.effects._common import (
    PPM_PER_VOLUME_FRACTION,
    SECONDS_PER_MINUTE,
    as_array,
    as_fraction_array,
    as_time_axis,
    integrate_history,
    require_time_axis,
)
from solvers.errors import InvalidInputError

__all__ = [
    "PROBIT_AT_1_PERCENT",
    "PROBIT_AT_50_PERCENT",
    "IntegrationRule",
    "ProbitConstants",
    "concentration_for_probability",
    "probability_from_probit",
    "probit_from_probability",
    "time_to_probability_s",
    "toxic_fatality_probability",
    "toxic_load_constant",
    "toxic_load_for_probability",
    "toxic_load_history",
    "toxic_load_increment",
    "toxic_probit",
]

#: Probit of a 50 % response: the median of the normal tolerance distribution (Finney 1971).
PROBIT_AT_50_PERCENT = 5.0

#: Probit of a 1 % response, 5 + Phi^-1(0.01) (Finney 1971, Table I gives 2.67).
PROBIT_AT_1_PERCENT = 5.0 + float(special.ndtri(0.01))

IntegrationRule = Literal["trapezoid", "step"]
_RULES: tuple[str, ...] = ("trapezoid", "step")


class ProbitConstants(Protocol):
    """Published probit constants ``Pr = a + b ln(sum C^n t)`` with C in ppm and t in minutes.

    :class:`solvers.substances.library.ToxicProbit` satisfies this protocol.
    """

    @property
    def a(self) -> float:
        """Intercept, dimensionless."""
        ...

    @property
    def b(self) -> float:
        """Slope on ln(toxic load), dimensionless; > 0."""
        ...

    @property
    def n(self) -> float:
        """Concentration exponent of the toxic load; > 0."""
        ...

    @property
    def concentration_unit(self) -> str:
        """Unit of C in the published constants; only ``"ppm"`` is accepted here."""
        ...

    @property
    def time_unit(self) -> str:
        """Unit of t in the published constants; only ``"min"`` is accepted here."""
        ...


def _checked_probit(probit: ProbitConstants) -> tuple[float, float, float]:
    """Return ``(a, b, n)`` after checking the units and ranges of the published constants."""
    if probit.concentration_unit != "ppm" or probit.time_unit != "min":
        raise InvalidInputError(
            f"toxic probit defined in {probit.concentration_unit!r} and {probit.time_unit!r}: "
            + "only constants in 'ppm' and 'min' are supported (convert mg/m3 constants first)"
        )
    a = float(probit.a)
    if not math.isfinite(a):
        raise InvalidInputError(f"toxic probit a = {probit.a!r}: must be a finite number")
    b = require_positive("toxic probit b", probit.b, "")
    n = require_positive("toxic probit n", probit.n, "")
    return a, b, n


def _load_per_volume_fraction_power(
    volume_fraction: NDArray[np.float64], exponent_n: float
) -> NDArray[np.float64]:
    """C^n with C in ppm (the integrand of the toxic load, ppm^n)."""
    return np.asarray(np.power(volume_fraction * PPM_PER_VOLUME_FRACTION, exponent_n))


def toxic_load_constant(
    volume_fraction: Any, duration_s: Any, *, exponent_n: float
) -> NDArray[np.float64]:
    """Return the toxic load of a constant exposure, ``C^n t`` (C in ppm, t in min).

    Parameters
    ----------
    volume_fraction : float or array_like
        Constant concentration, volume fraction in [0, 1] (1 ppm = 1e-6).
    duration_s : float or array_like
        Exposure duration, s; >= 0. Broadcast against ``volume_fraction``.
    exponent_n : float
        Concentration exponent n of the probit; > 0.

    Returns
    -------
    ndarray
        Toxic load, ppm^n min, with the broadcast shape of the inputs.

    Raises
    ------
    InvalidInputError
        On a volume fraction outside [0, 1], a negative or non-finite duration, or n <= 0.
    """
    n = require_positive("exponent_n", exponent_n, "")
    c = as_fraction_array("volume_fraction", volume_fraction)
    t_s = as_array("duration_s", duration_s, "s")
    return np.asarray(_load_per_volume_fraction_power(c, n) * (t_s / SECONDS_PER_MINUTE))


def toxic_load_history(
    volume_fraction: Any,
    t_s: Any,
    *,
    exponent_n: float,
    rule: IntegrationRule = "trapezoid",
) -> NDArray[np.float64]:
    """Return the toxic load of a sampled concentration history, ``integral C^n dt``.

    Parameters
    ----------
    volume_fraction : array_like, shape (nt, ...)
        Concentration at each sample time (first axis) and receptor (other axes), volume
        fraction in [0, 1].
    t_s : array_like, shape (nt,)
        Sample times, s, non-decreasing.
    exponent_n : float
        Concentration exponent n of the probit; > 0.
    rule : {"trapezoid", "step"}
        ``"trapezoid"``: trapezoid rule on C^n. ``"step"``: each sample held until the next
        (left Riemann sum), exact for a piecewise-constant history; the last sample ends the
        history.

    Returns
    -------
    ndarray, shape (...)
        Toxic load per receptor, ppm^n min.

    Raises
    ------
    InvalidInputError
        On bad concentrations, times that are not one per sample or decrease, an unknown rule.
    """
    n = require_positive("exponent_n", exponent_n, "")
    if rule not in _RULES:
        raise InvalidInputError(f"rule = {rule!r}: choose one of {list(_RULES)}")
    c = as_fraction_array("volume_fraction", volume_fraction)
    require_time_axis("volume_fraction", c)
    t_min = as_time_axis("t_s", t_s, c.shape[0]) / SECONDS_PER_MINUTE
    return integrate_history(_load_per_volume_fraction_power(c, n), t_min, rule)


def toxic_load_increment(
    volume_fraction: Any, dt_s: float, *, exponent_n: float
) -> NDArray[np.float64]:
    """Return the toxic load gained over one step with the concentration held, ``C^n dt``.

    The per-step update of the crowd: the sampled concentration is held over ``dt_s``, so the
    sum of increments is the ``"step"`` rule of :func:`toxic_load_history`.

    Parameters
    ----------
    volume_fraction : array_like, shape (n,)
        Concentration at each agent, volume fraction in [0, 1].
    dt_s : float
        Step length, s; >= 0.
    exponent_n : float
        Concentration exponent n; > 0.

    Returns
    -------
    ndarray, shape (n,)
        Load increment, ppm^n min.

    Raises
    ------
    InvalidInputError
        On bad concentrations, a negative step or n <= 0.
    """
    dt = require_non_negative("dt_s", dt_s, "s")
    n = require_positive("exponent_n", exponent_n, "")
    c = as_fraction_array("volume_fraction", volume_fraction)
    return np.asarray(_load_per_volume_fraction_power(c, n) * (dt / SECONDS_PER_MINUTE))


def toxic_probit(toxic_load: Any, probit: ProbitConstants) -> NDArray[np.float64]:
    """Return the probit ``Pr = a + b ln L`` of a toxic load (``-inf`` where L = 0).

    Parameters
    ----------
    toxic_load : float or array_like
        Toxic load, ppm^n min, >= 0, computed with the same n as ``probit``.
    probit : ProbitConstants
        Published constants (C in ppm, t in min).

    Returns
    -------
    ndarray
        Probit, dimensionless, same shape as ``toxic_load``.

    Raises
    ------
    InvalidInputError
        On a negative or non-finite load, or constants in other units.
    """
    a, b, _ = _checked_probit(probit)
    load = as_array("toxic_load", toxic_load, "ppm^n min")
    with np.errstate(divide="ignore"):
        return np.asarray(a + b * np.log(load))


def probability_from_probit(probit_value: Any) -> NDArray[np.float64]:
    """Return the response fraction ``Phi(Pr - 5)`` of a probit value (``-inf`` gives 0).

    Parameters
    ----------
    probit_value : float or array_like
        Probit, dimensionless (not NaN).

    Returns
    -------
    ndarray
        Fraction in [0, 1], same shape.

    Raises
    ------
    InvalidInputError
        On NaN.

    Examples
    --------
    >>> float(probability_from_probit(5.0))
    0.5
    """
    pr = np.asarray(probit_value, dtype=np.float64)
    if np.isnan(pr).any():
        raise InvalidInputError("probit_value holds NaN: must be numbers (may be +-inf)")
    return np.asarray(special.ndtr(pr - PROBIT_AT_50_PERCENT))


def probit_from_probability(probability: Any) -> NDArray[np.float64]:
    """Return the probit ``5 + Phi^-1(P)`` of a response fraction in (0, 1).

    Parameters
    ----------
    probability : float or array_like
        Fraction, strictly between 0 and 1.

    Returns
    -------
    ndarray
        Probit, dimensionless.

    Raises
    ------
    InvalidInputError
        On a fraction outside (0, 1).
    """
    p = np.asarray(probability, dtype=np.float64)
    if not (np.isfinite(p).all() and (p > 0).all() and (p < 1).all()):
        raise InvalidInputError(
            f"probability = {probability!r}: every entry must lie strictly between 0 and 1"
        )
    return np.asarray(PROBIT_AT_50_PERCENT + special.ndtri(p))


def toxic_fatality_probability(toxic_load: Any, probit: ProbitConstants) -> NDArray[np.float64]:
    """Return the fatality fraction ``Phi(a + b ln L - 5)`` of a toxic load.

    Parameters
    ----------
    toxic_load : float or array_like
        Toxic load, ppm^n min, >= 0.
    probit : ProbitConstants
        Published constants (C in ppm, t in min).

    Returns
    -------
    ndarray
        Fraction in [0, 1].

    Raises
    ------
    InvalidInputError
        As :func:`toxic_probit`.
    """
    return probability_from_probit(toxic_probit(toxic_load, probit))


def toxic_load_for_probability(probability: float, probit: ProbitConstants) -> float:
    """Return the toxic load that gives a fatality fraction, ``exp((Pr - a) / b)``.

    Parameters
    ----------
    probability : float
        Fatality fraction in (0, 1).
    probit : ProbitConstants
        Published constants (C in ppm, t in min).

    Returns
    -------
    float
        Toxic load, ppm^n min.

    Raises
    ------
    InvalidInputError
        On a fraction outside (0, 1) or constants in other units.
    """
    a, b, _ = _checked_probit(probit)
    p = require_in_range(
        "probability",
        probability,
        "",
        low=0.0,
        high=1.0,
        low_inclusive=False,
        high_inclusive=False,
    )
    return math.exp((float(probit_from_probability(p)) - a) / b)


def concentration_for_probability(
    probability: float, probit: ProbitConstants, *, duration_s: float
) -> float:
    """Return the constant concentration that gives a fatality fraction after ``duration_s``.

    Solves ``a + b ln(C^n t) = Pr(P)`` for C: ``C = (exp((Pr - a)/b) / t)^(1/n)``.

    Parameters
    ----------
    probability : float
        Fatality fraction in (0, 1).
    probit : ProbitConstants
        Published constants (C in ppm, t in min).
    duration_s : float
        Exposure duration, s; > 0.

    Returns
    -------
    float
        Concentration, volume fraction (may exceed 1 when the probit is extrapolated far).

    Raises
    ------
    InvalidInputError
        On a fraction outside (0, 1), a non-positive duration or constants in other units.
    """
    _, _, n = _checked_probit(probit)
    t_min = require_positive("duration_s", duration_s, "s") / SECONDS_PER_MINUTE
    load = toxic_load_for_probability(probability, probit)
    return float((load / t_min) ** (1.0 / n) / PPM_PER_VOLUME_FRACTION)


def time_to_probability_s(
    probability: float, volume_fraction: Any, probit: ProbitConstants
) -> NDArray[np.float64]:
    """Return the constant-exposure time after which the fatality fraction is reached.

    ``t = exp((Pr - a)/b) / C^n``; infinite where C = 0.

    Parameters
    ----------
    probability : float
        Fatality fraction in (0, 1).
    volume_fraction : float or array_like
        Constant concentration, volume fraction in [0, 1].
    probit : ProbitConstants
        Published constants (C in ppm, t in min).

    Returns
    -------
    ndarray
        Time, s, same shape as ``volume_fraction``.

    Raises
    ------
    InvalidInputError
        On a fraction outside (0, 1), bad concentrations or constants in other units.
    """
    _, _, n = _checked_probit(probit)
    load = toxic_load_for_probability(probability, probit)
    c_n = _load_per_volume_fraction_power(as_fraction_array("volume_fraction", volume_fraction), n)
    with np.errstate(divide="ignore"):
        return np.asarray(load / c_n * SECONDS_PER_MINUTE)
