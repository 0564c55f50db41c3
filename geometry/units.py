"""Length units accepted at the edges of the geometry layer and their scale to metres.

Plans and meshes arrive in whatever unit the drawing tool used; everything inside the project is
in metres. Conversion happens once, at load, with the factors below.

Examples
--------
>>> unit_scale_m("mm")
0.001
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from geometry.errors import GeometryError

__all__ = ["UNIT_SCALE_M", "unit_scale_m"]

# Exact by definition: 1 ft = 0.3048 m, 1 in = 0.0254 m (international yard and pound, 1959).
UNIT_SCALE_M: Final = MappingProxyType(
    {"m": 1.0, "cm": 0.01, "mm": 0.001, "ft": 0.3048, "in": 0.0254}
)


def unit_scale_m(units: str) -> float:
    """Metres per drawing unit.

    Parameters
    ----------
    units : str
        Unit name, one of ``"m"``, ``"cm"``, ``"mm"``, ``"ft"``, ``"in"`` (case-insensitive,
        surrounding blanks ignored).

    Returns
    -------
    float
        Metres per one drawing unit, > 0.

    Raises
    ------
    GeometryError
        If ``units`` is not a known unit; the message lists the allowed names.
    """
    key = units.strip().lower() if isinstance(units, str) else units
    try:
        return UNIT_SCALE_M[key]
    except (KeyError, TypeError):
        raise GeometryError(
            f"units = {units!r} is unknown; choose one of {sorted(UNIT_SCALE_M)}"
        ) from None
