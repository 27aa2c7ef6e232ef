"""The link schedule follows the map: a circuit chosen on the map is selected and scrolled into view."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import clickable_circuit


def _row_visible(win, circuit_id: str) -> bool:
    table = win.schedule.table
    rows = table.selectionModel().selectedRows()
    assert [win.schedule.proxy.data(r, Qt.ItemDataRole.DisplayRole) for r in rows] == [circuit_id]
    return table.viewport().rect().intersects(table.visualRect(rows[0]))


def test_clicking_a_circuit_scrolls_its_row_into_view(qtbot, opened):
    table = opened.schedule.table
    assert table.verticalScrollBar().maximum() > 0, "the test needs a schedule longer than its dock"
    circuit_id, point = clickable_circuit(opened)
    qtbot.mouseClick(opened.map_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.document.selection.circuits == {circuit_id}
    assert _row_visible(opened, circuit_id)


def test_a_circuit_the_filter_hides_is_shown_by_clearing_the_filter(qtbot, opened):
    circuit_id, point = clickable_circuit(opened)
    opened.schedule.filter.setText("no such circuit")
    assert opened.schedule.proxy.rowCount() == 0
    qtbot.mouseClick(opened.map_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.schedule.filter.text() == ""
    assert _row_visible(opened, circuit_id)
