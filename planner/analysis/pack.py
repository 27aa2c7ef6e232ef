"""Everything a procurement and board pack shows, computed once and shared by the XLSX and PDF writers.

``build_pack`` makes the tables (circuits, sites, partners, single and shared-risk
group failures, double failures), runs the cost sharing and the failure analysis, and
words the headline figures and notes, so the workbook and the board pack print the
same numbers and the same sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.analysis.failures import FailureAnalysis, analyse_failures
from planner.analysis.resilience import Failure
from planner.analysis.schedule import Table, circuit_table, dual_table, failure_table, partner_table, site_table
from planner.analysis.sharing import METHODS, CostSharing, share_costs
from planner.core.coalition import Standalone
from planner.core.design_result import Design
from planner.core.geo import geodesic_km
from planner.core.model import REDUNDANCY_LEVELS, Project
from planner.core.money import format_gbp
from planner.core.traffic import flows, has_traffic, traffic_key
from planner.core.words import plural
from planner.design import Control

__all__ = ["Pack", "SummaryLine", "build_pack", "failure_sentence", "design_matches"]


@dataclass(frozen=True)
class SummaryLine:
    """One headline figure: its label, raw value (money in pence), column kind and a note."""

    label: str
    value: Any
    kind: str = "text"
    note: str = ""


@dataclass(frozen=True)
class Pack:
    """The figures of one design's pack. Tables hold the rows; ``sharing`` the split of the cost;
    ``analysis`` every single, shared-risk group and double failure."""

    project: Project
    design: Design
    sharing: CostSharing
    analysis: FailureAnalysis
    circuits: Table
    sites: Table
    partners: Table
    failures: Table
    double_failures: Table
    when: dt.datetime

    @property
    def has_traffic(self) -> bool:
        """Whether the project states demands, so circuits are sized for them."""
        return has_traffic(self.project)

    @property
    def date_text(self) -> str:
        return f"{self.when.day} {self.when:%B %Y}"

    @property
    def level_text(self) -> str:
        level = self.design.redundancy
        return f"{REDUNDANCY_LEVELS.get(level, level)} ({level})"

    @property
    def subtitle(self) -> str:
        return f"Shared network: {self.level_text.lower()}. Prepared {self.date_text}."

    @property
    def quality_text(self) -> str:
        """How close to the cheapest possible design this one is proven to be."""
        d = self.design
        if d.proven_optimal:
            return "proven the cheapest possible"
        return f"at most {d.gap:.1%} above the cheapest possible (proven lower bound {format_gbp(d.lower_bound)})"

    @property
    def sharing_text(self) -> str:
        """How the Shapley value was computed."""
        s = self.sharing
        if s.exact:
            return f"Shapley value, exact over all {plural(s.coalitions, 'group')} of partners"
        return (
            f"Shapley value, estimated from {plural(s.permutations, 'join order')}, "
            f"±{format_gbp(s.sampling_error)} at 95% confidence"
        )

    @property
    def design_text(self) -> str:
        d = self.design
        return f"{d.method}, {'verified independently' if d.verified else 'NOT verified'}"

    @property
    def failures_found(self) -> tuple[Failure, ...]:
        """The single failures: each circuit, and each site for ``2node``."""
        return self.analysis.singles

    @property
    def failure_text(self) -> str:
        return failure_sentence(self.failures_found)

    def summary_lines(self) -> list[SummaryLine]:
        """The headline figures, in the order the Summary sheet lists them."""
        d, s = self.design, self.sharing
        return [
            SummaryLine("Partnership", self.project.name),
            SummaryLine("Prepared", f"{self.date_text} {self.when:%H:%M}"),
            SummaryLine("Redundancy", self.level_text),
            SummaryLine("Partners", len(self.project.partners), "int"),
            SummaryLine("Sites connected", len(d.sites), "int"),
            SummaryLine("Circuits", len(d.links), "int"),
            SummaryLine("Route km", d.route_km, "int", "chargeable route distance of all circuits"),
            SummaryLine("Installation (one-off)", d.install_cost, "gbp"),
            SummaryLine("Annual rental", d.annual_cost, "gbp"),
            SummaryLine("Term (years)", d.term_years, "int"),
            SummaryLine("Total over term", d.total_cost, "gbp", "installation + term x annual rental"),
            SummaryLine(
                "Partners' own networks together",
                s.standalone_total,
                "gbp",
                "each partner alone: same redundancy, tariff and rules, its own sites only",
            ),
            SummaryLine("Saving from sharing", s.saving, "gbp", "negative: the shared network costs more"),
            SummaryLine("Saving from sharing (%)", s.saving_fraction, "percent"),
            *self._traffic_lines(),
            SummaryLine(
                "Design", f"{d.method}, {'verified' if d.verified else 'NOT verified'}", note=self.quality_text
            ),
            SummaryLine("Single-failure check", self.failure_text),
            SummaryLine(
                "Failures survived",
                self.analysis.summary,
                note="survives: every site not lost still reaches every other (Resilience and Double failures sheets)",
            ),
            SummaryLine(
                "Cost sharing",
                self.sharing_text,
                note=f"coalition costs by the heuristic: each share within {format_gbp(s.value_error)} "
                "of the Shapley share of optimal costs",
            ),
            SummaryLine("Split agreed", METHODS[self.method], note=self.method_note),
            SummaryLine(
                "Groups of partners checked",
                s.core_checked,
                "int",
                f"of {s.every_coalition:,} that could build a network of their own",
            ),
            SummaryLine(
                "Least-core value",
                s.least_core,
                "gbp",
                "the least that the group gaining most by leaving must gain, whatever the split: "
                "0 or less means some split leaves no group better off alone",
            ),
            *(
                SummaryLine(f"In the core: {label}", "yes" if s.in_core(m) else "no", note=self._core_note(m))
                for m, label in METHODS.items()
            ),
        ]

    @property
    def method(self) -> str:
        """The split the board agreed: the project's choice, or the recommended one."""
        return self.sharing.chosen(self.project.sharing_method)

    @property
    def method_note(self) -> str:
        if self.project.sharing_method != "auto":
            return "chosen by the partnership"
        if self.method == "shapley":
            return "recommended: the Shapley value leaves no group of partners paying more than alone"
        return "recommended: under the Shapley value some group of partners would pay more than alone"

    @property
    def fairness_text(self) -> str:
        """Why the agreed split is fair, or where it is not, in plain words for the board ("" when the core
        is empty: the sharing's warnings say so)."""
        s, method = self.sharing, self.method
        label = METHODS[method]
        groups = f"{s.checked_text} checked"
        if s.least_core > 0:
            return ""
        if not s.in_core(method):
            return (
                f"Under the agreed split, the {label.lower()}, a group of partners would pay "
                f"{format_gbp(s.core_excess[method])} less by building its own network; under the nucleolus "
                f"no group would ({groups})."
            )
        why = {
            "shapley": " Each partner pays its average extra cost over every order in which the partners could "
            "have joined.",
            "nucleolus": " Of all such splits, the nucleolus leaves the group closest to leaving as far from it "
            "as possible.",
        }.get(method, "")
        return (
            f"The agreed split, the {label.lower()}, is fair in this sense: no partner and no group of partners would "
            f"pay less by building its own network ({groups}), so none has a reason to leave.{why}"
        )

    def _core_note(self, method: str) -> str:
        excess = self.sharing.core_excess[method]
        if excess > 0:
            return f"a group of partners would pay {format_gbp(excess)} less by going alone"
        return f"every group checked pays at least {format_gbp(-excess)} less than alone"

    def _traffic_lines(self) -> list[SummaryLine]:
        """With traffic: what it is, how full the busiest circuit gets, and where the saving comes from."""
        if not self.has_traffic:
            return []
        d, s = self.design, self.sharing
        busiest = max(d.links, key=lambda k: k.worst_utilisation, default=None)
        lines = [
            SummaryLine("Traffic", self.traffic_text),
            SummaryLine(
                "Busiest circuit after any failure",
                busiest.worst_utilisation if busiest else 0.0,
                "percent",
                f"{busiest.circuit_id}, {busiest.bandwidth}, after losing {busiest.worst_failure or 'nothing'}"
                if busiest
                else "",
            ),
        ]
        if d.sized_topology_cost is not None:
            lines.append(
                SummaryLine(
                    "Cheapest-route design, sized",
                    d.sized_topology_cost,
                    "gbp",
                    "the design cheapest in kilometres, with each circuit sized for its traffic: what optimising "
                    "routes and capacity together saves against it",
                )
            )
        if s.capacity_saving is not None:
            lines += [
                SummaryLine("Saving from sharing routes", s.route_saving, "gbp", "what sharing saves with no traffic"),
                SummaryLine(
                    "Saving from sharing capacity",
                    s.capacity_saving,
                    "gbp",
                    "the rest: partners' traffic on fewer, faster circuits at a lower price per Mb/s",
                ),
            ]
        return lines

    @property
    def traffic_text(self) -> str:
        """The traffic in a line: how many demands, how much in all, and the utilisation limit."""
        traffic = flows(self.project)
        total = sum(f.mbps for f in traffic)
        limit = self.project.settings.max_utilisation
        return (
            f"{plural(len(traffic), 'demand')}, {total:,.0f} Mb/s in all, each way; every circuit sized to stay "
            f"within {limit:.0%} of its capacity after any failure the design survives"
        )

    def notes(self) -> list[str]:
        """Sentences the board must read: who pays more than alone, where the saving comes from, and anything
        the failures cut off."""
        notes = [text for text in (self.fairness_text,) if text] + self.sharing.warnings()
        s = self.sharing
        if s.capacity_saving is not None and s.saving > 0:
            notes.append(
                f"Of the {format_gbp(s.saving)} saving, {format_gbp(s.capacity_saving)} comes from sharing capacity "
                f"(partners' traffic on fewer, faster circuits) and {format_gbp(s.route_saving)} from sharing routes."
            )
        if s.capacity_saving is not None and s.capacity_saving < 0:
            notes.append(
                f"Carrying the traffic costs the shared network {format_gbp(-s.capacity_saving)} more than it costs "
                "the partners' own networks: its circuits also carry other partners' traffic round every failure, "
                "and any traffic between partners, which no partner's own network carries."
            )
        bad = [f for f in self.failures_found if not f.connected]
        if bad:
            worst = max(bad, key=lambda f: len(f.cut_off))
            what = "circuit" if worst.kind == "link" else "site"
            notes.append(
                f"{failure_sentence(self.failures_found)}; the worst, losing {what} {worst.element}, "
                f"cuts off {len(worst.cut_off)} of {len(self.design.sites)} sites."
            )
        groups = self.analysis.groups
        bad = [f for f in groups if not f.connected]
        if bad:
            worst = max(bad, key=lambda f: len(f.cut_off))
            unplanned = not {f.element for f in bad} & set(self.design.risk_groups)
            notes.append(
                f"{len(bad)} of {plural(len(groups), 'shared-risk group')} cut sites off when lost; the worst, "
                f"{worst.element}, cuts off {len(worst.cut_off)} of {len(self.design.sites)} sites."
                + (" The design was not made to survive them." if unplanned else "")
            )
        return notes


