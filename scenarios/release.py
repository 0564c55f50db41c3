"""One release from source to threat zones: the chain behind ``hazard-twin release``.

The chain is the one a consequence analyst follows by hand:

1. the substance from the library (:mod:`solvers.substances.library`);
2. the weather, with the Pasquill-Gifford class given or derived from wind, daylight and cloud
   (:func:`solvers.dispersion.stability.pasquill_class`);
3. the discharge source term (:mod:`solvers.source.registry`), and for liquid that rains out or
   is spilled, the spreading and evaporating pool (:mod:`solvers.source.pool_spreading`) as a
   second airborne source;
4. for each airborne source, dense-gas or passive dispersion, chosen by
   :func:`solvers.dispersion.regime.choose_regime` (or forced by the file), evaluated on a square
   receptor grid around the release at evenly spaced times;
5. threat zones: the footprint and downwind reach of each level of concern (AEGL or ERPG tiers,
   LFL and half LFL) and of the 1 % and 50 % fatality toxic loads.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from geometry.grid import Grid2D
from scenarios.release_file import (
    ConstantSourceIn,
    GasOrificeIn,
    LiquidOrificeIn,
    PipeRuptureIn,
    PoolIn,
    PressurisedLiquidIn,
    ReleaseFile,
    TankIn,
    WeatherIn,
)
from solvers.atmosphere import Weather
from solvers.dispersion.concentration_field import concentration_field, evaluate_on_grid
from solvers.dispersion.dense_gas_field import dense_gas_field
from solvers.dispersion.gaussian_puff import gaussian_puff_train
from solvers.dispersion.regime import choose_regime
from solvers.dispersion.stability import pasquill_class
from solvers.effects.threat_zones import ThreatZone, grid_probit_zones, grid_threat_zones
from solvers.effects.threshold_zones import ThresholdLevel, threshold_levels
from solvers.errors import InvalidInputError
from solvers.source import flashing_two_phase, orifice_gas, orifice_liquid, pipe_rupture
from solvers.source._common import Tank
from solvers.source.pool_spreading import (
    PoolOptions,
    PoolResult,
    PoolSpill,
    PoolSurface,
    pool_spreading,
    spill_from_source_term,
)
from solvers.source.registry import release_source_term
from solvers.source.source_term import SourceTerm, constant_source
from solvers.substances.library import Substance, substance

__all__ = ["AirborneSource", "ReleaseOutcome", "run_release", "weather_from_file"]

#: Largest number of receptor cells a release grid may have (memory: nt x cells x 8 bytes).
MAX_RELEASE_GRID_CELLS = 1_000_000

#: Airborne mass below which a source is not dispersed (a pool that never forms), kg.
_NEGLIGIBLE_MASS_KG = 1e-6


@dataclass(frozen=True, slots=True)
class AirborneSource:
    """One airborne source and the dispersion model used for it."""

    label: str
    source: SourceTerm
    model: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReleaseOutcome:
    """Everything ``hazard-twin release`` reports and draws.

    Attributes
    ----------
    spec : ReleaseFile
        The release as read.
    substance : Substance
        The substance.
    weather : Weather
        Weather used (with the stability class resolved).
    stability_reason : str
        Where the stability class came from.
    discharge : SourceTerm
        The source term of the discharge (the pool's, for a pool spill).
    pool : PoolResult or None
        The pool, when liquid reaches the ground.
    airborne : tuple of AirborneSource
        The sources dispersed, each with its model and the reason for it.
    grid : Grid2D
        Receptor grid.
    times_s : (nt,) float
        Output times since the release started, s.
    volume_fraction : (nt, ny, nx) float
        Concentration at the receptor height, volume fraction.
    levels : tuple of ThresholdLevel
        Levels of concern mapped.
    zones : tuple of ThreatZone
        One per level (from the peak map), then the probit zones (1 % and 50 % fatality, from the
        output frames) when the substance has a toxic probit.
    peak_volume_fraction : (ny, nx) float
        Peak concentration over the run, sampled finely enough to catch a passing cloud.
    """

    spec: ReleaseFile
    substance: Substance
    weather: Weather
    stability_reason: str
    discharge: SourceTerm
    pool: PoolResult | None
    airborne: tuple[AirborneSource, ...]
    grid: Grid2D
    times_s: NDArray[np.float64]
    volume_fraction: NDArray[np.float64]
    levels: tuple[ThresholdLevel, ...]
    zones: tuple[ThreatZone, ...]
    peak_volume_fraction: NDArray[np.float64]


def weather_from_file(spec: WeatherIn) -> tuple[Weather, str]:
    """Return the solver weather of a release file and where its stability class came from."""
    if spec.stability_class is not None:
        cls = spec.stability_class
        reason = f"class {cls} as given"
    elif spec.is_daytime:
        cls = pasquill_class(spec.wind_speed_m_s, insolation=spec.insolation)
        reason = (
            f"class {cls} from {spec.wind_speed_m_s:g} m/s wind and {spec.insolation} insolation "
            + "(Pasquill 1961, Turner 1970)"
        )
    else:
        fraction = spec.cloud_cover_octas / 8.0
        cls = pasquill_class(
            spec.wind_speed_m_s, night_cloud_fraction=fraction, is_overcast=fraction >= 1.0
        )
        reason = (
            f"class {cls} from {spec.wind_speed_m_s:g} m/s wind at night under "
            + f"{spec.cloud_cover_octas}/8 cloud (Pasquill 1961, Turner 1970)"
        )
    weather = Weather(
        wind_speed_m_s=spec.wind_speed_m_s,
        wind_from_deg=spec.wind_from_deg,
        stability_class=cls,
        ambient_temperature_k=spec.ambient_temperature_k,
        relative_humidity=spec.relative_humidity,
        surface_roughness_m=spec.surface_roughness_m,
        mixing_height_m=spec.mixing_height_m,
        is_urban=spec.is_urban,
    )
    return weather, reason


def _tank(spec: TankIn) -> Tank:
    return Tank(
        shape=spec.shape,
        diameter_m=spec.diameter_m,
        length_m=spec.length_m,
        base_elevation_m=spec.base_elevation_m,
    )


def _discharge(
    spec: ReleaseFile, weather: Weather
) -> tuple[SourceTerm, PoolSpill | None, PoolIn | None]:
    """Return the discharge source term and, for a pool file, its spill."""
    key = substance(spec.substance).key
    src = spec.source
    pa = weather.ambient_pressure_pa
    if isinstance(src, ConstantSourceIn):
        term = constant_source(
            key,
            src.rate_kg_s,
            src.duration_s,
            temperature_k=src.temperature_k,
            release_height_m=1.0 if src.release_height_m is None else src.release_height_m,
        )
        return term, None, None
    if isinstance(src, PoolIn):
        if src.spill_mass_kg is not None:
            spill = PoolSpill(
                substance=key,
                instantaneous_mass_kg=src.spill_mass_kg,
                liquid_temperature_k=src.temperature_k,
            )
        else:
            duration = float(src.spill_duration_s or 0.0)
            rate = float(src.spill_rate_kg_s or 0.0)
            spill = PoolSpill(
                substance=key,
                feed_t_s=np.array([0.0, duration]),
                feed_rate_kg_s=np.array([rate, rate]),
                liquid_temperature_k=src.temperature_k,
            )
        return _empty_term(key), spill, src
    leak: (
        orifice_liquid.LiquidTankLeak
        | orifice_gas.GasLeak
        | flashing_two_phase.PressurisedLiquidLeak
        | pipe_rupture.PipeRupture
    )
    if isinstance(src, LiquidOrificeIn):
        leak = orifice_liquid.LiquidTankLeak(
            substance=key,
            tank=_tank(src.tank),
            liquid_level_m=src.liquid_level_m,
            temperature_k=src.temperature_k,
            hole_diameter_m=src.hole_diameter_m,
            hole_height_m=src.hole_height_m,
            vessel_pressure_pa=src.vessel_pressure_pa,
            discharge_coefficient=src.discharge_coefficient,
            release_height_m=src.release_height_m,
            max_duration_s=src.max_duration_s,
        )
    elif isinstance(src, GasOrificeIn):
        leak = orifice_gas.GasLeak(
            substance=key,
            pressure_pa=src.pressure_pa,
            temperature_k=src.temperature_k,
            hole_diameter_m=src.hole_diameter_m,
            vessel_volume_m3=src.vessel_volume_m3,
            expansion=src.expansion,
            discharge_coefficient=src.discharge_coefficient,
            release_height_m=1.0 if src.release_height_m is None else src.release_height_m,
            max_duration_s=src.max_duration_s,
        )
    elif isinstance(src, PressurisedLiquidIn):
        leak = flashing_two_phase.PressurisedLiquidLeak(
            substance=key,
            tank=_tank(src.tank),
            liquid_level_m=src.liquid_level_m,
            temperature_k=src.temperature_k,
            hole_diameter_m=src.hole_diameter_m,
            hole_height_m=src.hole_height_m,
            pad_pressure_pa=src.pad_pressure_pa,
            discharge_length_m=src.discharge_length_m,
            discharge_coefficient=src.discharge_coefficient,
            release_height_m=src.release_height_m,
            max_duration_s=src.max_duration_s,
        )
    elif isinstance(src, PipeRuptureIn):
        leak = pipe_rupture.PipeRupture(
            substance=key,
            pipeline=pipe_rupture.Pipeline(
                inner_diameter_m=src.inner_diameter_m, length_m=src.length_m
            ),
            upstream_pressure_pa=src.upstream_pressure_pa,
            temperature_k=src.temperature_k,
            isolation_time_s=src.isolation_time_s,
            rupture_diameter_m=src.rupture_diameter_m,
            release_height_m=1.0 if src.release_height_m is None else src.release_height_m,
            max_duration_s=src.max_duration_s,
        )
    else:  # pragma: no cover - the schema's discriminator admits no other model
        raise InvalidInputError(f"source.model = {src.model!r}: unknown")
    term = release_source_term(leak, ambient_pressure_pa=pa)
    if term.discharged_mass_kg() > 0 and float(np.max(term.rainout_rate_kg_s)) > 0:
        return term, spill_from_source_term(term), None
    return term, None, None


def _empty_term(key: str) -> SourceTerm:
    zeros = np.zeros(2)
    return SourceTerm(
        substance=key,
        model="spill",
        phase="liquid",
        t_s=np.array([0.0, 1.0]),
        discharge_rate_kg_s=zeros,
        airborne_rate_kg_s=zeros,
        rainout_rate_kg_s=zeros,
        temperature_k=np.full(2, 273.15),
        velocity_m_s=zeros,
        aerosol_fraction=zeros,
        release_height_m=0.0,
    )


def _grid(spec: ReleaseFile) -> Grid2D:
    d = spec.dispersion
    n = math.ceil(2 * d.extent_m / d.cell_size_m)
    if n * n > MAX_RELEASE_GRID_CELLS:
        raise InvalidInputError(
            f"dispersion.cell_size_m = {d.cell_size_m:g} m with extent_m = {d.extent_m:g} m "
            + f"gives {n} x {n} cells: must be at most {MAX_RELEASE_GRID_CELLS:,} cells; "
            + f"use cell_size_m >= {2 * d.extent_m / math.sqrt(MAX_RELEASE_GRID_CELLS):.3g} m"
        )
    x0, y0 = spec.position_m
    return Grid2D((x0 - d.extent_m, y0 - d.extent_m), 2 * d.extent_m / n, (n, n))


#: Peak maps are sampled at most this often over the output span (bounds the work), samples.
MAX_PEAK_SAMPLES = 600

#: Shortest interval between peak samples, s.
MIN_PEAK_INTERVAL_S = 5.0


def _peak_times(
    frame_times_s: NDArray[np.float64], airborne: list[AirborneSource]
) -> NDArray[np.float64]:
    """Return the times at which the peak map is sampled: output frames, refined for short releases.

    A short release passes a receptor as a cloud; sampling only the output frames would miss its
    peak between two frames. The interval is a twentieth of the shortest release (at least
    :data:`MIN_PEAK_INTERVAL_S`, at most the frame interval).
    """
    span = float(frame_times_s[-1])
    frame_dt = span / frame_times_s.size
    shortest = min(item.source.duration_s for item in airborne)
    dt = min(frame_dt, max(MIN_PEAK_INTERVAL_S, shortest / 20.0, span / MAX_PEAK_SAMPLES))
    fine = np.arange(dt, span + 0.5 * dt, dt)
    return np.unique(np.concatenate([fine, frame_times_s]))


class _GridEvaluator:
    """Evaluates one airborne source's volume fraction on the receptor grid at a time."""

    def __init__(
        self, item: AirborneSource, spec: ReleaseFile, weather: Weather, grid: Grid2D
    ) -> None:
        x0, y0 = spec.position_m
        self._z_m = spec.dispersion.receptor_height_m
        self._grid = grid
        self._dense = None
        self._field = None
        if item.model.startswith("dense"):
            self._dense = dense_gas_field(item.source, weather, source_x_m=x0, source_y_m=y0)
            xx, yy = grid.centres_m()
            self._points = np.column_stack([xx.ravel(), yy.ravel(), np.full(xx.size, self._z_m)])
        else:
            puffs = gaussian_puff_train(item.source, weather, x_m=x0, y_m=y0)
            self._field = concentration_field(
                puffs, substance=item.source.substance, weather=weather
            )

    def __call__(self, t_s: float) -> NDArray[np.float64]:
        if self._dense is not None:
            values = self._dense.volume_fraction(self._points, t_s)
            return np.asarray(values, dtype=np.float64).reshape(self._grid.shape)
        assert self._field is not None
        frame = evaluate_on_grid(
            self._field, self._grid, [t_s], z_m=self._z_m, quantity="volume_fraction"
        )
        return np.asarray(frame[0], dtype=np.float64)


def _choose(label: str, term: SourceTerm, spec: ReleaseFile, weather: Weather) -> AirborneSource:
    forced = spec.dispersion.model
    if forced == "gaussian":
        return AirborneSource(label, term, "gaussian_puff", "passive Gaussian, as the file asks")
    if forced == "dense_gas":
        return AirborneSource(label, term, "dense_gas_slab", "dense gas, as the file asks")
    choice = choose_regime(term, weather)
    model = "dense_gas_slab" if choice.is_dense else "gaussian_puff"
    return AirborneSource(label, term, model, choice.reason)


def run_release(
    spec: ReleaseFile, *, on_progress: Callable[[str], None] | None = None
) -> ReleaseOutcome:
    """Run a release file from source term to threat zones (see the module docstring).

    Parameters
    ----------
    spec : ReleaseFile
        The validated release file.
    on_progress : callable, optional
        Called with a short description as each stage starts.

    Returns
    -------
    ReleaseOutcome
        Source terms, dispersion choices, fields and zones.

    Raises
    ------
    InvalidInputError
        For an unknown substance, a state outside the substance's range, a hole larger than its
        vessel or pipe, a grid that is too large, and every other input a model rejects.
    """

    def progress(stage: str) -> None:
        if on_progress is not None:
            on_progress(stage)

    progress("substance and weather")
    sub = substance(spec.substance)
    weather, stability_reason = weather_from_file(spec.weather)
    grid = _grid(spec)
    progress("source term")
    discharge, spill, pool_in = _discharge(spec, weather)
    pool: PoolResult | None = None
    airborne: list[AirborneSource] = []
    if discharge.airborne_mass_kg() > _NEGLIGIBLE_MASS_KG:
        airborne.append(_choose("jet", discharge, spec, weather))
    if spill is not None:
        progress("pool spreading and evaporation")
        surface = PoolSurface(
            surface=pool_in.surface if pool_in is not None else "concrete",
            bund_area_m2=pool_in.bund_area_m2 if pool_in is not None else None,
        )
        pool = pool_spreading(
            spill,
            surface,
            weather=weather,
            options=PoolOptions(duration_s=spec.dispersion.duration_s),
        )
        pool_term = pool.to_source_term(diameter="max")
        if pool_in is not None:
            discharge = pool_term
        if pool_term.airborne_mass_kg() > _NEGLIGIBLE_MASS_KG:
            airborne.append(_choose("pool", pool_term, spec, weather))
    if not airborne:
        raise InvalidInputError(
            f"source = {spec.source.model!r}: releases no airborne material within "
            + f"{spec.dispersion.duration_s:g} s; nothing to disperse"
        )
    d = spec.dispersion
    times_s = np.linspace(d.duration_s / d.n_times, d.duration_s, d.n_times)
    evaluators = []
    for item in airborne:
        progress(f"dispersion of the {item.label} ({item.model})")
        evaluators.append(_GridEvaluator(item, spec, weather, grid))
    progress("concentration maps and their peak")
    total = np.zeros((times_s.size, *grid.shape))
    peak = np.zeros(grid.shape)
    frame_of = {float(t): k for k, t in enumerate(times_s)}
    for t in _peak_times(times_s, airborne):
        now = np.clip(sum(evaluate(float(t)) for evaluate in evaluators), 0.0, 1.0)
        np.maximum(peak, now, out=peak)
        k = frame_of.get(float(t))
        if k is not None:
            total[k] = now
    progress("threat zones")
    levels = _levels(sub, d.exposure_duration_s)
    zones = grid_threat_zones(
        peak,
        grid,
        levels,
        source_xy_m=spec.position_m,
        wind_from_deg=weather.wind_from_deg,
    )
    probit = sub.hazard.toxic_probit
    if probit is not None:
        zones = zones + grid_probit_zones(
            total,
            times_s,
            grid,
            probit,
            source_xy_m=spec.position_m,
            wind_from_deg=weather.wind_from_deg,
        )
    return ReleaseOutcome(
        spec=spec,
        substance=sub,
        weather=weather,
        stability_reason=stability_reason,
        discharge=discharge,
        pool=pool,
        airborne=tuple(airborne),
        grid=grid,
        times_s=times_s,
        volume_fraction=total,
        levels=levels,
        zones=zones,
        peak_volume_fraction=peak,
    )


def _levels(sub: Substance, exposure_duration_s: float) -> tuple[ThresholdLevel, ...]:
    """Toxic tiers (AEGL, else ERPG, else IDLH) and the LFL and half LFL: at most five levels."""
    toxic: tuple[ThresholdLevel, ...] = ()
    for family in ("aegl", "erpg", "idlh"):
        toxic = threshold_levels(
            sub.hazard, exposure_duration_s=exposure_duration_s, families=(family,)
        )
        if toxic:
            break
    flammable = threshold_levels(sub.hazard, families=("flammable",), lfl_fractions=(1.0, 0.5))
    levels = tuple(sorted(toxic, key=lambda lv: -lv.tier)) + flammable
    return levels[:5]
