from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box
from shapely.ops import unary_union

from geometry.grid import Grid2D, rasterise
from solvers.errors import InvalidInputError
from solvers.pedestrian.floor_field import FloorField, floor_field


def _room(h: float = 0.1) -> tuple[Grid2D, np.ndarray, np.ndarray, np.ndarray]:
    grid = Grid2D.covering((0.0, 0.0, 20.0, 10.0), h)
    walkable = np.ones(grid.shape, dtype=bool)
    x, y = grid.centres_m()
    return grid, walkable, x, y


@pytest.mark.verification
def test_open_room_distance_to_a_wall_of_exits_is_exact() -> None:
    """Analytic: the distance to the target strip x >= 19.9 m is 19.9 - x (a plane front, which
    fast marching reproduces to rounding)."""
    grid, walkable, x, _ = _room()
    target = x > 19.9
    field = floor_field(grid, walkable, target, wall_buffer_m=0.0)
    np.testing.assert_allclose(field.distance_m, np.where(target, 0.0, 19.9 - x), atol=1e-9)
    pts = np.array([[3.33, 4.2], [12.0, 7.77]])
    np.testing.assert_allclose(field.distance_at(pts), 19.9 - pts[:, 0], atol=1e-9)
    np.testing.assert_allclose(field.direction_at(pts), [[1.0, 0.0], [1.0, 0.0]], atol=1e-9)


@pytest.mark.verification
def test_open_room_distance_to_a_point_is_euclidean_within_grid_error() -> None:
    """Analytic: distance to one target cell (a 0.1 m square centred at (10.05, 5.05)) is the
    Euclidean distance to that square; second-order fast marching keeps the error below one cell
    (0.1 m) and the steepest-descent directions within 8 degrees (median < 1 degree) beyond 1 m."""
    grid, walkable, x, y = _room()
    target = (np.abs(x - 10.05) < 0.01) & (np.abs(y - 5.05) < 0.01)
    field = floor_field(grid, walkable, target, wall_buffer_m=0.0)
    centre = np.array([10.05, 5.05])
    exact = np.hypot(x - centre[0], y - centre[1])
    assert np.max(np.abs(field.distance_m - exact)[~target]) < 0.1
    pts = np.random.default_rng(3).uniform([0.0, 0.0], [20.0, 10.0], (500, 2))
    far = np.hypot(*(pts - centre).T) > 1.0
    towards = centre - pts[far]
    towards /= np.linalg.norm(towards, axis=1)[:, None]
    got = field.direction_at(pts[far])
    angle = np.degrees(np.arccos(np.clip((got * towards).sum(axis=1), -1.0, 1.0)))
    assert angle.max() < 8.0
    assert np.median(angle) < 1.0


@pytest.mark.verification
@pytest.mark.parametrize("h", [0.1, 0.2])
def test_l_shaped_corridor_geodesic_distance_around_the_corner(h: float) -> None:
    """Analytic: in an L of two 2 m wide legs, the walking distance from the horizontal leg to the
    exit strip (y >= 9.8 m) is the straight line to the inner corner (8, 2) plus 7.8 m; on the
    grid the corner is resolved to half a cell, so the tolerance is 0.75 h; directions at the far
    end of the leg point at the corner (within 2 degrees)."""
    corridor = unary_union([box(0, 0, 10, 2), box(8, 0, 10, 10)])
    grid = Grid2D.covering((0.0, 0.0, 10.0, 10.0), h)
    walkable = rasterise(corridor, grid)
    _, y = grid.centres_m()
    field = floor_field(grid, walkable, walkable & (y > 9.8), wall_buffer_m=0.0)
    pts = np.array([[1.0, 1.0], [4.0, 0.5], [6.0, 1.5], [9.0, 5.0], [9.0, 1.0]])
    corner = np.array([8.0, 2.0])
    exact = np.where(pts[:, 0] < 8.0, np.hypot(*(pts - corner).T) + 7.8, 9.8 - pts[:, 1])
    np.testing.assert_allclose(field.distance_at(pts), exact, atol=0.75 * h)
    towards = (corner - pts[0]) / np.linalg.norm(corner - pts[0])
    angle = np.degrees(np.arccos(field.direction_at(pts[:1])[0] @ towards))
    assert angle < 2.0
    # walls are not walkable: unreached, inf
    assert np.isinf(field.distance_m[~walkable]).all()


