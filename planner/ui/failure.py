"""What a failure chosen on the map does to the design on show: the map's failure view (no Qt).

A failure is a circuit cut, two (or more) circuits cut at once, a site lost (a fire, a power
cut: with every circuit there), or a shared-risk group lost (a duct, a bridge, an exchange:
every circuit of the design between its links' ends and at its sites). After it, the
required sites outside the part of the network holding most of them are cut off — the rule
of :mod:`planner.analysis.resilience`, so the map and the presenter agree.

>>> from planner.core.design_result import Design, DesignLink
>>> from planner.core.model import RiskGroup
>>> ring = [DesignLink(f"C{i}", a, b, 1.0, 2, 0, 0) for i, (a, b) in enumerate(["ab", "bc", "cd", "da"])]
>>> design = Design("2edge", tuple(ring), 0, 0, 5, sites=("a", "b", "c", "d"))
>>> failure_effect(design, FailureChoice(circuits=("C0",)))
FailureEffect(lost=('C0',), lost_sites=(), cut_off=())
>>> duct = RiskGroup.of("duct", [("a", "b"), ("c", "d"), ("a", "c")])
>>> failure_effect(design, FailureChoice(group="duct"), duct)
FailureEffect(lost=('C0', 'C2'), lost_sites=(), cut_off=('b', 'c'))
>>> failure_effect(design, FailureChoice(sites=("a",))).lost
('C0', 'C3')
>>> failure_effect(design, FailureChoice(circuits=("C0", "C2"))).cut_off
('b', 'c')
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.design_result import Design
from planner.core.model import RiskGroup, pair_key
from planner.core.words import plural, short_name

__all__ = ["FailureChoice", "FailureEffect", "failure_effect", "describe_failure"]


@dataclass(frozen=True)
class FailureChoice:
    """What fails together: circuits (by id), sites (by id), or the risk group called ``group``."""

    circuits: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    group: str = ""


@dataclass(frozen=True)
class FailureEffect:
    """The design's circuits ``lost`` (by id, in circuit order), the sites lost, and the required sites
    the rest can no longer reach (``cut_off``, sorted)."""

    lost: tuple[str, ...]
    lost_sites: tuple[str, ...]
    cut_off: tuple[str, ...]


def failure_effect(design: Design, choice: FailureChoice, group: RiskGroup | None = None) -> FailureEffect:
    """What losing ``choice`` does to ``design``; ``group`` is the risk group it names, if it names one.

    Circuits or sites the design does not have are lost to no effect. Who is cut off follows
    :func:`planner.analysis.resilience.cut_off_sites`. O(n + m) for ``n`` sites and ``m`` circuits.
    """
    # networkx, through the resilience module, is kept out of the app's start-up
    from planner.analysis.resilience import cut_off_sites, design_graph, required_sites

    pairs = set(group.links) if group is not None else set()
    lost_sites = set(choice.sites) | (set(group.sites) if group is not None else set())
    chosen = set(choice.circuits)
    lost = tuple(
        k.circuit_id
        for k in design.links
        if k.circuit_id in chosen or k.a in lost_sites or k.b in lost_sites or pair_key(k.a, k.b) in pairs
    )
    graph = design_graph(design)
    in_design = set(graph)
    gone = set(lost)
    graph.remove_edges_from((k.a, k.b) for k in design.links if k.circuit_id in gone)
    graph.remove_nodes_from(lost_sites)
    cut_off = cut_off_sites(graph, required_sites(design) - lost_sites)
    return FailureEffect(lost, tuple(sorted(lost_sites & in_design)), cut_off)


def describe_failure(choice: FailureChoice, effect: FailureEffect, names: dict[str, str]) -> str:
    """One line for the map: what was lost and who it cuts off (``names``: site names by id).

    >>> describe_failure(FailureChoice(circuits=("C7",)), FailureEffect(("C7",), (), ()), {})
    'Losing circuit C7: every site still reaches every other.'
    >>> describe_failure(FailureChoice(group="A1 bridge"), FailureEffect(("C1", "C2"), (), ("b",)), {"b": "York"})
    'Losing risk group ‘A1 bridge’ (circuits C1, C2) cuts off York.'
    >>> describe_failure(FailureChoice(group="Duct"), FailureEffect((), (), ()), {})
    'Losing risk group ‘Duct’ takes none of the design’s circuits.'
    >>> describe_failure(FailureChoice(sites=("a",)), FailureEffect(("C0", "C3"), ("a",), ()), {"a": "Leeds"})
    'Losing site Leeds (2 circuits): the other sites all still reach each other.'
    """
    if choice.group:
        what = f"risk group ‘{choice.group}’"
        if not effect.lost and not effect.lost_sites:
            return f"Losing {what} takes none of the design’s circuits."
        parts = []
        if effect.lost:
            parts.append(f"{_word('circuit', effect.lost)} {_listed(effect.lost)}")
        if effect.lost_sites:
            parts.append(f"{_word('site', effect.lost_sites)} {_names(effect.lost_sites, names)}")
        what += f" ({'; '.join(parts)})"
    elif choice.sites:
        what = f"{_word('site', choice.sites)} {_names(choice.sites, names)} ({plural(len(effect.lost), 'circuit')})"
    else:
        what = f"{_word('circuit', choice.circuits)} {_listed(choice.circuits)}"
    if effect.cut_off:
        return f"Losing {what} cuts off {_names(effect.cut_off, names)}."
    if effect.lost_sites:
        return f"Losing {what}: the other sites all still reach each other."
    return f"Losing {what}: every site still reaches every other."


def _word(noun: str, items: tuple[str, ...]) -> str:
    return noun if len(items) == 1 else f"{noun}s"


def _listed(items: tuple[str, ...], most: int = 6) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most:,} more" if len(items) > most else "")


def _names(site_ids: tuple[str, ...], names: dict[str, str]) -> str:
    return _listed(tuple(short_name(names.get(s, s)) for s in site_ids))
