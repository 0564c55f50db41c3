"""Regular grids: the 2D navigation grid and the 3D obstacle-voxel grid.

A :class:`Grid2D` has ``shape = (ny, nx)``; cell ``[j, i]`` has its centre at
``origin_m + ((i + 0.5) * cell_size_m, (j + 0.5) * cell_size_m)``. A :class:`Grid3D` adds ``nz``
layers above ``origin_z_m`` with ``shape = (nz, ny, nx)``. Array indices run
``[k, j, i]`` = ``[z, y, x]``.

Two rules turn a plan region into cells:

- :func:`rasterise` (*centre* rule): a cell belongs to the region when its centre is strictly
  inside it. Unbiased for areas, but a region thinner than a cell can fall between centres.
- :func:`rasterise_overlapping` (*overlap* rule): a cell belongs to the region when its square
  shares interior points with it (touching along an edge or at a corner does not count).
  Conservative: a region of any thickness marks every cell it passes through. The exact square test,
  :func:`squares_overlap`, runs only on the cells :func:`cells_near_boundary` picks out, so a large
  region costs what its boundary costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geometry.errors import GeometryError

#: Largest number of cells a grid may hold; about 0.4 GB as float64 per field.
MAX_GRID_CELLS = 50_000_000


def _check_cell_size(cell_size_m: float) -> None:
    if not (math.isfinite(cell_size_m) and cell_size_m > 0):
        raise GeometryError(f"cell_size_m = {cell_size_m!r} m: must be a finite number > 0")


def _check_cell_count(shape: tuple[int, ...], cell_size_m: float) -> None:
    n = math.prod(shape)
    if n > MAX_GRID_CELLS:
        raise GeometryError(
            f"grid shape {shape} at cell_size_m = {cell_size_m:g} m has {n:,} cells; "
            + f"at most {MAX_GRID_CELLS:,} are allowed: use a larger cell_size_m or smaller extent"
        )


@dataclass(frozen=True, slots=True)
class Grid2D:
    """A regular horizontal grid.

    Attributes
    ----------
    origin_m : tuple[float, float]
        ``(x, y)`` of the lower-left corner of cell ``[0, 0]``, m.
    cell_size_m : float
        Cell edge length, m.
    shape : tuple[int, int]
        ``(ny, nx)``.
    """

    origin_m: tuple[float, float]
    cell_size_m: float
    shape: tuple[int, int]

    def __post_init__(self) -> None:
        _check_cell_size(self.cell_size_m)
        if len(self.shape) != 2 or min(self.shape) < 1:
            raise GeometryError(f"shape = {self.shape!r}: must be (ny, nx) with both >= 1")
        _check_cell_count(self.shape, self.cell_size_m)

    @classmethod
    def covering(cls, bounds_m: tuple[float, float, float, float], cell_size_m: float) -> Grid2D:
        """Smallest grid of ``cell_size_m`` cells covering ``(xmin, ymin, xmax, ymax)``, m."""
        _check_cell_size(cell_size_m)
        xmin, ymin, xmax, ymax = (float(b) for b in bounds_m)
        if not all(math.isfinite(b) for b in bounds_m) or xmax <= xmin or ymax <= ymin:
            raise GeometryError(
                f"bounds_m = {bounds_m!r}: must be finite (xmin, ymin, xmax, ymax) with max > min"
            )
        nx = max(1, math.ceil((xmax - xmin) / cell_size_m - 1e-9))
        ny = max(1, math.ceil((ymax - ymin) / cell_size_m - 1e-9))
        _check_cell_count((ny, nx), cell_size_m)
        return cls((xmin, ymin), cell_size_m, (ny, nx))

    @property
    def x_m(self) -> NDArray[np.float64]:
        """Cell-centre x coordinates, (nx,) m."""
        return np.asarray(
            self.origin_m[0] + (np.arange(self.shape[1]) + 0.5) * self.cell_size_m, dtype=np.float64
        )

    @property
    def y_m(self) -> NDArray[np.float64]:
        """Cell-centre y coordinates, (ny,) m."""
        return np.asarray(
            self.origin_m[1] + (np.arange(self.shape[0]) + 0.5) * self.cell_size_m, dtype=np.float64
        )

    @property
    def bounds_m(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the grid, m."""
        x0, y0 = self.origin_m
        return (
            x0,
            y0,
            x0 + self.shape[1] * self.cell_size_m,
            y0 + self.shape[0] * self.cell_size_m,
        )

    def centres_m(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Cell-centre coordinate arrays ``(X, Y)``, each (ny, nx) m."""
        return np.meshgrid(self.x_m, self.y_m)

    def cell_of(self, points_m: NDArray[np.float64]) -> NDArray[np.intp]:
        """Return indices ``[j, i]`` of the cells holding points, (n, 2) int; -1 where outside."""
        pts = np.asarray(points_m, dtype=np.float64).reshape(-1, 2)
        i = np.floor((pts[:, 0] - self.origin_m[0]) / self.cell_size_m).astype(np.intp)
        j = np.floor((pts[:, 1] - self.origin_m[1]) / self.cell_size_m).astype(np.intp)
        outside = (i < 0) | (j < 0) | (i >= self.shape[1]) | (j >= self.shape[0])
        ji = np.column_stack([j, i])
        ji[outside] = -1
        return ji


@dataclass(frozen=True, slots=True)
class Grid3D:
    """A regular 3D grid of cubic cells: a :class:`Grid2D` plan and ``nz`` layers above it."""

    plan: Grid2D
    origin_z_m: float
    nz: int

    def __post_init__(self) -> None:
        if self.nz < 1:
            raise GeometryError(f"nz = {self.nz!r}: must be >= 1")
        _check_cell_count(self.shape, self.plan.cell_size_m)

    @classmethod
    def covering(
        cls, bounds_m: tuple[float, float, float, float, float, float], cell_size_m: float
    ) -> Grid3D:
        """Smallest grid covering ``(xmin, ymin, zmin, xmax, ymax, zmax)``, m."""
        xmin, ymin, zmin, xmax, ymax, zmax = (float(b) for b in bounds_m)
        if not (math.isfinite(zmin) and math.isfinite(zmax)) or zmax <= zmin:
            raise GeometryError(f"bounds_m = {bounds_m!r}: zmax must be > zmin and both finite")
        _check_cell_size(cell_size_m)
        nz = max(1, math.ceil((zmax - zmin) / cell_size_m - 1e-9))
        nx = max(1, math.ceil((xmax - xmin) / cell_size_m - 1e-9))
        ny = max(1, math.ceil((ymax - ymin) / cell_size_m - 1e-9))
        _check_cell_count((nz, ny, nx), cell_size_m)
        return cls(Grid2D.covering((xmin, ymin, xmax, ymax), cell_size_m), zmin, nz)

    @property
    def cell_size_m(self) -> float:
        """Cell edge length, m."""
        return self.plan.cell_size_m

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(nz, ny, nx)``."""
        return (self.nz, *self.plan.shape)

    @property
    def z_m(self) -> NDArray[np.float64]:
        """Cell-centre heights, (nz,) m."""
        return np.asarray(
            self.origin_z_m + (np.arange(self.nz) + 0.5) * self.plan.cell_size_m, dtype=np.float64
        )


def rasterise(region: Polygon | MultiPolygon, grid: Grid2D) -> NDArray[np.bool_]:
    """Cells whose centre lies inside ``region``.

    Only the cells under the region's bounding box are tested, so a small region on a large grid
    costs what its own cells cost.

    Parameters
    ----------
    region : shapely Polygon or MultiPolygon
        Region in site coordinates, m.
    grid : Grid2D
        Target grid.

    Returns
    -------
    (ny, nx) bool
        True where the cell centre is inside the region (boundary excluded).
    """
    mask = np.zeros(grid.shape, dtype=bool)
    if region.is_empty:
        return mask
    ny, nx = grid.shape
    x0, y0 = grid.origin_m
    h = grid.cell_size_m
    xmin, ymin, xmax, ymax = region.bounds
    # centres (i + 0.5) h + x0 within [xmin, xmax], with a cell to spare for rounding
    i0 = max(0, math.floor((xmin - x0) / h - 0.5))
    i1 = min(nx, math.ceil((xmax - x0) / h - 0.5) + 1)
    j0 = max(0, math.floor((ymin - y0) / h - 0.5))
    j1 = min(ny, math.ceil((ymax - y0) / h - 0.5) + 1)
    if i0 >= i1 or j0 >= j1:
        return mask
    xx, yy = np.meshgrid(grid.x_m[i0:i1], grid.y_m[j0:j1])
    shapely.prepare(region)
    mask[j0:j1, i0:i1] = shapely.contains_xy(region, xx, yy)
    return mask


#: Spacing of the boundary samples of :func:`cells_near_boundary`, as a fraction of the cell edge.
_BOUNDARY_SAMPLE_FRACTION = 0.25

#: Offsets ``(dj, di)`` of a cell and its eight neighbours.
_NEIGHBOURHOOD = np.array([(dj, di) for dj in (-1, 0, 1) for di in (-1, 0, 1)], dtype=np.intp)


def cells_near_boundary(region: Polygon | MultiPolygon, grid: Grid2D) -> NDArray[np.bool_]:
    """Cells whose closed square may hold a point of the region's boundary.

    The boundary is sampled every quarter cell and each sample marks its cell and that cell's eight
    neighbours. A boundary point ``p`` in the closed square of cell ``A`` lies within an eighth of a
    cell of a sample, whose cell is ``A`` or one of its neighbours; so every cell the boundary
    touches is marked (and cells up to one cell further away may be).

    Parameters
    ----------
    region : shapely Polygon or MultiPolygon
        Region in site coordinates, m.
    grid : Grid2D
        Target grid.

    Returns
    -------
    (ny, nx) bool
        True for every cell the boundary touches, and possibly for their neighbours.
    """
    mask = np.zeros(grid.shape, dtype=bool)
    if region.is_empty:
        return mask
    h = grid.cell_size_m
    lines = shapely.segmentize(region.boundary, h * _BOUNDARY_SAMPLE_FRACTION)
    xy = shapely.get_coordinates(lines)
    ji = np.floor((xy[:, ::-1] - np.array(grid.origin_m[::-1])) / h).astype(np.intp)
    ji = np.unique(ji, axis=0)
    ji = (ji[:, None, :] + _NEIGHBOURHOOD[None, :, :]).reshape(-1, 2)
    ny, nx = grid.shape
    inside = (ji[:, 0] >= 0) & (ji[:, 0] < ny) & (ji[:, 1] >= 0) & (ji[:, 1] < nx)
    mask[ji[inside, 0], ji[inside, 1]] = True
    return mask


def cell_squares(grid: Grid2D, cells_ji: NDArray[np.intp]) -> NDArray[np.object_]:
    """Return the closed squares of the listed cells as shapely boxes, (n,) object.

    Parameters
    ----------
    grid : Grid2D
        The grid.
    cells_ji : (n, 2) int
        Cell indices ``[j, i]``.

    Returns
    -------
    (n,) object
        ``shapely.box`` of each cell, m.
    """
    ji = np.asarray(cells_ji, dtype=np.intp).reshape(-1, 2)
    h = grid.cell_size_m
    x0 = grid.origin_m[0] + ji[:, 1] * h
    y0 = grid.origin_m[1] + ji[:, 0] * h
    return np.asarray(shapely.box(x0, y0, x0 + h, y0 + h), dtype=object)


def squares_overlap(
    region: Polygon | MultiPolygon, grid: Grid2D, cells_ji: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Test exactly whether the square of each listed cell shares interior points with the region.

    A square that only touches the region (along an edge or at a corner) does not overlap it.
    Vectorised with shapely against the prepared region: ``intersects`` first, then ``touches`` on
    the squares that intersect.

    Parameters
    ----------
    region : shapely Polygon or MultiPolygon
        Region in site coordinates, m.
    grid : Grid2D
        The grid.
    cells_ji : (n, 2) int
        Cell indices ``[j, i]``.

    Returns
    -------
    (n,) bool
        True where the cell's square and the region share interior points.
    """
    squares = cell_squares(grid, cells_ji)
    hit = np.zeros(len(squares), dtype=bool)
    if region.is_empty or len(squares) == 0:
        return hit
    shapely.prepare(region)
    hit[:] = shapely.intersects(squares, region)
    hit[hit] = ~shapely.touches(squares[hit], region)
    return hit


def rasterise_overlapping(region: Polygon | MultiPolygon, grid: Grid2D) -> NDArray[np.bool_]:
    """Cells whose square shares interior points with ``region`` (the overlap rule).

    A cell whose centre is strictly inside the region overlaps it (:func:`rasterise`); any other
    overlapping cell has the region's boundary in its square, so only the cells of
    :func:`cells_near_boundary` are given the exact square test (:func:`squares_overlap`).

    Parameters
    ----------
    region : shapely Polygon or MultiPolygon
        Region in site coordinates, m.
    grid : Grid2D
        Target grid.

    Returns
    -------
    (ny, nx) bool
        True where the cell's square and the region share interior points; a cell that only
        touches the region along an edge or at a corner is False.

    Examples
    --------
    A wall 0.2 m thick between cell centres at 0.25 and 0.75 m: the centre rule misses it, the
    overlap rule marks the cells on both sides of x = 0.5.

    >>> from shapely.geometry import box
    >>> grid = Grid2D((0.0, 0.0), 0.5, (1, 3))
    >>> wall = box(0.4, 0.0, 0.6, 0.5)
    >>> rasterise(wall, grid).tolist(), rasterise_overlapping(wall, grid).tolist()
    ([[False, False, False]], [[True, True, False]])
    """
    mask = rasterise(region, grid)
    if region.is_empty:
        return mask
    ring = cells_near_boundary(region, grid) & ~mask
    cells = np.argwhere(ring)
    mask[cells[:, 0], cells[:, 1]] = squares_overlap(region, grid, cells)
    return mask
