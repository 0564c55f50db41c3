"""Slab (continuous) and box (instantaneous) dense-gas model: conservation, limits, inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from solvers.atmosphere import Weather
from solvers.dispersion.dense_gas_slab import (
    SlabCloud,
    SlabPlume,
    SlabSettings,
    slab_cloud,
    slab_plume,
)
from solvers.dispersion.gaussian_plume import PlumeSource, gaussian_plume
from solvers.errors import InvalidInputError
from solvers.substances.library import substance

WEATHER = Weather(
    wind_speed_m_s=3.0,
    wind_from_deg=270.0,
    stability_class="D",
    ambient_temperature_k=293.15,
    surface_roughness_m=0.03,
)
DRY = Weather(
    wind_speed_m_s=3.0,
    wind_from_deg=270.0,
    stability_class="D",
    ambient_temperature_k=293.15,
    surface_roughness_m=0.03,
    relative_humidity=0.0,
)


@pytest.fixture(scope="module")
def chlorine_plume() -> SlabPlume:
    return slab_plume(
        substance_key="chlorine", mass_rate_kg_s=5.0, temperature_k=239.2, weather=WEATHER
    )


@pytest.fixture(scope="module")
def chlorine_cloud() -> SlabCloud:
    return slab_cloud(
        substance_key="chlorine", mass_kg=2000.0, temperature_k=239.2, weather=WEATHER
    )


@pytest.mark.verification
def test_plume_carries_the_release_rate(chlorine_plume: SlabPlume) -> None:
    """Steady continuity: the substance flux 2 b h c u_c (dense) and the Gaussian's flux
    (passive) equal the release rate. 0.2 %: linear interpolation between the stored samples."""
    plume = chlorine_plume
    assert math.isfinite(plume.transition_m)
    for x in np.concatenate((plume.x_m[::37], [1.5 * plume.end_m, 10 * plume.end_m])):
        assert plume.mass_flux_kg_s(float(x)) == pytest.approx(5.0, rel=2e-3)


@pytest.mark.verification
def test_passive_flux_by_integrating_the_sampled_field(chlorine_plume: SlabPlume) -> None:
    """Integral of c u over the crosswind half-plane past the transition = Q (1e-3: quadrature)."""
    plume = chlorine_plume
    x = 4.0 * plume.end_m
    y = np.linspace(-3000.0, 3000.0, 1201)
    z = np.linspace(0.0, 1500.0, 601)
    yy, zz = np.meshgrid(y, z, indexing="ij")
    conc = plume.concentration_at_kg_m3(x, yy, zz)
    flux = float(np.trapezoid(np.trapezoid(conc, z), y)) * float(plume.speed_at_m_s(x))
    assert flux == pytest.approx(5.0, rel=1e-3)


@pytest.mark.verification
def test_cloud_keeps_its_mass(chlorine_cloud: SlabCloud) -> None:
    """Box stage: pi R^2 H c = M at every sample (round-off); passive stage: the
    Gaussian puff's line integrals give M (1e-3: quadrature)."""
    cloud = chlorine_cloud
    mass = math.pi * cloud.radius_m**2 * cloud.height_m * cloud.concentration_kg_m3
    np.testing.assert_allclose(mass, 2000.0, rtol=1e-9)
    t = 3.0 * cloud.end_s
    centre = float(cloud.centre_at_m(t))
    line = np.linspace(-10_000.0, 10_000.0, 20_001)
    z = np.linspace(0.0, 3000.0, 6001)
    peak = float(cloud.concentration_at_kg_m3(centre, 0.0, 0.0, t))
    along = np.trapezoid(cloud.concentration_at_kg_m3(centre + line, 0.0, 0.0, t), line)
    across = np.trapezoid(cloud.concentration_at_kg_m3(centre, line, 0.0, t), line)
    up = np.trapezoid(cloud.concentration_at_kg_m3(centre, 0.0, z, t), z)
    assert along * across * up / peak**2 == pytest.approx(2000.0, rel=1e-3)


