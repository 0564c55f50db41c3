"""Per-person doses for the crowd: accumulated every step, vectorised over agents.

The evacuation model holds one :class:`DoseState` of ``(n,)`` arrays and, every step, samples
the hazard at the agents' positions and calls :func:`accumulate_dose`, which returns a new state
(a few numpy operations; no loop over agents). From a state it asks whether agents are
incapacitated (:func:`is_incapacitated`) and their probability of death
(:func:`fatality_probability`); from a sample, how much the gas slows them
(:func:`walking_speed_factor`); from a concentration grid, how strongly routes should avoid it
(:func:`route_cost_multiplier`).

Doses accumulated per step, the sample held over the step (the ``"step"`` rule):

* toxic load ``sum C^n dt`` (ppm^n min) with the substance's probit exponent
  (:mod:`solvers.effects.toxic_load`);
* toxic FED ``L / L_1%`` plus the low-oxygen FED of the displaced air (any gas, counted below
  19.5 % O2) (:mod:`solvers.effects.purser_fed`);
* heat FED from the incident radiation (radiant term of ISO 13571; the crowd's hazard sample
  carries no air temperature, so there is no convective term);
* thermal dose ``sum q^(4/3) dt`` ((W/m^2)^(4/3) s) (:mod:`solvers.effects.thermal_dose`);
* peak overpressure and peak concentration.

Walking speed
-------------
No published relation gives walking speed against the concentration of an industrial irritant
gas. The rule used is Purser's irritant walking-speed curve (SFPE Handbook eq. 63.13), a function
of the fractional irritant concentration on the incapacitation scale, with the substance's
10-min AEGL-3 standing in for the incapacitating concentration (for HCl the 10-min AEGL-3 is
620 ppm against Purser's 900 ppm, so the proxy errs on the slow side). Substances without an
AEGL-3 (simple asphyxiants) slow people only through oxygen depletion: a project rule, full
speed down to 16 % O2 (where CGA SB-2 places impaired coordination) falling linearly to 0.1 of
it at 10 % O2. An optional smoke extinction coefficient adds the Frantzich-Nilsson reduction used
by FDS+Evac. The losses add, as in Purser's eq. 63.14.

Route cost
----------
A routing heuristic, not a published relation: cost 1 below the mildest level of each family,
rising log-linearly in concentration through 10 at the middle level to 100 at the severe one,
and impassable at or above it: AEGL-1/2/3 (10 min) for toxic gases, 10 %/50 %/100 % of the LFL
for flammable gases, and 19.5 %/16 %/12 % O2 for oxygen depletion. The largest cost of the
families applies.

Fatality
--------
Toxic (substance probit on the toxic load), thermal (Eisenberg et al. 1975 by default) and,
when enabled, blast (Eisenberg et al. 1975 lung haemorrhage, ``Pr = -77.1 + 6.91 ln P``, P the
peak overpressure in Pa) probabilities, combined as independent causes
``1 - (1 - p1)(1 - p2)(1 - p3)``.

References
----------
.. [1] Purser, D.A., McAllister, J.L. (2016). SFPE Handbook of Fire Protection Engineering,
   5th ed., ch. 63 (eqs. 63.13, 63.14).
.. [2] ISO 13571:2012, Life-threatening components of fire.
.. [3] Frantzich, H., Nilsson, D. (2003). Utrymning genom tät rök: beteende och förflyttning.
   Report 3126, Lund University; as used in Korhonen, T. (2021), FDS+Evac Technical Reference
   and User's Guide, VTT, eq. 11.
.. [4] Eisenberg, N.A., Lynch, C.J., Breeding, R.J. (1975). Vulnerability model. US Coast Guard
   CG-D-136-75; probits as tabulated in CCPS (2000), Guidelines for Chemical Process QRA,
   2nd ed., sec. 2.3.
.. [5] Compressed Gas Association, SB-2 "Oxygen-Deficient Atmospheres".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from solvers._checks import require_non_negative, require_positive
from solvers.effects._common import (
    AIR_OXYGEN_VOLUME_FRACTION,
    PPM_PER_VOLUME_FRACTION,
    SECONDS_PER_MINUTE,
    as_array,
    as_fraction_array,
)
from solvers.effects.purser_fed import (
    FED_THRESHOLD_AVERAGE,
    RadiantLaw,
    incapacitating_toxic_load,
    irritant_walking_speed_fraction,
    low_oxygen_fed_rate_per_min,
    radiant_heat_fed_rate_per_min,
)
from solvers.effects.thermal_dose import EISENBERG_LETHALITY, ThermalProbit, thermal_probability
from solvers.effects.threshold_zones import aegl_ppm, agent_fraction_for_oxygen
from solvers.effects.toxic_load import probability_from_probit, toxic_fatality_probability
from solvers.errors import InvalidInputError
from solvers.hazard_field import HazardSample

if TYPE_CHECKING:
    from solvers.substances.library import HazardData

__all__ = [
    "DoseState",
    "accumulate_dose",
    "fatality_probability",
    "initial_dose_state",
    "is_incapacitated",
    "route_cost_multiplier",
    "smoke_walking_speed_fraction",
    "walking_speed_factor",
]

#: Duration of the AEGLs used for walking speed and route cost, s: the shortest published
#: (10 min), closest to the minutes a person spends crossing a cloud.
AEGL_REFERENCE_DURATION_S = 600.0

#: Frantzich & Nilsson (2003) walking speed in smoke, v/v0 = 1 + beta K / alpha, as in FDS+Evac
#: (Korhonen 2021, eq. 11): alpha, m/s; beta, m^2/s; floor of v/v0.
_SMOKE_ALPHA_M_S = 0.706
_SMOKE_BETA_M2_S = -0.057
_SMOKE_MIN_SPEED_FRACTION = 0.1

#: Project rule for oxygen depletion (module docstring): full speed at >= 16 % O2, 0.1 at 10 %.
_O2_FULL_SPEED = 0.16
_O2_MIN_SPEED = 0.10
_O2_MIN_SPEED_FRACTION = 0.1

#: Lung haemorrhage from peak overpressure, Pr = -77.1 + 6.91 ln(P / Pa) (Eisenberg et al. 1975).
_BLAST_LUNG_PROBIT = (-77.1, 6.91)

#: Route-cost knots (module docstring): costs at the mild, middle and severe level.
_ROUTE_COSTS = (1.0, 10.0, 100.0)
_LFL_KNOTS = (0.1, 0.5, 1.0)
_O2_KNOTS = (0.195, 0.16, 0.12)


@dataclass(frozen=True, slots=True, kw_only=True)
class DoseState:
    """Accumulated doses of ``n`` people (read-only ``(n,)`` arrays).

    Attributes
    ----------
    toxic_load_ppmn_min : ndarray, shape (n,)
        Toxic load ``sum C^n dt`` with C in ppm, t in min and n of the substance's probit,
        ppm^n min (zero for substances without a probit).
    fed_toxic : ndarray, shape (n,)
        Fractional effective dose of gases (toxic load over the incapacitating load, plus low
        oxygen), dimensionless.
    fed_heat : ndarray, shape (n,)
        Fractional effective dose of radiant heat, dimensionless.
    thermal_dose_w43_s_m83 : ndarray, shape (n,)
        Thermal dose ``sum q^(4/3) dt``, (W/m^2)^(4/3) s (1 TDU = 1e4).
    peak_overpressure_pa : ndarray, shape (n,)
        Highest side-on overpressure met, Pa.
    peak_volume_fraction : ndarray, shape (n,)
        Highest gas concentration met, volume fraction.
    """

    toxic_load_ppmn_min: NDArray[np.float64]
    fed_toxic: NDArray[np.float64]
    fed_heat: NDArray[np.float64]
    thermal_dose_w43_s_m83: NDArray[np.float64]
    peak_overpressure_pa: NDArray[np.float64]
    peak_volume_fraction: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = np.shape(self.toxic_load_ppmn_min)
        for name in (
            "toxic_load_ppmn_min",
            "fed_toxic",
            "fed_heat",
            "thermal_dose_w43_s_m83",
            "peak_overpressure_pa",
            "peak_volume_fraction",
        ):
            value = getattr(self, name)
            if not isinstance(value, np.ndarray) or value.ndim != 1 or value.shape != n:
                raise InvalidInputError(
                    f"DoseState.{name} has shape {np.shape(value)}: every field must be a 1-D "
                    + f"numpy array of the same shape {n}"
                )
            value.flags.writeable = False

    @property
    def n(self) -> int:
        """Number of people."""
        return int(self.toxic_load_ppmn_min.shape[0])


def initial_dose_state(n: int) -> DoseState:
    """Return the dose state of ``n`` unexposed people (all zeros).

    Parameters
    ----------
    n : int
        Number of people, >= 0.

    Returns
    -------
    DoseState
        Zero doses.

    Raises
    ------
    InvalidInputError
        On a negative or non-integer ``n``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise InvalidInputError(f"n = {n!r}: must be an integer >= 0")
    return DoseState(
        toxic_load_ppmn_min=np.zeros(n),
        fed_toxic=np.zeros(n),
        fed_heat=np.zeros(n),
        thermal_dose_w43_s_m83=np.zeros(n),
        peak_overpressure_pa=np.zeros(n),
        peak_volume_fraction=np.zeros(n),
    )


