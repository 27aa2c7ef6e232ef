"""The design panel: the Design button with progress and Cancel, redundancy (and whether to
survive the shared-risk groups), method and time limit, hubs and the hop and ring limits, what
limits the candidate links, the traffic (how much there is and the utilisation limit), and the
tariff with its bandwidth tiers.

Every field pushes an undo command through the document when the user finishes editing
it, and follows the document when something else (Undo, Open) changes the value.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import REDUNDANCY_LEVELS, Project
from planner.core.money import parse_pounds, pounds
from planner.core.tariff import Tariff, parse_rate
from planner.core.words import plural
from planner.ui import style
from planner.ui.design_runner import DesignRunner
from planner.ui.document import format_mbps
from planner.ui.editor import ProjectEditor
from planner.ui.figures import FiguresPanel
from planner.ui.widgets import money_box

__all__ = [
    "DesignPanel",
    "TierDialog",
    "METHOD_WORDS",
    "hubs_note",
    "candidates_note",
    "traffic_note",
    "sites_in_zones",
]

#: Tariff money fields: (field, label, suffix).
_MONEY_FIELDS = (
    ("connection_per_end", "Connection per end", " one-off"),
    ("rental_per_end", "Rental per end", " a year"),
    ("rental_per_km", "Rental per route km", " a year"),
)
_SHOW_PROGRESS_AFTER_MS = 250
#: The tier table's columns; only the price factor is edited in place (a tier's rate is in its name).
_TIER_COLUMNS = ("Tier", "Mb/s", "Price factor")
_FACTOR_COLUMN = 2
#: Design methods as the architect chooses them.
METHOD_WORDS = {
    "auto": "Auto — exact when provable",
    "exact": "Exact — prove optimal",
    "heuristic": "Heuristic — fast",
    "quick": "Quick — lighter search",
}
#: The optional limits: setting, check box text, smallest value, value offered first, tooltip.
_LIMITS = (
    ("max_hops", "Max hops to a hub", 1, 4, "Every site reaches its nearest hub within this many links"),
    ("max_ring", "Max ring size", 3, 6, "Every link lies on a ring of at most this many links"),
)


class DesignPanel(QWidget):
    """The summary figures, the run controls, and the inputs of the design."""

    def __init__(self, editor: ProjectEditor, runner: DesignRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.document, self.runner = editor, editor.document, runner
        document = editor.document

        self.redundancy = QComboBox()
        for level, words in REDUNDANCY_LEVELS.items():
            self.redundancy.addItem(f"{words} ({level})", level)
        self.redundancy.setToolTip("What the backbone must survive. Ctrl+1, Ctrl+2, Ctrl+3 choose from the keyboard.")
        self.redundancy.activated.connect(self._on_redundancy_edit)
        self.survive = QCheckBox("Survive shared-risk groups")
        self.survive.toggled.connect(self._on_survive_edit)

        self.method = QComboBox()
        for method, words in METHOD_WORDS.items():
            self.method.addItem(words, method)
        self.method.setToolTip(
            "How the Design button (F5) designs. While you edit, the fast heuristic keeps the figures live."
        )
        self.method.activated.connect(self._on_method_edit)
        self.time_limit = QSpinBox(minimum=1, maximum=86_400, suffix=" s", keyboardTracking=False)
        self.time_limit.setToolTip("The Design button stops here and shows the best design found, with its gap")
        self.time_limit.valueChanged.connect(self._on_time_limit_edit)

        limits_form = QFormLayout()
        self.limit_checks: dict[str, QCheckBox] = {}
        self.limit_boxes: dict[str, QSpinBox] = {}
        for name, text, smallest, first, tip in _LIMITS:
            check = self.limit_checks[name] = QCheckBox(text, toolTip=f"{tip}. Unticked: no limit.")
            box = self.limit_boxes[name] = QSpinBox(minimum=smallest, maximum=99, value=first, keyboardTracking=False)
            box.setToolTip(tip)
            check.toggled.connect(lambda _=False, name=name: self._on_limit_edit(name))
            box.valueChanged.connect(lambda _=0, name=name: self._on_limit_edit(name))
            limits_form.addRow(check, box)
        self.hubs = QLabel(wordWrap=True)
        self.hubs.setObjectName("hubsNote")
        self.candidates = QLabel(wordWrap=True)
        self.candidates.setObjectName("candidatesNote")

        self.traffic = QLabel(wordWrap=True)
        self.traffic.setObjectName("trafficNote")
        self.utilisation = QSpinBox(minimum=5, maximum=100, suffix=" %", keyboardTracking=False)
        self.utilisation.setToolTip(
            "The most of a circuit's capacity the planned traffic may use, in the normal state and after any "
            "failure the design must survive. Lower leaves more headroom and buys bigger circuits."
        )
        self.utilisation.setAccessibleName("Utilisation limit")
        self.utilisation.valueChanged.connect(self._on_utilisation_edit)

        self.money: dict[str, QDoubleSpinBox] = {}
        tariff_form = QFormLayout()
        for name, label, suffix in _MONEY_FIELDS:
            box = self.money[name] = money_box(suffix)
            box.editingFinished.connect(lambda name=name: self._on_money_edit(name))
            tariff_form.addRow(label, box)
        self.route_factor = QDoubleSpinBox(
            decimals=2, minimum=1.0, maximum=5.0, singleStep=0.05, keyboardTracking=False
        )
        self.route_factor.setToolTip("Route km = straight-line km × this factor (ducts follow roads)")
        self.route_factor.editingFinished.connect(self._on_route_factor_edit)
        self.term = QSpinBox(minimum=1, maximum=30, suffix=" years", keyboardTracking=False)
        self.term.editingFinished.connect(self._on_term_edit)
        self.min_tier = QComboBox()
        self.min_tier.setToolTip("The smallest bandwidth any circuit is bought at; traffic may need more")
        self.min_tier.activated.connect(self._on_min_tier_edit)
        tariff_form.addRow("Route factor", self.route_factor)
        tariff_form.addRow("Contract term", self.term)
        tariff_form.addRow("Smallest tier", self.min_tier)
        self.tiers = QTableWidget(0, len(_TIER_COLUMNS))
        self.tiers.setHorizontalHeaderLabels(_TIER_COLUMNS)
        self.tiers.setAccessibleName("Bandwidth tiers")
        self.tiers.setToolTip(
            "The bandwidths a circuit may be bought at, and each one's price factor on every charge "
            "(1 = the prices above). Double-click a factor to change it. A link whose load is more than one "
            "circuit may carry is bought as a bundle of circuits of one tier."
        )
        self.tiers.verticalHeader().hide()
        self.tiers.verticalHeader().setDefaultSectionSize(22)
        self.tiers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tiers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tiers.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tiers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tiers.itemChanged.connect(self._on_tier_edit)
        self.tiers.itemSelectionChanged.connect(self._update_tier_buttons)
        self.add_tier = QPushButton("Add tier…")
        self.add_tier.setToolTip("Offer another bandwidth, such as 2.5G or 100G")
        self.add_tier.clicked.connect(self._on_add_tier)
        self.remove_tier = QPushButton("Remove tier")
        self.remove_tier.setToolTip("Stop offering the selected bandwidth")
        self.remove_tier.clicked.connect(self._on_remove_tier)
        tier_buttons = QHBoxLayout()
        tier_buttons.addWidget(self.add_tier)
        tier_buttons.addWidget(self.remove_tier)
        tier_buttons.addStretch(1)
        tariff_form.addRow(self.tiers)
        tariff_form.addRow(tier_buttons)
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
        # The bar and a line of status keep their room while idle, so nothing below jumps when a run starts.
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(policy)
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing())
        self.figures = FiguresPanel(document, runner)

        level_box = QGroupBox("Redundancy")
        level_layout = QVBoxLayout(level_box)
        level_layout.addWidget(self.redundancy)
        level_layout.addWidget(self.survive)
        method_box = QGroupBox("Method")
        method_form = QFormLayout(method_box)
        method_form.addRow(self.method)
        method_form.addRow("Time limit", self.time_limit)
        structure_box = QGroupBox("Hubs, hops and rings")
        structure = QVBoxLayout(structure_box)
        structure.addWidget(self.hubs)
        structure.addLayout(limits_form)
        links_box = QGroupBox("Candidate links")
        QVBoxLayout(links_box).addWidget(self.candidates)
        traffic_box = QGroupBox("Traffic")
        traffic_form = QFormLayout(traffic_box)
        traffic_form.addRow(self.traffic)
        traffic_form.addRow("Utilisation limit", self.utilisation)
        traffic_form.labelForField(self.utilisation).setToolTip(self.utilisation.toolTip())
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
        layout.addWidget(method_box)
        layout.addWidget(structure_box)
        layout.addWidget(links_box)
        layout.addWidget(traffic_box)
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
        document.sites_changed.connect(self._refresh_notes)
        document.site_changed.connect(self._on_site_change)
        document.constraints_changed.connect(self._refresh_notes)
        document.demands_changed.connect(self._refresh_notes)
        document.risk_groups_changed.connect(self._refresh_survive)
        self._roles = {s.id: (s.role, s.demand_mbps) for s in document.project.sites}
        self._refresh()

    # -- document -> widgets -------------------------------------------------------------------
    def _refresh(self) -> None:
        project = self.document.project
        tariff, settings = project.tariff, project.settings
        widgets = [self.redundancy, self.route_factor, self.term, self.min_tier, *self.money.values()]
        widgets += [self.method, self.time_limit, *self.limit_checks.values(), *self.limit_boxes.values()]
        widgets += [self.utilisation, self.tiers, self.survive]
        with ExitStack() as quiet:  # none of them signals an edit while it is filled in
            for widget in widgets:
                quiet.enter_context(QSignalBlocker(widget))
            self.redundancy.setCurrentIndex(max(0, self.redundancy.findData(settings.redundancy)))
            self.survive.setChecked(settings.survive_risk_groups)
            self.method.setCurrentIndex(max(0, self.method.findData(settings.method)))
            self.time_limit.setValue(max(1, round(settings.time_limit)))
            for name, check in self.limit_checks.items():
                value = getattr(settings, name)
                check.setChecked(value is not None)
                self.limit_boxes[name].setEnabled(value is not None)
                if value is not None:
                    self.limit_boxes[name].setValue(value)
            for name, box in self.money.items():
                box.setValue(float(pounds(getattr(tariff, name))))
            self.route_factor.setValue(float(tariff.route_factor))
            self.term.setValue(tariff.term_years)
            self.min_tier.clear()
            for tier in sorted(tariff.tiers, key=lambda t: t.mbps):
                self.min_tier.addItem(f"{tier.name}b/s", tier.name)
            self.min_tier.setCurrentIndex(max(0, self.min_tier.findData(tariff.min_tier)))
            self.utilisation.setValue(round(settings.max_utilisation * 100))
            self._fill_tiers(tariff)
        self.tariff_problem.hide()
        self._refresh_notes()
        self._refresh_survive()

    def _refresh_survive(self) -> None:
        """Offered while there are groups to survive and the redundancy can survive anything."""
        project = self.document.project
        groups = len(project.risk_groups)
        if not groups:
            tip = (
                "The project has no shared-risk groups: make some in the Risk groups dock "
                "(Generate ducts, Import…, Draw corridor)."
            )
        elif project.settings.redundancy == "tree":
            tip = "A tree survives no failure, so it ignores the risk groups: choose 2edge or 2node."
        else:
            tip = (
                f"Ticked, a design also survives the loss of any one of the {plural(groups, 'shared-risk group')} "
                "(a duct, a bridge, an exchange): everyone stays connected, within the utilisation limit."
            )
        self.survive.setEnabled(bool(groups) and project.settings.redundancy != "tree")
        self.survive.setToolTip(tip)

    def _fill_tiers(self, tariff: Tariff) -> None:
        selected = self._selected_tier()
        self.tiers.setRowCount(len(tariff.tiers))
        for row, tier in enumerate(sorted(tariff.tiers, key=lambda t: (t.mbps, t.name))):
            cells = (tier.name, format_mbps(tier.mbps), str(tier.factor))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, tier.name)
                if column != _FACTOR_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.tiers.setItem(row, column, item)
            if tier.name == selected:
                self.tiers.selectRow(row)
        header = self.tiers.horizontalHeader().height()
        self.tiers.setFixedHeight(header + 22 * max(3, len(tariff.tiers)) + 2 * self.tiers.frameWidth())
        self._update_tier_buttons()

    def _selected_tier(self) -> str | None:
        items = self.tiers.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _update_tier_buttons(self) -> None:
        self.remove_tier.setEnabled(self._selected_tier() is not None and self.tiers.rowCount() > 1)

    def _on_site_change(self, site_id: str) -> None:
        """Only a change of role or traffic, or a move with no-go areas about, alters the notes (drags move
        sites often)."""
        site = self.document.sites_by_id.get(site_id)
        if site is None:
            return
        if self._roles.get(site_id) != (site.role, site.demand_mbps) or self.document.project.exclusion_zones:
            self._refresh_notes()

    def _refresh_notes(self) -> None:
        project = self.document.project
        self._roles = {s.id: (s.role, s.demand_mbps) for s in project.sites}
        self.hubs.setText(hubs_note(project))
        self.candidates.setText(candidates_note(project))
        self.traffic.setText(traffic_note(project))

    # -- widgets -> document (each an undo command) ---------------------------------------------
    def _edit_tariff(self, change: Callable[[], object]) -> None:
        """Make a tariff edit; one the document refuses is said under the tariff, and changes nothing."""
        try:
            change()
        except ValueError as err:
            self.tariff_problem.setText(str(err))
            self.tariff_problem.show()
            return
        self.tariff_problem.hide()

    def _change_tariff(self, **changes) -> None:
        self._edit_tariff(lambda: self.editor.change_tariff(**changes))

    def _on_money_edit(self, name: str) -> None:
        self._change_tariff(**{name: parse_pounds(f"{self.money[name].value():.2f}")})

    def _on_route_factor_edit(self) -> None:
        self._change_tariff(route_factor=Decimal(f"{self.route_factor.value():.2f}"))

    def _on_term_edit(self) -> None:
        self._change_tariff(term_years=self.term.value())

    def _on_min_tier_edit(self) -> None:
        self._change_tariff(min_tier=self.min_tier.currentData())

    def _on_tier_edit(self, item: QTableWidgetItem) -> None:
        if item.column() != _FACTOR_COLUMN:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        try:
            factor = Decimal(item.text().strip())
            if not factor.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            factor = None
        text = item.text().strip()

        def change() -> None:
            try:
                if factor is None:
                    raise ValueError(f"tier {name}: price factor {text[:20]!r} is not a number")
                self.editor.set_tier_factor(name, factor)
            finally:
                self._fill_tiers_quietly()  # as the tariff has it (``2.40`` reads ``2.4``), or as it was

        self._edit_tariff(change)

    def _fill_tiers_quietly(self) -> None:
        with QSignalBlocker(self.tiers):
            self._fill_tiers(self.document.project.tariff)

    def _on_add_tier(self) -> None:
        dialog = TierDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._edit_tariff(lambda: self.editor.add_tier(*dialog.values()))

    def _on_remove_tier(self) -> None:
        name = self._selected_tier()
        if name is not None:
            self._edit_tariff(lambda: self.editor.remove_tier(name))

    def _on_utilisation_edit(self) -> None:
        self.editor.change_settings(max_utilisation=self.utilisation.value() / 100)

    def _on_survive_edit(self, on: bool) -> None:
        self.editor.change_settings(survive_risk_groups=on)

    def _on_redundancy_edit(self) -> None:
        self.editor.change_settings(redundancy=self.redundancy.currentData())

    def _on_method_edit(self) -> None:
        self.editor.change_settings(method=self.method.currentData())

    def _on_time_limit_edit(self) -> None:
        self.editor.change_settings(time_limit=float(self.time_limit.value()))

    def _on_limit_edit(self, name: str) -> None:
        on = self.limit_checks[name].isChecked()
        self.limit_boxes[name].setEnabled(on)
        self.editor.change_settings(**{name: self.limit_boxes[name].value() if on else None})

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


def hubs_note(project: Project) -> str:
    """What the sites' roles mean for the design, in a sentence or two."""
    roles = [s.role for s in project.sites]
    hubs, optional = roles.count("hub"), roles.count("optional")
    if hubs == 0:
        text = "No hubs: every site is alike. Right-click a site to make it a hub for a hub-and-spoke design."
    elif project.settings.redundancy == "tree":
        text = f"{plural(hubs, 'hub')}. A tree does not dual-home: choose a survivable redundancy for that."
    elif hubs == 1:
        text = "1 hub. Make a second site a hub to dual-home the others to two hubs."
    else:
        text = f"{hubs} hubs: every other site is dual-homed, so losing one hub or one link never cuts it off."
    if optional:
        text += f" {plural(optional, 'optional relay')} may carry links but need not be connected."
    return text


