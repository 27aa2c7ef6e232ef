"""Site lists from XLSX and GIS layers written by the tests themselves, and fitting them into a project."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from planner.core.errors import InputError
from planner.core.geo import lonlat_to_bng
from planner.core.model import Partner, Project, Site
from planner.io import site_import
from planner.io.site_import import plan_import, read_sites

LEEDS, YORK, HULL = (-1.5491, 53.8008), (-1.0815, 53.9600), (-0.3367, 53.7457)


def _xlsx(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("Notes").append(["not read"])
    book.save(path)
    return path


def _layer(path, columns: dict, points, crs="EPSG:4326", **kwargs):
    gpd.GeoDataFrame(columns, geometry=list(points), crs=crs).to_file(path, **kwargs)
    return path


def test_xlsx_first_sheet_with_numbers_blank_rows_and_any_case_header(tmp_path):
    path = _xlsx(
        tmp_path / "sites.xlsx",
        [
            ["ID", "Name", "Lat", "Lon", "Partner", "Role"],
            [101, "Leeds", LEEDS[1], LEEDS[0], "Council", "hub"],
            [None, None, None, None, None, None],
            ["YRK", "York", YORK[1], YORK[0], "Police", None],
        ],
    )
    partners, sites = read_sites(path)
    assert [p.name for p in partners] == ["Council", "Police"]
    assert [(s.id, s.name, s.role) for s in sites] == [("101", "Leeds", "hub"), ("YRK", "York", "site")]
    assert (sites[0].lon, sites[0].lat) == LEEDS


def test_xlsx_addresses_and_postcodes(tmp_path):
    path = _xlsx(
        tmp_path / "sites.xlsx",
        [
            ["ID", "Name", "Lat", "Lon", "ADDRESS", "Postcode"],
            ["L", "Leeds", LEEDS[1], LEEDS[0], "Civic Hall, Leeds", "LS1 1UR"],
            ["Y", "York", YORK[1], YORK[0], None, "YO1 7HH"],
        ],
    )
    assert [s.address for s in read_sites(path)[1]] == ["Civic Hall, Leeds, LS1 1UR", "YO1 7HH"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["id", "name", "x", "y"]], "sites.xlsx: row 1: the header needs the columns"),
        ([["id", "name", "lat", "lon"]], "sites.xlsx: has a header but no sites"),
        ([["id", "name", "lat", "lon"], ["a", "A", 53, -1], ["b", "B", 95.2, -1]], "sites.xlsx: row 3: lat: 95.2 is"),
        ([["id", "name", "lat", "lon"], ["a", "A", "north", -1]], "sites.xlsx: row 2: lat: 'north' is not a number"),
        ([["id", "name", "lat", "lon"], ["a", "A", 53, -1], ["a", "B", 54, -1]], "sites.xlsx: row 3: id: 'a' is used"),
    ],
)
def test_bad_xlsx_names_file_row_and_field(tmp_path, rows, message):
    with pytest.raises(InputError) as err:
        read_sites(_xlsx(tmp_path / "sites.xlsx", rows))
    assert str(err.value).startswith(message)


def test_a_file_that_is_not_a_workbook_or_not_a_site_list(tmp_path):
    path = tmp_path / "sites.xlsx"
    path.write_bytes(b"id,name\n")
    with pytest.raises(InputError, match=r"^sites.xlsx: is not an Excel workbook \(.xlsx\)$"):
        read_sites(path)
    with pytest.raises(InputError, match=r"^sites.txt: is not a kind of site list this app reads \(.csv, "):
        read_sites(tmp_path / "sites.txt")
    with pytest.raises(InputError, match="no such file"):
        read_sites(tmp_path / "absent.gpkg")


_SHEET = "xl/worksheets/sheet1.xml"
_ROWS = [["id", "name", "lat", "lon"], ["a", "Alpha", 53, -1], ["b", "Beta", 54, -1]]
_LAUGHS = "".join(f'<!ENTITY l{i + 1} "{f"&l{i};" * 10}">' for i in range(8))
_DOCTYPE = {
    "laughs": f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{_LAUGHS}]>',
    "xxe": '<!DOCTYPE worksheet [<!ENTITY l8 SYSTEM "file:///etc/passwd">]>',
}


def _rewritten(path, member: str, change) -> None:
    """``path`` with one zip member's bytes replaced by ``change(bytes)``."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for filename, data in members:
            out.writestr(filename, change(data) if filename == member else data)


