"""A cost sharing saved with its project, so the board sees the same figures after reopening it.

The coalition networks are saved too (``cost_sharing.coalitions``), so an exact split
could be worked out again in a second; a sampled one could not — pricing more join
orders would change its figures, and take its whole time limit again. So the split
itself is saved (``cost_sharing.result``), keyed by everything it depends on: the
project's sites, partners, prices, links, traffic and settings, the design shared, and
how coalitions are priced. A saved split whose key no longer matches is ignored.

>>> from planner.core.model import Partner, Project, Site
>>> from planner.design import design_project
>>> from planner.analysis.sharing import share_costs
>>> p = Project(partners=[Partner("A", "A"), Partner("B", "B")], sites=[
...     Site("a1", "a1", "A", -1.5, 53.8), Site("a2", "a2", "A", -1.4, 53.4),
...     Site("b1", "b1", "B", -1.1, 53.9), Site("b2", "b2", "B", -1.0, 53.5)])
>>> d = design_project(p)
>>> s = share_costs(p, d)
>>> sharing_from_dict(sharing_to_dict(s, p, d, 60.0), p, d, 60.0) == s
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from planner.analysis.sharing import PRICING_VERSION, CostSharing, PartnerShare
from planner.core.coalition import Standalone
from planner.core.design_result import Design
from planner.core.model import Project
from planner.core.project_file import project_to_dict

__all__ = ["sharing_key", "sharing_to_dict", "sharing_from_dict"]


def sharing_key(project: Project, design: Design) -> str:
    """A fingerprint of everything the split of ``design``'s cost depends on."""
    inputs = project_to_dict(replace(project, designs=[design], scenarios=[], sharing_method="auto"))
    inputs.pop("cost_sharing")
    return hashlib.sha256(json.dumps([PRICING_VERSION, inputs], sort_keys=True).encode()).hexdigest()


def _network(n: Standalone) -> dict:
    return {
        "members": sorted(n.members),
        "sites": list(n.sites),
        "cost": n.cost,
        "lower_bound": n.lower_bound,
        "links": [list(pair) for pair in n.links],
        "method": n.method,
        "note": n.note,
    }


def sharing_to_dict(sharing: CostSharing, project: Project, design: Design, time_limit: float) -> dict:
    """``sharing`` (worked out within ``time_limit`` seconds) as JSON, keyed for ``project`` and ``design``."""
    return {
        "key": sharing_key(project, design),
        "time_limit": time_limit,
        "shared_cost": sharing.shared_cost,
        "partners": [
            {"partner": p.partner, "sites": p.sites, "standalone": p.standalone, "shares": p.shares}
            for p in sharing.partners
        ],
        "networks": {partner: _network(n) for partner, n in sharing.networks.items()},
        "names": sharing.names,
        "exact": sharing.exact,
        "coalitions": sharing.coalitions,
        "sampling_error": sharing.sampling_error,
        "value_error": sharing.value_error,
        "core_excess": sharing.core_excess,
        "least_core": sharing.least_core,
        "core_checked": sharing.core_checked,
        "seconds": sharing.seconds,
        "permutations": sharing.permutations,
        "exact_skipped": sharing.exact_skipped,
        "route_saving": sharing.route_saving,
        "coalition_keys": sorted(sharing.coalition_keys),
        "coalition_costs": [[sorted(m), cost] for m, cost in sharing.coalition_costs.items()],
    }


def sharing_from_dict(doc: Any, project: Project, design: Design, time_limit: float) -> CostSharing | None:
    """The saved split, when it is for ``project`` and ``design`` as they are and no more time is asked
    for than it had (unless it is exact); ``None`` otherwise, or when the entry is not well formed."""
    try:
        if doc["key"] != sharing_key(project, design) or (not doc["exact"] and time_limit > doc["time_limit"]):
            return None
        return CostSharing(
            shared_cost=int(doc["shared_cost"]),
            partners=tuple(
                PartnerShare(
                    p["partner"], int(p["sites"]), int(p["standalone"]), {k: int(v) for k, v in p["shares"].items()}
                )
                for p in doc["partners"]
            ),
            networks={
                partner: Standalone(
                    frozenset(n["members"]),
                    tuple(n["sites"]),
                    int(n["cost"]),
                    int(n["lower_bound"]),
                    tuple((a, b) for a, b in n["links"]),
                    str(n["method"]),
                    str(n["note"]),
                )
                for partner, n in doc["networks"].items()
            },
            names=dict(doc["names"]),
            exact=bool(doc["exact"]),
            coalitions=int(doc["coalitions"]),
            sampling_error=int(doc["sampling_error"]),
            value_error=int(doc["value_error"]),
            core_excess={k: int(v) for k, v in doc["core_excess"].items()},
            least_core=int(doc["least_core"]),
            core_checked=int(doc["core_checked"]),
            seconds=float(doc["seconds"]),
            permutations=int(doc["permutations"]),
            exact_skipped=bool(doc["exact_skipped"]),
            route_saving=None if doc["route_saving"] is None else int(doc["route_saving"]),
            coalition_keys=frozenset(doc["coalition_keys"]),
            coalition_costs={frozenset(m): int(cost) for m, cost in doc["coalition_costs"]},
        )
    except (KeyError, TypeError, ValueError, AttributeError):  # a cache: a damaged entry is simply not used
        return None
