"""Errors raised by the geometry layer.

Exception tree::

    ValueError
    └── GeometryError          any geometry input a user must fix
        ├── MeshError          unreadable, empty, open, degenerate or mis-scaled mesh
        └── FloorPlanError     no walkable area, or a door/exit off the walkable boundary
"""

from __future__ import annotations


class GeometryError(ValueError):
    """Geometry input that cannot be used; the message names the field, value and allowed range."""


class MeshError(GeometryError):
    """A mesh that is empty, unreadable, open where closure is needed, degenerate or mis-scaled."""


class FloorPlanError(GeometryError):
    """A floor plan or level that has no walkable area or whose openings are misplaced."""
