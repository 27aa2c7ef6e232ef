"""The design worker: runs off the GUI thread, follows edits, can be cancelled."""

from __future__ import annotations

import dataclasses
import threading

from planner.ui.design_runner import DesignRunner
from planner.ui.document import ProjectDocument
from planner.ui.editor import ProjectEditor
from tests.ui.conftest import small_region


def test_an_edit_triggers_a_live_redesign_and_undo_reuses_the_earlier_one(qtbot):
    doc = ProjectDocument(small_region(8))
    editor = ProjectEditor(doc)
    runner = DesignRunner(doc)
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        runner.design_now()
    first = doc.design
    site = doc.project.sites[2]
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        editor.move_site(site.id, site.lon + 0.2, site.lat + 0.1)
    assert doc.design_current and doc.design.total_cost != first.total_cost
    editor.undo_stack.undo()
    assert doc.design_current and doc.design is first  # kept by the undo step: no new run
    runner.wait()


def test_a_live_redesign_of_a_large_region_starts_from_the_design_on_show(qtbot, monkeypatch):
    import planner.design
    import planner.ui.design_runner

    monkeypatch.setattr(planner.ui.design_runner, "LIVE_QUICK_SITES", 5)  # 8 sites count as large here
    real, starts = planner.design.design_project, []

    def recording(project, settings, control, warm_start=None):
        starts.append((settings.method, warm_start))
        return real(project, settings, control, warm_start)

    monkeypatch.setattr(planner.design, "design_project", recording)
    doc = ProjectDocument(small_region(8))
    editor, runner = ProjectEditor(doc), DesignRunner(doc)
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        runner.design_now()
    shown = doc.design
    site = doc.project.sites[2]
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        editor.move_site(site.id, site.lon + 0.05, site.lat + 0.02)
    assert starts == [("auto", None), ("quick", shown)]  # the Design button searches afresh
    assert doc.design_current and doc.design.verified and doc.design is not shown
    runner.wait()


def test_cancel_stops_a_run_and_keeps_the_last_design(qtbot, monkeypatch):
    doc = ProjectDocument(small_region(8))
    runner = DesignRunner(doc)
    started, release = threading.Event(), threading.Event()

    import planner.design

    real = planner.design.design_project

    def slow(project, settings, control, warm_start=None):
        started.set()
        while not release.wait(0.01):
            control.check()
        return real(project, settings, control, warm_start)

    monkeypatch.setattr(planner.design, "design_project", slow)
    with qtbot.waitSignal(runner.busy_changed):
        runner.design_now()
    assert started.wait(5)
    assert runner.busy
    with qtbot.waitSignal(runner.busy_changed, timeout=5_000) as blocker:
        runner.cancel()
    assert blocker.args == [False]
    assert doc.design is None and not runner.busy
    release.set()
    runner.wait()


def test_an_impossible_design_is_reported_not_raised(qtbot):
    project = small_region(4)
    project.sites = project.sites[:2]
    project.settings = dataclasses.replace(project.settings, redundancy="2edge")
    doc = ProjectDocument(project)
    runner = DesignRunner(doc)
    with qtbot.waitSignal(runner.finished, timeout=10_000) as blocker:
        runner.design_now()
    assert "needs at least 3 sites" in blocker.args[0]
    runner.wait()
