"""Tests of geometry.dxf_io: DXF plans drawn with ezdxf in tmp_path, read back by layer name.

The reference plan (metres): a 10 m x 8 m floor; exterior walls drawn as LINE centre lines along
the floor outline, 0.2 m thick, with a 1.2 m exit gap at x = 4..5.2 on the south side (exit "E1",
named by a TEXT); an interior wall at x = 6 with a 1 m door gap at y = 3.5..4.5 (no text:
"door-1"); rooms "Hall" (x < 6) and "Store" (x > 6) named by TEXT; a round column of radius
0.25 m at (3, 5).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import ezdxf
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon

from geometry.dxf_io import CIRCLE_SEGMENTS, load_dxf_plan
from geometry.errors import FloorPlanError, GeometryError
from geometry.floor_plan import Level
from geometry.plan_layers import LAYER_NAMES, MIN_WALKABLE_PART_M2, PlanLayers

COLUMN_RADIUS_M = 0.25
#: Area of the regular 64-gon inscribed in the column, m^2: (n/2) r^2 sin(2 pi / n).
COLUMN_POLYGON_M2 = (
    CIRCLE_SEGMENTS / 2 * COLUMN_RADIUS_M**2 * math.sin(2 * math.pi / CIRCLE_SEGMENTS)
)
#: Walkable area without the column, m^2 (see test_walkable_area_matches_hand_computation).
WALKABLE_WITHOUT_COLUMN_M2 = 9.8 * 7.8 + 1.2 * 0.1 - 0.2 * 6.8

WALL_LINES: list[tuple[tuple[float, float], tuple[float, float]]] = [
    ((0, 0), (0, 8)),
    ((0, 8), (10, 8)),
    ((10, 8), (10, 0)),
    ((10, 0), (5.2, 0)),
    ((4, 0), (0, 0)),
    ((6, 0), (6, 3.5)),
    ((6, 4.5), (6, 8)),
]


def write_plan(
    path: Path,
    *,
    scale: float = 1.0,
    insunits: int | None = 6,
    layers: Mapping[str, str] | None = None,
    floor: bool = True,
    floor_as_lines: bool = False,
    rooms: bool = True,
    door_as_block: bool = False,
    extra: Sequence[tuple[str, str, tuple[tuple[float, float], ...]]] = (),
    texts: Sequence[tuple[str, str, tuple[float, float]]] = (),
) -> Path:
    """Draw the reference plan; coordinates are multiplied by ``scale`` (1000 for a mm drawing).

    ``extra`` adds ``(shape, layer, points)`` with shape ``line``, ``open`` or ``closed``
    (LWPOLYLINE) or ``arc`` (points = the centre; radius 1 m, 0 to 180 deg); ``texts`` adds
    ``(label, layer, xy)``.
    """
    doc = ezdxf.new()
    if insunits is None:
        del doc.header["$INSUNITS"]
    else:
        doc.header["$INSUNITS"] = insunits
    msp = doc.modelspace()
    names = {name: name for name in LAYER_NAMES} | {"WALLS": "Walls"} | dict(layers or {})

    def at(*pts: tuple[float, float]) -> list[tuple[float, float]]:
        return [(x * scale, y * scale) for x, y in pts]

    def attrs(layer: str) -> dict[str, str]:
        return {"layer": names[layer]}

    def line(layer: str, a: tuple[float, float], b: tuple[float, float]) -> None:
        start, end = at(a, b)
        msp.add_line(start, end, dxfattribs=attrs(layer))

    def text(label: str, layer: str, xy: tuple[float, float]) -> None:
        msp.add_text(label, height=0.2 * scale, dxfattribs=attrs(layer)).set_placement(at(xy)[0])

    outline: tuple[tuple[float, float], ...] = ((0, 0), (10, 0), (10, 8), (0, 8))
    if floor and floor_as_lines:
        for a, b in zip(outline, (*outline[1:], outline[0]), strict=True):
            line("FLOOR", a, b)
    elif floor:
        msp.add_lwpolyline(at(*outline), close=True, dxfattribs=attrs("FLOOR"))
    for a, b in WALL_LINES:
        line("WALLS", a, b)
    line("EXITS", (4, 0), (5.2, 0))
    text("E1", "EXITS", (4.6, -0.6))
    if door_as_block:
        # A door block drawn along +x at the origin: opening segment, swing arc and tag on layer 0.
        block = doc.blocks.new("DOOR_1M")
        block.add_line((0, 0), (1 * scale, 0), dxfattribs={"layer": "0"})
        block.add_arc((0, 0), 1 * scale, 0, 90, dxfattribs={"layer": "0"})
        block.add_text("D7", height=0.2 * scale, dxfattribs={"layer": "0"}).set_placement(
            (0.5 * scale, 0.3 * scale)
        )
        msp.add_blockref(
            "DOOR_1M", at((6, 3.5))[0], dxfattribs={"layer": names["DOORS"], "rotation": 90}
        )
    else:
        line("DOORS", (6, 3.5), (6, 4.5))
    msp.add_circle(at((3, 5))[0], COLUMN_RADIUS_M * scale, dxfattribs=attrs("OBSTACLES"))
    if rooms:
        msp.add_lwpolyline(
            at((0, 0), (6, 0), (6, 8), (0, 8)), close=True, dxfattribs=attrs("ROOMS")
        )
        msp.add_lwpolyline(
            at((6, 0), (10, 0), (10, 8), (6, 8)), close=True, dxfattribs=attrs("ROOMS")
        )
        text("Hall", "ROOMS", (3, 2))
        text("Store", "ROOMS", (8, 2))
    for kind, layer, pts in extra:
        if kind == "line":
            line(layer, pts[0], pts[1])
        elif kind == "open":
            msp.add_lwpolyline(at(*pts), dxfattribs=attrs(layer))
        elif kind == "closed":
            msp.add_lwpolyline(at(*pts), close=True, dxfattribs=attrs(layer))
        elif kind == "arc":
            msp.add_arc(at(pts[0])[0], 1.0 * scale, 0, 180, dxfattribs=attrs(layer))
    for label, layer, xy in texts:
        text(label, layer, xy)
    doc.saveas(path)
    return path


@pytest.fixture
def plan_dxf(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan.dxf")


@pytest.fixture
def plan(plan_dxf: Path) -> PlanLayers:
    return load_dxf_plan(plan_dxf)


@pytest.mark.verification
def test_walkable_area_matches_hand_computation(plan: PlanLayers) -> None:
    """Walkable = floor - walls - column, by hand.

    The exterior walls are centred on the floor edge, so 0.1 m of each lies inside: the clear
    interior is 9.8 x 7.8 = 76.44 m^2. The exit gap (x = 4..5.2) keeps its 1.2 x 0.1 = 0.12 m^2
    strip. The interior wall covers 0.2 m x (3.4 + 3.4) m = 1.36 m^2 between the exterior wall faces
    (y = 0.1..3.5 and 4.5..7.9). The column removes pi r^2 = 0.19635 m^2 for r = 0.25 m. Total:
    76.44 + 0.12 - 1.36 - 0.19635 = 75.00365 m^2. The column is read as an inscribed regular 64-gon,
    whose area is 0.16 % (3.2e-4 m^2) below pi r^2; the tolerance 5e-4 m^2 covers it. Against the
    64-gon the match is exact to 1e-9.
    """
    assert pytest.approx(75.20) == WALKABLE_WITHOUT_COLUMN_M2
    assert plan.walkable_area_m2 == pytest.approx(75.20 - math.pi * COLUMN_RADIUS_M**2, abs=5e-4)
    assert plan.walkable_area_m2 == pytest.approx(
        WALKABLE_WITHOUT_COLUMN_M2 - COLUMN_POLYGON_M2, abs=1e-9
    )
    assert isinstance(plan.walkable, Polygon), "the door gap joins both rooms into one region"
    assert plan.floor.area == pytest.approx(80.0)


def test_rooms_are_named_by_the_text_inside(plan: PlanLayers) -> None:
    rooms = dict(plan.rooms)
    assert list(rooms) == ["Hall", "Store"]
    assert rooms["Hall"].area == pytest.approx(48.0)
    assert rooms["Store"].area == pytest.approx(32.0)


def test_exit_is_named_by_its_text_and_lies_on_the_walkable_boundary(plan: PlanLayers) -> None:
    level, openings, rooms = plan.to_level(level_id="L0", elevation_m=3.5)
    assert isinstance(level, Level)
    assert level.elevation_m == 3.5
    assert level.walkable_area_m2 == pytest.approx(plan.walkable_area_m2)
    exits = [o for o in openings if o.kind == "exit"]
    assert [o.id for o in exits] == ["E1"]
    np.testing.assert_allclose(exits[0].segment_m, [[4.0, 0.0], [5.2, 0.0]])
    assert exits[0].width_m == pytest.approx(1.2)
    assert shapely.distance(exits[0].line, level.walkable.boundary) == pytest.approx(0.0, abs=1e-9)
    assert [(r.id, r.name, r.level_id) for r in rooms] == [
        ("Hall", "Hall", "L0"),
        ("Store", "Store", "L0"),
    ]
    assert level.obstacles.area == pytest.approx(plan.walls.union(plan.obstacles).area)


def test_door_without_text_gets_an_automatic_id(plan: PlanLayers) -> None:
    assert [name for name, _ in plan.doors] == ["door-1"]
    seg = plan.doors[0][1]
    np.testing.assert_allclose(seg, [[6.0, 3.5], [6.0, 4.5]])
    assert not seg.flags.writeable


def test_text_names_only_the_nearest_opening_within_2_m(tmp_path: Path) -> None:
    """A tag 0.5 m from the door names it; one 3 m away names nothing."""
    near = write_plan(tmp_path / "near.dxf", texts=[("D9", "DOORS", (6.5, 4.0))])
    far = write_plan(tmp_path / "far.dxf", texts=[("D9", "DOORS", (9.0, 4.0))])
    assert [n for n, _ in load_dxf_plan(near).doors] == ["D9"]
    assert [n for n, _ in load_dxf_plan(far).doors] == ["door-1"]


def test_door_drawn_as_a_rotated_block_is_found(tmp_path: Path, plan: PlanLayers) -> None:
    """Block entities on layer 0 take the INSERT's layer; the swing arc is ignored."""
    blocky = load_dxf_plan(write_plan(tmp_path / "block.dxf", door_as_block=True))
    assert [n for n, _ in blocky.doors] == ["D7"]
    np.testing.assert_allclose(blocky.doors[0][1], [[6.0, 3.5], [6.0, 4.5]], atol=1e-9)
    assert blocky.walkable_area_m2 == pytest.approx(plan.walkable_area_m2, abs=1e-9)


