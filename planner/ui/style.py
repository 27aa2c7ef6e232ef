"""The app's look in one place: map colours, link styles by role and bandwidth, fonts, icons.

Partner colours come from the project (the colour-blind-safe ``PALETTE``); everything
else a widget draws takes its colour from here so the map, legend and figures agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPen

__all__ = [
    "SEA",
    "LAND",
    "COUNTY_EDGE",
    "COUNTRY_EDGE",
    "SELECTION",
    "LinkStyle",
    "LINK_STYLES",
    "BANDWIDTH_WIDTH",
    "link_pen",
    "NO_GO",
    "no_go_brushes",
    "forbidden_pen",
    "existing_casing_pen",
    "icon",
]

SEA = QColor("#D6E4EE")
LAND = QColor("#F7F5F0")
COAST = QColor("#A9BCCB")
COUNTY_EDGE = QColor("#D3CCBF")
COUNTRY_EDGE = QColor("#8C8577")
LABEL_TEXT = QColor("#1F2A36")
SELECTION = QColor("#FFB000")
INK = QColor("#263238")


@dataclass(frozen=True)
class LinkStyle:
    """How a circuit of one role is drawn: colour and dash pattern (empty for solid)."""

    colour: str
    dashes: tuple[float, ...] = ()


#: Circuit roles, drawn so they differ by dash as well as colour (readable in greyscale).
LINK_STYLES: dict[str, LinkStyle] = {
    "backbone": LinkStyle("#2F3E4E"),
    "protection": LinkStyle("#2F3E4E", (4.0, 2.5)),
    "access": LinkStyle("#5F6F7F", (1.0, 2.0)),
    "existing": LinkStyle("#7A8793"),
}

#: Line width in pixels by bandwidth tier: fatter pipes look fatter.
BANDWIDTH_WIDTH: dict[str, float] = {"100M": 1.4, "1G": 2.2, "10G": 3.6}


@cache
def link_pen(role: str, bandwidth: str, *, lod: bool = False) -> QPen:
    """The cosmetic pen for a circuit of ``role`` and ``bandwidth`` (thin when zoomed far out)."""
    style = LINK_STYLES.get(role, LINK_STYLES["backbone"])
    width = 1.0 if lod else BANDWIDTH_WIDTH.get(bandwidth, 2.2)
    pen = QPen(QColor(style.colour), width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if style.dashes and not lod:
        pen.setDashPattern(list(style.dashes))
    return pen


#: No-go areas and forbidden links: a muted red, hatched or dashed so it reads in greyscale too.
NO_GO = QColor("#C0392B")
#: Links a partner already owns: a pale casing drawn under the circuit (or alone, when unused).
EXISTING_CASING = QColor(0, 158, 115, 90)


@cache
def no_go_brushes() -> tuple[QBrush, QBrush]:
    """The translucent fill and the diagonal hatching of a no-go area."""
    fill = QColor(NO_GO)
    fill.setAlpha(38)
    hatch = QColor(NO_GO)
    hatch.setAlpha(150)
    return QBrush(fill), QBrush(hatch, Qt.BrushStyle.BDiagPattern)


@cache
def forbidden_pen() -> QPen:
    pen = QPen(NO_GO, 1.6, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap)
    pen.setCosmetic(True)
    return pen


@cache
def existing_casing_pen() -> QPen:
    pen = QPen(EXISTING_CASING, 9.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setCosmetic(True)
    return pen


@cache
def icon(name: str) -> QIcon:
    """An icon from ``assets/icons/<name>.svg`` (an empty icon if the file is missing)."""
    resource = files("assets") / "icons" / f"{name}.svg"
    return QIcon(str(resource)) if resource.is_file() else QIcon()
