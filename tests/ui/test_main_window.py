"""Drive the real main window as a user would: open, add, drag, undo, redesign, select, save."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from planner.core.model import MAX_ADDRESS_CHARS
from planner.core.money import format_gbp
from planner.core.project_file import load_project, project_to_dict, save_project
from planner.ui.dialogs import AddSiteDialog
from tests.ui.conftest import SAMPLE, site_point, wait_design


def test_open_shows_sites_design_and_figures(opened, region_file):
    doc = opened.document
    design = doc.design
    assert design is not None and design.verified
    assert len(opened.map_scene._markers) == len(doc.project.sites) == 12
    assert opened.schedule.proxy.rowCount() == len(design.links)
    assert opened.design_panel.figures.text("total") == format_gbp(design.total_cost)
    assert opened.design_panel.figures.text("circuits") == str(len(design.links))
    assert region_file.name in opened.windowTitle()
    assert opened.isWindowModified()  # the file holds no design: saving would add the one just made
    assert opened.save() and not opened.isWindowModified()
    (saved,) = load_project(region_file).designs
    assert (saved.total_cost, [k.circuit_id for k in saved.links]) == (
        design.total_cost,
        [k.circuit_id for k in design.links],
    )


@pytest.mark.skipif(not SAMPLE.exists(), reason="the Yorkshire & the Humber sample has not landed yet")
def test_opens_the_yorkshire_sample(qtbot, window):
    assert window.load(SAMPLE)
    assert len(window.map_scene._markers) == len(window.document.project.sites) > 10


def test_add_site_with_the_mouse(qtbot, opened, monkeypatch):
    def fill_in(dialog):
        dialog.name.setText("Otley depot")
        dialog.partner.setCurrentIndex(dialog.partner.findData("UNI"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSiteDialog, "exec", fill_in)
    view = opened.map_view
    qtbot.keyClick(view, Qt.Key.Key_A)  # the Add site tool
    assert view.tool == "add"
    click = QPoint(view.viewport().width() // 3, view.viewport().height() // 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click)
    site = opened.document.project.sites[-1]
    assert (site.name, site.partner) == ("Otley depot", "UNI")
    assert (site_point(opened, site.id) - click).manhattanLength() <= 2
    assert opened.isWindowModified()
    assert opened.document.selection.sites == {site.id}
    assert view.tool == "select" and opened.actions_["select_tool"].isChecked()  # one click, one site
    wait_design(qtbot, opened)
    assert site.id in opened.document.design.sites
    qtbot.keyClick(opened, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert site.id not in opened.document.sites_by_id


def drag(qtbot, view, start: QPoint, end: QPoint, steps: int = 6) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        qtbot.mouseMove(viewport, start + (end - start) * (i / steps))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_drag_a_site_changes_the_cost_and_undo_restores_it(qtbot, opened):
    doc = opened.document
    site = doc.project.sites[5]
    before_total = doc.design.total_cost
    start = site_point(opened, site.id)
    drag(qtbot, opened.map_view, start, start + QPoint(160, 90))
    moved = doc.project.site(site.id)
    assert (moved.lon, moved.lat) != (site.lon, site.lat)
    assert opened.editor.undo_stack.count() == 1  # the whole drag is one step
    assert opened.editor.undo_stack.undoText() == f"Move site ‘{site.name}’"
    wait_design(qtbot, opened)
    assert doc.design.total_cost != before_total
    assert opened.design_panel.figures.text("total") == format_gbp(doc.design.total_cost)

    qtbot.keyClick(opened, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.project.site(site.id) == site
    wait_design(qtbot, opened)
    assert doc.design.total_cost == before_total
    qtbot.keyClick(opened, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert doc.project.site(site.id) == moved


def test_changing_redundancy_changes_the_circuit_count(qtbot, opened):
    doc = opened.document
    assert doc.project.settings.redundancy == "2edge"
    survivable = len(doc.design.links)
    qtbot.keyClick(opened, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # tree
    assert opened.design_panel.redundancy.currentData() == "tree"
    wait_design(qtbot, opened)
    assert len(doc.design.links) == len(doc.project.sites) - 1 < survivable
    assert opened.design_panel.figures.text("circuits") == str(len(doc.design.links))
    assert opened.editor.undo_stack.undoText() == "Redundancy: 2edge → tree"


def test_schedule_row_selects_the_link_on_the_map_and_back(qtbot, opened):
    doc, table = opened.document, opened.schedule.table
    index = table.model().index(2, 0)
    circuit = index.data()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    assert doc.selection.circuits == {circuit}
    line = opened.map_scene.link_item(circuit).line()
    assert opened.map_view.mapToScene(opened.map_view.viewport().rect()).boundingRect().contains(line.center())

    other = max((link for link in doc.design.links if link.circuit_id != circuit), key=lambda k: k.distance_km)
    a, b = opened.map_scene.position(other.a), opened.map_scene.position(other.b)
    view = opened.map_view
    view.centerOn((a + b) / 2)
    qtbot.wait(50)
    middle = view.mapFromScene((a + b) / 2)
    assert view.item_at(middle).data(1) == other.circuit_id
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert doc.selection.circuits == {other.circuit_id}
    rows = table.selectionModel().selectedRows()
    assert [r.data() for r in rows] == [other.circuit_id]


def test_save_reopen_and_compare(qtbot, opened, tmp_path, monkeypatch):
    doc = opened.document
    opened.editor.move_site(doc.project.sites[0].id, -1.5, 53.8)
    opened.editor.rename_project("Renamed partnership")
    wait_design(qtbot, opened)
    target = tmp_path / "saved"
    monkeypatch.setattr("planner.ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    assert opened.isWindowModified()
    qtbot.keyClick(opened, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    saved = target.with_suffix(".json")
    assert saved.is_file() and not opened.isWindowModified()
    assert "saved.json" in opened.windowTitle()
    assert project_to_dict(load_project(saved)) == project_to_dict(doc.project)
    assert opened.settings.recent_files[0] == str(saved)

    snapshot = project_to_dict(doc.project)
    assert opened.load(saved)
    assert project_to_dict(opened.document.project) == snapshot
    assert opened.document.design is not None  # the saved design is shown at once


def test_a_broken_file_is_explained_and_nothing_is_lost(qtbot, opened, tmp_path, monkeypatch):
    broken = tmp_path / "broken.json"
    doc = json.loads(opened.document.path.read_text())
    doc["sites"][3]["lat"] = "north"
    broken.write_text(json.dumps(doc))
    shown = {}

    def capture(box):
        shown["text"], shown["info"] = box.text(), box.informativeText()
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", capture)
    before = project_to_dict(opened.document.project)
    assert not opened.load(broken)
    assert shown["text"] == "broken.json: sites[3].lat: 'north' must be a number"
    assert "still open" in shown["info"]
    assert project_to_dict(opened.document.project) == before


def test_closing_with_unsaved_changes_asks_first(qtbot, opened, monkeypatch):
    opened.editor.rename_project("Changed")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    assert not opened.close()
    assert opened.isVisible()
    assert opened.close()
    assert len(asked) == 2 and "Save the changes" in asked[0]


def test_delete_a_site_and_undo_in_history(qtbot, opened):
    doc = opened.document
    site = doc.project.sites[4]
    qtbot.mouseClick(opened.map_view.viewport(), Qt.MouseButton.LeftButton, pos=site_point(opened, site.id))
    assert doc.selection.sites == {site.id}
    assert opened.properties.site_editor.name.text() == site.name
    qtbot.keyClick(opened.map_view, Qt.Key.Key_Delete)
    assert site.id not in doc.sites_by_id
    assert opened.history.model().rowCount() == 2  # "Opened project" and the deletion
    assert opened.editor.undo_stack.undoText() == f"Delete site ‘{site.name}’"
    opened.editor.undo_stack.undo()
    assert doc.project.site(site.id) == site


def test_edit_site_and_partner_properties(qtbot, opened, monkeypatch):
    doc, panel = opened.document, opened.properties
    site = doc.project.sites[1]
    doc.selection.set([site.id])
    panel.site_editor.name.setFocus()
    panel.site_editor.name.selectAll()
    qtbot.keyClicks(panel.site_editor.name, "Civic Hall")
    qtbot.keyClick(panel.site_editor.name, Qt.Key.Key_Return)
    assert doc.project.site(site.id).name == "Civic Hall"

    monkeypatch.setattr("planner.ui.properties.QInputDialog.getText", lambda *a, **k: ("Fire & Rescue", True))
    panel.partner_buttons["add"].click()
    fire = doc.project.partners[-1]
    assert fire.name == "Fire & Rescue" and fire.colour not in {p.colour for p in doc.project.partners[:-1]}
    from PySide6.QtGui import QColor

    monkeypatch.setattr("planner.ui.properties.QColorDialog.getColor", lambda *a, **k: QColor("#882255"))
    panel.partner_buttons["colour"].click()
    assert doc.project.partner(fire.id).colour == "#882255"
    panel.partner_buttons["delete"].click()
    assert fire.id not in doc.project.partners_by_id
    assert opened.editor.undo_stack.undoText() == "Delete partner ‘Fire & Rescue’"


def test_type_a_site_s_address_then_undo(qtbot, opened, tmp_path):
    doc, field = opened.document, opened.properties.site_editor.address
    site = doc.project.sites[2]
    doc.selection.set([site.id])
    assert field.isVisible() and field.text() == site.address
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Elland Road, Leeds LS11 0ES")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert doc.project.site(site.id).address == "Elland Road, Leeds LS11 0ES"
    assert opened.editor.undo_stack.undoText().startswith(f"Site ‘{site.name}’ address: ")
    assert opened.editor.undo_stack.undoText().endswith("→ Elland Road, Leeds LS11 0ES")
    field.setText("Civic Hall\tLeeds\r\nLS1 1UR " + "x" * 300)  # pasted: breaks, a tab, far too long
    qtbot.keyClick(field, Qt.Key.Key_Return)
    address = doc.project.site(site.id).address
    assert address.startswith("Civic Hall Leeds LS1 1UR xxx") and len(address) <= MAX_ADDRESS_CHARS
    save_project(doc.project, tmp_path / "plan.json")
    assert load_project(tmp_path / "plan.json").site(site.id).address == address
    opened.map_view.setFocus()
    opened.editor.undo_stack.undo()
    opened.editor.undo_stack.undo()
    assert doc.project.site(site.id) == site and field.text() == site.address


def test_town_search_adds_a_site_there(qtbot, opened, monkeypatch):
    seen = {}

    def accept(dialog):
        seen["name"] = dialog.name.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSiteDialog, "exec", accept)
    search = opened.town_search
    search.setFocus()
    qtbot.keyClicks(search, "Harrogate")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    site = opened.document.project.sites[-1]
    assert seen["name"] == site.name == "Harrogate"
    assert abs(site.lon + 1.54) < 0.05 and abs(site.lat - 54.0) < 0.05


def test_tariff_edit_is_undoable_and_remembered(qtbot, opened):
    panel = opened.design_panel
    box = panel.money["rental_per_km"]
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "60")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert opened.document.project.tariff.rental_per_km == 6000
    assert opened.editor.undo_stack.undoText() == "Rental per km: £45.00 → £60.00"
    assert opened.settings.last_tariff.rental_per_km == 6000
    wait_design(qtbot, opened)
    opened.editor.undo_stack.undo()
    assert panel.money["rental_per_km"].value() == 45.0


def test_tooltips_about_and_welcome(qtbot, opened, region_file, monkeypatch):
    scene, design = opened.map_scene, opened.document.design
    link = design.links[0]
    assert link.circuit_id in scene.tooltip(scene.link_item(link.circuit_id))
    assert format_gbp(link.total(design.term_years)) in scene.tooltip(scene.link_item(link.circuit_id))
    site = opened.document.project.sites[0]
    assert "circuits here" in scene.tooltip(scene.marker(site.id))

    from planner.io.basemap import ATTRIBUTION

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    opened.actions_["about"].trigger()
    assert ATTRIBUTION in shown[0]

    from planner.ui.dialogs import WelcomeDialog

    def choose_recent(dialog):
        dialog.choice = str(region_file)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WelcomeDialog, "exec", choose_recent)
    opened.editor.replace_project(opened.document.project.__class__())
    opened.welcome()
    assert opened.document.path == region_file.resolve()


def _sites_in_view(win) -> bool:
    area = win.map_view.viewport().rect()
    return all(area.contains(site_point(win, s.id)) for s in win.document.project.sites)


def test_the_region_stays_fitted_as_the_window_is_laid_out_until_the_user_moves_the_map(qtbot, opened):
    win = opened
    assert _sites_in_view(win)
    for size in ((760, 520), (1280, 860), (900, 700)):  # docks and layout settling resize the map too
        win.resize(*size)
        qtbot.wait(50)
        assert _sites_in_view(win), size
    win.map_view.zoom_by(4.0)  # the user zooms in: from now on their view is kept as it is
    scale = win.map_view.scale_factor
    win.resize(1100, 800)
    qtbot.wait(50)
    assert win.map_view.scale_factor == scale and not _sites_in_view(win)


@pytest.mark.parametrize("sample", ["hampshire_and_dorset.json", "norfolk_and_suffolk_police.json"])
def test_every_sample_opens_with_all_its_sites_in_view(qtbot, window, sample):
    """South-coast and East Anglian regions too: the map may pan well beyond Great Britain."""
    assert window.load(SAMPLE.parent / sample)
    qtbot.wait(50)
    assert _sites_in_view(window)
    window.map_view.fit_region()  # and Fit Region agrees
    assert _sites_in_view(window)


def test_the_welcome_lists_projects_by_their_names_and_sizes(qtbot, region_file, tmp_path):
    from planner.ui.dialogs import WelcomeDialog

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    dialog = WelcomeDialog([str(region_file), str(broken)])
    qtbot.addWidget(dialog)
    texts = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    assert texts[0] == f"Test partnership\nRecent project · 3 partners, 12 sites · {region_file.name}"
    assert texts[1] == "broken\nRecent project · broken.json"  # unreadable: named by its file
    assert any(
        t.startswith("Yorkshire & the Humber Public Services Network\nSample partnership · 12 partners") for t in texts
    )
    dialog.show()
    dialog.list.setCurrentRow(0)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.choice == str(region_file)


def test_a_new_project_says_how_to_begin(qtbot, window):
    state = window.design_panel.figures.state
    assert "Add Site tool (A)" in state.text() and "Import Sites" in state.text()
    window.editor.add_site("Leeds", window.editor.add_partner("Council"), -1.55, 53.8)
    assert "Add Site tool" not in state.text()


def test_delete_removes_selected_sites_and_no_go_areas_together(qtbot, opened):
    doc = opened.document
    site = doc.project.sites[0]
    opened.editor.add_zone([(-3.0, 50.0), (-2.9, 50.0), (-2.9, 50.1)], "Test area")
    doc.selection.set([site.id], (), [0])
    opened.actions_["delete"].trigger()
    assert site.id not in doc.sites_by_id and not doc.project.exclusion_zones


def test_sites_can_be_clicked_and_dragged_at_the_fitted_zoom_of_a_large_region(qtbot, window, tmp_path):
    import dataclasses

    from planner.core.project_file import save_project
    from planner.ui.map.scene import LOD_SITES
    from tests.factories import town_region
    from tests.ui.conftest import small_region

    project = small_region(12)
    big = town_region(LOD_SITES + 100, seed=3)
    project.sites = [dataclasses.replace(s, partner=project.partners[i % 3].id) for i, s in enumerate(big.sites)]
    project.settings = dataclasses.replace(project.settings, method="quick", time_limit=5.0)
    save_project(project, tmp_path / "big.json")
    assert window.load(tmp_path / "big.json")
    qtbot.wait(200)
    view, scene = window.map_view, window.map_scene
    assert scene.lod  # the batched cloud stands in for the markers
    points = {s.id: site_point(window, s.id) for s in project.sites}
    inside = view.viewport().rect().adjusted(60, 60, -60, -60)

    def clear(site_id: str) -> bool:  # no other site within a few pixels: a click can only mean this one
        p = points[site_id]
        return inside.contains(p) and all((q - p).manhattanLength() > 16 for k, q in points.items() if k != site_id)

    site_id = next(k for k in points if clear(k))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=points[site_id])
    assert window.document.selection.sites == {site_id}
    before = window.document.project.site(site_id)
    drag(qtbot, view, points[site_id], points[site_id] + QPoint(40, 30))
    after = window.document.project.site(site_id)
    assert (after.lon, after.lat) != (before.lon, before.lat)
    assert window.editor.undo_stack.undoText() == f"Move site ‘{before.name}’"


def test_each_group_of_docks_has_one_tab_bar_and_no_stray_copies(qtbot, opened):
    from PySide6.QtWidgets import QTabBar

    def groups() -> list[tuple[str, ...]]:
        bars = [bar for bar in opened.findChildren(QTabBar) if bar.isVisible()]
        return sorted(tuple(bar.tabText(i) for i in range(bar.count())) for bar in bars)

    expected = [
        ("Design", "Properties", "History", "Links"),
        ("Link schedule", "Demands", "Risk groups"),
        ("Who pays what", "Scenarios"),
    ]
    assert groups() == sorted(expected)
    opened.resize(1600, 1000)
    opened.presenter.enter(full_screen=False)
    opened.presenter.leave()
    qtbot.wait(100)
    assert groups() == sorted(expected)
