"""Geodesy: distances on the WGS84 ellipsoid and the grids UK users think in.

Coordinates are WGS84 lon/lat (EPSG:4326) everywhere in the model. British
National Grid (EPSG:27700) eastings/northings and OS grid references such as
``SE 2990 3350`` are accepted on import and shown in the status bar; the map
scene uses Web Mercator (EPSG:3857) metres.

>>> round(geodesic_km(-1.5491, 53.8008, -1.4701, 53.3811), 1)  # Leeds to Sheffield
47.0
>>> parse_grid_reference("SE 2990 3350")
(429900.0, 433500.0)
>>> grid_reference(429900, 433500)
'SE 29900 33500'
"""

from __future__ import annotations

import math
import re
from functools import cache

import numpy as np
from pyproj import Geod, Transformer

from planner.core.text import shown

__all__ = [
    "geodesic_km",
    "geodesic_km_many",
    "bng_to_lonlat",
    "lonlat_to_bng",
    "parse_grid_reference",
    "grid_reference",
    "lonlat_to_mercator",
    "mercator_to_lonlat",
    "check_lonlat",
]

_GEOD = Geod(ellps="WGS84")
# OS 100 km square letters: a 5x5 grid of the alphabet without I.
_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
_GRID_REF = re.compile(r"^\s*([A-HJ-Z])([A-HJ-Z])\s*(\d+)\s*(\d*)\s*$", re.IGNORECASE)


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def geodesic_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in km between two WGS84 points."""
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def geodesic_km_many(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Geodesic distances in km between paired arrays of points (vectorised)."""
    arrays = [np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2)]
    if arrays[0].size == 0:
        return np.zeros(0)
    return np.asarray(_GEOD.inv(*arrays)[2]) / 1000.0


def check_lonlat(lon: float, lat: float) -> str | None:
    """Why a lon/lat pair is unusable, or ``None`` when it is fine."""
    for name, value, limit in (("lon", lon, 180), ("lat", lat, 90)):
        if not math.isfinite(value):
            return f"{name}: {shown(value)} is not a number"
        if not -limit <= value <= limit:
            return f"{name}: {value} is out of range -{limit}..{limit}"
    return None


def bng_to_lonlat(easting: float, northing: float) -> tuple[float, float]:
    """British National Grid metres to WGS84 lon/lat."""
    if not (0 <= easting <= 700_000 and 0 <= northing <= 1_300_000):
        raise ValueError(f"easting/northing ({easting}, {northing}) is outside the British National Grid")
    lon, lat = _transformer("EPSG:27700", "EPSG:4326").transform(easting, northing)
    return float(lon), float(lat)


def lonlat_to_bng(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 lon/lat to British National Grid metres."""
    e, n = _transformer("EPSG:4326", "EPSG:27700").transform(lon, lat)
    return float(e), float(n)


def parse_grid_reference(text: str) -> tuple[float, float]:
    """An OS grid reference (``"SE 2990 3350"``, ``"SE2990033500"``) as (easting, northing).

    The digits name the south-west corner of the square they describe, as the OS defines.
    """
    match = _GRID_REF.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an OS grid reference like 'SE 2990 3350'")
    first, second, digits, more = match.groups()
    digits += more
    if len(digits) % 2 or len(digits) > 10:
        raise ValueError(f"{text!r} needs an even number of digits (up to 10)")
    half = len(digits) // 2
    l1, l2 = _LETTERS.index(first.upper()), _LETTERS.index(second.upper())
    e100k = ((l1 - 2) % 5) * 5 + l2 % 5
    n100k = (19 - (l1 // 5) * 5) - l2 // 5
    if not (0 <= e100k <= 6 and 0 <= n100k <= 12):
        raise ValueError(f"{text!r} is outside the British National Grid")
    scale = 10 ** (5 - half)
    easting = e100k * 100_000 + (int(digits[:half]) * scale if half else 0)
    northing = n100k * 100_000 + (int(digits[half:]) * scale if half else 0)
    return float(easting), float(northing)


def grid_reference(easting: float, northing: float, digits: int = 10) -> str:
    """(easting, northing) as an OS grid reference with ``digits`` digits (2..10)."""
    if not (0 <= easting < 700_000 and 0 <= northing < 1_300_000):
        return ""
    e100k, n100k = int(easting // 100_000), int(northing // 100_000)
    l1 = (19 - n100k) - (19 - n100k) % 5 + (e100k + 10) // 5
    l2 = ((19 - n100k) * 5) % 25 + e100k % 5
    half = digits // 2
    scale = 10 ** (5 - half)
    e = int(easting % 100_000) // scale
    n = int(northing % 100_000) // scale
    return f"{_LETTERS[l1]}{_LETTERS[l2]} {e:0{half}d} {n:0{half}d}"


def lonlat_to_mercator(lon, lat):
    """WGS84 lon/lat to Web Mercator metres (scalars or arrays)."""
    return _transformer("EPSG:4326", "EPSG:3857").transform(lon, lat)


def mercator_to_lonlat(x, y):
    """Web Mercator metres to WGS84 lon/lat (scalars or arrays)."""
    return _transformer("EPSG:3857", "EPSG:4326").transform(x, y)
