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


def current_plan_document(url: str) -> str | None:
    """The current plan's stored JSON in the SQLite file at `url`, or None (see above)."""
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
        if stored != heads:
            return None
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
