import pytest

from planner.core.errors import InputError
from planner.core.validate import project_problems
from planner.io.site_tables import project_from_csv, read_quotes_csv, read_sites_csv, sites_from_records


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sites_with_lat_lon_partners_and_roles(tmp_path):
    path = _csv(
        tmp_path,
        "sites.csv",
        "\ufeffID, Name ,lat,lon,partner,role\n"
        "LDS,Leeds,53.8008,-1.5491,Council,hub\n\nSHF,Sheffield,53.3811,-1.4701,Police,\n",
    )
    partners, sites = read_sites_csv(path)
    assert [p.name for p in partners] == ["Council", "Police"]
    assert [(s.id, s.name, s.partner, s.role) for s in sites] == [
        ("LDS", "Leeds", "Council", "hub"),
        ("SHF", "Sheffield", "Police", "site"),
    ]
    assert partners[0].colour != partners[1].colour


def test_sites_by_easting_northing_and_grid_reference(tmp_path):
    path = _csv(tmp_path, "bng.csv", "id,name,easting,northing\nLDS,Leeds,429900,433500\n")
    (site,) = read_sites_csv(path)[1]
    assert (site.lon, site.lat) == pytest.approx((-1.5476, 53.7970), abs=2e-4)
    path = _csv(tmp_path, "ref.csv", "id,name,grid_ref\nLDS,Leeds,SE 2990 3350\n")
    (by_ref,) = read_sites_csv(path)[1]
    assert (by_ref.lon, by_ref.lat) == pytest.approx((site.lon, site.lat))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "sites.csv: the file is empty"),
        ("id,name,x,y\n", "sites.csv: row 1: the header needs the columns"),
        ("id,name,lat,lon\n", "sites.csv: has a header but no sites"),
        ("id,name,lat,lon\na,A,53,-1\nb,B,95.2,-1\n", "sites.csv: row 3: lat: 95.2 is out of range -90..90"),
        ("id,name,lat,lon\na,A,north,-1\n", "sites.csv: row 2: lat: 'north' is not a number"),
        ("id,name,lat,lon\na,A,53,-1\na,B,54,-1\n", "sites.csv: row 3: id: 'a' is used twice (also row 2)"),
        ("id,name,lat,lon,role\na,A,53,-1,core\n", "sites.csv: row 2: role: 'core' is not one of"),
        ("id,name,easting,northing\na,A,-5,100\n", "sites.csv: row 2: easting/northing (-5.0, 100.0) is outside"),
        ("id,name,lat,lon\na,A,53,-1,extra\n", "sites.csv: row 2: has 5 cells but the header has 4 columns"),
        ("id,name,lat,lon\n,A,53,-1\n", "sites.csv: row 2: id: is empty"),
    ],
)
def test_bad_site_lists_name_file_row_and_problem(tmp_path, text, message):
    with pytest.raises(InputError) as err:
        read_sites_csv(_csv(tmp_path, "sites.csv", text))
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    "header",
    ["id,name,lat,lon,lat", "id,name,lat,lon, LAT ", "id,Name,lat,lon,NAME"],
)
def test_a_header_naming_a_column_twice_is_refused_not_the_last_wins(tmp_path, header):
    column = header.rsplit(",", 1)[1].strip().lower()
    text = f"{header}\na,A,53,-1,54\n"
    twice = rf"^sites.csv: row 1: the column '{column}' is given twice \(columns \d and 5\)"
    with pytest.raises(InputError, match=twice):
        read_sites_csv(_csv(tmp_path, "sites.csv", text))
    with pytest.raises(InputError, match=r"^q.csv: row 1: the column 'cost' is given twice \(columns 3 and 4\)"):
        read_quotes_csv(_csv(tmp_path, "q.csv", "a,b,cost,Cost\na,b,4,5\n"), {"a", "b"})


