"""Hostile site lists, quotes and demands: the importers return valid data or raise ``PlannerError``, nothing else.

Valid means what the rest of the app relies on: finite coordinates in range, taken from
cells that are plain numbers, ids unique and not empty, text fields one printable line
(so no later export or save fails on them), amounts and rates finite and in range.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import PlannerError
from planner.core.model import MAX_ADDRESS_CHARS, Partner, Project, Site
from planner.core.money import MAX_POUNDS
from planner.io.demand_tables import read_demands
from planner.io.site_import import read_sites
from planner.io.site_tables import POSTCODE_COLUMNS, read_quotes_csv

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(FUZZ, max_examples=25)

#: The test's own idea of a plain decimal number (not the importers').
_PLAIN = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
#: Characters no text field may keep: controls, line breaks, surrogates, XML non-characters.
_BAD_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

_HOSTILE_CHARS = st.sampled_from(
    ["\x00", "\x07", "\t", "\n", "\r", "\x1b", "\x85", "\u2028", "\ufffe", "\ud800", "\u200b", "é"]
)
texts = st.one_of(
    st.text(max_size=12),
    st.text(st.one_of(st.characters(codec="utf-8"), _HOSTILE_CHARS), max_size=12),
    st.sampled_from(["", " ", "Leeds", "hub", "optional", "site", "HUB", "x" * 300]),
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**400), 10**400).map(str),
    st.sampled_from(
        ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "5_3.8", "0x10", "1,5", "53.8", "-1.5", ".5", "5.",
         "1e-400", "\uff15\uff13", "٥٣", " 53 ", "+53", "--1", "", "1e99999999999999999999", "£12", "£1,234.50"]
    ),
)  # fmt: skip
cells = st.one_of(texts, numbers)
#: The sites quotes and demands join.
SITE_IDS = ["LDS", "YRK", "HUL", "SHF", "hub"]
_AMOUNTS = st.one_of(st.sampled_from(["£1,250", "99.99", "1.2E+05", "0"]), st.integers(0, 10**6).map(str))
#: What each column usually holds, so that many rows are read and their result checked.
PLAUSIBLE = {
    "id": st.text("ABCLYZ0123-", min_size=1, max_size=4),
    "name": st.sampled_from(["Leeds", "York Hub", "Ó Briain House", "Leeds\u200dCivic"]),
    "lat": st.floats(-89, 89).map(lambda x: repr(round(x, 4))),
    "lon": st.floats(-179, 179).map(lambda x: repr(round(x, 4))),
    "easting": st.integers(0, 700_000).map(str),
    "northing": st.integers(0, 1_300_000).map(str),
    "grid_ref": st.sampled_from(["SE 2990 3350", "TQ 30 80", "SE2990033500"]),
    "partner": st.sampled_from(["Police", "Council", ""]),
    "role": st.sampled_from(["site", "hub", "optional", "Hub", ""]),
    "demand_mbps": st.sampled_from(["", "100", "2.5e3", "0"]),
    "address": st.sampled_from(["", "Civic Hall, Leeds LS1 1UR", "Elland Road, Leeds", "x" * 199]),
    **dict.fromkeys(POSTCODE_COLUMNS, st.sampled_from(["", "LS1 1UR", "ls11ur", "90210"])),
    "a": st.sampled_from(SITE_IDS),
    "b": st.sampled_from(SITE_IDS),
    "cost": _AMOUNTS,
    "install": _AMOUNTS,
    "annual": _AMOUNTS,
    "carrier": st.sampled_from(["BT", "Virgin Media", ""]),
    "bandwidth": st.sampled_from(["", "100M", "1g"]),
    "mbps": st.sampled_from(["100", "2.5e3", "0.5"]),
}


def _mostly(usual: st.SearchStrategy, hostile: st.SearchStrategy) -> st.SearchStrategy:
    """``usual`` four times in five, else ``hostile``."""
    return st.integers(0, 9).flatmap(lambda dice: usual if dice < 8 else hostile)


def _cell(column: str) -> st.SearchStrategy[str]:
    """A cell of ``column``: mostly what it usually holds, else hostile text or a number."""
    return _mostly(PLAUSIBLE.get(column.strip().lower(), texts), cells)


SITE_FIELDS = [
    *("id", "name", "lat", "lon", "easting", "northing", "grid_ref", "partner", "role", "demand_mbps", "address"),
    *POSTCODE_COLUMNS,
]


def _spelt(column: str) -> st.SearchStrategy[str]:
    """``column`` as a person might head it: any case, spaces around it."""
    return st.tuples(st.sampled_from(["", " "]), st.sampled_from([column, column.upper(), column.title()])).map(
        lambda pair: f"{pair[0]}{pair[1]}{pair[0]}"
    )


def _header(fields: list[str]) -> st.SearchStrategy[list[str]]:
    """Some of ``fields`` in any spelling, some perhaps twice."""
    chosen = st.lists(st.sampled_from(fields), min_size=1, max_size=len(fields) + 2)
    return chosen.flatmap(lambda names: st.tuples(*(_spelt(n) for n in names)).map(list))


def _table(fields: list[str], required: list[str]) -> st.SearchStrategy[list[list[str]]]:
    """A header (often the ``required`` columns and perhaps a few more, some again), then rows of cells."""
    others = [f for f in fields if f not in required]
    complete = st.lists(st.sampled_from(others), max_size=2, unique=True).flatmap(
        lambda extra: st.permutations([*required, *extra]).flatmap(lambda names: st.tuples(*map(_spelt, names)))
    )
    header = st.integers(0, 3).flatmap(lambda dice: complete.map(list) if dice else _header(fields))

    def rows(h: list[str]) -> st.SearchStrategy[list[list[str]]]:
        row = st.tuples(*map(_cell, h)).map(list)
        return st.lists(row, min_size=1, max_size=4).map(lambda rows: [h, *rows])

    return header.flatmap(rows)


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _write(path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def _check_sites(read: tuple[list[Partner], list[Site]]) -> None:
    partners, sites = read
    assert sites and len({s.id for s in sites}) == len(sites)
    for site in sites:
        assert site.id
        for text in (site.id, site.name, site.partner, site.address, *(p.name for p in partners)):
            assert not _BAD_TEXT.search(text), text
        assert len(site.address) <= MAX_ADDRESS_CHARS
        assert math.isfinite(site.lon) and -180 <= site.lon <= 180
        assert math.isfinite(site.lat) and -90 <= site.lat <= 90
        assert math.isfinite(site.demand_mbps) and site.demand_mbps >= 0


def _read_or_refuse(read, *args):
    """What ``read(*args)`` returns, or ``None`` when it refuses with a ``PlannerError`` (anything else fails)."""
    try:
        return read(*args)
    except PlannerError as err:
        assert "\n" not in str(err) and str(err).strip(), repr(str(err))
        return None


# -- tables -----------------------------------------------------------------------------------------
@FUZZ
@given(rows=_table(SITE_FIELDS, ["id", "name", "lat", "lon"]))
def test_hostile_csv_site_lists(tmp_path, rows):
    path = tmp_path / "sites.csv"
    _write(path, _csv_text(rows))
    read = _read_or_refuse(read_sites, path)
    if read is None:
        return
    _check_sites(read)
    header = [c.strip().lower() for c in rows[0]]
    assert len(set(header)) == len(header), "a column named twice was read"
    if "lat" in header:  # a site placed by lat/lon came from plain numbers
        for site, row in zip(read[1], [r for r in rows[1:] if any(c.strip() for c in r)], strict=True):
            text = row[header.index("lat")].strip()
            assert not text or (_PLAIN.fullmatch(text) and float(text) == site.lat)
    postcodes = [header.index(c) for c in POSTCODE_COLUMNS if c in header]
    for site, row in zip(read[1], [r for r in rows[1:] if any(c.strip() for c in r)], strict=True):
        given = [row[i].strip() for i in postcodes if i < len(row) and row[i].strip()]
        address = row[header.index("address")].strip() if "address" in header else ""
        assert not given or _squeezed(given[0]) in _squeezed(site.address)  # the first postcode column given
        assert site.address.startswith(address)


def _squeezed(text: str) -> str:
    return "".join(text.split()).upper()


@FUZZ
@given(data=st.binary(max_size=200), header=st.booleans())
def test_random_bytes_as_csv(tmp_path, data, header):
    path = tmp_path / "sites.csv"
    path.write_bytes((b"id,name,lat,lon\n" if header else b"") + data)
    read = _read_or_refuse(read_sites, path)
    if read is not None:
        _check_sites(read)


@FUZZ
@given(rows=_table(["a", "b", "cost", "install", "annual", "carrier", "bandwidth"], ["a", "b", "cost", "carrier"]))
def test_hostile_csv_quotes(tmp_path, rows):
    path = tmp_path / "quotes.csv"
    _write(path, _csv_text(rows))
    ids = {*SITE_IDS, "", " ", "x" * 300}
    quotes = _read_or_refuse(read_quotes_csv, path, ids)
    for quote in quotes or ():
        assert quote.a in ids and quote.b in ids and quote.a != quote.b
        assert 0 <= quote.install <= MAX_POUNDS * 100 and 0 <= quote.annual <= MAX_POUNDS * 100
        assert not _BAD_TEXT.search(quote.carrier)


@FUZZ
@given(rows=_table(["a", "b", "mbps", "note"], ["a", "b", "mbps"]))
def test_hostile_csv_demands(tmp_path, rows):
    path = tmp_path / "demands.csv"
    _write(path, _csv_text(rows))
    sites = [
        Site(site_id, site_id, "P", -1.5 + i / 10, 53.8, "hub" if i % 2 else "site")
        for i, site_id in enumerate(SITE_IDS)
    ]
    project = Project(partners=[Partner("P", "P")], sites=sites)
    for demand in _read_or_refuse(read_demands, path, project) or ():
        assert math.isfinite(demand.mbps) and demand.mbps >= 0


# -- workbooks --------------------------------------------------------------------------------------
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xlsx_value(text: str, as_number: bool) -> str | float | None:
    """A cell as a workbook holds it: a plain number perhaps as a number, text without what XML forbids."""
    if as_number and _PLAIN.fullmatch(text.strip()) and math.isfinite(float(text)):
        return float(text)
    return _XML_ILLEGAL.sub("", text) or None


def _workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FEW
@given(rows=_table(SITE_FIELDS, ["id", "name", "lat", "lon"]), as_number=st.booleans())
def test_hostile_xlsx_site_lists(tmp_path, rows, as_number):
    path = tmp_path / "sites.xlsx"
    path.write_bytes(_workbook([[_xlsx_value(cell, as_number) for cell in row] for row in rows]))
    read = _read_or_refuse(read_sites, path)
    if read is not None:
        _check_sites(read)


_GOOD_BOOK = _workbook([["id", "name", "lat", "lon"], ["a", "Alpha", 53.8, -1.5], ["b", "Beta", 54, -1]])


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, len(_GOOD_BOOK) - 1), st.integers(1, 255)), min_size=1, max_size=4),
    cut=st.none() | st.integers(0, len(_GOOD_BOOK)),
)
def test_damaged_xlsx_bytes(tmp_path, flips, cut):
    data = bytearray(_GOOD_BOOK)
    for at, mask in flips:
        data[at] ^= mask
    path = tmp_path / "sites.xlsx"
    path.write_bytes(bytes(data[:cut]))
    read = _read_or_refuse(read_sites, path)
    if read is not None:
        _check_sites(read)


_SHEET_XML = zipfile.ZipFile(io.BytesIO(_GOOD_BOOK)).read("xl/worksheets/sheet1.xml").decode()
xml_fragments = st.sampled_from(
    ['<c r="B2" t="s"><v>7</v></c>', '<c r="C2"><v>nan</v></c>', '<c r="C2"><v>1e400</v></c>', "&undefined;",
     '<row r="-3">', '<row r="abc">', '<c r="A0">', "<![CDATA[x]]>", "&#0;", "&#x7;", "</sheetData>", "<", "&lt;",
     '<c r="C2" t="d"><v>99999-99-99</v></c>', '<c r="B2" t="inlineStr"><is><t>a\nb</t></is></c>', '<row r="2000000">']
)  # fmt: skip


@FUZZ
@given(at=st.integers(0, len(_SHEET_XML)), fragment=xml_fragments)
def test_malformed_sheet_xml(tmp_path, at, fragment):
    path = tmp_path / "sites.xlsx"
    with zipfile.ZipFile(io.BytesIO(_GOOD_BOOK)) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (_SHEET_XML[:at] + fragment + _SHEET_XML[at:]).encode()
            out.writestr(info.filename, data)
    read = _read_or_refuse(read_sites, path)
    if read is not None:
        _check_sites(read)


# -- GIS files --------------------------------------------------------------------------------------
json_values = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "null", "true", '"abc"', '"53.8"', "[]", "{}", "1" * 30]),
)
lonlat = st.tuples(st.floats(-179, 179), st.floats(-89, 89))
coordinates = _mostly(
    lonlat.map(list).map(json.dumps),
    st.lists(json_values, max_size=4).map(lambda values: f"[{', '.join(values)}]"),
)
properties = st.dictionaries(
    st.sampled_from(["id", "ID", "name", "Name", "site_name", "partner", "role", "note", "address", "Postcode", "ZIP"]),
    _mostly(PLAUSIBLE["name"], st.one_of(texts, st.floats(), st.integers(-(10**20), 10**20), st.none())),
    max_size=3,
)


@FEW
@given(features=st.lists(st.tuples(properties, coordinates), min_size=1, max_size=4))
def test_hostile_geojson(tmp_path, features):
    def feature(props: dict, where: str) -> str:
        text = json.dumps(props, ensure_ascii=True)  # lone surrogates and NUL as \\u escapes
        return f'{{"type": "Feature", "properties": {text}, "geometry": {{"type": "Point", "coordinates": {where}}}}}'

    path = tmp_path / "sites.geojson"
    body = ", ".join(feature(props, where) for props, where in features)
    path.write_text(f'{{"type": "FeatureCollection", "features": [{body}]}}')
    read = _read_or_refuse(read_sites, path)
    if read is not None:
        _check_sites(read)


kml_coordinates = _mostly(
    lonlat.map(lambda point: f"{point[0]!r},{point[1]!r}"),
    st.one_of(
        st.lists(st.one_of(st.floats(-180, 180).map(repr), numbers), min_size=1, max_size=4).map(",".join),
        st.text(st.sampled_from("0123456789.,-e x"), max_size=15),
    ),
)


@FEW
@given(placemarks=st.lists(st.tuples(_mostly(PLAUSIBLE["name"], texts), kml_coordinates), min_size=1, max_size=4))
def test_hostile_kml(tmp_path, placemarks):
    body = "".join(
        f"<Placemark><name>{escape(name)}</name><Point><coordinates>{escape(where)}</coordinates></Point></Placemark>"
        for name, where in placemarks
    )
    path = tmp_path / "sites.kml"
    _write(path, f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>')
    read = _read_or_refuse(read_sites, path)
    if read is None:
        return
    _check_sites(read)
    for site, (_, where) in zip(read[1], placemarks, strict=True):  # GDAL's 0,0 for text it cannot read is refused
        parts = re.sub(r"\s*,\s*", ",", where.strip()).split(",")
        assert len(parts) in (2, 3) and all(_PLAIN.fullmatch(part) for part in parts), where
        assert (site.lon, site.lat) == (float(parts[0]), float(parts[1]))


@FEW
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".geojson", ".kml", ".gpkg", ".shp"]))
def test_random_bytes_as_gis_files(tmp_path, data, suffix):
    path = tmp_path / f"sites{suffix}"
    path.write_bytes(data)
    read = _read_or_refuse(read_sites, path)
    if read is not None:
        _check_sites(read)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".kml"])
def test_an_empty_file_is_refused(tmp_path, suffix):
    path = tmp_path / f"sites{suffix}"
    path.write_bytes(b"")
    assert _read_or_refuse(read_sites, path) is None
