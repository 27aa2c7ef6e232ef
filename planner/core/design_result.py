"""A designed backbone: the chosen circuits, their cost and how close to optimal it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Design", "DesignLink", "LinkRole", "LINK_ROLES", "PROVEN_OPTIMAL", "assign_circuit_ids"]

LinkRole = Literal["backbone", "protection", "access", "existing"]
#: Roles a circuit plays, as shown in the schedule and on the map.
LINK_ROLES: dict[str, str] = {
    "backbone": "Backbone",
    "protection": "Protection",
    "access": "Access (dual-homing)",
    "existing": "Existing, reused",
}
#: The note of a design whose cost equals its proven lower bound.
PROVEN_OPTIMAL = "proven optimal"


@dataclass(frozen=True)
class DesignLink:
    """One link of a design; money in pence.

    ``bandwidth`` is what to order: a tier (``1G``) or a bundle of ``circuits`` parallel
    circuits of one tier (``3x10G``), ``capacity_mbps`` in all. Traffic is routed by
    shortest path on ``metric``; ``load_mbps`` is the load in the normal state and
    ``worst_load_mbps`` the most after any failure the design must survive, caused by
    ``worst_failure`` (``circuit C0007``, ``site LDS-HQ``; empty when no failure adds load).
    """

    circuit_id: str
    a: str
    b: str
    distance_km: float
    route_km: int
    install: int
    annual: int
    role: LinkRole = "backbone"
    source: Literal["tariff", "quote", "existing"] = "tariff"
    bandwidth: str = "1G"
    diverse_from: str | None = None
    circuits: int = 1
    capacity_mbps: int = 1000
    metric: int = 1
    load_mbps: float = 0.0
    worst_load_mbps: float = 0.0
    worst_failure: str = ""

    def total(self, term_years: int) -> int:
        return self.install + term_years * self.annual

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b) if self.a <= self.b else (self.b, self.a)

    @property
    def worst_utilisation(self) -> float:
        """The worst load as a fraction of the capacity bought."""
        return self.worst_load_mbps / self.capacity_mbps if self.capacity_mbps else 0.0


@dataclass(frozen=True)
class Design:
    """The engine's answer, verified, with a proven lower bound on the optimum.

    ``total_cost`` and ``lower_bound`` are totals over ``term_years`` in pence.
    """

    redundancy: str
    links: tuple[DesignLink, ...]
    total_cost: int
    lower_bound: int
    term_years: int
    method: str = "heuristic"
    verified: bool = False
    seconds: float = 0.0
    sites: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: What "design the topology, then size it" costs for the same project (``None`` without traffic).
    sized_topology_cost: int | None = None
    #: The traffic it was sized for (:func:`planner.core.traffic.traffic_key`; empty without traffic).
    traffic_key: str = ""
    #: The shared-risk groups it was made (and verified) to survive the loss of, by name.
    risk_groups: tuple[str, ...] = ()

    @property
    def gap(self) -> float:
        """Relative gap to the lower bound: 0.0 means proven optimal."""
        if self.total_cost <= 0:
            return 0.0
        return max(0, self.total_cost - self.lower_bound) / self.total_cost

    @property
    def proven_optimal(self) -> bool:
        return self.total_cost <= self.lower_bound

    @property
    def install_cost(self) -> int:
        return sum(link.install for link in self.links)

    @property
    def annual_cost(self) -> int:
        return sum(link.annual for link in self.links)

    @property
    def route_km(self) -> int:
        return sum(link.route_km for link in self.links)

    def link(self, circuit_id: str) -> DesignLink:
        found = self.find_link(circuit_id)
        if found is None:
            raise KeyError(circuit_id)
        return found

    def find_link(self, circuit_id: str) -> DesignLink | None:
        """The circuit ``circuit_id``, or ``None`` when this design has none (an id from another design)."""
        return next((link for link in self.links if link.circuit_id == circuit_id), None)


def assign_circuit_ids(
    pairs: Iterable[tuple[str, str]], issued: dict[tuple[str, str], str], prefix: str = "C"
) -> dict[tuple[str, str], str]:
    """Circuit ids for ``pairs``: the id already issued to a pair, else a new number.

    New numbers follow the highest ever issued, in sorted pair order, so ids are
    stable across re-design and never reused.

    >>> assign_circuit_ids([("a", "c"), ("a", "b")], {("a", "b"): "C0007"})
    {('a', 'b'): 'C0007', ('a', 'c'): 'C0008'}
    """
    numbers = [int(v[len(prefix) :]) for v in issued.values() if v.startswith(prefix) and v[len(prefix) :].isdigit()]
    next_number = max(numbers, default=0) + 1
    result = {}
    for pair in sorted(set(pairs)):
        if pair in issued:
            result[pair] = issued[pair]
        else:
            result[pair] = f"{prefix}{next_number:04d}"
            next_number += 1
    return result
