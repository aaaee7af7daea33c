"""The log at scale: lists are pages of the latest runs (CLI, API, web page, cursor by run id),
stats summed per day in SQL equal the sums over the runs, and no log query reads the stored
files. (Speed itself is measured in benchmarks/log_scale.py, not here.)"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event

from support.cliharness import Cli
from trailmix.app import log as training_log
from trailmix.app.log_json import record_json
from trailmix.domain.log.load import acwr, daily_loads, session_rpe_load, weekly_loads
from trailmix.errors import InputError, NotFoundError
from trailmix.storage.db import Database
from trailmix.storage.models import ActivityRow
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import Activities

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from trailmix.web import Settings

pytestmark = pytest.mark.both_stores  # paging, SQL sums and narrow queries on both stores

TODAY = date(2026, 6, 15)


def add_run(
    db: Database,
    k: int,
    start: datetime,
    *,
    moving_s: float = 1800.0,
    surface: str = "road",
    rpe: float | None = 5.0,
) -> int:
    rec = Activities(db).add(
        file_sha256=hashlib.sha256(f"run {k} {start}".encode()).hexdigest(),
        start_utc=start,
        elapsed_s=moving_s + 60,
        moving_s=moving_s,
        distance_km=5.0,
        surface=surface,
        surface_source="inferred",
        surface_confidence=0.6,
        rpe=rpe,
        rpe_estimated=False,
        source="file",
        file_name=f"run{k}.gpx",
        file_bytes=b"x" * 1000,
        summary=RunSummaryRecord(),
    )
    return rec.id


def _daily(db: Database, n: int) -> list[int]:
    """`n` runs, one a day back from TODAY at 07:00 UTC; their ids, newest first."""
    return [
        add_run(db, k, datetime.combine(TODAY - timedelta(days=k), datetime.min.time(), UTC))
        for k in range(n)
    ]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


def test_pages_walk_back_through_the_log_by_cursor(db: Database) -> None:
    ids = _daily(db, 7)  # newest first
    page = training_log.runs_page(db, TODAY, limit=3)
    assert [r.id for r in page.runs] == ids[2::-1]  # the latest three, oldest first
    assert page.left_out == 4 and page.older == ids[2]
    page = training_log.runs_page(db, TODAY, limit=3, before=page.older)
    assert [r.id for r in page.runs] == ids[5:2:-1] and page.left_out == 1
    page = training_log.runs_page(db, TODAY, limit=3, before=page.older)
    assert [r.id for r in page.runs] == [ids[6]] and page.older is None
    assert len(training_log.runs_page(db, TODAY, limit=0).runs) == 7
    week = training_log.runs_page(db, TODAY, weeks=1, limit=None)
    assert len(week.runs) == 7 and week.older is None
    since = training_log.runs_page(db, TODAY, since=TODAY - timedelta(days=1), limit=1)
    assert [r.id for r in since.runs] == [ids[0]] and since.left_out == 1


def test_bad_paging_is_refused_naming_the_flag(db: Database) -> None:
    with pytest.raises(InputError, match="--limit"):
        training_log.runs_page(db, TODAY, limit=-1)
    with pytest.raises(NotFoundError, match="no run with id 99"):
        training_log.runs_page(db, TODAY, before=99)


def test_log_list_shows_a_page_and_says_how_to_see_more(cli: Cli, db_url: str) -> None:
    db = Database(db_url)
    ids = _daily(db, 4)
    db.dispose()
    table = cli("log", "list", "--limit", "2")
    assert table.exit_code == 0, table.output
    assert f"2 older run(s) not shown: --before {ids[1]}" in table.output
    json_page = cli("log", "list", "--limit", "2", "--before", str(ids[1]), "--format", "json")
    assert [r["id"] for r in json_page.json()] == [ids[3], ids[2]]


def test_the_api_pages_by_link_header(client: TestClient, settings: Settings) -> None:
    db = Database(settings.db_url)
    ids = _daily(db, 3)
    db.dispose()
    first = client.get("/api/v1/activities", params={"limit": 2})
    assert [r["id"] for r in first.json()] == [ids[1], ids[0]]
    url, rel = first.headers["link"].split("; ")
    assert rel == 'rel="next"' and f"before={ids[1]}" in url
    second = client.get(url.strip("<>"))
    assert [r["id"] for r in second.json()] == [ids[2]] and "link" not in second.headers
    page = client.get("/log", params={"before": ids[0]})
    assert page.status_code == 200 and f'id="run-{ids[1]}"' in page.text
    assert f'id="run-{ids[0]}"' not in page.text


def test_no_log_query_reads_the_stored_files(db: Database) -> None:
    _daily(db, 3)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        page = training_log.runs_page(db, TODAY)
        [record_json(r) for r in page.runs]
        training_log.stats(db, 104, TODAY)
        training_log.history(db, TODAY)
        Activities(db).near(datetime.combine(TODAY, datetime.min.time(), UTC))
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects and not any("file_bytes" in s for s in selects)


def _old_stats(runs: list[tuple[int, float, str, float | None]], weeks: int) -> dict[str, Any]:
    """What main computed, in Python over every run (the reference for the SQL sums)."""
    last = TODAY + timedelta(days=6 - TODAY.weekday())
    first = last - timedelta(weeks=weeks) + timedelta(days=1)
    in_range = [r for r in runs if first - timedelta(days=56) <= TODAY - timedelta(days=r[0])]
    day = {i: TODAY - timedelta(days=r[0]) for i, r in enumerate(runs)}
    loads = [
        (day[i], session_rpe_load(r[3], r[1] / 60) if r[3] is not None else 0.0)
        for i, r in enumerate(runs)
        if r in in_range
    ]
    days = daily_loads(loads, first - timedelta(days=56), last)
    wl = weekly_loads([d for d in days if d.day >= first])
    road = [
        sum(
            r[1] / 60
            for i, r in enumerate(runs)
            if r[2] == "road" and w.start <= day[i] < w.start + timedelta(days=7)
        )
        for w in wl
    ]
    return {
        "loads": [round(w.load, 6) for w in wl],
        "road": [round(x, 6) for x in road],
        "acwr": [round(p.acute, 6) for p in acwr(days) if first <= p.day <= TODAY],
        "missing": sum(1 for i, r in enumerate(runs) if r[3] is None and day[i] >= first),
    }


RUNS = st.lists(
    st.tuples(
        st.integers(0, 200),  # days before TODAY
        st.floats(60, 10_000),  # moving seconds
        st.sampled_from(["road", "trail"]),
        st.one_of(st.none(), st.sampled_from([2.0, 4.5, 7.0, 10.0])),
    ),
    max_size=12,
)


# one database for every example: the test empties it first
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(runs=RUNS, weeks=st.integers(1, 20))
def test_stats_summed_in_sql_equal_the_sums_over_the_runs(
    db_url: str, runs: list[tuple[int, float, str, float | None]], weeks: int
) -> None:
    db = Database(db_url)
    with db.transaction() as s:  # one transaction: a commit per run would be most of the time
        s.execute(delete(ActivityRow))
        for k, (back, moving, surface, rpe) in enumerate(runs):
            start = datetime.combine(TODAY - timedelta(days=back), datetime.min.time(), UTC)
            s.add(
                ActivityRow(
                    file_sha256=f"{k:064x}",
                    start_utc=start + timedelta(hours=6, seconds=k),
                    elapsed_s=moving,
                    moving_s=moving,
                    distance_km=5.0,
                    surface=surface,
                    surface_source="inferred",
                    surface_confidence=0.6,
                    rpe=rpe,
                    source="file",
                    summary={},
                )
            )
    st_ = training_log.stats(db, weeks, TODAY)
    db.dispose()
    old = _old_stats(runs, weeks)
    assert [round(w.load, 6) for w in st_.weeks] == old["loads"]
    assert [round(x, 6) for x in st_.road_min] == old["road"]
    assert [round(p.acute, 6) for p in st_.acwr] == old["acwr"]
    assert st_.runs_without_rpe == old["missing"]
