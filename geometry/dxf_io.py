"""DXF floor plans, read by layer name with ezdxf, into :class:`geometry.plan_layers.PlanLayers`.

Conventions
-----------
Layers
    Only model-space entities on the seven plan layers are read: ``WALLS``, ``OBSTACLES``,
    ``DOORS``, ``EXITS``, ``STAIRS``, ``ROOMS``, ``FLOOR``. Names match case-insensitively; other
    layers are ignored. ``layer_map`` maps a drawing's own layer names onto these, e.g.
    ``{"A-WALL": "WALLS", "A-DOOR": "DOORS", "A-AREA-IDEN": "ROOMS"}`` (several names may map to one
    plan layer).
Entities
    LINE, LWPOLYLINE and POLYLINE (bulges followed), ARC, ELLIPSE and SPLINE (flattened with a chord
    error below 1 mm) and CIRCLE (a regular inscribed 64-gon, area 0.16 % below pi r^2). Block
    references (INSERT) are exploded, nested blocks too; an entity on layer ``0`` inside a block
    takes the layer of its INSERT, and the INSERT's attributes (ATTRIB) count as texts. Other entity
    types (HATCH, DIMENSION, points, 3D faces ...) are skipped with a log message.
WALLS
    Open lines and polylines are wall centre lines, buffered by ``wall_thickness_m / 2`` with flat
    caps and mitred corners (lines meeting end to end are joined first, so a centre line that
    returns to its start is a closed ring of wall). Polylines flagged closed, and circles, are solid
    wall outlines (a core or a thick wall drawn by its faces).
OBSTACLES, STAIRS, ROOMS, FLOOR
    Closed polylines and circles are outlines. Open pieces on these layers are joined into closed
    faces (shapely ``polygonize``); a piece left dangling is an error.
    FLOOR outlines are unioned into the floor; without a FLOOR layer the floor is the union of the
    ROOMS. A room is named by a TEXT/MTEXT on the ROOMS layer inside it (the smallest room holding
    the text), else ``room-1``, ``room-2`` ...; stairs likewise from STAIRS texts, else ``stair-1``.
DOORS, EXITS
    Each LINE, or polyline of two vertices, spans one opening. Its id is the nearest TEXT/MTEXT on
    the same layer within 2 m of the segment (each text names one opening at most), else ``door-1``,
    ``exit-1`` ... in file order. ARCs on these layers (door swings) are ignored; any other shape is
    an error. Each opening also cuts its gap through the walls, so walls may run through doors.
Units
    ``units=None`` (default) uses the header variable ``$INSUNITS`` when it names inches (1), feet
    (2), millimetres (4), centimetres (5) or metres (6), and metres when it is 0 (unitless) or
    absent; any other ``$INSUNITS`` is an error asking for ``units``. An explicit ``units`` always
    wins over ``$INSUNITS``. ``wall_thickness_m`` and ``offset_m`` are metres whatever the drawing
    unit. Coordinates are scaled, rotated counter-clockwise by ``rotation_deg`` about the drawing
    origin, then offset (:mod:`geometry.transform2d`).

Examples
--------
>>> plan = load_dxf_plan("ground_floor.dxf", layer_map={"A-WALL": "WALLS"})  # doctest: +SKIP
>>> level, openings, rooms = plan.to_level(level_id="L0", elevation_m=0.0)  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from ezdxf import path as dxf_path
from ezdxf.filemanagement import readfile
from ezdxf.lldxf.const import DXFError
from numpy.typing import NDArray
from shapely.geometry import LineString, Point, Polygon

from geometry.errors import FloorPlanError, GeometryError
from geometry.plan_layers import LAYER_NAMES, PlanLayers, build_plan_layers, opening_segment
from geometry.transform2d import transform_points
from geometry.units import unit_scale_m

__all__ = [
    "CIRCLE_SEGMENTS",
    "INSUNITS_TO_UNITS",
    "TEXT_SEARCH_RADIUS_M",
    "load_dxf_plan",
    "resolve_dxf_units",
]

logger = logging.getLogger(__name__)

#: ``$INSUNITS`` codes we convert (AutoCAD DXF Reference, HEADER section, ``$INSUNITS``).
INSUNITS_TO_UNITS: Final = {1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m"}

#: Largest distance, m, from a door/exit segment to the TEXT that names it.
TEXT_SEARCH_RADIUS_M: Final = 2.0

#: Vertices of the regular polygon inscribed in a CIRCLE; its area is
#: ``n/(2 pi) sin(2 pi/n) = 0.99839`` of the circle's (0.16 % below).
CIRCLE_SEGMENTS: Final = 64

#: Largest chord error when flattening arcs, bulges, ellipses and splines, m.
_FLATTEN_SAGITTA_M: Final = 0.001

#: End points closer than this close a polyline; open pieces snap to this grid before joining, m.
_CLOSE_TOLERANCE_M: Final = 0.001

_AREA_LAYERS: Final = ("FLOOR", "ROOMS", "STAIRS", "OBSTACLES")
_CURVE_TYPES: Final = frozenset({"LWPOLYLINE", "POLYLINE", "ARC", "ELLIPSE", "SPLINE"})
_TEXT_TYPES: Final = frozenset({"TEXT", "MTEXT", "ATTRIB"})


@dataclass(frozen=True, slots=True)
class _Shape:
    layer: str
    where: str
    dxftype: str
    points: NDArray[np.float64]  # (n, 2) drawing units
    is_closed: bool


@dataclass(frozen=True, slots=True)
class _Label:
    layer: str
    text: str
    xy: NDArray[np.float64]  # (2,) drawing units


def resolve_dxf_units(units: str | None, insunits: int | None, *, source: str = "DXF") -> str:
    """Choose the drawing unit from the caller's ``units`` and the DXF header ``$INSUNITS``.

    Parameters
    ----------
    units : str or None
        Unit asked for by the caller; when not None it wins.
    insunits : int or None
        ``$INSUNITS`` of the drawing, None if absent.
    source : str
        File name, for messages.

    Returns
    -------
    str
        A key of :data:`geometry.units.UNIT_SCALE_M`.

    Raises
    ------
    GeometryError
        If ``units`` is not a known unit.
    FloorPlanError
        If ``units`` is None and ``$INSUNITS`` names a unit that is not supported.
    """
    declared = INSUNITS_TO_UNITS.get(insunits) if insunits is not None else None
    if units is not None:
        unit_scale_m(units)
        chosen = units.strip().lower()
        if declared is not None and declared != chosen:
            logger.info("%s: $INSUNITS says %r; using units=%r as asked", source, declared, chosen)
        return chosen
    if declared is not None:
        return declared
    if insunits in (None, 0):
        return "m"
    raise FloorPlanError(
        f"{source}: header $INSUNITS = {insunits!r} is not supported; supported codes are "
        + f"{INSUNITS_TO_UNITS} and 0 (unitless, read as metres): pass units= explicitly, one of "
        + f"{sorted(set(INSUNITS_TO_UNITS.values()))}"
    )


def _layer_resolver(layer_map: Mapping[str, str] | None) -> dict[str, str]:
    table = {name: name for name in LAYER_NAMES}
    for drawing_layer, plan_layer in (layer_map or {}).items():
        target = str(plan_layer).strip().upper()
        if target not in LAYER_NAMES:
            raise FloorPlanError(
                f"layer_map[{drawing_layer!r}] = {plan_layer!r} is not a plan layer; "
                + f"choose one of {list(LAYER_NAMES)}"
            )
        table[str(drawing_layer).strip().upper()] = target
    return table


def _read_dxf(path: Path) -> Any:
    if not path.is_file():
        raise FloorPlanError(f"plan file {str(path)!r} does not exist or is not a file")
    try:
        return readfile(path)
    except DXFError as exc:
        raise FloorPlanError(
            f"plan file {str(path)!r} is not a readable DXF ({type(exc).__name__}: {exc}); "
            + "save it again from the CAD tool as DXF (ASCII or binary, R12 or later)"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise FloorPlanError(f"plan file {str(path)!r} is not a readable DXF: {exc}") from exc
    except Exception as exc:  # ezdxf raises StopIteration, IndexError ... on truncated files
        raise FloorPlanError(
            f"plan file {str(path)!r} is not a readable DXF ({type(exc).__name__}"
            + (f": {exc}" if str(exc) else "")
            + "): the file is probably truncated or corrupt; save it again from the CAD tool as "
            + "DXF (ASCII or binary, R12 or later)"
        ) from exc


def _entities(
    entities: Any, parent_layer: str | None, parent_where: str | None
) -> Iterator[tuple[Any, str, str]]:
    """Yield ``(entity, layer, where)`` with block references exploded and layer ``0`` inherited."""
    for e in entities:
        layer = str(e.dxf.get("layer", "0"))
        if parent_layer is not None and layer == "0":
            layer = parent_layer
        where = parent_where or f"{e.dxftype()} #{e.dxf.get('handle', '?')}"
        if e.dxftype() == "INSERT":
            for attrib in getattr(e, "attribs", ()):
                a_layer = str(attrib.dxf.get("layer", "0"))
                yield attrib, (layer if a_layer == "0" else a_layer), where
            try:
                children = list(e.virtual_entities())
            except Exception as exc:  # ezdxf raises several types for broken or non-uniform blocks
                logger.warning("%s: block %r not exploded (%s)", where, e.dxf.get("name"), exc)
                continue
            yield from _entities(children, layer, where)
        else:
            yield e, layer, where


def _xy(points: Sequence[Any]) -> NDArray[np.float64]:
    return np.array([(float(p[0]), float(p[1])) for p in points], dtype=np.float64).reshape(-1, 2)


def _shape_points(e: Any, sagitta: float) -> tuple[NDArray[np.float64], bool] | None:
    """Vertices of a drawn shape in drawing units and whether it is closed; None if unsupported."""
    kind = e.dxftype()
    if kind == "LINE":
        return _xy([e.dxf.start, e.dxf.end]), False
    if kind == "CIRCLE":
        centre = e.ocs().to_wcs(e.dxf.center)
        ring = Point(centre[0], centre[1]).buffer(e.dxf.radius, quad_segs=CIRCLE_SEGMENTS // 4)
        return np.asarray(ring.exterior.coords, dtype=np.float64), True
    if kind not in _CURVE_TYPES:
        return None
    if kind == "POLYLINE" and not (e.is_2d_polyline or e.is_3d_polyline):
        return None
    flagged = bool(getattr(e, "closed", False) or getattr(e, "is_closed", False))
    pts = _xy(list(dxf_path.make_path(e).flattening(sagitta)))
    return pts, flagged


def _collect(
    doc: Any, layers: Mapping[str, str], scale_m: float
) -> tuple[list[_Shape], list[_Label]]:
    sagitta = _FLATTEN_SAGITTA_M / scale_m
    close_tol = _CLOSE_TOLERANCE_M / scale_m
    shapes: list[_Shape] = []
    labels: list[_Label] = []
    skipped: dict[str, int] = {}
    for e, raw_layer, where in _entities(doc.modelspace(), None, None):
        layer = layers.get(raw_layer.strip().upper())
        if layer is None:
            continue
        kind = e.dxftype()
        if kind in _TEXT_TYPES:
            text = e.plain_text() if kind == "MTEXT" else e.dxf.get("text", "")
            text = " ".join(str(text).split())
            if text:
                xy = (
                    _xy([e.ocs().to_wcs(e.dxf.insert)])[0]
                    if kind != "MTEXT"
                    else _xy([e.dxf.insert])[0]
                )
                labels.append(_Label(layer, text, xy))
            continue
        got = _shape_points(e, sagitta)
        if got is None or len(got[0]) < 2:
            skipped[kind] = skipped.get(kind, 0) + 1
            continue
        pts, flagged = got
        gap = float(np.hypot(*(pts[-1] - pts[0])))
        # On WALLS only the closed flag makes an outline: a centre line may return to its start.
        returns = gap <= close_tol and layer != "WALLS"
        is_closed = kind == "CIRCLE" or (len(pts) > 2 and (flagged or returns))
        if is_closed and gap > 0:
            pts = np.vstack([pts, pts[:1]])
        shapes.append(_Shape(layer, f"{where} on layer {raw_layer!r}", kind, pts, is_closed))
    if skipped:
        logger.info("skipped entities on plan layers (unsupported types): %s", skipped)
    return shapes, labels


def _faces(shapes: list[_Shape], layer: str, grid_m: float) -> list[Polygon]:
    """Return the closed outlines of a layer, open pieces joined into faces; dangling ones raise."""
    polys = [Polygon(s.points) for s in shapes if s.layer == layer and s.is_closed]
    pieces = [s for s in shapes if s.layer == layer and not s.is_closed]
    if not pieces:
        return polys
    lines = shapely.set_precision(shapely.union_all([LineString(s.points) for s in pieces]), grid_m)
    faces, cuts, dangles, invalid = shapely.polygonize_full([shapely.union_all([lines])])
    loose = [g for g in (cuts, dangles, invalid) if not g.is_empty]
    if loose:
        xy = shapely.get_coordinates(shapely.union_all(loose))[0]
        first = min(pieces, key=lambda s: shapely.distance(LineString(s.points), Point(xy)))
        x, y = np.round(xy, 3)
        raise FloorPlanError(
            f"{first.where}: open {first.dxftype} near ({x:g}, {y:g}) m does not close an "
            + f"outline on layer {layer}; outlines on {layer} must be closed polylines or circles, "
            + "or lines meeting end to end"
        )
    return [*polys, *(p for p in shapely.get_parts(faces) if isinstance(p, Polygon))]


def _name_areas(polys: list[Polygon], labels: list[_Label]) -> list[str | None]:
    """Name each polygon by the first text whose smallest containing polygon it is."""
    names: list[str | None] = [None] * len(polys)
    if not polys or not labels:
        return names
    shapes = np.array(polys, dtype=object)
    areas = shapely.area(shapes)
    # covers[i, j]: polygon i holds label j
    covers = shapely.covers(shapes[:, None], shapely.points(np.stack([lb.xy for lb in labels])))
    for j, label in enumerate(labels):
        holders = np.flatnonzero(covers[:, j])
        if len(holders):
            best = int(holders[np.argmin(areas[holders])])
            if names[best] is None:
                names[best] = label.text
    return names


def _name_openings(segments: list[NDArray[np.float64]], labels: list[_Label]) -> list[str | None]:
    """Pair texts with segments, nearest first, within the radius; a text names one segment."""
    names: list[str | None] = [None] * len(segments)
    if not segments or not labels:
        return names
    lines = shapely.linestrings(np.stack(segments))
    pts = shapely.points(np.stack([lb.xy for lb in labels]))
    dist = shapely.distance(lines[:, None], pts[None, :])
    used: set[int] = set()
    for flat in np.argsort(dist, axis=None, kind="stable"):
        i, j = divmod(int(flat), len(labels))
        if dist[i, j] > TEXT_SEARCH_RADIUS_M:
            break
        if names[i] is None and j not in used:
            names[i] = labels[j].text
            used.add(j)
    return names


def load_dxf_plan(
    path: str | os.PathLike[str],
    *,
    units: str | None = None,
    offset_m: Sequence[float] = (0.0, 0.0),
    rotation_deg: float = 0.0,
    wall_thickness_m: float = 0.2,
    layer_map: Mapping[str, str] | None = None,
) -> PlanLayers:
    """Read a DXF floor plan by layer names into site metres.

    The layer, entity, naming and unit conventions are those of this module's docstring.

    Parameters
    ----------
    path : str or os.PathLike
        DXF file (any version ezdxf reads, ASCII or binary).
    units : str or None
        Drawing unit, a key of :data:`geometry.units.UNIT_SCALE_M`; None uses ``$INSUNITS``,
        else metres.
    offset_m : (2,) float
        Site position of the drawing origin after rotation, m.
    rotation_deg : float
        Counter-clockwise rotation about the drawing origin, degrees.
    wall_thickness_m : float
        Thickness of walls drawn as centre lines, m; in (0, 5].
    layer_map : mapping of str to str, optional
        Drawing layer name -> plan layer name (one of :data:`geometry.plan_layers.LAYER_NAMES`),
        case-insensitive.

    Returns
    -------
    PlanLayers
        Floor, walls, obstacles, doors, exits, stairs and rooms, m.

    Raises
    ------
    FloorPlanError
        Missing or unreadable file, unsupported ``$INSUNITS``, a ``layer_map`` target that is not a
        plan layer, an open outline on an area layer, a door/exit that is not a 2-point segment,
        neither floor nor rooms, duplicate opening ids, or an empty walkable region.
    GeometryError
        Unknown ``units``, or a non-finite offset or rotation.
    """
    path = Path(path)
    layers = _layer_resolver(layer_map)
    doc = _read_dxf(path)
    try:
        insunits = doc.header.get("$INSUNITS")
        insunits = None if insunits is None else int(insunits)
    except (TypeError, ValueError) as exc:
        raise FloorPlanError(
            f"plan file {str(path)!r}: header $INSUNITS = {doc.header.get('$INSUNITS')!r} is not "
            + f"an integer unit code ({exc}); fix the header or pass units"
        ) from exc
    chosen = resolve_dxf_units(units, insunits, source=path.name)
    scale_m = unit_scale_m(chosen)
    transform = {"units": chosen, "offset_m": offset_m, "rotation_deg": rotation_deg}
    try:
        shapes, raw_labels = _collect(doc, layers, scale_m)
    except GeometryError:
        raise
    except Exception as exc:  # malformed entities that ezdxf read but cannot evaluate
        raise FloorPlanError(
            f"plan file {str(path)!r}: an entity could not be read ({type(exc).__name__}: {exc}); "
            + "the file is probably corrupt: save it again from the CAD tool as DXF"
        ) from exc

    def to_m(points: NDArray[np.float64]) -> NDArray[np.float64]:
        return transform_points(points, **transform)  # type: ignore[arg-type]

    shapes = [_Shape(s.layer, s.where, s.dxftype, to_m(s.points), s.is_closed) for s in shapes]
    labels = [_Label(lb.layer, lb.text, to_m(lb.xy[None, :])[0]) for lb in raw_labels]

    def labels_on(layer: str) -> list[_Label]:
        return [lb for lb in labels if lb.layer == layer]

    faces = {layer: _faces(shapes, layer, _CLOSE_TOLERANCE_M) for layer in _AREA_LAYERS}
    openings: dict[str, list[NDArray[np.float64]]] = {"DOORS": [], "EXITS": []}
    for s in shapes:
        if s.layer in openings and s.dxftype != "ARC":
            kind = "door" if s.layer == "DOORS" else "exit"
            if s.is_closed:
                raise FloorPlanError(
                    f"{kind} at {s.where} is a closed {s.dxftype}: a {kind} must be a straight "
                    + "segment of exactly 2 points (a LINE or a 2-vertex polyline) spanning the "
                    + "opening"
                )
            openings[s.layer].append(opening_segment(s.points, kind=kind, where=s.where))
    wall_lines = [LineString(s.points) for s in shapes if s.layer == "WALLS" and not s.is_closed]
    wall_polys = [Polygon(s.points) for s in shapes if s.layer == "WALLS" and s.is_closed]

    doors = openings["DOORS"]
    exits = openings["EXITS"]
    plan = build_plan_layers(
        floors=faces["FLOOR"],
        wall_lines=wall_lines,
        wall_polygons=wall_polys,
        obstacles=faces["OBSTACLES"],
        doors=list(zip(_name_openings(doors, labels_on("DOORS")), doors, strict=True)),
        exits=list(zip(_name_openings(exits, labels_on("EXITS")), exits, strict=True)),
        stairs=list(
            zip(_name_areas(faces["STAIRS"], labels_on("STAIRS")), faces["STAIRS"], strict=True)
        ),
        rooms=list(
            zip(_name_areas(faces["ROOMS"], labels_on("ROOMS")), faces["ROOMS"], strict=True)
        ),
        wall_thickness_m=wall_thickness_m,
        source=path.name,
    )
    logger.info(
        "%s: %s, walkable %.1f m2, %d doors, %d exits, %d rooms",
        path.name,
        chosen,
        plan.walkable_area_m2,
        len(plan.doors),
        len(plan.exits),
        len(plan.rooms),
    )
    return plan
