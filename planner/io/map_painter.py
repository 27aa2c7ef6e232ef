"""The network map drawn with QPainter, for the PDF board pack (and any printed or PNG map).

Web Mercator like the app's map scene, over the offline basemap
(``planner/io/basemap.py``): sea, land, county boundaries, no-go areas and
forbidden links, then circuits styled by role, then sites filled with their
partner's colour (hubs as squares, labelled), a scale bar, a north arrow and the
basemap attribution, which every printed map must carry.
``paint_legend`` draws the matching key.

Sizes are in millimetres on paper: ``mm`` is the device pixels per millimetre.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QApplication

from planner.core.design_result import LINK_ROLES, Design
from planner.core.geo import lonlat_to_mercator
from planner.core.model import Project
from planner.core.words import short_name
from planner.io import map_colours
from planner.io.basemap import ATTRIBUTION_SHORT, basemap_layer

__all__ = [
    "RoleStyle",
    "ROLE_STYLES",
    "MapFrame",
    "map_frame",
    "extent_frame",
    "ensure_gui",
    "paint_network_map",
    "paint_legend",
    "font",
    "FONT_FAMILY",
]

FONT_FAMILY = "DejaVu Sans"
# The app's map colours (planner/io/map_colours.py), so the printed map looks like the screen.
_SEA = QColor(map_colours.SEA)
_LAND = QColor(map_colours.LAND)
_COAST = QColor(map_colours.COAST)
_BOUNDARY = QColor(map_colours.COUNTY_EDGE)
_INK = QColor("#1B2631")
_GREY = QColor("#5D6D7E")


_APP: QApplication | None = None


def ensure_gui() -> None:
    """Qt needs an application object to use fonts; the command line has none, so make an offscreen one.

    A widgets ``QApplication``, not a bare ``QGuiApplication``, so that windows can
    still be opened later in the same process (the app, or a test session).
    """
    global _APP
    if QCoreApplication.instance() is None:
        args = ["planner"] if os.environ.get("QT_QPA_PLATFORM") else ["planner", "-platform", "offscreen"]
        _APP = QApplication(args)


@dataclass(frozen=True)
class RoleStyle:
    """How circuits of one role are drawn: colour, width in mm, and Qt pen style (dashes survive greyscale)."""

    colour: str
    width_mm: float
    pen: Qt.PenStyle


#: Circuit styles by role, drawn in this order (so backbone lies over protection); the app's colours and dashes.
ROLE_STYLES: dict[str, RoleStyle] = {
    "existing": RoleStyle(map_colours.ROLE_COLOURS["existing"], 1.0, Qt.PenStyle.SolidLine),
    "protection": RoleStyle(map_colours.ROLE_COLOURS["protection"], 0.5, Qt.PenStyle.DashLine),
    "access": RoleStyle(map_colours.ROLE_COLOURS["access"], 0.5, Qt.PenStyle.DotLine),
    "backbone": RoleStyle(map_colours.ROLE_COLOURS["backbone"], 0.7, Qt.PenStyle.SolidLine),
}


def font(size_pt: float, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPointSizeF(size_pt)
    f.setBold(bold)
    return f


@dataclass(frozen=True)
class MapFrame:
    """Which Web Mercator rectangle is drawn into which device rectangle."""

    target: QRectF
    x0: float
    y0: float
    scale: float  # device pixels per mercator metre

    def point(self, x: float, y: float) -> QPointF:
        return QPointF(
            self.target.left() + (x - self.x0) * self.scale, self.target.bottom() - (y - self.y0) * self.scale
        )

    def points(self, xy: np.ndarray) -> QPolygonF:
        px = self.target.left() + (xy[:, 0] - self.x0) * self.scale
        py = self.target.bottom() - (xy[:, 1] - self.y0) * self.scale
        return QPolygonF([QPointF(a, b) for a, b in zip(px.tolist(), py.tolist(), strict=True)])

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) in mercator metres."""
        return (
            self.x0,
            self.y0,
            self.x0 + self.target.width() / self.scale,
            self.y0 + self.target.height() / self.scale,
        )


def extent_frame(extent: tuple[float, float, float, float], target: QRectF) -> MapFrame:
    """The frame that shows the mercator rectangle ``extent`` (xmin, ymin, xmax, ymax) whole, centred in ``target``."""
    xmin, ymin, xmax, ymax = extent
    scale = min(target.width() / max(xmax - xmin, 1.0), target.height() / max(ymax - ymin, 1.0))
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return MapFrame(target, cx - target.width() / scale / 2, cy - target.height() / scale / 2, scale)


