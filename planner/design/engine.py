"""Design a project's backbone: choose an algorithm, run it, verify, and price the result.

>>> from planner.core.model import Project, Partner, Site, DesignSettings
>>> p = Project(partners=[Partner("P", "Partner")], sites=[
...     Site("a", "A", "P", -1.55, 53.80), Site("b", "B", "P", -1.47, 53.38),
...     Site("c", "C", "P", -1.08, 53.96)])
>>> d = design_project(p, DesignSettings("2edge"))
>>> len(d.links), d.verified
(3, True)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import networkx as nx
import numpy as np

from planner.core.design_result import Design, DesignLink, assign_circuit_ids
from planner.core.errors import InfeasibleError, InputError
from planner.core.model import DesignSettings, Project, pair_key
from planner.core.traffic import traffic_key
from planner.core.validate import project_problems
from planner.design.capacity import Sizing, State, route, size_links
from planner.design.control import Control
from planner.design.cuts import Arrays, group_cut_off, violations
from planner.design.exact import solve_auto, solve_exact
from planner.design.heuristic import solve_heuristic
from planner.design.hierarchy import ring_candidates, solve_constrained
from planner.design.joint import optimise_capacity
from planner.design.problem import DesignProblem, build_problem
from planner.design.solution import Solution
from planner.design.verify import verify_capacity, verify_design

__all__ = ["design_project", "ALGORITHMS", "check_feasible"]

#: Design methods by name; ``auto`` proves optimality when it expects to within the time limit.
ALGORITHMS: dict[str, Callable[[DesignProblem, Control], Solution]] = {
    "auto": solve_auto,
    "exact": solve_exact,
    "heuristic": partial(solve_constrained, solve_heuristic),
    # A lighter search (a kick for every fourth site), for pricing thousands of coalitions when
    # sharing costs: on the Yorkshire sample, 4,095 coalitions 20% faster than one kick a site
    # and the Shapley shares within £240 of it.
    "quick": partial(solve_constrained, partial(solve_heuristic, kicks_per_site=0.25)),
}

_LEVEL_WORDS = {
    "tree": "connected",
    "2edge": "survivable after any one link cut",
    "2node": "survivable after any one site loss",
}


def check_feasible(problem: DesignProblem) -> None:
    """Raise ``InfeasibleError`` when even every permitted link together falls short.

    Every requirement but the ring limit only gets easier with more links; for the
    ring limit, the links on no short ring are dropped first.
    """
    level = problem.redundancy
    if level != "tree" and len(problem.required) < 3:
        raise InfeasibleError(f"a {level} design needs at least 3 sites to connect (there are {len(problem.required)})")
    if problem.settings.max_hops is not None and not problem.hubs:
        raise InfeasibleError("a hop limit needs at least one site marked hub")
    if problem.settings.max_ring is not None and level == "tree":
        raise InfeasibleError("a ring limit needs a 2edge or 2node design (a tree has no rings)")
    _check_risk_groups(problem)
    ring = problem.settings.max_ring
    n = problem.graph.number_of_nodes()
    if problem.graph.number_of_edges() == n * (n - 1) // 2:  # every pair permitted: each requirement holds
        return  # (three or more sites; every site next to every hub; every link on a triangle)
    plain = replace(problem, risk_groups=())  # each group is checked above, faster
    failures = verify_design(plain, list(ring_candidates(plain).graph.edges))
    if failures:
        where = f"permitted links on rings of at most {ring} links" if ring is not None else "permitted links"
        raise InfeasibleError(f"no design that is {_LEVEL_WORDS[level]} is possible with the {where}: {failures[0]}")


def _check_risk_groups(problem: DesignProblem) -> None:
    """Raise ``InfeasibleError`` naming the first shared-risk group whose loss would cut the permitted
    links themselves in two: no design could survive it."""
    if not problem.risk_groups:
        return
    arrays = Arrays.from_problem(problem)
    every = np.arange(arrays.m)
    found = violations(arrays, every, names=["risk"], first=True)
    if found:
        group = found[0].group
        alone = sorted(arrays.nodes[i] for i in group_cut_off(arrays, group, every))
        shown = ", ".join(alone[:5]) + (" …" if len(alone) > 5 else "")
        raise InfeasibleError(
            f"no design can survive losing risk group {problem.risk_groups[group].name}: without it the "
            f"permitted links cannot reach {shown}"
        )


def _roles(problem: DesignProblem, solution: Solution, sizing: Sizing) -> dict[frozenset[str], str]:
    """Existing circuits kept are ``existing``; a cheapest spanning tree is ``backbone``; the rest ``protection``."""
    graph = nx.Graph()  # a small graph of its own: spanning trees of subgraph views are slow
    graph.add_weighted_edges_from(((u, v, problem.graph.edges[u, v]["cost"]) for u, v in solution.edges), "cost")
    tree = {frozenset(e) for e in nx.minimum_spanning_edges(graph, weight="cost", data=False)}
    roles = {}
    for u, v in solution.edges:
        key = frozenset((u, v))
        if sizing.options[pair_key(u, v)].source == "existing":
            roles[key] = "existing"
        else:
            roles[key] = solution.roles.get(key) or ("backbone" if key in tree else "protection")
    return roles


def _survived(project: Project, problem: DesignProblem) -> tuple[str, ...]:
    """The names of the project's groups a design of ``problem`` is verified to survive: all of them when
    it was asked to (the groups left out of the problem hold at most one link it could use)."""
    return tuple(group.name for group in project.risk_groups) if problem.asks_risk_groups else ()


def _to_design(project: Project, problem: DesignProblem, solution: Solution, sizing: Sizing, seconds: float) -> Design:
    pairs = [pair_key(u, v) for u, v in solution.edges]
    ids = assign_circuit_ids(pairs, project.circuit_ids)
    roles = _roles(problem, solution, sizing)
    links = []
    for pair in sorted(pairs, key=ids.get):
        e, option = problem.graph.edges[pair], sizing.options[pair]
        links.append(
            DesignLink(
                circuit_id=ids[pair],
                a=pair[0],
                b=pair[1],
                distance_km=e["km"],
                route_km=e["route_km"],
                install=option.cost.install,
                annual=option.cost.annual,
                role=roles[frozenset(pair)],
                source=option.source,
                bandwidth=option.label,
                circuits=option.count,
                capacity_mbps=option.mbps,
                metric=e["metric"],
                load_mbps=round(sizing.normal[pair], 6),
                worst_load_mbps=round(sizing.worst[pair], 6),
                worst_failure=sizing.worst_state[pair].label(ids),
            )
        )
    total = sizing.cost
    return Design(
        redundancy=problem.redundancy,
        links=tuple(links),
        total_cost=total,
        lower_bound=min(solution.lower_bound, total),
        term_years=problem.term_years,
        method=solution.method,
        verified=True,
        seconds=seconds,
        sites=tuple(sorted(problem.required)),
        notes=tuple(solution.notes),
        sized_topology_cost=solution.sized_topology_cost if problem.flows else None,
        traffic_key=traffic_key(project),
        risk_groups=_survived(project, problem),
    )


def design_project(
    project: Project,
    settings: DesignSettings | None = None,
    control: Control | None = None,
    warm_start: Design | None = None,
) -> Design:
    """The verified, priced design of ``project`` under ``settings``.

    ``warm_start``, the design before a small edit, lets the heuristic methods start from it:
    a local search from its ring instead of a search afresh, several times faster for a live
    redesign (the Design button searches afresh).

    Raises ``InputError`` for an inconsistent project, ``InfeasibleError`` when no
    design exists with the permitted links, ``DesignCancelled`` when cancelled.
    """
    settings = settings or project.settings
    problems = project_problems(project) + [f"settings: {p}" for p in settings.problems()]
    if problems:
        raise InputError(problems)
    if not any(s.role != "optional" for s in project.sites):
        raise InfeasibleError("there are no sites to connect")
    control = control or Control(settings.time_limit)
    started = time.monotonic()
    problem = build_problem(project, settings)
    if warm_start is not None and warm_start.redundancy == settings.redundancy:
        problem = replace(problem, warm_start=tuple(link.pair for link in warm_start.links))
    return design_problem(project, problem, control, started)


def _verification_reserve(control: Control) -> float:
    """Seconds kept back from the search for verifying and pricing the design found, so the whole
    run keeps to its time limit: 8 % of it, between half a second and eight seconds (verifying the
    loads of a 200-site design with traffic independently takes about 3 s)."""
    return min(8.0, max(0.5, 0.08 * control.time_limit))


def design_problem(project: Project, problem: DesignProblem, control: Control, started: float | None = None) -> Design:
    """The verified, priced design of ``problem``, built from ``project`` (which :func:`design_project` checks).

    For callers that build many related problems faster than :func:`build_problem` would, such
    as cost sharing pricing thousands of coalitions from one region's candidate graph.
    """
    started = time.monotonic() if started is None else started
    solution, sizing = solve_problem(problem, control)
    return _to_design(project, problem, solution, sizing, time.monotonic() - started)


def solve_problem(problem: DesignProblem, control: Control) -> tuple[Solution, Sizing]:
    """The verified solution of ``problem`` and its circuits sized: a :class:`Design` without its schedule.

    For callers that need only the links and the cost, such as cost sharing: circuit ids, roles
    and the link table are about a twentieth of the work of a coalition's design.
    """
    control = control.leaving(_verification_reserve(control))
    check_feasible(problem)
    method = problem.settings.method
    try:
        algorithm = ALGORITHMS[method]
    except KeyError as err:
        raise ValueError(f"{method} is not a valid choice for a design method.") from err
    solution = algorithm(problem, control)
    # Without traffic every load is nought and the normal state alone sizes each link (every
    # state of a 10,000-site 2node design would hold 20,000 x 10,000 loads: 1.6 GB).
    routing = None if problem.flows else route(problem, solution.edges, [State("normal")])
    sizing = size_links(problem, solution.edges, routing)
    if problem.flows:
        solution.sized_topology_cost = sizing.cost
        solution, sizing = optimise_capacity(problem, solution, sizing, control)
    failures = verify_design(problem, solution.edges) + verify_capacity(
        problem, {pair: option.mbps for pair, option in sizing.options.items()}
    )
    if failures:  # a bug in an algorithm, never the user's fault: refuse to return it
        raise RuntimeError(f"{solution.method} design failed verification: {'; '.join(failures)}")
    return solution, sizing
