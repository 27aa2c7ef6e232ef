"""File → Export all from the app: the whole pack, with and without the cost sharing already worked out.

Drives the real main window offscreen: opens a project (the Yorkshire & the Humber sample by
default), waits for its design, then exports everything to a folder three times and times
each from the menu command to the status bar's "Exported 6 files":

* cold — nothing worked out yet: the cost sharing (within its time limit) and the six files;
* warm — the sharing is kept for the design on show: only the files are written;
* after an edit — one site moved: the design again, then the sharing re-prices only the
  coalitions holding that site's partner (the rest come from the document's coalition cache).

The "Who pays what" dock is closed so that only the export works out the sharing.

    QT_QPA_PLATFORM=offscreen python bench/ui_export.py [--project P.json] [--share-limit 60]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT / "sample_regions" / "yorkshire_and_humber.json")
    parser.add_argument("--share-limit", type=int, default=60, help="cost sharing time limit, seconds")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()

    from planner.ui.app import make_application, process_events_until
    from planner.ui.export import FORMATS
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import AppSettings

    make_application()
    with tempfile.TemporaryDirectory() as tmp:
        settings = AppSettings.in_file(Path(tmp) / "s.ini")
        settings.sharing_time_limit = args.share_limit
        window = MainWindow(settings)
        window.resize(1400, 900)
        window.show()
        window.docks["sharing"].close()
        window.load(args.project)
        doc = window.document
        if not process_events_until(lambda: not window.runner.busy and doc.design_current, args.timeout):
            raise SystemExit("no design")
        project = doc.project
        print(
            f"{project.name}: {len(project.partners)} partners, {len(project.sites)} sites, "
            f"{len(doc.design.links)} circuits; cost sharing limit {args.share_limit} s"
        )
        print(f"{'export all (6 files)':<28}{'seconds':>9}   sharing")
        for n, label in enumerate(("cold", "warm (sharing kept)", "after moving one site")):
            if n == 2:
                site = project.sites[0]
                doc.move_site(site.id, site.lon + 0.02, site.lat)
            cached = len(window.sharing_runner.cache)
            folder = Path(tmp) / f"run{n}"
            folder.mkdir()
            paths = {key: folder / f"pack{f.name}{f.suffix}" for key, f in FORMATS.items()}
            started = time.perf_counter()
            if not window.exporter.export(paths):
                raise SystemExit("the export did not start")
            if not process_events_until(lambda: not window.exporter.busy, args.timeout):
                raise SystemExit("the export did not finish")
            seconds = time.perf_counter() - started
            sharing = window.sharing_runner.sharing
            how = "exact" if sharing.exact else f"sampled, {sharing.permutations} orders"
            written = sum(p.exists() for p in paths.values())
            priced = len(window.sharing_runner.cache) - cached
            print(f"{label:<28}{seconds:>9.1f}   {how}; {priced} coalitions priced, {cached} cached; {written} files")
        window.editor.mark_saved()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
