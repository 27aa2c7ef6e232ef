"""Label placement: which site names to show, and on which side, so none overlap.

Pure Python on screen rectangles, so it is tested without Qt. Greedy by priority: each
label tries the right of its marker, then left, above and below, and is dropped when
every spot collides with a marker or a label already placed. A uniform grid keeps each
test to the few rectangles nearby, so a pass costs O(n) in the labels on screen.

>>> place_labels([("a", 0, 0, 40, 12, 1), ("b", 0, 1, 40, 12, 0)], marker=8)  # b yields the right
{'a': (7.0, -6.0), 'b': (-47.0, -6.0)}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

__all__ = ["place_labels"]

_CELL = 64.0


class _Grid:
    """Rectangles (x0, y0, x1, y1) bucketed by cell for quick overlap tests."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(list)

    def _keys(self, r):
        for i in range(int(r[0] // _CELL), int(r[2] // _CELL) + 1):
            for j in range(int(r[1] // _CELL), int(r[3] // _CELL) + 1):
                yield i, j

    def add(self, r) -> None:
        for key in self._keys(r):
            self.cells[key].append(r)

    def hits(self, r, ignore=None) -> bool:
        for key in self._keys(r):
            for o in self.cells.get(key, ()):
                if o is not ignore and r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3]:
                    return True
        return False


def place_labels(
    labels: Iterable[tuple[Hashable, float, float, float, float, float]],
    marker: float = 10.0,
    gap: float = 3.0,
    bounds: tuple[float, float, float, float] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Offsets from each marker to the top-left of its label, for the labels that fit.

    ``labels`` holds ``(key, x, y, width, height, priority)`` in pixels, ``(x, y)`` being the
    marker's centre; higher priority is placed first. ``marker`` is the marker's size. A label
    must lie wholly within ``bounds`` (x0, y0, x1, y1: the view) when given, so none is cut off
    at the edge: near the right edge a name goes to the left of its marker.

    >>> place_labels([("a", 95, 50, 40, 12, 1)], marker=8, bounds=(0, 0, 100, 100))
    {'a': (-47.0, -6.0)}
    """
    labels = list(labels)
    half = marker / 2
    markers = _Grid()
    own = {}
    for key, x, y, *_ in labels:
        own[key] = (x - half, y - half, x + half, y + half)
        markers.add(own[key])
    placed = _Grid()
    result: dict[Hashable, tuple[float, float]] = {}
    for key, x, y, w, h, _ in sorted(labels, key=lambda item: -item[5]):
        for dx, dy in (
            (half + gap, -h / 2),  # right
            (-half - gap - w, -h / 2),  # left
            (-w / 2, -half - gap - h),  # above
            (-w / 2, half + gap),  # below
        ):
            r = (x + dx, y + dy, x + dx + w, y + dy + h)
            if bounds is not None and not (
                bounds[0] <= r[0] and r[2] <= bounds[2] and bounds[1] <= r[1] and r[3] <= bounds[3]
            ):
                continue
            if not placed.hits(r) and not markers.hits(r, ignore=own[key]):
                placed.add(r)
                result[key] = (dx, dy)
                break
    return result
