import itertools

import networkx as nx
import pytest

from planner.core.errors import InfeasibleError, InputError
from planner.core.model import DesignSettings, ExclusionZone, ExistingLink, Quote
from planner.design import Control, design_project
from planner.design.problem import build_problem
from planner.design.verify import verify_design
from tests.factories import project_from_points, town_region

SQUARE = [(-1.0, 53.0), (-0.9, 53.0), (-0.9, 53.1), (-1.0, 53.1)]


def _brute_force_optimum(project, level: str) -> int:
    """The cheapest feasible subset of candidate links, by trying them all (tiny instances only)."""
    problem = build_problem(project, DesignSettings(level))
    edges = list(problem.graph.edges(data="cost"))
    best = None
    for r in range(len(project.sites) - 1, len(edges) + 1):
        for subset in itertools.combinations(edges, r):
            cost = sum(c for _, _, c in subset)
            if (best is None or cost < best) and not verify_design(problem, [(u, v) for u, v, _ in subset]):
                best = cost
    return best


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
def test_designs_are_verified_priced_and_bounded(level):
    project = town_region(25, seed=3)
    design = design_project(project, DesignSettings(level))
    problem = build_problem(project, DesignSettings(level))
    assert design.verified
    assert verify_design(problem, [(k.a, k.b) for k in design.links]) == []
    assert design.total_cost == sum(k.total(design.term_years) for k in design.links)
    assert 0 < design.lower_bound <= design.total_cost
    assert len({k.circuit_id for k in design.links}) == len(design.links)


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
def test_lower_bound_never_exceeds_the_true_optimum(level):
    project = project_from_points([(-1.0, 53.0), (-0.7, 53.05), (-0.8, 53.3), (-1.1, 53.25), (-0.95, 53.15)])
    design = design_project(project, DesignSettings(level))
    optimum = _brute_force_optimum(project, level)
    assert design.lower_bound <= optimum <= design.total_cost


def test_tree_is_the_minimum_spanning_tree_and_proven_optimal():
    project = town_region(30, seed=1)
    design = design_project(project, DesignSettings("tree"))
    graph = build_problem(project, DesignSettings("tree")).graph
    mst = nx.minimum_spanning_tree(graph, weight="cost")
    assert design.total_cost == mst.size(weight="cost")
    assert design.proven_optimal and design.gap == 0


def test_quotes_limit_the_links_and_set_their_price():
    project = project_from_points(SQUARE)
    ring = [("s0", "s1"), ("s1", "s2"), ("s2", "s3"), ("s3", "s0")]
    project.quotes = [Quote(a, b, 10_000 * (i + 1), 1_000) for i, (a, b) in enumerate(ring)]
    design = design_project(project, DesignSettings("2edge"))
    assert {k.pair for k in design.links} == {tuple(sorted(p)) for p in ring}
    assert design.total_cost == sum(10_000 * (i + 1) + 5 * 1_000 for i in range(4))
    assert all(k.source == "quote" for k in design.links)


def test_too_few_quotes_for_survivability_is_a_clear_infeasible_error():
    project = project_from_points(SQUARE)
    project.quotes = [Quote("s0", "s1", 1, 1), Quote("s1", "s2", 1, 1), Quote("s2", "s3", 1, 1)]
    assert design_project(project, DesignSettings("tree")).verified
    with pytest.raises(InfeasibleError, match="no design that is survivable after any one link cut is possible"):
        design_project(project, DesignSettings("2edge"))


def test_existing_links_are_reused_without_connection_charge():
    project = project_from_points(SQUARE, partners=2)
    project.existing_links = [ExistingLink("s0", "s2", "P0")]  # the diagonal, otherwise never chosen
    design = design_project(project, DesignSettings("tree"))
    reused = [k for k in design.links if k.pair == ("s0", "s2")]
    assert reused and reused[0].install == 0 and reused[0].role == "existing"


def test_forbidden_links_and_no_go_areas_are_never_used():
    project = project_from_points(SQUARE)
    project.forbidden_links = [("s0", "s1")]
    # A thin box across the middle of edge s2-s3 (the top side of the square).
    box = [[-0.96, 53.09], [-0.94, 53.09], [-0.94, 53.11], [-0.96, 53.11], [-0.96, 53.09]]
    project.exclusion_zones = [ExclusionZone("Reservoir", {"type": "Polygon", "coordinates": [box]})]
    design = design_project(project, DesignSettings("2edge"))
    used = {k.pair for k in design.links}
    assert ("s0", "s1") not in used and ("s2", "s3") not in used


def test_two_sites_cannot_be_protected():
    project = project_from_points(SQUARE[:2])
    with pytest.raises(InfeasibleError, match="at least 3 sites"):
        design_project(project, DesignSettings("2edge"))


def test_an_inconsistent_project_is_refused_before_designing():
    project = project_from_points(SQUARE)
    project.sites[0] = project.sites[0].moved_to(-1.0, 123.0)
    with pytest.raises(InputError, match="lat: 123.0 is out of range"):
        design_project(project)


def test_circuit_ids_stay_stable_across_redesign():
    project = town_region(12, seed=5)
    first = design_project(project, DesignSettings("2edge"))
    project.record_design(first)
    project.sites[0] = project.sites[0].moved_to(project.sites[0].lon + 0.01, project.sites[0].lat)
    second = design_project(project, DesignSettings("2edge"))
    before = {k.pair: k.circuit_id for k in first.links}
    for link in second.links:
        if link.pair in before:
            assert link.circuit_id == before[link.pair]
        else:
            assert link.circuit_id not in before.values()


def test_cancel_stops_a_design():
    from planner.core.errors import DesignCancelled

    control = Control(time_limit=30)
    control.cancel()
    with pytest.raises(DesignCancelled):
        design_project(town_region(40, seed=2), DesignSettings("2edge"), control)


@pytest.mark.parametrize("method", ["heuristic", "exact", "auto"])
@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
def test_an_optional_site_no_permitted_link_reaches_is_left_out(level, method):
    project = project_from_points([*SQUARE, (-0.95, 53.05)], roles={4: "optional"})
    ring = [("s0", "s1"), ("s1", "s2"), ("s2", "s3"), ("s3", "s0")]
    project.quotes = [Quote(a, b, 10_000, 1_000) for a, b in ring]
    design = design_project(project, DesignSettings(level, method))
    assert design.verified
    assert all("s4" not in k.pair for k in design.links)


@pytest.mark.parametrize("level", ["2edge", "2node"])
def test_quick_method_is_verified_and_close_to_the_full_heuristic(level):
    for seed in range(3):
        project = town_region(30, seed=seed)
        full = design_project(project, DesignSettings(level, "heuristic"))
        quick = design_project(project, DesignSettings(level, "quick"))
        assert quick.verified and quick.lower_bound <= quick.total_cost
        assert quick.total_cost <= full.total_cost * 1.01
