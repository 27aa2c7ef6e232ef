import json
import os
from pathlib import Path

import pytest

from planner.core.design_result import Design, DesignLink
from planner.core.errors import InputError, PlannerError
from planner.core.model import (
    MAX_ADDRESS_CHARS,
    Demand,
    DesignSettings,
    ExclusionZone,
    ExistingLink,
    Partner,
    Project,
    Quote,
    Site,
)
from planner.core.project_file import (
    MAX_PROJECT_BYTES,
    load_project,
    peek_project,
    project_from_dict,
    project_to_dict,
    read_project,
    save_project,
)
from planner.core.tariff import Tariff


def _project() -> Project:
    zone = {"type": "Polygon", "coordinates": [[[-1.6, 53.7], [-1.5, 53.7], [-1.5, 53.75], [-1.6, 53.7]]]}
    link = DesignLink(
        "C0001",
        "a",
        "b",
        12.345,
        17,
        500000,
        757000,
        "backbone",
        "tariff",
        "2x1G",
        None,
        2,
        2000,
        17,
        850.5,
        1200.25,
        "circuit C0002",
    )
    return Project(
        name="Test — partnership",
        partners=[Partner("P", "Police", "#0072B2", "police"), Partner("C", "Council", "#E69F00")],
        sites=[
            Site("a", "Alpha HQ", "P", -1.5, 53.8, "hub", address="Elland Road, Leeds LS11 0ES"),
            Site("b", "Beta", "C", -1.4, 53.7),
            Site("c", "Gamma", "C", -1.3, 53.6, "optional", "exchange"),
            Site("d", "Delta", "P", -1.2, 53.9, demand_mbps=120.5),
        ],
        tariff=Tariff(term_years=7, rental_per_km=5_001, min_tier="100M"),
        quotes=[Quote("a", "b", 100_001, 20_002, "BT"), Quote("a", "b", 200_000, 30_000, "BT", "10G")],
        demands=[Demand("a", "b", 250.5)],
        existing_links=[ExistingLink("b", "c", "C", 99_999, "10G")],
        forbidden_links=[("a", "c")],
        exclusion_zones=[ExclusionZone("Moor", zone)],
        settings=DesignSettings("2node", "exact", 12.5, max_hops=3, max_ring=8, max_utilisation=0.7),
        designs=[
            Design(
                "2node", (link,), 4_285_000, 2_000_000, 5, "exact", True, 1.5, ("a", "b"), sized_topology_cost=5_000_000
            )
        ],
        circuit_ids={("a", "b"): "C0001"},
    )


def test_save_and_load_round_trip_everything(tmp_path):
    path = tmp_path / "plan.json"
    original = _project()
    save_project(original, path)
    loaded = load_project(path)
    assert loaded == original
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "regional-network-plan" and doc["version"] == 2
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
    doc["version"] = 3
    with pytest.raises(InputError, match="version 3, made by a newer Regional Network Planner"):
        load_project(_write(tmp_path, doc))


def _version_1() -> dict:
    """A version 1 file as the planner wrote it before traffic: tiers as factors, one bandwidth."""
    return {
        "format": "regional-network-plan",
        "version": 1,
        "name": "Old plan",
        "partners": [{"id": "P", "name": "Police"}],
        "sites": [
            {"id": "a", "name": "A", "partner": "P", "lon": -1.5, "lat": 53.8, "role": "hub"},
            {"id": "b", "name": "B", "partner": "P", "lon": -1.4, "lat": 53.7},
        ],
        "tariff": {"bandwidth": "10G", "tiers": {"100M": "0.55", "1G": "1", "10G": "2.4", "2.5G": "1.5"}},
        "designs": [
            {
                "redundancy": "tree",
                "total_cost": "100.00",
                "lower_bound": "100.00",
                "links": [
                    {
                        "id": "C0001",
                        "a": "a",
                        "b": "b",
                        "route_km": 9,
                        "install": "50",
                        "annual": "10",
                        "bandwidth": "10G",
                    }
                ],
            }
        ],
    }


