"""Local search over survivable designs that need not be rings.

Where the candidate graph is sparse or its costs irregular (carrier quotes,
existing links, optional relays), the cheapest design often has a few sites of
degree three or four: a ring with a chord, two rings sharing a site (``2edge``
only), a site hung on two others, a relay through an optional site. These moves
reach such designs from the repaired tour:

* **exchange**: swap two links ``u-w``, ``c-d`` for ``u-c``, ``w-d`` (2-opt on any
  graph, across rings or along one);
* **re-home**: move one end of a link ``u-w`` to a cheaper ``z`` where ``w`` keeps
  two or more other links;
* **chord**: join ``u-z`` and drop a link at each end whose far site keeps two
  or more other links;
* **relocate**: take a run of one to three sites of degree two out from
  between ``a`` and ``b`` (joining ``a-b`` unless already joined; optional sites
  may simply leave) and put it into a link ``c-d``, or hang it on two sites
  ``c``, ``d`` (on one site, as its own ring, at level ``2edge``);
* **relay**: route a link ``u-d`` through an optional site ``o`` not yet used
  when ``u-o-d`` is cheaper;
* **drop and repair**: remove a link (or, as a perturbation, two nearby links)
  for good, add the cheapest repair paths, prune the links that became
  redundant nearby, and descend again.

Every move's cost change is computed exactly from the links it swaps; only a
move that saves money is checked for validity (one O(n + m) scan) and undone if
the design no longer survives every single failure.

Notes
-----
Candidate moves come from each site's :data:`~planner.design.survivable.NEAREST`
cheapest neighbours: O(k^2) evaluations per site examined. Sites are examined
from a queue that starts with every site and receives the ends of each applied
move (first improvement). Drop and repair costs a Dijkstra and a few scans a
trial; it is capped by a number of trials and tried only on links at sites where
costs are irregular or near sites of degree three or more. A heuristic: the
result is locally optimal for these moves only.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from planner.design.survivable import SurvivableDesign, is_valid, prune, repair, splits

__all__ = ["improve_design", "drop_and_repair"]

Link = tuple[int, int]
#: Longest run of sites of degree two that a relocation moves.
_MAX_SEGMENT = 3
Move = tuple[int, list[Link], list[Link]]  # saving, links out, links in


class _Budget:
    """How many whole-design validity scans (O(n + m) each) the search may still spend."""

    def __init__(self, scans: float):
        self.scans = scans


def _try(design: SurvivableDesign, out: list[Link], into: list[Link], budget: _Budget) -> bool:
    """Apply a move; keep it if the design stays valid, else (or when the budget is spent) undo it."""
    for u, v in out:
        design.remove(u, v)
    for u, v in into:
        design.add(u, v)
    if not splits(design, out) and budget.scans > 0:
        budget.scans -= 1
        if is_valid(design):
            return True
    for u, v in into:
        design.remove(u, v)
    for u, v in out:
        design.add(u, v)
    return False


def _exchanges(design: SurvivableDesign, u: int) -> Iterator[Move]:
    costs, near, adj = design.candidates.costs, design.candidates.near, design.adj
    for w in list(adj[u]):
        uw = costs[u][w]
        for c in near[u]:
            uc = costs[u][c]
            if uc >= uw:
                break
            if c == w or c in adj[u] or not adj[c]:
                continue
            for d in adj[c]:
                if d in (u, w) or d in adj[w] or d not in costs[w]:
                    continue
                saving = uw + costs[c][d] - uc - costs[w][d]
                if saving > 0:
                    yield saving, [(u, w), (c, d)], [(u, c), (w, d)]


def _rehomes(design: SurvivableDesign, u: int) -> Iterator[Move]:
    costs, near, adj = design.candidates.costs, design.candidates.near, design.adj
    for w in list(adj[u]):
        if not design.flexible(w):
            continue
        uw = costs[u][w]
        for z in near[u]:
            if costs[u][z] >= uw:
                break
            if z != w and z not in adj[u] and adj[z]:
                yield uw - costs[u][z], [(u, w)], [(u, z)]


def _chords(design: SurvivableDesign, u: int) -> Iterator[Move]:
    costs, near, adj = design.candidates.costs, design.candidates.near, design.adj
    spare = [x for x in adj[u] if design.flexible(x)]
    if not spare:
        return
    for z in near[u]:
        if z in adj[u] or not adj[z]:
            continue
        uz = costs[u][z]
        for y in adj[z]:
            if y == u or not design.flexible(y):
                continue
            for x in spare:
                if x != z:
                    saving = costs[u][x] + costs[z][y] - uz
                    if saving > 0:
                        yield saving, [(u, x), (z, y)], [(u, z)]


def _segments(design: SurvivableDesign, u: int) -> Iterator[tuple[int, list[int], int]]:
    """Runs ``a, [u .. s], b`` of one to three sites of degree two starting at ``u``."""
    adj = design.adj
    if len(adj[u]) != 2:
        return
    for i, a in enumerate(adj[u]):
        segment, previous, here = [u], a, u
        while len(segment) <= _MAX_SEGMENT:
            b = next(x for x in adj[here] if x != previous)
            if b in (a, u):
                return
            if len(segment) > 1 or i == 0:
                yield a, list(segment), b
            if len(adj[b]) != 2 or len(segment) == _MAX_SEGMENT:
                break
            segment.append(b)
            previous, here = here, b


def _relocations(design: SurvivableDesign, u: int) -> Iterator[Move]:
    candidates, adj = design.candidates, design.adj
    costs, near, required = candidates.costs, candidates.near, candidates.required
    lobes = candidates.level == "2edge"  # a run may hang from one site as its own ring
    for a, segment, b in _segments(design, u):
        s1, s2 = segment[0], segment[-1]
        out = [(a, s1), (s2, b)]
        if b in adj[a]:
            freed, join = costs[a][s1] + costs[s2][b], []
        elif b in costs[a]:
            freed, join = costs[a][s1] + costs[s2][b] - costs[a][b], [(a, b)]
        else:
            continue
        if freed > 0 and not any(required[x] for x in segment):
            yield freed, out, join
        inside = set(segment)
        ends = [d for d in near[s2] if adj[d] and d not in inside]
        for c in near[s1]:
            if not adj[c] or c in inside:
                continue
            budget = freed - costs[s1][c]
            if budget <= 0:
                break
            for d in adj[c]:
                if d not in inside and d in costs[s2] and {c, d} != {a, b}:
                    saving = budget - costs[s2][d] + costs[c][d]
                    if saving > 0:
                        yield saving, [*out, (c, d)], [*join, (c, s1), (s2, d)]
            for d in ends:
                if d != c or (lobes and len(segment) > 1):
                    saving = budget - costs[s2][d]
                    if saving > 0:
                        yield saving, out, [*join, (c, s1), (s2, d)]


def _relays(design: SurvivableDesign, u: int) -> Iterator[Move]:
    candidates, adj = design.candidates, design.adj
    costs, required = candidates.costs, candidates.required
    for o in candidates.near[u]:
        if required[o] or adj[o]:
            continue
        for d in adj[u]:
            if d in costs[o]:
                saving = costs[u][d] - costs[u][o] - costs[o][d]
                if saving > 0:
                    yield saving, [(u, d)], [(u, o), (o, d)]


_MOVES: tuple[Callable[[SurvivableDesign, int], Iterator[Move]], ...] = (
    _exchanges,
    _rehomes,
    _chords,
    _relocations,
    _relays,
)


def _descend(design: SurvivableDesign, sites: Iterable[int], should_stop: Callable[[], bool], budget: _Budget) -> None:
    """Apply improving moves around ``sites``, and around the ends of each move applied, until none is left
    (or the budget is spent)."""
    queue = deque(sites)
    queued = set(queue)
    while queue:
        if should_stop() or budget.scans <= 0:
            return
        u = queue.popleft()
        queued.discard(u)
        if not design.adj[u]:
            continue
        for moves in _MOVES:
            applied = next(
                (
                    (out, into)
                    for _, out, into in sorted(moves(design, u), key=lambda m: -m[0])
                    if _try(design, out, into, budget)
                ),
                None,
            )
            if applied is not None:
                for w in {u, *(x for link in applied[0] + applied[1] for x in link)} - queued:
                    queue.append(w)
                    queued.add(w)
                break


def drop_and_repair(design: SurvivableDesign, links: list[Link]) -> SurvivableDesign | None:
    """A copy of ``design`` without ``links`` (which may not return), repaired and pruned around the change.

    None when every valid design needs one of those links.
    """
    trial = design.copy()
    for u, v in links:
        trial.remove(u, v)
    try:
        repair(trial, banned=frozenset(links))
    except ValueError:
        return None
    prune(trial, around=_changed(design, trial))
    return trial


def _changed(before: SurvivableDesign, after: SurvivableDesign) -> set[int]:
    return {i for i, (a, b) in enumerate(zip(before.adj, after.adj, strict=True)) if a != b}


def _near_branches(design: SurvivableDesign) -> set[int]:
    """Sites of degree three or more and their neighbours: where a design departs from a ring."""
    branches = [u for u, near in enumerate(design.adj) if len(near) >= 3]
    return set(branches).union(*(design.adj[u] for u in branches))


def _second_link(design: SurvivableDesign, u: int, v: int, rng: random.Random) -> Link | None:
    """A link other than ``u-v`` within two links of ``u``, at random."""
    near = {u, *design.adj[u]}
    near |= {x for y in list(near) for x in design.adj[y]}
    links = sorted({(min(a, b), max(a, b)) for a in near for b in design.adj[a]} - {(min(u, v), max(u, v))})
    return rng.choice(links) if links else None


def improve_design(
    design: SurvivableDesign,
    drop_trials: int,
    should_stop: Callable[[], bool] = lambda: False,
    *,
    pair_trials: int = 0,
    hot: set[int] = frozenset(),
    rng: random.Random | None = None,
    scans: float = math.inf,
    sites: Iterable[int] | None = None,
) -> SurvivableDesign:
    """The valid ``design`` improved by the moves until none is left, the trials are spent or time is up.

    ``drop_trials`` caps the drop-and-repair trials (the dear move): links are
    tried dearest first, round after round while a round improves the design.
    Then ``pair_trials`` drop two nearby links at once, chosen with ``rng`` (a
    perturbation that escapes what single drops cannot). Only links at a ``hot``
    site (where costs are irregular) or near a site of degree three or more are
    dropped: with distance-like costs a ring is rarely improved by dropping a link.
    ``scans`` caps the whole-design scans that check the moves which save money
    (those that visibly cut the design in two cost no scan). ``sites`` are where the moves
    are first tried (every site by default; a redesign after a small edit names those near it).
    """
    budget = _Budget(scans)
    _descend(design, range(len(design.adj)) if sites is None else sites, should_stop, budget)

    def attempt(links: list[Link]) -> bool:
        nonlocal design
        trial = drop_and_repair(design, links)
        if trial is None:
            return False
        _descend(trial, _changed(design, trial), should_stop, budget)
        if trial.cost < design.cost:
            design = trial
            return True
        return False

    def focus_links() -> list[Link]:
        focus = hot | _near_branches(design)
        return [(u, v) for u, v in design.edges() if u in focus or v in focus]

    improved = True
    while improved and drop_trials > 0:
        improved = False
        costs = design.candidates.costs
        for _, u, v in sorted(((costs[u][v], u, v) for u, v in focus_links()), reverse=True):
            if drop_trials <= 0 or should_stop() or budget.scans <= 0:
                return design
            if v in design.adj[u]:
                drop_trials -= 1
                improved |= attempt([(u, v)])
    rng = rng or random.Random(0)
    for _ in range(pair_trials):
        links = focus_links()
        if should_stop() or budget.scans <= 0:
            break
        if not links:
            break
        u, v = rng.choice(links)
        second = _second_link(design, u, v, rng)
        if second is None:
            break
        attempt([(u, v), second])
    return design
