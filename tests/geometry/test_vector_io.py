"""Tests of geometry.vector_io: GeoJSON and WKT plans, and load_plan's choice of reader by suffix.

The shipped files tests/data/plans/two_rooms.{geojson,wkt} hold one hand-written plan: a
10 m x 8 m floor, 0.2 m exterior walls on the outline with a 1.2 m exit gap (E1), an interior wall
at x = 6 with a 1 m door gap (D1), a 0.4 m x 0.4 m square column at (3, 5), rooms Hall and Store.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import ezdxf
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from geometry.errors import FloorPlanError, GeometryError
from geometry.file_formats import PLAN_SUFFIXES
from geometry.plan_layers import PlanLayers
from geometry.vector_io import PLAN_KINDS, PLAN_READERS, load_geojson_plan, load_plan, load_wkt_plan

DATA = Path(__file__).resolve().parents[1] / "data" / "plans"

COLUMN_CENTRE_M = (3.0, 5.0)
COLUMN_RADIUS_M = 0.25

#: The reference plan, m: (kind, id or name, geometry); the column is the DXF reader's 64-gon.
PLAN: list[tuple[str, str | None, BaseGeometry]] = [
    ("floor", None, box(0, 0, 10, 8)),
    ("wall", None, LineString([(4, 0), (0, 0), (0, 8), (10, 8), (10, 0), (5.2, 0)])),
    ("wall", None, LineString([(6, 0), (6, 3.5)])),
    ("wall", None, LineString([(6, 4.5), (6, 8)])),
    ("obstacle", None, Point(COLUMN_CENTRE_M).buffer(COLUMN_RADIUS_M, quad_segs=16)),
    ("door", None, LineString([(6, 3.5), (6, 4.5)])),
    ("exit", "E1", LineString([(4, 0), (5.2, 0)])),
    ("room", "Hall", box(0, 0, 6, 8)),
    ("room", "Store", box(6, 0, 10, 8)),
]


def re_list(items: tuple[str, ...]) -> str:
    """Regex for the repr of ``list(items)``."""
    return r"\[" + ", ".join(f"'{i}'" for i in items) + r"\]"


def _scaled(geom: BaseGeometry, scale: float) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: xy * scale)


def write_geojson(
    path: Path, items: list[tuple[str, str | None, BaseGeometry]] = PLAN, scale: float = 1.0
) -> Path:
    features = []
    for kind, ident, geom in items:
        props: dict[str, Any] = {"kind": kind}
        if ident:
            props["name" if kind == "room" else "id"] = ident
        features.append(
            {"type": "Feature", "properties": props, "geometry": mapping(_scaled(geom, scale))}
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def write_wkt(
    path: Path, items: list[tuple[str, str | None, BaseGeometry]] = PLAN, scale: float = 1.0
) -> Path:
    lines = ["# reference plan", ""]
    lines += [
        f"{kind}{':' + ident if ident else ''}; "
        + shapely.to_wkt(_scaled(geom, scale), rounding_precision=-1)
        for kind, ident, geom in items
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_dxf(path: Path) -> Path:
    doc = ezdxf.new()
    msp = doc.modelspace()
    layer_of = {
        "floor": "FLOOR",
        "wall": "WALLS",
        "door": "DOORS",
        "exit": "EXITS",
        "room": "ROOMS",
    }
    for kind, ident, geom in PLAN:
        layer = {"layer": layer_of.get(kind, "OBSTACLES")}
        if kind == "obstacle":
            msp.add_circle(COLUMN_CENTRE_M, COLUMN_RADIUS_M, dxfattribs=layer)
            continue
        if isinstance(geom, Polygon):
            msp.add_lwpolyline(list(geom.exterior.coords)[:-1], close=True, dxfattribs=layer)
            label_at = geom.representative_point().coords[0]
        else:
            msp.add_lwpolyline(list(geom.coords), dxfattribs=layer)
            label_at = (geom.centroid.x, geom.centroid.y - 0.5)
        if ident:
            msp.add_text(ident, dxfattribs=layer).set_placement(label_at)
    doc.saveas(path)
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PlanLayers]:
    tmp = tmp_path_factory.mktemp("plans")
    return {
        "dxf": load_plan(write_dxf(tmp / "plan.dxf")),
        "geojson": load_plan(write_geojson(tmp / "plan.geojson")),
        "wkt": load_plan(write_wkt(tmp / "plan.wkt")),
    }


@pytest.mark.verification
@pytest.mark.parametrize("fmt", ["geojson", "wkt"])
def test_same_plan_in_every_format_gives_the_same_walkable_area(
    reference: dict[str, PlanLayers], fmt: str
) -> None:
    """DXF, GeoJSON and WKT of one plan agree to 1e-9 m^2 and match the hand computation.

    Hand computation (see tests/geometry/test_dxf_io.py):
    9.8 x 7.8 + 1.2 x 0.1 - 0.2 x 6.8 = 75.20 m^2, minus the column, here the inscribed 64-gon of
    r = 0.25 m: 32 r^2 sin(2 pi / 64) = 0.196034 m^2.
    """
    column_m2 = 32 * COLUMN_RADIUS_M**2 * math.sin(2 * math.pi / 64)
    assert reference["dxf"].walkable_area_m2 == pytest.approx(75.20 - column_m2, abs=1e-9)
    assert reference[fmt].walkable_area_m2 == pytest.approx(
        reference["dxf"].walkable_area_m2, abs=1e-9
    )
    assert [n for n, _ in reference[fmt].rooms] == ["Hall", "Store"]
    assert [n for n, _ in reference[fmt].exits] == ["E1"]
    assert [n for n, _ in reference[fmt].doors] == ["door-1"]
    np.testing.assert_allclose(reference[fmt].exits[0][1], reference["dxf"].exits[0][1])


@pytest.mark.verification
@pytest.mark.parametrize("name", ["two_rooms.geojson", "two_rooms.wkt"])
def test_shipped_sample_plans_match_the_hand_computation(name: str) -> None:
    """Walkable = 9.8 x 7.8 + 1.2 x 0.1 - 0.2 x 6.8 - 0.4 x 0.4 = 75.04 m^2, exact.

    76.44 (clear interior) + 0.12 (exit gap strip) - 1.36 (interior wall) - 0.16 (square column).
    """
    plan = load_plan(DATA / name)
    assert plan.walkable_area_m2 == pytest.approx(75.04, abs=1e-9)
    assert [n for n, _ in plan.doors] == ["D1"]
    assert [n for n, _ in plan.exits] == ["E1"]
    assert dict(plan.rooms)["Hall"].area == pytest.approx(48.0)
    level, openings, rooms = plan.to_level(level_id="ground", elevation_m=0.0)
    assert [o.kind for o in openings] == ["door", "exit"]
    assert [r.name for r in rooms] == ["Hall", "Store"]
    assert level.walkable_area_m2 == pytest.approx(75.04, abs=1e-9)


def test_millimetre_geojson_and_wkt_with_units_mm(
    tmp_path: Path, reference: dict[str, PlanLayers]
) -> None:
    gj = load_geojson_plan(write_geojson(tmp_path / "mm.geojson", scale=1000.0), units="mm")
    wkt = load_wkt_plan(write_wkt(tmp_path / "mm.wkt", scale=1000.0), units="mm")
    for plan in (gj, wkt):
        assert plan.walkable_area_m2 == pytest.approx(reference["dxf"].walkable_area_m2, rel=1e-9)


def test_rotation_and_offset_move_a_geojson_plan(tmp_path: Path) -> None:
    """-90 deg (clockwise) then +(0, 10): (x, y) -> (y, 10 - x); exit (4..5.2, 0) -> (0, 6..4.8)."""
    plan = load_geojson_plan(DATA / "two_rooms.geojson", rotation_deg=-90.0, offset_m=(0.0, 10.0))
    np.testing.assert_allclose(plan.exits[0][1], [[0.0, 6.0], [0.0, 4.8]], atol=1e-9)
    assert plan.walkable_area_m2 == pytest.approx(75.04, abs=1e-9)
    plan.to_level(level_id="L0", elevation_m=0.0)


def test_json_suffix_is_read_as_geojson(tmp_path: Path) -> None:
    copy = shutil.copy(DATA / "two_rooms.geojson", tmp_path / "two_rooms.json")
    assert load_plan(copy).walkable_area_m2 == pytest.approx(75.04, abs=1e-9)


def test_wall_polygons_are_solid_and_kinds_are_case_insensitive(tmp_path: Path) -> None:
    """A 1 x 1 m solid wall block inside the floor removes exactly 1 m^2."""
    path = write_wkt(tmp_path / "block.wkt", [*PLAN, ("WALL", None, box(8, 5, 9, 6))])
    assert load_wkt_plan(path).walkable_area_m2 == pytest.approx(
        75.20 - 32 * 0.0625 * math.sin(math.pi / 32) - 1.0
    )


# --- bad input: each class names what is wrong and what is allowed -------------------------------


def test_every_listed_plan_suffix_has_a_reader() -> None:
    """Site validation accepts geometry.file_formats.PLAN_SUFFIXES; load_plan must read them all."""
    assert sorted(PLAN_READERS) == sorted(PLAN_SUFFIXES)


def test_unknown_suffix_lists_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(
        FloorPlanError,
        match=r"has suffix '\.shp'; choose one of \['\.dxf', '\.geojson', '\.json', '\.wkt'\]",
    ):
        load_plan(tmp_path / "plan.shp")


@pytest.mark.parametrize("loader", [load_geojson_plan, load_wkt_plan])
def test_missing_file_is_named(tmp_path: Path, loader: Any) -> None:
    with pytest.raises(FloorPlanError, match=r"plan file '.*nowhere' does not exist"):
        loader(tmp_path / "nowhere")


def test_geojson_unknown_kind_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "k.geojson", [*PLAN, ("window", None, LineString([(0, 1), (0, 2)]))]
    )
    ok = re_list(PLAN_KINDS)
    with pytest.raises(
        FloorPlanError,
        match=rf"k\.geojson feature 9: properties\.kind = 'window' is unknown; choose one of {ok}",
    ):
        load_geojson_plan(path)


def test_wrong_geometry_type_for_kind_is_named(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "g.geojson", [("floor", None, LineString([(0, 0), (1, 0)]))])
    with pytest.raises(
        FloorPlanError,
        match=r"feature 0: floor geometry is LineString; a floor must be a Polygon or MultiPolygon",
    ):
        load_geojson_plan(path)


@pytest.mark.parametrize("kind", ["door", "exit"])
def test_opening_that_is_not_a_segment_is_refused(tmp_path: Path, kind: str) -> None:
    path = write_geojson(
        tmp_path / "o.geojson", [*PLAN, (kind, "X", LineString([(1, 1), (2, 1), (2, 2)]))]
    )
    with pytest.raises(
        FloorPlanError,
        match=rf"{kind} at o\.geojson feature 9 has 3 distinct vertices: a {kind} must be a",
    ):
        load_geojson_plan(path)


#: Plan texts that do not read: (file name, text, the error's message). Each message names the
#: file and where in it (feature index or line number), what is wrong and what is allowed.
MALFORMED_PLAN_TEXTS = {
    "geojson_not_a_feature_collection": (
        "f.geojson",
        json.dumps({"type": "Feature", "properties": {"kind": "floor"}, "geometry": None}),
        r"top-level type = 'Feature'; a GeoJSON plan must be a FeatureCollection",
    ),
    "invalid_json_gives_line_and_column": (
        "bad.geojson",
        '{"type": "FeatureCollection",\n "features": [,]}',
        r"bad\.geojson: not valid JSON at line 2, column",
    ),
    "geojson_feature_without_properties": (
        "p.geojson",
        json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}
        ),
        r"feature 0: is not a GeoJSON Feature with a 'properties' object",
    ),
    "wkt_line_without_separator_gives_the_line_number": (
        "s.wkt",
        "# plan\nfloor POLYGON ((0 0, 1 0, 1 1, 0 0))\n",
        r"s\.wkt line 2: 'floor POLYGON .*' has no ';'; each line must read 'kind\[:id\]",
    ),
    "wkt_unknown_kind_gives_the_line_number_and_allowed_kinds": (
        "u.wkt",
        "floor; POLYGON ((0 0, 9 0, 9 9, 0 0))\n\nlift:L1; POLYGON ((1 1, 2 1, 2 2, 1 1))\n",
        rf"u\.wkt line 3: kind = 'lift' is unknown; choose one of {re_list(PLAN_KINDS)}",
    ),
    "malformed_wkt_gives_the_line_number": (
        "m.wkt",
        "floor; POLYGON ((0 0, 9 0, 9 9, 0 0))\nexit:E1; LINESTRING (0 0, 1)\n",
        r"m\.wkt line 2: WKT 'LINESTRING \(0 0, 1\)' does not parse",
    ),
}


@pytest.mark.parametrize(
    ("name", "text", "message"), MALFORMED_PLAN_TEXTS.values(), ids=MALFORMED_PLAN_TEXTS.keys()
)
def test_malformed_plan_text_is_refused_with_its_place(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    loader = load_wkt_plan if name.endswith(".wkt") else load_geojson_plan
    with pytest.raises(FloorPlanError, match=message):
        loader(path)


def test_plan_with_no_floor_or_rooms_is_refused(tmp_path: Path) -> None:
    path = write_wkt(tmp_path / "walls_only.wkt", [item for item in PLAN if item[0] == "wall"])
    with pytest.raises(FloorPlanError, match=r"walls_only\.wkt: no floor outline and no rooms"):
        load_wkt_plan(path)


def test_exit_off_the_walkable_boundary_is_refused_by_to_level(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "e.geojson", [*PLAN, ("exit", "E2", LineString([(2, 2), (3, 2)]))]
    )
    plan = load_geojson_plan(path)
    with pytest.raises(
        FloorPlanError, match=r"exit 'E2' on level 'L0' .* is 1\.90 m from the walkable boundary"
    ):
        plan.to_level(level_id="L0", elevation_m=0.0)


def test_plan_with_no_walkable_area_is_refused(tmp_path: Path) -> None:
    path = write_wkt(tmp_path / "full.wkt", [*PLAN, ("obstacle", None, box(-1, -1, 11, 9))])
    with pytest.raises(FloorPlanError, match=r"walkable area is empty"):
        load_wkt_plan(path)


def test_unknown_units_are_named(tmp_path: Path) -> None:
    with pytest.raises(
        GeometryError,
        match=r"units = 'px' is unknown; choose one of \['cm', 'ft', 'in', 'm', 'mm'\]",
    ):
        load_wkt_plan(DATA / "two_rooms.wkt", units="px")


def test_repeated_room_names_get_unique_ids_in_to_level(tmp_path: Path) -> None:
    rooms = [("room", "Office", box(0, 0, 5, 8)), ("room", "Office", box(5, 0, 10, 8))]
    plan = load_wkt_plan(write_wkt(tmp_path / "offices.wkt", rooms))
    _, _, built = plan.to_level(level_id="L2", elevation_m=7.0)
    assert [(r.id, r.name) for r in built] == [("Office", "Office"), ("Office-2", "Office")]


def test_plan_layers_built_directly_check_their_openings() -> None:
    with pytest.raises(FloorPlanError, match=r"door at doors\[0\] 'D1' has 1 distinct vertices"):
        PlanLayers(floor=box(0, 0, 4, 4), doors=(("D1", [[1.0, 1.0], [1.0, 1.0]]),))
    with pytest.raises(FloorPlanError, match=r"door/exit ids \['A'\] are used more than once"):
        PlanLayers(
            floor=box(0, 0, 4, 4),
            doors=(("A", [[1.0, 0.0], [2.0, 0.0]]),),
            exits=(("A", [[0.0, 1.0], [0.0, 2.0]]),),
        )


@pytest.mark.parametrize("name", ["two_rooms.geojson", "two_rooms.wkt"])
def test_sample_plan_cut_at_any_offset_gives_only_floor_plan_errors(
    tmp_path: Path, name: str
) -> None:
    """Property over cut points: a truncated plan loads or raises a GeometryError, never another
    exception (a user sees a message, not a traceback)."""
    text = (DATA / name).read_text(encoding="utf-8")
    cut = tmp_path / f"cut{Path(name).suffix}"
    messages: list[str] = []
    for end in range(0, len(text), max(1, len(text) // 60)):
        cut.write_text(text[:end], encoding="utf-8")
        try:
            load_plan(cut)
        except GeometryError as exc:
            messages.append(str(exc))
    assert messages
    assert all("cut" in message for message in messages)


FLOOR_WITH = '{{"type": "FeatureCollection", "features": [{{"type": "Feature", "properties": ' + (
    '{{"kind": "floor"}}, "geometry": {{"type": "Polygon", "coordinates": [[{ring}]]}}}}]}}'
)


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".geojson", FLOOR_WITH.format(ring="[0, 0], [1e400, 0], [1, 1], [0, 0]")),
        (".geojson", FLOOR_WITH.format(ring="[0, 0], [NaN, 0], [1, 1], [0, 0]")),
        (".wkt", "floor; POLYGON ((0 0, inf 0, 1 1, 0 0))"),
        (".wkt", "floor; POLYGON ((0 0, nan 0, 1 1, 0 0))"),
    ],
)
def test_non_finite_plan_coordinates_are_named(tmp_path: Path, suffix: str, text: str) -> None:
    """Regression: an infinite or NaN coordinate escaped as a GEOSException from shapely."""
    path = tmp_path / f"plan{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        FloorPlanError, match=r"plan\.(geojson|wkt).*floor has a coordinate.*finite"
    ):
        load_plan(path)
