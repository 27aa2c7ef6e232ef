"""The tables procurement and the board read: circuits, sites, partners' shares, failures.

Every exporter (CSV, XLSX, PDF, GIS) writes these tables and nothing else, so no
two files can disagree. A :class:`Table` is a tuple of :class:`Column` and typed
rows; ``Column.value(row)`` gives the value a file should hold: text, a whole
number, km to 2 decimals, degrees to 6, or an exact ``Decimal`` of pounds (money
stays integer pence in the rows).

The circuit schedule (``circuit_table``) has one row per circuit in circuit-id
order and a totals row; ``CIRCUIT_COLUMNS`` defines every column (docs/pack.md
lists them) and ``CIRCUIT_NOTES`` explains the columns a tender needs explained.
Columns are only ever added at the end: other tools read them by position. The
failure tables (``failure_table``: each single and shared-risk group failure;
``dual_table``: the pairs of circuits whose loss together cuts sites off) come from
:func:`~planner.analysis.failures.analyse_failures`.

>>> from planner.core.model import Partner, Project, Site
>>> from planner.design import design_project
>>> p = Project(partners=[Partner("P", "Police")], sites=[
...     Site("a", "A", "P", -1.55, 53.80), Site("b", "B", "P", -1.47, 53.38), Site("c", "C", "P", -1.08, 53.96)])
>>> table = circuit_table(p, design_project(p))
>>> [c.value(table.rows[0]) for c in table.columns][:3]
['C0001', 'a', 'A']
>>> table.total("total") == sum(r.total for r in table.rows)
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from planner.analysis.failures import DualFailures, FailureAnalysis, FailureLoad, analyse_failures
from planner.analysis.loads import traffic_outage
from planner.analysis.resilience import diverse_from
from planner.analysis.sharing import METHODS, CostSharing, PartnerShare
from planner.core.design_result import LINK_ROLES, Design
from planner.core.errors import PlannerError
from planner.core.geo import grid_reference, lonlat_to_bng
from planner.core.model import Project, pair_key
from planner.core.money import format_gbp, pounds
from planner.core.traffic import has_traffic
from planner.core.words import plural, short_name
from planner.design.capacity import LOAD_TOLERANCE

__all__ = [
    "Column",
    "Table",
    "CircuitRow",
    "SiteRow",
    "PartnerRow",
    "FailureRow",
    "DualRow",
    "CIRCUIT_COLUMNS",
    "CIRCUIT_NOTES",
    "SITE_COLUMNS",
    "PARTNER_COLUMNS",
    "FAILURE_COLUMNS",
    "DUAL_COLUMNS",
    "DUAL_ROWS",
    "circuit_table",
    "circuit_users",
    "site_table",
    "partner_table",
    "failure_table",
    "dual_table",
    "convert",
    "display",
]

Kind = Literal["text", "int", "km", "deg", "metres", "gbp", "percent", "mbps"]


@dataclass(frozen=True)
class Column:
    """One column: the row attribute it shows, its heading, its kind, and what it means."""

    key: str
    heading: str
    kind: Kind
    definition: str

    def convert(self, raw: Any) -> Any:
        """``raw`` (a row attribute or a total) as a file should hold it; ``None`` stays ``None``."""
        return convert(self.kind, raw)

    def value(self, row: Any) -> Any:
        """The cell value of ``row`` in this column."""
        return convert(self.kind, getattr(row, self.key))

    def text(self, row: Any) -> str:
        """The cell of ``row`` as a person reads it (``£1,234.50``, ``12.30``)."""
        return display(self.kind, getattr(row, self.key))


_CONVERT = {
    "text": str,
    "int": int,
    "km": lambda x: round(float(x), 2),
    "deg": lambda x: round(float(x), 6),
    "metres": lambda x: round(float(x)),
    "gbp": pounds,
    "percent": lambda x: round(float(x), 4),
    "mbps": lambda x: round(float(x), 1),
}
_DISPLAY = {
    "text": str,
    "int": lambda x: f"{int(x):,}",
    "km": lambda x: f"{float(x):,.2f}",
    "deg": lambda x: f"{float(x):.6f}",
    "metres": lambda x: f"{round(float(x))}",
    "gbp": format_gbp,
    "percent": lambda x: f"{float(x):.1%}",
    "mbps": lambda x: f"{float(x):,.1f}",
}


def convert(kind: Kind, raw: Any) -> Any:
    """A raw value (money in pence) as a file holds it: ``Decimal`` pounds, rounded km, ...; ``None`` stays."""
    return None if raw is None else _CONVERT[kind](raw)


def display(kind: Kind, raw: Any) -> str:
    """A raw value as a person reads it; ``None`` is empty."""
    return "" if raw is None else _DISPLAY[kind](raw)


@dataclass(frozen=True)
class Table:
    """Columns, typed rows and, where sums make sense, a totals row (``totals[key]``, raw units); ``notes``
    are sentences a reader of the table needs, printed below it."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[Any, ...]
    totals: dict[str, Any] | None = None
    notes: tuple[str, ...] = ()

    def total(self, key: str) -> Any:
        return (self.totals or {}).get(key)

    def total_values(self) -> list[Any]:
        """The totals row as file values: ``Total`` in the first column, sums where they exist."""
        cells = [c.convert(self.total(c.key)) for c in self.columns]
        cells[0] = "Total"
        return cells

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


