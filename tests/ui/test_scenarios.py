"""The Scenarios dock driven like a user: scenarios made in the dialog (undoable, bad ones refused), compared
in the background with the same figures as planner.analysis, stale after an edit, cancelled; and the
presenter's "What if" on the saving step."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from planner.analysis.scenarios import PLAN, compare_scenarios
from planner.core.errors import DesignCancelled
from planner.core.model import Partner, Scenario, Site
from planner.core.money import format_gbp, format_gbp_short
from planner.core.project_file import project_to_dict
from planner.ui.scenario_dialog import ScenarioDialog, scaled_tariff
from planner.ui.scenarios_panel import ROWS, entry_words
from tests.ui.conftest import wait_design

JOINER = Partner("YAS", "Yorkshire Ambulance Service", "#CC79A7", "health")


def _joins(project) -> Scenario:
    """A health body joining with two sites near the region's."""
    a, b = project.sites[0], project.sites[3]
    sites = (
        Site("h1", "Hospital 1", "YAS", a.lon + 0.1, a.lat + 0.05),
        Site("h2", "Hospital 2", "YAS", b.lon - 0.1, b.lat),
    )
    return Scenario("Ambulance joins", joining=(JOINER,), joining_sites=sites)


def _sites_csv(tmp_path, project):
    """A joining partner's site list; its first id is one the project uses already."""
    a = project.sites[0]
    path = tmp_path / "ambulance.csv"
    path.write_text(
        f"id,name,lat,lon\n{a.id},Hospital 1,{a.lat + 0.05},{a.lon + 0.1}\nH2,Hospital 2,{a.lat - 0.04},{a.lon}\n",
        encoding="utf-8",
    )
    return path


def _type(qtbot, widget, text: str) -> None:
    """Select what the field holds and type ``text`` over it."""
    line = widget.lineEdit() if hasattr(widget, "lineEdit") else widget
    line.selectAll()
    qtbot.keyClicks(line, text)
    if hasattr(widget, "interpretText"):
        widget.interpretText()


@pytest.fixture
def dialogs(monkeypatch):
    """Each scenario dialog the panel opens is shown, filled by the test's ``fill`` and left as it ends."""
    opened: list[ScenarioDialog] = []
    fills: list = []

    def exec_(dialog):
        opened.append(dialog)
        dialog.show()
        fills.pop(0)(dialog)
        return dialog.result()

    monkeypatch.setattr(ScenarioDialog, "exec", exec_)
    return opened, fills


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _listed(panel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def test_add_a_scenario_in_the_dialog_then_undo_and_redo_it(qtbot, opened, dialogs):
    panel, doc = opened.scenarios_panel, opened.document
    _, fills = dialogs

    def fill(dialog):
        qtbot.keyClicks(dialog.name, "University leaves")
        dialog.leaving.item(2).setCheckState(Qt.CheckState.Checked)  # the third partner: University
        _type(qtbot, dialog.growth, "20")
        _type(qtbot, dialog.prices, "5")
        _ok(qtbot, dialog)

    fills.append(fill)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    tariff = scaled_tariff(doc.project.tariff, 5)
    expected = Scenario("University leaves", leaving=("UNI",), tariff=tariff, demand_growth=0.2)
    assert doc.project.scenarios == [expected]
    assert tariff.rental_per_km == round(doc.project.tariff.rental_per_km * 1.05)
    assert opened.editor.undo_stack.undoText() == "Add scenario ‘University leaves’"
    assert _listed(panel) == ["University leaves"]
    assert panel.description.text() == "University leaves; prices +5%; traffic +20%"
    assert doc.design_current  # a scenario changes no design
    opened.editor.undo_stack.undo()
    assert doc.project.scenarios == [] and _listed(panel) == []
    opened.editor.undo_stack.redo()
    assert doc.project.scenarios == [expected] and _listed(panel) == ["University leaves"]

    def rename(dialog):  # Edit… shows the scenario as it is; a change is one more undo step
        assert dialog.name.text() == "University leaves" and dialog.prices.value() == 5
        assert dialog.leaving.item(2).checkState() == Qt.CheckState.Checked
        _type(qtbot, dialog.name, "Without the university")
        _ok(qtbot, dialog)

    fills.append(rename)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert doc.project.scenarios == [replace(expected, name="Without the university")]
    assert opened.editor.undo_stack.undoText() == "Edit scenario ‘Without the university’"
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert (
        doc.project.scenarios == []
        and opened.editor.undo_stack.undoText() == "Remove scenario ‘Without the university’"
    )
    opened.editor.undo_stack.undo()
    assert doc.project.scenarios[0].name == "Without the university"


def test_a_partner_joins_with_sites_read_from_a_site_list(qtbot, opened, dialogs, tmp_path, monkeypatch):
    panel, doc = opened.scenarios_panel, opened.document
    _, fills = dialogs
    path = _sites_csv(tmp_path, doc.project)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))

    def fill(dialog):
        qtbot.keyClicks(dialog.name, "Ambulance joins")
        dialog.joins.setChecked(True)
        qtbot.keyClicks(dialog.join_name, JOINER.name)
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.sites_label.text().startswith("2 sites from ambulance.csv; ids already used renamed: s0 → s0-2")
        _ok(qtbot, dialog)

    fills.append(fill)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    (scenario,) = doc.project.scenarios
    (partner,) = scenario.joining
    assert (partner.name, partner.kind) == (JOINER.name, "health") and partner.id not in doc.project.partners_by_id
    assert [(s.id, s.partner) for s in scenario.joining_sites] == [("s0-2", partner.id), ("H2", partner.id)]
    assert opened.editor.undo_stack.undoText() == "Add scenario ‘Ambulance joins’"


