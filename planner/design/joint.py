"""Topology and capacity optimised together: the design that is cheapest once every link is sized.

The design cheapest in kilometres is often not the cheapest once loads are sized:
a long ring carries everything to the data centre the long way round after a cut,
and one chord can spare tier upgrades on many links. Starting from the topology
designed first and sized, or from a cheaper "petal" design of
:mod:`planner.design.petals` (short rings out of each hub whose traffic fits one
tier), whichever costs less once sized — so the result is never dearer than "design
the topology, then size it" — a local search adds and drops links, re-routing and
re-sizing every failure state for each move, and keeps a move when the sized
design is cheaper:

* **add** a link: from each site to its cheapest candidate neighbours, and from
  each site to every site traffic goes to (hubs, data centres);
* **drop** a link whose loss keeps the design valid.

Moves are screened cheaply first: a design's cost over a few failure states (the
normal state and those that set the current upgrades) is a lower bound on its
cost over all of them, since a link's price only grows with its load. Every move's
screen is routed in one call (each candidate design's states side by side, see
:func:`~planner.design.capacity.route_masks`) and priced in one step. Moves whose
screen beats the current design are then routed in full, best screen first, each on
the design as it now is; a cheaper one is taken at once, and the search goes on
until no move pays or time is up.

The lower bound comes from :func:`planner.design.capacity_bound.capacity_lower_bound`
(every routing, not only shortest paths), so the gap is proven.

Notes
-----
Guarantee: a valid design no dearer than the sized topology it starts from; a
heuristic, with a proven lower bound. Each pass screens O(n k + n t + m) moves for
``k`` nearest neighbours and ``t`` traffic targets.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from planner.core.errors import InfeasibleError
from planner.core.model import pair_key
from planner.design.capacity import PriceTable, Sizing, State, failure_states, route_masks, routed_sites, size_links
from planner.design.capacity_bound import capacity_lower_bound
from planner.design.control import Control
from planner.design.petals import petal_designs
from planner.design.problem import DesignProblem
from planner.design.solution import Solution
from planner.design.survivable import NEAREST
from planner.design.verify import verify_design

__all__ = ["optimise_capacity", "SEARCH_SHARE"]

Pair = tuple[str, str]

#: Share of the time left that the local search may use (the lower bound gets the rest).
SEARCH_SHARE = 0.6


@dataclass(frozen=True)
class _Effort:
    """How hard a design method works at capacity: the most seconds of search (besides the share of
    the time limit), the nearest neighbours whose links it may add, and where its bound comes from
    (``topology``: the design's own; ``relaxation``: the capacity cuts' linear relaxation;
    ``integer``: their integer programme, for as long as the time limit allows)."""

    search_seconds: float
    neighbours: int
    bound: str


#: Efforts by design method: ``quick`` prices thousands of coalitions for cost sharing, ``heuristic``
#: runs live while the map is edited, ``auto`` and ``exact`` run when asked.
_EFFORTS = {
    "quick": _Effort(0.1, 4, "topology"),
    "heuristic": _Effort(3.0, NEAREST, "relaxation"),
    "auto": _Effort(math.inf, NEAREST, "integer"),
    "exact": _Effort(math.inf, NEAREST, "integer"),
}
#: Share of the time left that the ``relaxation`` bound may use.
_RELAXATION_SHARE = 0.25
#: Moves routed in full in a row without finding a cheaper design before a pass ends.
_MISSES = 25
#: Candidate designs screened in one routing call: small enough that a pass checks the clock often.
_SCREEN_BATCH = 64
#: Share of the time left after the search that the integer bound may use (the rest: verification).
_BOUND_SHARE = 0.85


class _Pricer:
    """Sized costs of many candidate designs at once, each a subset of a fixed set of links.

    Every candidate's failure states are laid side by side and routed in one call of
    :func:`~planner.design.capacity.route_masks`, then priced with a
    :class:`~planner.design.capacity.PriceTable`: the same costs as
    :func:`~planner.design.capacity.size_links`, hundreds of designs per call.
    """

    def __init__(self, problem: DesignProblem, universe: list[Pair]):
        self.problem, self.universe = problem, universe
        self.column = {pair: e for e, pair in enumerate(universe)}
        self.site = {x: i for i, x in enumerate(routed_sites(problem, universe))}
        self.table = PriceTable.of(problem, universe)

    def mask(self, pairs: Iterable[Pair]) -> np.ndarray:
        present = np.zeros(len(self.universe), dtype=bool)
        present[[self.column[p] for p in pairs]] = True
        return present

    def costs(self, designs: list[np.ndarray], states: list[State] | None = None) -> np.ndarray:
        """The cost of each design (a mask over the links) over ``states`` (by default every state its
        redundancy covers); inf where some load is more than any permitted tier or bundle carries.
        A state losing a link the design lacks is its normal state again."""
        up, alive, starts = [], [], []
        for present in designs:
            starts.append(len(up))
            for state in states if states is not None else self._states(present):
                row, sites = present.copy(), np.ones(len(self.site), dtype=bool)
                row[[self.column[p] for p in state.lost_links if p in self.column]] = False
                sites[[self.site[x] for x in state.lost_sites if x in self.site]] = False
                up.append(row)
                alive.append(sites)
        loads, _ = route_masks(self.problem, self.universe, np.array(up), np.array(alive))
        worst = np.maximum.reduceat(loads, starts, axis=0)
        prices = np.where(np.array(designs), self.table.costs(worst), 0.0)
        return prices.sum(axis=1)

    def _states(self, present: np.ndarray) -> list[State]:
        pairs = [p for p, keep in zip(self.universe, present, strict=True) if keep]
        return failure_states(self.problem.redundancy, pairs, sorted(self.site), self.problem.risk_groups)


def _additions(problem: DesignProblem, nearest: int) -> list[Pair]:
    """Links the search may add: each site's ``nearest`` cheapest candidates and every link to a traffic target."""
    graph = problem.graph
    targets = {t for flow in problem.flows for t in flow.targets} | {
        f.source for f in problem.flows if f.origin == "pair"
    }
    found: set[Pair] = set()
    for site in graph:
        near = sorted(graph.adj[site].items(), key=lambda item: (item[1]["cost"], item[0]))[:nearest]
        found.update(pair_key(site, other) for other, _ in near)
    for target in targets & set(graph):
        found.update(pair_key(target, other) for other in graph.adj[target])
    return sorted(found)


