"""The training log as it is read and corrected: lists, weekly stats, the plan's week, a
re-plan's history, and the runner's corrections (RPE, surface).

Application layer. The import (files, folders, exports in; route matching; summaries) is
`app/log_import.py`: nothing here imports the readers, archives, route matching or the planner,
so the read commands start fast (issue 21). The CLI reads through `reader_at(url)`: a SQLite
file at the latest schema is read with Python's sqlite3 alone (`storage/quick.py`, no
SQLAlchemy to import), anything else through the ordinary database; both give the same
records (tests/log/test_log_quick.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from trailmix.domain.rules import TRAIL_SHARE_CAP
from trailmix.domain.types import Athlete, Plan, Surface
from trailmix.errors import InputError, NotFoundError
from trailmix.storage.records import ActivityRecord, DayTotals, RunSession

RUN = "run"
"""The stored kind of a run (`domain.log.kinds.ActivityKind.RUN`, not imported here for a fast
start): hikes and walks are no running volume or load (docs/log.md, Hikes)."""

if TYPE_CHECKING:
    from trailmix.domain.log.adherence import Adherence, LoggedRun
    from trailmix.domain.log.load import AcwrPoint, WeekLoad
    from trailmix.domain.plan.build import TrainingHistory
    from trailmix.storage.db import Database
    from trailmix.storage.quick import QuickLog
    from trailmix.storage.repo import Activities


class LogSource(Protocol):
    """What the read use cases need of a store: the ordinary database (`Database`, through
    its repositories) or the quick read (`storage.quick.QuickLog`)."""

    def latest(
        self,
        *,
        first: date | None = None,
        last: date | None = None,
        limit: int | None = None,
        before: int | None = None,
    ) -> tuple[list[ActivityRecord], int]: ...

    def sessions(self, first: date, last: date) -> list[RunSession]: ...

    def day_totals(self, first: date, last: date) -> list[DayTotals]: ...

    def athlete(self) -> Athlete | None: ...

    def current_plan(self) -> Plan: ...


class _Stored:
    """`LogSource` over the ordinary database's repositories."""

    def __init__(self, db: Database) -> None:
        from trailmix.storage.repo import Activities

        self.db = db
        self.log = Activities(db)
        self.latest = self.log.latest
        self.sessions = self.log.sessions
        self.day_totals = self.log.day_totals

    def athlete(self) -> Athlete | None:
        from trailmix.storage.repo import Athletes

        return Athletes(self.db).get()

    def current_plan(self) -> Plan:
        from trailmix.storage.repo import Plans

        return Plans(self.db).current()


def _source(db: Database | QuickLog) -> LogSource:
    from trailmix.storage.quick import QuickLog

    return db if isinstance(db, QuickLog) else _Stored(db)


def reader_at(url: str | None) -> Database | QuickLog:
    """The store at `url` (as `open_store` resolves it) for reading the log: a SQLite file at
    the latest schema is read with sqlite3 alone (`storage/quick.py`); anything else is
    opened the ordinary way (created and migrated when needed)."""
    from trailmix.storage.config import resolve_url
    from trailmix.storage.quick import QuickLog

    quick = QuickLog.open(resolve_url(url))
    if quick is not None:
        return quick
    from trailmix.app.store import open_store

    return open_store(url)


# --- Corrections ----------------------------------------------------------------------------


def _one_on(log: Activities, key: str) -> ActivityRecord:
    """A run by id, or the only run on a date (YYYY-MM-DD)."""
    if key.isdigit():
        found = log.get(int(key))
        if found is not None:
            return found
        raise NotFoundError(f"no run with id {key} in the log; see 'trailmix log list'.")
    try:
        day = date.fromisoformat(key)
    except ValueError:
        raise InputError(f"{key!r} is neither a date (YYYY-MM-DD) nor a run id.", "DATE") from None
    runs = log.between(day, day)
    if not runs:
        raise NotFoundError(f"no run on {day.isoformat()} in the log; see 'trailmix log list'.")
    if len(runs) > 1:
        ids = ", ".join(str(r.id) for r in runs)
        raise InputError(f"{len(runs)} runs on {day.isoformat()} (ids {ids}); give the id.", "DATE")
    return runs[0]


def run_for(db: Database, key: str) -> ActivityRecord:
    """A run by id, or the only run on a date (YYYY-MM-DD)."""
    from trailmix.storage.repo import Activities

    return _one_on(Activities(db), key)


