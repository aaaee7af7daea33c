"""The CLI as a terminal shows it: names from runners and files are never read as Rich markup,
every table reads at 80 columns, bars read without colour, usage errors are one line, the help
is plain, and starting a command does not import the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from support.cliharness import Cli, Run
from trailmix.cli import app
from trailmix.cli.log_cmd import _SourceCount

START = "2026-12-01"
RACE = "2027-04-18"
PLAN = [
    "plan",
    "--distance",
    "half",
    "--race-date",
    RACE,
    "--start",
    START,
    "--recent-race",
    "10k=48:30",
    "--weekly-km",
    "40",
    "--days",
    "5",
    "--age",
    "38",
]
HOSTILE = "[/]Dirt[link=https://evil.example/]loop"
"""A stored name with a closing tag and a link tag: Rich would refuse or hide them as markup."""


def ok(r: Run) -> Run:
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    return r


def sessions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for w in doc["weeks"] for s in w["sessions"]]


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Names are text (issue 18, point 2)


def test_markup_in_stored_names_is_printed_as_text(cli: Cli, trail_library: dict[str, int]) -> None:
    dirt = str(trail_library["dirt"])
    ok(cli("trails", "set", dirt, "--rename", HOSTILE))
    assert HOSTILE in ok(cli("trails", "list")).stdout
    shown = ok(cli("trails", "show", dirt)).stdout
    assert HOSTILE in shown
    ok(cli("trails", "hiked", dirt))

    made = ok(cli(*PLAN, "--trail", dirt, "--race-name", "[/]City [bold]Half", "-f", "json"))
    trail_day = next(s["date"] for s in sessions(made.json()) if s["trail"])
    for args in (["plan", "show"], ["explain", trail_day]):
        out = ok(cli(*args)).stdout
        assert HOSTILE in out, args
        assert "\x1b]8;" not in out  # no terminal hyperlink
    assert "[/]City [bold]Half" in ok(cli("plan", "show")).stdout

    ok(cli("athlete", "set", "--name", "[red]Ann[/]"))
    assert "Runner: [red]Ann[/]" in ok(cli("athlete", "show")).stdout


def test_an_error_naming_markup_is_one_plain_line(cli: Cli) -> None:
    r = cli("trails", "show", "[/]nowhere[link=x]")
    assert r.exit_code == 2
    assert "[/]nowhere[link=x]" in r.message and "Traceback" not in r.output


# ---------------------------------------------------------------------------------------------
# Usage errors and choices


def test_choices_in_any_case(cli: Cli) -> None:
    args = [a if a != "half" else "Half" for a in PLAN]
    doc = ok(cli(*args, "--format", "JSON")).json()
    assert doc["race"]["distance"] == "half"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["plan", "--weekly-km", "many"], ["--weekly-km", "not a number", "trailmix plan --help"]),
        (["plan", "--distance", "ultra"], ["--distance", "'ultra'", "half"]),
        (["log", "list", "--weeks", "two"], ["--weeks", "not a whole number"]),
        (["nosuch"], ["no such command 'nosuch'"]),
        (["log", "rpe"], ["missing argument"]),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(
    cli: Cli, args: list[str], words: list[str]
) -> None:
    r = cli(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert not any(ch in r.stderr for ch in "╭│╰")  # no box
    for w in words:
        assert w.lower() in r.message.lower(), (w, r.message)


# ---------------------------------------------------------------------------------------------
# 80 columns, and bars that read without colour


def _bars(text: str) -> list[str]:
    """The road / trail bars in `text`: runs of block characters."""
    found = []
    for line in text.splitlines():
        bar = "".join(ch for ch in line.split(" road ")[0] if ch in "█▒│")
        if len(bar) >= 5:
            found.append(bar)
    return found


def _road_then_trail(bar: str) -> bool:
    cells = bar.replace("│", "")
    return "█" not in cells[cells.find("▒") :] if "▒" in cells else True


def test_the_plan_reads_at_80_columns_with_every_word_and_column(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = ok(cli(*PLAN, "--format", "json")).json()
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    out = ok(cli("plan", "show")).stdout
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    words = set(out.split())
    for s in sessions(doc):
        label = s["title"].split(", RPE")[0]
        assert set(label.split()) <= words, label  # every word whole, none cut
        if s["hr_bpm"]:
            assert f"{s['hr_bpm'][0]}-{s['hr_bpm'][1]}" in words  # HR kept, not dropped
    assert "trails build stability and form" in flat(out)  # the bar's words, never cropped
    bars = _bars(out)
    assert bars and all(_road_then_trail(b) for b in bars)
    assert any("▒" in b for b in bars)  # trail has its own character, not only a colour
    assert "█ road ▒ trail" in flat(out)


def test_log_tables_read_at_80_columns(
    cli: Cli, activities: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    road = sorted((activities / "road").glob("recife_*.tcx"))[:2]
    ok(cli("log", "import", *map(str, road)))
    runs = ok(cli("log", "list", "--format", "json")).json()
    monkeypatch.setenv("COLUMNS", "80")
    out = ok(cli("log", "list")).stdout
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    for r in runs:
        assert r["date"] in out.split()  # whole dates
        assert f"{r['distance_km']:.2f}" in out
    assert "GAP and HR: at 100 columns" in flat(out)
    stats = ok(cli("log", "stats", "--date", "2020-12-27", "--weeks", "4")).stdout
    assert max(len(line.rstrip()) for line in stats.splitlines()) <= 80
    assert "…" not in stats  # no bar cropped (the trail part is on the right)
    assert all(_road_then_trail(b) for b in _bars(stats))


def test_piped_output_follows_columns(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(cli(*PLAN))
    monkeypatch.setenv("COLUMNS", "60")
    narrow = ok(cli("plan", "show")).stdout
    monkeypatch.setenv("COLUMNS", "140")
    wide = ok(cli("plan", "show")).stdout
    assert max(map(len, narrow.splitlines())) <= 60 < max(map(len, wide.splitlines()))


def test_one_progress_total_over_two_folders() -> None:
    count = _SourceCount()
    totals = [count.add(5) for _ in range(5)] + [count.add(12) for _ in range(12)]
    assert totals[:5] == [5] * 5 and totals[5:] == [17] * 12
    assert all(done <= total for done, total in enumerate(totals, start=1))


# ---------------------------------------------------------------------------------------------
# Help


def _commands(group: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], bool]:
    """Every command's path, and whether it is a group of subcommands."""
    found = {}
    for name, cmd in getattr(group, "commands", {}).items():
        found[(*path, name)] = hasattr(cmd, "commands")
        found |= _commands(cmd, (*path, name))
    return found


