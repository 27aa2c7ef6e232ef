"""Widgets that float over the map: the legend, the scale bar and the data attribution."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from planner.core.design_result import LINK_ROLES
from planner.io.basemap import ATTRIBUTION_SHORT
from planner.ui import style
from planner.ui.document import ProjectDocument

if TYPE_CHECKING:
    from planner.ui.map.scene import MapScene

__all__ = ["Legend", "ScaleBar", "AttributionLabel", "nice_distance"]

_PANEL = QColor(255, 255, 255, 228)
_PIECE = 36  # a swatch, its gap and the space after a label, in a legend row of several
_EDGE = QColor(0, 0, 0, 40)


def _panel(painter: QPainter, rect: QRectF) -> None:
    painter.setPen(QPen(_EDGE, 1))
    painter.setBrush(_PANEL)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)


def nice_distance(metres: float) -> float:
    """The largest 1, 2 or 5 × 10^n metres not above ``metres`` (for a scale bar).

    >>> nice_distance(7300), nice_distance(180), nice_distance(0.9)
    (5000.0, 100.0, 0.5)
    """
    if metres <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(metres))
    return float(max(step * power for step in (1, 2, 5) if step * power <= metres))


class ScaleBar(QWidget):
    """A bar of a round ground distance, kept current by ``set_metres_per_pixel``."""

    WIDTH = 150

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.metres_per_pixel = 0.0
        self.setFixedSize(self.WIDTH + 24, 40)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_metres_per_pixel(self, value: float) -> None:
        if not math.isclose(value, self.metres_per_pixel, rel_tol=1e-6):
            self.metres_per_pixel = value
            self.update()

    def paintEvent(self, event) -> None:
        if self.metres_per_pixel <= 0:
            return
        distance = nice_distance(self.metres_per_pixel * self.WIDTH)
        length = distance / self.metres_per_pixel
        text = f"{distance / 1000:g} km" if distance >= 1000 else f"{distance:g} m"
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _panel(painter, QRectF(0, 0, length + 24, self.height()))
        x0, y = 12.0, 28.0
        painter.setPen(QPen(style.INK, 1.2))
        painter.setBrush(style.INK)
        painter.drawRect(QRectF(x0, y, length / 2, 4))
        painter.setBrush(QColor("white"))
        painter.drawRect(QRectF(x0 + length / 2, y, length / 2, 4))
        painter.setPen(style.INK)
        painter.drawText(QRectF(x0, 4, length, 20), Qt.AlignmentFlag.AlignCenter, text)


class AttributionLabel(QLabel):
    """The basemap's licence attribution, small in the map's corner (required by the OGL)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(ATTRIBUTION_SHORT, parent)
        font = self.font()
        font.setPointSizeF(max(6.5, font.pointSizeF() - 2))
        self.setFont(font)
        self.setStyleSheet("QLabel { background: rgba(255,255,255,200); color: #555; padding: 1px 5px; }")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


