"""The release file: one release, its weather and the dispersion grid, as YAML or JSON.

A release file answers "what leaks, in what weather, and how far does it go?" without a whole
scenario. It is read by ``hazard-twin release FILE`` and validated here with pydantic; every
number is SI (Pa absolute, K, m, s, kg). Example::

    schema_version: 1
    name: ammonia bullet, 25 mm liquid-side hole
    substance: ammonia
    source:
      model: flashing_two_phase
      hole_diameter_m: 0.025
      temperature_k: 293.15
      tank: {shape: horizontal_cylinder, diameter_m: 2.5, length_m: 12.0}
      liquid_level_m: 1.8
    weather:
      wind_speed_m_s: 3.0
      wind_from_deg: 270
      stability_class: D
    dispersion:
      extent_m: 2000
      cell_size_m: 5

The source ``model`` is one of ``orifice_liquid``, ``orifice_gas``, ``flashing_two_phase``,
``pipe_rupture``, ``pool`` or ``constant``. The weather gives a Pasquill-Gifford class directly,
or the cloud cover (and, by day, the insolation) from which the class follows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = [
    "ConstantSourceIn",
    "DispersionIn",
    "GasOrificeIn",
    "LiquidOrificeIn",
    "PipeRuptureIn",
    "PoolIn",
    "PressurisedLiquidIn",
    "ReleaseFile",
    "ReleaseFileError",
    "TankIn",
    "WeatherIn",
    "load_release_file",
    "release_from_mapping",
]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class TankIn(BaseModel):
    """Interior geometry of the vessel that leaks."""

    model_config = _STRICT
    shape: Literal["vertical_cylinder", "horizontal_cylinder", "sphere"] = Field(
        description="Vessel shape."
    )
    diameter_m: float = Field(gt=0, le=200, description="Inner diameter, m.")
    length_m: float = Field(
        default=0.0, ge=0, le=500, description="Inner height (vertical) or length (horizontal), m."
    )
    base_elevation_m: float = Field(
        default=0.0, ge=0, le=200, description="Height of the lowest interior point, m."
    )


class _SourceBase(BaseModel):
    model_config = _STRICT
    release_height_m: float | None = Field(
        default=None, ge=0, le=300, description="Height of the release above ground, m."
    )
    max_duration_s: float = Field(
        default=3600.0, gt=0, le=86_400, description="Longest release considered, s."
    )


class LiquidOrificeIn(_SourceBase):
    """A hole in the liquid space of an atmospheric or refrigerated tank (no flash)."""

    model: Literal["orifice_liquid"]
    hole_diameter_m: float = Field(gt=0, le=5, description="Equivalent hole diameter, m.")
    temperature_k: float = Field(gt=0, description="Liquid temperature, K.")
    tank: TankIn
    liquid_level_m: float = Field(gt=0, description="Liquid level above the tank bottom, m.")
    hole_height_m: float = Field(default=0.0, ge=0, description="Hole above the tank bottom, m.")
    vessel_pressure_pa: float = Field(
        default=101_325.0, gt=0, description="Absolute pressure of the vapour space, Pa."
    )
    discharge_coefficient: float = Field(default=0.61, gt=0, le=1)


class GasOrificeIn(_SourceBase):
    """A hole in a gas vessel or line: constant pressure, or blowdown of a vessel volume."""

    model: Literal["orifice_gas"]
    hole_diameter_m: float = Field(gt=0, le=5, description="Equivalent hole diameter, m.")
    pressure_pa: float = Field(gt=0, description="Absolute storage pressure, Pa.")
    temperature_k: float = Field(gt=0, description="Storage temperature, K.")
    vessel_volume_m3: float | None = Field(
        default=None, gt=0, description="Vessel volume for blowdown, m^3; none: constant pressure."
    )
    expansion: Literal["adiabatic", "isothermal"] = "adiabatic"
    discharge_coefficient: float = Field(default=0.62, gt=0, le=1)


class PressurisedLiquidIn(_SourceBase):
    """A liquid-side hole in a vessel of pressurised liquefied gas (flashing two-phase jet)."""

    model: Literal["flashing_two_phase"]
    hole_diameter_m: float = Field(gt=0, le=5, description="Equivalent hole diameter, m.")
    temperature_k: float = Field(gt=0, description="Liquid temperature, K.")
    tank: TankIn
    liquid_level_m: float = Field(gt=0, description="Liquid level above the tank bottom, m.")
    hole_height_m: float = Field(default=0.0, ge=0, description="Hole above the tank bottom, m.")
    pad_pressure_pa: float = Field(
        default=0.0, ge=0, description="Inert pad gas pressure above saturation, Pa."
    )
    discharge_length_m: float = Field(
        default=0.0, ge=0, description="Length of pipe before the hole (flashing in pipe), m."
    )
    discharge_coefficient: float = Field(default=0.61, gt=0, le=1)


class PipeRuptureIn(_SourceBase):
    """A full-bore (or partial) rupture of a line fed from upstream until it is isolated."""

    model: Literal["pipe_rupture"]
    inner_diameter_m: float = Field(gt=0, le=5, description="Pipe inner diameter, m.")
    length_m: float = Field(gt=0, le=200_000, description="Line length upstream of the break, m.")
    upstream_pressure_pa: float = Field(gt=0, description="Absolute feed pressure, Pa.")
    temperature_k: float = Field(gt=0, description="Fluid temperature, K.")
    isolation_time_s: float | None = Field(
        default=None, ge=0, description="Upstream valve closed at this time, s; none: never."
    )
    rupture_diameter_m: float | None = Field(
        default=None, gt=0, description="Hole diameter for a partial rupture, m; none: full bore."
    )


class PoolIn(_SourceBase):
    """A liquid spill forming a pool that spreads (within a bund) and evaporates."""

    model: Literal["pool"]
    spill_mass_kg: float | None = Field(default=None, gt=0, description="Instantaneous spill, kg.")
    spill_rate_kg_s: float | None = Field(default=None, gt=0, description="Continuous spill, kg/s.")
    spill_duration_s: float | None = Field(default=None, gt=0, description="Spill duration, s.")
    temperature_k: float | None = Field(
        default=None, gt=0, description="Liquid temperature, K; none: its boiling point."
    )
    surface: str = Field(default="concrete", description="Ground or water surface type.")
    bund_area_m2: float | None = Field(default=None, gt=0, description="Bund floor area, m^2.")

    @model_validator(mode="after")
    def _one_spill(self) -> PoolIn:
        if (self.spill_mass_kg is None) == (self.spill_rate_kg_s is None):
            raise ValueError("give exactly one of spill_mass_kg or spill_rate_kg_s")
        if self.spill_rate_kg_s is not None and self.spill_duration_s is None:
            raise ValueError("spill_rate_kg_s needs spill_duration_s")
        return self


class ConstantSourceIn(_SourceBase):
    """A user-given constant airborne release rate."""

    model: Literal["constant"]
    rate_kg_s: float = Field(gt=0, le=1e5, description="Airborne release rate, kg/s.")
    duration_s: float = Field(gt=0, le=86_400, description="Release duration, s.")
    temperature_k: float = Field(gt=0, description="Temperature of the released gas, K.")


SourceIn = Annotated[
    LiquidOrificeIn
    | GasOrificeIn
    | PressurisedLiquidIn
    | PipeRuptureIn
    | PoolIn
    | ConstantSourceIn,
    Field(discriminator="model"),
]


class WeatherIn(BaseModel):
    """Weather during the release (the stability class, or what it follows from)."""

    model_config = _STRICT
    wind_speed_m_s: float = Field(gt=0, le=50, description="Wind speed at 10 m, m/s.")
    wind_from_deg: float = Field(ge=0, lt=360, description="Direction the wind blows from, deg.")
    stability_class: Literal["A", "B", "C", "D", "E", "F"] | None = Field(
        default=None, description="Pasquill-Gifford class; none: from cloud cover and daylight."
    )
    is_daytime: bool = Field(default=True, description="Day or night (when no class is given).")
    insolation: Literal["strong", "moderate", "slight"] = Field(
        default="moderate", description="Incoming solar radiation by day (Pasquill's table)."
    )
    cloud_cover_octas: int = Field(default=4, ge=0, le=8, description="Cloud cover, eighths.")
    ambient_temperature_k: float = Field(default=293.15, ge=200, le=330)
    relative_humidity: float = Field(default=0.7, ge=0, le=1)
    surface_roughness_m: float = Field(default=0.1, ge=1e-4, le=3)
    mixing_height_m: float = Field(default=1000.0, ge=50, le=5000)
    is_urban: bool = False


class DispersionIn(BaseModel):
    """Dispersion model choice, receptor grid and output times."""

    model_config = _STRICT
    model: Literal["auto", "gaussian", "dense_gas"] = Field(
        default="auto", description="Dispersion model; auto chooses by the release's density."
    )
    extent_m: float = Field(
        default=2000.0, gt=10, le=50_000, description="Half-width of the square grid, m."
    )
    cell_size_m: float = Field(default=10.0, gt=0.1, le=1000, description="Receptor cell, m.")
    receptor_height_m: float = Field(default=1.5, ge=0, le=300)
    n_times: int = Field(default=60, ge=1, le=1000, description="Output times over the run.")
    duration_s: float = Field(
        default=3600.0, gt=0, le=86_400, description="Time span of the output, s."
    )
    exposure_duration_s: float = Field(
        default=3600.0, ge=600, le=28_800, description="Exposure time for AEGL levels, s."
    )


class ReleaseFile(BaseModel):
    """A release file (schema version 1)."""

    model_config = _STRICT
    schema_version: Literal[1] = 1
    name: str = ""
    substance: str = Field(description="Name in the substance library, e.g. 'ammonia'.")
    position_m: tuple[float, float] = Field(
        default=(0.0, 0.0), description="Release position (x east, y north), m."
    )
    source: SourceIn
    weather: WeatherIn
    dispersion: DispersionIn = DispersionIn()


class ReleaseFileError(ValueError):
    """A release file that cannot be read; the message lists each field, value and limit."""


def release_from_mapping(data: Any, *, origin: str = "release") -> ReleaseFile:
    """Validate a parsed release file; raise :class:`ReleaseFileError` naming every bad field."""
    try:
        return ReleaseFile.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            value = err.get("input")
            shown = "" if isinstance(value, dict) else f" = {value!r}"
            lines.append(f"  {where}{shown}: {err['msg']}")
        raise ReleaseFileError(f"{origin}: {len(lines)} problem(s)\n" + "\n".join(lines)) from None


def load_release_file(path: str | os.PathLike[str]) -> ReleaseFile:
    """Read and validate a release file (YAML or JSON)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReleaseFileError(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReleaseFileError(f"{file}: not valid YAML or JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ReleaseFileError(f"{file}: must hold a mapping of release fields")
    return release_from_mapping(data, origin=str(file))
