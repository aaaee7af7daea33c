"""`trailmix demo`: the main job on bundled sample data, start to finish."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from trailmix.app import discover as discovery
from trailmix.cli.common import OutputFormat, err_console, write_output
from trailmix.cli.plan_cmd import emit_plan
from trailmix.domain.osm.routes import Purpose
from trailmix.domain.plan.build import build_plan
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
from trailmix.formats.srtm import DemFolder
from trailmix.storage.db import Database
from trailmix.storage.repo import Athletes, Plans, Trails

SAMPLE_EASY_PACE_S_PER_KM = 365.0  # the sample runner's easy pace (VDOT 41.5, Daniels E)

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


# The demo runner lives north of Bayreuth: trails are discovered from the bundled OpenStreetMap
# extract and SRTM tiles (trailmix/sample/bayreuth, see LICENSES.md there).
HOME = (50.0321, 11.5352)
RADIUS_KM = 6.0


def add_sample_trails(database: Database) -> list[str]:
    """Discover the runner's trails once: the best recovery route, hill and technical trail."""
    if Trails(database).records():
        return []
    folder = resources.files("trailmix") / "sample" / "bayreuth"
    with resources.as_file(folder) as base:
        dem = DemFolder(Path(base) / "dem")
        found = discovery.discover(
            Path(base) / "north-bayreuth.osm.gz",
            HOME,
            RADIUS_KM,
            dem=dem,
            minutes=40,
            flat_speed_ms=1000.0 / SAMPLE_EASY_PACE_S_PER_KM,
        )
        added = []
        for purpose in (Purpose.RECOVERY, Purpose.HILLS, Purpose.TECHNICAL):
            best = next((c for c in found.candidates if c.purpose is purpose), None)
            if best is not None:
                added.append(discovery.add_candidate(database, best, dem=dem).name)
    return added


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

    The sample runner lives north of Bayreuth; trailmix discovers their trails in the bundled
    OpenStreetMap extract and elevation tiles (a recovery route, a hill for repeats, a technical
    trail), so the plan shows easy trail runs (R6), hill repeats fitted to the hill (R8) and a
    hike before the technical trail is run (R9)."""
    out.mkdir(parents=True, exist_ok=True)
    database = Database(db or f"sqlite:///{(out / 'demo.db').resolve()}")
    Athletes(database).save(SAMPLE_ATHLETE)
    added = add_sample_trails(database)
    if added:
        err_console.print(
            f"[dim]discovered near the sample runner's home north of Bayreuth: "
            f"{', '.join(added)} ({discovery.ATTRIBUTION}; {discovery.SRTM_CREDIT})[/]"
        )
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
