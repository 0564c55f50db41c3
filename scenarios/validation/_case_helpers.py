"""Pieces shared by several validation-case modules (private)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scenarios.validation.registry import Check
from scenarios.validation.statistics import GOOD_MODEL_RANGES, performance_measures

#: The performance measures scored against the good-model ranges, in reporting order.
SCORED_MEASURES = ("FB", "MG", "NMSE", "VG", "FAC2")


def measure_checks(
    observed: NDArray[np.float64],
    predicted: NDArray[np.float64],
    what: str,
    *,
    min_value: float | None = None,
) -> list[Check]:
    """Return one range check per performance measure of paired observations and predictions.

    Parameters
    ----------
    observed, predicted : ndarray, shape (n,)
        Paired measured and modelled values (same unit).
    what : str
        What the pairs are, for the check names (``"FB over n <what>"``).
    min_value : float, optional
        Floor passed to :func:`performance_measures` (None: its default).

    Returns
    -------
    list of Check
        FB, MG, NMSE, VG and FAC2, each bounded by the good-model range (Chang & Hanna 2004).
    """
    measures = performance_measures(observed, predicted, min_value=min_value).as_dict()
    return [
        Check(
            quantity=f"{name} over {observed.size} {what}",
            got=measures[name],
            lower=GOOD_MODEL_RANGES[name][0],
            upper=GOOD_MODEL_RANGES[name][1],
        )
        for name in SCORED_MEASURES
    ]
