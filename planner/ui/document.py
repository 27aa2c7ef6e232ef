"""The Qt-side document: the pure ``Project`` plus its file, undo stack, selection and design.

Widgets read the project through the document and change it only by pushing undo
commands (the ``add_site``/``move_site``/… methods below build them); the primitive
setters used by those commands replace immutable values and emit one signal each, so
every view refreshes exactly what changed. Nothing here computes a cost: designs come
from the engine through :class:`~planner.ui.design_runner.DesignRunner`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from planner.core.design_result import Design, DesignLink
from planner.core.model import DesignSettings, Partner, Project, Site
from planner.core.tariff import Tariff
from planner.ui import commands

__all__ = ["ProjectDocument", "Selection"]


class Selection(QObject):
    """The selected sites and circuits, shared by the map and the schedule."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.sites: frozenset[str] = frozenset()
        self.circuits: frozenset[str] = frozenset()

    def set(self, sites: Iterable[str] = (), circuits: Iterable[str] = ()) -> None:
        sites, circuits = frozenset(sites), frozenset(circuits)
        if (sites, circuits) != (self.sites, self.circuits):
            self.sites, self.circuits = sites, circuits
            self.changed.emit()

    def clear(self) -> None:
        self.set()


class ProjectDocument(QObject):
    """One open project: its data, file path, undo history, selection and shown design."""

    project_replaced = Signal()  # a new or opened project: every view rebuilds
    sites_changed = Signal()  # sites added or removed
    site_changed = Signal(str)  # one site's value replaced (moved, renamed, …)
    partners_changed = Signal()
    tariff_changed = Signal()
    settings_changed = Signal()
    name_changed = Signal()
    path_changed = Signal()
    inputs_changed = Signal()  # anything a design depends on: the design is now stale
    design_changed = Signal()  # the shown design, or whether it is current, changed

    def __init__(self, project: Project | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.selection = Selection(self)
        self.project = project or Project()
        self.path: Path | None = None
        #: Counts changes to the design inputs, so a result for older inputs is recognised.
        self.revision = 0
        self._design: Design | None = self.project.current_design
        self._design_current = self._design is not None

    # -- whole project ------------------------------------------------------------------
    def replace_project(self, project: Project, path: Path | None = None) -> None:
        """Show another project (New/Open): history and selection start afresh."""
        self.project, self.path = project, path
        self.undo_stack.clear()
        self.selection.clear()
        self.revision += 1
        self._design = project.current_design
        self._design_current = self._design is not None
        self.project_replaced.emit()
        self.path_changed.emit()
        self.design_changed.emit()

    def set_path(self, path: Path) -> None:
        self.path = path
        self.path_changed.emit()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    # -- the shown design -------------------------------------------------------------
    @property
    def design(self) -> Design | None:
        """The design on show: current, or the last one while a new one is being made."""
        return self._design

    @property
    def design_current(self) -> bool:
        """Whether the shown design was made for the inputs as they are now."""
        return self._design_current

    def accept_design(self, design: Design, revision: int) -> bool:
        """Show ``design`` if it was made for the current inputs (``revision``); keep it in the project."""
        if revision != self.revision:
            return False
        self.project.record_design(design)
        self._design, self._design_current = design, True
        self.design_changed.emit()
        return True

    def link_ends(self, link: DesignLink) -> tuple[Site, Site] | None:
        """The two sites a circuit joins, or ``None`` if one has since been deleted."""
        sites = self.sites_by_id
        a, b = sites.get(link.a), sites.get(link.b)
        return (a, b) if a and b else None

    @property
    def sites_by_id(self) -> dict[str, Site]:
        return self.project.sites_by_id

    def _inputs_changed(self) -> None:
        self.revision += 1
        # Designs made for the old inputs no longer hold; circuit ids are kept for ever.
        self.project.designs = []
        if self._design_current:
            self._design_current = False
            self.design_changed.emit()
        self.inputs_changed.emit()

    # -- primitive setters: only undo commands call these --------------------------------
    def set_site(self, site: Site) -> Site:
        """Replace the site with ``site.id``; returns the old value."""
        index = self._site_index(site.id)
        old = self.project.sites[index]
        self.project.sites[index] = site
        self.site_changed.emit(site.id)
        self._inputs_changed()
        return old

    def insert_site(self, index: int, site: Site) -> None:
        self.project.sites.insert(index, site)
        self.sites_changed.emit()
        self._inputs_changed()

    def remove_site(self, site_id: str) -> tuple[int, Site]:
        index = self._site_index(site_id)
        site = self.project.sites.pop(index)
        if site_id in self.selection.sites:
            self.selection.set(self.selection.sites - {site_id}, self.selection.circuits)
        self.sites_changed.emit()
        self._inputs_changed()
        return index, site

    def set_partner(self, partner: Partner) -> Partner:
        index = next(i for i, p in enumerate(self.project.partners) if p.id == partner.id)
        old = self.project.partners[index]
        self.project.partners[index] = partner
        self.partners_changed.emit()
        return old

    def insert_partner(self, index: int, partner: Partner) -> None:
        self.project.partners.insert(index, partner)
        self.partners_changed.emit()

    def remove_partner(self, partner_id: str) -> tuple[int, Partner]:
        index = next(i for i, p in enumerate(self.project.partners) if p.id == partner_id)
        partner = self.project.partners.pop(index)
        self.partners_changed.emit()
        return index, partner

    def set_tariff(self, tariff: Tariff) -> Tariff:
        old, self.project.tariff = self.project.tariff, tariff
        self.tariff_changed.emit()
        self._inputs_changed()
        return old

    def set_settings(self, settings: DesignSettings) -> DesignSettings:
        old, self.project.settings = self.project.settings, settings
        self.settings_changed.emit()
        self._inputs_changed()
        return old

    def set_name(self, name: str) -> str:
        old, self.project.name = self.project.name, name
        self.name_changed.emit()
        return old

    def set_list(self, attribute: str, values: list) -> list:
        """Replace one of the project's link lists (quotes, existing or forbidden links)."""
        old = getattr(self.project, attribute)
        setattr(self.project, attribute, list(values))
        self._inputs_changed()
        return old

    def _site_index(self, site_id: str) -> int:
        for i, s in enumerate(self.project.sites):
            if s.id == site_id:
                return i
        raise KeyError(site_id)

    # -- edits: each pushes one undo command -------------------------------------------
    def add_site(self, name: str, partner: str, lon: float, lat: float, role: str = "site") -> str:
        """Add a site; returns its new id."""
        site = Site(self.project.new_site_id(), name, partner, lon, lat, role)
        self.undo_stack.push(commands.AddSite(self, site))
        return site.id

    def move_site(self, site_id: str, lon: float, lat: float, drag: int = 0) -> None:
        """Move a site; moves with the same non-zero ``drag`` number merge into one undo step."""
        self.undo_stack.push(commands.MoveSite(self, site_id, lon, lat, drag))

    def edit_site(self, site: Site) -> None:
        old = self.project.site(site.id)
        if site != old:
            self.undo_stack.push(commands.EditSite(self, site, _describe_change("site", old, site)))

    def delete_sites(self, site_ids: Iterable[str]) -> None:
        ids = [s.id for s in self.project.sites if s.id in set(site_ids)]
        if ids:
            self.undo_stack.push(commands.DeleteSites(self, ids))

    def add_partner(self, name: str, colour: str | None = None, kind: str = "") -> str:
        partner = Partner(self.project.new_partner_id(name), name, colour or self.project.next_colour(), kind)
        self.undo_stack.push(commands.AddPartner(self, partner))
        return partner.id

    def edit_partner(self, partner: Partner) -> None:
        old = self.project.partner(partner.id)
        if partner != old:
            self.undo_stack.push(commands.EditPartner(self, partner, _describe_change("partner", old, partner)))

    def delete_partner(self, partner_id: str) -> None:
        """Delete a partner that has no sites (a partner with sites cannot be removed)."""
        if any(s.partner == partner_id for s in self.project.sites):
            raise ValueError(f"partner {partner_id!r} still has sites")
        self.undo_stack.push(commands.DeletePartner(self, partner_id))

    def change_tariff(self, **changes) -> None:
        """Change tariff fields; raises ``ValueError`` naming a bad value (nothing is changed then)."""
        tariff = self.project.tariff.with_changes(**changes)
        if tariff != self.project.tariff:
            text = _describe_change("tariff", self.project.tariff, tariff)
            self.undo_stack.push(commands.SetTariff(self, tariff, text))

    def change_settings(self, **changes) -> None:
        settings = dataclasses.replace(self.project.settings, **changes)
        problems = settings.problems()
        if problems:
            raise ValueError(problems[0])
        if settings != self.project.settings:
            text = _describe_change("settings", self.project.settings, settings)
            self.undo_stack.push(commands.SetSettings(self, settings, text))

    def rename_project(self, name: str) -> None:
        if name and name != self.project.name:
            self.undo_stack.push(commands.RenameProject(self, name))


_FIELD_WORDS = {
    "connection_per_end": "connection charge",
    "rental_per_end": "rental per end",
    "rental_per_km": "rental per km",
    "route_factor": "route factor",
    "term_years": "term",
    "bandwidth": "bandwidth",
    "redundancy": "redundancy",
    "method": "method",
    "time_limit": "time limit",
    "colour": "colour",
    "name": "name",
    "partner": "partner",
    "role": "role",
    "note": "note",
    "kind": "kind",
}


def _describe_change(what: str, old, new) -> str:
    """An undo label such as "Change tariff rental per km" or "Edit site ‘Leeds’"."""
    changed = [f.name for f in dataclasses.fields(old) if getattr(old, f.name) != getattr(new, f.name)]
    subject = f"{what} ‘{new.name}’" if hasattr(new, "name") else what
    if {"lon", "lat"} & set(changed) and len(changed) <= 2:
        return f"Move {subject}"
    if len(changed) == 1:
        return f"Change {subject} {_FIELD_WORDS.get(changed[0], changed[0])}"
    return f"Edit {subject}"
