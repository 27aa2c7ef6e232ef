"""Routing traffic over a design in every failure state, and sizing each link for its worst load.

The routing rule (what the network's routers do, and what the schedule lets
engineers configure):

* every link has a **metric**, its chargeable route km (a whole number), and
  traffic takes the **shortest path by metric** (an IGP such as OSPF or IS-IS);
* where several paths are equally short, traffic is **split evenly at each site
  where they part** (equal-cost multipath, per next hop);
* a flow is routed from its source towards the first of its targets that is
  still there and reachable (:mod:`planner.core.traffic`), and the return traffic
  takes the same paths back, so a link carries the same load each way.

The **failure states** a design is sized for are those its redundancy level
promises to survive: the normal state, then each link lost (``2edge``, ``2node``),
then each site lost (``2node``). A ``tree`` survives no failure and is sized for
the normal state only. A flow whose source or every target is lost is not carried.

Each link is then bought as the cheapest tier or bundle that carries its worst
load within ``max_utilisation`` of its capacity (:func:`~planner.core.tariff.cheapest_option`).

>>> import networkx as nx
>>> from planner.core.model import DesignSettings
>>> from planner.core.tariff import Tariff
>>> from planner.core.traffic import Flow
>>> from planner.design.problem import DesignProblem
>>> g = nx.Graph()
>>> for u, v in [("hq", "x"), ("x", "y"), ("y", "hq")]:
...     g.add_edge(u, v, metric=10, prices=Tariff().prices(8.0))
>>> p = DesignProblem(g, frozenset(g), frozenset({"hq"}), DesignSettings("2edge"), 5,
...                   flows=(Flow("x", ("hq",), 700.0), Flow("y", ("hq",), 300.0)))
>>> sizing = size_links(p, list(g.edges))
>>> sizing.worst[("hq", "x")], sizing.worst_state[("hq", "x")].label(None)
(1000.0, 'link hq-y')
>>> sizing.options[("hq", "x")].label
'2x1G'

Notes
-----
One Dijkstra per failure state from every site traffic goes to (SciPy, in C), then
the flows are pushed down each shortest-path graph by repeated sparse passes, as
many as its longest path has links. For ``s`` states, ``t`` target sites and a
design of ``m`` links that is O(s t (m log n + h m)) for paths of at most ``h`` links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.sparse.linalg import spsolve_triangular

from planner.core.errors import InfeasibleError
from planner.core.model import RiskGroup, pair_key
from planner.core.tariff import MAX_BUNDLE, CircuitOption, cheapest_option
from planner.design.problem import DesignProblem

__all__ = [
    "State",
    "Routing",
    "Sizing",
    "PriceTable",
    "failure_states",
    "route",
    "route_masks",
    "routed_sites",
    "size_links",
    "LOAD_TOLERANCE",
]

#: Loads within this many Mb/s of a limit count as within it (floating-point sums of rates).
LOAD_TOLERANCE = 1e-6

Pair = tuple[str, str]


@dataclass(frozen=True)
class State:
    """A failure state: ``normal``, a ``link`` lost (``element`` its site pair), a ``site`` lost,
    several ``links`` lost together (``element`` a tuple of pairs: the presenter's double cuts), or
    a shared-risk ``group`` lost (``element`` the :class:`~planner.core.model.RiskGroup`)."""

    kind: Literal["normal", "link", "site", "links", "group"]
    element: Pair | str | tuple[Pair, ...] | RiskGroup | None = None

    def label(self, circuit_ids: dict[Pair, str] | None) -> str:
        """How a schedule names the failure: ``circuit C0007``, ``site LDS-HQ``, ``risk group Duct 4 NE``;
        empty for the normal state."""
        if self.kind == "normal":
            return ""
        if self.kind == "site":
            return f"site {self.element}"
        if self.kind == "group":
            return f"risk group {self.element.name}"
        pairs = self.element if self.kind == "links" else (self.element,)
        names = [circuit_ids[p] if circuit_ids and p in circuit_ids else f"{p[0]}-{p[1]}" for p in pairs]
        known = circuit_ids and all(p in circuit_ids for p in pairs)
        return f"{'circuit' if known else 'link'}{'s' if len(names) > 1 else ''} {' and '.join(names)}"

    @property
    def lost_links(self) -> tuple[Pair, ...]:
        """The site pairs lost (for a group, every link it holds, whether in the design or not)."""
        if self.kind == "group":
            return self.element.links
        return {"link": (self.element,), "links": self.element}.get(self.kind, ())

    @property
    def lost_sites(self) -> tuple[str, ...]:
        if self.kind == "group":
            return self.element.sites
        return (self.element,) if self.kind == "site" else ()


def failure_states(
    redundancy: str, pairs: Sequence[Pair], sites: Sequence[str], groups: Sequence[RiskGroup] = ()
) -> list[State]:
    """The states a design of ``redundancy`` is sized for: normal, each link lost, each site lost (``2node``),
    each shared-risk group of ``groups`` lost (``2edge`` and ``2node``)."""
    if redundancy not in ("2edge", "2node"):
        return [State("normal")]
    states = [State("normal"), *(State("link", pair) for pair in pairs)]
    if redundancy == "2node":
        states += [State("site", site) for site in sites]
    return states + [State("group", group) for group in groups]


@dataclass(frozen=True)
class Routing:
    """The load on each link of a design in each failure state.

    ``loads[s, e]`` is the load in Mb/s on link ``pairs[e]`` in ``states[s]`` (each
    way); ``carried[s, f]`` whether flow ``f`` is carried in that state.
    """

    pairs: tuple[Pair, ...]
    states: tuple[State, ...]
    loads: np.ndarray
    carried: np.ndarray


#: Distance-matrix cells one batch of failure states may hold (about 32 MB).
_CELLS = 4_000_000


def _padded_targets(flows, index) -> np.ndarray:
    """The targets of each flow as node numbers, one row per flow, padded with -1."""
    width = max(len(f.targets) for f in flows)
    targets = np.full((len(flows), width), -1, dtype=np.int64)
    for k, flow in enumerate(flows):
        numbers = [index[t] for t in flow.targets if t in index]
        targets[k, : len(numbers)] = numbers
    return targets


def _route_batch(n, a, b, metric, up, alive, sources, targets, mbps) -> tuple[np.ndarray, np.ndarray]:
    """Loads (states x links) and carried flows (states x flows) for a batch of states at once.

    The states' graphs are laid side by side as one graph of ``states x n`` nodes, so one
    call each finds their components and the distances to every site traffic goes to.
    """
    count, m = up.shape
    loads = np.zeros((count, m))
    offset = np.arange(count) * n
    state_of, link_of = np.nonzero(up)
    tails = np.concatenate([a[link_of], b[link_of]])
    heads = np.concatenate([b[link_of], a[link_of]])
    arc_state = np.concatenate([state_of, state_of])
    arc_link = np.concatenate([link_of, link_of])
    arc_metric = metric[arc_link].astype(float)
    size = count * n
    graph = csr_array((arc_metric, (offset[arc_state] + tails, offset[arc_state] + heads)), shape=(size, size))
    label = connected_components(graph, directed=False)[1].reshape(count, n)

    # Where each flow goes in each state: its first target still there and in its component.
    valid = targets >= 0
    target = np.where(valid, targets, 0)
    reachable = valid[None] & alive[:, target] & (label[:, target] == label[:, sources][:, :, None])
    carried = reachable.any(axis=2) & alive[:, sources]
    chosen = target[np.arange(len(sources))[None, :], reachable.argmax(axis=2)]
    flow_state, flow = np.nonzero(carried)
    if not len(flow):
        return loads, carried
    destinations, row_of_flow = np.unique(flow_state * n + chosen[flow_state, flow], return_inverse=True)
    rows = len(destinations)
    row_state, row_site = destinations // n, destinations % n
    dist = dijkstra(graph, directed=True, indices=offset[row_state] + row_site)
    dist = np.atleast_2d(dist)[np.arange(rows)[:, None], offset[row_state][:, None] + np.arange(n)[None, :]]

    # Every arc of each row's state, and whether it lies on a shortest path to the row's destination.
    by_state = np.argsort(arc_state, kind="stable")
    first = np.searchsorted(arc_state[by_state], np.arange(count))
    length = np.bincount(arc_state, minlength=count)
    per_row = length[row_state]
    entry_row = np.repeat(np.arange(rows), per_row)
    entry_arc = by_state[
        np.arange(per_row.sum())
        - np.repeat(np.cumsum(per_row) - per_row, per_row)
        + np.repeat(first[row_state], per_row)
    ]
    far, near = dist[entry_row, tails[entry_arc]], dist[entry_row, heads[entry_arc]]
    on_path = np.isfinite(far) & (far == near + arc_metric[entry_arc])
    entry_row, entry_arc = entry_row[on_path], entry_arc[on_path]
    tail_node = entry_row * n + tails[entry_arc]
    head_node = entry_row * n + heads[entry_arc]
    next_hops = np.bincount(tail_node, minlength=rows * n)
    share = np.divide(1.0, next_hops, out=np.zeros(rows * n), where=next_hops > 0)

    # Traffic through each site towards each destination: a triangular system, farthest sites first.
    rank = np.empty((rows, n), dtype=np.int64)
    rank[np.arange(rows)[:, None], np.argsort(-dist, axis=1, kind="stable")] = np.arange(n)[None, :]
    position = (np.arange(rows)[:, None] * n + rank).ravel()
    system = csr_array((-share[tail_node], (position[head_node], position[tail_node])), shape=(rows * n, rows * n))
    demand = np.bincount(row_of_flow * n + sources[flow], weights=mbps[flow], minlength=rows * n)
    ordered = np.zeros(rows * n)
    ordered[position] = demand
    through = spsolve_triangular(system, ordered, lower=True, unit_diagonal=True)[position]
    arc_flow = through[tail_node] * share[tail_node]
    loads += np.bincount(row_state[entry_row] * m + arc_link[entry_arc], weights=arc_flow, minlength=count * m).reshape(
        count, m
    )
    return loads, carried


def route(problem: DesignProblem, pairs: Sequence[Pair], states: Sequence[State] | None = None) -> Routing:
    """The load of ``problem.flows`` on each link of the design ``pairs`` in every failure state.

    ``states`` defaults to :func:`failure_states` for the problem's redundancy.
    """
    pairs = tuple(pair_key(a, b) for a, b in pairs)
    nodes = routed_sites(problem, pairs)
    if states is None:
        states = failure_states(problem.redundancy, pairs, nodes, problem.risk_groups)
    states = tuple(states)
    index = {x: i for i, x in enumerate(nodes)}
    up = np.ones((len(states), len(pairs)), dtype=bool)
    alive = np.ones((len(states), len(nodes)), dtype=bool)
    link_number = {pair: e for e, pair in enumerate(pairs)}
    for s, state in enumerate(states):
        up[s, [link_number[pair] for pair in state.lost_links if pair in link_number]] = False
        alive[s, [index[site] for site in state.lost_sites if site in index]] = False
    loads, carried = route_masks(problem, pairs, up, alive)
    return Routing(pairs, states, loads, carried)


def routed_sites(problem: DesignProblem, pairs: Sequence[Pair]) -> list[str]:
    """The sites a routing of ``pairs`` numbers, in order: those of the links and the required ones."""
    return sorted({x for pair in pairs for x in pair} | set(problem.required))


def route_masks(
    problem: DesignProblem, pairs: Sequence[Pair], up: np.ndarray, alive: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Loads (rows x links) and carried flows (rows x flows) of ``problem.flows`` over many networks at once.

    Row ``r`` is the network of the links ``pairs[e]`` with ``up[r, e]`` set and the sites
    with ``alive[r]`` set (every site by default; sites are numbered in sorted order, as
    :func:`routed_sites` lists them). One row per failure state routes a design
    (:func:`route`); one row per candidate design and state screens many moves of a local
    search in one call.
    """
    pairs = tuple(pair_key(a, b) for a, b in pairs)
    nodes = routed_sites(problem, pairs)
    index = {x: i for i, x in enumerate(nodes)}
    rows, (n, m) = len(up), (len(nodes), len(pairs))
    flows = problem.flows
    loads = np.zeros((rows, m))
    carried = np.zeros((rows, len(flows)), dtype=bool)
    if not flows or not rows:
        return loads, carried
    alive = np.ones((rows, n), dtype=bool) if alive is None else alive
    a = np.array([index[p[0]] for p in pairs], dtype=np.int64)
    b = np.array([index[p[1]] for p in pairs], dtype=np.int64)
    metric = np.array([problem.graph.edges[p]["metric"] for p in pairs], dtype=np.int64)
    up = up & alive[:, a] & alive[:, b]
    sources = np.array([index[f.source] for f in flows], dtype=np.int64)
    targets = _padded_targets(flows, index)
    mbps = np.array([f.mbps for f in flows], dtype=float)
    destinations = max(1, len(np.unique(targets[targets >= 0])))
    batch = max(1, int(np.sqrt(_CELLS / (destinations * n))))
    for start in range(0, rows, batch):
        part = slice(start, start + batch)
        loads[part], carried[part] = _route_batch(n, a, b, metric, up[part], alive[part], sources, targets, mbps)
    return loads, carried


@dataclass(frozen=True)
class PriceTable:
    """What each of a set of links costs at its cheapest tier or bundle for any load, for many loads at once.

    The same prices as :func:`~planner.core.tariff.cheapest_option`, vectorised so that a
    local search prices hundreds of candidate designs in one step.

    >>> import networkx as nx
    >>> from planner.core.model import DesignSettings
    >>> from planner.core.tariff import Tariff
    >>> g = nx.Graph([("a", "b", {"prices": Tariff().prices(10.0)})])
    >>> p = DesignProblem(g, frozenset(g), frozenset(), DesignSettings(), 5)
    >>> table = PriceTable.of(p, [("a", "b")])
    >>> [cheapest_option(Tariff().prices(10.0), load, 0.8, 5).total(5) for load in (700, 1500)]
    [2142500, 4285000]
    >>> table.costs(np.array([[700.0], [1500.0]])).ravel().tolist()
    [2142500.0, 4285000.0]
    """

    unit: np.ndarray  # links x tiers: one circuit's total over the term (inf: tier not offered)
    usable: np.ndarray  # links x tiers: Mb/s one circuit may carry within the utilisation limit
    most: np.ndarray  # links x tiers: the most circuits that may be bought (1 for an existing one)

    @classmethod
    def of(cls, problem: DesignProblem, pairs: Sequence[Pair]) -> PriceTable:
        prices = [problem.graph.edges[pair]["prices"] for pair in pairs]
        width = max((len(p) for p in prices), default=0)
        unit = np.full((len(pairs), width), np.inf)
        usable = np.ones((len(pairs), width))
        most = np.zeros((len(pairs), width))
        u = problem.settings.max_utilisation
        for e, options in enumerate(prices):
            for t, (tier, cost, source) in enumerate(options):
                unit[e, t] = cost.total(problem.term_years)
                usable[e, t] = tier.mbps * u
                most[e, t] = 1 if source == "existing" else MAX_BUNDLE
        return cls(unit, usable, most)

    def costs(self, loads: np.ndarray) -> np.ndarray:
        """Each link's cheapest price (pence) for ``loads`` (designs x links); inf where nothing carries it."""
        count = np.maximum(1.0, np.ceil(loads[..., None] / self.usable - 1e-9))
        price = np.where(count <= self.most, count * self.unit, np.inf)
        return price.min(axis=-1) if price.shape[-1] else np.full(loads.shape, np.inf)


@dataclass(frozen=True)
class Sizing:
    """What each link of a design must carry and the cheapest way to buy it; money in pence over the term.

    ``worst_state[pair]`` is the failure state of the worst load (the normal state when no
    failure adds to it).
    """

    routing: Routing
    options: dict[Pair, CircuitOption]
    normal: dict[Pair, float]
    worst: dict[Pair, float]
    worst_state: dict[Pair, State]
    cost: int


def size_links(problem: DesignProblem, pairs: Sequence[Pair], routing: Routing | None = None) -> Sizing:
    """Route ``problem``'s flows over the design ``pairs`` and buy each link at its cheapest sufficient tier.

    Raises ``InfeasibleError`` naming the link and the failure when a load is more than
    any tier or bundle permitted on that link can carry.
    """
    routing = routing or route(problem, pairs)
    u = problem.settings.max_utilisation
    term = problem.term_years
    worst_index = np.argmax(routing.loads, axis=0) if len(routing.states) else np.zeros(0, dtype=int)
    options, normal, worst, states = {}, {}, {}, {}
    for e, pair in enumerate(routing.pairs):
        peak = float(routing.loads[worst_index[e], e])
        state = routing.states[worst_index[e]]
        if peak <= routing.loads[0, e] + LOAD_TOLERANCE:
            state = routing.states[0]
        option = cheapest_option(problem.graph.edges[pair]["prices"], peak, u, term)
        if option is None:
            tiers = ", ".join(t.name for t, _, _ in problem.graph.edges[pair]["prices"])
            after = state.label(None)
            raise InfeasibleError(
                f"link {pair[0]}-{pair[1]} would carry {peak:,.0f} Mb/s{' after losing ' + after if after else ''}: "
                f"more than a bundle of {MAX_BUNDLE} circuits of the tiers permitted ({tiers}) can carry "
                f"at {u:.0%} utilisation"
            )
        options[pair], normal[pair], worst[pair], states[pair] = option, float(routing.loads[0, e]), peak, state
    cost = sum(option.total(term) for option in options.values())
    return Sizing(routing, options, normal, worst, states, cost)