def candidates_note(project: Project) -> str:
    """Which links a design may use: quotes, existing and forbidden links, no-go areas."""
    quotes, existing = len(project.quotes), len(project.existing_links)
    if quotes:
        text = f"Carrier quotes limit the candidates to {plural(quotes, 'quoted pair')}"
        text += f" and {plural(existing, 'existing link')}." if existing else "."
    else:
        text = "Any pair of sites may be linked at the tariff's price."
        if existing:
            text += f" {plural(existing, 'existing link')} can be reused with no connection charge."
    limits = []
    if project.forbidden_links:
        limits.append(plural(len(project.forbidden_links), "forbidden link"))
    if project.exclusion_zones:
        limits.append(plural(len(project.exclusion_zones), "no-go area"))
    if limits:
        text += f" Excluded: {' and '.join(limits)}."
    for zone, site in sites_in_zones(project):
        text += f" ‘{zone}’ encloses {site}: only an existing link can reach it."
    return text


def traffic_note(project: Project) -> str:
    """How much traffic the design carries, and what it does to the circuits, in a sentence or two."""
    pairs = len(project.demands)
    senders = sum(1 for s in project.sites if s.demand_mbps > 0)
    smallest = project.tariff.min_tier
    if not pairs and not senders:
        return (
            f"No traffic stated: every circuit is bought at the smallest tier ({smallest}). Add demands in the "
            "Demands dock, or a site's traffic to its hubs in Properties, to size the circuits."
        )
    parts = [plural(pairs, "pair demand")] if pairs else []
    if senders:
        parts.append(f"{plural(senders, 'site')}' traffic to {'its' if senders == 1 else 'their'} hubs")
    return (
        f"{' and '.join(parts)}: each circuit is sized for its load in every failure the design survives, "
        "within the utilisation limit."
    )


