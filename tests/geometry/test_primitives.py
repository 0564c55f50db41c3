"""Tests of geometry.primitives: closed solids with analytic volumes, and input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Polygon

from geometry.errors import GeometryError
from geometry.primitives import (
    box_mesh,
    cylinder_mesh,
    extrude_polygon_mesh,
    pipe_mesh,
    wall_footprint,
    wall_mesh,
)


@pytest.mark.verification
def test_box_volume_and_placement_are_exact() -> None:
    """Box 2 x 3 x 4 m on base centre (1, 2, 3).

    Volume 24 m^3; it spans x [0, 2], y [0.5, 3.5], z [3, 7].
    """
    mesh = box_mesh(base_centre_m=(1.0, 2.0, 3.0), size_m=(2.0, 3.0, 4.0))
    assert mesh.is_watertight
    assert mesh.is_volume
    assert mesh.volume == pytest.approx(24.0, rel=1e-12)
    np.testing.assert_allclose(mesh.bounds, [[0, 0.5, 3], [2, 3.5, 7]])


@pytest.mark.verification
@pytest.mark.parametrize("sections", [8, 48, 128])
def test_cylinder_volume_equals_inscribed_polygon_prism(sections: int) -> None:
    """Volume = (n/2) r^2 sin(2 pi/n) h exactly.

    Its deficit from pi r^2 h is below (2 pi/n)^2 / 6.
    """
    r, h = 1.5, 4.0
    mesh = cylinder_mesh(
        base_centre_m=(10.0, -5.0, 1.0), diameter_m=2 * r, height_m=h, sections=sections
    )
    assert mesh.is_watertight
    assert mesh.is_volume
    polygon_volume = sections / 2 * r**2 * math.sin(2 * math.pi / sections) * h
    assert mesh.volume == pytest.approx(polygon_volume, rel=1e-12)
    deficit = 1 - mesh.volume / (math.pi * r**2 * h)
    assert 0 < deficit < (2 * math.pi / sections) ** 2 / 6
    np.testing.assert_allclose(mesh.bounds[:, 2], [1.0, 5.0])
    np.testing.assert_allclose(mesh.bounds[:, :2].mean(axis=0), [10.0, -5.0], atol=1e-12)


@pytest.mark.verification
def test_straight_pipe_volume() -> None:
    """One 10 m segment of a 16-sided 0.5 m pipe: 8 * 0.25^2 * sin(pi/8) * 10 m^3."""
    mesh = pipe_mesh(path_m=[(0, 0, 1), (10, 0, 1)], diameter_m=0.5, sections=16)
    assert mesh.is_watertight
    assert mesh.is_volume
    assert mesh.volume == pytest.approx(8 * 0.25**2 * math.sin(math.pi / 8) * 10, rel=1e-12)


def test_bent_pipe_is_closed_bodies_covering_the_path() -> None:
    path = np.array([(0, 0, 1), (10, 0, 1), (10, 10, 1), (10, 10, 5)], dtype=float)
    mesh = pipe_mesh(path_m=path, diameter_m=0.4)
    assert mesh.is_watertight
    bodies = mesh.split(only_watertight=False)
    assert len(bodies) == 3 + 2  # a cylinder per segment, a ball per bend
    assert all(body.is_volume for body in bodies)
    np.testing.assert_allclose(mesh.bounds, [[-0.0, -0.2, 0.8], [10.2, 10.2, 5.0]], atol=0.01)


@pytest.mark.verification
def test_straight_wall_volume() -> None:
    """Wall 10 m long, 0.2 m thick, 3 m high: 6 m^3, from z = 0.5 to 3.5."""
    mesh = wall_mesh(path_m=[(0, 0), (10, 0)], height_m=3.0, thickness_m=0.2, base_z_m=0.5)
    assert mesh.is_watertight
    assert mesh.is_volume
    assert mesh.volume == pytest.approx(6.0, rel=1e-12)
    np.testing.assert_allclose(mesh.bounds, [[0, -0.1, 0.5], [10, 0.1, 3.5]])


@pytest.mark.verification
def test_mitred_corner_wall_volume() -> None:
    """L-shaped centre line 10 m + 5 m, mitred corner: footprint = 15 x 0.2 = 3 m^2 (the outer
    corner square 0.1 x 0.1 gained equals the inner one lost); volume 3 x 2.5 m^3."""
    mesh = wall_mesh(path_m=[(0, 0), (10, 0), (10, 5)], height_m=2.5, thickness_m=0.2)
    assert mesh.is_watertight
    assert mesh.is_volume
    assert mesh.volume == pytest.approx(7.5, rel=1e-12)


@pytest.mark.verification
def test_closed_loop_wall_is_a_ring() -> None:
    """Closed 10 x 5 centre line, 0.2 thick, 3 high.

    Volume (10.2 x 5.2 - 9.8 x 4.8) x 3 = 18 m^3, hollow inside.
    """
    path = [(0, 0), (10, 0), (10, 5), (0, 5), (0, 0)]
    footprint = wall_footprint(path, 0.2)
    assert isinstance(footprint, Polygon)
    assert len(footprint.interiors) == 1
    mesh = wall_mesh(path_m=path, height_m=3.0, thickness_m=0.2)
    assert mesh.is_watertight
    assert mesh.is_volume
    assert mesh.volume == pytest.approx(18.0, rel=1e-12)
    assert not mesh.contains([[5.0, 2.5, 1.0]])[0]


@pytest.mark.verification
def test_extruded_polygon_with_hole() -> None:
    """(4 x 3 - 1 x 1) x 2 = 22 m^3."""
    poly = Polygon([(0, 0), (4, 0), (4, 3), (0, 3)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    mesh = extrude_polygon_mesh(poly, height_m=2.0, base_z_m=-1.0)
    assert mesh.is_watertight
    assert mesh.is_volume
    assert mesh.volume == pytest.approx(22.0, rel=1e-12)
    np.testing.assert_allclose(mesh.bounds[:, 2], [-1.0, 1.0])


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (
            lambda: cylinder_mesh(base_centre_m=(0, 0, 0), diameter_m=-1.0, height_m=1.0),
            "diameter_m = -1.0",
        ),
        (
            lambda: cylinder_mesh(base_centre_m=(0, 0, 0), diameter_m=1.0, height_m=0.0),
            "height_m = 0.0",
        ),
        (
            lambda: cylinder_mesh(
                base_centre_m=(0, 0, 0), diameter_m=1.0, height_m=1.0, sections=2
            ),
            "sections = 2",
        ),
        (
            lambda: cylinder_mesh(base_centre_m=(0, math.nan, 0), diameter_m=1.0, height_m=1.0),
            "base_centre_m",
        ),
        (lambda: box_mesh(base_centre_m=(0, 0, 0), size_m=(1.0, 0.0, 1.0)), r"size_m\[y\] = 0.0"),
        (lambda: box_mesh(base_centre_m=(0, 0), size_m=(1.0, 1.0, 1.0)), "base_centre_m"),
        (lambda: pipe_mesh(path_m=[(0, 0, 0)], diameter_m=1.0), "path_m"),
        (
            lambda: pipe_mesh(path_m=[(0, 0, 0), (0, 0, 0)], diameter_m=1.0),
            "path_m: points 0 and 1 are equal",
        ),
        (lambda: pipe_mesh(path_m=[(0, 0, 0), (1, 0, 0)], diameter_m=math.inf), "diameter_m = inf"),
        (
            lambda: wall_mesh(path_m=[(0, 0), (1, 0)], height_m=3.0, thickness_m=0.0),
            "thickness_m = 0.0",
        ),
        (
            lambda: wall_mesh(path_m=[(0, 0), (1, 0)], height_m=-3.0, thickness_m=0.2),
            "height_m = -3.0",
        ),
        (
            lambda: wall_mesh(path_m=[(0, 0, 0), (1, 0, 0)], height_m=3.0, thickness_m=0.2),
            r"path_m.*\(n, 2\)",
        ),
    ],
)
def test_bad_sizes_name_the_field(make, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GeometryError, match=field):
        make()