def _screen_states(problem: DesignProblem, sizing: Sizing) -> list[State]:
    """The normal state and the states that set the load of each link bought above its cheapest circuit."""
    states = [State("normal")]
    for pair, option in sizing.options.items():
        state = sizing.worst_state[pair]
        upgraded = option.total(problem.term_years) > problem.graph.edges[pair]["cost"]
        if upgraded and state not in states:
            states.append(state)
    return states


def _valid(problem: DesignProblem, pairs: Iterable[Pair]) -> bool:
    return not verify_design(problem, list(pairs))


def optimise_capacity(
    problem: DesignProblem, solution: Solution, sizing: Sizing, control: Control
) -> tuple[Solution, Sizing]:
    """Improve ``solution`` (sized as ``sizing``) by adding and dropping links; see the module notes.

    Returns the best design found, sized, with a proven lower bound and notes on how it was found.
    """
    started = time.monotonic()
    effort = _EFFORTS[problem.settings.method]
    seconds = min(effort.search_seconds, control.remaining() * SEARCH_SHARE)
    search = Control(seconds, control.cancel_event, control.progress)
    additions = _additions(problem, effort.neighbours)
    starts = _starts(problem, sorted(pair_key(*e) for e in solution.edges), sizing, search)
    current, current_sizing = starts[0]
    for number, (pairs, sized) in enumerate(starts):  # cheapest start first, then the others while time lasts
        if search.expired() or control.cancelled:
            break
        search.report(0.6, f"Sizing links for traffic: local search {number + 1} of {len(starts)}")
        pairs, sized = _descend(problem, pairs, sized, additions, search)
        if sized.cost < current_sizing.cost:
            current, current_sizing = pairs, sized
    control.check()
    lower = solution.lower_bound
    if effort.bound != "topology":
        control.report(0.9, "Proving a lower bound for the traffic")
        integer = effort.bound == "integer"
        share = Control(control.remaining() * (_BOUND_SHARE if integer else _RELAXATION_SHARE), control.cancel_event)
        lower = max(lower, capacity_lower_bound(problem, share, current_sizing.cost, integer=integer))
    cost = current_sizing.cost
    notes = [n for n in solution.notes if not n.startswith("gap") and n != "proven optimal"]
    saved = (sizing.cost - cost) / sizing.cost if sizing.cost else 0.0
    notes.append(
        f"sized for traffic: {saved:.1%} cheaper than the topology designed first, then sized"
        if cost < sizing.cost
        else "sized for traffic: the topology designed first was the cheapest found"
    )
    if lower >= cost:
        notes.append("proven optimal")
    else:
        notes.append(f"gap {(cost - lower) / cost:.1%} after {time.monotonic() - started:.0f} s")
    improved = replace(solution, edges=current, lower_bound=min(lower, cost), notes=notes)
    return improved, current_sizing


