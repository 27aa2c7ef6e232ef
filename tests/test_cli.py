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
    assert list(rows[0]) == [
        "circuit_id",
        "a",
        "b",
        "a_name",
        "b_name",
        "distance_km",
        "cost",
        "bandwidth",
        "load_mbps",
        "worst_load_mbps",
        "worst_failure",
    ]
    sites = {r[0]: (float(r[3]), float(r[2])) for r in csv.reader(SITES.splitlines()[1:])}
    check_design_csv(rows, sites, level)
    assert summary["verified"] is True and summary["circuits"] == len(rows) == len(summary["links"])
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


# -- traffic --------------------------------------------------------------------------------------------
HUB_SITES = """id,name,lat,lon,partner,role,demand_mbps
LDS,Leeds,53.8008,-1.5491,WYP,hub,
SHF,Sheffield,53.3811,-1.4701,WYP,hub,
YRK,York,53.9576,-1.0827,WYP,,600
HUL,Hull,53.7457,-0.3367,WYP,,900
BRD,Bradford,53.7960,-1.7594,WYP,,700
WKF,Wakefield,53.6830,-1.4977,WYP,,300
HGT,Harrogate,53.9921,-1.5418,WYP,,450
DON,Doncaster,53.5228,-1.1285,WYP,,800
"""
TIER_MBPS = {"100M": 100, "1G": 1000, "10G": 10000}


def _capacity(bandwidth: str) -> int:
    count, _, tier = bandwidth.rpartition("x")
    return int(count or 1) * TIER_MBPS[tier]


def _independent_worst_loads(rows, flows, level):
    """Worst load per circuit over the normal state and every single circuit cut, routed again with networkx
    by shortest path on route km (the metric the planner states), split evenly at equal-cost branches."""
    import math

    graph = nx.Graph()
    for r in rows:
        graph.add_edge(
            r["a"], r["b"], metric=max(1, math.ceil(round(float(r["distance_km"]) * 1.3, 6))), id=r["circuit_id"]
        )
    worst = dict.fromkeys((r["circuit_id"] for r in rows), 0.0)
    cuts = [None] + ([tuple(e) for e in graph.edges] if level != "tree" else [])
    for cut in cuts:
        g = graph.copy()
        if cut:
            g.remove_edge(*cut)
        loads = dict.fromkeys(worst, 0.0)
        for source, target, mbps in flows:
            dist = nx.single_source_dijkstra_path_length(g, target, weight="metric")
            amount = {source: mbps}
            for x in sorted(dist, key=dist.get, reverse=True):
                if x == target or not amount.get(x):
                    continue
                nexts = [y for y in g[x] if dist[x] == dist[y] + g[x][y]["metric"]]
                for y in nexts:
                    loads[g[x][y]["id"]] += amount[x] / len(nexts)
                    amount[y] = amount.get(y, 0.0) + amount[x] / len(nexts)
        worst = {c: max(worst[c], loads[c]) for c in worst}
    return worst


