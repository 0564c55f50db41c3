"""Project-wide test settings: a deterministic hypothesis profile and headless plotting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("MPLBACKEND", "Agg")

# Deterministic examples: the same inputs on every run and machine, so a failure reproduces.
settings.register_profile(
    "deterministic",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("deterministic")


REPO_DIR = Path(__file__).resolve().parents[1]
SAMPLE_SITES_DIR = REPO_DIR / "examples" / "sites"
SMALL_SITE_FILE = REPO_DIR / "tests" / "data" / "sites" / "small" / "site.yaml"


@pytest.fixture(scope="session")
def small_site_file() -> Path:
    """The hand-written small site (read-only: copy it before editing)."""
    return SMALL_SITE_FILE


@pytest.fixture(scope="session")
def lng_site_file() -> Path:
    """The shipped sample LNG terminal site file (read-only)."""
    return SAMPLE_SITES_DIR / "lng_terminal" / "site.yaml"
