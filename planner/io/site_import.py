"""Site lists from the files partners keep them in: CSV, XLSX, GeoJSON, GeoPackage, KML, Shapefile.

:func:`read_sites` reads any of them into partners and sites; :func:`plan_import`
fits what was read into a project (partners matched by name, clashing ids renamed)
without changing the project, so the app can preview it and apply it as one step.

Tables (CSV, the first sheet of an XLSX workbook) have the columns of
:mod:`planner.io.site_tables`. GIS files are read layer by layer (every layer with
points: KML folders, GeoPackage tables; a folder's name is the partner when the layer
has no partner column). They give each site's place by a point geometry,
reprojected to WGS84 from the layer's CRS (British National Grid layers are common);
their attribute columns ``id``, ``name``, ``partner``, ``role``, ``address`` and
``postcode`` (or ``post_code``, ``zip``) are found whatever their case, ids are
generated when the layer has none, and the name comes from a ``name``-like column.
Every problem names the file, the row or feature, and the field:
``sites.gpkg: feature 4: role: 'core' is not one of site, hub, optional``.

Hostile or damaged files are refused with such a line too: a workbook that would unpack
to more than :data:`MAX_XLSX_BYTES` (a zip bomb) before it is read, and one openpyxl
cannot read (a damaged zip, malformed XML, entity expansion, a missing shared string);
a KML point whose coordinates are not numbers (GDAL would read ``abc,def`` as 0,0); a
GeoJSON text holding NUL (GDAL cuts it there); two columns of a layer differing only in case.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import InputError
from planner.core.files import check_regular_file
from planner.core.model import Partner, Project, Site
from planner.io.site_tables import (
    MAX_IMPORT_BYTES,
    POSTCODE_COLUMNS,
    SITE_COLUMNS,
    check_header,
    csv_records,
    read_sites_csv,
    sites_from_records,
)
from planner.io.text_clean import is_plain_number, shown

__all__ = [
    "read_sites",
    "read_sites_xlsx",
    "xlsx_records",
    "table_records",
    "read_sites_gis",
    "plan_import",
    "SiteImport",
    "READERS",
    "FILE_FILTER",
    "MAX_XLSX_BYTES",
    "MAX_IMPORT_BYTES",
]

#: The most a workbook's contents may unpack to (100 MB): a site list of 100,000 rows is about
#: 20 MB, so more is a zip bomb or not a site list, and is refused before it is read.
MAX_XLSX_BYTES = 100 * 2**20
#: The last row a worksheet may have (Excel's limit); rows past it are a damaged file.
_LAST_ROW = 1_048_576

#: GIS attribute columns by the site field they give, in order of preference (lower case).
_GIS_COLUMNS = {
    "id": ("id", "site_id", "siteid"),
    "name": ("name", "site_name", "sitename"),
    "partner": ("partner", "partner_name", "organisation", "organization"),
    "role": ("role",),
    "address": ("address",),
    "postcode": POSTCODE_COLUMNS,
}
_GIS_KINDS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "a GeoPackage",
    ".kml": "KML",
    ".shp": "a Shapefile",
}


def _text(value: object) -> str:
    """A cell or attribute as text: empty for blanks, whole numbers without ``.0``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _missing(path: Path, what: str = "a site list") -> None:
    """Refuse what is not a regular file of at most :data:`MAX_IMPORT_BYTES` (a folder, a named pipe
    that would block, a device such as ``/dev/zero`` that never ends) before it is opened."""
    check_regular_file(path, what, MAX_IMPORT_BYTES)


# -- tables ---------------------------------------------------------------------------------------
def _reason(err: BaseException) -> str:
    """The first line of an exception's message, shortened, for the end of a one-line message."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text if len(text) <= 80 else text[:80] + "…"


def _check_unpacked_size(path: Path) -> None:
    """Refuse a workbook that is not a zip, or whose members would unpack to more than :data:`MAX_XLSX_BYTES`.

    The sizes are those the zip declares; Python's zipfile never unpacks a member past its
    declared size (it fails the member's checksum instead), so they bound what openpyxl reads.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise InputError(f"{path.name}: is not an Excel workbook (.xlsx)") from None
    except NotImplementedError as err:  # a damaged header can claim a zip version or method Python lacks
        raise InputError(f"{path.name}: cannot be read as an Excel workbook, it is damaged ({_reason(err)})") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or _reason(err)})") from None
    if size > MAX_XLSX_BYTES:
        raise InputError(
            f"{path.name}: would unpack to {size / 2**20:,.0f} MB, more than the {MAX_XLSX_BYTES // 2**20} MB "
            "a workbook may (is it damaged, or a zip bomb?)"
        )


