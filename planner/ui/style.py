"""The app's look in one place: map colours, link styles by role and bandwidth, fonts, icons.

Partner colours come from the project (the colour-blind-safe ``PALETTE``); everything
else a widget draws takes its colour from here so the map, legend and figures agree. The
map's and the circuits' colours are read from ``planner/io/map_colours.py``, which the
printed map uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPen

from planner.io import map_colours

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

SEA = QColor(map_colours.SEA)
LAND = QColor(map_colours.LAND)
COAST = QColor(map_colours.COAST)
COUNTY_EDGE = QColor(map_colours.COUNTY_EDGE)
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
_DASHES: dict[str, tuple[float, ...]] = {"protection": (4.0, 2.5), "access": (1.0, 2.0)}
LINK_STYLES: dict[str, LinkStyle] = {
    role: LinkStyle(colour, _DASHES.get(role, ())) for role, colour in map_colours.ROLE_COLOURS.items()
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
NO_GO = QColor(map_colours.NO_GO)
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