def test_millimetre_drawing_with_units_mm_gives_the_same_plan(
    tmp_path: Path, plan: PlanLayers
) -> None:
    mm = load_dxf_plan(write_plan(tmp_path / "mm.dxf", scale=1000.0, insunits=0), units="mm")
    assert mm.walkable_area_m2 == pytest.approx(plan.walkable_area_m2, rel=1e-9)
    np.testing.assert_allclose(mm.exits[0][1], plan.exits[0][1])


def test_insunits_is_used_when_units_is_none_and_units_wins_when_given(
    tmp_path: Path, plan: PlanLayers
) -> None:
    path = write_plan(tmp_path / "mm.dxf", scale=1000.0, insunits=4)  # $INSUNITS 4 = millimetres
    assert load_dxf_plan(path).walkable_area_m2 == pytest.approx(plan.walkable_area_m2, rel=1e-9)
    as_metres = load_dxf_plan(path, units="m")
    assert as_metres.floor.area == pytest.approx(80.0e6)


def test_missing_insunits_means_metres(tmp_path: Path, plan: PlanLayers) -> None:
    unitless = load_dxf_plan(write_plan(tmp_path / "none.dxf", insunits=None))
    assert unitless.walkable_area_m2 == pytest.approx(plan.walkable_area_m2)


