"""The main window: the map in the middle, docks for design, schedule, properties and history,
menus and toolbars with shortcuts, and the File commands that never lose work."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabBar,
    QUndoView,
    QWidget,
)

from planner import __version__
from planner.core.errors import InputError, PlannerError
from planner.core.model import REDUNDANCY_LEVELS, Project
from planner.core.project_file import read_project, save_project
from planner.core.words import plural
from planner.io.basemap import ATTRIBUTION
from planner.ui import style
from planner.ui.demands_panel import DemandsPanel
from planner.ui.design_panel import DesignPanel
from planner.ui.design_runner import DesignRunner
from planner.ui.dialogs import AddSiteDialog, WelcomeDialog
from planner.ui.document import ProjectDocument
from planner.ui.editor import ProjectEditor
from planner.ui.export import ExportController
from planner.ui.importing import describe_import, import_demands, import_quotes, import_sites
from planner.ui.links_panel import LinksPanel
from planner.ui.map.scene import MapScene, describe_place, to_scene
from planner.ui.map.view import MapView
from planner.ui.map_actions import MapActions
from planner.ui.map_export import MapImageExport
from planner.ui.presenter import Presenter
from planner.ui.properties import PropertiesPanel
from planner.ui.quiet_collector import QuietCollector
from planner.ui.recovery import Recovery, orphans
from planner.ui.risk_groups_panel import RiskGroupsPanel
from planner.ui.scenario_runner import ScenarioRunner
from planner.ui.scenarios_panel import ScenariosPanel
from planner.ui.schedule import SchedulePanel
from planner.ui.settings import AppSettings
from planner.ui.sharing_panel import SharingPanel
from planner.ui.sharing_runner import SharingRunner
from planner.ui.town_search import TownSearch

__all__ = ["MainWindow", "APP_NAME"]

APP_NAME = "Regional Network Planner"
_FILE_FILTER = "Network plans (*.json);;All files (*)"
_STATE_VERSION = 1
_TOWN_SCALE = 1 / 60  # pixels per metre to zoom to when a town is found (about 1:230,000)


class MainWindow(QMainWindow):
    """One window, one project."""

    def __init__(self, settings: AppSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings or AppSettings()
        self.document = ProjectDocument(Project(tariff=self.settings.last_tariff), self)
        self.editor = ProjectEditor(self.document, self)
        self.runner = DesignRunner(self.document, parent=self)
        self.sharing_runner = SharingRunner(self.document, self.runner, self.settings, self)
        self.scenario_runner = ScenarioRunner(self.document, self.runner, self.sharing_runner, self.settings, self)
        self.exporter = ExportController(self, self.document, self.runner, self.sharing_runner, self.settings)
        self.recovery = Recovery(self.editor, self.settings.recovery_folder, self)
        self.collector = QuietCollector(self)
        for signal in (self.document.project_replaced, self.document.inputs_changed, self.document.design_changed):
            signal.connect(self.collector.poke)
        self.setWindowIcon(style.icon("app"))
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )

        self.map_scene = MapScene(self.document)
        self.map_view = MapView(self.map_scene)
        self.setCentralWidget(self.map_view)
        self.design_panel = DesignPanel(self.editor, self.runner)
        self.schedule = SchedulePanel(self.document)
        self.properties = PropertiesPanel(self.editor)
        self.sharing_panel = SharingPanel(self.editor, self.sharing_runner, self.settings)
        self.scenarios_panel = ScenariosPanel(self.editor, self.scenario_runner, self.settings)
        self.history = QUndoView(self.editor.undo_stack)
        self.history.setEmptyLabel("Opened project")
        self.town_search = TownSearch()
        self.docks = {
            "design": self._dock("Design", self.design_panel, Qt.DockWidgetArea.RightDockWidgetArea, scroll=True),
            "properties": self._dock("Properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea),
            "history": self._dock("History", self.history, Qt.DockWidgetArea.RightDockWidgetArea),
            "schedule": self._dock("Link schedule", self.schedule, Qt.DockWidgetArea.BottomDockWidgetArea),
            "sharing": self._dock(
                "Who pays what", self.sharing_panel, Qt.DockWidgetArea.BottomDockWidgetArea, scroll=True
            ),
        }

        self.presenter = Presenter(
            self,
            self.document,
            self.map_view,
            self.map_scene,
            self.runner,
            self.sharing_runner,
            self.scenario_runner,
        )
        self._make_actions()
        self.map_actions = MapActions(self.editor, self.map_view, self)
        self.map_export = MapImageExport(self, self.document, self.map_view, self.settings)
        self.actions_["export_map"] = self._action(
            "&Map Image (PNG, SVG, PDF)…",
            lambda: self.map_export.ask_and_write(),
            "Ctrl+Shift+E",
            tip="What the map shows, with legend, scale bar, north arrow and attribution, at a size you choose",
        )
        self.links = LinksPanel(self.editor, self.actions_)
        self.docks["links"] = self._dock("Links", self.links, Qt.DockWidgetArea.RightDockWidgetArea)
        self.demands = DemandsPanel(self.editor, self.actions_["import_demands"])
        self.docks["demands"] = self._dock("Demands", self.demands, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.docks["scenarios"] = self._dock("Scenarios", self.scenarios_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.risk_groups = RiskGroupsPanel(self.editor, self.settings, self.actions_["corridor_tool"])
        self.docks["risk_groups"] = self._dock("Risk groups", self.risk_groups, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._arrange_docks()
        self._make_scenario_actions()
        self._make_menus_and_toolbars()
        self._make_status_bar()
        self._connect()
        self._update_title()
        self._update_recent_menu()
        self._restore_layout()
        self.map_view.fit_region()  # Great Britain until a project is opened (kept fitted as the window opens)

    # -- construction ------------------------------------------------------------------------------
    def _arrange_docks(self) -> None:
        """Every dock in its place, once all exist: the design's group on the right, the schedule's and
        the sharing's side by side below."""
        docks = self.docks
        self.splitDockWidget(docks["schedule"], docks["sharing"], Qt.Orientation.Horizontal)
        groups = (("design", "properties", "history", "links"), ("schedule", "demands", "risk_groups"))
        for group in (*groups, ("sharing", "scenarios")):
            for first, second in pairwise(group):
                self.tabifyDockWidget(docks[first], docks[second])
            docks[group[0]].raise_()
        # Tabbing a split area leaves the tab bars it first made on show, over the schedule; hidden here,
        # the layout shows again only those it uses.
        for bar in self.findChildren(QTabBar):
            bar.hide()
        self.resizeDocks([docks["design"]], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([docks["schedule"]], [280], Qt.Orientation.Vertical)
        self.resizeDocks([docks["schedule"], docks["sharing"]], [740, 700], Qt.Orientation.Horizontal)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, scroll: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower().replace(" ", "_") + "_dock")
        if scroll:
            area_widget = QScrollArea()
            area_widget.setWidgetResizable(True)
            area_widget.setFrameShape(QScrollArea.Shape.NoFrame)
            area_widget.setWidget(widget)
            widget = area_widget
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, icon: str = "", tip: str = "", checkable=False) -> QAction:
        action = QAction(style.icon(icon) if icon else style.icon("none"), text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        label = text.replace("&", "").rstrip("…")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or label} ({keys})" if keys else tip or label)
        action.setStatusTip(tip or label)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        k = QKeySequence.StandardKey
        stack = self.editor.undo_stack
        self.actions_: dict[str, QAction] = {
            "new": self._action("&New", self.new_project, k.New, "new", "Start a new, empty project"),
            "open": self._action("&Open…", lambda: self.open_file(), k.Open, "open", "Open a project file"),
            "save": self._action("&Save", self.save, k.Save, "save", "Save the project"),
            "save_as": self._action("Save &As…", self.save_as, k.SaveAs, tip="Save the project under a new name"),
            "quit": self._action("&Quit", self.close, k.Quit),
            "delete": self._action(
                "&Delete",
                self._delete_selected,
                [k.Delete, "Backspace"],
                "delete",
                "Delete the selected sites or areas",
            ),
            "select_all": self._action("Select &All Sites", self._select_all, k.SelectAll),
            "add_partner": self._action("Add &Partner…", self.properties.add_partner, tip="Add a public body"),
            "find_town": self._action("&Find Town…", self._focus_town_search, k.Find, tip="Find a town to add"),
            "select_tool": self._action(
                "&Select and Move",
                lambda: self.map_view.set_tool("select"),
                "S",
                "select",
                "Select and drag sites; drag the map to pan",
                True,
            ),
            "add_tool": self._action(
                "&Add Site",
                lambda: self.map_view.set_tool("add"),
                "A",
                "add-site",
                "Click the map to add a site there",
                True,
            ),
            "existing_tool": self._action(
                "Mark &Existing Link",
                lambda: self.map_view.set_tool("existing"),
                "E",
                "existing-link",
                "Click two sites joined by a circuit a partner already has",
                True,
            ),
            "zone_tool": self._action(
                "Draw &No-Go Area",
                lambda: self.map_view.set_tool("zone"),
                "N",
                "no-go",
                "Click the corners of an area no new circuit may cross",
                True,
            ),
            "corridor_tool": self._action(
                "Draw &Corridor",
                lambda: self.map_view.set_tool("corridor"),
                "C",
                tip="Draw a line or an area: the candidate links it crosses become one shared-risk group",
                checkable=True,
            ),
            "generate_ducts": self._action(
                "&Generate Duct Groups",
                self._generate_ducts,
                tip="One shared-risk group per compass quadrant of each site's candidate links (replaces those "
                "generated before)",
            ),
            "import_risk_groups": self._action(
                "Import &Risk Groups…",
                self._import_risk_groups,
                tip="Read shared-risk groups from a CSV or XLSX table (group,a,b for a link, group,site for a site)",
            ),
            "import_sites": self._action("Import &Sites…", self._import_sites, icon="import"),
            "import_quotes": self._action(
                "Import Carrier &Quotes…",
                lambda: import_quotes(self.editor, self.settings, self),
                tip="Use carrier quotes (CSV a,b,cost or a,b,install,annual): only quoted pairs may be linked",
            ),
            "import_demands": self._action(
                "Import &Demands…",
                lambda: import_demands(self.editor, self.settings, self),
                "Ctrl+Shift+D",
                tip="Use a table of traffic between sites (CSV or XLSX a,b,mbps): circuits are sized for it",
            ),
            "clear_quotes": self._action(
                "Clear Carrier Quotes", lambda: self.editor.set_quotes([]), tip="Price every link by the tariff again"
            ),
            "zoom_in": self._action("Zoom &In", lambda: self.map_view.zoom_by(1.5), [k.ZoomIn, "+", "="], "zoom-in"),
            "zoom_out": self._action("Zoom &Out", lambda: self.map_view.zoom_by(1 / 1.5), [k.ZoomOut, "-"], "zoom-out"),
            "fit": self._action("&Fit Region", self.map_view.fit_region, ["Ctrl+0", "Home"], "fit", "Show every site"),
            "labels": self._action("Site &Labels", self._toggle_labels, "L", tip="Show site names", checkable=True),
            "design": self._action(
                "&Design", self.runner.design_now, "F5", "design", "Find the cheapest design with the chosen method"
            ),
            "cancel": self._action(
                "&Cancel Design", self.runner.cancel, ["Ctrl+.", "Shift+F5"], "cancel", "Stop the running design"
            ),
            "about": self._action("&About Regional Network Planner", self.about, k.HelpContents),
        }
        undo = stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(k.Undo)])
        undo.setIcon(style.icon("undo"))
        redo = stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(k.Redo)])
        redo.setIcon(style.icon("redo"))
        self.actions_["undo"], self.actions_["redo"] = undo, redo
        self.actions_["labels"].setChecked(True)
        self.actions_["cancel"].setEnabled(False)
        self.actions_["delete"].setEnabled(False)
        tools = QActionGroup(self)
        for key in ("select_tool", "add_tool", "existing_tool", "zone_tool", "corridor_tool"):
            tools.addAction(self.actions_[key])
        self.actions_["select_tool"].setChecked(True)
        self.redundancy_actions = QActionGroup(self)
        for n, (level, words) in enumerate(REDUNDANCY_LEVELS.items(), start=1):
            action = self._action(
                f"{words} ({level})", lambda _=False, lv=level: self._set_redundancy(lv), f"Ctrl+{n}", checkable=True
            )
            action.setData(level)
            self.redundancy_actions.addAction(action)

    def _make_scenario_actions(self) -> None:
        self.actions_["scenarios"] = self._action(
            "S&cenarios",
            self._toggle_scenarios,
            "Ctrl+Shift+W",
            tip="What if a partner joins or leaves, or prices or traffic change: scenarios beside the plan",
            checkable=True,
        )
        self.docks["scenarios"].visibilityChanged.connect(self.actions_["scenarios"].setChecked)
        self.actions_["compare"] = self._action(
            "Compare &Scenarios",
            self._compare_scenarios,
            "F6",
            tip="Design and share out every scenario, side by side with the plan",
        )

    def _make_menus_and_toolbars(self) -> None:
        a = self.actions_
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([a["new"], a["open"]])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        file_menu.addActions([a["save"], a["save_as"]])
        file_menu.addSeparator()
        file_menu.addActions([a["import_sites"], a["import_demands"], a["import_risk_groups"]])
        file_menu.addActions([a["import_quotes"], a["clear_quotes"]])
        export_menu = self.exporter.menu
        export_menu.insertAction(
            export_menu.actions()[export_menu.actions().index(self.exporter.actions_["all"]) - 1], a["export_map"]
        )
        file_menu.addMenu(export_menu)
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([a["undo"], a["redo"]])
        edit_menu.addSeparator()
        edit_menu.addActions([a["delete"], a["select_all"]])
        edit_menu.addSeparator()
        edit_menu.addActions([a["add_partner"], a["find_town"]])
        view_menu = bar.addMenu("&View")
        view_menu.addActions([a["select_tool"], a["add_tool"], a["existing_tool"], a["zone_tool"], a["corridor_tool"]])
        view_menu.addSeparator()
        view = self.map_view
        view_menu.addActions([a["zoom_in"], a["zoom_out"], a["fit"], a["labels"], view.legend_action, view.use_action])
        view_menu.addSeparator()
        for key, dock in self.docks.items():
            view_menu.addAction(a["scenarios"] if key == "scenarios" else dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self.presenter.action)
        design_menu = bar.addMenu("&Design")
        design_menu.addActions([a["design"], a["cancel"]])
        design_menu.addSeparator()
        design_menu.addAction(a["compare"])
        design_menu.addAction(a["generate_ducts"])
        design_menu.addSeparator()
        design_menu.addActions(self.redundancy_actions.actions())
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(a["about"])

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for group in (
            ("new", "open", "save"),
            ("undo", "redo"),
            ("select_tool", "add_tool", "existing_tool", "zone_tool", "delete"),
            ("zoom_in", "zoom_out", "fit"),
            ("design", "cancel"),
        ):
            toolbar.addActions([a[key] for key in group])
            toolbar.addSeparator()
        toolbar.addWidget(self.town_search)

    def _make_status_bar(self) -> None:
        self.where_label = QLabel()
        self.where_label.setMinimumWidth(330)
        self.scale_label = QLabel()
        self.scale_label.setMinimumWidth(110)
        status = self.statusBar()
        status.addPermanentWidget(self.where_label)
        status.addPermanentWidget(self.scale_label)

    def _connect(self) -> None:
        doc = self.document
        self.editor.modified_changed.connect(self._update_title)
        doc.path_changed.connect(self._update_title)
        doc.name_changed.connect(self._update_title)
        doc.project_replaced.connect(self._update_title)
        doc.tariff_changed.connect(lambda: setattr(self.settings, "last_tariff", doc.project.tariff))
        doc.settings_changed.connect(self._sync_redundancy_actions)
        doc.project_replaced.connect(self._sync_redundancy_actions)
        doc.selection.changed.connect(
            lambda: self.actions_["delete"].setEnabled(bool(doc.selection.sites or doc.selection.zones))
        )
        for signal in (doc.constraints_changed, doc.project_replaced):
            signal.connect(lambda *_: self.actions_["clear_quotes"].setEnabled(bool(doc.project.quotes)))
        self.map_actions.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.risk_groups.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.map_view.corridor_drawn.connect(self.risk_groups.add_corridor)
        self.links.edit_existing_requested.connect(self.map_actions.mark_existing)
        self.links.rename_zone_requested.connect(self.map_actions.rename_zone)
        self.runner.busy_changed.connect(self.actions_["cancel"].setEnabled)
        self.runner.finished.connect(self._on_design_finished)
        self.map_view.cursor_moved.connect(lambda lon, lat: self.where_label.setText(describe_place(lon, lat)))
        self.map_view.scale_changed.connect(self._show_scale)
        self.map_view.add_site_requested.connect(self.add_site_at)
        self.map_view.drag_finished.connect(self.runner.flush)
        self.map_view.tool_changed.connect(self._on_tool_change)
        self.schedule.circuit_activated.connect(self._show_circuit)
        self.town_search.town_chosen.connect(self._on_town_chosen)
        self._sync_redundancy_actions()

    # -- title, layout, status ---------------------------------------------------------------------
    def _update_title(self) -> None:
        doc = self.document
        name = doc.path.name if doc.path else "Untitled"
        self.setWindowTitle(f"{name}[*] — {doc.project.name} — {APP_NAME}")
        self.setWindowModified(self.editor.modified)

    def _restore_layout(self) -> None:
        if self.settings.geometry is None or not self.restoreGeometry(self.settings.geometry):
            self.resize(1440, 900)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state, _STATE_VERSION)

    def _show_scale(self, denominator: float) -> None:
        rounded = float(f"{denominator:.2g}") if denominator >= 100 else denominator
        self.scale_label.setText(f"Scale 1:{rounded:,.0f}")

    def _on_design_finished(self, problem: str) -> None:
        if problem:
            self.statusBar().showMessage(f"No design: {problem}", 8000)

    def _sync_redundancy_actions(self) -> None:
        level = self.document.project.settings.redundancy
        for action in self.redundancy_actions.actions():
            action.setChecked(action.data() == level)

    # -- files ----------------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask to save unsaved changes; False if the user cancelled."""
        if not self.editor.modified:
            return True
        name = self.document.path.name if self.document.path else "this new project"
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"Save the changes to {name} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_project(self) -> None:
        if self.maybe_save():
            self.editor.replace_project(Project(tariff=self.settings.last_tariff), None)
            self.map_view.fit_region()

    def open_file(self, path: str | Path | None = None) -> bool:
        """Open ``path`` (or ask for one) after offering to save the current project."""
        if not self.maybe_save():
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Open project", self.settings.last_directory, _FILE_FILTER)
            if not path:
                return False
        return self.load(path)

    def load(self, path: str | Path) -> bool:
        """Read and show a project; a broken file is explained and the current project kept."""
        path = Path(path)
        try:
            saved = read_project(path)
        except InputError as err:
            box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open project", str(err.problems[0]), parent=self)
            box.setInformativeText("The file was not changed, and the project you had open is still open.")
            if len(err.problems) > 1:
                box.setDetailedText("\n".join(err.problems))
            box.exec()
            return False
        project = saved.project
        self._show(project, path.resolve())
        self.sharing_runner.adopt(saved.coalitions, saved.sharing)
        self._remember_file(path)
        self.statusBar().showMessage(f"Opened {path.name}: {len(project.sites)} sites", 5000)
        return True

    def _show(self, project: Project, path: Path | None) -> None:
        """Make ``project`` the one open, fitted on the map and designed if it has no design yet."""
        self.runner.cancel()
        self.editor.replace_project(project, path)
        self.map_view.fit_region()
        if self.document.design is None and project.sites:
            self.runner.design_now()

    def save(self) -> bool:
        return self._write(self.document.path) if self.document.path else self.save_as()

    def save_as(self) -> bool:
        start = str(self.document.path or Path(self.settings.last_directory or ".") / "network-plan.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", start, _FILE_FILTER)
        if not path:
            return False
        path = Path(path)
        return self._write(path if path.suffix else path.with_suffix(".json"))

    def _write(self, path: Path) -> bool:
        try:
            save_project(self.document.project, path, *self.sharing_runner.for_file())
        except OSError as err:
            QMessageBox.critical(self, "Cannot save project", f"{path}: {err.strerror or err}")
            return False
        except PlannerError as err:  # text the file could not hold: nothing was written
            QMessageBox.critical(self, "Cannot save project", str(err))
            return False
        self.editor.mark_saved()
        self.document.set_path(path.resolve())
        self._remember_file(path)
        self.statusBar().showMessage(f"Saved {path.name}", 4000)
        return True

    def _remember_file(self, path: Path) -> None:
        self.settings.add_recent_file(path)
        self.settings.last_directory = str(path.resolve().parent)
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files
        for n, name in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{n} {Path(name).name}  —  {Path(name).parent}")
            action.triggered.connect(lambda _=False, name=name: self.open_file(name))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Menu", self._clear_recent)
        self.recent_menu.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.settings.clear_recent_files()
        self._update_recent_menu()

    def welcome(self) -> None:
        """Offer the samples and recent projects (when the app starts with nothing to open)."""
        dialog = WelcomeDialog(self.settings.recent_files, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return
        if dialog.choice == "open":
            self.open_file()
        elif dialog.choice != "new":
            self.load(dialog.choice)

    def offer_recovery(self) -> bool:
        """Offer back unsaved work from a session that ended without saving it; True if recovered."""
        for orphan in orphans(self.recovery.folder):
            name = orphan.origin.name if orphan.origin else "a new project"
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Recover unsaved work",
                f"The planner closed without saving the changes to {name}.",
                parent=self,
            )
            box.setInformativeText(
                f"They were last kept safe on {orphan.saved:%d %B %Y at %H:%M}. "
                "Recover them, or throw them away for good?"
            )
            chosen = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
            box.setDefaultButton(chosen)
            box.exec()
            if box.clickedButton() is not chosen:
                orphan.discard()
                continue
            try:
                project = orphan.load()
            except InputError as err:
                QMessageBox.warning(self, "Recover unsaved work", f"The kept copy cannot be read: {err.problems[0]}")
                orphan.discard()
                continue
            self._show(project, orphan.origin)
            self.editor.mark_unsaved()
            orphan.discard()
            self.recovery.write()
            self.statusBar().showMessage(f"Recovered the unsaved changes to {name}: save them to keep them", 0)
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self.presenter.leave()
        if not self.maybe_save():
            event.ignore()
            return
        self.recovery.discard()  # saved, or thrown away by the user's choice
        self.runner.cancel()
        self.exporter.cancel()
        self.sharing_runner.cancel()
        self.scenario_runner.cancel()
        for worker in (self.runner, self.exporter, self.sharing_runner, self.scenario_runner, self.risk_groups):
            worker.wait()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState(_STATE_VERSION)
        self.settings.sync()
        event.accept()

    # -- editing -----------------------------------------------------------------------------------------
    def add_site_at(self, lon: float, lat: float, name: str = "") -> str | None:
        """Ask for a new site's name and partner, then add it; returns its id (``None`` if cancelled).

        The Add Site tool hands back to Select once the site is in, so the next click selects.
        """
        dialog = AddSiteDialog(self.document, lon, lat, name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        site_name, partner, new_partner, role = dialog.values()
        stack = self.editor.undo_stack
        stack.beginMacro(f"Add site ‘{site_name}’")
        try:
            if new_partner:
                partner = self.editor.add_partner(new_partner)
            site_id = self.editor.add_site(site_name, partner, lon, lat, role)
        finally:
            stack.endMacro()
        self.document.selection.set([site_id])
        if self.map_view.tool == "add":  # one click, one site: back to selecting (and moving it)
            self.map_view.set_tool("select")
        return site_id

    def _delete_selected(self) -> None:
        """Delete the selected sites and no-go areas, as one undo step."""
        selection = self.document.selection
        sites, zones = selection.sites, selection.zones
        if not (sites and zones):  # one of them: that command's own words
            self.editor.delete_sites(sites)
            self.editor.remove_zones(zones)
            return
        stack = self.editor.undo_stack
        stack.beginMacro(f"Delete {plural(len(sites), 'site')} and {plural(len(zones), 'no-go area')}")
        try:
            self.editor.delete_sites(sites)
            self.editor.remove_zones(zones)
        finally:
            stack.endMacro()

    def _import_sites(self) -> None:
        plan = import_sites(self.editor, self.settings, self)
        if plan is not None:
            self.map_view.fit_region()
            self.statusBar().showMessage(describe_import(plan), 10_000)

    def _on_tool_change(self, tool: str) -> None:
        self.actions_[f"{tool}_tool"].setChecked(True)
        sketch = self.map_view.sketch
        self.statusBar().showMessage(sketch.hint if sketch else "", 0 if sketch else 1)

    def _show_risk_groups(self) -> None:
        """Bring the Risk groups dock to the front (its line says how generating or importing went)."""
        dock = self.docks["risk_groups"]
        dock.show()
        dock.raise_()

    def _generate_ducts(self) -> None:
        self._show_risk_groups()
        self.risk_groups.generate_ducts()

    def _import_risk_groups(self) -> None:
        self._show_risk_groups()
        self.risk_groups.import_groups()

    def _toggle_scenarios(self, on: bool) -> None:
        """Show the Scenarios dock on top of its tab group, or hide it when it is on show."""
        dock = self.docks["scenarios"]
        if on:
            dock.show()
            dock.raise_()
        else:
            dock.hide()

    def _compare_scenarios(self) -> None:
        self._toggle_scenarios(True)
        if not self.scenario_runner.busy:
            self.scenario_runner.compare()

    def _select_all(self) -> None:
        self.document.selection.set([s.id for s in self.document.project.sites])

    def _set_redundancy(self, level: str) -> None:
        self.editor.change_settings(redundancy=level)

    def _toggle_labels(self, on: bool) -> None:
        self.map_scene.labels_on = on
        self.map_view.relayout_labels()

    def _focus_town_search(self) -> None:
        self.town_search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.town_search.selectAll()

    def _on_town_chosen(self, name: str, lon: float, lat: float) -> None:
        centre = to_scene(lon, lat)
        if self.map_view.scale_factor < _TOWN_SCALE:
            self.map_view.zoom_by(_TOWN_SCALE / self.map_view.scale_factor)
        self.map_view.centerOn(centre)
        self.add_site_at(lon, lat, name)

    def _show_circuit(self, circuit_id: str) -> None:
        try:
            line = self.map_scene.link_item(circuit_id).line()
        except KeyError:
            return
        rect = QRectF(line.p1(), line.p2()).normalized()
        self.map_view.centre_on(rect.adjusted(-1, -1, 1, 1) if rect.isEmpty() else rect)

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Design one shared leased-line backbone for a regional partnership of public bodies: "
            "the cheapest network that survives any single failure.</p>"
            "<p>Partner colours: Okabe–Ito colour-blind-safe palette.</p>"
            f"<p><b>Basemap</b><br>{ATTRIBUTION}</p>",
        )
