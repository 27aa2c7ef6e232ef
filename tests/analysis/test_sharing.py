"""Cost sharing checked against brute force and hand-priced standalone networks."""

import itertools
import math
import threading
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.analysis.pack import build_pack
from planner.analysis.sharing import (
    METHODS,
    CoalitionCosts,
    round_shares,
    share_costs,
    standalone_networks,
)
from planner.core.coalition import Standalone
from planner.core.errors import DesignCancelled, PlannerError
from planner.core.geo import geodesic_km
from planner.core.model import Demand, DesignSettings, ExistingLink, Partner, Project, Quote, Site
from planner.core.money import format_gbp
from planner.core.traffic import flows
from planner.design import Control, design_project

# Three partners: A has three sites, B two, C one (the awkward sizes).
POINTS = {
    "a1": ("A", -1.55, 53.80),
    "a2": ("A", -1.47, 53.38),
    "a3": ("A", -1.08, 53.96),
    "b1": ("B", -0.34, 53.75),
    "b2": ("B", -0.60, 53.55),
    "c1": ("C", -1.13, 53.52),
}


def three_partners(redundancy="2edge", **changes) -> Project:
    project = Project(
        name="Three",
        partners=[Partner("A", "Alpha Council"), Partner("B", "Beta Police"), Partner("C", "Gamma Fire")],
        sites=[Site(i, i.upper(), p, lon, lat) for i, (p, lon, lat) in POINTS.items()],
        settings=DesignSettings(redundancy),
    )
    for key, value in changes.items():
        setattr(project, key, value)
    return project


def circuit_total(project, a, b) -> int:
    (_, alon, alat), (_, blon, blat) = POINTS[a], POINTS[b]
    return project.tariff.circuit_cost(geodesic_km(alon, alat, blon, blat)).total(project.tariff.term_years)


def brute_force_shapley(players, value) -> dict[str, Fraction]:
    """Average marginal cost over every join order: the textbook definition."""
    orders = list(itertools.permutations(players))
    totals = dict.fromkeys(players, Fraction(0))
    for order in orders:
        joined = frozenset()
        for p in order:
            totals[p] += value(joined | {p}) - value(joined)
            joined |= {p}
    return {p: t / len(orders) for p, t in totals.items()}


@pytest.fixture(scope="module")
def shared():
    project = three_partners()
    design = design_project(project)
    return project, design, share_costs(project, design)


def test_standalone_networks_follow_the_small_coalition_rules(shared):
    project, _, sharing = shared
    assert sharing.networks["C"].cost == 0 and sharing.networks["C"].links == ()
    # two sites at 2edge: two diverse circuits between them
    assert sharing.networks["B"].cost == 2 * circuit_total(project, "b1", "b2")
    assert sharing.networks["B"].links == (("b1", "b2"), ("b1", "b2"))
    # three sites at 2edge: the only survivable network is the triangle
    triangle = sum(circuit_total(project, a, b) for a, b in [("a1", "a2"), ("a2", "a3"), ("a1", "a3")])
    assert sharing.networks["A"].cost == triangle


def test_shapley_matches_brute_force_and_adds_up_to_the_shared_cost(shared):
    project, design, sharing = shared
    costs = CoalitionCosts(project)

    def value(members):
        if members == frozenset("ABC"):
            return design.total_cost  # the grand coalition is the actual design
        return costs.cost(members) if members else 0

    exact = brute_force_shapley(["A", "B", "C"], value)
    assert sum(exact.values()) == design.total_cost
    for p in sharing.partners:
        assert abs(p.shares["shapley"] - exact[p.partner]) < 1  # whole pence from the exact value
    for method in METHODS:
        assert sum(p.shares[method] for p in sharing.partners) == design.total_cost


def test_pro_rata_and_per_site_shares(shared):
    _, design, sharing = shared
    alone = {p.partner: p.standalone for p in sharing.partners}
    for p in sharing.partners:
        pro_rata = design.total_cost * alone[p.partner] / sum(alone.values())
        assert p.shares["standalone"] == pytest.approx(pro_rata, abs=1)
        assert p.shares["sites"] == pytest.approx(design.total_cost * p.sites / 6, abs=1)
    assert [p.sites for p in sharing.partners] == [3, 2, 1]


