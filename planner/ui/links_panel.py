"""The Links panel: existing links partners own, forbidden links, no-go areas and carrier quotes.

Lists what limits the candidate links, with buttons to remove entries (each removal one
undo command) and to start the map tools that add them. Selecting a no-go area here
selects it on the map and back.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import pair_key
from planner.core.money import format_gbp
from planner.core.words import short_name
from planner.ui.editor import ProjectEditor

__all__ = ["LinksPanel"]

_KEY = Qt.ItemDataRole.UserRole
#: The window's actions this panel offers as buttons.
_ACTIONS = ("existing_tool", "zone_tool", "import_quotes", "clear_quotes")


def _buttons(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def _tool(action: QAction | None) -> QToolButton:
    button = QToolButton()
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    if action is not None:
        button.setDefaultAction(action)
    return button


class LinksPanel(QWidget):
    """Existing and forbidden links, no-go areas and quotes, each with its remove button."""

    #: Double-clicking an existing link asks to edit it: the pair of site ids.
    edit_existing_requested = Signal(str, str)
    #: The Rename button on a no-go area: its index.
    rename_zone_requested = Signal(int)

    def __init__(self, editor: ProjectEditor, actions: dict[str, QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.document = editor, editor.document
        document = editor.document
        self._names: dict[str, str] = {}  # site names as listed, to notice a rename

        self.existing = QTreeWidget()
        self.existing.setHeaderLabels(["Link", "Owner", "Annual rental"])
        self.existing.setRootIsDecorated(False)
        self.existing.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.existing.setAccessibleName("Existing links")
        header = self.existing.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.existing.itemDoubleClicked.connect(lambda item: self.edit_existing_requested.emit(*item.data(0, _KEY)))
        self.remove_existing = QPushButton("Unmark")
        self.remove_existing.setToolTip("No longer treat the selected links as existing")
        self.remove_existing.clicked.connect(
            lambda: editor.remove_existing([i.data(0, _KEY) for i in self.existing.selectedItems()])
        )

        self.forbidden = QListWidget()
        self.forbidden.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.forbidden.setAccessibleName("Forbidden links")
        self.allow = QPushButton("Allow")
        self.allow.setToolTip("Let designs use the selected links again")
        self.allow.clicked.connect(lambda: editor.allow_links([i.data(_KEY) for i in self.forbidden.selectedItems()]))

        self.zones = QListWidget()
        self.zones.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.zones.setAccessibleName("No-go areas")
        self.zones.itemSelectionChanged.connect(self._on_zone_pick)
        self.zones.itemDoubleClicked.connect(lambda item: self.rename_zone_requested.emit(item.data(_KEY)))
        self.rename_zone = QPushButton("Rename…")
        self.rename_zone.clicked.connect(self._on_rename)
        self.delete_zones = QPushButton("Delete")
        self.delete_zones.clicked.connect(
            lambda: editor.remove_zones([i.data(_KEY) for i in self.zones.selectedItems()])
        )

        self.quotes = QLabel(wordWrap=True)

        layout = QVBoxLayout(self)
        tools = {
            key: _tool(actions.get(key)) for key in ("existing_tool", "zone_tool", "import_quotes", "clear_quotes")
        }
        for title, widget, row in (
            ("Existing links", self.existing, [tools["existing_tool"], self.remove_existing]),
            ("Forbidden links", self.forbidden, [self.allow]),
            ("No-go areas", self.zones, [tools["zone_tool"], self.rename_zone, self.delete_zones]),
            ("Carrier quotes", self.quotes, [tools["import_quotes"], tools["clear_quotes"]]),
        ):
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(widget)
            box_layout.addLayout(_buttons(*row))
            layout.addWidget(box, 0 if widget is self.quotes else 1)

        for widget in (self.existing, self.forbidden, self.zones):
            widget.itemSelectionChanged.connect(self._update_buttons)
        document.project_replaced.connect(self.refresh)
        document.constraints_changed.connect(self.refresh)
        document.partners_changed.connect(self.refresh)
        document.sites_changed.connect(self.refresh)
        document.site_changed.connect(self._on_site_change)
        document.selection.changed.connect(self._on_selection_change)
        self.refresh()

    # -- document -> widgets ------------------------------------------------------------------------
    def refresh(self) -> None:
        project = self.document.project
        sites, partners = self.document.sites_by_id, project.partners_by_id
        self._names = {site_id: site.name for site_id, site in sites.items()}

        def ends(a: str, b: str) -> str:
            return " – ".join(short_name(sites[i].name) if i in sites else i for i in (a, b))

        self.existing.clear()
        for link in project.existing_links:
            owner = partners.get(link.owner)
            rental = "tariff" if link.annual is None else format_gbp(link.annual)
            item = QTreeWidgetItem([ends(link.a, link.b), owner.name if owner else link.owner, rental])
            item.setData(0, _KEY, pair_key(link.a, link.b))
            item.setToolTip(0, item.text(0))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.existing.addTopLevelItem(item)
        self.forbidden.clear()
        for a, b in project.forbidden_links:
            item = QListWidgetItem(ends(a, b))
            item.setData(_KEY, pair_key(a, b))
            self.forbidden.addItem(item)
        with QSignalBlocker(self.zones):
            self.zones.clear()
            for i, zone in enumerate(project.exclusion_zones):
                item = QListWidgetItem(zone.name)
                item.setData(_KEY, i)
                self.zones.addItem(item)
        n = len(project.quotes)
        self.quotes.setText(
            f"{n:,} quoted pairs: designs use only these and the existing links."
            if n
            else "None: any pair of sites may be linked at the tariff's price."
        )
        self._on_selection_change()
        self._update_buttons()

    def _on_site_change(self, site_id: str) -> None:
        """Only a new name shows here (a drag moves a site many times a second)."""
        site = self.document.sites_by_id.get(site_id)
        if site is not None and self._names.get(site_id, site.name) != site.name:
            self.refresh()

    def _on_selection_change(self) -> None:
        selected = self.document.selection.zones
        with QSignalBlocker(self.zones):
            for row in range(self.zones.count()):
                item = self.zones.item(row)
                item.setSelected(item.data(_KEY) in selected)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_existing.setEnabled(bool(self.existing.selectedItems()))
        self.allow.setEnabled(bool(self.forbidden.selectedItems()))
        zones = len(self.zones.selectedItems())
        self.rename_zone.setEnabled(zones == 1)
        self.delete_zones.setEnabled(zones > 0)

    # -- widgets -> document ------------------------------------------------------------------------
    def _on_zone_pick(self) -> None:
        self.document.selection.set(zones=[i.data(_KEY) for i in self.zones.selectedItems()])

    def _on_rename(self) -> None:
        items = self.zones.selectedItems()
        if len(items) == 1:
            self.rename_zone_requested.emit(items[0].data(_KEY))
