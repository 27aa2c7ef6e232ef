"""The Risk groups dock: the project's shared-risk groups, which designs survive the loss of.

A sortable, filterable table (name, links, sites, note): double-click a name to rename it, Delete
removes the selected groups, and selecting a group highlights its links and sites on the map and
shows what losing it does to the design (:mod:`planner.ui.map.risk`). Three ways to make groups:
*Generate ducts* (one per compass quadrant of each site's candidate links,
:func:`planner.design.ducts.duct_groups`; it replaces the groups generated before and keeps the
user's own), *Import…* (a CSV or XLSX table, :mod:`planner.io.risk_groups_csv`) and *Draw corridor*
(the map tool: the candidate links a drawn line or area crosses, :mod:`planner.ui.corridor`).
Each is one undo command. The candidate graph they need is built on a worker thread from a
snapshot of the project; a result for inputs that changed meanwhile is worked out again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import InputError
from planner.core.model import Project, RiskGroup
from planner.core.words import plural, short_name
from planner.ui.background import BackgroundJob
from planner.ui.design_runner import snapshot
from planner.ui.editor import GENERATED, ProjectEditor
from planner.ui.importing import ask_replace_or_add
from planner.ui.settings import AppSettings
from planner.ui.widgets import DeletingTable

__all__ = ["RiskGroupsModel", "RiskGroupsPanel", "COLUMNS", "NAME_ROLE", "summary_text"]

#: Column titles, in order.
COLUMNS = ("Name", "Links", "Sites", "Note")
#: The group's name, on every cell.
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
_TOOLTIP_LINKS = 12  # at most this many links are named in a tooltip
_PROBLEM_COLOUR = "#B00020"
_TIME_LIMIT = 120.0  # seconds the worker may take to build the candidate graph


def _non_candidates(project: Project, groups: list[RiskGroup]) -> int:
    """How many links of ``groups`` no design of ``project`` could use (0 when its candidates cannot be built).

    Built on the GUI thread: a tenth of a second or two at 1,000 sites, once per import.
    """
    from planner.core.errors import PlannerError
    from planner.design.problem import build_problem

    try:
        graph = build_problem(project).graph
    except (PlannerError, ValueError, KeyError):
        return 0
    return sum(not graph.has_edge(a, b) for group in groups for a, b in group.links)


def summary_text(project: Project) -> str:
    """What the groups are and whether designs survive them, in a sentence or two.

    >>> from planner.core.model import RiskGroup
    >>> p = Project(risk_groups=[RiskGroup.of("a duct", [("a", "b")], note="generated: x"), RiskGroup.of("A1")])
    >>> summary_text(p)
    '2 risk groups: 1 generated duct, 1 of your own. A 2edge design survives the loss of any one of them.'
    """
    groups = project.risk_groups
    if not groups:
        return (
            "No shared-risk groups. Generate ducts makes one per compass quadrant of each site's candidate "
            "links; Import… reads a table (group,a,b or group,site); Draw corridor (C) takes the links that "
            "cross a line or area you draw on the map."
        )
    generated = sum(g.note.startswith(GENERATED) for g in groups)
    own = len(groups) - generated
    text = f"{plural(len(groups), 'risk group')}: {plural(generated, 'generated duct')}, {own:,} of your own."
    settings = project.settings
    if settings.redundancy == "tree":
        return f"{text} A tree survives no failure: choose 2edge or 2node to survive them."
    if not settings.survive_risk_groups:
        return f"{text} Designs are not asked to survive them (Design panel: Survive shared-risk groups)."
    return f"{text} A {settings.redundancy} design survives the loss of any one of them."


class RiskGroupsModel(QAbstractTableModel):
    """One row per shared-risk group of the document's project, in the order of the column sorted by."""

    #: A rename in the table was refused: why (one line).
    problem = Signal(str)
    #: A group was renamed in the table: its old and new names.
    renamed = Signal(str, str)

    def __init__(self, editor: ProjectEditor, parent: QObject | None = None):
        super().__init__(parent)
        self.editor, self.document = editor, editor.document
        #: Each group, where it is in the project's list, its cells' texts and sort keys.
        self._rows: list[tuple[RiskGroup, int, tuple[str, ...], tuple]] = []
        self._row_of: dict[str, int] = {}
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self.reload()

    def reload(self) -> None:
        """Rebuild the rows from the project (site names are looked up once here).

        With as many groups as before (a rename, or sites taken out of groups) the rows are moved rather
        than reset, so the view keeps its selection and an editor open on a name.
        """
        sites = self.document.sites_by_id
        rows = []
        for place, group in enumerate(self.document.project.risk_groups):
            names = ", ".join(short_name(sites[s].name) if s in sites else s for s in group.sites)
            shown = (group.name, f"{len(group.links):,}" if group.links else "–", names or "–", group.note)
            sort = (group.name.casefold(), len(group.links), names.casefold(), group.note.casefold())
            rows.append((group, place, shown, sort))
        if len(rows) == len(self._rows):
            self._relayout(rows)
            return
        self.beginResetModel()
        self._set_rows(rows)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` here, in one Python sort of their keys (a sorting proxy would ask
        :meth:`data` for two keys per comparison: half a second for 3,000 groups)."""
        self._sort = (column, order)
        self._relayout(self._rows)

    def _relayout(self, rows: list) -> None:
        self.layoutAboutToBeChanged.emit()
        before = [place for _, place, _, _ in self._rows]
        self._set_rows(rows)
        after = {place: row for row, (_, place, _, _) in enumerate(self._rows)}
        kept = self.persistentIndexList()
        self.changePersistentIndexList(kept, [self.index(after[before[i.row()]], i.column()) for i in kept])
        self.layoutChanged.emit()

    def _set_rows(self, rows: list) -> None:
        column, order = self._sort
        self._rows = sorted(rows, key=lambda row: row[3][column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._row_of = {row[0].name: i for i, row in enumerate(self._rows)}

    def group(self, row: int) -> RiskGroup:
        return self._rows[row][0]

    def row_of(self, name: str) -> int | None:
        """The row of the group called ``name`` (``None`` when there is none)."""
        return self._row_of.get(name)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group, _, shown, _ = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return shown[column]
        if role == NAME_ROLE:
            return group.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(group, column)
        return None

    def _tooltip(self, group: RiskGroup, column: int) -> str:
        if column == 0:
            return f"{group.name}: double-click to rename; select to see on the map what losing it does"
        if column == 3:
            return group.note
        sites = self.document.sites_by_id

        def name(site_id: str) -> str:
            return short_name(sites[site_id].name) if site_id in sites else site_id

        lines = [f"{name(a)} – {name(b)}" for a, b in group.links[:_TOOLTIP_LINKS]]
        if len(group.links) > _TOOLTIP_LINKS:
            lines.append(f"and {len(group.links) - _TOOLTIP_LINKS:,} more")
        if group.sites:
            lines.append("Sites: " + ", ".join(name(s) for s in group.sites))
        return "\n".join(lines)

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.EditRole:
            return False
        old = self.group(index.row()).name
        try:
            self.editor.rename_risk_group(old, str(value))
        except ValueError as err:
            self.problem.emit(str(err))
            return False
        self.renamed.emit(old, self.document.project.risk_groups[self._rows[index.row()][1]].name)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class _Filter(QSortFilterProxyModel):
    """Rows whose name, sites or note hold ``text`` (any case); every row while it is empty. Their order is
    the model's own (see :meth:`RiskGroupsModel.sort`)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.text = ""

    def set_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 on; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.text = text.casefold()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.text = text.casefold()
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.text:
            return True
        model = self.sourceModel()
        return any(self.text in str(model.index(source_row, column).data()).casefold() for column in (0, 2, 3))


class RiskGroupsPanel(QWidget):
    """The groups' table with a filter, Generate ducts / Import… / Draw corridor / Delete, and a summary."""

    #: A short message for the status bar (a group added, why none was).
    message = Signal(str)

    def __init__(
        self,
        editor: ProjectEditor,
        settings: AppSettings,
        corridor_action: QAction | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.editor, self.document, self.settings = editor, editor.document, settings
        document = editor.document
        self.model = RiskGroupsModel(editor, self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self._jobs: list[BackgroundJob] = []  # running; kept until they finish
        self._opened = 0  # counts projects opened: a result for one opened before is dropped
        self._syncing = False

        self.filter = QLineEdit(placeholderText="Filter by name, site or note", clearButtonEnabled=True)
        self.filter.setAccessibleName("Filter risk groups")
        self.filter.textChanged.connect(self._on_filter_edit)
        self.generate_button = QPushButton("Generate ducts")
        self.generate_button.setToolTip(
            "One group per compass quadrant of each site's candidate links: the circuits leaving a building "
            "the same way share its duct. Replaces the groups generated before; keeps your own."
        )
        self.generate_button.clicked.connect(self.generate_ducts)
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Read groups from a CSV or XLSX table: group,a,b (a link) or group,site")
        self.import_button.clicked.connect(lambda: self.import_groups())
        self.corridor_button = QToolButton()
        self.corridor_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if corridor_action is not None:
            self.corridor_button.setDefaultAction(corridor_action)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected groups (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)

        self.table = DeletingTable()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 60, 150)):
            header.resizeSection(column, width)
        self.table.setAccessibleName("Risk groups")
        self.table.delete_requested.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._on_pick)

        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("riskGroupsSummary")
        self.note = QLabel(wordWrap=True, visible=False)
        self.note.setObjectName("riskGroupsProblem")
        self.note.setStyleSheet(f"color: {_PROBLEM_COLOUR}")

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        for widget in (self.generate_button, self.import_button, self.corridor_button, self.delete_button):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)

        self._names: dict[str, str] = {}  # site names as listed, to notice a rename
        self.model.problem.connect(lambda text: self._say(text, problem=True))
        self.model.renamed.connect(self._on_renamed)
        self.model.modelReset.connect(self._on_selection_change)
        document.risk_groups_changed.connect(self.refresh)
        document.sites_changed.connect(self.refresh)
        document.settings_changed.connect(self._refresh_summary)
        document.site_changed.connect(self._on_site_change)
        document.selection.changed.connect(self._on_selection_change)
        document.project_replaced.connect(self._on_project_replaced)
        self.refresh()

    @property
    def busy(self) -> bool:
        """Whether the candidate graph is being worked out for ducts or a corridor."""
        return bool(self._jobs)

    # -- document -> widgets ------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.reload()
        self._names = {s.id: s.name for s in self.document.project.sites}
        self._refresh_summary()
        self._on_selection_change()

    def _refresh_summary(self) -> None:
        self.summary.setText(summary_text(self.document.project))

    def _on_site_change(self, site_id: str) -> None:
        """Only a new name shows here (a drag moves a site many times a second)."""
        site = self.document.sites_by_id.get(site_id)
        if site is not None and self._names.get(site_id, site.name) != site.name:
            self.refresh()

    def _on_project_replaced(self) -> None:
        self._opened += 1
        self.generate_button.setEnabled(True)
        self.note.hide()
        self.refresh()

    def _on_selection_change(self) -> None:
        """Select the rows of the groups selected (on the map's side, or by Undo)."""
        self._syncing = True
        try:
            selection = QItemSelection()
            for name in self.document.selection.groups:
                row = self.model.row_of(name)
                if row is not None:
                    index = self.proxy.mapFromSource(self.model.index(row, 0))
                    if index.isValid():
                        selection.select(index, index.siblingAtColumn(len(COLUMNS) - 1))
            model = self.table.selectionModel()
            model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if len(selection.indexes()) and len(self.document.selection.groups) == 1:
                self.table.scrollTo(selection.indexes()[0])
        finally:
            self._syncing = False
        self.delete_button.setEnabled(bool(self.document.selection.groups))

    # -- widgets -> document ------------------------------------------------------------------------
    def selected_names(self) -> list[str]:
        return [self.proxy.data(index, NAME_ROLE) for index in self.table.selectionModel().selectedRows()]

    def _on_pick(self) -> None:
        if not self._syncing:
            self.document.selection.set(groups=self.selected_names())

    def _on_filter_edit(self, text: str) -> None:
        self.proxy.set_text(text.strip())
        self._on_selection_change()

    def _on_renamed(self, old: str, new: str) -> None:
        self.note.hide()
        self.document.selection.set(groups=[new])

    def delete_selected(self) -> None:
        names = self.selected_names()
        if names:
            self.editor.delete_risk_groups(names)
            self.note.hide()

    def generate_ducts(self) -> None:
        """Make the duct groups on a worker thread, then put them in place of those generated before."""
        from planner.design.ducts import duct_groups

        if not self.generate_button.isEnabled():  # generating already
            return
        if len(self.document.project.sites) < 2:  # (duct_groups cannot take a project without sites)
            self._say("No duct groups: add sites first; ducts are made of the links between them.", problem=True)
            return
        self.generate_button.setEnabled(False)
        self.note.hide()
        self._say("Generating ducts…")
        self._run(duct_groups, self._use_ducts, "duct generation")

    def _use_ducts(self, ducts: list[RiskGroup]) -> None:
        self.generate_button.setEnabled(True)
        if not ducts:
            self._say("No duct groups: no site has two candidate links leaving it.", problem=True)
            return
        before = self.editor.undo_stack.index()
        count = self.editor.generate_ducts(ducts)
        own = sum(not g.note.startswith(GENERATED) for g in self.document.project.risk_groups)
        kept = f"; your own {plural(own, 'group')} kept" if own else ""
        if self.editor.undo_stack.index() == before:
            self._say(f"The {plural(count, 'duct group')} are up to date{kept}.")
        else:
            self._say(f"Generated {plural(count, 'duct group')}, one per compass quadrant at each site{kept}.")

    def add_corridor(self, points: list[tuple[float, float]], closed: bool) -> None:
        """Make a group of the candidate links the corridor ``points`` crosses (or, ``closed``, covers)."""
        from planner.ui.corridor import corridor_links

        self.note.hide()
        self._say("Finding the links the corridor crosses…")
        self._run(lambda project: corridor_links(project, points, closed), self._use_corridor, "the corridor")

    def _use_corridor(self, links: list[tuple[str, str]]) -> None:
        if not links:
            self._say("No group added: the corridor crosses no candidate link.", problem=True)
            return
        name = self.editor.next_risk_group_name("Corridor")
        self.editor.add_risk_group(RiskGroup.of(name, links, note="drawn on the map"))
        self.document.selection.set(groups=[name])
        self._say(f"Added ‘{name}’: {plural(len(links), 'candidate link')} that fail together.")

    def import_groups(self, path: str | Path | None = None) -> int:
        """Read groups from a CSV or XLSX table (asking for it when ``path`` is ``None``) and use them;
        returns how many. A file that cannot be used is explained in one line and nothing changes."""
        from planner.io.risk_groups_csv import FILE_FILTER, read_risk_groups

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import risk groups", self.settings.last_directory, FILE_FILTER)
            if not path:
                return 0
        path = Path(path)
        try:
            groups = read_risk_groups(path, self.document.project)
        except InputError as err:
            QMessageBox.warning(self, "Cannot import risk groups", str(err))
            return 0
        except OSError as err:
            QMessageBox.warning(self, "Cannot import risk groups", f"{path.name}: {err.strerror or err}")
            return 0
        self.settings.last_directory = str(path.parent)
        replace = False
        current = self.document.project.risk_groups
        if current:
            names = {g.name for g in current}
            same = sum(g.name in names for g in groups)
            replace_choice = ask_replace_or_add(
                self,
                "risk groups",
                f"The project has {plural(len(current), 'risk group')} already. Replace them with the file's "
                f"{len(groups):,}, or add the file's to them?",
                f"{plural(same, 'group')} of the file's {'has' if same == 1 else 'have'} the name of one in the "
                "project: adding puts the file's members in its place."
                if same
                else "",
            )
            if replace_choice is None:
                return 0
            replace = replace_choice == "replace"
        try:
            self.editor.import_risk_groups(groups, path.name, replace=replace)
        except ValueError as err:
            QMessageBox.warning(self, "Cannot import risk groups", f"{path.name}: {err}")
            return 0
        outside = _non_candidates(self.document.project, groups)
        if outside:
            self._say(
                f"Imported {plural(len(groups), 'risk group')} from {path.name}, but {plural(outside, 'link')} of "
                f"them {'is' if outside == 1 else 'are'} not a candidate link (quoted, permitted, clear of no-go "
                "areas): no design can use it, so losing it changes nothing. Check the file names the right sites.",
                problem=True,
            )
        else:
            self._say(f"Imported {plural(len(groups), 'risk group')} from {path.name}.")
        return len(groups)

    # -- the worker ----------------------------------------------------------------------------------
    def _run(self, compute: Callable[[Project], Any], use: Callable[[Any], None], what: str) -> None:
        """``compute(snapshot)`` on a worker thread, then ``use(result)`` if the inputs are as they were
        (else it is worked out again for the inputs as they are now)."""
        revision, opened = self.document.revision, self._opened
        project = snapshot(self.document.project)
        job = BackgroundJob(lambda _control: compute(project), _TIME_LIMIT, self, what)
        job.succeeded.connect(lambda result: self._on_done(job, (revision, opened), compute, use, what, result))
        job.failed.connect(lambda problem: self._on_failed(job, problem))
        self._jobs.append(job)
        job.start()

    def _on_done(self, job: BackgroundJob, made_for: tuple[int, int], compute, use, what: str, result) -> None:
        self._jobs.remove(job)
        revision, opened = made_for
        if opened != self._opened:  # for a project no longer open
            return
        if revision != self.document.revision:
            self._run(compute, use, what)
            return
        try:
            use(result)
        except ValueError as err:
            self._say(str(err), problem=True)

    def _on_failed(self, job: BackgroundJob, problem: str) -> None:
        self._jobs.remove(job)
        self.generate_button.setEnabled(True)
        if problem:
            self._say(problem, problem=True)

    def wait(self, seconds: float = 30.0) -> bool:
        """Block until the worker threads have ended (for shutdown and tests)."""
        return all([job.wait(seconds) for job in list(self._jobs)])

    def _say(self, text: str, problem: bool = False) -> None:
        """Tell the status bar; a problem is also said in red under the table, until the next action."""
        self.note.setText(text)
        self.note.setVisible(problem)
        self.message.emit(text)
