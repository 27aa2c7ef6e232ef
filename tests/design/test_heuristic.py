"""The 2edge/2node heuristics: always a verified design (or a refusal exactly when none exists),
close to the optimum, never dearer than the naive networkx pipeline, and obedient to Control."""

import dataclasses
import gc
import itertools
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import DesignCancelled, InfeasibleError
from planner.core.model import DesignSettings, ExistingLink, Quote
from planner.design import Control, design_project
from planner.design.heuristic import solve_heuristic
from planner.design.naive import naive_design
from planner.design.problem import build_problem
from planner.design.verify import verify_design
from tests.factories import project_from_points, town_region

#: How far above the optimum the heuristic may land on tiny instances (see test_tiny_*). It was exact on
#: all of some 900 random ones tried while tuning; the slack is for hypothesis's adversarial search.
TINY_TOLERANCE = 0.02


def _cost(problem, edges) -> int:
    return sum(problem.graph.edges[e]["cost"] for e in edges)


def _brute_force(problem) -> int | None:
    """The cheapest valid set of candidate links, trying every set in which each required site has two links.

    Tiny instances only (up to about 15 candidate links).
    """
    edges = sorted(problem.graph.edges(data="cost"), key=lambda e: e[2])
    required = problem.required
    best = None
    for r in range(len(required), len(edges) + 1):
        if best is not None and sum(c for *_, c in edges[:r]) >= best:
            break
        for subset in itertools.combinations(edges, r):
            cost = sum(c for *_, c in subset)
            if best is not None and cost >= best:
                continue
            degree = dict.fromkeys(required, 0)
            for u, v, _ in subset:
                degree[u] = degree.get(u, 0) + 1
                degree[v] = degree.get(v, 0) + 1
            if min(degree[site] for site in required) < 2:
                continue
            if not verify_design(problem, [(u, v) for u, v, _ in subset]):
                best = cost
    return best


