"""The link schedule: the shown design's circuits in a sortable, filterable table.

Selecting rows selects those circuits (the map highlights them) and selecting circuits
on the map selects their rows, through the document's shared selection.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from planner.core.design_result import LINK_ROLES, DesignLink
from planner.core.money import format_gbp
from planner.ui.document import ProjectDocument

__all__ = ["ScheduleModel", "SchedulePanel", "COLUMNS"]

#: Column titles, in order.
COLUMNS = (
    "Circuit",
    "A-end",
    "B-end",
    "Partners",
    "km",
    "Route km",
    "Bandwidth",
    "Role",
    "Install",
    "Annual",
    "Total",
)
_NUMERIC = {4, 5, 8, 9, 10}
CIRCUIT_ROLE = Qt.ItemDataRole.UserRole + 1
_MAX_COLUMN_WIDTH = 240
_FIT_ROWS = 60  # rows read to fit a column's width


class ScheduleModel(QAbstractTableModel):
    """One row per circuit of the document's shown design."""

    def __init__(self, document: ProjectDocument, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._rows: list[tuple[DesignLink, tuple, tuple]] = []
        for signal in (document.design_changed, document.project_replaced, document.partners_changed):
            signal.connect(self.reload)
        document.sites_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """Rebuild the rows from the design (names and partners are looked up once here)."""
        self.beginResetModel()
        design = self.document.design
        sites = self.document.sites_by_id
        partners = self.document.project.partners_by_id
        term = design.term_years if design else 0
        rows = []
        for link in design.links if design else ():
            a, b = sites.get(link.a), sites.get(link.b)
            names = [s.name if s else "(deleted)" for s in (a, b)]
            owners = sorted({partners[s.partner].name if s.partner in partners else s.partner for s in (a, b) if s})
            total = link.total(term)
            sort = (link.circuit_id, *names, " / ".join(owners), link.distance_km, link.route_km)
            sort += (link.bandwidth, link.role, link.install, link.annual, total)
            shown = (link.circuit_id, *names, " / ".join(owners), f"{link.distance_km:,.1f}", f"{link.route_km:,}")
            shown += (link.bandwidth, LINK_ROLES.get(link.role, link.role))
            shown += (format_gbp(link.install), format_gbp(link.annual), format_gbp(total))
            rows.append((link, shown, sort))
        self._rows = rows
        self.endResetModel()

    def circuit_id(self, row: int) -> str:
        return self._rows[row][0].circuit_id

    def row_of(self, circuit_id: str) -> int:
        for row, (link, _, _) in enumerate(self._rows):
            if link.circuit_id == circuit_id:
                return row
        return -1

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        link, shown, sort = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return shown[column]
        if role == Qt.ItemDataRole.UserRole:
            return sort[column]
        if role == CIRCUIT_ROLE:
            return link.circuit_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{shown[0]}: {shown[1]} – {shown[2]}, {shown[7].lower()}, {shown[10]} over the term"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class SchedulePanel(QWidget):
    """A filter box over the schedule table; keeps its selection in step with the map."""

    #: The user selected one circuit here: the map should bring it into view.
    circuit_activated = Signal(str)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.model = ScheduleModel(document, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(placeholderText="Filter by circuit, site, partner or role…", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setAccessibleName("Link schedule")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        self._echo = False
        self._fitted: object = None
        self.table.horizontalHeader().setResizeContentsPrecision(_FIT_ROWS)
        self.table.selectionModel().selectionChanged.connect(self._on_rows_selected)
        document.selection.changed.connect(self._on_selection_change)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()

    def _after_reset(self) -> None:
        # Fit the columns once per project, not on every redesign (it reads every cell).
        if self._fitted != self.document.project and self.model.rowCount():
            self._fitted = self.document.project
            self.table.resizeColumnsToContents()
            header = self.table.horizontalHeader()
            for column in range(header.count()):
                header.resizeSection(column, min(header.sectionSize(column), _MAX_COLUMN_WIDTH))
        self._on_selection_change()

    def _on_rows_selected(self) -> None:
        if self._echo:
            return
        rows = self.table.selectionModel().selectedRows()
        circuits = {self.proxy.data(index, CIRCUIT_ROLE) for index in rows}
        self._echo = True
        try:
            self.document.selection.set((), circuits)
        finally:
            self._echo = False
        if len(circuits) == 1:
            self.circuit_activated.emit(next(iter(circuits)))

    def _on_selection_change(self) -> None:
        if self._echo:
            return
        selection = QItemSelection()
        for circuit_id in self.document.selection.circuits:
            row = self.model.row_of(circuit_id)
            if row >= 0:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.select(index, index)
        self._echo = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().select(selection, flags)
            if not selection.isEmpty():
                self.table.scrollTo(selection.indexes()[0])
        finally:
            self._echo = False
