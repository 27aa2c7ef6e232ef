"""A proven lower bound on the cost of any design that carries the traffic, however it is routed.

An integer programme on HiGHS over every candidate link: ``y[e, o] = 1`` buys link
``e`` at option ``o`` (a tier or bundle; at most one per link, and only the options no
other option beats on both price and capacity), ``x[e]`` says link ``e`` is bought.
Its constraints hold for every design the engine may return:

* **survivability** — the cut constraints of :mod:`planner.design.cuts` that the
  topology's LP relaxation found;
* **capacity cuts** — for a set ``S`` of sites, the traffic ``D(S)`` between ``S``
  and the rest crosses the links leaving ``S`` in every state. After any one of
  them is lost (``2edge``, ``2node``) the others still carry it: for each ``e``
  leaving ``S``, ``sum(C) - C[e] >= D(S)``, where ``C`` is a link's capacity times
  ``max_utilisation``; a ``tree`` needs ``sum(C) >= D(S)``.

The capacity cuts are found by separation: each solution's capacities are checked
with a maximum flow from every source to each site traffic goes to, in the normal
state and after the loss of each link, and the minimum cut of any flow that falls
short is added. Rounds on the linear relaxation come first (each site alone and the
balls of sites round each traffic target seed them); the integer programme then
runs with every cut found, and further rounds separate its solutions.

Any routing (shortest paths or not) must pass these cuts, so each round's proven
bound — the relaxation's optimum, or HiGHS's dual bound wherever the time limit
stops the integer programme — bounds every design. Links whose reduced cost in the
relaxation proves them too dear for any design under the best known cost are left
out of the integer programme, which is sound because the bound returned is never
above that cost.

Notes
-----
Valid, not tight: shortest-path routing needs more capacity than the cut condition
asks, several destinations share the cuts' capacity, and the search may stop
before its optimum. Each separation round costs O(t s) maximum flows for ``t``
traffic targets and ``s`` states checked.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from planner.core.tariff import MAX_BUNDLE
from planner.design.control import Control
from planner.design.cuts import Arrays, SetCut
from planner.design.highs import new_highs
from planner.design.problem import DesignProblem
from planner.design.relaxation import CutLP, add_columns, add_cut_rows, add_rows, proven_bound, solve_relaxation

__all__ = ["capacity_lower_bound", "link_options"]

#: Largest ball of nearest sites round a traffic target used as a first capacity cut.
_BALL = 6
#: Shares of the time given to the topology relaxation (for its cuts) and to the linear rounds;
#: the integer programme has the rest.
_CUT_SHARE, _LP_SHARE = 0.15, 0.35
#: Links (by capacity) whose loss separation checks in each round.
_FAILURES_CHECKED = 40
#: Most separation rounds on the relaxation.
_LP_ROUNDS = 30
_EPS = 1e-6


def link_options(prices, max_load: float, max_utilisation: float, term_years: int) -> list[tuple[float, int]]:
    """The (usable Mb/s, cost) of each way to buy a link that no other way beats on both, up to the
    first that carries ``max_load``.

    >>> from planner.core.tariff import Tariff
    >>> [(round(c), p) for c, p in link_options(Tariff().prices(10.0), 9000, 0.8, 5)]
    [(800, 2142500), (1600, 4285000), (8000, 5142000), (16000, 10284000)]
    """
    options = []
    for tier, unit, source in prices:
        for count in range(1, (1 if source == "existing" else MAX_BUNDLE) + 1):
            options.append((count * tier.mbps * max_utilisation, count * unit.total(term_years)))
            if count * tier.mbps * max_utilisation >= max_load:
                break
    options.sort(key=lambda o: (o[0], o[1]))
    frontier, cheapest = [], None
    for capacity, cost in reversed(options):  # keep an option only if every larger one costs more
        if cheapest is None or cost < cheapest:
            frontier.append((capacity, cost))
            cheapest = cost
    frontier.reverse()
    enough = next((i for i, (capacity, _) in enumerate(frontier) if capacity >= max_load), len(frontier) - 1)
    return frontier[: enough + 1]


class _Traffic:
    """The flows as node numbers: each flow's source, its first target and its rate."""

    def __init__(self, arrays: Arrays, problem: DesignProblem):
        index = arrays.index
        kept = [(f, next((t for t in f.targets if t in index), None)) for f in problem.flows if f.source in index]
        kept = [(f, t) for f, t in kept if t is not None]
        self.source = np.array([index[f.source] for f, _ in kept], dtype=np.int64)
        self.target = np.array([index[t] for _, t in kept], dtype=np.int64)
        self.mbps = np.array([f.mbps for f, _ in kept], dtype=float)
        self.total = float(self.mbps.sum())

    def crossing(self, side: np.ndarray) -> float:
        """Traffic between ``side`` and the rest (in the normal state, and after any link is lost)."""
        return float(self.mbps[side[self.source] != side[self.target]].sum())


