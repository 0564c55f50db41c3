"""Tests of twin.runtime: walkable areas, navigation grids, voxels and solids.

Checked against hand computations on the small test site and on a mesh-based two-storey building.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from scipy import ndimage

from geometry.floor_plan import FloorPlan
from geometry.grid import Grid2D, Grid3D, rasterise
from geometry.mesh_io import save_mesh
from geometry.navigation_grid import opening_strip
from geometry.voxels import voxelise
from twin import SiteFileError, SiteView, UnknownIdError, load_site, site_view

GEOMETRY_CONFTEST = Path(__file__).resolve().parents[1] / "geometry" / "conftest.py"

#: Walkable area of the office, m^2 (see test_office_walkable_area_by_hand).
OFFICE_WALKABLE_M2 = 75.2


def _polygon_circle_area_m2(radius_m: float, segments: int = 48) -> float:
    """Area of a regular ``segments``-gon inscribed in a circle: n/2 r^2 sin(2 pi / n)."""
    return 0.5 * segments * radius_m**2 * math.sin(2.0 * math.pi / segments)


@pytest.fixture
def small_view(small_site_path: Path) -> SiteView:
    return load_site(small_site_path).view()


@pytest.mark.verification
def test_office_walkable_area_by_hand(small_view: SiteView) -> None:
    """Office plan 10 m x 8 m with 0.2 m walls on the outline and an inner wall at x = 6:

    inside the outer walls 9.8 x 7.8 = 76.44; inner wall 0.2 x 7.8 = 1.56 less its door gap 0.2 x 1
    = 0.2;
    the exit gap adds the inner half-wall 1.2 x 0.1 = 0.12: 76.44 - 1.56 + 0.2 + 0.12 = 75.2 m^2,
    one connected region (the door joins the rooms).
    """
    level = small_view.level("office/L0")
    assert level.walkable_area_m2 == pytest.approx(OFFICE_WALKABLE_M2, abs=1e-9)
    assert len(level.regions) == 1
    assert level.walkable.bounds == pytest.approx((20.1, 10.0, 29.9, 17.9))


@pytest.mark.verification
def test_outdoor_walkable_area_by_hand(small_view: SiteView) -> None:
    """Fence 60 x 40 = 2400 m^2, less the office footprint (10.2 x 8.2 = 83.64 with the
    1.2 x 0.1 exit notch given back: 83.52), the tank cut at 1 m (48-gon of radius 4 m:
    24 * 16 * sin(7.5 deg)) and the bund wall (14 x 0.3 = 4.2 m^2)."""
    expected = 2400.0 - 83.52 - _polygon_circle_area_m2(4.0) - 4.2
    level = small_view.outdoor_level
    assert level.id == "outdoor"
    assert level.elevation_m == 0.0
    assert level.walkable_area_m2 == pytest.approx(expected, abs=1e-6)
    assert small_view.obstacle_section.area == pytest.approx(
        _polygon_circle_area_m2(4.0) + 4.2, abs=1e-6
    )


def test_building_plan_carries_site_openings_and_rooms(small_view: SiteView) -> None:
    plan = small_view.building_plan("office")
    assert isinstance(plan, FloorPlan)
    assert [lv.id for lv in plan.levels] == ["L0"]
    assert [(o.id, o.kind, o.level_id) for o in plan.openings] == [
        ("D1", "door", "L0"),
        ("E1", "exit", "L0"),
    ]
    assert [r.id for r in plan.rooms] == ["R1", "R2"]
    assert [o.id for o in plan.exits] == ["E1"]
    assert small_view.building_plan("office") is plan  # cached
    with pytest.raises(UnknownIdError, match=r"building = 'nope'.*choose one of \['office'\]"):
        small_view.building_plan("nope")


def test_exits_list_building_exits_then_gates(small_view: SiteView) -> None:
    assert [
        (e.level_key, e.opening.id, e.opening.kind, e.building_id) for e in small_view.exits
    ] == [
        ("office/L0", "E1", "exit", "office"),
        ("outdoor", "G1", "gate", None),
    ]
    assert small_view.level_keys == ["office/L0", "outdoor"]
    for key in ("office/L9", "office", "nope/L0"):
        with pytest.raises(UnknownIdError, match=r"choose one of \['office/L0', 'outdoor'\]"):
            small_view.level(key)


@pytest.mark.verification
@pytest.mark.parametrize("cell_m", [0.5, 0.25])
def test_navigation_grid_cell_count_matches_area(small_view: SiteView, cell_m: float) -> None:
    """Walkable cells x cell^2 equals the walkable area within the boundary error: at most the cells
    the boundary crosses, perimeter / cell of them, each counted in or out wrongly."""
    for key in ("office/L0", "outdoor"):
        grid, mask = small_view.navigation_grid(key, cell_m)
        level = small_view.level(key)
        assert isinstance(grid, Grid2D)
        assert mask.shape == grid.shape
        assert mask.dtype == bool
        assert not mask.flags.writeable
        boundary_cells = level.walkable.length / cell_m
        assert abs(mask.sum() - level.walkable_area_m2 / cell_m**2) <= boundary_cells
        assert small_view.navigation_grid(key, cell_m)[1] is mask  # cached


def test_navigation_grid_default_cell_and_padding(small_view: SiteView) -> None:
    grid, mask = small_view.navigation_grid("outdoor")
    assert grid.cell_size_m == 0.5
    assert grid.bounds_m[0] <= -0.5
    assert grid.bounds_m[2] >= 60.5
    assert not mask[0].any()
    assert not mask[:, 0].any()


def test_navigation_grids_join_rooms_exit_and_gate(small_view: SiteView) -> None:
    """Office: both rooms in one 4-connected component holding the exit's cells (the door D1 is
    carved through the inner wall). Outdoors: the exit E1 is carved too, and its cells share a
    component with the gate G1's."""

    def strip_cells(segment: list[list[float]], grid: Grid2D) -> np.ndarray:
        return rasterise(opening_strip(np.array(segment), half_depth_m=0.65), grid)

    grid, mask = small_view.navigation_grid("office/L0")
    labels, count = ndimage.label(mask)
    assert count == 1
    assert (mask & strip_cells([[24.0, 10.0], [25.2, 10.0]], grid)).any()
    grid, mask = small_view.navigation_grid("outdoor")
    labels, _ = ndimage.label(mask)
    exit_labels = set(labels[mask & strip_cells([[24.0, 10.0], [25.2, 10.0]], grid)].tolist())
    gate_labels = set(labels[mask & strip_cells([[28.0, 0.0], [32.0, 0.0]], grid)].tolist())
    assert exit_labels & gate_labels


