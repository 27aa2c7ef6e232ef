"""Independent verification of a design with networkx.

Whatever algorithm produced a design, it is accepted only if this module agrees:
only candidate links are used, every required site is spanned, and the required
sites stay connected after the loss of any single link (``2edge``) or any single
site or link (``2node``). Optional sites may relay but need not be connected.
The architect's constraints (see :mod:`planner.design.hierarchy`) are checked too:
with two or more hubs, losing one hub leaves every site connected to another hub;
every required site is within ``max_hops`` links of a hub; every link lies on a
ring of at most ``max_ring`` links.

The connectivity checks use networkx's bridges and articulation points, so they
cost linear time: a failure that matters must remove a bridge or an articulation
point. The hub check costs O(h (n + m)) for ``h`` hubs, the hop check O(n + m) and
the ring check O(m (n + m)).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from planner.design.problem import DesignProblem

__all__ = ["verify_design", "design_graph"]


def design_graph(problem: DesignProblem, edges: Iterable[tuple[str, str]]) -> nx.Graph:
    """The chosen links as a graph holding every required site."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(problem.required, key=str))
    graph.add_edges_from(edges)
    return graph


def _required_connected(graph: nx.Graph, required: frozenset[str]) -> bool:
    alive = [r for r in required if r in graph]
    if len(alive) <= 1:
        return True
    reached = nx.node_connected_component(graph, alive[0])
    return all(r in reached for r in alive)


def verify_design(problem: DesignProblem, edges: Iterable[tuple[str, str]]) -> list[str]:
    """Every way the design ``edges`` fails ``problem`` (empty when it is valid).

    Examples
    --------
    >>> import networkx as nx
    >>> from planner.core.model import DesignSettings
    >>> g = nx.cycle_graph(["a", "b", "c"])
    >>> p = DesignProblem(g, frozenset("abc"), frozenset(), DesignSettings("2edge"), 5, "1G")
    >>> verify_design(p, [("a", "b"), ("b", "c"), ("c", "a")])
    []
    >>> verify_design(p, [("a", "b"), ("b", "c")])[0]
    'losing link a-b disconnects required sites'
    """
    edges = list(edges)
    problems: list[str] = []
    seen = set()
    for u, v in edges:
        key = frozenset((u, v))
        if key in seen:
            problems.append(f"link {u}-{v} is chosen twice")
        seen.add(key)
        if not problem.graph.has_edge(u, v):
            problems.append(f"link {u}-{v} is not a permitted candidate")
    graph = design_graph(problem, edges)
    required = problem.required
    if not _required_connected(graph, required):
        problems.append("the required sites are not all connected")
        return problems
    redundancy = problem.redundancy
    if redundancy in ("2edge", "2node"):
        # A bridge is a biconnected component of one link (several times faster than nx.bridges).
        bridges = [block[0] for block in nx.biconnected_component_edges(graph) if len(block) == 1]
        for u, v in sorted(bridges, key=lambda link: sorted(map(str, link))):
            graph.remove_edge(u, v)
            if not _required_connected(graph, required):
                problems.append(f"losing link {min(u, v)}-{max(u, v)} disconnects required sites")
            graph.add_edge(u, v)
    if redundancy == "2node":
        for site in list(nx.articulation_points(graph)):
            rest = graph.subgraph(n for n in graph if n != site)
            if not _required_connected(rest, required - {site}):
                problems.append(f"losing site {site} disconnects the other required sites")
    for check in _CONSTRAINT_CHECKS:
        problems += check(problem, graph)
    return problems


def _dual_homing(problem: DesignProblem, graph: nx.Graph) -> list[str]:
    if problem.redundancy != "2edge" or len(problem.hubs) < 2:
        return []
    problems = []
    for hub in sorted(problem.hubs, key=str):
        rest = graph.subgraph(n for n in graph if n != hub)
        homed = set().union(*(part for part in nx.connected_components(rest) if not part.isdisjoint(problem.hubs)))
        for site in sorted(problem.required - problem.hubs - homed, key=str):
            problems.append(f"losing hub {hub} cuts site {site} off from every other hub")
    return problems


def _hops(problem: DesignProblem, graph: nx.Graph) -> list[str]:
    limit = problem.settings.max_hops
    if limit is None:
        return []
    hubs = [h for h in problem.hubs if h in graph]
    hops = nx.multi_source_dijkstra_path_length(graph, hubs, weight=lambda u, v, d: 1) if hubs else {}
    problems = []
    for site in sorted(problem.required, key=str):
        if site not in hops:
            problems.append(f"site {site} reaches no hub")
        elif hops[site] > limit:
            problems.append(f"site {site} is {hops[site]} links from the nearest hub (at most {limit} allowed)")
    return problems


def _rings(problem: DesignProblem, graph: nx.Graph) -> list[str]:
    limit = problem.settings.max_ring
    if limit is None:
        return []
    problems = []
    for u, v in list(graph.edges):
        graph.remove_edge(u, v)
        detour = nx.single_source_shortest_path_length(graph, u, cutoff=limit - 1)
        graph.add_edge(u, v)
        if v not in detour:
            problems.append(f"link {min(u, v)}-{max(u, v)} lies on no ring of at most {limit} links")
    return problems


#: The architect's constraints, each checked on the design graph.
_CONSTRAINT_CHECKS = (_dual_homing, _hops, _rings)
