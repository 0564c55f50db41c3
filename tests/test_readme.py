"""The README's examples run: its site file loads and its Python snippet works."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scenarios.release_file import release_from_mapping
from scenarios.validation.registry import all_cases
from twin import load_site

REPO_DIR = Path(__file__).resolve().parents[1]
README = (REPO_DIR / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_starts_with_the_two_commands() -> None:
    first = _blocks("bash")[0].splitlines()
    assert [line.split("#")[0].strip() for line in first] == ["make demo", "make test"]


def test_readme_site_file_example_loads(tmp_path: Path) -> None:
    (yaml_text,) = [b for b in _blocks("yaml") if "schema_version" in b and "fence:" in b]
    shutil.copy(REPO_DIR / "tests/data/sites/small/office_L0.geojson", tmp_path)
    path = tmp_path / "site.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    site = load_site(path)
    assert site.population_by_shift() == {"day": 5}
    assert site.view().level("office/L0").walkable_area_m2 == pytest.approx(75.2)


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    (code,) = [b for b in _blocks("python") if "load_site" in b]
    monkeypatch.chdir(REPO_DIR)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["walkable"].any()
    assert namespace["solid"].any()


def test_readme_release_file_example_is_valid() -> None:
    (yaml_text,) = [b for b in _blocks("yaml") if "substance:" in b and "source:" in b]
    spec = release_from_mapping(yaml.safe_load(yaml_text))
    assert spec.source.model == "flashing_two_phase"
    assert spec.dispersion.cell_size_m == 20


def test_readme_lists_every_validation_family_with_its_case_count() -> None:
    counts = Counter(c.family for c in all_cases())
    listed = {
        family: int(n)
        for family, n in re.findall(r"^\| (\w+) \| (\d+) \|", README, flags=re.MULTILINE)
    }
    assert dict(counts) == {f: listed.get(f) for f in counts}


def test_readme_evacuation_example_runs() -> None:
    """The three people walk at most 18.1 m at 1.34 m/s: out after 13.5 s and before 15 s."""
    (code,) = [b for b in _blocks("python") if "EvacuationModel" in b]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert 13.0 < namespace["result"].rset_s < 15.0  # type: ignore[attr-defined]
