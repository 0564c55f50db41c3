"""GeoJSON and WKT floor plans, and :func:`load_plan`, which picks the reader from the file suffix.

Both formats carry the same seven kinds of shape as the DXF layers (:mod:`geometry.dxf_io`), named
in lower-case singular: ``floor``, ``wall``, ``obstacle``, ``door``, ``exit``, ``stair``, ``room``.
Coordinates are planar drawing coordinates (not longitude/latitude), in ``units`` (metres unless
told otherwise); they are scaled, rotated counter-clockwise by ``rotation_deg`` about the drawing
origin, then offset by ``offset_m`` (:mod:`geometry.transform2d`).

GeoJSON
    A FeatureCollection. Each feature has ``properties.kind`` (one of the kinds above) and
    optionally ``properties.id`` (doors, exits, stairs) or ``properties.name`` (rooms; ``id`` is
    used if there is no name). Geometry by kind: ``floor``, ``obstacle``: Polygon or MultiPolygon;
    ``stair``, ``room``: Polygon; ``wall``: LineString or MultiLineString (centre lines, buffered
    by ``wall_thickness_m / 2``) or Polygon or MultiPolygon (solid outlines); ``door``, ``exit``:
    a LineString of exactly 2 points.

    .. code-block:: json

        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"kind": "exit", "id": "E1"},
           "geometry": {"type": "LineString", "coordinates": [[4, 0], [5.2, 0]]}}]}

WKT
    A text file with one shape per line, ``kind[:id]; WKT``, for example
    ``exit:E1; LINESTRING (4 0, 5.2 0)`` or
    ``room:Control room; POLYGON ((0 0, 6 0, 6 8, 0 8, 0 0))``.
    Blank lines and everything after ``#`` are ignored. Geometry types by kind as for GeoJSON.

Missing ids are filled as ``door-1``, ``exit-1``, ``stair-1``, ``room-1`` ... in file order.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from geometry.dxf_io import load_dxf_plan
from geometry.errors import FloorPlanError
from geometry.plan_layers import PlanLayers, build_plan_layers, opening_segment
from geometry.transform2d import transform_geometry
from geometry.units import unit_scale_m

__all__ = ["PLAN_KINDS", "PLAN_READERS", "load_geojson_plan", "load_plan", "load_wkt_plan"]

logger = logging.getLogger(__name__)

#: Shape kinds of GeoJSON and WKT plans; the DXF layer of each is its upper-case plural.
PLAN_KINDS: Final = ("floor", "wall", "obstacle", "door", "exit", "stair", "room")

_AREA_TYPES: Final = (Polygon, MultiPolygon)
_LINE_TYPES: Final = (LineString, MultiLineString)
_GEOMETRY_TYPES: Final[dict[str, tuple[type[BaseGeometry], ...]]] = {
    "floor": _AREA_TYPES,
    "obstacle": _AREA_TYPES,
    "wall": (*_AREA_TYPES, *_LINE_TYPES),
    "door": (LineString,),
    "exit": (LineString,),
    "stair": (Polygon,),
    "room": (Polygon,),
}
_ALLOWED_TYPES: Final[dict[str, str]] = {
    "floor": "Polygon or MultiPolygon",
    "wall": "LineString, MultiLineString, Polygon or MultiPolygon",
    "obstacle": "Polygon or MultiPolygon",
    "door": "LineString of 2 points",
    "exit": "LineString of 2 points",
    "stair": "Polygon",
    "room": "Polygon",
}


class _PlanShapes:
    """Shapes gathered from a file, in metres, sorted by kind, in file order."""

    def __init__(self, source: str, transform: Mapping[str, Any]) -> None:
        self.source = source
        self.transform = transform
        self.floors: list[Polygon] = []
        self.wall_lines: list[LineString] = []
        self.wall_polygons: list[Polygon] = []
        self.obstacles: list[Polygon] = []
        self.doors: list[tuple[str | None, NDArray[np.float64]]] = []
        self.exits: list[tuple[str | None, NDArray[np.float64]]] = []
        self.stairs: list[tuple[str | None, Polygon]] = []
        self.rooms: list[tuple[str | None, Polygon]] = []

    def add(self, kind: str, geom: BaseGeometry, ident: str | None, where: str) -> None:
        """Check the geometry type for its kind, convert it to metres and file it."""
        if kind not in PLAN_KINDS:
            raise FloorPlanError(
                f"{where}: kind = {kind!r} is unknown; choose one of {list(PLAN_KINDS)}"
            )
        coords = shapely.get_coordinates(geom)
        if not np.all(np.isfinite(coords)):
            bad = coords[~np.all(np.isfinite(coords), axis=1)][0]
            raise FloorPlanError(
                f"{where}: {kind} has a coordinate {bad.tolist()!r}; every coordinate must be a "
                + "finite number (no NaN or infinity)"
            )
        if geom.is_empty or not isinstance(geom, _GEOMETRY_TYPES[kind]):
            raise FloorPlanError(
                f"{where}: {kind} geometry is {'empty' if geom.is_empty else geom.geom_type}; "
                + f"a {kind} must be a {_ALLOWED_TYPES[kind]}"
            )
        geom_m = transform_geometry(geom, **self.transform)
        polys = [p for p in shapely.get_parts(geom_m) if isinstance(p, Polygon)]
        if kind == "floor":
            self.floors.extend(polys)
        elif kind == "obstacle":
            self.obstacles.extend(polys)
        elif kind == "wall":
            self.wall_polygons.extend(polys)
            self.wall_lines.extend(
                p for p in shapely.get_parts(geom_m) if isinstance(p, LineString)
            )
        elif kind in ("door", "exit"):
            seg = opening_segment(shapely.get_coordinates(geom_m), kind=kind, where=where)
            (self.doors if kind == "door" else self.exits).append((ident, seg))
        elif kind == "stair":
            self.stairs.append((ident, polys[0]))
        else:
            self.rooms.append((ident, polys[0]))

    def build(self, wall_thickness_m: float) -> PlanLayers:
        """Assemble the plan layers."""
        return build_plan_layers(
            floors=self.floors,
            wall_lines=self.wall_lines,
            wall_polygons=self.wall_polygons,
            obstacles=self.obstacles,
            doors=self.doors,
            exits=self.exits,
            stairs=self.stairs,
            rooms=self.rooms,
            wall_thickness_m=wall_thickness_m,
            source=self.source,
        )


def _open_text(path: Path) -> str:
    if not path.is_file():
        raise FloorPlanError(f"plan file {str(path)!r} does not exist or is not a file")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FloorPlanError(f"plan file {str(path)!r} is not readable UTF-8 text: {exc}") from exc


def _transform(units: str | None, offset_m: Sequence[float], rotation_deg: float) -> dict[str, Any]:
    chosen = "m" if units is None else units.strip().lower()
    unit_scale_m(chosen)
    return {"units": chosen, "offset_m": offset_m, "rotation_deg": rotation_deg}


def _ident(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def load_geojson_plan(
    path: str | os.PathLike[str],
    *,
    units: str | None = None,
    offset_m: Sequence[float] = (0.0, 0.0),
    rotation_deg: float = 0.0,
    wall_thickness_m: float = 0.2,
) -> PlanLayers:
    """Read a GeoJSON floor plan (a FeatureCollection with ``properties.kind``) into site metres.

    Parameters
    ----------
    path : str or os.PathLike
        GeoJSON file, UTF-8.
    units : str or None
        Drawing unit, a key of :data:`geometry.units.UNIT_SCALE_M`; None means metres.
    offset_m : (2,) float
        Site position of the drawing origin after rotation, m.
    rotation_deg : float
        Counter-clockwise rotation about the drawing origin, degrees.
    wall_thickness_m : float
        Thickness of walls given as centre lines, m; in (0, 5].

    Returns
    -------
    PlanLayers
        Floor, walls, obstacles, doors, exits, stairs and rooms, m.

    Raises
    ------
    FloorPlanError
        Missing file, invalid JSON, not a FeatureCollection, a feature without a known
        ``properties.kind`` or with the wrong geometry type, a door/exit that is not a 2-point
        segment, neither floor nor rooms, duplicate opening ids, or an empty walkable region.
    GeometryError
        Unknown ``units``, or a non-finite offset or rotation.
    """
    path = Path(path)
    text = _open_text(path)
    transform = _transform(units, offset_m, rotation_deg)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FloorPlanError(
            f"{path.name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    kind_of_file = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind_of_file != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise FloorPlanError(
            f"{path.name}: top-level type = {kind_of_file!r}; a GeoJSON plan must be a "
            + "FeatureCollection with a 'features' list"
        )
    shapes = _PlanShapes(path.name, transform)
    for index, feature in enumerate(data["features"]):
        where = f"{path.name} feature {index}"
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            raise FloorPlanError(
                f"{where}: is not a GeoJSON Feature with a 'properties' object; each feature needs "
                + f"properties.kind, one of {list(PLAN_KINDS)}"
            )
        kind = str(props.get("kind", "")).strip().lower()
        if kind not in PLAN_KINDS:
            raise FloorPlanError(
                f"{where}: properties.kind = {props.get('kind')!r} is unknown; "
                + f"choose one of {list(PLAN_KINDS)}"
            )
        try:
            with np.errstate(invalid="ignore"):  # NaN coordinates are reported by shapes.add
                geom = shape(feature["geometry"])
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            shapely.errors.ShapelyError,
        ) as exc:
            raise FloorPlanError(
                f"{where}: geometry is missing or not valid GeoJSON ({exc})"
            ) from exc
        ident = _ident(
            props.get("name") if kind == "room" and props.get("name") else props.get("id")
        )
        shapes.add(kind, geom, ident, where)
    return shapes.build(wall_thickness_m)


def load_wkt_plan(
    path: str | os.PathLike[str],
    *,
    units: str | None = None,
    offset_m: Sequence[float] = (0.0, 0.0),
    rotation_deg: float = 0.0,
    wall_thickness_m: float = 0.2,
) -> PlanLayers:
    """Read a WKT floor plan (lines of ``kind[:id]; WKT``) into site metres.

    Parameters
    ----------
    path : str or os.PathLike
        Text file, UTF-8.
    units : str or None
        Drawing unit, a key of :data:`geometry.units.UNIT_SCALE_M`; None means metres.
    offset_m : (2,) float
        Site position of the drawing origin after rotation, m.
    rotation_deg : float
        Counter-clockwise rotation about the drawing origin, degrees.
    wall_thickness_m : float
        Thickness of walls given as centre lines, m; in (0, 5].

    Returns
    -------
    PlanLayers
        Floor, walls, obstacles, doors, exits, stairs and rooms, m.

    Raises
    ------
    FloorPlanError
        Missing file, a line without ``;``, an unknown kind, WKT that does not parse (the message
        gives the line number), a wrong geometry type for the kind, a door/exit that is not a
        2-point segment, neither floor nor rooms, duplicate opening ids, or an empty walkable
        region.
    GeometryError
        Unknown ``units``, or a non-finite offset or rotation.
    """
    path = Path(path)
    text = _open_text(path)
    transform = _transform(units, offset_m, rotation_deg)
    shapes = _PlanShapes(path.name, transform)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{path.name} line {lineno}"
        head, sep, wkt = line.partition(";")
        if not sep:
            raise FloorPlanError(
                f"{where}: {line[:60]!r} has no ';'; each line must read 'kind[:id]; WKT', "
                + "e.g. 'exit:E1; LINESTRING (0 0, 1 0)'"
            )
        kind, _, ident = head.partition(":")
        kind = kind.strip().lower()
        if kind not in PLAN_KINDS:
            raise FloorPlanError(
                f"{where}: kind = {kind!r} is unknown; choose one of {list(PLAN_KINDS)}"
            )
        try:
            with np.errstate(invalid="ignore"):  # NaN coordinates are reported by shapes.add
                geom = shapely.from_wkt(wkt.strip())
        except shapely.errors.ShapelyError as exc:
            raise FloorPlanError(
                f"{where}: WKT {wkt.strip()[:60]!r} does not parse ({exc})"
            ) from exc
        if geom is None:
            raise FloorPlanError(f"{where}: WKT is empty; give a geometry after ';'")
        shapes.add(kind, geom, _ident(ident), where)
    return shapes.build(wall_thickness_m)


def load_plan(path: str | os.PathLike[str], **kwargs: Any) -> PlanLayers:
    """Read a floor plan, choosing the reader from the file suffix.

    ``.dxf`` -> :func:`geometry.dxf_io.load_dxf_plan`; ``.geojson`` and ``.json`` ->
    :func:`load_geojson_plan`; ``.wkt`` -> :func:`load_wkt_plan`.

    Parameters
    ----------
    path : str or os.PathLike
        Plan file.
    **kwargs : Any
        Passed to the reader (``units``, ``offset_m``, ``rotation_deg``, ``wall_thickness_m``, and
        ``layer_map`` for DXF).

    Returns
    -------
    PlanLayers
        The plan, m.

    Raises
    ------
    FloorPlanError
        An unknown suffix (the message lists the allowed ones), or any error of the reader.
    TypeError
        A keyword the chosen reader does not take.
    """
    suffix = Path(path).suffix.lower()
    try:
        reader = PLAN_READERS[suffix]
    except KeyError:
        raise FloorPlanError(
            f"plan file {str(path)!r} has suffix {suffix!r}; choose one of {sorted(PLAN_READERS)}"
        ) from None
    return reader(path, **kwargs)


#: Plan file suffixes (:data:`geometry.file_formats.PLAN_SUFFIXES`) and their readers.
PLAN_READERS: Final[Mapping[str, Callable[..., PlanLayers]]] = {
    ".dxf": load_dxf_plan,
    ".geojson": load_geojson_plan,
    ".json": load_geojson_plan,
    ".wkt": load_wkt_plan,
}
