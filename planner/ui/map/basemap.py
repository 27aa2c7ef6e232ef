"""The offline basemap, drawn behind the scene from an image cache.

The land, county and country layers are built once as painter paths (Web Mercator
metres, y down). The view paints them into an image covering twice the visible area;
panning only moves that image, zooming stretches it until the view settles, and then
it is painted afresh at the new scale. A frame therefore costs one image blit however
detailed the coastline is.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from planner.io.basemap import basemap_layer
from planner.ui import style

__all__ = ["Basemap"]


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


def _pen(colour: QColor) -> QPen:
    """A one-pixel line: Qt draws these on a fast path (a wider line costs 10-100 times more)."""
    pen = QPen(colour, 1.0)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


@dataclass(frozen=True)
class _Layer:
    path: QPainterPath
    pen: QPen
    brush: QBrush


class Basemap:
    """Land under, county boundaries above, country boundaries on top; sea as the background."""

    def __init__(self) -> None:
        none = QBrush(Qt.BrushStyle.NoBrush)
        self.layers = (
            _Layer(_layer_path("land"), _pen(style.COAST), QBrush(style.LAND)),
            _Layer(_layer_path("counties"), _pen(style.COUNTY_EDGE), none),
            _Layer(_layer_path("countries"), _pen(style.COUNTRY_EDGE), none),
        )

    def render(self, scene_rect: QRectF, size, device_ratio: float = 1.0) -> QImage:
        """An image of ``scene_rect`` at ``size`` logical pixels (sea where there is no land)."""
        image = QImage(
            round(size.width() * device_ratio), round(size.height() * device_ratio), QImage.Format.Format_RGB32
        )
        image.setDevicePixelRatio(device_ratio)
        image.fill(style.SEA)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = size.width() / scene_rect.width()
        painter.setTransform(QTransform().scale(scale, scale).translate(-scene_rect.left(), -scene_rect.top()))
        for layer in self.layers:
            painter.setPen(layer.pen)
            painter.setBrush(layer.brush)
            painter.drawPath(layer.path)
        painter.end()
        return image
