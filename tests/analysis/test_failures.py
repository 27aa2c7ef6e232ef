"""Group and double failures, their loads and the board's sentence, against answers known by construction
and against removing the circuits and looking."""

import itertools
import random
from collections import Counter
from dataclasses import replace

import networkx as nx
import pytest

from planner.analysis.failures import analyse_failures, dual_failures
from planner.analysis.loads import traffic_outage
from planner.analysis.resilience import cut_off_sites, diverse_from, group_failures, outage
from planner.core.design_result import Design
from planner.core.model import DesignSettings, Partner, Project, RiskGroup, Site
from planner.design import design_project
from planner.design.ducts import duct_groups
from tests.analysis.test_resilience import make_design
from tests.analysis.test_schedule import served_region
from tests.factories import town_region


def project_of(design: Design, groups=()) -> Project:
    """A project holding the design's sites, each named as its id in capitals, and ``groups``."""
    sites = sorted({end for k in design.links for end in (k.a, k.b)} | set(design.sites))
    return Project(
        partners=[Partner("P", "P")],
        sites=[Site(s, s.upper(), "P", -1.5 + i / 10, 53.8) for i, s in enumerate(sites)],
        risk_groups=list(groups),
    )


def ring(n: int) -> Design:
    """Sites s0..s(n-1) in a ring: the (i+1)-th circuit joins s(i-1) and s(i), so C0001 is s(n-1)-s0."""
    names = [f"s{i}" for i in range(n)]
    return make_design([(names[i - 1], names[i]) for i in range(n)])


def by_pair(duals) -> dict[frozenset, int]:
    return {
        frozenset((duals.circuits[a], duals.circuits[b])): int(c)
        for a, b, c in zip(duals.first, duals.second, duals.cut_off_count, strict=True)
    }


def brute_force(design: Design) -> tuple[dict[frozenset, int], Counter]:
    """Every pair of circuits removed together, and whom each cuts off (``outage``, networkx)."""
    pairs, sites = {}, Counter()
    for e, f in itertools.combinations([k.circuit_id for k in design.links], 2):
        lost = outage(design, [e, f]).cut_off
        if lost:
            pairs[frozenset((e, f))] = len(lost)
            sites.update(lost)
    return pairs, sites


# -- double failures: known answers ---------------------------------------------------------
def test_a_ring_loses_sites_on_every_double_failure_the_shorter_arc():
    # Losing circuits i < j of a ring of 6 leaves the arcs s(i)..s(j-1) and the rest: the shorter is cut off
    # (the one without s0 when they tie). Arcs of 1 site: 6 pairs; of 2: 6 pairs; of 3: the 3 opposite pairs.
    duals = dual_failures(ring(6))
    assert (duals.pairs, duals.cutting, duals.survived) == (15, 15, 0)
    assert Counter(by_pair(duals).values()) == {1: 6, 2: 6, 3: 3}
    assert by_pair(duals)[frozenset(("C0001", "C0002"))] == 1  # the neighbours meeting at s0 cut off s0
    assert duals.worst(3) == [("C0001", "C0004", 3), ("C0002", "C0005", 3), ("C0003", "C0006", 3)]
    assert duals.cut_off([("C0001", "C0004")]) == [("s3", "s4", "s5")]  # a tie keeps the part holding s0
    assert sum(duals.site_counts.values()) == 6 * 1 + 6 * 2 + 3 * 3


def test_a_three_edge_connected_design_survives_every_double_failure():
    complete = make_design(list(itertools.combinations("abcd", 2)))
    duals = dual_failures(complete)
    assert (duals.pairs, duals.cutting, duals.site_counts) == (15, 0, {})
    assert analyse_failures(project_of(complete), complete).summary == (
        "Survives all 6 single circuit failures and all 15 double circuit failures."
    )


def test_two_triangles_joined_twice_are_cut_by_three_pairs():
    # a and f have two circuits each; the two circuits between the triangles (b-d, c-e) meet at no site.
    design = make_design(["ab", "bc", "ca", "de", "ef", "fd", "bd", "ce"])
    duals = dual_failures(design)
    ids = {frozenset((k.a, k.b)): k.circuit_id for k in design.links}
    pair = lambda x, y: frozenset((ids[frozenset(x)], ids[frozenset(y)]))  # noqa: E731
    assert by_pair(duals) == {pair("ab", "ca"): 1, pair("ef", "fd"): 1, pair("bd", "ce"): 3}
    assert duals.site_counts == {"a": 1, "f": 2, "d": 1, "e": 1}  # a 3-3 split keeps the side holding a
    assert analyse_failures(project_of(design), design).summary == (
        "Survives all 8 single circuit failures and 89% of double circuit failures (25 of 28). "
        "Of the 3 pairs of circuits that cut sites off, 2 cut off F, 1 A and 1 D."
    )


