"""Atmospheric dispersion: passive Gaussian plumes and puffs, dense-gas clouds, and their fields."""
