"""The substance library: thermodynamic properties from CoolProp and sourced hazard data.

One :class:`Substance` per key of :data:`SUBSTANCE_NAMES` (plus custom LNG compositions made by
:func:`lng_mixture`). Thermodynamic and transport properties come from CoolProp's Helmholtz-energy
equations of state (HEOS backend) [1]_; where CoolProp has no model (chlorine viscosity) or a
mixture flash fails, a published correlation is used instead and the method's docstring says so.
Every hazard number (flammability limits, AEGL, ERPG, IDLH, toxic probit constants) is read from
the package data file ``hazard_data.toml``, where each one carries its source.

The LNG entry is a methane-ethane-propane mixture (default 0.92/0.06/0.02 mole fractions). For a
mixture, "saturation" means the bubble point (the liquid starts to boil): the saturation pressure
at T is the bubble-point pressure and the saturation temperature at P the bubble-point
temperature, which is what a boiling LNG pool sees.

Examples
--------
>>> from solvers.substances.library import substance
>>> nh3 = substance("NH3")
>>> round(nh3.normal_boiling_point_k, 1)
239.8
>>> round(nh3.saturation_pressure_pa(293.15) / 1e5, 2)
8.57

References
----------
.. [1] Bell, I. H., Wronski, J., Quoilin, S. & Lemort, V. (2014). Pure and pseudo-pure fluid
   thermophysical property evaluation and the open-source thermophysical property library
   CoolProp. Ind. Eng. Chem. Res. 53(6), 2498-2508.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import CoolProp.CoolProp as CP  # noqa: N817 - CoolProp's documented import name

from solvers.errors import ConvergenceError, InvalidInputError
from solvers.substances import _coolprop
from solvers.substances._coolprop import PHASE_GAS, PHASE_LIQUID

__all__ = [
    "AEGL_DURATIONS_S",
    "LNG_DEFAULT_MOLE_FRACTIONS",
    "SUBSTANCE_NAMES",
    "HazardData",
    "Substance",
    "ToxicProbit",
    "hazard_data_table",
    "lng_mixture",
    "substance",
    "validate_hazard_data",
]

SUBSTANCE_NAMES: tuple[str, ...] = (
    "ammonia",
    "chlorine",
    "ethane",
    "hydrogen",
    "hydrogen_sulfide",
    "lng",
    "methane",
    "propane",
)
"""Keys of the substances in the library (aliases are listed by :func:`substance`'s errors)."""

LNG_DEFAULT_MOLE_FRACTIONS: tuple[float, float, float] = (0.92, 0.06, 0.02)
"""Methane, ethane and propane mole fractions of the ``"lng"`` entry: a lean LNG, within the
range of traded LNGs (methane 0.87-0.99 mole fraction; GIIGNL, LNG Custody Transfer Handbook)."""

AEGL_DURATIONS_S: tuple[int, ...] = (600, 1800, 3600, 14400, 28800)
"""AEGL exposure durations, s: 10 min, 30 min, 1 h, 4 h, 8 h (the published AEGL columns)."""

_DATA_FILE = "hazard_data.toml"
_LNG_COMPONENT_KEYS = ("methane", "ethane", "propane")
_MOLE_FRACTION_SUM_TOLERANCE = 1e-3  # a typed composition may be rounded to 3 decimals

# Molar gas constant, J/(mol K): CODATA 2018 exact value.
_GAS_CONSTANT_J_MOL_K = 8.314462618
# Reference state for converting published mg/m3 probit constants to ppm: 20 °C and 1 atm, the
# conditions of the Dutch guidance the constants come from. At 25 °C instead, a shifts by
# b n ln(298.15/293.15), i.e. under 0.05 probit units for the constants held here.
_PROBIT_REFERENCE_TEMPERATURE_K = 293.15
_PROBIT_REFERENCE_PRESSURE_PA = 101_325.0

# --- Fuller, Schettler & Giddings (1966) gas diffusivity --------------------------------------
# D_AB = C T^1.75 / (P M_AB^0.5 [(Σv)_A^(1/3) + (Σv)_B^(1/3)]^2) with D in cm^2/s, T in K, P in
# bar, M_AB = 2 / (1/M_A + 1/M_B) in g/mol; Poling, Prausnitz & O'Connell (2001), The Properties
# of Gases and Liquids, 5th ed., eq. 11-4.4, with the diffusion volumes of their Table 11-1
# (Fuller, Ensley & Giddings 1969 revision).
_FULLER_COEFFICIENT = 1.43e-3
_FULLER_ATOMIC_VOLUMES: Mapping[str, float] = MappingProxyType(
    {"C": 15.9, "H": 2.31, "O": 6.11, "N": 4.54, "S": 22.9, "Cl": 21.0}
)  # Poling et al. (2001), Table 11-1, atomic and structural increments
_FULLER_MOLECULAR_VOLUMES: Mapping[str, float] = MappingProxyType(
    {"H2": 6.12, "N2": 18.5, "O2": 16.3, "NH3": 20.7, "H2O": 13.1, "Cl2": 38.4}
)  # Poling et al. (2001), Table 11-1, diffusion volumes of simple molecules
_FULLER_AIR_VOLUME = 19.7  # Poling et al. (2001), Table 11-1, air
_AIR_MOLAR_MASS_KG_MOL = 28.9644e-3  # U.S. Standard Atmosphere (1976), dry air
_PA_PER_BAR = 1e5
_M2_PER_CM2 = 1e-4

# --- Chlorine viscosity (CoolProp has no viscosity model for chlorine) ------------------------
# Perry's Chemical Engineers' Handbook, 8th ed. (2008), Table 2-312 (vapour, DIPPR eq. 102:
# mu = C1 T^C2 / (1 + C3/T + C4/T^2), Pa s, low pressure, 200-1000 K) and Table 2-313 (liquid,
# DIPPR eq. 101: mu = exp(C1 + C2/T), Pa s, 172.12-333.72 K).
_CHLORINE_VAPOUR_VISCOSITY = (2.6e-7, 0.7423, 98.3, 0.0)
_CHLORINE_VAPOUR_VISCOSITY_RANGE_K = (200.0, 1000.0)
_CHLORINE_LIQUID_VISCOSITY = (-9.5412, 456.62)
_CHLORINE_LIQUID_VISCOSITY_RANGE_K = (172.12, 333.72)

_Getter = Callable[[CP.AbstractState], float]


# ----------------------------------------------------------------------------------------------
# Hazard data
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToxicProbit:
    """Lethality probit constants, ``Pr = a + b ln(C^n t)``.

    The library always gives ``C`` in ppm (by volume) and ``t`` in minutes; constants published
    with C in mg/m3 are converted at 20 °C and 1 atm (``a`` changes, ``b`` and ``n`` do not) and
    the published ``a`` and unit are kept alongside.

    Attributes
    ----------
    a, b, n : float
        Probit constants for C in ``concentration_unit`` and t in ``time_unit``.
    concentration_unit : str
        ``"ppm"``.
    time_unit : str
        ``"min"``.
    source : str
        Citation of the published constants.
    published_a : float or None
        ``a`` as published, when it was converted.
    published_concentration_unit : str
        Concentration unit of the publication.
    note : str
        Conversion and alternative constants.
    """

    a: float
    b: float
    n: float
    concentration_unit: str = "ppm"
    time_unit: str = "min"
    source: str = ""
    published_a: float | None = None
    published_concentration_unit: str = "ppm"
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class HazardData:
    """Flammability and toxicity reference values of a substance, each with its source.

    Attributes
    ----------
    lfl_volume_fraction, ufl_volume_fraction : float or None
        Lower and upper flammability limits in air, volume fraction; None if not flammable.
    aegl_ppm : mapping of (int, int) to float
        AEGL values, ppm, keyed by ``(tier, duration_s)`` with tier 1, 2 or 3 and duration in
        :data:`AEGL_DURATIONS_S`; tiers not published are absent.
    erpg_ppm : mapping of int to float
        ERPG-1/2/3 values (1 h exposure), ppm, keyed by tier.
    idlh_ppm : float or None
        NIOSH IDLH, ppm.
    toxic_probit : ToxicProbit or None
        Lethality probit constants (ppm, min).
    is_asphyxiant : bool
        Simple asphyxiant (harm only through oxygen displacement).
    sources : mapping of str to str
        Source of each group of numbers: keys ``"flammability"``, ``"aegl"``, ``"erpg"``,
        ``"idlh"``, ``"toxic_probit"`` (present only when that group has numbers).
    notes : mapping of str to str
        Remarks per group (missing values, alternatives, conversions).
    """

    lfl_volume_fraction: float | None
    ufl_volume_fraction: float | None
    aegl_ppm: Mapping[tuple[int, int], float]
    erpg_ppm: Mapping[int, float]
    idlh_ppm: float | None
    toxic_probit: ToxicProbit | None
    is_asphyxiant: bool
    sources: Mapping[str, str]
    notes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __reduce__(self) -> tuple[Callable[..., HazardData], tuple[dict[str, Any]]]:
        # Mapping proxies do not pickle; rebuild from plain dicts (for process-parallel sweeps).
        fields = {
            "lfl_volume_fraction": self.lfl_volume_fraction,
            "ufl_volume_fraction": self.ufl_volume_fraction,
            "aegl_ppm": dict(self.aegl_ppm),
            "erpg_ppm": dict(self.erpg_ppm),
            "idlh_ppm": self.idlh_ppm,
            "toxic_probit": self.toxic_probit,
            "is_asphyxiant": self.is_asphyxiant,
            "sources": dict(self.sources),
            "notes": dict(self.notes),
        }
        return _rebuild_hazard_data, (fields,)

    @property
    def is_flammable(self) -> bool:
        """Whether the substance has flammability limits in air."""
        return self.lfl_volume_fraction is not None

    @property
    def is_toxic(self) -> bool:
        """Whether any toxic reference value (AEGL-2/3, ERPG, IDLH or a probit) is held."""
        toxic_aegl = any(tier >= 2 for tier, _ in self.aegl_ppm)
        return toxic_aegl or bool(self.erpg_ppm) or self.toxic_probit is not None


def _rebuild_hazard_data(fields: dict[str, Any]) -> HazardData:
    mappings = ("aegl_ppm", "erpg_ppm", "sources", "notes")
    rebuilt: dict[str, Any] = {
        k: MappingProxyType(v) if k in mappings else v for k, v in fields.items()
    }
    return HazardData(**rebuilt)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _holds_numbers(table: Mapping[str, Any]) -> bool:
    for value in table.values():
        if _is_number(value):
            return True
        if isinstance(value, list) and any(_is_number(v) for v in value):
            return True
    return False


def validate_hazard_data(data: Mapping[str, Any]) -> None:
    """Check the parsed hazard data file; raise ``ValueError`` naming the first problem.

    Rules: every substance of :data:`SUBSTANCE_NAMES` is present with ``name``, ``formula``,
    ``coolprop_name``, ``aliases`` and ``is_asphyxiant``; every table holding a number has a
    non-empty ``source``; AEGL rows have five positive values; ERPG, IDLH and flammability
    values are positive; LFL < UFL <= 1; probit tables have ``a``, ``b``, ``n`` and units.

    Parameters
    ----------
    data : mapping
        The parsed TOML document.

    Raises
    ------
    ValueError
        If a rule is broken.
    """
    substances = data.get("substances")
    if not isinstance(substances, Mapping):
        raise ValueError(f"{_DATA_FILE}: missing [substances] table")
    missing = sorted(set(SUBSTANCE_NAMES) - set(substances))
    if missing:
        raise ValueError(f"{_DATA_FILE}: substances {missing} are missing")
    for key, entry in substances.items():
        where = f"{_DATA_FILE} [substances.{key}]"
        for name, kind in (
            ("name", str),
            ("formula", str),
            ("coolprop_name", str),
            ("aliases", list),
            ("is_asphyxiant", bool),
        ):
            if not isinstance(entry.get(name), kind):
                raise ValueError(f"{where}: {name} must be a {kind.__name__}")
        for group, table in entry.items():
            if not isinstance(table, Mapping):
                continue
            here = f"{_DATA_FILE} [substances.{key}.{group}]"
            if _holds_numbers(table):
                source = table.get("source")
                if not (isinstance(source, str) and source.strip()):
                    raise ValueError(f"{here}: holds numbers but has no source")
            _validate_group(here, group, table)


def _validate_group(where: str, group: str, table: Mapping[str, Any]) -> None:
    def positive(name: str, value: Any) -> None:
        if not (_is_number(value) and math.isfinite(value) and value > 0):
            raise ValueError(f"{where}: {name} = {value!r} must be a number > 0")

    if group == "aegl":
        for tier in (1, 2, 3):
            row = table.get(f"aegl{tier}_ppm")
            if row is None:
                continue
            if not (isinstance(row, list) and len(row) == len(AEGL_DURATIONS_S)):
                raise ValueError(
                    f"{where}: aegl{tier}_ppm must list {len(AEGL_DURATIONS_S)} values"
                )
            for value in row:
                positive(f"aegl{tier}_ppm", value)
    elif group == "erpg":
        for tier in (1, 2, 3):
            if f"erpg{tier}_ppm" in table:
                positive(f"erpg{tier}_ppm", table[f"erpg{tier}_ppm"])
    elif group == "idlh":
        positive("idlh_ppm", table.get("idlh_ppm"))
    elif group == "flammability" and "lfl_volume_fraction" in table:
        lfl: float = table["lfl_volume_fraction"]
        ufl: float = table.get("ufl_volume_fraction", math.nan)
        positive("lfl_volume_fraction", lfl)
        positive("ufl_volume_fraction", ufl)
        if not lfl < ufl <= 1.0:
            raise ValueError(f"{where}: need lfl < ufl <= 1, got {lfl!r}, {ufl!r}")
    elif group == "probit":
        for name in ("a", "b", "n"):
            if not _is_number(table.get(name)):
                raise ValueError(f"{where}: {name} must be a number")
        positive("b", table["b"])
        positive("n", table["n"])
        if table.get("concentration_unit") not in ("ppm", "mg/m3"):
            raise ValueError(f"{where}: concentration_unit must be 'ppm' or 'mg/m3'")
        if table.get("time_unit") != "min":
            raise ValueError(f"{where}: time_unit must be 'min'")


@functools.cache
def hazard_data_table() -> Mapping[str, Any]:
    """Return the parsed and validated ``hazard_data.toml`` (read once, then cached)."""
    text = (
        importlib.resources.files("solvers.substances")
        .joinpath(_DATA_FILE)
        .read_text(encoding="utf-8")
    )
    data = tomllib.loads(text)
    validate_hazard_data(data)
    return MappingProxyType(data)


def _entry(key: str) -> Mapping[str, Any]:
    entry: Mapping[str, Any] = hazard_data_table()["substances"][key]
    return entry


def _probit_from_table(table: Mapping[str, Any], molar_mass_kg_mol: float) -> ToxicProbit:
    a, b, n = float(table["a"]), float(table["b"]), float(table["n"])
    unit = str(table["concentration_unit"])
    note = str(table.get("note", ""))
    if unit == "ppm":
        return ToxicProbit(a, b, n, source=str(table["source"]), note=note)
    # C_mg/m3 = k C_ppm with k = P M / (R T) (mg/m3 per ppm), so a_ppm = a + b n ln k.
    k_mg_m3_per_ppm = (
        _PROBIT_REFERENCE_PRESSURE_PA
        * molar_mass_kg_mol
        / (_GAS_CONSTANT_J_MOL_K * _PROBIT_REFERENCE_TEMPERATURE_K)
    )
    a_ppm = a + b * n * math.log(k_mg_m3_per_ppm)
    conversion = (
        f"Converted from the published a = {a:g} (C in {unit}) to ppm at "
        + f"{_PROBIT_REFERENCE_TEMPERATURE_K:g} K and {_PROBIT_REFERENCE_PRESSURE_PA:g} Pa "
        + f"(1 ppm = {k_mg_m3_per_ppm:.4g} mg/m3)."
    )
    return ToxicProbit(
        a_ppm,
        b,
        n,
        source=str(table["source"]),
        published_a=a,
        published_concentration_unit=unit,
        note=f"{conversion} {note}".strip(),
    )


def _hazard_for_pure(key: str, molar_mass_kg_mol: float) -> HazardData:
    entry = _entry(key)
    sources: dict[str, str] = {}
    notes: dict[str, str] = {}
    for group, table in entry.items():
        if isinstance(table, Mapping) and "note" in table:
            notes[group] = str(table["note"])

    flam = entry.get("flammability", {})
    lfl = flam.get("lfl_volume_fraction")
    ufl = flam.get("ufl_volume_fraction")
    if lfl is not None:
        sources["flammability"] = str(flam["source"])

    aegl: dict[tuple[int, int], float] = {}
    aegl_table = entry.get("aegl", {})
    for tier in (1, 2, 3):
        row = aegl_table.get(f"aegl{tier}_ppm")
        if row is not None:
            aegl.update({(tier, d): float(v) for d, v in zip(AEGL_DURATIONS_S, row, strict=True)})
    if aegl:
        sources["aegl"] = str(aegl_table["source"])

    erpg_table = entry.get("erpg", {})
    erpg = {t: float(erpg_table[f"erpg{t}_ppm"]) for t in (1, 2, 3) if f"erpg{t}_ppm" in erpg_table}
    if erpg:
        sources["erpg"] = str(erpg_table["source"])

    idlh_table = entry.get("idlh", {})
    idlh = idlh_table.get("idlh_ppm")
    if idlh is not None:
        sources["idlh"] = str(idlh_table["source"])

    probit = None
    if "probit" in entry:
        probit = _probit_from_table(entry["probit"], molar_mass_kg_mol)
        sources["toxic_probit"] = probit.source

    return HazardData(
        lfl_volume_fraction=None if lfl is None else float(lfl),
        ufl_volume_fraction=None if ufl is None else float(ufl),
        aegl_ppm=MappingProxyType(aegl),
        erpg_ppm=MappingProxyType(erpg),
        idlh_ppm=None if idlh is None else float(idlh),
        toxic_probit=probit,
        is_asphyxiant=bool(entry["is_asphyxiant"]),
        sources=MappingProxyType(sources),
        notes=MappingProxyType(notes),
    )


def _hazard_for_lng(fractions: tuple[float, float, float]) -> HazardData:
    # Le Chatelier's rule: 1/L_mix = sum(y_i / L_i) over the fuel components (fuel-only basis).
    lfl_sum = ufl_sum = 0.0
    for key, y in zip(_LNG_COMPONENT_KEYS, fractions, strict=True):
        flam = _entry(key)["flammability"]
        lfl_sum += y / float(flam["lfl_volume_fraction"])
        ufl_sum += y / float(flam["ufl_volume_fraction"])
    component_sources = "; ".join(
        f"{key}: {_entry(key)['flammability']['source']}" for key in _LNG_COMPONENT_KEYS
    )
    entry = _entry("lng")
    return HazardData(
        lfl_volume_fraction=1.0 / lfl_sum,
        ufl_volume_fraction=1.0 / ufl_sum,
        aegl_ppm=MappingProxyType({}),
        erpg_ppm=MappingProxyType({}),
        idlh_ppm=None,
        toxic_probit=None,
        is_asphyxiant=bool(entry["is_asphyxiant"]),
        sources=MappingProxyType(
            {
                "flammability": "Le Chatelier's mixing rule (Le Chatelier 1891; Coward & Jones "
                + "1952, US Bureau of Mines Bulletin 503) on the component limits; "
                + component_sources
            }
        ),
        notes=MappingProxyType({"exposure": str(entry["exposure"]["note"])}),
    )


# ----------------------------------------------------------------------------------------------
# Substance
# ----------------------------------------------------------------------------------------------


def _out_of_range(
    name: str, value: float, unit: str, key: str, low: float, high: float, what: str
) -> InvalidInputError:
    return InvalidInputError(
        f"{name} = {value!r} {unit}: outside the range for {key} ({what}); "
        + f"must be a finite number in [{low:.6g}, {high:.6g}) {unit}"
    )


def _fuller_volume(formula: str) -> float:
    """Fuller diffusion volume of one molecule from its formula (e.g. ``"C3H8"``)."""
    if formula in _FULLER_MOLECULAR_VOLUMES:
        return _FULLER_MOLECULAR_VOLUMES[formula]
    total = 0.0
    for element, count in re.findall(r"([A-Z][a-z]?)(\d*)", formula):
        total += _FULLER_ATOMIC_VOLUMES[element] * (int(count) if count else 1)
    return total


@dataclass(frozen=True, slots=True, kw_only=True)
class Substance:
    """A substance of the library: constants, property functions and hazard data.

    Make one with :func:`substance` or :func:`lng_mixture`; instances are cached and immutable.
    Property methods take SI inputs (K, Pa) and return SI values; inputs outside a method's
    range raise :class:`InvalidInputError` naming the field, value and the allowed range for
    this substance. CoolProp's enthalpy reference state is the fluid's default (use enthalpy
    differences only).

    Attributes
    ----------
    key : str
        Library key (``"ammonia"``, ``"lng"``, ``"lng:0.9/0.07/0.03"`` ...).
    name : str
        Display name.
    formula : str
        Chemical formula (``"CH4/C2H6/C3H8"`` for LNG).
    cas : str
        CAS registry number (empty for a mixture).
    coolprop_name : str
        Fluid string accepted by ``CoolProp.CoolProp.PropsSI``; for a mixture
        ``"Methane[0.92]&Ethane[0.06]&n-Propane[0.02]"``.
    components : tuple of (str, float)
        CoolProp component names and mole fractions.
    molar_mass_kg_mol : float
        Molar mass, kg/mol (CoolProp).
    normal_boiling_point_k : float
        Boiling (bubble) temperature at 101 325 Pa, K.
    triple_point_temperature_k : float
        Triple-point temperature, K (for a mixture the highest component triple point).
    saturation_temperature_range_k : (float, float)
        Range of temperatures of the saturation and liquid methods, K, [low, high).
    saturation_pressure_range_pa : (float, float)
        Range of pressures of :meth:`saturation_temperature_k`, Pa, [low, high).
    gas_temperature_range_k : (float, float)
        Range of temperatures of the gas methods, K.
    maximum_pressure_pa : float
        Highest pressure of the gas methods, Pa.
    hazard : HazardData
        Flammability and toxicity data with sources.
    """

    key: str
    name: str
    formula: str
    cas: str
    coolprop_name: str
    components: tuple[tuple[str, float], ...]
    molar_mass_kg_mol: float
    normal_boiling_point_k: float
    triple_point_temperature_k: float
    saturation_temperature_range_k: tuple[float, float]
    saturation_pressure_range_pa: tuple[float, float]
    gas_temperature_range_k: tuple[float, float]
    maximum_pressure_pa: float
    fuller_diffusion_volume: float
    hazard: HazardData = field(repr=False)

    def __reduce__(self) -> tuple[Callable[[str], Substance], tuple[str]]:
        # A substance is rebuilt from its key (through the library's cache) when unpickled.
        return substance, (self.key,)

    # -- internal helpers -----------------------------------------------------------------------

    @property
    def is_mixture(self) -> bool:
        """Whether the substance is a mixture (saturation = bubble point)."""
        return len(self.components) > 1

    @property
    def critical_temperature_k(self) -> float:
        """Critical temperature, K (a mixture's true critical point, see :func:`lng_mixture`)."""
        return _critical_point(self.components)[0]

    @property
    def critical_pressure_pa(self) -> float:
        """Critical pressure, Pa (a mixture's true critical point, see :func:`lng_mixture`)."""
        return _critical_point(self.components)[1]

    @property
    def critical_molar_density_mol_m3(self) -> float:
        """Molar density at the critical point, mol/m3."""
        return _critical_point(self.components)[2]

    def _fluid(self) -> _coolprop.Fluid:
        names = tuple(name for name, _ in self.components)
        fractions = tuple(x for _, x in self.components)
        return _coolprop.fluid(names, fractions)

    def _check_saturation_t(self, temperature_k: float) -> float:
        t_low, t_high = self.saturation_temperature_range_k
        value = float(temperature_k)
        if not (math.isfinite(value) and t_low <= value < t_high):
            what = "bubble point" if self.is_mixture else "triple point to critical point"
            raise _out_of_range("temperature_k", temperature_k, "K", self.key, t_low, t_high, what)
        return value

    def _check_gas_state(self, temperature_k: float, pressure_pa: float) -> tuple[float, float]:
        t_low, t_high = self.gas_temperature_range_k
        t = float(temperature_k)
        if not (math.isfinite(t) and t_low <= t <= t_high):
            raise InvalidInputError(
                f"temperature_k = {temperature_k!r} K: outside the range for {self.key} "
                + f"(gas properties); must be a finite number in [{t_low:.6g}, {t_high:.6g}] K"
            )
        p = float(pressure_pa)
        if not (math.isfinite(p) and 0.0 < p <= self.maximum_pressure_pa):
            raise InvalidInputError(
                f"pressure_pa = {pressure_pa!r} Pa: outside the range for {self.key} "
                + "(gas properties); must be a finite number in "
                + f"(0, {self.maximum_pressure_pa:.6g}] Pa"
            )
        return t, p

    def _evaluate(
        self,
        what: str,
        inputs: CP.input_pairs,
        value1: float,
        value2: float,
        getters: tuple[_Getter, ...],
        *,
        phase: CP.phases | None = None,
    ) -> tuple[float, ...]:
        try:
            return self._fluid().evaluate(inputs, value1, value2, getters, phase=phase)
        except ValueError as exc:
            raise ConvergenceError(
                f"CoolProp {what} for {self.key} at ({value1!r}, {value2!r}) failed: {exc}"
            ) from exc

    def _saturated(
        self, quality: float, temperature_k: float, getters: tuple[_Getter, ...]
    ) -> tuple[float, ...]:
        point = "bubble point" if quality == 0.0 else "dew point"
        if not self.is_mixture:
            point = "saturated liquid" if quality == 0.0 else "saturated vapour"
        return self._evaluate(point, CP.QT_INPUTS, quality, temperature_k, getters)

    def _imposed_gas(
        self, temperature_k: float, pressure_pa: float, getters: tuple[_Getter, ...]
    ) -> tuple[float, ...]:
        """Gas-root properties at (T, P); ``ValueError`` when CoolProp finds no gas root."""
        fluid = self._fluid()
        values = fluid.evaluate(
            CP.PT_INPUTS,
            pressure_pa,
            temperature_k,
            (_rhomolar, *getters),
            phase=PHASE_GAS,
        )
        # A density above the (pseudo-)critical one below the (pseudo-)critical temperature is
        # the liquid root; Kay's rule gives a mixture's values without the slow critical search.
        t_pc, _, rho_pc = _pseudo_critical_point(self.components)
        if temperature_k < t_pc and values[0] > rho_pc:
            raise ValueError("the gas-phase solve converged on a liquid-like density")
        return values[1:]

    def _dilute_pressure_pa(self, temperature_k: float, pressure_pa: float) -> float:
        """Return a pressure where the gas is stable at ``temperature_k``: half the dew pressure."""
        try:
            (p_dew,) = self._fluid().evaluate(CP.QT_INPUTS, 1.0, temperature_k, (_p,))
        except ValueError:
            return min(pressure_pa, 100.0)
        return min(pressure_pa, 0.5 * p_dew)

    def _gas_properties(
        self, what: str, temperature_k: float, pressure_pa: float, getters: tuple[_Getter, ...]
    ) -> tuple[float, ...]:
        try:
            return self._imposed_gas(temperature_k, pressure_pa, getters)
        except ValueError:
            pass
        # No gas root at (T, P): (T, P) lies in the liquid region (e.g. a cold vapour at a
        # pressure above its dew pressure). cp, cv and viscosity of a gas depend weakly on
        # pressure there, so they are taken at a pressure where the gas is stable.
        p_low = self._dilute_pressure_pa(temperature_k, pressure_pa)
        try:
            return self._imposed_gas(temperature_k, p_low, getters)
        except ValueError as exc:
            raise ConvergenceError(
                f"CoolProp {what} for {self.key} at T = {temperature_k!r} K, "
                + f"P = {pressure_pa!r} Pa failed: {exc}"
            ) from exc

    # -- saturation -----------------------------------------------------------------------------

    def saturation_pressure_pa(self, temperature_k: float) -> float:
        """Return the saturation (vapour) pressure at a temperature.

        For a mixture this is the bubble-point pressure of the liquid of the substance's
        composition.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`saturation_temperature_range_k`.

        Returns
        -------
        float
            Saturation pressure, Pa.

        Raises
        ------
        InvalidInputError
            If the temperature is outside the substance's range.
        ConvergenceError
            If CoolProp's flash fails inside the range.
        """
        t = self._check_saturation_t(temperature_k)
        return self._saturated(0.0, t, (_p,))[0]

    def saturation_temperature_k(self, pressure_pa: float) -> float:
        """Return the saturation (boiling) temperature at a pressure.

        For a mixture this is the bubble-point temperature of the liquid of the substance's
        composition.

        Parameters
        ----------
        pressure_pa : float
            Pressure, Pa, in :attr:`saturation_pressure_range_pa`.

        Returns
        -------
        float
            Saturation temperature, K.

        Raises
        ------
        InvalidInputError
            If the pressure is outside the substance's range.
        ConvergenceError
            If CoolProp's flash fails inside the range.
        """
        p_low, p_high = self.saturation_pressure_range_pa
        p = float(pressure_pa)
        if not (math.isfinite(p) and p_low <= p < p_high):
            what = "bubble point" if self.is_mixture else "triple point to critical point"
            raise _out_of_range("pressure_pa", pressure_pa, "Pa", self.key, p_low, p_high, what)
        return self._evaluate("saturation temperature", CP.PQ_INPUTS, p, 0.0, (_t,))[0]

    # -- saturated liquid -----------------------------------------------------------------------

    def liquid_density_kg_m3(self, temperature_k: float) -> float:
        """Return the density of the saturated (bubble-point) liquid.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`saturation_temperature_range_k`.

        Returns
        -------
        float
            Liquid density, kg/m3.

        Raises
        ------
        InvalidInputError
            If the temperature is outside the substance's range.
        ConvergenceError
            If CoolProp's flash fails inside the range.
        """
        t = self._check_saturation_t(temperature_k)
        return self._saturated(0.0, t, (_rhomass,))[0]

    def liquid_enthalpy_j_kg(self, temperature_k: float) -> float:
        """Return the specific enthalpy of the saturated (bubble-point) liquid.

        The reference state is CoolProp's default for the fluid; use differences only (the
        same reference holds for :meth:`vapour_enthalpy_j_kg`).

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`saturation_temperature_range_k`.

        Returns
        -------
        float
            Specific enthalpy, J/kg.

        Raises
        ------
        InvalidInputError
            If the temperature is outside the substance's range.
        ConvergenceError
            If CoolProp's flash fails inside the range.
        """
        t = self._check_saturation_t(temperature_k)
        return self._saturated(0.0, t, (_hmass,))[0]

    def latent_heat_j_kg(self, temperature_k: float) -> float:
        """Return the latent heat of vaporisation at a temperature.

        Pure fluid: saturated vapour minus saturated liquid enthalpy at T (CoolProp). Mixture:
        the heat to evaporate the liquid without change of composition, taken as the
        ideal-solution value L = sum(x_i M_i L_i(T)) / M from the components' latent heats at
        T (heat of mixing neglected; Poling et al. 2001, ch. 6). It is smooth over the whole
        range, where CoolProp's metastable-vapour route fails near the critical region; for
        the default LNG at its boiling point the two agree within 1 %.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`saturation_temperature_range_k`.

        Returns
        -------
        float
            Latent heat, J/kg.

        Raises
        ------
        InvalidInputError
            If the temperature is outside the substance's range.
        ConvergenceError
            If CoolProp's flash fails inside the range.
        """
        t = self._check_saturation_t(temperature_k)
        if not self.is_mixture:
            (h_vap,) = self._saturated(1.0, t, (_hmass,))
            (h_liq,) = self._saturated(0.0, t, (_hmass,))
            return h_vap - h_liq
        return self._mixture_latent_heat_j_kg(t)

    def _mixture_latent_heat_j_kg(self, temperature_k: float) -> float:
        total_j_mol = 0.0
        for name, x in self.components:
            pure = _coolprop.fluid((name,), (1.0,))
            try:
                h_v, molar_mass = pure.evaluate(
                    CP.QT_INPUTS, 1.0, temperature_k, (_hmass, _molar_mass)
                )
                (h_l,) = pure.evaluate(CP.QT_INPUTS, 0.0, temperature_k, (_hmass,))
            except ValueError as exc:
                raise ConvergenceError(
                    f"ideal-solution latent heat of {self.key} at {temperature_k!r} K: "
                    + f"component {name} failed: {exc}"
                ) from exc
            total_j_mol += x * molar_mass * (h_v - h_l)
        return total_j_mol / self.molar_mass_kg_mol

    def vapour_enthalpy_j_kg(self, temperature_k: float) -> float:
        """Return the specific enthalpy of the saturated vapour at a temperature.

        Same reference state as :meth:`liquid_enthalpy_j_kg`; always equal to the liquid
        enthalpy plus :meth:`latent_heat_j_kg` (for a mixture: vapour of the liquid's
        composition).

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`saturation_temperature_range_k`.

        Returns
        -------
        float
            Specific enthalpy, J/kg.

        Raises
        ------
        InvalidInputError
            If the temperature is outside the substance's range.
        ConvergenceError
            If CoolProp's flash fails inside the range.
        """
        return self.liquid_enthalpy_j_kg(temperature_k) + self.latent_heat_j_kg(temperature_k)

    def liquid_cp_j_kg_k(self, temperature_k: float) -> float:
        """Return the isobaric specific heat of the saturated (bubble-point) liquid.

        For a mixture, CoolProp's liquid root at the bubble pressure is used.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`saturation_temperature_range_k`.

        Returns
        -------
        float
            Specific heat, J/(kg K).

        Raises
        ------
        InvalidInputError
            If the temperature is outside the substance's range.
        ConvergenceError
            If CoolProp's flash fails inside the range.
        """
        t = self._check_saturation_t(temperature_k)
        if not self.is_mixture:
            return self._saturated(0.0, t, (_cpmass,))[0]
        (p_bubble,) = self._saturated(0.0, t, (_p,))
        return self._evaluate(
            "liquid cp", CP.PT_INPUTS, p_bubble, t, (_cpmass,), phase=PHASE_LIQUID
        )[0]

    def liquid_viscosity_pa_s(self, temperature_k: float) -> float:
        """Return the dynamic viscosity of the saturated (bubble-point) liquid.

        CoolProp's viscosity model for pure fluids. Chlorine (no CoolProp model): the DIPPR
        eq. 101 fit of Perry's Handbook, 8th ed., Table 2-313, valid 172.12-333.72 K. Mixture:
        CoolProp has no liquid-mixture viscosity for these fluids, so the Arrhenius (1887)
        log-mole-fraction rule ln mu = sum(x_i ln mu_i) on the components' saturated-liquid
        viscosities at T is used (Grunberg-Nissan with zero interaction; Poling et al. 2001,
        section 9-13).

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`saturation_temperature_range_k` (chlorine: also within
            the correlation's range).

        Returns
        -------
        float
            Dynamic viscosity, Pa s.

        Raises
        ------
        InvalidInputError
            If the temperature is outside the substance's range.
        ConvergenceError
            If CoolProp fails inside the range.
        """
        if self.key == "chlorine":
            low, high = _CHLORINE_LIQUID_VISCOSITY_RANGE_K
            t = float(temperature_k)
            if not (math.isfinite(t) and low <= t <= high):
                raise InvalidInputError(
                    f"temperature_k = {temperature_k!r} K: outside the range for chlorine "
                    + "(liquid viscosity correlation); must be a finite number in "
                    + f"[{low:g}, {high:g}] K"
                )
            c1, c2 = _CHLORINE_LIQUID_VISCOSITY
            return float(math.exp(c1 + c2 / t))
        t = self._check_saturation_t(temperature_k)
        if not self.is_mixture:
            return self._saturated(0.0, t, (_viscosity,))[0]
        log_mu = 0.0
        for name, x in self.components:
            try:
                (mu,) = _coolprop.fluid((name,), (1.0,)).evaluate(
                    CP.QT_INPUTS, 0.0, t, (_viscosity,)
                )
            except ValueError as exc:
                raise ConvergenceError(
                    f"liquid viscosity of {self.key} at {t!r} K: component {name} failed: {exc}"
                ) from exc
            log_mu += x * math.log(mu)
        return math.exp(log_mu)

    # -- gas --------------------------------------------------------------------------------

    def vapour_density_kg_m3(self, temperature_k: float, pressure_pa: float) -> float:
        """Return the density of the gas at a temperature and pressure.

        CoolProp's gas root at (T, P). Where (T, P) lies in the liquid region and no gas root
        exists (a vapour colder than its dew point at P), the ideal-gas density P M / (R T) is
        returned: the state is then metastable and, at the low partial pressures of a cloud,
        close to ideal.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`gas_temperature_range_k`.
        pressure_pa : float
            Pressure, Pa, in (0, :attr:`maximum_pressure_pa`].

        Returns
        -------
        float
            Gas density, kg/m3.

        Raises
        ------
        InvalidInputError
            If the temperature or pressure is outside the substance's range.
        """
        t, p = self._check_gas_state(temperature_k, pressure_pa)
        try:
            return self._imposed_gas(t, p, (_rhomass,))[0]
        except ValueError:
            return p * self.molar_mass_kg_mol / (_GAS_CONSTANT_J_MOL_K * t)

    def gas_cp_j_kg_k(self, temperature_k: float, pressure_pa: float) -> float:
        """Return the isobaric specific heat of the gas.

        CoolProp's gas root at (T, P); where none exists (liquid region), the value at half the
        dew pressure, where the gas is stable.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`gas_temperature_range_k`.
        pressure_pa : float
            Pressure, Pa, in (0, :attr:`maximum_pressure_pa`].

        Returns
        -------
        float
            Specific heat, J/(kg K).

        Raises
        ------
        InvalidInputError
            If the temperature or pressure is outside the substance's range.
        ConvergenceError
            If CoolProp fails inside the range.
        """
        t, p = self._check_gas_state(temperature_k, pressure_pa)
        return self._gas_properties("gas cp", t, p, (_cpmass,))[0]

    def gas_gamma(self, temperature_k: float, pressure_pa: float) -> float:
        """Return the ratio of specific heats cp/cv of the gas.

        Same gas-root rule as :meth:`gas_cp_j_kg_k`.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`gas_temperature_range_k`.
        pressure_pa : float
            Pressure, Pa, in (0, :attr:`maximum_pressure_pa`].

        Returns
        -------
        float
            cp/cv, dimensionless.

        Raises
        ------
        InvalidInputError
            If the temperature or pressure is outside the substance's range.
        ConvergenceError
            If CoolProp fails inside the range.
        """
        t, p = self._check_gas_state(temperature_k, pressure_pa)
        cp, cv = self._gas_properties("gas cp/cv", t, p, (_cpmass, _cvmass))
        return cp / cv

    def gas_viscosity_pa_s(self, temperature_k: float, pressure_pa: float) -> float:
        """Return the dynamic viscosity of the gas.

        CoolProp's viscosity model on the gas root (same rule as :meth:`gas_cp_j_kg_k`).
        Chlorine (no CoolProp model): the low-pressure DIPPR eq. 102 fit of Perry's Handbook,
        8th ed., Table 2-312, valid 200-1000 K (pressure has no effect in this form).

        Parameters
        ----------
        temperature_k : float
            Temperature, K, in :attr:`gas_temperature_range_k` (chlorine: 200-1000 K).
        pressure_pa : float
            Pressure, Pa, in (0, :attr:`maximum_pressure_pa`].

        Returns
        -------
        float
            Dynamic viscosity, Pa s.

        Raises
        ------
        InvalidInputError
            If the temperature or pressure is outside the substance's range.
        ConvergenceError
            If CoolProp fails inside the range.
        """
        t, p = self._check_gas_state(temperature_k, pressure_pa)
        if self.key == "chlorine":
            low, high = _CHLORINE_VAPOUR_VISCOSITY_RANGE_K
            if not low <= t <= high:
                raise InvalidInputError(
                    f"temperature_k = {temperature_k!r} K: outside the range for chlorine "
                    + "(gas viscosity correlation); must be a finite number in "
                    + f"[{low:g}, {high:g}] K"
                )
            c1, c2, c3, c4 = _CHLORINE_VAPOUR_VISCOSITY
            return float(c1 * t**c2 / (1.0 + c3 / t + c4 / t**2))
        return self._gas_properties("gas viscosity", t, p, (_viscosity,))[0]

    def gas_diffusivity_m2_s(self, temperature_k: float, pressure_pa: float) -> float:
        """Return the binary diffusion coefficient of the gas in air.

        Fuller, Schettler & Giddings (1966) correlation, in the form and with the diffusion
        volumes of Poling et al. (2001), eq. 11-4.4 and Table 11-1::

            D = 1.43e-3 T^1.75 / (P_bar M_AB^0.5 [(Σv)_A^(1/3) + (Σv)_air^(1/3)]^2)  [cm^2/s]

        with M_AB = 2 / (1/M_A + 1/M_air) in g/mol. Stated accuracy about 5-10 % for
        non-polar gases at low pressure (Poling et al. 2001, Table 11-2); it is an ideal-gas
        result, inversely proportional to pressure. A mixture is treated as one pseudo-gas with
        the mole-fraction-weighted diffusion volume and the mixture molar mass.

        Parameters
        ----------
        temperature_k : float
            Temperature, K, > 0.
        pressure_pa : float
            Pressure, Pa, > 0.

        Returns
        -------
        float
            Diffusion coefficient, m^2/s.

        Raises
        ------
        InvalidInputError
            If the temperature or pressure is not a finite number > 0.

        References
        ----------
        .. [1] Fuller, E. N., Schettler, P. D. & Giddings, J. C. (1966). A new method for
           prediction of binary gas-phase diffusion coefficients. Ind. Eng. Chem. 58(5), 18-27.
        .. [2] Poling, B. E., Prausnitz, J. M. & O'Connell, J. P. (2001). The Properties of
           Gases and Liquids, 5th ed., McGraw-Hill, section 11-4.
        """
        t = float(temperature_k)
        p = float(pressure_pa)
        if not (math.isfinite(t) and t > 0):
            raise InvalidInputError(
                f"temperature_k = {temperature_k!r} K: must be a finite number > 0"
            )
        if not (math.isfinite(p) and p > 0):
            raise InvalidInputError(
                f"pressure_pa = {pressure_pa!r} Pa: must be a finite number > 0"
            )
        m_a_g_mol = self.molar_mass_kg_mol * 1e3
        m_air_g_mol = _AIR_MOLAR_MASS_KG_MOL * 1e3
        m_ab = 2.0 / (1.0 / m_a_g_mol + 1.0 / m_air_g_mol)
        volumes = self.fuller_diffusion_volume ** (1 / 3) + _FULLER_AIR_VOLUME ** (1 / 3)
        d_cm2_s = _FULLER_COEFFICIENT * t**1.75 / ((p / _PA_PER_BAR) * math.sqrt(m_ab) * volumes**2)
        return float(d_cm2_s * _M2_PER_CM2)


# CoolProp getters (unbound AbstractState methods), named once.
def _getter(method: str) -> _Getter:
    """Return a function reading ``state.<method>()`` of a CoolProp state as a float."""

    def get(state: CP.AbstractState) -> float:
        return float(getattr(state, method)())

    get.__name__ = f"_{method}"
    return get


_p = _getter("p")
_t = _getter("T")
_rhomass = _getter("rhomass")
_rhomolar = _getter("rhomolar")
_hmass = _getter("hmass")
_cpmass = _getter("cpmass")
_cvmass = _getter("cvmass")
_viscosity = _getter("viscosity")
_molar_mass = _getter("molar_mass")


# ----------------------------------------------------------------------------------------------
# Construction
# ----------------------------------------------------------------------------------------------


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@functools.cache
def _aliases() -> Mapping[str, str]:
    table: dict[str, str] = {}
    substances = hazard_data_table()["substances"]
    for key in SUBSTANCE_NAMES:
        entry = substances[key]
        for alias in (key, entry["name"], *entry["aliases"]):
            table[_normalise(alias)] = key
    return MappingProxyType(table)


def _build_pure(key: str) -> Substance:
    entry = _entry(key)
    coolprop_name = str(entry["coolprop_name"])
    fluid = _coolprop.fluid((coolprop_name,), (1.0,))
    molar_mass = fluid.constant(lambda s: s.molar_mass())
    t_triple = fluid.constant(lambda s: s.Ttriple())
    t_crit = fluid.constant(lambda s: s.T_critical())
    (p_triple,) = fluid.evaluate(CP.QT_INPUTS, 0.0, t_triple, (_p,))
    (t_boil,) = fluid.evaluate(CP.PQ_INPUTS, 101_325.0, 0.0, (_t,))
    formula = str(entry["formula"])
    return Substance(
        key=key,
        name=str(entry["name"]),
        formula=formula,
        cas=str(entry["cas"]),
        coolprop_name=coolprop_name,
        components=((coolprop_name, 1.0),),
        molar_mass_kg_mol=molar_mass,
        normal_boiling_point_k=t_boil,
        triple_point_temperature_k=t_triple,
        saturation_temperature_range_k=(t_triple, t_crit),
        saturation_pressure_range_pa=(p_triple, fluid.constant(lambda s: s.p_critical())),
        gas_temperature_range_k=(
            fluid.constant(lambda s: s.Tmin()),
            fluid.constant(lambda s: s.Tmax()),
        ),
        maximum_pressure_pa=fluid.constant(lambda s: s.pmax()),
        fuller_diffusion_volume=_fuller_volume(formula),
        hazard=_hazard_for_pure(key, molar_mass),
    )


def _lng_key(fractions: tuple[float, float, float]) -> str:
    if fractions == LNG_DEFAULT_MOLE_FRACTIONS:
        return "lng"
    return "lng:" + "/".join(f"{x:.6g}" for x in fractions)


@functools.cache
def _build_lng(fractions: tuple[float, float, float]) -> Substance:
    entry = _entry("lng")
    pure_entries = [_entry(k) for k in _LNG_COMPONENT_KEYS]
    parts = [
        (str(e["coolprop_name"]), x, str(e["formula"]), k)
        for e, x, k in zip(pure_entries, fractions, _LNG_COMPONENT_KEYS, strict=True)
        if x > 0.0
    ]
    names = tuple(p[0] for p in parts)
    xs = tuple(p[1] for p in parts)
    fluid = _coolprop.fluid(names, xs)
    pure = [_coolprop.fluid((n,), (1.0,)) for n in names]
    molar_mass = fluid.constant(lambda s: s.molar_mass())
    # Saturation methods run from the highest component triple point to the lowest component
    # critical temperature: the liquid-viscosity and latent-heat fallbacks need every component
    # to have a saturated liquid there.
    t_low = max(f.constant(lambda s: s.Ttriple()) for f in pure)
    t_high = min(f.constant(lambda s: s.T_critical()) for f in pure)
    (p_low,) = fluid.evaluate(CP.QT_INPUTS, 0.0, t_low, (_p,))
    (p_high,) = fluid.evaluate(CP.QT_INPUTS, 0.0, t_high - 1e-3, (_p,))
    (t_boil,) = fluid.evaluate(CP.PQ_INPUTS, 101_325.0, 0.0, (_t,))
    coolprop_name = (
        "&".join(f"{n}[{x:.6g}]" for n, x in zip(names, xs, strict=True))
        if len(names) > 1
        else names[0]
    )
    diffusion_volume = sum(x * _fuller_volume(p[2]) for p, x in zip(parts, xs, strict=True))
    hazard = _hazard_for_lng(fractions)
    return Substance(
        key=_lng_key(fractions),
        name=str(entry["name"]),
        formula=str(entry["formula"]),
        cas=str(entry["cas"]),
        coolprop_name=coolprop_name,
        components=tuple(zip(names, xs, strict=True)),
        molar_mass_kg_mol=molar_mass,
        normal_boiling_point_k=t_boil,
        triple_point_temperature_k=t_low,
        saturation_temperature_range_k=(t_low, t_high),
        saturation_pressure_range_pa=(p_low, p_high),
        gas_temperature_range_k=(t_low, min(f.constant(lambda s: s.Tmax()) for f in pure)),
        maximum_pressure_pa=min(f.constant(lambda s: s.pmax()) for f in pure),
        fuller_diffusion_volume=diffusion_volume,
        hazard=hazard,
    )


@functools.cache
def _pseudo_critical_point(components: tuple[tuple[str, float], ...]) -> tuple[float, float, float]:
    """Critical (T K, p Pa, molar density mol/m3); Kay's-rule pseudo-critical for a mixture.

    Kay (1936), Ind. Eng. Chem. 28, 1014: mole-fraction averages of the component critical
    temperatures and pressures, and of the critical molar volumes for the density.
    """
    pure = [(_coolprop.fluid((name,), (1.0,)), x) for name, x in components]
    t_pc = sum(x * f.constant(lambda s: s.T_critical()) for f, x in pure)
    p_pc = sum(x * f.constant(lambda s: s.p_critical()) for f, x in pure)
    v_pc = sum(x / f.constant(lambda s: s.rhomolar_critical()) for f, x in pure)
    return t_pc, p_pc, 1.0 / v_pc


@functools.cache
def _critical_point(components: tuple[tuple[str, float], ...]) -> tuple[float, float, float]:
    """Critical (T K, p Pa, molar density mol/m3): CoolProp's, Kay's rule if its search fails.

    A mixture's critical-point search takes about 2 s, so it runs only when asked for.
    """
    if len(components) == 1:
        return _pseudo_critical_point(components)
    names = tuple(name for name, _ in components)
    fractions = tuple(x for _, x in components)
    try:
        points = _coolprop.fluid(names, fractions).critical_points()
    except ValueError:
        points = []
    return points[0] if points else _pseudo_critical_point(components)


def substance(name: str) -> Substance:
    """Return the library substance for a key or alias (case-insensitive).

    Keys are :data:`SUBSTANCE_NAMES`; aliases include formulas ("NH3", "Cl2", "H2S", "H2",
    "CH4", "C2H6", "C3H8"), refrigerant numbers ("R717", "R290") and "natural gas" for the
    default LNG. A key made by :func:`lng_mixture` (``"lng:0.9/0.07/0.03"``) is accepted too.

    Parameters
    ----------
    name : str
        Substance key or alias.

    Returns
    -------
    Substance
        The cached substance.

    Raises
    ------
    InvalidInputError
        If the name is unknown (the message lists the keys).
    """
    if not isinstance(name, str):
        raise InvalidInputError(
            f"substance = {name!r}: must be a name; choose one of {list(SUBSTANCE_NAMES)}"
        )
    normalised = _normalise(name)
    if normalised.startswith("lng:"):
        try:
            parts = tuple(float(v) for v in normalised[4:].split("/"))
        except ValueError:
            parts = ()
        if len(parts) != 3:
            raise InvalidInputError(
                f"substance = {name!r}: an LNG key reads 'lng:<methane>/<ethane>/<propane>' "
                + "with three mole fractions"
            )
        return lng_mixture(*parts)
    key = _aliases().get(normalised)
    if key is None:
        raise InvalidInputError(
            f"substance = {name!r}: unknown; choose one of {list(SUBSTANCE_NAMES)} "
            + f"(aliases: {sorted(a for a in _aliases() if a not in SUBSTANCE_NAMES)})"
        )
    if key == "lng":
        return _build_lng(LNG_DEFAULT_MOLE_FRACTIONS)
    return _build_pure_cached(key)


@functools.cache
def _build_pure_cached(key: str) -> Substance:
    return _build_pure(key)


def lng_mixture(
    methane: float = LNG_DEFAULT_MOLE_FRACTIONS[0],
    ethane: float = LNG_DEFAULT_MOLE_FRACTIONS[1],
    propane: float = LNG_DEFAULT_MOLE_FRACTIONS[2],
) -> Substance:
    """Return an LNG substance of a given methane-ethane-propane composition.

    Properties come from CoolProp's HEOS mixture model (GERG-2008 departure functions and
    mixing parameters for these pairs; Kunz & Wagner 2012). Saturation means the bubble point.
    The critical point is CoolProp's true mixture critical point (Kay's-rule pseudo-critical
    values if CoolProp's critical-point search fails). Flammability limits follow from the
    component limits by Le Chatelier's rule.

    Parameters
    ----------
    methane, ethane, propane : float
        Mole fractions, each >= 0, methane > 0, summing to 1 within 0.001 (normalised to 1).

    Returns
    -------
    Substance
        Key ``"lng"`` for the default composition, ``"lng:<x1>/<x2>/<x3>"`` otherwise; the key
        is accepted by :func:`substance`.

    Raises
    ------
    InvalidInputError
        If a fraction is negative or not finite, methane is 0, or the sum is not 1.

    References
    ----------
    .. [1] Kunz, O. & Wagner, W. (2012). The GERG-2008 wide-range equation of state for
       natural gases and other mixtures. J. Chem. Eng. Data 57(11), 3032-3091.
    """
    values = {"methane": methane, "ethane": ethane, "propane": propane}
    for field_name, value in values.items():
        number = float(value)
        if not (math.isfinite(number) and number >= 0.0):
            raise InvalidInputError(
                f"{field_name} = {value!r} (mole fraction): must be a finite number >= 0"
            )
    if not float(methane) > 0.0:
        raise InvalidInputError(f"methane = {methane!r} (mole fraction): must be > 0 for LNG")
    total = sum(float(v) for v in values.values())
    if abs(total - 1.0) > _MOLE_FRACTION_SUM_TOLERANCE:
        raise InvalidInputError(
            f"methane + ethane + propane = {total!r} (mole fractions): must sum to 1 "
            + f"(± {_MOLE_FRACTION_SUM_TOLERANCE:g})"
        )
    fractions = tuple(round(float(v) / total, 9) for v in values.values())
    return _build_lng((fractions[0], fractions[1], fractions[2]))
