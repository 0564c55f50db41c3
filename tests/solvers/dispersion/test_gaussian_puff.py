"""Gaussian puffs and puff trains: mass, closed forms, steady limit, grid evaluation, inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geometry.grid import Grid2D
from scenarios.validation.dispersion_cases import puff_mass_balance, puff_train_steady_limit
from solvers.atmosphere import Weather
from solvers.dispersion import gaussian_puff as puff_module
from solvers.dispersion.gaussian_plume import PlumeSource, gaussian_plume
from solvers.dispersion.gaussian_puff import (
    default_puff_interval_s,
    gaussian_puff_train,
    instantaneous_puff,
)
from solvers.errors import InvalidInputError
from solvers.source.source_term import SourceTerm, constant_source


def _weather(**kwargs: object) -> Weather:
    base: dict[str, object] = {
        "wind_speed_m_s": 4.0,
        "wind_from_deg": 235.0,
        "stability_class": "D",
    }
    base.update(kwargs)
    return Weather(**base)  # type: ignore[arg-type]


def _blowdown(duration_s: float = 1800.0, tau_s: float = 400.0) -> SourceTerm:
    """A decaying release rate 5 exp(-t / tau) kg/s sampled every 10 s."""
    t = np.arange(0.0, duration_s + 1.0, 10.0)
    rate = 5.0 * np.exp(-t / tau_s)
    zeros = np.zeros_like(t)
    return SourceTerm(
        substance="methane",
        model="test-blowdown",
        phase="gas",
        t_s=t,
        discharge_rate_kg_s=rate,
        airborne_rate_kg_s=rate,
        rainout_rate_kg_s=zeros,
        temperature_k=np.full_like(t, 280.0),
        velocity_m_s=zeros,
        aerosol_fraction=zeros,
        release_height_m=3.0,
    )


@pytest.mark.verification
def test_puff_integrates_to_its_mass() -> None:
    """Mass balance: the integral of C over the layer is the puff mass (lid at 200 m).

    Runs the validation case at 60 s, 600 s and 3600 s (well mixed by then); tolerance 0.2 %
    for the trapezoid quadrature.
    """
    for check in puff_mass_balance():
        assert check.passed, (check.quantity, check.got)


@pytest.mark.verification
def test_ground_puff_centre_closed_form() -> None:
    """Ground release, ground receptor at the centre: C = 2 m / ((2 pi)^1.5 sy^2 sz) (no lid).

    Exact identity of the reflected Gaussian puff; rel 1e-12 for rounding.
    """
    puff = instantaneous_puff(8.0, _weather(mixing_height_m=5000.0), x_m=10.0, y_m=20.0)
    t = 300.0
    _, cx, cy, sy, sz = puff.puffs_at(t)
    expected = 2.0 * 8.0 / ((2 * math.pi) ** 1.5 * float(sy[0]) ** 2 * float(sz[0]))
    got = puff.concentration_kg_m3(np.array([[cx[0], cy[0], 0.0]]), t)
    assert float(got[0]) == pytest.approx(expected, rel=1e-12)


def test_puff_drifts_downwind_at_the_wind_speed() -> None:
    weather = _weather(wind_from_deg=0.0)  # from the north: blows to -y
    puff = instantaneous_puff(1.0, weather, release_time_s=100.0)
    _, cx, cy, _, _ = puff.puffs_at(400.0)
    assert float(cx[0]) == pytest.approx(0.0, abs=1e-9)
    assert float(cy[0]) == pytest.approx(-puff.wind_speed_m_s * 300.0)
    assert puff.concentration_kg_m3(np.array([[0.0, -100.0, 0.0]]), 50.0)[0] == 0.0


@pytest.mark.verification
def test_train_carries_the_released_mass() -> None:
    """The puffs hold exactly the airborne mass of the source term (piecewise-linear integral)."""
    source = _blowdown()
    train = gaussian_puff_train(source, _weather(), puff_interval_s=7.0)
    assert train.total_mass_kg == pytest.approx(source.airborne_mass_kg(), rel=1e-12)
    assert train.released_mass_kg(1e9) == pytest.approx(source.airborne_mass_kg(), rel=1e-12)


@pytest.mark.verification
def test_long_release_train_converges_to_steady_plume() -> None:
    """Away from its ends, a 1 h constant release as puffs equals the steady plume (1 %).

    Runs the validation case (300 m, 1 km, 3 km, at 30 min); the residual difference is second
    order in d(sigma)/dx.
    """
    for check in puff_train_steady_limit():
        assert check.passed, (check.quantity, check.got)


@pytest.mark.verification
def test_train_converges_off_axis_and_under_a_lid() -> None:
    """Steady limit off the centreline, elevated source, 150 m lid, class B; 2 % tolerance."""
    weather = _weather(stability_class="B", mixing_height_m=150.0, wind_from_deg=10.0)
    source = constant_source("ammonia", 1.0, 3600.0, temperature_k=290.0, release_height_m=15.0)
    train = gaussian_puff_train(source, weather)
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=1.0, release_height_m=15.0), weather)
    ex, ey = plume.downwind_unit
    x, y = 1500.0, 120.0
    pts = np.array([[x * ex - y * ey, x * ey + y * ex, z] for z in (1.5, 60.0, 140.0)])
    np.testing.assert_allclose(
        train.concentration_kg_m3(pts, 2400.0), plume.concentration_kg_m3(pts), rtol=0.02
    )


def test_grid_fast_path_matches_point_evaluation() -> None:
    """The per-axis factorisation equals the point-by-point sum for an oblique wind."""
    train = gaussian_puff_train(_blowdown(), _weather(wind_from_deg=213.0), puff_interval_s=5.0)
    grid = Grid2D((-300.0, -250.0), 7.0, (90, 110))
    xx, yy = grid.centres_m()
    pts = np.column_stack([xx.ravel(), yy.ravel(), np.full(xx.size, 1.5)])
    for t in (0.0, 90.0, 700.0):
        fast = train.concentration_on_grid_kg_m3(grid, 1.5, t)
        slow = train.concentration_kg_m3(pts, t).reshape(grid.shape)
        # both paths drop a puff's tail beyond 6 sigma_y (exp(-18) of its peak), the point path on
        # a circle and the grid path on a box, so they differ there by that much
        np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-6 * max(slow.max(), 1e-30))


def test_chunking_does_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    train = gaussian_puff_train(_blowdown(), _weather(), puff_interval_s=10.0)
    pts = np.column_stack([np.linspace(0, 900, 301), np.linspace(0, 700, 301), np.full(301, 2.0)])
    whole = train.concentration_kg_m3(pts, 600.0)
    grid = Grid2D((0.0, 0.0), 10.0, (60, 80))
    whole_grid = train.concentration_on_grid_kg_m3(grid, 2.0, 600.0)
    monkeypatch.setattr(puff_module, "_CHUNK_ELEMENTS", 97)
    np.testing.assert_allclose(train.concentration_kg_m3(pts, 600.0), whole, rtol=1e-12)
    np.testing.assert_allclose(
        train.concentration_on_grid_kg_m3(grid, 2.0, 600.0), whole_grid, rtol=1e-12
    )


def test_nothing_before_the_release_and_empty_sources() -> None:
    train = gaussian_puff_train(_blowdown(), _weather())
    assert np.all(train.concentration_kg_m3(np.array([[10.0, 10.0, 1.0]]), -5.0) == 0.0)
    zeros = np.zeros(1)
    single = SourceTerm(
        substance="methane",
        model="none",
        phase="gas",
        t_s=zeros,
        discharge_rate_kg_s=zeros,
        airborne_rate_kg_s=zeros,
        rainout_rate_kg_s=zeros,
        temperature_k=zeros + 280.0,
        velocity_m_s=zeros,
        aerosol_fraction=zeros,
    )
    empty = gaussian_puff_train(single, _weather())
    assert empty.total_mass_kg == 0.0
    grid = Grid2D((0.0, 0.0), 5.0, (4, 4))
    assert np.all(empty.concentration_on_grid_kg_m3(grid, 1.0, 10.0) == 0.0)


@pytest.mark.property
@given(t1=st.floats(0.0, 2000.0), dt=st.floats(0.0, 2000.0))
def test_released_mass_never_falls(t1: float, dt: float) -> None:
    train = gaussian_puff_train(_blowdown(), _weather(), puff_interval_s=20.0)
    assert train.released_mass_kg(t1 + dt) >= train.released_mass_kg(t1)


@pytest.mark.property
@given(cls=st.sampled_from(["A", "B", "C", "D", "E", "F"]), t=st.floats(30.0, 3000.0))
def test_centre_ground_concentration_of_a_ground_puff_falls_with_time(cls: str, t: float) -> None:
    puff = instantaneous_puff(1.0, _weather(stability_class=cls, mixing_height_m=5000.0))
    values = []
    for time in (t, 1.5 * t):
        _, cx, cy, _, _ = puff.puffs_at(time)
        values.append(float(puff.concentration_kg_m3(np.array([[cx[0], cy[0], 0.0]]), time)[0]))
    assert values[1] < values[0]


def test_default_interval_spaces_puffs_one_sigma_at_100_m() -> None:
    weather = _weather(wind_speed_m_s=5.0, stability_class="D")
    dt = default_puff_interval_s(weather, 3600.0)
    assert dt * 5.0 == pytest.approx(0.08 * 100.0 / math.sqrt(1.01))
    assert default_puff_interval_s(weather, 1e7) == pytest.approx(1e7 / puff_module.MAX_PUFFS)


def test_bad_inputs_are_named() -> None:
    with pytest.raises(InvalidInputError, match="calm"):
        gaussian_puff_train(_blowdown(), _weather(wind_speed_m_s=0.2))
    with pytest.raises(InvalidInputError, match="puff_interval_s"):
        gaussian_puff_train(_blowdown(), _weather(), puff_interval_s=0.0)
    with pytest.raises(InvalidInputError, match="at most"):
        gaussian_puff_train(_blowdown(duration_s=1e5), _weather(), puff_interval_s=1.0)
    with pytest.raises(InvalidInputError, match="mass_kg"):
        instantaneous_puff(-1.0, _weather())
    with pytest.raises(InvalidInputError, match="t_s"):
        instantaneous_puff(1.0, _weather()).concentration_kg_m3(np.zeros((1, 3)), math.nan)
