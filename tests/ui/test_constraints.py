"""Drive the constraint tools of the real main window: method and limits, site roles, existing and
forbidden links, no-go areas, imports, and saving them all."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialog, QGraphicsPathItem
from shapely.geometry import LineString, Point, Polygon

from planner.core.model import Quote
from planner.core.project_file import load_project, project_to_dict
from planner.design.engine import ALGORITHMS
from planner.ui import style
from planner.ui.dialogs import ExistingLinkDialog
from planner.ui.importing import SiteImportDialog
from planner.ui.map_actions import ContextMenu
from planner.ui.schedule import COLUMNS
from tests.ui.conftest import site_point, wait_design

#: Whether the engine honours hubs, hop and ring limits yet (the exact solver brings them).
CONSTRAINED_ENGINE = "exact" in ALGORITHMS


def right_click(win, pos: QPoint, choose: str, monkeypatch) -> list[str]:
    """Right-click the map at ``pos`` and choose ``choose`` from the menu; returns the menu's entries."""
    seen: list[str] = []

    def pick(menu, *_):
        actions = [a for a in menu.actions() if not a.isSeparator()]
        seen.extend(a.text() for a in actions)
        next(a for a in actions if a.text() == choose).trigger()

    monkeypatch.setattr(ContextMenu, "exec", pick)
    viewport = win.map_view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    return seen


