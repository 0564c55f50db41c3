"""Britter-McQuaid dense-gas correlations: published example, chart fits, criteria, inputs."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.dispersion.dense_gas_britter_mcquaid import (
    BritterMcQuaidPlume,
    britter_mcquaid_plume,
    britter_mcquaid_puff,
    continuous_density_criterion,
    instantaneous_density_criterion,
    release_kind,
)
from solvers.errors import InvalidInputError

AIR_298_KG_M3 = 101_325.0 * 0.0289644 / (8.314462618 * 298.0)


def _ccps_burro(**kw: float | bool) -> BritterMcQuaidPlume:
    args: dict[str, float | bool] = {
        "volume_rate_m3_s": 0.23 * 425.6 / 1.76,
        "source_density_kg_m3": 1.76,
        "source_temperature_k": 111.15,
        "wind_speed_10m_m_s": 10.9,
        "air_density_kg_m3": AIR_298_KG_M3,
        "ambient_temperature_k": 298.0,
    }
    args.update(kw)
    return britter_mcquaid_plume(**args)  # type: ignore[arg-type]


def _plume(
    alpha_target: float, *, non_isothermal: bool = False, q: float = 50.0
) -> BritterMcQuaidPlume:
    """A plume with a chosen alpha: solve g0' from alpha = 0.2 log10(g0'^2 q / u^5)."""
    u = 5.0
    g0 = math.sqrt(10 ** (5 * alpha_target) * u**5 / q)
    rho_a = 1.2
    rho0 = rho_a * (1.0 + g0 / 9.80665)
    return britter_mcquaid_plume(
        volume_rate_m3_s=q,
        source_density_kg_m3=rho0,
        source_temperature_k=200.0 if non_isothermal else 293.0,
        wind_speed_10m_m_s=u,
        air_density_kg_m3=rho_a,
        ambient_temperature_k=293.0,
        non_isothermal=non_isothermal,
    )


@pytest.mark.verification
def test_ccps_burro_example_distance_to_lfl() -> None:
    """CCPS (1999) p. 122 Britter-McQuaid example (Burro LNG, 0.23 m3/s liquid, 10.9 m/s):
    D = 2.26 m and the 5 % LFL at 367 m. Tolerance 10 %: the worked answer reads the fitted
    curves and interpolates by hand (about 0.03 in log10(x/D), 7 % in x) with rounded air
    density."""
    plume = _ccps_burro()
    assert plume.length_scale_m == pytest.approx(2.26, abs=0.01)
    assert plume.distance_to_m(0.05) == pytest.approx(367.0, rel=0.10)


@pytest.mark.verification
@pytest.mark.parametrize(
    ("alpha", "ratio", "beta"),
    [
        (-0.8, 0.1, 1.75),  # flat part: alpha <= -0.55
        (-0.3, 0.1, 0.24 * -0.3 + 1.88),
        (0.5, 0.05, -0.56 * 0.5 + 1.96),
        (-0.5, 0.02, 0.45 * -0.5 + 2.39),
        (-0.25, 0.01, 2.45),
        (0.0, 0.005, -0.48 * 0.0 + 2.56),
        (0.9, 0.002, -0.50 * 0.9 + 2.71),
    ],
)
def test_isothermal_chart_passes_through_the_published_fits(
    alpha: float, ratio: float, beta: float
) -> None:
    """CCPS (1999) fits of the continuous nomogram: log10(x/D) = beta(alpha) where Cm/C0 is the
    charted ratio (isothermal release). Exact to round-off."""
    plume = _plume(alpha)
    assert plume.alpha == pytest.approx(alpha, abs=1e-9)
    x = plume.length_scale_m * 10**beta
    assert plume.distance_to_m(ratio) == pytest.approx(x, rel=1e-6)
    assert float(plume.centreline_volume_fraction(x)) == pytest.approx(ratio, rel=1e-6)


@pytest.mark.verification
@pytest.mark.parametrize(
    ("alpha", "ratio", "beta"),
    [
        (-0.9, 0.1, 0.70),
        (0.0, 0.05, 1.00),
        (0.6, 0.02, -0.26 * 0.6 + 1.38),
        (0.5, 0.001, 2.05 - 0.27 * 0.5),
    ],
)
def test_instantaneous_chart_passes_through_the_published_fits(
    alpha: float, ratio: float, beta: float
) -> None:
    """CCPS (1999) fits of the instantaneous nomogram: log10(x/V0^(1/3)) = beta(alpha)."""
    u, v0, rho_a = 4.0, 1000.0, 1.2
    g0 = 10 ** (2 * alpha) * u**2 / v0 ** (1 / 3)
    puff = britter_mcquaid_puff(
        volume_m3=v0,
        source_density_kg_m3=rho_a * (1 + g0 / 9.80665),
        source_temperature_k=293.0,
        wind_speed_10m_m_s=u,
        air_density_kg_m3=rho_a,
        ambient_temperature_k=293.0,
    )
    assert puff.alpha == pytest.approx(alpha, abs=1e-9)
    assert puff.distance_to_m(ratio) == pytest.approx(10.0 * 10**beta, rel=1e-6)


@pytest.mark.verification
def test_non_isothermal_correction_formula() -> None:
    """Workbook/CCPS non-isothermal correction: the chart ratio C* and the actual ratio C obey
    C* = C / (C + (1 - C) Ta/T0). Exact."""
    cold = _plume(-0.3, non_isothermal=True)
    iso = _plume(-0.3, non_isothermal=False)
    k = 293.0 / 200.0
    for x in (50.0, 200.0, 1000.0):
        chart = float(iso.centreline_volume_fraction(x))
        actual = float(cold.centreline_volume_fraction(x))
        assert chart == pytest.approx(actual / (actual + (1 - actual) * k), rel=1e-9)
    assert cold.distance_to_m(0.02) > iso.distance_to_m(0.02)


@given(alpha=st.floats(-1.5, 1.0), x_m=st.floats(1.0, 1e5))
@pytest.mark.property
def test_concentration_and_distance_are_inverse(alpha: float, x_m: float) -> None:
    plume = _plume(alpha, non_isothermal=True)
    c = float(plume.centreline_volume_fraction(x_m))
    assert plume.distance_to_m(c) == pytest.approx(x_m, rel=1e-6)


@given(alpha=st.floats(-1.5, 1.0))
@pytest.mark.property
def test_concentration_falls_with_distance(alpha: float) -> None:
    x = np.geomspace(0.1, 1e5, 400)
    c = _plume(alpha, non_isothermal=True).centreline_volume_fraction(x)
    assert np.all(np.diff(c) <= 0.0)
    assert c[0] <= 1.0


def test_alpha_above_the_fits_is_clamped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    plume = _plume(1.4)
    assert plume.alpha == 1.0
    assert "above the fitted range" in caplog.text


@pytest.mark.verification
def test_density_criteria_analytic() -> None:
    """(g0' q0/(u^3 D))^(1/3) and sqrt(g0' V0^(1/3))/u by hand for round numbers."""
    # q0 = 8, u = 2 -> D = 2; g0' = 2: (2*8/(8*2))^(1/3) = 1
    got = continuous_density_criterion(
        volume_rate_m3_s=8.0, reduced_gravity_m_s2=2.0, wind_speed_10m_m_s=2.0
    )
    assert got == pytest.approx(1.0)
    got = instantaneous_density_criterion(
        volume_m3=1000.0, reduced_gravity_m_s2=0.4, wind_speed_10m_m_s=4.0
    )
    assert got == pytest.approx(0.5)
    assert (
        continuous_density_criterion(
            volume_rate_m3_s=1.0, reduced_gravity_m_s2=-1.0, wind_speed_10m_m_s=2.0
        )
        == 0.0
    )


@pytest.mark.parametrize(
    ("duration_s", "kind"),
    [
        (1000.0, "continuous"),
        (250.0, "continuous"),
        (60.0, "instantaneous"),
        (100.0, "intermediate"),
    ],
)
def test_release_kind_thresholds(duration_s: float, kind: str) -> None:
    """u Td / x >= 2.5 continuous, <= 0.6 instantaneous (u = 1 m/s, x = 100 m)."""
    assert release_kind(wind_speed_10m_m_s=1.0, duration_s=duration_s, distance_m=100.0) == kind


@pytest.mark.verification
def test_puff_radius_law_is_the_integral_of_the_gravity_front() -> None:
    """R^2 = R0^2 + 1.2 sqrt(g0' V0) t is dR/dt = 1.07 sqrt(g' H) with g' H pi R^2 = g0' V0
    (2 * 1.07 / sqrt(pi) = 1.207): the numerical dR/dt matches within 1 %."""
    puff = britter_mcquaid_puff(
        volume_m3=2000.0,
        source_density_kg_m3=2.0,
        source_temperature_k=293.0,
        wind_speed_10m_m_s=3.0,
        air_density_kg_m3=1.2,
        ambient_temperature_k=293.0,
    )
    t, dt = 30.0, 1e-3
    r = float(puff.radius_m(t))
    drdt = float(puff.radius_m(t + dt) - puff.radius_m(t - dt)) / (2 * dt)
    g_h = puff.reduced_gravity_m_s2 * puff.volume_m3 / (math.pi * r**2)
    assert drdt == pytest.approx(1.07 * math.sqrt(g_h), rel=0.01)


def test_plume_extent_formulas() -> None:
    """Workbook plume extent: L_U = D/2 + 2 lb, L_H0 = D + 8 lb; height from continuity."""
    plume = _ccps_burro()
    d, lb = plume.length_scale_m, plume.buoyancy_length_m
    assert plume.upwind_extent_m == pytest.approx(d / 2 + 2 * lb)
    assert float(plume.half_width_m(0.0)) == pytest.approx(d + 8 * lb)
    x = 300.0
    flux = 2 * float(plume.half_width_m(x)) * float(plume.height_m(x)) * 10.9
    chart = float(_ccps_burro(non_isothermal=False).centreline_volume_fraction(x))
    assert flux * chart == pytest.approx(plume.volume_rate_m3_s)


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("volume_rate_m3_s", -1.0, "volume_rate_m3_s"),
        ("wind_speed_10m_m_s", 0.0, "wind_speed_10m_m_s"),
        ("source_density_kg_m3", 1.0, "denser than the air"),
        ("source_temperature_k", float("nan"), "source_temperature_k"),
        ("source_volume_fraction", 0.0, "source_volume_fraction"),
    ],
)
def test_bad_inputs_name_the_field(field: str, value: float, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        _ccps_burro(**{field: value})


def test_distance_to_needs_a_positive_level() -> None:
    with pytest.raises(InvalidInputError, match="volume_fraction"):
        _ccps_burro().distance_to_m(0.0)
    assert _ccps_burro().distance_to_m(1.0) == 0.0


def test_docstring_examples() -> None:
    from solvers.dispersion import dense_gas_britter_mcquaid

    result = doctest.testmod(dense_gas_britter_mcquaid)
    assert result.attempted > 0
    assert result.failed == 0