def test_version_1_files_migrate_to_tiers_with_rates_and_no_traffic():
    project = project_from_dict(_version_1(), "old.json")
    tariff = project.tariff
    assert tariff.min_tier == "10G"
    assert [(t.name, t.mbps) for t in tariff.tiers] == [("100M", 100), ("1G", 1000), ("10G", 10000), ("2.5G", 2500)]
    assert project.demands == [] and all(s.demand_mbps == 0 for s in project.sites)
    link = project.designs[0].links[0]
    assert (link.bandwidth, link.capacity_mbps, link.circuits, link.metric) == ("10G", 10000, 1, 9)
    again = project_to_dict(project)
    assert again["version"] == 2 and again["tariff"]["min_tier"] == "10G"


def test_version_1_tier_without_a_rate_is_named():
    doc = _version_1()
    doc["tariff"]["tiers"]["premium"] = "3"
    with pytest.raises(InputError, match="old.json: tariff.tiers.premium: a tier without a rate"):
        project_from_dict(doc, "old.json")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["demands"][0].update(b="zz"), "bad.json: demands[0]: b: 'zz' is not a site id"),
        (lambda d: d["demands"][0].update(mbps=-3), "bad.json: demands[0].mbps: -3 is negative"),
        (lambda d: d["demands"][0].update(mbps="fast"), "bad.json: demands[0].mbps: 'fast' is not a number of Mb/s"),
        (lambda d: d["demands"][0].update(b="a"), "bad.json: demands[0]: a demand must join two different sites"),
        (
            lambda d: d["demands"].append({"a": "b", "b": "a", "mbps": 5}),
            "bad.json: demands[1]: the pair b-a is listed",
        ),
        (lambda d: d["sites"][1].update(demand_mbps=40), "bad.json: sites[1] (b): demand_mbps: partner 'C' has no hub"),
        (
            lambda d: d["sites"][0].update(demand_mbps=40),
            "bad.json: sites[0] (a): demand_mbps: partner 'P' has no other",
        ),
        (lambda d: d["sites"][2].update(demand_mbps=4), "bad.json: sites[2] (c): demand_mbps: an optional site"),
        (
            lambda d: d["tariff"]["tiers"].append({"name": "premium", "factor": "3"}),
            "bad.json: tariff.tiers[3].mbps: a tier without a rate",
        ),
        (lambda d: d["tariff"].update(min_tier="40G"), "bad.json: tariff: min_tier: '40G' is not one of the tiers"),
        (
            lambda d: d["candidate_links"][1].update(bandwidth="100M"),  # the first is for the smallest tier, 100M
            "bad.json: candidate_links[1]: the pair a-b is listed twice at 100M",
        ),
        (
            lambda d: d["candidate_links"][0].update(bandwidth="3G"),
            "bad.json: candidate_links[0]: bandwidth: '3G' is not one",
        ),
        (
            lambda d: d["settings"].update(max_utilisation=1.5),
            "bad.json: settings: max_utilisation: 1.5 must be a fraction",
        ),
    ],
)
def test_bad_traffic_in_a_file_is_named(tmp_path, mutate, message):
    doc = _doc()
    mutate(doc)
    with pytest.raises(InputError) as err:
        load_project(_write(tmp_path, doc))
    assert message in str(err.value)


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
    assert len(err.value.problems) == len(doc["sites"])


def _hostile(change) -> dict:
    from planner.core.model import Partner, Project, Site
    from planner.core.project_file import project_to_dict

    sites = [Site("a1", "a1", "A", -1.5, 53.8), Site("a2", "a2", "A", -1.4, 53.4)]
    doc = json.loads(json.dumps(project_to_dict(Project(partners=[Partner("A", "A")], sites=sites))))
    change(doc)
    return doc


