"""File → Export → Map Image: what the map shows, as PNG, SVG or PDF, at a chosen pixel size.

The part of the map in the window is drawn again by :mod:`planner.io.map_image` — the
basemap, the design on show, the legend, a scale bar, a north arrow and the basemap
attribution — so a slide or report gets a clean map rather than a screenshot of widgets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QMainWindow, QMessageBox, QSpinBox

from planner.core.errors import PlannerError
from planner.io.map_image import IMAGE_FORMATS, MAX_SIDE, MIN_SIDE, write_map_image
from planner.ui.document import ProjectDocument
from planner.ui.map.view import MapView
from planner.ui.settings import AppSettings

__all__ = ["ImageSizeDialog", "MapImageExport", "view_extent"]


def view_extent(view: MapView) -> tuple[float, float, float, float]:
    """The Web Mercator rectangle (xmin, ymin, xmax, ymax) the map view shows (the scene's y points down)."""
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    return shown.left(), -shown.bottom(), shown.right(), -shown.top()


class ImageSizeDialog(QDialog):
    """The image's width and height in pixels."""

    def __init__(self, width: int, height: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Map image size")
        self.width_box, self.height_box = (
            QSpinBox(minimum=MIN_SIDE, maximum=MAX_SIDE, value=value, suffix=" px", singleStep=100)
            for value in (width, height)
        )
        self.width_box.setAccessibleName("Width")
        self.height_box.setAccessibleName("Height")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Width:", self.width_box)
        form.addRow("&Height:", self.height_box)
        form.addRow(buttons)

    def size_chosen(self) -> tuple[int, int]:
        return self.width_box.value(), self.height_box.value()


class MapImageExport(QObject):
    """Asks where and how big, then writes the map image (a second or so: on the GUI thread, with a busy cursor)."""

    def __init__(self, window: QMainWindow, document: ProjectDocument, view: MapView, settings: AppSettings):
        super().__init__(window)
        self.window, self.document, self.view, self.settings = window, document, view, settings

    def ask_and_write(self) -> Path | None:
        """Export the map; returns the file written (``None`` if cancelled or refused)."""
        if not self.document.project.sites:
            QMessageBox.information(self.window, "Export map", "There is nothing to draw: the project has no sites.")
            return None
        filters = [f"{what} (*{suffix})" for suffix, what in IMAGE_FORMATS.items()]
        stem = self.document.path.stem if self.document.path else "network-map"
        start = Path(self.settings.export_directory or ".") / f"{stem}-map.png"
        chosen, file_type = QFileDialog.getSaveFileName(self.window, "Export map image", str(start), ";;".join(filters))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() not in IMAGE_FORMATS:  # no suffix, or another: the type chosen in the dialog
            path = path.with_name(path.name + list(IMAGE_FORMATS)[max(0, filters.index(file_type))])
        viewport = self.view.viewport()
        dialog = ImageSizeDialog(min(MAX_SIDE, 2 * viewport.width()), min(MAX_SIDE, 2 * viewport.height()), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self.settings.export_directory = str(path.parent)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_map_image(
                self.document.project, self.document.design, path, dialog.size_chosen(), view_extent(self.view)
            )
        except PlannerError as err:
            QMessageBox.warning(self.window, "Export map", str(err))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(f"Exported the map to {path}", 10_000)
        return path
