"""The editor, its undo commands and the document they change, without a window."""

from __future__ import annotations

import dataclasses

import pytest

from planner.core.model import ExistingLink, Quote
from planner.ui.document import ProjectDocument
from planner.ui.editor import ProjectEditor
from tests.ui.conftest import small_region


@pytest.fixture
def editor(qapp):
    return ProjectEditor(ProjectDocument(small_region(6)))


def test_moves_of_one_drag_merge_and_separate_drags_do_not(editor):
    site = editor.project.sites[0]
    for step in range(5):
        editor.move_site(site.id, site.lon + step * 0.01, site.lat, drag=1)
    editor.move_site(site.id, 0.5, 52.0, drag=2)
    assert editor.undo_stack.count() == 2
    editor.undo_stack.undo()
    assert editor.project.site(site.id).lon == pytest.approx(site.lon + 0.04)
    editor.undo_stack.undo()
    assert editor.project.site(site.id) == site


def test_delete_sites_drops_their_links_and_undo_brings_everything_back(editor):
    a, b, c = (s.id for s in editor.project.sites[:3])
    editor.project.quotes = [Quote(a, b, 100, 200), Quote(b, c, 100, 200)]
    editor.project.existing_links = [ExistingLink(a, c, "WYP")]
    editor.project.forbidden_links = [(b, c)]
    before = (
        list(editor.project.sites),
        editor.project.quotes,
        editor.project.existing_links,
        editor.project.forbidden_links,
    )
    editor.document.selection.set([a])
    editor.delete_sites([a])
    assert editor.undo_stack.undoText() == f"Delete site ‘{before[0][0].name}’"
    assert [q.a for q in editor.project.quotes] == [b]
    assert editor.project.existing_links == [] and editor.project.forbidden_links == [(b, c)]
    assert editor.document.selection.sites == frozenset()
    editor.undo_stack.undo()
    after = (editor.project.sites, editor.project.quotes, editor.project.existing_links, editor.project.forbidden_links)
    assert after == before


def test_every_input_change_makes_the_design_stale(editor, qtbot):
    revisions = [editor.document.revision]
    with qtbot.waitSignal(editor.document.inputs_changed):
        editor.change_tariff(rental_per_km=5000)
    revisions.append(editor.document.revision)
    editor.change_settings(redundancy="tree")
    revisions.append(editor.document.revision)
    editor.rename_project("Not an input")
    assert editor.document.revision == revisions[-1] > revisions[-2] > revisions[0]
    assert editor.undo_stack.count() == 3


def test_bad_values_are_refused_with_the_field_named(editor):
    with pytest.raises(ValueError, match="term_years"):
        editor.change_tariff(term_years=0)
    with pytest.raises(ValueError, match="redundancy"):
        editor.change_settings(redundancy="ring")
    with pytest.raises(ValueError, match="still has sites"):
        editor.delete_partner(editor.project.sites[0].partner)
    assert editor.undo_stack.count() == 0


def test_add_partner_picks_an_unused_palette_colour(editor):
    used = {p.colour for p in editor.project.partners}
    partner_id = editor.add_partner("North Yorkshire Fire and Rescue")
    partner = editor.project.partner(partner_id)
    assert partner.id == "NYFAR" and partner.colour not in used
    editor.undo_stack.undo()
    assert partner_id not in editor.project.partners_by_id


def test_design_for_old_inputs_is_not_accepted(editor, qtbot):
    from planner.design import design_project

    design = design_project(editor.project)
    revision = editor.document.revision
    editor.move_site(editor.project.sites[0].id, -1.0, 53.0)
    assert not editor.document.accept_design(design, revision)
    assert editor.document.accept_design(design_project(editor.project), editor.document.revision)
    assert editor.document.design_current


