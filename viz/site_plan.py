"""2D site plans drawn with matplotlib: the whole site, and each storey of each building.

The site overview shows the fence and gates, the outdoor walkable area, building floors and walls
at body height, equipment and structures labelled by id, detectors, muster points and shelters,
zones and congested areas, with a scale bar and a north arrow. A storey view shows walls, rooms with
their names and occupancy, doors, exits and stairs.

Colour conventions: exits, gates and muster points in safety green (ISO 7010 "E" signs); gas
detectors orange, flame detectors red; walls black; walkable floor white over a light grey site.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry

from geometry.atomic_file import replacing
from twin.site import Box, Cylinder, Equipment, Pipe, Shape, Structure

if TYPE_CHECKING:
    from twin.runtime import SiteView

SAFETY_GREEN = "#009a44"
GAS_DETECTOR = "#f28c00"
FLAME_DETECTOR = "#d7191c"
WALL = "#1a1a1a"
SITE_GROUND = "#e8e8e3"
FLOOR = "#ffffff"
OBSTACLE = "#7f7f7f"
EQUIPMENT_EDGE = "#2b4c7e"
DOOR = "#8c564b"
STAIR = "#9e9ac8"

_ZONE_COLOURS = {
    "process": "#d95f02",
    "storage": "#7570b3",
    "jetty": "#1b9e77",
    "utility": "#666666",
    "admin": "#e7298a",
    "parking": "#a6761d",
    "road": "#999999",
    "other": "#666666",
}


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def _polygon_path(poly: Polygon) -> MplPath:
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for ring in (poly.exterior, *poly.interiors):
        xy = np.asarray(ring.coords)
        c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
        c[0] = MplPath.MOVETO
        c[-1] = MplPath.CLOSEPOLY
        verts.append(xy)
        codes.append(c)
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def draw_region(ax: Axes, geom: BaseGeometry, **style: Any) -> None:
    """Fill a shapely (multi)polygon, holes included, on ``ax``."""
    for poly in _polygons(geom):
        ax.add_patch(PathPatch(_polygon_path(poly), **style))


def _nice_length(target_m: float) -> float:
    """Round a length down to 1, 2 or 5 times a power of ten."""
    if target_m <= 0:
        return 1.0
    exp = math.floor(math.log10(target_m))
    for m in (5, 2, 1):
        if m * 10**exp <= target_m:
            return float(m * 10**exp)
    return float(10**exp)


def draw_scale_bar(ax: Axes, bounds_m: tuple[float, float, float, float]) -> None:
    """Draw a black-and-white scale bar in the lower-left corner of ``bounds_m``."""
    xmin, ymin, xmax, ymax = bounds_m
    width = xmax - xmin
    length = _nice_length(width / 5.0)
    h = (ymax - ymin) * 0.012
    x0 = xmin + 0.03 * width
    y0 = ymin + 0.03 * (ymax - ymin)
    for k in range(4):
        ax.add_patch(
            Rectangle(
                (x0 + k * length / 4, y0),
                length / 4,
                h,
                facecolor="black" if k % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                zorder=20,
            )
        )
    label = f"{length:g} m" if length < 1000 else f"{length / 1000:g} km"
    ax.text(x0 + length / 2, y0 + 1.6 * h, label, ha="center", va="bottom", fontsize=8, zorder=20)


def draw_north_arrow(
    ax: Axes, bounds_m: tuple[float, float, float, float], grid_rotation_deg: float
) -> None:
    """Draw a north arrow top right; local +y is ``grid_rotation_deg`` clockwise of true north."""
    xmin, ymin, xmax, ymax = bounds_m
    size = 0.05 * min(xmax - xmin, ymax - ymin)
    cx = xmax - 0.025 * (xmax - xmin)
    cy = ymax - 0.07 * (ymax - ymin)
    # North lies grid_rotation_deg anticlockwise of local +y when +y is clockwise of north.
    a = math.radians(grid_rotation_deg)
    dx, dy = -math.sin(a) * size, math.cos(a) * size
    ax.annotate(
        "",
        xy=(cx + dx / 2, cy + dy / 2),
        xytext=(cx - dx / 2, cy - dy / 2),
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5},
        zorder=20,
    )
    ax.text(
        cx + 0.75 * dx,
        cy + 0.75 * dy,
        "N",
        ha="center",
        va="center",
        fontsize=11,
        weight="bold",
        zorder=20,
    )


def _draw_segments(
    ax: Axes, segments: Iterable[np.ndarray], *, colour: str, width: float, zorder: int
) -> None:
    for seg in segments:
        s = np.asarray(seg)
        ax.plot(
            s[:, 0], s[:, 1], color=colour, linewidth=width, solid_capstyle="butt", zorder=zorder
        )


def _equipment_footprint(shape: Shape, position_m: np.ndarray) -> BaseGeometry | np.ndarray:
    """Plan footprint of a solid: a polygon, or an (n, 2) polyline for pipes and walls, m."""
    x, y = float(position_m[0]), float(position_m[1])
    if isinstance(shape, Cylinder):
        return Point(x, y).buffer(shape.diameter_m / 2, 48)
    if isinstance(shape, Box):
        sx, sy, _ = shape.size_m
        return shapely_box(x - sx / 2, y - sy / 2, x + sx / 2, y + sy / 2)
    if isinstance(shape, Pipe):
        return np.asarray(shape.path_m)[:, :2]
    return np.asarray(shape.path_m)


def _finish(ax: Axes, bounds: tuple[float, float, float, float], title: str) -> None:
    xmin, ymin, xmax, ymax = bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("x (m, east)")
    ax.set_ylabel("y (m, north)")
    ax.tick_params(labelsize=7)


def _padded(
    bounds: tuple[float, float, float, float], frac: float = 0.06
) -> tuple[float, float, float, float]:
    xmin, ymin, xmax, ymax = bounds
    pad = frac * max(xmax - xmin, ymax - ymin)
    return (xmin - pad, ymin - pad, xmax + pad, ymax + pad)


def declutter_labels(fig: Figure, ax: Axes, *, pad_px: float = 3.0) -> int:
    """Hide labels that would print over a marker or a label of higher ``zorder``.

    Markers (detectors, muster points) are reserved first; labels are then kept greedily in order of
    decreasing ``zorder`` (buildings, gates and muster points before equipment ids, before zone
    names); a label overlapping a marker or a kept label is hidden, and every kept label gets a
    white halo so it stays legible over lines and hatching. Call after the layout is final (after
    ``tight_layout``).

    Returns
    -------
    int
        Number of labels hidden.
    """
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    texts = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
    order = sorted(range(len(texts)), key=lambda k: (-texts[k].get_zorder(), k))
    kept: list[Any] = [
        box
        for collection in ax.collections
        if np.asarray(collection.get_offsets()).size  # scatter markers
        for box in _marker_boxes(collection, ax)
    ]
    halo: list[patheffects.AbstractPathEffect] = [
        patheffects.withStroke(linewidth=2.0, foreground="white")
    ]
    hidden = 0
    for k in order:
        box = texts[k].get_window_extent(renderer).padded(pad_px)
        if any(box.overlaps(other) for other in kept):
            texts[k].set_visible(False)
            hidden += 1
        else:
            kept.append(box)
            texts[k].set_path_effects(halo)
    return hidden


def _marker_boxes(collection: Any, ax: Axes) -> list[Any]:
    """Display-space boxes of a scatter collection's markers (square, from the marker area)."""
    from matplotlib.transforms import Bbox

    xy = ax.transData.transform(np.asarray(collection.get_offsets(), dtype=float))
    sizes = np.broadcast_to(np.asarray(collection.get_sizes(), dtype=float), (len(xy),))
    half = np.sqrt(sizes) / 2.0 * ax.figure.dpi / 72.0  # s is in points^2
    return [Bbox([[x - h, y - h], [x + h, y + h]]) for (x, y), h in zip(xy, half, strict=True)]


