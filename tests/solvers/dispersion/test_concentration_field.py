"""The concentration field: unit conversion, the FieldSampler protocol, grid evaluation."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from geometry.grid import Grid2D, Grid3D
from solvers.atmosphere import Weather
from solvers.dispersion import concentration_field as field_module
from solvers.dispersion.concentration_field import (
    GAS_CONSTANT_J_MOL_K,
    ConcentrationField,
    FunctionModel,
    GridConcentrationModel,
    concentration_field,
    evaluate_on_grid,
    kg_m3_to_volume_fraction,
    volume_fraction_to_kg_m3,
)
from solvers.dispersion.gaussian_plume import PlumeSource, gaussian_plume
from solvers.dispersion.gaussian_puff import gaussian_puff_train
from solvers.errors import InvalidInputError
from solvers.hazard_field import FieldSampler, HazardSample
from solvers.source.source_term import constant_source

WEATHER = Weather(wind_speed_m_s=3.0, wind_from_deg=250.0, stability_class="E")


def test_docstring_examples() -> None:
    assert doctest.testmod(field_module).failed == 0


@pytest.mark.verification
def test_ideal_gas_conversion() -> None:
    """x = C R T / (P M): 1 mol/m^3 of any gas at 1e5 Pa, 300 K is R T / P of the volume."""
    m = 0.044
    got = kg_m3_to_volume_fraction(m, molar_mass_kg_mol=m, temperature_k=300.0, pressure_pa=1e5)
    assert float(got) == pytest.approx(GAS_CONSTANT_J_MOL_K * 300.0 / 1e5, rel=1e-15)
    c = np.array([1e-6, 1e-3, 0.5])
    back = volume_fraction_to_kg_m3(
        kg_m3_to_volume_fraction(c, molar_mass_kg_mol=0.071, temperature_k=280.0, pressure_pa=9e4),
        molar_mass_kg_mol=0.071,
        temperature_k=280.0,
        pressure_pa=9e4,
    )
    np.testing.assert_allclose(back, c, rtol=1e-14)


def test_volume_fraction_is_capped_at_one() -> None:
    got = kg_m3_to_volume_fraction(
        50.0, molar_mass_kg_mol=0.016, temperature_k=290, pressure_pa=1e5
    )
    assert float(got) == 1.0


def test_field_samples_like_a_field_sampler() -> None:
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=0.5, release_height_m=1.0), WEATHER)
    field = concentration_field(
        plume, substance="ammonia", weather=WEATHER, molar_mass_kg_mol=0.017
    )
    sampler: FieldSampler = field
    pts = np.array([[300.0 * plume.downwind_unit[0], 300.0 * plume.downwind_unit[1], 1.5]])
    sample = sampler.sample(pts, 120.0)
    assert isinstance(sample, HazardSample)
    assert sampler.substance == "ammonia"
    expected = plume.concentration_kg_m3(pts) * GAS_CONSTANT_J_MOL_K * 293.15 / (101_325.0 * 0.017)
    np.testing.assert_allclose(sample.volume_fraction, expected, rtol=1e-12)
    assert np.all(sample.radiation_w_m2 == 0.0)
    assert np.all(sample.overpressure_pa == 0.0)


def test_molar_mass_comes_from_the_substance_library() -> None:
    field = concentration_field(
        FunctionModel(lambda p, t: np.zeros(len(p))), substance="ammonia", weather=WEATHER
    )
    assert field.molar_mass_kg_mol == pytest.approx(0.017031, rel=1e-3)
    with pytest.raises(InvalidInputError, match="molar_mass_kg_mol"):
        concentration_field(
            FunctionModel(lambda p, t: np.zeros(len(p))), substance=None, weather=WEATHER
        )


def test_any_function_can_be_a_model() -> None:
    def uniform(points_m: np.ndarray, t_s: float) -> np.ndarray:
        return np.full(points_m.shape[0], 1e-3 * t_s)

    field = ConcentrationField(
        model=FunctionModel(uniform),
        substance=None,
        molar_mass_kg_mol=0.03,
        ambient_temperature_k=290.0,
        ambient_pressure_pa=1e5,
    )
    assert not isinstance(field.model, GridConcentrationModel)
    grid = Grid2D((0.0, 0.0), 1.0, (3, 4))
    out = evaluate_on_grid(field, grid, [1.0, 2.0])
    assert out.shape == (2, 3, 4)
    np.testing.assert_allclose(out[1], 2e-3)


def test_grid_evaluation_matches_points_for_plume_and_puffs() -> None:
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=0.5), WEATHER)
    train = gaussian_puff_train(
        constant_source("propane", 0.5, 600.0, temperature_k=290.0), WEATHER
    )
    assert isinstance(train, GridConcentrationModel)
    grid = Grid2D((-50.0, -200.0), 10.0, (30, 45))
    xx, yy = grid.centres_m()
    pts = np.column_stack([xx.ravel(), yy.ravel(), np.full(xx.size, 1.5)])
    times = np.array([60.0, 300.0, 900.0])
    for model in (plume, train):
        field = concentration_field(
            model, substance="propane", weather=WEATHER, molar_mass_kg_mol=0.0441
        )
        out = evaluate_on_grid(field, grid, times, quantity="volume_fraction")
        assert out.shape == (3, 30, 45)
        for i, t in enumerate(times):
            ref = field.volume_fraction(pts, t).reshape(grid.shape)
            # puff tails beyond 6 sigma_y are cut differently by the grid and point paths
            np.testing.assert_allclose(out[i], ref, rtol=1e-9, atol=1e-6 * max(ref.max(), 1e-30))


def test_grid3d_gives_one_layer_per_height() -> None:
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=1.0, release_height_m=3.0), WEATHER)
    field = concentration_field(plume, substance=None, weather=WEATHER, molar_mass_kg_mol=0.017)
    grid = Grid3D(Grid2D((0.0, -40.0), 4.0, (20, 25)), 0.0, 3)
    out = evaluate_on_grid(field, grid, [0.0, 10.0])
    assert out.shape == (2, 3, 20, 25)
    layer = evaluate_on_grid(field, grid.plan, [0.0], z_m=float(grid.z_m[1]))
    np.testing.assert_allclose(out[0, 1], layer[0])


def test_bad_inputs_are_named() -> None:
    plume = gaussian_plume(PlumeSource(mass_rate_kg_s=1.0), WEATHER)
    field = concentration_field(plume, substance=None, weather=WEATHER, molar_mass_kg_mol=0.017)
    grid = Grid2D((0.0, 0.0), 1.0, (2, 2))
    with pytest.raises(InvalidInputError, match="quantity"):
        evaluate_on_grid(field, grid, [0.0], quantity="ppm")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="times_s"):
        evaluate_on_grid(field, grid, [np.nan])
    with pytest.raises(InvalidInputError, match="molar_mass_kg_mol"):
        ConcentrationField(
            model=plume,
            substance=None,
            molar_mass_kg_mol=0.0,
            ambient_temperature_k=290.0,
            ambient_pressure_pa=1e5,
        )
    with pytest.raises(InvalidInputError, match="points_m"):
        field.sample(np.zeros((2, 2)), 0.0)
