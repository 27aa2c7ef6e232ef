"""Designs that survive the loss of any one shared-risk group: optimal against brute force, every
method honouring the groups (checked here with networkx alone), ducts generated per compass quadrant."""

import random
from dataclasses import replace

import networkx as nx
import numpy as np
import pytest

from planner.core.errors import InfeasibleError
from planner.core.model import Demand, DesignSettings, Quote, RiskGroup
from planner.design import design_project
from planner.design.ducts import duct_groups
from planner.design.problem import build_problem
from planner.design.verify import link_loads, verify_design
from tests.factories import project_from_points, town_region


def survives_every_group(project, design) -> bool:
    """Whether the required sites left stay connected after each group is lost: links and sites removed."""
    graph = nx.Graph(link.pair for link in design.links)
    required = {s.id for s in project.sites if s.role != "optional"}
    for group in project.risk_groups:
        rest = graph.copy()
        rest.remove_edges_from(group.links)
        rest.remove_nodes_from(group.sites)
        left = required - set(group.sites)
        if left and not left <= nx.node_connected_component(rest, next(iter(left))):
            return False
    return True


def _cheapest_surviving(project, settings) -> int | None:
    """Brute force: the cheapest subset of candidate links that is 2edge/2node and survives every group."""
    problem = build_problem(project, settings)
    edges = list(problem.graph.edges(data="cost"))
    bits = (np.arange(1 << len(edges))[:, None] >> np.arange(len(edges))) & 1
    cost = bits @ np.array([c for *_, c in edges], dtype=np.int64)
    plain = replace(problem, risk_groups=())
    for i in np.argsort(cost, kind="stable"):
        chosen = [(a, b) for j, (a, b, _) in enumerate(edges) if bits[i, j]]
        if verify_design(plain, chosen):
            continue
        design = type("D", (), {"links": [type("L", (), {"pair": tuple(sorted(e))})() for e in chosen]})()
        if survives_every_group(project, design):
            return int(cost[i])
    return None


def _tiny(seed: int):
    """At most 7 sites, 12 quoted links, and 1-3 random groups of links (sometimes a site)."""
    rng = random.Random(seed)
    while True:
        n = rng.randint(4, 7)
        points = [(-1 + rng.random() * 0.8, 53 + rng.random() * 0.5) for _ in range(n)]
        level = rng.choice(["2edge", "2node"])
        project = project_from_points(points, settings=DesignSettings(level, time_limit=10))
        pairs = [(f"s{i}", f"s{j}") for i in range(n) for j in range(i + 1, n)]
        rng.shuffle(pairs)
        quoted = pairs[: rng.randint(n + 1, min(len(pairs), 12))]
        project.quotes = [Quote(a, b, rng.randint(1, 50) * 1000, rng.randint(1, 50) * 100) for a, b in quoted]
        project.risk_groups = [
            RiskGroup.of(f"g{k}", rng.sample(quoted, 2), [f"s{rng.randrange(n)}"] if rng.random() < 0.2 else [])
            for k in range(rng.randint(1, 3))
        ]
        optimum = _cheapest_surviving(project, project.settings)
        if optimum is not None:
            return project, optimum


@pytest.mark.parametrize("seed", range(12))
def test_exact_is_the_cheapest_design_surviving_every_group(seed):
    project, optimum = _tiny(seed)
    exact = design_project(project, replace(project.settings, method="exact"))
    assert exact.total_cost == optimum
    assert exact.proven_optimal and exact.lower_bound <= optimum
    assert survives_every_group(project, exact)
    assert exact.risk_groups == tuple(g.name for g in project.risk_groups)
    heuristic = design_project(project, replace(project.settings, method="heuristic"))
    assert heuristic.total_cost >= optimum and heuristic.lower_bound <= optimum
    assert survives_every_group(project, heuristic)


@pytest.mark.parametrize("method", ["exact", "heuristic", "quick", "auto"])
def test_every_method_survives_generated_ducts_on_a_town_region(method):
    project = town_region(30, seed=4)
    project.risk_groups = duct_groups(project)
    plain = design_project(replace(project, risk_groups=[]), DesignSettings("2edge", method=method, time_limit=20))
    design = design_project(project, DesignSettings("2edge", method=method, time_limit=20))
    assert design.verified and survives_every_group(project, design)
    assert not survives_every_group(project, plain)  # the ducts do change the design here
    candidates = build_problem(project).graph
    assert all(candidates.has_edge(*link.pair) for link in design.links)
    if method == "exact":
        assert design.proven_optimal and design.total_cost >= plain.total_cost


