"""The map's sketching tools: mark an existing link (click two sites), draw a no-go area, draw a
corridor (a line or an area whose candidate links make a shared-risk group).

A tool receives the view's clicks, moves and keys while it is active, draws its rubber band
into the scene, and, when the sketch is complete, emits the view's signal (``link_drawn``,
``zone_drawn`` or ``corridor_drawn``); what that does to the project is decided elsewhere. Esc
drops the sketch.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QPoint, QPointF, Qt, SignalInstance
from PySide6.QtGui import QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem, QGraphicsScene

from planner.ui import style
from planner.ui.map import items
from planner.ui.map.scene import MapScene, to_lonlat

__all__ = ["Canvas", "SketchTool", "LinkTool", "CornersTool", "ZoneTool", "CorridorTool", "CLOSE_PIXELS"]

#: A click this near (in pixels) a corridor's first point closes it into an area.
CLOSE_PIXELS = 8


class Canvas(Protocol):
    """What a tool needs of the map view (:class:`~planner.ui.map.view.MapView` is one)."""

    map_scene: MapScene
    link_drawn: SignalInstance  # (a, b): two sites joined
    zone_drawn: SignalInstance  # [(lon, lat), …]: a ring of corners closed
    corridor_drawn: SignalInstance  # ([(lon, lat), …], closed): a line, or an area when closed

    def scene(self) -> QGraphicsScene: ...

    def item_at(self, pos: QPoint, kinds: tuple[str, ...]) -> QGraphicsItem | None: ...

    def mapToScene(self, pos: QPoint) -> QPointF: ...

    def mapFromScene(self, point: QPointF) -> QPoint: ...


def _rubber_pen(colour=style.SELECTION, width: float = 2.0) -> QPen:
    pen = QPen(colour, width, Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    return pen


class SketchTool:
    """A map tool that builds something from several clicks."""

    #: Shown in the status bar while the tool is active.
    hint = ""

    def __init__(self, view: Canvas):
        self.view = view

    @property
    def active(self) -> bool:
        """Whether a sketch is under way (Esc then drops it rather than leaving the tool)."""
        return False

    def press(self, pos: QPoint) -> None: ...

    def move(self, pos: QPoint) -> None: ...

    def double_click(self, pos: QPoint) -> None: ...

    def finish(self) -> None:
        """Enter: complete the sketch if it can be."""

    def cancel(self) -> None:
        """Drop the sketch and its rubber band."""


class LinkTool(SketchTool):
    """Click a site, then another: ``view.link_drawn(a, b)``."""

    hint = "Click a site, then the site at the other end of the existing link; Esc cancels"

    def __init__(self, view: Canvas):
        super().__init__(view)
        self.start: str | None = None
        self._band: QGraphicsLineItem | None = None

    @property
    def active(self) -> bool:
        return self.start is not None

    def begin_at(self, site_id: str) -> None:
        """Start the link at ``site_id`` (as if it had been clicked)."""
        self.cancel()
        self.start = site_id
        origin = self.view.map_scene.position(site_id)
        self._band = QGraphicsLineItem(origin.x(), origin.y(), origin.x(), origin.y())
        self._band.setPen(_rubber_pen())
        self._band.setZValue(40)
        self.view.scene().addItem(self._band)

    def press(self, pos: QPoint) -> None:
        item = self.view.item_at(pos, ("site",))
        if item is None:
            self.cancel()
        elif self.start is None:
            self.begin_at(item.data(items.KEY))
        elif item.data(items.KEY) != self.start:
            start = self.start
            self.cancel()
            self.view.link_drawn.emit(start, item.data(items.KEY))

    def move(self, pos: QPoint) -> None:
        if self._band is not None:
            line = self._band.line()
            line.setP2(self.view.mapToScene(pos))
            self._band.setLine(line)

    def cancel(self) -> None:
        self.start = None
        if self._band is not None:
            self.view.scene().removeItem(self._band)
            self._band = None


class CornersTool(SketchTool):
    """Click points one after another; Backspace drops the last. Subclasses say when it is complete."""

    def __init__(self, view: Canvas):
        super().__init__(view)
        self.corners: list[QPointF] = []
        self._cursor: QPointF | None = None
        self._band: QGraphicsPathItem | None = None

    @property
    def active(self) -> bool:
        return bool(self.corners)

    def press(self, pos: QPoint) -> None:
        point = self.view.mapToScene(pos)
        if not self.corners or _pixels(self.view, point, self.corners[-1]) > 3:
            self.corners.append(point)
        self._draw()

    def move(self, pos: QPoint) -> None:
        if self.corners:
            self._cursor = self.view.mapToScene(pos)
            self._draw()

    def double_click(self, pos: QPoint) -> None:
        self.press(pos)  # the second click of the pair lands on the last corner and adds nothing
        self.finish()

    def undo_corner(self) -> None:
        if self.corners:
            self.corners.pop()
            self._draw()

    def cancel(self) -> None:
        self.corners, self._cursor = [], None
        if self._band is not None:
            self.view.scene().removeItem(self._band)
            self._band = None

    def _rubber_band(self) -> QGraphicsPathItem:
        """The band's item, styled (called once per sketch)."""
        return QGraphicsPathItem()

    def _path(self, points: list[QPointF]) -> QPainterPath:
        path = QPainterPath()
        path.addPolygon(QPolygonF(points))
        return path

    def _draw(self) -> None:
        if self._band is None:
            self._band = self._rubber_band()
            self._band.setZValue(40)
            self.view.scene().addItem(self._band)
        points = self.corners + ([self._cursor] if self._cursor is not None else [])
        self._band.setPath(self._path(points))


