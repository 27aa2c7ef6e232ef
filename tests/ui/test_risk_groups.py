"""Drive shared-risk groups in the real main window: the Risk groups dock (generate ducts, import, rename in
place, Delete), the Draw Corridor tool, deleting a site, the Design panel's check box and figures, and
failures shown on the map (a group, a circuit, two circuits, a site)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsEllipseItem,
    QGraphicsLineItem,
    QLineEdit,
    QMessageBox,
)

from planner.analysis.resilience import outage
from planner.core.model import RiskGroup, pair_key
from planner.design.ducts import duct_groups
from planner.ui import risk_groups_panel, style
from planner.ui.corridor import links_crossing
from planner.ui.design_runner import inputs_key
from planner.ui.failure import FailureChoice, failure_effect
from planner.ui.map.scene import to_lonlat
from tests.ui.conftest import clickable_circuit, site_point, wait_design
from tests.ui.test_constraints import right_click, undo


def show_dock(qtbot, win):
    win.docks["risk_groups"].show()
    win.docks["risk_groups"].raise_()
    qtbot.wait(20)
    return win.risk_groups


def rows(panel) -> list[str]:
    """The group names the table shows, top to bottom."""
    proxy = panel.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def click_row(qtbot, panel, name: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    row = rows(panel).index(name)
    index = panel.proxy.index(row, 0)
    panel.table.scrollTo(index)
    qtbot.mouseClick(
        panel.table.viewport(), Qt.MouseButton.LeftButton, modifier, panel.table.visualRect(index).center()
    )


def edit_name(qtbot, panel, name: str, text: str) -> None:
    """Double-click the group's name, type ``text`` over it and press Enter."""
    index = panel.proxy.index(rows(panel).index(name), 0)
    panel.table.scrollTo(index)
    point = panel.table.visualRect(index).center()
    # A real double-click: press and release, then the double-click (QTest's alone sends no press).
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.table.state() != QAbstractItemView.State.EditingState)


def risk_items(win, colour) -> list:
    """The risk layer's items drawn in ``colour`` (lines and rings)."""
    return [i for i in win.map_scene.risk._items if i.pen().color().rgb() == colour.rgb()]


def lost_lines(win) -> list[QGraphicsLineItem]:
    return [i for i in risk_items(win, style.FAILURE) if isinstance(i, QGraphicsLineItem)]


def rings(win, colour) -> list[QGraphicsEllipseItem]:
    return [i for i in risk_items(win, colour) if isinstance(i, QGraphicsEllipseItem)]


def add_group(win, name: str, links=(), sites=()) -> None:
    win.editor.add_risk_group(RiskGroup.of(name, links, sites))


def test_generate_ducts_lists_them_keeps_own_groups_and_undoes_in_one_step(qtbot, opened):
    doc, panel = opened.document, show_dock(qtbot, opened)
    assert rows(panel) == [] and "No shared-risk groups" in panel.summary.text()
    assert not opened.design_panel.survive.isEnabled()
    assert "no shared-risk groups" in opened.design_panel.survive.toolTip()
    site = doc.project.sites[0]
    add_group(opened, "Exchange", sites=[site.id])
    assert opened.editor.undo_stack.undoText() == "Add risk group ‘Exchange’ (1 site)"
    assert opened.design_panel.survive.isEnabled()

    qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy)
    expected = duct_groups(doc.project)
    assert opened.editor.undo_stack.undoText() == f"Generate {len(expected)} duct groups"
    assert sorted(rows(panel)) == sorted(["Exchange", *(g.name for g in expected)])
    assert doc.project.risk_groups[0].name == "Exchange"  # the user's own, kept first
    assert panel.summary.text().startswith(f"{len(expected) + 1} risk groups: {len(expected)} generated ducts, 1 of")
    assert not doc.design_current  # the groups are a design input
    wait_design(qtbot, opened)
    figures = opened.design_panel.figures
    assert doc.design.risk_groups and figures.text("risk_groups") == f"{len(doc.design.risk_groups):,}"

    qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)  # the same ducts again: nothing to undo
    qtbot.waitUntil(lambda: not panel.busy)
    assert opened.editor.undo_stack.count() == 2 and "up to date" in opened.statusBar().currentMessage()

    undo(qtbot, opened)
    assert rows(panel) == ["Exchange"]
    undo(qtbot, opened)
    assert rows(panel) == [] and not opened.design_panel.survive.isEnabled()


