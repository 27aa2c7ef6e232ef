"""A ring that survives every shared duct: tour moves that take a ring out of the groups it breaks.

A ring through every site survives any one link cut, but not a group that holds two
of its links: losing the group splits the ring. Adding a chord fixes that at the
price of a whole circuit, while a better ring often costs nearly nothing more: where
both of a site's ring links leave through one duct, visit the site from another side.

:func:`diverse_ring` searches for such a ring: 2-opt and node moves (Or-opt of one
site) between each site and its cheapest candidate neighbours, accepting a move when
it breaks fewer groups, or as many for less money. Only the sites at a broken group's
links are examined at first, then the ends of the links each move changes. Groups with sites (an exchange)
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

from collections import defaultdict, deque

from planner.core.model import pair_key
from planner.design.control import Control
from planner.design.problem import DesignProblem

__all__ = ["diverse_ring"]

#: Each site's cheapest candidate neighbours that moves try to join it to.
_NEIGHBOURS = 10
#: Sites examined at most, per site of the ring (each examination is O(k) move evaluations).
_MOVES_PER_SITE = 30


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
    near = {
        v: [u for u, _ in sorted(graph.adj[v].items(), key=lambda item: item[1]["cost"])[:_NEIGHBOURS]] for v in tour
    }

    def cost(a: str, b: str) -> float:
        data = graph.adj[a].get(b)
        return float("inf") if data is None else data["cost"]

    def deltas(removed: list[tuple[str, str]], added: list[tuple[str, str]]) -> dict[int, int]:
        """How many more ring links each group would hold after swapping ``removed`` for ``added``."""
        delta: dict[int, int] = defaultdict(int)
        for links, sign in ((removed, -1), (added, 1)):
            for a, b in links:
                for g in groups_of.get(pair_key(a, b), ()):
                    delta[g] += sign
        return delta

    def change(removed: list[tuple[str, str]], added: list[tuple[str, str]]) -> tuple[int, float]:
        """How many more groups would break, and what the ring would cost more, after swapping links."""
        broken = sum((count[g] + d >= 2) - (count[g] >= 2) for g, d in deltas(removed, added).items())
        return broken, sum(cost(*e) for e in added) - sum(cost(*e) for e in removed)

    def apply(removed, added) -> None:
        for g, d in deltas(removed, added).items():
            count[g] += d

    def broken(link: tuple[str, str]) -> bool:
        return any(count[g] >= 2 for g in groups_of.get(pair_key(*link), ()))

    ring_links = list(zip(tour, tour[1:] + tour[:1], strict=True))
    count = [0] * len(problem.risk_groups)
    apply([], ring_links)
    index = {v: k for k, v in enumerate(tour)}
    # Don't-look bits: only sites at a broken group's links, and the ends of links a move changed.
    queue = deque(dict.fromkeys(v for e in ring_links if broken(e) for v in e))
    waiting = set(queue)
    for _ in range(_MOVES_PER_SITE * n):
        if not queue or (control is not None and control.expired()):
            break
        a = queue.popleft()
        waiting.discard(a)
        for c in near[a]:
            move = _best_move(tour, index, a, c, change)
            if move is not None:
                build, removed, added = move
                apply(removed, added)
                tour = build()
                index = {v: k for k, v in enumerate(tour)}
                for v in {x for link in removed + added for x in link} - waiting:
                    queue.append(v)
                    waiting.add(v)
                break
    return tour


def _best_move(tour: list[str], index: dict[str, int], a: str, c: str, change):
    """The best move joining ``a`` to ``c`` (two 2-opt moves, and ``a`` moved next to ``c`` on either
    side) when it breaks fewer groups, or as many for less: ``(make the new tour, removed, added)``,
    else ``None``. Only the chosen move's tour is built (each is O(n))."""
    n = len(tour)
    i, j = index[a], index[c]
    if abs(i - j) in (1, n - 1):
        return None
    at = tour.__getitem__
    lo, hi = min(i, j), max(i, j)
    moves = [
        # 2-opt: the links after lo and after hi become (lo, hi) and (lo + 1, hi + 1)
        (
            lambda: _reversed(tour, lo + 1, hi + 1),
            [(at(lo), at(lo + 1)), (at(hi), at((hi + 1) % n))],
            [(at(lo), at(hi)), (at(lo + 1), at((hi + 1) % n))],
        ),
        # 2-opt: the links before lo and before hi become (lo - 1, hi - 1) and (lo, hi)
        (
            lambda: _reversed(tour, lo, hi),
            [(at(lo - 1), at(lo)), (at(hi - 1), at(hi))],
            [(at(lo - 1), at(hi - 1)), (at(lo), at(hi))],
        ),
    ]
    # Or-opt: take a out (its neighbours join up) and put it between c and one of c's ring neighbours
    p, q = at((i - 1) % n), at((i + 1) % n)
    for d in (at((j - 1) % n), at((j + 1) % n)):  # neither is a: a and c are not neighbours
        moves.append((lambda d=d: _inserted(tour, a, c, d), [(p, a), (a, q), (c, d)], [(p, q), (c, a), (a, d)]))
    best = None
    for build, removed, added in moves:
        broken, extra = change(removed, added)
        better = extra != float("inf") and (broken < 0 or (broken == 0 and extra < 0))
        if better and (best is None or (broken, extra) < best[0]):
            best = ((broken, extra), (build, removed, added))
    return None if best is None else best[1]


def _reversed(tour: list[str], lo: int, hi: int) -> list[str]:
    """``tour`` with the stretch ``lo..hi-1`` reversed."""
    return tour[:lo] + tour[lo:hi][::-1] + tour[hi:]


def _inserted(tour: list[str], a: str, c: str, d: str) -> list[str]:
    """``tour`` with ``a`` taken out and put between the neighbours ``c`` and ``d``."""
    rest = [v for v in tour if v != a]
    k, other = rest.index(c), rest.index(d)
    place = max(k, other) if abs(k - other) == 1 else 0  # 0: c and d are the two ends of the list
    return [*rest[:place], a, *rest[place:]]