class ZoneTool(CornersTool):
    """Click the corners; double-click or Enter closes the area: ``view.zone_drawn([(lon, lat), …])``."""

    hint = "Click the corners of the no-go area; double-click or Enter closes it, Backspace drops a corner, Esc cancels"

    def finish(self) -> None:
        if len(self.corners) < 3:
            return
        ring = [to_lonlat(p) for p in self.corners]
        self.cancel()
        self.view.zone_drawn.emit(ring)

    def _rubber_band(self) -> QGraphicsPathItem:
        band = QGraphicsPathItem()
        band.setPen(_rubber_pen(style.NO_GO))
        band.setBrush(style.no_go_brushes()[0])
        return band


class CorridorTool(CornersTool):
    """Click along a corridor: double-click or Enter ends it as a line, a click on its first point closes
    it into an area: ``view.corridor_drawn([(lon, lat), …], closed)``."""

    hint = (
        "Click along the corridor; double-click or Enter ends a line (the links crossing it), a click on the "
        "first point closes an area (the links crossing or inside it); Backspace drops a point, Esc cancels"
    )

    def press(self, pos: QPoint) -> None:
        if len(self.corners) >= 3 and _pixels(self.view, self.view.mapToScene(pos), self.corners[0]) <= CLOSE_PIXELS:
            self._emit(closed=True)
        else:
            super().press(pos)

    def finish(self) -> None:
        if len(self.corners) >= 2:
            self._emit(closed=False)

    def _emit(self, closed: bool) -> None:
        points = [to_lonlat(p) for p in self.corners]
        self.cancel()
        self.view.corridor_drawn.emit(points, closed)

    def _rubber_band(self) -> QGraphicsPathItem:
        band = QGraphicsPathItem()
        band.setPen(_rubber_pen(style.RISK_GROUP, 2.5))
        return band

    def _path(self, points: list[QPointF]) -> QPainterPath:
        """An open line (a polygon's path would close it back to the first point)."""
        path = QPainterPath()
        if points:
            path.moveTo(points[0])
            for point in points[1:]:
                path.lineTo(point)
        return path


def _pixels(view: Canvas, a: QPointF, b: QPointF) -> int:
    """The distance between two scene points on screen, in pixels."""
    return (view.mapFromScene(a) - view.mapFromScene(b)).manhattanLength()
