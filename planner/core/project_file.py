"""The project file: one human-diffable JSON document, saved atomically.

``{"format": "regional-network-plan", "version": 2, "name", "description",
"partners", "sites", "tariff", "candidate_links", "demands", "existing_links",
"forbidden_links", "exclusion_zones", "risk_groups", "settings", "designs",
"circuit_ids", "scenarios", "cost_sharing"}``

Money is written as decimal strings of pounds (``"1250.00"``) so no float ever
drifts; numbers are accepted on reading. Loading checks everything and reports
``file: field: problem`` for the first problems found.

Version 2 added traffic: ``demands`` (``[{"a", "b", "mbps"}]``), a site's
``demand_mbps``, tiers with a rate (``tariff.tiers: [{"name", "mbps", "factor"}]``
and ``tariff.min_tier``), a ``bandwidth`` per quote and existing link,
``settings.max_utilisation``, and each design link's sizing. A version 1 file is
read as version 2 with no traffic: its ``tariff.tiers`` (``{"1G": "1"}``) get the
rate their names state and ``tariff.bandwidth`` becomes ``min_tier``.

A site's ``address`` (optional: files without it load as before) is where the carrier
installs the circuit ends, one line of at most ``MAX_ADDRESS_CHARS`` characters.

``risk_groups`` (optional) are shared-risk groups: ``[{"name", "links": [{"a", "b"}],
"sites": [site ids], "note"}]``, links and/or sites that fail together (a duct, an
exchange); ``settings.survive_risk_groups`` (default true) asks designs to survive the
loss of any one, and a design lists the groups it was made to survive
(``risk_groups``).

``scenarios`` (optional) are what-ifs: ``[{"name", "leaving": [partner ids],
"joining": [partners], "joining_sites": [sites], "redundancy", "tariff",
"demand_growth"}]``, every field but the name optional.

``cost_sharing`` (optional) holds the board's split (``method``, one of
``SHARING_METHODS``) and a cache: the coalition networks last priced
(``coalitions: [{"key", "members", "cost", "lower_bound", "method", "note",
"links"}]``, links only for a partner alone), each keyed by a fingerprint of what
it depends on, so reopening a project prices nothing that has not changed. A
malformed cache entry is ignored, never an error. ``result`` (optional) is the split
itself, keyed by what it depends on (see :mod:`planner.analysis.sharing_file`).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from planner.core.coalition import Standalone
from planner.core.design_result import Design, DesignLink
from planner.core.errors import InputError, PlannerError
from planner.core.files import atomic_path, read_limited
from planner.core.model import (
    MAX_ADDRESS_CHARS,
    Demand,
    DesignSettings,
    ExclusionZone,
    ExistingLink,
    Partner,
    Project,
    Quote,
    RiskGroup,
    Scenario,
    Site,
)
from planner.core.money import parse_pounds, pounds
from planner.core.tariff import Tariff, Tier, parse_rate
from planner.core.text import shown, text_problem
from planner.core.traffic import check_mbps
from planner.core.validate import project_problems

__all__ = [
    "FORMAT",
    "VERSION",
    "load_project",
    "read_project",
    "SavedProject",
    "save_project",
    "project_to_dict",
    "project_from_dict",
    "coalitions_from_dict",
    "peek_project",
    "MAX_PROJECT_BYTES",
    "MAX_DEPTH",
    "PARAGRAPH_FIELDS",
]

FORMAT = "regional-network-plan"
VERSION = 2
#: The largest project file read: the largest real region's is well under 1 MB.
MAX_PROJECT_BYTES = 200 * 2**20
#: How deeply a project file's JSON may nest: the format itself needs about 10 levels.
MAX_DEPTH = 100
#: The text fields that are paragraphs by nature, so may hold line breaks and tabs; every other
#: text field is one printable line (see :func:`planner.core.text.text_problem`).
PARAGRAPH_FIELDS = frozenset({"description"})


# -- writing ---------------------------------------------------------------------
def _money(pence: int | None) -> str | None:
    return None if pence is None else str(pounds(pence))


def _design_to_dict(d: Design) -> dict:
    return {
        "redundancy": d.redundancy,
        "method": d.method,
        "total_cost": _money(d.total_cost),
        "lower_bound": _money(d.lower_bound),
        "term_years": d.term_years,
        "verified": d.verified,
        "seconds": round(d.seconds, 3),
        "sites": list(d.sites),
        "notes": list(d.notes),
        "links": [
            {
                "id": k.circuit_id,
                "a": k.a,
                "b": k.b,
                "distance_km": round(k.distance_km, 3),
                "route_km": k.route_km,
                "install": _money(k.install),
                "annual": _money(k.annual),
                "role": k.role,
                "source": k.source,
                "bandwidth": k.bandwidth,
                "circuits": k.circuits,
                "capacity_mbps": k.capacity_mbps,
                "metric": k.metric,
                "load_mbps": _mbps(k.load_mbps),
                "worst_load_mbps": _mbps(k.worst_load_mbps),
                "worst_failure": k.worst_failure,
                "diverse_from": k.diverse_from,
            }
            for k in d.links
        ],
        **({"sized_topology_cost": _money(d.sized_topology_cost)} if d.sized_topology_cost is not None else {}),
        **({"traffic_key": d.traffic_key} if d.traffic_key else {}),
        **({"risk_groups": list(d.risk_groups)} if d.risk_groups else {}),
    }


def _mbps(value: float) -> float | int:
    """A rate as the file writes it: a whole number when it is one, else to 3 decimals."""
    value = round(float(value), 3)
    return int(value) if value.is_integer() else value


def _coalition_to_dict(key: str, network: Standalone) -> dict:
    """One cached coalition network; its links only for a partner alone (the presenter draws those)."""
    return {
        "key": key,
        "members": sorted(network.members),
        "cost": _money(network.cost),
        "lower_bound": _money(network.lower_bound),
        "method": network.method,
        **({"note": network.note} if network.note else {}),
        **({"links": [list(pair) for pair in network.links]} if len(network.members) == 1 else {}),
    }


def _partner_to_dict(p: Partner) -> dict:
    return {"id": p.id, "name": p.name, "colour": p.colour, "kind": p.kind}


def _site_to_dict(x: Site) -> dict:
    return {
        "id": x.id,
        "name": x.name,
        "partner": x.partner,
        "lon": round(x.lon, 6),
        "lat": round(x.lat, 6),
        "role": x.role,
        **({"note": x.note} if x.note else {}),
        **({"demand_mbps": _mbps(x.demand_mbps)} if x.demand_mbps else {}),
        **({"address": x.address} if x.address else {}),
    }


def _tariff_to_dict(t: Tariff) -> dict:
    return {
        "connection_per_end": _money(t.connection_per_end),
        "rental_per_end": _money(t.rental_per_end),
        "rental_per_km": _money(t.rental_per_km),
        "route_factor": str(t.route_factor),
        "term_years": t.term_years,
        "min_tier": t.min_tier,
        "tiers": [{"name": x.name, "mbps": x.mbps, "factor": str(x.factor)} for x in t.tiers],
    }


def _scenario_to_dict(x: Scenario) -> dict:
    return {
        "name": x.name,
        **({"leaving": list(x.leaving)} if x.leaving else {}),
        **({"joining": [_partner_to_dict(p) for p in x.joining]} if x.joining else {}),
        **({"joining_sites": [_site_to_dict(s) for s in x.joining_sites]} if x.joining_sites else {}),
        **({"redundancy": x.redundancy} if x.redundancy else {}),
        **({"tariff": _tariff_to_dict(x.tariff)} if x.tariff else {}),
        **({"demand_growth": x.demand_growth} if x.demand_growth else {}),
    }


def project_to_dict(
    project: Project, coalitions: Mapping[str, Standalone] | None = None, sharing: dict | None = None
) -> dict:
    """The JSON document for ``project``, with the cached coalition networks ``coalitions`` (by key) and
    the split of its cost ``sharing`` (as :mod:`planner.analysis.sharing_file` writes it)."""
    s = project.settings
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": project.name,
        "description": project.description,
        "partners": [_partner_to_dict(p) for p in project.partners],
        "sites": [_site_to_dict(x) for x in project.sites],
        "tariff": _tariff_to_dict(project.tariff),
        "candidate_links": [
            {
                "a": q.a,
                "b": q.b,
                "install": _money(q.install),
                "annual": _money(q.annual),
                **({"carrier": q.carrier} if q.carrier else {}),
                **({"bandwidth": q.bandwidth} if q.bandwidth is not None else {}),
            }
            for q in project.quotes
        ],
        "demands": [{"a": d.a, "b": d.b, "mbps": _mbps(d.mbps)} for d in project.demands],
        "existing_links": [
            {
                "a": e.a,
                "b": e.b,
                "owner": e.owner,
                **({"annual": _money(e.annual)} if e.annual is not None else {}),
                **({"bandwidth": e.bandwidth} if e.bandwidth is not None else {}),
            }
            for e in project.existing_links
        ],
        "forbidden_links": [{"a": a, "b": b} for a, b in project.forbidden_links],
        "risk_groups": [
            {
                "name": g.name,
                "links": [{"a": a, "b": b} for a, b in g.links],
                "sites": list(g.sites),
                **({"note": g.note} if g.note else {}),
            }
            for g in project.risk_groups
        ],
        "exclusion_zones": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": z.name}, "geometry": z.geometry}
                for z in project.exclusion_zones
            ],
        },
        "settings": {
            "redundancy": s.redundancy,
            "method": s.method,
            "time_limit": s.time_limit,
            "max_hops": s.max_hops,
            "max_ring": s.max_ring,
            "candidates": s.candidates,
            "k_nearest": s.k_nearest,
            "max_utilisation": s.max_utilisation,
            "survive_risk_groups": s.survive_risk_groups,
        },
        "designs": [_design_to_dict(d) for d in project.designs],
        "circuit_ids": [{"a": a, "b": b, "id": cid} for (a, b), cid in sorted(project.circuit_ids.items())],
        "scenarios": [_scenario_to_dict(x) for x in project.scenarios],
        "cost_sharing": {
            "method": project.sharing_method,
            "coalitions": [_coalition_to_dict(key, n) for key, n in sorted((coalitions or {}).items())],
            **({"result": sharing} if sharing else {}),
        },
    }


def save_project(
    project: Project,
    path: str | os.PathLike,
    coalitions: Mapping[str, Standalone] | None = None,
    sharing: dict | None = None,
) -> None:
    """Write ``project`` (and the cached ``coalitions`` and ``sharing``) to ``path`` atomically: temporary
    file, fsync, replace.

    A crash or full disk mid-save leaves the previous file intact.
    Every text in the file must be one the loader reads back (see :data:`PARAGRAPH_FIELDS`): a
    ``PlannerError`` names the first that is not, and nothing is written. The file keeps its mode,
    a symbolic link is followed, and temporaries left by a killed save are removed
    (:func:`planner.core.files.atomic_path`); ``OSError`` is raised as it comes.
    """
    path = Path(path)
    doc = project_to_dict(project, coalitions, sharing)
    bad = next(_text_problems(doc), None)
    if bad:
        raise PlannerError(f"{path.name}: cannot be saved: {bad}")
    data = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        f.write(data)


def _text_problems(doc: Any):
    """``"path: problem"`` for each text (key or value) in a JSON document the loader would refuse.

    Iterative, so no nesting depth can exhaust the stack.
    """
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            bad = text_problem(value, lines=where.rpartition(".")[2] in PARAGRAPH_FIELDS)
            if bad:
                yield f"{where or 'document'}: {bad}"
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                key = str(key)
                bad = text_problem(key)
                if bad:
                    yield f"{where or 'document'}: a key {bad}"
                stack.append((f"{where}.{key}" if where else key, item))
        elif isinstance(value, (list, tuple)):
            stack.extend((f"{where}[{i}]", item) for i, item in reversed(list(enumerate(value))))


# -- reading ---------------------------------------------------------------------
#: The largest factor or ratio a project file may give (a tier's price factor, the route factor).
_LARGEST_DECIMAL = 1_000_000
#: The largest whole number a design's link may give (route km, circuits, capacity, metric): one a
#: 32-bit GIS column holds.
_LARGEST_WHOLE = 1_000_000_000
#: The longest circuit id: carriers' references are far shorter.
_LONGEST_ID = 64


def _shown(value: Any) -> str:
    """``value`` for a message: text by :func:`planner.core.text.shown`, anything else its first 40
    characters of JSON-like ``repr``, then ``…``."""
    if isinstance(value, str):
        return shown(value)
    text = repr(value)
    return text[:40] + ("…" if len(text) > 40 else "")


#: A quoted value or a run of digits too long for a message (``shown`` quotes at most 40 characters).
_LONG_VALUE = re.compile(r"""'(?:[^'\\]|\\.){400,}'|"(?:[^"\\]|\\.){400,}"|\d{41,}""")


