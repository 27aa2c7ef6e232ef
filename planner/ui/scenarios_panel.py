"""The Scenarios panel: the project's what-ifs (add, edit, remove; each one undoable) and, when asked,
every one compared side by side with the plan.

The comparison comes from :class:`~planner.ui.scenario_runner.ScenarioRunner` (in the
background, with progress and Cancel); nothing is computed here. One column per
scenario, the plan first; rows: the total over the term, the saving against the
partners' own networks, the circuits and those added and removed, then each partner's
share (– when it is not in; for a partner joining, its entry price). Results for a
project edited since are shown greyed, with a note, until compared again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.money import format_gbp
from planner.core.words import plural
from planner.ui.editor import ProjectEditor
from planner.ui.scenario_dialog import ScenarioDialog, describe_scenario
from planner.ui.scenario_runner import ScenarioRunner
from planner.ui.settings import AppSettings

if TYPE_CHECKING:
    from planner.analysis.scenarios import ScenarioResult

__all__ = ["ComparisonModel", "ScenariosPanel", "ROWS", "entry_words"]

#: The rows above the partners' shares.
ROWS = ("Total over term", "Saving", "Circuits", "Added / removed")
_WORDS = Qt.ItemDataRole.UserRole + 1  # a list item's description of its scenario
_SIDE_WIDTH = 230  # the list, its buttons and Compare: the rest is the table
_HEADER_WIDTH = 170
_MUTED = QColor("#8A96A3")
_WORSE = QColor("#B03A2E")
_STALE = "The project has changed since this comparison: the figures are greyed until you compare again."


def entry_words(result: ScenarioResult, partner: str, sep: str = "; ") -> str:
    """A joining partner's entry price: ``adds £X; would pay £Y`` (``sep`` between the two)."""
    adds, pays = (result.entry or {}).get(partner), result.share(partner)
    would = f"would pay {format_gbp(pays)}" if pays is not None else "not designed"
    return f"adds {format_gbp(adds)}{sep}{would}" if adds is not None else f"joins with other changes{sep}{would}"