def _entity_sheet(kind: str):
    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet", _DOCTYPE[kind].encode() + b"<worksheet", 1)
        return xml.replace(b">Alpha<", b">&l8;<")

    return change


def _shared_string(index: bytes):
    def change(xml: bytes) -> bytes:
        return xml.replace(
            b'<c r="B2" t="inlineStr"><is><t>Alpha</t></is></c>', b'<c r="B2" t="s"><v>' + index + b"</v></c>"
        )

    return change


@pytest.mark.parametrize(
    ("member", "change", "reason"),
    [
        (_SHEET, lambda xml: xml[:200], "unclosed token"),
        (_SHEET, _entity_sheet("laughs"), "limit on input amplification factor"),
        (_SHEET, _entity_sheet("xxe"), "undefined entity"),
        (_SHEET, _shared_string(b"99"), "list index out of range"),
        (_SHEET, lambda xml: xml.replace(b'r="B3"', b'r="ZZZZ3"'), "'ZZZZ' is not a valid column name"),
        (_SHEET, lambda xml: xml.replace(b"<v>53</v>", b"<v>" + b"1" * 5000 + b"</v>"), "Exceeds the limit"),
        (
            "xl/workbook.xml",
            lambda xml: xml.replace(b"<sheets>", b"<sheets><!--").replace(b"</sheets>", b"--></sheets>"),
            "list index out of range",
        ),
    ],
)
def test_a_damaged_workbook_is_one_line_naming_the_file(tmp_path, member, change, reason):
    path = _xlsx(tmp_path / "sites.xlsx", _ROWS)
    _rewritten(path, member, change)
    with pytest.raises(InputError) as err:
        read_sites(path)
    message = str(err.value)
    assert message.startswith("sites.xlsx: cannot be read as an Excel workbook, it is damaged (")
    assert reason in message and "\n" not in message and "passwd" not in message


def test_a_bit_flipped_workbook_is_one_line_naming_the_file(tmp_path):
    path = _xlsx(tmp_path / "sites.xlsx", _ROWS)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(_SHEET)
    data = bytearray(path.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + len(info.extra) + 5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"^sites.xlsx: cannot be read as an Excel workbook, it is damaged \(Error -3"):
        read_sites(path)


def test_a_workbook_claiming_a_zip_version_python_lacks_is_one_line(tmp_path):
    path = _xlsx(tmp_path / "sites.xlsx", _ROWS)
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry: its version needed to extract
    data[entry + 6 : entry + 8] = (84).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"^sites.xlsx: cannot be read as an Excel workbook, it is damaged \(zip file"):
        read_sites(path)


def test_a_zip_bomb_is_refused_before_openpyxl_reads_it(tmp_path, monkeypatch):
    """A 1 MB file unpacking to 1 GiB once took 43 s and 1.1 GB; the members' declared sizes refuse it."""
    monkeypatch.setattr(site_import, "MAX_XLSX_BYTES", 2**20)
    monkeypatch.setattr("openpyxl.load_workbook", lambda *args, **kwargs: pytest.fail("openpyxl read the bomb"))
    path = _xlsx(tmp_path / "sites.xlsx", _ROWS)
    _rewritten(path, _SHEET, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 2**21))
    assert path.stat().st_size < 2**16
    with pytest.raises(InputError, match=r"^sites.xlsx: would unpack to 2 MB, more than the 1 MB a workbook may \("):
        read_sites(path)


