"""What the app remembers between runs, declared in one typed place over ``QSettings``.

Tests pass their own ``QSettings`` (an INI file under ``tmp_path``) so they never read
or write the user's real settings.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from planner.core.model import Project
from planner.core.project_file import FORMAT, VERSION, project_from_dict, project_to_dict
from planner.core.tariff import Tariff

__all__ = ["AppSettings", "MAX_RECENT", "SHARING_TIME_LIMIT"]

MAX_RECENT = 8
#: Seconds the cost sharing may take by default; beyond it the Shapley value is sampled.
SHARING_TIME_LIMIT = 60


class AppSettings:
    """Typed access to the persistent settings: window layout, recent files, last tariff, exports, sharing."""

    def __init__(self, store: QSettings | None = None):
        self._store = store if store is not None else QSettings()

    @classmethod
    def in_file(cls, path: str | Path) -> AppSettings:
        """Settings kept in the INI file ``path``: throw-away ones for tests, benchmarks and screenshots."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def sync(self) -> None:
        self._store.sync()

    @property
    def recovery_folder(self) -> Path:
        """Where copies of unsaved work are kept (beside the settings, so tests keep theirs apart)."""
        return Path(self._store.fileName()).parent / "recovery"

    # -- window layout -------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self._store.value("window/state")
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    # -- files ----------------------------------------------------------------------
    @property
    def recent_files(self) -> list[str]:
        """Recently opened or saved projects, newest first (only those that still exist)."""
        value = self._store.value("files/recent", [])
        names = [value] if isinstance(value, str) else list(value or [])
        return [n for n in names if isinstance(n, str) and Path(n).is_file()][:MAX_RECENT]

    def add_recent_file(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        names = [path] + [n for n in self.recent_files if n != path]
        self._store.setValue("files/recent", names[:MAX_RECENT])

    def clear_recent_files(self) -> None:
        self._store.setValue("files/recent", [])

    @property
    def last_directory(self) -> str:
        return str(self._store.value("files/last_directory", "") or "")

    @last_directory.setter
    def last_directory(self, value: str) -> None:
        self._store.setValue("files/last_directory", value)

    @property
    def export_directory(self) -> str:
        """The folder of the last export (else the project's folder)."""
        return str(self._store.value("files/export_directory", "") or self.last_directory)

    @export_directory.setter
    def export_directory(self, value: str) -> None:
        self._store.setValue("files/export_directory", value)

    # -- cost sharing -----------------------------------------------------------------
    @property
    def share_in_background(self) -> bool:
        """Work the cost sharing out as soon as a design settles, so the presenter and exports never wait."""
        return str(self._store.value("sharing/background", "true")).lower() == "true"

    @share_in_background.setter
    def share_in_background(self, value: bool) -> None:
        self._store.setValue("sharing/background", "true" if value else "false")

    @property
    def sharing_time_limit(self) -> int:
        """Seconds the cost sharing may take (the Shapley value is sampled rather than overrun)."""
        try:
            return max(5, int(self._store.value("sharing/time_limit", SHARING_TIME_LIMIT)))
        except (TypeError, ValueError):
            return SHARING_TIME_LIMIT

    @sharing_time_limit.setter
    def sharing_time_limit(self, value: int) -> None:
        self._store.setValue("sharing/time_limit", int(value))

    # -- design ---------------------------------------------------------------------
    @property
    def last_tariff(self) -> Tariff:
        """The tariff last used, for new projects (the default price list if none or unreadable)."""
        text = self._store.value("design/last_tariff", "")
        if not text:
            return Tariff()
        try:
            doc = {"format": FORMAT, "version": VERSION, "tariff": json.loads(str(text))}
            return project_from_dict(doc, "settings").tariff
        except ValueError:  # InputError is a ValueError too
            return Tariff()

    @last_tariff.setter
    def last_tariff(self, tariff: Tariff) -> None:
        self._store.setValue("design/last_tariff", json.dumps(project_to_dict(Project(tariff=tariff))["tariff"]))
