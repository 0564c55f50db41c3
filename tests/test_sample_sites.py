"""The shipped sample sites: valid site files, reproducible meshes and plans, a coherent layout.

Evidence kinds: schema validation; regression (``examples/build_sample_sites.py --check`` compares
bytes; head counts); hand-computed inventories and walkable area (the DXF-drawn gatehouse);
file-format conventions (GLB meshes Y-up as glTF 2.0 specifies); geometric consistency of the
building meshes, sliced here at floor level and 1 m above it, and of the DXF plans, with the rooms,
doors, exits and stairs of the site files.
"""

from __future__ import annotations

import importlib.util
import json
import math
import struct
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import numpy as np
import pytest
import shapely
import trimesh
import yaml
from ezdxf.filemanagement import readfile as read_dxf
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import polygonize, unary_union
from typer.testing import CliRunner

import twin
from api.cli import app
from geometry.dxf_io import load_dxf_plan
from geometry.floor_plan import Opening, check_opening_on_boundary
from geometry.mesh_io import load_mesh
from geometry.plan_layers import PlanLayers
from twin.schema import BuildingSpec, EquipmentSpec, MeshRef, SiteFile, StructureSpec

ROOT = Path(__file__).resolve().parents[1]
SITES_DIR = ROOT / "examples" / "sites"
SITE_NAMES = ("lng_terminal", "ammonia_plant")
BODY_HEIGHT_M = 1.0

