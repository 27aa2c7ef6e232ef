"""Render the window to an image and check that sites and circuits are really drawn."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from planner.ui.style import LINK_STYLES
from tests.ui.conftest import site_point


def _close(pixel: QColor, expected: QColor, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel.getRgb()[:3], expected.getRgb()[:3], strict=True))


def test_sites_are_drawn_in_their_partners_colours(qtbot, opened, tmp_path):
    opened.document.selection.clear()
    qtbot.wait(200)
    image = opened.grab().toImage()
    image.save(str(tmp_path / "window.png"))  # kept by pytest for a look when this fails
    viewport = opened.map_view.viewport()
    colours = {p.id: QColor(p.colour) for p in opened.document.project.partners}
    checked = 0
    for site in opened.document.project.sites:
        point = viewport.mapTo(opened, site_point(opened, site.id))
        pixel = image.pixelColor(point)
        assert _close(pixel, colours[site.partner]), (
            f"{site.name}: {pixel.name()} is not {colours[site.partner].name()}"
        )
        checked += 1
    assert checked == 12


def test_backbone_circuits_are_drawn(qtbot, opened):
    opened.document.selection.clear()
    qtbot.wait(200)
    image = opened.grab().toImage()
    viewport = opened.map_view.viewport()
    backbone = QColor(LINK_STYLES["backbone"].colour)
    links = sorted((k for k in opened.document.design.links if k.role == "backbone"), key=lambda k: -k.distance_km)
    drawn = 0
    for link in links[:4]:
        a, b = opened.map_scene.position(link.a), opened.map_scene.position(link.b)
        point = viewport.mapTo(opened, opened.map_view.mapFromScene((a + b) / 2))
        # A thin slanted line is antialiased: look at the pixels round the midpoint too.
        near = [image.pixelColor(point.x() + dx, point.y() + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        drawn += any(_close(pixel, backbone, tolerance=40) for pixel in near)
    assert drawn >= 3  # a label may cover the odd midpoint


def test_no_site_name_is_cut_off_at_the_edge_of_the_map(qtbot, opened):
    view, scene = opened.map_view, opened.map_scene
    opened.actions_["zoom_in"].trigger()  # some sites now sit near the edges
    view.settle()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    labels = [item for item in scene._labels.values() if item.isVisible()]
    assert labels, "the test needs some names on show"
    for label in labels:
        assert visible.contains(label.sceneBoundingRect()), label.text


def test_the_legend_folds_to_its_title_and_back(qtbot, opened):
    view = opened.map_view
    legend, button = view.legend, view.legend_button
    full = legend.height()
    assert button.isVisible() and button.geometry().intersects(legend.geometry())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert legend.collapsed and legend.height() < full / 3 and not view.legend_action.isChecked()
    assert button.geometry().intersects(legend.geometry())  # the button follows the folded legend
    qtbot.keyClick(opened, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not legend.collapsed and legend.height() == full