def undo(qtbot, win, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def hops_to_hubs(design, hubs) -> int:
    graph = nx.Graph([(k.a, k.b) for k in design.links])
    return max(nx.multi_source_dijkstra_path_length(graph, set(hubs)).values())


def test_method_hops_and_ring_from_the_panel_follow_and_undo(qtbot, opened):
    doc, panel = opened.document, opened.design_panel
    qtbot.keyClick(panel.method, Qt.Key.Key_Down)  # auto -> exact
    assert doc.project.settings.method == "exact"
    assert opened.editor.undo_stack.undoText() == "Method: auto → exact"

    qtbot.mouseClick(panel.limit_checks["max_hops"], Qt.MouseButton.LeftButton)
    assert doc.project.settings.max_hops == 4 and panel.limit_boxes["max_hops"].isEnabled()
    qtbot.keyClick(panel.limit_boxes["max_hops"], Qt.Key.Key_Down)
    assert doc.project.settings.max_hops == 3
    assert opened.editor.undo_stack.undoText() == "Hop limit: 4 → 3"
    qtbot.mouseClick(panel.limit_checks["max_ring"], Qt.MouseButton.LeftButton)
    assert doc.project.settings.max_ring == 6
    wait_design(qtbot, opened)
    design = doc.design
    assert design.method == "heuristic"  # while editing; the Design button runs the exact method
    figures = panel.figures
    assert design.proven_optimal or "press Design (F5)" in figures.state.text()
    assert figures.quality.text() in ("✓ Proven optimal", f"Within {design.gap:.1%} of optimal")
    if CONSTRAINED_ENGINE:
        assert hops_to_hubs(design, [s.id for s in doc.project.sites if s.role == "hub"]) <= 3
    qtbot.keyClick(opened, Qt.Key.Key_F5)
    wait_design(qtbot, opened)
    assert figures.state.text() == "Up to date"
    if CONSTRAINED_ENGINE:
        assert doc.design.method == "exact" and doc.design.proven_optimal
        assert figures.quality.text() == "✓ Proven optimal" and figures.text("gap") == "0 · proven optimal"

    undo(qtbot, opened, 4)
    assert doc.project.settings.max_hops is None and doc.project.settings.max_ring is None
    assert doc.project.settings.method == "auto"
    assert not panel.limit_checks["max_hops"].isChecked() and not panel.limit_boxes["max_hops"].isEnabled()
    assert panel.method.currentData() == "auto"


def test_make_a_site_a_hub_from_its_context_menu(qtbot, opened, monkeypatch):
    doc = opened.document
    site = doc.project.sites[3]
    entries = right_click(opened, site_point(opened, site.id), "Make Hub", monkeypatch)
    assert {"Make Hub", "Make Ordinary Site", "Make Optional Relay"} <= set(entries)
    assert doc.project.site(site.id).role == "hub"
    assert opened.editor.undo_stack.undoText() == f"Make ‘{site.name}’ a hub"
    assert isinstance(opened.map_scene.marker(site.id), QGraphicsPathItem)  # hubs are diamonds
    assert "2 hubs" in opened.design_panel.hubs.text()
    undo(qtbot, opened)
    assert doc.project.site(site.id).role == "site"


def test_roles_of_a_multiple_selection_change_in_one_step(qtbot, opened, monkeypatch):
    doc = opened.document
    a, b = doc.project.sites[4].id, doc.project.sites[6].id
    doc.selection.set([a, b])
    right_click(opened, site_point(opened, b), "Make Optional Relay", monkeypatch)
    assert [doc.project.site(i).role for i in (a, b)] == ["optional", "optional"]
    assert opened.editor.undo_stack.undoText() == "Make 2 sites optional relays"
    assert "Optional relay" in [text for *_, text in opened.map_view.legend._rows]
    properties = opened.properties
    assert properties.sites_role.currentData() == "optional"
    properties.sites_role.setCurrentIndex(properties.sites_role.findData("site"))
    properties.sites_role.activated.emit(properties.sites_role.currentIndex())
    assert opened.editor.undo_stack.undoText() == "Make 2 sites ordinary sites"
    undo(qtbot, opened)
    assert doc.project.site(a).role == "optional"


def test_mark_an_existing_link_with_the_tool_and_the_design_reuses_it(qtbot, opened, monkeypatch):
    doc, view = opened.document, opened.map_view
    link = max(doc.design.links, key=lambda k: k.install + k.annual)
    assert link.install > 0
    owner = doc.project.site(link.a).partner

    def fill_in(dialog):
        assert dialog.owner.currentData() == owner  # the A-end's partner is offered first
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExistingLinkDialog, "exec", fill_in)
    qtbot.keyClick(view, Qt.Key.Key_E)
    assert view.tool == "existing"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=site_point(opened, link.a))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=site_point(opened, link.b))
    assert [(e.owner, e.annual) for e in doc.project.existing_links] == [(owner, None)]
    assert opened.editor.undo_stack.undoText().startswith("Mark existing link ‘")
    wait_design(qtbot, opened)
    reused = next(k for k in doc.design.links if k.pair == link.pair)
    assert (reused.install, reused.role, reused.source) == (0, "existing", "existing")
    schedule = opened.schedule.model
    row = schedule.row_of(reused.circuit_id)
    role, install = COLUMNS.index("Role"), COLUMNS.index("Install")
    assert schedule.index(row, role).data() == "Existing, reused" and schedule.index(row, install).data() == "£0.00"
    assert opened.links.existing.topLevelItemCount() == 1
    undo(qtbot, opened)
    assert doc.project.existing_links == []


def _middle_of(win, link) -> QPoint:
    a, b = win.map_scene.position(link.a), win.map_scene.position(link.b)
    win.map_view.centerOn((a + b) / 2)
    return win.map_view.mapFromScene((a + b) / 2)


def test_forbid_a_designed_link_from_its_context_menu(qtbot, opened, monkeypatch):
    doc = opened.document
    link = max(doc.design.links, key=lambda k: k.distance_km)
    middle = _middle_of(opened, link)
    assert opened.map_view.item_at(middle).data(1) == link.circuit_id
    entries = right_click(opened, middle, "Forbid This Link", monkeypatch)
    assert "Mark as Existing…" in entries
    assert doc.project.forbidden_links == [link.pair]
    wait_design(qtbot, opened)
    assert link.pair not in {k.pair for k in doc.design.links}
    assert opened.links.forbidden.count() == 1
    right_click(opened, middle, "Allow This Link", monkeypatch)  # the forbidden line is drawn there
    assert doc.project.forbidden_links == []
    undo(qtbot, opened, 2)
    assert doc.project.forbidden_links == []


