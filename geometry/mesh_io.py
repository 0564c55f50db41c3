"""Read and write 3D meshes (OBJ, STL, PLY, GLB, glTF) into the site frame, in metres.

A loaded file becomes a :class:`MeshModel`: named parts (``trimesh.Trimesh``) in site coordinates,
metres, ``z`` up. Loading goes through :func:`trimesh.load_scene` so that the node names of a
GLB/glTF scene (and the ``o``/``g`` names of an OBJ) are kept as part names; single-mesh formats
(STL, PLY) give one part named after the file stem. The scene graph transforms of the file are
applied first, then, in this order (see :func:`transform_mesh`):

1. scale from ``units`` (what the file is in) to metres, :data:`geometry.units.UNIT_SCALE_M`;
2. up axis: ``up_axis="y"`` declares a Y-up file; it is turned so that file ``+y`` becomes site
   ``+z`` with the right-handed rotation of +90 degrees about ``x``:
   ``(x, y, z)_file -> (x, -z, y)_site`` (so file ``+z``, the glTF "front", becomes site ``-y``;
   this is what Blender does on glTF import);
3. rotation by ``rotation_deg`` counter-clockwise about site ``+z`` (seen from above);
4. translation by ``offset_m``.

Steps 1, 3 and 4 in plan are those of :func:`geometry.transform2d.transform_matrix`, which
:func:`site_transform` uses; the height is scaled by the same factor and shifted by ``offset_m[2]``.

Note on glTF: the glTF 2.0 specification defines ``+y`` as up, but trimesh (4.x and 5.x) keeps the
file coordinates as written and does not turn them, on reading or writing. ``up_axis`` therefore
always states what the file holds: pass ``up_axis="y"`` for glTF/GLB exported by tools that follow
the specification (Blender, SketchUp, Revit exporters), and ``"z"`` (the default) for files written
Z-up, including those written by :func:`save_mesh` with its default.

Checks (each raises :class:`~geometry.errors.MeshError` naming the field, the value and what is
allowed): unknown suffix, missing file, unreadable or corrupt file, no faces, degenerate parts
(non-finite vertices, or every face of zero area), open parts when ``require_closed``, and a model
whose largest extent is larger than ``max_extent_m`` or smaller than :data:`MIN_EXTENT_M` (the usual
symptoms of wrong ``units``).
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import trimesh
from numpy.typing import NDArray

from geometry.atomic_file import write_bytes_atomic
from geometry.errors import GeometryError, MeshError
from geometry.file_formats import MESH_SUFFIXES
from geometry.transform2d import transform_matrix
from geometry.units import UNIT_SCALE_M, unit_scale_m

logger = logging.getLogger(__name__)

#: File suffixes :func:`load_mesh` and :func:`save_mesh` accept (lower case).
SUPPORTED_MESH_SUFFIXES = MESH_SUFFIXES

#: Up axes a file may declare.
UP_AXES = ("z", "y")

#: Default largest model extent, m; larger usually means the file is in mm or cm (wrong ``units``).
DEFAULT_MAX_EXTENT_M = 5000.0

#: Smallest model extent, m; smaller usually means the file is in km or was scaled down.
MIN_EXTENT_M = 0.05

#: Faces with area below this, m^2, count as zero-area when looking for degenerate parts.
ZERO_FACE_AREA_M2 = 1e-12

# file +y -> site +z, file +z -> site -y: rotation of +90 degrees about x.
_Y_UP_TO_Z_UP = np.array(
    [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, -1.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
)


@dataclass(frozen=True)
class MeshModel:
    """Named mesh parts in site coordinates (m, ``z`` up).

    The parts should not be modified in place: :attr:`combined` is cached.

    Attributes
    ----------
    parts : Mapping[str, trimesh.Trimesh]
        Parts by name (GLB/glTF node names, OBJ object names, or the file stem), read-only mapping.
    source : str
        File path or a description of where the parts came from.
    """

    parts: Mapping[str, trimesh.Trimesh]
    source: str = ""

    def __post_init__(self) -> None:
        parts = dict(self.parts)
        if not parts:
            raise MeshError(
                f"mesh model {self.source!r}: parts = {{}}: at least one part is needed"
            )
        for name, mesh in parts.items():
            if not isinstance(mesh, trimesh.Trimesh):
                raise MeshError(
                    f"mesh model {self.source!r}: part {name!r} is a {type(mesh).__name__}; "
                    + "parts must be trimesh.Trimesh"
                )
        object.__setattr__(self, "parts", MappingProxyType(parts))

    @cached_property
    def combined(self) -> trimesh.Trimesh:
        """All parts concatenated into one mesh, m."""
        meshes = list(self.parts.values())
        if len(meshes) == 1:
            return meshes[0].copy()
        combined = trimesh.util.concatenate(meshes)
        assert isinstance(combined, trimesh.Trimesh)
        return combined

    @property
    def bounds_m(self) -> NDArray[np.float64]:
        """``[[xmin, ymin, zmin], [xmax, ymax, zmax]]`` of all parts, (2, 3) m."""
        b = np.array([m.bounds for m in self.parts.values()], dtype=np.float64)
        return np.array([b[:, 0, :].min(axis=0), b[:, 1, :].max(axis=0)])


#: Meshes as the slicing and voxel functions take them: one mesh, a model, or an iterable of meshes.
Meshes = Iterable[trimesh.Trimesh] | trimesh.Trimesh | MeshModel


def mesh_list(meshes: Meshes) -> list[trimesh.Trimesh]:
    """Return the meshes of one mesh, a :class:`MeshModel` (its parts) or an iterable, as a list."""
    if isinstance(meshes, trimesh.Trimesh):
        return [meshes]
    if isinstance(meshes, MeshModel):
        return list(meshes.parts.values())
    return list(meshes)


def _check_up_axis(up_axis: str) -> None:
    if up_axis not in UP_AXES:
        raise MeshError(f"up_axis = {up_axis!r} is unknown; choose one of {list(UP_AXES)}")


def _check_offset(offset_m: Sequence[float]) -> NDArray[np.float64]:
    off = np.asarray(offset_m, dtype=np.float64)
    if off.shape != (3,) or not np.all(np.isfinite(off)):
        raise MeshError(f"offset_m = {offset_m!r}: must be three finite numbers (x, y, z) in m")
    return off


def _check_max_extent(max_extent_m: float) -> None:
    if not (math.isfinite(max_extent_m) and max_extent_m > MIN_EXTENT_M):
        raise MeshError(
            f"max_extent_m = {max_extent_m!r} m: must be a finite number > {MIN_EXTENT_M} m"
        )


def site_transform(
    *, units: str, up_axis: str, offset_m: Sequence[float], rotation_deg: float
) -> NDArray[np.float64]:
    """Homogeneous matrix taking file coordinates to site coordinates.

    Parameters
    ----------
    units : str
        Unit the file is in, a key of :data:`geometry.units.UNIT_SCALE_M`.
    up_axis : str
        ``"z"`` or ``"y"``: the file's up axis (see the module docstring).
    offset_m : sequence of 3 float
        Translation applied last, m.
    rotation_deg : float
        Counter-clockwise rotation about ``+z``, degrees, applied before the translation.

    Returns
    -------
    (4, 4) float
        ``translate @ rotate_z @ scale @ up_axis``.

    Raises
    ------
    MeshError
        If a parameter is unknown or not finite.
    """
    _check_up_axis(up_axis)
    off = _check_offset(offset_m)
    try:
        scale = unit_scale_m(units)
        plan = transform_matrix(units=units, offset_m=(off[0], off[1]), rotation_deg=rotation_deg)
    except GeometryError as exc:  # a mesh's placement error is a MeshError like its other errors
        raise MeshError(str(exc)) from None
    matrix = np.eye(4)
    matrix[:2, :2] = plan[:2, :2]
    matrix[:2, 3] = plan[:2, 2]
    matrix[2, 2] = scale
    matrix[2, 3] = off[2]
    # the up-axis turn goes first; it commutes with the uniform scale
    return matrix @ _Y_UP_TO_Z_UP if up_axis == "y" else matrix


def transform_mesh(
    mesh: trimesh.Trimesh,
    *,
    units: str = "m",
    up_axis: str = "z",
    offset_m: Sequence[float] = (0.0, 0.0, 0.0),
    rotation_deg: float = 0.0,
) -> trimesh.Trimesh:
    """Return a copy of ``mesh`` moved from file coordinates into the site frame.

    Parameters
    ----------
    mesh : trimesh.Trimesh
        Mesh in file coordinates and units.
    units : str
        Unit the file is in, a key of :data:`geometry.units.UNIT_SCALE_M`.
    up_axis : str
        ``"z"`` (file is Z-up) or ``"y"`` (file is Y-up: ``(x, y, z)_file -> (x, -z, y)_site``).
    offset_m : sequence of 3 float
        Translation applied last, m.
    rotation_deg : float
        Counter-clockwise rotation about ``+z``, degrees.

    Returns
    -------
    trimesh.Trimesh
        Transformed copy, m, site frame.

    Raises
    ------
    MeshError
        If a parameter is unknown or not finite.
    """
    matrix = site_transform(
        units=units, up_axis=up_axis, offset_m=offset_m, rotation_deg=rotation_deg
    )
    out = mesh.copy()
    out.apply_transform(matrix)
    return out


def _open_edge_count(mesh: trimesh.Trimesh) -> int:
    """Count the edges used by exactly one face."""
    _, counts = np.unique(np.asarray(mesh.edges_sorted), axis=0, return_counts=True)
    return int(np.count_nonzero(counts == 1))


def _check_finite(mesh: trimesh.Trimesh, *, name: str) -> None:
    vertices = np.asarray(mesh.vertices)
    bad = ~np.all(np.isfinite(vertices), axis=1)
    if np.any(bad):
        raise MeshError(
            f"part {name!r}: {int(bad.sum())} of {len(vertices)} vertices are not finite "
            + "(NaN or inf); all vertex coordinates must be finite numbers"
        )


def _check_part(mesh: trimesh.Trimesh, *, name: str, require_closed: bool) -> None:
    """Structural checks of one part: faces, finite vertices, non-zero area, closure."""
    if len(mesh.faces) == 0:
        raise MeshError(
            f"part {name!r}: faces = 0: the mesh is empty; at least one triangle is needed"
        )
    _check_finite(mesh, name=name)
    area = np.asarray(mesh.area_faces)
    if not np.any(area > ZERO_FACE_AREA_M2):
        raise MeshError(
            f"part {name!r}: all {len(area)} faces have zero area (degenerate mesh); "
            + f"at least one face with area > {ZERO_FACE_AREA_M2:g} m^2 is needed"
        )
    if require_closed and not mesh.is_watertight:
        raise MeshError(
            f"part {name!r} is not closed (watertight): {_open_edge_count(mesh)} open edges "
            + f"of {len(mesh.edges_unique)}; require_closed = True needs every edge shared by "
            + "exactly two faces with consistent winding: repair the part or load with "
            + "require_closed=False"
        )


def _check_extent(bounds_m: NDArray[np.float64], *, what: str, max_extent_m: float) -> None:
    """Largest extent within ``[MIN_EXTENT_M, max_extent_m]``; the message suggests the unit fix."""
    extent = float(np.max(bounds_m[1] - bounds_m[0]))
    if extent > max_extent_m:
        raise MeshError(
            f"{what}: largest extent = {extent:.6g} m exceeds the {max_extent_m:g} m allowed (a "
            + f"{extent / 1000.0:.3g} km model: is the file in mm or cm? set units to the unit "
            + f"the file is written in, one of {sorted(UNIT_SCALE_M)}; only a model really larger "
            + "than that needs a larger max_extent_m)"
        )
    if extent < MIN_EXTENT_M:
        raise MeshError(
            f"{what}: largest extent = {extent:.6g} m is below {MIN_EXTENT_M} m "
            + "(is the file in km or scaled down? set units to the unit the file is in, "
            + f"one of {sorted(UNIT_SCALE_M)})"
        )


def check_mesh(
    mesh: trimesh.Trimesh,
    *,
    name: str,
    require_closed: bool = False,
    max_extent_m: float = DEFAULT_MAX_EXTENT_M,
) -> None:
    """Raise :class:`MeshError` unless ``mesh`` is a usable part in metres.

    Parameters
    ----------
    mesh : trimesh.Trimesh
        Mesh in site coordinates, m.
    name : str
        Part name used in messages.
    require_closed : bool
        Also require a closed (watertight) surface; the message counts the open edges.
    max_extent_m : float
        Largest allowed extent, m.

    Raises
    ------
    MeshError
        If the mesh has no faces, non-finite vertices, only zero-area faces, is open while
        ``require_closed``, or its largest extent is above ``max_extent_m`` or below
        :data:`MIN_EXTENT_M`.
    """
    _check_max_extent(max_extent_m)
    _check_part(mesh, name=name, require_closed=require_closed)
    _check_extent(np.asarray(mesh.bounds), what=f"part {name!r}", max_extent_m=max_extent_m)


def _check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_MESH_SUFFIXES:
        raise MeshError(
            f"mesh file {str(path)!r}: suffix {suffix or '(none)'!r} is not supported; "
            + f"choose one of {list(SUPPORTED_MESH_SUFFIXES)}"
        )
    return suffix


def _loader_options(suffix: str) -> dict[str, Any]:
    # process=False: keep non-finite vertices so they are reported instead of silently dropped.
    options: dict[str, Any] = {"process": False}
    if suffix == ".obj":
        options.update(split_objects=True, split_groups=True)
    elif suffix in (".glb", ".gltf"):
        options["merge_primitives"] = True
    return options


def _scene_parts(scene: trimesh.Scene, path: Path) -> dict[str, trimesh.Trimesh]:
    """Copy the scene's meshes with their node transforms applied, keyed by node name."""
    parts: dict[str, trimesh.Trimesh] = {}
    for node in scene.graph.nodes_geometry:
        matrix, geom_name = scene.graph[node]
        geom = scene.geometry[geom_name]
        # single-mesh formats name their only node after the file: use the stem instead
        name = path.stem if node == path.name else str(node)
        if not isinstance(geom, trimesh.Trimesh):
            logger.info(
                "mesh file %s: skipping node %r, a %s (no faces)", path, node, type(geom).__name__
            )
            continue
        if len(geom.faces) == 0:
            logger.info("mesh file %s: skipping node %r with no faces", path, node)
            continue
        _check_arrays(geom, path=path, name=name)
        part = geom.copy()
        part.apply_transform(np.asarray(matrix, dtype=np.float64))
        parts[name] = part
    return parts


