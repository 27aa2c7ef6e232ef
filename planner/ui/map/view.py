"""The map view: zoom about the cursor, drag to pan, click to select, drag a site to move it.

Tools: ``select`` (the default: click selects sites, circuits and no-go areas, dragging a
site moves it, dragging the map pans), ``add`` (a click asks for a new site there), and the
sketching tools of :mod:`planner.ui.map.tools`: ``existing`` (click two sites), ``zone``
(click the corners of a no-go area) and ``corridor`` (a line or an area whose candidate links
make a shared-risk group). A banner over the map says what the failure on show does
(:mod:`planner.ui.map.risk`); Esc clears it. A right click asks for the context menu of what is
under the cursor. Per frame the view does O(1) Python work: the level of detail is chosen
from the zoom alone, and labels are laid out once the view has stopped moving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QToolButton, QToolTip, QWidget

from planner.ui import style
from planner.ui.map import items
from planner.ui.map.basemap import Basemap
from planner.ui.map.overlays import AttributionLabel, Legend, ScaleBar
from planner.ui.map.risk import FailureBanner
from planner.ui.map.scene import GB_EXTENT, LOD_SITES, MapScene, to_lonlat
from planner.ui.map.tools import CornersTool, CorridorTool, LinkTool, SketchTool, ZoneTool

__all__ = ["MapView", "MIN_SCALE", "MAX_SCALE"]

#: Zoom limits in screen pixels per scene metre: all of the British Isles .. a street.
MIN_SCALE, MAX_SCALE = 1 / 4000, 1 / 0.5
_WHEEL_STEP = 1.0018  # zoom factor per 1/8 degree of wheel turn: one notch (120) is about x1.24
_HIT = 5  # pixels of tolerance when clicking a site or a circuit
#: What a click can pick, most wanted first.
_PICKABLE = ("site", "link", "existing", "forbidden", "zone")
_CROSS_TOOLS = ("add", "existing", "zone", "corridor")
_BANNER_WIDTH = 560  # the failure banner's width, at most
_SKETCH_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace)


@dataclass
class _Drag:
    site_id: str
    start: QPoint
    offset: QPointF
    serial: int = 0


class MapView(QGraphicsView):
    """The interactive map of one :class:`MapScene`."""

    cursor_moved = Signal(float, float)  # lon, lat under the mouse
    scale_changed = Signal(float)  # the scale denominator, e.g. 250000 for 1:250,000
    add_site_requested = Signal(float, float)  # lon, lat clicked with the add tool
    #: A site dragged to lon, lat; moves of one drag share its non-zero number, so they undo as one.
    site_dragged = Signal(str, float, float, int)
    drag_finished = Signal()  # a site drag ended: the final position is in
    tool_changed = Signal(str)
    link_drawn = Signal(str, str)  # the existing-link tool joined two sites
    zone_drawn = Signal(list)  # the no-go area tool closed a ring of (lon, lat) corners
    corridor_drawn = Signal(list, bool)  # the corridor tool's (lon, lat) points, and whether they close an area
    #: A right click: the kind of item under the cursor ("" for the bare map), its key, the global position.
    context_menu_requested = Signal(str, object, QPoint)

    def __init__(self, scene: MapScene, parent: QWidget | None = None):
        super().__init__(scene, parent)
        self.map_scene = scene
        self.document = scene.document
        self.tool = "select"
        self.sketch_tools: dict[str, SketchTool] = {
            "existing": LinkTool(self),
            "zone": ZoneTool(self),
            "corridor": CorridorTool(self),
        }
        self._drag: _Drag | None = None
        self._pan: QPoint | None = None
        self._panned = False
        self._drag_serial = 0
        #: The transform, centre and reserve of the last fit: while the map still shows exactly that,
        #: a resize (the window laid out, docks shown or hidden) fits the region again.
        self._fitted: tuple[QTransform, QPointF, QMargins | None] | None = None
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Map")

        self.legend = Legend(self.document, self, scene)
        #: View → Legend (Ctrl+Shift+L), and the ▾/▸ button on the legend's corner: fold it out of the way.
        self.legend_action = QAction("&Legend", self, checkable=True, checked=True)
        self.legend_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.legend_action.setStatusTip("Show the legend in full, or fold it to its title")
        self.legend_action.toggled.connect(lambda on: self.legend.set_collapsed(not on))
        self.addAction(self.legend_action)
        self.legend_button = QToolButton(self, autoRaise=True)
        self.legend_button.setAccessibleName("Fold the legend")
        self.legend_button.clicked.connect(self.legend_action.toggle)
        self.legend.installEventFilter(self)  # the button follows the legend's size and visibility
        self.scale_bar = ScaleBar(self)
        self.attribution = AttributionLabel(self)
        self.failure_banner = FailureBanner(scene.risk, self)
        scene.risk.changed.connect(self._place_banner)
        self.basemap = Basemap()
        self._cache: QImage | None = None
        self._cache_rect = QRectF()
        self._settle = QTimer(self, singleShot=True, interval=120)
        self._settle.timeout.connect(self.settle)
        scene.contents_changed.connect(self._view_changed)
        for signal in (self.document.project_replaced, self.document.sites_changed):
            signal.connect(self._drop_sketch)  # a sketch may name a site that is gone
        self.document.selection.changed.connect(self.relayout_labels)
        #: View → Colour Circuits by Worst-Case Use (U): offered while the project has traffic.
        self.use_action = QAction("Colour Circuits by Worst-Case &Use", self)
        self.use_action.setShortcut(QKeySequence("U"))
        self.use_action.setCheckable(True)
        self.use_action.setChecked(scene.colour_by_use)
        tip = "Colour each circuit by its load after the worst failure, as a share of its capacity"
        self.use_action.setStatusTip(tip)
        self.use_action.setToolTip(f"{tip} (U)")
        self.use_action.toggled.connect(scene.set_colour_by_use)
        self.addAction(self.use_action)
        scene.circuit_style_changed.connect(self._sync_use_action)
        self._sync_use_action()
        if scene.parent() is None:  # the view owns its scene: the scene outlives the view's own teardown,
            scene.setParent(self)  # whose last scrolls and resizes still ask it for the level of detail

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.legend and event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide):
            self._place_legend_button()
        return super().eventFilter(watched, event)

    def _place_legend_button(self) -> None:
        """The fold button on the legend's top right corner, pointing the way a click will go."""
        legend, button = self.legend, self.legend_button
        folded = legend.collapsed
        button.setText("▸" if folded else "▾")
        button.setToolTip("Show the legend (Ctrl+Shift+L)" if folded else "Fold the legend (Ctrl+Shift+L)")
        button.setFixedSize(22, 22)
        button.move(legend.x() + legend.width() - button.width() - 2, legend.y() + 2)
        button.setVisible(legend.isVisible())
        button.raise_()

    def _place_banner(self) -> None:
        """The failure banner at the foot of the map, above the attribution and clear of the scale bar."""
        left = self.scale_bar.x() + self.scale_bar.width() + 12
        room = self.width() - left - 12
        width = max(200, min(_BANNER_WIDTH, room))
        bottom = self.height() - self.attribution.height() - 6
        self.failure_banner.place(left + (room - width) // 2, width, bottom)

    def _sync_use_action(self) -> None:
        self.use_action.setEnabled(self.map_scene.traffic)
        self.use_action.setChecked(self.map_scene.colour_by_use)

    # -- zoom and pan ------------------------------------------------------------------------
    @property
    def scale_factor(self) -> float:
        """Screen pixels per scene metre."""
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor`` about ``anchor`` (viewport pixels; the centre if ``None``)."""
        target = min(MAX_SCALE, max(MIN_SCALE, self.scale_factor * factor))
        factor = target / self.scale_factor
        if math.isclose(factor, 1.0):
            return
        if anchor is None:
            anchor = self.viewport().rect().center()
        before = self.mapToScene(anchor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.scale(factor, factor)
        after = self.mapToScene(anchor)
        self.translate(after.x() - before.x(), after.y() - before.y())
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._view_changed()

    def fit_region(self, *, reserve: QMargins | None = None) -> None:
        """Show every site (or Great Britain when there are none) with a margin.

        ``reserve`` keeps room clear at the viewport's edges, for panels over the map.
        """
        rect = self.map_scene.sites_rect()
        if rect.isNull() or rect.width() + rect.height() == 0:
            centre = rect.center() if not rect.isNull() else GB_EXTENT.center()
            rect = QRectF(centre - QPointF(20_000, 20_000), centre + QPointF(20_000, 20_000))
            if self.map_scene.sites_rect().isNull():
                rect = GB_EXTENT
        margin = max(rect.width(), rect.height()) * 0.08 + 2_000
        rect = rect.adjusted(-margin, -margin, margin, margin)
        # leave room for the legend, which covers the top-left corner
        left = self.legend.width() + 24 if self.legend.isVisible() else 0
        view = self.viewport().rect().adjusted(left, 0, 0, -self.attribution.height())
        if reserve is not None:
            view = view.marginsRemoved(reserve)
        if view.width() < 50 or view.height() < 50:
            view = self.viewport().rect()
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        scale = min(MAX_SCALE, max(MIN_SCALE, scale))
        self.resetTransform()
        self.scale(scale, scale)
        offset = QPointF(view.center() - self.viewport().rect().center()) / scale
        self.centerOn(rect.center() - offset)
        self._fitted = (self.transform(), self._centre(), reserve)
        self._view_changed()

    def _centre(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def _still_fitted(self) -> bool:
        if self._fitted is None:
            return False
        transform, centre, _ = self._fitted
        return self.transform() == transform and (self._centre() - centre).manhattanLength() * self.scale_factor <= 2

    def centre_on(self, rect: QRectF) -> None:
        """Bring ``rect`` into view, zooming out only if it does not fit."""
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if rect.width() > visible.width() * 0.9 or rect.height() > visible.height() * 0.9:
            factor = 0.9 * min(visible.width() / max(rect.width(), 1), visible.height() / max(rect.height(), 1))
            self.zoom_by(factor)
        if not visible.contains(rect):
            self.centerOn(rect.center())
        self._view_changed()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._view_changed()

    def _view_changed(self) -> None:
        """After any zoom or pan: pick the level of detail and the scale (O(1)), then settle."""
        scene = self.map_scene
        sites = scene.sites_rect()
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        count = len(self.document.project.sites)
        if count > LOD_SITES and sites.width() * sites.height() > 0:
            overlap = visible.intersected(sites)
            count *= overlap.width() * overlap.height() / (sites.width() * sites.height())
        scene.set_lod(count > LOD_SITES)
        _, lat = to_lonlat(visible.center())
        metres_per_pixel = math.cos(math.radians(lat)) / self.scale_factor
        self.scale_bar.set_metres_per_pixel(metres_per_pixel)
        dpi = self.logicalDpiX() or 96
        self.scale_changed.emit(metres_per_pixel * dpi / 0.0254)
        self._settle.start()

    def relayout_labels(self) -> None:
        """Lay the labels out again shortly (after a setting that affects them changed)."""
        self._settle.start()

    def settle(self) -> None:
        """Lay the labels out and repaint the basemap sharp for the current view (once it stops moving)."""
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if self._cache is None or not self._cache_rect.contains(visible) or not self._cache_sharp():
            self._render_basemap(visible)
            self.viewport().update()
        self.map_scene.layout_labels(visible, self.scale_factor)

    # -- basemap ------------------------------------------------------------------------------
    def _cache_sharp(self) -> bool:
        width = self._cache.width() / self._cache.devicePixelRatio()
        return math.isclose(width / self._cache_rect.width(), self.scale_factor, rel_tol=1e-3)

    def _render_basemap(self, visible: QRectF) -> None:
        """Paint the basemap for the visible area plus half a view on every side."""
        w, h = visible.width() / 2, visible.height() / 2
        self._cache_rect = visible.adjusted(-w, -h, w, h)
        size = self.viewport().size() * 2
        self._cache = self.basemap.render(self._cache_rect, size, self.devicePixelRatioF())

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """Blit the cached basemap (stretched while a zoom is under way; redrawn once it settles)."""
        if self._cache is None:
            self._render_basemap(self.mapToScene(self.viewport().rect()).boundingRect())
        painter.fillRect(rect, style.SEA)
        painter.drawImage(self._cache_rect, self._cache)

    # -- tools ------------------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        """``select``, ``add``, ``existing``, ``zone`` or ``corridor``."""
        if tool != self.tool:
            if self.tool in self.sketch_tools:
                self.sketch_tools[self.tool].cancel()
            self.tool = tool
            self._set_cursor()
            self.tool_changed.emit(tool)

    def _set_cursor(self) -> None:
        cross = self.tool in _CROSS_TOOLS
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if cross else Qt.CursorShape.ArrowCursor)

    def _drop_sketch(self) -> None:
        if self.sketch is not None:
            self.sketch.cancel()

    @property
    def sketch(self) -> SketchTool | None:
        """The active sketching tool, if any."""
        return self.sketch_tools.get(self.tool)

    def item_at(self, pos: QPoint, kinds: tuple[str, ...] = _PICKABLE) -> QGraphicsItem | None:
        """What is under viewport position ``pos``: the first of ``kinds`` found (sites nearest first).

        With many sites in view their markers give way to a batched cloud; a site is then still
        found, by position, and its (hidden) marker returned, so it can be clicked and dragged.
        """
        scene = self.map_scene
        if scene.lod and "site" in kinds:
            site_id = scene.nearest_site(self.mapToScene(pos), _HIT / self.scale_factor)
            if site_id is not None:
                return scene.marker(site_id)
        found = [
            item
            for item in self.items(QRect(pos.x() - _HIT, pos.y() - _HIT, 2 * _HIT, 2 * _HIT))
            if item.data(items.KIND) in kinds
        ]
        if not found:
            return None
        best = min(kinds.index(item.data(items.KIND)) for item in found)
        found = [i for i in found if kinds.index(i.data(items.KIND)) == best]
        return min(found, key=lambda i: (self.mapFromScene(i.scenePos()) - pos).manhattanLength())

    # -- mouse and keys ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position().toPoint()
        if self.tool == "add":
            self.add_site_requested.emit(*to_lonlat(self.mapToScene(pos)))
            return
        if self.sketch is not None:
            self.sketch.press(pos)
            return
        item = self.item_at(pos, ("site", "link"))
        selection = self.document.selection
        toggle = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        kind, key = (item.data(items.KIND), item.data(items.KEY)) if item else (None, None)
        if kind == "site":
            sites = selection.sites ^ {key} if toggle else {key}
            selection.set(sites, selection.circuits if toggle else ())
            offset = item.scenePos() - self.mapToScene(pos)
            self._drag = _Drag(key, pos, offset)
        elif kind == "link":
            circuits = selection.circuits ^ {key} if toggle else {key}
            selection.set(selection.sites if toggle else (), circuits)
        else:
            self._pan, self._panned = pos, False
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        self.cursor_moved.emit(*to_lonlat(self.mapToScene(pos)))
        if self.sketch is not None:
            self.sketch.move(pos)
        elif self._drag is not None:
            drag = self._drag
            if not drag.serial:
                if (pos - drag.start).manhattanLength() < QApplication.startDragDistance():
                    return
                self._drag_serial += 1
                drag.serial = self._drag_serial
            lon, lat = to_lonlat(self.mapToScene(pos) + drag.offset)
            self.site_dragged.emit(drag.site_id, lon, lat, drag.serial)
        elif self._pan is not None:
            delta = pos - self._pan
            self._pan = pos
            self._panned = self._panned or delta.manhattanLength() > 0
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
        elif self.tool == "select":
            over = self.item_at(pos)
            cursor = Qt.CursorShape.OpenHandCursor if over is not None and over.data(items.KIND) == "site" else None
            self.viewport().setCursor(cursor or Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        if self._pan is not None and not self._panned:
            zone = self.item_at(event.position().toPoint(), ("zone",))
            self.document.selection.set(zones=[zone.data(items.KEY)] if zone is not None else ())
        if self._drag is not None and self._drag.serial:
            self.drag_finished.emit()
        self._drag, self._pan = None, None
        self._set_cursor()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.sketch is not None and event.button() == Qt.MouseButton.LeftButton:
            self.sketch.double_click(event.position().toPoint())
        else:
            super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.sketch is not None and self.sketch.active:
            return
        item = self.item_at(event.pos())
        kind, key = (item.data(items.KIND), item.data(items.KEY)) if item is not None else ("", None)
        self.context_menu_requested.emit(kind, key, event.globalPos())

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self.zoom_by(_WHEEL_STEP**delta, event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = 80
        moves = {Qt.Key.Key_Left: (-step, 0), Qt.Key.Key_Right: (step, 0), Qt.Key.Key_Up: (0, -step)}
        moves[Qt.Key.Key_Down] = (0, step)
        if event.key() in moves:
            dx, dy = moves[event.key()]
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx)
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy)
        elif self._sketch_key(event):
            pass
        elif event.key() == Qt.Key.Key_Escape and self.tool != "select":
            self.set_tool("select")
        elif event.key() == Qt.Key.Key_Escape and self.map_scene.risk.choice is not None:
            self.map_scene.risk.clear_failure()
        else:
            super().keyPressEvent(event)

    def _sketch_key(self, event: QKeyEvent) -> bool:
        """Esc drops, Enter completes, Backspace shortens the sketch under way; True if the key was used."""
        sketch = self.sketch
        if sketch is None or not sketch.active:
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape:
            sketch.cancel()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            sketch.finish()
        elif key == Qt.Key.Key_Backspace and isinstance(sketch, CornersTool):
            sketch.undo_corner()
        else:
            return False
        return True

    def event(self, event: QEvent) -> bool:
        # While sketching, Esc, Enter and Backspace belong to the sketch, not to the window's shortcuts.
        sketching = self.sketch is not None and self.sketch.active
        if sketching and event.type() == QEvent.Type.ShortcutOverride and event.key() in _SKETCH_KEYS:
            event.accept()
            return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            item = self.item_at(event.pos())
            text = self.map_scene.tooltip(item) if item is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # keeps the scene point at the centre where it was
        if self._still_fitted():
            self.fit_region(reserve=self._fitted[2])
        self.legend.set_max_height(self.height() - self.scale_bar.height() - 36)  # clear of the scale bar
        self.legend.move(12, 12)
        self._place_legend_button()
        self.scale_bar.move(12, self.height() - self.scale_bar.height() - 12)
        self.attribution.adjustSize()
        self.attribution.setMaximumWidth(max(200, self.width() - self.scale_bar.width() - 40))
        self.attribution.move(self.width() - self.attribution.width(), self.height() - self.attribution.height())
        self._place_banner()
        self._view_changed()

    def leaveEvent(self, event: QEvent) -> None:
        QToolTip.hideText()
        super().leaveEvent(event)
