"""Tests of geometry.mesh_io: formats, units, axes, placement, saving, and each bad-input class."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import trimesh

from geometry.errors import MeshError
from geometry.mesh_io import (
    SUPPORTED_MESH_SUFFIXES,
    MeshModel,
    check_mesh,
    load_mesh,
    save_mesh,
    site_transform,
    transform_mesh,
)
from geometry.transform2d import transform_matrix
from geometry.units import UNIT_SCALE_M


def _box(lo: tuple[float, float, float], hi: tuple[float, float, float]) -> trimesh.Trimesh:
    lo_a, hi_a = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    box = trimesh.creation.box(extents=hi_a - lo_a)
    box.apply_translation((lo_a + hi_a) / 2)
    return box


def _two_box_scene() -> trimesh.Scene:
    """'slab' spans (0, 0, 0)-(4, 2, 0.5); 'wall' spans (0, 0, 0.5)-(4, 0.2, 3)."""
    scene = trimesh.Scene()
    scene.add_geometry(_box((0, 0, 0), (4, 2, 0.5)), node_name="slab", geom_name="slab")
    scene.add_geometry(_box((0, 0, 0.5), (4, 0.2, 3)), node_name="wall", geom_name="wall")
    return scene


def _tetrahedron() -> trimesh.Trimesh:
    """Asymmetric tetrahedron with distinct lengths along x (1), y (2) and z (3)."""
    vertices = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]])
    faces = np.array([[0, 2, 1], [0, 1, 3], [1, 2, 3], [0, 3, 2]])
    return trimesh.Trimesh(vertices, faces)


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _sorted_rows(a: np.ndarray) -> np.ndarray:
    return a[np.lexsort(a.T[::-1])]


SCENE_BOUNDS_M = np.array([[0.0, 0.0, 0.0], [4.0, 2.0, 3.0]])


@pytest.mark.parametrize("suffix", [".glb", ".gltf", ".obj"])
def test_scene_formats_keep_part_names_and_bounds(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"building{suffix}"
    if suffix == ".gltf":
        data = trimesh.exchange.gltf.export_gltf(_two_box_scene(), embed_buffers=True)["model.gltf"]
        _write(path, data)
    else:
        _two_box_scene().export(str(path))
    model = load_mesh(path)
    assert set(model.parts) == {"slab", "wall"}
    np.testing.assert_allclose(model.bounds_m, SCENE_BOUNDS_M, atol=1e-9)
    np.testing.assert_allclose(model.parts["wall"].bounds, [[0, 0, 0.5], [4, 0.2, 3]], atol=1e-9)
    assert all(part.is_watertight for part in model.parts.values())
    assert model.source == str(path)


def test_gltf_with_external_buffer_files_loads(tmp_path: Path) -> None:
    files = trimesh.exchange.gltf.export_gltf(_two_box_scene())
    for name, data in files.items():
        _write(tmp_path / name, data)
    model = load_mesh(tmp_path / "model.gltf")
    assert set(model.parts) == {"slab", "wall"}
    np.testing.assert_allclose(model.bounds_m, SCENE_BOUNDS_M, atol=1e-9)


@pytest.mark.parametrize("suffix", [".stl", ".ply"])
def test_single_mesh_formats_name_the_part_after_the_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"tank{suffix}"
    _box((1, 2, 3), (2, 4, 6)).export(str(path))
    model = load_mesh(path)
    assert list(model.parts) == ["tank"]
    np.testing.assert_allclose(model.bounds_m, [[1, 2, 3], [2, 4, 6]], atol=1e-6)
    assert model.parts["tank"].is_watertight  # STL vertices are merged on load


@pytest.mark.parametrize("suffix", SUPPORTED_MESH_SUFFIXES)
def test_every_supported_suffix_saves_and_loads_back(tmp_path: Path, suffix: str) -> None:
    """What save_mesh writes, load_mesh reads back with the same bounds, for every suffix."""
    out = tmp_path / f"tetra{suffix}"
    save_mesh({"tetra": _tetrahedron()}, out)
    np.testing.assert_allclose(load_mesh(out).bounds_m, [[0, 0, 0], [1, 2, 3]], atol=1e-6)


def test_plan_placement_is_the_2d_transform() -> None:
    """site_transform acts in plan exactly as geometry.transform2d.transform_matrix."""
    kwargs = {"units": "ft", "offset_m": (3.0, -4.0), "rotation_deg": 33.0}
    plan = transform_matrix(**kwargs)  # type: ignore[arg-type]
    full = site_transform(up_axis="z", **{**kwargs, "offset_m": (3.0, -4.0, 5.0)})  # type: ignore[arg-type]
    np.testing.assert_allclose(full[:2, :2], plan[:2, :2], rtol=0, atol=1e-15)
    np.testing.assert_allclose(full[:2, 3], plan[:2, 2], rtol=0, atol=1e-15)
    assert (full[2, 2], full[2, 3]) == (0.3048, 5.0)


def test_obj_groups_become_parts(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "v 0 0 0", "v 1 0 0", "v 0 1 0", "v 0 0 1",
            "g pump", "f 1 3 2", "f 1 2 4", "f 2 3 4", "f 1 4 3",
            "v 5 0 0", "v 6 0 0", "v 5 1 0", "v 5 0 1",
            "g vessel", "f 5 7 6", "f 5 6 8", "f 6 7 8", "f 5 8 7",
        ]
    )  # fmt: skip
    model = load_mesh(_write(tmp_path / "plant.obj", text))
    assert set(model.parts) == {"pump", "vessel"}
    np.testing.assert_allclose(model.parts["vessel"].bounds, [[5, 0, 0], [6, 1, 1]])


def test_scene_graph_transforms_are_applied(tmp_path: Path) -> None:
    scene = trimesh.Scene()
    transform = trimesh.transformations.translation_matrix([10.0, 20.0, 0.0])
    scene.add_geometry(_box((0, 0, 0), (1, 1, 1)), node_name="moved", transform=transform)
    path = tmp_path / "moved.glb"
    scene.export(str(path))
    model = load_mesh(path)
    np.testing.assert_allclose(model.parts["moved"].bounds, [[10, 20, 0], [11, 21, 1]], atol=1e-9)


@pytest.mark.parametrize(("units", "scale"), sorted(UNIT_SCALE_M.items()))
def test_units_are_converted_to_metres(tmp_path: Path, units: str, scale: float) -> None:
    """A 2000 x 1000 x 3000 box in file units is (2000, 1000, 3000) * scale metres."""
    path = tmp_path / "box.stl"
    _box((0, 0, 0), (2000, 1000, 3000)).export(str(path))
    model = load_mesh(path, units=units, max_extent_m=1e6)
    np.testing.assert_allclose(model.bounds_m[1], np.array([2000, 1000, 3000]) * scale, rtol=1e-12)


def test_millimetre_file_gives_metre_bounds(tmp_path: Path) -> None:
    path = tmp_path / "room.stl"
    _box((0, 0, 0), (6000, 4000, 3000)).export(str(path))
    model = load_mesh(path, units="mm")
    np.testing.assert_allclose(model.bounds_m, [[0, 0, 0], [6, 4, 3]], atol=1e-12)


def test_y_up_file_is_turned_to_z_up(tmp_path: Path) -> None:
    """File vertices (x, y, z) become (x, -z, y): the 2-long file y axis becomes the height."""
    path = tmp_path / "tetra.glb"
    _tetrahedron().export(str(path))
    model = load_mesh(path, up_axis="y")
    expected = np.array([[0, 0, 0], [1, 0, 0], [0, 0, 2], [0, -3, 0]], dtype=float)
    (part,) = model.parts.values()
    np.testing.assert_allclose(
        _sorted_rows(np.asarray(part.vertices)), _sorted_rows(expected), atol=1e-12
    )
    np.testing.assert_allclose(model.bounds_m, [[0, -3, 0], [1, 0, 2]], atol=1e-12)


def test_z_up_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "tetra.glb"
    _tetrahedron().export(str(path))
    np.testing.assert_allclose(load_mesh(path).bounds_m, [[0, 0, 0], [1, 2, 3]], atol=1e-12)


def test_rotation_is_counter_clockwise_about_z_then_offset(tmp_path: Path) -> None:
    """+90 deg takes file (1, 0, 0) to (0, 1, 0); the offset (in m) is added after unit scaling."""
    path = tmp_path / "tetra.ply"
    _tetrahedron().export(str(path))
    model = load_mesh(path, units="ft", rotation_deg=90.0, offset_m=(100.0, 50.0, 2.0))
    ft = 0.3048
    offset = np.array([100.0, 50.0, 2.0])
    expected = np.array([[0, 0, 0], [0, ft, 0], [-2 * ft, 0, 0], [0, 0, 3 * ft]]) + offset
    np.testing.assert_allclose(
        _sorted_rows(np.asarray(model.parts["tetra"].vertices)), _sorted_rows(expected), atol=1e-12
    )


def test_transform_mesh_returns_a_copy() -> None:
    mesh = _tetrahedron()
    before = np.array(mesh.vertices)
    moved = transform_mesh(mesh, units="mm", up_axis="y", offset_m=(1, 2, 3), rotation_deg=180.0)
    np.testing.assert_array_equal(mesh.vertices, before)
    # (0, 2, 0) mm, Y-up -> (0, 0, 0.002) m; rotation about z keeps it; then + offset
    assert np.any(np.all(np.isclose(moved.vertices, [1.0, 2.0, 3.002]), axis=1))


def test_save_glb_round_trip_keeps_names_and_coordinates(tmp_path: Path) -> None:
    scene_path = tmp_path / "in.glb"
    _two_box_scene().export(str(scene_path))
    model = load_mesh(scene_path)
    out = tmp_path / "out.glb"
    out.write_bytes(b"an older file that must be replaced")
    save_mesh(model, out)
    again = load_mesh(out)
    assert set(again.parts) == {"slab", "wall"}
    np.testing.assert_allclose(again.bounds_m, SCENE_BOUNDS_M, atol=1e-9)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.glb", "out.glb"]  # no temp files left


@pytest.mark.parametrize("suffix", [".gltf", ".obj"])
def test_save_named_formats_keep_names(tmp_path: Path, suffix: str) -> None:
    parts = {"slab": _box((0, 0, 0), (4, 2, 0.5)), "wall": _box((0, 0, 0.5), (4, 0.2, 3))}
    out = tmp_path / f"out{suffix}"
    save_mesh(parts, out)
    assert set(load_mesh(out).parts) == {"slab", "wall"}
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # glTF buffers are embedded


def test_save_stl_merges_parts(tmp_path: Path) -> None:
    parts = {"slab": _box((0, 0, 0), (4, 2, 0.5)), "wall": _box((0, 0, 0.5), (4, 0.2, 3))}
    out = tmp_path / "merged.stl"
    save_mesh(MeshModel(parts=parts, source="test"), out)
    model = load_mesh(out)
    assert list(model.parts) == ["merged"]
    np.testing.assert_allclose(model.bounds_m, SCENE_BOUNDS_M, atol=1e-6)


def test_save_y_up_round_trips_with_load_y_up(tmp_path: Path) -> None:
    out = tmp_path / "tetra.glb"
    save_mesh({"tetra": _tetrahedron()}, out, up_axis="y")
    assert load_mesh(out).bounds_m[1, 1] == pytest.approx(3.0)  # height stored along file y
    np.testing.assert_allclose(
        load_mesh(out, up_axis="y").bounds_m, [[0, 0, 0], [1, 2, 3]], atol=1e-12
    )


def test_save_rejects_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(MeshError, match=r"\.fbx"):
        save_mesh({"a": _tetrahedron()}, tmp_path / "a.fbx")


def test_model_combined_and_bounds() -> None:
    parts = {"slab": _box((0, 0, 0), (4, 2, 0.5)), "wall": _box((0, 0, 0.5), (4, 0.2, 3))}
    model = MeshModel(parts=parts, source="test")
    assert len(model.combined.faces) == 24
    assert model.combined is model.combined  # cached
    np.testing.assert_allclose(model.bounds_m, SCENE_BOUNDS_M)
    with pytest.raises(TypeError):
        model.parts["x"] = _tetrahedron()  # type: ignore[index]


def test_model_needs_parts() -> None:
    with pytest.raises(MeshError, match="parts"):
        MeshModel(parts={}, source="nothing")


def test_check_mesh_accepts_a_closed_box() -> None:
    check_mesh(_box((0, 0, 0), (3, 2, 1)), name="box", require_closed=True)


# --- bad input, one class each ---------------------------------------------------------------


def test_unknown_suffix_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = _write(tmp_path / "model.fbx", b"whatever")
    with pytest.raises(
        MeshError, match=r"'\.fbx'.*\['\.obj', '\.stl', '\.ply', '\.glb', '\.gltf'\]"
    ):
        load_mesh(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MeshError, match=r"nope\.glb.*does not exist"):
        load_mesh(tmp_path / "nope.glb")


@pytest.mark.parametrize("suffix", [".glb", ".ply", ".stl", ".gltf"])
def test_corrupt_file_is_reported(tmp_path: Path, suffix: str) -> None:
    garbage = np.random.default_rng(7).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    path = _write(tmp_path / f"broken{suffix}", garbage)
    with pytest.raises(
        MeshError, match=rf"broken\{suffix}.*(could not be read|no geometry could be read)"
    ):
        load_mesh(path)


def test_empty_mesh_without_faces(tmp_path: Path) -> None:
    path = _write(tmp_path / "points.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\n")
    with pytest.raises(MeshError, match="faces = 0"):
        load_mesh(path)


def test_degenerate_mesh_with_zero_area_faces(tmp_path: Path) -> None:
    path = _write(tmp_path / "line.obj", "v 0 0 0\nv 1 0 0\nv 2 0 0\nv 3 0 0\nf 1 2 3\nf 2 3 4\n")
    with pytest.raises(MeshError, match=r"'line'.*zero area"):
        load_mesh(path)


def test_non_finite_vertices_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "nan.obj", "v 0 0 0\nv 1 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 4\nf 1 3 4\n")
    with pytest.raises(MeshError, match=r"'nan'.*1 of 4 vertices are not finite"):
        load_mesh(path)


def test_open_mesh_is_refused_when_closure_is_required(tmp_path: Path) -> None:
    box = _box((0, 0, 0), (1, 1, 1))
    open_box = trimesh.Trimesh(box.vertices, box.faces[1:])  # one triangle missing: 3 open edges
    path = tmp_path / "shell.ply"
    open_box.export(str(path))
    load_mesh(path)  # accepted by default
    with pytest.raises(MeshError, match=r"'shell' is not closed.*3 open edges"):
        load_mesh(path, require_closed=True)


def test_30_km_extent_suggests_units(tmp_path: Path) -> None:
    path = tmp_path / "site.stl"
    _box((0, 0, 0), (30000, 20000, 10000)).export(str(path))
    with pytest.raises(MeshError, match=r"units = 'm'.*30000 m exceeds the 5000 m allowed") as info:
        load_mesh(path)
    # a site file cannot set max_extent_m: the message points at units first
    message = str(info.value)
    assert message.index("set units") < message.index("max_extent_m")
    assert "'mm'" in message
    assert load_mesh(path, units="mm").bounds_m[1, 0] == pytest.approx(30.0)


def test_obj_with_a_truncated_vertex_line_is_a_mesh_error(tmp_path: Path) -> None:
    """Regression: ``v 2.0 3.7`` as the last vertex made trimesh return (n, 2) vertices, which
    failed later with "operands could not be broadcast together with shapes (4,4) (3,3)"."""
    path = tmp_path / "cut.obj"
    path.write_text("o box\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 2.0 3.7\nf 1 2 3\nf 1 3 4\n")
    with pytest.raises(
        MeshError, match=r"cut\.obj.*'box' has vertices of shape \(4, 2\).*\(n, 3\)"
    ):
        load_mesh(path)


def test_truncated_obj_at_any_offset_gives_only_mesh_errors(tmp_path: Path) -> None:
    """Property over cut points: a two-part OBJ cut anywhere loads or raises MeshError naming the
    file, never a numpy/trimesh exception."""
    source = tmp_path / "two.obj"
    save_mesh({"a": _box((0, 0, 0), (1, 1, 1)), "b": _box((3, 0, 0), (4, 1, 1))}, source)
    text = source.read_text()
    cut = tmp_path / "cut.obj"
    messages: list[str] = []
    for end in range(0, len(text), 7):
        cut.write_text(text[:end])
        try:
            load_mesh(cut)
        except MeshError as exc:
            messages.append(str(exc))
    assert messages
    assert all("cut.obj" in message for message in messages)


def test_tiny_extent_suggests_units(tmp_path: Path) -> None:
    path = tmp_path / "pebble.stl"
    _box((0, 0, 0), (0.02, 0.01, 0.01)).export(str(path))
    with pytest.raises(MeshError, match=r"0\.02 m is below 0\.05 m.*km or scaled"):
        load_mesh(path)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"units": "furlong"}, "units = 'furlong'"),
        ({"up_axis": "x"}, "up_axis = 'x'"),
        ({"offset_m": (0.0, 1.0)}, "offset_m"),
        ({"rotation_deg": float("nan")}, "rotation_deg"),
        ({"max_extent_m": -1.0}, "max_extent_m"),
    ],
)
def test_bad_placement_parameters_name_the_field(tmp_path: Path, kwargs: dict, field: str) -> None:
    path = tmp_path / "tetra.ply"
    _tetrahedron().export(str(path))
    with pytest.raises(MeshError, match=field):
        load_mesh(path, **kwargs)
