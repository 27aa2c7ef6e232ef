"""The command line: ``planner design``, ``export``, ``share`` and ``compare``; ``planner [PROJECT]`` opens the app.

Every user error prints one line naming the file, row and problem and exits with
status 2; an impossible design exits with status 3.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from planner import __version__
from planner.core.errors import DesignCancelled, InfeasibleError, PlannerError
from planner.core.model import METHODS, REDUNDANCY_LEVELS, Project
from planner.core.text import shown

if TYPE_CHECKING:
    from planner.core.project_file import SavedProject

#: A time limit counts from here, the command's start (the interpreter's own start-up is
#: a few tens of milliseconds before): the engine's imports are part of the wait.
_STARTED = time.monotonic()

__all__ = ["main"]

EXIT_INPUT, EXIT_INFEASIBLE, EXIT_INTERRUPTED = 2, 3, 130
#: Seconds kept for writing the results and exiting once the work's time is up.
_EXIT_RESERVE = 0.3


def _from_start(limit: float) -> float:
    """What is left of ``limit`` seconds counted from the command's start, less the time to exit."""
    return max(0.1, limit - (time.monotonic() - _STARTED) - _EXIT_RESERVE)


def _add_project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", type=Path, help="project file (.json)")
    parser.add_argument("--sites", type=Path, help="CSV of sites instead of a project: id,name,lat,lon[,partner,role]")
    parser.add_argument("--links", type=Path, help="CSV of carrier quotes a,b,cost: only these links may be used")


def _add_design_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--redundancy",
        choices=list(REDUNDANCY_LEVELS),
        help="tree: cheapest; 2edge: survive any link cut; 2node: survive any site loss",
    )
    parser.add_argument(
        "--method",
        choices=list(METHODS),
        help="exact: prove optimality; heuristic: fast, with a proven lower bound; quick: a lighter heuristic search; "
        "auto (default): exact when provable",
    )
    parser.add_argument("--max-hops", type=int, metavar="N", help="every site within N links of a hub site")
    parser.add_argument("--max-ring", type=int, metavar="N", help="every link on a ring of at most N links")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS", help="stop and report the best found")
    parser.add_argument(
        "--demands",
        type=Path,
        metavar="DEMANDS.csv",
        help="traffic a,b,mbps (CSV or XLSX): Mb/s each way between two sites; replaces the project's pair demands",
    )
    parser.add_argument(
        "--max-utilisation",
        type=float,
        metavar="U",
        help="the most of a circuit's capacity its planned load may use after any failure (default 0.8)",
    )
    parser.add_argument(
        "--srlg",
        type=Path,
        metavar="GROUPS.csv",
        help="shared-risk groups group,a,b (links) and/or group,site (sites) that fail together, added to the "
        "project's: a 2edge/2node design survives losing any one",
    )


def load_input(args: argparse.Namespace) -> SavedProject:
    """The project named by ``PROJECT`` (with what was saved with it) or by ``--sites``/``--links``."""
    from planner.core.project_file import SavedProject, read_project
    from planner.io.site_tables import project_from_csv

    if args.project and args.sites:
        raise PlannerError("give either a project file or --sites, not both")
    if args.project:
        if args.links:
            raise PlannerError("--links goes with --sites; a project file holds its own quotes")
        return read_project(args.project)
    if args.sites:
        return SavedProject(project_from_csv(args.sites, args.links), {}, None)
    raise PlannerError("give a project file or --sites SITES.csv")


def _settings(project: Project, args: argparse.Namespace):
    from dataclasses import replace

    given = ("redundancy", "method", "time_limit", "max_hops", "max_ring", "max_utilisation")
    changes = {k: getattr(args, k) for k in given if getattr(args, k) is not None}
    settings = replace(project.settings, **changes)
    problems = settings.problems()
    if problems:
        raise PlannerError(problems[0])
    return settings


def prepared_input(args: argparse.Namespace) -> tuple[SavedProject, object]:
    """The input (its project with ``--demands`` read into it) and the settings the command line asks for."""
    from planner.io.demand_tables import read_demands

    saved = load_input(args)
    project = saved.project
    settings = project.settings = _settings(project, args)
    if args.demands:
        project.demands = read_demands(args.demands, project)
    if args.srlg:
        project.risk_groups = project.risk_groups + _read_groups(args.srlg, project)
    return saved, settings


