"""Pan and zoom frame time with thousands of sites and circuits (target: under 30 ms a frame).

Builds a region of N random sites across England with a design of about 1.3 N circuits
(a minimum spanning tree plus extra Delaunay links, made directly: the engine is not
timed here), opens it in the real main window offscreen, and times each pan or zoom
step from the input to the end of the repaint, at several zoom levels.

    QT_QPA_PLATFORM=offscreen python bench/ui_panzoom.py [--sites 5000] [--steps 12]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.core.design_result import Design, DesignLink  # noqa: E402
from planner.core.model import PALETTE, Partner, Project, Site  # noqa: E402


def big_region(n: int, seed: int = 7) -> tuple[Project, Design]:
    """``n`` random sites over England and a plausible design joining them."""
    import networkx as nx
    from scipy.spatial import Delaunay

    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(-3.0, 0.3, n), rng.uniform(51.2, 54.4, n)
    partners = [Partner(f"P{i}", f"Partner {i}", PALETTE[i]) for i in range(12)]
    sites = [Site(f"S{i}", f"Site {i}", f"P{i % 12}", float(lon[i]), float(lat[i])) for i in range(n)]
    xy = np.column_stack([lon, lat * 1.6])
    graph = nx.Graph()
    for simplex in Delaunay(xy).simplices:
        for i in range(3):
            a, b = int(simplex[i]), int(simplex[(i + 1) % 3])
            graph.add_edge(a, b, weight=float(np.hypot(*(xy[a] - xy[b]))))
    tree = set(map(frozenset, nx.minimum_spanning_edges(graph, data=False)))
    extra = [frozenset(e) for e in graph.edges if frozenset(e) not in tree]
    rng.shuffle(extra)
    chosen = [(e, "backbone") for e in tree] + [(e, "protection") for e in extra[: int(0.3 * n)]]
    links = []
    for number, (edge, role) in enumerate(chosen, start=1):
        a, b = sorted(edge)
        km = graph.edges[a, b]["weight"] * 111
        links.append(DesignLink(f"C{number:05d}", f"S{a}", f"S{b}", km, int(km * 1.3) + 1, 250_000, 300_000, role))
    total = sum(k.total(5) for k in links)
    design = Design(
        "2edge", tuple(links), total, int(total * 0.9), 5, "synthetic", True, 0.0, tuple(s.id for s in sites)
    )
    return Project(name=f"{n} sites", partners=partners, sites=sites), design


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=12)
    args = parser.parse_args()

    from planner.ui.app import make_application
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import AppSettings

    app = make_application()
    project, design = big_region(args.sites)
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(AppSettings.in_file(Path(tmp) / "s.ini"))
        window.resize(1600, 1000)
        window.show()
        started = time.perf_counter()
        window.editor.replace_project(project)
        window.document.accept_design(design, window.document.revision)
        window.runner.cancel()
        app.processEvents()
        built = time.perf_counter() - started
        view = window.map_view
        viewport = view.viewport()
        print(f"{args.sites} sites, {len(design.links)} circuits: scene built in {built:.2f} s")
        print(
            f"{'zoom level':<26}{'sites shown':>12}{'pan median':>12}{'pan max':>9}{'zoom median':>13}{'zoom max':>10}"
        )
        view.fit_region()
        worst = 0.0
        settles: list[float] = []
        for level in range(4):
            if level:
                view.zoom_by(4.0)
            app.processEvents()
            viewport.repaint()
            pans, zooms = [], []
            for step in range(args.steps):
                t = time.perf_counter()
                dx = 40 if step % 2 else -40
                view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + dx)
                viewport.repaint()
                pans.append(time.perf_counter() - t)
                t = time.perf_counter()
                view.zoom_by(1.1 if step % 2 else 1 / 1.1)
                viewport.repaint()
                zooms.append(time.perf_counter() - t)
            t = time.perf_counter()
            view.settle()  # what runs once a gesture ends: labels, and the basemap redrawn sharp
            viewport.repaint()
            settles.append(time.perf_counter() - t)
            visible = view.mapToScene(viewport.rect()).boundingRect()
            shown = len(window.map_scene.sites_in(visible))
            mode = "cloud" if window.map_scene.lod else "markers"
            name = f"x{4**level:<3} ({mode})"
            worst = max(worst, max(pans), max(zooms))
            print(
                f"{name:<26}{shown:>12}{statistics.median(pans) * 1e3:>10.1f}ms{max(pans) * 1e3:>7.1f}ms"
                f"{statistics.median(zooms) * 1e3:>11.1f}ms{max(zooms) * 1e3:>8.1f}ms"
            )
        print(f"once a gesture ends (labels, sharp basemap): median {statistics.median(settles) * 1e3:.0f} ms")
        print(f"worst frame {worst * 1e3:.1f} ms: target < 30 ms {'met' if worst < 0.03 else 'NOT met'}")
        window.editor.mark_saved()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
