"""The document and its undo commands, without a window."""

from __future__ import annotations

import pytest

from planner.core.model import ExistingLink, Quote
from planner.ui.document import ProjectDocument
from tests.ui.conftest import small_region


@pytest.fixture
def doc(qapp):
    return ProjectDocument(small_region(6))


def test_moves_of_one_drag_merge_and_separate_drags_do_not(doc):
    site = doc.project.sites[0]
    for step in range(5):
        doc.move_site(site.id, site.lon + step * 0.01, site.lat, drag=1)
    doc.move_site(site.id, 0.5, 52.0, drag=2)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert doc.project.site(site.id).lon == pytest.approx(site.lon + 0.04)
    doc.undo_stack.undo()
    assert doc.project.site(site.id) == site


def test_delete_sites_drops_their_links_and_undo_brings_everything_back(doc):
    a, b, c = (s.id for s in doc.project.sites[:3])
    doc.project.quotes = [Quote(a, b, 100, 200), Quote(b, c, 100, 200)]
    doc.project.existing_links = [ExistingLink(a, c, "WYP")]
    doc.project.forbidden_links = [(b, c)]
    before = (list(doc.project.sites), doc.project.quotes, doc.project.existing_links, doc.project.forbidden_links)
    doc.selection.set([a])
    doc.delete_sites([a])
    assert doc.undo_stack.undoText() == f"Delete site ‘{before[0][0].name}’"
    assert [q.a for q in doc.project.quotes] == [b]
    assert doc.project.existing_links == [] and doc.project.forbidden_links == [(b, c)]
    assert doc.selection.sites == frozenset()
    doc.undo_stack.undo()
    after = (doc.project.sites, doc.project.quotes, doc.project.existing_links, doc.project.forbidden_links)
    assert after == before


def test_every_input_change_makes_the_design_stale(doc, qtbot):
    revisions = [doc.revision]
    with qtbot.waitSignal(doc.inputs_changed):
        doc.change_tariff(rental_per_km=5000)
    revisions.append(doc.revision)
    doc.change_settings(redundancy="tree")
    revisions.append(doc.revision)
    doc.rename_project("Not an input")
    assert doc.revision == revisions[-1] > revisions[-2] > revisions[0]
    assert doc.undo_stack.count() == 3


def test_bad_values_are_refused_with_the_field_named(doc):
    with pytest.raises(ValueError, match="term_years"):
        doc.change_tariff(term_years=0)
    with pytest.raises(ValueError, match="redundancy"):
        doc.change_settings(redundancy="ring")
    with pytest.raises(ValueError, match="still has sites"):
        doc.delete_partner(doc.project.sites[0].partner)
    assert doc.undo_stack.count() == 0


def test_add_partner_picks_an_unused_palette_colour(doc):
    used = {p.colour for p in doc.project.partners}
    partner_id = doc.add_partner("North Yorkshire Fire and Rescue")
    partner = doc.project.partner(partner_id)
    assert partner.id == "NYFAR" and partner.colour not in used
    doc.undo_stack.undo()
    assert partner_id not in doc.project.partners_by_id


def test_design_for_old_inputs_is_not_accepted(doc, qtbot):
    from planner.design import design_project

    design = design_project(doc.project)
    revision = doc.revision
    doc.move_site(doc.project.sites[0].id, -1.0, 53.0)
    assert not doc.accept_design(design, revision)
    assert doc.accept_design(design_project(doc.project), doc.revision)
    assert doc.design_current


def test_marking_a_link_existing_lifts_its_ban_and_forbidding_it_unmarks_it(doc, qtbot):
    a, b = (s.id for s in doc.project.sites[:2])
    doc.forbid_link(b, a)
    with qtbot.waitSignal(doc.constraints_changed):
        doc.mark_existing(a, b, "LCC", 50_000)
    assert doc.project.forbidden_links == [] and doc.project.existing_links == [ExistingLink(a, b, "LCC", 50_000)]
    doc.mark_existing(b, a, "LCC", 50_000)  # the same again: nothing to undo
    assert doc.undo_stack.count() == 2
    doc.forbid_link(a, b)
    assert doc.project.existing_links == [] and doc.project.forbidden_links == [(a, b)]
    assert doc.undo_stack.undoText() == "Forbid link ‘Town 0’–‘Town 1’"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project.forbidden_links == [(a, b)] and doc.project.existing_links == []


def test_no_go_areas_are_added_renamed_and_removed_in_undoable_steps(doc):
    ring = [(-1.6, 53.7), (-1.5, 53.7), (-1.55, 53.8)]
    assert doc.add_zone(ring) == "No-go area 1"
    assert doc.add_zone(ring) == "No-go area 2"
    doc.rename_zone(0, "Moor")
    assert doc.undo_stack.undoText() == "Rename no-go area ‘No-go area 1’ to ‘Moor’"
    doc.selection.set(zones=[1])
    doc.remove_zones([0, 1])
    assert doc.project.exclusion_zones == [] and doc.selection.zones == frozenset()
    assert doc.undo_stack.undoText() == "Delete 2 no-go areas"
    doc.undo_stack.undo()
    assert [z.name for z in doc.project.exclusion_zones] == ["Moor", "No-go area 2"]


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        ([(-1.6, 53.7), (-1.5, 53.7)], "at least three corners"),
        ([(-1.6, 53.7), (-1.5, 53.7), (-1.4, 53.7)], "at least three corners"),
        ([(-1.6, 53.7), (-1.5, 53.8), (-1.5, 53.7), (-1.6, 53.8)], "must not cross"),
    ],
)
def test_an_area_that_is_not_a_simple_polygon_is_refused(doc, ring, message):
    with pytest.raises(ValueError, match=message):
        doc.add_zone(ring)
    assert doc.undo_stack.count() == 0


def test_replacing_sites_drops_their_links_and_undo_restores_everything(doc):
    from planner.core.model import Partner, Site
    from planner.io.site_import import plan_import

    a, b, c = (s.id for s in doc.project.sites[:3])
    doc.set_quotes([Quote(a, b, 100, 200)])
    doc.mark_existing(a, c, "WYP")
    before = (list(doc.project.sites), doc.project.quotes, doc.project.existing_links, list(doc.project.partners))
    doc.selection.set([a, b])
    plan = plan_import(doc.project, [Partner("Fire", "Fire")], [Site(a, "Station", "Fire", -1.5, 53.8)], replace=True)
    doc.import_sites(plan)
    assert [(s.id, s.name) for s in doc.project.sites] == [(a, "Station")]
    assert doc.project.quotes == [] and doc.project.existing_links == []
    assert doc.project.partners[-1].name == "Fire" and doc.selection.sites == {a}
    doc.undo_stack.undo()
    assert (doc.project.sites, doc.project.quotes, doc.project.existing_links, doc.project.partners) == before
