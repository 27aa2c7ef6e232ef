"""Valid lower bounds on the cost of any feasible design.

A design's ``lower_bound`` states how far from optimal it can be at worst.

Notes
-----
* Every connected design with no optional sites contains a spanning tree, so the
  minimum spanning tree cost bounds every level (and is exact for ``tree``).
* In a ``2edge``/``2node`` design every required site has at least two links, so
  half the sum, over required sites, of each site's two cheapest candidate links
  is a bound (the degree bound).
"""

from __future__ import annotations

import math

import networkx as nx

from planner.design.problem import DesignProblem

__all__ = ["mst_cost", "degree_bound", "simple_lower_bound"]


def mst_cost(graph: nx.Graph) -> int:
    """Cost of a minimum spanning forest of ``graph`` (edge attribute ``cost``)."""
    return sum(d["cost"] for _, _, d in nx.minimum_spanning_edges(graph, weight="cost", data=True))


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