@pytest.mark.parametrize("level", ["tree", "2edge"])
def test_demands_size_every_circuit_for_its_worst_failure(tmp_path, capsys, level):
    sites = tmp_path / "sites.csv"
    sites.write_text(HUB_SITES, encoding="utf-8")
    demands = tmp_path / "demands.csv"
    demands.write_text("a,b,mbps\nLDS,SHF,3000\nYRK,HUL,150\n", encoding="utf-8")
    out = tmp_path / "design.csv"
    args = ["design", "--sites", str(sites), "--demands", str(demands), "--redundancy", level]
    assert main([*args, "--method", "heuristic", "--max-utilisation", "0.7", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    rows = _read_design(out)
    # Per-site traffic goes to the nearer of the partner's two hubs (both stay up when a circuit is cut).
    hubs = {"LDS": (-1.5491, 53.8008), "SHF": (-1.4701, 53.3811)}
    flows = [("LDS", "SHF", 3000.0), ("YRK", "HUL", 150.0)]
    for line in HUB_SITES.splitlines()[1:]:
        site, _, lat, lon, _, _, demand = line.split(",")
        if demand:
            nearest = min(hubs, key=lambda h: geodesic_km(float(lon), float(lat), *hubs[h]))
            flows.append((site, nearest, float(demand)))
    worst = _independent_worst_loads(rows, flows, level)
    for r in rows:
        assert float(r["worst_load_mbps"]) == pytest.approx(worst[r["circuit_id"]], abs=0.01)
        assert float(r["worst_load_mbps"]) <= 0.7 * _capacity(r["bandwidth"]) + 1e-6
        assert float(r["load_mbps"]) <= float(r["worst_load_mbps"]) + 1e-6
        if level == "tree":
            assert r["worst_failure"] == ""
    assert any(_capacity(r["bandwidth"]) > 1000 for r in rows)  # the 3 Gb/s replication needs more than 1G
    by_id = {link["circuit_id"]: link for link in summary["links"]}
    for r in rows:
        link = by_id[r["circuit_id"]]
        assert (link["bandwidth"], link["worst_failure"]) == (r["bandwidth"], r["worst_failure"])
        assert link["worst_load_mbps"] == pytest.approx(float(r["worst_load_mbps"]), abs=0.001)
        assert link["capacity_mbps"] == _capacity(r["bandwidth"])
    assert summary["sized_topology_cost"] >= summary["total_cost"]


def test_quotes_per_tier_limit_what_may_be_bought(tmp_path, capsys):
    sites = tmp_path / "sites.csv"
    sites.write_text(HUB_SITES, encoding="utf-8")
    ids = [line.split(",")[0] for line in HUB_SITES.splitlines()[1:]]
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    quotes = tmp_path / "quotes.csv"
    lines = ["a,b,install,annual,bandwidth"]
    lines += [f"{a},{b},2500,4000,1G" for a, b in pairs]
    lines += [f"{a},{b},6000,9600,10G" for a, b in pairs if "LDS" in (a, b)]
    quotes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    demands = tmp_path / "demands.csv"
    demands.write_text("a,b,mbps\nLDS,SHF,3000\n", encoding="utf-8")
    out = tmp_path / "design.csv"
    args = ["design", "--sites", str(sites), "--links", str(quotes), "--demands", str(demands), "--out", str(out)]
    assert main([*args, "--method", "heuristic"]) == 0
    quoted_10g = {frozenset(p) for p in pairs if "LDS" in p}
    for r in _read_design(out):
        count, _, tier = r["bandwidth"].rpartition("x")
        assert tier in ("1G", "10G")
        if tier == "10G":
            assert frozenset((r["a"], r["b"])) in quoted_10g
        unit = 2500 + 5 * 4000 if tier == "1G" else 6000 + 5 * 9600
        assert float(r["cost"]) == pytest.approx(int(count or 1) * unit)


@pytest.mark.parametrize(
    ("demands", "sites", "message"),
    [
        ("a,b,mbps\nLDS,XXX,10\n", HUB_SITES, "demands.csv: row 2: b: 'XXX' is not a site id"),
        ("a,b,mbps\nLDS,YRK,-5\n", HUB_SITES, "demands.csv: row 2: mbps: -5.0 is negative"),
        ("a,b,mbps\nLDS,YRK,lots\n", HUB_SITES, "demands.csv: row 2: mbps: 'lots' is not a number of Mb/s"),
        ("a,b,mbps\nLDS,YRK,5_0\n", HUB_SITES, "demands.csv: row 2: mbps: '5_0' is not a number of Mb/s"),
        ("a,b,mbps\nLDS,LDS,10\n", HUB_SITES, "demands.csv: row 2: a demand must join two different sites"),
        ("a,b,mbps\nLDS,YRK,10\nYRK,LDS,20\n", HUB_SITES, "demands.csv: row 3: the pair YRK-LDS is listed twice"),
        ("a,b,mbps\nLDS,YRK,200000\n", HUB_SITES, "demands.csv: row 2: mbps: 200,000 Mb/s is more than any link"),
        ("a,b\nLDS,YRK\n", HUB_SITES, "demands.csv: row 1: the header needs the columns a,b,mbps"),
        ("a,b,mbps\n", HUB_SITES, "demands.csv: has a header but no demands"),
    ],
)
def test_bad_demands_are_one_clear_line_naming_file_row_and_field(tmp_path, capsys, demands, sites, message):
    (tmp_path / "sites.csv").write_text(sites, encoding="utf-8")
    (tmp_path / "demands.csv").write_text(demands, encoding="utf-8")
    args = ["design", "--sites", str(tmp_path / "sites.csv"), "--demands", str(tmp_path / "demands.csv")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_per_site_demand_with_no_hub_to_send_it_to_names_the_site_row(tmp_path, capsys):
    sites = SITES.replace("partner\n", "partner,demand_mbps\n").replace("WYP\n", "WYP,40\n")
    (tmp_path / "sites.csv").write_text(sites, encoding="utf-8")
    assert main(["design", "--sites", str(tmp_path / "sites.csv")]) == 2
    err = capsys.readouterr().err
    assert "sites.csv: row 2 (LDS): demand_mbps: partner 'WYP' has no hub to send it to" in err


def test_an_unknown_tier_in_quotes_is_named(tmp_path, capsys):
    (tmp_path / "sites.csv").write_text(HUB_SITES, encoding="utf-8")
    (tmp_path / "q.csv").write_text("a,b,cost,bandwidth\nLDS,SHF,100,40G\n", encoding="utf-8")
    assert main(["design", "--sites", str(tmp_path / "sites.csv"), "--links", str(tmp_path / "q.csv")]) == 2
    assert "q.csv: row 2: bandwidth: '40G' is not one of the tiers (100M, 1G, 10G)" in capsys.readouterr().err


def _three_partner_project(tmp_path):
    from planner.core.project_file import save_project
    from planner.io.site_tables import project_from_csv

    path = tmp_path / "sites.csv"
    path.write_text(SITES.replace("SYP", "WYP").replace("BMDC", "WYP").replace("WMDC", "HP"), encoding="utf-8")
    project = project_from_csv(path)
    saved = tmp_path / "three.json"
    save_project(project, saved)
    return saved


def _excesses(costs: dict[frozenset, float], shares: dict[str, float]) -> list[float]:
    grand = max(costs, key=len)
    return sorted((sum(shares[p] for p in s) - c for s, c in costs.items() if s != grand), reverse=True)


def test_share_prints_every_split_and_writes_the_coalitions_they_follow_from(tmp_path, capsys):
    import itertools
    import math

    project = _three_partner_project(tmp_path)
    coalitions = tmp_path / "coalitions.csv"
    assert main(["share", str(project), "--json", "--coalitions", str(coalitions), "--workers", "0"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert set(found) == {"total", "least_core", "partners"}
    partners = {p["id"]: p for p in found["partners"]}
    assert set(partners) == {"WYP", "NYP", "HP"}
    assert all(
        set(p) == {"id", "name", "alone", "shapley", "nucleolus", "pro_rata", "per_site"} for p in partners.values()
    )
    with open(coalitions, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    costs = {frozenset(r["members"].split(";")): float(r["cost"]) for r in rows}
    assert len(costs) == 7 and costs[frozenset(partners)] == found["total"]  # every coalition, the whole at the design
    for method in ("shapley", "nucleolus", "pro_rata", "per_site"):
        assert sum(p[method] for p in partners.values()) == pytest.approx(found["total"], abs=0.005)
    for p in partners.values():
        assert p["alone"] == costs[frozenset([p["id"]])]
    # the Shapley value worked out again from the file: each partner's average extra cost over all join orders
    orders = list(itertools.permutations(partners))
    for pid, p in partners.items():
        extra = sum(
            costs[frozenset(o[: o.index(pid) + 1])] - costs.get(frozenset(o[: o.index(pid)]), 0) for o in orders
        )
        assert p["shapley"] == pytest.approx(extra / math.factorial(3), abs=0.01)
    # the nucleolus: its largest excess is the least-core value, and no other split has smaller excesses
    nucleolus = {pid: p["nucleolus"] for pid, p in partners.items()}
    mine = _excesses(costs, nucleolus)
    assert mine[0] == pytest.approx(found["least_core"], abs=0.02)
    for method in ("shapley", "pro_rata", "per_site"):
        other = _excesses(costs, {pid: p[method] for pid, p in partners.items()})
        assert [round(x, 1) for x in mine] <= [round(x, 1) for x in other]


def test_share_without_json_names_the_recommended_split_and_the_core(tmp_path, capsys):
    project = _three_partner_project(tmp_path)
    assert main(["share", str(project), "--workers", "0", "--redundancy", "tree"]) == 0
    out = capsys.readouterr().out
    assert "Nucleolus" in out and "Recommended: " in out and "of 6 groups of partners" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["share", "missing.json"], "missing.json: no such file"),
        (["share", "{project}", "--time-limit", "0"], "--time-limit: 0 must be between 0 and 86400 seconds"),
        (["share", "{project}", "--coalitions", "/no/such/folder/c.csv"], "no folder"),
    ],
)
def test_share_refuses_bad_input_in_one_line(tmp_path, capsys, args, message):
    project = _three_partner_project(tmp_path)
    assert main([a.format(project=project) for a in args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_compare_puts_each_scenario_beside_the_plan(tmp_path, capsys):
    from planner.core.model import Partner, Scenario, Site
    from planner.core.project_file import load_project, save_project

    path = _three_partner_project(tmp_path)
    project = load_project(path)
    project.scenarios = [
        Scenario(
            "Fire joins", joining=(Partner("FIRE", "Fire"),), joining_sites=(Site("F1", "F1", "FIRE", -1.2, 53.6),)
        ),
        Scenario("Hull leaves", leaving=("HP",)),
    ]
    save_project(project, path)
    assert main(["compare", str(path), "--json", "--workers", "0"]) == 0
    found = json.loads(capsys.readouterr().out)["scenarios"]
    assert [s["name"] for s in found] == ["As planned", "Fire joins", "Hull leaves"]
    plan, joins, leaves = found
    for s in found:
        assert sum(p["share"] for p in s["partners"]) == pytest.approx(s["total"], abs=0.005)
    assert "HP" not in {p["id"] for p in leaves["partners"]} and leaves["circuits"] < plan["circuits"]
    (fire,) = joins["joining"]
    assert fire["id"] == "FIRE" and fire["adds"] == pytest.approx(joins["total"] - plan["total"], abs=0.005)
    assert fire["share"] == next(p["share"] for p in joins["partners"] if p["id"] == "FIRE")
    assert main(["compare", str(path), "--scenario", "Nope"]) == 2
    assert "no scenario 'Nope'" in capsys.readouterr().err


def test_compare_without_scenarios_says_so(tmp_path, capsys):
    assert main(["compare", str(_three_partner_project(tmp_path))]) == 2
    assert "has no scenarios to compare" in capsys.readouterr().err


def test_share_and_export_use_the_split_saved_with_the_project(tmp_path, capsys, monkeypatch):
    import planner.analysis.sharing as sharing
    from planner.analysis.sharing_file import sharing_to_dict
    from planner.core.project_file import load_project, save_project
    from planner.design import design_project

    path = _three_partner_project(tmp_path)
    project = load_project(path)
    design = design_project(project)
    project.record_design(design)
    split = sharing.share_costs(project, design)
    save_project(project, path, sharing=sharing_to_dict(split, project, design, 600.0))

    def no_pricing(*args, **kwargs):
        raise AssertionError("the saved split should have been used")

    monkeypatch.setattr(sharing, "share_costs", no_pricing)
    assert main(["share", str(path), "--json", "--workers", "0"]) == 0
    shown = {p["id"]: p["nucleolus"] for p in json.loads(capsys.readouterr().out)["partners"]}
    assert shown == {p.partner: p.shares["nucleolus"] / 100 for p in split.partners}
    assert main(["export", str(path), "--xlsx", str(tmp_path / "pack.xlsx"), "--workers", "0"]) == 0


# -- files that are not files (issue 13, item 6) --------------------------------------------------
def _not_files(tmp_path) -> dict[str, str]:
    """A named pipe, a device that never ends, a folder and JSON nested 100,000 deep, by what they are."""
    import os

    found = {"folder": str(tmp_path)}
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    found["deep"] = str(deep)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.csv")
        found["pipe"] = str(tmp_path / "pipe.csv")
    if os.path.exists("/dev/zero"):
        found["device"] = "/dev/zero"
    return found


@pytest.mark.parametrize("kind", ["folder", "pipe", "device"])
@pytest.mark.parametrize("option", ["--sites", "--links", "--demands", "project"])
def test_what_is_not_a_file_is_one_clear_line_at_once(tmp_path, capsys, sites_csv, kind, option):
    import time

    target = _not_files(tmp_path).get(kind)
    if target is None:
        pytest.skip(f"no {kind} here")
    if option == "project":
        args = ["design", target]
    elif option == "--sites":
        args = ["design", "--sites", target]
    else:
        args = ["design", "--sites", str(sites_csv), option, target]
    started = time.monotonic()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert time.monotonic() - started < 5
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert {"folder": "is a folder", "pipe": "is a named pipe", "device": "is a device"}[kind] in err


def test_a_project_nested_100k_deep_is_one_clear_line(tmp_path, capsys):
    assert main(["design", _not_files(tmp_path)["deep"]]) == 2
    err = capsys.readouterr().err
    assert "deep.json: the JSON nests more than 100 deep" in err and "Traceback" not in err


def test_design_out_to_a_named_pipe_is_refused_and_the_pipe_kept(tmp_path, capsys, sites_csv):
    import os
    import stat

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "out.csv")
    assert main(["design", "--sites", str(sites_csv), "--out", str(tmp_path / "out.csv")]) == 2
    assert "out.csv: cannot be written (it is a named pipe, not a file)" in capsys.readouterr().err
    assert stat.S_ISFIFO((tmp_path / "out.csv").stat().st_mode)


def test_version_prints_the_package_version(capsys):
    from planner import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"planner {__version__}"


def test_screenshot_opens_the_window_through_the_ui_screenshot(tmp_path, capsys, monkeypatch):
    """``planner screenshot`` (how ``make dist-check`` sees the built app's window) hands over to the UI's."""
    import planner.ui.screenshot

    taken = []
    monkeypatch.setattr(planner.ui.screenshot, "take_screenshots", lambda out, project: taken.append((out, project)))
    assert main(["screenshot", str(tmp_path / "w.png")]) == 0
    assert taken == [(tmp_path / "w.png", planner.ui.screenshot.DEFAULT_PROJECT)]
    from PySide6.QtWidgets import QApplication

    QApplication.instance().processEvents()  # the line saying the window is shown, not left for a later test
    assert "screenshot: window shown" in capsys.readouterr().out


def _small_project(tmp_path):
    from planner.core.project_file import save_project
    from planner.io.site_tables import project_from_csv

    sites = tmp_path / "sites.csv"
    sites.write_text(SITES, encoding="utf-8")
    path = tmp_path / "plan.json"
    save_project(project_from_csv(sites), path)
    return path


def test_render_writes_the_map_at_the_size_asked_in_each_format(tmp_path, capsys):
    import xml.etree.ElementTree as ET

    from PySide6.QtGui import QImage

    project = _small_project(tmp_path)
    args = ["render", str(project), "--png", str(tmp_path / "m.png"), "--svg", str(tmp_path / "m.svg")]
    assert main([*args, "--pdf", str(tmp_path / "m.pdf"), "--width", "900", "--height", "600"]) == 0
    assert QImage(str(tmp_path / "m.png")).size().toTuple() == (900, 600)
    svg = ET.parse(tmp_path / "m.svg").getroot()
    assert svg.get("viewBox") == "0 0 900 600" and "Backbone" in "".join(svg.itertext())
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    assert "Wrote" in capsys.readouterr().err


def test_render_a_presenter_step_saves_the_slide(tmp_path, capsys):
    from PySide6.QtGui import QImage

    project = _small_project(tmp_path)
    size = ["--width", "1280", "--height", "720"]
    args = ["render", str(project), "--png", str(tmp_path / "s.png"), "--step", "1", *size]
    assert main(args) == 0
    image = QImage(str(tmp_path / "s.png"))
    assert image.width() == 1280 and image.height() == 720  # smaller than the editing window's least height


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rendr", "plan.json"], "'rendr' is not a command"),
        (["missing.json"], "missing.json: no such project file"),
        (["render", "missing.json", "--png", "m.png"], "missing.json"),
        (["render", "{project}"], "give at least one output"),
        (["render", "{project}", "--png", "m.png", "--width", "20"], "width: 20 must be a whole number of pixels"),
        (["render", "{project}", "--png", "m.jpg"], "--png"),
    ],
)
def test_render_and_unknown_commands_refuse_in_one_line_without_a_window(tmp_path, capsys, monkeypatch, args, message):
    import planner.cli

    project = _small_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(planner.cli, "_open_app", lambda argv: pytest.fail("a window was opened"))
    args = [a.format(project=project) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
