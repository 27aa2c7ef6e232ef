"""Presenter steps as image files, for a presenter who scripts slides (``planner render --step N``).

The real main window, offscreen at the slide's size with throw-away settings, opens the
project, waits for what the step shows (the design; each partner's own network; the cost
sharing), enters presenter mode at that step and saves the window, drawn by the widgets
themselves (:func:`planner.io.map_image.write_image`), so SVG and PDF text and lines stay sharp.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QPoint, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QWidget

from planner.core.errors import PlannerError
from planner.io.map_image import write_image
from planner.ui.presenter.story import STEPS

__all__ = ["opened_window", "render_step", "save_widget"]


@contextmanager
def opened_window(
    project: Path, size: tuple[int, int], timeout_s: float, sharing_limit: float | None = None
) -> Iterator:
    """A fresh main window showing ``project`` with its design made (``PlannerError`` if none can be).

    The settings are throw-away (recent files, layout and recovery copies stay out of the
    user's own), and the window is closed, unsaved, afterwards.
    """
    from planner.ui.app import make_application, process_events_until
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import AppSettings

    make_application()
    with tempfile.TemporaryDirectory() as folder:
        settings = AppSettings.in_file(Path(folder) / "settings.ini")
        if sharing_limit is not None:
            settings.sharing_time_limit = sharing_limit
        window = MainWindow(settings)
        problems: list[str] = []
        window.runner.finished.connect(lambda problem: problems.append(problem) if problem else None)
        try:
            window.resize(*size)
            window.show()
            if not window.load(project):
                raise PlannerError(f"{project}: cannot be opened")
            designed = process_events_until(
                lambda: problems or (not window.runner.busy and window.document.design_current), timeout_s, 20
            )
            if problems or not designed:
                raise PlannerError(f"{project}: no design: {problems[-1] if problems else 'it took too long'}")
            yield window
        finally:
            window.runner.cancel()
            window.sharing_runner.cancel()
            for worker in (window.runner, window.sharing_runner, window.scenario_runner, window.exporter):
                worker.wait()
            window.editor.mark_saved()  # throw-away: never ask to save
            window.close()


def save_widget(widget: QWidget, path: Path) -> None:
    """Save what ``widget`` shows to ``path``: PNG, SVG or PDF by its suffix (replaced only when complete)."""
    size = (widget.width(), widget.height())
    write_image(path, size, lambda painter: widget.render(painter, QPoint()), widget.windowTitle() or "Slide")


def _quiet_offscreen(kind: QtMsgType, context, message: str) -> None:
    """Qt's messages to stderr, less the offscreen platform's note that windows have no size hints."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def render_step(project: Path, step: int, size: tuple[int, int], outputs: list[Path], timeout_s: float = 600) -> None:
    """Save presenter step ``step`` (1..5: partners, alone, shared, saving, resilience) of ``project``."""
    from planner.ui.app import process_events_until

    qInstallMessageHandler(_quiet_offscreen)
    if not 1 <= step <= len(STEPS):
        raise PlannerError(f"--step: {step} must be 1..{len(STEPS)} ({', '.join(s.name for s in STEPS)})")
    with opened_window(project, size, timeout_s) as window:
        presenter = window.presenter
        presenter.enter(full_screen=False)
        process_events_until(lambda: False, 0.05)  # the docks gone, the window's least size shrinks
        window.resize(*size)  # so it can be as small as the slide asks
        presenter.go(step - 1)
        process_events_until(lambda: not presenter.panel().waiting or presenter.problems, timeout_s, 20)
        waiting = presenter.panel().waiting
        if waiting:
            raise PlannerError(f"step {step}: {waiting}" + ("" if presenter.problems else f" (after {timeout_s:g} s)"))
        process_events_until(lambda: False, 0.3, 20)  # let the map and the panel settle
        for path in outputs:
            save_widget(window, path)
        presenter.leave()