def test_sort_rename_in_place_and_delete_key(qtbot, opened):
    doc, panel = opened.document, show_dock(qtbot, opened)
    a, b, c, d = (s.id for s in doc.project.sites[:4])
    add_group(opened, "Bridge", [(a, b), (b, c), (c, d)])
    add_group(opened, "Avenue duct", [(a, c)])
    assert rows(panel) == ["Avenue duct", "Bridge"]  # sorted by name
    panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by number of links
    assert rows(panel) == ["Bridge", "Avenue duct"]
    assert panel.proxy.index(0, 1).data() == "3"

    edit_name(qtbot, panel, "Bridge", "A1 bridge")
    assert opened.editor.undo_stack.undoText() == "Rename risk group ‘Bridge’ to ‘A1 bridge’"
    assert sorted(rows(panel)) == ["A1 bridge", "Avenue duct"]
    assert doc.selection.groups == {"A1 bridge"}

    edit_name(qtbot, panel, "A1 bridge", "Avenue duct")
    assert "there is a risk group ‘Avenue duct’ already" in panel.note.text() and panel.note.isVisible()
    assert sorted(g.name for g in doc.project.risk_groups) == ["A1 bridge", "Avenue duct"]

    doc.selection.set([a])  # a site is selected on the map: Delete in the table must not delete it
    click_row(qtbot, panel, "Avenue duct")
    assert doc.selection.groups == {"Avenue duct"} and not doc.selection.sites
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert opened.editor.undo_stack.undoText() == "Delete risk group ‘Avenue duct’"
    assert rows(panel) == ["A1 bridge"] and len(doc.project.sites) == 12
    undo(qtbot, opened)
    assert sorted(rows(panel)) == ["A1 bridge", "Avenue duct"]


def test_selecting_a_group_highlights_it_and_shows_what_losing_it_cuts_off(qtbot, opened):
    doc, panel = opened.document, show_dock(qtbot, opened)
    qtbot.keyClick(opened, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # a tree: every circuit is a cut
    wait_design(qtbot, opened)
    design = doc.design
    leaf = next(s.id for s in doc.project.sites if sum(s.id in k.pair for k in design.links) == 1)
    lost = next(k for k in design.links if leaf in k.pair)
    other = next(s.id for s in doc.project.sites if s.id not in lost.pair)
    add_group(opened, "Trench", [lost.pair, pair_key(leaf, other)])  # one design circuit, one other candidate
    wait_design(qtbot, opened)
    assert doc.design.links == design.links  # a tree ignores the groups
    survive = opened.design_panel.survive
    assert not survive.isEnabled() and "A tree survives no failure" in survive.toolTip()

    click_row(qtbot, panel, "Trench")
    risk = opened.map_scene.risk
    assert risk.choice == FailureChoice(group="Trench")
    assert len(risk_items(opened, style.risk_casing_pen().color())) == 2  # both links, whether used or not
    assert len(lost_lines(opened)) == 1 and rings(opened, style.FAILURE)
    assert risk.effect == failure_effect(doc.design, FailureChoice(group="Trench"), doc.project.risk_groups[0])
    assert risk.effect.cut_off == (leaf,)
    from planner.analysis import resilience

    if hasattr(resilience, "group_failures"):  # the analysis's own account of a group's loss agrees
        (failure,) = resilience.group_failures(doc.design, doc.project.risk_groups)
        assert (failure.cut_off, failure.lost_circuits) == (risk.effect.cut_off, risk.effect.lost)
    banner = opened.map_view.failure_banner
    assert banner.isVisible()
    assert banner.label.text() == (
        f"Losing risk group ‘Trench’ (circuit {lost.circuit_id}) cuts off {doc.project.site(leaf).name}."
    )
    assert {"Selected risk group", "Circuit lost", "Site cut off"} <= {t for *_, t in opened.map_view.legend._rows}

    qtbot.mouseClick(opened.map_view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(600, 40))  # the bare map
    assert not doc.selection.groups and risk.choice is None and not risk._items and not banner.isVisible()
    assert not panel.table.selectionModel().selectedRows()


def test_draw_a_corridor_line_then_an_area_escape_cancels_and_undo_removes(qtbot, opened):
    doc, view, panel = opened.document, opened.map_view, show_dock(qtbot, opened)
    viewport = view.viewport()
    a, b = doc.project.sites[2].id, doc.project.sites[5].id
    pa, pb = QPointF(site_point(opened, a)), QPointF(site_point(opened, b))
    mid, along = (pa + pb) / 2, pb - pa
    normal = QPointF(-along.y(), along.x()) / max(1.0, (along.x() ** 2 + along.y() ** 2) ** 0.5) * 25
    start, end = (mid + normal).toPoint(), (mid - normal).toPoint()

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert view.tool == "corridor" and opened.actions_["corridor_tool"].isChecked()
    assert "Click along the corridor" in opened.statusBar().currentMessage()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # drops the line under way
    assert not view.sketch.active and view.tool == "corridor" and not doc.project.risk_groups

    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: not panel.busy)
    points = [to_lonlat(view.mapToScene(p)) for p in (start, end)]
    sites = {s.id: (s.lon, s.lat) for s in doc.project.sites}
    pairs = sorted(pair_key(*p) for p in _candidates(doc.project))
    expected = links_crossing(sites, pairs, points, closed=False)
    group = doc.project.risk_groups[0]
    assert group.name == "Corridor 1" and pair_key(a, b) in group.links and list(group.links) == expected
    assert opened.editor.undo_stack.undoText() == f"Add risk group ‘Corridor 1’ ({len(expected)} links)"
    assert doc.selection.groups == {"Corridor 1"} and rows(panel) == ["Corridor 1"]

    corners = [site_point(opened, a) + QPoint(dx, dy) for dx, dy in ((-15, -15), (15, -15), (15, 15), (-15, 15))]
    for corner in corners:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=corners[0] + QPoint(2, 1))  # closes the area
    qtbot.waitUntil(lambda: not panel.busy)
    area = doc.project.risk_groups[1]
    ring = [to_lonlat(view.mapToScene(p)) for p in corners]
    assert area.name == "Corridor 2" and list(area.links) == links_crossing(sites, pairs, ring, closed=True)
    assert {p for p in pairs if a in p} <= set(area.links)  # every link leaving the site inside it

    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.tool == "select"
    undo(qtbot, opened)
    assert [g.name for g in doc.project.risk_groups] == ["Corridor 1"]
    undo(qtbot, opened)
    assert doc.project.risk_groups == [] and rows(panel) == []


