"""Tests of the spreading and evaporating pool model (solvers/source/pool_spreading)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.atmosphere import Weather
from solvers.errors import InvalidInputError
from solvers.source.pool_evaporation import (
    AIR_KINEMATIC_VISCOSITY_M2_S,
    GROUND_THERMAL_PROPERTIES,
    LNG_ON_WATER_HEAT_FLUX_W_M2,
    evaporation_mass_flux_kg_m2_s,
    mackay_matsugu_mass_transfer_coefficient_m_s,
)
from solvers.source.pool_spreading import (
    SURFACE_TYPES,
    PoolOptions,
    PoolResult,
    PoolSpill,
    PoolSurface,
    gravity_spreading_radius_m,
    pool_spreading,
    spill_from_source_term,
)
from solvers.source.source_term import SourceTerm
from solvers.substances.library import substance

G_M_S2 = 9.80665
WEATHER = Weather(wind_speed_m_s=3.0, wind_from_deg=270.0, ambient_temperature_k=288.15)
CONDUCTION_ONLY = {"include_air_convection": False, "include_longwave_radiation": False}


@pytest.fixture(scope="module")
def lng_on_concrete() -> PoolResult:
    """10 t of LNG spilled at once on open concrete."""
    return pool_spreading(
        PoolSpill(substance="lng", instantaneous_mass_kg=10_000.0),
        PoolSurface(surface="concrete"),
        weather=WEATHER,
    )


@pytest.fixture(scope="module")
def ammonia_feed() -> PoolResult:
    """Refrigerated ammonia at 4 kg/s for 300 s onto average soil, followed for 20 minutes."""
    spill = PoolSpill(
        substance="ammonia", feed_t_s=np.array([0.0, 300.0]), feed_rate_kg_s=np.array([4.0, 4.0])
    )
    return pool_spreading(
        spill,
        PoolSurface(surface="soil_average"),
        weather=WEATHER,
        options=PoolOptions(duration_s=1200.0),
    )


# --- gravity spreading alone -------------------------------------------------------------------


@pytest.mark.verification
def test_instantaneous_spill_spreads_as_square_root_of_time() -> None:
    """Analytic: r dr/dt = sqrt(2 g V / pi) gives r^2 = r0^2 + 2 sqrt(2 g V / pi) t.

    Case: 100 m^3 from r0 = 1 m, h_min 1e-9 m (so the minimum thickness never acts), 0-200 s.
    Tolerance 1e-6: the integration tolerance (rtol 1e-10) with margin.
    """
    t = np.linspace(0.0, 200.0, 21)
    radius = gravity_spreading_radius_m(
        t, volume_m3=100.0, minimum_thickness_m=1e-9, initial_radius_m=1.0
    )
    exact = np.sqrt(1.0 + 2.0 * np.sqrt(2.0 * G_M_S2 * 100.0 / math.pi) * t)
    np.testing.assert_allclose(radius, exact, rtol=1e-6)


@pytest.mark.verification
def test_continuous_spill_spreads_as_three_quarter_power_of_time() -> None:
    """Analytic: V = Q t gives r = (4/3)^1/2 (2 g Q / pi)^1/4 t^3/4 from r = 0.

    Case: 0.5 m^3/s from the default start radius 0.05 m; at 100 s and 1000 s the memory of the
    start has decayed below 1e-6. Tolerance 1e-5.
    """
    t = np.array([0.0, 100.0, 1000.0])
    radius = gravity_spreading_radius_m(t, volume_rate_m3_s=0.5, minimum_thickness_m=1e-9)
    exact = math.sqrt(4.0 / 3.0) * (2.0 * G_M_S2 * 0.5 / math.pi) ** 0.25 * t[1:] ** 0.75
    np.testing.assert_allclose(radius[1:], exact, rtol=1e-5)


@pytest.mark.verification
def test_spreading_stops_at_the_minimum_thickness() -> None:
    """Analytic: without evaporation the final area is V / h_min (100 m^3, 5 mm -> 79.79 m)."""
    radius = gravity_spreading_radius_m(
        np.array([0.0, 1e4]), volume_m3=100.0, minimum_thickness_m=0.005
    )
    assert radius[-1] == pytest.approx(math.sqrt(100.0 / (math.pi * 0.005)), rel=1e-8)


def test_bund_caps_the_spreading_radius() -> None:
    radius = gravity_spreading_radius_m(
        np.array([0.0, 10.0, 100.0]),
        volume_m3=100.0,
        minimum_thickness_m=0.005,
        bund_area_m2=400.0,
    )
    assert np.max(radius) == pytest.approx(math.sqrt(400.0 / math.pi), rel=1e-9)


@given(
    volume_m3=st.floats(0.1, 1000.0),
    thickness_m=st.floats(0.001, 0.05),
)
@pytest.mark.property
def test_spreading_radius_never_shrinks_nor_passes_the_minimum_thickness(
    volume_m3: float, thickness_m: float
) -> None:
    t = np.geomspace(1e-2, 1e4, 30)
    radius = gravity_spreading_radius_m(
        np.concatenate(([0.0], t)), volume_m3=volume_m3, minimum_thickness_m=thickness_m
    )
    assert np.all(np.diff(radius) >= -1e-9 * radius[-1])
    assert radius[-1] <= math.sqrt(volume_m3 / (math.pi * thickness_m)) * (1 + 1e-6)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"volume_m3": -1.0}, "volume_m3"),
        ({"volume_m3": 1.0, "volume_rate_m3_s": -0.1}, "volume_rate_m3_s"),
        ({"volume_m3": 1.0, "bund_area_m2": 0.0}, "bund_area_m2"),
        ({"volume_m3": 1.0, "reduced_gravity_m_s2": 0.0}, "reduced_gravity_m_s2"),
        ({}, "both 0"),
    ],
)
def test_gravity_spreading_rejects_bad_inputs(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidInputError, match=field):
        gravity_spreading_radius_m(np.array([0.0, 1.0]), minimum_thickness_m=0.005, **kwargs)


# --- full model: mass balance, output consistency ----------------------------------------------


@pytest.mark.verification
def test_mass_is_conserved_to_round_off(lng_on_concrete: PoolResult) -> None:
    """Spilled = evaporated + remaining at every sample, to round-off (1e-12 of the spill)."""
    r = lng_on_concrete
    residual = r.spilled_mass_kg - r.evaporated_mass_kg - r.mass_kg
    assert np.max(np.abs(residual)) <= 1e-12 * r.spilled_mass_kg[-1]
    assert np.min(r.mass_kg) >= -1e-9 * r.spilled_mass_kg[-1]


def test_sampled_rate_integrates_to_the_evaporated_mass(
    lng_on_concrete: PoolResult, ammonia_feed: PoolResult
) -> None:
    """The trapezoidal integral of the output rate matches the integrated mass within 0.1 %."""
    for r in (lng_on_concrete, ammonia_feed):
        trapezoid = np.trapezoid(r.evaporation_rate_kg_s, r.t_s)
        assert trapezoid == pytest.approx(r.evaporated_mass_kg[-1], rel=1e-3)


def test_boiling_lng_pool_evaporates_completely_and_stops(lng_on_concrete: PoolResult) -> None:
    r = lng_on_concrete
    assert r.t_s[-1] < 3600.0
    assert r.evaporated_mass_kg[-1] == pytest.approx(10_000.0, rel=1e-6)
    assert np.all(r.is_boiling)
    np.testing.assert_allclose(r.temperature_k, r.boiling_point_k)
    assert np.all(np.diff(r.radius_m) >= -1e-7 * r.radius_m[-1])


def test_continuous_feed_is_read_from_a_source_term_rainout_table(
    ammonia_feed: PoolResult,
) -> None:
    source = SourceTerm(
        substance="ammonia",
        model="test",
        phase="two-phase",
        t_s=np.array([0.0, 300.0]),
        discharge_rate_kg_s=np.array([10.0, 10.0]),
        airborne_rate_kg_s=np.array([6.0, 6.0]),
        rainout_rate_kg_s=np.array([4.0, 4.0]),
        temperature_k=np.array([239.8, 239.8]),
        velocity_m_s=np.zeros(2),
        aerosol_fraction=np.zeros(2),
    )
    spill = spill_from_source_term(source)
    assert spill.total_mass_kg == pytest.approx(1200.0, rel=1e-12)
    assert spill.liquid_temperature_k == pytest.approx(239.8)
    r = ammonia_feed
    assert r.spilled_mass_kg[-1] == pytest.approx(1200.0, rel=1e-12)
    k = np.searchsorted(r.t_s, 300.0)
    assert r.spilled_mass_kg[k] == pytest.approx(1200.0, rel=1e-9)
    assert r.mass_kg[0] == 0.0
    assert np.all(r.mass_kg[1:] > 0)


def test_result_converts_to_a_source_term(ammonia_feed: PoolResult) -> None:
    term = ammonia_feed.to_source_term()
    assert term.model == "pool_spreading"
    assert term.phase == "liquid"
    assert term.diameter_m == pytest.approx(ammonia_feed.final_diameter_m)
    assert term.airborne_mass_kg() == pytest.approx(ammonia_feed.evaporated_mass_kg[-1], rel=1e-3)
    assert ammonia_feed.to_source_term(diameter="max").diameter_m == pytest.approx(
        ammonia_feed.max_diameter_m
    )
    with pytest.raises(InvalidInputError, match="diameter"):
        ammonia_feed.to_source_term(diameter="mean")  # type: ignore[arg-type]


# --- full model: verification against closed forms ---------------------------------------------


@pytest.mark.verification
def test_fixed_area_boiling_pool_matches_the_conduction_integral() -> None:
    """Analytic: a pool covering area A at t = 0 boils off M = A 2 k dT sqrt(t) / (sqrt(pi a) L).

    Case: 20 t of LNG filling a 100 m^2 bund on concrete (k 1.1 W/(m K), a 5e-7 m^2/s) at
    293.15 K, conduction only, 10-100 s (later the falling ground flux no longer keeps the pool
    at its boiling point against mass transfer, and sensible heat joins in). Tolerance 1e-3: the
    exponential-sum kernel misses 2 / sqrt(pi u_max) = 3.6e-3 s^0.5 of 2 sqrt(t) (5.7e-4
    relative at 10 s).
    """
    area = 100.0
    result = pool_spreading(
        PoolSpill(substance="lng", instantaneous_mass_kg=20_000.0),
        PoolSurface(surface="concrete", bund_area_m2=area, surface_temperature_k=293.15),
        weather=WEATHER,
        options=PoolOptions(
            duration_s=100.0, initial_radius_m=math.sqrt(area / math.pi), **CONDUCTION_ONLY
        ),
    )
    latent = substance("lng").latent_heat_j_kg(result.boiling_point_k)
    factor = GROUND_THERMAL_PROPERTIES["concrete"].conduction_factor_w_m2_k_s05
    late = result.t_s >= 10.0
    exact = area * factor * (293.15 - result.boiling_point_k) * 2.0 * np.sqrt(result.t_s) / latent
    np.testing.assert_allclose(result.evaporated_mass_kg[late], exact[late], rtol=1e-3)
    assert result.is_bunded
    assert np.all(result.is_boiling)


@pytest.mark.verification
def test_spreading_pool_ground_heat_equals_the_ring_by_ring_sum(
    lng_on_concrete: PoolResult,
) -> None:
    """The Yellow Book ring sum rebuilt from the output radius history equals E * L.

    Q(t) = c dT [A0 / sqrt(t) + sum over rings dA (t - t_wet)^-1/2], each ring of the sampled
    area history taken as wetted uniformly over its sample interval (the kernel average
    2 (sqrt(t - s_i) - sqrt(t - s_i+1)) / ds). Case: 20 t LNG on concrete, conduction only,
    at 1, 5, 20 and 40 s while the pool spreads. Tolerance 1 %: the piecewise-linear
    reconstruction of A(s) between samples.
    """
    result = pool_spreading(
        PoolSpill(substance="lng", instantaneous_mass_kg=20_000.0),
        PoolSurface(surface="concrete"),
        weather=WEATHER,
        options=PoolOptions(duration_s=600.0, **CONDUCTION_ONLY),
    )
    factor = GROUND_THERMAL_PROPERTIES["concrete"].conduction_factor_w_m2_k_s05
    delta_k = 288.15 - result.boiling_point_k
    latent = substance("lng").latent_heat_j_kg(result.boiling_point_k)
    for when in (1.0, 5.0, 20.0, 40.0):
        k = int(np.searchsorted(result.t_s, when))
        t = result.t_s[k]
        s = result.t_s[: k + 1]
        area = result.area_m2[: k + 1]
        ring_kernel = 2.0 * (np.sqrt(t - s[:-1]) - np.sqrt(t - s[1:])) / np.diff(s)
        heat_w = factor * delta_k * (area[0] / math.sqrt(t) + np.sum(np.diff(area) * ring_kernel))
        assert result.evaporation_rate_kg_s[k] == pytest.approx(heat_w / latent, rel=0.01)


@pytest.mark.verification
def test_lng_on_water_reaches_the_steady_area_where_boil_off_equals_the_feed() -> None:
    """Analytic steady state: A = Q L / q_w for a continuous LNG spill on water.

    Case: 20 kg/s for 600 s, q_w = 85 kW/m^2, conduction-free heat terms off; by 100 s the pool
    has spread past the steady area, thinned to h_min and retreated to it. Tolerance 1e-6 at
    100-590 s (integration tolerance). Also checks the boil-off flux q_w / L everywhere.
    """
    result = pool_spreading(
        PoolSpill(
            substance="lng", feed_t_s=np.array([0.0, 600.0]), feed_rate_kg_s=np.array([20.0, 20.0])
        ),
        PoolSurface(surface="water"),
        weather=WEATHER,
        options=PoolOptions(duration_s=900.0, **CONDUCTION_ONLY),
    )
    latent = substance("lng").latent_heat_j_kg(result.boiling_point_k)
    steady = 20.0 * latent / LNG_ON_WATER_HEAT_FLUX_W_M2
    window = (result.t_s >= 100.0) & (result.t_s <= 590.0)
    np.testing.assert_allclose(result.area_m2[window], steady, rtol=1e-6)
    wet = result.thickness_m > 1e-5
    np.testing.assert_allclose(
        result.evaporation_rate_kg_s[wet] / result.area_m2[wet],
        LNG_ON_WATER_HEAT_FLUX_W_M2 / latent,
        rtol=1e-9,
    )
    assert result.t_s[-1] < 900.0  # evaporated soon after the feed stopped


@pytest.mark.verification
def test_early_spreading_on_water_uses_reduced_gravity() -> None:
    """Front law with g' = g (1 - rho_LNG / rho_water), against the spreading-only solution.

    Case: 10 t LNG on fresh water, radii at 0.5-2 s, before evaporation has taken 1 % of the
    volume. Tolerance 1 %: the volume lost to evaporation (under 1 %) slows the front slightly.
    """
    result = pool_spreading(
        PoolSpill(substance="lng", instantaneous_mass_kg=10_000.0),
        PoolSurface(surface="water"),
        weather=WEATHER,
        options=PoolOptions(duration_s=5.0),
    )
    rho = substance("lng").liquid_density_kg_m3(result.boiling_point_k)
    pick = np.searchsorted(result.t_s, [0.5, 1.0, 2.0])
    expected = gravity_spreading_radius_m(
        result.t_s[pick],
        volume_m3=10_000.0 / rho,
        minimum_thickness_m=0.001,
        reduced_gravity_m_s2=G_M_S2 * (1.0 - rho / 1000.0),
    )
    np.testing.assert_allclose(result.radius_m[pick], expected, rtol=0.01)
    assert result.evaporated_mass_kg[pick[-1]] < 100.0


@pytest.mark.verification
def test_pool_held_at_a_temperature_evaporates_at_the_mackay_matsugu_rate() -> None:
    """A bund-filling propane pool held at 200 K evaporates k_m C_s f A t exactly.

    Expected value from the MacKay & Matsugu coefficient (pool diameter = bund diameter) and
    the vapour pressure of the substance library. Tolerance 1e-9: nothing is approximated
    once the area and temperature are fixed.
    """
    area = 50.0
    result = pool_spreading(
        PoolSpill(substance="propane", instantaneous_mass_kg=5000.0, liquid_temperature_k=200.0),
        PoolSurface(surface="concrete", bund_area_m2=area),
        weather=WEATHER,
        options=PoolOptions(
            duration_s=600.0, initial_radius_m=math.sqrt(area / math.pi), pool_temperature_k=200.0
        ),
    )
    propane = substance("propane")
    schmidt = AIR_KINEMATIC_VISCOSITY_M2_S / propane.gas_diffusivity_m2_s(200.0, 101_325.0)
    k_m = mackay_matsugu_mass_transfer_coefficient_m_s(
        3.0, 2.0 * math.sqrt(area / math.pi), schmidt
    )
    flux = evaporation_mass_flux_kg_m2_s(
        k_m,
        propane.saturation_pressure_pa(200.0),
        ambient_pressure_pa=101_325.0,
        temperature_k=200.0,
        molar_mass_kg_mol=propane.molar_mass_kg_mol,
    )
    assert result.evaporated_mass_kg[-1] == pytest.approx(float(flux) * area * 600.0, rel=1e-9)
    assert not np.any(result.is_boiling)


def test_pool_in_a_bund_fills_it_and_deepens() -> None:
    result = pool_spreading(
        PoolSpill(substance="chlorine", instantaneous_mass_kg=5000.0),
        PoolSurface(surface="concrete", bund_area_m2=100.0),
        weather=WEATHER,
        options=PoolOptions(duration_s=120.0),
    )
    assert result.is_bunded
    assert np.max(result.area_m2) == pytest.approx(100.0, rel=1e-9)
    assert result.thickness_m[-1] > 0.02  # far above the 5 mm minimum thickness


def test_evaporative_cooling_takes_a_pool_below_its_boiling_point(
    ammonia_feed: PoolResult,
) -> None:
    """Once the ground has cooled, mass transfer removes more heat than arrives."""
    assert ammonia_feed.is_boiling[1]
    assert not ammonia_feed.is_boiling[-1]
    assert ammonia_feed.temperature_k[-1] < ammonia_feed.boiling_point_k - 1.0


# --- input checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"instantaneous_mass_kg": -1.0}, "instantaneous_mass_kg"),
        ({"feed_t_s": [0.0, 10.0], "feed_rate_kg_s": [1.0, -1.0]}, "feed_rate_kg_s"),
        ({"feed_t_s": [0.0, 10.0], "feed_rate_kg_s": [1.0]}, "feed_rate_kg_s"),
        ({"feed_t_s": [1.0, 10.0], "feed_rate_kg_s": [1.0, 1.0]}, "feed_t_s"),
        ({}, "total spilled mass"),
        ({"instantaneous_mass_kg": 1.0, "liquid_temperature_k": -5.0}, "liquid_temperature_k"),
    ],
)
def test_spill_rejects_bad_inputs(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInputError, match=field):
        PoolSpill(substance="lng", **kwargs)  # type: ignore[arg-type]


def test_unknown_surface_error_lists_the_allowed_surfaces() -> None:
    with pytest.raises(InvalidInputError, match="asphalt") as info:
        PoolSurface(surface="asphalt")
    for name in SURFACE_TYPES:
        assert name in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"bund_area_m2": 0.0}, "bund_area_m2"),
        ({"bund_area_m2": -5.0}, "bund_area_m2"),
        ({"surface": "water", "bund_area_m2": 100.0}, "land surfaces only"),
        ({"roughness": "glass"}, "roughness"),
        ({"minimum_thickness_m": 0.0}, "minimum_thickness_m"),
        ({"water_heat_flux_w_m2": 0.0}, "water_heat_flux_w_m2"),
    ],
)
def test_surface_rejects_bad_inputs(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInputError, match=field):
        PoolSurface(**kwargs)  # type: ignore[arg-type]


def test_minimum_thickness_follows_the_roughness_class() -> None:
    assert PoolSurface(surface="concrete").minimum_pool_thickness_m == 0.005
    assert PoolSurface(surface="soil_average").minimum_pool_thickness_m == 0.020
    assert PoolSurface(surface="sand_dry", roughness="gravel").minimum_pool_thickness_m == 0.010
    assert PoolSurface(minimum_thickness_m=0.003).minimum_pool_thickness_m == 0.003


def test_a_liquid_denser_than_water_is_rejected_on_water() -> None:
    with pytest.raises(InvalidInputError, match="sinks"):
        pool_spreading(
            PoolSpill(substance="chlorine", instantaneous_mass_kg=100.0),
            PoolSurface(surface="water"),
            weather=WEATHER,
        )


def test_a_non_cryogen_boiling_on_water_needs_a_heat_flux() -> None:
    with pytest.raises(InvalidInputError, match="water_heat_flux_w_m2"):
        pool_spreading(
            PoolSpill(substance="propane", instantaneous_mass_kg=100.0),
            PoolSurface(surface="water"),
            weather=WEATHER,
        )


def test_a_held_temperature_must_be_below_the_boiling_point() -> None:
    with pytest.raises(InvalidInputError, match="pool_temperature_k"):
        pool_spreading(
            PoolSpill(substance="ammonia", instantaneous_mass_kg=100.0),
            PoolSurface(surface="concrete"),
            weather=WEATHER,
            options=PoolOptions(pool_temperature_k=250.0),
        )


def test_an_unknown_substance_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="unobtainium"):
        pool_spreading(
            PoolSpill(substance="unobtainium", instantaneous_mass_kg=100.0),
            PoolSurface(surface="concrete"),
            weather=WEATHER,
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"duration_s": 0.0}, "duration_s"),
        ({"initial_radius_m": -1.0}, "initial_radius_m"),
        ({"solar_flux_w_m2": -10.0}, "solar_flux_w_m2"),
        ({"n_samples": 2}, "n_samples"),
    ],
)
def test_options_reject_bad_inputs(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidInputError, match=field):
        PoolOptions(**kwargs)  # type: ignore[arg-type]
