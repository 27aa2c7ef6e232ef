"""The presenter's panel, drawn over the map: the step's title, its big figures, the partners, the step dots.

A transparent widget covering the map view: it paints the story panel on the right
and passes every key and click to the :class:`~planner.ui.presenter.mode.Presenter`,
so nothing reaches the map's editing tools. Sizes follow the window: one unit is a
pixel of a 1920 × 1080 screen. Headings and the big figure stay on one line, shrunk to
fit (and marked "…" only past a floor); names in the lists wrap rather than being cut;
the footer holds the step's keys, never smaller than 13 pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QWidget

from planner.io.basemap import ATTRIBUTION_SHORT
from planner.ui.presenter.story import STEPS

if TYPE_CHECKING:
    from planner.ui.presenter.mode import Presenter

__all__ = ["PresenterOverlay"]

# Colours as hex strings (the panel's description is plain data); QColor when painting.
INK = "#1F2A36"
MUTED = "#5B6B7B"
RULE = "#E1E6EB"
NAVY = "#2F3E4E"
SPOT = "#EEF3F8"
_FORWARD = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter}
_BACK = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}
_RIGHT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
#: Keys every step takes (the footer's last line).
KEYS = "← → or clicker: step · Esc: leave · F11: full screen"


@dataclass(frozen=True)
class Row:
    """One line of the panel's list: a colour dot (optional), a name, a figure and the figure's colour."""

    colour: str
    name: str
    figure: str
    figure_colour: str = INK
    key: str = ""  # the partner it is about, for clicks
    strong: bool = False


@dataclass(frozen=True)
class Panel:
    """What the panel shows for one step (assembled by the presenter)."""

    title: str
    lead: str
    figure: str = ""  # the big number
    figure_colour: str = INK
    caption: str = ""
    facts: tuple[tuple[str, str], ...] = ()  # (label, value) pairs under the figure
    bars: tuple[tuple[str, int, str], ...] = ()  # (label, pence, colour): alone against shared
    rows: tuple[Row, ...] = ()
    waiting: str = ""  # "Preparing …" while figures are worked out
    note: str = ""
    traffic: str = ""  # what a cut does to the traffic (the demonstration step, with traffic)
    traffic_colour: str = INK
    keys: str = ""  # the step's own keys, in the footer


def pounds(pence: int) -> str:
    """Whole pounds for a board: ``£1,031,075``."""
    return f"{'-' if pence < 0 else ''}£{round(abs(pence) / 100):,}"


def _font(px: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setPixelSize(max(8, round(px)))
    font.setWeight(weight)
    return font


def _row_font(px: float, strong: bool) -> QFont:
    return _font(px, QFont.Weight.DemiBold if strong else QFont.Weight.Normal)


def _one_line(text: str, font: QFont, width: float, smallest: float) -> tuple[QFont, str]:
    """``font`` shrunk until ``text`` fits on one line of ``width``, but not below ``smallest`` pixels; and the
    text, elided with "…" if even then it does not fit."""
    font = QFont(font)
    px = font.pixelSize()
    wide = QFontMetricsF(font).horizontalAdvance(text)
    if wide > width:
        px = max(round(smallest), min(px, int(px * width / wide)))  # text widths grow about as the size
        font.setPixelSize(px)
        while px > smallest and QFontMetricsF(font).horizontalAdvance(text) > width:
            px -= 1
            font.setPixelSize(px)
    return font, QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width)


def _unbroken(keys: str) -> str:
    """Key hints (``R: cut one at random · C: restore all``) that wrap only between one hint and the next."""
    return " · ".join(hint.replace(" ", "\u00a0") for hint in keys.split(" · "))


def _text_height(text: str, font: QFont, width: float) -> float:
    """The height of ``text`` wrapped at word boundaries to ``width``."""
    return QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 10_000), _WRAP, text).height() if text else 0.0


class PresenterOverlay(QWidget):
    """Covers the map view: paints the panel, and turns keys and clicks into the presenter's steps."""

    def __init__(self, presenter: Presenter, parent: QWidget):
        super().__init__(parent)
        self.presenter = presenter
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName("Presentation")
        self._step_rects: list[QRectF] = []
        self._row_rects: list[tuple[QRectF, str]] = []

    # -- geometry -----------------------------------------------------------------------------
    @property
    def unit(self) -> float:
        """Pixels per unit: 1 on a 1920 × 1080 screen."""
        return max(0.5, min(self.width() / 1920, self.height() / 1080))

    def panel_width(self) -> int:
        return max(340, min(round(self.width() * 0.34), round(660 * self.unit)))

    def panel_rect(self) -> QRectF:
        w = self.panel_width()
        return QRectF(self.width() - w, 0, w, self.height())

    # -- input ----------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # every key comes here: no editing shortcut of the window fires
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        p, key = self.presenter, event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Escape:
            p.leave()
        elif key == Qt.Key.Key_F11:
            p.toggle_full_screen()
        elif key in _FORWARD:
            p.forward()
        elif key in _BACK:
            p.back()
        elif key == Qt.Key.Key_Home:
            p.go(0)
        elif key == Qt.Key.Key_End:
            p.go(len(STEPS) - 1)
        elif Qt.Key.Key_1 <= key < Qt.Key.Key_1 + len(STEPS):
            p.go(key - Qt.Key.Key_1)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            p.spotlight(1 if key == Qt.Key.Key_Down else -1)
        elif key == Qt.Key.Key_R:
            p.cut_random(keep=shift)
        elif key == Qt.Key.Key_C:
            p.restore_all()
        elif key == Qt.Key.Key_W:
            p.what_if()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() == Qt.MouseButton.RightButton:
            self.presenter.back()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        for n, rect in enumerate(self._step_rects):
            if rect.contains(pos):
                self.presenter.go(n)
                return
        for rect, partner in self._row_rects:
            if rect.contains(pos):
                self.presenter.spotlight_on(partner)
                return
        if not self.panel_rect().contains(pos):
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.presenter.click_map(pos.toPoint(), keep=shift)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.accept()  # a right click steps back; the map's editing menu must not open

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        over = any(r.contains(pos) for r in self._step_rects) or any(r.contains(pos) for r, _ in self._row_rects)
        over = over or (not self.panel_rect().contains(pos) and self.presenter.circuit_under(pos.toPoint()) is not None)
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._paint_attribution(painter)
        self._paint_panel(painter, self.presenter.panel())
        painter.end()

    def _paint_attribution(self, painter: QPainter) -> None:
        """The basemap's licence line, which the OGL requires on every map, at the map's foot."""
        u = self.unit
        painter.setFont(_font(11 * u))
        metrics = QFontMetricsF(painter.font())
        width = self.width() - self.panel_width()
        text = metrics.elidedText(ATTRIBUTION_SHORT, Qt.TextElideMode.ElideLeft, width - 16 * u)
        rect = QRectF(0, self.height() - metrics.height() - 6 * u, width - 10 * u, metrics.height() + 6 * u)
        box = QRectF(rect.right() - metrics.horizontalAdvance(text) - 10 * u, rect.top(), 0, rect.height())
        box.setRight(rect.right() + 4 * u)
        painter.fillRect(box, QColor(255, 255, 255, 190))
        painter.setPen(QColor(MUTED))
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    def _hint_font(self) -> QFont:
        """The keys and notes in the footer: small, but never below 13 pixels."""
        return _font(max(13.0, 15 * self.unit))

    def _paint_panel(self, painter: QPainter, panel: Panel) -> None:
        u = self.unit
        area = self.panel_rect()
        shadow = QLinearGradient(area.left() - 18 * u, 0, area.left(), 0)
        shadow.setColorAt(0, QColor(0, 0, 0, 0))
        shadow.setColorAt(1, QColor(0, 0, 0, 34))
        painter.fillRect(QRectF(area.left() - 18 * u, 0, 18 * u, area.height()), shadow)
        painter.fillRect(area, QColor("white"))
        pad = 48 * u
        x, width = area.left() + pad, area.width() - 2 * pad
        y = pad
        name = self.presenter.project_name.upper()
        y = self._line(painter, x, y, width, name, _font(max(12.0, 15 * u), QFont.Weight.DemiBold), MUTED, 12)
        y = self._line(painter, x, y + 6 * u, width, panel.title, _font(46 * u, QFont.Weight.Bold), INK, 30 * u)
        y = self._text(painter, x, y + 10 * u, width, panel.lead, _font(21 * u), MUTED)
        if panel.figure:
            big = _font(92 * u, QFont.Weight.Bold)
            y = self._line(painter, x, y + 26 * u, width, panel.figure, big, panel.figure_colour, 24 * u)
            y = self._text(painter, x, y, width, panel.caption, _font(21 * u), MUTED)
        if panel.traffic:
            font = _font(21 * u, QFont.Weight.DemiBold)
            y = self._text(painter, x, y + 14 * u, width, panel.traffic, font, panel.traffic_colour)
        for label, value in panel.facts:
            y = self._fact(painter, x, y + 12 * u, width, label, value)
        if panel.bars:
            y = self._bars(painter, x, y + 26 * u, width, panel.bars)
        hint = self._hint_font()
        keys = [k for k in (panel.keys, KEYS) if k]
        footer_top = self.height() - 36 * u - sum(_text_height(_unbroken(k), hint, width) + 2 * u for k in keys)
        footer_top -= 44 * u
        bottom = footer_top - 12 * u
        if panel.note:
            bottom -= _text_height(panel.note, hint, width)
            self._text(painter, x, bottom, width, panel.note, hint, MUTED)
            bottom -= 8 * u
        if panel.waiting:
            y = self._text(painter, x, y + 26 * u, width, panel.waiting, _font(21 * u, QFont.Weight.Medium), NAVY)
        self._row_rects = []
        if panel.rows:
            self._rows(painter, x, y + 24 * u, width, bottom, panel.rows)
        y = self._paint_steps(painter, x, footer_top, width)
        for k in keys:
            y = self._text(painter, x, y, width, _unbroken(k), hint, MUTED) + 2 * u

    def _text(self, painter: QPainter, x: float, y: float, width: float, text: str, font: QFont, colour) -> float:
        """Wrapped text from ``(x, y)``; returns the y below it."""
        if not text:
            return y
        painter.setFont(font)
        painter.setPen(QColor(colour))
        height = _text_height(text, font, width)
        painter.drawText(QRectF(x, y, width, height), _WRAP, text)
        return y + height

    def _line(
        self, painter: QPainter, x: float, y: float, width: float, text: str, font: QFont, colour, smallest: float
    ) -> float:
        """A heading on one line from ``(x, y)``, shrunk to fit ``width`` (see :func:`_one_line`); the y below."""
        font, text = _one_line(text, font, width, smallest)
        painter.setFont(font)
        painter.setPen(QColor(colour))
        height = QFontMetricsF(font).height()
        painter.drawText(QRectF(x, y, width, height), Qt.AlignmentFlag.AlignLeft, text)
        return y + height

    def _fact(self, painter: QPainter, x: float, y: float, width: float, label: str, value: str) -> float:
        u = self.unit
        height = 34 * u
        painter.setFont(_font(21 * u))
        painter.setPen(QColor(MUTED))
        painter.drawText(QRectF(x, y, width, height), Qt.AlignmentFlag.AlignVCenter, label)
        painter.setFont(_font(23 * u, QFont.Weight.DemiBold))
        painter.setPen(QColor(INK))
        painter.drawText(QRectF(x, y, width, height), _RIGHT, value)
        painter.setPen(QPen(QColor(RULE), max(1.0, u)))
        painter.drawLine(QPointF(x, y + height + 2 * u), QPointF(x + width, y + height + 2 * u))
        return y + height + 4 * u

    def _bars(self, painter: QPainter, x: float, y: float, width: float, bars) -> float:
        """Horizontal bars to one scale: what the partners pay alone against together."""
        u = self.unit
        largest = max(value for _, value, _ in bars) or 1
        for label, value, colour in bars:
            painter.setFont(_font(19 * u, QFont.Weight.Medium))
            painter.setPen(QColor(MUTED))
            painter.drawText(QRectF(x, y, width, 26 * u), Qt.AlignmentFlag.AlignVCenter, label)
            painter.setPen(QColor(INK))
            painter.setFont(_font(21 * u, QFont.Weight.DemiBold))
            painter.drawText(QRectF(x, y, width, 26 * u), _RIGHT, pounds(value))
            bar = QRectF(x, y + 29 * u, max(2.0, width * value / largest), 14 * u)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(bar, 3 * u, 3 * u)
            y += 56 * u
        return y

    def _rows(self, painter: QPainter, x: float, y: float, width: float, bottom: float, rows) -> float:
        """The list: a long name wraps onto more lines, never cut; the rows shrink (down to a floor) so that every
        row fits above ``bottom``."""
        u = self.unit
        size = round(21 * u)
        while True:
            layout = self._row_layout(x, width, size, rows)
            if size <= max(12, 15 * u) or y + sum(h for h, _ in layout) <= bottom:
                break
            size -= 1
        dot = size * 0.72
        for row, (height, name_rect) in zip(rows, layout, strict=True):
            if y + height > bottom:
                break
            rect = QRectF(x - 10 * u, y, width + 20 * u, height)
            if row.strong:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(SPOT))
                painter.drawRoundedRect(rect, 6 * u, 6 * u)
            if row.colour:
                painter.setPen(QPen(QColor("white"), max(1.0, 1.5 * u)))
                painter.setBrush(QColor(row.colour))
                painter.drawEllipse(QPointF(x + dot / 2, y + height / 2), dot / 2, dot / 2)
            painter.setFont(_row_font(size, row.strong))
            painter.setPen(QColor(INK))
            painter.drawText(name_rect.translated(0, y), _WRAP | Qt.AlignmentFlag.AlignVCenter, row.name)
            painter.setFont(_font(size, QFont.Weight.DemiBold))
            painter.setPen(QColor(row.figure_colour))
            painter.drawText(QRectF(x, y, width, height), _RIGHT, row.figure)
            if row.key:
                self._row_rects.append((rect, row.key))
            y += height
        return y

    def _row_layout(self, x: float, width: float, size: int, rows) -> list[tuple[float, QRectF]]:
        """Each row's height at text ``size`` and where its name goes (at y = 0): the name wraps beside the figure."""
        figure_font, dot = _font(size, QFont.Weight.DemiBold), size * 0.72
        layout = []
        for row in rows:
            left = x + (dot + 12 * self.unit if row.colour else 0)
            right = x + width - QFontMetricsF(figure_font).horizontalAdvance(row.figure) - 12 * self.unit
            name_height = _text_height(row.name, _row_font(size, row.strong), right - left)
            height = max(size * 1.9, name_height + size * 0.7)
            layout.append((height, QRectF(left, 0, right - left, height)))
        return layout

    def _paint_steps(self, painter: QPainter, x: float, y: float, width: float) -> float:
        """The discreet step indicator: dots and names, the current one dark; returns the y below it."""
        u = self.unit
        painter.setPen(QPen(QColor(RULE), max(1.0, u)))
        painter.drawLine(QPointF(x, y), QPointF(x + width, y))
        self._step_rects = []
        step_width = width / len(STEPS)
        current = self.presenter.story.step
        for n, step in enumerate(STEPS):
            left = x + n * step_width
            centre = QPointF(left + 6 * u, y + 24 * u)
            on = n == current
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(INK if on else RULE))
            painter.drawEllipse(centre, 5 * u, 5 * u)
            label = QRectF(left + 16 * u, y + 12 * u, step_width - 16 * u, 24 * u)
            font = _font(max(12.0, 15 * u), QFont.Weight.DemiBold if on else QFont.Weight.Normal)
            font, name = _one_line(step.name, font, label.width(), 10)
            painter.setFont(font)
            painter.setPen(QColor(INK if on else MUTED))
            painter.drawText(label, Qt.AlignmentFlag.AlignVCenter, name)
            self._step_rects.append(QRectF(left, y + 6 * u, step_width, 36 * u))
        return y + 44 * u

    def resize_to_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(QRect(0, 0, parent.width(), parent.height()))
