"""Planar regions as the geometry layer keeps them: ``Polygon | MultiPolygon``, never anything else.

Shapely overlays (difference, union, ``make_valid``, buffers) return whatever type their result has:
a Polygon, a MultiPolygon, a GeometryCollection holding stray lines and points as well, or an empty
geometry. The functions here are the one place that turns such results into a region (an empty
``Polygon()`` when there is no area), drops parts too small to matter and fills holes.

Examples
--------
>>> from shapely.geometry import GeometryCollection, LineString, box
>>> region = polygonal(GeometryCollection([box(0, 0, 2, 1), LineString([(5, 5), (6, 6)])]))
>>> region.geom_type, region.area
('Polygon', 2.0)
"""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

__all__ = ["EMPTY_REGION", "drop_small_parts", "fill_holes", "polygonal"]

#: The empty region (shapely geometries are immutable, so one instance serves everywhere).
EMPTY_REGION = Polygon()


def _as_region(parts: list[Polygon]) -> Polygon | MultiPolygon:
    if not parts:
        return EMPTY_REGION
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def polygonal(geom: BaseGeometry | None) -> Polygon | MultiPolygon:
    """Polygonal part of any shapely geometry, made valid: Polygon, MultiPolygon or empty Polygon.

    A valid Polygon or MultiPolygon is returned as it is. Anything else is repaired with
    ``shapely.make_valid``, its points and lines (also inside nested collections) are discarded and
    the polygons left are unioned.

    Parameters
    ----------
    geom : shapely geometry or None
        Any geometry, m.

    Returns
    -------
    shapely Polygon or MultiPolygon
        The area of ``geom``, m; an empty Polygon when it has none.
    """
    if geom is None or geom.is_empty:
        return EMPTY_REGION
    if isinstance(geom, Polygon | MultiPolygon) and geom.is_valid:
        return geom
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts: list[BaseGeometry] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon | MultiPolygon):
            if not part.is_empty and part.area > 0.0:
                parts.append(part)
        elif part.geom_type == "GeometryCollection":  # make_valid may nest one level down
            nested = polygonal(part)
            if not nested.is_empty:
                parts.append(nested)
    if not parts:
        return EMPTY_REGION
    merged = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    if isinstance(merged, Polygon | MultiPolygon):
        return merged
    return _as_region(
        [p for p in shapely.get_parts(merged) if isinstance(p, Polygon) and p.area > 0.0]
    )


def drop_small_parts(region: Polygon | MultiPolygon, min_area_m2: float) -> Polygon | MultiPolygon:
    """Region without its connected parts smaller than ``min_area_m2``.

    Parameters
    ----------
    region : shapely Polygon or MultiPolygon
        Region, m.
    min_area_m2 : float
        Smallest part kept, m^2.

    Returns
    -------
    shapely Polygon or MultiPolygon
        The parts of at least ``min_area_m2``, m; an empty Polygon if none is left.
    """
    return _as_region(
        [
            p
            for p in shapely.get_parts(region)
            if isinstance(p, Polygon) and not p.is_empty and p.area >= min_area_m2
        ]
    )


def fill_holes(region: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """Region with every hole filled: the union of its parts' exteriors (a footprint).

    Parameters
    ----------
    region : shapely Polygon or MultiPolygon
        Region, m.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Outline of the region, m; an island inside a hole merges into the part around it.
    """
    exteriors = [
        Polygon(p.exterior)
        for p in shapely.get_parts(region)
        if isinstance(p, Polygon) and not p.is_empty
    ]
    return polygonal(shapely.union_all(exteriors)) if exteriors else EMPTY_REGION
