"""The tables every export writes agree with the design and the project."""

from dataclasses import replace
from decimal import Decimal

import pytest

from planner.analysis.resilience import outage
from planner.analysis.schedule import (
    CIRCUIT_COLUMNS,
    CIRCUIT_NOTES,
    DUAL_COLUMNS,
    FAILURE_COLUMNS,
    CircuitRow,
    DualRow,
    FailureRow,
    circuit_table,
    circuit_users,
    dual_table,
    failure_table,
    partner_table,
    site_table,
)
from planner.analysis.sharing import share_costs
from planner.core.design_result import Design, DesignLink
from planner.core.errors import PlannerError
from planner.core.geo import parse_grid_reference
from planner.core.model import Demand, Partner, Project, Quote, RiskGroup, Site
from planner.design import design_project
from tests.analysis.test_sharing import three_partners


@pytest.fixture(scope="module")
def planned():
    project = three_partners()
    return project, design_project(project)


#: The schedule's columns before addresses and partners served were added: other tools read them by position.
FIRST_COLUMNS = [
    *("circuit_id", "a_id", "a_name", "a_partner", "a_lat", "a_lon", "a_grid_ref"),
    *("b_id", "b_name", "b_partner", "b_lat", "b_lon", "b_grid_ref", "distance_km", "route_km", "bandwidth"),
    *("circuits", "capacity_mbps", "metric", "load_mbps", "worst_load_mbps", "worst_utilisation", "worst_failure"),
    *("role", "diverse_from", "priced_from", "install", "annual", "term_years", "total"),
]


def served_region() -> tuple[Project, Design]:
    """A ring of five sites, small enough to route by hand (metrics in brackets):

    police hub ph -(10)- council c1 -(10)- council c2 -(10)- police station ps -(20)- fire f1 -(20)- ph

    The station's 100 Mb/s to its hub goes ps-c2-c1-ph (30, against 40 by f1), so it crosses the
    council's own circuit c1-c2. The 50 Mb/s demand between f1 and c2 (fire and council) goes
    f1-ps-c2 (30, against 40 by ph and c1).
    """
    project = Project(
        name="Ring",
        partners=[Partner("P", "Police"), Partner("C", "Council"), Partner("F", "Fire")],
        sites=[
            Site("ph", "Police HQ", "P", -1.50, 53.80, "hub", address="Carr Gate, Wakefield WF2 0QQ"),
            Site("c1", "Civic Hall", "C", -1.55, 53.80, address="Civic Hall, Leeds LS1 1UR"),
            Site("c2", "Depot", "C", -1.60, 53.75),
            Site("ps", "Station", "P", -1.55, 53.70, demand_mbps=100, address="Elland Road, Leeds LS11 0ES"),
            Site("f1", "Fire HQ", "F", -1.45, 53.72, address="Birkenshaw BD11 2DY"),
        ],
        demands=[Demand("f1", "c2", 50)],
    )
    ring = [("ph", "c1", 10), ("c1", "c2", 10), ("c2", "ps", 10), ("ps", "f1", 20), ("f1", "ph", 20)]
    links = tuple(
        DesignLink(f"C000{i}", a, b, metric * 0.7, metric, 100_000, 20_000 * i, metric=metric)
        for i, (a, b, metric) in enumerate(ring, 1)
    )
    total = sum(k.total(5) for k in links)
    return project, Design("2edge", links, total, total, 5, sites=tuple(s.id for s in project.sites))


#: Whom each circuit of :func:`served_region` serves, worked out by hand from its docstring.
SERVED = {
    "C0001": ["P", "C"],  # ph-c1: its ends; the station's traffic
    "C0002": ["P", "C"],  # c1-c2: council ends; the police station's traffic crosses it
    "C0003": ["P", "C", "F"],  # c2-ps: its ends; the fire-council demand
    "C0004": ["P", "C", "F"],  # ps-f1: its ends; the same demand, the council's as much as the fire's
    "C0005": ["P", "F"],  # f1-ph: its ends; no traffic crosses it
}
PARTNER_NAMES = {"P": "Police", "C": "Council", "F": "Fire"}


def test_circuits_serve_the_partners_at_their_ends_and_those_whose_traffic_they_carry():
    project, design = served_region()
    assert circuit_users(project, design) == SERVED
    rows = {r.circuit_id: r for r in circuit_table(project, design).rows}
    assert {c: r.serves for c, r in rows.items()} == {
        c: "; ".join(map(PARTNER_NAMES.get, p)) for c, p in SERVED.items()
    }
    quiet = replace(project, demands=[], sites=[replace(s, demand_mbps=0.0) for s in project.sites])
    assert circuit_users(quiet, design)["C0002"] == ["C"]  # without traffic only the ends count


