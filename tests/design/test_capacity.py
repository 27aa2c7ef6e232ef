"""Routing, sizing and the capacity-aware design: loads as the routers would carry them, the cheapest
tier or bundle for every link, and designs that carry every demand in every failure state."""

import random
from dataclasses import replace

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.errors import InfeasibleError
from planner.core.model import Demand, DesignSettings, ExistingLink, Partner, Project, Quote, Site
from planner.core.tariff import CircuitCost, Tariff, Tier, cheapest_option
from planner.core.traffic import Flow
from planner.design import design_project
from planner.design.capacity import PriceTable, State, route, route_masks, size_links
from planner.design.control import Control
from planner.design.heuristic import solve_heuristic
from planner.design.joint import _Pricer
from planner.design.problem import DesignProblem, build_problem
from planner.design.verify import link_loads, verify_capacity
from tests.factories import town_region


def _problem(edges, flows, level="2edge", metric=None, utilisation=0.8) -> DesignProblem:
    graph = nx.Graph()
    for u, v in edges:
        graph.add_edge(u, v, metric=(metric or {}).get((u, v), 10), prices=Tariff().prices(8.0), cost=1)
    return DesignProblem(
        graph, frozenset(graph), frozenset(), DesignSettings(level, max_utilisation=utilisation), 5, flows=flows
    )


def _loads(routing, state):
    s = routing.states.index(state)
    return {pair: round(float(routing.loads[s, e]), 9) for e, pair in enumerate(routing.pairs)}


def test_equal_cost_paths_share_the_traffic_evenly_at_the_site_where_they_part():
    square = [("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")]
    problem = _problem(square, (Flow("c", ("a",), 100.0),))
    normal = _loads(route(problem, square), State("normal"))
    assert normal == {("a", "b"): 50.0, ("b", "c"): 50.0, ("c", "d"): 50.0, ("a", "d"): 50.0}


def test_after_a_cut_traffic_goes_the_long_way_round_and_sets_the_worst_load():
    ring = [("hq", "a"), ("a", "b"), ("b", "c"), ("c", "hq")]
    problem = _problem(ring, (Flow("a", ("hq",), 300.0), Flow("b", ("hq",), 200.0), Flow("c", ("hq",), 100.0)))
    sizing = size_links(problem, ring)
    # Cut hq-a: all 600 Mb/s arrive over c-hq; cut c-hq: 600 over hq-a.
    assert sizing.worst[("a", "hq")] == pytest.approx(600.0)
    assert sizing.worst_state[("a", "hq")] == State("link", ("c", "hq"))
    assert sizing.worst[("c", "hq")] == pytest.approx(600.0)
    # 600 Mb/s at 80% fits one 1G circuit (800 usable).
    assert {sizing.options[p].label for p in sizing.options} == {"1G"}


def test_lower_metrics_attract_the_traffic():
    ring = [("hq", "a"), ("a", "b"), ("b", "hq")]
    problem = _problem(ring, (Flow("a", ("hq",), 100.0),), metric={("hq", "a"): 30})
    normal = _loads(route(problem, ring), State("normal"))
    assert normal[("a", "hq")] == 0.0 and normal[("a", "b")] == 100.0  # 10 + 10 beats 30


def test_a_site_fails_over_to_its_next_hub_when_its_hub_is_lost():
    edges = [("dc1", "s"), ("s", "dc2"), ("dc1", "dc2")]
    problem = _problem(edges, (Flow("s", ("dc1", "dc2"), 400.0),), level="2node")
    routing = route(problem, edges)
    assert _loads(routing, State("normal"))[("dc1", "s")] == 400.0
    after = _loads(routing, State("site", "dc1"))
    assert after[("dc2", "s")] == 400.0 and after[("dc1", "s")] == 0.0
    lost = routing.states.index(State("site", "s"))
    assert not routing.carried[lost].any()  # its own site lost: nothing to carry


def test_each_link_gets_the_cheapest_tier_or_bundle_for_its_worst_load():
    edges = [("hq", "a"), ("a", "b"), ("b", "hq")]
    for load, expected in ((700, "1G"), (1400, "2x1G"), (7000, "10G"), (15000, "2x10G")):
        problem = _problem(edges, (Flow("a", ("hq",), float(load)),))
        assert size_links(problem, edges).options[("a", "hq")].label == expected


