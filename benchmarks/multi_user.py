"""Load on a club's server, loopback only: many runners with a season each, 20-50 concurrent
clients mixing reads (plan, log) and writes (uploads, RPE), on PostgreSQL with 1 and 4 app
workers (the 4-worker run imports uploads through the RQ queue on Redis with one
`trailmix worker`), and the same mix on SQLite single-user (one runner) for reference. Prints
requests/s, p50/p95/p99 per request kind, errors, ratios between the configurations, and a
final count that no row was lost or duplicated. Bounded: a fixed time and request budget per
configuration; the throwaway PostgreSQL database, Redis keys and temporary files are removed.

    .venv/bin/python benchmarks/multi_user.py [--clients 30] [--runners 200] [--seconds 50]
    .venv/bin/python benchmarks/multi_user.py --quick     # a ~1-minute smoke

How the data is made (fast, and real): the run files of ../shared/data/activities (road and
trail_hill, 17 files) are imported once, through `log_import.import_paths`, as the template
user's log; each runner gets two copies of those rows (34 runs over the last ~10 weeks: dates
shifted to end yesterday, a distinct fake file hash per copy, no stored file bytes), inserted
in bulk with the `activities` table's model. Each runner is a user (no password), with a
personal API token (`accounts.create_token`) and a plan made by `plans.make` on their own
`Database.for_user` view (a half, 10 km or marathon 8-20 weeks out). Uploads are generated
GPX runs (20 minutes, 121 points), each with its own start time in 2019, so none is a
duplicate of another or of a seeded run.

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and, for the queue, Redis on
127.0.0.1:6379; without Redis the 4-worker run imports in process (and says so).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

HOST = "127.0.0.1"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
REDIS = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[1]
ACTIVITIES = ROOT.parent / "shared" / "data" / "activities"
START_TIMEOUT_S = 60.0
JOB_WAIT_S = 180.0

# Request kinds and their share of the mix (trailmix benchmark choice: mostly reads, as a
# club's week is mostly runners looking at their plan and log; a write in five).
MIX: dict[str, float] = {
    "plan JSON": 0.18,
    "plan page": 0.14,
    "log week": 0.14,
    "log stats": 0.14,
    "activities": 0.16,
    "upload": 0.10,
    "RPE set": 0.14,
}
READS = {
    "plan JSON": "/api/v1/plans/current",
    "plan page": "/plan",
    "log week": "/api/v1/log/week",
    "log stats": "/api/v1/log/stats",
    "activities": "/api/v1/activities",
}
console = Console()


# --- data ---------------------------------------------------------------------------------------


@dataclass
class Runner:
    user_id: int
    headers: dict[str, str]
    run_ids: list[int]


@dataclass
class Ledger:
    """What the server said it did: the ground truth the final count checks against."""

    uploads: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    jobs: list[tuple[dict[str, str], str]] = field(default_factory=list)
    rpe: dict[int, float] = field(default_factory=dict)
    upload_attempts: int = 0


@dataclass
class Result:
    name: str
    seconds: float
    latencies: dict[str, list[float]]
    errors: Counter[str]
    statuses: Counter[int]
    failures: Counter[str] = field(default_factory=Counter)
    samples: dict[tuple[str, int], str] = field(default_factory=dict)
    note: str = ""

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def run_files() -> list[Path]:
    files = sorted((ACTIVITIES / "road").glob("*")) + sorted((ACTIVITIES / "trail_hill").glob("*"))
    if not files:
        raise SystemExit(f"no run files in {ACTIVITIES}: clone the repo beside ../shared")
    return files


def gpx_run(n: int) -> tuple[str, bytes]:
    """A 20-minute run at 3 m/s heading north-east, starting at its own minute in 2019."""
    start = datetime(2019, 1, 1, 6, 0, tzinfo=UTC) + timedelta(minutes=10 * n)
    lat0, lon0 = 48.0 + (n % 50) * 0.01, 8.0 + (n % 37) * 0.01
    points = []
    for i in range(121):
        t = start + timedelta(seconds=10 * i)
        lat, lon = lat0 + i * 0.00019, lon0 + i * 0.00028
        points.append(
            f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{200 + (i % 20):.1f}</ele>'
            f"<time>{t.strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="trailmix-bench" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>bench run</name><type>running'
        f"</type><trkseg>{''.join(points)}</trkseg></trk></gpx>\n"
    )
    return f"bench_{n:06d}.gpx", body.encode()


def seed(url: str, runners: int, multi_user: bool) -> list[Runner]:
    """The runners with a plan, a log and a token each (see the module's docstring)."""
    from sqlalchemy import insert, select

    from trailmix.app import accounts, plans
    from trailmix.app.log_import import import_paths
    from trailmix.app.store import open_store
    from trailmix.storage.accounts import Users
    from trailmix.storage.models import LOCAL_USER_ID, ActivityRow
    from trailmix.web.schemas import PlanCreate

    db = open_store(url)
    try:
        template = db.for_user(LOCAL_USER_ID)
        report = import_paths(template, run_files())
        cols = [c for c in ActivityRow.__table__.columns if c.name not in ("id", "file_bytes")]
        with db.engine.connect() as conn:
            rows = [
                dict(r._mapping)
                for r in conn.execute(
                    select(*cols)
                    .where(ActivityRow.user_id == LOCAL_USER_ID)
                    .order_by(ActivityRow.start_utc)
                )
            ]
        if len(rows) != len(report.imported):
            raise SystemExit("the template log was not imported whole")
        today = date.today()
        users: list[int] = []
        if multi_user:
            for i in range(runners):
                users.append(Users(db).add(f"runner{i:03d}", f"Runner {i}", "runner", None))
        else:
            users = [LOCAL_USER_ID]
        made: list[Runner] = []
        for i, uid in enumerate(users):
            view = db.for_user(uid)
            distance = ("half", "10k", "marathon")[i % 3]
            body = PlanCreate(
                distance=distance,
                race_date=(today + timedelta(weeks=8 + i % 13)).isoformat(),
                recent_race=f"10k={44 + i % 12}:30",
                weekly_km=30 + i % 30,
                days=4 + i % 3,
                long_run_day="sun",
            )
            plans.make(view, body.goal(), body.profile(), today, remember_profile=True)
            copies = []
            for copy in range(2):  # 2 x 17 runs, every other day, the last one yesterday
                for j, row in enumerate(rows):
                    days_back = 1 + 2 * (copy * len(rows) + (len(rows) - 1 - j))
                    start = row["start_utc"]
                    start = start.astimezone(UTC) if start.tzinfo else start.replace(tzinfo=UTC)
                    when = datetime.combine(today - timedelta(days=days_back), start.timetz())
                    sha = hashlib.sha256(f"{row['file_sha256']}/{uid}/{copy}".encode())
                    copies.append(
                        {**row, "user_id": uid, "start_utc": when, "file_sha256": sha.hexdigest()}
                    )
            with db.engine.begin() as conn:
                conn.execute(insert(ActivityRow), copies)
                ids = conn.execute(
                    select(ActivityRow.id).where(
                        ActivityRow.user_id == uid, ActivityRow.file_sha256 != ""
                    )
                ).scalars()
                run_ids = sorted(ids)
            headers: dict[str, str] = {}
            if multi_user:
                _, token = accounts.create_token(db, uid, "benchmark")
                headers = {"Authorization": f"Bearer {token}"}
            made.append(Runner(uid, headers, run_ids))
        return made
    finally:
        db.dispose()


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def process(cmd: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


def wait_until_up(base: str, proc: subprocess.Popen[bytes], log: Path, workers: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text()[-2000:]}")
        text = log.read_text()
        if text.count("Application startup complete") >= workers:
            try:
                httpx.get(base + "/login", timeout=2)
                return
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    raise SystemExit(f"the server at {base} did not start in {START_TIMEOUT_S:.0f} s")


def trailmix(*args: str) -> list[str]:
    return [sys.executable, "-m", "trailmix", *args]


# --- load ---------------------------------------------------------------------------------------


async def hammer(
    base: str,
    runners: list[Runner],
    ledger: Ledger,
    clients: int,
    requests: int,
    seconds: float,
    uploads_from: int,
) -> Result:
    """`clients` concurrent clients; client c owns the runners (or, with one runner, the runs)
    numbered c modulo `clients`, so each RPE's last value set is known."""
    latencies: dict[str, list[float]] = {k: [] for k in MIX}
    errors: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: Counter[str] = Counter()
    samples: dict[tuple[str, int], str] = {}
    sent = 0
    upload_no = uploads_from
    kinds, weights = list(MIX), list(MIX.values())
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    def owned(c: int) -> list[Runner]:
        if len(runners) >= clients:
            return runners[c::clients]
        one = runners[c % len(runners)]
        return [Runner(one.user_id, one.headers, one.run_ids[c // len(runners) :: clients])]

    async def client(c: int, http: httpx.AsyncClient, deadline: float) -> None:
        nonlocal sent, upload_no
        rng = random.Random(c)
        mine = owned(c)
        while sent < requests and time.perf_counter() < deadline:
            sent += 1
            runner = rng.choice(mine)
            kind = rng.choices(kinds, weights)[0]
            if kind == "RPE set" and not runner.run_ids:
                kind = "activities"
            t0 = time.perf_counter()
            try:
                if kind == "upload":
                    upload_no += 1
                    name, data = gpx_run(upload_no)
                    ledger.upload_attempts += 1
                    r = await http.post(
                        "/api/v1/activities",
                        headers=runner.headers,
                        files=[("files", (name, data, "application/gpx+xml"))],
                    )
                    if r.status_code < 400:
                        ledger.uploads[runner.user_id].append(name)
                        if r.status_code == 202:
                            ledger.jobs.append((runner.headers, r.json()["id"]))
                elif kind == "RPE set":
                    run_id = rng.choice(runner.run_ids)
                    rpe = float(rng.randint(1, 10))
                    r = await http.post(
                        f"/api/v1/activities/{run_id}/rpe",
                        headers=runner.headers,
                        json={"rpe": rpe},
                    )
                    if r.status_code < 400:
                        ledger.rpe[run_id] = rpe
                else:
                    r = await http.get(READS[kind], headers=runner.headers)
                status = r.status_code
            except httpx.HTTPError as exc:  # no answer: counted by the exception's name
                status = 0
                failures[type(exc).__name__] += 1
            latencies[kind].append(time.perf_counter() - t0)
            statuses[status] += 1
            if not 200 <= status < 400:
                errors[kind] += 1
                if status and (kind, status) not in samples:
                    samples[(kind, status)] = r.text[:160]

    # No cookie jar: a script with a token (or, single-user, without) is not a browser; a
    # client that kept the page's CSRF cookie would have to send its token with each POST.
    jar = CookieJar(DefaultCookiePolicy(allowed_domains=[]))  # httpx keeps this jar as is
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60, cookies=jar) as http:
        for r in runners[:3]:  # warm up: each worker's first plan parse and page render
            await http.get("/plan", headers=r.headers)
        start = time.perf_counter()
        deadline = start + seconds
        await asyncio.gather(*(client(c, http, deadline) for c in range(clients)))
        elapsed = time.perf_counter() - start
    return Result("", elapsed, latencies, errors, statuses, failures, samples)


def wait_for_jobs(base: str, ledger: Ledger) -> int:
    """Poll each queued upload's job until it is done or failed; the number not done."""
    pending = list(ledger.jobs)
    deadline = time.monotonic() + JOB_WAIT_S
    with httpx.Client(base_url=base, timeout=30) as http:
        while pending and time.monotonic() < deadline:
            left = []
            for headers, key in pending:
                job = http.get(f"/api/v1/imports/{key}", headers=headers).json()
                if job.get("status") not in ("done", "failed"):
                    left.append((headers, key))
            pending = left
            if pending:
                time.sleep(0.5)
    ledger.jobs.clear()
    return len(pending)


# --- the final count ----------------------------------------------------------------------------


def final_count(url: str, ledger: Ledger, seeded_runs: int, runners: int) -> list[tuple[str, ...]]:
    """Rows: (check, expected, found, ok)."""
    from sqlalchemy import func, select

    from trailmix.app.store import open_store
    from trailmix.storage.models import ActivityRow, ApiTokenRow, PlanRow, UserRow

    db = open_store(url)
    try:
        with db.engine.connect() as conn:

            def count(stmt: Any) -> int:
                return int(conn.execute(stmt).scalar_one())

            names = Counter(
                (r.user_id, r.file_name)
                for r in conn.execute(
                    select(ActivityRow.user_id, ActivityRow.file_name).where(
                        ActivityRow.file_name.like("bench_%")
                    )
                )
            )
            answered = [(uid, n) for uid, ns in ledger.uploads.items() for n in ns]
            once = sum(1 for k in answered if names[k] == 1)
            lost = sum(1 for k in answered if names[k] == 0)
            twice = sum(1 for k in answered if names[k] > 1)
            stray = sum(v for k, v in names.items() if k not in set(answered))
            rpe_rows = dict(
                conn.execute(
                    select(ActivityRow.id, ActivityRow.rpe).where(
                        ActivityRow.id.in_(list(ledger.rpe))
                    )
                ).all()
            )
            rpe_ok = sum(1 for k, v in ledger.rpe.items() if rpe_rows.get(k) == v)
            activities = count(select(func.count()).select_from(ActivityRow))
            plans = count(select(func.count()).select_from(PlanRow))
            users = count(select(func.count()).select_from(UserRow))
            tokens = count(select(func.count()).select_from(ApiTokenRow))
    finally:
        db.dispose()
    multi = runners > 1
    expect_runs = seeded_runs + len(answered)

    def row(name: str, expected: int, found: int) -> tuple[str, ...]:
        return (name, str(expected), str(found), "yes" if expected == found else "NO")

    return [
        row("uploads answered success, in the log once", len(answered), once),
        row("  ... missing from the log", 0, lost),
        row("  ... in the log twice or more", 0, twice),
        row("  ... uploaded runs nobody was told of", 0, stray),
        row("RPEs set, stored as last set", len(ledger.rpe), rpe_ok),
        row("activities rows", expect_runs, activities),
        row("plans rows", runners, plans),
        row("users rows", runners + 1 if multi else 1, users),
        row("api_tokens rows", runners if multi else 0, tokens),
    ]


# --- main ---------------------------------------------------------------------------------------


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    name = f"trailmix_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.format(name=name)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_queue() -> tuple[str | None, str]:
    """A queue URL with a name of its own, or None and why not."""
    try:
        from redis import Redis

        Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:  # no redis package, or no server: imports run in process
        return None, f"no Redis ({type(exc).__name__}): imports in process"
    return f"{REDIS}?queue=trailmix_bench_{secrets.token_hex(4)}", "RQ queue, 1 trailmix worker"


def drop_queue_keys(queue_url: str) -> None:
    from redis import Redis

    name = queue_url.split("queue=")[1]
    r = Redis.from_url(REDIS)
    keys = list(r.scan_iter(match=f"*{name}*"))
    if keys:
        r.delete(*keys)


def load(
    label: str,
    url: str,
    runners: list[Runner],
    ledger: Ledger,
    args: argparse.Namespace,
    tmp: Path,
    *,
    workers: int,
    multi_user: bool,
    queue: str | None = None,
    note: str = "",
) -> Result:
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TRAILMIX_DATA": str(tmp)}
    env.pop("TRAILMIX_QUEUE", None)
    cmd = trailmix("serve", "--db", url, "--port", str(port), "--workers", str(workers))
    cmd += ["--multi-user"] if multi_user else []
    cmd += ["--queue", queue] if queue else []
    console.print(f"[bold]{label}[/]: {workers} worker(s), {args.clients} clients", highlight=False)
    with process(cmd, env, tmp / f"{label}.log") as server:
        worker_cm = (
            process(trailmix("worker", "--queue", queue, "--db", url), env, tmp / "worker.log")
            if queue
            else None
        )
        if worker_cm:
            worker_cm.__enter__()
        try:
            wait_until_up(base, server, tmp / f"{label}.log", workers)
            result = asyncio.run(
                hammer(
                    base,
                    runners,
                    ledger,
                    args.clients,
                    args.requests,
                    args.seconds,
                    uploads_from=ledger.upload_attempts,
                )
            )
            if ledger.jobs:
                left = wait_for_jobs(base, ledger)
                if left:
                    note += f"; {left} queued imports not finished"
        finally:
            if worker_cm:
                worker_cm.__exit__(None, None, None)
    trouble = [
        line
        for line in (tmp / f"{label}.log").read_text(errors="replace").splitlines()
        if any(w in line for w in ("died", "hung", "Traceback", "ERROR"))
    ]
    if trouble:  # a worker restarted by uvicorn's supervisor, or an exception in the app
        note += f"; server log: {len(trouble)} lines like {trouble[0][:80]!r}"
    result.name, result.note = label, note
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def print_results(results: list[Result], args: argparse.Namespace) -> None:
    table = Table(
        title=f"trailmix multi-user load on {HOST}: {args.clients} clients, "
        f"{args.runners} runners, at most {args.seconds:.0f} s per configuration"
    )
    for col in ("configuration", "kind", "requests", "errors", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(col, justify="left" if col in ("configuration", "kind") else "right")
    for res in results:
        for kind, lat in res.latencies.items():
            if not lat:
                continue
            table.add_row(
                res.name,
                kind,
                str(len(lat)),
                str(res.errors[kind]),
                f"{statistics.median(lat) * 1000:.0f}",
                f"{percentile(lat, 0.95):.0f}",
                f"{percentile(lat, 0.99):.0f}",
            )
        every = [x for lat in res.latencies.values() for x in lat]
        table.add_row(
            f"[bold]{res.name}[/]",
            "[bold]all[/]",
            str(res.total),
            str(sum(res.errors.values())),
            f"{statistics.median(every) * 1000:.0f}",
            f"{percentile(every, 0.95):.0f}",
            f"{percentile(every, 0.99):.0f}",
            end_section=True,
        )
    console.print(table)
    summary = Table(title="throughput (the machine is shared: compare the ratios)")
    for col in (
        "configuration",
        "req/s",
        "vs PG 1 worker",
        "p95 vs PG 1 worker",
        "errors",
        "notes",
    ):
        summary.add_column(col, justify="left" if col in ("configuration", "notes") else "right")
    ref = next((r for r in results if r.name.startswith("PG 1")), results[0])
    ref_rate = ref.total / ref.seconds
    ref_p95 = percentile([x for v in ref.latencies.values() for x in v], 0.95)
    for res in results:
        rate = res.total / res.seconds
        p95 = percentile([x for v in res.latencies.values() for x in v], 0.95)
        shown = [f"{k}: {v}" for k, v in sorted(res.statuses.items()) if k >= 400]
        shown += [f"{k}: {v}" for k, v in sorted(res.failures.items())]
        codes = ", ".join(shown)
        summary.add_row(
            res.name,
            f"{rate:.1f}",
            f"{rate / ref_rate:.2f}x",
            f"{p95 / ref_p95:.2f}x",
            str(sum(res.errors.values())) + (f" ({codes})" if codes else ""),
            res.note,
        )
    console.print(summary)
    for res in results:
        for (kind, status), text in res.samples.items():
            console.print(f"{res.name}, {kind}, first {status}: {text}", markup=False)


def print_count(title: str, rows: list[tuple[str, ...]]) -> bool:
    table = Table(title=title)
    for col in ("check", "expected", "found", "ok"):
        table.add_column(col, justify="left" if col == "check" else "right")
    for r in rows:
        table.add_row(*r)
    console.print(table)
    return all(r[3] == "yes" for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=30, help="concurrent clients (20-50)")
    parser.add_argument("--runners", type=int, default=200, help="runners on PostgreSQL")
    parser.add_argument("--seconds", type=float, default=50.0, help="per configuration, at most")
    parser.add_argument("--requests", type=int, default=20000, help="per configuration, at most")
    parser.add_argument("--quick", action="store_true", help="a ~1-minute smoke")
    args = parser.parse_args()
    if args.quick:
        args.runners, args.seconds, args.clients = 20, 8.0, min(args.clients, 20)
    if not 1 <= args.clients <= 200 or args.runners < 1:
        raise SystemExit("--clients 1-200 and --runners 1 or more")
    sys.path.insert(0, str(ROOT / "src"))
    began = time.monotonic()
    results: list[Result] = []
    ok = True
    with tempfile.TemporaryDirectory() as folder, postgres_database() as pg:
        tmp = Path(folder)
        t0 = time.monotonic()
        runners = seed(pg, args.runners, multi_user=True)
        seeded = sum(len(r.run_ids) for r in runners) + len(run_files_imported(pg))
        console.print(
            f"seeded {len(runners)} runners ({seeded} runs, a plan and a token each) in "
            f"{time.monotonic() - t0:.0f} s"
        )
        ledger = Ledger()
        results.append(
            load("PG 1 worker", pg, runners, ledger, args, tmp, workers=1, multi_user=True)
        )
        queue, how = redis_queue()
        try:
            results.append(
                load(
                    "PG 4 workers",
                    pg,
                    runners,
                    ledger,
                    args,
                    tmp,
                    workers=4,
                    multi_user=True,
                    queue=queue,
                    note=how,
                )
            )
        finally:
            if queue:
                drop_queue_keys(queue)
        ok &= print_count(
            "PostgreSQL: no row lost or duplicated (both runs)",
            final_count(pg, ledger, seeded, args.runners),
        )
        lite = f"sqlite:///{tmp / 'single.db'}"
        one = seed(lite, 1, multi_user=False)
        lite_seeded = sum(len(r.run_ids) for r in one)
        lite_ledger = Ledger()
        results.append(
            load(
                "SQLite 1 runner",
                lite,
                one,
                lite_ledger,
                args,
                tmp,
                workers=1,
                multi_user=False,
                note="single-user reference",
            )
        )
        ok &= print_count(
            "SQLite: no row lost or duplicated", final_count(lite, lite_ledger, lite_seeded, 1)
        )
    print_results(results, args)
    console.print(f"whole run {time.monotonic() - began:.0f} s")
    if not ok:
        raise SystemExit(1)


def run_files_imported(url: str) -> list[int]:
    """The template user's own runs (user 1, imported once), for the expected row count."""
    from sqlalchemy import select

    from trailmix.app.store import open_store
    from trailmix.storage.models import LOCAL_USER_ID, ActivityRow

    db = open_store(url)
    try:
        with db.engine.connect() as conn:
            q = select(ActivityRow.id).where(ActivityRow.user_id == LOCAL_USER_ID)
            return list(conn.execute(q).scalars())
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
