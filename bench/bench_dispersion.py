"""Speed of the Gaussian puff train on a receptor grid.

A one-hour blowdown (airborne rate decaying as 20 exp(-t / 900 s) kg/s) carried by a 4 m/s wind
from 235 deg, class D, becomes a train of puffs; the field is evaluated on a 500 x 500 grid of
4 m cells at 1.5 m height at 60 times over the hour, through
:func:`solvers.dispersion.concentration_field.evaluate_on_grid` (the puff train's per-axis
factorised grid path). For scale, one time is also evaluated point by point on the same cells.
Run with ``.venv/bin/python bench/bench_dispersion.py``; nothing here is asserted.
"""

from __future__ import annotations

import time

import numpy as np

from geometry.grid import Grid2D
from solvers.atmosphere import Weather
from solvers.dispersion.concentration_field import concentration_field, evaluate_on_grid
from solvers.dispersion.gaussian_puff import gaussian_puff_train
from solvers.source.source_term import SourceTerm

GRID = Grid2D((-400.0, -1600.0), 4.0, (500, 500))
TIMES_S = np.linspace(60.0, 3600.0, 60)
WEATHER = Weather(wind_speed_m_s=4.0, wind_from_deg=235.0, stability_class="D")


def blowdown() -> SourceTerm:
    """A decaying release over one hour, sampled every 5 s."""
    t = np.arange(0.0, 3600.0 + 1.0, 5.0)
    rate = 20.0 * np.exp(-t / 900.0)
    zeros = np.zeros_like(t)
    return SourceTerm(
        substance="methane",
        model="bench-blowdown",
        phase="gas",
        t_s=t,
        discharge_rate_kg_s=rate,
        airborne_rate_kg_s=rate,
        rainout_rate_kg_s=zeros,
        temperature_k=np.full_like(t, 260.0),
        velocity_m_s=zeros,
        aerosol_fraction=zeros,
        release_height_m=5.0,
    )


def main() -> None:
    """Run the benchmark and print the timings."""
    t0 = time.perf_counter()
    train = gaussian_puff_train(blowdown(), WEATHER)
    field = concentration_field(
        train, substance="methane", weather=WEATHER, molar_mass_kg_mol=0.01604
    )
    t_build = time.perf_counter() - t0
    print(f"puff train: {train.masses_kg.size} puffs, {train.total_mass_kg:,.0f} kg")
    print(f"{'build train':<44s} {t_build * 1000:9.1f} ms")

    t0 = time.perf_counter()
    frames = evaluate_on_grid(field, GRID, TIMES_S, z_m=1.5, quantity="volume_fraction")
    t_grid = time.perf_counter() - t0
    ny, nx = GRID.shape
    print(f"{f'grid {nx} x {ny} x {TIMES_S.size} times':<44s} {t_grid * 1000:9.1f} ms")
    print(f"    frames {frames.shape}, peak volume fraction {frames.max():.3g}")

    xx, yy = GRID.centres_m()
    pts = np.column_stack([xx.ravel(), yy.ravel(), np.full(xx.size, 1.5)])
    t0 = time.perf_counter()
    one = field.concentration_kg_m3(pts, float(TIMES_S[-1]))
    t_points = time.perf_counter() - t0
    print(f"{'one time, point by point (same cells)':<44s} {t_points * 1000:9.1f} ms")
    grid_one = field.concentration_on_grid_kg_m3(GRID, 1.5, float(TIMES_S[-1]))
    print(f"    largest difference grid vs points {np.abs(grid_one.ravel() - one).max():.2e} kg/m3")


if __name__ == "__main__":
    main()
