"""Dense-gas field sampler: protocol, wind direction, quasi-steady timing, moving cloud."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.atmosphere import Weather
from solvers.dispersion.concentration_field import concentration_field
from solvers.dispersion.dense_gas_field import DenseGasField, dense_gas_field
from solvers.dispersion.dense_gas_slab import slab_plume
from solvers.errors import InvalidInputError
from solvers.hazard_field import FieldSampler, HazardSample
from solvers.source.source_term import SourceTerm, constant_source

WEST_WIND = Weather(wind_speed_m_s=3.0, wind_from_deg=270.0, stability_class="D")
NORTH_WIND = Weather(wind_speed_m_s=3.0, wind_from_deg=0.0, stability_class="D")


@pytest.fixture(scope="module")
def continuous_field() -> DenseGasField:
    source = constant_source("chlorine", 5.0, 1800.0, temperature_k=239.2)
    return dense_gas_field(source, WEST_WIND, source_x_m=100.0, source_y_m=50.0, kind="continuous")


def test_is_a_field_sampler(continuous_field: DenseGasField) -> None:
    sampler: FieldSampler = continuous_field
    assert sampler.substance == "chlorine"
    sample = sampler.sample(np.array([[150.0, 50.0, 0.5], [0.0, 0.0, 0.0]]), 600.0)
    assert isinstance(sample, HazardSample)
    assert sample.volume_fraction.shape == (2,)
    assert sample.volume_fraction[0] > 0.0
    assert sample.volume_fraction[1] == 0.0
    assert np.all(sample.radiation_w_m2 == 0.0)
    assert np.all(sample.overpressure_pa == 0.0)


def test_steady_part_equals_the_slab_plume(continuous_field: DenseGasField) -> None:
    """Long after the start, the field at (x, y) downwind equals the steady plume (exact)."""
    plume = slab_plume(
        substance_key="chlorine", mass_rate_kg_s=5.0, temperature_k=239.2, weather=WEST_WIND
    )
    x = np.array([20.0, 200.0, 2000.0])
    pts = np.column_stack([100.0 + x, np.full(3, 50.0), np.full(3, 0.5)])
    got = continuous_field.volume_fraction(pts, 1500.0)
    np.testing.assert_allclose(got, plume.volume_fraction_at(x, 0.0, 0.5), rtol=1e-12)


def test_wind_direction_rotates_the_plume() -> None:
    """Wind from 270 deg carries gas east (+x); wind from 0 deg carries it south (-y)."""
    source = constant_source("chlorine", 5.0, 1800.0, temperature_k=239.2)
    east = dense_gas_field(source, WEST_WIND, kind="continuous")
    south = dense_gas_field(source, NORTH_WIND, kind="continuous")
    a = east.volume_fraction(np.array([[300.0, 10.0, 1.0]]), 900.0)
    b = south.volume_fraction(np.array([[10.0, -300.0, 1.0]]), 900.0)
    assert a[0] > 0.0
    assert b[0] == pytest.approx(a[0], rel=1e-12)
    assert south.volume_fraction(np.array([[300.0, 10.0, 1.0]]), 900.0)[0] == 0.0


def test_gas_arrives_after_the_travel_time_and_leaves_after_the_release(
    continuous_field: DenseGasField,
) -> None:
    plume = continuous_field.plumes[-1]
    x = 500.0
    travel = float(plume.travel_time_at_s(x))
    pt = np.array([[100.0 + x, 50.0, 0.5]])
    assert continuous_field.volume_fraction(pt, 0.5 * travel)[0] == 0.0
    assert continuous_field.volume_fraction(pt, 1.5 * travel)[0] > 0.0
    assert continuous_field.volume_fraction(pt, 1800.0 + 1.5 * travel)[0] == 0.0


def test_time_varying_release_is_quasi_steady() -> None:
    """A receptor sees the steady plume of the rate emitted one travel time earlier."""
    source = SourceTerm(
        substance="chlorine",
        model="test",
        phase="gas",
        t_s=np.array([0.0, 300.0, 300.001, 1200.0]),
        discharge_rate_kg_s=np.array([10.0, 10.0, 2.0, 2.0]),
        airborne_rate_kg_s=np.array([10.0, 10.0, 2.0, 2.0]),
        rainout_rate_kg_s=np.zeros(4),
        temperature_k=np.full(4, 239.2),
        velocity_m_s=np.zeros(4),
        aerosol_fraction=np.zeros(4),
    )
    field = dense_gas_field(source, WEST_WIND, kind="continuous")
    assert [p.mass_rate_kg_s for p in field.plumes] == [2.0, 10.0]
    x = 100.0
    travel = float(field.plumes[-1].travel_time_at_s(x))
    pt = np.array([[x, 0.0, 0.5]])
    high = field.volume_fraction(pt, 150.0 + travel)[0]
    low = field.volume_fraction(pt, 900.0 + travel)[0]
    assert high == pytest.approx(float(field.plumes[1].centreline_volume_fraction(x)), rel=1e-9)
    assert low == pytest.approx(float(field.plumes[0].centreline_volume_fraction(x)), rel=1e-9)
    assert high > low


def test_instantaneous_cloud_moves_downwind() -> None:
    source = constant_source("propane", 200.0, 5.0, temperature_k=231.0)
    field = dense_gas_field(source, WEST_WIND, kind="instantaneous")
    assert field.cloud is not None
    x = np.linspace(0.0, 3000.0, 3001)
    pts = np.column_stack([x, np.zeros_like(x), np.zeros_like(x)])
    peaks = [x[np.argmax(field.volume_fraction(pts, t))] for t in (60.0, 300.0, 900.0)]
    assert peaks[0] < peaks[1] < peaks[2]
    assert field.cloud_release_time_s == pytest.approx(2.5)
    assert np.all(field.volume_fraction(pts, 1.0) == 0.0)


def test_auto_uses_the_workbook_classification() -> None:
    """u10 Td / x: continuous near the source, instantaneous far away, capped in between."""
    source = constant_source("chlorine", 10.0, 100.0, temperature_k=239.2)
    auto = dense_gas_field(source, WEST_WIND, kind="auto")
    cont = dense_gas_field(source, WEST_WIND, kind="continuous")
    inst = dense_gas_field(source, WEST_WIND, kind="instantaneous")
    u_td = auto.wind_speed_10m_m_s * 100.0
    near = np.array([[0.2 * u_td, 0.0, 0.5]])
    far = np.array([[3.0 * u_td, 0.0, 0.5]])
    t_near, t_far = 120.0, 3.0 * u_td / 1.5
    assert auto.volume_fraction(near, t_near)[0] == cont.volume_fraction(near, t_near)[0]
    assert auto.volume_fraction(far, t_far)[0] == inst.volume_fraction(far, t_far)[0]
    middle = np.array([[u_td, 0.0, 0.5]])
    for t in (200.0, 300.0, 400.0):
        assert auto.volume_fraction(middle, t)[0] <= cont.volume_fraction(middle, t)[0]


def test_works_inside_the_concentration_field_wrapper(continuous_field: DenseGasField) -> None:
    """The field is a ConcentrationModel: the generic wrapper samples its kg/m^3."""
    wrapped = concentration_field(continuous_field, substance="chlorine", weather=WEST_WIND)
    pts = np.array([[600.0, 50.0, 0.5]])
    assert wrapped.concentration_kg_m3(pts, 900.0)[0] == pytest.approx(
        continuous_field.concentration_kg_m3(pts, 900.0)[0]
    )


def test_bad_inputs() -> None:
    with pytest.raises(InvalidInputError, match="airborne mass"):
        dense_gas_field(constant_source("chlorine", 0.0, 60.0, temperature_k=239.2), WEST_WIND)
    with pytest.raises(InvalidInputError, match="kind"):
        dense_gas_field(
            constant_source("chlorine", 1.0, 60.0, temperature_k=239.2),
            WEST_WIND,
            kind="sideways",  # type: ignore[arg-type]
        )
    field = dense_gas_field(
        constant_source("chlorine", 1.0, 60.0, temperature_k=239.2), WEST_WIND, kind="continuous"
    )
    with pytest.raises(InvalidInputError, match="points_m"):
        field.volume_fraction(np.zeros((2, 2)), 0.0)
