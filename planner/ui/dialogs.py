"""Small dialogs: add a site, mark an existing link, and the welcome choice of samples shown
when no project is open."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import SITE_ROLES, ExistingLink
from planner.core.money import parse_pounds, pounds
from planner.core.project_file import peek_project
from planner.core.words import short_name
from planner.ui.document import ProjectDocument
from planner.ui.map.scene import describe_place
from planner.ui.properties import partner_combo
from planner.ui.widgets import money_box

__all__ = ["AddSiteDialog", "ExistingLinkDialog", "WelcomeDialog", "sample_projects"]


class AddSiteDialog(QDialog):
    """Asks the name, partner and role of a site about to be added at a known place."""

    def __init__(self, document: ProjectDocument, lon: float, lat: float, name: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Add site")
        self.lon, self.lat = lon, lat
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("e.g. Leeds Civic Hall")
        self.partner = QComboBox()
        partner_combo(document, self.partner)
        self.new_partner = QLineEdit()
        self.new_partner.setPlaceholderText("or type a new partner's name")
        self.role = QComboBox()
        for role in SITE_ROLES:
            self.role.addItem(role.capitalize(), role)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Partner", self.partner)
        form.addRow("", self.new_partner)
        form.addRow("Role", self.role)
        form.addRow("Where", QLabel(describe_place(lon, lat)))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._validate)
        self.new_partner.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        ok = bool(self.name.text().strip()) and (self.partner.count() > 0 or bool(self.new_partner.text().strip()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> tuple[str, str | None, str, str]:
        """(site name, chosen partner id or ``None``, new partner name, role)."""
        new = self.new_partner.text().strip()
        return self.name.text().strip(), None if new else self.partner.currentData(), new, self.role.currentData()


class ExistingLinkDialog(QDialog):
    """Asks which partner owns an existing circuit between two sites, and what it costs a year if known."""

    def __init__(self, document: ProjectDocument, a: str, b: str, current: ExistingLink | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Existing link")
        sites = document.sites_by_id
        self.owner = QComboBox()
        partner_combo(document, self.owner, current.owner if current else sites[a].partner)
        self.known_rental = QCheckBox("Known annual rental")
        self.rental = money_box(" a year")
        self.known_rental.toggled.connect(self.rental.setEnabled)
        self.known_rental.setChecked(current is not None and current.annual is not None)
        self.rental.setEnabled(self.known_rental.isChecked())
        if current is not None and current.annual is not None:
            self.rental.setValue(float(pounds(current.annual)))
        note = QLabel("No connection charge; without a known rental the tariff's rental applies.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5B6B7B")
        form = QFormLayout(self)
        ends = QLabel(" – ".join(f"<b>{escape(short_name(sites[i].name))}</b>" for i in (a, b)))
        ends.setToolTip(f"{sites[a].name} – {sites[b].name}")
        form.addRow(ends)
        form.addRow("Owned by", self.owner)
        form.addRow(self.known_rental, self.rental)
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.owner.count() > 0)
        form.addRow(buttons)

    def values(self) -> tuple[str, int | None]:
        """(owner partner id, annual rental in pence or ``None`` for the tariff's)."""
        annual = parse_pounds(f"{self.rental.value():.2f}") if self.known_rental.isChecked() else None
        return self.owner.currentData(), annual


def sample_projects() -> list[Path]:
    """The sample regions shipped beside the package (none in an installed copy without them)."""
    folder = Path(__file__).resolve().parents[2] / "sample_regions"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


class WelcomeDialog(QDialog):
    """Open a sample or a recent project, open another file, or start a new one."""

    def __init__(self, recent: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to Regional Network Planner")
        self.choice: str | None = None  # a path, "open" or "new"
        title = QLabel("<h2>Regional Network Planner</h2>Design one shared, resilient backbone for a partnership.")
        title.setWordWrap(True)
        self.list = QListWidget()
        for path in [Path(p) for p in recent] + [p for p in sample_projects() if str(p) not in recent]:
            kind = "Recent project" if str(path) in recent else "Sample partnership"
            found = peek_project(path)
            name, facts = (found[0], f"{found[1]} partners, {found[2]} sites") if found else (path.stem, "")
            item = QListWidgetItem(f"{name}\n{kind} · {facts + ' · ' if facts else ''}{path.name}")
            item.setToolTip(str(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        self.list.setSpacing(3)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda item: self._finish(item.data(Qt.ItemDataRole.UserRole)))
        buttons = QDialogButtonBox()
        open_chosen = buttons.addButton("Open", QDialogButtonBox.ButtonRole.AcceptRole)
        open_chosen.setEnabled(self.list.count() > 0)
        browse = QPushButton("Open file…")
        new = QPushButton("New project")
        buttons.addButton(browse, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(new, QDialogButtonBox.ButtonRole.ActionRole)
        open_chosen.clicked.connect(lambda: self._finish(self.list.currentItem().data(Qt.ItemDataRole.UserRole)))
        browse.clicked.connect(lambda: self._finish("open"))
        new.clicked.connect(lambda: self._finish("new"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(QLabel("Samples and recent projects:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()