# -- circuits -----------------------------------------------------------------------
@dataclass(frozen=True)
class CircuitRow:
    """One circuit of the schedule; money in pence."""

    circuit_id: str
    a_id: str
    a_name: str
    a_partner: str
    a_lat: float
    a_lon: float
    a_grid_ref: str
    b_id: str
    b_name: str
    b_partner: str
    b_lat: float
    b_lon: float
    b_grid_ref: str
    distance_km: float
    route_km: int
    bandwidth: str
    circuits: int
    capacity_mbps: int
    metric: int
    load_mbps: float
    worst_load_mbps: float
    worst_utilisation: float
    worst_failure: str
    role: str
    diverse_from: str
    priced_from: str
    install: int
    annual: int
    term_years: int
    total: int
    a_address: str
    b_address: str
    serves: str
    risk_groups: str


def _end_columns(end: str, label: str) -> tuple[Column, ...]:
    return (
        Column(f"{end}_id", f"{label} site", "text", f"{label} site id, as in the project (stable)"),
        Column(f"{end}_name", f"{label} name", "text", f"{label} site name"),
        Column(f"{end}_partner", f"{label} partner", "text", f"Partner owning the {label} site"),
        Column(f"{end}_lat", f"{label} lat", "deg", f"{label} latitude, WGS84 degrees"),
        Column(f"{end}_lon", f"{label} lon", "deg", f"{label} longitude, WGS84 degrees"),
        Column(f"{end}_grid_ref", f"{label} grid ref", "text", f"{label} OS grid reference, 1 m"),
    )