def _checked_sample(sample: HazardSample, n: int | None) -> tuple[NDArray[np.float64], ...]:
    """Return the sample's arrays after checking their shape ((n,), n inferred if None)."""
    vf = as_fraction_array("sample.volume_fraction", sample.volume_fraction)
    if n is None:
        n = vf.shape[0] if vf.ndim == 1 else -1
    q = as_array("sample.radiation_w_m2", sample.radiation_w_m2, "W/m2")
    p = as_array("sample.overpressure_pa", sample.overpressure_pa, "Pa")
    for name, value in (("volume_fraction", vf), ("radiation_w_m2", q), ("overpressure_pa", p)):
        if value.shape != (n,):
            expected = f"({n},)" if n >= 0 else "(n,)"
            raise InvalidInputError(
                f"sample.{name} has shape {value.shape}: must be {expected}, one value per person"
            )
    return vf, q, p


def accumulate_dose(
    state: DoseState,
    sample: HazardSample,
    dt_s: float,
    *,
    hazard: HazardData | None,
    radiant_law: RadiantLaw = "iso_13571",
) -> DoseState:
    """Return the dose state after one step of ``dt_s`` in the sampled hazard (pure).

    The sample is held over the step, so a piecewise-constant exposure is integrated exactly.

    Parameters
    ----------
    state : DoseState
        Doses at the start of the step, ``n`` people.
    sample : HazardSample
        Hazard at the people's positions, arrays of shape (n,).
    dt_s : float
        Step length, s, >= 0.
    hazard : HazardData or None
        Hazard data of the dispersing substance; None when unknown (only oxygen depletion,
        heat and blast then count).
    radiant_law : str
        Radiant-heat law of the heat FED (see
        :func:`solvers.effects.purser_fed.radiant_heat_fed_rate_per_min`).

    Returns
    -------
    DoseState
        New state; ``state`` is not modified.

    Raises
    ------
    InvalidInputError
        On a sample whose arrays are not (n,), negative or non-finite values, a volume
        fraction above 1 or a negative step.
    """
    dt = require_non_negative("dt_s", dt_s, "s")
    vf, q, p = _checked_sample(sample, state.n)
    dt_min = dt / SECONDS_PER_MINUTE
    load = state.toxic_load_ppmn_min
    fed_toxic = (
        state.fed_toxic
        + low_oxygen_fed_rate_per_min(AIR_OXYGEN_VOLUME_FRACTION * (1.0 - vf)) * dt_min
    )
    probit = None if hazard is None else hazard.toxic_probit
    if probit is not None:
        increment = np.power(vf * PPM_PER_VOLUME_FRACTION, probit.n) * dt_min
        load = load + increment
        fed_toxic = fed_toxic + increment / incapacitating_toxic_load(probit)
    return DoseState(
        toxic_load_ppmn_min=np.array(load, dtype=np.float64),
        fed_toxic=fed_toxic,
        fed_heat=state.fed_heat + radiant_heat_fed_rate_per_min(q, law=radiant_law) * dt_min,
        thermal_dose_w43_s_m83=state.thermal_dose_w43_s_m83 + np.power(q, 4.0 / 3.0) * dt,
        peak_overpressure_pa=np.maximum(state.peak_overpressure_pa, p),
        peak_volume_fraction=np.maximum(state.peak_volume_fraction, vf),
    )


