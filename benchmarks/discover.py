"""Time and peak memory to extract the runnable network of each shared OSM extract: trailmix
(pyosmium) side by side with pyrosm's and osmnx's own extraction of the same file; and, with
`--coverage`, how often discovery finds a route from starts spread over each extract.

    .venv/bin/python benchmarks/discover.py [--repeat 3]
    .venv/bin/python benchmarks/discover.py --coverage [--starts 30] [--baseline SRC] [--only NAME]

Coverage: from `--starts` points spread over each extract (a grid over the extent of its
runnable ways, keeping the points with a runnable way within 1.5 km, thinned evenly), one
`app.discover.discover` call per purpose (radius 6 km, the CLI's default; the shared SRTM
folder): recovery 30, 40 and 60 minutes, hills, technical. Per query: the share of starts
with at least one candidate ("any"), for recovery the share with one within 10 % of the
minutes ("±10 %"), the median wall time of the whole call (reading the file included, as a
user pays it), and the extract's peak RSS (one subprocess per extract). `--baseline SRC`
runs the same on another source tree (e.g. a `git archive` of main's `src`) and prints both
side by side ("today" = the baseline).

pyrosm and osmnx are not trailmix dependencies: they live in a separate venv,
`/tmp/discover-bench-venv`, which this script creates on first use
(`python -m venv /tmp/discover-bench-venv && /tmp/discover-bench-venv/bin/pip install pyrosm
osmnx`). Each measurement runs in its own subprocess; peak memory is that process's
`ru_maxrss` (imports included, as a user would pay them); time is the extraction alone,
the best of `--repeat` runs. A tool that cannot be installed or cannot read a format is
reported as such in the table, not as a failure.

What each tool extracts: trailmix the ways a runner can run (docs/discover.md) within a radius
that covers the whole file, with node locations and the graph built (elevation off, so only
the OSM work is timed); pyrosm `OSM(file).get_network("walking")` (it reads PBF only);
osmnx `graph_from_xml(file, simplify=False, retain_all=True)`, its whole-file graph of
every way (it reads OSM XML only; its network-type filters need Overpass, not a file).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OSM = ROOT.parent / "shared" / "data" / "osm"
DEM = ROOT.parent / "shared" / "data" / "dem"
BENCH_VENV = Path("/tmp/discover-bench-venv")

FILES = [
    "north-bayreuth.osm.gz",
    "andorra.osm.pbf",
    "monaco.osm.gz",
    "helsinki_center.osm.pbf",
    "osmnx_West-Oakland.osm.bz2",
]

TRAILMIX = r"""
import json, resource, sys, time
from pathlib import Path
path = Path(sys.argv[1]); repeat = int(sys.argv[2])
from trailmix.formats.osm import read_runnable_ways, _header_bounds, sniff_format
from trailmix.domain.osm.graph import build_graph
import osmium
# a radius covering the whole file: its centre and half its diagonal (+10 %)
lat = lon = None
box = _header_bounds(path, sniff_format(path))
if box is None:
    lats = []; lons = []
    for n in osmium.FileProcessor(str(path), osmium.osm.NODE):
        lats.append(n.location.lat); lons.append(n.location.lon)
    box = (min(lats), min(lons), max(lats), max(lons))
lat, lon = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
from trailmix.domain.trail.profile import haversine_m
import numpy as np
a = np.array
diag = float(haversine_m(a([box[0]]), a([box[1]]), a([box[2]]), a([box[3]]))[0])
r = diag / 2000 * 1.1 + 1
best = 1e9
for _ in range(repeat):
    t = time.perf_counter()
    area = read_runnable_ways(path, lat, lon, r)
    g = build_graph(area.ways, None, flat_speed_ms=3.0, effort=3.0)
    best = min(best, time.perf_counter() - t)
