"""Site plans render real images off-screen with the expected content."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib import colors
from matplotlib.image import imread

from twin import load_site
from viz.site_plan import (
    GAS_DETECTOR,
    SAFETY_GREEN,
    _nice_length,
    plot_building_level,
    plot_site_overview,
    save_figure,
    write_site_plans,
)


def _pixels_near(image: np.ndarray, colour: str, tol: float = 0.06) -> int:
    rgb = np.asarray(colors.to_rgb(colour))
    return int(np.sum(np.all(np.abs(image[..., :3] - rgb) < tol, axis=-1)))


@pytest.fixture(scope="module")
def small_view(small_site_file: Path):
    return load_site(small_site_file).view()


def test_overview_draws_gates_detectors_and_muster_points(small_view, tmp_path: Path) -> None:
    path = save_figure(plot_site_overview(small_view), tmp_path / "plan.png", dpi=80)
    image = imread(path)
    assert image.shape[0] > 300
    assert image.shape[1] > 300
    assert image[..., :3].std() > 0.05, "the image is blank"
    assert _pixels_near(image, SAFETY_GREEN) > 50  # gate G1, exit E1, muster point M1
    assert _pixels_near(image, GAS_DETECTOR) > 10  # detector GD1


def test_storey_plan_shows_rooms_and_exit(small_view, tmp_path: Path) -> None:
    fig = plot_building_level(small_view, "office", "L0")
    title = fig.axes[0].get_title()
    assert "Office" in title
    assert "L0" in title
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "West office\n3 p" in texts
    assert "East office\n2 p" in texts
    assert any(t.strip() == "E1" for t in texts)
    image = imread(save_figure(fig, tmp_path / "office.png", dpi=80))
    assert _pixels_near(image, SAFETY_GREEN) > 20


def test_write_site_plans_names_one_file_per_storey(lng_site_file: Path, tmp_path: Path) -> None:
    view = load_site(lng_site_file).view()
    written = write_site_plans(view, tmp_path / "plan.png", dpi=40)
    names = sorted(p.name for p in written)
    expected_storeys = sum(len(b.levels) for b in view.site.buildings)
    assert len(written) == 1 + expected_storeys
    assert "plan_control_L1.png" in names
    assert written[0].name == "plan.png"
    assert all(p.stat().st_size > 1000 for p in written)


def test_failed_save_leaves_previous_image(small_view, tmp_path: Path) -> None:
    target = tmp_path / "plan.png"
    target.write_bytes(b"previous")
    fig = plot_site_overview(small_view)
    with pytest.raises(ValueError, match="Format 'xyz' is not supported"):
        save_figure(fig, tmp_path / "plan.xyz")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.png"]


@pytest.mark.parametrize(
    ("target_m", "expected_m"), [(0.3, 0.2), (1.0, 1.0), (7.0, 5.0), (180.0, 100.0), (260.0, 200.0)]
)
def test_scale_bar_lengths_are_round(target_m: float, expected_m: float) -> None:
    assert _nice_length(target_m) == pytest.approx(expected_m)


@pytest.mark.parametrize(
    ("grid_rotation_deg", "expected"), [(0.0, (0.0, 1.0)), (90.0, (-1.0, 0.0)), (-90.0, (1.0, 0.0))]
)
def test_north_arrow_points_to_true_north(grid_rotation_deg: float, expected: tuple) -> None:
    """Local +y is grid_rotation_deg clockwise of north: north is that angle anticlockwise of +y."""
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from viz.site_plan import draw_north_arrow

    ax = Figure().subplots()
    draw_north_arrow(ax, (0.0, 0.0, 100.0, 100.0), grid_rotation_deg)
    (arrow,) = [t for t in ax.texts if isinstance(t, Annotation)]
    direction = np.subtract(arrow.xy, arrow.xyann)
    np.testing.assert_allclose(direction / np.linalg.norm(direction), expected, atol=1e-12)


def test_storey_plan_shows_equipment_and_detectors_inside(tmp_path: Path) -> None:
    """The ammonia machine room holds receivers R-1..R-3 and compressors K-1..K-3, and detectors."""
    view = load_site(
        Path(__file__).resolve().parents[2] / "examples/sites/ammonia_plant/site.yaml"
    ).view()
    fig = plot_building_level(view, "machine_room", "L0")
    texts = {t.get_text().strip() for t in fig.axes[0].texts if t.get_visible()}
    assert {"R-1", "R-2", "R-3", "K-1", "K-2", "K-3"} <= texts
    inside = [d.id for d in view.site.detectors if d.id.startswith("AD-M")]
    assert inside
    assert set(inside) <= texts


def test_declutter_hides_overlapping_labels_by_priority() -> None:
    from matplotlib.figure import Figure

    from viz.site_plan import declutter_labels

    fig = Figure(figsize=(4, 4))
    ax = fig.subplots()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    high = ax.text(5, 5, "building", zorder=9)
    low = ax.text(5.1, 5.0, "zone name", zorder=2)
    apart = ax.text(1, 1, "gate", zorder=2)
    assert declutter_labels(fig, ax) == 1
    assert high.get_visible()
    assert not low.get_visible()
    assert apart.get_visible()