def test_solid_meshes_are_watertight_with_the_nominal_volumes(small_view: SiteView) -> None:
    solids = small_view.solid_meshes
    assert sorted(solids) == ["T1", "W1", "office"]
    assert all(m.is_watertight for m in solids.values())
    assert solids["T1"].volume == pytest.approx(math.pi * 16 * 12, rel=0.01)
    assert solids["W1"].volume == pytest.approx(14 * 0.3 * 1.2, rel=1e-6)
    assert solids["office"].volume == pytest.approx(
        83.52 * 3.0, rel=1e-6
    )  # footprint x storey height


@pytest.mark.verification
def test_tank_voxels_cover_the_cylinder(small_site_dir: Path) -> None:
    """A tank alone (diameter 8 m, height 12 m, a 48-gon: 24 r^2 sin(7.5 deg) h = 601.4 m^3).

    At 0.25 m cells the tank spans 12 / 0.25 = 48 whole layers from z = 0. The overlap rule keeps
    every cell the tank reaches into, so the voxel volume is at least the tank's, and each such
    cell lies within a cell diagonal of the tank in plan: at most pi (r + 0.25 sqrt 2)^2 h =
    714.5 m^3.
    """
    data = yaml.safe_load((small_site_dir / "site.yaml").read_text())
    data["buildings"] = []
    data["structures"] = []
    data["zones"] = []
    path = small_site_dir / "tank.yaml"
    path.write_text(yaml.safe_dump(data))
    view = load_site(path).view()
    grid, solid = view.obstacle_voxels(0.25)
    assert isinstance(grid, Grid3D)
    assert solid.shape == grid.shape
    assert not solid.flags.writeable
    volume = solid.sum() * 0.25**3
    assert _polygon_circle_area_m2(4.0) * 12.0 <= volume
    assert volume <= math.pi * (4.0 + 0.25 * math.sqrt(2.0)) ** 2 * 12.0
    assert solid[:48].any(axis=(1, 2)).all()
    assert not solid[48:].any()
    assert grid.origin_z_m == 0.0
    assert grid.nz == math.ceil(20.0 / 0.25)
    assert grid.plan.origin_m == (-5.0, -5.0)  # fence bounds minus grids.margin_m


