"""Release source terms: discharge through holes and ruptures, flashing, pool evaporation."""
