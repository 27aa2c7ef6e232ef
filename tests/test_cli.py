"""The real command, run as a procurement officer would, checked independently."""

import csv
import json
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.core.geo import geodesic_km

SITES = """id,name,lat,lon,partner
LDS,Leeds,53.8008,-1.5491,WYP
SHF,Sheffield,53.3811,-1.4701,SYP
YRK,York,53.9576,-1.0827,NYP
HUL,Hull,53.7457,-0.3367,HP
BRD,Bradford,53.7960,-1.7594,BMDC
WKF,Wakefield,53.6830,-1.4977,WMDC
"""


@pytest.fixture
def sites_csv(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(SITES, encoding="utf-8")
    return path


def _read_design(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_design_csv(rows, sites: dict[str, tuple[float, float]], level: str, quotes: dict | None = None):
    """Independent check of a written design: only permitted links, all sites, survivability."""
    graph = nx.Graph((r["a"], r["b"]) for r in rows)
    assert set(graph) == set(sites)
    for r in rows:
        (alon, alat), (blon, blat) = sites[r["a"]], sites[r["b"]]
        assert float(r["distance_km"]) == pytest.approx(geodesic_km(alon, alat, blon, blat), abs=0.01)
        if quotes is not None:
            assert float(r["cost"]) == pytest.approx(quotes[frozenset((r["a"], r["b"]))])
    assert nx.is_connected(graph)
    if level == "2edge":
        assert nx.edge_connectivity(graph) >= 2
    if level == "2node":
        assert nx.node_connectivity(graph) >= 2


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
def test_design_from_csv_writes_a_verified_schedule(sites_csv, tmp_path, capsys, level):
    out = tmp_path / "design.csv"
    assert main(["design", "--sites", str(sites_csv), "--redundancy", level, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    rows = _read_design(out)
    assert list(rows[0]) == ["circuit_id", "a", "b", "a_name", "b_name", "distance_km", "cost"]
    sites = {r[0]: (float(r[3]), float(r[2])) for r in csv.reader(SITES.splitlines()[1:])}
    check_design_csv(rows, sites, level)
    assert summary["verified"] is True and summary["links"] == len(rows)
    assert summary["total_cost"] == pytest.approx(sum(float(r["cost"]) for r in rows))
    assert summary["lower_bound"] <= summary["total_cost"]


def test_the_installed_command_runs(sites_csv):
    result = subprocess.run(
        [sys.executable, "-m", "planner", "design", "--sites", str(sites_csv)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Total over 5 years: £" in result.stdout and "Leeds" in result.stdout


@pytest.mark.parametrize(
    ("args", "message", "status"),
    [
        (["--sites", "missing.csv"], "missing.csv: no such file", 2),
        (["--sites", "{sites}", "--links", "{bad_quotes}"], "quotes.csv: row 2: b: 'XXX' is not a site id", 2),
        (["--sites", "{sites}", "--links", "{thin_quotes}", "--redundancy", "2edge"], "no design possible", 3),
        ([], "give a project file or --sites", 2),
        (["{sites}"], "not valid JSON", 2),
    ],
)
def test_user_errors_are_one_clear_line_and_no_traceback(sites_csv, tmp_path, capsys, args, message, status):
    bad = tmp_path / "quotes.csv"
    bad.write_text("a,b,cost\nLDS,XXX,100\n", encoding="utf-8")
    thin = tmp_path / "thin.csv"
    thin.write_text("a,b,cost\nLDS,SHF,1\nSHF,YRK,1\nYRK,HUL,1\nHUL,BRD,1\nBRD,WKF,1\n", encoding="utf-8")
    args = [a.format(sites=sites_csv, bad_quotes=bad, thin_quotes=thin) for a in args]
    assert main(["design", *args]) == status
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=st.lists(
        st.tuples(st.floats(-3.0, 0.0), st.floats(51.0, 54.0)),
        min_size=3,
        max_size=12,
        unique_by=lambda p: (round(p[0], 3), round(p[1], 3)),
    ),
    level=st.sampled_from(["tree", "2edge", "2node"]),
    quote_mask=st.lists(st.booleans(), min_size=66, max_size=66),
    use_quotes=st.booleans(),
)
def test_random_sites_and_quotes_get_a_verified_design_or_a_clear_refusal(
    tmp_path, points, level, quote_mask, use_quotes, capsys
):
    sites = tmp_path / "s.csv"
    sites.write_text("id,name,lat,lon\n" + "".join(f"s{i},S{i},{lat},{lon}\n" for i, (lon, lat) in enumerate(points)))
    args = ["design", "--sites", str(sites), "--redundancy", level, "--out", str(tmp_path / "d.csv")]
    quotes = None
    if use_quotes:
        pairs = [(i, j) for i in range(len(points)) for j in range(i + 1, len(points))]
        chosen = [p for p, keep in zip(pairs, quote_mask, strict=False) if keep]
        quotes = {frozenset((f"s{i}", f"s{j}")): 1000 + 7 * i + 3 * j for i, j in chosen}
        qpath = tmp_path / "q.csv"
        qpath.write_text(
            "a,b,cost\n" + "".join(f"s{i},s{j},{quotes[frozenset((f's{i}', f's{j}'))]}\n" for i, j in chosen)
        )
        args += ["--links", str(qpath)]
    status = main(args)
    err = capsys.readouterr().err
    if quotes == {}:
        assert status == 2 and "has a header but no quotes" in err
    elif status == 0:
        site_map = {f"s{i}": p for i, p in enumerate(points)}
        check_design_csv(_read_design(tmp_path / "d.csv"), site_map, level, quotes)
    else:
        assert status == 3 and err.startswith("planner: no design possible: ") and "Traceback" not in err
        # The refusal is right: even every permitted link together falls short.
        graph = nx.Graph()
        graph.add_nodes_from(f"s{i}" for i in range(len(points)))
        graph.add_edges_from(tuple(q) for q in quotes)
        enough = nx.is_connected(graph) and (
            level == "tree"
            or (
                len(points) >= 3
                and (nx.edge_connectivity(graph) >= 2 if level == "2edge" else nx.node_connectivity(graph) >= 2)
            )
        )
        assert not enough
