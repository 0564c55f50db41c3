"""Thermal radiation dose and the burn and lethality probits of people in the open.

The harm done by thermal radiation from a fire depends on the dose

    D = integral of q(t)^(4/3) dt,

with q the incident flux in W/m^2 and t in s, so D is in (W/m^2)^(4/3) s. Displays often use
the thermal dose unit, 1 TDU = 1 (kW/m^2)^(4/3) s = 10^4 (W/m^2)^(4/3) s
(:func:`thermal_dose_tdu`). A probit ``Pr = a + b ln(D / D_ref)`` gives the affected fraction
``Phi(Pr - 5)``.

Published probits, with the dose scale ``D_ref`` each was written with:

* Eisenberg, Lynch and Breeding (1975), lethality from nuclear-weapon thermal data:
  ``Pr = -14.9 + 2.56 ln(t q^(4/3) / 10^4)``.
* Tsao and Perry (1979), the same data corrected for the infrared spectrum of hydrocarbon fires:
  ``Pr = -12.8 + 2.56 ln(t q^(4/3) / 10^4)``. The TNO Green Book lethality probit,
  ``Pr = -36.38 + 2.56 ln(t q^(4/3))``, is the same line (-12.8 - 2.56 ln 10^4 = -36.38).
* First- and second-degree burns of unprotected skin (TNO Green Book CPR 16E, ch. 1):
  ``Pr = -39.83 + 3.0186 ln(t q^(4/3))`` and
  ``Pr = -43.14 + 3.0186 ln(t q^(4/3))``.

All are for unprotected skin and exposures of seconds to a few minutes; ordinary clothing lowers
the lethality (the Green Book counts only exposed skin). The dose of a changing flux is the time
integral, the same rule as for a constant flux.

References
----------
.. [1] Eisenberg, N.A., Lynch, C.J., Breeding, R.J. (1975). Vulnerability model: a simulation
   system for assessing damage resulting from marine spills. Report CG-D-136-75, US Coast
   Guard.
.. [2] Tsao, C.K., Perry, W.W. (1979). Modifications to the vulnerability model: a simulation
   system for assessing damage resulting from marine spills. Report CG-D-38-79, US Coast Guard.
.. [3] CPR 16E (1992). Methods for the determination of possible damage ("Green Book"), ch. 1
   "Heat radiation". Committee for the Prevention of Disasters, The Hague.
.. [4] CCPS (2000). Guidelines for Chemical Process Quantitative Risk Analysis, 2nd ed.,
   sec. 2.3.2. AIChE, New York.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from solvers._checks import require_in_range, require_non_negative, require_positive
from solvers.effects._common import (
    as_array,
    as_time_axis,
    integrate_history,
    require_time_axis,
)
from solvers.effects.toxic_load import (
    IntegrationRule,
    probability_from_probit,
    probit_from_probability,
)
from solvers.errors import InvalidInputError

__all__ = [
    "EISENBERG_LETHALITY",
    "FIRST_DEGREE_BURNS",
    "SECOND_DEGREE_BURNS",
    "THERMAL_PROBITS",
    "TSAO_PERRY_LETHALITY",
    "W43_S_M83_PER_TDU",
    "ThermalProbit",
    "thermal_dose_constant",
    "thermal_dose_for_probability",
    "thermal_dose_history",
    "thermal_dose_increment",
    "thermal_dose_tdu",
    "thermal_probability",
    "thermal_probit",
    "thermal_probit_named",
    "time_to_thermal_probability_s",
]

#: One thermal dose unit, (kW/m^2)^(4/3) s, in (W/m^2)^(4/3) s: 1000^(4/3) = 10^4.
W43_S_M83_PER_TDU = 1.0e4

_FLUX_EXPONENT = 4.0 / 3.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ThermalProbit:
    """A thermal-radiation probit ``Pr = a + b ln(D / dose_scale_w43_s_m83)``.

    Attributes
    ----------
    name : str
        Effect, e.g. ``"lethality (Eisenberg 1975)"``.
    a, b : float
        Published constants, dimensionless (b > 0).
    dose_scale_w43_s_m83 : float
        Dose the published form divides by, (W/m^2)^(4/3) s: 10^4 for Eisenberg and Tsao-Perry,
        1 for the Green Book forms.
    source : str
        Citation.
    """

    name: str
    a: float
    b: float
    dose_scale_w43_s_m83: float
    source: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.a):
            raise InvalidInputError(f"thermal probit a = {self.a!r}: must be a finite number")
        require_positive("thermal probit b", self.b, "")
        require_positive("dose_scale_w43_s_m83", self.dose_scale_w43_s_m83, "(W/m2)^(4/3) s")


#: Lethality, unprotected population (Eisenberg et al. 1975; as tabulated in CCPS 2000, sec. 2.3.2).
EISENBERG_LETHALITY = ThermalProbit(
    name="lethality (Eisenberg et al. 1975)",
    a=-14.9,
    b=2.56,
    dose_scale_w43_s_m83=W43_S_M83_PER_TDU,
    source="Eisenberg, Lynch & Breeding (1975), US Coast Guard CG-D-136-75",
)

#: Lethality corrected for the infrared spectrum of hydrocarbon fires (Tsao & Perry 1979);
#: identical to the TNO Green Book lethality probit -36.38 + 2.56 ln(t q^(4/3)).
TSAO_PERRY_LETHALITY = ThermalProbit(
    name="lethality (Tsao & Perry 1979)",
    a=-12.8,
    b=2.56,
    dose_scale_w43_s_m83=W43_S_M83_PER_TDU,
    source="Tsao & Perry (1979), US Coast Guard CG-D-38-79; CPR 16E (1992) ch. 1",
)

#: First-degree burns, unprotected skin (CPR 16E Green Book 1992, ch. 1).
FIRST_DEGREE_BURNS = ThermalProbit(
    name="first-degree burns",
    a=-39.83,
    b=3.0186,
    dose_scale_w43_s_m83=1.0,
    source="CPR 16E Green Book (1992), ch. 1",
)

#: Second-degree burns, unprotected skin (CPR 16E Green Book 1992, ch. 1).
SECOND_DEGREE_BURNS = ThermalProbit(
    name="second-degree burns",
    a=-43.14,
    b=3.0186,
    dose_scale_w43_s_m83=1.0,
    source="CPR 16E Green Book (1992), ch. 1",
)

#: The probits by key, for selection by name.
THERMAL_PROBITS: dict[str, ThermalProbit] = {
    "eisenberg": EISENBERG_LETHALITY,
    "tsao_perry": TSAO_PERRY_LETHALITY,
    "first_degree_burns": FIRST_DEGREE_BURNS,
    "second_degree_burns": SECOND_DEGREE_BURNS,
}


def thermal_probit_named(name: str) -> ThermalProbit:
    """Return the thermal probit registered as ``name`` (see :data:`THERMAL_PROBITS`).

    Parameters
    ----------
    name : str
        Key, e.g. ``"eisenberg"``.

    Returns
    -------
    ThermalProbit
        The probit.

    Raises
    ------
    InvalidInputError
        On an unknown key; the message lists the known ones.
    """
    try:
        return THERMAL_PROBITS[name]
    except KeyError:
        raise InvalidInputError(
            f"thermal probit {name!r} is unknown; choose one of {sorted(THERMAL_PROBITS)}"
        ) from None


def thermal_dose_constant(radiation_w_m2: Any, duration_s: Any) -> NDArray[np.float64]:
    """Return the dose of a constant flux, ``q^(4/3) t``, (W/m^2)^(4/3) s.

    Parameters
    ----------
    radiation_w_m2 : float or array_like
        Incident flux, W/m^2, >= 0.
    duration_s : float or array_like
        Exposure time, s, >= 0; broadcast against the flux.

    Returns
    -------
    ndarray
        Dose, (W/m^2)^(4/3) s.

    Raises
    ------
    InvalidInputError
        On negative or non-finite input.
    """
    q = as_array("radiation_w_m2", radiation_w_m2, "W/m2")
    t = as_array("duration_s", duration_s, "s")
    return np.asarray(np.power(q, _FLUX_EXPONENT) * t)


def thermal_dose_history(
    radiation_w_m2: Any, t_s: Any, *, rule: IntegrationRule = "trapezoid"
) -> NDArray[np.float64]:
    """Return the dose of a sampled flux history, ``integral q^(4/3) dt``.

    Parameters
    ----------
    radiation_w_m2 : array_like, shape (nt, ...)
        Flux at each sample time (first axis) and receptor, W/m^2, >= 0.
    t_s : array_like, shape (nt,)
        Sample times, s, non-decreasing.
    rule : {"trapezoid", "step"}
        Trapezoid rule on q^(4/3), or each sample held until the next (exact for a
        piecewise-constant flux).

    Returns
    -------
    ndarray, shape (...)
        Dose per receptor, (W/m^2)^(4/3) s.

    Raises
    ------
    InvalidInputError
        On bad fluxes or times, or an unknown rule.
    """
    if rule not in ("trapezoid", "step"):
        raise InvalidInputError(f"rule = {rule!r}: choose one of ['step', 'trapezoid']")
    q = as_array("radiation_w_m2", radiation_w_m2, "W/m2")
    require_time_axis("radiation_w_m2", q)
    t = as_time_axis("t_s", t_s, q.shape[0])
    return integrate_history(np.power(q, _FLUX_EXPONENT), t, rule)


def thermal_dose_increment(radiation_w_m2: Any, dt_s: float) -> NDArray[np.float64]:
    """Return the dose gained over one step with the flux held, ``q^(4/3) dt``.

    Parameters
    ----------
    radiation_w_m2 : array_like, shape (n,)
        Flux at each agent, W/m^2, >= 0.
    dt_s : float
        Step length, s, >= 0.

    Returns
    -------
    ndarray, shape (n,)
        Dose increment, (W/m^2)^(4/3) s.

    Raises
    ------
    InvalidInputError
        On negative or non-finite input.
    """
    dt = require_non_negative("dt_s", dt_s, "s")
    q = as_array("radiation_w_m2", radiation_w_m2, "W/m2")
    return np.asarray(np.power(q, _FLUX_EXPONENT) * dt)


def thermal_dose_tdu(dose_w43_s_m83: Any) -> NDArray[np.float64]:
    """Return a dose in thermal dose units, (kW/m^2)^(4/3) s, for display.

    Parameters
    ----------
    dose_w43_s_m83 : float or array_like
        Dose, (W/m^2)^(4/3) s.

    Returns
    -------
    ndarray
        Dose, TDU.

    Raises
    ------
    InvalidInputError
        On negative or non-finite input.

    Examples
    --------
    >>> float(thermal_dose_tdu(1.0e4))
    1.0
    """
    return np.asarray(as_array("dose_w43_s_m83", dose_w43_s_m83, "(W/m2)^(4/3) s") / 1.0e4)


def thermal_probit(
    dose_w43_s_m83: Any, probit: ThermalProbit = EISENBERG_LETHALITY
) -> NDArray[np.float64]:
    """Return the probit of a thermal dose (``-inf`` for a zero dose).

    Parameters
    ----------
    dose_w43_s_m83 : float or array_like
        Dose, (W/m^2)^(4/3) s, >= 0.
    probit : ThermalProbit
        Probit; default Eisenberg et al. (1975) lethality.

    Returns
    -------
    ndarray
        Probit, dimensionless.

    Raises
    ------
    InvalidInputError
        On negative or non-finite dose.
    """
    dose = as_array("dose_w43_s_m83", dose_w43_s_m83, "(W/m2)^(4/3) s")
    with np.errstate(divide="ignore"):
        return np.asarray(probit.a + probit.b * np.log(dose / probit.dose_scale_w43_s_m83))


def thermal_probability(
    dose_w43_s_m83: Any, probit: ThermalProbit = EISENBERG_LETHALITY
) -> NDArray[np.float64]:
    """Return the fraction affected by a thermal dose, ``Phi(Pr - 5)``.

    Parameters
    ----------
    dose_w43_s_m83 : float or array_like
        Dose, (W/m^2)^(4/3) s, >= 0.
    probit : ThermalProbit
        Probit; default Eisenberg et al. (1975) lethality.

    Returns
    -------
    ndarray
        Fraction in [0, 1].

    Raises
    ------
    InvalidInputError
        On negative or non-finite dose.
    """
    return probability_from_probit(thermal_probit(dose_w43_s_m83, probit))


def thermal_dose_for_probability(
    probability: float, probit: ThermalProbit = EISENBERG_LETHALITY
) -> float:
    """Return the dose that gives a response fraction, (W/m^2)^(4/3) s.

    Parameters
    ----------
    probability : float
        Fraction in (0, 1).
    probit : ThermalProbit
        Probit; default Eisenberg et al. (1975) lethality.

    Returns
    -------
    float
        Dose, (W/m^2)^(4/3) s.

    Raises
    ------
    InvalidInputError
        On a fraction outside (0, 1).
    """
    p = require_in_range(
        "probability",
        probability,
        "",
        low=0.0,
        high=1.0,
        low_inclusive=False,
        high_inclusive=False,
    )
    pr = float(probit_from_probability(p))
    return probit.dose_scale_w43_s_m83 * math.exp((pr - probit.a) / probit.b)


def time_to_thermal_probability_s(
    probability: float, radiation_w_m2: Any, probit: ThermalProbit = EISENBERG_LETHALITY
) -> NDArray[np.float64]:
    """Return the exposure time to a constant flux that gives a response fraction, s.

    ``t = D(P) / q^(4/3)``; infinite where q = 0.

    Parameters
    ----------
    probability : float
        Fraction in (0, 1).
    radiation_w_m2 : float or array_like
        Constant flux, W/m^2, >= 0.
    probit : ThermalProbit
        Probit; default Eisenberg et al. (1975) lethality.

    Returns
    -------
    ndarray
        Time, s, same shape as the flux.

    Raises
    ------
    InvalidInputError
        On a fraction outside (0, 1) or a negative flux.
    """
    dose = thermal_dose_for_probability(probability, probit)
    q = as_array("radiation_w_m2", radiation_w_m2, "W/m2")
    with np.errstate(divide="ignore"):
        return np.asarray(dose / np.power(q, _FLUX_EXPONENT))
