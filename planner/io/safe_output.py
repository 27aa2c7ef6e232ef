"""Writing exports safely: text a spreadsheet will not run, and files that appear whole or not at all.

A site named ``=HYPERLINK("http://x","y")`` by a user must reach a spreadsheet as
text. A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could be read as a formula (OWASP "CSV injection"):

* in CSV, such text gets a leading apostrophe (``neutralise``), the only defence a
  plain-text format has;
* in XLSX, the cell is written as a string typed cell with Excel's *quote prefix*
  set (``planner/io/schedule_xlsx.py``), so it shows exactly what the user typed
  and stays text even when edited.

Numbers we write ourselves (money, km) are numbers, never text, and are left alone.

>>> neutralise('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> neutralise("Leeds"), neutralise(-5)
('Leeds', -5)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.core.files import atomic_path

__all__ = ["FORMULA_STARTS", "looks_like_formula", "neutralise", "check_writable", "atomic_output"]

#: First characters that make a spreadsheet read text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """``value`` with an apostrophe in front when it is formula-like text; anything else unchanged."""
    return "'" + value if looks_like_formula(value) else value


def _cannot(path: Path, reason: str) -> PlannerError:
    return PlannerError(f"{path}: cannot be written ({reason})")


def check_writable(path: str | os.PathLike) -> Path:
    """``path`` as a ``Path`` if a file can be written there; else ``PlannerError`` naming it.

    Checked before long work starts, so a typo in an output path fails at once.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise _cannot(path, "it is a folder")
    if not folder.is_dir():
        raise _cannot(path, f"no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise _cannot(path, f"the folder {folder} is not writable")
    return path


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path, with the same name, to write ``path`` to; moved into place only on success.

    A failed or cancelled export leaves any earlier file at ``path`` intact and no
    partial file behind; the file keeps its mode, and a symbolic link is followed
    (:func:`planner.core.files.atomic_path`, the one atomic writer, which project files
    use too). ``OSError`` becomes ``PlannerError`` naming ``path``.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_output(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    path = check_writable(path)
    try:
        with atomic_path(path) as tmp:
            yield tmp
    except OSError as err:
        raise _cannot(path, err.strerror or str(err)) from None
