"""Solid primitives for site models: tanks, vessels, boxes, pipes and walls.

Every function returns a closed (watertight), outward-oriented ``trimesh.Trimesh`` in site
coordinates, metres, ``z`` up. The meshes are what :mod:`geometry.slicing` and
:mod:`geometry.voxels` expect: closed solids whose overlaps are resolved when they are cut, so a
pipe may be several overlapping bodies in one mesh.

Polygonal approximation: a cylinder of ``n`` sections inscribed in the circle of radius ``r`` has a
cross-section area ``(n / 2) r^2 sin(2 pi / n)``, which is below ``pi r^2`` by a relative
``1 - sin(2 pi / n) / (2 pi / n)``, about ``(2 pi / n)^2 / 6``: 0.29 % for 48 sections and
2.5 % for 16.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
import trimesh
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import LineString, MultiPolygon, Polygon

from geometry._checks import require_finite, require_positive
from geometry.errors import GeometryError

#: Fewest sections allowed for a round primitive.
MIN_SECTIONS = 3

#: Largest ratio of mitre length to half the wall thickness at a corner (``mitre_limit``).
WALL_MITRE_LIMIT = 5.0


def _require_sections(sections: int) -> int:
    if not (isinstance(sections, int | np.integer) and sections >= MIN_SECTIONS):
        raise GeometryError(f"sections = {sections!r}: must be an integer >= {MIN_SECTIONS}")
    return int(sections)


def _require_point(name: str, value: Sequence[float] | ArrayLike, dim: int) -> NDArray[np.float64]:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != (dim,) or not np.all(np.isfinite(arr)):
        raise GeometryError(f"{name} = {value!r}: must be {dim} finite numbers in m")
    return arr


def _require_path(name: str, value: ArrayLike, dim: int) -> NDArray[np.float64]:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != dim or len(arr) < 2 or not np.all(np.isfinite(arr)):
        raise GeometryError(
            f"{name} with shape {arr.shape}: must be (n, {dim}) finite coordinates in m with n >= 2"
        )
    lengths = np.linalg.norm(np.diff(arr, axis=0), axis=1)
    if np.any(lengths <= 0.0):
        i = int(np.argmin(lengths))
        raise GeometryError(
            f"{name}: points {i} and {i + 1} are equal ({arr[i].tolist()}); "
            + "consecutive points must differ"
        )
    return arr


def cylinder_mesh(
    *, base_centre_m: Sequence[float], diameter_m: float, height_m: float, sections: int = 48
) -> trimesh.Trimesh:
    """Vertical cylinder standing on its base (a tank or vessel).

    Parameters
    ----------
    base_centre_m : sequence of 3 float
        Centre of the bottom face ``(x, y, z)``, m.
    diameter_m : float
        Diameter of the circumscribed circle, m. Must be > 0.
    height_m : float
        Height, m. Must be > 0.
    sections : int
        Number of sides of the polygonal cross-section, >= 3.

    Returns
    -------
    trimesh.Trimesh
        Closed mesh of volume ``(n / 2) r^2 sin(2 pi / n) h``, m^3.

    Raises
    ------
    GeometryError
        If a size is not a finite positive number, the centre is not 3 finite numbers, or
        ``sections < 3``.
    """
    base = _require_point("base_centre_m", base_centre_m, 3)
    radius = require_positive("diameter_m", diameter_m, "m") / 2.0
    height = require_positive("height_m", height_m, "m")
    n = _require_sections(sections)
    mesh: trimesh.Trimesh = trimesh.creation.cylinder(radius=radius, height=height, sections=n)
    mesh.apply_translation(base + np.array([0.0, 0.0, height / 2.0]))
    return mesh


def box_mesh(*, base_centre_m: Sequence[float], size_m: Sequence[float]) -> trimesh.Trimesh:
    """Axis-aligned box standing on its base.

    Parameters
    ----------
    base_centre_m : sequence of 3 float
        Centre of the bottom face ``(x, y, z)``, m.
    size_m : sequence of 3 float
        Extents ``(dx, dy, dz)``, m, each > 0.

    Returns
    -------
    trimesh.Trimesh
        Closed mesh spanning ``[x - dx/2, x + dx/2] x [y - dy/2, y + dy/2] x [z, z + dz]``.

    Raises
    ------
    GeometryError
        If the centre or a size is not finite, or a size is not > 0.
    """
    base = _require_point("base_centre_m", base_centre_m, 3)
    size = _require_point("size_m", size_m, 3)
    for axis, value in zip("xyz", size, strict=True):
        require_positive(f"size_m[{axis}]", float(value), "m")
    mesh: trimesh.Trimesh = trimesh.creation.box(extents=size)
    mesh.apply_translation(base + np.array([0.0, 0.0, size[2] / 2.0]))
    return mesh


def pipe_mesh(*, path_m: ArrayLike, diameter_m: float, sections: int = 16) -> trimesh.Trimesh:
    """Pipe along a 3D polyline: one cylinder per segment and a ball at each bend.

    The bodies overlap at the bends; each is closed, so the mesh is watertight and
    :func:`geometry.slicing.section_polygons` unions them. ``mesh.volume`` counts the overlaps
    twice; the solid volume is that of the swept circle.

    Parameters
    ----------
    path_m : (n, 3) float
        Centre-line points, m, n >= 2, consecutive points distinct.
    diameter_m : float
        Outside diameter, m. Must be > 0.
    sections : int
        Number of sides of each cylinder, >= 3.

    Returns
    -------
    trimesh.Trimesh
        Closed mesh (several overlapping bodies when n > 2).

    Raises
    ------
    GeometryError
        If the path has fewer than 2 points, non-finite or repeated points, or the diameter or
        ``sections`` are invalid.
    """
    path = _require_path("path_m", path_m, 3)
    radius = require_positive("diameter_m", diameter_m, "m") / 2.0
    n = _require_sections(sections)
    bodies = [
        trimesh.creation.cylinder(radius=radius, segment=path[i : i + 2], sections=n)
        for i in range(len(path) - 1)
    ]
    for joint in path[1:-1]:
        ball = trimesh.creation.uv_sphere(radius=radius, count=[max(n // 2, 4), n])
        ball.apply_translation(joint)
        bodies.append(ball)
    if len(bodies) == 1:
        single: trimesh.Trimesh = bodies[0]
        return single
    mesh = trimesh.util.concatenate(bodies)
    assert isinstance(mesh, trimesh.Trimesh)
    return mesh


def _triangulate(polygon: Polygon) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Triangulate a polygon with holes: (n, 2) vertices and (m, 3) counter-clockwise faces."""
    triangles = shapely.get_parts(shapely.constrained_delaunay_triangles(polygon))
    coords = shapely.get_coordinates(triangles).reshape(len(triangles), 4, 2)[:, :3, :]
    vertices, inverse = np.unique(coords.reshape(-1, 2), axis=0, return_inverse=True)
    faces = inverse.reshape(-1, 3).astype(np.int64)
    a, b, c = (vertices[faces[:, k]] for k in range(3))
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    faces[cross < 0] = faces[cross < 0][:, ::-1]
    keep = np.abs(cross) > 0.0
    return vertices, faces[keep]


