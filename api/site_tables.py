"""Rich tables of a site summary, as printed by ``hazard-twin twin inspect`` and ``demo``.

Values arrive in SI units (the JSON of :meth:`twin.runtime.SiteView.summary`) and are converted
here, for display only: tonnes, MPa absolute, degrees Celsius, hectares.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def _people(by_shift: dict[str, int]) -> str:
    return " / ".join(f"{n:,}" for n in by_shift.values())


def render_site_summary(console: Console, summary: dict[str, Any]) -> None:
    """Print a site summary as tables; units converted for display only (t, MPa, °C, ha)."""
    shifts = summary["shifts"]
    shift_label = "people (" + " / ".join(shifts) + ")"
    head = Table(title=summary["name"], show_header=False, title_justify="left", title_style="bold")
    head.add_column("field", style="bold")
    head.add_column("value")
    head.add_row("fenced area", f"{summary['fence_area_m2'] / 1e4:,.1f} ha")
    outdoor = summary.get("outdoor_walkable_area_m2")
    head.add_row(
        "outdoor walkable area",
        f"{outdoor / 1e4:,.1f} ha" if outdoor is not None else summary.get("outdoor_error", "?"),
    )
    head.add_row(
        "gates",
        ", ".join(
            f"{g['id']} ({g['width_m']:g} m{'' if g['is_open'] else ', closed'})"
            for g in summary["gates"]
        ),
    )
    head.add_row(shift_label, _people(summary["population_by_shift"]))
    head.add_row("  of whom outdoors", _people(summary["people_outdoors_by_shift"]))
    inventory = ", ".join(
        f"{k} {v / 1000:,.1f} t" for k, v in summary["inventory_kg_by_fluid"].items()
    )
    head.add_row("hazardous inventory", inventory or "none")
    structures = ", ".join(f"{n} {k}" for k, n in summary["structures_by_kind"].items())
    head.add_row("structures", structures or "none")
    console.print(head)

    table = Table(title="Buildings", title_justify="left")
    for col, justify in [
        ("building", "left"),
        ("level", "left"),
        ("z (m)", "right"),
        ("walkable (m²)", "right"),
        ("rooms", "right"),
        ("doors", "right"),
        ("exits", "left"),
        ("stairs", "right"),
        (shift_label, "right"),
    ]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for b in summary["buildings"]:
        label = f"{b['name'] or b['id']}" + (" (shelter)" if b["is_shelter"] else "")
        for k, lv in enumerate(b["levels"]):
            area = lv.get("walkable_area_m2")
            table.add_row(
                label if k == 0 else "",
                lv["id"],
                f"{lv['elevation_m']:g}",
                f"{area:,.1f}" if area is not None else f"[red]{lv.get('error', '?')}[/]",
                str(lv["rooms"]),
                str(lv["doors"]),
                str(len(lv["exits"])),
                str(b["stairs"]) if k == 0 else "",
                _people(lv["people_by_shift"]),
            )
    console.print(table)

    table = Table(title="Equipment", title_justify="left")
    for col, justify in [
        ("id", "left"),
        ("kind", "left"),
        ("fluid", "left"),
        ("inventory (t)", "right"),
        ("p (MPa abs)", "right"),
        ("T (°C)", "right"),
        ("ESD valves", "right"),
    ]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for e in summary["equipment"]:
        table.add_row(
            e["id"],
            e["kind"],
            e["fluid"],
            f"{e['inventory_kg'] / 1000:,.2f}",
            f"{e['pressure_pa'] / 1e6:.3g}",
            f"{e['temperature_k'] - 273.15:.0f}",
            str(e["valves"]),
        )
    console.print(table)

    table = Table(title="Detectors", title_justify="left")
    for col in ("kind", "gas", "alarm levels", "count"):
        table.add_column(col, justify="right" if col == "count" else "left")
    for d in summary["detectors"]:
        table.add_row(d["kind"], d["gas"] or "-", d["alarm_levels"], str(d["count"]))
    console.print(table)

    table = Table(title="Muster points and shelters", title_justify="left")
    for col in ("id", "kind", "capacity", "building", "x, y (m)"):
        table.add_column(col, justify="right" if col == "capacity" else "left")
    for m in summary["muster_points"]:
        x, y = m["position_m"]
        table.add_row(
            m["id"], m["kind"], f"{m['capacity']:,}", m["building"] or "-", f"{x:.0f}, {y:.0f}"
        )
    console.print(table)

    grids = summary.get("grids")
    if grids:
        table = Table(title="Derived grids", title_justify="left")
        for col in ("grid", "cell (m)", "cells (x·y·z)", "walkable / solid"):
            table.add_column(col, justify="left" if col == "grid" else "right")
        for g in grids["navigation"]:
            cells = "x".join(str(n) for n in reversed(g.get("shape", [])))
            used = f"{g['walkable_cells']:,}" if "walkable_cells" in g else f"[red]{g['error']}[/]"
            table.add_row(f"navigation {g['level']}", f"{g['cell_m']:g}", cells, used)
        v = grids["voxels"]
        cells = "x".join(str(n) for n in reversed(v.get("shape", [])))
        used = f"{v['solid_cells']:,}" if "solid_cells" in v else f"[red]{v['error']}[/]"
        table.add_row("obstacle voxels", f"{v['cell_m']:g}", cells, used)
        console.print(table)

    if summary["zones"]:
        table = Table(title="Zones", title_justify="left")
        for col in ("id", "kind", "area (m²)", shift_label):
            table.add_column(col, justify="left" if col in ("id", "kind") else "right")
        for z in summary["zones"]:
            table.add_row(z["id"], z["kind"], f"{z['area_m2']:,.0f}", _people(z["people_by_shift"]))
        console.print(table)