def _sheet_rows(path: Path) -> list[tuple]:
    """The values of the first sheet's rows as openpyxl reads them: the header, then each row cut to its width.

    The sheet's own record of its size is ignored (openpyxl trusts it, and some programs write it
    wrong, which would drop rows or pad every row to 16,384 columns); rows past Excel's last row are refused.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    book = None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
        rows = [header]
        if any(_text(c) for c in header):
            for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=len(header), values_only=True), 2):
                if number > _LAST_ROW:
                    raise InputError(f"{path.name}: has rows past row {_LAST_ROW:,}, the last a worksheet may have")
                rows.append(row)
    except InputError:
        raise
    except (InvalidFileException, KeyError):
        raise InputError(f"{path.name}: is not an Excel workbook (.xlsx)") from None
    except Exception as err:  # openpyxl passes on what its zip and XML readers raise for a damaged file:
        # zlib.error, BadZipFile, ParseError (also for entity expansion), IndexError, ValueError, …
        raise InputError(f"{path.name}: cannot be read as an Excel workbook, it is damaged ({_reason(err)})") from None
    finally:
        if book is not None:
            book.close()
    return rows


def xlsx_records(path: str | os.PathLike, required_any: list[set[str]], what: str) -> list[tuple[str, dict[str, str]]]:
    """``(row N, {lower-case column: text})`` for each non-blank row of a workbook's first sheet.

    The header (row 1) must hold one of the ``required_any`` column sets; ``what`` names
    what the file should hold, for messages (``sites``, ``demands``). A workbook that would
    unpack to more than :data:`MAX_XLSX_BYTES` is refused before openpyxl reads it.
    """
    path = Path(path)
    _missing(path, "an Excel workbook")
    _check_unpacked_size(path)
    header, *rows = _sheet_rows(path)
    if not any(_text(c) for c in header):
        raise InputError(f"{path.name}: the first sheet is empty")
    columns = [_text(c).lower() for c in header]
    check_header(path.name, columns, required_any)
    records = []
    for number, row in enumerate(rows, start=2):
        cells = [_text(c) for c in row]
        if any(cells):
            records.append((f"row {number}", {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)}))
    if not records:
        raise InputError(f"{path.name}: has a header but no {what}")
    return records


def table_records(path: str | os.PathLike, required_any: list[set[str]], what: str) -> list[tuple[str, dict[str, str]]]:
    """``(row N, {lower-case column: text})`` for each non-blank row of a CSV file, or of an XLSX
    workbook's first sheet (by its suffix); ``what`` names what the table holds (``demands``), and a
    table of a header alone is refused with it."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        records = xlsx_records(path, required_any, what)
    else:
        records = [(f"row {line}", row) for line, row in csv_records(path, required_any)]
    if not records:
        raise InputError(f"{path.name}: has a header but no {what}")
    return records


def read_sites_xlsx(path: str | os.PathLike) -> tuple[list[Partner], list[Site]]:
    """Partners and sites from the first sheet of an Excel workbook (the columns of a CSV site list)."""
    return sites_from_records(Path(path).name, xlsx_records(path, SITE_COLUMNS, "sites"))


# -- GIS layers --------------------------------------------------------------------------------------
def _column(columns: dict[str, str], field: str) -> str | None:
    """The layer's column for ``field``: a known alias, else (for names) any column with "name" in it."""
    for alias in _GIS_COLUMNS[field]:
        if alias in columns:
            return columns[alias]
    if field == "name":
        taken = {alias for aliases in _GIS_COLUMNS.values() for alias in aliases}
        return next((original for lower, original in columns.items() if "name" in lower and lower not in taken), None)
    return None


def _coordinates_problem(text: str) -> str | None:
    """Why a KML point's ``<coordinates>`` is not ``lon,lat`` or ``lon,lat,altitude`` in numbers, or ``None``."""
    points = re.sub(r"\s*,\s*", ",", text.strip()).split()
    if len(points) == 1 and len(points[0].split(",")) in (2, 3) and all(map(is_plain_number, points[0].split(","))):
        return None
    return f"{shown(text.strip())} is not lon,lat (or lon,lat,altitude) in numbers"


def _check_kml_points(path: Path) -> None:
    """Refuse a KML file with a point whose coordinates are not numbers, naming its placemark.

    GDAL reads ``abc,def``, ``nan,nan``, an empty point or a lone number as 0,0 (a site off the
    coast of Africa) and ``5_3.8`` as 5, so the coordinates are checked here before GDAL reads them.
    """
    from xml.etree.ElementTree import ParseError, iterparse

    placemark, name, inside = 0, "", []
    try:
        for event, element in iterparse(path, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                inside.append(tag)
                placemark += tag == "Placemark"
                continue
            inside.pop()
            parent = inside[-1] if inside else ""
            if tag == "name" and parent == "Placemark":
                name = (element.text or "").strip()
            elif tag == "coordinates" and parent == "Point":
                bad = _coordinates_problem(element.text or "")
                if bad:
                    called = f" ({shown(name)})" if name else ""
                    raise InputError(f"{path.name}: placemark {placemark}{called}: coordinates: {bad}")
            elif tag == "Placemark":
                name = ""
                element.clear()
    except ParseError as err:
        raise InputError(f"{path.name}: cannot be read as KML ({_reason(err)})") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or _reason(err)})") from None