def test_blank_header_cells_may_repeat(tmp_path):
    (site,) = read_sites_csv(_csv(tmp_path, "sites.csv", "id,name,lat,lon,,\na,A,53,-1,,\n"))[1]
    assert (site.id, site.lat) == ("a", 53)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5_3.8", "lat: '5_3.8' is not a number"),  # float() reads it as 53.8
        ("nan", "lat: 'nan' is not a number"),
        ("-inf", "lat: '-inf' is not a number"),
        ("1e400", "lat: '1e400' is too large to be a number here"),
        ("9" * 400, "lat: '" + "9" * 40 + "'… is too large to be a number here"),
        ("\uff15\uff13", "lat: '\uff15\uff13' is not a number"),  # full-width digits
    ],
)
def test_numbers_are_plain_finite_decimals(tmp_path, value, message):
    with pytest.raises(InputError) as err:
        read_sites_csv(_csv(tmp_path, "sites.csv", f"id,name,lat,lon\na,A,{value},-1\n"))
    assert str(err.value) == f"sites.csv: row 2: {message}"


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("name", "Le\x00eds", "a control character (U+0000)"),
        ("name", '"Le\neds"', "a line break (U+000A)"),
        ("id", "L\tD", "a tab (U+0009)"),
        ("partner", "Police\x1b[31m", "a control character (U+001B)"),
        ("name", "Leeds\u2028Kirkgate", "a line break (U+2028)"),
        ("name", "Leeds\ufffe", "a non-character (U+FFFE)"),
    ],
)
def test_text_with_control_characters_is_refused_naming_row_and_field(tmp_path, field, value, kind):
    row = {"id": "LDS", "name": "Leeds", "partner": "Council"} | {field: value}
    text = f"id,name,partner,lat,lon\n{row['id']},{row['name']},{row['partner']},53.8,-1.5\n"
    with pytest.raises(InputError) as err:
        read_sites_csv(_csv(tmp_path, "sites.csv", text))
    assert str(err.value).startswith(f"sites.csv: row 2: {field}: ")
    assert kind in str(err.value) and "\n" not in str(err.value)


def test_a_lone_surrogate_in_a_name_is_refused():
    row = {"id": "LDS", "name": "Le\ud800eds", "lat": "53.8", "lon": "-1.5"}
    with pytest.raises(InputError, match=r"^s.geojson: feature 1: name: 'Le\\ud800eds': character 3 is a lone surro"):
        sites_from_records("s.geojson", [("feature 1", row)])


def test_long_bad_values_are_shortened_in_messages(tmp_path):
    long_id = "X" * 5000
    text = f"id,name,lat,lon\n{long_id},A,53,-1\n{long_id},B,54,-1\n"
    with pytest.raises(InputError) as err:
        read_sites_csv(_csv(tmp_path, "sites.csv", text))
    assert str(err.value) == f"sites.csv: row 3: id: '{'X' * 40}'… is used twice (also row 2)"


def test_binary_and_missing_files_are_clear(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_bytes(b"id,name,lat,lon\n\xff\xfe\x00a,b\n")
    with pytest.raises(InputError, match="sites.csv: is not a UTF-8 text file"):
        read_sites_csv(path)
    with pytest.raises(InputError, match="no such file"):
        read_sites_csv(tmp_path / "absent.csv")


def test_quotes_in_both_forms(tmp_path):
    ids = {"a", "b", "c"}
    quotes = read_quotes_csv(_csv(tmp_path, "q.csv", 'a,b,cost\na,b,"12,345.67"\n'), ids)
    assert (quotes[0].install, quotes[0].annual) == (1_234_567, 0)
    quotes = read_quotes_csv(_csv(tmp_path, "q2.csv", "a,b,install,annual,carrier\nb,c,1000,250.5,BT\n"), ids)
    assert (quotes[0].install, quotes[0].annual, quotes[0].carrier) == (100_000, 25_050, "BT")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b,cost\na,zz,10\n", "q.csv: row 2: b: 'zz' is not a site id"),
        ("a,b,cost\na,b,ten\n", "q.csv: row 2: cost: 'ten' is not an amount of money"),
        ("a,b,cost\na,b,-4\n", "q.csv: row 2: cost: '-4' is negative"),
        ("a,b,cost\na,a,4\n", "q.csv: row 2: a link must join two different sites"),
        ("a,b,cost\na,b,4\nb,a,5\n", "q.csv: row 3: the pair b-a is quoted twice (also row 2)"),
        ("a,b,cost\na,b,1e30\n", "q.csv: row 2: cost: '1e30' is more than £1,000,000,000"),
        ("a,b,cost\na,b,1e400\n", "q.csv: row 2: cost: '1e400' is more than £1,000,000,000"),
        ("a,b,install,annual\na,b,5," + "9" * 400 + "\n", "q.csv: row 2: annual: '9999999999"),
        ("a,b,cost\na,b,5_3.8\n", "q.csv: row 2: cost: '5_3.8' is not an amount of money"),
        ("a,b,cost\na,b,1e-99999999999999999999\n", "q.csv: row 2: cost: '1e-99999999999999999999' is not an"),
        ("a,b,cost\na,b,nan\n", "q.csv: row 2: cost: 'nan' is not an amount of money"),
        ("a,b,cost,carrier\na,b,4,B\x00T\n", "q.csv: row 2: carrier: 'B\\x00T': character 2 is a control char"),
    ],
)
def test_bad_quotes_name_file_row_and_problem(tmp_path, text, message):
    with pytest.raises(InputError) as err:
        read_quotes_csv(_csv(tmp_path, "q.csv", text), {"a", "b"})
    assert str(err.value).startswith(message)


