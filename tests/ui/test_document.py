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
