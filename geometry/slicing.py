"""Cut building meshes into plan polygons: solid sections, floor surfaces and walkable levels.

Building mesh convention
------------------------
A building mesh is a set of closed solids in site coordinates (m, ``z`` up): a floor slab per level
(its top face is the floor), walls as boxes or extruded footprints with door openings left as gaps
(lintel boxes above doors are fine), stairs, columns and equipment. A level's walkable region is the
slab's top surface minus the solids cut at body height above it; an exit is a gap in an exterior
wall, so the walkable region reaches the slab edge there.

How a section is computed
-------------------------
:func:`section_polygons` intersects each triangle with the plane ``z = z_m``. A vertex exactly on
the plane counts as above it, so the plane behaves as if it lay infinitesimally below ``z_m``: a
solid whose top is at ``z_m`` is cut, one whose bottom is at ``z_m`` is not. Each intersection point
is computed once per mesh edge, so the segments of a closed surface join exactly. Segments are
oriented from the face winding, with the solid on their left (counter-clockwise around material seen
from above).

* Closed sections (at every crossing edge as many segments start as end: true for any union of
  closed, consistently wound bodies, touching or overlapping, even within one mesh) are resolved by
  the non-zero winding rule: the segments are noded, polygonized into faces, and a face is solid
  where the winding number of the oriented segments around it is not zero. Overlapping bodies
  therefore union correctly and holes (a stairwell in a slab) stay holes. A mesh wound inside-out
  (negative enclosed area) is flipped first.
* Open sections (a mesh with holes or single-sided surfaces at that height) fall back to
  polygonizing the segments: closed loops become faces, nested loops alternate solid/hole (even-odd
  rule), and dangling segments are dropped, so an open surface contributes only where its cut
  happens to close.

:func:`floor_polygons` takes the upward faces (normal ``z > 0.99``) lying within a tolerance of an
elevation and unions their plan projections, vectorised with shapely (a coverage union, checked by
area, and a general union where faces overlap).
"""

from __future__ import annotations

import logging
import math

import numpy as np
import shapely
import trimesh
from numpy.typing import NDArray
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geometry._checks import require_finite, require_positive
from geometry.errors import FloorPlanError, GeometryError
from geometry.floor_plan import Level
from geometry.mesh_io import Meshes, MeshModel, mesh_list
from geometry.plan_layers import MIN_WALKABLE_PART_M2
from geometry.regions import EMPTY_REGION, drop_small_parts, polygonal

logger = logging.getLogger(__name__)

#: Smallest ``z`` component of a unit face normal for the face to count as an upward (floor) face.
UPWARD_NORMAL_Z = 0.99

#: Height above a floor surface, m, at which :func:`floor_elevations` probes for solid covering it
#: (a wall top under the next slab is covered; a slab top is covered where walls stand).
COVER_PROBE_M = 0.02

#: Grid, m, to which the walkable region's coordinates are snapped (removes rounding slivers).
SNAP_GRID_M = 1e-6

#: Walkable passages narrower than this, m, are closed (modelling gaps between touching walls).
MIN_PASSAGE_WIDTH_M = 0.01

#: Faces of zero area (below this, m^2) are ignored when building floor polygons.
_MIN_FACE_AREA_M2 = 1e-12

#: Relative tolerance when comparing a coverage union's area with the summed face areas.
_COVERAGE_AREA_RTOL = 1e-9

#: Number of (point, segment) pairs evaluated per chunk of the winding-number test.
_WINDING_CHUNK = 4_000_000