def test_draw_a_no_go_area_and_no_circuit_crosses_it(qtbot, opened):
    doc, view = opened.document, opened.map_view
    link = max(doc.design.links, key=lambda k: k.distance_km)
    middle = _middle_of(opened, link)
    corners = [middle + QPoint(dx, dy) for dx, dy in ((-12, -12), (12, -12), (12, 12), (-12, 12))]
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert view.tool == "zone"
    for corner in corners[:-1]:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=corners[-1])
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=corners[-1])
    (zone,) = doc.project.exclusion_zones
    assert len(zone.geometry["coordinates"][0]) == 5  # four corners, closed
    assert opened.editor.undo_stack.undoText() == "Add no-go area ‘No-go area 1’"
    assert doc.selection.zones == {0}
    wait_design(qtbot, opened)
    area = Polygon(zone.geometry["coordinates"][0])
    sites = doc.sites_by_id
    assert not any(area.contains(Point(s.lon, s.lat)) for s in sites.values())
    crossing = [
        k for k in doc.design.links if LineString([(sites[i].lon, sites[i].lat) for i in (k.a, k.b)]).intersects(area)
    ]
    assert crossing == [] and link.pair not in {k.pair for k in doc.design.links}

    qtbot.keyClick(view, Qt.Key.Key_Escape)  # leave the tool
    assert view.tool == "select"
    qtbot.keyClick(opened, Qt.Key.Key_Delete)  # the selected area
    assert doc.project.exclusion_zones == []
    undo(qtbot, opened)
    assert len(doc.project.exclusion_zones) == 1


def test_escape_drops_an_area_being_drawn(qtbot, opened):
    view = opened.map_view
    qtbot.keyClick(view, Qt.Key.Key_N)
    centre = view.viewport().rect().center()
    for dx in (0, 30):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre + QPoint(dx, dx))
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.tool == "zone" and not view.sketch.active
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.tool == "select" and opened.document.project.exclusion_zones == []


def _sites_layer(tmp_path, opened):
    """A GeoPackage in British National Grid: one id clashes with the project, one partner is new."""
    from planner.core.geo import lonlat_to_bng

    first = opened.document.project.sites[0]
    points = [Point(*lonlat_to_bng(first.lon + dx, first.lat + 0.05)) for dx in (0.05, 0.1, 0.15)]
    frame = gpd.GeoDataFrame(
        {"ID": [first.id, "NEW1", "NEW2"], "Name": ["Depot", "Library", "Clinic"], "partner": ["WYP", "WYP", "NHS"]},
        geometry=points,
        crs="EPSG:27700",
    )
    path = tmp_path / "more sites.gpkg"
    frame.to_file(path)
    return path


