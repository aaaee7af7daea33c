"""Options every command shares, and turning flag text into domain values with clear errors."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from trailmix.domain.types import TrailPreference, TrailShoe, Weekday
from trailmix.domain.units import parse_duration, parse_race_result
from trailmix.errors import InputError
from trailmix.storage.db import Database

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


def open_db(url: str | None) -> Database:
    return Database(url)


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; write it as YYYY-MM-DD.", option) from None


def parse_weekday(text: str, option: str) -> Weekday:
    try:
        return Weekday.parse(text)
    except ValueError:
        raise InputError(
            f"{text!r} is not a weekday; use mon, tue, wed, thu, fri, sat or sun.", option
        ) from None


def parse_weekdays(text: str, option: str) -> tuple[Weekday, ...]:
    return tuple(parse_weekday(p, option) for p in text.split(",") if p.strip())


def parse_race(text: str, option: str = "--recent-race") -> Any:
    try:
        return parse_race_result(text)
    except ValueError as exc:
        raise InputError(str(exc), option) from None


def parse_time(text: str, option: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise InputError(str(exc), option) from None


def parse_preference(text: str) -> TrailPreference:
    try:
        return TrailPreference(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a trail preference; use enjoy (up to 1/3 on trails, R1), minimum "
            "(one trail recovery run a week, R2) or off.",
            "--trail-preference",
        ) from None


def parse_shoe(text: str) -> TrailShoe:
    try:
        return TrailShoe(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not accepted; say yes (you own trail shoes), no, or unsure.",
            "--trail-shoe",
        ) from None


def parse_cap(text: str) -> float:
    """'1/3', '0.25' or '25%' -> a fraction."""
    t = text.strip()
    try:
        if t.endswith("%"):
            return float(t[:-1]) / 100
        if "/" in t:
            num, den = t.split("/", 1)
            return float(num) / float(den)
        return float(t)
    except (ValueError, ZeroDivisionError):
        raise InputError(
            f"{text!r} is not a share; write it as 0.25, 25% or 1/4.", "--trail-cap"
        ) from None


def write_output(text: str, output: Path | None) -> None:
    """Write to a file (parents created), or plain to stdout without any markup."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}", "--output") from None
    err_console.print(f"[green]wrote[/] {output}")


def dump_json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
