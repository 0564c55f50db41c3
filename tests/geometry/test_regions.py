"""Tests of geometry.regions: what overlays return, normalised to Polygon | MultiPolygon."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon, box

from geometry.regions import EMPTY_REGION, drop_small_parts, fill_holes, polygonal


def test_valid_regions_are_returned_as_they_are() -> None:
    square = box(0, 0, 1, 1)
    pair = MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)])
    assert polygonal(square) is square
    assert polygonal(pair) is pair


@pytest.mark.parametrize("geom", [None, Polygon(), Point(1, 1), LineString([(0, 0), (1, 1)])])
def test_no_area_gives_the_empty_region(geom: object) -> None:
    assert polygonal(geom) is EMPTY_REGION  # type: ignore[arg-type]


def test_collections_keep_their_polygons_and_union_them() -> None:
    """Two overlapping unit squares (union 1.5 m^2) with a stray line: one Polygon of 1.5 m^2."""
    mixed = GeometryCollection([box(0, 0, 1, 1), box(0.5, 0, 1.5, 1), LineString([(5, 5), (6, 6)])])
    region = polygonal(mixed)
    assert isinstance(region, Polygon)
    assert region.area == pytest.approx(1.5)


@pytest.mark.verification
def test_bow_tie_is_repaired_into_its_two_triangles() -> None:
    """A self-crossing ring (0,0)-(2,2)-(2,0)-(0,2): two triangles of 1 m^2 each."""
    bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    assert not bow_tie.is_valid
    region = polygonal(bow_tie)
    assert region.is_valid
    assert isinstance(region, MultiPolygon)
    assert region.area == pytest.approx(2.0)


def test_nested_collections_from_make_valid_are_opened() -> None:
    nested = GeometryCollection([GeometryCollection([box(0, 0, 2, 1)]), Point(9, 9)])
    assert polygonal(nested).area == pytest.approx(2.0)


def test_small_parts_are_dropped() -> None:
    region = MultiPolygon([box(0, 0, 2, 2), box(5, 5, 5.5, 5.5), box(8, 8, 9, 9)])
    kept = drop_small_parts(region, 1.0)
    assert isinstance(kept, MultiPolygon)
    assert kept.area == pytest.approx(5.0)
    assert isinstance(drop_small_parts(region, 4.0), Polygon)
    assert drop_small_parts(region, 10.0) is EMPTY_REGION


@pytest.mark.verification
def test_filled_holes_give_the_outline() -> None:
    """A 10 x 10 courtyard building with a 6 x 6 hole holding a 1 x 1 island: footprint 100 m^2."""
    ring = box(0, 0, 10, 10).difference(box(2, 2, 8, 8))
    island = box(4.5, 4.5, 5.5, 5.5)
    footprint = fill_holes(shapely.union(ring, island))
    assert isinstance(footprint, Polygon)
    assert footprint.area == pytest.approx(100.0)
    assert not footprint.interiors
    assert fill_holes(EMPTY_REGION) is EMPTY_REGION
