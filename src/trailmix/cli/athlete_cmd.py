"""`trailmix athlete set|show`: the runner's stored profile, so later commands need fewer flags."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from trailmix.cli.common import DataFormat, DbOpt, FormatOpt, console, dump_json, open_db
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
from trailmix.domain.types import Athlete
from trailmix.domain.units import format_duration

app = typer.Typer(help="Your runner profile: fitness, week, heart rate, trail preference.")


def _print(a: Athlete, fmt: DataFormat) -> None:
    if fmt is DataFormat.JSON:
        from trailmix.formats.plan_json import athlete_to_dict

        typer.echo(dump_json(athlete_to_dict(a)))
        return
    from trailmix.app.zones import machine_zone

    t = Table(title=Text(f"Runner: {a.name}"), show_header=False)
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
        "time zone": a.timezone or f"{machine_zone()} (this computer's)",
    }
    for k, v in rows.items():
        t.add_row(k, Text("-" if v is None else str(v)))
    console.print(t)


@app.command("set")
def set_profile(
    name: Annotated[str | None, typer.Option(help="Your name (profiles are kept by name).")] = None,
    age: AgeOpt = None,
    sex: SexOpt = None,
    hr_max: HrMaxOpt = None,
    hr_rest: HrRestOpt = None,
    recent_race: RecentRaceOpt = None,
    weekly_km: WeeklyKmOpt = None,
    weekly_min: WeeklyMinOpt = None,
    days: DaysOpt = None,
    run_days: RunDaysOpt = None,
    long_run_day: LongRunDayOpt = None,
    trail_preference: TrailPreferenceOpt = None,
    trail_cap: TrailCapOpt = None,
    trail_shoe: TrailShoeOpt = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            help="Your time zone (IANA, e.g. Europe/Berlin): the day of a logged run whose "
            "file gives none (default: this computer's)."
        ),
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Store (or update) your profile; only the flags you give change.

    Example: trailmix athlete set --age 38 --weekly-km 40 --recent-race 10k=48:30"""
    from trailmix.app import profile
    from trailmix.app.inputs import ProfileFlags

    flags = ProfileFlags(
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
        timezone=timezone,
    )
    _print(profile.update(open_db(db), flags), fmt)


@app.command("show")
def show(
    name: Annotated[str | None, typer.Option(help="Whose profile (default: the latest).")] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Print the stored profile.

    Example: trailmix athlete show"""
    from trailmix.app import profile

    _print(profile.show(open_db(db), name), fmt)