CIRCUIT_COLUMNS: tuple[Column, ...] = (
    Column("circuit_id", "Circuit", "text", "Circuit id: issued once per site pair, never changed or reused"),
    *_end_columns("a", "A-end"),
    *_end_columns("b", "B-end"),
    Column("distance_km", "Straight km", "km", "Straight-line (geodesic, WGS84) distance between the ends"),
    Column("route_km", "Route km", "int", "Chargeable route distance: straight km x route factor, rounded up"),
    Column("bandwidth", "Bandwidth", "text", "What to order: a tier (1G), or a bundle of parallel circuits (3x10G)"),
    Column("circuits", "Circuits", "int", "Parallel circuits of that tier between the two ends"),
    Column("capacity_mbps", "Capacity Mb/s", "int", "Capacity bought, all circuits together, each way"),
    Column("metric", "Metric", "int", "Routing metric to configure (route km): traffic takes the lowest total"),
    Column("load_mbps", "Load Mb/s", "mbps", "Planned load in the normal state, each way"),
    Column("worst_load_mbps", "Worst load Mb/s", "mbps", "Highest planned load after any failure the design survives"),
    Column("worst_utilisation", "Worst use", "percent", "Worst load as a share of the capacity bought"),
    Column(
        "worst_failure", "Worst after losing", "text", "The failure that causes the worst load (empty: none adds load)"
    ),
    Column("role", "Role", "text", "Backbone, Protection, Access (dual-homing) or Existing, reused"),
    Column(
        "diverse_from",
        "Diverse from",
        "text",
        "Circuits at a shared end that, lost together with this one, would cut sites off: order on separate routes",
    ),
    Column("priced_from", "Priced from", "text", "Tariff, carrier quote (carrier) or existing circuit"),
    Column("install", "Installation", "gbp", "One-off connection charges, both ends"),
    Column("annual", "Annual rental", "gbp", "Rental a year: both ends plus the main link per route km"),
    Column("term_years", "Term (years)", "int", "Minimum contract term"),
    Column("total", "Total over term", "gbp", "Installation + term x annual rental"),
    Column("a_address", "A-end address", "text", "A-end site's address and postcode, as in the project"),
    Column("b_address", "B-end address", "text", "B-end site's address and postcode, as in the project"),
    Column(
        "serves",
        "Serves",
        "text",
        "Partners owning the sites at its ends, and partners whose traffic it carries while all is working",
    ),
    Column(
        "risk_groups",
        "Shared-risk groups",
        "text",
        "The project's shared-risk groups (ducts, exchanges) holding the circuit or a site at either end",
    ),
)
#: What the Circuits sheet says below the schedule, for whoever writes the tender from it.
CIRCUIT_NOTES: tuple[str, ...] = (
    "Diverse from: the circuits listed meet this one at a site, and losing this one together with any of them "
    "would cut sites off, or losing it together with a shared-risk group holding one of them would. A single "
    "trench, duct or building entry carrying both would be lost to one dig or one fire, so order each of them on "
    "a physically separate route from this one, end to end: separate ducts, separate terminating equipment and, "
    "where available, a different exchange (an RO2-style resilience option, the pair managed as resilient). "
    "Empty: no circuit at its ends needs keeping apart from it; a circuit that cuts sites off on its own (every "
    "circuit of a tree) has no protection to keep apart.",
    "Serves: the partners owning the sites at either end, and the partners whose traffic the circuit carries "
    "while everything is working (their sites' traffic to their hubs, and their demands between sites).",
    "A-end address, B-end address: where the carrier installs each end, as the project holds it (street "
    "address and postcode); empty where the project has none.",
    "Shared-risk groups: the project's groups (a shared duct, bridge or corridor; an exchange or building) that "
    "hold the circuit, or a site at either end, '; ' between. Circuits in the same group fail together: one dig, "
    "flood or fire takes them all. Circuits at a site that are in different groups must stay apart as built: "
    "order them in separate ducts and, where available, to separate exchanges, end to end (RO2-style), or one "
    "incident could take out what the design counts on as separate. A design made to survive the groups keeps "
    "every site connected after losing any one of them, as the Resilience sheet shows.",
)


def _priced_from(carriers: dict[tuple[str, str], str], source: str, a: str, b: str) -> str:
    if source == "quote":
        carrier = carriers.get(pair_key(a, b))
        return f"Carrier quote ({carrier})" if carrier else "Carrier quote"
    return {"tariff": "Tariff", "existing": "Existing circuit"}.get(source, source)


def _own_traffic(project: Project, partner: str) -> Project:
    """``project`` with only ``partner``'s traffic: its sites' traffic to its hubs, and the demands at its sites."""
    own = {s.id for s in project.sites if s.partner == partner}
    return replace(
        project,
        sites=[s if s.id in own else replace(s, demand_mbps=0.0) for s in project.sites],
        demands=[d for d in project.demands if d.a in own or d.b in own],
    )


def circuit_users(project: Project, design: Design) -> dict[str, list[str]]:
    """The partners (ids, in project order) each circuit serves: those owning the sites at its ends and those
    whose traffic it carries in the normal state (each partner's traffic routed on the design alone)."""
    sites = project.sites_by_id
    users = {k.circuit_id: {sites[k.a].partner, sites[k.b].partner} for k in design.links}
    for partner in project.partners:
        own = _own_traffic(project, partner.id)
        if has_traffic(own):
            for circuit, mbps in traffic_outage(own, design, []).loads.items():
                if mbps > LOAD_TOLERANCE:
                    users[circuit].add(partner.id)
    return {circuit: [p.id for p in project.partners if p.id in found] for circuit, found in users.items()}


