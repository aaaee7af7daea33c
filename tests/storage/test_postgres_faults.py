"""PostgreSQL's faults in one line of trailmix's words (never a traceback, never a password),
and the test fixtures' own rule: no server is a skip that names TRAILMIX_TEST_PG."""

from __future__ import annotations

from typing import Any

import pytest

from support.cliharness import Cli
from support.pgstore import ENV, find_server, libpq_url
from trailmix.storage.db import Database, StorageError
from trailmix.storage.records import TrailAnalysisRecord
from trailmix.storage.repo import Trails

NOBODY = "postgresql+psycopg://postgres:s3cret@127.0.0.1:9/trailmix"  # port 9: discard, closed


def test_a_server_that_does_not_answer_is_one_line_without_the_password(run: Cli) -> None:
    with pytest.raises(StorageError) as err:
        Database(NOBODY)
    words = str(err.value)
    assert words.startswith("cannot reach the database server of") and "s3cret" not in words
    assert "postgres:***@127.0.0.1:9" in words
    r = run("log", "list", "--db", NOBODY)
    assert r.exit_code == 2 and "cannot reach the database server" in r.output
    assert "Traceback" not in r.output and "s3cret" not in r.output


def test_no_server_is_a_skip_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, NOBODY)
    url, why = find_server()
    assert url is None and why.startswith(f"{ENV}=") and "does not answer" in why


def test_a_database_that_is_not_there_says_create_it(pg_server: str) -> None:
    missing = libpq_url(pg_server).rsplit("/", 1)[0] + "/trailmix_no_such_database"
    with pytest.raises(StorageError, match=r"does not exist on its server; create it first"):
        Database(missing.replace("postgresql://", "postgresql+psycopg://", 1))


def test_a_value_postgresql_refuses_is_one_line_and_stores_nothing(db_url: str, store: str) -> None:
    db = Database(db_url)
    trails = Trails(db)
    bad = {"postgresql": "x" * 300, "sqlite": "fine"}[store]  # a name beyond VARCHAR(200)
    add: dict[str, Any] = {
        "category": "dirt",
        "length_km": 1.0,
        "gain_m": 0.0,
        "loss_m": 0.0,
        "declared_surface": None,
        "declared_technical": None,
        "analysis": TrailAnalysisRecord.from_json({}),
        "file_name": None,
        "file_bytes": None,
    }
    if store == "postgresql":
        with pytest.raises(StorageError, match="refused a value, nothing was stored"):
            trails.add(name=bad, **add)
        assert trails.records() == []
    # the JSON of an open-ended grade bin (-Infinity) is stored on both and read back
    open_bin = {"low": float("-inf"), "high": -0.1, "share": 1.0, "distance_m": 10.0}
    analysis = TrailAnalysisRecord.from_json({"grade_distribution": [open_bin]})
    rec = trails.add(name="open bins", **{**add, "analysis": analysis})
    [bin_] = trails.get(str(rec.id)).analysis.grade_distribution
    assert bin_.low == float("-inf") and bin_.high == -0.1
    db.dispose()
