"""Tests of the substance library: published property values, thermodynamic consistency, the
hazard data file, aliases and errors."""

from __future__ import annotations

import copy
import itertools
import math
import pickle
import tomllib
from importlib import resources
from typing import Any

import CoolProp.CoolProp as CP  # noqa: N817 - CoolProp's documented import name
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.validation.registry import all_cases
from solvers.errors import InvalidInputError
from solvers.substances.library import (
    AEGL_DURATIONS_S,
    LNG_DEFAULT_MOLE_FRACTIONS,
    SUBSTANCE_NAMES,
    Substance,
    hazard_data_table,
    lng_mixture,
    substance,
    validate_hazard_data,
)

R_J_MOL_K = 8.314462618
ATM_PA = 101_325.0
PURE_NAMES = [n for n in SUBSTANCE_NAMES if n != "lng"]


# --- published numbers -------------------------------------------------------------------------


@pytest.mark.verification
@pytest.mark.parametrize("case", all_cases("substances"), ids=lambda c: c.id)
def test_validation_case_passes(case: Any) -> None:
    """Every substances validation case (published NIST/Perry's values, Massman 1998 measured
    diffusivity, Raoult's-law bubble point); sources and tolerances are in each case."""
    checks = case.run()
    assert checks
    failed = [c for c in checks if not c.passed]
    assert not failed, [(c.quantity, c.got, c.expected_text) for c in failed]


@pytest.mark.verification
@pytest.mark.parametrize(
    ("name", "boiling_k", "tol_k"),
    [
        ("ammonia", 239.82, 0.1),
        ("chlorine", 239.11, 0.2),
        ("methane", 111.67, 0.05),
        ("ethane", 184.57, 0.1),
        ("propane", 231.04, 0.1),
        ("hydrogen_sulfide", 212.85, 0.3),
        ("hydrogen", 20.37, 0.05),
    ],
)
def test_normal_boiling_point_matches_nist(name: str, boiling_k: float, tol_k: float) -> None:
    """Normal boiling points from the NIST Chemistry WebBook (phase-change data); tolerance of
    0.05-0.3 K covers the spread between the WebBook's selected value and the EOS."""
    assert substance(name).normal_boiling_point_k == pytest.approx(boiling_k, abs=tol_k)


@pytest.mark.verification
def test_hydrogen_gamma_at_room_temperature() -> None:
    """cp/cv of hydrogen at 300 K is 1.405 (Cengel & Boles, Thermodynamics: An Engineering
    Approach, Table A-2a, ideal-gas specific heats); 0.5 % tolerance for rounding and for the
    small real-gas effect at 1 atm."""
    assert substance("H2").gas_gamma(300.0, ATM_PA) == pytest.approx(1.405, rel=0.005)


# --- thermodynamic consistency (analytic) -------------------------------------------------------


@pytest.mark.verification
@pytest.mark.parametrize("name", SUBSTANCE_NAMES)
def test_latent_heat_is_vapour_minus_liquid_enthalpy(name: str) -> None:
    """Analytic identity of the API: h_vap - h_liq = latent heat, same reference state."""
    s = substance(name)
    t = s.normal_boiling_point_k
    diff = s.vapour_enthalpy_j_kg(t) - s.liquid_enthalpy_j_kg(t)
    assert diff == pytest.approx(s.latent_heat_j_kg(t), rel=1e-9)


@pytest.mark.verification
@pytest.mark.parametrize("name", PURE_NAMES)
def test_clausius_clapeyron(name: str) -> None:
    """Clapeyron equation dP/dT = L / (T (1/rho_v - 1/rho_l)) along the saturation curve of a
    pure fluid at 0.7 Tc; central difference of the saturation pressure, 0.2 % tolerance (the
    difference step's truncation error is far smaller)."""
    s = substance(name)
    t = 0.7 * s.critical_temperature_k
    dt = 1e-3 * t
    slope = (s.saturation_pressure_pa(t + dt) - s.saturation_pressure_pa(t - dt)) / (2 * dt)
    p_sat = s.saturation_pressure_pa(t)
    rho_v = s.vapour_density_kg_m3(t, p_sat * (1 - 1e-9))
    rho_l = s.liquid_density_kg_m3(t)
    expected = s.latent_heat_j_kg(t) / (t * (1 / rho_v - 1 / rho_l))
    assert slope == pytest.approx(expected, rel=0.002)