def _circuit_groups(project: Project, design: Design) -> dict[str, list[str]]:
    """The names of the project's groups holding each circuit (its site pair, or a site at either end), in
    project order."""
    by_pair: dict[tuple[str, str], set[int]] = {}
    by_site: dict[str, set[int]] = {}
    for i, group in enumerate(project.risk_groups):
        for a, b in group.links:
            by_pair.setdefault(pair_key(a, b), set()).add(i)
        for site in group.sites:
            by_site.setdefault(site, set()).add(i)
    none: set[int] = set()
    return {
        k.circuit_id: [
            project.risk_groups[i].name
            for i in sorted(by_pair.get(k.pair, none) | by_site.get(k.a, none) | by_site.get(k.b, none))
        ]
        for k in design.links
    }


def circuit_table(project: Project, design: Design) -> Table:
    """The link schedule of ``design``: one row per circuit, in circuit-id order, with totals.

    Raises ``PlannerError`` when the design names a site the project no longer has
    or its total differs from the sum of its circuits (a stale or edited file).
    """
    sites = project.sites_by_id
    partners = project.partners_by_id
    missing = sorted({end for k in design.links for end in (k.a, k.b)} - set(sites))
    if missing:
        raise PlannerError(f"the design uses sites the project no longer has ({', '.join(missing)}); design it again")
    diverse = diverse_from(design, project.risk_groups)
    carriers = {pair_key(q.a, q.b): q.carrier for q in project.quotes}
    ends = {end for k in design.links for end in (k.a, k.b)}
    grid = {i: grid_reference(*lonlat_to_bng(sites[i].lon, sites[i].lat)) for i in ends}
    users = circuit_users(project, design)
    groups = _circuit_groups(project, design)

    def end(site_id: str) -> tuple:
        s = sites[site_id]
        partner = partners[s.partner].name if s.partner in partners else s.partner
        return (s.id, s.name, partner, s.lat, s.lon, grid[s.id])

    rows = tuple(
        CircuitRow(
            k.circuit_id,
            *end(k.a),
            *end(k.b),
            k.distance_km,
            k.route_km,
            k.bandwidth,
            k.circuits,
            k.capacity_mbps,
            k.metric,
            k.load_mbps,
            k.worst_load_mbps,
            k.worst_utilisation,
            k.worst_failure,
            LINK_ROLES.get(k.role, k.role),
            ", ".join(diverse[k.circuit_id]),
            _priced_from(carriers, k.source, k.a, k.b),
            k.install,
            k.annual,
            design.term_years,
            k.total(design.term_years),
            sites[k.a].address,
            sites[k.b].address,
            "; ".join(partners[p].name for p in users[k.circuit_id]),
            "; ".join(groups[k.circuit_id]),
        )
        for k in sorted(design.links, key=lambda k: k.circuit_id)
    )
    total = sum(r.total for r in rows)
    if total != design.total_cost:
        raise PlannerError(
            f"the design's total ({pounds(design.total_cost)}) is not the sum of its circuits ({pounds(total)}); "
            "design it again"
        )
    totals = {
        "distance_km": sum(r.distance_km for r in rows),
        "route_km": sum(r.route_km for r in rows),
        "circuits": sum(r.circuits for r in rows),
        "install": sum(r.install for r in rows),
        "annual": sum(r.annual for r in rows),
        "total": total,
    }
    return Table("Circuits", CIRCUIT_COLUMNS, rows, totals, CIRCUIT_NOTES)


# -- sites --------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteRow:
    id: str
    name: str
    partner_id: str
    partner: str
    role: str
    lat: float
    lon: float
    easting: float
    northing: float
    grid_ref: str
    circuits: int
    address: str


