"""Undo commands: one small ``QUndoCommand`` per change to the project, with a readable label.

Values in the project are immutable, so each command keeps the old and the new value
and swaps them. Compound commands (:class:`Steps`) run several swaps as one: deleting
sites also drops the quotes, demands, existing and forbidden links that name them; marking
an existing link also lifts a ban on it. Moves made during one drag merge into a single step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from planner.core.model import DesignSettings, Partner, Scenario, Site
from planner.core.tariff import Tariff

if TYPE_CHECKING:
    from planner.ui.document import ProjectDocument

__all__ = [
    "AddSite",
    "MoveSite",
    "EditSite",
    "DeleteSites",
    "Steps",
    "SetLists",
    "EditSites",
    "ImportSites",
    "AddPartner",
    "EditPartner",
    "DeletePartner",
    "SetTariff",
    "SetSettings",
    "SetScenarios",
    "RenameProject",
]

_MOVE_ID = 1  # the ``id()`` of MoveSite, so the stack offers consecutive moves for merging


class _Swap(QUndoCommand):
    """Put ``new`` in through a document setter on redo and ``old`` back on undo."""

    def __init__(self, text: str, setter: Callable[[Any], object], new, old, parent: QUndoCommand | None = None):
        super().__init__(text, parent)
        self.setter, self.new, self.old = setter, new, old

    def redo(self) -> None:
        self.setter(self.new)

    def undo(self) -> None:
        self.setter(self.old)


class AddSite(QUndoCommand):
    def __init__(self, doc: ProjectDocument, site: Site):
        super().__init__(f"Add site ‘{site.name}’")
        self.doc, self.site = doc, site
        self.index = len(doc.project.sites)

    def redo(self) -> None:
        self.doc.insert_site(self.index, self.site)

    def undo(self) -> None:
        self.doc.remove_site(self.site.id)


class EditSite(_Swap):
    """Replace one site's value (name, partner, role, position, note)."""

    def __init__(self, doc: ProjectDocument, site: Site, text: str):
        super().__init__(text, doc.set_site, site, doc.project.site(site.id))


class MoveSite(EditSite):
    """Move a site; all moves of one drag (same non-zero ``drag`` number) merge into one step."""

    def __init__(self, doc: ProjectDocument, site_id: str, lon: float, lat: float, drag: int = 0):
        site = doc.project.site(site_id)
        super().__init__(doc, site.moved_to(lon, lat), f"Move site ‘{site.name}’")
        self.drag = drag

    def id(self) -> int:
        return _MOVE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, MoveSite) and self.drag and other.drag == self.drag and other.new.id == self.new.id):
            return False
        self.new = other.new
        return True


class _RemoveSite(QUndoCommand):
    def __init__(self, doc: ProjectDocument, site_id: str):
        super().__init__("")
        self.doc, self.site_id = doc, site_id
        self.index, self.site = -1, doc.project.site(site_id)

    def redo(self) -> None:
        self.index, self.site = self.doc.remove_site(self.site_id)

    def undo(self) -> None:
        self.doc.insert_site(self.index, self.site)


class Steps(QUndoCommand):
    """Several steps as one undo command: redone in order, undone in reverse.

    The steps are held in a Python list rather than as Qt children: Qt would delete them a second time.
    """

    def __init__(self, text: str, steps: list[QUndoCommand]):
        super().__init__(text)
        self.steps = steps

    def redo(self) -> None:
        for step in self.steps:
            step.redo()

    def undo(self) -> None:
        for step in reversed(self.steps):
            step.undo()


def _list_swaps(doc: ProjectDocument, changes: dict[str, list]) -> list[QUndoCommand]:
    return [
        _Swap("", partial(doc.set_list, attribute), new, list(getattr(doc.project, attribute)))
        for attribute, new in changes.items()
    ]


class SetLists(Steps):
    """Replace some of the project's lists (``quotes``, ``demands``, ``existing_links``,
    ``forbidden_links``, ``exclusion_zones``) in one step."""

    def __init__(self, doc: ProjectDocument, changes: dict[str, list], text: str):
        super().__init__(text, _list_swaps(doc, changes))


