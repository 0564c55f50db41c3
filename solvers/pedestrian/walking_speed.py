"""Walking speeds and body sizes from published pedestrian data.

- The fundamental diagram of Weidmann (1993): speed and specific flow against density on level
  ground, :func:`weidmann_speed_m_s` and :func:`weidmann_specific_flow_1_m_s`.
- Free walking speeds: Weidmann's normal distribution (:func:`sample_free_speeds_m_s`) and the
  mean speed by age used by RiMEA test 7 (:func:`mean_free_speed_by_age_m_s`,
  :func:`sample_free_speeds_by_age_m_s`).
- The SFPE hydraulic model (Nelson & Mowrer; Gwynne & Rosenbaum): speed against density on level
  routes and on stairs of a given riser and tread (:func:`sfpe_speed_m_s`,
  :func:`stair_speed_m_s`), with the horizontal component on stairs. It gives one stair speed for
  both directions.
- Free speeds on stairs by direction (Weidmann 1993): mean horizontal speeds upwards and
  downwards, scaled by a person's own free speed (:func:`weidmann_stair_speed_m_s`); descending
  is about 14 % faster than ascending.
- Body sizes: Fruin's body ellipse and the radii of the movement models' publications.

References
----------
.. [1] Weidmann, U. (1993). Transporttechnik der Fussgänger. Schriftenreihe des IVT Nr. 90,
   ETH Zürich, 2nd ed.: free speed 1.34 m/s (s.d. 0.26 m/s), fundamental diagram with
   gamma = 1.913 1/m^2 and jam density 5.4 1/m^2; mean horizontal speeds on stairs, 0.610 m/s
   upwards and 0.694 m/s downwards.
.. [2] RiMEA e.V. (2016). Guideline for Microscopic Evacuation Analysis, version 3.0, test 7 and
   its figure of walking speed against age (after Weidmann 1993).
.. [3] Gwynne, S. M. V., Rosenbaum, E. R. (2016). Employing the hydraulic model in assessing
   emergency movement. In: SFPE Handbook of Fire Protection Engineering, 5th ed., Springer,
   ch. 59 (speed S = k - a k D, a = 0.266 m^2, the k table for corridors and stairs, speed cap
   0.85 k below 0.54 1/m^2, no movement above 3.8 1/m^2); after Nelson & Mowrer.
.. [4] Fruin, J. J. (1971). Pedestrian Planning and Design. Metropolitan Association of Urban
   Designers and Environmental Planners, New York: body ellipse 24 in x 18 in (0.61 m x 0.46 m).
.. [5] Helbing, D., Farkas, I., Vicsek, T. (2000). Simulating dynamical features of escape panic.
   Nature 407, 487-490: radii uniform in 0.25-0.35 m.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers._checks import require_in_range, require_non_negative, require_positive
from solvers.errors import InvalidInputError

__all__ = [
    "FRUIN_BODY_DEPTH_M",
    "FRUIN_BODY_WIDTH_M",
    "HFV_RADIUS_RANGE_M",
    "JUPEDSIM_DEFAULT_RADIUS_M",
    "RIMEA_AGE_SPEED_NODES",
    "SFPE_K_CORRIDOR_M_S",
    "SFPE_K_STAIRS_M_S",
    "WEIDMANN_FREE_SPEED_M_S",
    "WEIDMANN_FREE_SPEED_SD_M_S",
    "WEIDMANN_GAMMA_1_M2",
    "WEIDMANN_JAM_DENSITY_1_M2",
    "WEIDMANN_STAIR_DOWN_SPEED_M_S",
    "WEIDMANN_STAIR_UP_SPEED_M_S",
    "mean_free_speed_by_age_m_s",
    "sample_free_speeds_by_age_m_s",
    "sample_free_speeds_m_s",
    "sample_radii_m",
    "sfpe_speed_m_s",
    "stair_speed_m_s",
    "weidmann_specific_flow_1_m_s",
    "weidmann_speed_m_s",
    "weidmann_stair_speed_m_s",
]

#: Mean free walking speed on level ground, m/s. Weidmann (1993).
WEIDMANN_FREE_SPEED_M_S = 1.34
#: Standard deviation of free walking speeds, m/s. Weidmann (1993).
WEIDMANN_FREE_SPEED_SD_M_S = 0.26
#: Fit parameter gamma of the fundamental diagram, 1/m^2. Weidmann (1993).
WEIDMANN_GAMMA_1_M2 = 1.913
#: Jam density (speed zero), 1/m^2. Weidmann (1993).
WEIDMANN_JAM_DENSITY_1_M2 = 5.4
#: Mean free walking speed on stairs going up, horizontal component, m/s. Weidmann (1993), the
#: mean over the stair studies he collected (speeds on stairs, upwards).
WEIDMANN_STAIR_UP_SPEED_M_S = 0.610
#: Mean free walking speed on stairs going down, horizontal component, m/s. Weidmann (1993),
#: as above (downwards).
WEIDMANN_STAIR_DOWN_SPEED_M_S = 0.694

#: Mean walking speed on level ground against age, (age years, speed m/s), read at ten-year nodes
#: from the mean curve of RiMEA's age-speed figure (after Weidmann 1993); intermediate ages are
#: interpolated linearly. Read from a figure: about +-0.05 m/s.
RIMEA_AGE_SPEED_NODES: tuple[tuple[float, float], ...] = (
    (10.0, 1.20),
    (20.0, 1.60),
    (30.0, 1.52),
    (40.0, 1.50),
    (50.0, 1.45),
    (60.0, 1.25),
    (70.0, 1.05),
    (80.0, 0.70),
)

#: SFPE hydraulic model: speed factor k for corridors, aisles, ramps and doorways, m/s.
#: Gwynne & Rosenbaum (2016), after Nelson & Mowrer.
SFPE_K_CORRIDOR_M_S = 1.40
#: SFPE hydraulic model: k for stairs by (riser, tread) in inches, m/s. Gwynne & Rosenbaum (2016).
SFPE_K_STAIRS_M_S: dict[tuple[float, float], float] = {
    (7.5, 10.0): 1.00,
    (7.0, 11.0): 1.08,
    (6.5, 12.0): 1.16,
    (6.5, 13.0): 1.23,
}
#: SFPE hydraulic model: density coefficient a in S = k - a k D, m^2. Gwynne & Rosenbaum (2016).
_SFPE_A_M2 = 0.266
#: Fraction of k reached below 0.54 1/m^2 (the speed cap), dimensionless. Gwynne & Rosenbaum
#: (2016).
_SFPE_FREE_FRACTION = 0.85
#: Density above which the SFPE model has no movement, 1/m^2. Gwynne & Rosenbaum (2016).
_SFPE_JAM_DENSITY_1_M2 = 3.8

#: Fruin's body ellipse: shoulder width, m. Fruin (1971), 24 in.
FRUIN_BODY_WIDTH_M = 0.61
#: Fruin's body ellipse: body depth, m. Fruin (1971), 18 in.
FRUIN_BODY_DEPTH_M = 0.46
#: Radius range of agents in the social force model, m. Helbing, Farkas & Vicsek (2000).
HFV_RADIUS_RANGE_M = (0.25, 0.35)
#: Default agent radius of JuPedSim's collision-free speed model, m.
JUPEDSIM_DEFAULT_RADIUS_M = 0.2

#: Slowest and fastest free walking speed a sample may take, m/s: keeps the normal distribution's
#: tails physical (no standing still, no running).
_SAMPLE_SPEED_BOUNDS_M_S = (0.3, 2.5)


def weidmann_speed_m_s(density_1_m2: ArrayLike) -> NDArray[np.float64]:
    """Return the walking speed on level ground at a crowd density (Weidmann 1993).

    ``v(rho) = v0 (1 - exp(-gamma (1/rho - 1/rho_max)))``, zero at and above the jam density and
    ``v0`` as the density tends to zero.

    Parameters
    ----------
    density_1_m2 : float or (n,) float
        Crowd density, persons/m^2, >= 0.

    Returns
    -------
    (n,) float or float array
        Speed, m/s.

    Raises
    ------
    InvalidInputError
        If a density is negative or not finite.

    References
    ----------
    .. [1] Weidmann (1993), the "Kladek formula" fitted to 25 data sets.
    """
    rho = np.asarray(density_1_m2, dtype=np.float64)
    if not np.all(np.isfinite(rho)) or np.any(rho < 0):
        raise InvalidInputError("density_1_m2: must hold finite numbers >= 0 persons/m^2")
    with np.errstate(divide="ignore"):
        inverse = np.where(rho > 0, 1.0 / np.where(rho > 0, rho, 1.0), np.inf)
    speed = WEIDMANN_FREE_SPEED_M_S * (
        1.0 - np.exp(-WEIDMANN_GAMMA_1_M2 * (inverse - 1.0 / WEIDMANN_JAM_DENSITY_1_M2))
    )
    return np.asarray(np.maximum(speed, 0.0), dtype=np.float64)


def weidmann_specific_flow_1_m_s(density_1_m2: ArrayLike) -> NDArray[np.float64]:
    """Return the specific flow ``rho v(rho)`` of Weidmann's fundamental diagram, persons/(m s).

    Parameters
    ----------
    density_1_m2 : float or (n,) float
        Crowd density, persons/m^2, >= 0.

    Returns
    -------
    (n,) float or float array
        Specific flow, persons per metre of width per second; its maximum is about 1.22 at
        1.75 persons/m^2.
    """
    rho = np.asarray(density_1_m2, dtype=np.float64)
    return np.asarray(rho * weidmann_speed_m_s(rho), dtype=np.float64)


def sample_free_speeds_m_s(
    n: int,
    rng: np.random.Generator | int | None = None,
    *,
    mean_m_s: float = WEIDMANN_FREE_SPEED_M_S,
    sd_m_s: float = WEIDMANN_FREE_SPEED_SD_M_S,
) -> NDArray[np.float64]:
    """Draw free walking speeds from Weidmann's normal distribution.

    Parameters
    ----------
    n : int
        Number of speeds.
    rng : numpy Generator, int or None
        Random generator or seed.
    mean_m_s, sd_m_s : float
        Mean and standard deviation, m/s (Weidmann 1993: 1.34 and 0.26).

    Returns
    -------
    (n,) float
        Speeds, m/s, clipped to 0.3-2.5 m/s.
    """
    if n < 0:
        raise InvalidInputError(f"n = {n!r}: must be >= 0")
    require_positive("mean_m_s", mean_m_s, "m/s")
    require_non_negative("sd_m_s", sd_m_s, "m/s")
    gen = np.random.default_rng(rng)
    return np.clip(gen.normal(mean_m_s, sd_m_s, n), *_SAMPLE_SPEED_BOUNDS_M_S)


def mean_free_speed_by_age_m_s(age_years: ArrayLike) -> NDArray[np.float64]:
    """Return the mean free walking speed at an age (RiMEA test 7, after Weidmann 1993).

    Parameters
    ----------
    age_years : float or (n,) float
        Age, years, in 10-80 (the range of the nodes :data:`RIMEA_AGE_SPEED_NODES`).

    Returns
    -------
    (n,) float or float array
        Mean speed, m/s.

    Raises
    ------
    InvalidInputError
        If an age lies outside 10-80 years.
    """
    age = np.asarray(age_years, dtype=np.float64)
    nodes = np.array(RIMEA_AGE_SPEED_NODES)
    if not np.all(np.isfinite(age)) or np.any(age < nodes[0, 0]) or np.any(age > nodes[-1, 0]):
        raise InvalidInputError(
            f"age_years: must lie in [{nodes[0, 0]:g}, {nodes[-1, 0]:g}] years, "
            + "the range of the RiMEA age-speed curve"
        )
    return np.asarray(np.interp(age, nodes[:, 0], nodes[:, 1]), dtype=np.float64)


def sample_free_speeds_by_age_m_s(
    age_years: ArrayLike,
    rng: np.random.Generator | int | None = None,
    *,
    relative_sd: float = WEIDMANN_FREE_SPEED_SD_M_S / WEIDMANN_FREE_SPEED_M_S,
) -> NDArray[np.float64]:
    """Draw free walking speeds for people of given ages.

    Normal around :func:`mean_free_speed_by_age_m_s` with a standard deviation proportional to the
    mean; the default ratio is Weidmann's overall 0.26 / 1.34 (a modelling choice: RiMEA gives the
    age curve, not a spread per age).

    Parameters
    ----------
    age_years : (n,) float
        Ages, years, in 10-80.
    rng : numpy Generator, int or None
        Random generator or seed.
    relative_sd : float
        Standard deviation as a fraction of the mean, >= 0.

    Returns
    -------
    (n,) float
        Speeds, m/s, clipped to 0.3-2.5 m/s.
    """
    require_non_negative("relative_sd", relative_sd, "")
    mean = mean_free_speed_by_age_m_s(age_years)
    gen = np.random.default_rng(rng)
    return np.clip(gen.normal(mean, relative_sd * mean), *_SAMPLE_SPEED_BOUNDS_M_S)


def sfpe_speed_m_s(
    density_1_m2: ArrayLike, k_m_s: float = SFPE_K_CORRIDOR_M_S
) -> NDArray[np.float64]:
    """Return the SFPE hydraulic-model speed along the route at a density.

    ``S = min(0.85 k, k - a k D)`` for ``D < 3.8`` persons/m^2 (the cap applies below about 0.54)
    and 0 from 3.8 on (Gwynne & Rosenbaum 2016). On stairs the speed is along the line of travel
    (the slope).

    Parameters
    ----------
    density_1_m2 : float or (n,) float
        Density, persons/m^2, >= 0.
    k_m_s : float
        Speed factor, m/s: :data:`SFPE_K_CORRIDOR_M_S` or a value of :data:`SFPE_K_STAIRS_M_S`.

    Returns
    -------
    (n,) float or float array
        Speed, m/s.
    """
    require_positive("k_m_s", k_m_s, "m/s")
    d = np.asarray(density_1_m2, dtype=np.float64)
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise InvalidInputError("density_1_m2: must hold finite numbers >= 0 persons/m^2")
    speed = np.minimum(_SFPE_FREE_FRACTION * k_m_s, k_m_s - _SFPE_A_M2 * k_m_s * d)
    return np.asarray(np.where(d >= _SFPE_JAM_DENSITY_1_M2, 0.0, speed), dtype=np.float64)


def stair_speed_m_s(
    riser_m: float, tread_m: float, density_1_m2: ArrayLike = 0.0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the SFPE speed on a stair along its slope and its horizontal component.

    ``k`` is interpolated linearly in the stair slope ``riser / tread`` between the four stair
    geometries of :data:`SFPE_K_STAIRS_M_S` (and held at the end values outside them). The SFPE
    model gives one speed for both directions; measured descent is usually somewhat faster than
    ascent at low density (:func:`weidmann_stair_speed_m_s` gives both).

    Parameters
    ----------
    riser_m, tread_m : float
        Riser height and tread depth, m (the table spans 0.165-0.19 m risers, 0.254-0.33 m treads).
    density_1_m2 : float or (n,) float
        Density on the stair, persons/m^2.

    Returns
    -------
    along_slope_m_s : float array
        Speed along the line of travel, m/s.
    horizontal_m_s : float array
        Its horizontal component ``S cos(atan(riser / tread))``, m/s, the speed to use in a plan.
    """
    require_in_range("riser_m", riser_m, "m", low=0.0, high=0.3, low_inclusive=False)
    require_in_range("tread_m", tread_m, "m", low=0.1, high=0.6)
    slopes = np.array([r / t for r, t in SFPE_K_STAIRS_M_S])
    ks = np.array(list(SFPE_K_STAIRS_M_S.values()))
    order = np.argsort(slopes)
    k = float(np.interp(riser_m / tread_m, slopes[order], ks[order]))
    along = sfpe_speed_m_s(density_1_m2, k)
    horizontal = along * math.cos(math.atan2(riser_m, tread_m))
    return along, np.asarray(horizontal, dtype=np.float64)