@pytest.mark.verification
@pytest.mark.parametrize("name", SUBSTANCE_NAMES)
def test_dilute_gas_is_ideal(name: str) -> None:
    """At 100 Pa and 400 K every gas is ideal: rho = P M / (R T) within 0.05 %."""
    s = substance(name)
    expected = 100.0 * s.molar_mass_kg_mol / (R_J_MOL_K * 400.0)
    assert s.vapour_density_kg_m3(400.0, 100.0) == pytest.approx(expected, rel=5e-4)


@pytest.mark.property
@pytest.mark.parametrize("name", SUBSTANCE_NAMES)
@given(fraction=st.floats(min_value=0.0, max_value=0.98))
def test_saturation_round_trip(name: str, fraction: float) -> None:
    """T -> P_sat(T) -> T_sat(P) returns T (bubble point for LNG)."""
    s = substance(name)
    low, high = s.saturation_temperature_range_k
    t = low + fraction * (high - low)
    p = s.saturation_pressure_pa(t)
    assert s.saturation_temperature_k(p) == pytest.approx(t, rel=1e-6)


@pytest.mark.verification
def test_fuller_scaling() -> None:
    """Fuller's form: D proportional to T^1.75 and to 1/P (Fuller et al. 1966)."""
    s = substance("ammonia")
    d0 = s.gas_diffusivity_m2_s(300.0, ATM_PA)
    assert s.gas_diffusivity_m2_s(600.0, ATM_PA) == pytest.approx(d0 * 2**1.75, rel=1e-12)
    assert s.gas_diffusivity_m2_s(300.0, 2 * ATM_PA) == pytest.approx(d0 / 2, rel=1e-12)


def test_cold_vapour_falls_back_to_ideal_gas() -> None:
    """Ammonia vapour at 220 K and 1 atm (below its 239.8 K boiling point) has no gas root; the
    density is the ideal-gas value and cp is finite."""
    s = substance("ammonia")
    expected = ATM_PA * s.molar_mass_kg_mol / (R_J_MOL_K * 220.0)
    assert s.vapour_density_kg_m3(220.0, ATM_PA) == pytest.approx(expected, rel=0.05)
    assert 1500.0 < s.gas_cp_j_kg_k(220.0, ATM_PA) < 3500.0


def test_chlorine_viscosities_use_perry_correlations() -> None:
    """Chlorine has no CoolProp viscosity model; the Perry's fits give the familiar magnitudes
    (liquid about 0.34 mPa s at 20 °C, gas about 13 µPa s at 20 °C)."""
    cl2 = substance("chlorine")
    assert cl2.liquid_viscosity_pa_s(293.15) == pytest.approx(3.4e-4, rel=0.05)
    assert cl2.gas_viscosity_pa_s(293.15, ATM_PA) == pytest.approx(1.33e-5, rel=0.05)


# --- LNG ----------------------------------------------------------------------------------------


def test_lng_default_composition_and_key() -> None:
    lng = substance("lng")
    assert lng.key == "lng"
    assert lng.is_mixture
    assert tuple(x for _, x in lng.components) == pytest.approx(LNG_DEFAULT_MOLE_FRACTIONS)
    assert lng_mixture() is lng
    assert substance("natural gas") is lng
    props = CP.PropsSI("T", "P", ATM_PA, "Q", 0, lng.coolprop_name)
    assert props == pytest.approx(lng.normal_boiling_point_k, rel=1e-9)


