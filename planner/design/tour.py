"""Short Hamiltonian cycles over a cost matrix: construction and local search.

A survivable design of minimum cost is, for distance-like costs with a large
fixed charge per circuit, usually one ring through every site, so a good tour
is the heart of the ``2edge``/``2node`` heuristics. This module knows nothing of
sites or links: it works on ``n`` points ``0..n-1`` and a :class:`Metric` of
integer costs (the engine gives it the shortest-path costs between required
sites), known for each point's near points and found on demand for the rest, so
memory grows with ``n``, not ``n^2``.

Notes
-----
* Construction: the greedy edge heuristic on each point's ``k`` cheapest
  neighbours (fragments left over are joined nearest end first).
* Improvement: 2-opt and Or-opt (moving a run of one to three points, either
  way round) over the neighbour lists, with a queue of points to examine
  ("don't-look bits"), then iterated local search: a random double bridge
  between nearby tour positions, a local repair, and the better tour kept (a
  kick that did not pay is undone reversal by reversal, not by copying the tour).
* A move through a pair whose cost is not known is refuted by the metric's floor
  when it cannot pay, and otherwise costs one search bounded by what it could save.
* Every move is carried out as a sequence of 2-opt reversals on an array
  representation, each reversing the shorter side: O(n) a move at worst.
* A greedy tour is O(n k log(n k)) plus O(f^2) for ``f`` fragments; a pass of
  local search costs O(n k) evaluations per sweep. The result is a heuristic
  tour: no bound on its distance from the optimum is claimed. Deterministic for
  a given ``random.Random`` seed.

Examples
--------
>>> import numpy as np, random
>>> square = np.array([[0, 1, 2, 1], [1, 0, 1, 2], [2, 1, 0, 1], [1, 2, 1, 0]])
>>> metric = Metric.from_matrix(square)
>>> tour = optimise_tour(metric, random.Random(0), kicks=5)
>>> sorted(tour), tour_cost(metric, tour)
([0, 1, 2, 3], 4)
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

import numpy as np

__all__ = ["Metric", "greedy_tour", "optimise_tour", "tour_cost", "ring_order"]

#: Below this many points every tour is tried.
_EXHAUSTIVE_UP_TO = 7
#: How far apart (in tour positions) the cut points of a double-bridge kick lie.
_KICK_SPAN = 30


class Metric:
    """Symmetric integer costs between points ``0..n-1``, known for some pairs and found on demand for the rest.

    ``rows[i]`` maps each point whose cost from ``i`` is known to that cost (a few
    dozen cheap ones a point on a large region, so memory grows as ``n``, not
    ``n^2``); ``neighbours[i]`` lists the ``k`` cheapest of them, cheapest first.
    Every pair not known at ``i`` costs at least ``floor[i]``, so most moves through
    such a pair are refuted without its cost; ``far(i, points, limit)`` gives the
    exact costs from ``i`` to ``points`` below ``limit`` (``None`` for the others),
    and the costs a tour comes to use become known.
    """

    def __init__(
        self,
        rows: list[dict[int, int]],
        far: Callable[[int, list[int], float], list[int | None]],
        floor: Sequence[int] | None = None,
        k: int = 10,
    ):
        self.n = len(rows)
        self.rows = rows
        self.far = far
        self.floor = list(floor) if floor is not None else [0] * self.n
        self.neighbours = [[j for _, j in heapq.nsmallest(k, ((c, j) for j, c in row.items()))] for row in rows]
        #: Pairs found to cost at least some amount (``far`` said no below it).
        self._beyond: dict[tuple[int, int], float] = {}

    @classmethod
    def from_matrix(cls, matrix: np.ndarray, k: int = 10) -> Metric:
        """Every pair known, from a square cost matrix (small problems and tests)."""
        matrix = np.asarray(matrix, dtype=np.int64)
        n = matrix.shape[0]
        if matrix.shape != (n, n):
            raise ValueError(f"the cost matrix must be square, not {matrix.shape}")
        rows = [{j: c for j, c in enumerate(row) if j != i} for i, row in enumerate(matrix.tolist())]
        return cls(rows, lambda i, points, limit: [c if c < limit else None for c in matrix[i, points].tolist()], k=k)

    def cost(self, i: int, j: int) -> int:
        return self.rows[i][j]

    def learn(self, i: int, j: int, cost: int) -> None:
        """Make the cost of ``i``-``j`` known."""
        self.rows[i][j] = self.rows[j][i] = cost

    def below(self, i: int, j: int, limit: float) -> int | None:
        """The cost of ``i``-``j`` if it is below ``limit``, else ``None`` (known pairs at once, others on demand)."""
        cost = self.rows[i].get(j)
        if cost is not None:
            return cost if cost < limit else None
        if max(self.floor[i], self.floor[j]) >= limit:
            return None
        key = (i, j) if i < j else (j, i)
        if self._beyond.get(key, -1) >= limit:
            return None
        cost = self.far(i, [j], limit)[0]
        if cost is None:
            self._beyond[key] = limit
        else:
            self.learn(i, j, cost)
        return cost


Point = TypeVar("Point", bound=Hashable)


def ring_order(links: Iterable[tuple[Point, Point]]) -> list[Point] | None:
    """The points of ``links`` in ring order, when they form one ring of three or more (else ``None``).

    A walk, not a graph library: it runs for every coalition a cost sharing prices.

    >>> ring_order([("a", "b"), ("c", "a"), ("b", "c")])
    ['a', 'b', 'c']
    """
    ends: dict[Point, list[Point]] = {}
    for a, b in links:
        ends.setdefault(a, []).append(b)
        ends.setdefault(b, []).append(a)
    if len(ends) < 3 or any(len(neighbours) != 2 for neighbours in ends.values()):
        return None
    start = next(iter(ends))
    order, previous, here = [start], start, ends[start][0]
    while here != start:
        order.append(here)
        a, b = ends[here]
        previous, here = here, b if a == previous else a
    return order if len(order) == len(ends) else None  # else several rings


def tour_cost(metric: Metric, tour: Sequence[int]) -> int:
    """The cost of the closed tour ``tour``."""
    return sum(metric.cost(a, b) for a, b in zip(tour, [*tour[1:], tour[0]], strict=True))


def greedy_tour(metric: Metric) -> list[int]:
    """The greedy edge tour: cheapest neighbour pairs first, no point of degree three, no early cycle."""
    n = metric.n
    pairs = sorted({(metric.cost(i, j), min(i, j), max(i, j)) for i in range(n) for j in metric.neighbours[i]})
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    adjacent: list[list[int]] = [[] for _ in range(n)]
    for _, i, j in pairs:
        if len(adjacent[i]) < 2 and len(adjacent[j]) < 2 and find(i) != find(j):
            parent[find(i)] = find(j)
            adjacent[i].append(j)
            adjacent[j].append(i)
    return _join_fragments(metric, _fragments(adjacent))


def _fragments(adjacent: list[list[int]]) -> list[list[int]]:
    """The paths formed by ``adjacent`` (every point has at most two neighbours, no cycles)."""
    seen = [False] * len(adjacent)
    paths = []
    for start in range(len(adjacent)):
        if seen[start] or len(adjacent[start]) == 2:
            continue
        path, previous, here = [start], -1, start
        seen[start] = True
        while True:
            following = [j for j in adjacent[here] if j != previous]
            if not following:
                break
            previous, here = here, following[0]
            seen[here] = True
            path.append(here)
        paths.append(path)
    return paths


def _join_fragments(metric: Metric, paths: list[list[int]]) -> list[int]:
    """Chain the paths into one tour, each time to the nearest free end."""
    tour = list(paths[0])
    rest = paths[1:]
    while rest:
        ends = [end for p in rest for end in (p[0], p[-1])]
        near = 4 * metric.floor[tour[-1]]  # a search that far is usually enough, and far quicker
        costs = metric.far(tour[-1], ends, near) if 0 < near < math.inf else [None]
        if all(cost is None for cost in costs):
            costs = metric.far(tour[-1], ends, math.inf)
        best = min(range(len(ends)), key=lambda e: (math.inf if costs[e] is None else costs[e], e))
        path = rest.pop(best // 2)
        metric.learn(tour[-1], ends[best], int(costs[best]))
        tour.extend(path if best % 2 == 0 else reversed(path))
    if len(tour) > 1 and tour[0] not in metric.rows[tour[-1]]:
        metric.learn(tour[-1], tour[0], int(metric.far(tour[-1], [tour[0]], math.inf)[0]))
    return tour


class _Tour:
    """A tour as an array with positions, improved in place by 2-opt and Or-opt moves.

    The hot loops read known costs from the metric's rows and neighbours by position
    directly: this is the innermost code of every design; a pair not known is asked of
    the metric with the most it may cost for the move to pay. While ``log`` is a list,
    every reversal is recorded in it, so that a kick that did not pay can be undone in
    time proportional to what it changed.
    """

    def __init__(self, metric: Metric, order: list[int]):
        self.below = metric.below
        self.rows = metric.rows
        self.neighbours = metric.neighbours
        self.n = len(order)
        self.order = list(order)
        self.pos = [0] * self.n
        for i, city in enumerate(self.order):
            self.pos[city] = i
        self.cost = tour_cost(metric, order)
        self.log: list[tuple[int, int, int]] | None = None

    def _reverse(self, first: int, last: int) -> None:
        """Reverse the path ``first .. last`` (in tour direction), or equivalently its complement."""
        order, pos, n = self.order, self.pos, self.n
        i, j = pos[first], pos[last]
        if self.log is not None:
            self.log.append((first, last, order[(j + 1) % n]))
        inner = (j - i) % n + 1
        if 2 * inner > n:
            i, j, inner = (j + 1) % n, (i - 1) % n, n - inner
        for _ in range(inner // 2):
            a, b = order[i], order[j]
            order[i], pos[b] = b, i
            order[j], pos[a] = a, j
            i = i + 1 if i + 1 < n else 0
            j = j - 1 if j > 0 else n - 1

    def undo(self, log: list[tuple[int, int, int]]) -> None:
        """Undo the reversals in ``log`` (the same cycle again, perhaps the other way round).

        A reversal of ``first .. last`` (then followed by ``after``) left ``first`` next to
        ``after``; whichever way round the array now runs, reversing the path between
        ``first`` and ``last`` that does not hold ``after`` restores the links.
        """
        order, pos, n = self.order, self.pos, self.n
        for first, last, after in reversed(log):
            if order[(pos[first] + 1) % n] == after:
                self._reverse(last, first)
            else:
                self._reverse(first, last)

    def _two_opt_move(self, t1: int, t2: int, t3: int, t4: int) -> None:
        """Replace links t1-t2 and t3-t4 by t1-t3 and t2-t4.

        ``t2`` follows ``t1`` and ``t4`` follows ``t3`` in the same direction (either).
        """
        if self.order[(self.pos[t1] + 1) % self.n] == t2:
            self._reverse(t2, t3)
        else:
            self._reverse(t3, t2)

    def _move_segment(self, a: int, s1: int, s2: int, b: int, c: int, d: int, d_follows_c: bool) -> None:
        """Move the run ``s1..s2`` (between ``a`` and ``b``) between ``c`` and ``d``, joining ``c-s1`` and ``s2-d``.

        ``a, s1 .. s2, b`` run in one direction; ``d`` follows ``c`` in it or precedes it.
        """
        if d_follows_c:
            self._two_opt_move(a, s1, c, d)
            self._two_opt_move(a, c, b, s2)
            self._two_opt_move(c, s2, s1, d)
        else:
            self._two_opt_move(a, s1, d, c)
            self._two_opt_move(a, d, b, s2)

    def _improve_two_opt(self, t1: int) -> tuple[int, ...] | None:
        order, pos, n, rows, neighbours = self.order, self.pos, self.n, self.rows, self.neighbours
        p1 = pos[t1]
        row1 = rows[t1]
        for t2, forward in ((order[(p1 + 1) % n], True), (order[p1 - 1], False)):
            g1 = row1[t2]
            row2 = rows[t2]
            for t3 in neighbours[t2]:
                g2 = g1 - row2[t3]
                if g2 <= 0:
                    break
                p3 = pos[t3]
                t4 = order[p3 - 1] if forward else order[(p3 + 1) % n]
                if t3 == t1 or t4 == t2:
                    continue
                bound = g2 + rows[t3][t4]
                closing = row1.get(t4)
                if closing is None:
                    closing = self.below(t1, t4, bound)
                    if closing is None:
                        continue
                gain = bound - closing
                if gain > 0:
                    self._two_opt_move(t1, t2, t4, t3)
                    self.cost -= gain
                    return t1, t2, t3, t4
        return None

    def _improve_or_opt(self, t1: int) -> tuple[int, ...] | None:
        order, pos, n, rows, neighbours = self.order, self.pos, self.n, self.rows, self.neighbours
        p = pos[t1]
        row1 = rows[t1]
        for step, length in ((1, 1), (1, 2), (1, 3), (-1, 2), (-1, 3)):
            segment = [order[(p + step * k) % n] for k in range(length)]
            s2 = segment[-1]
            a, b = order[(p - step) % n], order[(p + step * length) % n]
            freed = rows[a][t1] + rows[s2][b]
            bridge = rows[a].get(b)
            if bridge is None:
                bridge = self.below(a, b, freed)
                if bridge is None:
                    continue
            g1 = freed - bridge
            if g1 <= 0:
                continue
            row2 = rows[s2]
            for c in neighbours[t1]:
                g2 = g1 - row1[c]
                if g2 <= 0:
                    break
                if c in segment:
                    continue
                pc = pos[c]
                for d, d_follows_c in ((order[(pc + step) % n], True), (order[(pc - step) % n], False)):
                    if d in segment:
                        continue
                    bound = g2 + rows[c][d]
                    closing = row2.get(d)
                    if closing is None:
                        closing = self.below(s2, d, bound)
                        if closing is None:
                            continue
                    gain = bound - closing
                    if gain > 0:
                        self._move_segment(a, t1, s2, b, c, d, d_follows_c)
                        self.cost -= gain
                        return a, b, c, d, t1, s2
        return None

    def local_search(self, queue: deque[int], control_check: Callable[[], None]) -> None:
        """2-opt and Or-opt until no move from a queued point improves the tour."""
        queued = [False] * self.n
        for city in queue:
            queued[city] = True
        moves = 0
        while queue:
            t1 = queue.popleft()
            queued[t1] = False
            touched = self._improve_two_opt(t1) or self._improve_or_opt(t1)
            if touched is None:
                continue
            moves += 1
            if moves % 256 == 0:
                control_check()
            for city in (t1, *touched):
                if not queued[city]:
                    queued[city] = True
                    queue.append(city)

    def kick(self, rng: random.Random) -> list[int]:
        """A double bridge between nearby positions: A B C D becomes A C B D. Returns the points it touched.

        A new link's cost, when not known, is sought first below the cost of the tour's own
        path between its ends (which bounds it where costs obey the triangle inequality): a
        short search.
        """
        n, order, rows = self.n, self.order, self.rows
        span = min(_KICK_SPAN, n - 2)
        start = rng.randrange(n)
        i, j = sorted(rng.sample(range(1, span), 2))
        points = [order[(start + k) % n] for k in range(j + 2)]
        along = list(itertools.accumulate((rows[a][b] for a, b in itertools.pairwise(points)), initial=0))

        def cost(p: int, q: int) -> int:
            known = rows[points[p]].get(points[q])
            if known is None:
                known = self.below(points[p], points[q], along[q] - along[p] + 1)
            return known if known is not None else self.below(points[p], points[q], math.inf)

        a1, b0, b1, c0, c1, d0 = (points[k] for k in (0, 1, i, i + 1, j, j + 1))
        self.cost += cost(0, i + 1) + cost(1, j) + cost(i, j + 1) - rows[a1][b0] - rows[b1][c0] - rows[c1][d0]
        self._two_opt_move(a1, b0, c1, d0)
        self._two_opt_move(a1, c1, c0, b1)
        self._two_opt_move(c1, b1, b0, d0)
        return [a1, b0, b1, c0, c1, d0]


def _exhaustive(metric: Metric) -> list[int]:
    """The optimal tour by trying every one (tiny ``n`` only)."""
    n = metric.n
    if n <= 3:
        return list(range(n))
    for i in range(n):
        missing = [j for j in range(n) if j != i and j not in metric.rows[i]]
        for j, cost in zip(missing, metric.far(i, missing, math.inf), strict=True):
            metric.learn(i, j, cost)
    best = min(
        ((0, *rest) for rest in itertools.permutations(range(1, n)) if rest[0] < rest[-1]),
        key=lambda t: tour_cost(metric, t),
    )
    return list(best)


def optimise_tour(
    metric: Metric,
    rng: random.Random,
    kicks: int,
    *,
    start: Sequence[int] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    check: Callable[[], None] = lambda: None,
) -> list[int]:
    """A short tour: ``start`` (or the greedy tour) improved by 2-opt, Or-opt and ``kicks`` double-bridge kicks.

    ``should_stop`` ends the kicks early (a time limit); ``check`` may raise to
    abandon the work (a cancel).
    """
    if metric.n <= _EXHAUSTIVE_UP_TO:
        return _exhaustive(metric)
    tour = _Tour(metric, list(start) if start is not None else greedy_tour(metric))
    tour.local_search(deque(tour.order), check)
    for k in range(kicks):
        if k % 32 == 0:
            check()
            if should_stop():
                break
        cost, tour.log = tour.cost, []
        touched = tour.kick(rng)
        tour.local_search(deque(touched), check)
        log, tour.log = tour.log, None
        if tour.cost > cost:
            tour.undo(log)
            tour.cost = cost
    return tour.order
