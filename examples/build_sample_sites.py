"""Build the sample sites in ``examples/sites/``: an LNG import terminal and an ammonia cold store.

Each site is a ``site.yaml`` (schema v1, :class:`twin.schema.SiteFile`), GLB meshes in ``meshes/``
and, for a building drawn as 2D floor plans, DXF files in ``plans/``. The sites are fictional with
realistic proportions, and are rebuilt byte for byte::

    python examples/build_sample_sites.py            # rewrite examples/sites/
    python examples/build_sample_sites.py --out DIR  # write the two sites under DIR
    python examples/build_sample_sites.py --check    # rebuild in a temporary folder and compare

``--check`` exits with status 1 when a shipped file differs from a fresh build.

Building meshes follow the conventions of the level slicer: closed solids only; one floor slab per
level, 0.2 m thick, its top face at the level's elevation; walls standing on the slab up to the
underside of the next slab, doors and exits left as gaps with a lintel above the door head; a stair
is a hole in the upper slab with a stepped flight solid inside it and guard rails round the open
edges. Meshes are drawn in building-local coordinates, z up, metres, and written as glTF 2.0
specifies: Y-up, metres (file ``(x, y, z)`` = building-local ``(x, z, -y)``, by
:func:`geometry.mesh_io.save_mesh` with ``up_axis="y"``), so any glTF viewer shows the buildings
upright; the site files say ``up_axis: y`` and the loader turns them back. The building's
``MeshRef.offset_m`` places them on the site, without rotation. Rooms, doors, exits and stairs in
the site file are site coordinates (local + offset); door and exit segments span their wall gap on
the wall's centre line.

A building drawn as plans (the ammonia site's gatehouse) has no mesh: each level is a DXF drawing
(R2000, metres, ``$INSUNITS`` = 6) in building-local coordinates, placed by
``levels[].plan.offset_m``, on the layers of :mod:`geometry.dxf_io`: the FLOOR outline on the
exterior wall centre lines; WALLS as LINE centre lines with the door and exit gaps left open;
DOORS and EXITS as a LINE across each gap, named by a TEXT holding the site-file id; ROOMS as
closed polylines named by a TEXT; OBSTACLES (furniture) as closed polylines. Walls drawn as centre
lines take the thickness the site file gives the plan (``plan.wall_thickness_m``).
ezdxf writes its fixed metadata (dates 2000-01-01, zero GUIDs) so the files are byte-stable.

Inventories come from volumes: liquid = volume * fill * density; gas = volume * p M / (Z R T).
Densities and fills are the named constants below.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import io
import itertools
import math
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import ezdxf
import numpy as np
import trimesh
import yaml
from ezdxf.document import Drawing
from ezdxf.entities.lwpolyline import LWPolyline
from ezdxf.enums import TextEntityAlignment
from ezdxf.filemanagement import new as new_dxf
from ezdxf.filemanagement import readfile as read_dxf
from ezdxf.lldxf.const import DXFError
from numpy.typing import NDArray

from geometry.mesh_io import save_mesh
from twin.schema import (
    AlarmLevelSpec,
    BoxShape,
    BuildingSpec,
    CongestedAreaSpec,
    CylinderShape,
    DetectorSpec,
    EquipmentSpec,
    FenceSpec,
    GateSpec,
    GeoOrigin,
    GridSettings,
    LevelSpec,
    MeshRef,
    MusterPointSpec,
    OpeningSpec,
    PipeShape,
    PlanRef,
    RoomSpec,
    ShiftSpec,
    SiteFile,
    StairSpec,
    StructureSpec,
    ValveSpec,
    WallShape,
    ZoneSpec,
)

#: Where the shipped sample sites live.
SITES_DIR = Path(__file__).resolve().parent / "sites"

# --- building construction ------------------------------------------------------------------
EXTERIOR_WALL_M = 0.3  # exterior wall thickness
INTERIOR_WALL_M = 0.2  # partition and corridor wall thickness
PLAN_WALL_M = 0.2  # every wall of a DXF plan (plan.wall_thickness_m in the site file)
SLAB_M = 0.2  # floor slab thickness; its top face is the level elevation
DOOR_HEAD_M = 2.1  # underside of a door lintel above the floor
GUARD_HEIGHT_M = 1.1  # guard rail round a stairwell, above the floor
GUARD_M = 0.1  # guard rail thickness
RISER_MAX_M = 0.19  # largest stair riser (building codes allow 0.18-0.19 m)

# --- fluids ---------------------------------------------------------------------------------
GAS_CONSTANT_J_MOL_K = 8.314462618
LNG_DENSITY_KG_M3 = 450.0  # lean LNG near its bubble point at ~111 K
LNG_TEMPERATURE_K = 111.0
LNG_COMPOSITION = {"methane": 0.92, "ethane": 0.06, "propane": 0.015, "nitrogen": 0.005}
MOLAR_MASS_KG_MOL = {"methane": 0.01604, "ethane": 0.03007, "propane": 0.04410, "nitrogen": 0.02801}
LNG_TANK_NET_VOLUME_M3 = 160_000.0
LNG_TANK_FILL = 0.9
SENDOUT_GAS_Z = 0.85  # compressibility of the send-out gas at 8 MPa, 278 K
AMMONIA_MOLAR_MASS_KG_MOL = 0.017031
AMMONIA_LIQUID_303K_KG_M3 = 595.0  # saturated liquid at 30 degC, 1.17 MPa
AMMONIA_LIQUID_243K_KG_M3 = 682.0  # saturated liquid at -30 degC, 0.12 MPa

Rect = tuple[float, float, float, float]  # (x0, y0, x1, y1), m
Point2 = tuple[float, float]
Point3 = tuple[float, float, float]
Use = Literal["control", "office", "workshop", "gatehouse", "warehouse", "machine_room", "other"]


def _cylinder_volume_m3(diameter_m: float, length_m: float) -> float:
    return math.pi / 4.0 * diameter_m**2 * length_m


def _polyline_length_m(points: Sequence[Sequence[float]]) -> float:
    p = np.asarray(points, dtype=np.float64)
    return float(np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1)))


def _gas_density_kg_m3(p_pa: float, t_k: float, molar_mass_kg_mol: float, z: float = 1.0) -> float:
    return p_pa * molar_mass_kg_mol / (z * GAS_CONSTANT_J_MOL_K * t_k)


def _lng_molar_mass_kg_mol() -> float:
    return sum(x * MOLAR_MASS_KG_MOL[name] for name, x in LNG_COMPOSITION.items())


def _occ(day: int, night: int = 0) -> dict[str, int]:
    return {"day": day, "night": night}


def _rect(x0: float, y0: float, x1: float, y1: float) -> list[Point2]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


# =============================================================================================
# Buildings: a description in local coordinates, drawn as a GLB scene and written as a spec
# =============================================================================================


@dataclass(frozen=True)
class Gap:
    """An opening in a wall: a door between spaces or an exit to outside."""

    key: str
    centre_m: float  # along the wall: x for walls running along x, y for walls along y
    width_m: float
    is_exit: bool = False
    head_m: float = DOOR_HEAD_M

    @property
    def span_m(self) -> tuple[float, float]:
        """Start and end of the opening along its wall, m."""
        return self.centre_m - self.width_m / 2, self.centre_m + self.width_m / 2


@dataclass(frozen=True)
class Wall:
    """A straight wall along ``axis`` with its centre line at ``at_m``, from start to end."""

    name: str
    axis: Literal["x", "y"]
    at_m: float
    start_m: float
    end_m: float
    thickness_m: float
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True)
class Flight:
    """A straight stair flight running along x inside a stairwell ``y0_m..y1_m``."""

    key: str
    lower: str
    upper: str
    bottom_x_m: float
    top_x_m: float
    y0_m: float
    y1_m: float


@dataclass(frozen=True)
class Room:
    """A room footprint (polygon, local m) on a level, with people per shift."""

    key: str
    name: str
    level: str
    polygon_m: Sequence[Point2]
    occupancy: Mapping[str, int]


@dataclass(frozen=True)
class Block:
    """An interior solid standing on a level: a rack, machine or vessel (box or cylinder)."""

    name: str
    level: str
    centre_m: Point2
    size_m: Point2  # box (dx, dy); a cylinder gives (diameter, diameter)
    height_m: float
    is_cylinder: bool = False


@dataclass(frozen=True)
class Level:
    """A storey: id, floor elevation and floor-to-floor height, m."""

    key: str
    elevation_m: float
    height_m: float


@dataclass(frozen=True)
class BuildingDef:
    """Everything needed to draw a building and to describe it in the site file.

    ``drawn_as="mesh"`` gives one GLB mesh for the building (``origin_m`` is its offset on the
    site); ``"plans"`` gives one DXF floor plan per level, drawn with the walls on their centre
    lines in building-local coordinates (``origin_m`` is the plan offset).
    """

    id: str
    name: str
    use: Use
    origin_m: Point2
    size_m: Point2
    levels: tuple[Level, ...]
    walls: Mapping[str, tuple[Wall, ...]]
    rooms: tuple[Room, ...]
    flights: tuple[Flight, ...] = ()
    blocks: tuple[Block, ...] = ()
    is_shelter: bool = False
    air_changes_per_h: float = 0.5
    drawn_as: Literal["mesh", "plans"] = "mesh"

    @property
    def mesh_file(self) -> str:
        """Mesh path relative to the site file."""
        return f"meshes/{self.id}.glb"

    def plan_file(self, level: str) -> str:
        """DXF plan path of a level, relative to the site file."""
        return f"plans/{self.id}_{level}.dxf"

    def wall_top_m(self, index: int) -> float:
        """Top of the walls of level ``index``: underside of the next slab, m."""
        lv = self.levels[index]
        if index + 1 < len(self.levels):
            return self.levels[index + 1].elevation_m - SLAB_M
        return lv.elevation_m + lv.height_m - SLAB_M

    def footprint_m(self) -> list[Point2]:
        """Outline of the building on the site, m."""
        (ox, oy), (w, d) = self.origin_m, self.size_m
        return _rect(ox, oy, ox + w, oy + d)


def _box(x0: float, y0: float, z0: float, x1: float, y1: float, z1: float) -> trimesh.Trimesh:
    mesh: trimesh.Trimesh = trimesh.creation.box(bounds=[[x0, y0, z0], [x1, y1, z1]])
    return mesh


def _wall_intervals(wall: Wall) -> list[tuple[float, float]]:
    """Solid pieces of a wall between its gaps, along the wall."""
    pieces = []
    cursor = wall.start_m
    for gap in sorted(wall.gaps, key=lambda g: g.centre_m):
        g0, g1 = gap.span_m
        if g0 < cursor - 1e-9 or g1 > wall.end_m + 1e-9:
            raise ValueError(
                f"wall {wall.name!r}: gap {gap.key!r} at {g0:g}..{g1:g} m overlaps another gap "
                + f"or leaves the wall {wall.start_m:g}..{wall.end_m:g} m"
            )
        if g0 > cursor + 1e-9:
            pieces.append((cursor, g0))
        cursor = g1
    if wall.end_m > cursor + 1e-9:
        pieces.append((cursor, wall.end_m))
    return pieces


def _wall_box(wall: Wall, a: float, b: float, z0: float, z1: float) -> trimesh.Trimesh:
    h = wall.thickness_m / 2
    if wall.axis == "x":
        return _box(a, wall.at_m - h, z0, b, wall.at_m + h, z1)
    return _box(wall.at_m - h, a, z0, wall.at_m + h, b, z1)


def _rect_minus_holes(outer: Rect, holes: Sequence[Rect]) -> list[Rect]:
    """Cover ``outer`` minus axis-aligned ``holes`` with rectangles (strips merged along x)."""
    xs = sorted({outer[0], outer[2], *(h[0] for h in holes), *(h[2] for h in holes)})
    ys = sorted({outer[1], outer[3], *(h[1] for h in holes), *(h[3] for h in holes)})
    out: list[Rect] = []
    for y0, y1 in itertools.pairwise(ys):
        run: list[float] | None = None
        for x0, x1 in itertools.pairwise(xs):
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            if any(h[0] < cx < h[2] and h[1] < cy < h[3] for h in holes):
                if run is not None:
                    out.append((run[0], y0, run[1], y1))
                    run = None
            elif run is None:
                run = [x0, x1]
            else:
                run[1] = x1
        if run is not None:
            out.append((run[0], y0, run[1], y1))
    return out


def _prism(
    profile: NDArray[np.float64], width_m: float
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Sweep a counter-clockwise polygon ``profile`` (k, 2), star-shaped from vertex 0.

    The profile lies in the (u, v) plane and is swept by ``width_m`` along w. Returns vertices
    (2k, 3) in (u, v, w) and faces (n, 3) with outward normals in the right-handed (u, v, w) frame.
    """
    k = len(profile)
    u, v = profile[:, 0], profile[:, 1]
    if float(np.sum(u * np.roll(v, -1) - np.roll(u, -1) * v)) <= 0:
        raise ValueError("profile must be counter-clockwise")
    front = np.column_stack([u, v, np.zeros(k)])
    back = np.column_stack([u, v, np.full(k, width_m)])
    faces = []
    for i in range(1, k - 1):
        faces.append((0, i + 1, i))  # the w = 0 face looks along -w
        faces.append((k, k + i, k + i + 1))
    for i in range(k):
        j = (i + 1) % k
        faces += [(i, j, k + j), (i, k + j, k + i)]
    return np.vstack([front, back]), np.asarray(faces, dtype=np.int64)


