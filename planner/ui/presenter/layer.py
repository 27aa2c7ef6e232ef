"""What presenter mode draws on the app's own map scene, and how it puts the scene back exactly as it was.

The design's circuits are the scene's own line items, restyled for a projector (thicker,
and recoloured when circuits are cut); each partner's own network and the marks of a
cut are extra items added for the presentation and removed after it. Site markers are
the scene's, drawn larger. The architect's forbidden and existing links are hidden (a red
dashed forbidden link would read as a cut); no-go areas stay.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsView,
)

from planner.core.design_result import Design
from planner.ui import style
from planner.ui.map import items
from planner.ui.map.scene import MapScene

if TYPE_CHECKING:
    from planner.analysis.loads import TrafficOutage
    from planner.analysis.resilience import Outage  # imports networkx: kept out of start-up

__all__ = ["PresenterLayer", "CONNECTED", "CUT", "MARKER_SCALE", "load_width"]

#: Site markers are this much larger than in the editor.
MARKER_SCALE = 1.7
CONNECTED = "#1E7B4A"
CUT = "#C0392B"
_STILL_UP = "#8CC2A4"  # circuits still working, paler than the way round
_FADED = "#C5CDD5"
_HIT = 14  # pixels of tolerance when clicking a circuit on a projector


def load_width(mbps: float) -> float:
    """How wide a circuit carrying ``mbps`` is drawn on a projector: wider as the traffic grows (log scale).

    >>> [load_width(x) for x in (0, 100, 1000, 10_000)]
    [2.5, 4.06, 5.51, 7.0]
    """
    return round(2.5 + 1.5 * math.log10(1 + max(0.0, mbps) / 10), 2)


def _pen(colour: str, width: float, dashes: tuple[float, ...] = ()) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if dashes:
        pen.setDashPattern(list(dashes))
    return pen


def _cut_mark() -> QGraphicsPathItem:
    """A white disc with a red cross: where a circuit was cut (constant size on screen)."""
    path = QPainterPath()
    path.addEllipse(QPointF(0, 0), 11, 11)
    item = QGraphicsPathItem(path)
    item.setBrush(QBrush(QColor("white")))
    item.setPen(_pen(CUT, 3))
    cross = QPainterPath()
    for a, b in ((QPointF(-5, -5), QPointF(5, 5)), (QPointF(-5, 5), QPointF(5, -5))):
        cross.moveTo(a)
        cross.lineTo(b)
    mark = QGraphicsPathItem(cross, item)
    mark.setPen(_pen(CUT, 3.2))
    return item


class PresenterLayer:
    """Restyles the map scene for one step of the story; ``end`` restores it."""

    def __init__(self, scene: MapScene):
        self.scene = scene
        self._links: dict[str, tuple[QPen, bool, float, float]] = {}  # circuit -> pen, visible, opacity, z
        self._markers: dict[str, tuple[float, float]] = {}  # site -> scale, opacity
        self._hidden: list[QGraphicsItem] = []  # constraint lines hidden for the presentation
        self._extra: list[QGraphicsItem] = []

    # -- begin and end -------------------------------------------------------------------
    def begin(self, design: Design | None) -> None:
        """Remember how the scene's circuits and markers look, then enlarge the markers."""
        self._remember(design)
        self._hidden = [item for item in self.scene.constraints.lines.values() if item.isVisible()]
        for item in self._hidden:
            item.hide()
        for site in self.scene.document.project.sites:
            marker = self.scene.marker(site.id)
            self._markers[site.id] = (marker.scale(), marker.opacity())
            marker.setScale(MARKER_SCALE)

    def _remember(self, design: Design | None) -> None:
        for link in design.links if design else ():
            if link.circuit_id not in self._links:
                try:
                    item = self.scene.link_item(link.circuit_id)
                except KeyError:
                    continue
                self._links[link.circuit_id] = (QPen(item.pen()), item.isVisible(), item.opacity(), item.zValue())

    def end(self) -> None:
        self._clear_extra()
        for circuit_id, (pen, visible, opacity, z) in self._links.items():
            try:
                item = self.scene.link_item(circuit_id)
            except KeyError:  # no longer in the design on show
                continue
            item.setPen(pen)
            item.setVisible(visible)
            item.setOpacity(opacity)
            item.setZValue(z)
        for site_id, (scale, opacity) in self._markers.items():
            try:
                marker = self.scene.marker(site_id)
            except KeyError:
                continue
            marker.setScale(scale)
            marker.setOpacity(opacity)
        for item in self._hidden:
            item.show()
        self._links.clear()
        self._markers.clear()
        self._hidden.clear()

    # -- the steps ------------------------------------------------------------------------
    def show_sites(self, design: Design | None) -> None:
        """Only the partners' sites."""
        self._reset(design)
        self._style_circuits(design, visible=False)

    def show_networks(
        self, networks: Mapping[str, Iterable[tuple[str, str]]], colours: Mapping[str, str], spotlight: str | None
    ) -> None:
        """Each partner's own network in its colour; with a spotlight, only that partner's stands out."""
        self._reset(None)
        self._style_circuits(None, visible=False)
        owner = {s.id: s.partner for s in self.scene.document.project.sites}
        for site_id, partner in owner.items():
            if site_id in self._markers:
                self.scene.marker(site_id).setOpacity(1.0 if spotlight in (None, partner) else 0.25)
        for partner, pairs in networks.items():
            lit = spotlight in (None, partner)
            for a, b in dict.fromkeys(tuple(sorted(p)) for p in pairs):  # two diverse circuits: one line
                line = self._line(a, b)
                if line is None:
                    continue
                item = QGraphicsLineItem(line)
                item.setPen(_pen(colours.get(partner, "#777777"), 4.0 if lit else 2.0))
                item.setOpacity(1.0 if lit else 0.18)
                item.setZValue(12 if lit else 11)
                self._add(item)

    def show_design(self, design: Design | None, faded: bool = False) -> None:
        """The shared backbone, bold; ``faded`` behind the figures of the saving."""
        self._reset(design)
        self._style_circuits(design, visible=True, opacity=0.3 if faded else 1.0)

    def show_outage(
        self,
        design: Design | None,
        outage: Outage | None,
        traffic: TrafficOutage | None = None,
        limit: float = 0.8,
    ) -> None:
        """The design with circuits cut: the way round in green, cut circuits and cut-off sites in red.

        With ``traffic`` (the loads after the cut, or in the normal state when nothing is cut) each circuit
        is drawn as wide as its load and coloured by its use of its capacity (the map's colours for use,
        against ``limit``), and an overloaded circuit glows.
        """
        self._reset(design)
        if design is None or ((outage is None or not outage.cut) and traffic is None):
            self._style_circuits(design, visible=True)
            return
        cut = set(outage.cut) if outage is not None else set()
        cut_off = set(outage.cut_off) if outage is not None else set()
        detour = {c for way in outage.detours.values() for c in way} if outage is not None else set()
        over = set(traffic.overloaded) if traffic is not None else set()
        for link in design.links:
            item = self._item(link.circuit_id)
            if item is None:
                continue
            item.setVisible(True)
            item.setOpacity(1.0)
            if traffic is not None and link.circuit_id not in cut:
                self._style_load(item, link, traffic.loads.get(link.circuit_id, 0.0), limit, link.circuit_id in over)
                item.setZValue(13 if link.circuit_id in detour or link.circuit_id in over else 10)
            elif link.circuit_id in cut:
                item.setPen(_pen(CUT, 4.0, (2.0, 2.0)))
                mark = _cut_mark()
                mark.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
                mark.setPos(item.line().center())
                mark.setZValue(26)
                self._add(mark)
            elif link.a in cut_off or link.b in cut_off:
                item.setPen(_pen(_FADED, 3.0))
            elif link.circuit_id in detour:
                item.setPen(_pen(CONNECTED, 7.0))
                item.setZValue(13)
            else:
                item.setPen(_pen(_STILL_UP, 3.0))
        for site_id in cut_off:
            ring = QGraphicsEllipseItem(-15, -15, 30, 30)
            ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            ring.setPen(_pen(CUT, 3.5))
            ring.setPos(self.scene.position(site_id))
            ring.setZValue(19)
            self._add(ring)

    def _style_load(self, item: QGraphicsLineItem, link, load: float, limit: float, overloaded: bool) -> None:
        use = load / link.capacity_mbps if link.capacity_mbps else 0.0
        width = load_width(load)
        item.setPen(_pen(style.use_colour(use, limit), width))
        if overloaded:  # a broad translucent glow under it, so an overload is seen from the back of the room
            glow = QGraphicsLineItem(item.line())
            colour = QColor(style.USE_COLOURS["over"])
            colour.setAlpha(90)
            glow.setPen(_pen(colour.name(QColor.NameFormat.HexArgb), width + 12))
            glow.setZValue(12)
            self._add(glow)

    # -- clicking a circuit -------------------------------------------------------------------
    def circuit_at(self, view: QGraphicsView, pos: QPoint) -> str | None:
        """The shown circuit nearest viewport position ``pos``, within a generous tolerance."""
        best, best_distance = None, float(_HIT)
        for item in view.items(QRect(pos.x() - _HIT, pos.y() - _HIT, 2 * _HIT, 2 * _HIT)):
            if item.data(items.KIND) != "link" or not item.isVisible():
                continue
            line = item.line()
            distance = _distance(QPointF(pos), QLineF(view.mapFromScene(line.p1()), view.mapFromScene(line.p2())))
            if distance <= best_distance:
                best, best_distance = item.data(items.KEY), distance
        return best

    # -- internals --------------------------------------------------------------------------
    def _reset(self, design: Design | None) -> None:
        self._clear_extra()
        self._remember(design)
        for site_id in self._markers:
            self.scene.marker(site_id).setOpacity(1.0)

    def _style_circuits(self, design: Design | None, visible: bool, opacity: float = 1.0) -> None:
        links = {k.circuit_id: k for k in design.links} if design else {}
        for circuit_id in self._links:
            item = self._item(circuit_id)
            if item is None:
                continue
            link = links.get(circuit_id)
            item.setVisible(visible and link is not None)
            item.setOpacity(opacity)
            item.setZValue(10)
            if link is not None:  # one colour, solid, whatever the role: a board sees one network, not its parts
                item.setPen(_pen(style.LINK_STYLES["backbone"].colour, 4.0))

    def _item(self, circuit_id: str) -> QGraphicsLineItem | None:
        try:
            return self.scene.link_item(circuit_id)
        except KeyError:
            return None

    def _line(self, a: str, b: str) -> QLineF | None:
        try:
            return QLineF(self.scene.position(a), self.scene.position(b))
        except KeyError:
            return None

    def _add(self, item: QGraphicsItem) -> None:
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.scene.addItem(item)
        self._extra.append(item)

    def _clear_extra(self) -> None:
        for item in self._extra:
            self.scene.removeItem(item)
        self._extra.clear()


def _distance(p: QPointF, line: QLineF) -> float:
    """Distance in pixels from ``p`` to the segment ``line``."""
    d = line.p2() - line.p1()
    length2 = d.x() ** 2 + d.y() ** 2
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, QPointF.dotProduct(p - line.p1(), d) / length2))
    nearest = line.p1() + d * t
    return ((p - nearest).x() ** 2 + (p - nearest).y() ** 2) ** 0.5
