"""Heuristic designs for each redundancy level: good designs fast, for live redesign and as a warm start.

Notes
-----
* ``tree``: the minimum spanning tree (optimal), or Mehlhorn's Steiner tree
  (a 2-approximation) when some sites are optional.
* ``2edge``/``2node``: with a large fixed charge per circuit the cheapest
  survivable design is usually one ring through every required site, so:

  1. the cheapest-path costs between required sites over the candidate graph
     (Dijkstra from each, O(r (m + n log n)) in C via scipy; r^2 memory);
  2. a short tour on them (:mod:`planner.design.tour`: greedy edge, 2-opt,
     Or-opt, then ``KICKS_PER_SITE`` double-bridge kicks per site);
  3. each tour step expanded to its cheapest candidate path. Where paths meet
     or share links the design has weak points, which
     :func:`~planner.design.survivable.repair` closes with cheapest paths;
     :func:`~planner.design.survivable.prune` then drops links it can do
     without, dearest first;
  4. local search (:mod:`planner.design.moves`): link exchange, re-home,
     chord, run relocation, relay through an optional site, and a capped
     number of drop-and-repair trials.

  More starts run where the first ring is not the whole story, and the
  cheapest result is kept: a ring that prefers direct links when the ring of
  cheapest paths took a detour, and a ring through the optional sites as well
  (relays that do not pay are then moved out). Drop-and-repair is tried near
  sites of degree three or more and at "hot" sites (ends of links dearer than a
  detour, optional sites), followed there by paired drops as a perturbation.

  The result is verified valid but carries no optimality guarantee; its lower
  bound is :func:`~planner.design.bounds.simple_lower_bound`. Deterministic: the
  kicks use a fixed seed and every effort is capped by a count; the time limit
  (and a cancel) only cut the search short. Measured figures: ``docs/engine.md``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

from planner.design.bounds import simple_lower_bound
from planner.design.control import Control
from planner.design.moves import improve_design
from planner.design.problem import DesignProblem
from planner.design.solution import Solution
from planner.design.survivable import Candidates, SurvivableDesign, prune, repair
from planner.design.tour import Metric, optimise_tour

__all__ = ["solve_heuristic", "LEVELS"]

#: Seed of the random double-bridge kicks: the same problem always gets the same design.
SEED = 20240601
#: Double-bridge kicks per required site (more kicks, shorter rings, more time).
KICKS_PER_SITE = 4
#: Most kicks on any problem: beyond this a large region is already close and time is better saved.
MAX_KICKS = 3000
#: Drop-and-repair trials per required site.
DROP_TRIALS_PER_SITE = 4
#: Trials per required site that drop two nearby links at once, where costs are not distance-like.
PAIR_TRIALS_PER_SITE = 1
#: A trial costs a Dijkstra and a few O(n) scans: at most this many divided by the number of sites.
DROP_WORK = 25_000


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
    """Cheapest-path costs between some sites over the candidate graph, and how to expand them.

    ``matrix[i, j]`` is the cheapest path cost between ``sites[i]`` and ``sites[j]``
    (Dijkstra from each: O(s (m + n log n)) in C, s^2 memory). Sites the first
    one cannot reach are left out.
    """

    def __init__(self, candidates: Candidates, links: np.ndarray, sites: list[int]):
        from scipy.sparse import csr_array
        from scipy.sparse.csgraph import dijkstra

        self.candidates = candidates
        n = len(candidates.ids)
        # Explicitly stored zeros (free existing links) count as links in csgraph.
        graph = csr_array((links[:, 2].astype(float), (links[:, 0], links[:, 1])), shape=(n, n))
        reach = dijkstra(graph, directed=False, indices=sites[0])
        self.sites = [i for i in sites if np.isfinite(reach[i])]
        dist, self.predecessors = dijkstra(graph, directed=False, indices=self.sites, return_predecessors=True)
        self.matrix = np.rint(dist[:, self.sites]).astype(np.int64)
        position = np.full(n, -1)
        position[self.sites] = np.arange(len(self.sites))
        among = links[(position[links[:, 0]] >= 0) & (position[links[:, 1]] >= 0)]
        #: The links between two of the sites: positions ``i``, ``j`` and cost.
        self.i, self.j, self.cost = position[among[:, 0]], position[among[:, 1]], among[:, 2]

    def irregular_sites(self) -> set[int]:
        """The ends of links dearer than a detour between them (none with a tariff's fixed charge)."""
        beaten = self.cost > self.matrix[self.i, self.j]
        return {self.sites[k] for k in np.concatenate([self.i[beaten], self.j[beaten]])}

    def direct_matrix(self) -> np.ndarray:
        """Tour costs that prefer links: a pair's link cost where it has one, else its cheapest path plus a penalty.

        On sparse or irregular candidate graphs the cheapest design is often a
        ring of links even where a detour is cheaper than some link.
        """
        penalty = int(np.median(self.cost)) if len(self.cost) else 0
        matrix = self.matrix + penalty
        np.fill_diagonal(matrix, 0)
        matrix[self.i, self.j] = matrix[self.j, self.i] = self.cost
        return matrix

    def expand(self, tour: list[int], links_first: bool) -> tuple[list[tuple[int, int]], bool]:
        """The candidate links along every step of ``tour`` (the cheapest path, or the link if ``links_first``),
        and whether some step took a detour through another site."""
        sites, costs = self.sites, self.candidates.costs
        links = []
        detour = False
        for a, b in zip(tour, [*tour[1:], tour[0]], strict=True):
            if links_first and sites[b] in costs[sites[a]]:
                links.append((sites[a], sites[b]))
                continue
            row, here = self.predecessors[a], sites[b]
            while here != sites[a]:
                back = int(row[here])
                links.append((back, here))
                here = back
            detour |= links[-1][0] != sites[a] or links[-1][1] != sites[b]
        return links, detour


def _survivable(problem: DesignProblem, control: Control, kicks_per_site: float) -> tuple[list[tuple[str, str]], str]:
    def should_stop() -> bool:
        return control.cancelled or control.expired()

    candidates = Candidates(problem)
    control.report(0.05, "Finding the cheapest paths between sites")
    links = _links(candidates)
    required = _Closure(candidates, links, [i for i, needed in enumerate(candidates.required) if needed])
    optional = [i for i, needed in enumerate(candidates.required) if not needed]
    r = len(required.sites)
    hot = required.irregular_sites() | set(optional)  # where a ring of cheapest paths may mislead
    kicks = min(MAX_KICKS, int(kicks_per_site * r))
    drop_trials = min(DROP_TRIALS_PER_SITE * r, DROP_WORK // r)
    pair_trials = min(PAIR_TRIALS_PER_SITE * r, DROP_WORK // r) if hot else 0

    def design_from(closure: _Closure, matrix: np.ndarray, links_first: bool) -> tuple[SurvivableDesign, bool]:
        rng = random.Random(SEED)
        tour = optimise_tour(Metric(matrix), rng, kicks, should_stop=should_stop, check=control.check)
        chosen, detour = closure.expand(tour, links_first)
        design = SurvivableDesign.from_edges(candidates, chosen)
        repair(design)
        prune(design)
        design = improve_design(design, drop_trials, should_stop, pair_trials=pair_trials, hot=hot, rng=rng)
        return design, detour

    control.report(0.1, "Building a ring through every site")
    best, detour = design_from(required, required.matrix, False)
    # A ring of cheapest paths that took detours may miss a ring of links, and optional sites
    # may pay as relays on the ring itself (those that do not are moved out again).
    starts = [(required, required.direct_matrix(), True)] if detour else []
    if optional:
        everyone = _Closure(candidates, links, [*required.sites, *optional])
        starts.append((everyone, everyone.direct_matrix(), True))
    for i, (closure, matrix, links_first) in enumerate(starts):
        control.report(0.5 + 0.4 * i / len(starts), "Trying rings of direct links and relays")
        design, _ = design_from(closure, matrix, links_first)
        if design.cost < best.cost:
            best = design
    control.check()
    return candidates.edge_ids(best.edges()), "heuristic"


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
