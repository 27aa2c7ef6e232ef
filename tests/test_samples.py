"""Every sample partnership loads, and the real command designs it at every level, verified independently."""

import csv
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.project_file import load_project
from tests.test_cli import check_design_csv

SAMPLES = sorted((Path(__file__).parent.parent / "sample_regions").glob("*.json"))


def test_there_is_one_sample_per_partnership_in_the_news():
    assert {p.stem for p in SAMPLES} == {
        "yorkshire_and_humber",
        "norfolk_and_suffolk_police",
        "hampshire_and_dorset",
        "eastern_counties",
        "bedfordshire_cambridgeshire_hertfordshire_police",
    }


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_is_a_real_partnership(path):
    project = load_project(path)
    assert 15 <= len(project.sites) <= 60
    assert len(project.partners) >= 2
    assert {s.partner for s in project.sites} == {p.id for p in project.partners}
    assert len({p.colour for p in project.partners}) == len(project.partners)
    # Inside the bounding box of England and Wales, where these partnerships are.
    assert all(-6.5 < s.lon < 2.0 and 49.8 < s.lat < 56.0 for s in project.sites)


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_cli_designs_every_sample(path, level, tmp_path, capsys):
    out = tmp_path / "design.csv"
    assert main(["design", str(path), "--redundancy", level, "--method", "heuristic", "--out", str(out)]) == 0
    project = load_project(path)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    sites = {s.id: (s.lon, s.lat) for s in project.sites}
    check_design_csv(rows, sites, level)
    names = {s.id: s.name for s in project.sites}
    assert all(r["a_name"] == names[r["a"]] and r["b_name"] == names[r["b"]] for r in rows)