def set_rpe(db: Database, key: str, rpe: float) -> ActivityRecord:
    """The runner's own RPE (CR10, 1-10) replaces any estimate."""
    from trailmix.storage.repo import Activities

    if not 1 <= rpe <= 10:
        raise InputError(f"{rpe:g} is not an RPE; give 1 (very easy) to 10 (maximal).", "RPE")
    log = Activities(db)
    return log.update(_one_on(log, key).id, rpe=rpe, rpe_estimated=False)


def set_surface(db: Database, key: str, surface: Surface) -> ActivityRecord:
    from trailmix.storage.repo import Activities

    log = Activities(db)
    rec = _one_on(log, key)
    summary = replace(rec.summary, surface_reason=f"You said this run was on the {surface.value}.")
    return log.update(
        rec.id,
        surface=surface.value,
        surface_source="runner",
        surface_confidence=1.0,
        summary=summary,
    )


# --- What the log shows -----------------------------------------------------------------------


def local_day(rec: ActivityRecord | RunSession) -> date:
    """The day a run belongs to: the runner's day where they ran, the date of its start on
    the local clock (start_utc + its offset; docs/log.md, "Local days"). A run at 19:00 in
    California (03:00 UTC the next day) is on the day it was run."""
    return (rec.start_utc.astimezone(UTC) + timedelta(minutes=rec.utc_offset_min)).date()


def logged_runs(records: Iterable[ActivityRecord | RunSession]) -> list[LoggedRun]:
    from trailmix.domain.log.adherence import LoggedRun

    return [
        LoggedRun(
            id=r.id,
            day=local_day(r),
            minutes=r.moving_s / 60,
            surface=Surface(r.surface),
            running=r.kind == RUN,
            rpe=r.rpe,
        )
        for r in records
    ]


def load_of(rec: ActivityRecord) -> float:
    """Session-RPE load (Foster 2001) when an RPE is known, else 0 (no load is invented); 0
    for a hike or a walk too (running load only: docs/log.md, Hikes)."""
    from trailmix.domain.log.load import session_rpe_load

    if rec.rpe is None or rec.kind != RUN:
        return 0.0
    return session_rpe_load(rec.rpe, rec.moving_s / 60)


@dataclass(frozen=True)
class Stats:
    first: date
    last: date
    weeks: tuple[WeekLoad, ...]
    road_min: tuple[float, ...]
    trail_min: tuple[float, ...]
    acwr: tuple[AcwrPoint, ...]
    caveat: str
    runs_without_rpe: int
    trail_cap: float = TRAIL_SHARE_CAP
    """The runner's own cap the weekly trail share is held against: the plan-wide cap the
    mixer gives this profile (`MixOptions.plan_cap`), 0 when the trail preference is off."""


def stats(db: Database | QuickLog, weeks: int, today: date) -> Stats:
    """Weekly load, monotony, strain, road/trail minutes and the ACWR trend, last `weeks` weeks.

    The runs are summed per day by the database (`Activities.day_totals`), so the cost is that
    of the days shown, not of the log's size."""
    from trailmix.domain.log.load import CAVEAT, acwr, daily_loads, weekly_loads
    from trailmix.domain.rules import plan_trail_cap

    if not 1 <= weeks <= 104:
        raise InputError(f"{weeks} is not accepted; give 1 to 104 weeks.", "--weeks")
    source = _source(db)
    last = today + timedelta(days=6 - today.weekday())
    first = last - timedelta(weeks=weeks) + timedelta(days=1)
    # The chronic EWMA needs history before the window (Williams 2017: 28-day constant).
    history_start = first - timedelta(days=56)
    totals = source.day_totals(history_start, last)
    days = daily_loads([(t.day, t.rated_load) for t in totals], history_start, last)
    inside = [d for d in days if d.day >= first]
    week_loads = weekly_loads(inside)
    road_s: dict[date, float] = {}
    trail_s: dict[date, float] = {}
    for t in totals:
        monday = t.day - timedelta(days=t.day.weekday())
        road_s[monday] = road_s.get(monday, 0.0) + t.road_s
        trail_s[monday] = trail_s.get(monday, 0.0) + t.trail_s
    road = tuple(road_s.get(w.start, 0.0) / 60 for w in week_loads)
    trail = tuple(trail_s.get(w.start, 0.0) / 60 for w in week_loads)
    points = tuple(p for p in acwr(days) if first <= p.day <= today)
    missing = sum(t.unrated for t in totals if t.day >= first)
    athlete = source.athlete() or Athlete()
    cap = plan_trail_cap(athlete.trail_preference, athlete.trail_cap or TRAIL_SHARE_CAP)
    return Stats(first, last, week_loads, road, trail, points, CAVEAT, missing, cap)


