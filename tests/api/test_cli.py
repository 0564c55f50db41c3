"""The hazard-twin command line: exit codes, JSON output and files written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


def _invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_inspect_json_reports_the_site(small_site_file: Path) -> None:
    result = _invoke("twin", "inspect", str(small_site_file), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["name"] == "Small test site"
    assert summary["population_by_shift"] == {"day": 7, "night": 1}
    assert summary["buildings"][0]["levels"][0]["exits"] == ["E1"]
    navigation = {g["level"]: g for g in summary["grids"]["navigation"]}
    # 75.2 m2 of office floor on 0.5 m cells: about 300 cells, boundary cells either way
    assert 250 < navigation["office/L0"]["walkable_cells"] < 350
    assert summary["grids"]["voxels"]["solid_cells"] > 0


def test_inspect_prints_tables(small_site_file: Path) -> None:
    result = _invoke("twin", "inspect", str(small_site_file))
    assert result.exit_code == 0, result.output
    for heading in ("Buildings", "Equipment", "Detectors", "Muster points"):
        assert heading in result.stdout
    assert "Office" in result.stdout
    assert "T1" in result.stdout


def test_missing_site_file_exits_2_naming_the_argument(tmp_path: Path) -> None:
    result = runner.invoke(app, ["twin", "inspect", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "SITE" in result.output
    assert "nope.yaml" in result.output


def test_validate_reports_field_value_and_line(small_site_file: Path, tmp_path: Path) -> None:
    site_dir = tmp_path / "small"
    shutil.copytree(small_site_file.parent, site_dir)
    path = site_dir / "site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("inventory_kg: 250000.0", "inventory_kg: -5.0"), encoding="utf-8")
    line = next(n for n, s in enumerate(path.read_text().splitlines(), 1) if "inventory_kg" in s)

    result = runner.invoke(app, ["twin", "validate", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    text = json.dumps(report["issues"])
    assert "inventory_kg" in text
    assert "-5.0" in text
    assert str(line) in text

    ok = _invoke("twin", "validate", str(small_site_file), "--json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {"valid": True, "issues": []}


def test_plot_refuses_unknown_image_type(small_site_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["twin", "plot", str(small_site_file), "--out", str(tmp_path / "p.gif")]
    )
    assert result.exit_code == 2
    assert "p.gif" in result.output
    assert ".png" in result.output


def test_plot_writes_site_and_storey_plans(small_site_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans" / "plan.png"
    result = _invoke(
        "twin", "plot", str(small_site_file), "--out", str(out), "--dpi", "60", "--json"
    )
    assert result.exit_code == 0, result.output
    files = [Path(f) for f in json.loads(result.stdout)["files"]]
    assert [f.name for f in files] == ["plan.png", "plan_office_L0.png"]
    assert all(f.is_file() and f.stat().st_size > 1000 for f in files)


@pytest.mark.slow
def test_demo_summarises_the_lng_terminal_and_writes_plans(tmp_path: Path) -> None:
    result = _invoke("demo", "--out", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    summary = payload["summary"]
    assert summary["name"] == "LNG import terminal"
    assert 300 <= summary["population_by_shift"]["day"] <= 450
    assert (tmp_path / "plan.png").is_file()
    plans = 1 + sum(len(b["levels"]) for b in summary["buildings"])
    assert len(payload["files"]) == plans + 2
    assert (tmp_path / "lng_spill_threat_zones.png").read_bytes().startswith(b"\x89PNG")
    assert payload["release"]["dispersion"][0]["model"] == "dense_gas_slab"
    evacuation = payload["evacuation"]
    assert evacuation["out"] == evacuation["people"] > 50
    assert sum(evacuation["per_exit"].values()) == evacuation["people"]
    assert 30.0 < evacuation["rset_s"] < 600.0


def test_version_json() -> None:
    result = _invoke("version", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["version"].count(".") >= 2


def test_convert_to_json_round_trips(small_site_file: Path, tmp_path: Path) -> None:
    from twin import load_site

    out = tmp_path / "site.json"
    result = _invoke("twin", "convert", str(small_site_file), str(out))
    assert result.exit_code == 0, result.output
    again, original = load_site(out), load_site(small_site_file)
    # the plan path is rebased to the new folder and still names the same file
    again_plan = again.buildings[0].levels[0].plan
    original_plan = original.buildings[0].levels[0].plan
    assert again_plan is not None
    assert original_plan is not None
    assert again_plan.file.resolve() == original_plan.file.resolve()
    for section in ("fence", "shifts", "equipment", "structures", "detectors", "muster_points"):
        assert getattr(again.source, section) == getattr(original.source, section)
    assert again.view().level("office/L0").walkable_area_m2 == pytest.approx(75.2)


def test_convert_refuses_an_unknown_suffix(small_site_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["twin", "convert", str(small_site_file), str(tmp_path / "s.xml")])
    assert result.exit_code == 2
    assert "s.xml" in result.output


def test_json_errors_are_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["twin", "inspect", str(tmp_path / "nope.yaml"), "--json"])
    assert result.exit_code == 2
    assert "nope.yaml" in json.loads(result.stdout)["error"]


def test_unwritable_output_is_a_clear_error(small_site_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    target = blocker / "plan.png"  # a path below a regular file cannot be created
    result = runner.invoke(app, ["twin", "plot", str(small_site_file), "--out", str(target)])
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert str(target) in result.output.replace("\n", "")
    assert blocker.read_text() == "not a folder"


def test_messages_with_brackets_print_verbatim(small_site_file: Path, tmp_path: Path) -> None:
    """Rich markup must not swallow a '[...]' list in an error message."""
    result = runner.invoke(
        app, ["twin", "plot", str(small_site_file), "--out", str(tmp_path / "p.gif")]
    )
    assert result.exit_code == 2
    assert "['.pdf', '.png', '.svg']" in result.output