def test_a_load_no_tier_can_carry_names_the_link_and_the_failure():
    edges = [("a", "b"), ("hq", "a"), ("b", "hq")]
    problem = _problem(edges, (Flow("a", ("hq",), 200_000.0),))
    with pytest.raises(InfeasibleError, match=r"link a-b would carry 200,000 Mb/s after losing link a-hq: more than"):
        size_links(problem, edges)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("level", ["2edge", "2node"])
def test_the_router_agrees_with_an_independent_networkx_routing_in_every_state(seed, level):
    project = _region(24, seed)
    problem = build_problem(project, DesignSettings(level))
    if seed % 2:  # equal metrics everywhere: many ties to split
        for _, _, data in problem.graph.edges(data=True):
            data["metric"] = 1
    edges = {tuple(sorted(e)) for e in solve_heuristic(problem, Control(5)).edges}
    edges |= {tuple(sorted(e)) for e in random.Random(seed).sample(sorted(problem.graph.edges), 6)}
    routing = route(problem, sorted(edges))
    reference = link_loads(problem, sorted(edges))
    for s, state in enumerate(routing.states):
        name = {"normal": "normal", "link": "link {0}-{1}", "site": "site {0}"}[state.kind]
        name = name.format(*(state.element if state.kind == "link" else [state.element]))
        for e, pair in enumerate(routing.pairs):
            assert routing.loads[s, e] == pytest.approx(reference[name].get(frozenset(pair), 0.0), abs=1e-6)


def _region(n: int, seed: int, hubs=(0, 5)) -> Project:
    """Real towns, two data centres, every other site sending 50-800 Mb/s to its nearest one."""
    project = town_region(n, seed=seed)
    rng = random.Random(seed)
    project.sites = [
        replace(s, role="hub" if i in hubs else "site", demand_mbps=0 if i in hubs else rng.choice([50, 200, 800]))
        for i, s in enumerate(project.sites)
    ]
    project.demands = [Demand(project.sites[hubs[0]].id, project.sites[hubs[1]].id, 2000)]
    return project


@pytest.mark.parametrize("level", ["2edge", "2node"])
def test_a_design_with_traffic_carries_it_in_every_failure_state_and_beats_topology_first(level):
    project = _region(16, 7)
    design = design_project(project, DesignSettings(level, method="heuristic", time_limit=20))
    assert design.verified and design.sized_topology_cost is not None
    assert design.total_cost <= design.sized_topology_cost
    assert design.lower_bound <= design.total_cost
    assert design.total_cost == sum(k.total(design.term_years) for k in design.links)
    problem = build_problem(project, DesignSettings(level))
    capacity = {k.pair: k.capacity_mbps for k in design.links}
    assert verify_capacity(problem, capacity) == []
    for link in design.links:
        assert link.worst_load_mbps <= 0.8 * link.capacity_mbps + 1e-6
        assert link.load_mbps <= link.worst_load_mbps + 1e-6
        assert link.metric == link.route_km
    assert any(k.worst_failure for k in design.links)
    # The check can fail: a link one tier short of its worst load is caught.
    worst = max(design.links, key=lambda k: k.worst_load_mbps)
    short = {**capacity, worst.pair: int(worst.worst_load_mbps / 0.8) - 1}
    assert any(f"link {worst.pair[0]}-{worst.pair[1]} carries" in p for p in verify_capacity(problem, short))


def test_without_traffic_every_link_is_the_smallest_tier_at_its_topology_price():
    project = town_region(12, seed=2)
    design = design_project(project, DesignSettings("2edge", method="heuristic"))
    assert {k.bandwidth for k in design.links} == {"1G"}
    assert all(k.load_mbps == 0 and k.worst_failure == "" for k in design.links)
    assert design.sized_topology_cost is None
    slower = replace(project, tariff=replace(project.tariff, min_tier="100M"))
    cheaper = design_project(slower, DesignSettings("2edge", method="heuristic"))
    assert {k.bandwidth for k in cheaper.links} == {"100M"} and cheaper.total_cost < design.total_cost


def _three_sites(**extra) -> Project:
    return Project(
        partners=[Partner("P", "Police")],
        sites=[
            Site("hq", "HQ", "P", -1.50, 53.80, "hub"),
            Site("a", "A", "P", -1.45, 53.70, demand_mbps=900),
            Site("b", "B", "P", -1.40, 53.75),
        ],
        **extra,
    )


