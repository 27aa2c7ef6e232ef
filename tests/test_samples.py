"""Every sample partnership loads, carries plausible traffic, and the real command designs it at every level,
verified independently."""

import csv
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.project_file import load_project
from planner.core.traffic import flows, traffic_problems
from planner.design import design_project
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


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_carries_traffic_as_sources_md_states_it(path):
    """Per-site demands for partners with hubs, pairs to the headquarters for those without, DC↔DC replication."""
    project = load_project(path)
    sites = project.sites_by_id
    assert project.demands and any(s.demand_mbps > 0 for s in project.sites)
    assert all(d.a in sites and d.b in sites and d.mbps > 0 for d in project.demands)
    assert traffic_problems(project) == []
    with_hubs = {s.partner for s in project.sites if s.role == "hub"}
    assert [s.id for s in project.sites if s.demand_mbps > 0 and s.partner not in with_hubs] == []
    # Every site sends traffic or is where some goes: none is on the map for nothing.
    assert {end for f in flows(project) for end in (f.source, *f.targets)} == set(sites)
    # Round planning figures by kind of site: 20 Mb/s to 1 Gb/s a site, and replication of 2 Gb/s or more from
    # each partner's data centre to its second one (or its busiest other site), never to another partner's.
    assert all(20 <= s.demand_mbps <= 1_000 and s.demand_mbps % 10 == 0 for s in project.sites if s.demand_mbps)
    replicated = {
        sites[d.a].partner for d in project.demands if d.mbps >= 2_000 and "hub" in (sites[d.a].role, sites[d.b].role)
    }
    assert replicated == with_hubs
    assert all(sites[d.a].partner == sites[d.b].partner for d in project.demands if d.mbps >= 2_000)


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_cli_designs_every_sample(path, level, tmp_path, capsys):
    """The quick method: what is checked here is the command's output at every level, not how far the capacity
    search gets (bench/capacity.py measures that)."""
    out = tmp_path / "design.csv"
    argv = ["design", str(path), "--redundancy", level, "--method", "quick", "--out", str(out), "--json"]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    project = load_project(path)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    sites = {s.id: (s.lon, s.lat) for s in project.sites}
    check_design_csv(rows, sites, level)
    names = {s.id: s.name for s in project.sites}
    assert all(r["a_name"] == names[r["a"]] and r["b_name"] == names[r["b"]] for r in rows)
    # What the schedule promises: every circuit bought at a tier that carries its worst load within the limit.
    limit = project.settings.max_utilisation
    assert summary["verified"] is True and len(summary["links"]) == len(rows)
    for link, row in zip(summary["links"], rows, strict=True):
        assert link["bandwidth"] and link["bandwidth"] == row["bandwidth"]
        assert 0 <= link["load_mbps"] <= link["worst_load_mbps"] <= limit * link["capacity_mbps"] + 1e-6


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_a_quick_design_of_every_sample_buys_more_than_one_tier(path):
    """Circuits are sized for their own loads: light sites' circuits stay at the smallest tier while the
    replication between data centres needs a faster one.

    Asserted for the normal state (a tree), where that holds whatever the search finds in its time. With
    redundancy the tiers also depend on how far the capacity search gets: from the sized topology (a long
    ring, most circuits at 10G after some cut) the quick method's short search may find no cheaper design.
    """
    project = load_project(path)
    design = design_project(project, replace(project.settings, method="quick", redundancy="tree"))
    assert design.verified
    tiers = Counter(link.bandwidth for link in design.links)
    assert len(tiers) > 1, tiers
    assert tiers[project.tariff.min_tier] > 0, tiers  # light sites are not bought a bigger circuit than they need