@pytest.fixture(scope="module")
def lng_view(lng_site_file: Path) -> SiteView:
    return load_site(lng_site_file).view()


@pytest.mark.verification
def test_control_building_voxels_hold_its_envelope(lng_view: SiteView) -> None:
    """Control building of the sample LNG site: footprint x [300, 340], y [170, 190] (40 x 20 m),
    lowest floor z = 0, mesh top z = 7.8 m: envelope 40 x 20 x 7.8 = 6240 m^3.

    Hand bound: under the overlap rule each dimension of a box of length L is covered by cells
    spanning at least L and less than L + h, so at 2 m cells the voxel volume lies in
    [6240, 42 x 22 x 9.8 = 9055.2] m^3. Here the footprint lies on cell faces (grid from
    -50 m): 20 x 10 columns, and 4 layers (z [0, 8]): 800 cells = 6400 m^3. Before the envelope and
    the overlap rule, the building's thin walls and slabs gave 6 cells.
    """
    envelope = lng_view.building_envelope("control")
    assert envelope.is_watertight
    assert envelope.volume == pytest.approx(40 * 20 * 7.8, rel=1e-6)
    grid, solid = lng_view.obstacle_voxels(2.0)
    own = voxelise([envelope], grid)
    volume_m3 = own.sum() * 2.0**3
    assert 40 * 20 * 7.8 <= volume_m3 <= 42 * 22 * 9.8
    assert int(own.sum()) == 800
    assert not (own & ~solid).any()
    (j0, i0), (j1, i1) = grid.plan.cell_of(np.array([[300.5, 170.5], [339.5, 189.5]]))
    assert solid[:4, j0 : j1 + 1, i0 : i1 + 1].all()


@pytest.mark.verification
def test_pipe_rack_voxels_fill_the_layers_it_spans(lng_view: SiteView) -> None:
    """Pipe rack R1 of the sample LNG site: a box 6 x 86 m, 1.5 m deep at z [5, 6.5] (x [447, 453],
    y [457, 543]). At 2 m cells from z = 0 it reaches into layers 2 (z [4, 6]) and 3 (z [6, 8]);
    in plan, from -50 m, columns 248..251 and rows 253..296: 2 x 4 x 44 = 352 cells, all solid in
    the obstacle voxels (before: none, its depth falling between the layer centres z = 5 and 7)."""
    grid, solid = lng_view.obstacle_voxels(2.0)
    assert grid.plan.origin_m == (-50.0, -50.0)
    assert solid[2:4, 253:297, 248:252].all()
    rack = voxelise([lng_view.item_solid("R1")], grid)
    assert int(rack.sum()) == 352
    assert np.flatnonzero(rack.any(axis=(1, 2))).tolist() == [2, 3]


