"""Unit tests of twin.errors: issue formatting and the error that carries them."""

from __future__ import annotations

import doctest
import pickle

import pytest

import twin.errors
from twin.errors import SiteFileError, SiteIssue, format_path


def test_format_path_writes_keys_and_indices() -> None:
    assert format_path(("buildings", 1, "exits", 0)) == "buildings[1].exits[0]"
    assert format_path(("fence", "gates", 2, "segment_m")) == "fence.gates[2].segment_m"
    assert format_path(()) == "<root>"


def test_issue_reads_file_line_column_path_id_message() -> None:
    issue = SiteIssue(
        "buildings[1].exits[0]",
        "off the wall",
        line=42,
        column=7,
        file="site.yaml",
        element_id="E2",
    )
    assert str(issue) == "site.yaml:42:7 buildings[1].exits[0] 'E2': off the wall"


def test_issue_without_position_or_id_still_reads() -> None:
    assert str(SiteIssue("fence", "bad")) == "<site> fence: bad"
    assert str(SiteIssue("fence", "bad", line=3, file="a.json")) == "a.json:3 fence: bad"


def test_error_lists_every_issue_and_is_a_value_error() -> None:
    issues = [
        SiteIssue("a", "first", line=1, file="s.yaml", element_id="x"),
        SiteIssue("b", "second", line=9, file="s.yaml"),
    ]
    err = SiteFileError(issues)
    assert isinstance(err, ValueError)
    text = str(err)
    assert text.splitlines()[0] == "2 problems in s.yaml:"
    assert "s.yaml:1 a 'x': first" in text
    assert "s.yaml:9 b: second" in text
    assert err.issues == issues


def test_error_survives_pickling() -> None:
    err = SiteFileError([SiteIssue("a", "m", line=1, file="f.yaml")])
    again = pickle.loads(pickle.dumps(err))
    assert again.issues == err.issues
    assert str(again) == str(err)


def test_error_without_issues_still_explains() -> None:
    with pytest.raises(SiteFileError, match="invalid site file"):
        raise SiteFileError([])


def test_issue_at_a_path_and_position() -> None:
    issue = SiteIssue.at(("zones", 2, "polygon_m"), "bad", position=(7, 3), file="s.yaml")
    assert (issue.path, issue.line, issue.column) == ("zones[2].polygon_m", 7, 3)
    assert SiteIssue.at(("fence",), "bad", position=None).location == "<site>"


def test_docstring_examples_run() -> None:
    result = doctest.testmod(twin.errors)
    assert result.attempted > 0
    assert result.failed == 0
