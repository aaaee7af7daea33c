"""The Alembic migrations build exactly the tables the models describe, and open twice cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from trailmix.domain.types import Athlete
from trailmix.storage.config import resolve_url
from trailmix.storage.db import Database
from trailmix.storage.models import Base
from trailmix.storage.repo import Athletes


def test_migrations_match_the_models(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"athletes", "plans", "trails", "activities", "alembic_version"} <= tables


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    Athletes(Database(url)).save(Athlete(name="kim", age=33))
    again = Athletes(Database(url)).get("kim")
    assert again is not None and again.age == 33


def test_a_failed_unit_of_work_leaves_nothing(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    with pytest.raises(RuntimeError), db.transaction() as s:
        from trailmix.storage.models import AthleteRow

        s.add(AthleteRow(name="half", profile={}))
        s.flush()
        raise RuntimeError("crash mid-write")
    assert Athletes(db).get("half") is None


def test_url_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TRAILMIX_DB", raising=False)
    assert resolve_url(None).startswith("sqlite:///") and resolve_url(None).endswith("trailmix.db")
    monkeypatch.setenv("TRAILMIX_DB", "sqlite:///from-env.db")
    assert resolve_url(None) == "sqlite:///from-env.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert resolve_url(str(tmp_path / "plain.db")) == f"sqlite:///{tmp_path / 'plain.db'}"