def _flight_mesh(flight: Flight, rise_m: float, elevation_m: float) -> trimesh.Trimesh:
    """Build the stepped solid of a straight flight (closed, outward normals)."""
    run_m = abs(flight.top_x_m - flight.bottom_x_m)
    n_risers = math.ceil(rise_m / RISER_MAX_M - 1e-9)
    riser_m = rise_m / n_risers
    going_m = run_m / (n_risers - 1)  # the last riser climbs onto the upper slab at the hole edge
    # Profile in (s, z), s from the bottom of the flight, counter-clockwise from the far bottom
    # corner, from which the staircase polygon is star-shaped (so a triangle fan fills it).
    pts = [(run_m, 0.0), (run_m, (n_risers - 1) * riser_m)]
    for i in range(n_risers - 2, -1, -1):
        pts += [(i * going_m, (i + 1) * riser_m), (i * going_m, i * riser_m)]
    verts, faces = _prism(np.asarray(pts, dtype=np.float64), flight.y1_m - flight.y0_m)
    direction = 1.0 if flight.top_x_m > flight.bottom_x_m else -1.0
    xyz = np.column_stack(
        [
            flight.bottom_x_m + direction * verts[:, 0],
            flight.y0_m + verts[:, 2],
            elevation_m + verts[:, 1],
        ]
    )
    # (s, z, w) -> (x, y, z) has determinant -direction: a mirror image when direction = +1.
    if direction > 0:
        faces = faces[:, ::-1]
    return trimesh.Trimesh(vertices=xyz, faces=faces, process=False)


def _guard_rails(f: Flight, elevation_m: float) -> list[trimesh.Trimesh]:
    """Rails on the upper slab along the open long side and the bottom end of a stairwell.

    The top end stays open: that is where people step off the flight.
    """
    z0, z1 = elevation_m, elevation_m + GUARD_HEIGHT_M
    x_lo, x_hi = min(f.bottom_x_m, f.top_x_m), max(f.bottom_x_m, f.top_x_m)
    side = _box(x_lo, f.y0_m - GUARD_M, z0, x_hi, f.y0_m, z1)
    if f.bottom_x_m > f.top_x_m:
        end = _box(f.bottom_x_m, f.y0_m - GUARD_M, z0, f.bottom_x_m + GUARD_M, f.y1_m, z1)
    else:
        end = _box(f.bottom_x_m - GUARD_M, f.y0_m - GUARD_M, z0, f.bottom_x_m, f.y1_m, z1)
    return [side, end]


def _block_mesh(blk: Block, elevation_m: float) -> trimesh.Trimesh:
    (cx, cy), (dx, dy) = blk.centre_m, blk.size_m
    if blk.is_cylinder:
        mesh: trimesh.Trimesh = trimesh.creation.cylinder(
            radius=dx / 2, height=blk.height_m, sections=32
        )
        mesh.apply_translation([cx, cy, elevation_m + blk.height_m / 2])
        return mesh
    top = elevation_m + blk.height_m
    return _box(cx - dx / 2, cy - dy / 2, elevation_m, cx + dx / 2, cy + dy / 2, top)


def building_parts(b: BuildingDef) -> dict[str, trimesh.Trimesh]:
    """Draw a building as named closed solids (building-local m, z up), in drawing order.

    Parameters
    ----------
    b : BuildingDef
        The building.

    Returns
    -------
    dict of str to trimesh.Trimesh
        Parts ``slab_<level>`` (or ``slab_<level>_<k>`` round stair holes),
        ``wall_<name>_<level>_<k>``, ``lintel_<name>_<level>_<k>``, ``stair_<key>``,
        ``stair_<key>_guard_<k>`` and one part per interior block, each a closed solid; they
        become the node names of the GLB file.

    Raises
    ------
    ValueError
        If two parts get the same name or a wall gap leaves its wall.
    """
    parts: list[tuple[str, trimesh.Trimesh]] = []
    for index, lv in enumerate(b.levels):
        z = lv.elevation_m
        holes = [
            (min(f.bottom_x_m, f.top_x_m), f.y0_m, max(f.bottom_x_m, f.top_x_m), f.y1_m)
            for f in b.flights
            if f.upper == lv.key
        ]
        slabs = _rect_minus_holes((0.0, 0.0, *b.size_m), holes)
        for k, (x0, y0, x1, y1) in enumerate(slabs, start=1):
            name = f"slab_{lv.key}" if len(slabs) == 1 else f"slab_{lv.key}_{k}"
            parts.append((name, _box(x0, y0, z - SLAB_M, x1, y1, z)))
        top_m = b.wall_top_m(index)
        for wall in b.walls.get(lv.key, ()):
            for k, (a, c) in enumerate(_wall_intervals(wall), start=1):
                parts.append((f"wall_{wall.name}_{lv.key}_{k}", _wall_box(wall, a, c, z, top_m)))
            for k, gap in enumerate(sorted(wall.gaps, key=lambda g: g.centre_m), start=1):
                if z + gap.head_m < top_m - 1e-9:
                    lintel = _wall_box(wall, *gap.span_m, z + gap.head_m, top_m)
                    parts.append((f"lintel_{wall.name}_{lv.key}_{k}", lintel))
        for f in b.flights:
            if f.lower == lv.key:
                upper = next(u for u in b.levels if u.key == f.upper)
                parts.append((f"stair_{f.key}", _flight_mesh(f, upper.elevation_m - z, z)))
            if f.upper == lv.key:
                rails = _guard_rails(f, z)
                parts += [(f"stair_{f.key}_guard_{k}", m) for k, m in enumerate(rails, start=1)]
        parts += [(blk.name, _block_mesh(blk, z)) for blk in b.blocks if blk.level == lv.key]
    names = [n for n, _ in parts]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"building {b.id!r}: duplicate part names {dupes}")
    return dict(parts)


def _wall_segment(wall: Wall, a: float, c: float, ox: float, oy: float) -> tuple[Point2, Point2]:
    """End points of the piece ``a..c`` (along the wall) of a wall's centre line, offset."""
    if wall.axis == "x":
        return ((a + ox, wall.at_m + oy), (c + ox, wall.at_m + oy))
    return ((wall.at_m + ox, a + oy), (wall.at_m + ox, c + oy))


def _gap_segment(wall: Wall, gap: Gap, ox: float, oy: float) -> tuple[Point2, Point2]:
    return _wall_segment(wall, *gap.span_m, ox, oy)


def _opening_id(b: BuildingDef, level: str, gap: Gap) -> str:
    return f"{b.id}_{level}_{gap.key}"


def building_spec(b: BuildingDef) -> BuildingSpec:
    """Describe a building for the site file, in site coordinates.

    Parameters
    ----------
    b : BuildingDef
        The building.

    Returns
    -------
    BuildingSpec
        The mesh (Y-up) or the plan of each level, levels, rooms, doors, exits and stairs; ids are
        prefixed by the building and level ids so they are unique on the site.
    """
    ox, oy = b.origin_m
    doors: list[OpeningSpec] = []
    exits: list[OpeningSpec] = []
    for lv in b.levels:
        for wall in b.walls.get(lv.key, ()):
            for gap in sorted(wall.gaps, key=lambda g: g.centre_m):
                segment = _gap_segment(wall, gap, ox, oy)
                spec = OpeningSpec(id=_opening_id(b, lv.key, gap), level=lv.key, segment_m=segment)
                (exits if gap.is_exit else doors).append(spec)
    rooms = [
        RoomSpec(
            id=f"{b.id}_{r.level}_{r.key}",
            level=r.level,
            name=r.name,
            polygon_m=[(x + ox, y + oy) for x, y in r.polygon_m],
            occupancy=dict(r.occupancy),
        )
        for r in b.rooms
    ]
    stairs = [
        StairSpec(
            id=f"{b.id}_stair_{f.key}",
            lower_level=f.lower,
            upper_level=f.upper,
            bottom_m=((f.bottom_x_m + ox, f.y0_m + oy), (f.bottom_x_m + ox, f.y1_m + oy)),
            top_m=((f.top_x_m + ox, f.y0_m + oy), (f.top_x_m + ox, f.y1_m + oy)),
            width_m=f.y1_m - f.y0_m,
            length_m=abs(f.top_x_m - f.bottom_x_m),
        )
        for f in b.flights
    ]
    is_mesh = b.drawn_as == "mesh"
    return BuildingSpec(
        id=b.id,
        name=b.name,
        use=b.use,
        mesh=MeshRef(file=b.mesh_file, units="m", up_axis="y", offset_m=(ox, oy, 0.0))
        if is_mesh
        else None,
        levels=[
            LevelSpec(
                id=v.key,
                elevation_m=v.elevation_m,
                height_m=v.height_m,
                plan=None
                if is_mesh
                else PlanRef(
                    file=b.plan_file(v.key),
                    units="m",
                    offset_m=(ox, oy),
                    wall_thickness_m=PLAN_WALL_M,
                ),
            )
            for v in b.levels
        ],
        rooms=rooms,
        doors=doors,
        exits=exits,
        stairs=stairs,
        is_shelter=b.is_shelter,
        air_changes_per_h=b.air_changes_per_h,
    )


