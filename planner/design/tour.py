"""Short Hamiltonian cycles over a cost matrix: construction and local search.

A survivable design of minimum cost is, for distance-like costs with a large
fixed charge per circuit, usually one ring through every site, so a good tour
is the heart of the ``2edge``/``2node`` heuristics. This module knows nothing of
sites or links: it works on ``n`` points ``0..n-1`` and an integer cost matrix
(the engine gives it the shortest-path costs between required sites).

Notes
-----
* Construction: the greedy edge heuristic on each point's ``k`` cheapest
  neighbours (fragments left over are joined nearest end first).
* Improvement: 2-opt and Or-opt (moving a run of one to three points, either
  way round) over the neighbour lists, with a queue of points to examine
  ("don't-look bits"), then iterated local search: a random double bridge
  between nearby tour positions, a local repair, and the better tour kept.
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
>>> metric = Metric(square)
>>> tour = optimise_tour(metric, random.Random(0), kicks=5)
>>> sorted(tour), tour_cost(metric, tour)
([0, 1, 2, 3], 4)
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["Metric", "greedy_tour", "optimise_tour", "tour_cost"]

#: Below this many points every tour is tried.
_EXHAUSTIVE_UP_TO = 7
#: How far apart (in tour positions) the cut points of a double-bridge kick lie.
_KICK_SPAN = 30


class Metric:
    """A symmetric integer cost matrix with each point's cheapest neighbours.

    ``cost(i, j)`` reads a flat view of the matrix (fast scalar access from pure
    Python); ``neighbours[i]`` lists the ``k`` points cheapest to reach from ``i``,
    cheapest first.
    """

    def __init__(self, matrix: np.ndarray, k: int = 10):
        matrix = np.ascontiguousarray(matrix, dtype=np.int64)
        n = matrix.shape[0]
        if matrix.shape != (n, n):
            raise ValueError(f"the cost matrix must be square, not {matrix.shape}")
        self.n = n
        self.matrix = matrix
        self.flat = memoryview(matrix.reshape(-1))
        self.neighbours = _neighbour_lists(matrix, min(k, n - 1))

    def cost(self, i: int, j: int) -> int:
        return self.flat[i * self.n + j]


def _neighbour_lists(matrix: np.ndarray, k: int) -> list[list[int]]:
    n = matrix.shape[0]
    if k <= 0:
        return [[] for _ in range(n)]
    masked = matrix.astype(float)
    np.fill_diagonal(masked, np.inf)
    near = np.argpartition(masked, k - 1, axis=1)[:, :k] if k < n else np.argsort(masked, axis=1)[:, :k]
    rows = np.arange(n)[:, None]
    order = np.lexsort((near, masked[rows, near]), axis=1)
    return np.take_along_axis(near, order, axis=1).tolist()


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
        heads = np.array([p[0] for p in rest])
        tails = np.array([p[-1] for p in rest])
        row = metric.matrix[tour[-1]]
        to_head, to_tail = row[heads], row[tails]
        best = int(np.argmin(np.minimum(to_head, to_tail)))
        path = rest.pop(best)
        tour.extend(path if to_head[best] <= to_tail[best] else reversed(path))
    return tour


class _Tour:
    """A tour as an array with positions, improved in place by 2-opt and Or-opt moves.

    The hot loops read costs from the flat matrix and neighbours by position
    directly: this is the innermost code of every design.
    """

    def __init__(self, metric: Metric, order: list[int]):
        self.flat = metric.flat
        self.neighbours = metric.neighbours
        self.n = len(order)
        self.order = list(order)
        self.pos = [0] * self.n
        for i, city in enumerate(self.order):
            self.pos[city] = i
        self.cost = tour_cost(metric, order)

    def _reverse(self, first: int, last: int) -> None:
        """Reverse the path ``first .. last`` (in tour direction), or equivalently its complement."""
        order, pos, n = self.order, self.pos, self.n
        i, j = pos[first], pos[last]
        inner = (j - i) % n + 1
        if 2 * inner > n:
            i, j, inner = (j + 1) % n, (i - 1) % n, n - inner
        for _ in range(inner // 2):
            a, b = order[i], order[j]
            order[i], pos[b] = b, i
            order[j], pos[a] = a, j
            i = i + 1 if i + 1 < n else 0
            j = j - 1 if j > 0 else n - 1

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
        order, pos, n, flat, neighbours = self.order, self.pos, self.n, self.flat, self.neighbours
        p1 = pos[t1]
        for t2, forward in ((order[(p1 + 1) % n], True), (order[p1 - 1], False)):
            g1 = flat[t1 * n + t2]
            row2 = t2 * n
            for t3 in neighbours[t2]:
                g2 = g1 - flat[row2 + t3]
                if g2 <= 0:
                    break
                p3 = pos[t3]
                t4 = order[p3 - 1] if forward else order[(p3 + 1) % n]
                if t3 == t1 or t4 == t2:
                    continue
                gain = g2 + flat[t3 * n + t4] - flat[t4 * n + t1]
                if gain > 0:
                    self._two_opt_move(t1, t2, t4, t3)
                    self.cost -= gain
                    return t1, t2, t3, t4
        return None

    def _improve_or_opt(self, t1: int) -> tuple[int, ...] | None:
        order, pos, n, flat, neighbours = self.order, self.pos, self.n, self.flat, self.neighbours
        p = pos[t1]
        row1 = t1 * n
        for step, length in ((1, 1), (1, 2), (1, 3), (-1, 2), (-1, 3)):
            segment = [order[(p + step * k) % n] for k in range(length)]
            s2 = segment[-1]
            a, b = order[(p - step) % n], order[(p + step * length) % n]
            g1 = flat[a * n + t1] + flat[s2 * n + b] - flat[a * n + b]
            if g1 <= 0:
                continue
            row2 = s2 * n
            for c in neighbours[t1]:
                g2 = g1 - flat[row1 + c]
                if g2 <= 0:
                    break
                if c in segment:
                    continue
                pc = pos[c]
                for d, d_follows_c in ((order[(pc + step) % n], True), (order[(pc - step) % n], False)):
                    if d in segment:
                        continue
                    gain = g2 - flat[row2 + d] + flat[c * n + d]
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
        """A double bridge between nearby positions: A B C D becomes A C B D. Returns the points it touched."""
        n, order, flat = self.n, self.order, self.flat
        span = min(_KICK_SPAN, n - 2)
        start = rng.randrange(n)
        i, j = sorted(rng.sample(range(1, span), 2))
        a1, b0, b1 = order[start], order[(start + 1) % n], order[(start + i) % n]
        c0, c1, d0 = order[(start + i + 1) % n], order[(start + j) % n], order[(start + j + 1) % n]
        self.cost += (
            flat[a1 * n + c0]
            + flat[c1 * n + b0]
            + flat[b1 * n + d0]
            - flat[a1 * n + b0]
            - flat[b1 * n + c0]
            - flat[c1 * n + d0]
        )
        self._two_opt_move(a1, b0, c1, d0)
        self._two_opt_move(a1, c1, c0, b1)
        self._two_opt_move(c1, b1, b0, d0)
        return [a1, b0, b1, c0, c1, d0]


def _exhaustive(metric: Metric) -> list[int]:
    """The optimal tour by trying every one (tiny ``n`` only)."""
    n = metric.n
    if n <= 3:
        return list(range(n))
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
    best_order, best_pos, best_cost = tour.order[:], tour.pos[:], tour.cost
    for k in range(kicks):
        if k % 32 == 0:
            check()
            if should_stop():
                break
        tour.local_search(deque(tour.kick(rng)), check)
        if tour.cost <= best_cost:
            best_order, best_pos, best_cost = tour.order[:], tour.pos[:], tour.cost
        else:
            tour.order[:], tour.pos[:], tour.cost = best_order, best_pos, best_cost
    return best_order
