"""What-if scenarios: the project as it would be if partners joined or left, the redundancy or prices
changed, or traffic grew.

A :class:`~planner.core.model.Scenario` is stored with the project and applied on
demand, so the plan itself never changes:

>>> from planner.core.model import Partner, Project, Scenario, Site
>>> plan = Project(partners=[Partner("A", "A"), Partner("B", "B")], sites=[
...     Site("a1", "a1", "A", -1.5, 53.8), Site("b1", "b1", "B", -1.1, 53.9)])
>>> [s.id for s in apply_scenario(plan, Scenario("B leaves", leaving=("B",))).sites]
['a1']
"""

from __future__ import annotations

import math
from dataclasses import replace

from planner.core.model import REDUNDANCY_LEVELS, Project, Scenario, groups_within
from planner.core.text import shown

__all__ = ["apply_scenario", "scenario_problems", "MOST_GROWTH"]

#: Demands may grow by at most this factor in a scenario (10: eleven times today's traffic).
MOST_GROWTH = 10.0


def scenario_problems(project: Project, scenario: Scenario, where: str) -> list[str]:
    """Field-named reasons ``scenario`` cannot apply to ``project`` (empty when it can)."""
    found = []
    partners = {p.id for p in project.partners}
    if not scenario.name.strip():
        found.append(f"{where}: name: must not be empty")
    for partner in scenario.leaving:
        if partner not in partners:
            found.append(f"{where}: leaving: {shown(partner)} is not a partner")
    joining = {p.id for p in scenario.joining}
    for p in scenario.joining:
        if p.id in partners:
            found.append(f"{where}: joining: {shown(p.id)} is already a partner")
    if len(joining) < len(scenario.joining):
        found.append(f"{where}: joining: a partner id is used twice")
    ids = {s.id for s in project.sites}
    for i, site in enumerate(scenario.joining_sites):
        if site.partner not in joining:
            found.append(f"{where}: joining_sites[{i}] ({site.id}): partner: {shown(site.partner)} is not joining")
        if site.id in ids:
            found.append(f"{where}: joining_sites[{i}] ({site.id}): id: already a site of the project")
        ids.add(site.id)
    if scenario.redundancy is not None and scenario.redundancy not in REDUNDANCY_LEVELS:
        found.append(f"{where}: redundancy: {shown(scenario.redundancy)} is not one of {', '.join(REDUNDANCY_LEVELS)}")
    growth = scenario.demand_growth
    if not (isinstance(growth, int | float) and math.isfinite(growth) and -1 < growth <= MOST_GROWTH):
        found.append(f"{where}: demand_growth: {shown(growth)} must be a fraction above -1 and at most {MOST_GROWTH:g}")
    if scenario.tariff is not None:
        found += [f"{where}: tariff: {p}" for p in scenario.tariff.problems()]
    return found


def apply_scenario(project: Project, scenario: Scenario) -> Project:
    """``project`` as ``scenario`` would make it: a new project, with no designs (they are out of date)."""
    leaving = set(scenario.leaving)
    sites = [s for s in project.sites if s.partner not in leaving] + list(scenario.joining_sites)
    kept = {s.id for s in sites}
    growth = 1.0 + scenario.demand_growth

    def inside(a: str, b: str) -> bool:
        return a in kept and b in kept

    settings = project.settings
    if scenario.redundancy is not None:
        settings = replace(settings, redundancy=scenario.redundancy)
    return replace(
        project,
        name=f"{project.name}: {scenario.name}",
        partners=[p for p in project.partners if p.id not in leaving] + list(scenario.joining),
        sites=[replace(s, demand_mbps=s.demand_mbps * growth) for s in sites],
        tariff=scenario.tariff or project.tariff,
        quotes=[q for q in project.quotes if inside(q.a, q.b)],
        demands=[replace(d, mbps=d.mbps * growth) for d in project.demands if inside(d.a, d.b)],
        existing_links=[e for e in project.existing_links if e.owner not in leaving and inside(e.a, e.b)],
        forbidden_links=[(a, b) for a, b in project.forbidden_links if inside(a, b)],
        risk_groups=groups_within(project.risk_groups, kept),
        settings=settings,
        designs=[],
        circuit_ids=dict(project.circuit_ids),
        scenarios=[],
    )
