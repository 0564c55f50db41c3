from __future__ import annotations

import doctest

import numpy as np
import pytest

from solvers.errors import InvalidInputError
from solvers.pedestrian import walking_speed as ws


@pytest.mark.verification
def test_weidmann_diagram_end_points_and_capacity() -> None:
    """Weidmann (1993): v -> 1.34 m/s as density -> 0, v = 0 at 5.4 1/m^2, and the specific flow
    peaks at about 1.22 1/(m s) near 1.75 1/m^2 (Weidmann's capacity; 2 % tolerance for reading
    the maximum off the curve)."""
    assert ws.weidmann_speed_m_s(0.0) == pytest.approx(1.34)
    assert ws.weidmann_speed_m_s(1e-3) == pytest.approx(1.34)
    assert ws.weidmann_speed_m_s(5.4) == pytest.approx(0.0, abs=1e-12)
    assert ws.weidmann_speed_m_s(6.0) == 0.0
    rho = np.linspace(0.1, 5.4, 5301)
    flow = ws.weidmann_specific_flow_1_m_s(rho)
    assert flow.max() == pytest.approx(1.22, rel=0.02)
    assert rho[flow.argmax()] == pytest.approx(1.75, rel=0.05)
    # speed falls monotonically with density
    assert np.all(np.diff(ws.weidmann_speed_m_s(rho)) < 0)


def test_weidmann_rejects_negative_density() -> None:
    with pytest.raises(InvalidInputError, match="density_1_m2"):
        ws.weidmann_speed_m_s(-0.1)


def test_free_speed_samples_are_seeded_and_bounded() -> None:
    a = ws.sample_free_speeds_m_s(5000, 1)
    b = ws.sample_free_speeds_m_s(5000, np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    assert a.mean() == pytest.approx(1.34, abs=0.02)
    assert a.std() == pytest.approx(0.26, abs=0.02)
    assert a.min() >= 0.3
    assert a.max() <= 2.5


def test_age_curve_nodes_and_range() -> None:
    assert ws.mean_free_speed_by_age_m_s(20.0) == pytest.approx(1.6)
    assert ws.mean_free_speed_by_age_m_s(25.0) == pytest.approx(1.56)
    speeds = ws.sample_free_speeds_by_age_m_s(np.full(2000, 75.0), 3)
    assert speeds.mean() == pytest.approx(0.875, rel=0.03)
    with pytest.raises(InvalidInputError, match="age_years"):
        ws.mean_free_speed_by_age_m_s(90.0)


@pytest.mark.verification
def test_sfpe_speeds() -> None:
    """SFPE hydraulic model (Gwynne & Rosenbaum 2016): 0.85 k below 0.54 1/m^2, k - 0.266 k D
    above, 0 from 3.8 on; corridor k = 1.40 gives 1.19 m/s free (exact arithmetic)."""
    assert ws.sfpe_speed_m_s(0.2) == pytest.approx(0.85 * 1.40)
    assert ws.sfpe_speed_m_s(2.0) == pytest.approx(1.40 * (1 - 0.266 * 2.0))
    assert ws.sfpe_speed_m_s(3.8) == 0.0
    along, horizontal = ws.stair_speed_m_s(7.0 * 0.0254, 11.0 * 0.0254)
    assert along == pytest.approx(1.08 * 0.85)
    assert horizontal == pytest.approx(along * 11.0 / np.hypot(7.0, 11.0))


@pytest.mark.verification
def test_weidmann_stair_speeds_by_direction() -> None:
    """Weidmann (1993): mean horizontal speeds on stairs 0.610 m/s up and 0.694 m/s down at the
    mean free speed 1.34 m/s; a person keeps their free-speed ratio; along the slope is the
    horizontal speed over cos(pitch). Exact arithmetic."""
    along, horizontal = ws.weidmann_stair_speed_m_s(0.17, 0.29, going_up=[True, False])
    np.testing.assert_allclose(horizontal, [0.610, 0.694])
    np.testing.assert_allclose(along, horizontal * np.hypot(0.17, 0.29) / 0.29)
    _, fast = ws.weidmann_stair_speed_m_s(
        0.17, 0.29, going_up=[True, True], free_speed_m_s=[1.34, 1.608]
    )
    assert fast[1] / fast[0] == pytest.approx(1.2)
    with pytest.raises(InvalidInputError, match="free_speed_m_s"):
        ws.weidmann_stair_speed_m_s(0.17, 0.29, going_up=True, free_speed_m_s=0.0)
    with pytest.raises(InvalidInputError, match="riser_m"):
        ws.weidmann_stair_speed_m_s(0.5, 0.29, going_up=True)


def test_radii_samples() -> None:
    r = ws.sample_radii_m(1000, 4)
    assert r.min() >= 0.25
    assert r.max() <= 0.35
    with pytest.raises(InvalidInputError, match="high_m"):
        ws.sample_radii_m(3, 0, low_m=0.3, high_m=0.2)


def test_docstring_examples() -> None:
    result = doctest.testmod(ws)
    assert result.attempted > 0
    assert result.failed == 0
