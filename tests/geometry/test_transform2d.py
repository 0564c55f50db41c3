"""Tests of geometry.transform2d and geometry.units: unit scale, rotation, then offset."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Polygon

from geometry.errors import GeometryError
from geometry.transform2d import transform_geometry, transform_matrix, transform_points
from geometry.units import UNIT_SCALE_M, unit_scale_m


@pytest.mark.verification
@pytest.mark.parametrize(
    ("units", "metres"), [("m", 1.0), ("cm", 0.01), ("mm", 0.001), ("ft", 0.3048), ("in", 0.0254)]
)
def test_unit_scale_is_the_exact_definition(units: str, metres: float) -> None:
    """1 ft = 0.3048 m and 1 in = 0.0254 m exactly (international yard and pound, 1959)."""
    assert unit_scale_m(units) == metres
    assert unit_scale_m(units.upper()) == metres
    assert UNIT_SCALE_M[units] == metres


def test_unknown_unit_lists_the_allowed_ones() -> None:
    with pytest.raises(
        GeometryError,
        match=r"units = 'yd' is unknown; choose one of \['cm', 'ft', 'in', 'm', 'mm'\]",
    ):
        unit_scale_m("yd")


@pytest.mark.verification
def test_quarter_turn_then_offset() -> None:
    """(1000 mm, 0) -> (1 m, 0) -> rotated 90 deg CCW -> (0, 1) -> + (10, -2) -> (10, -1)."""
    out = transform_points([[1000.0, 0.0]], units="mm", rotation_deg=90.0, offset_m=(10.0, -2.0))
    np.testing.assert_allclose(out, [[10.0, -1.0]], atol=1e-12)


def test_offset_is_applied_after_rotation_in_metres() -> None:
    """An offset is never scaled or rotated: the drawing origin lands exactly on offset_m."""
    out = transform_points([[0.0, 0.0]], units="ft", rotation_deg=37.0, offset_m=(5.0, 7.0))
    np.testing.assert_allclose(out, [[5.0, 7.0]])


def test_matrix_and_points_agree() -> None:
    m = transform_matrix(units="cm", offset_m=(1.0, 2.0), rotation_deg=30.0)
    pts = np.array([[100.0, 0.0], [0.0, 200.0], [-50.0, 25.0]])
    homog = np.c_[pts, np.ones(len(pts))] @ m.T
    np.testing.assert_allclose(
        transform_points(pts, units="cm", offset_m=(1.0, 2.0), rotation_deg=30.0), homog[:, :2]
    )


@pytest.mark.verification
def test_polygon_area_scales_with_unit_squared_and_keeps_holes() -> None:
    """A 4000 x 3000 mm rectangle with a 1000 x 1000 mm hole: 12 - 1 = 11 m^2, at any rotation."""
    poly = Polygon(
        [(0, 0), (4000, 0), (4000, 3000), (0, 3000)],
        holes=[[(1000, 1000), (2000, 1000), (2000, 2000), (1000, 2000)]],
    )
    out = transform_geometry(poly, units="mm", rotation_deg=123.0, offset_m=(50.0, -20.0))
    assert isinstance(out, Polygon)
    assert len(out.interiors) == 1
    assert out.is_valid
    assert out.area == pytest.approx(11.0, rel=1e-12)


def test_identity_returns_the_same_geometry() -> None:
    line = LineString([(0, 0), (1, 1)])
    assert transform_geometry(line) is line


@settings(deadline=None, max_examples=50, derandomize=True)
@given(
    x=st.floats(-1e4, 1e4),
    y=st.floats(-1e4, 1e4),
    rotation_deg=st.floats(-360, 360),
    ox=st.floats(-1e3, 1e3),
    oy=st.floats(-1e3, 1e3),
    units=st.sampled_from(sorted(UNIT_SCALE_M)),
)
@pytest.mark.property
def test_distance_to_offset_is_the_scaled_distance_to_origin(
    x: float, y: float, rotation_deg: float, ox: float, oy: float, units: str
) -> None:
    """Rotation and translation are rigid: |p' - o| = s |p|."""
    out = transform_points([[x, y]], units=units, rotation_deg=rotation_deg, offset_m=(ox, oy))[0]
    expected = UNIT_SCALE_M[units] * math.hypot(x, y)
    assert math.hypot(out[0] - ox, out[1] - oy) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"offset_m": (1.0,)}, r"offset_m = \(1\.0,\): must be two finite numbers"),
        ({"offset_m": (0.0, math.nan)}, r"offset_m = \(0\.0, nan\): must be two finite numbers"),
        ({"rotation_deg": math.inf}, r"rotation_deg = inf: must be a finite number of degrees"),
        ({"units": "furlong"}, r"units = 'furlong' is unknown; choose one of"),
    ],
)
def test_bad_transform_arguments_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GeometryError, match=message):
        transform_points([[0.0, 0.0]], **kwargs)  # type: ignore[arg-type]


def test_points_must_be_n_by_2() -> None:
    with pytest.raises(GeometryError, match=r"points of shape \(3,\): must be an \(n, 2\) array"):
        transform_points([1.0, 2.0, 3.0])
