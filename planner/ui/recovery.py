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

A copy that cannot be read back (damaged, or holding values the project file refuses) is
never a crash at every start: :meth:`Orphan.load` turns any error into an ``InputError`` and
sets the copy aside first, renamed ``<id>.json.unreadable`` (never deleted, never offered
again), saying where it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from planner.core.errors import InputError, PlannerError
from planner.core.files import atomic_path
from planner.core.model import Project
from planner.core.project_file import load_project, save_project
from planner.core.text import shown, text_problem
from planner.ui.design_runner import snapshot
from planner.ui.editor import ProjectEditor

__all__ = ["Recovery", "Orphan", "orphans", "INTERVAL_MS", "SET_ASIDE_SUFFIX"]

#: How often the copy is written while there are unsaved changes made since the last copy.
INTERVAL_MS = 20_000
#: Added to the name of a copy that cannot be read: it is kept for the user, and no longer offered.
SET_ASIDE_SUFFIX = ".unreadable"


@dataclass(frozen=True)
class Orphan:
    """Unsaved work left by a session that ended without saving or discarding it."""

    copy: Path
    origin: Path | None
    saved: dt.datetime

    def load(self) -> Project:
        """The project as it was last copied.

        Raises ``InputError`` if the copy cannot be read, for any reason; the copy is then set aside
        (see :data:`SET_ASIDE_SUFFIX`) and the first problem says where it went.
        """
        try:
            return load_project(self.copy)
        except InputError as err:
            problems = err.problems
        except Exception as err:  # whatever the copy holds, the app must start
            problems = [f"{self.copy.name}: cannot be read ({type(err).__name__}: {shown(str(err))})"]
        raise InputError([f"{problems[0]}; {self._set_aside()}", *problems[1:]]) from None

    def _set_aside(self) -> str:
        """Rename the copy so it is kept but no longer offered; what became of it, for a message."""
        aside = self.copy.with_name(self.copy.name + SET_ASIDE_SUFFIX)
        n = 1
        while aside.exists() or aside.is_symlink():
            n += 1
            aside = self.copy.with_name(f"{self.copy.name}{SET_ASIDE_SUFFIX}{n}")
        try:
            self.copy.rename(aside)
        except OSError as err:
            return f"it could not be set aside ({err.strerror or err})"
        return f"it was set aside as {aside}"

    def discard(self) -> None:
        """Remove the copy and its files (what cannot be removed is left, never an error)."""
        for path in _files(self.copy):
            with suppress(OSError):
                path.unlink(missing_ok=True)


def _files(copy: Path) -> tuple[Path, Path, Path]:
    return copy, copy.with_suffix(".origin"), copy.with_suffix(".lock")


def orphans(folder: Path) -> list[Orphan]:
    """The unsaved work in ``folder`` that no running planner holds, newest first."""
    found = []
    try:
        copies = list(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        return []
    for copy in copies:
        lock = QLockFile(str(copy.with_suffix(".lock")))
        if not lock.tryLock(0):  # a running planner's own copy
            continue
        lock.unlock()
        try:
            saved = dt.datetime.fromtimestamp(copy.stat().st_mtime)
        except (OSError, OverflowError, ValueError):  # gone meanwhile, or a time no clock shows
            continue
        found.append(Orphan(copy, _origin(copy.with_suffix(".origin")), saved))
    return sorted(found, key=lambda orphan: orphan.saved, reverse=True)


def _origin(origin_file: Path) -> Path | None:
    """The file a copy's project was opened from or saved to; ``None`` for a new project, or when the
    record is unreadable or names no usable path (the work itself is still offered)."""
    try:
        if not origin_file.is_file() or origin_file.stat().st_size > 64 * 1024:
            return None
        origin = origin_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(origin) if origin and not text_problem(origin) else None


class Recovery(QObject):
    """Keeps a recovery copy of the ``editor``'s project while it has unsaved changes."""

    def __init__(self, editor: ProjectEditor, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.editor, self.document, self.folder = editor, editor.document, folder
        self.copy = folder / f"{uuid.uuid4().hex}.json"
        self._lock = QLockFile(str(self.copy.with_suffix(".lock")))
        self._edited = False  # since the last copy
        self._writing: threading.Thread | None = None  # the timer's copy being written
        self._timer = QTimer(self, interval=INTERVAL_MS)  # runs while there are unsaved changes
        self._timer.timeout.connect(self._on_tick)
        # The slots only note what the signals say: the stack also signals while it is destroyed.
        editor.undo_stack.indexChanged.connect(self._on_edit)
        editor.document.design_changed.connect(self._on_edit)
        editor.modified_changed.connect(self._on_modified_change)

    def _on_edit(self) -> None:
        self._edited = True

    def _on_modified_change(self, modified: bool) -> None:
        if not modified:
            self.discard()
        else:
            self._edited = True
            self._timer.start()

    def _on_tick(self) -> None:
        if self._edited and (self._writing is None or not self._writing.is_alive()):
            self.write(background=True)

    def write(self, background: bool = False) -> bool:
        """Copy the project now if it has unsaved changes; False if the copy could not be written.

        A failed copy is not an error the user must act on (their work is still open), so it is
        only reported by the return value and tried again at the next tick. With ``background``
        (the timer's copies) a snapshot is written on a worker thread, as a large project's JSON
        takes a good part of a second, and the return value says only that it started.
        """
        if not self.editor.modified:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self._lock.isLocked() and not self._lock.tryLock(0):
                return False
        except OSError:
            return False
        project = dataclasses.replace(snapshot(self.document.project), designs=list(self.document.project.designs))
        origin = str(self.document.path) if self.document.path else ""
        self._edited = False
        if not background:
            return self._write_copy(project, origin)
        self._writing = threading.Thread(target=self._write_copy, args=(project, origin), daemon=True)
        self._writing.start()
        return True

    def _write_copy(self, project: Project, origin: str) -> bool:
        try:
            save_project(project, self.copy)
            with atomic_path(self.copy.with_suffix(".origin")) as temporary:
                temporary.write_text(origin, encoding="utf-8")
        except (OSError, PlannerError):  # PlannerError: text the project file cannot hold
            self._edited = True  # try again at the next tick
            return False
        return True

    def discard(self) -> None:
        """Remove the copy: the work was saved, or the user chose to throw it away."""
        self._timer.stop()
        if self._writing is not None:
            self._writing.join()  # else a copy still being written would appear after its removal
        for path in _files(self.copy)[:2]:
            path.unlink(missing_ok=True)
        if self._lock.isLocked():
            self._lock.unlock()  # removes the lock file