def test_import_sites_through_the_menu_and_undo(qtbot, opened, tmp_path, monkeypatch):
    doc = opened.document
    before = (list(doc.project.sites), list(doc.project.partners))
    path = _sites_layer(tmp_path, opened)
    monkeypatch.setattr("planner.ui.importing.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), ""))
    shown = {}

    def add(dialog):
        shown["summary"] = dialog.summary.text()
        dialog.add_button.click()
        return dialog.result()

    monkeypatch.setattr(SiteImportDialog, "exec", add)
    file_menu = opened.menuBar().actions()[0].menu()
    next(a for a in file_menu.actions() if a.text() == "Import &Sites…").trigger()
    assert "3 sites" in shown["summary"] and "NHS" in shown["summary"] and "would be renamed" in shown["summary"]
    first = before[0][0]
    assert [s.id for s in doc.project.sites[-3:]] == [f"{first.id}-2", "NEW1", "NEW2"]
    assert doc.project.site("NEW2").partner not in {p.id for p in before[1]}
    assert doc.project.site("NEW1").partner == "WYP"
    assert opened.editor.undo_stack.undoText() == "Import 3 sites from more sites.gpkg"
    assert doc.selection.sites == {f"{first.id}-2", "NEW1", "NEW2"}
    assert opened.statusBar().currentMessage().endswith(f"renamed: {first.id} → {first.id}-2")
    wait_design(qtbot, opened)
    assert {"NEW1", "NEW2"} <= set(doc.design.sites)
    undo(qtbot, opened)
    assert (doc.project.sites, doc.project.partners) == before
    assert len(opened.map_scene._markers) == len(before[0])


def test_replacing_sites_and_a_bad_file_in_the_preview(qtbot, opened, tmp_path, monkeypatch):
    doc = opened.document
    path = _sites_layer(tmp_path, opened)
    chosen = {"path": path}
    monkeypatch.setattr("planner.ui.importing.QFileDialog.getOpenFileName", lambda *a, **k: (str(chosen["path"]), ""))
    monkeypatch.setattr(SiteImportDialog, "exec", lambda dialog: (dialog.replace_button.click(), dialog.result())[1])
    opened.actions_["import_sites"].trigger()
    assert [s.id for s in doc.project.sites] == [doc.project.sites[0].id, "NEW1", "NEW2"]
    assert opened.editor.undo_stack.undoText() == "Replace sites with 3 from more sites.gpkg"
    assert len(opened.map_scene._markers) == 3

    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,lat,lon\na,A,95,-1\n")
    chosen["path"] = bad
    seen = {}

    def look(dialog):
        seen["text"], seen["add"] = dialog.summary.text(), dialog.add_button.isVisibleTo(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SiteImportDialog, "exec", look)
    opened.actions_["import_sites"].trigger()
    assert "bad.csv: row 2: lat: 95.0 is out of range -90..90" in seen["text"] and not seen["add"]
    assert len(doc.project.sites) == 3


def test_quotes_limit_the_candidates_and_can_be_cleared(qtbot, opened, tmp_path, monkeypatch):
    doc = opened.document
    ids = [s.id for s in doc.project.sites]
    rows = [f"{ids[i]},{ids[(i + step) % len(ids)]},{1000 + 10 * i}" for step in (1, 2) for i in range(len(ids))]
    path = tmp_path / "quotes.csv"
    path.write_text("a,b,cost\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr("planner.ui.importing.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), ""))
    assert not opened.actions_["clear_quotes"].isEnabled()
    opened.actions_["import_quotes"].trigger()
    assert len(doc.project.quotes) == 24 and opened.actions_["clear_quotes"].isEnabled()
    assert opened.editor.undo_stack.undoText() == "Import 24 carrier quotes from quotes.csv"
    assert "Carrier quotes limit the candidates to 24 quoted pairs" in opened.design_panel.candidates.text()
    wait_design(qtbot, opened)
    assert {k.source for k in doc.design.links} == {"quote"}
    opened.actions_["clear_quotes"].trigger()
    assert doc.project.quotes == [] and opened.editor.undo_stack.undoText() == "Clear 24 carrier quotes"
    assert "Any pair of sites may be linked" in opened.design_panel.candidates.text()


