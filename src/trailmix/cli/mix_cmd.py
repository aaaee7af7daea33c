"""`trailmix mix PLAN.ics|PLAN.csv`: bring your own plan, get it back with trails mixed in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from trailmix.cli.common import (
    DbOpt,
    OutputFormat,
    console,
    err_console,
    open_db,
    write_output,
)
from trailmix.cli.plan_cmd import emit_plan
from trailmix.domain.types import DateOrder, RaceDistance
from trailmix.errors import InputError

if TYPE_CHECKING:
    from trailmix.domain.imports.plan import Imported, Recognised

MIX_SCHEMA = "trailmix.mix/1"
SUFFIXES = (".ics", ".json", ".csv", ".html")
_STYLE = {"recognised": "green", "guessed": "yellow", "not understood": "red"}
"""By `Confidence` value (trailmix.domain.imports.words, imported when a plan is read)."""


def recognition_to_dict(r: Recognised) -> dict[str, Any]:
    rec = r.recognition
    return {
        "date": r.entry.day.isoformat(),
        "where": r.entry.where,
        "text": r.entry.title,
        "kind": rec.kind.value,
        "confidence": rec.confidence.value,
        "words": list(rec.words),
        "guesses": list(rec.guesses),
        "outcome": r.outcome,
    }


def recognition_table(imported: Imported) -> Table:
    table = Table(title="What trailmix read in your plan", title_justify="left")
    for col in ("date", "your plan says", "read as", "how sure", "from the words"):
        table.add_column(col)
    for r in imported.recognised:
        rec = r.recognition
        read = r.outcome if r.outcome != "session" else rec.kind.value.replace("_", " ")
        detail = ", ".join(rec.words)
        if rec.guesses:
            detail += ("; " if detail else "") + "guessed: " + "; ".join(rec.guesses)
        table.add_row(
            r.entry.day.isoformat(),
            Text(r.entry.title),
            read,
            Text(rec.confidence.value, style=_STYLE.get(rec.confidence.value, "")),
            Text(detail),
        )
    from trailmix.domain.imports.words import Confidence

    counts = ", ".join(f"{imported.count(c)} {c.value}" for c in Confidence)
    table.caption = f"{len(imported.recognised)} entries: {counts}"
    return table


def mix(
    plan_file: Annotated[
        Path, typer.Argument(help="Your plan: an .ics calendar or a .csv (date,title,...).")
    ],
    trail_preference: Annotated[
        str | None, typer.Option(help="enjoy (up to 1/3, R1), minimum (R2) or off.")
    ] = None,
    race_date: Annotated[
        str | None, typer.Option(help="Race day, YYYY-MM-DD (else the plan's 'Race day').")
    ] = None,
    distance: Annotated[
        RaceDistance | None,
        typer.Option(help="The goal race: 5k, 10k, half or marathon (else from the plan)."),
    ] = None,
    race_name: Annotated[str, typer.Option(help="The race's name, for your calendar.")] = "",
    goal_time: Annotated[
        str | None, typer.Option(help="Goal race time h:mm:ss (race-pace work uses it).")
    ] = None,
    recent_race: Annotated[
        str | None, typer.Option(help="A recent race as DISTANCE=TIME, e.g. 10k=48:30.")
    ] = None,
    age: Annotated[int | None, typer.Option(help="Age (HRmax by Tanaka when unknown).")] = None,
    hr_max: Annotated[int | None, typer.Option(help="Maximum heart rate.")] = None,
    hr_rest: Annotated[int | None, typer.Option(help="Resting heart rate (Karvonen).")] = None,
    trail_cap: Annotated[
        str | None, typer.Option(help="A lower trail cap than 1/3 for 'enjoy', e.g. 0.25.")
    ] = None,
    trail_shoe: Annotated[
        str | None, typer.Option(help="Do you own trail shoes? yes, no or unsure (R10).")
    ] = None,
    trail: Annotated[
        list[int] | None, typer.Option("--trail", help="Use only these trail ids (repeatable).")
    ] = None,
    date_order: Annotated[
        DateOrder | None,
        typer.Option(
            help="Numeric dates day first (dmy, 08/12/2026 = 8 Dec) or month first (mdy); "
            "only needed when the plan's date column does not settle it."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the mixed plan: .ics, .json, .csv or .html."),
    ] = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="table; json (recognition + plan); csv (the plan)."),
    ] = OutputFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Import your own plan, report what was recognised, mix trails in by R1-R12, save it as
    the current plan and write it out.

    Example: trailmix mix my-plan.ics --race-date 2027-04-18 -o mixed.ics"""
    suffix = output.suffix.lower() if output is not None else None
    if suffix is not None and suffix not in SUFFIXES:
        raise InputError(
            f"{output} : trailmix writes a mixed plan as .ics, .json, .csv or .html.", "--output"
        )
    from trailmix.app import exports, plans
    from trailmix.app.inputs import ProfileFlags
    from trailmix.domain.imports.words import Confidence
    from trailmix.formats.plan_json import plan_to_dict

    goal = plans.race_goal(distance, race_date, race_name, goal_time)
    profile = ProfileFlags(
        age=age,
        hr_max=hr_max,
        hr_rest=hr_rest,
        recent_race=recent_race,
        trail_preference=trail_preference,
        trail_cap=trail_cap,
        trail_shoe=trail_shoe,
    )
    store = open_db(db)
    result = plans.mix_file(store, plan_file, goal, profile, trail or (), date_order)
    imported, mixed = result.imported, result.saved.plan
    if fmt is OutputFormat.JSON:
        doc = {
            "schema": MIX_SCHEMA,
            "recognition": [recognition_to_dict(r) for r in imported.recognised],
            "plan": plan_to_dict(mixed),
        }
        write_output(json.dumps(doc, indent=2, ensure_ascii=False), None)
    elif fmt is OutputFormat.CSV:
        emit_plan(mixed, fmt, None)
        counts = ", ".join(f"{imported.count(c)} {c.value}" for c in Confidence)
        err_console.print(f"[dim]{len(imported.recognised)} entries: {counts}[/]")
    else:
        console.print(recognition_table(imported))
        if output is None:
            from trailmix.app.shoe_advice import plan_advice

            emit_plan(mixed, fmt, None, lambda: plan_advice(store))
    if suffix is not None and output is not None:
        # The saved plan, exported like `trailmix export` (a calendar updates the last one).
        write_output(exports.export(store, exports.ExportKind(suffix[1:])).text, output)
    if fmt is OutputFormat.TABLE:
        where = escape(str(result.saved.where))
        err_console.print(f"[dim]saved as plan {result.saved.plan_id} in {where}[/]")
