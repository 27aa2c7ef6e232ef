"""Drive the traffic tools of the real main window: the Demands dock (add, edit in place, filter,
delete, import), a site's traffic to its hubs, the utilisation limit and the tiers, all undoable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QLineEdit

from planner.core.model import Demand
from planner.ui.demands_panel import AddDemandDialog
from planner.ui.design_panel import TierDialog
from planner.ui.document import ProjectDocument
from planner.ui.editor import ProjectEditor
from tests.ui.conftest import small_region, wait_design

CTRL = Qt.KeyboardModifier.ControlModifier


def rows(panel) -> list[tuple[str, ...]]:
    """The demand table as the user sees it: each visible row's cells, top to bottom."""
    proxy = panel.proxy
    return [
        tuple(proxy.index(row, column).data() for column in range(proxy.columnCount()))
        for row in range(proxy.rowCount())
    ]


def show_demands(qtbot, win):
    win.docks["demands"].raise_()
    qtbot.waitUntil(lambda: win.demands.table.isVisible())
    return win.demands


def undo(qtbot, win) -> None:
    qtbot.keyClick(win, Qt.Key.Key_Z, CTRL)


def edit_cell(qtbot, table, index, text: str) -> None:
    """Double-click a cell, type ``text`` over it and press Enter."""
    table.scrollTo(index)
    point = table.visualRect(index).center()
    # A real double-click: press and release, then the double-click (QTest's alone sends no press).
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)  # Qt commits on the next turn


@pytest.fixture
def with_demands(opened):
    """The opened window with three demands: two within a partner, one between partners."""
    opened.editor.add_demand("s0", "s3", 2000)  # WYP - WYP
    opened.editor.add_demand("s1", "s4", 300)  # LCC - LCC
    opened.editor.add_demand("s3", "s1", 50)  # WYP - LCC
    return opened


def test_add_a_demand_through_the_dialog(qtbot, opened, monkeypatch):
    doc, panel = opened.document, show_demands(qtbot, opened)
    assert rows(panel) == []
    assert panel.summary.text() == "No pair demands; no site sends traffic to its hubs"
    doc.selection.set(["s3"])
    seen = {}

    def fill_in(dialog):
        seen["a"] = dialog.a.currentData()
        dialog.b.setCurrentIndex(dialog.b.findData("s3"))  # the same site twice: refused, the dialog stays
        dialog.accept()
        seen["refused"] = (dialog.result(), dialog.problem.text(), dialog.problem.isHidden())
        dialog.b.setCurrentIndex(dialog.b.findData("s0"))
        dialog.mbps.setValue(400)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AddDemandDialog, "exec", fill_in)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert seen["a"] == "s3"  # the selected site is the A-end
    assert seen["refused"] == (0, "a demand joins two different sites (‘Town 3’ twice)", False)
    assert rows(panel) == [("Town 3", "Town 0", "400", "West Yorkshire Police")]
    assert doc.project.demands == [Demand("s3", "s0", 400.0)]
    assert opened.editor.undo_stack.undoText() == "Add demand ‘Town 3’–‘Town 0’"
    assert panel.summary.text() == "1 pair demand, 400 Mb/s; no site sends traffic to its hubs"
    assert panel.table.selectionModel().selectedRows()[0].row() == 0  # the new demand is selected

    def same_pair_again(dialog):
        dialog.a.setCurrentIndex(dialog.a.findData("s0"))
        dialog.b.setCurrentIndex(dialog.b.findData("s3"))
        dialog.accept()
        seen["again"] = dialog.problem.text()
        return dialog.result()

    monkeypatch.setattr(AddDemandDialog, "exec", same_pair_again)
    panel.add_button.click()
    assert seen["again"] == "‘Town 0’–‘Town 3’ has a demand already (400 Mb/s): change that one"
    assert len(rows(panel)) == 1 and opened.editor.undo_stack.count() == 1


def test_edit_the_rate_in_the_table_and_undo(qtbot, with_demands):
    doc, panel = with_demands.document, show_demands(qtbot, with_demands)
    table = panel.table
    index = next(
        panel.proxy.index(r, 2) for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 1).data() == "Town 4"
    )
    edit_cell(qtbot, table, index, "750")
    assert doc.project.demands[1] == Demand("s1", "s4", 750.0)
    assert index.data() == "750"
    assert with_demands.editor.undo_stack.undoText() == "Change demand ‘Town 1’–‘Town 4’ to 750 Mb/s"
    assert panel.message.isHidden()

    count = with_demands.editor.undo_stack.count()
    edit_cell(qtbot, table, index, "lots")
    assert not panel.message.isHidden()
    assert panel.message.text() == "'lots' is not a number of Mb/s"
    assert with_demands.editor.undo_stack.count() == count and index.data() == "750"

    undo(qtbot, with_demands)
    assert doc.project.demands[1].mbps == 300 and index.data() == "300"


