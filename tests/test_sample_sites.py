"""The shipped sample sites: valid site files, reproducible meshes and a coherent layout.

Evidence kinds: schema validation; regression (``examples/build_sample_sites.py --check`` compares
bytes; head counts); hand-computed inventories; geometric consistency of the building meshes, sliced
here at floor level and 1 m above it, with the rooms, doors, exits and stairs of the site files.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import cast

import numpy as np
import pytest
import shapely
import trimesh
import yaml
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import polygonize, unary_union

import twin
from geometry.floor_plan import Opening, check_opening_on_boundary
from twin.schema import BuildingSpec, EquipmentSpec, SiteFile, StructureSpec

ROOT = Path(__file__).resolve().parents[1]
SITES_DIR = ROOT / "examples" / "sites"
SITE_NAMES = ("lng_terminal", "ammonia_plant")
BODY_HEIGHT_M = 1.0


@cache
def _builder() -> ModuleType:
    path = ROOT / "examples" / "build_sample_sites.py"
    spec = importlib.util.spec_from_file_location("build_sample_sites", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


@cache
def _site(name: str) -> SiteFile:
    text = (SITES_DIR / name / "site.yaml").read_text(encoding="utf-8")
    return SiteFile.model_validate(yaml.safe_load(text))


@cache
def _scene(name: str, mesh_file: str) -> trimesh.Scene:
    scene = trimesh.load(SITES_DIR / name / mesh_file, force="scene")
    assert isinstance(scene, trimesh.Scene)
    return scene


def _node_meshes(scene: trimesh.Scene) -> Iterator[tuple[str, trimesh.Trimesh]]:
    for node in scene.graph.nodes_geometry:
        transform, geom_name = scene.graph[node]
        yield node, scene.geometry[geom_name].copy().apply_transform(transform)


def _section(scene: trimesh.Scene, z_m: float) -> Polygon | MultiPolygon:
    """Union of the closed cross-sections of every part at height ``z_m``, m."""
    polys = []
    for _, mesh in _node_meshes(scene):
        lo, hi = mesh.bounds[:, 2]
        if not lo < z_m < hi:
            continue
        mesh_plane = cast(Callable[..., NDArray[np.float64]], trimesh.intersections.mesh_plane)
        segments = mesh_plane(mesh, [0.0, 0.0, 1.0], [0.0, 0.0, z_m])
        # The two triangles sharing an edge may cut it a rounding error apart: snap before noding.
        lines = [
            LineString(seg)
            for seg in np.round(segments[:, :, :2], 5)
            if not np.allclose(seg[0], seg[1])
        ]
        found = list(polygonize(lines))
        assert found, f"part section at z = {z_m} m is not closed"
        polys.extend(found)
    return unary_union(polys)


@cache
def _walkable(name: str, building_id: str, level_id: str) -> Polygon | MultiPolygon:
    """Walkable region of a level, site m: floor slab minus the solids cut at body height."""
    site = _site(name)
    b = next(b for b in site.buildings if b.id == building_id)
    assert b.mesh is not None
    lv = next(lv for lv in b.levels if lv.id == level_id)
    scene = _scene(name, b.mesh.file)
    floor = _section(scene, lv.elevation_m - 0.1)
    solids = _section(scene, lv.elevation_m + BODY_HEIGHT_M)
    walkable = floor.difference(solids)
    return shapely.affinity.translate(walkable, xoff=b.mesh.offset_m[0], yoff=b.mesh.offset_m[1])


def _buildings() -> list[tuple[str, str]]:
    return [(name, b.id) for name in SITE_NAMES for b in _site(name).buildings]


def _levels() -> list[tuple[str, str, str]]:
    return [
        (name, b.id, lv.id) for name in SITE_NAMES for b in _site(name).buildings for lv in b.levels
    ]


def _building(name: str, building_id: str) -> BuildingSpec:
    return next(b for b in _site(name).buildings if b.id == building_id)


def _footprint(item: EquipmentSpec | StructureSpec) -> Polygon | None:
    """Plan footprint of a solid that stands across body height, else None."""
    shape = item.shape
    x, y, z = item.position_m
    if shape.type == "cylinder":
        return (
            Point(x, y).buffer(shape.diameter_m / 2)
            if z < BODY_HEIGHT_M < z + shape.height_m
            else None
        )
    if shape.type == "box":
        dx, dy, dz = shape.size_m
        return (
            shapely.box(x - dx / 2, y - dy / 2, x + dx / 2, y + dy / 2)
            if z < BODY_HEIGHT_M < z + dz
            else None
        )
    if shape.type == "wall":
        return LineString(shape.path_m).buffer(shape.thickness_m / 2, cap_style="flat")
    return None  # pipes run overhead in these sites


def _ground_obstacles(site: SiteFile) -> Polygon | MultiPolygon:
    items: list[EquipmentSpec | StructureSpec] = [*site.equipment, *site.structures]
    return unary_union(
        [fp for it in items if it.is_obstacle and (fp := _footprint(it)) is not None]
    )


# --- the files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITE_NAMES)
def test_site_file_validates_against_the_schema(name: str) -> None:
    site = _site(name)
    assert site.schema_version == 1
    assert site.origin is not None
    assert {s.id for s in site.shifts} == {"day", "night"}


def test_shipped_sites_match_a_fresh_build() -> None:
    """Regression: rebuilding gives byte-identical site files and GLB meshes."""
    assert _builder().check_sites(SITES_DIR) == []


def test_check_reports_changed_files(tmp_path: Path) -> None:
    builder = _builder()
    assert builder.main(["--out", str(tmp_path)]) == 0
    assert builder.main(["--out", str(tmp_path), "--check"]) == 0
    site_file = tmp_path / "ammonia_plant" / "site.yaml"
    site_file.write_text(site_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    mesh_file = tmp_path / "ammonia_plant" / "meshes" / "offices.glb"
    scene = trimesh.load(mesh_file, force="scene")
    assert isinstance(scene, trimesh.Scene)
    scene.geometry["slab_L0"].vertices[0] += 0.01
    mesh_file.write_bytes(scene.export(file_type="glb"))  # type: ignore[no-untyped-call]
    assert builder.check_sites(tmp_path) == [
        "differs: ammonia_plant/meshes/offices.glb",
        "differs: ammonia_plant/site.yaml",
    ]
    assert builder.main(["--out", str(tmp_path), "--check"]) == 1


def test_meshes_are_small_enough_for_the_repository() -> None:
    total = sum(p.stat().st_size for p in SITES_DIR.rglob("*.glb"))
    assert total < 3_000_000


@pytest.mark.parametrize(("name", "building_id"), _buildings())
def test_building_mesh_loads_with_named_closed_parts(name: str, building_id: str) -> None:
    b = _building(name, building_id)
    assert b.mesh is not None
    assert b.mesh.up_axis == "z"
    parts = dict(_node_meshes(_scene(name, b.mesh.file)))
    for lv in b.levels:
        assert any(n == f"slab_{lv.id}" or n.startswith(f"slab_{lv.id}_") for n in parts)
        assert any(n.startswith("wall_ext_south_" + lv.id) for n in parts)
    for stair in b.stairs:
        assert f"stair_{stair.id.removeprefix(b.id + '_stair_')}" in parts
    for part, mesh in parts.items():
        assert mesh.is_watertight, part
        assert mesh.volume > 0, part


def test_expected_parts_are_present() -> None:
    control = {n for n, _ in _node_meshes(_scene("lng_terminal", "meshes/control.glb"))}
    assert {
        "slab_L0",
        "stair_A",
        "stair_B",
        "wall_ext_south_L0_1",
        "wall_int_corridor_s_L1_2",
    } <= control
    warehouse = {n for n, _ in _node_meshes(_scene("ammonia_plant", "meshes/warehouse.glb"))}
    assert sum(n.startswith("rack_") for n in warehouse) == 32
    machine_room = {n for n, _ in _node_meshes(_scene("ammonia_plant", "meshes/machine_room.glb"))}
    assert {"equip_R-1", "equip_K-3", "equip_P-2"} <= machine_room
    tank = _scene("lng_terminal", "meshes/lng_tank.glb")
    (mesh,) = [m for _, m in _node_meshes(tank)]
    assert mesh.is_watertight
    np.testing.assert_allclose(mesh.bounds, [[-45, -45, 0], [45, 45, 50]], atol=0.01)


# --- what the sites hold ----------------------------------------------------------------------


def _population(site: SiteFile, shift: str) -> int:
    indoor = sum(r.occupancy.get(shift, 0) for b in site.buildings for r in b.rooms)
    return indoor + sum(z.occupancy.get(shift, 0) for z in site.zones)


@pytest.mark.parametrize(
    ("name", "shift", "people"),
    [
        ("lng_terminal", "day", 406),
        ("lng_terminal", "night", 34),
        ("ammonia_plant", "day", 120),
        ("ammonia_plant", "night", 19),
    ],
)
def test_population_totals(name: str, shift: str, people: int) -> None:
    """Regression on the designed head counts (day shift 300-450 on the LNG terminal)."""
    assert _population(_site(name), shift) == people


@pytest.mark.verification
def test_lng_tank_inventory() -> None:
    """160,000 m3 net volume * 0.9 fill * 450 kg/m3 = 64,800,000 kg per tank."""
    tanks = [e for e in _site("lng_terminal").equipment if e.kind == "storage_tank"]
    assert len(tanks) == 2
    for tank in tanks:
        assert tank.inventory_kg == pytest.approx(160_000 * 0.9 * 450, rel=0.01)
        assert tank.composition == pytest.approx(
            {"methane": 0.92, "ethane": 0.06, "propane": 0.015, "nitrogen": 0.005}
        )
        assert tank.temperature_k == pytest.approx(111, abs=2)


@pytest.mark.verification
def test_unloading_line_inventory_is_its_volume_of_lng() -> None:
    """pi/4 * 0.8^2 m2 * L * 450 kg/m3; L = 20 + 26.2 + 80 + 110 + 33 + 42 = 311 m of polyline."""
    line = next(e for e in _site("lng_terminal").equipment if e.id == "UL-1")
    assert line.shape.type == "pipe"
    path = np.asarray(line.shape.path_m)
    length_m = float(np.sum(np.linalg.norm(np.diff(path, axis=0), axis=1)))
    assert 300 < length_m < 320
    assert line.shape.diameter_m == pytest.approx(0.8)
    assert line.inventory_kg == pytest.approx(math.pi / 4 * 0.8**2 * length_m * 450, rel=0.01)
    assert line.pressure_pa == pytest.approx(0.5e6)
    assert [v.closure_time_s for v in line.valves] == [20.0, 25.0, 30.0]


def test_site_counts() -> None:
    lng, nh3 = _site("lng_terminal"), _site("ammonia_plant")
    kinds = {e.kind for e in lng.equipment}
    assert {
        "storage_tank",
        "pipe_segment",
        "loading_arm",
        "pump",
        "compressor",
        "vaporiser",
        "flare",
    } <= kinds
    methane_detectors = [d for d in lng.detectors if d.kind == "gas"]
    assert 12 <= len(methane_detectors) <= 20
    for d in methane_detectors:
        assert d.gas == "methane"
        assert 0.5 <= d.position_m[2] <= 1.0
        assert [a.fraction_of_lfl for a in d.alarm_levels] == [0.2, 0.6]
    assert any(d.kind == "flame" for d in lng.detectors)
    assert len(lng.fence.gates) == 3
    assert len(lng.muster_points) == 3
    assert {z.kind for z in lng.zones} >= {"jetty", "storage", "process", "admin", "parking"}
    control = next(b for b in lng.buildings if b.id == "control")
    assert (len(control.levels), len(control.stairs), len(control.exits)) == (2, 2, 3)
    ammonia_kg = sum(e.inventory_kg for e in nh3.equipment)
    assert 3_000 < ammonia_kg < 10_000
    warehouse = next(b for b in nh3.buildings if b.id == "warehouse")
    assert len(warehouse.exits) >= 4
    for d in nh3.detectors:
        assert d.gas == "ammonia"
        assert [a.volume_fraction for a in d.alarm_levels][:2] == [25e-6, 150e-6]
    assert len(nh3.fence.gates) == 2


# --- layout on the site ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITE_NAMES)
def test_everything_lies_inside_the_fence(name: str) -> None:
    site = _site(name)
    fence = Polygon(site.fence.polygon_m)
    assert fence.is_valid
    for gate in site.fence.gates:
        assert LineString(gate.segment_m).distance(fence.exterior) < 1e-9
        assert fence.exterior.buffer(1e-6).contains(LineString(gate.segment_m)), gate.id
    points = [(e.id, e.position_m[:2]) for e in site.equipment]
    points += [(d.id, d.position_m[:2]) for d in site.detectors]
    points += [(m.id, m.position_m) for m in site.muster_points]
    for ident, p in points:
        assert fence.covers(Point(p)), ident
    for e in site.equipment:
        if e.shape.type == "pipe":
            assert fence.covers(LineString([p[:2] for p in e.shape.path_m])), e.id
    for z in site.zones:
        assert fence.covers(Polygon(z.polygon_m)), z.id
    for c in site.congested_areas:
        assert fence.covers(Polygon(c.polygon_m)), c.id
    for b in site.buildings:
        for r in b.rooms:
            assert fence.covers(Polygon(r.polygon_m)), r.id


@pytest.mark.parametrize("name", SITE_NAMES)
def test_nothing_overlaps_a_building_and_exits_open_onto_free_ground(name: str) -> None:
    """A point 1 m outside each exit is on site, off every building and ground obstacle."""
    site = _site(name)
    fence = Polygon(site.fence.polygon_m)
    footprints = {}
    for b in site.buildings:
        assert b.mesh is not None
        scene = _scene(name, b.mesh.file)
        (x0, y0, _), (x1, y1, _) = scene.bounds
        ox, oy, _ = b.mesh.offset_m
        footprints[b.id] = shapely.box(x0 + ox, y0 + oy, x1 + ox, y1 + oy)
    obstacles = _ground_obstacles(site)
    items: list[EquipmentSpec | StructureSpec] = [*site.equipment, *site.structures]
    solids = [fp for it in items if it.is_obstacle and (fp := _footprint(it)) is not None]
    for b in site.buildings:
        # plant drawn inside the machine room belongs to it; outdoor plant must stay clear
        outdoor = unary_union([fp for fp in solids if not footprints[b.id].contains(fp)])
        assert not footprints[b.id].intersects(outdoor), b.id
        for other in site.buildings:
            if other.id != b.id:
                assert not footprints[b.id].intersects(footprints[other.id]), (b.id, other.id)
        for ex in b.exits:
            seg = np.asarray(ex.segment_m)
            mid = seg.mean(axis=0)
            direction = seg[1] - seg[0]
            normal = np.array([-direction[1], direction[0]]) / np.hypot(*direction)
            outside = [
                mid + s * normal
                for s in (1.0, -1.0)
                if not footprints[b.id].contains(Point(mid + s * normal))
            ]
            assert len(outside) == 1, ex.id
            p = Point(outside[0])
            assert fence.contains(p), ex.id
            assert not obstacles.contains(p), ex.id
            assert all(not fp.contains(p) for fp in footprints.values()), ex.id
    for m in site.muster_points:
        if m.kind == "muster":
            assert not obstacles.contains(Point(m.position_m)), m.id
            assert all(not fp.contains(Point(m.position_m)) for fp in footprints.values()), m.id
    for d in site.detectors:
        assert not obstacles.contains(Point(d.position_m[:2])) or d.position_m[2] > BODY_HEIGHT_M, (
            d.id
        )


@pytest.mark.parametrize(("name", "building_id", "level_id"), _levels())
def test_openings_and_rooms_fit_the_sliced_mesh(name: str, building_id: str, level_id: str) -> None:
    """Exits lie on the walkable boundary, doors span a wall gap, rooms are mostly walkable."""
    b = _building(name, building_id)
    walkable = _walkable(name, building_id, level_id)
    assert walkable.area > 0
    for ex in (e for e in b.exits if e.level == level_id):
        check_opening_on_boundary(
            Opening(id=ex.id, level_id=level_id, segment_m=np.asarray(ex.segment_m), kind="exit"),
            walkable,
        )
    for door in (d for d in b.doors if d.level == level_id):
        line = LineString(door.segment_m)
        assert walkable.buffer(1e-3).contains(line.centroid), door.id
        for end in door.segment_m:
            assert walkable.boundary.distance(Point(end)) < 0.05, door.id
    for room in (r for r in b.rooms if r.level == level_id):
        poly = Polygon(room.polygon_m)
        assert poly.intersection(walkable).area > 0.5 * poly.area, room.id


@pytest.mark.parametrize(("name", "building_id", "level_id"), _levels())
def test_every_walkable_region_reaches_an_exit_or_a_stair(
    name: str, building_id: str, level_id: str
) -> None:
    b = _building(name, building_id)
    walkable = _walkable(name, building_id, level_id)
    ways_out = [LineString(e.segment_m) for e in b.exits if e.level == level_id]
    ways_out += [LineString(s.bottom_m) for s in b.stairs if s.lower_level == level_id]
    ways_out += [LineString(s.top_m) for s in b.stairs if s.upper_level == level_id]
    regions = list(walkable.geoms) if isinstance(walkable, MultiPolygon) else [walkable]
    for region in regions:
        if region.area < 1.0:
            continue
        assert any(region.distance(w) < 0.25 for w in ways_out), (
            level_id,
            region.representative_point(),
        )


@pytest.mark.parametrize(
    ("name", "building_id"), [(n, b) for n, b in _buildings() if _building(n, b).stairs]
)
def test_stairs_join_their_levels(name: str, building_id: str) -> None:
    b = _building(name, building_id)
    levels = {lv.id: lv for lv in b.levels}
    for stair in b.stairs:
        lower, upper = levels[stair.lower_level], levels[stair.upper_level]
        assert upper.elevation_m - lower.elevation_m == pytest.approx(lower.height_m)
        bottom, top = np.asarray(stair.bottom_m), np.asarray(stair.top_m)
        assert np.hypot(*(bottom[1] - bottom[0])) == pytest.approx(stair.width_m)
        assert np.linalg.norm(bottom.mean(axis=0) - top.mean(axis=0)) == pytest.approx(
            stair.length_m
        )
        assert _walkable(name, b.id, lower.id).distance(Point(bottom.mean(axis=0))) < 0.25
        assert _walkable(name, b.id, upper.id).boundary.distance(LineString(top)) < 0.25
        # the flight solid climbs the full rise (its last riser steps onto the upper slab)
        assert b.mesh is not None
        parts = dict(_node_meshes(_scene(name, b.mesh.file)))
        flight = parts[f"stair_{stair.id.removeprefix(b.id + '_stair_')}"]
        assert flight.bounds[0, 2] == pytest.approx(lower.elevation_m, abs=1e-4)
        assert upper.elevation_m - 0.2 < flight.bounds[1, 2] < upper.elevation_m


@pytest.mark.parametrize(
    ("name", "day", "night"), [("lng_terminal", 406, 34), ("ammonia_plant", 120, 19)]
)
def test_twin_loads_the_site_with_its_geometry_checks(name: str, day: int, night: int) -> None:
    """The loader's checks pass: exits on walkable edges, rooms reach exits, exits reach gates."""
    site = twin.load_site(SITES_DIR / name / "site.yaml", check_geometry=True)
    summary = site.view().summary()
    assert summary["population_by_shift"] == {"day": day, "night": night}
    assert len(summary["buildings"]) == len(_site(name).buildings)
