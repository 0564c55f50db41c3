"""Stability classes, solar elevation, wind profiles, Monin-Obukhov length, friction velocity."""

from __future__ import annotations

import doctest
import itertools
import math
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.atmosphere import Weather
from solvers.dispersion import stability
from solvers.dispersion.stability import (
    KARMAN_CONSTANT,
    friction_velocity_m_s,
    insolation_class,
    monin_obukhov_length_m,
    pasquill_class,
    power_law_exponent,
    require_gaussian_wind,
    solar_elevation_deg,
    transport_wind_speed_m_s,
    turner_net_radiation_index,
    turner_stability_class,
    wind_speed_at_height_m_s,
)
from solvers.errors import InvalidInputError

CLASSES = ("A", "B", "C", "D", "E", "F")


def test_docstring_examples() -> None:
    assert doctest.testmod(stability).failed == 0


@pytest.mark.verification
@pytest.mark.parametrize(
    ("speed", "kwargs", "expected"),
    [
        (1.5, {"insolation": "strong"}, "A"),
        (2.5, {"insolation": "moderate"}, "B"),
        (4.0, {"insolation": "strong"}, "B"),
        (4.0, {"insolation": "slight"}, "C"),
        (5.5, {"insolation": "strong"}, "C"),
        (7.0, {"insolation": "moderate"}, "D"),
        (2.5, {"night_cloud_fraction": 0.6}, "E"),
        (2.5, {"night_cloud_fraction": 0.2}, "F"),
        (4.0, {"night_cloud_fraction": 0.2}, "E"),
        (4.0, {"night_cloud_fraction": 0.6}, "D"),
        (7.0, {"night_cloud_fraction": 0.0}, "D"),
        (1.0, {"night_cloud_fraction": 0.9}, "F"),
        (1.0, {"is_overcast": True}, "D"),
    ],
)
def test_pasquill_table(speed: float, kwargs: dict[str, object], expected: str) -> None:
    """Turner (1970), Table 1 (Pasquill 1961): exact table cells, no tolerance."""
    assert pasquill_class(speed, **kwargs) == expected  # type: ignore[arg-type]


def test_intermediate_classes_resolve_either_way() -> None:
    assert pasquill_class(2.5, insolation="strong") == "B"
    assert pasquill_class(2.5, insolation="strong", intermediate="less_stable") == "A"
    assert pasquill_class(5.5, insolation="moderate") == "D"
    assert pasquill_class(5.5, insolation="moderate", intermediate="less_stable") == "C"


def test_pasquill_needs_day_or_night_but_not_both() -> None:
    with pytest.raises(InvalidInputError, match="exactly one"):
        pasquill_class(3.0)
    with pytest.raises(InvalidInputError, match="exactly one"):
        pasquill_class(3.0, insolation="strong", night_cloud_fraction=0.5)
    with pytest.raises(InvalidInputError, match="insolation"):
        pasquill_class(3.0, insolation="blinding")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="night_cloud_fraction"):
        pasquill_class(3.0, night_cloud_fraction=1.5)


@pytest.mark.parametrize("speed", [0.0, 0.3, 0.49, -1.0, math.nan])
def test_calm_or_bad_wind_is_rejected(speed: float) -> None:
    with pytest.raises(InvalidInputError, match="wind_speed_m_s"):
        pasquill_class(speed, insolation="strong")
    with pytest.raises(InvalidInputError):
        require_gaussian_wind(speed)


def test_calm_message_says_gaussian_models_do_not_apply() -> None:
    with pytest.raises(InvalidInputError, match=r"calm.*0\.5 m/s"):
        transport_wind_speed_m_s(Weather(wind_speed_m_s=0.3, wind_from_deg=0.0), 0.0)


@pytest.mark.verification
def test_solar_elevation_at_solstice_noon() -> None:
    """Solar noon elevation = 90 - latitude + declination (23.44 deg at the June solstice).

    Greenwich, 21 June 2024, 12:02 UTC (solar noon: equation of time about -1.7 min). Tolerance
    0.3 deg: the accuracy of Spencer's series plus the minute of noon.
    """
    got = solar_elevation_deg(51.48, 0.0, datetime(2024, 6, 21, 12, 2, tzinfo=UTC))
    assert got == pytest.approx(90.0 - 51.48 + 23.44, abs=0.3)


def test_sun_is_down_at_midnight_and_naive_times_are_utc() -> None:
    assert solar_elevation_deg(51.48, 0.0, datetime(2024, 6, 21, 0, 0)) < 0.0
    naive = solar_elevation_deg(10.0, 20.0, datetime(2024, 3, 1, 9, 30))
    aware = solar_elevation_deg(10.0, 20.0, datetime(2024, 3, 1, 9, 30, tzinfo=UTC))
    assert naive == aware


@pytest.mark.verification
def test_turner_net_radiation_index_rules() -> None:
    """Turner (1964): overcast, low ceiling 0; clear night -2; cloudy night -1; day classes."""
    assert turner_net_radiation_index(50.0, cloud_fraction=1.0, ceiling_m=1000.0) == 0
    assert turner_net_radiation_index(-10.0, cloud_fraction=0.2) == -2
    assert turner_net_radiation_index(-10.0, cloud_fraction=0.8, ceiling_m=3000.0) == -1
    assert turner_net_radiation_index(70.0, cloud_fraction=0.3) == 4
    assert turner_net_radiation_index(70.0, cloud_fraction=0.7, ceiling_m=1000.0) == 2
    assert turner_net_radiation_index(70.0, cloud_fraction=0.7, ceiling_m=3000.0) == 3
    assert turner_net_radiation_index(70.0, cloud_fraction=1.0, ceiling_m=3000.0) == 2
    assert turner_net_radiation_index(20.0, cloud_fraction=0.9, ceiling_m=500.0) == 1
    assert [insolation_class(e) for e in (70.0, 45.0, 20.0, 5.0)] == [4, 3, 2, 1]


