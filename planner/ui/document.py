"""The Qt-side document: the pure ``Project`` plus its file, selection and shown design, as signals.

This is the evented model. Widgets read the project through it and change it only through
the :class:`~planner.ui.editor.ProjectEditor`, which builds undo commands; the primitive
setters below, which only those commands call, replace immutable values and emit one
signal each, so every view refreshes exactly what changed. Nothing here computes a cost:
designs come from the engine through :class:`~planner.ui.design_runner.DesignRunner`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

from planner.core.design_result import Design, DesignLink
from planner.core.model import Demand, DesignSettings, Partner, Project, RiskGroup, Scenario, Site
from planner.core.tariff import Tariff

__all__ = ["ProjectDocument", "Selection", "DesignsState", "format_mbps"]


def format_mbps(mbps: float) -> str:
    """A rate as the app writes it: ``2,500``, ``0.5``, ``12.25`` (Mb/s left to the caller).

    >>> format_mbps(2500.0), format_mbps(0.5), format_mbps(12.25), format_mbps(1e7)
    ('2,500', '0.5', '12.25', '10,000,000')
    """
    if mbps == int(mbps):
        return f"{int(mbps):,}"
    return f"{mbps:,.3f}".rstrip("0").rstrip(".")


class Selection(QObject):
    """The selected sites, circuits, no-go areas (by index) and risk groups (by name), shared by the map
    and the panels."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.sites: frozenset[str] = frozenset()
        self.circuits: frozenset[str] = frozenset()
        self.zones: frozenset[int] = frozenset()
        self.groups: frozenset[str] = frozenset()

    def set(
        self,
        sites: Iterable[str] = (),
        circuits: Iterable[str] = (),
        zones: Iterable[int] = (),
        groups: Iterable[str] = (),
    ) -> None:
        new = frozenset(sites), frozenset(circuits), frozenset(zones), frozenset(groups)
        if new != (self.sites, self.circuits, self.zones, self.groups):
            self.sites, self.circuits, self.zones, self.groups = new
            self.changed.emit()

    def clear(self) -> None:
        self.set()


class DesignsState(NamedTuple):
    """The designs kept in the project and the one on show, as an undo step restores them."""

    designs: tuple[Design, ...]
    shown: Design | None
    current: bool


