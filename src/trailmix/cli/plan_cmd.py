"""`trailmix plan`: make, save and print the plan; `trailmix plan show`: print the stored one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from trailmix.cli.common import (
    DbOpt,
    OutputFormat,
    console,
    err_console,
    open_db,
    parse_cap,
    parse_date,
    parse_preference,
    parse_race,
    parse_shoe,
    parse_time,
    parse_weekday,
    parse_weekdays,
    write_output,
)
from trailmix.cli.render import print_plan
from trailmix.domain.build import build_plan
from trailmix.domain.planner import validate_athlete
from trailmix.domain.types import Athlete, Plan, Race, RaceDistance, Sex
from trailmix.errors import InputError
from trailmix.formats.plan_json import plan_to_csv, plan_to_json
from trailmix.storage.repo import Athletes, Plans, Trails

app = typer.Typer(help="Make a training plan for a road race, with trail running mixed in.")

FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table, json or csv (docs/plan-json.md).")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write json/csv to this file.")
]


def emit_plan(plan: Plan, fmt: OutputFormat, output: Path | None) -> None:
    if fmt is OutputFormat.JSON:
        write_output(plan_to_json(plan), output)
    elif fmt is OutputFormat.CSV:
        write_output(plan_to_csv(plan), output)
    else:
        print_plan(console, plan)


def apply_athlete_flags(
    base: Athlete,
    *,
    name: str | None = None,
    age: int | None = None,
    sex: Sex | None = None,
    hr_max: int | None = None,
    hr_rest: int | None = None,
    recent_race: str | None = None,
    weekly_km: float | None = None,
    weekly_min: float | None = None,
    days: int | None = None,
    run_days: str | None = None,
    long_run_day: str | None = None,
    trail_preference: str | None = None,
    trail_cap: str | None = None,
    trail_shoe: str | None = None,
) -> Athlete:
    """The stored profile with the flags given on this command line laid over it."""
    a = base
    if name is not None:
        a = replace(a, name=name)
    if age is not None:
        a = replace(a, age=age)
    if sex is not None:
        a = replace(a, sex=sex)
    if hr_max is not None or hr_rest is not None:
        a = replace(
            a,
            hr_max=hr_max if hr_max is not None else a.hr_max,
            hr_rest=hr_rest if hr_rest is not None else a.hr_rest,
        )
    if recent_race is not None:
        a = replace(a, recent_race=parse_race(recent_race))
    if weekly_km is not None:
        a = replace(a, weekly_km=weekly_km, weekly_min=None)
    if weekly_min is not None:
        a = replace(a, weekly_min=weekly_min, weekly_km=None)
    if run_days is not None:
        rd = parse_weekdays(run_days, "--run-days")
        a = replace(a, run_days=rd, days_per_week=len(set(rd)))
    if days is not None:
        a = replace(a, days_per_week=days)
        if a.run_days and len(set(a.run_days)) != days:
            a = replace(a, run_days=None)
    if long_run_day is not None:
        a = replace(a, long_run_day=parse_weekday(long_run_day, "--long-run-day"))
    if trail_preference is not None:
        a = replace(a, trail_preference=parse_preference(trail_preference))
    if trail_cap is not None:
        a = replace(a, trail_cap=parse_cap(trail_cap))
    if trail_shoe is not None:
        a = replace(a, trail_shoe=parse_shoe(trail_shoe))
    validate_athlete(a)
    return a


@app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    distance: Annotated[
        RaceDistance | None, typer.Option(help="The goal race: 5k, 10k, half or marathon.")
    ] = None,
    race_date: Annotated[str | None, typer.Option(help="Race day, YYYY-MM-DD.")] = None,
    race_name: Annotated[str, typer.Option(help="The race's name, for your calendar.")] = "",
    goal_time: Annotated[
        str | None, typer.Option(help="Goal race time h:mm:ss (race-pace sessions use it).")
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="First day of the plan (default today).")
    ] = None,
    recent_race: Annotated[
        str | None, typer.Option(help="A recent race as DISTANCE=TIME, e.g. 10k=48:30.")
    ] = None,
    weekly_km: Annotated[float | None, typer.Option(help="Current weekly volume in km.")] = None,
    weekly_min: Annotated[
        float | None, typer.Option(help="Current weekly volume in minutes.")
    ] = None,
    days: Annotated[int | None, typer.Option(help="Run days per week, 3-7.")] = None,
    run_days: Annotated[
        str | None, typer.Option(help="Which days you run, e.g. tue,wed,thu,sat,sun.")
    ] = None,
    long_run_day: Annotated[str | None, typer.Option(help="Day of the long run, e.g. sun.")] = None,
    age: Annotated[int | None, typer.Option(help="Age (HRmax by Tanaka when unknown).")] = None,
    sex: Annotated[Sex | None, typer.Option(help="female or male.")] = None,
    hr_max: Annotated[int | None, typer.Option(help="Maximum heart rate.")] = None,
    hr_rest: Annotated[int | None, typer.Option(help="Resting heart rate (for Karvonen).")] = None,
    trail_preference: Annotated[
        str | None, typer.Option(help="enjoy (up to 1/3, R1), minimum (R2) or off.")
    ] = None,
    trail_cap: Annotated[
        str | None, typer.Option(help="A lower trail cap than 1/3 for 'enjoy', e.g. 0.25.")
    ] = None,
    trail_shoe: Annotated[
        str | None, typer.Option(help="Do you own trail shoes? yes, no or unsure (R10).")
    ] = None,
    trail: Annotated[
        list[int] | None, typer.Option("--trail", help="Use only these trail ids (repeatable).")
    ] = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> None:
    """Make the plan from your profile (trailmix athlete set) and these flags, save it, print it."""
    if ctx.invoked_subcommand is not None:
        return
    if distance is None:
        raise InputError("which race? give 5k, 10k, half or marathon.", "--distance")
    if race_date is None:
        raise InputError("when is the race? give the date as YYYY-MM-DD.", "--race-date")
    day = parse_date(race_date, "--race-date")
    first = parse_date(start, "--start") if start else date.today()
    goal = parse_time(goal_time, "--goal-time") if goal_time else None
    database = open_db(db)
    stored = Athletes(database).get() or Athlete()
    athlete = apply_athlete_flags(
        stored,
        age=age,
        sex=sex,
        hr_max=hr_max,
        hr_rest=hr_rest,
        recent_race=recent_race,
        weekly_km=weekly_km,
        weekly_min=weekly_min,
        days=days,
        run_days=run_days,
        long_run_day=long_run_day,
        trail_preference=trail_preference,
        trail_cap=trail_cap,
        trail_shoe=trail_shoe,
    )
    library = Trails(database)
    trails = library.by_ids(trail) if trail else library.all()
    race = Race(distance=distance, date=day, name=race_name, goal_time_s=goal)
    result = build_plan(athlete, race, first, trails)
    plan_id = Plans(database).save(result)
    emit_plan(result, fmt, output)
    if fmt is OutputFormat.TABLE:
        err_console.print(f"[dim]saved as plan {plan_id} in {database.url}[/]")


@app.command("show")
def show(
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> None:
    """Print the stored plan."""
    emit_plan(Plans(open_db(db)).current(), fmt, output)
