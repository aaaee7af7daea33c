"""Migration 0006_scope_user_columns on SQLite and PostgreSQL: a database of one runner at 0005
keeps every row, now the local runner's (user 1); uniqueness becomes per user; the migrated
schema is exactly the models'; and it goes back down to 0005 with the local runner's rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from trailmix.storage.db import Database
from trailmix.storage.models import Base
from trailmix.storage.repo import Activities, Athletes, CalendarEvents, Trails
from trailmix.storage.schema import MIGRATIONS

SCOPED = ("athletes", "plans", "trails", "activities", "calendar_events")
REVISION = "0006_scope_user_columns"


@pytest.fixture
def fresh_url(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty database, not migrated: a new SQLite file, or a new PostgreSQL database."""
    if store == "postgresql":
        return str(request.getfixturevalue("pg_database"))
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def engine(fresh_url: str) -> Iterator[Engine]:
    eng = create_engine(fresh_url)
    yield eng
    eng.dispose()


def migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def one_runners_data(engine: Engine) -> None:
    """A runner's database at 0005: an athlete, a plan, a trail, a run on it, an event."""
    now = "CURRENT_TIMESTAMP"
    with engine.begin() as c:
        c.execute(
            text(f"INSERT INTO athletes (name, profile, updated_at) VALUES ('kim', '{{}}', {now})")
        )
        c.execute(
            text(
                "INSERT INTO plans (athlete_id, created_at, race_date, distance, "
                f"trail_preference, current, document) VALUES (1, {now}, '2027-04-18', 'half', "
                "'enjoy', true, '{}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO trails (name, category, category_source, length_km, gain_m, "
                f"loss_m, hiked, analysis, created_at) VALUES ('Quarry hill', 'hilly', "
                f"'analysis', 5, 150, 150, false, '{{}}', {now})"
            )
        )
        c.execute(
            text(
                "INSERT INTO activities (file_sha256, start_utc, elapsed_s, moving_s, "
                "distance_km, surface, surface_source, surface_confidence, trail_id, rpe, "
                "rpe_estimated, source, summary, imported_at) VALUES "
                f"('{'a' * 64}', '2026-11-30 07:00:00+00:00', 3000, 2700, 8, 'trail', 'route', "
                f"0.9, 1, 5, false, 'file', '{{}}', {now})"
            )
        )
        c.execute(
            text(
                "INSERT INTO calendar_events (uid, day, sequence, digest, summary, cancelled) "
                "VALUES ('uid-1', '2026-12-02', 0, 'd', 'Easy run', false)"
            )
        )


def test_a_runners_database_at_0005_moves_whole_to_user_1(engine: Engine, fresh_url: str) -> None:
    migrate(engine, "0005_users")
    one_runners_data(engine)
    # As trailmix opens it (on SQLite with foreign keys on: the rebuilt trails table is
    # pointed at by the run)
    db = Database(fresh_url)
    with engine.connect() as c:
        for table in SCOPED:
            assert c.execute(
                text(f"SELECT user_id, count(*) FROM {table} GROUP BY user_id")
            ).all() == [(1, 1)], table
    # the repositories of the local runner see it all
    assert Athletes(db).get("kim") is not None
    assert Trails(db).get("quarry hill").id == 1
    assert Activities(db).get(1).trail_id == 1  # type: ignore[union-attr]
    assert [e.uid for e in CalendarEvents(db).all()] == ["uid-1"]
    # ... and another user may now have a trail, a run and an event of the same name / file
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (login, display_name, role, active, created_at) "
                "VALUES ('two', 'Two', 'runner', true, CURRENT_TIMESTAMP)"
            )
        )
        two = c.execute(text("SELECT id FROM users WHERE login = 'two'")).scalar_one()
    assert two == 2  # the users' id sequence was moved past the local runner by 0005
    other = db.for_user(two)
    assert Trails(other).records() == []
    assert Activities(other).get(1) is None
    CalendarEvents(other).replace_all(CalendarEvents(db).all())
    assert len(CalendarEvents(other).all()) == 1 and len(CalendarEvents(db).all()) == 1
    db.dispose()


def test_the_migrated_schema_is_the_models(engine: Engine) -> None:
    migrate(engine, "head")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    columns = {c["name"]: c for c in inspect(engine).get_columns("trails")}
    assert columns["user_id"]["nullable"] is False
    assert "1" in str(columns["user_id"]["default"])
    keys = inspect(engine).get_pk_constraint("calendar_events")["constrained_columns"]
    assert keys == ["user_id", "uid"]


def test_down_to_0005_keeps_the_local_runners_rows(engine: Engine) -> None:
    migrate(engine, "0005_users")
    one_runners_data(engine)
    migrate(engine, REVISION)
    migrate(engine, "0005_users", down=True)
    with engine.connect() as c:
        assert "user_id" not in {col["name"] for col in inspect(c).get_columns("trails")}
        for table in SCOPED:
            assert c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 1, table
    migrate(engine, REVISION)  # and up again
