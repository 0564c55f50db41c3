"""Fixtures of the evacuation tests: a plain room, a two-storey building and the small site."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from scenarios.evacuation.layout import EvacuationLayout, StairSpec

SMALL_SITE = Path(__file__).resolve().parents[2] / "data" / "sites" / "small" / "site.yaml"


@pytest.fixture(scope="session")
def small_site():
    """The hand-written small test site (office with two rooms, a zone, a gate, a muster point)."""
    from twin.store import load_site

    return load_site(SMALL_SITE)


@pytest.fixture(scope="session")
def small_site_layout(small_site) -> EvacuationLayout:
    """Layout of the small site: the office level and the outdoor level."""
    return EvacuationLayout.from_site(small_site)


@pytest.fixture
def room() -> Polygon:
    """A 10 m x 6 m room."""
    return box(0.0, 0.0, 10.0, 6.0)


@pytest.fixture
def room_layout(room) -> EvacuationLayout:
    """The 10 m x 6 m room with one 1.2 m exit in the middle of its east wall."""
    return EvacuationLayout.from_polygons(room, {"E": [[10.0, 2.4], [10.0, 3.6]]})


@pytest.fixture
def two_exit_layout() -> EvacuationLayout:
    """A 20 m x 6 m corridor room with 1 m exits at both ends."""
    return EvacuationLayout.from_polygons(
        box(0.0, 0.0, 20.0, 6.0),
        {"W": [[0.0, 2.5], [0.0, 3.5]], "E": [[20.0, 2.5], [20.0, 3.5]]},
    )


@pytest.fixture
def two_storey_layout() -> EvacuationLayout:
    """Two 10 m x 6 m storeys joined by a straight 1.2 m stair along the north side.

    The stair runs in plan from x = 7 (bottom, ground floor) to x = 3 (top, first floor) in a strip
    y = 6 to 7.2 outside both floors; the exit is in the ground floor's east wall.
    """
    ground = box(0.0, 0.0, 10.0, 6.0)
    first = box(0.0, 0.0, 10.0, 6.0)
    stair = StairSpec(
        id="S1",
        lower_key="L0",
        upper_key="L1",
        bottom_m=np.array([[7.0, 6.0], [8.2, 6.0]]),
        top_m=np.array([[3.0, 6.0], [4.2, 6.0]]),
        width_m=1.2,
        length_m=4.0,
        rise_m=3.0,
    )
    return EvacuationLayout.from_polygons(
        {"L0": ground, "L1": first},
        [("E", "L0", [[10.0, 2.4], [10.0, 3.6]])],
        elevations_m={"L0": 0.0, "L1": 3.0},
        stairs=[stair],
    )
