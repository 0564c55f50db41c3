"""Tests of geometry.voxels under both rules.

Evidence: hand counts for aligned boxes, a thin wall and a raised rack (both rules); volume bounds
for a cylinder (centre rule within 2 % of pi r^2 h; overlap rule between the solid and the solid
grown by a cell diagonal in plan); consistency of the centre rule with geometry.grid.rasterise and
of the overlap rule with a cell-by-cell DE-9IM reference on an unaligned grid.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import trimesh

from geometry.errors import GeometryError
from geometry.grid import Grid2D, Grid3D, cell_squares, rasterise
from geometry.primitives import (
    box_mesh,
    cylinder_mesh,
    extrude_polygon_mesh,
    pipe_mesh,
    wall_mesh,
)
from geometry.slicing import section_polygons
from geometry.voxels import occupied_fraction, voxelise


def _box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> trimesh.Trimesh:
    return box_mesh(
        base_centre_m=((x0 + x1) / 2, (y0 + y1) / 2, z0), size_m=(x1 - x0, y1 - y0, z1 - z0)
    )


@pytest.mark.verification
@pytest.mark.parametrize("rule", ["centre", "overlap"])
def test_aligned_box_fills_exactly_its_cells(rule: str) -> None:
    """Box x [1, 4], y [2, 4], z [0, 1.5] on 0.5 m cells from the origin: 6 x 4 x 3 = 72 cells,
    i in [2, 8), j in [4, 8), k in [0, 3), under both rules (faces on cell faces: the centre rule
    finds every centre inside, the overlap rule no neighbour that only touches a face)."""
    grid = Grid3D.covering((0, 0, 0, 6, 6, 3), 0.5)
    occupied = voxelise([_box(1, 4, 2, 4, 0, 1.5)], grid, rule=rule)  # type: ignore[arg-type]
    assert occupied.shape == (6, 12, 12)
    expected = np.zeros(grid.shape, dtype=bool)
    expected[0:3, 4:8, 2:8] = True
    np.testing.assert_array_equal(occupied, expected)
    assert occupied_fraction([_box(1, 4, 2, 4, 0, 1.5)], grid) == pytest.approx(72 / occupied.size)


@pytest.mark.verification
@pytest.mark.parametrize("rule", ["centre", "overlap"])
def test_overlapping_boxes_are_counted_once(rule: str) -> None:
    """Boxes x [0, 2] and [1, 3] (y [0, 1], z [0, 1]) on 0.5 m cells.

    The union is 3 x 1 x 1 m = 24 cells of 0.125 m^3.
    """
    grid = Grid3D.covering((0, 0, 0, 4, 2, 2), 0.5)
    meshes = [_box(0, 2, 0, 1, 0, 1), _box(1, 3, 0, 1, 0, 1)]
    assert int(voxelise(meshes, grid, rule=rule).sum()) == 24  # type: ignore[arg-type]


@pytest.mark.verification
def test_cylinder_voxel_volume_approaches_pi_r2_h() -> None:
    """r = 2 m, h = 3 m, 256 sections, 0.1 m cells, 30 whole layers.

    Centre rule: count * 0.001 m^3 lies within 2 % of pi r^2 h = 37.70 m^3. Overlap rule: the cells
    cover the cylinder, so the volume is at least the 256-gon prism's (37.70 m^3), and each lies
    within a cell diagonal of it, so at most pi (r + 0.1 sqrt 2)^2 h = 43.23 m^3.
    """
    tank = cylinder_mesh(base_centre_m=(5.0, 5.0, 0.0), diameter_m=4.0, height_m=3.0, sections=256)
    grid = Grid3D.covering((2.5, 2.5, 0.0, 7.5, 7.5, 4.0), 0.1)
    centre_m3 = float(voxelise([tank], grid, rule="centre").sum()) * 0.1**3
    assert centre_m3 == pytest.approx(math.pi * 2.0**2 * 3.0, rel=0.02)
    overlap = voxelise([tank], grid, rule="overlap")
    assert overlap[:30].any(axis=(1, 2)).all()
    assert not overlap[30:].any()
    overlap_m3 = float(overlap.sum()) * 0.1**3
    assert tank.volume <= overlap_m3 <= math.pi * (2.0 + 0.1 * math.sqrt(2.0)) ** 2 * 3.0


@pytest.mark.verification
def test_thin_wall_is_one_row_of_cells_per_layer_under_the_overlap_rule() -> None:
    """Wall 0.3 m thick, y [5.1, 5.4], x [0.5, 9.5], z [0, 3] on 2 m cells from the origin.

    Overlap rule: row j = 2 (y [4, 6]), the five columns x [0, 10], layers k = 0 and 1 (z [0, 2],
    [2, 4]): 5 x 1 x 2 = 10 cells. Centre rule: the centres y = 5 miss y [5.1, 5.4]: no cell.
    """
    wall = wall_mesh(path_m=[[0.5, 5.25], [9.5, 5.25]], height_m=3.0, thickness_m=0.3, base_z_m=0.0)
    grid = Grid3D.covering((0, 0, 0, 10, 10, 6), 2.0)
    occupied = voxelise([wall], grid, rule="overlap")
    expected = np.zeros(grid.shape, dtype=bool)
    expected[0:2, 2, :] = True
    np.testing.assert_array_equal(occupied, expected)
    assert not voxelise([wall], grid, rule="centre").any()


@pytest.mark.verification
def test_raised_rack_fills_the_layers_it_spans() -> None:
    """A rack 6 m x 86 m x 1.5 m deep at z [5, 6.5] (pipe rack R1 of the sample LNG site) on 2 m
    cells from z = 0: it reaches into layers k = 2 (z [4, 6]) and 3 (z [6, 8]). Plan x [447, 453],
    y [457, 543] on cells from (-50, -50): columns (447 + 50) / 2 = 248.5 .. 251.5, i.e. 248..251
    (4), rows 253..296 (44): 2 x 4 x 44 = 352 cells. Centre rule: centres z = 5 (bottom face:
    outside) and 7 (above): no cell."""
    rack = box_mesh(base_centre_m=(450.0, 500.0, 5.0), size_m=(6.0, 86.0, 1.5))
    grid = Grid3D(Grid2D((-50.0, -50.0), 2.0, (350, 500)), 0.0, 10)
    occupied = voxelise([rack], grid, rule="overlap")
    assert int(occupied.sum()) == 352
    assert np.flatnonzero(occupied.any(axis=(1, 2))).tolist() == [2, 3]
    assert occupied[2, 253:297, 248:252].all()
    assert not voxelise([rack], grid, rule="centre").any()


def test_horizontal_pipe_layers_cover_its_sections() -> None:
    """A horizontal pipe (not a vertical prism: sampled per layer) of diameter 0.8 m at z = 5.1:
    it spans z [4.7, 5.5], so it reaches into layer k = 4 (z [4, 5]) and 5 (z [5, 6]) of 1 m
    cells, and in plan into rows y [9, 11] (its section y [9.6, 10.4]) over x [1, 19]."""
    pipe = pipe_mesh(path_m=[[1.0, 10.0, 5.1], [19.0, 10.0, 5.1]], diameter_m=0.8)
    grid = Grid3D.covering((0, 0, 0, 20, 20, 10), 1.0)
    occupied = voxelise([pipe], grid, rule="overlap")
    expected = np.zeros(grid.shape, dtype=bool)
    expected[4:6, 9:11, 1:19] = True
    np.testing.assert_array_equal(occupied, expected)


def test_overlap_layers_match_a_cell_by_cell_reference() -> None:
    """Each layer of a vertical prism (z [0.35, 2.65]) equals the cells whose square shares
    interior with its section (DE-9IM ``T********`` against every cell of an unaligned grid).

    Layer k spans z [-0.5 + 0.37 k, -0.13 + 0.37 k]: it reaches above 0.35 from k = 2 and starts
    below 2.65 up to k = 8.
    """
    region = shapely.Polygon([(1.03, 0.7), (8.2, 2.1), (6.9, 7.77), (2.2, 5.05)])
    solid = shapely.difference(region, shapely.box(3.9, 2.9, 5.1, 4.1))
    body = extrude_polygon_mesh(solid, height_m=2.3, base_z_m=0.35)
    plan = Grid2D((-0.33, -0.41), 0.37, (26, 28))
    grid = Grid3D(plan, -0.5, 12)
    occupied = voxelise([body], grid, rule="overlap")
    cells = np.argwhere(np.ones(plan.shape, dtype=bool))
    reference = shapely.relate_pattern(cell_squares(plan, cells), solid, "T********")
    for k in range(grid.nz):
        expect = reference.reshape(plan.shape) if 2 <= k <= 8 else np.zeros(plan.shape, bool)
        np.testing.assert_array_equal(occupied[k], expect, err_msg=f"layer {k}")


def test_layers_outside_the_meshes_are_empty_and_no_meshes_is_nothing() -> None:
    grid = Grid3D.covering((0, 0, -2, 4, 4, 4), 0.5)
    for rule in ("centre", "overlap"):
        occupied = voxelise([_box(1, 3, 1, 3, 0, 1)], grid, rule=rule)  # type: ignore[arg-type]
        assert not occupied[:4].any()
        assert not occupied[6:].any()
        assert occupied[4:6].sum() == 2 * 16
        assert not voxelise([], grid, rule=rule).any()  # type: ignore[arg-type]


def test_unknown_rule_is_refused_with_the_allowed_ones() -> None:
    grid = Grid3D.covering((0, 0, 0, 4, 4, 4), 0.5)
    with pytest.raises(
        GeometryError, match=r"rule = 'corner': must be one of \['overlap', 'centre'\]"
    ):
        voxelise([_box(1, 3, 1, 3, 0, 1)], grid, rule="corner")  # type: ignore[arg-type]


def test_voxel_layers_equal_rasterised_sections(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    """Centre rule: consistency with geometry.grid.rasterise of the section at the layer centres,
    on an unaligned grid."""
    meshes = mesh_two_storey_building.meshes
    plan = Grid2D((-0.33, -0.41), 0.37, (31, 58))
    grid = Grid3D(plan, -0.5, 20)
    occupied = voxelise(meshes, grid, rule="centre")
    for k in (0, 1, 4, 9, 10, 15, 19):
        expected = rasterise(section_polygons(meshes, float(grid.z_m[k])), plan)
        np.testing.assert_array_equal(occupied[k], expected)
    assert occupied[1:9].any()
    assert occupied.sum() > 0


def test_overlap_rule_holds_every_centre_rule_cell(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    """A solid holding a cell's centre reaches into the cell: the centre cells are a subset."""
    meshes = mesh_two_storey_building.meshes
    grid = Grid3D(Grid2D((-0.33, -0.41), 0.37, (31, 58)), -0.5, 20)
    centre = voxelise(meshes, grid, rule="centre")
    overlap = voxelise(meshes, grid, rule="overlap")
    assert not (centre & ~overlap).any()
    assert overlap.sum() > centre.sum()