def test_rotation_and_offset_move_the_plan(plan_dxf: Path, plan: PlanLayers) -> None:
    """90 deg CCW then +(100, 50): (x, y) -> (100 - y, 50 + x); areas are unchanged."""
    moved = load_dxf_plan(plan_dxf, rotation_deg=90.0, offset_m=(100.0, 50.0))
    assert moved.walkable_area_m2 == pytest.approx(plan.walkable_area_m2, rel=1e-12)
    np.testing.assert_allclose(moved.exits[0][1], [[100.0, 54.0], [100.0, 55.2]], atol=1e-9)
    hall = dict(moved.rooms)["Hall"]
    np.testing.assert_allclose(hall.centroid.coords[0], (96.0, 53.0), atol=1e-9)
    moved.to_level(level_id="L1", elevation_m=0.0)  # the exit is still on the boundary


def test_layer_map_reads_a_drawing_with_its_own_layer_names(
    tmp_path: Path, plan: PlanLayers
) -> None:
    cad = {
        "WALLS": "A-WALL",
        "DOORS": "A-DOOR",
        "EXITS": "A-DOOR-EXIT",
        "OBSTACLES": "S-COLS",
        "ROOMS": "A-AREA",
        "FLOOR": "A-FLOR",
    }
    path = write_plan(tmp_path / "cad.dxf", layers=cad)
    mapped = load_dxf_plan(path, layer_map={v.lower(): k.lower() for k, v in cad.items()})
    assert mapped.walkable_area_m2 == pytest.approx(plan.walkable_area_m2)
    assert [n for n, _ in mapped.rooms] == ["Hall", "Store"]
    assert [n for n, _ in mapped.exits] == ["E1"]
    with pytest.raises(FloorPlanError, match="no floor outline and no rooms"):
        load_dxf_plan(path)


