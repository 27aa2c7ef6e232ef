"""Every failure a board asks about, and one sentence that sums them up.

:func:`analyse_failures` puts together, for a design and its project:

* each **single failure** (each circuit; each site too for ``2node``), from
  :mod:`planner.analysis.resilience`;
* each **shared-risk group** of the project lost whole (its circuits, its sites and
  theirs), cut down to what the design holds of it;
* each **double failure**, every pair of circuits lost together (:func:`dual_failures`);
* with traffic, the circuits each single or group failure loads beyond the utilisation
  limit (``max_utilisation`` × capacity) and the most loaded one.

``FailureAnalysis.summary`` words it for the board, e.g. *Survives all 42 single circuit
failures, all 8 shared-risk groups and 96% of double circuit failures (827 of 861). Of
the 34 pairs of circuits that cut sites off, 12 cut off Whitby, 9 Scarborough and 7
Filey.*

>>> from planner.core.design_result import Design, DesignLink
>>> ring = [DesignLink(f"C{i}", a, b, 1.0, 2, 0, 0) for i, (a, b) in enumerate(["ab", "bc", "cd", "da"])]
>>> duals = dual_failures(Design("2edge", tuple(ring), 0, 0, 5, sites=("a", "b", "c", "d")))
>>> duals.pairs, duals.cutting, duals.site_counts
(6, 6, {'a': 1, 'b': 2, 'c': 3, 'd': 2})

Notes
-----
Two circuits ``e`` and ``f`` lost together cut sites off exactly when ``f`` is a bridge
of the design without ``e`` (or the design without ``e`` is already split). So
:func:`dual_failures` makes one depth-first search per circuit ``e`` over the design
without it, finding its bridges and, for each, how many required sites lie beyond it:
O(m (n + m)) in all for ``n`` sites and ``m`` circuits, not the O(m² (n + m)) of trying
every pair. The sites each pair cuts off are counted per site on the search tree (a
bridge cuts off a subtree or all but one), so no pair's sites are ever listed; only the
few pairs a table shows are looked at again (:meth:`DualFailures.cut_off`). A ring of
1,000 circuits (499,500 pairs, every one cutting sites off) takes about 2 s.
Traffic is routed once for every single and group failure together
(:func:`planner.design.capacity.route`); double failures are not routed, since there are
m²/2 of them and the design promises nothing after two.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from math import floor

import numpy as np

from planner.analysis.loads import FailurePeak, design_flows, routing_problem
from planner.analysis.resilience import (
    BridgeSearch,
    Failure,
    cut_off_sites,
    design_graph,
    design_groups,
    group_failures,
    required_sites,
    single_failures,
)
from planner.core.design_result import Design
from planner.core.model import Project, RiskGroup
from planner.core.words import plural, short_name
from planner.design.capacity import LOAD_TOLERANCE, State, route

__all__ = ["DualFailures", "FailureLoad", "FailureAnalysis", "dual_failures", "analyse_failures"]


@dataclass(frozen=True, eq=False)
class DualFailures:
    """Every pair of a design's circuits lost together: those that cut sites off, and whom they cut off.

    ``circuits`` are the circuit ids in design order; ``first[i]``, ``second[i]`` index the two
    circuits of the ``i``-th pair that cuts sites off (``first < second``) and ``cut_off_count[i]``
    how many required sites it cuts off. ``site_counts[s]`` is how many pairs cut site ``s`` off
    (sites no pair cuts off are not listed).
    """

    design: Design
    circuits: tuple[str, ...]
    first: np.ndarray
    second: np.ndarray
    cut_off_count: np.ndarray
    site_counts: dict[str, int]

    @property
    def pairs(self) -> int:
        """How many pairs of circuits there are."""
        m = len(self.circuits)
        return m * (m - 1) // 2

    @property
    def cutting(self) -> int:
        """How many pairs cut sites off."""
        return len(self.first)

    @property
    def survived(self) -> int:
        """How many pairs leave every required site connected."""
        return self.pairs - self.cutting

    def worst(self, limit: int | None = None) -> list[tuple[str, str, int]]:
        """The pairs that cut sites off as ``(circuit, circuit, sites cut off)``: most sites first, then by
        circuit id; at most ``limit`` of them."""
        rank = np.argsort(np.argsort(np.array(self.circuits, dtype=object)))  # each circuit's place by id
        low, high = np.minimum(rank[self.first], rank[self.second]), np.maximum(rank[self.first], rank[self.second])
        order = np.lexsort((high, low, -self.cut_off_count))[:limit]
        by_rank = sorted(self.circuits)
        return [(by_rank[low[i]], by_rank[high[i]], int(self.cut_off_count[i])) for i in order]

    def cut_off(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, ...]]:
        """The required sites each of ``pairs`` of circuits cuts off (O(n + m) a pair)."""
        graph, required = design_graph(self.design), required_sites(self.design)
        found = []
        for circuits in pairs:
            lost = [self.design.link(c) for c in circuits]
            removed = [(k.a, k.b, graph.edges[k.a, k.b]) for k in lost]
            graph.remove_edges_from(removed)
            found.append(cut_off_sites(graph, required))
            graph.add_edges_from(removed)
        return found


def dual_failures(design: Design) -> DualFailures:
    """Every pair of ``design``'s circuits lost together (see the module notes). O(m (n + m))."""
    search = BridgeSearch(design)
    found = (array("i"), array("i"), array("i"))
    per_site = [0] * len(search.nodes)
    for skip in range(len(design.links)):
        _pairs_with(search, skip, found, per_site)
    first, second, counts = (np.frombuffer(a, dtype=np.int32).copy() for a in found)
    return DualFailures(
        design,
        tuple(k.circuit_id for k in design.links),
        first,
        second,
        counts,
        {search.nodes[i]: c for i, c in enumerate(per_site) if c},
    )


