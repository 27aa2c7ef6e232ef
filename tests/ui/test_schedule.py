"""The link schedule follows the map: a circuit chosen on the map is selected and scrolled into view."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

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


def test_clicking_a_heading_sorts_the_rows_and_keeps_the_selection(qtbot, opened):
    from planner.core.money import format_gbp
    from planner.ui.schedule import CIRCUIT_ROLE, COLUMNS

    panel, design = opened.schedule, opened.document.design
    table, header = panel.table, panel.table.horizontalHeader()
    total = COLUMNS.index("Total")
    opened.document.selection.set((), [design.links[0].circuit_id])

    def shown(column: int) -> list[str]:
        return [panel.proxy.data(panel.proxy.index(r, column)) for r in range(panel.proxy.rowCount())]

    def click_heading(column: int) -> None:
        table.scrollTo(panel.proxy.index(0, column))
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click_heading(total)
    term = design.term_years
    cheapest_first = [format_gbp(k.total(term)) for k in sorted(design.links, key=lambda k: k.total(term))]
    assert shown(total) == cheapest_first
    click_heading(total)
    assert shown(total) == cheapest_first[::-1]
    selected = [panel.proxy.data(r, CIRCUIT_ROLE) for r in table.selectionModel().selectedRows()]
    assert selected == [design.links[0].circuit_id]  # the sort moved the rows, not the selection
