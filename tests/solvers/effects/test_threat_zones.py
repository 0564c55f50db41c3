"""Tests of solvers.effects.threat_zones: footprints on a grid and plume-centreline distances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geometry.grid import Grid2D
from solvers.effects.threat_zones import (
    grid_probit_zones,
    grid_threat_zones,
    plume_probit_zone,
    plume_threat_distance_m,
    plume_threat_zones,
)
from solvers.effects.threshold_zones import ThresholdLevel
from solvers.effects.toxic_load import concentration_for_probability
from solvers.errors import InvalidInputError
from solvers.substances.library import ToxicProbit

C0 = 1e-2  # peak concentration at the source, volume fraction
DECAY_M = 200.0  # e-folding length along the wind, m
SIGMA_M = 30.0  # crosswind spread, m
LEVEL = 1e-3
CELL_M = 2.0


def _level(volume_fraction: float, name: str = "test level") -> ThresholdLevel:
    return ThresholdLevel(
        key="t", name=name, volume_fraction=volume_fraction, tier=2, family="aegl", source="test"
    )


def _analytic_field(grid: Grid2D, wind_from_deg: float) -> np.ndarray:
    """c = C0 exp(-s/L - n^2/(2 sigma^2)) downwind of the origin, zero upwind."""
    ux, uy = -math.sin(math.radians(wind_from_deg)), -math.cos(math.radians(wind_from_deg))
    x, y = np.meshgrid(grid.x_m, grid.y_m)
    s = x * ux + y * uy
    n = y * ux - x * uy
    return np.where(s >= 0.0, C0 * np.exp(-s / DECAY_M - n**2 / (2 * SIGMA_M**2)), 0.0)


@pytest.fixture(scope="module")
def grid() -> Grid2D:
    return Grid2D.covering((-700.0, -700.0, 700.0, 700.0), CELL_M)


@pytest.mark.verification
@pytest.mark.parametrize("wind_from_deg", [270.0, 0.0, 135.0])
def test_footprint_distance_width_and_area_match_the_analytic_field(
    grid: Grid2D, wind_from_deg: float
) -> None:
    """Analytic field c = C0 exp(-s/L - n^2/2 sigma^2) (s downwind, n crosswind): the level is
    reached to s = L ln(C0/c), over a width 2 sigma sqrt(2 ln(C0/c)) and an area
    (4 sqrt 2 / 3) sigma L ln(C0/c)^(3/2). Tolerances: distance and width within 1.5 cells
    (centre-based resolution on a rotated grid), area within 2 %."""
    field = _analytic_field(grid, wind_from_deg)
    (zone,) = grid_threat_zones(
        field, grid, [_level(LEVEL)], source_xy_m=(0.0, 0.0), wind_from_deg=wind_from_deg
    )
    ratio = math.log(C0 / LEVEL)
    assert zone.distance_m == pytest.approx(DECAY_M * ratio, abs=1.5 * CELL_M)
    assert zone.width_m == pytest.approx(2 * SIGMA_M * math.sqrt(2 * ratio), abs=1.5 * CELL_M)
    area = 4.0 * math.sqrt(2.0) / 3.0 * SIGMA_M * DECAY_M * ratio**1.5
    assert zone.area_m2 == pytest.approx(area, rel=0.02)
    assert zone.mask is not None
    assert zone.mask.shape == grid.shape
    assert not zone.mask.flags.writeable
    assert zone.threshold_volume_fraction == LEVEL


def test_footprint_is_the_union_over_time(grid: Grid2D) -> None:
    x, y = np.meshgrid(grid.x_m, grid.y_m)
    frames = [np.where((x - xc) ** 2 + y**2 <= 20.0**2, 5e-3, 0.0) for xc in (100.0, 300.0)]
    zones = grid_threat_zones(
        np.stack(frames), grid, [_level(1e-3)], source_xy_m=(0.0, 0.0), wind_from_deg=270.0
    )
    assert zones[0].distance_m == pytest.approx(320.0, abs=CELL_M)
    single = grid_threat_zones(
        frames[0], grid, [_level(1e-3)], source_xy_m=(0.0, 0.0), wind_from_deg=270.0
    )
    assert single[0].area_m2 is not None
    assert zones[0].area_m2 is not None
    assert zones[0].area_m2 == pytest.approx(2 * single[0].area_m2, rel=1e-9)


def test_unreached_level_has_an_empty_zone(grid: Grid2D) -> None:
    (zone,) = grid_threat_zones(
        np.zeros(grid.shape),
        grid,
        [_level(1e-6)],
        source_xy_m=(0.0, 0.0),
        wind_from_deg=270.0,
        keep_masks=False,
    )
    assert (zone.distance_m, zone.area_m2, zone.width_m, zone.mask) == (0.0, 0.0, 0.0, None)


@pytest.mark.verification
def test_probit_zone_of_a_constant_field_matches_the_closed_form(grid: Grid2D) -> None:
    """Analytic: a field held for 30 min reaches 50 % fatality where C >= C50(30 min) from the
    closed form; the grid zone equals the concentration zone of that level (same cells)."""
    probit = ToxicProbit(-8.29, 0.92, 2.0)
    field = 0.05 * _analytic_field(grid, 270.0)  # 500 ppm at the source
    t_s = np.array([0.0, 1800.0])
    (zone50,) = grid_probit_zones(
        np.stack([field, field]),
        t_s,
        grid,
        probit,
        source_xy_m=(0.0, 0.0),
        wind_from_deg=270.0,
        fatality_fractions=(0.5,),
    )
    c50 = concentration_for_probability(0.5, probit, duration_s=1800.0)
    (reference,) = grid_threat_zones(
        field, grid, [_level(c50)], source_xy_m=(0.0, 0.0), wind_from_deg=270.0
    )
    assert zone50.mask is not None
    assert reference.mask is not None
    assert np.array_equal(zone50.mask, reference.mask)
    assert zone50.distance_m == pytest.approx(DECAY_M * math.log(0.05 * C0 / c50), abs=3.0)
    assert zone50.fatality_probability == 0.5
    assert zone50.threshold_volume_fraction is None
    assert zone50.level_name == "50 % fatality"


def test_one_percent_zone_contains_the_fifty_percent_zone(grid: Grid2D) -> None:
    probit = ToxicProbit(-8.29, 0.92, 2.0)
    field = 0.05 * _analytic_field(grid, 270.0)
    z1, z50 = grid_probit_zones(
        np.stack([field, field]),
        [0.0, 1800.0],
        grid,
        probit,
        source_xy_m=(0.0, 0.0),
        wind_from_deg=270.0,
    )
    assert z1.mask is not None
    assert z50.mask is not None
    assert np.all(z1.mask[z50.mask])
    assert z1.distance_m > z50.distance_m > 0.0
    assert z1.distance_m < 690.0  # inside the grid


@pytest.mark.verification
def test_centreline_distance_of_an_inverse_square_plume() -> None:
    """Analytic: c(x) = Q / x^2 reaches c at x = sqrt(Q / c); Brent's method to 1e-8 rel."""
    q = 50.0
    distance = plume_threat_distance_m(lambda x: q / x**2, 1e-4, x_min_m=1.0, x_max_m=1e4)
    assert distance == pytest.approx(math.sqrt(q / 1e-4), rel=1e-8)


