"""The summary figures of the shown design: total over the term, how close to optimal it is
(the proven lower bound and the gap to it, or "proven optimal"), annual, circuits, route km,
the shared-risk groups it survives, the method and its notes. Read from the design; nothing is
computed here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from planner.core.design_result import PROVEN_OPTIMAL, Design
from planner.core.model import REDUNDANCY_LEVELS
from planner.core.money import format_gbp
from planner.ui.design_runner import DesignRunner
from planner.ui.document import ProjectDocument

__all__ = ["FiguresPanel"]

#: The figures in display order: key and caption. The first two say how close to optimal it is.
_ROWS = (
    ("lower_bound", "Lower bound"),
    ("gap", "Gap to bound"),
    ("annual", "Annual rental"),
    ("install", "Installation"),
    ("circuits", "Circuits"),
    ("route_km", "Route km"),
    ("risk_groups", "Risk groups survived"),
    ("method", "Method"),
)
_PROVEN, _OPEN = "#1B7F3B", "#9A6200"  # badge colours: proven optimal, a gap remains


class FiguresPanel(QFrame):
    """The headline total and the supporting figures; greyed while a new design is made."""

    def __init__(self, document: ProjectDocument, runner: DesignRunner | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.document, self.runner = document, runner
        self.setObjectName("figures")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel()
        self.caption.setObjectName("figuresCaption")
        self.total = QLabel()
        self.total.setObjectName("figuresTotal")
        self.total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quality = QLabel()
        self.quality.setObjectName("figuresQuality")
        self.quality.setToolTip(
            "The lower bound is proven: no design meeting the same requirements costs less. "
            "The gap is how far above it this design may be."
        )
        self.notes = QLabel(wordWrap=True)
        self.notes.setObjectName("figuresNotes")
        self.state = QLabel(wordWrap=True)
        self.state.setObjectName("figuresState")
        self.values: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.addWidget(self.caption, 0, 0, 1, 2)
        grid.addWidget(self.total, 1, 0, 1, 2)
        grid.addWidget(self.quality, 2, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        for row, (key, caption) in enumerate(_ROWS, start=3):
            value = self.values[key] = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = self._captions[key] = QLabel(caption)
            if key in ("lower_bound", "gap"):
                label.setObjectName("figuresKey")
                value.setObjectName("figuresKey")
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
        grid.addWidget(self.notes, len(_ROWS) + 3, 0, 1, 2)
        grid.addWidget(self.state, len(_ROWS) + 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.setStyleSheet(
            "#figures { background: #FFFFFF; border: 1px solid #D5DBE1; border-radius: 6px; }"
            "#figuresCaption { color: #5B6B7B; }"
            "#figuresTotal { font-size: 20pt; font-weight: 600; color: #1F2A36; }"
            "#figuresQuality { font-weight: 600; color: white; border-radius: 4px; padding: 2px 8px; }"
            "#figuresKey { font-size: 11pt; font-weight: 600; color: #1F2A36; }"
            "#figuresNotes { color: #5B6B7B; font-size: 8.5pt; }"
            "#figuresState { color: #5B6B7B; }"
        )
        changes = (document.design_changed, document.project_replaced, document.sites_changed)
        for signal in (*changes, document.risk_groups_changed, document.settings_changed):
            signal.connect(self.refresh)
        self.refresh()

    def text(self, key: str) -> str:
        """The figure shown for ``key`` (``total`` or one of the rows), as displayed."""
        return self.total.text() if key == "total" else self.values[key].text()

    def refresh(self) -> None:
        design = self.document.design
        if design is None:
            self.caption.setText("No design yet")
            self.total.setText("–")
            for value in self.values.values():
                value.setText("–")
            self.quality.hide()
            self.notes.hide()
            self._show_risk_row(False)
            if self.document.project.sites:
                self.state.setText("Press Design (F5) to find the cheapest backbone.")
            else:
                self.state.setText(
                    "Start with the partners' sites: the Add Site tool (A) and a click on the map, "
                    "Find a town (Ctrl+F), or File → Import Sites."
                )
            return
        level = REDUNDANCY_LEVELS.get(design.redundancy, design.redundancy)
        self.caption.setText(f"Total over {design.term_years} years · {level.lower()}")
        self.total.setText(format_gbp(design.total_cost))
        if design.proven_optimal:
            badge, colour = "✓ Proven optimal", _PROVEN
        else:
            badge, colour = f"Within {design.gap:.1%} of optimal", _OPEN
        self.quality.setText(badge)
        self.quality.setStyleSheet(f"background: {colour};")
        self.quality.show()
        figures = {
            "annual": format_gbp(design.annual_cost),
            "install": format_gbp(design.install_cost),
            "circuits": f"{len(design.links):,}",
            "route_km": f"{design.route_km:,}",
            "lower_bound": format_gbp(design.lower_bound),
            "gap": "0 · proven optimal" if design.proven_optimal else f"{design.gap:.1%}",
            "method": f"{design.method}{', verified' if design.verified else ''} · {design.seconds:.2f} s",
        }
        figures["risk_groups"], tip = self._risk_words(design)
        for key, value in figures.items():
            self.values[key].setText(value)
        self.values["risk_groups"].setToolTip(tip)
        self._show_risk_row(bool(design.risk_groups or self.document.project.risk_groups))
        notes = [note for note in design.notes if note != PROVEN_OPTIMAL]  # the badge says so
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.state.setText(self._state(design))
        self.total.setStyleSheet("" if self.document.design_current else "color: #8A96A3;")

    def _show_risk_row(self, shown: bool) -> None:
        self._captions["risk_groups"].setVisible(shown)
        self.values["risk_groups"].setVisible(shown)

    def _risk_words(self, design: Design) -> tuple[str, str]:
        """How many shared-risk groups ``design`` was made and verified to survive, and a tooltip saying so."""
        if design.risk_groups:
            n = len(design.risk_groups)
            return f"{n:,}", (
                f"Verified: losing any one of these {n:,} groups cuts no one off. Groups with at most one of the "
                "candidate links need no check: any survivable design outlives them."
            )
        if design.redundancy == "tree":
            return "none (a tree)", "A tree survives no failure: choose 2edge or 2node to survive the groups."
        if not self.document.project.settings.survive_risk_groups:
            return "not asked", "Tick Survive shared-risk groups (under Redundancy) to design for them."
        return "none", "The design was made before the groups, or none holds two candidate links."

    def _state(self, design: Design) -> str:
        if not self.document.design_current:
            return "Updating for your latest change…"
        live = self.runner is not None and self.runner.kind_of(design) == "live"
        if live and not design.proven_optimal and self.document.project.settings.method != "heuristic":
            return "A fast design while you edit: press Design (F5) to prove how close to optimal it is."
        return "Up to date"
