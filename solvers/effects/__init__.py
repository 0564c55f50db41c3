"""Effects on people: toxic load and probits, levels of concern, threat zones, effective doses."""

from solvers.effects.person_dose import (
    DoseState,
    accumulate_dose,
    fatality_probability,
    initial_dose_state,
    is_incapacitated,
    route_cost_multiplier,
    walking_speed_factor,
)
from solvers.effects.threat_zones import ThreatZone, grid_probit_zones, grid_threat_zones
from solvers.effects.threshold_zones import ThresholdLevel, aegl_ppm, threshold_levels
from solvers.effects.toxic_load import toxic_fatality_probability, toxic_load_history

__all__ = [
    "DoseState",
    "ThreatZone",
    "ThresholdLevel",
    "accumulate_dose",
    "aegl_ppm",
    "fatality_probability",
    "grid_probit_zones",
    "grid_threat_zones",
    "initial_dose_state",
    "is_incapacitated",
    "route_cost_multiplier",
    "threshold_levels",
    "toxic_fatality_probability",
    "toxic_load_history",
    "walking_speed_factor",
]