def _starts(
    problem: DesignProblem, pairs: list[Pair], sizing: Sizing, control: Control
) -> list[tuple[list[Pair], Sizing]]:
    """The topology-first design and the petal designs of :mod:`planner.design.petals` (for a group
    capacity of one circuit, or two, of each tier), sized, cheapest first."""
    u = problem.settings.max_utilisation
    rates = {tier.mbps for _, data in problem.graph.edges.items() for tier, _, _ in data["prices"]}
    capacities = sorted({u * rate * count for rate in rates for count in (1, 2)})
    starts = [(pairs, sizing)]
    for start in petal_designs(problem, capacities):
        if control.expired():
            break
        try:
            starts.append((sorted(start), size_links(problem, start)))
        except InfeasibleError:
            continue
    return sorted(starts, key=lambda start: start[1].cost)


def _descend(
    problem: DesignProblem, current: list[Pair], sizing: Sizing, additions: list[Pair], control: Control
) -> tuple[list[Pair], Sizing]:
    """Local search from ``current`` until no move pays or time is up (see the module notes)."""
    pricer = _Pricer(problem, sorted(set(current) | set(additions)))
    while not control.expired() and not control.cancelled:
        moves = list(_moves(current, additions))
        if not moves:
            break
        screens = _screen(pricer, [_apply(current, move) for move in moves], _screen_states(problem, sizing), control)
        if screens is None:
            break  # out of time part-way through screening: keep the design as it is
        misses, improved = 0, False
        for i in np.argsort(screens, kind="stable"):  # best screen first, each tried on the design as it now is
            if screens[i] >= sizing.cost or misses >= _MISSES or control.expired():
                break
            candidate = _apply(current, moves[i])
            if candidate is None or not _valid(problem, candidate):
                continue  # only moves routed in full count as misses
            if pricer.costs([pricer.mask(candidate)])[0] < sizing.cost:
                current, sizing, misses, improved = candidate, size_links(problem, candidate), 0, True
            else:
                misses += 1
        if not improved:
            break
    return current, sizing


def _screen(pricer: _Pricer, designs: list[list[Pair]], states: list[State], control: Control) -> np.ndarray | None:
    """Each design's screen cost, ``_SCREEN_BATCH`` designs a call so that a pass over a large region's
    thousands of moves stops at the time limit; ``None`` when the time ran out first."""
    screens = []
    for start in range(0, len(designs), _SCREEN_BATCH):
        if control.expired() or control.cancelled:
            return None
        batch = designs[start : start + _SCREEN_BATCH]
        screens.append(pricer.costs([pricer.mask(pairs) for pairs in batch], states))
    return np.concatenate(screens)


def _moves(current: list[Pair], additions: list[Pair]) -> Iterable[tuple[str, Pair]]:
    """Every move from ``current``: ``("add", pair)`` for each addition not in it, ``("drop", pair)`` for each link."""
    chosen = set(current)
    yield from (("add", pair) for pair in additions if pair not in chosen)
    yield from (("drop", pair) for pair in current)


def _apply(current: list[Pair], move: tuple[str, Pair]) -> list[Pair] | None:
    """``current`` after ``move``; ``None`` when it no longer applies (the link is already in, or out)."""
    kind, pair = move
    if (pair in current) == (kind == "add"):
        return None
    return sorted([*current, pair]) if kind == "add" else [p for p in current if p != pair]