def is_incapacitated(
    state: DoseState, *, threshold: float = FED_THRESHOLD_AVERAGE
) -> NDArray[np.bool_]:
    """Return whether each person's gas or heat FED has reached the threshold.

    Parameters
    ----------
    state : DoseState
        Doses of ``n`` people.
    threshold : float
        FED threshold, > 0: 1.0 for a person of average susceptibility, 0.3 to protect
        sensitive people (ISO 13571:2012; ``purser_fed.FED_THRESHOLD_SENSITIVE``).

    Returns
    -------
    ndarray of bool, shape (n,)
        True where ``fed_toxic >= threshold`` or ``fed_heat >= threshold`` (separate endpoints,
        not summed).

    Raises
    ------
    InvalidInputError
        On a non-positive threshold.
    """
    limit = require_positive("threshold", threshold, "")
    return np.asarray((state.fed_toxic >= limit) | (state.fed_heat >= limit))


def fatality_probability(
    state: DoseState,
    *,
    hazard: HazardData | None,
    thermal_probit: ThermalProbit = EISENBERG_LETHALITY,
    include_overpressure: bool = True,
) -> NDArray[np.float64]:
    """Return each person's probability of death from the toxic, thermal and blast doses.

    Parameters
    ----------
    state : DoseState
        Doses of ``n`` people.
    hazard : HazardData or None
        Hazard data of the substance; without a toxic probit the toxic term is 0.
    thermal_probit : ThermalProbit
        Thermal lethality probit (default Eisenberg et al. 1975).
    include_overpressure : bool
        Whether to count lung haemorrhage from the peak overpressure (Eisenberg et al. 1975).

    Returns
    -------
    ndarray, shape (n,)
        Probability in [0, 1], causes combined as independent.
    """
    survival = 1.0 - thermal_probability(state.thermal_dose_w43_s_m83, thermal_probit)
    probit = None if hazard is None else hazard.toxic_probit
    if probit is not None:
        survival = survival * (1.0 - toxic_fatality_probability(state.toxic_load_ppmn_min, probit))
    if include_overpressure:
        a, b = _BLAST_LUNG_PROBIT
        with np.errstate(divide="ignore"):
            pr = a + b * np.log(state.peak_overpressure_pa)
        survival = survival * (1.0 - probability_from_probit(pr))
    return np.asarray(np.clip(1.0 - survival, 0.0, 1.0))


