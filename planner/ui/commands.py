"""Undo commands: one :class:`Edit` per change to the project, with a readable label.

Values in the project are immutable, so an edit is a list of small steps, each keeping an
old and a new value and swapping them: deleting sites also drops the quotes, demands,
existing and forbidden links that name them, and takes them and their links out of every
shared-risk group (a group left empty goes); marking an existing link also lifts a ban
on it. Moves made during one drag merge into a single edit.

An edit that changes what a design depends on also keeps the designs made for the
inputs on either side of it, so Undo shows again exactly what was there (the accepted
design included) rather than a stale map waiting for the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QUndoCommand

from planner.core.model import DesignSettings, Partner, Scenario, Site, groups_within
from planner.core.tariff import Tariff

if TYPE_CHECKING:
    from planner.ui.document import DesignsState, ProjectDocument

__all__ = [
    "Edit",
    "AddSite",
    "MoveSite",
    "EditSite",
    "DeleteSites",
    "SetLists",
    "EditSites",
    "ImportSites",
    "AddPartner",
    "EditPartner",
    "DeletePartner",
    "SetTariff",
    "SetSettings",
    "SetSharingMethod",
    "SetScenarios",
    "RenameProject",
]

_MOVE_ID = 1  # the ``id()`` of MoveSite, so the stack offers consecutive moves for merging


class Step(Protocol):
    """One reversible change made through the document's primitive setters."""

    def redo(self) -> None: ...

    def undo(self) -> None: ...


@dataclass
class _Swap:
    """Put ``new`` in through a document setter on redo and ``old`` back on undo."""

    setter: Callable[[Any], object]
    new: Any
    old: Any

    def redo(self) -> None:
        self.setter(self.new)

    def undo(self) -> None:
        self.setter(self.old)


class _Insert:
    """Insert ``value`` at ``index`` through ``insert``; undo removes it again by ``key``."""

    def __init__(
        self, insert: Callable[[int, Any], None], remove: Callable[[str], object], index: int, value, key: str
    ):
        self.insert, self.remove, self.index, self.value, self.key = insert, remove, index, value, key

    def redo(self) -> None:
        self.insert(self.index, self.value)

    def undo(self) -> None:
        self.remove(self.key)


class _Remove:
    """Remove the item ``key`` through ``remove`` (which returns where it was and what); undo puts it back."""

    def __init__(self, remove: Callable[[str], tuple[int, Any]], insert: Callable[[int, Any], None], key: str):
        self.remove, self.insert, self.key = remove, insert, key
        self.index, self.value = -1, None

    def redo(self) -> None:
        self.index, self.value = self.remove(self.key)

    def undo(self) -> None:
        self.insert(self.index, self.value)


class Edit(QUndoCommand):
    """One undo step: ``steps`` redone in order, undone in reverse, keeping the designs of both sides.

    The steps are plain Python objects rather than Qt children: Qt would delete them a second time.
    """

    def __init__(self, doc: ProjectDocument, text: str, steps: list[Step]):
        super().__init__(text)
        self.doc, self.steps = doc, steps
        self._before: DesignsState | None = None  # the designs for the inputs before this edit
        self._after: DesignsState | None = None  # … and after it, once it has been undone

    def redo(self) -> None:
        revision, before = self.doc.revision, self.doc.designs_state()
        for step in self.steps:
            step.redo()
        if self.doc.revision != revision:
            self._before = before
            if self._after is not None:
                self.doc.restore_designs(self._after)

    def undo(self) -> None:
        revision, after = self.doc.revision, self.doc.designs_state()
        for step in reversed(self.steps):
            step.undo()
        if self.doc.revision != revision:
            self._after = after
            if self._before is not None:
                self.doc.restore_designs(self._before)


def _swap(setter: Callable[[Any], object], new, old) -> list[Step]:
    return [_Swap(setter, new, old)]


class AddSite(Edit):
    def __init__(self, doc: ProjectDocument, site: Site):
        index = len(doc.project.sites)
        super().__init__(
            doc, f"Add site ‘{site.name}’", [_Insert(doc.insert_site, doc.remove_site, index, site, site.id)]
        )


class EditSite(Edit):
    """Replace one site's value (name, partner, role, position, note)."""

    def __init__(self, doc: ProjectDocument, site: Site, text: str):
        super().__init__(doc, text, _swap(doc.set_site, site, doc.project.site(site.id)))


class MoveSite(EditSite):
    """Move a site; all moves of one drag (same non-zero ``drag`` number) merge into one step."""

    def __init__(self, doc: ProjectDocument, site_id: str, lon: float, lat: float, drag: int = 0):
        site = doc.project.site(site_id)
        super().__init__(doc, site.moved_to(lon, lat), f"Move site ‘{site.name}’")
        self.drag = drag

    def id(self) -> int:
        return _MOVE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        mine, theirs = self.steps[0], other.steps[0] if isinstance(other, MoveSite) else None
        if not (theirs and self.drag and other.drag == self.drag and theirs.new.id == mine.new.id):
            return False
        mine.new = theirs.new
        return True


