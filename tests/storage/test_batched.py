"""`Database.batched`: units of work gathered into fewer commits, each unit still whole or not
at all, on SQLite and PostgreSQL (the `db_url` fixture's stores)."""

from __future__ import annotations

import copy
import functools
import gc
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from support.logdata import ACTIVITIES
from trailmix.app.log_import import import_paths
from trailmix.domain.types import Athlete
from trailmix.formats.track import gc_paused
from trailmix.storage.db import Database, DuplicateError, StorageError
from trailmix.storage.models import AthleteRow
from trailmix.storage.repo import Activities, Athletes


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


def test_a_failed_commit_is_a_storage_error_and_keeps_what_was_committed_before(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up between two commits: the batch stops with trailmix's one-line
    error; what the earlier commit stored stays, and nothing after it is half-stored."""
    db = Database(db_url)
    real_commit = sa.engine.Connection.commit
    commits = []

    def commit(self: sa.engine.Connection) -> None:
        commits.append(1)
        if len(commits) == 2:
            raise sa.exc.OperationalError("COMMIT", {}, Exception("database or disk is full"))
        real_commit(self)

    try:
        with pytest.raises(StorageError, match="is full"), db.batched(seconds=0):
            monkeypatch.setattr(sa.engine.Connection, "commit", commit)
            Athletes(db).save(Athlete(name="ana"))  # committed after its unit
            Athletes(db).save(Athlete(name="ben"))  # its commit fails
            Athletes(db).save(Athlete(name="cy"))  # never reached
        monkeypatch.undo()
        names = _names(db_url)
        assert "ana" in names and not {"ben", "cy"} & names
    finally:
        monkeypatch.undo()
        db.dispose()


def test_an_import_stopped_by_a_full_disk_says_what_was_kept_and_the_next_completes(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    road = ACTIVITIES / "road"
    runs = ("fr410_rolling_road_run.tcx", "fenix2_stavanger_run.fit", "stryd_lisbon_run_power.fit")
    for f in (road / name for name in runs):
        (folder / f.name).write_bytes(f.read_bytes())
    monkeypatch.setattr(Database, "batched", functools.partialmethod(Database.batched, 0))
    db = Database(db_url)
    real_commit = sa.engine.Connection.commit
    failed = []

    def commit(self: sa.engine.Connection) -> None:
        """The commit that would store the second run finds the disk full."""
        runs = self.exec_driver_sql("SELECT count(*) FROM activities").scalar()
        if runs == 2 and not failed:
            failed.append(runs)
            raise sa.exc.OperationalError("COMMIT", {}, Exception("database or disk is full"))
        real_commit(self)

    try:
        monkeypatch.setattr(sa.engine.Connection, "commit", commit)
        with pytest.raises(StorageError, match=r"is full.*run the same import again"):
            import_paths(db, [folder])
        monkeypatch.setattr(sa.engine.Connection, "commit", real_commit)
        kept = len(Activities(db).all())
        assert kept == 1  # the first run's commit; nothing of the second
        report = import_paths(db, [folder])
        assert len(report.imported) == 3 - kept and len(report.duplicates) == kept
    finally:
        monkeypatch.undo()
        db.dispose()


def test_an_import_commits_before_reading_a_large_file(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a long file must not hold the write lock (SQLite's is the whole file's): the
    runs stored before it are committed first, as another connection sees while it is read."""
    import trailmix.app.log_import as log_import

    folder = tmp_path / "runs"
    folder.mkdir()
    road = ACTIVITIES / "road"
    for name in ("fr410_rolling_road_run.tcx", "fenix2_stavanger_run.fit"):
        (folder / name).write_bytes((road / name).read_bytes())
    seen: list[int] = []
    real_parse = log_import.parse_track

    def parse(data: bytes, name: str) -> Any:
        engine = sa.create_engine(db_url)
        try:
            with engine.connect() as conn:
                seen.append(conn.execute(sa.text("SELECT count(*) FROM activities")).scalar_one())
        finally:
            engine.dispose()
        return real_parse(data, name)

    monkeypatch.setattr(log_import, "parse_track", parse)
    monkeypatch.setattr(log_import, "COMMIT_BEFORE_BYTES", 1)  # every file is "large"
    monkeypatch.setattr(Database, "batched", functools.partialmethod(Database.batched, 3600))
    db = Database(db_url)
    try:
        assert len(import_paths(db, [folder]).imported) == 2
    finally:
        db.dispose()
    assert seen == [0, 1]  # the first run committed before the second file was read
