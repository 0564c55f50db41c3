"""The release chain: example files run end to end, and bad input gets errors naming the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scenarios.release import run_release
from scenarios.release_file import ReleaseFileError, load_release_file, release_from_mapping
from solvers.errors import InvalidInputError

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "releases").glob("*.yaml"))


def _minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "substance": "chlorine",
        "source": {"model": "constant", "rate_kg_s": 1.0, "duration_s": 600, "temperature_k": 240},
        "weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 270, "stability_class": "D"},
        "dispersion": {"extent_m": 1000, "cell_size_m": 20, "n_times": 10, "duration_s": 1200},
    }
    return data | changes


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_release_files_run(path: Path) -> None:
    outcome = run_release(load_release_file(path))
    assert outcome.zones
    assert outcome.volume_fraction.shape == (outcome.times_s.size, *outcome.grid.shape)
    assert np.all(outcome.volume_fraction >= 0)
    assert any(z.distance_m > 0 for z in outcome.zones)


def test_zones_are_nested_by_severity() -> None:
    """A stricter level (AEGL-3) never reaches further than a looser one (AEGL-1)."""
    outcome = run_release(release_from_mapping(_minimal()))
    by_name = {z.level_name.split(" ")[0]: z for z in outcome.zones}
    assert by_name["AEGL-3"].distance_m <= by_name["AEGL-2"].distance_m
    assert by_name["AEGL-2"].distance_m <= by_name["AEGL-1"].distance_m
    assert by_name["AEGL-3"].distance_m > 0


def test_dense_chlorine_is_dispersed_as_dense_gas_and_says_why() -> None:
    outcome = run_release(release_from_mapping(_minimal()))
    (item,) = outcome.airborne
    assert item.model == "dense_gas_slab"
    assert "dense" in item.reason


def test_same_file_same_numbers() -> None:
    spec = release_from_mapping(_minimal())
    a, b = run_release(spec), run_release(spec)
    np.testing.assert_array_equal(a.volume_fraction, b.volume_fraction)


def test_stability_class_from_daylight_and_cloud() -> None:
    data = _minimal(
        weather={
            "wind_speed_m_s": 2.0,
            "wind_from_deg": 0,
            "is_daytime": False,
            "cloud_cover_octas": 2,
        }
    )
    outcome = run_release(release_from_mapping(data))
    assert outcome.weather.stability_class == "F"
    assert "night" in outcome.stability_reason


def test_unknown_substance_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="unknown; choose one of"):
        run_release(release_from_mapping(_minimal(substance="unobtainium")))


def test_negative_hole_names_the_field() -> None:
    data = _minimal(
        source={
            "model": "orifice_gas",
            "hole_diameter_m": -0.01,
            "pressure_pa": 1e6,
            "temperature_k": 288,
        }
    )
    with pytest.raises(ReleaseFileError, match=r"source\.orifice_gas\.hole_diameter_m = -0\.01"):
        release_from_mapping(data)


def test_zero_wind_is_refused() -> None:
    data = _minimal(weather={"wind_speed_m_s": 0.0, "wind_from_deg": 0})
    with pytest.raises(ReleaseFileError, match=r"weather\.wind_speed_m_s = 0\.0"):
        release_from_mapping(data)


def test_hole_larger_than_the_pipe_is_refused() -> None:
    data = _minimal(
        substance="methane",
        source={
            "model": "pipe_rupture",
            "inner_diameter_m": 0.2,
            "length_m": 500,
            "upstream_pressure_pa": 5e6,
            "temperature_k": 288,
            "rupture_diameter_m": 0.3,
        },
    )
    with pytest.raises(InvalidInputError, match=r"rupture_diameter_m = 0\.3 m"):
        run_release(release_from_mapping(data))


def test_huge_grid_is_refused_with_the_limit() -> None:
    data = _minimal(dispersion={"extent_m": 20_000, "cell_size_m": 1.0})
    with pytest.raises(InvalidInputError, match=r"cell_size_m = 1 m .* at most 1,000,000 cells"):
        run_release(release_from_mapping(data))


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("substance: [unclosed\n")
    with pytest.raises(ReleaseFileError, match="not valid YAML"):
        load_release_file(bad)