def _list_swaps(doc: ProjectDocument, changes: dict[str, list]) -> list[Step]:
    return [
        _Swap(partial(doc.set_list, attribute), new, list(getattr(doc.project, attribute)))
        for attribute, new in changes.items()
    ]


class SetLists(Edit):
    """Replace some of the project's lists (``quotes``, ``demands``, ``existing_links``,
    ``forbidden_links``, ``exclusion_zones``, ``risk_groups``) in one step."""

    def __init__(self, doc: ProjectDocument, changes: dict[str, list], text: str):
        super().__init__(doc, text, _list_swaps(doc, changes))


class DeleteSites(Edit):
    """Delete sites and every quote, demand, existing or forbidden link that names them; take them and their
    links out of every risk group, and drop a group left empty."""

    def __init__(self, doc: ProjectDocument, site_ids: list[str]):
        names = [doc.project.site(i).name for i in site_ids]
        gone = set(site_ids)
        project = doc.project
        kept_sites = {s.id for s in project.sites} - gone
        lists = {
            "quotes": [k for k in project.quotes if k.a not in gone and k.b not in gone],
            "demands": [d for d in project.demands if d.a not in gone and d.b not in gone],
            "existing_links": [k for k in project.existing_links if k.a not in gone and k.b not in gone],
            "forbidden_links": [(a, b) for a, b in project.forbidden_links if a not in gone and b not in gone],
            "risk_groups": groups_within(project.risk_groups, kept_sites),
        }
        changed = {name: kept for name, kept in lists.items() if kept != getattr(project, name)}
        removals: list[Step] = [_Remove(doc.remove_site, doc.insert_site, site_id) for site_id in site_ids]
        super().__init__(
            doc,
            f"Delete site ‘{names[0]}’" if len(names) == 1 else f"Delete {len(names)} sites",
            _list_swaps(doc, changed) + removals,
        )


class EditSites(Edit):
    """Replace several sites' values in one step (e.g. make them all hubs).

    One swap of the whole site list: one ``sites_changed`` rather than a ``site_changed`` and a
    stale design per site, which made hundreds of role changes take seconds.
    """

    def __init__(self, doc: ProjectDocument, sites: list[Site], text: str):
        edited = {site.id: site for site in sites}
        new_sites = [edited.get(site.id, site) for site in doc.project.sites]
        super().__init__(doc, text, _swap(doc.set_sites, new_sites, list(doc.project.sites)))


class ImportSites(Edit):
    """Add imported sites and their new partners, or replace every site (and the links, demands and risk groups
    naming them)."""

    def __init__(self, doc: ProjectDocument, sites: list[Site], partners: list[Partner], replace: bool, text: str):
        project = doc.project
        steps: list[Step] = []
        if partners:
            steps += _swap(doc.set_partners, [*project.partners, *partners], list(project.partners))
        if replace:
            lists = ("quotes", "demands", "existing_links", "forbidden_links", "risk_groups")
            steps += _list_swaps(doc, {k: [] for k in lists if getattr(project, k)})
        new_sites = list(sites) if replace else [*project.sites, *sites]
        steps += _swap(doc.set_sites, new_sites, list(project.sites))
        super().__init__(doc, text, steps)


class AddPartner(Edit):
    def __init__(self, doc: ProjectDocument, partner: Partner):
        index = len(doc.project.partners)
        step = _Insert(doc.insert_partner, doc.remove_partner, index, partner, partner.id)
        super().__init__(doc, f"Add partner ‘{partner.name}’", [step])


class EditPartner(Edit):
    """Rename or recolour a partner."""

    def __init__(self, doc: ProjectDocument, partner: Partner, text: str):
        super().__init__(doc, text, _swap(doc.set_partner, partner, doc.project.partner(partner.id)))


class DeletePartner(Edit):
    def __init__(self, doc: ProjectDocument, partner_id: str):
        text = f"Delete partner ‘{doc.project.partner(partner_id).name}’"
        super().__init__(doc, text, [_Remove(doc.remove_partner, doc.insert_partner, partner_id)])


class SetTariff(Edit):
    def __init__(self, doc: ProjectDocument, tariff: Tariff, text: str):
        super().__init__(doc, text, _swap(doc.set_tariff, tariff, doc.project.tariff))


class SetSettings(Edit):
    def __init__(self, doc: ProjectDocument, settings: DesignSettings, text: str):
        super().__init__(doc, text, _swap(doc.set_settings, settings, doc.project.settings))


class SetSharingMethod(Edit):
    def __init__(self, doc: ProjectDocument, method: str, text: str):
        super().__init__(doc, text, _swap(doc.set_sharing_method, method, doc.project.sharing_method))


class SetScenarios(Edit):
    """Replace the what-if scenarios (add, edit or remove one)."""

    def __init__(self, doc: ProjectDocument, scenarios: list[Scenario], text: str):
        super().__init__(doc, text, _swap(doc.set_scenarios, scenarios, list(doc.project.scenarios)))


class RenameProject(Edit):
    def __init__(self, doc: ProjectDocument, name: str):
        super().__init__(doc, f"Rename project ‘{name}’", _swap(doc.set_name, name, doc.project.name))