def _check_arrays(mesh: trimesh.Trimesh, *, path: Path, name: str) -> None:
    """Vertices (n, 3) and faces (m, 3) indexing them, as a loader should give.

    A truncated OBJ whose last vertex line lost a coordinate makes trimesh return an (n, 2)
    vertex array, which later fails with a broadcasting error far from the cause.
    """
    vertices = np.asarray(mesh.vertices)
    faces = np.asarray(mesh.faces)
    if vertices.ndim != 2 or vertices.shape[1] != 3:
        raise MeshError(
            f"mesh file {str(path)!r}: part {name!r} has vertices of shape {vertices.shape}; "
            + "each vertex needs three coordinates (x, y, z), so shape (n, 3): the file is "
            + "truncated or a vertex line is incomplete"
        )
    if faces.ndim != 2 or faces.shape[1] != 3:
        raise MeshError(
            f"mesh file {str(path)!r}: part {name!r} has faces of shape {faces.shape}; "
            + "triangles of shape (m, 3) are needed: the file is truncated or corrupt"
        )
    if faces.size and (int(faces.min()) < 0 or int(faces.max()) >= len(vertices)):
        raise MeshError(
            f"mesh file {str(path)!r}: part {name!r} has faces that refer to vertex "
            + f"{int(faces.max()) + 1}, but only {len(vertices)} vertices are given (indices "
            + f"must be in 1..{len(vertices)}): the file is truncated or corrupt"
        )


