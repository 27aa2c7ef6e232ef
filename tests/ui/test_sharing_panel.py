"""The "Who pays what" dock: worked out in the background, the same figures as planner.analysis, cached."""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.analysis.sharing import METHODS, share_costs
from planner.core.money import format_gbp
from planner.ui.sharing_panel import COLUMNS, FLAG_TEXT
from tests.ui.conftest import wait_design


def _column(panel, heading: str) -> list[str]:
    model, column = panel.model, COLUMNS.index(heading)
    return [model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())]


def _wait_sharing(qtbot, win) -> None:
    qtbot.waitUntil(lambda: win.sharing_runner.sharing is not None, timeout=30_000)


def test_shares_add_up_to_the_design_and_match_the_analysis(qtbot, opened):
    win, panel = opened, opened.sharing_panel
    _wait_sharing(qtbot, win)
    design, project = win.document.design, win.document.project
    shown = win.sharing_runner.sharing
    direct = share_costs(project, design)
    assert shown.partners == direct.partners  # the same split as planner.analysis computes
    for method in METHODS:
        assert sum(p.shares[method] for p in shown.partners) == design.total_cost
    for method, label in METHODS.items():
        panel.method.setCurrentIndex(panel.method.findData(method))
        assert panel.method.currentText() == label
        pays, flags = _column(panel, "Pays"), _column(panel, "")
        assert pays == [format_gbp(p.shares[method]) for p in direct.partners] + [format_gbp(design.total_cost)]
        assert flags[:-1] == [FLAG_TEXT if p.pays_more(method) else "" for p in direct.partners]
    # the board's choice is the project's, saved with it and undoable
    assert win.document.project.sharing_method == "sites"
    assert win.editor.undo_stack.undoText() == "Cost split: Pro rata to cost alone → Per site"
    panel.method.setCurrentIndex(0)
    assert panel.method.currentText() == f"Recommended: {METHODS[shown.recommended]}"
    assert _column(panel, "Pays")[:-1] == [format_gbp(p.shares[shown.recommended]) for p in direct.partners]
    win.editor.undo_stack.undo()
    assert win.document.project.sharing_method == "sites" and panel.method.currentData() == "sites"
    assert "In the core" in panel.status.text() or "No split keeps" in panel.status.text()
    saving = direct.saving
    headline = panel.headline.text()
    assert format_gbp(abs(saving)) in headline and ("Saves" in headline) == (saving >= 0)
    assert "exact" in panel.status.text()


def test_an_edit_reprices_only_the_coalitions_it_touches(qtbot, opened):
    win = opened
    _wait_sharing(qtbot, win)
    cache = win.sharing_runner.cache
    priced = dict(cache)
    assert len(priced) == 2 ** len(win.document.project.partners) - 2  # every coalition but the grand one
    site = next(s for s in win.document.project.sites if s.partner == "WYP")
    win.editor.move_site(site.id, site.lon + 0.05, site.lat)
    assert win.sharing_panel.model.current is False or win.sharing_runner.sharing is None  # stale at once
    wait_design(qtbot, win)
    _wait_sharing(qtbot, win)
    new = {key: value for key, value in cache.items() if key not in priced}
    assert all("WYP" in network.members for network in new.values())
    assert len(new) == 2 ** (len(win.document.project.partners) - 1) - 1  # only coalitions with WYP
    assert sum(p.shares["shapley"] for p in win.sharing_runner.sharing.partners) == win.document.design.total_cost


def test_a_large_region_shares_out_only_when_asked(qtbot, opened, monkeypatch):
    monkeypatch.setattr("planner.ui.sharing_runner.AUTO_UP_TO_SITES", len(opened.document.project.sites) - 1)
    monkeypatch.setattr("planner.ui.sharing_panel.AUTO_UP_TO_SITES", len(opened.document.project.sites) - 1)
    win, panel = opened, opened.sharing_panel
    win.sharing_runner.cancel()
    site = win.document.project.sites[0]
    win.editor.move_site(site.id, site.lon + 0.02, site.lat)  # a fresh design, which would start it by itself
    wait_design(qtbot, win)
    qtbot.wait(1_200)  # longer than the settling time
    assert not win.sharing_runner.busy and win.sharing_runner.sharing is None
    assert panel.action.isVisible() and panel.action.text() == "Work out" and "takes a while" in panel.status.text()
    qtbot.mouseClick(panel.action, Qt.MouseButton.LeftButton)
    _wait_sharing(qtbot, win)
    assert sum(p.shares["shapley"] for p in win.sharing_runner.sharing.partners) == win.document.design.total_cost


def test_the_sharing_is_ready_after_opening_and_saved_with_the_project(qtbot, window, region_file, tmp_path):
    import json

    window.settings.share_in_background = True
    assert window.load(region_file)
    wait_design(qtbot, window)
    _wait_sharing(qtbot, window)  # the dock was never shown: worked out in the background
    first = window.sharing_runner.sharing
    saved = tmp_path / "with-sharing.json"
    assert window._write(saved)
    doc = json.loads(saved.read_text(encoding="utf-8"))["cost_sharing"]
    assert {e["key"] for e in doc["coalitions"]} == first.coalition_keys and doc["result"]["exact"]
    window.sharing_runner.cache.clear()
    assert window.load(saved)
    again = window.sharing_runner.sharing  # shown at once: the split saved with the project
    assert again == first and not window.sharing_runner.busy
    assert set(window.sharing_runner.cache) == first.coalition_keys  # nothing priced again
    window.editor.move_site(window.document.project.sites[0].id, -1.0, 53.5)
    wait_design(qtbot, window)
    _wait_sharing(qtbot, window)  # an edit: worked out again, reusing the networks it does not touch
    assert window.sharing_runner.sharing is not first