def test_lng_custom_key_round_trips() -> None:
    custom = lng_mixture(0.9, 0.07, 0.03)
    assert custom.key == "lng:0.9/0.07/0.03"
    assert substance(custom.key) is custom
    assert custom.normal_boiling_point_k > substance("lng").normal_boiling_point_k


def test_pure_methane_lng_matches_methane() -> None:
    lng = lng_mixture(1.0, 0.0, 0.0)
    ch4 = substance("methane")
    assert not lng.is_mixture
    assert lng.normal_boiling_point_k == pytest.approx(ch4.normal_boiling_point_k, rel=1e-9)
    assert lng.latent_heat_j_kg(120.0) == pytest.approx(ch4.latent_heat_j_kg(120.0), rel=1e-9)
    assert lng.hazard.lfl_volume_fraction == pytest.approx(0.05)


@pytest.mark.verification
def test_lng_flammability_limits_follow_le_chatelier() -> None:
    """Le Chatelier's rule, 1/L = sum(y_i/L_i), on the Zabetakis (1965) component limits."""
    lfl = substance("lng").hazard.lfl_volume_fraction
    expected = 1.0 / (0.92 / 0.050 + 0.06 / 0.030 + 0.02 / 0.021)
    assert lfl == pytest.approx(expected, rel=1e-12)
    ufl = substance("lng").hazard.ufl_volume_fraction
    assert ufl == pytest.approx(1.0 / (0.92 / 0.150 + 0.06 / 0.124 + 0.02 / 0.095), rel=1e-12)


@pytest.mark.verification
def test_lng_latent_heat_close_to_coolprop_metastable_route() -> None:
    """Ideal-solution latent heat of LNG at its boiling point against CoolProp's enthalpy of a
    vapour of the liquid's composition at T and the bubble pressure (heat of mixing is the
    only difference): within 1 %."""
    lng = substance("lng")
    t = lng.normal_boiling_point_k
    state = CP.AbstractState("HEOS", "Methane&Ethane&n-Propane")
    state.set_mole_fractions(list(LNG_DEFAULT_MOLE_FRACTIONS))
    state.update(CP.QT_INPUTS, 0.0, t)
    p, h_liq = state.p(), state.hmass()
    state.specify_phase(CP.iphase_gas)
    state.update(CP.PT_INPUTS, p, t)
    h_gas = state.hmass()
    assert lng.latent_heat_j_kg(t) == pytest.approx(h_gas - h_liq, rel=0.01)


def test_lng_liquid_viscosity_between_components() -> None:
    t = 112.0
    mu = substance("lng").liquid_viscosity_pa_s(t)
    mu_ch4 = substance("methane").liquid_viscosity_pa_s(t)
    mu_c3 = CP.PropsSI("V", "T", t, "Q", 0, "n-Propane")
    assert mu_ch4 < mu < mu_c3


# --- hazard data file ---------------------------------------------------------------------------