def _short(message: str) -> str:
    """``message`` with any long quoted value or number in it cut to its first 40 characters and ``…``
    (the checks of :meth:`Project.problems` quote values whole)."""
    return _LONG_VALUE.sub(lambda m: m.group()[: 40 + (m.group()[0] in "'\"")] + "…", message)


def _brief(err: BaseException) -> str:
    """An exception's message for the end of a one-line message: its first line, at most 80 characters."""
    text = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return text if len(text) <= 80 else text[:80] + "…"


def _vertices_problem(geometry) -> str | None:
    """Why a no-go area's vertices are unusable (not finite, or off the globe), or ``None``."""
    import numpy as np
    import shapely

    xy = shapely.get_coordinates(geometry)
    if not np.isfinite(xy).all():
        return "has a vertex that is not a finite number"
    if (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
        return "has a vertex off the globe (longitude within ±180, latitude within ±90)"
    return None


class _Fields:
    """Reads typed fields from one JSON object, recording problems by path."""

    def __init__(self, obj: Any, where: str, problems: list[str]):
        self.where, self.problems = where, problems
        if not isinstance(obj, dict):
            self.fail("", f"must be a JSON object, not {type(obj).__name__}")
            obj = {}
        self.obj = obj

    def fail(self, key: str, message: str) -> None:
        path = f"{self.where}.{key}" if key and self.where else (key or self.where)
        message = _short(message)
        self.problems.append(f"{path}: {message}" if path else message)

    def _get(self, key, default, required):
        if key not in self.obj or self.obj[key] is None:
            if required:
                self.fail(key, "is missing")
            return default, False
        return self.obj[key], True

    def text(self, key: str, default: str = "", required: bool = False, longest: int | None = None) -> str:
        """A text field: one printable line, or a paragraph for a key in :data:`PARAGRAPH_FIELDS`; with
        ``longest``, of at most that many characters."""
        value, found = self._get(key, default, required)
        if not found:
            return value
        if not isinstance(value, str):
            self.fail(key, f"{_shown(value)} must be text")
            return default
        bad = text_problem(value, lines=key in PARAGRAPH_FIELDS)
        if not bad and longest is not None and len(value) > longest:
            bad = f"{_shown(value)} is longer than {longest} characters"
        if bad:
            self.fail(key, bad)
            return default
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of one-line text fields (``[]`` when missing)."""
        values = self.items(key)
        for i, value in enumerate(values):
            bad = f"{_shown(value)} must be text" if not isinstance(value, str) else text_problem(value)
            if bad:
                self.fail(f"{key}[{i}]", bad)
                return ()
        return tuple(values)

    def number(self, key: str, default: float = 0.0, required: bool = False) -> float:
        value, found = self._get(key, default, required)
        if found and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self.fail(key, f"{_shown(value)} must be a number")
            return default
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.fail(key, f"{_shown(value)} must be a finite number")
            return default
        return number

    def integer(
        self, key: str, default: int | None = 0, required: bool = False, largest: int | None = None
    ) -> int | None:
        """A whole number (``2.0`` counts); with ``largest``, one of ``0..largest``."""
        value, found = self._get(key, default, required)
        if found and (isinstance(value, bool) or not isinstance(value, int)):
            if not (isinstance(value, float) and value.is_integer()):
                self.fail(key, f"{_shown(value)} must be a whole number")
                return default
            value = int(value)
        if found and largest is not None and not 0 <= value <= largest:
            self.fail(key, f"{_shown(value)} must be a whole number 0..{largest:,}")
            return default
        return value

    def money(self, key: str, default: int | None = 0, required: bool = False) -> int | None:
        value, found = self._get(key, default, required)
        if not found:
            return value
        try:
            return parse_pounds(value)
        except ValueError as err:
            self.fail(key, str(err))
            return default

    def mbps(self, key: str, required: bool = False) -> float:
        """A rate in Mb/s: a finite number, 0 or more (see :func:`planner.core.traffic.check_mbps`)."""
        value, found = self._get(key, 0.0, required)
        if not found:
            return 0.0
        bad = check_mbps(value)
        if bad:
            self.fail(key, bad)
            return 0.0
        return float(value)

    def decimal(self, key: str, default: Decimal, value=None) -> Decimal:
        value, found = self._get(key, default, False) if value is None else (value, True)
        if not found:
            return default
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            result = Decimal("NaN")
        if isinstance(value, bool) or not result.is_finite() or abs(result) > _LARGEST_DECIMAL:
            self.fail(key, f"{_shown(value)} must be a number at most {_LARGEST_DECIMAL:,}")
            return default
        return result

    def flag(self, key: str, default: bool) -> bool:
        """A true/false field."""
        value, found = self._get(key, default, False)
        if found and not isinstance(value, bool):
            self.fail(key, f"{_shown(value)} must be true or false")
            return default
        return value

    def items(self, key: str, kind: type = list) -> Any:
        value, found = self._get(key, kind(), False)
        if found and not isinstance(value, kind):
            self.fail(key, f"must be a {'list' if kind is list else 'object'}")
            return kind()
        return value


def _tier_name_problem(name: str) -> str | None:
    """Why ``name`` is too long for a tier's name (they are short: 100M, 1G), or ``None``."""
    return f"{_shown(name)} is longer than {_LONGEST_ID} characters" if len(name) > _LONGEST_ID else None


def _tiers(f: _Fields) -> tuple[Tier, ...]:
    """Version 2's list of tiers, or version 1's ``{name: factor}`` with the rate the name states."""
    raw = f.obj.get("tiers")
    if isinstance(raw, dict):
        tiers = []
        for name, factor in raw.items():
            bad = text_problem(name) or _tier_name_problem(name)
            if bad:
                f.fail("tiers", f"a tier's name {bad}")
                continue
            rate = parse_rate(str(name))
            if rate is None:
                f.fail(f"tiers.{name}", "a tier without a rate: name it by its rate (100M, 1G, 10G) or give its mbps")
            tiers.append(Tier(str(name), rate or 1, f.decimal(f"tiers.{name}", Decimal(1), factor)))
        return tuple(tiers)
    tiers = []
    for i, item in enumerate(f.items("tiers")):
        g = _Fields(item, f"tariff.tiers[{i}]", f.problems)
        name = g.text("name", required=True)
        if _tier_name_problem(name):
            g.fail("name", _tier_name_problem(name))
            continue
        if "mbps" not in g.obj and parse_rate(name) is None:
            g.fail("mbps", f"a tier without a rate: give tier {_shown(name)} its mbps")
        tiers.append(Tier(name, g.integer("mbps", parse_rate(name) or 1), g.decimal("factor", Decimal(1))))
    return tuple(tiers)


def _partner(item, where: str, problems: list[str]) -> Partner:
    f = _Fields(item, where, problems)
    return Partner(
        f.text("id", required=True), f.text("name", required=True), f.text("colour", "#0072B2"), f.text("kind")
    )


def _site(item, where: str, problems: list[str]) -> Site:
    f = _Fields(item, where, problems)
    return Site(
        f.text("id", required=True),
        f.text("name", required=True),
        f.text("partner", required=True),
        f.number("lon", required=True),
        f.number("lat", required=True),
        f.text("role", "site"),
        f.text("note"),
        f.mbps("demand_mbps"),
        f.text("address", longest=MAX_ADDRESS_CHARS),
    )


def _scenario(item, where: str, problems: list[str]) -> Scenario:
    f = _Fields(item, where, problems)
    leaving = f.texts("leaving")
    tariff = f.items("tariff", dict)
    return Scenario(
        name=f.text("name", required=True),
        leaving=tuple(leaving),
        joining=tuple(_partner(x, f"{where}.joining[{i}]", problems) for i, x in enumerate(f.items("joining"))),
        joining_sites=tuple(
            _site(x, f"{where}.joining_sites[{i}]", problems) for i, x in enumerate(f.items("joining_sites"))
        ),
        redundancy=f.text("redundancy", None),
        tariff=_tariff(tariff, problems, f"{where}.tariff") if tariff else None,
        demand_growth=f.number("demand_growth", 0.0),
    )


def _tariff(obj, problems, where: str = "tariff") -> Tariff:
    f = _Fields(obj, where, problems)
    base = Tariff()
    values = dict(
        connection_per_end=f.money("connection_per_end", base.connection_per_end),
        rental_per_end=f.money("rental_per_end", base.rental_per_end),
        rental_per_km=f.money("rental_per_km", base.rental_per_km),
        route_factor=f.decimal("route_factor", base.route_factor),
        term_years=f.integer("term_years", base.term_years),
        min_tier=f.text("min_tier", f.text("bandwidth", base.min_tier)),  # version 1 called it bandwidth
        tiers=_tiers(f) or base.tiers,
    )
    return Tariff(**values)


def _settings(obj, problems) -> DesignSettings:
    f = _Fields(obj, "settings", problems)
    d = DesignSettings()
    return DesignSettings(
        redundancy=f.text("redundancy", d.redundancy),
        method=f.text("method", d.method),
        time_limit=f.number("time_limit", d.time_limit),
        max_hops=f.integer("max_hops", None),
        max_ring=f.integer("max_ring", None),
        candidates=f.text("candidates", d.candidates),
        k_nearest=f.integer("k_nearest", d.k_nearest),
        max_utilisation=f.number("max_utilisation", d.max_utilisation),
        survive_risk_groups=f.flag("survive_risk_groups", d.survive_risk_groups),
    )


def _risk_group(obj, where, problems) -> RiskGroup:
    f = _Fields(obj, where, problems)
    links = []
    for i, item in enumerate(f.items("links")):
        g = _Fields(item, f"{where}.links[{i}]", problems)
        links.append((g.text("a", required=True), g.text("b", required=True)))
    return RiskGroup.of(f.text("name", required=True), links, f.texts("sites"), f.text("note"))


def _design(obj, where, problems) -> Design:
    f = _Fields(obj, where, problems)
    links = []
    for i, item in enumerate(f.items("links")):
        g = _Fields(item, f"{where}.links[{i}]", problems)
        links.append(
            DesignLink(
                circuit_id=g.text("id", required=True),
                a=g.text("a", required=True),
                b=g.text("b", required=True),
                distance_km=g.number("distance_km"),
                route_km=g.integer("route_km", largest=_LARGEST_WHOLE),
                install=g.money("install"),
                annual=g.money("annual"),
                role=g.text("role", "backbone"),
                source=g.text("source", "tariff"),
                bandwidth=g.text("bandwidth", "1G"),
                diverse_from=g.text("diverse_from", None),
                circuits=g.integer("circuits", 1, largest=_LARGEST_WHOLE),
                capacity_mbps=g.integer(
                    "capacity_mbps", parse_rate(g.text("bandwidth", "1G")) or 0, largest=_LARGEST_WHOLE
                ),
                metric=g.integer("metric", g.integer("route_km"), largest=_LARGEST_WHOLE),
                load_mbps=g.number("load_mbps"),
                worst_load_mbps=g.number("worst_load_mbps"),
                worst_failure=g.text("worst_failure"),
            )
        )
    return Design(
        redundancy=f.text("redundancy", "2edge"),
        links=tuple(links),
        total_cost=f.money("total_cost"),
        lower_bound=f.money("lower_bound"),
        term_years=f.integer("term_years", 5, largest=_LARGEST_WHOLE),
        method=f.text("method", "heuristic"),
        verified=bool(f.obj.get("verified", False)),
        seconds=f.number("seconds"),
        sites=f.texts("sites"),
        notes=f.texts("notes"),
        sized_topology_cost=f.money("sized_topology_cost", None),
        traffic_key=f.text("traffic_key"),
        risk_groups=f.texts("risk_groups"),
    )


def project_from_dict(doc: Any, source: str = "project") -> Project:
    """A ``Project`` from a parsed JSON document; raises ``InputError`` naming ``source``."""
    problems: list[str] = []
    top = _Fields(doc, "", problems)
    if problems:
        raise InputError(f"{source}: {problems[0]}")
    if doc.get("format") != FORMAT:
        raise InputError(f"{source}: format: this is not a network plan (expected {FORMAT!r})")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError(f"{source}: version: {_shown(version)} must be a whole number")
    if version > VERSION:
        raise InputError(
            f"{source}: version: the file is version {version}, made by a newer Regional Network "
            f"Planner; this one reads up to version {VERSION}. Please update the planner."
        )
    if version < 1:
        raise InputError(f"{source}: version: {version} is not a valid version")

    partners = [_partner(item, f"partners[{i}]", problems) for i, item in enumerate(top.items("partners"))]
    sites = [_site(item, f"sites[{i}]", problems) for i, item in enumerate(top.items("sites"))]
    quotes = []
    for i, item in enumerate(top.items("candidate_links")):
        f = _Fields(item, f"candidate_links[{i}]", problems)
        if "cost" in f.obj:  # a single figure: the total over the term
            install, annual = f.money("cost", required=True), 0
        else:
            install, annual = f.money("install", required=True), f.money("annual", 0)
        quotes.append(
            Quote(
                f.text("a", required=True),
                f.text("b", required=True),
                install,
                annual,
                f.text("carrier"),
                f.text("bandwidth", None),
            )
        )
    demands = []
    for i, item in enumerate(top.items("demands")):
        f = _Fields(item, f"demands[{i}]", problems)
        demands.append(Demand(f.text("a", required=True), f.text("b", required=True), f.mbps("mbps", required=True)))
    existing = []
    for i, item in enumerate(top.items("existing_links")):
        f = _Fields(item, f"existing_links[{i}]", problems)
        existing.append(
            ExistingLink(
                f.text("a", required=True),
                f.text("b", required=True),
                f.text("owner", required=True),
                f.money("annual", None),
                f.text("bandwidth", None),
            )
        )
    forbidden = []
    for i, item in enumerate(top.items("forbidden_links")):
        f = _Fields(item, f"forbidden_links[{i}]", problems)
        forbidden.append((f.text("a", required=True), f.text("b", required=True)))
    zones = _zones(top.obj.get("exclusion_zones"), problems)
    groups = [_risk_group(item, f"risk_groups[{i}]", problems) for i, item in enumerate(top.items("risk_groups"))]
    circuit_ids = {}
    for i, item in enumerate(top.items("circuit_ids")):
        f = _Fields(item, f"circuit_ids[{i}]", problems)
        a, b = f.text("a", required=True), f.text("b", required=True)
        circuit = f.text("id", required=True, longest=_LONGEST_ID)
        circuit_ids[(min(a, b), max(a, b))] = circuit

    project = Project(
        name=top.text("name", "Untitled partnership"),
        description=top.text("description"),
        partners=partners,
        sites=sites,
        tariff=_tariff(top.obj.get("tariff", {}), problems),
        quotes=quotes,
        demands=demands,
        existing_links=existing,
        forbidden_links=forbidden,
        exclusion_zones=zones,
        risk_groups=groups,
        settings=_settings(top.obj.get("settings", {}), problems),
        designs=[_design(d, f"designs[{i}]", problems) for i, d in enumerate(top.items("designs"))],
        circuit_ids=circuit_ids,
        sharing_method=_Fields(top.items("cost_sharing", dict), "cost_sharing", problems).text("method", "auto"),
        scenarios=[_scenario(x, f"scenarios[{i}]", problems) for i, x in enumerate(top.items("scenarios"))],
    )
    if not problems:
        problems = project_problems(project)
    if problems:
        raise InputError([f"{source}: {_short(p)}" for p in problems])
    return project


def _zones(obj, problems) -> list[ExclusionZone]:
    if obj is None:
        return []
    from shapely.geometry import shape

    f = _Fields(obj, "exclusion_zones", problems)
    zones = []
    for i, feature in enumerate(f.items("features")):
        g = _Fields(feature, f"exclusion_zones.features[{i}]", problems)
        geometry = g.items("geometry", dict)
        try:
            geom = shape(geometry)
        except Exception as err:  # shapely raises several kinds for malformed GeoJSON
            g.fail("geometry", f"is not a valid GeoJSON geometry ({_brief(err)})")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            g.fail("geometry", f"must be a Polygon or MultiPolygon, not {geom.geom_type}")
            continue
        bad = _vertices_problem(geom)
        if bad:
            g.fail("geometry", bad)
            continue
        name = g.items("properties", dict).get("name")
        if isinstance(name, (int, float)) and not isinstance(name, bool):
            name = str(name)
        if name is not None and not isinstance(name, str):
            g.fail("properties.name", f"{_shown(name)} must be text")
            continue
        bad = text_problem(name) if name else None
        if bad:
            g.fail("properties.name", bad)
            continue
        zones.append(ExclusionZone(name or f"Zone {i + 1}", _plain_geometry(geom)))
    return zones


def _plain_geometry(geom) -> dict:
    """A polygon as GeoJSON with only its type and coordinates (lists of floats): whatever else
    the file's geometry held is not kept, so it is not saved back."""
    from shapely.geometry import mapping

    def plain(value):
        return [plain(x) for x in value] if isinstance(value, (list, tuple)) else float(value)

    return {"type": geom.geom_type, "coordinates": plain(mapping(geom)["coordinates"])}


def coalitions_from_dict(doc: Any, project: Project) -> dict[str, Standalone]:
    """The cached coalition networks of a project document, by key; any entry not well formed is left out
    (it is a cache: the network is priced again when needed)."""
    entries = doc.get("cost_sharing", {}).get("coalitions", []) if isinstance(doc, dict) else []
    found: dict[str, Standalone] = {}
    for item in entries if isinstance(entries, list) else []:
        problems: list[str] = []
        f = _Fields(item, "coalition", problems)
        key, members = f.text("key", required=True), f.items("members")
        cost, bound = f.money("cost", required=True), f.money("lower_bound", required=True)
        links, method, note = f.items("links"), f.text("method"), f.text("note")
        well_formed = all(isinstance(m, str) and not text_problem(m) for m in members) and all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) and not text_problem(x) for x in pair)
            for pair in links
        )
        if problems or not well_formed:
            continue
        chosen = frozenset(members)
        sites = tuple(sorted(s.id for s in project.sites if s.partner in chosen and s.role != "optional"))
        pairs = tuple((a, b) for a, b in links) if len(chosen) == 1 else ()  # as written: for a partner alone
        found[key] = Standalone(chosen, sites, cost, bound, pairs, method, note)
    return found


