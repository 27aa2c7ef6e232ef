import json

import pytest

from planner.core.design_result import Design, DesignLink
from planner.core.errors import InputError
from planner.core.model import DesignSettings, ExclusionZone, ExistingLink, Partner, Project, Quote, Site
from planner.core.project_file import load_project, project_to_dict, save_project
from planner.core.tariff import Tariff


def _project() -> Project:
    zone = {"type": "Polygon", "coordinates": [[[-1.6, 53.7], [-1.5, 53.7], [-1.5, 53.75], [-1.6, 53.7]]]}
    link = DesignLink("C0001", "a", "b", 12.345, 17, 250000, 378500, "backbone", "tariff", "1G")
    return Project(
        name="Test — partnership",
        partners=[Partner("P", "Police", "#0072B2", "police"), Partner("C", "Council", "#E69F00")],
        sites=[
            Site("a", "Alpha HQ", "P", -1.5, 53.8, "hub"),
            Site("b", "Beta", "C", -1.4, 53.7),
            Site("c", "Gamma", "C", -1.3, 53.6, "optional", "exchange"),
        ],
        tariff=Tariff(term_years=7, rental_per_km=5_001),
        quotes=[Quote("a", "b", 100_001, 20_002, "BT")],
        existing_links=[ExistingLink("b", "c", "C", 99_999)],
        forbidden_links=[("a", "c")],
        exclusion_zones=[ExclusionZone("Moor", zone)],
        settings=DesignSettings("2node", "exact", 12.5, max_hops=3, max_ring=8),
        designs=[Design("2node", (link,), 2_142_500, 2_000_000, 5, "exact", True, 1.5, ("a", "b"))],
        circuit_ids={("a", "b"): "C0001"},
    )


def test_save_and_load_round_trip_everything(tmp_path):
    path = tmp_path / "plan.json"
    original = _project()
    save_project(original, path)
    loaded = load_project(path)
    assert loaded == original
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "regional-network-plan" and doc["version"] == 1
    assert doc["tariff"]["rental_per_km"] == "50.01"  # money as exact decimal strings


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    save_project(_project(), path)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken)
    changed = _project()
    changed.name = "Changed"
    with pytest.raises(OSError):
        save_project(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def _write(tmp_path, doc) -> str:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return str(path)


def _doc() -> dict:
    return project_to_dict(_project())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["sites"][1].update(lat=95.2), "bad.json: sites[1] (b): lat: 95.2 is out of range -90..90"),
        (lambda d: d["sites"][0].update(partner="X"), "bad.json: sites[0] (a): partner: 'X' is not a partner"),
        (lambda d: d["sites"][2].update(id="a"), "bad.json: sites[2] (a): id: 'a' is used twice"),
        (lambda d: d["sites"][0].pop("lon"), "bad.json: sites[0].lon: is missing"),
        (lambda d: d["sites"][0].update(lon="west"), "bad.json: sites[0].lon: 'west' must be a number"),
        (lambda d: d["tariff"].update(rental_per_km="lots"), "bad.json: tariff.rental_per_km: 'lots' is not an amount"),
        (lambda d: d["tariff"].update(term_years=0), "bad.json: tariff: term_years: 0 must be a whole number"),
        (lambda d: d["candidate_links"][0].update(b="zz"), "bad.json: candidate_links[0]: b: 'zz' is not a site id"),
        (lambda d: d["settings"].update(redundancy="3edge"), "bad.json: settings: redundancy: '3edge' is not one of"),
        (
            lambda d: d["exclusion_zones"]["features"][0].update(geometry={"type": "Point", "coordinates": [0, 0]}),
            "bad.json: exclusion_zones.features[0].geometry: must be a Polygon or MultiPolygon",
        ),
    ],
)
def test_load_names_file_field_and_problem(tmp_path, mutate, message):
    doc = _doc()
    mutate(doc)
    with pytest.raises(InputError) as err:
        load_project(_write(tmp_path, doc))
    assert str(err.value).startswith(message)


def test_load_refuses_newer_versions_clearly(tmp_path):
    doc = _doc()
    doc["version"] = 2
    with pytest.raises(InputError, match="version 2, made by a newer Regional Network Planner"):
        load_project(_write(tmp_path, doc))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.json: line 1, column 2: not valid JSON"),
        ("[1, 2]", "bad.json: must be a JSON object, not list"),
        ('{"format": "other"}', "bad.json: format: this is not a network plan"),
    ],
)
def test_load_refuses_what_is_not_a_plan(tmp_path, content, message):
    with pytest.raises(InputError, match=message):
        load_project(_write(tmp_path, content))


def test_load_missing_file_names_it(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_project(tmp_path / "nowhere.json")


def test_many_problems_are_reported_together(tmp_path):
    doc = _doc()
    for site in doc["sites"]:
        site["lat"] = 100
    with pytest.raises(InputError) as err:
        load_project(_write(tmp_path, doc))
    assert len(err.value.problems) == 3
