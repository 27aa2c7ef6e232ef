"""What each partner would pay alone, what the partnership saves, and fair splits of the shared cost.

A *coalition* is a set of partners. Its *standalone network* is the one the same
tool would design for its members' sites alone: the same redundancy, tariff,
carrier quotes between its own sites, existing links its members own, forbidden
links and no-go areas. ``v(S)`` is that network's whole-term cost; ``v`` of all
partners is the shared design's cost. The shared cost is split four ways:

* ``shapley`` — each partner pays its average extra cost over every order in
  which the partners could have joined (the Shapley value). Exact up to
  ``EXACT_UP_TO`` partners (all ``2**n`` coalitions designed, each once); beyond,
  or when the exact value would not finish within the time limit, estimated
  from random join orders with its 95 % sampling error stated.
* ``nucleolus`` — the split that makes the most any group of partners pays above
  its own network's cost as small as it can be, then the next most, and so on
  (:mod:`planner.analysis.nucleolus`). It is in the core whenever the core is not
  empty. Exact over every coalition when all are priced; otherwise over the
  coalitions priced, which always include every partner alone and every group of
  all partners but one, and more found by constraint generation (below).
* ``standalone`` — in proportion to what each partner would pay alone.
* ``sites`` — in proportion to each partner's number of sites to connect.

Each share is whole pence and the shares add up to the shared cost exactly: the
exact shares are rational numbers; each is rounded down and the pennies left over
go to the largest remainders, ties to the partner listed first.

Rules for coalitions too small for a survivable network of their own
---------------------------------------------------------------------
* no sites to connect, or one: no circuits, cost nil. (A single-site partner
  needs no wide-area network alone, so any positive share is "more than alone":
  that is flagged, and it is the honest answer.)
* two sites: one circuit for ``tree``; for ``2edge``/``2node`` two circuits
  between them on physically separate routes (priced as two circuits — the
  tariff has no separate resilience-option charge). When one of them is an
  existing link, the second is a new circuit.
* three or more: designed by the fast heuristic (see Notes).
* when the project's permitted links cannot connect a coalition alone (quotes
  cover only pairs the partnership needs, forbidden links, no-go areas), it is
  priced on the tariff for every pair of its sites — what it would pay asking
  carriers for its own quotes — and its ``note`` says so.

Notes
-----
Coalition costs come from the heuristic designer, not the exact solver: 4,095
coalitions for 12 partners must be priced in seconds. That is sound because
(1) the same algorithm prices every coalition, so its error is systematic and
largely cancels in the differences ``v(S + i) - v(S)`` the Shapley value
averages; (2) the grand coalition's value is the actual design's cost, so the
shares always add up to what the partnership really pays; and (3) the error is
bounded: each design carries a proven lower bound, so each true optimum lies in
``[lower_bound(S), v(S)]`` and, since the Shapley value is a weighted average of
differences, every share is within ``value_error`` (the largest ``v(S) -
lower_bound(S)`` over the coalitions used) of the Shapley share of the optimal
costs. ``value_error`` is reported with the shares.

A split is in the *core* when no group of partners would pay less by building
its own network. Every method is checked against every coalition priced
(``core_checked`` of them; all ``2**n - 2`` in the exact case), and the
nucleolus's first linear programme finds whether any split is in the core at
all (the least-core value ``least_core``; positive means the core is empty, so
every split leaves some group better off alone). The checks are relative to the
heuristic coalition costs. When not every coalition is priced, *constraint
generation* looks for the groups most likely to object: after each nucleolus,
the coalitions one partner away from those that overpay most are priced, and
the nucleolus worked out again, until none of them overpays more or time is up.
The least-core value over the coalitions priced is then a lower bound on the
true one (fewer groups can object), and "in the core" means "no group priced
would pay less alone".

The method the board sees first (``recommended``) is the Shapley value when it is
in the core, otherwise the nucleolus; a project may choose another.

Time: ``2**n - 1`` coalition designs (exact) or about ``n * permutations``
(sampled, fewer with repeats), each priced once and cached; the Shapley
arithmetic itself is O(n 2**n) integer operations.

References
----------
L. S. Shapley, "A value for n-person games", 1953.
J. Castro, D. Gómez, J. Tejada, "Polynomial calculation of the Shapley value
based on sampling", Computers & Operations Research 36 (2009).
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from fractions import Fraction

from planner.analysis.nucleolus import Nucleolus, excess, largest_excess, nucleolus
from planner.core.coalition import Standalone
from planner.core.design_result import Design
from planner.core.errors import DesignCancelled, InfeasibleError, PlannerError
from planner.core.model import DesignSettings, Project, groups_within, pair_key
from planner.core.money import format_gbp
from planner.core.tariff import cheapest_option
from planner.core.traffic import has_traffic
from planner.design import Control
from planner.design.engine import solve_problem
from planner.design.problem import DesignProblem, build_problem, restrict_problem

__all__ = [
    "EXACT_UP_TO",
    "METHODS",
    "PartnerShare",
    "CostSharing",
    "CoalitionCosts",
    "share_costs",
    "standalone_networks",
    "round_shares",
]

#: Largest partnership whose Shapley value is computed exactly (2**12 = 4,096 coalitions).
EXACT_UP_TO = 12
#: Coalitions priced before the exact Shapley value judges whether it can finish in time.
_PROBE = 32
#: Most coalitions with traffic sent to a worker at once: a batch must end soon after the time limit.
_TRAFFIC_BATCH = 2
#: Most coalitions sent to a worker process at once, and most sites in the region times that:
#: a batch is a fraction of a second of work, so a cancelled run lets go of the cores soon.
_BATCH, _BATCH_SITES = 16, 640
#: Changes when coalitions are priced differently, so networks cached by an earlier version are not reused.
PRICING_VERSION = 2
#: Shares of the time limit kept from the Shapley value for the nucleolus's coalitions and the route
#: saving, and from the nucleolus for the route saving (with traffic).
_AFTER_SHAPLEY, _ROUTE_SAVING = 0.15, 0.05
#: Rounds of constraint generation for the nucleolus when not every coalition is priced.
_GENERATION_ROUNDS = 4
#: Cost-sharing methods by name, with the label a board reads.
METHODS: dict[str, str] = {
    "shapley": "Shapley value",
    "nucleolus": "Nucleolus",
    "standalone": "Pro rata to cost alone",
    "sites": "Per site",
}


@dataclass(frozen=True)
class PartnerShare:
    """One partner's cost alone and its share of the shared cost under each method, in pence."""

    partner: str
    sites: int
    standalone: int
    shares: dict[str, int]

    def saving(self, method: str) -> int:
        """What the partner saves under ``method`` against going alone (negative: it pays more)."""
        return self.standalone - self.shares[method]

    def pays_more(self, method: str) -> bool:
        return self.shares[method] > self.standalone