@st.composite
def regions(draw, max_sites: int = 14):
    """Random sites in northern England: complete, sparse or quoted candidates (irregular prices), some optional."""
    points = draw(
        st.lists(
            st.tuples(st.floats(-3.0, 0.0), st.floats(53.0, 54.5)),
            min_size=3,
            max_size=max_sites,
            unique_by=lambda p: (round(p[0], 3), round(p[1], 3)),
        )
    )
    n = len(points)
    optional = draw(st.sets(st.integers(0, n - 1), max_size=n // 3))
    mode = draw(st.sampled_from(["complete", "sparse", "quotes"]))
    project = project_from_points(
        points,
        roles=dict.fromkeys(optional, "optional"),
        settings=DesignSettings(candidates="sparse" if mode == "sparse" else "complete", k_nearest=3),
    )
    if mode == "quotes":
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
        kept = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
        prices = draw(st.lists(st.integers(1, 2_000_000), min_size=len(pairs), max_size=len(pairs)))
        project.quotes = [
            Quote(f"s{i}", f"s{j}", price, price // 7)
            for (i, j), keep, price in zip(pairs, kept, prices, strict=True)
            if keep
        ]
    return project


def _problem(project, level: str):
    return build_problem(project, DesignSettings(level, candidates=project.settings.candidates, k_nearest=3))


@pytest.mark.parametrize("level", ["2edge", "2node"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=regions())
def test_a_verified_design_or_a_refusal_exactly_when_none_exists(level, project):
    problem = _problem(project, level)
    impossible = len(problem.required) < 3 or bool(verify_design(problem, list(problem.graph.edges)))
    if impossible:
        with pytest.raises(InfeasibleError):
            design_project(project, problem.settings)
        return
    solution = solve_heuristic(problem, Control(10))
    assert verify_design(problem, solution.edges) == []
    assert solution.lower_bound <= _cost(problem, solution.edges)


@pytest.mark.parametrize("level", ["2edge", "2node"])
@settings(max_examples=25, deadline=None)
@given(project=regions(max_sites=6))
def test_tiny_instances_are_within_tolerance_of_brute_force(level, project):
    problem = _problem(project, level)
    if problem.graph.number_of_edges() > 15 or len(problem.required) < 3:
        return
    optimum = _brute_force(problem)
    if optimum is None:
        return
    cost = _cost(problem, solve_heuristic(problem, Control(10)).edges)
    assert optimum <= cost <= optimum * (1 + TINY_TOLERANCE)


class _Survivable:
    """Tests shared by the survivable levels; subclasses set ``level``."""

    level = ""

    def _problem(self, project):
        return _problem(project, self.level)

    @pytest.mark.parametrize("seed", range(3))
    def test_town_regions_with_every_pair_a_candidate_get_the_optimum(self, seed):
        # Six real towns: every ring and every denser design is tried by brute force.
        problem = self._problem(town_region(6, seed))
        assert _cost(problem, solve_heuristic(problem, Control(10)).edges) == _brute_force(problem)

    @pytest.mark.parametrize(("n", "seed"), [(15, 0), (25, 1), (35, 2), (45, 3)])
    def test_never_dearer_than_the_naive_networkx_pipeline(self, n, seed):
        problem = self._problem(town_region(n, seed))
        naive = naive_design(problem)
        assert verify_design(problem, naive) == []
        ours = _cost(problem, solve_heuristic(problem, Control(10)).edges)
        assert ours <= _cost(problem, naive)

    @pytest.mark.parametrize("quotes", [False, True])
    def test_a_large_sparse_region_gets_a_verified_design_of_candidate_links(self, quotes):
        # 600 towns: sparse candidates, so each site's tour costs are known for its near sites
        # only and the rest are found on demand; with quotes, prices are irregular.
        project = town_region(600, 2, radius_deg=3.0)
        if quotes:
            graph = build_problem(project, DesignSettings(candidates="sparse")).graph
            project.quotes = [
                Quote(a, b, d["install"] * (1 + i % 5) // 3, d["annual"])
                for i, (a, b, d) in enumerate(graph.edges(data=True))
            ]
        problem = build_problem(project, DesignSettings(self.level))
        edges = solve_heuristic(problem, Control(60)).edges
        assert verify_design(problem, edges) == []
        assert all(problem.graph.has_edge(u, v) for u, v in edges)

    def test_the_same_region_always_gets_the_same_design(self):
        problem = self._problem(town_region(40, 4))
        first = solve_heuristic(problem, Control(10)).edges
        assert sorted(map(sorted, first)) == sorted(map(sorted, solve_heuristic(problem, Control(10)).edges))

    def test_an_optional_site_relays_when_it_pays(self):
        # Three sites in a row; the only cheap way back from the last to the first is through optional o.
        project = project_from_points([(-1.0, 53.0), (-0.9, 53.0), (-0.8, 53.0), (-0.9, 53.1), (-0.9, 52.5)])
        project.sites[3:] = [dataclasses.replace(site, role="optional") for site in project.sites[3:]]
        links = [("s0", "s1", 1_000), ("s1", "s2", 1_000), ("s0", "s2", 90_000), ("s0", "s3", 1_000)]
        links += [("s3", "s2", 1_000), ("s0", "s4", 60_000), ("s4", "s2", 60_000)]
        project.quotes = [Quote(a, b, cost, 0) for a, b, cost in links]
        problem = self._problem(project)
        edges = solve_heuristic(problem, Control(10)).edges
        assert verify_design(problem, edges) == []
        assert _cost(problem, edges) == 4_000  # the ring s0-s1-s2-s3: the relay s3 in, the dear relay s4 out

    def test_an_optional_site_that_does_not_pay_is_left_out(self):
        # With a tariff every circuit carries a fixed charge: a relay never pays for itself.
        project = town_region(12, 9)
        for i in (0, 5):
            project.sites[i] = dataclasses.replace(project.sites[i], role="optional")
        problem = self._problem(project)
        edges = solve_heuristic(problem, Control(10)).edges
        assert verify_design(problem, edges) == []
        assert not {project.sites[0].id, project.sites[5].id} & {site for edge in edges for site in edge}

    def test_a_free_existing_link_never_makes_the_design_dearer(self):
        project = town_region(20, 5)
        before = self._problem(project)
        cost_before = _cost(before, solve_heuristic(before, Control(10)).edges)
        project.existing_links = [ExistingLink(project.sites[0].id, project.sites[-1].id, owner="P0", annual=0)]
        after = self._problem(project)
        assert _cost(after, solve_heuristic(after, Control(10)).edges) <= cost_before

    def test_a_short_time_limit_still_returns_a_verified_design_promptly(self):
        project = town_region(300, 6, radius_deg=3)
        problem = self._problem(project)
        gc.collect()  # time the search, not a collection of what earlier tests left behind
        started = time.monotonic()
        solution = solve_heuristic(problem, Control(time_limit=0.01))
        elapsed = time.monotonic() - started
        assert verify_design(problem, solution.edges) == []
        gc.collect()
        started = time.monotonic()
        solve_heuristic(problem, Control(time_limit=60))
        assert elapsed < time.monotonic() - started

    def test_cancel_from_another_thread_stops_the_design(self):
        problem = self._problem(town_region(300, 7, radius_deg=3))
        control = Control(time_limit=60)
        threading.Timer(0.05, control.cancel).start()
        with pytest.raises(DesignCancelled):
            solve_heuristic(problem, control)

    def test_progress_is_reported_in_order_between_zero_and_one(self):
        seen = []
        control = Control(time_limit=10, progress=lambda fraction, message: seen.append((fraction, message)))
        solve_heuristic(self._problem(town_region(30, 8)), control)
        fractions = [f for f, _ in seen]
        assert fractions and fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] <= 1
        assert all(message for _, message in seen)


class TestTwoEdge(_Survivable):
    level = "2edge"


class TestTwoNode(_Survivable):
    level = "2node"


def test_two_rings_sharing_a_site_survive_a_link_cut_but_not_the_loss_of_that_site():
    # Two triangles of quotes meet at s2: the only 2edge design; no 2node design exists.
    points = [(-1.0, 53.0), (-0.9, 53.0), (-0.95, 53.05), (-1.0, 53.1), (-0.9, 53.1)]
    project = project_from_points(points)
    project.quotes = [Quote(a, b, 1_000, 0) for a, b in [("s0", "s1"), ("s1", "s2"), ("s2", "s0")]]
    project.quotes += [Quote(a, b, 1_000, 0) for a, b in [("s2", "s3"), ("s3", "s4"), ("s4", "s2")]]
    design = design_project(project, DesignSettings("2edge"))
    assert len(design.links) == 6
    with pytest.raises(InfeasibleError, match="survivable after any one site loss"):
        design_project(project, DesignSettings("2node"))


@pytest.mark.parametrize("method", ["heuristic", "quick"])
def test_a_redesign_from_the_last_design_after_a_site_moved_is_as_good_and_verified(method):
    project = town_region(250, seed=8, radius_deg=2.0)
    settings = DesignSettings("2edge", method=method)
    before = design_project(project, settings)
    assert design_project(project, settings, warm_start=before).total_cost <= before.total_cost  # nothing moved
    moved = project.sites[40]
    project.sites[40] = dataclasses.replace(moved, lon=moved.lon + 0.05, lat=moved.lat - 0.04)
    warm = design_project(project, settings, warm_start=before)
    cold = design_project(project, settings)
    assert warm.verified and not verify_design(build_problem(project), [k.pair for k in warm.links])
    assert warm.total_cost <= cold.total_cost * 1.005
    # a local change: the map barely moves under the user's hand (a search afresh changed 66-84 links here)
    changed = {k.pair for k in warm.links} ^ {k.pair for k in before.links}
    assert 0 < len(changed) <= 12


def test_a_warm_start_that_no_longer_fits_is_left_aside():
    project = town_region(40, seed=9)
    before = design_project(project, DesignSettings("2edge", method="heuristic"))
    project.sites = project.sites[:-1]  # a site deleted: the old ring is no ring through these sites
    warm = design_project(project, DesignSettings("2edge", method="heuristic"), warm_start=before)
    assert warm.total_cost == design_project(project, DesignSettings("2edge", method="heuristic")).total_cost