def test_both_ends_of_every_circuit_carry_their_site_s_address():
    project, design = served_region()
    table = circuit_table(project, design)
    for row in table.rows:
        assert (row.a_address, row.b_address) == (project.site(row.a_id).address, project.site(row.b_id).address)
    assert {r.b_address for r in table.rows if r.b_id == "c2"} == {""}  # a site with no address: empty
    assert [r.address for r in site_table(project, design).rows] == [s.address for s in project.sites]


def test_new_columns_come_after_the_ones_other_tools_read_and_the_notes_explain_them(planned):
    keys = [c.key for c in CIRCUIT_COLUMNS]
    assert keys[: len(FIRST_COLUMNS)] == FIRST_COLUMNS
    assert keys[len(FIRST_COLUMNS) :] == ["a_address", "b_address", "serves", "risk_groups"]
    notes = circuit_table(*planned).notes
    assert notes == CIRCUIT_NOTES
    diverse = next(n for n in notes if n.startswith("Diverse from:"))
    assert "separate route" in diverse and "RO2" in diverse and "exchange" in diverse
    assert any(n.startswith("Serves:") for n in notes)
    groups = next(n for n in notes if n.startswith("Shared-risk groups:"))
    assert "fail together" in groups and "separate ducts" in groups and "separate exchanges" in groups


def test_every_circuit_field_is_a_column_with_a_definition():
    assert [c.key for c in CIRCUIT_COLUMNS] == list(CircuitRow.__dataclass_fields__)
    assert all(c.definition and c.heading for c in CIRCUIT_COLUMNS)


def test_circuit_rows_carry_the_design_exactly(planned):
    project, design = planned
    table = circuit_table(project, design)
    assert [r.circuit_id for r in table.rows] == sorted(k.circuit_id for k in design.links)
    for row in table.rows:
        link = design.link(row.circuit_id)
        site = project.site(row.a_id)
        assert (row.a_id, row.b_id, row.install, row.annual) == (link.a, link.b, link.install, link.annual)
        assert row.total == link.install + 5 * link.annual and row.term_years == 5
        assert (row.a_lat, row.a_lon, row.a_name) == (site.lat, site.lon, site.name)
        assert row.a_partner == project.partner(site.partner).name
        easting, northing = parse_grid_reference(row.a_grid_ref)
        assert 0 < easting < 700_000 and 0 < northing < 1_300_000
        assert row.role in ("Backbone", "Protection") and row.priced_from == "Tariff"
    assert table.total("total") == design.total_cost
    assert table.total_values()[0] == "Total"
    money = table.column("total")
    assert money.value(table.rows[0]) == Decimal(table.rows[0].total) / 100


def test_quoted_circuits_name_their_carrier(planned):
    project, _ = planned
    quoted = replace(
        project,
        quotes=[Quote(a.id, b.id, 1000, 500, "Openreach") for a in project.sites for b in project.sites if a.id < b.id],
    )
    table = circuit_table(quoted, design_project(quoted))
    assert {r.priced_from for r in table.rows} == {"Carrier quote (Openreach)"}


def test_site_partner_and_failure_tables(planned):
    project, design = planned
    sites = site_table(project, design)
    assert [r.id for r in sites.rows] == [s.id for s in project.sites]
    assert sites.total("circuits") == 2 * len(design.links)
    sharing = share_costs(project, design)
    partners = partner_table(project, sharing)
    assert partners.total("shapley") == design.total_cost == partners.total("sites_share")
    assert partners.total("standalone") == sharing.standalone_total
    failures = failure_table(project, design)
    assert len(failures.rows) == len(design.links) and {r.connected for r in failures.rows} == {"Yes"}


def test_a_stale_design_is_refused(planned):
    project, design = planned
    with pytest.raises(PlannerError, match="no longer has"):
        circuit_table(replace(project, sites=project.sites[1:]), design)
    with pytest.raises(PlannerError, match="not the sum of its circuits"):
        circuit_table(project, replace(design, total_cost=design.total_cost + 1))


def test_docs_define_every_schedule_column():
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "pack.md").read_text(encoding="utf-8")
    for column in CIRCUIT_COLUMNS:
        if not column.key.startswith("b_"):  # the B-end columns are documented as one row
            assert f"| {column.heading} | `{column.key}` |" in docs


