"""`trailmix serve --workers 2`: a real server process on a free loopback port whose two
uvicorn workers both start on the same database and answer (bounded: a few seconds)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

START_TIMEOUT_S = 40.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(p) for p in text.split()}
    return found


def test_serve_with_two_workers_starts_two_processes_that_answer(
    tmp_path: Path, template_db: Path
) -> None:
    db = tmp_path / "workers.db"
    shutil.copy(template_db, db)
    port = _free_port()
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src, "TRAILMIX_DATA": str(tmp_path)}
    cmd = [sys.executable, "-m", "trailmix", "serve", "--db", str(db), "--port", str(port)]
    logfile = tmp_path / "serve.log"
    with logfile.open("w") as out:
        server = subprocess.Popen(
            [*cmd, "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    log = ""
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and log.count("Application startup complete") < 2:
            log = logfile.read_text()
            assert server.poll() is None, f"serve --workers 2 exited:\n{log}"
            time.sleep(0.1)
        assert log.count("Application startup complete") == 2, log
        started = set(re.findall(r"Started server process \[(\d+)\]", log))
        assert len(started) == 2, log
        assert {int(p) for p in started} <= _children(server.pid), log  # two processes

        # many connections at once: each answers, from whichever worker takes it
        def get(_: int) -> int:
            with httpx.Client(timeout=10) as c:
                return c.get(f"http://127.0.0.1:{port}/api/v1/plans/current").status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(get, range(24)))
        assert set(codes) == {404}, codes  # an empty database: no plan yet, answered as JSON
        with httpx.Client(timeout=10) as c:
            assert c.get(f"http://127.0.0.1:{port}/start").status_code == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def test_workers_with_reload_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused before anything starts (in-process: the refusal is the CLI's, not the server's;
    a server started anyway fails the test instead of serving)."""
    import uvicorn

    from support.cliharness import run_cli

    def started(*_: object, **__: object) -> None:
        raise AssertionError("serve --workers 2 --reload started a server")

    monkeypatch.setattr(uvicorn, "run", started)
    done = run_cli("serve", "--workers", "2", "--reload")
    assert done.exit_code != 0
    assert "--reload restarts one process" in done.message
    assert "Traceback" not in done.stderr


def test_allowed_hosts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from trailmix.web.settings import LOCAL_HOSTS, Settings

    monkeypatch.setenv("TRAILMIX_DB", "sqlite:///:memory:")
    monkeypatch.setenv("TRAILMIX_ALLOWED_HOSTS", " club.example.org, 127.0.0.1 ,")
    assert Settings.from_env().allowed_hosts == ("club.example.org", "127.0.0.1")
    monkeypatch.delenv("TRAILMIX_ALLOWED_HOSTS")
    assert Settings.from_env().allowed_hosts == LOCAL_HOSTS