def smoke_walking_speed_fraction(extinction_per_m: Any) -> NDArray[np.float64]:
    """Return the walking-speed fraction in smoke, ``max(0.1, 1 + beta K / alpha)``.

    Frantzich & Nilsson (2003) as used by FDS+Evac: alpha = 0.706 m/s, beta = -0.057 m^2/s.

    Parameters
    ----------
    extinction_per_m : float or array_like
        Smoke extinction coefficient K, 1/m, >= 0.

    Returns
    -------
    ndarray
        Fraction of the unobstructed walking speed, in [0.1, 1].

    Raises
    ------
    InvalidInputError
        On negative or non-finite input.
    """
    k = as_array("extinction_per_m", extinction_per_m, "1/m")
    fraction = 1.0 + _SMOKE_BETA_M2_S * k / _SMOKE_ALPHA_M_S
    return np.asarray(np.clip(fraction, _SMOKE_MIN_SPEED_FRACTION, 1.0))


def _aegl_or_none(hazard: HazardData | None, tier: int) -> float | None:
    """Return the 10-min AEGL of a tier as a volume fraction, or None if not published."""
    if hazard is None or not any(t == tier for t, _ in hazard.aegl_ppm):
        return None
    return aegl_ppm(hazard, tier, AEGL_REFERENCE_DURATION_S) / PPM_PER_VOLUME_FRACTION