# --- DXF floor plans ------------------------------------------------------------------------

#: Plan layers (geometry.dxf_io) and their AutoCAD colour index, for whoever opens the drawing.
PLAN_LAYER_COLOURS = {"FLOOR": 8, "WALLS": 7, "DOORS": 3, "EXITS": 1, "ROOMS": 5, "OBSTACLES": 6}
PLAN_TEXT_HEIGHT_M = 0.25
PLAN_LABEL_OFFSET_M = 0.4  # door and exit ids sit this far to the side of their segment


@contextlib.contextmanager
def _fixed_dxf_metadata() -> Iterator[None]:
    """Let ezdxf write fixed dates, GUIDs and version marker, so a drawing is byte-stable."""
    options = ezdxf.options  # type: ignore[attr-defined]  # documented, though not re-exported
    before = options.write_fixed_meta_data_for_testing
    options.write_fixed_meta_data_for_testing = True
    try:
        yield
    finally:
        options.write_fixed_meta_data_for_testing = before


def _add_label(
    doc: Drawing,
    text: str,
    layer: str,
    at_m: Point2,
    align: TextEntityAlignment = TextEntityAlignment.MIDDLE_CENTER,
) -> None:
    label = doc.modelspace().add_text(text, height=PLAN_TEXT_HEIGHT_M, dxfattribs={"layer": layer})
    label.set_placement(at_m, align=align)  # the insertion point is at_m whatever the alignment


def _plan_drawing(b: BuildingDef, level: str) -> Drawing:
    """Draw one level of a building as a DXF floor plan, building-local metres."""
    doc = new_dxf("R2000", units=6)  # $INSUNITS 6: metres
    for name, colour in PLAN_LAYER_COLOURS.items():
        doc.layers.add(name, color=colour)
    msp = doc.modelspace()
    msp.add_lwpolyline(_rect(0.0, 0.0, *b.size_m), close=True, dxfattribs={"layer": "FLOOR"})
    for wall in b.walls.get(level, ()):
        for a, c in _wall_intervals(wall):
            msp.add_line(*_wall_segment(wall, a, c, 0.0, 0.0), dxfattribs={"layer": "WALLS"})
    for wall in b.walls.get(level, ()):
        for gap in sorted(wall.gaps, key=lambda g: g.centre_m):
            (x0, y0), (x1, y1) = _gap_segment(wall, gap, 0.0, 0.0)
            layer = "EXITS" if gap.is_exit else "DOORS"
            msp.add_line((x0, y0), (x1, y1), dxfattribs={"layer": layer})
            # beside the segment: above a wall along x, to the east of (and reading away from)
            # a wall along y
            if wall.axis == "x":
                at, align = (
                    ((x0 + x1) / 2, y0 + PLAN_LABEL_OFFSET_M),
                    TextEntityAlignment.MIDDLE_CENTER,
                )
            else:
                at, align = (
                    (x0 + PLAN_LABEL_OFFSET_M, (y0 + y1) / 2),
                    TextEntityAlignment.MIDDLE_LEFT,
                )
            _add_label(doc, _opening_id(b, level, gap), layer, at, align)
    for room in (r for r in b.rooms if r.level == level):
        msp.add_lwpolyline(room.polygon_m, close=True, dxfattribs={"layer": "ROOMS"})
        xy = np.asarray(room.polygon_m, dtype=np.float64)
        _add_label(doc, room.name, "ROOMS", (float(xy[:, 0].mean()), float(xy[:, 1].mean())))
    for blk in (k for k in b.blocks if k.level == level):
        (cx, cy), (dx, dy) = blk.centre_m, blk.size_m
        outline = _rect(cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2)
        msp.add_lwpolyline(outline, close=True, dxfattribs={"layer": "OBSTACLES"})
    return doc


def building_plan_dxf(b: BuildingDef, level: str) -> bytes:
    """Write one level of a building as a DXF floor plan (R2000, building-local metres).

    Parameters
    ----------
    b : BuildingDef
        The building; its walls, rooms and rectangular blocks on ``level`` are drawn, with the
        layer conventions of the module docstring.
    level : str
        Level key.

    Returns
    -------
    bytes
        The DXF file, identical on every run (fixed metadata, handles in drawing order).

    Raises
    ------
    ValueError
        If ``level`` is not a level of ``b``, or a block on it is a cylinder (not drawn in plans).
    """
    if level not in {lv.key for lv in b.levels}:
        raise ValueError(f"building {b.id!r}: level = {level!r} is not one of its levels")
    round_blocks = [k.name for k in b.blocks if k.level == level and k.is_cylinder]
    if round_blocks:
        raise ValueError(
            f"building {b.id!r}: blocks {round_blocks} are cylinders; plans draw boxes"
        )
    with _fixed_dxf_metadata():
        doc = _plan_drawing(b, level)
        stream = io.StringIO()
        doc.write(stream)
        return doc.encode(stream.getvalue())


# --- building layouts -----------------------------------------------------------------------


def _exterior_walls(
    width_m: float, depth_m: float, gaps: Mapping[str, Sequence[Gap]]
) -> list[Wall]:
    """Build the four exterior walls: south and north full length, west and east between them."""
    t = EXTERIOR_WALL_M
    return [
        Wall("ext_south", "x", t / 2, 0.0, width_m, t, tuple(gaps.get("south", ()))),
        Wall("ext_north", "x", depth_m - t / 2, 0.0, width_m, t, tuple(gaps.get("north", ()))),
        Wall("ext_west", "y", t / 2, t, depth_m - t, t, tuple(gaps.get("west", ()))),
        Wall("ext_east", "y", width_m - t / 2, t, depth_m - t, t, tuple(gaps.get("east", ()))),
    ]


def _exit(key: str, centre_m: float, width_m: float, head_m: float = DOOR_HEAD_M) -> Gap:
    return Gap(key, centre_m, width_m, is_exit=True, head_m=head_m)


@dataclass(frozen=True)
class Bay:
    """A room on one side of a corridor, between partition centre lines ``x0_m`` and ``x1_m``."""

    key: str
    name: str
    x0_m: float
    x1_m: float
    door_x_m: float
    occupancy: Mapping[str, int]
    door_width_m: float = 1.0


@dataclass(frozen=True)
class CorridorFloor:
    """One level of a corridor building: rooms south and north of a corridor along x."""

    south: tuple[Bay, ...]
    north: tuple[Bay, ...]
    corridor_occupancy: Mapping[str, int]
    exits: Mapping[str, Sequence[Gap]] = field(default_factory=dict)


def corridor_building(
    *,
    id: str,
    name: str,
    use: Use,
    origin_m: Point2,
    size_m: Point2,
    levels: tuple[Level, ...],
    corridor_y_m: Point2,
    floors: Mapping[str, CorridorFloor],
    stairs: Sequence[tuple[str, float, float, float]],
    is_shelter: bool = False,
    air_changes_per_h: float = 0.5,
) -> BuildingDef:
    """Lay out a building with a corridor along x, rooms either side and stairs in the corridor.

    ``stairs`` holds ``(key, bottom_x_m, top_x_m, width_m)``: each flight runs along the north
    side of the corridor between two consecutive levels. Partitions sit on the bay boundaries.
    """
    width_m, depth_m = size_m
    t, ti = EXTERIOR_WALL_M, INTERIOR_WALL_M
    cy0, cy1 = corridor_y_m
    walls: dict[str, tuple[Wall, ...]] = {}
    rooms: list[Room] = []
    for lv in levels:
        fl = floors[lv.key]
        lv_walls = _exterior_walls(width_m, depth_m, fl.exits)
        for side, bays, y_lo, y_hi, wall_y in (
            ("s", fl.south, t, cy0 - ti / 2, cy0),
            ("n", fl.north, cy1 + ti / 2, depth_m - t, cy1),
        ):
            doors = tuple(Gap(f"door_{bay.key}", bay.door_x_m, bay.door_width_m) for bay in bays)
            lv_walls.append(Wall(f"int_corridor_{side}", "x", wall_y, t, width_m - t, ti, doors))
            for k, bay in enumerate(bays[:-1], start=1):
                lv_walls.append(Wall(f"int_partition_{side}{k}", "y", bay.x1_m, y_lo, y_hi, ti))
            for bay in bays:
                x0 = t if bay.x0_m <= 0 else bay.x0_m + ti / 2
                x1 = width_m - t if bay.x1_m >= width_m else bay.x1_m - ti / 2
                rooms.append(
                    Room(bay.key, bay.name, lv.key, _rect(x0, y_lo, x1, y_hi), bay.occupancy)
                )
        corridor = _rect(t, cy0 + ti / 2, width_m - t, cy1 - ti / 2)
        rooms.append(Room("corridor", "Corridor", lv.key, corridor, fl.corridor_occupancy))
        walls[lv.key] = tuple(lv_walls)
    flights = []
    for lower, upper in itertools.pairwise(levels):
        for key, bottom_x, top_x, width in stairs:
            y1 = cy1 - ti / 2
            flight_key = key if len(levels) == 2 else f"{key}{lower.key}"
            flights.append(
                Flight(flight_key, lower.key, upper.key, bottom_x, top_x, y1 - width, y1)
            )
    return BuildingDef(
        id=id,
        name=name,
        use=use,
        origin_m=origin_m,
        size_m=size_m,
        levels=levels,
        walls=walls,
        rooms=tuple(rooms),
        flights=tuple(flights),
        is_shelter=is_shelter,
        air_changes_per_h=air_changes_per_h,
    )


