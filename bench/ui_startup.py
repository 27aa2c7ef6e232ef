"""How soon the window is visible after `planner` starts (target: under 2 s).

Runs the app's own start-up path in a fresh Python process (offscreen, throw-away
settings) several times and prints a table: window visible, project drawn, and whether
the heavy libraries (geopandas, the solvers) were kept out of start-up.

    QT_QPA_PLATFORM=offscreen python bench/ui_startup.py [PROJECT] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CHILD = r"""
import json, sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QSettings, QTimer
from planner.ui.app import make_application
app = make_application()
from planner.ui.main_window import MainWindow
from planner.ui.settings import AppSettings
window = MainWindow(AppSettings(QSettings(sys.argv[3], QSettings.Format.IniFormat)))
window.show()
marks = {}
def visible():
    marks["visible"] = time.time() - t0
    window.load(sys.argv[2])
    window.runner.cancel()  # the design itself is the engine's benchmark, not this one
    app.processEvents()
    window.map_view.viewport().repaint()
    marks["drawn"] = time.time() - t0
    heavy = ("geopandas", "highspy", "pyogrio", "openpyxl")
    marks["heavy_imported"] = [m for m in heavy if m in sys.modules]
    print(json.dumps(marks))
    window.editor.mark_saved()
    window.close()
    app.quit()
QTimer.singleShot(0, visible)
app.exec()
"""


def run_once(project: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONPATH=str(ROOT))
        start = time.time()
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, repr(start), str(project), str(Path(tmp) / "s.ini")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=str(ROOT / "sample_regions" / "yorkshire_and_humber.json"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = [run_once(Path(args.project)) for _ in range(args.runs)]
    print(f"Start-up of the main window, {args.runs} runs, project {Path(args.project).name}")
    print(f"{'measure':<34}{'min':>8}{'median':>8}{'max':>8}   target")
    for key, label, target in (
        ("visible", "process start -> window visible", "< 2 s"),
        ("drawn", "process start -> project drawn", ""),
    ):
        values = [r[key] for r in runs]
        print(f"{label:<34}{min(values):>7.2f}s{statistics.median(values):>7.2f}s{max(values):>7.2f}s   {target}")
    heavy = sorted({m for r in runs for m in r["heavy_imported"]})
    print(f"heavy modules imported at start-up: {', '.join(heavy) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