class TierDialog(QDialog):
    """A new bandwidth tier: its name (which states its rate, such as 2.5G), rate and price factor."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add bandwidth tier")
        self.name = QLineEdit(placeholderText="2.5G, 100G, 500M…")
        self.mbps = QSpinBox(minimum=1, maximum=10_000_000, suffix=" Mb/s", value=1000)
        self.mbps.setGroupSeparatorShown(True)
        self.factor = QDoubleSpinBox(decimals=2, minimum=0.01, maximum=100, singleStep=0.05, value=1)
        self.factor.setToolTip("This tier's charges as a multiple of the tariff's prices (1: the same)")
        self.name.textChanged.connect(self._on_name_edit)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Rate", self.mbps)
        form.addRow("Price factor", self.factor)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _on_name_edit(self, text: str) -> None:
        rate = parse_rate(text)
        if rate is not None:
            self.mbps.setValue(rate)

    def values(self) -> tuple[str, int, Decimal]:
        factor = f"{self.factor.value():.2f}".rstrip("0").rstrip(".")  # 2.50 -> 2.5, 10.00 -> 10
        return self.name.text().strip(), self.mbps.value(), Decimal(factor)


def sites_in_zones(project: Project) -> list[tuple[str, str]]:
    """(no-go area, site) names for every site inside a no-go area, which no new circuit can reach."""
    if not project.exclusion_zones or not project.sites:
        return []
    import numpy as np
    import shapely
    from shapely.geometry import shape

    lon = np.array([s.lon for s in project.sites])
    lat = np.array([s.lat for s in project.sites])
    found = []
    for zone in project.exclusion_zones:
        inside = shapely.contains_xy(shape(zone.geometry), lon, lat)
        found += [(zone.name, project.sites[i].name) for i in np.flatnonzero(inside)]
    return found
