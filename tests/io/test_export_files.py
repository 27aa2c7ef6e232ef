"""Every export re-read by an independent reader; the figures must be the design's to the penny."""

import csv
import itertools
import re
import unicodedata
import zipfile
from decimal import Decimal

import openpyxl
import pyogrio
import pytest
from pypdf import PdfReader

from planner.analysis.pack import build_pack
from planner.analysis.resilience import outage
from planner.analysis.schedule import CIRCUIT_COLUMNS, FAILURE_COLUMNS
from planner.analysis.sharing import METHODS
from planner.core.money import format_gbp
from planner.io.board_pack import write_board_pack
from planner.io.design_csv import write_design_csv
from planner.io.gis_export import write_geojson, write_gpkg, write_kml
from planner.io.safe_output import FORMULA_STARTS, atomic_output
from planner.io.schedule_csv import write_circuits_csv
from planner.io.schedule_xlsx import write_xlsx
from tests.analysis.test_schedule import PARTNER_NAMES, RING_GROUP_NAMES, SERVED, grouped_ring, served_region
from tests.io.export_fixtures import HOSTILE, WHEN, packed


def pence(value) -> int:
    """A money cell read back (Decimal text, int or float pounds) as pence, refusing anything not whole pence."""
    exact = Decimal(str(value)) * 100
    whole = round(exact)
    assert abs(exact - whole) < Decimal("0.0001")  # float pounds in GIS files are off by far less than a penny
    return whole


