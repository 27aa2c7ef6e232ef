"""The PDF board pack: what a partnership board reads before it decides.

A4 landscape, drawn with Qt's ``QPdfWriter`` and ``QPainter`` so the map is the
app's map (``planner/io/map_painter.py``). Pages, each with the partnership's
name, the date and "Page i of n" in the footer:

1. title: the partnership's name, the date, headline figures (total over the
   term, annual rental, installation, saving against going alone) and key facts;
2. the map: basemap, circuits by role, sites by partner colour, legend, scale
   and attribution;
3. what each partner pays and saves under each cost-sharing method, and the
   notes the board must read (who would pay more than alone);
4. the circuit schedule, as many pages as it needs, with totals;
5. the failure check: the summary sentence (single, shared-risk group and double
   failures), then each circuit (and each site, for ``2node``) lost in turn and each
   shared-risk group lost, and whether everyone else stays connected;
6. double failures: how many pairs of circuits lost together cut sites off, whom
   most often, and the pairs cutting off most sites (one page; the workbook has more).

Every figure and sentence comes from :class:`~planner.analysis.pack.Pack`, which
the workbook prints too. Text is real text (searchable, and readable by PDF text
extractors), in DejaVu Sans, which Qt finds on every platform we ship to.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from planner import __version__
from planner.analysis.pack import Pack, build_pack
from planner.analysis.schedule import Table, display
from planner.analysis.sharing import METHODS
from planner.core.design_result import Design
from planner.core.model import Project
from planner.core.money import format_gbp
from planner.core.words import plural
from planner.design import Control
from planner.io.basemap import ATTRIBUTION
from planner.io.map_painter import ensure_gui, font, paint_legend, paint_network_map
from planner.io.safe_output import atomic_output

__all__ = ["write_board_pack", "PAGE_WIDTH_MM", "PAGE_HEIGHT_MM"]

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 297.0, 210.0
_DPI = 300
_MARGIN, _TOP, _CONTENT_TOP, _FOOTER = 14.0, 12.0, 30.0, 196.0
_ROW = 5.6
_HEADLINE_PT = 11.0
_TABLE_PT = 6.5
_HEADER = 8.0
_NAVY = QColor("#1F3A5F")
_INK = QColor("#1B2631")
_GREY = QColor("#5D6D7E")
_RULE = QColor("#D5DBE1")
_ZEBRA = QColor("#F3F6F9")
_GOOD = QColor("#1E7B4A")
_BAD = QColor("#B03A2E")


@dataclass(frozen=True)
class _PdfColumn:
    """A schedule column as the PDF shows it: narrower heading, width in mm, alignment."""

    key: str
    heading: str
    width: float
    right: bool = False


_CIRCUIT_COLUMNS = (
    _PdfColumn("circuit_id", "Circuit", 13),
    _PdfColumn("a_id", "A-end", 30),
    _PdfColumn("a_name", "A-end name", 34),
    _PdfColumn("b_id", "B-end", 30),
    _PdfColumn("b_name", "B-end name", 34),
    _PdfColumn("distance_km", "km", 12, True),
    _PdfColumn("route_km", "Route km", 13, True),
    _PdfColumn("bandwidth", "BW", 8),
    _PdfColumn("role", "Role", 17),
    _PdfColumn("diverse_from", "Diverse from", 22),
    _PdfColumn("install", "Installation", 18, True),
    _PdfColumn("annual", "Annual", 18, True),
    _PdfColumn("total", "Total over term", 20, True),
)
#: With traffic the schedule shows what each circuit carries (site ids are in the XLSX and CSV).
_TRAFFIC_CIRCUIT_COLUMNS = (
    _PdfColumn("circuit_id", "Circuit", 13),
    _PdfColumn("a_name", "A-end", 42),
    _PdfColumn("b_name", "B-end", 42),
    _PdfColumn("route_km", "Route km", 12, True),
    _PdfColumn("bandwidth", "Bandwidth", 15),
    _PdfColumn("load_mbps", "Load Mb/s", 15, True),
    _PdfColumn("worst_load_mbps", "Worst Mb/s", 15, True),
    _PdfColumn("worst_failure", "Worst after losing", 22),
    _PdfColumn("role", "Role", 16),
    _PdfColumn("diverse_from", "Diverse from", 20),
    _PdfColumn("install", "Installation", 18, True),
    _PdfColumn("annual", "Annual", 18, True),
    _PdfColumn("total", "Total over term", 21, True),
)
_PARTNER_COLUMNS = (
    _PdfColumn("name", "Partner", 50),
    _PdfColumn("sites", "Sites", 10, True),
    _PdfColumn("standalone", "Cost alone", 24, True),
    _PdfColumn("shapley", "Shapley share", 24, True),
    _PdfColumn("shapley_saving", "Saving", 22, True),
    _PdfColumn("nucleolus", "Nucleolus share", 24, True),
    _PdfColumn("nucleolus_saving", "Saving", 22, True),
    _PdfColumn("standalone_share", "Pro rata share", 24, True),
    _PdfColumn("sites_share", "Per-site share", 24, True),
    _PdfColumn("pays_more_under", "Pays more than alone under", 45),
)
_FAILURE_COLUMNS = (
    _PdfColumn("failure", "Lost", 25),
    _PdfColumn("element", "Id", 40),
    _PdfColumn("description", "Where", 89),
    _PdfColumn("connected", "Everyone else connected?", 37),
    _PdfColumn("cut_off", "Sites cut off", 58),
    _PdfColumn("detour_hops", "Detour hops", 20, True),
)
_TRAFFIC_FAILURE_COLUMNS = (
    _PdfColumn("failure", "Lost", 25),
    _PdfColumn("element", "Id", 34),
    _PdfColumn("description", "Where", 43),
    _PdfColumn("connected", "Others connected?", 26),
    _PdfColumn("cut_off", "Sites cut off", 44),
    _PdfColumn("detour_hops", "Detour hops", 16, True),
    _PdfColumn("peak_circuit", "Most loaded", 19),
    _PdfColumn("peak_load_mbps", "Its load Mb/s", 18, True),
    _PdfColumn("peak_utilisation", "Its use", 12, True),
    _PdfColumn("overloaded", "Overloaded", 32),
)
_DUAL_COLUMNS = (
    _PdfColumn("first", "Circuit", 16),
    _PdfColumn("first_where", "Its ends", 62),
    _PdfColumn("second", "Circuit", 16),
    _PdfColumn("second_where", "Its ends", 62),
    _PdfColumn("meet_at", "Meet at", 40),
    _PdfColumn("cut_off", "Sites cut off", 58),
    _PdfColumn("cut_off_count", "Cut off", 15, True),
)
_METHOD_NOTES = {
    "shapley": "each partner pays its average extra cost over every order in which the partners could have joined; "
    "no partner is charged for what others need, and partners who add the same cost pay the same.",
    "nucleolus": "the split no group of partners can fairly object to: it makes the most that any group pays above "
    "the cost of its own network as small as it can be, then the next most, and so on. When some split leaves "
    "every group paying no more than alone (the core), the nucleolus is one of them.",
    "standalone": "the shared cost in proportion to what each partner's own network would cost.",
    "sites": "the same amount for every site connected.",
}


def _align(column: _PdfColumn) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if column.right else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


class _Painter:
    """Draws the pack page by page in millimetre coordinates."""

    def __init__(self, pack: Pack, painter: QPainter):
        self.pack, self.p = pack, painter
        self.mm = _DPI / 25.4

    # -- primitives -----------------------------------------------------------------
    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(x * self.mm, y * self.mm, w * self.mm, h * self.mm)

    def text(
        self, x: float, y: float, w: float, h: float, text: str, size: float, *, bold=False, colour=_INK, flags=None
    ) -> None:
        """Draw ``text`` in a box; a single line too long for it ends in an ellipsis rather than being cut."""
        self.p.setFont(font(size, bold))
        self.p.setPen(colour)
        align = flags if flags is not None else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if not align & Qt.TextFlag.TextWordWrap:
            metrics = QFontMetricsF(self.p.font(), self.p.device())
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, w * self.mm)
        self.p.drawText(self.rect(x, y, w, h), align, text)

    def wrapped_height(self, text: str, size: float, width: float, bold: bool = False) -> float:
        metrics = QFontMetricsF(font(size, bold), self.p.device())
        flags = int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRectF(0, 0, width * self.mm, 10_000 * self.mm), flags, text).height() / self.mm

    def fitting_size(self, text: str, size: float, width: float) -> float:
        """The largest point size up to ``size`` at which bold ``text`` fits ``width`` mm."""
        while size > 6 and QFontMetricsF(font(size, True), self.p.device()).horizontalAdvance(text) > width * self.mm:
            size -= 0.5
        return size

    def paragraph(self, x: float, y: float, w: float, text: str, size: float, colour=_INK, bold=False) -> float:
        """Draw wrapped ``text``; returns its height in mm."""
        h = self.wrapped_height(text, size, w, bold)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        self.text(x, y, w, h + 1, text, size, colour=colour, flags=flags, bold=bold)
        return h

    def line(self, x1: float, y1: float, x2: float, y2: float, colour=_RULE, width=0.25) -> None:
        self.p.setPen(QPen(colour, width * self.mm))
        self.p.drawLine(QPointF(x1 * self.mm, y1 * self.mm), QPointF(x2 * self.mm, y2 * self.mm))

    # -- page furniture -------------------------------------------------------------
    def heading(self, title: str, subtitle: str = "") -> None:
        self.text(_MARGIN, _TOP, 269, 9, title, 17, bold=True, colour=_NAVY)
        if subtitle:
            self.text(_MARGIN, _TOP + 9, 269, 5, subtitle, 8.5, colour=_GREY)
        self.line(_MARGIN, _CONTENT_TOP - 3, PAGE_WIDTH_MM - _MARGIN, _CONTENT_TOP - 3, _NAVY, 0.5)

    def footer(self, number: int, total: int) -> None:
        pack = self.pack
        self.line(_MARGIN, _FOOTER, PAGE_WIDTH_MM - _MARGIN, _FOOTER)
        left = f"{pack.project.name} · board pack · {pack.date_text}"
        self.text(_MARGIN, _FOOTER + 1, 200, 5, left, 7.5, colour=_GREY)
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.text(PAGE_WIDTH_MM - _MARGIN - 60, _FOOTER + 1, 60, 5, f"Page {number} of {total}", 7.5, flags=flags)

    # -- tables ---------------------------------------------------------------------
    def table(
        self,
        table: Table,
        columns: Sequence[_PdfColumn],
        rows: Sequence,
        y: float,
        totals: bool = False,
        swatches: dict[str, QColor] | None = None,
    ) -> float:
        """Draw a header, ``rows`` and optionally the totals row from ``y``; returns the y below it."""
        x0 = _MARGIN
        width = sum(c.width for c in columns)
        self.p.fillRect(self.rect(x0, y, width, _HEADER), _NAVY)
        x = x0
        for c in columns:
            white = QColor("white")
            flags = _align(c) | Qt.TextFlag.TextWordWrap
            self.text(x + 1, y, c.width - 2, _HEADER, c.heading, _TABLE_PT, bold=True, colour=white, flags=flags)
            x += c.width
        y += _HEADER
        lines = [(r, [table.column(c.key).text(r) for c in columns], False) for r in rows]
        if totals:
            cells = [display(table.column(c.key).kind, table.total(c.key)) for c in columns]
            cells[0] = "Total"
            lines.append((None, cells, True))
        for i, (row, cells, is_total) in enumerate(lines):
            if i % 2 and not is_total:
                self.p.fillRect(self.rect(x0, y, width, _ROW), _ZEBRA)
            if is_total:
                self.line(x0, y, x0 + width, y, _INK, 0.35)
            x = x0
            for j, (c, cell) in enumerate(zip(columns, cells, strict=True)):
                left = x + 1
                if j == 0 and swatches and row is not None:
                    self.p.setPen(Qt.PenStyle.NoPen)
                    self.p.setBrush(swatches.get(row.id, _GREY))
                    self.p.drawEllipse(
                        QPointF((x + 2.6) * self.mm, (y + _ROW / 2) * self.mm), 1.4 * self.mm, 1.4 * self.mm
                    )
                    left = x + 5
                colour = _BAD if cell.startswith("-£") or cell == "No" else _INK
                self.text(
                    left,
                    y,
                    x + c.width - 1 - left,
                    _ROW,
                    cell,
                    _TABLE_PT,
                    bold=is_total,
                    colour=colour,
                    flags=_align(c),
                )
                x += c.width
            y += _ROW
        self.line(x0, y, x0 + width, y, _RULE)
        return y

    # -- pages ------------------------------------------------------------------------
    def title_page(self, contents: list[tuple[str, int]]) -> None:
        pack, design, sharing = self.pack, self.pack.design, self.pack.sharing
        white = QColor("white")
        self.p.fillRect(self.rect(0, 0, PAGE_WIDTH_MM, 74), _NAVY)
        self.text(_MARGIN, 12, 269, 6, "PARTNERSHIP BOARD PACK", 9, bold=True, colour=QColor("#A9C4E0"))
        size = 24.0
        while size > 12 and self.wrapped_height(pack.project.name, size, 269, bold=True) > 30:
            size -= 1  # a long name gets smaller type rather than running into the subtitle
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        self.text(_MARGIN, 20, 269, 30, pack.project.name, size, bold=True, colour=white, flags=flags)
        clause = _level_clause(design.redundancy, bool(design.risk_groups))
        self.text(_MARGIN, 52, 269, 7, f"One shared network that {clause}", 12, colour=white)
        self.text(_MARGIN, 61, 269, 6, f"Prepared {pack.date_text}", 9.5, colour=QColor("#D6E2EE"))

        alone = format_gbp(sharing.standalone_total)
        saving_label = "Saving against going alone" if sharing.saving >= 0 else "Extra cost against going alone"
        tiles = [
            (f"Total over {design.term_years} years", format_gbp(design.total_cost), "installation and rental"),
            (
                "Annual rental",
                format_gbp(design.annual_cost),
                f"{len(design.links)} circuits, {design.route_km:,} route km",
            ),
            ("Installation", format_gbp(design.install_cost), "one-off connection charges"),
            (
                saving_label,
                format_gbp(abs(sharing.saving)),
                f"{abs(sharing.saving_fraction):.1%} of the partners' own networks, {alone}",
            ),
        ]
        x, w, gap = _MARGIN, (PAGE_WIDTH_MM - 2 * _MARGIN - 3 * 5) / 4, 5
        for i, (label, value, note) in enumerate(tiles):
            self.p.fillRect(self.rect(x, 84, w, 36), _ZEBRA)
            self.p.fillRect(self.rect(x, 84, 1.4, 36), _GOOD if i == 3 and sharing.saving >= 0 else _NAVY)
            self.text(x + 5, 88, w - 8, 6, label, 9, colour=_GREY)
            self.text(x + 5, 96, w - 8, 12, value, self.fitting_size(value, 17, w - 8), bold=True, colour=_NAVY)
            wrap = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            self.text(x + 5, 109, w - 8, 9, note, 7.5, colour=_GREY, flags=wrap)
            x += w + gap

        y = 130
        self.text(_MARGIN, y, 160, 6, "Key facts", 11, bold=True, colour=_NAVY)
        y += 8
        facts = [
            ", ".join(
                plural(n, word)
                for n, word in (
                    (len(pack.project.partners), "partner"),
                    (len(design.sites), "site"),
                    (len(design.links), "circuit"),
                )
            ),
            f"Resilience: {pack.level_text}",
            f"Failures survived: {pack.analysis.summary}",
            f"Design: {pack.design_text}; {pack.quality_text}",
            f"Cost sharing: {pack.sharing_text}",
        ]
        for fact in facts:
            self.p.setBrush(_NAVY)
            self.p.setPen(Qt.PenStyle.NoPen)
            self.p.drawEllipse(QPointF((_MARGIN + 1.2) * self.mm, (y + 2.6) * self.mm), 0.7 * self.mm, 0.7 * self.mm)
            y += self.paragraph(_MARGIN + 4, y, 170, fact, 9) + 2.2

        cx = 200
        self.text(cx, 130, 80, 6, "Contents", 11, bold=True, colour=_NAVY)
        cy = 138
        for title, page in contents:
            self.text(cx, cy, 70, 5, title, 9)
            flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            self.text(cx + 70, cy, 13, 5, str(page), 9, colour=_GREY, flags=flags)
            cy += 6.2
        tool = f"Prepared with Regional Network Planner {__version__}"
        self.text(cx, 190, 83, 5, tool, 7, colour=_GREY)

    def map_page(self) -> None:
        self.heading("The shared network", f"{self.pack.level_text}; circuits by role, sites by partner")
        target = self.rect(_MARGIN, _CONTENT_TOP, 200, 150)
        paint_network_map(self.p, target, self.pack.project, self.pack.design, self.mm)
        paint_legend(
            self.p, self.rect(_MARGIN + 206, _CONTENT_TOP + 1, 63, 150), self.pack.project, self.pack.design, self.mm
        )
        self.paragraph(_MARGIN, _CONTENT_TOP + 152, 269, ATTRIBUTION, 5.5, _GREY)

    def partners_page(self, rows: Sequence, last: bool, notes: list[str] | None) -> None:
        """One page of the partners' table; the last carries the totals and, when they fit, the notes."""
        pack = self.pack
        cost = format_gbp(pack.design.total_cost)
        agreed = METHODS[pack.method]
        subtitle = f"The shared cost, {cost} over {pack.design.term_years} years, split four ways; agreed: {agreed}"
        self.heading("What each partner pays and saves", subtitle)
        swatches = {p.id: QColor(p.colour) for p in pack.project.partners}
        y = self.table(pack.partners, _PARTNER_COLUMNS, rows, _CONTENT_TOP, totals=last, swatches=swatches)
        if last and notes is not None:
            self.notes_block(y + 5, notes)

    def notes_block(self, y: float, notes: list[str]) -> float:
        for title, lines, colour in self._note_sections(notes):
            self.text(_MARGIN, y, 269, 6, title, 9.5, bold=True, colour=_NAVY)
            y += 6.5
            for line in lines:
                y += self.paragraph(_MARGIN, y, 269, line, 8, colour) + 1.2
            y += 2.5
        return y

    def _note_sections(self, notes: list[str]) -> list[tuple[str, list[str], QColor]]:
        sharing = self.pack.sharing
        methods = [f"{METHODS[m]}: {text}" for m, text in _METHOD_NOTES.items()]
        methods.append(
            "Cost alone: each partner's own network under the same rules (redundancy, tariff, existing links). "
            "A partner with one site needs no circuits alone; two sites need two circuits on separate routes."
        )
        methods.append(
            f"{self.pack.sharing_text}. Coalition costs come from the fast design heuristic; each Shapley share "
            f"is within {format_gbp(sharing.value_error)} of the share computed from optimal costs."
        )
        sections = [("How the shares are worked out", methods, _INK)]
        if notes:
            sections.insert(0, ("Notes for the board", notes, _BAD))
        return sections

    def notes_height(self, notes: list[str]) -> float:
        height = 0.0
        for _, lines, _ in self._note_sections(notes):
            height += 6.5 + sum(self.wrapped_height(line, 8, 269) + 1.2 for line in lines) + 2.5
        return height

    def schedule_page(self, rows: Sequence, last: bool, part: tuple[int, int]) -> None:
        d = self.pack.design
        more = f" (part {part[0]} of {part[1]})" if part[1] > 1 else ""
        subtitle = (
            f"{len(d.links)} circuits{more}; total over term = installation + {d.term_years} × annual rental. "
            "Grid references and coordinates: see the XLSX or CSV schedule."
        )
        self.heading("Circuit schedule", subtitle)
        columns = _TRAFFIC_CIRCUIT_COLUMNS if self.pack.has_traffic else _CIRCUIT_COLUMNS
        self.table(self.pack.circuits, columns, rows, _CONTENT_TOP, totals=last)

    @property
    def headline(self) -> tuple[str, bool]:
        """The failure check's first line (a mark, and the summary sentence), and whether every single and
        group failure leaves everyone connected."""
        analysis = self.pack.analysis
        ok = all(f.connected for f in (*analysis.singles, *analysis.groups))
        return f"{'✓' if ok else '✗'}  {analysis.summary}", ok

    def headline_height(self) -> float:
        return self.wrapped_height(self.headline[0], _HEADLINE_PT, 269, bold=True) + 3

    def failure_page(self, rows: Sequence, first: bool) -> None:
        pack = self.pack
        steps = ["Each circuit lost in turn"]
        steps += ["each site"] if pack.design.redundancy == "2node" else []
        steps += ["each shared-risk group lost whole"] if pack.analysis.groups else []
        self.heading("Failure check", ", then ".join(steps))
        y = _CONTENT_TOP
        if first:
            text, ok = self.headline
            y += self.paragraph(_MARGIN, y, 269, text, _HEADLINE_PT, _GOOD if ok else _BAD, bold=True) + 3
        self.table(pack.failures, _TRAFFIC_FAILURE_COLUMNS if pack.has_traffic else _FAILURE_COLUMNS, rows, y)

    def dual_notes_height(self) -> float:
        return sum(self.wrapped_height(note, 8.5, 269) + 1.5 for note in self.pack.double_failures.notes) + 2

    def dual_page(self, rows: Sequence) -> None:
        """The pairs of circuits cutting off most sites, below the notes saying how many there are."""
        table, cutting = self.pack.double_failures, self.pack.analysis.duals.cutting
        shown = "every one" if len(rows) == cutting else f"the {len(rows):,} of {cutting:,} cutting off most sites"
        self.heading("Double failures", f"Pairs of circuits lost together that cut sites off: {shown}")
        y = _CONTENT_TOP
        for note in table.notes:
            y += self.paragraph(_MARGIN, y, 269, note, 8.5) + 1.5
        if rows:
            self.table(table, _DUAL_COLUMNS, rows, y + 2)