def _raw_data() -> dict[str, Any]:
    text = resources.files("solvers.substances").joinpath("hazard_data.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_hazard_file_validates() -> None:
    validate_hazard_data(_raw_data())
    assert set(SUBSTANCE_NAMES) <= set(hazard_data_table()["substances"])


def test_every_number_has_a_source() -> None:
    for key in SUBSTANCE_NAMES:
        hazard = substance(key).hazard
        if hazard.lfl_volume_fraction is not None:
            assert hazard.sources["flammability"]
        if hazard.aegl_ppm:
            assert hazard.sources["aegl"]
        if hazard.erpg_ppm:
            assert hazard.sources["erpg"]
        if hazard.idlh_ppm is not None:
            assert hazard.sources["idlh"]
        if hazard.toxic_probit is not None:
            assert hazard.sources["toxic_probit"] == hazard.toxic_probit.source


def test_validation_rejects_a_number_without_source() -> None:
    data = copy.deepcopy(_raw_data())
    del data["substances"]["ammonia"]["idlh"]["source"]
    with pytest.raises(
        ValueError, match=r"\[substances\.ammonia\.idlh\]: holds numbers but has no source"
    ):
        validate_hazard_data(data)


def test_validation_rejects_bad_limits_and_short_aegl_rows() -> None:
    data = copy.deepcopy(_raw_data())
    data["substances"]["methane"]["flammability"]["ufl_volume_fraction"] = 0.01
    with pytest.raises(ValueError, match="lfl < ufl"):
        validate_hazard_data(data)
    data = copy.deepcopy(_raw_data())
    data["substances"]["chlorine"]["aegl"]["aegl2_ppm"] = [2.8, 2.8]
    with pytest.raises(ValueError, match="aegl2_ppm must list 5 values"):
        validate_hazard_data(data)


@pytest.mark.parametrize("name", SUBSTANCE_NAMES)
def test_aegl_tiers_ordered_and_non_increasing_with_duration(name: str) -> None:
    aegl = substance(name).hazard.aegl_ppm
    tiers = sorted({tier for tier, _ in aegl})
    for tier in tiers:
        row = [aegl[(tier, d)] for d in AEGL_DURATIONS_S]
        assert all(a >= b for a, b in itertools.pairwise(row)), (tier, row)
    for lower, upper in itertools.pairwise(tiers):
        for d in AEGL_DURATIONS_S:
            assert aegl[(lower, d)] < aegl[(upper, d)]


@pytest.mark.parametrize("name", SUBSTANCE_NAMES)
def test_erpg_ordered_and_limits_valid(name: str) -> None:
    hazard = substance(name).hazard
    erpg = [hazard.erpg_ppm[t] for t in sorted(hazard.erpg_ppm)]
    assert erpg == sorted(erpg)
    if hazard.is_flammable:
        assert hazard.ufl_volume_fraction is not None
        assert 0 < hazard.lfl_volume_fraction < hazard.ufl_volume_fraction <= 1  # type: ignore[operator]


def test_expected_hazard_profile() -> None:
    assert substance("chlorine").hazard.lfl_volume_fraction is None
    assert not substance("chlorine").hazard.is_flammable
    for name in ("methane", "ethane", "propane", "hydrogen", "lng"):
        assert substance(name).hazard.is_asphyxiant
    for name in ("ammonia", "chlorine", "hydrogen_sulfide"):
        hazard = substance(name).hazard
        assert not hazard.is_asphyxiant
        assert hazard.is_toxic
        assert hazard.toxic_probit is not None
        assert {t for t, _ in hazard.aegl_ppm} == {1, 2, 3}
    assert substance("hydrogen").hazard.aegl_ppm == {}


@pytest.mark.verification
@pytest.mark.parametrize("name", ["ammonia", "chlorine", "hydrogen_sulfide"])
def test_probit_in_ppm_equals_published_mg_m3_form(name: str) -> None:
    """The ppm constants give the same probit as the published mg/m3 ones at the same
    concentration (1 ppm = P M / (R T) mg/m3 at 20 °C, 1 atm): analytic unit conversion."""
    s = substance(name)
    probit = s.hazard.toxic_probit
    assert probit is not None
    assert probit.concentration_unit == "ppm"
    assert probit.time_unit == "min"
    assert probit.published_a is not None
    c_ppm, t_min = 500.0, 20.0
    c_mg_m3 = c_ppm * ATM_PA * s.molar_mass_kg_mol / (R_J_MOL_K * 293.15)
    published = probit.published_a + probit.b * math.log(c_mg_m3**probit.n * t_min)
    converted = probit.a + probit.b * math.log(c_ppm**probit.n * t_min)
    assert converted == pytest.approx(published, abs=1e-12)


# --- names and errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("NH3", "ammonia"),
        ("nh3", "ammonia"),
        (" Ammonia ", "ammonia"),
        ("R717", "ammonia"),
        ("Cl2", "chlorine"),
        ("H2S", "hydrogen_sulfide"),
        ("hydrogen sulphide", "hydrogen_sulfide"),
        ("Hydrogen-Sulfide", "hydrogen_sulfide"),
        ("H2", "hydrogen"),
        ("CH4", "methane"),
        ("C2H6", "ethane"),
        ("C3H8", "propane"),
        ("LNG", "lng"),
        ("liquefied natural gas", "lng"),
    ],
)
def test_aliases(alias: str, key: str) -> None:
    assert substance(alias).key == key
    assert substance(alias) is substance(key)


