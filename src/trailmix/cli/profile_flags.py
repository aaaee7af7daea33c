"""The runner-profile flags that `athlete set`, `plan` and `mix` share, and how they apply."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer

from trailmix.cli.common import (
    parse_cap,
    parse_preference,
    parse_race,
    parse_shoe,
    parse_weekday,
    parse_weekdays,
)
from trailmix.domain.planner import validate_athlete
from trailmix.domain.types import Athlete, Sex

AgeOpt = Annotated[int | None, typer.Option(help="Age (HRmax by Tanaka when unknown).")]
SexOpt = Annotated[Sex | None, typer.Option(help="female or male.")]
HrMaxOpt = Annotated[int | None, typer.Option(help="Maximum heart rate.")]
HrRestOpt = Annotated[int | None, typer.Option(help="Resting heart rate (for Karvonen).")]
RecentRaceOpt = Annotated[
    str | None, typer.Option(help="A recent race as DISTANCE=TIME, e.g. 10k=48:30.")
]
WeeklyKmOpt = Annotated[float | None, typer.Option(help="Current weekly volume in km.")]
WeeklyMinOpt = Annotated[float | None, typer.Option(help="Current weekly volume in minutes.")]
DaysOpt = Annotated[int | None, typer.Option(help="Run days per week, 3-7.")]
RunDaysOpt = Annotated[
    str | None, typer.Option(help="Which days you run, e.g. tue,wed,thu,sat,sun.")
]
LongRunDayOpt = Annotated[str | None, typer.Option(help="Day of the long run, e.g. sun.")]
TrailPreferenceOpt = Annotated[
    str | None, typer.Option(help="enjoy (up to 1/3, R1), minimum (R2) or off.")
]
TrailCapOpt = Annotated[
    str | None, typer.Option(help="A lower trail cap than 1/3 for 'enjoy', e.g. 0.25.")
]
TrailShoeOpt = Annotated[
    str | None, typer.Option(help="Do you own trail shoes? yes, no or unsure (R10).")
]


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
