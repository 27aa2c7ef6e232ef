"""The plan and its what-if scenarios compared off the GUI thread, with progress and Cancel.

One per open document, beside the :class:`~planner.ui.sharing_runner.SharingRunner`
whose coalition cache it shares: a scenario where a partner leaves prices no coalition
the plan has not, so only what a scenario truly changes is designed again. Comparing
designs and shares out every scenario, which can take minutes, so it starts only when
asked (:meth:`ScenarioRunner.compare`) and never by itself after an edit. Like the cost
sharing it stands aside while the design runner works: it starts once the design has
settled (so the plan's current design is reused), and a run overtaken by a redesign is
cancelled and started again once that design is in.

The results are kept until the next comparison or another project is opened;
:attr:`ScenarioRunner.current` says whether the project is still as it was when they
were worked out (the Scenarios panel greys stale results; presenter mode shows only
current ones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from planner.core.model import Project
from planner.core.scenario import scenario_problems
from planner.ui.background import BackgroundJob
from planner.ui.design_runner import DesignRunner, inputs_key, snapshot
from planner.ui.document import ProjectDocument
from planner.ui.settings import AppSettings
from planner.ui.sharing_runner import SETTLE_MS, SharingRunner, sharing_workers

if TYPE_CHECKING:
    from planner.analysis.scenarios import ScenarioResult

__all__ = ["ScenarioRunner"]


def _basis(project: Project) -> tuple:
    """Everything a comparison depends on: what the plan's design does, and the partners, the whole
    settings, the split and the scenarios. Equal bases give equal results."""
    return (
        inputs_key(project),
        tuple(project.partners),
        project.settings,
        project.sharing_method,
        tuple(project.scenarios),
    )


class ScenarioRunner(QObject):
    """Compares the document's scenarios with its plan when asked; keeps the last results."""

    #: Results appeared, went stale or current again, or work started, waited or stopped.
    changed = Signal()
    #: Progress of the comparison: fraction done and what it is doing.
    progress = Signal(float, str)

    def __init__(
        self,
        document: ProjectDocument,
        design_runner: DesignRunner,
        sharing_runner: SharingRunner,
        settings: AppSettings,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.document, self.design_runner, self.sharing_runner = document, design_runner, sharing_runner
        self.settings = settings
        #: The last comparison: the plan first, then each scenario.
        self.results: list[ScenarioResult] | None = None
        #: Why the last comparison could not be made ("" when it was, or was cancelled).
        self.problem = ""
        #: The user cancelled the last comparison.
        self.stopped = False
        self._wanted = False
        self._basis: tuple | None = None  # what the results were worked out for
        self._was_current = True
        self._job: BackgroundJob | None = None
        self._running: set[BackgroundJob] = set()  # with cancelled ones still winding down
        self._timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._timer.timeout.connect(self._start)
        design_runner.busy_changed.connect(self._on_design_busy)
        design_runner.finished.connect(self._on_design_finished)
        document.project_replaced.connect(self._on_project_replaced)
        for signal in (
            document.inputs_changed,
            document.partners_changed,
            document.sharing_method_changed,
            document.scenarios_changed,
        ):
            signal.connect(self._check_current)

    # -- what there is ------------------------------------------------------------------
    @property
    def current(self) -> bool:
        """Whether the results are for the project as it is now (``False`` when there are none)."""
        return self.results is not None and self._basis == _basis(self.document.project)

    @property
    def fresh(self) -> list[ScenarioResult] | None:
        """The results, when they are for the project as it is now."""
        return self.results if self.current else None

    @property
    def busy(self) -> bool:
        """A comparison is running or waiting for the design to settle."""
        return self._wanted

    @property
    def waiting(self) -> bool:
        """Asked for, but waiting for the design runner to finish."""
        return self._wanted and self._job is None

    # -- asking for work ----------------------------------------------------------------
    def compare(self) -> None:
        """Compare every scenario with the plan as soon as the design has settled (at once if it has).

        Refused, with :attr:`problem` saying why, when there are no scenarios or one no longer
        fits the project (a site added since with a joining site's id, say).
        """
        project = self.document.project
        problems = [p for s in project.scenarios for p in scenario_problems(project, s, f"Scenario ‘{s.name}’")]
        self.problem = "" if project.scenarios else "There are no scenarios to compare: add one first."
        self.problem = self.problem or "; ".join(problems)
        self.stopped = False
        if not self.problem:
            self._wanted = True
            self._start()
        self.changed.emit()

    def cancel(self) -> None:
        """Stop the comparison; the last results stay."""
        was = self._wanted
        self._wanted = False
        self._timer.stop()
        if self._job is not None:
            self._job.cancel()
            self._job = None
        if was:
            self.stopped = True
            self.changed.emit()

    def wait(self, seconds: float = 30.0) -> bool:
        """Block until every worker thread has ended (for shutdown and tests)."""
        return all([job.wait(seconds) for job in list(self._running)])

    # -- internals ----------------------------------------------------------------------
    def _start(self) -> None:
        if not self._wanted or self._job is not None or self.design_runner.busy or self.design_runner.due:
            return
        from planner.analysis.scenarios import compare_scenarios

        project = snapshot(self.document.project)
        design = self.sharing_runner.design  # the shown design, when current: the plan is not designed again
        project.designs = [design] if design is not None else []
        basis, cache = _basis(project), self.sharing_runner.cache
        each = self.settings.sharing_time_limit + project.settings.time_limit
        job = BackgroundJob(
            lambda control: compare_scenarios(project, control, cache=cache, workers=sharing_workers()),
            float(each * (len(project.scenarios) + 1)),
            self,
            what="the comparison",
        )
        job.progress.connect(self.progress)
        job.succeeded.connect(lambda results: self._on_result(job, basis, results))
        job.failed.connect(lambda problem: self._on_failed(job, problem))
        job.finished.connect(lambda: self._running.discard(job))
        self._job = job
        self._running.add(job)
        job.start()
        self.changed.emit()

    def _on_result(self, job: BackgroundJob, basis: tuple, results: list[ScenarioResult]) -> None:
        if job is not self._job:
            return
        self._job, self._wanted = None, False
        self.results, self._basis = results, basis
        self._was_current = self.current
        self.changed.emit()

    def _on_failed(self, job: BackgroundJob, problem: str) -> None:
        if job is not self._job:
            return  # cancelled, by the user or to make way for the design runner
        self._job, self._wanted = None, False
        self.problem = problem or "the comparison ran out of time"
        self.changed.emit()

    def _on_design_busy(self, busy: bool) -> None:
        if busy and self._job is not None:  # the plan is about to change: start again once it has
            self._job.cancel()
            self._job = None
            self.changed.emit()
        elif not busy and self._wanted:
            self._timer.start()

    def _on_design_finished(self, _problem: str) -> None:
        if self._wanted:
            self._timer.start()

    def _check_current(self) -> None:
        if self.results is not None and self.current != self._was_current:
            self._was_current = not self._was_current
            self.changed.emit()

    def _on_project_replaced(self) -> None:
        self.cancel()
        self.stopped, self.problem = False, ""
        self.results = self._basis = None
        self._was_current = True
        self.changed.emit()