def lng_control_building() -> BuildingDef:
    """Lay out the control building: 40 m x 20 m, two storeys, two stairs, three exits."""
    l0 = CorridorFloor(
        south=(
            Bay("rack_room", "Equipment and marshalling room", 0, 14, 7.0, _occ(0, 0), 1.2),
            Bay("control_room", "Central control room", 14, 28, 21.0, _occ(8, 6), 1.2),
            Bay("shift_office", "Shift supervisor office", 28, 40, 34.0, _occ(4, 2)),
        ),
        north=(
            Bay("mess_room", "Mess room", 0, 10, 9.2, _occ(6, 2)),
            Bay("lobby", "Entrance lobby", 10, 18, 14.0, _occ(2, 1), 1.6),
            Bay("ups_room", "UPS and battery room", 18, 30, 24.0, _occ(0, 0)),
            Bay("lockers", "Locker room", 30, 40, 31.0, _occ(2, 0)),
        ),
        corridor_occupancy=_occ(2, 1),
        exits={
            "west": [_exit("exit_west", 9.4, 1.6)],
            "east": [_exit("exit_east", 9.4, 1.6)],
            "north": [_exit("exit_main", 14.0, 2.0)],
        },
    )
    l1 = CorridorFloor(
        south=(
            Bay("engineering", "Engineering office", 0, 14, 7.0, _occ(20, 0), 1.2),
            Bay("meeting", "Meeting room", 14, 24, 19.0, _occ(10, 0)),
            Bay("offices_south", "Operations offices", 24, 40, 30.0, _occ(25, 0), 1.2),
        ),
        north=(
            Bay("offices_north", "Maintenance offices", 0, 20, 12.0, _occ(20, 0), 1.2),
            Bay("instrument_shop", "Instrument workshop", 20, 30, 25.0, _occ(6, 1)),
            Bay("archive", "Archive", 30, 40, 31.0, _occ(1, 0)),
        ),
        corridor_occupancy=_occ(2, 0),
    )
    return corridor_building(
        id="control",
        name="Control building",
        use="control",
        origin_m=(300.0, 170.0),
        size_m=(40.0, 20.0),
        levels=(Level("L0", 0.0, 4.0), Level("L1", 4.0, 4.0)),
        corridor_y_m=(8.0, 12.0),
        floors={"L0": l0, "L1": l1},
        stairs=[("A", 8.0, 2.0, 1.5), ("B", 32.0, 38.0, 1.5)],
        air_changes_per_h=0.3,
    )


def lng_admin_building() -> BuildingDef:
    """Lay out the administration building: 50 m x 16 m, two storeys, two stairs, two exits."""
    l0 = CorridorFloor(
        south=(
            Bay("reception", "Reception and security", 0, 10, 5.0, _occ(3, 1)),
            Bay("open_office_south", "Open-plan office", 10, 30, 20.0, _occ(30, 0), 1.2),
            Bay("meeting", "Meeting room", 30, 38, 34.0, _occ(6, 0)),
            Bay("first_aid", "First-aid room", 38, 50, 44.0, _occ(1, 0)),
        ),
        north=(
            Bay("canteen", "Canteen", 0, 20, 12.0, _occ(20, 0), 1.6),
            Bay("kitchen", "Kitchen", 20, 28, 24.0, _occ(3, 0)),
            Bay("open_office_north", "Open-plan office", 28, 50, 36.0, _occ(30, 0), 1.2),
        ),
        corridor_occupancy=_occ(2, 0),
        exits={"west": [_exit("exit_west", 7.3, 1.8)], "east": [_exit("exit_east", 7.3, 1.8)]},
    )
    l1 = CorridorFloor(
        south=(
            Bay("offices_1", "Offices", 0, 16, 10.0, _occ(18, 0)),
            Bay("offices_2", "Offices", 16, 32, 24.0, _occ(18, 0)),
            Bay("offices_3", "Offices", 32, 50, 40.0, _occ(20, 0)),
        ),
        north=(
            Bay("training", "Training room", 0, 18, 12.0, _occ(12, 0), 1.2),
            Bay("meeting", "Meeting room", 18, 30, 24.0, _occ(8, 0)),
            Bay("offices_4", "Offices", 30, 50, 36.0, _occ(22, 0)),
        ),
        corridor_occupancy=_occ(2, 0),
    )
    return corridor_building(
        id="admin",
        name="Administration building",
        use="office",
        origin_m=(80.0, 100.0),
        size_m=(50.0, 16.0),
        levels=(Level("L0", 0.0, 3.6), Level("L1", 3.6, 3.6)),
        corridor_y_m=(6.2, 9.8),
        floors={"L0": l0, "L1": l1},
        stairs=[("A", 8.0, 2.5, 1.4), ("B", 42.0, 47.5, 1.4)],
        is_shelter=True,
        air_changes_per_h=0.4,
    )


def lng_workshop() -> BuildingDef:
    """Lay out the workshop: 40 m x 24 m, one storey, a hall with machines and a store."""
    w, d = 40.0, 24.0
    t, ti = EXTERIOR_WALL_M, INTERIOR_WALL_M
    exits = {
        "south": [_exit("exit_roller_door", 12.5, 5.0, head_m=4.5)],
        "north": [_exit("exit_north", 25.6, 1.2)],
    }
    store_door = Gap("door_store", 12.0, 2.0, head_m=2.5)
    walls = [
        *_exterior_walls(w, d, exits),
        Wall("int_store", "y", 30.0, t, d - t, ti, (store_door,)),
    ]
    rooms = (
        Room("hall", "Workshop hall", "L0", _rect(t, t, 30.0 - ti / 2, d - t), _occ(25, 2)),
        Room("store", "Spares store", "L0", _rect(30.0 + ti / 2, t, w - t, d - t), _occ(3, 0)),
    )
    blocks = tuple(
        Block(f"machine_{k}", "L0", (x, 16.0), (2.5, 1.5), 1.6)
        for k, x in enumerate((8.0, 15.0, 22.0), start=1)
    )
    return BuildingDef(
        id="workshop",
        name="Maintenance workshop",
        use="workshop",
        origin_m=(170.0, 100.0),
        size_m=(w, d),
        levels=(Level("L0", 0.0, 7.0),),
        walls={"L0": tuple(walls)},
        rooms=rooms,
        blocks=blocks,
    )


def lng_gatehouse() -> BuildingDef:
    """Lay out the gatehouse at the main gate: 8 m x 5 m, two exits."""
    w, d = 8.0, 5.0
    t, ti = EXTERIOR_WALL_M, INTERIOR_WALL_M
    exits = {
        "west": [_exit("exit_gate_side", 2.5, 1.0)],
        "north": [_exit("exit_site_side", 3.0, 1.0)],
    }
    wc_door = Gap("door_wc", 2.5, 0.8)
    walls = [*_exterior_walls(w, d, exits), Wall("int_wc", "y", 6.0, t, d - t, ti, (wc_door,))]
    rooms = (
        Room("gate_office", "Gate office", "L0", _rect(t, t, 6.0 - ti / 2, d - t), _occ(3, 2)),
        Room("wc", "WC", "L0", _rect(6.0 + ti / 2, t, w - t, d - t), _occ(0, 0)),
    )
    return BuildingDef(
        id="gatehouse",
        name="Gatehouse",
        use="gatehouse",
        origin_m=(156.0, 6.0),
        size_m=(w, d),
        levels=(Level("L0", 0.0, 3.0),),
        walls={"L0": tuple(walls)},
        rooms=rooms,
    )


def ammonia_warehouse() -> BuildingDef:
    """Lay out the cold store: 120 m x 80 m x 12 m, pallet racks, dock, office, six exits."""
    w, d = 120.0, 80.0
    t, ti = EXTERIOR_WALL_M, INTERIOR_WALL_M
    exits = {
        "south": [
            _exit("exit_south_1", 20.6, 1.2),
            _exit("exit_dock", 60.0, 4.0, head_m=5.0),
            _exit("exit_south_2", 100.6, 1.2),
        ],
        "west": [_exit("exit_west", 38.6, 1.2)],
        "east": [_exit("exit_east", 38.6, 1.2)],
        "north": [_exit("exit_north", 58.6, 1.2)],
    }
    walls = [
        *_exterior_walls(w, d, exits),
        Wall("int_office_north", "x", 8.0, t, 12.0 + ti / 2, ti),
        Wall("int_office_east", "y", 12.0, t, 8.0 - ti / 2, ti, (Gap("door_office", 4.0, 1.0),)),
    ]
    office = _rect(t, t, 12.0 - ti / 2, 8.0 - ti / 2)
    x_o, y_o = 12.0 + ti / 2, 8.0 + ti / 2
    hall = [(x_o, t), (w - t, t), (w - t, d - t), (t, d - t), (t, y_o), (x_o, y_o)]
    rooms = (
        Room("dispatch_office", "Dispatch office", "L0", office, _occ(6, 2)),
        Room("cold_store", "Cold store hall", "L0", hall, _occ(40, 12)),
    )
    # Double-deep pallet racks 2.6 m deep and 10 m high, 16 rows on a 6 m pitch (3.4 m aisles),
    # split by a 4 m cross aisle; the dock strip (y < 18 m) and the perimeter aisles stay clear.
    blocks = []
    for row in range(16):
        x_centre = 14.0 + 6.0 * row + 1.3
        for part, (y0, y1) in enumerate(((18.0, 46.0), (50.0, 72.0)), start=1):
            centre, size = (x_centre, (y0 + y1) / 2), (2.6, y1 - y0)
            blocks.append(Block(f"rack_{row + 1:02d}_{part}", "L0", centre, size, 10.0))
    return BuildingDef(
        id="warehouse",
        name="Cold store",
        use="warehouse",
        origin_m=(120.0, 50.0),
        size_m=(w, d),
        levels=(Level("L0", 0.0, 12.0),),
        walls={"L0": tuple(walls)},
        rooms=rooms,
        blocks=tuple(blocks),
        air_changes_per_h=0.2,
    )


@dataclass(frozen=True)
class PlantItem:
    """A piece of refrigeration plant in the machine room (local position, m)."""

    id: str
    kind: Literal["process_vessel", "compressor", "pump"]
    name: str
    centre_m: Point2
    size_m: Point2
    height_m: float
    is_cylinder: bool


MACHINE_ROOM_ORIGIN_M = (130.0, 150.0)
MACHINE_ROOM_PLANT = (
    PlantItem("R-1", "process_vessel", "HP receiver 1", (8.0, 11.0), (1.4, 1.4), 4.0, True),
    PlantItem("R-2", "process_vessel", "HP receiver 2", (11.0, 11.0), (1.4, 1.4), 4.0, True),
    PlantItem("R-3", "process_vessel", "LP pump receiver", (17.0, 11.0), (2.0, 2.0), 5.0, True),
    PlantItem("K-1", "compressor", "Screw compressor 1", (9.0, 4.0), (4.0, 1.5), 2.0, False),
    PlantItem("K-2", "compressor", "Screw compressor 2", (15.0, 4.0), (4.0, 1.5), 2.0, False),
    PlantItem("K-3", "compressor", "Screw compressor 3", (21.0, 4.0), (4.0, 1.5), 2.0, False),
    PlantItem("P-1", "pump", "Ammonia pump 1", (20.0, 11.0), (1.2, 0.8), 1.0, False),
    PlantItem("P-2", "pump", "Ammonia pump 2", (22.0, 11.0), (1.2, 0.8), 1.0, False),
)