def _section_segments(mesh: trimesh.Trimesh, z_m: float) -> tuple[NDArray[np.float64], bool]:
    """Cut ``mesh`` at ``z_m``: oriented plan segments (s, 2, 2), solid on the left, and closure.

    The second value is True when every crossing edge starts as many segments as it ends, so the
    segments form closed oriented loops.
    """
    zmin, zmax = float(mesh.bounds[0, 2]), float(mesh.bounds[1, 2])
    if not (zmin < z_m <= zmax):
        return np.empty((0, 2, 2)), True
    vertices = np.asarray(mesh.vertices)
    faces = np.asarray(mesh.faces)
    above = vertices[:, 2] >= z_m
    face_above = above[faces]
    n_above = face_above.sum(axis=1)
    crossing = (n_above == 1) | (n_above == 2)
    if not np.any(crossing):
        return np.empty((0, 2, 2)), True
    fa = face_above[crossing]
    nxt = fa[:, [1, 2, 0]]
    # edge k runs from face vertex k to k+1; exactly one edge goes down and one goes up
    k_down = np.argmax(fa & ~nxt, axis=1)
    k_up = np.argmax(~fa & nxt, axis=1)
    face_edges = np.asarray(mesh.faces_unique_edges)[crossing]
    rows = np.arange(len(fa))
    start = face_edges[rows, k_down]
    end = face_edges[rows, k_up]
    used, inverse = np.unique(np.concatenate([start, end]), return_inverse=True)
    edges = np.asarray(mesh.edges_unique)[used]
    a = vertices[edges[:, 0]]
    b = vertices[edges[:, 1]]
    t = (z_m - a[:, 2]) / (b[:, 2] - a[:, 2])
    points = a[:, :2] + t[:, None] * (b[:, :2] - a[:, :2])
    i_start, i_end = inverse[: len(start)], inverse[len(start) :]
    closed = bool(
        np.array_equal(
            np.bincount(i_start, minlength=len(used)), np.bincount(i_end, minlength=len(used))
        )
    )
    segments = np.stack([points[i_start], points[i_end]], axis=1)
    nonzero = np.any(segments[:, 0] != segments[:, 1], axis=1)
    return segments[nonzero], closed


def _signed_area2(segments: NDArray[np.float64]) -> float:
    """Twice the area enclosed by oriented segments (shoelace sum), m^2."""
    p, q = segments[:, 0], segments[:, 1]
    return float(np.sum(p[:, 0] * q[:, 1] - q[:, 0] * p[:, 1]))