class DeleteSites(Steps):
    """Delete sites and every quote, demand, existing or forbidden link that names them."""

    def __init__(self, doc: ProjectDocument, site_ids: list[str]):
        names = [doc.project.site(i).name for i in site_ids]
        gone = set(site_ids)
        project = doc.project
        lists = {
            "quotes": [k for k in project.quotes if k.a not in gone and k.b not in gone],
            "demands": [d for d in project.demands if d.a not in gone and d.b not in gone],
            "existing_links": [k for k in project.existing_links if k.a not in gone and k.b not in gone],
            "forbidden_links": [(a, b) for a, b in project.forbidden_links if a not in gone and b not in gone],
        }
        changed = {name: kept for name, kept in lists.items() if len(kept) != len(getattr(project, name))}
        super().__init__(
            f"Delete site ‘{names[0]}’" if len(names) == 1 else f"Delete {len(names)} sites",
            _list_swaps(doc, changed) + [_RemoveSite(doc, site_id) for site_id in site_ids],
        )


class EditSites(Steps):
    """Replace several sites' values in one step (e.g. make them all hubs).

    One swap of the whole site list: one ``sites_changed`` rather than a ``site_changed`` and a
    stale design per site, which made hundreds of role changes take seconds.
    """

    def __init__(self, doc: ProjectDocument, sites: list[Site], text: str):
        edited = {site.id: site for site in sites}
        new_sites = [edited.get(site.id, site) for site in doc.project.sites]
        super().__init__(text, [_Swap("", doc.set_sites, new_sites, list(doc.project.sites))])


class ImportSites(Steps):
    """Add imported sites and their new partners, or replace every site (and the links and demands naming them)."""

    def __init__(self, doc: ProjectDocument, sites: list[Site], partners: list[Partner], replace: bool, text: str):
        project = doc.project
        steps: list[QUndoCommand] = []
        if partners:
            steps.append(_Swap("", doc.set_partners, [*project.partners, *partners], list(project.partners)))
        if replace:
            lists = ("quotes", "demands", "existing_links", "forbidden_links")
            steps += _list_swaps(doc, {k: [] for k in lists if getattr(project, k)})
        new_sites = list(sites) if replace else [*project.sites, *sites]
        steps.append(_Swap("", doc.set_sites, new_sites, list(project.sites)))
        super().__init__(text, steps)


class AddPartner(QUndoCommand):
    def __init__(self, doc: ProjectDocument, partner: Partner):
        super().__init__(f"Add partner ‘{partner.name}’")
        self.doc, self.partner = doc, partner
        self.index = len(doc.project.partners)

    def redo(self) -> None:
        self.doc.insert_partner(self.index, self.partner)

    def undo(self) -> None:
        self.doc.remove_partner(self.partner.id)


class EditPartner(_Swap):
    """Rename or recolour a partner."""

    def __init__(self, doc: ProjectDocument, partner: Partner, text: str):
        super().__init__(text, doc.set_partner, partner, doc.project.partner(partner.id))


class DeletePartner(QUndoCommand):
    def __init__(self, doc: ProjectDocument, partner_id: str):
        partner = doc.project.partner(partner_id)
        super().__init__(f"Delete partner ‘{partner.name}’")
        self.doc, self.partner_id, self.index, self.partner = doc, partner_id, -1, partner

    def redo(self) -> None:
        self.index, self.partner = self.doc.remove_partner(self.partner_id)

    def undo(self) -> None:
        self.doc.insert_partner(self.index, self.partner)


class SetTariff(_Swap):
    def __init__(self, doc: ProjectDocument, tariff: Tariff, text: str):
        super().__init__(text, doc.set_tariff, tariff, doc.project.tariff)


class SetSettings(_Swap):
    def __init__(self, doc: ProjectDocument, settings: DesignSettings, text: str):
        super().__init__(text, doc.set_settings, settings, doc.project.settings)


class SetSharingMethod(_Swap):
    def __init__(self, doc: ProjectDocument, method: str, text: str):
        super().__init__(text, doc.set_sharing_method, method, doc.project.sharing_method)


class SetScenarios(_Swap):
    """Replace the what-if scenarios (add, edit or remove one)."""

    def __init__(self, doc: ProjectDocument, scenarios: list[Scenario], text: str):
        super().__init__(text, doc.set_scenarios, scenarios, list(doc.project.scenarios))


class RenameProject(_Swap):
    def __init__(self, doc: ProjectDocument, name: str):
        super().__init__(f"Rename project ‘{name}’", doc.set_name, name, doc.project.name)
