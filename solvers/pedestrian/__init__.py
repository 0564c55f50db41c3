"""Pedestrian dynamics: movement models, floor fields and walking speeds, vectorised over agents."""