NAN_VERTEX = {"type": "Polygon", "coordinates": [[[0, 0], [float("nan"), 1], [1, 1], [0, 0]]]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["tariff"].update(rental_per_km="1e30"),
            "tariff.rental_per_km: '1e30' is more than £1,000,000,000",
        ),
        (lambda d: d["tariff"].update(route_factor="NaN"), "tariff.route_factor: 'NaN' must be a number"),
        (lambda d: d["tariff"].update(route_factor="sNaN"), "tariff.route_factor: 'sNaN' must be a number"),
        (lambda d: d["tariff"]["tiers"][0].update(factor="NaN"), "tariff.tiers[0].factor: 'NaN' must be a number"),
        (lambda d: d["tariff"]["tiers"][0].update(factor="1e30"), "tariff.tiers[0].factor: '1e30' must be a number"),
        (lambda d: d["tariff"]["tiers"][0].update(factor="5000"), "price factor 5000 must be above 0 and at most 1000"),
        (lambda d: d["sites"][0].update(lat="1" + "0" * 400), "sites[0].lat: "),
        (
            lambda d: d["settings"].update(time_limit=10**400),
            "settings.time_limit: 1000000000000000000000000000000000000000…",
        ),
        (
            lambda d: d["settings"].update(max_hops=10**30),
            "max_hops: 1000000000000000000000000000000 must be empty or a",
        ),
        (lambda d: d["circuit_ids"].append({"a": "a1", "b": "a2", "id": "9" * 5000}), "longer than 64 characters"),
        (
            lambda d: d["exclusion_zones"]["features"].append(
                {"type": "Feature", "properties": {}, "geometry": NAN_VERTEX}
            ),
            "exclusion_zones.features[0].geometry: has a vertex that is not a finite number",
        ),
    ],
)
def test_numbers_no_plan_could_hold_are_one_clear_error(change, message):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely warns of the NaN vertex before we refuse it
        with pytest.raises(InputError) as caught:
            project_from_dict(_hostile(change), "plan.json")
    text = str(caught.value)
    assert message in text and text.startswith("plan.json: ") and len(text) < 200


# -- text no export or save could write (issue 13, item 5) ----------------------------------------
BAD_TEXT = {
    "NUL": "Le\x00eds",
    "CR": "Leeds\r=1+1",
    "LF": "Le\neds",
    "ESC": "Le\x1beds",
    "DEL": "Le\x7feds",
    "C1": "Le\x85eds",
    "U+2028": "Le\u2028eds",
    "lone surrogate": "Le\ud800eds",
    "U+FFFE": "Le\ufffeeds",
}
TEXT_FIELDS = {
    "name": lambda d, v: d.update(name=v),
    "partners[0].name": lambda d, v: d["partners"][0].update(name=v),
    "partners[1].kind": lambda d, v: d["partners"][1].update(kind=v),
    "partners[0].colour": lambda d, v: d["partners"][0].update(colour=v),
    "sites[3].name": lambda d, v: d["sites"][3].update(name=v),
    "sites[2].note": lambda d, v: d["sites"][2].update(note=v),
    "sites[2].address": lambda d, v: d["sites"][2].update(address=v),
    "sites[1].role": lambda d, v: d["sites"][1].update(role=v),
    "candidate_links[0].carrier": lambda d, v: d["candidate_links"][0].update(carrier=v),
    "existing_links[0].owner": lambda d, v: d["existing_links"][0].update(owner=v),
    "exclusion_zones.features[0].properties.name": lambda d, v: d["exclusion_zones"]["features"][0].update(
        properties={"name": v}
    ),
    "designs[0].notes[0]": lambda d, v: d["designs"][0].update(notes=[v]),
    "designs[0].sites[1]": lambda d, v: d["designs"][0]["sites"].__setitem__(1, v),
    "designs[0].links[0].worst_failure": lambda d, v: d["designs"][0]["links"][0].update(worst_failure=v),
    "circuit_ids[0].id": lambda d, v: d["circuit_ids"][0].update(id=v),
    "tariff.tiers[0].name": lambda d, v: d["tariff"]["tiers"][0].update(name=v),
    "scenarios[0].name": lambda d, v: d["scenarios"].append({"name": v}),
    "scenarios[0].leaving[0]": lambda d, v: d["scenarios"].append({"name": "S", "leaving": [v]}),
    "cost_sharing.method": lambda d, v: d["cost_sharing"].update(method=v),
}


@pytest.mark.parametrize("kind", BAD_TEXT)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_no_export_could_write_is_refused_naming_the_field(tmp_path, field, kind):
    doc = _doc()
    TEXT_FIELDS[field](doc, BAD_TEXT[kind])
    with pytest.raises(InputError) as err:
        load_project(_write(tmp_path, doc))
    first = err.value.problems[0]
    assert first.startswith(f"bad.json: {field}: "), first
    assert "text must be one line of printable characters" in first and "\n" not in first and "\r" not in first