def _read_groups(path: Path, project: Project) -> list:
    """The groups of ``--srlg``, each a new name and every link a candidate of the project."""
    from planner.core.validate import project_problems
    from planner.design.problem import build_problem
    from planner.io.risk_groups_csv import read_risk_groups

    problems = project_problems(project)  # candidates are built from a sound project only
    if problems:
        raise PlannerError(problems[0])
    groups = read_risk_groups(path, project, build_problem(project).graph.edges)
    taken = {g.name for g in project.risk_groups}
    for group in groups:
        if group.name in taken:
            raise PlannerError(f"{path.name}: group {shown(group.name)} is already one of the project's groups")
    return groups


def _print_schedule(project: Project, design) -> None:
    from planner.core.money import format_gbp
    from planner.io.design_csv import design_rows

    rows = design_rows(project, design)
    headers = ("Circuit", "A-end", "B-end", "km", "Cost over term")
    table = [
        (r[0], r[3], r[4], r[5], format_gbp(link.total(design.term_years)))
        for r, link in zip(rows, design.links, strict=True)
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *table, strict=True)]
    right = {3, 4}
    for row in (headers, *table):
        print(
            "  ".join(
                str(c).rjust(w) if i in right else str(c).ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    print()
    print(f"{project.name}: {REDUNDANCY_LEVELS[design.redundancy].lower()} ({design.redundancy})")
    print(f"{len(design.links)} circuits, {design.route_km:,} route km")
    print(
        f"Total over {design.term_years} years: {format_gbp(design.total_cost)} "
        f"(installation {format_gbp(design.install_cost)}, annual {format_gbp(design.annual_cost)})"
    )
    print(
        f"Lower bound: {format_gbp(design.lower_bound)}; gap {design.gap:.2%}; method {design.method}; "
        f"verified: {'yes' if design.verified else 'NO'}; {design.seconds:.2f} s"
    )


def _summary(design) -> dict:
    from planner.core.money import pounds

    return {
        "total_cost": float(pounds(design.total_cost)),
        "lower_bound": float(pounds(design.lower_bound)),
        "gap": round(design.gap, 6),
        "circuits": len(design.links),
        "links": [
            {
                "circuit_id": k.circuit_id,
                "a": k.a,
                "b": k.b,
                "distance_km": round(k.distance_km, 2),
                "cost": float(pounds(k.total(design.term_years))),
                "bandwidth": k.bandwidth,
                "circuits": k.circuits,
                "capacity_mbps": k.capacity_mbps,
                "metric": k.metric,
                "load_mbps": round(k.load_mbps, 3),
                "worst_load_mbps": round(k.worst_load_mbps, 3),
                "worst_failure": k.worst_failure,
            }
            for k in design.links
        ],
        "sized_topology_cost": (
            float(pounds(design.sized_topology_cost)) if design.sized_topology_cost is not None else None
        ),
        "verified": design.verified,
        "seconds": round(design.seconds, 3),
        "method": design.method,
        "redundancy": design.redundancy,
        "risk_groups_survived": list(design.risk_groups),
    }


def cmd_design(args: argparse.Namespace) -> int:
    from planner.design import Control, design_project
    from planner.io.design_csv import write_design_csv

    saved, settings = prepared_input(args)
    project = saved.project
    design = design_project(project, settings, Control(_from_start(settings.time_limit)))
    if args.out:
        try:
            write_design_csv(project, design, args.out)
        except OSError as err:
            raise PlannerError(f"{args.out}: cannot be written ({err.strerror})") from None
    if args.json:
        print(json.dumps(_summary(design)))
    elif not args.out:
        _print_schedule(project, design)
    else:
        print(f"{len(design.links)} circuits written to {args.out}", file=sys.stderr)
    return 0


#: ``planner export`` outputs: option -> what it writes.
_EXPORTS = {
    "xlsx": "link schedule workbook: Summary, Circuits, Sites, Partners, Resilience, Double failures",
    "csv": "circuit schedule as CSV",
    "pdf": "board pack: map, headline figures, partners' shares, schedule, single-failure check",
    "geojson": "sites and circuits as GeoJSON",
    "gpkg": "sites and circuits as a GeoPackage (layers sites, links)",
    "kml": "sites and circuits as KML",
}
#: Cost sharing may take this long unless --time-limit says otherwise.
SHARING_TIME_LIMIT = 600.0


class _Progress:
    """Progress of long work on stderr: one updating line on a terminal, a line every few seconds otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else 5.0) and fraction < 1:
            return
        self.last = now
        line = f"{message} ({fraction:.0%})"
        print(f"\r{line:<72}" if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)
        self.shown = True

    def done(self) -> None:
        if self.shown and self.tty:
            print(file=sys.stderr)
        self.shown = False


def cmd_export(args: argparse.Namespace) -> int:
    from planner.analysis.pack import build_pack
    from planner.analysis.sharing_file import sharing_from_dict
    from planner.design import Control
    from planner.io.exports import PACK_KEYS, write_export
    from planner.io.safe_output import check_writable

    outputs = {option: getattr(args, option) for option in _EXPORTS if getattr(args, option)}
    if not outputs:
        raise PlannerError("give at least one output: " + ", ".join(f"--{o} FILE" for o in _EXPORTS))
    for path in outputs.values():
        check_writable(path)
    saved, _ = prepared_input(args)
    project = saved.project
    progress = _Progress()
    design = _shared_design(project, project.settings.redundancy, progress)
    pack = None
    if PACK_KEYS & set(outputs):
        limit = args.time_limit or SHARING_TIME_LIMIT
        sharing = sharing_from_dict(saved.sharing, project, design, limit) if saved.sharing else None
        control = Control(limit, progress=progress)
        pack = build_pack(project, design, control, sharing=sharing, workers=args.workers, cache=saved.coalitions)
        progress.done()
    for option, path in outputs.items():
        write_export(option, project, design, path, pack=pack)
        print(f"Wrote {path}", file=sys.stderr)
    return 0


def _shared_design(project: Project, redundancy: str, progress: _Progress):
    """The project's current design at ``redundancy``, designed now when it has none or an out-of-date one."""
    from dataclasses import replace

    from planner.analysis.pack import design_matches
    from planner.design import Control, design_project

    design = project.design_for(redundancy)
    if design is None or not design_matches(project, design):
        why = "has no" if design is None else "has an out-of-date"
        print(f"The project {why} {redundancy} design: designing it now", file=sys.stderr)
        settings = replace(project.settings, redundancy=redundancy)
        design = design_project(project, settings, Control(_from_start(settings.time_limit), progress=progress))
        progress.done()
    return design


def _share_json(project: Project, sharing) -> dict:
    from planner.core.money import pounds

    def money(pence: int) -> float:
        return float(pounds(pence))

    names = project.partners_by_id
    return {
        "total": money(sharing.shared_cost),
        "least_core": money(sharing.least_core),
        "partners": [
            {
                "id": p.partner,
                "name": names[p.partner].name,
                "alone": money(p.standalone),
                "shapley": money(p.shares["shapley"]),
                "nucleolus": money(p.shares["nucleolus"]),
                "pro_rata": money(p.shares["standalone"]),
                "per_site": money(p.shares["sites"]),
            }
            for p in sharing.partners
        ],
    }


def _print_sharing(project: Project, sharing) -> None:
    from planner.analysis.sharing import METHODS
    from planner.core.money import format_gbp

    names = project.partners_by_id
    headers = ("Partner", "Alone", *METHODS.values())
    table = [
        (names[p.partner].name, format_gbp(p.standalone), *(format_gbp(p.shares[m]) for m in METHODS))
        for p in sharing.partners
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *table, strict=True)]
    for row in (headers, *table):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    print()
    print(
        f"Shared cost {format_gbp(sharing.shared_cost)}; partners alone {format_gbp(sharing.standalone_total)}; "
        f"saving {format_gbp(sharing.saving)} ({sharing.saving_fraction:.1%})"
    )
    checked = f"{sharing.core_checked:,} of {sharing.every_coalition:,} groups of partners"
    core = "; ".join(f"{label}: {'in' if sharing.in_core(m) else 'NOT in'} the core" for m, label in METHODS.items())
    print(f"Checked against {checked}. {core}. Least-core value {format_gbp(sharing.least_core)}.")
    print(f"Recommended: {METHODS[sharing.recommended]}")
    for warning in sharing.warnings():
        print(f"Note: {warning}")


def cmd_share(args: argparse.Namespace) -> int:
    from planner.analysis.sharing import share_costs
    from planner.analysis.sharing_file import sharing_from_dict
    from planner.core.project_file import read_project
    from planner.design import Control
    from planner.io.coalitions_csv import write_coalitions_csv
    from planner.io.safe_output import check_writable

    if args.coalitions:
        check_writable(args.coalitions)
    if args.time_limit is not None and not 0 < args.time_limit <= 86_400:
        raise PlannerError(f"--time-limit: {args.time_limit:g} must be between 0 and 86400 seconds")
    if args.workers < 0:
        raise PlannerError(f"--workers: {args.workers} must be 0 or more")
    project, cached, saved = read_project(args.project)
    progress = _Progress()
    design = _shared_design(project, args.redundancy or project.settings.redundancy, progress)
    limit = args.time_limit or SHARING_TIME_LIMIT
    sharing = sharing_from_dict(saved, project, design, limit) if saved else None
    if sharing is None:  # not saved with the project for this design, or with less time than asked for now
        control = Control(_from_start(limit), progress=progress)
        sharing = share_costs(project, design, control, cache=cached, workers=args.workers)
    progress.done()
    if args.coalitions:
        write_coalitions_csv(sharing, args.coalitions)
        print(f"Wrote {args.coalitions}: {len(sharing.coalition_costs):,} coalitions", file=sys.stderr)
    if args.json:
        print(json.dumps(_share_json(project, sharing)))
    else:
        _print_sharing(project, sharing)
    return 0


def _compare_json(results) -> dict:
    from planner.core.money import pounds

    def money(pence: int | None) -> float | None:
        return None if pence is None else float(pounds(pence))

    found = []
    for r in results:
        if r.sharing is None:
            found.append({"name": r.name, "problem": r.problem})
            continue
        names = r.project.partners_by_id
        found.append(
            {
                "name": r.name,
                "total": money(r.design.total_cost),
                "saving": money(r.sharing.saving),
                "method": r.method,
                "circuits": len(r.design.links),
                "added": [list(pair) for pair in r.added],
                "removed": [list(pair) for pair in r.removed],
                "partners": [
                    {
                        "id": p.partner,
                        "name": names[p.partner].name,
                        "alone": money(p.standalone),
                        "share": money(r.share(p.partner)),
                    }
                    for p in r.sharing.partners
                ],
                "joining": [
                    {"id": pid, "name": names[pid].name, "adds": money(adds), "share": money(r.share(pid))}
                    for pid, adds in (r.entry or {}).items()
                ],
            }
        )
    return {"scenarios": found}


def _print_comparison(project: Project, results) -> None:
    from planner.analysis.sharing import METHODS
    from planner.core.money import format_gbp

    def table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
        for row in (headers, *rows):
            cells = zip(row, widths, strict=True)
            print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells)))
        print()

    shown = [r for r in results if r.sharing is not None]
    table(
        ("Scenario", "Total", "Saving", "Circuits", "Added", "Removed", "Split"),
        [
            (
                r.name,
                format_gbp(r.design.total_cost),
                format_gbp(r.sharing.saving),
                str(len(r.design.links)),
                str(len(r.added)),
                str(len(r.removed)),
                METHODS[r.method],
            )
            for r in shown
        ],
    )
    partners = {p.id: p.name for r in shown for p in r.project.partners}
    table(
        ("Partner's share", *(r.name for r in shown)),
        [
            (name, *(format_gbp(x) if (x := r.share(pid)) is not None else "–" for r in shown))
            for pid, name in partners.items()
        ],
    )
    for r in results:
        if r.problem:
            print(f"{r.name}: cannot be designed: {r.problem}")
        for pid, adds in (r.entry or {}).items():
            joined = f"adds {format_gbp(adds)} to the shared cost" if adds is not None else "joins with other changes"
            print(f"{r.name}: {partners[pid]} {joined} and would pay {format_gbp(r.share(pid))}")


