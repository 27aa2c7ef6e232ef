"""Scenarios: stored with the project, applied without changing it, refused with a clear message when wrong."""

from dataclasses import replace

import pytest

from planner.core.errors import InputError
from planner.core.model import Demand, ExistingLink, Partner, Project, Scenario, Site
from planner.core.project_file import load_project, save_project
from planner.core.scenario import apply_scenario
from planner.core.tariff import Tariff
from planner.core.validate import project_problems


def _plan() -> Project:
    return Project(
        name="Plan",
        partners=[Partner("A", "Alpha"), Partner("B", "Beta")],
        sites=[
            Site("a1", "a1", "A", -1.5, 53.8, "hub"),
            Site("a2", "a2", "A", -1.4, 53.4, demand_mbps=100.0),
            Site("b1", "b1", "B", -1.1, 53.9, "hub"),
            Site("b2", "b2", "B", -1.0, 53.5),
        ],
        demands=[Demand("a1", "a2", 500.0), Demand("a1", "b1", 50.0)],
        existing_links=[ExistingLink("b1", "b2", "B"), ExistingLink("a2", "b2", "A")],
    )


JOINING = Scenario(
    "Health joins",
    joining=(Partner("H", "Health trust", "#CC79A7", "health"),),
    joining_sites=(Site("h1", "Hospital", "H", -1.2, 53.6),),
)


def test_a_partner_leaving_takes_its_sites_links_and_traffic_and_the_plan_is_unchanged():
    plan = _plan()
    without = apply_scenario(plan, Scenario("B leaves", leaving=("B",)))
    assert [p.id for p in without.partners] == ["A"] and [s.id for s in without.sites] == ["a1", "a2"]
    assert without.demands == [Demand("a1", "a2", 500.0)] and without.existing_links == []
    assert without.designs == [] and without.scenarios == []
    assert len(plan.sites) == 4 and len(plan.demands) == 2  # the plan itself is untouched


def test_joining_growth_redundancy_and_prices_apply_together():
    dearer = replace(Tariff(), rental_per_km=9_000)
    what_if = replace(JOINING, redundancy="2node", tariff=dearer, demand_growth=0.2)
    found = apply_scenario(_plan(), what_if)
    assert found.partners[-1].id == "H" and found.sites[-1].id == "h1"
    assert found.settings.redundancy == "2node" and found.tariff == dearer
    assert [d.mbps for d in found.demands] == [600.0, 60.0] and found.sites[1].demand_mbps == 120.0


def test_scenarios_are_saved_and_read_back(tmp_path):
    plan = _plan()
    plan.scenarios = [JOINING, Scenario("Resilient", redundancy="2node", demand_growth=0.2, leaving=("A",))]
    path = tmp_path / "plan.json"
    save_project(plan, path)
    assert load_project(path).scenarios == plan.scenarios


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (Scenario("X", leaving=("Z",)), "scenarios[0] (X): leaving: 'Z' is not a partner"),
        (Scenario("X", joining=(Partner("A", "Again"),)), "joining: 'A' is already a partner"),
        (Scenario("X", joining_sites=(Site("z1", "z", "Z", 0, 51),)), "partner: 'Z' is not joining"),
        (replace(JOINING, joining_sites=(Site("a1", "dup", "H", 0, 51),)), "id: already a site of the project"),
        (replace(JOINING, joining_sites=(Site("h1", "far", "H", 0, 95),)), "lat"),
        (Scenario("X", demand_growth=float("nan")), "demand_growth: nan must be a finite number"),
        (Scenario("X", demand_growth=-1.0), "demand_growth"),
        (Scenario("X", redundancy="3edge"), "redundancy: '3edge' is not one of"),
        (Scenario(" "), "name: must not be empty"),
    ],
)
def test_a_scenario_that_cannot_apply_is_named_with_its_field(tmp_path, scenario, message):
    plan = _plan()
    plan.scenarios = [scenario]
    path = tmp_path / "plan.json"
    save_project(plan, path)
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert message in str(caught.value) and "plan.json" in str(caught.value)


def test_two_scenarios_of_one_name_are_refused():
    plan = _plan()
    plan.scenarios = [Scenario("Same"), Scenario("Same", demand_growth=0.1)]
    assert any("name: 'Same' is used twice" in p for p in project_problems(plan))