def extrude_polygon_mesh(
    polygon: Polygon | MultiPolygon, *, height_m: float, base_z_m: float = 0.0
) -> trimesh.Trimesh:
    """Extrude a plan polygon (holes allowed) vertically into a closed solid.

    Triangulates with shapely's constrained Delaunay triangulation, so no extra triangulation
    package is needed.

    Parameters
    ----------
    polygon : shapely Polygon or MultiPolygon
        Footprint, m.
    height_m : float
        Extrusion height, m. Must be > 0.
    base_z_m : float
        Elevation of the bottom face, m.

    Returns
    -------
    trimesh.Trimesh
        Closed mesh from ``base_z_m`` to ``base_z_m + height_m``.

    Raises
    ------
    GeometryError
        If the polygon is empty or invalid, or the height is not > 0.
    """
    height = require_positive("height_m", height_m, "m")
    base_z = require_finite("base_z_m", base_z_m, "m")
    if polygon.is_empty or not polygon.is_valid or polygon.area <= 0.0:
        raise GeometryError(
            f"polygon {polygon.wkt[:80]!r}: must be a valid, non-empty polygon with area > 0"
        )
    bodies = []
    for part in shapely.get_parts(polygon):
        vertices, faces = _triangulate(part)
        body = trimesh.creation.extrude_triangulation(vertices, faces, height)
        body.apply_translation([0.0, 0.0, base_z])
        bodies.append(body)
    if len(bodies) == 1:
        return bodies[0]
    mesh = trimesh.util.concatenate(bodies)
    assert isinstance(mesh, trimesh.Trimesh)
    return mesh


