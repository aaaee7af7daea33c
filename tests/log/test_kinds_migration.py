"""Migration 0006_logkinds_activity_kind on SQLite and PostgreSQL: runs stored before it become
runs with a track; down and up again keeps the rows. PostgreSQL: a throwaway database of this
test's own on 127.0.0.1:5432, dropped afterwards (skipped when no server answers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from support.migrations import alembic

REVISION = "0006_logkinds_activity_kind"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _round_trip(url: str) -> None:
    alembic(url, "upgrade", "0006_scope_user_columns")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO activities (file_sha256, start_utc, elapsed_s, moving_s, "
                    "distance_km, surface, surface_source, surface_confidence, rpe_estimated, "
                    "source, summary, imported_at) VALUES ('a', :t, 60, 60, 1, 'road', 'x', 1, "
                    "false, 'file', '{}', :t)"
                ),
                {"t": datetime(2027, 3, 3, tzinfo=UTC)},
            )
        alembic(url, "upgrade", REVISION)
        with engine.begin() as conn:
            row = conn.execute(sa.text("SELECT kind, has_track FROM activities")).one()
        assert (row[0], bool(row[1])) == ("run", True)
        alembic(url, "downgrade", "0006_scope_user_columns")
        with engine.begin() as conn:
            cols = {c["name"] for c in sa.inspect(conn).get_columns("activities")}
            assert "kind" not in cols and "has_track" not in cols
            assert conn.execute(sa.text("SELECT count(*) FROM activities")).scalar() == 1
        alembic(url, "upgrade", "head")
    finally:
        engine.dispose()


def test_sqlite(tmp_path: Path) -> None:
    _round_trip(f"sqlite:///{tmp_path / 'kinds.db'}")


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"trailmix_logkinds_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_postgresql(pg_url: str) -> None:
    _round_trip(pg_url)
