"""The ``hazard-twin`` command line.

Commands::

    hazard-twin demo [--out DIR]               the sample LNG terminal: twin, a spill, an evacuation
    hazard-twin twin inspect SITE [--json]     summary table of a site file
    hazard-twin twin validate SITE [--json]    check a site file and its geometry; exit 1 if bad
    hazard-twin twin plot SITE --out plan.png  2D site plan and one plan per building storey
    hazard-twin twin convert SITE OUT          write a site again as YAML or JSON
    hazard-twin release FILE [--out DIR]       source term, dispersion regime, threat zones, map
    hazard-twin validate [--family F] [--json] every model against its published or measured case
    hazard-twin version [--json]

Every command that reports takes ``--json`` for machine-readable output on stdout. Errors in user
input exit with status 2 and a message naming the field, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.release_tables import release_summary, render_release
from api.site_tables import render_site_summary
from api.validation_tables import CaseOutcome, outcome_json, render_validation
from geometry.atomic_file import write_text_atomic
from scenarios.release import run_release
from scenarios.release_file import load_release_file, release_from_mapping
from scenarios.validation.registry import all_cases
from twin import SiteFileError, SiteView, load_site, save_site
from twin.runtime import level_key
from viz.site_plan import save_figure, write_site_plans
from viz.threat_zone_map import plot_release_threat_zones

app = typer.Typer(
    name="hazard-twin",
    help="Digital twin and simulation engine for major hazard sites.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
twin_app = typer.Typer(
    help="Site twins: inspect, validate, convert and plot site files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
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


#: Set to 1 to see the full traceback of an unexpected error.
DEBUG_ENV = "HAZARD_TWIN_DEBUG"


def _fail(message: str, *, as_json: bool = False, code: int = 2) -> typer.Exit:
    """Report a user error (on stdout as ``{"error": ...}`` with ``--json``); return the exit."""
    if as_json:
        _print_json({"error": message})
    else:
        err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _load_view(path: Path, *, as_json: bool = False) -> SiteView:
    if not path.is_file():
        raise _fail(
            f"SITE = '{path}': no such file; give the path of a site .yaml or .json file",
            as_json=as_json,
        )
    try:
        return load_site(path).view()
    except ValueError as exc:  # SiteFileError and every geometry error are ValueErrors
        raise _fail(str(exc), as_json=as_json) from None


def _write_failed(target: Path, exc: OSError, *, as_json: bool) -> typer.Exit:
    reason = exc.strerror or str(exc)
    return _fail(f"cannot write '{target}': {reason}", as_json=as_json)


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


@twin_app.command("inspect")
def twin_inspect(site: SiteArg, as_json: JsonOpt = False) -> None:
    """Summarise a site: buildings, levels, walkable area, exits, equipment, detectors, people."""
    view = _load_view(site, as_json=as_json)
    summary = view.summary() | {"grids": view.grids_summary()}
    if as_json:
        _print_json(summary)
    else:
        render_site_summary(console, summary)


@twin_app.command("validate")
def twin_validate(site: SiteArg, as_json: JsonOpt = False) -> None:
    """Check a site file, its references and its geometry; exit status 1 if anything is wrong."""
    if not site.is_file():
        raise _fail(
            f"SITE = '{site}': no such file; give the path of a site .yaml or .json file",
            as_json=as_json,
        )
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
        err_console.print(f"[bold red]invalid:[/] {escape(str(site))}", highlight=False)
        for issue in issues:
            err_console.print(f"  {escape(issue['text'])}", highlight=False, soft_wrap=True)
    else:
        console.print(f"[green]valid:[/] {escape(str(site))}")
    if issues:
        raise typer.Exit(1)


@twin_app.command("convert")
def twin_convert(
    site: SiteArg,
    out: Annotated[
        Path, typer.Argument(help="Target site file (.yaml, .yml or .json).", show_default=False)
    ],
    as_json: JsonOpt = False,
) -> None:
    """Validate a site and write it again as YAML or JSON (geometry paths rebased to the target)."""
    view = _load_view(site, as_json=as_json)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        written = save_site(view.site, out)
    except ValueError as exc:
        raise _fail(str(exc), as_json=as_json) from None
    except OSError as exc:
        raise _write_failed(out, exc, as_json=as_json) from None
    if as_json:
        _print_json({"file": str(written)})
    else:
        console.print(f"wrote {escape(str(written))}")


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
        raise _fail(
            f"--out = '{out}': the suffix must be one of {sorted(allowed)}", as_json=as_json
        )
    view = _load_view(site, as_json=as_json)
    try:
        written = write_site_plans(view, out, dpi=dpi)
    except OSError as exc:
        raise _write_failed(out, exc, as_json=as_json) from None
    if as_json:
        _print_json({"files": [str(p) for p in written]})
    else:
        for p in written:
            console.print(f"wrote {escape(str(p))}")


#: The demo's release: an LNG spill into the terminal's impounding basin.
DEMO_RELEASE = Path(__file__).resolve().parents[1] / "examples" / "releases" / "lng_bund_pool.yaml"

#: Centre of the LNG terminal's impounding basin, m (site coordinates).
DEMO_BASIN_XY_M = (740.0, 235.0)


def _demo_release(view: SiteView, out: Path) -> tuple[dict[str, Any], Path]:
    """Run the demo release at the basin and draw its threat zones over the site plan."""
    spec = load_release_file(DEMO_RELEASE)
    spec = release_from_mapping(spec.model_dump() | {"position_m": DEMO_BASIN_XY_M})
    outcome = run_release(spec)
    fig = plot_release_threat_zones(outcome, title=f"{view.site.name}: {spec.name}", site=view)
    return release_summary(outcome), save_figure(fig, out / "lng_spill_threat_zones.png")


def _demo_evacuation(view: SiteView, out: Path, building_id: str) -> tuple[dict[str, Any], Path]:
    """Evacuate one building's day shift (all its storeys, stairs included) and plot the curve."""
    from scenarios.evacuation import EvacuationLayout, EvacuationModel, population_from_layout
    from viz.evacuation_plots import plot_evacuation_curve

    building = next(b for b in view.site.buildings if b.id == building_id)
    keys = [level_key(building.id, lv.id) for lv in building.levels]
    layout = EvacuationLayout.from_site(view, level_keys=keys, include_outdoor=False)
    people = population_from_layout(layout, "day", rng=1)
    model = EvacuationModel.from_layout(layout, people, rng=1)
    result = model.run_until_clear(max_time_s=900.0, dt_s=0.01)
    fig = plot_evacuation_curve(
        result, title=f"{building.name or building.id}: day shift, {result.n_people} people"
    )
    summary = {
        "building": building.id,
        "people": result.n_people,
        "out": result.n_out,
        "rset_s": result.rset_s if result.is_clear else None,
        "per_exit": {e: int(t.size) for e, (t, _) in sorted(result.exit_curves().items())},
    }
    return summary, save_figure(fig, out / f"{building.id}_evacuation.png")


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
    """Build the sample LNG terminal twin, spill LNG into its basin, evacuate its control room."""
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
        view = _load_view(site_path, as_json=as_json)
        progress.update(task, description="rasterising navigation grids and voxelising obstacles")
        summary = view.summary() | {"grids": view.grids_summary()}
        progress.update(task, description="drawing site plans")
        release: dict[str, Any] | None = None
        evacuation: dict[str, Any] | None = None
        try:
            written = write_site_plans(view, out / "plan.png")
            if site is None:
                progress.update(task, description="LNG spill into the basin: pool, dense cloud")
                release, map_path = _demo_release(view, out)
                written.append(map_path)
                progress.update(task, description="evacuating the control building")
                evacuation, curve_path = _demo_evacuation(view, out, "control")
                written.append(curve_path)
        except OSError as exc:
            raise _write_failed(out, exc, as_json=as_json) from None
    elapsed = time.perf_counter() - t0
    if as_json:
        _print_json(
            {
                "summary": summary,
                "release": release,
                "evacuation": evacuation,
                "files": [str(p) for p in written],
                "elapsed_s": elapsed,
            }
        )
        return
    render_site_summary(console, summary)
    if release is not None:
        zones = ", ".join(
            f"{z['level']} {z['distance_m']:,.0f} m"
            for z in release["threat_zones"]
            if z["distance_m"] is not None
        )
        console.print(
            f"[bold]LNG spill into the basin[/]: {release['dispersion'][0]['model']}; "
            + f"downwind reach {zones}",
            highlight=False,
        )
    if evacuation is not None:
        rset = evacuation["rset_s"]
        console.print(
            f"[bold]control building evacuation[/]: {evacuation['out']} of "
            + f"{evacuation['people']} out"
            + ("" if rset is None else f", RSET {rset:.0f} s")
            + f"; per exit {evacuation['per_exit']}",
            highlight=False,
        )
    for p in written:
        console.print(f"wrote {escape(str(p))}")
    console.print(f"[dim]done in {elapsed:.1f} s[/]")


