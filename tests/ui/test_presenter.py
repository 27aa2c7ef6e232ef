"""Presenter mode driven by keys and clicks: the story's steps, cutting circuits, and the window put back."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QFontMetricsF, QPainter
from PySide6.QtWidgets import QApplication, QToolBar

from planner.core.money import format_gbp_short
from planner.core.project_file import project_to_dict, save_project
from planner.ui.map_actions import ContextMenu
from planner.ui.presenter import overlay as overlay_module
from planner.ui.presenter.layer import CUT
from planner.ui.presenter.overlay import KEYS
from tests.ui.conftest import small_region, wait_design


def _chrome(win) -> dict:
    """What presenter mode hides and must put back."""
    return {
        "docks": {key for key, dock in win.docks.items() if dock.isVisible()},
        "toolbars": [t.isVisible() for t in win.findChildren(QToolBar)],
        "menu": win.menuBar().isVisible(),
        "status": win.statusBar().isVisible(),
        "legend": win.map_view.legend.isVisible(),
        "labels": win.map_scene.labels_on,
        "full_screen": win.isFullScreen(),
        "size": win.size(),
        "scale": round(win.map_view.scale_factor, 9),
        "selection": (win.document.selection.sites, win.document.selection.circuits),
    }


def _centre(win) -> QPointF:
    """The map's centre, in screen pixels."""
    view = win.map_view
    return view.mapToScene(view.viewport().rect().center()) * view.scale_factor


def _untouched(win):
    return project_to_dict(win.document.project), win.editor.undo_stack.count(), win.editor.modified


def _midpoint(win, circuit_id: str) -> QPoint:
    """Where to click a circuit, in the overlay's pixels (the overlay covers the map view)."""
    line = win.map_scene.link_item(circuit_id).line()
    return win.map_view.viewport().mapToParent(win.map_view.mapFromScene(line.center()))


def _clear_circuits(win, n: int = 1) -> list[str]:
    """``n`` circuits, the longest first, whose midpoints are clear of the panel and of every other circuit's."""
    presenter, panel = win.presenter, win.presenter.overlay.panel_rect()
    found = []
    for link in sorted(win.document.design.links, key=lambda k: -k.distance_km):
        point = _midpoint(win, link.circuit_id)
        if not panel.contains(point) and presenter.circuit_under(point) == link.circuit_id:
            found.append(link.circuit_id)
    assert len(found) >= n, "not enough circuits clear of the others"
    return found[:n]


def _clear_circuit(win) -> str:
    return _clear_circuits(win)[0]


