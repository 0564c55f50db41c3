"""The site twin: buildings, equipment, detectors, zones, population, exits and muster points."""