class ProjectDocument(QObject):
    """One open project: its data, file path, selection and shown design."""

    project_replaced = Signal()  # a new or opened project: every view rebuilds
    sites_changed = Signal()  # sites added or removed
    site_changed = Signal(str)  # one site's value replaced (moved, renamed, …)
    partners_changed = Signal()
    tariff_changed = Signal()
    settings_changed = Signal()
    name_changed = Signal()
    sharing_method_changed = Signal()  # the board chose another split of the shared cost
    path_changed = Signal()
    #: One of the lists ``quotes``, ``existing_links``, ``forbidden_links``, ``exclusion_zones`` was replaced.
    constraints_changed = Signal(str)
    demands_changed = Signal()  # the pair demands were replaced (a site's own traffic is ``site_changed``)
    scenarios_changed = Signal()  # the what-if scenarios were replaced (they change no design)
    risk_groups_changed = Signal()  # the shared-risk groups were replaced
    inputs_changed = Signal()  # anything a design depends on: the design is now stale
    design_changed = Signal()  # the shown design, or whether it is current, changed

    def __init__(self, project: Project | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.selection = Selection(self)
        self.project = project or Project()
        self.path: Path | None = None
        #: Counts changes to the design inputs, so a result for older inputs is recognised.
        self.revision = 0
        self._design: Design | None = self.project.current_design
        self._design_current = self._design is not None

    # -- whole project ------------------------------------------------------------------
    def replace_project(self, project: Project, path: Path | None = None) -> None:
        """Show another project (New/Open): the selection starts afresh."""
        self.project, self.path = project, path
        self.selection.clear()
        self.revision += 1
        self._design = project.current_design
        self._design_current = self._design is not None
        self.project_replaced.emit()
        self.path_changed.emit()
        self.design_changed.emit()

    def set_path(self, path: Path) -> None:
        self.path = path
        self.path_changed.emit()

    # -- the shown design -------------------------------------------------------------
    @property
    def design(self) -> Design | None:
        """The design on show: current, or the last one while a new one is being made."""
        return self._design

    def design_link(self, circuit_id: str) -> DesignLink | None:
        """The circuit ``circuit_id`` of the design on show, or ``None`` (no design, or not in it)."""
        return self._design.find_link(circuit_id) if self._design is not None else None

    @property
    def design_current(self) -> bool:
        """Whether the shown design was made for the inputs as they are now."""
        return self._design_current

    def accept_design(self, design: Design, revision: int) -> bool:
        """Show ``design`` if it was made for the current inputs (``revision``); keep it in the project."""
        if revision != self.revision:
            return False
        self.project.record_design(design)
        self._design, self._design_current = design, True
        self.design_changed.emit()
        return True

    def designs_state(self) -> DesignsState:
        """What :meth:`restore_designs` puts back: the project's designs and the one on show."""
        return DesignsState(tuple(self.project.designs), self._design, self._design_current)

    def restore_designs(self, state: DesignsState) -> None:
        """Put back the designs an undo step kept for the inputs as they are again now."""
        self.project.designs = list(state.designs)
        self._design, self._design_current = state.shown, state.current
        self.design_changed.emit()

    @property
    def sites_by_id(self) -> dict[str, Site]:
        return self.project.sites_by_id

    def _inputs_changed(self) -> None:
        self.revision += 1
        # Designs made for the old inputs no longer hold; circuit ids are kept for ever.
        self.project.designs = []
        if self._design_current:
            self._design_current = False
            self.design_changed.emit()
        self.inputs_changed.emit()

    # -- primitive setters: only undo commands call these --------------------------------
    def set_site(self, site: Site) -> Site:
        """Replace the site with ``site.id``; returns the old value."""
        index = self._site_index(site.id)
        old = self.project.sites[index]
        self.project.sites[index] = site
        self.site_changed.emit(site.id)
        self._inputs_changed()
        return old

    def insert_site(self, index: int, site: Site) -> None:
        self.project.sites.insert(index, site)
        self.sites_changed.emit()
        self._inputs_changed()

    def remove_site(self, site_id: str) -> tuple[int, Site]:
        index = self._site_index(site_id)
        site = self.project.sites.pop(index)
        if site_id in self.selection.sites:
            selection = self.selection
            selection.set(selection.sites - {site_id}, selection.circuits, selection.zones, selection.groups)
        self.sites_changed.emit()
        self._inputs_changed()
        return index, site

    def set_partner(self, partner: Partner) -> Partner:
        index = next(i for i, p in enumerate(self.project.partners) if p.id == partner.id)
        old = self.project.partners[index]
        self.project.partners[index] = partner
        self.partners_changed.emit()
        return old

    def insert_partner(self, index: int, partner: Partner) -> None:
        self.project.partners.insert(index, partner)
        self.partners_changed.emit()

    def remove_partner(self, partner_id: str) -> tuple[int, Partner]:
        index = next(i for i, p in enumerate(self.project.partners) if p.id == partner_id)
        partner = self.project.partners.pop(index)
        self.partners_changed.emit()
        return index, partner

    def set_tariff(self, tariff: Tariff) -> Tariff:
        old, self.project.tariff = self.project.tariff, tariff
        self.tariff_changed.emit()
        self._inputs_changed()
        return old

    def set_settings(self, settings: DesignSettings) -> DesignSettings:
        old, self.project.settings = self.project.settings, settings
        self.settings_changed.emit()
        self._inputs_changed()
        return old

    def set_sharing_method(self, method: str) -> str:
        old, self.project.sharing_method = self.project.sharing_method, method
        self.sharing_method_changed.emit()
        return old

    def set_scenarios(self, scenarios: list[Scenario]) -> list[Scenario]:
        """Replace the what-if scenarios; returns the old list."""
        old, self.project.scenarios = self.project.scenarios, list(scenarios)
        self.scenarios_changed.emit()
        return old

    def set_name(self, name: str) -> str:
        old, self.project.name = self.project.name, name
        self.name_changed.emit()
        return old

    def set_sites(self, sites: list[Site]) -> list[Site]:
        """Replace every site at once (an import); returns the old list."""
        old, self.project.sites = self.project.sites, list(sites)
        ids = self.sites_by_id
        selection = self.selection
        selection.set([s for s in selection.sites if s in ids], selection.circuits, selection.zones, selection.groups)
        self.sites_changed.emit()
        self._inputs_changed()
        return old

    def set_partners(self, partners: list[Partner]) -> list[Partner]:
        old, self.project.partners = self.project.partners, list(partners)
        self.partners_changed.emit()
        return old

    def set_demands(self, demands: list[Demand]) -> list[Demand]:
        """Replace the pair demands; returns the old list."""
        old, self.project.demands = self.project.demands, list(demands)
        self.demands_changed.emit()
        self._inputs_changed()
        return old

    def set_risk_groups(self, groups: list[RiskGroup]) -> list[RiskGroup]:
        """Replace the shared-risk groups; returns the old list. A selected group that is gone is unselected."""
        old, self.project.risk_groups = self.project.risk_groups, list(groups)
        selection = self.selection
        if selection.groups:
            names = {g.name for g in groups}
            kept = [name for name in selection.groups if name in names]
            selection.set(selection.sites, selection.circuits, selection.zones, kept)
        self.risk_groups_changed.emit()
        self._inputs_changed()
        return old

    def set_list(self, attribute: str, values: list) -> list:
        """Replace one of the project's link lists (quotes, existing or forbidden links), its no-go areas,
        or its demands or risk groups (which :meth:`set_demands` and :meth:`set_risk_groups` replace)."""
        if attribute == "demands":
            return self.set_demands(values)
        if attribute == "risk_groups":
            return self.set_risk_groups(values)
        old = getattr(self.project, attribute)
        setattr(self.project, attribute, list(values))
        if attribute == "exclusion_zones" and self.selection.zones:  # indices may now name other areas
            self.selection.set(self.selection.sites, self.selection.circuits, groups=self.selection.groups)
        self.constraints_changed.emit(attribute)
        self._inputs_changed()
        return old

    def _site_index(self, site_id: str) -> int:
        for i, s in enumerate(self.project.sites):
            if s.id == site_id:
                return i
        raise KeyError(site_id)