def test_a_group_whose_loss_cuts_the_candidates_is_refused_naming_it():
    project = project_from_points([(0, 51), (0.2, 51.1), (0.4, 51), (0.2, 50.8)])
    project.quotes = [Quote(a, b, 1000, 100) for a, b in [("s0", "s1"), ("s1", "s2"), ("s2", "s3"), ("s3", "s0")]]
    project.risk_groups = [RiskGroup.of("Bridge", [("s0", "s1"), ("s0", "s3")])]
    with pytest.raises(InfeasibleError, match="risk group Bridge.*s0"):
        design_project(project, DesignSettings("2edge"))
    project.risk_groups = [RiskGroup.of("Exchange", sites=["s1", "s3"])]
    with pytest.raises(InfeasibleError, match="risk group Exchange"):
        design_project(project, DesignSettings("2edge"))


def test_groups_are_left_out_of_trees_and_when_the_settings_say_so():
    project = town_region(10, seed=2)
    project.risk_groups = duct_groups(project)
    tree = design_project(project, DesignSettings("tree"))
    assert tree.risk_groups == ()
    off = design_project(project, DesignSettings("2edge", survive_risk_groups=False))
    plain = design_project(replace(project, risk_groups=[]), DesignSettings("2edge"))
    assert off.total_cost == plain.total_cost and off.risk_groups == ()


def test_a_lost_exchange_site_takes_its_links_and_the_rest_stay_connected():
    project = town_region(12, seed=5)
    exchange = project.sites[3].id
    project.risk_groups = [RiskGroup.of("Exchange", sites=[exchange])]
    design = design_project(project, DesignSettings("2edge", method="exact"))
    graph = nx.Graph(link.pair for link in design.links)
    graph.remove_node(exchange)
    assert nx.is_connected(graph) and len(graph) == 11


def test_the_verifier_names_the_group_whose_loss_cuts_sites_off():
    project = project_from_points([(0, 51), (0.2, 51.1), (0.4, 51), (0.2, 50.8)])
    project.risk_groups = [RiskGroup.of("Duct A", [("s0", "s1"), ("s0", "s3")])]
    problem = build_problem(project, DesignSettings("2edge"))
    ring = [("s0", "s1"), ("s1", "s2"), ("s2", "s3"), ("s0", "s3")]
    assert verify_design(problem, ring) == ["losing risk group Duct A cuts off s0"]
    assert verify_design(problem, [*ring, ("s0", "s2")]) == []


def test_circuits_are_sized_for_the_loss_of_each_group():
    project = town_region(8, seed=3, radius_deg=0.5)
    a, b = project.sites[0].id, project.sites[5].id
    project.demands = [Demand(a, b, 4000)]
    project.risk_groups = duct_groups(project)
    design = design_project(project, DesignSettings("2edge", method="exact"))
    problem = build_problem(project, DesignSettings("2edge"))
    assert any(name.startswith("risk group") for name in link_loads(problem, [k.pair for k in design.links]))
    capacity = {k.pair: k.capacity_mbps for k in design.links}
    for state, loads in link_loads(problem, list(capacity)).items():
        for link, load in loads.items():
            assert load <= 0.8 * capacity[tuple(sorted(link))] + 1e-6, state


def test_ducts_group_the_links_leaving_each_site_by_compass_quadrant():
    # a plus shape: the centre's four arms leave in four quadrants; the tips in one or two
    project = project_from_points([(0, 51), (0.3, 51.2), (0.3, 50.8), (-0.3, 50.8), (-0.3, 51.2), (0.6, 51.4)])
    groups = {g.name: g for g in duct_groups(project)}
    assert groups["s0 duct NE"].links == (("s0", "s1"), ("s0", "s5"))
    assert not any(name.startswith("s0 duct S") for name in groups)  # one link each way: no shared duct
    # s5, the north-east corner, sends every link south-west: split in two ducts, so it can be served twice
    corner = [g for name, g in groups.items() if name.startswith("s5 ")]
    assert [g.name for g in corner] == ["s5 duct 1", "s5 duct 2"]
    assert sum(len(g.links) for g in corner) == 5 and "split in two" in corner[0].note
    assert all(len(g.links) >= 2 for g in groups.values())
    design_project(replace(project, risk_groups=list(groups.values())), DesignSettings("2edge"))  # survivable
