"""The price of diversity: what surviving any one shared duct costs, and how long proving it takes.

For the sample regions (without their traffic, so the topology alone is compared) and
for regions of 60, 100 and 200 real GB towns, each site's candidate links are grouped
into one duct per compass quadrant (:func:`planner.design.ducts.duct_groups`). The
table gives the cost of the plain design and of the design that survives the loss of
any one duct, their ratio (the price of diversity), the proven gap and the seconds of
each, for the exact engine and the heuristic.

Run from the repository root::

    python -m bench.srlg                   # samples and 60, 100, 200 towns, 2edge (about 10 minutes)
    python -m bench.srlg --quick           # samples and 60 towns
    python -m bench.srlg --sizes 100 --redundancy 2node

Targets (issue 11): at most 60 s at 100 sites, proven optimal where the plain design is.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from planner.core.model import Project
from planner.core.project_file import read_project
from planner.design import design_project
from planner.design.ducts import duct_groups
from tests.factories import town_region

SAMPLES = Path(__file__).resolve().parent.parent / "sample_regions"
SIZES = (60, 100, 200)


def _without_traffic(project: Project) -> Project:
    return replace(project, demands=[], sites=[replace(s, demand_mbps=0.0) for s in project.sites], designs=[])


def _regions(sizes: tuple[int, ...]) -> list[tuple[str, Project]]:
    samples = [(path.stem, _without_traffic(read_project(path).project)) for path in sorted(SAMPLES.glob("*.json"))]
    return samples + [(f"{n} towns", town_region(n, seed=n)) for n in sizes]


def _run(project: Project, method: str, redundancy: str, time_limit: float, groups: list) -> tuple[object, float]:
    settings = replace(project.settings, method=method, redundancy=redundancy, time_limit=time_limit)
    started = time.monotonic()
    design = design_project(replace(project, risk_groups=groups), settings)
    return design, time.monotonic() - started


def _status(design) -> str:
    return "optimal" if design.proven_optimal else f"gap {design.gap:.2%}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="samples and 60 towns only")
    parser.add_argument("--sizes", type=int, nargs="*", help="region sizes in towns (default 60 100 200)")
    parser.add_argument("--redundancy", default="2edge", choices=("2edge", "2node"))
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args(argv)
    sizes = tuple(args.sizes) if args.sizes is not None else (60,) if args.quick else SIZES
    print(f"Redundancy {args.redundancy}, time limit {args.time_limit:.0f} s, one duct per compass quadrant\n")
    print(
        "| region | sites | groups | method | plain | plain s | with ducts | status | s | price of diversity |\n"
        "|---|---:|---:|---|---:|---:|---:|---|---:|---:|"
    )
    for name, project in _regions(sizes):
        groups = duct_groups(project)
        for method in ("exact", "heuristic"):
            plain, plain_s = _run(project, method, args.redundancy, args.time_limit, [])
            diverse, diverse_s = _run(project, method, args.redundancy, args.time_limit, groups)
            print(
                f"| {name} | {len(project.sites)} | {len(groups)} | {method} | £{plain.total_cost / 100:,.0f} "
                f"({_status(plain)}) | {plain_s:.1f} | £{diverse.total_cost / 100:,.0f} | {_status(diverse)} | "
                f"{diverse_s:.1f} | {diverse.total_cost / plain.total_cost - 1:+.1%} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