def test_enter_step_through_with_keys_and_leave_with_esc(qtbot, opened):
    win, presenter = opened, opened.presenter
    win.document.selection.set((), [win.document.design.links[0].circuit_id])
    before, centre, project = _chrome(win), _centre(win), _untouched(win)
    win.presenter.action.trigger()  # View → Presenter Mode
    assert presenter.active and win.isFullScreen()
    assert not win.menuBar().isVisible() and not any(dock.isVisible() for dock in win.docks.values())
    assert not any(t.isVisible() for t in win.findChildren(QToolBar))
    overlay = presenter.overlay
    qtbot.waitUntil(overlay.hasFocus)
    assert presenter.story.key == "partners" and presenter.panel().title == "The partners"

    qtbot.keyClick(overlay, Qt.Key.Key_Right)
    assert presenter.story.key == "alone"
    qtbot.waitUntil(lambda: win.sharing_runner.networks is not None, timeout=20_000)
    alone = presenter.panel()
    assert alone.figure == format_gbp_short(sum(n.cost for n in win.sharing_runner.networks.values()))
    assert len(presenter.layer._extra) > 0  # each partner's own network is drawn
    qtbot.keyClick(overlay, Qt.Key.Key_Down)
    assert presenter.story.spotlight == win.document.project.partners[0].id
    assert [r.strong for r in presenter.panel().rows].count(True) == 1

    qtbot.keyClick(overlay, Qt.Key.Key_PageDown)  # a presentation clicker
    assert presenter.story.key == "shared"
    assert presenter.panel().figure == format_gbp_short(win.document.design.total_cost)
    qtbot.keyClick(overlay, Qt.Key.Key_Space)
    assert presenter.story.key == "saving"
    qtbot.keyClick(overlay, Qt.Key.Key_PageUp)
    assert presenter.story.key == "shared"
    qtbot.keyClick(overlay, Qt.Key.Key_End)
    assert presenter.story.key == "cut"
    qtbot.keyClick(overlay, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # no editing shortcut fires
    qtbot.keyClick(overlay, Qt.Key.Key_Delete)
    qtbot.keyClick(overlay, Qt.Key.Key_F11)
    assert not win.isFullScreen()

    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not presenter.active and not presenter.action.isChecked()
    qtbot.wait(300)
    after = _chrome(win)
    assert {k: v for k, v in after.items() if before[k] != v} == {}, {
        k: before[k] for k in after if before[k] != after[k]
    }
    assert (_centre(win) - centre).manhattanLength() <= 2
    assert _untouched(win) == project


def test_cut_a_circuit_by_clicking_it_then_restore_it(qtbot, opened, monkeypatch):
    win, presenter = opened, opened.presenter
    project = _untouched(win)
    presenter.enter(full_screen=False)
    presenter.go(4)
    circuit, other = _clear_circuits(win, 2)
    menus = []
    monkeypatch.setattr(ContextMenu, "exec", lambda menu, *args: menus.append(menu))
    where = _midpoint(win, circuit)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, presenter.overlay.mapToGlobal(where))
    QApplication.sendEvent(presenter.overlay, event)
    assert menus == []  # the map's editing menu never opens in a presentation
    qtbot.mouseClick(presenter.overlay, Qt.MouseButton.LeftButton, pos=_midpoint(win, circuit))
    assert presenter.story.cuts == (circuit,)
    panel = presenter.panel()
    assert panel.figure == "Still connected" and f"All {len(win.document.design.sites)} sites" in panel.caption
    assert win.map_scene.link_item(circuit).pen().color() == QColor(CUT)
    qtbot.mouseClick(presenter.overlay, Qt.MouseButton.LeftButton, pos=_midpoint(win, circuit))
    assert presenter.story.cuts == () and presenter.panel().figure == "All connected"

    # A new cut replaces the last: the board sees one failure at a time unless it asks for two.
    overlay, shift = presenter.overlay, Qt.KeyboardModifier.ShiftModifier
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=_midpoint(win, circuit))
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=_midpoint(win, other))
    assert presenter.story.cuts == (other,)
    assert win.map_scene.link_item(circuit).pen().color() != QColor(CUT)
    panel = presenter.panel()
    assert panel.title == "Cut any circuit" and "at once" not in panel.caption
    assert "Shift-click" in panel.keys and "Shift" in panel.lead  # the way to a double failure is on screen
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, shift, _midpoint(win, circuit))
    assert presenter.story.cuts == (other, circuit)
    assert all(win.map_scene.link_item(c).pen().color() == QColor(CUT) for c in (circuit, other))
    panel = presenter.panel()
    assert panel.title == "Double failure"
    assert panel.caption.startswith(f"Two circuits cut at once: {other} and {circuit}. ")
    assert [r.name.split(":")[0] for r in panel.rows if r.figure == "cut"] == [other, circuit]
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, shift, _midpoint(win, circuit))  # restores that one
    assert presenter.story.cuts == (other,) and presenter.panel().title == "Cut any circuit"

    qtbot.keyClick(overlay, Qt.Key.Key_R)  # a random cut replaces the last too
    (random_cut,) = presenter.story.cuts
    assert random_cut != other
    qtbot.keyClick(overlay, Qt.Key.Key_R, shift)
    assert len(presenter.story.cuts) == 2 and presenter.story.cuts[0] == random_cut
    assert presenter.panel().caption.startswith("Two circuits cut at once: ")
    qtbot.keyClick(overlay, Qt.Key.Key_C)
    assert presenter.story.cuts == () and presenter.panel().title == "Cut any circuit"
    presenter.leave()
    assert _untouched(win) == project

    win.editor.change_settings(redundancy="tree")  # a tree cuts someone off whatever is cut
    wait_design(qtbot, win)
    presenter.enter(full_screen=False)
    presenter.go(4)
    circuit = _clear_circuit(win)
    qtbot.mouseClick(presenter.overlay, Qt.MouseButton.LeftButton, pos=_midpoint(win, circuit))
    panel = presenter.panel()
    assert panel.figure == "Sites cut off" and "cut off:" in panel.caption
    presenter.leave()


def _near(pixel: QColor, expected: QColor, tolerance: int = 14) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel.getRgb()[:3], expected.getRgb()[:3], strict=True))


def test_presenter_screenshot_shows_partner_colours_and_a_large_figure(qtbot, opened, tmp_path):
    win, presenter = opened, opened.presenter
    win.resize(1600, 900)
    presenter.enter(full_screen=False)
    qtbot.wait(150)
    image = win.grab().toImage()
    image.save(str(tmp_path / "partners.png"))  # kept by pytest for a look when this fails
    colours = {p.id: QColor(p.colour) for p in win.document.project.partners}
    view = win.map_view
    for site in win.document.project.sites:
        point = view.viewport().mapTo(win, view.mapFromScene(win.map_scene.position(site.id)))
        assert _near(image.pixelColor(point), colours[site.partner]), site.name

    presenter.go(2)  # the shared network: its cost as the headline
    qtbot.wait(100)
    image = win.grab().toImage()
    image.save(str(tmp_path / "shared.png"))
    panel = presenter.overlay.panel_rect().toRect().translated(view.mapTo(win, QPoint(0, 0)))
    navy = QColor("#2F3E4E")
    rows_with_figure = [
        y
        for y in range(panel.top(), panel.bottom())
        if any(_near(image.pixelColor(x, y), navy, 30) for x in range(panel.left(), panel.right(), 3))
    ]
    assert len(rows_with_figure) > 40 * presenter.overlay.unit  # glyphs of a figure over 40 px tall
    presenter.leave()