def test_filter_by_partner_shows_demands_with_either_end_there(qtbot, with_demands):
    panel = show_demands(qtbot, with_demands)
    assert len(rows(panel)) == 3
    panel.partner.setCurrentIndex(panel.partner.findText("Leeds City Council"))
    assert sorted(r[:2] for r in rows(panel)) == [("Town 1", "Town 4"), ("Town 3", "Town 1")]
    assert ("Town 3", "Town 1", "50", "West Yorkshire Police / Leeds City Council") in rows(panel)
    assert panel.summary.text().endswith(" · 2 shown")
    panel.partner.setCurrentIndex(panel.partner.findText("University"))
    assert rows(panel) == []
    panel.partner.setCurrentIndex(panel.partner.findText("All partners"))
    assert len(rows(panel)) == 3
    assert panel.summary.text() == "3 pair demands, 2,350 Mb/s; no site sends traffic to its hubs"


def test_delete_key_deletes_the_selected_demand_not_the_selected_site_and_undo_restores_it(qtbot, with_demands):
    doc, panel = with_demands.document, show_demands(qtbot, with_demands)
    doc.selection.set(["s5"])  # a site selected on the map: the window's Delete would delete it
    table = panel.table
    row = next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 2).data() == "2,000")
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(panel.proxy.index(row, 0)).center()
    )
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "s5" in doc.sites_by_id
    assert [r[:2] for r in rows(panel)] == [("Town 1", "Town 4"), ("Town 3", "Town 1")]
    assert with_demands.editor.undo_stack.undoText() == "Delete demand ‘Town 0’–‘Town 3’"
    undo(qtbot, with_demands)
    assert ("Town 0", "Town 3", "2,000", "West Yorkshire Police") in rows(panel)
    assert doc.project.demands[0] == Demand("s0", "s3", 2000.0)

    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_A, CTRL)  # every demand, not every site on the map
    assert doc.selection.sites == {"s5"} and len(table.selectionModel().selectedRows()) == 3
    panel.delete_button.click()
    assert rows(panel) == [] and with_demands.editor.undo_stack.undoText() == "Delete 3 demands"


