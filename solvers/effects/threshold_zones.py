"""Concentration thresholds that bound threat zones: AEGL, ERPG, IDLH, flammability and oxygen.

A threat zone is the area where the concentration reaches a level of concern. This module turns
a substance's published guideline values into a list of :class:`ThresholdLevel` (name, volume
fraction, severity tier, source), the input of :mod:`solvers.effects.threat_zones`. Colours are
left to the viewer.

AEGL at any exposure duration
-----------------------------
AEGLs are published for 10 min, 30 min, 1 h, 4 h and 8 h. The AEGL method derives those values
from a point of departure with the time-scaling relation ``C^n t = k`` (NRC 2001, SOP, time
scaling). Between two published durations this module uses the same relation with the ``n``
implied by the two bracketing published values (method ``"power_law"``): on a log-log plot the
value lies on the straight line through them, and at a published duration it returns the
published value exactly. Beyond the published range in the table of a substance (but inside the
10 min to 8 h range of the method) it extrapolates with the SOP's default exponents when no
chemical-specific n is known: n = 3 towards shorter times and n = 1 towards longer times.
Durations outside 10 min to 8 h are refused: the method defines no values there.

The alternative ``"protective_step"`` takes the value of the nearest published duration that is
*not shorter* than the exposure. A level set for a longer time is a lower concentration, so this
choice never exceeds the power-law value; the value of the nearest *shorter* duration is not
offered because it would allow more than the guideline does for the actual duration.

Oxygen depletion by an asphyxiant
---------------------------------
A gas at volume fraction ``C_v`` leaves ``O2 = 0.2095 (1 - C_v)`` of oxygen. The levels are the
OSHA definition of an oxygen-deficient atmosphere (19.5 %, 29 CFR 1910.134(b)) and the effect
bands used in industrial gas safety guidance (CGA SB-2; EIGA Doc. 44): 16 % (impaired
coordination and judgement, faster breathing), 12 % (poor judgement, marked fatigue, blue lips),
10 % (nausea, vomiting, loss of consciousness possible; death follows quickly below about 6 %).

References
----------
.. [1] National Research Council (2001). Standing Operating Procedures for Developing Acute
   Exposure Guideline Levels for Hazardous Chemicals. National Academy Press, Washington, DC.
.. [2] AIHA (2016). Emergency Response Planning Guidelines (ERPG), 1-h values.
.. [3] NIOSH (1994, updated 2016). Documentation for Immediately Dangerous to Life or Health
   Concentrations (IDLHs).
.. [4] OSHA 29 CFR 1910.134(b), definition of "oxygen deficient atmosphere".
.. [5] Compressed Gas Association, SB-2 "Oxygen-Deficient Atmospheres"; EIGA Doc. 44 "Hazards
   of inert gases and oxygen depletion".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

from solvers._checks import require_choice, require_in_range
from solvers.effects._common import (
    AIR_OXYGEN_VOLUME_FRACTION,
    PPM_PER_VOLUME_FRACTION,
    as_fraction_array,
)
from solvers.errors import InvalidInputError

if TYPE_CHECKING:
    from solvers.substances.library import HazardData

__all__ = [
    "AEGL_DURATIONS_S",
    "OXYGEN_LEVELS",
    "AeglMethod",
    "OxygenLevel",
    "ThresholdLevel",
    "aegl_ppm",
    "agent_fraction_for_oxygen",
    "oxygen_volume_fraction",
    "threshold_levels",
]

#: Exposure durations of the published AEGL tables, s (10 min, 30 min, 1 h, 4 h, 8 h; NRC 2001).
AEGL_DURATIONS_S: tuple[float, ...] = (600.0, 1800.0, 3600.0, 14400.0, 28800.0)

#: Default time-scaling exponents of the AEGL SOP when no chemical-specific n is known (NRC
#: 2001): n = 3 when extrapolating to shorter durations, n = 1 to longer durations.
_SOP_DEFAULT_N_SHORTER = 3.0
_SOP_DEFAULT_N_LONGER = 1.0

#: Fractions of the LFL offered as flammable levels: the LFL itself, half of it (a common
#: alarm and planning level) and one tenth (ALOHA's lower flammable level of concern).
LFL_FRACTIONS_DEFAULT: tuple[float, ...] = (1.0, 0.5)

AeglMethod = Literal["power_law", "protective_step"]
_AEGL_METHODS: tuple[str, ...] = ("power_law", "protective_step")
_FAMILIES: tuple[str, ...] = ("aegl", "erpg", "idlh", "flammable", "oxygen")


@dataclass(frozen=True, slots=True, kw_only=True)
class OxygenLevel:
    """A level of oxygen depletion with its effect on people.

    Attributes
    ----------
    oxygen_volume_fraction : float
        Oxygen left in the air, volume fraction.
    name : str
        Short label, e.g. ``"O2 < 19.5 %"``.
    tier : int
        Severity, 1 (least) to 3 (life-threatening).
    effect : str
        Effect on a healthy adult at rest or light work.
    source : str
        Where the level comes from.
    """

    oxygen_volume_fraction: float
    name: str
    tier: int
    effect: str
    source: str


#: Oxygen-depletion levels (see the module docstring for the sources).
OXYGEN_LEVELS: tuple[OxygenLevel, ...] = (
    OxygenLevel(
        oxygen_volume_fraction=0.195,
        name="O2 < 19.5 %",
        tier=1,
        effect="oxygen-deficient atmosphere: respiratory protection required",
        source="OSHA 29 CFR 1910.134(b)",
    ),
    OxygenLevel(
        oxygen_volume_fraction=0.16,
        name="O2 < 16 %",
        tier=2,
        effect="impaired coordination and judgement, faster breathing and pulse",
        source="CGA SB-2; EIGA Doc. 44",
    ),
    OxygenLevel(
        oxygen_volume_fraction=0.12,
        name="O2 < 12 %",
        tier=3,
        effect="poor judgement, marked fatigue, cyanosis; collapse on exertion",
        source="CGA SB-2; EIGA Doc. 44",
    ),
    OxygenLevel(
        oxygen_volume_fraction=0.10,
        name="O2 < 10 %",
        tier=3,
        effect="nausea, vomiting, loss of consciousness; death within minutes below ~6 %",
        source="CGA SB-2; EIGA Doc. 44",
    ),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThresholdLevel:
    """A concentration of concern for one substance.

    Attributes
    ----------
    key : str
        Stable identifier, e.g. ``"aegl-3"``, ``"erpg-2"``, ``"idlh"``, ``"lfl"``,
        ``"lfl-0.5"``, ``"o2-0.195"``.
    name : str
        Display label, e.g. ``"AEGL-3 (60 min)"``.
    volume_fraction : float
        Threshold concentration of the substance, volume fraction (1 ppm = 1e-6).
    tier : int
        Severity, 1 (discomfort, mild) to 3 (life-threatening or flame); viewers pick colours.
    family : str
        ``"aegl"``, ``"erpg"``, ``"idlh"``, ``"flammable"`` or ``"oxygen"``.
    source : str
        Where the value comes from.
    """

    key: str
    name: str
    volume_fraction: float
    tier: int
    family: str
    source: str

    def __post_init__(self) -> None:
        require_in_range(
            f"{self.key} volume_fraction",
            self.volume_fraction,
            "",
            low=0.0,
            high=1.0,
            low_inclusive=False,
        )
        require_in_range(f"{self.key} tier", self.tier, "", low=1, high=3)


def oxygen_volume_fraction(agent_volume_fraction: object) -> NDArray[np.float64]:
    """Return the oxygen left when a gas displaces air, ``0.2095 (1 - C_v)``.

    Parameters
    ----------
    agent_volume_fraction : float or array_like
        Volume fraction of the displacing gas, in [0, 1].

    Returns
    -------
    ndarray
        Oxygen volume fraction, same shape.

    Raises
    ------
    InvalidInputError
        On a fraction outside [0, 1].
    """
    c = as_fraction_array("agent_volume_fraction", agent_volume_fraction)
    return np.asarray(AIR_OXYGEN_VOLUME_FRACTION * (1.0 - c))


def agent_fraction_for_oxygen(oxygen_fraction: float) -> float:
    """Return the volume fraction of a displacing gas that leaves ``oxygen_fraction`` of O2.

    Parameters
    ----------
    oxygen_fraction : float
        Oxygen volume fraction, in [0, 0.2095].

    Returns
    -------
    float
        Agent volume fraction, ``1 - O2 / 0.2095``.

    Raises
    ------
    InvalidInputError
        On an oxygen fraction outside [0, 0.2095].
    """
    o2 = require_in_range(
        "oxygen_fraction", oxygen_fraction, "", low=0.0, high=AIR_OXYGEN_VOLUME_FRACTION
    )
    return 1.0 - o2 / AIR_OXYGEN_VOLUME_FRACTION


def _aegl_table(hazard: HazardData, tier: int) -> tuple[list[float], list[float]]:
    """Return the published durations (s) and values (ppm) of one AEGL tier, by duration."""
    table: Mapping[tuple[int, int], float] = hazard.aegl_ppm
    pairs = sorted(
        (float(duration), float(value)) for (t, duration), value in table.items() if t == tier
    )
    return [d for d, _ in pairs], [v for _, v in pairs]


def aegl_ppm(
    hazard: HazardData,
    tier: int,
    duration_s: float,
    *,
    method: AeglMethod = "power_law",
) -> float:
    """Return the AEGL of a tier for an exposure duration, ppm (see the module docstring).

    Parameters
    ----------
    hazard : HazardData
        Hazard data of the substance (``aegl_ppm`` keyed by ``(tier, duration_s)``).
    tier : {1, 2, 3}
        AEGL tier.
    duration_s : float
        Exposure duration, s, in [600, 28800] (10 min to 8 h).
    method : {"power_law", "protective_step"}
        Interpolation between published durations.

    Returns
    -------
    float
        AEGL, ppm.

    Raises
    ------
    InvalidInputError
        On a tier other than 1-3, a duration outside 10 min to 8 h, an unknown method, or a
        substance without values for the tier.
    """
    if tier not in (1, 2, 3):
        raise InvalidInputError(f"tier = {tier!r}: choose 1, 2 or 3")
    t = require_in_range(
        "duration_s", duration_s, "s", low=AEGL_DURATIONS_S[0], high=AEGL_DURATIONS_S[-1]
    )
    require_choice("method", method, _AEGL_METHODS)
    durations, values = _aegl_table(hazard, tier)
    if not durations:
        raise InvalidInputError(f"the substance has no published AEGL-{tier} values")
    longer = [i for i, d in enumerate(durations) if d >= t]
    shorter = [i for i, d in enumerate(durations) if d <= t]
    if method == "protective_step" and longer:
        return values[longer[0]]
    if longer and shorter:
        i, j = shorter[-1], longer[0]
        if i == j:
            return values[i]
        exponent = math.log(values[j] / values[i]) / math.log(durations[j] / durations[i])
        return values[i] * math.pow(t / durations[i], exponent)
    if shorter:  # beyond the longest published duration: C^1 t = k
        i = shorter[-1]
        return values[i] * math.pow(durations[i] / t, 1.0 / _SOP_DEFAULT_N_LONGER)
    j = longer[0]  # before the shortest published duration: C^3 t = k
    return values[j] * math.pow(durations[j] / t, 1.0 / _SOP_DEFAULT_N_SHORTER)


def _source(hazard: HazardData, key: str, default: str) -> str:
    """Citation of one family of values from the substance's sources, or ``default``."""
    sources: Mapping[str, str] = hazard.sources
    return sources.get(key, default)


