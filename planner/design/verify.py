"""Independent verification of a design with networkx.

Whatever algorithm produced a design, it is accepted only if this module agrees:
only candidate links are used, every required site is spanned, and the required
sites stay connected after the loss of any single link (``2edge``) or any single
site or link (``2node``). Optional sites may relay but need not be connected.
The architect's constraints (see :mod:`planner.design.hierarchy`) are checked too:
with two or more hubs, losing one hub leaves every site connected to another hub;
every required site is within ``max_hops`` links of a hub; every link lies on a
ring of at most ``max_ring`` links; the required sites left stay connected after the
loss of any one shared-risk group (every link it holds and every site, with its links).

With traffic, :func:`verify_capacity` routes every flow again with networkx (shortest
paths by metric, split evenly per next hop, in the normal state and after each
failure the redundancy level covers) and checks that no link carries more than
``max_utilisation`` of the capacity bought. It shares no code with the sizing in
:mod:`planner.design.capacity`.

The connectivity checks use networkx's bridges and articulation points, so they
cost linear time: a failure that matters must remove a bridge or an articulation
point. The hub check costs O(h (n + m)) for ``h`` hubs, the hop check O(n + m),
the ring check O(m (n + m)) and the group check O(n + m) per group that takes a site
or two or more of the design's links (losing one link is the ``2edge`` check).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from planner.design.problem import DesignProblem

__all__ = ["verify_design", "verify_capacity", "link_loads", "design_graph"]


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
    >>> p = DesignProblem(g, frozenset("abc"), frozenset(), DesignSettings("2edge"), 5)
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


def _loads_in(graph: nx.Graph, flows) -> dict[frozenset[str], float]:
    """The load on each link of ``graph`` when ``flows`` go by shortest paths on ``metric``, split per next hop."""
    by_target: dict[str, dict[str, float]] = {}
    for flow in flows:
        if flow.source not in graph:
            continue
        reach = nx.node_connected_component(graph, flow.source)
        target = next((t for t in flow.targets if t in reach), None)
        if target is not None:
            sources = by_target.setdefault(target, {})
            sources[flow.source] = sources.get(flow.source, 0.0) + flow.mbps
    loads = {frozenset(e): 0.0 for e in graph.edges}
    for target, sources in by_target.items():
        dist = nx.single_source_dijkstra_path_length(graph, target, weight="metric")
        amount = dict(sources)
        for site in sorted(dist, key=dist.get, reverse=True):
            if site == target or not amount.get(site):
                continue
            nexts = [y for y, data in graph.adj[site].items() if dist[site] == dist[y] + data["metric"]]
            for y in nexts:
                part = amount[site] / len(nexts)
                loads[frozenset((site, y))] += part
                amount[y] = amount.get(y, 0.0) + part
    return loads


def link_loads(problem: DesignProblem, links: Iterable[tuple[str, str]]) -> dict[str, dict[frozenset[str], float]]:
    """The load on every link of the design ``links`` in every failure state it must survive, by state name
    (``normal``, ``link a-b``, ``site x``, ``risk group g``)."""
    graph = nx.Graph()
    graph.add_nodes_from(problem.required)
    graph.add_edges_from((u, v, {"metric": problem.graph.edges[u, v]["metric"]}) for u, v in links)
    states: dict[str, nx.Graph] = {"normal": graph}
    if problem.redundancy in ("2edge", "2node"):
        for u, v in sorted(tuple(sorted(e)) for e in graph.edges):
            cut = graph.copy()
            cut.remove_edge(u, v)
            states[f"link {u}-{v}"] = cut
    if problem.redundancy == "2node":
        for site in sorted(graph):
            states[f"site {site}"] = graph.subgraph(n for n in graph if n != site)
    for group in problem.risk_groups:
        lost = [pair for pair in group.links if graph.has_edge(*pair)]
        states[f"risk group {group.name}"] = nx.restricted_view(graph, group.sites, lost)
    return {name: _loads_in(g, problem.flows) for name, g in states.items()}


def verify_capacity(problem: DesignProblem, capacity: dict[tuple[str, str], int]) -> list[str]:
    """Every way the links ``capacity`` (Mb/s bought per site pair) fail to carry the problem's flows
    within ``max_utilisation`` in some failure state (empty when they carry them all)."""
    if not problem.flows:
        return []
    limit = problem.settings.max_utilisation
    capacities = {frozenset(pair): mbps for pair, mbps in capacity.items()}
    problems = []
    for state, loads in link_loads(problem, capacity).items():
        for link, load in loads.items():
            if load > limit * capacities[link] + 1e-6:
                a, b = sorted(link)
                problems.append(
                    f"link {a}-{b} carries {load:,.1f} Mb/s in the {state} state: more than {limit:.0%} "
                    f"of its {capacities[link]:,} Mb/s"
                )
    return problems


def _risk_groups(problem: DesignProblem, graph: nx.Graph) -> list[str]:
    problems = []
    for group in problem.risk_groups:
        lost = [pair for pair in group.links if graph.has_edge(*pair)]
        sites = set(group.sites)
        if len(lost) < 2 and not sites:
            continue
        rest = nx.restricted_view(graph, sites, lost)
        left = problem.required - sites
        if not _required_connected(rest, left):
            parts = sorted((left & part for part in nx.connected_components(rest)), key=len)
            cut_off = sorted(set().union(*parts[:-1]) & left, key=str)
            shown = ", ".join(map(str, cut_off[:5])) + (" …" if len(cut_off) > 5 else "")
            problems.append(f"losing risk group {group.name} cuts off {shown}")
    return problems


#: The architect's constraints, each checked on the design graph.
_CONSTRAINT_CHECKS = (_dual_homing, _hops, _rings, _risk_groups)
