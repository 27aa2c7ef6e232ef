"""The editor of the open project: every change a user makes, as one undo command each.

The :class:`~planner.ui.document.ProjectDocument` is the evented model; this is the part
that edits it, as Orange's scheme editor edits its scheme: each method checks the change,
words it for the History ("Redundancy: 2edge → 2node"), and pushes one command onto the
undo stack. It also knows whether the project is still what its file holds: unmodified
means the undo stack is where it was saved *and* the designs are the ones the file holds.

Names typed or pasted in are cleaned to one printable line (:func:`planner.core.text.clean_text`),
so nothing a user types can stop the project from being saved or exported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from planner.core.design_result import Design
from planner.core.model import (
    SHARING_METHODS,
    Demand,
    ExclusionZone,
    ExistingLink,
    Partner,
    Project,
    Quote,
    RiskGroup,
    Scenario,
    Site,
    SiteRole,
    pair_key,
)
from planner.core.money import format_gbp
from planner.core.scenario import scenario_problems
from planner.core.tariff import MAX_BUNDLE, Tariff, Tier
from planner.core.text import SHOWN_CHARS, clean_text
from planner.core.traffic import check_mbps
from planner.core.validate import risk_group_problems
from planner.core.words import plural
from planner.ui import commands
from planner.ui.document import ProjectDocument, format_mbps

if TYPE_CHECKING:
    from planner.io.site_import import SiteImport

__all__ = ["ProjectEditor", "describe_change", "GENERATED"]

#: How a generated risk group's note starts (:mod:`planner.design.ducts`): Generate Ducts replaces those.
GENERATED = "generated:"


class ProjectEditor(QObject):
    """Edits ``document`` through undo commands, and says whether it differs from its file."""

    #: Whether the project differs from its file changed (an edit, undo to the saved state, a new design).
    modified_changed = Signal(bool)

    def __init__(self, document: ProjectDocument, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.undo_stack = QUndoStack(self)
        self._saved_designs: tuple[Design, ...] = tuple(document.project.designs)
        self._modified = False
        self.undo_stack.cleanChanged.connect(self._check_modified)
        document.design_changed.connect(self._check_modified)

    @property
    def project(self) -> Project:
        return self.document.project

    @property
    def sites_by_id(self) -> dict[str, Site]:
        return self.document.sites_by_id

    # -- the file --------------------------------------------------------------------------------
    def replace_project(self, project: Project, path: Path | None = None) -> None:
        """Show another project (New/Open): its history starts afresh, unmodified."""
        self.undo_stack.clear()
        self.document.replace_project(project, path)
        self.mark_saved()

    @property
    def modified(self) -> bool:
        """Whether saving would write something other than the file holds (or there is no file)."""
        saved, designs = self._saved_designs, self.project.designs
        same_designs = len(saved) == len(designs) and all(a is b for a, b in zip(saved, designs, strict=True))
        return not (self.undo_stack.isClean() and same_designs)

    def mark_saved(self) -> None:
        """The project as it is now is what its file holds (just saved or opened)."""
        self._saved_designs = tuple(self.project.designs)
        self.undo_stack.setClean()
        self._check_modified()

    def mark_unsaved(self) -> None:
        """Nothing is in a file yet, whatever is undone (recovered work)."""
        self.undo_stack.resetClean()
        self._check_modified()

    def _check_modified(self) -> None:
        modified = self.modified
        if modified != self._modified:
            self._modified = modified
            self.modified_changed.emit(modified)

    # -- sites and partners ---------------------------------------------------------------------
    def add_site(self, name: str, partner: str, lon: float, lat: float, role: str = "site") -> str:
        """Add a site; returns its new id. The name is cleaned like every typed text (see ``clean_text``)."""
        site = Site(self.project.new_site_id(), clean_text(name), partner, lon, lat, role)
        self.undo_stack.push(commands.AddSite(self.document, site))
        return site.id

    def move_site(self, site_id: str, lon: float, lat: float, drag: int = 0) -> None:
        """Move a site; moves with the same non-zero ``drag`` number merge into one undo step."""
        self.undo_stack.push(commands.MoveSite(self.document, site_id, lon, lat, drag))

    def edit_site(self, site: Site) -> None:
        old = self.project.site(site.id)
        name, note, address = (clean_text(text) for text in (site.name, site.note, site.address))
        site = dataclasses.replace(site, name=name or old.name, note=note, address=address)
        if site != old:
            self.undo_stack.push(
                commands.EditSite(self.document, site, describe_change("site", old, site, self.project))
            )

    def delete_sites(self, site_ids: Iterable[str]) -> None:
        ids = [s.id for s in self.project.sites if s.id in set(site_ids)]
        if ids:
            self.undo_stack.push(commands.DeleteSites(self.document, ids))

    def add_partner(self, name: str, colour: str | None = None, kind: str = "") -> str:
        name, kind = clean_text(name), clean_text(kind)
        partner = Partner(self.project.new_partner_id(name), name, colour or self.project.next_colour(), kind)
        self.undo_stack.push(commands.AddPartner(self.document, partner))
        return partner.id

    def edit_partner(self, partner: Partner) -> None:
        old = self.project.partner(partner.id)
        partner = dataclasses.replace(partner, name=clean_text(partner.name) or old.name, kind=clean_text(partner.kind))
        if partner != old:
            self.undo_stack.push(
                commands.EditPartner(self.document, partner, describe_change("partner", old, partner, self.project))
            )

    def delete_partner(self, partner_id: str) -> None:
        """Delete a partner that has no sites (a partner with sites cannot be removed)."""
        if any(s.partner == partner_id for s in self.project.sites):
            raise ValueError(f"partner {partner_id!r} still has sites")
        self.undo_stack.push(commands.DeletePartner(self.document, partner_id))

    def change_tariff(self, **changes) -> None:
        """Change tariff fields; raises ``ValueError`` naming a bad value (nothing is changed then)."""
        tariff = self.project.tariff.with_changes(**changes)
        if tariff != self.project.tariff:
            text = describe_change("tariff", self.project.tariff, tariff, self.project)
            self.undo_stack.push(commands.SetTariff(self.document, tariff, text))

    def set_tier_factor(self, name: str, factor: Decimal) -> None:
        """Change the price factor of the tier ``name``; ``ValueError`` naming a bad value."""
        tariff = self.project.tariff
        tier = tariff.tier(name)
        if Decimal(factor) == tier.factor:
            return
        tiers = tuple(dataclasses.replace(t, factor=Decimal(factor)) if t.name == name else t for t in tariff.tiers)
        self._push_tariff(tariff, {"tiers": tiers}, f"Tier ‘{name}’ price factor: {tier.factor} → {factor}")

    def add_tier(self, name: str, mbps: int, factor: Decimal) -> None:
        """Offer another bandwidth tier to the design; ``ValueError`` naming a bad value."""
        name = name.strip()
        tariff = self.project.tariff
        if not name:
            raise ValueError("a tier needs a name, such as 2.5G or 100G")
        if name in {t.name for t in tariff.tiers}:
            raise ValueError(f"there is a tier {name} already")
        tiers = tuple(sorted((*tariff.tiers, Tier(name, mbps, Decimal(factor))), key=lambda t: (t.mbps, t.name)))
        self._push_tariff(tariff, {"tiers": tiers}, f"Add tier ‘{name}’")

    def remove_tier(self, name: str) -> None:
        """Stop offering the tier ``name``; refused while it is the smallest tier or quotes or links use it."""
        project, tariff = self.project, self.project.tariff
        tariff.tier(name)
        if name == tariff.min_tier:
            raise ValueError(f"{name} is the smallest tier bought: choose another smallest tier first")
        users = [q for q in project.quotes if q.bandwidth == name]
        users += [e for e in project.existing_links if e.bandwidth == name]
        if users:
            raise ValueError(f"{plural(len(users), 'carrier quote or existing link')} at {name} would have no tier")
        tiers = tuple(t for t in tariff.tiers if t.name != name)
        self._push_tariff(tariff, {"tiers": tiers}, f"Remove tier ‘{name}’")

    def _push_tariff(self, tariff: Tariff, changes: dict, text: str) -> None:
        new = tariff.with_changes(**changes)
        if new != tariff:
            self.undo_stack.push(commands.SetTariff(self.document, new, text))

    def change_settings(self, **changes) -> None:
        settings = dataclasses.replace(self.project.settings, **changes)
        problems = settings.problems()
        if problems:
            raise ValueError(problems[0])
        if settings != self.project.settings:
            text = describe_change("settings", self.project.settings, settings, self.project)
            self.undo_stack.push(commands.SetSettings(self.document, settings, text))

    def choose_sharing_method(self, method: str, labels: dict[str, str]) -> None:
        """The board's split (a key of ``SHARING_METHODS``); ``labels`` name them for the undo entry."""
        if method not in SHARING_METHODS:
            raise ValueError(f"{method!r} is not one of {', '.join(SHARING_METHODS)}")
        old = self.project.sharing_method
        if method != old:
            text = f"Cost split: {labels.get(old, old)} → {labels.get(method, method)}"
            self.undo_stack.push(commands.SetSharingMethod(self.document, method, text))

    # -- what-if scenarios -------------------------------------------------------------------------
    def scenario_problem(self, scenario: Scenario, replacing: str | None = None) -> str | None:
        """Why ``scenario`` cannot be saved with the project (in place of the one named ``replacing``);
        ``None`` if it can."""
        from planner.analysis.scenarios import PLAN

        problems = scenario_problems(self.project, scenario, "Scenario")
        name = scenario.name.strip().casefold()
        if name == PLAN.casefold():
            problems.append(f"Scenario: name: ‘{PLAN}’ stands for the plan itself: choose another name")
        elif any(s.name.strip().casefold() == name and s.name != replacing for s in self.project.scenarios):
            problems.append(f"Scenario: name: there is a scenario ‘{scenario.name}’ already: choose another name")
        return "\n".join(problems) or None

    def add_scenario(self, scenario: Scenario) -> None:
        """Save a what-if with the project; ``ValueError`` saying why not (nothing changes then)."""
        problem = self.scenario_problem(scenario)
        if problem:
            raise ValueError(problem)
        scenarios = [*self.project.scenarios, scenario]
        self.undo_stack.push(commands.SetScenarios(self.document, scenarios, f"Add scenario ‘{scenario.name}’"))

    def edit_scenario(self, name: str, scenario: Scenario) -> None:
        """Put ``scenario`` in place of the one called ``name``; ``ValueError`` saying why not."""
        scenarios = list(self.project.scenarios)
        index = self._scenario_index(name)
        if scenarios[index] == scenario:
            return
        problem = self.scenario_problem(scenario, replacing=name)
        if problem:
            raise ValueError(problem)
        scenarios[index] = scenario
        self.undo_stack.push(commands.SetScenarios(self.document, scenarios, f"Edit scenario ‘{scenario.name}’"))

    def remove_scenario(self, name: str) -> None:
        scenarios = list(self.project.scenarios)
        del scenarios[self._scenario_index(name)]
        self.undo_stack.push(commands.SetScenarios(self.document, scenarios, f"Remove scenario ‘{name}’"))

    def _scenario_index(self, name: str) -> int:
        for i, scenario in enumerate(self.project.scenarios):
            if scenario.name == name:
                return i
        raise KeyError(name)

    def rename_project(self, name: str) -> None:
        name = clean_text(name)
        if name and name != self.project.name:
            self.undo_stack.push(commands.RenameProject(self.document, name))

    # -- constraints: roles, existing and forbidden links, no-go areas, quotes, imports -------------
    def set_roles(self, site_ids: Iterable[str], role: SiteRole) -> None:
        """Make sites hubs, ordinary sites or optional relays, in one undo step."""
        wanted = set(site_ids)
        sites = [dataclasses.replace(s, role=role) for s in self.project.sites if s.id in wanted and s.role != role]
        if not sites:
            return
        one, many = _ROLE_WORDS[role]
        text = f"Make ‘{sites[0].name}’ {one}" if len(sites) == 1 else f"Make {len(sites)} sites {many}"
        self.undo_stack.push(commands.EditSites(self.document, sites, text))

    def mark_existing(self, a: str, b: str, owner: str, annual: int | None = None) -> None:
        """Record that partner ``owner`` already has a circuit ``a``–``b`` (which lifts any ban on it)."""
        key = pair_key(a, b)
        link = ExistingLink(*key, owner, annual)
        project = self.project
        if link in project.existing_links:
            return
        changes = {
            "existing_links": [e for e in project.existing_links if pair_key(e.a, e.b) != key] + [link],
            "forbidden_links": [f for f in project.forbidden_links if pair_key(*f) != key],
        }
        if len(changes["forbidden_links"]) == len(project.forbidden_links):
            del changes["forbidden_links"]
        self.undo_stack.push(commands.SetLists(self.document, changes, f"Mark existing link {self._pair_words(a, b)}"))

    def remove_existing(self, pairs: Iterable[tuple[str, str]]) -> None:
        gone = {pair_key(a, b) for a, b in pairs}
        kept = [e for e in self.project.existing_links if pair_key(e.a, e.b) not in gone]
        removed = [(e.a, e.b) for e in self.project.existing_links if pair_key(e.a, e.b) in gone]
        if removed:
            text = self._count_words(removed, "Remove existing link", "Remove {n} existing links")
            self.undo_stack.push(commands.SetLists(self.document, {"existing_links": kept}, text))

    def forbid_link(self, a: str, b: str) -> None:
        """Never use a circuit ``a``–``b`` (nor keep it as an existing link)."""
        key = pair_key(a, b)
        project = self.project
        if key in {pair_key(*f) for f in project.forbidden_links}:
            return
        changes = {
            "forbidden_links": [*project.forbidden_links, key],
            "existing_links": [e for e in project.existing_links if pair_key(e.a, e.b) != key],
        }
        if len(changes["existing_links"]) == len(project.existing_links):
            del changes["existing_links"]
        self.undo_stack.push(commands.SetLists(self.document, changes, f"Forbid link {self._pair_words(a, b)}"))

    def allow_links(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Lift the ban on forbidden links."""
        gone = {pair_key(a, b) for a, b in pairs}
        kept = [f for f in self.project.forbidden_links if pair_key(*f) not in gone]
        removed = [f for f in self.project.forbidden_links if pair_key(*f) in gone]
        if removed:
            text = self._count_words(removed, "Allow link", "Allow {n} forbidden links")
            self.undo_stack.push(commands.SetLists(self.document, {"forbidden_links": kept}, text))

    def add_zone(self, ring: list[tuple[float, float]], name: str = "") -> str:
        """Add a no-go area with corners ``ring`` (lon, lat); returns its name.

        Raises ``ValueError`` when the corners do not make a simple polygon.
        """
        from shapely.geometry import Polygon

        polygon = Polygon(ring) if len(ring) >= 3 else Polygon()
        if polygon.convex_hull.area == 0:
            raise ValueError("a no-go area needs at least three corners that are not in a line")
        if not polygon.is_valid:
            raise ValueError("a no-go area's edges must not cross each other")
        names, name = {z.name for z in self.project.exclusion_zones}, clean_text(name)
        name = name or next(f"No-go area {n}" for n in range(1, len(names) + 2) if f"No-go area {n}" not in names)
        coordinates = [[round(lon, 6), round(lat, 6)] for lon, lat in [*ring, ring[0]]]
        zone = ExclusionZone(name, {"type": "Polygon", "coordinates": [coordinates]})
        zones = [*self.project.exclusion_zones, zone]
        self.undo_stack.push(commands.SetLists(self.document, {"exclusion_zones": zones}, f"Add no-go area ‘{name}’"))
        return name

    def remove_zones(self, indices: Iterable[int]) -> None:
        gone = set(indices)
        zones = self.project.exclusion_zones
        names = [z.name for i, z in enumerate(zones) if i in gone]
        if names:
            kept = [z for i, z in enumerate(zones) if i not in gone]
            text = f"Delete no-go area ‘{names[0]}’" if len(names) == 1 else f"Delete {len(names)} no-go areas"
            self.undo_stack.push(commands.SetLists(self.document, {"exclusion_zones": kept}, text))

    def rename_zone(self, index: int, name: str) -> None:
        zones = list(self.project.exclusion_zones)
        old, name = zones[index], clean_text(name)
        if name and name != old.name:
            zones[index] = dataclasses.replace(old, name=name)
            text = f"Rename no-go area ‘{old.name}’ to ‘{name}’"
            self.undo_stack.push(commands.SetLists(self.document, {"exclusion_zones": zones}, text))

    def set_quotes(self, quotes: list[Quote], source: str = "") -> None:
        """Use carrier quotes (they then limit which links a design may use); an empty list clears them."""
        if quotes == self.project.quotes:
            return
        if quotes:
            text = f"Import {len(quotes)} carrier quotes" + (f" from {source}" if source else "")
        else:
            text = f"Clear {len(self.project.quotes)} carrier quotes"
        self.undo_stack.push(commands.SetLists(self.document, {"quotes": quotes}, text))

    def import_sites(self, plan: SiteImport) -> None:
        """Add (or with ``plan.replace``, put in place of every site) the sites of an import plan."""
        n = len(plan.sites)
        source = f" from {plan.source}" if plan.source else ""
        text = f"Replace sites with {n}{source}" if plan.replace else f"Import {n} sites{source}"
        self.undo_stack.push(
            commands.ImportSites(self.document, list(plan.sites), list(plan.new_partners), plan.replace, text)
        )

    # -- shared-risk groups ------------------------------------------------------------------------------
    def risk_group_problem(self, group: RiskGroup, others: Iterable[RiskGroup] | None = None) -> str | None:
        """Why ``group`` cannot be one of the project's groups beside ``others`` (by default the project's);
        ``None`` if it can. The words name the group as the user knows it."""
        if not group.name.strip():
            return "a risk group needs a name"
        problems = risk_group_problems(group, self.sites_by_id)
        if problems:
            return f"risk group ‘{group.name}’: {problems[0]}"
        if any(g.name == group.name for g in (self.project.risk_groups if others is None else others)):
            return f"there is a risk group ‘{group.name}’ already: choose another name"
        return None

    def next_risk_group_name(self, stem: str) -> str:
        """``stem`` and the first number no group's name has: ``Corridor 1``, ``Corridor 2``, …"""
        taken = {g.name for g in self.project.risk_groups}
        return next(f"{stem} {n}" for n in range(1, len(taken) + 2) if f"{stem} {n}" not in taken)

    def add_risk_group(self, group: RiskGroup) -> None:
        """Add a shared-risk group; ``ValueError`` saying why not (nothing changes then)."""
        group = RiskGroup.of(clean_text(group.name), group.links, group.sites, clean_text(group.note))
        problem = self.risk_group_problem(group)
        if problem:
            raise ValueError(problem)
        what = [plural(len(group.links), "link")] if group.links else []
        what += [plural(len(group.sites), "site")] if group.sites else []
        text = f"Add risk group ‘{_value_words('name', group.name, self.project)}’ ({', '.join(what)})"
        groups = [*self.project.risk_groups, group]
        self.undo_stack.push(commands.SetLists(self.document, {"risk_groups": groups}, text))

    def rename_risk_group(self, name: str, new_name: str) -> None:
        """Rename the group ``name``; ``ValueError`` for an empty name or one another group has."""
        groups = list(self.project.risk_groups)
        index = self._risk_group_index(name)
        new_name = clean_text(new_name)
        if new_name == name:
            return
        renamed = dataclasses.replace(groups[index], name=new_name)
        problem = self.risk_group_problem(renamed, groups[:index] + groups[index + 1 :])
        if problem:
            raise ValueError(problem)
        groups[index] = renamed
        words = (_value_words("name", n, self.project) for n in (name, new_name))
        text = "Rename risk group ‘{}’ to ‘{}’".format(*words)
        self.undo_stack.push(commands.SetLists(self.document, {"risk_groups": groups}, text))

    def delete_risk_groups(self, names: Iterable[str]) -> None:
        """Delete the groups called ``names``, in one undo step."""
        gone = set(names)
        removed = [g.name for g in self.project.risk_groups if g.name in gone]
        if not removed:
            return
        kept = [g for g in self.project.risk_groups if g.name not in gone]
        if len(removed) == 1:
            text = f"Delete risk group ‘{_value_words('name', removed[0], self.project)}’"
        else:
            text = f"Delete {len(removed):,} risk groups"
        self.undo_stack.push(commands.SetLists(self.document, {"risk_groups": kept}, text))

    def generate_ducts(self, ducts: list[RiskGroup]) -> int:
        """Put ``ducts`` (:func:`planner.design.ducts.duct_groups`) in place of the groups generated before
        (their note starts ``generated:``), keeping the user's own; one undo step. A duct named like one of
        the user's groups is left out. Returns how many ducts the project now has."""
        own = [g for g in self.project.risk_groups if not g.note.startswith(GENERATED)]
        names = {g.name for g in own}
        ducts = [g for g in ducts if g.name not in names]
        groups = own + ducts
        if groups != self.project.risk_groups:
            text = f"Generate {plural(len(ducts), 'duct group')}"
            self.undo_stack.push(commands.SetLists(self.document, {"risk_groups": groups}, text))
        return len(ducts)

    def import_risk_groups(self, groups: list[RiskGroup], source: str = "", replace: bool = False) -> None:
        """Use imported groups: in place of every group (``replace``), or beside them, a group named like
        one of the project's taking the file's members in its place. ``ValueError`` naming the first group
        refused (nothing changes then)."""
        seen: set[str] = set()
        for group in groups:
            problem = self.risk_group_problem(group, ())
            if not problem and group.name in seen:
                problem = f"risk group ‘{group.name}’ is listed twice"
            if problem:
                raise ValueError(problem)
            seen.add(group.name)
        if replace:
            new = list(groups)
        else:
            imported = {g.name: g for g in groups}
            new = [imported.pop(g.name, g) for g in self.project.risk_groups]
            new += imported.values()
        if new == self.project.risk_groups:
            return
        text = _import_text("risk group", len(groups), source, replace and bool(self.project.risk_groups))
        self.undo_stack.push(commands.SetLists(self.document, {"risk_groups": new}, text))

    def _risk_group_index(self, name: str) -> int:
        for i, group in enumerate(self.project.risk_groups):
            if group.name == name:
                return i
        raise KeyError(name)

    # -- traffic: pair demands ----------------------------------------------------------------------
    def demand_problem(self, demand: Demand, others: Iterable[Demand] | None = None) -> str | None:
        """Why ``demand`` cannot be added beside ``others`` (the project's demands by default); ``None`` if it can.

        The words name sites as the user knows them; the engine would refuse the same things.
        """
        project = self.project
        sites = self.sites_by_id
        for end in (demand.a, demand.b):
            if end not in sites:
                return f"{end!r} is not a site of this project"
        if demand.a == demand.b:
            return f"a demand joins two different sites (‘{sites[demand.a].name}’ twice)"
        for end in (demand.a, demand.b):
            if sites[end].role == "optional":
                return f"‘{sites[end].name}’ is an optional relay (it need not be connected), so it has no traffic"
        bad = check_mbps(demand.mbps)
        if bad:
            return bad
        from planner.io.demand_tables import largest_link_mbps

        limit = largest_link_mbps(project)
        if demand.mbps > limit:
            return (
                f"{format_mbps(demand.mbps)} Mb/s is more than any link may carry ({limit:,.0f} Mb/s: "
                f"{MAX_BUNDLE} of the fastest circuits at the utilisation limit)"
            )
        for other in project.demands if others is None else others:
            if other.pair == demand.pair:
                return (
                    f"{self._pair_words(demand.a, demand.b)} has a demand already "
                    f"({format_mbps(other.mbps)} Mb/s): change that one"
                )
        return None

    def add_demand(self, a: str, b: str, mbps: float) -> None:
        """Add a demand of ``mbps`` each way between sites ``a`` and ``b``; ``ValueError`` saying why not."""
        demand = Demand(a, b, float(mbps))
        problem = self.demand_problem(demand)
        if problem:
            raise ValueError(problem)
        text = f"Add demand {self._pair_words(a, b)}"
        self.undo_stack.push(commands.SetLists(self.document, {"demands": [*self.project.demands, demand]}, text))

    def edit_demand(self, which: int | tuple[str, str], demand: Demand) -> None:
        """Put ``demand`` in place of the demand at index ``which`` (or for the pair ``which``)."""
        demands = list(self.project.demands)
        index = which if isinstance(which, int) else self._demand_index(which)
        old = demands[index]
        demand = dataclasses.replace(demand, mbps=float(demand.mbps))
        if demand == old:
            return
        problem = self.demand_problem(demand, demands[:index] + demands[index + 1 :])
        if problem:
            raise ValueError(problem)
        demands[index] = demand
        words = self._pair_words(demand.a, demand.b)
        if old.pair == demand.pair:
            text = f"Change demand {words} to {format_mbps(demand.mbps)} Mb/s"
        else:
            text = f"Edit demand {self._pair_words(old.a, old.b)}"
        self.undo_stack.push(commands.SetLists(self.document, {"demands": demands}, text))

    def delete_demands(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Delete the demands between the pairs of sites ``pairs``, in one undo step."""
        gone = {pair_key(a, b) for a, b in pairs}
        kept = [d for d in self.project.demands if d.pair not in gone]
        removed = [(d.a, d.b) for d in self.project.demands if d.pair in gone]
        if removed:
            text = self._count_words(removed, "Delete demand", "Delete {n} demands")
            self.undo_stack.push(commands.SetLists(self.document, {"demands": kept}, text))

    def import_demands(self, demands: list[Demand], source: str = "", replace: bool = False) -> None:
        """Use imported demands: in place of every demand (``replace``), or beside them, a pair the
        project lists already taking the imported rate. Nothing changes if any is refused (``ValueError``)."""
        demands = [dataclasses.replace(d, mbps=float(d.mbps)) for d in demands]
        seen: set[tuple[str, str]] = set()
        for i, demand in enumerate(demands):
            words = self._pair_words(demand.a, demand.b)
            if demand.pair in seen:
                raise ValueError(f"demand {i + 1}: the pair {words} is listed twice: give one rate")
            seen.add(demand.pair)
            problem = self.demand_problem(demand, ())
            if problem:
                raise ValueError(f"demand {i + 1} ({words}): {problem}")
        if replace:
            new = demands
        else:  # a pair listed already keeps its place and its ends, with the imported rate
            imported = {d.pair: d for d in demands}
            new = [
                dataclasses.replace(d, mbps=imported.pop(d.pair).mbps) if d.pair in imported else d
                for d in self.project.demands
            ]
            new += imported.values()
        if new == self.project.demands:
            return
        text = _import_text("demand", len(demands), source, replace and bool(self.project.demands))
        self.undo_stack.push(commands.SetLists(self.document, {"demands": new}, text))

    def _demand_index(self, pair: tuple[str, str]) -> int:
        key = pair_key(*pair)
        for i, demand in enumerate(self.project.demands):
            if demand.pair == key:
                return i
        raise KeyError(pair)

    def _count_words(self, pairs: list[tuple[str, str]], one: str, many: str) -> str:
        """``one`` followed by the pair's site names, or ``many`` with ``{n}`` the number of pairs."""
        return f"{one} {self._pair_words(*pairs[0])}" if len(pairs) == 1 else many.format(n=len(pairs))

    def _pair_words(self, a: str, b: str) -> str:
        sites = self.sites_by_id
        return f"‘{sites[a].name if a in sites else a}’–‘{sites[b].name if b in sites else b}’"


_ROLE_WORDS = {
    "hub": ("a hub", "hubs"),
    "site": ("an ordinary site", "ordinary sites"),
    "optional": ("an optional relay", "optional relays"),
}
_FIELD_WORDS = {
    "connection_per_end": "connection charge per end",
    "rental_per_end": "rental per end",
    "rental_per_km": "rental per km",
    "route_factor": "route factor",
    "term_years": "term",
    "min_tier": "smallest tier",
    "max_utilisation": "utilisation limit",
    "demand_mbps": "traffic",
    "time_limit": "time limit",
    "max_hops": "hop limit",
    "max_ring": "ring limit",
    "k_nearest": "nearest neighbours",
    "survive_risk_groups": "survive shared-risk groups",
}
_MONEY_FIELDS = {"connection_per_end", "rental_per_end", "rental_per_km"}


def _value_words(field: str, value, project: Project) -> str:
    """``value`` of ``field`` as the panels show it: ``£45.00``, ``80%``, ``30 s``, ``none``, a partner's name."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    if field in _MONEY_FIELDS:
        return format_gbp(value)
    if field == "max_utilisation":
        return f"{value:.0%}"
    if field == "time_limit":
        return f"{value:g} s"
    if field == "term_years":
        return plural(value, "year")
    if field == "demand_mbps":
        return f"{format_mbps(value)} Mb/s"
    if field == "partner":
        partner = next((p for p in project.partners if p.id == value), None)
        value = partner.name if partner else value
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _import_text(noun: str, count: int, source: str, replacing: bool) -> str:
    """The History's words for importing ``count`` of ``noun`` from ``source``: ``Import 3 demands from
    d.csv``, or ``Replace demands with 3 from d.csv`` when they take the place of the project's."""
    src = f" from {source}" if source else ""
    return f"Replace {noun}s with {count:,}{src}" if replacing else f"Import {plural(count, noun)}{src}"


def describe_change(what: str, old, new, project: Project) -> str:
    """The History's words for replacing ``old`` with ``new``: what changed, from what to what.

    ``what`` is ``site``, ``partner``, ``tariff`` or ``settings``; a change of one field reads
    ``Redundancy: 2edge → 2node`` (or ``Site ‘Leeds’ role: site → hub``), of several ``Edit site
    ‘Leeds’: name, note``, and a site's new position ``Move site ‘Leeds’``.
    """
    changed = [f.name for f in dataclasses.fields(old) if getattr(old, f.name) != getattr(new, f.name)]
    named = hasattr(old, "name")
    subject = f"{what} ‘{_value_words('name', old.name, project)}’" if named else what
    if {"lon", "lat"} >= set(changed):
        return f"Move {subject}"
    if changed == ["name"]:
        return f"Rename {subject} to ‘{_value_words('name', new.name, project)}’"
    if len(changed) > 1:
        return f"Edit {subject}: {', '.join(_FIELD_WORDS.get(f, f.replace('_', ' ')) for f in changed)}"
    field = changed[0]
    words = _FIELD_WORDS.get(field, field.replace("_", " "))
    label = f"{subject[0].upper()}{subject[1:]} {words}" if named else words[0].upper() + words[1:]
    before, after = (_value_words(field, getattr(value, field), project) for value in (old, new))
    return f"{label}: {before} → {after}"
