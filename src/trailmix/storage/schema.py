"""The schema version the migrations lead to, read from their files without SQLAlchemy or
Alembic, so that a quick read (storage/quick.py) can tell a database is at the latest schema."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")

_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


@cache
def head_revisions() -> frozenset[str]:
    """The migrations' head revision ids, read from the version files' `revision =` and
    `down_revision =` lines (empty when they cannot be read: then Alembic is asked)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down is not None:
            downs.update(_QUOTED.findall(down.group(1)))
    return frozenset(revisions - downs)
