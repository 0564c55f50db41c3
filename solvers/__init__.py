"""Pure numerical hazard and pedestrian models: typed inputs in, frozen results out."""
