"""File → Export from the real window: every format re-read by an independent reader, cancel, failures."""

from __future__ import annotations

import csv
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyogrio
import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from planner.core.money import format_gbp
from planner.ui.export import FORMATS
from tests.ui.conftest import wait_design


def _pence(value) -> int:
    return round(Decimal(str(value)) * 100)


def _wait_export(qtbot, win, timeout: int = 30_000) -> None:
    qtbot.waitUntil(lambda: not win.exporter.busy, timeout=timeout)


@pytest.fixture
def save_as(monkeypatch):
    """Answer the next file dialogs with these paths (and the file type chosen)."""
    answers: list[tuple[str, str]] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: answers.pop(0))
    return answers


@pytest.fixture
def messages(monkeypatch):
    """Message boxes shown, as (kind, title, text); questions are answered from ``answers``."""
    shown: list[tuple[str, str, str]] = []
    answers: list[QMessageBox.StandardButton] = []

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return answers.pop(0) if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown, answers


def check_xlsx(path: Path, design, sharing) -> None:
    wb = openpyxl.load_workbook(path)
    rows = list(wb["Circuits"].iter_rows(min_row=2, values_only=True))
    circuits = rows[: [r[0] for r in rows].index("Total") + 1]  # the sheet's notes follow the totals
    headings = [c.value for c in wb["Circuits"][1]]
    total = headings.index("Total over term")
    assert len(circuits) - 1 == len(design.links)
    assert sorted(r[0] for r in circuits[:-1]) == sorted(k.circuit_id for k in design.links)
    assert _pence(circuits[-1][total]) == design.total_cost
    heads = [c.value for c in wb["Partners"][1]]
    rows = {r[0]: dict(zip(heads, r, strict=False)) for r in wb["Partners"].iter_rows(min_row=2, values_only=True)}
    for share in sharing.partners:  # the figures the "Who pays what" panel shows
        assert _pence(rows[share.partner]["Cost alone"]) == share.standalone
        assert _pence(rows[share.partner]["Shapley share"]) == share.shares["shapley"]
        assert _pence(rows[share.partner]["Nucleolus share"]) == share.shares["nucleolus"]


def check_csv(path: Path, design) -> None:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(design.links)
    assert sum(_pence(r["Total over term"]) for r in rows) == design.total_cost


def check_pdf(path: Path, design, project) -> None:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    words = " ".join(text.split())
    assert project.name.split()[0] in words
    assert format_gbp(design.total_cost) in words


def check_gis(path: Path, design, project) -> None:
    if path.suffix == ".geojson":
        frame = pyogrio.read_dataframe(path)
        links, sites = frame[frame["layer"] == "links"], frame[frame["layer"] == "sites"]
    else:
        links, sites = pyogrio.read_dataframe(path, layer="links"), pyogrio.read_dataframe(path, layer="sites")
    assert sorted(links["circuit_id"]) == sorted(k.circuit_id for k in design.links)
    assert round(sum(Decimal(str(v)) for v in links["total"]) * 100) == design.total_cost
    assert len(sites) == len(project.sites)


def test_the_file_menu_offers_every_export(opened):
    file_menu = opened.menuBar().actions()[0].menu()
    export = next(a.menu() for a in file_menu.actions() if a.menu() is opened.exporter.menu)
    texts = [a.text().replace("&", "") for a in export.actions() if a.text()]
    assert texts == [
        "Link Schedule (XLSX)…",
        "Circuits (CSV)…",
        "Board Pack (PDF)…",
        "GIS Layers (GeoPackage, GeoJSON, KML)…",
        "Map Image (PNG, SVG, PDF)…",
        "Export All to a Folder…",
    ]


