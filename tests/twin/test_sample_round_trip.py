"""Both shipped sample sites round-trip through YAML and JSON without loss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from twin import load_site, save_site
from twin.store import load_site_file

SITES_DIR = Path(__file__).resolve().parents[2] / "examples" / "sites"


@pytest.mark.parametrize("name", ["lng_terminal", "ammonia_plant"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_sample_site_round_trips_unchanged(name: str, suffix: str, tmp_path: Path) -> None:
    folder = tmp_path / name
    shutil.copytree(SITES_DIR / name, folder)
    original, _ = load_site_file(folder / "site.yaml")
    target = folder / f"again{suffix}"
    save_site(load_site(folder / "site.yaml", check_geometry=False), target)
    again, _ = load_site_file(target)
    assert again == original
    first = target.read_bytes()
    save_site(load_site(target, check_geometry=False), target)
    assert target.read_bytes() == first