@pytest.mark.verification
def test_concentration_is_continuous_at_the_transition(
    chlorine_plume: SlabPlume, chlorine_cloud: SlabCloud
) -> None:
    """The virtual-source Gaussian matches the top-hat's integrals and speed (1 %)."""
    plume, cloud = chlorine_plume, chlorine_cloud
    before, after = plume.centreline_volume_fraction([plume.end_m * 0.9999, plume.end_m * 1.0001])
    assert after == pytest.approx(before, rel=0.01)
    early, late = cloud.peak_volume_fraction([cloud.end_s * 0.9999, cloud.end_s * 1.0001])
    assert late == pytest.approx(early, rel=0.01)
    assert float(plume.travel_time_at_s(plume.end_m * 1.0001)) == pytest.approx(
        float(plume.travel_time_at_s(plume.end_m)), rel=1e-3
    )


@pytest.mark.verification
def test_adiabatic_mixing_without_aerosol_is_an_enthalpy_balance() -> None:
    """Dry air, no aerosol: T = (cp_v T0 + r cp_a Ta) / (cp_v + r cp_a) with r the air-to-gas
    mass ratio (cp_v at the mean of T0 and Ta, cp_a = 1005 J/kg/K). Tolerance 0.05 K: the
    tabulated mixing states are interpolated on a log grid."""
    t0, ta = 239.2, DRY.ambient_temperature_k
    plume = slab_plume(substance_key="chlorine", mass_rate_kg_s=5.0, temperature_k=t0, weather=DRY)
    cp_v = substance("chlorine").gas_cp_j_kg_k(0.5 * (t0 + ta), DRY.ambient_pressure_pa)
    r = plume.air_mass_rate_kg_s / 5.0
    expected = (cp_v * t0 + r * 1005.0 * ta) / (cp_v + r * 1005.0)
    np.testing.assert_allclose(plume.temperature_k, expected, atol=0.05)


def test_aerosol_evaporation_cools_the_cloud_below_the_boiling_point() -> None:
    """Ammonia released at its boiling point with 40 % aerosol: entrained air evaporates the
    droplets, the mixture falls below the boiling point, then warms towards ambient."""
    nh3 = substance("ammonia")
    tb = nh3.normal_boiling_point_k
    plume = slab_plume(
        substance_key="ammonia",
        mass_rate_kg_s=20.0,
        temperature_k=tb,
        aerosol_fraction=0.4,
        weather=WEATHER,
    )
    assert plume.temperature_k.min() < tb - 5.0
    assert plume.temperature_k[-1] > plume.temperature_k.min()
    assert plume.density_kg_m3[0] > 1.15 * plume.air_density_kg_m3
    assert plume.volume_fraction[np.argmin(plume.temperature_k)] > 0.1
    assert math.isfinite(plume.transition_m)


def test_gravity_spreading_widens_the_plume() -> None:
    """With C_E = 0 the dense plume stays much narrower at the same distance."""
    kw = {
        "substance_key": "chlorine",
        "mass_rate_kg_s": 5.0,
        "temperature_k": 239.2,
        "weather": WEATHER,
    }
    spread = slab_plume(**kw)  # type: ignore[arg-type]
    still = slab_plume(**kw, settings=SlabSettings(spreading_coefficient=0.0))  # type: ignore[arg-type]
    x = 0.5 * min(spread.end_m, still.end_m)
    assert np.interp(x, spread.x_m, spread.half_width_m) > 2 * np.interp(
        x, still.x_m, still.half_width_m
    )


