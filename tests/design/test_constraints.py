"""Hubs, hop and ring limits, optional sites, existing links, forbidden links and no-go areas:
honoured by every design method and checked here independently with networkx."""

import json
import math
from dataclasses import replace

import networkx as nx
import pytest

from planner.cli import main
from planner.core.errors import InfeasibleError
from planner.core.model import DesignSettings, ExclusionZone, ExistingLink, Quote
from planner.core.project_file import load_project, save_project
from planner.design import design_project
from planner.design.cuts import Arrays
from planner.design.hierarchy import ladder_tour, minimum_links, split_tour
from planner.design.problem import DesignProblem, build_problem
from planner.design.verify import verify_design
from tests.design.test_exact import brute_force, tiny_problem
from tests.factories import project_from_points, town_region

METHODS = ["heuristic", "exact", "auto"]


def with_hubs(project, count: int):
    """Mark ``count`` well-spread sites as hubs (farthest-point order from the first)."""
    chosen = [0]
    sites = project.sites
    while len(chosen) < count:
        far = max(
            range(len(sites)),
            key=lambda i: min((sites[i].lon - sites[j].lon) ** 2 + (sites[i].lat - sites[j].lat) ** 2 for j in chosen),
        )
        chosen.append(far)
    project.sites = [replace(s, role="hub") if i in chosen else s for i, s in enumerate(sites)]
    return project


def honoured(project, design, settings: DesignSettings) -> None:
    """Assert ``design`` meets every requirement of ``settings``, without the planner's verifier."""
    graph = nx.Graph(link.pair for link in design.links)
    required = {s.id for s in project.sites if s.role != "optional"}
    hubs = {s.id for s in project.sites if s.role == "hub"}
    assert required <= set(graph)
    assert nx.is_connected(graph.subgraph(nx.node_connected_component(graph, next(iter(required)))))
    core = graph.subgraph(nx.node_connected_component(graph, next(iter(required))))
    assert required <= set(core)
    if settings.redundancy == "2edge":
        for u, v in list(graph.edges):
            rest = nx.restricted_view(graph, [], [(u, v)])
            assert required <= nx.node_connected_component(rest, next(iter(required)))
    if settings.redundancy == "2node" or (settings.redundancy == "2edge" and len(hubs) >= 2):
        for lost in hubs if settings.redundancy == "2edge" else set(graph):
            rest = graph.subgraph(set(graph) - {lost})
            for site in required - {lost}:
                reach = nx.node_connected_component(rest, site)
                assert reach & (hubs - {lost}) if settings.redundancy == "2edge" else required - {lost} <= reach
    if settings.max_hops is not None:
        hops = nx.multi_source_dijkstra_path_length(graph, hubs, weight=lambda *_: 1)
        assert all(hops[site] <= settings.max_hops for site in required)
    if settings.max_ring is not None:
        for u, v in list(graph.edges):
            rest = nx.restricted_view(graph, [], [(u, v)])
            assert nx.shortest_path_length(rest, u, v) <= settings.max_ring - 1


