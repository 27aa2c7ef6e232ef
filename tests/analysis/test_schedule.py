"""The tables every export writes agree with the design and the project."""

from dataclasses import replace
from decimal import Decimal

import pytest

from planner.analysis.schedule import (
    CIRCUIT_COLUMNS,
    CircuitRow,
    circuit_table,
    failure_table,
    partner_table,
    site_table,
)
from planner.analysis.sharing import share_costs
from planner.core.errors import PlannerError
from planner.core.geo import parse_grid_reference
from planner.core.model import Quote
from planner.design import design_project
from tests.analysis.test_sharing import three_partners


@pytest.fixture(scope="module")
def planned():
    project = three_partners()
    return project, design_project(project)


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