def test_a_tree_survives_nothing_and_the_sentence_says_who_is_hit_by_single_failures():
    path = make_design(["ab", "bc", "cd"], "tree")  # b-c splits it 2-2: the half without a is cut off
    summary = analyse_failures(project_of(path), path).summary
    assert summary == (
        "Survives none of the 3 single circuit failures and none of the 3 double circuit failures. "
        "Of the 3 single failures that cut sites off, 2 cut off D, 1 A and 1 C."
    )


def test_double_failures_agree_with_removing_each_pair_on_random_graphs():
    rng = random.Random(7)
    for _ in range(150):
        nodes = [f"s{i}" for i in range(rng.randint(2, 8))]
        edges = sorted({tuple(sorted(rng.sample(nodes, 2))) for _ in range(rng.randint(1, 12))})
        rng.shuffle(edges)
        required = [x for x in nodes if rng.random() < 0.8] or None  # some sites optional (relays)
        design = make_design(edges, sites=required)  # sites without circuits, or a split design, too
        duals = dual_failures(design)
        pairs, sites = brute_force(design)
        assert by_pair(duals) == pairs and duals.site_counts == dict(sites), (edges, required)


@pytest.mark.parametrize("level", ["tree", "2edge", "2node"])
def test_double_failures_agree_with_removing_each_pair_on_real_designs(level):
    design = design_project(town_region(14, seed=3), DesignSettings(level, method="heuristic"))
    duals = dual_failures(design)
    pairs, sites = brute_force(design)
    assert by_pair(duals) == pairs and duals.site_counts == dict(sites)
    shown = duals.worst()
    assert [c for _, _, c in shown] == sorted((c for _, _, c in shown), reverse=True)
    assert [len(x) for x in duals.cut_off([(a, b) for a, b, _ in shown])] == [c for _, _, c in shown]


def test_a_long_ring_is_counted_without_listing_any_pair():
    n = 300
    duals = dual_failures(ring(n))
    assert duals.cutting == n * (n - 1) // 2
    assert sum(duals.site_counts.values()) == int(duals.cut_off_count.sum())
    assert duals.worst(1)[0][2] == n // 2


# -- shared-risk groups --------------------------------------------------------------------
def square_with_groups() -> tuple[Project, Design]:
    design = make_design(["ab", "bc", "cd", "da"])  # C0001 a-b, C0002 b-c, C0003 c-d, C0004 d-a
    groups = [
        RiskGroup.of("duct at a", [("a", "b"), ("a", "d")], note="the links leaving A to the east"),
        RiskGroup.of("exchange", [("c", "d")], sites=["b"]),
        RiskGroup.of("bridge", [("b", "c")]),
        RiskGroup.of("elsewhere", [("a", "c")]),  # no circuit of the design: left out
    ]
    return project_of(design, groups), design


def test_group_failures_lose_the_group_s_sites_and_cut_off_the_rest():
    project, design = square_with_groups()
    found = {f.element: f for f in group_failures(design, project.risk_groups)}
    assert list(found) == ["duct at a", "exchange", "bridge"]
    assert (found["duct at a"].cut_off, found["duct at a"].lost_circuits) == (("a",), ("C0001", "C0004"))
    exchange = found["exchange"]  # b goes with both its circuits; c-d too, so c is left alone
    assert (exchange.cut_off, exchange.lost_sites, exchange.lost_circuits) == (
        ("c",),
        ("b",),
        ("C0001", "C0002", "C0003"),
    )
    assert found["bridge"].connected
    unsorted = RiskGroup("made by hand", (("b", "a"), ("d", "a")))  # not through RiskGroup.of: pairs as given
    assert group_failures(design, [unsorted])[0].lost_circuits == ("C0001", "C0004")
    assert analyse_failures(project, design).summary == (
        "Survives all 4 single circuit failures and 1 of 3 shared-risk groups but none of the 6 double circuit "
        "failures. Of the 2 shared-risk groups that cut sites off, no two cut off the same site; between them "
        "they cut off A and C."
    )


def test_a_design_made_to_survive_its_ducts_survives_every_group_by_removal():
    project = town_region(12, seed=4)
    project.risk_groups = duct_groups(project)
    design = design_project(project, DesignSettings("2edge", method="heuristic"))
    assert design.risk_groups
    analysis = analyse_failures(project, design)
    graph = nx.Graph((k.a, k.b) for k in design.links)
    for failure in analysis.groups:
        group = next(g for g in project.risk_groups if g.name == failure.element)
        rest = graph.copy()
        rest.remove_edges_from(p for p in group.links if rest.has_edge(*p))
        assert not cut_off_sites(rest, set(design.sites)) and failure.connected
        assert set(failure.lost_circuits) == {k.circuit_id for k in design.links if k.pair in group.links}
    assert analysis.summary.startswith(f"Survives all {len(design.links)} single circuit failures")
    assert f"all {len(analysis.groups)} shared-risk groups" in analysis.summary.split(".")[0]