class SavedProject(NamedTuple):
    """What a project file holds: the project, the coalition networks cached with it, and the split of its
    cost saved with it (``None`` if none; read by :func:`planner.analysis.sharing_file.sharing_from_dict`)."""

    project: Project
    coalitions: dict[str, Standalone]
    sharing: dict | None


def read_project(path: str | os.PathLike) -> SavedProject:
    """The project in a file, and what was saved with it (see :func:`load_project`).

    The saved split is a cache: one holding text the project file could not hold is left out.
    """
    doc = _read_document(Path(path))
    project = project_from_dict(doc, Path(path).name)
    saved = doc.get("cost_sharing", {}).get("result")
    if not isinstance(saved, dict) or next(_text_problems(saved), None):
        saved = None
    return SavedProject(project, coalitions_from_dict(doc, project), saved)


def load_project(path: str | os.PathLike) -> Project:
    """Read and validate a project file; every problem is an ``InputError`` naming the file.

    Only a regular file of at most :data:`MAX_PROJECT_BYTES` is read (a named pipe, a device or a
    folder is refused before it is read), and its JSON may nest at most :data:`MAX_DEPTH` deep.
    """
    path = Path(path)
    return project_from_dict(_read_document(path), path.name)


def _read_document(path: Path) -> Any:
    """The JSON document in ``path``; an ``InputError`` naming the file when it cannot be read."""
    name = path.name
    data = read_limited(path, "a project file", MAX_PROJECT_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name}: is not a text (UTF-8) file") from None
    too_deep = InputError(f"{name}: the JSON nests more than {MAX_DEPTH} deep; a project file never does")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{name}: line {err.lineno}, column {err.colno}: not valid JSON ({err.msg})") from None
    except RecursionError:
        raise too_deep from None
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        raise InputError(f"{name}: not valid JSON ({shown(str(err))})") from None
    if _depth(doc) > MAX_DEPTH:
        raise too_deep
    return doc


def _depth(doc: Any) -> int:
    """How deeply lists and objects nest in ``doc`` (a scalar is 0), found without recursion."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if items is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((item, depth + 1) for item in items if isinstance(item, (dict, list)))
    return deepest


def peek_project(path: str | os.PathLike) -> tuple[str, int, int] | None:
    """A project file's name and its numbers of partners and sites, read without validating it
    (for a list of files to choose from); ``None`` if it is not a readable project file."""
    try:
        doc = _read_document(Path(path))
        return str(doc["name"]), len(doc.get("partners") or []), len(doc.get("sites") or [])
    except (InputError, KeyError, TypeError, AttributeError):
        return None
