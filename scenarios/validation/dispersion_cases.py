"""Validation cases of the passive (Gaussian) dispersion models.

Analytic identities (mass balance of the plume and the puff, the puff train's steady limit), a
published worked example (Turner's Workbook) and measured data (Project Prairie Grass, scored with
the measures of Chang and Hanna 2004).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scenarios.validation._case_helpers import measure_checks
from scenarios.validation.registry import Check, validation_case
from solvers.atmosphere import StabilityClass, Weather
from solvers.dispersion.gaussian_plume import PlumeSource, gaussian_plume
from solvers.dispersion.gaussian_puff import gaussian_puff_train, instantaneous_puff
from solvers.source.source_term import constant_source

__all__ = [
    "PRAIRIE_GRASS_CSV",
    "PrairieGrassArc",
    "load_prairie_grass",
    "prairie_grass_predictions_kg_m3",
]

#: Arc-maximum concentrations of five Prairie Grass runs (see the file's header for the source).
PRAIRIE_GRASS_CSV = Path(__file__).resolve().parent / "data" / "prairie_grass_arc_max_runs.csv"

_PG_SOURCE = (
    "Barad (1958) Project Prairie Grass, AFCRC-TR-58-235: runs 7, 11, 22, 29, 35, arc maxima "
    + "as transcribed in DisperSim3D's benchmark files; scored per Chang & Hanna (2004)"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrairieGrassArc:
    """One measured arc maximum of a Prairie Grass run."""

    run: int
    stability_class: StabilityClass
    wind_speed_2m_m_s: float
    release_rate_kg_s: float
    release_height_m: float
    receptor_height_m: float
    roughness_m: float
    arc_distance_m: float
    arc_max_concentration_kg_m3: float


def load_prairie_grass(path: Path = PRAIRIE_GRASS_CSV) -> list[PrairieGrassArc]:
    """Read the Prairie Grass arc maxima (lines starting with ``#`` are the source note)."""
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [
            PrairieGrassArc(
                run=int(row["run"]),
                stability_class=row["stability_class"],  # type: ignore[arg-type]
                wind_speed_2m_m_s=float(row["wind_speed_2m_m_s"]),
                release_rate_kg_s=float(row["release_rate_g_s"]) / 1000.0,
                release_height_m=float(row["release_height_m"]),
                receptor_height_m=float(row["receptor_height_m"]),
                roughness_m=float(row["roughness_m"]),
                arc_distance_m=float(row["arc_distance_m"]),
                arc_max_concentration_kg_m3=float(row["arc_max_concentration_kg_m3"]),
            )
            for row in rows
        ]


def prairie_grass_predictions_kg_m3(arcs: list[PrairieGrassArc]) -> NDArray[np.float64]:
    """Predict each arc maximum with the steady plume (Briggs rural, 10-min averages), kg/m^3.

    The arc maximum is taken as the plume's centreline value at the receptor height; the wind is
    the 2 m wind of the experiment (the reference height of the weather).
    """
    out = np.empty(len(arcs))
    for i, arc in enumerate(arcs):
        weather = Weather(
            wind_speed_m_s=arc.wind_speed_2m_m_s,
            wind_from_deg=270.0,
            stability_class=arc.stability_class,
            reference_height_m=2.0,
            surface_roughness_m=arc.roughness_m,
        )
        plume = gaussian_plume(
            PlumeSource(
                mass_rate_kg_s=arc.release_rate_kg_s, release_height_m=arc.release_height_m
            ),
            weather,
        )
        point = np.array([[arc.arc_distance_m, 0.0, arc.receptor_height_m]])
        out[i] = plume.concentration_kg_m3(point)[0]
    return out


@validation_case(
    "dispersion/prairie-grass",
    title="Steady plume (Briggs rural) vs Prairie Grass arc maxima, 50-800 m, classes B-E",
    source=_PG_SOURCE,
    kind="measured",
)
def prairie_grass() -> list[Check]:
    """Score the plume on 25 measured arc maxima against the good-model ranges."""
    arcs = load_prairie_grass()
    observed = np.array([a.arc_max_concentration_kg_m3 for a in arcs])
    return measure_checks(observed, prairie_grass_predictions_kg_m3(arcs), "arc maxima")


@validation_case(
    "dispersion/turner-workbook-example",
    title="Ground-level source, 3 g/s, class D, 7 m/s: concentration 3 km downwind",
    source="Turner (1970) Workbook of Atmospheric Dispersion Estimates, ch. 3, example problem 1 "
    + "(burning dump): 1.1e-5 g/m3 from sigma_y = 190 m, sigma_z = 65 m read from the P-G-T "
    + "curves",
    kind="published",
)
def turner_workbook_example() -> list[Check]:
    """Compare the plume with the Pasquill-Gifford-Turner curves to Turner's worked answer."""
    weather = Weather(wind_speed_m_s=7.0, wind_from_deg=270.0, stability_class="D")
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=3.0e-3), weather, sigma_scheme="pasquill_gifford_turner"
    )
    got = float(plume.concentration_kg_m3(np.array([[3000.0, 0.0, 0.0]]))[0]) * 1000.0
    sigma_y, sigma_z = plume.sigmas_m(3000.0)
    # 10 %: Turner read the spreads off log-log graphs to two figures (190 m, 65 m).
    return [
        Check(quantity="concentration at 3 km", got=got, unit="g/m3", expected=1.1e-5, rel_tol=0.1),
        Check(
            quantity="sigma_y at 3 km", got=float(sigma_y), unit="m", expected=190.0, rel_tol=0.1
        ),
        Check(quantity="sigma_z at 3 km", got=float(sigma_z), unit="m", expected=65.0, rel_tol=0.1),
    ]