def test_paying_more_than_alone_is_said_plainly(shared):
    _, _, sharing = shared
    gamma = sharing.share("C")
    assert gamma.standalone == 0 and gamma.pays_more("sites")
    text = " ".join(sharing.warnings())
    assert "Per site: " in text and "would pay more than alone: " in text and "Gamma Fire by £" in text
    assert sharing.exact and sharing.sampling_error == 0 and sharing.coalitions == 7
    alpha = sharing.networks["A"]
    assert sharing.value_error >= alpha.cost - alpha.lower_bound >= 0


def test_core_checks_against_every_coalition(shared):
    project, _, sharing = shared
    costs = CoalitionCosts(project)
    for method in METHODS:
        shares = {p.partner: p.shares[method] for p in sharing.partners}
        worst = max(
            sum(shares[m] for m in s) - costs.cost(s)
            for r in (1, 2)
            for s in map(frozenset, itertools.combinations("ABC", r))
        )
        assert sharing.core_excess[method] == worst


def test_the_nucleolus_is_in_the_core_and_recommended_when_the_shapley_value_is_not(shared):
    _, design, sharing = shared
    assert sharing.core_checked == sharing.every_coalition == 6
    assert sum(p.shares["nucleolus"] for p in sharing.partners) == design.total_cost
    assert sharing.in_core("nucleolus") == (sharing.least_core <= 0)
    assert sharing.recommended == ("shapley" if sharing.in_core("shapley") else "nucleolus")


def test_sampled_shapley_is_close_and_still_adds_up(shared):
    project, design, sharing = shared
    sampled = share_costs(project, design, exact_up_to=2, permutations=40)
    assert not sampled.exact and sampled.permutations == 40
    # 40 join orders of three partners price every coalition, so the nucleolus is the exact one
    assert sampled.core_checked == 6 and sampled.least_core == sharing.least_core
    assert [p.shares["nucleolus"] for p in sampled.partners] == [p.shares["nucleolus"] for p in sharing.partners]
    assert sum(p.shares["shapley"] for p in sampled.partners) == design.total_cost
    for p in sampled.partners:
        exact = sharing.share(p.partner).shares["shapley"]
        assert abs(p.shares["shapley"] - exact) <= max(sampled.sampling_error, 1)
    again = share_costs(project, design, exact_up_to=2, permutations=40)
    assert again.partners == sampled.partners  # seeded: reproducible


def test_a_second_circuit_beside_an_existing_one_is_new():
    project = three_partners(existing_links=[ExistingLink("b1", "b2", "B")])
    network = CoalitionCosts(project).network({"B"})
    new = circuit_total(project, "b1", "b2")
    existing = project.tariff.circuit_cost(geodesic_km(-0.34, 53.75, -0.60, 53.55), existing=True)
    assert network.cost == new + existing.total(project.tariff.term_years)


def test_a_partner_the_quotes_cannot_connect_alone_is_priced_on_the_tariff():
    ids = list(POINTS)
    quotes = [Quote(a, b, 100_000, 50_000) for a, b in itertools.combinations(ids, 2) if a[0] != b[0]]
    quotes += [Quote("a1", "a2", 100_000, 50_000)]
    project = three_partners(quotes=quotes)
    network = CoalitionCosts(project).network({"B"})
    assert network.cost == 2 * circuit_total(project, "b1", "b2") and "priced on the tariff" in network.note
    assert CoalitionCosts(project).network({"A", "B"}).note == ""


def test_tree_pairs_need_one_circuit():
    project = three_partners("tree")
    assert CoalitionCosts(project).network({"B"}).cost == circuit_total(project, "b1", "b2")


def test_progress_and_cancel():
    project = three_partners()
    design = design_project(project)
    seen = []
    share_costs(project, design, Control(60, progress=lambda f, m: seen.append(f)))
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    event = threading.Event()
    event.set()
    with pytest.raises(DesignCancelled):
        share_costs(project, design, Control(60, cancel_event=event))


