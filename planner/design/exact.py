"""Proven-optimal designs: branch-and-cut with HiGHS over the cut formulation.

The integer programme has one 0/1 variable per candidate link and the cut
constraints of :mod:`planner.design.cuts`. It is solved in four steps:

1. **Warm start** — the heuristic, repaired for hubs, hops and rings, gives an
   upper bound ``U``. Under a hop or ring limit, the optimal ring without it, cut
   into chains between hubs (:func:`~planner.design.hierarchy.split_tour`) or
   given chords (:func:`~planner.design.hierarchy.ladder_tour`), is another start.
2. **Root** — the cut LP is solved by iterated separation and pricing
   (:mod:`planner.design.relaxation`); its dual certificate is a proven lower
   bound ``L`` and gives every link ``e`` a bound ``L_e`` on any design using it.
   The LP's support graph meets every cut separated, so repairing and pruning it
   gives another upper bound.
3. **Reduced-cost fixing** — only links with ``L_e`` below a guess ``G <= U`` are
   kept (``G`` is first set so that about four links per site remain): every
   design with another link costs at least ``G``, so if the best design among the
   kept links costs at most ``G`` it is optimal; otherwise ``G`` grows.
4. **Solve, separate, repeat** — HiGHS solves the integer programme over the kept
   links with the cuts found so far (and the hop-forest formulation of
   :func:`~planner.design.hierarchy.hop_forest` under a hop limit), starting from
   the incumbent. highspy 1.15 cannot add constraints during its search (its
   lazy-constraint callback has no way to return any), so every integer solution
   HiGHS finds is checked in a callback, the cuts it violates are collected, and
   the search is interrupted soon after; its bound is proven (it solves a
   relaxation), the cuts are added and HiGHS runs again. Infeasible solutions are
   repaired into feasible ones, which may improve ``U``. Hop- and ring-limited
   programmes, rarely proven, first spend most of the remaining time in a
   neighbourhood search that re-optimises a few sites at a time.

The result is proven optimal when ``L = U``; otherwise it is the best design found
with its proven gap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from planner.core.design_result import PROVEN_OPTIMAL
from planner.design.bounds import simple_lower_bound
from planner.design.control import Control
from planner.design.cuts import Arrays, Cut, violations
from planner.design.heuristic import solve_heuristic
from planner.design.hierarchy import (
    Extension,
    feasible_designs,
    hop_forest,
    link_roles,
    prune,
    repair,
    ring_candidates,
    solve_constrained,
)
from planner.design.highs import new_highs
from planner.design.problem import DesignProblem, reachable_part
from planner.design.relaxation import CutLP, add_columns, add_cut_rows, add_rows, proven_bound, solve_relaxation
from planner.design.solution import Solution

__all__ = ["solve_exact", "solve_auto", "solve_bounded_heuristic", "PROVABLE_SITES"]

#: Share of the time limit the warm-start heuristic may use.
_WARM_SHARE = 0.1
#: Seconds a search may go on after finding a solution that violates cuts (doubling each round).
_FIRST_PATIENCE = 1.0
#: Share of the time after the root that a hop- or ring-limited problem first spends trying to
#: prove, then in neighbourhood search.
_FIRST_TRY = 0.1
_SEARCH_SHARE = 0.8
#: Sites whose links one neighbourhood-search step re-optimises, and its time cap.
_NEIGHBOURHOOD, _STEP_SECONDS = 8, 2.0
#: Links per site in the first integer programme (grown fourfold while not proven).
_FIRST_LINKS_PER_SITE = 4
#: Required sites that ``auto`` expects to prove optimal within 60 s, by requirement.
#: Measured by ``bench/quality.py``; the limit scales with the time limit.
PROVABLE_SITES: dict[str, int] = {"tree": 10_000, "2edge": 400, "2node": 300, "constrained": 60}


@dataclass
class _Incumbent:
    """The best design found so far, as link ids, and what it costs."""

    links: np.ndarray
    cost: int
    lower: int

    def offer(self, arrays: Arrays, links: np.ndarray) -> None:
        cost = arrays.total(links)
        if cost < self.cost:
            self.links, self.cost = np.sort(links), cost

    @property
    def proven(self) -> bool:
        return self.lower >= self.cost


class _Mip:
    """The integer programme over ``links`` with rows for ``cuts``, kept across re-solves.

    Every integer solution HiGHS finds is checked against all cut families in a
    callback; the cuts it violates are kept for the next round.
    """

    def __init__(self, arrays: Arrays, links: np.ndarray, cuts: list[Cut], control: Control):
        self.arrays, self.links, self.control = arrays, links, control
        self.highs = new_highs()
        for option, value in (("mip_rel_gap", 0.0), ("mip_abs_gap", 0.999), ("presolve", "on")):
            self.highs.setOptionValue(option, value)
        k = len(links)
        add_columns(self.highs, arrays.cost[links])
        self.highs.changeColsIntegrality(k, np.arange(k, dtype=np.int32), np.ones(k, dtype=np.uint8))
        for extension in _extensions(arrays, links):
            add_columns(self.highs, np.zeros(extension.columns))
            add_rows(self.highs, extension.matrix, extension.row_lower, extension.row_upper)
        self._keys: set[tuple] = set()
        self.found: list[Cut] = []
        self.rounds = 0
        self.add_cuts(cuts)
        self.highs.cbMipSolution.subscribe(self._on_solution)
        self.highs.cbMipInterrupt.subscribe(self._on_interrupt)

    def add_cuts(self, cuts: list[Cut]) -> int:
        fresh = [c for c in cuts if c.key not in self._keys]
        if not fresh:
            return 0
        self._keys.update(c.key for c in fresh)
        add_cut_rows(self.highs, self.arrays, fresh, self.links)
        return len(fresh)

    def _chosen(self, values) -> np.ndarray:
        return self.links[np.asarray(values)[: len(self.links)] > 0.5]

    def _on_solution(self, event) -> None:
        chosen = self._chosen(event.data_out.mip_solution)
        cuts = violations(self.arrays, chosen)
        if cuts:
            self.found += cuts
            self.last = chosen

    def _on_interrupt(self, event) -> None:
        patience = _FIRST_PATIENCE * 2 ** min(self.rounds, 16)
        # HiGHS keeps the flag between runs, so it is set both ways every time.
        event.interrupt(self.control.cancelled or bool(self.found and event.data_out.running_time > patience))

    def solve(self, start: np.ndarray | None) -> tuple[np.ndarray | None, float, str]:
        """Search once from ``start``.

        Returns HiGHS's best solution (or None), the proven bound of this relaxation,
        and how it ended: ``optimal``, ``infeasible``, ``interrupted`` (to add the
        cuts found) or ``stopped`` (time limit).
        """
        if start is not None:
            values = np.isin(self.links, start).astype(float)
            self.highs.setSolution(len(values), np.arange(len(values), dtype=np.int32), values)
        self.highs.setOptionValue("time_limit", max(0.05, self.control.remaining()))
        self.found, self.last = [], None
        self.highs.run()
        self.rounds += 1
        self.control.check()
        status = _STATUS.get(self.highs.getModelStatus(), "stopped")
        info = self.highs.getInfo()
        if status == "infeasible":
            return None, np.inf, status
        chosen = self._chosen(self.highs.getSolution().col_value) if info.primal_solution_status == 2 else None
        return chosen, info.mip_dual_bound, status


#: How a HiGHS search ended, in the terms of :meth:`_Mip.solve`.
_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
}


def _limits(problem: DesignProblem) -> bool:
    """Whether a hop or ring limit applies (integer programmes the search cannot prove quickly)."""
    return problem.settings.max_hops is not None or problem.settings.max_ring is not None


def _extensions(arrays: Arrays, links: np.ndarray) -> list[Extension]:
    """Compact formulations that spare the integer programme a family of lazy cuts."""
    layers = arrays.problem.settings.max_hops
    return [hop_forest(arrays, links, layers)] if layers is not None else []


def _warm_start(problem: DesignProblem, arrays: Arrays, control: Control) -> _Incumbent:
    """The heuristic's design, made feasible for hubs, hops and rings; under a hop or ring
    limit, also designs made from the optimal design without it (see
    :func:`~planner.design.hierarchy.feasible_designs`)."""
    share = Control(control.remaining() * _WARM_SHARE, control.cancel_event, control.progress)
    solution = solve_constrained(solve_heuristic, problem, share)
    links = arrays.ids(solution.edges)
    best = _Incumbent(links, arrays.total(links), max(solution.lower_bound, simple_lower_bound(problem)))
    if _limits(problem) and problem.redundancy != "tree":
        plain = replace(problem, settings=replace(problem.settings, max_hops=None, max_ring=None))
        unlimited = solve_exact(plain, Control(control.remaining() * _WARM_SHARE, control.cancel_event))
        for design in feasible_designs(arrays, arrays.ids(unlimited.edges), control):
            best.offer(arrays, design)
    return best


def _link_bounds(certificate: float, reduced: np.ndarray) -> np.ndarray:
    """For each link, a proven lower bound on every design that uses it (whole pence)."""
    bound = certificate + np.maximum(reduced, 0.0)
    return np.ceil(bound - 1e-9 * np.abs(bound) - 1e-6)


def _rounds(mip: _Mip, pool: list[Cut], best: _Incumbent, control: Control) -> float:
    """Solve, separate, repeat on ``mip`` (whose links hold ``best``); improve ``best``.

    Returns a proven lower bound on every design the programme admits (``inf`` when
    there is none); it is their optimum unless time ran out. Cuts found go to ``pool``.
    """
    arrays = mip.arrays
    lower = -np.inf
    mip.control, mip.rounds = control, 0
    while not control.expired():
        control.report(0.5, f"Branch and cut over {len(mip.links)} links, round {mip.rounds + 1}")
        chosen, bound, status = mip.solve(best.links if np.isin(best.links, mip.links).all() else None)
        lower = max(lower, proven_bound(bound) if np.isfinite(bound) else bound)
        if status == "infeasible":
            break
        cuts = list(mip.found)
        if chosen is not None:
            violated = violations(arrays, chosen)
            if not violated:
                best.offer(arrays, chosen)
                if status == "optimal":
                    return arrays.total(chosen)
            cuts += violated
        if not cuts:
            break
        pool += cuts
        mip.add_cuts(cuts)
        for infeasible in (chosen, mip.last):
            if infeasible is not None and violations(arrays, infeasible, first=True):
                best.offer(arrays, prune(arrays, repair(arrays, infeasible, control), control))
    return lower


def _neighbourhood_search(mip: _Mip, pool: list[Cut], best: _Incumbent, control: Control, until: float) -> None:
    """Improve ``best`` by re-optimising one neighbourhood at a time until ``until`` seconds remain.

    Each step frees the links at a site's ``_NEIGHBOURHOOD`` cheapest-to-reach sites,
    fixes every other link as the best design has it, and runs :func:`_rounds` on
    that small programme for at most ``_STEP_SECONDS``. A heuristic (large
    neighbourhood search): it proves nothing.
    """
    arrays, links = mip.arrays, mip.links
    cost = arrays.cost_matrix
    columns = np.arange(len(links), dtype=np.int32)
    rng = np.random.default_rng(0)
    while control.remaining() > until:
        near = np.argsort(cost[rng.integers(arrays.n)], kind="stable")[:_NEIGHBOURHOOD]
        free = np.isin(arrays.u[links], near) | np.isin(arrays.v[links], near)
        kept = np.isin(links, best.links).astype(float)
        mip.highs.changeColsBounds(len(links), columns, np.where(free, 0.0, kept), np.where(free, 1.0, kept))
        _rounds(mip, pool, best, Control(min(_STEP_SECONDS, control.remaining() - until), control.cancel_event))
        control.check()
    mip.highs.changeColsBounds(len(links), columns, np.zeros(len(links)), np.ones(len(links)))


def _branch_and_cut(problem: DesignProblem, control: Control, integer: bool) -> tuple[Arrays, _Incumbent]:
    """The steps of the module notes (only the first two when not ``integer``)."""
    problem = reachable_part(ring_candidates(problem))
    arrays = Arrays.from_problem(problem)
    best = _warm_start(problem, arrays, control)
    if best.proven or arrays.m == 0:
        return arrays, best
    control.report(0.3, "Solving the LP relaxation")
    lp = CutLP(arrays, best.links)
    root = solve_relaxation(lp, control)
    best.lower = max(best.lower, root.bound)
    if root.complete:  # the support meets every separated cut: at most hop repairs needed
        best.offer(arrays, prune(arrays, repair(arrays, np.flatnonzero(root.x > 1e-6), control), control))
    if integer and not best.proven and not control.expired():
        _prove(arrays, _link_bounds(root.certificate, root.reduced), list(lp.cuts), best, control)
    return arrays, best


def _prove(arrays: Arrays, bounds: np.ndarray, pool: list[Cut], best: _Incumbent, control: Control) -> None:
    """Reduced-cost fixing with a guessed bound, then solve, separate, repeat (steps 3 to 5).

    Only links whose bound is under a guess ``G`` are kept: if the best design among
    them costs at most ``G`` it is optimal, since every design using another link
    costs at least ``G``; otherwise ``G`` grows until every link is kept.
    """
    ordered = np.sort(bounds)
    size = _FIRST_LINKS_PER_SITE * arrays.n
    search = _limits(arrays.problem) and arrays.n > 2 * _NEIGHBOURHOOD
    while not best.proven and not control.expired():
        keep = bounds < min(best.cost, int(ordered[min(size, arrays.m) - 1]) + 1)
        keep[best.links] = True
        mip = _Mip(arrays, np.flatnonzero(keep), pool, control)
        lower = -np.inf
        if search:  # hop and ring limits are rarely proven: after a short try, look for better designs
            lower = _rounds(mip, pool, best, Control(control.remaining() * _FIRST_TRY, control.cancel_event))
            if lower < best.cost:
                _neighbourhood_search(mip, pool, best, control, until=control.remaining() * (1 - _SEARCH_SHARE))
            search = False
        lower = max(lower, _rounds(mip, pool, best, control))
        outside = bounds[~keep].min() if not keep.all() else np.inf  # what a design with a dropped link costs
        if min(lower, outside, best.cost) > best.lower:
            best.lower = int(min(lower, outside, best.cost))
        if keep.all():
            break  # nothing left to add: only time could have stopped the proof
        size *= 4


def _solution(problem: DesignProblem, arrays: Arrays, best: _Incumbent, method: str, started: float) -> Solution:
    edges = arrays.pairs(best.links)
    lower = min(best.lower, best.cost)
    notes = []
    if best.cost > lower:
        gap = (best.cost - lower) / best.cost
        notes.append(f"gap {gap:.1%} after {time.monotonic() - started:.0f} s")
        if _limits(problem):
            notes.append("hop and ring limits: design found by search, bound from the relaxation")
    else:
        notes.append(PROVEN_OPTIMAL)
    return Solution(edges=edges, lower_bound=lower, method=method, roles=link_roles(problem, edges), notes=notes)


def solve_exact(problem: DesignProblem, control: Control) -> Solution:
    """The cheapest design of ``problem``, proven, or the best found with its proven gap.

    Parameters
    ----------
    problem : DesignProblem
    control : Control
        Time limit (shared by every step), cancel and progress.

    Returns
    -------
    Solution
        ``method`` is ``"exact"`` when proven optimal, ``"exact (time limit)"`` when
        not; ``lower_bound`` is proven either way; ``notes`` give the gap.

    Notes
    -----
    Guarantee: optimal when it finishes within the time limit; always a valid lower
    bound. The cut families are exponential, the integer programme NP-hard: the run
    time is exponential at worst, though regional instances are mostly settled at
    the root (see the module notes and ``docs/exact.md``).
    """
    started = time.monotonic()
    arrays, best = _branch_and_cut(problem, control, integer=True)
    return _solution(problem, arrays, best, "exact" if best.proven else "exact (time limit)", started)


def solve_bounded_heuristic(problem: DesignProblem, control: Control) -> Solution:
    """The heuristic design, improved by the LP relaxation, with the LP's proven lower bound.

    Notes
    -----
    Guarantee: a valid lower bound, no optimality. Polynomial per LP round.
    """
    started = time.monotonic()
    arrays, best = _branch_and_cut(problem, control, integer=False)
    return _solution(problem, arrays, best, "heuristic", started)


def _provable_sites(problem: DesignProblem, time_limit: float) -> int:
    """How many required sites ``auto`` expects to prove optimal within ``time_limit`` seconds."""
    kind = "constrained" if _limits(problem) else problem.redundancy
    return int(PROVABLE_SITES[kind] * max(0.25, min(4.0, time_limit / 60)))


def solve_auto(problem: DesignProblem, control: Control) -> Solution:
    """Exact when the region is expected to be proven within the time limit, else the bounded heuristic.

    Notes
    -----
    The choice follows :data:`PROVABLE_SITES`; either way the answer carries a
    proven lower bound. When the heuristic finishes before the time limit, a note
    says why, so nobody waits for a search that is not running.
    """
    provable, sites = _provable_sites(problem, control.time_limit), len(problem.required)
    if sites <= provable:
        return solve_exact(problem, control)
    started = time.monotonic()
    solution = solve_bounded_heuristic(problem, control)
    if not control.expired():
        solution.notes.append(
            f"auto stopped after {time.monotonic() - started:.0f} of {control.time_limit:.0f} s: proving "
            f"{sites:,} sites optimal would take far longer (it expects to prove up to {provable:,} in that time), "
            "so it took the heuristic and its proven bound; choose Exact to search for longer"
        )
    return solution