def test_a_sheet_recording_a_smaller_size_than_it_has_loses_no_rows(tmp_path):
    path = _xlsx(tmp_path / "sites.xlsx", _ROWS)
    _rewritten(path, _SHEET, lambda xml: xml.replace(b'<dimension ref="A1:D3"', b'<dimension ref="A1:D2"'))
    assert [s.id for s in read_sites(path)[1]] == ["a", "b"]


def test_a_row_past_the_last_a_worksheet_may_have_is_refused(tmp_path):
    path = _xlsx(tmp_path / "sites.xlsx", _ROWS)
    _rewritten(path, _SHEET, lambda xml: xml.replace(b'<row r="3"', b'<row r="99999999999"'))
    with pytest.raises(InputError, match=r"^sites.xlsx: has rows past row 1,048,576, the last a worksheet may have$"):
        read_sites(path)


def test_workbook_headers_and_text_are_checked_as_in_csv(tmp_path):
    path = _xlsx(tmp_path / "sites.xlsx", [["id", "name", "lat", "lon", "Name"], ["a", "A", 53, -1, "B"]])
    with pytest.raises(InputError, match=r"^sites.xlsx: row 1: the column 'name' is given twice \(columns 2 and 5\)"):
        read_sites(path)
    path = _xlsx(tmp_path / "sites.xlsx", _ROWS)
    _rewritten(path, _SHEET, lambda xml: xml.replace(b">Alpha<", b">Al\npha<"))
    with pytest.raises(InputError, match=r"^sites.xlsx: row 2: name: 'Al\\npha': character 3 is a line break"):
        read_sites(path)