SITE_COLUMNS: tuple[Column, ...] = (
    Column("id", "Site", "text", "Site id (stable)"),
    Column("name", "Name", "text", "Site name"),
    Column("partner_id", "Partner id", "text", "Id of the partner owning the site"),
    Column("partner", "Partner", "text", "Partner owning the site"),
    Column("role", "Role", "text", "site, hub (core) or optional (may relay, need not be connected)"),
    Column("lat", "Lat", "deg", "Latitude, WGS84 degrees"),
    Column("lon", "Lon", "deg", "Longitude, WGS84 degrees"),
    Column("easting", "Easting", "metres", "British National Grid easting, metres"),
    Column("northing", "Northing", "metres", "British National Grid northing, metres"),
    Column("grid_ref", "Grid ref", "text", "OS grid reference, 1 m"),
    Column("circuits", "Circuits", "int", "Circuits of the design ending at the site"),
    Column("address", "Address", "text", "Street address and postcode, where circuits are installed"),
)


def site_table(project: Project, design: Design) -> Table:
    """Every site of the project, in project order, with its circuit count in ``design``."""
    degree: dict[str, int] = {}
    for k in design.links:
        for end in (k.a, k.b):
            degree[end] = degree.get(end, 0) + 1
    partners = project.partners_by_id
    rows = []
    for s in project.sites:
        easting, northing = lonlat_to_bng(s.lon, s.lat)
        partner = partners[s.partner].name if s.partner in partners else s.partner
        rows.append(
            SiteRow(
                s.id,
                s.name,
                s.partner,
                partner,
                s.role,
                s.lat,
                s.lon,
                easting,
                northing,
                grid_reference(easting, northing),
                degree.get(s.id, 0),
                s.address,
            )
        )
    return Table("Sites", SITE_COLUMNS, tuple(rows), {"circuits": sum(r.circuits for r in rows)})


# -- partners -----------------------------------------------------------------------
@dataclass(frozen=True)
class PartnerRow:
    id: str
    name: str
    kind: str
    sites: int
    standalone: int
    shapley: int
    shapley_saving: int
    shapley_saving_pct: float | None
    nucleolus: int
    nucleolus_saving: int
    standalone_share: int
    standalone_saving: int
    sites_share: int
    sites_saving: int
    pays_more_under: str


PARTNER_COLUMNS: tuple[Column, ...] = (
    Column("id", "Partner id", "text", "Partner id"),
    Column("name", "Partner", "text", "Partner name"),
    Column("kind", "Kind", "text", "Council, police, fire, health, university ..."),
    Column("sites", "Sites", "int", "Sites to connect"),
    Column("standalone", "Cost alone", "gbp", "Whole-term cost of the partner's own network (same rules), alone"),
    Column("shapley", "Shapley share", "gbp", "Share of the shared cost by Shapley value"),
    Column("shapley_saving", "Saving (Shapley)", "gbp", "Cost alone minus Shapley share"),
    Column("shapley_saving_pct", "Saving % (Shapley)", "percent", "Shapley saving as a fraction of the cost alone"),
    Column("nucleolus", "Nucleolus share", "gbp", "Share by the nucleolus: the most any group overpays made least"),
    Column("nucleolus_saving", "Saving (nucleolus)", "gbp", "Cost alone minus nucleolus share"),
    Column("standalone_share", "Pro rata share", "gbp", "Share in proportion to cost alone"),
    Column("standalone_saving", "Saving (pro rata)", "gbp", "Cost alone minus pro rata share"),
    Column("sites_share", "Per-site share", "gbp", "Share in proportion to sites"),
    Column("sites_saving", "Saving (per site)", "gbp", "Cost alone minus per-site share"),
    Column("pays_more_under", "Pays more than alone under", "text", "Methods that charge the partner more than alone"),
)


def _dearer_under(share: PartnerShare) -> str:
    """The methods charging a partner more than alone: "every method", their names, or nothing."""
    dearer = [label for method, label in METHODS.items() if share.pays_more(method)]
    return "every method" if len(dearer) == len(METHODS) else ", ".join(dearer)


def partner_table(project: Project, sharing: CostSharing) -> Table:
    """Each partner's cost alone and its share and saving under every method, with totals."""
    partners = project.partners_by_id
    rows = []
    for p in sharing.partners:
        partner = partners[p.partner]
        rows.append(
            PartnerRow(
                p.partner,
                partner.name,
                partner.kind,
                p.sites,
                p.standalone,
                p.shares["shapley"],
                p.saving("shapley"),
                p.saving("shapley") / p.standalone if p.standalone else None,
                p.shares["nucleolus"],
                p.saving("nucleolus"),
                p.shares["standalone"],
                p.saving("standalone"),
                p.shares["sites"],
                p.saving("sites"),
                _dearer_under(p),
            )
        )
    summed = [c.key for c in PARTNER_COLUMNS if c.kind in ("int", "gbp")]
    sums: dict[str, object] = {key: sum(getattr(r, key) for r in rows) for key in summed}
    sums["shapley_saving_pct"] = sharing.saving_fraction
    return Table("Partners", PARTNER_COLUMNS, tuple(rows), sums)


