"""Tests of geometry.slicing: sections of solids, floor surfaces and walkable building levels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
import trimesh
from shapely.geometry import MultiPolygon, Point, Polygon

from geometry.errors import FloorPlanError, GeometryError
from geometry.floor_plan import Opening, check_opening_on_boundary
from geometry.mesh_io import MeshModel, load_mesh, save_mesh
from geometry.primitives import box_mesh, wall_mesh
from geometry.slicing import floor_elevations, floor_polygons, section_polygons, slice_level


def _box(
    x0: float, x1: float, y0: float, y1: float, z0: float = 0.0, z1: float = 1.0
) -> trimesh.Trimesh:
    return box_mesh(
        base_centre_m=((x0 + x1) / 2, (y0 + y1) / 2, z0), size_m=(x1 - x0, y1 - y0, z1 - z0)
    )


def _join(*meshes: trimesh.Trimesh) -> trimesh.Trimesh:
    mesh = trimesh.util.concatenate(list(meshes))
    assert isinstance(mesh, trimesh.Trimesh)
    return mesh


# --- the two-storey building (tests/geometry/conftest.py has the hand computation)
# ------------------


@pytest.mark.verification
def test_walkable_area_of_both_levels_matches_hand_computation(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    """Ground 200 - 20.36 = 179.64 m^2; upper 194 - 13.56 = 180.44 m^2.

    The hand computation is in the docstring of the fixture (tests/geometry/conftest.py).
    """
    b = mesh_two_storey_building
    for i, elevation in enumerate(b.level_elevations_m):
        level = slice_level(
            b.model, level_id=f"L{i}", elevation_m=elevation, body_height_m=b.body_height_m
        )
        assert level.walkable_area_m2 == pytest.approx(b.walkable_area_m2[i], rel=1e-6)
        assert len(level.regions) == b.region_count[i]
        assert floor_polygons(b.meshes, elevation).area == pytest.approx(
            b.floor_area_m2[i], rel=1e-9
        )
        assert level.elevation_m == elevation


@pytest.mark.verification
def test_ground_obstacles_are_walls_and_the_high_stair_treads(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    """Cut at 1.0 m: walls 11.64 + 1.72 m^2 and treads.

    Treads 5..18 (x in [15.5, 19], y in [7, 9]) add 7.0 m^2.
    """
    level = slice_level(mesh_two_storey_building.model, level_id="ground", elevation_m=0.0)
    assert level.obstacles.area == pytest.approx(11.64 + 1.72 + 7.0, rel=1e-9)
    assert level.obstacles.contains(Point(17.0, 8.0))  # a high tread
    assert level.walkable.contains(Point(15.0, 8.0))  # under the low treads the slab is walkable


def test_exit_gap_reaches_the_slab_edge(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    b = mesh_two_storey_building
    level = slice_level(b.model, level_id="ground", elevation_m=0.0)
    exit_ = Opening(id="main", level_id="ground", segment_m=np.array(b.exit_segment_m), kind="exit")
    check_opening_on_boundary(exit_, level.walkable, tolerance_m=1e-9)
    assert level.walkable.contains(Point(4.5, 0.1))  # inside the wall gap
    assert not level.walkable.contains(Point(3.5, 0.1))  # inside the wall


def test_interior_door_joins_the_rooms_and_stairwell_is_a_hole(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    b = mesh_two_storey_building
    upper = slice_level(b.model, level_id="upper", elevation_m=3.5)
    door_mid = np.mean(b.interior_door_segment_m, axis=0)
    assert upper.walkable.contains(Point(*door_mid))
    assert isinstance(upper.walkable, Polygon)
    x0, y0, x1, y1 = b.stair_hole_m
    hole = shapely.box(x0, y0, x1, y1)
    assert upper.walkable.intersection(hole).area == pytest.approx(0.0, abs=1e-9)
    assert any(
        Polygon(ring).equals_exact(hole, 1e-9) or Polygon(ring).equals(hole)
        for ring in upper.walkable.interiors
    )


@pytest.mark.verification
@pytest.mark.parametrize(("suffix", "up_axis"), [(".glb", "y"), (".stl", "z")])
def test_building_file_round_trip_slices_the_same(
    mesh_two_storey_building, tmp_path: Path, suffix: str, up_axis: str
) -> None:  # type: ignore[no-untyped-def]
    """Saved (Y-up GLB, or STL merged into one mesh with shared vertices) and loaded back, the
    building gives the same hand-computed walkable areas."""
    b = mesh_two_storey_building
    path = tmp_path / f"building{suffix}"
    save_mesh(b.model, path, up_axis=up_axis)
    model = load_mesh(path, up_axis=up_axis)
    for i, elevation in enumerate(b.level_elevations_m):
        level = slice_level(model, level_id=f"L{i}", elevation_m=elevation)
        assert level.walkable_area_m2 == pytest.approx(b.walkable_area_m2[i], rel=1e-6)
        assert len(level.regions) == 1


def test_floor_elevations_finds_both_levels_and_the_roof(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    """Floors at 0.0, 3.5 and the open roof at 6.7.

    Wall tops (3.3, 6.5) are covered by slabs; 0.5 m^2 treads are below min_area_m2.
    """
    found = floor_elevations(mesh_two_storey_building.model)
    assert found == pytest.approx(list(mesh_two_storey_building.floor_elevations_m), abs=1e-9)


def test_slicing_without_a_floor_lists_the_existing_ones(mesh_two_storey_building) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        FloorPlanError, match=r"'mezzanine' at elevation_m = 2 m.*\[0\.0, 3\.5, 6\.7\]"
    ):
        slice_level(mesh_two_storey_building.model, level_id="mezzanine", elevation_m=2.0)


def test_metre_mesh_read_as_cm_names_its_extent_and_units() -> None:
    """A 10 x 8 m, 3 m tall hall read as cm is 0.1 x 0.08 m: no floor at 3 m; the message gives
    the extent in m (0.1 x 0.08, z 0 to 0.03) and points at units."""
    hall = _box(0, 10, 0, 8, 0.0, 3.0)
    hall.apply_scale(0.01)  # type: ignore[no-untyped-call]
    model = MeshModel(parts={"hall": hall})
    with pytest.raises(FloorPlanError, match=r"floor elevations found in the mesh") as info:
        slice_level(model, level_id="L1", elevation_m=3.0)
    message = str(info.value)
    assert "measures 0.1 x 0.08 m in plan and spans z = 0 to 0.03 m" in message
    assert "check its units" in message


def test_fully_covered_floor_says_so() -> None:
    model = MeshModel(
        parts={"slab": _box(0, 4, 0, 4, -0.2, 0.0), "block": _box(-1, 5, -1, 5, 0.0, 2.0)}
    )
    with pytest.raises(FloorPlanError, match=r"covered by solids cut at z = 1 m.*\[2\.0\]"):
        slice_level(model, level_id="L0", elevation_m=0.0)


def test_small_regions_are_dropped() -> None:
    """A 0.5 x 0.5 m floor pad apart from the 4 x 4 m slab is a sliver below 0.5 m^2."""
    model = MeshModel(
        parts={"slab": _box(0, 4, 0, 4, -0.2, 0.0), "pad": _box(10, 10.5, 0, 0.5, -0.2, 0.0)}
    )
    assert slice_level(model, level_id="L0", elevation_m=0.0).walkable_area_m2 == pytest.approx(
        16.0
    )
    kept = slice_level(model, level_id="L0", elevation_m=0.0, min_region_area_m2=0.1)
    assert kept.walkable_area_m2 == pytest.approx(16.25)
    assert isinstance(kept.walkable, MultiPolygon)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"elevation_m": float("nan")}, "elevation_m"),
        ({"elevation_m": 0.0, "body_height_m": 0.0}, "body_height_m = 0.0"),
        ({"elevation_m": 0.0, "min_region_area_m2": -1.0}, "min_region_area_m2 = -1.0"),
        ({"elevation_m": 0.0, "tolerance_m": 0.0}, "tolerance_m = 0.0"),
    ],
)
def test_bad_slice_parameters_name_the_field(kwargs: dict, field: str) -> None:
    model = MeshModel(parts={"slab": _box(0, 4, 0, 4, -0.2, 0.0)})
    with pytest.raises(GeometryError, match=field):
        slice_level(model, level_id="L0", **kwargs)


# --- sections -------------------------------------------------------------------------------------


@pytest.mark.verification
@pytest.mark.parametrize("one_mesh", [True, False])
def test_overlapping_bodies_union(one_mesh: bool) -> None:
    """Two 2 x 2 squares overlapping by 1 x 1: union area 4 + 4 - 1 = 7 m^2."""
    a, b = _box(0, 2, 0, 2), _box(1, 3, 1, 3)
    meshes = [_join(a, b)] if one_mesh else [a, b]
    section = section_polygons(meshes, 0.5)
    assert section.area == pytest.approx(7.0, rel=1e-12)
    assert isinstance(section, Polygon)


@pytest.mark.verification
def test_touching_boxes_in_one_mesh_merge() -> None:
    """Three 1 x 1 boxes side by side sharing faces: one 3 x 1 rectangle."""
    mesh = _join(_box(0, 1, 0, 1), _box(1, 2, 0, 1), _box(2, 3, 0, 1))
    section = section_polygons([mesh], 0.5)
    assert section.equals(shapely.box(0, 0, 3, 1))


@pytest.mark.verification
def test_hole_in_a_body_stays_a_hole() -> None:
    """Closed wall loop around 10 x 5, 0.2 thick: section area 10.2 x 5.2 - 9.8 x 4.8 = 6 m^2."""
    ring = wall_mesh(
        path_m=[(0, 0), (10, 0), (10, 5), (0, 5), (0, 0)], height_m=3.0, thickness_m=0.2
    )
    section = section_polygons([ring], 1.5)
    assert section.area == pytest.approx(6.0, rel=1e-12)
    assert not section.contains(Point(5, 2.5))


@pytest.mark.verification
def test_island_inside_a_hole() -> None:
    """A column inside a walled courtyard: ring 6 m^2 plus column 1 m^2, courtyard free."""
    ring = wall_mesh(
        path_m=[(0, 0), (10, 0), (10, 5), (0, 5), (0, 0)], height_m=3.0, thickness_m=0.2
    )
    column = _box(4.5, 5.5, 2.0, 3.0, 0.0, 3.0)
    section = section_polygons([_join(ring, column)], 1.0)
    assert section.area == pytest.approx(7.0, rel=1e-12)
    assert section.contains(Point(5, 2.5))
    assert not section.contains(Point(2, 2.5))


def test_inside_out_mesh_gives_the_same_section() -> None:
    box = _box(0, 2, 0, 3)
    box.invert()
    assert section_polygons([box], 0.5).area == pytest.approx(6.0)


def test_inconsistent_winding_falls_back_to_closed_loops() -> None:
    """Two side triangles flipped: the cut no longer balances.

    The even-odd fallback still closes it.
    """
    box = _box(0, 2, 0, 3)
    faces = np.array(box.faces)
    side = np.flatnonzero(np.isclose(box.face_normals[:, 0], 1.0))
    faces[side] = faces[side][:, ::-1]
    broken = trimesh.Trimesh(box.vertices, faces, process=False)
    assert section_polygons([broken], 0.5).area == pytest.approx(6.0)


def test_open_cut_contributes_nothing() -> None:
    """A box missing one side: its cut is a U, which encloses no area."""
    box = _box(0, 2, 0, 3)
    keep = ~np.isclose(box.face_normals[:, 0], 1.0)
    open_box = trimesh.Trimesh(box.vertices, box.faces[keep], process=False)
    assert section_polygons([open_box], 0.5).is_empty


def test_plane_through_vertices_counts_as_just_below() -> None:
    """Box z in [0, 1]: cut at its top (1.0) gives the square, at its bottom (0.0) nothing."""
    box = _box(0, 2, 0, 2, 0.0, 1.0)
    assert section_polygons([box], 1.0).area == pytest.approx(4.0)
    assert section_polygons([box], 0.0).is_empty
    assert section_polygons([box], 1.5).is_empty
    assert section_polygons([], 0.5).is_empty


def test_section_rejects_non_finite_height() -> None:
    with pytest.raises(GeometryError, match="z_m = nan"):
        section_polygons([_box(0, 1, 0, 1)], float("nan"))


# --- floors ---------------------------------------------------------------------------------------


def test_floor_tolerance() -> None:
    """A slab top at 0.03 m counts as the floor at 0.0 with tolerance 0.05 but not 0.01."""
    slab = _box(0, 5, 0, 4, -0.2, 0.03)
    assert floor_polygons([slab], 0.0).area == pytest.approx(20.0)
    assert floor_polygons([slab], 0.0, tolerance_m=0.01).is_empty


@pytest.mark.verification
def test_floor_of_a_finely_tessellated_surface() -> None:
    """100 x 100 cells of 0.3 m as 20,000 triangles: a 30 x 30 m floor, 900 m^2."""
    n = 100
    xs = np.linspace(0.0, 30.0, n + 1)
    xx, yy = np.meshgrid(xs, xs)
    vertices = np.column_stack([xx.ravel(), yy.ravel(), np.zeros(xx.size)])
    idx = np.arange(xx.size).reshape(n + 1, n + 1)
    a, b, c, d = (
        idx[:-1, :-1].ravel(),
        idx[:-1, 1:].ravel(),
        idx[1:, 1:].ravel(),
        idx[1:, :-1].ravel(),
    )
    faces = np.concatenate([np.column_stack([a, b, c]), np.column_stack([a, c, d])])
    floor = floor_polygons([trimesh.Trimesh(vertices, faces)], 0.0)
    assert floor.equals(shapely.box(0, 0, 30, 30))


def test_overlapping_floor_faces_union() -> None:
    """Two overlapping slabs with tops at 0: 4 + 4 - 1 = 7 m^2."""
    mesh = _join(_box(0, 2, 0, 2, -0.2, 0.0), _box(1, 3, 1, 3, -0.2, 0.0))
    assert floor_polygons([mesh], 0.0).area == pytest.approx(7.0)