def _winding(
    points: NDArray[np.float64], segments: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Winding numbers and ray crossings of points (p, 2) about oriented segments (s, 2, 2)."""
    ax, ay = segments[None, :, 0, 0], segments[None, :, 0, 1]
    bx, by = segments[None, :, 1, 0], segments[None, :, 1, 1]
    winding = np.zeros(len(points), dtype=np.int64)
    crossings = np.zeros(len(points), dtype=np.int64)
    step = max(1, _WINDING_CHUNK // max(1, len(segments)))
    for lo in range(0, len(points), step):
        px = points[lo : lo + step, 0:1]
        py = points[lo : lo + step, 1:2]
        is_left = (bx - ax) * (py - ay) - (px - ax) * (by - ay)
        up = (ay <= py) & (by > py) & (is_left > 0)
        down = (ay > py) & (by <= py) & (is_left < 0)
        n_up, n_down = up.sum(axis=1), down.sum(axis=1)
        winding[lo : lo + step] = n_up - n_down
        crossings[lo : lo + step] = n_up + n_down
    return winding, crossings


def _robust_linework(lines: NDArray[np.object_]) -> BaseGeometry:
    """Node and dissolve lines; retry with snap rounding if floating-point noding fails."""
    try:
        return shapely.union_all(lines)
    except GEOSException:
        return shapely.union_all(lines, grid_size=SNAP_GRID_M)


def _faces_of(segments: NDArray[np.float64]) -> tuple[NDArray[np.object_], NDArray[np.float64]]:
    """Faces of the arrangement of ``segments`` and a point inside each, (f, 2)."""
    noded = _robust_linework(shapely.linestrings(segments))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0.0]
    inner = (
        shapely.get_coordinates(shapely.point_on_surface(faces)) if len(faces) else np.empty((0, 2))
    )
    return faces, inner


def _union_faces(faces: NDArray[np.object_]) -> Polygon | MultiPolygon:
    if len(faces) == 0:
        return EMPTY_REGION
    try:
        return polygonal(shapely.coverage_union_all(faces))
    except GEOSException:
        return _robust_union(faces)


def _nonzero_region(segments: NDArray[np.float64]) -> Polygon | MultiPolygon:
    """Solid region of closed oriented loops by the non-zero winding rule."""
    faces, inner = _faces_of(segments)
    if len(faces) == 0:
        return EMPTY_REGION
    winding, _ = _winding(inner, segments)
    return _union_faces(faces[winding != 0])


def _line_segments(lines: BaseGeometry) -> NDArray[np.float64]:
    """Straight pieces ``(s, 2, 2)`` of a (multi)line geometry."""
    coords, index = shapely.get_coordinates(shapely.get_parts(lines), return_index=True)
    same = index[1:] == index[:-1]
    return np.stack([coords[:-1][same], coords[1:][same]], axis=1)


def _even_odd_region(segments: NDArray[np.float64]) -> Polygon | MultiPolygon:
    """Region enclosed by the closed loops among unoriented segments, nested loops alternating."""
    faces, inner = _faces_of(segments)
    if len(faces) == 0:
        return EMPTY_REGION
    linework = _robust_linework(shapely.boundary(faces))
    _, crossings = _winding(inner, _line_segments(linework))
    return _union_faces(faces[crossings % 2 == 1])


def section_polygons(meshes: Meshes, z_m: float) -> Polygon | MultiPolygon:
    """Solid material cut by the horizontal plane ``z = z_m``, as plan polygons.

    Parameters
    ----------
    meshes : iterable of trimesh.Trimesh (or one mesh, or a MeshModel)
        Solids in site coordinates, m. Closed, consistently wound bodies (touching or overlapping,
        in one mesh or several) give exact unions; open meshes fall back to polygonizing their cut
        (see the module docstring).
    z_m : float
        Height of the cutting plane, m. A plane through vertices acts as if infinitesimally below
        them.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Union of the cross-sections, m; an empty ``Polygon()`` if nothing is cut.

    Raises
    ------
    GeometryError
        If ``z_m`` is not finite.
    """
    z = require_finite("z_m", z_m, "m")
    closed: list[NDArray[np.float64]] = []
    regions: list[Polygon | MultiPolygon] = []
    for mesh in mesh_list(meshes):
        segments, is_closed = _section_segments(mesh, z)
        if len(segments) == 0:
            continue
        if is_closed:
            if _signed_area2(segments) < 0.0:
                segments = segments[:, ::-1, :]
            closed.append(segments)
        else:
            logger.debug(
                "section at z = %g m: open cut (%d segments), even-odd fallback", z, len(segments)
            )
            regions.append(_even_odd_region(segments))
    if closed:
        regions.append(_nonzero_region(np.concatenate(closed)))
    return _union_regions(regions)


def _upward_faces(
    mesh: trimesh.Trimesh, elevation_m: float | None, tolerance_m: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Upward faces of ``mesh``: plan triangles (n, 3, 2) and their vertex heights (n, 3), m.

    With ``elevation_m`` given, only faces whose three vertices lie within ``tolerance_m`` of it.
    """
    if elevation_m is not None:
        zmin, zmax = float(mesh.bounds[0, 2]), float(mesh.bounds[1, 2])
        if elevation_m < zmin - tolerance_m or elevation_m > zmax + tolerance_m:
            return np.empty((0, 3, 2)), np.empty((0, 3))
    normals = np.asarray(mesh.face_normals)
    mask = (normals[:, 2] > UPWARD_NORMAL_Z) & (np.asarray(mesh.area_faces) > _MIN_FACE_AREA_M2)
    triangles = np.asarray(mesh.triangles)
    if elevation_m is not None:
        mask &= np.all(np.abs(triangles[:, :, 2] - elevation_m) <= tolerance_m, axis=1)
    return triangles[mask][:, :, :2], triangles[mask][:, :, 2]


def _triangle_union(triangles: NDArray[np.float64]) -> Polygon | MultiPolygon:
    """Union plan triangles (n, 3, 2): a coverage union if they tile, else a full union."""
    if len(triangles) == 0:
        return EMPTY_REGION
    rings = np.concatenate([triangles, triangles[:, :1, :]], axis=1)
    polys = shapely.polygons(rings)
    total = float(np.sum(shapely.area(polys)))
    try:
        merged = shapely.coverage_union_all(polys)
        if merged.is_valid and math.isclose(merged.area, total, rel_tol=_COVERAGE_AREA_RTOL):
            return polygonal(merged)
    except GEOSException:
        pass
    # the faces overlap or do not meet edge to edge (T-junctions): a general union is needed
    return _robust_union(polys)


def _union_regions(regions: list[Polygon | MultiPolygon]) -> Polygon | MultiPolygon:
    """Union of regions, skipping empty ones; a single region is returned as it is."""
    regions = [r for r in regions if not r.is_empty]
    if len(regions) <= 1:
        return regions[0] if regions else EMPTY_REGION
    return _robust_union(regions)


def _robust_union(polys: NDArray[np.object_] | list[BaseGeometry]) -> Polygon | MultiPolygon:
    """Union; retried with snap rounding to :data:`SNAP_GRID_M` if floating-point overlay fails."""
    try:
        return polygonal(shapely.union_all(polys))
    except GEOSException:
        return polygonal(shapely.union_all(polys, grid_size=SNAP_GRID_M))


def floor_polygons(
    meshes: Meshes, elevation_m: float, *, tolerance_m: float = 0.05
) -> Polygon | MultiPolygon:
    """Floor surface at an elevation: union of the plan projections of upward faces lying there.

    Parameters
    ----------
    meshes : iterable of trimesh.Trimesh (or one mesh, or a MeshModel)
        Solids in site coordinates, m.
    elevation_m : float
        Floor elevation, m.
    tolerance_m : float
        A face counts if its normal has ``z > 0.99`` and all its vertices lie within this distance
        of ``elevation_m``, m. Must be > 0.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Floor top surface, m; an empty ``Polygon()`` if there is none.

    Raises
    ------
    GeometryError
        If ``elevation_m`` is not finite or ``tolerance_m`` is not > 0.
    """
    elevation = require_finite("elevation_m", elevation_m, "m")
    tol = require_positive("tolerance_m", tolerance_m, "m")
    # one coverage union per mesh: a mesh's own top faces usually tile; across meshes they may
    # overlap
    return _union_regions(
        [_triangle_union(_upward_faces(mesh, elevation, tol)[0]) for mesh in mesh_list(meshes)]
    )


def walkable_region(
    floor: Polygon | MultiPolygon,
    obstacles: Polygon | MultiPolygon,
    *,
    min_region_area_m2: float = MIN_WALKABLE_PART_M2,
) -> Polygon | MultiPolygon:
    """Floor minus obstacles, cleaned: snapped, without hairline passages and small regions.

    The difference is computed on a :data:`SNAP_GRID_M` grid; an opening by half of
    :data:`MIN_PASSAGE_WIDTH_M` (mitred, so straight edges and square corners are kept exactly)
    closes hairline passages between walls that should touch; regions below ``min_region_area_m2``
    are dropped.

    Parameters
    ----------
    floor : shapely Polygon or MultiPolygon
        Floor surface, m.
    obstacles : shapely Polygon or MultiPolygon
        Solids cut at body height, m.
    min_region_area_m2 : float
        Smallest connected region kept, m^2.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Walkable region, m; an empty ``Polygon()`` if nothing is left.
    """
    region = polygonal(floor.difference(obstacles, grid_size=SNAP_GRID_M))
    if region.is_empty:
        return region
    half = MIN_PASSAGE_WIDTH_M / 2.0
    opened = region.buffer(-half, join_style="mitre").buffer(half, join_style="mitre")
    # the opening may leave vertices off the snap grid; re-snap so repeated slicing is stable
    opened = shapely.set_precision(opened, SNAP_GRID_M)
    return drop_small_parts(polygonal(opened), min_region_area_m2)


def floor_elevations(
    model: MeshModel | Meshes, *, tolerance_m: float = 0.05, min_area_m2: float = 1.0
) -> list[float]:
    """Elevations of the distinct floor surfaces in a mesh, m, ascending.

    Upward faces (normal ``z > 0.99``) are grouped by height (a new group starts where the gap to
    the next face height exceeds ``tolerance_m``); a group is a floor if its surface, minus the
    solid cut :data:`COVER_PROBE_M` above its highest face, still has at least ``min_area_m2``. So
    wall tops under the next slab and step treads are not floors; an open roof is.

    Parameters
    ----------
    model : MeshModel or iterable of trimesh.Trimesh
        Building mesh, m.
    tolerance_m : float
        Height tolerance grouping faces into one floor, m. Must be > 0.
    min_area_m2 : float
        Smallest uncovered area of a floor, m^2. Must be > 0.

    Returns
    -------
    list of float
        Floor elevations, m: per group, the face height holding the most area.

    Raises
    ------
    GeometryError
        If ``tolerance_m`` or ``min_area_m2`` is not > 0.
    """
    tol = require_positive("tolerance_m", tolerance_m, "m")
    min_area = require_positive("min_area_m2", min_area_m2, "m^2")
    meshes = mesh_list(model)
    heights_list, areas_list = [], []
    for mesh in meshes:
        triangles, z = _upward_faces(mesh, None, tol)
        flat = (z.max(axis=1) - z.min(axis=1)) <= tol
        heights_list.append(z[flat, 0])
        p, q, r = triangles[flat, 0], triangles[flat, 1], triangles[flat, 2]
        areas_list.append(
            0.5
            * np.abs(
                (q[:, 0] - p[:, 0]) * (r[:, 1] - p[:, 1])
                - (q[:, 1] - p[:, 1]) * (r[:, 0] - p[:, 0])
            )
        )
    heights = np.concatenate(heights_list) if heights_list else np.empty(0)
    areas = np.concatenate(areas_list) if areas_list else np.empty(0)
    if len(heights) == 0:
        return []
    order = np.argsort(heights, kind="stable")
    heights, areas = heights[order], areas[order]
    group = np.concatenate([[0], np.cumsum(np.diff(heights) > tol)])
    found: list[float] = []
    for g in range(int(group[-1]) + 1):
        in_group = group == g
        if float(areas[in_group].sum()) < min_area:
            continue
        values, inverse = np.unique(heights[in_group], return_inverse=True)
        elevation = float(values[np.argmax(np.bincount(inverse, weights=areas[in_group]))])
        probe_z = float(heights[in_group].max()) + COVER_PROBE_M
        free = floor_polygons(meshes, elevation, tolerance_m=tol).difference(
            section_polygons(meshes, probe_z)
        )
        if free.area >= min_area:
            found.append(elevation)
    return found


def slice_level(
    model: MeshModel,
    *,
    level_id: str,
    elevation_m: float,
    body_height_m: float = 1.0,
    min_region_area_m2: float = MIN_WALKABLE_PART_M2,
    tolerance_m: float = 0.05,
) -> Level:
    """Cut one level out of a building mesh: the floor surface minus the solids at body height.

    ``walkable = floor_polygons(elevation_m) - section_polygons(elevation_m + body_height_m)``,
    without the regions smaller than ``min_region_area_m2``; ``obstacles`` is the section at body
    height.

    Parameters
    ----------
    model : MeshModel
        Building mesh, m (see the module docstring for the conventions).
    level_id : str
        Identifier of the level.
    elevation_m : float
        Floor elevation (top of the slab), m.
    body_height_m : float
        Height above the floor at which walls and obstacles are cut, m. Must be > 0.
    min_region_area_m2 : float
        Walkable regions smaller than this are dropped (slivers, wall niches), m^2. Must be >= 0.
    tolerance_m : float
        Height tolerance for floor faces, m. Must be > 0.

    Returns
    -------
    Level
        The level with its walkable region and obstacles.

    Raises
    ------
    FloorPlanError
        If no walkable area remains; the message says why and lists the floor elevations the mesh
        has.
    GeometryError
        If a numeric parameter is out of range.
    """
    elevation = require_finite("elevation_m", elevation_m, "m")
    body = require_positive("body_height_m", body_height_m, "m")
    if not (math.isfinite(min_region_area_m2) and min_region_area_m2 >= 0):
        raise GeometryError(
            f"min_region_area_m2 = {min_region_area_m2!r} m^2: must be a finite number >= 0"
        )
    meshes = list(model.parts.values())
    floor = floor_polygons(meshes, elevation, tolerance_m=tolerance_m)
    cut_z = elevation + body
    obstacles = section_polygons(meshes, cut_z)
    walkable = walkable_region(floor, obstacles, min_region_area_m2=min_region_area_m2)
    if walkable.is_empty:
        if floor.is_empty:
            reason = f"no upward floor surface lies within {tolerance_m:g} m of elevation_m"
        else:
            reason = (
                f"the floor surface there ({floor.area:.4g} m^2) is covered by solids cut at "
                + f"z = {cut_z:g} m or splits into regions smaller than "
                + f"min_region_area_m2 = {min_region_area_m2:g} m^2"
            )
        levels = [round(z, 3) for z in floor_elevations(meshes, tolerance_m=tolerance_m)]
        (x0, y0, z0), (x1, y1, z1) = model.bounds_m
        raise FloorPlanError(
            f"level {level_id!r} at elevation_m = {elevation:g} m in mesh {model.source!r}: "
            + f"no walkable area: {reason}; floor elevations found in the mesh: {levels} m; "
            + f"the mesh measures {x1 - x0:.4g} x {y1 - y0:.4g} m in plan and spans z = "
            + f"{z0:.4g} to {z1:.4g} m: if that is not the building's size and height, check its "
            + "units (a metre file read as cm is 100 times too small), up_axis and offset_m"
        )
    return Level(id=level_id, elevation_m=elevation, walkable=walkable, obstacles=obstacles)
