"""Site lists and carrier quotes from CSV, as procurement and architects keep them.

Sites: columns ``id,name,lat,lon`` (or ``easting,northing`` in British National
Grid metres, or ``grid_ref`` such as ``SE 2990 3350``), optional ``partner``,
``role`` (site, hub, optional), ``demand_mbps`` (the site's traffic to its
partner's hubs) and ``address`` and/or ``postcode`` (or ``post_code``, ``zip``), joined
into the site's one-line address (``Elland Road, Leeds, LS11 0ES``) unless the address
already holds the postcode. Quotes: columns ``a,b,cost`` naming site ids, where cost is the
whole-term price in pounds; or ``a,b,install,annual``; with a ``bandwidth`` column,
one row per quoted pair and tier (a quote without one is for the smallest tier).

Every problem names the file, the spreadsheet row (the header is row 1) and the
column: ``sites.csv: row 7: lat: '95.2' is out of range -90..90``. A header may name a
column once (ignoring case and spaces); numbers are plain decimals and text fields one
printable line (see :mod:`planner.io.text_clean`); an amount of money is at most
£1,000,000,000.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from planner.core.errors import InputError
from planner.core.files import check_regular_file
from planner.core.geo import bng_to_lonlat, check_lonlat, parse_grid_reference
from planner.core.model import MAX_ADDRESS_CHARS, PALETTE, SITE_ROLES, Partner, Project, Quote, Site
from planner.core.money import parse_pounds
from planner.core.tariff import DEFAULT_TIERS
from planner.core.traffic import mbps_from_text, traffic_problems
from planner.io.text_clean import SHOWN_CHARS, is_plain_number, shown, text_problem

__all__ = [
    "read_sites_csv",
    "read_quotes_csv",
    "project_from_csv",
    "check_header",
    "csv_records",
    "sites_from_records",
    "SITE_COLUMNS",
    "POSTCODE_COLUMNS",
    "MAX_IMPORT_BYTES",
]

DEFAULT_TIER_NAMES = tuple(t.name for t in DEFAULT_TIERS)
#: The largest file imported (site lists, quotes, demands: CSV, XLSX, GIS): far more than any real one.
MAX_IMPORT_BYTES = 200 * 2**20
#: The column sets a site list may use to say where each site is.
SITE_COLUMNS = [{"id", "name", "lat", "lon"}, {"id", "name", "easting", "northing"}, {"id", "name", "grid_ref"}]
#: The columns that may hold a site's postcode, in order of preference.
POSTCODE_COLUMNS = ("postcode", "post_code", "zip")
#: The most an amount of money in a file may be: beyond it a figure is a typing mistake.


def check_header(name: str, columns: list[str], required_any: list[set[str]]) -> None:
    """Raise ``InputError`` unless ``columns`` (lower case, stripped) include one of the ``required_any``
    sets and name no column twice (blank columns aside)."""
    first: dict[str, int] = {}
    for number, column in enumerate(columns, start=1):
        if column and first.setdefault(column, number) != number:
            raise InputError(
                f"{name}: row 1: the column {shown(column)} is given twice (columns {first[column]} and {number}), "
                "so which holds the data is unclear"
            )
    if not any(group <= set(columns) for group in required_any):
        wanted = " or ".join(",".join(sorted(g)) for g in required_any)
        raise InputError(f"{name}: row 1: the header needs the columns {wanted} (found {shown(','.join(columns))})")


def csv_records(path: Path, required_any: list[set[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {lower-case column: stripped text}) for each non-blank row of a CSV file whose
    header holds one of the ``required_any`` column sets.

    Rows are numbered as a spreadsheet shows them (the header is row 1), whatever line breaks
    quoted cells hold.
    """
    name = path.name
    check_regular_file(path, "a CSV file", MAX_IMPORT_BYTES)  # a named pipe would block the open
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})") from None
    with handle:
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InputError(f"{name}: the file is empty")
            columns = [h.strip().lower() for h in header]
            check_header(name, columns, required_any)
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(columns):
                    raise InputError(
                        f"{name}: row {number}: has {len(row)} cells but the header has {len(columns)} columns"
                    )
                yield number, {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(columns)}
        except UnicodeDecodeError:
            raise InputError(f"{name}: is not a UTF-8 text file") from None
        except csv.Error as err:
            raise InputError(f"{name}: line {reader.line_num}: {err}") from None


