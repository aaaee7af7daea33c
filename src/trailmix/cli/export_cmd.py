"""`trailmix export ics|fit|html|json|csv`: the stored plan for a calendar, a watch, a printer
or another program."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trailmix.app.inputs import parse_clock, parse_zone
from trailmix.cli.common import DbOpt, err_console, open_db, write_output
from trailmix.errors import InputError
from trailmix.formats.fit_workout import plan_to_fit
from trailmix.formats.html_plan import plan_to_html
from trailmix.formats.ics_export import plan_to_ics
from trailmix.formats.plan_json import plan_to_csv, plan_to_json
from trailmix.storage.repo import Plans

app = typer.Typer(help="Export the stored plan: ics, fit, html, json or csv.", no_args_is_help=True)

FileOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (else stdout).")
]


@app.command("ics")
def ics(
    output: FileOpt = None,
    at: Annotated[
        str | None,
        typer.Option("--time", help="Your time of day for the sessions, HH:MM (else all-day)."),
    ] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", help="Your time zone, e.g. Europe/Berlin.")
    ] = None,
    db: DbOpt = None,
) -> None:
    """The plan as an iCalendar file: one event per session, stable UIDs."""
    clock = parse_clock(at) if at else None
    zone = parse_zone(tz) if tz else None
    if zone is not None and clock is None:
        raise InputError(
            "a time zone needs a time of day (--time 07:00); without one the "
            "sessions are all-day events.",
            "--tz",
        )
    plan = Plans(open_db(db)).current()
    write_output(plan_to_ics(plan, at=clock, tz=zone).decode("utf-8"), output)


@app.command("fit")
def fit(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the FIT workout files.")
    ],
    db: DbOpt = None,
) -> None:
    """One FIT workout file per running session, for the watch."""
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file; give a folder for the workouts.", "--output")
    plan = Plans(open_db(db)).current()
    files = plan_to_fit(plan)
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, data in files:
            (output / name).write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write into {output}: {exc.strerror}", "--output") from None
    err_console.print(f"[green]wrote[/] {len(files)} workouts into {output}")


@app.command("html")
def html(output: FileOpt = None, db: DbOpt = None) -> None:
    """A printable week-by-week page."""
    write_output(plan_to_html(Plans(open_db(db)).current()), output)


@app.command("json")
def json_(output: FileOpt = None, db: DbOpt = None) -> None:
    """The plan's JSON contract (docs/plan-json.md)."""
    write_output(plan_to_json(Plans(open_db(db)).current()), output)


@app.command("csv")
def csv_(output: FileOpt = None, db: DbOpt = None) -> None:
    """One row per session (docs/plan-json.md)."""
    write_output(plan_to_csv(Plans(open_db(db)).current()), output)