# -- failures -----------------------------------------------------------------------
@dataclass(frozen=True)
class FailureRow:
    failure: str
    element: str
    description: str
    connected: str
    cut_off: str
    cut_off_count: int
    detour_hops: int | None
    peak_circuit: str
    peak_load_mbps: float | None
    peak_utilisation: float | None
    circuits_lost: str
    sites_lost: str
    overloaded: str
    overloaded_count: int | None


FAILURE_COLUMNS: tuple[Column, ...] = (
    Column(
        "failure",
        "Failure",
        "text",
        "What is lost: a circuit (cable cut), a site (fire, power) or a shared-risk group (all it holds)",
    ),
    Column("element", "Id", "text", "Circuit id, site id or group name lost"),
    Column("description", "Where", "text", "The circuit's ends, the site's name, or what the group holds"),
    Column("connected", "Everyone else connected?", "text", "Yes when every site not lost still reaches every other"),
    Column("cut_off", "Sites cut off", "text", "Sites that can no longer reach the rest of the network"),
    Column("cut_off_count", "Cut off", "int", "Number of sites cut off"),
    Column("detour_hops", "Detour hops", "int", "Circuits on the shortest way round a lost circuit"),
    Column("peak_circuit", "Most loaded circuit", "text", "With traffic: the circuit carrying most of its capacity"),
    Column("peak_load_mbps", "Its load Mb/s", "mbps", "That circuit's load after the failure, each way"),
    Column("peak_utilisation", "Its use", "percent", "That load as a share of the circuit's capacity"),
    Column("circuits_lost", "Circuits lost", "text", "The circuits the failure takes out (a site's or group's too)"),
    Column("sites_lost", "Sites lost", "text", "Sites lost themselves (the site; a group's sites): lost, not cut off"),
    Column(
        "overloaded",
        "Overloaded circuits",
        "text",
        "With traffic: circuits then loaded beyond the utilisation limit of their capacity",
    ),
    Column("overloaded_count", "Overloaded", "int", "With traffic: number of circuits overloaded"),
)


def _site_list(names: dict[str, str], sites) -> str:
    return ", ".join(f"{names.get(s, s)} ({s})" for s in sites)


def failure_table(project: Project, design: Design, analysis: FailureAnalysis | None = None) -> Table:
    """Each single failure of ``design`` (circuits; sites too for ``2node``), then each shared-risk group lost:
    what it takes out and cuts off and, with traffic, its most loaded and its overloaded circuits."""
    analysis = analysis or analyse_failures(project, design)
    names = {s.id: s.name for s in project.sites}
    links = {k.circuit_id: k for k in design.links}
    notes = {g.name: g.note for g in project.risk_groups}
    labels = {"link": "Circuit", "site": "Site", "group": "Shared-risk group"}
    rows = []
    for f in (*analysis.singles, *analysis.groups):
        if f.kind == "link":
            link = links[f.element]
            description = f"{names.get(link.a, link.a)} – {names.get(link.b, link.b)}"
        elif f.kind == "site":
            description = names.get(f.element, f.element)
        else:
            held = [plural(len(f.lost_circuits), "circuit")] + (
                [plural(len(f.lost_sites), "site")] if f.lost_sites else []
            )
            description = ", ".join(held) + (f" ({notes[f.element]})" if notes.get(f.element) else "")
        rows.append(
            FailureRow(
                labels[f.kind],
                f.element,
                description,
                "Yes" if f.connected else "No",
                _site_list(names, f.cut_off),
                len(f.cut_off),
                f.detour_hops,
                *_peak(analysis.loads.get(f)),
                ", ".join(f.lost_circuits),
                _site_list(names, f.lost_sites),
                *_overloaded(analysis.loads.get(f)),
            )
        )
    return Table("Resilience", FAILURE_COLUMNS, tuple(rows))


