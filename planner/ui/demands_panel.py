"""The Demands dock: the traffic between pairs of sites, which sizes the circuits.

A table of the project's pair demands (A-end, B-end, Mb/s each way, partners), sortable
and filtered by partner, with Add…, Delete and Import…, and the Mb/s edited in place
(double-click). Every change is one undo command through the document; a value the
document refuses is explained on the panel and nothing changes. The summary line counts
the pair demands and the sites' own traffic to their hubs (set in Properties).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import Demand, Site, pair_key
from planner.core.traffic import MAX_MBPS, mbps_from_text, traffic_problems
from planner.core.words import plural, short_name
from planner.ui.document import ProjectDocument, format_mbps
from planner.ui.editor import ProjectEditor
from planner.ui.properties import swatch
from planner.ui.widgets import DeletingTable

__all__ = ["DemandsModel", "DemandsPanel", "AddDemandDialog", "COLUMNS", "summary_text"]

#: Column titles, in order.
COLUMNS = ("A-end", "B-end", "Mb/s each way", "Partners")
MBPS_COLUMN = 2
#: The demand's pair of site ids, on every cell.
PAIR_ROLE = Qt.ItemDataRole.UserRole + 1
_SORT_ROLE = Qt.ItemDataRole.UserRole
_PROBLEM_COLOUR = "#B00020"


def summary_text(demands: list[Demand], sites: list[Site]) -> str:
    """``12 pair demands, 3,400 Mb/s; 37 sites send 5,200 Mb/s to their hubs``.

    >>> summary_text([Demand("a", "b", 400)], [])
    '1 pair demand, 400 Mb/s; no site sends traffic to its hubs'
    """
    if demands:
        text = f"{plural(len(demands), 'pair demand')}, {format_mbps(sum(d.mbps for d in demands))} Mb/s"
    else:
        text = "No pair demands"
    senders = [s.demand_mbps for s in sites if s.demand_mbps > 0]
    if not senders:
        return f"{text}; no site sends traffic to its hubs"
    verb, whose = ("sends", "its") if len(senders) == 1 else ("send", "their")
    return f"{text}; {plural(len(senders), 'site')} {verb} {format_mbps(sum(senders))} Mb/s to {whose} hubs"


class DemandsModel(QAbstractTableModel):
    """One row per pair demand of the document's project, in the project's order."""

    #: An edit in the table was refused: why (one line).
    problem = Signal(str)
    #: An edit in the table was made.
    edited = Signal()

    def __init__(self, editor: ProjectEditor, parent: QObject | None = None):
        super().__init__(parent)
        self.editor, self.document = editor, editor.document
        self._rows: list[tuple[Demand, tuple, tuple, frozenset[str], str]] = []
        self.reload()

    def reload(self) -> None:
        """Rebuild the rows (names, partners and problems are looked up once here)."""
        project = self.document.project
        sites = self.document.sites_by_id
        partners = project.partners_by_id
        problems: dict[int, list[str]] = {}
        for text in traffic_problems(project):
            if text.startswith("demands["):
                index, _, rest = text[len("demands[") :].partition("]: ")
                if index.isdigit():
                    problems.setdefault(int(index), []).append(rest)
        rows = []
        for i, demand in enumerate(project.demands):
            ends = [sites.get(demand.a), sites.get(demand.b)]
            names = [short_name(sites[e].name) if e in sites else f"{e} (no such site)" for e in (demand.a, demand.b)]
            owners = list(dict.fromkeys(s.partner for s in ends if s))
            owner_names = " / ".join(partners[p].name if p in partners else p for p in owners)
            shown = (*names, format_mbps(demand.mbps), owner_names)
            sort = (names[0].casefold(), names[1].casefold(), demand.mbps, owner_names.casefold())
            rows.append((demand, shown, sort, frozenset(owners), "; ".join(problems.get(i, []))))
        if len(rows) == len(self._rows) and [r[0].pair for r in rows] == [r[0].pair for r in self._rows]:
            self._rows = rows  # the same demands (a rate or a name changed): keep the view's selection and editor
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def demand(self, row: int) -> Demand:
        return self._rows[row][0]

    def problem_count(self) -> int:
        """How many demands the design engine would refuse (shown in red, with why in the tooltip)."""
        return sum(1 for row in self._rows if row[4])

    def partners_of(self, row: int) -> frozenset[str]:
        """The partner ids of the demand's two ends."""
        return self._rows[row][3]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == MBPS_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        demand, shown, sort, _, problem = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return shown[column]
        if role == Qt.ItemDataRole.EditRole:
            return format_mbps(demand.mbps).replace(",", "") if column == MBPS_COLUMN else shown[column]
        if role == _SORT_ROLE:
            return sort[column]
        if role == PAIR_ROLE:
            return demand.pair
        if role == Qt.ItemDataRole.TextAlignmentRole and column == MBPS_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QColor(_PROBLEM_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{shown[0]} – {shown[1]}: {shown[2]} Mb/s each way ({demand.a} – {demand.b})"
            if problem:
                return f"{text}\nThe design cannot use it: {problem}"
            return f"{text}. Double-click the rate to change it." if column == MBPS_COLUMN else text
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != MBPS_COLUMN or role != Qt.ItemDataRole.EditRole:
            return False
        demand = self.demand(index.row())
        try:
            mbps = mbps_from_text(str(value).replace(",", ""))
            self.editor.edit_demand(demand.pair, Demand(demand.a, demand.b, mbps))
        except ValueError as err:
            self.problem.emit(str(err))
            return False
        self.edited.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class _PartnerFilter(QSortFilterProxyModel):
    """Shows the demands with either end at one partner's sites (all of them when ``partner`` is empty)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.partner = ""

    def set_partner(self, partner: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 on; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.partner = partner or ""
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.partner = partner or ""
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not self.partner or self.partner in self.sourceModel().partners_of(source_row)


def _site_combo(document: ProjectDocument, current: str | None) -> QComboBox:
    """The sites that may have traffic (not optional relays), by name, with their partner's colour."""
    combo = QComboBox()
    partners = document.project.partners_by_id
    sites = sorted((s for s in document.project.sites if s.role != "optional"), key=lambda s: (s.name.casefold(), s.id))
    for site in sites:
        partner = partners.get(site.partner)
        label = f"{site.name}  ·  {partner.name if partner else site.partner}"
        combo.addItem(swatch(partner.colour if partner else "#999999"), label, site.id)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
    combo.setMaxVisibleItems(20)
    return combo


class AddDemandDialog(QDialog):
    """Two sites and the rate each way between them; OK is refused, with the reason, for a bad demand."""

    def __init__(self, editor: ProjectEditor, a: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.document = editor, editor.document
        document = editor.document
        self.setWindowTitle("Add demand")
        self.a = _site_combo(document, a)
        self.a.setAccessibleName("A-end")
        first = self.a.currentData()
        taken = {d.b if d.a == first else d.a for d in document.project.demands if first in d.pair}
        choices = [s.id for s in document.project.sites if s.role != "optional" and s.id != first]
        self.b = _site_combo(document, next((s for s in choices if s not in taken), choices[0] if choices else None))
        self.b.setAccessibleName("B-end")
        self.mbps = QDoubleSpinBox(decimals=1, minimum=0, maximum=MAX_MBPS, value=100, suffix=" Mb/s")
        self.mbps.setGroupSeparatorShown(True)
        self.mbps.setToolTip("The rate each way between the two sites (a symmetric demand)")
        self.mbps.setAccessibleName("Mb/s each way")
        self.problem = QLabel(wordWrap=True, visible=False)
        self.problem.setStyleSheet(f"color: {_PROBLEM_COLOUR}")
        form = QFormLayout()
        form.addRow("A-end", self.a)
        form.addRow("B-end", self.b)
        form.addRow("Each way", self.mbps)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Traffic between two sites, the same rate each way:"))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for widget in (self.a, self.b):
            widget.currentIndexChanged.connect(lambda _: self.problem.hide())
        self.mbps.valueChanged.connect(lambda _: self.problem.hide())

    def values(self) -> tuple[str, str, float]:
        """The A-end and B-end site ids and the rate in Mb/s."""
        return self.a.currentData(), self.b.currentData(), self.mbps.value()

    def accept(self) -> None:
        a, b, mbps = self.values()
        problem = "choose two sites" if a is None or b is None else self.editor.demand_problem(Demand(a, b, mbps))
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            return
        super().accept()


class DemandsPanel(QWidget):
    """The pair demands: a partner filter, the table, Add/Delete/Import, and a summary line."""

    def __init__(self, editor: ProjectEditor, import_action: QAction | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.document = editor, editor.document
        document = editor.document
        self.model = DemandsModel(editor, self)
        self.proxy = _PartnerFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(_SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.partner = QComboBox()
        self.partner.setAccessibleName("Partner")
        self.partner.setToolTip("Show the demands with either end at this partner's sites")
        self.partner.currentIndexChanged.connect(lambda _: self._on_partner_pick())

        self.table = DeletingTable()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 170, 100)):
            header.resizeSection(column, width)
        self.table.setAccessibleName("Demands")
        self.table.delete_requested.connect(self.delete_selected)
        self.table.doubleClicked.connect(self._on_double_click)

        self.add_button = QPushButton("Add…")
        self.add_button.setToolTip("Add traffic between two sites (the selected site is the A-end)")
        self.add_button.clicked.connect(self.add)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected demands (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button = QPushButton("Import…")
        if import_action is not None:  # the window's File → Import Demands…, with its shortcut in the tooltip
            self.import_button.setToolTip(import_action.toolTip())
            self.import_button.clicked.connect(import_action.trigger)
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("demandsSummary")
        self.summary.setToolTip("A site's own traffic to its partner's hubs is set in Properties: Traffic to hubs")
        self.message = QLabel(wordWrap=True, visible=False)
        self.message.setObjectName("demandsProblem")
        self.message.setStyleSheet(f"color: {_PROBLEM_COLOUR}")

        top = QHBoxLayout()
        top.addWidget(QLabel("Partner"))
        top.addWidget(self.partner, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)

        self._sites: dict[str, tuple] = {}  # what the table shows of each site, to notice a change
        self.model.problem.connect(self.show_problem)
        self.model.edited.connect(self.message.hide)
        self.model.modelReset.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        document.demands_changed.connect(self.refresh)
        document.sites_changed.connect(self.refresh)
        document.partners_changed.connect(self._refresh_partners)
        document.partners_changed.connect(self.refresh)
        document.site_changed.connect(self._on_site_change)
        document.project_replaced.connect(self._on_project_replaced)
        self._refresh_partners()
        self.refresh()

    # -- document -> widgets ------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.reload()
        project = self.document.project
        self._sites = {s.id: (s.name, s.partner, s.role, s.demand_mbps) for s in project.sites}
        self._refresh_summary()
        self._update_buttons()

    def _refresh_summary(self) -> None:
        project = self.document.project
        text = summary_text(project.demands, project.sites)
        shown = self.proxy.rowCount()
        if self.proxy.partner and project.demands:
            text += f" · {shown:,} shown"
        bad = self.model.problem_count()
        if bad:
            text += f". {plural(bad, 'demand')} in red cannot be routed: hover for why"
        self.summary.setText(text)

    def _on_site_change(self, site_id: str) -> None:
        """Only a site's name, partner, role or own traffic shows here (a drag moves a site many times a second)."""
        site = self.document.sites_by_id.get(site_id)
        if site is not None and self._sites.get(site_id) != (site.name, site.partner, site.role, site.demand_mbps):
            self.refresh()

    def _on_project_replaced(self) -> None:
        self.message.hide()
        self._refresh_partners()
        self.refresh()

    def _refresh_partners(self) -> None:
        current = self.partner.currentData() or ""
        with QSignalBlocker(self.partner):
            self.partner.clear()
            self.partner.addItem("All partners", "")
            for partner in self.document.project.partners:
                self.partner.addItem(swatch(partner.colour), partner.name, partner.id)
            self.partner.setCurrentIndex(max(0, self.partner.findData(current)))
        self.proxy.set_partner(self.partner.currentData())

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(bool(self.selected_pairs()))
        self.add_button.setEnabled(sum(1 for s in self.document.project.sites if s.role != "optional") >= 2)

    # -- widgets -> document ------------------------------------------------------------------------
    def selected_pairs(self) -> list[tuple[str, str]]:
        """The site pairs of the selected rows."""
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.data(index, PAIR_ROLE) for index in rows]

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def add(self) -> None:
        """Ask for two sites and a rate, and add the demand (the selected site is the A-end)."""
        selected = sorted(self.document.selection.sites)
        dialog = AddDemandDialog(self.editor, selected[0] if selected else None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.editor.add_demand(*dialog.values())
        except ValueError as err:
            self.show_problem(str(err))
            return
        self.message.hide()
        self._select(dialog.values()[:2])

    def delete_selected(self) -> None:
        pairs = self.selected_pairs()
        if pairs:
            self.editor.delete_demands(pairs)
            self.message.hide()

    def _on_partner_pick(self) -> None:
        self.proxy.set_partner(self.partner.currentData())
        self._refresh_summary()
        self._update_buttons()

    def _on_double_click(self, index: QModelIndex) -> None:
        """A double-click on a site's name edits the rate: that is the one thing edited in place."""
        if index.column() != MBPS_COLUMN:
            self.table.edit(index.siblingAtColumn(MBPS_COLUMN))

    def _select(self, pair: tuple[str, str]) -> None:
        key = pair_key(*pair)
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, PAIR_ROLE) == key:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return