def cmd_compare(args: argparse.Namespace) -> int:
    from planner.analysis.scenarios import compare_scenarios
    from planner.core.project_file import read_project
    from planner.design import Control

    if args.time_limit is not None and not 0 < args.time_limit <= 86_400:
        raise PlannerError(f"--time-limit: {args.time_limit:g} must be between 0 and 86400 seconds")
    project, cached, _ = read_project(args.project)
    if not project.scenarios:
        raise PlannerError(f"{args.project}: the project has no scenarios to compare (add them in the app)")
    progress = _Progress()
    limit = args.time_limit or SHARING_TIME_LIMIT * (len(project.scenarios) + 1)
    control = Control(_from_start(limit), progress=progress)
    try:
        results = compare_scenarios(project, control, names=args.scenario, cache=cached, workers=args.workers)
    except KeyError as err:
        raise PlannerError(f"--scenario: {err.args[0]}") from None
    progress.done()
    if args.json:
        print(json.dumps(_compare_json(results)))
    else:
        _print_comparison(project, results)
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    """Open the window (off screen with ``QT_QPA_PLATFORM=offscreen``) and save it: how a desktop build is checked."""
    from PySide6.QtCore import QTimer

    from planner.ui.app import make_application
    from planner.ui.screenshot import DEFAULT_PROJECT, take_screenshots

    make_application()
    # the first pass of the event loop: the window is shown and the project loaded
    QTimer.singleShot(0, lambda: print(f"screenshot: window shown {time.monotonic() - _STARTED:.2f} s", flush=True))
    take_screenshots(args.out, args.project or DEFAULT_PROJECT)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    """Write the map, or one presenter step, as PNG/SVG/PDF: slides a presenter can script."""
    from planner.core.project_file import read_project
    from planner.io.map_image import check_image_size, write_map_image
    from planner.io.safe_output import check_writable

    given = {option: getattr(args, option) for option in ("png", "svg", "pdf") if getattr(args, option)}
    if not given:
        raise PlannerError("give at least one output: --png FILE, --svg FILE or --pdf FILE")
    for option, path in given.items():
        if path.suffix.lower() != f".{option}":
            raise PlannerError(f"--{option} {path}: the file name must end .{option}")
        check_writable(path)
    outputs = list(given.values())
    size = (args.width, args.height)
    check_image_size(*size)
    project = read_project(args.project).project  # a bad file is one line here, never a dialog
    if args.step is None:
        design = _shared_design(project, project.settings.redundancy, _Progress())
        for path in outputs:
            write_map_image(project, design, path, size)
    else:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a slide needs no screen
        from planner.ui.slides import render_step

        render_step(args.project, args.step, size, outputs)
    for path in outputs:
        print(f"Wrote {path}", file=sys.stderr)
    return 0