def _peak(load: FailureLoad | None) -> tuple[str, float | None, float | None]:
    if load is None:
        return "", None, None
    return load.peak.circuit_id, load.peak.load_mbps, load.peak.utilisation


def _overloaded(load: FailureLoad | None) -> tuple[str, int | None]:
    """The overloaded circuits and their number; both empty without traffic (nothing was routed)."""
    if load is None:
        return "", None
    return ", ".join(load.overloaded), len(load.overloaded)


# -- double failures --------------------------------------------------------------------
#: The most pairs of circuits the double-failure table lists (a ring of 1,000 circuits has 499,500 that cut
#: sites off); the counts and the summary cover every pair.
DUAL_ROWS = 1_000


@dataclass(frozen=True)
class DualRow:
    first: str
    first_where: str
    second: str
    second_where: str
    meet_at: str
    cut_off: str
    cut_off_count: int


DUAL_COLUMNS: tuple[Column, ...] = (
    Column("first", "First circuit", "text", "One circuit of the pair lost together"),
    Column("first_where", "Its ends", "text", "That circuit's A-end and B-end sites"),
    Column("second", "Second circuit", "text", "The other circuit of the pair"),
    Column("second_where", "Its ends", "text", "That circuit's A-end and B-end sites"),
    Column("meet_at", "Meet at", "text", "The site both circuits end at, if any: one duct entry could take both"),
    Column("cut_off", "Sites cut off", "text", "Sites that can no longer reach the rest of the network"),
    Column("cut_off_count", "Cut off", "int", "Number of sites cut off"),
)


def dual_table(project: Project, design: Design, analysis: FailureAnalysis | None = None) -> Table:
    """The pairs of ``design``'s circuits whose loss together cuts sites off, most sites cut off first (at most
    ``DUAL_ROWS`` of them), with notes saying how many pairs there are and whom they cut off most often."""
    duals = (analysis or analyse_failures(project, design)).duals
    names = {s.id: s.name for s in project.sites}
    links = {k.circuit_id: k for k in design.links}
    worst = duals.worst(DUAL_ROWS)
    rows = []
    for (first, second, count), cut in zip(worst, duals.cut_off([(a, b) for a, b, _ in worst]), strict=True):
        a, b = links[first], links[second]
        ends = [f"{names.get(x, x)} – {names.get(y, y)}" for x, y in ((a.a, a.b), (b.a, b.b))]
        meet = sorted({a.a, a.b} & {b.a, b.b})
        rows.append(DualRow(first, ends[0], second, ends[1], _site_list(names, meet), _site_list(names, cut), count))
    return Table("Double failures", DUAL_COLUMNS, tuple(rows), notes=_dual_notes(duals, names))


def _dual_notes(duals: DualFailures, names: dict[str, str]) -> tuple[str, ...]:
    """How many pairs the table covers, and the sites most often cut off."""
    if not duals.pairs:
        return ("The design has fewer than two circuits: no pair of them to lose together.",)
    if not duals.cutting:
        return (f"None of the {duals.pairs:,} pairs of circuits, lost together, cuts any site off.",)
    listed = (
        f"all {duals.cutting:,} are listed"
        if duals.cutting <= DUAL_ROWS
        else f"the {DUAL_ROWS:,} cutting off most sites are listed"
    )
    hit = sorted(duals.site_counts, key=lambda s: (-duals.site_counts[s], names.get(s, s), s))[:10]
    return (
        f"Of the {duals.pairs:,} pairs of circuits that could be lost together, {duals.cutting:,} cut sites off; "
        f"{listed}, most sites cut off first.",
        "Sites most often cut off: "
        + ", ".join(f"{short_name(names.get(s, s))} ({s}): {plural(duals.site_counts[s], 'pair')}" for s in hit)
        + ".",
        "A design that survives any one circuit lost can still be cut by two. Pairs that meet at a site (Meet at) "
        "are the ones a single duct entry or trench there could take together: the circuit schedule lists them "
        "under Diverse from, to be ordered on separate routes.",
    )
