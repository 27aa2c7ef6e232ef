"""Fixtures for driving the real main window: isolated settings, a small sample region, helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings

from planner.core.model import Partner, Project
from planner.core.project_file import save_project
from tests.factories import town_region

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_regions" / "yorkshire_and_humber.json"
PARTNERS = [
    Partner("WYP", "West Yorkshire Police", "#0072B2", "police"),
    Partner("LCC", "Leeds City Council", "#E69F00", "council"),
    Partner("UNI", "University", "#009E73", "university"),
]


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path, monkeypatch):
    """Any default-constructed QSettings writes under tmp_path, never the user's real settings."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def settings(tmp_path):
    from planner.ui.settings import AppSettings

    found = AppSettings.in_file(tmp_path / "settings.ini")
    found.share_in_background = False  # tests that want it say so: worker processes slow every other test
    return found


def small_region(n: int = 12, seed: int = 2) -> Project:
    """``n`` real towns shared among three partners, one of them a hub."""
    project = town_region(n, seed)
    project.name = "Test partnership"
    project.partners = list(PARTNERS)
    project.sites = [
        s.__class__(s.id, f"Town {i}", PARTNERS[i % 3].id, s.lon, s.lat, "hub" if i == 0 else "site")
        for i, s in enumerate(project.sites)
    ]
    return project


@pytest.fixture
def region_file(tmp_path) -> Path:
    path = tmp_path / "region.json"
    save_project(small_region(), path)
    return path


@pytest.fixture
def window(qtbot, settings):
    from planner.ui.main_window import MainWindow

    win = MainWindow(settings)
    win.resize(1280, 860)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Not qtbot.addWidget: pytest-qt would close the window before this clean-up, and an
    # unsaved project would then ask (modally) whether to save it.
    win.runner.cancel()
    win.runner.wait()
    win.editor.mark_saved()
    win.close()
    win.deleteLater()


def wait_design(qtbot, win, timeout: int = 30_000) -> None:
    """Wait until the worker is idle and the design on show is current."""
    qtbot.waitUntil(lambda: not win.runner.busy and win.document.design_current, timeout=timeout)


def site_point(win, site_id: str) -> QPoint:
    """Where a site's marker is, in the map viewport's pixels."""
    return win.map_view.mapFromScene(win.map_scene.position(site_id))


@pytest.fixture
def opened(qtbot, window, region_file):
    """The main window with the small region open and designed."""
    assert window.load(region_file)
    wait_design(qtbot, window)
    qtbot.wait(150)  # let the view settle (labels, level of detail)
    return window


def clickable_circuit(win, *, last: bool = True) -> tuple[str, QPoint]:
    """A circuit whose midpoint, in map viewport pixels, hits that circuit (no site on top), and the point.

    The highest circuit id first (``last``), so that its schedule row starts out of view.
    """
    view = win.map_view
    for link in sorted(win.document.design.links, key=lambda k: k.circuit_id, reverse=last):
        line = win.map_scene.link_item(link.circuit_id).line()
        point = view.mapFromScene((line.p1() + line.p2()) / 2)
        item = view.item_at(point)
        if item is not None and item.data(1) == link.circuit_id:
            return link.circuit_id, point
    raise AssertionError("no circuit can be clicked clear of the sites")