def test_obstacle_voxels_skip_non_obstacles(small_site_dir: Path) -> None:
    data = yaml.safe_load((small_site_dir / "site.yaml").read_text())
    data["equipment"][0]["is_obstacle"] = False
    path = small_site_dir / "ghost.yaml"
    path.write_text(yaml.safe_dump(data))
    view = load_site(path).view()
    _, solid = view.obstacle_voxels(1.0)
    tank_column = view.obstacle_voxels(1.0)[0].plan.cell_of(np.array([[45.0, 25.0]]))[0]
    assert not solid[:, tank_column[0], tank_column[1]].any()
    assert "T1" in view.solid_meshes  # still a solid, just not an obstacle


def test_summary_is_json_ready(small_view: SiteView) -> None:
    summary = small_view.summary()
    again = json.loads(json.dumps(summary))
    assert again["name"] == "Small test site"
    assert again["population_by_shift"] == {"day": 7, "night": 1}
    office = again["buildings"][0]
    assert office["people_by_shift"] == {"day": 5, "night": 1}
    assert office["levels"][0]["walkable_area_m2"] == pytest.approx(OFFICE_WALKABLE_M2)
    assert office["levels"][0]["exits"] == ["E1"]
    assert [e["id"] for e in again["equipment"]] == ["T1"]
    assert again["inventory_kg_by_fluid"] == {"methane": 250000.0}
    assert [d["kind"] for d in again["detectors"]] == ["gas"]
    assert sum(d["count"] for d in again["detectors"]) == 1
    assert again["fence_area_m2"] == 2400.0


def test_site_view_is_cached_on_the_site(small_site_path: Path) -> None:
    site = load_site(small_site_path)
    assert site.view() is site.view() is site_view(site)


# --------------------------------------------------------------------------- mesh-based building


def _two_storey() -> Any:
    spec = importlib.util.spec_from_file_location("_geometry_conftest", GEOMETRY_CONFTEST)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.build_two_storey_building()


def _mesh_site(tmp_path: Path, *, with_stair: bool = True) -> Path:
    """The two-storey test building (20 x 10 m) placed at (10, 10) in a 60 x 40 m site."""
    building = _two_storey()
    save_mesh(building.parts, tmp_path / "hall.glb")
    stairs = (
        [
            {
                "id": "S1",
                "lower_level": "L0",
                "upper_level": "L1",
                "bottom_m": [[24.25, 17.0], [24.25, 19.0]],
                "top_m": [[29.0, 17.0], [29.0, 19.0]],
                "width_m": 2.0,
                "length_m": 4.75,
            }
        ]
        if with_stair
        else []
    )
    site = {
        "schema_version": 1,
        "name": "Mesh site",
        "fence": {
            "polygon_m": [[0.0, 0.0], [60.0, 0.0], [60.0, 40.0], [0.0, 40.0]],
            "gates": [{"id": "G1", "segment_m": [[40.0, 0.0], [44.0, 0.0]]}],
        },
        "buildings": [
            {
                "id": "hall",
                "mesh": {"file": "hall.glb", "offset_m": [10.0, 10.0, 0.0]},
                "levels": [
                    {"id": "L0", "elevation_m": 0.0, "height_m": 3.5},
                    {"id": "L1", "elevation_m": 3.5},
                ],
                "rooms": [
                    {
                        "id": "up_west",
                        "level": "L1",
                        "polygon_m": [[10.2, 10.2], [19.9, 10.2], [19.9, 19.8], [10.2, 19.8]],
                        "occupancy": {"day": 4},
                    },
                ],
                "doors": [
                    {"id": "D0", "level": "L0", "segment_m": [[20.0, 14.5], [20.0, 15.5]]},
                    {"id": "D1", "level": "L1", "segment_m": [[20.0, 14.5], [20.0, 15.5]]},
                ],
                "exits": [{"id": "E1", "level": "L0", "segment_m": [[14.0, 10.0], [15.0, 10.0]]}],
                "stairs": stairs,
            }
        ],
        "muster_points": [{"id": "M1", "position_m": [5.0, 5.0]}],
    }
    path = tmp_path / "mesh_site.yaml"
    path.write_text(yaml.safe_dump(site, sort_keys=False))
    return path


