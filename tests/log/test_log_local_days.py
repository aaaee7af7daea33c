"""A runner's days are their local days (issue 13): each run keeps its time zone (from the
file, the start's position, or the runner's zone) and is counted on the day it was run, in the
list, the day sums, the stats, the plan's week and a re-plan's history; the SQL of SQLite, of
the quick read and of PostgreSQL agree."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from support.cliharness import Cli
from support.logdata import ACTIVITIES
from trailmix.app import log as training_log
from trailmix.app import zones
from trailmix.app.log_import import import_files, import_paths
from trailmix.domain.types import Athlete
from trailmix.formats.readers import NamedBytes
from trailmix.storage.db import Database
from trailmix.storage.quick import QuickLog
from trailmix.storage.records import ActivityRecord, RunSummaryRecord
from trailmix.storage.repo import Activities, Athletes

# 19:00 on 9 November 2026 in California (PST, UTC-8) is 03:00 UTC on the 10th.
EVENING_UTC = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)
PST = -480


def _add(db: Database, k: int, start: datetime, offset: int, *, surface: str = "road") -> int:
    return (
        Activities(db)
        .add(
            file_sha256=hashlib.sha256(f"run {k}".encode()).hexdigest(),
            start_utc=start,
            elapsed_s=1900.0,
            moving_s=1800.0,
            distance_km=5.0,
            surface=surface,
            surface_source="inferred",
            surface_confidence=0.6,
            rpe=5.0,
            source="file",
            summary=RunSummaryRecord(),
            utc_offset_min=offset,
            timezone="America/Los_Angeles" if offset == PST else None,
            timezone_source="coordinates",
        )
        .id
    )


def test_an_evening_run_in_california_is_on_its_own_day() -> None:
    rec = ActivityRecord(
        id=1,
        start_utc=EVENING_UTC,
        elapsed_s=1.0,
        moving_s=1.0,
        distance_km=1.0,
        gain_m=None,
        loss_m=None,
        avg_hr=None,
        max_hr=None,
        surface="road",
        surface_source="inferred",
        surface_confidence=0.5,
        trail_id=None,
        rpe=None,
        rpe_estimated=False,
        name=None,
        activity_type=None,
        gear=None,
        source="file",
        file_name=None,
        summary=RunSummaryRecord(),
        utc_offset_min=PST,
    )
    assert training_log.local_day(rec) == date(2026, 11, 9)
    assert training_log.local_day(rec.__class__(**{**rec.__dict__, "utc_offset_min": 0})) == (
        date(2026, 11, 10)
    )
    # east of UTC: 23:30 UTC on the 9th is the 10th in Berlin (UTC+1 in November)
    late = rec.__class__(**{**rec.__dict__, "start_utc": datetime(2026, 11, 9, 23, 30, tzinfo=UTC)})
    assert training_log.local_day(late.__class__(**{**late.__dict__, "utc_offset_min": 60})) == (
        date(2026, 11, 10)
    )


def _check_days(db: Database | QuickLog, evening: int, berlin: int) -> None:
    """The California evening run is on the 9th, the Berlin night run on the 10th: in the
    day sums, the list, the sessions and the stats."""
    source = training_log._source(db)
    totals = {t.day: t for t in source.day_totals(date(2026, 11, 8), date(2026, 11, 11))}
    assert sorted(totals) == [date(2026, 11, 9), date(2026, 11, 10)]
    assert totals[date(2026, 11, 9)].road_s == 1800.0  # the California run
    assert totals[date(2026, 11, 10)].trail_s == 1800.0  # the Berlin run
    page = training_log.runs_page(db, date(2026, 11, 10), since=date(2026, 11, 10), limit=None)
    assert [r.id for r in page.runs] == [berlin]
    page = training_log.runs_page(db, date(2026, 11, 9), since=date(2026, 11, 9), limit=None)
    # oldest first by the instant they started: Berlin's 23:30 UTC before California's 03:00
    assert [(r.id, training_log.local_day(r)) for r in page.runs] == [
        (berlin, date(2026, 11, 10)),
        (evening, date(2026, 11, 9)),
    ]
    assert [s.id for s in source.sessions(date(2026, 11, 9), date(2026, 11, 9))] == [evening]
    assert [s.id for s in source.sessions(date(2026, 11, 10), date(2026, 11, 10))] == [berlin]
    st = training_log.stats(db, 1, date(2026, 11, 10))
    assert st.road_min == (30.0,) and st.trail_min == (30.0,)


@pytest.fixture
def two_runs(db_url: str) -> Iterator[tuple[Database, int, int]]:
    db = Database(db_url)
    evening = _add(db, 1, EVENING_UTC, PST)
    # 23:30 UTC on the 9th: 00:30 on the 10th in Berlin
    berlin = _add(db, 2, datetime(2026, 11, 9, 23, 30, tzinfo=UTC), 60, surface="trail")
    yield db, evening, berlin
    db.dispose()


@pytest.mark.sqlite_only  # the quick read is SQLite's
def test_days_are_local_in_sqlite_and_the_quick_read(
    two_runs: tuple[Database, int, int], db_url: str
) -> None:
    db, evening, berlin = two_runs
    _check_days(db, evening, berlin)
    quick = QuickLog.open(db_url)
    assert quick is not None
    _check_days(quick, evening, berlin)
    assert [r.id for r in Activities(db).between(date(2026, 11, 9), date(2026, 11, 9))] == [evening]
    quick.close()


def test_a_rpe_by_date_finds_the_run_on_its_local_day(
    cli: Cli, two_runs: tuple[Database, int, int]
) -> None:
    _db, evening, _berlin = two_runs
    r = cli("log", "rpe", "2026-11-09", "7", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["id"] == evening and r.json()["date"] == "2026-11-09"
    listed = cli("log", "list", "--format", "json", "--limit", "0").json()
    assert {d["id"]: d["date"] for d in listed}[evening] == "2026-11-09"
    assert {d["id"]: d["utc_offset_min"] for d in listed}[evening] == PST


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL database (skipped when the server is not there)."""
    psycopg = pytest.importorskip("psycopg")
    name = f"trailmix_log21_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(
            "host=127.0.0.1 user=postgres dbname=postgres", autocommit=True, connect_timeout=2
        )
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server on 127.0.0.1")
    admin.execute(f'CREATE DATABASE "{name}"')
    # A session zone far from UTC: the days must not depend on it.
    admin.execute(f"ALTER DATABASE \"{name}\" SET timezone TO 'Asia/Tokyo'")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_days_are_local_in_postgresql(pg_url: str) -> None:
    """Migrated from nothing on PostgreSQL (0006 included): the same days, whatever the
    session's time zone."""
    db = Database(pg_url)
    evening = _add(db, 1, EVENING_UTC, PST)
    berlin = _add(db, 2, datetime(2026, 11, 9, 23, 30, tzinfo=UTC), 60, surface="trail")
    _check_days(db, evening, berlin)
    db.dispose()


