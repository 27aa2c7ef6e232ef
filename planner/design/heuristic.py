"""Heuristic designs for each redundancy level.

Notes
-----
* ``tree``: the minimum spanning tree (optimal), or Mehlhorn's Steiner tree
  (a 2-approximation) when some sites are optional.
* ``2edge``/``2node``: reverse delete. Start from every candidate link and drop
  links, dearest first, while the design stays survivable. O(m (n + m)).
"""

from __future__ import annotations

import networkx as nx

from planner.design.bounds import simple_lower_bound
from planner.design.control import Control
from planner.design.problem import DesignProblem
from planner.design.solution import Solution
from planner.design.verify import verify_design

__all__ = ["solve_heuristic"]


def _tree(problem: DesignProblem) -> list[tuple[str, str]]:
    if problem.optional:
        tree = nx.approximation.steiner_tree(problem.graph, problem.required, weight="cost", method="mehlhorn")
        return list(tree.edges)
    return [(u, v) for u, v in nx.minimum_spanning_edges(problem.graph, weight="cost", data=False)]


def _reverse_delete(problem: DesignProblem, control: Control) -> list[tuple[str, str]]:
    kept = {frozenset(e) for e in problem.graph.edges}
    order = sorted(problem.graph.edges(data="cost"), key=lambda e: -e[2])
    for i, (u, v, _) in enumerate(order):
        if control.expired():
            break
        if i % 50 == 0:
            control.report(i / len(order), "Removing links the design can do without")
        kept.discard(frozenset((u, v)))
        if verify_design(problem, [tuple(e) for e in kept]):
            kept.add(frozenset((u, v)))
    return [tuple(sorted(e)) for e in kept]


def solve_heuristic(problem: DesignProblem, control: Control) -> Solution:
    """A good design quickly; its lower bound is one of the simple bounds."""
    if problem.redundancy == "tree":
        edges = _tree(problem)
        method = "mst" if not problem.optional else "heuristic"
    else:
        edges = _reverse_delete(problem, control)
        method = "heuristic"
    return Solution(edges=edges, lower_bound=simple_lower_bound(problem), method=method)