CASES = {
    "dual-homed to three hubs": (3, DesignSettings("2edge")),
    "hops with hubs": (3, DesignSettings("2edge", max_hops=2)),
    "hops, site loss": (3, DesignSettings("2node", max_hops=3)),
    "ring limit": (0, DesignSettings("2edge", max_ring=5)),
    "hops and rings": (2, DesignSettings("2edge", max_hops=3, max_ring=6)),
    "tree within hops": (2, DesignSettings("tree", max_hops=3)),
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", list(CASES))
def test_every_method_honours_every_constraint(case, method):
    hubs, settings = CASES[case]
    settings = replace(settings, method=method, time_limit=4)
    project = with_hubs(town_region(16, seed=11), hubs)
    design = design_project(project, settings)
    assert design.verified
    assert design.lower_bound <= design.total_cost
    honoured(project, design, settings)
    if hubs >= 2 and settings.max_hops is not None:  # a hub hierarchy: hub-to-hub backbone, the rest access
        hub_ids = {s.id for s in project.sites if s.role == "hub"}
        assert {link.role for link in design.links} <= {"backbone", "access"}
        assert all((link.role == "backbone") == (set(link.pair) <= hub_ids) for link in design.links)
    else:
        assert {link.role for link in design.links} <= {"backbone", "protection"}


def test_exact_is_never_dearer_than_the_heuristic_under_constraints():
    project = with_hubs(town_region(16, seed=12), 3)
    settings = DesignSettings("2edge", max_hops=2, time_limit=5)
    heuristic = design_project(project, replace(settings, method="heuristic"))
    exact = design_project(project, replace(settings, method="exact"))
    assert exact.total_cost <= heuristic.total_cost
    assert exact.lower_bound >= heuristic.lower_bound or exact.proven_optimal


@pytest.mark.parametrize("method", METHODS)
def test_optional_relays_are_used_only_when_they_pay(method):
    points = [(-1.0, 53.0), (-0.6, 53.0), (-0.6, 53.3), (-1.0, 53.3), (-0.8, 53.15), (-2.5, 54.5)]
    project = project_from_points(points, roles={4: "optional", 5: "optional"})
    # Carrier quotes make the central exchange (s4) the cheap way in; s5 is dear from everywhere.
    project.quotes = [Quote(a, b, 90_000, 0) for a, b in (("s0", "s1"), ("s1", "s2"), ("s2", "s3"), ("s3", "s0"))]
    project.quotes += [Quote(f"s{i}", "s4", 40_000, 0) for i in range(4)]
    project.quotes += [Quote(f"s{i}", "s5", 300_000, 0) for i in range(4)]
    design = design_project(project, DesignSettings("tree", method=method))
    used = {site for link in design.links for site in link.pair}
    assert "s5" not in used  # far away: never worth it
    assert "s4" in used  # the centre of the square: a Steiner point that saves money
    assert design.sites == ("s0", "s1", "s2", "s3")


@pytest.mark.parametrize("method", METHODS)
def test_existing_links_are_reused_at_no_installation_cost(method):
    project = town_region(12, seed=13)
    a, b = project.sites[0].id, project.sites[7].id
    project.existing_links = [ExistingLink(a, b, "P0", annual=1)]
    design = design_project(project, DesignSettings("2edge", method=method))
    reused = [link for link in design.links if link.pair == tuple(sorted((a, b)))]
    assert reused and reused[0].install == 0 and reused[0].role == "existing" and reused[0].source == "existing"


@pytest.mark.parametrize("method", METHODS)
def test_forbidden_links_and_no_go_areas_are_never_used(method):
    project = town_region(14, seed=14)
    first = design_project(project, DesignSettings("2edge", method="exact"))
    banned = first.links[0].pair
    project.forbidden_links = [banned]
    crossed = first.links[1]
    ends = [project.site(s) for s in crossed.pair]
    lon, lat = (ends[0].lon + ends[1].lon) / 2, (ends[0].lat + ends[1].lat) / 2
    d = 0.003
    box = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
    project.exclusion_zones = [ExclusionZone("Reservoir", {"type": "Polygon", "coordinates": [[*box, box[0]]]})]
    design = design_project(project, DesignSettings("2edge", method=method))
    used = {link.pair for link in design.links}
    assert banned not in used and crossed.pair not in used
    assert design.total_cost >= first.total_cost
    if method != "heuristic":
        assert design.proven_optimal


def test_impossible_constraints_are_clear_errors():
    project = town_region(8, seed=15)
    with pytest.raises(InfeasibleError, match="hop limit needs at least one site marked hub"):
        design_project(project, DesignSettings("2edge", max_hops=2))
    with pytest.raises(InfeasibleError, match="ring limit needs a 2edge or 2node design"):
        design_project(project, DesignSettings("tree", max_ring=4))
    square = project_from_points([(-1.0, 53.0), (-0.9, 53.0), (-0.9, 53.1), (-1.0, 53.1)])
    square.quotes = [Quote(a, b, 100, 10) for a, b in (("s0", "s1"), ("s1", "s2"), ("s2", "s3"), ("s3", "s0"))]
    assert design_project(square, DesignSettings("2edge", max_ring=4)).verified
    with pytest.raises(InfeasibleError, match="permitted links on rings of at most 3 links"):
        design_project(square, DesignSettings("2edge", max_ring=3))


def _problem(graph, level="2edge", hubs=(), **settings) -> DesignProblem:
    return DesignProblem(graph, frozenset(graph), frozenset(hubs), DesignSettings(level, **settings), 5)


def test_verify_names_each_broken_constraint():
    ring = nx.cycle_graph(8)
    assert verify_design(_problem(ring, hubs=[0], max_hops=4), ring.edges) == []
    assert verify_design(_problem(ring, hubs=[0], max_hops=3), ring.edges) == [
        "site 4 is 4 links from the nearest hub (at most 3 allowed)"
    ]
    assert verify_design(_problem(ring, max_ring=7), ring.edges)[0] == "link 0-1 lies on no ring of at most 7 links"
    bowtie = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 2), (0, 4)])
    lonely = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 2)])
    assert verify_design(_problem(bowtie, hubs=[0, 2]), lonely.edges) == [
        "losing hub 2 cuts site 3 off from every other hub",
        "losing hub 2 cuts site 4 off from every other hub",
    ]
    assert verify_design(_problem(bowtie, hubs=[0, 2]), bowtie.edges) == []


