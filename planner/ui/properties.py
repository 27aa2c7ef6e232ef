"""The properties panel: the project's name, the selected site, and the partners.

A site's fields commit when editing finishes (Enter or leaving the field), each as one
undo command. A site's traffic to its partner's hubs is one of them; when there is no hub
to send it to, a warning under the field says so (the design would be refused). Partners
can be added, renamed, recoloured, and deleted while they have no sites.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import SITE_ROLES, Partner, Project, Site
from planner.core.traffic import MAX_MBPS
from planner.ui.document import ProjectDocument
from planner.ui.map.scene import describe_place

__all__ = ["PropertiesPanel", "swatch", "traffic_warning"]

_ROLE_WORDS = {"site": "Site", "hub": "Hub (core)", "optional": "Optional relay"}
_TRAFFIC_TIP = (
    "The site's traffic to its partner's hubs (data centres), the same rate each way. All of it goes to the "
    "nearest hub of its partner; when that hub is lost, to the next nearest. A hub's own traffic goes to its "
    "partner's nearest other hub (replication). 0: none. Traffic between two particular sites is a pair "
    "demand (the Demands dock)."
)


def traffic_warning(project: Project, site: Site) -> str:
    """Why ``site``'s traffic to its hubs cannot be routed ("" when it can, or it has none)."""
    if not site.demand_mbps > 0:
        return ""
    if site.role == "optional":
        return "An optional relay need not be connected, so it has no traffic: set 0, or change its role."
    if any(s.role == "hub" and s.partner == site.partner and s.id != site.id for s in project.sites):
        return ""
    partner = project.partners_by_id.get(site.partner)
    name = partner.name if partner else site.partner
    if site.role == "hub":
        return f"{name} has no other hub to send it to: make another of its sites a hub, or set 0."
    return (
        f"{name} has no hub to send it to: make its data centre a hub, or state the traffic as a pair demand (Demands)."
    )


def role_combo() -> QComboBox:
    """A combo of the site roles (data is the role)."""
    combo = QComboBox()
    combo.setToolTip("Hubs form the core; other sites dual-home to two hubs; optional relays may carry links")
    for role in SITE_ROLES:
        combo.addItem(_ROLE_WORDS[role], role)
    return combo


def swatch(colour: str, size: int = 14) -> QIcon:
    """A square icon of ``colour`` for lists and menus."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def partner_combo(document: ProjectDocument, combo: QComboBox, current: str | None = None) -> None:
    """Fill ``combo`` with the project's partners (colour swatch, name; data is the id)."""
    combo.blockSignals(True)
    combo.clear()
    for partner in document.project.partners:
        combo.addItem(swatch(partner.colour), partner.name, partner.id)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
    combo.blockSignals(False)


