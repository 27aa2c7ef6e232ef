"""Capacity: the design optimised for traffic against "design the topology, then size it" (not run by CI).

For the five sample partnerships (with their stated demands) and generated hub-heavy
regions — real GB towns with two data centres, every other site sending 50 Mb/s to
1 Gb/s to the nearer one and 2 Gb/s of replication between them — each row designs the
region with the full engine (``auto``) and prints:

* ``sized topology`` — the topology cheapest in kilometres, each link then bought at the
  cheapest tier or bundle for its worst load (what the engine starts from);
* ``optimised`` — the design the engine returns, topology and capacity together;
* ``bound`` — its proven lower bound on any design that carries the traffic, and the gap;
* the saving against the sized topology, and seconds.

    python bench/capacity.py                 # samples, then 60 (x3), 100 (x2) and 200 sites
    python bench/capacity.py --quick         # samples and one 60-site region
    python bench/capacity.py --time-limit 30

Targets (issue 10): on hub-heavy regions at least 10% below the sized topology on average
and never above it; 100 sites within 60 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.core.model import Demand, Project  # noqa: E402
from planner.core.project_file import load_project  # noqa: E402
from planner.core.traffic import has_traffic  # noqa: E402
from planner.design import Control, design_project  # noqa: E402
from tests.factories import town_region  # noqa: E402

__all__ = ["hub_region", "main"]

#: Per-site rates of the generated regions, Mb/s, and how often each is drawn.
RATES = (50, 100, 200, 500, 1000)
WEIGHTS = (4, 4, 3, 2, 1)
GENERATED = ((60, 3), (100, 2), (200, 1))


def hub_region(n: int, seed: int) -> Project:
    """``n`` real towns round a seeded centre, two of them data centres (the centre and the town a third
    of the way out), every other site sending traffic to the nearer one, 2 Gb/s between them."""
    project = town_region(n, seed, radius_deg=1.5)
    rng = random.Random(seed)
    hubs = (0, n // 3)
    project.name = f"{n} towns, seed {seed}"
    project.tariff = replace(project.tariff, min_tier="100M")
    project.sites = [
        replace(
            s, role="hub" if i in hubs else "site", demand_mbps=0.0 if i in hubs else rng.choices(RATES, WEIGHTS)[0]
        )
        for i, s in enumerate(project.sites)
    ]
    project.demands = [Demand(project.sites[hubs[0]].id, project.sites[hubs[1]].id, 2000)]
    return project


def _pounds(pence: int | None) -> str:
    return "–" if pence is None else f"£{pence / 100:,.0f}"


def _row(project: Project, time_limit: float) -> dict:
    settings = replace(project.settings, method="auto", time_limit=time_limit)
    started = time.monotonic()
    design = design_project(project, settings, Control(time_limit))
    seconds = time.monotonic() - started
    sized = design.sized_topology_cost
    tiers = Counter(k.bandwidth for k in design.links)
    return {
        "region": project.name,
        "sites": len(project.sites),
        "sized": sized,
        "optimised": design.total_cost,
        "bound": design.lower_bound,
        "gap": design.gap,
        "saving": (sized - design.total_cost) / sized if sized else 0.0,
        "seconds": seconds,
        "tiers": ", ".join(f"{count} {tier}" for tier, count in sorted(tiers.items(), key=lambda t: -t[1])),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the samples and one 60-site region")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per design (default 60)")
    args = parser.parse_args(argv)
    regions = []
    for path in sorted((ROOT / "sample_regions").glob("*.json")):
        project = load_project(path)
        if has_traffic(project):
            regions.append(("sample", project))
    for n, seeds in ((60, 1),) if args.quick else GENERATED:
        regions += [("generated", hub_region(n, seed)) for seed in range(seeds)]
    print(
        "| region | sites | sized topology | optimised | saving | bound | gap | seconds | links |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    generated = []
    for kind, project in regions:
        row = _row(project, args.time_limit)
        if kind == "generated":
            generated.append(row)
        print(
            f"| {row['region']} | {row['sites']} | {_pounds(row['sized'])} | {_pounds(row['optimised'])} | "
            f"{row['saving']:.1%} | {_pounds(row['bound'])} | {row['gap']:.1%} | {row['seconds']:.1f} | "
            f"{row['tiers']} |",
            flush=True,
        )
    if generated:
        savings = [r["saving"] for r in generated]
        print(
            f"\nGenerated hub-heavy regions: {sum(savings) / len(savings):.1%} below the sized topology on average "
            f"(least {min(savings):.1%}, most {max(savings):.1%}); "
            f"{'never' if min(savings) >= 0 else 'SOMETIMES'} above it."
        )


if __name__ == "__main__":
    main()
