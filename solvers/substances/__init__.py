"""The substance library: thermodynamic properties from CoolProp and sourced hazard data."""

from solvers.substances.library import (
    SUBSTANCE_NAMES,
    HazardData,
    Substance,
    ToxicProbit,
    substance,
)

__all__ = ["SUBSTANCE_NAMES", "HazardData", "Substance", "ToxicProbit", "substance"]
