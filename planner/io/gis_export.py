"""Sites and circuits as GIS layers: GeoPackage, GeoJSON and KML, written by GDAL through pyogrio.

Two layers, ``sites`` (points) and ``links`` (straight lines between the ends), in
WGS84 lon/lat (EPSG:4326), carrying every column of the Sites table and of the
circuit schedule (``planner/analysis/schedule.py``) under the columns' keys.
Money is pounds as a real number (GIS formats have no decimal type; it rounds
back to the exact pence). Sites also carry their partner's ``colour`` for
data-defined styling in QGIS, and links a ``name`` label.

* GeoPackage: the two layers in one file.
* GeoJSON: one FeatureCollection of both (a ``layer`` attribute says which),
  since GeoJSON has no layers; QGIS offers points and lines as two sub-layers.
* KML: the two layers as two folders; ``name`` is each placemark's label.

>>> from planner.core.model import Partner, Project, Site
>>> from planner.design import design_project
>>> import tempfile, pathlib, pyogrio
>>> p = Project(partners=[Partner("P", "Police")], sites=[
...     Site("a", "A", "P", -1.55, 53.80), Site("b", "B", "P", -1.47, 53.38), Site("c", "C", "P", -1.08, 53.96)])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "network.gpkg"
>>> write_gpkg(p, design_project(p), path)
>>> [str(name) for name, _ in pyogrio.list_layers(path)]
['sites', 'links']
"""

from __future__ import annotations

import os

from planner.analysis.schedule import Table, circuit_table, site_table
from planner.core.design_result import Design
from planner.core.model import Project
from planner.io.safe_output import atomic_output

__all__ = ["gis_layers", "write_gpkg", "write_geojson", "write_kml", "GIS_FORMATS"]


def _frame(table: Table, geometry, **extra: list):
    """``table`` as a GeoDataFrame: money as float pounds, whole numbers as 32-bit (KML has no 64-bit type)."""
    import geopandas as gpd

    data = {**extra}
    for c in table.columns:
        values = [c.value(row) for row in table.rows]
        if c.kind == "gbp":
            values = [float(v) for v in values]
        data[c.key] = values
    frame = gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")
    whole = [c.key for c in table.columns if c.kind in ("int", "metres")]
    return frame.astype(dict.fromkeys(whole, "Int32"))  # nullable: stays whole in the mixed GeoJSON


def gis_layers(project: Project, design: Design, tables: tuple[Table, Table] | None = None) -> dict:
    """``{"sites": GeoDataFrame, "links": GeoDataFrame}`` in EPSG:4326 with every schedule column.

    ``tables`` reuses the site and circuit tables already made (a pack's) instead of making them again.
    """
    import shapely

    sites, circuits = tables or (site_table(project, design), circuit_table(project, design))
    colours = {p.id: p.colour for p in project.partners}
    lines = [[(r.a_lon, r.a_lat), (r.b_lon, r.b_lat)] for r in circuits.rows]
    return {
        "sites": _frame(sites, shapely.points([(r.lon, r.lat) for r in sites.rows])).assign(
            colour=[colours.get(r.partner_id, "") for r in sites.rows]
        ),
        "links": _frame(
            circuits,
            shapely.linestrings(lines) if lines else [],
            name=[f"{r.circuit_id}: {r.a_name} – {r.b_name}" for r in circuits.rows],
        ),
    }


_GEOMETRY = {"sites": "Point", "links": "LineString"}


def _write_layers(project: Project, design: Design, path: str | os.PathLike, driver: str, tables) -> None:
    import pyogrio

    layers = gis_layers(project, design, tables)
    with atomic_output(path) as tmp:
        for i, (name, frame) in enumerate(layers.items()):
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=name,
                driver=driver,
                geometry_type=_GEOMETRY[name],  # stated, so an empty layer still has its type
                append=i > 0 and driver == "LIBKML",
            )


def write_gpkg(project: Project, design: Design, path: str | os.PathLike, *, tables=None) -> None:
    """GeoPackage with layers ``sites`` and ``links`` (``tables``: see :func:`gis_layers`)."""
    _write_layers(project, design, path, "GPKG", tables)


def write_kml(project: Project, design: Design, path: str | os.PathLike, *, tables=None) -> None:
    """KML with folders ``sites`` and ``links`` (Google Earth, QGIS; ``tables``: see :func:`gis_layers`)."""
    _write_layers(project, design, path, "LIBKML", tables)


def write_geojson(project: Project, design: Design, path: str | os.PathLike, *, tables=None) -> None:
    """One GeoJSON FeatureCollection of sites and links; ``layer`` says which each feature is."""
    import pandas as pd
    import pyogrio

    layers = gis_layers(project, design, tables)
    frames = [frame.assign(layer=name) for name, frame in layers.items()]
    combined = pd.concat(frames, ignore_index=True)
    with atomic_output(path) as tmp:
        pyogrio.write_dataframe(combined, tmp, driver="GeoJSON", layer="network", RFC7946=True)


#: Writers by format name, as the command line and the app's Export menu offer them.
GIS_FORMATS = {"gpkg": write_gpkg, "geojson": write_geojson, "kml": write_kml}
