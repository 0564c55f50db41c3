"""Solid obstacles on a 3D voxel grid.

A cell is occupied when its centre lies inside solid material. Each layer ``k`` is the section of
the meshes at the layer's centre height ``grid.z_m[k]`` (:func:`geometry.slicing.section_polygons`,
so overlapping closed bodies union correctly) rasterised on the plan grid by
:func:`geometry.grid.rasterise` (centre strictly inside, only the cells under the section's bounding
box tested). Layers above or below all meshes are skipped, and each layer is cut through only the
meshes that span its height.
"""

from __future__ import annotations

import logging

import numpy as np
from numpy.typing import NDArray

from geometry.grid import Grid3D, rasterise
from geometry.mesh_io import Meshes, mesh_list
from geometry.slicing import section_polygons

logger = logging.getLogger(__name__)


def voxelise(meshes: Meshes, grid: Grid3D) -> NDArray[np.bool_]:
    """Cells of a 3D grid whose centre lies inside solid material.

    Parameters
    ----------
    meshes : iterable of trimesh.Trimesh (or one mesh, or a MeshModel)
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
    parts = mesh_list(meshes)
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
        occupied[k] = rasterise(region, grid.plan)
    logger.debug(
        "voxelised %d parts on %s cells: %d occupied", len(parts), grid.shape, int(occupied.sum())
    )
    return occupied


def occupied_fraction(meshes: Meshes, grid: Grid3D) -> float:
    """Fraction of the grid's cells that are inside solids (a volume blockage ratio).

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
    return float(np.mean(voxelise(meshes, grid)))
