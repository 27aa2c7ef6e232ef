"""``carried_flows`` (one pass per destination) against each flow routed alone by networkx."""

from __future__ import annotations

import random
from dataclasses import replace

import networkx as nx
import pytest

from planner.analysis.carried import carried_flows
from planner.core.design_result import Design, DesignLink
from planner.core.model import Demand, Partner, Project, Site
from tests.factories import carried_by_each_flow


def _case(seed: int) -> tuple[Project, Design]:
    """A random connected design with small metrics (so equal-cost paths are common), hubs, and both kinds
    of demand; a site the design does not reach yet has traffic too."""
    rng = random.Random(seed)
    n = rng.randint(4, 14)
    graph = nx.random_labeled_tree(n, seed=seed)
    for _ in range(rng.randint(0, n)):
        u, v = rng.sample(range(n), 2)
        graph.add_edge(u, v)
    partners = [Partner("P", "P"), Partner("Q", "Q")]
    hubs = set(rng.sample(range(n), 2))
    sites = [
        Site(f"s{i}", f"S{i}", "P" if i % 3 else "Q", i * 0.01, 51 + i * 0.01, "hub" if i in hubs else "site")
        for i in range(n)
    ]
    sites = [replace(s, demand_mbps=rng.choice([0, 10, 75])) for s in sites]
    sites.append(Site("new", "New", "P", 0.5, 51.5, demand_mbps=40))  # not in the design yet
    project = Project(partners=partners, sites=sites)
    project.sites = [s if _targets(s, sites) else replace(s, demand_mbps=0) for s in sites]
    pairs = {tuple(sorted(rng.sample(range(n), 2))) for _ in range(rng.randint(0, 6))}
    project.demands = [Demand(f"s{a}", f"s{b}", rng.choice([5, 120, 900])) for a, b in sorted(pairs)]
    links = tuple(
        DesignLink(f"C{e:04d}", f"s{u}", f"s{v}", 1.0, 1, 0, 0, metric=rng.choice([1, 1, 2, 3]))
        for e, (u, v) in enumerate(sorted(tuple(sorted(edge)) for edge in graph.edges))
    )
    return project, Design("2edge", links, 0, 0, 5, sites=tuple(f"s{i}" for i in range(n)))


def _targets(site: Site, sites: list[Site]) -> bool:
    """Whether ``site``'s traffic to its hubs has somewhere to go (its partner has another hub)."""
    return any(h.role == "hub" and h.partner == site.partner and h.id != site.id for h in sites)


@pytest.mark.parametrize("seed", range(40))
def test_carried_flows_match_routing_each_flow_alone(seed):
    project, design = _case(seed)
    checked = 0
    for link in design.links:
        fast = carried_flows(project, design, link.circuit_id)
        slow = carried_by_each_flow(project, design, link.circuit_id)
        assert [f for f, _ in fast] == [f for f, _ in slow], link.circuit_id
        assert [mbps for _, mbps in fast] == pytest.approx([mbps for _, mbps in slow], abs=1e-9), link.circuit_id
        checked += len(fast)
    assert checked or not (project.demands or any(s.demand_mbps for s in project.sites))


def test_an_unknown_circuit_is_refused():
    project, design = _case(1)
    with pytest.raises(KeyError):
        carried_flows(project, design, "C9999")
