"""Options every command shares, and turning flag text into domain values with clear errors."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trailmix.app.inputs import (
    parse_cap,
    parse_date,
    parse_preference,
    parse_race,
    parse_shoe,
    parse_time,
    parse_weekday,
    parse_weekdays,
)
from trailmix.app.store import Store, open_store
from trailmix.formats.files import write_file

__all__ = [
    "parse_cap",
    "parse_date",
    "parse_preference",
    "parse_race",
    "parse_shoe",
    "parse_time",
    "parse_weekday",
    "parse_weekdays",
]

console = Console()
if not console.is_terminal and console.width < 120:
    # Piped or redirected: a file has no screen edge, so give the tables room to breathe.
    console.width = 120
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
    return open_store(url)


def write_output(text: str, output: Path | None) -> None:
    """Write to a file (parents created), or plain to stdout without any markup."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_file(output, text, "--output")
    err_console.print(f"[green]wrote[/] {output}")


def dump_json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