def test_each_export_from_the_menu_matches_the_design_shown(qtbot, opened, tmp_path, save_as, messages):
    design, project = opened.document.design, opened.document.project
    exports = opened.exporter.actions_
    chosen = {
        "xlsx": ("xlsx", str(tmp_path / "schedule"), FORMATS["xlsx"].file_type),  # the suffix is added
        "csv": ("csv", str(tmp_path / "circuits.csv"), ""),
        "pdf": ("pdf", str(tmp_path / "board.pdf"), ""),
        "gpkg": ("gis", str(tmp_path / "layers.gpkg"), FORMATS["gpkg"].file_type),
        "geojson": ("gis", str(tmp_path / "layers"), FORMATS["geojson"].file_type),
        "kml": ("gis", str(tmp_path / "layers.kml"), FORMATS["gpkg"].file_type),  # the typed suffix wins
    }
    for action, path, file_type in chosen.values():
        save_as.append((path, file_type))
        exports[action].trigger()
        _wait_export(qtbot, opened)
        assert str(tmp_path) in opened.statusBar().currentMessage()
    assert messages[0] == []
    sharing = opened.sharing_runner.sharing
    assert sharing is not None and sharing.shared_cost == design.total_cost
    check_xlsx(tmp_path / "schedule.xlsx", design, sharing)
    check_csv(tmp_path / "circuits.csv", design)
    check_pdf(tmp_path / "board.pdf", design, project)
    for name in ("layers.gpkg", "layers.geojson", "layers.kml"):
        check_gis(tmp_path / name, design, project)
    assert opened.settings.export_directory == str(tmp_path)


def test_export_all_writes_every_file_into_the_folder(qtbot, opened, tmp_path, monkeypatch, messages):
    folder = tmp_path / "pack"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    opened.exporter.actions_["all"].trigger()
    _wait_export(qtbot, opened)
    stem = opened.document.path.stem
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"{stem}{f.name}{f.suffix}" for f in FORMATS.values())
    assert opened.statusBar().currentMessage() == f"Exported 6 files to {folder}"
    design = opened.document.design
    check_csv(folder / f"{stem}-circuits.csv", design)
    check_pdf(folder / f"{stem}-board-pack.pdf", design, opened.document.project)
    assert messages[0] == []


def test_export_all_writes_the_files_not_needing_the_sharing_at_once(qtbot, opened, tmp_path, monkeypatch, messages):
    import threading

    import planner.analysis.sharing as sharing

    folder = tmp_path / "pack"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    release, real = threading.Event(), sharing.share_costs

    def held_back(*args, **kwargs):  # the cost sharing still being worked out
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(sharing, "share_costs", held_back)
    opened.exporter.actions_["all"].trigger()
    stem = opened.document.path.stem
    gis = [folder / f"{stem}{FORMATS[k].suffix}" for k in ("gpkg", "geojson", "kml")]
    qtbot.waitUntil(lambda: all(p.exists() for p in [folder / f"{stem}-circuits.csv", *gis]), timeout=30_000)
    qtbot.waitUntil(lambda: "share" in opened.exporter.run.dialog.labelText())  # once those files are in
    assert not (folder / f"{stem}-schedule.xlsx").exists() and not (folder / f"{stem}-board-pack.pdf").exists()
    release.set()
    _wait_export(qtbot, opened)
    assert (folder / f"{stem}-schedule.xlsx").exists() and (folder / f"{stem}-board-pack.pdf").exists()
    assert opened.statusBar().currentMessage() == f"Exported 6 files to {folder}"
    assert messages[0] == []


