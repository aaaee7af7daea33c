"""A database held by another writer longer than trailmix waits: one line, nothing stored, and
a web answer of 503 (try again), not 400 (the runner's mistake)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trailmix.domain.types import Athlete
from trailmix.storage.db import BusyError, Database
from trailmix.storage.repo import Athletes


def _locked(path: Path) -> sqlite3.Connection:
    """Another process's write transaction on the file (an exclusive lock)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_a_locked_sqlite_file_is_a_busy_error_and_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = Database(f"sqlite:///{path}?timeout=0.2")
    other = _locked(path)
    try:
        with pytest.raises(BusyError, match="busy with another trailmix; try again"):
            Athletes(db).save(Athlete(name="Kim"))
    finally:
        other.close()
    assert Athletes(db).get("Kim") is None


def test_the_web_answers_a_busy_database_with_503(tmp_path: Path) -> None:
    from trailmix.web.app import create_app
    from trailmix.web.settings import Settings

    path = tmp_path / "t.db"
    app = create_app(Settings(db_url=f"sqlite:///{path}?timeout=0.2", data_dir=tmp_path))
    client = TestClient(app, base_url="http://127.0.0.1")
    other = _locked(path)
    try:
        r = client.post("/api/v1/shoes", json={"name": "Speedgoat"})
    finally:
        other.close()
    assert r.status_code == 503, r.text
    assert "busy" in r.json()["detail"]
