"""Atmospheric stability and the wind profile for the Gaussian dispersion models.

Models
------
- Pasquill-Gifford stability class from the wind speed at 10 m and the daytime insolation or the
  night-time cloud cover: the table of Pasquill (1961) as printed by Turner (1970), Table 1.
- Turner's (1964) objective scheme: a net radiation index from the solar elevation, the cloud cover
  and the ceiling, and the class from that index and the wind speed.
- Solar elevation from date, time and position (Spencer 1971 series, as in the NOAA solar
  calculator); good to about 0.5 degree, which is ample for an insolation class.
- Wind speed against height: the power law with the exponents of the US EPA ISC3 model (rural and
  urban, after Irwin 1979), or the Monin-Obukhov log law with the Businger-Dyer corrections.
- Monin-Obukhov length from the class and the roughness length: Golder's (1972) nomogram, as
  fitted by Myrup and Ranzieri (1976): ``1/L = a + b log10(z0)``.
- Friction velocity from the log law through the reference wind speed.

Gaussian models do not apply in calm air: below about 0.5 m/s the mean wind no longer sets the
transport direction, the threshold US EPA guidance uses to call an hour calm (EPA-454/R-99-005,
sec. 6.5). :func:`require_gaussian_wind` rejects such winds.

References
----------
.. [1] Pasquill, F. (1961). The estimation of the dispersion of windborne material. Meteorological
   Magazine 90, 33-49.
.. [2] Turner, D. B. (1970). Workbook of Atmospheric Dispersion Estimates. US EPA AP-26, Table 1.
.. [3] Turner, D. B. (1964). A diffusion model for an urban area. J. Appl. Meteor. 3, 83-91.
.. [4] Spencer, J. W. (1971). Fourier series representation of the position of the sun.
   Search 2, 172.
.. [5] US EPA (1995). User's Guide for the ISC3 Dispersion Models, Vol. II, EPA-454/B-95-003b,
   sec. 1.1.5 (wind profile exponents, from Irwin 1979).
.. [6] Irwin, J. S. (1979). A theoretical variation of the wind profile power-law exponent as a
   function of surface roughness and stability. Atmos. Environ. 13, 191-194.
.. [7] Golder, D. (1972). Relations among stability parameters in the surface layer.
   Boundary-Layer Meteorol. 3, 47-58; fit by Myrup, L. O. and Ranzieri, A. J. (1976), as given in
   Seinfeld, J. H. and Pandis, S. N. (2006), Atmospheric Chemistry and Physics, 2nd ed., eq. 16.83.
.. [8] Businger, J. A. et al. (1971). Flux-profile relationships in the atmospheric surface layer.
   J. Atmos. Sci. 28, 181-189; integrated forms of Paulson (1970), J. Appl. Meteor. 9, 857-861.
.. [9] US EPA (2000). Meteorological Monitoring Guidance for Regulatory Modeling Applications,
   EPA-454/R-99-005, sec. 6.5 (calms).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers._checks import require_choice, require_in_range, require_positive
from solvers.atmosphere import STABILITY_CLASSES, StabilityClass, Weather
from solvers.errors import InvalidInputError

__all__ = [
    "KARMAN_CONSTANT",
    "MIN_GAUSSIAN_WIND_SPEED_M_S",
    "Insolation",
    "friction_velocity_m_s",
    "insolation_class",
    "monin_obukhov_length_m",
    "pasquill_class",
    "power_law_exponent",
    "require_gaussian_wind",
    "solar_elevation_deg",
    "transport_wind_speed_m_s",
    "turner_net_radiation_index",
    "turner_stability_class",
    "wind_speed_at_height_m_s",
]

Insolation = Literal["strong", "moderate", "slight"]
WindProfile = Literal["power", "log"]
Intermediate = Literal["more_stable", "less_stable"]

#: von Karman constant (Businger et al. 1971 used 0.35; 0.4 is the usual modern value).
KARMAN_CONSTANT = 0.4

#: Wind speed below which the air counts as calm and Gaussian models do not apply, m/s
#: (US EPA 2000, EPA-454/R-99-005, sec. 6.5: the starting threshold of a cup anemometer).
MIN_GAUSSIAN_WIND_SPEED_M_S = 0.5

#: Upper edges of the wind-speed bands of the Pasquill table, m/s at 10 m (Turner 1970, Table 1).
_PASQUILL_WIND_EDGES_M_S = (2.0, 3.0, 5.0, 6.0)

#: Daytime classes by wind band (rows) and insolation strong / moderate / slight (columns);
#: two letters mark the intermediate classes "A-B", "B-C", "C-D" (Turner 1970, Table 1).
_PASQUILL_DAY: tuple[tuple[str, str, str], ...] = (
    ("A", "AB", "B"),
    ("AB", "B", "C"),
    ("B", "BC", "C"),
    ("C", "CD", "D"),
    ("C", "D", "D"),
)

#: Night-time classes by wind band for thin overcast or >= 4/8 low cloud, and for <= 3/8 cloud
#: (Turner 1970, Table 1). The table leaves winds under 2 m/s at night blank; F is used there, the
#: common convention (e.g. TNO Yellow Book, CPR 14E, ch. 4) and the conservative choice for
#: ground-level releases.
_PASQUILL_NIGHT_CLOUDY = ("F", "E", "D", "D", "D")
_PASQUILL_NIGHT_CLEAR = ("F", "F", "E", "D", "D")

#: Night-time cloud fraction at or above which the "cloudy" night column applies (4/8 oktas).
_NIGHT_CLOUDY_FRACTION = 0.5

#: Solar-elevation lower bounds of Turner's insolation classes 4, 3, 2, deg (Turner 1964, Table 1).
_INSOLATION_ELEVATION_DEG = ((60.0, 4), (35.0, 3), (15.0, 2))

#: Ceilings of Turner's (1964) cloud corrections, as published in feet.
_CEILING_LOW_FT = 7000.0
_CEILING_MID_FT = 16000.0
_M_PER_FT = 0.3048

#: Wind-speed bands of Turner's (1964) table, upper edges in knots (rows 0-1, 2-3, 4-5, 6, 7, 8-9,
#: 10, 11, >= 12 knots).
_TURNER_WIND_EDGES_KT = (1.5, 3.5, 5.5, 6.5, 7.5, 9.5, 10.5, 11.5)
_M_S_PER_KNOT = 0.514444

#: Stability class 1..7 (A..G) by wind band (rows) and net radiation index 4, 3, 2, 1, 0, -1, -2
#: (columns) (Turner 1964, Table 2). Class 7 (G) is mapped to F, the most stable class here.
_TURNER_TABLE = (
    (1, 1, 2, 3, 4, 6, 7),
    (1, 2, 2, 3, 4, 6, 7),
    (1, 2, 3, 4, 4, 5, 6),
    (2, 2, 3, 4, 4, 5, 6),
    (2, 2, 3, 4, 4, 4, 5),
    (2, 3, 3, 4, 4, 4, 5),
    (3, 3, 4, 4, 4, 4, 5),
    (3, 3, 4, 4, 4, 4, 4),
    (3, 4, 4, 4, 4, 4, 4),
)

#: Power-law wind-profile exponents by class A..F (US EPA 1995, ISC3 User's Guide Vol. II,
#: sec. 1.1.5, from Irwin 1979).
_POWER_LAW_RURAL = {"A": 0.07, "B": 0.07, "C": 0.10, "D": 0.15, "E": 0.35, "F": 0.55}
_POWER_LAW_URBAN = {"A": 0.15, "B": 0.15, "C": 0.20, "D": 0.25, "E": 0.30, "F": 0.30}

#: Coefficients (a, b) of 1/L = a + b log10(z0), 1/m, by class (Golder 1972 nomogram, fit of
#: Myrup and Ranzieri 1976; Seinfeld and Pandis 2006, eq. 16.83).
_GOLDER_INVERSE_L = {
    "A": (-0.096, 0.029),
    "B": (-0.037, 0.029),
    "C": (-0.002, 0.018),
    "D": (0.0, 0.0),
    "E": (0.004, -0.018),
    "F": (0.035, -0.036),
}
#: Roughness range of the Golder fit, m; outside it the value at the nearer end is used (the fit
#: changes sign for z0 beyond about 1 m in classes C and E).
_GOLDER_Z0_RANGE_M = (1.0e-4, 0.5)

#: Businger-Dyer coefficients (Businger et al. 1971 as revised by Dyer 1974): phi_m = 1 + 5 z/L
#: (stable), (1 - 16 z/L)^(-1/4) (unstable).
_BD_STABLE = 5.0
_BD_UNSTABLE = 16.0
#: Largest z/L used in the stable correction; beyond it the linear form over-corrects
#: (Hogstrom 1988 finds it valid to z/L of about 1).
_MAX_STABLE_ZETA = 1.0


def require_gaussian_wind(wind_speed_m_s: float, name: str = "wind_speed_m_s") -> float:
    """Return the wind speed; raise unless it is above the calm threshold of Gaussian models.

    Parameters
    ----------
    wind_speed_m_s : float
        Wind speed, m/s.
    name : str
        Name of the input, for the message.

    Returns
    -------
    float
        The wind speed, m/s.

    Raises
    ------
    InvalidInputError
        If the speed is not finite or is below :data:`MIN_GAUSSIAN_WIND_SPEED_M_S`: in calm air
        the mean wind does not carry the cloud and Gaussian plume and puff models do not apply
        (US EPA 2000, EPA-454/R-99-005, sec. 6.5).
    """
    speed = require_positive(name, wind_speed_m_s, "m/s")
    if speed < MIN_GAUSSIAN_WIND_SPEED_M_S:
        raise InvalidInputError(
            f"{name} = {wind_speed_m_s!r} m/s: Gaussian dispersion models do not apply in calm "
            + f"air; the wind speed must be >= {MIN_GAUSSIAN_WIND_SPEED_M_S} m/s (the calm "
            + "threshold of US EPA guidance, EPA-454/R-99-005)"
        )
    return speed


def _resolve(letters: str, intermediate: Intermediate) -> StabilityClass:
    """One class from a table cell that may name two ("AB")."""
    letter = letters[-1] if intermediate == "more_stable" else letters[0]
    return letter  # type: ignore[return-value]


def _pasquill_band(wind_speed_m_s: float) -> int:
    return int(np.searchsorted(_PASQUILL_WIND_EDGES_M_S, wind_speed_m_s, side="right"))


def pasquill_class(
    wind_speed_m_s: float,
    *,
    insolation: Insolation | None = None,
    night_cloud_fraction: float | None = None,
    is_overcast: bool = False,
    intermediate: Intermediate = "more_stable",
) -> StabilityClass:
    """Return the Pasquill-Gifford stability class from wind speed and insolation or cloud.

    Pasquill's (1961) table as printed by Turner (1970), Table 1: by day the class follows the
    incoming solar radiation (strong, moderate, slight), by night the cloud cover; heavy overcast
    gives D by day or night. Wind speed is at 10 m.

    Parameters
    ----------
    wind_speed_m_s : float
        Wind speed at 10 m, m/s. Must be >= 0.5 (calm air has no Gaussian class).
    insolation : {"strong", "moderate", "slight"}, optional
        Daytime incoming solar radiation. Give this by day, ``night_cloud_fraction`` by night.
    night_cloud_fraction : float, optional
        Night-time cloud cover, 0 to 1 (>= 4/8 low cloud or thin overcast counts as cloudy).
    is_overcast : bool
        Heavy overcast, day or night: class D whatever the wind.
    intermediate : {"more_stable", "less_stable"}
        Which class to return where the table gives two ("A-B", "B-C", "C-D"). The more stable
        one gives higher ground-level concentrations from low releases.

    Returns
    -------
    {"A", "B", "C", "D", "E", "F"}
        The stability class.

    Raises
    ------
    InvalidInputError
        If the wind is calm, or neither or both of ``insolation`` and ``night_cloud_fraction``
        are given (unless overcast).

    References
    ----------
    .. [1] Turner, D. B. (1970). Workbook of Atmospheric Dispersion Estimates, Table 1.

    Examples
    --------
    >>> pasquill_class(2.5, insolation="strong")
    'B'
    >>> pasquill_class(1.5, night_cloud_fraction=0.2)
    'F'
    """
    speed = require_gaussian_wind(wind_speed_m_s)
    require_choice("intermediate", intermediate, ("more_stable", "less_stable"))
    if is_overcast:
        return "D"
    if (insolation is None) == (night_cloud_fraction is None):
        raise InvalidInputError(
            "give exactly one of insolation (day) and night_cloud_fraction (night); got "
            + f"insolation = {insolation!r}, night_cloud_fraction = {night_cloud_fraction!r}"
        )
    band = _pasquill_band(speed)
    if insolation is not None:
        column = ("strong", "moderate", "slight").index(
            require_choice("insolation", insolation, ("strong", "moderate", "slight"))
        )
        return _resolve(_PASQUILL_DAY[band][column], intermediate)
    cloud = require_in_range("night_cloud_fraction", night_cloud_fraction, "", low=0.0, high=1.0)
    row = _PASQUILL_NIGHT_CLOUDY if cloud >= _NIGHT_CLOUDY_FRACTION else _PASQUILL_NIGHT_CLEAR
    return row[band]  # type: ignore[return-value]


def solar_elevation_deg(latitude_deg: float, longitude_deg: float, when: datetime) -> float:
    """Return the elevation of the sun above the horizon, deg.

    Spencer's (1971) Fourier series for the declination and the equation of time, as used by the
    NOAA solar calculator; refraction is ignored. Accurate to about 0.5 deg, enough to pick an
    insolation class.

    Parameters
    ----------
    latitude_deg : float
        Latitude, deg north, in [-90, 90].
    longitude_deg : float
        Longitude, deg east, in [-180, 180].
    when : datetime
        Date and time; a naive datetime is taken as UTC.

    Returns
    -------
    float
        Solar elevation, deg (negative below the horizon).

    References
    ----------
    .. [1] Spencer, J. W. (1971). Fourier series representation of the position of the sun.
       Search 2(5), 172.
    """
    lat = math.radians(require_in_range("latitude_deg", latitude_deg, "deg", low=-90, high=90))
    lon = require_in_range("longitude_deg", longitude_deg, "deg", low=-180, high=180)
    utc = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    day_of_year = utc.timetuple().tm_yday
    hours = utc.hour + utc.minute / 60.0 + utc.second / 3600.0
    gamma = 2.0 * math.pi / 365.0 * (day_of_year - 1 + (hours - 12.0) / 24.0)
    eq_time_min = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    declination = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    true_solar_min = hours * 60.0 + eq_time_min + 4.0 * lon
    hour_angle = math.radians(true_solar_min / 4.0 - 180.0)
    cos_zenith = math.sin(lat) * math.sin(declination) + math.cos(lat) * math.cos(
        declination
    ) * math.cos(hour_angle)
    return 90.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))


def insolation_class(solar_elevation: float) -> int:
    """Return Turner's insolation class number (1 weak to 4 strong) for a solar elevation in deg.

    Turner (1964), Table 1: above 60 deg strong (4), 35-60 moderate (3), 15-35 slight (2),
    below 15 weak (1).

    Examples
    --------
    >>> insolation_class(45.0)
    3
    """
    elevation = require_in_range("solar_elevation", solar_elevation, "deg", low=-90.0, high=90.0)
    for lower, number in _INSOLATION_ELEVATION_DEG:
        if elevation > lower:
            return number
    return 1


def turner_net_radiation_index(
    solar_elevation: float, *, cloud_fraction: float, ceiling_m: float | None = None
) -> int:
    """Return Turner's (1964) net radiation index, -2 (clear night) to 4 (strong sun).

    1. Total cover 10/10 with a ceiling below 7000 ft: index 0, day or night.
    2. Night (sun below the horizon): -2 for cover <= 4/10, -1 otherwise.
    3. Day: the insolation class; with cover > 5/10 reduce it by 2 for a ceiling below 7000 ft,
       by 1 for a ceiling of 7000-16000 ft, and by 1 for total overcast above 7000 ft; not below 1.

    Turner's night runs from an hour before sunset to an hour after sunrise; here it is taken as
    the sun below the horizon.

    Parameters
    ----------
    solar_elevation : float
        Solar elevation, deg (see :func:`solar_elevation_deg`).
    cloud_fraction : float
        Total cloud cover, 0 to 1.
    ceiling_m : float, optional
        Height of the cloud base, m; None for no ceiling (clear or high cloud only).

    Returns
    -------
    int
        The net radiation index.

    References
    ----------
    .. [1] Turner, D. B. (1964). A diffusion model for an urban area. J. Appl. Meteor. 3, 83-91.
    """
    cloud = require_in_range("cloud_fraction", cloud_fraction, "", low=0.0, high=1.0)
    ceiling_ft = math.inf if ceiling_m is None else require_positive("ceiling_m", ceiling_m, "m")
    ceiling_ft /= _M_PER_FT
    if cloud >= 1.0 and ceiling_ft < _CEILING_LOW_FT:
        return 0
    if solar_elevation <= 0.0:
        return -2 if cloud <= 0.4 else -1
    index = insolation_class(solar_elevation)
    if cloud > 0.5:
        if ceiling_ft < _CEILING_LOW_FT:
            index -= 2
        elif ceiling_ft < _CEILING_MID_FT:
            index -= 1
        if cloud >= 1.0:
            index -= 1
    return max(index, 1)


def turner_stability_class(wind_speed_m_s: float, net_radiation_index: int) -> StabilityClass:
    """Return the stability class from wind speed and Turner's net radiation index.

    Turner (1964), Table 2, with the wind speed at 10 m rounded into his knot bands; his class 7
    (G, extremely stable) is returned as F, the most stable class of these models.

    Parameters
    ----------
    wind_speed_m_s : float
        Wind speed at 10 m, m/s. Must be >= 0.5.
    net_radiation_index : int
        From :func:`turner_net_radiation_index`, -2 to 4.

    Returns
    -------
    {"A", "B", "C", "D", "E", "F"}
        The stability class.

    Examples
    --------
    >>> turner_stability_class(5.0, 4)
    'C'
    """
    speed = require_gaussian_wind(wind_speed_m_s)
    if net_radiation_index not in range(-2, 5):
        raise InvalidInputError(
            f"net_radiation_index = {net_radiation_index!r}: must be an integer from -2 to 4"
        )
    row = int(np.searchsorted(_TURNER_WIND_EDGES_KT, speed / _M_S_PER_KNOT, side="right"))
    number = _TURNER_TABLE[row][4 - net_radiation_index]
    return STABILITY_CLASSES[min(number, 6) - 1]  # type: ignore[return-value]


def power_law_exponent(stability_class: StabilityClass, *, is_urban: bool) -> float:
    """Return the wind-profile power-law exponent of the US EPA ISC3 model (Irwin 1979).

    Examples
    --------
    >>> power_law_exponent("D", is_urban=False)
    0.15
    """
    require_choice("stability_class", stability_class, STABILITY_CLASSES)
    table = _POWER_LAW_URBAN if is_urban else _POWER_LAW_RURAL
    return table[stability_class]


def monin_obukhov_length_m(stability_class: StabilityClass, roughness_m: float) -> float:
    """Return the Monin-Obukhov length for a stability class and roughness length, m.

    Golder's (1972) nomogram as fitted by Myrup and Ranzieri (1976):
    ``1/L = a + b log10(z0)`` with (a, b) per class. Class D gives an infinite length (neutral).
    The fit covers z0 from 1e-4 to 0.5 m; outside, the value at the nearer end is used.

    Parameters
    ----------
    stability_class : {"A", "B", "C", "D", "E", "F"}
        Pasquill-Gifford class.
    roughness_m : float
        Roughness length z0, m. Must be > 0.

    Returns
    -------
    float
        L, m: negative for unstable classes, positive for stable, ``inf`` for D.

    References
    ----------
    .. [1] Seinfeld, J. H. and Pandis, S. N. (2006). Atmospheric Chemistry and Physics, 2nd ed.,
       eq. 16.83 (Golder 1972; Myrup and Ranzieri 1976).

    Examples
    --------
    >>> round(monin_obukhov_length_m("F", 0.1), 1)
    14.1
    """
    require_choice("stability_class", stability_class, STABILITY_CLASSES)
    z0 = require_positive("roughness_m", roughness_m, "m")
    z0 = min(max(z0, _GOLDER_Z0_RANGE_M[0]), _GOLDER_Z0_RANGE_M[1])
    a, b = _GOLDER_INVERSE_L[stability_class]
    inverse = a + b * math.log10(z0)
    return math.inf if inverse == 0.0 else 1.0 / inverse


def _psi_m(zeta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Integrated Businger-Dyer stability correction for momentum (Paulson 1970)."""
    stable = -_BD_STABLE * np.minimum(np.maximum(zeta, 0.0), _MAX_STABLE_ZETA)
    x = np.power(1.0 - _BD_UNSTABLE * np.minimum(zeta, 0.0), 0.25)
    unstable = (
        2.0 * np.log((1.0 + x) / 2.0)
        + np.log((1.0 + x * x) / 2.0)
        - 2.0 * np.arctan(x)
        + math.pi / 2.0
    )
    return np.where(zeta >= 0.0, stable, unstable)