class ComparisonModel(QAbstractTableModel):
    """One column per result (the plan first); one row per figure, then per partner."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.results: list[ScenarioResult] = []
        self.current = True
        self._partners: list[tuple[str, str, str]] = []  # id, name, colour: the plan's, then those joining
        self._cells: list[list[str]] = []  # [row][column]
        self._tips: dict[tuple[int, int], str] = {}

    def show(self, results: list[ScenarioResult] | None, current: bool) -> None:
        self.beginResetModel()
        self.results, self.current = list(results or []), current
        seen: dict[str, tuple[str, str, str]] = {}
        for r in self.results:
            for p in r.project.partners:
                seen.setdefault(p.id, (p.id, p.name, p.colour))
        self._partners = list(seen.values())
        self._cells, self._tips = [], {}
        for row in range(len(ROWS) + len(self._partners)):
            self._cells.append([self._cell(row, column) for column in range(len(self.results))])
        self.endResetModel()

    def _cell(self, row: int, column: int) -> str:
        r = self.results[column]
        if r.sharing is None:
            if row == 0:
                self._tips[row, column] = r.problem
                return "Cannot be designed"
            return "–"
        figures = (
            format_gbp(r.design.total_cost),
            format_gbp(r.sharing.saving),
            f"{len(r.design.links):,}",
            "–" if column == 0 else f"+{len(r.added):,} / −{len(r.removed):,}",
        )
        if row < len(ROWS):
            return figures[row]
        partner = self._partners[row - len(ROWS)][0]
        if partner in (r.entry or {}):  # joining: its entry price
            self._tips[row, column] = entry_words(r, partner)
            return entry_words(r, partner, "\n")
        share = r.share(partner)
        return "–" if share is None else format_gbp(share)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.results)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self.current:
                return QBrush(_MUTED)
            if self.results[column].sharing is None and row == 0:
                return QBrush(_WORSE)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips.get((row, column))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.results[section].name
            if role == Qt.ItemDataRole.FontRole and section == 0:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if section < len(ROWS):
            if role == Qt.ItemDataRole.DisplayRole:
                return ROWS[section]
            return _ROW_TIPS.get(section) if role == Qt.ItemDataRole.ToolTipRole else None
        partner = section - len(ROWS)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._partners[partner][1]
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(self._partners[partner][2])
        if role == Qt.ItemDataRole.ToolTipRole:
            name = self._partners[partner][1]
            return f"{name}'s share under each scenario's split (–: not in it; joining: what it adds and would pay)"
        return None

    def row_of(self, label: str) -> int:
        """The row headed ``label`` (a figure or a partner's name)."""
        for row in range(self.rowCount()):
            if self.headerData(row, Qt.Orientation.Vertical) == label:
                return row
        raise KeyError(label)


_ROW_TIPS = {
    0: "The shared network's cost of ownership over the term",
    1: "What the partners' own networks would cost together, less the shared network",
    3: "Circuits the scenario buys that the plan does not, and circuits of the plan it does without",
}


class ScenariosPanel(QWidget):
    """The list of scenarios with Add, Edit and Remove; Compare, its progress, and the comparison."""

    def __init__(
        self, editor: ProjectEditor, runner: ScenarioRunner, settings: AppSettings, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.editor, self.document, self.runner, self.settings = editor, editor.document, runner, settings
        document = editor.document

        self.list = QListWidget()
        self.list.setAccessibleName("Scenarios")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemDoubleClicked.connect(lambda _: self.edit_scenario())
        self.list.currentRowChanged.connect(self._update_buttons)
        self.description = QLabel()
        self.description.setObjectName("scenarioDescription")
        self.description.setWordWrap(True)
        self.add_button = QPushButton("Add…")
        self.add_button.clicked.connect(self.add_scenario)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_scenario)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_scenario)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)

        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip("Design and share out the plan and every scenario side by side (F6)")
        self.compare_button.clicked.connect(self._on_compare)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedSize(110, 8)
        self.status = QLabel()
        self.status.setObjectName("scenarioStatus")
        self.status.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(self.compare_button)
        controls.addWidget(self.progress)
        controls.addStretch(1)
        side = QWidget()
        side.setMaximumWidth(_SIDE_WIDTH)
        left = QVBoxLayout(side)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(QLabel("What if…"))
        left.addWidget(self.list, 1)
        left.addWidget(self.description)
        left.addLayout(buttons)
        left.addSpacing(4)
        left.addLayout(controls)
        left.addWidget(self.status)
        self.model = ComparisonModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Scenarios compared")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMaximumWidth(_HEADER_WIDTH)  # a long partner name is elided (tooltip)
        self.table.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setMinimumHeight(120)
        self.notes = QLabel()
        self.notes.setObjectName("scenarioNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QVBoxLayout()
        right.addWidget(self.table, 1)
        right.addWidget(self.notes)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(side)
        layout.addLayout(right, 1)
        self.setStyleSheet(
            "#scenarioStatus, #scenarioDescription { color: #5B6B7B; } #scenarioNotes { color: #7A4A00; }"
        )

        document.scenarios_changed.connect(self._fill_list)
        document.partners_changed.connect(self._fill_list)
        document.tariff_changed.connect(self._fill_list)
        document.project_replaced.connect(self._fill_list)
        runner.changed.connect(self.refresh)
        runner.progress.connect(self._on_progress)
        self._fill_list()
        self.refresh()

    # -- the list ---------------------------------------------------------------------------------
    def _fill_list(self) -> None:
        project = self.document.project
        names = {p.id: p.name for p in project.partners}
        row = self.list.currentRow()
        self.list.clear()
        for scenario in project.scenarios:
            words = describe_scenario(scenario, project.tariff, names)
            item = QListWidgetItem(scenario.name)
            item.setToolTip(f"{scenario.name}: {words}")
            item.setData(_WORDS, words)
            item.setData(Qt.ItemDataRole.UserRole, scenario.name)
            self.list.addItem(item)
        self.list.setCurrentRow(min(max(row, 0), self.list.count() - 1))
        self._update_buttons()
        self.refresh()

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        self.edit_button.setEnabled(item is not None)
        self.remove_button.setEnabled(item is not None)
        self.description.setText(item.data(_WORDS) if item is not None else "")
        self.description.setVisible(item is not None)

    @property
    def chosen(self) -> str | None:
        """The name of the scenario selected in the list."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def add_scenario(self) -> None:
        dialog = ScenarioDialog(self.editor, self.settings, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.scenario is not None:
            self._apply(lambda: self.editor.add_scenario(dialog.scenario))
            self.list.setCurrentRow(self.list.count() - 1)

    def edit_scenario(self) -> None:
        name = self.chosen
        if name is None:
            return
        scenario = next(s for s in self.document.project.scenarios if s.name == name)
        dialog = ScenarioDialog(self.editor, self.settings, scenario, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.scenario is not None:
            self._apply(lambda: self.editor.edit_scenario(name, dialog.scenario))

    def remove_scenario(self) -> None:
        if self.chosen is not None:
            self.editor.remove_scenario(self.chosen)

    def _apply(self, edit) -> None:
        try:
            edit()
        except ValueError as err:  # the dialog checked it: only a change behind its back comes here
            QMessageBox.warning(self, "Scenario not saved", str(err))

    # -- the comparison ---------------------------------------------------------------------------
    def refresh(self) -> None:
        runner = self.runner
        current = runner.current
        self.model.show(runner.results, current or runner.results is None)
        self.table.setVisible(runner.results is not None)
        notes = [] if current or runner.results is None else [_STALE]
        notes += [f"‘{r.name}’ cannot be designed: {r.problem}" for r in runner.results or [] if r.problem]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.progress.setVisible(runner.busy)
        scenarios = len(self.document.project.scenarios)
        self.compare_button.setText("Cancel" if runner.busy else "Compare again" if runner.results else "Compare")
        self.compare_button.setEnabled(runner.busy or bool(scenarios))
        if runner.waiting:
            self.status.setText("Waiting for the design of your latest change…")
        elif runner.busy:
            self.status.setText(f"Comparing {plural(scenarios, 'scenario')} with the plan…")
        elif runner.problem:
            self.status.setText(f"Cannot compare: {runner.problem}")
        elif runner.stopped:
            self.status.setText("Stopped.")
        elif runner.results is not None:
            self.status.setText(
                _split_words(runner.results) if current else "Out of date: compare again to see the project as it is."
            )
        elif scenarios:
            self.status.setText(f"{plural(scenarios, 'scenario')}: compare them with the plan when ready.")
        else:
            self.status.setText("Add a scenario to see what a partner joining or leaving would change.")

    def _on_compare(self) -> None:
        if self.runner.busy:
            self.runner.cancel()
        else:
            self.runner.compare()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.status.setText(message + "…")


def _split_words(results: list[ScenarioResult]) -> str:
    """How the shares were split: the split most columns use, and where another was recommended."""
    from collections import Counter

    from planner.analysis.sharing import METHODS

    split = {r.name: METHODS[r.method] for r in results if r.sharing is not None}
    if not split:
        return ""
    usual = Counter(split.values()).most_common(1)[0][0]
    others = [f"{method} in ‘{name}’" for name, method in split.items() if method != usual]
    return f"Shares split by {usual}" + (f" ({'; '.join(others)})." if others else ".")
