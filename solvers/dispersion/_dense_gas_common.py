"""Ambient air properties and constants shared by the dense-gas models.

Used by the Britter-McQuaid, slab and regime modules of :mod:`solvers.dispersion`; winds come
from :mod:`solvers.dispersion.stability`.
"""

from __future__ import annotations

import math

from solvers.atmosphere import Weather

#: Standard gravity, m/s^2 (CGPM 1901).
GRAVITY_M_S2 = 9.80665
#: Molar gas constant, J/(mol K) (CODATA 2018).
GAS_CONSTANT_J_MOL_K = 8.314462618
#: Molar mass of dry air, kg/mol (ISO 2533 standard atmosphere).
AIR_MOLAR_MASS_KG_MOL = 0.0289644
#: Molar mass of water, kg/mol.
WATER_MOLAR_MASS_KG_MOL = 0.01801528
#: Specific heat of dry air at constant pressure near 290 K, J/(kg K).
AIR_CP_J_KG_K = 1005.0
#: Specific heat of water vapour at constant pressure near 290 K, J/(kg K).
WATER_VAPOUR_CP_J_KG_K = 1870.0
#: Von Karman constant (Hogstrom 1988 re-evaluation; the value used by DEGADIS and SLAB).
VON_KARMAN = 0.41

#: Lowest height at which the power-law wind is evaluated, m (it vanishes at the ground).
MIN_PROFILE_HEIGHT_M = 0.1


def air_density_kg_m3(temperature_k: float, pressure_pa: float) -> float:
    """Return the ideal-gas density of dry air, kg/m^3."""
    return pressure_pa * AIR_MOLAR_MASS_KG_MOL / (GAS_CONSTANT_J_MOL_K * temperature_k)


def water_saturation_pressure_pa(temperature_k: float) -> float:
    """Return the saturation pressure of water over liquid, Pa (Alduchov & Eskridge 1996)."""
    celsius = temperature_k - 273.15
    return 610.94 * math.exp(17.625 * celsius / (celsius + 243.04))


def humid_air_water_mass_ratio(weather: Weather) -> float:
    """Return the mass of water vapour per mass of dry air in the ambient air, kg/kg."""
    vapour_pa = weather.relative_humidity * water_saturation_pressure_pa(
        weather.ambient_temperature_k
    )
    dry_pa = weather.ambient_pressure_pa - vapour_pa
    return WATER_MOLAR_MASS_KG_MOL * vapour_pa / (AIR_MOLAR_MASS_KG_MOL * dry_pa)


def humid_air_density_kg_m3(weather: Weather) -> float:
    """Return the density of the ambient humid air, kg/m^3 (ideal-gas mixture)."""
    ratio = humid_air_water_mass_ratio(weather)
    moles_per_kg_dry = 1.0 / AIR_MOLAR_MASS_KG_MOL + ratio / WATER_MOLAR_MASS_KG_MOL
    volume_per_kg_dry = (
        moles_per_kg_dry
        * GAS_CONSTANT_J_MOL_K
        * weather.ambient_temperature_k
        / weather.ambient_pressure_pa
    )
    return (1.0 + ratio) / volume_per_kg_dry