@dataclass(frozen=True)
class CostSharing:
    """The partnership's saving and the shared cost split between partners (all money in pence).

    ``sampling_error`` is the largest 95 % half-width of a sampled Shapley share (0
    when exact); ``value_error`` bounds the error coming from heuristic coalition
    costs (see the module notes). ``core_excess[method]`` is the most any group of
    partners priced (``core_checked`` groups, the grand coalition left out) would
    save by leaving under that method (at most 0: the split is in the core);
    ``least_core`` is positive when no split is in the core.
    """

    shared_cost: int
    partners: tuple[PartnerShare, ...]
    networks: dict[str, Standalone]
    names: dict[str, str]
    exact: bool
    coalitions: int
    sampling_error: int
    value_error: int
    core_excess: dict[str, int]
    least_core: int
    core_checked: int
    seconds: float
    permutations: int = 0
    exact_skipped: bool = False
    #: With traffic: the saving the same networks would make with every circuit at the smallest tier
    #: and no traffic to size for (what sharing routes saves); ``None`` without traffic.
    route_saving: int | None = None
    #: The cache keys of every coalition network this split used (what a project file keeps).
    coalition_keys: frozenset[str] = frozenset()
    #: The cost of every coalition priced, the grand coalition's being the design's: the nucleolus,
    #: the core checks and (when exact) the Shapley value follow from these alone.
    coalition_costs: dict[frozenset[str], int] = field(default_factory=dict)

    @property
    def capacity_saving(self) -> int | None:
        """With traffic: the part of the saving that sharing capacity buys (bigger circuits carrying
        several partners' traffic at a lower price per Mb/s), the rest of it coming from shared routes."""
        return None if self.route_saving is None else self.saving - self.route_saving

    @property
    def every_coalition(self) -> int:
        """How many groups of partners could object to a split: all but none and all of them."""
        return 2 ** len(self.partners) - 2

    @property
    def checked_text(self) -> str:
        """How many groups of partners the core checks covered, e.g. ``all 4,094 groups``."""
        if self.core_checked == self.every_coalition:
            return f"all {self.every_coalition:,} groups"
        return f"{self.core_checked:,} of {self.every_coalition:,} groups"

    def in_core(self, method: str) -> bool:
        """Whether no group of partners priced would pay less alone than under ``method``."""
        return self.core_excess[method] <= 0

    @property
    def recommended(self) -> str:
        """The split to show first: the Shapley value when it is in the core, else the nucleolus."""
        return "shapley" if self.in_core("shapley") else "nucleolus"

    def chosen(self, choice: str) -> str:
        """The method a project's choice stands for: ``auto`` is :attr:`recommended`."""
        return self.recommended if choice == "auto" else choice

    @property
    def standalone_total(self) -> int:
        """What the partners would pay in all, each going alone."""
        return sum(p.standalone for p in self.partners)

    @property
    def saving(self) -> int:
        return self.standalone_total - self.shared_cost

    @property
    def saving_fraction(self) -> float:
        return self.saving / self.standalone_total if self.standalone_total else 0.0

    def share(self, partner: str) -> PartnerShare:
        for p in self.partners:
            if p.partner == partner:
                return p
        raise KeyError(partner)

    def warnings(self) -> list[str]:
        """Plain sentences for the board: who pays more than alone, and core violations."""
        found = []
        if self.exact_skipped:
            found.append(
                "The exact Shapley value would not finish in the time allowed: the shares are estimated from "
                f"{self.permutations:,} join orders, each within {format_gbp(self.sampling_error)} at 95% confidence."
            )
        if self.saving < 0:
            found.append(
                f"The shared network costs {format_gbp(-self.saving)} more than the partners' own networks together; "
                "what that buys is one network joining every partner's sites to every other's."
            )
        if self.least_core > 0:
            found.append(
                "No split keeps every group of partners at or below its cost alone (the core is empty): "
                f"whatever the split, some group would save at least {format_gbp(self.least_core)} by going alone. "
                "The nucleolus keeps the most any group would save as small as it can be."
            )
        for method, label in METHODS.items():
            dearer = [p for p in self.partners if p.pays_more(method)]
            if dearer:
                dearer.sort(key=lambda p: p.saving(method))
                named = dearer if len(dearer) <= 3 else dearer[:1]
                who = "; ".join(f"{self.names[p.partner]} by {format_gbp(-p.saving(method))}" for p in named)
                found.append(
                    f"{label}: {len(dearer)} of {len(self.partners)} partners would pay more than alone"
                    + (f": {who}." if len(named) == len(dearer) else f", most of all {who}.")
                )
            overpaid = self.core_excess[method]
            if overpaid > 0 and not dearer:
                found.append(
                    f"{label}: a group of partners would save {format_gbp(overpaid)} by building its own network."
                )
        return found


