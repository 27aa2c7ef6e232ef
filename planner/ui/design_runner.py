"""Runs the design engine off the GUI thread so the window never freezes.

Two kinds of run, one at a time on a worker thread (a :class:`BackgroundJob`), newest request first:

* **live** — after every edit (debounced), the fast heuristic (its lighter ``quick`` search above
  500 sites), so the figures follow a site while it is dragged;
* **full** — the Design button: the project's own method (``auto``/``exact``), with
  progress and Cancel.

A run made for inputs that have changed since it started is dropped. Accepted designs
are kept by their inputs, so Undo shows the earlier design again at once.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from typing import Literal

from PySide6.QtCore import QObject, QTimer, Signal

from planner.core.design_result import Design
from planner.core.model import DesignSettings, Project
from planner.ui.background import BackgroundJob
from planner.ui.document import ProjectDocument

__all__ = ["inputs_key", "DesignRunner", "LIVE_TIME_LIMIT", "snapshot"]

RunKind = Literal["live", "full"]
#: Seconds a live (heuristic) run may take before it returns its best so far.
LIVE_TIME_LIMIT = 10.0
#: Above this many sites a live run takes the lighter ``quick`` search, starting from the design on
#: show (a local search from its ring, about a third of the time of a search afresh), so the figures
#: follow a drag; the Design button's run still searches in full.
LIVE_QUICK_SITES = 500
_CACHE_SIZE = 64


def snapshot(project: Project) -> Project:
    """A copy the worker can read while the GUI goes on editing (the values are immutable)."""
    return dataclasses.replace(
        project,
        partners=list(project.partners),
        sites=list(project.sites),
        quotes=list(project.quotes),
        demands=list(project.demands),
        existing_links=list(project.existing_links),
        forbidden_links=list(project.forbidden_links),
        exclusion_zones=list(project.exclusion_zones),
        risk_groups=list(project.risk_groups),
        designs=[],
        circuit_ids=dict(project.circuit_ids),
    )


def inputs_key(project: Project) -> tuple:
    """Everything a design depends on except the method and time limit, as a hashable key."""
    s = project.settings
    return (
        tuple(project.sites),
        project.tariff,
        tuple(project.quotes),
        tuple(project.demands),
        tuple(project.existing_links),
        tuple(project.forbidden_links),
        json.dumps([(z.name, z.geometry) for z in project.exclusion_zones], sort_keys=True),
        tuple(project.risk_groups),
        dataclasses.replace(s, method="auto", time_limit=DesignSettings.time_limit),
    )


def _design(project: Project, settings: DesignSettings, control, warm_start: Design | None) -> Design:
    from planner.design import design_project  # the engine is imported on first use, not at start-up

    return design_project(project, settings, control, warm_start)


class _Run:
    """One engine run on a snapshot of the project, and what it was for."""

    def __init__(
        self,
        project: Project,
        settings: DesignSettings,
        revision: int,
        kind: RunKind,
        key: tuple,
        parent: QObject,
        warm_start: Design | None = None,
    ):
        self.revision, self.kind, self.key = revision, kind, key
        self.job = BackgroundJob(
            lambda control: _design(project, settings, control, warm_start),
            settings.time_limit,
            parent,
            "the design engine",
        )


class DesignRunner(QObject):
    """Keeps the document's design current: debounced live runs and on-demand full runs."""

    busy_changed = Signal(bool)
    progress = Signal(float, str)
    #: A run ended: ``""`` when it produced a design, else why there is none.
    finished = Signal(str)

    def __init__(self, document: ProjectDocument, debounce_ms: int = 30, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._job: _Run | None = None
        self._started: list[BackgroundJob] = []  # for wait(): finished jobs' threads may still be ending
        self._pending: RunKind | None = None
        self._cache: OrderedDict[tuple, tuple[Design, RunKind]] = OrderedDict()
        self._was_busy = False
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms)
        self._timer.timeout.connect(lambda: self._request("live"))
        document.inputs_changed.connect(self.schedule)
        document.project_replaced.connect(self._cache.clear)

    @property
    def busy(self) -> bool:
        return self._job is not None

    @property
    def due(self) -> bool:
        """A live redesign is waiting for the edits to pause (it starts within the debounce)."""
        return self._timer.isActive()

    def schedule(self) -> None:
        """Redesign with the fast heuristic shortly (restarts the wait while edits keep coming)."""
        if self._job is not None:
            self._job.job.cancel()  # its inputs are already out of date
        self._timer.start()

    def flush(self) -> None:
        """Start a waiting live redesign now rather than after the debounce (e.g. a drag ended)."""
        if self._timer.isActive():
            self._timer.stop()
            self._request("live")

    def design_now(self) -> None:
        """Design with the project's own method (the Design button), cancelling any live run."""
        self._timer.stop()
        self._request("full")

    def cancel(self) -> None:
        """Stop the running design; the last design stays on show."""
        self._timer.stop()
        self._pending = None
        if self._job is not None:
            self._job.job.cancel()

    def kind_of(self, design: Design | None) -> RunKind | None:
        """Whether ``design`` came from a ``live`` or a ``full`` run (``None``: not from this runner)."""
        return next((kind for shown, kind in self._cache.values() if shown is design), None)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker is idle (for shutdown and tests)."""
        return all([job.wait(msecs / 1000) for job in self._started])

    # -- internals ------------------------------------------------------------------------
    def _request(self, kind: RunKind) -> None:
        if self._job is not None:
            if kind == "full" or self._job.kind == "live":
                self._job.job.cancel()
            self._pending = "full" if "full" in (kind, self._pending) else kind
            return
        if kind == "live" and self.document.design_current:  # e.g. Undo put back the design of these inputs
            return
        project = self.document.project
        key = inputs_key(project)
        cached, _ = self._cache.get(key, (None, None))
        if cached is not None and (kind == "live" or cached.proven_optimal):
            self._cache.move_to_end(key)
            self.document.accept_design(cached, self.document.revision)
            self.finished.emit("")
        else:
            settings, warm = project.settings, None
            if kind == "live":
                limit = min(settings.time_limit, LIVE_TIME_LIMIT)
                method = "quick" if len(project.sites) > LIVE_QUICK_SITES else "heuristic"
                settings = dataclasses.replace(settings, method=method, time_limit=limit)
                warm = self.document.design if len(project.sites) > LIVE_QUICK_SITES else None  # start from it
            run = _Run(snapshot(project), settings, self.document.revision, kind, key, self, warm)
            run.job.progress.connect(self.progress)
            run.job.succeeded.connect(lambda design: self._on_done(run, design, ""))
            run.job.failed.connect(lambda problem: self._on_done(run, None, problem))
            self._job = run
            self._started = [j for j in self._started if not j.wait(0)] + [run.job]
            run.job.start()
        self._report_busy()

    def _on_done(self, job: _Run, design: Design | None, problem: str) -> None:
        self._job = None
        if design is not None:
            self._remember(job.key, design, job.kind)  # first: the figures ask ``kind_of`` when it is shown
        if design is not None and self.document.accept_design(design, job.revision):
            self.finished.emit("")
        elif problem and job.revision == self.document.revision:
            self.finished.emit(problem)
        pending, self._pending = self._pending, None
        if pending is None and job.revision != self.document.revision and not self._timer.isActive():
            pending = "live"  # the inputs moved on while this ran, and nothing else will catch up
        if pending is not None:
            self._request(pending)
        self._report_busy()

    def _remember(self, key: tuple, design: Design, kind: RunKind) -> None:
        best, _ = self._cache.get(key, (None, None))
        if best is None or design.total_cost <= best.total_cost:
            self._cache[key] = (design, kind)
        self._cache.move_to_end(key)
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _report_busy(self) -> None:
        if self.busy != self._was_busy:
            self._was_busy = self.busy
            self.busy_changed.emit(self.busy)
