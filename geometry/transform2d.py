r"""Place 2D drawing geometry in the site frame: unit scale, rotation about the origin, then offset.

A plan drawn in its own coordinates (any unit, any orientation) is brought into site metres by

.. math::

    \mathbf{p}_{site} = R(\theta)\,(s\,\mathbf{p}_{drawing}) + \mathbf{o}

where ``s`` is metres per drawing unit (:data:`geometry.units.UNIT_SCALE_M`), ``R(θ)`` turns
counter-clockwise by ``rotation_deg`` about the drawing origin and ``o = offset_m`` is in site
metres. The order matters: the offset is applied last, so it is always in metres and in site axes.

Examples
--------
>>> import numpy as np
>>> xy_m = transform_points([[1000.0, 0.0]], units="mm", rotation_deg=90.0, offset_m=(10.0, 0.0))
>>> xy_m.round(9)
array([[10.,  1.]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from geometry.errors import GeometryError
from geometry.units import unit_scale_m

__all__ = ["transform_geometry", "transform_matrix", "transform_points"]

GeometryT = TypeVar("GeometryT", bound=BaseGeometry)


def _check_offset_rotation(offset_m: Sequence[float], rotation_deg: float) -> NDArray[np.float64]:
    offset = np.asarray(offset_m, dtype=np.float64)
    if offset.shape != (2,) or not np.all(np.isfinite(offset)):
        raise GeometryError(f"offset_m = {offset_m!r}: must be two finite numbers (x, y) in m")
    if not math.isfinite(rotation_deg):
        raise GeometryError(f"rotation_deg = {rotation_deg!r}: must be a finite number of degrees")
    return offset


def transform_matrix(
    *, units: str = "m", offset_m: Sequence[float] = (0.0, 0.0), rotation_deg: float = 0.0
) -> NDArray[np.float64]:
    """Homogeneous 3x3 matrix taking drawing coordinates to site metres.

    Parameters
    ----------
    units : str
        Drawing unit, a key of :data:`geometry.units.UNIT_SCALE_M`.
    offset_m : (2,) float
        Translation applied last, site metres.
    rotation_deg : float
        Counter-clockwise rotation about the drawing origin, degrees.

    Returns
    -------
    (3, 3) float
        ``M`` such that ``[x_m, y_m, 1] = M @ [x, y, 1]``.

    Raises
    ------
    GeometryError
        Unknown ``units``, or a non-finite offset or rotation.
    """
    scale = unit_scale_m(units)
    offset = _check_offset_rotation(offset_m, rotation_deg)
    theta = math.radians(rotation_deg)
    c, s = math.cos(theta), math.sin(theta)
    return np.array(
        [[scale * c, -scale * s, offset[0]], [scale * s, scale * c, offset[1]], [0.0, 0.0, 1.0]]
    )


def transform_points(
    points: ArrayLike,
    *,
    units: str = "m",
    offset_m: Sequence[float] = (0.0, 0.0),
    rotation_deg: float = 0.0,
) -> NDArray[np.float64]:
    """Scale drawing points to metres, rotate them CCW about the origin, then translate them.

    Parameters
    ----------
    points : (n, 2) float
        Drawing coordinates, in ``units``.
    units : str
        Drawing unit, a key of :data:`geometry.units.UNIT_SCALE_M`.
    offset_m : (2,) float
        Translation applied last, site metres.
    rotation_deg : float
        Counter-clockwise rotation about the drawing origin, degrees.

    Returns
    -------
    (n, 2) float
        Site coordinates, m.

    Raises
    ------
    GeometryError
        ``points`` not of shape (n, 2), unknown ``units``, or a non-finite offset or rotation.
    """
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise GeometryError(f"points of shape {pts.shape}: must be an (n, 2) array of x, y")
    m = transform_matrix(units=units, offset_m=offset_m, rotation_deg=rotation_deg)
    out: NDArray[np.float64] = pts @ m[:2, :2].T + m[:2, 2]
    return out


def transform_geometry(
    geom: GeometryT,
    *,
    units: str = "m",
    offset_m: Sequence[float] = (0.0, 0.0),
    rotation_deg: float = 0.0,
) -> GeometryT:
    """Apply :func:`transform_points` to every vertex of a shapely geometry.

    Parameters
    ----------
    geom : shapely geometry
        Any 2D geometry (points, lines, polygons with holes, multi-parts, collections), in
        drawing units.
    units : str
        Drawing unit, a key of :data:`geometry.units.UNIT_SCALE_M`.
    offset_m : (2,) float
        Translation applied last, site metres.
    rotation_deg : float
        Counter-clockwise rotation about the drawing origin, degrees.

    Returns
    -------
    shapely geometry
        Same type and topology as ``geom``, in site metres. A pure rotation and uniform scale keep
        polygon orientation, so valid input stays valid.

    Raises
    ------
    GeometryError
        Unknown ``units``, or a non-finite offset or rotation.
    """
    m = transform_matrix(units=units, offset_m=offset_m, rotation_deg=rotation_deg)
    if np.array_equal(m, np.eye(3)):
        return geom
    lin, shift = m[:2, :2].T, m[:2, 2]
    out: GeometryT = shapely.transform(geom, lambda xy: xy @ lin + shift)
    return out