def test_a_stale_design_is_refused():
    project = three_partners()
    design = design_project(project)
    project.sites = project.sites[:-1]
    with pytest.raises(PlannerError, match="design it again"):
        share_costs(project, design)


@given(
    st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=15),
    st.lists(st.integers(1, 10**6), min_size=15, max_size=15),
)
def test_rounding_keeps_the_total_and_stays_within_a_penny(numerators, denominators):
    exact = {f"p{i}": Fraction(n, d) for i, (n, d) in enumerate(zip(numerators, denominators, strict=False))}
    total = math.floor(sum(exact.values()))
    exact["p0"] += total - sum(exact.values())  # make the exact shares add up to whole pence
    shares = round_shares(exact, total)
    assert sum(shares.values()) == total
    assert all(abs(shares[k] - exact[k]) < 1 for k in exact)


def test_a_kept_cache_designs_again_only_the_coalitions_an_edit_touches():
    project = three_partners()
    cache = {}
    first = share_costs(project, design_project(project), cache=cache)
    assert len(cache) == 6  # every coalition but the whole partnership, which is the actual design
    project.sites = [replace(s, lat=s.lat + 0.02) if s.id == "c1" else s for s in project.sites]
    second = share_costs(project, design_project(project), cache=cache)
    assert len(cache) == 6 + 3  # {C}, {A, C}, {B, C} again
    assert second.networks["A"] == first.networks["A"] and second.networks["B"] == first.networks["B"]


def test_a_kept_cache_prices_again_the_coalitions_whose_traffic_changed():
    project = _with_traffic()
    cache = {}
    design = design_project(project, DesignSettings("2edge", method="quick"))
    first = share_costs(project, design, cache=cache)
    assert first.route_saving == share_costs(project, design).route_saving  # the no-traffic networks are not mixed up
    project.sites = [replace(s, demand_mbps=900.0) if s.id == "a2" else s for s in project.sites]
    second = share_costs(project, design_project(project, DesignSettings("2edge", method="quick")), cache=cache)
    assert second.networks["A"].cost > first.networks["A"].cost  # 900 Mb/s no longer fits A's 1G triangle
    assert second.networks["B"] == first.networks["B"]


class Hurried(Control):
    """A run whose time never runs out but which always looks short of it, as when pricing is slow."""

    def remaining(self) -> float:
        return 0.0

    def leaving(self, seconds: float) -> Control:
        return self  # the part for the Shapley value is hurried too


def six_partners() -> Project:
    """Each of the six sites its own partner: 63 coalitions, more than the exact value's probe."""
    project = three_partners()
    project.partners = [Partner(i.upper(), f"Partner {i}") for i in POINTS]
    project.sites = [replace(s, partner=s.id.upper()) for s in project.sites]
    return project


def test_without_time_for_the_exact_value_the_shares_are_sampled_and_said_to_be():
    project = six_partners()
    design = design_project(project)
    sharing = share_costs(project, design, Hurried(60.0), permutations=20)
    assert not sharing.exact and sharing.exact_skipped and sharing.permutations == 20
    assert sum(p.shares["shapley"] for p in sharing.partners) == design.total_cost
    assert "would not finish in the time allowed" in sharing.warnings()[0]


def test_a_time_limit_too_short_for_any_estimate_is_a_clear_error():
    project = three_partners()
    with pytest.raises(PlannerError, match="allow more time"):
        share_costs(project, design_project(project), Control(1e-9))