def _minutes(duration_s: float) -> str:
    """Duration as a display string, ``"60 min"``."""
    return f"{duration_s / 60.0:g} min"


def threshold_levels(
    hazard: HazardData,
    *,
    exposure_duration_s: float = 3600.0,
    families: Sequence[str] = ("aegl", "erpg", "idlh", "flammable", "oxygen"),
    aegl_method: AeglMethod = "power_law",
    lfl_fractions: Sequence[float] = LFL_FRACTIONS_DEFAULT,
) -> tuple[ThresholdLevel, ...]:
    """Return the levels of concern that exist for a substance, in family order.

    A family is skipped when the substance has no values for it; oxygen levels are listed only
    for substances flagged as asphyxiants.

    Parameters
    ----------
    hazard : HazardData
        Hazard data of the substance.
    exposure_duration_s : float
        Exposure duration for the AEGLs, s, in [600, 28800]. ERPGs (1 h) and the IDLH (30 min)
        have fixed durations.
    families : sequence of str
        Families to list: any of ``"aegl"``, ``"erpg"``, ``"idlh"``, ``"flammable"``,
        ``"oxygen"``.
    aegl_method : {"power_law", "protective_step"}
        AEGL interpolation (see :func:`aegl_ppm`).
    lfl_fractions : sequence of float
        Fractions of the LFL to list, each in (0, 1]; e.g. ``(1.0, 0.5, 0.1)``.

    Returns
    -------
    tuple of ThresholdLevel
        The levels, AEGL tiers 1-3, ERPG 1-3, IDLH, flammable (largest fraction first),
        oxygen (mildest first).

    Raises
    ------
    InvalidInputError
        On an unknown family, a bad duration or LFL fraction.
    """
    for family in families:
        require_choice("families", family, _FAMILIES)
    for fraction in lfl_fractions:
        require_in_range("lfl_fractions", fraction, "", low=0.0, high=1.0, low_inclusive=False)
    levels: list[ThresholdLevel] = []
    if "aegl" in families:
        label = _minutes(exposure_duration_s)
        for tier in (1, 2, 3):
            if not _aegl_table(hazard, tier)[0]:
                continue
            ppm = aegl_ppm(hazard, tier, exposure_duration_s, method=aegl_method)
            levels.append(
                ThresholdLevel(
                    key=f"aegl-{tier}",
                    name=f"AEGL-{tier} ({label})",
                    volume_fraction=ppm / PPM_PER_VOLUME_FRACTION,
                    tier=tier,
                    family="aegl",
                    source=_source(hazard, "aegl", "US EPA / NRC AEGL program"),
                )
            )
    if "erpg" in families:
        for tier in (1, 2, 3):
            erpg = hazard.erpg_ppm.get(tier)
            if erpg is None:
                continue
            levels.append(
                ThresholdLevel(
                    key=f"erpg-{tier}",
                    name=f"ERPG-{tier} (60 min)",
                    volume_fraction=float(erpg) / PPM_PER_VOLUME_FRACTION,
                    tier=tier,
                    family="erpg",
                    source=_source(hazard, "erpg", "AIHA ERPG"),
                )
            )
    if "idlh" in families and hazard.idlh_ppm is not None:
        levels.append(
            ThresholdLevel(
                key="idlh",
                name="IDLH (30 min)",
                volume_fraction=float(hazard.idlh_ppm) / PPM_PER_VOLUME_FRACTION,
                tier=3,
                family="idlh",
                source=_source(hazard, "idlh", "NIOSH IDLH"),
            )
        )
    if "flammable" in families and hazard.lfl_volume_fraction is not None:
        lfl = float(hazard.lfl_volume_fraction)
        for fraction in sorted(lfl_fractions, reverse=True):
            is_lfl = fraction == 1.0
            levels.append(
                ThresholdLevel(
                    key="lfl" if is_lfl else f"lfl-{fraction:g}",
                    name="LFL" if is_lfl else f"{100 * fraction:g} % LFL",
                    volume_fraction=fraction * lfl,
                    tier=3 if is_lfl else (2 if fraction >= 0.5 else 1),
                    family="flammable",
                    source=_source(hazard, "flammability", "flammability limits of the substance"),
                )
            )
    if "oxygen" in families and hazard.is_asphyxiant:
        levels.extend(
            ThresholdLevel(
                key=f"o2-{level.oxygen_volume_fraction:g}",
                name=level.name,
                volume_fraction=agent_fraction_for_oxygen(level.oxygen_volume_fraction),
                tier=level.tier,
                family="oxygen",
                source=level.source,
            )
            for level in OXYGEN_LEVELS
        )
    return tuple(levels)
