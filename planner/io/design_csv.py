"""The command line's compact design table: one row per chosen circuit.

Columns ``circuit_id,a,b,a_name,b_name,distance_km,cost,bandwidth,load_mbps,
worst_load_mbps,worst_failure``; cost is the link's total over the term in pounds
(a bundle ``3x10G`` is one row: all its circuits), distance the geodesic km, loads
in Mb/s each way in the normal state and after the worst failure the design must
survive (``worst_failure`` names it; empty when no failure adds load). Formula-like
text is neutralised (``planner/io/safe_output.py``).

Rows end in CR LF (RFC 4180), so the writer quotes any cell holding a CR or an LF: a
name ``"Leeds\r=1+1"`` stays one quoted cell, never a line of its own that starts
``=1+1`` (with LF endings Python's writer quotes only LF). The file is replaced only
when complete.
"""

from __future__ import annotations

import csv
import io
import os

from planner.core.design_result import Design
from planner.core.model import Project
from planner.core.money import pounds
from planner.io.safe_output import atomic_output, neutralise

__all__ = ["DESIGN_COLUMNS", "design_rows", "write_design_csv", "design_csv_text"]

DESIGN_COLUMNS = (
    "circuit_id",
    "a",
    "b",
    "a_name",
    "b_name",
    "distance_km",
    "cost",
    "bandwidth",
    "load_mbps",
    "worst_load_mbps",
    "worst_failure",
)


def design_rows(project: Project, design: Design) -> list[tuple]:
    names = {s.id: s.name for s in project.sites}
    return [
        (
            neutralise(k.circuit_id),
            neutralise(k.a),
            neutralise(k.b),
            neutralise(names.get(k.a, k.a)),
            neutralise(names.get(k.b, k.b)),
            f"{k.distance_km:.2f}",
            str(pounds(k.total(design.term_years))),
            k.bandwidth,
            _mbps(k.load_mbps),
            _mbps(k.worst_load_mbps),
            neutralise(k.worst_failure),
        )
        for k in design.links
    ]


def _mbps(value: float) -> str:
    """A load to 3 decimals, without trailing zeros (``250``, ``333.333``)."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def design_csv_text(project: Project, design: Design) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(DESIGN_COLUMNS)
    writer.writerows(design_rows(project, design))
    return buffer.getvalue()


def write_design_csv(project: Project, design: Design, path: str | os.PathLike) -> None:
    """Write the design table to ``path``; ``PlannerError`` naming it if it cannot be written."""
    text = design_csv_text(project, design)
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
