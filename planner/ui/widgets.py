"""Small things panels and dialogs share: input widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox

__all__ = ["money_box"]


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
