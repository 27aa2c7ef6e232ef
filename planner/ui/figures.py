"""The summary figures of the shown design: total over the term, how close to optimal it is
(the proven lower bound and the gap to it, or "proven optimal"), annual, circuits, route km,
the method and its notes. Read from the design; nothing is computed here."""

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
        grid = QGridLayout(self)
        grid.addWidget(self.caption, 0, 0, 1, 2)
        grid.addWidget(self.total, 1, 0, 1, 2)
        grid.addWidget(self.quality, 2, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        for row, (key, caption) in enumerate(_ROWS, start=3):
            value = self.values[key] = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = QLabel(caption)
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
        for signal in (document.design_changed, document.project_replaced, document.sites_changed):
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
        for key, value in figures.items():
            self.values[key].setText(value)
        notes = [note for note in design.notes if note != PROVEN_OPTIMAL]  # the badge says so
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.state.setText(self._state(design))
        self.total.setStyleSheet("" if self.document.design_current else "color: #8A96A3;")

    def _state(self, design: Design) -> str:
        if not self.document.design_current:
            return "Updating for your latest change…"
        live = self.runner is not None and self.runner.kind_of(design) == "live"
        if live and not design.proven_optimal and self.document.project.settings.method != "heuristic":
            return "A fast design while you edit: press Design (F5) to prove how close to optimal it is."
        return "Up to date"
