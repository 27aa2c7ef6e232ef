"""Render the real main window and presenter mode offscreen to PNGs for the README and docs.

``QT_QPA_PLATFORM=offscreen python -m planner.ui.screenshot docs/screenshot.png [PROJECT]``
opens the project (the Yorkshire & the Humber sample by default), waits for its design and
its cost sharing, selects one circuit so the schedule and map show the link between them,
and saves the window. Then, in the same folder, presenter mode at 1920 × 1080:
``presenter-alone.png`` (each partner's own network), ``presenter-saving.png`` (the
saving, per partner) and ``presenter.png`` (the live demonstration: cut, the longest of the
circuits whose loss sends traffic the longest way round).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtTest import QTest

__all__ = ["take_screenshots", "main"]

DEFAULT_PROJECT = Path(__file__).resolve().parents[2] / "sample_regions" / "yorkshire_and_humber.json"
SIZE = (1600, 1000)
PRESENTER_SIZE = (1920, 1080)
#: Seconds the cost sharing may take for the pictures (the Shapley value is sampled beyond).
SHARING_LIMIT = 120


def _save(window, out: Path) -> None:
    if not window.grab().save(str(out)):
        raise SystemExit(f"screenshot: cannot write {out}")
    print(f"screenshot: {out} ({window.width()}×{window.height()})")


def take_screenshots(out: Path, project: Path = DEFAULT_PROJECT, timeout_s: float = 300.0) -> None:
    """Open ``project`` in a fresh main window (throw-away settings); save it and presenter mode beside ``out``."""
    from planner.analysis.resilience import outage
    from planner.ui.app import process_events_until
    from planner.ui.slides import opened_window

    out.parent.mkdir(parents=True, exist_ok=True)
    with opened_window(project, SIZE, timeout_s, sharing_limit=SHARING_LIMIT) as window:
        process_events_until(
            lambda: window.sharing_runner.sharing is not None or window.sharing_runner.stopped, timeout_s, 50
        )
        design = window.document.design
        if design is not None and design.links:
            busiest = max(design.links, key=lambda link: link.annual)
            window.document.selection.set((), [busiest.circuit_id])
        window.map_view.fit_region()
        viewport = window.map_view.viewport()
        QTest.mouseMove(viewport, viewport.rect().center())  # fills in the status bar's place and grid ref
        process_events_until(lambda: False, 0.4, 50)
        _save(window, out)

        window.resize(*PRESENTER_SIZE)
        presenter = window.presenter
        presenter.enter(full_screen=False)
        process_events_until(lambda: window.sharing_runner.networks is not None, timeout_s, 50)
        for step, name in ((1, "presenter-alone.png"), (3, "presenter-saving.png")):
            presenter.go(step)
            process_events_until(lambda: False, 0.3, 50)
            _save(window, out.with_name(name))
        if design is not None and design.links:

            def way_round(link) -> tuple[int, float]:  # the longest way round, then the longest circuit
                return len(outage(design, [link.circuit_id]).detours.get(link.circuit_id, ())), link.distance_km

            longest = max(design.links, key=way_round)
            presenter.go(4)
            presenter.toggle_cut(longest.circuit_id)
            process_events_until(lambda: False, 0.3, 50)
            _save(window, out.with_name("presenter.png"))
        presenter.leave()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path("docs/screenshot.png")
    project = Path(argv[1]) if len(argv) > 1 else DEFAULT_PROJECT
    take_screenshots(out, project)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
