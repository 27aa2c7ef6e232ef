"""The app's look in one place: map colours, link styles by role, capacity and use, fonts, icons.

Partner colours come from the project (the colour-blind-safe ``PALETTE``); everything
else a widget draws takes its colour from here so the map, legend and figures agree. The
map's and the circuits' colours are read from ``planner/io/map_colours.py``, which the
printed map uses too.
"""

from __future__ import annotations

import math
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
    "link_width",
    "link_pen",
    "USE_COLOURS",
    "use_band",
    "use_colour",
    "NO_GO",
    "no_go_brushes",
    "forbidden_pen",
    "existing_casing_pen",
    "RISK_GROUP",
    "FAILURE",
    "risk_casing_pen",
    "lost_pen",
    "icon",
]

SEA = QColor(map_colours.SEA)
LAND = QColor(map_colours.LAND)
COAST = QColor(map_colours.COAST)
COUNTY_EDGE = QColor(map_colours.COUNTY_EDGE)
COUNTRY_EDGE = QColor("#8C8577")
LABEL_TEXT = QColor("#1F2A36")
SELECTION = QColor("#FFB000")
#: A selected circuit's casing while circuits are coloured by use (the amber would read as "busy").
SELECTED_CIRCUIT_BY_USE = QColor(31, 42, 54, 130)
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

#: Circuit width in pixels at 100 Mb/s, and how it grows with each tenfold capacity ``d`` above it:
#: ``1.4 + 0.8 d + 0.3 d (d - 1)``, so 100M 1.4, 1G 2.2 and 10G 3.6 (the widths the tiers always had),
#: and bundles thicker still (2x10G 4.1, 4x10G 4.7), up to ``_MAX_WIDTH``.
_WIDTH_AT_100M, _MIN_WIDTH, _MAX_WIDTH = 1.4, 1.0, 5.5


def link_width(capacity_mbps: float) -> float:
    """The line width of a circuit of ``capacity_mbps``: fatter pipes look fatter, on a log scale.

    >>> [link_width(c) for c in (100, 1000, 10_000, 20_000, 40_000, 160_000, 10)]
    [1.4, 2.2, 3.6, 4.14, 4.73, 5.5, 1.0]
    """
    if capacity_mbps <= 0:
        return _MIN_WIDTH
    d = math.log10(capacity_mbps / 100)
    width = _WIDTH_AT_100M + 0.8 * d + (0.3 * d * (d - 1) if d > 0 else 0.0)
    return round(max(_MIN_WIDTH, min(_MAX_WIDTH, width)), 2)


#: Worst-case use of a circuit's capacity, by band: plenty of room, busy (up to the utilisation limit), and
#: over the limit. Okabe–Ito bluish green, orange and vermillion: told apart with any colour vision (they
#: differ in lightness and in blue as well as in hue), darkened a little to stand out on the pale land.
USE_COLOURS: dict[str, str] = {"low": "#008C66", "busy": "#D98E00", "over": "#C84C00"}
#: Below this share of capacity a circuit counts as having plenty of room (or the limit, if lower).
BUSY_FROM = 0.5
_TOLERANCE = 1e-9


def use_band(utilisation: float, limit: float) -> str:
    """``low`` (under half its capacity), ``busy`` (up to ``limit``) or ``over`` (above the limit).

    >>> use_band(0.3, 0.8), use_band(0.5, 0.8), use_band(0.8, 0.8), use_band(0.81, 0.8), use_band(0.45, 0.4)
    ('low', 'busy', 'busy', 'over', 'over')
    """
    if utilisation > limit + _TOLERANCE:
        return "over"
    return "busy" if utilisation >= min(BUSY_FROM, limit) - _TOLERANCE else "low"


def use_colour(utilisation: float, limit: float) -> str:
    """The colour of a circuit whose worst load is ``utilisation`` of its capacity (see ``use_band``)."""
    return USE_COLOURS[use_band(utilisation, limit)]


@cache
def link_pen(role: str, capacity_mbps: float = 1000, *, lod: bool = False, colour: str = "") -> QPen:
    """The cosmetic pen for a circuit of ``role`` and ``capacity_mbps``, in its role's colour or in
    ``colour`` (its use); a thin hairline when zoomed far out (``lod``). The role's dashes stay either way."""
    style = LINK_STYLES.get(role, LINK_STYLES["backbone"])
    width = 1.0 if lod else link_width(capacity_mbps)
    pen = QPen(QColor(colour or style.colour), width)
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


#: A selected shared-risk group's links (a translucent casing) and sites (rings): a violet no partner has.
RISK_GROUP = QColor("#6A3D9A")
#: A failure shown on the map: its lost circuits (dashed) and the sites it cuts off (rings).
FAILURE = QColor("#C0392B")


@cache
def risk_casing_pen(many: bool = False) -> QPen:
    """A selected risk group's link: a translucent violet band, narrower and fainter for a group of ``many``
    links (a long corridor's would otherwise merge into one blot)."""
    colour = QColor(RISK_GROUP)
    colour.setAlpha(60 if many else 110)
    pen = QPen(colour, 4.0 if many else 10.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setCosmetic(True)
    return pen


@cache
def lost_pen(casing: bool = False) -> QPen:
    """A lost circuit: red dashes over a white casing (``casing``), so it reads over the circuit's own line."""
    if casing:
        pen = QPen(QColor("white"), 5.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
    else:
        pen = QPen(FAILURE, 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        pen.setDashPattern([2.5, 1.5])
    pen.setCosmetic(True)
    return pen


@cache
def icon(name: str) -> QIcon:
    """An icon from ``assets/icons/<name>.svg`` (an empty icon if the file is missing)."""
    resource = files("assets") / "icons" / f"{name}.svg"
    return QIcon(str(resource)) if resource.is_file() else QIcon()
