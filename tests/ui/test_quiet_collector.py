"""Cycle collection waits for a quiet moment, then leaves what is alive out of later collections."""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from planner.ui.quiet_collector import QUIET_MS, QuietCollector
from tests.ui.conftest import site_point, wait_design


class _Node:
    """An object that points at itself: only the cycle collector frees it."""

    def __init__(self):
        self.me = self


@pytest.fixture
def no_automatic_collection():
    """Only the collector under test may free cycles."""
    gc.disable()
    yield
    gc.enable()


def _cycle() -> weakref.ref:
    return weakref.ref(_Node())


def test_the_window_collects_cycles_once_quiet_and_freezes_what_is_alive(opened, qtbot, no_automatic_collection):
    gc.unfreeze()
    garbage = _cycle()
    viewport = opened.map_view.viewport()
    before = opened.document.project.sites[0]
    start = site_point(opened, before.id)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(viewport, start + QPoint(30, 20))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(30, 20))
    wait_design(qtbot, opened)  # the site moved and the design followed: the collection waits after it
    assert opened.document.project.sites[0].lon != before.lon
    assert garbage() is not None and gc.get_freeze_count() == 0
    qtbot.waitUntil(lambda: garbage() is None, timeout=QUIET_MS * 3)
    assert gc.get_freeze_count() > 0  # what is alive is left out of later collections


def test_each_change_postpones_the_collection(qtbot, no_automatic_collection):
    collector = QuietCollector(quiet_ms=300)
    garbage = _cycle()
    for _ in range(4):  # changes more often than the quiet time: nothing runs
        collector.poke()
        qtbot.wait(150)
        assert garbage() is not None
    qtbot.waitUntil(lambda: garbage() is None, timeout=1500)
