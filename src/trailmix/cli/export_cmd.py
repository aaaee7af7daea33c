"""`trailmix export ics|fit|html|json|csv`: the stored plan for a calendar, a watch, a printer
or another program."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from trailmix.cli.common import DbOpt, err_console, open_db, write_output
from trailmix.formats.files import write_files

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
    """The plan as an iCalendar file: one event per session. Imported over the last export, it
    updates your calendar exactly: same UIDs per day, changed sessions updated, removed ones
    cancelled.

    Example: trailmix export ics --time 07:00 --tz Europe/Berlin -o plan.ics"""
    from trailmix.app import exports

    times = exports.calendar_times(at, tz)
    write_output(exports.export(open_db(db), exports.ExportKind.ICS, times).text, output)


@app.command("fit")
def fit(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the FIT workout files.")
    ],
    db: DbOpt = None,
) -> None:
    """One FIT workout file per running session, for the watch.

    Example: trailmix export fit -o workouts/"""
    from trailmix.app import exports

    files = write_files(output, exports.current_fit_workouts(open_db(db)), "--output", "workouts")
    err_console.print(f"[green]wrote[/] {len(files)} workouts into {escape(str(output))}")


@app.command("html")
def html(output: FileOpt = None, db: DbOpt = None) -> None:
    """A printable week-by-week page.

    Example: trailmix export html -o plan.html"""
    _text("html", output, db)


@app.command("json")
def json_(output: FileOpt = None, db: DbOpt = None) -> None:
    """The plan as JSON, with stable field names for programs.

    Example: trailmix export json -o plan.json"""
    _text("json", output, db)


@app.command("csv")
def csv_(output: FileOpt = None, db: DbOpt = None) -> None:
    """One row per session, for a spreadsheet.

    Example: trailmix export csv -o plan.csv"""
    _text("csv", output, db)


def _text(kind: str, output: Path | None, db: str | None) -> None:
    from trailmix.app import exports

    write_output(exports.export(open_db(db), exports.ExportKind(kind)).text, output)