def failure_sentence(failures: tuple[Failure, ...] | list[Failure]) -> str:
    """One line for the board, e.g. ``All 53 single circuit failures leave everyone connected``."""
    if not failures:
        return "No circuits to fail"
    links = sum(f.kind == "link" for f in failures)
    sites = len(failures) - links
    what = (
        f"{len(failures)} single failures ({links} circuits, {sites} sites)"
        if sites
        else f"{links} single circuit failures"
    )
    bad = sum(not f.connected for f in failures)
    return f"All {what} leave everyone connected" if not bad else f"{bad} of {what} cut sites off"


def build_pack(
    project: Project,
    design: Design,
    control: Control | None = None,
    *,
    sharing: CostSharing | None = None,
    when: dt.datetime | None = None,
    workers: int = 0,
    cache: dict[str, Standalone] | None = None,
) -> Pack:
    """The figures of the pack for ``design``; cost sharing (the slow part) runs under ``control``.

    ``sharing`` reuses a split already computed; ``workers`` are processes for computing it,
    ``cache`` the coalition networks priced before (see ``share_costs``).
    """
    circuits = circuit_table(project, design)
    sharing = sharing or share_costs(project, design, control, workers=workers, cache=cache)
    analysis = analyse_failures(project, design)
    return Pack(
        project=project,
        design=design,
        sharing=sharing,
        analysis=analysis,
        circuits=circuits,
        sites=site_table(project, design),
        partners=partner_table(project, sharing),
        failures=failure_table(project, design, analysis),
        double_failures=dual_table(project, design, analysis),
        when=when or dt.datetime.now().replace(microsecond=0),
    )


def design_matches(project: Project, design: Design, tolerance_km: float = 0.001) -> bool:
    """Whether ``design`` is still a design of ``project``: the same sites to connect, at the same places,
    sized for the same traffic.

    A design saved before sites were added, removed or moved, or before the demands, the
    utilisation limit or the tiers changed, is out of date: its figures would not match the
    project's, so it must be designed again.
    """
    if design.traffic_key != traffic_key(project):
        return False
    sites = project.sites_by_id
    if set(design.sites) != {s.id for s in project.sites if s.role != "optional"}:
        return False
    for k in design.links:
        if k.a not in sites or k.b not in sites:
            return False
        a, b = sites[k.a], sites[k.b]
        if abs(geodesic_km(a.lon, a.lat, b.lon, b.lat) - k.distance_km) > tolerance_km:
            return False
    return True
