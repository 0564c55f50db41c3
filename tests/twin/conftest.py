"""Fixtures of the twin tests: the small hand-written site, copied to tmp_path for editing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

SMALL_SITE_DIR = Path(__file__).resolve().parents[1] / "data" / "sites" / "small"


@pytest.fixture
def small_site_dir(tmp_path: Path) -> Path:
    """A private copy of tests/data/sites/small (site.yaml and the office plan)."""
    target = tmp_path / "small"
    shutil.copytree(SMALL_SITE_DIR, target)
    return target


@pytest.fixture
def small_site_path(small_site_dir: Path) -> Path:
    """Path of the copied small site file."""
    return small_site_dir / "site.yaml"


@pytest.fixture
def small_site_text() -> str:
    """Text of the small site file."""
    return (SMALL_SITE_DIR / "site.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} occurs {len(hits)} times"
    return hits[occurrence - 1]


@pytest.fixture
def line_of() -> Callable[..., int]:
    """``line_of(text, needle, occurrence=1)``: 1-based line of the n-th line with ``needle``."""
    return _line_of


@pytest.fixture
def edited_site(small_site_dir: Path, small_site_text: str) -> Callable[..., tuple[Path, str]]:
    """Write the small site with text replacements; returns ``(path, text)``.

    Each replacement is ``(old, new)``; ``old`` must occur exactly once, so line numbers stay known.
    """

    def make(*replacements: tuple[str, str], name: str = "site.yaml") -> tuple[Path, str]:
        text = small_site_text
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the fixture"
            text = text.replace(old, new)
        path = small_site_dir / name
        path.write_text(text, encoding="utf-8")
        return path, text

    return make
