"""The network a coalition of partners would buy on its own: what cost sharing prices, and caches.

Records are keyed by a fingerprint of everything the network depends on (see
:class:`planner.analysis.sharing.CoalitionCosts`), so a project file can keep them
(``cost_sharing.coalitions``) and a later run reuses those still valid.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.design_result import Design

__all__ = ["Standalone"]


@dataclass(frozen=True)
class Standalone:
    """The network a coalition of partners would buy on its own; money in pence over the term.

    ``links`` lists site pairs, a pair twice where two diverse circuits join two sites.
    """

    members: frozenset[str]
    sites: tuple[str, ...]
    cost: int
    lower_bound: int
    links: tuple[tuple[str, str], ...]
    method: str
    note: str = ""

    @classmethod
    def of_design(cls, members: frozenset[str], design: Design) -> Standalone:
        """The network ``design`` gives the coalition ``members``."""
        links = tuple(k.pair for k in design.links)
        return cls(members, design.sites, design.total_cost, design.lower_bound, links, design.method)
