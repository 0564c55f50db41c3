"""Evacuation layout: walls with exit gaps, exit normals, field cells, site and polygon builds."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout, StairSpec, _components_touching
from solvers.errors import InvalidInputError


def test_polygon_layout_has_an_exit_gap_in_its_walls(room_layout):
    level = room_layout.levels["L0"]
    walls = shapely.MultiLineString(list(level.wall_segments_m))
    exit_mid = shapely.Point(10.0, 3.0)
    assert walls.distance(exit_mid) >= 0.5  # the 1.2 m gap: 0.6 m to the jambs
    assert walls.length == pytest.approx(2 * (10 + 6) - 1.2, abs=1e-6)
    assert walls.distance(shapely.Point(10.0, 1.0)) == pytest.approx(0.0)


def test_exit_normal_points_out_and_crossing_is_beyond_the_line(room_layout):
    e = room_layout.exits[0]
    np.testing.assert_allclose(e.outward_normal, [1.0, 0.0])
    assert e.width_m == pytest.approx(1.2)
    pts = np.array([[9.9, 3.0], [10.05, 3.0], [10.05, 9.0]])
    assert e.crossed(pts).tolist() == [False, True, False]


def test_field_cells_reach_through_the_exit_into_the_apron(room_layout):
    level = room_layout.levels["L0"]
    j, i = level.grid.cell_of(np.array([[10.5, 3.0]]))[0]
    assert level.cells[j, i]
    j, i = level.grid.cell_of(np.array([[10.5, 1.0]]))[0]
    assert not level.cells[j, i]


def test_holes_become_walls():
    region = box(0, 0, 10, 10).difference(box(4, 4, 6, 6))
    layout = EvacuationLayout.from_polygons(region, {"E": [[10, 4], [10, 6]]})
    walls = shapely.MultiLineString(list(layout.levels["L0"].wall_segments_m))
    assert walls.length == pytest.approx(40 - 2 + 8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"exits": {"E": [[5, 3], [6, 3]]}}, "must lie on the boundary"),
        ({"exits": {"E": [[10, 2], [10, 2]]}}, "end points must differ"),
        ({"exits": {}}, "at least one exit"),
        ({"exits": [("E", "L9", [[10, 2], [10, 3]])]}, "level = 'L9' is unknown"),
        ({"cell_size_m": 0.0}, r"must be a number in \(0, 2\]"),
        ({"muster_points": {"M": [50, 50]}}, "not on walkable ground"),
    ],
)
def test_bad_polygon_layouts_are_refused(room, kwargs, message):
    args = {"exits": {"E": [[10, 2], [10, 3]]}} | kwargs
    with pytest.raises(InvalidInputError, match=message):
        EvacuationLayout.from_polygons(room, **args)


def test_duplicate_exit_ids_are_refused(room):
    exits = [("E", "L0", [[10, 2], [10, 3]]), ("E", "L0", [[0, 2], [0, 3]])]
    with pytest.raises(InvalidInputError, match=r"exit ids \['E'\] occur more than once"):
        EvacuationLayout.from_polygons(room, exits)


def test_stair_on_unknown_level_is_refused(room):
    stair = StairSpec(
        id="S",
        lower_key="L0",
        upper_key="L1",
        bottom_m=np.array([[1.0, 6.0], [2.0, 6.0]]),
        top_m=np.array([[1.0, 6.0], [2.0, 6.0]]),
        width_m=1.0,
        length_m=4.0,
        rise_m=3.0,
    )
    with pytest.raises(InvalidInputError, match="stair 'S' upper level = 'L1' is unknown"):
        EvacuationLayout.from_polygons(room, {"E": [[10, 2], [10, 3]]}, stairs=[stair])


def test_lookups_list_known_ids(room_layout):
    assert room_layout.exit_index("E") == 0
    with pytest.raises(InvalidInputError, match=r"known exits: \['E'\]"):
        room_layout.exit_index("X")
    with pytest.raises(InvalidInputError, match=r"known levels: \['L0'\]"):
        room_layout.level_index("L1")
    with pytest.raises(InvalidInputError, match=r"known muster points: \[\]"):
        room_layout.muster_index("M")


def test_site_layout_links_the_office_exit_to_the_outdoors(small_site_layout):
    lay = small_site_layout
    assert lay.level_keys == ["office/L0", "outdoor"]
    by_id = {e.id: e for e in lay.exits}
    assert by_id["E1"].leads_to == "outdoor"
    assert by_id["E1"].kind == "exit"
    assert by_id["G1"].kind == "gate"
    assert by_id["G1"].leads_to is None
    np.testing.assert_allclose(by_id["E1"].outward_normal, [0.0, -1.0])
    assert lay.muster_ids == ["M1"]
    assert {a.kind for a in lay.spawn_areas.values()} == {"room", "zone"}
    assert lay.spawn_areas["R1"].people("day") == 3
    assert lay.spawn_areas["R1"].region.area > 40.0


def test_site_layout_without_outdoor_ends_at_the_building_exit(small_site):
    lay = EvacuationLayout.from_site(small_site, include_outdoor=False)
    assert lay.level_keys == ["office/L0"]
    assert lay.exits[0].leads_to is None
    assert lay.muster_areas == ()
    with pytest.raises(InvalidInputError, match="level key 'office/L9' is unknown"):
        EvacuationLayout.from_site(small_site, level_keys=["office/L9"])


def test_enclosed_pockets_are_not_spawn_ground() -> None:
    """A walled-in pocket (an impounding basin inside a yard) is dropped; the yard is kept."""
    yard = box(0, 0, 100, 50).difference(box(40, 10, 60, 30))
    basin = box(41, 11, 59, 29)
    region = yard.union(basin)
    gate = np.array([[0.0, 20.0], [0.0, 24.0]])
    kept = _components_touching(region, [gate])
    assert kept.area == pytest.approx(yard.area)
    assert not kept.intersects(box(45, 15, 55, 25))
