"""Independent verification of a design with networkx.

Whatever algorithm produced a design, it is accepted only if this module agrees:
only candidate links are used, every required site is spanned, and the required
sites stay connected after the loss of any single link (``2edge``) or any single
site or link (``2node``). Optional sites may relay but need not be connected.

The checks use networkx's bridges and articulation points, so they cost linear
time: a failure that matters must remove a bridge or an articulation point.
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
    return problems