def test_a_bad_scenario_is_refused_with_its_reason_and_nothing_changes(qtbot, opened, dialogs, tmp_path, monkeypatch):
    panel, doc = opened.scenarios_panel, opened.document
    _, fills = dialogs
    opened.editor.add_scenario(Scenario("University leaves", leaving=("UNI",)))
    before = project_to_dict(doc.project), opened.editor.undo_stack.count()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,lat,lon\nX1,Somewhere,north,1\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bad), ""))
    messages = []

    def fill(dialog):
        qtbot.keyClicks(dialog.name, "university leaves")  # the same name, in another case
        _ok(qtbot, dialog)
        messages.append(dialog.message.text())
        assert dialog.isVisible() and dialog.message.isVisible()  # still open: the user can put it right
        _type(qtbot, dialog.name, "As planned")  # the plan's own name
        _ok(qtbot, dialog)
        messages.append(dialog.message.text())
        _type(qtbot, dialog.name, "Somebody joins")
        dialog.joins.setChecked(True)  # with no name
        _ok(qtbot, dialog)
        messages.append(dialog.message.text())
        qtbot.keyClicks(dialog.join_name, "leeds city council")  # a partner already
        _ok(qtbot, dialog)
        messages.append(dialog.message.text())
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # a site list that cannot be read
        messages.append(dialog.message.text())
        dialog.reject()

    fills.append(fill)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert messages[0] == "Scenario: name: there is a scenario ‘university leaves’ already: choose another name"
    assert messages[1] == f"Scenario: name: ‘{PLAN}’ stands for the plan itself: choose another name"
    assert messages[2] == "A partner joining needs a name (or untick ‘A partner joins’)."
    assert messages[3] == "‘leeds city council’ is a partner already: a partner joining must be a new one."
    assert messages[4].startswith("bad.csv: row 2: lat") and "north" in messages[4]
    assert (project_to_dict(doc.project), opened.editor.undo_stack.count()) == before
    with pytest.raises(ValueError, match="is not a partner"):  # the document refuses what the dialog would
        opened.editor.add_scenario(Scenario("Ghost leaves", leaving=("NOPE",)))
    assert (project_to_dict(doc.project), opened.editor.undo_stack.count()) == before


