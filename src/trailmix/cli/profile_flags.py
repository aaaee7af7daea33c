"""The runner-profile flags that `athlete set`, `plan` and `mix` share, and how they apply."""

from __future__ import annotations

from typing import Annotated

import typer

from trailmix.domain.types import Sex

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
