"""The quick read of the log (storage/quick.py, for `trailmix log list`, `log stats`,
`log week`): the same records, pages, sums and weeks as the ordinary database, without
importing SQLAlchemy or numpy; anything it cannot read is read the ordinary way."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from support.cliharness import Cli
from trailmix.app import log as training_log
from trailmix.domain.types import Athlete, TrailPreference
from trailmix.errors import NotFoundError
from trailmix.storage.db import Database
from trailmix.storage.models import LOCAL_USER_ID
from trailmix.storage.quick import LOCAL_USER, NO_PLAN, QuickLog
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import Activities, Athletes, Plans

TODAY = date(2026, 6, 17)


def _fill(db: Database) -> None:
    """Thirty runs over eight weeks: road and trail, rated and not, two on one day, odd
    names, a full summary on some."""
    summary = RunSummaryRecord(
        stopped_s=42.0,
        stops=2,
        avg_pace_s_per_km=301.5,
        gap_s_per_km=290.0,
        hr_zone_s=(1.0, 2.0, 3.0, 4.0, 5.0),
        notes=("a note",),
    )
    for k in range(30):
        start = datetime(2026, 6, 16, 6, 30, 15, 250000, UTC) - timedelta(days=2 * k, hours=k)
        Activities(db).add(
            file_sha256=hashlib.sha256(f"run {k}".encode()).hexdigest(),
            start_utc=start,
            elapsed_s=1900.0 + k,
            moving_s=1800.0 + 7 * k,
            distance_km=5.0 + k / 10,
            gain_m=None if k % 4 == 0 else 10.0 * k,
            loss_m=None if k % 4 == 0 else 9.5 * k,
            avg_hr=None if k % 3 else 140.0 + k,
            max_hr=None if k % 3 else 170.0,
            surface="trail" if k % 3 == 1 else "road",
            surface_source="inferred",
            surface_confidence=0.6,
            rpe=None if k % 5 == 2 else 3.0 + k % 6,
            rpe_estimated=k % 2 == 0,
            name=f"Lauf «{k}» [b]x[/b]",
            activity_type="Run" if k % 2 else None,
            gear="Speedgoat" if k % 7 == 0 else None,
            source="file",
            file_name=f"run{k}.fit",
            file_bytes=b"x" * 100,
            summary=summary if k % 2 else RunSummaryRecord(),
        )
    Activities(db).add(  # a second run on the newest day
        file_sha256="f" * 64,
        start_utc=datetime(2026, 6, 16, 18, 0, tzinfo=UTC),
        elapsed_s=900.0,
        moving_s=850.0,
        distance_km=2.5,
        surface="road",
        surface_source="runner",
        surface_confidence=1.0,
        rpe=2.0,
        source="strava",
        summary=RunSummaryRecord(),
    )


@pytest.fixture
def filled(db_url: str, cli: Cli) -> str:
    made = cli("plan", "--distance", "half", "--race-date", "2026-09-20", "--start", "2026-05-04",
               "--recent-race", "10k=48:30")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    db = Database(db_url)
    Athletes(db).save(Athlete(trail_preference=TrailPreference.ENJOY, trail_cap=0.25))
    _fill(db)
    db.dispose()
    return db_url


@pytest.mark.sqlite_only  # the quick read is SQLite's
def test_the_quick_read_gives_what_the_database_gives(filled: str) -> None:
    quick = training_log.reader_at(filled)
    assert isinstance(quick, QuickLog)
    db = Database(filled)
    page_args: list[dict[str, object]] = [
        {},
        {"limit": 7},
        {"limit": 0},
        {"weeks": 2, "limit": None},
        {"since": date(2026, 5, 20), "limit": 5},
    ]
    for args in page_args:
        a = training_log.runs_page(db, TODAY, **args)  # type: ignore[arg-type]
        b = training_log.runs_page(quick, TODAY, **args)  # type: ignore[arg-type]
        assert a == b, args
    first = training_log.runs_page(db, TODAY, limit=7)
    assert first.older is not None
    for _ in range(3):  # walking back by cursor
        a = training_log.runs_page(db, TODAY, limit=7, before=first.older)
        b = training_log.runs_page(quick, TODAY, limit=7, before=first.older)
        assert a == b and a.runs
        first = a
    for weeks in (1, 4, 104):
        assert training_log.stats(db, weeks, TODAY) == training_log.stats(quick, weeks, TODAY)
    assert training_log.stats(quick, 4, TODAY).trail_cap == 0.25  # the athlete is read
    assert training_log.week(db, TODAY, TODAY) == training_log.week(quick, TODAY, TODAY)
    assert training_log.history(db, TODAY) == training_log.history(quick, TODAY)
    with pytest.raises(NotFoundError):
        training_log.runs_page(quick, TODAY, before=9999)
    db.dispose()


@pytest.mark.sqlite_only  # the quick read is SQLite's
def test_what_the_quick_read_cannot_read_is_read_the_ordinary_way(
    db_url: str, tmp_path: Path
) -> None:
    fresh = f"sqlite:///{tmp_path / 'new' / 'log.db'}"
    opened = training_log.reader_at(fresh)  # a new file: created and migrated
    assert isinstance(opened, Database)
    opened.dispose()
    assert QuickLog.open("sqlite://") is None
    assert QuickLog.open("postgresql+psycopg://u@h/db") is None
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:  # another schema
        conn.execute("UPDATE alembic_version SET version_num = 'other'")
    assert QuickLog.open(db_url) is None


@pytest.mark.sqlite_only  # the quick read is SQLite's
def test_no_plan_and_the_local_user_are_the_databases_words(db_url: str) -> None:
    quick = QuickLog.open(db_url)
    assert quick is not None
    with pytest.raises(NotFoundError) as fast:
        quick.current_plan()
    with pytest.raises(NotFoundError) as slow:
        Plans(Database(db_url)).current()
    assert fast.value.message == slow.value.message == NO_PLAN
    assert LOCAL_USER == LOCAL_USER_ID
    assert quick.athlete() is None
    quick.close()


def test_record_fields_are_the_columns() -> None:
    """The quick read selects the record's fields by name: each is a column."""
    from trailmix.storage.models import ActivityRow
    from trailmix.storage.records import ActivityRecord

    columns = set(ActivityRow.__table__.columns.keys())
    assert {f.name for f in dataclasses.fields(ActivityRecord)} <= columns


@pytest.mark.sqlite_only  # the quick read is SQLite's
def test_the_log_commands_start_without_sqlalchemy_or_numpy(filled: str) -> None:
    """`log list`, `log stats --weeks 104` and `log week` of a SQLite log, one after the
    other in one process: none imports SQLAlchemy, numpy or the file readers."""
    commands = [
        ["log", "list"],
        ["log", "stats", "--weeks", "104"],
        ["log", "week", "--date", "2026-06-10"],
    ]
    code = (
        "import json, sys\nfrom trailmix.cli import main\n"
        f"for args in {commands!r}:\n"
        f"    try:\n        main([*args, '--db', {filled!r}])\n"
        "    except SystemExit as exc:\n        assert not exc.code, (args, exc.code)\n"
        "print(json.dumps([m for m in ('sqlalchemy', 'numpy', 'trailmix.formats.readers') "
        "if m in sys.modules]), file=sys.stderr)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Training log" in r.stdout and "Week" in r.stdout, r.stderr
    assert json.loads(r.stderr.strip().splitlines()[-1]) == []