def test_unknown_name_lists_choices() -> None:
    with pytest.raises(InvalidInputError, match=r"substance = 'xyz': unknown; choose one of \["):
        substance("xyz")


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda s: s.saturation_pressure_pa(500.0), r"temperature_k = 500.0 K: .*ammonia.*405\.56"),
        (lambda s: s.saturation_pressure_pa(100.0), r"temperature_k = 100.0 K: .*\[195\.495"),
        (lambda s: s.liquid_density_kg_m3(math.nan), r"temperature_k = nan K"),
        (lambda s: s.saturation_temperature_k(2e7), r"pressure_pa = 20000000.0 Pa: .*ammonia"),
        (lambda s: s.vapour_density_kg_m3(300.0, 0.0), r"pressure_pa = 0.0 Pa: .*\(0, "),
        (lambda s: s.gas_cp_j_kg_k(5000.0, ATM_PA), r"temperature_k = 5000.0 K: .*gas"),
        (lambda s: s.gas_diffusivity_m2_s(-1.0, ATM_PA), r"temperature_k = -1.0 K: .*> 0"),
    ],
)
def test_out_of_range_inputs_name_field_value_and_range(call: Any, pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        call(substance("ammonia"))


def test_lng_range_error_names_bubble_point() -> None:
    with pytest.raises(InvalidInputError, match=r"temperature_k = 200.0 K: .*lng \(bubble point\)"):
        substance("lng").saturation_pressure_pa(200.0)


@pytest.mark.parametrize(
    ("fractions", "pattern"),
    [
        ((0.9, 0.2, 0.0), r"methane \+ ethane \+ propane = 1.1.*must sum to 1"),
        ((1.1, -0.1, 0.0), r"ethane = -0.1 \(mole fraction\): must be a finite number >= 0"),
        ((0.0, 0.5, 0.5), r"methane = 0.0 \(mole fraction\): must be > 0"),
        ((math.nan, 0.5, 0.5), r"methane = nan"),
    ],
)
def test_lng_mixture_rejects_bad_compositions(
    fractions: tuple[float, float, float], pattern: str
) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        lng_mixture(*fractions)


def test_bad_lng_key() -> None:
    with pytest.raises(InvalidInputError, match="lng:<methane>/<ethane>/<propane>"):
        substance("lng:0.9/0.1")


def test_substance_is_immutable_and_cached() -> None:
    s = substance("propane")
    assert isinstance(s, Substance)
    assert substance("PROPANE") is s
    with pytest.raises(AttributeError):
        s.key = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.hazard.aegl_ppm[(1, 600)] = 1.0  # type: ignore[index]


def test_substance_and_hazard_data_pickle() -> None:
    """Substances cross process boundaries (parallel sweeps) and come back as the cached one."""
    lng = lng_mixture(0.9, 0.07, 0.03)
    assert pickle.loads(pickle.dumps(lng)) is lng
    hazard = substance("chlorine").hazard
    restored = pickle.loads(pickle.dumps(hazard))
    assert restored == hazard
    assert restored.aegl_ppm[(3, 3600)] == 20.0


def test_lng_critical_point_between_component_critical_points() -> None:
    """The mixture's critical point (computed on first use) lies between methane's and
    propane's critical temperatures, above the methane-rich liquid's bubble curve."""
    lng = substance("lng")
    assert substance("methane").critical_temperature_k < lng.critical_temperature_k
    assert lng.critical_temperature_k < substance("propane").critical_temperature_k
    assert lng.critical_pressure_pa > substance("methane").critical_pressure_pa
