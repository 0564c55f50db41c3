"""Geometry: meshes and floor plans in; walkable 2D regions, obstacles, exits, levels and grids out."""