def test_import_demands_from_csv_with_the_shortcut(qtbot, opened, tmp_path, monkeypatch):
    panel = show_demands(qtbot, opened)
    path = tmp_path / "traffic.csv"
    path.write_text("a,b,mbps\ns0,s3,2000\ns1,s4,300\n", encoding="utf-8")
    monkeypatch.setattr("planner.ui.importing.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), ""))
    file_menu = opened.menuBar().actions()[0].menu()
    assert "Import &Demands…" in [a.text() for a in file_menu.actions()]
    qtbot.keyClick(opened, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert rows(panel) == [
        ("Town 0", "Town 3", "2,000", "West Yorkshire Police"),
        ("Town 1", "Town 4", "300", "Leeds City Council"),
    ]
    assert opened.editor.undo_stack.undoText() == "Import 2 demands from traffic.csv"
    assert panel.summary.text() == "2 pair demands, 2,300 Mb/s; no site sends traffic to its hubs"

    # A second file: the user chooses to add it; the pair both list takes the file's rate.
    more = tmp_path / "more.csv"
    more.write_text("a,b,mbps\ns3,s0,2500\ns2,s5,80\n", encoding="utf-8")
    monkeypatch.setattr("planner.ui.importing.QFileDialog.getOpenFileName", lambda *a, **k: (str(more), ""))
    asked = []
    monkeypatch.setattr("planner.ui.importing.ask_replace_or_add", lambda parent, *words: asked.append(words) or "add")
    opened.actions_["import_demands"].trigger()
    [(what, question, detail)] = asked
    assert what == "demands" and "has 2 pair demands already" in question and "the file's 2" in question
    assert detail.startswith("1 pair of the file's is listed in the project already")
    assert [r[2] for r in rows(panel)] == ["2,500", "300", "80"]
    undo(qtbot, opened)
    assert [r[2] for r in rows(panel)] == ["2,000", "300"]


def test_a_bad_demand_file_is_explained_in_one_line_and_changes_nothing(qtbot, with_demands, tmp_path, monkeypatch):
    doc, panel = with_demands.document, show_demands(qtbot, with_demands)
    path = tmp_path / "bad.csv"
    path.write_text("a,b,mbps\ns0,s4,100\ns1,XX,50\n", encoding="utf-8")
    monkeypatch.setattr("planner.ui.importing.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), ""))
    shown = []
    monkeypatch.setattr("planner.ui.importing.QMessageBox.warning", lambda parent, title, text: shown.append(text))
    before, count = list(doc.project.demands), with_demands.editor.undo_stack.count()
    panel.import_button.click()
    assert shown == ["bad.csv: row 3: b: 'XX' is not a site id"]
    assert doc.project.demands == before and with_demands.editor.undo_stack.count() == count and len(rows(panel)) == 3


def test_site_traffic_to_hubs_in_properties_warns_without_a_hub_and_undoes(qtbot, opened):
    doc, panel = opened.document, opened.properties
    opened.docks["properties"].raise_()
    editor = panel.site_editor
    doc.selection.set(["s3"])  # West Yorkshire Police, whose hub is s0
    assert editor.traffic.text() == "None"
    editor.traffic.setFocus()
    editor.traffic.selectAll()
    qtbot.keyClicks(editor.traffic, "250")
    qtbot.keyClick(editor.traffic, Qt.Key.Key_Return)
    assert doc.project.site("s3").demand_mbps == 250
    assert opened.editor.undo_stack.undoText() == "Site ‘Town 3’ traffic: 0 Mb/s → 250 Mb/s"
    assert editor.traffic_warning.isHidden()
    assert opened.demands.summary.text() == "No pair demands; 1 site sends 250 Mb/s to its hubs"
    assert "nearest hub of its partner" in editor.traffic.toolTip()
    wait_design(qtbot, opened)
    assert max(link.load_mbps for link in doc.design.links) == 250

    doc.selection.set(["s1"])  # Leeds City Council has no hub
    editor.traffic.setFocus()
    editor.traffic.selectAll()
    qtbot.keyClicks(editor.traffic, "100")
    qtbot.keyClick(editor.traffic, Qt.Key.Key_Return)
    assert not editor.traffic_warning.isHidden()
    assert editor.traffic_warning.text().startswith("Leeds City Council has no hub to send it to")
    status = opened.design_panel.status
    qtbot.waitUntil(lambda: "No design: " in status.text(), timeout=10_000)
    assert "partner 'LCC' has no hub" in status.text()
    opened.editor.set_roles(["s4"], "hub")  # a council site becomes its hub: the warning goes
    assert editor.traffic_warning.isHidden()

    undo(qtbot, opened)  # the role
    assert not editor.traffic_warning.isHidden()
    undo(qtbot, opened)  # the council site's traffic
    assert editor.traffic.text() == "None" and editor.traffic_warning.isHidden()
    doc.selection.set(["s3"])
    assert editor.traffic.value() == 250
    undo(qtbot, opened)
    assert editor.traffic.text() == "None" and doc.project.site("s3").demand_mbps == 0


def test_the_design_reruns_for_a_demand_and_its_links_carry_the_load(qtbot, opened, monkeypatch):
    doc, panel = opened.document, show_demands(qtbot, opened)
    assert all(link.load_mbps == 0 for link in doc.design.links)
    assert opened.design_panel.traffic.text().startswith("No traffic stated")

    def fill_in(dialog):
        dialog.a.setCurrentIndex(dialog.a.findData("s0"))
        dialog.b.setCurrentIndex(dialog.b.findData("s6"))
        dialog.mbps.setValue(2000)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AddDemandDialog, "exec", fill_in)
    panel.add_button.click()
    assert not doc.design_current  # the design on show is for the inputs before the demand
    wait_design(qtbot, opened)
    links = doc.design.links
    assert max(link.load_mbps for link in links) == 2000
    assert all(link.worst_load_mbps <= 0.8 * link.capacity_mbps for link in links)
    assert any(link.capacity_mbps > 1000 for link in links)  # 2 Gb/s does not fit a 1 Gb/s circuit
    assert opened.design_panel.traffic.text().startswith("1 pair demand: each circuit is sized")


def test_deleting_a_site_drops_its_demands_and_undo_brings_them_back(qtbot, with_demands):
    doc, panel = with_demands.document, show_demands(qtbot, with_demands)
    before = list(doc.project.demands)
    doc.selection.set(["s3"])
    qtbot.keyClick(with_demands.map_view, Qt.Key.Key_Delete)
    assert "s3" not in doc.sites_by_id
    assert rows(panel) == [("Town 1", "Town 4", "300", "Leeds City Council")]
    assert with_demands.editor.undo_stack.undoText() == "Delete site ‘Town 3’"
    undo(qtbot, with_demands)
    assert doc.project.demands == before and len(rows(panel)) == 3


def test_the_utilisation_limit_is_undoable(qtbot, opened):
    doc, box = opened.document, opened.design_panel.utilisation
    assert box.value() == 80 and box.suffix() == " %"
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.value() == 79 and doc.project.settings.max_utilisation == 0.79
    assert opened.editor.undo_stack.undoText() == "Utilisation limit: 80% → 79%"
    undo(qtbot, opened)
    assert doc.project.settings.max_utilisation == 0.8 and box.value() == 80


def test_tiers_edit_in_place_add_and_remove_with_undo_and_bad_values_are_refused(qtbot, opened, monkeypatch):
    doc, panel = opened.document, opened.design_panel
    table = panel.tiers
    shown = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    assert shown == [("100M", "100", "0.55"), ("1G", "1,000", "1"), ("10G", "10,000", "2.4")]
    opened.docks["design"].widget().ensureWidgetVisible(table)  # the panel scrolls: bring the tiers into view
    qtbot.waitUntil(lambda: table.isVisible())
    edit_cell(qtbot, table, table.model().index(2, 2), "2.6")
    assert doc.project.tariff.tier("10G").factor == Decimal("2.6")
    assert opened.editor.undo_stack.undoText() == "Tier ‘10G’ price factor: 2.4 → 2.6"
    edit_cell(qtbot, table, table.model().index(2, 2), "-1")
    assert "price factor -1 must be above 0 and at most 1000" in panel.tariff_problem.text()
    assert table.item(2, 2).text() == "2.6" and doc.project.tariff.tier("10G").factor == Decimal("2.6")

    table.selectRow(1)
    panel.remove_tier.click()  # the smallest tier bought
    assert panel.tariff_problem.text() == "1G is the smallest tier bought: choose another smallest tier first"
    table.selectRow(0)
    panel.remove_tier.click()
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["1G", "10G"]
    assert opened.editor.undo_stack.undoText() == "Remove tier ‘100M’"

    def fill_in(dialog):
        dialog.name.setText("100G")  # the rate follows the name
        dialog.factor.setValue(5)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TierDialog, "exec", fill_in)
    panel.add_tier.click()
    assert [table.item(2, c).text() for c in range(3)] == ["100G", "100,000", "5"]
    assert panel.min_tier.findData("100G") == 2 and opened.editor.undo_stack.undoText() == "Add tier ‘100G’"
    for _ in range(3):
        undo(qtbot, opened)
    assert doc.project.tariff.tier("10G").factor == Decimal("2.4") and table.rowCount() == 3


def test_the_editor_refuses_bad_demands_whole(qtbot):
    editor = ProjectEditor(ProjectDocument(small_region()))
    with pytest.raises(ValueError, match="'zz' is not a site of this project"):
        editor.add_demand("s0", "zz", 10)
    with pytest.raises(ValueError, match="negative"):
        editor.add_demand("s0", "s1", -5)
    with pytest.raises(ValueError, match="more than any link may carry"):
        editor.add_demand("s0", "s1", 1e6)
    editor.add_demand("s0", "s1", 10)
    with pytest.raises(ValueError, match="demand 2: the pair ‘Town 3’–‘Town 2’ is listed twice: give one rate"):
        editor.import_demands([Demand("s2", "s3", 5), Demand("s3", "s2", 6)], "x.csv")
    assert editor.project.demands == [Demand("s0", "s1", 10.0)] and editor.undo_stack.count() == 1
    editor.import_demands([Demand("s2", "s3", 5)], "x.csv", replace=True)
    assert editor.undo_stack.undoText() == "Replace demands with 1 from x.csv"
    assert editor.project.demands == [Demand("s2", "s3", 5.0)]
    editor.undo_stack.undo()
    assert editor.project.demands == [Demand("s0", "s1", 10.0)]
