"""Persistent settings (isolated per test) and label placement."""

from __future__ import annotations

from planner.core.tariff import Tariff
from planner.ui.map.labels import place_labels
from planner.ui.settings import MAX_RECENT


def test_recent_files_newest_first_and_only_existing(settings, tmp_path):
    paths = []
    for n in range(MAX_RECENT + 2):
        path = tmp_path / f"p{n}.json"
        path.write_text("{}")
        settings.add_recent_file(path)
        paths.append(str(path.resolve()))
    settings.add_recent_file(paths[-3])
    assert settings.recent_files[:2] == [paths[-3], paths[-1]]
    assert len(settings.recent_files) == MAX_RECENT
    (tmp_path / f"p{MAX_RECENT + 1}.json").unlink()
    assert paths[-1] not in settings.recent_files


def test_last_tariff_round_trips_and_survives_garbage(settings):
    tariff = Tariff().with_changes(rental_per_km=5150, term_years=7, min_tier="10G")
    settings.last_tariff = tariff
    assert settings.last_tariff == tariff
    settings._store.setValue("design/last_tariff", "{not json")
    assert settings.last_tariff == Tariff()


def test_labels_never_overlap_and_the_higher_priority_wins():
    labels = [(n, 10.0 * n, 0.0, 60.0, 12.0, n % 3) for n in range(40)]
    placed = place_labels(labels, marker=8)
    rects = []
    for key, (dx, dy) in placed.items():
        x, y = labels[key][1] + dx, labels[key][2] + dy
        rects.append((x, y, x + 60, y + 12))
    for i, r in enumerate(rects):
        for o in rects[i + 1 :]:
            assert not (r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3])
    assert 0 < len(placed) < 40
    assert sum(labels[k][5] == 2 for k in placed) >= sum(labels[k][5] == 0 for k in placed)