@app.command("release")
def release(
    file: Annotated[Path, typer.Argument(help="Release file (YAML or JSON).", show_default=False)],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the map and the summary.")
    ] = Path("out/release"),
    substance: Annotated[str | None, typer.Option(help="What-if: another substance.")] = None,
    hole_diameter_m: Annotated[
        float | None, typer.Option(help="What-if: another hole diameter, m.")
    ] = None,
    wind_speed_m_s: Annotated[
        float | None, typer.Option(help="What-if: another wind speed at 10 m, m/s.")
    ] = None,
    wind_from_deg: Annotated[
        float | None, typer.Option(help="What-if: another wind direction (from), deg.")
    ] = None,
    stability: Annotated[
        str | None, typer.Option(help="What-if: another Pasquill-Gifford class, A to F.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run one release: source term, dispersion regime, threat-zone table and footprint map."""
    if not file.is_file():
        raise _fail(
            f"FILE = '{file}': no such file; give a release .yaml or .json", as_json=as_json
        )
    try:
        spec = load_release_file(file)
        data = spec.model_dump()
        if substance is not None:
            data["substance"] = substance
        if hole_diameter_m is not None:
            if "hole_diameter_m" not in data["source"]:
                raise _fail(
                    f"--hole-diameter-m: source model {spec.source.model!r} has no hole",
                    as_json=as_json,
                )
            data["source"]["hole_diameter_m"] = hole_diameter_m
        if wind_speed_m_s is not None:
            data["weather"]["wind_speed_m_s"] = wind_speed_m_s
        if wind_from_deg is not None:
            data["weather"]["wind_from_deg"] = wind_from_deg
        if stability is not None:
            data["weather"]["stability_class"] = stability.upper()
        spec = release_from_mapping(data, origin=f"{file} with the command-line changes")
    except ValueError as exc:
        raise _fail(str(exc), as_json=as_json) from None
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("release", total=None)
        try:
            outcome = run_release(
                spec, on_progress=lambda stage: progress.update(task, description=stage)
            )
        except ValueError as exc:
            raise _fail(str(exc), as_json=as_json) from None
        progress.update(task, description="drawing the threat-zone map")
        summary = release_summary(outcome)
        try:
            fig = plot_release_threat_zones(
                outcome, title=f"{spec.name or outcome.substance.name}: threat zones"
            )
            map_path = save_figure(fig, out / "threat_zones.png")
            summary_path = write_text_atomic(
                out / "summary.json", json.dumps(summary, indent=2) + "\n"
            )
        except OSError as exc:
            raise _write_failed(out, exc, as_json=as_json) from None
    if as_json:
        _print_json(summary | {"files": [str(map_path), str(summary_path)]})
        return
    render_release(console, outcome)
    console.print(f"wrote {escape(str(map_path))} and {escape(str(summary_path))}")


@app.command("validate")
def validate(
    family: Annotated[
        str | None,
        typer.Option(help="Only the cases of this family (substances, source, dispersion, ...)."),
    ] = None,
    case: Annotated[
        str | None, typer.Option(help="Only the cases whose id contains this text.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run every validation case: expected, got, tolerance and pass; exit 1 on a new failure."""
    cases = all_cases()
    families = sorted({c.family for c in cases})
    if family is not None and family not in families:
        raise _fail(f"--family = {family!r}: choose one of {families}", as_json=as_json)
    cases = [
        c
        for c in cases
        if (family is None or c.family == family) and (case is None or case in c.id)
    ]
    if not cases and case is not None:
        raise _fail(f"--case = {case!r}: no validation case id contains it", as_json=as_json)
    if not cases:
        raise _fail("no validation cases are registered", as_json=as_json)
    outcomes: list[CaseOutcome] = []
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("validation", total=len(cases))
        for c in cases:
            progress.update(task, description=f"validating {c.id}")
            t0 = time.perf_counter()
            try:
                checks = tuple(c.run())
                error = None if checks else "the case returned no checks"
            except Exception as exc:  # a failing case is reported, the others still run
                checks, error = (), f"{type(exc).__name__}: {exc}"
            outcomes.append(CaseOutcome(c, checks, error, time.perf_counter() - t0))
            progress.advance(task)
    if as_json:
        _print_json(
            {
                "passed": all(o.is_acceptable for o in outcomes),
                "known_failures": [o.case.id for o in outcomes if o.is_known_failure],
                "cases": [outcome_json(o) for o in outcomes],
            }
        )
    else:
        render_validation(console, outcomes)
    if not all(o.is_acceptable for o in outcomes):
        raise typer.Exit(1)


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
    try:
        app()
    except Exception as exc:
        # A bug, not a user error: one line for the user, the traceback on request.
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        err_console.print(
            f"[bold red]unexpected error:[/] {type(exc).__name__}: {escape(str(exc))} "
            + f"(run with {DEBUG_ENV}=1 for the traceback)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
