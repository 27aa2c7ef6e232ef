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


def mst_cost(graph: nx.Graph) -> int:
    """Cost of a minimum spanning forest of ``graph`` (edge attribute ``cost``).

    SciPy's C implementation; it reads a zero weight as no edge, so every cost is
    raised by one and the forest's edge count taken off again (every spanning
    forest has as many edges, so the forest chosen is the same).

    >>> g = nx.Graph([("a", "b", {"cost": 5}), ("b", "c", {"cost": 0}), ("a", "c", {"cost": 7})])
    >>> mst_cost(g)
    5
    """
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import minimum_spanning_tree

    index = {node: i for i, node in enumerate(graph)}
    if graph.number_of_edges() == 0:
        return 0
    rows, cols, weights = zip(*((index[u], index[v], d["cost"] + 1) for u, v, d in graph.edges(data=True)), strict=True)
    matrix = coo_array((np.array(weights, dtype=np.float64), (rows, cols)), shape=(len(index), len(index)))
    forest = minimum_spanning_tree(matrix)
    return round(forest.sum()) - forest.nnz


def degree_bound(problem: DesignProblem) -> int:
    """Half the sum over required sites of their two cheapest candidate links."""
    total = 0
    for site in problem.required:
        costs = sorted(d["cost"] for _, _, d in problem.graph.edges(site, data=True))
        total += sum(costs[:2])
    return math.ceil(total / 2)


def simple_lower_bound(problem: DesignProblem) -> int:
    """The best of the cheap bounds that hold for ``problem``."""
    bounds = [0]
    if not problem.optional:
        bounds.append(mst_cost(problem.graph))
    if problem.redundancy in ("2edge", "2node"):
        bounds.append(degree_bound(problem))
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
