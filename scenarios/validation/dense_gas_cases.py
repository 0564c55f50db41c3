"""Validation cases of the dense-gas models (Britter-McQuaid correlations, slab and box model).

A published worked example (the CCPS Burro LNG example of the Britter-McQuaid method), analytic
identities of the slab and box model (mass balance, continuity at the passive transition, the
passive limit) and measured data: the maximum arc-wise concentrations of ten LNG spill trials
(Burro 3, 7, 8, 9; Coyote 3, 5, 6; Maplin Sands 27, 34, 35), scored with the measures of
Chang and Hanna (2004) against their good-model ranges.

Not included, for want of tabulated inputs and observations that could be checked: Thorney
Island (instantaneous Freon-nitrogen releases), Desert Tortoise (ammonia) and Jack Rabbit II
(chlorine). Falcon is left out because its vapour fence is outside the models' scope.

Trial inputs: the wind at 10 m comes from the tabulated friction velocity, Monin-Obukhov length
and roughness through the log law with the Businger-Dyer corrections (Paulson 1970; von Karman
constant 0.41 as in the FDS Validation Guide); the Pasquill class is the one whose Golder (1972)
``1/L`` at the trial's roughness is nearest the tabulated ``1/L``. The gas leaves the pool as
methane at -162 C at the tabulated mass over duration.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scenarios.validation._case_helpers import measure_checks
from scenarios.validation.registry import Check, validation_case
from scenarios.validation.statistics import performance_measures
from solvers.atmosphere import StabilityClass, Weather
from solvers.dispersion._dense_gas_common import (
    GAS_CONSTANT_J_MOL_K,
    humid_air_density_kg_m3,
)
from solvers.dispersion.dense_gas_britter_mcquaid import BritterMcQuaidPlume, britter_mcquaid_plume
from solvers.dispersion.dense_gas_slab import SlabSettings, slab_cloud, slab_plume
from solvers.dispersion.gaussian_plume import PlumeSource, gaussian_plume
from solvers.dispersion.stability import monin_obukhov_length_m
from solvers.substances.library import substance

__all__ = [
    "LNG_ARC_MAXIMA_CSV",
    "LNG_CONDITIONS_CSV",
    "LngTrial",
    "britter_mcquaid_trial_plume",
    "load_lng_trials",
    "slab_trial_plume",
]

_DATA_DIR = Path(__file__).resolve().parent / "data"
#: Trial conditions (see the file's header for the source).
LNG_CONDITIONS_CSV = _DATA_DIR / "lng_trial_conditions.csv"
#: Maximum arc-wise concentrations (see the file's header for the source).
LNG_ARC_MAXIMA_CSV = _DATA_DIR / "lng_trial_arc_maxima.csv"

_TRIALS_SOURCE = (
    "Burro 3/7/8/9, Coyote 3/5/6, Maplin Sands 27/34/35: conditions from the NIST FDS "
    + "Validation Guide (LNG Dispersion Experiments table), arc maxima from the LNG MEP database "
    + "(Ivings et al. 2007) as used by the FDS validation; scored per Chang & Hanna (2004)"
)
#: Gas temperature leaving the LNG pool, K (-162 C, the FDS Validation Guide's assumption).
LNG_GAS_TEMPERATURE_K = 111.15
#: Standard pressure for trials without a reported one (Maplin Sands, at sea level), Pa.
_SEA_LEVEL_PRESSURE_PA = 101_325.0
#: Von Karman constant of the trial wind profiles (FDS Validation Guide).
_TRIAL_VON_KARMAN = 0.41
#: Businger-Dyer coefficients of the momentum profile (Businger et al. 1971; Dyer 1974).
_BD_STABLE = 5.0
_BD_UNSTABLE = 16.0
#: Floor of the scored volume fractions (0.1 %): Chang and Hanna's (2004) threshold for
#: near-zero data, here at the resolution of the trials' gas sensors quoted by the MEP.
SCORING_FLOOR_VOLUME_FRACTION = 1e-3
#: Half-width over diameter of the square of equal area to a circular pool, sqrt(pi)/4.
_POOL_HALF_WIDTH_PER_DIAMETER = math.sqrt(math.pi) / 4.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LngTrial:
    """Conditions and arc maxima of one LNG spill trial (units as in the field names)."""

    name: str
    mass_rate_kg_s: float
    duration_s: float
    pool_diameter_m: float
    friction_velocity_m_s: float
    weather: Weather
    arc_distance_m: NDArray[np.float64]
    observed_volume_fraction: NDArray[np.float64]


def _psi_m(zeta: float) -> float:
    """Integrated Businger-Dyer momentum correction (Paulson 1970)."""
    if zeta >= 0.0:
        return -_BD_STABLE * zeta
    x = (1.0 - _BD_UNSTABLE * zeta) ** 0.25
    return (
        2.0 * math.log((1.0 + x) / 2.0)
        + math.log((1.0 + x * x) / 2.0)
        - 2.0 * math.atan(x)
        + math.pi / 2.0
    )


def _wind_at_10m(u_star: float, obukhov_m: float, z0_m: float) -> float:
    z = 10.0
    profile = math.log(z / z0_m) - _psi_m(z / obukhov_m) + _psi_m(z0_m / obukhov_m)
    return u_star / _TRIAL_VON_KARMAN * profile


def _nearest_class(obukhov_m: float, z0_m: float) -> StabilityClass:
    classes: tuple[StabilityClass, ...] = ("A", "B", "C", "D", "E", "F")
    inverse = {c: 1.0 / monin_obukhov_length_m(c, z0_m) for c in classes}
    return min(classes, key=lambda c: abs(inverse[c] - 1.0 / obukhov_m))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def load_lng_trials(
    conditions: Path = LNG_CONDITIONS_CSV, arc_maxima: Path = LNG_ARC_MAXIMA_CSV
) -> list[LngTrial]:
    """Read the LNG trial conditions and arc maxima (``#`` lines are the source notes)."""
    maxima: dict[str, list[tuple[float, float]]] = {}
    for row in _rows(arc_maxima):
        maxima.setdefault(row["trial"], []).append(
            (float(row["arc_distance_m"]), float(row["max_volume_percent"]) / 100.0)
        )
    trials = []
    for row in _rows(conditions):
        z0 = float(row["roughness_length_m"])
        obukhov = float(row["obukhov_length_m"])
        u_star = float(row["friction_velocity_m_s"])
        pressure = (
            float(row["ambient_pressure_mbar"]) * 100.0
            if row["ambient_pressure_mbar"]
            else _SEA_LEVEL_PRESSURE_PA
        )
        weather = Weather(
            wind_speed_m_s=_wind_at_10m(u_star, obukhov, z0),
            wind_from_deg=270.0,
            stability_class=_nearest_class(obukhov, z0),
            ambient_temperature_k=float(row["ambient_temperature_c"]) + 273.15,
            ambient_pressure_pa=pressure,
            relative_humidity=float(row["relative_humidity_percent"]) / 100.0,
            reference_height_m=10.0,
            surface_roughness_m=z0,
        )
        points = maxima[row["trial"]]
        trials.append(
            LngTrial(
                name=row["trial"],
                mass_rate_kg_s=float(row["fuel_mass_kg"]) / float(row["spill_duration_s"]),
                duration_s=float(row["spill_duration_s"]),
                pool_diameter_m=float(row["pool_diameter_m"]),
                friction_velocity_m_s=u_star,
                weather=weather,
                arc_distance_m=np.array([d for d, _ in points]),
                observed_volume_fraction=np.array([c for _, c in points]),
            )
        )
    return trials


def slab_trial_plume(trial: LngTrial) -> NDArray[np.float64]:
    """Return the slab model's centreline volume fractions at the trial's arcs."""
    plume = slab_plume(
        substance_key="methane",
        mass_rate_kg_s=trial.mass_rate_kg_s,
        temperature_k=LNG_GAS_TEMPERATURE_K,
        weather=trial.weather,
        source_half_width_m=_POOL_HALF_WIDTH_PER_DIAMETER * trial.pool_diameter_m,
        settings=SlabSettings(friction_velocity_m_s=trial.friction_velocity_m_s),
    )
    return plume.centreline_volume_fraction(trial.arc_distance_m)


def britter_mcquaid_trial_plume(trial: LngTrial, *, non_isothermal: bool) -> BritterMcQuaidPlume:
    """Return the Britter-McQuaid plume of a trial (methane at -162 C)."""
    w = trial.weather
    rho0 = (
        w.ambient_pressure_pa
        * substance("methane").molar_mass_kg_mol
        / (GAS_CONSTANT_J_MOL_K * LNG_GAS_TEMPERATURE_K)
    )
    return britter_mcquaid_plume(
        volume_rate_m3_s=trial.mass_rate_kg_s / rho0,
        source_density_kg_m3=rho0,
        source_temperature_k=LNG_GAS_TEMPERATURE_K,
        wind_speed_10m_m_s=w.wind_speed_m_s,
        air_density_kg_m3=humid_air_density_kg_m3(w),
        ambient_temperature_k=w.ambient_temperature_k,
        non_isothermal=non_isothermal,
    )


def _measure_checks(
    observed: NDArray[np.float64], predicted: NDArray[np.float64], what: str
) -> list[Check]:
    return measure_checks(observed, predicted, what, min_value=SCORING_FLOOR_VOLUME_FRACTION)


@validation_case(
    "dense_gas/ccps-burro-lfl-distance",
    title="Britter-McQuaid: distance to the LFL (5 %) of a 0.23 m3/s LNG spill in 10.9 m/s wind",
    source="CCPS (1999) Guidelines for Consequence Analysis of Chemical Releases, p. 122, "
    + "Britter-McQuaid example (Burro LNG conditions): D = 2.26 m, distance 367 m",
    kind="published",
)
def ccps_burro_lfl_distance() -> list[Check]:
    """Compare with the CCPS worked example.

    10 % covers reading the nomogram fits by hand (about 0.03 in beta = log10(x/D)) and the air
    density the example rounds.
    """
    rho_vapour = 1.76
    plume = britter_mcquaid_plume(
        volume_rate_m3_s=0.23 * 425.6 / rho_vapour,
        source_density_kg_m3=rho_vapour,
        source_temperature_k=111.15,
        wind_speed_10m_m_s=10.9,
        air_density_kg_m3=101_325.0 * 0.0289644 / (GAS_CONSTANT_J_MOL_K * 298.0),
        ambient_temperature_k=298.0,
    )
    return [
        Check(
            quantity="length scale D = sqrt(q0/u)",
            got=plume.length_scale_m,
            unit="m",
            expected=2.26,
            abs_tol=0.01,
        ),
        Check(
            quantity="distance to 5 % (non-isothermal)",
            got=plume.distance_to_m(0.05),
            unit="m",
            expected=367.0,
            rel_tol=0.10,
        ),
    ]


def _example_weather() -> Weather:
    return Weather(
        wind_speed_m_s=3.0,
        wind_from_deg=270.0,
        stability_class="D",
        ambient_temperature_k=293.15,
        surface_roughness_m=0.03,
    )


def _extent(values: NDArray[np.float64], coords: NDArray[np.float64]) -> float:
    """Length of the coordinate range where ``values`` is positive (a top-hat's extent)."""
    inside = values > 0.0
    step = coords[1] - coords[0]
    return float(np.count_nonzero(inside) * step)


def _line_integral(values: NDArray[np.float64], coords: NDArray[np.float64]) -> float:
    return float(np.trapezoid(values, coords))


@validation_case(
    "dense_gas/slab-mass-balance",
    title="Slab plume carries the release rate; box cloud keeps its mass (dense and passive)",
    source="Analytic: steady continuity of the substance (flux = release rate) and mass "
    + "conservation of an instantaneous cloud",
    kind="analytic",
)
def slab_mass_balance() -> list[Check]:
    """Measure the flux of a chlorine plume and the mass of a chlorine cloud from their fields.

    Top-hat extents in the dense stage, line integrals of the Gaussian in the passive stage;
    1 % covers the sampling of the top-hat edges.
    """
    weather = _example_weather()
    rate = 5.0
    plume = slab_plume(
        substance_key="chlorine", mass_rate_kg_s=rate, temperature_k=239.2, weather=weather
    )
    checks = []
    for x in (0.5 * plume.end_m, 3.0 * plume.end_m):
        speed = float(plume.speed_at_m_s(x))
        if x <= plume.end_m:
            b = float(np.interp(x, plume.x_m, plume.half_width_m))
            h = float(np.interp(x, plume.x_m, plume.height_m))
            y = np.linspace(-1.5 * b, 1.5 * b, 30_001)
            z = np.linspace(0.0, 1.5 * h, 30_001)
            peak = float(plume.concentration_at_kg_m3(x, 0.0, 0.5 * h))
            width = _extent(plume.concentration_at_kg_m3(x, y, 0.5 * h), y)
            height = _extent(plume.concentration_at_kg_m3(x, 0.0, z), z)
            flux = peak * width * height * speed
        else:
            y = np.linspace(-5000.0, 5000.0, 20_001)
            z = np.linspace(0.0, 5000.0, 20_001)
            peak = float(plume.concentration_at_kg_m3(x, 0.0, 0.0))
            across = _line_integral(plume.concentration_at_kg_m3(x, y, 0.0), y)
            up = _line_integral(plume.concentration_at_kg_m3(x, 0.0, z), z)
            flux = across * up / peak * speed
        checks.append(
            Check(
                quantity=f"substance flux at {x:.0f} m",
                got=flux,
                unit="kg/s",
                expected=rate,
                rel_tol=0.01,
            )
        )
    mass = 2000.0
    cloud = slab_cloud(substance_key="chlorine", mass_kg=mass, temperature_k=239.2, weather=weather)
    for t in (0.5 * cloud.end_s, 2.0 * cloud.end_s):
        centre = float(cloud.centre_at_m(t))
        if t <= cloud.end_s:
            radius = float(np.interp(t, cloud.t_s, cloud.radius_m))
            height = float(np.interp(t, cloud.t_s, cloud.height_m))
            grid = np.linspace(-1.2 * radius, 1.2 * radius, 1201)
            xx, yy = np.meshgrid(centre + grid, grid, indexing="ij")
            plan = cloud.concentration_at_kg_m3(xx, yy, 0.5 * height, t)
            area = np.count_nonzero(plan > 0.0) * (grid[1] - grid[0]) ** 2
            z = np.linspace(0.0, 1.5 * height, 30_001)
            got = (
                float(plan.max())
                * area
                * _extent(cloud.concentration_at_kg_m3(centre, 0.0, z, t), z)
            )
        else:
            line = np.linspace(-20_000.0, 20_000.0, 40_001)
            z = np.linspace(0.0, 5000.0, 20_001)
            peak = float(cloud.concentration_at_kg_m3(centre, 0.0, 0.0, t))
            along = _line_integral(cloud.concentration_at_kg_m3(centre + line, 0.0, 0.0, t), line)
            across = _line_integral(cloud.concentration_at_kg_m3(centre, line, 0.0, t), line)
            up = _line_integral(cloud.concentration_at_kg_m3(centre, 0.0, z, t), z)
            got = along * across * up / peak**2
        checks.append(
            Check(
                quantity=f"cloud mass at {t:.0f} s",
                got=got,
                unit="kg",
                expected=mass,
                rel_tol=0.01,
            )
        )
    return checks


@validation_case(
    "dense_gas/slab-transition-continuity",
    title="Slab plume and box cloud: centreline concentration continuous at the passive transition",
    source="Analytic: the virtual-source Gaussian matches the top-hat's crosswind integrals and "
    + "transport speed, so its centreline value equals the top-hat value",
    kind="analytic",
)
def slab_transition_continuity() -> list[Check]:
    """Compare the centreline values just past and just before the transition.

    1 %: the steps are 1e-4 of the transition distance and time.
    """
    weather = _example_weather()
    plume = slab_plume(
        substance_key="chlorine", mass_rate_kg_s=5.0, temperature_k=239.2, weather=weather
    )
    before, after = plume.centreline_volume_fraction(
        [plume.end_m * (1 - 1e-4), plume.end_m * (1 + 1e-4)]
    )
    cloud = slab_cloud(
        substance_key="chlorine", mass_kg=2000.0, temperature_k=239.2, weather=weather
    )
    early, late = cloud.peak_volume_fraction([cloud.end_s * (1 - 1e-4), cloud.end_s * (1 + 1e-4)])
    return [
        Check(
            quantity=f"plume after/before at {plume.end_m:.0f} m",
            got=float(after / before),
            expected=1.0,
            rel_tol=0.01,
        ),
        Check(
            quantity=f"cloud after/before at {cloud.end_s:.0f} s",
            got=float(late / early),
            expected=1.0,
            rel_tol=0.01,
        ),
    ]


@validation_case(
    "dense_gas/slab-passive-limit",
    title="Slab plume of a nearly neutral gas (ethane, transition disabled) vs the Gaussian plume",
    source="Analytic limit: with Ri* -> 0 the slab's top entrainment (0.55 u*) and Briggs lateral "
    + "growth approach passive dispersion; class D, within a factor 1.5 to 1 km, 2 at 3 km",
    kind="analytic",
)
def slab_passive_limit() -> list[Check]:
    """Compare the slab centreline with the Gaussian plume's (Briggs rural, class D).

    A factor 1.5 up to 1 km covers the different transport speeds: the slab moves at the wind
    averaged over its depth, the Gaussian plume at the 10 m wind its sigmas were fitted with.
    At 3 km a factor 2: Briggs' sigma_z grows more slowly beyond 1 km ((1 + 0.0015 x)^-1/2)
    while the slab's top entrainment stays at 0.55 u*.
    """
    weather = Weather(
        wind_speed_m_s=5.0,
        wind_from_deg=270.0,
        stability_class="D",
        surface_roughness_m=0.1,
        relative_humidity=0.0,
    )
    settings = SlabSettings(
        transition_density_excess=0.0, transition_richardson_number=0.0, max_distance_m=5000.0
    )
    plume = slab_plume(
        substance_key="ethane",
        mass_rate_kg_s=0.1,
        temperature_k=293.15,
        weather=weather,
        source_half_width_m=0.5,
        settings=settings,
    )
    gauss = gaussian_plume(PlumeSource(mass_rate_kg_s=0.1), weather)
    checks = []
    for x, factor in ((100.0, 1.5), (300.0, 1.5), (1000.0, 1.5), (3000.0, 2.0)):
        ratio = float(plume.concentration_at_kg_m3(x, 0.0, 0.0)) / float(
            gauss.concentration_kg_m3(np.array([[x, 0.0, 0.0]]))[0]
        )
        checks.append(
            Check(
                quantity=f"slab / Gaussian at {x:.0f} m", got=ratio, lower=1 / factor, upper=factor
            )
        )
    return checks


@validation_case(
    "dense_gas/lng-trials-slab",
    title="Slab plume vs maximum arc concentrations of ten LNG spill trials (43 arcs, 57-800 m)",
    source=_TRIALS_SOURCE,
    kind="measured",
)
def lng_trials_slab() -> list[Check]:
    """Score the slab model's centreline against the arc maxima (floor 0.1 %)."""
    trials = load_lng_trials()
    observed = np.concatenate([t.observed_volume_fraction for t in trials])
    predicted = np.concatenate([slab_trial_plume(t) for t in trials])
    return _measure_checks(observed, predicted, "arc maxima")


@validation_case(
    "dense_gas/lng-trials-britter-mcquaid",
    title="Britter-McQuaid vs the LNG trial arc maxima inside the charted range (Cm/C0 0.1-0.002)",
    source=_TRIALS_SOURCE,
    kind="measured",
)
def lng_trials_britter_mcquaid() -> list[Check]:
    """Score the isothermal Britter-McQuaid answer on the arcs its charts cover.

    Also check that the non-isothermal (adiabatic-mixing) answer over-predicts, as the
    workbook's bracket implies when the ground heats the cloud (Burro and Coyote over warm
    ground, Maplin Sands over the sea).
    """
    observed, isothermal, adiabatic = [], [], []
    for trial in load_lng_trials():
        iso = britter_mcquaid_trial_plume(trial, non_isothermal=False)
        adia = britter_mcquaid_trial_plume(trial, non_isothermal=True)
        for x, c in zip(trial.arc_distance_m, trial.observed_volume_fraction, strict=True):
            if iso.is_within_chart(float(x)):
                observed.append(c)
                isothermal.append(float(iso.centreline_volume_fraction(x)))
                adiabatic.append(float(adia.centreline_volume_fraction(x)))
    obs = np.array(observed)
    checks = _measure_checks(obs, np.array(isothermal), "charted arc maxima (isothermal)")
    mg_adiabatic = performance_measures(
        obs, np.array(adiabatic), min_value=SCORING_FLOOR_VOLUME_FRACTION
    ).mg
    checks.append(
        Check(
            quantity="MG of the non-isothermal answer (over-prediction)",
            got=mg_adiabatic,
            upper=1.0,
        )
    )
    return checks
