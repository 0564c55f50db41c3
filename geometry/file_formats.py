"""File suffixes the geometry readers accept, kept apart from the readers so checks stay light.

Site-file validation needs these lists before any file is read; importing them from here does not
import trimesh or ezdxf.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MESH_SUFFIXES", "PLAN_SUFFIXES"]

#: 3D mesh files (:func:`geometry.mesh_io.load_mesh`), lower case.
MESH_SUFFIXES: Final = (".obj", ".stl", ".ply", ".glb", ".gltf")

#: 2D floor-plan files (:func:`geometry.vector_io.load_plan`), lower case.
PLAN_SUFFIXES: Final = (".dxf", ".geojson", ".json", ".wkt")
