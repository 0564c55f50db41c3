"""Dispersion coefficients sigma_y and sigma_z against downwind distance.

Two published parameterisations of the Pasquill-Gifford curves:

- ``"briggs"``: Briggs' (1973) interpolation formulas for open country (rural) and for urban
  areas (the latter fitted to the St. Louis data of McElroy and Pooler 1968), as tabulated by
  Hanna, Briggs and Hosker (1982), sec. 4, and in Turner's Workbook (2nd ed., 1994). Meant for
  100 m < x < 10 km; they are extrapolated outside that range.
- ``"pasquill_gifford_turner"``: the Pasquill-Gifford-Turner curves of Turner (1970), Figs. 3-2
  and 3-3, in the curve fits of the US EPA ISC3 model (rural only). Valid 100 m to 100 km.

Both describe spreads for sampling times of about 10 minutes (Prairie Grass). Plume spread
sigma_y for another averaging time ``t`` scales as ``(t / t0)^0.2`` (Hanna, Briggs and Hosker
1982, sec. 4; TNO Yellow Book, CPR 14E, ch. 4); sigma_z does not change.

References
----------
.. [1] Briggs, G. A. (1973). Diffusion estimation for small emissions. ATDL Contribution 79,
   NOAA Atmospheric Turbulence and Diffusion Laboratory, Oak Ridge.
.. [2] Hanna, S. R., Briggs, G. A. and Hosker, R. P. (1982). Handbook on Atmospheric Diffusion.
   US DOE/TIC-11223, sec. 4.
.. [3] Turner, D. B. (1970). Workbook of Atmospheric Dispersion Estimates. US EPA AP-26,
   Figs. 3-2 and 3-3.
.. [4] US EPA (1995). User's Guide for the ISC3 Dispersion Models, Vol. II, EPA-454/B-95-003b,
   Tables 1-1 and 1-2 (curve fits of the Pasquill-Gifford-Turner curves).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers._checks import require_choice, require_in_range
from solvers.atmosphere import STABILITY_CLASSES, StabilityClass
from solvers.errors import InvalidInputError

__all__ = [
    "REFERENCE_AVERAGING_TIME_S",
    "SIGMA_SCHEMES",
    "SigmaScheme",
    "averaging_time_factor",
    "briggs_sigma_y_m",
    "briggs_sigma_z_m",
    "dispersion_sigmas_m",
    "pgt_sigma_y_m",
    "pgt_sigma_z_m",
]

SigmaScheme = Literal["briggs", "pasquill_gifford_turner"]
SIGMA_SCHEMES: tuple[str, ...] = ("briggs", "pasquill_gifford_turner")

#: Sampling time the Pasquill-Gifford and Briggs curves describe, s (about 10 min; Turner 1970).
REFERENCE_AVERAGING_TIME_S = 600.0
#: Exponent of the averaging-time correction of sigma_y (Hanna, Briggs and Hosker 1982, sec. 4;
#: TNO Yellow Book CPR 14E, ch. 4), valid for about 3 min to 1 h.
AVERAGING_TIME_EXPONENT = 0.2

# Briggs (1973) formulas, Hanna, Briggs and Hosker (1982): sigma = a x (1 + b x)^c, x in m.
#: Open country sigma_y: (a, b, c) by class.
_BRIGGS_RURAL_Y = {
    "A": (0.22, 1.0e-4, -0.5),
    "B": (0.16, 1.0e-4, -0.5),
    "C": (0.11, 1.0e-4, -0.5),
    "D": (0.08, 1.0e-4, -0.5),
    "E": (0.06, 1.0e-4, -0.5),
    "F": (0.04, 1.0e-4, -0.5),
}
#: Open country sigma_z: (a, b, c) by class.
_BRIGGS_RURAL_Z = {
    "A": (0.20, 0.0, 0.0),
    "B": (0.12, 0.0, 0.0),
    "C": (0.08, 2.0e-4, -0.5),
    "D": (0.06, 1.5e-3, -0.5),
    "E": (0.03, 3.0e-4, -1.0),
    "F": (0.016, 3.0e-4, -1.0),
}
#: Urban sigma_y: (a, b, c) by class (A and B share a row, as do E and F).
_BRIGGS_URBAN_Y = {
    "A": (0.32, 4.0e-4, -0.5),
    "B": (0.32, 4.0e-4, -0.5),
    "C": (0.22, 4.0e-4, -0.5),
    "D": (0.16, 4.0e-4, -0.5),
    "E": (0.11, 4.0e-4, -0.5),
    "F": (0.11, 4.0e-4, -0.5),
}
#: Urban sigma_z: (a, b, c) by class.
_BRIGGS_URBAN_Z = {
    "A": (0.24, 1.0e-3, 0.5),
    "B": (0.24, 1.0e-3, 0.5),
    "C": (0.20, 0.0, 0.0),
    "D": (0.14, 3.0e-4, -0.5),
    "E": (0.08, 1.5e-3, -0.5),
    "F": (0.08, 1.5e-3, -0.5),
}

# Pasquill-Gifford-Turner curve fits of ISC3 (US EPA 1995, Vol. II, Tables 1-1 and 1-2), x in km.
#: sigma_y = 465.11628 x tan(TH), TH = 0.017453293 (c - d ln x): (c, d) by class.
_PGT_Y = {
    "A": (24.1670, 2.5334),
    "B": (18.3330, 1.8096),
    "C": (12.5000, 1.0857),
    "D": (8.3330, 0.72382),
    "E": (6.2500, 0.54287),
    "F": (4.1667, 0.36191),
}
_PGT_Y_SCALE_M_PER_KM = 465.11628
_DEG_TO_RAD = 0.017453293
#: sigma_z = a x^b in m for x in km: rows (upper x in km, a, b) by class; the last row runs to
#: infinity. Class A above 3.11 km and any sigma_z above 5000 m are set to 5000 m (ISC3).
_PGT_Z: dict[str, tuple[tuple[float, float, float], ...]] = {
    "A": (
        (0.10, 122.800, 0.94470),
        (0.15, 158.080, 1.05420),
        (0.20, 170.220, 1.09320),
        (0.25, 179.520, 1.12620),
        (0.30, 217.410, 1.26440),
        (0.40, 258.890, 1.40940),
        (0.50, 346.750, 1.72830),
        (3.11, 453.850, 2.11660),
        (np.inf, 5000.0, 0.0),
    ),
    "B": ((0.20, 90.673, 0.93198), (0.40, 98.483, 0.98332), (np.inf, 109.300, 1.09710)),
    "C": ((np.inf, 61.141, 0.91465),),
    "D": (
        (0.30, 34.459, 0.86974),
        (1.00, 32.093, 0.81066),
        (3.00, 32.093, 0.64403),
        (10.00, 33.504, 0.60486),
        (30.00, 36.650, 0.56589),
        (np.inf, 44.053, 0.51179),
    ),
    "E": (
        (0.10, 24.260, 0.83660),
        (0.30, 23.331, 0.81956),
        (1.00, 21.628, 0.75660),
        (2.00, 21.628, 0.63077),
        (4.00, 22.534, 0.57154),
        (10.00, 24.703, 0.50527),
        (20.00, 26.970, 0.46713),
        (40.00, 35.420, 0.37615),
        (np.inf, 47.618, 0.29592),
    ),
    "F": (
        (0.20, 15.209, 0.81558),
        (0.70, 14.457, 0.78407),
        (1.00, 13.953, 0.68465),
        (2.00, 13.953, 0.63227),
        (3.00, 14.823, 0.54503),
        (7.00, 16.187, 0.46490),
        (15.00, 17.836, 0.41507),
        (30.00, 22.651, 0.32681),
        (60.00, 27.074, 0.27436),
        (np.inf, 34.219, 0.21716),
    ),
}
_PGT_SIGMA_Z_CAP_M = 5000.0

#: Shortest distance at which a sigma is evaluated, m; nearer points use this value so that the
#: field stays finite at the source.
MIN_DISTANCE_M = 1.0


def _distance(x_m: ArrayLike) -> NDArray[np.float64]:
    x = np.asarray(x_m, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise InvalidInputError(f"x_m = {x_m!r} m: must be finite numbers")
    return np.maximum(x, MIN_DISTANCE_M)


def _briggs(
    x: NDArray[np.float64], coefficients: tuple[float, float, float]
) -> NDArray[np.float64]:
    a, b, c = coefficients
    return np.asarray(a * x * (1.0 + b * x) ** c, dtype=np.float64)


def briggs_sigma_y_m(
    x_m: ArrayLike, stability_class: StabilityClass, *, is_urban: bool = False
) -> NDArray[np.float64]:
    """Return Briggs' (1973) horizontal spread sigma_y, m.

    Parameters
    ----------
    x_m : float or (n,) float
        Downwind distance, m. Values below 1 m are raised to 1 m.
    stability_class : {"A", "B", "C", "D", "E", "F"}
        Pasquill-Gifford class.
    is_urban : bool
        Urban (McElroy-Pooler) instead of open-country formulas.

    Returns
    -------
    (n,) float
        sigma_y, m, for a sampling time of about 10 min.

    References
    ----------
    .. [1] Hanna, S. R., Briggs, G. A. and Hosker, R. P. (1982). Handbook on Atmospheric
       Diffusion, sec. 4 (Briggs 1973 formulas).

    Examples
    --------
    >>> round(float(briggs_sigma_y_m(1000.0, "D")), 2)
    76.28
    """
    require_choice("stability_class", stability_class, STABILITY_CLASSES)
    table = _BRIGGS_URBAN_Y if is_urban else _BRIGGS_RURAL_Y
    return _briggs(_distance(x_m), table[stability_class])


def briggs_sigma_z_m(
    x_m: ArrayLike, stability_class: StabilityClass, *, is_urban: bool = False
) -> NDArray[np.float64]:
    """Return Briggs' (1973) vertical spread sigma_z, m.

    Parameters
    ----------
    x_m : float or (n,) float
        Downwind distance, m. Values below 1 m are raised to 1 m.
    stability_class : {"A", "B", "C", "D", "E", "F"}
        Pasquill-Gifford class.
    is_urban : bool
        Urban (McElroy-Pooler) instead of open-country formulas.

    Returns
    -------
    (n,) float
        sigma_z, m.

    References
    ----------
    .. [1] Hanna, S. R., Briggs, G. A. and Hosker, R. P. (1982). Handbook on Atmospheric
       Diffusion, sec. 4 (Briggs 1973 formulas).

    Examples
    --------
    >>> round(float(briggs_sigma_z_m(1000.0, "D")), 2)
    37.95
    """
    require_choice("stability_class", stability_class, STABILITY_CLASSES)
    table = _BRIGGS_URBAN_Z if is_urban else _BRIGGS_RURAL_Z
    return _briggs(_distance(x_m), table[stability_class])


def pgt_sigma_y_m(x_m: ArrayLike, stability_class: StabilityClass) -> NDArray[np.float64]:
    """Return the Pasquill-Gifford-Turner sigma_y (ISC3 curve fit, rural), m.

    ``sigma_y = 465.11628 x tan(0.017453293 (c - d ln x))`` with x in km (US EPA 1995, ISC3
    User's Guide Vol. II, Table 1-1).

    Examples
    --------
    >>> round(float(pgt_sigma_y_m(1000.0, "D")), 1)
    68.1
    """
    require_choice("stability_class", stability_class, STABILITY_CLASSES)
    x_km = _distance(x_m) / 1000.0
    c, d = _PGT_Y[stability_class]
    theta = _DEG_TO_RAD * (c - d * np.log(x_km))
    return np.asarray(_PGT_Y_SCALE_M_PER_KM * x_km * np.tan(theta), dtype=np.float64)


def pgt_sigma_z_m(x_m: ArrayLike, stability_class: StabilityClass) -> NDArray[np.float64]:
    """Return the Pasquill-Gifford-Turner sigma_z (ISC3 curve fit, rural), m.

    ``sigma_z = a x^b`` with x in km and (a, b) by distance range (US EPA 1995, ISC3 User's Guide
    Vol. II, Table 1-2); capped at 5000 m.

    Examples
    --------
    >>> round(float(pgt_sigma_z_m(1000.0, "D")), 1)
    32.1
    """
    require_choice("stability_class", stability_class, STABILITY_CLASSES)
    x_km = _distance(x_m) / 1000.0
    rows = _PGT_Z[stability_class]
    upper = np.array([r[0] for r in rows])
    a = np.array([r[1] for r in rows])
    b = np.array([r[2] for r in rows])
    index = np.minimum(np.searchsorted(upper, x_km, side="left"), len(rows) - 1)
    sigma = a[index] * x_km ** b[index]
    return np.asarray(np.minimum(sigma, _PGT_SIGMA_Z_CAP_M), dtype=np.float64)


def averaging_time_factor(averaging_time_s: float) -> float:
    """Return the factor ``(t / 600 s)^0.2`` that scales sigma_y to another averaging time.

    Parameters
    ----------
    averaging_time_s : float
        Averaging (sampling) time, s; the power law is supported by data from about 3 min to 1 h
        and accepted here from 1 s to 1 day.

    Returns
    -------
    float
        Multiplier of sigma_y.

    References
    ----------
    .. [1] Hanna, S. R., Briggs, G. A. and Hosker, R. P. (1982). Handbook on Atmospheric
       Diffusion, sec. 4 (averaging-time effects).

    Examples
    --------
    >>> round(averaging_time_factor(3600.0), 3)
    1.431
    """
    t = require_in_range("averaging_time_s", averaging_time_s, "s", low=1.0, high=86_400.0)
    return float((t / REFERENCE_AVERAGING_TIME_S) ** AVERAGING_TIME_EXPONENT)


def dispersion_sigmas_m(
    x_m: ArrayLike,
    stability_class: StabilityClass,
    *,
    is_urban: bool = False,
    scheme: SigmaScheme = "briggs",
    averaging_time_s: float = REFERENCE_AVERAGING_TIME_S,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (sigma_y, sigma_z) at downwind distances for a scheme and averaging time, m.

    Parameters
    ----------
    x_m : float or (n,) float
        Downwind (travel) distance, m. Values below 1 m are raised to 1 m.
    stability_class : {"A", "B", "C", "D", "E", "F"}
        Pasquill-Gifford class.
    is_urban : bool
        Urban dispersion (Briggs scheme only).
    scheme : {"briggs", "pasquill_gifford_turner"}
        Parameterisation (see the module docstring).
    averaging_time_s : float
        Averaging time, s; sigma_y is scaled by :func:`averaging_time_factor`.

    Returns
    -------
    sigma_y, sigma_z : (n,) float
        Spreads, m.

    Raises
    ------
    InvalidInputError
        For an unknown scheme, or the Pasquill-Gifford-Turner scheme with ``is_urban`` (its
        curves are for open country).
    """
    require_choice("scheme", scheme, SIGMA_SCHEMES)
    factor = averaging_time_factor(averaging_time_s)
    if scheme == "briggs":
        sigma_y = briggs_sigma_y_m(x_m, stability_class, is_urban=is_urban)
        sigma_z = briggs_sigma_z_m(x_m, stability_class, is_urban=is_urban)
    else:
        if is_urban:
            raise InvalidInputError(
                "scheme = 'pasquill_gifford_turner' is for open country; use scheme = 'briggs' "
                + "for is_urban = True"
            )
        sigma_y = pgt_sigma_y_m(x_m, stability_class)
        sigma_z = pgt_sigma_z_m(x_m, stability_class)
    return sigma_y * factor, sigma_z
