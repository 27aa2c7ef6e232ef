"""The procurement workbook: Summary, Circuits, Sites, Partners, Resilience and Double failures sheets.

Every table sheet has a frozen, bold header row (and frozen first column), a
filter over its rows, number formats by column kind, widths fitted to the
content, the table's notes below it (the Circuits sheet explains its "Diverse
from", "Serves" and "Shared-risk groups" columns; the Double failures sheet how
many pairs of circuits cut sites off and whom most often), and prints landscape
one page wide with the header on every page. Resilience lists each single failure
and each shared-risk group lost; the Summary sheet sums them up with the double
failures in one sentence.
Money cells hold exact values — ``Decimal`` pounds, never floats of pence — in a
``£#,##0.00`` format; totals are values, not formulas, so they read
the same in every program. Text is written as string cells with Excel's quote
prefix, so a site named like a formula stays text (``planner/io/safe_output.py``).

>>> from planner.core.model import Partner, Project, Site
>>> from planner.design import design_project
>>> import tempfile, pathlib, openpyxl
>>> p = Project(name="Demo", partners=[Partner("P", "Police")], sites=[
...     Site("a", "A", "P", -1.55, 53.80), Site("b", "B", "P", -1.47, 53.38), Site("c", "C", "P", -1.08, 53.96)])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pack.xlsx"
>>> write_xlsx(p, design_project(p), path)
>>> openpyxl.load_workbook(path).sheetnames
['Summary', 'Circuits', 'Sites', 'Partners', 'Resilience', 'Double failures']
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.analysis.pack import Pack, build_pack
from planner.analysis.schedule import Table, convert
from planner.core.design_result import Design
from planner.core.model import Project
from planner.design import Control
from planner.io.safe_output import atomic_output

__all__ = ["write_xlsx", "NUMBER_FORMATS"]

#: Excel number format by column kind.
NUMBER_FORMATS: dict[str, str] = {
    "gbp": '"£"#,##0.00;[Red]-"£"#,##0.00',
    "km": "#,##0.00",
    "deg": "0.000000",
    "metres": "0",
    "int": "#,##0",
    "percent": "0.0%",
    "mbps": "#,##0.0",
}

_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=16, color="1F3A5F")
_TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))


def _put(ws: Worksheet, row: int, col: int, value: Any, kind: str = "text"):
    """Write one cell: text always as a quote-prefixed string, numbers with their format."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise take "=..." for a formula
        cell.quotePrefix = True
    elif kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _fit_widths(ws: Worksheet, widths: dict[int, int]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(8, width + 2))


def _shown_length(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "gbp":
        return len(f"£{value:,.2f}")
    return max(len(line) for line in str(value).splitlines() or [""])


def _write_table(ws: Worksheet, table: Table, first_row: int = 1, freeze_first_column: bool = True) -> int:
    """Write ``table`` from ``first_row``; returns the next free row."""
    widths: dict[int, int] = {}
    for j, column in enumerate(table.columns, 1):
        cell = _put(ws, first_row, j, column.heading)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        widths[j] = min(len(column.heading), 18)
    r = first_row
    for r, row in enumerate(table.rows, first_row + 1):
        for j, column in enumerate(table.columns, 1):
            value = column.value(row)
            _put(ws, r, j, value, column.kind)
            widths[j] = max(widths[j], _shown_length(value, column.kind))
    last_col = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A{first_row}:{last_col}{max(r, first_row + 1)}"
    ws.freeze_panes = ws.cell(row=first_row + 1, column=2 if freeze_first_column else 1)
    if table.totals is not None:
        r += 1
        for j, (column, value) in enumerate(zip(table.columns, table.total_values(), strict=True), 1):
            cell = _put(ws, r, j, value, column.kind)
            cell.font, cell.border = _BOLD, _TOTAL_BORDER
    if table.notes:
        _put(ws, r + 2, 1, "Notes").font = _BOLD
        for i, note in enumerate(table.notes, r + 3):
            _put(ws, i, 1, note)
        r += 2 + len(table.notes)
    _fit_widths(ws, widths)
    ws.page_setup.orientation = "landscape"  # printed: the width of one page, header row on every page
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{first_row}:{first_row}"
    return r + 1


def _write_summary(ws: Worksheet, pack: Pack) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 70
    _put(ws, 1, 1, pack.project.name).font = _TITLE
    _put(ws, 2, 1, pack.subtitle)
    r = 4
    for line in pack.summary_lines():
        _put(ws, r, 1, line.label).font = _BOLD
        _put(ws, r, 2, convert(line.kind, line.value), line.kind).alignment = Alignment(horizontal="left")
        _put(ws, r, 3, line.note or None)
        r += 1
    if pack.notes():
        r += 1
        _put(ws, r, 1, "Notes for the board").font = _BOLD
        for note in pack.notes():
            r += 1
            _put(ws, r, 1, note).alignment = Alignment(wrap_text=False)


def write_xlsx(
    project: Project,
    design: Design,
    path: str | os.PathLike,
    *,
    pack: Pack | None = None,
    control: Control | None = None,
    when: dt.datetime | None = None,
) -> None:
    """Write the procurement workbook for ``design`` to ``path`` (replaced only when complete).

    ``pack`` reuses figures already computed (cost sharing is the slow part);
    otherwise they are computed under ``control``.
    """
    pack = pack or build_pack(project, design, control, when=when)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _write_summary(summary, pack)
    for table in (pack.circuits, pack.sites, pack.partners, pack.failures, pack.double_failures):
        ws = wb.create_sheet(table.name)
        _write_table(ws, table)
    wb.properties.title = f"{project.name}: link schedule"
    wb.properties.creator = "Regional Network Planner"
    with atomic_output(path) as tmp:
        wb.save(tmp)
