"""What the map draws for the design's constraints: no-go areas, forbidden and existing links.

No-go areas are hatched translucent polygons under everything else; a forbidden link is a
red dashed line; a link a partner already owns is a pale casing under the circuit that
reuses it (or alone, when the design does not use it). Each item is tagged like a marker
(``KIND``/``KEY``) so the view can select it and offer its context menu.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from planner.core.geo import lonlat_to_mercator
from planner.core.model import ExclusionZone, pair_key
from planner.ui import style
from planner.ui.document import ProjectDocument
from planner.ui.map import items

__all__ = ["ConstraintLayer", "ZoneItem", "zone_path"]

_ZONE_Z, _FORBIDDEN_Z, _EXISTING_Z = 5, 8, 9  # under circuits (10) and markers (20)


def zone_path(zone: ExclusionZone) -> QPainterPath:
    """A no-go area's outline (with any holes) in scene coordinates."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for rings in zone.rings():
        for ring in rings:
            lonlat = np.asarray(ring, dtype=float)
            x, y = lonlat_to_mercator(lonlat[:, 0], lonlat[:, 1])
            path.addPolygon(QPolygonF([QPointF(float(a), -float(b)) for a, b in zip(x, y, strict=True)]))
            path.closeSubpath()
    return path


class ZoneItem(QGraphicsPathItem):
    """A no-go area: translucent fill, diagonal hatching, a red outline (orange when selected)."""

    def __init__(self, index: int, zone: ExclusionZone):
        super().__init__(zone_path(zone))
        self.setZValue(_ZONE_Z)
        self.set_selected(False)
        self.setData(items.KIND, "zone")
        self.setData(items.KEY, index)

    def set_selected(self, selected: bool) -> None:
        pen = QPen(style.SELECTION if selected else style.NO_GO, 3.0 if selected else 1.4)
        pen.setCosmetic(True)
        self.setPen(pen)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        path = self.path()
        for brush in style.no_go_brushes():
            painter.fillPath(path, brush)
        painter.strokePath(path, self.pen())


class ConstraintLayer:
    """Keeps the no-go areas, forbidden links and existing-link casings of a scene in step with the document."""

    def __init__(self, scene, document: ProjectDocument):
        self.scene, self.document = scene, document
        self.zones: list[ZoneItem] = []
        self.lines: dict[tuple[str, tuple[str, str]], QGraphicsLineItem] = {}  # (kind, pair) -> line
        self._at: dict[str, set[tuple[str, tuple[str, str]]]] = defaultdict(set)  # site id -> lines there
        document.project_replaced.connect(self.rebuild)
        document.constraints_changed.connect(self._on_constraints_change)
        document.sites_changed.connect(self._rebuild_lines)
        document.site_changed.connect(self._on_site_change)
        document.selection.changed.connect(self._on_selection_change)
        self.rebuild()

    def rebuild(self) -> None:
        self._rebuild_zones()
        self._rebuild_lines()

    def _on_constraints_change(self, attribute: str) -> None:
        if attribute == "exclusion_zones":
            self._rebuild_zones()
        elif attribute in ("existing_links", "forbidden_links"):
            self._rebuild_lines()

    def _rebuild_zones(self) -> None:
        for item in self.zones:
            self.scene.removeItem(item)
        self.zones = [ZoneItem(i, zone) for i, zone in enumerate(self.document.project.exclusion_zones)]
        for item in self.zones:
            self.scene.addItem(item)
        self._on_selection_change()

    def _rebuild_lines(self) -> None:
        for item in self.lines.values():
            self.scene.removeItem(item)
        self.lines.clear()
        self._at.clear()
        project = self.document.project
        wanted = [("existing", pair_key(e.a, e.b)) for e in project.existing_links]
        wanted += [("forbidden", pair_key(a, b)) for a, b in project.forbidden_links]
        sites = self.document.sites_by_id
        for kind, pair in wanted:
            if pair[0] not in sites or pair[1] not in sites:
                continue
            item = QGraphicsLineItem(self._line(pair))
            item.setPen(style.existing_casing_pen() if kind == "existing" else style.forbidden_pen())
            item.setZValue(_EXISTING_Z if kind == "existing" else _FORBIDDEN_Z)
            item.setData(items.KIND, kind)
            item.setData(items.KEY, pair)
            self.scene.addItem(item)
            self.lines[(kind, pair)] = item
            for site_id in pair:
                self._at[site_id].add((kind, pair))

    def _line(self, pair: tuple[str, str]) -> QLineF:
        return QLineF(self.scene.position(pair[0]), self.scene.position(pair[1]))

    def _on_site_change(self, site_id: str) -> None:
        for key in self._at.get(site_id, ()):
            self.lines[key].setLine(self._line(key[1]))

    def _on_selection_change(self) -> None:
        selected = self.document.selection.zones
        for item in self.zones:
            item.set_selected(item.data(items.KEY) in selected)