def _kml(path, coordinates: str):
    placemarks = f"<Placemark><name>Leeds</name><Point><coordinates>{LEEDS[0]},{LEEDS[1]}</coordinates></Point>"
    placemarks += f"</Placemark><Placemark><name>Bad</name><Point><coordinates>{coordinates}</coordinates></Point>"
    path.write_text(f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{placemarks}</Placemark></Document></kml>')
    return path


@pytest.mark.parametrize("coordinates", ["nan,nan", "abc,def", "inf,-inf", "", "-1.5", "5_3.8,1", "0x10,53", "1,2,3,4"])
def test_kml_coordinates_that_are_not_numbers_are_refused_not_sites_at_0_0(tmp_path, coordinates):
    with pytest.raises(InputError) as err:
        read_sites(_kml(tmp_path / "sites.kml", coordinates))
    assert str(err.value) == (
        f"sites.kml: placemark 2 ('Bad'): coordinates: {coordinates!r} is not lon,lat (or lon,lat,altitude) in numbers"
    )


def test_kml_coordinates_may_have_an_altitude_and_spaces_around_commas(tmp_path):
    _, sites = read_sites(_kml(tmp_path / "sites.kml", " -1.0815 , 53.96 ,0 "))
    assert [(s.lon, s.lat) for s in sites] == [LEEDS, YORK]


def _geojson(path, properties: str, coordinates: str = "[-1.0815, 53.96]"):
    """A GeoJSON file of a point at Leeds, then one with ``properties`` at ``coordinates``."""
    geometry = f'{{"type": "Point", "coordinates": {coordinates}}}'
    leeds = '{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-1.5, 53.8]}}'
    feature = f'{{"type": "Feature", "properties": {properties}, "geometry": {geometry}}}'
    path.write_text(f'{{"type": "FeatureCollection", "features": [{leeds}, {feature}]}}')
    return path


@pytest.mark.parametrize(
    ("properties", "coordinates", "message"),
    [
        ('{"name": "Le\\u0000eds"}', None, r"^s.geojson: line 1: a text holds a NUL character \(\\u0000\); remove it$"),
        ('{"name": "Le\\u0007eds"}', None, r"^s.geojson: feature 2: name: 'Le\\x07eds': character 3 is a control"),
        ('{"name": "A", "Name": "B"}', None, r"^s.geojson: the columns 'name', 'Name' differ only in case: which is"),
        ('{"id": "A", "ID": "B"}', None, r"^s.geojson: the columns 'id', 'ID' differ only in case: which is the id\?$"),
        ('{"name": "A"}', "[NaN, NaN]", r"^s.geojson: feature 2: geometry: is empty or not a valid point"),
        ('{"name": "A"}', '["abc", "def"]', r"^s.geojson: feature 2: geometry: is empty or not a valid point"),
        ('{"name": "A"}', "[Infinity, 53]", r"^s.geojson: feature 2: lon: 'inf' is not a number$"),
    ],
)
def test_hostile_geojson_is_refused_naming_the_feature(tmp_path, properties, coordinates, message):
    path = _geojson(tmp_path / "s.geojson", properties, *([coordinates] if coordinates else []))
    with pytest.raises(InputError, match=message):
        read_sites(path)


def test_an_escaped_backslash_before_u0000_is_not_nul(tmp_path):
    _, site = read_sites(_geojson(tmp_path / "s.geojson", '{"name": "C:\\\\u0000"}'))[1]
    assert site.name == "C:\\u0000"


def test_geojson_without_ids_takes_names_from_a_name_like_column(tmp_path):
    path = _layer(
        tmp_path / "sites.geojson",
        {"SITE_NAME": ["Leeds", "York"], "Partner": ["Council", "Police"], "ROLE": ["hub", ""]},
        [Point(LEEDS), Point(YORK)],
    )
    partners, sites = read_sites(path)
    assert [(s.id, s.name, s.partner, s.role) for s in sites] == [
        ("S1", "Leeds", "Council", "hub"),
        ("S2", "York", "Police", "site"),
    ]
    assert [p.name for p in partners] == ["Council", "Police"]


@pytest.mark.parametrize("suffix", [".gpkg", ".shp"])
def test_british_national_grid_layers_are_reprojected_to_wgs84(tmp_path, suffix):
    points = [Point(*lonlat_to_bng(*place)) for place in (LEEDS, YORK, HULL)]
    columns = {"id": ["L", "Y", "H"], "name": ["Leeds", "York", "Hull"]}
    path = _layer(tmp_path / f"sites{suffix}", columns, points, 27700)
    _, sites = read_sites(path)
    assert [s.id for s in sites] == ["L", "Y", "H"]
    for site, (lon, lat) in zip(sites, (LEEDS, YORK, HULL), strict=True):
        assert (site.lon, site.lat) == pytest.approx((lon, lat), abs=1e-5)


@pytest.mark.parametrize(
    ("suffix", "driver"), [(".gpkg", "GPKG"), (".geojson", "GeoJSON"), (".shp", None), (".kml", "KML")]
)
def test_gis_layers_give_each_site_its_address_and_postcode(tmp_path, suffix, driver):
    columns = {
        "name": ["Leeds", "York", "Hull"],
        "Address": ["Civic Hall, Leeds", "West Offices, York YO1 6GA", None],
        "ZIP": ["LS1 1UR", "YO1 6GA", "HU1 2AA"],
    }
    path = _layer(tmp_path / f"sites{suffix}", columns, [Point(LEEDS), Point(YORK), Point(HULL)], driver=driver)
    _, sites = read_sites(path)
    assert [s.address for s in sites] == ["Civic Hall, Leeds, LS1 1UR", "West Offices, York YO1 6GA", "HU1 2AA"]


def test_a_bad_address_in_a_layer_names_the_feature(tmp_path):
    path = _layer(tmp_path / "sites.gpkg", {"name": ["A"], "post_code": ["LS1\n1UR"]}, [Point(LEEDS)])
    with pytest.raises(InputError, match=r"^sites.gpkg: feature 1: postcode: 'LS1\\n1UR': character 4 is a line break"):
        read_sites(path)


def test_kml_placemarks(tmp_path):
    path = _layer(tmp_path / "sites.kml", {"Name": ["Leeds", "Hull"]}, [Point(LEEDS), Point(HULL)], driver="KML")
    _, sites = read_sites(path)
    assert [(s.id, s.name) for s in sites] == [("sites.1", "Leeds"), ("sites.2", "Hull")]  # the placemark ids
    assert (sites[1].lon, sites[1].lat) == pytest.approx(HULL)


def test_kml_placemarks_without_ids_as_google_earth_writes_them(tmp_path):
    path = tmp_path / "sites.kml"
    placemarks = "".join(
        f"<Placemark><name>{name}</name><Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>"
        for name, (lon, lat) in (("Leeds", LEEDS), ("York", YORK))
    )
    path.write_text(f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{placemarks}</Document></kml>')
    _, sites = read_sites(path)
    assert [(s.id, s.name, s.lon, s.lat) for s in sites] == [("S1", "Leeds", *LEEDS), ("S2", "York", *YORK)]


def test_a_geopackage_reads_its_point_layer(tmp_path):
    path = tmp_path / "region.gpkg"
    _layer(path, {"name": ["boundary"]}, [Polygon([(0, 50), (1, 50), (1, 51)])], layer="areas")
    _layer(path, {"name": ["Leeds"]}, [Point(LEEDS)], layer="sites")
    assert [s.name for s in read_sites(path)[1]] == ["Leeds"]


def test_kml_folders_are_all_read_each_folder_a_partner(tmp_path):
    """Google My Maps and Earth keep one folder per organisation; a boundary folder is not sites."""
    path = tmp_path / "partners.kml"

    def folder(name: str, body: str) -> str:
        return f"<Folder><name>{name}</name>{body}</Folder>"

    def placemark(name: str, lon: float, lat: float) -> str:
        return f"<Placemark><name>{name}</name><Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>"

    area = "<Placemark><name>Area</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
    area += "-1,53,0 -1,54,0 -2,54,0 -1,53,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
    folders = folder("Police", placemark("Leeds HQ", *LEEDS) + placemark("York", *YORK))
    folders += folder("Boundary", area) + folder("Council", placemark("Hull Guildhall", *HULL))
    path.write_text(f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{folders}</Document></kml>')
    partners, sites = read_sites(path)
    assert [p.name for p in partners] == ["Police", "Council"]
    assert [(s.id, s.name, s.partner) for s in sites] == [
        ("S1", "Leeds HQ", "Police"),
        ("S2", "York", "Police"),
        ("S3", "Hull Guildhall", "Council"),
    ]


def test_every_point_layer_of_a_geopackage_is_read_with_its_own_partner_column(tmp_path):
    path = tmp_path / "region.gpkg"
    _layer(path, {"name": ["Leeds"], "partner": ["Leeds City Council"]}, [Point(LEEDS)], layer="offices")
    _layer(path, {"name": ["York", "Hull"], "partner": ["NYP", "HP"]}, [Point(YORK), Point(HULL)], layer="police")
    _, sites = read_sites(path)
    assert [(s.name, s.partner) for s in sites] == [("Leeds", "Leeds City Council"), ("York", "NYP"), ("Hull", "HP")]


def test_a_file_with_no_points_says_so(tmp_path):
    path = _layer(tmp_path / "areas.gpkg", {"name": ["boundary"]}, [Polygon([(0, 50), (1, 50), (1, 51)])])
    with pytest.raises(InputError, match=r"^areas.gpkg: no layer holds points \(a site needs a point\)$"):
        read_sites(path)


@pytest.mark.parametrize(
    ("columns", "geometry", "crs", "message"),
    [
        (
            {"name": ["A", "B"]},
            [Point(LEEDS), Polygon([(0, 50), (1, 50), (1, 51)])],
            "EPSG:4326",
            "sites.gpkg: feature 2: geometry: is a Polygon, not a point",
        ),
        (
            {"name": ["A"], "role": ["core"]},
            [Point(LEEDS)],
            "EPSG:4326",
            "sites.gpkg: feature 1: role: 'core' is not one of site, hub, optional",
        ),
        (
            {"Id": ["A", "A"]},
            [Point(LEEDS), Point(YORK)],
            "EPSG:4326",
            "sites.gpkg: feature 2: id: 'A' is used twice (also feature 1)",
        ),
        (
            {"id": ["A", ""]},
            [Point(LEEDS), Point(YORK)],
            "EPSG:4326",
            "sites.gpkg: feature 2: id: is empty",
        ),
        (
            {"name": ["A", "B"]},
            [Point(LEEDS), None],
            "EPSG:4326",
            "sites.gpkg: feature 2: geometry: is empty or not a valid point (a site needs a point)",
        ),
    ],
)
def test_bad_layers_name_file_feature_and_field(tmp_path, columns, geometry, crs, message):
    path = _layer(tmp_path / "sites.gpkg", columns, geometry, crs)
    with pytest.raises(InputError) as err:
        read_sites(path)
    assert str(err.value).startswith(message)


def test_a_shapefile_without_its_prj_in_grid_metres_is_refused(tmp_path):
    path = _layer(tmp_path / "sites.shp", {"name": ["Leeds"]}, [Point(*lonlat_to_bng(*LEEDS))], 27700)
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputError, match=r"^sites.shp: the layer has no coordinate reference system and its coord"):
        read_sites(path)


def test_an_unreadable_layer_names_the_file(tmp_path):
    path = tmp_path / "sites.gpkg"
    path.write_text("not a database")
    with pytest.raises(InputError, match=r"^sites.gpkg: cannot be read as a GeoPackage \("):
        read_sites(path)


@pytest.fixture
def project():
    return Project(
        partners=[Partner("LCC", "Leeds City Council", "#E69F00")],
        sites=[Site("L", "Leeds", "LCC", *LEEDS), Site("L-2", "Leeds 2", "LCC", *LEEDS)],
    )


def test_plan_matches_partners_by_name_and_renames_clashing_ids(project):
    partners = [Partner("leeds city council", "leeds city council"), Partner("Hull Police", "Hull Police")]
    sites = [Site("L", "Leeds hub", "leeds city council", *LEEDS), Site("H", "Hull", "Hull Police", *HULL)]
    plan = plan_import(project, partners, sites, source="sites.csv")
    assert [(s.id, s.partner) for s in plan.sites] == [("L-3", "LCC"), ("H", "HP")]
    assert plan.renamed == (("L", "L-3"),)
    assert [(p.id, p.name) for p in plan.new_partners] == [("HP", "Hull Police")]
    assert plan.new_partners[0].colour != "#E69F00"
    assert plan.partners_found == (("leeds city council", 1), ("Hull Police", 1))
    assert len(project.sites) == 2 and len(project.partners) == 1  # the project itself is untouched


def test_plan_to_replace_keeps_the_ids(project):
    plan = plan_import(project, [Partner("X", "X")], [Site("L", "Leeds", "X", *LEEDS)], replace=True)
    assert plan.renamed == () and plan.sites[0].id == "L" and plan.replace


def test_an_imported_site_keeps_its_traffic_note_and_address(project):
    sites = [Site("H", "Hull", "Hull Police", *HULL, "hub", "data centre", 250.0, "Guildhall, Hull HU1 2AA")]
    (placed,) = plan_import(project, [Partner("Hull Police", "Hull Police")], sites).sites
    assert (placed.role, placed.note, placed.demand_mbps) == ("hub", "data centre", 250.0)
    assert placed.address == "Guildhall, Hull HU1 2AA"