def test_a_site_address_is_optional_one_line_and_of_limited_length(tmp_path):
    doc = _doc()
    assert doc["sites"][0]["address"] == "Elland Road, Leeds LS11 0ES" and "address" not in doc["sites"][1]
    del doc["sites"][0]["address"]  # as a file written before sites had addresses
    assert load_project(_write(tmp_path, doc)).sites[0].address == ""
    doc["sites"][1]["address"] = "x" * MAX_ADDRESS_CHARS
    assert load_project(_write(tmp_path, doc)).sites[1].address == "x" * MAX_ADDRESS_CHARS
    doc["sites"][1]["address"] = "x" * (MAX_ADDRESS_CHARS + 1)
    with pytest.raises(InputError) as err:
        load_project(_write(tmp_path, doc))
    shown = "'" + "x" * 40 + "'…"
    assert str(err.value) == f"bad.json: sites[1].address: {shown} is longer than {MAX_ADDRESS_CHARS} characters"
    doc["sites"][1]["address"] = 12
    with pytest.raises(InputError, match=r"^bad.json: sites\[1\]\.address: 12 must be text$"):
        load_project(_write(tmp_path, doc))


def test_a_long_bad_value_is_shortened_in_the_message(tmp_path):
    doc = _doc()
    doc["sites"][3]["name"] = "x" * 10_000 + "\x00"
    with pytest.raises(InputError) as err:
        load_project(_write(tmp_path, doc))
    assert len(str(err.value)) < 200 and "…" in str(err.value)
    doc = _doc()
    doc["sites"][3]["name"] = ["x" * 10_000]
    with pytest.raises(InputError, match=r"sites\[3\]\.name: \[.{30,45} must be text$") as err:
        load_project(_write(tmp_path, doc))


def test_a_description_is_a_paragraph_and_keeps_its_line_breaks(tmp_path):
    project = _project()
    project.description = "Shared backbone for the region.\n\nPhase 1:\tcouncils\r\nPhase 2: health"
    save_project(project, tmp_path / "plan.json")
    assert load_project(tmp_path / "plan.json").description == project.description
    doc = _doc()
    doc["description"] = "Two\nlines and a NUL\x00"
    with pytest.raises(InputError, match=r"bad.json: description: .*control character \(U\+0000\); text must be"):
        load_project(_write(tmp_path, doc))


def test_saving_refuses_text_the_loader_would_refuse_and_writes_nothing(tmp_path):
    path = tmp_path / "plan.json"
    save_project(_project(), path)
    before = path.read_bytes()
    for bad in ("Le\ud800eds", "Le\x00eds", "Le\neds"):
        project = _project()
        project.sites[3] = Site("d", bad, "P", -1.2, 53.9)
        with pytest.raises(PlannerError, match=r"^plan.json: cannot be saved: sites\[3\]\.name: "):
            save_project(project, path)
        assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_a_saved_split_holding_bad_text_is_left_out_like_any_damaged_cache(tmp_path):
    doc = _doc()
    doc["cost_sharing"]["result"] = {"key": "k", "names": {"P": "Pol\x00ice"}}
    saved = read_project(_write(tmp_path, doc))
    assert saved.sharing is None and saved.project == _project()
    doc["cost_sharing"]["coalitions"] = [
        {"key": "k", "members": ["P\x00"], "cost": "1", "lower_bound": "1", "method": "exact"},
        {"key": "k2", "members": ["P"], "cost": "1", "lower_bound": "1", "method": "ex\nact"},
    ]
    assert read_project(_write(tmp_path, doc)).coalitions == {}


def test_a_no_go_area_keeps_only_its_type_and_coordinates(tmp_path):
    doc = _doc()
    doc["exclusion_zones"]["features"][0]["geometry"]["junk"] = {"deep": [["Le\x00eds"]]}
    project = load_project(_write(tmp_path, doc))
    assert set(project.exclusion_zones[0].geometry) == {"type", "coordinates"}
    save_project(project, tmp_path / "again.json")
    assert load_project(tmp_path / "again.json") == _project()


