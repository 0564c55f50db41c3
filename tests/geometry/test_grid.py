"""Tests of geometry.grid: the centre rule's window changes no cell; the overlap rule equals a
cell-by-cell DE-9IM reference (property tests on random regions and unaligned grids) and is exact by
hand on small cases."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import Point, box

import geometry.grid
from geometry.grid import (
    Grid2D,
    cell_squares,
    cells_near_boundary,
    rasterise,
    rasterise_overlapping,
    squares_overlap,
)


def _every_cell(region: shapely.Geometry, grid: Grid2D) -> np.ndarray:
    """The reference: every cell centre tested."""
    xx, yy = grid.centres_m()
    return np.asarray(shapely.contains_xy(region, xx, yy))


@settings(deadline=None, max_examples=60, derandomize=True)
@given(
    x=st.floats(-5.0, 25.0),
    y=st.floats(-5.0, 25.0),
    radius=st.floats(0.01, 12.0),
    cell=st.floats(0.1, 2.0),
)
@pytest.mark.property
def test_window_gives_the_cells_of_a_full_test(
    x: float, y: float, radius: float, cell: float
) -> None:
    """Discs anywhere (inside, across the edge, outside) on an unaligned 20 x 20 m grid."""
    grid = Grid2D.covering((0.013, -0.029, 20.0, 20.0), cell)
    region = Point(x, y).buffer(radius, quad_segs=8)
    np.testing.assert_array_equal(rasterise(region, grid), _every_cell(region, grid))


def test_centres_on_the_boundary_are_outside() -> None:
    """Cells of 1 m from the origin: a box with edges through centres keeps only the inner ones."""
    grid = Grid2D((0.0, 0.0), 1.0, (4, 4))
    mask = rasterise(box(0.5, 0.5, 2.5, 3.5), grid)
    expected = np.zeros((4, 4), dtype=bool)
    expected[1:3, 1] = True  # centre x 1.5, y 1.5 and 2.5; x 0.5, 2.5 and y 0.5, 3.5 are on it
    np.testing.assert_array_equal(mask, expected)
    assert not rasterise(box(10, 10, 11, 11), grid).any()


def _every_square(region: shapely.Geometry, grid: Grid2D) -> np.ndarray:
    """The reference: every cell's square tested for shared interior (DE-9IM ``T********``)."""
    cells = np.argwhere(np.ones(grid.shape, dtype=bool))
    squares = cell_squares(grid, cells)
    return np.asarray(shapely.relate_pattern(squares, region, "T********")).reshape(grid.shape)


@settings(deadline=None, max_examples=40, derandomize=True)
@given(
    x=st.floats(-2.0, 12.0),
    y=st.floats(-2.0, 12.0),
    length=st.floats(0.01, 8.0),
    thickness=st.floats(0.01, 1.0),
    angle=st.floats(0.0, 180.0),
    cell=st.floats(0.2, 1.5),
)
@pytest.mark.property
def test_overlap_rule_equals_the_cell_by_cell_reference(
    x: float, y: float, length: float, thickness: float, angle: float, cell: float
) -> None:
    """Thin rotated walls (down to 1 cm) anywhere on an unaligned 10 x 10 m grid."""
    grid = Grid2D.covering((0.013, -0.029, 10.0, 10.0), cell)
    wall = affinity.rotate(
        box(x, y, x + length, y + thickness), angle, origin=(x, y), use_radians=False
    )
    expected = _every_square(wall, grid)
    np.testing.assert_array_equal(rasterise_overlapping(wall, grid), expected)
    assert not (expected & ~cells_near_boundary(wall, grid) & ~rasterise(wall, grid)).any()


@pytest.mark.verification
def test_overlap_rule_by_hand() -> None:
    """Cells of 1 m from the origin, 4 x 4.

    Box x [0.5, 2.5], y [0.5, 3.5]: its squares are those of columns 0..2, rows 0..3 = 12 cells.
    Box x [1, 2], y [1, 3] (faces on cell faces): exactly column 1, rows 1..2 = 2 cells (the
    neighbours only touch it). A point-thin contact (two boxes meeting at a corner) adds nothing.
    """
    grid = Grid2D((0.0, 0.0), 1.0, (4, 4))
    expected = np.zeros((4, 4), dtype=bool)
    expected[0:4, 0:3] = True
    np.testing.assert_array_equal(rasterise_overlapping(box(0.5, 0.5, 2.5, 3.5), grid), expected)
    expected[:] = False
    expected[1:3, 1] = True
    np.testing.assert_array_equal(rasterise_overlapping(box(1, 1, 2, 3), grid), expected)
    assert not rasterise_overlapping(box(10, 10, 11, 11), grid).any()
    assert not rasterise_overlapping(shapely.Polygon(), grid).any()
    touching = np.array([[0, 0], [1, 1], [2, 2]])
    assert squares_overlap(box(1, 1, 2, 2), grid, touching).tolist() == [False, True, False]


def test_docstring_examples_run() -> None:
    result = doctest.testmod(geometry.grid)
    assert result.attempted > 0
    assert result.failed == 0