def test_cancelling_an_export_writes_nothing(qtbot, opened, tmp_path, save_as, monkeypatch, messages):
    import planner.io.board_pack as board_pack

    def slow(project, design, path, *, pack=None, control=None):
        while True:  # a board pack that never ends, except by Cancel
            control.check()
            time.sleep(0.005)

    monkeypatch.setattr(board_pack, "write_board_pack", slow)
    save_as.append((str(tmp_path / "board.pdf"), ""))
    opened.exporter.actions_["pdf"].trigger()
    qtbot.waitUntil(
        lambda: opened.exporter.run.job is not None and opened.exporter.run.dialog.isVisible(), timeout=30_000
    )
    cancel = next(b for b in opened.exporter.run.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    _wait_export(qtbot, opened)
    assert not (tmp_path / "board.pdf").exists()
    assert "cancelled" in opened.statusBar().currentMessage()
    assert messages[0] == []


def test_a_path_that_cannot_be_written_is_one_line_in_a_message(qtbot, opened, tmp_path, save_as, messages):
    shown, _ = messages
    save_as.append((str(tmp_path / "no such folder" / "circuits.csv"), ""))
    opened.exporter.actions_["csv"].trigger()
    (tmp_path / "pack.xlsx").mkdir()
    save_as.append((str(tmp_path / "pack.xlsx"), ""))
    opened.exporter.actions_["xlsx"].trigger()
    _wait_export(qtbot, opened)
    assert [kind for kind, *_ in shown] == ["warning", "warning"]
    assert "circuits.csv" in shown[0][2] and "no folder" in shown[0][2]
    assert "pack.xlsx" in shown[1][2] and "it is a folder" in shown[1][2]
    assert all("\n" not in text and "Traceback" not in text for *_, text in shown)


def test_a_writer_failing_on_disk_is_one_line_in_a_message(qtbot, opened, tmp_path, save_as, messages, monkeypatch):
    import planner.io.schedule_csv as schedule_csv

    def full(project, design, path, **_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(schedule_csv, "write_circuits_csv", full)
    save_as.append((str(tmp_path / "circuits.csv"), ""))
    opened.exporter.actions_["csv"].trigger()
    _wait_export(qtbot, opened)
    shown, _ = messages
    assert shown == [
        ("warning", "Export failed", f"{tmp_path / 'circuits.csv'}: cannot be written (No space left on device)")
    ]


def test_an_export_right_after_an_edit_waits_for_its_design(qtbot, opened, tmp_path, save_as, messages):
    doc = opened.document
    site = doc.project.sites[4]
    opened.editor.move_site(site.id, site.lon - 0.15, site.lat)
    assert opened.runner.due and not doc.design_current
    save_as.append((str(tmp_path / "circuits.csv"), ""))
    opened.exporter.actions_["csv"].trigger()  # no question: the design for the move is on its way
    _wait_export(qtbot, opened)
    assert messages[0] == [] and doc.design_current
    check_csv(tmp_path / "circuits.csv", doc.design)


def test_a_stale_design_is_designed_first_or_not_exported(qtbot, opened, tmp_path, save_as, messages):
    shown, answers = messages
    doc = opened.document
    site = doc.project.sites[3]
    opened.editor.move_site(site.id, site.lon + 0.2, site.lat)
    opened.runner.cancel()  # the design on show is now out of date, and nothing is making a new one
    qtbot.waitUntil(lambda: not opened.runner.busy)
    assert not doc.design_current
    answers.append(QMessageBox.StandardButton.No)
    save_as.append((str(tmp_path / "circuits.csv"), ""))
    opened.exporter.actions_["csv"].trigger()
    assert shown[-1][0] == "question" and "not for the project as it is now" in shown[-1][2]
    assert not (tmp_path / "circuits.csv").exists() and not opened.exporter.busy

    answers.append(QMessageBox.StandardButton.Yes)
    save_as.append((str(tmp_path / "circuits.csv"), ""))
    opened.exporter.actions_["csv"].trigger()
    _wait_export(qtbot, opened)
    wait_design(qtbot, opened)
    assert doc.design_current
    check_csv(tmp_path / "circuits.csv", doc.design)


def test_export_map_draws_what_the_map_shows_at_the_size_chosen(qtbot, opened, tmp_path, monkeypatch):
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QDialog

    from planner.ui.map_export import ImageSizeDialog

    site = opened.document.project.sites[4]
    view = opened.map_view
    for _ in range(2):
        opened.actions_["zoom_in"].trigger()
    view.centerOn(opened.map_scene.position(site.id))
    chosen = iter([(str(tmp_path / "shown"), "PNG image (*.png)"), (str(tmp_path / "shown.svg"), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: next(chosen))

    def choose(dialog):
        dialog.width_box.lineEdit().selectAll()
        qtbot.keyClicks(dialog.width_box, "1200")
        dialog.height_box.setValue(800)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImageSizeDialog, "exec", choose)
    opened.actions_["export_map"].trigger()
    image = QImage(str(tmp_path / "shown.png"))  # no suffix typed: the file type chosen gives it
    assert image.size().toTuple() == (1200, 800)
    mm = min(1200 / 300, 800 / 190)
    centre = image.pixelColor(round((1200 - min(64 * mm, 1200 * 0.35)) / 2), 400)  # the middle of the map part
    colour = QColor(opened.document.project.partner(site.partner).colour)
    assert (
        abs(centre.red() - colour.red()) + abs(centre.green() - colour.green()) + abs(centre.blue() - colour.blue())
        < 40
    )
    assert f"Exported the map to {tmp_path / 'shown.png'}" == opened.statusBar().currentMessage()
    opened.actions_["export_map"].trigger()
    assert (tmp_path / "shown.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
