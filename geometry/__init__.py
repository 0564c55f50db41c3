"""Geometry: meshes and floor plans in; walkable regions, obstacles, exits, levels and grids out."""
