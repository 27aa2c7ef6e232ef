"""What the map draws for shared-risk groups and for a failure chosen to be seen.

The selected risk groups' links are a translucent violet casing (under the circuits, whether or
not the design uses them) and their sites violet rings. A failure — a circuit or two, a site, a
risk group — is drawn over the design: its lost circuits red and dashed on a white casing, lost
sites crossed, and the sites it cuts off ringed red; a banner over the map says it in words, with
a button (and Esc) to clear it. Selecting one risk group shows its failure; a failure chosen from
a context menu stays until the selection changes. This is view state: nothing here is in the
project or on the undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from planner.core.model import RiskGroup
from planner.ui import style
from planner.ui.document import ProjectDocument
from planner.ui.failure import FailureChoice, FailureEffect, describe_failure, failure_effect

__all__ = ["RiskLayer", "FailureBanner"]

_CASING_Z, _LOST_Z, _RING_Z, _MARK_Z = 9.5, 14, 19.5, 26  # circuits are at 10, markers at 20
_MANY_LINKS = 40  # a selected group of more links than this is drawn with a narrower band


def _ring(colour, diameter: float, width: float) -> QGraphicsEllipseItem:
    ring = QGraphicsEllipseItem(-diameter / 2, -diameter / 2, diameter, diameter)
    ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    pen = QPen(colour, width)
    ring.setPen(pen)
    return ring


def _cross(half: float = 7, disc: bool = False) -> QGraphicsPathItem:
    """A red cross ``2 half`` pixels wide (a lost site), or on a white disc (where a circuit is lost, so that
    a short one hidden under its sites' markers is seen too)."""
    path = QPainterPath()
    for a, b in ((QPointF(-half, -half), QPointF(half, half)), (QPointF(-half, half), QPointF(half, -half))):
        path.moveTo(a)
        path.lineTo(b)
    item = QGraphicsPathItem(path)
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    pen = QPen(style.FAILURE, 2.6 if disc else 3.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    item.setPen(pen)
    if disc:
        back = QGraphicsEllipseItem(-2 * half, -2 * half, 4 * half, 4 * half, item)
        back.setBrush(QColor("white"))
        back.setPen(QPen(style.FAILURE, 1.6))
        back.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
    return item


class RiskLayer(QObject):
    """Keeps the selected risk groups and the failure on show drawn on ``scene``, in step with the document."""

    #: The failure on show, or the groups highlighted, changed (the banner and the legend follow).
    changed = Signal()

    def __init__(self, scene, document: ProjectDocument):
        super().__init__(scene)
        self.scene, self.document = scene, document
        #: The failure on show and what it does to the design on show (both ``None`` when none is).
        self.choice: FailureChoice | None = None
        self.effect: FailureEffect | None = None
        self.groups: list[RiskGroup] = []  # the selected groups, as drawn
        self._items: list[QGraphicsItem] = []
        document.selection.changed.connect(self._on_selection_change)
        document.design_changed.connect(self._recompute)
        document.risk_groups_changed.connect(self._on_selection_change)
        for signal in (document.sites_changed, document.project_replaced):
            signal.connect(self._recompute)
        document.site_changed.connect(self._on_site_change)

    # -- what is shown ------------------------------------------------------------------------
    def show_failure(self, choice: FailureChoice) -> None:
        """Show what losing ``choice`` does to the design on show (until the selection changes)."""
        self.choice = choice
        self._recompute()

    def clear_failure(self) -> None:
        if self.choice is not None:
            self.choice = None
            self._recompute()

    @property
    def text(self) -> str:
        """The failure on show in words (empty when none is)."""
        if self.choice is None or self.effect is None:
            return ""
        names = {s.id: s.name for s in self.document.project.sites}
        return describe_failure(self.choice, self.effect, names)

    def group(self, name: str) -> RiskGroup | None:
        return next((g for g in self.document.project.risk_groups if g.name == name), None)

    # -- following the document -----------------------------------------------------------------
    def _on_selection_change(self) -> None:
        """One risk group selected: its failure. Any other selection ends a failure shown before it."""
        names = self.document.selection.groups
        if len(names) == 1 and self.group(next(iter(names))) is not None:
            self.choice = FailureChoice(group=next(iter(names)))
        else:
            self.choice = None
        self._recompute()

    def _on_site_change(self, site_id: str) -> None:
        if self._items and site_id in self._sites_drawn():
            self._draw()

    def _sites_drawn(self) -> set[str]:
        ends = {end for g in self.groups for pair in g.links for end in pair}
        ends |= {s for g in self.groups for s in g.sites}
        if self.effect is not None:
            design = self.document.design
            lost = set(self.effect.lost)
            ends |= {end for k in (design.links if design else ()) if k.circuit_id in lost for end in (k.a, k.b)}
            ends |= set(self.effect.cut_off) | set(self.effect.lost_sites)
        return ends

    def _recompute(self) -> None:
        selected = self.document.selection.groups
        self.groups = [g for g in self.document.project.risk_groups if g.name in selected]
        design = self.document.design
        choice = self.choice
        group = self.group(choice.group) if choice is not None and choice.group else None
        if choice is not None and choice.group and group is None:  # the group has gone
            self.choice = choice = None
        self.effect = failure_effect(design, choice, group) if choice is not None and design is not None else None
        self._draw()
        self.changed.emit()

    # -- drawing ----------------------------------------------------------------------------------
    def _draw(self) -> None:
        for item in self._items:
            self.scene.removeItem(item)
        self._items = []
        sites = self.document.sites_by_id
        for group in self.groups:
            pen = style.risk_casing_pen(many=len(group.links) > _MANY_LINKS)
            for a, b in group.links:
                if a in sites and b in sites:
                    self._line(a, b, pen, _CASING_Z)
            for site_id in group.sites:
                if site_id in sites:
                    self._at(site_id, _ring(style.RISK_GROUP, 24, 3.0), _RING_Z)
        design, effect = self.document.design, self.effect
        if design is None or effect is None:
            return
        lost = set(effect.lost)
        for link in design.links:
            if link.circuit_id in lost and link.a in sites and link.b in sites:
                self._line(link.a, link.b, style.lost_pen(casing=True), _LOST_Z)
                line = self._line(link.a, link.b, style.lost_pen(), _LOST_Z + 0.1)
                mark = _cross(3.5, disc=True)
                mark.setPos(line.line().center())
                self._add(mark, _MARK_Z)
        for site_id in effect.lost_sites:
            if site_id in sites:
                self._at(site_id, _cross(), _MARK_Z)
        for site_id in effect.cut_off:
            if site_id in sites:
                self._at(site_id, _ring(style.FAILURE, 26, 3.2), _RING_Z)

    def _line(self, a: str, b: str, pen: QPen, z: float) -> QGraphicsLineItem:
        item = QGraphicsLineItem(QLineF(self.scene.position(a), self.scene.position(b)))
        item.setPen(pen)
        self._add(item, z)
        return item

    def _at(self, site_id: str, item: QGraphicsItem, z: float) -> None:
        item.setPos(self.scene.position(site_id))
        self._add(item, z)

    def _add(self, item: QGraphicsItem, z: float) -> None:
        item.setZValue(z)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.scene.addItem(item)
        self._items.append(item)


class FailureBanner(QFrame):
    """A line over the map saying what the failure on show does, with a button that clears it."""

    def __init__(self, layer: RiskLayer, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer = layer
        self.setObjectName("failureBanner")
        self.setStyleSheet(
            "#failureBanner { background: rgba(255, 255, 255, 235); border: 1px solid #C0392B; border-radius: 5px; }"
        )
        self.label = QLabel(wordWrap=True)
        self.label.setObjectName("failureText")
        self.clear_button = QToolButton(autoRaise=True, text="✕")
        self.clear_button.setToolTip("Clear the failure from the map (Esc)")
        self.clear_button.setAccessibleName("Clear the failure")
        self.clear_button.clicked.connect(layer.clear_failure)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        layer.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self.layer.text
        self.label.setText(text)
        self.setVisible(bool(text))
        if text:
            self.raise_()

    def place(self, left: int, width: int, bottom: int) -> None:
        """Lay the banner out ``width`` pixels wide from ``left``, its lower edge at ``bottom``."""
        self.setFixedWidth(width)
        self.setFixedHeight(self.layout().heightForWidth(width) if self.layout().hasHeightForWidth() else 40)
        self.move(left, bottom - self.height())
