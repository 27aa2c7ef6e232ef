"""Shared-risk groups without a duct survey: one duct per compass quadrant at every site.

Circuits leaving a building towards the same part of the compass usually share its
duct entry and the first stretch of trench, so a digger there takes them all. Net2Plan
and tender practice call such a set a shared risk (link) group. :func:`duct_groups`
makes the common case: at each site, the candidate links leaving it to the north-east,
south-east, south-west and north-west each form one group.

A site whose every candidate link leaves into one quadrant (a site at the corner of a
region) would then lose all of them at once, and no design could survive that; its
links are split into two ducts at their middle bearing instead, as a building served
twice needs two duct entries. A quadrant with one link is no group: losing one link
is what a ``2edge`` design survives anyway.

>>> from planner.core.model import Partner, Project, Site
>>> p = Project(partners=[Partner("P", "P")], sites=[Site("hq", "HQ", "P", 0.0, 51.0),
...     Site("n1", "N1", "P", 0.1, 51.5), Site("n2", "N2", "P", 0.2, 51.4), Site("s", "S", "P", 0.0, 50.5)])
>>> [(g.name, g.links) for g in duct_groups(p) if g.name.startswith("hq")]
[('hq duct NE', (('hq', 'n1'), ('hq', 'n2')))]
"""

from __future__ import annotations

import numpy as np

from planner.core.geo import lonlat_to_mercator
from planner.core.model import DesignSettings, Project, RiskGroup, pair_key
from planner.design.problem import build_problem

__all__ = ["duct_groups", "QUADRANTS"]

#: Compass quadrants by bearing: 0-90 degrees is north-east, and so on clockwise.
QUADRANTS = ("NE", "SE", "SW", "NW")
_WORDS = {"NE": "north-east", "SE": "south-east", "SW": "south-west", "NW": "north-west"}


def duct_groups(project: Project, settings: DesignSettings | None = None) -> list[RiskGroup]:
    """One group per site and compass quadrant of the candidate links leaving it (see the module notes).

    Groups are named ``"<site id> duct NE"`` (``"duct 1"``/``"duct 2"`` for a site split at its
    middle bearing) and say where they came from in their note. O(m log m) for ``m`` candidate links.
    """
    if len(project.sites) < 2:
        return []
    problem = build_problem(project, settings)
    sites = project.sites_by_id
    x, y = lonlat_to_mercator(*np.array([[sites[i].lon, sites[i].lat] for i in problem.graph]).T)
    where = dict(zip(problem.graph, zip(x, y, strict=True), strict=True))
    groups = []
    for site in problem.graph:
        others = list(problem.graph.adj[site])
        if len(others) < 2:
            continue
        sx, sy, name = *where[site], sites[site].name
        bearing = {o: np.degrees(np.arctan2(where[o][0] - sx, where[o][1] - sy)) % 360 for o in others}
        quadrant = {o: QUADRANTS[int(bearing[o] // 90) % 4] for o in others}
        if len(set(quadrant.values())) == 1:
            ordered = sorted(others, key=bearing.get)
            half = len(ordered) // 2
            ducts = {"duct 1": ordered[:half], "duct 2": ordered[half:]}
            why = f"generated: {name}'s links all leave to the {_WORDS[quadrant[others[0]]]}, split in two ducts"
            notes = dict.fromkeys(ducts, why)
        else:
            ducts = {f"duct {q}": [o for o in others if quadrant[o] == q] for q in QUADRANTS}
            notes = {f"duct {q}": f"generated: the links leaving {name} to the {_WORDS[q]}" for q in QUADRANTS}
        for duct, ends in ducts.items():
            if len(ends) >= 2:
                groups.append(RiskGroup.of(f"{site} {duct}", [pair_key(site, o) for o in ends], note=notes[duct]))
    return groups