def ammonia_machine_room() -> BuildingDef:
    """Lay out the machine room: 30 m x 15 m x 6 m, its plant as interior solids, three exits."""
    w, d = 30.0, 15.0
    t, ti = EXTERIOR_WALL_M, INTERIOR_WALL_M
    exits = {
        "west": [_exit("exit_west", 6.6, 1.2)],
        "south": [_exit("exit_south", 12.6, 1.2)],
        "east": [_exit("exit_east", 7.6, 1.2)],
    }
    door = Gap("door_electrical", 11.0, 1.0)
    walls = [
        *_exterior_walls(w, d, exits),
        Wall("int_electrical", "y", 24.0, t, d - t, ti, (door,)),
    ]
    rooms = (
        Room(
            "machine_hall", "Compressor hall", "L0", _rect(t, t, 24.0 - ti / 2, d - t), _occ(2, 1)
        ),
        Room("electrical_room", "Electrical room", "L0", _rect(24.1, t, w - t, d - t), _occ(0, 0)),
    )
    blocks = tuple(
        Block(f"equip_{it.id}", "L0", it.centre_m, it.size_m, it.height_m, it.is_cylinder)
        for it in MACHINE_ROOM_PLANT
    )
    return BuildingDef(
        id="machine_room",
        name="Refrigeration machine room",
        use="machine_room",
        origin_m=MACHINE_ROOM_ORIGIN_M,
        size_m=(w, d),
        levels=(Level("L0", 0.0, 6.0),),
        walls={"L0": tuple(walls)},
        rooms=rooms,
        blocks=blocks,
        air_changes_per_h=4.0,
    )


def ammonia_offices() -> BuildingDef:
    """Lay out the office block: 30 m x 12 m, two storeys, one stair, two exits."""
    l0 = CorridorFloor(
        south=(
            Bay("reception", "Reception", 0, 12, 9.0, _occ(2, 0)),
            Bay("offices", "Offices", 12, 30, 20.0, _occ(14, 0)),
        ),
        north=(
            Bay("canteen", "Canteen", 0, 18, 12.0, _occ(10, 0), 1.2),
            Bay("lockers", "Locker room", 18, 30, 22.0, _occ(3, 0)),
        ),
        corridor_occupancy=_occ(1, 0),
        exits={"west": [_exit("exit_west", 5.2, 1.6)], "east": [_exit("exit_east", 5.2, 1.6)]},
    )
    l1 = CorridorFloor(
        south=(
            Bay("offices_south", "Offices", 0, 15, 10.0, _occ(12, 0)),
            Bay("meeting", "Meeting room", 15, 30, 20.0, _occ(6, 0)),
        ),
        north=(
            Bay("offices_north", "Offices", 0, 20, 12.0, _occ(10, 0)),
            Bay("archive", "Archive", 20, 30, 24.0, _occ(1, 0)),
        ),
        corridor_occupancy=_occ(1, 0),
    )
    return corridor_building(
        id="offices",
        name="Office block",
        use="office",
        origin_m=(20.0, 60.0),
        size_m=(30.0, 12.0),
        levels=(Level("L0", 0.0, 3.6), Level("L1", 3.6, 3.6)),
        corridor_y_m=(4.2, 7.8),
        floors={"L0": l0, "L1": l1},
        stairs=[("A", 8.0, 2.5, 1.3)],
    )


AMMONIA_GATEHOUSE_ORIGIN_M = (28.0, 4.0)


def ammonia_gatehouse() -> BuildingDef:
    """Lay out the gatehouse by the main gate as a DXF plan: 10 m x 6 m between wall centre lines.

    Gate office (east, its exit towards the gate lane), a rest room and a locker room with WC
    (west), a desk and a locker bank; every wall 0.2 m thick.
    """
    w, d, t = 10.0, 6.0, PLAN_WALL_M
    walls = (
        Wall("ext_south", "x", 0.0, 0.0, w, t),
        Wall("ext_east", "y", w, 0.0, d, t, (_exit("exit_gate_side", 2.6, 1.2),)),
        Wall("ext_north", "x", d, 0.0, w, t, (_exit("exit_site_side", 6.6, 1.2),)),
        Wall("ext_west", "y", 0.0, 0.0, d, t),
        Wall("int_office", "y", 4.0, 0.0, d, t, (Gap("door_office", 4.5, 1.0),)),
        Wall("int_wc", "x", 3.0, 0.0, 4.0, t, (Gap("door_wc", 1.9, 0.8),)),
    )
    h = t / 2
    rooms = (
        Room("gate_office", "Gate office", "L0", _rect(4.0 + h, h, w - h, d - h), _occ(2, 1)),
        Room("rest_room", "Rest room", "L0", _rect(h, 3.0 + h, 4.0 - h, d - h), _occ(1, 0)),
        Room("lockers", "Lockers and WC", "L0", _rect(h, h, 4.0 - h, 3.0 - h), _occ(0, 0)),
    )
    blocks = (
        Block("desk", "L0", (9.0, 4.5), (0.8, 2.0), 0.75),
        Block("locker_bank", "L0", (0.45, 1.5), (0.5, 1.8), 2.0),
    )
    return BuildingDef(
        id="gatehouse",
        name="Gatehouse",
        use="gatehouse",
        origin_m=AMMONIA_GATEHOUSE_ORIGIN_M,
        size_m=(w, d),
        levels=(Level("L0", 0.0, 3.0),),
        walls={"L0": walls},
        rooms=rooms,
        blocks=blocks,
        drawn_as="plans",
    )


# =============================================================================================
# Outdoor plant
# =============================================================================================


def _gas_detectors(
    prefix: str,
    gas: str,
    positions: Sequence[Point3],
    levels: Sequence[AlarmLevelSpec],
    response_time_s: float,
) -> list[DetectorSpec]:
    return [
        DetectorSpec(
            id=f"{prefix}{k:02d}",
            kind="gas",
            gas=gas,
            position_m=p,
            alarm_levels=list(levels),
            response_time_s=response_time_s,
        )
        for k, p in enumerate(positions, start=1)
    ]


def _pipe_rack(
    rack_id: str, name: str, start_m: Point2, end_m: Point2, columns_seen: list[Point2]
) -> list[StructureSpec]:
    """Build an elevated rack deck (6 m wide, underside at 5 m) on column pairs <= 60 m apart.

    Column pairs already placed within 5 m (``columns_seen``, updated) are shared at corners.
    """
    width_m, base_z_m, depth_m = 6.0, 5.0, 1.5
    (x0, y0), (x1, y1) = start_m, end_m
    along_x = abs(x1 - x0) >= abs(y1 - y0)
    length = abs(x1 - x0) if along_x else abs(y1 - y0)
    size = (length + width_m, width_m, depth_m) if along_x else (width_m, length + width_m, depth_m)
    deck = BoxShape(size_m=size)
    centre = ((x0 + x1) / 2, (y0 + y1) / 2, base_z_m)
    out = [StructureSpec(id=rack_id, kind="pipe_rack", name=name, position_m=centre, shape=deck)]
    n_spans = max(1, math.ceil(length / 60.0 - 1e-9))
    column = BoxShape(size_m=(0.5, 0.5, base_z_m))
    k = 0
    for i in range(n_spans + 1):
        bx, by = x0 + i / n_spans * (x1 - x0), y0 + i / n_spans * (y1 - y0)
        if any(math.hypot(bx - cx, by - cy) < 5.0 for cx, cy in columns_seen):
            continue
        columns_seen.append((bx, by))
        for side in (-1.0, 1.0):
            k += 1
            off = side * (width_m / 2 - 0.25)
            px, py = (bx, by + off) if along_x else (bx + off, by)
            out.append(
                StructureSpec(
                    id=f"{rack_id}-C{k:02d}",
                    kind="pipe_rack",
                    name=f"{name}: column",
                    position_m=(px, py, 0.0),
                    shape=column,
                )
            )
    return out


def tank_parts() -> dict[str, trimesh.Trimesh]:
    """Draw a full-containment tank: 90 m wall 40 m high, 10 m dome (local, z up, base at z = 0)."""
    radius_m, wall_m, rise_m = 45.0, 40.0, 10.0
    sphere_r = (radius_m**2 + rise_m**2) / (2 * rise_m)
    centre_z = wall_m + rise_m - sphere_r
    angles = np.linspace(math.atan2(wall_m - centre_z, radius_m), math.pi / 2, 9)
    dome = [(sphere_r * math.cos(a), centre_z + sphere_r * math.sin(a)) for a in angles]
    profile = [(0.0, 0.0), (radius_m, 0.0), *dome[:-1], (0.0, wall_m + rise_m)]
    mesh = trimesh.creation.revolve(np.asarray(profile, dtype=np.float64), sections=64)
    return {"tank_outer": mesh}


@dataclass(frozen=True)
class SiteBuild:
    """A sample site: its site file model and the files it references, by path from the site file.

    ``meshes`` hold named parts in building-local m, z up (written Y-up); ``plans`` hold DXF bytes.
    """

    site: SiteFile
    meshes: Mapping[str, Mapping[str, trimesh.Trimesh]]
    plans: Mapping[str, bytes] = field(default_factory=dict)


# =============================================================================================
# Site: LNG import terminal
# =============================================================================================

