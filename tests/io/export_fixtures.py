"""A small partnership with a hostile site name, designed and packed once for the export tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.analysis.pack import Pack, build_pack
from planner.core.model import Project
from planner.design import design_project
from tests.analysis.test_sharing import three_partners

#: A site name a spreadsheet would run as a formula if it were written carelessly.
HOSTILE = '=HYPERLINK("http://x","y")'
WHEN = dt.datetime(2025, 3, 14, 9, 30)


def hostile_project() -> Project:
    project = three_partners()
    project.name = "Three Counties Partnership"
    project.sites = [replace(s, name=HOSTILE) if s.id == "b1" else s for s in project.sites]
    project.partners = [replace(p, name="+Gamma Fire & Rescue") if p.id == "C" else p for p in project.partners]
    return project


def packed() -> tuple[Project, Pack]:
    project = hostile_project()
    design = design_project(project)
    project.record_design(design)
    return project, build_pack(project, design, when=WHEN)
