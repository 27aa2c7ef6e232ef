"""Cut constraints of survivable network design, and how to find violated ones.

Every requirement a design must meet is a family of linear "cut" constraints on
the 0/1 link variables ``x``; a design is feasible exactly when it satisfies all
of them. There are exponentially many, so they are *separated*: given a
(fractional or integral) ``x``, a family returns constraints that ``x`` violates.

Families (``sum(coef * x) >= rhs`` each):

``connect``
    every cut ``S`` with required sites on both sides carries ``k`` links, ``k = 1``
    for ``tree`` and ``2`` for ``2edge``/``2node``.
``node``
    (``2node``) for every site ``w``, every cut of the graph without ``w`` with
    required sites on both sides carries one link.
``dual``
    (``2edge`` with two or more hubs: dual-homing) for every hub ``h``, every set
    of non-hub sites holding a required site keeps one link to the rest after ``h``
    is lost.
``hops``
    (``max_hops``) every required site reaches a hub within ``max_hops`` links:
    layered cuts, one per site.
``ring``
    (``max_ring``) every chosen link lies on a ring of at most ``max_ring`` links:
    when ``x_e = 1`` the ends of ``e`` are joined within ``max_ring - 1`` links
    without ``e`` (conditional layered cuts).
``risk``
    (shared-risk groups) for every group ``g``, every cut of the graph without
    ``g``'s sites with surviving required sites on both sides carries one link not
    in ``g``: the design survives the loss of any one group.
``relay``
    an optional site in use has at least two links (a dead-end relay is never
    worth paying for). These hold for some optimal design, not for every feasible
    one, so they tighten relaxations but never make a design infeasible.

Fractional separation uses maximum flows (SciPy's Dinic) on the support graph of
``x``: a Gomory–Hu (Gusfield) flow tree over the required sites for ``connect`` and
``node``, one flow per site on a layered graph for ``hops`` and per link for
``ring``. It is exact for ``connect``, ``hops`` and ``ring`` and for ``node`` once
the ``connect`` cuts hold (a violated node cut needs its site's ``x``-degree above
2), heuristic for ``dual``; for ``risk`` it finds the components of the support
without a group and each group's lone sites (a site whose remaining links carry less
than one), which are the cuts a duct shared at a site makes. Integral separation is exact for every family: it
reads the violated cuts off connected components, bridges, articulation points
and breadth-first distances of the chosen links, so every infeasible design is
cut off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, maximum_flow

from planner.design.problem import DesignProblem

__all__ = [
    "Arrays",
    "Cut",
    "SetCut",
    "LayerCut",
    "RelayCut",
    "RiskCut",
    "CountCut",
    "FAMILIES",
    "families",
    "group_losses",
    "group_cut_off",
    "site_risk_cuts",
    "separate",
    "violations",
]

#: A constraint counts as violated when short of its right-hand side by more than this.
EPS = 1e-6
#: Fixed-point scale of capacities handed to the (integer) maximum-flow routine.
_SCALE = 1_000_000
_BIG = 1 << 30


@dataclass(eq=False)
class Arrays:
    """The candidate graph of a :class:`DesignProblem` as integer arrays.

    Nodes are numbered ``0..n-1`` in ``nodes`` order, links ``0..m-1``; link ``e``
    joins ``u[e] < v[e]`` and costs ``cost[e]`` pence over the term.
    """

    problem: DesignProblem
    nodes: list[str]
    u: np.ndarray
    v: np.ndarray
    cost: np.ndarray
    required: np.ndarray
    hub: np.ndarray

    @classmethod
    def from_problem(cls, problem: DesignProblem) -> Arrays:
        nodes = sorted(problem.graph, key=str)
        index = {name: i for i, name in enumerate(nodes)}
        rows = [
            (i, j, d["cost"])
            for a, near in problem.graph.adjacency()
            for b, d in near.items()
            if (i := index[a]) < (j := index[b])
        ]
        u, v, cost = np.array(rows, dtype=np.int64).reshape(-1, 3).T
        order = np.lexsort((v, u))  # links numbered in order of their ends
        u, v, cost = u[order], v[order], cost[order]
        required = np.array([name in problem.required for name in nodes], dtype=bool)
        hub = np.array([name in problem.hubs for name in nodes], dtype=bool)
        return cls(problem, nodes, u, v, cost, required, hub)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.u)

    @cached_property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.nodes)}

    @cached_property
    def groups(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each shared-risk group of the problem as (its link ids, its node ids)."""
        index, edges = self.index, self.edge_index
        found = []
        for group in self.problem.risk_groups:
            ends = [sorted((index[a], index[b])) for a, b in group.links]
            links = np.array(sorted(edges[(i, j)] for i, j in ends), dtype=np.int64)
            found.append((links, np.array(sorted(index[x] for x in group.sites), dtype=np.int64)))
        return found

    @cached_property
    def group_matrix(self) -> csr_matrix:
        """Group ``g``'s row holds a 1 for every link its loss takes: its own and those at its sites."""
        rows, cols = [], []
        for g, (links, sites) in enumerate(self.groups):
            taken = np.unique(np.concatenate([links, *(self.incident[x] for x in sites)]))
            rows.append(np.full(len(taken), g))
            cols.append(taken)
        if not rows:
            return csr_matrix((0, self.m))
        data = np.ones(sum(len(c) for c in cols))
        return csr_matrix((data, (np.concatenate(rows), np.concatenate(cols))), shape=(len(self.groups), self.m))

    @cached_property
    def edge_index(self) -> dict[tuple[int, int], int]:
        return {(int(a), int(b)): e for e, (a, b) in enumerate(zip(self.u, self.v, strict=True))}

    @cached_property
    def cost_matrix(self) -> np.ndarray:
        """Link cost between every two nodes: ``inf`` where there is no candidate, 0 on the diagonal."""
        cost = np.full((self.n, self.n), np.inf)
        cost[self.u, self.v] = cost[self.v, self.u] = self.cost
        np.fill_diagonal(cost, 0.0)
        return cost

    @cached_property
    def incident(self) -> list[np.ndarray]:
        """Link ids at each node."""
        ends = np.concatenate([self.u, self.v])
        links = np.concatenate([np.arange(self.m), np.arange(self.m)])
        order = np.argsort(ends, kind="stable")
        bounds = np.searchsorted(ends[order], np.arange(self.n + 1))
        return [links[order[bounds[i] : bounds[i + 1]]] for i in range(self.n)]

    def ids(self, pairs) -> np.ndarray:
        """Link ids of site-id pairs."""
        index = self.index
        return np.array(
            [self.edge_index[tuple(sorted((index[a], index[b])))] for a, b in pairs],
            dtype=np.int64,
        )

    def pairs(self, ids) -> list[tuple[str, str]]:
        """Site-id pairs of link ids."""
        return [(self.nodes[self.u[e]], self.nodes[self.v[e]]) for e in ids]

    def total(self, ids) -> int:
        return int(self.cost[np.asarray(ids, dtype=np.int64)].sum())