# Fence along the land boundary and the shoreline (y = 540 m), with the jetty inside.
# fmt: off
LNG_FENCE_M: list[Point2] = [
    (0.0, 0.0), (900.0, 0.0), (900.0, 540.0), (460.0, 540.0), (460.0, 565.0), (490.0, 565.0),
    (490.0, 600.0), (410.0, 600.0), (410.0, 565.0), (440.0, 565.0), (440.0, 540.0), (0.0, 540.0),
]
LNG_JETTY_ZONE_M: list[Point2] = [
    (420.0, 520.0), (480.0, 520.0), (480.0, 540.0), (460.0, 540.0), (460.0, 565.0), (490.0, 565.0),
    (490.0, 600.0), (410.0, 600.0), (410.0, 565.0), (440.0, 565.0), (440.0, 540.0), (420.0, 540.0),
]
UNLOADING_PATH_M: list[Point3] = [
    (450.0, 586.0, 3.0), (450.0, 566.0, 3.0), (450.0, 540.0, 6.0), (450.0, 460.0, 6.0),
    (560.0, 460.0, 6.0), (560.0, 427.0, 6.0), (560.0, 427.0, 48.0),
]
UNLOADING_BRANCH_PATH_M: list[Point3] = [
    (560.0, 460.0, 6.0), (720.0, 460.0, 6.0), (720.0, 427.0, 6.0), (720.0, 427.0, 48.0),
]
LP_HEADER_PATH_M: list[Point3] = [
    (720.0, 333.0, 50.0), (720.0, 333.0, 6.0), (720.0, 320.0, 6.0), (560.0, 320.0, 6.0),
    (560.0, 292.0, 6.0),
]
SENDOUT_GAS_PATH_M: list[Point3] = [
    (597.0, 218.0, 6.0), (597.0, 200.0, 6.0), (650.0, 200.0, 6.0), (650.0, 12.0, 6.0),
    (650.0, 12.0, 0.0),
]
METHANE_DETECTORS_M: list[Point3] = [
    (425.0, 572.0, 0.5), (475.0, 572.0, 0.5), (450.0, 552.0, 0.5),  # jetty head and trestle
    (456.0, 500.0, 0.5), (520.0, 466.0, 0.5),  # along the rack
    (508.0, 380.0, 1.0), (560.0, 328.0, 1.0), (640.0, 380.0, 1.0),  # round the tanks
    (772.0, 380.0, 1.0), (720.0, 328.0, 1.0),
    (578.0, 280.0, 0.5), (620.0, 278.0, 0.5), (670.0, 278.0, 0.5),  # pumps, recondenser, BOG
    (572.0, 230.0, 0.5), (597.0, 230.0, 0.5), (622.0, 230.0, 0.5),  # between vaporisers
    (740.0, 262.0, 0.5),  # impounding basin
]
FLAME_DETECTORS_M: list[Point3] = [
    (450.0, 598.0, 6.0), (600.0, 300.0, 6.0), (640.0, 205.0, 6.0), (640.0, 420.0, 6.0),
]
# fmt: on


def _equipment_item(
    id: str,
    kind: str,
    name: str,
    *,
    fluid: str,
    inventory_kg: float,
    pressure_pa: float,
    temperature_k: float,
    position_m: Point3,
    shape: CylinderShape | BoxShape | PipeShape,
    valves: Sequence[tuple[str, Point3, float]] = (),
    composition: Mapping[str, float] | None = None,
    mesh: MeshRef | None = None,
    is_obstacle: bool = True,
) -> EquipmentSpec:
    """Build an equipment item and its ESD valves, each ``(id, position_m, closure_time_s)``."""
    return EquipmentSpec.model_validate(
        {
            "id": id,
            "kind": kind,
            "name": name,
            "fluid": fluid,
            "composition": None if composition is None else dict(composition),
            "inventory_kg": inventory_kg,
            "pressure_pa": pressure_pa,
            "temperature_k": temperature_k,
            "position_m": position_m,
            "shape": shape,
            "mesh": mesh,
            "is_obstacle": is_obstacle,
            "valves": [ValveSpec(id=v, position_m=p, closure_time_s=s) for v, p, s in valves],
        }
    )


def _lng_item(
    id: str, kind: str, name: str, *, is_gas: bool = False, **fields: Any
) -> EquipmentSpec:
    """Build an LNG (or, with ``is_gas``, boil-off methane) equipment item and its ESD valves."""
    return _equipment_item(
        id,
        kind,
        name,
        fluid="methane",
        composition=None if is_gas else LNG_COMPOSITION,
        is_obstacle=fields["shape"].type != "pipe",  # pipes run overhead on racks and trestles
        **fields,
    )


def _lng_pipe(
    id: str,
    name: str,
    path: Sequence[Point3],
    *,
    diameter_m: float,
    density_kg_m3: float,
    pressure_pa: float,
    temperature_k: float,
    valves: Sequence[tuple[str, Point3, float]],
) -> EquipmentSpec:
    volume_m3 = _cylinder_volume_m3(diameter_m, _polyline_length_m(path))
    return _lng_item(
        id,
        "pipe_segment",
        name,
        inventory_kg=volume_m3 * density_kg_m3,
        pressure_pa=pressure_pa,
        temperature_k=temperature_k,
        position_m=path[0],
        shape=PipeShape(path_m=list(path), diameter_m=diameter_m),
        valves=valves,
    )


def lng_equipment() -> list[EquipmentSpec]:
    """List the terminal's hazardous equipment: tanks, lines, arms, pumps, vaporisers, flare."""
    rho = LNG_DENSITY_KG_M3
    tank_kg = LNG_TANK_NET_VOLUME_M3 * LNG_TANK_FILL * rho
    out = []
    for k, (x, y) in enumerate(((560.0, 380.0), (720.0, 380.0)), start=1):
        out.append(
            _lng_item(
                f"T-{k}",
                "storage_tank",
                f"LNG tank {k} (160,000 m3 full containment)",
                inventory_kg=tank_kg,
                pressure_pa=0.115e6,
                temperature_k=LNG_TEMPERATURE_K,
                position_m=(x, y, 0.0),
                shape=CylinderShape(diameter_m=90.0, height_m=50.0),  # outer concrete envelope
                mesh=MeshRef(file="meshes/lng_tank.glb", up_axis="y", offset_m=(x, y, 0.0)),
                valves=[(f"XV-T{k}-OUT", (x, y - 46.0, 50.0), 25.0)],
            )
        )
    t_lng = LNG_TEMPERATURE_K
    gas_kg_m3 = _gas_density_kg_m3(8.0e6, 278.0, _lng_molar_mass_kg_mol(), SENDOUT_GAS_Z)
    out += [
        _lng_pipe(
            "UL-1",
            "Unloading line, jetty to tank 1 (0.8 m)",
            UNLOADING_PATH_M,
            diameter_m=0.8,
            density_kg_m3=rho,
            pressure_pa=0.5e6,
            temperature_k=t_lng,
            valves=[
                ("XV-J01", (450.0, 584.0, 3.0), 20.0),
                ("XV-S01", (450.0, 536.0, 6.0), 25.0),
                ("XV-T01", (560.0, 430.0, 6.0), 30.0),
            ],
        ),
        _lng_pipe(
            "UL-2",
            "Unloading branch to tank 2 (0.8 m)",
            UNLOADING_BRANCH_PATH_M,
            diameter_m=0.8,
            density_kg_m3=rho,
            pressure_pa=0.5e6,
            temperature_k=t_lng,
            valves=[("XV-T02", (720.0, 430.0, 6.0), 30.0)],
        ),
        _lng_pipe(
            "LP-1",
            "Low-pressure send-out header, tanks to pumps (0.6 m)",
            LP_HEADER_PATH_M,
            diameter_m=0.6,
            density_kg_m3=rho,
            pressure_pa=0.8e6,
            temperature_k=112.0,
            valves=[("XV-P01", (560.0, 295.0, 6.0), 20.0)],
        ),
        _lng_pipe(
            "SG-1",
            "Send-out gas line to the export pipeline (0.6 m)",
            SENDOUT_GAS_PATH_M,
            diameter_m=0.6,
            density_kg_m3=gas_kg_m3,
            pressure_pa=8.0e6,
            temperature_k=278.0,
            valves=[("XV-E01", (650.0, 15.0, 6.0), 30.0)],
        ),
    ]
    # Loading arms on the jetty head: two 16 in liquid arms (~30 m of pipe each), a vapour return.
    arm_m3 = _cylinder_volume_m3(0.4, 30.0)
    vapour_kg_m3 = _gas_density_kg_m3(0.12e6, 130.0, MOLAR_MASS_KG_MOL["methane"])
    for k, x in enumerate((430.0, 450.0, 470.0), start=1):
        is_vapour = k == 3
        out.append(
            _lng_item(
                f"LA-{k}",
                "loading_arm",
                "Vapour return arm" if is_vapour else f"LNG unloading arm {k}",
                inventory_kg=arm_m3 * (vapour_kg_m3 if is_vapour else rho),
                pressure_pa=0.12e6 if is_vapour else 0.5e6,
                temperature_k=130.0 if is_vapour else t_lng,
                position_m=(x, 592.0, 0.0),
                shape=BoxShape(size_m=(3.0, 3.0, 18.0)),
                valves=[(f"XV-LA{k}", (x, 590.0, 2.0), 10.0)],
                is_gas=is_vapour,
            )
        )
    for k, x in enumerate((560.0, 572.0, 584.0, 596.0), start=1):
        out.append(
            _lng_item(
                f"P-{k}",
                "pump",
                f"HP send-out pump {k}",
                inventory_kg=4.0 * rho,  # 4 m3 pump can
                pressure_pa=9.0e6,
                temperature_k=115.0,
                position_m=(x, 285.0, 0.0),
                shape=BoxShape(size_m=(3.0, 3.0, 4.0)),
                valves=[(f"XV-P{k}", (x, 283.0, 1.0), 20.0)],
            )
        )
    out.append(
        _lng_item(
            "V-RC",
            "process_vessel",
            "BOG recondenser",
            inventory_kg=_cylinder_volume_m3(3.5, 14.0) * 0.4 * rho,  # 40 % liquid level
            pressure_pa=0.8e6,
            temperature_k=120.0,
            position_m=(620.0, 285.0, 0.0),
            shape=CylinderShape(diameter_m=3.5, height_m=14.0),
            valves=[("XV-RC1", (620.0, 282.5, 1.0), 20.0)],
        )
    )
    bog_kg_m3 = _gas_density_kg_m3(0.8e6, 250.0, MOLAR_MASS_KG_MOL["methane"])
    for k, x in enumerate((660.0, 680.0), start=1):
        out.append(
            _lng_item(
                f"K-{k}",
                "compressor",
                f"Boil-off gas compressor {k}",
                inventory_kg=5.0 * bog_kg_m3,  # 5 m3 of cylinders and bottles
                pressure_pa=0.8e6,
                temperature_k=250.0,
                position_m=(x, 285.0, 0.0),
                shape=BoxShape(size_m=(10.0, 6.0, 5.0)),
                valves=[(f"XV-K{k}", (x, 281.0, 1.0), 15.0)],
                is_gas=True,
            )
        )
    for k, x in enumerate((560.0, 585.0, 610.0, 635.0), start=1):
        out.append(
            _lng_item(
                f"ORV-{k}",
                "vaporiser",
                f"Open-rack vaporiser {k}",
                inventory_kg=6.0 * rho,  # 6 m3 of LNG in the panels
                pressure_pa=9.0e6,
                temperature_k=115.0,
                position_m=(x, 230.0, 0.0),
                shape=BoxShape(size_m=(8.0, 20.0, 7.0)),
                valves=[(f"XV-V{k}", (x, 241.0, 1.0), 20.0)],
            )
        )
    out.append(
        _lng_item(
            "FL-1",
            "flare",
            "Elevated flare",
            inventory_kg=50.0,  # knock-out drum and header hold-up
            pressure_pa=0.11e6,
            temperature_k=288.0,
            position_m=(860.0, 500.0, 0.0),
            shape=CylinderShape(diameter_m=2.0, height_m=60.0),
            is_gas=True,
        )
    )
    return out


