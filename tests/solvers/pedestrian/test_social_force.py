from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from geometry.boundary_segments import boundary_segments
from solvers.errors import InvalidInputError
from solvers.pedestrian import social_force as sfm
from solvers.pedestrian.walls import Walls, walls_from_segments

NO_WALLS = Walls(np.zeros((0, 2, 2)))


@pytest.mark.verification
def test_lone_agent_relaxes_to_its_desired_velocity() -> None:
    """Helbing & Molnár (1995) driving term alone: v(t) = v0 (1 - exp(-t / tau)) from rest;
    semi-implicit Euler at dt = 0.005 s is first order, within 0.5 % of v0 at t = 0.5, 1, 2 s."""
    pos = np.zeros((1, 2))
    vel = np.zeros((1, 2))
    e0 = np.array([[0.0, 1.0]])
    t = 0.0
    checks = {100: 0.5, 200: 1.0, 400: 2.0}
    for k in range(1, 401):
        res = sfm.step(pos, vel, e0, 1.34, 0.3, walls=NO_WALLS, dt_s=0.005)
        pos, vel = res.positions_m, res.velocities_m_s
        t += 0.005
        if k in checks:
            exact = 1.34 * (1 - np.exp(-checks[k] / 0.5))
            assert vel[0, 1] == pytest.approx(exact, abs=0.005 * 1.34)
    assert vel[0, 0] == 0.0


@pytest.mark.verification
def test_two_agents_at_rest_repel_with_the_published_force() -> None:
    """Helbing, Farkas & Vicsek (2000): two agents at rest, not touching, at distance d feel
    A exp((r_ij - d) / B) each; with no desire to move one step changes the velocity by
    F dt / m (exact). A desired speed is given only to lift the speed cap (1.3 v0)."""
    pos = np.array([[0.0, 0.0], [0.7, 0.0]])
    res = sfm.step(pos, np.zeros((2, 2)), np.zeros((2, 2)), 5.0, 0.3, walls=NO_WALLS, dt_s=0.005)
    force = 2000.0 * np.exp((0.6 - 0.7) / 0.08)
    expected = force * 0.005 / 80.0
    np.testing.assert_allclose(res.velocities_m_s, [[-expected, 0.0], [expected, 0.0]])


def test_crowd_through_a_door_never_crosses_walls() -> None:
    """Thirty agents pushed to a 1 m door: nobody passes a wall, all get out."""
    room = box(0.0, 0.0, 5.0, 5.0)
    walls = walls_from_segments(boundary_segments(room, openings_m=[[[5.0, 2.0], [5.0, 3.0]]]))
    rng = np.random.default_rng(2)
    xs, ys = np.meshgrid(np.arange(0.6, 4.0, 0.7), np.arange(0.6, 4.5, 0.7))
    pos = np.column_stack([xs.ravel(), ys.ravel()])[:30] + rng.uniform(-0.05, 0.05, (30, 2))
    vel = np.zeros_like(pos)
    radius = rng.uniform(0.25, 0.3, len(pos))
    active = np.ones(len(pos), dtype=bool)
    neighbours = None
    t = 0.0
    while active.any() and t < 60.0:
        e0 = np.array([5.5, 2.5]) - pos
        e0 /= np.linalg.norm(e0, axis=1)[:, None]
        res = sfm.step(
            pos, vel, e0, 1.34, radius, walls=walls, active=active, neighbours=neighbours
        )
        assert not walls.crosses(pos[active], res.positions_m[active]).any()
        inside = res.positions_m[active]
        assert shapely.contains_xy(box(0.0, 0.0, 5.7, 5.0), inside[:, 0], inside[:, 1]).all()
        pos, vel, neighbours = res.positions_m, res.velocities_m_s, res.neighbours
        active &= pos[:, 0] < 5.3
        t += sfm.DEFAULT_DT_S
    assert not active.any()


def test_speed_is_capped_and_waiting_agents_stand() -> None:
    pos = np.array([[0.0, 0.0], [5.0, 5.0]])
    vel = np.array([[5.0, 0.0], [1.0, 0.0]])
    e0 = np.array([[1.0, 0.0], [1.0, 0.0]])
    res = sfm.step(pos, vel, e0, 1.0, 0.3, walls=NO_WALLS, moving=np.array([True, False]))
    assert np.linalg.norm(res.velocities_m_s[0]) == pytest.approx(1.3)
    np.testing.assert_array_equal(res.velocities_m_s[1], 0.0)
    np.testing.assert_array_equal(res.positions_m[1], pos[1])


def test_bad_inputs_are_rejected() -> None:
    pos = np.zeros((2, 2))
    with pytest.raises(InvalidInputError, match="velocities_m_s has shape"):
        sfm.step(pos, np.zeros((3, 2)), np.zeros((2, 2)), 1.0, 0.3, walls=NO_WALLS)
    with pytest.raises(InvalidInputError, match="mass_kg"):
        sfm.SocialForceParameters(mass_kg=0.0)
