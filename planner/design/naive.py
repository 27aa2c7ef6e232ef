"""The naive networkx pipeline our heuristics are measured against (benchmarks only).

What a capable engineer would write in an afternoon with networkx alone:

1. the minimum spanning tree of the candidate graph (``cost`` weights);
2. for ``2edge`` and ``2node``: ``nx.k_edge_augmentation(tree, k=2, avail=...)``
   with every other candidate link available at its cost;
3. for ``2node`` only, since networkx has no node-connectivity augmentation:
   while the design has an articulation point, add the cheapest candidate link
   that joins two of the pieces its loss would leave (never touching it).

The pipeline knows nothing of optional sites: it connects them like any other.

Notes
-----
``k_edge_augmentation`` with weights approximates the cheapest augmentation of
the *given tree*; with the tree fixed first, the pipeline costs 20–50% more than
our heuristics on regional instances of 30–60 towns (``bench/vs_naive.py``).
Step 3 costs O(n + m) per added link. No optimality guarantee.

Examples
--------
>>> import networkx as nx
>>> from planner.core.model import DesignSettings
>>> from planner.design.problem import DesignProblem
>>> graph = nx.Graph()
>>> graph.add_weighted_edges_from([(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 5), (0, 2, 9)], weight="cost")
>>> problem = DesignProblem(graph, frozenset(graph), frozenset(), DesignSettings("2edge"), 5)
>>> sorted(naive_design(problem))
[(0, 1), (0, 3), (1, 2), (2, 3)]
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from planner.design.problem import DesignProblem

__all__ = ["naive_design"]


def _augment_links(problem: DesignProblem, design: nx.Graph) -> None:
    """Make ``design`` 2-edge-connected with networkx's weighted augmentation."""
    avail = [(u, v, c) for u, v, c in problem.graph.edges(data="cost") if u in design and v in design]
    avail = [(u, v, c) for u, v, c in avail if not design.has_edge(u, v)]
    design.add_edges_from(nx.k_edge_augmentation(design, k=2, avail=avail, weight="cost"))


def _augment_sites(problem: DesignProblem, design: nx.Graph) -> None:
    """Then close every articulation point with the cheapest link joining two of the pieces it separates."""
    _augment_links(problem, design)
    while True:
        cut = next(iter(nx.articulation_points(design)), None)
        if cut is None:
            return
        piece = {}
        for i, component in enumerate(nx.connected_components(design.subgraph(n for n in design if n != cut))):
            piece.update(dict.fromkeys(component, i))
        joins = [
            (c, u, v)
            for u, v, c in problem.graph.edges(data="cost")
            if cut not in (u, v) and u in piece and v in piece and piece[u] != piece[v]
        ]
        _, u, v = min(joins, key=lambda j: (j[0], str(j[1]), str(j[2])))
        design.add_edge(u, v)


_AUGMENT: dict[str, Callable[[DesignProblem, nx.Graph], None]] = {
    "tree": lambda problem, design: None,
    "2edge": _augment_links,
    "2node": _augment_sites,
}


def naive_design(problem: DesignProblem) -> list[tuple]:
    """The links the naive pipeline chooses for ``problem`` (a feasible problem).

    Raises ``ValueError`` for an unknown redundancy level and
    ``networkx.NetworkXUnfeasible`` when the candidate links fall short.
    """
    try:
        augment = _AUGMENT[problem.redundancy]
    except KeyError as err:
        raise ValueError(f"{problem.redundancy} is not a valid redundancy level.") from err
    graph = problem.graph.subgraph(nx.node_connected_component(problem.graph, next(iter(problem.required))))
    design = nx.Graph()
    design.add_nodes_from(graph)
    design.add_edges_from(nx.minimum_spanning_edges(graph, weight="cost", data=False))
    augment(problem, design)
    return [(u, v) if str(u) <= str(v) else (v, u) for u, v in design.edges]
