"""Hostile project files: any change to a good one either loads into a project that saves and reloads
equal, or is refused with one clear line naming the file; never a traceback, a hang, a RecursionError
or a MemoryError. What loads also exports (CSV, XLSX cells, GeoJSON), or the export says in one line
why not (a design whose figures were edited by hand: "design it again")."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import InputError, PlannerError
from planner.core.model import Partner, Scenario, Site
from planner.core.project_file import load_project, project_to_dict, read_project, save_project
from tests.core.test_project_file import _project

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(FUZZ, max_examples=25)


def _base() -> dict:
    project = _project()
    project.description = "Shared backbone.\nPhase 1: councils"
    project.scenarios = [
        Scenario(
            "Health joins",
            leaving=("C",),
            joining=(Partner("H", "Health", "#009E73", "health"),),
            joining_sites=(Site("h1", "Infirmary", "H", -1.45, 53.75),),
            redundancy="2edge",
            demand_growth=0.2,
        )
    ]
    doc = project_to_dict(project)
    doc["cost_sharing"]["coalitions"] = [
        {"key": "k1", "members": ["P"], "cost": "10", "lower_bound": "9", "method": "exact", "links": [["a", "d"]]}
    ]
    doc["cost_sharing"]["result"] = {"key": "nothing matches", "names": {"P": "Police"}}
    return json.loads(json.dumps(doc))


BASE = _base()


def _paths(value, here=()) -> list[tuple]:
    """Every place in a JSON document, containers and leaves, as key paths."""
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*here, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*here, i))
    return found


PATHS = _paths(BASE)[1:]

_HOSTILE_CHARS = ["\x00", "\x07", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe", "\ud800", "\udfff"]
texts = st.one_of(
    st.text(max_size=10),
    st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(_HOSTILE_CHARS)), max_size=10),
    st.sampled_from(["", " ", "a", "b", "c", "d", "P", "C", "H", "hub", "optional", "1G", "10G", "x" * 5000]),
    st.sampled_from(_HOSTILE_CHARS).map(lambda c: "x" * 3000 + c),
)
numbers = st.one_of(
    st.integers(-(10**30), 10**30),
    st.sampled_from([0, -1, 1, 2**63, 10**200, 1e308, -1e308, 5e-324, 0.5, 1.5]),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(texts, numbers, st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=6,
)
deep = st.integers(20, 200).map(lambda n: json.loads("[" * n + "]" * n))
changes = st.lists(
    st.tuples(
        st.integers(0, len(PATHS) - 1),
        st.sampled_from(["replace", "replace", "replace", "delete", "add"]),
        st.one_of(values, values, values, values, deep),
    ),
    min_size=1,
    max_size=3,
)


def _apply(doc: dict, changes) -> dict:
    doc = copy.deepcopy(doc)
    for index, op, value in changes:
        *parents, last = PATHS[index]
        holder = doc
        try:
            for key in parents:
                holder = holder[key]
            if op == "replace":
                holder[last] = value
            elif op == "delete":
                del holder[last]
            elif isinstance(holder[last], list):
                holder[last].append(value)
            elif isinstance(holder[last], dict):
                holder[last]["added"] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this place
    return doc


def _exports(project, tmp_path) -> None:
    """What a procurement officer exports, for each design the file holds: every one must work."""
    from openpyxl import Workbook

    from planner.analysis.schedule import circuit_table, site_table
    from planner.io.design_csv import design_csv_text
    from planner.io.gis_export import write_geojson
    from planner.io.schedule_csv import write_circuits_csv
    from planner.io.schedule_xlsx import _write_table

    for design in project.designs[:1]:
        design_csv_text(project, design)
        write_circuits_csv(project, design, tmp_path / "circuits.csv")
        ws = Workbook().active
        _write_table(ws, circuit_table(project, design))
        _write_table(ws, site_table(project, design), first_row=100)
        write_geojson(project, design, tmp_path / "plan.geojson")


def _check(doc, tmp_path, export: bool = False) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ASCII escapes: lone surrogates get through
    try:
        saved = read_project(path)
    except InputError as err:
        text = str(err)
        assert text.startswith("bad.json: ") and "\n" not in text and "\r" not in text, text
        assert all(len(p) < 600 for p in err.problems), max(err.problems, key=len)[:300]
        return
    project = saved.project
    save_project(project, tmp_path / "again.json", saved.coalitions, saved.sharing)
    again = read_project(tmp_path / "again.json")
    assert again.project == project and again.coalitions == saved.coalitions and again.sharing == saved.sharing
    if export:
        try:
            _exports(project, tmp_path)
        except PlannerError as err:  # e.g. "the design's total ... is not the sum of its circuits; design it again"
            assert "\n" not in str(err) and len(str(err)) < 600, str(err)


def test_the_base_document_loads_saves_and_exports(tmp_path):
    _check(BASE, tmp_path, export=True)
    assert load_project(tmp_path / "bad.json").scenarios[0].joining_sites[0].name == "Infirmary"


@FUZZ
@given(changes=changes)
def test_any_change_loads_and_saves_back_or_is_one_clear_error(tmp_path, changes):
    _check(_apply(BASE, changes), tmp_path)


@FEW
@given(changes=changes)
def test_whatever_loads_also_exports(tmp_path, changes):
    _check(_apply(BASE, changes), tmp_path, export=True)


@FUZZ
@given(value=values)
def test_any_document_at_all_is_a_project_or_one_clear_error(tmp_path, value):
    _check(value, tmp_path)


@pytest.mark.parametrize("text", ["", "\ufeff{}", "nul\x00", '{"format": "regional-network-plan", "version": 2e400}'])
def test_odd_files_are_one_clear_error(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"^bad.json: "):
        load_project(path)
