"""The dialog that makes or edits one what-if scenario: its name, partners leaving, a partner joining
with its sites (read from a site list), the redundancy, a change in prices and traffic growth.

Nothing is applied from here: :meth:`ScenarioDialog.accept` checks the scenario the way
the document will (:meth:`~planner.ui.document.ProjectDocument.scenario_problem`) and,
when it is refused, says why and stays open; the caller pushes the undoable edit.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import InputError
from planner.core.model import REDUNDANCY_LEVELS, Partner, Scenario, Site
from planner.core.scenario import MOST_GROWTH
from planner.core.tariff import Tariff
from planner.core.words import plural
from planner.io.site_import import FILE_FILTER, plan_import, read_sites
from planner.ui.editor import ProjectEditor
from planner.ui.properties import swatch
from planner.ui.settings import AppSettings

__all__ = ["ScenarioDialog", "scaled_tariff", "price_change", "describe_scenario", "PARTNER_KINDS"]

#: Kinds of public body offered for a partner joining (any other may be typed).
PARTNER_KINDS = ("council", "police", "fire", "health", "university", "other")
_PRICES = ("connection_per_end", "rental_per_end", "rental_per_km")
_ERROR = "#B00020"


def scaled_tariff(tariff: Tariff, percent: float) -> Tariff:
    """``tariff`` with its connection charge and rentals changed by ``percent``, to whole pence.

    >>> scaled_tariff(Tariff(), 5).rental_per_km, scaled_tariff(Tariff(), -12.5).connection_per_end
    (4725, 109375)
    """
    factor = 1 + Decimal(str(percent)) / 100
    scaled = {f: int((getattr(tariff, f) * factor).to_integral_value(ROUND_HALF_UP)) for f in _PRICES}
    return dataclasses.replace(tariff, **scaled)


def price_change(tariff: Tariff, changed: Tariff) -> float | None:
    """The percentage (to 0.1) that makes ``changed`` from ``tariff`` by :func:`scaled_tariff`; ``None`` if none does.

    >>> price_change(Tariff(), scaled_tariff(Tariff(), 7.5)), price_change(Tariff(), Tariff(term_years=3))
    (7.5, None)
    """
    base = max(_PRICES, key=lambda f: getattr(tariff, f))
    if not getattr(tariff, base):
        return None
    percent = round((getattr(changed, base) / getattr(tariff, base) - 1) * 100, 1)
    return percent if scaled_tariff(tariff, percent) == changed else None


def _signed(percent: float) -> str:
    return f"{'+' if percent > 0 else '−' if percent < 0 else ''}{abs(percent):g}%"


def describe_scenario(scenario: Scenario, tariff: Tariff, names: dict[str, str]) -> str:
    """What ``scenario`` changes, in one line (``names``: partner names by id; ``tariff``: the plan's).

    >>> describe_scenario(Scenario("x", leaving=("U",), demand_growth=0.2), Tariff(), {"U": "University"})
    'University leaves; traffic +20%'
    """
    words = []
    sites = {p.id: sum(s.partner == p.id for s in scenario.joining_sites) for p in scenario.joining}
    words += [f"{p.name} joins with {plural(sites[p.id], 'site')}" for p in scenario.joining]
    if scenario.leaving:
        leaving = [names.get(p, p) for p in scenario.leaving]
        words.append(f"{' and '.join(leaving)} leave{'s' if len(leaving) == 1 else ''}")
    if scenario.redundancy:
        words.append(f"{REDUNDANCY_LEVELS.get(scenario.redundancy, scenario.redundancy).lower()}")
    if scenario.tariff is not None:
        percent = price_change(tariff, scenario.tariff)
        words.append("its own prices" if percent is None else f"prices {_signed(percent)}")
    if scenario.demand_growth:
        words.append(f"traffic {_signed(round(scenario.demand_growth * 100, 1))}")
    text = "; ".join(words) or "no change from the plan"
    return text[:1].upper() + text[1:]


def _percent_box(lowest: float, highest: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lowest, highest)
    box.setDecimals(1)
    box.setSingleStep(5)
    box.setSuffix(" %")
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


class ScenarioDialog(QDialog):
    """Make a new scenario (``scenario`` ``None``) or edit one; :attr:`scenario` holds it once accepted."""

    def __init__(
        self,
        editor: ProjectEditor,
        settings: AppSettings,
        scenario: Scenario | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.editor, self.settings, self.editing = editor, settings, scenario
        self.document = document = editor.document
        project = document.project
        self.setWindowTitle(f"Edit scenario ‘{scenario.name}’" if scenario else "Add scenario")
        old = scenario or Scenario("")
        #: The scenario made, once the dialog is accepted.
        self.scenario: Scenario | None = None
        first = old.joining[0] if old.joining else None
        self._joiner_id = first.id if first else ""
        self._colour = first.colour if first else project.next_colour()
        self._sites = [s for s in old.joining_sites if first and s.partner == first.id]
        self._others = (old.joining[1:], tuple(s for s in old.joining_sites if not first or s.partner != first.id))
        self._own_tariff = old.tariff if old.tariff and price_change(project.tariff, old.tariff) is None else None

        self.name = QLineEdit(old.name)
        self.name.setPlaceholderText("e.g. Health joins")
        self.leaving = QListWidget()
        self.leaving.setAccessibleName("Partners leaving")
        for partner in project.partners:
            item = QListWidgetItem(swatch(partner.colour), partner.name)
            item.setData(Qt.ItemDataRole.UserRole, partner.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if partner.id in old.leaving else Qt.CheckState.Unchecked)
            self.leaving.addItem(item)
        self.leaving.setMaximumHeight(max(60, min(6, len(project.partners)) * 22 + 8))

        self.joins = QGroupBox("A partner joins")
        self.joins.setCheckable(True)
        self.joins.setChecked(first is not None)
        self.join_name = QLineEdit(first.name if first else "")
        self.join_name.setPlaceholderText("e.g. Yorkshire Ambulance Service")
        self.join_kind = QComboBox(editable=True)
        self.join_kind.addItems(PARTNER_KINDS)
        self.join_kind.setCurrentText(first.kind if first else "health")
        self.colour_button = QPushButton("Colour…")
        self.colour_button.clicked.connect(self._choose_colour)
        self.sites_label = QLabel(wordWrap=True)
        self.import_button = QPushButton("Import Sites…")
        self.import_button.setToolTip("Read the joining partner's sites from a site list (CSV, XLSX, GeoJSON, …)")
        self.import_button.clicked.connect(self._import_sites)
        self.clear_button = QPushButton("No Sites")
        self.clear_button.clicked.connect(lambda: self._set_sites([], ""))
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.join_kind, 1)
        kind_row.addWidget(self.colour_button)
        site_row = QHBoxLayout()
        site_row.addWidget(self.sites_label, 1)
        site_row.addWidget(self.import_button)
        site_row.addWidget(self.clear_button)
        join_form = QFormLayout(self.joins)
        join_form.addRow("Name", self.join_name)
        join_form.addRow("Kind", kind_row)
        join_form.addRow("Sites", site_row)

        self.redundancy = QComboBox()
        plan_level = project.settings.redundancy
        self.redundancy.addItem(f"Unchanged ({REDUNDANCY_LEVELS.get(plan_level, plan_level).lower()})", None)
        for level, words in REDUNDANCY_LEVELS.items():
            self.redundancy.addItem(f"{words} ({level})", level)
        self.redundancy.setCurrentIndex(max(0, self.redundancy.findData(old.redundancy)))
        self.prices = _percent_box(-90, 500)
        self.prices.setToolTip("Connection charges and rentals changed by this much (0: the plan's prices)")
        percent = price_change(project.tariff, old.tariff) if old.tariff else None
        self.prices.setValue(percent or 0.0)
        self.growth = _percent_box(-99, MOST_GROWTH * 100)
        self.growth.setToolTip("Every demand and site's traffic grows by this much (0: today's traffic)")
        self.growth.setValue(old.demand_growth * 100)
        self.notes = QLabel(wordWrap=True)
        self.notes.setStyleSheet("color: #5B6B7B")
        notes = []
        if self._own_tariff is not None:
            notes.append("This scenario has its own price list: it is kept unless you set a change in prices.")
        if self._others[0]:
            others = ", ".join(p.name for p in self._others[0])
            notes.append(f"Also joining, kept as saved: {others}.")
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("scenarioMessage")
        self.message.setStyleSheet(f"color: {_ERROR}")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Partners leaving", self.leaving)
        form.addRow(self.joins)
        form.addRow("Redundancy", self.redundancy)
        form.addRow("Prices change by", self.prices)
        form.addRow("Traffic grows by", self.growth)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notes)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._show_colour()
        self._set_sites(self._sites, "")
        self.resize(560, self.sizeHint().height())

    # -- the joining partner's sites and colour ------------------------------------------------------
    def load_sites(self, path: str | Path) -> bool:
        """Take the joining partner's sites from the site list at ``path`` (every site in it is the
        partner's); a file that cannot be read is explained and the sites stay as they were."""
        path = Path(path)
        try:
            partners, sites = read_sites(path)
        except InputError as err:
            self._show_message(str(err))
            return False
        plan = plan_import(self.document.project, partners, sites, source=path.name)
        # The plan's ids, free in the project; the rest (traffic too) as the file has it.
        placed = [dataclasses.replace(site, id=new.id) for site, new in zip(sites, plan.sites, strict=True)]
        renamed = ", ".join(f"{a} → {b}" for a, b in plan.renamed)
        self._set_sites(placed, f" from {path.name}" + (f"; ids already used renamed: {renamed}" if renamed else ""))
        self.message.hide()
        return True

    def _import_sites(self) -> None:
        folder = self.settings.last_directory
        name, _ = QFileDialog.getOpenFileName(self, "Sites of the partner joining", folder, FILE_FILTER)
        if name and self.load_sites(name):
            self.settings.last_directory = str(Path(name).parent)

    def _set_sites(self, sites: list[Site], source: str) -> None:
        self._sites = list(sites)
        self.sites_label.setText(f"{plural(len(sites), 'site')}{source}" if sites else "No sites")
        self.clear_button.setEnabled(bool(sites))

    def _choose_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self._colour), self, "Colour of the partner joining")
        if colour.isValid():
            self._colour = colour.name().upper()
            self._show_colour()

    def _show_colour(self) -> None:
        self.colour_button.setIcon(swatch(self._colour))

    # -- the scenario --------------------------------------------------------------------------------
    def made(self) -> Scenario:
        """The scenario as the fields describe it; ``ValueError`` saying what is missing."""
        project = self.document.project
        leaving = tuple(
            item.data(Qt.ItemDataRole.UserRole)
            for item in (self.leaving.item(i) for i in range(self.leaving.count()))
            if item.checkState() == Qt.CheckState.Checked
        )
        joining, sites = self._others
        if self.joins.isChecked():
            name = self.join_name.text().strip()
            if not name:
                raise ValueError("A partner joining needs a name (or untick ‘A partner joins’).")
            if any(p.name.casefold() == name.casefold() for p in project.partners):
                raise ValueError(f"‘{name}’ is a partner already: a partner joining must be a new one.")
            partner_id = self._joiner_id or project.new_partner_id(name)
            partner = Partner(partner_id, name, self._colour, self.join_kind.currentText().strip())
            joining = (partner, *joining)
            sites = (*(dataclasses.replace(s, partner=partner_id) for s in self._sites), *sites)
        percent = self.prices.value()
        tariff = scaled_tariff(project.tariff, percent) if percent else self._own_tariff
        return Scenario(
            self.name.text().strip(),
            leaving=leaving,
            joining=joining,
            joining_sites=sites,
            redundancy=self.redundancy.currentData(),
            tariff=tariff,
            demand_growth=round(self.growth.value(), 1) / 100,
        )

    def accept(self) -> None:
        """Keep the scenario if the project would take it; else say why and stay open."""
        try:
            scenario = self.made()
        except ValueError as err:
            self._show_message(str(err))
            return
        problem = self.editor.scenario_problem(scenario, self.editing.name if self.editing else None)
        if problem:
            self._show_message(problem)
            return
        self.scenario = scenario
        super().accept()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
