"""The properties panel: the project's name, the selected site or circuit, and the partners.

A site's fields commit when editing finishes (Enter or leaving the field), each as one
undo command; its address (where the carrier installs circuits) is one line of at most
``MAX_ADDRESS_CHARS`` characters, cleaned like every typed text. A site's traffic to its
partner's hubs is one of them; when there is no hub to send it to, a warning under the
field says so (the design would be refused). Partners can be added, renamed, recoloured,
and deleted while they have no sites.

A selected circuit is shown read-only, from the design: what to order and its metric, its
load, its worst load and the failure causing it, and (with traffic) the demands it carries
in the normal state, most first (:func:`planner.analysis.carried.carried_flows`, worked
out only while the panel is on show).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.design_result import LINK_ROLES, Design
from planner.core.model import MAX_ADDRESS_CHARS, SITE_ROLES, Partner, Project, Site
from planner.core.traffic import MAX_MBPS, Flow, has_traffic
from planner.core.words import short_name
from planner.ui import style
from planner.ui.document import ProjectDocument, format_mbps
from planner.ui.editor import ProjectEditor
from planner.ui.map.scene import describe_place

__all__ = ["PropertiesPanel", "swatch", "traffic_warning", "MAX_CARRIED_ROWS"]

_ROLE_WORDS = {"site": "Site", "hub": "Hub (core)", "optional": "Optional relay"}
_TRAFFIC_TIP = (
    "The site's traffic to its partner's hubs (data centres), the same rate each way. All of it goes to the "
    "nearest hub of its partner; when that hub is lost, to the next nearest. A hub's own traffic goes to its "
    "partner's nearest other hub (replication). 0: none. Traffic between two particular sites is a pair "
    "demand (the Demands dock)."
)
_ADDRESS_TIP = (
    "Where the carrier installs circuits: the street address and/or postcode, on one line "
    "(Elland Road, Leeds LS11 0ES). The schedule gives it at both ends of every circuit."
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


#: The demands a circuit carries are listed up to this many, then "and N more".
MAX_CARRIED_ROWS = 20


def _mbps(mbps: float) -> str:
    """A load as the panel shows it: whole Mb/s, or one decimal below 10 (``1,240 Mb/s``, ``2.5 Mb/s``)."""
    return f"{format_mbps(round(mbps, 1) if mbps < 10 else round(mbps))} Mb/s"


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
    with QSignalBlocker(combo):
        combo.clear()
        for partner in document.project.partners:
            combo.addItem(swatch(partner.colour), partner.name, partner.id)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)


class _SiteEditor(QWidget):
    """Fields of one site."""

    def __init__(self, editor: ProjectEditor, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.document = editor, editor.document
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
        self.address = QLineEdit(maxLength=MAX_ADDRESS_CHARS, placeholderText="Street address, postcode")
        self.address.setToolTip(_ADDRESS_TIP)
        self.address.setAccessibleName("Address")
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
            ("Address", self.address),
            ("Note", self.note),
            ("Traffic to hubs", self.traffic),
        ):
            form.addRow(label, widget)
        form.labelForField(self.traffic).setToolTip(_TRAFFIC_TIP)
        form.addRow(self.traffic_warning)
        self.name.editingFinished.connect(lambda: self._commit(name=self.name.text().strip() or None))
        self.note.editingFinished.connect(lambda: self._commit(note=self.note.text()))
        self.address.editingFinished.connect(lambda: self._commit(address=self.address.text()))
        self.partner.activated.connect(lambda: self._commit(partner=self.partner.currentData()))
        self.role.activated.connect(lambda: editor.set_roles([self.site_id], self.role.currentData()))
        #: What each spin box showed of the site: leaving one unchanged must not round the site's value.
        self._shown: dict[QDoubleSpinBox, float] = {}
        self.lon.editingFinished.connect(lambda: self._commit_box(self.lon, "lon", 6))
        self.lat.editingFinished.connect(lambda: self._commit_box(self.lat, "lat", 6))
        self.traffic.editingFinished.connect(lambda: self._commit_box(self.traffic, "demand_mbps", 1))

    def show_site(self, site_id: str) -> None:
        self.site_id = site_id
        site = self.document.project.site(site_id)
        boxes = (self.lon, self.lat, self.traffic)
        with QSignalBlocker(self.lon), QSignalBlocker(self.lat), QSignalBlocker(self.traffic):
            if not self.name.hasFocus():
                self.name.setText(site.name)
            if not self.note.hasFocus():
                self.note.setText(site.note)
            if not self.address.hasFocus():
                self.address.setText(site.address)
            partner_combo(self.document, self.partner, site.partner)
            self.role.setCurrentIndex(max(0, self.role.findData(site.role)))
            self.lon.setValue(site.lon)
            self.lat.setValue(site.lat)
            self.place.setText(describe_place(site.lon, site.lat).split(" · ")[-1])
            self.traffic.setValue(site.demand_mbps)
            warning = traffic_warning(self.document.project, site)
            self.traffic_warning.setText(warning)
            self.traffic_warning.setVisible(bool(warning))
            self._shown = {box: box.value() for box in boxes}

    def _commit_box(self, box: QDoubleSpinBox, field: str, digits: int) -> None:
        if box.value() != self._shown.get(box):
            self._commit(**{field: round(box.value(), digits)})

    def _commit(self, **changes) -> None:
        if self.site_id is None or any(v is None for v in changes.values()):
            return
        site = self.document.project.site(self.site_id)
        self.editor.edit_site(dataclasses.replace(site, **changes))


class _CircuitView(QWidget):
    """One circuit of the design on show, read-only: what it is, its loads, and the demands it carries."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.circuit_id: str | None = None
        self.title = QLabel(wordWrap=True)
        self.title.setObjectName("circuitTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        for key, label in (
            ("role", "Role"),
            ("bandwidth", "Bandwidth"),
            ("capacity", "Capacity"),
            ("metric", "Metric"),
            ("load", "Load"),
            ("worst", "Worst load"),
            ("use", "Worst-case use"),
        ):
            field = self.fields[key] = QLabel(wordWrap=True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, field)
        self.fields["metric"].setToolTip("The routing metric to configure (route km): traffic takes the lowest total")
        self.fields["use"].setToolTip("The worst load as a share of the capacity bought, against the utilisation limit")
        self._traffic_rows = [form.labelForField(self.fields[k]) for k in ("load", "worst", "use")]
        self.carried_title = QLabel()
        self.carried_title.setStyleSheet("font-weight: 600")
        self.carried = QTreeWidget()
        self.carried.setAccessibleName("Demands carried")
        self.carried.setColumnCount(3)
        self.carried.setHeaderLabels(["From", "To", "Mb/s"])
        self.carried.setRootIsDecorated(False)
        self.carried.setUniformRowHeights(True)
        self.carried.setAlternatingRowColors(True)
        self.carried.headerItem().setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.carried.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.carried.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate(
            (QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)
        ):
            header.setSectionResizeMode(column, mode)
        self.carried.setMinimumHeight(100)
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet("color: #5B6B7B")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.carried_title)
        layout.addWidget(self.carried, 1)
        layout.addWidget(self.note)
        #: What the list shows: (design, project, circuit) it was worked out for; None when it is due.
        self._carried_for: tuple[Design, Project, str] | None = None

    def show_circuit(self, circuit_id: str) -> None:
        link = self.document.design_link(circuit_id)
        if link is None:
            return
        self.circuit_id = circuit_id
        project = self.document.project
        sites = self.document.sites_by_id
        names = [sites[end].name if end in sites else end for end in (link.a, link.b)]
        self.title.setText(
            f"<b>{link.circuit_id}</b>  {_escape(short_name(names[0]))} – {_escape(short_name(names[1]))}"
        )
        self.title.setToolTip(f"{names[0]} – {names[1]}")
        f = self.fields
        f["role"].setText(LINK_ROLES.get(link.role, link.role))
        f["bandwidth"].setText(
            link.bandwidth if link.circuits <= 1 else f"{link.bandwidth} ({link.circuits} parallel circuits)"
        )
        f["capacity"].setText(_mbps(link.capacity_mbps) + " each way")
        f["metric"].setText(f"{link.metric:,}")
        traffic = has_traffic(project)
        limit = project.settings.max_utilisation
        if traffic:
            f["load"].setText(f"{_mbps(link.load_mbps)}, all working")
            after = (
                f"after losing {_failure_words(link.worst_failure, sites)}"
                if link.worst_failure
                else "(no failure adds load)"
            )
            f["worst"].setText(f"{_mbps(link.worst_load_mbps)} {after}")
            band = style.use_band(link.worst_utilisation, limit)
            f["use"].setText(
                f"<span style='color:{style.USE_COLOURS[band]}'>■</span> "
                f"{link.worst_utilisation:.0%} of capacity (limit {limit:.0%})"
            )
        for key in ("load", "worst", "use"):
            f[key].setVisible(traffic)
        for label in self._traffic_rows:
            label.setVisible(traffic)
        self.carried_title.setVisible(traffic)
        self.carried.setVisible(traffic)
        if not traffic:
            self.note.setText(
                "No traffic is stated, so every circuit is bought at the smallest tier. Add demands (the Demands "
                "dock) or a site's traffic to its hubs to size circuits for it."
            )
            self._carried_for = None
            return
        self.note.setText("")
        self._carried_for = None
        if self.isVisible():
            self.fill_carried()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.circuit_id is not None and self._carried_for is None and self.carried.isVisibleTo(self):
            self.fill_carried()

    def fill_carried(self) -> None:
        """List the demands the circuit carries in the normal state (worked out once per design and project)."""
        design, project, circuit_id = self.document.design, self.document.project, self.circuit_id
        if design is None or circuit_id is None or design.find_link(circuit_id) is None:
            return
        key = (design, project, circuit_id)
        if self._carried_for is not None and all(a is b for a, b in zip(self._carried_for, key, strict=True)):
            return
        from planner.analysis.carried import carried_flows  # scipy and the router: loaded on first use

        try:
            carried = carried_flows(project, design, circuit_id)
        except (KeyError, ValueError) as err:  # a design for sites since deleted: shown until the redesign
            self.carried.clear()
            self.carried_title.setText("Demands carried")
            self.note.setText(f"Cannot route the traffic on this design yet: {err}")
            self._carried_for = key
            return
        self._carried_for = key
        sites = self.document.sites_by_id
        self.carried.clear()
        total = sum(mbps for _, mbps in carried)
        self.carried_title.setText(
            f"Carries {len(carried)} demand{'s' if len(carried) != 1 else ''}, {_mbps(total)}, all working"
            if carried
            else "Carries no traffic while all is working"
        )
        for flow, mbps in carried[:MAX_CARRIED_ROWS]:
            item = QTreeWidgetItem([_site_name(flow.source, sites), _target_words(flow, sites), _mbps(mbps)[:-5]])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, _flow_tip(flow, mbps, sites))
            item.setToolTip(1, _flow_tip(flow, mbps, sites))
            self.carried.addTopLevelItem(item)
        rest = carried[MAX_CARRIED_ROWS:]
        if rest:
            more = QTreeWidgetItem([f"and {len(rest):,} more", "", _mbps(sum(m for _, m in rest))[:-5]])
            more.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = more.font(0)
            font.setItalic(True)
            for column in range(3):
                more.setFont(column, font)
            self.carried.addTopLevelItem(more)

    def rows(self) -> list[tuple[str, str, str]]:
        """The list of demands carried as the user sees it, top to bottom."""
        return [
            tuple(self.carried.topLevelItem(i).text(c) for c in range(3))
            for i in range(self.carried.topLevelItemCount())
        ]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _site_name(site_id: str, sites: dict[str, Site]) -> str:
    return short_name(sites[site_id].name) if site_id in sites else site_id


