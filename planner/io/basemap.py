"""The offline basemap: coastline, countries, counties and police force areas.

Layers are GeoJSON files in ``assets/basemap`` (ONS boundaries under the Open
Government Licence, Natural Earth context), projected here to Web Mercator metres
for the map scene and the printed map. Plain ``json`` and ``pyproj`` keep this fast
enough to run at start-up; geopandas is not needed to draw.

>>> land = basemap_layer("land")
>>> len(land) > 10 and land[0].polygons[0][0].shape[1] == 2
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

from planner.core.geo import lonlat_to_mercator

__all__ = ["LAYERS", "ATTRIBUTION", "ATTRIBUTION_SHORT", "BasemapFeature", "basemap_layer"]

#: Basemap layers, bottom to top, by name: file, and the property that names a feature.
LAYERS: dict[str, tuple[str, str | None]] = {
    "land": ("ne_10m_land_british_isles.geojson", None),
    "countries": ("uk_countries_from_ctyua_may2023_buc.geojson", "name"),
    "counties": ("uk_counties_unitary_authorities_may2023_buc.geojson", "name"),
    "police": ("uk_police_force_areas_dec2020_buc.geojson", "name"),
    "borders": ("ne_10m_admin0_boundary_lines_british_isles.geojson", None),
}

#: Full attribution for Help -> About and printed reports (required by the OGL v3).
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2020–2024. Contains Royal Mail data © Royal Mail "
    "copyright and database right 2024. Contains GeoPlace data © Local Government Information House Limited "
    "copyright and database right 2024. Source: Office for National Statistics licensed under the Open "
    "Government Licence v.3.0. Made with Natural Earth (public domain)."
)
#: Short attribution for the map corner.
ATTRIBUTION_SHORT = (
    "Boundaries: ONS, OGL v3; contains OS data © Crown copyright and database right 2020–2024. "
    "Coastline context: Natural Earth."
)


@dataclass(frozen=True)
class BasemapFeature:
    """One named area or line in Web Mercator metres.

    ``polygons`` holds, per polygon, its exterior ring then its holes, each an
    ``(n, 2)`` array; ``lines`` holds line strings. ``label`` is where to write the name.
    """

    name: str | None
    polygons: tuple[tuple[np.ndarray, ...], ...]
    lines: tuple[np.ndarray, ...]
    label: tuple[float, float] | None


def _project(ring) -> np.ndarray:
    coords = np.asarray(ring, dtype=float)[:, :2]
    x, y = lonlat_to_mercator(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _feature(feature: dict, name_key: str | None) -> BasemapFeature:
    geometry = feature["geometry"]
    kind, coords = geometry["type"], geometry["coordinates"]
    polygons = {"Polygon": [coords], "MultiPolygon": coords}.get(kind, [])
    lines = {"LineString": [coords], "MultiLineString": coords}.get(kind, [])
    props = feature.get("properties") or {}
    label = None
    if props.get("LONG") is not None and props.get("LAT") is not None:
        label = tuple(float(v) for v in lonlat_to_mercator(props["LONG"], props["LAT"]))
    return BasemapFeature(
        name=props.get(name_key) if name_key else None,
        polygons=tuple(tuple(_project(ring) for ring in polygon) for polygon in polygons),
        lines=tuple(_project(line) for line in lines),
        label=label,
    )


@cache
def basemap_layer(name: str) -> tuple[BasemapFeature, ...]:
    """The features of one basemap layer (cached: each file is read once)."""
    try:
        filename, name_key = LAYERS[name]
    except KeyError as err:
        raise ValueError(f"{name!r} is not a basemap layer; choose from {', '.join(LAYERS)}") from err
    text = (files("assets") / "basemap" / filename).read_text(encoding="utf-8")
    return tuple(_feature(f, name_key) for f in json.loads(text)["features"])
