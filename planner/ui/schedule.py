"""The link schedule: the shown design's circuits in a sortable, filterable table.

Selecting rows selects those circuits (the map highlights them) and selecting circuits
on the map selects their rows, through the document's shared selection. With traffic,
each circuit's load, worst load, worst-case use (in the map's colour for it) and the
failure causing it are shown next to its bandwidth; without, those columns are hidden.
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
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from planner.core.design_result import LINK_ROLES, Design, DesignLink
from planner.core.money import format_gbp
from planner.core.traffic import has_traffic
from planner.ui import style
from planner.ui.document import ProjectDocument

__all__ = ["ScheduleModel", "SchedulePanel", "COLUMNS", "TRAFFIC_COLUMNS"]

#: Column titles, in order.
COLUMNS = (
    "Circuit",
    "A-end",
    "B-end",
    "Partners",
    "km",
    "Route km",
    "Bandwidth",
    "Load Mb/s",
    "Worst Mb/s",
    "Worst use",
    "Worst after losing",
    "Role",
    "Install",
    "Annual",
    "Total",
)
_NUMERIC = {4, 5, 7, 8, 9, 12, 13, 14}
#: The columns about traffic, hidden while the project has none.
TRAFFIC_COLUMNS = (7, 8, 9, 10)
_USE_COLUMN = 9
CIRCUIT_ROLE = Qt.ItemDataRole.UserRole + 1
_MAX_COLUMN_WIDTH = 240
_FIT_ROWS = 60  # rows read to fit a column's width


class ScheduleModel(QAbstractTableModel):
    """One row per circuit of the document's shown design."""

    def __init__(self, document: ProjectDocument, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._rows: list[tuple[DesignLink, tuple]] = []  # each circuit and its cells' sort keys
        self._shown: dict[int, tuple[str, ...]] = {}  # rows' cell texts, made when first shown
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self._design: Design | None = None  # the design the rows were made from
        self.limit = document.project.settings.max_utilisation
        document.design_changed.connect(self._on_design_change)
        for signal in (document.project_replaced, document.partners_changed):
            signal.connect(self.reload)
        document.sites_changed.connect(self.reload)
        document.settings_changed.connect(self.reload)  # the utilisation limit colours the worst use
        self.reload()

    def _on_design_change(self) -> None:
        """A new design: rebuild. The same one going stale while an edit is made (each drag) keeps its rows."""
        if self.document.design is not self._design:
            self.reload()

    def reload(self) -> None:
        """Rebuild the rows from the design (names and partners are looked up once here)."""
        self.beginResetModel()
        design = self._design = self.document.design
        sites = self.document.sites_by_id
        partners = self.document.project.partners_by_id
        term = design.term_years if design else 0
        rows = []
        for link in design.links if design else ():
            a, b = sites.get(link.a), sites.get(link.b)
            names = [s.name if s else "(deleted)" for s in (a, b)]
            owners = sorted({partners[s.partner].name if s.partner in partners else s.partner for s in (a, b) if s})
            failure = _failure_words(link.worst_failure, sites)
            sort = (link.circuit_id, *names, " / ".join(owners), link.distance_km, link.route_km)
            sort += (link.capacity_mbps, link.load_mbps, link.worst_load_mbps, link.worst_utilisation, failure)
            sort += (link.role, link.install, link.annual, link.total(term))
            rows.append((link, sort))
        self._rows, self._shown = self._sorted(rows), {}
        self.limit = self.document.project.settings.max_utilisation
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` here, in one Python sort of their keys.

        A sorting proxy would instead ask :meth:`data` for two keys per comparison, tens of
        thousands of calls into Python for a large region: a stall after every redesign.
        """
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = {link.circuit_id: row for row, (link, _) in enumerate(self._rows)}
        self._rows, self._shown = self._sorted(self._rows), {}
        after = {link.circuit_id: row for row, (link, _) in enumerate(self._rows)}
        moved = {old: after[circuit] for circuit, old in before.items()}
        kept = self.persistentIndexList()
        self.changePersistentIndexList(kept, [self.index(moved[i.row()], i.column()) for i in kept])
        self.layoutChanged.emit()

    def _sorted(self, rows: list[tuple[DesignLink, tuple]]) -> list[tuple[DesignLink, tuple]]:
        column, order = self._sort
        return sorted(rows, key=lambda row: row[1][column], reverse=order == Qt.SortOrder.DescendingOrder)

    def _shown_row(self, row: int) -> tuple[str, ...]:
        """The text of row ``row``'s cells, made when first shown (a region has thousands, a view a few dozen)."""
        shown = self._shown.get(row)
        if shown is None:
            link, sort = self._rows[row]
            shown = (*sort[:4], f"{link.distance_km:,.1f}", f"{link.route_km:,}", link.bandwidth)
            shown += (f"{link.load_mbps:,.0f}", f"{link.worst_load_mbps:,.0f}", f"{link.worst_utilisation:.0%}")
            shown += (sort[10] or "–", LINK_ROLES.get(link.role, link.role))
            shown += (format_gbp(link.install), format_gbp(link.annual), format_gbp(sort[14]))
            self._shown[row] = shown
        return shown

    def circuit_id(self, row: int) -> str:
        return self._rows[row][0].circuit_id

    def row_of(self, circuit_id: str) -> int:
        for row, (link, _) in enumerate(self._rows):
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
        link, sort = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return sort[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            shown = self._shown_row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return shown[column]
        if role == CIRCUIT_ROLE:
            return link.circuit_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == _USE_COLUMN:
            return QColor(style.use_colour(link.worst_utilisation, self.limit))
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{shown[0]}: {shown[1]} – {shown[2]}, {shown[11].lower()}, {shown[14]} over the term"
            if column in TRAFFIC_COLUMNS:
                after = f" after losing {shown[10]}" if link.worst_failure else ""
                tip += (
                    f"; {shown[7]} Mb/s while all is working, {shown[8]} of {link.capacity_mbps:,} Mb/s"
                    f" ({shown[9]}){after}"
                )
            return tip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


def _failure_words(failure: str, sites) -> str:
    """``circuit C0007`` as it is; ``site LDS-HQ`` by the site's name."""
    kind, _, key = failure.partition(" ")
    if kind == "site" and key in sites:
        return f"site {sites[key].name}"
    return failure


class _FilterProxy(QSortFilterProxyModel):
    """Filters the schedule's rows; their order is the model's own (see :meth:`ScheduleModel.sort`)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class SchedulePanel(QWidget):
    """A filter box over the schedule table; keeps its selection in step with the map."""

    #: The user selected one circuit here: the map should bring it into view.
    circuit_activated = Signal(str)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.model = ScheduleModel(document, self)
        self.proxy = _FilterProxy(self)
        self.proxy.setSourceModel(self.model)
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
        traffic = has_traffic(self.document.project)
        for column in TRAFFIC_COLUMNS:
            self.table.setColumnHidden(column, not traffic)
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
        """Select the rows of the circuits selected elsewhere (the map) and scroll the first into view."""
        if self._echo:
            return
        rows = [r for r in map(self.model.row_of, self.document.selection.circuits) if r >= 0]
        self._echo = True
        try:
            if any(not self._view_index(r).isValid() for r in rows):
                self.filter.clear()  # the filter hides a circuit chosen on the map: show every row again
            indexes = sorted((i for i in map(self._view_index, rows) if i.isValid()), key=lambda i: i.row())
            selection = QItemSelection()
            for index in indexes:
                selection.select(index, index)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().select(selection, flags)
            if indexes:
                self.table.selectionModel().setCurrentIndex(indexes[0], QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(indexes[0])
        finally:
            self._echo = False

    def _view_index(self, row: int) -> QModelIndex:
        """The table's index of the model's ``row`` (invalid when the filter hides it)."""
        return self.proxy.mapFromSource(self.model.index(row, 0))