class CoalitionCosts:
    """The standalone network of each coalition of partners, each designed once and cached.

    Parameters
    ----------
    project : Project
        The partnership; its settings give the redundancy level.
    settings : DesignSettings, optional
        Overrides ``project.settings``; the method is always the heuristic's ``quick`` search.
    cancel : threading.Event, optional
        Set it to stop a running coalition design (raises ``DesignCancelled``).
    cache : dict, optional
        A store to keep between runs (the app keeps one per project). Entries are
        keyed by everything a coalition's network depends on — its members' sites
        and where they are, the tariff, the settings, the links among its sites —
        so after an edit only the coalitions it touches are designed again.
    workers : int
        Processes pricing coalitions in parallel (0: in this thread). The app uses
        at least one, so its window never waits for the interpreter lock. The pool is
        started when more than one coalition needs pricing and stopped by
        ``close()`` (or leaving a ``with`` block). Scripts need the
        ``if __name__ == "__main__":`` guard; a frozen build must call
        ``multiprocessing.freeze_support()`` at start-up.
    deadline : float, optional
        Wall-clock time (``time.time()``, shared with the worker processes) by which
        coalition designs should stop improving: past it each gets its construction only.
    """

    def __init__(
        self,
        project: Project,
        settings: DesignSettings | None = None,
        cancel: threading.Event | None = None,
        cache: dict[str, Standalone] | None = None,
        workers: int = 0,
        deadline: float | None = None,
    ):
        self.project = project
        self.settings = replace(settings or project.settings, method="quick")
        self.cancel = cancel or threading.Event()
        self.cache = {} if cache is None else cache
        self.workers = max(0, workers)
        self.deadline = deadline
        self._used: dict[frozenset[str], Standalone] = {}
        #: The cache keys of every coalition priced or found in the cache in this run.
        self.keys: set[str] = set()
        self._fixed: dict[frozenset[str], Standalone] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._grand: DesignProblem | None = None  # the region's problem, which coalitions' are cut from

    def __len__(self) -> int:
        """Coalitions priced or fixed in this run."""
        return len(self._used)

    def __iter__(self):
        return iter(self._used.values())

    def __enter__(self) -> CoalitionCosts:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def fix(self, network: Standalone) -> None:
        """Use ``network`` as its coalition's answer (the actual shared design for all partners)."""
        self._fixed[network.members] = self._used[network.members] = network

    def cost(self, members: Iterable[str]) -> int:
        return self.network(members).cost

    def network(self, members: Iterable[str]) -> Standalone:
        """The standalone network of the partners ``members``."""
        key = frozenset(members)
        self.prefetch([key])
        return self._used[key]

    def prefetch(self, coalitions: Iterable[Iterable[str]], keep_going: Callable[[int], bool] | None = None) -> bool:
        """Price every coalition of ``coalitions`` not priced yet, in parallel when there are workers.

        After each one, ``keep_going(done)`` may stop the rest by returning ``False``
        (coalitions already priced stay cached). Returns whether all were priced.
        """
        todo: dict[str, frozenset[str]] = {}
        for members in coalitions:
            key = frozenset(members)
            if key in self._used:
                continue
            fingerprint = self._fingerprint(key)
            self.keys.add(fingerprint)
            if fingerprint in self.cache:
                self._used[key] = self.cache[fingerprint]
            else:
                todo.setdefault(fingerprint, key)
        done = len(self._used)
        priced = self._in_workers(todo) if self.workers and len(todo) > 1 else self._here(todo)
        try:
            for fingerprint, network in priced:
                self.cache[fingerprint] = self._used[todo[fingerprint]] = network
                done += 1
                if keep_going is not None and not keep_going(done):
                    return False
        finally:
            priced.close()  # a stopped run cancels the coalitions not started
        return True

    def _here(self, todo: dict[str, frozenset[str]]) -> Iterator[tuple[str, Standalone]]:
        for fingerprint, key in todo.items():
            yield fingerprint, self._price(key)

    def _in_workers(self, todo: dict[str, frozenset[str]]) -> Iterator[tuple[str, Standalone]]:
        """Results in the order they finish, so a slow coalition holds up no other."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),  # never fork a process running Qt threads
                initializer=_start_worker,
                initargs=(self.project, self.settings, self.deadline),
            )
        items = list(todo.items())
        largest = min(_BATCH, _BATCH_SITES // max(1, len(self.project.sites)))
        if has_traffic(self.project):  # each coalition's capacity search takes a few tenths of a second
            largest = min(largest, _TRAFFIC_BATCH)
        size = max(1, min(largest, len(items) // (4 * self.workers)))  # fewer messages, yet shared out fairly
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        futures = {self._pool.submit(_price_in_worker, [key for _, key in batch]): batch for batch in batches}
        try:
            for future in as_completed(futures):
                if self.cancel.is_set():
                    raise DesignCancelled()
                for (fingerprint, _), network in zip(futures[future], future.result(), strict=True):
                    yield fingerprint, network
        finally:
            for future in futures:
                future.cancel()

    def _fingerprint(self, members: frozenset[str]) -> str:
        """Everything the coalition's network depends on (site names do not count), hashed."""
        own = self._own(members)
        parts = (
            PRICING_VERSION,
            sorted(members),
            tuple((s.id, s.partner, s.lon, s.lat, s.role, s.demand_mbps) for s in own.sites),
            own.tariff,
            self.settings,
            bool(self.project.quotes),
            own.quotes,
            own.demands,
            own.existing_links,
            own.forbidden_links,
            own.exclusion_zones,
            own.risk_groups,
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def _own(self, members: frozenset[str]) -> Project:
        """The project cut down to ``members``: their sites (and the traffic they send to their own hubs),
        the quotes, demands, owned links and forbidden links among them."""
        p = self.project
        sites = [s for s in p.sites if s.partner in members]
        ids = {s.id for s in sites}

        def inside(a: str, b: str) -> bool:
            return a in ids and b in ids

        return Project(
            name=p.name,
            partners=[x for x in p.partners if x.id in members],
            sites=sites,
            tariff=p.tariff,
            quotes=[q for q in p.quotes if inside(q.a, q.b)],
            demands=[d for d in p.demands if inside(d.a, d.b)],
            existing_links=[e for e in p.existing_links if e.owner in members and inside(e.a, e.b)],
            forbidden_links=[(a, b) for a, b in p.forbidden_links if inside(a, b)],
            exclusion_zones=list(p.exclusion_zones),
            risk_groups=groups_within(p.risk_groups, ids),
            settings=self.settings,
        )

    # -- pricing one coalition ------------------------------------------------------
    def _price(self, members: frozenset[str]) -> Standalone:
        required = tuple(sorted(s.id for s in self.project.sites if s.partner in members and s.role != "optional"))
        if len(required) <= 1:
            return Standalone(members, required, 0, 0, (), "none", "one site or none: no circuits needed")
        price = self._pair if len(required) == 2 else self._design
        try:
            return price(members, required, self._sub_project(members, relaxed=False), True)
        except InfeasibleError:
            network = price(members, required, self._sub_project(members, relaxed=True), False)
            note = "priced on the tariff: the project's permitted links cannot connect these sites alone"
            if self.project.risk_groups:
                note += " (or survive its shared-risk groups), so priced without the groups"
            return replace(network, note=note)

    def _sub_project(self, members: frozenset[str], relaxed: bool) -> Project:
        """The coalition's own project; ``relaxed``: priced on the tariff for every pair, nothing forbidden."""
        own = self._own(members)
        if relaxed:
            return replace(own, quotes=[], forbidden_links=[], exclusion_zones=[], risk_groups=[])
        if self.project.quotes and not own.quotes:  # with no quotes the sub-project would price every pair
            raise InfeasibleError("no carrier quote joins these sites")
        return own

    def _problem(self, sub: Project, restrictable: bool) -> DesignProblem:
        """The coalition's design problem: the region's cut down when that is the same, else built afresh."""
        if restrictable:
            if self._grand is None:
                self._grand = build_problem(self.project, self.settings)
            restricted = restrict_problem(self._grand, sub)
            if restricted is not None:
                return restricted
        return build_problem(sub, self.settings)

    def _pair(self, members: frozenset[str], required: tuple[str, ...], sub: Project, restrictable: bool) -> Standalone:
        """Two sites: one link (``tree``), or two on separate routes each carrying all their traffic."""
        a, b = required
        problem = self._problem(sub, restrictable)
        edge = problem.graph.get_edge_data(a, b)
        if edge is None:
            raise InfeasibleError(f"no permitted link joins {a} and {b}")
        load = sum(f.mbps for f in problem.flows)
        choices = [edge["prices"]]
        if self.settings.redundancy != "tree":  # the diverse second circuit is a new one
            choices.append(tuple(p for p in edge["prices"] if p[2] != "existing"))
        cost = 0
        for number, prices in enumerate(choices):
            option = cheapest_option(prices, load, self.settings.max_utilisation, sub.tariff.term_years)
            if option is None:
                raise InfeasibleError(f"no {'new ' if number else ''}link may join {a} and {b} for its traffic")
            cost += option.total(sub.tariff.term_years)
        return Standalone(members, required, cost, cost, ((a, b),) * len(choices), "pair")

    def _design(
        self, members: frozenset[str], required: tuple[str, ...], sub: Project, restrictable: bool
    ) -> Standalone:
        if self.cancel.is_set():
            raise DesignCancelled()
        problem = self._problem(sub, restrictable)
        limit = self.settings.time_limit
        if self.deadline is not None:  # past it, each coalition gets its construction and little more
            limit = min(limit, max(0.05, self.deadline - time.time()))
        solution, sizing = solve_problem(problem, Control(limit, cancel_event=self.cancel))
        # what Standalone.of_design would read off the design, without making its schedule
        links = tuple(sorted(pair_key(u, v) for u, v in solution.edges))
        lower_bound = min(solution.lower_bound, sizing.cost)
        return Standalone(members, tuple(sorted(problem.required)), sizing.cost, lower_bound, links, solution.method)


_WORKER: CoalitionCosts | None = None


def _start_worker(project: Project, settings: DesignSettings, deadline: float | None) -> None:
    global _WORKER
    _WORKER = CoalitionCosts(project, settings, deadline=deadline)


def _price_in_worker(coalitions: list[frozenset[str]]) -> list[Standalone]:
    assert _WORKER is not None
    return [_WORKER._price(members) for members in coalitions]


# -- allocation arithmetic ------------------------------------------------------------
def round_shares(exact: dict[str, Fraction], total: int) -> dict[str, int]:
    """Whole-pence shares adding up to ``total``: round down, then a penny each to the largest remainders.

    Ties go to the partner listed first, so the result is deterministic.

    >>> round_shares({"a": Fraction(10, 3), "b": Fraction(10, 3), "c": Fraction(10, 3)}, 10)
    {'a': 4, 'b': 3, 'c': 3}
    """
    if sum(exact.values()) != total:
        raise ValueError(f"exact shares add up to {sum(exact.values())}, not {total}")
    floors = {k: math.floor(v) for k, v in exact.items()}
    order = sorted(exact, key=lambda k: -(exact[k] - floors[k]))  # stable: ties keep the listed order
    for k in order[: total - sum(floors.values())]:
        floors[k] += 1
    return floors


def _pro_rata(weights: dict[str, int], total: int) -> dict[str, Fraction]:
    """``total`` split in proportion to ``weights`` (equally when every weight is nil)."""
    whole = sum(weights.values())
    if whole == 0:
        return {k: Fraction(total, len(weights)) for k in weights}
    return {k: Fraction(total * w, whole) for k, w in weights.items()}


def _masks(players: list[str]) -> Callable[[int], frozenset[str]]:
    return lambda mask: frozenset(p for i, p in enumerate(players) if mask >> i & 1)


def _shapley_exact(
    players: list[str], costs: CoalitionCosts, control: Control, seed: int
) -> dict[str, Fraction] | None:
    """Exact Shapley shares, from the cost of every coalition by bit mask over ``players``.

    ``None`` when, judged from the rate so far, the coalitions left would not be
    priced in the time left: coalitions are priced in a shuffled order so the
    first ones are a fair sample of all sizes.
    """
    n = len(players)
    members = _masks(players)
    value = [0] * (1 << n)
    order = list(range(1, 1 << n))
    random.Random(seed).shuffle(order)
    timed_from: tuple[int, float] | None = None  # the first coalition priced, once any worker has started

    def keep_going(done: int) -> bool:
        nonlocal timed_from
        control.report(done / len(order), f"Pricing coalitions: {done:,} of {len(order):,}")
        now = time.monotonic()
        timed_from = timed_from or (done, now)
        since, then = timed_from
        rest = (now - then) / (done - since) * (len(order) - done) if done - since >= _PROBE else 0.0
        return not control.expired() and rest <= control.remaining()

    if control.expired() or not costs.prefetch((members(mask) for mask in order), keep_going):
        return None
    for mask in order:
        value[mask] = costs.cost(members(mask))
    weight = [math.factorial(s) * math.factorial(n - s - 1) for s in range(n)]
    shares = {}
    for i, p in enumerate(players):
        bit = 1 << i
        total = sum(
            weight[mask.bit_count()] * (value[mask | bit] - value[mask]) for mask in range(1 << n) if not mask & bit
        )
        shares[p] = Fraction(total, math.factorial(n))
    return shares


def _shapley_sampled(
    players: list[str], costs: CoalitionCosts, control: Control, permutations: int, seed: int
) -> tuple[dict[str, Fraction], int, int]:
    """Shapley estimates from antithetic pairs of random join orders, the 95 % half-width, and the orders used.

    Stops when the time is up, however few pairs are done; raises ``PlannerError``
    when fewer than two pairs, the least that says how close the estimate is, were priced in time.
    """
    rng = random.Random(seed)
    pairs = max(1, permutations // 2)
    sums = dict.fromkeys(players, 0)
    squares = dict.fromkeys(players, 0)
    done = 0
    for k in range(pairs):
        control.report(k / pairs, f"Sampling join orders: {2 * k} of {2 * pairs}")
        order = players[:]
        rng.shuffle(order)
        coalitions = [frozenset(sequence[:i]) for sequence in (order, order[::-1]) for i in range(1, len(order))]
        if control.expired() or not costs.prefetch(coalitions, lambda _: not control.expired()):
            break
        pair_total = dict.fromkeys(players, 0)
        for sequence in (order, order[::-1]):
            joined: frozenset[str] = frozenset()
            before = 0
            for p in sequence:
                joined |= {p}
                after = costs.cost(joined)
                pair_total[p] += after - before
                before = after
        for p in players:
            sums[p] += pair_total[p]
            squares[p] += pair_total[p] ** 2
        done += 1
    if done < 2:
        raise PlannerError(
            f"pricing the partners' own networks needs more than the {control.time_limit:g} s allowed "
            "for a region this size: allow more time for cost sharing"
        )
    shares = {p: Fraction(sums[p], 2 * done) for p in players}
    worst = 0.0
    for p in players:  # the pair means x/2 are independent draws
        variance = (squares[p] - sums[p] ** 2 / done) / 4 / (done - 1)
        worst = max(worst, 1.96 * math.sqrt(max(0.0, variance) / done))
    return shares, math.ceil(worst), 2 * done


def _priced(players: list[str], costs: CoalitionCosts) -> dict[int, int]:
    """The cost of every coalition priced so far, by bit mask over ``players``."""
    bit = {p: 1 << i for i, p in enumerate(players)}
    return {sum(bit[p] for p in network.members): network.cost for network in costs}


def _nucleolus(players: list[str], costs: CoalitionCosts, control: Control) -> tuple[Nucleolus, dict[int, int]]:
    """The nucleolus over the coalitions priced and the costs it used (see the module notes).

    Each partner alone and all partners but one are priced first; while coalitions are
    left unpriced and time lasts, those one partner away from the groups that overpay
    most are priced too, until none of them overpays more than the worst group priced.
    """
    n, grand = len(players), (1 << len(players)) - 1
    members = _masks(players)
    all_but_one = [members(grand ^ 1 << i) for i in range(n)] if n > 1 else []
    costs.prefetch([members(1 << i) for i in range(n)] + all_but_one)
    priced = _priced(players, costs)
    found = nucleolus(n, priced)
    for _ in range(_GENERATION_ROUNDS):
        if len(priced) == grand or control.expired():
            break
        worst = sorted((m for m in priced if m != grand), key=lambda m: -excess(m, found.shares, priced[m]))[:n]
        nearby = {m ^ 1 << i for m in worst for i in range(n)} - priced.keys() - {0, grand}
        control.report(1.0, f"Looking for groups of partners that would object: {len(nearby)} more")
        costs.prefetch((members(m) for m in nearby), lambda _: not control.expired())
        priced = _priced(players, costs)
        new = [m for m in nearby if m in priced]
        if not new or max(excess(m, found.shares, priced[m]) for m in new) <= found.least_core:
            break
        found = nucleolus(n, priced)
    return found, priced


def standalone_networks(
    project: Project,
    design: Design | None = None,
    control: Control | None = None,
    *,
    cache: dict[str, Standalone] | None = None,
) -> dict[str, Standalone]:
    """Each partner's own network, by partner id: what it would buy alone (the coalitions of one).

    The redundancy is ``design``'s (the project's when there is none), as in
    :func:`share_costs`, so the two share ``cache`` entries. Far quicker than the
    cost sharing: one small design per partner.

    Raises ``DesignCancelled`` when cancelled through ``control``.
    """
    control = control or Control(600.0)
    settings = replace(project.settings, redundancy=design.redundancy) if design else project.settings
    players = [p.id for p in project.partners]

    def keep_going(done: int) -> bool:
        control.report(done / len(players), f"Designing each partner's own network: {done} of {len(players)}")
        return True

    with CoalitionCosts(project, settings, control.cancel_event, cache) as costs:
        costs.prefetch(({p} for p in players), keep_going)
        return {p: costs.network({p}) for p in players}


def share_costs(
    project: Project,
    design: Design,
    control: Control | None = None,
    *,
    exact_up_to: int = EXACT_UP_TO,
    permutations: int = 400,
    seed: int = 2012,
    cache: dict[str, Standalone] | None = None,
    workers: int = 0,
) -> CostSharing:
    """Each partner's cost alone, the saving, and the shared cost of ``design`` split four ways.

    Parameters
    ----------
    project : Project
        The partnership ``design`` was made for.
    design : Design
        The shared design; its ``total_cost`` is the cost that is split.
    control : Control, optional
        Progress, cancel and the time limit for the whole computation (default 600 s).
    exact_up_to : int
        Largest number of partners for the exact Shapley value; more are sampled,
        and so are fewer when the exact value would not finish within the time limit.
    permutations : int
        Join orders to sample (in antithetic pairs) when sampling; fewer if time runs out.
    seed : int
        Seed of the sampler, so a sampled split is reproducible.
    cache : dict, optional
        Coalition networks kept from earlier runs (see :class:`CoalitionCosts`).
    workers : int
        Processes pricing coalitions in parallel (see :class:`CoalitionCosts`).

    Returns
    -------
    CostSharing

    Raises
    ------
    PlannerError
        When ``design`` is not for the project's current sites.
    DesignCancelled
        When cancelled through ``control``.

    Examples
    --------
    >>> from planner.core.model import Partner, Project, Site
    >>> from planner.design import design_project
    >>> p = Project(partners=[Partner("A", "A"), Partner("B", "B")], sites=[
    ...     Site("a1", "a1", "A", -1.5, 53.8), Site("a2", "a2", "A", -1.4, 53.4),
    ...     Site("b1", "b1", "B", -1.1, 53.9), Site("b2", "b2", "B", -1.0, 53.5)])
    >>> d = design_project(p)
    >>> s = share_costs(p, d)
    >>> sum(x.shares["shapley"] for x in s.partners) == d.total_cost, s.saving > 0
    (True, True)
    """
    started = time.monotonic()
    control = control or Control(600.0)
    required = {s.id for s in project.sites if s.role != "optional"}
    if set(design.sites) != required:
        raise PlannerError("the design is for a different set of sites than the project has now; design it again")
    players = [p.id for p in project.partners]
    if not players:
        raise PlannerError("the project has no partners to share the cost between")
    settings = replace(project.settings, redundancy=design.redundancy)
    grand = Standalone.of_design(frozenset(players), design)
    deadline = time.time() + control.remaining()
    # the Shapley value leaves time for what must follow it: the nucleolus's coalitions, the route saving
    shapley_control = control.leaving(_AFTER_SHAPLEY * control.remaining())
    nucleolus_control = control.leaving(_ROUTE_SAVING * control.remaining() if has_traffic(project) else 0.0)
    with CoalitionCosts(project, settings, control.cancel_event, cache, workers, deadline) as costs:
        costs.fix(grand)
        shapley = _shapley_exact(players, costs, shapley_control, seed) if len(players) <= exact_up_to else None
        exact = shapley is not None
        if exact:
            sampling_error, used = 0, 0
        else:
            shapley, sampling_error, used = _shapley_sampled(players, costs, shapley_control, permutations, seed)
        fair, priced = _nucleolus(players, costs, nucleolus_control)
        networks = {p: costs.network({p}) for p in players}
        value_error = max(n.cost - n.lower_bound for n in costs)
        coalitions, keys = len(costs), set(costs.keys)
        coalition_costs = {network.members: network.cost for network in costs}
    route_saving = None
    if has_traffic(project):
        route_saving, bare_keys = _route_saving(project, settings, players, control, cache, workers)
        keys |= bare_keys
    sites = {p: len(networks[p].sites) for p in players}
    total = design.total_cost
    exact_shares = {
        "shapley": shapley,
        "nucleolus": dict(zip(players, fair.shares, strict=True)),
        "standalone": _pro_rata({p: networks[p].cost for p in players}, total),
        "sites": _pro_rata(sites, total),
    }
    shares = {method: round_shares(exact_shares[method], total) for method in METHODS}
    priced.pop((1 << len(players)) - 1)
    core_excess = {m: int(largest_excess(len(players), priced, [shares[m][p] for p in players])) for m in METHODS}
    partners = tuple(PartnerShare(p, sites[p], networks[p].cost, {m: shares[m][p] for m in METHODS}) for p in players)
    control.report(1.0, "Cost sharing done")
    return CostSharing(
        shared_cost=total,
        partners=partners,
        networks=networks,
        names={p.id: p.name for p in project.partners},
        exact=exact,
        coalitions=coalitions,
        sampling_error=sampling_error,
        value_error=value_error,
        core_excess=core_excess,
        least_core=round(fair.least_core),
        core_checked=len(priced),
        seconds=time.monotonic() - started,
        permutations=used,
        exact_skipped=not exact and len(players) <= exact_up_to,
        route_saving=route_saving,
        coalition_keys=frozenset(keys),
        coalition_costs=coalition_costs,
    )


def _route_saving(
    project: Project,
    settings: DesignSettings,
    players: list[str],
    control: Control,
    cache: dict[str, Standalone] | None,
    workers: int,
) -> tuple[int, set[str]]:
    """What the partnership would save with no traffic: each partner's network alone and the shared one,
    designed again with every circuit at the smallest tier; and the cache keys of those networks."""
    free = replace(project, demands=[], sites=[replace(s, demand_mbps=0.0) for s in project.sites])
    control.report(1.0, "Separating the saving from routes and from capacity")
    deadline = time.time() + control.remaining()
    with CoalitionCosts(free, settings, control.cancel_event, cache, workers, deadline) as bare:
        bare.prefetch([{p} for p in players] + [players])
        return sum(bare.cost({p}) for p in players) - bare.cost(players), bare.keys