@pytest.mark.parametrize("seed", range(24))
def test_minimum_links_never_exceeds_the_fewest_links_of_a_design(seed):
    """With every link the same price, the cheapest design is the one with fewest links."""
    problem, _ = tiny_problem(seed)
    graph = problem.graph.copy()
    nx.set_edge_attributes(graph, 1, "cost")
    unit = replace(problem, graph=graph)
    fewest = brute_force(unit)
    assert minimum_links(unit) <= fewest


def test_command_line_takes_hop_and_ring_limits(tmp_path, capsys):
    sites = tmp_path / "sites.csv"
    rows = ["id,name,lat,lon,role"] + [
        f"T{i},Town {i},{s.lat},{s.lon},{'hub' if i in (0, 5) else 'site'}"
        for i, s in enumerate(town_region(10, seed=16).sites)
    ]
    sites.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["design", "--sites", str(sites), "--redundancy", "2edge", "--time-limit", "3", "--max-hops", "2"]
    assert main([*args, "--max-ring", "6", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["verified"] and summary["method"].startswith("exact") and summary["lower_bound"] > 0
    assert main([*args, "--max-ring", "2", "--json"]) == 2
    assert "max_ring: 2 must be empty or a whole number 3..100,000" in capsys.readouterr().err


def test_projects_keep_their_constraints_in_the_file(tmp_path):
    project = with_hubs(town_region(10, seed=17), 2)
    project.settings = DesignSettings("2node", max_hops=3, max_ring=5)
    save_project(project, tmp_path / "plan.json")
    loaded = load_project(tmp_path / "plan.json")
    assert loaded.settings == project.settings
    assert [s.role for s in loaded.sites] == [s.role for s in project.sites]
    assert build_problem(loaded).hubs == build_problem(project).hubs


def _circle(n: int, level: str = "2edge", hubs=(), **settings):
    """``n`` sites evenly round a circle, every pair a candidate priced by distance."""
    project = project_from_points(
        [(-1 + 0.3 * math.cos(2 * math.pi * i / n), 53 + 0.2 * math.sin(2 * math.pi * i / n)) for i in range(n)],
        roles={i: "hub" for i in hubs},
        settings=DesignSettings(level, **settings),
    )
    problem = build_problem(project)
    return problem, Arrays.from_problem(problem)


def test_split_tour_cuts_a_ring_into_chains_between_hubs():
    problem, arrays = _circle(14, hubs=(0, 7), max_hops=2)
    tour = [arrays.index[f"s{i}"] for i in range(14)]
    links = split_tour(arrays, tour, 2)
    assert verify_design(problem, arrays.pairs(links)) == []
    assert len(links) == 12 + 4  # 12 sites in four chains of three, each joined to two hubs


def test_ladder_tour_puts_every_link_on_a_short_ring():
    problem, arrays = _circle(12, max_ring=4)
    tour = [arrays.index[f"s{i}"] for i in range(12)]
    links = ladder_tour(arrays, tour, 4)
    assert verify_design(problem, arrays.pairs(links)) == []
    assert len(links) == 12 + 4 >= minimum_links(problem)