def test_marking_a_link_existing_lifts_its_ban_and_forbidding_it_unmarks_it(editor, qtbot):
    a, b = (s.id for s in editor.project.sites[:2])
    editor.forbid_link(b, a)
    with qtbot.waitSignal(editor.document.constraints_changed):
        editor.mark_existing(a, b, "LCC", 50_000)
    assert editor.project.forbidden_links == [] and editor.project.existing_links == [ExistingLink(a, b, "LCC", 50_000)]
    editor.mark_existing(b, a, "LCC", 50_000)  # the same again: nothing to undo
    assert editor.undo_stack.count() == 2
    editor.forbid_link(a, b)
    assert editor.project.existing_links == [] and editor.project.forbidden_links == [(a, b)]
    assert editor.undo_stack.undoText() == "Forbid link ‘Town 0’–‘Town 1’"
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.project.forbidden_links == [(a, b)] and editor.project.existing_links == []


def test_no_go_areas_are_added_renamed_and_removed_in_undoable_steps(editor):
    ring = [(-1.6, 53.7), (-1.5, 53.7), (-1.55, 53.8)]
    assert editor.add_zone(ring) == "No-go area 1"
    assert editor.add_zone(ring) == "No-go area 2"
    editor.rename_zone(0, "Moor")
    assert editor.undo_stack.undoText() == "Rename no-go area ‘No-go area 1’ to ‘Moor’"
    editor.document.selection.set(zones=[1])
    editor.remove_zones([0, 1])
    assert editor.project.exclusion_zones == [] and editor.document.selection.zones == frozenset()
    assert editor.undo_stack.undoText() == "Delete 2 no-go areas"
    editor.undo_stack.undo()
    assert [z.name for z in editor.project.exclusion_zones] == ["Moor", "No-go area 2"]


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        ([(-1.6, 53.7), (-1.5, 53.7)], "at least three corners"),
        ([(-1.6, 53.7), (-1.5, 53.7), (-1.4, 53.7)], "at least three corners"),
        ([(-1.6, 53.7), (-1.5, 53.8), (-1.5, 53.7), (-1.6, 53.8)], "must not cross"),
    ],
)
def test_an_area_that_is_not_a_simple_polygon_is_refused(editor, ring, message):
    with pytest.raises(ValueError, match=message):
        editor.add_zone(ring)
    assert editor.undo_stack.count() == 0


def test_replacing_sites_drops_their_links_and_undo_restores_everything(editor):
    from planner.core.model import Partner, Site
    from planner.io.site_import import plan_import

    a, b, c = (s.id for s in editor.project.sites[:3])
    editor.set_quotes([Quote(a, b, 100, 200)])
    editor.mark_existing(a, c, "WYP")
    before = (
        list(editor.project.sites),
        editor.project.quotes,
        editor.project.existing_links,
        list(editor.project.partners),
    )
    editor.document.selection.set([a, b])
    plan = plan_import(
        editor.project, [Partner("Fire", "Fire")], [Site(a, "Station", "Fire", -1.5, 53.8)], replace=True
    )
    editor.import_sites(plan)
    assert [(s.id, s.name) for s in editor.project.sites] == [(a, "Station")]
    assert editor.project.quotes == [] and editor.project.existing_links == []
    assert editor.project.partners[-1].name == "Fire" and editor.document.selection.sites == {a}
    editor.undo_stack.undo()
    assert (
        editor.project.sites,
        editor.project.quotes,
        editor.project.existing_links,
        editor.project.partners,
    ) == before


def _accept_a_design(editor: ProjectEditor):
    from planner.design import design_project

    doc = editor.document
    design = design_project(doc.project)
    assert doc.accept_design(design, doc.revision)
    return design


def test_undo_puts_back_the_accepted_design_and_redo_the_later_one(editor):
    doc = editor.document
    first = _accept_a_design(editor)
    editor.mark_saved()
    site = doc.project.sites[0]
    editor.move_site(site.id, site.lon + 0.1, site.lat)
    assert doc.project.designs == [] and not doc.design_current and editor.modified
    moved = _accept_a_design(editor)

    editor.undo_stack.undo()
    assert doc.design is first and doc.design_current and doc.project.designs == [first]
    assert not editor.modified  # the project is what the file holds again
    editor.undo_stack.redo()
    assert doc.design is moved and doc.design_current and doc.project.designs == [moved]
    assert editor.modified


