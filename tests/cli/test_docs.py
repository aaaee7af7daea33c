"""The docs stay true: every CLI command is documented, and the README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from trailmix.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _commands(group: typer.Typer, prefix: str = "trailmix") -> list[str]:
    names = []
    for cmd in group.registered_commands:
        assert cmd.name or cmd.callback
        names.append(f"{prefix} {cmd.name or cmd.callback.__name__}")  # type: ignore[union-attr]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None and sub.name
        names.append(f"{prefix} {sub.name}")
        names.extend(_commands(sub.typer_instance, f"{prefix} {sub.name}"))
    return names


def test_every_command_is_documented_in_cli_md() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = _commands(app)
    assert "trailmix trails add" in commands and "trailmix plan show" in commands
    missing = [c for c in commands if c not in doc]
    assert not missing, f"undocumented commands: {missing}"


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", quick, flags=re.S)
    assert len(blocks) == 2
    assert "trailmix demo" in blocks[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def _leaf_commands(group: typer.Typer, prefix: str = "trailmix") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for cmd in group.registered_commands:
        out.append((f"{prefix} {cmd.name}", cmd.callback))
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        if sub.typer_instance.registered_callback is not None:
            out.append((f"{prefix} {sub.name}", sub.typer_instance.registered_callback.callback))
        out.extend(_leaf_commands(sub.typer_instance, f"{prefix} {sub.name}"))
    return out


# Commands whose output is a file in one format (the format is the command) need no --format.
FILE_ONLY = {
    "trailmix export ics",
    "trailmix export fit",
    "trailmix export html",
    "trailmix export json",
    "trailmix export csv",
    "trailmix serve",
    "trailmix worker",  # a long-running process, as serve: it prints no data
}


def test_every_command_takes_db_and_every_data_command_takes_format() -> None:
    import inspect

    commands = _leaf_commands(app)
    assert len(commands) > 20
    for name, callback in commands:
        params = inspect.signature(callback).parameters  # type: ignore[arg-type]
        assert "db" in params, f"{name} has no --db"
        if name not in FILE_ONLY:
            assert "fmt" in params, f"{name} has no --format"


def test_the_tests_the_docs_name_exist() -> None:
    """The README and docs/ name test files and tests (docs/rules.md's table): each must exist,
    so a test moved or renamed takes the docs with it."""
    tests = [p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")]
    names = {n for text in tests for n in re.findall(r"^\s*def (test_\w+)", text, flags=re.M)}
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for path in re.findall(r"`(tests/[\w/.-]*)`", text):
            assert (ROOT / path).exists(), f"{doc.name} names {path}, which does not exist"
        for name in re.findall(r"`(test_\w+)`", text):
            assert name in names, f"{doc.name} names {name}, which is no test"