class _SiteEditor(QWidget):
    """Fields of one site."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.site_id: str | None = None
        self.name = QLineEdit()
        self.partner = QComboBox()
        self.role = role_combo()
        self.lon = QDoubleSpinBox(decimals=5, minimum=-180, maximum=180, singleStep=0.001, suffix="°")
        self.lat = QDoubleSpinBox(decimals=5, minimum=-90, maximum=90, singleStep=0.001, suffix="°")
        for box in (self.lon, self.lat):
            box.setKeyboardTracking(False)
        self.place = QLabel()
        self.place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLineEdit()
        self.traffic = QDoubleSpinBox(decimals=1, minimum=0, maximum=MAX_MBPS, singleStep=10, suffix=" Mb/s")
        self.traffic.setSpecialValueText("None")
        self.traffic.setGroupSeparatorShown(True)
        self.traffic.setKeyboardTracking(False)
        self.traffic.setToolTip(_TRAFFIC_TIP)
        self.traffic.setAccessibleName("Traffic to hubs")
        self.traffic_warning = QLabel(wordWrap=True, visible=False)
        self.traffic_warning.setObjectName("trafficWarning")
        self.traffic_warning.setStyleSheet("color: #9A6200")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            ("Name", self.name),
            ("Partner", self.partner),
            ("Role", self.role),
            ("Longitude", self.lon),
            ("Latitude", self.lat),
            ("Where", self.place),
            ("Note", self.note),
            ("Traffic to hubs", self.traffic),
        ):
            form.addRow(label, widget)
        form.labelForField(self.traffic).setToolTip(_TRAFFIC_TIP)
        form.addRow(self.traffic_warning)
        self.name.editingFinished.connect(lambda: self._commit(name=self.name.text().strip() or None))
        self.note.editingFinished.connect(lambda: self._commit(note=self.note.text()))
        self.partner.activated.connect(lambda: self._commit(partner=self.partner.currentData()))
        self.role.activated.connect(lambda: document.set_roles([self.site_id], self.role.currentData()))
        #: What each spin box showed of the site: leaving one unchanged must not round the site's value.
        self._shown: dict[QDoubleSpinBox, float] = {}
        self.lon.editingFinished.connect(lambda: self._commit_box(self.lon, "lon", 6))
        self.lat.editingFinished.connect(lambda: self._commit_box(self.lat, "lat", 6))
        self.traffic.editingFinished.connect(lambda: self._commit_box(self.traffic, "demand_mbps", 1))

    def show_site(self, site_id: str) -> None:
        self.site_id = site_id
        site = self.document.project.site(site_id)
        for widget in (self.lon, self.lat, self.traffic):
            widget.blockSignals(True)
        if not self.name.hasFocus():
            self.name.setText(site.name)
        if not self.note.hasFocus():
            self.note.setText(site.note)
        partner_combo(self.document, self.partner, site.partner)
        self.role.setCurrentIndex(max(0, self.role.findData(site.role)))
        self.lon.setValue(site.lon)
        self.lat.setValue(site.lat)
        self.place.setText(describe_place(site.lon, site.lat).split(" · ")[-1])
        self.traffic.setValue(site.demand_mbps)
        warning = traffic_warning(self.document.project, site)
        self.traffic_warning.setText(warning)
        self.traffic_warning.setVisible(bool(warning))
        self._shown = {box: box.value() for box in (self.lon, self.lat, self.traffic)}
        for widget in (self.lon, self.lat, self.traffic):
            widget.blockSignals(False)

    def _commit_box(self, box: QDoubleSpinBox, field: str, digits: int) -> None:
        if box.value() != self._shown.get(box):
            self._commit(**{field: round(box.value(), digits)})

    def _commit(self, **changes) -> None:
        if self.site_id is None or any(v is None for v in changes.values()):
            return
        site = self.document.project.site(self.site_id)
        self.document.edit_site(dataclasses.replace(site, **changes))


class PropertiesPanel(QWidget):
    """Project name, the selected site's fields, and the partner list."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.project_name = QLineEdit()
        self.project_name.editingFinished.connect(lambda: document.rename_project(self.project_name.text().strip()))

        self.site_editor = _SiteEditor(document)
        self.site_hint = QLabel(wordWrap=True)
        self.site_hint.setStyleSheet("color: #5B6B7B")
        self.delete_sites = QPushButton("Delete selected sites")
        self.delete_sites.clicked.connect(lambda: document.delete_sites(document.selection.sites))
        self.sites_role = role_combo()
        self.sites_role.setPlaceholderText("(mixed)")
        self.sites_role.activated.connect(
            lambda: document.set_roles(document.selection.sites, self.sites_role.currentData())
        )
        self.sites_role_row = QWidget()
        role_row = QFormLayout(self.sites_role_row)
        role_row.setContentsMargins(0, 0, 0, 0)
        role_row.addRow("Role of all", self.sites_role)
        hint_page = QWidget()
        hint_layout = QVBoxLayout(hint_page)
        hint_layout.setContentsMargins(0, 0, 0, 0)
        hint_layout.addWidget(self.site_hint)
        hint_layout.addWidget(self.sites_role_row)
        hint_layout.addWidget(self.delete_sites)
        hint_layout.addStretch(1)
        self.site_pages = QStackedWidget()
        self.site_pages.addWidget(hint_page)
        self.site_pages.addWidget(self.site_editor)

        self.partners = QListWidget()
        self.partners.setAccessibleName("Partners")
        self.partners.itemDoubleClicked.connect(lambda _: self.rename_partner())
        self.partners.currentRowChanged.connect(self._update_partner_buttons)
        buttons = QHBoxLayout()
        self.partner_buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "Add…", self.add_partner),
            ("rename", "Rename…", self.rename_partner),
            ("colour", "Colour…", self.recolour_partner),
            ("delete", "Delete", self.delete_partner),
        ):
            button = self.partner_buttons[key] = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)

        project_box = QGroupBox("Project")
        QFormLayout(project_box).addRow("Name", self.project_name)
        site_box = QGroupBox("Site")
        QVBoxLayout(site_box).addWidget(self.site_pages)
        partner_box = QGroupBox("Partners")
        partner_layout = QVBoxLayout(partner_box)
        partner_layout.addWidget(self.partners)
        partner_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(project_box)
        layout.addWidget(site_box)
        layout.addWidget(partner_box, 1)

        document.project_replaced.connect(self._refresh_all)
        document.name_changed.connect(self._refresh_name)
        document.partners_changed.connect(self._refresh_partners)
        document.partners_changed.connect(self._refresh_site)
        document.sites_changed.connect(self._refresh_site)
        document.sites_changed.connect(self._refresh_partners)  # the site counts
        document.site_changed.connect(self._refresh_site)
        document.selection.changed.connect(self._refresh_site)
        self._refresh_all()

    def _refresh_all(self) -> None:
        self._refresh_name()
        self._refresh_partners()
        self._refresh_site()

    def _refresh_name(self) -> None:
        self.project_name.setText(self.document.project.name)

    def _refresh_site(self) -> None:
        sites = self.document.sites_by_id  # built afresh at each read: once here, not per selected site
        selected = [s for s in self.document.selection.sites if s in sites]
        if len(selected) == 1:
            self.site_editor.show_site(selected[0])
            self.site_pages.setCurrentWidget(self.site_editor)
            return
        self.site_editor.site_id = None
        self.site_hint.setText(
            f"{len(selected)} sites selected."
            if selected
            else "Select a site on the map to edit it, or use the Add site tool (A) or the town search to add one."
        )
        self.delete_sites.setVisible(bool(selected))
        self.sites_role_row.setVisible(bool(selected))
        roles = {sites[s].role for s in selected}
        self.sites_role.setCurrentIndex(self.sites_role.findData(roles.pop()) if len(roles) == 1 else -1)
        self.site_pages.setCurrentIndex(0)

    def _refresh_partners(self) -> None:
        row = self.partners.currentRow()
        self.partners.clear()
        counts = self.document.project.site_counts
        for partner in self.document.project.partners:
            item = QListWidgetItem(swatch(partner.colour), f"{partner.name}  ({counts.get(partner.id, 0)} sites)")
            item.setData(Qt.ItemDataRole.UserRole, partner.id)
            item.setToolTip(f"{partner.name} · id {partner.id}{' · ' + partner.kind if partner.kind else ''}")
            self.partners.addItem(item)
        self.partners.setCurrentRow(min(row, self.partners.count() - 1))
        self._update_partner_buttons()

    def _update_partner_buttons(self) -> None:
        chosen = self.current_partner() is not None
        for key in ("rename", "colour", "delete"):
            self.partner_buttons[key].setEnabled(chosen)

    def current_partner(self) -> Partner | None:
        item = self.partners.currentItem()
        if item is None:
            return None
        return self.document.project.partners_by_id.get(item.data(Qt.ItemDataRole.UserRole))

    # -- partner actions (dialogs) ------------------------------------------------------------------
    def add_partner(self) -> None:
        name, ok = QInputDialog.getText(self, "Add partner", "Name of the public body:")
        if ok and name.strip():
            partner_id = self.document.add_partner(name.strip())
            ids = [p.id for p in self.document.project.partners]
            self.partners.setCurrentRow(ids.index(partner_id))

    def rename_partner(self) -> None:
        partner = self.current_partner()
        if partner is None:
            return
        name, ok = QInputDialog.getText(self, "Rename partner", "Name:", text=partner.name)
        if ok and name.strip():
            self.document.edit_partner(dataclasses.replace(partner, name=name.strip()))

    def recolour_partner(self) -> None:
        partner = self.current_partner()
        if partner is None:
            return
        colour = QColorDialog.getColor(QColor(partner.colour), self, f"Colour of {partner.name}")
        if colour.isValid():
            self.document.edit_partner(dataclasses.replace(partner, colour=colour.name().upper()))

    def delete_partner(self) -> None:
        partner = self.current_partner()
        if partner is None:
            return
        try:
            self.document.delete_partner(partner.id)
        except ValueError:
            QMessageBox.information(
                self, "Delete partner", f"{partner.name} still has sites: move or delete them first."
            )
