"""The command line's compact design table: one row per chosen circuit.

Columns ``circuit_id,a,b,a_name,b_name,distance_km,cost``; cost is the circuit's
total over the term in pounds, distance the geodesic km. Formula-like text is
neutralised (``planner/io/safe_output.py``).
"""

from __future__ import annotations

import csv
import io
import os

from planner.core.design_result import Design
from planner.core.model import Project
from planner.core.money import pounds
from planner.io.safe_output import neutralise

__all__ = ["DESIGN_COLUMNS", "design_rows", "write_design_csv", "design_csv_text"]

DESIGN_COLUMNS = ("circuit_id", "a", "b", "a_name", "b_name", "distance_km", "cost")


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
        )
        for k in design.links
    ]


def design_csv_text(project: Project, design: Design) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DESIGN_COLUMNS)
    writer.writerows(design_rows(project, design))
    return buffer.getvalue()


def write_design_csv(project: Project, design: Design, path: str | os.PathLike) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(design_csv_text(project, design))