def _pairs_with(search: BridgeSearch, skip: int, found: tuple[array, array, array], per_site: list[int]) -> None:
    """Record each pair (``skip``, f > ``skip``) that cuts sites off in ``found`` (first, second, how many), and
    add whom it cuts off to ``per_site``.

    One search of the design without circuit ``skip``: removing the bridge into the subtree of
    ``v`` splits its part into that subtree and the rest (which holds the part's root). The main
    part is then the one with most required sites (ties: the smallest site), as
    :func:`~planner.analysis.resilience.cut_off_sites` chooses it; everyone else is cut off.
    """
    trees = search.without({skip})
    inside, root_of = trees.inside, trees.root_of
    total = sum(inside[r] for r in trees.roots)
    if not total:
        return
    ranked = sorted((r for r in trees.roots if inside[r]), key=lambda r: (-inside[r], r))
    main = ranked[0]
    first, second, counts = found
    add = [0] * len(inside)  # -1 at the root of the part kept (+1 back at a subtree), summed down the trees
    cutting = 0
    for v in trees.bridges:
        f = trees.via[v]
        if f < skip:
            continue
        root = root_of[v]
        rest = inside[root] - inside[v]
        # The main part is the subtree, the rest of its part, or the best part elsewhere.
        best, kept = ((rest, root), root) if rest >= inside[v] else ((inside[v], trees.smallest[v]), v)
        other = main if main != root else ranked[1] if len(ranked) > 1 else None
        if other is not None and (inside[other], -other) > (best[0], -best[1]):
            best, kept = (inside[other], other), other
        if best[0] == total:
            continue
        first.append(skip)
        second.append(f)
        counts.append(total - best[0])
        cutting += 1
        add[kept] -= 1
        if kept == root:
            add[v] += 1
    split = total - inside[main]  # cut off already without ``skip``: so with any circuit more
    if split:
        bridged = {trees.via[v] for v in trees.bridges}
        others = [f for f in range(skip + 1, len(search.circuits)) if f not in bridged]
        first.extend([skip] * len(others))
        second.extend(others)
        counts.extend([split] * len(others))
        cutting += len(others)
        add[main] -= len(others)
    if not cutting:
        return
    below = [0] * len(inside)
    for x in trees.preorder:
        below[x] = add[x] + (below[trees.parent[x]] if trees.parent[x] >= 0 else 0)
        if search.is_required[x]:
            per_site[x] += cutting + below[x]