def week_against_plan(db: Database | QuickLog, plan: Plan, today: date) -> Adherence:
    """The plan's weeks so far against what the log holds."""
    from trailmix.domain.log.adherence import adherence

    records = _source(db).sessions(
        plan.start - timedelta(days=1), plan.race.date + timedelta(days=1)
    )
    return adherence(plan, logged_runs(records), today)


def days_ago(now: datetime, rec: ActivityRecord) -> int:
    return (now.date() - local_day(rec)).days


def history(db: Database | QuickLog, today: date, since: date | None = None) -> TrainingHistory:
    """What a re-plan needs from the log (`domain.plan.build.history_from_runs`): the runs of
    the last `HISTORY_DAYS` day by day, the last two full weeks' average, and the weeks with a
    trail run and the first trail run (both counted from `since`, the plan's start, when
    given). Hikes are no running volume."""
    from trailmix.domain.plan.build import HISTORY_DAYS, history_from_runs

    window = today - timedelta(days=HISTORY_DAYS)
    first = min(since, window) if since is not None else date(1970, 1, 1)
    runs = [r for r in _source(db).sessions(first, today - timedelta(days=1)) if r.kind == RUN]
    return history_from_runs(
        ((local_day(r), r.moving_s / 60, r.surface == "trail") for r in runs), today, since
    )


# --- The log's use cases, for the CLI and the web app -------------------------------------------

MAX_LIST_WEEKS = 520  # trailmix default: ten years of runs in one list
LIST_LIMIT = 50
"""trailmix default: a list shows the latest 50 runs (about two months of daily running) unless
asked for more; a log of ten years is read a page at a time."""
MAX_LIST_LIMIT = 10_000  # trailmix default: the largest page the API serves at once


@dataclass(frozen=True)
class RunsPage:
    """A page of the log: runs oldest first, and how many older ones (in the range asked for)
    it leaves out. `older` is the cursor for the next page back: the oldest run's id."""

    runs: list[ActivityRecord]
    left_out: int

    @property
    def older(self) -> int | None:
        return self.runs[0].id if self.left_out and self.runs else None


def runs_page(
    db: Database | QuickLog,
    today: date,
    weeks: int | None = None,
    since: date | None = None,
    limit: int | None = LIST_LIMIT,
    before: int | None = None,
) -> RunsPage:
    """`trailmix log list`, the web page and the API: the latest `limit` runs (None or 0: all)
    of the last `weeks` weeks or since a day (default: the whole log), older than run
    `before` when given."""
    if limit is not None and not 0 <= limit <= MAX_LIST_LIMIT:
        raise InputError(f"{limit} is not accepted; give 0 (all) to {MAX_LIST_LIMIT}.", "--limit")
    first = since
    if since is None and weeks:
        if not 1 <= weeks <= MAX_LIST_WEEKS:
            raise InputError(
                f"{weeks} is not accepted; give 1 to {MAX_LIST_WEEKS} weeks.", "--weeks"
            )
        first = today - timedelta(weeks=weeks)
    last = today + timedelta(days=1) if first is not None else None
    found, left_out = _source(db).latest(first=first, last=last, limit=limit or None, before=before)
    return RunsPage(found, left_out)


def runs(
    db: Database | QuickLog, today: date, weeks: int | None = None, since: date | None = None
) -> list[ActivityRecord]:
    """Every run, or those since a day, or of the last `weeks` weeks (no page limit)."""
    return runs_page(db, today, weeks=weeks, since=since, limit=None).runs


@dataclass(frozen=True)
class WeekReport:
    """One week of the plan against the log, judged as of today."""

    adherence: Adherence
    index: int


def week(db: Database | QuickLog, shown: date, today: date) -> WeekReport:
    """`trailmix log week`: the week holding `shown`, judged as of `today` (a finished week
    gets its R2 verdict); refused outside the plan."""
    from trailmix.app.inputs import check_in_plan

    plan = _source(db).current_plan()
    check_in_plan(plan, shown, "--date")
    a = week_against_plan(db, plan, today)
    index = next((i for i, w in enumerate(a.weeks) if w.week.start <= shown <= w.week.end), None)
    if index is None:
        raise InputError(f"{shown.isoformat()} is in no week of the plan.", "--date")
    return WeekReport(a, index)
