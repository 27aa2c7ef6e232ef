"""``planner export`` run as a procurement officer would."""

import csv
import subprocess
import sys
from dataclasses import replace

import openpyxl
import pytest

from planner.cli import main
from planner.core.project_file import load_project, save_project
from tests.io.export_fixtures import hostile_project, packed

SITES = """id,name,lat,lon,partner
LDS,Leeds,53.8008,-1.5491,WYP
SHF,Sheffield,53.3811,-1.4701,SYP
YRK,York,53.9576,-1.0827,NYP
HUL,Hull,53.7457,-0.3367,HP
BRD,Bradford,53.7960,-1.7594,WYP
WKF,Wakefield,53.6830,-1.4977,SYP
"""


@pytest.fixture
def saved(tmp_path):
    project, _ = packed()
    path = tmp_path / "plan.json"
    save_project(project, path)
    return path


def test_export_of_a_saved_design_keeps_its_circuits(saved, tmp_path, capsys):
    outputs = {ext: tmp_path / f"out.{ext}" for ext in ("xlsx", "csv", "pdf", "geojson", "gpkg", "kml")}
    args = ["export", str(saved)] + [x for ext, p in outputs.items() for x in (f"--{ext}", str(p))]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "designing it now" not in err and err.count("Wrote ") == 6
    design = load_project(saved).current_design
    with open(outputs["csv"], encoding="utf-8-sig", newline="") as f:
        ids = [r["Circuit"] for r in csv.DictReader(f)]
    assert ids == [k.circuit_id for k in design.links]
    wb = openpyxl.load_workbook(outputs["xlsx"])
    assert wb["Summary"]["A1"].value == "Three Counties Partnership"
    assert all(p.stat().st_size > 0 for p in outputs.values())


def test_a_project_without_a_current_design_is_designed_first(tmp_path, capsys):
    project = hostile_project()
    plan = tmp_path / "plan.json"
    save_project(project, plan)
    assert main(["export", str(plan), "--csv", str(tmp_path / "c.csv")]) == 0
    assert "has no 2edge design: designing it now" in capsys.readouterr().err
    moved, _ = packed()
    moved.sites = [replace(s, lat=s.lat + 0.05) if s.id == "a1" else s for s in moved.sites]
    save_project(moved, plan)
    assert main(["export", str(plan), "--csv", str(tmp_path / "c.csv")]) == 0
    assert "out-of-date 2edge design" in capsys.readouterr().err


def test_the_installed_command_exports_from_a_site_list(tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text(SITES, encoding="utf-8")
    out = tmp_path / "schedule.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "export",
            "--sites",
            str(sites),
            "--csv",
            str(out),
            "--kml",
            str(tmp_path / "n.kml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["A-end site"] for r in rows} | {r["B-end site"] for r in rows} == {
        "LDS",
        "SHF",
        "YRK",
        "HUL",
        "BRD",
        "WKF",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--xlsx", "{missing}/pack.xlsx"], "pack.xlsx: cannot be written (no folder"),
        (["--pdf", "{folder}"], "cannot be written (it is a folder)"),
        ([], "give at least one output: --xlsx FILE"),
        (["--csv", "{folder}/c.csv", "--links", "{folder}/q.csv"], "--links goes with --sites"),
    ],
)
def test_bad_outputs_are_one_clear_line(saved, tmp_path, capsys, args, message):
    args = [a.format(missing=tmp_path / "nowhere", folder=tmp_path) for a in args]
    assert main(["export", str(saved), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_export_with_demands_sizes_the_schedule_for_them_and_a_changed_demand_redesigns(saved, tmp_path, capsys):
    project = load_project(saved)
    hub = project.sites[0]
    others = [s.id for s in project.sites[1:4]]
    demands = tmp_path / "demands.csv"
    demands.write_text("a,b,mbps\n" + "".join(f"{hub.id},{o},900\n" for o in others), encoding="utf-8")
    out = tmp_path / "circuits.csv"
    assert main(["export", str(saved), "--demands", str(demands), "--csv", str(out), "--method", "heuristic"]) == 0
    assert "out-of-date 2edge design: designing it now" in capsys.readouterr().err  # the stored one had no traffic
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert any(float(r["Load Mb/s"]) > 0 for r in rows)
    for r in rows:
        assert float(r["Worst load Mb/s"]) <= 0.8 * int(r["Capacity Mb/s"]) + 1e-6
        assert float(r["Worst use"]) == pytest.approx(float(r["Worst load Mb/s"]) / int(r["Capacity Mb/s"]), abs=1e-3)
    assert any(r["Bandwidth"] != "1G" for r in rows)  # 900 Mb/s each way does not fit a 1G circuit at 80%