@dataclass(frozen=True)
class FailureLoad:
    """With traffic, the loads after one failure: the most loaded circuit, and every circuit carrying more
    than the utilisation limit of its capacity (in design order)."""

    peak: FailurePeak
    overloaded: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class FailureAnalysis:
    """Every single, shared-risk group and double failure of one design (see the module notes).

    ``loads[f]`` is, with traffic, what single or group failure ``f`` does to the loads (empty
    without traffic); ``names`` are the site names the summary uses (up to the first comma: the
    address is elsewhere); ``limit`` the utilisation limit.
    """

    design: Design
    singles: tuple[Failure, ...]
    groups: tuple[Failure, ...]
    duals: DualFailures
    loads: dict[Failure, FailureLoad]
    names: dict[str, str]
    limit: float

    @property
    def summary(self) -> str:
        """The failures in plain words for the board: what the design survives, and who is hit most."""
        if not self.design.links:
            return "No circuits to fail."
        sites = any(f.kind == "site" for f in self.singles)
        what = "single circuit or site failure" if sites else "single circuit failure"
        clauses = [(sum(f.connected for f in self.singles), len(self.singles), what, False)]
        if self.groups:
            clauses.append((sum(f.connected for f in self.groups), len(self.groups), "shared-risk group", False))
        if self.duals.pairs:
            clauses.append((self.duals.survived, self.duals.pairs, "double circuit failure", True))
        some = [_survived(*clause) for clause in clauses if clause[0]]
        none = [_survived(*clause) for clause in clauses if not clause[0]]
        survives = f"{_and(some)} but {_and(none)}" if some and none else _and(some or none)
        sentences = [f"Survives {survives}.", self._worst_hit(), self._overloads()]
        return " ".join(s for s in sentences if s)

    def _worst_hit(self) -> str:
        """Who the most serious kind of failure that cuts sites off cuts off most often."""
        for failures, one, many in (
            (self.singles, "single failure", "single failures"),
            (self.groups, "shared-risk group", "shared-risk groups"),
        ):
            cutting = [f for f in failures if not f.connected]
            if cutting:
                return self._hit(Counter(s for f in cutting for s in f.cut_off), len(cutting), one, many)
        if self.duals.cutting:
            return self._hit(
                Counter(self.duals.site_counts), self.duals.cutting, "pair of circuits", "pairs of circuits"
            )
        return ""

    def _hit(self, counts: Counter[str], cutting: int, one: str, many: str) -> str:
        ranked = sorted(counts, key=lambda s: (-counts[s], self.names.get(s, s), s))
        if cutting == 1:
            return f"The one {one} that cuts sites off cuts off {self._sites(ranked)}."
        if counts[ranked[0]] == 1:
            return (
                f"Of the {cutting:,} {many} that cut sites off, no two cut off the same site; between them they "
                f"cut off {self._sites(ranked)}."
            )
        top = [f"{counts[s]:,} {'cut off ' if i == 0 else ''}{self.names.get(s, s)}" for i, s in enumerate(ranked[:3])]
        return f"Of the {cutting:,} {many} that cut sites off, {_and(top)}."

    def _sites(self, sites: list[str]) -> str:
        shown = [self.names.get(s, s) for s in sites[:3]]
        if len(sites) > 3:
            shown.append(plural(len(sites) - 3, "other site"))
        return _and(shown)

    def _overloads(self) -> str:
        """With traffic: whether any single or group failure loads circuits beyond the limit, and the worst."""
        if not self.loads:
            return ""
        limit = f"{self.limit:.0%}"
        over = [f for f in (*self.singles, *self.groups) if self.loads[f].overloaded]
        if not over:
            which = "single failure or shared-risk group" if self.groups else "single failure"
            return f"With the planned traffic, no {which} loads any circuit beyond {limit} of its capacity."
        worst = max(over, key=lambda f: len(self.loads[f].overloaded))
        circuits = self.loads[worst].overloaded
        named = _and([*circuits[:3], *([plural(len(circuits) - 3, "other")] if len(circuits) > 3 else [])])
        lost = {"link": "circuit", "site": "site", "group": "shared-risk group"}[worst.kind]
        element = self.names.get(worst.element, worst.element) if worst.kind == "site" else worst.element
        return (
            f"With the planned traffic, {len(over):,} of these failures load{'s' if len(over) == 1 else ''} circuits "
            f"beyond {limit} of their capacity; the worst, losing {lost} {element}, overloads {named}."
        )


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _survived(kept: int, total: int, what: str, share: bool) -> str:
    """``all 42 single circuit failures``, ``40 of 42 …``, ``none of the 42 …``; with ``share``, ``96% of double
    circuit failures (827 of 861)``, the share rounded down so that it is never overstated."""
    if kept == total:
        return f"all {total:,} {what}s" if total > 1 else f"its one {what}"
    if not kept:
        return f"none of the {total:,} {what}s" if total > 1 else f"no {what}"
    if share:
        percent = floor(100 * kept / total)
        return f"{f'{percent}%' if percent else 'fewer than 1%'} of {what}s ({kept:,} of {total:,})"
    return f"{kept:,} of {total:,} {what}s"


