"""A ring that survives every shared duct: tour moves that take a ring out of the groups it breaks.

A ring through every site survives any one link cut, but not a group that holds two
of its links: losing the group splits the ring. Adding a chord fixes that at the
price of a whole circuit, while a better ring often costs nearly nothing more: where
both of a site's ring links leave through one duct, visit the site from another side.

:func:`diverse_ring` searches for such a ring: 2-opt and node moves (Or-opt of one
site) between each site and its cheapest candidate neighbours, accepting a move when
it breaks fewer groups, or as many for less money. Groups with sites (an exchange)
are left to the generic repair (:func:`planner.design.hierarchy.repair`), which also
mends whatever this search could not.

>>> import networkx as nx
>>> from planner.core.model import DesignSettings, RiskGroup
>>> from planner.design.problem import DesignProblem
>>> g = nx.complete_graph("abcd")
>>> nx.set_edge_attributes(g, 1, "cost")
>>> duct = RiskGroup.of("duct", [("a", "b"), ("a", "d")])
>>> p = DesignProblem(g, frozenset("abcd"), frozenset(), DesignSettings("2edge"), 5, risk_groups=(duct,))
>>> ring = diverse_ring(p, ["a", "b", "c", "d"])  # both of a's links are in the duct
>>> ring, [e for e in zip(ring, ring[1:] + ring[:1]) if tuple(sorted(e)) in duct.links]
(['a', 'c', 'b', 'd'], [('d', 'a')])
"""

from __future__ import annotations

from collections import defaultdict

from planner.core.model import pair_key
from planner.design.control import Control
from planner.design.problem import DesignProblem

__all__ = ["diverse_ring"]

#: Each site's cheapest candidate neighbours that moves try to join it to.
_NEIGHBOURS = 10
#: Sweeps over every site at most (each is O(n k) move evaluations).
_SWEEPS = 30


def diverse_ring(problem: DesignProblem, ring: list[str], control: Control | None = None) -> list[str]:
    """``ring`` (sites in ring order, each joined to the next and the last to the first) moved out of
    as many of the problem's link groups as tour moves can manage, then made cheaper without breaking
    more; the sites in their new ring order. Only candidate links are ever used."""
    graph = problem.graph
    groups_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for g, group in enumerate(problem.risk_groups):
        if not group.sites:
            for pair in group.links:
                groups_of[pair].append(g)
    tour = list(ring)
    n = len(tour)
    if n < 4 or not groups_of:
        return tour
    count = [0] * len(problem.risk_groups)
    for a, b in zip(tour, tour[1:] + tour[:1], strict=True):
        for g in groups_of.get(pair_key(a, b), ()):
            count[g] += 1
    near = {
        v: [u for u, _ in sorted(graph.adj[v].items(), key=lambda item: item[1]["cost"])[:_NEIGHBOURS]] for v in tour
    }

    def cost(a: str, b: str) -> float:
        data = graph.adj[a].get(b)
        return float("inf") if data is None else data["cost"]

    def change(removed: list[tuple[str, str]], added: list[tuple[str, str]]) -> tuple[int, float]:
        """How many more groups would break, and what the ring would cost more, after swapping links."""
        delta: dict[int, int] = defaultdict(int)
        for links, sign in ((removed, -1), (added, 1)):
            for a, b in links:
                for g in groups_of.get(pair_key(a, b), ()):
                    delta[g] += sign
        broken = sum((count[g] + d >= 2) - (count[g] >= 2) for g, d in delta.items())
        return broken, sum(cost(*e) for e in added) - sum(cost(*e) for e in removed)

    def apply(removed, added) -> None:
        for links, sign in ((removed, -1), (added, 1)):
            for a, b in links:
                for g in groups_of.get(pair_key(a, b), ()):
                    count[g] += sign

    for _ in range(_SWEEPS):
        improved = False
        for a in list(tour):
            if control is not None and control.expired():
                return tour
            for c in near[a]:
                move = _best_move(tour, a, c, change)
                if move is not None:
                    new_tour, removed, added = move
                    apply(removed, added)
                    tour = new_tour
                    improved = True
                    break
        if not improved:
            break
    return tour


def _best_move(tour: list[str], a: str, c: str, change):
    """The best move joining ``a`` to ``c`` (two 2-opt moves, and ``a`` moved next to ``c`` on either
    side) when it breaks fewer groups, or as many for less: ``(tour, removed, added)``, else ``None``."""
    n = len(tour)
    index = {v: k for k, v in enumerate(tour)}
    i, j = index[a], index[c]
    if abs(i - j) in (1, n - 1):
        return None
    at = tour.__getitem__
    moves = []
    # 2-opt: a's successor edge and c's successor edge become (a, c) and (a+, c+)
    for forward in (True, False):
        x, y = (i, j) if forward else (j, i)
        lo, hi = min(x, y), max(x, y)
        if forward:
            removed = [(at(lo), at((lo + 1) % n)), (at(hi), at((hi + 1) % n))]
            added = [(at(lo), at(hi)), (at((lo + 1) % n), at((hi + 1) % n))]
            new = tour[: lo + 1] + tour[lo + 1 : hi + 1][::-1] + tour[hi + 1 :]
        else:
            removed = [(at(lo - 1), at(lo)), (at(hi - 1), at(hi))]
            added = [(at(lo - 1), at(hi - 1)), (at(lo), at(hi))]
            new = tour[:lo] + tour[lo:hi][::-1] + tour[hi:]
        moves.append((new, removed, added))
    # Or-opt: take a out (its neighbours join up) and put it between c and one of c's neighbours
    p, q = at((i - 1) % n), at((i + 1) % n)
    rest = tour[:i] + tour[i + 1 :]
    k = rest.index(c)
    for other in (k - 1, k + 1):
        d = rest[other % len(rest)]
        if d in (a,):
            continue
        removed = [(p, a), (a, q), (c, d)]
        added = [(p, q), (c, a), (a, d)]
        place = max(k, other % len(rest)) if abs(k - other % len(rest)) == 1 else 0
        moves.append(([*rest[:place], a, *rest[place:]], removed, added))
    best = None
    for new, removed, added in moves:
        broken, extra = change(removed, added)
        if extra == float("inf") or extra != extra:
            continue
        if broken < 0 or (broken == 0 and extra < 0):
            key = (broken, extra)
            if best is None or key < best[0]:
                best = (key, (new, removed, added))
    return None if best is None else best[1]
