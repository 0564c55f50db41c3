"""Unit tests of twin.positions: YAML and JSON parsing with element line/column positions."""

from __future__ import annotations

import json

import pytest
import yaml

from twin import positions as twin_positions
from twin.positions import DocumentSyntaxError, PositionMap, load_json, load_yaml

YAML_TEXT = """\
name: x
fence:
  polygon_m: [[0, 0], [1, 0], [1, 1]]
buildings:
  - id: B0
  - id: B1
    exits:
      - id: E2
        level: L0
"""


def test_yaml_data_is_what_safe_load_gives() -> None:
    data, _ = load_yaml(YAML_TEXT)
    assert data == yaml.safe_load(YAML_TEXT)


def test_yaml_positions_are_one_based_line_and_column() -> None:
    _, pos = load_yaml(YAML_TEXT)
    assert pos.lookup(("name",)) == (1, 7)  # the value on the key's line
    assert pos.lookup(("fence",)) == (2, 1)  # a block value: the key
    assert pos.lookup(("fence", "polygon_m", 2)) == (3, 31)
    assert pos.lookup(("buildings", 1)) == (6, 5)
    assert pos.lookup(("buildings", 1, "exits", 0)) == (8, 9)
    assert pos.lookup(("buildings", 1, "exits", 0, "level")) == (9, 16)


def test_lookup_falls_back_to_the_nearest_known_ancestor() -> None:
    _, pos = load_yaml(YAML_TEXT)
    assert pos.lookup(("buildings", 1, "exits", 0, "segment_m", 1)) == (8, 9)
    assert PositionMap().lookup(("a",)) is None


def test_yaml_syntax_error_gives_its_line() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        load_yaml("name: x\nfence: [1, 2\nother: 3\n")
    assert (info.value.line, info.value.column) == (3, 6)
    assert "invalid YAML" in str(info.value)


def test_yaml_refuses_python_object_tags() -> None:
    with pytest.raises(DocumentSyntaxError):
        load_yaml("a: !!python/object/apply:os.system ['echo hi']\n")


def test_yaml_aliases_and_empty_documents() -> None:
    data, pos = load_yaml("base: &b {x: 1}\nother: *b\n")
    assert data == {"base": {"x": 1}, "other": {"x": 1}}
    assert pos.lookup(("other",)) == (2, 1)  # an alias points at its key
    data, pos = load_yaml("")
    assert data is None
    assert len(pos) == 0


def test_json_positions_match_the_text() -> None:
    doc = {
        "name": "x",
        "buildings": [{"id": "B0"}, {"id": "B1", "exits": [{"id": "E2", "level": "L0"}]}],
    }
    text = json.dumps(doc, indent=2)
    data, pos = load_json(text)
    assert data == doc
    lines = text.splitlines()
    line, col = pos.lookup(("buildings", 1, "exits", 0, "level"))
    assert lines[line - 1][col - 1 :].startswith('"L0"')
    line, col = pos.lookup(("buildings", 1))
    assert lines[line - 1][col - 1] == "{"


def test_json_syntax_error_gives_its_line() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        load_json('{\n  "a": 1,\n  "b": \n}')
    assert info.value.line == 4


def test_yaml_positions_use_the_constructed_keys() -> None:
    """``1:`` is the int key 1 in the data; its position must be found under that key."""
    data, pos = load_yaml("occupancy:\n  1: 4\n  day: 2\n")
    assert data == {"occupancy": {1: 4, "day": 2}}
    assert pos.lookup(("occupancy", 1)) == (2, 6)
    assert pos.lookup(("occupancy", "day")) == (3, 8)


def test_libyaml_and_pure_python_parsers_agree(
    small_site_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml (used when PyYAML has it) gives the same data and positions as the Python parser."""
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    results = []
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        monkeypatch.setattr(twin_positions, "_YamlLoader", loader)
        data, pos = load_yaml(small_site_text)
        results.append((data, pos.positions))
    assert results[0] == results[1]
    assert len(results[0][1]) > 100


def test_json_value_on_the_next_line_points_at_its_key() -> None:
    """The same rule as YAML: a value on its key's line is pointed at, else the key."""
    text = '{\n  "name": "x",\n  "fence":\n    {"gates": []}\n}'
    _, pos = load_json(text)
    assert pos.lookup(("name",)) == (2, 11)
    assert pos.lookup(("fence",)) == (3, 3)
    assert pos.lookup(("fence", "gates")) == (4, 15)


def test_yaml_key_given_twice_is_refused_with_both_lines() -> None:
    """Regression: PyYAML keeps the last of two equal keys silently; the loader refuses them."""
    text = "a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n"
    with pytest.raises(DocumentSyntaxError) as info:
        load_yaml(text)
    assert (info.value.line, info.value.column) == (5, 3)
    assert "key 'c' is given twice in one mapping, on line 3 and line 5" in info.value.message


def test_yaml_merge_key_may_be_overridden() -> None:
    """A key that overrides one brought in by a ``<<`` merge is not a duplicate."""
    data, _ = load_yaml("x: &m {a: 1}\ny:\n  <<: *m\n  a: 2\n")
    assert data == {"x": {"a": 1}, "y": {"a": 2}}


def test_yaml_equal_keys_in_different_mappings_are_allowed() -> None:
    data, _ = load_yaml("- {id: a, n: 1}\n- {id: b, n: 2}\n")
    assert data == [{"id": "a", "n": 1}, {"id": "b", "n": 2}]


def test_json_key_given_twice_is_refused_with_both_lines() -> None:
    text = '{"a": 1,\n "b": {"c": 1,\n  "c": 2},\n "d": {"c": 3}}'
    with pytest.raises(DocumentSyntaxError) as info:
        load_json(text)
    assert info.value.line == 3
    assert "key 'c' is given twice in one object, on line 2 and line 3" in info.value.message