def _log_profile_factor(
    height_m: NDArray[np.float64], roughness_m: float, obukhov_m: float
) -> NDArray[np.float64]:
    """``ln(z/z0) - psi(z/L) + psi(z0/L)``: the log-law wind speed in units of u*/k."""
    inverse_l = 0.0 if math.isinf(obukhov_m) else 1.0 / obukhov_m
    return np.asarray(
        np.log(height_m / roughness_m)
        - _psi_m(height_m * inverse_l)
        + _psi_m(np.full_like(height_m, roughness_m * inverse_l)),
        dtype=np.float64,
    )


def wind_speed_at_height_m_s(
    weather: Weather, height_m: ArrayLike, *, profile: WindProfile = "power"
) -> NDArray[np.float64]:
    """Return the mean wind speed at the given heights, m/s.

    ``"power"``: ``u(z) = u_ref (z / z_ref)^p`` with the ISC3 exponents (rural or urban per
    ``weather.is_urban``). ``"log"``: the Monin-Obukhov log law with Businger-Dyer corrections,
    with L from :func:`monin_obukhov_length_m`, scaled through the reference speed. Heights below
    the roughness length (log law) or 0.1 m (power law) are raised to it.

    Parameters
    ----------
    weather : Weather
        Wind speed at ``weather.reference_height_m``, class, roughness.
    height_m : float or (n,) float
        Heights above ground, m. Must be > 0.
    profile : {"power", "log"}
        Profile form.

    Returns
    -------
    (n,) float
        Wind speeds, m/s (same shape as ``height_m``).
    """
    require_choice("profile", profile, ("power", "log"))
    z = np.asarray(height_m, dtype=np.float64)
    if not np.all(np.isfinite(z) & (z > 0)):
        raise InvalidInputError(f"height_m = {height_m!r} m: must be finite numbers > 0")
    if profile == "power":
        p = power_law_exponent(weather.stability_class, is_urban=weather.is_urban)
        ratio = np.maximum(z, 0.1) / weather.reference_height_m
        return np.asarray(weather.wind_speed_m_s * ratio**p, dtype=np.float64)
    z0 = weather.surface_roughness_m
    obukhov = monin_obukhov_length_m(weather.stability_class, z0)
    zz = np.maximum(z, 1.5 * z0)
    at_ref = _log_profile_factor(np.array([weather.reference_height_m]), z0, obukhov)[0]
    return np.asarray(
        weather.wind_speed_m_s * _log_profile_factor(zz, z0, obukhov) / at_ref, dtype=np.float64
    )