def _target_words(flow: Flow, sites: dict[str, Site]) -> str:
    """Where a flow goes while all is working: its first target (a site's traffic: its nearest hub)."""
    return _site_name(flow.targets[0], sites) if flow.targets else ""


def _flow_tip(flow: Flow, mbps: float, sites: dict[str, Site]) -> str:
    source = _site_name(flow.source, sites)
    if flow.origin == "site":
        order = ", then ".join(_site_name(t, sites) for t in flow.targets)
        what = f"{source}'s traffic to its hubs ({order}), {_mbps(flow.mbps)}"
    else:
        what = f"Demand {source} – {_site_name(flow.targets[0], sites)}, {_mbps(flow.mbps)} each way"
    share = "all of it" if mbps >= flow.mbps - 1e-6 else f"{mbps / flow.mbps:.0%} of it (equal-cost paths)"
    return f"{what}: {share} on this circuit"


def _failure_words(failure: str, sites: dict[str, Site]) -> str:
    """``circuit C0007`` as it is; ``site LDS-HQ`` with the site's name."""
    kind, _, key = failure.partition(" ")
    if kind == "site" and key in sites:
        return f"site {sites[key].name}"
    return failure


class PropertiesPanel(QWidget):
    """Project name, the selected site's fields or circuit's figures, and the partner list."""

    def __init__(self, editor: ProjectEditor, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.document = editor, editor.document
        document = editor.document
        self.project_name = QLineEdit()
        self.project_name.editingFinished.connect(lambda: editor.rename_project(self.project_name.text().strip()))

        self.site_editor = _SiteEditor(editor)
        self.site_hint = QLabel(wordWrap=True)
        self.site_hint.setStyleSheet("color: #5B6B7B")
        self.delete_sites = QPushButton("Delete selected sites")
        self.delete_sites.clicked.connect(lambda: editor.delete_sites(document.selection.sites))
        self.sites_role = role_combo()
        self.sites_role.setPlaceholderText("(mixed)")
        self.sites_role.activated.connect(
            lambda: editor.set_roles(document.selection.sites, self.sites_role.currentData())
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
        self.circuit_view = _CircuitView(document)
        self.site_pages = QStackedWidget()
        self.site_pages.addWidget(hint_page)
        self.site_pages.addWidget(self.site_editor)
        # In a scroll area: the circuit's figures and its demands must not make the dock taller than the window.
        self.circuit_page = QScrollArea()
        self.circuit_page.setWidgetResizable(True)
        self.circuit_page.setFrameShape(QScrollArea.Shape.NoFrame)
        self.circuit_page.setWidget(self.circuit_view)
        self.site_pages.addWidget(self.circuit_page)

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
        self.site_box = site_box = QGroupBox("Site")
        QVBoxLayout(site_box).addWidget(self.site_pages)
        partner_box = QGroupBox("Partners")
        partner_layout = QVBoxLayout(partner_box)
        partner_layout.addWidget(self.partners)
        partner_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(project_box)
        layout.addWidget(site_box, 2)
        layout.addWidget(partner_box, 1)

        document.project_replaced.connect(self._refresh_all)
        document.name_changed.connect(self._refresh_name)
        document.partners_changed.connect(self._refresh_partners)
        document.partners_changed.connect(self._refresh_site)
        document.sites_changed.connect(self._refresh_site)
        document.sites_changed.connect(self._refresh_partners)  # the site counts
        document.site_changed.connect(self._refresh_site)
        document.selection.changed.connect(self._refresh_site)
        for signal in (document.design_changed, document.settings_changed, document.demands_changed):
            signal.connect(self._refresh_circuit)
        self._refresh_all()

    def _refresh_all(self) -> None:
        self._refresh_name()
        self._refresh_partners()
        self._refresh_site()

    def _refresh_name(self) -> None:
        self.project_name.setText(self.document.project.name)

    def _refresh_circuit(self) -> None:
        if self.site_pages.currentWidget() is self.circuit_page or self.document.selection.circuits:
            self._refresh_site()

    def _selected_circuit(self) -> str | None:
        """The one circuit selected (and no site), if it is in the design on show."""
        selection = self.document.selection
        if selection.sites or len(selection.circuits) != 1:
            return None
        (circuit_id,) = selection.circuits
        return circuit_id if self.document.design_link(circuit_id) is not None else None

    def _refresh_site(self, *_) -> None:
        sites = self.document.sites_by_id  # built afresh at each read: once here, not per selected site
        selected = [s for s in self.document.selection.sites if s in sites]
        circuit = self._selected_circuit()
        self.site_box.setTitle("Circuit" if circuit else "Site")
        if len(selected) == 1:
            self.site_editor.show_site(selected[0])
            self.site_pages.setCurrentWidget(self.site_editor)
            return
        if circuit is not None:
            self.circuit_view.show_circuit(circuit)  # first, so the page works out what it carries as it shows
            self.site_pages.setCurrentWidget(self.circuit_page)
            return
        self.circuit_view.circuit_id = None
        self.site_editor.site_id = None
        self.site_hint.setText(
            f"{len(selected)} sites selected."
            if selected
            else "Select a site on the map to edit it, or use the Add site tool (A) or the town search to add one. "
            "Click a circuit to see what it carries."
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
            partner_id = self.editor.add_partner(name.strip())
            ids = [p.id for p in self.document.project.partners]
            self.partners.setCurrentRow(ids.index(partner_id))

    def rename_partner(self) -> None:
        partner = self.current_partner()
        if partner is None:
            return
        name, ok = QInputDialog.getText(self, "Rename partner", "Name:", text=partner.name)
        if ok and name.strip():
            self.editor.edit_partner(dataclasses.replace(partner, name=name.strip()))

    def recolour_partner(self) -> None:
        partner = self.current_partner()
        if partner is None:
            return
        colour = QColorDialog.getColor(QColor(partner.colour), self, f"Colour of {partner.name}")
        if colour.isValid():
            self.editor.edit_partner(dataclasses.replace(partner, colour=colour.name().upper()))

    def delete_partner(self) -> None:
        partner = self.current_partner()
        if partner is None:
            return
        try:
            self.editor.delete_partner(partner.id)
        except ValueError:
            QMessageBox.information(
                self, "Delete partner", f"{partner.name} still has sites: move or delete them first."
            )
