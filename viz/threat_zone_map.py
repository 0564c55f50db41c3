"""Threat-zone maps: the footprint of each concentration level on a plan, ALOHA style.

Each level (AEGL-3, AEGL-2, AEGL-1, LFL, half LFL, ...) is drawn as the area where the peak
concentration over the run reaches it, filled in its conventional colour and outlined, highest
level on top, with the source, the wind direction and a legend giving the downwind distance.

Colour conventions (as in ALOHA's threat-zone plots): red for the most severe level (AEGL-3,
ERPG-3, LFL, 60 % LFL), orange for the middle one (AEGL-2, ERPG-2, half LFL), yellow for the
least severe (AEGL-1, ERPG-1, 10 % LFL); further levels in purple and blue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from numpy.typing import NDArray

from geometry.grid import Grid2D
from viz.site_plan import draw_north_arrow, draw_scale_bar, plot_site_overview

if TYPE_CHECKING:
    from scenarios.release import ReleaseOutcome
    from twin.runtime import SiteView

__all__ = ["ThreatLevel", "level_colour", "plot_release_threat_zones", "plot_threat_zones"]

#: Colours by severity rank, most severe first (red, orange, yellow, then purple and blue).
SEVERITY_COLOURS = ("#d7191c", "#fd8d3c", "#ffd92f", "#8856a7", "#2c7fb8")


@dataclass(frozen=True, slots=True)
class ThreatLevel:
    """One level to draw.

    Attributes
    ----------
    name : str
        Label, e.g. ``"AEGL-2 (60 min)"``.
    volume_fraction : float
        Threshold as a volume fraction (1 ppm = 1e-6).
    distance_m : float or None
        Downwind distance to the level, m, shown in the legend when given.
    """

    name: str
    volume_fraction: float
    distance_m: float | None = None


def level_colour(name: str, rank: int) -> str:
    """Return the conventional colour of a level by name, else by severity ``rank`` (0 first).

    Examples
    --------
    >>> level_colour("AEGL-3 (60 min)", 2)
    '#d7191c'
    >>> level_colour("10 % LFL", 0)
    '#ffd92f'
    """
    upper = name.upper()
    if "10 % LFL" in upper or "10% LFL" in upper or "-1" in upper:
        return SEVERITY_COLOURS[2]
    if "HALF LFL" in upper or "50 % LFL" in upper or "50% LFL" in upper or "-2" in upper:
        return SEVERITY_COLOURS[1]
    if "LFL" in upper or "-3" in upper or "IDLH" in upper:
        return SEVERITY_COLOURS[0]
    return SEVERITY_COLOURS[min(rank, len(SEVERITY_COLOURS) - 1)]


def _format_fraction(volume_fraction: float) -> str:
    ppm = volume_fraction * 1e6
    if ppm >= 10_000:
        return f"{100 * volume_fraction:.3g} % v/v"
    return f"{ppm:.3g} ppm"


def _draw_levels(
    ax: Axes,
    grid: Grid2D,
    peak: NDArray[np.float64],
    levels: Sequence[ThreatLevel],
) -> list[Patch]:
    x_m, y_m = grid.x_m, grid.y_m
    ordered = sorted(levels, key=lambda lv: lv.volume_fraction)  # least severe drawn first
    handles: dict[int, Patch] = {}
    n = len(ordered)
    top = float(np.nanmax(peak)) if peak.size else 0.0
    for i, level in enumerate(ordered):
        colour = level_colour(level.name, n - 1 - i)
        reached = top >= level.volume_fraction
        if reached:
            upper = max(top, level.volume_fraction) * 1.0001 + 1e-30
            ax.contourf(
                x_m,
                y_m,
                peak,
                levels=[level.volume_fraction, upper],
                colors=[colour],
                alpha=0.55,
                zorder=20 + i,
            )
            ax.contour(
                x_m,
                y_m,
                peak,
                levels=[level.volume_fraction],
                colors=[colour],
                linewidths=1.2,
                zorder=30 + i,
            )
        label = f"{level.name}: {_format_fraction(level.volume_fraction)}"
        if level.distance_m is not None and math.isfinite(level.distance_m):
            label += f", {level.distance_m:,.0f} m"
        if not reached:
            label += " (not reached)"
        handles[id(level)] = Patch(facecolor=colour, edgecolor=colour, alpha=0.55, label=label)
    return [handles[id(level)] for level in levels]  # legend in the caller's order


def _draw_wind(ax: Axes, wind_from_deg: float) -> None:
    """Draw a wind arrow in the lower-right corner (the direction the wind blows to)."""
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    size = 0.06 * min(xmax - xmin, ymax - ymin)
    cx, cy = xmax - 0.1 * (xmax - xmin), ymin + 0.1 * (ymax - ymin)
    rad = math.radians(wind_from_deg)
    dx, dy = -math.sin(rad) * size, -math.cos(rad) * size
    ax.annotate(
        "",
        xy=(cx + dx / 2, cy + dy / 2),
        xytext=(cx - dx / 2, cy - dy / 2),
        arrowprops={"arrowstyle": "-|>", "color": "#1f4e79", "lw": 2.0},
        zorder=60,
    )
    ax.text(
        cx,
        cy - 0.75 * size,
        f"wind from {wind_from_deg:.0f}°",
        ha="center",
        va="top",
        fontsize=8,
        color="#1f4e79",
        zorder=60,
    )


def plot_threat_zones(
    grid: Grid2D,
    peak_volume_fraction: NDArray[np.float64],
    levels: Sequence[ThreatLevel],
    *,
    source_xy_m: tuple[float, float],
    wind_from_deg: float,
    title: str,
    site: SiteView | None = None,
) -> Figure:
    """Draw the threat zones of a release over the site plan (or over a blank plan).

    Parameters
    ----------
    grid : geometry.grid.Grid2D
        Receptor grid of the field, m.
    peak_volume_fraction : (ny, nx) float
        Peak concentration over the run at each receptor, volume fraction.
    levels : sequence of ThreatLevel
        Levels to draw; at most five.
    source_xy_m : (float, float)
        Release position, m.
    wind_from_deg : float
        Direction the wind blows from, degrees clockwise from north.
    title : str
        Figure title.
    site : twin.runtime.SiteView, optional
        Site drawn underneath; the map then spans the site and the zones.

    Returns
    -------
    matplotlib.figure.Figure
        The map; the caller saves or closes it.

    Raises
    ------
    ValueError
        If the field does not match the grid, or more than five levels are given.
    """
    peak = np.asarray(peak_volume_fraction, dtype=np.float64)
    if peak.shape != grid.shape:
        raise ValueError(
            f"peak_volume_fraction has shape {peak.shape}: must match the grid {grid.shape}"
        )
    if not 1 <= len(levels) <= len(SEVERITY_COLOURS):
        raise ValueError(f"levels has {len(levels)} entries: give 1 to {len(SEVERITY_COLOURS)}")
    xmin, ymin, xmax, ymax = grid.bounds_m
    if site is not None:
        fig = plot_site_overview(site)
        ax = fig.axes[0]
        sx0, sx1 = ax.get_xlim()
        sy0, sy1 = ax.get_ylim()
        ax.set_xlim(min(sx0, xmin), max(sx1, xmax))
        ax.set_ylim(min(sy0, ymin), max(sy1, ymax))
        ax.set_title(title, fontsize=12)
    else:
        fig = Figure(figsize=(9, 7.5), layout="constrained")
        ax = fig.add_subplot()
        ax.set_facecolor("#f4f4f0")
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=12)
        ax.set_xlabel("x (m, east)")
        ax.set_ylabel("y (m, north)")
        ax.grid(True, color="white", lw=0.8)
        draw_scale_bar(ax, (xmin, ymin, xmax, ymax))
        draw_north_arrow(ax, (xmin, ymin, xmax, ymax), 0.0)
    handles = _draw_levels(ax, grid, peak, levels)
    ax.plot(*source_xy_m, marker="*", ms=14, color="black", mec="white", zorder=70)
    _draw_wind(ax, wind_from_deg)
    ax.legend(
        handles=handles,
        loc="upper left",
        fontsize=8,
        title="Threat zones (peak concentration)",
        title_fontsize=8,
        framealpha=0.9,
    ).set_zorder(80)
    return fig


def plot_release_threat_zones(
    outcome: ReleaseOutcome, *, title: str, site: SiteView | None = None
) -> Figure:
    """Draw the concentration levels of a release run (:func:`scenarios.release.run_release`).

    Parameters
    ----------
    outcome : scenarios.release.ReleaseOutcome
        The run; its concentration zones (not the dose-based probit zones) are drawn.
    title : str
        Figure title.
    site : twin.runtime.SiteView, optional
        Site drawn underneath.

    Returns
    -------
    matplotlib.figure.Figure
        The map; the caller saves or closes it.
    """
    levels = [
        ThreatLevel(z.level_name, z.threshold_volume_fraction, z.distance_m)
        for z in outcome.zones
        if z.threshold_volume_fraction is not None
    ]
    return plot_threat_zones(
        outcome.grid,
        outcome.peak_volume_fraction,
        levels,
        source_xy_m=outcome.spec.position_m,
        wind_from_deg=outcome.weather.wind_from_deg,
        title=title,
        site=site,
    )
