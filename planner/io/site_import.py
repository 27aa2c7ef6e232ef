"""Site lists from the files partners keep them in: CSV, XLSX, GeoJSON, GeoPackage, KML, Shapefile.

:func:`read_sites` reads any of them into partners and sites; :func:`plan_import`
fits what was read into a project (partners matched by name, clashing ids renamed)
without changing the project, so the app can preview it and apply it as one step.

Tables (CSV, the first sheet of an XLSX workbook) have the columns of
:mod:`planner.io.site_tables`. GIS files are read layer by layer (every layer with
points: KML folders, GeoPackage tables; a folder's name is the partner when the layer
has no partner column). They give each site's place by a point geometry,
reprojected to WGS84 from the layer's CRS (British National Grid layers are common);
their attribute columns ``id``, ``name``, ``partner`` and ``role`` are found whatever
their case, ids are generated when the layer has none, and the name comes from a
``name``-like column. Every problem names the file, the row or feature, and the field:
``sites.gpkg: feature 4: role: 'core' is not one of site, hub, optional``.
"""

from __future__ import annotations

import math
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import InputError
from planner.core.model import Partner, Project, Site
from planner.io.site_tables import SITE_COLUMNS, check_header, read_sites_csv, sites_from_records

__all__ = [
    "read_sites",
    "read_sites_xlsx",
    "xlsx_records",
    "read_sites_gis",
    "plan_import",
    "SiteImport",
    "READERS",
    "FILE_FILTER",
]

#: GIS attribute columns by the site field they give, in order of preference (lower case).
_GIS_COLUMNS = {
    "id": ("id", "site_id", "siteid"),
    "name": ("name", "site_name", "sitename"),
    "partner": ("partner", "partner_name", "organisation", "organization"),
    "role": ("role",),
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


def _missing(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a site list")


# -- tables ---------------------------------------------------------------------------------------
def xlsx_records(path: str | os.PathLike, required_any: list[set[str]], what: str) -> list[tuple[str, dict[str, str]]]:
    """``(row N, {lower-case column: text})`` for each non-blank row of a workbook's first sheet.

    The header (row 1) must hold one of the ``required_any`` column sets; ``what`` names
    what the file should hold, for messages (``sites``, ``demands``).
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    _missing(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise InputError(f"{path.name}: is not an Excel workbook (.xlsx)") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or not any(_text(c) for c in header):
            raise InputError(f"{path.name}: the first sheet is empty")
        columns = [_text(c).lower() for c in header]
        check_header(path.name, columns, required_any)
        records = []
        for number, row in enumerate(rows, start=2):
            cells = [_text(c) for c in row]
            if any(cells):
                records.append(
                    (f"row {number}", {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)})
                )
    finally:
        book.close()
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
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(f"{name}: cannot be read as {kind} ({reason})") from None
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
    layers = _point_layers(path, _GIS_KINDS.get(path.suffix.lower(), "a GIS layer"))

    def records() -> Iterator[tuple[str, dict[str, str]]]:
        count = 0
        for layer, frame in layers:
            columns = {str(c).lower(): str(c) for c in frame.columns if c != frame.geometry.name}
            found = {field: _column(columns, field) for field in _GIS_COLUMNS}
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
        raise InputError(f"{where}: geometry: is empty (a site needs a point)")
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
        placed.append(Site(site_id, site.name, partner_ids[site.partner], site.lon, site.lat, site.role, site.note))
    counts = {p.name: sum(s.partner == p.id for s in sites) for p in partners}
    return SiteImport(source, replace, tuple(placed), tuple(new_partners), tuple(renamed), tuple(counts.items()))
