"""What right clicks and the sketching tools on the map do to the project.

The map view only reports what happened (a right click on a site, a circuit, a no-go
area, a forbidden or existing link; two sites joined; an area closed); this object offers
the menus and dialogs and changes the project through the document, one undo command each.
*Show Failure* on a site or a circuit (or on two circuits selected together) draws what
losing it does to the design (:mod:`planner.ui.map.risk`); that changes nothing in the project.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMenu

from planner.core.model import ExistingLink, pair_key
from planner.ui.design_panel import sites_in_zones
from planner.ui.dialogs import ExistingLinkDialog
from planner.ui.editor import ProjectEditor
from planner.ui.failure import FailureChoice
from planner.ui.map.view import MapView

__all__ = ["MapActions", "ContextMenu", "ROLE_ACTIONS"]

#: Site roles as the menus offer them.
ROLE_ACTIONS = {"hub": "Make Hub", "site": "Make Ordinary Site", "optional": "Make Optional Relay"}


class ContextMenu(QMenu):
    """The map's right-click menu (its own class, so tests can stand in for ``exec``)."""


class MapActions(QObject):
    """Context menus on the map, and the results of the existing-link and no-go area tools."""

    #: A short message for the status bar (e.g. why an area could not be added).
    message = Signal(str)

    def __init__(self, editor: ProjectEditor, view: MapView, parent: QObject | None = None):
        super().__init__(parent)
        self.editor, self.document, self.view = editor, editor.document, view
        view.site_dragged.connect(editor.move_site)
        view.context_menu_requested.connect(self._on_context_menu)
        view.link_drawn.connect(self.mark_existing)
        view.zone_drawn.connect(self._on_zone_drawn)

    # -- results of the tools --------------------------------------------------------------------
    def existing_link(self, a: str, b: str) -> ExistingLink | None:
        key = pair_key(a, b)
        return next((e for e in self.document.project.existing_links if pair_key(e.a, e.b) == key), None)

    def mark_existing(self, a: str, b: str) -> None:
        """Ask who owns the link ``a``–``b`` (and its rental), then mark it existing."""
        dialog = ExistingLinkDialog(self.document, a, b, self.existing_link(a, b), self.view)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.editor.mark_existing(a, b, *dialog.values())

    def _on_zone_drawn(self, ring: list[tuple[float, float]]) -> None:
        try:
            name = self.editor.add_zone(ring)
        except ValueError as err:
            self.message.emit(f"No area added: {err}")
            return
        self.document.selection.set(zones=[len(self.document.project.exclusion_zones) - 1])
        enclosed = [site for zone, site in sites_in_zones(self.document.project) if zone == name]
        warning = f"; it encloses {', '.join(enclosed)}, which only an existing link can reach" if enclosed else ""
        self.message.emit(f"Added ‘{name}’: no new circuit may cross it{warning}")

    def rename_zone(self, index: int) -> None:
        zone = self.document.project.exclusion_zones[index]
        name, ok = QInputDialog.getText(self.view, "Rename no-go area", "Name:", QLineEdit.EchoMode.Normal, zone.name)
        if ok and name.strip():
            self.editor.rename_zone(index, name.strip())

    # -- context menus -----------------------------------------------------------------------------
    def _on_context_menu(self, kind: str, key, where: QPoint) -> None:
        menu = ContextMenu(self.view)
        builders = {
            "site": self._site_menu,
            "link": self._circuit_menu,
            "existing": self._existing_menu,
            "forbidden": self._forbidden_menu,
            "zone": self._zone_menu,
        }
        builder = builders.get(kind)
        if builder is None:
            return
        builder(menu, key)
        menu.exec(where)

    def _site_menu(self, menu: QMenu, site_id: str) -> None:
        selection = self.document.selection
        if site_id not in selection.sites:
            selection.set([site_id])
        targets = sorted(selection.sites)
        roles = {self.document.sites_by_id[s].role for s in targets}
        group = QActionGroup(menu)
        for role, text in ROLE_ACTIONS.items():
            action = _add(menu, text, lambda _=False, r=role: self.editor.set_roles(targets, r))
            action.setCheckable(True)
            action.setChecked(roles == {role})
            group.addAction(action)
        menu.addSeparator()
        if len(targets) == 1:
            _add(menu, "Mark Existing Link From Here…", lambda: self._start_link(site_id))
        count = f"{len(targets)} Sites" if len(targets) > 1 else "Site"
        _add(menu, f"Delete {count}", lambda: self.editor.delete_sites(targets))
        design = self.document.design
        in_design = set(design.sites) | {end for k in design.links for end in (k.a, k.b)} if design else set()
        if in_design.intersection(targets):
            menu.addSeparator()
            these = "These Sites" if len(targets) > 1 else "This Site"
            _add(menu, f"Show Failure of {these}", lambda: self._show_failure(FailureChoice(sites=tuple(targets))))

    def _start_link(self, site_id: str) -> None:
        self.view.set_tool("existing")
        self.view.sketch_tools["existing"].begin_at(site_id)

    def _circuit_menu(self, menu: QMenu, circuit_id: str) -> None:
        design = self.document.design
        link = design.link(circuit_id) if design else None
        if link is None:
            return
        selection = self.document.selection
        if circuit_id not in selection.circuits:
            selection.set(circuits=[circuit_id])
        if self.existing_link(link.a, link.b) is None:
            _add(menu, "Mark as Existing…", lambda: self.mark_existing(link.a, link.b))
        else:
            self._existing_menu(menu, link.pair, forbid=False)
        _add(menu, "Forbid This Link", lambda: self.editor.forbid_link(link.a, link.b))
        menu.addSeparator()
        cut = tuple(k.circuit_id for k in design.links if k.circuit_id in selection.circuits)
        these = f"These {len(cut)} Circuits" if len(cut) > 1 else "This Circuit"
        _add(menu, f"Show Failure of {these}", lambda: self._show_failure(FailureChoice(circuits=cut)))

    def _show_failure(self, choice: FailureChoice) -> None:
        risk = self.view.map_scene.risk
        risk.show_failure(choice)
        self.message.emit(risk.text)

    def _existing_menu(self, menu: QMenu, pair: tuple[str, str], forbid: bool = True) -> None:
        _add(menu, "Edit Existing Link…", lambda: self.mark_existing(*pair))
        _add(menu, "Unmark Existing Link", lambda: self.editor.remove_existing([pair]))
        if forbid:
            _add(menu, "Forbid This Link", lambda: self.editor.forbid_link(*pair))

    def _forbidden_menu(self, menu: QMenu, pair: tuple[str, str]) -> None:
        _add(menu, "Allow This Link", lambda: self.editor.allow_links([pair]))

    def _zone_menu(self, menu: QMenu, index: int) -> None:
        self.document.selection.set(zones=[index])
        _add(menu, "Rename No-Go Area…", lambda: self.rename_zone(index))
        _add(menu, "Delete No-Go Area", lambda: self.editor.remove_zones([index]))


def _add(menu: QMenu, text: str, slot) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(slot)
    return action