def _candidates(project):
    from planner.design.problem import build_problem

    return list(build_problem(project).graph.edges)


def test_deleting_a_site_takes_it_out_of_every_group_in_the_same_step(qtbot, opened):
    doc = opened.document
    a, b, c, d = (s.id for s in doc.project.sites[:4])
    add_group(opened, "Duct", [(a, b), (c, d)])
    add_group(opened, "Spur", [(a, c)])
    add_group(opened, "Exchange", sites=[a])
    add_group(opened, "Mixed", [(a, d)], sites=[b])
    before, name = list(doc.project.risk_groups), doc.project.site(a).name
    doc.selection.set([a])
    opened.map_view.setFocus()
    qtbot.keyClick(opened.map_view, Qt.Key.Key_Delete)
    assert opened.editor.undo_stack.undoText() == f"Delete site ‘{name}’"
    assert doc.project.risk_groups == [RiskGroup.of("Duct", [(c, d)]), RiskGroup.of("Mixed", sites=[b])]
    assert rows(opened.risk_groups) == ["Duct", "Mixed"]
    undo(qtbot, opened)
    assert doc.project.risk_groups == before


def test_survive_check_box_is_an_undoable_setting(qtbot, opened):
    doc, panel = opened.document, opened.design_panel
    a, b, c = (s.id for s in doc.project.sites[:3])
    add_group(opened, "Duct", [(a, b), (a, c)])
    check = panel.survive
    assert check.isEnabled() and check.isChecked() and "any one of the 1 shared-risk group" in check.toolTip()
    key = inputs_key(doc.project)
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert not doc.project.settings.survive_risk_groups
    assert opened.editor.undo_stack.undoText() == "Survive shared-risk groups: on → off"
    assert inputs_key(doc.project) != key
    wait_design(qtbot, opened)
    assert doc.design.risk_groups == () and panel.figures.text("risk_groups") == "not asked"
    assert "not asked to survive them" in opened.risk_groups.summary.text()
    undo(qtbot, opened)
    assert check.isChecked() and doc.project.settings.survive_risk_groups


