"""The capacity view of the real main window: circuit widths by capacity, colours by worst-case use (View →
Colour Circuits by Worst-Case Use, U), what a clicked circuit carries (Properties), the schedule's traffic
columns, and presenter step 5 showing traffic rerouted after a cut; and none of it without traffic."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from planner.analysis.loads import traffic_outage
from planner.analysis.resilience import outage
from planner.core.model import Demand
from planner.core.project_file import save_project
from planner.core.words import short_name
from planner.ui import properties, style
from planner.ui.document import format_mbps
from planner.ui.presenter.layer import load_width
from planner.ui.schedule import COLUMNS, TRAFFIC_COLUMNS
from tests.factories import carried_by_each_flow
from tests.ui.conftest import small_region, wait_design

#: Each site's traffic to the hub ``s0`` cycles through these rates (Mb/s), plus one big pair demand.
RATES = (400, 900, 1500, 2500)


def traffic_region():
    """The small region (12 towns, hub ``s0``) with every site sending traffic to the hub."""
    project = small_region()
    ids = [s.id for s in project.sites]
    project.demands = [Demand(s, "s0", RATES[i % len(RATES)]) for i, s in enumerate(ids[1:])]
    project.demands.append(Demand(ids[1], ids[6], 3000))
    project.settings = replace(project.settings, method="heuristic")
    return project


@pytest.fixture
def busy(qtbot, window, tmp_path):
    """The main window with the traffic region open and designed."""
    path = tmp_path / "traffic.json"
    save_project(traffic_region(), path)
    assert window.load(path)
    wait_design(qtbot, window)
    qtbot.wait(150)
    return window


def _colour(pen) -> str:
    return pen.color().name().upper()


def _clickable(win, wanted) -> tuple[str, QPoint]:
    """A circuit for which ``wanted(link)`` holds whose midpoint on the map hits it, and that point."""
    view = win.map_view
    for link in sorted(win.document.design.links, key=lambda k: -k.distance_km):
        if not wanted(link):
            continue
        line = win.map_scene.link_item(link.circuit_id).line()
        view.centerOn(line.center())
        point = view.mapFromScene(line.center())
        item = view.item_at(point)
        if item is not None and item.data(1) == link.circuit_id:
            return link.circuit_id, point
    raise AssertionError("no such circuit can be clicked clear of the sites")


def _pixel_near(win, circuit_id: str, colour: str, tolerance: int = 40) -> bool:
    """Whether the window, as drawn, shows ``colour`` at (or next to) the middle of the circuit."""
    image = win.grab().toImage()
    line = win.map_scene.link_item(circuit_id).line()
    point = win.map_view.viewport().mapTo(win, win.map_view.mapFromScene(line.center()))
    want = QColor(colour).getRgb()[:3]
    for dx, dy in itertools.product((-1, 0, 1), repeat=2):
        got = image.pixelColor(point.x() + dx, point.y() + dy).getRgb()[:3]
        if all(abs(a - b) <= tolerance for a, b in zip(got, want, strict=True)):
            return True
    return False


# -- the map -------------------------------------------------------------------------------------------
def test_circuits_are_as_wide_as_their_capacity(busy):
    links = busy.document.design.links
    capacities = sorted({k.capacity_mbps for k in links})
    assert len(capacities) >= 2, "the test needs circuits of more than one capacity"
    widths = {}
    for link in links:
        width = busy.map_scene.link_item(link.circuit_id).pen().widthF()
        assert width == pytest.approx(style.link_width(link.capacity_mbps))
        widths.setdefault(link.capacity_mbps, set()).add(width)
    by_capacity = [widths[c].pop() for c in capacities]
    assert by_capacity == sorted(by_capacity) and len(set(by_capacity)) == len(by_capacity)
    assert style.link_width(20_000) > style.link_width(10_000) > style.link_width(1000) > style.link_width(100)
    assert style.link_width(16 * 10_000) == style.link_width(1e9)  # capped


def test_circuits_are_coloured_by_worst_case_use_and_u_turns_it_off(qtbot, busy):
    doc, scene, action = busy.document, busy.map_scene, busy.map_view.use_action
    assert action.isEnabled() and action.isChecked()
    assert action in busy.menuBar().actions()[2].menu().actions()  # View
    limit = doc.project.settings.max_utilisation
    bands = {}
    for link in doc.design.links:
        band = style.use_band(link.worst_utilisation, limit)
        assert _colour(scene.link_item(link.circuit_id).pen()) == style.USE_COLOURS[band], link.circuit_id
        bands.setdefault(band, link)
    assert {"low", "busy"} <= set(bands), f"the test needs quiet and busy circuits, not only {set(bands)}"
    legend = [text for *_, text in busy.map_view.legend._rows]
    assert "Use after the worst failure" in legend and "Capacity (line width)" in legend
    busy.document.selection.clear()
    busy.actions_["labels"].trigger()  # no name over the circuit's middle
    qtbot.wait(200)
    quiet = _clickable(busy, lambda k: style.use_band(k.worst_utilisation, limit) == "low")[0]
    assert _pixel_near(busy, quiet, style.USE_COLOURS["low"])

    busy.map_view.setFocus()
    qtbot.keyClick(busy.map_view, Qt.Key.Key_U)
    assert not action.isChecked()
    for link in doc.design.links:
        assert _colour(scene.link_item(link.circuit_id).pen()) == style.LINK_STYLES[link.role].colour.upper()
    assert "Use after the worst failure" not in [text for *_, text in busy.map_view.legend._rows]
    qtbot.wait(50)
    assert not _pixel_near(busy, quiet, style.USE_COLOURS["low"])
    assert _pixel_near(busy, quiet, style.LINK_STYLES["backbone"].colour)

    qtbot.keyClick(busy.map_view, Qt.Key.Key_U)
    assert action.isChecked()
    assert _colour(scene.link_item(bands["busy"].circuit_id).pen()) == style.USE_COLOURS["busy"]


def test_removing_the_traffic_puts_the_circuits_back_as_they_were(qtbot, busy):
    doc, action = busy.document, busy.map_view.use_action
    doc.set_demands([])
    assert not action.isEnabled()
    for link in doc.design.links:  # the design on show until the redesign: drawn in the roles' colours
        assert _colour(busy.map_scene.link_item(link.circuit_id).pen()) == style.LINK_STYLES[link.role].colour.upper()
    wait_design(qtbot, busy)
    assert {k.bandwidth for k in doc.design.links} == {doc.project.tariff.min_tier}
    assert "Capacity (line width)" not in [text for *_, text in busy.map_view.legend._rows]


def test_without_traffic_the_map_the_schedule_and_properties_are_as_before(qtbot, opened):
    doc, scene, action = opened.document, opened.map_scene, opened.map_view.use_action
    assert not action.isEnabled()
    qtbot.keyClick(opened.map_view, Qt.Key.Key_U)  # disabled: nothing happens
    for link in doc.design.links:
        pen = scene.link_item(link.circuit_id).pen()
        assert link.bandwidth == "1G" and pen.widthF() == pytest.approx(2.2)  # the width 1G always had
        assert _colour(pen) == style.LINK_STYLES[link.role].colour.upper()
    rows = [text for *_, text in opened.map_view.legend._rows]
    assert "Use after the worst failure" not in rows and "Capacity (line width)" not in rows
    assert all(opened.schedule.table.isColumnHidden(c) for c in TRAFFIC_COLUMNS)
    assert not any(opened.schedule.table.isColumnHidden(c) for c in range(len(COLUMNS)) if c not in TRAFFIC_COLUMNS)

    opened.docks["properties"].raise_()
    circuit, point = _clickable(opened, lambda k: True)
    qtbot.mouseClick(opened.map_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    view = opened.properties.circuit_view
    qtbot.waitUntil(view.isVisible)
    assert circuit in view.title.text() and view.fields["bandwidth"].text() == "1G"
    assert not view.carried.isVisible() and not view.fields["load"].isVisible()
    assert "No traffic is stated" in view.note.text()


# -- what a circuit carries -------------------------------------------------------------------------------
def test_clicking_a_circuit_lists_the_demands_it_carries(qtbot, busy, monkeypatch):
    doc = busy.document
    busy.docks["properties"].raise_()
    project, design = doc.project, doc.design
    circuit, point = _clickable(busy, lambda k: len(carried_by_each_flow(project, design, k.circuit_id)) >= 3)
    qtbot.mouseClick(busy.map_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert doc.selection.circuits == {circuit}
    view = busy.properties.circuit_view
    qtbot.waitUntil(view.isVisible)
    assert busy.properties.site_box.title() == "Circuit"
    link = design.link(circuit)
    names = doc.sites_by_id
    assert view.title.text().startswith(f"<b>{circuit}</b>")
    assert view.fields["bandwidth"].text().startswith(link.bandwidth)
    assert view.fields["capacity"].text() == f"{format_mbps(link.capacity_mbps)} Mb/s each way"
    assert view.fields["metric"].text() == f"{link.metric:,}"
    assert view.fields["load"].text().startswith(f"{format_mbps(round(link.load_mbps))} Mb/s")
    worst = view.fields["worst"].text()
    assert worst.startswith(f"{format_mbps(round(link.worst_load_mbps))} Mb/s")
    if link.worst_failure.startswith("circuit"):
        assert worst.endswith(f"after losing {link.worst_failure}")
    assert f"{link.worst_utilisation:.0%} of capacity" in view.fields["use"].text()

    expected = [
        (short_name(names[f.source].name), short_name(names[f.targets[0]].name), format_mbps(round(mbps)))
        for f, mbps in carried_by_each_flow(project, design, circuit)  # each flow routed alone: the reference
    ]
    assert view.rows() == expected
    loads = [float(row[2].replace(",", "")) for row in view.rows()]
    assert loads == sorted(loads, reverse=True)
    assert sum(loads) == pytest.approx(link.load_mbps, abs=len(loads))  # what it carries is its load
    assert view.carried_title.text().startswith(f"Carries {len(expected)} demands")

    monkeypatch.setattr(properties, "MAX_CARRIED_ROWS", 2)
    doc.selection.clear()
    qtbot.mouseClick(busy.map_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    rest = sum(m for _, m in carried_by_each_flow(project, design, circuit)[2:])
    assert view.rows() == [*expected[:2], (f"and {len(expected) - 2} more", "", format_mbps(round(rest)))]


def test_the_schedule_shows_loads_worst_loads_and_use(qtbot, busy):
    model, table = busy.schedule.model, busy.schedule.table
    assert not any(table.isColumnHidden(c) for c in TRAFFIC_COLUMNS)
    load, worst, use, after = (COLUMNS.index(c) for c in ("Load Mb/s", "Worst Mb/s", "Worst use", "Worst after losing"))
    limit = busy.document.project.settings.max_utilisation
    names = busy.document.sites_by_id
    for link in busy.document.design.links:
        row = model.row_of(link.circuit_id)
        assert model.index(row, load).data() == f"{link.load_mbps:,.0f}"
        assert model.index(row, worst).data() == f"{link.worst_load_mbps:,.0f}"
        assert model.index(row, use).data() == f"{link.worst_utilisation:.0%}"
        colour = model.index(row, use).data(Qt.ItemDataRole.ForegroundRole)
        assert colour.name().upper() == style.use_colour(link.worst_utilisation, limit)
        failure = link.worst_failure
        if failure.startswith("site "):
            failure = f"site {names[failure[5:]].name}"
        assert model.index(row, after).data() == (failure or "–")


# -- presenter step 5 --------------------------------------------------------------------------------------
def _overlay_point(win, circuit_id: str) -> QPoint:
    line = win.map_scene.link_item(circuit_id).line()
    return win.map_view.viewport().mapToParent(win.map_view.mapFromScene(line.center()))


def _clickable_in_presenter(win, circuit_id: str) -> bool:
    point = _overlay_point(win, circuit_id)
    presenter = win.presenter
    return not presenter.overlay.panel_rect().contains(point) and presenter.circuit_under(point) == circuit_id


def test_presenter_shows_traffic_rerouted_and_names_an_overloaded_circuit(qtbot, busy):
    doc, presenter = busy.document, busy.presenter
    project, design = doc.project, doc.design
    presenter.enter(full_screen=False)
    overlay = presenter.overlay
    qtbot.waitUntil(overlay.hasFocus)
    qtbot.keyClick(overlay, Qt.Key.Key_5)
    assert presenter.story.key == "cut"
    qtbot.wait(50)  # the overlay's fit to the panel

    normal = traffic_outage(project, design, [])
    links = {k.circuit_id: k for k in design.links}

    def busiest(found, cut=()):
        use = {c: found.loads[c] / links[c].capacity_mbps for c in links if c not in cut}
        top = max(use, key=lambda c: (use[c], c))
        return top, use[top]

    top, use = busiest(normal)
    assert presenter.panel().traffic == f"All traffic carried; busiest circuit {top} at {use:.0%}"
    width = busy.map_scene.link_item(top).pen().widthF()
    assert _colour(busy.map_scene.link_item(top).pen()) == style.use_colour(use, project.settings.max_utilisation)

    # Two cuts that leave everyone connected but overload a circuit (a design survives any one cut).
    pairs = []
    for x, y in itertools.combinations(sorted(links), 2):
        found = traffic_outage(project, design, [x, y])
        if found.overloaded and not found.not_carried and outage(design, [x, y]).connected:
            pairs.append((x, y, found))
    assert pairs, "the test needs two cuts that overload a circuit"
    clickable = [p for p in pairs if _clickable_in_presenter(busy, p[0]) and _clickable_in_presenter(busy, p[1])]
    assert clickable, "no such pair can be clicked"
    x, y, found = clickable[0]

    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=_overlay_point(busy, x))
    assert presenter.story.cuts == (x,)
    single = traffic_outage(project, design, [x])
    assert not single.overloaded
    top, use = busiest(single, (x,))
    assert presenter.panel().traffic == f"All traffic still carried; busiest circuit {top} at {use:.0%}"

    # a double failure on purpose: Shift keeps the first cut (a plain click would replace it)
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, _overlay_point(busy, y))
    assert presenter.story.cuts == (x, y)
    limit = project.settings.max_utilisation
    over = sorted(found.overloaded, key=lambda c: (-found.loads[c] / links[c].capacity_mbps, c))
    worst = links[over[0]]
    panel = presenter.panel()
    expected = (
        f"{worst.circuit_id} would be overloaded: {format_mbps(round(found.loads[worst.circuit_id]))} of "
        f"{format_mbps(worst.capacity_mbps)} Mb/s"
    )
    assert panel.traffic.startswith(expected), panel.traffic
    assert panel.figure == "Still connected"
    assert [r.name.split(":")[0] for r in panel.rows] == [x, y, *over[:6]]
    pen = busy.map_scene.link_item(worst.circuit_id).pen()
    assert _colour(pen) == style.USE_COLOURS["over"]
    assert pen.widthF() == pytest.approx(load_width(found.loads[worst.circuit_id]))  # as wide as its load now
    assert pen.widthF() > load_width(normal.loads[worst.circuit_id])
    assert found.loads[worst.circuit_id] > limit * worst.capacity_mbps

    qtbot.keyClick(overlay, Qt.Key.Key_C)  # restore all: the normal state's text again
    top, use = busiest(normal)
    assert presenter.panel().traffic == f"All traffic carried; busiest circuit {top} at {use:.0%}"
    assert busy.map_scene.link_item(top).pen().widthF() == pytest.approx(width)
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    for link in design.links:  # the editor's pens are back
        assert busy.map_scene.link_item(link.circuit_id).pen() == busy.map_scene.link_pen(link)


def test_presenter_without_traffic_says_nothing_about_it(qtbot, opened):
    presenter = opened.presenter
    presenter.enter(full_screen=False)
    qtbot.keyClick(presenter.overlay, Qt.Key.Key_End)
    assert presenter.panel().traffic == ""
    qtbot.keyClick(presenter.overlay, Qt.Key.Key_R)
    assert len(presenter.story.cuts) == 1 and presenter.panel().traffic == ""
    cut = presenter.story.cuts[0]
    for link in opened.document.design.links:  # the green way round and the paler rest, as before
        if link.circuit_id != cut:
            assert _colour(opened.map_scene.link_item(link.circuit_id).pen()) in ("#1E7B4A", "#8CC2A4", "#C5CDD5")
    presenter.leave()