@pytest.mark.verification
def test_mesh_building_levels_by_hand(tmp_path: Path) -> None:
    """Walkable areas of the sliced two-storey building: 179.64 m^2 (ground) and 180.44 m^2 (upper),
    computed by hand in tests/geometry/conftest.py; the footprint is the full 20 x 10 m outline. GLB
    stores float32 coordinates (about 1e-6 m here), hence the 1e-3 m^2 tolerance."""
    building = _two_storey()
    view = load_site(_mesh_site(tmp_path)).view()
    plan = view.building_plan("hall")
    areas = [lv.walkable_area_m2 for lv in plan.levels]
    assert areas == pytest.approx(list(building.walkable_area_m2), abs=1e-3)
    (stair,) = plan.stairs
    assert stair.rise_m == pytest.approx(3.5)
    assert view.building_footprint("hall").area == pytest.approx(200.0, abs=1e-3)
    assert view.outdoor_level.walkable_area_m2 == pytest.approx(2400.0 - 200.0, abs=1e-3)
    bounds = view.solid_meshes["hall"].bounds
    np.testing.assert_allclose(bounds, [[10.0, 10.0, -0.2], [30.0, 20.0, 6.7]], atol=1e-5)


def test_upper_room_without_a_stair_cannot_reach_the_exit(tmp_path: Path) -> None:
    with pytest.raises(SiteFileError, match="cannot reach any exit") as info:
        load_site(_mesh_site(tmp_path, with_stair=False))
    (issue,) = info.value.issues
    assert issue.element_id == "up_west"
    assert issue.line is not None


def test_plan_file_openings_serve_when_the_site_file_lists_none(small_site_dir: Path) -> None:
    """A WKT plan with its own exit: with no exits in the site file, the plan's exit is used."""
    wkt = [
        "floor; POLYGON ((0 0, 4 0, 4 3, 0 3, 0 0))",
        "wall; LINESTRING (0 0, 4 0, 4 3, 0 3, 0 0)",
        "exit:HX; LINESTRING (1 0, 2 0)",
    ]
    (small_site_dir / "hut.wkt").write_text("\n".join(wkt) + "\n")
    data = yaml.safe_load((small_site_dir / "site.yaml").read_text())
    data["buildings"].append(
        {
            "id": "hut",
            "levels": [
                {"id": "L0", "elevation_m": 0.0, "plan": {"file": "hut.wkt", "offset_m": [5, 30]}}
            ],
        }
    )
    path = small_site_dir / "hut.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    plan = load_site(path).view().building_plan("hut")
    ((exit_id, kind, segment),) = [(o.id, o.kind, o.segment_m.tolist()) for o in plan.openings]
    assert (exit_id, kind) == ("HX", "exit")
    assert segment == [[6.0, 30.0], [7.0, 30.0]]


def test_grids_summary_counts_the_cached_grids(small_view: SiteView) -> None:
    grids = small_view.grids_summary()
    by_level = {g["level"]: g for g in grids["navigation"]}
    assert sorted(by_level) == sorted(small_view.level_keys)
    grid, mask = small_view.navigation_grid("office/L0")
    assert by_level["office/L0"]["walkable_cells"] == int(mask.sum())
    assert by_level["office/L0"]["shape"] == list(grid.shape)
    grid3, solid = small_view.obstacle_voxels()
    assert grids["voxels"]["solid_cells"] == int(solid.sum())
    assert grids["voxels"]["solid_volume_m3"] == pytest.approx(solid.sum() * grid3.cell_size_m**3)
