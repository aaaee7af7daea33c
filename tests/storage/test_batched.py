"""`Database.batched`: units of work gathered into fewer commits, each unit still whole or not
at all, on SQLite and PostgreSQL (the `db_url` fixture's stores)."""

from __future__ import annotations

import copy
import gc

import pytest
import sqlalchemy as sa

from trailmix.domain.types import Athlete
from trailmix.formats.track import gc_paused
from trailmix.storage.db import Database, DuplicateError
from trailmix.storage.models import AthleteRow
from trailmix.storage.repo import Athletes


def _names(url: str) -> set[str]:
    """The athletes another connection sees (what is committed)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {r[0] for r in conn.execute(sa.text("SELECT name FROM athletes"))}
    finally:
        engine.dispose()


def test_units_are_committed_together_and_a_failed_one_leaves_nothing(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.batched(seconds=3600):
            Athletes(db).save(Athlete(name="ana"))
            with pytest.raises(RuntimeError), db.transaction() as s:
                s.add(AthleteRow(name="half", profile={}))
                s.flush()
                raise RuntimeError("a unit fails half-way")
            with db.begin() as conn:
                conn.execute(sa.insert(AthleteRow).values(name="ben", profile={}))
            assert "ana" not in _names(db_url)  # not committed yet: one commit at the end
            assert Athletes(db).get("ben") is not None  # but the batch sees its own work
        assert _names(db_url) >= {"ana", "ben"}
        assert "half" not in _names(db_url)
    finally:
        db.dispose()


def test_a_duplicate_is_its_units_alone(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.batched():
            with db.begin() as conn:
                conn.execute(sa.insert(AthleteRow).values(name="ana", profile={}))
            with pytest.raises(DuplicateError), db.begin() as conn:
                conn.execute(sa.insert(AthleteRow).values(name="ana", profile={}))
            Athletes(db).save(Athlete(name="ben"))
        assert _names(db_url) >= {"ana", "ben"}
    finally:
        db.dispose()


def test_the_batch_commits_when_due_and_what_was_done_stays_when_an_error_ends_it(
    db_url: str,
) -> None:
    db = Database(db_url)
    try:
        with pytest.raises(KeyError), db.batched(seconds=0):
            Athletes(db).save(Athlete(name="ana"))
            assert "ana" in _names(db_url)  # due at once: committed after its unit
            Athletes(db).save(Athlete(name="ben"))
            raise KeyError("the import stops")
        assert _names(db_url) >= {"ana", "ben"}
    finally:
        db.dispose()


def test_a_view_of_the_same_engine_joins_the_batch(db_url: str) -> None:
    """An import job writes its progress through another view of the database while its runs
    are stored in the batch: on SQLite a second connection would wait for the batch's own
    lock; the view's units are the batch's instead (and a nested batch is the outer one)."""
    db = Database(db_url)
    try:
        with db.batched(seconds=3600):
            Athletes(db).save(Athlete(name="ana"))  # the batch holds the write lock now
            view = copy.copy(db)  # another view of the same engine, as `for_user` makes
            with view.batched(), view.begin() as conn:
                conn.execute(sa.insert(AthleteRow).values(name="progress", profile={}))
            assert "progress" not in _names(db_url)
        assert _names(db_url) >= {"ana", "progress"}
    finally:
        db.dispose()


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
