"""Quick reads with Python's own sqlite3: the stored plan for `trailmix plan show`, and the
training log for `trailmix log list`, `log stats` and `log week`.

Importing SQLAlchemy and the models costs about half of those commands' CPU time
(benchmarks/cli_startup.py, benchmarks/log_scale.py). When the database is a SQLite file already
at the latest schema, they are read here with the same queries the repositories run
(storage/repo.py: `Plans.current`, `Athletes.get`, `Activities.latest`, `.sessions`,
`.day_totals`) and give the same records (tests/log/test_log_quick.py); in any other case (another
database, a missing file, an older schema, any SQLite error on opening) this answers None and the
caller opens the database the ordinary way (storage/db.py), which migrates, reports errors and
says when no plan is stored.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailmix.errors import NotFoundError
from trailmix.storage.records import ActivityRecord, DayTotals, RunSession, RunSummaryRecord
from trailmix.storage.schema import head_revisions

if TYPE_CHECKING:
    from trailmix.domain.types import Athlete, Plan

LOCAL_USER = 1
"""`storage.models.LOCAL_USER_ID` (not imported: that module imports SQLAlchemy): the runner
the CLI acts for, when the tables carry a user column."""

NO_PLAN = (
    "no plan is stored yet; make one with 'trailmix plan --distance ... --race-date ...' "
    "(or try 'trailmix demo')."
)
"""`Plans.current`'s words when no plan is stored."""

_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(ActivityRecord))


def _connect(url: str) -> sqlite3.Connection | None:
    """A read-only connection to the SQLite file at `url` at the latest schema, or None."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = Path(url.removeprefix("sqlite:///"))
    heads = head_revisions()
    if str(path) == ":memory:" or not heads or not path.is_file():
        return None
    try:
        # Read-only: this never creates, migrates or locks the file for writing.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        stored = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:
        conn.close()
        return None
    if stored != heads:
        conn.close()
        return None
    return conn


def current_plan_document(url: str) -> str | None:
    """The current plan's stored JSON in the SQLite file at `url`, or None (see above)."""
    conn = _connect(url)
    if conn is None:
        return None
    try:
        return _plan_document(conn, _user_filter("plans"))
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _user_filter(table: str) -> str:
    """The local runner's rows of `table` (the schema is the latest: every table has user_id)."""
    return f" AND {table}.user_id = {LOCAL_USER}"


def _plan_document(conn: sqlite3.Connection, mine: str) -> str | None:
    # As Plans.current: the id of the first current plan, then its document.
    row = conn.execute(f"SELECT plans.id FROM plans WHERE plans.current IS 1{mine}").fetchone()
    if row is None:
        return None
    doc = conn.execute("SELECT document FROM plans WHERE id = ?", (row[0],)).fetchone()
    return doc[0] if doc is not None and isinstance(doc[0], str) else None


