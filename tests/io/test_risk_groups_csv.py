"""Shared-risk groups from a table and on the command line (``--srlg``), as a procurement officer runs it."""

import csv
import json

import networkx as nx
import pypdf
import pytest

from planner.cli import main
from planner.core.errors import InputError
from planner.core.model import RiskGroup
from planner.core.project_file import load_project, save_project
from planner.io.risk_groups_csv import read_risk_groups
from tests.factories import project_from_points

#: A square of four sites round a centre: every pair a candidate.
POINTS = [(0, 51), (0.3, 51.2), (0.6, 51), (0.3, 50.8), (0.3, 51)]


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "square.json"
    save_project(project_from_points(POINTS), path)
    return path


def _groups_csv(tmp_path, text: str):
    path = tmp_path / "groups.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_of_one_group_make_one_group_of_links_and_sites(tmp_path):
    path = _groups_csv(tmp_path, "group,a,b,site\nDuct 1,s1,s0,\nDuct 1,s0,s3,\nExchange,,,s4\nDuct 1,,,s2\n")
    groups = read_risk_groups(path, project_from_points(POINTS))
    assert groups == [
        RiskGroup("Duct 1", (("s0", "s1"), ("s0", "s3")), ("s2",), "from groups.csv"),
        RiskGroup("Exchange", (), ("s4",), "from groups.csv"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("group,a,b\nDuct,s0,s9\n", "groups.csv: row 2: b: 's9' is not a site id"),
        ("group,site\nX,nowhere\n", "groups.csv: row 2: site: 'nowhere' is not a site id"),
        ("group,a,b\n,s0,s1\n", "groups.csv: row 2: group: is empty"),
        ("group,a,b\nDuct,s0,s1\nDuct,s0,\n", "groups.csv: row 3: b: is empty (a link needs both ends)"),
        ("group,a,b\nDuct,s1,s1\n", "groups.csv: row 2: a link must join two different sites ('s1' twice)"),
        ("group,a,b\nDuct,,\n", "groups.csv: row 2: give a and b (a link) or site (a site) for group 'Duct'"),
        ("group,a,b\n", "groups.csv: has a header but no shared-risk groups"),
        ("name,a,b\nDuct,s0,s1\n", "groups.csv"),
    ],
)
def test_bad_rows_are_one_clear_message_naming_row_and_column(tmp_path, text, message):
    with pytest.raises(InputError) as err:
        read_risk_groups(_groups_csv(tmp_path, text), project_from_points(POINTS))
    assert message in str(err.value)


def test_groups_and_the_setting_survive_a_save_and_reload(tmp_path):
    project = project_from_points(POINTS)
    project.risk_groups = [
        RiskGroup.of("Bridge", [("s1", "s0"), ("s2", "s1")], note="A1 river bridge"),
        RiskGroup.of("Exchange", sites=["s4"]),
    ]
    path = tmp_path / "p.json"
    save_project(project, path)
    doc = json.loads(path.read_text())
    assert doc["risk_groups"][0] == {
        "name": "Bridge",
        "links": [{"a": "s0", "b": "s1"}, {"a": "s1", "b": "s2"}],
        "sites": [],
        "note": "A1 river bridge",
    }
    assert doc["settings"]["survive_risk_groups"] is True
    assert load_project(path).risk_groups == project.risk_groups


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (
            [{"name": "X", "links": [{"a": "s0", "b": "zz"}]}],
            "link 's0'-'zz': 'zz' is not a site id",
        ),
        ([{"name": "X", "links": [], "sites": []}], "risk_groups[0] ('X'): the group holds no links and no sites"),
        ([{"name": "X", "sites": ["s0"]}, {"name": "X", "sites": ["s1"]}], "name: 'X' is used twice"),
        ([{"links": []}], "risk_groups[0].name: is missing"),
    ],
)
def test_a_file_with_bad_groups_is_refused_naming_the_group(tmp_path, groups, message):
    path = tmp_path / "p.json"
    save_project(project_from_points(POINTS), path)
    doc = json.loads(path.read_text())
    doc["risk_groups"] = groups
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as err:
        load_project(path)
    assert message in str(err.value)


