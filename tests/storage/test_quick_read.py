"""The quick read of the stored plan (storage/quick.py, used by `trailmix plan show`): the same
plan as the ordinary read, or None whenever the ordinary way must decide, and no SQLAlchemy."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support.cliharness import Cli
from trailmix.formats.plan_json import plan_to_dict
from trailmix.storage.quick import current_plan_document

pytestmark = pytest.mark.sqlite_only  # the quick read is SQLite's (PostgreSQL: the ordinary way)

PLAN = (
    *("plan", "--distance", "10k", "--race-date", "2027-03-07", "--start", "2026-12-01"),
    *("--recent-race", "10k=50:00", "--weekly-km", "30"),
)


def test_the_quick_read_is_the_stored_plan(cli: Cli, db_url: str) -> None:
    from trailmix.storage.db import Database
    from trailmix.storage.repo import Plans

    assert current_plan_document(db_url) is None  # no plan yet: the ordinary way says so
    assert cli(*PLAN).exit_code == 0
    doc = current_plan_document(db_url)
    assert doc is not None
    db = Database(db_url)
    assert json.loads(doc) == plan_to_dict(Plans(db).current())
    db.dispose()
    shown = cli("plan", "show", "--format", "json")
    assert shown.exit_code == 0 and shown.json() == json.loads(doc)


def test_anything_unusual_goes_the_ordinary_way(tmp_path: Path, db_url: str) -> None:
    missing = tmp_path / "none" / "trailmix.db"
    assert current_plan_document(f"sqlite:///{missing}") is None
    assert not missing.parent.exists()  # never creates a file
    assert current_plan_document("sqlite://") is None
    assert current_plan_document("postgresql+psycopg://u@h/db") is None
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # an older (or newer) schema: Alembic decides
        conn.execute("UPDATE alembic_version SET version_num = 'other'")
    assert current_plan_document(db_url) is None
    (tmp_path / "junk.db").write_text("not a database", encoding="utf-8")
    assert current_plan_document(f"sqlite:///{tmp_path / 'junk.db'}") is None


def test_plan_show_does_not_import_sqlalchemy(cli: Cli, db_url: str) -> None:
    """`plan show` of a SQLite file starts without SQLAlchemy, numpy or pydantic
    (benchmarks/cli_startup.py measures the time)."""
    assert cli(*PLAN).exit_code == 0
    code = (
        "import json, sys\nfrom trailmix.cli import main\n"
        f"try:\n    main(['plan', 'show', '--db', {db_url!r}])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps([m for m in ('sqlalchemy', 'numpy', 'pydantic') if m in sys.modules]),"
        " file=sys.stderr)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Week 1" in r.stdout
    assert json.loads(r.stderr.strip().splitlines()[-1]) == []
