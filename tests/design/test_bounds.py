"""The cheap lower bounds against networkx's own answers."""

import math

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from planner.core.model import DesignSettings
from planner.design.bounds import degree_bound, mst_cost
from planner.design.problem import DesignProblem


@given(
    n=st.integers(1, 14),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 10_000),
    costs=st.lists(st.integers(0, 5 * 10**9), min_size=1, max_size=8),
)
def test_mst_cost_is_networkx_s_minimum_spanning_forest(n, density, seed, costs):
    """Any graph, disconnected or not, zero costs (existing links) included."""
    graph = nx.gnp_random_graph(n, density, seed=seed)
    for k, (u, v) in enumerate(graph.edges):
        graph.edges[u, v]["cost"] = costs[k % len(costs)]
    expected = sum(d["cost"] for _, _, d in nx.minimum_spanning_edges(graph, weight="cost", data=True))
    assert mst_cost(graph) == expected


@given(
    n=st.integers(1, 14),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 10_000),
    costs=st.lists(st.integers(0, 5 * 10**9), min_size=1, max_size=8),
    required=st.sets(st.integers(0, 13)),
)
def test_degree_bound_is_half_of_each_required_site_s_two_cheapest_links(n, density, seed, costs, required):
    graph = nx.gnp_random_graph(n, density, seed=seed)
    for k, (u, v) in enumerate(graph.edges):
        graph.edges[u, v]["cost"] = costs[k % len(costs)]
    problem = DesignProblem(graph, frozenset(required) & set(graph), frozenset(), DesignSettings("2edge"), 5)
    cheapest = [sorted(c for _, _, c in graph.edges(site, data="cost"))[:2] for site in problem.required]
    assert degree_bound(problem) == math.ceil(sum(map(sum, cheapest)) / 2)
