"""Tests of geometry.navigation_grid: no 4-neighbour step between walkable cells crosses a wall.

Evidence:

- hand counts (verification): a 10 m x 6 m room split by a 0.2 m wall, with and without a 1.0 m
  door; a door beside a partition thinner than half a cell; a floor slit narrower than a cell;
- property: random thin walls with a door, at random angles and grid offsets;
- the two-storey test building (tests/geometry/conftest.py) sliced at body height, and every level
  of both shipped sample sites (built by ``twin`` from the site files), checked step by step and
  for the connectivity of occupied rooms to their exits (upper levels: to their stair's top).

Steps are checked here independently of the module's own step test: the candidates are the cells
whose centre lies within half a cell of the walkable boundary (a step meeting the boundary has an
end that close), taken from a buffer of the boundary, and each candidate step must be covered by the
walkable region and must not touch the obstacles.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy import ndimage
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon, box

from geometry.errors import GeometryError
from geometry.floor_plan import Level, Opening
from geometry.grid import Grid2D, rasterise
from geometry.navigation_grid import (
    TYPICAL_WALL_THICKNESS_M,
    opening_strip,
    step_segments,
    walkable_cells,
)
from geometry.slicing import slice_level
from twin import SiteView, load_site

SITES_DIR = Path(__file__).resolve().parents[2] / "examples" / "sites"
SITE_NAMES = ("lng_terminal", "ammonia_plant")


def _crossing_steps(grid: Grid2D, mask: NDArray[np.bool_], level: Level) -> NDArray[np.intp]:
    """Steps ``[j, i, axis]`` between walkable cells that leave the walkable region or touch an
    obstacle (see the module docstring for the candidates)."""
    h = grid.cell_size_m
    walkable, obstacles = level.walkable, level.obstacles
    # the polygonal buffer lies inside the true one by the factor cos(pi / (4 quad_segs))
    zone = shapely.buffer(walkable.boundary, 0.5 * h * 1.001 / math.cos(math.pi / 16), quad_segs=4)
    near = rasterise(zone, grid) & mask
    shapely.prepare(walkable)
    if not obstacles.is_empty:
        shapely.prepare(obstacles)
    found = []
    for axis in (0, 1):
        a = (slice(0, -1), slice(None)) if axis == 0 else (slice(None), slice(0, -1))
        b = (slice(1, None), slice(None)) if axis == 0 else (slice(None), slice(1, None))
        ji = np.argwhere(mask[a] & mask[b] & (near[a] | near[b]))
        lines = step_segments(grid, ji, axis)
        bad = ~shapely.covered_by(lines, walkable)
        if not obstacles.is_empty:
            bad |= shapely.intersects(lines, obstacles)
        found.append(np.column_stack([ji[bad], np.full(int(bad.sum()), axis)]))
    return np.concatenate(found)


def _labels(mask: NDArray[np.bool_]) -> tuple[NDArray[np.int32], int]:
    """4-connected components (scipy's default 2D structure is the cross)."""
    labels, count = ndimage.label(mask)
    return labels, int(count)


def _grid_for(level: Level, cell_m: float) -> Grid2D:
    xmin, ymin, xmax, ymax = level.walkable.bounds
    return Grid2D.covering((xmin - cell_m, ymin - cell_m, xmax + cell_m, ymax + cell_m), cell_m)


def _strip_cells(
    segment_m: NDArray[np.float64], grid: Grid2D, mask: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Walkable cells of an opening (or stair end) strip, as carved by walkable_cells."""
    half_depth = 0.5 * TYPICAL_WALL_THICKNESS_M + grid.cell_size_m
    return mask & rasterise(opening_strip(segment_m, half_depth_m=half_depth), grid)


# ------------------------------------------------------------------------------------ by hand


def _split_room(door: tuple[float, float] | None) -> tuple[Level, list[Opening]]:
    """Room x [0, 10], y [0, 6] (no outer walls), wall x [4.9, 5.1] with a door gap ``door``."""
    room = box(0.0, 0.0, 10.0, 6.0)
    if door is None:
        walls: Polygon | MultiPolygon = box(4.9, 0.0, 5.1, 6.0)
        openings = []
    else:
        walls = MultiPolygon([box(4.9, 0.0, 5.1, door[0]), box(4.9, door[1], 5.1, 6.0)])
        openings = [
            Opening(id="D", level_id="L0", segment_m=np.array([[5.0, door[0]], [5.0, door[1]]]))
        ]
    level = Level(id="L0", elevation_m=0.0, walkable=room.difference(walls), obstacles=walls)
    return level, openings


#: Cells of 0.5 m over x [-0.5, 10.5], y [-0.5, 6.5]: centres x = -0.25 + 0.5 i, y = -0.25 + 0.5 j.
HAND_GRID = Grid2D((-0.5, -0.5), 0.5, (14, 22))


@pytest.mark.verification
def test_room_split_by_a_wall_with_a_door_by_hand() -> None:
    """Wall x [4.9, 5.1] with a 1.0 m door y [2.4, 3.4], 0.5 m cells (HAND_GRID).

    Centres inside the room: 20 columns (x 0.25 .. 9.75) x 12 rows (y 0.25 .. 5.75) = 240, none in
    the wall. Columns x = 4.75 and 5.25 have squares x [4.5, 5.0] and [5.0, 5.5], which overlap the
    wall in the rows whose squares overlap a jamb: y [0, 2.4] holds rows 0.25 .. 2.25 (5 rows), y
    [3.4, 6] rows 3.25 .. 5.75 (6 rows): 2 x 11 = 22 cells lost. The door's strip reaches
    0.15 + 0.5 = 0.65 m each side, x [4.35, 5.65], y [2.4, 3.4]: centres x 4.75, 5.25 and y 2.75,
    3.25, of which the two at y = 3.25 were lost and are carved back. 240 - 22 + 2 = 220 cells,
    one component. The centre rule alone keeps all 240 and steps across the wall in the 10 rows
    beside the door (y 0.25 .. 2.25 and 3.75 .. 5.75).
    """
    level, openings = _split_room((2.4, 3.4))
    mask = walkable_cells(level, HAND_GRID, openings=openings)
    assert int(mask.sum()) == 220
    assert _labels(mask)[1] == 1
    j_door, i_west, i_east = 7, 10, 11  # y = 3.25, x = 4.75 and 5.25
    assert mask[j_door, i_west]
    assert mask[j_door, i_east]
    assert not mask[j_door + 1, i_west]  # y = 3.75: beside the jamb
    assert not mask[j_door - 2, i_east]  # y = 2.25: beside the jamb
    assert len(_crossing_steps(HAND_GRID, mask, level)) == 0
    centre_rule = rasterise(level.walkable, HAND_GRID)
    assert int(centre_rule.sum()) == 240
    assert len(_crossing_steps(HAND_GRID, centre_rule, level)) == 10


@pytest.mark.verification
def test_room_split_by_a_wall_without_a_door_by_hand() -> None:
    """The same wall over the full height y [0, 6]: columns x = 4.75 and 5.25 lose all 12 rows,
    240 - 24 = 216 cells in two components of 9 columns x 12 rows = 108 each."""
    level, openings = _split_room(None)
    mask = walkable_cells(level, HAND_GRID, openings=openings)
    assert int(mask.sum()) == 216
    labels, count = _labels(mask)
    assert count == 2
    assert sorted(np.bincount(labels.ravel())[1:].tolist()) == [108, 108]


@pytest.mark.verification
def test_door_beside_a_thin_partition_loses_the_cell_across_it() -> None:
    """A door x [4, 5] in a wall y [2.9, 3.1]; north of it a partition x [3.8, 4.0] (0.2 m, thinner
    than half a 0.5 m cell) starts at the door's west jamb. Cell centres x = 0.02 + 0.5 i,
    y = 0.05 + 0.5 j.

    Cell A (4.02, 3.55) overlaps the partition, but lies in the door's strip (x in (4, 5), y within
    0.65 of 3.0) and is carved. Its west neighbour B (3.52, 3.55) has the square x [3.27, 3.77]
    clear of everything, yet the step A-B crosses the partition: the step test drops B (the
    non-carved end) and keeps the door's cell A.
    """
    room = box(0.0, 0.0, 10.0, 6.0)
    walls = shapely.union_all(
        [box(0.0, 2.9, 4.0, 3.1), box(5.0, 2.9, 10.0, 3.1), box(3.8, 3.1, 4.0, 6.0)]
    )
    level = Level(id="L0", elevation_m=0.0, walkable=room.difference(walls), obstacles=walls)
    door = Opening(id="D", level_id="L0", segment_m=np.array([[4.0, 3.0], [5.0, 3.0]]))
    grid = Grid2D((-0.23, -0.2), 0.5, (13, 21))
    mask = walkable_cells(level, grid, openings=[door])
    (a_ji,) = grid.cell_of(np.array([[4.02, 3.55]]))
    (b_ji,) = grid.cell_of(np.array([[3.52, 3.55]]))
    assert mask[a_ji[0], a_ji[1]]
    assert not mask[b_ji[0], b_ji[1]]
    assert len(_crossing_steps(grid, mask, level)) == 0
    without_step_test = rasterise(level.walkable, grid)
    assert without_step_test[b_ji[0], b_ji[1]]  # B is walkable ground: only the step test drops it


@pytest.mark.verification
def test_slit_in_the_floor_narrower_than_a_cell_cuts_the_steps_across_it() -> None:
    """Floor x [0, 10], y [0, 10] with a slit x [4.9, 5.1], y [0, 6] (no floor, no obstacle) on
    0.5 m cells from the origin: 400 centres, none in the slit. The columns x = 4.75 and 5.25 step
    across the slit in the 12 rows y = 0.25 .. 5.75; neither end is carved, so both go:
    400 - 24 = 376."""
    floor = box(0.0, 0.0, 10.0, 10.0).difference(box(4.9, 0.0, 5.1, 6.0))
    level = Level(id="L0", elevation_m=0.0, walkable=floor)
    grid = Grid2D((0.0, 0.0), 0.5, (20, 20))
    mask = walkable_cells(level, grid)
    assert int(mask.sum()) == 376
    assert not mask[:12, 9:11].any()
    assert mask[12:, 9:11].all()
    assert len(_crossing_steps(grid, mask, level)) == 0


@settings(deadline=None, max_examples=40, derandomize=True)
@given(
    thickness=st.floats(0.02, 0.6),
    door_width=st.floats(0.6, 2.0),
    angle=st.floats(0.0, 90.0),
    offset_x=st.floats(0.0, 1.0),
    offset_y=st.floats(0.0, 1.0),
    cell=st.sampled_from([0.25, 0.4, 0.5, 0.7]),
)
@pytest.mark.property
def test_no_step_crosses_a_rotated_wall_with_a_door(
    thickness: float,
    door_width: float,
    angle: float,
    offset_x: float,
    offset_y: float,
    cell: float,
) -> None:
    """A wall across a 12 m room, at any angle and thickness, with a door of any width; the grid at
    any offset. No step crosses the wall; the door joins the two sides when wider than two cells
    (it always keeps a column of cells then, rotated or not)."""
    centre = (6.0, 6.0)
    half = 0.5 * thickness
    wall_parts = [
        box(-10.0, -half, -0.5 * door_width, half),
        box(0.5 * door_width, -half, 10.0, half),
    ]
    walls = shapely.union_all(
        [affinity.translate(affinity.rotate(w, angle, origin=(0, 0)), *centre) for w in wall_parts]
    )
    room = box(0.0, 0.0, 12.0, 12.0)
    walls = shapely.intersection(walls, room)
    level = Level(id="L0", elevation_m=0.0, walkable=room.difference(walls), obstacles=walls)
    segment = np.array([[-0.5 * door_width, 0.0], [0.5 * door_width, 0.0]])
    rad = math.radians(angle)
    rotation = np.array([[math.cos(rad), -math.sin(rad)], [math.sin(rad), math.cos(rad)]])
    door = Opening(id="D", level_id="L0", segment_m=segment @ rotation.T + np.array(centre))
    grid = Grid2D((-offset_x, -offset_y), cell, (math.ceil(14 / cell), math.ceil(14 / cell)))
    mask = walkable_cells(level, grid, openings=[door])
    assert len(_crossing_steps(grid, mask, level)) == 0
    assert not (mask & ~rasterise(level.walkable, grid)).any()
    if door_width > 2.0 * cell * math.sqrt(2.0) + thickness:
        assert _labels(mask)[1] == 1


def test_opening_strip_and_argument_errors() -> None:
    strip = opening_strip(np.array([[0.0, 0.0], [2.0, 0.0]]), half_depth_m=0.5)
    assert strip.equals(box(0.0, -0.5, 2.0, 0.5))
    with pytest.raises(GeometryError, match=r"half_depth_m = 0\.0 m: must be a finite number > 0"):
        opening_strip(np.array([[0.0, 0.0], [2.0, 0.0]]), half_depth_m=0.0)
    level, openings = _split_room((2.4, 3.4))
    with pytest.raises(GeometryError, match=r"wall_thickness_m = -1\.0 m"):
        walkable_cells(level, HAND_GRID, openings=openings, wall_thickness_m=-1.0)


# ------------------------------------------------------------------------ two-storey building


@pytest.mark.parametrize("cell_m", [0.5, 0.3])
def test_two_storey_building_has_no_crossing_and_reaches_its_exit(
    mesh_two_storey_building: Any, cell_m: float
) -> None:
    """Ground level: one component holding the exit's cells; upper level: one component holding
    the stair's top cells (the stair lands on the upper slab at x = 19, y [7, 9])."""
    building = mesh_two_storey_building
    door = building.interior_door_segment_m
    for level_id, elevation, extra in (
        (
            "L0",
            0.0,
            [Opening(id="E", level_id="L0", segment_m=building.exit_segment_m, kind="exit")],
        ),
        ("L1", 3.5, []),
    ):
        level = slice_level(building.model, level_id=level_id, elevation_m=elevation)
        grid = _grid_for(level, cell_m)
        openings = [Opening(id="D", level_id=level_id, segment_m=door), *extra]
        mask = walkable_cells(level, grid, openings=openings)
        assert len(_crossing_steps(grid, mask, level)) == 0
        assert _labels(mask)[1] == 1
        target = (
            np.array(building.exit_segment_m)
            if level_id == "L0"
            else np.array([[19.0, 7.0], [19.0, 9.0]])
        )
        assert _strip_cells(target, grid, mask).any()


# ------------------------------------------------------------------------ shipped sample sites


@cache
def _view(name: str) -> SiteView:
    return load_site(SITES_DIR / name / "site.yaml").view()


def _sample_levels() -> list[tuple[str, str]]:
    return [(name, key) for name in SITE_NAMES for key in _view(name).level_keys]


@pytest.mark.parametrize(("name", "key"), _sample_levels())
def test_no_step_crosses_a_wall_on_the_sample_sites(name: str, key: str) -> None:
    """Every level of both sample sites at the default 0.5 m cells (before this rule: 75 steps on
    lng_terminal control/L0, 224 on admin/L0, 324 outdoors through the bund walls)."""
    view = _view(name)
    grid, mask = view.navigation_grid(key)
    assert len(_crossing_steps(grid, mask, view.level(key))) == 0


@pytest.mark.parametrize("name", SITE_NAMES)
def test_occupied_rooms_reach_an_exit_or_their_stair(name: str) -> None:
    """Each room with people on some shift has walkable cells 4-connected to the cells of an exit
    of its building on its level; on a level without exits, to the top cells of a stair coming up
    to it, whose bottom cells in turn reach an exit of the level below."""
    view = _view(name)
    for building in view.site.buildings:
        stairs = building.stairs
        for level in building.levels:
            key = f"{building.id}/{level.id}"
            grid, mask = view.navigation_grid(key)
            labels, _ = _labels(mask)
            exits = [e.segment_m for e in building.exits if e.level_id == level.id]
            tops = [s.top_m for s in stairs if s.upper_level_id == level.id]
            targets = exits or tops
            reached = set()
            for segment in targets:
                reached |= set(np.unique(labels[_strip_cells(segment, grid, mask)]).tolist())
            reached.discard(0)
            for room in building.rooms:
                if room.level_id != level.id or not any(
                    room.people(s.id) for s in view.site.shifts
                ):
                    continue
                cells = mask & rasterise(room.polygon, grid)
                assert cells.any(), f"{name} {key} room {room.id}: no walkable cell"
                assert reached & set(np.unique(labels[cells]).tolist()), (
                    f"{name} {key} room {room.id} reaches none of {len(targets)} exits/stairs"
                )
            exit_labels = reached if exits else set()
            for stair in stairs:
                if stair.lower_level_id == level.id and exits:
                    bottom = set(np.unique(labels[_strip_cells(stair.bottom_m, grid, mask)]))
                    assert bottom & exit_labels, f"{name} {key} stair {stair.id}: no exit"
