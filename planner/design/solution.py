"""What an algorithm returns before it becomes a :class:`~planner.core.design_result.Design`."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Solution"]


@dataclass
class Solution:
    """Chosen links, a valid lower bound on the optimum, and how they were found.

    ``roles`` may name the role of some links (e.g. ``access`` for dual-homing);
    links not named get ``backbone`` or ``protection`` from the design's shape.
    """

    edges: list[tuple[str, str]]
    lower_bound: int
    method: str
    roles: dict[frozenset[str], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: With traffic: what the topology found first costs once sized (the design to beat).
    sized_topology_cost: int | None = None