def test_wall_buffer_steers_agents_off_the_walls() -> None:
    """A walker close to the wall of a corridor is sent back towards its middle."""
    grid = Grid2D.covering((0.0, 0.0, 20.0, 3.0), 0.1)
    walkable = np.ones(grid.shape, dtype=bool)
    x, _ = grid.centres_m()
    plain = floor_field(grid, walkable, x > 19.9, wall_buffer_m=0.0)
    buffered = floor_field(grid, walkable, x > 19.9, wall_buffer_m=0.5)
    near_wall = np.array([[5.0, 0.15]])
    assert plain.direction_at(near_wall)[0, 1] == pytest.approx(0.0, abs=1e-9)
    assert buffered.direction_at(near_wall)[0, 1] > 0.1
    # the middle of the corridor keeps the straight route
    assert buffered.direction_at(np.array([[5.0, 1.5]]))[0, 1] == pytest.approx(0.0, abs=1e-6)


def test_high_slowness_is_walked_around() -> None:
    """A band of slowness 10 across a room, with a 1 m gap, is bypassed through the gap."""
    grid, walkable, x, y = _room()
    slowness = np.ones(grid.shape)
    slowness[(np.abs(x - 10.0) < 0.5) & (y > 1.0)] = 10.0
    field = floor_field(grid, walkable, x > 19.9, slowness=slowness, wall_buffer_m=0.0)
    start = np.array([[5.0, 8.0]])
    # the detour through the gap at y < 1 m is shorter than wading through 1 m of slowness 10
    via_gap = np.hypot(5.0, 7.0) + np.hypot(10.0, 0.0) - 0.5
    assert field.distance_at(start)[0] < 14.9 + 9.0
    assert field.distance_at(start)[0] == pytest.approx(via_gap, rel=0.1)
    assert field.direction_at(start)[0, 1] < -0.5


def test_impassable_cells_and_unreachable_islands() -> None:
    grid, walkable, x, _ = _room(0.2)
    slowness = np.ones(grid.shape)
    slowness[:, (x[0] > 9.9) & (x[0] < 10.3)] = np.inf
    field = floor_field(grid, walkable, x > 19.7, slowness=slowness)
    assert np.isinf(field.distance_m[:, x[0] < 9.9]).all()
    assert not field.is_reachable[0, 0]
    # a point in the cut-off half gets a finite fallback only if some cell is reached
    assert np.isfinite(field.distance_at(np.array([[2.0, 2.0]]))).all()


def test_directions_are_unit_vectors_also_near_walls_and_outside() -> None:
    corridor = unary_union([box(0, 0, 10, 2), box(8, 0, 10, 10)])
    grid = Grid2D.covering((-1.0, -1.0, 11.0, 11.0), 0.25)
    walkable = rasterise(corridor, grid)
    _, y = grid.centres_m()
    field = floor_field(grid, walkable, walkable & (y > 9.5))
    pts = np.random.default_rng(0).uniform([-2.0, -2.0], [12.0, 12.0], (2000, 2))
    norm = np.linalg.norm(field.direction_at(pts), axis=1)
    np.testing.assert_allclose(norm, 1.0, atol=1e-9)
    # a point in the wall below the corridor is sent back up into it
    assert field.direction_at(np.array([[4.0, -0.6]]))[0, 1] > 0.5
    assert np.all(np.isfinite(field.distance_at(pts)))


def test_agents_inside_the_target_keep_walking_into_it() -> None:
    grid, walkable, x, _ = _room()
    field = floor_field(grid, walkable, x > 18.0)
    assert field.distance_at(np.array([[19.0, 5.0]]))[0] == 0.0
    assert field.direction_at(np.array([[18.5, 5.0]]))[0, 0] > 0.9


def test_fields_are_read_only_and_checked() -> None:
    grid, walkable, x, _ = _room(0.5)
    field = floor_field(grid, walkable, x > 19.0)
    with pytest.raises(ValueError, match="read-only"):
        field.distance_m[0, 0] = 1.0
    with pytest.raises(InvalidInputError, match="target has no True cell"):
        floor_field(grid, walkable, np.zeros(grid.shape, dtype=bool))
    with pytest.raises(InvalidInputError, match="walkable has shape"):
        floor_field(grid, walkable[:, :-1], x > 19.0)
    with pytest.raises(InvalidInputError, match="slowness"):
        floor_field(grid, walkable, x > 19.0, slowness=-np.ones(grid.shape))
    with pytest.raises(InvalidInputError, match="distance_m has shape"):
        FloorField(grid, np.zeros((2, 2)))
