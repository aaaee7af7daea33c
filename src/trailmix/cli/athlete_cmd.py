"""`trailmix athlete set|show`: the runner's stored profile, so later commands need fewer flags."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from trailmix.cli.common import DataFormat, DbOpt, FormatOpt, console, dump_json, open_db
from trailmix.cli.plan_cmd import apply_athlete_flags
from trailmix.domain.types import Athlete, Sex
from trailmix.domain.units import format_duration
from trailmix.formats.plan_json import athlete_to_dict
from trailmix.storage.repo import Athletes

app = typer.Typer(help="Your runner profile: fitness, week, heart rate, trail preference.")


def _print(a: Athlete, fmt: DataFormat) -> None:
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(athlete_to_dict(a)))
        return
    t = Table(title=f"Runner: {a.name}", show_header=False)
    rr = a.recent_race
    rows = {
        "age": a.age,
        "sex": a.sex.value if a.sex else None,
        "HRmax / HRrest": f"{a.hr_max or '-'} / {a.hr_rest or '-'}",
        "recent race": f"{rr.label or rr.distance_km} in {format_duration(rr.time_s)}"
        if rr
        else None,
        "weekly volume": f"{a.weekly_km:g} km"
        if a.weekly_km
        else (f"{a.weekly_min:g} min" if a.weekly_min else None),
        "days a week": a.days_per_week,
        "run days": ",".join(d.label for d in a.run_days) if a.run_days else "default",
        "long-run day": a.long_run_day.label,
        "trail preference": a.trail_preference.value,
        "trail cap": f"{a.trail_cap:.0%}" if a.trail_cap else "1/3 (R1)",
        "owns trail shoes": a.trail_shoe.value,
    }
    for k, v in rows.items():
        t.add_row(k, "-" if v is None else str(v))
    console.print(t)


@app.command("set")
def set_profile(
    name: Annotated[str | None, typer.Option(help="Your name (profiles are kept by name).")] = None,
    age: Annotated[int | None, typer.Option(help="Age (HRmax by Tanaka when unknown).")] = None,
    sex: Annotated[Sex | None, typer.Option(help="female or male.")] = None,
    hr_max: Annotated[int | None, typer.Option(help="Maximum heart rate.")] = None,
    hr_rest: Annotated[int | None, typer.Option(help="Resting heart rate.")] = None,
    recent_race: Annotated[
        str | None, typer.Option(help="A recent race as DISTANCE=TIME, e.g. 10k=48:30.")
    ] = None,
    weekly_km: Annotated[float | None, typer.Option(help="Current weekly volume in km.")] = None,
    weekly_min: Annotated[
        float | None, typer.Option(help="Current weekly volume, minutes.")
    ] = None,
    days: Annotated[int | None, typer.Option(help="Run days per week, 3-7.")] = None,
    run_days: Annotated[str | None, typer.Option(help="e.g. tue,wed,thu,sat,sun.")] = None,
    long_run_day: Annotated[str | None, typer.Option(help="Day of the long run.")] = None,
    trail_preference: Annotated[
        str | None, typer.Option(help="enjoy (up to 1/3, R1), minimum (R2) or off.")
    ] = None,
    trail_cap: Annotated[str | None, typer.Option(help="A cap below 1/3, e.g. 0.25.")] = None,
    trail_shoe: Annotated[
        str | None, typer.Option(help="Do you own trail shoes? yes, no or unsure.")
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Store (or update) your profile; only the flags you give change."""
    database = open_db(db)
    repo = Athletes(database)
    base = (repo.get(name) if name else repo.get()) or Athlete()
    athlete = apply_athlete_flags(
        base,
        name=name,
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
    repo.save(athlete)
    _print(athlete, fmt)


@app.command("show")
def show(
    name: Annotated[str | None, typer.Option(help="Whose profile (default: the latest).")] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Print the stored profile."""
    from trailmix.errors import NotFoundError

    athlete = Athletes(open_db(db)).get(name)
    if athlete is None:
        raise NotFoundError("no profile stored yet; create one with 'trailmix athlete set ...'.")
    _print(athlete, fmt)
