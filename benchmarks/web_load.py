"""Load on the web app, loopback only: the plan page and the plan API under 20 concurrent
clients. Starts `uvicorn` (one worker, its own process) on 127.0.0.1 and a free port with a
seeded temporary database, sends a bounded number of requests for at most a bounded time,
prints a table, stops the server and exits.

    .venv/bin/python benchmarks/web_load.py [--clients 20] [--requests 2000] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

HOST = "127.0.0.1"
TARGETS = {"plan page": "/plan", "plan API": "/api/v1/plans/current"}
START_TIMEOUT_S = 30.0


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/start", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {base} did not start in {START_TIMEOUT_S:.0f} s")


def seed(base: str) -> None:
    """The README's runner with a half marathon 16 weeks out and a trail from ../shared."""
    with httpx.Client(base_url=base) as c:
        r = c.post(
            "/api/v1/plans",
            json={
                "distance": "half",
                "race_date": (date.today() + timedelta(weeks=16)).isoformat(),
                "recent_race": "10k=48:30",
                "weekly_km": 40,
                "days": 5,
                "long_run_day": "sun",
            },
        )
        r.raise_for_status()
        fit = (
            Path(__file__).resolve().parents[1].parent
            / "shared/data/activities/trail_hill/fr645m_heidelberg_hill_run.fit"
        )
        if fit.exists():
            c.post("/api/v1/trails", files={"file": (fit.name, fit.read_bytes())})
            c.post("/api/v1/plans/current/remake").raise_for_status()


async def hammer(base: str, path: str, clients: int, requests: int, seconds: float) -> Result:
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal sent, errors
        while sent < requests and time.perf_counter() < deadline:
            sent += 1
            t0 = time.perf_counter()
            try:
                r = await c.get(path)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - t0)
            errors += not ok

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as c:
        await c.get(path)  # warm up
        start = time.perf_counter()
        await asyncio.gather(*(client(c) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return Result(path, latencies, errors, elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="per target, at most")
    parser.add_argument("--seconds", type=float, default=30.0, help="per target, at most")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {**os.environ, "TRAILMIX_DB": str(Path(tmp) / "load.db")}
        cmd = [sys.executable, "-m", "uvicorn", "trailmix.web.app:create_app", "--factory"]
        cmd += ["--host", HOST, "--port", str(port), "--log-level", "warning"]
        server = subprocess.Popen(cmd, env=env)
        base = f"http://{HOST}:{port}"
        try:
            wait_until_up(base)
            seed(base)
            results = {
                name: asyncio.run(hammer(base, path, args.clients, args.requests, args.seconds))
                for name, path in TARGETS.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=10)
    table = Table(
        title=f"trailmix web on {HOST}: {args.clients} concurrent clients, uvicorn, one worker"
    )
    for col in ("target", "requests", "errors", "req/s", "p50 ms", "p95 ms", "max ms"):
        table.add_column(col, justify="left" if col == "target" else "right")
    for name, r in results.items():
        lat = sorted(r.latencies)
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        table.add_row(
            f"{name} {r.name}",
            str(len(lat)),
            str(r.errors),
            f"{len(lat) / r.seconds:.0f}",
            f"{statistics.median(lat) * 1000:.1f}",
            f"{p95 * 1000:.1f}",
            f"{lat[-1] * 1000:.1f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
