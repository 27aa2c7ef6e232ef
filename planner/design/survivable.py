"""Survivable designs on a candidate graph: find what a failure breaks, repair it cheaply, drop what is not needed.

A design is a set of candidate links. It survives at level ``2edge`` when no
single link, and at level ``2node`` when no single site or link, separates two
required sites; optional sites may relay but need no protection. Everything here
works on integer node numbers for speed; :class:`Candidates` maps a
:class:`~planner.design.problem.DesignProblem` to them and back.

Notes
-----
* :func:`scan` finds, in one depth-first search (Hopcroft–Tarjan low points,
  O(n + m)), every bridge and cut site that separates required sites, and every
  part hanging from the rest that holds no required site (useless relays).
* :func:`repair` fixes one defect at a time with the cheapest path (Dijkstra,
  O(m log n)) that joins the cut-off part to the rest while avoiding the failed
  link or site; links already in the design are free on that path. Adding a path
  never creates a defect, so each repair removes at least one and the loop ends.
* :func:`prune` removes links whose loss keeps the design valid, dearest first:
  only links between sites of degree three or more (or optional sites) can go,
  so a ring is checked in O(n).
* These are heuristics: the repaired design is valid, not necessarily cheapest.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from planner.design.problem import DesignProblem

__all__ = ["Candidates", "SurvivableDesign", "Defect", "scan", "repair", "prune", "is_valid", "splits", "NEAREST"]

#: How many of its cheapest candidate neighbours each site's moves consider.
NEAREST = 12
#: Sites searched on each side of a removed link by :func:`splits` before it gives up.
SPLIT_REACH = 1000


class Candidates:
    """The candidate graph with sites numbered ``0..N-1``: costs by neighbour, and which sites are required."""

    def __init__(self, problem: DesignProblem):
        self.problem = problem
        self.level = problem.redundancy
        self.ids = list(problem.graph.nodes)
        self.number = {site: i for i, site in enumerate(self.ids)}
        self.costs: list[dict[int, int]] = [
            {self.number[v]: d["cost"] for v, d in problem.graph.adj[site].items()} for site in self.ids
        ]
        self.required = [site in problem.required for site in self.ids]
        self.root = self.required.index(True)
        self.required_count = sum(self.required)
        #: Each site's cheapest candidate neighbours, cheapest first (at most ``NEAREST``).
        self.near: list[list[int]] = [heapq.nsmallest(NEAREST, c, key=lambda v, c=c: (c[v], v)) for c in self.costs]

    def edge_ids(self, edges: Iterable[tuple[int, int]]) -> list[tuple[str, str]]:
        """The links ``edges`` (numbered) as site-id pairs."""
        return [(self.ids[u], self.ids[v]) for u, v in edges]


@dataclass
class SurvivableDesign:
    """A design as adjacency sets over the numbered sites, with its running cost."""

    candidates: Candidates
    adj: list[set[int]] = field(default_factory=list)
    cost: int = 0

    @classmethod
    def from_edges(cls, candidates: Candidates, edges: Iterable[tuple[int, int]]) -> SurvivableDesign:
        design = cls(candidates, [set() for _ in candidates.ids])
        for u, v in edges:
            design.add(u, v)
        return design

    def copy(self) -> SurvivableDesign:
        return SurvivableDesign(self.candidates, [set(s) for s in self.adj], self.cost)

    def add(self, u: int, v: int) -> None:
        if v not in self.adj[u]:
            self.adj[u].add(v)
            self.adj[v].add(u)
            self.cost += self.candidates.costs[u][v]

    def remove(self, u: int, v: int) -> None:
        if v in self.adj[u]:
            self.adj[u].remove(v)
            self.adj[v].remove(u)
            self.cost -= self.candidates.costs[u][v]

    def edges(self) -> list[tuple[int, int]]:
        return [(u, v) for u, near in enumerate(self.adj) for v in near if u < v]

    def flexible(self, site: int) -> bool:
        """Whether a link at ``site`` could be dropped without leaving it on a single link."""
        return not self.candidates.required[site] or len(self.adj[site]) >= 3


@dataclass
class Defect:
    """Sites cut off from the rest of the design by the loss of a link or a site.

    ``kind`` is ``"unreached"`` (``part`` is the part holding the first required
    site, and some required site lies outside it), ``"link"`` (losing link
    ``parent``-``child`` cuts off ``part``), ``"site"`` (losing site ``parent``
    cuts off ``part``) or ``"useless"`` (``part`` holds no required site and
    hangs from the rest by ``parent`` alone: it can go). ``part`` is read from the
    scan's order only when asked for: a design cut open has a defect at every link.
    """

    kind: str
    order: list[int] = field(repr=False)
    parent: int = -1
    child: int = -1
    start: int = 0
    stop: int | None = None

    @property
    def part(self) -> list[int]:
        return self.order[self.start : self.stop]


def scan(design: SurvivableDesign) -> list[Defect]:
    """Every defect of ``design`` at its level, deepest first (empty when the design is valid).

    One iterative depth-first search from a required site computes discovery
    order, low points, subtree sizes and the number of required sites in each
    subtree; a child ``v`` of ``p`` with ``low[v] >= disc[p]`` hangs from the rest
    by ``p`` alone (by the link ``p``-``v`` alone when ``low[v] > disc[p]``).
    """
    candidates, adj = design.candidates, design.adj
    required = candidates.required
    node_level = candidates.level == "2node"
    root = candidates.root
    n = len(adj)
    disc = [-1] * n
    low = [0] * n
    size = [1] * n
    held = [0] * n  # required sites in each subtree
    order = [root]
    disc[root] = 0
    held[root] = int(required[root])
    hanging: list[tuple[int, int]] = []
    stack = [(root, -1, iter(adj[root]))]
    while stack:
        v, parent, neighbours = stack[-1]
        for w in neighbours:
            if w == parent:
                continue
            if disc[w] < 0:
                disc[w] = low[w] = len(order)
                order.append(w)
                held[w] = int(required[w])
                stack.append((w, v, iter(adj[w])))
                break
            if disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            if parent >= 0:
                low[parent] = min(low[parent], low[v])
                size[parent] += size[v]
                held[parent] += held[v]
                if low[v] >= disc[parent]:
                    hanging.append((parent, v))

    defects = []
    root_children = 0
    for p, v in hanging:
        part = disc[v], disc[v] + size[v]
        if not held[v]:
            defects.append(Defect("useless", order, p, v, *part))
        elif low[v] > disc[p]:
            defects.append(Defect("link", order, p, v, *part))
        elif node_level and p != root:
            defects.append(Defect("site", order, p, v, *part))
        elif node_level:
            root_children += 1
            if root_children == 2:
                defects.append(Defect("site", order, p, v, *part))
    if held[root] < candidates.required_count:
        defects.append(Defect("unreached", order))
    elif len(order) < n - adj.count(set()):
        defects.append(Defect("useless", [i for i in range(n) if disc[i] < 0 and adj[i]]))
    return defects


def _cheapest_path(
    design: SurvivableDesign,
    sources: list[int],
    is_target: Callable[[int], bool],
    failure: Defect,
    banned: frozenset[tuple[int, int]],
) -> list[int]:
    """The cheapest path from ``sources`` to a target: design links free, around the failure, no banned link."""
    costs, adj = design.candidates.costs, design.adj
    ban_site = failure.parent if failure.kind == "site" else -1
    ban_link = {failure.parent, failure.child} if failure.kind == "link" else None
    dist = dict.fromkeys(sources, 0)
    previous: dict[int, int] = {}
    heap = [(0, s) for s in sources]
    heapq.heapify(heap)
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        if is_target(u):
            path = [u]
            while path[-1] in previous:
                path.append(previous[path[-1]])
            return path
        done.add(u)
        in_design = adj[u]
        for v, c in costs[u].items():
            if v == ban_site or v in done:
                continue
            if v in in_design:
                if ban_link is not None and u in ban_link and v in ban_link:
                    continue
                c = 0
            elif banned and ((u, v) in banned or (v, u) in banned):
                continue
            nd = d + c
            if nd < dist.get(v, nd + 1):
                dist[v] = nd
                previous[v] = u
                heapq.heappush(heap, (nd, v))
    raise ValueError("no candidate path repairs the design: the candidate graph itself falls short")


def _fix(design: SurvivableDesign, defect: Defect, banned: frozenset[tuple[int, int]]) -> None:
    """Add the cheapest path that joins ``defect.part`` to the rest of the design around the failure."""
    part = set(defect.part)
    if defect.kind == "unreached":
        required = design.candidates.required

        def is_target(i: int) -> bool:
            return required[i] and i not in part
    else:
        adj = design.adj
        skip = defect.parent if defect.kind == "site" else -1

        def is_target(i: int) -> bool:
            return bool(adj[i]) and i not in part and i != skip

    path = _cheapest_path(design, defect.part, is_target, defect, banned)
    for u, v in itertools.pairwise(path):
        design.add(u, v)


def _drop_useless(design: SurvivableDesign, defect: Defect) -> None:
    for site in defect.part:
        for other in list(design.adj[site]):
            design.remove(site, other)


def repair(design: SurvivableDesign, banned: frozenset[tuple[int, int]] = frozenset()) -> None:
    """Make ``design`` valid at its level in place: drop useless relays, then add cheapest repair paths.

    Links in ``banned`` are not added. Raises ``ValueError`` when no repair exists.
    """
    while True:
        defects = scan(design)
        if not defects:
            return
        useless = [d for d in defects if d.kind == "useless"]
        if useless:
            for defect in useless:
                _drop_useless(design, defect)
        else:
            _fix(design, defects[0], banned)


def splits(design: SurvivableDesign, links: Iterable[tuple[int, int]], reach: int = SPLIT_REACH) -> bool:
    """Whether ``design`` has come apart where ``links`` were removed: a part holding some but not all required
    sites, found by searching from both ends of a link at once, at most ``reach`` sites a side.

    ``True`` proves the design invalid in O(``reach``) instead of a whole scan; ``False``
    proves nothing. Most moves that save money and fail cut a ring in two, usually
    leaving a small part.
    """
    adj, required = design.adj, design.candidates.required
    for x, y in links:
        sides = ([x], [y])
        seen = ({x}, {y})
        nexts = [0, 0]
        while nexts[0] < reach or nexts[1] < reach:
            side = 0 if nexts[0] <= nexts[1] else 1
            order, mine, other = sides[side], seen[side], seen[1 - side]
            if nexts[side] == len(order):  # this side is a whole part
                held = sum(required[i] for i in order)
                if 0 < held < design.candidates.required_count:
                    return True
                break
            here = order[nexts[side]]
            nexts[side] += 1
            if here in other or not adj[here].isdisjoint(other):
                break  # the ends are still joined
            for w in adj[here] - mine:
                mine.add(w)
                order.append(w)
    return False


def is_valid(design: SurvivableDesign) -> bool:
    """Whether ``design`` survives at its level; useless relays are dropped when it does (which only saves)."""
    defects = scan(design)
    if any(d.kind != "useless" for d in defects):
        return False
    while defects:
        for defect in defects:
            _drop_useless(design, defect)
        defects = scan(design)
    return True


def prune(design: SurvivableDesign, around: set[int] | None = None) -> None:
    """Remove links, dearest first, while the valid ``design`` stays valid.

    With ``around``, only links touching those sites are tried (after a local change).
    """
    costs = design.candidates.costs
    links = design.edges() if around is None else [(u, v) for u in around for v in design.adj[u]]
    for cost, u, v in sorted(((costs[u][v], u, v) for u, v in links), reverse=True):
        if cost <= 0 or v not in design.adj[u] or not (design.flexible(u) and design.flexible(v)):
            continue
        design.remove(u, v)
        if splits(design, [(u, v)]) or not is_valid(design):
            design.add(u, v)
