"""Time limit, cancel and progress for long design runs.

The engine polls ``control.check()`` at safe points; the app's worker thread sets
the cancel event and receives progress through the callback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.core.errors import DesignCancelled

__all__ = ["Control"]


@dataclass
class Control:
    """How long a run may take, whether it was cancelled, and where to report progress.

    >>> c = Control(time_limit=10)
    >>> c.expired(), round(c.remaining()) <= 10
    (False, True)
    """

    time_limit: float = 30.0
    cancel_event: threading.Event = field(default_factory=threading.Event)
    progress: Callable[[float, str], None] | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def deadline(self) -> float:
        return self.started + self.time_limit

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def leaving(self, seconds: float) -> Control:
        """A control for the work before the last ``seconds`` of this one: same cancel and progress.

        >>> Control(time_limit=10).leaving(3).time_limit <= 7
        True
        """
        return Control(max(0.0, self.remaining() - seconds), self.cancel_event, self.progress)

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        """Raise ``DesignCancelled`` if the user cancelled."""
        if self.cancel_event.is_set():
            raise DesignCancelled()

    def report(self, fraction: float, message: str) -> None:
        self.check()
        if self.progress is not None:
            self.progress(min(1.0, max(0.0, fraction)), message)