def walking_speed_factor(
    sample: HazardSample,
    *,
    hazard: HazardData | None,
    extinction_per_m: Any = None,
) -> NDArray[np.float64]:
    """Return the factor on each person's free walking speed from gas and smoke, in [0, 1].

    The basis of each term is given in the module docstring (section Walking speed); the
    losses of the terms add.

    Parameters
    ----------
    sample : HazardSample
        Hazard at the people's positions, arrays of shape (n,).
    hazard : HazardData or None
        Hazard data of the substance; None leaves only oxygen depletion (and smoke).
    extinction_per_m : float or array_like or None
        Smoke extinction coefficient at the people, 1/m, scalar or (n,); None for no smoke.

    Returns
    -------
    ndarray, shape (n,)
        Speed factor in [0, 1].

    Raises
    ------
    InvalidInputError
        On a bad sample or extinction coefficient.
    """
    vf, _, _ = _checked_sample(sample, None)
    loss = np.zeros(vf.shape)
    incapacitating = _aegl_or_none(hazard, 3)
    if incapacitating is not None:
        loss += 1.0 - irritant_walking_speed_fraction(vf / incapacitating)
    o2 = AIR_OXYGEN_VOLUME_FRACTION * (1.0 - vf)
    o2_fraction = _O2_MIN_SPEED_FRACTION + (1.0 - _O2_MIN_SPEED_FRACTION) * np.clip(
        (o2 - _O2_MIN_SPEED) / (_O2_FULL_SPEED - _O2_MIN_SPEED), 0.0, 1.0
    )
    loss += 1.0 - o2_fraction
    if extinction_per_m is not None:
        loss = loss + (1.0 - smoke_walking_speed_fraction(extinction_per_m))
    return np.asarray(np.clip(1.0 - loss, 0.0, 1.0))


def _family_knots(
    hazard: HazardData | None,
) -> list[tuple[list[float], list[float], float | None]]:
    """Return per family the knot fractions, their costs and the impassable fraction (or None)."""
    families: list[tuple[list[float], list[float], float | None]] = []
    aegl = [c for c in (_aegl_or_none(hazard, tier) for tier in (1, 2, 3)) if c is not None]
    if aegl:
        severe = _aegl_or_none(hazard, 3)
        families.append((aegl, list(_ROUTE_COSTS[: len(aegl)]), severe))
    if hazard is not None and hazard.lfl_volume_fraction is not None:
        lfl = float(hazard.lfl_volume_fraction)
        families.append(([f * lfl for f in _LFL_KNOTS], list(_ROUTE_COSTS), lfl))
    o2_knots = [agent_fraction_for_oxygen(o2) for o2 in _O2_KNOTS]
    families.append((o2_knots, list(_ROUTE_COSTS), o2_knots[-1]))
    return families


def route_cost_multiplier(
    volume_fraction: Any,
    hazard: HazardData | None,
    *,
    impassable_factor: float = math.inf,
) -> NDArray[np.float64]:
    """Return a routing cost factor >= 1 for each cell of a concentration grid.

    A routing heuristic (module docstring, section Route cost): 1 in clean air, rising
    log-linearly between the levels of each family, ``impassable_factor`` at or above the
    severe level (10-min AEGL-3, the LFL, 12 % O2).

    Parameters
    ----------
    volume_fraction : array_like
        Concentration, volume fraction in [0, 1], any shape (e.g. (ny, nx)).
    hazard : HazardData or None
        Hazard data of the substance; None leaves only oxygen depletion.
    impassable_factor : float
        Factor for impassable cells, >= 100: ``inf`` (default) or a large finite number for
        solvers that need finite weights.

    Returns
    -------
    ndarray
        Factor, same shape as ``volume_fraction``.

    Raises
    ------
    InvalidInputError
        On concentrations outside [0, 1] or an impassable factor below 100.
    """
    if not (impassable_factor >= _ROUTE_COSTS[-1]):
        raise InvalidInputError(
            f"impassable_factor = {impassable_factor!r}: must be >= {_ROUTE_COSTS[-1]:g} "
            + "(the cost just below the severe level) or inf"
        )
    c = as_fraction_array("volume_fraction", volume_fraction)
    log_c = np.log(np.maximum(c, 1e-30))
    cost = np.ones(c.shape)
    blocked = np.zeros(c.shape, dtype=bool)
    for fractions, costs, impassable in _family_knots(hazard):
        xs = np.log(fractions)
        ys = np.log(costs)
        # np.interp needs increasing knots; a tier equal to the one below adds nothing.
        keep = np.concatenate(([True], np.diff(xs) > 0))
        cost = np.maximum(cost, np.exp(np.interp(log_c, xs[keep], ys[keep], left=0.0)))
        if impassable is not None:
            blocked |= c >= impassable
    return np.asarray(np.where(blocked, impassable_factor, cost))
