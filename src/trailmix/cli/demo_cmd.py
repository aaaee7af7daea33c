"""`trailmix demo`: the main job on bundled sample data, start to finish."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from trailmix import library
from trailmix.cli.common import OutputFormat, err_console, write_output
from trailmix.cli.plan_cmd import emit_plan
from trailmix.domain.build import build_plan
from trailmix.domain.types import (
    Athlete,
    Race,
    RaceDistance,
    RaceResult,
    Sex,
    TrailPreference,
    TrailShoe,
    Weekday,
)
from trailmix.formats.plan_json import plan_to_csv, plan_to_json
from trailmix.storage.db import Database
from trailmix.storage.repo import Athletes, Plans, Trails

SAMPLE_ATHLETE = Athlete(
    name="Sam (sample runner)",
    age=38,
    sex=Sex.FEMALE,
    hr_rest=52,
    recent_race=RaceResult(10.0, 48 * 60 + 30, "10k"),
    weekly_km=40.0,
    days_per_week=5,
    long_run_day=Weekday.SUN,
    trail_preference=TrailPreference.ENJOY,
    trail_shoe=TrailShoe.YES,
)


# The demo runner's trails: real recordings bundled in trailmix/sample (see LICENSES.md there).
SAMPLE_TRAILS = (
    ("Virginia flat path", "virginia_flat.gpx.gz", "dirt"),
    ("Heidelberg hill", "heidelberg_hill.fit", None),
)


def add_sample_trails(database: Database) -> None:
    """Store the bundled sample trails once (by name)."""
    known = {r.name for r in Trails(database).records()}
    folder = resources.files("trailmix") / "sample"
    for name, file_name, surface in SAMPLE_TRAILS:
        if name in known:
            continue
        with resources.as_file(folder / file_name) as path:
            library.add_file(database, Path(path), name=name, surface=surface)


def sample_race(today: date) -> Race:
    """A half marathon on the Sunday about 18 weeks out, so the demo never plans for the past."""
    day = today + timedelta(weeks=18)
    day += timedelta(days=(6 - day.weekday()) % 7)
    return Race(RaceDistance.HALF, day, name="Sample City Half")


def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo's database and files.")] = Path(
        "trailmix-demo"
    ),
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: a SQLite file in the --out folder)."),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv on stdout.")
    ] = OutputFormat.TABLE,
) -> None:
    """Plan a sample runner's half marathon with trails mixed in; print it and write files.

    The sample runner has two real trails (bundled recordings): a flat path and a steep hill
    that counts as technical, so the plan shows recovery runs on flat dirt (R6), a hike before
    the technical hill is run (R9) and hill repeats fitted to it (R8)."""
    out.mkdir(parents=True, exist_ok=True)
    database = Database(db or f"sqlite:///{(out / 'demo.db').resolve()}")
    Athletes(database).save(SAMPLE_ATHLETE)
    add_sample_trails(database)
    today = date.today()
    plan = build_plan(SAMPLE_ATHLETE, sample_race(today), today, Trails(database).all())
    Plans(database).save(plan)
    emit_plan(plan, fmt, None)
    write_output(plan_to_json(plan), out / "plan.json")
    write_output(plan_to_csv(plan), out / "plan.csv")
    err_console.print(
        f"[dim]database: {database.url}. Try: trailmix explain "
        f"{_first_trail_day(plan)} --db {database.url}[/]"
    )


def _first_trail_day(plan: object) -> str:
    from trailmix.domain.types import Plan, Surface

    assert isinstance(plan, Plan)
    for s in plan.sessions:
        if s.surface is Surface.TRAIL:
            return s.date.isoformat()
    return plan.start.isoformat()