def _failure_loads(
    project: Project, design: Design, failures: Sequence[Failure], groups: Sequence[RiskGroup]
) -> dict[Failure, FailureLoad]:
    """With traffic: each failure's most loaded circuit and overloaded circuits, all routed at once."""
    traffic = design_flows(project, design)
    if not traffic or not design.links:
        return {}
    by_name = {g.name: g for g in groups}
    pair = {k.circuit_id: k.pair for k in design.links}
    state = {
        "link": lambda f: State("link", pair[f.element]),
        "site": lambda f: State("site", f.element),
        "group": lambda f: State("group", by_name[f.element]),
    }
    states = [state[f.kind](f) for f in failures]
    routing = route(routing_problem(design, traffic), [k.pair for k in design.links], states)
    capacity = np.array([k.capacity_mbps for k in design.links], dtype=float)
    use = np.divide(routing.loads, capacity, out=np.zeros_like(routing.loads), where=capacity > 0)
    over = routing.loads > project.settings.max_utilisation * capacity + LOAD_TOLERANCE
    ids = {k.pair: k.circuit_id for k in design.links}
    result = {}
    for s, failure in enumerate(failures):
        e = int(np.argmax(use[s]))
        peak = FailurePeak(
            states[s].label(ids), design.links[e].circuit_id, float(routing.loads[s, e]), float(use[s, e])
        )
        result[failure] = FailureLoad(peak, tuple(design.links[i].circuit_id for i in np.flatnonzero(over[s])))
    return result


def analyse_failures(project: Project, design: Design) -> FailureAnalysis:
    """Every single, shared-risk group and double failure of ``design``, with traffic the loads after each
    single and group failure (see the module notes)."""
    groups = design_groups(design, project.risk_groups)
    singles = tuple(single_failures(design))
    lost_groups = tuple(group_failures(design, groups))
    return FailureAnalysis(
        design,
        singles,
        lost_groups,
        dual_failures(design),
        _failure_loads(project, design, (*singles, *lost_groups), groups),
        {s.id: short_name(s.name) for s in project.sites},
        project.settings.max_utilisation,
    )
