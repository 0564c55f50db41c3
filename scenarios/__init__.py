"""Scenarios: the scenario schema, the one-clock timeline, the crowd, runs and sweeps."""