def _level_clause(level: str, risk_groups: bool = False) -> str:
    """What the network survives, for the title page: ``risk_groups`` when it survives shared ducts too."""
    clause = {
        "tree": "connects every site at the lowest cost, without protection",
        "2edge": "survives any one circuit being cut",
        "2node": "survives the loss of any one site",
    }.get(level, f"meets the {level} redundancy level")
    return f"{clause} or any one shared duct or exchange lost" if risk_groups and level != "tree" else clause


def _chunks(rows: Sequence, first: int, rest: int) -> list[Sequence]:
    """``rows`` in pages of ``first`` then ``rest`` rows (always at least one page)."""
    pages = [rows[:first]]
    i = first
    while i < len(rows):
        pages.append(rows[i : i + rest])
        i += rest
    return pages


def _plan(draw: _Painter) -> tuple[list[Callable[[], None]], list[tuple[str, int]]]:
    """Every page as a drawing function, and the contents (title, first page)."""
    pack = draw.pack
    usable = (_FOOTER - 3 - _CONTENT_TOP - _HEADER) / _ROW  # rows below a table header
    pages: list[Callable[[], None]] = []
    contents: list[tuple[str, int]] = []

    def add(title: str, painters: list[Callable[[], None]]) -> None:
        contents.append((title, len(pages) + 2))
        pages.extend(painters)

    add("The shared network (map)", [draw.map_page])

    notes = pack.notes()
    partner_rows = list(pack.partners.rows)
    per_page = int(usable) - 1
    chunks = _chunks(partner_rows, per_page, per_page)
    last_rows = len(chunks[-1]) + 1
    fits = _CONTENT_TOP + _HEADER + last_rows * _ROW + 5 + draw.notes_height(notes) <= _FOOTER - 2
    last_page = len(chunks) - 1
    partner_pages = [
        (lambda rows=rows, last=(i == last_page): draw.partners_page(rows, last, notes if fits else None))
        for i, rows in enumerate(chunks)
    ]
    if not fits:

        def notes_page() -> None:
            draw.heading("What each partner pays and saves", "Notes")
            draw.notes_block(_CONTENT_TOP, notes)

        partner_pages.append(notes_page)
    add("What each partner pays and saves", partner_pages)

    circuits = list(pack.circuits.rows)
    chunks = _chunks(circuits, int(usable) - 1, int(usable) - 1)
    parts = len(chunks)
    add(
        "Circuit schedule",
        [
            (lambda rows=rows, i=i: draw.schedule_page(rows, i == parts - 1, (i + 1, parts)))
            for i, rows in enumerate(chunks)
        ],
    )
    failures = list(pack.failures.rows)
    chunks = _chunks(failures, int(usable - draw.headline_height() / _ROW), int(usable))
    add(
        "Failure check",
        [(lambda rows=rows, first=(i == 0): draw.failure_page(rows, first)) for i, rows in enumerate(chunks)],
    )
    fit = max(0, int(usable - (draw.dual_notes_height() + 2) / _ROW))
    add("Double failures", [lambda rows=pack.double_failures.rows[:fit]: draw.dual_page(rows)])
    return pages, contents


def write_board_pack(
    project: Project,
    design: Design,
    path: str | os.PathLike,
    *,
    pack: Pack | None = None,
    control: Control | None = None,
    when: dt.datetime | None = None,
) -> None:
    """Write the PDF board pack for ``design`` to ``path`` (replaced only when complete).

    ``pack`` reuses figures already computed (cost sharing is the slow part);
    otherwise they are computed under ``control``, which can also cancel between pages.
    """
    pack = pack or build_pack(project, design, control, when=when)
    ensure_gui()
    with atomic_output(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(_DPI)
        writer.setPageLayout(
            QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0))
        )
        writer.setTitle(f"{project.name}: board pack")
        writer.setCreator(f"Regional Network Planner {__version__}")
        painter = QPainter(writer)
        try:
            draw = _Painter(pack, painter)
            pages, contents = _plan(draw)
            total = len(pages) + 1
            draw.title_page(contents)
            draw.footer(1, total)
            for number, page in enumerate(pages, 2):
                if control is not None:
                    control.check()
                writer.newPage()
                page()
                draw.footer(number, total)
        finally:
            painter.end()
