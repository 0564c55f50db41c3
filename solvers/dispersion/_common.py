"""Dispersion spreads shared by the Gaussian plume and puff models (private)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solvers.atmosphere import Weather
from solvers.dispersion.briggs_sigma import (
    REFERENCE_AVERAGING_TIME_S,
    SigmaScheme,
    dispersion_sigmas_m,
)


def weather_sigmas_m(
    x_m: ArrayLike,
    weather: Weather,
    scheme: SigmaScheme,
    averaging_time_s: float = REFERENCE_AVERAGING_TIME_S,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (sigma_y, sigma_z) at downwind distances for the weather's class and terrain, m.

    :func:`~solvers.dispersion.briggs_sigma.dispersion_sigmas_m` with the stability class and
    the urban flag taken from ``weather``; it also checks ``scheme`` and ``averaging_time_s``.
    """
    return dispersion_sigmas_m(
        x_m,
        weather.stability_class,
        is_urban=weather.is_urban,
        scheme=scheme,
        averaging_time_s=averaging_time_s,
    )


def add_initial_sigma_m(
    sigma_m: NDArray[np.float64], initial_sigma_m: float
) -> NDArray[np.float64]:
    """Return the spread with an initial spread added in quadrature, ``sqrt(s^2 + s0^2)``, m."""
    return np.sqrt(sigma_m * sigma_m + initial_sigma_m * initial_sigma_m)
