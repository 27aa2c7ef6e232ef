"""The design panel: redundancy, the tariff, and the Design button with progress and Cancel.

Every field pushes an undo command through the document when the user finishes editing
it, and follows the document when something else (Undo, Open) changes the value.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import REDUNDANCY_LEVELS
from planner.core.money import parse_pounds, pounds
from planner.ui import style
from planner.ui.design_runner import DesignRunner
from planner.ui.document import ProjectDocument
from planner.ui.figures import FiguresPanel

__all__ = ["DesignPanel"]

#: Tariff money fields: (field, label, suffix).
_MONEY_FIELDS = (
    ("connection_per_end", "Connection per end", " one-off"),
    ("rental_per_end", "Rental per end", " a year"),
    ("rental_per_km", "Rental per route km", " a year"),
)
_SHOW_PROGRESS_AFTER_MS = 250


def _money_box(suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, 10_000_000)
    box.setDecimals(2)
    box.setPrefix("£")
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    box.setKeyboardTracking(False)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


class DesignPanel(QWidget):
    """The summary figures, the run controls, and the inputs of the design."""

    def __init__(self, document: ProjectDocument, runner: DesignRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.document, self.runner = document, runner

        self.redundancy = QComboBox()
        for level, words in REDUNDANCY_LEVELS.items():
            self.redundancy.addItem(f"{words} ({level})", level)
        self.redundancy.setToolTip("What the backbone must survive. Ctrl+1, Ctrl+2, Ctrl+3 choose from the keyboard.")
        self.redundancy.activated.connect(self._on_redundancy_edit)

        self.money: dict[str, QDoubleSpinBox] = {}
        tariff_form = QFormLayout()
        for name, label, suffix in _MONEY_FIELDS:
            box = self.money[name] = _money_box(suffix)
            box.editingFinished.connect(lambda name=name: self._on_money_edit(name))
            tariff_form.addRow(label, box)
        self.route_factor = QDoubleSpinBox(
            decimals=2, minimum=1.0, maximum=5.0, singleStep=0.05, keyboardTracking=False
        )
        self.route_factor.setToolTip("Route km = straight-line km × this factor (ducts follow roads)")
        self.route_factor.editingFinished.connect(self._on_route_factor_edit)
        self.term = QSpinBox(minimum=1, maximum=30, suffix=" years", keyboardTracking=False)
        self.term.editingFinished.connect(self._on_term_edit)
        self.bandwidth = QComboBox()
        self.bandwidth.activated.connect(self._on_bandwidth_edit)
        tariff_form.addRow("Route factor", self.route_factor)
        tariff_form.addRow("Contract term", self.term)
        tariff_form.addRow("Bandwidth", self.bandwidth)
        self.tariff_problem = QLabel(wordWrap=True, visible=False)
        self.tariff_problem.setStyleSheet("color: #B00020")
        tariff_form.addRow(self.tariff_problem)

        self.design_button = QPushButton(style.icon("design"), "Design")
        self.design_button.setToolTip("Find the cheapest design with the chosen method (F5)")
        self.design_button.setDefault(True)
        self.design_button.clicked.connect(runner.design_now)
        self.cancel_button = QPushButton(style.icon("cancel"), "Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.progress = QProgressBar(textVisible=True, visible=False)
        self.progress.setRange(0, 1000)
        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("designStatus")
        self.figures = FiguresPanel(document)

        level_box = QGroupBox("Redundancy")
        QVBoxLayout(level_box).addWidget(self.redundancy)
        tariff_box = QGroupBox("Tariff")
        tariff_box.setLayout(tariff_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.design_button, 1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(level_box)
        layout.addWidget(tariff_box)
        layout.addStretch(1)

        self._progress_timer = QTimer(self, singleShot=True, interval=_SHOW_PROGRESS_AFTER_MS)
        self._progress_timer.timeout.connect(lambda: self.progress.setVisible(runner.busy))
        runner.busy_changed.connect(self._on_busy_change)
        runner.progress.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        document.project_replaced.connect(self._refresh)
        document.tariff_changed.connect(self._refresh)
        document.settings_changed.connect(self._refresh)
        self._refresh()

    # -- document -> widgets -------------------------------------------------------------------
    def _refresh(self) -> None:
        project = self.document.project
        tariff = project.tariff
        widgets = [self.redundancy, self.route_factor, self.term, self.bandwidth, *self.money.values()]
        for widget in widgets:
            widget.blockSignals(True)
        self.redundancy.setCurrentIndex(max(0, self.redundancy.findData(project.settings.redundancy)))
        for name, box in self.money.items():
            box.setValue(float(pounds(getattr(tariff, name))))
        self.route_factor.setValue(float(tariff.route_factor))
        self.term.setValue(tariff.term_years)
        self.bandwidth.clear()
        for tier in tariff.tiers:
            self.bandwidth.addItem(f"{tier}b/s", tier)
        self.bandwidth.setCurrentIndex(max(0, self.bandwidth.findData(tariff.bandwidth)))
        for widget in widgets:
            widget.blockSignals(False)
        self.tariff_problem.hide()

    # -- widgets -> document (each an undo command) ---------------------------------------------
    def _change_tariff(self, **changes) -> None:
        try:
            self.document.change_tariff(**changes)
        except ValueError as err:
            self.tariff_problem.setText(str(err))
            self.tariff_problem.show()
            return
        self.tariff_problem.hide()

    def _on_money_edit(self, name: str) -> None:
        self._change_tariff(**{name: parse_pounds(f"{self.money[name].value():.2f}")})

    def _on_route_factor_edit(self) -> None:
        self._change_tariff(route_factor=Decimal(f"{self.route_factor.value():.2f}"))

    def _on_term_edit(self) -> None:
        self._change_tariff(term_years=self.term.value())

    def _on_bandwidth_edit(self) -> None:
        self._change_tariff(bandwidth=self.bandwidth.currentData())

    def _on_redundancy_edit(self) -> None:
        self.document.change_settings(redundancy=self.redundancy.currentData())

    # -- runs --------------------------------------------------------------------------------------
    def _on_busy_change(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress.setValue(0)
            self.progress.setFormat("Designing…")
            self.status.setText("Designing…")
            self._progress_timer.start()
        else:
            self._progress_timer.stop()
            self.progress.hide()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.progress.setFormat(f"{message} – %p%")

    def _on_finished(self, problem: str) -> None:
        self.status.setText(f"No design: {problem}" if problem else "")

    def _on_cancel(self) -> None:
        self.runner.cancel()
        self.status.setText("Cancelled: the last design is still shown.")
