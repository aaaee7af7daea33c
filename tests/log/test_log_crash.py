"""Killing the process during an import leaves the database consistent, and the next import
completes it: a real SIGKILL from outside once the first rows are committed, and one from
inside a run's open transaction (after its INSERT, before its COMMIT)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from support.logdata import ACTIVITIES
from trailmix.app.log_import import import_paths
from trailmix.storage.db import Database
from trailmix.storage.filepack import unpack

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

# Small, quick files (about 0.02-0.1 s each to import), so the test stays fast.
SOURCES = (
    ACTIVITIES / "road" / "fr410_rolling_road_run.tcx",
    ACTIVITIES / "road" / "applewatch_healthfit_run.gpx.gz",
    ACTIVITIES / "road" / "recife_2020-12-16T05_44_18-300_Running.tcx",
)
REQUIRED = (
    "id",
    "file_sha256",
    "start_utc",
    "elapsed_s",
    "moving_s",
    "distance_km",
    "surface",
    "surface_source",
    "surface_confidence",
    "rpe_estimated",
    "source",
    "file_name",
    "summary",
    "imported_at",
)
_ISO = re.compile(rb"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})")


def _shift(data: bytes, days: int) -> bytes:
    """GPX / TCX bytes (gzipped or not) with every ISO date-time moved by `days`."""
    zipped = data[:2] == b"\x1f\x8b"
    raw = gzip.decompress(data) if zipped else data

    def move(m: re.Match[bytes]) -> bytes:
        y, mo, d, h, mi, sec = (int(g) for g in m.groups())
        moved = datetime(y, mo, d, h, mi, sec) + timedelta(days=days)
        return moved.strftime("%Y-%m-%dT%H:%M:%S").encode()

    out = _ISO.sub(move, raw)
    return gzip.compress(out, mtime=0) if zipped else out


def _copies(folder: Path, n: int) -> Path:
    """`n` runs: the sources, then copies shifted by whole days (new bytes, new starts)."""
    folder.mkdir()
    for i in range(n):
        src = SOURCES[i % len(SOURCES)]
        days = i // len(SOURCES)
        suffix = src.name.split(".", 1)[1]
        (folder / f"run_{i:03d}.{suffix}").write_bytes(_shift(src.read_bytes(), days))
    return folder


def _fresh_db(path: Path) -> str:
    """A migrated, empty database (so the child only imports)."""
    url = f"sqlite:///{path}"
    Database(url).dispose()
    return url


def _count(path: Path) -> int:
    """Rows committed so far, read without writing (None while the writer holds a lock)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05)
    try:
        return int(con.execute("SELECT count(*) FROM activities").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def _check_consistent(path: Path, folder: Path) -> int:
    """Integrity ok, and every stored row whole: required columns set, the file's bytes those
    of the copy it names, their SHA-256 the stored one. Returns the number of rows."""
    con = sqlite3.connect(path)  # read-write: a hot journal left by the kill is rolled back
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.row_factory = sqlite3.Row
        rows = con.execute("SELECT * FROM activities").fetchall()
        files = {
            r[0]: unpack(r[1], r[2])
            for r in con.execute("SELECT activity_id, data, compression FROM activity_files")
        }
    finally:
        con.close()
    for row in rows:
        missing = [c for c in REQUIRED if row[c] is None]
        assert not missing, f"row {row['id']} lacks {missing}"
        data = files[row["id"]]  # its file, stored in the same transaction
        assert hashlib.sha256(data).hexdigest() == row["file_sha256"]
        assert data == (folder / row["file_name"]).read_bytes()
        assert 0 < row["moving_s"] <= row["elapsed_s"] + 1e-6 and row["distance_km"] > 0
        assert isinstance(json.loads(row["summary"]), dict)
    return len(rows)


def _complete_with_second_import(db_path: Path, folder: Path, stored: int, n: int) -> None:
    db = Database(f"sqlite:///{db_path}")
    report = import_paths(db, [folder])
    db.dispose()
    assert not report.problems and not report.skipped
    assert len(report.imported) == n - stored
    assert len(report.duplicates) == stored
    assert all("same file" in why for _, why in report.duplicates)
    assert _check_consistent(db_path, folder) == n
    con = sqlite3.connect(db_path)
    try:
        shas, starts = con.execute(
            "SELECT count(DISTINCT file_sha256), count(DISTINCT start_utc) FROM activities"
        ).fetchone()
    finally:
        con.close()
    assert shas == starts == n


def test_killed_import_leaves_whole_rows_and_the_next_import_completes(tmp_path: Path) -> None:
    n = 30
    folder = _copies(tmp_path / "runs", n)
    db_path = tmp_path / "log.db"
    url = _fresh_db(db_path)
    code = (
        "import sys; from pathlib import Path; "
        "from trailmix.storage.db import Database; "
        "from trailmix.app.log_import import import_paths; "
        "import_paths(Database(sys.argv[1]), [Path(sys.argv[2])])"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, url, str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while _count(db_path) == 0:
            if child.poll() is not None:
                _, err = child.communicate()
                pytest.fail(f"the import ended before a row was committed: {err.decode()}")
            assert time.monotonic() < deadline, "no row was committed within 60 s"
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        assert child.stderr is not None
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL  # killed, not finished
    stored = _check_consistent(db_path, folder)
    assert 1 <= stored < n
    _complete_with_second_import(db_path, folder, stored, n)


def test_kill_inside_a_runs_transaction_stores_nothing_of_it(tmp_path: Path) -> None:
    """The child kills itself right after the third run's INSERT, before its commit."""
    n, kill_at = 8, 3
    folder = _copies(tmp_path / "runs", n)
    db_path = tmp_path / "log.db"
    url = _fresh_db(db_path)
    code = f"""
import os, signal, sys
from pathlib import Path
from sqlalchemy import Engine, event
from trailmix.storage.db import Database
from trailmix.app.log_import import import_paths

inserted = 0

@event.listens_for(Engine, "after_cursor_execute")
def _die(conn, cursor, statement, parameters, context, executemany):
    global inserted
    inserted += statement.lstrip().upper().startswith("INSERT INTO ACTIVITIES")
    if inserted >= {kill_at}:
        os.kill(os.getpid(), signal.SIGKILL)

import_paths(Database(sys.argv[1]), [Path(sys.argv[2])])
"""
    done = subprocess.run(
        [sys.executable, "-c", code, url, str(folder)], capture_output=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    # killed inside the write: SQLite's rollback journal is left behind ("hot")
    assert db_path.with_name(db_path.name + "-journal").exists()
    # The runs before it are whole or absent (committed with their batch of a fifth of a second, or
    # not yet: `Database.batched`); nothing of the third, and the next import completes.
    stored = _check_consistent(db_path, folder)
    assert stored <= kill_at - 1
    _complete_with_second_import(db_path, folder, stored, n)
