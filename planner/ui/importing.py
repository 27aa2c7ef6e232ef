"""File → Import: site lists (with a preview), carrier quotes and demands.

Reading is done by :mod:`planner.io.site_import`, :mod:`planner.io.site_tables` and
:mod:`planner.io.demand_tables`; a file
that cannot be read is explained in one line naming the row or feature and the field, and
the project is left as it was. A successful import is one undo command.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import InputError
from planner.core.model import Partner, Site
from planner.core.words import plural
from planner.io import demand_tables
from planner.io.site_import import FILE_FILTER, SiteImport, plan_import, read_sites
from planner.io.site_tables import read_quotes_csv
from planner.ui.document import ProjectDocument
from planner.ui.editor import ProjectEditor
from planner.ui.settings import AppSettings

__all__ = [
    "SiteImportDialog",
    "import_sites",
    "describe_import",
    "import_quotes",
    "import_demands",
    "ask_replace_or_add",
    "PREVIEW_ROWS",
]

#: At most this many sites are listed in the preview.
PREVIEW_ROWS = 200
_QUOTES_FILTER = "Carrier quotes (*.csv);;All files (*)"


class SiteImportDialog(QDialog):
    """What a site list holds and what importing it would do; the user adds, replaces or cancels."""

    def __init__(
        self,
        document: ProjectDocument,
        path: Path,
        read: tuple[list[Partner], list[Site]] | None,
        problem: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Import sites from {path.name}")
        self.choice: str | None = None  # "add" or "replace"
        layout = QVBoxLayout(self)
        self.summary = QLabel(wordWrap=True)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Close if read is None else QDialogButtonBox.StandardButton.Cancel
        )
        buttons.rejected.connect(self.reject)
        self.add_button = QPushButton("Add to Project")
        self.replace_button = QPushButton("Replace Sites")
        if read is None:
            self.summary.setText(f"<b>This file cannot be imported.</b><br>{problem}")
            self.summary.setStyleSheet("color: #B00020")
        else:
            partners, sites = read
            plan = plan_import(document.project, partners, sites, source=path.name)
            self.summary.setText(self._describe(document, plan, sites))
            layout.addWidget(self._table(sites))
            buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.add_button.setDefault(True)
            self.add_button.clicked.connect(lambda: self._finish("add"))
            current = len(document.project.sites)
            if current:
                buttons.addButton(self.replace_button, QDialogButtonBox.ButtonRole.DestructiveRole)
                self.replace_button.setToolTip(
                    f"Remove the {plural(current, 'current site')} (and the quotes, demands, existing and forbidden "
                    "links between them) and use these instead"
                )
                self.replace_button.clicked.connect(lambda: self._finish("replace"))
        layout.addWidget(buttons)
        self.resize(720, 460 if read else 160)

    @staticmethod
    def _describe(document: ProjectDocument, plan: SiteImport, sites: list[Site]) -> str:
        roles = Counter(s.role for s in sites)
        lines = [f"<b>{plural(len(sites), 'site')}</b>"]
        extra = [plural(roles[r], w) for r, w in (("hub", "hub"), ("optional", "optional relay")) if roles[r]]
        if extra:
            lines[0] += f" ({', '.join(extra)})"
        found = ", ".join(f"{name} ({n})" for name, n in plan.partners_found)
        lines.append(f"Partners: {found}")
        if plan.new_partners:
            lines.append(f"New partners to add: {', '.join(p.name for p in plan.new_partners)}")
        if plan.renamed:
            shown = ", ".join(f"{old} → {new}" for old, new in plan.renamed[:5])
            more = f" and {len(plan.renamed) - 5} more" if len(plan.renamed) > 5 else ""
            lines.append(
                f"<span style='color:#9A6200'>{plural(len(plan.renamed), 'id')} already used in the project "
                f"would be renamed if added: {shown}{more}</span>"
            )
        return "<br>".join(lines)

    @staticmethod
    def _table(sites: list[Site]) -> QTableWidget:
        columns = ("id", "name", "partner", "role", "lon", "lat")
        table = QTableWidget(min(len(sites), PREVIEW_ROWS), len(columns))
        table.setHorizontalHeaderLabels([c.capitalize() for c in columns])
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        for row, site in enumerate(sites[:PREVIEW_ROWS]):
            values = (site.id, site.name, site.partner, site.role, f"{site.lon:.5f}", f"{site.lat:.5f}")
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        return table

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def import_sites(editor: ProjectEditor, settings: AppSettings, parent: QWidget) -> SiteImport | None:
    """Ask for a site list, preview it, and add it to (or put it in place of) the project's sites.

    Returns what was imported (``None`` if nothing was).
    """
    document = editor.document
    name, _ = QFileDialog.getOpenFileName(parent, "Import sites", settings.last_directory, FILE_FILTER)
    if not name:
        return None
    path = Path(name)
    try:
        read, problem = read_sites(path), ""
    except InputError as err:
        read, problem = None, str(err)
    dialog = SiteImportDialog(document, path, read, problem, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None or read is None:
        return None
    plan = plan_import(document.project, *read, replace=dialog.choice == "replace", source=path.name)
    editor.import_sites(plan)
    document.selection.set([s.id for s in plan.sites])
    settings.last_directory = str(path.parent)
    return plan


def describe_import(plan: SiteImport) -> str:
    """A status-bar line: how many sites came in, and any ids renamed on the way."""
    text = f"Imported {plural(len(plan.sites), 'site')} from {plan.source}"
    if plan.renamed:
        text += "; ids already in use were renamed: " + ", ".join(f"{old} → {new}" for old, new in plan.renamed)
    return text


def import_quotes(editor: ProjectEditor, settings: AppSettings, parent: QWidget) -> bool:
    """Ask for a CSV of carrier quotes (``a,b,cost`` or ``a,b,install,annual``) and use them."""
    document = editor.document
    name, _ = QFileDialog.getOpenFileName(parent, "Import carrier quotes", settings.last_directory, _QUOTES_FILTER)
    if not name:
        return False
    path = Path(name)
    try:
        quotes = read_quotes_csv(path, set(document.sites_by_id), [t.name for t in document.project.tariff.tiers])
    except InputError as err:
        QMessageBox.warning(parent, "Cannot import quotes", str(err))
        return False
    editor.set_quotes(quotes, path.name)
    settings.last_directory = str(path.parent)
    return True


def ask_replace_or_add(parent: QWidget, what: str, question: str, detail: str = "") -> str | None:
    """Ask whether imported ``what`` (``demands``) replace the project's or are added to them:
    ``"replace"``, ``"add"`` (the default) or ``None`` (cancel). ``detail`` says what adding does to
    entries listed in both."""
    box = QMessageBox(QMessageBox.Icon.Question, f"Import {what}", question, parent=parent)
    if detail:
        box.setInformativeText(detail)
    replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
    add = box.addButton("Add", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(add)
    box.exec()
    return {replace: "replace", add: "add"}.get(box.clickedButton())


def import_demands(editor: ProjectEditor, settings: AppSettings, parent: QWidget) -> int:
    """Ask for a table of demands (CSV or XLSX: ``a,b,mbps``) and use it; returns how many were imported.

    A file that cannot be read, or names sites this project lacks, is explained in one line and
    nothing changes. When the project has demands already, the user chooses to replace or add to them.
    """
    document = editor.document
    name, _ = QFileDialog.getOpenFileName(parent, "Import demands", settings.last_directory, demand_tables.FILE_FILTER)
    if not name:
        return 0
    path = Path(name)
    try:
        demands = demand_tables.read_demands(path, document.project)
        if not demands:
            raise InputError(f"{path.name}: has no demands")
    except InputError as err:
        QMessageBox.warning(parent, "Cannot import demands", str(err))
        return 0
    settings.last_directory = str(path.parent)
    current = document.project.demands
    replace = False
    if current:
        listed = {d.pair for d in current}
        overlap = sum(d.pair in listed for d in demands)
        choice = ask_replace_or_add(
            parent,
            "demands",
            f"The project has {plural(len(current), 'pair demand')} already. Replace them with the file's "
            f"{len(demands):,}, or add the file's to them?",
            f"{plural(overlap, 'pair')} of the file's {'is' if overlap == 1 else 'are'} listed in the project "
            "already: adding takes the file's rate for them."
            if overlap
            else "",
        )
        if choice is None:
            return 0
        replace = choice == "replace"
    try:
        editor.import_demands(demands, path.name, replace=replace)
    except ValueError as err:
        QMessageBox.warning(parent, "Cannot import demands", f"{path.name}: {err}")
        return 0
    return len(demands)
