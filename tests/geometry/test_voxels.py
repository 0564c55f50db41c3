"""Tests of geometry.voxels: exact counts for aligned boxes, volume convergence for a cylinder."""

from __future__ import annotations

import math

import numpy as np
import pytest
import trimesh

from geometry.grid import Grid2D, Grid3D, rasterise
from geometry.primitives import box_mesh, cylinder_mesh
from geometry.slicing import section_polygons
from geometry.voxels import occupied_fraction, voxelise


def _box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> trimesh.Trimesh:
    return box_mesh(
        base_centre_m=((x0 + x1) / 2, (y0 + y1) / 2, z0), size_m=(x1 - x0, y1 - y0, z1 - z0)
    )


@pytest.mark.verification
def test_aligned_box_fills_exactly_its_cells() -> None:
    """Box x [1, 4], y [2, 4], z [0, 1.5] on 0.5 m cells from the origin: 6 x 4 x 3 = 72 cells,
    i in [2, 8), j in [4, 8), k in [0, 3)."""
    grid = Grid3D.covering((0, 0, 0, 6, 6, 3), 0.5)
    occupied = voxelise([_box(1, 4, 2, 4, 0, 1.5)], grid)
    assert occupied.shape == (6, 12, 12)
    expected = np.zeros(grid.shape, dtype=bool)
    expected[0:3, 4:8, 2:8] = True
    np.testing.assert_array_equal(occupied, expected)
    assert occupied_fraction([_box(1, 4, 2, 4, 0, 1.5)], grid) == pytest.approx(72 / occupied.size)


@pytest.mark.verification
def test_overlapping_boxes_are_counted_once() -> None:
    """Boxes x [0, 2] and [1, 3] (y [0, 1], z [0, 1]) on 0.5 m cells.

    The union is 3 x 1 x 1 m = 24 cells of 0.125 m^3.
    """
    grid = Grid3D.covering((0, 0, 0, 4, 2, 2), 0.5)
    occupied = voxelise([_box(0, 2, 0, 1, 0, 1), _box(1, 3, 0, 1, 0, 1)], grid)
    assert int(occupied.sum()) == 24


@pytest.mark.verification
def test_cylinder_voxel_volume_approaches_pi_r2_h() -> None:
    """r = 2 m, h = 3 m, 256 sections, 0.1 m cells.

    count * 0.001 m^3 lies within 2 % of pi r^2 h = 37.70 m^3.
    """
    tank = cylinder_mesh(base_centre_m=(5.0, 5.0, 0.0), diameter_m=4.0, height_m=3.0, sections=256)
    grid = Grid3D.covering((2.5, 2.5, 0.0, 7.5, 7.5, 4.0), 0.1)
    volume_m3 = float(voxelise([tank], grid).sum()) * 0.1**3
    assert volume_m3 == pytest.approx(math.pi * 2.0**2 * 3.0, rel=0.02)


def test_layers_outside_the_meshes_are_empty_and_no_meshes_is_nothing() -> None:
    grid = Grid3D.covering((0, 0, -2, 4, 4, 4), 0.5)
    occupied = voxelise([_box(1, 3, 1, 3, 0, 1)], grid)
    assert not occupied[:4].any()
    assert not occupied[6:].any()
    assert occupied[4:6].sum() == 2 * 16
    assert not voxelise([], grid).any()


def test_voxel_layers_equal_rasterised_sections(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    """Consistency with the plan rule of geometry.grid.rasterise on an unaligned grid."""
    meshes = mesh_two_storey_building.meshes
    plan = Grid2D((-0.33, -0.41), 0.37, (31, 58))
    grid = Grid3D(plan, -0.5, 20)
    occupied = voxelise(meshes, grid)
    for k in (0, 1, 4, 9, 10, 15, 19):
        expected = rasterise(section_polygons(meshes, float(grid.z_m[k])), plan)
        np.testing.assert_array_equal(occupied[k], expected)
    assert occupied[1:9].any()
    assert occupied.sum() > 0
