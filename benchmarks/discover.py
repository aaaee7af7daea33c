"""Time and peak memory to extract the runnable network of each shared OSM extract: trailmix
(pyosmium) side by side with pyrosm's and osmnx's own extraction of the same file.

    .venv/bin/python benchmarks/discover.py [--repeat 3]

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
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OSM = ROOT.parent / "shared" / "data" / "osm"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
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