def wall_footprint(path_m: ArrayLike, thickness_m: float) -> Polygon | MultiPolygon:
    """Plan footprint of a wall of ``thickness_m`` centred on a 2D polyline, m.

    Open paths end square at their end points (flat caps); corners are mitred (up to
    :data:`WALL_MITRE_LIMIT`, then bevelled). A path whose first and last points are equal is a
    closed loop: the band between the mitred outward and inward offsets of the enclosed polygon.

    Parameters
    ----------
    path_m : (n, 2) float
        Centre-line points, m, n >= 2.
    thickness_m : float
        Wall thickness, m. Must be > 0.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Footprint, m.

    Raises
    ------
    GeometryError
        If the path or the thickness is invalid.
    """
    path = _require_path("path_m", path_m, 2)
    half = require_positive("thickness_m", thickness_m, "m") / 2.0
    if len(path) >= 4 and np.array_equal(path[0], path[-1]):
        enclosed = Polygon(path)
        if not enclosed.is_valid or enclosed.area <= 0.0:
            raise GeometryError(
                f"path_m: the closed loop {path.tolist()} crosses itself or encloses no area"
            )
        outer = enclosed.buffer(half, join_style="mitre", mitre_limit=WALL_MITRE_LIMIT)
        inner = enclosed.buffer(-half, join_style="mitre", mitre_limit=WALL_MITRE_LIMIT)
        footprint = outer.difference(inner)
    else:
        footprint = LineString(path).buffer(
            half, cap_style="flat", join_style="mitre", mitre_limit=WALL_MITRE_LIMIT
        )
    if not isinstance(footprint, Polygon | MultiPolygon) or footprint.is_empty:
        raise GeometryError(
            f"path_m {path.tolist()} with thickness_m = {thickness_m}: empty footprint"
        )
    return footprint


def wall_mesh(
    *, path_m: ArrayLike, height_m: float, thickness_m: float, base_z_m: float = 0.0
) -> trimesh.Trimesh:
    """Wall of constant thickness and height along a 2D centre line.

    Parameters
    ----------
    path_m : (n, 2) float
        Centre-line points, m, n >= 2; equal first and last points close the loop.
    height_m : float
        Wall height, m. Must be > 0.
    thickness_m : float
        Wall thickness, m. Must be > 0.
    base_z_m : float
        Elevation of the wall's foot, m.

    Returns
    -------
    trimesh.Trimesh
        Closed mesh; volume ``footprint area * height_m`` (for a straight wall
        ``length * thickness_m * height_m``).

    Raises
    ------
    GeometryError
        If the path has fewer than 2 points, non-finite or repeated points, or a size is not > 0.
    """
    footprint = wall_footprint(path_m, thickness_m)
    return extrude_polygon_mesh(footprint, height_m=height_m, base_z_m=base_z_m)