@pytest.mark.verification
def test_passive_limit_approaches_the_gaussian_plume() -> None:
    """Nearly neutral ethane with the transition disabled: the slab centreline is within a factor
    1.5 of the Gaussian plume (Briggs rural D) at 100 m to 1 km; the factor is the ratio of the
    transport speeds (depth-averaged wind against the 10 m wind)."""
    weather = Weather(
        wind_speed_m_s=5.0,
        wind_from_deg=270.0,
        stability_class="D",
        surface_roughness_m=0.1,
        relative_humidity=0.0,
    )
    settings = SlabSettings(
        transition_density_excess=0.0, transition_richardson_number=0.0, max_distance_m=2000.0
    )
    plume = slab_plume(
        substance_key="ethane",
        mass_rate_kg_s=0.1,
        temperature_k=293.15,
        weather=weather,
        source_half_width_m=0.5,
        settings=settings,
    )
    assert not math.isfinite(plume.transition_m)
    gauss = gaussian_plume(PlumeSource(mass_rate_kg_s=0.1), weather)
    x = np.array([100.0, 300.0, 1000.0])
    ratio = plume.concentration_at_kg_m3(x, 0.0, 0.0) / gauss.concentration_kg_m3(
        np.column_stack([x, 0 * x, 0 * x])
    )
    assert np.all((ratio > 1 / 1.5) & (ratio < 1.5))


def test_buoyant_source_is_passive_from_the_start() -> None:
    """Methane at ambient temperature is lighter than air: no dense stage, Gaussian at once."""
    plume = slab_plume(
        substance_key="methane", mass_rate_kg_s=1.0, temperature_k=293.15, weather=WEATHER
    )
    assert plume.transition_m == 0.0
    assert plume.x_m.size == 1
    c = plume.centreline_volume_fraction([10.0, 100.0, 1000.0])
    assert np.all(np.diff(c) < 0)
    assert plume.mass_flux_kg_s(500.0) == pytest.approx(1.0, rel=1e-9)


def test_dense_cloud_stays_dense_within_a_short_domain() -> None:
    """If the cloud is still dense at max_distance_m there is no passive continuation."""
    cloud = slab_cloud(
        substance_key="chlorine",
        mass_kg=50_000.0,
        temperature_k=239.2,
        weather=WEATHER,
        settings=SlabSettings(max_distance_m=50.0),
    )
    assert not math.isfinite(cloud.transition_s)
    assert cloud.centre_m[-1] == pytest.approx(50.0, rel=1e-3)
    assert float(cloud.concentration_at_kg_m3(1e4, 0.0, 0.0, 10 * cloud.end_s)) == 0.0