def test_project_from_csv_is_consistent(tmp_path):
    sites = _csv(tmp_path, "sites.csv", "id,name,lat,lon\na,A,53,-1\nb,B,53.1,-1\n")
    quotes = _csv(tmp_path, "q.csv", "a,b,cost\na,b,99\n")
    project = project_from_csv(sites, quotes)
    assert project_problems(project) == [] and project.name == "sites" and len(project.quotes) == 1


def test_rows_are_numbered_as_a_spreadsheet_shows_them_whatever_line_breaks_cells_hold(tmp_path):
    text = 'id,name,lat,lon,note\na,A,53,-1,"two\nlines"\nb,B,95,-1,\n'
    with pytest.raises(InputError, match=r"^sites.csv: row 3: lat: 95.0 is out of range"):
        read_sites_csv(_csv(tmp_path, "sites.csv", text))


def test_an_address_and_a_postcode_make_one_address_line(tmp_path):
    text = (
        "id,name,lat,lon,Address, Post_Code ,zip\n"
        'A,Elland Road,53.78,-1.57,"Elland Road, Leeds",LS11 0ES,\n'
        'B,Civic Hall,53.80,-1.55,"Civic Hall, Leeds LS1 1UR",ls11ur,\n'
        "C,Kirkgate,53.79,-1.54,,,LS2 7HY\n"
        "D,Depot,53.70,-1.50,,,\n"
        "E,Hut,53.71,-1.51,Moor Lane,,\n"
    )
    _, sites = read_sites_csv(_csv(tmp_path, "sites.csv", text))
    assert [s.address for s in sites] == [
        "Elland Road, Leeds, LS11 0ES",
        "Civic Hall, Leeds LS1 1UR",  # it holds the postcode already (spacing and case aside)
        "LS2 7HY",
        "",
        "Moor Lane",
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("Elland\x00Road,", "sites.csv: row 2: address: 'Elland\\x00Road': character 7 is a control character"),
        (",LS11\t0ES", "sites.csv: row 2: postcode: 'LS11\\t0ES': character 5 is a tab (U+0009)"),
        (
            f"{'x' * 195},LS11 0ES",
            f"sites.csv: row 2: address, postcode: '{'x' * 40}'… is longer than 200 characters",
        ),
        (f"{'x' * 201},", f"sites.csv: row 2: address: '{'x' * 40}'… is longer than 200 characters"),
    ],
)
def test_a_bad_address_is_refused_naming_row_and_field(tmp_path, cells, message):
    text = f"id,name,lat,lon,address,postcode\nA,Leeds,53.8,-1.5,{cells}\n"
    with pytest.raises(InputError) as err:
        read_sites_csv(_csv(tmp_path, "sites.csv", text))
    assert str(err.value).startswith(message) and "\n" not in str(err.value)