# SQLAlchemy's DateTime on SQLite: text, 'YYYY-MM-DD HH:MM:SS.ffffff', the fields as given (UTC).
def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _utc(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _day_range(first: date, last: date) -> tuple[str, str]:
    """The runner's days first..last as `local_start` bounds (storage/repo.py `_day_range`)."""
    return (
        _stamp(datetime.combine(first, time.min)),
        _stamp(datetime.combine(last + timedelta(days=1), time.min)),
    )


_DECODE: dict[str, Any] = {
    "start_utc": _utc,
    "rpe_estimated": bool,
    "has_track": bool,
    "summary": lambda text: RunSummaryRecord.from_json(json.loads(text) if text else {}),
}


class QuickLog:
    """The training log of a SQLite file at the latest schema, read with sqlite3 alone: the
    read side of `storage.repo.Activities`, `Athletes.get` and `Plans.current`."""

    def __init__(self, conn: sqlite3.Connection, mine: str, athletes_mine: str) -> None:
        self.conn = conn
        self._mine = mine  # the user filter of the activities table
        self._athletes_mine = athletes_mine
        self._select = ", ".join(f"activities.{name}" for name in _RECORD_FIELDS)

    @classmethod
    def open(cls, url: str) -> QuickLog | None:
        """The log at `url`, or None when it is not a SQLite file at the latest schema, or when
        its activities table lacks a column the records need."""
        conn = _connect(url)
        if conn is None:
            return None
        try:
            columns = {r[1] for r in conn.execute("PRAGMA table_info(activities)")}
            if not set(_RECORD_FIELDS) <= columns:
                conn.close()
                return None
            return cls(conn, _user_filter("activities"), _user_filter("athletes"))
        except sqlite3.Error:
            conn.close()
            return None

    def close(self) -> None:
        self.conn.close()

    def _record(self, row: tuple[Any, ...]) -> ActivityRecord:
        values = {
            name: _DECODE[name](v) if name in _DECODE else v
            for name, v in zip(_RECORD_FIELDS, row, strict=True)
        }
        return ActivityRecord(**values)

    def latest(
        self,
        *,
        first: date | None = None,
        last: date | None = None,
        limit: int | None = None,
        before: int | None = None,
    ) -> tuple[list[ActivityRecord], int]:
        """`Activities.latest`."""
        conds = ["1 = 1" + self._mine]
        params: list[Any] = []
        if first is not None:
            conds.append("activities.local_start >= ?")
            params.append(_day_range(first, first)[0])
        if last is not None:
            conds.append("activities.local_start < ?")
            params.append(_day_range(last, last)[1])
        if before is not None:
            edge = self.conn.execute(
                "SELECT start_utc, id FROM activities WHERE id = ?" + self._mine, (before,)
            ).fetchone()
            if edge is None:
                raise NotFoundError(f"no run with id {before} in the log (the page cursor).")
            conds.append(
                "(activities.start_utc < ? OR (activities.start_utc = ? AND activities.id < ?))"
            )
            params += [edge[0], edge[0], edge[1]]
        where = " AND ".join(conds)
        q = (
            f"SELECT {self._select} FROM activities WHERE {where} "
            "ORDER BY activities.start_utc DESC, activities.id DESC"
        )
        rows = self.conn.execute(
            q + (" LIMIT ?" if limit is not None else ""),
            [*params, limit] if limit is not None else params,
        ).fetchall()
        left = 0
        if limit is not None and len(rows) == limit:
            total = self.conn.execute(
                f"SELECT count(*) FROM activities WHERE {where}", params
            ).fetchone()[0]
            left = int(total or 0) - len(rows)
        return [self._record(r) for r in reversed(rows)], left

    def sessions(self, first: date, last: date) -> list[RunSession]:
        """`Activities.sessions`."""
        lo, hi = _day_range(first, last)
        rows = self.conn.execute(
            "SELECT id, start_utc, moving_s, surface, rpe, kind, utc_offset_min FROM activities "
            f"WHERE local_start >= ? AND local_start < ?{self._mine} ORDER BY start_utc, id",
            (lo, hi),
        ).fetchall()
        return [
            RunSession(r[0], _utc(r[1]), r[2], r[3], r[4], r[5] or "run", r[6] or 0) for r in rows
        ]

    def day_totals(self, first: date, last: date) -> list[DayTotals]:
        """`Activities.day_totals`."""
        lo, hi = _day_range(first, last)
        day = "date(activities.local_start)"
        rows = self.conn.execute(
            f"SELECT {day}, "
            "sum(CASE WHEN rpe IS NOT NULL THEN rpe * (moving_s / 60.0) ELSE 0.0 END), "
            "sum(CASE WHEN surface = 'road' THEN moving_s ELSE 0.0 END), "
            "sum(CASE WHEN surface = 'trail' THEN moving_s ELSE 0.0 END), "
            "sum(CASE WHEN rpe IS NULL THEN 1 ELSE 0 END) "
            "FROM activities WHERE local_start >= ? AND local_start < ? AND kind = 'run'"
            f"{self._mine} GROUP BY {day} ORDER BY {day}",
            (lo, hi),
        ).fetchall()
        return [
            DayTotals(
                date.fromisoformat(str(r[0])),
                float(r[1] or 0.0),
                float(r[2] or 0.0),
                float(r[3] or 0.0),
                int(r[4] or 0),
            )
            for r in rows
        ]

    def athlete(self) -> Athlete | None:
        """`Athletes.get()`: the most recently updated athlete."""
        from trailmix.formats.plan_json import athlete_from_dict

        row = self.conn.execute(
            f"SELECT profile FROM athletes WHERE 1 = 1{self._athletes_mine} "
            "ORDER BY updated_at DESC"
        ).fetchone()
        return athlete_from_dict(json.loads(row[0])) if row else None

    def current_plan(self) -> Plan:
        """`Plans.current`."""
        from trailmix.formats.plan_json import plan_from_dict

        doc = _plan_document(self.conn, _user_filter("plans"))
        if doc is None:
            raise NotFoundError(NO_PLAN)
        return plan_from_dict(json.loads(doc))


ShoeRow = tuple[int, str, str | None, float, bool, float, str | None]
"""A pair as the plan's shoe advice needs it: id, name, kind, replacement km, retired, km run
(summed from its runs) and the start of its latest run (UTC text)."""

_SHOES = (
    "SELECT shoes.id, shoes.name, shoes.kind, shoes.retire_km, shoes.retired, "
    "COALESCE(SUM(activities.distance_km), 0.0), MAX(activities.start_utc) "
    "FROM shoes LEFT OUTER JOIN activities ON activities.shoe_id = shoes.id "
    "WHERE 1 = 1{mine} "
    "GROUP BY shoes.id, shoes.name, shoes.kind, shoes.retire_km, shoes.retired "
    "ORDER BY shoes.id"
)


def shoe_rows(url: str) -> list[ShoeRow] | None:
    """The local runner's pairs with their kilometres in the SQLite file at `url` (as
    `storage.gear.Shoes.usage` sums them), or None (see above: then the caller opens the
    database the ordinary way)."""
    conn = _connect(url)
    if conn is None:
        return None
    try:
        rows = conn.execute(_SHOES.format(mine=_user_filter("shoes"))).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return [
        (int(r[0]), str(r[1]), r[2], float(r[3]), bool(r[4]), float(r[5] or 0.0), r[6])
        for r in rows
    ]
