"""The "Who pays what" panel: each partner's cost alone, its share of the shared network, and its saving.

Figures come from :class:`~planner.ui.sharing_runner.SharingRunner` (worked out in the
background once the design settles); nothing is computed here. A partner whose share
under the chosen method is more than its cost alone is flagged in red.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.money import format_gbp, format_saving_percent
from planner.ui.document import ProjectDocument
from planner.ui.editor import ProjectEditor
from planner.ui.settings import AppSettings
from planner.ui.sharing_runner import AUTO_UP_TO_SITES, SharingRunner

if TYPE_CHECKING:
    from planner.analysis.sharing import CostSharing

__all__ = ["SharingModel", "SharingPanel", "COLUMNS"]

COLUMNS = ("Partner", "Sites", "Cost alone", "Pays", "Saving", "Saving %", "")
_NUMERIC = {1, 2, 3, 4, 5}
_WORSE = QColor("#B03A2E")
_BETTER = QColor("#1E7B4A")
_MUTED = QColor("#8A96A3")
FLAG_TEXT = "More than alone"
_RECOMMENDED = "Recommended"


def _percent(saving: int, alone: int) -> str:
    return f"{saving / alone:.1%}" if alone else "–"


class SharingModel(QAbstractTableModel):
    """One row per partner, then the partnership's totals; the shares of one method."""

    def __init__(self, document: ProjectDocument, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.sharing: CostSharing | None = None
        self.method = "shapley"
        self.current = True
        self._rows: list[tuple[tuple[str, ...], str, bool]] = []  # shown cells, colour, pays more

    def show(self, sharing: CostSharing | None, method: str, current: bool) -> None:
        self.beginResetModel()
        self.sharing, self.method, self.current = sharing, method, current
        self._rows = []
        if sharing is not None:
            colours = {p.id: p.colour for p in self.document.project.partners}
            for p in sharing.partners:
                share, saving = p.shares[method], p.saving(method)
                cells = (sharing.names.get(p.partner, p.partner), f"{p.sites:,}", format_gbp(p.standalone))
                cells += (format_gbp(share), format_gbp(saving), _percent(saving, p.standalone))
                cells += (FLAG_TEXT if p.pays_more(method) else "",)
                self._rows.append((cells, colours.get(p.partner, "#777777"), p.pays_more(method)))
            total = ("All partners", f"{sum(p.sites for p in sharing.partners):,}")
            total += (format_gbp(sharing.standalone_total), format_gbp(sharing.shared_cost))
            total += (format_gbp(sharing.saving), _percent(sharing.saving, sharing.standalone_total), "")
            self._rows.append((total, "", False))
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        cells, colour, dearer = self._rows[index.row()]
        column, total_row = index.column(), index.row() == len(self._rows) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and colour:
            return QColor(colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self.current:
                return QBrush(_MUTED)
            if dearer and column in (4, 5, 6):
                return QBrush(_WORSE)
        if role == Qt.ItemDataRole.FontRole and (total_row or (dearer and column == 6)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and dearer:
            return f"{cells[0]} would pay {format_gbp(-self._saving(index.row()))} more than its own network costs"
        return None

    def _saving(self, row: int) -> int:
        assert self.sharing is not None
        return self.sharing.partners[row].saving(self.method)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(COLUMNS[section])
        return None


_HEADER_TIPS = {
    "Cost alone": "What the partner's own network would cost over the term: same redundancy and tariff, its sites only",
    "Pays": "The partner's share of the shared network's cost under the chosen method",
    "Saving": "Cost alone minus share: negative means it pays more than going alone",
}


class SharingPanel(QWidget):
    """Headline saving, the method, progress, and the per-partner table."""

    def __init__(
        self, editor: ProjectEditor, runner: SharingRunner, settings: AppSettings, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.editor, self.document, self.runner, self.settings = editor, editor.document, runner, settings
        document = editor.document

        self.headline = QLabel("–")
        self.headline.setObjectName("sharingHeadline")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel()
        self.detail.setObjectName("sharingDetail")
        head = QFrame()
        head.setObjectName("sharingHead")
        head_layout = QVBoxLayout(head)
        head_layout.setContentsMargins(10, 5, 10, 6)
        head_layout.setSpacing(0)
        for label in (self.headline, self.detail):
            head_layout.addWidget(label)

        self.method = QComboBox()
        self.method.setToolTip("How the shared network's cost is split between the partners")
        self.method.setEnabled(False)  # filled once there is something to split (the engine loads lazily)
        self.method.currentIndexChanged.connect(self._on_method_change)
        self.time_limit = QSpinBox(minimum=5, maximum=3600, singleStep=15, suffix=" s", keyboardTracking=False)
        self.time_limit.setValue(settings.sharing_time_limit)
        self.time_limit.setToolTip(
            "Longest the cost sharing may take; beyond it the Shapley value is estimated by sampling, "
            "with its error stated"
        )
        self.time_limit.valueChanged.connect(self._on_time_limit_change)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedSize(110, 8)
        self.action = QPushButton()
        self.action.clicked.connect(self._on_action)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Split"))
        controls.addWidget(self.method, 1)
        controls.addWidget(QLabel("within"))
        controls.addWidget(self.time_limit)
        controls.addWidget(self.progress)
        controls.addWidget(self.action)
        self.status = QLabel()
        self.status.setObjectName("sharingStatus")
        self.status.setWordWrap(True)

        self.model = SharingModel(document, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Who pays what")
        self.table.setMinimumHeight(96)
        self.notes = QLabel()
        self.notes.setObjectName("sharingNotes")
        self.notes.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(head)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        self.setStyleSheet(
            "#sharingHead { background: #FFFFFF; border: 1px solid #D5DBE1; border-radius: 6px; }"
            "#sharingDetail, #sharingStatus { color: #5B6B7B; }"
            "#sharingHeadline { font-size: 17pt; font-weight: 600; color: #1F2A36; }"
            "#sharingNotes { color: #7A4A00; }"
        )

        runner.changed.connect(self.refresh)
        document.sharing_method_changed.connect(self.refresh)
        runner.busy_changed.connect(self._on_busy_change)
        runner.progress.connect(self._on_progress)
        runner.failed.connect(self._on_failed)
        self._problem = ""
        self.refresh()

    def _fill_methods(self) -> None:
        """Offer the methods once the analysis is loaded (it brings in the engine)."""
        from planner.analysis.sharing import METHODS

        with QSignalBlocker(self.method):
            self.method.addItem(_RECOMMENDED, "auto")
            for key, label in METHODS.items():
                self.method.addItem(label, key)
        self.method.setEnabled(True)
        self._show_chosen_method()

    def _show_chosen_method(self) -> None:
        """The combo shows the project's split; "Recommended" names the split it stands for."""
        if not self.method.count():
            return
        from planner.analysis.sharing import METHODS

        shown = self.runner.sharing or self.runner.latest
        with QSignalBlocker(self.method):
            self.method.setItemText(0, f"{_RECOMMENDED}: {METHODS[shown.recommended]}" if shown else _RECOMMENDED)
            self.method.setCurrentIndex(max(0, self.method.findData(self.document.project.sharing_method)))

    @property
    def method_key(self) -> str:
        """The split shown: the project's choice, "auto" standing for the recommended one."""
        chosen = self.document.project.sharing_method
        shown = self.runner.sharing or self.runner.latest
        return shown.chosen(chosen) if shown is not None else "shapley"

    # -- following the runner --------------------------------------------------------------
    def refresh(self) -> None:
        runner = self.runner
        sharing = runner.sharing
        shown = sharing or runner.latest
        if shown is not None and not self.method.count():
            self._fill_methods()
        self._show_chosen_method()
        self.model.show(shown, self.method_key, current=sharing is not None)
        self._show_headline(shown, current=sharing is not None)
        self.notes.setText("\n".join(sharing.warnings()) if sharing is not None else "")
        self.notes.setVisible(bool(self.notes.text()))
        busy = runner.busy_with("sharing")
        self.progress.setVisible(busy)
        if busy:
            self._set_status("Working out what each partner would pay alone and its fair share…", "Cancel")
        elif sharing is not None:
            self._set_status(_method_note(sharing, self.settings.sharing_time_limit), "")
        elif runner.design is None:
            waiting = self.document.design is not None
            self._set_status("Waiting for the design of your latest change…" if waiting else "No design yet.", "")
        elif self._problem:
            self._set_status(f"Cannot share the cost: {self._problem}", "Try again")
        elif runner.automatic:
            self._set_status("Starts once the design has settled…", "")
        elif not runner.stopped and runner.only_when_asked:
            self._set_status(
                f"A region of more than {AUTO_UP_TO_SITES} sites takes a while to share out: start it when ready.",
                "Work out",
            )
        else:
            self._set_status("Stopped." if runner.stopped else "Not worked out for this design.", "Work out")

    def _show_headline(self, sharing: CostSharing | None, current: bool) -> None:
        if sharing is None:
            self.headline.setText("–")
            self.detail.setText("")
            return
        saving = sharing.saving
        if saving >= 0:
            self.headline.setText(f"Saves {format_gbp(saving)} ({format_saving_percent(sharing.saving_fraction)})")
        else:
            self.headline.setText(f"Costs {format_gbp(-saving)} more")
        colour = (_BETTER if saving >= 0 else _WORSE) if current else _MUTED
        self.headline.setStyleSheet(f"color: {colour.name()};")
        self.detail.setText(
            f"Shared network {format_gbp(sharing.shared_cost)} against {format_gbp(sharing.standalone_total)} "
            f"for the {len(sharing.partners)} partners' own networks together"
        )

    def _set_status(self, text: str, action: str) -> None:
        self.status.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))

    def _on_busy_change(self) -> None:
        self.progress.setValue(0)
        self.refresh()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.status.setText(message + "…")

    def _on_failed(self, kind: str, problem: str) -> None:
        if kind == "sharing":
            self._problem = problem
            self.refresh()

    # -- user input ---------------------------------------------------------------------------
    def _on_action(self) -> None:
        if self.runner.busy_with("sharing"):
            self.runner.cancel()
        else:
            self._problem = ""
            self.runner.request("sharing")
        self.refresh()

    def _on_method_change(self) -> None:
        from planner.analysis.sharing import METHODS

        self.editor.choose_sharing_method(self.method.currentData(), {"auto": _RECOMMENDED, **METHODS})

    def _on_time_limit_change(self, seconds: int) -> None:
        self.settings.sharing_time_limit = seconds
        sharing = self.runner.sharing
        if sharing is not None and not sharing.exact:  # more time may give a better estimate
            self.runner.restart()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.runner.set_auto(True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.runner.set_auto(False)


def _method_note(sharing: CostSharing, limit: int) -> str:
    """How the Shapley shares were found, and which splits no group of partners could object to."""
    if sharing.exact:
        found = f"Shapley value exact over all {sharing.coalitions:,} groups of partners ({sharing.seconds:.0f} s)."
    else:
        why = f" (exact would take more than {limit} s)" if sharing.exact_skipped else ""
        found = (
            f"Shapley value estimated from {sharing.permutations:,} join orders{why}: "
            f"each share within ±{format_gbp(sharing.sampling_error)} at 95% confidence."
        )
    return f"{found} {core_sentence(sharing)}"


def core_sentence(sharing: CostSharing) -> str:
    """Which splits are in the core, against how many groups, in one sentence for the board."""
    from planner.analysis.sharing import METHODS

    inside = [label for method, label in METHODS.items() if sharing.in_core(method)]
    groups = sharing.checked_text
    if not inside:
        return (
            f"No split keeps every group at or below its own cost ({groups} checked): "
            f"the least-core value is {format_gbp(sharing.least_core)}."
        )
    return f"In the core (no group of partners pays more than alone; {groups} checked): {', '.join(inside)}."
