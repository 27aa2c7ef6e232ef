"""Nothing lost: unsaved work is kept safe while the app runs and offered back after a crash."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from planner.core.project_file import load_project
from planner.ui.main_window import MainWindow
from planner.ui.recovery import orphans
from tests.ui.conftest import wait_design


def answer(monkeypatch, button: str, seen: list[str] | None = None) -> None:
    """Make the next recovery question be answered by clicking ``button``."""

    def exec_(box: QMessageBox) -> int:
        if seen is not None:
            seen.append(f"{box.text()} {box.informativeText()}")
        next(b for b in box.buttons() if b.text() == button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def moved_copy(win) -> tuple[str, float]:
    """Move the first site by hand (an unsaved change) and keep it safe at once."""
    site = win.document.project.sites[0]
    win.editor.move_site(site.id, site.lon + 0.1, site.lat)
    assert win.recovery.write()
    return site.id, site.lon + 0.1


def crash(win) -> None:
    """End a session as a crash would, as far as the next start can tell: its copy stays, unheld."""
    win.recovery._lock.unlock()


@pytest.fixture
def second_window(qtbot, settings):
    """Another start of the app, with the same settings (and so the same recovery folder)."""
    windows = []

    def start() -> MainWindow:
        win = MainWindow(settings)
        win.show()
        qtbot.waitExposed(win)
        windows.append(win)
        return win

    yield start
    for win in windows:
        win.runner.cancel()
        win.runner.wait()
        win.editor.mark_saved()
        win.close()


def test_unsaved_changes_are_copied_and_the_copy_goes_when_saved(qtbot, opened, region_file):
    win = opened
    site_id, lon = moved_copy(win)
    copy = win.recovery.copy
    assert copy.is_file()
    assert load_project(copy).sites_by_id[site_id].lon == pytest.approx(lon)
    assert copy.with_suffix(".origin").read_text(encoding="utf-8") == str(region_file.resolve())
    assert win.save()
    assert not copy.exists()


def test_the_copy_is_written_by_itself_after_a_change(qtbot, opened, monkeypatch):
    win = opened
    win.recovery._timer.setInterval(50)
    site = win.document.project.sites[1]
    win.editor.move_site(site.id, site.lon, site.lat + 0.05)
    qtbot.waitUntil(win.recovery.copy.is_file, timeout=5_000)
    win.recovery._writing.join()  # the timer's copies are written off the GUI thread
    assert load_project(win.recovery.copy).site(site.id).lat == pytest.approx(site.lat + 0.05)
    win.editor.move_site(site.id, site.lon, site.lat + 0.1)
    qtbot.waitUntil(lambda: win.recovery._writing.is_alive() or not win.recovery._edited, timeout=5_000)
    win.recovery.discard()  # while a copy may still be on its way: none is left behind
    assert not win.recovery.copy.exists()


def test_work_left_by_a_crash_is_offered_back_and_recovered(qtbot, opened, region_file, second_window, monkeypatch):
    site_id, lon = moved_copy(opened)
    crash(opened)
    seen: list[str] = []
    answer(monkeypatch, "Recover", seen)
    win = second_window()
    assert win.offer_recovery()
    assert region_file.name in seen[0]
    assert win.document.project.sites_by_id[site_id].lon == pytest.approx(lon)
    assert win.document.path == region_file.resolve() and win.editor.modified
    assert win.windowTitle().startswith(f"{region_file.name}[*]") and win.isWindowModified()
    wait_design(qtbot, win)
    assert not opened.recovery.copy.exists()  # taken over: the new session keeps its own copy
    assert win.recovery.copy.is_file()
    win.editor.undo_stack.undo()  # nothing to undo makes it match the file on disk
    assert win.editor.modified


def test_discarded_work_is_gone_for_good(qtbot, opened, second_window, monkeypatch):
    moved_copy(opened)
    crash(opened)
    answer(monkeypatch, "Discard")
    win = second_window()
    assert not win.offer_recovery()
    assert not opened.recovery.copy.exists() and not orphans(win.recovery.folder)


def test_a_running_planner_s_copy_is_not_offered(qtbot, opened, second_window, monkeypatch):
    moved_copy(opened)  # still running: its copy is locked
    seen: list[str] = []
    answer(monkeypatch, "Recover", seen)
    win = second_window()
    assert not win.offer_recovery() and not seen
    assert opened.recovery.copy.is_file()


def test_closing_after_choosing_discard_leaves_nothing_to_recover(qtbot, opened, monkeypatch):
    win = opened
    moved_copy(win)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win.close()
    assert not win.recovery.copy.exists() and not orphans(win.recovery.folder)


def test_a_stale_lock_of_a_dead_process_does_not_hide_the_work(tmp_path):
    folder = tmp_path / "recovery"
    folder.mkdir()
    copy = folder / "abc.json"
    copy.write_text("{}", encoding="utf-8")
    held = QLockFile(str(folder / "abc.lock"))
    assert held.tryLock(0)
    text = (folder / "abc.lock").read_text(encoding="utf-8").split("\n")
    text[0] = "999999999"  # the same lock, as left by a process that is no longer running
    held.unlock()
    (folder / "abc.lock").write_text("\n".join(text), encoding="utf-8")
    assert [o.copy for o in orphans(folder)] == [copy]


# -- copies that cannot be read (issue 13, item 7) ------------------------------------------------
def _bad_copies(folder) -> dict[str, str]:
    """Copies left in ``folder`` that no planner could read back, each as the problem it should name."""
    import json
    import os

    folder.mkdir(parents=True, exist_ok=True)
    nul = {"format": "regional-network-plan", "version": 2, "name": "x", "partners": [{"id": "P", "name": "P"}]}
    nul["sites"] = [{"id": "a", "name": "Le\u0000eds", "partner": "P", "lon": -1.5, "lat": 53.8}]
    (folder / "nul.json").write_text(json.dumps(nul), encoding="utf-8")
    (folder / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00junk")
    (folder / "folder.json").mkdir()
    (folder / "odd.json").write_text("{}", encoding="utf-8")
    (folder / "odd.origin").write_bytes(b"\xff\xfe not text")  # an unreadable record of where it came from
    expected = {
        "nul.json": "sites[0].name: 'Le\\x00eds': character 3 is a control character",
        "deep.json": "the JSON nests more than 100 deep",
        "binary.json": "is not a text (UTF-8) file",
        "folder.json": "is a folder, not a project file",
        "odd.json": "format: this is not a network plan",
    }
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.json")
        expected["pipe.json"] = "is a named pipe, not a project file"
    return expected


def test_copies_that_cannot_be_read_are_reported_and_set_aside_not_a_crash_at_every_start(
    qtbot, settings, second_window, monkeypatch
):
    expected = _bad_copies(settings.recovery_folder)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    answer(monkeypatch, "Recover")
    win = second_window()
    assert not win.offer_recovery()
    assert len(warned) == len(expected)
    for name, problem in expected.items():
        text = next(t for t in warned if f"{name}:" in t)
        assert problem in text and f"it was set aside as {settings.recovery_folder / name}.unreadable" in text
        assert (settings.recovery_folder / f"{name}.unreadable").exists()  # kept for the user, not deleted
    assert not orphans(settings.recovery_folder)
    warned.clear()
    assert not second_window().offer_recovery() and not warned  # the next start is quiet


def test_any_error_reading_a_copy_becomes_one_message_and_the_copy_is_set_aside(tmp_path, monkeypatch):
    from planner.core.errors import InputError

    (tmp_path / "abc.json").write_text("{}", encoding="utf-8")
    (tmp_path / "abc.json.unreadable").write_text("an earlier one", encoding="utf-8")

    def broken(path):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("planner.ui.recovery.load_project", broken)
    (orphan,) = orphans(tmp_path)
    with pytest.raises(InputError, match=r"abc.json: cannot be read \(RecursionError: 'maximum recursion") as err:
        orphan.load()
    assert str(err.value).endswith(f"it was set aside as {tmp_path / 'abc.json.unreadable2'}")
    assert (tmp_path / "abc.json.unreadable").read_text(encoding="utf-8") == "an earlier one"
    assert not orphans(tmp_path)


def test_a_copy_that_cannot_be_written_is_not_an_error(qtbot, opened, monkeypatch):
    from planner.core.errors import PlannerError

    def refused(*args, **kwargs):
        raise PlannerError("x.json: cannot be saved: sites[0].name: a lone surrogate")

    monkeypatch.setattr("planner.ui.recovery.save_project", refused)
    site = opened.document.project.sites[0]
    opened.editor.move_site(site.id, site.lon + 0.1, site.lat)
    assert opened.recovery.write() is False