class _Recording(QPainter):
    """A painter that notes every text the overlay draws: (text, font, pen colour, rectangle, flags)."""

    drawn: ClassVar[list] = []

    def drawText(self, rect, flags, text):
        self.drawn.append((text, self.font(), self.pen().color(), QRectF(rect), flags))
        super().drawText(rect, flags, text)


def _contrast(colour: QColor, background: QColor) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        channels = [v / 255 for v in c.getRgb()[:3]]
        r, g, b = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


LONG_NAME = "Humberside Fire and Rescue Service and Yorkshire Ambulance Service NHS Trust"
LONG_PROJECT = "The Yorkshire and the Humber Public Services Network Partnership Board, Phase Two"


@pytest.mark.parametrize("size", [(1920, 1080), (1440, 900)])
def test_headings_fit_one_line_long_names_are_whole_and_key_hints_are_legible(
    qtbot, window, tmp_path, monkeypatch, size
):
    project = small_region()
    project.name = LONG_PROJECT
    project.partners[0] = replace(project.partners[0], name=LONG_NAME)
    path = tmp_path / "long names.json"
    save_project(project, path)
    assert window.load(path)
    wait_design(qtbot, window)
    window.resize(*size)
    presenter = window.presenter
    presenter.enter(full_screen=False)
    qtbot.waitUntil(lambda: window.sharing_runner.sharing is not None, timeout=20_000)
    overlay = presenter.overlay
    qtbot.waitUntil(lambda: overlay.width() >= size[0] - 10)
    monkeypatch.setattr(overlay_module, "QPainter", _Recording)
    width = overlay.panel_rect().width() - 2 * 48 * overlay.unit  # the panel's text column
    white = QColor("white")
    for step in range(5):
        presenter.go(step)
        if step == 4:  # a double failure: the longest title and the most rows
            first, second = _clear_circuits(window, 2)
            presenter.toggle_cut(first)
            presenter.toggle_cut(second, keep=True)
        panel = presenter.panel()
        _Recording.drawn = []
        overlay.repaint()
        drawn = {t.replace("\u00a0", " "): rest for t, *rest in _Recording.drawn}  # hints keep their words together
        for heading in filter(None, (panel.title, panel.figure)):  # whole, on one line, within the column
            font, _, rect, _ = drawn[heading]
            metrics = QFontMetricsF(font)
            assert metrics.horizontalAdvance(heading) <= width + 0.5, (step, heading)
            assert rect.height() < 1.5 * metrics.lineSpacing() and font.pixelSize() >= 24 * overlay.unit
        (name,) = [t for t in drawn if t.startswith("THE YORKSHIRE")]  # too long for any size: elided, marked
        assert name.endswith("…") and QFontMetricsF(drawn[name][0]).horizontalAdvance(name) <= width + 0.5
        for row in panel.rows:  # every name drawn whole, in a rectangle that holds all its lines
            font, _, rect, flags = drawn[row.name]
            assert QFontMetricsF(font).boundingRect(rect, flags, row.name).height() <= rect.height() + 0.5, row.name
            assert font.pixelSize() >= 12
        assert (step in (0, 1, 3)) == any(r.name == LONG_NAME for r in panel.rows)
        for hint in (KEYS, panel.keys, panel.note):
            if hint:
                font, colour, rect, _ = drawn[hint]
                assert font.pixelSize() >= 13 and _contrast(colour, white) >= 4.5, hint
                assert rect.bottom() <= overlay.height() and rect.width() <= width + 0.5
        rows = [drawn[r.name][2] for r in panel.rows]
        footer = min(drawn[hint][2].top() for hint in (KEYS, panel.keys, panel.note) if hint)
        assert all(r.bottom() <= footer for r in rows), step  # the list never runs into the footer
    presenter.leave()


def test_without_a_comparison_w_changes_nothing_and_the_saving_step_offers_no_what_if(qtbot, opened):
    presenter = opened.presenter
    assert opened.scenario_runner.results is None
    presenter.enter(full_screen=False)
    presenter.go(3)
    before = presenter.panel()
    qtbot.keyClick(presenter.overlay, Qt.Key.Key_W)
    assert presenter.story.what_if is None and presenter.panel() == before and before.keys == ""
    presenter.leave()