class _Programme:
    """The integer programme (or its relaxation) with the capacity cuts added so far."""

    def __init__(self, arrays: Arrays, problem: DesignProblem, traffic: _Traffic, links: np.ndarray):
        self.arrays, self.links = arrays, links
        self.survive = problem.redundancy != "tree"
        u = problem.settings.max_utilisation
        graph = problem.graph
        options = [
            link_options(
                graph.edges[arrays.nodes[arrays.u[e]], arrays.nodes[arrays.v[e]]]["prices"],
                traffic.total,
                u,
                problem.term_years,
            )
            for e in links
        ]
        m = len(links)
        self.owner = np.repeat(np.arange(m), [len(o) for o in options])
        self.capacity = np.array([c for o in options for c, _ in o])
        self.cost = np.array([p for o in options for _, p in o], dtype=float)
        self.k = len(self.cost)
        self.highs = new_highs()
        add_columns(self.highs, np.zeros(m))  # x: link bought
        add_columns(self.highs, self.cost)  # y: link bought at an option
        rows = np.concatenate([np.arange(m), self.owner])
        cols = np.concatenate([np.arange(m), m + np.arange(self.k)])
        vals = np.concatenate([np.ones(m), -np.ones(self.k)])
        add_rows(self.highs, csr_matrix((vals, (rows, cols)), shape=(m, m + self.k)), np.zeros(m), np.zeros(m))
        self.keys: set[bytes] = set()
        self.sides: list[np.ndarray] = []
        self.is_integer = False

    def add_topology_cuts(self, cuts: list[SetCut]) -> None:
        if cuts:
            add_cut_rows(self.highs, self.arrays, cuts, self.links)

    def add_capacity_cut(self, side: np.ndarray, demand: float) -> bool:
        """Add the capacity cut of ``side`` (its traffic ``demand``); ``False`` if it was there already."""
        key = np.packbits(side if not side[0] else ~side).tobytes()
        if key in self.keys or demand <= _EPS:
            return False
        self.keys.add(key)
        self.sides.append(side)
        m, highs = len(self.links), self.highs
        leaving = side[self.arrays.u[self.links]] != side[self.arrays.v[self.links]]
        across = np.flatnonzero(leaving[self.owner])  # option columns of the links leaving the set
        width = highs.getNumCol()
        if self.survive:  # z >= C[e] for every e leaving, and sum(C) - z >= D
            add_columns(highs, np.zeros(1))
            highs.changeColBounds(width, 0.0, highspy.kHighsInf)
            out = np.flatnonzero(leaving)
            position = np.full(m, -1)
            position[out] = np.arange(len(out))
            matrix = csr_matrix(
                (
                    np.concatenate([np.ones(len(out)), -self.capacity[across]]),
                    (
                        np.concatenate([np.arange(len(out)), position[self.owner[across]]]),
                        np.concatenate([np.full(len(out), width), m + across]),
                    ),
                ),
                shape=(len(out), width + 1),
            )
            add_rows(highs, matrix, np.zeros(len(out)), np.full(len(out), highspy.kHighsInf))
            row = csr_matrix(
                (np.r_[self.capacity[across], -1.0], (np.zeros(len(across) + 1), np.r_[m + across, width])),
                shape=(1, width + 1),
            )
        else:
            row = csr_matrix((self.capacity[across], (np.zeros(len(across)), m + across)), shape=(1, width))
        add_rows(highs, row, [demand], [highspy.kHighsInf])
        return True

    def integer(self) -> None:
        cols = len(self.links) + np.arange(self.k, dtype=np.int32)
        self.highs.changeColsIntegrality(self.k, cols, np.ones(self.k, dtype=np.uint8))
        self.is_integer = True

    def solve(self, seconds: float) -> tuple[float, np.ndarray | None, bool]:
        """Run for at most ``seconds``: the proven bound, each link's usable capacity (if a solution
        was found) and whether the run reached its optimum."""
        highs = self.highs
        highs.setOptionValue("time_limit", max(0.05, seconds))
        highs.run()
        status = highs.getModelStatus()
        info = highs.getInfo()
        optimal = status == highspy.HighsModelStatus.kOptimal
        bound = info.mip_dual_bound if self.is_integer else (info.objective_function_value if optimal else -np.inf)
        values = None
        if info.primal_solution_status == 2:
            y = np.asarray(highs.getSolution().col_value)[len(self.links) : len(self.links) + self.k]
            values = np.bincount(self.owner, weights=y * self.capacity, minlength=len(self.links))
        return bound, values, optimal

    def reduced_costs(self) -> np.ndarray:
        """For each link, what buying it at all adds at least to the relaxation's optimum: the reduced
        cost of its ``x`` plus the least of its options' (each counted only when positive)."""
        duals = np.maximum(np.asarray(self.highs.getSolution().col_dual), 0.0)
        m = len(self.links)
        least = np.full(m, np.inf)
        np.minimum.at(least, self.owner, duals[m : m + self.k])
        return duals[:m] + least


