"""Render the real main window offscreen to a PNG for the README.

``QT_QPA_PLATFORM=offscreen python -m planner.ui.screenshot docs/screenshot.png [PROJECT]``
opens the project (the Yorkshire & the Humber sample by default), waits for its design,
selects one circuit so the schedule and map show the link between them, and saves.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

__all__ = ["take_screenshot", "main"]

DEFAULT_PROJECT = Path(__file__).resolve().parents[2] / "sample_regions" / "yorkshire_and_humber.json"
SIZE = (1600, 1000)


def _settle(app: QApplication, msecs: int) -> None:
    deadline = QDeadlineTimer(msecs)
    while not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def take_screenshot(out: Path, project: Path = DEFAULT_PROJECT, timeout_s: float = 120.0) -> None:
    """Open ``project`` in a fresh main window (with throw-away settings) and save it to ``out``."""
    from planner.ui.app import make_application
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import AppSettings

    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        settings = AppSettings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(*SIZE)
        window.show()
        if not window.load(project):
            raise SystemExit(f"screenshot: cannot open {project}")
        deadline = QDeadlineTimer(int(timeout_s * 1000))
        while (window.runner.busy or window.document.design is None) and not deadline.hasExpired():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        design = window.document.design
        if design is not None and design.links:
            busiest = max(design.links, key=lambda link: link.annual)
            window.document.selection.set((), [busiest.circuit_id])
        window.map_view.fit_region()
        viewport = window.map_view.viewport()
        QTest.mouseMove(viewport, viewport.rect().center())  # fills in the status bar's place and grid ref
        _settle(app, 400)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            raise SystemExit(f"screenshot: cannot write {out}")
        window.document.undo_stack.setClean()
        window.close()
    print(f"screenshot: {out} ({SIZE[0]}×{SIZE[1]})")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path("docs/screenshot.png")
    project = Path(argv[1]) if len(argv) > 1 else DEFAULT_PROJECT
    take_screenshot(out, project)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
