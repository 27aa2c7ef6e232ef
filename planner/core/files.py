"""Files read and written safely: only regular files of a sane size are read, and every file the
planner writes (project files, recovery copies, exports) appears whole or not at all.

Reading: a named pipe would block the reader for ever, ``/dev/zero`` never ends, and a
file of many gigabytes fills memory, so :func:`check_regular_file` refuses anything that
is not a regular file, or is larger than the limit the caller states, before it is opened;
:func:`read_limited` opens without blocking and checks the opened file itself.

Writing: :func:`atomic_path` is the one atomic writer. The caller writes a temporary file
with the target's own name in a private folder beside the target (so a library choosing a
format by suffix, or making side files such as a GeoPackage's journal, works as usual);
on success it is flushed to disk (fsync), given the mode of the file it replaces (a new
file gets the usual mode from the umask, not a private one), and renamed over the target,
and the folder is made durable. A symbolic link is followed: the file it points to is
replaced and the link kept. On any failure the temporary folder is removed and the
target is untouched. Temporaries left by a save that was killed (``.NAME.*.tmp``
beside ``NAME``, untouched for :data:`STALE_SECONDS`) are removed at the next write.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from planner.core.errors import InputError

__all__ = ["check_regular_file", "read_limited", "atomic_path", "STALE_SECONDS"]

#: How long a temporary beside a file must have been untouched before a later write removes it
#: as left by a crash (a write in progress touches its temporary as it goes).
STALE_SECONDS = 60

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _check_stat(path: Path, st: os.stat_result, what: str, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: is {_kind(st.st_mode)}, not {what}")
    if st.st_size > limit:
        raise InputError(f"{path.name}: is {_megabytes(st.st_size)}, more than the {_megabytes(limit)} {what} may be")


def check_regular_file(path: str | os.PathLike, what: str, limit: int) -> Path:
    """``path`` as a ``Path`` if it is a regular file of at most ``limit`` bytes; else an ``InputError``.

    ``what`` names the kind of file for the message (``"a site list"``). Nothing is opened, so
    a named pipe does not block.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from None
    _check_stat(path, st, what, limit)
    return path


def read_limited(path: str | os.PathLike, what: str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; else an ``InputError``.

    The file is opened without blocking (a named pipe would wait for a writer) and the opened
    file itself is checked, so it cannot be swapped after the check.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not {what}") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from None
    try:
        _check_stat(path, os.fstat(fd), what, limit)
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb") as f:
        try:
            data = f.read(limit + 1)
        except OSError as err:
            raise InputError(f"{path}: cannot be read ({err.strerror or err})") from None
    if len(data) > limit:  # it grew while being read
        raise InputError(f"{path.name}: is more than the {_megabytes(limit)} {what} may be")
    return data


def _target(path: str | os.PathLike) -> Path:
    """The file a write to ``path`` replaces: ``path``, or the file a symbolic link there points to."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _remove_stale(target: Path) -> None:
    """Remove temporaries beside ``target`` that a killed write left (untouched for STALE_SECONDS)."""
    folder = target.parent if str(target.parent) else Path(".")
    old = time.time() - STALE_SECONDS
    try:
        found = list(folder.glob(f".{_glob_escape(target.name)}.*.tmp"))
    except OSError:
        return
    for stale in found:
        try:
            touched = [stale.lstat().st_mtime]
            if stale.is_dir() and not stale.is_symlink():
                touched += [p.lstat().st_mtime for p in stale.iterdir()]
            if max(touched) > old:
                continue  # perhaps another write in progress
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink()
        except OSError:
            continue


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _fsync(path: Path, directory: bool = False) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    except OSError:
        if directory:
            return  # not every platform opens folders
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


def _keep_mode(written: Path, target: Path) -> None:
    """Give ``written`` the mode (and, where allowed, the group) of ``target``, or the umask's mode."""
    try:
        st = target.stat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(written, 0o666 & ~umask)
        return
    os.chmod(written, stat.S_IMODE(st.st_mode))
    if hasattr(os, "chown"):
        with suppress(OSError):
            os.chown(written, -1, st.st_gid)


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; it replaces ``path`` only on success.

    ``OSError`` is raised as it comes (``IsADirectoryError`` for a folder, and an ``OSError``
    saying so for a named pipe, device or socket, which are never replaced).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = _target(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
        raise OSError(code, f"it is {_kind(mode)}, not a file", str(path))
    _remove_stale(target)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        written = folder / target.name
        yield written
        _fsync(written)
        _keep_mode(written, target)
        os.replace(written, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _fsync(target.parent if str(target.parent) else Path("."), directory=True)