# -- files that are not files (issue 13, item 6) --------------------------------------------------
@pytest.mark.parametrize("reader", [load_project, read_project])
def test_json_nested_100k_deep_is_one_clear_error(tmp_path, reader):
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000, "[" * 150 + "]" * 150):
        with pytest.raises(InputError, match=r"^bad.json: the JSON nests more than 100 deep; a project file never"):
            reader(_write(tmp_path, text))


def test_an_integer_too_long_to_convert_is_one_clear_error(tmp_path):
    doc = json.dumps(_doc()).replace('"term_years": 7', '"term_years": ' + "7" * 5000)
    with pytest.raises(InputError, match=r"^bad.json: not valid JSON \('Exceeds the limit") as err:
        load_project(_write(tmp_path, doc))
    assert len(str(err.value)) < 200


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("reader", [load_project, read_project])
def test_a_named_pipe_is_refused_at_once(tmp_path, reader):
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"plan.json: is a named pipe, not a project file$"):
        reader(fifo)
    assert peek_project(fifo) is None


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused():
    with pytest.raises(InputError, match=r"^/dev/zero: is a device, not a project file$"):
        load_project("/dev/zero")
    assert peek_project("/dev/zero") is None


def test_a_folder_and_a_huge_file_are_refused_and_the_limit_is_stated(tmp_path):
    with pytest.raises(InputError, match=r"is a folder, not a project file$"):
        load_project(tmp_path)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.truncate(MAX_PROJECT_BYTES + 2**20)  # sparse: costs no disk
    with pytest.raises(InputError, match=r"^huge.json: is 201 MB, more than the 200 MB a project file may be$"):
        read_project(huge)
    assert peek_project(huge) is None and peek_project(tmp_path) is None


def test_peek_survives_deep_json(tmp_path):
    assert peek_project(_write(tmp_path, "[" * 100_000)) is None
    assert peek_project(_write(tmp_path, json.dumps(_doc()))) == ("Test — partnership", 2, 4)


# -- found by tests/core/test_project_fuzz.py -------------------------------------------------------
@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (  # the GIS export's 32-bit column could not hold it
            lambda d: d["designs"][0]["links"][0].update(route_km=2**31),
            "designs[0].links[0].route_km: 2147483648 must be a whole number 0..1,000,000,000",
        ),
        (
            lambda d: d["designs"][0]["links"][0].update(circuits=1e300),
            "designs[0].links[0].circuits: 1000000000000000052504760255204420248704…",
        ),
        (
            lambda d: d["exclusion_zones"]["features"][0]["geometry"].update(coordinates=[[["x" * 3000, 1]]]),
            "exclusion_zones.features[0].geometry: is not a valid GeoJSON geometry (could not convert",
        ),
        (lambda d: d["demands"][0].update(mbps="x" * 3000), "demands[0].mbps: 'xxxxxxxx"),
        (lambda d: d["tariff"]["tiers"][0].update(name="G" * 3000), "tariff.tiers[0].name: 'GGGG"),
        (lambda d: d["settings"].update(redundancy="x" * 3000), "settings: redundancy: 'xxxx"),
    ],
)
def test_long_or_huge_values_are_one_short_line(tmp_path, mutate, message):
    doc = _doc()
    mutate(doc)
    with pytest.raises(InputError) as err:
        load_project(_write(tmp_path, doc))
    assert message in str(err.value) and all(len(p) < 200 for p in err.value.problems), str(err.value)[:300]


def test_a_cached_coalition_keeps_links_only_for_a_partner_alone(tmp_path):
    doc = _doc()
    doc["cost_sharing"]["coalitions"] = [
        {"key": "k", "members": ["P", "C"], "cost": "1", "lower_bound": "1", "method": "exact", "links": [["a", "b"]]}
    ]
    assert read_project(_write(tmp_path, doc)).coalitions["k"].links == ()


@pytest.mark.parametrize(
    "changes",
    [{"redundancy": "x" * 5000}, {"max_hops": 10**5000}, {"time_limit": float("nan")}, {"k_nearest": "9" * 900}],
)
def test_a_bad_setting_is_named_in_a_short_message(changes):
    """A settings value from a file or the Design panel is named, never pasted whole (nor crashing repr)."""
    problems = DesignSettings(**changes).problems()
    assert len(problems) == 1
    field = next(iter(changes))
    assert problems[0].startswith(f"{field}: ") and len(problems[0]) < 160
