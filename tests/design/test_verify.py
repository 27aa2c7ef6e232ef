import networkx as nx
import pytest

from planner.core.model import DesignSettings
from planner.design.problem import DesignProblem
from planner.design.verify import verify_design


def _problem(graph: nx.Graph, redundancy: str, optional=()) -> DesignProblem:
    required = frozenset(n for n in graph if n not in optional)
    return DesignProblem(graph, required, frozenset(), DesignSettings(redundancy), 5)


def test_verify_accepts_a_ring_at_every_level():
    ring = nx.cycle_graph(6)
    for level in ("tree", "2edge", "2node"):
        assert verify_design(_problem(nx.complete_graph(6), level), ring.edges) == []


def test_verify_rejects_links_that_are_not_candidates_and_repeats():
    problems = verify_design(_problem(nx.path_graph(4), "tree"), [(0, 1), (1, 2), (2, 3), (0, 3), (1, 0)])
    assert "link 0-3 is not a permitted candidate" in problems
    assert "link 1-0 is chosen twice" in problems


def test_verify_rejects_unspanned_sites():
    assert verify_design(_problem(nx.complete_graph(4), "tree"), [(0, 1), (1, 2)]) == [
        "the required sites are not all connected"
    ]


def test_two_triangles_sharing_a_site_survive_link_cuts_but_not_site_loss():
    bowtie = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 2)]
    graph = nx.complete_graph(5)
    assert verify_design(_problem(graph, "2edge"), bowtie) == []
    assert verify_design(_problem(graph, "2node"), bowtie) == ["losing site 2 disconnects the other required sites"]


@pytest.mark.parametrize("level", ["2edge", "2node"])
def test_optional_relays_need_not_be_protected(level):
    # Required 0,1,2 in a triangle; optional 3 hangs off by one link: losing it harms no one.
    edges = [(0, 1), (1, 2), (2, 0), (2, 3)]
    assert verify_design(_problem(nx.complete_graph(4), level, optional={3}), edges) == []
    # But a required site on a single link is not protected.
    assert verify_design(_problem(nx.complete_graph(4), level), edges)


def test_verify_agrees_with_networkx_connectivity_on_random_graphs():
    for seed in range(30):
        graph = nx.gnp_random_graph(9, 0.35, seed=seed)
        if not nx.is_connected(graph):
            continue
        full = nx.complete_graph(9)
        assert (verify_design(_problem(full, "2edge"), graph.edges) == []) == (nx.edge_connectivity(graph) >= 2)
        assert (verify_design(_problem(full, "2node"), graph.edges) == []) == (nx.node_connectivity(graph) >= 2)
