"""What a single failure or a shared-risk group's loss does to a design, and which circuits must be routed apart.

A *failure* removes one circuit (a cable cut), one site (a fire, a power cut) or
every circuit and site of one shared-risk group (a duct dug through, an exchange
flooded) from the design. After it, the required sites that can no longer reach
the main part of the network — the part holding most of the required sites — are
*cut off*; sites lost themselves are lost, not cut off. A ``2edge`` design cuts no
one off after any link failure; a ``2node`` design after any site failure either;
a ``tree`` cuts someone off after every link failure. A design made to survive the
project's groups (``Design.risk_groups``) cuts no one off after losing any one.

Two circuits are *diverse from* each other when they leave the same site and
losing both together would cut required sites off: a pair of cuts of the design
graph that meet at a building. A single trench or duct entry there would take
out both, so procurement orders them on physically separate routes (an RO2-style
resilience option). Pairs that meet at no site are far apart by construction and
are not listed, so a long ring names each circuit's two neighbours rather than
every other circuit of the ring. A circuit that is a cut on its own (every link
of a ``tree``) has nothing to be diverse from. Given shared-risk groups, a circuit is
also diverse from the circuits at a shared end whose group, lost together with it,
would cut sites off (the group alone does not): carried in that group's duct, it
would fail with it.

>>> from planner.core.design_result import Design, DesignLink
>>> ring = [DesignLink(f"C{i}", a, b, 1.0, 2, 0, 0) for i, (a, b) in enumerate(["ab", "bc", "ca"])]
>>> design = Design("2edge", tuple(ring), 0, 0, 5, sites=("a", "b", "c"))
>>> [f.connected for f in link_failures(design)]
[True, True, True]
>>> diverse_from(design)["C0"]
('C1', 'C2')

Notes
-----
Only a bridge (a link whose loss splits the graph) or an articulation point (a
site whose loss does) can cut anyone off. ``link_failures`` and ``site_failures``
take O(n + m) per element, O(m (n + m)) in all; ``diverse_from`` finds the
bridges left after each circuit's loss, also O(m (n + m)), and after each group's
loss, O(n + m) a group, as ``group_failures`` takes. :class:`BridgeSearch` finds
bridges without copying the graph, several times faster than networkx's search. A
60-circuit design takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import networkx as nx

from planner.core.design_result import Design, DesignLink
from planner.core.model import RiskGroup, pair_key

__all__ = [
    "Failure",
    "Outage",
    "link_failures",
    "site_failures",
    "single_failures",
    "design_groups",
    "group_failures",
    "outage",
    "diverse_from",
    "design_graph",
    "required_sites",
    "cut_off_sites",
    "BridgeSearch",
    "Forest",
]


@dataclass(frozen=True)
class Failure:
    """The effect of losing one circuit, one site or one shared-risk group.

    ``element`` is the circuit id, site id or group name lost; ``cut_off`` the required
    sites that can no longer reach the main part; ``detour_hops`` (links only) the number
    of circuits on the shortest way round between the lost circuit's two ends, or
    ``None`` when there is none. ``lost_circuits`` and ``lost_sites`` are what the
    failure takes out (a site takes its circuits; a group its circuits, its sites and
    theirs), in design and site-id order.
    """

    kind: Literal["link", "site", "group"]
    element: str
    cut_off: tuple[str, ...]
    detour_hops: int | None = None
    lost_circuits: tuple[str, ...] = ()
    lost_sites: tuple[str, ...] = ()

    @property
    def connected(self) -> bool:
        """Whether every remaining required site still reaches every other."""
        return not self.cut_off


@dataclass(frozen=True)
class Outage:
    """The effect of losing several circuits at once (the presenter's live demonstration).

    ``cut_off`` are the required sites that can no longer reach the main part;
    ``detours[c]`` the circuits, in order, of the shortest way round cut circuit ``c``
    (fewest circuits) when its two ends still reach each other.
    """

    cut: tuple[str, ...]
    cut_off: tuple[str, ...]
    detours: dict[str, tuple[str, ...]]

    @property
    def connected(self) -> bool:
        return not self.cut_off


def design_graph(design: Design) -> nx.Graph:
    """The design's sites and circuits as a graph; each edge's ``circuit`` is its circuit id."""
    graph = nx.Graph()
    graph.add_nodes_from(design.sites)
    graph.add_edges_from((k.a, k.b, {"circuit": k.circuit_id}) for k in design.links)
    return graph


def required_sites(design: Design) -> set[str]:
    """The sites the design must keep connected (its circuits' ends when it names none)."""
    return set(design.sites) or {n for k in design.links for n in (k.a, k.b)}


def cut_off_sites(graph: nx.Graph, required: set[str]) -> tuple[str, ...]:
    """Required sites outside the component holding most of them (ties: the smallest site id)."""
    parts = [part & required for part in nx.connected_components(graph)]
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return ()
    main = min(parts, key=lambda p: (-len(p), min(p)))
    return tuple(sorted(required - main))


@dataclass(frozen=True, eq=False)
class Forest:
    """Depth-first search trees of a design's graph without some circuits or sites (see :class:`BridgeSearch`).

    Sites and circuits are numbered as the search numbers them. ``roots`` are the trees' roots,
    each its part's smallest required site when it has one; ``preorder`` the sites in the order
    found; ``parent[x]`` and ``via[x]`` the site and circuit ``x`` was reached from (-1 at a
    root); ``inside[x]`` the required sites in the subtree of ``x`` and ``smallest[x]`` the
    smallest of them (``n`` when none); ``root_of[x]`` its tree's root. Each site of ``bridges``
    is the child end of a bridge: removing circuit ``via[v]`` leaves the subtree of ``v`` on one
    side and the rest of its part on the other.
    """

    roots: list[int]
    preorder: list[int]
    parent: list[int]
    via: list[int]
    inside: list[int]
    smallest: list[int]
    root_of: list[int]
    bridges: list[int]


class BridgeSearch:
    """Tarjan's bridge search over a design, again and again without different circuits or sites.

    Sites are numbered in sorted id order (``nodes``; ``index`` by id) and circuits in design order
    (``circuits``, their ids). Required sites are searched from first, so each tree is rooted at its
    part's smallest required site and the rest of a part beyond a bridge always holds the root.
    O(n + m) a search, with no graph copied.
    """

    def __init__(self, design: Design):
        required = required_sites(design)
        self.nodes = sorted(set(design.sites) | {end for k in design.links for end in (k.a, k.b)})
        index = {x: i for i, x in enumerate(self.nodes)}
        self.adjacent: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        for j, k in enumerate(design.links):
            self.adjacent[index[k.a]].append((index[k.b], j))
            self.adjacent[index[k.b]].append((index[k.a], j))
        self.index = index
        self.circuits = [k.circuit_id for k in design.links]
        self.is_required = [x in required for x in self.nodes]
        n = len(self.nodes)
        self.starts = [i for i in range(n) if self.is_required[i]] + [i for i in range(n) if not self.is_required[i]]

    def without(self, circuits: set[int] | frozenset[int] = frozenset(), sites: Iterable[int] = ()) -> Forest:
        """The search trees of the design without ``circuits`` (numbers) and ``sites`` (numbers, with their
        circuits)."""
        adjacent, is_required = self.adjacent, self.is_required
        n = len(adjacent)
        order = [-1] * n  # discovery time; -2: a site lost
        for x in sites:
            order[x] = -2
        low = [0] * n
        parent = [-1] * n
        via = [-1] * n
        inside = [0] * n
        smallest = [n] * n
        root_of = [0] * n
        cursor = [0] * n
        preorder: list[int] = []
        bridges: list[int] = []
        roots: list[int] = []
        clock = 0
        for start in self.starts:
            if order[start] != -1:
                continue
            roots.append(start)
            stack = [start]
            order[start] = low[start] = clock
            clock += 1
            preorder.append(start)
            root_of[start] = start
            if is_required[start]:
                inside[start], smallest[start] = 1, start
            while stack:
                u = stack[-1]
                i = cursor[u]
                if i < len(adjacent[u]):
                    cursor[u] = i + 1
                    w, j = adjacent[u][i]
                    if j in circuits or j == via[u]:
                        continue
                    if order[w] == -1:
                        order[w] = low[w] = clock
                        clock += 1
                        parent[w], via[w], root_of[w] = u, j, start
                        if is_required[w]:
                            inside[w], smallest[w] = 1, w
                        preorder.append(w)
                        stack.append(w)
                    elif 0 <= order[w] < low[u]:
                        low[u] = order[w]
                    continue
                stack.pop()
                p = parent[u]
                if p >= 0:
                    if low[u] < low[p]:
                        low[p] = low[u]
                    inside[p] += inside[u]
                    if smallest[u] < smallest[p]:
                        smallest[p] = smallest[u]
                    if low[u] > order[p]:
                        bridges.append(u)
        return Forest(roots, preorder, parent, via, inside, smallest, root_of, bridges)


def link_failures(design: Design) -> list[Failure]:
    """The effect of losing each circuit of ``design`` in turn, in circuit order."""
    graph, required = design_graph(design), required_sites(design)
    bridges = {frozenset(e) for e in nx.bridges(graph)}
    failures = []
    for link in design.links:
        lost = (link.circuit_id,)
        if frozenset((link.a, link.b)) not in bridges:
            graph.remove_edge(link.a, link.b)
            hops = nx.shortest_path_length(graph, link.a, link.b)
            graph.add_edge(link.a, link.b, circuit=link.circuit_id)
            failures.append(Failure("link", link.circuit_id, (), hops, lost))
            continue
        graph.remove_edge(link.a, link.b)
        failures.append(Failure("link", link.circuit_id, cut_off_sites(graph, required), None, lost))
        graph.add_edge(link.a, link.b, circuit=link.circuit_id)
    return failures


def site_failures(design: Design) -> list[Failure]:
    """The effect of losing each site of ``design`` in turn (the lost site itself is not counted as cut off)."""
    graph, required = design_graph(design), required_sites(design)
    cuts = set(nx.articulation_points(graph))
    failures = []
    for site in sorted(graph):
        lost = tuple(k.circuit_id for k in design.links if site in (k.a, k.b))
        cut = cut_off_sites(graph.subgraph(n for n in graph if n != site), required - {site}) if site in cuts else ()
        failures.append(Failure("site", site, cut, None, lost, (site,)))
    return failures


def single_failures(design: Design) -> list[Failure]:
    """Every single failure a board should see: each circuit, and each site for a ``2node`` design."""
    failures = link_failures(design)
    if design.redundancy == "2node":
        failures += site_failures(design)
    return failures


def design_groups(design: Design, groups: Iterable[RiskGroup]) -> list[RiskGroup]:
    """``groups`` cut down to what ``design`` holds of them: the site pairs of its circuits and its sites,
    in the order given; a group holding none of them is left out (losing it costs the design nothing)."""
    pairs = {k.pair for k in design.links}
    sites = set(design.sites) | {end for k in design.links for end in (k.a, k.b)}
    cut = (
        RiskGroup(
            g.name,
            tuple(sorted({pair_key(*p) for p in g.links} & pairs)),
            tuple(s for s in g.sites if s in sites),
            g.note,
        )
        for g in groups
    )
    return [g for g in cut if not g.empty]


def _held(design: Design, group: RiskGroup) -> list[DesignLink]:
    """The circuits losing ``group`` takes out: its own, and every circuit at one of its sites."""
    pairs, sites = set(group.links), set(group.sites)
    return [k for k in design.links if k.pair in pairs or k.a in sites or k.b in sites]


def _without(graph: nx.Graph, group: RiskGroup) -> nx.Graph:
    """A copy of ``graph`` without the group's sites and links."""
    rest = graph.copy()
    rest.remove_nodes_from(group.sites)
    rest.remove_edges_from(p for p in group.links if rest.has_edge(*p))
    return rest


def group_failures(design: Design, groups: Iterable[RiskGroup]) -> list[Failure]:
    """The effect of losing each of ``groups`` (cut down by :func:`design_groups`): every circuit and site it
    holds goes; the group's own sites are lost, not cut off.

    >>> from planner.core.design_result import Design, DesignLink
    >>> ring = [DesignLink(f"C{i}", a, b, 1.0, 2, 0, 0) for i, (a, b) in enumerate(["ab", "bc", "cd", "da"])]
    >>> design = Design("2edge", tuple(ring), 0, 0, 5, sites=("a", "b", "c", "d"))
    >>> duct = RiskGroup.of("duct at a", [("a", "b"), ("a", "d")])
    >>> exchange = RiskGroup.of("exchange", [("c", "d")], sites=["b"])
    >>> [(f.element, f.cut_off, f.lost_circuits, f.lost_sites) for f in group_failures(design, [duct, exchange])]
    [('duct at a', ('a',), ('C0', 'C3'), ()), ('exchange', ('c',), ('C0', 'C1', 'C2'), ('b',))]
    """
    graph, required = design_graph(design), required_sites(design)
    failures = []
    for group in design_groups(design, groups):
        lost = tuple(k.circuit_id for k in _held(design, group))
        cut = cut_off_sites(_without(graph, group), required - set(group.sites))
        failures.append(Failure("group", group.name, cut, None, lost, group.sites))
    return failures


def outage(design: Design, circuits: Iterable[str]) -> Outage:
    """Who is cut off when every circuit of ``circuits`` is lost together, and the way round each.

    >>> from planner.core.design_result import Design, DesignLink
    >>> ring = [DesignLink(f"C{i}", a, b, 1.0, 2, 0, 0) for i, (a, b) in enumerate(["ab", "bc", "cd", "da"])]
    >>> design = Design("2edge", tuple(ring), 0, 0, 5, sites=("a", "b", "c", "d"))
    >>> outage(design, ["C0"]).detours
    {'C0': ('C3', 'C2', 'C1')}
    >>> outage(design, ["C0", "C2"]).cut_off
    ('b', 'c')

    Raises ``KeyError`` for a circuit the design does not have. O(k (n + m)) for k cut circuits.
    """
    graph, required = design_graph(design), required_sites(design)
    cut = tuple(dict.fromkeys(circuits))
    lost = [design.link(c) for c in cut]
    graph.remove_edges_from((k.a, k.b) for k in lost)
    detours = {}
    for k in lost:
        if nx.has_path(graph, k.a, k.b):
            path = nx.shortest_path(graph, k.a, k.b)
            detours[k.circuit_id] = tuple(graph.edges[u, v]["circuit"] for u, v in pairwise(path))
    return Outage(cut, cut_off_sites(graph, required), detours)


def _disconnects(graph: nx.Graph, edges: Iterable[tuple[str, str]], required: set[str]) -> bool:
    removed = [(u, v, graph.edges[u, v]) for u, v in edges]
    graph.remove_edges_from(removed)
    split = bool(cut_off_sites(graph, required))
    graph.add_edges_from(removed)
    return split


def diverse_from(design: Design, groups: Sequence[RiskGroup] = ()) -> dict[str, tuple[str, ...]]:
    """For each circuit, the circuits that share a site with it and form a cut with it, or whose shared-risk
    group of ``groups`` does (see the module notes).

    >>> from planner.core.design_result import Design, DesignLink
    >>> star = [DesignLink(f"C{i}", a, b, 1.0, 2, 0, 0) for i, (a, b) in enumerate(["ab", "ac", "ad", "bc", "cd"])]
    >>> design = Design("2edge", tuple(star), 0, 0, 5, sites=("a", "b", "c", "d"))
    >>> diverse_from(design)["C1"], diverse_from(design, [RiskGroup.of("a duct N", [("a", "b"), ("a", "d")])])["C1"]
    ((), ('C0', 'C2'))
    """
    search = BridgeSearch(design)
    partners: dict[str, set[str]] = {k.circuit_id: set() for k in design.links}
    whole = search.without()
    if sum(bool(whole.inside[r]) for r in whole.roots) > 1:  # split already: every circuit "cuts sites off"
        return {circuit: () for circuit in partners}
    alone = {search.circuits[whole.via[v]] for v in _cutting_bridges(whole)}  # nothing to be diverse from
    for j, link in enumerate(design.links):
        if link.circuit_id in alone:
            continue
        forest = search.without({j})
        for v in _cutting_bridges(forest):
            other = design.links[forest.via[v]]
            if {other.a, other.b} & {link.a, link.b}:
                partners[link.circuit_id].add(other.circuit_id)
    cut = design_groups(design, groups)
    if cut:
        _diverse_from_groups(design, cut, alone, partners)
    return {circuit: tuple(sorted(found)) for circuit, found in partners.items()}


def _cutting_bridges(forest: Forest) -> list[int]:
    """The child ends of the forest's bridges with required sites on both sides."""
    inside, root_of = forest.inside, forest.root_of
    return [v for v in forest.bridges if 0 < inside[v] < inside[root_of[v]]]


def _diverse_from_groups(
    design: Design, groups: list[RiskGroup], alone: set[str], partners: dict[str, set[str]]
) -> None:
    """Add to ``partners`` each circuit whose loss with a group of ``groups`` (cut down to the design) would cut
    sites off, and the group's circuits at a site it shares with them, both ways round; not ``alone`` ones."""
    search = BridgeSearch(design)
    number = {k.circuit_id: j for j, k in enumerate(design.links)}
    for group in groups:
        lost = _held(design, group)
        trees = search.without({number[k.circuit_id] for k in lost}, map(search.index.get, group.sites))
        held = [k for k in lost if k.circuit_id not in alone]
        if sum(bool(trees.inside[r]) for r in trees.roots) > 1:
            continue  # the group alone cuts sites off: a group failure, not a matter of diversity
        for v in _cutting_bridges(trees):
            link = design.links[trees.via[v]]
            if link.circuit_id in alone:
                continue
            for k in held:
                if {k.a, k.b} & {link.a, link.b}:
                    partners[link.circuit_id].add(k.circuit_id)
                    partners[k.circuit_id].add(link.circuit_id)
