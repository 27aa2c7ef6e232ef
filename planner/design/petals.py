"""Petals: starting designs for traffic that flows to a few hubs, built the way vehicle routes are.

The design cheapest in kilometres is one long ring, and after a cut next to a data
centre all the ring's traffic arrives the long way round, so every link of it must be
bought big. What carries hub-bound traffic cheaply instead is a *petal*: a short
chain of sites leaving a hub and coming back to it (or ending at another hub), whose
traffic fits one tier, so that after any cut it still fits. This module builds such
designs with the sweep heuristic of vehicle routing (Gillett & Miller, 1974):

1. each site goes with the hub its traffic goes to (the first target of its flows;
   otherwise the cheapest hub to reach);
2. round each hub, its sites are taken in order of bearing, starting after the
   widest gap, and cut into consecutive groups whose traffic fits a capacity;
3. each group becomes a chain from the hub through its sites in that order, closed
   at the same hub or at the nearest other hub (what dual-homing asks).

Groups are made for each usable capacity of the tiers (one circuit, and bundles of two),
so the caller can size each design and keep the cheapest. Every design is made feasible
by :func:`planner.design.hierarchy.repair` (connectivity, hubs, hops, rings).

References
----------
B. E. Gillett, L. R. Miller, "A heuristic algorithm for the vehicle-dispatch problem",
Operations Research 22 (1974).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import pairwise

import numpy as np

from planner.design.cuts import Arrays
from planner.design.hierarchy import repair
from planner.design.problem import DesignProblem

__all__ = ["petal_designs"]

Pair = tuple[str, str]


def _homes(problem: DesignProblem, arrays: Arrays) -> tuple[dict[int, int], dict[int, float]]:
    """Each required non-hub site's hub (node numbers) and the traffic it sends there (Mb/s)."""
    index = arrays.index
    hubs = {index[t] for f in problem.flows for t in f.targets[:1] if t in index} | set(np.flatnonzero(arrays.hub))
    home: dict[int, int] = {}
    load: dict[int, float] = {}
    for flow in problem.flows:
        if flow.source in index and flow.targets and flow.targets[0] in index:
            source = index[flow.source]
            if source not in hubs:
                home.setdefault(source, index[flow.targets[0]])
                load[source] = load.get(source, 0.0) + flow.mbps
    cost = arrays.cost_matrix
    ordered = sorted(hubs)
    for site in np.flatnonzero(arrays.required):
        if site not in hubs and site not in home and ordered:
            home[int(site)] = min(ordered, key=lambda h: (cost[site, h], h))
            load.setdefault(int(site), 0.0)
    return home, load


def _bearing(problem: DesignProblem, arrays: Arrays, centre: int, site: int) -> float:
    a, b = problem.graph.nodes[arrays.nodes[centre]], problem.graph.nodes[arrays.nodes[site]]
    return math.atan2(b["lat"] - a["lat"], (b["lon"] - a["lon"]) * math.cos(math.radians(a["lat"])))


def _sweep(order: list[int], load: dict[int, float], capacity: float) -> list[list[int]]:
    """``order`` cut into consecutive groups whose load fits ``capacity`` (a site too big alone is alone)."""
    groups: list[list[int]] = [[]]
    total = 0.0
    for site in order:
        if groups[-1] and total + load[site] > capacity:
            groups.append([])
            total = 0.0
        groups[-1].append(site)
        total += load[site]
    return [g for g in groups if g]


def _petals(problem: DesignProblem, arrays: Arrays, capacity: float, close_home: bool) -> list[tuple[int, int]]:
    home, load = _homes(problem, arrays)
    cost = arrays.cost_matrix
    hubs = sorted(set(home.values()))
    links: list[tuple[int, int]] = []
    for hub in hubs:
        sites = [s for s, h in home.items() if h == hub]
        if not sites:
            continue
        bearings = sorted((_bearing(problem, arrays, hub, s), s) for s in sites)
        angles = [b for b, _ in bearings]
        gaps = [(angles[(i + 1) % len(angles)] - angles[i]) % (2 * math.pi) for i in range(len(angles))]
        start = (int(np.argmax(gaps)) + 1) % len(bearings) if len(bearings) > 1 else 0
        order = [s for _, s in bearings[start:] + bearings[:start]]
        others = [h for h in hubs if h != hub]
        for group in _sweep(order, load, capacity):
            last = group[-1]
            end = hub if close_home or not others else min(others, key=lambda h: (cost[last, h], h))
            chain = [hub, *group, end]
            links += [(a, b) for a, b in pairwise(chain) if a != b]
    return links


def petal_designs(problem: DesignProblem, capacities: list[float]) -> Iterator[list[Pair]]:
    """Feasible petal designs of ``problem``, one for each group capacity in ``capacities`` (usable Mb/s)
    and each way of closing a petal (at its own hub, at the nearest other), as site-pair lists."""
    arrays = Arrays.from_problem(problem)
    if not arrays.m or not problem.flows:
        return
    edge_index = arrays.edge_index
    seen: set[bytes] = set()
    for capacity in capacities:
        for close_home in (True, False):
            ids = [edge_index.get((min(a, b), max(a, b))) for a, b in _petals(problem, arrays, capacity, close_home)]
            chosen = np.array(sorted({e for e in ids if e is not None}), dtype=np.int64)
            try:
                links = repair(arrays, chosen)
            except RuntimeError:  # the candidate links admit no design from this start
                continue
            key = links.tobytes()
            if key not in seen:
                seen.add(key)
                yield arrays.pairs(links)