def friction_velocity_m_s(weather: Weather) -> float:
    """Return the friction velocity u* from the log law through the reference wind speed, m/s.

    ``u* = k u_ref / [ln(z_ref/z0) - psi_m(z_ref/L) + psi_m(z0/L)]`` with L from
    :func:`monin_obukhov_length_m` (Golder 1972) and the Businger-Dyer corrections.

    Parameters
    ----------
    weather : Weather
        Reference wind speed and height, stability class and roughness length.

    Returns
    -------
    float
        Friction velocity, m/s.

    Raises
    ------
    InvalidInputError
        If the reference height is not above the roughness length.

    References
    ----------
    .. [1] Businger, J. A. et al. (1971), J. Atmos. Sci. 28, 181-189; Paulson, C. A. (1970),
       J. Appl. Meteor. 9, 857-861.
    """
    z0 = weather.surface_roughness_m
    if weather.reference_height_m <= z0:
        raise InvalidInputError(
            f"reference_height_m = {weather.reference_height_m!r} m: must exceed the roughness "
            + f"length {z0!r} m for the log law"
        )
    obukhov = monin_obukhov_length_m(weather.stability_class, z0)
    factor = _log_profile_factor(np.array([weather.reference_height_m]), z0, obukhov)[0]
    return float(KARMAN_CONSTANT * weather.wind_speed_m_s / factor)


def transport_wind_speed_m_s(weather: Weather, release_height_m: float) -> float:
    """Return the wind speed that carries a Gaussian plume or puff, m/s.

    The power-law speed at the release height, but not below the height the wind was measured at:
    the Pasquill-Gifford and Briggs curves were fitted with winds measured near the ground
    (2 m at Prairie Grass, 10 m by convention), so the model reads the wind there for low releases.

    Parameters
    ----------
    weather : Weather
        Wind at the reference height.
    release_height_m : float
        Effective release height, m. Must be >= 0.

    Returns
    -------
    float
        Transport speed, m/s.

    Raises
    ------
    InvalidInputError
        If the wind is calm (below :data:`MIN_GAUSSIAN_WIND_SPEED_M_S`).
    """
    require_gaussian_wind(weather.wind_speed_m_s)
    height = require_in_range("release_height_m", release_height_m, "m", low=0.0, high=1.0e4)
    z = max(height, weather.reference_height_m)
    return float(wind_speed_at_height_m_s(weather, z)[()])
