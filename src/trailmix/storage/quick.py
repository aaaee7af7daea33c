"""A quick read of the stored plan with Python's own sqlite3, for `trailmix plan show`.

Importing SQLAlchemy and the models costs about half of that command's CPU time
(benchmarks/cli_startup.py). When the database is a SQLite file already at the latest schema,
the local runner's current plan's JSON document is read here with the same query
`Plans.current` runs; in any
other case (another database, a missing file, an older schema, any SQLite error) this answers
None and the caller opens the database the ordinary way (storage/db.py), which migrates,
reports errors and says when no plan is stored.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trailmix.storage.schema import head_revisions

LOCAL_USER_ID = 1  # storage.models.LOCAL_USER_ID (not imported: that would load SQLAlchemy)


def _connect(url: str) -> sqlite3.Connection | None:
    """The SQLite file at `url`, opened read-only, when it is at the latest schema; else None."""
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
        # As Plans.current for the local runner (user 1, the CLI's user): the id of the
        # first current plan, then its document.
        row = conn.execute(
            "SELECT plans.id FROM plans WHERE plans.user_id = ? AND plans.current IS 1",
            (LOCAL_USER_ID,),
        ).fetchone()
        if row is None:
            return None
        doc = conn.execute("SELECT document FROM plans WHERE id = ?", (row[0],)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return doc[0] if doc is not None and isinstance(doc[0], str) else None


ShoeRow = tuple[int, str, str | None, float, bool, float, str | None]
"""A pair as the plan's shoe advice needs it: id, name, kind, replacement km, retired, km run
(summed from its runs) and the start of its latest run (UTC text)."""

_SHOES = (
    "SELECT shoes.id, shoes.name, shoes.kind, shoes.retire_km, shoes.retired, "
    "COALESCE(SUM(activities.distance_km), 0.0), MAX(activities.start_utc) "
    "FROM shoes LEFT OUTER JOIN activities ON activities.shoe_id = shoes.id "
    "WHERE shoes.user_id = ? "
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
        rows = conn.execute(_SHOES, (LOCAL_USER_ID,)).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return [
        (int(r[0]), str(r[1]), r[2], float(r[3]), bool(r[4]), float(r[5] or 0.0), r[6])
        for r in rows
    ]
