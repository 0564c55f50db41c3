"""Tests of solvers.source.orifice_liquid: Bernoulli hole flow and tank drain."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.errors import InvalidInputError
from solvers.source._common import GRAVITY_M_S2, Tank, TankShape
from solvers.source.orifice_liquid import (
    LiquidTankLeak,
    liquid_orifice_rate_kg_s,
    release,
    tank_drain,
    vertical_tank_drain_time_s,
    vertical_tank_head_m,
)

LBM_KG = 0.45359237
FT_M = 0.3048
IN_M = 0.0254
PSI_PA = 6894.757293168
US_GALLON_M3 = 3.785411784e-3
BENZENE_DENSITY_KG_M3 = 54.9 * LBM_KG / FT_M**3  # Crowl and Louvar use 0.8794 x 62.4 lbm/ft^3


@pytest.mark.verification
def test_crowl_louvar_example_4_1_benzene_pipeline_leak() -> None:
    """Crowl and Louvar (2011) Example 4-1: 1/4-in hole, benzene at 100 psig, leak for 90 min.

    Published: Qm = 1.48 lbm/s and 1090 gal spilled (Cd 0.61). Tolerance 1 %: the answers are
    given to three significant figures.
    """
    area = math.pi / 4.0 * (0.25 * IN_M) ** 2
    rate = float(liquid_orifice_rate_kg_s(area, BENZENE_DENSITY_KG_M3, 100.0 * PSI_PA))
    assert rate / LBM_KG == pytest.approx(1.48, rel=0.01)
    spilled_gal = rate * 90 * 60 / BENZENE_DENSITY_KG_M3 / US_GALLON_M3
    assert spilled_gal == pytest.approx(1090.0, rel=0.01)


@pytest.mark.verification
@pytest.mark.parametrize("gauge_pressure_pa", [0.0, 101_325.0])
def test_vertical_tank_drain_matches_the_closed_form(gauge_pressure_pa: float) -> None:
    """Analytic: the numerical drain of a vertical cylinder equals Crowl and Louvar's closed form.

    h(t) = h0 - k sqrt(2 Pg/rho + 2 g h0) t + g k^2 t^2 / 2 and the drain time t_e; the
    quadrature is exact to ~1e-8, so the tolerance is 1e-6 (time) and 1e-5 m (level).
    """
    tank = Tank(shape="vertical_cylinder", diameter_m=8 * FT_M, length_m=20 * FT_M)
    kwargs = {
        "tank_diameter_m": tank.diameter_m,
        "hole_diameter_m": IN_M,
        "liquid_head_m": 12 * FT_M,
        "density_kg_m3": BENZENE_DENSITY_KG_M3,
        "gauge_pressure_pa": gauge_pressure_pa,
    }
    drain = tank_drain(
        tank,
        liquid_level_m=17 * FT_M,
        hole_height_m=5 * FT_M,
        hole_diameter_m=IN_M,
        density_kg_m3=BENZENE_DENSITY_KG_M3,
        gauge_pressure_pa=gauge_pressure_pa,
        max_duration_s=1e6,
    )
    assert drain.is_drained
    assert drain.t_s[-1] == pytest.approx(vertical_tank_drain_time_s(**kwargs), rel=1e-6)
    np.testing.assert_allclose(drain.head_m, vertical_tank_head_m(drain.t_s, **kwargs), atol=1e-5)


@pytest.mark.verification
def test_sphere_drains_in_the_torricelli_time() -> None:
    """Analytic: a sphere open to air draining through a bottom hole.

    t = (pi / k) [(2/3) D h0^(3/2) - (2/5) h0^(5/2)], k = Cd A sqrt(2 g), from integrating
    pi h (D - h) dh / (k sqrt(h)). Tolerance 1e-6 (quadrature error ~1e-8).
    """
    d, h0, hole, cd = 4.0, 3.0, 0.05, 0.61
    drain = tank_drain(
        Tank(shape="sphere", diameter_m=d),
        liquid_level_m=h0,
        hole_height_m=0.0,
        hole_diameter_m=hole,
        density_kg_m3=700.0,
        discharge_coefficient=cd,
        max_duration_s=1e6,
    )
    k = cd * math.pi * hole**2 / 4 * math.sqrt(2 * GRAVITY_M_S2)
    expected = math.pi / k * (2 / 3 * d * h0**1.5 - 2 / 5 * h0**2.5)
    assert drain.t_s[-1] == pytest.approx(expected, rel=1e-6)


@pytest.mark.verification
@pytest.mark.parametrize("shape", ["vertical_cylinder", "horizontal_cylinder", "sphere"])
def test_integral_of_rate_is_the_mass_drained(shape: TankShape) -> None:
    """Mass conservation: the trapezoid integral of the sampled rate equals rho dV.

    Tolerance 1e-3: the only error is the trapezoid rule on 101 arc-length-spaced rows.
    """
    tank = Tank(shape=shape, diameter_m=3.0, length_m=10.0)
    drain = tank_drain(
        tank,
        liquid_level_m=2.5,
        hole_height_m=0.5,
        hole_diameter_m=0.05,
        density_kg_m3=800.0,
        gauge_pressure_pa=2e4,
        max_duration_s=1e6,
    )
    expected = 800.0 * float(tank.liquid_volume_m3(2.5) - tank.liquid_volume_m3(0.5))
    assert drain.drained_mass_kg == pytest.approx(expected, rel=1e-9)
    assert float(np.trapezoid(drain.rate_kg_s, drain.t_s)) == pytest.approx(expected, rel=1e-3)


@pytest.mark.property
@given(
    dp_pa=st.floats(0.0, 5e6),
    extra_pa=st.floats(1.0, 1e6),
    head_m=st.floats(0.0, 30.0),
)
def test_rate_grows_with_driving_pressure_and_head(
    dp_pa: float, extra_pa: float, head_m: float
) -> None:
    """More pressure or more head never gives less flow."""
    base = float(liquid_orifice_rate_kg_s(1e-3, 900.0, dp_pa, liquid_head_m=head_m))
    assert (
        float(liquid_orifice_rate_kg_s(1e-3, 900.0, dp_pa + extra_pa, liquid_head_m=head_m)) > base
    )
    assert float(liquid_orifice_rate_kg_s(1e-3, 900.0, dp_pa, liquid_head_m=head_m + 1.0)) > base


def _lng_leak(**changes: object) -> LiquidTankLeak:
    base: dict[str, object] = {
        "substance": "lng",
        "tank": Tank(shape="vertical_cylinder", diameter_m=20.0, length_m=15.0),
        "liquid_level_m": 12.0,
        "temperature_k": 111.0,
        "hole_diameter_m": 0.1,
        "hole_height_m": 1.0,
        "max_duration_s": 600.0,
    }
    base.update(changes)
    return LiquidTankLeak(**base)  # type: ignore[arg-type]


def test_refrigerated_leak_rains_out_entirely_and_stops_at_the_maximum_duration() -> None:
    source = release(_lng_leak())
    assert source.model == "orifice_liquid"
    assert source.phase == "liquid"
    assert source.duration_s == pytest.approx(600.0)
    assert np.all(source.airborne_rate_kg_s == 0.0)
    np.testing.assert_array_equal(source.rainout_rate_kg_s, source.discharge_rate_kg_s)
    assert np.all(np.diff(source.discharge_rate_kg_s) < 0)
    assert source.release_height_m == pytest.approx(1.0)
    assert np.all(source.temperature_k == 111.0)
    assert 50 <= source.t_s.size <= 200


def test_small_tank_drains_to_the_hole_and_the_rate_ends_at_zero() -> None:
    tank = Tank(shape="vertical_cylinder", diameter_m=2.0, length_m=3.0)
    source = release(_lng_leak(tank=tank, liquid_level_m=2.0, hole_height_m=0.2))
    assert source.duration_s < 600.0
    assert source.discharge_rate_kg_s[-1] == pytest.approx(0.0, abs=1e-9)
    rho = (source.discharged_mass_kg()) / (math.pi * 1.8)
    assert 400.0 < rho < 470.0  # LNG density, kg/m^3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hole_diameter_m": 30.0}, "must be <= the tank's inner diameter 20 m"),
        ({"hole_height_m": 13.0}, "must be below the liquid level"),
        ({"liquid_level_m": 16.0}, "must be <= the tank's inner height"),
        ({"vessel_pressure_pa": 90_000.0}, "must be >= the ambient pressure"),
        ({"substance": "ammonia", "temperature_k": 293.15}, "flashing_two_phase"),
        ({"substance": "unobtainium"}, "unobtainium"),
        ({"discharge_coefficient": 1.5}, "discharge_coefficient"),
        ({"hole_diameter_m": -0.1}, "hole_diameter_m"),
        ({"max_duration_s": 0.0}, "max_duration_s"),
        ({"temperature_k": 50.0}, "temperature_k = 50.0 K: outside the range for lng"),
    ],
)
def test_bad_inputs_are_rejected_with_a_clear_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        release(_lng_leak(**changes))


def test_bad_tank_and_sample_count_are_rejected() -> None:
    with pytest.raises(InvalidInputError, match=r"tank\.shape"):
        Tank(shape="cone", diameter_m=1.0, length_m=1.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="n_samples"):
        release(_lng_leak(), n_samples=2)
    with pytest.raises(InvalidInputError, match="density_kg_m3"):
        liquid_orifice_rate_kg_s(1e-3, -1.0, 1e5)