def test_undo_and_redo_of_a_setting_show_the_design_made_for_each_side(editor):
    doc = editor.document
    survivable = _accept_a_design(editor)
    editor.change_settings(redundancy="tree")
    assert editor.undo_stack.undoText() == "Redundancy: 2edge → tree"
    tree = _accept_a_design(editor)
    assert len(tree.links) < len(survivable.links)
    editor.undo_stack.undo()
    assert doc.project.settings.redundancy == "2edge" and doc.design is survivable and doc.design_current
    editor.undo_stack.redo()
    assert doc.project.designs == [tree] and doc.design is tree and doc.design_current


def test_unmodified_means_what_the_file_holds(editor, qtbot):
    changes = []
    editor.modified_changed.connect(changes.append)
    design = _accept_a_design(editor)  # the file has no design yet: saving would write one
    assert editor.modified and changes == [True]
    editor.mark_saved()
    assert not editor.modified and changes == [True, False]
    editor.rename_project("Renamed")
    editor.undo_stack.undo()  # back at the saved state, design and all
    assert not editor.modified and editor.document.design is design
    editor.undo_stack.redo()
    assert editor.modified
    editor.mark_unsaved()  # recovered work: nothing is in a file, whatever is undone
    editor.undo_stack.undo()
    assert editor.modified


def test_history_says_what_changed_from_what_to_what(editor):
    project = editor.project
    site = project.sites[1]
    police, council = (p for p in project.partners if p.id in ("WYP", "LCC"))
    other = council if site.partner == police.id else police
    editor.edit_site(dataclasses.replace(site, partner=other.id))
    before = next(p.name for p in project.partners if p.id == site.partner)
    assert editor.undo_stack.undoText() == f"Site ‘{site.name}’ partner: {before} → {other.name}"
    editor.edit_site(dataclasses.replace(editor.project.site(site.id), name="Depot"))
    assert editor.undo_stack.undoText() == f"Rename site ‘{site.name}’ to ‘Depot’"
    editor.edit_site(dataclasses.replace(editor.project.site(site.id), role="hub", note="x" * 300))
    assert editor.undo_stack.undoText() == "Edit site ‘Depot’: role, note"
    editor.edit_site(dataclasses.replace(editor.project.site(site.id), note="y" * 300))
    text = editor.undo_stack.undoText()
    assert text.startswith("Site ‘Depot’ note: xxx") and len(text) < 120
    editor.change_tariff(term_years=7)
    assert editor.undo_stack.undoText() == "Term: 5 years → 7 years"
    editor.change_settings(time_limit=45.0)
    assert editor.undo_stack.undoText() == "Time limit: 30 s → 45 s"


def test_names_pasted_with_control_characters_are_cleaned_so_the_project_saves(editor, tmp_path):
    from planner.core.project_file import load_project, save_project

    site_id = editor.add_site("Leeds\tGeneral\r\nInfir\x00mary", editor.project.partners[0].id, -1.55, 53.8)
    assert editor.project.site(site_id).name == "Leeds General Infirmary"
    editor.edit_site(dataclasses.replace(editor.project.site(site_id), note="ward 5\x1b[31m", name="\x00\n"))
    site = editor.project.site(site_id)
    assert (site.name, site.note) == ("Leeds General Infirmary", "ward 5[31m")  # an empty name keeps the old one
    partner_id = editor.add_partner("Fire\u2028and Rescue")
    editor.rename_project("Plan\x07 2027")
    assert editor.project.partner(partner_id).name == "Fire and Rescue" and editor.project.name == "Plan 2027"
    save_project(editor.project, tmp_path / "plan.json")
    assert load_project(tmp_path / "plan.json").site(site_id) == site