def _crosswind_flux_kg_s(
    plume_x_m: float, *, height_m: float, lid_m: float, rate_kg_s: float
) -> float:
    weather = Weather(
        wind_speed_m_s=5.0, wind_from_deg=270.0, stability_class="D", mixing_height_m=lid_m
    )
    plume = gaussian_plume(
        PlumeSource(mass_rate_kg_s=rate_kg_s, release_height_m=height_m), weather
    )
    sigma_y, _ = plume.sigmas_m(plume_x_m)
    y = np.linspace(-8.0 * float(sigma_y), 8.0 * float(sigma_y), 401)
    z = np.linspace(0.0, lid_m, 801)
    yy, zz = np.meshgrid(y, z)
    pts = np.column_stack([np.full(yy.size, plume_x_m), yy.ravel(), zz.ravel()])
    c = plume.concentration_kg_m3(pts).reshape(yy.shape)
    return float(plume.wind_speed_m_s * np.trapezoid(np.trapezoid(c, y, axis=1), z))


@validation_case(
    "dispersion/plume-mass-balance",
    title="Plume flux u*C through crosswind planes equals the release rate (ground and lid)",
    source="Analytic: the reflected Gaussian integrates to one over the mixing layer "
    + "(Turner 1970, ch. 5)",
    kind="analytic",
)
def plume_mass_balance() -> list[Check]:
    """Check the flux at 100 m, 1 km and 20 km (lid reached); 20 m release under a 300 m lid."""
    rate = 2.0
    # 0.1 %: trapezoid quadrature over +-8 sigma_y and 801 heights; the identity itself is exact.
    return [
        Check(
            quantity=f"flux at {x:g} m",
            got=_crosswind_flux_kg_s(x, height_m=20.0, lid_m=300.0, rate_kg_s=rate),
            unit="kg/s",
            expected=rate,
            rel_tol=1e-3,
        )
        for x in (100.0, 1000.0, 20_000.0)
    ]


@validation_case(
    "dispersion/puff-mass-balance",
    title="An instantaneous puff holds its mass at every time (ground and lid reflections)",
    source="Analytic: the integral of a reflected Gaussian puff over the layer is its mass",
    kind="analytic",
)
def puff_mass_balance() -> list[Check]:
    """Integrate a 10 kg puff over space at 60 s, 600 s and 3600 s under a 200 m lid."""
    weather = Weather(
        wind_speed_m_s=4.0, wind_from_deg=200.0, stability_class="C", mixing_height_m=200.0
    )
    puff = instantaneous_puff(10.0, weather, x_m=50.0, y_m=-20.0, release_height_m=30.0)
    checks = []
    for t in (60.0, 600.0, 3600.0):
        _, cx, cy, sy, _ = puff.puffs_at(t)
        half = 7.0 * float(sy[0])
        x = np.linspace(float(cx[0]) - half, float(cx[0]) + half, 61)
        y = np.linspace(float(cy[0]) - half, float(cy[0]) + half, 61)
        z = np.linspace(0.0, 200.0, 81)
        xx, yy, zz = np.meshgrid(x, y, z, indexing="ij")
        pts = np.column_stack([xx.ravel(), yy.ravel(), zz.ravel()])
        c = puff.concentration_kg_m3(pts, t).reshape(xx.shape)
        mass = float(np.trapezoid(np.trapezoid(np.trapezoid(c, z, axis=2), y, axis=1), x))
        # 0.2 %: trapezoid quadrature on 61 x 61 x 81 nodes.
        checks.append(
            Check(quantity=f"mass at {t:g} s", got=mass, unit="kg", expected=10.0, rel_tol=2e-3)
        )
    return checks


@validation_case(
    "dispersion/puff-train-steady-limit",
    title="A long constant release as a puff train reproduces the steady plume",
    source="Analytic: a dense train of puffs integrates to the slender steady plume",
    kind="analytic",
)
def puff_train_steady_limit() -> list[Check]:
    """Puff train over plume on the centreline at 1.5 m, 30 min into a 1 h release."""
    weather = Weather(wind_speed_m_s=5.0, wind_from_deg=300.0, stability_class="D")
    source = constant_source("methane", 2.0, 3600.0, temperature_k=288.0, release_height_m=2.0)
    train = gaussian_puff_train(source, weather)
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=2.0, release_height_m=2.0), weather)
    ex, ey = plume.downwind_unit
    checks = []
    for x in (300.0, 1000.0, 3000.0):
        point = np.array([[x * ex, x * ey, 1.5]])
        ratio = float(
            train.concentration_kg_m3(point, 1800.0)[0] / plume.concentration_kg_m3(point)[0]
        )
        # 1 %: the puffs' spreads follow their own travel distance, not the receptor's; the
        # difference is second order in d(sigma)/dx (about 0.1 % here).
        checks.append(
            Check(quantity=f"train / plume at {x:g} m", got=ratio, expected=1.0, rel_tol=0.01)
        )
    return checks
