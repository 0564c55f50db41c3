"""Threat-zone maps render the levels in their conventional colours where the field reaches them."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geometry.grid import Grid2D
from viz.threat_zone_map import ThreatLevel, level_colour, plot_threat_zones


def _rgb(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3]


def _gaussian_field(grid: Grid2D) -> np.ndarray:
    x, y = grid.centres_m()
    return 1e-3 * np.exp(-((x - 100.0) ** 2) / (2 * 60.0**2) - y**2 / (2 * 15.0**2))


def test_levels_are_filled_in_their_colours() -> None:
    grid = Grid2D((-50.0, -100.0), 2.0, (100, 200))
    levels = [
        ThreatLevel("AEGL-3 (60 min)", 5e-4, 180.0),
        ThreatLevel("AEGL-2 (60 min)", 1.6e-4, 260.0),
        ThreatLevel("AEGL-1 (60 min)", 3e-5),
    ]
    fig = plot_threat_zones(
        grid,
        _gaussian_field(grid),
        levels,
        source_xy_m=(0.0, 0.0),
        wind_from_deg=270.0,
        title="ammonia, test field",
    )
    rgb = _rgb(fig).astype(int)
    # Red over the pale background blends to a strongly red pixel; count them.
    reddish = (rgb[..., 0] > 200) & (rgb[..., 1] < 140) & (rgb[..., 2] < 140)
    yellowish = (rgb[..., 0] > 220) & (rgb[..., 1] > 200) & (rgb[..., 2] < 150)
    assert reddish.sum() > 500
    assert yellowish.sum() > 500
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("AEGL-3")
    assert "180 m" in labels[0]
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue().startswith(b"\x89PNG")


def test_level_not_reached_is_said_in_the_legend() -> None:
    grid = Grid2D((0.0, 0.0), 1.0, (10, 10))
    fig = plot_threat_zones(
        grid,
        np.zeros((10, 10)),
        [ThreatLevel("LFL", 0.044)],
        source_xy_m=(5.0, 5.0),
        wind_from_deg=0.0,
        title="empty",
    )
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["LFL: 4.4 % v/v (not reached)"]


def test_field_must_match_grid() -> None:
    grid = Grid2D((0.0, 0.0), 1.0, (10, 10))
    with pytest.raises(ValueError, match="must match the grid"):
        plot_threat_zones(
            grid,
            np.zeros((5, 5)),
            [ThreatLevel("LFL", 0.044)],
            source_xy_m=(0.0, 0.0),
            wind_from_deg=0.0,
            title="t",
        )


def test_colour_conventions() -> None:
    assert level_colour("ERPG-2", 0) == "#fd8d3c"
    assert level_colour("half LFL", 0) == "#fd8d3c"
    assert level_colour("LFL", 2) == "#d7191c"
    assert level_colour("custom", 1) == "#fd8d3c"