def lng_structures() -> list[StructureSpec]:
    """List the jetty decks, pipe racks with their columns and the spill impounding basin."""
    out = [
        StructureSpec(
            id="jetty_trestle",
            kind="jetty",
            name="Jetty trestle (deck at site datum)",
            position_m=(450.0, 552.5, -1.0),
            shape=BoxShape(size_m=(20.0, 25.0, 1.0)),
            is_obstacle=False,
        ),
        StructureSpec(
            id="jetty_head",
            kind="jetty",
            name="Jetty head (unloading platform)",
            position_m=(450.0, 582.5, -1.0),
            shape=BoxShape(size_m=(80.0, 35.0, 1.0)),
            is_obstacle=False,
        ),
    ]
    seen: list[Point2] = []
    out += _pipe_rack("R1", "Jetty approach rack", (450.0, 540.0), (450.0, 460.0), seen)
    out += _pipe_rack("R2", "Tank farm rack", (450.0, 460.0), (720.0, 460.0), seen)
    out += _pipe_rack("R3", "Send-out rack", (720.0, 320.0), (560.0, 320.0), seen)
    out += _pipe_rack("R4", "Pump drop rack", (560.0, 320.0), (560.0, 292.0), seen)
    out += _pipe_rack("R5", "Vaporiser outlet rack", (597.0, 200.0), (650.0, 200.0), seen)
    out += _pipe_rack("R6", "Export rack", (650.0, 200.0), (650.0, 15.0), seen)
    basin = _rect(720.0, 215.0, 760.0, 255.0)
    out.append(
        StructureSpec(
            id="impoundment_basin",
            kind="bund",
            name="LNG spill impounding basin",
            shape=WallShape(path_m=[*basin, basin[0]], height_m=1.5, thickness_m=0.4),
        )
    )
    return out


def _day_and_night_shifts(day_start_h: float) -> list[ShiftSpec]:
    """Two 12-hour shifts: ``day`` from ``day_start_h`` and ``night`` from 12 hours later."""
    night_start_h = day_start_h + 12.0
    return [
        ShiftSpec(id="day", start_h=day_start_h, end_h=night_start_h),
        ShiftSpec(id="night", start_h=night_start_h, end_h=day_start_h),
    ]


def _zone(
    id: str, name: str, kind: str, polygon_m: Sequence[Point2], day: int = 0, night: int = 0
) -> ZoneSpec:
    return ZoneSpec.model_validate(
        {
            "id": id,
            "name": name,
            "kind": kind,
            "polygon_m": list(polygon_m),
            "occupancy": _occ(day, night),
        }
    )


def build_lng_terminal() -> SiteBuild:
    """Build the LNG import terminal: its site file model and meshes."""
    buildings = [lng_control_building(), lng_admin_building(), lng_workshop(), lng_gatehouse()]
    fence = FenceSpec(
        polygon_m=LNG_FENCE_M,
        gates=[
            GateSpec(id="gate_main", segment_m=((140.0, 0.0), (152.0, 0.0))),
            GateSpec(id="gate_west", segment_m=((0.0, 300.0), (0.0, 308.0))),
            GateSpec(id="gate_east_emergency", segment_m=((900.0, 120.0), (900.0, 128.0))),
        ],
    )
    lfl = [
        AlarmLevelSpec(name="low", fraction_of_lfl=0.2),
        AlarmLevelSpec(name="high", fraction_of_lfl=0.6),
    ]
    detectors = _gas_detectors("GD-", "methane", METHANE_DETECTORS_M, lfl, 10.0)
    fire = [AlarmLevelSpec(name="fire", radiation_w_m2=100.0)]
    detectors += [
        DetectorSpec(
            id=f"FD-{k:02d}", kind="flame", position_m=p, alarm_levels=fire, response_time_s=5.0
        )
        for k, p in enumerate(FLAME_DETECTORS_M, start=1)
    ]
    zones = [
        _zone("jetty", "Jetty and approach", "jetty", LNG_JETTY_ZONE_M, 15, 6),
        _zone("tank_farm", "Tank farm", "storage", _rect(500.0, 320.0, 790.0, 450.0), 10, 2),
        _zone("process", "Process area", "process", _rect(530.0, 195.0, 800.0, 312.0), 35, 6),
        _zone("admin", "Administration area", "admin", _rect(10.0, 85.0, 360.0, 230.0), 5, 1),
        _zone("parking", "Car park", "parking", _rect(10.0, 10.0, 130.0, 80.0), 5, 1),
        _zone("flare_area", "Flare area", "utility", _rect(820.0, 460.0, 895.0, 535.0), 2, 0),
    ]
    congested = [
        CongestedAreaSpec(
            id="vaporiser_area",
            polygon_m=_rect(545.0, 212.0, 650.0, 248.0),
            height_m=8.0,
            volume_blockage_ratio=0.12,
            obstacle_diameter_m=0.4,
            layers=3,
        ),
        CongestedAreaSpec(
            id="pump_compressor_area",
            polygon_m=_rect(550.0, 276.0, 692.0, 296.0),
            height_m=6.0,
            volume_blockage_ratio=0.18,
            obstacle_diameter_m=0.3,
            layers=2,
        ),
    ]
    site = SiteFile(
        name="LNG import terminal",
        description=(
            "Fictional LNG import terminal on an east-west coast (sea to the north): a jetty with "
            + "unloading arms, a 0.8 m unloading line on a pipe rack to two 160,000 m3 "
            + "full-containment tanks, send-out pumps, open-rack vaporisers, boil-off gas "
            + "compressors, a flare, a two-storey control building, an administration building "
            + "(the shelter), a workshop and a gatehouse."
        ),
        origin=GeoOrigin(latitude_deg=54.0, longitude_deg=10.0, elevation_m=5.0),
        fence=fence,
        shifts=_day_and_night_shifts(7.0),
        buildings=[building_spec(b) for b in buildings],
        equipment=lng_equipment(),
        structures=lng_structures(),
        detectors=detectors,
        zones=zones,
        muster_points=[
            MusterPointSpec(id="MP-1", kind="muster", position_m=(60.0, 45.0), capacity=300),
            MusterPointSpec(id="MP-2", kind="muster", position_m=(100.0, 420.0), capacity=200),
            MusterPointSpec(
                id="MP-3", kind="shelter", position_m=(105.0, 108.0), capacity=200, building="admin"
            ),
        ],
        congested_areas=congested,
        grids=GridSettings(voxel_height_m=80.0),
    )
    meshes = {b.mesh_file: building_parts(b) for b in buildings}
    meshes["meshes/lng_tank.glb"] = tank_parts()
    return SiteBuild(site=site, meshes=meshes)


# =============================================================================================
# Site: ammonia refrigeration cold store
# =============================================================================================


def _ammonia_item(id: str, kind: str, name: str, **fields: Any) -> EquipmentSpec:
    return _equipment_item(id, kind, name, fluid="ammonia", **fields)


def ammonia_equipment() -> list[EquipmentSpec]:
    """List the refrigeration plant: machine room, condensers, liquid line, evaporators."""
    ox, oy = MACHINE_ROOM_ORIGIN_M
    out = []
    for it in MACHINE_ROOM_PLANT:
        x, y = it.centre_m[0] + ox, it.centre_m[1] + oy
        (dx, dy), h = it.size_m, it.height_m
        volume_m3 = _cylinder_volume_m3(dx, h)
        valves: list[tuple[str, Point3, float]] = []
        if it.id in ("R-1", "R-2"):  # HP receivers: liquid at condensing pressure, half full
            p_pa, t_k, kg = 1.2e6, 303.0, volume_m3 * 0.5 * AMMONIA_LIQUID_303K_KG_M3
            valves = [(f"XV-{it.id}", (x, y - 0.9, 0.5), 10.0)]
        elif it.id == "R-3":  # LP pump receiver at -30 degC, 30 % liquid
            p_pa, t_k, kg = 0.12e6, 243.0, volume_m3 * 0.3 * AMMONIA_LIQUID_243K_KG_M3
            valves = [("XV-R-3", (x, y - 1.2, 0.5), 10.0)]
        elif it.kind == "compressor":  # discharge gas in compressor and oil separator, 3 m3
            p_pa, t_k = 1.2e6, 353.0
            kg = 3.0 * _gas_density_kg_m3(p_pa, t_k, AMMONIA_MOLAR_MASS_KG_MOL)
        else:  # liquid pumps, 0.1 m3 each
            p_pa, t_k, kg = 0.35e6, 243.0, 0.1 * AMMONIA_LIQUID_243K_KG_M3
        shape: CylinderShape | BoxShape = (
            CylinderShape(diameter_m=dx, height_m=h)
            if it.is_cylinder
            else BoxShape(size_m=(dx, dy, h))
        )
        out.append(
            _ammonia_item(
                it.id,
                it.kind,
                it.name,
                inventory_kg=kg,
                pressure_pa=p_pa,
                temperature_k=t_k,
                position_m=(x, y, 0.0),
                shape=shape,
                valves=valves,
            )
        )
    for k, y in enumerate((154.0, 161.0), start=1):
        out.append(
            _ammonia_item(
                f"EC-{k}",
                "heat_exchanger",
                f"Evaporative condenser {k}",
                inventory_kg=150.0,  # liquid and vapour in the coil bundle
                pressure_pa=1.2e6,
                temperature_k=308.0,
                position_m=(170.0, y, 0.0),
                shape=BoxShape(size_m=(6.0, 3.0, 5.0)),
            )
        )
    path: list[Point3] = [
        (146.0, 152.0, 5.0),
        (146.0, 131.0, 5.0),
        (146.0, 128.0, 9.5),
        (226.0, 128.0, 9.5),
    ]
    out.append(
        _ammonia_item(
            "LL-1",
            "pipe_segment",
            "Pumped liquid line to the cold-store evaporators (DN80)",
            inventory_kg=_cylinder_volume_m3(0.089, _polyline_length_m(path))
            * AMMONIA_LIQUID_243K_KG_M3,
            pressure_pa=0.35e6,
            temperature_k=243.0,
            position_m=path[0],
            shape=PipeShape(path_m=path, diameter_m=0.089),
            valves=[("XV-L1", (146.0, 151.0, 5.0), 10.0)],
            is_obstacle=False,
        )
    )
    for k, x in enumerate((150.0, 175.0, 200.0, 225.0), start=1):
        out.append(
            _ammonia_item(
                f"EV-{k}",
                "heat_exchanger",
                f"Cold-store evaporator {k}",
                inventory_kg=80.0,
                pressure_pa=0.12e6,
                temperature_k=243.0,
                position_m=(x, 126.0, 9.0),
                shape=BoxShape(size_m=(4.0, 2.0, 1.5)),
                is_obstacle=False,  # hung under the roof, above head height
            )
        )
    return out