def test_import_risk_groups_from_a_table_and_a_bad_row_changes_nothing(qtbot, opened, tmp_path, monkeypatch):
    doc, panel = opened.document, show_dock(qtbot, opened)
    a, b, c = (s.id for s in doc.project.sites[:3])
    good = tmp_path / "ducts.csv"
    good.write_text(f"group,a,b,site\nA1 bridge,{a},{b},\nA1 bridge,{b},{c},\nExchange,,,{c}\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"group,a,b\nA1 bridge,{a},{b}\nRiver,{a},XX\n")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    chosen = iter([str(good), str(bad)])
    monkeypatch.setattr(risk_groups_panel.QFileDialog, "getOpenFileName", lambda *args, **kwargs: (next(chosen), ""))

    opened.actions_["import_risk_groups"].trigger()
    assert opened.editor.undo_stack.undoText() == "Import 2 risk groups from ducts.csv"
    assert sorted(rows(panel)) == ["A1 bridge", "Exchange"]
    assert doc.project.risk_groups[0].links == (pair_key(a, b), pair_key(b, c))

    count = opened.editor.undo_stack.count()
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert warnings == ["bad.csv: row 3: b: 'XX' is not a site id"]
    assert opened.editor.undo_stack.count() == count and sorted(rows(panel)) == ["A1 bridge", "Exchange"]


def test_importing_a_group_with_a_link_no_design_can_use_says_so(qtbot, opened, tmp_path, monkeypatch):
    doc, panel = opened.document, show_dock(qtbot, opened)
    a, b, c = (s.id for s in doc.project.sites[:3])
    opened.editor.forbid_link(a, c)  # the board's "never this pair": no longer a candidate link
    path = tmp_path / "ducts.csv"
    path.write_text(f"group,a,b\nA1 bridge,{a},{b}\nA1 bridge,{a},{c}\n")
    monkeypatch.setattr(risk_groups_panel.QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert rows(panel) == ["A1 bridge"]  # imported all the same: the link is harmless
    assert panel.note.isVisible()
    assert "but 1 link of them is not a candidate link" in panel.note.text()


def test_show_failure_of_a_circuit_two_circuits_and_a_site_from_the_context_menu(qtbot, opened, monkeypatch):
    doc, view = opened.document, opened.map_view
    risk, banner = opened.map_scene.risk, view.failure_banner
    circuit, point = clickable_circuit(opened)
    right_click(opened, point, "Show Failure of This Circuit", monkeypatch)
    assert risk.choice == FailureChoice(circuits=(circuit,)) and len(lost_lines(opened)) == 1
    assert (
        banner.isVisible() and banner.label.text() == f"Losing circuit {circuit}: every site still reaches every other."
    )
    assert opened.statusBar().currentMessage() == banner.label.text()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert risk.choice is None and not banner.isVisible() and not risk._items

    design = doc.design
    ends = next(k for k in design.links if k.circuit_id == circuit).pair
    other = next(k.circuit_id for k in design.links if k.circuit_id != circuit and set(k.pair) & set(ends))
    doc.selection.set(circuits=[circuit, other])
    right_click(opened, point, "Show Failure of These 2 Circuits", monkeypatch)
    assert risk.effect.lost == tuple(sorted((circuit, other)))
    assert risk.effect.cut_off == outage(design, [circuit, other]).cut_off  # as the presenter has it
    assert len(lost_lines(opened)) == 2 and len(rings(opened, style.FAILURE)) == len(risk.effect.cut_off)
    qtbot.mouseClick(banner.clear_button, Qt.MouseButton.LeftButton)
    assert risk.choice is None

    site = doc.project.sites[4]
    right_click(opened, site_point(opened, site.id), "Show Failure of This Site", monkeypatch)
    at_site = [k.circuit_id for k in design.links if site.id in k.pair]
    assert risk.effect.lost == tuple(at_site) and risk.effect.lost_sites == (site.id,)
    assert banner.label.text().startswith(f"Losing site {site.name} ({len(at_site)} circuits)")


def test_ducts_worked_out_for_a_project_since_closed_are_dropped(qtbot, opened):
    from planner.core.model import Project

    panel = opened.risk_groups
    panel.generate_ducts()
    assert panel.busy and not panel.generate_button.isEnabled()
    opened.editor.replace_project(Project())
    qtbot.waitUntil(lambda: not panel.busy)
    assert opened.document.project.risk_groups == [] and opened.editor.undo_stack.count() == 0
    assert panel.generate_button.isEnabled()
    panel.generate_ducts()  # no sites: said, and nothing is worked out
    assert not panel.busy and "add sites first" in panel.note.text()
