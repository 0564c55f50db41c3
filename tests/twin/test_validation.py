"""Unit tests of twin.validation: every check names the element, its id and its line in the file.

One test per check: cross-references, files, placements and geometry (exits, doors, stairs, rooms,
reachability).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from geometry.mesh_io import save_mesh
from geometry.primitives import box_mesh
from twin import SiteFileError, load_site, validate_site
from twin.errors import SiteIssue
from twin.store import load_site_file

EditSite = Callable[..., tuple[Path, str]]
LineOf = Callable[..., int]

STAIRS_AND_UPPER_LEVEL = (
    "          offset_m: [20.0, 10.0]\n    rooms:",
    "          offset_m: [20.0, 10.0]\n"
    + "      - id: L1\n"
    + "        elevation_m: 3.0\n"
    + "        plan:\n"
    + "          file: office_L0.geojson\n"
    + "          offset_m: [20.0, 10.0]\n"
    + "    stairs:\n"
    + "      - id: S1\n"
    + "        lower_level: {lower}\n"
    + "        upper_level: {upper}\n"
    + "        bottom_m: [[21.0, 11.0], [22.0, 11.0]]\n"
    + "        top_m: [[21.0, 15.0], [22.0, 15.0]]\n"
    + "        width_m: 1.0\n"
    + "        length_m: {length}\n"
    + "    rooms:",
)


def _stairs(lower: str, upper: str, length: float) -> tuple[str, str]:
    old, new = STAIRS_AND_UPPER_LEVEL
    return old, new.format(lower=lower, upper=upper, length=length)


def _issues(path: Path, *, check_geometry: bool = True) -> list[SiteIssue]:
    with pytest.raises(SiteFileError) as info:
        load_site(path, check_geometry=check_geometry)
    return info.value.issues


def _one(issues: list[SiteIssue], needle: str) -> SiteIssue:
    hits = [i for i in issues if needle in i.message]
    assert len(hits) == 1, f"expected one issue with {needle!r}, got {[str(i) for i in issues]}"
    return hits[0]


def test_small_site_has_no_issues(small_site_path: Path) -> None:
    spec, positions = load_site_file(small_site_path)
    assert validate_site(spec, positions, base_dir=small_site_path.parent) == []


# ------------------------------------------------------------------------------------------- ids


def test_duplicate_room_id(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("      - id: R2", "      - id: R1"))
    issue = _one(_issues(path), "is already used")
    assert issue.element_id == "R1"
    assert issue.path == "buildings[0].rooms[1].id"
    assert issue.line == line_of(text, "- id: R1", 2)
    assert f"(line {line_of(text, '- id: R1')})" in issue.message


def test_equipment_and_structure_share_one_id_namespace(
    edited_site: EditSite, line_of: LineOf
) -> None:
    path, text = edited_site(("  - id: W1", "  - id: T1"))
    issue = _one(_issues(path), "is already used")
    assert issue.path == "structures[0].id"
    assert issue.line == line_of(text, "- id: T1", 2)
    assert "building, equipment and structure ids must be unique" in issue.message


def test_exit_and_gate_ids_are_unique_site_wide(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("    - id: G1", "    - id: E1"))
    issue = _one(_issues(path), "is already used")
    assert issue.path == "buildings[0].exits[0].id"  # the later one in the file
    assert issue.line == line_of(text, "- id: E1", 2)
    assert f"fence.gates[0] (line {line_of(text, '- id: E1')})" in issue.message


# ------------------------------------------------------------------------------------ references


def test_room_on_an_unknown_level(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        (
            "        level: L0\n        name: East office",
            "        level: L9\n        name: East office",
        )
    )
    issue = _one(_issues(path), "level = 'L9'")
    assert issue.element_id == "R2"
    assert issue.line == line_of(text, "level: L9")
    assert "choose one of ['L0']" in issue.message


def test_door_on_an_unknown_level(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        ("      - id: D1\n        level: L0", "      - id: D1\n        level: Lx")
    )
    issue = _one(_issues(path), "level = 'Lx'")
    assert (issue.element_id, issue.line) == ("D1", line_of(text, "level: Lx"))


def test_stair_lower_level_must_be_below_upper(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(_stairs("L1", "L0", 4.0))
    issue = _one(_issues(path), "must be below")
    assert issue.element_id == "S1"
    assert issue.line == line_of(text, "- id: S1")
    assert "'L1' (elevation 3 m)" in issue.message


def test_stair_rise_must_fit_its_length(edited_site: EditSite, line_of: LineOf) -> None:
    """Rise 3 m over 1 m: pitch 71.6 deg; 50 deg at most needs length >= 3 / tan(50 deg) = 2.52."""
    path, text = edited_site(_stairs("L0", "L1", 1.0))
    issue = _one(_issues(path), "pitch")
    assert issue.line == line_of(text, "length_m: 1.0")
    assert "71.6 deg" in issue.message
    assert ">= 2.52 m" in issue.message


def test_stair_cannot_be_shorter_than_the_gap_between_its_ends(
    edited_site: EditSite, line_of: LineOf
) -> None:
    """bottom_m at y = 11 and top_m at y = 15 are 4 m apart in plan: a 3.5 m stair cannot span them
    (its pitch, atan(3 / 3.5) = 40.6 deg, is allowed)."""
    path, text = edited_site(_stairs("L0", "L1", 3.5))
    issue = _one(_issues(path), "shorter than")
    assert (issue.element_id, issue.line) == ("S1", line_of(text, "length_m: 3.5"))
    assert "4.00 m between bottom_m and top_m" in issue.message
    assert not [i for i in _issues(path) if "pitch" in i.message]


def test_stair_to_an_unknown_level(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(_stairs("L0", "L7", 4.0))
    issue = _one(_issues(path), "upper_level = 'L7'")
    assert issue.line == line_of(text, "upper_level: L7")


def test_occupancy_of_an_unknown_shift(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        ("        occupancy: {day: 2}", "        occupancy: {day: 2, late: 4}")
    )
    issue = _one(_issues(path), "'late'")
    assert issue.element_id == "R2"
    assert issue.line == line_of(text, "late: 4")
    assert "choose one of ['day', 'night']" in issue.message


def test_shelter_needs_a_known_shelter_building(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        ("    capacity: 50", "    capacity: 50\n    kind: shelter\n    building: bunker")
    )
    issue = _one(_issues(path), "building = 'bunker' is unknown")
    assert (issue.element_id, issue.line) == ("M1", line_of(text, "building: bunker"))
    path, text = edited_site(
        ("    capacity: 50", "    capacity: 50\n    kind: shelter\n    building: office")
    )
    assert "is_shelter" in _one(_issues(path), "office").message


def test_alarm_levels_fit_the_detector_kind(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        ("    kind: gas\n    gas: methane", "    kind: flame\n    gas: methane")
    )
    issues = _issues(path)
    assert len(issues) == 2
    assert issues[0].element_id == "GD1"
    assert issues[0].line == line_of(text, "fraction_of_lfl: 0.2")
    assert "use one of ['radiation_w_m2']" in issues[0].message


def test_non_finite_numbers_are_refused(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("position_m: [45.0, 25.0, 0.0]", "position_m: [45.0, 25.0, .inf]"))
    issue = _one(_issues(path), "must be a finite number")
    assert issue.path == "equipment[0].position_m[2]"
    assert issue.line == line_of(text, ".inf")
    # the element id is named, and the path is printed once (the message names the field only)
    assert issue.element_id == "T1"
    assert issue.message == "position_m[2] = inf: must be a finite number"
    assert (
        str(issue).count("position_m[2]") == 2
    )  # "equipment[0].position_m[2] 'T1': position_m[2]"


def test_polygon_with_too_few_points_names_the_form_without_brackets(
    edited_site: EditSite, line_of: LineOf
) -> None:
    """The message avoids ``[x, y]``, which a terminal with markup (rich) swallows."""
    path, text = edited_site(
        ("[[36.0, 19.0], [56.0, 19.0], [56.0, 34.0], [36.0, 34.0]]", "[[36.0, 19.0], [56.0, 19.0]]")
    )
    issue = _one(_issues(path), "at least 3 points")
    assert (issue.element_id, issue.line) == ("Z1", line_of(text, "[[36.0, 19.0], [56.0, 19.0]]"))
    assert "polygon_m needs at least 3 points (x, y) in m, got 2" in issue.message


# ----------------------------------------------------------------------------------------- files


def test_missing_plan_file(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("file: office_L0.geojson", "file: missing.geojson"))
    issue = _one(_issues(path), "does not exist")
    assert issue.path == "buildings[0].levels[0].plan.file"
    assert issue.line == line_of(text, "missing.geojson")
    assert "missing.geojson" in issue.message


def test_plan_file_with_an_unsupported_suffix(edited_site: EditSite) -> None:
    path, _ = edited_site(("file: office_L0.geojson", "file: office_L0.txt"))
    assert "'.dxf'" in _one(_issues(path), "has suffix '.txt'").message


# ------------------------------------------------------------------------------ fence and places


def test_fence_polygon_must_be_valid(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        (
            "polygon_m: [[0.0, 0.0], [60.0, 0.0], [60.0, 40.0], [0.0, 40.0]]",
            "polygon_m: [[0.0, 0.0], [60.0, 0.0], [0.0, 40.0], [60.0, 40.0]]",
        )
    )
    issue = _one(_issues(path), "not a valid polygon")
    assert issue.path == "fence.polygon_m"
    assert issue.line == line_of(text, "[[0.0, 0.0], [60.0, 0.0], [0.0, 40.0]")
    assert "Self-intersection" in issue.message


def test_gate_must_lie_on_the_fence(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        ("segment_m: [[28.0, 0.0], [32.0, 0.0]]", "segment_m: [[28.0, 5.0], [32.0, 5.0]]")
    )
    issue = _one(_issues(path), "from the fence line")
    assert (issue.element_id, issue.line) == ("G1", line_of(text, "[[28.0, 5.0]"))
    assert "5.00 m" in issue.message


def test_detector_outside_the_fence_or_below_ground(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("position_m: [40.0, 20.0, 1.5]", "position_m: [70.0, 20.0, 1.5]"))
    issue = _one(_issues(path), "outside the fence")
    assert (issue.element_id, issue.line) == ("GD1", line_of(text, "[70.0, 20.0, 1.5]"))
    assert "(70.00, 20.00, 1.50) m" in issue.message
    path, text = edited_site(("position_m: [40.0, 20.0, 1.5]", "position_m: [40.0, 20.0, -1.0]"))
    issue = _one(_issues(path), "must be >= 0")
    assert (issue.element_id, issue.line) == ("GD1", line_of(text, "[40.0, 20.0, -1.0]"))


def test_equipment_and_valves_inside_the_fence(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("position_m: [45.0, 25.0, 0.0]", "position_m: [95.0, 25.0, 0.0]"))
    issue = _one(_issues(path), "outside the fence")
    assert (issue.element_id, issue.line) == ("T1", line_of(text, "[95.0, 25.0, 0.0]"))


def test_zone_reaching_outside_the_fence(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("[56.0, 19.0], [56.0, 34.0]", "[66.0, 19.0], [66.0, 34.0]"))
    issue = _one(_issues(path), "reaches outside the fence")
    assert (issue.element_id, issue.line) == ("Z1", line_of(text, "[66.0, 19.0]"))


# -------------------------------------------------------------------------------------- geometry


def test_exit_off_the_walkable_boundary(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        ("segment_m: [[24.0, 10.0], [25.2, 10.0]]", "segment_m: [[24.0, 12.0], [25.2, 12.0]]")
    )
    issue = _one(_issues(path), "walkable boundary")
    assert (issue.element_id, issue.line) == ("E1", line_of(text, "[[24.0, 12.0]"))


def test_occupied_room_off_the_walkable_area(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        (
            "[[26.0, 10.0], [30.0, 10.0], [30.0, 18.0], [26.0, 18.0]]",
            "[[36.0, 10.0], [40.0, 10.0], [40.0, 18.0], [36.0, 18.0]]",
        )
    )
    issue = _one(_issues(path), "does not overlap")
    assert (issue.element_id, issue.line) == ("R2", line_of(text, "[[36.0, 10.0]"))


def test_room_walled_off_from_every_exit(edited_site: EditSite, line_of: LineOf) -> None:
    """Without door D1 the inner wall shuts the east room R2 off from exit E1 (west room)."""
    path, text = edited_site(
        (
            "    doors:\n      - id: D1\n        level: L0\n        segment_m: [[26.0, 13.0], "
            + "[26.0, 14.0]]\n",
            "",
        )
    )
    issue = _one(_issues(path), "cannot reach any exit")
    assert (issue.element_id, issue.line) == ("R2", line_of(text, "- id: R2"))
    assert "['E1']" in issue.message


def _split_hall_site(
    tmp_path: Path,
    *,
    wall_gap: bool,
    door: list[list[float]] | None = None,
    exit_m: list[list[float]] | None = None,
    mesh: dict[str, Any] | None = None,
    levels: list[dict[str, Any]] | None = None,
    scale: float = 1.0,
) -> Path:
    """A 10 x 6 m hall at (10, 10) split by a full-height wall at x = 15, a door D1 drawn across it,
    the exit on the west side and four people on the east side; ``wall_gap`` leaves the doorway
    open (y 12..13) in the mesh. The south wall (y 10..10.2) has the exit's gap at x 12..13.
    ``door``, ``exit_m``, ``mesh`` (the building's mesh entry), ``levels`` replace those of the
    site file; ``scale`` multiplies the mesh coordinates as written to the file."""
    wall_y = [(10.2, 12.0), (13.0, 15.8)] if wall_gap else [(10.2, 15.8)]
    boxes = [
        ((10.0, 20.0, 10.0, 16.0), (-0.2, 0.0)),  # slab
        ((10.0, 12.0, 10.0, 10.2), (0.0, 3.0)),  # south wall, west of the exit
        ((13.0, 20.0, 10.0, 10.2), (0.0, 3.0)),  # south wall, east of the exit
        ((10.0, 20.0, 15.8, 16.0), (0.0, 3.0)),  # north
        ((10.0, 10.2, 10.2, 15.8), (0.0, 3.0)),  # west
        ((19.8, 20.0, 10.2, 15.8), (0.0, 3.0)),  # east
        *(((14.9, 15.1, y0, y1), (0.0, 3.0)) for y0, y1 in wall_y),  # the splitting wall
    ]
    parts = {
        f"part{k}": box_mesh(
            base_centre_m=((x0 + x1) / 2, (y0 + y1) / 2, z0), size_m=(x1 - x0, y1 - y0, z1 - z0)
        )
        for k, ((x0, x1, y0, y1), (z0, z1)) in enumerate(boxes)
    }
    for part in parts.values():
        part.apply_scale(scale)  # type: ignore[no-untyped-call]
    save_mesh(parts, tmp_path / "hall.glb")
    site = {
        "name": "Split hall",
        "fence": {
            "polygon_m": [[0.0, 0.0], [40.0, 0.0], [40.0, 30.0], [0.0, 30.0]],
            "gates": [{"id": "G1", "segment_m": [[30.0, 0.0], [34.0, 0.0]]}],
        },
        "buildings": [
            {
                "id": "hall",
                "mesh": mesh or {"file": "hall.glb"},
                "levels": levels or [{"id": "L0", "elevation_m": 0.0}],
                "rooms": [
                    {
                        "id": "east",
                        "level": "L0",
                        "polygon_m": [[15.1, 10.2], [19.8, 10.2], [19.8, 15.8], [15.1, 15.8]],
                        "occupancy": {"day": 4},
                    }
                ],
                "doors": [
                    {"id": "D1", "level": "L0", "segment_m": door or [[15.0, 12.0], [15.0, 13.0]]}
                ],
                "exits": [
                    {"id": "E1", "level": "L0", "segment_m": exit_m or [[12.0, 10.0], [13.0, 10.0]]}
                ],
            }
        ],
    }
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(site, sort_keys=False))
    return path


def test_door_across_a_wall_without_a_gap_is_no_way_through(tmp_path: Path) -> None:
    """A door drawn over a solid wall does not connect the rooms.

    The navigation grid follows the walkable area, so the east room must not count as reaching the
    exit; with the doorway open in the mesh the same site passes.
    """
    issues = _issues(_split_hall_site(tmp_path, wall_gap=False))
    door = _one(issues, "does not join them")
    assert (door.element_id, door.path) == ("D1", "buildings[0].doors[0].segment_m")
    assert "touches 2 separate walkable areas" in door.message
    room = _one(issues, "cannot reach any exit")
    assert room.element_id == "east"
    assert load_site(_split_hall_site(tmp_path, wall_gap=True)).name == "Split hall"


def test_exit_walled_in_outside(edited_site: EditSite, line_of: LineOf) -> None:
    """A wall from the facade around the front of E1 and back: the exit opens onto a closed pen."""
    pen = (
        "  - id: W2\n    kind: wall\n    shape:\n      type: wall\n"
        + "      path_m: [[23.0, 10.05], [23.0, 7.0], [26.2, 7.0], [26.2, 10.05]]\n      "
        + "height_m: 2.0\n"
        + "detectors:"
    )
    path, text = edited_site(("detectors:", pen))
    issue = _one(_issues(path), "cut off from every open gate and muster point")
    assert (issue.element_id, issue.line) == ("E1", line_of(text, "- id: E1"))


def test_muster_point_inside_an_obstacle(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("position_m: [5.0, 5.0]", "position_m: [45.0, 25.0]"))
    issue = _one(_issues(path), "from outdoor walkable ground")
    assert (issue.element_id, issue.line) == ("M1", line_of(text, "position_m: [45.0, 25.0]"))


def test_geometry_checks_can_be_skipped(edited_site: EditSite) -> None:
    path, _ = edited_site(
        ("segment_m: [[24.0, 10.0], [25.2, 10.0]]", "segment_m: [[24.0, 12.0], [25.2, 12.0]]")
    )
    site = load_site(path, check_geometry=False)
    assert site.buildings[0].exits[0].id == "E1"


def test_all_problems_are_reported_together_in_file_order(edited_site: EditSite) -> None:
    path, _ = edited_site(
        (
            "        level: L0\n        name: East office",
            "        level: L9\n        name: East office",
        ),
        ("position_m: [40.0, 20.0, 1.5]", "position_m: [70.0, 20.0, 1.5]"),
        ("    capacity: 50", "    capacity: 50\n    building: office"),
    )
    issues = _issues(path)
    assert [i.element_id for i in issues] == ["R2", "GD1", "M1"]
    assert [i.line for i in issues] == sorted(i.line for i in issues)  # type: ignore[type-var]


def test_unreadable_plan_is_reported_once_at_its_level(
    edited_site: EditSite, line_of: LineOf
) -> None:
    path, text = edited_site(("file: office_L0.geojson", "file: broken.geojson"))
    (path.parent / "broken.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    (issue,) = _issues(path)
    assert issue.path == "buildings[0].levels[0].plan"
    assert issue.line == line_of(text, "plan:")
    assert "level 'L0' cannot be built" in issue.message


# ------------------------------------------------------------------------------ equipment meshes

TANK_SHAPE = "      diameter_m: 8.0\n      height_m: 12.0\n"


def _tank_mesh_site(edited_site: EditSite, small_site_dir: Path, up_axis: str) -> tuple[Path, str]:
    """The small site's tank T1 (8 m x 12 m cylinder at (45, 25)) given by a Y-up GLB mesh."""
    from geometry.primitives import cylinder_mesh

    tank = cylinder_mesh(base_centre_m=(45.0, 25.0, 0.0), diameter_m=8.0, height_m=12.0)
    save_mesh({"tank": tank}, small_site_dir / "tank.glb", up_axis="y")
    return edited_site(
        (
            TANK_SHAPE,
            TANK_SHAPE + f"    mesh:\n      file: tank.glb\n      up_axis: {up_axis}\n",
        )
    )


def test_equipment_mesh_matching_its_shape_passes(
    edited_site: EditSite, small_site_dir: Path
) -> None:
    path, _ = _tank_mesh_site(edited_site, small_site_dir, "y")
    site = load_site(path)
    assert site.view().item_solid("T1").bounds[1][2] == pytest.approx(12.0)


def test_equipment_mesh_with_the_wrong_up_axis_is_reported(
    edited_site: EditSite, small_site_dir: Path, line_of: LineOf
) -> None:
    """A Y-up file read as Z-up lies on its side: 8 m tall instead of 12 m, and below ground."""
    path, text = _tank_mesh_site(edited_site, small_site_dir, "z")
    issue = _one(_issues(path), "check the mesh's up_axis")
    assert issue.element_id == "T1"
    assert issue.path == "equipment[0].mesh"
    assert issue.line == line_of(text, "    mesh:")
    assert "12 m tall" in issue.message
    assert "'z'" in issue.message


def test_open_equipment_mesh_is_reported(edited_site: EditSite, small_site_dir: Path) -> None:
    from geometry.primitives import cylinder_mesh

    tank = cylinder_mesh(base_centre_m=(45.0, 25.0, 0.0), diameter_m=8.0, height_m=12.0)
    tank.update_faces(tank.face_normals[:, 2] < 0.5)  # drop the roof: an open can
    save_mesh({"tank": tank}, small_site_dir / "tank.glb")
    path, _ = edited_site((TANK_SHAPE, TANK_SHAPE + "    mesh:\n      file: tank.glb\n"))
    issue = _one(_issues(path), "is not closed")
    assert issue.element_id == "T1"
    assert "tank.glb" in issue.message


# ----------------------------------------------------------------------- crossing exits and doors


def _site_line(path: Path, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, ln in enumerate(path.read_text().splitlines(), start=1) if needle in ln]
    return hits[occurrence - 1]


def test_exit_drawn_on_a_solid_wall_is_refused(tmp_path: Path) -> None:
    """Regression: an exit 0.2 m from the walkable boundary on the solid part of the 0.2 m south
    wall (x 16..17) passed the boundary check; the 1 m line across its middle runs 0.2 m through
    the wall."""
    path = _split_hall_site(tmp_path, wall_gap=True, exit_m=[[16.0, 10.0], [17.0, 10.0]])
    issue = _one(_issues(path), "crosses a wall/obstacle")
    assert (issue.element_id, issue.path) == ("E1", "buildings[0].exits[0].segment_m")
    assert issue.line == _site_line(path, "segment_m:", 3)  # the gate's, door's, exit's
    assert "exit 'E1' at [[16.0, 10.0], [17.0, 10.0]] m" in issue.message
    assert "runs 0.20 m through the walls" in issue.message
    assert "0 m is allowed); exits must lie in an opening of the wall" in issue.message


def test_exit_half_over_its_gap_is_refused_at_its_three_quarter_point(tmp_path: Path) -> None:
    """The gap is x 12..13; an exit at x 12.4..13.4 is clear at 1/4 (12.65) and 1/2 (12.9) but
    its 3/4 point (13.15) is on the wall."""
    path = _split_hall_site(tmp_path, wall_gap=True, exit_m=[[12.4, 10.0], [13.4, 10.0]])
    issue = _one(_issues(path), "crosses a wall/obstacle")
    assert issue.element_id == "E1"
    assert "at (13.15, 10.00) m" in issue.message


def test_door_moved_onto_a_solid_wall_is_refused(tmp_path: Path) -> None:
    """Regression: the rooms are joined by the open doorway (y 12..13), so a door drawn on the
    solid wall at y 14..15 touched one walkable region and passed."""
    path = _split_hall_site(tmp_path, wall_gap=True, door=[[15.0, 14.0], [15.0, 15.0]])
    (issue,) = _issues(path)
    assert (issue.element_id, issue.path) == ("D1", "buildings[0].doors[0].segment_m")
    assert issue.line == _site_line(path, "segment_m:", 2)  # after the gate's
    assert "door 'D1' at [[15.0, 14.0], [15.0, 15.0]] m crosses a wall/obstacle" in issue.message
    assert "doors must lie in an opening of the wall" in issue.message


def test_exit_and_door_in_their_openings_pass(tmp_path: Path) -> None:
    assert load_site(_split_hall_site(tmp_path, wall_gap=True)).name == "Split hall"


def test_exit_on_an_upper_storey_is_refused(edited_site: EditSite, line_of: LineOf) -> None:
    """Level L1 is 3 m above L0: an exit there opens 3 m above the ground."""
    path, text = edited_site(
        _stairs("L0", "L1", 4.0),
        ("      - id: E1\n        level: L0", "      - id: E1\n        level: L1"),
    )
    issue = _one(_issues(path), "above the ground level")
    assert (issue.element_id, issue.path) == ("E1", "buildings[0].exits[0].level")
    assert issue.line == line_of(text, "level: L1", 2)
    assert "level = 'L1' (elevation 3 m): the exit opens 3 m above the ground level 'L0'" in (
        issue.message
    )
    assert "at most 0.5 m is allowed: put exits on the ground level (['L0'])" in issue.message


# ------------------------------------------------------------------------------------ grid sizes


@pytest.mark.verification
def test_oversized_voxel_grid_is_refused_with_the_cell_size_that_fits(
    edited_site: EditSite, line_of: LineOf
) -> None:
    """Fence 60 x 40 m plus margin 50 m each side, up to 20 m: 160 x 140 x 20 m. At 0.15 m that
    is 1067 * 934 * 134 = 133,541,452 voxels > 50,000,000; (448000 / 5e7)^(1/3) = 0.2076 m, and
    at 0.208 m: 770 * 674 * 97 = 50,340,860 > 5e7, at 0.209 m: 766 * 670 * 96 = 49,268,480 fits."""
    path, text = edited_site(
        ("voxel_cell_m: 1.0", "voxel_cell_m: 0.15"), ("margin_m: 5.0", "margin_m: 50.0")
    )
    (issue,) = _issues(path, check_geometry=False)
    assert issue.path == "grids.voxel_cell_m"
    assert issue.line == line_of(text, "voxel_cell_m: 0.15")
    assert "voxel_cell_m = 0.15 m gives 133,541,452 voxels" in issue.message
    assert "margin_m = 50 m each side: 160 x 140 m, up to voxel_height_m = 20 m" in issue.message
    assert "at most 50,000,000 are allowed: use voxel_cell_m >= 0.209 m" in issue.message


@pytest.mark.verification
def test_oversized_navigation_grid_names_its_level(edited_site: EditSite, line_of: LineOf) -> None:
    """A 20 x 15 km fence is the outdoor level: at 0.5 m, (40000 + 2) * (30000 + 2) =
    1,200,140,004 cells; sqrt(3e8 / 5e7) = 2.449 m; with the spare cells, at 2.45 m
    8166 * 6125 = 50,016,750 is too many and at 2.46 m (3 significant digits, rounded up)
    8133 * 6100 = 49,611,300 fits."""
    path, text = edited_site(
        (
            "polygon_m: [[0.0, 0.0], [60.0, 0.0], [60.0, 40.0], [0.0, 40.0]]",
            "polygon_m: [[0.0, 0.0], [20000.0, 0.0], [20000.0, 15000.0], [0.0, 15000.0]]",
        ),
        ("voxel_cell_m: 1.0", "voxel_cell_m: 50.0"),
    )
    issue = _one(_issues(path, check_geometry=False), "navigation grid")
    assert issue.path == "grids.navigation_cell_m"
    assert issue.line == line_of(text, "navigation_cell_m: 0.5")
    assert (
        "navigation_cell_m = 0.5 m gives 1,200,140,004 cells for the navigation grid of level "
        + ("'outdoor' (20000 x 15000 m, one spare cell each side)")
        in issue.message
    )
    assert "at most 50,000,000 cells are allowed: use navigation_cell_m >= 2.46 m" in issue.message


# ----------------------------------------------------------------------------------------- units


def test_building_mesh_in_cm_declared_as_m_is_one_issue(tmp_path: Path) -> None:
    """Regression: a mesh written in cm (coordinates x100) and read as m lies at x 1000..2000 m,
    far outside the 40 x 30 m fence; this used to give a cascade of unrelated errors."""
    path = _split_hall_site(tmp_path, wall_gap=True, scale=100.0)
    (issue,) = _issues(path)
    assert (issue.element_id, issue.path) == ("hall", "buildings[0].mesh")
    assert issue.line == _site_line(path, "mesh:")
    assert "x 1000 to 2000 m, y 1000 to 1600 m (1000 x 600 m)" in issue.message
    assert "reaches outside the fence (bounds (0.00, 0.00, 40.00, 30.00) m)" in issue.message
    assert "check its units ('m'" in issue.message
    assert "offset_m" in issue.message


def test_building_mesh_in_m_declared_as_cm_names_its_extent(tmp_path: Path) -> None:
    """A metre file read as cm is a 0.1 x 0.06 m, 3 cm tall model: no floor at 3 m."""
    path = _split_hall_site(
        tmp_path,
        wall_gap=True,
        mesh={"file": "hall.glb", "units": "cm"},
        levels=[{"id": "L0", "elevation_m": 0.0}, {"id": "L1", "elevation_m": 3.0}],
    )
    issue = _one(_issues(path), "level 'L1' cannot be built")
    assert issue.element_id == "hall"
    assert "floor elevations found in the mesh" in issue.message
    assert "measures 0.1 x 0.06 m in plan" in issue.message
    assert "check its units" in issue.message


def test_unreadable_building_mesh_is_reported_once(tmp_path: Path) -> None:
    """Regression: a broken mesh was reported once per level (two here)."""
    path = _split_hall_site(
        tmp_path,
        wall_gap=True,
        levels=[{"id": "L0", "elevation_m": 0.0}, {"id": "L1", "elevation_m": 3.0}],
    )
    (tmp_path / "hall.glb").write_bytes(b"glTF not really")
    (issue,) = _issues(path)
    assert (issue.element_id, issue.path) == ("hall", "buildings[0].mesh")
    assert "hall.glb" in issue.message


# ------------------------------------------------------------------------------------ placements


def test_equipment_footprint_reaching_outside_the_fence(
    edited_site: EditSite, line_of: LineOf
) -> None:
    """T1 (8 m across) at x = 57 has its centre inside the 60 m fence but spans x 53..61."""
    path, text = edited_site(("position_m: [45.0, 25.0, 0.0]", "position_m: [57.0, 25.0, 0.0]"))
    issue = _one(_issues(path), "reaches outside the fence")
    assert (issue.element_id, issue.path) == ("T1", "equipment[0].position_m")
    assert issue.line == line_of(text, "[57.0, 25.0, 0.0]")
    assert "position_m = (57.00, 25.00, 0.00) m: the footprint of 'T1' (x 53 to 61 m" in (
        issue.message
    )
    assert "within 0.25 m" in issue.message


def test_equipment_across_a_building_outline(edited_site: EditSite, line_of: LineOf) -> None:
    """T1 (8 m across) at (33, 14) reaches 1 m deep into the office (x 20..30, y 10..18)."""
    path, text = edited_site(("position_m: [45.0, 25.0, 0.0]", "position_m: [33.0, 14.0, 0.0]"))
    issue = _one(_issues(path), "straddles the outline of building 'office'")
    assert (issue.element_id, issue.line) == ("T1", line_of(text, "[33.0, 14.0, 0.0]"))
    assert "more than 0.1 m deep" in issue.message


def test_detector_inside_a_tank(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("position_m: [40.0, 20.0, 1.5]", "position_m: [45.0, 25.0, 1.5]"))
    issue = _one(_issues(path), "is inside the solid of 'T1'")
    assert (issue.element_id, issue.path) == ("GD1", "detectors[0].position_m")
    assert issue.line == line_of(text, "[45.0, 25.0, 1.5]")
    assert "position_m = (45.00, 25.00, 1.50) m" in issue.message


def test_alarm_levels_must_increase(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("fraction_of_lfl: 0.6", "fraction_of_lfl: 0.1"))
    (issue,) = _issues(path, check_geometry=False)
    assert issue.element_id == "GD1"
    assert issue.path == "detectors[0].alarm_levels[1].fraction_of_lfl"
    assert issue.line == line_of(text, "fraction_of_lfl: 0.1")
    assert (
        "alarm level 'high': fraction_of_lfl = 0.1 must be greater than 0.2 of the level "
        + ("before it ('low')")
        in issue.message
    )


# ----------------------------------------------------------------------------------- rooms, widths

R2_POLYGON = "polygon_m: [[26.0, 10.0], [30.0, 10.0], [30.0, 18.0], [26.0, 18.0]]"


@pytest.mark.verification
def test_room_reaching_out_of_its_building(edited_site: EditSite, line_of: LineOf) -> None:
    """R2 widened to x 26..34 (64 m^2); the office's floor and walls span x 19.9..30.1, so
    (30.1 - 26) / 8 = 51 % of the room is inside, below the 90 % required."""
    path, text = edited_site(
        (R2_POLYGON, "polygon_m: [[26.0, 10.0], [34.0, 10.0], [34.0, 18.0], [26.0, 18.0]]")
    )
    (issue,) = _issues(path)
    assert (issue.element_id, issue.path) == ("R2", "buildings[0].rooms[1].polygon_m")
    assert issue.line == line_of(text, "[34.0, 10.0]")
    assert "has only 51 % of its area inside level 'L0' of building 'office'" in issue.message
    assert "at least 90 % must lie inside" in issue.message


@pytest.mark.verification
def test_rooms_of_one_level_must_not_overlap(edited_site: EditSite, line_of: LineOf) -> None:
    """R2 moved to start at x = 25 shares 1 x 8 = 8 m^2 with R1 (x 20..26): 20 % of R2's 40 m^2."""
    path, text = edited_site(
        (R2_POLYGON, "polygon_m: [[25.0, 10.0], [30.0, 10.0], [30.0, 18.0], [25.0, 18.0]]")
    )
    issue = _one(_issues(path, check_geometry=False), "overlaps room")
    assert (issue.element_id, issue.path) == ("R2", "buildings[0].rooms[1].polygon_m")
    assert issue.line == line_of(text, "[25.0, 10.0]")
    assert f"overlaps room 'R1' (line {line_of(text, '- id: R1')}) on level 'L0'" in issue.message
    assert "by 8.00 m^2 (20 % of the smaller room)" in issue.message
    assert "at most 1 % of the smaller room's area" in issue.message


def test_rooms_sharing_a_wall_line_pass(small_site_path: Path) -> None:
    """R1 (x 20..26) and R2 (x 26..30) touch along x = 26: no overlap."""
    assert load_site(small_site_path).building("office").rooms[1].id == "R2"


def test_room_more_crowded_than_people_can_move(edited_site: EditSite, line_of: LineOf) -> None:
    """200 people in R2 (4 x 8 m, 29.74 m^2 of walkable floor inside its walls) is 6.7 per m^2.

    The limit is where the SFPE hydraulic model stops: 1 / 0.266 = 3.76 persons/m^2.
    """
    path, text = edited_site(("occupancy: {day: 2}\n    doors", "occupancy: {day: 200}\n    doors"))
    (issue,) = _issues(path)
    assert (issue.element_id, issue.path) == ("R2", "buildings[0].rooms[1].occupancy.day")
    assert issue.line == line_of(text, "{day: 200}")
    assert "occupancy day = 200 people in room 'R2' is 6.7 persons/m^2" in issue.message
    assert "at most 3.76 persons/m^2 (111 people) is allowed" in issue.message  # 29.74 / 0.266


def test_narrow_door_and_gate_are_refused(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(
        ("segment_m: [[26.0, 13.0], [26.0, 14.0]]", "segment_m: [[26.0, 13.0], [26.0, 13.4]]"),
        ("segment_m: [[28.0, 0.0], [32.0, 0.0]]", "segment_m: [[28.0, 0.0], [28.3, 0.0]]"),
    )
    door = _one(_issues(path), "door 'D1'")
    assert (door.element_id, door.path) == ("D1", "buildings[0].doors[0].segment_m")
    assert door.line == line_of(text, "[26.0, 13.4]")
    assert "is 0.40 m wide: door 'D1' is narrower than one person's shoulder breadth, about " in (
        door.message
    )
    assert "it must be >= 0.5 m wide" in door.message
    gate = _one(_issues(path), "gate 'G1'")
    assert (gate.path, gate.line) == ("fence.gates[0].segment_m", line_of(text, "[28.3, 0.0]"))
    assert "is 0.30 m wide" in gate.message


def test_narrow_stair_is_refused(edited_site: EditSite, line_of: LineOf) -> None:
    old, new = _stairs("L0", "L1", 4.0)
    path, text = edited_site((old, new.replace("width_m: 1.0", "width_m: 0.4")))
    (issue,) = _issues(path, check_geometry=False)
    assert (issue.element_id, issue.path) == ("S1", "buildings[0].stairs[0].width_m")
    assert issue.line == line_of(text, "width_m: 0.4")
    assert "width_m = 0.4 m: stair 'S1' is narrower than one person's shoulder breadth" in (
        issue.message
    )


# --------------------------------------------------------------------------- grids, mesh position


def test_voxel_grid_lower_than_the_tallest_solid(edited_site: EditSite, line_of: LineOf) -> None:
    """The tank T1 is 12 m tall; voxels up to 10 m would cut off its top."""
    path, text = edited_site(("voxel_height_m: 20.0", "voxel_height_m: 10.0"))
    (issue,) = _issues(path)
    assert (issue.path, issue.line) == ("grids.voxel_height_m", line_of(text, "voxel_height_m"))
    assert "voxel_height_m = 10 m is below the top of 'T1' at 12.00 m" in issue.message
    assert "voxel_height_m must be >= 12.00 m" in issue.message


def test_navigation_grid_too_coarse_for_a_door(edited_site: EditSite, line_of: LineOf) -> None:
    """At 1.2 m cells the 1.0 m door D1 closes up on the grid (the 1.2 m exit stays open, and the
    walkable regions still join R2 to the exit); at 0.6 m R2 has a grid path again."""
    path, text = edited_site(("navigation_cell_m: 0.5", "navigation_cell_m: 1.2"))
    (issue,) = _issues(path)
    assert (issue.element_id, issue.path) == ("R2", "buildings[0].rooms[1]")
    assert issue.line == line_of(text, "- id: R2")
    assert (
        "at grids.navigation_cell_m = 1.2 m room 'R2' has no grid path to an exit or stair of its "
        + "level 'L0' (openings narrower than about two cells close up on the grid); use a "
        + "smaller navigation_cell_m (at 0.6 m it has a path)"
    ) in issue.message


def test_navigation_grid_too_coarse_for_the_exit(edited_site: EditSite) -> None:
    """At 1.5 m cells the 1.2 m exit E1 closes up too: both rooms are cut off on the grid."""
    path, _ = edited_site(("navigation_cell_m: 0.5", "navigation_cell_m: 1.5"))
    assert [i.element_id for i in _issues(path)] == ["R1", "R2"]


@pytest.mark.verification
def test_equipment_position_away_from_its_mesh(
    edited_site: EditSite, small_site_dir: Path, line_of: LineOf
) -> None:
    """The tank mesh spans x 41..49 m; position_m x = 35 m is 6 m from it, and at most
    0.25 * 8 m (diameter) + 0.5 m = 2.5 m is allowed."""
    _tank_mesh_site(edited_site, small_site_dir, "y")
    path, text = edited_site(
        ("position_m: [45.0, 25.0, 0.0]", "position_m: [35.0, 25.0, 0.0]"),
        (TANK_SHAPE, TANK_SHAPE + "    mesh:\n      file: tank.glb\n      up_axis: y\n"),
    )
    issue = _one(_issues(path), "from its mesh")
    assert (issue.element_id, issue.path) == ("T1", "equipment[0].position_m")
    assert issue.line == line_of(text, "[35.0, 25.0, 0.0]")
    assert "position_m = (35.00, 25.00, 0.00) is 6.00 m from its mesh (spans x 41 to 49 m" in (
        issue.message
    )
    assert "at most 2.50 m is allowed); the hazard source and its obstacle would be apart: " in (
        issue.message
    )
    assert "check position_m and mesh.offset_m" in issue.message
