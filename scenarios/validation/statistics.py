"""Statistical performance measures for scoring dispersion models against field data.

The measures and the ranges a "good" research-grade model meets on field experiments are those of
Chang and Hanna (2004), after Hanna et al. (1993). With observed ``Co`` and predicted ``Cp``
paired in space and time:

============  ===============================================  =====================
Measure       Definition                                       Good model
============  ===============================================  =====================
FB            (mean Co - mean Cp) / (0.5 (mean Co + mean Cp))   abs(FB) < 0.3
MG            exp(mean ln Co - mean ln Cp)                      0.7 < MG < 1.3
NMSE          mean (Co - Cp)^2 / (mean Co mean Cp)              NMSE < 1.5
VG            exp(mean (ln Co - ln Cp)^2)                       VG < 4
FAC2          fraction of pairs with 0.5 <= Cp / Co <= 2        FAC2 > 0.5
============  ===============================================  =====================

A positive FB or an MG above 1 means the model under-predicts. MG and VG need positive values;
Chang and Hanna advise a lower threshold for near-zero data, offered here as ``min_value``.
Chang and Hanna summarise the criteria as "FAC2 >= 0.5, bias within 30 % of the mean
(abs(FB) <= 0.3 or 0.7 <= MG <= 1.3) and random scatter within a factor of two or three of the
mean (NMSE <= 1.5 or VG <= 4)". A looser NMSE bound of 4 is also in use; it is kept as
:data:`NMSE_LOOSE_UPPER`.

References
----------
.. [1] Chang, J. C. and Hanna, S. R. (2004). Air quality model performance evaluation.
   Meteorol. Atmos. Phys. 87, 167-196.
.. [2] Hanna, S. R., Chang, J. C. and Strimaitis, D. G. (1993). Hazardous gas model evaluation
   with field observations. Atmos. Environ. 27A, 2265-2285.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers.errors import InvalidInputError

__all__ = [
    "GOOD_MODEL_RANGES",
    "NMSE_LOOSE_UPPER",
    "PerformanceMeasures",
    "fraction_within_factor",
    "fractional_bias",
    "geometric_mean_bias",
    "geometric_variance",
    "normalized_mean_square_error",
    "performance_measures",
]

#: Acceptance ranges (lower, upper) of a good model, bounds included; None for an open side
#: (Chang and Hanna 2004).
GOOD_MODEL_RANGES: dict[str, tuple[float | None, float | None]] = {
    "FB": (-0.3, 0.3),
    "MG": (0.7, 1.3),
    "NMSE": (None, 1.5),
    "VG": (None, 4.0),
    "FAC2": (0.5, None),
}
#: A looser NMSE bound also used for field-trial scoring.
NMSE_LOOSE_UPPER = 4.0


def _pairs(
    observed: ArrayLike, predicted: ArrayLike, *, positive: bool, min_value: float | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    co = np.asarray(observed, dtype=np.float64).reshape(-1)
    cp = np.asarray(predicted, dtype=np.float64).reshape(-1)
    if co.size != cp.size or co.size == 0:
        raise InvalidInputError(
            f"observed has {co.size} values and predicted {cp.size}: need the same number, >= 1"
        )
    if not (np.all(np.isfinite(co)) and np.all(np.isfinite(cp))):
        raise InvalidInputError("observed and predicted must be finite numbers")
    if min_value is not None:
        co, cp = np.maximum(co, min_value), np.maximum(cp, min_value)
    if positive and (np.any(co <= 0) or np.any(cp <= 0)):
        raise InvalidInputError(
            "observed and predicted must be > 0 for the geometric measures; "
            + "give min_value to floor near-zero data"
        )
    if not positive and (np.any(co < 0) or np.any(cp < 0)):
        raise InvalidInputError("observed and predicted must be >= 0")
    return co, cp


def fractional_bias(
    observed: ArrayLike, predicted: ArrayLike, *, min_value: float | None = None
) -> float:
    """Return FB = (mean Co - mean Cp) / (0.5 (mean Co + mean Cp)) (Chang and Hanna 2004).

    Examples
    --------
    >>> fractional_bias([1.0, 2.0], [1.0, 2.0])
    0.0
    """
    co, cp = _pairs(observed, predicted, positive=False, min_value=min_value)
    return float((co.mean() - cp.mean()) / (0.5 * (co.mean() + cp.mean())))


def geometric_mean_bias(
    observed: ArrayLike, predicted: ArrayLike, *, min_value: float | None = None
) -> float:
    """Return MG = exp(mean ln Co - mean ln Cp) (Chang and Hanna 2004).

    Examples
    --------
    >>> geometric_mean_bias([2.0, 2.0], [1.0, 1.0])
    2.0
    """
    co, cp = _pairs(observed, predicted, positive=True, min_value=min_value)
    return float(np.exp(np.mean(np.log(co)) - np.mean(np.log(cp))))


def normalized_mean_square_error(
    observed: ArrayLike, predicted: ArrayLike, *, min_value: float | None = None
) -> float:
    """Return NMSE = mean (Co - Cp)^2 / (mean Co mean Cp) (Chang and Hanna 2004).

    Examples
    --------
    >>> normalized_mean_square_error([1.0, 3.0], [1.0, 1.0])
    1.0
    """
    co, cp = _pairs(observed, predicted, positive=False, min_value=min_value)
    return float(np.mean((co - cp) ** 2) / (co.mean() * cp.mean()))


def geometric_variance(
    observed: ArrayLike, predicted: ArrayLike, *, min_value: float | None = None
) -> float:
    """Return VG = exp(mean (ln Co - ln Cp)^2) (Chang and Hanna 2004).

    Examples
    --------
    >>> round(geometric_variance([1.0], [1.0]), 6)
    1.0
    """
    co, cp = _pairs(observed, predicted, positive=True, min_value=min_value)
    with np.errstate(over="ignore"):  # a scatter beyond e^709 is reported as inf
        return float(np.exp(np.mean((np.log(co) - np.log(cp)) ** 2)))


def fraction_within_factor(
    observed: ArrayLike,
    predicted: ArrayLike,
    *,
    factor: float = 2.0,
    min_value: float | None = None,
) -> float:
    """Return the fraction of pairs with ``1/factor <= Cp / Co <= factor`` (FAC2 for 2).

    Pairs with both values zero count as agreeing; a zero against a non-zero does not.

    Examples
    --------
    >>> fraction_within_factor([1.0, 1.0, 1.0, 1.0], [0.4, 0.6, 1.9, 2.1])
    0.5
    """
    if not (np.isfinite(factor) and factor >= 1.0):
        raise InvalidInputError(f"factor = {factor!r}: must be a finite number >= 1")
    co, cp = _pairs(observed, predicted, positive=False, min_value=min_value)
    both_zero = (co == 0) & (cp == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(co > 0, cp / np.where(co > 0, co, 1.0), np.inf)
    inside = (ratio >= 1.0 / factor) & (ratio <= factor)
    return float(np.mean(inside | both_zero))


@dataclass(frozen=True, slots=True, kw_only=True)
class PerformanceMeasures:
    """The five measures of one model against one data set.

    Attributes
    ----------
    fb, mg, nmse, vg, fac2 : float
        Fractional bias, geometric mean bias, normalised mean square error, geometric variance,
        fraction within a factor of two.
    n : int
        Number of observed-predicted pairs.
    """

    fb: float
    mg: float
    nmse: float
    vg: float
    fac2: float
    n: int

    def as_dict(self) -> dict[str, float]:
        """Return the measures keyed as in :data:`GOOD_MODEL_RANGES`."""
        return {"FB": self.fb, "MG": self.mg, "NMSE": self.nmse, "VG": self.vg, "FAC2": self.fac2}

    @property
    def is_good_model(self) -> bool:
        """Whether every measure lies in the good-model range of Chang and Hanna (2004)."""
        for name, value in self.as_dict().items():
            lower, upper = GOOD_MODEL_RANGES[name]
            if (lower is not None and value < lower) or (upper is not None and value > upper):
                return False
        return True


def performance_measures(
    observed: ArrayLike, predicted: ArrayLike, *, min_value: float | None = None
) -> PerformanceMeasures:
    """Return FB, MG, NMSE, VG and FAC2 of paired observations and predictions.

    Parameters
    ----------
    observed, predicted : (n,) float
        Paired concentrations (any one unit), >= 0 (> 0 for MG and VG unless ``min_value``).
    min_value : float, optional
        Floor applied to both before scoring (Chang and Hanna's threshold for near-zero data).

    Returns
    -------
    PerformanceMeasures
        The five measures and the number of pairs.

    Raises
    ------
    InvalidInputError
        If the arrays differ in length, are empty, or hold non-finite or non-positive values.

    References
    ----------
    .. [1] Chang, J. C. and Hanna, S. R. (2004). Air quality model performance evaluation.
       Meteorol. Atmos. Phys. 87, 167-196.
    """
    return PerformanceMeasures(
        fb=fractional_bias(observed, predicted, min_value=min_value),
        mg=geometric_mean_bias(observed, predicted, min_value=min_value),
        nmse=normalized_mean_square_error(observed, predicted, min_value=min_value),
        vg=geometric_variance(observed, predicted, min_value=min_value),
        fac2=fraction_within_factor(observed, predicted, min_value=min_value),
        n=int(np.asarray(observed).size),
    )
