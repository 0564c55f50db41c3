from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Polygon, box

from geometry.boundary_segments import boundary_segments


def _total_length(segments: np.ndarray) -> float:
    return float(np.hypot(*(segments[:, 1] - segments[:, 0]).T).sum())


def test_rectangle_gives_its_four_sides() -> None:
    segments = boundary_segments(box(0, 0, 4, 3))
    assert segments.shape == (4, 2, 2)
    assert _total_length(segments) == pytest.approx(14.0)


def test_obstacles_and_holes_add_their_outlines() -> None:
    room = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], holes=[[(1, 1), (2, 1), (2, 2), (1, 2)]])
    segments = boundary_segments(room, [box(5, 5, 7, 6)])
    # exterior 40 m + hole 4 m + obstacle 6 m
    assert _total_length(segments) == pytest.approx(50.0)
    assert len(segments) == 12


def test_openings_are_cut_out() -> None:
    segments = boundary_segments(box(0, 0, 4, 3), openings_m=[[[4.0, 1.0], [4.0, 2.0]]])
    assert _total_length(segments) == pytest.approx(13.0)
    mids = 0.5 * (segments[:, 0] + segments[:, 1])
    on_gap = (np.abs(mids[:, 0] - 4.0) < 1e-9) & (mids[:, 1] > 1.0) & (mids[:, 1] < 2.0)
    assert not on_gap.any()


def test_multipolygon_and_empty_region() -> None:
    two = MultiPolygon([box(0, 0, 1, 1), box(3, 0, 4, 1)])
    assert _total_length(boundary_segments(two)) == pytest.approx(8.0)
    assert boundary_segments(Polygon()).shape == (0, 2, 2)
    assert boundary_segments(box(0, 0, 1, 1), [box(-1, -1, 2, 2)]).shape == (0, 2, 2)
