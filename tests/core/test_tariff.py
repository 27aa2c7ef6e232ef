from decimal import Decimal

import pytest

from planner.core.tariff import Tariff, route_km


def test_route_km_rounds_up_whole_km_like_price_lists():
    assert route_km(10.0, Decimal("1.3")) == 13
    assert route_km(10.01, Decimal("1.3")) == 14
    assert route_km(0.1, 1.3) == 1


def test_circuit_cost_follows_the_price_list():
    t = Tariff(
        connection_per_end=100_000,
        rental_per_end=50_000,
        rental_per_km=1_000,
        route_factor=Decimal("1.5"),
        term_years=3,
    )
    cost = t.circuit_cost(20.0)  # 30 route km
    assert cost.install == 200_000
    assert cost.annual == 2 * 50_000 + 30 * 1_000
    assert cost.total(3) == 200_000 + 3 * 130_000


def test_bandwidth_tier_scales_every_charge_and_existing_links_cost_no_connection():
    t = Tariff()
    base, fast = t.circuit_cost(5), t.circuit_cost(5, bandwidth="10G")
    assert fast.install == base.install * 24 // 10
    assert fast.annual == base.annual * 24 // 10
    assert t.circuit_cost(5, existing=True).install == 0
    assert t.circuit_cost(5, existing=True).annual == base.annual


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"term_years": 0}, "term_years"),
        ({"route_factor": Decimal("0.5")}, "route_factor"),
        ({"min_tier": "40G"}, "min_tier"),
        ({"rental_per_km": -1}, "rental_per_km"),
    ],
)
def test_bad_tariff_changes_are_refused_naming_the_field(change, field):
    with pytest.raises(ValueError, match=field):
        Tariff().with_changes(**change)