def test_only_quoted_tiers_are_bought_when_quotes_are_given():
    quotes = [Quote(x, y, 100_000, 50_000, "BT") for x, y in (("hq", "a"), ("a", "b"), ("b", "hq"))]
    quotes.append(Quote("hq", "a", 200_000, 80_000, "BT", "10G"))
    design = design_project(_three_sites(quotes=quotes), DesignSettings("2edge"))
    bought = {k.pair: k.bandwidth for k in design.links}
    assert bought[("a", "hq")] == "10G"  # 900 Mb/s: 2x1G quoted at 2x would cost more than the 10G quote
    assert bought[("a", "b")] == "2x1G" and bought[("b", "hq")] == "2x1G"  # no 10G quote on those pairs
    assert all(k.source == "quote" for k in design.links)


def test_an_existing_circuit_is_kept_while_it_carries_the_load_and_replaced_when_it_cannot():
    small = _three_sites(existing_links=[ExistingLink("hq", "a", "P", bandwidth="1G")])
    small.sites[1] = replace(small.sites[1], demand_mbps=500)
    kept = {k.pair: k for k in design_project(small, DesignSettings("2edge")).links}[("a", "hq")]
    assert kept.source == "existing" and kept.install == 0 and kept.role == "existing"
    big = replace(small, sites=[*small.sites[:1], replace(small.sites[1], demand_mbps=5000), small.sites[2]])
    replaced = {k.pair: k for k in design_project(big, DesignSettings("2edge")).links}[("a", "hq")]
    assert replaced.source == "tariff" and replaced.bandwidth == "10G" and replaced.role != "existing"


_TIERS = [Tier("100M", 100, 1), Tier("1G", 1_000, 1), Tier("10G", 10_000, 1)]


@settings(max_examples=60, deadline=None)
@given(
    offers=st.lists(
        st.tuples(st.sampled_from(_TIERS), st.integers(1, 10**7), st.sampled_from(["tariff", "quote", "existing"])),
        min_size=1,
        max_size=4,
    ),
    loads=st.lists(st.floats(0, 200_000, allow_nan=False), min_size=1, max_size=8),
    utilisation=st.floats(0.1, 1.0),
)
def test_the_vectorised_price_table_charges_what_the_cheapest_option_does(offers, loads, utilisation):
    prices = tuple((tier, CircuitCost(install, 3 * install), source) for tier, install, source in offers)
    graph = nx.Graph([("a", "b", {"prices": prices})])
    problem = DesignProblem(graph, frozenset(graph), frozenset(), DesignSettings(max_utilisation=utilisation), 5)
    costs = PriceTable.of(problem, [("a", "b")]).costs(np.array([[load] for load in loads]))
    for load, cost in zip(loads, costs[:, 0], strict=True):
        option = cheapest_option(prices, load, utilisation, 5)
        assert cost == (np.inf if option is None else option.total(5))


@pytest.mark.parametrize("level", ["2edge", "2node"])
def test_many_candidate_designs_routed_at_once_cost_what_each_costs_alone(level):
    project = _region(18, 3)
    problem = build_problem(project, DesignSettings(level))
    design = sorted(tuple(sorted(e)) for e in solve_heuristic(problem, Control(5)).edges)
    extra = random.Random(3).sample(sorted(set(map(tuple, map(sorted, problem.graph.edges))) - set(design)), 5)
    pricer = _Pricer(problem, sorted(set(design) | set(extra)))
    candidates = [design, *(sorted([*design, pair]) for pair in extra), design[1:]]
    costs = pricer.costs([pricer.mask(c) for c in candidates])
    for candidate, cost in zip(candidates, costs, strict=True):
        try:
            assert cost == size_links(problem, candidate).cost
        except InfeasibleError:
            assert cost == np.inf
    # A row with a link switched off routes as the design without that link.
    without = route_masks(problem, pricer.universe, pricer.mask(design[1:])[None])[0][0]
    alone = route(problem, design[1:], [State("normal")])
    for e, pair in enumerate(alone.pairs):
        assert without[pricer.column[pair]] == pytest.approx(alone.loads[0, e])
