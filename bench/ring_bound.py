"""How short any survivable design could be: the Held–Karp bound on km, against our designs (not run by CI).

``bench/speed.py`` reports each design's km over the minimum spanning tree's. How
low can that ratio go? No 2edge (or 2node) design is shorter than the Held–Karp
bound: for distances that obey the triangle inequality, as geodesic km do, the
linear relaxation of "every cut crossed twice" has the same optimum with or
without "every site has two links" (Goemans & Bertsimas' parsimonious property),
so the shortest 2-edge-connected design is at least the Held–Karp value, and
every 1-tree bound is below that. This script computes the best 1-tree bound it
can (Lagrangian penalties by subgradient steps, Polyak's rule towards the design's
own km) over every pair of sites, and prints:

    python bench/ring_bound.py                 # 2,000 and 10,000 sites
    python bench/ring_bound.py --sizes 2000 --iterations 300

sites, the spanning tree's km, the bound's km and the bound over the tree (the lowest
km/MST any design could show), our 2edge design's km over the tree (as in
``bench/speed.py``), and how far the design is above the bound. The regions are
``bench/speed.py``'s (real GB towns, topped up with points jittered round them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx

from bench.speed import gb_region
from planner.core.geo import geodesic_km_many
from planner.core.model import DesignSettings, Project
from planner.design import design_project
from planner.design.problem import build_problem

__all__ = ["held_karp_bound", "main"]


def _distances(project: Project) -> np.ndarray:
    """Geodesic km between every pair of sites, row by row (float32, rounded down: still a lower bound)."""
    lon = np.array([s.lon for s in project.sites])
    lat = np.array([s.lat for s in project.sites])
    n = len(lon)
    km = np.empty((n, n), dtype=np.float32)
    for i in range(n):
        km[i] = geodesic_km_many(np.full(n, lon[i]), np.full(n, lat[i]), lon, lat) * (1 - 1e-6)
    return km


def _one_tree(km: np.ndarray, penalty: np.ndarray) -> tuple[float, np.ndarray]:
    """The cheapest 1-tree under costs ``km[i, j] + penalty[i] + penalty[j]``: its cost and each site's degree.

    Prim's algorithm on the dense matrix (O(n^2), a row at a time) over sites 1..n-1, then site 0's two
    cheapest links.
    """
    n = len(km)
    degree = np.zeros(n, dtype=np.int64)
    inside = np.zeros(n, dtype=bool)
    inside[0] = True
    inside[1] = True
    best = km[1] + penalty + penalty[1]
    parent = np.full(n, 1)
    best[inside] = np.inf
    cost = 0.0
    for _ in range(n - 2):
        j = int(np.argmin(best))
        cost += float(best[j])
        degree[j] += 1
        degree[parent[j]] += 1
        inside[j] = True
        row = km[j] + penalty + penalty[j]
        closer = (row < best) & ~inside
        best = np.where(closer, row, best)
        parent = np.where(closer, j, parent)
        best[j] = np.inf
    from_zero = km[0, 1:] + penalty[1:] + penalty[0]
    two = np.argpartition(from_zero, 2)[:2]
    cost += float(from_zero[two].sum())
    degree[two + 1] += 1
    degree[0] = 2
    return cost, degree


def held_karp_bound(km: np.ndarray, target: float, iterations: int) -> float:
    """The best 1-tree bound found in ``iterations`` subgradient steps (Polyak's rule towards ``target`` km)."""
    penalty = np.zeros(len(km))
    bound = 0.0
    for step in range(iterations):
        cost, degree = _one_tree(km, penalty)
        value = cost - 2 * penalty.sum()
        bound = max(bound, value)
        slack = degree - 2
        if not slack.any():  # the 1-tree is a ring: the bound is the shortest ring itself
            break
        theta = 2.0 * 0.5 ** (step * 6 // iterations)  # halved six times over the run
        penalty += theta * max(target - value, 1e-9) / float(slack @ slack) * slack
    return bound


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10_000])
    parser.add_argument("--iterations", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    header = (
        f"{'sites':>6} {'tree km':>9} {'bound km':>9} {'bound/MST':>9} {'design/MST':>10} {'above bound':>11} {'s':>5}"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        started = time.perf_counter()
        project = gb_region(n, args.seed)
        settings = DesignSettings("2edge", method="heuristic", time_limit=120)
        graph = build_problem(project, settings).graph
        tree = nx.minimum_spanning_tree(graph, weight="km").size(weight="km")
        design = sum(link.distance_km for link in design_project(project, settings).links)
        bound = held_karp_bound(_distances(project), design, args.iterations)
        print(
            f"{n:>6} {tree:>9,.0f} {bound:>9,.0f} {bound / tree:>9.3f} {design / tree:>10.3f} "
            f"{100 * (design / bound - 1):>10.1f}% {time.perf_counter() - started:>5.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
