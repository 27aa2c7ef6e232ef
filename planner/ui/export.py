"""File → Export: the shown design's link schedule, circuits, board pack and GIS layers.

What procurement buys from must be what the window shows, for the project as it is: an
export waits for a design being made for the latest change, and offers to design first
when the one on show is out of date. Every output path is checked before any work
starts. The cost sharing (the slow part of the workbook and the board pack) comes from
the document's :class:`~planner.ui.sharing_runner.SharingRunner`, so its coalition cache
is reused and the "Who pays what" panel shows the same figures; the files are written
on a worker thread: those not needing the sharing (CSV, GIS) at once, the workbook and
board pack once it is ready. A progress dialog with Cancel covers all of it, and a failure is one
line naming the file and the problem.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QProgressDialog

from planner.core.design_result import Design
from planner.core.errors import DesignCancelled, PlannerError
from planner.core.model import Project
from planner.io.exports import GIS_KEYS, PACK_KEYS, write_export
from planner.ui.background import BackgroundJob
from planner.ui.design_runner import DesignRunner, snapshot
from planner.ui.document import ProjectDocument
from planner.ui.settings import AppSettings
from planner.ui.sharing_runner import SharingRunner

__all__ = ["ExportFormat", "FORMATS", "ExportController", "WRITE_TIME_LIMIT"]

#: Seconds writing the files may take (the cost sharing has its own limit).
WRITE_TIME_LIMIT = 300.0


@dataclass(frozen=True)
class ExportFormat:
    """One kind of export: what it is called and its file type."""

    key: str
    what: str  # "the board pack"
    file_type: str  # "PDF (*.pdf)"
    suffix: str
    name: str  # file name ending under Export all: "<project>-board-pack.pdf"


FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat("xlsx", "the link schedule", "Excel workbook (*.xlsx)", ".xlsx", "-schedule"),
        ExportFormat("csv", "the circuits", "CSV, UTF-8 (*.csv)", ".csv", "-circuits"),
        ExportFormat("pdf", "the board pack", "PDF (*.pdf)", ".pdf", "-board-pack"),
        ExportFormat("gpkg", "the GIS layers", "GeoPackage (*.gpkg)", ".gpkg", ""),
        ExportFormat("geojson", "the GIS layers", "GeoJSON (*.geojson)", ".geojson", ""),
        ExportFormat("kml", "the GIS layers", "KML (*.kml)", ".kml", ""),
    )
}


def _write(key: str, project: Project, design: Design, path: Path, pack, control) -> None:
    """Write one export (on the worker thread); any failure becomes one line naming the file."""
    try:
        write_export(key, project, design, path, pack=pack, control=control)
    except (PlannerError, DesignCancelled):
        raise
    except OSError as err:
        raise PlannerError(f"{path}: cannot be written ({err.strerror or err})") from err
    except Exception as err:  # a bug: one line for the user, the trace for us
        traceback.print_exc()
        raise PlannerError(f"{path}: cannot be written ({type(err).__name__}: {err})") from err


class _Export(QObject):
    """One export run: wait for a current design, then the cost sharing, then write the files."""

    def __init__(self, controller: ExportController, paths: dict[str, Path]):
        super().__init__(controller)
        self.c, self.paths = controller, paths
        self.job: BackgroundJob | None = None
        self.dialog = QProgressDialog("Preparing the export…", "Cancel", 0, 1000, controller.window)
        self.dialog.setWindowTitle("Export")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._waiting: list[tuple[object, object]] = []  # (signal, slot) to disconnect when the wait ends
        self._pending = dict(paths)  # the files not written yet
        self._written: list[Path] = []

    # -- phases ----------------------------------------------------------------------------
    def start(self) -> None:
        self._step()

    def _step(self) -> None:
        """Go on with whatever is missing: a current design, the sharing, then the files."""
        c = self.c
        self._stop_waiting()
        if c.design_runner.busy or c.design_runner.due:
            self._show(0, "Designing the network for your latest change…")
            self._wait(c.design_runner.busy_changed, self._on_design_news)
            self._wait(c.design_runner.finished, self._on_design_news)  # a design from the cache: never busy
        elif c.sharing_runner.design is None:
            self._finish(f"No up-to-date design to export: {c.design_problem or 'design the network first'}.")
        else:
            shared = c.sharing_runner.sharing is not None
            ready = {key: path for key, path in self._pending.items() if shared or key not in PACK_KEYS}
            if ready:  # the schedule, CSV and GIS files at once; those needing the sharing once it is ready
                self._write_files(ready)
                return
            self._show(0, "Working out each partner's cost alone and its share…")
            self._wait(c.sharing_runner.progress, self._show)
            self._wait(c.sharing_runner.changed, self._on_sharing_changed)
            self._wait(c.sharing_runner.failed, self._on_sharing_failed)
            c.sharing_runner.request("sharing")

    def _on_design_news(self) -> None:
        if not (self.c.design_runner.busy or self.c.design_runner.due):
            self._step()

    def _on_sharing_changed(self) -> None:
        if self.c.sharing_runner.sharing is not None or self.c.sharing_runner.design is None:
            self._step()

    def _on_sharing_failed(self, kind: str, problem: str) -> None:
        if kind == "sharing":
            self._finish(f"Cannot work out the cost sharing: {problem}")

    def _write_files(self, paths: dict[str, Path]) -> None:
        sharing = self.c.sharing_runner.sharing
        design = self.c.sharing_runner.design
        project = snapshot(self.c.document.project)

        def work(control) -> list[Path]:
            from planner.analysis.pack import build_pack

            pack = build_pack(project, design, sharing=sharing) if sharing is not None else None
            written = []
            for n, (key, path) in enumerate(paths.items()):
                control.report(n / len(paths), f"Writing {path.name}")
                if control.expired():
                    raise PlannerError(f"{path}: not written: the export took longer than {control.time_limit:.0f} s")
                _write(key, project, design, path, pack, control)
                written.append(path)
            return written

        self.job = BackgroundJob(work, WRITE_TIME_LIMIT, self)
        self.job.progress.connect(self._show)
        self.job.succeeded.connect(self._on_written)
        self.job.failed.connect(lambda problem: self._finish(problem or None))
        self.job.start()

    def _on_written(self, written: list[Path]) -> None:
        self.job = None
        self._written += written
        self._pending = {key: path for key, path in self._pending.items() if path not in written}
        if self._pending:
            self._step()
            return
        if len(self._written) == 1:
            what = FORMATS[next(iter(self.paths))].what
            self.c.report(f"Exported {what} to {self._written[0]}")
        else:
            self.c.report(f"Exported {len(self._written)} files to {self._written[0].parent}")
        self._finish("")

    # -- plumbing ---------------------------------------------------------------------------
    def _wait(self, signal, slot) -> None:
        signal.connect(slot)
        self._waiting.append((signal, slot))

    def _stop_waiting(self) -> None:
        for signal, slot in self._waiting:
            signal.disconnect(slot)
        self._waiting.clear()

    def _show(self, fraction: float, message: str) -> None:
        self.dialog.setLabelText(message.rstrip("…") + "…")
        self.dialog.setValue(round(fraction * 1000))

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()  # _finish follows when the worker stops
            return
        if self.c.sharing_runner.busy_with("sharing"):
            self.c.sharing_runner.cancel()
        self._finish(None)

    def _finish(self, problem: str | None) -> None:
        """End the run: ``""`` done, ``None`` cancelled, else the one line to show."""
        self._stop_waiting()
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()
        if problem is None:
            done = f" ({len(self._written)} written before)" if self._written else ""
            self.c.report(f"Export cancelled: nothing more was written{done}")
        elif problem:
            QMessageBox.warning(self.c.window, "Export failed", problem)
        self.c.finished(self)


class ExportController(QObject):
    """The File → Export menu and the export runs behind it."""

    def __init__(
        self,
        window: QMainWindow,
        document: ProjectDocument,
        design_runner: DesignRunner,
        sharing_runner: SharingRunner,
        settings: AppSettings,
    ):
        super().__init__(window)
        self.window, self.document, self.settings = window, document, settings
        self.design_runner, self.sharing_runner = design_runner, sharing_runner
        self.run: _Export | None = None
        self.design_problem = ""
        design_runner.finished.connect(lambda problem: setattr(self, "design_problem", problem))
        self.menu = QMenu("&Export", window)
        self.actions_: dict[str, QAction] = {}
        for key, text, slot, tip in (
            ("xlsx", "&Link Schedule (XLSX)…", lambda: self.export_one("xlsx"), "Workbook of circuits, sites, shares"),
            ("csv", "&Circuits (CSV)…", lambda: self.export_one("csv"), "The circuit schedule for other systems"),
            ("pdf", "&Board Pack (PDF)…", lambda: self.export_one("pdf"), "Map, figures, shares, schedule, failures"),
            ("gis", "&GIS Layers (GeoPackage, GeoJSON, KML)…", self.export_gis, "Sites and circuits for QGIS"),
            ("all", "Export &All to a Folder…", self.export_all, "Every export above, into one folder"),
        ):
            if key == "all":
                self.menu.addSeparator()
            action = self.actions_[key] = self.menu.addAction(text, slot)
            action.setStatusTip(tip)

    @property
    def busy(self) -> bool:
        return self.run is not None

    # -- choosing files ----------------------------------------------------------------------
    def _stem(self) -> str:
        """The file name exports start from: the project file's, else the project's name."""
        if self.document.path is not None:
            return self.document.path.stem
        return re.sub(r"[^\w]+", "-", self.document.project.name.lower()).strip("-") or "network-plan"

    def _ask_path(self, keys: tuple[str, ...], title: str) -> tuple[str, Path] | None:
        formats = [FORMATS[k] for k in keys]
        folder = Path(self.settings.export_directory or ".")
        start = folder / f"{self._stem()}{formats[0].name}{formats[0].suffix}"
        chosen, file_type = QFileDialog.getSaveFileName(
            self.window, title, str(start), ";;".join(f.file_type for f in formats)
        )
        if not chosen:
            return None
        path = Path(chosen)
        fmt = next((f for f in formats if f.suffix == path.suffix.lower()), None)
        if fmt is None:  # no suffix, or another one: the file type chosen in the dialog decides
            fmt = next((f for f in formats if f.file_type == file_type), formats[0])
            path = path.with_name(path.name + fmt.suffix)
        self.settings.export_directory = str(path.parent)
        return fmt.key, path

    def export_one(self, key: str) -> None:
        chosen = self._ask_path((key,), f"Export {FORMATS[key].what}")
        if chosen is not None:
            self.export({chosen[0]: chosen[1]})

    def export_gis(self) -> None:
        chosen = self._ask_path(GIS_KEYS, "Export the GIS layers")
        if chosen is not None:
            self.export({chosen[0]: chosen[1]})

    def export_all(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Export everything to", self.settings.export_directory)
        if not folder:
            return
        self.settings.export_directory = folder
        paths = {key: Path(folder) / f"{self._stem()}{f.name}{f.suffix}" for key, f in FORMATS.items()}
        existing = [p.name for p in paths.values() if p.exists()]
        if existing:
            answer = QMessageBox.question(
                self.window,
                "Export",
                f"{len(existing)} of the files are already in {folder} ({', '.join(existing[:3])}"
                f"{', …' if len(existing) > 3 else ''}). Replace them?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.export(paths)

    # -- running -------------------------------------------------------------------------------
    def export(self, paths: dict[str, Path]) -> bool:
        """Export to ``paths`` (format key -> file); returns whether an export started."""
        from planner.io.safe_output import check_writable

        if self.run is not None:
            return False
        try:
            for path in paths.values():
                check_writable(path)
        except PlannerError as err:
            QMessageBox.warning(self.window, "Export failed", str(err))
            return False
        if not self._design_ready():
            return False
        self.run = _Export(self, paths)
        self.run.start()
        return True

    def _design_ready(self) -> bool:
        """True when a design for the project as it is now is on show or being made; else offer to design."""
        runner = self.design_runner
        if runner.busy or runner.due or self.sharing_runner.design is not None:
            return True
        if not self.document.project.sites:
            QMessageBox.information(self.window, "Export", "There is nothing to export: the project has no sites.")
            return False
        answer = QMessageBox.question(
            self.window,
            "Export",
            "The design on show is not for the project as it is now"
            + (f" ({self.design_problem})" if self.design_problem else "")
            + ". Design it now, and export when it is ready?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.design_runner.design_now()
        return self.design_runner.busy or self.sharing_runner.design is not None

    def report(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10_000)

    def finished(self, run: _Export) -> None:
        if self.run is run:
            self.run = None
        run.deleteLater()

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()

    def wait(self, seconds: float = 30.0) -> bool:
        """Block until the files being written are done (for shutdown and tests)."""
        return self.run is None or self.run.job is None or self.run.job.wait(seconds)