def test_fields_are_zero_upwind_below_ground_and_before_release(
    chlorine_plume: SlabPlume, chlorine_cloud: SlabCloud
) -> None:
    assert float(chlorine_plume.concentration_at_kg_m3(-5.0, 0.0, 0.0)) == 0.0
    assert float(chlorine_plume.concentration_at_kg_m3(100.0, 0.0, -1.0)) == 0.0
    assert float(chlorine_cloud.concentration_at_kg_m3(0.0, 0.0, 0.0, -1.0)) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mass_rate_kg_s": -1.0}, "mass_rate_kg_s"),
        ({"aerosol_fraction": 0.3, "temperature_k": 290.0}, "aerosol_fraction"),
        ({"substance_key": "unobtainium"}, "unobtainium"),
        ({"source_half_width_m": 0.0}, "source_half_width_m"),
        ({"aerosol_fraction": 1.0}, "aerosol_fraction"),
    ],
)
def test_bad_inputs_name_the_field(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "substance_key": "chlorine",
        "mass_rate_kg_s": 5.0,
        "temperature_k": 239.2,
        "weather": WEATHER,
    }
    args.update(kwargs)
    with pytest.raises(InvalidInputError, match=match):
        slab_plume(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"spreading_coefficient": -1.0}, "spreading_coefficient"),
        ({"friction_velocity_m_s": 0.0}, "friction_velocity_m_s"),
        ({"max_distance_m": 1.0}, "max_distance_m"),
    ],
)
def test_bad_settings_name_the_field(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        SlabSettings(**kwargs)


def test_cloud_bad_inputs() -> None:
    with pytest.raises(InvalidInputError, match="mass_kg"):
        slab_cloud(substance_key="chlorine", mass_kg=0.0, temperature_k=239.2, weather=WEATHER)
    with pytest.raises(InvalidInputError, match="initial_aspect_ratio"):
        slab_cloud(
            substance_key="chlorine",
            mass_kg=10.0,
            temperature_k=239.2,
            weather=WEATHER,
            initial_aspect_ratio=0.0,
        )


# -- sampling in height: the dense stage as a ground-reflected Gaussian ---------------------------


@pytest.mark.verification
def test_gaussian_profile_keeps_the_ground_value_and_the_flux(chlorine_plume: SlabPlume) -> None:
    """Dense stage, vertical="gaussian": same ground value, same depth integral ``c h``.

    Analytic: the integral of exp(-z^2 / 2 sigma^2) over z >= 0 is sigma sqrt(pi/2) = h; the
    flux 2 b (c h) u_c is then the release rate. 0.5 %: the trapezoid over 20 000 steps and
    the interpolation of the stored samples.
    """
    plume = chlorine_plume
    x = 0.5 * plume.end_m
    b = float(np.interp(x, plume.x_m, plume.half_width_m))
    h = float(np.interp(x, plume.x_m, plume.height_m))
    top = float(plume.concentration_at_kg_m3(x, 0.0, 0.0))
    assert float(plume.concentration_at_kg_m3(x, 0.0, 0.0, vertical="gaussian")) == top
    z = np.linspace(0.0, 12.0 * h, 20_001)
    column = np.trapezoid(plume.concentration_at_kg_m3(x, 0.0, z, vertical="gaussian"), z)
    assert column == pytest.approx(top * h, rel=1e-4)
    flux = 2.0 * b * column * float(plume.speed_at_m_s(x))
    assert flux == pytest.approx(plume.mass_rate_kg_s, rel=5e-3)
    above = 1.5 * h
    assert float(plume.concentration_at_kg_m3(x, 0.0, above)) == 0.0
    assert float(plume.concentration_at_kg_m3(x, 0.0, above, vertical="gaussian")) > 0.05 * top
    assert float(plume.concentration_at_kg_m3(x, 2.0 * b, 0.0, vertical="gaussian")) == 0.0


@pytest.mark.verification
def test_gaussian_profile_is_continuous_in_height_at_the_transition(
    chlorine_plume: SlabPlume,
) -> None:
    """The passive stage starts with sigma_z = h sqrt(2/pi): the same profile in height.

    Analytic; 1 %: the steps are 1e-4 of the transition distance (as the centreline check).
    """
    plume = chlorine_plume
    end = plume.end_m
    for z in (0.5, 1.0, 2.0):
        height = z * plume.height_m[-1]
        before, after = plume.volume_fraction_at(
            [end * (1 - 1e-4), end * (1 + 1e-4)], 0.0, height, vertical="gaussian"
        )
        assert after / before == pytest.approx(1.0, rel=0.01)


def test_diluted_gas_above_a_cold_core_follows_the_mixing_line() -> None:
    """Above a cold LNG core the gas is warmer: more volume per kilogram, up to the ambient's.

    Far above the core the mixture is nearly all air at ambient temperature, where the volume
    fraction per kg/m^3 of the substance is R T_a / (p M) (ideal gas); 1 % for the humidity.
    """
    plume = slab_plume(
        substance_key="lng",
        mass_rate_kg_s=50.0,
        temperature_k=112.6,
        weather=WEATHER,
        source_half_width_m=20.0,
    )
    x = 5.0
    h = float(np.interp(x, plume.x_m, plume.height_m))
    z = np.array([0.0, 0.5 * h, h, 2.0 * h, 6.0 * h])
    conc = plume.concentration_at_kg_m3(x, 0.0, z, vertical="gaussian")
    frac = plume.volume_fraction_at(x, 0.0, z, vertical="gaussian")
    assert frac[0] == float(plume.volume_fraction_at(x, 0.0, 0.0))
    ratio = frac / conc
    assert np.all(np.diff(ratio) > 0.0)
    gas = substance("lng")
    ambient = (
        8.314462618
        * WEATHER.ambient_temperature_k
        / (WEATHER.ambient_pressure_pa * gas.molar_mass_kg_mol)
    )
    assert ratio[0] < 0.8 * ambient
    assert ratio[-1] == pytest.approx(ambient, rel=0.01)


@pytest.mark.verification
def test_cloud_gaussian_profile_keeps_the_mass(chlorine_cloud: SlabCloud) -> None:
    """Box stage, vertical="gaussian": pi R^2 times the depth integral is the mass (analytic).

    0.5 %: the trapezoid and the interpolation of the stored samples.
    """
    cloud = chlorine_cloud
    t = 0.5 * cloud.end_s
    centre = float(cloud.centre_at_m(t))
    radius = float(np.interp(t, cloud.t_s, cloud.radius_m))
    height = float(np.interp(t, cloud.t_s, cloud.height_m))
    z = np.linspace(0.0, 12.0 * height, 20_001)
    column = np.trapezoid(cloud.concentration_at_kg_m3(centre, 0.0, z, t, vertical="gaussian"), z)
    assert math.pi * radius**2 * column == pytest.approx(cloud.mass_kg, rel=5e-3)
    outside = cloud.concentration_at_kg_m3(centre + 1.1 * radius, 0.0, 0.0, t, vertical="gaussian")
    assert float(outside) == 0.0
    above = cloud.volume_fraction_at(centre, 0.0, 1.5 * height, t, vertical="gaussian")
    assert float(cloud.volume_fraction_at(centre, 0.0, 1.5 * height, t)) == 0.0
    assert 0.0 < float(above) < float(cloud.volume_fraction_at(centre, 0.0, 0.0, t))


def test_unknown_vertical_profile_is_refused(
    chlorine_plume: SlabPlume, chlorine_cloud: SlabCloud
) -> None:
    with pytest.raises(InvalidInputError, match="vertical"):
        chlorine_plume.concentration_at_kg_m3(10.0, 0.0, 0.0, vertical="cone")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="vertical"):
        chlorine_cloud.volume_fraction_at(0.0, 0.0, 0.0, 1.0, vertical="cone")  # type: ignore[arg-type]