@pytest.mark.verification
def test_turner_stability_table() -> None:
    """Turner (1964), Table 2 cells: 0-1 kt strong sun A; >= 12 kt clear night D; 6 kt night E."""
    assert turner_stability_class(0.6, 4) == "A"
    assert turner_stability_class(7.0, -2) == "D"
    assert turner_stability_class(3.1, -1) == "E"
    assert turner_stability_class(3.1, -2) == "F"
    assert turner_stability_class(1.0, -2) == "F"  # class G, reported as F
    with pytest.raises(InvalidInputError, match="net_radiation_index"):
        turner_stability_class(3.0, 5)


@pytest.mark.verification
def test_power_law_exponents_of_isc3() -> None:
    """ISC3 User's Guide Vol. II (Irwin 1979) exponents: rural D 0.15, F 0.55; urban D 0.25."""
    assert power_law_exponent("D", is_urban=False) == 0.15
    assert power_law_exponent("F", is_urban=False) == 0.55
    assert power_law_exponent("D", is_urban=True) == 0.25
    assert power_law_exponent("A", is_urban=True) == 0.15


@pytest.mark.parametrize("profile", ["power", "log"])
@pytest.mark.parametrize("cls", CLASSES)
def test_profile_passes_through_reference_speed(profile: str, cls: str) -> None:
    weather = Weather(wind_speed_m_s=4.0, wind_from_deg=90.0, stability_class=cls)  # type: ignore[arg-type]
    got = wind_speed_at_height_m_s(weather, weather.reference_height_m, profile=profile)  # type: ignore[arg-type]
    assert float(got) == pytest.approx(4.0, rel=1e-12)


@pytest.mark.verification
def test_neutral_log_law_ratio() -> None:
    """Neutral log law: u(2 m) / u(10 m) = ln(2 / z0) / ln(10 / z0), exact."""
    weather = Weather(wind_speed_m_s=6.0, wind_from_deg=0.0, stability_class="D")
    got = wind_speed_at_height_m_s(weather, 2.0, profile="log")
    z0 = weather.surface_roughness_m
    assert float(got) == pytest.approx(6.0 * math.log(2.0 / z0) / math.log(10.0 / z0), rel=1e-12)


@pytest.mark.verification
def test_neutral_friction_velocity() -> None:
    """Neutral log law: u* = k u / ln(z / z0) = 0.4 * 5 / ln(100), exact."""
    weather = Weather(wind_speed_m_s=5.0, wind_from_deg=0.0, stability_class="D")
    assert friction_velocity_m_s(weather) == pytest.approx(
        KARMAN_CONSTANT * 5.0 / math.log(100.0), rel=1e-12
    )


def test_friction_velocity_grows_with_instability() -> None:
    u_star = [
        friction_velocity_m_s(Weather(wind_speed_m_s=5.0, wind_from_deg=0.0, stability_class=c))  # type: ignore[arg-type]
        for c in CLASSES
    ]
    assert all(a > b for a, b in itertools.pairwise(u_star))


def test_friction_velocity_needs_reference_above_roughness() -> None:
    weather = Weather(
        wind_speed_m_s=5.0, wind_from_deg=0.0, reference_height_m=1.0, surface_roughness_m=2.0
    )
    with pytest.raises(InvalidInputError, match="roughness"):
        friction_velocity_m_s(weather)


@pytest.mark.property
@given(z0=st.floats(1e-4, 3.0))
def test_monin_obukhov_sign_and_order(z0: float) -> None:
    lengths = [monin_obukhov_length_m(c, z0) for c in CLASSES]  # type: ignore[arg-type]
    assert all(L < 0 for L in lengths[:3])
    assert math.isinf(lengths[3])
    assert all(L > 0 for L in lengths[4:])
    # unstable |L| grows A -> C; stable L shrinks E -> F
    assert abs(lengths[0]) < abs(lengths[1]) < abs(lengths[2])
    assert lengths[4] > lengths[5]


@pytest.mark.property
@given(
    cls=st.sampled_from(CLASSES),
    urban=st.booleans(),
    z_low=st.floats(0.2, 100.0),
    dz=st.floats(0.1, 200.0),
    profile=st.sampled_from(["power", "log"]),
)
def test_wind_increases_with_height(
    cls: str, urban: bool, z_low: float, dz: float, profile: str
) -> None:
    weather = Weather(wind_speed_m_s=3.0, wind_from_deg=0.0, stability_class=cls, is_urban=urban)  # type: ignore[arg-type]
    u = wind_speed_at_height_m_s(weather, [z_low, z_low + dz], profile=profile)  # type: ignore[arg-type]
    assert u[1] > u[0] > 0.0


def test_profile_rejects_bad_heights() -> None:
    weather = Weather(wind_speed_m_s=3.0, wind_from_deg=0.0)
    with pytest.raises(InvalidInputError, match="height_m"):
        wind_speed_at_height_m_s(weather, [1.0, -2.0])
    with pytest.raises(InvalidInputError, match="profile"):
        wind_speed_at_height_m_s(weather, 1.0, profile="cubic")  # type: ignore[arg-type]


def test_transport_speed_uses_the_higher_of_release_and_reference_height() -> None:
    weather = Weather(wind_speed_m_s=4.0, wind_from_deg=0.0, stability_class="D")
    assert transport_wind_speed_m_s(weather, 1.0) == pytest.approx(4.0)
    assert transport_wind_speed_m_s(weather, 40.0) == pytest.approx(4.0 * 4.0**0.15)
    assert np.isfinite(transport_wind_speed_m_s(weather, 0.0))
