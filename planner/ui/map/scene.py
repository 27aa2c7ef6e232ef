"""The map scene: keeps markers, circuits, labels and selection in step with the document.

Coordinates are Web Mercator metres with y flipped (north up on screen). The scene only
draws what the document holds; figures shown in tooltips are read from the design.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsScene

from planner.core.design_result import LINK_ROLES, DesignLink
from planner.core.geo import grid_reference, lonlat_to_bng, lonlat_to_mercator, mercator_to_lonlat
from planner.core.model import Site, pair_key
from planner.core.money import format_gbp
from planner.core.traffic import has_traffic
from planner.core.words import short_name
from planner.ui import style
from planner.ui.document import ProjectDocument, format_mbps
from planner.ui.map import items
from planner.ui.map.constraints import ConstraintLayer
from planner.ui.map.labels import place_labels
from planner.ui.map.risk import RiskLayer

__all__ = ["MapScene", "to_scene", "to_lonlat", "describe_place", "LOD_SITES", "GB_EXTENT"]

#: Above this many sites on screen the map draws the batched "cloud" instead of markers.
LOD_SITES = 500
_NO_PARTNER = "#777777"  # a site whose partner is missing
#: At most this many labels are laid out at once; beyond it only hubs are named.
MAX_LABELS = 400
#: Great Britain and Ireland in scene coordinates: the region shown for an empty project.
#: Great Britain and Ireland in scene metres (lon -11..2, lat 49.5..61.5; scene y is north up, negated).
GB_EXTENT = QRectF(-1_225_000, -8_760_000, 1_450_000, 2_400_000)
#: How far beyond the region (and Great Britain) the map can be panned.
PAN_MARGIN = 600_000
_ROLE_PRIORITY = {"hub": 2, "site": 1, "optional": 0}


def to_scene(lon: float, lat: float) -> QPointF:
    """Scene coordinates of a WGS84 point (Web Mercator metres, y down)."""
    x, y = lonlat_to_mercator(lon, lat)
    return QPointF(float(x), -float(y))


def to_lonlat(point: QPointF) -> tuple[float, float]:
    lon, lat = mercator_to_lonlat(point.x(), -point.y())
    return float(lon), float(lat)


def describe_place(lon: float, lat: float) -> str:
    """``53.79648° N, 1.54785° W · SE 29859 33492``: how the status bar and tooltips name a place."""
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    text = f"{abs(lat):.5f}° {ns}, {abs(lon):.5f}° {ew}"
    ref = grid_reference(*lonlat_to_bng(lon, lat))
    return f"{text} · {ref}" if ref else text


class MapScene(QGraphicsScene):
    """Basemap plus the document's sites, the shown design's circuits, labels and selection."""

    #: Emitted after the markers are rebuilt or moved, so the view can redo LOD and labels.
    contents_changed = Signal()
    #: Whether circuits are coloured by their worst-case use, or whether that can be offered, changed.
    circuit_style_changed = Signal()

    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self._cover(QRectF())
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.site_cloud = items.SiteCloudItem(20)
        self.link_cloud = items.LinkCloudItem(10)
        for item in (self.site_cloud, self.link_cloud):
            self.addItem(item)
        self.site_cloud.hide()
        self.link_cloud.hide()
        self.lod = False
        self.labels_on = True
        #: The user's choice (View → Colour Circuits by Worst-Case Use); it shows only with traffic.
        self.colour_by_use = True
        self.traffic = has_traffic(document.project)
        self._markers: dict[str, QGraphicsItem] = {}
        self._shown: dict[str, Site] = {}  # the site value each marker shows
        self._positions: dict[str, QPointF] = {}
        self._links: dict[str, QGraphicsLineItem] = {}
        self._links_at: dict[str, set[str]] = defaultdict(set)
        self._labels: dict[str, items.LabelItem] = {}
        self._halos: list[QGraphicsItem] = []
        self._xy = np.zeros((0, 2))
        self._ids: list[str] = []
        self._row: dict[str, int] = {}

        document.project_replaced.connect(self._rebuild)
        document.sites_changed.connect(self._on_sites_change)
        document.site_changed.connect(self._on_site_change)
        document.partners_changed.connect(self._restyle_markers)
        document.design_changed.connect(self._on_design_change)
        document.selection.changed.connect(self._on_selection_change)
        document.settings_changed.connect(self._restyle_circuits)  # the utilisation limit
        for signal in (document.demands_changed, document.sites_changed):
            signal.connect(self._on_traffic_change)
        document.site_changed.connect(self._on_traffic_change)
        self._rebuild()
        # After the scene's own connections, so site positions are current when the layer follows them.
        self.constraints = ConstraintLayer(self, document)
        #: The selected risk groups and the failure on show.
        self.risk = RiskLayer(self, document)

    # -- look-ups --------------------------------------------------------------------------
    def position(self, site_id: str) -> QPointF:
        """Where a site's marker is, in scene coordinates."""
        return QPointF(self._positions[site_id])

    def marker(self, site_id: str) -> QGraphicsItem:
        return self._markers[site_id]

    def link_item(self, circuit_id: str) -> QGraphicsLineItem:
        return self._links[circuit_id]

    def sites_rect(self) -> QRectF:
        """The bounding rectangle of every site (empty when there are none)."""
        if not len(self._xy):
            return QRectF()
        (x0, y0), (x1, y1) = self._xy.min(axis=0), self._xy.max(axis=0)
        return QRectF(QPointF(x0, y0), QPointF(x1, y1))

    def sites_in(self, rect: QRectF) -> list[str]:
        """Ids of the sites inside ``rect`` (vectorised; used when the view settles, not per frame)."""
        if not len(self._xy):
            return []
        x, y = self._xy[:, 0], self._xy[:, 1]
        inside = (x >= rect.left()) & (x <= rect.right()) & (y >= rect.top()) & (y <= rect.bottom())
        return [self._ids[i] for i in np.flatnonzero(inside)]

    def nearest_site(self, point: QPointF, within: float) -> str | None:
        """The id of the site nearest ``point`` no further than ``within`` scene units, or ``None``.

        How sites are picked while the batched cloud stands in for their markers (many sites in view).
        """
        if not len(self._xy):
            return None
        squared = ((self._xy - (point.x(), point.y())) ** 2).sum(axis=1)
        nearest = int(np.argmin(squared))
        return self._ids[nearest] if squared[nearest] <= within**2 else None

    def tooltip(self, item: QGraphicsItem) -> str:
        """Rich text describing the site or circuit ``item`` shows, with its figures."""
        kind, key = item.data(items.KIND), item.data(items.KEY)
        if kind == "site":
            return self._site_tooltip(self.document.sites_by_id[key])
        if kind == "link":
            return self._link_tooltip(self.document.design_link(key))
        if kind == "zone":
            name = _html(self.document.project.exclusion_zones[key].name)
            return f"<b>{name}</b><br>No-go area: no new circuit crosses it"
        if kind in ("existing", "forbidden"):
            return self._constraint_tooltip(kind, key)
        return ""

    # -- building ----------------------------------------------------------------------------
    def _rebuild(self) -> None:
        for item in [*self._markers.values(), *self._links.values(), *self._labels.values()]:
            self.removeItem(item)
        self._markers.clear()
        self._shown.clear()
        self._links.clear()
        self._links_at.clear()
        self._labels.clear()
        self._positions.clear()
        self.traffic = has_traffic(self.document.project)
        self._on_sites_change()
        self._on_design_change()
        self.circuit_style_changed.emit()

    def _on_sites_change(self) -> None:
        sites = self.document.project.sites
        current = {s.id: s for s in sites}
        for site_id in [k for k, shown in self._shown.items() if current.get(k) != shown]:
            self.removeItem(self._markers.pop(site_id))
            self._positions.pop(site_id, None)
            del self._shown[site_id]
            label = self._labels.pop(site_id, None)
            if label is not None:
                self.removeItem(label)
        new = [s for s in sites if s.id not in self._markers]
        if new:
            x, y = lonlat_to_mercator(np.array([s.lon for s in new]), np.array([s.lat for s in new]))
            for site, sx, sy in zip(new, np.atleast_1d(x), np.atleast_1d(y), strict=True):
                self._positions[site.id] = QPointF(float(sx), -float(sy))
                self._add_marker(site)
        self._reindex()
        self._on_selection_change()

    def _add_marker(self, site: Site) -> None:
        self._shown[site.id] = site
        marker = items.make_marker(site.id, site.role)
        marker.setPos(self._positions[site.id])
        marker.setVisible(not self.lod)
        items.style_marker(marker, self._colour(site), site.role)
        self.addItem(marker)
        self._markers[site.id] = marker

    def _colour(self, site: Site) -> QColor:
        partner = self.document.project.partners_by_id.get(site.partner)
        return QColor(partner.colour if partner else _NO_PARTNER)

    def _restyle_markers(self) -> None:
        colours = {p.id: QColor(p.colour) for p in self.document.project.partners}
        for site in self.document.project.sites:
            items.style_marker(self._markers[site.id], colours.get(site.partner, QColor(_NO_PARTNER)), site.role)
        self._refresh_cloud()

    def _on_site_change(self, site_id: str) -> None:
        site = self.document.sites_by_id[site_id]
        old = self._markers.pop(site_id)
        self.removeItem(old)
        self._positions[site_id] = to_scene(site.lon, site.lat)
        self._add_marker(site)
        label = self._labels.get(site_id)
        if label is not None and label.text != (short_name(site.name), site.role == "hub"):
            self.removeItem(self._labels.pop(site_id))
        elif label is not None:  # same text: follow the marker until the labels are laid out again
            label.setPos(label.pos() + self._positions[site_id] - old.pos())
        for circuit_id in self._links_at.get(site_id, ()):
            link = self.document.design_link(circuit_id)
            if link is not None:
                self._links[circuit_id].setLine(self._line(link))
        self._xy[self._row[site_id]] = (self._positions[site_id].x(), self._positions[site_id].y())
        self._refresh_cloud()
        self.contents_changed.emit()
        self._on_selection_change()

    def _reindex(self) -> None:
        """Rebuild the position array used for LOD and labels (after sites are added or removed)."""
        self._ids = [s.id for s in self.document.project.sites]
        self._row = {site_id: n for n, site_id in enumerate(self._ids)}
        self._xy = np.array([(self._positions[i].x(), self._positions[i].y()) for i in self._ids]).reshape(-1, 2)
        self._cover(self.sites_rect())
        self._refresh_cloud()
        self.contents_changed.emit()

    def _cover(self, sites: QRectF) -> None:
        """Let the view pan over Great Britain and every site, with a margin (a region abroad too)."""
        area = GB_EXTENT.united(sites) if not sites.isNull() else GB_EXTENT
        grown = area.adjusted(-PAN_MARGIN, -PAN_MARGIN, PAN_MARGIN, PAN_MARGIN).united(self.sceneRect())
        if grown != self.sceneRect():
            self.setSceneRect(grown)

    def _refresh_cloud(self) -> None:
        if not self.lod:
            return
        by_colour: dict[str, list[QPointF]] = defaultdict(list)
        colours = {p.id: p.colour for p in self.document.project.partners}  # once: it runs at every move
        positions = self._positions
        for site in self.document.project.sites:
            by_colour[colours.get(site.partner, _NO_PARTNER)].append(positions[site.id])
        self.site_cloud.set_sites(by_colour)
        by_style: dict[tuple[str, str], list[tuple[QPointF, QPointF]]] = defaultdict(list)
        design = self.document.design
        for link in design.links if design else ():
            if link.a in self._positions and link.b in self._positions:
                by_style[(link.role, self._use_colour(link))].append((self._positions[link.a], self._positions[link.b]))
        self.link_cloud.set_links(by_style)

    # -- circuits -----------------------------------------------------------------------------
    def _line(self, link: DesignLink) -> QLineF:
        return QLineF(self._positions[link.a], self._positions[link.b])

    # -- how circuits are drawn: width by capacity, colour by role or by worst-case use ----------------
    @property
    def use_shown(self) -> bool:
        """Whether circuits are coloured by their worst-case use now (chosen, and the project has traffic)."""
        return self.colour_by_use and self.traffic

    def set_colour_by_use(self, on: bool) -> None:
        """Colour circuits by their worst-case use (when the project has traffic), or by role."""
        if on != self.colour_by_use:
            self.colour_by_use = on
            self._restyle_circuits()
            self._on_selection_change()
            self.circuit_style_changed.emit()

    def _use_colour(self, link: DesignLink) -> str:
        """The colour ``link`` is drawn in when coloured by use ("" for its role's colour)."""
        if not self.use_shown:
            return ""
        return style.use_colour(link.worst_utilisation, self.document.project.settings.max_utilisation)

    def link_pen(self, link: DesignLink) -> QPen:
        """The pen a circuit is drawn with in the editor: its capacity's width, its role's dashes, and its
        role's colour or (coloured by use) its worst-case use's."""
        return style.link_pen(link.role, link.capacity_mbps, colour=self._use_colour(link))

    def _on_traffic_change(self, *_) -> None:
        """A demand or a site's traffic changed: offer colouring by use only while there is traffic."""
        traffic = has_traffic(self.document.project)
        if traffic != self.traffic:
            self.traffic = traffic
            self._restyle_circuits()
            self._on_selection_change()
            self.circuit_style_changed.emit()

    def _restyle_circuits(self) -> None:
        design = self.document.design
        for link in design.links if design else ():
            item = self._links.get(link.circuit_id)
            if item is not None:
                item.setPen(self.link_pen(link))
        self._refresh_cloud()

    def _on_design_change(self) -> None:
        design = self.document.design
        wanted = {k.circuit_id: k for k in design.links} if design else {}
        wanted = {c: k for c, k in wanted.items() if k.a in self._positions and k.b in self._positions}
        for circuit_id in [c for c in self._links if c not in wanted]:
            self.removeItem(self._links.pop(circuit_id))
        self._links_at.clear()
        for circuit_id, link in wanted.items():
            pen = self.link_pen(link)
            item = self._links.get(circuit_id)
            if item is None:
                a, b = self._positions[link.a], self._positions[link.b]
                item = self._links[circuit_id] = items.make_link(circuit_id, a, b, pen)
                item.setVisible(not self.lod)
                self.addItem(item)
            else:
                item.setLine(self._line(link))
                item.setPen(pen)
            self._links_at[link.a].add(circuit_id)
            self._links_at[link.b].add(circuit_id)
        self._refresh_cloud()
        self._on_selection_change()

    # -- selection ------------------------------------------------------------------------------
    def _on_selection_change(self) -> None:
        for halo in self._halos:
            self.removeItem(halo)
        self._halos = []
        selection = self.document.selection
        sites = self.document.sites_by_id
        for site_id in selection.sites:
            if site_id in self._positions:
                halo = items.make_halo(items.MARKER_SIZE.get(sites[site_id].role, 11.0))
                halo.setPos(self._positions[site_id])
                halo.setZValue(19)
                self.addItem(halo)
                self._halos.append(halo)
        # Coloured by use, the selection's amber would read as a busy circuit: a dark casing instead.
        casing = style.SELECTED_CIRCUIT_BY_USE if self.use_shown else None
        for circuit_id in selection.circuits:
            if circuit_id in self._links:
                halo = items.make_halo(colour=casing)
                halo.setLine(self._links[circuit_id].line())
                halo.setZValue(9)
                self.addItem(halo)
                self._halos.append(halo)

    # -- level of detail and labels ----------------------------------------------------------
    def set_lod(self, lod: bool) -> None:
        """Draw the batched cloud (``True``) or individual markers and circuits."""
        if lod == self.lod:
            return
        self.lod = lod
        self._refresh_cloud()
        self.site_cloud.setVisible(lod)
        self.link_cloud.setVisible(lod)
        # O(n), but only when the zoom crosses the threshold, never per frame
        for item in (*self._markers.values(), *self._links.values()):
            item.setVisible(not lod)

    def layout_labels(self, visible: QRectF, scale: float) -> None:
        """Show the names that fit without overlap for the sites in ``visible`` at ``scale`` px/m."""
        shown: dict[str, tuple[float, float]] = {}
        if self.labels_on and not self.lod:
            sites = self.document.sites_by_id
            ids = self.sites_in(visible)
            if len(ids) > MAX_LABELS:
                ids = [i for i in ids if sites[i].role == "hub"][:MAX_LABELS]
            selected = self.document.selection.sites
            candidates = []
            for site_id in ids:
                site = sites[site_id]
                p = self._positions[site_id]
                w, h = items.LabelItem.size(short_name(site.name), site.role == "hub")
                priority = 10 * (site_id in selected) + _ROLE_PRIORITY.get(site.role, 1) - self._row[site_id] / 1e6
                candidates.append((site_id, p.x() * scale, p.y() * scale, w, h, priority))
            edges = (visible.left() * scale, visible.top() * scale, visible.right() * scale, visible.bottom() * scale)
            shown = place_labels(candidates, marker=items.MARKER_SIZE["hub"], bounds=edges)
        for site_id in [k for k in self._labels if k not in shown]:
            self._labels[site_id].hide()
        for site_id, (dx, dy) in shown.items():
            label = self._labels.get(site_id)
            if label is None:
                site = self.document.sites_by_id[site_id]
                label = self._labels[site_id] = items.LabelItem(short_name(site.name), site.role == "hub")
                label.setZValue(30)
                self.addItem(label)
            label.setPos(self._positions[site_id] + QPointF(dx, dy) / scale)
            label.show()

    # -- tooltips --------------------------------------------------------------------------------
    def _site_tooltip(self, site: Site) -> str:
        partner = self.document.project.partners_by_id.get(site.partner)
        design = self.document.design
        links = [k for k in design.links if site.id in (k.a, k.b)] if design else []
        lines = [
            f"<b>{_html(site.name)}</b> <span style='color:#666'>({_html(site.id)})</span>",
            f"{_html(partner.name if partner else site.partner)} · {site.role}",
            describe_place(site.lon, site.lat),
        ]
        if design:
            annual = sum(k.annual for k in links)
            lines.append(f"{len(links)} circuits here, {format_gbp(annual)} a year between them")
        return "<br>".join(lines)

    def _link_tooltip(self, link: DesignLink | None) -> str:
        if link is None:
            return ""
        sites = self.document.sites_by_id
        a, b = sites.get(link.a), sites.get(link.b)
        term = self.document.design.term_years if self.document.design else 0
        lines = [
            f"<b>{link.circuit_id}</b> {_html(a.name if a else link.a)} – {_html(b.name if b else link.b)}",
            f"{LINK_ROLES.get(link.role, link.role)} · {link.bandwidth} · {link.distance_km:.1f} km "
            f"({link.route_km} route km)",
        ]
        if self.traffic:
            after = f" after losing {_html(link.worst_failure)}" if link.worst_failure else ""
            lines.append(
                f"Load {format_mbps(round(link.load_mbps))} Mb/s; at worst {format_mbps(round(link.worst_load_mbps))}"
                f" of {format_mbps(link.capacity_mbps)} Mb/s ({link.worst_utilisation:.0%}){after}"
            )
        lines += [
            f"Install {format_gbp(link.install)} · {format_gbp(link.annual)} a year",
            f"<b>{format_gbp(link.total(term))}</b> over {term} years",
        ]
        return "<br>".join(lines)

    def _constraint_tooltip(self, kind: str, pair: tuple[str, str]) -> str:
        project = self.document.project
        sites = self.document.sites_by_id
        ends = " – ".join(_html(sites[i].name) if i in sites else i for i in pair)
        if kind == "forbidden":
            return f"<b>{ends}</b><br>Forbidden: no design uses this link"
        link = next(e for e in project.existing_links if pair_key(e.a, e.b) == pair)
        owner = project.partners_by_id.get(link.owner)
        rental = "the tariff's rental" if link.annual is None else f"{format_gbp(link.annual)} a year"
        return (
            f"<b>{ends}</b><br>Existing link owned by {_html(owner.name if owner else link.owner)}"
            f"<br>No connection charge · {rental}"
        )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
