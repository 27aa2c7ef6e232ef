"""What a single failure does to a design, and which circuits must be routed apart.

A *failure* removes one circuit (a cable cut) or one site (a fire, a power cut)
from the design. After it, the required sites that can no longer reach the main
part of the network — the part holding most of the required sites — are *cut off*.
A ``2edge`` design cuts no one off after any link failure; a ``2node`` design after
any site failure either; a ``tree`` cuts someone off after every link failure.

Two circuits are *diverse from* each other when they leave the same site and
losing both together would cut required sites off: a pair of cuts of the design
graph that meet at a building. A single trench or duct entry there would take
out both, so procurement orders them on physically separate routes (an RO2-style
resilience option). Pairs that meet at no site are far apart by construction and
are not listed, so a long ring names each circuit's two neighbours rather than
every other circuit of the ring. A circuit that is a cut on its own (every link
of a ``tree``) has nothing to be diverse from.

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
bridges left after each circuit's loss, also O(m (n + m)). A 60-circuit design
takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import networkx as nx

from planner.core.design_result import Design

__all__ = ["Failure", "Outage", "link_failures", "site_failures", "single_failures", "outage", "diverse_from"]


@dataclass(frozen=True)
class Failure:
    """The effect of losing one circuit or one site.

    ``element`` is the circuit id or site id lost; ``cut_off`` the required sites
    that can no longer reach the main part; ``detour_hops`` (links only) the number
    of circuits on the shortest way round between the lost circuit's two ends, or
    ``None`` when there is none.
    """

    kind: Literal["link", "site"]
    element: str
    cut_off: tuple[str, ...]
    detour_hops: int | None = None

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


def _graph(design: Design) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(design.sites)
    graph.add_edges_from((k.a, k.b, {"circuit": k.circuit_id}) for k in design.links)
    return graph


def _required(design: Design) -> set[str]:
    return set(design.sites) or {n for k in design.links for n in (k.a, k.b)}


def _cut_off(graph: nx.Graph, required: set[str]) -> tuple[str, ...]:
    """Required sites outside the component holding most of them (ties: the smallest site id)."""
    parts = [part & required for part in nx.connected_components(graph)]
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return ()
    main = min(parts, key=lambda p: (-len(p), min(p)))
    return tuple(sorted(required - main))


def link_failures(design: Design) -> list[Failure]:
    """The effect of losing each circuit of ``design`` in turn, in circuit order."""
    graph, required = _graph(design), _required(design)
    bridges = {frozenset(e) for e in nx.bridges(graph)}
    failures = []
    for link in design.links:
        if frozenset((link.a, link.b)) not in bridges:
            graph.remove_edge(link.a, link.b)
            hops = nx.shortest_path_length(graph, link.a, link.b)
            graph.add_edge(link.a, link.b, circuit=link.circuit_id)
            failures.append(Failure("link", link.circuit_id, (), hops))
            continue
        graph.remove_edge(link.a, link.b)
        failures.append(Failure("link", link.circuit_id, _cut_off(graph, required)))
        graph.add_edge(link.a, link.b, circuit=link.circuit_id)
    return failures


def site_failures(design: Design) -> list[Failure]:
    """The effect of losing each site of ``design`` in turn (the lost site itself is not counted as cut off)."""
    graph, required = _graph(design), _required(design)
    cuts = set(nx.articulation_points(graph))
    failures = []
    for site in sorted(graph):
        if site not in cuts:
            failures.append(Failure("site", site, ()))
            continue
        rest = graph.subgraph(n for n in graph if n != site)
        failures.append(Failure("site", site, _cut_off(rest, required - {site})))
    return failures


def single_failures(design: Design) -> list[Failure]:
    """Every single failure a board should see: each circuit, and each site for a ``2node`` design."""
    failures = link_failures(design)
    if design.redundancy == "2node":
        failures += site_failures(design)
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
    graph, required = _graph(design), _required(design)
    cut = tuple(dict.fromkeys(circuits))
    lost = [design.link(c) for c in cut]
    graph.remove_edges_from((k.a, k.b) for k in lost)
    detours = {}
    for k in lost:
        if nx.has_path(graph, k.a, k.b):
            path = nx.shortest_path(graph, k.a, k.b)
            detours[k.circuit_id] = tuple(graph.edges[u, v]["circuit"] for u, v in pairwise(path))
    return Outage(cut, _cut_off(graph, required), detours)


def _disconnects(graph: nx.Graph, edges: Iterable[tuple[str, str]], required: set[str]) -> bool:
    removed = [(u, v, graph.edges[u, v]) for u, v in edges]
    graph.remove_edges_from(removed)
    split = bool(_cut_off(graph, required))
    graph.add_edges_from(removed)
    return split


def diverse_from(design: Design) -> dict[str, tuple[str, ...]]:
    """For each circuit, the circuits that share a site with it and form a cut with it (see the module notes)."""
    graph, required = _graph(design), _required(design)
    # Only a bridge can split a design that is whole: the others need no search of their own.
    whole, bridges = not _cut_off(graph, required), {frozenset(b) for b in nx.bridges(graph)}
    result: dict[str, tuple[str, ...]] = {}
    for link in design.links:
        e = (link.a, link.b)
        partners: set[str] = set()
        might_split = frozenset(e) in bridges or not whole
        if not (might_split and _disconnects(graph, [e], required)):
            data = graph.edges[e]
            graph.remove_edge(*e)
            for u, v in nx.bridges(graph):
                if {u, v} & set(e) and _disconnects(graph, [(u, v)], required):
                    partners.add(graph.edges[u, v]["circuit"])
            graph.add_edge(*e, **data)
        result[link.circuit_id] = tuple(sorted(partners))
    return result
