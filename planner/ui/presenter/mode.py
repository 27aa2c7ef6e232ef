"""View → Presenter mode: the partnership's story told full screen on the app's own map.

Five steps, stepped with the arrow keys, Page Up/Down (a presentation clicker), space or
clicks: the partners' sites; each partner's own network and its cost; the shared
backbone and its cost; the saving; and a live demonstration where any circuit can be
cut (click it, or press R for a random one) to show that everyone is still connected,
or, for a tree, who is cut off. A new cut replaces the last; Shift with the click (or
with R) cuts one more as well, a double failure asked for on purpose, and C restores
all. Esc leaves, F11 toggles full screen. When the project's scenarios have been compared
(Scenarios dock, and the project not edited since), W on the saving step shows each
"What if …" in turn: a joining partner's entry price and how every partner's share
changes; without a current comparison the story is as before.

Entering hides the menus, toolbars, docks and status bar and remembers the window as it
was; leaving puts it all back. Each partner's own network and the cost sharing come from
the document's :class:`~planner.ui.sharing_runner.SharingRunner`, worked out in the
background on entry ("Preparing…" until they are ready). Cuts are view state: the project
is never changed and nothing goes on the undo stack.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QMargins, QObject, QPoint, QPointF, QRect, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTransform
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QToolBar, QWidget

from planner.core.design_result import Design
from planner.core.model import REDUNDANCY_LEVELS
from planner.core.money import format_gbp_short, format_saving_percent
from planner.core.traffic import has_traffic
from planner.core.words import plural, short_name
from planner.ui import style
from planner.ui.document import format_mbps
from planner.ui.presenter.layer import CONNECTED, CUT, PresenterLayer
from planner.ui.presenter.overlay import INK, MUTED, NAVY, Panel, PresenterOverlay, Row, pounds
from planner.ui.presenter.story import Story

if TYPE_CHECKING:
    from planner.analysis.loads import TrafficOutage
    from planner.analysis.resilience import Outage
    from planner.analysis.scenarios import ScenarioResult
    from planner.ui.design_runner import DesignRunner
    from planner.ui.document import ProjectDocument
    from planner.ui.map.scene import MapScene
    from planner.ui.map.view import MapView
    from planner.ui.scenario_runner import ScenarioRunner
    from planner.ui.sharing_runner import SharingRunner

__all__ = ["Presenter"]

_ALONE = "#B8C2CC"  # the bar of what the partners pay alone
_COUNTS = {2: "Two", 3: "Three", 4: "Four", 5: "Five"}  # circuits cut at once, in words


@dataclass
class _Saved:
    """The window as it was before the presentation."""

    geometry: QRect
    state: QByteArray
    full_screen: bool
    maximized: bool
    menu_bar: bool
    status_bar: bool
    labels: bool
    legend: bool
    attribution: bool
    transform: QTransform
    centre: QPointF
    selection: tuple[frozenset[str], frozenset[str], frozenset[int], frozenset[str]]
    focus: QWidget | None


class Presenter(QObject):
    """Presenter mode of one main window.

    It is given what it works with: the ``window`` whose chrome (docks, toolbars, menus) it
    hides and restores, the ``document``, the map ``view`` and its scene, and the runners of
    the design, the cost sharing and the scenarios, whose results it shows.
    """

    def __init__(
        self,
        window: QMainWindow,
        document: ProjectDocument,
        view: MapView,
        scene: MapScene,
        designs: DesignRunner,
        sharing: SharingRunner,
        scenarios: ScenarioRunner,
    ):
        super().__init__(window)
        self.window, self.document = window, document
        self.view, self.scene = view, scene
        self.designs, self.runner, self.scenarios = designs, sharing, scenarios
        self.layer = PresenterLayer(self.scene)
        self.story = Story(())
        self.overlay: PresenterOverlay | None = None
        self._saved: _Saved | None = None
        self._outage: Outage | None = None
        #: The loads after the cuts (or in the normal state), when the project has traffic; and what for.
        self._traffic: TrafficOutage | None = None
        self._traffic_for: tuple | None = None
        self._survived: tuple[Design, str] | None = None
        self._problems: dict[str, str] = {}  # why the networks or the sharing could not be worked out
        self._progress = 0.0
        self.action = QAction("&Presenter Mode", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.action.setCheckable(True)
        self.action.setStatusTip(
            "Tell the partnership's story full screen: sites, costs alone, shared, saving, resilience"
        )
        self.action.triggered.connect(lambda on: self.enter() if on else self.leave())
        window.addAction(self.action)
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit)

    @property
    def active(self) -> bool:
        return self._saved is not None

    @property
    def problems(self) -> dict[str, str]:
        """Why the partners' own networks (``networks``) or the ``sharing`` could not be worked out."""
        return dict(self._problems)

    @property
    def project_name(self) -> str:
        return self.document.project.name

    @property
    def design(self) -> Design | None:
        """The shared design, when it is current."""
        return self.runner.design

    # -- entering and leaving -------------------------------------------------------------------
    def enter(self, full_screen: bool = True) -> None:
        """Hide the editing chrome and start the story at the first step."""
        if self.active:
            return
        w, view, selection = self.window, self.view, self.document.selection
        self._saved = _Saved(
            geometry=w.geometry(),
            state=w.saveState(),
            full_screen=w.isFullScreen(),
            maximized=w.isMaximized(),
            menu_bar=w.menuBar().isVisible(),
            status_bar=w.statusBar().isVisible(),
            labels=self.scene.labels_on,
            legend=view.legend.isVisible(),
            attribution=view.attribution.isVisible(),
            transform=view.transform(),
            centre=view.mapToScene(view.viewport().rect().center()),
            selection=(selection.sites, selection.circuits, selection.zones, selection.groups),
            focus=QApplication.focusWidget(),
        )
        selection.clear()
        for dock in w.findChildren(QDockWidget):
            dock.hide()
        for toolbar in w.findChildren(QToolBar):
            toolbar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        view.legend.hide()
        view.attribution.hide()
        self.scene.labels_on = False
        view.relayout_labels()
        self.story = Story(tuple(p.id for p in self.document.project.partners))
        self._outage = None
        self.layer.begin(self.document.design)
        self.overlay = PresenterOverlay(self, view)
        self.overlay.resize_to_parent()
        self.overlay.show()
        self.overlay.raise_()
        self.overlay.setFocus()
        view.installEventFilter(self)
        self._problems.clear()
        self.runner.changed.connect(self._refresh)
        self.runner.progress.connect(self._on_progress)
        self.runner.failed.connect(self._on_failed)
        self.scenarios.changed.connect(self._refresh)
        self.document.design_changed.connect(self._on_design_change)
        for kind in ("networks", "sharing"):
            self.runner.request(kind)
        if full_screen:
            w.showFullScreen()
        self.action.setChecked(True)
        self._refresh()
        self._fit_timer.start()

    def leave(self) -> None:
        """Put the window back exactly as it was."""
        saved = self._saved
        if saved is None:
            return
        w, view = self.window, self.view
        self._saved = None
        self._fit_timer.stop()
        view.removeEventFilter(self)
        self.runner.changed.disconnect(self._refresh)
        self.runner.progress.disconnect(self._on_progress)
        self.runner.failed.disconnect(self._on_failed)
        self.scenarios.changed.disconnect(self._refresh)
        self.document.design_changed.disconnect(self._on_design_change)
        self.layer.end()
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None
        self.scene.labels_on = saved.labels
        view.legend.setVisible(saved.legend)
        view.attribution.setVisible(saved.attribution)
        w.menuBar().setVisible(saved.menu_bar)
        w.statusBar().setVisible(saved.status_bar)
        w.restoreState(saved.state)
        if saved.full_screen:
            w.showFullScreen()
        elif saved.maximized:
            w.showMaximized()
        else:
            w.showNormal()
            w.setGeometry(saved.geometry)  # not restoreGeometry: that would fit it to the screen
        view.setTransform(saved.transform)
        view.centerOn(saved.centre)
        view.relayout_labels()
        self.document.selection.set(*saved.selection)
        if saved.focus is not None:
            saved.focus.setFocus()
        self.action.setChecked(False)

    def toggle_full_screen(self) -> None:
        if self.window.isFullScreen():
            self.window.showNormal()
        else:
            self.window.showFullScreen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize and self.overlay is not None:
            self.overlay.resize_to_parent()
            self._fit_timer.start()
        return False

    def _fit(self) -> None:
        if self.overlay is not None:
            u = self.overlay.unit
            gap = round(40 * u)
            self.view.fit_region(reserve=QMargins(gap, gap, self.overlay.panel_width() + gap, gap))

    # -- stepping --------------------------------------------------------------------------------
    def forward(self) -> None:
        if self.story.forward():
            self._refresh()

    def back(self) -> None:
        if self.story.back():
            self._refresh()

    def go(self, step: int) -> None:
        if self.story.go(step):
            self._refresh()

    def spotlight(self, delta: int) -> None:
        """Show one partner's own network at a time (the "alone" step)."""
        if self.story.key == "alone" and self.story.spotlight_step(delta):
            self._refresh()

    def spotlight_on(self, partner: str) -> None:
        if self.story.key == "alone":
            self.story.spotlight = None if self.story.spotlight == partner else partner
            self._refresh()

    def what_if(self) -> None:
        """In the saving step, show the next scenario compared ("What if …"), after the last the saving (W)."""
        if self.story.what_if_step(tuple(self._what_ifs())):
            self._refresh()

    def _what_ifs(self) -> dict[str, tuple[ScenarioResult, ScenarioResult]]:
        """Each scenario of a current comparison by name, with the plan's result (none without one)."""
        results = self.scenarios.fresh or []
        return {r.name: (results[0], r) for r in results[1:]}

    # -- the live demonstration --------------------------------------------------------------------
    def circuit_under(self, pos: QPoint) -> str | None:
        """The circuit a click at ``pos`` (overlay pixels) would cut, in the demonstration step."""
        if self.story.key != "cut" or self.design is None:
            return None
        return self.layer.circuit_at(self.view, self.view.viewport().mapFromParent(pos))  # the overlay covers the view

    def click_map(self, pos: QPoint, keep: bool = False) -> None:
        """Cut or restore the circuit clicked (``keep``: as well as those cut); elsewhere, go to the next step."""
        circuit = self.circuit_under(pos)
        if circuit is not None:
            self.toggle_cut(circuit, keep)
        elif self.story.key != "cut":
            self.forward()

    def toggle_cut(self, circuit_id: str, keep: bool = False) -> None:
        """Restore a cut circuit of the shared design, or cut it instead of the last cut (``keep``: as well as
        the circuits cut, a multiple failure on purpose). View state only: the project is untouched."""
        if self.story.key == "cut" and self.design is not None:
            self.story.toggle_cut(circuit_id, keep)
            self._refresh()

    def cut_random(self, keep: bool = False) -> None:
        """Cut a circuit chosen at random, instead of the last cut or (``keep``) as well (R, Shift+R)."""
        design = self.design
        if self.story.key != "cut" or design is None:
            return
        left = [k.circuit_id for k in design.links if k.circuit_id not in self.story.cuts]
        if left:
            self.toggle_cut(random.choice(left), keep)

    def restore_all(self) -> None:
        if self.story.restore_all():
            self._refresh()

    # -- keeping up ----------------------------------------------------------------------------------
    def _on_progress(self, fraction: float, message: str) -> None:
        self._progress = fraction
        if self.overlay is not None and self.story.key == "saving":
            self.overlay.update()

    def _on_design_change(self) -> None:
        design = self.document.design
        ids = {k.circuit_id for k in design.links} if design else set()
        self.story.cuts = tuple(c for c in self.story.cuts if c in ids)
        self._refresh()

    def _refresh(self) -> None:
        """Redraw the map and the panel for the story as it is now."""
        if self.overlay is None:
            return
        from planner.analysis.resilience import outage  # networkx: loaded when presenting, not at start-up

        design, key = self.design, self.story.key
        self._outage = outage(design, self.story.cuts) if design is not None and self.story.cuts else None
        if key == "partners":
            self.layer.show_sites(design)
        elif key == "alone":
            networks = self.runner.networks or {}
            colours = {p.id: p.colour for p in self.document.project.partners}
            pairs = {p: n.links for p, n in networks.items()}
            self.layer.show_networks(pairs, colours, self.story.spotlight)
        elif key == "cut":
            self._traffic = self._loads(design)
            limit = self.document.project.settings.max_utilisation
            self.layer.show_outage(design, self._outage, self._traffic, limit)
        else:
            self.layer.show_design(design, faded=key == "saving")
        self.overlay.update()

    def _loads(self, design: Design | None) -> TrafficOutage | None:
        """The traffic after the cuts (the normal state when none), when the project has traffic; kept while
        the design, the cuts and the project are the same."""
        project = self.document.project
        if design is None or not has_traffic(project):
            return None
        key = (design, self.story.cuts, project)
        if self._traffic_for is None or any(a is not b for a, b in zip(self._traffic_for, key, strict=True)):
            from planner.analysis.loads import traffic_outage  # the router: loaded when presenting

            try:
                self._traffic = traffic_outage(project, design, self.story.cuts)
            except (KeyError, ValueError):  # a design for sites since deleted: no loads until the redesign
                self._traffic = None
            self._traffic_for = key
        return self._traffic

    # -- the panel ----------------------------------------------------------------------------------
    def panel(self) -> Panel:
        """What the panel shows for the current step."""
        panel = {
            "partners": self._partners_panel,
            "alone": self._alone_panel,
            "shared": self._shared_panel,
            "saving": self._saving_panel,
            "cut": self._cut_panel,
        }[self.story.key]()
        what_ifs = self._what_ifs() if self.story.key == "saving" else {}
        if self.story.what_if in what_ifs:
            names = list(what_ifs)
            return self._what_if_panel(*what_ifs[self.story.what_if], names.index(self.story.what_if) + 1, len(names))
        if what_ifs:
            return replace(panel, keys=f"W: what if… ({plural(len(what_ifs), 'scenario')} compared)")
        return panel

    def _waiting(self, what: str, preparing: str) -> str:
        """``preparing`` while ``what`` (design, networks, sharing) is on its way, else why it is missing."""
        if what == "design":
            runner = self.designs
            coming = runner.busy or runner.due
            return preparing if coming else "No up-to-date design: press Esc, then Design (F5)."
        problem = self._problems.get(what)
        return f"Cannot work this out: {problem}" if problem else preparing

    def _on_failed(self, kind: str, problem: str) -> None:
        self._problems[kind] = problem
        self._refresh()

    def _level(self) -> str:
        level = self.design.redundancy if self.design else self.document.project.settings.redundancy
        return REDUNDANCY_LEVELS.get(level, level).lower()

    def _term(self) -> int:
        return self.design.term_years if self.design else self.document.project.tariff.term_years

    def _partners_panel(self) -> Panel:
        project = self.document.project
        counts = project.site_counts
        rows = tuple(Row(p.colour, p.name, plural(counts[p.id], "site"), MUTED) for p in project.partners)
        return Panel(
            "The partners",
            f"{len(project.partners)} public bodies with {len(project.sites)} sites to connect, "
            "each needing a network that keeps working when something fails.",
            rows=rows,
        )

    def _alone_panel(self) -> Panel:
        project = self.document.project
        networks = self.runner.networks
        lead = f"What each would pay for its own network, built to the same standard ({self._level()})."
        if networks is None:
            rows = tuple(Row(p.colour, p.name, "…", MUTED, key=p.id) for p in project.partners)
            waiting = self._waiting("networks", "Preparing each partner's own network…")
            return Panel("Each partner alone", lead, waiting=waiting, rows=rows)
        spot = self.story.spotlight
        rows = tuple(
            Row(p.colour, p.name, format_gbp_short(networks[p.id].cost), key=p.id, strong=p.id == spot)
            for p in project.partners
            if p.id in networks
        )
        if spot is not None and spot in networks:
            network = networks[spot]
            name = project.partners_by_id[spot].name
            caption = f"{name} alone: {plural(len(network.links), 'circuit')} over {self._term()} years"
            if network.note:
                caption += f" ({network.note})"
            figure = format_gbp_short(network.cost)
        else:
            figure = format_gbp_short(sum(n.cost for n in networks.values()))
            caption = f"if every partner builds its own, over {self._term()} years"
        return Panel(
            "Each partner alone", lead, figure, INK, caption, rows=rows, keys="↑ ↓ or click a partner: one at a time"
        )

    def _shared_panel(self) -> Panel:
        design = self.design
        lead = f"One backbone joining all {len(self.document.project.sites)} sites, {self._level()}."
        if design is None:
            return Panel("One shared network", lead, waiting=self._waiting("design", "Preparing the design…"))
        return Panel(
            "One shared network",
            lead,
            format_gbp_short(design.total_cost),
            NAVY,
            f"over {design.term_years} years, for all partners together",
            facts=(
                ("Circuits", f"{len(design.links):,}"),
                ("Route km", f"{design.route_km:,}"),
                ("Annual rental", pounds(design.annual_cost)),
                ("Installation, one-off", pounds(design.install_cost)),
            ),
        )

    def _saving_panel(self) -> Panel:
        design, networks, sharing = self.design, self.runner.networks, self.runner.sharing
        title = "The saving"
        if design is None or networks is None:
            lead = "Sharing one network instead of each partner building its own."
            return Panel(title, lead, waiting=self._waiting("design" if design is None else "networks", "Preparing…"))
        alone = sum(n.cost for n in networks.values())
        saving = alone - design.total_cost
        share = saving / alone if alone else 0.0
        if saving >= 0:
            figure, colour = format_gbp_short(saving), CONNECTED
            caption = f"saved over {design.term_years} years: {format_saving_percent(share)} less than going alone"
        else:
            title, figure, colour = "The cost of sharing", f"+{format_gbp_short(-saving)}", CUT
            caption = "over separate networks: what it buys is one network joining every partner to every other"
        bars = (("Each partner alone", alone, _ALONE), ("Shared", design.total_cost, NAVY))
        lead = f"Sharing one network instead of {len(networks)} separate ones."
        if sharing is None:
            waiting = self._waiting("sharing", f"Working out each partner's fair share… {self._progress:.0%}")
            return Panel(title, lead, figure, colour, caption, bars=bars, waiting=waiting)
        method = sharing.chosen(self.document.project.sharing_method)
        rows = []
        partners = self.document.project.partners_by_id
        for p in sharing.partners:
            colour_of = partners[p.partner].colour if p.partner in partners else "#777777"
            gain = p.saving(method)
            if gain >= 0:
                text = f"saves {format_gbp_short(gain)}"
                text += f" ({format_saving_percent(gain / p.standalone)})" if p.standalone else ""
                rows.append(Row(colour_of, sharing.names[p.partner], text, CONNECTED))
            else:
                rows.append(Row(colour_of, sharing.names[p.partner], f"pays {format_gbp_short(-gain)} more", CUT))
        from planner.analysis.sharing import METHODS

        note = f"Split: {METHODS[method]}"
        if method == "shapley" and not sharing.exact:
            note += f", estimated within ±{format_gbp_short(sharing.sampling_error)} (95% confidence)"
        note += "; no group of partners pays more than alone" if sharing.in_core(method) else ""
        return Panel(title, lead, figure, colour, caption, bars=bars, rows=tuple(rows), note=note)

    def _what_if_panel(self, plan: ScenarioResult, result: ScenarioResult, number: int, count: int) -> Panel:
        """A scenario against the plan: a joiner's entry price, or the change in the shared cost; every share."""
        from planner.analysis.sharing import METHODS
        from planner.ui.scenario_dialog import describe_scenario

        project = self.document.project
        scenario = next(s for s in project.scenarios if s.name == result.name)  # the comparison is current
        title = f"What if: {result.name}"
        lead = describe_scenario(scenario, project.tariff, {p.id: p.name for p in project.partners}) + "."
        keys = f"W: {'the next what-if' if number < count else 'back to the saving'} ({number} of {count})"
        if result.sharing is None or plan.sharing is None:
            problem = result.problem or plan.problem
            return Panel(title, lead, "Cannot be designed", CUT, problem, keys=keys)
        before, after = plan.design, result.design
        entry = result.entry or {}
        joiner = next(iter(entry)) if len(entry) == 1 else None
        if joiner is not None and entry[joiner] is not None:
            name = result.project.partners_by_id[joiner].name
            figure, colour = format_gbp_short(result.share(joiner)), NAVY
            caption = (
                f"{name} would pay over {after.term_years} years; "
                f"its joining adds {format_gbp_short(entry[joiner])} to the shared cost"
            )
        else:
            change = after.total_cost - before.total_cost
            figure, colour = _change(change), CUT if change > 0 else CONNECTED if change < 0 else INK
            caption = f"on the shared cost over {after.term_years} years"
        circuits = f"{len(before.links)} → {len(after.links)}"
        if result.added or result.removed:
            circuits += f" (+{len(result.added)}, −{len(result.removed)})"
        facts = (
            ("Shared cost", f"{format_gbp_short(before.total_cost)} → {format_gbp_short(after.total_cost)}"),
            ("Circuits", circuits),
        )
        rows = []
        for p in plan.project.partners:
            then, now = plan.share(p.id), result.share(p.id)
            if now is None:
                rows.append(Row(p.colour, p.name, "leaves", MUTED))
                continue
            delta = now - then
            shown = f"{format_gbp_short(now)} ({_change(delta) if delta else 'same'})"
            rows.append(Row(p.colour, p.name, shown, CONNECTED if delta < 0 else CUT if delta > 0 else MUTED))
        for pid in entry:
            p = result.project.partners_by_id[pid]
            rows.append(Row(p.colour, p.name, f"{format_gbp_short(result.share(pid))} (joins)", NAVY, strong=True))
        note = f"Each partner's share, and its change, split by {METHODS[result.method]}"
        if result.method != plan.method:
            note += f" (the plan's by {METHODS[plan.method]})"
        return Panel(title, lead, figure, colour, caption, facts=facts, rows=tuple(rows), note=note, keys=keys)

    def _cut_panel(self) -> Panel:
        design, found = self.design, self._outage
        lead = "Click a circuit to cut it, and again to restore it; hold Shift to cut a second one at the same time."
        keys = "Shift-click: cut one more as well · R: cut one at random · Shift+R: one more at random · C: restore all"
        title = "Cut any circuit"
        if design is None:
            return Panel(title, lead, waiting=self._waiting("design", "Preparing the design…"), keys=keys)
        sites = len(design.sites)
        facts = (("Single cuts survived", self._cuts_survived(design)),)
        names = self.document.sites_by_id
        traffic, traffic_colour, over_rows = self._traffic_words(design, names)
        note = self._traffic_key() if traffic else ""
        if found is None:
            caption = f"{sites} sites, {len(design.links)} circuits"
            return Panel(
                title,
                lead,
                "All connected",
                INK,
                caption,
                facts=facts,
                note=note,
                traffic=traffic,
                traffic_colour=traffic_colour,
                keys=keys,
            )
        rows = tuple(Row("", f"{c}: {_ends(design, c, names)}", "cut", CUT) for c in found.cut) + over_rows
        caption = ""
        if len(found.cut) > 1:  # asked for on purpose (Shift): said plainly, since a design survives one cut
            title = "Double failure" if len(found.cut) == 2 else "Multiple failure"
            count = _COUNTS.get(len(found.cut), str(len(found.cut)))
            caption = f"{count} circuits cut at once: {', '.join(found.cut[:-1])} and {found.cut[-1]}. "
        if found.connected:
            caption += f"All {sites} sites still reach each other"
            if len(found.cut) == 1:
                hops = len(found.detours.get(found.cut[0], ()))
                caption += f"; traffic goes round over {hops} circuits"
            caption += "."
            figure, colour = "Still connected", CONNECTED
        else:
            cut_off = [short_name(names[s].name) for s in found.cut_off if s in names]
            shown = ", ".join(cut_off[:4]) + (f" and {len(cut_off) - 4} more" if len(cut_off) > 4 else "")
            caption += f"{len(cut_off)} of {sites} sites cut off: {shown}."
            figure, colour = "Sites cut off", CUT
        return Panel(
            title,
            lead,
            figure,
            colour,
            caption,
            facts=facts,
            rows=rows,
            note=note,
            traffic=traffic,
            traffic_colour=traffic_colour,
            keys=keys,
        )

    def _traffic_key(self) -> str:
        """What the circuits' widths and colours mean in the demonstration (the map has no legend here)."""
        limit = self.document.project.settings.max_utilisation
        busy = min(style.BUSY_FROM, limit)
        return f"Width: traffic · green under {busy:.0%} of capacity, orange to {limit:.0%}, red over"

    def _traffic_words(self, design: Design, names) -> tuple[str, str, tuple[Row, ...]]:
        """What the cuts do to the traffic (empty without traffic), its colour, and a row per overloaded circuit:
        ``All traffic still carried; busiest circuit C0007 at 64%`` or ``C0003 would be overloaded: 1,240 of
        1,000 Mb/s``."""
        found = self._traffic
        if found is None:
            return "", INK, ()
        limit = self.document.project.settings.max_utilisation
        links = {k.circuit_id: k for k in design.links if k.circuit_id not in found.cut}

        def use(c: str) -> float:
            return found.loads.get(c, 0.0) / links[c].capacity_mbps if links[c].capacity_mbps else 0.0

        words = []
        over = sorted((c for c in found.overloaded if c in links), key=lambda c: (-use(c), c))
        if over:
            worst = links[over[0]]
            load = format_mbps(round(found.loads[worst.circuit_id]))
            words.append(
                f"{worst.circuit_id} would be overloaded: {load} of {format_mbps(worst.capacity_mbps)} Mb/s "
                f"({use(worst.circuit_id):.0%}, over the {limit:.0%} limit)"
            )
            if len(over) > 1:
                words.append(f"{plural(len(over) - 1, 'more circuit')} over the limit")
        if found.not_carried:
            lost = sum(f.mbps for f in found.not_carried)
            words.append(f"{plural(len(found.not_carried), 'demand')} ({format_mbps(round(lost))} Mb/s) cut off")
        if not words:
            still = "still carried" if found.cut else "carried"
            busiest = max(links, key=lambda c: (use(c), c), default=None)
            text = f"All traffic {still}"
            if busiest is not None:
                text += f"; busiest circuit {busiest} at {use(busiest):.0%}"
            return text, CONNECTED, ()
        rows = tuple(
            Row("", f"{c}: {_ends(design, c, names)}", f"{use(c):.0%}", CUT, strong=n == 0)
            for n, c in enumerate(over[:6])
        )
        return "; ".join(words) + ".", CUT, rows

    def _cuts_survived(self, design: Design) -> str:
        """``53 of 53``: the single circuit cuts after which every site still reaches every other."""
        if self._survived is None or self._survived[0] is not design:
            from planner.analysis.resilience import link_failures

            failures = link_failures(design)
            self._survived = (design, f"{sum(f.connected for f in failures)} of {len(failures)}")
        return self._survived[1]


def _change(pence: int) -> str:
    """A change of money for the board: ``+£12.3k``, ``−£950``, ``£0``."""
    return f"{'+' if pence > 0 else '−' if pence < 0 else ''}{format_gbp_short(abs(pence))}"


def _ends(design: Design, circuit_id: str, names) -> str:
    link = design.link(circuit_id)
    a, b = names.get(link.a), names.get(link.b)
    return f"{short_name(a.name) if a else link.a} – {short_name(b.name) if b else link.b}"
