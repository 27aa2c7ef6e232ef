"""The traffic a project's network must carry, as flows from a site to where its traffic goes.

Two ways to state demands (both in the project file, and they add up):

* **pairs** — ``Demand(a, b, mbps)``: that rate each way between two sites (data
  centre to data centre replication, a site to the shared internet gateway).
* **per site** — ``Site.demand_mbps``: the site's traffic to its partner's hubs (its
  data centres). All of it goes to the nearest of them (straight-line distance, ties
  by site id); when that hub is lost, to the next nearest, and so on. A hub's own
  ``demand_mbps`` goes to its partner's nearest *other* hub (replication).

A :class:`Flow` is one of these with the sites it goes to, in order of preference: in
each failure state it goes to the first that is still there and reachable.

>>> from planner.core.model import Demand, Partner, Project, Site
>>> p = Project(partners=[Partner("P", "Police")], sites=[
...     Site("hq", "HQ", "P", -1.50, 53.80, "hub"), Site("dr", "DR", "P", -1.10, 53.40, "hub"),
...     Site("st", "Station", "P", -1.45, 53.70, demand_mbps=50)], demands=[Demand("hq", "dr", 2000)])
>>> [(f.source, f.targets, f.mbps) for f in flows(p)]
[('hq', ('dr',), 2000.0), ('st', ('hq', 'dr'), 50.0)]
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.core.geo import geodesic_km
from planner.core.text import shown

if TYPE_CHECKING:
    from planner.core.model import Project, Site

__all__ = [
    "Flow",
    "flows",
    "has_traffic",
    "traffic_problems",
    "traffic_key",
    "MAX_MBPS",
    "check_mbps",
    "mbps_from_text",
]

#: The largest demand a file may state (10 Tb/s): beyond it a figure is a typing mistake.
MAX_MBPS = 10_000_000


@dataclass(frozen=True)
class Flow:
    """Traffic of ``mbps`` each way from ``source`` to the first of ``targets`` still reachable.

    ``origin`` says where it was stated: ``pair`` (a demand) or ``site`` (a site's ``demand_mbps``).
    """

    source: str
    targets: tuple[str, ...]
    mbps: float
    origin: str = "pair"


def check_mbps(value: object) -> str | None:
    """Why ``value`` is not a demand in Mb/s (``None`` when it is one).

    >>> check_mbps(-5), check_mbps(float("nan")), check_mbps(20)
    ('-5 is negative: a demand is a rate in Mb/s, 0 or more', 'nan is not a number of Mb/s', None)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return f"{shown(value)} is not a number of Mb/s"
    if value < 0:
        return f"{shown(value)} is negative: a demand is a rate in Mb/s, 0 or more"
    if value > MAX_MBPS:
        return f"{shown(value)} Mb/s is more than {MAX_MBPS:,} (10 Tb/s)"
    return None


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)


def mbps_from_text(text: str) -> float:
    """A rate in Mb/s as a person types it in a table (``250``, ``2.5e3``); ``ValueError`` saying why not.

    Only plain decimal numbers count: ``5_3.8`` is not 53.8, and ``nan`` is not a rate.

    >>> mbps_from_text(" 250 "), mbps_from_text("2.5e3")
    (250.0, 2500.0)
    """
    cleaned = text.strip()
    if not _NUMBER.match(cleaned):
        raise ValueError(f"{text.strip()[:40]!r} is not a number of Mb/s")
    value = float(cleaned)
    bad = check_mbps(value)
    if bad:
        raise ValueError(bad)
    return value


def _hubs_by_partner(project: Project) -> dict[str, list[Site]]:
    """Each partner's hub sites, by partner id."""
    hubs: dict[str, list] = {}
    for s in project.sites:
        if s.role == "hub":
            hubs.setdefault(s.partner, []).append(s)
    return hubs


def _site_targets(site: Site, hubs: dict[str, list[Site]]) -> tuple[str, ...]:
    others = [h for h in hubs.get(site.partner, []) if h.id != site.id]
    others.sort(key=lambda h: (round(geodesic_km(site.lon, site.lat, h.lon, h.lat), 6), h.id))
    return tuple(h.id for h in others)


def flows(project: Project) -> tuple[Flow, ...]:
    """Every flow of ``project``: its pair demands in file order, then the per-site demands in site order.

    Assumes a consistent project (:func:`traffic_problems` is empty); demands of 0 Mb/s are left out.
    """
    result = [Flow(d.a, (d.b,), float(d.mbps)) for d in project.demands if d.mbps > 0]
    hubs = _hubs_by_partner(project)
    for s in project.sites:
        if s.demand_mbps > 0:
            result.append(Flow(s.id, _site_targets(s, hubs), float(s.demand_mbps), "site"))
    return tuple(result)


def has_traffic(project: Project) -> bool:
    """Whether the project states any demand (cheap: the app asks on every edit, before any routing)."""
    return any(d.mbps > 0 for d in project.demands) or any(s.demand_mbps > 0 for s in project.sites)


def traffic_key(project: Project) -> str:
    """A short fingerprint of what circuits are sized for: the flows, the utilisation limit and the tiers
    (empty without traffic). A design made for another key is out of date."""
    traffic = flows(project)
    if not traffic:
        return ""
    tariff = project.tariff
    parts = (traffic, project.settings.max_utilisation, tariff.min_tier, tariff.tiers)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def traffic_problems(project: Project) -> list[str]:
    """Field-named problems with the project's demands (empty when they can all be routed)."""
    found: list[str] = []
    sites = project.sites_by_id
    seen: dict[tuple[str, str], int] = {}
    for i, d in enumerate(project.demands):
        where = f"demands[{i}]"
        for end, value in (("a", d.a), ("b", d.b)):
            if value not in sites:
                found.append(f"{where}: {end}: {shown(value)} is not a site id")
            elif sites[value].role == "optional":
                found.append(
                    f"{where}: {end}: site {shown(value)} is optional (need not be connected), "
                    "so it cannot have traffic"
                )
        if d.a == d.b:
            found.append(f"{where}: a demand must join two different sites ({shown(d.a)} twice)")
        bad = check_mbps(d.mbps)
        if bad:
            found.append(f"{where}: mbps: {bad}")
        pair = d.pair
        if pair in seen:
            found.append(
                f"{where}: the pair {d.a}-{d.b} is listed twice (also demands[{seen[pair]}]): give one rate per pair"
            )
        seen.setdefault(pair, i)
    hubs = _hubs_by_partner(project)
    for i, s in enumerate(project.sites):
        bad = check_mbps(s.demand_mbps)
        if bad:
            found.append(f"sites[{i}] ({s.id}): demand_mbps: {bad}")
        elif s.demand_mbps > 0:
            if s.role == "optional":
                found.append(
                    f"sites[{i}] ({s.id}): demand_mbps: an optional site (need not be connected) has no traffic"
                )
            elif not _site_targets(s, hubs):
                other = " other" if s.role == "hub" else ""
                found.append(
                    f"sites[{i}] ({s.id}): demand_mbps: partner {shown(s.partner)} has no{other} hub to send it to "
                    "(mark its data centre as a hub, or state the traffic as a pair demand)"
                )
    return found