def map_frame(project: Project, target: QRectF, margin: float = 0.08, min_span_m: float = 30_000) -> MapFrame:
    """The frame that fits every site of ``project`` into ``target`` with a margin, keeping the aspect."""
    lon = np.array([s.lon for s in project.sites] or [-1.5], dtype=float)
    lat = np.array([s.lat for s in project.sites] or [53.5], dtype=float)
    x, y = (np.asarray(v, dtype=float) for v in lonlat_to_mercator(lon, lat))
    cx, cy = (x.min() + x.max()) / 2, (y.min() + y.max()) / 2
    width = max(x.max() - x.min(), min_span_m) * (1 + 2 * margin)
    height = max(y.max() - y.min(), min_span_m) * (1 + 2 * margin)
    scale = min(target.width() / width, target.height() / height)
    span_x, span_y = target.width() / scale, target.height() / scale
    return MapFrame(target, cx - span_x / 2, cy - span_y / 2, scale)


def _visible(bounds, rings) -> bool:
    xmin, ymin, xmax, ymax = bounds
    for ring in rings:
        if (
            ring[:, 0].max() >= xmin
            and ring[:, 0].min() <= xmax
            and ring[:, 1].max() >= ymin
            and ring[:, 1].min() <= ymax
        ):
            return True
    return False


def _paint_basemap(painter: QPainter, frame: MapFrame, mm: float) -> None:
    painter.fillRect(frame.target, _SEA)
    land = QPainterPath()
    land.setFillRule(Qt.FillRule.OddEvenFill)
    for feature in basemap_layer("land"):
        for polygon in feature.polygons:
            if _visible(frame.bounds, polygon[:1]):
                for ring in polygon:
                    land.addPolygon(frame.points(ring))
    painter.setPen(QPen(_COAST, 0.25 * mm))
    painter.setBrush(_LAND)
    painter.drawPath(land)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(_BOUNDARY, 0.18 * mm))
    for feature in basemap_layer("counties"):
        for polygon in feature.polygons:
            if _visible(frame.bounds, polygon[:1]):
                for ring in polygon:
                    painter.drawPolygon(frame.points(ring))


def _paint_constraints(painter: QPainter, frame: MapFrame, project: Project, xy: dict, mm: float) -> None:
    """No-go areas (tinted, outlined) and forbidden links (dashed), in the app's red, under the circuits."""
    no_go = QColor(map_colours.NO_GO)
    tint = QColor(no_go)
    tint.setAlpha(45)
    painter.setPen(QPen(no_go, 0.3 * mm))
    painter.setBrush(tint)
    for zone in project.exclusion_zones:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for rings in zone.rings():
            for ring in rings:
                x, y = lonlat_to_mercator(*np.asarray(ring, dtype=float).T)
                path.addPolygon(frame.points(np.column_stack([x, y])))
                path.closeSubpath()
        painter.drawPath(path)
    painter.setPen(QPen(no_go, 0.35 * mm, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap))
    for a, b in project.forbidden_links:
        if a in xy and b in xy:
            painter.drawLine(frame.point(*xy[a]), frame.point(*xy[b]))


def _halo_text(painter: QPainter, where: QRectF, text: str, size_pt: float, mm: float) -> None:
    """Text in ``where`` with a white halo, readable over lines and boundaries."""
    painter.setFont(font(size_pt))
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    painter.setPen(QColor(255, 255, 255, 235))
    step = 0.3 * mm
    for dx, dy in ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
        painter.drawText(where.translated(dx * step, dy * step), flags, text)
    painter.setPen(_INK)
    painter.drawText(where, flags, text)


def _label_hubs(
    painter: QPainter, frame: MapFrame, hubs: list[tuple[QPointF, str]], obstacles: list[QRectF], mm: float
):
    """Label each hub to its right, left, above or below: the first place that hits no label or site."""
    metrics = QFontMetricsF(font(7), painter.device())
    placed: list[QRectF] = []
    for centre, text in hubs:
        w, h, gap = metrics.horizontalAdvance(text) + 0.6 * mm, metrics.height(), 2.4 * mm
        candidates = [
            QRectF(centre.x() + gap, centre.y() - h / 2, w, h),
            QRectF(centre.x() - gap - w, centre.y() - h / 2, w, h),
            QRectF(centre.x() - w / 2, centre.y() - gap - h, w, h),
            QRectF(centre.x() - w / 2, centre.y() + gap, w, h),
        ]

        def clashes(rect: QRectF) -> int:
            inside = frame.target.contains(rect)
            return sum(rect.intersects(o) for o in placed + obstacles) + (0 if inside else 100)

        best = min(candidates, key=clashes)  # ties keep the order above: right first
        placed.append(best)
        _halo_text(painter, best, text, 7, mm)