#: A JSON ``\u0000`` escape (not an escaped backslash followed by ``u0000``).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _check_geojson_text(path: Path) -> None:
    """Refuse a GeoJSON file whose text holds NUL (``\u0000``): GDAL cuts a name there without a word."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or _reason(err)})") from None
    found = _JSON_NUL.search(data)
    if found:
        line = data.count(b"\n", 0, found.start()) + 1
        raise InputError(f"{path.name}: line {line}: a text holds a NUL character (\\u0000); remove it")


def _layer_columns(frame, where: str) -> dict[str, str | None]:
    """The layer's column for each site field (``None`` when it has none); ``InputError`` when two
    columns differ only in case (``Name``, ``NAME``), so that which is meant is unclear."""
    names = [str(c) for c in frame.columns if c != frame.geometry.name]
    found = {field: _column({c.lower(): c for c in names}, field) for field in _GIS_COLUMNS}
    count = Counter(c.lower() for c in names)
    for field, column in found.items():
        if column is not None and count[column.lower()] > 1:
            same = ", ".join(shown(c) for c in names if c.lower() == column.lower())
            raise InputError(f"{where}: the columns {same} differ only in case: which is the {field}?")
    return found


def _point_layers(path: Path, kind: str):
    """Each layer of ``path`` that holds points, as (layer name, GeoDataFrame in WGS84).

    Layers of other shapes (a boundary beside the sites) are left out; so are empty ones.
    KML folders are layers whose geometry type GDAL reports as unknown, so each is read to see.
    """
    import geopandas
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    name = path.name
    try:
        layers = [str(layer) for layer, _ in pyogrio.list_layers(path)]
        frames = [(layer, geopandas.read_file(path, layer=layer, engine="pyogrio")) for layer in layers]
    except (DataSourceError, DataLayerError, OSError, ValueError) as err:
        raise InputError(f"{name}: cannot be read as {kind} ({_reason(err)})") from None
    if all(frame.empty for _, frame in frames):
        raise InputError(f"{name}: the layer has no features")
    found = []
    for layer, frame in frames:
        if frame.empty or not frame.geom_type.isin(["Point", "MultiPoint"]).any():
            continue
        if frame.crs is None:
            bounds = frame.total_bounds
            if not (-180 <= bounds[0] <= bounds[2] <= 180 and -90 <= bounds[1] <= bounds[3] <= 90):
                raise InputError(
                    f"{name}: the layer has no coordinate reference system and its coordinates are not "
                    "longitude/latitude (is the .prj file missing?)"
                )
        elif not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        found.append((layer, frame))
    if not found:
        raise InputError(f"{name}: no layer holds points (a site needs a point)")
    return found


def read_sites_gis(path: str | os.PathLike) -> tuple[list[Partner], list[Site]]:
    """Partners and sites from the point features of a GIS file (GeoJSON, GeoPackage, KML, Shapefile).

    Every layer with points is read (a KML folder, a GeoPackage table); when there are several
    and a layer has no partner column, its name is the partner (a folder per organisation).
    """
    path = Path(path)
    _missing(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".kml":
        _check_kml_points(path)
    elif suffix in (".geojson", ".json"):
        _check_geojson_text(path)
    layers = _point_layers(path, _GIS_KINDS.get(suffix, "a GIS layer"))

    def records() -> Iterator[tuple[str, dict[str, str]]]:
        count = 0
        for layer, frame in layers:
            found = _layer_columns(frame, name if len(layers) == 1 else f"{name}: layer {layer}")
            if found["id"] is not None and not any(_text(v) for v in frame[found["id"]]):
                found["id"] = None  # an empty id column (KML placemarks often have one): generate ids
            values = {field: frame[column].tolist() if column else None for field, column in found.items()}
            for i, geometry in enumerate(frame.geometry):
                count += 1
                place = f"feature {i + 1}" if len(layers) == 1 else f"layer {layer}: feature {i + 1}"
                row = {field: _text(column[i]) if column else "" for field, column in values.items()}
                if found["id"] is None:
                    row["id"] = f"S{count}"
                if found["partner"] is None and len(layers) > 1:
                    row["partner"] = layer
                row["lon"], row["lat"] = _point(geometry, f"{name}: {place}")
                yield place, row

    return sites_from_records(name, records())


def _point(geometry, where: str) -> tuple[str, str]:
    """The (lon, lat) of a point geometry, as exact text for the shared site reader."""
    if geometry is None or geometry.is_empty:
        raise InputError(f"{where}: geometry: is empty or not a valid point (a site needs a point)")
    if geometry.geom_type == "MultiPoint" and len(geometry.geoms) == 1:
        geometry = geometry.geoms[0]
    if geometry.geom_type != "Point":
        raise InputError(f"{where}: geometry: is a {geometry.geom_type}, not a point")
    return repr(float(geometry.x)), repr(float(geometry.y))


#: Readers by file suffix.
READERS: dict[str, Callable[[str | os.PathLike], tuple[list[Partner], list[Site]]]] = {
    ".csv": read_sites_csv,
    ".xlsx": read_sites_xlsx,
    **dict.fromkeys(_GIS_KINDS, read_sites_gis),
}
#: The file dialog filter for every kind of site list.
FILE_FILTER = (
    "Site lists (*.csv *.xlsx *.geojson *.json *.gpkg *.kml *.shp);;CSV (*.csv);;Excel workbooks (*.xlsx);;"
    "GeoJSON (*.geojson *.json);;GeoPackage (*.gpkg);;KML (*.kml);;Shapefile (*.shp);;All files (*)"
)


def read_sites(path: str | os.PathLike) -> tuple[list[Partner], list[Site]]:
    """Partners and sites from a site list of any supported kind, chosen by the file's suffix.

    Partners are named as in the file (``id == name``); :func:`plan_import` matches them to
    a project's partners. Raises ``InputError`` with one line naming the file, the row or
    feature and the field.
    """
    path = Path(path)
    try:
        reader = READERS[path.suffix.lower()]
    except KeyError:
        kinds = ", ".join(sorted(READERS))
        raise InputError(f"{path.name}: is not a kind of site list this app reads ({kinds})") from None
    return reader(path)


# -- fitting a site list into a project -------------------------------------------------------------
@dataclass(frozen=True)
class SiteImport:
    """What importing a site list would do to a project."""

    source: str
    replace: bool
    #: The sites to add, with the project's partner ids and ids no other site uses.
    sites: tuple[Site, ...]
    #: Partners the project does not have yet, to be added with the sites.
    new_partners: tuple[Partner, ...]
    #: Site ids that were already used, and what they become.
    renamed: tuple[tuple[str, str], ...]
    #: Sites per partner name, as the file names them.
    partners_found: tuple[tuple[str, int], ...]


def _free_id(site_id: str, used: set[str]) -> str:
    """``site_id`` with the first ``-2``, ``-3``, … suffix not in ``used``.

    >>> _free_id("LDS", {"LDS", "LDS-2"})
    'LDS-3'
    """
    n = 2
    while f"{site_id}-{n}" in used:
        n += 1
    return f"{site_id}-{n}"


def plan_import(
    project: Project, partners: list[Partner], sites: list[Site], *, replace: bool = False, source: str = ""
) -> SiteImport:
    """How ``sites`` (as read by :func:`read_sites`) join ``project``; the project is not changed.

    Partners are matched to the project's by id or name (ignoring case), else added with a
    new id and colour. With ``replace`` the project's sites all go; otherwise a site whose id
    is taken is renamed (``LDS`` → ``LDS-2``) and reported, never merged.
    """
    known = {key.casefold(): p.id for p in project.partners for key in (p.id, p.name)}
    scratch = Project(partners=list(project.partners))
    partner_ids: dict[str, str] = {}
    new_partners: list[Partner] = []
    for partner in partners:
        match = known.get(partner.name.casefold()) or known.get(partner.id.casefold())
        if match is None:
            added = Partner(scratch.new_partner_id(partner.name), partner.name, scratch.next_colour())
            scratch.partners.append(added)
            new_partners.append(added)
            match = known[partner.name.casefold()] = added.id
        partner_ids[partner.id] = match
    taken = set() if replace else {s.id for s in project.sites}
    used = {s.id for s in sites} | taken
    renamed: list[tuple[str, str]] = []
    placed: list[Site] = []
    for site in sites:
        site_id = site.id
        if site_id in taken:
            site_id = _free_id(site.id, used)
            used.add(site_id)
            renamed.append((site.id, site_id))
        placed.append(dataclasses.replace(site, id=site_id, partner=partner_ids[site.partner]))
    counts = {p.name: sum(s.partner == p.id for s in sites) for p in partners}
    return SiteImport(source, replace, tuple(placed), tuple(new_partners), tuple(renamed), tuple(counts.items()))