#: glTF 2.0 is Y-up: file (x, y, z) is building-local (x, -z, y), z up (+90 degrees about x).
GLTF_Y_UP_TO_Z_UP = np.array(
    [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, -1.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
)


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
    """The mesh file as written (file coordinates)."""
    scene = trimesh.load(SITES_DIR / name / mesh_file, force="scene")
    assert isinstance(scene, trimesh.Scene)
    return scene


def _node_meshes(scene: trimesh.Scene, up_axis: str) -> Iterator[tuple[str, trimesh.Trimesh]]:
    """Parts in local coordinates, z up, m: node transform, then the file's up axis turned."""
    up = GLTF_Y_UP_TO_Z_UP if up_axis == "y" else np.eye(4)
    for node in scene.graph.nodes_geometry:
        transform, geom_name = scene.graph[node]
        yield node, scene.geometry[geom_name].copy().apply_transform(up @ transform)


@cache
def _parts(name: str, ref: MeshRef) -> dict[str, trimesh.Trimesh]:
    """Parts of a referenced mesh, local coordinates (offset not applied), z up, m."""
    return dict(_node_meshes(_scene(name, ref.file), ref.up_axis))


def _section(parts: dict[str, trimesh.Trimesh], z_m: float) -> Polygon | MultiPolygon:
    """Union of the closed cross-sections of every part at height ``z_m``, m."""
    polys = []
    for mesh in parts.values():
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
def _plan(name: str, building_id: str, level_id: str) -> PlanLayers:
    """Read a level's DXF plan as the runtime does (plan offset, plan wall thickness), site m."""
    lv = next(lv for lv in _building(name, building_id).levels if lv.id == level_id)
    assert lv.plan is not None
    return load_dxf_plan(
        SITES_DIR / name / lv.plan.file,
        units=lv.plan.units,
        offset_m=lv.plan.offset_m,
        rotation_deg=lv.plan.rotation_deg,
        wall_thickness_m=lv.plan.wall_thickness_m,
    )


@cache
def _walkable(name: str, building_id: str, level_id: str) -> Polygon | MultiPolygon:
    """Walkable region of a level, site m: floor slab minus the solids cut at body height.

    A level drawn as a plan gives the plan's walkable region (floor - walls - obstacles).
    """
    b = _building(name, building_id)
    lv = next(lv for lv in b.levels if lv.id == level_id)
    if lv.plan is not None:
        return _plan(name, building_id, level_id).walkable
    assert b.mesh is not None
    parts = _parts(name, b.mesh)
    floor = _section(parts, lv.elevation_m - 0.1)
    solids = _section(parts, lv.elevation_m + BODY_HEIGHT_M)
    walkable = floor.difference(solids)
    return shapely.affinity.translate(walkable, xoff=b.mesh.offset_m[0], yoff=b.mesh.offset_m[1])


def _footprint_box(name: str, b: BuildingSpec) -> Polygon:
    """Bounding box of a building on the site, m: its mesh, or its plans' floors and walls."""
    if b.mesh is not None:
        bounds = np.vstack([m.bounds for m in _parts(name, b.mesh).values()])
        (x0, y0, _), (x1, y1, _) = bounds.min(axis=0), bounds.max(axis=0)
        ox, oy, _ = b.mesh.offset_m
        return shapely.box(x0 + ox, y0 + oy, x1 + ox, y1 + oy)
    plans = [_plan(name, b.id, lv.id) for lv in b.levels]
    return shapely.box(*unary_union([p.floor.union(p.walls) for p in plans]).bounds)


def _buildings() -> list[tuple[str, str]]:
    return [(name, b.id) for name in SITE_NAMES for b in _site(name).buildings]


def _mesh_buildings() -> list[tuple[str, str]]:
    return [(n, b) for n, b in _buildings() if _building(n, b).mesh is not None]


def _levels() -> list[tuple[str, str, str]]:
    return [
        (name, b.id, lv.id) for name in SITE_NAMES for b in _site(name).buildings for lv in b.levels
    ]


def _plan_levels() -> list[tuple[str, str, str]]:
    return [
        (n, b, lv)
        for n, b, lv in _levels()
        if next(x for x in _building(n, b).levels if x.id == lv).plan is not None
    ]


def _mesh_refs(site: SiteFile) -> list[MeshRef]:
    items: list[BuildingSpec | EquipmentSpec | StructureSpec] = [
        *site.buildings,
        *site.equipment,
        *site.structures,
    ]
    return [it.mesh for it in items if it.mesh is not None]


def _glb_json(path: Path) -> dict[str, Any]:
    """The JSON chunk of a binary glTF file (glTF 2.0 spec, section "GLB File Format")."""
    data = path.read_bytes()
    magic, version, _ = struct.unpack_from("<4sII", data, 0)
    chunk_length, chunk_type = struct.unpack_from("<I4s", data, 12)
    assert (magic, version, chunk_type) == (b"glTF", 2, b"JSON")
    return cast(dict[str, Any], json.loads(data[20 : 20 + chunk_length]))


def _building(name: str, building_id: str) -> BuildingSpec:
    return next(b for b in _site(name).buildings if b.id == building_id)


def _building_parts(name: str, building_id: str) -> dict[str, trimesh.Trimesh]:
    b = _building(name, building_id)
    assert b.mesh is not None
    return _parts(name, b.mesh)


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
    """Regression: rebuilding gives byte-identical site files, GLB meshes and DXF plans."""
    assert _builder().check_sites(SITES_DIR) == []


def test_check_reports_changed_files(tmp_path: Path) -> None:
    builder = _builder()
    assert builder.main(["--out", str(tmp_path)]) == 0
    assert builder.main(["--out", str(tmp_path), "--check"]) == 0
    # Saved again by ezdxf with today's dates and new GUIDs: other bytes, the same drawing.
    plan_file = tmp_path / "ammonia_plant" / "plans" / "gatehouse_L0.dxf"
    before = plan_file.read_bytes()
    doc = read_dxf(plan_file)
    doc.saveas(plan_file)
    assert plan_file.read_bytes() != before
    assert builder.check_sites(tmp_path) == []

    site_file = tmp_path / "ammonia_plant" / "site.yaml"
    site_file.write_text(site_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    mesh_file = tmp_path / "ammonia_plant" / "meshes" / "offices.glb"
    scene = trimesh.load(mesh_file, force="scene")
    assert isinstance(scene, trimesh.Scene)
    scene.geometry["slab_L0"].vertices[0] += 0.01
    mesh_file.write_bytes(scene.export(file_type="glb"))  # type: ignore[no-untyped-call]
    wall = next(e for e in doc.modelspace() if e.dxf.layer == "WALLS")
    wall.dxf.end = (wall.dxf.end[0], wall.dxf.end[1] + 0.01)
    doc.saveas(plan_file)
    assert builder.check_sites(tmp_path) == [
        "differs: ammonia_plant/meshes/offices.glb",
        "differs: ammonia_plant/plans/gatehouse_L0.dxf",
        "differs: ammonia_plant/site.yaml",
    ]
    assert builder.main(["--out", str(tmp_path), "--check"]) == 1


def test_meshes_and_plans_are_small_enough_for_the_repository() -> None:
    assert sum(p.stat().st_size for p in SITES_DIR.rglob("*.glb")) < 3_000_000
    assert sum(p.stat().st_size for p in SITES_DIR.rglob("*.dxf")) < 100_000


@pytest.mark.parametrize("name", SITE_NAMES)
def test_meshes_are_gltf_y_up_in_metres(name: str) -> None:
    """glTF 2.0 convention: +y up, metres, so viewers show the buildings upright.

    Every mesh reference says ``up_axis: y`` and ``units: m``; the axes are turned in the vertices
    (no node carries a transform); the file's height runs along +y from the slab underside (-0.2 m)
    or the tank base (0 m); and the loader's Y-up conversion is this test's
    ``(x, y, z)_file -> (x, -z, y)``.
    """
    refs = _mesh_refs(_site(name))
    assert refs
    for ref in refs:
        assert (ref.up_axis, ref.units) == ("y", "m"), ref.file
        gltf = _glb_json(SITES_DIR / name / ref.file)
        assert gltf["asset"]["version"] == "2.0"
        for node in gltf["nodes"]:
            assert not {"matrix", "rotation", "scale", "translation"} & set(node), node
        raw = np.asarray(_scene(name, ref.file).bounds)
        assert raw[0, 1] in (pytest.approx(-0.2, abs=1e-6), pytest.approx(0.0, abs=1e-6))
        bounds = np.vstack([m.bounds for m in _parts(name, ref).values()])
        mine = np.array([bounds.min(axis=0), bounds.max(axis=0)])
        loaded = load_mesh(SITES_DIR / name / ref.file, up_axis=ref.up_axis).bounds_m
        np.testing.assert_allclose(loaded, mine, atol=1e-9)
        np.testing.assert_allclose(mine[:, 2], raw[:, 1], atol=1e-9)  # height: file y
        np.testing.assert_allclose(mine[:, 1], -raw[::-1, 2], atol=1e-9)  # north: file -z


@pytest.mark.parametrize(("name", "building_id"), _mesh_buildings())
def test_building_mesh_loads_with_named_closed_parts(name: str, building_id: str) -> None:
    b = _building(name, building_id)
    assert b.mesh is not None
    parts = _parts(name, b.mesh)
    for lv in b.levels:
        assert lv.plan is None
        assert any(n == f"slab_{lv.id}" or n.startswith(f"slab_{lv.id}_") for n in parts)
        assert any(n.startswith("wall_ext_south_" + lv.id) for n in parts)
    for stair in b.stairs:
        assert f"stair_{stair.id.removeprefix(b.id + '_stair_')}" in parts
    for part, mesh in parts.items():
        assert mesh.is_watertight, part
        assert mesh.volume > 0, part


def test_expected_parts_are_present() -> None:
    lng, nh3 = _site("lng_terminal"), _site("ammonia_plant")
    control = set(_building_parts("lng_terminal", "control"))
    assert {
        "slab_L0",
        "stair_A",
        "stair_B",
        "wall_ext_south_L0_1",
        "wall_int_corridor_s_L1_2",
    } <= control
    warehouse = set(_building_parts("ammonia_plant", "warehouse"))
    assert sum(n.startswith("rack_") for n in warehouse) == 32
    machine_room = set(_building_parts("ammonia_plant", "machine_room"))
    assert {"equip_R-1", "equip_K-3", "equip_P-2"} <= machine_room
    tank_ref = next(e.mesh for e in lng.equipment if e.id == "T-1")
    assert tank_ref is not None
    np.testing.assert_allclose(
        _scene("lng_terminal", tank_ref.file).bounds, [[-45, 0, -45], [45, 50, 45]], atol=0.01
    )
    (mesh,) = _parts("lng_terminal", tank_ref).values()
    assert mesh.is_watertight
    np.testing.assert_allclose(mesh.bounds, [[-45, -45, 0], [45, 45, 50]], atol=0.01)
    gatehouse = _building("ammonia_plant", "gatehouse")
    assert gatehouse.mesh is None
    assert [lv.plan.file for lv in gatehouse.levels if lv.plan] == ["plans/gatehouse_L0.dxf"]
    assert len(nh3.buildings) == 4


# --- what the sites hold ----------------------------------------------------------------------


def _population(site: SiteFile, shift: str) -> int:
    indoor = sum(r.occupancy.get(shift, 0) for b in site.buildings for r in b.rooms)
    return indoor + sum(z.occupancy.get(shift, 0) for z in site.zones)


@pytest.mark.parametrize(
    ("name", "shift", "people"),
    [
        ("lng_terminal", "day", 406),
        ("lng_terminal", "night", 34),
        ("ammonia_plant", "day", 123),
        ("ammonia_plant", "night", 20),
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
    footprints = {b.id: _footprint_box(name, b) for b in site.buildings}
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
def test_openings_and_rooms_fit_the_walkable_area(
    name: str, building_id: str, level_id: str
) -> None:
    """Exits lie on the walkable boundary, doors span a wall gap, rooms are mostly walkable.

    The walkable area is the mesh sliced here, or the level's DXF plan.
    """
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
        parts = _building_parts(name, b.id)
        flight = parts[f"stair_{stair.id.removeprefix(b.id + '_stair_')}"]
        assert flight.bounds[0, 2] == pytest.approx(lower.elevation_m, abs=1e-4)
        assert upper.elevation_m - 0.2 < flight.bounds[1, 2] < upper.elevation_m


@pytest.mark.parametrize(
    ("name", "day", "night"), [("lng_terminal", 406, 34), ("ammonia_plant", 123, 20)]
)
def test_twin_loads_the_site_with_its_geometry_checks(name: str, day: int, night: int) -> None:
    """The loader's checks pass: exits on walkable edges, rooms reach exits, exits reach gates."""
    site = twin.load_site(SITES_DIR / name / "site.yaml", check_geometry=True)
    summary = site.view().summary()
    assert summary["population_by_shift"] == {"day": day, "night": night}
    assert len(summary["buildings"]) == len(_site(name).buildings)


# --- the building drawn as DXF plans ------------------------------------------------------------


def _level_plan_file(name: str, building_id: str, level_id: str) -> Path:
    lv = next(lv for lv in _building(name, building_id).levels if lv.id == level_id)
    assert lv.plan is not None
    assert lv.plan.units == "m"
    return SITES_DIR / name / lv.plan.file


def test_one_shipped_building_is_drawn_as_plans() -> None:
    assert _plan_levels() == [("ammonia_plant", "gatehouse", "L0")]


@pytest.mark.parametrize(("name", "building_id", "level_id"), _plan_levels())
def test_plan_drawing_follows_the_layer_conventions(
    name: str, building_id: str, level_id: str
) -> None:
    """Metres ($INSUNITS 6); walls are LINE centre lines; each door and exit LINE has its TEXT id;
    each room is a closed polyline with a TEXT name; obstacles and the floor are closed polylines.
    """
    doc = read_dxf(_level_plan_file(name, building_id, level_id))
    assert doc.header["$INSUNITS"] == 6
    kinds: dict[str, list[str]] = {}
    for e in doc.modelspace():
        kinds.setdefault(e.dxf.layer, []).append(e.dxftype())
        if e.dxftype() == "LWPOLYLINE":
            assert e.closed, e.dxf.layer  # type: ignore[attr-defined]
    assert set(kinds) == {"FLOOR", "WALLS", "DOORS", "EXITS", "ROOMS", "OBSTACLES"}
    assert kinds["FLOOR"] == ["LWPOLYLINE"]
    assert set(kinds["WALLS"]) == {"LINE"}
    for layer, shape in (("DOORS", "LINE"), ("EXITS", "LINE"), ("ROOMS", "LWPOLYLINE")):
        assert sorted(set(kinds[layer])) == sorted({shape, "TEXT"}), layer
        assert kinds[layer].count(shape) == kinds[layer].count("TEXT"), layer
    assert set(kinds["OBSTACLES"]) == {"LWPOLYLINE"}
    assert len(kinds["OBSTACLES"]) >= 1


@pytest.mark.parametrize(("name", "building_id", "level_id"), _plan_levels())
def test_plan_matches_the_site_file(name: str, building_id: str, level_id: str) -> None:
    """The plan's own rooms (names, outlines), doors and exits (ids, segments) are the site file's.

    So the site file's openings, which replace the plan's for this level, change nothing: the
    runtime level equals the plan's walkable region.
    """
    b = _building(name, building_id)
    plan = _plan(name, building_id, level_id)
    site_rooms = {r.name: Polygon(r.polygon_m) for r in b.rooms if r.level == level_id}
    plan_rooms = dict(plan.rooms)
    assert plan_rooms.keys() == site_rooms.keys()
    for room_name, outline in site_rooms.items():
        assert plan_rooms[room_name].symmetric_difference(outline).area < 1e-9, room_name
    for site_openings, plan_openings in ((b.doors, plan.doors), (b.exits, plan.exits)):
        mine = {o.id: np.asarray(o.segment_m) for o in site_openings if o.level == level_id}
        theirs = dict(plan_openings)
        assert theirs.keys() == mine.keys()
        assert mine
        for ident, segment in mine.items():
            np.testing.assert_allclose(theirs[ident], segment, atol=1e-9, err_msg=ident)
    view = twin.load_site(SITES_DIR / name / "site.yaml").view()
    walkable = view.level(f"{building_id}/{level_id}").walkable
    assert walkable.symmetric_difference(plan.walkable).area < 1e-9


@pytest.mark.verification
def test_gatehouse_walkable_area_in_the_cli_summary_matches_the_hand_computation() -> None:
    """Walkable = floor - walls - obstacles of plans/gatehouse_L0.dxf (every wall 0.2 m thick).

    The floor outline is the 10 m x 6 m rectangle of exterior wall centre lines, so:

    clear interior between the exterior wall faces   9.8 x 5.8           = 56.84 m^2
    + inner half of the wall in the two exit gaps      2 x 1.2 x 0.1       =  0.24
    - office partition x = 4, y 0.1..5.9, 1.0 m door  0.2 x (5.8 - 1.0)   = -0.96
    - WC partition y = 3, x 0.1..3.9, 0.8 m door      0.2 x (3.8 - 0.8)   = -0.60
    - desk 0.8 x 2.0 and locker bank 0.5 x 1.8        1.60 + 0.90         = -2.50
                                                                          = 53.02 m^2

    Exact up to floating-point rounding (axis-aligned rectangles); the summary rounds to
    0.001 m^2, the table shows 53.0.
    """
    site_file = SITES_DIR / "ammonia_plant" / "site.yaml"
    result = CliRunner().invoke(app, ["twin", "inspect", str(site_file), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    gatehouse = next(b for b in summary["buildings"] if b["id"] == "gatehouse")
    (level,) = gatehouse["levels"]
    assert level["walkable_area_m2"] == pytest.approx(53.02, abs=1e-9)
    assert (level["rooms"], level["doors"], len(level["exits"])) == (3, 2, 2)
    view = twin.load_site(site_file).view()
    assert view.level("gatehouse/L0").walkable_area_m2 == pytest.approx(53.02, abs=1e-9)
    table = CliRunner().invoke(app, ["twin", "inspect", str(site_file)])
    assert table.exit_code == 0, table.output
    rows = [line for line in table.stdout.splitlines() if line.startswith("│ Gateho")]
    assert len(rows) == 1
    assert "│    53.0 │" in rows[0]
