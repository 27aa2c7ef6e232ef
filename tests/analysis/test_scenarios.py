"""Scenarios compared with the plan: designed, shared out, circuits added and removed, entry prices."""

from collections import Counter

import pytest

from planner.analysis.scenarios import PLAN, compare_scenarios
from planner.core.model import Partner, Scenario, Site
from planner.design.problem import build_problem
from planner.design.verify import verify_design
from tests.analysis.test_sharing import three_partners

JOINS = Scenario("D joins", joining=(Partner("D", "Delta Health"),), joining_sites=(Site("d1", "d1", "D", -0.9, 53.7),))
LEAVES = Scenario("C leaves", leaving=("C",))


@pytest.fixture(scope="module")
def compared():
    project = three_partners()
    project.scenarios = [JOINS, LEAVES, Scenario("Protected", redundancy="2node")]
    return project, compare_scenarios(project)


def test_every_scenario_is_designed_for_its_own_sites_and_shared_out(compared):
    project, results = compared
    assert [r.name for r in results] == [PLAN, "D joins", "C leaves", "Protected"]
    for r in results:
        wanted = {s.id for s in r.project.sites}
        assert set(r.design.sites) == wanted
        assert not verify_design(build_problem(r.project), [k.pair for k in r.design.links])
        assert sum(r.share(p.id) for p in r.project.partners) == r.design.total_cost
    assert results[2].share("C") is None and results[1].share("D") is not None
    assert results[3].design.redundancy == "2node" and project.settings.redundancy == "2edge"


def test_circuits_added_and_removed_are_the_difference_of_the_two_designs(compared):
    _, results = compared
    plan = Counter(k.pair for k in results[0].design.links for _ in range(k.circuits))
    for r in results[1:]:
        mine = Counter(k.pair for k in r.design.links for _ in range(k.circuits))
        assert Counter(r.added) == mine - plan and Counter(r.removed) == plan - mine


def test_a_partner_joining_is_told_what_it_adds_and_what_it_would_pay(compared):
    _, results = compared
    joined = results[1]
    assert joined.entry == {"D": joined.design.total_cost - results[0].design.total_cost}
    assert results[2].entry == {}


def test_a_partner_leaving_prices_no_coalition_the_plan_had_not(compared):
    _, results = compared
    plan_keys = results[0].sharing.coalition_keys
    assert results[2].sharing.coalition_keys <= plan_keys  # every group without C was priced for the plan
    assert not results[1].sharing.coalition_keys <= plan_keys  # groups with D are new


def test_an_unknown_scenario_is_named():
    project = three_partners()
    project.scenarios = [LEAVES]
    with pytest.raises(KeyError, match="no scenario 'Nope' in the project"):
        compare_scenarios(project, names=["Nope"])