def _design_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_design_with_srlg_survives_every_group_and_says_so(project_file, tmp_path, capsys):
    plain = tmp_path / "plain.csv"
    assert main(["design", str(project_file), "--out", str(plain)]) == 0
    ring = nx.Graph((r["a"], r["b"]) for r in _design_rows(plain))
    # the two circuits the plain design gives s0, put in one duct: the plain design would lose s0
    ducted = [tuple(sorted(e)) for e in ring.edges("s0")]
    groups = _groups_csv(tmp_path, "group,a,b\n" + "".join(f"West duct,{a},{b}\n" for a, b in ducted))
    out = tmp_path / "design.csv"
    assert main(["design", str(project_file), "--srlg", str(groups), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["risk_groups_survived"] == ["West duct"]
    graph = nx.Graph((r["a"], r["b"]) for r in _design_rows(out))
    assert set(graph) == set(ring) and nx.edge_connectivity(graph) >= 2
    graph.remove_edges_from(ducted)
    assert nx.is_connected(graph)  # s0 keeps a way out the duct does not hold
    assert len(summary["links"]) == len(_design_rows(out))


@pytest.mark.parametrize(
    ("text", "message", "status"),
    [
        ("group,a,b\nD,s0,nowhere\n", "groups.csv: row 2: b: 'nowhere' is not a site id", 2),
        ("group,site\n,s0\n", "groups.csv: row 2: group: is empty", 2),
        (
            "group,a,b\nAll of s0,s0,s1\nAll of s0,s0,s2\nAll of s0,s0,s3\nAll of s0,s0,s4\n",
            "no design can survive losing risk group All of s0: without it the permitted links cannot reach s0",
            3,
        ),
    ],
)
def test_bad_groups_on_the_command_line_are_one_line_and_an_exit_status(
    project_file, tmp_path, capsys, text, message, status
):
    groups = _groups_csv(tmp_path, text)
    assert main(["design", str(project_file), "--srlg", str(groups)]) == status
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_group_link_that_is_not_a_candidate_is_refused(tmp_path, capsys):
    sites = tmp_path / "sites.csv"
    sites.write_text("id,name,lat,lon\na,A,51,0\nb,B,51.2,0.3\nc,C,51,0.6\nd,D,50.8,0.3\n", encoding="utf-8")
    links = tmp_path / "links.csv"
    links.write_text("a,b,cost\na,b,1000\nb,c,1000\nc,d,1000\nd,a,1000\na,c,3000\n", encoding="utf-8")
    groups = _groups_csv(tmp_path, "group,a,b\nDuct,a,b\nDuct,b,d\n")
    argv = ["design", "--sites", str(sites), "--links", str(links), "--srlg", str(groups)]
    assert main(argv) == 2
    assert "groups.csv: row 3: link 'b'-'d' is not a candidate link" in capsys.readouterr().err


def test_export_takes_srlg_too(project_file, tmp_path, capsys):
    groups = _groups_csv(tmp_path, "group,a,b\nWest duct,s0,s1\nWest duct,s0,s3\nWest duct,s0,s2\n")
    out, pdf = tmp_path / "schedule.csv", tmp_path / "board.pdf"
    assert main(["export", str(project_file), "--srlg", str(groups), "--csv", str(out), "--pdf", str(pdf)]) == 0
    title = " ".join(pypdf.PdfReader(pdf).pages[0].extract_text().split())
    assert "survives any one circuit being cut or any one shared duct or exchange lost" in title
    graph = nx.Graph((r["A-end site"], r["B-end site"]) for r in _design_rows(out))
    graph.remove_edges_from([("s0", "s1"), ("s0", "s3"), ("s0", "s2")])
    assert nx.is_connected(graph) and len(graph) == 5
