"""A log of ten years: `trailmix log` and the web app on logs of 1k, 5k and 10k runs, and the
import against lxml and against the size of the trail library.

Run: .venv/bin/python benchmarks/log_scale.py [--sizes 1000,5000,10000] [--repeat 3]
     [--clients 20] [--requests 200] [--keep DIR]

The logs are built fast, not by 10k real imports: the running files of
../shared/data/activities (road/ and trail_hill/) are imported once into a template database
that holds an athlete with heart-rate data (so RPE and load are estimated) and a plan starting
today (for `log week`); each log is a copy of it whose runs are copies of those real rows,
stored through the storage layer with their original file bytes (so a query that read the files
would show), one run a day back from today at the original time of day.

Measured, per log size:
- the CLI in its own process (CPU seconds, user + system, median of --repeat, and the
  largest peak RSS):
  `log list`, `log list --format json`, `log stats --weeks 104`, `log week`, each minus the
  CLI's own start (`trailmix --help`);
- the web app (uvicorn, one worker, loopback): one request at a time to `/log` and
  `/api/v1/activities` (median ms) and the server's peak RSS; on the largest log, --clients
  concurrent clients (errors, p50, p95).
Ratios are to the smallest log, in the same run.

Import:
- TCX: trailmix's whole import of the shared TCX files (parse, summary, grade-adjusted pace,
  route matching, storing) against lxml's parse-only time of the same bytes (CPU; 7 pairs, each
  import right before its parse: the median of the pairs' ratios);
- the shared running files imported into a library of 2 trails and into one of 119 (the 2 and
  117 copies of them shifted up to 10 km around, stored through the storage layer): CPU per file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from lxml import etree
from rich.console import Console
from rich.table import Table
from sqlalchemy import delete, insert, select

from trailmix.app import log_import as training_log
from trailmix.app import trails as library
from trailmix.storage.db import Database
from trailmix.storage.models import ActivityFileRow, ActivityRow
from trailmix.storage.records import local_start
from trailmix.storage.repo import Trails

ROOT = Path(__file__).resolve().parents[1]
ACTIVITIES = ROOT.parent / "shared" / "data" / "activities"
RUNS = sorted(p for folder in ("road", "trail_hill") for p in (ACTIVITIES / folder).iterdir())
TCX = [p for p in RUNS if p.suffix == ".tcx"]
TRAIL_FILES = [
    ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit",
    ACTIVITIES / "trail_hill" / "boulder_fr35_run_no_altitude.fit",
]
HOST = "127.0.0.1"
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120", "NO_COLOR": "1"}

# ----------------------------------------------------------------------------- building logs


def cli(url: str, *args: str) -> tuple[float, float]:
    """Run trailmix in its own process: CPU seconds (user + system) and peak RSS in MB."""
    cmd = [PY, "-m", "trailmix", *args, *(["--db", url] if url else [])]
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"trailmix {' '.join(args)} failed: {err}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def template(work: Path) -> Path:
    """The athlete, a plan starting today and the shared runs, really imported."""
    path = work / "template.db"
    url = f"sqlite:///{path}"
    race = (date.today() + timedelta(weeks=16)).isoformat()
    cli(url, "plan", "--distance", "half", "--race-date", race, "--recent-race", "10k=48:30",
        "--sex", "male", "--hr-max", "190", "--hr-rest", "50")  # fmt: skip
    db = Database(url)
    report = training_log.import_paths(db, RUNS)
    db.dispose()
    if len(report.imported) != len(RUNS):
        raise SystemExit(f"the template imported {len(report.imported)} of {len(RUNS)} runs")
    return path


def build_log(template_path: Path, path: Path, n: int) -> str:
    """A copy of the template whose log is `n` copies of its runs, one a day back from today,
    each with its original file (in `activity_files`, as an import stores it)."""
    shutil.copyfile(template_path, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    table = ActivityRow.__table__
    files_table = ActivityFileRow.__table__
    with db.engine.begin() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(table))]
        files = {
            r.activity_id: {"data": r.data, "compression": r.compression}
            for r in conn.execute(select(files_table))
        }
        conn.execute(delete(files_table))
        conn.execute(delete(table))
        today = date.today()
        batch: list[dict[str, Any]] = []
        file_batch: list[dict[str, Any]] = []
        for k in range(n):
            row = dict(rows[k % len(rows)])
            original = row.pop("id")
            row["id"] = k + 1
            start: datetime = row["start_utc"]
            row["start_utc"] = datetime.combine(today - timedelta(days=k), start.time(), UTC)
            row["local_start"] = local_start(row["start_utc"], row["utc_offset_min"])
            row["file_sha256"] = hashlib.sha256(f"copy {k}".encode()).hexdigest()
            batch.append(row)
            if original in files:
                file_batch.append({"activity_id": k + 1, **files[original]})
            if len(batch) == 250:
                conn.execute(insert(table), batch)
                if file_batch:
                    conn.execute(insert(files_table), file_batch)
                batch, file_batch = [], []
        if batch:
            conn.execute(insert(table), batch)
        if file_batch:
            conn.execute(insert(files_table), file_batch)
    db.dispose()
    return url


# ----------------------------------------------------------------------------- the CLI

COMMANDS: dict[str, tuple[str, ...]] = {
    "log list": ("log", "list"),
    "log list --format json": ("log", "list", "--format", "json"),
    "log stats --weeks 104": ("log", "stats", "--weeks", "104"),
    "log week": ("log", "week"),
}


def cli_runs(url: str, args: tuple[str, ...], repeat: int) -> tuple[float, float, float]:
    """The median CPU of `repeat` runs, the largest peak RSS, and the CPU's spread (largest
    minus least: what this shared machine adds or takes from one run to the next)."""
    runs = [cli(url, *args) for _ in range(repeat)]
    cpu = [r[0] for r in runs]
    return statistics.median(cpu), max(r[1] for r in runs), max(cpu) - min(cpu)


# ----------------------------------------------------------------------------- the web app


@dataclass
class Web:
    single_ms: dict[str, float]
    cpu_ms: dict[str, float]  # the server's CPU per request
    rss_mb: float  # peak, after the single requests
    concurrent: dict[str, tuple[int, int, float, float]]  # requests, errors, p50, p95 ms
    concurrent_rss_mb: float  # peak, after the concurrent clients too


WEB_TARGETS = {"/log": "/log", "/api/v1/activities": "/api/v1/activities"}
SINGLE_REQUESTS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def cpu_s(pid: int) -> float:
    """A process's CPU seconds so far (user + system, /proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def web(url: str, clients: int, requests: int) -> Web:
    port = free_port()
    env = {**ENV, "TRAILMIX_DB": url}
    cmd = [PY, "-m", "uvicorn", "trailmix.web.app:create_app", "--factory"]
    cmd += ["--host", HOST, "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(cmd, env=env)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/v1/activities?limit=1", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("the web app did not start") from None
                time.sleep(0.2)
        single: dict[str, float] = {}
        cpu: dict[str, float] = {}
        with httpx.Client(base_url=base, timeout=60) as c:
            for name, path in WEB_TARGETS.items():
                c.get(path).raise_for_status()  # warm up
                lat = []
                before = cpu_s(server.pid)
                for _ in range(SINGLE_REQUESTS):
                    t = time.perf_counter()
                    c.get(path).raise_for_status()
                    lat.append(time.perf_counter() - t)
                cpu[name] = (cpu_s(server.pid) - before) / SINGLE_REQUESTS * 1000
                single[name] = statistics.median(lat) * 1000
        rss = peak_rss_mb(server.pid)
        concurrent: dict[str, tuple[int, int, float, float]] = {}
        if clients:
            import asyncio

            for name, path in WEB_TARGETS.items():
                concurrent[name] = asyncio.run(hammer(base, path, clients, requests))
        return Web(single, cpu, rss, concurrent, peak_rss_mb(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=20)


async def hammer(
    base: str, path: str, clients: int, requests: int
) -> tuple[int, int, float, float]:
    latencies: list[float] = []
    errors = 0
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal sent, errors
        while sent < requests:
            sent += 1
            t0 = time.perf_counter()
            try:
                ok = (await c.get(path)).status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - t0)
            errors += not ok

    import asyncio

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as c:
        await asyncio.gather(*(client(c) for _ in range(clients)))
    lat = sorted(latencies)
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    return len(lat), errors, statistics.median(lat) * 1000, p95 * 1000


# ----------------------------------------------------------------------------- import


def tcx_ratio(work: Path, repeat: int = 7) -> tuple[float, float, float]:
    """CPU of importing the shared TCX files into a fresh log (opened before the clock
    starts) and of lxml parsing the same bytes, one right after the other, `repeat` times:
    the medians of each and of the ratios of each pair (a pair runs on the machine as it is
    at that moment; this shared machine's speed drifts by a third from minute to minute)."""
    datas = [p.read_bytes() for p in TCX]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    imports, parses = [], []
    for k in range(repeat):
        db = Database(f"sqlite:///{work / f'tcx{k}.db'}")
        t = time.process_time()
        training_log.import_paths(db, TCX)
        imports.append(time.process_time() - t)
        db.dispose()
        t = time.process_time()
        for d in datas:
            etree.fromstring(d, parser)
        parses.append(time.process_time() - t)
    ratios = [i / p for i, p in zip(imports, parses, strict=True)]
    return statistics.median(imports), statistics.median(parses), statistics.median(ratios)


def library_of(work: Path, name: str, copies: int) -> str:
    """A database with the two trails, plus `copies` of them shifted up to 10 km around."""
    url = f"sqlite:///{work / name}"
    db = Database(url)
    recs = [library.add_file(db, f) for f in TRAIL_FILES]
    trails = Trails(db)
    rng = np.random.default_rng(21)
    for i in range(copies):
        base = recs[i % len(recs)]
        src = trails.footprints([base.id])[0]
        dlat, dlon = rng.uniform(-0.09, 0.09, 2)
        trails.add(
            name=f"{base.name} copy {i}",
            category=base.category,
            length_km=base.length_km,
            gain_m=base.gain_m,
            loss_m=base.loss_m,
            declared_surface=None,
            declared_technical=None,
            analysis=base.analysis,
            file_name=base.file_name,
            file_bytes=None,
            footprint=(src.lat + dlat, src.lon + dlon),
        )
    db.dispose()
    return url


def import_cpu(url: str) -> float:
    db = Database(url)
    t = time.process_time()
    report = training_log.import_paths(db, RUNS)
    cpu = time.process_time() - t
    db.dispose()
    if len(report.imported) != len(RUNS):
        raise SystemExit(f"imported {len(report.imported)} of {len(RUNS)} runs")
    return cpu / len(RUNS)


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="per target, concurrent")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    console = Console(width=140)

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        tpl = template(work)
        logs = {n: build_log(tpl, work / f"log{n}.db", n) for n in sizes}
        console.print(
            f"built logs of {', '.join(map(str, sizes))} runs from {len(RUNS)} shared files in "
            f"{time.perf_counter() - t0:.0f} s ("
            + ", ".join(f"{(work / f'log{n}.db').stat().st_size / 1e9:.1f} GB" for n in sizes)
            + ")"
        )

        start_cpu, start_mb, start_spread = cli_runs("", ("--help",), args.repeat)
        cli_rows: dict[str, dict[int, tuple[float, float]]] = {}
        for name, cmd in COMMANDS.items():
            cli_rows[name] = {n: cli_runs(logs[n], cmd, args.repeat) for n in sizes}

        webs = {
            n: web(logs[n], args.clients if n == sizes[-1] else 0, args.requests) for n in sizes
        }

        tcx_s, lxml_s, tcx_x = tcx_ratio(work)
        small = import_cpu(library_of(work, "lib2.db", 0))
        large = import_cpu(library_of(work, "lib119.db", 117))

    first, last = sizes[0], sizes[-1]
    t = Table(
        title=f"trailmix log at scale: CPU s above the CLI's start ({start_cpu:.2f} s, "
        f"{start_mb:.0f} MB; its CPU spread {start_spread:.2f} s), peak MB; median of "
        f"{args.repeat}"
    )
    t.add_column("command")
    for n in sizes:
        t.add_column(f"{n:,} CPU s", justify="right")
        t.add_column(f"{n:,} MB", justify="right")
    t.add_column(f"ratio {last:,}/{first:,}", justify="right")
    t.add_column("goal: < 0.5 s, < 200 MB, ratio <= 1.2 (or a growth within the spread)")
    for name, per in cli_rows.items():
        cells = []
        for n in sizes:
            cells += [f"{max(per[n][0] - start_cpu, 0):.2f}", f"{per[n][1]:.0f}"]
        above_first = max(per[first][0] - start_cpu, 0.01)
        above_last = max(per[last][0] - start_cpu, 0.0)
        ratio = per[last][0] / per[first][0]
        # Flat: the ratio, or (the commands' own work being tens of milliseconds) a growth no
        # larger than the start's own spread, which this machine cannot tell from noise.
        flat = ratio <= 1.2 or per[last][0] - per[first][0] <= start_spread
        ok = above_last < 0.5 and per[last][1] < 200 and flat
        t.add_row(
            name,
            *cells,
            f"{ratio:.2f} ({above_last / above_first:.1f} above start)",
            "met" if ok else "NOT met",
        )
    console.print(t)

    w = Table(
        title="web app, one request at a time: median ms wall (server CPU ms per request); "
        "server peak RSS"
    )
    w.add_column("target")
    for n in sizes:
        w.add_column(f"{n:,} ms", justify="right")
    w.add_column(f"ratio {last:,}/{first:,}", justify="right")
    w.add_column("goal: < 100 ms")
    for name in WEB_TARGETS:
        ms = [webs[n].single_ms[name] for n in sizes]
        cpu = [webs[n].cpu_ms[name] for n in sizes]
        ratio = ms[-1] / ms[0]
        w.add_row(
            name,
            *(f"{m:.1f} ({c:.0f})" for m, c in zip(ms, cpu, strict=True)),
            f"{ratio:.2f}",
            "met" if ms[-1] < 100 else "NOT met",
        )
    w.add_row(
        "server peak MB",
        *(f"{webs[n].rss_mb:.0f}" for n in sizes),
        f"{webs[last].rss_mb / webs[first].rss_mb:.2f}",
        "flat",
    )
    console.print(w)

    if webs[last].concurrent:
        c = Table(
            title=f"{args.clients} concurrent clients on the {last:,}-run log (server peak "
            f"{webs[last].concurrent_rss_mb:.0f} MB)"
        )
        for col in ("target", "requests", "errors", "p50 ms", "p95 ms"):
            c.add_column(col, justify="left" if col == "target" else "right")
        for name, (reqs, errs, p50, p95) in webs[last].concurrent.items():
            c.add_row(name, str(reqs), str(errs), f"{p50:.0f}", f"{p95:.0f}")
        console.print(c)

    i = Table(title="import (CPU)")
    i.add_column("measure")
    i.add_column("value", justify="right")
    i.add_column("goal")
    i.add_row(
        f"TCX: whole import of {len(TCX)} files / lxml parse-only (median)",
        f"{tcx_s:.2f} s / {lxml_s:.2f} s: {tcx_x:.1f}x",
        "<= 3x: " + ("met" if tcx_x <= 3 else "NOT met"),
    )
    i.add_row(
        f"per file, {len(RUNS)} files: 2 trails / 119 trails",
        f"{small:.3f} s / {large:.3f} s = {large / small:.2f}",
        "independent of the library: " + ("met" if large / small <= 1.2 else "NOT met"),
    )
    console.print(i)


if __name__ == "__main__":
    main()