def _site_parts(
    scene: trimesh.Scene, path: Path, matrix: NDArray[np.float64], *, require_closed: bool
) -> dict[str, trimesh.Trimesh]:
    """Check the scene's parts and move them into the site frame (``matrix``), m."""
    parts = _scene_parts(scene, path)
    if not parts:
        raise MeshError(
            f"mesh file {str(path)!r}: faces = 0: the file holds no triangles (points or lines "
            + "only); a mesh with at least one face is needed"
        )
    for name, part in parts.items():
        _check_finite(part, name=name)
        part.apply_transform(matrix)
        part.process(validate=False)
        _check_part(part, name=name, require_closed=require_closed)
    return parts


def load_mesh(
    path: str | os.PathLike[str],
    *,
    units: str = "m",
    up_axis: str = "z",
    offset_m: Sequence[float] = (0.0, 0.0, 0.0),
    rotation_deg: float = 0.0,
    max_extent_m: float = DEFAULT_MAX_EXTENT_M,
    require_closed: bool = False,
) -> MeshModel:
    """Load a mesh file into the site frame, in metres.

    Parameters
    ----------
    path : str or PathLike
        OBJ, STL, PLY, GLB or glTF file (see :data:`SUPPORTED_MESH_SUFFIXES`).
    units : str
        Unit the file is written in, a key of :data:`geometry.units.UNIT_SCALE_M`.
    up_axis : str
        ``"z"`` if the file is Z-up, ``"y"`` if it is Y-up (glTF by specification); see the module
        docstring.
    offset_m : sequence of 3 float
        Site position of the file origin, m, applied last.
    rotation_deg : float
        Counter-clockwise rotation about ``+z``, degrees, applied before ``offset_m``.
    max_extent_m : float
        Largest allowed model extent after conversion, m.
    require_closed : bool
        Require every part to be closed (watertight).

    Returns
    -------
    MeshModel
        Named parts, m, ``z`` up, site frame.

    Raises
    ------
    MeshError
        If the suffix is unsupported, the file is missing, unreadable or holds no faces, a part is
        degenerate or (with ``require_closed``) open, or the model's extent suggests wrong
        ``units``.
    """
    p = Path(path)
    suffix = _check_suffix(p)
    matrix = site_transform(
        units=units, up_axis=up_axis, offset_m=offset_m, rotation_deg=rotation_deg
    )
    _check_max_extent(max_extent_m)
    if not p.is_file():
        raise MeshError(
            f"mesh file {str(p)!r} does not exist (or is not a file); give an existing path"
        )
    if suffix in (".glb", ".gltf") and up_axis == "z":
        logger.info(
            "mesh file %s: glTF is Y-up by specification and trimesh keeps file axes; "
            + "loading it as Z-up (pass up_axis='y' if the model lies on its side)",
            p,
        )
    try:
        scene = trimesh.load_scene(str(p), file_type=suffix[1:], **_loader_options(suffix))
    except Exception as exc:
        raise MeshError(
            f"mesh file {str(p)!r} could not be read as {suffix[1:].upper()} "
            + f"({type(exc).__name__}: {exc}); the file is corrupt, truncated, of another format, "
            + "or refers to a missing buffer/texture"
        ) from exc
    if not scene.geometry:
        raise MeshError(
            f"mesh file {str(p)!r} ({p.stat().st_size} bytes): no geometry could be read; "
            + f"the file is empty, corrupt or not a valid {suffix[1:].upper()} file"
        )
    try:
        parts = _site_parts(scene, p, matrix, require_closed=require_closed)
    except GeometryError:
        raise
    except Exception as exc:  # numpy/trimesh errors of malformed data the checks did not foresee
        raise MeshError(
            f"mesh file {str(p)!r} could not be used ({type(exc).__name__}: {exc}); the file is "
            + f"probably truncated or corrupt: export it again as {suffix[1:].upper()}"
        ) from exc
    model = MeshModel(parts=parts, source=str(p))
    _check_extent(
        model.bounds_m,
        what=f"mesh file {str(p)!r} with units = {units!r}",
        max_extent_m=max_extent_m,
    )
    logger.debug("loaded %s: %d parts, bounds %s m", p, len(parts), model.bounds_m.tolist())
    return model


