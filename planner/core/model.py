"""The partnership plan: partners, their sites, prices, constraints and designs.

Values (``Partner``, ``Site``, ``ExistingLink``, ``Quote``, ``DesignSettings``) are
immutable: an edit replaces a value, so undo only has to remember the old one.
``Project`` is the mutable container the app edits and the file stores.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

from planner.core.design_result import Design
from planner.core.tariff import CircuitCost, Tariff
from planner.core.text import shown

__all__ = [
    "Partner",
    "Site",
    "SiteRole",
    "MAX_ADDRESS_CHARS",
    "ExistingLink",
    "Quote",
    "Demand",
    "ExclusionZone",
    "RiskGroup",
    "groups_within",
    "DesignSettings",
    "Redundancy",
    "REDUNDANCY_LEVELS",
    "Method",
    "METHODS",
    "SHARING_METHODS",
    "Scenario",
    "Project",
    "pair_key",
    "PALETTE",
]

SiteRole = Literal["site", "hub", "optional"]
SITE_ROLES: tuple[SiteRole, ...] = ("site", "hub", "optional")
Redundancy = Literal["tree", "2edge", "2node"]
#: Redundancy levels and what each means to a partnership board.
REDUNDANCY_LEVELS: dict[str, str] = {
    "tree": "Cheapest, no protection",
    "2edge": "Survives any one link cut",
    "2node": "Survives any one site lost",
}
Method = Literal["auto", "exact", "heuristic", "quick"]
#: ``quick`` is the heuristic with a lighter search, for pricing many coalitions at once.
METHODS: tuple[Method, ...] = ("auto", "exact", "heuristic", "quick")
#: The largest hop or ring limit: more than any region has sites.
MAX_LIMIT = 100_000
#: How the board may split the shared cost (see :mod:`planner.analysis.sharing`).
SHARING_METHODS: tuple[str, ...] = ("auto", "shapley", "nucleolus", "standalone", "sites")

#: Okabe-Ito colour-blind-safe palette, then Paul Tol's muted scheme for larger partnerships.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The unordered pair of site ids ``(a, b)`` in a canonical order."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Partner:
    """A public body in the partnership (a council, police force, fire, health, university)."""

    id: str
    name: str
    colour: str = "#0072B2"
    kind: str = ""


#: The longest site address: a UK postal address with its postcode on one line is well under it.
MAX_ADDRESS_CHARS = 200


@dataclass(frozen=True)
class Site:
    """A building to connect. ``hub`` sites form the core; ``optional`` sites may relay.

    ``demand_mbps`` is the site's traffic to its partner's hubs (data centres), that rate
    each way: all of it to the nearest of them, failing over to the next nearest when that
    one is lost (see :mod:`planner.core.traffic`).

    ``address`` is where a carrier installs the circuit ends: the street address and/or
    postcode as the user has it, on one line (``"Elland Road, Leeds LS11 0ES"``), at most
    :data:`MAX_ADDRESS_CHARS` characters; empty when not known.
    """

    id: str
    name: str
    partner: str
    lon: float
    lat: float
    role: SiteRole = "site"
    note: str = ""
    demand_mbps: float = 0.0
    address: str = ""

    def moved_to(self, lon: float, lat: float) -> Site:
        return replace(self, lon=lon, lat=lat)


@dataclass(frozen=True)
class ExistingLink:
    """A circuit a partner already has and can share: no connection charge.

    ``annual`` overrides the tariff's rental when the partner knows what it pays.
    """

    a: str
    b: str
    owner: str
    annual: int | None = None
    bandwidth: str | None = None  # its tier; the tariff's smallest when not known


@dataclass(frozen=True)
class Quote:
    """A carrier's price for one circuit between two sites at one tier (the tariff's smallest
    when ``bandwidth`` is not given). When a project has quotes, only quoted pairs (and
    existing links) may be used, and only at the tiers quoted for them."""

    a: str
    b: str
    install: int
    annual: int
    carrier: str = ""
    bandwidth: str | None = None

    @property
    def cost(self) -> CircuitCost:
        return CircuitCost(self.install, self.annual)


@dataclass(frozen=True)
class Demand:
    """Traffic between two sites: ``mbps`` each way (a symmetric demand)."""

    a: str
    b: str
    mbps: float

    @property
    def pair(self) -> tuple[str, str]:
        return pair_key(self.a, self.b)


@dataclass(frozen=True)
class ExclusionZone:
    """An area no new circuit may cross (a GeoJSON polygon in lon/lat)."""

    name: str
    geometry: dict

    def rings(self) -> list[list[list[tuple[float, float]]]]:
        """Each polygon's rings (outline first, then any holes) as (lon, lat) points, for drawing.

        >>> ExclusionZone("a", {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}).rings()
        [[[(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)]]]
        """
        g = self.geometry
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons]


@dataclass(frozen=True)
class RiskGroup:
    """Candidate links and/or sites that fail together: a shared duct, bridge or corridor (links), a
    telephone exchange or a building (sites). Net2Plan calls it a shared risk group (SRLG).

    ``links`` are sorted site-id pairs, in sorted order; losing the group loses every one of them
    and every site of ``sites`` (with its links). ``note`` says where the group came from, e.g.
    ``"generated: links leaving S4 to the north-east"``.

    >>> RiskGroup.of("A1 bridge", [("b", "a"), ("c", "a")]).links
    (('a', 'b'), ('a', 'c'))
    """

    name: str
    links: tuple[tuple[str, str], ...] = ()
    sites: tuple[str, ...] = ()
    note: str = ""

    @classmethod
    def of(cls, name: str, links=(), sites=(), note: str = "") -> RiskGroup:
        """A group with its links and sites put in canonical order (and duplicates dropped)."""
        return cls(name, tuple(sorted({pair_key(a, b) for a, b in links})), tuple(sorted(set(sites))), note)

    @property
    def empty(self) -> bool:
        return not self.links and not self.sites


def groups_within(groups: list[RiskGroup], site_ids: set[str] | frozenset[str]) -> list[RiskGroup]:
    """``groups`` cut down to the links and sites among ``site_ids`` (a coalition's, a scenario's, what
    is left after sites are deleted); a group left holding nothing is dropped.

    >>> groups_within([RiskGroup.of("duct", [("a", "b"), ("a", "c")]), RiskGroup.of("x", sites=["c"])], {"a", "b"})
    [RiskGroup(name='duct', links=(('a', 'b'),), sites=(), note='')]
    """
    kept = []
    for group in groups:
        links = tuple(p for p in group.links if p[0] in site_ids and p[1] in site_ids)
        cut = replace(group, links=links, sites=tuple(s for s in group.sites if s in site_ids))
        if not cut.empty:
            kept.append(cut)
    return kept


@dataclass(frozen=True)
class DesignSettings:
    """What the architect asks of a design."""

    redundancy: Redundancy = "2edge"
    method: Method = "auto"
    time_limit: float = 30.0
    max_hops: int | None = None
    max_ring: int | None = None
    candidates: Literal["auto", "complete", "sparse"] = "auto"
    k_nearest: int = 8
    #: The most of a circuit's capacity the planned load may use, in every failure state.
    max_utilisation: float = 0.8
    #: Whether a ``2edge``/``2node`` design must also survive the loss of any one of the project's
    #: shared-risk groups (a ``tree`` survives no failure, so it ignores them).
    survive_risk_groups: bool = True

    def problems(self) -> list[str]:
        found = []
        if self.redundancy not in REDUNDANCY_LEVELS:
            found.append(f"redundancy: {shown(self.redundancy)} is not one of {', '.join(REDUNDANCY_LEVELS)}")
        if self.method not in METHODS:
            found.append(f"method: {shown(self.method)} is not one of {', '.join(METHODS)}")
        if not 0 < self.time_limit <= 86_400:
            found.append(f"time_limit: {shown(self.time_limit)} must be between 0 and 86400 seconds")
        for name, least in (("max_hops", 1), ("max_ring", 3)):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or not least <= value <= MAX_LIMIT):
                found.append(f"{name}: {shown(value)} must be empty or a whole number {least}..{MAX_LIMIT:,}")
        if self.candidates not in ("auto", "complete", "sparse"):
            found.append(f"candidates: {shown(self.candidates)} is not one of auto, complete, sparse")
        if not isinstance(self.k_nearest, int) or not 2 <= self.k_nearest <= 50:
            found.append(f"k_nearest: {shown(self.k_nearest)} must be a whole number 2..50")
        u = self.max_utilisation
        if isinstance(u, bool) or not isinstance(u, (int, float)) or not 0.05 <= u <= 1:
            found.append(f"max_utilisation: {shown(u)} must be a fraction between 0.05 and 1")
        if not isinstance(self.survive_risk_groups, bool):
            found.append(f"survive_risk_groups: {shown(self.survive_risk_groups)} must be true or false")
        return found


@dataclass(frozen=True)
class Scenario:
    """A what-if the board may ask of the partnership; see :mod:`planner.core.scenario`.

    ``leaving`` partners (ids) go, with their sites; ``joining`` partners come, with
    ``joining_sites``; ``redundancy`` and ``tariff`` replace the project's when set;
    ``demand_growth`` scales every demand (0.2: 20 % more traffic).
    """

    name: str
    leaving: tuple[str, ...] = ()
    joining: tuple[Partner, ...] = ()
    joining_sites: tuple[Site, ...] = ()
    redundancy: str | None = None
    tariff: Tariff | None = None
    demand_growth: float = 0.0


@dataclass
class Project:
    """Everything a partnership's plan holds; what the project file stores."""

    name: str = "Untitled partnership"
    description: str = ""
    partners: list[Partner] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    tariff: Tariff = field(default_factory=Tariff)
    quotes: list[Quote] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    existing_links: list[ExistingLink] = field(default_factory=list)
    forbidden_links: list[tuple[str, str]] = field(default_factory=list)
    exclusion_zones: list[ExclusionZone] = field(default_factory=list)
    settings: DesignSettings = field(default_factory=DesignSettings)
    designs: list[Design] = field(default_factory=list)
    #: Every circuit id ever issued, by site pair, so ids never change or get reused.
    circuit_ids: dict[tuple[str, str], str] = field(default_factory=dict)
    #: How the board splits the shared cost: a key of ``SHARING_METHODS``; ``auto`` is the Shapley
    #: value when no group of partners would pay less alone under it, else the nucleolus.
    sharing_method: str = "auto"
    #: What-ifs to compare with the plan (partners joining or leaving, another redundancy, prices, traffic).
    scenarios: list[Scenario] = field(default_factory=list)
    #: Links and sites that fail together (ducts, bridges, exchanges), which designs survive.
    risk_groups: list[RiskGroup] = field(default_factory=list)

    # -- look-ups ---------------------------------------------------------------
    def site(self, site_id: str) -> Site:
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)

    def partner(self, partner_id: str) -> Partner:
        for p in self.partners:
            if p.id == partner_id:
                return p
        raise KeyError(partner_id)

    @property
    def sites_by_id(self) -> dict[str, Site]:
        return {s.id: s for s in self.sites}

    @property
    def partners_by_id(self) -> dict[str, Partner]:
        return {p.id: p for p in self.partners}

    @property
    def site_counts(self) -> Counter[str]:
        """Sites per partner id (0 for a partner with none)."""
        return Counter(s.partner for s in self.sites)

    @property
    def current_design(self) -> Design | None:
        """The design for the current redundancy setting, if one has been made."""
        return self.design_for(self.settings.redundancy)

    def design_for(self, redundancy: str) -> Design | None:
        """The design kept for ``redundancy``, if one has been made."""
        return next((design for design in self.designs if design.redundancy == redundancy), None)

    def record_design(self, design: Design) -> None:
        """Keep ``design`` as the one for its redundancy level and register its circuit ids."""
        self.designs = [d for d in self.designs if d.redundancy != design.redundancy] + [design]
        order = list(REDUNDANCY_LEVELS)
        self.designs.sort(key=lambda d: order.index(d.redundancy) if d.redundancy in order else len(order))
        for link in design.links:
            self.circuit_ids.setdefault(link.pair, link.circuit_id)

    def new_site_id(self, prefix: str = "S") -> str:
        """A site id not yet used, like ``S7``."""
        used = {s.id for s in self.sites}
        n = len(self.sites) + 1
        while f"{prefix}{n}" in used:
            n += 1
        return f"{prefix}{n}"

    def new_partner_id(self, name: str) -> str:
        """A short partner id derived from its name, unique in this project."""
        base = "".join(w[0] for w in name.split() if w[:1].isalnum()).upper() or "P"
        used = {p.id for p in self.partners}
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}{n}", n + 1
        return candidate

    def next_colour(self) -> str:
        """The first palette colour no partner uses yet."""
        used = {p.colour.upper() for p in self.partners}
        for colour in PALETTE:
            if colour.upper() not in used:
                return colour
        return PALETTE[len(self.partners) % len(PALETTE)]