def _gpx(lat: float, lon: float, start: datetime) -> bytes:
    """Ten minutes of running north at 3 m/s, a point every 5 s."""
    points = []
    for i in range(121):
        t = (start + timedelta(seconds=5 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{lat + i * 15 / 111_000:.6f}" lon="{lon:.6f}"><time>{t}</time></trkpt>'
        )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        + "".join(points)
        + "</trkseg></trk></gpx>"
    ).encode()


def test_the_import_stores_the_zone_from_the_file_the_position_or_the_runner(
    db_url: str,
) -> None:
    db = Database(db_url)
    Athletes(db).save(Athlete(timezone="Pacific/Honolulu"))
    files = [
        NamedBytes("sf.gpx", _gpx(37.77, -122.42, EVENING_UTC)),  # San Francisco, 19:00 PST
        NamedBytes("sea.gpx", _gpx(0.5, -140.0, EVENING_UTC + timedelta(days=1))),  # mid-ocean
    ]
    report = import_files(db, files)
    assert not report.problems and not report.skipped, report
    found = {r.file_name: r for r in report.imported}
    sf = found["sf.gpx"]
    assert (sf.utc_offset_min, sf.timezone, sf.timezone_source) == (
        PST,
        "America/Los_Angeles",
        "coordinates",
    )
    assert training_log.local_day(sf) == date(2026, 11, 9)
    sea = found["sea.gpx"]  # no land zone at sea: the runner's
    assert (sea.utc_offset_min, sea.timezone, sea.timezone_source) == (
        -600,
        "Pacific/Honolulu",
        "athlete",
    )
    fit = import_paths(db, [ACTIVITIES / "trail_hill" / "boulder_fr35_run_no_altitude.fit"])
    [boulder] = fit.imported
    # the watch's local time (MST, UTC-7 in January), named by the start's zone
    assert (boulder.utc_offset_min, boulder.timezone, boulder.timezone_source) == (
        -420,
        "America/Denver",
        "file",
    )
    again = Activities(db).get(sf.id)
    assert again == sf  # stored as imported
    db.dispose()


