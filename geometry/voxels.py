"""Solid obstacles on a 3D voxel grid, by one of two rules.

``rule="overlap"`` (the default; what a dispersion or wind solver needs): a cell is solid when a
solid reaches into the cell's box. Built part by part and layer by layer: the part's horizontal
sections at a few heights inside the part of the layer it spans (just above the lower face of that
span, its middle, just below its upper face; the span's faces are the layer's faces or the part's
own bottom and top when those fall inside the layer) are unioned and rasterised in plan by the exact
square test of :func:`geometry.grid.rasterise_overlapping`. A solid must reach more than
``FACE_OFFSET`` of a cell into a layer to count in it, so a box whose faces lie on cell faces fills
exactly its own cells. The result is exact for vertical prisms (boxes, standing cylinders, walls,
extruded footprints: their section is the same at every height, so it is cut once); for other
shapes (horizontal pipes, spheres) the plan extent between the sampled heights is taken as the
union of the samples, which can miss a sliver at most where the section is wider between samples
than at them.

``rule="centre"``: a cell is solid when its centre lies inside solid material. Each layer ``k`` is
the section of the meshes at the layer's centre height ``grid.z_m[k]``
(:func:`geometry.slicing.section_polygons`, so overlapping closed bodies union correctly) rasterised
on the plan grid by :func:`geometry.grid.rasterise` (centre strictly inside). Unbiased for volumes
(:func:`occupied_fraction` uses it) but a wall or slab thinner than a cell can fall between centres
and vanish.

Under both rules layers above or below all meshes are skipped, and each layer is cut through only
the meshes that span its height.
"""

from __future__ import annotations

import logging
import math
from typing import Literal

import numpy as np
import shapely
import trimesh
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geometry.errors import GeometryError
from geometry.grid import Grid3D, rasterise, rasterise_overlapping
from geometry.mesh_io import Meshes, mesh_list
from geometry.slicing import section_polygons

logger = logging.getLogger(__name__)

#: Voxelisation rules accepted by :func:`voxelise`.
VOXEL_RULES = ("overlap", "centre")

#: Depth, as a fraction of the cell edge, a solid must reach into a layer to count in it under the
#: overlap rule; also the offset of the sections from the faces of the span they sample (a section
#: exactly on a face is degenerate).
FACE_OFFSET = 1e-4

#: Largest ``|n_z|`` of a unit face normal for the face to count as vertical (prism test), and
#: largest height difference, m, between a vertex and the part's bottom or top face.
_PRISM_TOLERANCE = 1e-6


def _is_vertical_prism(mesh: trimesh.Trimesh) -> bool:
    """Tell whether every vertex is on the bottom or top plane and every other face is vertical."""
    z = mesh.vertices[:, 2]
    zmin, zmax = float(z.min()), float(z.max())
    on_caps = (np.abs(z - zmin) <= _PRISM_TOLERANCE) | (np.abs(z - zmax) <= _PRISM_TOLERANCE)
    if not on_caps.all():
        return False
    nz = np.abs(mesh.face_normals[:, 2])
    return bool(np.all((nz <= _PRISM_TOLERANCE) | (nz >= 1.0 - _PRISM_TOLERANCE)))


def _layer_span(grid: Grid3D, zmin_m: float, zmax_m: float) -> tuple[int, int]:
    """Layers ``k0 <= k < k1`` the part reaches into by more than ``FACE_OFFSET`` of a cell."""
    h = grid.cell_size_m
    eps = FACE_OFFSET * h
    k0 = max(0, math.floor((zmin_m + eps - grid.origin_z_m) / h))
    k1 = min(grid.nz, math.ceil((zmax_m - eps - grid.origin_z_m) / h))
    return k0, k1


def _sampled_section(
    mesh: trimesh.Trimesh, lower_m: float, upper_m: float, eps_m: float
) -> Polygon | MultiPolygon:
    """Union of the sections just above ``lower_m``, at the middle and just below ``upper_m``."""
    heights = (lower_m + eps_m, 0.5 * (lower_m + upper_m), upper_m - eps_m)
    sections = [section_polygons([mesh], z) for z in heights]
    region = shapely.union_all(sections)
    return region if isinstance(region, Polygon | MultiPolygon) else Polygon()


