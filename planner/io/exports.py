"""Every export by its key: the one table of writers the command line and the app share.

The workbook and the board pack need the pack's figures (the cost sharing, the slow part);
the other files reuse its tables when there is one, so an "Export all" makes each table once.
The writers are imported when used: the board pack brings in Qt to render the map.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing this module stays cheap: the app imports it at start-up
    from planner.analysis.pack import Pack
    from planner.core.design_result import Design
    from planner.core.model import Project
    from planner.design import Control

__all__ = ["KEYS", "PACK_KEYS", "GIS_KEYS", "write_export"]

GIS_KEYS = ("gpkg", "geojson", "kml")
#: Every export, in the order the command line lists them.
KEYS = ("xlsx", "csv", "pdf", *GIS_KEYS)
#: The exports that need the pack's figures.
PACK_KEYS = frozenset({"xlsx", "pdf"})


def _xlsx(project: Project, design: Design, path, pack: Pack | None, control: Control | None) -> None:
    from planner.io.schedule_xlsx import write_xlsx

    write_xlsx(project, design, path, pack=pack, control=control)


def _pdf(project: Project, design: Design, path, pack: Pack | None, control: Control | None) -> None:
    from planner.io.board_pack import write_board_pack

    write_board_pack(project, design, path, pack=pack, control=control)


def _csv(project: Project, design: Design, path, pack: Pack | None, control: Control | None) -> None:
    from planner.io.schedule_csv import write_circuits_csv

    write_circuits_csv(project, design, path, circuits=pack.circuits if pack else None)


def _gis(key: str, project: Project, design: Design, path, pack: Pack | None, control: Control | None) -> None:
    from planner.io.gis_export import GIS_FORMATS

    GIS_FORMATS[key](project, design, path, tables=(pack.sites, pack.circuits) if pack else None)


#: The writer of each export: ``(project, design, path, pack, control)``.
_WRITERS: dict[str, Callable[..., None]] = {
    "xlsx": _xlsx,
    "csv": _csv,
    "pdf": _pdf,
    **{key: partial(_gis, key) for key in GIS_KEYS},
}


def write_export(
    key: str,
    project: Project,
    design: Design,
    path: str | os.PathLike,
    *,
    pack: Pack | None = None,
    control: Control | None = None,
) -> None:
    """Write export ``key`` of ``design`` to ``path`` (replaced only when complete).

    ``pack`` gives the figures (made under ``control`` when missing and needed).
    """
    writer = _WRITERS.get(key)
    if writer is None:
        raise ValueError(f"{key} is not an export ({', '.join(KEYS)})")
    writer(project, design, path, pack, control)
