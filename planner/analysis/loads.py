"""The traffic on a finished design: what each circuit carries, after any failure, and for whom.

A design holds each circuit's metric and capacity, so the traffic can be routed on it
again by the routing rule of :mod:`planner.design.capacity` without the candidate graph:
for the presenter (what a cut does to the loads) and the Resilience sheet (the most loaded
circuit in each failure state).

>>> from planner.core.design_result import Design, DesignLink
>>> from planner.core.model import Partner, Project, Site
>>> p = Project(partners=[Partner("P", "P")], sites=[Site("hq", "HQ", "P", 0, 51, "hub"),
...     Site("a", "A", "P", 0.1, 51, demand_mbps=600), Site("b", "B", "P", 0.1, 51.1)])
>>> ring = tuple(DesignLink(f"C{i}", x, y, 9, 12, 0, 0, capacity_mbps=1000, metric=12)
...              for i, (x, y) in enumerate([("hq", "a"), ("a", "b"), ("b", "hq")]))
>>> d = Design("2edge", ring, 0, 0, 5, sites=("a", "b", "hq"))
>>> cut = traffic_outage(p, d, ["C0"])
>>> cut.loads["C1"], cut.overloaded
(600.0, ())
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import networkx as nx

from planner.core.design_result import Design
from planner.core.model import DesignSettings, Project
from planner.core.traffic import Flow, flows
from planner.design.capacity import LOAD_TOLERANCE, State, route
from planner.design.problem import DesignProblem

__all__ = ["TrafficOutage", "FailurePeak", "traffic_outage", "design_flows", "routing_problem"]


def design_flows(project: Project, design: Design) -> tuple[Flow, ...]:
    """The project's flows from sites the design connects (a site added since has no circuits yet)."""
    inside = set(design.sites) | {end for k in design.links for end in (k.a, k.b)}
    return tuple(f for f in flows(project) if f.source in inside)


def routing_problem(design: Design, traffic: tuple[Flow, ...]) -> DesignProblem:
    """The design's own links as a routing problem (metrics only: nothing is priced)."""
    graph = nx.Graph()
    graph.add_nodes_from(design.sites)
    graph.add_edges_from((k.a, k.b, {"metric": k.metric}) for k in design.links)
    settings = replace(DesignSettings(), redundancy=design.redundancy)
    return DesignProblem(graph, frozenset(design.sites), frozenset(), settings, design.term_years, flows=traffic)


@dataclass(frozen=True)
class TrafficOutage:
    """The loads after circuits ``cut`` are lost together: by circuit id (Mb/s each way), the circuits
    that would then carry more than ``max_utilisation`` of their capacity, and the flows not carried."""

    cut: tuple[str, ...]
    loads: dict[str, float]
    overloaded: tuple[str, ...]
    not_carried: tuple[Flow, ...]


def traffic_outage(
    project: Project, design: Design, cut: Iterable[str], max_utilisation: float | None = None
) -> TrafficOutage:
    """Route the project's traffic on ``design`` without the circuits ``cut`` (none: the normal state)."""
    cut = tuple(dict.fromkeys(cut))
    limit = project.settings.max_utilisation if max_utilisation is None else max_utilisation
    by_id = {k.circuit_id: k for k in design.links}
    traffic = design_flows(project, design)
    problem = routing_problem(design, traffic)
    state = State("links", tuple(by_id[c].pair for c in cut)) if cut else State("normal")
    routing = route(problem, [k.pair for k in design.links], [state])
    index = {pair: e for e, pair in enumerate(routing.pairs)}
    loads = {k.circuit_id: float(routing.loads[0, index[k.pair]]) for k in design.links}
    over = tuple(
        k.circuit_id
        for k in design.links
        if k.circuit_id not in cut and loads[k.circuit_id] > limit * k.capacity_mbps + LOAD_TOLERANCE
    )
    lost = tuple(f for f, carried in zip(traffic, routing.carried[0], strict=True) if not carried)
    return TrafficOutage(cut, loads, over, lost)


@dataclass(frozen=True)
class FailurePeak:
    """In one failure state the design must survive: its most loaded circuit and how full it is."""

    failure: str
    circuit_id: str
    load_mbps: float
    utilisation: float
