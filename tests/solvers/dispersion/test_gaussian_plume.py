"""Steady Gaussian plume: closed forms, mass balance, reflections, measured data, inputs."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.validation.dispersion_cases import (
    load_prairie_grass,
    plume_mass_balance,
    prairie_grass_predictions_kg_m3,
    turner_workbook_example,
)
from scenarios.validation.statistics import GOOD_MODEL_RANGES, performance_measures
from solvers.atmosphere import Weather
from solvers.dispersion import gaussian_plume as plume_module
from solvers.dispersion.gaussian_plume import (
    WELL_MIXED_SIGMA_RATIO,
    PlumeSource,
    briggs_final_rise_m,
    gaussian_plume,
    vertical_factor_per_m,
)
from solvers.errors import InvalidInputError

CLASSES = ("A", "B", "C", "D", "E", "F")


def _weather(**kwargs: object) -> Weather:
    base: dict[str, object] = {
        "wind_speed_m_s": 5.0,
        "wind_from_deg": 270.0,
        "stability_class": "D",
    }
    base.update(kwargs)
    return Weather(**base)  # type: ignore[arg-type]


def _on_axis(x_m: float, z_m: float = 0.0) -> np.ndarray:
    return np.array([[x_m, 0.0, z_m]])


def test_docstring_examples() -> None:
    assert doctest.testmod(plume_module).failed == 0


@pytest.mark.verification
@pytest.mark.parametrize("cls", CLASSES)
def test_ground_release_centreline_closed_form(cls: str) -> None:
    """Ground source, ground receptor: C = Q / (pi u sigma_y sigma_z) (Turner 1970, ch. 3).

    Exact identity of the reflected Gaussian; rel 1e-12 for rounding only.
    """
    weather = _weather(stability_class=cls, mixing_height_m=5000.0)
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=1.5), weather)
    for x in (80.0, 700.0, 2000.0):
        sy, sz = plume.sigmas_m(x)
        expected = 1.5 / (math.pi * plume.wind_speed_m_s * float(sy) * float(sz))
        assert float(plume.concentration_kg_m3(_on_axis(x))[0]) == pytest.approx(
            expected, rel=1e-12
        )


@pytest.mark.verification
def test_elevated_release_ground_centreline_closed_form() -> None:
    """Source at H, ground receptor: C = Q / (pi u sy sz) exp(-H^2 / 2 sz^2) (Turner 1970)."""
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=2.0, release_height_m=40.0), _weather(stability_class="C")
    )
    x = 600.0
    sy, sz = (float(s) for s in plume.sigmas_m(x))
    expected = 2.0 / (math.pi * plume.wind_speed_m_s * sy * sz) * math.exp(-(40.0**2) / (2 * sz**2))
    assert float(plume.concentration_kg_m3(_on_axis(x))[0]) == pytest.approx(expected, rel=1e-12)


@pytest.mark.verification
def test_crosswind_flux_equals_release_rate() -> None:
    """Mass balance: integral of u C over the crosswind plane = Q, ground and lid reflecting.

    Runs the validation case (20 m source, 300 m lid; 100 m, 1 km, 20 km). Tolerance 0.1 % for
    the trapezoid quadrature.
    """
    for check in plume_mass_balance():
        assert check.passed, (check.quantity, check.got)


@pytest.mark.verification
def test_crosswind_flux_without_lid() -> None:
    """Mass balance with the ground alone reflecting (no lid): 0.1 % quadrature tolerance."""
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=3.0, release_height_m=10.0), _weather())
    x = 2000.0
    sy, sz = (float(s) for s in plume.sigmas_m(x))
    y = np.linspace(-8 * sy, 8 * sy, 401)
    z = np.linspace(0.0, 10.0 + 9 * sz, 801)
    yy, zz = np.meshgrid(y, z)
    pts = np.column_stack([np.full(yy.size, x), yy.ravel(), zz.ravel()])
    plume_no_lid = gaussian_plume(
        PlumeSource(mass_rate_kg_s=3.0, release_height_m=10.0), _weather(mixing_height_m=5000.0)
    )
    c = plume_no_lid.concentration_kg_m3(pts).reshape(yy.shape)
    flux = plume_no_lid.wind_speed_m_s * np.trapezoid(np.trapezoid(c, y, axis=1), z)
    assert flux == pytest.approx(3.0, rel=1e-3)


@pytest.mark.verification
def test_ground_reflection_symmetry() -> None:
    """Image-source symmetry: F_z(z; H) = F_z(H; z), dF_z/dz = 0 at the ground, C(y) = C(-y)."""
    sz = np.array([3.0, 30.0, 300.0])
    a = vertical_factor_per_m(7.0, 25.0, sz)
    b = vertical_factor_per_m(25.0, 7.0, sz)
    np.testing.assert_allclose(a, b, rtol=1e-14)
    # zero slope at the ground: the change over eps is second order, O((eps / sigma_z)^2)
    eps = 1e-3
    at_ground = vertical_factor_per_m(0.0, 12.0, sz)
    change = np.abs(vertical_factor_per_m(eps, 12.0, sz) - at_ground) / at_ground
    assert np.all(change < 100.0 * (eps / sz) ** 2)
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=1.0, release_height_m=5.0), _weather())
    c = plume.concentration_kg_m3(np.array([[500.0, 35.0, 2.0], [500.0, -35.0, 2.0]]))
    assert c[0] == pytest.approx(c[1], rel=1e-14)


@pytest.mark.verification
def test_lid_reflections_reach_the_well_mixed_limit_smoothly() -> None:
    """At sigma_z = 1.6 h the image sum equals the well-mixed 1 / h (Turner 1970, ch. 5).

    The Fourier form of the image series differs from 1/h by at most 2 exp(-pi^2 1.6^2 / 2) =
    6e-6 there, so 1e-5 relative.
    """
    lid = 400.0
    z = np.linspace(0.0, lid, 41)
    just_below = vertical_factor_per_m(z, 150.0, WELL_MIXED_SIGMA_RATIO * lid * (1 - 1e-9), lid)
    np.testing.assert_allclose(just_below, 1.0 / lid, rtol=1e-5)
    assert np.all(vertical_factor_per_m(z + lid + 1.0, 150.0, 50.0, lid) == 0.0)


@pytest.mark.verification
def test_far_field_is_well_mixed_under_the_lid() -> None:
    """Far downwind: C = Q / (sqrt(2 pi) u sigma_y h) at every height (Turner 1970, ch. 5)."""
    lid = 100.0
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=1.0, release_height_m=50.0), _weather(mixing_height_m=lid)
    )
    x = 30_000.0
    sy, sz = (float(s) for s in plume.sigmas_m(x))
    assert sz > WELL_MIXED_SIGMA_RATIO * lid
    expected = 1.0 / (math.sqrt(2 * math.pi) * plume.wind_speed_m_s * sy * lid)
    got = plume.concentration_kg_m3(np.array([[x, 0.0, 0.0], [x, 0.0, 70.0]]))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.verification
def test_turner_workbook_example() -> None:
    """Turner (1970) example problem 1: 1.1e-5 g/m3 at 3 km (10 %: graph-read spreads)."""
    assert all(check.passed for check in turner_workbook_example())


@pytest.mark.verification
def test_prairie_grass_arc_maxima_meet_good_model_ranges() -> None:
    """Measured data: 25 Prairie Grass arc maxima (runs 7, 11, 22, 29, 35; Barad 1958).

    Scored with the Chang and Hanna (2004) measures against their good-model ranges (abs(FB) <=
    0.3, 0.7 <= MG <= 1.3, NMSE <= 1.5, VG <= 4, FAC2 >= 0.5).
    """
    arcs = load_prairie_grass()
    assert len(arcs) == 25
    assert len({a.run for a in arcs}) == 5
    observed = np.array([a.arc_max_concentration_kg_m3 for a in arcs])
    measures = performance_measures(observed, prairie_grass_predictions_kg_m3(arcs))
    assert measures.is_good_model, measures
    assert set(GOOD_MODEL_RANGES) == set(measures.as_dict())


@pytest.mark.property
@given(
    cls=st.sampled_from(CLASSES),
    urban=st.booleans(),
    scheme=st.sampled_from(["briggs", "pasquill_gifford_turner"]),
    x_m=st.floats(50.0, 20_000.0),
    dx_m=st.floats(1.0, 20_000.0),
)
def test_ground_release_centreline_falls_with_distance(
    cls: str, urban: bool, scheme: str, x_m: float, dx_m: float
) -> None:
    if scheme == "pasquill_gifford_turner":
        urban = False
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=1.0),
        _weather(stability_class=cls, is_urban=urban),
        sigma_scheme=scheme,  # type: ignore[arg-type]
    )
    c = plume.concentration_kg_m3(np.array([[x_m, 0.0, 0.0], [x_m + dx_m, 0.0, 0.0]]))
    assert c[1] < c[0]


@pytest.mark.property
@given(wind_from=st.floats(0.0, 359.9), distance=st.floats(10.0, 5000.0))
def test_plume_lies_downwind(wind_from: float, distance: float) -> None:
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=1.0, x_m=100.0, y_m=-50.0), _weather(wind_from_deg=wind_from)
    )
    ex, ey = plume.downwind_unit
    down = [100.0 + distance * ex, -50.0 + distance * ey, 1.0]
    up = [100.0 - distance * ex, -50.0 - distance * ey, 1.0]
    c = plume.concentration_kg_m3(np.array([down, up]))
    assert c[0] > 0.0
    assert c[1] == 0.0


def test_longer_averaging_time_lowers_the_centreline() -> None:
    source = PlumeSource(mass_rate_kg_s=1.0)
    short = gaussian_plume(source, _weather())
    hour = gaussian_plume(source, _weather(), averaging_time_s=3600.0)
    ratio = hour.concentration_kg_m3(_on_axis(900.0)) / short.concentration_kg_m3(_on_axis(900.0))
    assert float(ratio[0]) == pytest.approx(6.0**-0.2, rel=1e-12)


def test_initial_spread_adds_in_quadrature() -> None:
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=1.0, initial_sigma_y_m=3.0, initial_sigma_z_m=4.0), _weather()
    )
    bare = gaussian_plume(PlumeSource(mass_rate_kg_s=1.0), _weather())
    sy, sz = plume.sigmas_m(300.0)
    sy0, sz0 = bare.sigmas_m(300.0)
    assert float(sy) == pytest.approx(math.hypot(float(sy0), 3.0))
    assert float(sz) == pytest.approx(math.hypot(float(sz0), 4.0))


def test_release_above_the_lid_sees_no_lid() -> None:
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=1.0, release_height_m=300.0), _weather(mixing_height_m=200.0)
    )
    assert float(plume.concentration_kg_m3(_on_axis(5000.0, 300.0))[0]) > 0.0


def test_zero_rate_gives_zero_field() -> None:
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=0.0), _weather())
    assert np.all(plume.concentration_kg_m3(np.array([[100.0, 0.0, 0.0]])) == 0.0)


def test_calm_wind_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="calm"):
        gaussian_plume(PlumeSource(mass_rate_kg_s=1.0), _weather(wind_speed_m_s=0.4))


def test_bad_inputs_are_named() -> None:
    with pytest.raises(InvalidInputError, match="mass_rate_kg_s"):
        PlumeSource(mass_rate_kg_s=-1.0)
    with pytest.raises(InvalidInputError, match="release_height_m"):
        PlumeSource(mass_rate_kg_s=1.0, release_height_m=-2.0)
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=1.0), _weather())
    with pytest.raises(InvalidInputError, match="points_m"):
        plume.concentration_kg_m3(np.zeros((4, 2)))
    with pytest.raises(InvalidInputError, match="points_m"):
        plume.concentration_kg_m3(np.array([[1.0, math.nan, 0.0]]))
    with pytest.raises(InvalidInputError, match="scheme"):
        gaussian_plume(PlumeSource(mass_rate_kg_s=1.0), _weather(), sigma_scheme="x")  # type: ignore[arg-type]


@pytest.mark.verification
def test_briggs_buoyant_rise_formula() -> None:
    """Neutral buoyant rise 21.425 Fb^(3/4) / u for Fb < 55 (ISC3 Vol. II, sec. 1.1.4), exact."""
    fb = 9.80665 * 10.0 * 1.0 * (400.0 - 293.0) / (4 * 400.0)
    got = briggs_final_rise_m(
        stack_diameter_m=1.0,
        exit_velocity_m_s=10.0,
        exit_temperature_k=400.0,
        ambient_temperature_k=293.0,
        wind_speed_m_s=5.0,
        stability_class="D",
    )
    assert got == pytest.approx(21.425 * fb**0.75 / 5.0, rel=1e-12)


def test_plume_rise_regimes() -> None:
    common = {"stack_diameter_m": 0.5, "ambient_temperature_k": 293.0, "wind_speed_m_s": 4.0}
    cold = briggs_final_rise_m(
        exit_velocity_m_s=20.0, exit_temperature_k=250.0, stability_class="D", **common
    )
    assert cold == pytest.approx(3.0 * 0.5 * 20.0 / 4.0)
    hot_neutral = briggs_final_rise_m(
        exit_velocity_m_s=15.0, exit_temperature_k=450.0, stability_class="D", **common
    )
    hot_e, hot_f = (
        briggs_final_rise_m(
            exit_velocity_m_s=15.0, exit_temperature_k=450.0, stability_class=c, **common
        )
        for c in ("E", "F")
    )
    assert hot_neutral > 0.0
    assert hot_e > hot_f > 0.0  # a stronger inversion caps the rise lower
    assert (
        briggs_final_rise_m(
            exit_velocity_m_s=0.0, exit_temperature_k=450.0, stability_class="B", **common
        )
        == 0.0
    )
    with pytest.raises(InvalidInputError, match="stability_class"):
        briggs_final_rise_m(
            exit_velocity_m_s=5.0,
            exit_temperature_k=450.0,
            stability_class="Q",
            **common,  # type: ignore[arg-type]
        )
