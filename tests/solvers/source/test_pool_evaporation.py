"""Tests of the heat and mass fluxes of the pool model (solvers/source/pool_evaporation)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import beta

from solvers.errors import InvalidInputError
from solvers.source.pool_evaporation import (
    GROUND_THERMAL_PROPERTIES,
    GroundThermal,
    air_heat_transfer_coefficient_w_m2_k,
    evaporation_mass_flux_kg_m2_s,
    ground_heat_flux_w_m2,
    inverse_sqrt_exponential_sum,
    longwave_net_flux_w_m2,
    mackay_matsugu_mass_transfer_coefficient_m_s,
)

CONCRETE = GROUND_THERMAL_PROPERTIES["concrete"]


@pytest.mark.verification
def test_ground_flux_matches_a_finite_difference_solution_of_the_heat_equation() -> None:
    """Closed form k dT / sqrt(pi alpha t) against an explicit finite-difference solution.

    Case: concrete (k 1.1 W/(m K), alpha 5e-7 m^2/s) at 288 K whose surface is held at 112 K
    from t = 0; surface flux at 200 s from a 0.1 m deep grid of 1 mm cells (second-order
    one-sided gradient). Tolerance 1 %: the discretisation error of the grid, which halves
    with the cell size.
    """
    k, alpha = CONCRETE.conductivity_w_m_k, CONCRETE.diffusivity_m2_s
    dx = 1e-3
    n = 100
    dt = 0.4 * dx * dx / alpha
    temps = np.full(n, 288.0)
    temps[0] = 112.0
    steps = round(200.0 / dt)
    for _ in range(steps):
        temps[1:-1] += alpha * dt / dx**2 * (temps[2:] - 2 * temps[1:-1] + temps[:-2])
    gradient = (-3 * temps[0] + 4 * temps[1] - temps[2]) / (2 * dx)
    numeric = k * gradient
    exact = float(ground_heat_flux_w_m2(CONCRETE, 288.0 - 112.0, steps * dt))
    assert numeric == pytest.approx(exact, rel=0.01)


def test_ground_flux_falls_as_inverse_square_root_of_time() -> None:
    flux = ground_heat_flux_w_m2(CONCRETE, 100.0, np.array([1.0, 4.0, 100.0]))
    np.testing.assert_allclose(flux[0] / flux, [1.0, 2.0, 10.0], rtol=1e-12)


def test_ground_flux_rejects_a_time_that_is_not_positive() -> None:
    with pytest.raises(InvalidInputError, match="time_since_wetting_s"):
        ground_heat_flux_w_m2(CONCRETE, 100.0, np.array([1.0, 0.0]))


def test_ground_properties_reject_a_non_positive_conductivity() -> None:
    with pytest.raises(InvalidInputError, match="conductivity_w_m_k"):
        GroundThermal(conductivity_w_m_k=0.0, diffusivity_m2_s=1e-7, source="test")


@pytest.mark.verification
def test_exponential_sum_reproduces_inverse_square_root() -> None:
    """sum(w exp(-u t)) against t^-1/2 from 1 ms to the horizon (3600 s).

    Tolerance 2e-5 relative: the lower cut-off of the rates leaves 2 sqrt(u_min t / pi)
    (1.1e-5 at the horizon); the trapezoidal discretisation error is below 1e-6.
    """
    rates, weights = inverse_sqrt_exponential_sum(3600.0)
    t = np.geomspace(1e-3, 3600.0, 400)
    approx = np.exp(-np.outer(t, rates)) @ weights
    np.testing.assert_allclose(approx * np.sqrt(t), 1.0, rtol=2e-5)


@pytest.mark.verification
def test_exponential_sum_convolution_reproduces_a_power_law_area_history() -> None:
    """Duhamel integral of a growing forcing F(s) = s^n, against the Beta-function closed form.

    integral_0^t (t - s)^-1/2 dF(s) = n B(n, 1/2) t^(n - 1/2): the ground heat under a pool whose
    area grows as t^n. The modes z_k follow dz/dt = -u_k z + dF/dt, integrated exactly over
    each step for F linear within the step (steps of 1e-3 t). Case n = 1 and n = 1.5 at
    t = 50 s; tolerance 1e-3, the start-up truncation of the sum (about 2/sqrt(pi u_max t)).
    """
    rates, weights = inverse_sqrt_exponential_sum(100.0)
    t_end = 50.0
    times = np.linspace(0.0, t_end, 50_001)
    dt = times[1] - times[0]
    decay = np.exp(-rates * dt)
    gain = np.where(rates * dt > 1e-12, (1 - decay) / (rates * dt), 1.0)
    for n in (1.0, 1.5):
        slope = np.diff(times**n) / dt
        z = np.zeros_like(rates)
        for s in slope:
            z = z * decay + s * dt * gain
        exact = n * beta(n, 0.5) * t_end ** (n - 0.5)
        assert float(weights @ z) == pytest.approx(exact, rel=1e-3)


def test_mackay_matsugu_si_form_equals_the_published_hourly_form() -> None:
    """The SI coefficient is the published 0.0292 (m/h, wind in m/h) converted exactly."""
    u, d, sc = 4.0, 12.0, 1.9
    k_si = float(mackay_matsugu_mass_transfer_coefficient_m_s(u, d, sc))
    k_hourly_m_h = 0.0292 * (u * 3600.0) ** 0.78 * d**-0.11 * sc**-0.67
    assert k_si * 3600.0 == pytest.approx(k_hourly_m_h, rel=1e-12)


@given(
    u=st.floats(0.5, 20.0),
    d=st.floats(0.5, 200.0),
    factor=st.floats(1.1, 10.0),
)
@pytest.mark.property
def test_mackay_matsugu_rises_with_wind_and_falls_with_pool_size(
    u: float, d: float, factor: float
) -> None:
    k = mackay_matsugu_mass_transfer_coefficient_m_s
    assert k(u * factor, d, 1.5) > k(u, d, 1.5)
    assert k(u, d * factor, 1.5) < k(u, d, 1.5)


@pytest.mark.parametrize("name", ["wind_speed_10m_m_s", "pool_diameter_m", "schmidt_number"])
def test_mackay_matsugu_rejects_non_positive_inputs(name: str) -> None:
    args = {"wind_speed_10m_m_s": 3.0, "pool_diameter_m": 5.0, "schmidt_number": 1.2}
    args[name] = 0.0
    with pytest.raises(InvalidInputError, match=name):
        mackay_matsugu_mass_transfer_coefficient_m_s(**args)


@pytest.mark.verification
def test_evaporation_flux_tends_to_k_times_saturation_concentration_at_low_vapour_pressure() -> (
    None
):
    """Analytic limit: the correction -(P_a/P_v) ln(1 - P_v/P_a) tends to 1 as P_v -> 0.

    At P_v = 1 Pa the correction is 1 + 0.5e-5 to first order; tolerance 1e-5.
    """
    k, pv, temp, molar = 0.004, 1.0, 280.0, 0.1
    flux = float(
        evaporation_mass_flux_kg_m2_s(
            k, pv, ambient_pressure_pa=101_325.0, temperature_k=temp, molar_mass_kg_mol=molar
        )
    )
    assert flux == pytest.approx(k * pv * molar / (8.314462618 * temp), rel=1e-5)


def test_evaporation_flux_correction_is_capped_near_the_boiling_point() -> None:
    """At and above P_v / P_a = 0.98 the correction stays at -ln(0.02)/0.98 = 3.99."""
    pa = 101_325.0
    fluxes = evaporation_mass_flux_kg_m2_s(
        0.004,
        np.array([0.98, 1.0, 1.5]) * pa,
        ambient_pressure_pa=pa,
        temperature_k=240.0,
        molar_mass_kg_mol=0.017,
    )
    np.testing.assert_allclose(fluxes, fluxes[0], rtol=1e-12)
    plain = 0.004 * 0.98 * pa * 0.017 / (8.314462618 * 240.0)
    assert fluxes[0] / plain == pytest.approx(-math.log(0.02) / 0.98, rel=1e-12)


def test_evaporation_flux_rejects_negative_vapour_pressure() -> None:
    with pytest.raises(InvalidInputError, match="vapour_pressure_pa"):
        evaporation_mass_flux_kg_m2_s(
            0.004,
            -1.0,
            ambient_pressure_pa=101_325.0,
            temperature_k=280.0,
            molar_mass_kg_mol=0.1,
        )


def test_air_heat_transfer_follows_the_turbulent_plate_scaling() -> None:
    """h = 0.037 Re^0.8 Pr^1/3 k / D, so h ~ u^0.8 D^-0.2."""
    h = air_heat_transfer_coefficient_w_m2_k(np.array([2.0, 4.0]), np.array([10.0, 10.0]))
    assert h[1] / h[0] == pytest.approx(2.0**0.8, rel=1e-12)
    h_d = air_heat_transfer_coefficient_w_m2_k(3.0, np.array([10.0, 20.0]))
    assert h_d[1] / h_d[0] == pytest.approx(2.0**-0.2, rel=1e-12)


def test_longwave_exchange_vanishes_at_equal_temperature_and_heats_a_cold_pool() -> None:
    q = longwave_net_flux_w_m2(288.0, np.array([288.0, 112.0]))
    assert q[0] == 0.0
    assert q[1] > 0.0
