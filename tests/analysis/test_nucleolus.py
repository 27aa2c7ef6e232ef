"""The nucleolus: exact, efficient, in the core when there is one, and lexicographically least excesses."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis.nucleolus import largest_excess, nucleolus


def _excesses(players: int, costs: dict[int, int], shares) -> list:
    """Every coalition's excess but the grand coalition's, largest first."""
    grand = (1 << players) - 1
    paid = {m: sum(shares[i] for i in range(players) if m >> i & 1) for m in costs}
    return sorted((paid[m] - c for m, c in costs.items() if m != grand), reverse=True)


@st.composite
def games(draw, most_players: int = 5, every_coalition: bool = True):
    """Cost games on a few players, with small integer costs so that many excesses tie (degenerate cases)."""
    players = draw(st.integers(2, most_players))
    grand = (1 << players) - 1
    alone = {1 << i for i in range(players)}
    masks = range(1, grand) if every_coalition else alone | draw(st.sets(st.integers(1, grand - 1)))
    costs = {m: draw(st.integers(0, 12)) * m.bit_count() for m in masks}
    costs[grand] = draw(st.integers(0, 12 * players))
    return players, costs


@st.composite
def other_splits(draw, players: int, total: Fraction):
    """An efficient split other than the nucleolus: random shares adjusted to add up to ``total``."""
    shares = [Fraction(draw(st.integers(-40, 40)), draw(st.integers(1, 4))) for _ in range(players)]
    shares[-1] += total - sum(shares)
    return shares


def test_two_partners_split_the_saving_equally():
    found = nucleolus(2, {1: 10, 2: 6, 3: 12})
    assert found.shares == (8, 4)  # each saves 2 of the 4
    assert found.least_core == -2


def test_an_empty_core_gives_a_positive_least_core_value():
    # Pairs are cheap, the whole is dear: 2 (x_i + x_j) sums to 24 but must stay within 21 + 3t, so t = 1.
    assert nucleolus(3, {1: 6, 2: 6, 4: 6, 3: 7, 5: 7, 6: 7, 7: 12}).least_core == 1
    assert nucleolus(3, {1: 6, 2: 6, 4: 6, 3: 12, 5: 12, 6: 12, 7: 12}).least_core < 0


def test_a_symmetric_game_splits_equally_and_a_partner_adding_nothing_pays_its_own_cost():
    symmetric = {m: 5 * m.bit_count() - (m.bit_count() > 1) for m in range(1, 8)}
    assert nucleolus(3, symmetric).shares == (Fraction(14, 3),) * 3
    # partner 2 (bit 4) costs 3 wherever it joins: it pays exactly 3
    base = {1: 6, 2: 6, 3: 8}
    dummy = {**base, **{m | 4: c + 3 for m, c in base.items()}, 4: 3}
    assert nucleolus(3, dummy).shares[2] == 3


@settings(max_examples=150, deadline=None)
@given(data=st.data(), game=games())
def test_no_efficient_split_has_lexicographically_smaller_excesses(data, game):
    players, costs = game
    grand = (1 << players) - 1
    found = nucleolus(players, costs)
    assert sum(found.shares) == costs[grand]
    mine = _excesses(players, costs, found.shares)
    assert mine[0] == found.least_core  # the first level is the least-core value
    for _ in range(5):
        other = data.draw(other_splits(players, Fraction(costs[grand])))
        assert mine <= _excesses(players, costs, other)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), game=games(every_coalition=False))
def test_a_game_restricted_to_some_coalitions_is_solved_over_those(data, game):
    players, costs = game
    found = nucleolus(players, costs)
    mine = _excesses(players, costs, found.shares)
    assert largest_excess(players, costs, found.shares) == found.least_core == mine[0]
    other = data.draw(other_splits(players, Fraction(costs[(1 << players) - 1])))
    assert mine <= _excesses(players, costs, other)


@settings(max_examples=80, deadline=None)
@given(game=games())
def test_the_nucleolus_is_in_the_core_whenever_the_core_is_not_empty(game):
    players, costs = game
    found = nucleolus(players, costs)
    assert (largest_excess(players, costs, found.shares) <= 0) == (found.least_core <= 0)


def test_twelve_partners_every_coalition_exact():
    import random

    rng = random.Random(4)
    site_cost = [rng.randint(50_000_00, 400_000_00) for _ in range(12)]
    alone = {m: sum(site_cost[i] for i in range(12) if m >> i & 1) for m in range(1, 4096)}
    costs = {m: int(c * (1 - 0.02 * m.bit_count())) for m, c in alone.items()}  # bigger groups save more
    found = nucleolus(12, costs)
    assert sum(found.shares) == costs[4095]
    assert largest_excess(12, costs, found.shares) == found.least_core


def test_the_grand_coalition_and_every_partner_alone_are_needed():
    with pytest.raises(ValueError, match="grand coalition"):
        nucleolus(2, {1: 3, 2: 4})
    with pytest.raises(ValueError, match="each player's alone"):
        nucleolus(2, {1: 3, 3: 4})
