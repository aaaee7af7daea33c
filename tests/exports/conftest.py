"""Fixtures for the import/export tests (helpers in export_helpers.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from support.export_helpers import DATA, RUNNER, Cli, run_cli
from trailmix.domain.types import Athlete


@pytest.fixture(autouse=True)
def _quiet_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TRAILMIX_DB", f"sqlite:///{tmp_path / 'env-default.db'}")


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """`cli("mix", ...)`: trailmix with mix/export, on this test's own database."""
    url = f"sqlite:///{tmp_path / 'trailmix.db'}"
    return lambda *args: run_cli(*args, "--db", url)


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def runner() -> Athlete:
    return RUNNER


@pytest.fixture(scope="session")
def plan_errors() -> Callable[[object], list[str]]:
    schema = json.loads((files("trailmix") / "schemas" / "plan.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return lambda doc: [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)
    ]