def pdf_text(page) -> str:
    """A PDF page's text with its words one space apart (Qt spaces them by position) and ligatures (ﬀ, ﬁ)
    spelt out."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page.extract_text()))


def is_number(text: str) -> bool:
    """Numbers we write (a negative longitude) are data, not formulas."""
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    project, pack = packed()
    design = pack.design
    paths = {ext: folder / f"pack.{ext}" for ext in ("xlsx", "csv", "pdf", "geojson", "gpkg", "kml")}
    write_xlsx(project, design, paths["xlsx"], pack=pack)
    write_circuits_csv(project, design, paths["csv"])
    write_board_pack(project, design, paths["pdf"], pack=pack)
    write_geojson(project, design, paths["geojson"])
    write_gpkg(project, design, paths["gpkg"])
    write_kml(project, design, paths["kml"])
    return project, pack, paths


# -- XLSX -------------------------------------------------------------------------------
def test_xlsx_sheets_layout_and_circuits(exported):
    _, pack, paths = exported
    design = pack.design
    wb = openpyxl.load_workbook(paths["xlsx"])
    assert wb.sheetnames == ["Summary", "Circuits", "Sites", "Partners", "Resilience", "Double failures"]
    ws = wb["Circuits"]
    headings = [c.value for c in ws[1]]
    assert headings == [c.heading for c in CIRCUIT_COLUMNS]
    col = {h: i for i, h in enumerate(headings)}
    last = openpyxl.utils.get_column_letter(len(CIRCUIT_COLUMNS))
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:{last}{len(design.links) + 1}"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    rows = rows[: [r[0] for r in rows].index("Total") + 1]  # the sheet's notes follow the totals
    circuits, total_row = rows[:-1], rows[-1]
    assert len(circuits) == len(design.links)
    for row in circuits:
        link = design.link(row[col["Circuit"]])
        assert (row[col["A-end site"]], row[col["B-end site"]]) == (link.a, link.b)
        assert pence(row[col["Installation"]]) == link.install
        assert pence(row[col["Annual rental"]]) == link.annual
        assert pence(row[col["Total over term"]]) == link.total(design.term_years)
        assert row[col["Route km"]] == link.route_km and row[col["Term (years)"]] == design.term_years
        assert row[col["Straight km"]] == pytest.approx(link.distance_km, abs=0.005)
    assert total_row[0] == "Total"
    assert pence(total_row[col["Total over term"]]) == design.total_cost
    assert pence(total_row[col["Annual rental"]]) == design.annual_cost
    money = ws.cell(row=2, column=col["Total over term"] + 1)
    assert "£" in money.number_format and money.data_type == "n"
    widths = [ws.column_dimensions[c].width for c in ("A", "C", "W")]
    assert all(w and w >= 8 for w in widths)


def test_xlsx_summary_partners_and_resilience(exported):
    project, pack, paths = exported
    design = pack.design
    wb = openpyxl.load_workbook(paths["xlsx"])
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert wb["Summary"]["A1"].value == project.name
    assert summary["Prepared"] == "14 March 2025 09:30"
    assert pence(summary["Total over term"]) == design.total_cost
    assert pence(summary["Saving from sharing"]) == pack.sharing.saving
    partners = list(wb["Partners"].iter_rows(min_row=2, values_only=True))
    headings = [c.value for c in wb["Partners"][1]]
    shapley = headings.index("Shapley share")
    assert sum(pence(r[shapley]) for r in partners[:-1]) == design.total_cost == pence(partners[-1][shapley])
    for row in partners[:-1]:
        share = pack.sharing.share(row[0])
        assert pence(row[headings.index("Cost alone")]) == share.standalone
        assert pence(row[headings.index("Per-site share")]) == share.shares["sites"]
        assert pence(row[headings.index("Nucleolus share")]) == share.shares["nucleolus"]
    sharing = pack.sharing
    assert summary["Split agreed"] == METHODS[sharing.chosen(project.sharing_method)]
    assert pence(summary["Least-core value"]) == sharing.least_core
    assert summary["Groups of partners checked"] == sharing.core_checked
    for method, label in METHODS.items():
        assert summary[f"In the core: {label}"] == ("yes" if sharing.in_core(method) else "no")
    failures = list(wb["Resilience"].iter_rows(min_row=2, values_only=True))
    assert len(failures) == len(design.links) and {r[3] for r in failures} == {"Yes"}


def test_xlsx_text_that_looks_like_a_formula_stays_text(exported):
    _, _, paths = exported
    wb = openpyxl.load_workbook(paths["xlsx"])
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    partner = [c for row in wb["Partners"].iter_rows() for c in row if c.value == "+Gamma Fire & Rescue"]
    assert partner and partner[0].data_type == "s"
    with zipfile.ZipFile(paths["xlsx"]) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


# -- CSV --------------------------------------------------------------------------------
def test_csv_has_the_schedule_columns_and_exact_money(exported):
    _, pack, paths = exported
    design = pack.design
    with open(paths["csv"], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [c.heading for c in CIRCUIT_COLUMNS]
    assert [r["Circuit"] for r in rows] == sorted(k.circuit_id for k in design.links)
    assert sum(pence(r["Total over term"]) for r in rows) == design.total_cost
    for r in rows:
        link = design.link(r["Circuit"])
        assert (pence(r["Installation"]), pence(r["Annual rental"])) == (link.install, link.annual)


def test_csv_neutralises_formula_like_text(exported, tmp_path):
    project, pack, paths = exported
    with open(paths["csv"], encoding="utf-8-sig", newline="") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    assert not any(c.startswith(FORMULA_STARTS) and not is_number(c) for c in cells)
    write_design_csv(project, pack.design, tmp_path / "design.csv")
    with open(tmp_path / "design.csv", encoding="utf-8", newline="") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert "'" + HOSTILE in cells and not any(c.startswith(FORMULA_STARTS) and not is_number(c) for c in cells)


# -- GIS --------------------------------------------------------------------------------
def test_geopackage_layers_and_attributes(exported):
    project, pack, paths = exported
    design = pack.design
    assert [list(x) for x in pyogrio.list_layers(paths["gpkg"])] == [["sites", "Point"], ["links", "LineString"]]
    sites = pyogrio.read_dataframe(paths["gpkg"], layer="sites")
    links = pyogrio.read_dataframe(paths["gpkg"], layer="links")
    assert sites.crs.to_epsg() == 4326 == links.crs.to_epsg()
    assert list(sites["id"]) == [s.id for s in project.sites]
    assert sites.geometry.x.tolist() == pytest.approx([s.lon for s in project.sites])
    assert set(links.columns) >= {c.key for c in CIRCUIT_COLUMNS}
    assert sorted(links["circuit_id"]) == sorted(k.circuit_id for k in design.links)
    assert sum(pence(x) for x in links["total"]) == design.total_cost
    for _, row in links.iterrows():
        link = design.link(row["circuit_id"])
        (x0, y0), (x1, y1) = row.geometry.coords
        a, b = project.site(link.a), project.site(link.b)
        assert (x0, y0, x1, y1) == pytest.approx((a.lon, a.lat, b.lon, b.lat))
        assert pence(row["annual"]) == link.annual and row["route_km"] == link.route_km


def test_geojson_and_kml_hold_both_layers(exported):
    project, pack, paths = exported
    features = pyogrio.read_dataframe(paths["geojson"])
    assert sorted(features["layer"].unique()) == ["links", "sites"]
    links = features[features["layer"] == "links"]
    assert len(links) == len(pack.design.links) and sum(pence(x) for x in links["total"]) == pack.design.total_cost
    assert HOSTILE in set(features["name"])  # GIS keeps names exactly as typed
    layers = [str(name) for name, _ in pyogrio.list_layers(paths["kml"])]
    assert layers == ["sites", "links"]
    kml_links = pyogrio.read_dataframe(paths["kml"], layer="links")
    assert sorted(kml_links["circuit_id"]) == sorted(k.circuit_id for k in pack.design.links)
    assert len(pyogrio.read_dataframe(paths["kml"], layer="sites")) == len(project.sites)


# -- the schedule for a tender ----------------------------------------------------------
def test_every_export_gives_both_ends_their_address_and_names_whom_each_circuit_serves(tmp_path):
    project, design = served_region()
    pack = build_pack(project, design, when=WHEN)
    write_circuits_csv(project, design, tmp_path / "circuits.csv")
    write_xlsx(project, design, tmp_path / "pack.xlsx", pack=pack)
    write_gpkg(project, design, tmp_path / "network.gpkg")
    addresses = {s.id: s.address for s in project.sites}
    serves = {c: "; ".join(PARTNER_NAMES[p] for p in partners) for c, partners in SERVED.items()}

    with open(tmp_path / "circuits.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][-4:] == ["A-end address", "B-end address", "Serves", "Shared-risk groups"]
    assert rows[0][:-4] == [c.heading for c in CIRCUIT_COLUMNS][:-4]  # the columns before stay as they were
    for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:]):
        ends = (r["A-end site"], r["B-end site"])
        assert (r["A-end address"], r["B-end address"]) == tuple(addresses[x] for x in ends)
        assert r["Serves"] == serves[r["Circuit"]]

    sheet = openpyxl.load_workbook(tmp_path / "pack.xlsx")["Circuits"]
    values = list(sheet.iter_rows(values_only=True))
    headings = list(values[0])
    assert headings[-4:] == ["A-end address", "B-end address", "Serves", "Shared-risk groups"]
    col = {h: i for i, h in enumerate(headings)}
    for row in values[1 : len(design.links) + 1]:
        ends = (row[col["A-end site"]], row[col["B-end site"]])
        assert (row[col["A-end address"]] or "", row[col["B-end address"]] or "") == tuple(addresses[x] for x in ends)
        assert row[col["Serves"]] == serves[row[col["Circuit"]]]
    below = [row[0] for row in values[len(design.links) + 2 :] if row[0]]  # after the totals row
    assert below[0] == "Notes"
    diverse = next(text for text in below if text.startswith("Diverse from:"))
    assert "physically separate route" in diverse and "different exchange" in diverse and "RO2" in diverse
    assert sheet.auto_filter.ref.endswith(str(len(design.links) + 1))  # the filter holds the circuits only

    links = pyogrio.read_dataframe(tmp_path / "network.gpkg", layer="links")
    for _, row in links.iterrows():
        link = design.link(row["circuit_id"])
        assert (row["a_address"] or "", row["b_address"] or "") == (addresses[link.a], addresses[link.b])
        assert row["serves"] == serves[link.circuit_id]
    sites = pyogrio.read_dataframe(tmp_path / "network.gpkg", layer="sites")
    assert [a or "" for a in sites["address"]] == [s.address for s in project.sites]


def test_shared_risk_groups_and_double_failures_reach_every_export(tmp_path):
    project, design = grouped_ring()  # made before its groups: the duct at c1 cuts Civic Hall off
    pack = build_pack(project, design, when=WHEN)
    write_circuits_csv(project, design, tmp_path / "circuits.csv")
    write_xlsx(project, design, tmp_path / "pack.xlsx", pack=pack)
    write_gpkg(project, design, tmp_path / "network.gpkg")
    write_board_pack(project, design, tmp_path / "board.pdf", pack=pack)
    names = {s.id: s.name for s in project.sites}

    with open(tmp_path / "circuits.csv", encoding="utf-8-sig", newline="") as f:
        assert {r["Circuit"]: r["Shared-risk groups"] for r in csv.DictReader(f)} == RING_GROUP_NAMES
    links = pyogrio.read_dataframe(tmp_path / "network.gpkg", layer="links")
    assert dict(zip(links["circuit_id"], links["risk_groups"], strict=True)) == RING_GROUP_NAMES

    wb = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    circuits = list(wb["Circuits"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(circuits[0])}
    found = {r[0]: r[col["Shared-risk groups"]] for r in circuits[1 : len(design.links) + 1]}
    assert found == RING_GROUP_NAMES
    assert any(str(r[0]).startswith("Shared-risk groups:") for r in circuits if r[0])

    resilience = list(wb["Resilience"].iter_rows(values_only=True))
    assert list(resilience[0]) == [c.heading for c in FAILURE_COLUMNS]
    col = {h: i for i, h in enumerate(resilience[0])}
    groups = {r[col["Id"]]: r for r in resilience[1:] if r[col["Failure"]] == "Shared-risk group"}
    assert list(groups) == ["Duct c1", "Exchange ps", "A1 bridge"]
    duct, exchange = groups["Duct c1"], groups["Exchange ps"]
    assert (duct[col["Everyone else connected?"]], duct[col["Sites cut off"]]) == ("No", "Civic Hall (c1)")
    assert duct[col["Circuits lost"]] == "C0001, C0002"
    assert (exchange[col["Everyone else connected?"]], exchange[col["Sites lost"]]) == ("Yes", "Station (ps)")
    assert exchange[col["Sites cut off"]] is None and exchange[col["Overloaded"]] == 0
    assert len(resilience) == 1 + len(design.links) + 3

    doubles = list(wb["Double failures"].iter_rows(values_only=True))
    assert doubles[0][0] == "First circuit" and wb["Double failures"].freeze_panes == "B2"
    pairs = [r for r in doubles[1:] if r[0] and str(r[0]).startswith("C")]
    expected = {}
    for a, b in itertools.combinations(sorted(k.circuit_id for k in design.links), 2):
        cut = outage(design, [a, b]).cut_off  # networkx, removing the pair
        if cut:
            expected[(a, b)] = (", ".join(f"{names[s]} ({s})" for s in cut), len(cut))
    assert {(r[0], r[2]): (r[5], r[6]) for r in pairs} == expected
    assert [r[6] for r in pairs] == sorted((r[6] for r in pairs), reverse=True)

    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert summary["Failures survived"] == pack.analysis.summary
    assert summary["Failures survived"].startswith(
        "Survives all 5 single circuit failures and 2 of 3 shared-risk groups but none of the 10 double circuit "
        "failures."
    )

    pages = [pdf_text(page) for page in PdfReader(tmp_path / "board.pdf").pages]
    check = next(text for text in pages if "Failure check" in text and "Duct c1" in text)
    assert pack.analysis.summary in check
    double = next(text for text in pages if "Double failures" in text and "First" not in text and "C0005" in text)
    assert "Of the 10 pairs of circuits that could be lost together, 10 cut sites off" in double
    assert f"Failures survived: {pack.analysis.summary}" in pages[0]


# -- PDF --------------------------------------------------------------------------------
def test_pdf_board_pack_text_and_pages(exported):
    project, pack, paths = exported
    design, sharing = pack.design, pack.sharing
    reader = PdfReader(paths["pdf"])
    pages = [pdf_text(page) for page in reader.pages]
    n = len(pages)
    assert n >= 5
    for i, text in enumerate(pages, 1):
        assert f"Page {i} of {n}" in text
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    text = "\n".join(pages)
    assert project.name in pages[0] and "14 March 2025" in pages[0]
    assert format_gbp(design.total_cost) in pages[0] and format_gbp(design.annual_cost) in pages[0]
    assert format_gbp(abs(sharing.saving)) in pages[0]
    for share in sharing.partners:
        assert format_gbp(share.shares["shapley"]) in text and format_gbp(share.standalone) in text
    for link in design.links:
        assert link.circuit_id in text and format_gbp(link.total(design.term_years)) in text
    assert f"Survives all {len(design.links)} single circuit failures" in pages[0]
    assert pack.analysis.summary in text  # the failure check's first line, and the title page's key facts
    assert "Boundaries: ONS, OGL v3" in text  # the map carries its attribution


# -- writing safely ---------------------------------------------------------------------
def test_a_failed_export_leaves_the_old_file_and_no_debris(tmp_path):
    out = tmp_path / "schedule.csv"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(out) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("cancelled half way")
    assert out.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["schedule.csv"]


def test_design_csv_quotes_a_bare_carriage_return_and_still_neutralises(exported, tmp_path):
    from dataclasses import replace

    from planner.io.design_csv import design_csv_text

    project, pack = exported[:2]
    end = pack.design.links[0].a
    project = replace(project, sites=[replace(s, name="Leeds\r=1+1") if s.id == end else s for s in project.sites])
    text = design_csv_text(project, pack.design)
    assert '"Leeds\r=1+1"' in text  # one quoted cell: a CR inside it is no line of its own
    assert all(line.endswith("\r") or not line for line in text.split("\n"))  # rows end CR LF (RFC 4180)
    write_design_csv(project, pack.design, tmp_path / "design.csv")
    with open(tmp_path / "design.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == len(pack.design.links) + 1 and "Leeds\r=1+1" in [c for r in rows for c in r]
    project = replace(project, sites=[replace(s, name="\r=1+1") if s.id == end else s for s in project.sites])
    assert '"\'\r=1+1"' in design_csv_text(project, pack.design)  # a leading CR still gets its apostrophe


def test_an_export_keeps_the_file_s_mode_and_follows_a_link(exported, tmp_path):
    import os
    import stat

    project, pack = exported[:2]
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "circuits.csv"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o664)
    link = tmp_path / "circuits.csv"
    link.symlink_to(target)
    write_circuits_csv(project, pack.design, link)
    write_design_csv(project, pack.design, link)
    assert link.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o664
    assert target.read_text(encoding="utf-8").startswith("circuit_id,")