def _add_workers_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes pricing partners' networks alone (default: one per core; 0: in this process)",
    )


def _parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The argument parser and the names of its commands."""
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Design one shared, resilient network for a regional partnership.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    design = commands.add_parser("design", help="design the backbone and write its circuits")
    _add_project_arguments(design)
    _add_design_arguments(design)
    design.add_argument("--out", type=Path, metavar="DESIGN.csv", help="write the circuits as CSV")
    design.add_argument("--json", action="store_true", help="print a JSON summary")
    design.set_defaults(run=cmd_design)

    export = commands.add_parser(
        "export",
        help="write the procurement pack: link schedule, board pack, GIS layers",
        description="Write the procurement pack of the project's current design (designing it first if it has none "
        "for its settings). Give one or more outputs.",
    )
    _add_project_arguments(export)
    _add_design_arguments(export)
    for option, what in _EXPORTS.items():
        export.add_argument(f"--{option}", type=Path, metavar="FILE", help=what)
    _add_workers_argument(export)
    export.set_defaults(run=cmd_export)

    share = commands.add_parser(
        "share",
        help="split the shared cost between partners: alone, Shapley, nucleolus, pro rata, per site",
        description="Price what each group of partners would pay alone and split the shared design's cost "
        "(designing it first if the project has none for the redundancy).",
    )
    share.add_argument("project", type=Path, help="project file (.json)")
    share.add_argument(
        "--redundancy", choices=list(REDUNDANCY_LEVELS), help="the design to share (default: the project's)"
    )
    share.add_argument("--json", action="store_true", help="print the split as JSON")
    share.add_argument(
        "--coalitions", type=Path, metavar="FILE.csv", help="write every coalition priced: members, cost"
    )
    share.add_argument(
        "--time-limit",
        type=float,
        metavar="SECONDS",
        help=f"for the cost sharing (default {SHARING_TIME_LIMIT:g}); sampled rather than overrun",
    )
    _add_workers_argument(share)
    share.set_defaults(run=cmd_share)

    compare = commands.add_parser(
        "compare",
        help="compare the project's what-if scenarios with the plan: cost, saving, shares, circuits",
        description="Design and share out the plan and each scenario saved in the project, side by side.",
    )
    compare.add_argument("project", type=Path, help="project file (.json)")
    compare.add_argument("--scenario", action="append", metavar="NAME", help="only this scenario (repeatable)")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.add_argument(
        "--time-limit", type=float, metavar="SECONDS", help="for the whole comparison (default 600 s a scenario)"
    )
    _add_workers_argument(compare)
    compare.set_defaults(run=cmd_compare)

    render = commands.add_parser(
        "render",
        help="write the map, or a presenter step, as PNG, SVG or PDF (slides for a board)",
        description="Draw the project's shared network (designing it first if it has none) with its legend, "
        "scale bar, north arrow and attribution; or, with --step, one step of presenter mode.",
    )
    render.add_argument("project", type=Path, help="project file (.json)")
    for option, what in (("png", "PNG image"), ("svg", "SVG drawing"), ("pdf", "PDF page")):
        render.add_argument(f"--{option}", type=Path, metavar="FILE", help=f"write a {what}")
    render.add_argument("--width", type=int, default=1920, metavar="W", help="pixels across (default 1920)")
    render.add_argument("--height", type=int, default=1080, metavar="H", help="pixels down (default 1080)")
    render.add_argument(
        "--step",
        type=int,
        choices=range(1, 6),
        metavar="N",
        help="a presenter step instead of the map: 1 partners, 2 alone, 3 shared, 4 saving, 5 resilience",
    )
    render.set_defaults(run=cmd_render)

    shot = commands.add_parser(
        "screenshot",
        help="open the window, save it and presenter mode as PNGs (checks a desktop build; offscreen: headless)",
    )
    shot.add_argument("out", type=Path, metavar="OUT.png", help="the window; presenter-*.png go beside it")
    shot.add_argument("project", nargs="?", type=Path, help="project file (default: the Yorkshire & the Humber sample)")
    shot.set_defaults(run=cmd_screenshot)
    return parser, set(commands.choices)


def _not_openable(word: str, commands: set[str]) -> str | None:
    """Why ``planner WORD`` can open no window: WORD is neither a command nor a project file."""
    path = Path(word)
    if path.is_file():
        return None
    if path.suffix.lower() == ".json" or path.parent != Path("."):
        return f"{word}: no such project file"
    return f"{shown(word)} is not a command (commands: {', '.join(sorted(commands))}) nor a project file"


def _open_app(argv: list[str]) -> int:
    try:
        from planner.ui.app import run_app
    except ImportError:
        _parser()[0].print_help()
        return EXIT_INPUT
    return run_app(argv)


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen build's worker processes stop here
    argv = sys.argv[1:] if argv is None else argv
    parser, commands = _parser()
    if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
        problem = _not_openable(argv[0], commands) if argv else None
        if problem:
            print(f"planner: error: {problem}", file=sys.stderr)
            return EXIT_INPUT
        return _open_app(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except InfeasibleError as err:
        print(f"planner: no design possible: {err}", file=sys.stderr)
        return EXIT_INFEASIBLE
    except PlannerError as err:
        print(f"planner: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except DesignCancelled:
        print("planner: cancelled", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("planner: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
