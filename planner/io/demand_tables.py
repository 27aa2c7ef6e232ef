"""Demands from the tables traffic is kept in: CSV or the first sheet of an XLSX workbook.

Columns ``a,b,mbps``: two site ids and the rate in Mb/s each way between them
(optionally ``note``). A pair may be listed once: two rates for one pair conflict (they
do not add up), and the file is refused. Every problem names the file, the row and
the column: ``demands.csv: row 4: b: 'LDS-X' is not a site id``.

A demand no link could carry on its own — more than the largest bundle of the largest
tier the project may buy, at its utilisation limit — is refused here too, naming its row.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.core.errors import InputError
from planner.core.model import Demand, Project, pair_key
from planner.core.tariff import MAX_BUNDLE
from planner.core.traffic import mbps_from_text
from planner.io.text_clean import shown

__all__ = ["read_demands", "DEMAND_COLUMNS", "FILE_FILTER", "largest_link_mbps"]

DEMAND_COLUMNS = [{"a", "b", "mbps"}]
FILE_FILTER = "Demands (*.csv *.xlsx);;CSV (*.csv);;Excel workbooks (*.xlsx);;All files (*)"


def largest_link_mbps(project: Project) -> float:
    """The most one link may carry: the largest bundle of the fastest tier it may be bought at, at the
    utilisation limit (only quoted tiers when the project has carrier quotes)."""
    tariff = project.tariff
    if project.quotes:
        tiers = {q.bandwidth or tariff.min_tier for q in project.quotes}
        tiers |= {e.bandwidth or tariff.min_tier for e in project.existing_links}
        fastest = max(tariff.tier(t).mbps for t in tiers)
    else:
        fastest = max(t.mbps for t in tariff.usable_tiers)
    return MAX_BUNDLE * fastest * project.settings.max_utilisation


def read_demands(path: str | os.PathLike, project: Project) -> list[Demand]:
    """The demands of a CSV or XLSX table between sites of ``project``; ``InputError`` naming row and column."""
    from planner.io.site_import import table_records

    path = Path(path)
    name = path.name
    records = table_records(path, DEMAND_COLUMNS, "demands")
    sites = project.sites_by_id
    limit = largest_link_mbps(project)
    seen: dict[tuple[str, str], str] = {}
    demands = []
    for place, row in records:
        where = f"{name}: {place}"
        a, b = row["a"], row["b"]
        for end, value in (("a", a), ("b", b)):
            if not value:
                raise InputError(f"{where}: {end}: is empty")
            if value not in sites:
                raise InputError(f"{where}: {end}: {shown(value)} is not a site id")
            if sites[value].role == "optional":
                raise InputError(
                    f"{where}: {end}: site {shown(value)} is optional (need not be connected): it has no traffic"
                )
        if a == b:
            raise InputError(f"{where}: a demand must join two different sites ({shown(a)} twice)")
        try:
            mbps = mbps_from_text(row["mbps"]) if row["mbps"] else None
        except ValueError as err:
            raise InputError(f"{where}: mbps: {err}") from None
        if mbps is None:
            raise InputError(f"{where}: mbps: is empty")
        if mbps > limit:
            raise InputError(
                f"{where}: mbps: {mbps:,g} Mb/s is more than any link may carry "
                f"({limit:,.0f} Mb/s: {MAX_BUNDLE} of the fastest circuits at the utilisation limit)"
            )
        pair = pair_key(a, b)
        if pair in seen:
            raise InputError(
                f"{where}: the pair {a}-{b} is listed twice (also {seen[pair]}): two rates for one pair conflict, "
                "give one"
            )
        seen[pair] = place
        demands.append(Demand(a, b, mbps))
    return demands
