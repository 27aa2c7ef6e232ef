"""Consistency checks across a whole project (ids, references, coordinates, demands)."""

from __future__ import annotations

from collections.abc import Container

from planner.core.geo import check_lonlat
from planner.core.model import SHARING_METHODS, SITE_ROLES, Project, RiskGroup
from planner.core.scenario import apply_scenario, scenario_problems
from planner.core.text import shown
from planner.core.traffic import traffic_problems

__all__ = ["project_problems", "risk_group_problems"]


def project_problems(project: Project) -> list[str]:
    """Field-named problems, e.g. ``sites[3] (LDS-HQ): partner: 'XX' is not a partner``."""
    found: list[str] = []
    if project.sharing_method not in SHARING_METHODS:
        methods = ", ".join(SHARING_METHODS)
        found.append(f"cost_sharing: method: {shown(project.sharing_method)} is not one of {methods}")
    tiers = [t.name for t in project.tariff.tiers]
    partner_ids: set[str] = set()
    for i, p in enumerate(project.partners):
        where = f"partners[{i}]"
        if not p.id.strip():
            found.append(f"{where}: id: must not be empty")
        elif p.id in partner_ids:
            found.append(f"{where}: id: {shown(p.id)} is used twice")
        partner_ids.add(p.id)
    site_ids: set[str] = set()
    for i, s in enumerate(project.sites):
        where = f"sites[{i}] ({s.id})"
        if not s.id.strip():
            found.append(f"sites[{i}]: id: must not be empty")
        elif s.id in site_ids:
            found.append(f"{where}: id: {shown(s.id)} is used twice")
        site_ids.add(s.id)
        if s.partner not in partner_ids:
            found.append(f"{where}: partner: {shown(s.partner)} is not a partner")
        if s.role not in SITE_ROLES:
            found.append(f"{where}: role: {shown(s.role)} is not one of {', '.join(SITE_ROLES)}")
        bad = check_lonlat(s.lon, s.lat)
        if bad:
            found.append(f"{where}: {bad}")
    for section, links in (
        ("candidate_links", project.quotes),
        ("existing_links", project.existing_links),
    ):
        seen: set[tuple] = set()
        for i, link in enumerate(links):
            where = f"{section}[{i}]"
            for end in ("a", "b"):
                if getattr(link, end) not in site_ids:
                    found.append(f"{where}: {end}: {shown(getattr(link, end))} is not a site id")
            if link.a == link.b:
                found.append(f"{where}: a link must join two different sites ({shown(link.a)} twice)")
            tier = link.bandwidth
            if tier is not None and tier not in tiers:
                found.append(f"{where}: bandwidth: {shown(tier)} is not one of the tariff's tiers ({', '.join(tiers)})")
            quoted = (tier or project.tariff.min_tier) if section == "candidate_links" else None
            key = (*sorted((link.a, link.b)), quoted)
            if key in seen:
                at = f" at {quoted}" if quoted else ""
                found.append(f"{where}: the pair {link.a}-{link.b} is listed twice{at}")
            seen.add(key)
            owner = getattr(link, "owner", None)
            if owner is not None and owner not in partner_ids:
                found.append(f"{where}: owner: {shown(owner)} is not a partner")
    for i, (a, b) in enumerate(project.forbidden_links):
        for end, value in (("a", a), ("b", b)):
            if value not in site_ids:
                found.append(f"forbidden_links[{i}]: {end}: {shown(value)} is not a site id")
    found += _risk_group_problems(project, site_ids)
    if not found:  # demands refer to sites: check them once the sites are sound
        found += traffic_problems(project)
    found += [f"tariff: {p}" for p in project.tariff.problems()]
    found += [f"settings: {p}" for p in project.settings.problems()]
    if not found:  # a scenario is checked as the project it makes, once the plan itself is sound
        found += _scenarios_problems(project)
    return found


def _risk_group_problems(project: Project, site_ids: set[str]) -> list[str]:
    """A group must have a name of its own and hold something, and name only sites the project has."""
    found: list[str] = []
    names: set[str] = set()
    for i, group in enumerate(project.risk_groups):
        where = f"risk_groups[{i}] ({shown(group.name)})"
        if not group.name.strip():
            found.append(f"risk_groups[{i}]: name: must not be empty")
        elif group.name in names:
            found.append(f"{where}: name: {shown(group.name)} is used twice")
        names.add(group.name)
        found += [f"{where}: {problem}" for problem in risk_group_problems(group, site_ids)]
    return found


def risk_group_problems(group: RiskGroup, site_ids: Container[str]) -> list[str]:
    """What is wrong with what ``group`` holds (not its name): nothing at all, a link from a site to
    itself, a site that is not one of ``site_ids``.

    >>> risk_group_problems(RiskGroup.of("duct", [("a", "zz")]), {"a", "b"})
    ["link 'a'-'zz': 'zz' is not a site id"]
    """
    found = ["the group holds no links and no sites"] if group.empty else []
    for a, b in group.links:
        if a == b:
            found.append(f"link {shown(a)}-{shown(b)}: a link must join two different sites")
        unknown = [end for end in (a, b) if end not in site_ids]
        if unknown:
            found.append(f"link {shown(a)}-{shown(b)}: {shown(unknown[0])} is not a site id")
    found += [f"sites: {shown(site)} is not a site id" for site in group.sites if site not in site_ids]
    return found


def _scenarios_problems(project: Project) -> list[str]:
    found: list[str] = []
    names = [x.name for x in project.scenarios]
    for i, scenario in enumerate(project.scenarios):
        where = f"scenarios[{i}] ({scenario.name})"
        problems = scenario_problems(project, scenario, where)
        if names.index(scenario.name) < i:
            problems.append(f"{where}: name: {shown(scenario.name)} is used twice")
        found += problems or [f"{where}: {p}" for p in project_problems(apply_scenario(project, scenario))]
    return found