def test_floor_drawn_as_separate_lines_is_closed_into_a_face(
    tmp_path: Path, plan: PlanLayers
) -> None:
    lines = load_dxf_plan(write_plan(tmp_path / "lines.dxf", floor_as_lines=True))
    assert lines.floor.area == pytest.approx(80.0)
    assert lines.walkable_area_m2 == pytest.approx(plan.walkable_area_m2)


def test_without_floor_layer_the_rooms_make_the_floor(tmp_path: Path, plan: PlanLayers) -> None:
    rooms_only = load_dxf_plan(write_plan(tmp_path / "rooms.dxf", floor=False))
    assert rooms_only.floor.area == pytest.approx(80.0)
    assert rooms_only.walkable_area_m2 == pytest.approx(plan.walkable_area_m2)


@pytest.mark.verification
def test_arc_wall_is_flattened(tmp_path: Path, plan: PlanLayers) -> None:
    """A half-circle wall, r = 1 m, 0.2 m thick: (1.1^2 - 0.9^2) / 2 * pi = 0.2 pi = 0.6283 m^2.

    Flattening keeps the chord error below 1 mm, so the strip area is within 0.2 m x 1 mm x 2 sides
    of the exact value; the tolerance is 1e-3 m^2.
    """
    arc = load_dxf_plan(write_plan(tmp_path / "arc.dxf", extra=[("arc", "WALLS", ((8.0, 4.5),))]))
    assert plan.walkable_area_m2 - arc.walkable_area_m2 == pytest.approx(0.2 * math.pi, abs=1e-3)


def test_stairs_are_closed_outlines_named_by_text(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path / "stairs.dxf",
        extra=[("closed", "STAIRS", ((7, 6), (9, 6), (9, 7.5), (7, 7.5)))],
    )
    stairs = load_dxf_plan(path).stairs
    assert [n for n, _ in stairs] == ["stair-1"]
    assert stairs[0][1].area == pytest.approx(3.0)


# --- bad input: each class names what is wrong and what is allowed -------------------------------


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FloorPlanError, match=r"plan file '.*nowhere\.dxf' does not exist"):
        load_dxf_plan(tmp_path / "nowhere.dxf")


def test_text_that_is_not_dxf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.dxf"
    path.write_text("these are meeting notes, not a drawing\n")
    with pytest.raises(FloorPlanError, match=r"notes\.dxf' is not a readable DXF"):
        load_dxf_plan(path)


def test_truncated_dxf_reports_the_structure_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.dxf"
    path.write_text("0\nSECTION\n2\nENTITIES\n0\nLINE\n8\nWALLS\n")
    with pytest.raises(FloorPlanError, match=r"is not a readable DXF \(DXFStructureError"):
        load_dxf_plan(path)


def test_plan_without_floor_or_rooms_is_refused(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "bare.dxf", floor=False, rooms=False)
    with pytest.raises(
        FloorPlanError,
        match=r"bare\.dxf: no floor outline and no rooms; draw closed outlines on layer FLOOR",
    ):
        load_dxf_plan(path)


def test_open_floor_outline_is_located(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path / "open.dxf",
        floor=False,
        extra=[("open", "FLOOR", ((0, 0), (10, 0), (10, 8), (0, 8)))],
    )
    with pytest.raises(
        FloorPlanError,
        match=r"LWPOLYLINE #\w+ on layer 'FLOOR': open LWPOLYLINE near .* does not close an",
    ):
        load_dxf_plan(path)


def test_door_that_is_not_a_segment_is_refused(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "bent.dxf", extra=[("open", "DOORS", ((2, 2), (3, 2), (3, 3)))])
    with pytest.raises(
        FloorPlanError,
        match=r"door at LWPOLYLINE #\w+ on layer 'DOORS' has 3 distinct vertices: a door must be",
    ):
        load_dxf_plan(path)


