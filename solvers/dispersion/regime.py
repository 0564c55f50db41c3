"""Choice between dense-gas and passive (Gaussian) dispersion for a release.

A release is treated as dense when the material entering the air is denser than the air and
Britter & McQuaid's (1988) criterion says the density difference matters:

* initial density: the release's airborne material at its temperature after flashing, vapour as
  an ideal gas plus liquid aerosol at its saturated-liquid density,
  ``1 / rho0 = (1 - f) / rho_v + f / rho_l``; the air is the ambient humid air;
* release kind at the distance of interest ``x``: ``u10 Td / x >= 2.5`` continuous, ``<= 0.6``
  instantaneous, intermediate in between;
* criterion: continuous ``(g0' q0 / (u^3 D))^(1/3) >= 0.15`` with ``q0 = Q / rho0`` and
  ``D = sqrt(q0 / u)``; instantaneous ``sqrt(g0' V0^(1/3)) / u >= 0.2`` with ``V0 = M / rho0``.
  An intermediate release is dense when either criterion is met.

The dense model is :mod:`solvers.dispersion.dense_gas_slab` (``"dense_gas_slab"``); the passive
ones are :mod:`solvers.dispersion.gaussian_plume` (``"gaussian_plume"``) for continuous and
intermediate releases and :mod:`solvers.dispersion.gaussian_puff` (``"gaussian_puff"``) for
instantaneous ones.

References
----------
.. [1] Britter, R.E., McQuaid, J. (1988). Workbook on the dispersion of dense gases. HSE
   Contract Research Report 17/1988 (release classification and dense-gas criteria).
.. [2] CCPS (1999). Guidelines for Consequence Analysis of Chemical Releases, AIChE.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from solvers._checks import require_finite, require_positive
from solvers.atmosphere import Weather
from solvers.dispersion._dense_gas_common import (
    GAS_CONSTANT_J_MOL_K,
    GRAVITY_M_S2,
    humid_air_density_kg_m3,
)
from solvers.dispersion.dense_gas_britter_mcquaid import (
    CONTINUOUS_CRITERION_THRESHOLD,
    INSTANTANEOUS_CRITERION_THRESHOLD,
    ReleaseKind,
    continuous_density_criterion,
    instantaneous_density_criterion,
    release_kind,
    release_kind_ratio,
)
from solvers.dispersion.stability import wind_speed_at_height_m_s
from solvers.errors import InvalidInputError
from solvers.source.source_term import SourceTerm
from solvers.substances.library import Substance, substance

__all__ = [
    "DENSE_MODEL",
    "DENSITY_RATIO_MARGIN",
    "RegimeChoice",
    "choose_regime",
    "release_density_kg_m3",
]

#: Name of the dense-gas model.
DENSE_MODEL = "dense_gas_slab"
#: Passive models by release kind.
PASSIVE_MODELS: dict[str, str] = {
    "continuous": "gaussian_plume",
    "intermediate": "gaussian_plume",
    "instantaneous": "gaussian_puff",
}
#: Relative density excess below which the release is not denser than air (as the slab model's
#: transition to passive dispersion).
DENSITY_RATIO_MARGIN = 1e-3
#: Default distance of interest for the release classification, m.
DEFAULT_DISTANCE_M = 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RegimeChoice:
    """The dispersion model chosen for a release, with the numbers behind the choice.

    Attributes
    ----------
    model : str
        ``"dense_gas_slab"``, ``"gaussian_plume"`` or ``"gaussian_puff"``.
    is_dense : bool
        Whether the release disperses as a dense gas.
    release_kind : {"continuous", "instantaneous", "intermediate"}
        Britter-McQuaid classification at ``distance_m``.
    release_ratio : float
        ``u10 Td / x``.
    distance_m : float
        Distance of interest ``x``, m.
    initial_density_kg_m3 : float
        Density of the airborne material at release (vapour plus aerosol), kg/m^3.
    air_density_kg_m3 : float
        Ambient humid-air density, kg/m^3.
    continuous_criterion, instantaneous_criterion : float
        The two Britter-McQuaid criteria (0 for a source not denser than air).
    reason : str
        One line with the numbers, e.g. ``"dense: initial density 1.55 kg/m3 > air 1.20;
        B-M continuous criterion 0.31 >= 0.15"``.
    """

    model: str
    is_dense: bool
    release_kind: ReleaseKind
    release_ratio: float
    distance_m: float
    initial_density_kg_m3: float
    air_density_kg_m3: float
    continuous_criterion: float
    instantaneous_criterion: float
    reason: str


def release_density_kg_m3(
    sub: Substance, *, temperature_k: float, pressure_pa: float, aerosol_fraction: float
) -> float:
    """Return the density of released vapour with liquid aerosol, kg/m^3.

    Vapour as an ideal gas at ``temperature_k`` and ``pressure_pa``; liquid at the saturated
    density at ``temperature_k`` (clamped to the substance's saturation range);
    ``1 / rho = (1 - f) / rho_v + f / rho_l``.

    Parameters
    ----------
    sub : Substance
        The substance.
    temperature_k : float
        Temperature of the released material, K.
    pressure_pa : float
        Ambient pressure, Pa.
    aerosol_fraction : float
        Liquid mass fraction ``f``, in [0, 1).

    Returns
    -------
    float
        Density, kg/m^3.
    """
    t = require_positive("temperature_k", temperature_k, "K")
    p = require_positive("pressure_pa", pressure_pa, "Pa")
    f = float(aerosol_fraction)
    if not (math.isfinite(f) and 0.0 <= f < 1.0):
        raise InvalidInputError(f"aerosol_fraction = {aerosol_fraction!r}: must be in [0, 1)")
    rho_v = p * sub.molar_mass_kg_mol / (GAS_CONSTANT_J_MOL_K * t)
    if f == 0.0:
        return rho_v
    low, high = sub.saturation_temperature_range_k
    rho_l = sub.liquid_density_kg_m3(min(max(t, low), high - 1e-6 * high))
    return 1.0 / ((1.0 - f) / rho_v + f / rho_l)


def choose_regime(
    source: SourceTerm,
    weather: Weather,
    *,
    distance_m: float = DEFAULT_DISTANCE_M,
    t_s: float | None = None,
) -> RegimeChoice:
    """Choose dense-gas or passive dispersion for a release (see the module docstring).

    Parameters
    ----------
    source : SourceTerm
        The release; its state (rate, temperature, aerosol fraction) is read at ``t_s``, by
        default at the sample of peak airborne rate.
    weather : Weather
        Ambient conditions.
    distance_m : float
        Distance of interest for the continuous/instantaneous classification, m.
    t_s : float, optional
        Time at which to read the source state, s.

    Returns
    -------
    RegimeChoice
        The chosen model and the reason with its numbers.

    Raises
    ------
    InvalidInputError
        If the source releases nothing airborne, or for out-of-range inputs.

    Examples
    --------
    >>> from solvers.atmosphere import Weather
    >>> from solvers.source.source_term import constant_source
    >>> choice = choose_regime(
    ...     constant_source("chlorine", 5.0, 600.0, temperature_k=239.0),
    ...     Weather(wind_speed_m_s=3.0, wind_from_deg=270.0, stability_class="D"))
    >>> choice.model
    'dense_gas_slab'
    """
    x = require_positive("distance_m", distance_m, "m")
    sub = substance(source.substance)
    if t_s is None:
        i = int(np.argmax(source.airborne_rate_kg_s))
        rate = float(source.airborne_rate_kg_s[i])
        temperature = float(source.temperature_k[i])
        aerosol = float(source.aerosol_fraction[i])
    else:
        t = require_finite("t_s", t_s, "s")
        rate = float(source.airborne_rate_at(t))
        temperature = float(np.interp(t, source.t_s, source.temperature_k))
        aerosol = float(np.interp(t, source.t_s, source.aerosol_fraction))
    mass = source.airborne_mass_kg()
    if not (rate > 0.0 and mass > 0.0):
        raise InvalidInputError(
            f"airborne rate = {rate!r} kg/s and mass = {mass!r} kg: the source term must release "
            + "airborne material over a duration > 0"
        )
    rho0 = release_density_kg_m3(
        sub,
        temperature_k=temperature,
        pressure_pa=weather.ambient_pressure_pa,
        aerosol_fraction=aerosol,
    )
    rho_a = humid_air_density_kg_m3(weather)
    u10 = float(wind_speed_at_height_m_s(weather, 10.0)[()])
    duration = max(source.duration_s, 1e-9)
    kind = release_kind(wind_speed_10m_m_s=u10, duration_s=duration, distance_m=x)
    ratio = release_kind_ratio(wind_speed_10m_m_s=u10, duration_s=duration, distance_m=x)
    g0 = GRAVITY_M_S2 * (rho0 - rho_a) / rho_a
    cont = continuous_density_criterion(
        volume_rate_m3_s=rate / rho0, reduced_gravity_m_s2=g0, wind_speed_10m_m_s=u10
    )
    inst = instantaneous_density_criterion(
        volume_m3=mass / rho0, reduced_gravity_m_s2=g0, wind_speed_10m_m_s=u10
    )
    makeup = f" (vapour + {100 * aerosol:.0f} % aerosol)" if aerosol > 0 else ""
    density_text = f"initial density {rho0:.2f} kg/m3{makeup}"

    def choice(is_dense: bool, reason: str) -> RegimeChoice:
        return RegimeChoice(
            model=DENSE_MODEL if is_dense else PASSIVE_MODELS[kind],
            is_dense=is_dense,
            release_kind=kind,
            release_ratio=ratio,
            distance_m=x,
            initial_density_kg_m3=rho0,
            air_density_kg_m3=rho_a,
            continuous_criterion=cont,
            instantaneous_criterion=inst,
            reason=reason,
        )

    if rho0 <= rho_a * (1.0 + DENSITY_RATIO_MARGIN):
        return choice(False, f"passive: {density_text} <= air {rho_a:.2f}")
    checks = []
    if kind in ("continuous", "intermediate"):
        checks.append(("continuous", cont, CONTINUOUS_CRITERION_THRESHOLD))
    if kind in ("instantaneous", "intermediate"):
        checks.append(("instantaneous", inst, INSTANTANEOUS_CRITERION_THRESHOLD))
    is_dense = any(value >= limit for _, value, limit in checks)
    criteria = "; ".join(
        f"B-M {name} criterion {value:.3g} {'>=' if value >= limit else '<'} {limit:g}"
        for name, value, limit in checks
    )
    kind_text = f"{kind} release (u10 Td / x = {ratio:.3g} at {x:g} m)"
    return choice(
        is_dense,
        f"{'dense' if is_dense else 'passive'}: {density_text} > air {rho_a:.2f}; "
        + f"{criteria}; {kind_text}",
    )
