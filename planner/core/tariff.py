"""The leased-line cost model: what one circuit costs over the contract term, at each bandwidth tier.

Shaped like UK leased-line price lists. Per circuit: a one-off connection
charge per end, an annual rental per end, and an annual main-link rental per km
of route distance. Route km is the geodesic km times a route factor (ducts follow
roads), rounded up to the whole km as price lists do. Every charge is scaled by the
bandwidth tier's factor. The designer minimises total cost of ownership over the term.

A tier has a rate (Mb/s) and a price factor; a load above what one circuit of a
tier may carry is carried by a bundle of parallel circuits of one tier
(``2x10G``: twice the price, twice the capacity). ``min_tier`` is the smallest
tier any circuit is bought at, and what every circuit is when there is no traffic.

All amounts are integer pence.

>>> t = Tariff()
>>> c = t.circuit_cost(10.0)      # 10 km apart -> 13 route km at 1 Gb/s
>>> c.install, c.annual
(250000, 378500)
>>> c.total(t.term_years)
2142500
>>> t.tier("10G").mbps, parse_rate("2.5G"), parse_rate("100M")
(10000, 2500, 100)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property, lru_cache

from planner.core.money import pence_from_decimal
from planner.core.text import shown

__all__ = [
    "Tariff",
    "Tier",
    "CircuitCost",
    "CircuitOption",
    "DEFAULT_TIERS",
    "MAX_BUNDLE",
    "route_km",
    "parse_rate",
    "cheapest_option",
]


@dataclass(frozen=True)
class Tier:
    """A bandwidth tier: its name (``1G``), its rate in Mb/s and the factor it applies to every charge."""

    name: str
    mbps: int
    factor: Decimal


#: Bandwidth tiers as UK Ethernet leased lines sell them (1 Gb/s is the base price): a 10 Gb/s
#: circuit costs 2.4 times a 1 Gb/s one, far less than the ten it replaces.
DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("100M", 100, Decimal("0.55")),
    Tier("1G", 1_000, Decimal("1")),
    Tier("10G", 10_000, Decimal("2.4")),
)
#: Most parallel circuits of one tier between two sites (a link aggregation group).
MAX_BUNDLE = 16

_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([MG])(?:B(?:IT)?(?:/S|PS)?)?\s*$", re.IGNORECASE)


def parse_rate(text: str) -> int | None:
    """The rate in Mb/s a tier name states (``100M`` -> 100, ``10G`` -> 10000); ``None`` if it states none."""
    match = _RATE.match(text)
    if not match:
        return None
    value = Decimal(match[1]) * (1000 if match[2].upper() == "G" else 1)
    return int(value) if value == int(value) and value >= 1 else None


@dataclass(frozen=True)
class CircuitCost:
    """What one circuit costs: one-off installation and annual rental, in pence."""

    install: int
    annual: int

    def total(self, term_years: int) -> int:
        """Total cost of ownership over ``term_years``."""
        return self.install + term_years * self.annual


@dataclass(frozen=True)
class CircuitOption:
    """A way to buy a link: ``count`` parallel circuits of ``tier``, with their capacity and price in all.

    >>> option = CircuitOption("10G", 2, 10_000, CircuitCost(600_000, 900_000), "tariff")
    >>> option.label, option.mbps, option.cost.annual
    ('2x10G', 20000, 1800000)
    """

    tier: str
    count: int
    tier_mbps: int
    unit: CircuitCost
    source: str = "tariff"

    @property
    def label(self) -> str:
        """How the schedule names it: ``10G``, or ``3x10G`` for a bundle."""
        return self.tier if self.count == 1 else f"{self.count}x{self.tier}"

    @property
    def mbps(self) -> int:
        return self.count * self.tier_mbps

    @property
    def cost(self) -> CircuitCost:
        return CircuitCost(self.count * self.unit.install, self.count * self.unit.annual)

    def total(self, term_years: int) -> int:
        return self.cost.total(term_years)


def cheapest_option(
    prices: tuple[tuple[Tier, CircuitCost, str], ...], load_mbps: float, max_utilisation: float, term_years: int
) -> CircuitOption | None:
    """The cheapest tier or bundle among ``prices`` that carries ``load_mbps`` within ``max_utilisation``.

    ``prices`` lists each tier a link may be bought at with one circuit's cost and where the
    price comes from (an ``existing`` circuit is never bundled: there is one). Ties go to
    fewer circuits, then the smaller tier. ``None`` when even the
    largest bundle (:data:`MAX_BUNDLE` circuits) cannot carry the load.

    >>> t = Tariff()
    >>> prices = t.prices(10.0)
    >>> [cheapest_option(prices, load, 0.8, 5).label for load in (0, 80, 700, 1500, 7000, 9000)]
    ['1G', '1G', '1G', '2x1G', '10G', '2x10G']
    """
    best, best_key = None, None
    for tier, unit, source in prices:
        count = max(1, math.ceil(load_mbps / (tier.mbps * max_utilisation) - 1e-9))
        if count > (1 if source == "existing" else MAX_BUNDLE):  # an existing circuit is the one there is
            continue
        key = (count * unit.total(term_years), count, tier.mbps)
        if best_key is None or key < best_key:
            best, best_key = CircuitOption(tier.name, count, tier.mbps, unit, source), key
    return best


@lru_cache(maxsize=1 << 16)  # the same pairs are priced again for every coalition of a cost sharing
def route_km(geodesic_km: float, route_factor: float | Decimal) -> int:
    """Chargeable route distance: geodesic km x route factor, rounded up (min 1 km)."""
    return max(1, math.ceil(round(geodesic_km * float(route_factor), 6)))


#: The dearest a tier may be against the base circuit: far beyond any carrier's price list.
MAX_TIER_FACTOR = 1000


@dataclass(frozen=True)
class Tariff:
    """An editable price list; every field is saved in the project file."""

    connection_per_end: int = 125_000  # £1,250 one-off per end
    rental_per_end: int = 160_000  # £1,600 a year per end
    rental_per_km: int = 4_500  # £45 a year per route km
    route_factor: Decimal = Decimal("1.3")
    term_years: int = 5
    min_tier: str = "1G"
    tiers: tuple[Tier, ...] = field(default_factory=lambda: DEFAULT_TIERS)

    def problems(self) -> list[str]:
        """Field-named reasons this tariff is unusable (empty when it is fine)."""
        found = []
        for name in ("connection_per_end", "rental_per_end", "rental_per_km"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                found.append(f"{name}: {shown(value)} must be a non-negative amount")
        route = Decimal(self.route_factor)
        if not (route.is_finite() and 1 <= route <= 5):
            found.append(f"route_factor: {self.route_factor} must be between 1 and 5")
        if not isinstance(self.term_years, int) or not 1 <= self.term_years <= 30:
            found.append(f"term_years: {shown(self.term_years)} must be a whole number of years 1..30")
        if not self.tiers:
            found.append("tiers: at least one bandwidth tier is needed")
        names = set()
        for tier in self.tiers:
            if tier.name in names:
                found.append(f"tiers.{tier.name}: the tier is listed twice")
            names.add(tier.name)
            if not isinstance(tier.mbps, int) or not 1 <= tier.mbps <= 10_000_000:
                found.append(f"tiers.{tier.name}: rate {shown(tier.mbps)} must be a whole number of Mb/s, 1..10000000")
            factor = Decimal(tier.factor)
            if not (factor.is_finite() and 0 < factor <= MAX_TIER_FACTOR):
                found.append(
                    f"tiers.{tier.name}: price factor {tier.factor} must be above 0 and at most {MAX_TIER_FACTOR}"
                )
        if self.min_tier not in names:
            found.append(f"min_tier: {shown(self.min_tier)} is not one of the tiers {', '.join(sorted(names))}")
        return found

    def with_changes(self, **changes) -> Tariff:
        """A copy with some fields changed; raises ``ValueError`` naming bad fields."""
        changed = replace(self, **changes)
        problems = changed.problems()
        if problems:
            raise ValueError("; ".join(problems))
        return changed

    def tier(self, name: str) -> Tier:
        """The tier called ``name``; ``KeyError`` when there is none."""
        return self._tiers[name]

    @cached_property
    def usable_tiers(self) -> tuple[Tier, ...]:
        """The tiers a circuit may be bought at: ``min_tier`` and faster, slowest first (worked out once:
        every candidate link asks)."""
        floor = self._tiers[self.min_tier].mbps if self.min_tier in self._tiers else 0
        return tuple(sorted((t for t in self.tiers if t.mbps >= floor), key=lambda t: (t.mbps, t.name)))

    def circuit_cost(self, geodesic_km: float, *, bandwidth: str | None = None, existing: bool = False) -> CircuitCost:
        """Cost of one circuit of tier ``bandwidth`` (``min_tier`` by default) between sites ``geodesic_km`` apart.

        An existing circuit a partner already owns has no connection charge.
        """
        key = (route_km(geodesic_km, self.route_factor), bandwidth or self.min_tier, existing)
        if key not in self._prices:
            km, tier, _ = key
            factor = Decimal(self._tiers[tier].factor)
            install = 0 if existing else pence_from_decimal(Decimal(2 * self.connection_per_end) * factor / 100)
            annual = pence_from_decimal(Decimal(2 * self.rental_per_end + km * self.rental_per_km) * factor / 100)
            self._prices[key] = CircuitCost(install, annual)
        return self._prices[key]

    def prices(self, geodesic_km: float) -> tuple[tuple[Tier, CircuitCost, str], ...]:
        """Every usable tier of a new circuit ``geodesic_km`` long with its price (see :func:`cheapest_option`)."""
        return tuple((t, self.circuit_cost(geodesic_km, bandwidth=t.name), "tariff") for t in self.usable_tiers)

    @cached_property
    def _tiers(self) -> dict[str, Tier]:
        return {t.name: t for t in self.tiers}

    @cached_property
    def _prices(self) -> dict[tuple[int, str, bool], CircuitCost]:
        """Circuit costs by route km, tier and reuse, worked out once each (Decimal arithmetic is slow)."""
        return {}