@pytest.mark.verification
def test_centreline_with_a_ground_maximum_returns_the_last_crossing() -> None:
    """Analytic: c = A x exp(-x/L) (an elevated release, zero at the source) rises then
    falls; the threat distance is the larger root of A x exp(-x/L) = c."""
    a, length = 1e-4, 500.0
    level = 0.01  # below the peak A L / e = 0.0184

    def profile(x: float) -> float:
        return a * x * math.exp(-x / length)

    distance = plume_threat_distance_m(profile, level, x_min_m=1.0, x_max_m=2e4)
    assert profile(distance) == pytest.approx(level, rel=1e-8)
    assert distance > length


def test_centreline_edge_cases() -> None:
    assert plume_threat_distance_m(lambda x: 1e-6 / x, 1e-3) == 0.0
    assert plume_threat_distance_m(lambda x: 0.5, 1e-3, x_max_m=100.0) == math.inf
    with pytest.raises(InvalidInputError, match="x_max_m"):
        plume_threat_distance_m(lambda x: 1.0 / x, 1e-3, x_min_m=10.0, x_max_m=5.0)
    with pytest.raises(InvalidInputError, match="centreline"):
        plume_threat_distance_m(lambda x: -1.0, 1e-3)
    with pytest.raises(InvalidInputError, match="threshold_volume_fraction"):
        plume_threat_distance_m(lambda x: 1.0 / x, 0.0)
    with pytest.raises(InvalidInputError, match="n_scan"):
        plume_threat_distance_m(lambda x: 1.0 / x, 1e-3, n_scan=1)


def test_plume_zones_per_level() -> None:
    zones = plume_threat_zones(lambda x: 1.0 / x**2, [_level(1e-4, "a"), _level(1e-6, "b")])
    assert [z.level_name for z in zones] == ["a", "b"]
    assert zones[0].distance_m == pytest.approx(100.0, rel=1e-8)
    assert zones[1].distance_m == pytest.approx(1000.0, rel=1e-8)
    assert zones[0].area_m2 is None
    assert zones[0].mask is None


@pytest.mark.verification
def test_plume_probit_zone_uses_the_equivalent_concentration() -> None:
    """Analytic: Withers & Lees chlorine, 10-min exposure: 50 % at 433 ppm, so with
    c = Q / x^2 the distance is sqrt(Q / 433e-6)."""
    probit = ToxicProbit(-8.29, 0.92, 2.0)
    zone = plume_probit_zone(
        lambda x: 1.0 / x**2, probit, fatality_probability=0.5, exposure_duration_s=600.0
    )
    assert zone.threshold_volume_fraction is not None
    assert zone.threshold_volume_fraction * 1e6 == pytest.approx(433.0, rel=5e-3)
    assert zone.distance_m == pytest.approx(
        math.sqrt(1.0 / zone.threshold_volume_fraction), rel=1e-8
    )
    assert zone.level_name == "50 % fatality (10 min)"


def test_bad_grid_inputs_are_refused(grid: Grid2D) -> None:
    with pytest.raises(InvalidInputError, match="shape"):
        grid_threat_zones(
            np.zeros((3, 4)), grid, [_level(1e-3)], source_xy_m=(0.0, 0.0), wind_from_deg=270.0
        )
    with pytest.raises(InvalidInputError, match="volume_fraction"):
        grid_threat_zones(
            np.full(grid.shape, 2.0),
            grid,
            [_level(1e-3)],
            source_xy_m=(0.0, 0.0),
            wind_from_deg=270.0,
        )
    with pytest.raises(InvalidInputError, match="wind_from_deg"):
        grid_threat_zones(
            np.zeros(grid.shape),
            grid,
            [_level(1e-3)],
            source_xy_m=(0.0, 0.0),
            wind_from_deg=400.0,
        )
    with pytest.raises(InvalidInputError, match="t_s"):
        grid_probit_zones(
            np.zeros((2, *grid.shape)),
            [0.0],
            grid,
            ToxicProbit(-8.29, 0.92, 2.0),
            source_xy_m=(0.0, 0.0),
            wind_from_deg=270.0,
        )
