"""The substance library: thermodynamic properties from CoolProp and sourced hazard data."""