# -- cuts ------------------------------------------------------------------------------


class Cut:
    """A constraint ``sum(coef[e] * x[e]) >= rhs`` over every candidate link."""

    rhs: float
    family: str

    def coefficients(self, arrays: Arrays, links: np.ndarray) -> np.ndarray:
        """Coefficients on the given link ids (dense, same length as ``links``)."""
        raise NotImplementedError

    @property
    def key(self) -> tuple:
        """Equal for equal constraints."""
        raise NotImplementedError

    def slack(self, arrays: Arrays, x: np.ndarray) -> float:
        links = np.flatnonzero(x > EPS)
        return float(self.coefficients(arrays, links) @ x[links]) - self.rhs


@dataclass(eq=False)
class SetCut(Cut):
    """Links leaving ``side`` (and not touching node ``without``) number at least ``rhs``."""

    side: np.ndarray
    rhs: float
    family: str
    without: int = -1

    def __post_init__(self) -> None:
        anchor = 0 if self.without != 0 else 1
        if self.side[anchor]:  # one canonical side per cut, so duplicates are found
            self.side = ~self.side
            if self.without >= 0:
                self.side[self.without] = False

    def coefficients(self, arrays: Arrays, links: np.ndarray) -> np.ndarray:
        u, v = arrays.u[links], arrays.v[links]
        crossing = self.side[u] != self.side[v]
        if self.without >= 0:
            crossing &= (u != self.without) & (v != self.without)
        return crossing.astype(float)

    @property
    def key(self) -> tuple:
        return ("set", self.without, self.rhs, np.packbits(self.side).tobytes())


def _taken(arrays: Arrays, group: int) -> np.ndarray:
    """The ids of every link the loss of shared-risk group ``group`` takes: its own and those at its sites."""
    matrix = arrays.group_matrix
    return matrix.indices[matrix.indptr[group] : matrix.indptr[group + 1]]


