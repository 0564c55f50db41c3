"""Solid obstacles on a 3D voxel grid.

A cell is occupied when its centre lies inside solid material. Each layer ``k`` is the section of
the meshes at the layer's centre height ``grid.z_m[k]`` (:func:`geometry.slicing.section_polygons`,
so overlapping closed bodies union correctly) rasterised on the plan grid with the rule of
:func:`geometry.grid.rasterise` (centre strictly inside). Layers above or below all meshes are
skipped, and each section is tested only on the cells under its bounding box.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

import numpy as np
import shapely
import trimesh
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geometry.grid import Grid2D, Grid3D
from geometry.slicing import section_polygons

logger = logging.getLogger(__name__)


def _rasterise_window(region: Polygon | MultiPolygon, plan: Grid2D) -> NDArray[np.bool_]:
    """Rasterise like :func:`geometry.grid.rasterise`, testing only cells under the bounds."""
    mask = np.zeros(plan.shape, dtype=bool)
    if region.is_empty:
        return mask
    ny, nx = plan.shape
    x0, y0 = plan.origin_m
    h = plan.cell_size_m
    xmin, ymin, xmax, ymax = region.bounds
    # centres (i + 0.5) h + x0 strictly inside [xmin, xmax]
    i0 = max(0, math.floor((xmin - x0) / h - 0.5))
    i1 = min(nx, math.ceil((xmax - x0) / h - 0.5) + 1)
    j0 = max(0, math.floor((ymin - y0) / h - 0.5))
    j1 = min(ny, math.ceil((ymax - y0) / h - 0.5) + 1)
    if i0 >= i1 or j0 >= j1:
        return mask
    xs = plan.x_m[i0:i1]
    ys = plan.y_m[j0:j1]
    xx, yy = np.meshgrid(xs, ys)
    shapely.prepare(region)
    mask[j0:j1, i0:i1] = shapely.contains_xy(region, xx, yy)
    return mask


def voxelise(
    meshes: Iterable[trimesh.Trimesh] | trimesh.Trimesh, grid: Grid3D
) -> NDArray[np.bool_]:
    """Cells of a 3D grid whose centre lies inside solid material.

    Parameters
    ----------
    meshes : iterable of trimesh.Trimesh (or one mesh)
        Closed solids in site coordinates, m (open meshes are handled as in
        :func:`geometry.slicing.section_polygons`).
    grid : Grid3D
        Target grid.

    Returns
    -------
    (nz, ny, nx) bool
        True where the cell centre is inside a solid (a centre exactly on a top face counts as
        inside, on a bottom face as outside, on a side face as outside).
    """
    parts = [meshes] if isinstance(meshes, trimesh.Trimesh) else list(meshes)
    occupied = np.zeros(grid.shape, dtype=bool)
    if not parts:
        return occupied
    bounds = np.array([m.bounds for m in parts])
    zmin, zmax = float(bounds[:, 0, 2].min()), float(bounds[:, 1, 2].max())
    for k, z in enumerate(grid.z_m):
        if not (zmin < z <= zmax):
            continue
        # only parts spanning this height take part in the cut
        here = [m for m, b in zip(parts, bounds, strict=True) if b[0, 2] < z <= b[1, 2]]
        region = section_polygons(here, float(z))
        occupied[k] = _rasterise_window(region, grid.plan)
    logger.debug(
        "voxelised %d parts on %s cells: %d occupied", len(parts), grid.shape, int(occupied.sum())
    )
    return occupied


def occupied_fraction(meshes: Iterable[trimesh.Trimesh] | trimesh.Trimesh, grid: Grid3D) -> float:
    """Fraction of the grid's cells that are inside solids (a volume blockage ratio).

    Parameters
    ----------
    meshes : iterable of trimesh.Trimesh (or one mesh)
        Closed solids in site coordinates, m.
    grid : Grid3D
        Grid over the region of interest.

    Returns
    -------
    float
        Occupied cells / all cells, in [0, 1].
    """
    return float(np.mean(voxelise(meshes, grid)))
