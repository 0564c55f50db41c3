"""``hazard-twin release`` and ``hazard-twin validate`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "releases" / "methane_vessel_blowdown.yaml"
)


def test_release_prints_json_and_writes_the_map(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["release", str(EXAMPLE), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["source_term"]["model"] == "orifice_gas"
    assert summary["dispersion"][0]["model"] == "gaussian_puff"
    assert (tmp_path / "threat_zones.png").read_bytes().startswith(b"\x89PNG")
    assert json.loads((tmp_path / "summary.json").read_text())["substance"] == "methane"


def test_bigger_hole_reaches_further(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["release", str(EXAMPLE), "--out", str(tmp_path), "--json"]
    small = json.loads(runner.invoke(app, args).output)
    big = json.loads(runner.invoke(app, [*args, "--hole-diameter-m", "0.1"]).output)
    lfl_small = small["threat_zones"][0]["distance_m"]
    lfl_big = big["threat_zones"][0]["distance_m"]
    assert (
        big["source_term"]["initial_discharge_rate_kg_s"]
        > small["source_term"]["initial_discharge_rate_kg_s"]
    )
    assert lfl_big > lfl_small


def test_release_bad_override_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["release", str(EXAMPLE), "--out", str(tmp_path), "--stability", "Q"]
    )
    assert result.exit_code == 2
    assert "weather.stability_class" in result.output


def test_release_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["release", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_validate_one_family_as_json() -> None:
    result = CliRunner().invoke(app, ["validate", "--family", "substances", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["passed"] is True
    assert all(c["id"].startswith("substances/") for c in payload["cases"])
    assert all("expected" in k for c in payload["cases"] for k in c["checks"])


def test_validate_unknown_family_exits_2() -> None:
    result = CliRunner().invoke(app, ["validate", "--family", "astrology"])
    assert result.exit_code == 2
    assert "choose one of" in result.output
