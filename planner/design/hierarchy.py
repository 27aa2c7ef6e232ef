"""Hubs, hop limits and ring limits: what they mean and a heuristic that honours them.

What each constraint asks (and :func:`planner.design.verify.verify_design` checks):

* **dual-homing** — with two or more hubs and ``2edge`` redundancy, losing any one
  hub leaves every other required site connected to a remaining hub (``2node``
  designs already survive any one site).
* **maximum hops** — every required site reaches its nearest hub within
  ``max_hops`` links of the design (hubs themselves are at 0). The design is then
  a hierarchy: links between two hubs are the ``backbone``, the rest ``access``.
* **maximum ring** — every link lies on a ring of at most ``max_ring`` links, so
  when it is cut its traffic detours over at most ``max_ring - 1`` links.

The heuristic (:func:`repair`, :func:`prune`) makes any set of links feasible by
adding, for each violated cut, its cheapest fix — the cheapest link across a
connectivity cut, or the cheapest path of at most ``max_hops`` links to a hub
(``max_ring - 1`` links round a link) counting links already chosen as free — and
then drops links, dearest first, while the design stays feasible. A design that is
one ring through every site (the usual cheapest ``2edge`` design) is first cut
into chains between hubs (:func:`split_tour`) or given chords (:func:`ladder_tour`).

For the exact engine: :func:`minimum_links` bounds the number of links these
limits force, :func:`hop_forest` formulates the hop limit compactly, and
:func:`ring_candidates` drops links that can lie on no short ring.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix

from planner.design.control import Control
from planner.design.cuts import Arrays, CountCut, Cut, LayerCut, RiskCut, SetCut, violations
from planner.design.diverse_ring import diverse_ring
from planner.design.problem import DesignProblem
from planner.design.solution import Solution
from planner.design.tour import ring_order

__all__ = [
    "solve_constrained",
    "feasible_designs",
    "repair",
    "prune",
    "link_roles",
    "constrained",
    "ring_candidates",
    "minimum_links",
    "link_count_cuts",
    "Extension",
    "hop_forest",
    "split_tour",
    "ladder_tour",
]


def _fix_set(arrays: Arrays, chosen: np.ndarray, cut: SetCut) -> np.ndarray:
    """The cheapest unchosen link across ``cut``."""
    links = np.flatnonzero(~chosen)
    across = links[cut.coefficients(arrays, links) > 0]
    return across[np.argmin(arrays.cost[across])][None] if len(across) else np.zeros(0, dtype=np.int64)


def _fix_layer(arrays: Arrays, chosen: np.ndarray, cut: LayerCut) -> np.ndarray:
    """The unchosen links of the cheapest path of at most ``cut.layers`` links that the cut misses.

    Bellman–Ford limited to ``layers`` rounds, chosen links costing nothing: O(layers * m).
    """
    source = int(np.argmin(cut.dist))
    if cut.pivot >= 0:
        ends = {int(arrays.u[cut.pivot]), int(arrays.v[cut.pivot])}
        targets = np.array(sorted(ends - {source}))
    else:
        targets = np.flatnonzero(arrays.hub)
    usable = np.ones(arrays.m, dtype=bool)
    if cut.pivot >= 0:
        usable[cut.pivot] = False
    u, v = arrays.u[usable], arrays.v[usable]
    ids = np.flatnonzero(usable)
    weight = np.where(chosen[usable], 0.0, arrays.cost[usable].astype(float))
    best = np.full(arrays.n, np.inf)
    best[source] = 0.0
    via = [np.full(arrays.n, -1)]
    for _ in range(cut.layers):
        step = best.copy()
        link = np.full(arrays.n, -1)
        for a, b in ((u, v), (v, u)):
            reach = best[a] + weight
            order = np.argsort(reach)[::-1]  # the cheapest write wins
            better = reach[order] < step[b[order]]
            step[b[order[better]]] = reach[order[better]]
            link[b[order[better]]] = ids[order[better]]
        better_mask = step < best
        best = np.where(better_mask, step, best)
        via.append(np.where(better_mask, link, -1))
    target = targets[np.argmin(best[targets])]
    if not np.isfinite(best[target]):
        return np.zeros(0, dtype=np.int64)
    return _trace(arrays, via, source, int(target), chosen)


def _trace(arrays: Arrays, via: list[np.ndarray], source: int, target: int, chosen: np.ndarray) -> np.ndarray:
    """Links of the layered shortest path ending at ``target``, walking the rounds back."""
    path = []
    node, layer = target, len(via) - 1
    while node != source and layer > 0:
        while layer > 0 and via[layer][node] < 0:
            layer -= 1
        if layer == 0:
            break
        e = int(via[layer][node])
        path.append(e)
        node = int(arrays.u[e] if arrays.v[e] == node else arrays.v[e])
        layer -= 1
    return np.array([e for e in path if not chosen[e]], dtype=np.int64)


#: The cheapest fix of a violated cut, by kind of cut.
_FIXES = {SetCut: _fix_set, RiskCut: _fix_set, LayerCut: _fix_layer}


def repair(arrays: Arrays, chosen: np.ndarray, control: Control | None = None) -> np.ndarray:
    """Link ids of a feasible design containing the links ``chosen``.

    Each round fixes every cut the current links violate (see module notes); a fix
    only ever adds links, so at most ``m`` rounds are needed.
    """
    mask = np.zeros(arrays.m, dtype=bool)
    mask[np.asarray(chosen, dtype=np.int64)] = True
    while cuts := violations(arrays, np.flatnonzero(mask)):
        if control is not None:
            control.check()
        added = 0
        for cut in cuts:
            if _violated(arrays, mask, cut):
                fix = _FIXES[type(cut)](arrays, mask, cut)
                mask[fix] = True
                added += len(fix)
        if not added:
            raise RuntimeError("repair found no link to add: the candidate graph admits no design")
    return np.flatnonzero(mask)


def _violated(arrays: Arrays, mask: np.ndarray, cut: Cut) -> bool:
    return cut.slack(arrays, mask.astype(float)) < -0.5


def prune(arrays: Arrays, chosen: np.ndarray, control: Control | None = None) -> np.ndarray:
    """Drop links of the feasible design ``chosen``, dearest first, while it stays feasible.

    O(k) feasibility tests for ``k`` chosen links, each O(n + k) for connectivity;
    none in ``2edge``/``2node`` for a link at a required site with only two links,
    which could never go (so a ring through every site is left at once).
    """
    kept = set(np.asarray(chosen, dtype=np.int64).tolist())
    degree = np.bincount(np.concatenate([arrays.u[list(kept)], arrays.v[list(kept)]]), minlength=arrays.n)
    needs_two = arrays.required if arrays.problem.redundancy != "tree" else np.zeros(arrays.n, dtype=bool)
    for e in sorted(kept, key=lambda e: (-arrays.cost[e], e)):
        if control is not None and control.expired():
            break
        ends = (arrays.u[e], arrays.v[e])
        if any(needs_two[end] and degree[end] <= 2 for end in ends):
            continue
        kept.discard(e)
        if violations(arrays, np.fromiter(kept, dtype=np.int64), first=True):
            kept.add(e)
        else:
            degree[list(ends)] -= 1
    return np.array(sorted(kept), dtype=np.int64)


def minimum_links(problem: DesignProblem) -> int:
    """A lower bound on the number of links of any design of ``problem``.

    Without optional sites, with ``n`` sites, ``k`` hubs, ``h = max_hops`` and
    ``r = max_ring``:

    * a ``tree`` joins ``n`` sites: at least ``n - 1``;
    * in ``2edge``/``2node`` every site has two links: at least ``n``;
    * hop limit: a breadth-first forest from the hubs has ``n - k`` links and, as
      every root-to-leaf path holds at most ``h`` sites, at least ``⌈(n - k) / h⌉``
      leaves; each leaf needs a second link, outside the forest, and such a link
      serves at most two leaves, while joining ``k >= 2`` trees survivably takes
      ``k`` more: at least ``n - k + max(⌈leaves / 2⌉, k)``;
    * ring limit: grow the design from one ring (at most ``r`` sites) by adding
      the part outside it of a short ring through a link leaving it; each such ear
      brings at most ``r - 1`` new sites and one link more than sites: at least
      ``n + ⌈(n - r) / (r - 1)⌉``.

    Returns 0 when optional sites make the count of sites in the design unknown.
    """
    n, k = len(problem.required), len(problem.hubs)
    if problem.optional or n < 2:
        return 0
    if problem.redundancy == "tree":
        return n - 1
    bounds = [n]
    hops, ring = problem.settings.max_hops, problem.settings.max_ring
    if hops is not None and k >= 1:
        leaves = -(-(n - k) // hops)
        bounds.append(n - k + max(-(-leaves // 2), k if k >= 2 else 0))
    if ring is not None and n > ring:
        bounds.append(n + -(-(n - ring) // (ring - 1)))
    return max(bounds)


def link_count_cuts(problem: DesignProblem) -> list[CountCut]:
    """Rows on the number of links: at least :func:`minimum_links`; for a ``tree``
    without optional sites, at most ``n - 1``, since some cheapest design is then a
    spanning tree (a breadth-first forest from the hubs, joined up, keeps every hop
    limit)."""
    n, least = len(problem.required), minimum_links(problem)
    cuts = [CountCut(least)] if least else []
    if problem.redundancy == "tree" and not problem.optional and n > 1:
        cuts.append(CountCut(-(n - 1), sign=-1.0))
    return cuts


@dataclass
class Extension:
    """Extra continuous columns and rows for an integer programme over link columns.

    ``matrix`` has one column per link column followed by ``columns`` new ones;
    row ``i`` reads ``row_lower[i] <= matrix[i] @ values <= row_upper[i]``.
    """

    columns: int
    matrix: csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray


def hop_forest(arrays: Arrays, links: np.ndarray, layers: int) -> Extension:
    """A compact formulation of the hop limit over the link columns ``links``.

    Every design within the limit holds a breadth-first forest rooted at the hubs,
    of depth at most ``layers``. Variable ``y[a, l]`` says arc ``a = (i, j)`` of a
    chosen link makes ``i`` the parent of ``j`` at layer ``l`` (``i`` a hub when
    ``l = 1``). Rows: each required non-hub site has one parent (optional sites at
    most one); an arc at layer ``l > 1`` leaves a node that has a parent at layer
    ``l - 1``; a link carries its arcs only when chosen.

    Notes
    -----
    Exact for 0/1 link values even with continuous ``y``: a site with any parent
    mass at layer ``l`` has a path of ``l`` chosen links to a hub. Size: at most
    ``2 k layers`` columns and ``n + 2 k (layers - 1) + k`` rows for ``k`` links.
    """
    k = len(links)
    tail = np.concatenate([arrays.u[links], arrays.v[links]])
    head = np.concatenate([arrays.v[links], arrays.u[links]])
    link = np.concatenate([np.arange(k), np.arange(k)])
    hub = arrays.hub
    arcs = []  # (tail, head, link column, layer)
    for layer in range(1, layers + 1):
        ok = ~hub[head] & (hub[tail] if layer == 1 else ~hub[tail])
        arcs.append(np.column_stack([tail[ok], head[ok], link[ok], np.full(ok.sum(), layer)]))
    arcs = np.concatenate(arcs) if arcs else np.zeros((0, 4), dtype=np.int64)
    col = k + np.arange(len(arcs))
    rows, cols, vals, lower, upper = [], [], [], [], []

    def row(columns, values, lo, hi):
        rows.append(np.full(len(columns), len(lower)))
        cols.append(columns)
        vals.append(values)
        lower.append(lo)
        upper.append(hi)

    for j in np.flatnonzero(~hub):
        into = col[arcs[:, 1] == j]
        row(into, np.ones(len(into)), 1.0 if arrays.required[j] else 0.0, 1.0)
    for a in np.flatnonzero(arcs[:, 3] > 1):
        i, layer = arcs[a, 0], arcs[a, 3]
        parents = col[(arcs[:, 1] == i) & (arcs[:, 3] == layer - 1)]
        row(np.concatenate([[col[a]], parents]), np.concatenate([[1.0], -np.ones(len(parents))]), -np.inf, 0.0)
    for c in range(k):
        carried = col[arcs[:, 2] == c]
        row(np.concatenate([carried, [c]]), np.concatenate([np.ones(len(carried)), [-1.0]]), -np.inf, 0.0)
    matrix = csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(len(lower), k + len(arcs))
    )
    return Extension(len(arcs), matrix, np.array(lower), np.array(upper))


def split_tour(arrays: Arrays, tour: list[int], layers: int) -> np.ndarray | None:
    """Cut a ring through every site into chains between hubs of at most ``2 * layers`` sites.

    A chain of ``c`` sites between two hubs keeps every site within ``⌈c / 2⌉`` links
    of a hub, so a ring whose stretches between hubs are short already meets the
    hop limit. A longer stretch is split, by dynamic programming over where to cut,
    into chains whose new ends are linked to the cheapest hubs (two different ones).
    Returns the link ids, or None when the ring passes no hub.

    Notes
    -----
    A heuristic for the hop limit (route first, cluster second, as in vehicle
    routing): O(n · layers · k²) for ``k`` hubs.
    """
    hubs = np.flatnonzero(arrays.hub)
    starts = [i for i, node in enumerate(tour) if arrays.hub[node]]
    if not starts:
        return None
    cost = arrays.cost_matrix
    tour = tour[starts[0] :] + tour[: starts[0]] + [tour[starts[0]]]
    chosen: set[tuple[int, int]] = set()
    left = tour[0]
    stretch: list[int] = []
    for node in tour[1:]:
        if arrays.hub[node]:
            links = _split_stretch(cost, hubs, left, stretch, node, 2 * layers)
            if links is None:
                return None
            chosen |= links
            left, stretch = node, []
        else:
            stretch.append(node)
    if any(not np.isfinite(cost[a, b]) for a, b in chosen):
        return None  # a stretch of the ring with no split into permitted links
    return np.array(sorted(arrays.edge_index[tuple(sorted(p))] for p in chosen), dtype=np.int64)


def ladder_tour(arrays: Arrays, tour: list[int], ring: int) -> np.ndarray | None:
    """Add chords to a ring through every site so that every link lies on a ring of at most ``ring`` links.

    Chords join breakpoints of the ring at most ``ring - 1`` (and at least 2) ring
    links apart; each chord closes a short ring with the stretch it spans, and the
    cheapest set of chords is found by dynamic programming over the cyclic order
    (each starting offset tried). Returns the ring's links and the chords, or None
    when no chords of permitted links do.

    Notes
    -----
    A heuristic for the ring limit using ``n + ⌈n / (ring - 1)⌉`` links, close to
    :func:`minimum_links`. O(n · ring²).
    """
    n = len(tour)
    links = {tuple(sorted((tour[i], tour[(i + 1) % n]))) for i in range(n)}
    if n <= ring:
        return np.array(sorted(arrays.edge_index[p] for p in links), dtype=np.int64)
    cost = arrays.cost_matrix
    best_total, best_chords = np.inf, None
    for start in range(ring - 1):
        total = np.full(n + 1, np.inf)
        back = np.zeros(n + 1, dtype=np.int64)
        total[0] = 0.0
        for p in range(2, n + 1):
            for gap in range(2, min(ring - 1, p) + 1):
                step = total[p - gap] + cost[tour[(start + p - gap) % n], tour[(start + p) % n]]
                if step < total[p]:
                    total[p], back[p] = step, gap
        if total[n] < best_total:
            chords, p = [], n
            while p > 0:
                chords.append(tuple(sorted((tour[(start + p - back[p]) % n], tour[(start + p) % n]))))
                p -= back[p]
            best_total, best_chords = total[n], chords
    if best_chords is None:
        return None
    return np.array(sorted(arrays.edge_index[p] for p in links | set(best_chords)), dtype=np.int64)


def _split_stretch(cost: np.ndarray, hubs: np.ndarray, first: int, stretch: list[int], last: int, most: int):
    """Links of the cheapest split of ``first, *stretch, last`` into chains of at most ``most``
    sites (None when no split uses permitted links only)."""
    k = len(stretch)
    if k == 0:
        return {(first, last)} if first != last else set()
    path = np.concatenate([[0.0], np.cumsum([cost[a, b] for a, b in pairwise(stretch)])])
    best, back = np.full(k + 1, np.inf), [None] * (k + 1)
    best[0] = 0.0
    for i in range(1, k + 1):
        for j in range(max(0, i - most), i):
            x, y = first if j == 0 else None, last if i == k else None
            ends = _chain_ends(cost, hubs, x, stretch[j], stretch[i - 1], y)
            total = best[j] + ends[0] + path[i - 1] - path[j]
            if total < best[i]:
                best[i], back[i] = total, (j, ends[1], ends[2])
    if not np.isfinite(best[k]):
        return None
    links, i = set(), k
    while i > 0:
        j, x, y = back[i]
        links |= {(x, stretch[j]), (stretch[i - 1], y)} | set(zip(stretch[j : i - 1], stretch[j + 1 : i], strict=True))
        i = j
    return links


def _chain_ends(cost, hubs, x, head, tail, y) -> tuple[float, int, int]:
    """The cheapest hubs ``x`` before ``head`` and ``y`` after ``tail`` (given ones kept), ``x != y``."""
    xs = hubs if x is None else np.array([x])
    ys = hubs if y is None else np.array([y])
    total = cost[xs, head][:, None] + cost[tail, ys][None, :]
    if len(hubs) > 1:
        total[xs[:, None] == ys[None, :]] = np.inf
    i, j = np.unravel_index(np.argmin(total), total.shape)
    return float(total[i, j]), int(xs[i]), int(ys[j])


def link_roles(problem: DesignProblem, edges) -> dict[frozenset[str], str]:
    """Under a hop limit with two or more hubs: links between two hubs are ``backbone``,
    the others ``access``.

    Otherwise the engine's default applies (a cheapest spanning tree is ``backbone``,
    the rest ``protection``): the cheapest dual-homed design is usually one ring through
    hubs and sites alike, and calling its links "access" would misdescribe it.
    """
    if len(problem.hubs) < 2 or problem.settings.max_hops is None:
        return {}
    return {frozenset((a, b)): "backbone" if {a, b} <= problem.hubs else "access" for a, b in edges}


def constrained(problem: DesignProblem) -> bool:
    """Whether ``problem`` asks more than plain connectivity (hubs, hops, rings, shared-risk groups)."""
    settings = problem.settings
    limited = settings.max_hops is not None or settings.max_ring is not None
    return limited or len(problem.hubs) >= 2 or bool(problem.risk_groups)


def ring_candidates(problem: DesignProblem) -> DesignProblem:
    """``problem`` without the candidate links that lie on no ring of ``max_ring`` links.

    No design can use such a link, and dropping one can leave others on no short
    ring, so links are dropped until none is left to drop. O(m (n + m)) per pass.
    """
    if problem.settings.max_ring is None:
        return problem
    graph = problem.graph.copy()
    reach = problem.settings.max_ring - 1
    changed = True
    while changed:
        changed = False
        for a, b in list(graph.edges):
            if reach >= 2 and graph[a].keys() & graph[b].keys():
                continue  # on a triangle
            data = graph.edges[a, b]
            graph.remove_edge(a, b)
            if b in nx.single_source_shortest_path_length(graph, a, cutoff=reach):
                graph.add_edge(a, b, **data)
            else:
                changed = True
    return replace(problem, graph=graph)


def feasible_designs(arrays: Arrays, links: np.ndarray, control: Control | None = None) -> list[np.ndarray]:
    """Feasible designs made from the design ``links``, which may break hop, ring or hub rules.

    The design itself, repaired and pruned; and when it is one ring through all its
    sites (as a cheapest ``2edge`` design usually is), that ring cut into chains
    between hubs (:func:`split_tour`), given chords (:func:`ladder_tour`) or moved out
    of the shared-risk groups it breaks (:func:`~planner.design.diverse_ring.diverse_ring`),
    each repaired and pruned too.
    """
    settings = arrays.problem.settings
    starts = [np.asarray(links, dtype=np.int64)]
    ring = ring_order(zip(arrays.u[starts[0]].tolist(), arrays.v[starts[0]].tolist(), strict=True))
    if ring is not None and settings.max_hops is not None and arrays.hub.any():
        starts.append(split_tour(arrays, ring, settings.max_hops))
    if ring is not None and settings.max_ring is not None:
        starts.append(ladder_tour(arrays, ring, settings.max_ring))
    if ring is not None and arrays.problem.risk_groups:
        moved = diverse_ring(arrays.problem, [arrays.nodes[i] for i in ring], control)
        starts.append(arrays.ids(list(pairwise(moved + moved[:1]))))
    return [prune(arrays, repair(arrays, start, control), control) for start in starts if start is not None]


def solve_constrained(base, problem: DesignProblem, control: Control) -> Solution:
    """Run the heuristic ``base``, then make its design feasible for hubs, hops, rings and shared-risk groups.

    Notes
    -----
    A heuristic: the cheapest of :func:`feasible_designs`. Its lower bound is the
    base heuristic's (valid, since the constraints only remove designs).
    """
    solution = base(problem, control)
    if not constrained(problem):
        return solution
    arrays = Arrays.from_problem(problem)
    chosen = min(feasible_designs(arrays, arrays.ids(solution.edges), control), key=arrays.total)
    edges = arrays.pairs(chosen)
    return Solution(
        edges=edges,
        lower_bound=solution.lower_bound,
        method=solution.method,
        roles=link_roles(problem, edges),
        notes=solution.notes,
    )