def test_circuits_a_group_leaves_to_carry_a_site_are_diverse_from_the_group_s():
    # At a: ducts north {a-b, a-d} and south {a-c}. Losing the north duct and a-c cuts a off, though no two
    # circuits at a do: a-c must stay out of the north duct.
    design = make_design(["ab", "ac", "ad", "bc", "cd"])
    north = RiskGroup.of("a duct N", [("a", "b"), ("a", "d")])
    assert diverse_from(design)["C0002"] == ()
    diverse = diverse_from(design, [north])
    assert diverse["C0002"] == ("C0001", "C0003")
    assert diverse["C0001"] == ("C0002", "C0004")  # b-c already: together with a-b it cuts b off
    assert diverse["C0003"] == ("C0002", "C0005")
    assert diverse["C0004"] == diverse_from(design)["C0004"] == ("C0001",)  # only the pair at b


# -- traffic -------------------------------------------------------------------------------
def thin_ring() -> tuple[Project, Design]:
    """:func:`served_region` (docstring there) with 100 Mb/s on f1-ph (C0005, limit 80) and three groups.

    The station's 100 Mb/s to ph takes f1-ph whenever ph-c1, c1-c2 or c2-ps is lost (C0001-C0003, and the
    duct at c1 holding C0001 and C0002); after c2-ps the fire-council 50 Mb/s joins it there.
    """
    project, design = served_region()
    links = tuple(replace(k, capacity_mbps=100) if k.circuit_id == "C0005" else k for k in design.links)
    project.risk_groups = [
        RiskGroup.of("duct c1", [("ph", "c1"), ("c1", "c2")]),
        RiskGroup.of("exchange ps", sites=["ps"]),
        RiskGroup.of("A1 bridge", [("f1", "ph")]),
    ]
    return project, replace(design, links=links)


def test_overloaded_circuits_after_each_single_and_group_failure_are_worked_out_by_hand():
    project, design = thin_ring()
    analysis = analyse_failures(project, design)
    over = {f.element: analysis.loads[f].overloaded for f in (*analysis.singles, *analysis.groups)}
    assert over == {
        **{"C0001": ("C0005",), "C0002": ("C0005",), "C0003": ("C0005",), "C0004": (), "C0005": ()},
        **{"duct c1": ("C0005",), "exchange ps": (), "A1 bridge": ()},
    }
    peak = analysis.loads[analysis.singles[2]].peak
    assert (peak.circuit_id, peak.load_mbps, peak.utilisation) == ("C0005", 150.0, 1.5)
    assert analysis.summary == (
        "Survives all 5 single circuit failures and 2 of 3 shared-risk groups but none of the 10 double circuit "
        "failures. The one shared-risk group that cuts sites off cuts off Civic Hall. With the planned traffic, "
        "4 of these failures load circuits beyond 80% of their capacity; the worst, losing circuit C0001, "
        "overloads C0005."
    )


def test_loads_agree_with_routing_each_failure_alone():
    project, design = thin_ring()
    analysis = analyse_failures(project, design)
    for failure in (*analysis.singles, analysis.groups[0]):  # circuits only: what traffic_outage can cut
        alone = traffic_outage(project, design, failure.lost_circuits)
        assert analysis.loads[failure].overloaded == alone.overloaded
        use = {k.circuit_id: alone.loads[k.circuit_id] / k.capacity_mbps for k in design.links}
        assert analysis.loads[failure].peak.utilisation == pytest.approx(max(use.values()))


def test_without_traffic_nothing_is_routed_and_the_sentence_says_nothing_of_loads():
    project, design = square_with_groups()
    assert analyse_failures(project, design).loads == {}
    assert "traffic" not in analyse_failures(project, design).summary


def test_a_share_is_rounded_down_so_it_never_overstates():
    # Seven sites all joined, and h on two circuits: only losing both of h's cuts anyone off. 252 of the 253
    # pairs survive, 99.6%: shown as 99%, never 100%.
    design = make_design([*itertools.combinations("abcdefg", 2), ("a", "h"), ("b", "h")])
    summary = analyse_failures(project_of(design), design).summary
    assert (
        "and 99% of double circuit failures (252 of 253). The one pair of circuits that cuts sites off cuts "
        "off H." in summary
    )
