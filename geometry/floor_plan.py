"""Floor-plan value types: levels, walkable regions, doors, exits and stairs.

All coordinates are site coordinates in metres: ``x`` east, ``y`` north, ``z`` up. Walkable
regions are shapely (multi)polygons with holes; openings (doors, exits, gates) are straight line
segments that lie on the boundary of (exits, gates) or across (doors) the walkable region of their
level.

These types are immutable; derived data (areas, the walkable region) is computed once by the loaders
in :mod:`geometry.slicing`, :mod:`geometry.dxf_io` and :mod:`geometry.vector_io`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiPolygon, Polygon

from geometry.errors import FloorPlanError

#: Largest gap, m, allowed between an exit segment and the walkable boundary of its level.
EXIT_ON_BOUNDARY_TOLERANCE_M = 0.25


def _as_segment(points: NDArray[np.float64] | list[list[float]], name: str) -> NDArray[np.float64]:
    arr = np.asarray(points, dtype=np.float64)
    if arr.shape != (2, 2) or not np.all(np.isfinite(arr)):
        raise FloorPlanError(
            f"{name} = {arr.tolist()!r}: must be two finite points [[x, y], [x, y]] in m"
        )
    if float(np.hypot(*(arr[1] - arr[0]))) <= 0.0:
        raise FloorPlanError(f"{name} = {arr.tolist()!r}: the two end points must differ")
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, slots=True, kw_only=True)
class Opening:
    """A door, exit or gate: a straight segment with a clear width.

    Attributes
    ----------
    id : str
        Identifier, unique within its site.
    level_id : str
        Level the opening is on.
    segment_m : (2, 2) float
        End points ``[[x0, y0], [x1, y1]]``, m.
    kind : str
        ``"door"`` (inside a building), ``"exit"`` (building to outside) or ``"gate"`` (site fence).
    """

    id: str
    level_id: str
    segment_m: NDArray[np.float64]
    kind: str = "door"

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "segment_m", _as_segment(self.segment_m, f"{self.kind} {self.id!r} segment_m")
        )

    @property
    def width_m(self) -> float:
        """Clear width of the opening, m."""
        d = self.segment_m[1] - self.segment_m[0]
        return float(math.hypot(d[0], d[1]))

    @property
    def midpoint_m(self) -> NDArray[np.float64]:
        """Centre of the opening, (2,) m."""
        return np.asarray(self.segment_m.mean(axis=0))

    @property
    def line(self) -> LineString:
        """The opening as a shapely line."""
        return LineString(self.segment_m)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stair:
    """A stair linking two levels.

    Attributes
    ----------
    id : str
        Identifier.
    lower_level_id, upper_level_id : str
        Levels linked.
    bottom_m, top_m : (2, 2) float
        Segments where the stair meets the lower and the upper level, m.
    width_m : float
        Clear width, m.
    length_m : float
        Walking length along the flight(s), m (horizontal run including landings).
    rise_m : float
        Height climbed, m; equals the elevation difference of the two levels.
    """

    id: str
    lower_level_id: str
    upper_level_id: str
    bottom_m: NDArray[np.float64]
    top_m: NDArray[np.float64]
    width_m: float
    length_m: float
    rise_m: float

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "bottom_m", _as_segment(self.bottom_m, f"stair {self.id!r} bottom_m")
        )
        object.__setattr__(self, "top_m", _as_segment(self.top_m, f"stair {self.id!r} top_m"))
        for name in ("width_m", "length_m", "rise_m"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise FloorPlanError(
                    f"stair {self.id!r} {name} = {value!r} m: must be a finite number > 0"
                )

    @property
    def slope_length_m(self) -> float:
        """Length along the pitch line, m: sqrt(length^2 + rise^2)."""
        return float(math.hypot(self.length_m, self.rise_m))


@dataclass(frozen=True, slots=True, kw_only=True)
class Room:
    """A named room on a level; its polygon is a footprint, m."""

    id: str
    level_id: str
    polygon: Polygon
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class Level:
    """One storey: its elevation and walkable region.

    Attributes
    ----------
    id : str
        Identifier, unique within its building.
    elevation_m : float
        Floor elevation above site datum, m.
    walkable : shapely Polygon or MultiPolygon
        Walkable region (floor minus walls and obstacles), m.
    obstacles : shapely Polygon or MultiPolygon
        Solid obstacles cut at body height (walls, columns, equipment), m.
    """

    id: str
    elevation_m: float
    walkable: Polygon | MultiPolygon
    obstacles: Polygon | MultiPolygon = field(default_factory=Polygon)

    def __post_init__(self) -> None:
        if not math.isfinite(self.elevation_m):
            raise FloorPlanError(
                f"level {self.id!r} elevation_m = {self.elevation_m!r}: must be finite"
            )
        if self.walkable.is_empty or self.walkable.area <= 0.0:
            raise FloorPlanError(
                f"level {self.id!r} at elevation_m = {self.elevation_m:g}: no walkable area "
                + "(the floor is missing at this elevation or walls/obstacles cover all of it)"
            )

    @property
    def walkable_area_m2(self) -> float:
        """Walkable area, m^2."""
        return float(self.walkable.area)

    @property
    def regions(self) -> list[Polygon]:
        """Connected walkable regions, largest first."""
        geoms = (
            list(self.walkable.geoms)
            if isinstance(self.walkable, MultiPolygon)
            else [self.walkable]
        )
        return sorted(geoms, key=lambda p: -p.area)


@dataclass(frozen=True, kw_only=True)
class FloorPlan:
    """Levels of one building (or of the outdoor site) with their openings, stairs and rooms."""

    levels: tuple[Level, ...]
    openings: tuple[Opening, ...] = ()
    stairs: tuple[Stair, ...] = ()
    rooms: tuple[Room, ...] = ()

    def level(self, level_id: str) -> Level:
        """Return the level named ``level_id``; the error lists the known ones."""
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        raise FloorPlanError(
            f"level {level_id!r} is unknown; choose one of {[lv.id for lv in self.levels]}"
        )

    @property
    def exits(self) -> tuple[Opening, ...]:
        """Openings of kind ``exit`` or ``gate``."""
        return tuple(o for o in self.openings if o.kind in ("exit", "gate"))


def check_opening_on_boundary(
    opening: Opening,
    walkable: Polygon | MultiPolygon,
    *,
    tolerance_m: float = EXIT_ON_BOUNDARY_TOLERANCE_M,
) -> None:
    """Raise :class:`FloorPlanError` unless an exit/gate segment lies on the walkable boundary.

    The segment's end points and midpoint must all lie within ``tolerance_m`` of the boundary of the
    walkable region; the message gives the largest distance found.
    """
    boundary = walkable.boundary
    pts = np.vstack([opening.segment_m, opening.midpoint_m[None, :]])
    dist = shapely.distance(shapely.points(pts), boundary)
    worst = float(np.max(dist))
    if not worst <= tolerance_m:
        raise FloorPlanError(
            f"{opening.kind} {opening.id!r} on level {opening.level_id!r} at "
            + f"{np.round(opening.segment_m, 2).tolist()} m is {worst:.2f} m from the walkable "
            + f"boundary; it must lie on it (within {tolerance_m} m)"
        )