def weidmann_stair_speed_m_s(
    riser_m: float,
    tread_m: float,
    *,
    going_up: ArrayLike,
    free_speed_m_s: ArrayLike = WEIDMANN_FREE_SPEED_M_S,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return a person's free speed on a stair, by direction, along its slope and horizontally.

    Weidmann (1993) gives mean horizontal speeds on stairs of 0.610 m/s upwards and 0.694 m/s
    downwards (:data:`WEIDMANN_STAIR_UP_SPEED_M_S`, :data:`WEIDMANN_STAIR_DOWN_SPEED_M_S`) for
    a population whose mean free speed on the flat is 1.34 m/s. A person keeps their own place
    in that population: their horizontal stair speed is the mean one times
    ``free_speed_m_s / 1.34``. The horizontal speed is taken as published whatever the pitch
    (the means pool ordinary building stairs, about 27-35 degrees); the speed along the slope is
    ``horizontal / cos(atan(riser / tread))``. Low density only: the slowing in a crowd is left
    to the movement model.

    Parameters
    ----------
    riser_m, tread_m : float
        Riser height and tread depth, m (riser in (0, 0.3], tread in [0.1, 0.6]).
    going_up : bool or (n,) bool
        Direction of each person: True upwards, False downwards.
    free_speed_m_s : float or (n,) float
        Free walking speed on the flat, m/s, > 0 (default Weidmann's mean 1.34 m/s).

    Returns
    -------
    along_slope_m_s : float array
        Speed along the line of travel, m/s.
    horizontal_m_s : float array
        Its horizontal component, m/s.

    Raises
    ------
    InvalidInputError
        If the riser or tread is out of range or a free speed is not a finite number > 0.

    References
    ----------
    .. [1] Weidmann, U. (1993). Transporttechnik der Fussgänger. Schriftenreihe des IVT Nr. 90,
       ETH Zürich, 2nd ed.: mean speeds on stairs (horizontal component), upwards 0.610 m/s,
       downwards 0.694 m/s.

    Examples
    --------
    >>> along, horizontal = weidmann_stair_speed_m_s(0.17, 0.29, going_up=[True, False])
    >>> horizontal.round(3).tolist()
    [0.61, 0.694]
    """
    require_in_range("riser_m", riser_m, "m", low=0.0, high=0.3, low_inclusive=False)
    require_in_range("tread_m", tread_m, "m", low=0.1, high=0.6)
    free = np.asarray(free_speed_m_s, dtype=np.float64)
    if not np.all(np.isfinite(free)) or np.any(free <= 0):
        raise InvalidInputError("free_speed_m_s: must hold finite numbers > 0 m/s")
    up = np.asarray(going_up, dtype=bool)
    mean = np.where(up, WEIDMANN_STAIR_UP_SPEED_M_S, WEIDMANN_STAIR_DOWN_SPEED_M_S)
    horizontal = mean * free / WEIDMANN_FREE_SPEED_M_S
    along = horizontal / math.cos(math.atan2(riser_m, tread_m))
    return np.asarray(along, dtype=np.float64), np.asarray(horizontal, dtype=np.float64)


def sample_radii_m(
    n: int,
    rng: np.random.Generator | int | None = None,
    *,
    low_m: float = HFV_RADIUS_RANGE_M[0],
    high_m: float = HFV_RADIUS_RANGE_M[1],
) -> NDArray[np.float64]:
    """Draw body radii uniformly in a range (Helbing, Farkas & Vicsek 2000: 0.25-0.35 m).

    Parameters
    ----------
    n : int
        Number of radii.
    rng : numpy Generator, int or None
        Random generator or seed.
    low_m, high_m : float
        Range, m, ``0 < low_m <= high_m``.

    Returns
    -------
    (n,) float
        Radii, m.
    """
    if n < 0:
        raise InvalidInputError(f"n = {n!r}: must be >= 0")
    require_positive("low_m", low_m, "m")
    require_in_range("high_m", high_m, "m", low=low_m, high=math.inf)
    return np.random.default_rng(rng).uniform(low_m, high_m, n)