def _number(value: str, where: str, column: str) -> float:
    if not value:
        raise InputError(f"{where}: {column}: is empty")
    if not is_plain_number(value):
        raise InputError(f"{where}: {column}: {shown(value)} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise InputError(f"{where}: {column}: {shown(value)} is too large to be a number here")
    return number


def _money(row: dict[str, str], column: str, where: str, default: str = "") -> int:
    """Whole pence from pounds as a person writes them (``£1,250.50``), at most ``MAX_POUNDS``."""
    try:
        return parse_pounds(row.get(column) or default)
    except ValueError as err:
        raise InputError(f"{where}: {column}: {err}") from None


def _location(row: dict[str, str], where: str) -> tuple[float, float]:
    if row.get("lat") or row.get("lon"):
        lon, lat = _number(row.get("lon", ""), where, "lon"), _number(row.get("lat", ""), where, "lat")
        bad = check_lonlat(lon, lat)
        if bad:
            raise InputError(f"{where}: {bad}")
        return lon, lat
    try:
        if row.get("easting") or row.get("northing"):
            e, n = (
                _number(row.get("easting", ""), where, "easting"),
                _number(row.get("northing", ""), where, "northing"),
            )
        elif row.get("grid_ref"):
            if len(row["grid_ref"]) > SHOWN_CHARS:  # no grid reference is this long; keep the message short
                raise InputError(f"{where}: grid_ref: {shown(row['grid_ref'])} is not an OS grid reference")
            e, n = parse_grid_reference(row["grid_ref"])
        else:
            raise InputError(f"{where}: no location: give lat,lon or easting,northing or grid_ref")
        return bng_to_lonlat(e, n)
    except ValueError as err:
        if isinstance(err, InputError):
            raise
        raise InputError(f"{where}: {err}") from None


def _check_text(row: dict[str, str], columns: tuple[str, ...], where: str) -> None:
    """Raise ``InputError`` naming the first of ``columns`` whose text is not one printable line."""
    for column in columns:
        bad = text_problem(row.get(column) or "")
        if bad:
            raise InputError(f"{where}: {column}: {bad}")


def _squeezed(text: str) -> str:
    """``text`` as postcodes are compared: upper case, no spaces (``ls11 0es`` and ``LS110ES`` alike)."""
    return "".join(text.split()).upper()


def _address(row: dict[str, str], where: str) -> str:
    """The site's address: the ``address`` column, with the postcode joined on unless it already holds it.

    >>> _address({"address": "Elland Road, Leeds", "zip": "LS11 0ES"}, "row 2")
    'Elland Road, Leeds, LS11 0ES'
    >>> _address({"address": "Elland Road, Leeds LS11 0ES", "postcode": "ls110es"}, "row 2")
    'Elland Road, Leeds LS11 0ES'
    """
    _check_text(row, ("address", *POSTCODE_COLUMNS), where)
    address = row.get("address") or ""
    column = next((c for c in POSTCODE_COLUMNS if row.get(c)), None)
    postcode = row[column] if column else ""
    if postcode and _squeezed(postcode) not in _squeezed(address):
        address = f"{address}, {postcode}" if address else postcode
    if len(address) > MAX_ADDRESS_CHARS:
        fields = ", ".join(c for c in ("address", column) if c and row.get(c))
        raise InputError(f"{where}: {fields}: {shown(address)} is longer than {MAX_ADDRESS_CHARS} characters")
    return address


def sites_from_records(name: str, records: Iterable[tuple[str, dict[str, str]]]) -> tuple[list[Partner], list[Site]]:
    """Partners (named by the ``partner`` field) and sites from ``(place, {column: text})`` records.

    ``place`` names the record in messages (``row 7``, ``feature 3``); the columns are
    those of a site list (``id``, ``name``, a location, optional ``partner``, ``role``,
    ``demand_mbps``, ``address`` and a postcode).
    """
    sites: list[Site] = []
    seen: dict[str, str] = {}
    partner_names: dict[str, str] = {}
    for place, row in records:
        where = f"{name}: {place}"
        site_id = row["id"]
        if not site_id:
            raise InputError(f"{where}: id: is empty")
        _check_text(row, ("id", "name", "partner"), where)
        if site_id in seen:
            raise InputError(f"{where}: id: {shown(site_id)} is used twice (also {seen[site_id]})")
        seen[site_id] = place
        role = (row.get("role") or "site").lower()
        if role not in SITE_ROLES:
            raise InputError(f"{where}: role: {shown(row['role'])} is not one of {', '.join(SITE_ROLES)}")
        partner = row.get("partner") or "Partnership"
        partner_id = partner_names.setdefault(partner, partner)
        lon, lat = _location(row, where)
        try:
            demand = mbps_from_text(row["demand_mbps"]) if row.get("demand_mbps") else 0.0
        except ValueError as err:
            raise InputError(f"{where}: demand_mbps: {err}") from None
        address = _address(row, where)
        sites.append(Site(site_id, row.get("name") or site_id, partner_id, lon, lat, role, "", demand, address))
    partners = [Partner(pid, text, PALETTE[i % len(PALETTE)]) for i, (text, pid) in enumerate(partner_names.items())]
    return partners, sites


def read_sites_csv(path: str | os.PathLike) -> tuple[list[Partner], list[Site]]:
    """Partners (named by the ``partner`` column) and sites from a CSV file."""
    path = Path(path)
    records = ((f"row {line}", row) for line, row in csv_records(path, SITE_COLUMNS))
    partners, sites = sites_from_records(path.name, records)
    if not sites:
        raise InputError(f"{path.name}: has a header but no sites")
    return partners, sites


def read_quotes_csv(
    path: str | os.PathLike, site_ids: set[str], tiers: Collection[str] = DEFAULT_TIER_NAMES
) -> list[Quote]:
    """Carrier quotes between known sites at the ``tiers`` of the tariff; the only links (and, with a
    ``bandwidth`` column, the only tiers) a design may then use."""
    path = Path(path)
    quotes: list[Quote] = []
    seen: dict[tuple, int] = {}
    for line, row in csv_records(path, [{"a", "b", "cost"}, {"a", "b", "install", "annual"}]):
        where = f"{path.name}: row {line}"
        a, b = row["a"], row["b"]
        for end, value in (("a", a), ("b", b)):
            if value not in site_ids:
                raise InputError(f"{where}: {end}: {shown(value)} is not a site id")
        _check_text(row, ("carrier",), where)
        if a == b:
            raise InputError(f"{where}: a link must join two different sites ({shown(a)} twice)")
        tier = row.get("bandwidth") or None
        if tier is not None and tier not in tiers:
            known = {t.upper(): t for t in tiers}
            if tier.upper() not in known:
                raise InputError(f"{where}: bandwidth: {shown(tier)} is not one of the tiers ({', '.join(tiers)})")
            tier = known[tier.upper()]
        key = (frozenset((a, b)), tier)
        if key in seen:
            at = f" at {tier}" if tier else ""
            raise InputError(f"{where}: the pair {a}-{b} is quoted twice{at} (also row {seen[key]})")
        seen[key] = line
        if row.get("cost"):  # one figure: the whole-term price
            install, annual = _money(row, "cost", where), 0
        else:
            install, annual = _money(row, "install", where), _money(row, "annual", where, "0")
        quotes.append(Quote(a, b, install, annual, row.get("carrier", ""), tier))
    if not quotes:
        raise InputError(f"{path.name}: has a header but no quotes, so no link could be used")
    return quotes


def project_from_csv(sites_path: str | os.PathLike, quotes_path: str | os.PathLike | None = None) -> Project:
    """A project built from a site list and, optionally, carrier quotes (priced on the default tariff).

    Raises ``InputError`` naming the sites file when its per-site demands cannot be routed
    (a partner with no hub to send them to).
    """
    partners, sites = read_sites_csv(sites_path)
    quotes = read_quotes_csv(quotes_path, {s.id for s in sites}) if quotes_path else []
    project = Project(name=Path(sites_path).stem, partners=partners, sites=sites, quotes=quotes)
    problems = traffic_problems(project)
    if problems:  # "sites[3] (id): ..." is the fourth site: row 5 of the file, after the header
        where = re.sub(r"^sites\[(\d+)\]", lambda m: f"row {int(m[1]) + 2}", problems[0])
        raise InputError(f"{Path(sites_path).name}: {where}")
    return project
