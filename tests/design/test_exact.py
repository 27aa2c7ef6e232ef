"""The exact engine against brute force, its bounds, its time limit and the method choice."""

import random
import time

import numpy as np
import pytest

from planner.core.errors import DesignCancelled
from planner.core.model import DesignSettings, Quote
from planner.design import Control, design_project
from planner.design import exact as exact_module
from planner.design.bounds import degree_bound, lp_bound
from planner.design.cuts import Arrays, separate, violations
from planner.design.exact import solve_auto, solve_bounded_heuristic, solve_exact
from planner.design.problem import build_problem
from planner.design.relaxation import CutLP, solve_relaxation
from planner.design.verify import verify_design
from tests.factories import project_from_points, town_region


def brute_force(problem) -> int | None:
    """The cheapest feasible set of candidate links, trying every subset (at most ~14 links).

    Subsets are tried cheapest first; those leaving a required site with too few
    links are skipped before the (independent) networkx check.
    """
    edges = list(problem.graph.edges(data="cost"))
    bits = (np.arange(1 << len(edges))[:, None] >> np.arange(len(edges))) & 1
    cost = bits @ np.array([c for *_, c in edges], dtype=np.int64)
    plausible = np.ones(len(bits), dtype=bool)
    need = 1 if problem.redundancy == "tree" else 2
    for site in problem.required if len(problem.required) > 1 else ():
        plausible &= bits[:, [site in (a, b) for a, b, _ in edges]].sum(axis=1) >= need
    for i in np.flatnonzero(plausible)[np.argsort(cost[plausible], kind="stable")]:
        if not verify_design(problem, [(a, b) for j, (a, b, _) in enumerate(edges) if bits[i, j]]):
            return int(cost[i])
    return None


def tiny_problem(seed: int):
    """A random instance of at most 8 sites and 13 quoted links: roles, hops and rings drawn at random."""
    rng = random.Random(seed)
    while True:
        n = rng.randint(4, 8)
        points = [(-1 + rng.random() * 0.8, 53 + rng.random() * 0.5) for _ in range(n)]
        roles = {i: rng.choices(["hub", "optional", "site"], [0.25, 0.15, 0.6])[0] for i in range(n)}
        level = rng.choice(["tree", "2edge", "2node"])
        has_hub = "hub" in roles.values()
        settings = DesignSettings(
            level,
            max_hops=rng.choice([None, 1, 2, 3]) if has_hub else None,
            max_ring=rng.choice([None, 3, 4, 5]) if level != "tree" else None,
        )
        project = project_from_points(points, roles=roles, settings=settings)
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
        rng.shuffle(pairs)
        project.quotes = [
            Quote(f"s{i}", f"s{j}", rng.randint(1, 50) * 1000, rng.randint(1, 50) * 100)
            for i, j in pairs[: rng.randint(n, min(len(pairs), 13))]
        ]
        problem = build_problem(project)
        if len(problem.required) >= (3 if level != "tree" else 1):
            optimum = brute_force(problem)
            if optimum is not None:
                return problem, optimum


def _cost(problem, solution) -> int:
    return sum(problem.graph.edges[e]["cost"] for e in solution.edges)


@pytest.mark.parametrize("seed", range(40))
def test_exact_equals_brute_force_on_tiny_instances(seed):
    problem, optimum = tiny_problem(seed)
    solution = solve_exact(problem, Control(30))
    assert verify_design(problem, solution.edges) == []
    assert _cost(problem, solution) == optimum
    assert solution.lower_bound == optimum
    assert solution.method == "exact"
    assert "proven optimal" in solution.notes


@pytest.mark.parametrize("seed", range(40, 60))
def test_lower_bounds_never_exceed_the_brute_force_optimum(seed):
    problem, optimum = tiny_problem(seed)
    for algorithm in (solve_bounded_heuristic, solve_auto):
        solution = algorithm(problem, Control(30))
        assert verify_design(problem, solution.edges) == []
        assert solution.lower_bound <= optimum <= _cost(problem, solution)


@pytest.mark.parametrize("seed", range(60, 72))
def test_the_lp_bound_lies_between_the_simple_bounds_and_the_optimum(seed):
    problem, optimum = tiny_problem(seed)
    bound = lp_bound(problem)
    assert bound <= optimum
    if not problem.optional and problem.redundancy != "tree":
        assert bound >= degree_bound(problem) - 1


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
def test_design_project_proves_regional_designs_optimal(level):
    project = town_region(30, seed=4)
    design = design_project(project, DesignSettings(level, method="exact"))
    assert design.verified and design.method == "exact" and design.gap == 0
    assert design.lower_bound == design.total_cost


class TestRelaxation:
    """The cut LP: its dual certificate, separation and support graph."""

    level = "2edge"

    def test_certificate_matches_the_lp_optimum_and_its_support_is_feasible(self):
        problem = build_problem(town_region(40, seed=2), DesignSettings(self.level))
        arrays = Arrays.from_problem(problem)
        lp = CutLP(arrays)
        root = solve_relaxation(lp, Control(30))
        assert root.complete
        assert root.certificate == pytest.approx(lp.highs.getInfo().objective_function_value, rel=1e-9)
        assert separate(arrays, root.x) == []
        assert violations(arrays, np.flatnonzero(root.x > 1e-6)) == []
        assert (root.reduced[root.x > 1e-6] <= 1e-3 * arrays.cost.max()).all()

    def test_a_partial_lp_still_proves_its_bound(self):
        problem, optimum = tiny_problem(7)
        lp = CutLP(Arrays.from_problem(problem))
        partial = solve_relaxation(lp, Control(30), max_rounds=1)
        assert partial.bound <= optimum


class TestRelaxation2node(TestRelaxation):
    level = "2node"


class TestRelaxationTree(TestRelaxation):
    level = "tree"


def test_time_limit_is_respected_and_the_gap_reported_honestly():
    project = town_region(120, seed=6)
    started = time.monotonic()
    design = design_project(project, DesignSettings("2node", method="exact", time_limit=3))
    took = time.monotonic() - started
    assert took < 3 + 4  # building the problem, pruning and verifying come on top
    assert design.verified and design.lower_bound <= design.total_cost
    if design.gap > 0:
        assert design.method == "exact (time limit)"
        assert any(note.startswith(f"gap {design.gap:.1%}") for note in design.notes)


def test_a_cancelled_exact_run_stops():
    control = Control(30)
    control.cancel()
    with pytest.raises(DesignCancelled):
        design_project(town_region(40, seed=2), DesignSettings("2edge", method="exact"), control)


def test_auto_proves_what_it_can_and_otherwise_bounds_the_heuristic(monkeypatch):
    project = town_region(20, seed=8)
    assert design_project(project, DesignSettings("2edge")).method == "exact"
    monkeypatch.setitem(exact_module.PROVABLE_SITES, "2edge", 5)
    design = design_project(project, DesignSettings("2edge"))
    assert design.method == "heuristic" and design.verified
    assert 0 < design.lower_bound <= design.total_cost


def test_auto_says_why_it_stopped_before_its_time_limit():
    """Beyond what it can prove in time, auto takes the heuristic and says so rather than leaving people waiting."""
    import dataclasses

    from tests.factories import town_region

    project = town_region(120, seed=5)
    settings = dataclasses.replace(project.settings, method="auto", time_limit=15.0)
    design = design_project(project, settings)
    (note,) = [n for n in design.notes if n.startswith("auto stopped")]
    assert design.seconds < 15 and "120 sites" in note and "choose Exact" in note
