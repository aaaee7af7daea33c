"""`trailmix plan`: make, save and print the plan; `trailmix plan show`: print the stored one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from trailmix.cli.common import (
    DbOpt,
    OutputFormat,
    console,
    err_console,
    open_db,
    parse_date,
    write_output,
)
from trailmix.cli.profile_flags import (
    AgeOpt,
    DaysOpt,
    HrMaxOpt,
    HrRestOpt,
    LongRunDayOpt,
    RecentRaceOpt,
    RunDaysOpt,
    SexOpt,
    TrailCapOpt,
    TrailPreferenceOpt,
    TrailShoeOpt,
    WeeklyKmOpt,
    WeeklyMinOpt,
)
from trailmix.cli.render import Advice, print_plan
from trailmix.domain.types import Plan, RaceDistance
from trailmix.errors import InputError

if TYPE_CHECKING:
    from trailmix.app import plans

app = typer.Typer(
    help="Make a training plan for a road race, with trail running mixed in.\n\n"
    "Example: trailmix plan --distance half --race-date 2027-04-18 --recent-race 10k=48:30"
)

FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table, json or csv (stable field names).")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write json/csv to this file.")
]


def _shoes_at(db: str | None) -> Callable[[], Advice]:
    """The runner's pairs for R10's advice, read from the database at `db` when needed."""

    def read() -> Advice:
        from trailmix.app.shoe_advice import advice_at

        return advice_at(db)

    return read


def check_output(fmt: OutputFormat, output: Path | None) -> None:
    """`-o` writes a file for programs: json or csv, never the table (refused before any work)."""
    if output is not None and fmt is OutputFormat.TABLE:
        raise InputError("-o writes json or csv: add --format json or --format csv.", "--output")
    if output is not None:
        from trailmix.app.inputs import check_writable

        check_writable(output, "--output")


def emit_saved(
    saved: plans.Saved, fmt: OutputFormat, output: Path | None, db: str | None = None
) -> None:
    """The plan just made, and (for people) where it was stored (the database at `db`)."""
    emit_plan(saved.plan, fmt, output, _shoes_at(db))
    if fmt is OutputFormat.TABLE:
        where = escape(str(saved.where))
        err_console.print(f"[dim]saved as plan {saved.plan_id} in {where}[/]")


def emit_plan(
    plan: Plan,
    fmt: OutputFormat,
    output: Path | None,
    shoes: Callable[[], Advice] | None = None,
) -> None:
    """The plan as asked; the table names the runner's own shoes (R10), as `shoes()` gives
    them (the stored contract, json and csv, keeps R10's kind of shoe only)."""
    check_output(fmt, output)
    from trailmix.formats.plan_json import plan_to_csv, plan_to_json

    if fmt is OutputFormat.JSON:
        write_output(plan_to_json(plan), output)
    elif fmt is OutputFormat.CSV:
        write_output(plan_to_csv(plan), output)
    else:
        print_plan(console, plan, shoes() if shoes is not None else None)


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
    recent_race: RecentRaceOpt = None,
    weekly_km: WeeklyKmOpt = None,
    weekly_min: WeeklyMinOpt = None,
    days: DaysOpt = None,
    run_days: RunDaysOpt = None,
    long_run_day: LongRunDayOpt = None,
    age: AgeOpt = None,
    sex: SexOpt = None,
    hr_max: HrMaxOpt = None,
    hr_rest: HrRestOpt = None,
    trail_preference: TrailPreferenceOpt = None,
    trail_cap: TrailCapOpt = None,
    trail_shoe: TrailShoeOpt = None,
    trail: Annotated[
        list[int] | None, typer.Option("--trail", help="Use only these trail ids (repeatable).")
    ] = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> None:
    """Make the plan from your profile (trailmix athlete set) and these flags, save it, print it.

    Example: trailmix plan --distance half --race-date 2027-04-18 --recent-race 10k=48:30"""
    if ctx.invoked_subcommand is not None:
        return
    check_output(fmt, output)
    from trailmix.app import plans
    from trailmix.app.inputs import ProfileFlags

    goal = plans.race_goal(distance, race_date, race_name, goal_time)
    profile = ProfileFlags(
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
    first = parse_date(start, "--start") if start else date.today()
    emit_saved(plans.make(open_db(db), goal, profile, first, trail or ()), fmt, output, db)


@app.command("show")
def show(
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> None:
    """Print the stored plan.

    Example: trailmix plan show --format csv -o plan.csv"""
    from trailmix.app import plans

    emit_plan(plans.current_at(db), fmt, output, _shoes_at(db))


@app.command("update")
def update(
    day: Annotated[
        str | None, typer.Option("--date", help="Re-plan from this day (default today).")
    ] = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> None:
    """Adjust the rest of the stored plan from today to what your log shows (on track, ahead,
    behind, back from a break), keeping its weeks, phases and taper and every rule of the
    trail-mix engine; save it and print it.

    Example: trailmix plan update"""
    check_output(fmt, output)
    from trailmix.app import plans

    when = parse_date(day, "--date") if day else date.today()
    emit_saved(plans.update(open_db(db), when), fmt, output, db)