def test_save_and_reopen_keeps_every_constraint(qtbot, opened, tmp_path, monkeypatch):
    doc = opened.document
    ids = [s.id for s in doc.project.sites]
    opened.editor.set_roles(ids[1:3], "hub")
    opened.editor.set_roles([ids[5]], "optional")
    opened.editor.mark_existing(ids[0], ids[4], "LCC", 123_456)
    opened.editor.forbid_link(ids[6], ids[7])
    opened.editor.set_quotes([Quote(a, b, 100_000, 20_000) for a in ids for b in ids if a < b])
    site = doc.project.sites[8]
    opened.editor.add_zone(
        [(site.lon + 0.01, site.lat), (site.lon + 0.05, site.lat), (site.lon + 0.03, site.lat + 0.03)]
    )
    opened.editor.rename_zone(0, "Reservoir")
    opened.editor.change_settings(method="exact", time_limit=12.0, max_hops=3, max_ring=5)
    wait_design(qtbot, opened)
    target = tmp_path / "constraints.json"
    monkeypatch.setattr("planner.ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    assert opened.save_as()
    snapshot = project_to_dict(doc.project)

    assert opened.load(target)
    project = opened.document.project
    assert project_to_dict(project) == snapshot == project_to_dict(load_project(target))
    assert [s.role for s in project.sites][1:6] == ["hub", "hub", "site", "site", "optional"]
    assert [(e.a, e.b, e.owner, e.annual) for e in project.existing_links] == [
        (*sorted((ids[0], ids[4])), "LCC", 123_456)
    ]
    assert project.forbidden_links == [tuple(sorted((ids[6], ids[7])))]
    assert [z.name for z in project.exclusion_zones] == ["Reservoir"] and len(project.quotes) == 66
    panel = opened.design_panel
    assert panel.method.currentData() == "exact" and panel.time_limit.value() == 12
    assert panel.limit_boxes["max_hops"].value() == 3 and panel.limit_checks["max_ring"].isChecked()
    assert [opened.links.zones.item(0).text()] == ["Reservoir"]


@pytest.mark.parametrize("kind", ["existing", "forbidden"])
def test_link_marks_follow_a_dragged_site(qtbot, opened, kind):
    doc = opened.document
    a, b = doc.project.sites[0].id, doc.project.sites[9].id
    opened.editor.mark_existing(a, b, "LCC") if kind == "existing" else opened.editor.forbid_link(a, b)
    line = opened.map_scene.constraints.lines[(kind, tuple(sorted((a, b))))]
    opened.editor.move_site(a, doc.project.site(a).lon + 0.1, doc.project.site(a).lat)
    ends = {(round(p.x()), round(p.y())) for p in (line.line().p1(), line.line().p2())}
    position = opened.map_scene.position(a)
    assert (round(position.x()), round(position.y())) in ends


def test_rename_and_delete_a_no_go_area_from_the_links_panel(qtbot, opened, monkeypatch):
    doc, links = opened.document, opened.links
    site = doc.project.sites[8]
    opened.editor.add_zone(
        [(site.lon + 0.01, site.lat), (site.lon + 0.05, site.lat), (site.lon + 0.03, site.lat + 0.03)]
    )
    doc.selection.clear()
    links.zones.item(0).setSelected(True)
    assert doc.selection.zones == {0}
    assert opened.map_scene.constraints.zones[0].pen().color() == style.SELECTION
    monkeypatch.setattr("planner.ui.map_actions.QInputDialog.getText", lambda *a, **k: ("Reservoir", True))
    qtbot.mouseClick(links.rename_zone, Qt.MouseButton.LeftButton)
    assert doc.project.exclusion_zones[0].name == "Reservoir"
    assert opened.editor.undo_stack.undoText() == "Rename no-go area ‘No-go area 1’ to ‘Reservoir’"
    links.zones.item(0).setSelected(True)
    qtbot.mouseClick(links.delete_zones, Qt.MouseButton.LeftButton)
    assert doc.project.exclusion_zones == [] and links.zones.count() == 0
    assert opened.map_scene.constraints.zones == []


def test_the_design_panel_keeps_its_place_when_a_run_starts(qtbot, opened, monkeypatch):
    import threading

    import planner.ui.design_runner as design_runner

    release, real = threading.Event(), design_runner._design

    def held_back(*args):  # a run that takes its time, as a large region's does
        release.wait(30)
        return real(*args)

    monkeypatch.setattr(design_runner, "_design", held_back)
    panel = opened.design_panel
    where = panel.redundancy.mapTo(panel, panel.redundancy.rect().topLeft())
    opened.editor.change_tariff(rental_per_km=5_000)  # a new price: the design is made again
    qtbot.waitUntil(lambda: panel.progress.isVisible() and panel.status.text() == "Designing…")
    assert panel.redundancy.mapTo(panel, panel.redundancy.rect().topLeft()) == where
    release.set()
    wait_design(qtbot, opened)
