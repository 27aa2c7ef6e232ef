"""The leased-line cost model: what one circuit costs over the contract term.

Shaped like UK leased-line price lists. Per circuit: a one-off connection
charge per end, an annual rental per end, and an annual main-link rental per km
of route distance. Route km is the geodesic km times a route factor (ducts follow
roads), rounded up to the whole km as price lists do. Every charge is scaled by the
bandwidth tier. The designer minimises total cost of ownership over the term.

All amounts are integer pence.

>>> t = Tariff()
>>> c = t.circuit_cost(10.0)      # 10 km apart -> 13 route km at 1 Gb/s
>>> c.install, c.annual
(250000, 378500)
>>> c.total(t.term_years)
2142500
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property, lru_cache

from planner.core.money import pence_from_decimal

__all__ = ["Tariff", "CircuitCost", "DEFAULT_TIERS", "route_km"]

#: Bandwidth tiers and the factor each applies to every charge (1 Gb/s is the base).
DEFAULT_TIERS: dict[str, Decimal] = {
    "100M": Decimal("0.55"),
    "1G": Decimal("1"),
    "10G": Decimal("2.4"),
}


@dataclass(frozen=True)
class CircuitCost:
    """What one circuit costs: one-off installation and annual rental, in pence."""

    install: int
    annual: int

    def total(self, term_years: int) -> int:
        """Total cost of ownership over ``term_years``."""
        return self.install + term_years * self.annual


@lru_cache(maxsize=1 << 16)  # the same pairs are priced again for every coalition of a cost sharing
def route_km(geodesic_km: float, route_factor: float | Decimal) -> int:
    """Chargeable route distance: geodesic km x route factor, rounded up (min 1 km)."""
    return max(1, math.ceil(round(geodesic_km * float(route_factor), 6)))


@dataclass(frozen=True)
class Tariff:
    """An editable price list; every field is saved in the project file."""

    connection_per_end: int = 125_000  # £1,250 one-off per end
    rental_per_end: int = 160_000  # £1,600 a year per end
    rental_per_km: int = 4_500  # £45 a year per route km
    route_factor: Decimal = Decimal("1.3")
    term_years: int = 5
    bandwidth: str = "1G"
    tiers: dict[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_TIERS))

    def problems(self) -> list[str]:
        """Field-named reasons this tariff is unusable (empty when it is fine)."""
        found = []
        for name in ("connection_per_end", "rental_per_end", "rental_per_km"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                found.append(f"{name}: {value!r} must be a non-negative amount")
        if not Decimal("1") <= Decimal(self.route_factor) <= Decimal("5"):
            found.append(f"route_factor: {self.route_factor} must be between 1 and 5")
        if not isinstance(self.term_years, int) or not 1 <= self.term_years <= 30:
            found.append(f"term_years: {self.term_years!r} must be a whole number of years 1..30")
        if not self.tiers:
            found.append("tiers: at least one bandwidth tier is needed")
        for name, factor in self.tiers.items():
            if Decimal(factor) <= 0:
                found.append(f"tiers.{name}: {factor} must be positive")
        if self.bandwidth not in self.tiers:
            found.append(f"bandwidth: {self.bandwidth!r} is not one of the tiers {sorted(self.tiers)}")
        return found

    def with_changes(self, **changes) -> Tariff:
        """A copy with some fields changed; raises ``ValueError`` naming bad fields."""
        changed = replace(self, **changes)
        problems = changed.problems()
        if problems:
            raise ValueError("; ".join(problems))
        return changed

    def circuit_cost(self, geodesic_km: float, *, bandwidth: str | None = None, existing: bool = False) -> CircuitCost:
        """Cost of a circuit between two sites ``geodesic_km`` apart.

        An existing circuit a partner already owns has no connection charge.
        """
        key = (route_km(geodesic_km, self.route_factor), bandwidth or self.bandwidth, existing)
        if key not in self._prices:
            km, tier, _ = key
            factor = Decimal(self.tiers[tier])
            install = 0 if existing else pence_from_decimal(Decimal(2 * self.connection_per_end) * factor / 100)
            annual = pence_from_decimal(Decimal(2 * self.rental_per_end + km * self.rental_per_km) * factor / 100)
            self._prices[key] = CircuitCost(install, annual)
        return self._prices[key]

    @cached_property
    def _prices(self) -> dict[tuple[int, str, bool], CircuitCost]:
        """Circuit costs by route km, tier and reuse, worked out once each (Decimal arithmetic is slow)."""
        return {}