def _paint_scale_bar(painter: QPainter, frame: MapFrame, mm: float, lat: float) -> None:
    metres_per_px = 1 / (frame.scale / math.cos(math.radians(lat)))  # ground metres per device pixel
    target_km = metres_per_px * 30 * mm / 1000
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000) if s >= target_km * 0.6)
    length = step * 1000 / metres_per_px
    x, y = frame.target.left() + 5 * mm, frame.target.bottom() - 6 * mm
    painter.setPen(QPen(_INK, 0.3 * mm))
    painter.setBrush(QColor("white"))
    painter.drawRect(QRectF(x, y, length / 2, 1.2 * mm))
    painter.setBrush(_INK)
    painter.drawRect(QRectF(x + length / 2, y, length / 2, 1.2 * mm))
    _halo_text(painter, QRectF(x - 0.8 * mm, y - 4.4 * mm, 6 * mm, 3.6 * mm), "0", 7, mm)
    _halo_text(painter, QRectF(x + length - 1.5 * mm, y - 4.4 * mm, 20 * mm, 3.6 * mm), f"{step} km", 7, mm)


def _paint_north_arrow(painter: QPainter, frame: MapFrame, mm: float) -> None:
    """An arrow and "N" in the top right corner: north is straight up in Web Mercator."""
    top = QPointF(frame.target.right() - 7 * mm, frame.target.top() + 4 * mm)
    corners = [(0, 0), (2.4, 7), (0, 5.4), (-2.4, 7)]  # mm from the tip: an arrowhead with a notch
    arrow = QPolygonF([top + QPointF(x * mm, y * mm) for x, y in corners])
    painter.setPen(QPen(QColor("white"), 0.5 * mm))
    painter.setBrush(_INK)
    painter.drawPolygon(arrow)
    _halo_text(painter, QRectF(top.x() - 2 * mm, top.y() + 7.4 * mm, 4 * mm, 4 * mm), "N", 8, mm)


def paint_network_map(
    painter: QPainter, target: QRectF, project: Project, design: Design | None, mm: float, frame: MapFrame | None = None
) -> MapFrame:
    """Draw the basemap, circuits by role and sites by partner into ``target``; returns the frame used.

    ``frame`` says which part of the map to draw (default: every site, fitted); with no
    ``design`` the sites are drawn alone.
    """
    frame = frame or map_frame(project, target)
    links = design.links if design is not None else ()
    sites = project.sites_by_id
    colours = {p.id: QColor(p.colour) for p in project.partners}
    xy = {s.id: lonlat_to_mercator(s.lon, s.lat) for s in project.sites}
    painter.save()
    painter.setClipRect(target)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_basemap(painter, frame, mm)
    _paint_constraints(painter, frame, project, xy, mm)
    for role, style in ROLE_STYLES.items():
        pen = QPen(QColor(style.colour), style.width_mm * mm, style.pen, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for link in links:
            if link.role == role and link.a in xy and link.b in xy:
                painter.drawLine(frame.point(*xy[link.a]), frame.point(*xy[link.b]))
    in_design = (set(design.sites) if design is not None else set()) | {end for k in links for end in (k.a, k.b)}
    for site in sorted(project.sites, key=lambda s: s.role == "hub"):  # hubs on top
        centre = frame.point(*xy[site.id])
        painter.setBrush(colours.get(site.partner, QColor("#777777")))
        if site.role == "hub":
            painter.setPen(QPen(_INK, 0.35 * mm))
            painter.drawRect(QRectF(centre.x() - 1.7 * mm, centre.y() - 1.7 * mm, 3.4 * mm, 3.4 * mm))
        else:
            painter.setPen(QPen(QColor("white") if site.id in in_design else _GREY, 0.3 * mm))
            painter.drawEllipse(centre, 1.25 * mm, 1.25 * mm)
    symbols = [
        QRectF(frame.point(*xy[s.id]) - QPointF(1.7 * mm, 1.7 * mm), QSizeF(3.4 * mm, 3.4 * mm)) for s in project.sites
    ]
    hubs = [(frame.point(*xy[s.id]), short_name(s.name)) for s in project.sites if s.role == "hub"]
    _label_hubs(painter, frame, hubs, symbols, mm)
    lat = sum(s.lat for s in sites.values()) / len(sites) if sites else 53.5
    _paint_scale_bar(painter, frame, mm, lat)
    _paint_north_arrow(painter, frame, mm)
    painter.setFont(font(6))
    metrics = QFontMetricsF(painter.font())
    text_rect = QRectF(
        target.left(), target.bottom() - metrics.height() - 0.6 * mm, target.width() - mm, metrics.height()
    )
    painter.fillRect(
        QRectF(
            target.right() - metrics.horizontalAdvance(ATTRIBUTION_SHORT) - 2 * mm,
            text_rect.top(),
            target.width(),
            10 * mm,
        ),
        QColor(255, 255, 255, 200),
    )
    painter.setPen(_GREY)
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, ATTRIBUTION_SHORT)
    painter.restore()
    painter.setPen(QPen(_GREY, 0.2 * mm))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(target)
    return frame


