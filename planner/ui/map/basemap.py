"""The offline basemap as a few cached path items: land under, counties above, countries on top.

Each layer becomes one ``QGraphicsPathItem`` built once; outlines use cosmetic pens so
they stay hairlines at every zoom, and each item caches its pixels so panning is cheap.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene

from planner.io.basemap import basemap_layer
from planner.ui import style

__all__ = ["add_basemap", "BASEMAP_Z"]

#: Stacking order of the basemap layers (everything the user edits is drawn above 10).
BASEMAP_Z = {"land": 0.0, "counties": 1.0, "countries": 2.0}


def _ring(points) -> QPolygonF:
    return QPolygonF([QPointF(float(x), -float(y)) for x, y in points])  # scene y grows southwards


def _layer_path(name: str) -> QPainterPath:
    """Every ring (closed) and line of one basemap layer as a single path."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for feature in basemap_layer(name):
        for polygon in feature.polygons:
            for ring in polygon:
                path.addPolygon(_ring(ring))
                path.closeSubpath()
        for line in feature.lines:
            path.addPolygon(_ring(line))
    return path


def _item(path: QPainterPath, pen: QPen | None, brush: QColor | None, z: float) -> QGraphicsPathItem:
    item = QGraphicsPathItem(path)
    item.setPen(pen or QPen(Qt.PenStyle.NoPen))
    item.setBrush(QBrush(brush) if brush is not None else QBrush(Qt.BrushStyle.NoBrush))
    item.setZValue(z)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return item


def _pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def add_basemap(scene: QGraphicsScene) -> list[QGraphicsPathItem]:
    """Add the land, county and country layers to ``scene``; returns the items, bottom first."""
    scene.setBackgroundBrush(style.SEA)
    items = [
        _item(_layer_path("land"), _pen(style.COAST, 0.8), style.LAND, BASEMAP_Z["land"]),
        _item(_layer_path("counties"), _pen(style.COUNTY_EDGE, 0.7), None, BASEMAP_Z["counties"]),
        _item(_layer_path("countries"), _pen(style.COUNTRY_EDGE, 1.3), None, BASEMAP_Z["countries"]),
    ]
    for item in items:
        scene.addItem(item)
    return items