def _cell(panel, label: str, column: int) -> str:
    model = panel.model
    return model.data(model.index(model.row_of(label), column), Qt.ItemDataRole.DisplayRole)


def _compare(qtbot, win) -> None:
    win.actions_["compare"].trigger()  # Design → Compare Scenarios (F6)
    assert win.docks["scenarios"].isVisible()
    qtbot.waitUntil(lambda: not win.scenario_runner.busy, timeout=60_000)
    assert win.scenario_runner.problem == ""


def test_compare_shows_the_analysis_figures_side_by_side_and_goes_stale_after_an_edit(qtbot, opened):
    win, panel, doc = opened, opened.scenarios_panel, opened.document
    opened.editor.add_scenario(Scenario("University leaves", leaving=("UNI",)))
    opened.editor.add_scenario(_joins(doc.project))
    assert panel.compare_button.text() == "Compare" and not panel.table.isVisible()
    _compare(qtbot, win)
    direct = compare_scenarios(doc.project)
    assert [r.name for r in direct] == [PLAN, "University leaves", "Ambulance joins"]
    model = panel.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        r.name for r in direct
    ]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(len(ROWS))] == list(ROWS)
    for column, r in enumerate(direct):
        assert _cell(panel, "Total over term", column) == format_gbp(r.design.total_cost)
        assert _cell(panel, "Saving", column) == format_gbp(r.sharing.saving)
        assert _cell(panel, "Circuits", column) == f"{len(r.design.links)}"
        added = "–" if column == 0 else f"+{len(r.added)} / −{len(r.removed)}"
        assert _cell(panel, "Added / removed", column) == added
        for p in doc.project.partners:
            share = r.share(p.id)
            assert _cell(panel, p.name, column) == ("–" if share is None else format_gbp(share))
    joined = direct[2]
    assert joined.entry == {"YAS": joined.design.total_cost - direct[0].design.total_cost}
    assert [_cell(panel, JOINER.name, c) for c in range(3)] == ["–", "–", entry_words(joined, "YAS", "\n")]
    assert entry_words(joined, "YAS") == (
        f"adds {format_gbp(joined.entry['YAS'])}; would pay {format_gbp(joined.share('YAS'))}"
    )
    assert _cell(panel, "University", 1) == "–" and panel.model.current
    assert panel.status.text().startswith("Shares split by ")
    assert not panel.notes.isVisible()

    site = doc.project.sites[1]
    opened.editor.move_site(site.id, site.lon + 0.02, site.lat)  # an edit: the comparison is out of date
    assert not panel.model.current and panel.notes.isVisible() and "greyed" in panel.notes.text()
    wait_design(qtbot, win)
    qtbot.wait(1_000)  # longer than the settling time: nothing is compared again by itself
    assert not win.scenario_runner.busy and not win.scenario_runner.current
    assert panel.compare_button.text() == "Compare again"
    opened.editor.undo_stack.undo()  # back as it was: current again
    assert win.scenario_runner.current and panel.model.current and not panel.notes.isVisible()
    opened.editor.move_site(site.id, site.lon + 0.02, site.lat)
    wait_design(qtbot, win)
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.scenario_runner.current, timeout=60_000)
    assert _cell(panel, "Total over term", 0) == format_gbp(doc.design.total_cost)


def test_a_scenario_that_cannot_be_designed_shows_why(qtbot, opened):
    win, panel = opened, opened.scenarios_panel
    far = Site("f1", "Far away", "FAR", 1.7, 52.6)  # a lone site: no network of two can reach it twice
    opened.editor.add_scenario(
        Scenario(
            "Alone far away", leaving=("WYP", "LCC", "UNI"), joining=(Partner("FAR", "Far"),), joining_sites=(far,)
        )
    )
    _compare(qtbot, win)
    result = win.scenario_runner.results[1]
    assert result.problem and _cell(panel, "Total over term", 1) == "Cannot be designed"
    assert panel.model.data(panel.model.index(0, 1), Qt.ItemDataRole.ToolTipRole) == result.problem
    assert f"‘Alone far away’ cannot be designed: {result.problem}" in panel.notes.text()