def paint_legend(painter: QPainter, target: QRectF, project: Project, design: Design | None, mm: float) -> None:
    """The key to ``paint_network_map``: circuit roles present, site symbols, and partners by colour."""
    painter.save()
    x, y = target.left(), target.top()
    line = 5.2 * mm

    def heading(text: str) -> None:
        nonlocal y
        painter.setPen(_INK)
        painter.setFont(font(9, bold=True))
        painter.drawText(QPointF(x, y + 3.5 * mm), text)
        y += line + 0.8 * mm

    def label(text: str) -> None:
        painter.setPen(_INK)
        painter.setFont(font(8))
        metrics = QFontMetricsF(painter.font())
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, target.width() - 11 * mm)
        painter.drawText(QPointF(x + 11 * mm, y + 1.1 * mm), shown)

    heading("Circuits")
    links = design.links if design is not None else ()
    counts = {role: sum(k.role == role for k in links) for role in ROLE_STYLES}
    for role in ("backbone", "protection", "access", "existing"):
        if counts[role]:
            style = ROLE_STYLES[role]
            painter.setPen(QPen(QColor(style.colour), style.width_mm * mm, style.pen, Qt.PenCapStyle.RoundCap))
            painter.drawLine(QPointF(x, y), QPointF(x + 8 * mm, y))
            label(f"{LINK_ROLES[role]} ({counts[role]})")
            y += line
    no_go = QColor(map_colours.NO_GO)
    if project.forbidden_links:
        painter.setPen(QPen(no_go, 0.35 * mm, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap))
        painter.drawLine(QPointF(x, y), QPointF(x + 8 * mm, y))
        label(f"Forbidden link ({len(project.forbidden_links)})")
        y += line
    if project.exclusion_zones:
        tint = QColor(no_go)
        tint.setAlpha(45)
        painter.setPen(QPen(no_go, 0.3 * mm))
        painter.setBrush(tint)
        painter.drawRect(QRectF(x + 1 * mm, y - 1.5 * mm, 6 * mm, 3 * mm))
        label(f"No-go area ({len(project.exclusion_zones)})")
        y += line
    y += 2 * mm
    heading("Sites")
    painter.setPen(QPen(_INK, 0.35 * mm))
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawRect(QRectF(x + 2.3 * mm, y - 1.7 * mm, 3.4 * mm, 3.4 * mm))
    label("Hub (core site), labelled")
    y += line
    painter.setPen(QPen(_GREY, 0.3 * mm))
    painter.drawEllipse(QPointF(x + 4 * mm, y), 1.25 * mm, 1.25 * mm)
    label("Site, coloured by partner")
    y += line + 2 * mm
    heading("Partners")
    sites = project.site_counts
    for partner in project.partners:
        if y > target.bottom() - line:
            label(f"... and {len(project.partners) - list(project.partners).index(partner)} more")
            break
        painter.setPen(QPen(QColor("white"), 0.3 * mm))
        painter.setBrush(QColor(partner.colour))
        painter.drawEllipse(QPointF(x + 4 * mm, y), 1.6 * mm, 1.6 * mm)
        label(f"{partner.name} ({sites[partner.id]})")
        y += line
    painter.restore()
