"""The circuit schedule as CSV: the columns of the XLSX Circuits sheet, one row per circuit.

UTF-8 with a byte-order mark, so Excel shows ``£`` and accented names correctly
(Python's ``utf-8-sig`` and every CSV library read it). Money is pounds with two
decimals and no symbol, so a spreadsheet reads numbers. There is no totals row: a
CSV is for systems to import; the XLSX and the PDF carry the totals. Formula-like
text is neutralised (``planner/io/safe_output.py``).
"""

from __future__ import annotations

import csv
import os

from planner.analysis.schedule import Table, circuit_table
from planner.core.design_result import Design
from planner.core.model import Project
from planner.io.safe_output import atomic_output, neutralise

__all__ = ["write_circuits_csv", "table_csv_rows"]


def table_csv_rows(table: Table) -> list[list]:
    """The header and rows of ``table`` as CSV cells, text neutralised."""
    rows = [[neutralise(c.heading) for c in table.columns]]
    rows += [[neutralise(c.value(row)) for c in table.columns] for row in table.rows]
    return rows


def write_circuits_csv(
    project: Project, design: Design, path: str | os.PathLike, *, circuits: Table | None = None
) -> None:
    """Write the circuit schedule of ``design`` to ``path`` (replaced only when complete).

    ``circuits`` reuses a circuit table already made (a pack's) instead of making it again.
    """
    rows = table_csv_rows(circuits or circuit_table(project, design))
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
