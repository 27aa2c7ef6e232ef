"""Which candidate links a corridor drawn on the map takes: the Draw Corridor tool's geometry (no Qt).

A corridor is drawn as a line (a railway, a river, a motorway bridge: every link whose straight
line crosses it) or as a closed area (a flood plain, a shared trench: every link that crosses it
or lies in it). The test is made in the map's own projection (Web Mercator), where a link is
the straight line the map draws, so what is taken is what the user saw crossed.

>>> sites = {"a": (0.0, 51.0), "b": (0.2, 51.0), "c": (0.1, 51.2)}
>>> links_crossing(sites, [("a", "b"), ("a", "c"), ("b", "c")], [(0.1, 50.9), (0.1, 51.1)], closed=False)
[('a', 'b')]
>>> links_crossing(sites, [("a", "b"), ("b", "c")], [(0.15, 50.9), (0.3, 50.9), (0.3, 51.3)], closed=True)
[('a', 'b'), ('b', 'c')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from planner.core.geo import lonlat_to_mercator
from planner.core.model import Project

__all__ = ["corridor_links", "links_crossing"]


def corridor_links(project: Project, points: Sequence[tuple[float, float]], closed: bool) -> list[tuple[str, str]]:
    """The candidate links of ``project`` (the design problem's graph) that the corridor ``points``
    (lon, lat) crosses or, ``closed``, covers; sorted site pairs.

    Raises ``ValueError`` for a shape that is not a line of two points or an area of three that do not
    cross themselves. O(m log m) for ``m`` candidate links (a spatial index); a few milliseconds at
    1,000 sites once the candidate graph is built.
    """
    from planner.design.problem import build_problem  # the engine is imported on first use

    graph = build_problem(project).graph
    sites = {s.id: (s.lon, s.lat) for s in project.sites}
    return links_crossing(sites, sorted(tuple(sorted(e)) for e in graph.edges), points, closed)


def links_crossing(
    sites: Mapping[str, tuple[float, float]],
    pairs: Sequence[tuple[str, str]],
    points: Sequence[tuple[float, float]],
    closed: bool,
) -> list[tuple[str, str]]:
    """Those of ``pairs`` (of site ids, ``sites`` giving each one's lon, lat) whose straight line on the map
    the line through ``points`` crosses, or the area they enclose (``closed``) crosses or holds."""
    import shapely

    shape = _shape(points, closed)
    if not pairs:
        return []
    ends = np.array([(*sites[a], *sites[b]) for a, b in pairs], dtype=float)
    xa, ya = lonlat_to_mercator(ends[:, 0], ends[:, 1])
    xb, yb = lonlat_to_mercator(ends[:, 2], ends[:, 3])
    lines = shapely.linestrings(np.stack([np.column_stack([xa, ya]), np.column_stack([xb, yb])], axis=1))
    hit = shapely.STRtree(lines).query(shape, predicate="intersects")
    return [pairs[i] for i in sorted(hit)]


def _shape(points: Sequence[tuple[float, float]], closed: bool):
    from shapely.geometry import LineString, Polygon

    lon = np.array([p[0] for p in points], dtype=float)
    lat = np.array([p[1] for p in points], dtype=float)
    x, y = lonlat_to_mercator(lon, lat)
    xy = list(zip(np.atleast_1d(x).tolist(), np.atleast_1d(y).tolist(), strict=True))
    if closed:
        polygon = Polygon(xy) if len(xy) >= 3 else Polygon()
        if polygon.is_empty or polygon.area == 0:
            raise ValueError("a corridor area needs at least three corners that are not in a line")
        if not polygon.is_valid:
            raise ValueError("a corridor area's edges must not cross each other")
        return polygon
    line = LineString(xy) if len(xy) >= 2 else LineString()
    if line.is_empty or line.length == 0:
        raise ValueError("a corridor line needs at least two points")
    return line