def test_centre_values_match_the_sampled_cloud(chlorine_cloud: SlabCloud) -> None:
    """The vectorised centre values equal the pointwise field, in the box and passive stages."""
    cloud = chlorine_cloud
    assert math.isfinite(cloud.transition_s)
    times = np.concatenate(
        (np.linspace(0.0, cloud.end_s, 7), cloud.end_s + np.array([1.0, 60.0, 3000.0]))
    )
    for z in (0.0, 0.7, 3.0):
        conc, fraction = cloud.centre_values_at(times, z)
        for t, c, f in zip(times, conc, fraction, strict=True):
            x = float(cloud.centre_at_m(t))
            want_c = cloud.concentration_at_kg_m3(x, 0.0, z, t, vertical="gaussian")
            want_f = cloud.volume_fraction_at(x, 0.0, z, t, vertical="gaussian")
            assert c == pytest.approx(float(want_c), rel=1e-12)
            assert f == pytest.approx(float(want_f), rel=1e-12)


def test_puff_spread_is_the_passive_stage_sigma(chlorine_cloud: SlabCloud) -> None:
    """sigma_y of the puff: the crosswind e-folding of its ground concentration."""
    cloud = chlorine_cloud
    t = cloud.end_s + 120.0
    sigma = cloud.puff_sigma_y_m(t)
    x = float(cloud.centre_at_m(t))
    centre, off = cloud.concentration_at_kg_m3(x, np.array([0.0, sigma]), 0.0, t)
    assert off / centre == pytest.approx(math.exp(-0.5), rel=1e-12)
    with pytest.raises(InvalidInputError, match="t_s"):
        cloud.puff_sigma_y_m(0.5 * cloud.end_s)
