"""Speed of the site geometry on the sample LNG terminal, against trimesh in the same process.

Prints wall-clock times of loading the site, slicing buildings, building the outdoor navigation
grid (walkable cells clear of obstacles, openings carved back) and the obstacle voxels (building
envelopes and obstacle solids, overlap rule), and the ratio of our layer-by-layer voxeliser under
the *centre* rule to trimesh's point-in-mesh test (``Trimesh.contains``, ray parity) on the same
cell centres: both answer "is this cell centre inside a solid?", so their cells can be compared one
to one. Run with ``.venv/bin/python bench/bench_geometry.py`` (or ``make bench``); nothing here is
asserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from geometry.grid import Grid3D
from geometry.voxels import voxelise
from twin import load_site

SITE = Path(__file__).resolve().parents[1] / "examples" / "sites" / "lng_terminal" / "site.yaml"
T = TypeVar("T")

#: Layers of the reference check: trimesh.contains is slow, so it runs on a few layers only.
REFERENCE_LAYERS = 4


def _timed(label: str, fn: Callable[[], T]) -> tuple[T, float]:
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<48s} {dt * 1000:9.1f} ms")
    return out, dt


def main() -> None:
    """Run the benchmark and print a table of timings and ratios."""
    site, _ = _timed("load + validate site (incl. slicing)", lambda: load_site(SITE))
    view = site.view()
    _timed("outdoor walkable level", lambda: view.outdoor_level)
    (grid2, mask), _ = _timed(
        "navigation grid outdoor @ 0.5 m", lambda: view.navigation_grid("outdoor", 0.5)
    )
    print(f"    grid {grid2.shape[1]} x {grid2.shape[0]} cells, {int(mask.sum()):,} walkable")
    meshes = list(view.solid_meshes.values())
    (grid3, solid), t_ours = _timed(
        "obstacle voxels @ 2 m (overlap rule)", lambda: view.obstacle_voxels(2.0)
    )
    nz, ny, nx = grid3.shape
    print(f"    grid {nx} x {ny} x {nz} = {nz * ny * nx:,} cells, {int(solid.sum()):,} solid")

    # Same cells, fresh (uncached) call of our voxeliser on the layers the reference checks, under
    # the centre rule, which is what trimesh.contains on the cell centres computes.
    sub = Grid3D(grid3.plan, grid3.origin_z_m, REFERENCE_LAYERS)
    ours, t_sub = _timed(
        f"voxelise, {REFERENCE_LAYERS} layers (ours, centre rule)",
        lambda: voxelise(meshes, sub, rule="centre"),
    )

    def reference() -> np.ndarray:
        xx, yy = grid3.plan.centres_m()
        occupied = np.zeros(sub.shape, dtype=bool)
        for k, z in enumerate(sub.z_m):
            pts = np.column_stack([xx.ravel(), yy.ravel(), np.full(xx.size, z)])
            layer = np.zeros(xx.size, dtype=bool)
            for mesh in meshes:
                lo, hi = mesh.bounds
                near = np.all((pts >= lo) & (pts <= hi), axis=1)
                if near.any():
                    layer[near] |= mesh.contains(pts[near])
            occupied[k] = layer.reshape(xx.shape)
        return occupied

    ref, t_ref = _timed(f"voxelise, {REFERENCE_LAYERS} layers (trimesh.contains)", reference)
    agree = float(np.mean(ours == ref))
    print(f"    cells agreeing with trimesh (centre rule): {agree * 100:.3f} %")
    print(f"speed ratio trimesh / ours on the same cells (centre rule): {t_ref / t_sub:.1f}x")
    print(f"full voxel grid at 2 m: {t_ours:.2f} s for {grid3.shape[0] * ny * nx:,} cells")


if __name__ == "__main__":
    main()
