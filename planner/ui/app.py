"""Start the desktop app: ``planner [PROJECT]`` opens the project, the last one, or the welcome."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from planner import __version__

__all__ = ["run_app", "make_application", "process_events_until"]


def make_application(argv: list[str] | None = None) -> QApplication:
    """The ``QApplication`` with the app's names (for QSettings) and look."""
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setOrganizationName("Regional Network Planner")
    app.setOrganizationDomain("regional-network-planner.invalid")
    app.setApplicationName("Regional Network Planner")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    return app


def process_events_until(done: Callable[[], bool], seconds: float, step_ms: int = 5) -> bool:
    """Run the event loop until ``done()`` or ``seconds`` pass (scripts and benchmarks); returns ``done()``.

    Pass ``lambda: False`` to let the window settle for ``seconds``.
    """
    app = QApplication.instance()
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not done() and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, step_ms)
    return done()


def run_app(argv: list[str]) -> int:
    """Open the main window; ``argv`` may name one project file. Returns the exit status."""
    app = make_application(argv)
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import AppSettings

    settings = AppSettings()
    window = MainWindow(settings)
    window.show()
    paths = [a for a in argv if not a.startswith("-")]
    # Unsaved work from a session that ended badly comes first.
    QTimer.singleShot(0, lambda: window.offer_recovery() or _open_first(window, settings, paths))
    return app.exec()


def _open_first(window, settings, paths: list[str]) -> None:
    """The project named on the command line, else the last one, else the welcome choice."""
    if paths:
        window.load(paths[0])
    elif settings.recent_files and Path(settings.recent_files[0]).is_file():
        window.load(settings.recent_files[0])
    else:
        window.welcome()