def build_ammonia_plant() -> SiteBuild:
    """Build the ammonia cold store: its site file model, meshes and the gatehouse plan."""
    buildings = [
        ammonia_warehouse(),
        ammonia_machine_room(),
        ammonia_offices(),
        ammonia_gatehouse(),
    ]
    fence = FenceSpec(
        polygon_m=_rect(0.0, 0.0, 300.0, 200.0),
        gates=[
            GateSpec(id="gate_main", segment_m=((40.0, 0.0), (52.0, 0.0))),
            GateSpec(id="gate_trucks", segment_m=((300.0, 20.0), (300.0, 32.0))),
        ],
    )
    ppm = [
        AlarmLevelSpec(name="low", volume_fraction=25e-6),
        AlarmLevelSpec(name="high", volume_fraction=150e-6),
    ]
    machine_room_ppm = [*ppm, AlarmLevelSpec(name="emergency", volume_fraction=500e-6)]
    machine_room: list[Point3] = [(134.0, 157.0, 4.5), (142.0, 152.0, 4.5), (150.0, 162.0, 4.5)]
    cold_store: list[Point3] = [(x, 124.0, 8.0) for x in (150.0, 175.0, 200.0, 225.0)]
    outdoors: list[Point3] = [(166.0, 158.0, 3.0), (146.0, 140.0, 3.0)]
    detectors = [
        *_gas_detectors("AD-M", "ammonia", machine_room, machine_room_ppm, 30.0),
        *_gas_detectors("AD-W", "ammonia", cold_store, ppm, 30.0),
        *_gas_detectors("AD-O", "ammonia", outdoors, ppm, 30.0),
    ]
    zones = [
        _zone("yard", "Truck yard and dock apron", "road", _rect(110.0, 5.0, 295.0, 45.0), 8, 3),
        _zone("parking", "Car park", "parking", _rect(60.0, 5.0, 105.0, 45.0), 2, 0),
        _zone("office_area", "Office area", "admin", _rect(5.0, 50.0, 100.0, 110.0), 1, 0),
        _zone(
            "plant_area", "Refrigeration plant", "utility", _rect(120.0, 135.0, 200.0, 190.0), 1, 1
        ),
        _zone("cold_store", "Cold store", "storage", buildings[0].footprint_m()),
    ]
    site = SiteFile(
        name="Ammonia cold store",
        description=(
            "Fictional refrigerated warehouse cooled by a pumped ammonia system: a machine room "
            + "with receivers, screw compressors and pumps, evaporative condensers outside, a "
            + "120 m x 80 m racked cold store with evaporators under the roof, a two-storey "
            + "office block, and a gatehouse at the main gate drawn as a DXF floor plan."
        ),
        origin=GeoOrigin(latitude_deg=52.0, longitude_deg=5.0, elevation_m=2.0),
        fence=fence,
        shifts=_day_and_night_shifts(6.0),
        buildings=[building_spec(b) for b in buildings],
        equipment=ammonia_equipment(),
        detectors=detectors,
        zones=zones,
        muster_points=[
            MusterPointSpec(id="MP-1", kind="muster", position_m=(25.0, 25.0), capacity=200)
        ],
        grids=GridSettings(voxel_cell_m=1.0, voxel_height_m=30.0),
    )
    return SiteBuild(
        site=site,
        meshes={b.mesh_file: building_parts(b) for b in buildings if b.drawn_as == "mesh"},
        plans={
            b.plan_file(lv.key): building_plan_dxf(b, lv.key)
            for b in buildings
            if b.drawn_as == "plans"
            for lv in b.levels
        },
    )


#: The shipped sites: folder name -> builder.
SITE_BUILDERS: dict[str, Callable[[], SiteBuild]] = {
    "lng_terminal": build_lng_terminal,
    "ammonia_plant": build_ammonia_plant,
}


# =============================================================================================
# Writing and checking
# =============================================================================================


def _tidy(value: Any) -> Any:
    """Round floats to 10 significant digits, so the file shows 0.3, not 0.30000000000000004."""
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_tidy(v) for v in value]
    return value


def site_yaml(site: SiteFile, folder: str) -> str:
    """Return the site file text: a header comment, then every schema field in schema order.

    Raises
    ------
    pydantic.ValidationError
        If the text does not read back as a valid site file.
    """
    data = _tidy(site.model_dump(mode="json", exclude_defaults=False))
    body = yaml.safe_dump(
        data, sort_keys=False, default_flow_style=None, width=100, allow_unicode=True
    )
    SiteFile.model_validate(yaml.safe_load(body))
    return (
        f"# hazard-twin sample site {folder!r}, schema v{site.schema_version}; "
        + "metres, x east, y north.\n"
        + "# Written by examples/build_sample_sites.py: change that script and re-run it.\n"
        + body
    )


#: Sub-folders of a site holding referenced files, and the suffix of the files this script writes.
SITE_SUBFOLDERS = {"meshes": ".glb", "plans": ".dxf"}


def write_sites(out_dir: Path, names: Iterable[str] = tuple(SITE_BUILDERS)) -> list[Path]:
    """Build the sample sites and write them under ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        Folder that receives one sub-folder per site (``site.yaml``, ``meshes/*.glb`` and
        ``plans/*.dxf``).
    names : iterable of str
        Sites to build, keys of :data:`SITE_BUILDERS`.

    Returns
    -------
    list of Path
        The files written. Stale ``*.glb`` and ``*.dxf`` files in each ``meshes/`` and ``plans/``
        folder are removed.
    """
    written = []
    for folder in names:
        build = SITE_BUILDERS[folder]()
        site_dir = out_dir / folder
        wanted = {*build.meshes, *build.plans}
        for sub, suffix in SITE_SUBFOLDERS.items():
            for stale in sorted((site_dir / sub).glob(f"*{suffix}")):
                if stale.relative_to(site_dir).as_posix() not in wanted:
                    stale.unlink()
        for rel in sorted(wanted):
            (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        for rel, parts in sorted(build.meshes.items()):
            save_mesh(parts, site_dir / rel, up_axis="y")
            written.append(site_dir / rel)
        for rel, data in sorted(build.plans.items()):
            (site_dir / rel).write_bytes(data)
            written.append(site_dir / rel)
        path = site_dir / "site.yaml"
        path.write_text(site_yaml(build.site, folder), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _site_files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for folder in SITE_BUILDERS
        for p in (root / folder).rglob("*")
        if p.is_file() and (p.name == "site.yaml" or p.suffix in SITE_SUBFOLDERS.values())
    }


def _same_glb_geometry(a: Path, b: Path) -> bool:
    """Whether two GLB files hold the same named parts with the same triangles (float32 exact)."""
    scenes = [cast(trimesh.Scene, trimesh.load(p, force="scene")) for p in (a, b)]
    parts = [{n: s.graph[n] for n in s.graph.nodes_geometry} for s in scenes]
    if set(parts[0]) != set(parts[1]):
        return False
    for name in parts[0]:
        (ta, ga), (tb, gb) = parts[0][name], parts[1][name]
        ma, mb = scenes[0].geometry[ga], scenes[1].geometry[gb]
        if not (
            np.array_equal(ta, tb)
            and np.array_equal(ma.faces, mb.faces)
            and np.array_equal(ma.vertices, mb.vertices)
        ):
            return False
    return True


def _dxf_content(path: Path) -> list[Any]:
    """List a DXF drawing's unit, layers, and model-space entities with their attributes."""
    doc = read_dxf(path)
    out: list[Any] = [doc.header.get("$INSUNITS"), sorted(layer.dxf.name for layer in doc.layers)]
    for e in doc.modelspace():
        attribs = e.dxf.all_existing_dxf_attribs()
        row: list[Any] = [
            e.dxftype(),
            sorted((k, str(v)) for k, v in attribs.items() if k not in ("handle", "owner")),
        ]
        if isinstance(e, LWPolyline):
            row.append([tuple(v) for v in e.get_points()])
        out.append(row)
    return out


def _same_dxf_drawing(a: Path, b: Path) -> bool:
    """Whether two DXF files draw the same entities (header dates, GUIDs and handles aside)."""
    try:
        return _dxf_content(a) == _dxf_content(b)
    except (OSError, DXFError):
        return False


def check_sites(shipped_dir: Path) -> list[str]:
    """Rebuild the sites in a temporary folder and compare them with ``shipped_dir``.

    Site files must match byte for byte. GLB files match byte for byte with the trimesh version
    that wrote them (the export holds no time stamps and keeps part order); another trimesh
    version may encode the same geometry differently, so a GLB whose bytes differ still passes
    when it holds the same named parts with identical vertices and faces. DXF files likewise match
    byte for byte with the ezdxf version that wrote them (fixed metadata), and otherwise pass when
    they hold the same layers and model-space entities with the same attributes.

    Parameters
    ----------
    shipped_dir : Path
        Folder holding the site sub-folders.

    Returns
    -------
    list of str
        One line per missing, extra or differing file; empty when everything matches.
    """
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        write_sites(fresh)
        want, have = _site_files(fresh), _site_files(shipped_dir)
        problems = [f"missing: {name}" for name in sorted(want - have)]
        problems += [f"not built by this script: {name}" for name in sorted(have - want)]
        for name in sorted(want & have):
            new, old = fresh / name, shipped_dir / name
            if filecmp.cmp(new, old, shallow=False):
                continue
            if name.endswith(".glb") and _same_glb_geometry(new, old):
                continue
            if name.endswith(".dxf") and _same_dxf_drawing(new, old):
                continue
            problems.append(f"differs: {name}")
    return problems


def _summary(out_dir: Path) -> list[str]:
    lines = []
    for folder, builder in SITE_BUILDERS.items():
        site = builder().site
        for shift in site.shifts:
            indoor = sum(r.occupancy.get(shift.id, 0) for b in site.buildings for r in b.rooms)
            outdoor = sum(z.occupancy.get(shift.id, 0) for z in site.zones)
            lines.append(f"{folder}: {shift.id} shift {indoor + outdoor} people ({indoor} indoors)")
        total_t = sum(e.inventory_kg for e in site.equipment) / 1000.0
        size_kib = (
            sum(p.stat().st_size for p in (out_dir / folder).rglob("*") if p.is_file()) / 1024
        )
        lines.append(
            f"{folder}: {len(site.buildings)} buildings, {len(site.equipment)} equipment, "
            + f"{len(site.structures)} structures, {len(site.detectors)} detectors, "
            + f"inventory {total_t:,.1f} t, {size_kib:,.0f} KiB"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 when ``--check`` finds a difference)."""
    parser = argparse.ArgumentParser(description="Build the hazard-twin sample sites.")
    parser.add_argument("--out", type=Path, default=SITES_DIR, help="folder to write the sites to")
    parser.add_argument("--check", action="store_true", help="compare a fresh build with --out")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_sites(args.out)
        for line in problems:
            print(line)
        if problems:
            print(f"{args.out} is out of date: run python examples/build_sample_sites.py")
            return 1
        print(f"{args.out} is up to date")
        return 0
    for path in write_sites(args.out):
        print(f"wrote {path}")
    for line in _summary(args.out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
