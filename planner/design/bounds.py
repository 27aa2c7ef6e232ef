"""Valid lower bounds on the cost of any feasible design.

A design's ``lower_bound`` states how far from optimal it can be at worst.

Notes
-----
* Every connected design with no optional sites contains a spanning tree, so the
  minimum spanning tree cost bounds every level (and is exact for ``tree``).
* In a ``2edge``/``2node`` design every required site has at least two links, so
  half the sum, over required sites, of each site's two cheapest candidate links
  is a bound (the degree bound).
* The cut LP relaxation (:func:`lp_bound`, :mod:`planner.design.relaxation`) is
  far stronger: for distance-like costs its ``2edge`` value is the Held–Karp
  bound, within a fraction of a percent of the optimum on regional instances. It
  is proven by LP duality, not taken on trust from the solver.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from planner.design.control import Control
from planner.design.cuts import Arrays
from planner.design.problem import DesignProblem
from planner.design.relaxation import CutLP, solve_relaxation

__all__ = ["mst_cost", "degree_bound", "simple_lower_bound", "lp_bound"]


def _links(graph: nx.Graph) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """Every link of ``graph`` once: the node numbers (in ``graph`` order), and each link's ends and cost.

    One pass over the adjacency, which is what the cheap bounds spend most of their time on.
    """
    index = {node: i for i, node in enumerate(graph)}
    rows = [
        (i, j, d["cost"])
        for i, (_, near) in enumerate(graph.adjacency())
        for b, d in near.items()
        if (j := index[b]) > i
    ]
    u, v, cost = np.array(rows, dtype=np.int64).reshape(-1, 3).T
    return index, u, v, cost


def _mst(n: int, u: np.ndarray, v: np.ndarray, cost: np.ndarray) -> int:
    """Cost of a minimum spanning forest of ``n`` nodes and links ``u``-``v`` costing ``cost`` (``u`` ascending).

    SciPy's C implementation; it reads a zero weight as no edge, so every cost is
    raised by one and the forest's edge count taken off again (every spanning
    forest has as many edges, so the forest chosen is the same). The sparse matrix
    is given in compressed rows directly: converting from coordinates took longer
    than the tree itself on a coalition's few hundred links.
    """
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import minimum_spanning_tree

    if not len(cost):
        return 0
    starts = np.concatenate([[0], np.cumsum(np.bincount(u, minlength=n))])
    forest = minimum_spanning_tree(csr_array((cost + 1.0, v, starts), shape=(n, n)), overwrite=True)
    return round(forest.data.sum()) - len(forest.data)


def _mask(index: dict, sites: frozenset[str]) -> np.ndarray:
    """Which node numbers are ``sites``."""
    mask = np.zeros(len(index), dtype=bool)
    mask[[index[s] for s in sites]] = True
    return mask


def _degree(required: np.ndarray, u: np.ndarray, v: np.ndarray, cost: np.ndarray) -> int:
    """Half the sum over the ``required`` nodes (a mask) of their two cheapest links' costs, rounded up."""
    ends, costs = np.concatenate([u, v]), np.concatenate([cost, cost])
    keep = required[ends]
    ends, costs = ends[keep], costs[keep]
    order = np.lexsort((costs, ends))  # by node, cheapest first
    ends, costs = ends[order], costs[order]
    rank = np.arange(len(ends)) - np.searchsorted(ends, ends)  # place among its node's links
    return math.ceil(int(costs[rank < 2].sum()) / 2)


def mst_cost(graph: nx.Graph) -> int:
    """Cost of a minimum spanning forest of ``graph`` (edge attribute ``cost``).

    >>> g = nx.Graph([("a", "b", {"cost": 5}), ("b", "c", {"cost": 0}), ("a", "c", {"cost": 7})])
    >>> mst_cost(g)
    5
    """
    index, u, v, cost = _links(graph)
    return _mst(len(index), u, v, cost)


def degree_bound(problem: DesignProblem) -> int:
    """Half the sum over required sites of their two cheapest candidate links."""
    index, u, v, cost = _links(problem.graph)
    return _degree(_mask(index, problem.required), u, v, cost)


def simple_lower_bound(problem: DesignProblem) -> int:
    """The best of the cheap bounds that hold for ``problem`` (one pass over its links)."""
    index, u, v, cost = _links(problem.graph)
    bounds = [0]
    if not problem.optional:
        bounds.append(_mst(len(index), u, v, cost))
    if problem.redundancy in ("2edge", "2node"):
        bounds.append(_degree(_mask(index, problem.required), u, v, cost))
    return max(bounds)


def lp_bound(problem: DesignProblem, control: Control | None = None) -> int:
    """The cut LP relaxation's proven bound (the best reached within ``control``'s time limit).

    Notes
    -----
    Every round of cut separation and link pricing proves a bound by LP duality,
    so stopping early still gives a valid (weaker) one. Polynomial per round;
    see :func:`planner.design.relaxation.solve_relaxation`.
    """
    if len(problem.required) < 2 or problem.graph.number_of_edges() == 0:
        return 0
    return solve_relaxation(CutLP(Arrays.from_problem(problem)), control or Control(30.0)).bound