def _seed_sets(arrays: Arrays, traffic: _Traffic) -> list[np.ndarray]:
    """Each site alone, and the balls of the 2.._BALL nearest sites (by link cost) round each traffic target."""
    n = arrays.n
    sets = [np.arange(n) == i for i in range(n)]
    cost = arrays.cost_matrix
    for t in np.unique(traffic.target):
        order = np.argsort(cost[t], kind="stable")  # the target itself first (cost 0 to itself)
        for size in range(2, min(_BALL, n - 2) + 1):
            side = np.zeros(n, dtype=bool)
            side[order[:size]] = True
            sets.append(side)
    return sets


def _short_cuts(arrays: Arrays, links: np.ndarray, capacity: np.ndarray, traffic: _Traffic) -> list[np.ndarray]:
    """Sets whose leaving capacity cannot carry the traffic to one target, in the normal state or after
    the loss of one of the most used links: the minimum cuts of maximum flows that fall short."""
    n = arrays.n
    scale = min(1000.0, 1e9 / max(1.0, traffic.total))
    used = np.flatnonzero(capacity > _EPS)
    checked = used[np.argsort(-capacity[used], kind="stable")][:_FAILURES_CHECKED]
    found = []
    for target in np.unique(traffic.target):
        to_target = traffic.target == target
        supply = np.bincount(traffic.source[to_target], weights=traffic.mbps[to_target], minlength=n)
        need = supply.sum()
        for lost in (-1, *checked):
            keep = used if lost < 0 else used[used != lost]
            u, v = arrays.u[links[keep]], arrays.v[links[keep]]
            cap = np.floor(capacity[keep] * scale).astype(np.int64)
            feeders = np.flatnonzero(supply > 0)
            rows = np.concatenate([u, v, np.full(len(feeders), n)])
            cols = np.concatenate([v, u, feeders])
            data = np.concatenate([cap, cap, np.ceil(supply[feeders] * scale).astype(np.int64)])
            graph = csr_matrix((data.astype(np.int32), (rows, cols)), shape=(n + 1, n + 1))
            graph.sum_duplicates()
            flow = maximum_flow(graph, n, int(target), method="dinic")
            if flow.flow_value >= np.ceil(need * scale) - 1:
                continue
            residual = graph - flow.flow
            residual.data[residual.data < 0] = 0
            residual.eliminate_zeros()
            side = np.zeros(n + 1, dtype=bool)
            side[breadth_first_order(residual, n, directed=True, return_predecessors=False)] = True
            found.append(side[:n])
    return found