OTHERS = {"predict", "discover"}
"""Commands whose help other engineers write (their examples are theirs to add)."""


def test_help_is_plain_with_an_example_and_no_docs_paths(run: Cli) -> None:
    commands = _commands(typer.main.get_command(app))
    assert ("plan", "show") in commands and ("log", "import") in commands
    for path, is_group in commands.items():
        text = ok(run(*path, "--help")).stdout
        for raw in ("<str>", "<bool>", "<int>", "<list", "<path>", "{", "docs/"):
            assert raw not in text, (path, raw)
        if (not is_group or path == ("plan",)) and not OTHERS & set(path):
            assert "Example: trailmix" in text, path


# ---------------------------------------------------------------------------------------------
# Startup

HEAVY = ("sqlalchemy", "alembic", "scipy", "matplotlib", "numpy", "trailmix.storage")


def test_the_command_line_imports_no_heavy_library_to_start() -> None:
    """`trailmix --help` builds every command: their modules import the heavy libraries only
    inside the commands that use them (benchmarks/cli_startup.py measures the time)."""
    code = (
        "import json, sys\nimport trailmix.cli\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_the_fast_schema_check_knows_alembics_head() -> None:
    """Opening a database at the latest schema skips alembic (storage/db.py reads the head
    from the migration files): it must be alembic's own head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from trailmix.storage import db

    cfg = Config()
    cfg.set_main_option("script_location", str(db._MIGRATIONS))
    assert db._head_revisions() == {ScriptDirectory.from_config(cfg).get_current_head()}


def test_a_start_after_race_day_is_named_as_such(cli: Cli) -> None:
    args = [a if a != START else "2027-05-01" for a in PLAN]
    r = cli(*args)
    assert r.exit_code == 2
    assert "--start" in r.message and "not before race day" in r.message
    assert "in the past" not in r.message