def plot_site_overview(view: SiteView) -> Figure:
    """Draw the whole site at ground level.

    Parameters
    ----------
    view : twin.runtime.SiteView
        Runtime view of a loaded site.

    Returns
    -------
    matplotlib.figure.Figure
        The plan; the caller saves or closes it.
    """
    site = view.site
    fence = Polygon(site.fence.polygon_m)
    bounds = _padded(fence.bounds)
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    fig = Figure(figsize=(15, 12.5 * (bounds[3] - bounds[1]) / (bounds[2] - bounds[0]) + 1.0))
    ax = fig.subplots()
    ax.set_facecolor("#f7f7f7")

    draw_region(ax, fence, facecolor=SITE_GROUND, edgecolor="none", zorder=0)
    for zone in site.zones:
        colour = _ZONE_COLOURS.get(zone.kind, "#666666")
        zpoly = Polygon(zone.polygon_m)
        draw_region(
            ax,
            zpoly,
            facecolor=colour,
            alpha=0.07,
            edgecolor=colour,
            linestyle="--",
            lw=0.8,
            zorder=1,
        )
        rp = zpoly.representative_point()
        ax.text(
            rp.x,
            rp.y,
            zone.name or zone.id,
            color=colour,
            fontsize=7,
            alpha=0.8,
            ha="center",
            zorder=2,
        )
    for area in site.congested_areas:
        draw_region(
            ax,
            Polygon(area.polygon_m),
            facecolor="none",
            edgecolor="#b15928",
            hatch="////",
            lw=0.5,
            zorder=2,
        )

    outdoor = view.outdoor_level
    draw_region(ax, outdoor.obstacles, facecolor=OBSTACLE, edgecolor="none", zorder=3)
    for b in site.buildings:
        plan = view.building_plan(b.id)
        ground = min(plan.levels, key=lambda lv: lv.elevation_m)
        draw_region(ax, ground.walkable, facecolor=FLOOR, edgecolor="none", zorder=4)
        draw_region(ax, ground.obstacles, facecolor=WALL, edgecolor=WALL, lw=0.2, zorder=5)
        cx = ground.walkable.envelope.centroid.x
        top = ground.walkable.bounds[3]
        ax.text(
            cx,
            top + 0.01 * span,
            b.name or b.id,
            ha="center",
            va="bottom",
            fontsize=8,
            weight="bold",
            zorder=9,
        )
        _draw_segments(
            ax,
            (np.asarray(e.segment_m) for e in b.exits if e.level_id == ground.id),
            colour=SAFETY_GREEN,
            width=3.0,
            zorder=8,
        )

    items: list[Equipment | Structure] = [*site.structures, *site.equipment]
    for item in items:
        foot = _equipment_footprint(item.shape, item.position_m)
        is_equipment = isinstance(item, Equipment)
        edge = EQUIPMENT_EDGE if is_equipment else "#555555"
        upright = False
        if isinstance(foot, np.ndarray):
            lw = max(1.0, getattr(item.shape, "diameter_m", 0.3) * 2.0) if is_equipment else 1.5
            ax.plot(foot[:, 0], foot[:, 1], color=edge, lw=min(lw, 4.0), alpha=0.9, zorder=6)
            lx, ly = foot[len(foot) // 2]
        else:
            draw_region(
                ax,
                foot,
                facecolor="#c6dbef" if is_equipment else "#d9d9d9",
                edgecolor=edge,
                lw=0.8,
                zorder=6,
            )
            lx, ly = foot.centroid.x, foot.centroid.y
            x0, y0, x1, y1 = foot.bounds
            upright = (y1 - y0) > 1.5 * (x1 - x0)  # tall, narrow items carry their label upright
        if is_equipment:
            ax.text(
                lx,
                ly,
                item.id,
                fontsize=6,
                ha="center",
                va="center",
                color="#08306b",
                zorder=7,
                rotation=90 if upright else 0,
            )

    _draw_segments(
        ax,
        (np.asarray(g.segment_m) for g in site.fence.gates),
        colour=SAFETY_GREEN,
        width=5.0,
        zorder=8,
    )
    fx, fy = fence.exterior.xy
    ax.plot(fx, fy, color="#333333", lw=1.5, zorder=7)
    for g in site.fence.gates:
        mx, my = np.asarray(g.segment_m).mean(axis=0)
        ax.text(mx, my, f" {g.id}", fontsize=7, color=SAFETY_GREEN, weight="bold", zorder=9)

    for d in site.detectors:
        marker, colour = ("^", GAS_DETECTOR) if d.kind == "gas" else ("D", FLAME_DETECTOR)
        ax.scatter(
            d.position_m[0],
            d.position_m[1],
            marker=marker,
            s=28,
            c=colour,
            edgecolors="black",
            linewidths=0.4,
            zorder=10,
        )
    for m in site.muster_points:
        ax.scatter(
            m.position_m[0],
            m.position_m[1],
            marker="s",
            s=90,
            c=SAFETY_GREEN,
            edgecolors="white",
            linewidths=1.0,
            zorder=11,
        )
        ax.annotate(
            m.id,
            (float(m.position_m[0]), float(m.position_m[1])),
            xytext=(7, 0),
            textcoords="offset points",
            fontsize=7,
            color=SAFETY_GREEN,
            weight="bold",
            va="center",
            zorder=11,
        )

    handles = [
        Rectangle((0, 0), 1, 1, facecolor=FLOOR, edgecolor=WALL, label="building floor / walls"),
        Rectangle((0, 0), 1, 1, facecolor="#c6dbef", edgecolor=EQUIPMENT_EDGE, label="equipment"),
        Rectangle((0, 0), 1, 1, facecolor=OBSTACLE, label="obstacle at body height"),
        Line2D([], [], color=SAFETY_GREEN, lw=4, label="exit / gate"),
        Line2D(
            [],
            [],
            marker="s",
            color="w",
            markerfacecolor=SAFETY_GREEN,
            markersize=9,
            label="muster point",
        ),
        Line2D(
            [],
            [],
            marker="^",
            color="w",
            markerfacecolor=GAS_DETECTOR,
            markeredgecolor="k",
            markersize=7,
            label="gas detector",
        ),
        Line2D(
            [],
            [],
            marker="D",
            color="w",
            markerfacecolor=FLAME_DETECTOR,
            markeredgecolor="k",
            markersize=6,
            label="flame detector",
        ),
        Rectangle(
            (0, 0),
            1,
            1,
            facecolor="none",
            edgecolor="#b15928",
            hatch="////",
            label="congested area",
        ),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    rotation = site.origin.grid_rotation_deg if site.origin is not None else 0.0
    draw_scale_bar(ax, bounds)
    draw_north_arrow(ax, bounds, rotation)
    _finish(ax, bounds, f"{site.name}: site plan (ground level)")
    fig.tight_layout()
    declutter_labels(fig, ax)
    return fig


def _label_outside(
    ax: Axes, text: str, at_m: np.ndarray, centre_m: tuple[float, float], *, gap_m: float = 0.4
) -> None:
    """Write an exit label just outside the building, on the side the exit faces."""
    dx, dy = at_m[0] - centre_m[0], at_m[1] - centre_m[1]
    style: dict[str, Any] = {"fontsize": 8, "color": SAFETY_GREEN, "weight": "bold", "zorder": 9}
    if abs(dx) >= abs(dy):
        # exits in east or west walls: the label runs along the wall, so it never leaves the map
        x, y = at_m[0] + math.copysign(gap_m, dx), at_m[1]
        style |= {"ha": "left" if dx > 0 else "right", "va": "center", "rotation": 90}
    else:
        x, y = at_m[0], at_m[1] + math.copysign(gap_m, dy)
        style |= {"ha": "center", "va": "bottom" if dy > 0 else "top"}
    ax.text(x, y, text, **style)


def _draw_contents(view: SiteView, building_id: str, level_id: str, ax: Axes) -> None:
    """Equipment and detectors inside a building's footprint on the storey ``level_id``."""
    site = view.site
    building = site.building(building_id)
    info = building.level(level_id)
    z0, z1 = info.elevation_m, info.elevation_m + info.height_m
    footprint = view.building_footprint(building_id)
    for item in site.equipment:
        foot = _equipment_footprint(item.shape, item.position_m)
        if isinstance(foot, np.ndarray) or not (z0 <= float(item.position_m[2]) < z1):
            continue
        if not foot.intersects(footprint):
            continue
        draw_region(ax, foot, facecolor="#c6dbef", edgecolor=EQUIPMENT_EDGE, lw=0.8, zorder=4)
        ax.text(
            foot.centroid.x,
            foot.centroid.y,
            item.id,
            fontsize=7,
            ha="center",
            va="center",
            color="#08306b",
            zorder=7,
        )
    for d in site.detectors:
        x, y, z = (float(v) for v in d.position_m)
        if not (z0 <= z < z1 and footprint.covers(Point(x, y))):
            continue
        marker, colour = ("^", GAS_DETECTOR) if d.kind == "gas" else ("D", FLAME_DETECTOR)
        ax.scatter(
            x, y, marker=marker, s=40, c=colour, edgecolors="black", linewidths=0.5, zorder=8
        )
        ax.annotate(
            d.id,
            (x, y),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=6,
            va="center",
            color="#7f3b08",
            zorder=8,
        )


def plot_building_level(
    view: SiteView, building_id: str, level_id: str, *, shift: str | None = None
) -> Figure:
    """Draw one storey: walls, rooms (name, people), doors, exits, stairs, equipment, detectors.

    Parameters
    ----------
    view : twin.runtime.SiteView
        Runtime view of a loaded site.
    building_id, level_id : str
        The storey to draw.
    shift : str, optional
        Shift whose occupancy is printed in each room; the first shift of the site by default.

    Returns
    -------
    matplotlib.figure.Figure
        The plan; the caller saves or closes it.
    """
    site = view.site
    building = site.building(building_id)
    plan = view.building_plan(building_id)
    level = plan.level(level_id)
    shift_id = shift or (site.shifts[0].id if site.shifts else "")
    bounds = _padded(level.walkable.union(level.obstacles).bounds, 0.12)
    fig = Figure(figsize=(12, 12 * (bounds[3] - bounds[1]) / (bounds[2] - bounds[0]) + 1.2))
    ax = fig.subplots()
    draw_region(ax, level.walkable, facecolor=FLOOR, edgecolor="#bbbbbb", lw=0.3, zorder=1)
    draw_region(ax, level.obstacles, facecolor=WALL, edgecolor=WALL, lw=0.2, zorder=3)
    for room in building.rooms:
        if room.level_id != level_id:
            continue
        poly = Polygon(room.polygon_m)
        draw_region(ax, poly, facecolor="#fff7bc", alpha=0.5, edgecolor="none", zorder=2)
        rp = poly.representative_point()
        people = room.people(shift_id)
        ax.text(
            rp.x,
            rp.y,
            f"{room.name or room.id}\n{people} p",
            fontsize=7,
            ha="center",
            va="center",
            zorder=6,
        )
    _draw_segments(
        ax,
        (np.asarray(d.segment_m) for d in building.doors if d.level_id == level_id),
        colour=DOOR,
        width=2.5,
        zorder=5,
    )
    exits = [e for e in building.exits if e.level_id == level_id]
    _draw_segments(
        ax, (np.asarray(e.segment_m) for e in exits), colour=SAFETY_GREEN, width=4.0, zorder=5
    )
    centre = level.walkable.envelope.centroid
    for e in exits:
        _label_outside(ax, e.id, np.asarray(e.segment_m).mean(axis=0), (centre.x, centre.y))
    _draw_contents(view, building_id, level_id, ax)
    for st in building.stairs:
        if level_id not in (st.lower_level_id, st.upper_level_id):
            continue
        corners = np.vstack([np.asarray(st.bottom_m), np.asarray(st.top_m)[::-1]])
        ax.add_patch(
            PolygonPatch(
                corners,
                closed=True,
                facecolor=STAIR,
                edgecolor="#54278f",
                hatch="---",
                alpha=0.8,
                zorder=4,
            )
        )
        cx, cy = corners.mean(axis=0)
        ax.text(cx, cy, st.id, fontsize=7, ha="center", va="center", color="#3f007d", zorder=7)
    handles = [
        Rectangle((0, 0), 1, 1, facecolor=WALL, label="wall (cut at body height)"),
        Rectangle((0, 0), 1, 1, facecolor="#fff7bc", label=f"room ({shift_id} shift people)"),
        Line2D([], [], color=DOOR, lw=3, label="door"),
        Line2D([], [], color=SAFETY_GREEN, lw=4, label="exit"),
        Rectangle((0, 0), 1, 1, facecolor=STAIR, hatch="---", label="stair"),
        Rectangle((0, 0), 1, 1, facecolor="#c6dbef", edgecolor=EQUIPMENT_EDGE, label="equipment"),
        Line2D(
            [],
            [],
            marker="^",
            color="w",
            markerfacecolor=GAS_DETECTOR,
            markeredgecolor="k",
            markersize=7,
            label="gas detector",
        ),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    rotation = site.origin.grid_rotation_deg if site.origin is not None else 0.0
    draw_scale_bar(ax, bounds)
    draw_north_arrow(ax, bounds, rotation)
    _finish(
        ax,
        bounds,
        f"{building.name or building.id}: level {level_id} (z = {level.elevation_m:g} m, "
        + f"walkable {level.walkable_area_m2:,.0f} m²)",
    )
    fig.tight_layout()
    declutter_labels(fig, ax)
    return fig


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
    """Save a figure atomically (temporary file, then rename) and close it; return the path."""
    out = Path(path)
    try:
        with replacing(out) as tmp:
            fig.savefig(tmp, dpi=dpi, format=(out.suffix or ".png").lstrip("."))
    finally:
        fig.clear()
    return out


def write_site_plans(view: SiteView, out: str | os.PathLike[str], *, dpi: int = 150) -> list[Path]:
    """Write the site overview to ``out`` and every storey of every building beside it.

    Storey plans are named ``<stem>_<building>_<level><suffix>`` next to ``out``.

    Returns
    -------
    list[pathlib.Path]
        Files written, the overview first.
    """
    out_path = Path(out)
    written = [save_figure(plot_site_overview(view), out_path, dpi=dpi)]
    for b in view.site.buildings:
        for lv in b.levels:
            name = f"{out_path.stem}_{b.id}_{lv.id}{out_path.suffix or '.png'}"
            written.append(
                save_figure(
                    plot_building_level(view, b.id, lv.id), out_path.with_name(name), dpi=dpi
                )
            )
    return written