class Legend(QWidget):
    """Partners by colour (with their site counts), site roles by shape, circuits by role, and the
    constraints drawn on the map (owned and forbidden links, no-go areas). With traffic, what the
    circuits' colours (worst-case use, when the scene colours by it) and widths (capacity) mean. While
    a risk group is selected or a failure is on show, what their marks mean."""

    ROW = 18
    #: At most this many capacities are keyed (the smallest, the largest and some between).
    MAX_WIDTHS = 5

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None, scene: MapScene | None = None):
        super().__init__(parent)
        self.document = document
        self.scene = scene
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        for signal in (document.project_replaced, document.partners_changed, document.sites_changed):
            signal.connect(self._refresh)
        document.design_changed.connect(self._refresh)
        document.constraints_changed.connect(self._refresh)
        document.settings_changed.connect(self._refresh)
        document.site_changed.connect(self._on_site_change)
        if scene is not None:
            scene.circuit_style_changed.connect(self._refresh)
            scene.risk.changed.connect(self._refresh)
        self._rows: list[tuple[str, object, str]] = []
        self._columns: list[tuple[int, list]] = []
        self._roles: dict[str, str] = {}
        self.max_height = 10_000
        self._keyed: bool | None = None
        #: Folded to its title, out of the map's way (the view's ▾/▸ button and View → Legend).
        self.collapsed = False
        self._refresh()

    def set_collapsed(self, collapsed: bool) -> None:
        if collapsed != self.collapsed:
            self.collapsed = collapsed
            self._layout()

    def _on_site_change(self, site_id: str) -> None:
        """Redraw only when a site's role changed (a drag moves a site many times a second)."""
        site = self.document.sites_by_id.get(site_id)
        if site is not None and self._roles.get(site_id) != site.role:
            self._refresh()

    def _refresh(self) -> None:
        project = self.document.project
        self._roles = {s.id: s.role for s in project.sites}
        counts = project.site_counts
        rows = [("title", "", "Partners")]
        rows += [("partner", p.colour, f"{p.name} ({counts.get(p.id, 0)})") for p in project.partners]
        roles = {s.role for s in project.sites}
        if "hub" in roles or "optional" in roles:
            rows.append(("title", "", "Sites"))
            rows += [("hub", "", "Hub")] if "hub" in roles else []
            rows.append(("site", "", "Site"))
            rows += [("optional", "", "Optional relay")] if "optional" in roles else []
        design = self.document.design
        used = [r for r in LINK_ROLES if design and any(k.role == r for k in design.links)]
        by_use = self.scene is not None and self.scene.use_shown and design is not None
        if used:
            rows.append(("title", "", "Circuits"))
            rows += [("role" if by_use else "link", r, LINK_ROLES[r]) for r in used]
        if by_use:
            rows += self._use_rows(project.settings.max_utilisation)
        if design is not None and (self.scene is None or self.scene.traffic):
            rows += self._width_rows(design)
        marks = [
            ("owned", "", "Owned by a partner", bool(project.existing_links)),
            ("forbidden", "", "Forbidden link", bool(project.forbidden_links)),
            ("zone", "", "No-go area", bool(project.exclusion_zones)),
        ]
        if any(shown for *_, shown in marks):
            rows.append(("title", "", "Constraints"))
            rows += [row for *row, shown in marks if shown]
        rows += self._risk_rows()
        self._rows = rows
        self._layout()
        keyed = bool(project.partners)  # a key to nothing (a new project) would only be clutter
        if keyed != self._keyed:  # shown or hidden only when that changes: presenter mode hides it meanwhile
            self._keyed = keyed
            self.setVisible(keyed)

    def set_max_height(self, height: int) -> None:
        """Keep the legend within ``height`` pixels, in more columns when one would be taller."""
        height = max(self.ROW * 6, height)
        if height != self.max_height:
            self.max_height = height
            self._layout()

    def _layout(self) -> None:
        """Flow the sections into columns no taller than ``max_height`` and draw them once into a pixmap."""
        sections: list[list] = []
        for row in [("title", "", "Legend")] if self.collapsed else self._rows:
            if row[0] == "title" or not sections:
                sections.append([])
            sections[-1].append(row)
        room = max(1, (self.max_height - 14) // self.ROW)
        columns: list[list] = [[]]
        for section in sections:
            if columns[-1] and len(columns[-1]) + len(section) > room:
                columns.append([])
            columns[-1].extend(section)
        self._columns = [(self._column_width(rows), rows) for rows in columns]
        width = sum(w for w, _ in self._columns)
        self.setFixedSize(QSize(width, self.ROW * max(len(rows) for _, rows in self._columns) + 14))
        # Drawn once into a pixmap: the legend floats over the map, which repaints every frame.
        ratio = self.devicePixelRatioF()
        self._pixmap = QPixmap(self.size() * ratio)
        self._pixmap.setDevicePixelRatio(ratio)
        self._pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(self._pixmap)
        self._draw(painter)
        painter.end()
        self.update()

    def _column_width(self, rows) -> int:
        metrics = self.fontMetrics()
        widths = [metrics.horizontalAdvance(t) + 46 for kind, _, t in rows if kind != "scale"]
        widths += [
            sum(metrics.horizontalAdvance(t) + _PIECE for *_, t in pieces) + 24 for k, pieces, _ in rows if k == "scale"
        ]
        return min(max(widths), 320)

    def paintEvent(self, event) -> None:
        QPainter(self).drawPixmap(0, 0, self._pixmap)

    def _risk_rows(self) -> list:
        """The marks of the selected risk groups and of the failure on show (none while neither is)."""
        risk = self.scene.risk if self.scene is not None else None
        if risk is None:
            return []
        rows = [("risk", "", "Selected risk group")] if risk.groups else []
        effect = risk.effect
        if effect is not None:
            rows.append(("lost", "", "Circuit lost"))
            rows += [("lost_site", "", "Site lost")] if effect.lost_sites else []
            rows += [("cut_off", "", "Site cut off")] if effect.cut_off else []
        return [("title", "", "Failure"), *rows] if rows else []

    @staticmethod
    def _use_rows(limit: float) -> list:
        """The colours of worst-case use: under half the capacity, up to the limit, over it (one row)."""
        busy = min(style.BUSY_FROM, limit)
        pieces = [("use", "low", f"<{busy:.0%}")]
        if busy < limit:
            pieces.append(("use", "busy", f"to {limit:.0%}"))
        pieces.append(("use", "over", f">{limit:.0%}"))
        return [("title", "", "Use after the worst failure"), ("scale", tuple(pieces), "")]

    def _width_rows(self, design) -> list:
        """Line width by capacity, for the capacities the design buys (none when all are alike), three a row."""
        labels: dict[int, str] = {}
        for mbps, bandwidth in sorted({(k.capacity_mbps, k.bandwidth) for k in design.links}):
            labels.setdefault(mbps, bandwidth)  # one label per capacity (10x1G and 1x10G alike)
        if len(labels) < 2:
            return []
        keys = sorted(labels)
        if len(keys) > self.MAX_WIDTHS:
            step = (len(keys) - 1) / (self.MAX_WIDTHS - 1)
            keys = [keys[round(i * step)] for i in range(self.MAX_WIDTHS)]
        pieces = [("width", str(k), labels[k]) for k in keys]
        rows = [("title", "", "Capacity (line width)")]
        rows += [("scale", tuple(pieces[i : i + 3]), "") for i in range(0, len(pieces), 3)]
        return rows

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _panel(painter, QRectF(self.rect()))
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = self.fontMetrics()
        left = 0.0
        for width, rows in self._columns:
            y = 7.0
            for kind, value, text in rows:
                if kind == "title":
                    painter.setFont(bold)
                    painter.setPen(style.INK)
                    painter.drawText(QRectF(left + 10, y, width - 16, self.ROW), Qt.AlignmentFlag.AlignVCenter, text)
                    y += self.ROW
                    continue
                painter.setFont(self.font())
                if kind == "scale":  # several swatches and their labels on one line
                    x = left + 9
                    for piece_kind, piece_value, label in value:
                        self._swatch(painter, piece_kind, piece_value, QPointF(x + 9, y + self.ROW / 2))
                        painter.setPen(style.INK)
                        painter.drawText(QRectF(x + 22, y, 200, self.ROW), Qt.AlignmentFlag.AlignVCenter, label)
                        x += metrics.horizontalAdvance(label) + _PIECE
                    y += self.ROW
                    continue
                self._swatch(painter, kind, value, QPointF(left + 18, y + self.ROW / 2))
                painter.setPen(style.INK)
                elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 42)
                rect = QRectF(left + 32, y, width - 38, self.ROW)
                painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, elided)
                y += self.ROW
            left += width

    @staticmethod
    def _swatch(painter: QPainter, kind: str, value: str, c: QPointF) -> None:
        grey = QColor("#7D8B99")
        left, right = QPointF(c.x() - 9, c.y()), QPointF(c.x() + 9, c.y())
        if kind in ("owned", "forbidden", "risk"):
            pens = {"owned": style.existing_casing_pen, "forbidden": style.forbidden_pen, "risk": style.risk_casing_pen}
            pen = QPen(pens[kind]())
            pen.setCosmetic(False)
            painter.setPen(pen)
            painter.drawLine(left, right)
            return
        if kind == "lost":
            for casing in (True, False):
                pen = QPen(style.lost_pen(casing))
                pen.setCosmetic(False)
                painter.setPen(pen)
                painter.drawLine(left, right)
            return
        if kind in ("cut_off", "lost_site"):
            painter.setPen(QPen(style.FAILURE, 2.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if kind == "cut_off":
                painter.drawEllipse(c, 7, 7)
            else:
                painter.drawLine(c + QPointF(-5, -5), c + QPointF(5, 5))
                painter.drawLine(c + QPointF(-5, 5), c + QPointF(5, -5))
            return
        if kind == "zone":
            box = QRectF(c.x() - 9, c.y() - 6, 18, 12)
            for brush in style.no_go_brushes():
                painter.fillRect(box, brush)
            painter.setPen(QPen(style.NO_GO, 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box)
            return
        if kind in ("link", "role", "use", "width"):
            if kind == "link":
                pen = QPen(style.link_pen(value, 1000))
            elif kind == "role":  # the role's dashes, in a neutral grey: the colour says the use
                pen = QPen(style.link_pen(value, 1000, colour="#7D8B99"))
            elif kind == "use":
                pen = QPen(style.link_pen("backbone", 10_000, colour=style.USE_COLOURS[value]))
            else:
                pen = QPen(style.link_pen("backbone", float(value), colour="#4A5866"))
            pen.setCosmetic(False)
            painter.setPen(pen)
            painter.drawLine(left, right)
            return
        if kind == "hub":
            path = QPainterPath()
            path.addPolygon(QPolygonF([c + QPointF(0, -7), c + QPointF(7, 0), c + QPointF(0, 7), c + QPointF(-7, 0)]))
            path.closeSubpath()
            painter.setPen(QPen(QColor("white"), 1.4))
            painter.setBrush(grey)
            painter.drawPath(path)
            return
        colour = QColor(value) if kind == "partner" else grey
        if kind == "optional":
            painter.setPen(QPen(grey, 2.2))
            painter.setBrush(QColor("white"))
        else:
            painter.setPen(QPen(QColor("white"), 1.4))
            painter.setBrush(colour)
        painter.drawEllipse(c, 5.5, 5.5)
