"""Render the window to an image and check that sites and circuits are really drawn."""

from __future__ import annotations

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