def _voxelise_overlap(parts: list[trimesh.Trimesh], grid: Grid3D) -> NDArray[np.bool_]:
    occupied = np.zeros(grid.shape, dtype=bool)
    h = grid.cell_size_m
    eps = FACE_OFFSET * h
    for mesh in parts:
        zmin, zmax = (float(v) for v in mesh.bounds[:, 2])
        k0, k1 = _layer_span(grid, zmin, zmax)
        if k0 >= k1:
            continue
        if _is_vertical_prism(mesh):
            plan = rasterise_overlapping(section_polygons([mesh], 0.5 * (zmin + zmax)), grid.plan)
            occupied[k0:k1] |= plan
            continue
        for k in range(k0, k1):
            lower = max(zmin, grid.origin_z_m + k * h)
            upper = min(zmax, grid.origin_z_m + (k + 1) * h)
            region = _sampled_section(mesh, lower, upper, eps)
            occupied[k] |= rasterise_overlapping(region, grid.plan)
    return occupied


def _voxelise_centre(parts: list[trimesh.Trimesh], grid: Grid3D) -> NDArray[np.bool_]:
    occupied = np.zeros(grid.shape, dtype=bool)
    bounds = np.array([m.bounds for m in parts])
    zmin, zmax = float(bounds[:, 0, 2].min()), float(bounds[:, 1, 2].max())
    for k, z in enumerate(grid.z_m):
        if not (zmin < z <= zmax):
            continue
        # only parts spanning this height take part in the cut
        here = [m for m, b in zip(parts, bounds, strict=True) if b[0, 2] < z <= b[1, 2]]
        occupied[k] = rasterise(section_polygons(here, float(z)), grid.plan)
    return occupied


def voxelise(
    meshes: Meshes, grid: Grid3D, *, rule: Literal["overlap", "centre"] = "overlap"
) -> NDArray[np.bool_]:
    """Cells of a 3D grid occupied by solids.

    Parameters
    ----------
    meshes : iterable of trimesh.Trimesh (or one mesh, or a MeshModel)
        Closed solids in site coordinates, m (open meshes are handled as in
        :func:`geometry.slicing.section_polygons`).
    grid : Grid3D
        Target grid.
    rule : {"overlap", "centre"}
        ``"overlap"``: a cell is solid when a solid reaches into its box (by more than
        ``FACE_OFFSET`` of a cell vertically; in plan, sharing interior points with the cell's
        square). ``"centre"``: a cell is solid when its centre is inside a solid (a centre exactly
        on a top face counts as inside, on a bottom face as outside, on a side face as outside).
        See the module notes.

    Returns
    -------
    (nz, ny, nx) bool
        True where the cell is solid under ``rule``.

    Raises
    ------
    GeometryError
        If ``rule`` is not one of ``VOXEL_RULES``.
    """
    if rule not in VOXEL_RULES:
        raise GeometryError(f"rule = {rule!r}: must be one of {list(VOXEL_RULES)}")
    parts = mesh_list(meshes)
    if not parts:
        return np.zeros(grid.shape, dtype=bool)
    occupied = (
        _voxelise_overlap(parts, grid) if rule == "overlap" else _voxelise_centre(parts, grid)
    )
    logger.debug(
        "voxelised %d parts on %s cells (%s rule): %d occupied",
        len(parts),
        grid.shape,
        rule,
        int(occupied.sum()),
    )
    return occupied


def occupied_fraction(meshes: Meshes, grid: Grid3D) -> float:
    """Fraction of the grid's cells whose centre is inside solids (a volume blockage ratio).

    Uses the centre rule of :func:`voxelise`, whose cell count estimates the solid volume without
    the overlap rule's bias towards larger volumes.

    Parameters
    ----------
    meshes : iterable of trimesh.Trimesh (or one mesh, or a MeshModel)
        Closed solids in site coordinates, m.
    grid : Grid3D
        Grid over the region of interest.

    Returns
    -------
    float
        Occupied cells / all cells, in [0, 1].
    """
    return float(np.mean(voxelise(meshes, grid, rule="centre")))
