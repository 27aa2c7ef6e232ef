"""The network map as an image file — PNG, SVG or PDF — with its legend, for slides and reports.

The same drawing as the board pack's map page (:mod:`planner.io.map_painter`: basemap,
circuits by role, sites by partner, scale bar, north arrow and the basemap attribution
every published map must carry), sized in pixels, with the key in a column at the right.
File → Export Map writes the part of the map the window shows; ``planner render`` the
whole region, fitted.

>>> from planner.core.model import Partner, Project, Site
>>> import tempfile, pathlib
>>> project = Project(partners=[Partner("P", "Police")], sites=[Site("a", "Leeds", "P", -1.55, 53.8)])
>>> out = pathlib.Path(tempfile.mkdtemp()) / "map.png"
>>> write_map_image(project, None, out, (800, 500))
>>> from PySide6.QtGui import QImage
>>> QImage(str(out)).size().toTuple()
(800, 500)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from planner.core.design_result import Design
from planner.core.errors import PlannerError
from planner.core.model import Project
from planner.io.map_painter import ensure_gui, extent_frame, map_frame, paint_legend, paint_network_map
from planner.io.safe_output import atomic_output

__all__ = ["IMAGE_FORMATS", "MAX_SIDE", "MIN_SIDE", "write_image", "write_map_image", "check_image_size"]

#: The image formats by file suffix, as a file dialog names them.
IMAGE_FORMATS = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF document"}
MIN_SIDE, MAX_SIDE = 200, 10_000  # pixels; 10,000 × 10,000 is 400 MB of image in memory
_LEGEND_MM = 64  # the key's column, in the drawing's millimetres


def check_image_size(width: int, height: int) -> None:
    """``PlannerError`` unless both sides are whole numbers of pixels within ``MIN_SIDE``..``MAX_SIDE``."""
    for name, side in (("width", width), ("height", height)):
        if isinstance(side, bool) or not isinstance(side, int) or not MIN_SIDE <= side <= MAX_SIDE:
            raise PlannerError(f"{name}: {side!r} must be a whole number of pixels, {MIN_SIDE}..{MAX_SIDE:,}")


def write_image(path: str | os.PathLike, size: tuple[int, int], paint: Callable[[QPainter], None], title: str) -> None:
    """Write what ``paint`` draws on a ``size`` canvas (pixels) to ``path``: PNG, SVG or PDF by its suffix.

    A PDF is one page of that many points at 96 per inch. The file is replaced only when
    complete; a bad suffix or size is a ``PlannerError``. The map export and the presenter's
    slides (:mod:`planner.ui.slides`) both write through here.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in IMAGE_FORMATS:
        raise PlannerError(f"{path}: a map image is {', '.join(IMAGE_FORMATS)}, not {suffix or 'a file without one'}")
    check_image_size(*size)
    ensure_gui()
    width, height = size
    with atomic_output(path) as temporary:
        if suffix == ".png":
            device = QImage(width, height, QImage.Format.Format_ARGB32)
            device.fill(QColor("white"))
        elif suffix == ".svg":
            device = QSvgGenerator()
            device.setFileName(str(temporary))
            device.setSize(QSize(width, height))
            device.setViewBox(QRectF(0, 0, width, height))
            device.setTitle(title)
        else:
            device = QPdfWriter(str(temporary))
            device.setResolution(96)
            page = QPageSize(QSizeF(width * 0.75, height * 0.75), QPageSize.Unit.Point, title)
            device.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
            device.setTitle(title)
            device.setCreator("Regional Network Planner")
        painter = QPainter(device)
        try:
            paint(painter)
        finally:
            painter.end()
        if suffix == ".png" and not device.save(str(temporary), "PNG"):
            raise PlannerError(f"{path}: the image could not be written")


def _paint_map(
    painter: QPainter,
    project: Project,
    design: Design | None,
    size: tuple[int, int],
    extent: tuple[float, float, float, float] | None,
) -> None:
    width, height = size
    mm = max(min(width / 300, height / 190), 1.5)  # device pixels per drawing millimetre
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
    legend_width = min(_LEGEND_MM * mm, width * 0.35)
    target = QRectF(0, 0, width - legend_width, height)
    frame = extent_frame(extent, target) if extent is not None else map_frame(project, target)
    paint_network_map(painter, target, project, design, mm, frame)
    gap = 4 * mm
    paint_legend(
        painter, QRectF(target.right() + gap, gap, legend_width - 2 * gap, height - 2 * gap), project, design, mm
    )


def write_map_image(
    project: Project,
    design: Design | None,
    path: str | os.PathLike,
    size: tuple[int, int] = (1600, 1000),
    extent: tuple[float, float, float, float] | None = None,
) -> None:
    """Write the map of ``design`` (or of the sites alone) to ``path``: PNG, SVG or PDF by its suffix.

    ``size`` is in pixels (see :func:`write_image`); ``extent`` the Web Mercator rectangle (xmin,
    ymin, xmax, ymax) to show, by default every site fitted.
    """
    write_image(
        path, size, lambda painter: _paint_map(painter, project, design, size, extent), project.name or "Network map"
    )
