"""Rich tables and the JSON summary of ``hazard-twin release``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scenarios.release import ReleaseOutcome
from solvers.effects.threat_zones import ThreatZone


def _ppm(volume_fraction: float | None) -> str:
    if volume_fraction is None:
        return "dose"
    ppm = volume_fraction * 1e6
    return f"{100 * volume_fraction:.3g} %" if ppm >= 10_000 else f"{ppm:.3g} ppm"


def _reaches_grid_edge(zone: ThreatZone) -> bool:
    """Whether a footprint touches the edge of its grid (its reach is then a lower bound)."""
    m = zone.mask
    if m is None or m.size == 0:
        return math.isinf(zone.distance_m)
    return bool(m[0, :].any() or m[-1, :].any() or m[:, 0].any() or m[:, -1].any())


def _distance(zone: ThreatZone) -> str:
    if math.isinf(zone.distance_m):
        return "beyond grid"
    if zone.distance_m <= 0:
        return "not reached"
    text = f"{zone.distance_m:,.0f}"
    return f">= {text} (grid edge)" if _reaches_grid_edge(zone) else text


def release_summary(outcome: ReleaseOutcome) -> dict[str, Any]:
    """Return the release's key numbers as a JSON-ready dict (SI units)."""
    d = outcome.discharge
    return {
        "name": outcome.spec.name,
        "substance": outcome.substance.key,
        "weather": {
            "wind_speed_m_s": outcome.weather.wind_speed_m_s,
            "wind_from_deg": outcome.weather.wind_from_deg,
            "stability_class": outcome.weather.stability_class,
            "stability_reason": outcome.stability_reason,
        },
        "source_term": {
            "model": d.model,
            "phase": d.phase,
            "duration_s": d.duration_s,
            "peak_discharge_rate_kg_s": float(np.max(d.discharge_rate_kg_s)),
            "initial_discharge_rate_kg_s": float(d.discharge_rate_kg_s[0]),
            "discharged_mass_kg": d.discharged_mass_kg(),
            "airborne_mass_kg": d.airborne_mass_kg(),
            "rainout_fraction": (
                float(np.trapezoid(d.rainout_rate_kg_s, d.t_s)) / d.discharged_mass_kg()
                if d.discharged_mass_kg() > 0
                else 0.0
            ),
            "exit_velocity_m_s": float(d.velocity_m_s[0]),
            "temperature_k": float(d.temperature_k[0]),
        },
        "pool": None
        if outcome.pool is None
        else {
            "max_diameter_m": outcome.pool.max_diameter_m,
            "evaporated_mass_kg": float(outcome.pool.evaporated_mass_kg[-1]),
            "is_bunded": outcome.pool.is_bunded,
        },
        "dispersion": [
            {"source": a.label, "model": a.model, "reason": a.reason} for a in outcome.airborne
        ],
        "threat_zones": [
            {
                "level": z.level_name,
                "threshold_volume_fraction": z.threshold_volume_fraction,
                "distance_m": None if math.isinf(z.distance_m) else z.distance_m,
                "reaches_grid_edge": _reaches_grid_edge(z),
                "area_m2": z.area_m2,
                "width_m": z.width_m,
            }
            for z in outcome.zones
        ],
    }


def render_release(console: Console, outcome: ReleaseOutcome) -> None:
    """Print the source term, the dispersion regime and the threat-zone table."""
    s = release_summary(outcome)
    src = s["source_term"]
    title = escape(outcome.spec.name or outcome.substance.name)
    console.print(f"[bold]{title}[/] ({escape(outcome.substance.name)})")
    w = s["weather"]
    console.print(
        f"weather: {w['wind_speed_m_s']:g} m/s from {w['wind_from_deg']:g} deg, "
        + f"{escape(w['stability_reason'])}",
        highlight=False,
    )
    st = Table(title="Source term", show_header=False)
    st.add_column("quantity")
    st.add_column("value", justify="right")
    st.add_row("model", escape(src["model"]))
    st.add_row("phase at the hole", src["phase"])
    st.add_row("initial discharge rate", f"{src['initial_discharge_rate_kg_s']:.4g} kg/s")
    st.add_row("peak discharge rate", f"{src['peak_discharge_rate_kg_s']:.4g} kg/s")
    st.add_row("duration", f"{src['duration_s']:,.0f} s")
    st.add_row("mass discharged", f"{src['discharged_mass_kg']:,.0f} kg")
    st.add_row("mass airborne from the jet", f"{src['airborne_mass_kg']:,.0f} kg")
    st.add_row("rain-out fraction", f"{src['rainout_fraction']:.2f}")
    st.add_row("jet velocity after expansion", f"{src['exit_velocity_m_s']:.3g} m/s")
    st.add_row("jet temperature after expansion", f"{src['temperature_k']:.1f} K")
    if s["pool"] is not None:
        st.add_row("pool diameter (max)", f"{s['pool']['max_diameter_m']:.1f} m")
        st.add_row("pool mass evaporated", f"{s['pool']['evaporated_mass_kg']:,.0f} kg")
        st.add_row("pool held by a bund", "yes" if s["pool"]["is_bunded"] else "no")
    console.print(st)
    for item in s["dispersion"]:
        console.print(
            f"dispersion of the {item['source']}: [bold]{escape(item['model'])}[/] "
            + f"({escape(item['reason'])})",
            highlight=False,
        )
    zt = Table(title="Threat zones (peak concentration at receptor height)")
    for col, justify in (
        ("level", "left"),
        ("threshold", "right"),
        ("downwind distance (m)", "right"),
        ("max width (m)", "right"),
        ("area (m2)", "right"),
    ):
        zt.add_column(col, justify=justify)  # type: ignore[arg-type]
    for z in outcome.zones:
        zt.add_row(
            escape(z.level_name),
            _ppm(z.threshold_volume_fraction),
            _distance(z),
            "" if z.width_m is None else f"{z.width_m:,.0f}",
            "" if z.area_m2 is None else f"{z.area_m2:,.0f}",
        )
    console.print(zt)