def test_exit_off_the_walkable_boundary_is_refused_by_to_level(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "inside.dxf", extra=[("line", "EXITS", ((2, 3), (3, 3)))])
    plan = load_dxf_plan(path)
    with pytest.raises(
        FloorPlanError,
        match=r"exit 'exit-1' on level 'L0' .* from the walkable boundary; it must lie on it",
    ):
        plan.to_level(level_id="L0", elevation_m=0.0)


def test_duplicate_opening_ids_are_refused(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path / "twice.dxf",
        extra=[("line", "EXITS", ((10, 2), (10, 3)))],
        texts=[("E1", "EXITS", (10.5, 2.5))],
    )
    with pytest.raises(FloorPlanError, match=r"door/exit ids \['E1'\] are used more than once"):
        load_dxf_plan(path)


def test_plan_with_no_walkable_area_is_refused(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path / "full.dxf",
        extra=[("closed", "OBSTACLES", ((-1, -1), (11, -1), (11, 9), (-1, 9)))],
    )
    with pytest.raises(
        FloorPlanError, match=r"walkable area is empty: floor 80\.00 m2 is entirely covered"
    ):
        load_dxf_plan(path)


def test_layer_map_target_must_be_a_plan_layer(plan_dxf: Path) -> None:
    with pytest.raises(
        FloorPlanError,
        match=r"layer_map\['A-WALL'\] = 'PARTITIONS' is not a plan layer; choose one of \['WALLS'",
    ):
        load_dxf_plan(plan_dxf, layer_map={"A-WALL": "PARTITIONS"})


def test_unsupported_insunits_asks_for_units(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "km.dxf", insunits=7)  # 7 = kilometres
    with pytest.raises(
        FloorPlanError, match=r"\$INSUNITS = 7 is not supported; .* pass units= explicitly"
    ):
        load_dxf_plan(path)
    assert load_dxf_plan(path, units="m").walkable_area_m2 > 0


def test_unknown_units_and_bad_wall_thickness_are_named(plan_dxf: Path) -> None:
    with pytest.raises(GeometryError, match=r"units = 'yards' is unknown; choose one of"):
        load_dxf_plan(plan_dxf, units="yards")
    with pytest.raises(
        FloorPlanError, match=r"wall_thickness_m = -0\.2 m: must be a finite number in \(0, 5\]"
    ):
        load_dxf_plan(plan_dxf, wall_thickness_m=-0.2)


def test_small_walkable_slivers_are_dropped(tmp_path: Path) -> None:
    """A 0.5 x 0.5 m pocket boxed in by walls (0.25 m^2 < 0.5 m^2) is not walkable."""
    corners = ((8.0, 6.0), (8.7, 6.0), (8.7, 6.7), (8.0, 6.7))  # wall centre lines, 0.2 m thick
    sides = [
        ("line", "WALLS", (a, b)) for a, b in zip(corners, (*corners[1:], corners[0]), strict=True)
    ]
    path = write_plan(tmp_path / "pocket.dxf", extra=sides)
    plan = load_dxf_plan(path)
    assert MIN_WALKABLE_PART_M2 == 0.5
    assert isinstance(plan.walkable, Polygon)
    assert not plan.walkable.intersects(Point(8.35, 6.35))
    assert plan.floor.difference(plan.walls).contains(Point(8.35, 6.35)), (
        "the pocket itself is floor"
    )


def test_truncated_dxf_is_a_floor_plan_error_naming_the_file(tmp_path: Path) -> None:
    """Regression: ``head -c 1000`` of a DXF made ezdxf raise StopIteration, not caught before."""
    text = write_plan(tmp_path / "full.dxf").read_bytes()
    cut = tmp_path / "cut.dxf"
    cut.write_bytes(text[:1000])
    with pytest.raises(FloorPlanError, match=r"cut\.dxf.*not a readable DXF") as info:
        load_dxf_plan(cut)
    assert "save it again" in str(info.value)


def test_dxf_cut_at_any_offset_gives_only_geometry_errors(tmp_path: Path) -> None:
    """Property over cut points: a plan cut anywhere loads or raises a GeometryError naming it."""
    text = write_plan(tmp_path / "full.dxf").read_bytes()
    cut = tmp_path / "cut.dxf"
    messages: list[str] = []
    for end in range(0, len(text), max(1, len(text) // 40)):
        cut.write_bytes(text[:end])
        try:
            load_dxf_plan(cut)
        except GeometryError as exc:
            messages.append(str(exc))
    assert messages
    assert all("cut.dxf" in message for message in messages)