#: Shared-risk groups on :func:`served_region`'s ring, and which of its circuits each holds (by hand).
RING_GROUPS = [
    RiskGroup.of("Duct c1", [("ph", "c1"), ("c1", "c2")], note="Civic Hall's north duct"),
    RiskGroup.of("Exchange ps", sites=["ps"]),  # both circuits at the station: c2-ps and ps-f1
    RiskGroup.of("A1 bridge", [("f1", "ph"), ("c1", "ps")]),  # c1-ps is no circuit of the design
]
RING_GROUP_NAMES = {
    "C0001": "Duct c1",
    "C0002": "Duct c1",
    "C0003": "Exchange ps",
    "C0004": "Exchange ps",
    "C0005": "A1 bridge",
}


def grouped_ring() -> tuple[Project, Design]:
    project, design = served_region()
    project.risk_groups = list(RING_GROUPS)
    return project, design


def test_each_circuit_names_the_groups_holding_it_or_an_end():
    project, design = grouped_ring()
    project.risk_groups.append(RiskGroup.of("Leeds exchange", sites=["c1", "ph"]))
    rows = {r.circuit_id: r for r in circuit_table(project, design).rows}
    expected = {c: [name] for c, name in RING_GROUP_NAMES.items()}
    for circuit in ("C0001", "C0002", "C0005"):  # each ends at c1 or ph
        expected[circuit].append("Leeds exchange")
    assert {c: r.risk_groups for c, r in rows.items()} == {c: "; ".join(names) for c, names in expected.items()}
    assert {r.risk_groups for r in circuit_table(*served_region()).rows} == {""}


def test_the_failure_table_adds_each_group_after_the_single_failures():
    assert [c.key for c in FAILURE_COLUMNS][:10] == [  # the columns before the groups came, in their order
        *("failure", "element", "description", "connected", "cut_off", "cut_off_count", "detour_hops"),
        *("peak_circuit", "peak_load_mbps", "peak_utilisation"),
    ]
    assert [c.key for c in FAILURE_COLUMNS] == list(FailureRow.__dataclass_fields__)
    project, design = grouped_ring()
    rows = failure_table(project, design).rows
    assert [r.failure for r in rows] == ["Circuit"] * 5 + ["Shared-risk group"] * 3
    duct, exchange, bridge = rows[5:]
    # Losing both circuits at Civic Hall cuts it off; losing the station takes its two circuits, cuts no one off.
    assert (duct.element, duct.connected, duct.cut_off, duct.cut_off_count) == ("Duct c1", "No", "Civic Hall (c1)", 1)
    assert duct.circuits_lost == "C0001, C0002" and duct.description == "2 circuits (Civic Hall's north duct)"
    assert (exchange.connected, exchange.cut_off, exchange.sites_lost) == ("Yes", "", "Station (ps)")
    assert exchange.circuits_lost == "C0003, C0004" and exchange.description == "2 circuits, 1 site"
    assert (bridge.connected, bridge.circuits_lost) == ("Yes", "C0005")
    assert rows[0].circuits_lost == "C0001" and rows[0].sites_lost == ""
    # The ring's traffic fits every single and group failure (1,000 Mb/s circuits): nothing overloaded.
    assert {(r.overloaded, r.overloaded_count) for r in rows} == {("", 0)}
    quiet = replace(project, demands=[], sites=[replace(s, demand_mbps=0.0) for s in project.sites])
    assert {(r.overloaded, r.overloaded_count, r.peak_circuit) for r in failure_table(quiet, design).rows} == {
        ("", None, "")
    }


def test_the_double_failure_table_lists_each_pair_that_cuts_sites_off_as_removing_it_shows():
    assert [c.key for c in DUAL_COLUMNS] == list(DualRow.__dataclass_fields__)
    project, design = grouped_ring()
    names = {s.id: s.name for s in project.sites}
    table = dual_table(project, design)
    assert len(table.rows) == 10  # a ring of 5: every pair of its circuits cuts sites off
    assert [r.cut_off_count for r in table.rows] == sorted((r.cut_off_count for r in table.rows), reverse=True)
    for row in table.rows:
        lost = outage(design, [row.first, row.second]).cut_off
        assert row.cut_off == ", ".join(f"{names[s]} ({s})" for s in lost) and row.cut_off_count == len(lost)
        a, b = design.link(row.first), design.link(row.second)
        assert row.meet_at == ", ".join(f"{names[s]} ({s})" for s in sorted({a.a, a.b} & {b.a, b.b}))
    assert table.notes[0].startswith("Of the 10 pairs of circuits that could be lost together, 10 cut sites off")
    square = Design("2edge", tuple(k for k in design.links), design.total_cost, 0, 5, sites=design.sites)
    assert dual_table(project, replace(square, links=square.links[:1])).notes == (
        "The design has fewer than two circuits: no pair of them to lose together.",
    )