def test_cancel_a_running_comparison(qtbot, opened, monkeypatch):
    win, panel = opened, opened.scenarios_panel
    opened.editor.add_scenario(Scenario("University leaves", leaving=("UNI",)))
    started = []

    def slow_design(project, settings, control):  # a scenario that would take minutes, until cancelled
        started.append(project.name)
        while not control.cancelled:
            control.cancel_event.wait(0.01)
        raise DesignCancelled()

    monkeypatch.setattr("planner.analysis.scenarios.design_project", slow_design)
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)  # the plan is reused; the scenario is being designed
    assert win.scenario_runner.busy and panel.compare_button.text() == "Cancel" and panel.progress.isVisible()
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert not win.scenario_runner.busy and win.scenario_runner.wait(10)
    qtbot.wait(50)
    assert win.scenario_runner.results is None and panel.status.text() == "Stopped."
    assert panel.compare_button.text() == "Compare" and not panel.progress.isVisible()


def test_the_presenter_shows_what_if_a_partner_joins_on_the_saving_step(qtbot, opened):
    win, presenter, doc = opened, opened.presenter, opened.document
    opened.editor.add_scenario(_joins(doc.project))
    opened.editor.add_scenario(Scenario("University leaves", leaving=("UNI",)))
    _compare(qtbot, win)
    plan, joined, _ = win.scenario_runner.results
    presenter.enter(full_screen=False)
    qtbot.waitUntil(lambda: win.sharing_runner.sharing is not None, timeout=30_000)
    overlay = presenter.overlay
    presenter.go(3)
    assert presenter.panel().title == "The saving" and presenter.panel().keys == "W: what if… (2 scenarios compared)"
    qtbot.keyClick(overlay, Qt.Key.Key_W)
    panel = presenter.panel()
    assert panel.title == "What if: Ambulance joins" and panel.figure == format_gbp_short(joined.share("YAS"))
    assert f"adds {format_gbp_short(joined.entry['YAS'])}" in panel.caption
    rows = {r.name: r.figure for r in panel.rows}
    assert rows[JOINER.name] == f"{format_gbp_short(joined.share('YAS'))} (joins)"
    for p in doc.project.partners:
        change = joined.share(p.id) - plan.share(p.id)
        assert rows[p.name].startswith(format_gbp_short(joined.share(p.id)))
        assert ("same" in rows[p.name]) == (change == 0)
    qtbot.keyClick(overlay, Qt.Key.Key_W)
    panel = presenter.panel()
    assert panel.title == "What if: University leaves" and {r.name: r.figure for r in panel.rows}["University"] == (
        "leaves"
    )
    qtbot.keyClick(overlay, Qt.Key.Key_W)
    assert presenter.panel().title == "The saving"
    qtbot.keyClick(overlay, Qt.Key.Key_W)
    qtbot.keyClick(overlay, Qt.Key.Key_Right)  # stepping on leaves the what-if behind
    assert presenter.story.key == "cut" and presenter.story.what_if is None
    presenter.leave()

    opened.editor.rename_project("Renamed")  # an edit the comparison does not depend on: still shown
    assert win.scenario_runner.current
    opened.editor.change_settings(redundancy="tree")  # one it does: the presenter is as it was without
    wait_design(qtbot, win)
    presenter.enter(full_screen=False)
    presenter.go(3)
    qtbot.keyClick(presenter.overlay, Qt.Key.Key_W)
    assert presenter.panel().title == "The saving" and presenter.panel().keys == ""
    presenter.leave()
