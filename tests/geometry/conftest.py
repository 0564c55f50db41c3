"""Shared mesh fixtures: a two-storey building made of boxes, with hand-computed numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import trimesh

from geometry.mesh_io import MeshModel
from geometry.primitives import box_mesh


def _box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> trimesh.Trimesh:
    """Axis-aligned box from its extents, m."""
    return box_mesh(
        base_centre_m=((x0 + x1) / 2, (y0 + y1) / 2, z0), size_m=(x1 - x0, y1 - y0, z1 - z0)
    )


def _join(boxes: list[trimesh.Trimesh]) -> trimesh.Trimesh:
    mesh = trimesh.util.concatenate(boxes)
    assert isinstance(mesh, trimesh.Trimesh)
    return mesh


@dataclass(frozen=True)
class TwoStoreyBuilding:
    """Parts and hand-computed numbers of the test building (see ``mesh_two_storey_building``)."""

    parts: dict[str, trimesh.Trimesh]
    level_elevations_m: tuple[float, float]
    floor_elevations_m: tuple[float, ...]
    floor_area_m2: tuple[float, float]
    walkable_area_m2: tuple[float, float]
    region_count: tuple[int, int]
    exit_segment_m: tuple[tuple[float, float], tuple[float, float]]
    interior_door_segment_m: tuple[tuple[float, float], tuple[float, float]]
    stair_hole_m: tuple[float, float, float, float]
    body_height_m: float

    @property
    def model(self) -> MeshModel:
        """The parts as a MeshModel."""
        return MeshModel(parts=self.parts, source="two-storey test building")

    @property
    def meshes(self) -> list[trimesh.Trimesh]:
        """The parts as a list."""
        return list(self.parts.values())


def build_two_storey_building() -> TwoStoreyBuilding:
    """Build a 20 m x 10 m two-storey building from boxes; numbers below are by hand.

    Geometry (m): plan x in [0, 20], y in [0, 10].

    * Slabs 0.2 thick: ground slab z in [-0.2, 0.0]; upper slab z in [3.3, 3.5] made of four boxes
      around a stairwell hole x in [16, 19], y in [7, 9]; roof slab z in [6.5, 6.7].
    * Exterior walls 0.2 thick: south y in [0, 0.2] and north y in [9.8, 10] over x in [0, 20]; west
      x in [0, 0.2] and east x in [19.8, 20] over y in [0.2, 9.8]. Ground storey z in [0, 3.3],
      upper storey z in [3.5, 6.5]. The ground south wall has the exit gap x in [4, 5] with a lintel
      z in [2.1, 3.3] above it.
    * Interior wall x in [9.9, 10.1], y in [0.2, 9.8] on both storeys, with a door gap
      y in [4.5, 5.5] and a lintel above it.
    * Stair: 19 solid treads, step i (0..18) spans x in [14.25 + 0.25 i, 14.5 + 0.25 i],
      y in [7, 9], z in [0, 0.175 (i + 1)]; the 20th riser lands on the upper slab at x = 19.

    Hand computation at body height 1.0 m:

    * Ground (z = 0): floor 20 x 10 = 200. Cut at z = 1.0: south wall 20 x 0.2 - 1 x 0.2 = 3.8;
      north 4.0; west and east 9.6 x 0.2 = 1.92 each; interior 9.6 x 0.2 - 1 x 0.2 = 1.72; stair
      treads with 0.175 (i + 1) > 1.0, i.e. i >= 5, x in [15.5, 19], 3.5 x 2 = 7.0. Obstacles 20.36;
      walkable 200 - 20.36 = 179.64 m^2, one region (the interior door joins the rooms).
    * Upper (z = 3.5): floor 200 - 3 x 2 (stairwell) = 194. Cut at z = 4.5: walls 4.0 + 4.0 + 1.92 +
      1.92 + 1.72 = 13.56; walkable 194 - 13.56 = 180.44 m^2, one region with the stairwell as a
      hole.
    * Floor elevations: 0.0, 3.5 and the roof top 6.7 (wall tops at 3.3 and 6.5 are covered by
      slabs; each stair tread is 0.5 m^2, below the 1 m^2 minimum).
    """
    ground: list[trimesh.Trimesh] = []
    upper: list[trimesh.Trimesh] = []
    for z0, z1, walls in ((0.0, 3.3, ground), (3.5, 6.5, upper)):
        walls += [
            _box(0.0, 20.0, 9.8, 10.0, z0, z1),  # north
            _box(0.0, 0.2, 0.2, 9.8, z0, z1),  # west
            _box(19.8, 20.0, 0.2, 9.8, z0, z1),  # east
            _box(9.9, 10.1, 0.2, 4.5, z0, z1),  # interior, south of the door
            _box(9.9, 10.1, 5.5, 9.8, z0, z1),  # interior, north of the door
            _box(9.9, 10.1, 4.5, 5.5, z0 + 2.1, z1),  # interior door lintel
        ]
    ground += [
        _box(0.0, 4.0, 0.0, 0.2, 0.0, 3.3),  # south, west of the exit
        _box(5.0, 20.0, 0.0, 0.2, 0.0, 3.3),  # south, east of the exit
        _box(4.0, 5.0, 0.0, 0.2, 2.1, 3.3),  # exit lintel
    ]
    upper.append(_box(0.0, 20.0, 0.0, 0.2, 3.5, 6.5))  # south, no exit upstairs
    upper_slab = [
        _box(0.0, 16.0, 0.0, 10.0, 3.3, 3.5),
        _box(19.0, 20.0, 0.0, 10.0, 3.3, 3.5),
        _box(16.0, 19.0, 0.0, 7.0, 3.3, 3.5),
        _box(16.0, 19.0, 9.0, 10.0, 3.3, 3.5),
    ]
    treads = [
        _box(14.25 + 0.25 * i, 14.5 + 0.25 * i, 7.0, 9.0, 0.0, 0.175 * (i + 1)) for i in range(19)
    ]
    parts = {
        "slab_ground": _box(0.0, 20.0, 0.0, 10.0, -0.2, 0.0),
        "walls_ground": _join(ground),
        "slab_upper": _join(upper_slab),
        "walls_upper": _join(upper),
        "stair": _join(treads),
        "roof": _box(0.0, 20.0, 0.0, 10.0, 6.5, 6.7),
    }
    return TwoStoreyBuilding(
        parts=parts,
        level_elevations_m=(0.0, 3.5),
        floor_elevations_m=(0.0, 3.5, 6.7),
        floor_area_m2=(200.0, 194.0),
        walkable_area_m2=(179.64, 180.44),
        region_count=(1, 1),
        exit_segment_m=((4.0, 0.0), (5.0, 0.0)),
        interior_door_segment_m=((10.0, 4.5), (10.0, 5.5)),
        stair_hole_m=(16.0, 7.0, 19.0, 9.0),
        body_height_m=1.0,
    )


@pytest.fixture
def mesh_two_storey_building() -> TwoStoreyBuilding:
    """Two-storey box building with an exit gap, an interior door and a stairwell (by hand)."""
    return build_two_storey_building()