def capacity_lower_bound(
    problem: DesignProblem, control: Control, upper: int | None = None, *, integer: bool = True
) -> int:
    """A proven lower bound on any design of ``problem`` that carries its flows (see the module notes).

    ``upper`` is the cost of a known design: links proven too dear for any design cheaper than it
    are left out, and the bound returned is at most ``upper``. Without ``integer`` only the
    linear rounds run (quicker, weaker).
    """
    if not problem.flows or problem.graph.number_of_edges() == 0:
        return 0
    arrays = Arrays.from_problem(problem)
    traffic = _Traffic(arrays, problem)
    if not traffic.total:
        return 0
    topology_cuts = []
    if len(problem.required) >= 3:
        lp = CutLP(arrays)
        solve_relaxation(lp, Control(control.remaining() * _CUT_SHARE, control.cancel_event))
        topology_cuts = [c for c in lp.cuts if isinstance(c, SetCut)]
    links = np.arange(arrays.m)
    relaxation = _Programme(arrays, problem, traffic, links)
    relaxation.add_topology_cuts(topology_cuts)
    sets = _seed_sets(arrays, traffic)
    best = 0.0
    lp_control = Control(control.remaining() * (_LP_SHARE if integer else 1.0), control.cancel_event)
    for _ in range(_LP_ROUNDS):
        added = sum(relaxation.add_capacity_cut(side, traffic.crossing(side)) for side in sets)
        if not added or lp_control.expired():
            break
        bound, capacity, optimal = relaxation.solve(lp_control.remaining())
        if not optimal or capacity is None:
            break
        best = max(best, bound)
        sets = _short_cuts(arrays, links, capacity, traffic)
    control.check()
    if not integer:
        return _rounded(best, upper)
    if upper is not None and best > 0:  # leave out links no design cheaper than ``upper`` can use
        reduced = relaxation.reduced_costs()
        links = np.flatnonzero(best + reduced < upper)
    mip = _Programme(arrays, problem, traffic, links)
    mip.add_topology_cuts(topology_cuts)
    for side in relaxation.sides:
        mip.add_capacity_cut(side, traffic.crossing(side))
    mip.integer()
    while not control.expired():
        bound, capacity, optimal = mip.solve(control.remaining())
        best = max(best, bound)
        if not optimal or capacity is None:
            break
        fresh = [
            s for s in _short_cuts(arrays, links, capacity, traffic) if mip.add_capacity_cut(s, traffic.crossing(s))
        ]
        if not fresh:
            break
    control.check()
    return _rounded(best, upper)


def _rounded(bound: float, upper: int | None) -> int:
    """A float bound from HiGHS as whole pence it proves, at most ``upper``.

    HiGHS's bounds are floats within its tolerances: a part in ten million is taken off first. An
    infinite bound (no design among the links kept) proves that none is cheaper than ``upper``.
    """
    if bound == np.inf:
        return upper or 0
    result = max(0, proven_bound(bound - 1e-7 * abs(bound))) if np.isfinite(bound) else 0
    return min(result, upper) if upper is not None else result
