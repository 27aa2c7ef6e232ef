"""Map images: each file is re-read by a reader of its own kind and checked against the design drawn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from planner.core.errors import PlannerError
from planner.core.geo import lonlat_to_mercator
from planner.design import design_project
from planner.io.basemap import ATTRIBUTION_SHORT
from planner.io.map_image import write_map_image
from planner.io.map_painter import map_frame
from tests.factories import town_region


@pytest.fixture(scope="module")
def designed():
    project = town_region(10, seed=4)
    return project, design_project(project)


def _legend_width(width: int, height: int) -> float:
    """The key's column, as the image lays it out (64 drawing mm, at most 35% of the width)."""
    mm = max(min(width / 300, height / 190), 1.5)
    return min(64 * mm, width * 0.35)


def test_png_has_the_size_asked_and_each_site_where_it_is_in_its_partner_colour(designed, tmp_path):
    project, design = designed
    path = tmp_path / "map.png"
    write_map_image(project, design, path, (1200, 800))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1200, 800)
    frame = map_frame(project, QRectF(0, 0, 1200 - _legend_width(1200, 800), 800))
    colours = {p.id: QColor(p.colour) for p in project.partners}
    hits = 0
    for site in project.sites:
        point = frame.point(*lonlat_to_mercator(site.lon, site.lat))
        pixel = image.pixelColor(round(point.x()), round(point.y()))
        want = colours[site.partner]
        hits += abs(pixel.red() - want.red()) + abs(pixel.green() - want.green()) + abs(pixel.blue() - want.blue()) < 40
    assert hits >= len(project.sites) - 2  # a site may sit under a neighbour's marker


def test_svg_and_pdf_carry_the_legend_attribution_and_page_size(designed, tmp_path):
    project, design = designed
    write_map_image(project, design, tmp_path / "map.svg", (1000, 700))
    root = ET.parse(tmp_path / "map.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 1000 700"
    text = " ".join(t.strip() for t in root.itertext())
    assert "Circuits" in text and "N" in text.split() and "Backbone" in text
    assert all(p.name[:20] in text for p in project.partners)
    assert ATTRIBUTION_SHORT[:30] in text

    write_map_image(project, design, tmp_path / "map.pdf", (1000, 700))
    (page,) = PdfReader(tmp_path / "map.pdf").pages
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((750, 525), abs=1)  # at 96 dpi
    words = " ".join(page.extract_text().split())
    assert "Circuits" in words and project.partners[0].name[:20] in words


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("map.jpg", (800, 600), "a map image is .png, .svg, .pdf"),
        ("map.png", (50, 600), "width: 50 must be a whole number of pixels"),
        ("map.png", (800, 10**6), "height: 1000000 must be a whole number of pixels"),
    ],
)
def test_a_bad_name_or_size_is_one_clear_error_and_nothing_written(designed, tmp_path, name, size, message):
    project, design = designed
    with pytest.raises(PlannerError, match=re.escape(message)):
        write_map_image(project, design, tmp_path / name, size)
    assert list(tmp_path.iterdir()) == []
