"""Tests of geometry.segments: lengths and normals of segments and polylines."""

from __future__ import annotations

import numpy as np
import pytest

from geometry.segments import polyline_length_m, segment_length_m, segment_normal


@pytest.mark.verification
def test_lengths_by_pythagoras() -> None:
    """3-4-5 triangle in plan; a path up 2 m more: 5 + 2 = 7 m."""
    assert segment_length_m([[1.0, 1.0], [4.0, 5.0]]) == 5.0
    assert polyline_length_m([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0], [3.0, 4.0, 2.0]]) == 7.0
    assert polyline_length_m([[2.0, 3.0]]) == 0.0


def test_normal_points_right_of_the_direction_and_has_unit_length() -> None:
    """Walking east along y = 0, the right-hand side is south."""
    np.testing.assert_allclose(segment_normal([[0.0, 0.0], [5.0, 0.0]]), [0.0, -1.0])
    n = segment_normal([[1.0, 2.0], [4.0, 6.0]])
    assert np.hypot(*n) == pytest.approx(1.0)
    assert np.dot(n, [3.0, 4.0]) == pytest.approx(0.0)