def test_the_time_limit_holds_when_sampling_many_partners():
    """14 partners of 4 sites: more than the exact value takes; sampling stops at the limit."""
    sites = [
        Site(f"s{k}", f"S{k}", f"P{k % 14}", -2.5 + (k * 37 % 101) / 50, 53.0 + (k * 53 % 97) / 60) for k in range(56)
    ]
    project = Project(name="Many", partners=[Partner(f"P{i}", f"P{i}") for i in range(14)], sites=sites)
    design = design_project(project, replace(project.settings, method="quick"))
    sharing = share_costs(project, design, Control(5.0), permutations=100_000)
    assert not sharing.exact and 4 <= sharing.permutations < 100_000 and sharing.sampling_error > 0
    assert sharing.seconds < 5.0 + 5.0  # the last coalition under way and each partner alone may overrun a little
    assert sum(p.shares["shapley"] for p in sharing.partners) == design.total_cost


def test_worker_processes_give_the_same_split():
    project = three_partners()
    design = design_project(project)
    alone = share_costs(project, design)
    parallel = share_costs(project, design, workers=2)
    assert parallel.partners == alone.partners and parallel.networks == alone.networks


def test_standalone_networks_are_the_sharing_s_and_fill_the_same_cache():
    project = three_partners()
    design = design_project(project)
    cache: dict = {}
    alone = standalone_networks(project, design, cache=cache)
    assert set(alone) == {"A", "B", "C"} and len(cache) == 3
    assert alone["C"].cost == 0 and not alone["C"].links  # one site: nothing to buy
    sharing = share_costs(project, design, cache=cache)
    assert alone == sharing.networks
    cancelled = Control(60.0)
    cancelled.cancel()
    with pytest.raises(DesignCancelled):
        standalone_networks(project, design, cancelled, cache={})


def _with_traffic(between: float = 0.0) -> Project:
    """Three partners, A's first site its data centre: A's sites send it 300 Mb/s each, and a pair demand of
    ``between`` Mb/s joins B's first site to A's data centre."""
    project = three_partners()
    project.sites = [
        replace(s, role="hub") if s.id == "a1" else replace(s, demand_mbps=300.0) if s.partner == "A" else s
        for s in project.sites
    ]
    project.demands = [Demand("b1", "a1", between)] if between else []
    return project


def test_each_coalition_is_sized_for_its_own_members_traffic_only():
    project = _with_traffic(between=700.0)
    costs = CoalitionCosts(project)
    own = {
        members: {(f.source, f.targets) for f in flows(costs._own(frozenset(members)))} for members in ("A", "B", "AB")
    }
    assert own["A"] == {("a2", ("a1",)), ("a3", ("a1",))}
    assert own["B"] == set()  # the demand to A's data centre needs A
    assert own["AB"] == own["A"] | {("b1", ("a1",))}
    # B alone buys its two circuits at the smallest tier; with A it pays for carrying 700 Mb/s too.
    b_alone = costs.network({"B"})
    assert b_alone.cost == 2 * circuit_total(project, "b1", "b2")
    bare = CoalitionCosts(replace(project, demands=[]))
    assert costs.cost({"A", "B"}) > bare.cost({"A", "B"})


def test_the_saving_is_split_into_routes_and_capacity_and_the_board_is_told():
    project = _with_traffic(between=700.0)
    design = design_project(project, DesignSettings("2edge", method="heuristic", time_limit=10))
    sharing = share_costs(project, design)
    assert sharing.route_saving is not None
    assert sharing.route_saving + sharing.capacity_saving == sharing.saving
    # The route saving is what the partnership saves when nobody sends traffic.
    bare = replace(project, demands=[], sites=[replace(s, demand_mbps=0.0) for s in project.sites])
    with CoalitionCosts(bare) as plain:
        assert sharing.route_saving == sum(plain.cost({p}) for p in "ABC") - plain.cost("ABC")
    # B's traffic to A's data centre is carried only by networks with both: here sharing costs more.
    assert sharing.capacity_saving < 0
    notes = " ".join(build_pack(project, design, sharing=sharing).notes())
    assert f"Carrying the traffic costs the shared network {format_gbp(-sharing.capacity_saving)} more" in notes
    # Where sharing saves, the board reads how much of the saving capacity buys.
    cheaper = replace(sharing, shared_cost=sharing.standalone_total - 100_000_00, route_saving=30_000_00)
    notes = " ".join(build_pack(project, design, sharing=cheaper).notes())
    assert (
        "Of the £100,000.00 saving, £70,000.00 comes from sharing capacity" in notes
        and "£30,000.00 from sharing routes" in notes
    )
    # Without traffic there is no split to report.
    assert share_costs(bare, design_project(bare)).capacity_saving is None