def group_losses(arrays: Arrays, group: int, links: np.ndarray) -> np.ndarray:
    """Which of ``links`` the loss of shared-risk group ``group`` takes."""
    taken = np.zeros(arrays.m, dtype=bool)
    taken[_taken(arrays, group)] = True
    return taken[links]


def _heavy_groups(arrays: Arrays, links: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The groups whose loss takes more than one unit of ``weight`` on ``links``: only those can cut a
    point that meets every ``connect`` cut (each carries two) below one."""
    x = np.zeros(arrays.m)
    x[links] = weight
    return np.flatnonzero(arrays.group_matrix @ x > 1 + EPS)


@dataclass(eq=False)
class RiskCut(SetCut):
    """Links leaving ``side`` that survive the loss of shared-risk group ``group`` (those not in it
    and touching none of its sites) number at least ``rhs``."""

    group: int = -1

    def coefficients(self, arrays: Arrays, links: np.ndarray) -> np.ndarray:
        u, v = arrays.u[links], arrays.v[links]
        return ((self.side[u] != self.side[v]) & ~group_losses(arrays, self.group, links)).astype(float)

    @property
    def key(self) -> tuple:
        return ("risk", self.group, self.rhs, np.packbits(self.side).tobytes())


@dataclass(eq=False)
class LayerCut(Cut):
    """A layered cut: no path of at most ``layers`` links leaves the ball ``dist``.

    ``dist[i]`` is the layer at which node ``i`` is first reached (``layers + 1``
    when never); link ``i-j`` crosses when ``min(dist) < layers`` and the two
    layers differ by two or more. With ``pivot >= 0`` the cut applies only when
    link ``pivot`` is chosen: ``sum(x) - x[pivot] >= 0``.
    """

    dist: np.ndarray
    layers: int
    rhs: float
    family: str
    pivot: int = -1

    def coefficients(self, arrays: Arrays, links: np.ndarray) -> np.ndarray:
        du, dv = self.dist[arrays.u[links]], self.dist[arrays.v[links]]
        coef = ((np.minimum(du, dv) < self.layers) & (np.abs(du - dv) >= 2)).astype(float)
        if self.pivot >= 0:
            coef[links == self.pivot] = -1.0
        return coef

    @property
    def key(self) -> tuple:
        return ("layer", self.pivot, self.layers, self.rhs, self.dist.tobytes())


@dataclass(eq=False)
class RelayCut(Cut):
    """An optional ``node`` using link ``link`` has another link: ``x(δ(node)) - 2 x[link] >= 0``."""

    node: int
    link: int
    rhs: float = 0.0
    family: str = "relay"

    def coefficients(self, arrays: Arrays, links: np.ndarray) -> np.ndarray:
        coef = ((arrays.u[links] == self.node) | (arrays.v[links] == self.node)).astype(float)
        coef[links == self.link] = -1.0
        return coef

    @property
    def key(self) -> tuple:
        return ("relay", self.node, self.link)


@dataclass(eq=False)
class CountCut(Cut):
    """``sign * (number of links) >= rhs``: at least ``rhs`` links, or with ``sign = -1``
    at most ``-rhs`` (see :func:`planner.design.hierarchy.link_count_cuts`)."""

    rhs: float
    sign: float = 1.0
    family: str = "count"

    def coefficients(self, arrays: Arrays, links: np.ndarray) -> np.ndarray:
        return np.full(len(links), self.sign)

    @property
    def key(self) -> tuple:
        return ("count", self.sign, self.rhs)


# -- flows on the support graph -----------------------------------------------------------


@dataclass
class _Support:
    """The links in use (``x > EPS``) with their capacities, as CSR matrices for max-flow."""

    arrays: Arrays
    x: np.ndarray
    links: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.links = np.flatnonzero(self.x > EPS)

    def matrix(self, without: int = -1, extra: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None):
        """Symmetric capacity matrix over nodes (plus a sink ``n`` when ``extra`` arcs are given)."""
        links = self.links
        u, v = self.arrays.u[links], self.arrays.v[links]
        if without >= 0:
            keep = (u != without) & (v != without)
            links, u, v = links[keep], u[keep], v[keep]
        cap = np.maximum(1, np.rint(self.x[links] * _SCALE)).astype(np.int64)
        rows, cols, data = [u, v], [v, u], [cap, cap]
        size = self.arrays.n
        if extra is not None:
            rows.append(extra[0])
            cols.append(extra[1])
            data.append(extra[2])
            size += 1
        matrix = csr_matrix(
            (np.concatenate(data).astype(np.int32), (np.concatenate(rows), np.concatenate(cols))),
            shape=(size, size),
        )
        matrix.sum_duplicates()
        return matrix

    def components(self, without: int = -1) -> np.ndarray:
        """Component label of every node in the support graph (without node ``without``)."""
        return connected_components(self.matrix(without), directed=False)[1]


def _min_cut(matrix, source: int, sink: int) -> tuple[float, np.ndarray]:
    """Minimum ``source``-``sink`` cut: its (scaled-back) value and the source side."""
    flow = maximum_flow(matrix, source, sink, method="dinic")
    residual = matrix - flow.flow
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    side = np.zeros(matrix.shape[0], dtype=bool)
    side[breadth_first_order(residual, source, directed=True, return_predecessors=False)] = True
    return flow.flow_value / _SCALE, side


def _flow_tree_cuts(matrix, terminals: np.ndarray) -> Iterator[tuple[float, np.ndarray]]:
    """Gusfield's flow tree over ``terminals``: ``len(terminals) - 1`` minimum cuts that
    together hold a minimum cut between every pair of terminals."""
    parent = np.full(len(terminals), 0)
    for k in range(1, len(terminals)):
        value, side = _min_cut(matrix, int(terminals[k]), int(terminals[parent[k]]))
        yield value, side
        later = np.arange(k + 1, len(terminals))
        moved = later[side[terminals[later]] & (parent[later] == parent[k])]
        parent[moved] = k


def _layered_ball(
    arrays: Arrays, links: np.ndarray, weights: np.ndarray, source: int, targets: np.ndarray, layers: int
) -> tuple[float, np.ndarray]:
    """Max flow from ``source`` to any of ``targets`` along paths of at most ``layers`` links.

    Node ``(l, i)`` is ``l * n + i``; a link gives arcs ``(l, i) -> (l + 1, j)`` both ways
    with capacity ``weights``; ``(l, i) -> (l + 1, i)`` waits for free. Returns the flow
    value and the layer at which each node is first reached in the residual graph.
    """
    n = arrays.n
    size = (layers + 1) * n + 1
    sink = size - 1
    u, v = arrays.u[links], arrays.v[links]
    cap = np.maximum(1, np.rint(weights * _SCALE)).astype(np.int64)
    base = np.arange(layers)[:, None] * n
    nodes = np.arange(n)
    rows = [(base + u).ravel(), (base + v).ravel(), (base + nodes).ravel(), layers * n + targets]
    cols = [(base + n + v).ravel(), (base + n + u).ravel(), (base + n + nodes).ravel(), np.full(len(targets), sink)]
    data = [np.tile(cap, layers), np.tile(cap, layers), np.full(layers * n, _BIG), np.full(len(targets), _BIG)]
    matrix = csr_matrix(
        (np.concatenate(data).astype(np.int32), (np.concatenate(rows), np.concatenate(cols))), shape=(size, size)
    )
    matrix.sum_duplicates()
    value, side = _min_cut(matrix, source, sink)
    reached = side[:-1].reshape(layers + 1, n)
    dist = np.where(reached.any(axis=0), reached.argmax(axis=0), layers + 1)
    return value, dist


# -- the families -------------------------------------------------------------------------


def _connect_k(arrays: Arrays) -> int:
    return 1 if arrays.problem.redundancy == "tree" else 2


def _component_cuts(arrays: Arrays, labels: np.ndarray, rhs: float, family: str, without: int = -1) -> list[Cut]:
    """One cut per component holding required sites, when more than one does."""
    required = arrays.required.copy()
    if without >= 0:
        required[without] = False
    holding = np.unique(labels[required])
    if len(holding) < 2:
        return []
    return [SetCut(labels == c, rhs, family, without) for c in holding]


def _connect_fractional(arrays: Arrays, support: _Support) -> list[Cut]:
    k = _connect_k(arrays)
    cuts = _component_cuts(arrays, support.components(), k, "connect")
    if cuts:
        return cuts
    matrix = support.matrix()
    return [
        SetCut(side, k, "connect")
        for value, side in _flow_tree_cuts(matrix, np.flatnonzero(arrays.required))
        if value < k - EPS and _cut_value(arrays, support, side) < k - EPS
    ]


def _cut_value(arrays: Arrays, support: _Support, side: np.ndarray, without: int = -1) -> float:
    """The exact (unscaled) weight of support links leaving ``side``."""
    links = support.links
    u, v = arrays.u[links], arrays.v[links]
    crossing = side[u] != side[v]
    if without >= 0:
        crossing &= (u != without) & (v != without)
    return float(support.x[links][crossing].sum())


def _node_fractional(arrays: Arrays, support: _Support) -> list[Cut]:
    links = support.links
    degree = np.bincount(arrays.u[links], support.x[links], arrays.n) + np.bincount(
        arrays.v[links], support.x[links], arrays.n
    )
    cuts: list[Cut] = []
    for w in np.flatnonzero(degree > 2 + EPS):
        w = int(w)
        found = _component_cuts(arrays, support.components(w), 1, "node", w)
        if not found:
            terminals = np.flatnonzero(arrays.required & (np.arange(arrays.n) != w))
            matrix = support.matrix(without=w)
            found = [
                SetCut(side, 1, "node", w)
                for value, side in _flow_tree_cuts(matrix, terminals)
                if value < 1 - EPS and _cut_value(arrays, support, side, w) < 1 - EPS
            ]
        cuts += found
    return cuts


def _dual_fractional(arrays: Arrays, support: _Support) -> list[Cut]:
    cuts: list[Cut] = []
    hubs = np.flatnonzero(arrays.hub)
    links = support.links
    for h in hubs:
        h = int(h)
        others = hubs[hubs != h]
        extra = (others, np.full(len(others), arrays.n), np.full(len(others), _BIG))
        matrix = support.matrix(without=h, extra=extra)
        at_h = links[(arrays.u[links] == h) | (arrays.v[links] == h)]
        neighbours = np.unique(np.where(arrays.u[at_h] == h, arrays.v[at_h], arrays.u[at_h]))
        for s in neighbours[~arrays.hub[neighbours]]:
            value, side = _min_cut(matrix, int(s), arrays.n)
            side = side[: arrays.n]
            if value < 1 - EPS and arrays.required[side].any() and _cut_value(arrays, support, side, h) < 1 - EPS:
                cuts.append(SetCut(side, 1, "dual", h))
    return cuts


def _hops_fractional(arrays: Arrays, support: _Support) -> list[Cut]:
    layers = arrays.problem.settings.max_hops
    hubs = np.flatnonzero(arrays.hub)
    cuts: list[Cut] = []
    for s in np.flatnonzero(arrays.required & ~arrays.hub):
        value, dist = _layered_ball(arrays, support.links, support.x[support.links], int(s), hubs, layers)
        cut = LayerCut(dist, layers, 1.0, "hops")
        if value < 1 - EPS and cut.slack(arrays, support.x) < -EPS:
            cuts.append(cut)
    return cuts


def _ring_fractional(arrays: Arrays, support: _Support) -> list[Cut]:
    layers = arrays.problem.settings.max_ring - 1
    cuts: list[Cut] = []
    for e in support.links:
        others = support.links[support.links != e]
        a, b = int(arrays.u[e]), int(arrays.v[e])
        value, dist = _layered_ball(arrays, others, support.x[others], a, np.array([b]), layers)
        cut = LayerCut(dist, layers, 0.0, "ring", int(e))
        if value < support.x[e] - EPS and cut.slack(arrays, support.x) < -EPS:
            cuts.append(cut)
    return cuts


def _relay_fractional(arrays: Arrays, support: _Support) -> list[Cut]:
    cuts: list[Cut] = []
    x = support.x
    for node in np.flatnonzero(~arrays.required):
        at = arrays.incident[node]
        at = at[x[at] > EPS]
        if len(at):
            top = at[np.argmax(x[at])]
            if x[at].sum() - 2 * x[top] < -EPS:
                cuts.append(RelayCut(int(node), int(top)))
    return cuts


def _surviving_parts(arrays: Arrays, links: np.ndarray, group: int, lost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Component labels of ``links`` without those the loss of ``group`` takes (``lost``), and which
    nodes are required sites that survive it."""
    n = arrays.n
    alive = arrays.required.copy()
    alive[arrays.groups[group][1]] = False
    u, v = arrays.u[links][~lost], arrays.v[links][~lost]
    labels = connected_components(csr_matrix((np.ones(len(u)), (u, v)), shape=(n, n)), directed=False)[1]
    return labels, alive


def group_cut_off(arrays: Arrays, group: int, links: np.ndarray) -> list[int]:
    """The surviving required sites that the loss of ``group`` cuts off the largest part of ``links``."""
    labels, alive = _surviving_parts(arrays, links, group, group_losses(arrays, group, links))
    if not alive.any():
        return []
    main = np.bincount(labels[alive]).argmax()
    return np.flatnonzero(alive & (labels != main)).tolist()


def _risk_cuts(arrays: Arrays, links: np.ndarray, group: int, lost: np.ndarray, weight: np.ndarray) -> list[Cut]:
    """Cuts a point (``weight`` on ``links``) violates once ``group`` is lost (``lost``: the links it takes):
    the components left holding surviving required sites, when more than one, else every surviving
    required site whose links left weigh less than one."""
    labels, alive = _surviving_parts(arrays, links, group, lost)
    if alive.sum() < 2:
        return []
    holding = np.unique(labels[alive])
    if len(holding) > 1:
        return [RiskCut(labels == c, 1.0, "risk", group=group) for c in holding]
    n, keep = arrays.n, ~lost
    degree = np.bincount(arrays.u[links][keep], weight[keep], n) + np.bincount(arrays.v[links][keep], weight[keep], n)
    touched = np.zeros(n, dtype=bool)
    touched[arrays.u[links][lost]] = touched[arrays.v[links][lost]] = True
    lone = np.flatnonzero(touched & alive & (degree < 1 - EPS))
    return [RiskCut(np.arange(n) == t, 1.0, "risk", group=group) for t in lone]


def site_risk_cuts(arrays: Arrays) -> list[Cut]:
    """For each group and each surviving required site its loss takes two or more links from: the site
    keeps a link the group does not take. Few (about one per duct), and they settle most of what a
    duct asks, so the relaxation starts with them rather than finding them round by round."""
    cuts: list[Cut] = []
    for g, (_, sites) in enumerate(arrays.groups):
        lost = _taken(arrays, g)
        ends = np.bincount(np.concatenate([arrays.u[lost], arrays.v[lost]]), minlength=arrays.n)
        alive = arrays.required.copy()
        alive[sites] = False
        cuts += [RiskCut(np.arange(arrays.n) == t, 1.0, "risk", group=g) for t in np.flatnonzero(alive & (ends >= 2))]
    return cuts


def _risk_fractional(arrays: Arrays, support: _Support) -> list[Cut]:
    links = support.links
    cuts: list[Cut] = []
    for g in _heavy_groups(arrays, links, support.x[links]):
        cuts += _risk_cuts(arrays, links, int(g), group_losses(arrays, int(g), links), support.x[links])
    return cuts


# integral separation: exact, on the chosen links


class _Design:
    """The chosen links as adjacency lists, with one depth-first search's low points.

    Preorder numbers make every DFS subtree a contiguous range, so the node sets
    cut off by a bridge, an articulation point or a component are read off in
    O(n) each. Built in O(n + k) for ``k`` chosen links.
    """

    def __init__(self, arrays: Arrays, chosen: np.ndarray):
        n = arrays.n
        self.arrays, self.chosen = arrays, chosen
        self.adj: list[list[int]] = [[] for _ in range(n)]
        for a, b in zip(arrays.u[chosen].tolist(), arrays.v[chosen].tolist(), strict=True):
            self.adj[a].append(b)
            self.adj[b].append(a)
        disc, low, parent, size = [-1] * n, [0] * n, [-1] * n, [1] * n
        clock = 0
        for root in range(n):
            if disc[root] >= 0:
                continue
            disc[root] = low[root] = clock
            clock += 1
            stack = [(root, iter(self.adj[root]))]
            while stack:
                node, neighbours = stack[-1]
                for nxt in neighbours:
                    if disc[nxt] < 0:
                        parent[nxt] = node
                        disc[nxt] = low[nxt] = clock
                        clock += 1
                        stack.append((nxt, iter(self.adj[nxt])))
                        break
                    if nxt != parent[node]:
                        low[node] = min(low[node], disc[nxt])
                else:
                    stack.pop()
                    if stack:
                        up = stack[-1][0]
                        low[up] = min(low[up], low[node])
                        size[up] += size[node]
        self.disc, self.low, self.parent, self.size = (np.array(a) for a in (disc, low, parent, size))
        order = np.argsort(self.disc)
        self._required = np.concatenate([[0], np.cumsum(arrays.required[order])])
        self._hubs = np.concatenate([[0], np.cumsum(arrays.hub[order])])

    def subtree(self, node: int) -> np.ndarray:
        start = self.disc[node]
        return (self.disc >= start) & (self.disc < start + self.size[node])

    def _count(self, prefix: np.ndarray, node: int) -> int:
        start = self.disc[node]
        return int(prefix[start + self.size[node]] - prefix[start])

    def required_in(self, node: int) -> int:
        """Required sites in the subtree of ``node``."""
        return self._count(self._required, node)

    def hubs_in(self, node: int) -> int:
        return self._count(self._hubs, node)

    @property
    def roots(self) -> np.ndarray:
        return np.flatnonzero(self.parent < 0)

    @cached_property
    def cycle_labels(self) -> np.ndarray:
        """A random 64-bit label per chosen link (in ``chosen`` order) such that the links of every cut
        of the design XOR to zero: each link off the DFS tree gets a random label, each tree link the
        XOR of the labels of the links that span it. Links whose loss together splits the design then
        always hold a subset XORing to zero, and links that do not almost never do (2^-64), so the
        labels say in O(k) which losses need a search (Pătraşcu and Thorup's trick)."""
        arrays, chosen, parent = self.arrays, self.chosen, self.parent
        u, v = arrays.u[chosen], arrays.v[chosen]
        tree = (parent[v] == u) | (parent[u] == v)
        labels = np.zeros(len(chosen), dtype=np.uint64)
        spare = np.random.default_rng(0).integers(1, 1 << 63, size=int((~tree).sum()), dtype=np.uint64)
        labels[~tree] = spare
        node = np.zeros(arrays.n, dtype=np.uint64)
        np.bitwise_xor.at(node, u[~tree], spare)
        np.bitwise_xor.at(node, v[~tree], spare)
        below = node.tolist()
        for c in np.argsort(self.disc)[::-1].tolist():
            if parent[c] >= 0:
                below[parent[c]] ^= below[c]
        child = np.where(parent[v] == u, v, u)
        labels[tree] = np.array(below, dtype=np.uint64)[child[tree]]
        return labels

    def separated(self) -> np.ndarray:
        """Non-root nodes ``c`` whose subtree losing ``parent[c]`` cuts off (``low[c] >= disc[parent]``)."""
        c = np.flatnonzero(self.parent >= 0)
        return c[self.low[c] >= self.disc[self.parent[c]]]

    def distances(self, sources, cutoff: int, without: tuple[int, int] | None = None) -> np.ndarray:
        """Breadth-first distances from ``sources`` (``cutoff + 1`` beyond), optionally without one link."""
        dist = [cutoff + 1] * self.arrays.n
        frontier = list(sources)
        for node in frontier:
            dist[node] = 0
        for d in range(1, cutoff + 1):
            reached = []
            for i in frontier:
                for j in self.adj[i]:
                    if dist[j] > d and (i, j) != without and (j, i) != without:
                        dist[j] = d
                        reached.append(j)
            frontier = reached
        return np.array(dist)


def _connect_integral(arrays: Arrays, design: _Design) -> Iterator[Cut]:
    k = _connect_k(arrays)
    holding = [r for r in design.roots if design.required_in(r)]
    if len(holding) > 1:
        for r in holding:
            yield SetCut(design.subtree(r), k, "connect")
    elif k == 2:
        total = int(arrays.required.sum())
        for c in np.flatnonzero(design.parent >= 0):
            if design.low[c] > design.disc[design.parent[c]] and 0 < design.required_in(c) < total:
                yield SetCut(design.subtree(c), k, "connect")


def _node_integral(arrays: Arrays, design: _Design) -> Iterator[Cut]:
    total = int(arrays.required.sum())
    for c in design.separated():
        w = int(design.parent[c])
        inside = design.required_in(c)
        if inside and total - inside - arrays.required[w] > 0:
            yield SetCut(design.subtree(c), 1, "node", w)


def _dual_integral(arrays: Arrays, design: _Design) -> Iterator[Cut]:
    """Components of the design without a hub ``h`` that hold required sites but no hub."""
    separated = design.separated()
    for h in np.flatnonzero(arrays.hub):
        h = int(h)
        rest = design.subtree(_root(design, h))
        rest[h] = False
        for c in separated[design.parent[separated] == h]:
            side = design.subtree(c)
            rest &= ~side
            if design.required_in(c) and not design.hubs_in(c):
                yield SetCut(side, 1, "dual", h)
        if (arrays.required & rest).any() and not (arrays.hub & rest).any():
            yield SetCut(rest, 1, "dual", h)


def _root(design: _Design, node: int) -> int:
    while design.parent[node] >= 0:
        node = int(design.parent[node])
    return node


def _hops_integral(arrays: Arrays, design: _Design) -> Iterator[Cut]:
    layers = arrays.problem.settings.max_hops
    far = design.distances(np.flatnonzero(arrays.hub).tolist(), layers) > layers
    for s in np.flatnonzero(far & arrays.required):
        yield LayerCut(design.distances([int(s)], layers), layers, 1.0, "hops")


def _ring_integral(arrays: Arrays, design: _Design) -> Iterator[Cut]:
    layers = arrays.problem.settings.max_ring - 1
    for a, neighbours in enumerate(design.adj):
        for b in neighbours:
            if a < b:
                dist = design.distances([a], layers, without=(a, b))
                if dist[b] > layers:  # the balls round both ends give two different cuts
                    link = arrays.edge_index[(a, b)]
                    yield LayerCut(dist, layers, 0.0, "ring", link)
                    yield LayerCut(design.distances([b], layers, without=(a, b)), layers, 0.0, "ring", link)


def _risk_integral(arrays: Arrays, design: _Design) -> Iterator[Cut]:
    """For each group whose loss takes two or more chosen links: the components left. (Losing one link
    is what the ``connect`` cuts of ``2edge`` and ``2node`` already ask a design to survive.)"""
    chosen = design.chosen
    ones = np.ones(len(chosen))
    for g in _heavy_groups(arrays, chosen, ones):
        lost = group_losses(arrays, int(g), chosen)
        if len(arrays.groups[g][1]) or not _independent(design.cycle_labels[lost].tolist()):
            yield from _risk_cuts(arrays, chosen, int(g), lost, ones)


def _independent(labels: list[int]) -> bool:
    """Whether no non-empty subset of ``labels`` XORs to zero (Gaussian elimination over GF(2))."""
    basis: list[int] = []
    for x in labels:
        for b in basis:
            x = min(x, x ^ b)
        if x == 0:
            return False
        basis.append(x)
        basis.sort(reverse=True)
    return True


@dataclass(frozen=True)
class Family:
    """How to separate one family: on a fractional support graph, and exactly on a design."""

    fractional: Callable[[Arrays, _Support], list[Cut]]
    integral: Callable[[Arrays, _Design], Iterator[Cut]]
    applies: Callable[[DesignProblem], bool]


#: Cut families by name, in the order they are separated.
FAMILIES: dict[str, Family] = {
    "connect": Family(_connect_fractional, _connect_integral, lambda p: True),
    "node": Family(_node_fractional, _node_integral, lambda p: p.redundancy == "2node"),
    "dual": Family(_dual_fractional, _dual_integral, lambda p: p.redundancy == "2edge" and len(p.hubs) >= 2),
    "hops": Family(_hops_fractional, _hops_integral, lambda p: p.settings.max_hops is not None),
    "ring": Family(_ring_fractional, _ring_integral, lambda p: p.settings.max_ring is not None),
    "risk": Family(_risk_fractional, _risk_integral, lambda p: bool(p.risk_groups)),
    "relay": Family(_relay_fractional, lambda arrays, design: iter(()), lambda p: bool(p.optional)),
}


def families(problem: DesignProblem) -> list[str]:
    """Names of the families that apply to ``problem``."""
    return [name for name, family in FAMILIES.items() if family.applies(problem)]


def separate(arrays: Arrays, x: np.ndarray, names: list[str] | None = None) -> list[Cut]:
    """Cuts violated by the fractional point ``x`` (one value per candidate link).

    Families are tried in order and the first that finds violated cuts wins, so the
    cheap connectivity cuts are settled before the costlier node and layered ones.

    Notes
    -----
    One round costs up to ``n`` maximum flows per family (per site of degree above
    2 for ``node``, per support link for ``ring``), each O(n m_s) or better on the
    ``m_s``-link support graph.
    """
    support = _Support(arrays, np.asarray(x, dtype=float))
    for name in names or families(arrays.problem):
        cuts = FAMILIES[name].fractional(arrays, support)
        if cuts:
            return cuts
    return []


def violations(arrays: Arrays, chosen: np.ndarray, names: list[str] | None = None, first: bool = False) -> list[Cut]:
    """Cuts violated by the design made of link ids ``chosen``: empty exactly when it is feasible.

    With ``first``, return at most one (a fast feasibility test).

    Notes
    -----
    One depth-first search, O(n + k) for ``k`` chosen links, settles ``connect``,
    ``node`` and ``dual``; ``hops`` adds one breadth-first search per far site and
    ``ring`` one per chosen link, O(k (n + k)) at worst.
    """
    design = _Design(arrays, np.asarray(chosen, dtype=np.int64))
    found = (cut for name in names or families(arrays.problem) for cut in FAMILIES[name].integral(arrays, design))
    return list(islice(found, 1)) if first else list(found)