def test_the_runners_zone_defaults_to_this_computers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert zones.machine_zone() == "Asia/Kolkata"
    assert zones.athlete_zone(Athlete()) == "Asia/Kolkata"
    assert zones.athlete_zone(Athlete(timezone="Europe/Berlin")) == "Europe/Berlin"
    monkeypatch.setenv("TZ", "Not/AZone")
    assert zones.zone_info(zones.machine_zone()) is not None
    assert zones.offset_min("Asia/Kolkata", EVENING_UTC) == 330


def test_athlete_set_timezone(cli: Cli) -> None:
    r = cli("athlete", "set", "--timezone", "Europe/Berlin", "--format", "json")
    assert r.exit_code == 0 and r.json()["timezone"] == "Europe/Berlin"
    bad = cli("athlete", "set", "--timezone", "Mars/Olympus")
    assert bad.exit_code == 2 and "--timezone" in bad.stderr and "Traceback" not in bad.stderr
    shown = cli("athlete", "show", "--format", "json").json()
    assert shown["timezone"] == "Europe/Berlin"


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_runs_stored_before_zones_keep_their_utc_days(
    tmp_path: Path, dialect: str, request: pytest.FixtureRequest
) -> None:
    """Migration 0006 on a log of 0005: runs keep offset 0 ("utc") and their UTC days."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from trailmix.storage.schema import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    start = "'2026-11-10 03:00:00.000000'"
    if dialect == "postgresql":
        url = request.getfixturevalue("pg_url")
        start = "'2026-11-10 03:00:00+00'"  # an instant (the session's zone is Tokyo)
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005_users")
        conn.execute(
            text(
                "INSERT INTO activities (file_sha256, start_utc, elapsed_s, moving_s, "
                "distance_km, surface, surface_source, surface_confidence, rpe_estimated, "
                f"source, summary, imported_at) VALUES ('a', {start}, 60, 60, 1, 'road', "
                f"'inferred', 0.5, {'false' if dialect == 'postgresql' else 0}, 'file', '{{}}', "
                f"{start})"
            )
        )
    engine.dispose()
    db = Database(url)  # migrates to the head
    [rec] = Activities(db).all()
    assert (rec.utc_offset_min, rec.timezone, rec.timezone_source) == (0, None, "utc")
    assert training_log.local_day(rec) == date(2026, 11, 10)
    assert [t.day for t in Activities(db).day_totals(date(2026, 11, 9), date(2026, 11, 11))] == [
        date(2026, 11, 10)
    ]
    db.dispose()


@pytest.mark.sqlite_only  # the quick read is SQLite's
def test_the_plans_week_and_a_replans_history_count_the_local_day(cli: Cli, db_url: str) -> None:
    """A planned session done at 19:00 in California is done on its day (not 'moved' to the
    next UTC day), and a re-plan's history counts its trail run on that day."""
    made = cli("plan", "--distance", "half", "--race-date", "2027-03-07", "--start", "2026-11-09",
               "--recent-race", "10k=48:30")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    db = Database(db_url)
    plan = training_log._source(db).current_plan()
    first_week, session = next(
        (w, s)
        for w in plan.weeks[:4]
        for s in w.sessions
        if s.surface.value == "trail" and s.duration_min > 0
    )
    day = session.date
    start = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC) + timedelta(
        hours=3
    )  # 03:00 UTC the next day: 19:00 on `day` in California
    run = Activities(db).add(
        file_sha256="c" * 64,
        start_utc=start,
        elapsed_s=session.duration_min * 60,
        moving_s=session.duration_min * 60,
        distance_km=8.0,
        surface=session.surface.value,
        surface_source="runner",
        surface_confidence=1.0,
        rpe=4.0,
        source="file",
        summary=RunSummaryRecord(),
        utc_offset_min=PST,
        timezone="America/Los_Angeles",
        timezone_source="coordinates",
    )
    today = first_week.end
    for source in (db, QuickLog.open(db_url)):
        assert source is not None
        report = training_log.week(source, day, today)
        [match] = [m for m in report.adherence.weeks[report.index].matches if m.session == session]
        assert match.run is not None and match.run.id == run.id
        assert match.run.day == day
        assert match.status.value == "done", match.reason.text
    history = training_log.history(db, today + timedelta(days=1), plan.start)
    assert history.first_trail == day and history.trail_weeks_done == 1
    db.dispose()
