"""Options every command shares, and turning flag text into domain values with clear errors."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from trailmix.formats.files import write_file

if TYPE_CHECKING:
    from datetime import date

    from trailmix.app.store import Store
    from trailmix.domain.types import TrailPreference, TrailShoe, Weekday

# The parsers live in trailmix.app.inputs, which pulls in the planner (and numpy): they are
# imported when a command runs, so that `--help` starts at once (benchmarks/cli_startup.py).


def parse_date(text: str, option: str) -> date:
    from trailmix.app import inputs

    return inputs.parse_date(text, option)


def parse_weekday(text: str, option: str) -> Weekday:
    from trailmix.app import inputs

    return inputs.parse_weekday(text, option)


def parse_weekdays(text: str, option: str) -> tuple[Weekday, ...]:
    from trailmix.app import inputs

    return inputs.parse_weekdays(text, option)


def parse_race(text: str, option: str = "--recent-race") -> Any:
    from trailmix.app import inputs

    return inputs.parse_race(text, option)


def parse_time(text: str, option: str) -> float:
    from trailmix.app import inputs

    return inputs.parse_time(text, option)


def parse_preference(text: str) -> TrailPreference:
    from trailmix.app import inputs

    return inputs.parse_preference(text)


def parse_shoe(text: str) -> TrailShoe:
    from trailmix.app import inputs

    return inputs.parse_shoe(text)


def parse_cap(text: str) -> float:
    from trailmix.app import inputs

    return inputs.parse_cap(text)


console = Console()
# Rich reads COLUMNS once, when the console is made; read it whenever something is printed
# instead (a pipe has no screen edge: COLUMNS, else 80 columns, as for a terminal).
console._width = None
err_console = Console(stderr=True, soft_wrap=True)  # one line per message, for logs and pipes


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class DataFormat(StrEnum):
    """For commands whose output has no CSV form."""

    TABLE = "table"
    JSON = "json"


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: TRAILMIX_DB, else SQLite in your user data folder).",
        envvar="TRAILMIX_DB",
        show_envvar=True,
    ),
]
FormatOpt = Annotated[
    DataFormat, typer.Option("--format", "-f", help="table for people, json for programs.")
]


def open_db(url: str | None) -> Store:
    from trailmix.app.store import open_store  # sqlalchemy and alembic: only when data is used

    return open_store(url)


def write_output(text: str, output: Path | None) -> None:
    """Write to a file (parents created), or plain to stdout without any markup."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_file(output, text, "--output")
    err_console.print(f"[green]wrote[/] {escape(str(output))}")


def dump_json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
