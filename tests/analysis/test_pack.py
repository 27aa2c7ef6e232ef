"""The pack's headline figures and notes, and whether a saved design still fits its project."""

import datetime as dt
from dataclasses import replace

from planner.analysis.pack import build_pack, design_matches
from planner.core.model import DesignSettings
from planner.core.project_file import load_project, save_project
from planner.design import design_project
from tests.analysis.test_schedule import grouped_ring
from tests.analysis.test_sharing import three_partners


def test_headline_lines_carry_the_design_totals():
    project = three_partners()
    design = design_project(project)
    pack = build_pack(project, design, when=dt.datetime(2025, 1, 2, 3, 4))
    lines = {line.label: line for line in pack.summary_lines()}
    assert lines["Total over term"].value == design.total_cost and lines["Total over term"].kind == "gbp"
    assert lines["Saving from sharing"].value == pack.sharing.saving
    assert lines["Prepared"].value == "2 January 2025 03:04"
    assert (
        lines["Single-failure check"].value
        == f"All {len(design.links)} single circuit failures leave everyone connected"
    )


def test_a_tree_is_summed_up_in_one_note_not_one_per_circuit():
    project = three_partners("tree")
    design = design_project(project, DesignSettings("tree"))
    notes = [n for n in build_pack(project, design).notes() if "cut sites off" in n]
    assert notes == [
        f"{len(design.links)} of {len(design.links)} single circuit failures cut sites off; the worst, losing "
        + notes[0].split("losing ")[1]
    ]


def test_site_failures_join_the_check_for_2node():
    project = three_partners("2node")
    design = design_project(project, DesignSettings("2node"))
    pack = build_pack(project, design)
    assert {r.failure for r in pack.failures.rows} == {"Circuit", "Site"}
    assert len(pack.failures.rows) == len(design.links) + len(project.sites)


def test_a_saved_design_matches_until_a_site_moves(tmp_path):
    project = three_partners()
    project.record_design(design_project(project))
    save_project(project, tmp_path / "p.json")
    loaded = load_project(tmp_path / "p.json")
    assert design_matches(loaded, loaded.current_design)
    moved = replace(loaded, sites=[replace(s, lon=s.lon + 0.01) if s.id == "a1" else s for s in loaded.sites])
    assert not design_matches(moved, loaded.current_design)
    fewer = replace(loaded, sites=loaded.sites[:-1])
    assert not design_matches(fewer, loaded.current_design)


def test_the_summary_sums_up_every_failure_and_a_group_that_cuts_sites_off_is_a_note():
    project, design = grouped_ring()  # a ring of 5 made before its groups: the duct at c1 cuts Civic Hall off
    pack = build_pack(project, design)
    lines = {line.label: line for line in pack.summary_lines()}
    assert lines["Failures survived"].value == pack.analysis.summary
    assert pack.analysis.summary.startswith(
        "Survives all 5 single circuit failures and 2 of 3 shared-risk groups but none of the 10 double circuit "
        "failures."
    )
    assert (
        "1 of 3 shared-risk groups cut sites off when lost; the worst, Duct c1, cuts off 1 of 5 sites. "
        "The design was not made to survive them."
    ) in pack.notes()
    assert len(pack.failures.rows) == 5 + 3 and len(pack.double_failures.rows) == 10
