"""Heuristic designs for each redundancy level: good designs fast, for live redesign and as a warm start.

Notes
-----
* ``tree``: the minimum spanning tree (optimal), or Mehlhorn's Steiner tree
  (a 2-approximation) when some sites are optional.
* ``2edge``/``2node``: with a large fixed charge per circuit the cheapest
  survivable design is usually one ring through every required site, so:

  1. the cheapest-path costs from each required site to the sites near it over
     the candidate graph (Dijkstra from each in C via scipy, stopped at twice its
     dearest link; memory O(r), not r^2), other pairs' costs found when a tour
     move needs them;
  2. a short tour on them (:mod:`planner.design.tour`: greedy edge, 2-opt,
     Or-opt, then ``KICKS_PER_SITE`` double-bridge kicks per site);
  3. each tour step expanded to its cheapest candidate path. Where paths meet
     or share links the design has weak points, which
     :func:`~planner.design.survivable.repair` closes with cheapest paths;
     :func:`~planner.design.survivable.prune` then drops links it can do
     without, dearest first;
  4. local search (:mod:`planner.design.moves`): link exchange, re-home,
     chord, run relocation, relay through an optional site, and a capped
     number of drop-and-repair trials; the whole-design scans that check its
     moves are capped at ``SCAN_WORK`` over the number of sites.

  More starts run where the first ring is not the whole story, and the
  cheapest result is kept: a ring that prefers direct links when the ring of
  cheapest paths took detours (in at least ``DETOUR_SHARE`` of its steps), and
  a ring through the optional sites as well
  (relays that do not pay are then moved out). Drop-and-repair is tried near
  sites of degree three or more and at "hot" sites (ends of links dearer than a
  detour, optional sites), followed there by paired drops as a perturbation.

  The result is verified valid but carries no optimality guarantee; its lower
  bound is :func:`~planner.design.bounds.simple_lower_bound`. Deterministic: the
  kicks use a fixed seed and every effort is capped by a count; the time limit
  (and a cancel) only cut the search short. Measured figures: ``docs/engine.md``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from functools import partial

import numpy as np

from planner.design.bounds import simple_lower_bound
from planner.design.control import Control
from planner.design.moves import improve_design
from planner.design.problem import DesignProblem
from planner.design.solution import Solution
from planner.design.survivable import Candidates, SurvivableDesign, prune, repair
from planner.design.tour import Metric, optimise_tour, ring_order

__all__ = ["solve_heuristic", "LEVELS"]

#: Seed of the random double-bridge kicks: the same problem always gets the same design.
SEED = 20240601
#: Double-bridge kicks per required site (more kicks, shorter rings, more time).
KICKS_PER_SITE = 4
#: Most kicks on any problem: beyond this a large region is already close and time is better saved
#: (10,000 kicks take about 15 s at 10,000 sites).
MAX_KICKS = 10_000
#: Drop-and-repair trials per required site.
DROP_TRIALS_PER_SITE = 4
#: Trials per required site that drop two nearby links at once, where costs are not distance-like.
PAIR_TRIALS_PER_SITE = 1
#: A trial costs a Dijkstra and a few O(n) scans: at most this many divided by the number of sites.
DROP_WORK = 25_000
#: Whole-design scans (O(n) each) that check the local search's moves: at most this many divided by the sites.
SCAN_WORK = 500_000
#: The ring of links is tried as well when at least this share of the ring's steps took a detour.
DETOUR_SHARE = 0.005
#: Most sites nearest each site (by cheapest path) whose costs the tour knows from the start.
KNOWN_PER_SITE = 30
#: Up to this many sites every pair's cost is known from the start (a few MB): no search during the tour.
ALL_PAIRS_UP_TO = 500
#: How far each site's row reaches, in multiples of the cost of its dearest link to a site.
_REACH = 2
#: Dijkstra sources run together: the distances held at once are this many times the number of sites.
_BATCH = 256


def _tree(problem: DesignProblem, control: Control, kicks_per_site: float) -> tuple[list[tuple[str, str]], str]:
    """The minimum spanning tree, or a Steiner tree with optional sites (``kicks_per_site``: no search here)."""
    import networkx as nx

    if problem.optional:
        tree = nx.approximation.steiner_tree(problem.graph, problem.required, weight="cost", method="mehlhorn")
        return list(tree.edges), "heuristic"
    return [(u, v) for u, v in nx.minimum_spanning_edges(problem.graph, weight="cost", data=False)], "mst"


def _links(candidates: Candidates) -> np.ndarray:
    """Every candidate link as a row ``(u, v, cost)`` with ``u < v``."""
    rows = [(u, v, cost) for u, near in enumerate(candidates.costs) for v, cost in near.items() if u < v]
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


class _Closure:
    """Cheapest-path costs from each of some sites to the sites nearest it over the candidate graph,
    and how to expand them into links.

    ``rows[i]`` maps positions ``j`` (in ``sites``) to the cheapest path cost between
    ``sites[i]`` and ``sites[j]``: for every site up to :data:`ALL_PAIRS_UP_TO` sites;
    beyond, for the sites within ``_REACH`` times the cost of
    ``sites[i]``'s dearest link to a site (so every site it has a link to), the
    :data:`KNOWN_PER_SITE` nearest of them at most; symmetric. ``floor[i]`` is what
    any pair missing from row ``i`` costs at least; :meth:`far` finds such costs.
    Sites the first one cannot reach are left out. Dijkstra from each site in C, in
    batches of :data:`_BATCH` sources sorted by that reach and stopped at it: time
    grows with the sites in each ball, memory with the pairs kept, not with the
    square of the sites.
    """

    def __init__(self, candidates: Candidates, links: np.ndarray, sites: list[int]):
        from scipy.sparse import csr_array
        from scipy.sparse.csgraph import dijkstra

        self.candidates = candidates
        n = len(candidates.ids)
        # Both directions stored (directed searches skip a costly conversion); explicitly stored
        # zeros (free existing links) count as links in csgraph.
        ends = (np.concatenate([links[:, 0], links[:, 1]]), np.concatenate([links[:, 1], links[:, 0]]))
        self.graph = csr_array((np.concatenate([links[:, 2], links[:, 2]]).astype(float), ends), shape=(n, n))
        reach = dijkstra(self.graph, indices=sites[0])
        self.sites = [i for i in sites if np.isfinite(reach[i])]
        position = np.full(n, -1)
        position[self.sites] = np.arange(len(self.sites))
        among = links[(position[links[:, 0]] >= 0) & (position[links[:, 1]] >= 0)]
        #: The links between two of the sites: positions ``i``, ``j`` and cost.
        self.i, self.j, self.cost = position[among[:, 0]], position[among[:, 1]], among[:, 2]
        #: What :meth:`direct_metric` adds to a pair's cheapest path where the pair has no link.
        self.penalty = int(np.median(self.cost)) if len(self.cost) else 0
        self.rows, self.floor, self.irregular = self._rows()

    def _rows(self) -> tuple[list[dict[int, int]], list[float], set[int]]:
        """The rows, what every pair missing from each row costs at least, and the sites at an end of a link
        dearer than a detour between its ends."""
        from scipy.sparse import csr_array
        from scipy.sparse.csgraph import dijkstra

        count = len(self.sites)
        sites = np.array(self.sites)
        both = (np.concatenate([self.i, self.j]), np.concatenate([self.j, self.i]))
        # One more than each link's cost: csr_array drops explicit zeros, and a free link still counts.
        among = csr_array((np.concatenate([self.cost, self.cost]) + 1, both), shape=(count, count))
        radius = np.zeros(count)
        np.maximum.at(radius, both[0], np.concatenate([self.cost, self.cost]))
        radius = radius * _REACH if count > ALL_PAIRS_UP_TO else np.full(count, math.inf)
        keep = KNOWN_PER_SITE + 1 if count > ALL_PAIRS_UP_TO else count
        # A pair missing from a row it is within reach of would be a link: so any other costs two links at least.
        cheapest = np.array([self.graph.data[self.graph.indptr[s] : self.graph.indptr[s + 1]].min() for s in sites])
        floor = np.maximum(radius, cheapest + cheapest.min()).tolist()
        rows: list[dict[int, int]] = [{} for _ in range(count)]
        irregular: set[int] = set()
        by_radius = np.argsort(radius, kind="stable")
        for batch in np.array_split(by_radius, max(1, -(-count // _BATCH))):
            dist = dijkstra(self.graph, indices=sites[batch], limit=radius[batch].max() + 0.5)[:, sites]
            for source, row in zip(batch.tolist(), dist, strict=True):
                found = np.flatnonzero(row <= radius[source] + 0.5)
                if len(found) < 2:  # no link to another site: look further
                    row = dijkstra(self.graph, indices=sites[source])[sites]
                    found = np.flatnonzero(np.isfinite(row))
                    floor[source] = math.inf
                ends = among.indices[among.indptr[source] : among.indptr[source + 1]]
                if np.any(among.data[among.indptr[source] : among.indptr[source + 1]] - 1 > row[ends] + 0.5):
                    irregular.add(self.sites[source])
                nearest = found[np.argsort(row[found], kind="stable")[:keep]]
                if len(nearest) < len(found):
                    floor[source] = row[nearest[-1]]
                kept = dict(zip(nearest.tolist(), np.rint(row[nearest]).astype(np.int64).tolist(), strict=True))
                kept.pop(source, None)
                rows[source].update(kept)
                if keep < count:  # else every site keeps every other: nothing to mirror
                    for j, cost in kept.items():
                        rows[j][source] = cost
        return rows, floor, irregular

    def far(self, links_first: bool, i: int, points: list[int], limit: float) -> list[int | None]:
        """Tour costs from ``i`` to ``points`` below ``limit`` (``None`` for the others): cheapest path costs,
        or (``links_first``) as :meth:`direct_metric`."""
        offset = self.penalty if links_first else 0
        ends = [self.sites[j] for j in points]
        dist = self._dijkstra(i, limit=max(0.0, limit - offset + 0.5))[ends].tolist()
        links = self.candidates.costs[self.sites[i]] if links_first else {}
        costs = []
        for end, path in zip(ends, dist, strict=True):
            cost = links.get(end)
            if cost is None and path < math.inf:
                cost = round(path) + offset
            costs.append(cost if cost is not None and cost < limit else None)
        return costs

    def _dijkstra(self, i: int, limit: float = math.inf, predecessors: bool = False):
        from scipy.sparse.csgraph import dijkstra

        return dijkstra(self.graph, indices=self.sites[i], limit=limit, return_predecessors=predecessors)

    def metric(self) -> Metric:
        """The cheapest-path costs as a tour metric."""
        return Metric(self.rows, partial(self.far, False), self.floor)

    def direct_metric(self) -> Metric:
        """Tour costs that prefer links: a pair's link cost where it has one, else its cheapest path plus a penalty.

        On sparse or irregular candidate graphs the cheapest design is often a
        ring of links even where a detour is cheaper than some link.
        """
        costs, sites, penalty = self.candidates.costs, self.sites, self.penalty
        rows = [
            {j: costs[sites[i]].get(sites[j], c + penalty) for j, c in row.items()} for i, row in enumerate(self.rows)
        ]
        return Metric(rows, partial(self.far, True), self.floor)

    def expand(self, tour: list[int], links_first: bool) -> tuple[list[tuple[int, int]], int]:
        """The candidate links along every step of ``tour`` (the cheapest path, or the link if ``links_first``),
        and how many steps took a detour through another site."""
        sites, costs = self.sites, self.candidates.costs
        links = []
        detours = 0
        for a, b in zip(tour, [*tour[1:], tour[0]], strict=True):
            link, cheapest = costs[sites[a]].get(sites[b]), self.rows[a].get(b, math.inf)
            if link is not None and (links_first or link == cheapest):
                links.append((sites[a], sites[b]))
                continue
            _, row = self._dijkstra(a, limit=cheapest + 0.5, predecessors=True)
            here = sites[b]
            while here != sites[a]:
                back = int(row[here])
                links.append((back, here))
                here = back
            detours += links[-1][0] != sites[a] or links[-1][1] != sites[b]
        return links, detours


def _survivable(problem: DesignProblem, control: Control, kicks_per_site: float) -> tuple[list[tuple[str, str]], str]:
    def should_stop() -> bool:
        return control.cancelled or control.expired()

    candidates = Candidates(problem)
    control.report(0.05, "Finding the cheapest paths between sites")
    links = _links(candidates)
    required = _Closure(candidates, links, [i for i, needed in enumerate(candidates.required) if needed])
    optional = [i for i, needed in enumerate(candidates.required) if not needed]
    r = len(required.sites)
    hot = required.irregular | set(optional)  # where a ring of cheapest paths may mislead
    kicks = min(MAX_KICKS, int(kicks_per_site * r))
    drop_trials = min(DROP_TRIALS_PER_SITE * r, DROP_WORK // r)
    pair_trials = min(PAIR_TRIALS_PER_SITE * r, DROP_WORK // r) if hot else 0
    start = _warm_tour(problem, candidates, required)
    if start is not None:  # a redesign after a small edit: local search from the last ring is enough
        kicks = drop_trials = pair_trials = 0

    def design_from(closure: _Closure, metric: Metric, links_first: bool) -> tuple[SurvivableDesign, int]:
        rng = random.Random(SEED)
        first = start if closure is required else None
        if first is not None:  # a step the ring took may join sites no longer near each other
            for a, b in zip(first, [*first[1:], first[0]], strict=True):
                metric.below(a, b, math.inf)
        tour = optimise_tour(metric, rng, kicks, start=first, should_stop=should_stop, check=control.check)
        chosen, detours = closure.expand(tour, links_first)
        design = SurvivableDesign.from_edges(candidates, chosen)
        repair(design)
        prune(design)
        design = improve_design(
            design,
            drop_trials,
            should_stop,
            pair_trials=pair_trials,
            hot=hot,
            rng=rng,
            scans=SCAN_WORK // r,
            sites=None if first is None else _changed_sites(candidates, problem.warm_start, design),
        )
        return design, detours

    control.report(0.1, "Building a ring through every site")
    best, detours = design_from(required, required.metric(), False)
    # A ring of cheapest paths that took detours may miss a ring of links (a few detours among
    # thousands of steps the local search mends), and optional sites
    # may pay as relays on the ring itself (those that do not are moved out again).
    starts = [(required, required.direct_metric(), True)] if detours and detours >= DETOUR_SHARE * r else []
    if start is not None:
        starts = []
    elif optional:
        everyone = _Closure(candidates, links, [*required.sites, *optional])
        starts.append((everyone, everyone.direct_metric(), True))
    for i, (closure, metric, links_first) in enumerate(starts):
        control.report(0.5 + 0.4 * i / len(starts), "Trying rings of direct links and relays")
        design, _ = design_from(closure, metric, links_first)
        if design.cost < best.cost:
            best = design
    control.check()
    return candidates.edge_ids(best.edges()), "heuristic"


def _warm_tour(problem: DesignProblem, candidates: Candidates, closure: _Closure) -> list[int] | None:
    """The problem's warm start as a tour of ``closure``'s positions, when it is one ring through
    exactly its sites (as the last design usually is after a site was moved); else ``None``."""
    order = ring_order(problem.warm_start)
    position = {candidates.ids[site]: k for k, site in enumerate(closure.sites)}
    if order is None or len(order) != len(position) or not all(x in position for x in order):
        return None
    return [position[x] for x in order]


def _changed_sites(candidates: Candidates, before: tuple[tuple[str, str], ...], design: SurvivableDesign) -> set[int]:
    """The sites whose links differ between the design ``before`` (site pairs) and ``design``, and their
    neighbours in either: where a redesign after a small edit has anything left to improve."""
    number = candidates.number
    old = {(min(number[a], number[b]), max(number[a], number[b])) for a, b in before if a in number and b in number}
    new = {(min(u, v), max(u, v)) for u, v in design.edges()}
    ends = {x for link in old ^ new for x in link}
    return ends | {y for x in ends for y in design.adj[x]}


#: The heuristic for each redundancy level.
LEVELS: dict[str, Callable[[DesignProblem, Control, float], tuple[list[tuple[str, str]], str]]] = {
    "tree": _tree,
    "2edge": _survivable,
    "2node": _survivable,
}


def solve_heuristic(problem: DesignProblem, control: Control, *, kicks_per_site: float = KICKS_PER_SITE) -> Solution:
    """A good design quickly; its lower bound is one of the simple bounds.

    ``kicks_per_site`` sets how hard the tour search tries: 1 is about twice as fast
    and, on regional instances, within a few hundredths of a percent of the default;
    0.25 (the ``quick`` method) faster again, a few hundredths of a percent more.

    Raises ``ValueError`` for an unknown redundancy level and ``DesignCancelled``
    when ``control`` is cancelled; a time limit only shortens the search.
    """
    try:
        algorithm = LEVELS[problem.redundancy]
    except KeyError as err:
        raise ValueError(f"{problem.redundancy} is not a valid redundancy level.") from err
    control.check()
    edges, method = algorithm(problem, control, kicks_per_site)
    return Solution(edges=edges, lower_bound=simple_lower_bound(problem), method=method)
