"""Single failures and diverse pairs checked by removing things and looking."""

import itertools

import networkx as nx
import pytest

from planner.analysis.resilience import diverse_from, link_failures, single_failures, site_failures
from planner.core.design_result import Design, DesignLink
from planner.core.model import DesignSettings
from planner.design import design_project
from tests.factories import town_region


def make_design(edges, redundancy="2edge", sites=None) -> Design:
    links = tuple(DesignLink(f"C{i:04d}", a, b, 1.0, 2, 0, 0) for i, (a, b) in enumerate(edges, 1))
    sites = sites or sorted({n for e in edges for n in e})
    return Design(redundancy, links, 0, 0, 5, sites=tuple(sites))


def test_a_ring_survives_every_cut_and_detours_the_long_way():
    ring = make_design(["ab", "bc", "cd", "da"])
    failures = link_failures(ring)
    assert all(f.connected for f in failures) and {f.detour_hops for f in failures} == {3}


def test_a_tree_cuts_off_the_smaller_side():
    tree = make_design(["ab", "bc", "cd", "ce"], "tree")
    cut = {f.element: f.cut_off for f in link_failures(tree)}
    assert cut == {"C0001": ("a",), "C0002": ("a", "b"), "C0003": ("d",), "C0004": ("e",)}


def test_site_failures_are_listed_for_2node_only():
    bowtie = make_design(["ab", "bc", "ca", "cd", "de", "ec"], "2node")
    lost = {f.element: f.cut_off for f in site_failures(bowtie)}
    assert lost["c"] == ("d", "e") and lost["a"] == ()
    assert len(single_failures(bowtie)) == 6 + 5
    assert len(single_failures(make_design(["ab", "bc", "ca"]))) == 3


def test_diverse_pairs_meet_at_a_site_and_form_a_cut():
    # two triangles joined by two circuits: b-d and c-e form a cut but share no site
    design = make_design(["ab", "bc", "ca", "de", "ef", "fd", "bd", "ce"])
    diverse = diverse_from(design)
    ids = {frozenset((k.a, k.b)): k.circuit_id for k in design.links}
    assert diverse[ids[frozenset("bd")]] == ()  # its cut partner c-e is elsewhere
    assert diverse[ids[frozenset("ab")]] == tuple(sorted([ids[frozenset("ca")]]))
    assert diverse_from(make_design(["ab", "bc"], "tree")) == {"C0001": (), "C0002": ()}


@pytest.mark.parametrize("level", ["2edge", "2node"])
def test_against_brute_force_on_a_real_design(level):
    design = design_project(town_region(12, seed=4), DesignSettings(level))
    graph = nx.Graph((k.a, k.b) for k in design.links)
    ids = {frozenset((k.a, k.b)): k.circuit_id for k in design.links}
    assert all(f.connected for f in single_failures(design))
    diverse = diverse_from(design)
    for e, f in itertools.combinations(graph.edges, 2):
        h = graph.copy()
        h.remove_edges_from([e, f])
        expected = bool(set(e) & set(f)) and not nx.is_connected(h)
        assert (ids[frozenset(f)] in diverse[ids[frozenset(e)]]) == expected
