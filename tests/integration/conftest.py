"""Fixtures for the CLI tests: a fresh SQLite file per test, the real entry point run in-process
under Typer's CliRunner isolation, and the plan JSON schema.

`trailmix.cli.main` (not the bare Typer app) is what the console script runs: it is the part that
turns a TrailmixError into one red line and exit code 2, so the tests call it, inside
`CliRunner().isolation()`, instead of `CliRunner.invoke(app)`, which would bypass it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from support.cliharness import Cli, Run, run_cli
from trailmix.storage.db import Database
from trailmix.storage.models import TrailRow

SCHEMA_FILE = files("trailmix") / "schemas" / "plan.schema.json"


@pytest.fixture(autouse=True)
def _quiet_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Wide, colourless output; and never the user's real database, even by mistake."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TRAILMIX_DB", f"sqlite:///{tmp_path / 'env-default.db'}")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'trailmix.db'}"


@pytest.fixture
def run() -> Cli:
    """`run("demo", ...)`: trailmix with exactly these arguments (no --db added)."""
    return run_cli


@pytest.fixture
def cli(db_url: str) -> Cli:
    """`cli("plan", ...)` runs trailmix with `--db` pointing at this test's fresh database."""

    def _run(*args: str, db: str | None = db_url) -> Run:
        return run_cli(*args, *(["--db", db] if db else []))

    return _run


@pytest.fixture(scope="session")
def plan_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _errors(validator: Draft202012Validator, doc: object) -> list[str]:
    """Every validation error as 'path: message', so a failing assert says what is wrong."""
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(doc)
    ]


@pytest.fixture(scope="session")
def plan_errors(plan_schema: dict[str, Any]) -> Callable[[object], list[str]]:
    """`plan_errors(doc)`: what is wrong with a plan document by plan.schema.json ([] if valid)."""
    Draft202012Validator.check_schema(plan_schema)
    validator = Draft202012Validator(plan_schema, format_checker=FormatChecker())
    return lambda doc: _errors(validator, doc)


@pytest.fixture(scope="session")
def session_errors(plan_schema: dict[str, Any]) -> Callable[[object], list[str]]:
    """`session_errors(obj)`: the same for one session, by the schema's own session definition."""
    schema = {
        "$schema": plan_schema["$schema"],
        "$defs": plan_schema["$defs"],
        "$ref": "#/$defs/session",
    }
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return lambda doc: _errors(validator, doc)


@pytest.fixture(scope="session")
def sample_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Issue 2's sample runner's half-marathon plan as JSON, made once per test run.
    Shared: deep-copy it before changing it."""
    db = tmp_path_factory.mktemp("sample") / "plan.db"
    r = run_cli(
        *("plan", "--distance", "half", "--race-date", "2027-04-18", "--start", "2026-12-01"),
        *("--recent-race", "10k=48:30", "--weekly-km", "40", "--days", "5"),
        *("--format", "json", "--db", f"sqlite:///{db}"),
    )
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = r.json()
    return doc


@pytest.fixture
def trail_library(db_url: str) -> Iterator[dict[str, int]]:
    """A small trail library stored straight in the database (no CLI for trails yet):
    a flat dirt loop, a hilly trail with one climb fit for repeats, a technical ridge."""
    db = Database(db_url)
    with db.transaction() as s:
        rows = {
            "dirt": TrailRow(
                name="Riverside dirt loop",
                category="dirt",
                length_km=6.0,
                gain_m=20.0,
                loss_m=20.0,
                analysis={},
            ),
            "hilly": TrailRow(
                name="Quarry hill",
                category="hilly",
                length_km=5.0,
                gain_m=150.0,
                loss_m=150.0,
                analysis={
                    "hills": [
                        {
                            "start_km": 1.0,
                            "length_m": 400.0,
                            "gain_m": 32.0,
                            "avg_grade": 0.08,
                            "max_grade": 0.11,
                            "suits_repeats": True,
                            "suits_sprints": False,
                        }
                    ]
                },
            ),
            "technical": TrailRow(
                name="Rocky ridge",
                category="technical",
                length_km=7.0,
                gain_m=300.0,
                loss_m=300.0,
                analysis={},
            ),
        }
        s.add_all(rows.values())
        s.flush()
        ids = {k: r.id for k, r in rows.items()}
    db.dispose()
    yield ids
