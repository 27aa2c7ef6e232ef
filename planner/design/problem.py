"""The optimisation problem: which sites must be joined and which links may be used.

``build_problem`` turns a :class:`~planner.core.model.Project` into a candidate
graph whose edges carry their whole-term cost in pence. Candidates are:

* exactly the carrier quotes plus existing links, when the project has quotes;
* otherwise every pair of sites for small regions (``complete``), or a sparse
  graph for large ones: the Delaunay triangulation plus each site's ``k`` nearest
  neighbours, which contains the minimum spanning tree and, in practice, the
  optimal survivable designs of geometric instances.

Forbidden links and new links crossing a no-go area are removed; existing links a
partner owns are kept at no connection charge.

Each candidate also carries what it may be bought at (``prices``: each permitted
tier with one circuit's price and where it comes from — the tariff, a carrier's
quote for that tier, or the existing circuit) and its routing ``metric``; its
``cost`` is the cheapest single circuit, what a design without traffic pays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import networkx as nx
import numpy as np

from planner.core.geo import geodesic_km_many, lonlat_to_mercator
from planner.core.model import DesignSettings, ExistingLink, Project, Quote, RiskGroup, pair_key
from planner.core.tariff import CircuitCost, Tariff, Tier, route_km
from planner.core.traffic import Flow, flows

__all__ = [
    "reachable_part",
    "DesignProblem",
    "build_problem",
    "restrict_problem",
    "with_risk_groups",
    "COMPLETE_UP_TO",
]

#: With ``candidates="auto"``, regions up to this many sites use every pair.
COMPLETE_UP_TO = 200


@dataclass
class DesignProblem:
    """A candidate graph and what the design must achieve on it.

    Edge attributes: ``cost`` (int pence over the term of the cheapest single circuit,
    the objective without traffic), ``install``, ``annual``, ``km`` (geodesic),
    ``route_km``, ``source`` (tariff/quote/existing), ``metric`` (routing) and
    ``prices`` (see the module notes). ``flows`` is the traffic to carry. ``risk_groups`` are the
    shared-risk groups the design must survive the loss of, each cut down to the candidate graph
    (see :func:`with_risk_groups`). ``warm_start`` lets the heuristic begin from an earlier
    design instead of searching afresh (a live redesign while a site is dragged).
    """

    graph: nx.Graph
    required: frozenset[str]
    hubs: frozenset[str]
    settings: DesignSettings
    term_years: int
    flows: tuple[Flow, ...] = ()
    risk_groups: tuple[RiskGroup, ...] = ()
    #: A design to start from (site pairs): the last one, when a redesign follows a small edit.
    warm_start: tuple[tuple[str, str], ...] = ()

    @property
    def redundancy(self) -> str:
        return self.settings.redundancy

    @property
    def asks_risk_groups(self) -> bool:
        """Whether a design must survive shared-risk groups: asked, and not a ``tree`` (which survives no failure)."""
        return self.redundancy != "tree" and self.settings.survive_risk_groups

    @property
    def optional(self) -> frozenset[str]:
        return frozenset(self.graph) - self.required

    @cached_property
    def reusable(self) -> frozenset[tuple[str, str]]:
        """The candidate links an existing circuit could serve, as sorted site-id pairs."""
        edges = self.graph.edges(data="prices")
        return frozenset(pair_key(a, b) for a, b, prices in edges if any(p[2] == "existing" for p in prices))


def _sparse_pairs(lon: np.ndarray, lat: np.ndarray, k: int) -> set[tuple[int, int]]:
    from scipy.spatial import Delaunay, QhullError, cKDTree

    x, y = lonlat_to_mercator(lon, lat)
    xy = np.column_stack([x, y])
    n = len(xy)
    pairs: set[tuple[int, int]] = set()
    if n >= 3:
        try:
            for simplex in Delaunay(xy).simplices:
                for i in range(3):
                    a, b = int(simplex[i]), int(simplex[(i + 1) % 3])
                    pairs.add((min(a, b), max(a, b)))
        except QhullError:  # all sites on a line: the nearest neighbours suffice
            pass
    _, neighbours = cKDTree(xy).query(xy, k=min(k + 1, n))
    for i, row in enumerate(np.atleast_2d(neighbours)):
        for j in row[1:]:
            if j < n and i != j:
                pairs.add((min(i, int(j)), max(i, int(j))))
    return pairs


def _crossing(ends: np.ndarray, zones) -> np.ndarray:
    """Which straight links (an array of lon/lat ends, shape (k, 2, 2)) cross any no-go polygon."""
    if not zones or not len(ends):
        return np.zeros(len(ends), dtype=bool)
    import shapely
    from shapely.geometry import shape

    lines = shapely.linestrings(ends)
    polygons = [shape(z.geometry) for z in zones]
    tree = shapely.STRtree(polygons)
    hits = tree.query(lines, predicate="intersects")
    crossing = np.zeros(len(ends), dtype=bool)
    crossing[hits[0]] = True
    return crossing


def build_problem(project: Project, settings: DesignSettings | None = None) -> DesignProblem:
    """The candidate graph and requirements of ``project`` under ``settings``."""
    settings = settings or project.settings
    tariff = project.tariff
    sites = project.sites
    index = {s.id: i for i, s in enumerate(sites)}
    lon = np.array([s.lon for s in sites], dtype=float)
    lat = np.array([s.lat for s in sites], dtype=float)

    existing = {pair_key(e.a, e.b): e for e in project.existing_links}
    quotes: dict[tuple[str, str], list] = {}
    for q in project.quotes:
        quotes.setdefault(pair_key(q.a, q.b), []).append(q)
    if quotes:
        pairs = set(quotes) | set(existing)
    else:
        mode = settings.candidates
        if mode == "auto":
            mode = "complete" if len(sites) <= COMPLETE_UP_TO else "sparse"
        if mode == "complete":
            pairs = {pair_key(a.id, b.id) for i, a in enumerate(sites) for b in sites[i + 1 :]}
        else:
            pairs = {pair_key(sites[i].id, sites[j].id) for i, j in _sparse_pairs(lon, lat, settings.k_nearest)}
        pairs |= set(existing)
    pairs -= {pair_key(a, b) for a, b in project.forbidden_links}

    pairs = sorted(pairs)
    ia = np.array([index[a] for a, _ in pairs], dtype=int)
    ib = np.array([index[b] for _, b in pairs], dtype=int)
    km = geodesic_km_many(lon[ia], lat[ia], lon[ib], lat[ib]) if pairs else np.zeros(0)
    new_links = [p not in existing for p in pairs]
    new = np.array(new_links, dtype=bool)
    ends = np.stack([np.column_stack([lon[ia], lat[ia]]), np.column_stack([lon[ib], lat[ib]])], axis=1)
    crossing_iter = iter(_crossing(ends[new], project.exclusion_zones))

    graph = nx.Graph()
    for s in sites:
        graph.add_node(s.id, lon=s.lon, lat=s.lat, role=s.role, partner=s.partner)
    links = []
    for (a, b), d, new in zip(pairs, km, new_links, strict=True):
        if new and next(crossing_iter):
            continue
        d = float(d)
        chargeable = route_km(d, tariff.route_factor)
        new_prices = _quoted(tariff, quotes[(a, b)]) if (a, b) in quotes else () if quotes else tariff.prices(d)
        prices = new_prices if new else (_existing_price(tariff, d, existing[(a, b)]), *new_prices)
        _, cost, source = min(prices, key=lambda p: (p[1].total(tariff.term_years), p[2] != "existing"))
        links.append(
            (
                a,
                b,
                {
                    "cost": cost.total(tariff.term_years),
                    "install": cost.install,
                    "annual": cost.annual,
                    "km": d,
                    "route_km": chargeable,
                    "source": source,
                    "metric": chargeable,
                    "prices": prices,
                },
            )
        )
    graph.add_edges_from(links)
    problem = DesignProblem(
        graph=graph,
        required=frozenset(s.id for s in sites if s.role != "optional"),
        hubs=frozenset(s.id for s in sites if s.role == "hub"),
        settings=settings,
        term_years=tariff.term_years,
        flows=flows(project),
    )
    return with_risk_groups(reachable_part(problem), project.risk_groups)


def restrict_problem(problem: DesignProblem, project: Project) -> DesignProblem | None:
    """``problem``'s candidate graph cut down to ``project``, a part of the project it was built from (some
    partners' sites, their traffic and links), when that is the graph :func:`build_problem` would build for
    it; ``None`` when it may not be (a sparse candidate graph, or an existing link whose owner is left out).

    Far quicker than building again: no distances or prices are worked out.
    """
    settings = project.settings
    ids = [s.id for s in project.sites]
    mode = settings.candidates
    if mode == "auto":
        mode = "complete" if len(problem.graph) <= COMPLETE_UP_TO and len(ids) <= COMPLETE_UP_TO else "sparse"
    if mode != "complete" and not project.quotes:
        return None
    existing = {pair_key(e.a, e.b) for e in project.existing_links}
    nodes = [x for x in ids if x in problem.graph]
    adj = dict(problem.graph.adjacency())
    ordered = sorted(nodes)
    pairs = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :] if b in adj[a]]  # sorted, as built
    inside = set(nodes)
    if any(a in inside and b in inside and (a, b) not in existing for a, b in problem.reusable):
        return None
    if {pair_key(a, b) for a, b in project.forbidden_links} & set(pairs):
        return None
    graph = nx.Graph()
    graph.add_nodes_from((x, problem.graph.nodes[x]) for x in nodes)  # networkx copies the attributes
    graph.add_edges_from((a, b, adj[a][b]) for a, b in pairs)
    restricted = DesignProblem(
        graph=graph,
        required=frozenset(s.id for s in project.sites if s.role != "optional"),
        hubs=frozenset(s.id for s in project.sites if s.role == "hub"),
        settings=settings,
        term_years=project.tariff.term_years,
        flows=flows(project),
    )
    return with_risk_groups(reachable_part(restricted), project.risk_groups)


def _quoted(tariff: Tariff, quotes: list[Quote]) -> tuple[tuple[Tier, CircuitCost, str], ...]:
    """The tiers quoted for one pair with their prices (a quote without a tier is for the smallest)."""
    return tuple((tariff.tier(q.bandwidth or tariff.min_tier), q.cost, "quote") for q in quotes)


def _existing_price(tariff: Tariff, km: float, link: ExistingLink) -> tuple[Tier, CircuitCost, str]:
    """An existing circuit as it is: no connection charge, its own rental or the tariff's.

    More capacity on its pair than it has means buying new circuits there (quoted ones
    when the project has quotes, else on the tariff).
    """
    tier = tariff.tier(link.bandwidth or tariff.min_tier)
    annual = tariff.circuit_cost(km, bandwidth=tier.name, existing=True).annual if link.annual is None else link.annual
    return tier, CircuitCost(0, annual), "existing"


def with_risk_groups(problem: DesignProblem, groups: list[RiskGroup]) -> DesignProblem:
    """``problem`` asked to survive the loss of any one of ``groups``, each cut down to its candidate links
    and sites; none when it does not ask for them (see :attr:`DesignProblem.asks_risk_groups`).

    A group that loses nothing a design could hold is left out; so is a group of one link under
    ``2edge`` or ``2node``, whose loss any such design already survives.
    """
    kept = []
    for group in groups if problem.asks_risk_groups else ():
        links = tuple(pair for pair in group.links if problem.graph.has_edge(*pair))
        sites = tuple(site for site in group.sites if site in problem.graph)
        if sites or len(links) >= 2:
            kept.append(replace(group, links=links, sites=sites))
    return replace(problem, risk_groups=tuple(kept))


def reachable_part(problem: DesignProblem) -> DesignProblem:
    """``problem`` without the optional sites no required site can reach: they can never relay."""
    graph = problem.graph
    if not problem.optional:  # every part holds a required site
        return problem
    reach = set().union(*(part for part in nx.connected_components(graph) if not part.isdisjoint(problem.required)))
    if len(reach) == len(graph):
        return problem
    return replace(problem, graph=graph.subgraph(reach).copy())
