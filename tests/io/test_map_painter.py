"""The printed map shows the constraints a board asks about: no-go areas and forbidden links."""

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from planner.core.geo import lonlat_to_mercator
from planner.core.model import ExclusionZone
from planner.core.project_file import load_project
from planner.design import design_project
from planner.io import map_colours
from planner.io.map_painter import paint_legend, paint_network_map

MM = 4.0  # device pixels per millimetre
LAND = QColor(map_colours.LAND)
YORKSHIRE = Path(__file__).parents[2] / "sample_regions" / "yorkshire_and_humber.json"


def _square(lon: float, lat: float, half: float) -> dict:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [ring + ring[:1]]}


@pytest.fixture(scope="module")
def constrained():
    # What is drawn here is geography (a no-go area, a forbidden link), so the sample's traffic is left out:
    # sizing circuits for it would make the design take its whole time limit and add nothing to these checks.
    project = load_project(YORKSHIRE)
    project = replace(
        project,
        sites=[replace(s, demand_mbps=0.0) for s in project.sites],
        demands=[],
        exclusion_zones=[ExclusionZone("Moors", _square(-0.85, 54.35, 0.06))],
    )
    design = design_project(project)
    chosen = {k.pair for k in design.links}
    forbidden = next(
        (a.id, b.id) for a in project.sites for b in project.sites if a.id < b.id and (a.id, b.id) not in chosen
    )
    return replace(project, forbidden_links=[forbidden]), design


def _paint(qapp, project, design) -> tuple[QImage, object]:
    image = QImage(1200, 900, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    frame = paint_network_map(painter, QRectF(0, 0, 1200, 900), project, design, MM)
    painter.end()
    return image, frame


def _reddened(colour: QColor, over: QColor) -> bool:
    """Redder than ``over``: green and blue pulled down, red kept."""
    return colour.red() >= over.red() - 25 and colour.green() < over.green() - 12 and colour.blue() < over.blue() - 12


def test_a_no_go_area_is_tinted_red_on_the_printed_map(qapp, constrained):
    project, design = constrained
    image, frame = _paint(qapp, project, design)
    centre = frame.point(*lonlat_to_mercator(-0.85, 54.35))
    box = [
        image.pixelColor(int(centre.x()) + dx, int(centre.y()) + dy) for dx in range(-6, 7, 3) for dy in range(-6, 7, 3)
    ]
    assert sum(_reddened(c, LAND) for c in box) >= len(box) - 2  # a circuit may cross it; the tint is still there
    plain, _ = _paint(qapp, replace(project, exclusion_zones=[], forbidden_links=[]), design)
    assert not _reddened(plain.pixelColor(int(centre.x()), int(centre.y())), LAND)


def test_a_forbidden_link_is_drawn_red_between_its_sites(qapp, constrained):
    project, design = constrained
    image, frame = _paint(qapp, project, design)
    a, b = (project.sites_by_id[i] for i in project.forbidden_links[0])
    ends = [frame.point(*lonlat_to_mercator(s.lon, s.lat)) for s in (a, b)]
    red = QColor(map_colours.NO_GO)
    along = [ends[0] + (ends[1] - ends[0]) * t for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)]

    def near_red(x: float, y: float) -> bool:
        around = (image.pixelColor(int(x) + dx, int(y) + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        return any(
            abs(c.red() - red.red()) + abs(c.green() - red.green()) + abs(c.blue() - red.blue()) < 90 for c in around
        )

    assert sum(near_red(p.x(), p.y()) for p in along) >= 3  # dashed: some samples fall in the gaps


def test_the_legend_names_the_constraints_only_when_there_are_some(qapp, constrained):
    project, design = constrained
    seen = []

    class Recorder(QPainter):
        def drawText(self, *args):
            seen.append(str(args[-1]))
            return super().drawText(*args)

    for shown in (project, replace(project, exclusion_zones=[], forbidden_links=[])):
        seen.clear()
        image = QImage(400, 900, QImage.Format.Format_RGB32)
        painter = Recorder(image)
        paint_legend(painter, QRectF(0, 0, 400, 900), shown, design, MM)
        painter.end()
        has = shown is project
        assert any(t.startswith("No-go area (1)") for t in seen) == has
        assert any(t.startswith("Forbidden link (1)") for t in seen) == has
