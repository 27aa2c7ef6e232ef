"""Opening a large project in the app: from Open to its design on show (target: 1,000 sites within 3 s).

Drives the real main window offscreen. A region of ``--sites`` sites (``bench/speed.py``'s
GB towns and points jittered round them, four partners) is designed once and saved with its
design, as a user's file is; each run then opens it in a fresh window and times ``load``
until the map, schedule and figures show that design, and the event loop has caught up.

    QT_QPA_PLATFORM=offscreen python bench/ui_open.py [--sites 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.speed import gb_region  # noqa: E402
from planner.core.model import Partner  # noqa: E402
from planner.core.project_file import save_project  # noqa: E402


def _saved_region(sites: int, folder: Path) -> Path:
    from planner.design import design_project

    project = gb_region(sites, seed=1)
    project.name = f"{sites} sites"
    project.partners = [Partner(f"P{i}", f"Partner {i}") for i in range(4)]
    project.sites = [dataclasses.replace(s, partner=f"P{n % 4}") for n, s in enumerate(project.sites)]
    project.record_design(design_project(project))
    path = folder / "region.json"
    save_project(project, path)
    return path


def _open_once(path: Path, folder: Path, timeout: float) -> float:
    from planner.ui.app import make_application, process_events_until
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import AppSettings

    make_application()
    settings = AppSettings.in_file(folder / f"settings-{time.monotonic_ns()}.ini")
    settings.share_in_background = False  # the cost sharing is not part of opening
    window = MainWindow(settings)
    window.resize(1440, 900)
    window.show()
    process_events_until(lambda: False, 0.3)
    started = time.perf_counter()
    window.load(path)
    shown = process_events_until(
        lambda: window.document.design_current and window.schedule.proxy.rowCount() > 0, timeout, 5
    )
    process_events_until(lambda: False, 0.0)
    seconds = time.perf_counter() - started
    window.editor.mark_saved()
    window.close()
    if not shown:
        raise SystemExit(f"the design was not on show within {timeout} s")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = _saved_region(args.sites, folder)
        times = [_open_once(path, folder, args.timeout) for _ in range(args.runs)]
    print(f"Open a {args.sites:,}-site project saved with its design ({args.runs} runs)")
    print(f"{'median':>9}{'max':>9}   target ≤ 3 s")
    print(f"{statistics.median(times):>8.2f}s{max(times):>8.2f}s   {'met' if max(times) <= 3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
