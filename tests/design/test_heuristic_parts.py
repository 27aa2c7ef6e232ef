"""The heuristics' building blocks: tours, the defect scan, repair and prune, the naive pipeline."""

import itertools
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.model import DesignSettings
from planner.design.naive import naive_design
from planner.design.problem import DesignProblem
from planner.design.survivable import Candidates, SurvivableDesign, is_valid, prune, repair, splits
from planner.design.tour import Metric, greedy_tour, optimise_tour, tour_cost
from planner.design.verify import verify_design


def _metric(n: int, seed: int) -> Metric:
    rng = np.random.default_rng(seed)
    points = rng.random((n, 2)) * 100_000
    return Metric.from_matrix(np.rint(np.linalg.norm(points[:, None] - points[None], axis=2)).astype(np.int64))


def _problem(graph: nx.Graph, level: str, optional=()) -> DesignProblem:
    for u, v in graph.edges:
        graph.edges[u, v].setdefault("cost", 1)
    required = frozenset(n for n in graph if n not in optional)
    return DesignProblem(graph, required, frozenset(), DesignSettings(level), 5)


@pytest.mark.parametrize("n", [8, 40, 300])
def test_tours_visit_every_point_once_and_local_search_never_lengthens_them(n):
    metric = _metric(n, seed=n)
    greedy = greedy_tour(metric)
    improved = optimise_tour(metric, random.Random(0), kicks=n)
    assert sorted(greedy) == sorted(improved) == list(range(n))
    assert tour_cost(metric, improved) <= tour_cost(metric, greedy)


def test_small_tours_are_optimal():
    metric = _metric(7, seed=1)
    best = min(tour_cost(metric, (0, *p)) for p in itertools.permutations(range(1, 7)))
    assert tour_cost(metric, optimise_tour(metric, random.Random(0), kicks=0)) == best


def test_two_opt_and_or_opt_untangle_a_crossing_tour():
    # Twelve points on a circle visited in a star order: local search must find the circle itself.
    angles = np.arange(12) * 2 * np.pi / 12
    points = np.column_stack([np.cos(angles), np.sin(angles)]) * 100_000
    metric = Metric.from_matrix(np.rint(np.linalg.norm(points[:, None] - points[None], axis=2)).astype(np.int64))
    star = [(5 * i) % 12 for i in range(12)]
    circle = tour_cost(metric, list(range(12)))
    assert tour_cost(metric, optimise_tour(metric, random.Random(0), kicks=0, start=star)) == circle


def test_a_tour_that_knows_only_near_pairs_is_as_sound_as_one_that_knows_them_all():
    # Each point knows its 8 nearest; any other cost is found on demand, and every kick is undone
    # exactly when it did not pay: the tour's own running cost must match the full matrix.
    rng = np.random.default_rng(5)
    points = rng.random((400, 2)) * 100_000
    matrix = np.rint(np.linalg.norm(points[:, None] - points[None], axis=2)).astype(np.int64)
    near = np.argsort(matrix, axis=1)[:, 1:9]
    rows = [{int(j): int(matrix[i, j]) for j in near[i]} for i in range(400)]
    for i, row in enumerate(rows):
        for j, cost in list(row.items()):
            rows[j][i] = cost
    floor = [min(c for j, c in enumerate(matrix[i]) if j != i and j not in rows[i]) for i in range(400)]
    metric = Metric(rows, lambda i, js, limit: [c if c < limit else None for c in matrix[i, js].tolist()], floor)
    tour = optimise_tour(metric, random.Random(0), kicks=400)
    full = Metric.from_matrix(matrix)
    assert sorted(tour) == list(range(400))
    assert tour_cost(metric, tour) == tour_cost(full, tour)
    assert tour_cost(full, tour) <= tour_cost(full, optimise_tour(full, random.Random(0), kicks=0)) * 1.02


@settings(max_examples=200, deadline=None)
@given(
    edges=st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)).filter(lambda e: e[0] < e[1]), max_size=20),
    removed=st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)).filter(lambda e: e[0] < e[1]), max_size=3),
    optional=st.sets(st.integers(0, 8), max_size=3),
    reach=st.integers(1, 9),
)
def test_a_design_seen_to_come_apart_fails_verification(edges, removed, optional, reach):
    problem = _problem(nx.complete_graph(9), "2edge", optional)
    candidates = Candidates(problem)
    design = SurvivableDesign.from_edges(candidates, [(candidates.number[u], candidates.number[v]) for u, v in edges])
    if splits(design, [(candidates.number[u], candidates.number[v]) for u, v in removed], reach):
        assert verify_design(problem, list(edges))


@settings(max_examples=200, deadline=None)
@given(
    edges=st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)).filter(lambda e: e[0] < e[1]), max_size=20),
    optional=st.sets(st.integers(0, 8), max_size=3),
    level=st.sampled_from(["2edge", "2node"]),
)
def test_the_defect_scan_agrees_with_networkx_verification(edges, optional, level):
    problem = _problem(nx.complete_graph(9), level, optional)
    candidates = Candidates(problem)
    design = SurvivableDesign.from_edges(candidates, [(candidates.number[u], candidates.number[v]) for u, v in edges])
    expected = verify_design(problem, list(edges)) == []
    assert is_valid(design) == expected
    if expected:  # is_valid drops useless relays only: the rest must still verify
        assert verify_design(problem, candidates.edge_ids(design.edges())) == []


@settings(max_examples=100, deadline=None)
@given(
    edges=st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)).filter(lambda e: e[0] < e[1]), max_size=12),
    optional=st.sets(st.integers(0, 8), max_size=3),
    level=st.sampled_from(["2edge", "2node"]),
    seed=st.integers(0, 10_000),
)
def test_repair_then_prune_turns_any_start_into_a_valid_minimal_design(edges, optional, level, seed):
    rng = random.Random(seed)
    graph = nx.complete_graph(9)
    for u, v in graph.edges:
        graph.edges[u, v]["cost"] = rng.randint(1, 100)
    problem = _problem(graph, level, optional)
    candidates = Candidates(problem)
    design = SurvivableDesign.from_edges(candidates, [(candidates.number[u], candidates.number[v]) for u, v in edges])
    repair(design)
    prune(design)
    chosen = candidates.edge_ids(design.edges())
    assert verify_design(problem, chosen) == []
    assert design.cost == sum(graph.edges[e]["cost"] for e in chosen)
    for link in chosen:  # minimal: no paid link can go
        assert verify_design(problem, [e for e in chosen if e != link])


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
def test_the_naive_pipeline_gives_verified_designs(level):
    rng = random.Random(3)
    graph = nx.complete_graph(15)
    for u, v in graph.edges:
        graph.edges[u, v]["cost"] = rng.randint(100, 1000)
    problem = _problem(graph, level)
    assert verify_design(problem, naive_design(problem)) == []


def test_the_naive_pipeline_refuses_an_unknown_level():
    problem = _problem(nx.complete_graph(4), "3edge")
    with pytest.raises(ValueError, match="3edge is not a valid redundancy level"):
        naive_design(problem)
