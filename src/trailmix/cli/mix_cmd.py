"""`trailmix mix PLAN.ics|PLAN.csv`: bring your own plan, get it back with trails mixed in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from trailmix.cli.common import (
    DbOpt,
    OutputFormat,
    console,
    err_console,
    open_db,
    parse_date,
    parse_time,
    write_output,
)
from trailmix.cli.plan_cmd import emit_plan
from trailmix.cli.profile_flags import apply_athlete_flags
from trailmix.domain.effort import heart_rate_model
from trailmix.domain.imports.plan import Imported, Recognised, import_plan
from trailmix.domain.imports.words import Confidence
from trailmix.domain.plan.mixer import athlete_options, check_options
from trailmix.domain.plan.mixer import mix as mix_trails
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.types import Athlete, Plan, RaceDistance
from trailmix.errors import InputError
from trailmix.formats.html_plan import plan_to_html
from trailmix.formats.ics_export import plan_to_ics
from trailmix.formats.plan_import import read_plan_file
from trailmix.formats.plan_json import plan_to_csv, plan_to_dict, plan_to_json
from trailmix.storage.repo import Athletes, Plans, Trails

MIX_SCHEMA = "trailmix.mix/1"
SUFFIXES = (".ics", ".json", ".csv", ".html")
_STYLE = {
    Confidence.RECOGNISED: "green",
    Confidence.GUESSED: "yellow",
    Confidence.NOT_UNDERSTOOD: "red",
}


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
            r.entry.title,
            read,
            f"[{_STYLE[rec.confidence]}]{rec.confidence.value}[/]",
            detail,
        )
    counts = ", ".join(f"{imported.count(c)} {c.value}" for c in Confidence)
    table.caption = f"{len(imported.recognised)} entries: {counts}"
    return table


def render(plan: Plan, suffix: str) -> str:
    """The mixed plan in the form a file suffix asks for."""
    if suffix == ".ics":
        return plan_to_ics(plan).decode("utf-8")
    if suffix == ".json":
        return plan_to_json(plan)
    if suffix == ".csv":
        return plan_to_csv(plan)
    return plan_to_html(plan)


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
    the current plan and write it out."""
    suffix = output.suffix.lower() if output is not None else None
    if suffix is not None and suffix not in SUFFIXES:
        raise InputError(
            f"{output} : trailmix writes a mixed plan as .ics, .json, .csv or .html.", "--output"
        )
    day = parse_date(race_date, "--race-date") if race_date else None
    goal = parse_time(goal_time, "--goal-time") if goal_time else None
    entries = read_plan_file(plan_file)
    database = open_db(db)
    stored = Athletes(database).get() or Athlete()
    athlete = apply_athlete_flags(
        stored,
        age=age,
        hr_max=hr_max,
        hr_rest=hr_rest,
        recent_race=recent_race,
        trail_preference=trail_preference,
        trail_cap=trail_cap,
        trail_shoe=trail_shoe,
    )
    imported = import_plan(
        entries,
        athlete,
        distance=distance,
        race_date=day,
        race_name=race_name,
        goal_time_s=goal,
    )
    library = Trails(database)
    trails = library.by_ids(trail) if trail else library.all()
    options = athlete_options(athlete, trails)
    check_options(options)
    road = imported.plan
    assert road.paces is not None
    mixed = mix_trails(road, options, Prescriber(road.paces, heart_rate_model(athlete)))
    text = render(mixed, suffix) if suffix is not None else None
    plan_id = Plans(database).save(mixed)
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
            emit_plan(mixed, fmt, None)
    if text is not None and output is not None:
        write_output(text, output)
    if fmt is OutputFormat.TABLE:
        err_console.print(f"[dim]saved as plan {plan_id} in {database.url}[/]")
