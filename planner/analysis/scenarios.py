"""Scenarios side by side: the plan and each what-if designed, shared out, and compared with the plan.

For each scenario: the shared network's cost, the saving against the partners' own
networks, each partner's share under the project's split, the circuits added and
removed against the plan (by the pair of sites they join), and for each partner
joining its *entry price*: what its joining adds to the shared cost, and its share
once it is in.

All scenarios share one coalition cache with the plan (see
:class:`~planner.analysis.sharing.CoalitionCosts`): a coalition's network depends
only on its members' sites, links and prices, so "what if a partner leaves" prices
no coalition the plan has not priced, and "what if one joins" prices only the
coalitions it is in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from planner.analysis.pack import design_matches
from planner.analysis.sharing import CostSharing, share_costs
from planner.core.coalition import Standalone
from planner.core.design_result import Design
from planner.core.errors import InfeasibleError
from planner.core.model import Project, Scenario
from planner.core.scenario import apply_scenario
from planner.design import Control, design_project

__all__ = ["PLAN", "ScenarioResult", "compare_scenarios"]

#: The name the plan itself goes by in a comparison.
PLAN = "As planned"


@dataclass(frozen=True)
class ScenarioResult:
    """The plan or one scenario, designed and shared out; money in pence over the term.

    ``added`` and ``removed`` are the site pairs of circuits the scenario buys that the plan
    does not, and the other way round (a pair twice for a bundle of two). ``entry[p]`` is what
    joining partner ``p``'s joining adds to the shared cost (``None`` when the scenario
    changes more than who joins, so the difference is not its alone). ``problem`` says why a
    scenario could not be designed; then the rest is empty.
    """

    name: str
    project: Project
    design: Design | None
    sharing: CostSharing | None
    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    entry: dict[str, int | None] | None = None
    problem: str = ""

    @property
    def method(self) -> str:
        """The split shown: the project's choice, or the recommended one."""
        assert self.sharing is not None
        return self.sharing.chosen(self.project.sharing_method)

    def share(self, partner: str) -> int | None:
        """``partner``'s share under :attr:`method`, ``None`` when it is not in this scenario."""
        if self.sharing is None or partner not in self.sharing.names:
            return None
        return self.sharing.share(partner).shares[self.method]


def _pairs(design: Design) -> Counter[tuple[str, str]]:
    return Counter(pair for link in design.links for pair in [link.pair] * link.circuits)


def _only_joins(scenario: Scenario) -> bool:
    return bool(scenario.joining) and not (
        scenario.leaving or scenario.redundancy or scenario.tariff or scenario.demand_growth
    )


def compare_scenarios(
    project: Project,
    control: Control | None = None,
    *,
    names: list[str] | None = None,
    cache: dict[str, Standalone] | None = None,
    workers: int = 0,
) -> list[ScenarioResult]:
    """The plan, then each of ``project.scenarios`` (or those ``names``), designed and shared out.

    The plan's design is the project's current one when it is up to date. Each design takes at
    most its settings' time limit, and each design and split at most an equal part of what is
    left of ``control``'s (default 600 s); cancelling through ``control`` raises ``DesignCancelled``.

    Raises ``KeyError`` naming a scenario ``names`` asks for that the project does not hold.
    """
    control = control or Control(600.0)
    chosen = project.scenarios if names is None else [_scenario(project, name) for name in names]
    cache = {} if cache is None else cache
    steps = 2 * (len(chosen) + 1)
    results: list[ScenarioResult] = []
    for number, (name, scenario) in enumerate([(PLAN, None), *((s.name, s) for s in chosen)]):
        share = control.remaining() / max(1, steps - 2 * number)
        part = Control(min(share, project.settings.time_limit), control.cancel_event)
        control.report(number / (len(chosen) + 1), f"{name}: designing the shared network")
        current = project if scenario is None else apply_scenario(project, scenario)
        design = current.current_design if scenario is None else None
        try:
            if design is None or not design_matches(current, design):
                design = design_project(current, current.settings, part)
            control.report((number + 0.5) / (len(chosen) + 1), f"{name}: sharing the cost")
            part = Control(control.remaining() / max(1, steps - 2 * number - 1), control.cancel_event)
            sharing = share_costs(current, design, part, cache=cache, workers=workers)
        except InfeasibleError as err:
            results.append(ScenarioResult(name, current, None, None, problem=str(err)))
            continue
        result = ScenarioResult(name, current, design, sharing)
        planned = results[0].design if results else None
        if scenario is not None and planned is not None:
            before, after = _pairs(planned), _pairs(design)
            alone = _only_joins(scenario) and len(scenario.joining) == 1  # then the difference is the joiner's
            adds = design.total_cost - planned.total_cost if alone else None
            result = ScenarioResult(
                name,
                current,
                design,
                sharing,
                added=tuple(sorted((after - before).elements())),
                removed=tuple(sorted((before - after).elements())),
                entry={p.id: adds for p in scenario.joining},
            )
        results.append(result)
    control.report(1.0, "Scenarios compared")
    return results


def _scenario(project: Project, name: str) -> Scenario:
    for scenario in project.scenarios:
        if scenario.name == name:
            return scenario
    known = ", ".join(repr(s.name) for s in project.scenarios) or "none"
    raise KeyError(f"no scenario {name!r} in the project (it has {known})")
