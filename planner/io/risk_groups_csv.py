"""Shared-risk groups from a table: CSV, or the first sheet of an XLSX workbook.

One row per member: ``group,a,b`` for a link (a duct, a bridge, a corridor that two
sites' circuit would run along) or ``group,site`` for a site (an exchange, a building);
both kinds may share one file (``group,a,b,site``). Rows with the same ``group`` make
one group. Every problem names the file, the row and the column:
``ducts.csv: row 4: b: 'LDS-X' is not a site id``.

>>> import tempfile, pathlib
>>> from planner.core.model import Partner, Project, Site
>>> p = Project(partners=[Partner("P", "P")], sites=[Site(i, i, "P", 0, 51 + n) for n, i in enumerate("abc")])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "groups.csv"
>>> _ = path.write_text("group,a,b\\nA1 bridge,a,b\\nA1 bridge,c,b\\n")
>>> read_risk_groups(path, p)[0].links
(('a', 'b'), ('b', 'c'))
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from planner.core.errors import InputError
from planner.core.model import Project, RiskGroup, pair_key
from planner.core.text import text_problem
from planner.io.text_clean import shown

__all__ = ["read_risk_groups", "RISK_GROUP_COLUMNS", "FILE_FILTER"]

RISK_GROUP_COLUMNS = [{"group", "a", "b"}, {"group", "site"}]
FILE_FILTER = "Shared-risk groups (*.csv *.xlsx);;CSV (*.csv);;Excel workbooks (*.xlsx);;All files (*)"
#: The longest group name: a duct, corridor or exchange name on one line.
MAX_NAME_CHARS = 100


def read_risk_groups(
    path: str | os.PathLike, project: Project, candidates: Collection[tuple[str, str]] | None = None
) -> list[RiskGroup]:
    """The groups a CSV or XLSX table lists, between sites of ``project``, in the order first named.

    With ``candidates`` (sorted site pairs, e.g. the edges of the design problem's graph), a link
    that is not one of them is refused too: it could never be part of a design, so the table
    most likely names the wrong sites. Raises ``InputError`` naming the row and column.
    """
    from planner.io.site_import import table_records

    path = Path(path)
    name = path.name
    records = table_records(path, RISK_GROUP_COLUMNS, "shared-risk groups")
    sites = project.sites_by_id
    members: dict[str, tuple[list[tuple[str, str]], list[str]]] = {}
    for place, row in records:
        where = f"{name}: {place}"
        group = row.get("group", "")
        bad = "is empty" if not group else text_problem(group)
        if not bad and len(group) > MAX_NAME_CHARS:
            bad = f"{shown(group)} is longer than {MAX_NAME_CHARS} characters"
        if bad:
            raise InputError(f"{where}: group: {bad}")
        a, b, site = row.get("a", ""), row.get("b", ""), row.get("site", "")
        if not (a or b or site):
            raise InputError(f"{where}: give a and b (a link) or site (a site) for group {shown(group)}")
        links, group_sites = members.setdefault(group, ([], []))
        for column, value in (("a", a), ("b", b), ("site", site)):
            if value and value not in sites:
                raise InputError(f"{where}: {column}: {shown(value)} is not a site id")
        if a or b:
            if not (a and b):
                raise InputError(f"{where}: {'b' if a else 'a'}: is empty (a link needs both ends)")
            if a == b:
                raise InputError(f"{where}: a link must join two different sites ({shown(a)} twice)")
            if candidates is not None and pair_key(a, b) not in candidates:
                raise InputError(f"{where}: link {shown(a)}-{shown(b)} is not a candidate link, so no design uses it")
            links.append((a, b))
        if site:
            group_sites.append(site)
    note = f"from {name}"
    return [RiskGroup.of(group, links, sites_of, note) for group, (links, sites_of) in members.items()]
