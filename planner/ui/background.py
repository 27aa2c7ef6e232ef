"""Long work off the GUI thread: one callable run on a worker thread with progress, Cancel and a time limit.

The work is a plain function of a :class:`~planner.design.Control` (the cost sharing,
a partner's own network, an export). Its signals are always delivered on the GUI
thread: the worker emits private signals that this object, which lives on the GUI
thread, receives queued and passes on.

Each job runs on its own Python thread, not a ``QThreadPool`` thread: Python gives a
pool thread a fresh thread state for every job, which clears ``threading.local``
data between jobs while C-level thread storage survives. pyproj keeps its PROJ
context in both, so the second job on a pool thread used a context the first had
freed (a crash in ``proj_create`` while exporting).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from planner.core.errors import DesignCancelled, PlannerError

__all__ = ["BackgroundJob"]


class BackgroundJob(QObject):
    """``work(control)`` on its own thread; ``succeeded(result)`` or ``failed(why)`` when it ends.

    ``failed`` carries ``""`` when the job was cancelled; ``what`` names the work in the
    message of an unexpected error ("the design engine failed (…)"). Keep a reference to
    the job until ``finished``; then it lets go of its work (and the snapshot that holds)
    and its Qt side is deleted, though ``wait`` and ``control`` still answer.
    """

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()
    _progress = Signal(float, str)
    _done = Signal(object, str, bool)  # (result, problem, ok)

    def __init__(
        self, work: Callable[[Any], Any], time_limit: float, parent: QObject | None = None, what: str = "the work"
    ):
        from planner.design import Control  # the engine is imported on first use, not at start-up

        super().__init__(parent)
        self._work, self._what = work, what
        self.control = Control(time_limit, progress=self._progress.emit)
        self._thread: threading.Thread | None = None
        self._progress.connect(self.progress)  # queued: always before ``_done``
        self._done.connect(self._on_done)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="planner-job", daemon=True)
        self._thread.start()

    def wait(self, seconds: float = 30.0) -> bool:
        """Block until the worker thread has ended (for shutdown and tests); whether it has."""
        if self._thread is not None:
            self._thread.join(seconds)
        return self._thread is None or not self._thread.is_alive()

    def cancel(self) -> None:
        self.control.cancel()

    def _run(self) -> None:
        try:
            result = self._work(self.control)
        except DesignCancelled:
            self._done.emit(None, "", False)
        except PlannerError as err:
            self._done.emit(None, str(err), False)
        except Exception as err:  # a bug: report it, never crash the window
            traceback.print_exc()
            self._done.emit(None, f"{self._what} failed ({type(err).__name__}: {err})", False)
        else:
            self._done.emit(result, "", True)

    def _on_done(self, result: object, problem: str, ok: bool) -> None:
        self._work = None
        if ok:
            self.succeeded.emit(result)
        else:
            self.failed.emit(problem)
        self.finished.emit()
        self.deleteLater()