def test_beyond_the_exact_limit_the_nucleolus_prices_the_groups_that_could_object():
    from tests.factories import project_from_points, town_region

    towns = town_region(18, seed=3)
    project = project_from_points([(s.lon, s.lat) for s in towns.sites], partners=6)
    design = design_project(project, replace(project.settings, method="heuristic"))
    sharing = share_costs(project, design, exact_up_to=3, permutations=4)
    assert not sharing.exact and sum(p.shares["nucleolus"] for p in sharing.partners) == design.total_cost
    # every partner alone and all but each were priced, besides the join orders sampled
    assert 12 <= sharing.core_checked < sharing.every_coalition == 62
    costs = CoalitionCosts(project)
    players = [p.id for p in project.partners]
    nucleolus = [sharing.share(p).shares["nucleolus"] for p in players]
    for left_out in players:  # the groups of all but one: none pays more than the check says
        group = [p for p in players if p != left_out]
        paid = sum(n for p, n in zip(players, nucleolus, strict=True) if p != left_out)
        assert paid - costs.cost(group) <= sharing.core_excess["nucleolus"]


@given(st.sets(st.sampled_from("ABC"), min_size=1), st.sampled_from("ABC"))
def test_a_coalition_cut_from_the_region_is_the_problem_built_for_it_alone(members, owner):
    from planner.design.problem import build_problem, restrict_problem

    project = three_partners(
        existing_links=[ExistingLink("a1", "b1", owner), ExistingLink("b1", "b2", "B")],
        forbidden_links=[("a2", "b2")],
        demands=[Demand("a1", "a3", 300.0)],
    )
    costs = CoalitionCosts(project)
    own = costs._own(frozenset(members))
    restricted = restrict_problem(build_problem(project, costs.settings), own)
    alone = build_problem(own, costs.settings)
    if restricted is None:  # only when an existing link among them belongs to a partner left out
        assert owner not in members and {"A", "B"} <= members
        return
    assert list(restricted.graph.nodes(data=True)) == list(alone.graph.nodes(data=True))
    assert sorted(restricted.graph.edges(data=True)) == sorted(alone.graph.edges(data=True))
    assert (restricted.required, restricted.hubs, restricted.flows) == (alone.required, alone.hubs, alone.flows)


@pytest.mark.parametrize("traffic", [False, True])
def test_every_coalition_is_priced_as_designing_it_alone_would(traffic):
    """The fast path (cut from the region's problem, no schedule made) gives each coalition the network
    the engine designs for that coalition's own project, link for link, to the penny."""
    points = {**POINTS, "a4": ("A", -1.30, 53.70), "c2": ("C", -0.90, 53.30), "d1": ("D", -1.75, 53.65)}
    points |= {"d2": ("D", -0.45, 53.40), "d3": ("D", -1.25, 53.45)}
    hubs = {"a1", "b1", "d1"}
    project = Project(
        name="Four",
        partners=[Partner(p, p) for p in "ABCD"],
        sites=[Site(i, i, p, lon, lat, role="hub" if i in hubs else "site") for i, (p, lon, lat) in points.items()],
        existing_links=[ExistingLink("a1", "a3", "A"), ExistingLink("a1", "b1", "C")],  # A and B alone: built afresh
        demands=[Demand("a1", "d1", 400.0), Demand("b2", "c1", 150.0)] if traffic else [],
        settings=DesignSettings("2edge"),
    )
    costs = CoalitionCosts(project)
    for size in range(1, 5):
        for members in map(frozenset, itertools.combinations("ABCD", size)):
            own = costs._own(members)
            if sum(s.role != "optional" for s in own.sites) < 3:
                continue  # priced by the rules for one or two sites
            alone = Standalone.of_design(members, design_project(own, costs.settings))
            assert costs.network(members) == alone
