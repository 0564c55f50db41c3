"""The ``hazard-twin`` command line.

Commands::

    hazard-twin demo [--out DIR]               build the sample LNG terminal twin, summarise, plot
    hazard-twin twin inspect SITE [--json]     summary table of a site file
    hazard-twin twin validate SITE [--json]    check a site file and its geometry; exit 1 if bad
    hazard-twin twin plot SITE --out plan.png  2D site plan and one plan per building storey
    hazard-twin version [--json]

Every command that reports takes ``--json`` for machine-readable output on stdout. Errors in user
input exit with status 2 and a message naming the field, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from twin import SiteFileError, SiteView, load_site
from viz.site_plan import write_site_plans

app = typer.Typer(
    name="hazard-twin",
    help="Digital twin and simulation engine for major hazard sites.",
    no_args_is_help=True,
    add_completion=False,
)
twin_app = typer.Typer(
    help="Site twins: inspect, validate and plot site files.", no_args_is_help=True
)
app.add_typer(twin_app, name="twin")

console = Console()
err_console = Console(stderr=True)

#: The flagship sample site shipped with the repository.
SAMPLE_SITES_DIR = Path(__file__).resolve().parents[1] / "examples" / "sites"

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")
]
SiteArg = Annotated[Path, typer.Argument(help="Site file (YAML or JSON).", show_default=False)]


def _fail(message: str, *, code: int = 2) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _load_view(path: Path) -> SiteView:
    if not path.exists():
        raise _fail(f"SITE = '{path}': no such file; give the path of a site .yaml or .json file")
    try:
        return load_site(path).view()
    except SiteFileError as exc:
        raise _fail(str(exc)) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _people(by_shift: dict[str, int]) -> str:
    return " / ".join(f"{n:,}" for n in by_shift.values())


def _render_summary(summary: dict[str, Any]) -> None:
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


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


@twin_app.command("inspect")
def twin_inspect(site: SiteArg, as_json: JsonOpt = False) -> None:
    """Summarise a site: buildings, levels, walkable area, exits, equipment, detectors, people."""
    view = _load_view(site)
    summary = view.summary() | {"grids": view.grids_summary()}
    if as_json:
        _print_json(summary)
    else:
        _render_summary(summary)


@twin_app.command("validate")
def twin_validate(site: SiteArg, as_json: JsonOpt = False) -> None:
    """Check a site file, its references and its geometry; exit status 1 if anything is wrong."""
    if not site.exists():
        raise _fail(f"SITE = '{site}': no such file; give the path of a site .yaml or .json file")
    try:
        load_site(site)
    except SiteFileError as exc:
        issues = [{**dataclasses.asdict(i), "text": str(i)} for i in exc.issues]
    except ValueError as exc:
        issues = [{"text": str(exc)}]
    else:
        issues = []
    if as_json:
        _print_json({"valid": not issues, "issues": issues})
    elif issues:
        err_console.print(f"[bold red]invalid:[/] {site}", highlight=False)
        for issue in issues:
            err_console.print(f"  {issue['text']}", highlight=False, soft_wrap=True)
    else:
        console.print(f"[green]valid:[/] {site}")
    if issues:
        raise typer.Exit(1)


@twin_app.command("plot")
def twin_plot(
    site: SiteArg,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output image for the site plan (.png, .svg, .pdf).")
    ] = Path("plan.png"),
    dpi: Annotated[int, typer.Option(min=50, max=600, help="Resolution of raster images.")] = 150,
    as_json: JsonOpt = False,
) -> None:
    """Draw the site plan (ground level) and one plan per building storey next to it."""
    allowed = {".png", ".svg", ".pdf"}
    if out.suffix.lower() not in allowed:
        raise _fail(f"--out = '{out}': the suffix must be one of {sorted(allowed)}")
    view = _load_view(site)
    written = write_site_plans(view, out, dpi=dpi)
    if as_json:
        _print_json({"files": [str(p) for p in written]})
    else:
        for p in written:
            console.print(f"wrote {p}")


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo outputs.")] = Path(
        "out/demo"
    ),
    site: Annotated[
        Path | None, typer.Option(help="Site file to use instead of the sample LNG terminal.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Build the sample LNG terminal twin, print its summary and write its site plans."""
    site_path = site or SAMPLE_SITES_DIR / "lng_terminal" / "site.yaml"
    t0 = time.perf_counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("loading and validating the site twin", total=None)
        view = _load_view(site_path)
        progress.update(task, description="rasterising navigation grids and voxelising obstacles")
        summary = view.summary() | {"grids": view.grids_summary()}
        progress.update(task, description="drawing site plans")
        written = write_site_plans(view, out / "plan.png")
    elapsed = time.perf_counter() - t0
    if as_json:
        _print_json({"summary": summary, "files": [str(p) for p in written], "elapsed_s": elapsed})
        return
    _render_summary(summary)
    for p in written:
        console.print(f"wrote {p}")
    console.print(f"[dim]done in {elapsed:.1f} s[/]")


@app.command("version")
def version(as_json: JsonOpt = False) -> None:
    """Print the hazard-twin version."""
    from importlib.metadata import version as dist_version

    v = dist_version("hazard-twin")
    if as_json:
        _print_json({"version": v})
    else:
        console.print(f"hazard-twin {v}")


def main() -> None:
    """Entry point of the ``hazard-twin`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