def _as_parts(
    model_or_parts: MeshModel | Mapping[str, trimesh.Trimesh] | trimesh.Trimesh, stem: str
) -> dict[str, trimesh.Trimesh]:
    if isinstance(model_or_parts, MeshModel):
        return dict(model_or_parts.parts)
    if isinstance(model_or_parts, trimesh.Trimesh):
        return {stem: model_or_parts}
    parts = dict(model_or_parts)
    if not parts:
        raise MeshError("save_mesh: parts = {}: at least one part is needed")
    return parts


def _encode(parts: dict[str, trimesh.Trimesh], suffix: str) -> bytes:
    """File contents for ``parts`` in the format of ``suffix``."""
    if suffix in (".stl", ".ply"):
        if len(parts) > 1:
            logger.info(
                "%s holds one mesh: %d parts are merged and their names dropped", suffix, len(parts)
            )
        mesh = trimesh.util.concatenate(list(parts.values()))
        data = trimesh.exchange.export.export_mesh(mesh, None, file_type=suffix[1:])  # type: ignore[no-untyped-call]
    else:
        scene = trimesh.Scene()
        for name, mesh in parts.items():
            scene.add_geometry(mesh, node_name=name, geom_name=name)
        if suffix == ".glb":
            data = scene.export(file_type="glb")  # type: ignore[no-untyped-call]
        elif suffix == ".gltf":
            files = trimesh.exchange.gltf.export_gltf(scene, embed_buffers=True)  # type: ignore[no-untyped-call]
            data = files["model.gltf"]
        else:
            data = trimesh.exchange.obj.export_obj(  # type: ignore[no-untyped-call]
                scene, include_texture=False, write_texture=False
            )
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def save_mesh(
    model_or_parts: MeshModel | Mapping[str, trimesh.Trimesh] | trimesh.Trimesh,
    path: str | os.PathLike[str],
    *,
    up_axis: str = "z",
) -> None:
    """Write parts to a mesh file atomically (temporary file, then ``os.replace``).

    GLB, glTF (buffers embedded) and OBJ keep the part names (scene nodes, OBJ objects); STL and PLY
    hold one mesh, so the parts are merged. Coordinates are written in metres; with the default
    ``up_axis="z"`` they are written as they are, so ``load_mesh(path)`` reads them back unchanged.

    Parameters
    ----------
    model_or_parts : MeshModel, Mapping[str, trimesh.Trimesh] or trimesh.Trimesh
        What to write; a single mesh is named after the file stem.
    path : str or PathLike
        Target file; its suffix selects the format.
    up_axis : str
        ``"z"`` writes site coordinates as they are; ``"y"`` writes a Y-up file
        (``(x, y, z)_site -> (x, z, -y)_file``), to be read back with ``up_axis="y"``.

    Raises
    ------
    MeshError
        If the suffix is unsupported, ``up_axis`` unknown or there are no parts.
    """
    p = Path(path)
    suffix = _check_suffix(p)
    _check_up_axis(up_axis)
    parts = _as_parts(model_or_parts, p.stem)
    if up_axis == "y":
        to_file = np.linalg.inv(_Y_UP_TO_Z_UP)
        parts = {name: mesh.copy() for name, mesh in parts.items()}
        for mesh in parts.values():
            mesh.apply_transform(to_file)
    data = _encode(parts, suffix)
    write_bytes_atomic(p, data)
