"""What the map draws for sites and circuits.

Markers and lines are plain Qt items (painted in C++), so a frame costs no Python per
item: markers ignore the view's transform (constant size on screen) and lines use
cosmetic pens. Far out, where thousands of sites would be on screen, two "cloud" items
draw every site and every circuit in a handful of batched calls instead.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractGraphicsShapeItem,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from planner.ui import style

__all__ = [
    "KIND",
    "KEY",
    "MARKER_SIZE",
    "make_marker",
    "style_marker",
    "make_link",
    "make_halo",
    "LabelItem",
    "SiteCloudItem",
    "LinkCloudItem",
]

#: ``QGraphicsItem.data`` slots: what an item shows ("site"/"link") and the id it shows.
KIND, KEY = 0, 1
#: Marker diameter in pixels by site role.
MARKER_SIZE = {"site": 11.0, "hub": 15.0, "optional": 10.0}
_OUTLINE = QColor("#FFFFFF")
_ROLE_Z = {"optional": 0, "site": 1, "hub": 2}  # hubs are drawn over ordinary sites


def _tag(item: QGraphicsItem, kind: str, key: str) -> None:
    item.setData(KIND, kind)
    item.setData(KEY, key)


def make_marker(site_id: str, role: str) -> QAbstractGraphicsShapeItem:
    """A site marker: a circle, a diamond for a hub (top-level, so the scene's index finds it)."""
    size = MARKER_SIZE.get(role, MARKER_SIZE["site"])
    if role == "hub":
        half = size / 2
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(0, -half), QPointF(half, 0), QPointF(0, half), QPointF(-half, 0)]))
        path.closeSubpath()
        item: QAbstractGraphicsShapeItem = QGraphicsPathItem(path)
    else:
        item = QGraphicsEllipseItem(-size / 2, -size / 2, size, size)
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    item.setAcceptHoverEvents(False)
    item.setZValue(20 + _ROLE_Z.get(role, 1))
    _tag(item, "site", site_id)
    return item


def style_marker(item: QAbstractGraphicsShapeItem, colour: QColor, role: str) -> None:
    """Partner colour filled, with a white rim; an optional site is hollow."""
    if role == "optional":
        pen = QPen(colour, 2.4)
        item.setBrush(QBrush(_OUTLINE))
    else:
        pen = QPen(_OUTLINE, 1.6)
        item.setBrush(QBrush(colour))
    item.setPen(pen)


def make_link(circuit_id: str, a: QPointF, b: QPointF, pen: QPen) -> QGraphicsLineItem:
    """A circuit as a line (top-level, so the scene's index culls it when off screen)."""
    item = QGraphicsLineItem(a.x(), a.y(), b.x(), b.y())
    item.setPen(pen)
    item.setZValue(10)
    _tag(item, "link", circuit_id)
    return item


def make_halo(site_size: float | None = None, colour: QColor | None = None) -> QAbstractGraphicsShapeItem:
    """The selection highlight: a ring round a site, or (``None``) a broad line under a circuit; in the
    selection colour unless ``colour`` is given."""
    pen = QPen(colour or style.SELECTION, 3.0 if site_size else 9.0)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if site_size is None:
        item = QGraphicsLineItem()
    else:
        r = site_size / 2 + 4
        item = QGraphicsEllipseItem(-r, -r, 2 * r, 2 * r)
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    item.setPen(pen)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item


@cache
def _label_font(bold: bool) -> QFont:
    font = QFont()
    font.setPointSizeF(8.5)
    font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Medium)
    return font


class LabelItem(QGraphicsItem):
    """A site name with a white halo, constant in size on screen, cached as pixels."""

    def __init__(self, text: str, bold: bool = False):
        super().__init__()
        self.text = (text, bold)
        font = _label_font(bold)
        self._path = QPainterPath()
        self._path.addText(0, QFontMetricsF(font).ascent(), font, text)
        self._rect = self._path.boundingRect().adjusted(-2, -2, 2, 2)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    @staticmethod
    def size(text: str, bold: bool = False) -> tuple[float, float]:
        """Width and height of ``text`` as a label, in pixels."""
        metrics = QFontMetricsF(_label_font(bold))
        return metrics.horizontalAdvance(text) + 4, metrics.height() + 2

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        halo = QPen(QColor(255, 255, 255, 230), 3.2)
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.strokePath(self._path, halo)
        painter.fillPath(self._path, style.LABEL_TEXT)


class _CloudItem(QGraphicsItem):
    """Draws many points or lines in a few batched calls; content is set with ``set_groups``."""

    def __init__(self, z: float):
        super().__init__()
        self._groups: list[tuple[QPen, object]] = []
        self._rect = QRectF()
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def _set(self, groups: list[tuple[QPen, object]], rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._groups, self._rect = groups, rect
        self.update()


class SiteCloudItem(_CloudItem):
    """Every site as a dot in its partner's colour: one ``drawPoints`` per partner."""

    def set_sites(self, points_by_colour: dict[str, list[QPointF]]) -> None:
        groups, rect = [], QRectF()
        for colour, points in points_by_colour.items():
            pen = QPen(QColor(colour), 6.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            pen.setCosmetic(True)
            polygon = QPolygonF(points)
            groups.append((pen, polygon))
            rect = rect.united(polygon.boundingRect())
        self._set(groups, rect.adjusted(-1, -1, 1, 1))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for pen, polygon in self._groups:
            painter.setPen(pen)
            painter.drawPoints(polygon)


class LinkCloudItem(_CloudItem):
    """Every circuit as a hairline: one ``drawPath`` per role (and per colour, when coloured by use)."""

    def set_links(self, lines_by_style: dict[tuple[str, str], list[tuple[QPointF, QPointF]]]) -> None:
        """``lines_by_style`` maps (role, colour; "" for the role's own) to the circuits' ends."""
        groups, rect = [], QRectF()
        for (role, colour), lines in lines_by_style.items():
            path = QPainterPath()
            for a, b in lines:
                path.moveTo(a)
                path.lineTo(b)
            groups.append((style.link_pen(role, lod=True, colour=colour), path))
            rect = rect.united(path.boundingRect())
        self._set(groups, rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for pen, path in self._groups:
            painter.setPen(pen)
            painter.drawPath(path)