print(json.dumps({"seconds": best, "ways": len(area.ways), "edges": g.n_edges,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PYROSM = r"""
import json, resource, sys, time
path = sys.argv[1]; repeat = int(sys.argv[2])
from pyrosm import OSM
best = 1e9
for _ in range(repeat):
    t = time.perf_counter()
    osm = OSM(path)
    net = osm.get_network("walking")
    best = min(best, time.perf_counter() - t)
n = 0 if net is None else len(net)
print(json.dumps({"seconds": best, "ways": n, "edges": None,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

OSMNX = r"""
import json, resource, sys, time, bz2, gzip, tempfile, os
path = sys.argv[1]; repeat = int(sys.argv[2])
import osmnx as ox
best = 1e9
for _ in range(repeat):
    t = time.perf_counter()
    g = ox.graph_from_xml(path, simplify=False, retain_all=True)
    best = min(best, time.perf_counter() - t)
print(json.dumps({"seconds": best, "ways": None, "edges": g.number_of_edges(),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def ensure_venv() -> Path | None:
    """The benchmark venv's python with pyrosm and osmnx, created if missing; None if the
    install fails."""
    py = BENCH_VENV / "bin" / "python"
    if not py.exists():
        venv.create(BENCH_VENV, with_pip=True)
    for pkg in ("pyrosm", "osmnx"):
        ok = subprocess.run([str(py), "-c", f"import {pkg}"], capture_output=True).returncode == 0
        if not ok:
            subprocess.run([str(py), "-m", "pip", "install", "-q", pkg], capture_output=True)
    return py if py.exists() else None


def run(python: str, code: str, path: Path, repeat: int) -> dict[str, object] | str:
    proc = subprocess.run(
        [python, "-c", code, str(path), str(repeat)], capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        return last[:70]
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


COVERAGE = r"""
import json, resource, statistics, sys, time
from pathlib import Path
import numpy as np
path = Path(sys.argv[1]); n_starts = int(sys.argv[2]); dem_dir = Path(sys.argv[3])
from trailmix.app.discover import discover
from trailmix.domain.osm.routes import Purpose
from trailmix.domain.trail.profile import haversine_m
from trailmix.errors import TrailmixError
from trailmix.formats.osm import read_runnable_ways
from trailmix.formats.srtm import DemFolder
whole = read_runnable_ways(path, 0.0, 0.0, 20000.0)
lat = np.concatenate([w.lat for w in whole.ways]); lon = np.concatenate([w.lon for w in whole.ways])
# a grid over the ways' extent, finer until enough points have a way within 1.5 km
starts = []
for k in range(6, 40):
    gl = np.linspace(lat.min(), lat.max(), k); go = np.linspace(lon.min(), lon.max(), k)
    def gap(a, b):
        return float(haversine_m(np.full(len(lat), a), np.full(len(lat), b), lat, lon).min())
    pts = [(a, b) for a in gl for b in go if gap(a, b) <= 1500]
    if len(pts) >= n_starts:
        idx = np.linspace(0, len(pts) - 1, n_starts).round().astype(int)
        starts = [pts[i] for i in idx]
        break
dem = DemFolder(dem_dir)
queries = [("recovery 30", Purpose.RECOVERY, 30.0), ("recovery 40", Purpose.RECOVERY, 40.0),
           ("recovery 60", Purpose.RECOVERY, 60.0), ("hills", Purpose.HILLS, 40.0),
           ("technical", Purpose.TECHNICAL, 40.0)]
out = {}
for label, purpose, minutes in queries:
    anyc = fit = refused = 0; times = []
    for a, b in starts:
        t = time.perf_counter()
        try:
            d = discover(path, (float(a), float(b)), 6.0, dem=dem, purposes=(purpose,),
                         minutes=minutes)
        except TrailmixError:
            refused += 1; times.append(time.perf_counter() - t); continue
        times.append(time.perf_counter() - t)
        c = d.candidates
        anyc += bool(c)
        fit += any(abs(x.prediction.minutes - minutes) <= 0.1 * minutes for x in c)
    out[label] = {"starts": len(starts), "any": anyc, "fit": fit, "refused": refused,
                  "median_s": statistics.median(times) if times else None}
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def coverage(src: Path, name: str, starts: int) -> dict[str, object] | str:
    """The coverage numbers of one extract with the trailmix source tree `src`."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", COVERAGE, str(OSM / name), str(starts), str(DEM)],
        capture_output=True,
        text=True,
        timeout=3600,
        env=env,
    )
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["failed"])[-1][:70]
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def print_coverage(
    rows: list[tuple[str, dict[str, object] | str, dict[str, object] | str | None]],
) -> None:
    """The coverage table: new (this tree) and, when measured, today's (the baseline)."""

    def cell(r: dict[str, object] | str | None, q: str) -> str:
        if r is None:
            return "-"
        if isinstance(r, str):
            return r
        d = r[q]
        assert isinstance(d, dict)
        n = d["starts"] or 1
        fit = f"{d['fit'] / n * 100:3.0f} % ±10 %, " if q.startswith("recovery") else ""
        med = "-" if d["median_s"] is None else f"{d['median_s'] * 1000:.0f} ms"
        refused = f", {d['refused']} refused" if d["refused"] else ""
        return f"{fit}{d['any'] / n * 100:3.0f} % any, {med}{refused}"

    header = ("file", "query", "starts", "today", "now", "peak MB today / now")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    queries = ("recovery 30", "recovery 40", "recovery 60", "hills", "technical")
    for name, now, today in rows:
        for q in queries:
            n = now[q]["starts"] if isinstance(now, dict) else "-"  # type: ignore[index]
            mem = ""
            if q == queries[0]:
                mem = " / ".join(
                    f"{float(str(r['peak_mb'])):.0f}" if isinstance(r, dict) else "-"
                    for r in (today, now)
                )
            print(" | ".join((name, q, str(n), cell(today, q), cell(now, q), mem)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--coverage", action="store_true", help="the coverage table")
    parser.add_argument("--starts", type=int, default=30)
    parser.add_argument(
        "--baseline",
        type=Path,
        help="today's numbers: another source tree, or a JSON file saved with --save",
    )
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the tree measured")
    parser.add_argument("--save", type=Path, help="also save the raw numbers as JSON")
    parser.add_argument("--only", help="one extract (file name)")
    args = parser.parse_args()
    if args.coverage:
        names = [n for n in FILES if args.only in (None, n)]
        saved: dict[str, dict[str, object] | str] = {}
        if args.baseline is not None and args.baseline.is_file():
            saved = json.loads(args.baseline.read_text())
        cov = []
        raw: dict[str, dict[str, object] | str] = {}
        for name in names:
            now = raw[name] = coverage(args.src, name, args.starts)
            today: dict[str, object] | str | None = None
            if args.baseline is not None:
                today = saved.get(name) if saved else coverage(args.baseline, name, args.starts)
            cov.append((name, now, today))
        if args.save:
            args.save.write_text(json.dumps(raw, indent=1))
        print_coverage(cov)
        return
    bench = ensure_venv()
    rows = []
    for name in FILES:
        path = OSM / name
        tm = run(sys.executable, TRAILMIX, path, args.repeat)
        pr: dict[str, object] | str = "no venv"
        ox: dict[str, object] | str = "no venv"
        if bench is not None:
            pr = (
                run(str(bench), PYROSM, path, args.repeat)
                if name.endswith(".pbf")
                else "reads PBF only"
            )
            ox = (
                run(str(bench), OSMNX, path, args.repeat)
                if not name.endswith(".pbf")
                else "reads OSM XML only"
            )
        rows.append((name, tm, pr, ox))

    def cell(r: dict[str, object] | str) -> str:
        if isinstance(r, str):
            return r
        return f"{float(str(r['seconds'])) * 1000:7.0f} ms {float(str(r['peak_mb'])):5.0f} MB"

    def ratio(other: dict[str, object] | str, base: dict[str, object] | str) -> str:
        if isinstance(other, str) or isinstance(base, str):
            return "-"
        t = float(str(other["seconds"])) / float(str(base["seconds"]))
        m = float(str(other["peak_mb"])) / float(str(base["peak_mb"]))
        return f"{t:4.1f}x time {m:3.1f}x mem"

    header = (
        "file",
        "trailmix (pyosmium)",
        "pyrosm walking",
        "osmnx from XML",
        "pyrosm/tm",
        "osmnx/tm",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, tm, pr, ox in rows:
        extra = ""
        if isinstance(tm, dict):
            extra = f" ({tm['ways']} ways, {tm['edges']} edges)"
        print(
            " | ".join((name, cell(tm) + extra, cell(pr), cell(ox), ratio(pr, tm), ratio(ox, tm)))
        )


if __name__ == "__main__":
    main()
