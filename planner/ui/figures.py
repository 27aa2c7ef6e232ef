"""The summary figures of the shown design: total over the term, annual, circuits, route km,
the proven lower bound and the gap to it. Read from the design; nothing is computed here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from planner.core.model import REDUNDANCY_LEVELS
from planner.core.money import format_gbp
from planner.ui.document import ProjectDocument

__all__ = ["FiguresPanel"]

#: The figures in display order: key and caption.
_ROWS = (
    ("annual", "Annual rental"),
    ("install", "Installation"),
    ("circuits", "Circuits"),
    ("route_km", "Route km"),
    ("lower_bound", "Lower bound"),
    ("gap", "Gap to bound"),
    ("method", "Method"),
)


class FiguresPanel(QFrame):
    """The headline total and the supporting figures; greyed while a new design is made."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("figures")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel()
        self.caption.setObjectName("figuresCaption")
        self.total = QLabel()
        self.total.setObjectName("figuresTotal")
        self.total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel()
        self.state.setObjectName("figuresState")
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.addWidget(self.caption, 0, 0, 1, 2)
        grid.addWidget(self.total, 1, 0, 1, 2)
        for row, (key, caption) in enumerate(_ROWS, start=2):
            value = self.values[key] = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(QLabel(caption), row, 0)
            grid.addWidget(value, row, 1)
        grid.addWidget(self.state, len(_ROWS) + 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.setStyleSheet(
            "#figures { background: #FFFFFF; border: 1px solid #D5DBE1; border-radius: 6px; }"
            "#figuresCaption { color: #5B6B7B; }"
            "#figuresTotal { font-size: 20pt; font-weight: 600; color: #1F2A36; }"
            "#figuresState { color: #5B6B7B; }"
        )
        for signal in (document.design_changed, document.project_replaced):
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
            self.state.setText("Press Design (F5) to find the cheapest backbone.")
            return
        level = REDUNDANCY_LEVELS.get(design.redundancy, design.redundancy)
        self.caption.setText(f"Total over {design.term_years} years · {level.lower()}")
        self.total.setText(format_gbp(design.total_cost))
        gap = "proven optimal" if design.proven_optimal else f"{design.gap:.1%}"
        figures = {
            "annual": format_gbp(design.annual_cost),
            "install": format_gbp(design.install_cost),
            "circuits": f"{len(design.links):,}",
            "route_km": f"{design.route_km:,}",
            "lower_bound": format_gbp(design.lower_bound),
            "gap": gap,
            "method": f"{design.method}{', verified' if design.verified else ''} · {design.seconds:.2f} s",
        }
        for key, value in figures.items():
            self.values[key].setText(value)
        current = self.document.design_current
        self.state.setText("Up to date" if current else "Updating for your latest change…")
        self.total.setStyleSheet("" if current else "color: #8A96A3;")
