"""Unit tests of twin.store: loading, schema errors with lines, round trips and atomic saves."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from twin import SCHEMA_VERSION, Site, SiteFile, SiteFileError, load_site, save_site
from twin.store import dump_site_text, load_site_file

EditSite = Callable[..., tuple[Path, str]]
LineOf = Callable[..., int]


def _load_error(path: Path) -> SiteFileError:
    """The SiteFileError that loading ``path`` raises."""
    with pytest.raises(SiteFileError) as info:
        load_site(path)
    return info.value


def _only_issue(err: SiteFileError, needle: str):  # type: ignore[no-untyped-def]
    hits = [i for i in err.issues if needle in i.message]
    assert len(hits) == 1, f"expected one issue with {needle!r} in {err}"
    return hits[0]


def test_small_site_loads(small_site_path: Path) -> None:
    site = load_site(small_site_path)
    assert isinstance(site, Site)
    assert site.name == "Small test site"
    assert site.source is not None
    assert site.source.schema_version == SCHEMA_VERSION
    assert site.base_dir == small_site_path.parent.absolute()


# ----------------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip_keeps_the_site_file_and_the_bytes(small_site_path: Path, suffix: str) -> None:
    """load -> save -> load gives an equal SiteFile; a second save writes the same bytes."""
    site = load_site(small_site_path)
    first = small_site_path.with_name("copy" + suffix)
    save_site(site, first)
    again = load_site(first)
    assert again.source == site.source
    second = small_site_path.with_name("copy2" + suffix)
    save_site(again, second)
    assert first.read_bytes() == second.read_bytes()


def test_saved_yaml_keeps_schema_order_and_exact_floats(small_site_path: Path) -> None:
    spec, _ = load_site_file(small_site_path)
    tricky = spec.model_copy(
        update={"grids": spec.grids.model_copy(update={"navigation_cell_m": 0.1 + 0.2})}
    )
    out = small_site_path.with_name("floats.yaml")
    save_site(tricky, out)
    text = out.read_text()
    keys = [
        line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))
    ]
    assert keys == [
        "schema_version",
        "name",
        "description",
        "fence",
        "shifts",
        "buildings",
        "equipment",
        "structures",
        "detectors",
        "zones",
        "muster_points",
        "grids",
    ]
    back, _ = load_site_file(out)
    assert back.grids.navigation_cell_m == 0.1 + 0.2  # 0.30000000000000004, bit for bit
    assert back == tricky


def test_saving_elsewhere_rewrites_relative_geometry_paths(
    small_site_path: Path, tmp_path: Path
) -> None:
    site = load_site(small_site_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    save_site(site, other / "site.json")
    moved = load_site(other / "site.json")
    plan = moved.buildings[0].levels[0].plan
    assert plan is not None
    assert plan.file.resolve() == (small_site_path.parent / "office_L0.geojson").resolve()


def test_json_site_files_load_with_positions(small_site_path: Path, line_of: LineOf) -> None:
    data = yaml.safe_load(small_site_path.read_text())
    data["equipment"][0]["inventory_kg"] = -1.0
    path = small_site_path.with_name("site.json")
    text = json.dumps(data, indent=2)
    path.write_text(text)
    issue = _only_issue(_load_error(path), "inventory_kg")
    assert issue.line == line_of(text, '"inventory_kg"')


# ---------------------------------------------------------------------------------- atomic saves


@pytest.mark.parametrize(
    ("os_function", "error"),
    [
        ("fsync", OSError(28, "No space left on device")),
        ("replace", PermissionError(13, "Permission denied")),
    ],
    ids=["at_fsync_after_part_of_the_text", "at_the_final_replace"],
)
def test_failed_save_leaves_the_old_file_intact(
    small_site_path: Path, monkeypatch: pytest.MonkeyPatch, os_function: str, error: OSError
) -> None:
    """A save that fails part-way leaves the old file and no temporary file behind."""
    site = load_site(small_site_path)
    before = small_site_path.read_bytes()
    changed = site.source.model_copy(update={"name": "Renamed"})  # type: ignore[union-attr]

    def broken(*args: object) -> None:
        raise error

    monkeypatch.setattr(os, os_function, broken)
    with pytest.raises(type(error), match=error.strerror):
        save_site(changed, small_site_path)
    assert small_site_path.read_bytes() == before
    assert sorted(p.name for p in small_site_path.parent.iterdir()) == [
        "office_L0.geojson",
        "site.yaml",
    ]


def test_save_keeps_the_file_mode(small_site_path: Path) -> None:
    small_site_path.chmod(0o640)
    save_site(load_site(small_site_path), small_site_path)
    assert small_site_path.stat().st_mode & 0o777 == 0o640


def test_save_rejects_an_unknown_suffix(small_site_path: Path) -> None:
    with pytest.raises(SiteFileError, match=r"'\.txt' is not a site file format"):
        save_site(load_site(small_site_path), small_site_path.with_suffix(".txt"))
    with pytest.raises(ValueError, match="fmt = 'toml'"):
        dump_site_text(load_site(small_site_path).source, "toml")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- schema errors


def test_negative_inventory_names_field_value_and_line(
    edited_site: EditSite, line_of: LineOf
) -> None:
    path, text = edited_site(("inventory_kg: 250000.0", "inventory_kg: -5.0"))
    err = _load_error(path)
    issue = _only_issue(err, "inventory_kg")
    assert issue.line == line_of(text, "inventory_kg: -5.0")
    assert issue.element_id == "T1"
    assert issue.path == "equipment[0].inventory_kg"
    assert "inventory_kg = -5.0: must be greater than or equal to 0" in issue.message
    assert f"site.yaml:{issue.line}:" in str(err)


def test_unknown_field_is_named_with_the_allowed_ones(
    edited_site: EditSite, line_of: LineOf
) -> None:
    path, text = edited_site(("    capacity: 50\n", "    capacity: 50\n    colour: red\n"))
    issue = _only_issue(_load_error(path), "colour")
    assert issue.line == line_of(text, "colour: red")
    assert issue.element_id == "M1"
    assert "unknown field 'colour' (= 'red')" in issue.message
    assert "'capacity'" in issue.message
    assert "'building'" in issue.message


def test_error_inside_a_tagged_shape_reaches_the_right_line(
    edited_site: EditSite, line_of: LineOf
) -> None:
    path, text = edited_site(("      diameter_m: 8.0", "      diameter_m: -8.0\n      wobble: 1"))
    err = _load_error(path)
    assert len(err.issues) == 2
    diameter = _only_issue(err, "diameter_m = -8.0")
    assert diameter.line == line_of(text, "diameter_m: -8.0")
    wobble = _only_issue(err, "wobble")
    assert wobble.line == line_of(text, "wobble: 1")
    assert "['type', 'diameter_m', 'height_m']" in wobble.message


def test_wrong_schema_version_names_the_supported_ones(
    edited_site: EditSite, line_of: LineOf
) -> None:
    path, text = edited_site(("schema_version: 1", "schema_version: 2"))
    (issue,) = _load_error(path).issues
    assert issue.line == line_of(text, "schema_version: 2")
    assert "schema_version = 2 is not supported" in issue.message
    assert "[1]" in issue.message


def test_missing_field_points_at_its_parent(edited_site: EditSite, line_of: LineOf) -> None:
    path, text = edited_site(("        closure_time_s: 30.0\n", ""))
    issue = _only_issue(_load_error(path), "'closure_time_s' is required")
    assert issue.element_id == "V1"
    assert issue.line == line_of(text, "- id: V1")


def test_model_validator_messages_keep_their_text(edited_site: EditSite) -> None:
    path, _ = edited_site(
        (
            "        fraction_of_lfl: 0.6",
            "        fraction_of_lfl: 0.6\n        volume_fraction: 0.01",
        )
    )
    issue = _only_issue(_load_error(path), "give exactly one of")
    assert issue.element_id == "GD1"
    assert not issue.message.startswith("Value error")


def test_yaml_syntax_error_has_its_line(small_site_dir: Path) -> None:
    path = small_site_dir / "broken.yaml"
    path.write_text("schema_version: 1\nname: [unclosed\nfence: {}\n")
    err = _load_error(path)
    (issue,) = err.issues
    assert "invalid YAML" in str(err)
    assert (issue.line, issue.column) == (3, 6)  # where the unclosed list meets 'fence:'
    assert "flow sequence" in issue.message


def test_not_a_mapping_and_missing_file(small_site_dir: Path) -> None:
    path = small_site_dir / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(SiteFileError, match="must be a mapping"):
        load_site(path)
    with pytest.raises(SiteFileError, match="does not exist"):
        load_site(small_site_dir / "nope.yaml")
    with pytest.raises(SiteFileError, match="not a site file format"):
        load_site(small_site_dir / "office_L0.geojson")


def test_dump_of_a_minimal_site_file_reads_back() -> None:
    spec = SiteFile.model_validate(
        {
            "name": "m",
            "fence": {
                "polygon_m": [[0, 0], [1, 0], [1, 1]],
                "gates": [{"id": "G", "segment_m": [[0, 0], [1, 0]]}],
            },
        }
    )
    text = dump_site_text(spec, "yaml")
    assert text.startswith("schema_version: 1\nname: m\n")
    assert SiteFile.model_validate(yaml.safe_load(text)) == spec
    assert SiteFile.model_validate(json.loads(dump_site_text(spec, "json"))) == spec


@pytest.mark.property
@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    xyz=st.tuples(
        *[st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)] * 2, st.floats(0, 1e3)
    ),
    name=st.text(min_size=1, max_size=40),
)
def test_any_finite_float_and_text_round_trips_exactly(
    xyz: tuple[float, float, float], name: str
) -> None:
    """Property: YAML and JSON both give back every float bit for bit and any text unchanged."""
    spec = SiteFile.model_validate(
        {
            "name": name,
            "fence": {
                "polygon_m": [[0, 0], [1, 0], [1, 1]],
                "gates": [{"id": "G", "segment_m": [[0, 0], [1, 0]]}],
            },
            "detectors": [
                {
                    "id": "D",
                    "kind": "flame",
                    "position_m": list(xyz),
                    "alarm_levels": [{"name": "a", "radiation_w_m2": xyz[2] + 1.0}],
                }
            ],
        }
    )
    assert SiteFile.model_validate(yaml.safe_load(dump_site_text(spec, "yaml"))) == spec
    assert SiteFile.model_validate(json.loads(dump_site_text(spec, "json"))) == spec


def test_field_given_twice_is_refused_with_both_lines(
    edited_site: EditSite, line_of: LineOf
) -> None:
    """Regression: ``inventory_kg`` twice used to take the last value silently."""
    path, text = edited_site(
        ("    inventory_kg: 250000.0\n", "    inventory_kg: 250000.0\n    inventory_kg: 5.0\n")
    )
    err = _load_error(path)
    (issue,) = err.issues
    first, second = line_of(text, "inventory_kg: 250000.0"), line_of(text, "inventory_kg: 5.0")
    assert issue.line == second
    assert (
        f"key 'inventory_kg' is given twice in one mapping, on line {first} and line {second}"
        in (issue.message)
    )
    assert f"site.yaml:{second}:" in str(err)
