"""Files that are not files are refused before they are read; every write is atomic, keeps the file's
mode, follows a symbolic link and cleans up after itself and after a killed write."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.core.errors import InputError, PlannerError
from planner.core.files import STALE_SECONDS, atomic_path, check_regular_file, read_limited
from planner.core.project_file import load_project, save_project
from planner.io.safe_output import atomic_output
from tests.core.test_project_file import _project

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- reading ------------------------------------------------------------------------------------
@needs_fifo
@pytest.mark.parametrize("check", [read_limited, check_regular_file])
def test_a_named_pipe_is_refused_without_blocking(tmp_path, check):
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"plan.json: is a named pipe, not a project file$"):
        check(fifo, "a project file", 1000)
    assert time.monotonic() - started < 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("check", [read_limited, check_regular_file])
def test_a_device_that_never_ends_is_refused(check):
    with pytest.raises(InputError, match=r"^/dev/zero: is a device, not a site list$"):
        check("/dev/zero", "a site list", 1000)


@pytest.mark.parametrize("check", [read_limited, check_regular_file])
def test_a_folder_and_a_missing_file_are_refused(tmp_path, check):
    with pytest.raises(InputError, match=r"is a folder, not a project file$"):
        check(tmp_path, "a project file", 1000)
    with pytest.raises(InputError, match=r"nothing.json: no such file$"):
        check(tmp_path / "nothing.json", "a project file", 1000)


@pytest.mark.parametrize("check", [read_limited, check_regular_file])
def test_a_file_over_the_limit_is_refused_before_it_is_read_and_the_message_states_the_limit(tmp_path, check):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(300 * 2**20)  # sparse: costs no disk
    with pytest.raises(InputError, match=r"^big.json: is 300 MB, more than the 200 MB a project file may be$"):
        check(big, "a project file", 200 * 2**20)


def test_a_regular_file_within_the_limit_is_read(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b"{}")
    assert read_limited(path, "a project file", 2) == b"{}" and check_regular_file(path, "x", 2) == path


# -- writing ------------------------------------------------------------------------------------
@pytest.fixture(params=["project", "export"])
def write(request):
    """Write through save_project or through the exports' atomic_output: the same writer."""

    def by_save(path: Path) -> None:
        save_project(_project(), path)

    def by_export(path: Path) -> None:
        with atomic_output(path) as tmp:
            tmp.write_text("export", encoding="utf-8")

    return by_save if request.param == "project" else by_export


def test_a_file_keeps_its_mode_when_replaced(tmp_path, write):
    path = tmp_path / "plan.json"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    write(path)
    assert _mode(path) == 0o640 and path.read_text(encoding="utf-8") != "old"


def test_a_new_file_gets_the_umask_s_mode_not_a_private_one(tmp_path, write):
    old = os.umask(0o022)
    try:
        write(tmp_path / "plan.json")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "plan.json") == 0o644


def test_a_symbolic_link_is_followed_and_kept(tmp_path, write):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "plan.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o604)
    link = tmp_path / "plan.json"
    link.symlink_to(Path("real") / "plan.json")
    write(link)
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "plan.json")
    assert target.read_text(encoding="utf-8") != "old" and _mode(target) == 0o604
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "real"]
    assert [p.name for p in (tmp_path / "real").iterdir()] == ["plan.json"]


def test_a_dangling_link_makes_its_target(tmp_path, write):
    link = tmp_path / "plan.json"
    link.symlink_to(tmp_path / "new.json")
    write(link)
    assert link.is_symlink() and (tmp_path / "new.json").is_file()


def test_temporaries_left_by_a_killed_write_go_at_the_next_write_but_not_one_in_progress(tmp_path, write):
    path = tmp_path / "plan.json"
    stale_file = tmp_path / ".plan.json.k2j4h6.tmp"  # save_project's mkstemp before
    stale_folder = tmp_path / ".plan.json.a8f3kd.tmp"
    stale_folder.mkdir()
    (stale_folder / "plan.json").write_text("half", encoding="utf-8")
    stale_file.write_text("half", encoding="utf-8")
    long_ago = time.time() - STALE_SECONDS - 5
    for p in (stale_file, stale_folder / "plan.json", stale_folder):
        os.utime(p, (long_ago, long_ago))
    busy = tmp_path / ".plan.json.busy01.tmp"  # another write, just now
    busy.write_text("writing", encoding="utf-8")
    other = tmp_path / ".other.json.zz.tmp"
    other.write_text("not ours", encoding="utf-8")
    os.utime(other, (long_ago, long_ago))
    write(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.json.zz.tmp", ".plan.json.busy01.tmp", "plan.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("cancelled")
    assert path.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_a_failed_fsync_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    save_project(_project(), path)
    before = path.read_bytes()

    def broken(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("os.fsync", broken)
    with pytest.raises(OSError):
        save_project(_project(), path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["plan.json"]


@needs_fifo
def test_a_named_pipe_or_a_folder_is_never_replaced(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="it is a named pipe, not a file"), atomic_path(fifo) as tmp:
        tmp.write_text("x", encoding="utf-8")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    refused = r"out.csv: cannot be written \(it is a named pipe, not a file\)"
    with pytest.raises(PlannerError, match=refused), atomic_output(fifo) as tmp:
        tmp.write_text("x", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        save_project(_project(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


_SAVER = """
import sys
from planner.core.project_file import save_project
from tests.core.test_project_file import _project
project = _project()
print("ready", flush=True)
n = 0
while True:
    n += 1
    project.name = f"Save {n}"
    save_project(project, sys.argv[1])
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL here")
def test_saves_killed_at_random_leave_a_whole_file_and_the_next_save_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    save_project(_project(), path)
    rng = random.Random(13)
    root = Path(__file__).resolve().parents[2]
    for _ in range(12):
        saver = subprocess.Popen([sys.executable, "-c", _SAVER, str(path)], cwd=root, stdout=subprocess.PIPE)
        assert saver.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.05))
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        saver.stdout.close()
        assert load_project(path).name.startswith(("Save", "Test"))  # whole, old or new
    monkeypatch.setattr("planner.core.files.STALE_SECONDS", 0)
    time.sleep(0.01)
    save_project(_project(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]
