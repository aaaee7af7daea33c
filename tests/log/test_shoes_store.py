"""The shoes' storage: a pair's km and hours per surface are the sums of its runs (a property
over random logs), each user sees only their pairs, and migration 0006_shoes runs on SQLite
and on PostgreSQL (a throwaway database on the local server, skipped when there is none)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.app import shoes
from trailmix.errors import NotFoundError
from trailmix.storage.db import Database
from trailmix.storage.gear import Shoes
from trailmix.storage.models import ActivityRow, ShoeRow
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import Activities

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _run(log: Activities, n: int, surface: str, km: float, minutes: float) -> int:
    return log.add(
        file_sha256=f"{n:064x}",
        start_utc=datetime(2026, 11, 1, 7, tzinfo=UTC) + timedelta(hours=n),
        elapsed_s=minutes * 60 + 30,
        moving_s=minutes * 60,
        distance_km=km,
        surface=surface,
        surface_source="test",
        surface_confidence=1.0,
        rpe_estimated=False,
        source="file",
        summary=RunSummaryRecord.from_json({}),
    ).id


RUNS = st.lists(
    st.tuples(
        st.sampled_from(["road", "trail"]),
        st.floats(0.5, 45, allow_nan=False),
        st.floats(5, 300, allow_nan=False),
        st.integers(0, 2),  # the pair: 0, 1, or none (2)
    ),
    max_size=12,
)


def test_km_per_surface_are_the_runs_sums(db_url: str) -> None:
    """Over random logs: each pair's runs, km and hours, in all and per surface, are its runs'
    sums (one database for every example, emptied before each)."""
    db = Database(db_url)

    @settings(max_examples=12, deadline=None)
    @given(runs=RUNS)
    def check(runs: list[tuple[str, float, float, int]]) -> None:
        with db.transaction() as s:
            s.execute(sa.update(ActivityRow).values(shoe_id=None))
            s.execute(sa.delete(ActivityRow))
            s.execute(sa.delete(ShoeRow))
        pairs = [shoes.add(db, "A", kind="road").id, shoes.add(db, "B", kind="trail").id]
        log = Activities(db)
        for n, (surface, km, minutes, which) in enumerate(runs):
            run_id = _run(log, n, surface, km, minutes)
            if which < 2:
                Shoes(db).set_run_shoe(run_id, pairs[which])
        views = {v.record.id: v for v in shoes.shoes(db)}
        for i, pair_id in enumerate(pairs):
            mine = [r for r in runs if r[3] == i]
            v = views[pair_id]
            assert v.runs == len(mine)
            assert v.total_km == pytest.approx(sum(r[1] for r in mine))
            assert v.total_hours == pytest.approx(sum(r[2] for r in mine) / 60)
            for u in v.surfaces:
                on = [r for r in mine if r[0] == u.surface]
                assert u.runs == len(on) > 0
                assert u.km == pytest.approx(sum(r[1] for r in on))

    try:
        check()
    finally:
        db.dispose()


def test_each_user_sees_only_their_pairs(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.transaction() as s:
            s.execute(
                sa.text(
                    "INSERT INTO users (id, login, display_name, role, active, "
                    "created_at) VALUES (2, 'kim', 'Kim', 'runner', true, '2026-12-01')"
                )
            )
        mine = shoes.add(db, "Speedgoat")
        other = db.for_user(2)
        assert shoes.shoes(other) == []
        theirs = shoes.add(other, "Speedgoat")  # the same name is another user's own pair
        assert theirs.id != mine.id
        run = _run(Activities(db), 1, "trail", 10.0, 60.0)
        with pytest.raises(NotFoundError, match="no shoe"):
            Shoes(db).set_run_shoe(run, theirs.id)  # another user's pair
        with pytest.raises(NotFoundError, match="no run"):
            Shoes(other).set_run_shoe(run, theirs.id)  # another user's run
        assert [v.record.name for v in shoes.shoes(other)] == ["Speedgoat"]
    finally:
        db.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL database on the local server, dropped afterwards."""
    try:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text("SELECT 1"))
    except Exception as exc:  # no driver, no server
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({type(exc).__name__})")
    name = f"trailmix_shoes_{os.getpid()}_{os.urandom(3).hex()}"
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema_matches(db: Database) -> list[Any]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from trailmix.storage.models import Base

    with db.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def _step(db: Database, where: str) -> None:
    from alembic import command
    from alembic.config import Config

    from trailmix.storage.schema import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        if where == "down":  # to the revision before the shoes, whatever follows them
            command.downgrade(cfg, "0006_logkinds_activity_kind")
        else:
            command.upgrade(cfg, "head")


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_migration_on_both_databases(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'm.db'}"
        if dialect == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    db = Database(url)
    try:
        assert _schema_matches(db) == []
        pair = shoes.add(db, "Hoka Speedgoat 5")
        run = _run(Activities(db), 1, "trail", 12.5, 80.0)
        Shoes(db).set_run_shoe(run, pair.id)
        (view,) = shoes.shoes(db)
        assert (view.total_km, view.runs, view.last_used) == (12.5, 1, datetime(2026, 11, 1).date())
        assert Activities(db).get(run).shoe_id == pair.id  # type: ignore[union-attr]
        _step(db, "down")  # 0006_shoes off: the run stays, its pair goes
        assert "shoes" not in sa.inspect(db.engine).get_table_names()
        _step(db, "up")
        assert _schema_matches(db) == [] and shoes.shoes(db) == []
        assert Activities(db).get(run) is not None
    finally:
        db.dispose()
