"""Unsaved work kept safe: a copy of the open project while it has unsaved changes, offered back
after a crash.

While the document has unsaved changes, its project is written every ``INTERVAL_MS`` to a
recovery file in ``folder`` (beside the app's settings), atomically like any project file. Saving,
or closing after the user chose to save or discard, removes it. A copy that is still there when
the app next starts, and that no running planner holds (each keeps a ``QLockFile`` beside its
copy; a lock left by a process that died counts as free), is unsaved work from a session that
ended badly: :func:`orphans` finds it, and the main window offers it back.

Files for one session, ``<id>`` random: ``<id>.json`` (the project), ``<id>.origin`` (the file
it was opened from or saved to, empty for a new project) and ``<id>.lock``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from planner.core.model import Project
from planner.core.project_file import load_project, save_project
from planner.ui.document import ProjectDocument

__all__ = ["Recovery", "Orphan", "orphans", "INTERVAL_MS"]

#: How often the copy is written while there are unsaved changes made since the last copy.
INTERVAL_MS = 20_000


@dataclass(frozen=True)
class Orphan:
    """Unsaved work left by a session that ended without saving or discarding it."""

    copy: Path
    origin: Path | None
    saved: dt.datetime

    def load(self) -> Project:
        """The project as it was last copied; ``InputError`` if the copy cannot be read."""
        return load_project(self.copy)

    def discard(self) -> None:
        for path in _files(self.copy):
            path.unlink(missing_ok=True)


def _files(copy: Path) -> tuple[Path, Path, Path]:
    return copy, copy.with_suffix(".origin"), copy.with_suffix(".lock")


def orphans(folder: Path) -> list[Orphan]:
    """The unsaved work in ``folder`` that no running planner holds, newest first."""
    found = []
    for copy in folder.glob("*.json") if folder.is_dir() else ():
        lock = QLockFile(str(copy.with_suffix(".lock")))
        if not lock.tryLock(0):  # a running planner's own copy
            continue
        lock.unlock()
        origin_file = copy.with_suffix(".origin")
        origin = origin_file.read_text(encoding="utf-8").strip() if origin_file.is_file() else ""
        saved = dt.datetime.fromtimestamp(copy.stat().st_mtime)
        found.append(Orphan(copy, Path(origin) if origin else None, saved))
    return sorted(found, key=lambda orphan: orphan.saved, reverse=True)


class Recovery(QObject):
    """Keeps a recovery copy of ``document``'s project while it has unsaved changes."""

    def __init__(self, document: ProjectDocument, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.document, self.folder = document, folder
        self.copy = folder / f"{uuid.uuid4().hex}.json"
        self._lock = QLockFile(str(self.copy.with_suffix(".lock")))
        self._edited = False  # since the last copy
        self._timer = QTimer(self, interval=INTERVAL_MS)  # runs while there are unsaved changes
        self._timer.timeout.connect(self._on_tick)
        # The slots only note what the signals say: the stack also signals while it is destroyed.
        document.undo_stack.indexChanged.connect(self._on_edit)
        document.undo_stack.cleanChanged.connect(self._on_clean_change)

    def _on_edit(self) -> None:
        self._edited = True

    def _on_clean_change(self, clean: bool) -> None:
        if clean:
            self.discard()
        else:
            self._edited = True
            self._timer.start()

    def _on_tick(self) -> None:
        if self._edited:
            self.write()

    def write(self) -> bool:
        """Copy the project now if it has unsaved changes; False if the copy could not be written.

        A failed copy is not an error the user must act on (their work is still open), so it is
        only reported by the return value and tried again at the next tick.
        """
        if not self.document.modified:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self._lock.isLocked() and not self._lock.tryLock(0):
                return False
            save_project(self.document.project, self.copy)
            origin = str(self.document.path) if self.document.path else ""
            self.copy.with_suffix(".origin").write_text(origin, encoding="utf-8")
        except OSError:
            return False
        self._edited = False
        return True

    def discard(self) -> None:
        """Remove the copy: the work was saved, or the user chose to throw it away."""
        self._timer.stop()
        for path in _files(self.copy)[:2]:
            path.unlink(missing_ok=True)
        if self._lock.isLocked():
            self._lock.unlock()  # removes the lock file
