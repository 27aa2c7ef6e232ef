"""Small things panels and dialogs share: input widgets, and a table that takes its own Delete key."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QDoubleSpinBox, QTableView

__all__ = ["money_box", "DeletingTable"]

_DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def money_box(suffix: str = "") -> QDoubleSpinBox:
    """A spin box for an amount in pounds and pence (``£1,234.50 a year``)."""
    box = QDoubleSpinBox()
    box.setRange(0, 10_000_000)
    box.setDecimals(2)
    box.setPrefix("£")
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    box.setKeyboardTracking(False)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


class DeletingTable(QTableView):
    """A table whose Delete and Backspace ask to delete its selected rows (``delete_requested``), and whose
    Ctrl+A selects every row, rather than the window's Delete and Select All acting on the map's sites."""

    delete_requested = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (event.key() in _DELETE_KEYS or event.matches(QKeySequence.StandardKey.SelectAll))
            and self.state() != QAbstractItemView.State.EditingState
        ):
            event.accept()  # the key comes to keyPressEvent: the window's Delete and Select All (sites) must not
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _DELETE_KEYS and self.state() != QAbstractItemView.State.EditingState:
            self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
