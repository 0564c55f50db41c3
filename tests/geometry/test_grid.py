"""Tests of geometry.grid.rasterise: the bounding-box window changes no cell."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geometry.grid import Grid2D, rasterise


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
