"""The partners' cost sharing and their own networks for the shown design, worked out off the GUI thread.

One per open document. It keeps the document's coalition cache (``share_costs(cache=…)``):
coalition networks are keyed by everything they depend on, so the "Who pays what" panel,
exports and presenter mode, run after run, re-price only the coalitions an edit touched.

Work starts by itself (``AppSettings.share_in_background``, else while the "Who pays
what" panel is shown) for a current design, once it has settled (no design run for
``SETTLE_MS``), so the presenter's saving step and File → Export find it ready; it
stands aside while the design runner works, so dragging a site stays fluid, and a run
whose design is no longer shown is cancelled. The coalition networks are saved with the
project (:meth:`SharingRunner.for_file`) and taken back when it is opened
(:meth:`SharingRunner.adopt`), so reopening an unchanged project prices nothing again.
Two kinds of work:

* ``sharing`` — :func:`~planner.analysis.sharing.share_costs` within the time limit
  (``AppSettings.sharing_time_limit``), sampling the Shapley value rather than overrunning;
* ``networks`` — each partner's own network alone (quick: one small design per partner),
  for presenter mode; a finished ``sharing`` includes them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QTimer, Signal

from planner.core.design_result import Design
from planner.ui.background import BackgroundJob
from planner.ui.design_runner import DesignRunner, snapshot
from planner.ui.document import ProjectDocument
from planner.ui.settings import AppSettings

if TYPE_CHECKING:
    from planner.analysis.sharing import CostSharing
    from planner.core.coalition import Standalone

__all__ = ["SharingRunner", "SETTLE_MS", "AUTO_UP_TO_SITES"]

Kind = Literal["sharing", "networks"]
#: The design must have stayed the same this long before cost sharing starts.
SETTLE_MS = 800
#: Larger regions work out cost sharing only when asked: pricing hundreds of coalitions
#: of thousands of sites takes minutes and would keep the cores busy while the user works.
AUTO_UP_TO_SITES = 400


def sharing_workers() -> int:
    """Processes pricing coalitions: at least one, so the window never waits for the interpreter
    lock while hundreds of coalitions are designed, and one core is left to the window."""
    return max(1, (os.cpu_count() or 2) - 1)


class SharingRunner(QObject):
    """Cost sharing and partners' own networks for the document's shown design, cached and cancellable."""

    #: A result appeared, or the shown design changed so the last one is out of date.
    changed = Signal()
    #: Progress of the ``sharing`` work: fraction done and what it is doing.
    progress = Signal(float, str)
    busy_changed = Signal(bool)
    #: Work of a kind failed for the shown design: (kind, one line saying why).
    failed = Signal(str, str)

    def __init__(
        self,
        document: ProjectDocument,
        design_runner: DesignRunner,
        settings: AppSettings,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.document, self.design_runner, self.settings = document, design_runner, settings
        #: The document's coalition networks, shared by every run (see ``share_costs(cache=…)``).
        self.cache: dict[str, Standalone] = {}
        self._adopted: set[str] = set()  # the keys of the networks the open file brought
        self._saved: dict | None = None  # the split the open file brought, as saved
        #: Work out the sharing whenever the design settles (the panel sets this while it is shown).
        self.auto = False
        #: The user stopped the work: nothing starts by itself again until the design changes.
        self.stopped = False
        self._sharing: tuple[Design, CostSharing] | None = None
        self._networks: tuple[Design, dict[str, Standalone]] | None = None
        self._jobs: dict[Kind, tuple[Design, BackgroundJob]] = {}  # the current job of each kind
        self._running: set[BackgroundJob] = set()  # with cancelled ones still winding down
        self._wanted: set[Kind] = set()
        self._was_busy = False
        self._timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._timer.timeout.connect(self._start_wanted)
        document.design_changed.connect(self._on_design_change)
        document.partners_changed.connect(self._forget)  # shares name every partner
        document.project_replaced.connect(self._on_project_replaced)
        design_runner.busy_changed.connect(self._on_design_busy)

    # -- what there is ------------------------------------------------------------------
    @property
    def design(self) -> Design | None:
        """The design cost sharing is for: the shown one, when it is current."""
        return self.document.design if self.document.design_current else None

    def _for_shown(self, found: tuple[Design, object] | None):
        design = self.design
        return found[1] if found is not None and design is not None and found[0] is design else None

    @property
    def sharing(self) -> CostSharing | None:
        """The cost sharing of the shown design, if worked out."""
        return self._for_shown(self._sharing)

    @property
    def latest(self) -> CostSharing | None:
        """The last cost sharing worked out, perhaps for an earlier design (to show greyed while updating)."""
        return self._sharing[1] if self._sharing else None

    @property
    def networks(self) -> dict[str, Standalone] | None:
        """Each partner's own network for the shown design, by partner id, if worked out."""
        sharing = self.sharing
        return sharing.networks if sharing is not None else self._for_shown(self._networks)

    @property
    def automatic(self) -> bool:
        """Whether the sharing starts by itself once the design settles."""
        wanted = self.auto or self.settings.share_in_background
        return wanted and not self.stopped and not self.only_when_asked

    def for_file(self) -> tuple[dict[str, Standalone], dict | None]:
        """What to save with the project: the coalition networks the latest sharing used (before any,
        those the file was opened with) and the split of the shown design, when worked out."""
        from planner.analysis.sharing_file import sharing_to_dict

        latest = self.latest
        keys = latest.coalition_keys if latest is not None else self._adopted
        networks = {key: self.cache[key] for key in keys if key in self.cache}
        sharing, design = self.sharing, self.design
        if sharing is None or design is None:
            return networks, self._saved
        return networks, sharing_to_dict(sharing, self.document.project, design, self._limit())

    def adopt(self, coalitions: dict[str, Standalone], sharing: dict | None = None) -> None:
        """Take what was saved with the project just opened: its coalition networks into the cache, and
        its split, shown at once for the design it was worked out for."""
        self.cache.update(coalitions)
        self._adopted = set(coalitions)
        self._saved = sharing
        self._start_wanted()

    @property
    def only_when_asked(self) -> bool:
        """The region is too large for the sharing to start by itself (see ``AUTO_UP_TO_SITES``)."""
        return len(self.document.project.sites) > AUTO_UP_TO_SITES

    def busy_with(self, kind: Kind) -> bool:
        return kind in self._jobs

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    # -- asking for work ----------------------------------------------------------------
    def request(self, kind: Kind) -> None:
        """Work out ``kind`` for the shown design as soon as it is current (at once if it is)."""
        self._wanted.add(kind)
        self.stopped = False
        self._start_wanted()

    def set_auto(self, on: bool) -> None:
        self.auto = on
        if on:
            self._timer.start()

    def restart(self) -> None:
        """Work the sharing out again (after the time limit changed)."""
        self._cancel_jobs()
        self._sharing = None
        self.changed.emit()
        self.request("sharing")

    def cancel(self) -> None:
        """Stop all work; nothing starts again until the design changes or work is asked for."""
        self._wanted.clear()
        self._timer.stop()
        self.stopped = True
        self._cancel_jobs()

    def wait(self, seconds: float = 30.0) -> bool:
        """Block until every worker thread has ended (for shutdown and tests)."""
        return all([job.wait(seconds) for job in list(self._running)])

    # -- internals ----------------------------------------------------------------------
    def _cancel_jobs(self, keep: Design | None = None) -> None:
        for design, job in self._jobs.values():
            if design is not keep:
                job.cancel()

    def _on_design_change(self) -> None:
        self.stopped = False
        self._cancel_jobs(keep=self.design)
        self.changed.emit()
        if self.design is not None:
            self._timer.start()

    def _on_design_busy(self, busy: bool) -> None:
        if busy:  # the design is about to change: leave the cores to the engine
            self._timer.stop()
            self._cancel_jobs()
        elif self.design is not None:
            self._timer.start()

    def _forget(self) -> None:
        self._sharing = self._networks = None
        self._cancel_jobs()
        self.changed.emit()
        self._timer.start()

    def _on_project_replaced(self) -> None:
        self.cancel()
        self.stopped = False  # a new project starts afresh
        self.cache.clear()
        self._adopted, self._saved = set(), None
        self._forget()

    def _start_wanted(self) -> None:
        design = self.design
        if design is None or self.design_runner.busy:
            return
        if self._saved is not None and self.sharing is None:
            self._take_saved(design)
        for kind in sorted(self._wanted | ({"sharing"} if self.automatic else set())):
            done = self.sharing if kind == "sharing" else self.networks
            if done is not None:
                self._wanted.discard(kind)
            elif kind not in self._jobs or self._jobs[kind][0] is not design or self._jobs[kind][1].control.cancelled:
                self._start(kind, design)  # a cancelled run may still be winding down: start afresh
        self._report_busy()

    def _start(self, kind: Kind, design: Design) -> None:
        from planner.analysis.sharing import share_costs, standalone_networks

        project, cache = snapshot(self.document.project), self.cache
        if kind == "sharing":
            job = BackgroundJob(
                lambda control: share_costs(project, design, control, cache=cache, workers=sharing_workers()),
                self._limit(),
                self,
            )
            job.progress.connect(self.progress)
        else:
            job = BackgroundJob(
                lambda control: standalone_networks(project, design, control, cache=cache), self._limit(), self
            )
        job.succeeded.connect(lambda result: self._on_result(kind, design, result))
        job.failed.connect(lambda problem: self._on_failed(kind, design, problem))
        job.finished.connect(lambda: self._on_finished(kind, job))
        self._jobs[kind] = (design, job)
        self._running.add(job)
        job.start()

    def _take_saved(self, design: Design) -> None:
        """Show the split saved with the project, when it is for ``design`` as the project is now; it is
        checked once, for the first current design (fingerprinting the project is not free)."""
        from planner.analysis.sharing_file import sharing_from_dict

        saved = sharing_from_dict(self._saved, self.document.project, design, self._limit())
        self._saved = None
        if saved is not None:
            self._sharing = (design, saved)
            self._wanted.discard("sharing")
            self.changed.emit()

    def _limit(self) -> float:
        return float(self.settings.sharing_time_limit)

    def _on_result(self, kind: Kind, design: Design, result) -> None:
        if kind == "sharing":
            self._sharing = (design, result)
        else:
            self._networks = (design, result)
        if design is self.design:
            self._wanted.discard(kind)
            self.changed.emit()

    def _on_failed(self, kind: Kind, design: Design, problem: str) -> None:
        if design is self.design and problem:
            self._wanted.discard(kind)
            self.failed.emit(kind, problem)

    def _on_finished(self, kind: Kind, job: BackgroundJob) -> None:
        self._running.discard(job)
        if kind in self._jobs and self._jobs[kind][1] is job:
            del self._jobs[kind]
        self._report_busy()

    def _report_busy(self) -> None:
        if self.busy != self._was_busy:
            self._was_busy = self.busy
            self.busy_changed.emit(self.busy)
