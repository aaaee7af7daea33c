"""The demo's sample runner: trails discovered near their home in the bundled OpenStreetMap
extract and elevation tiles, and a half-marathon plan (`trailmix demo`)."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from trailmix.app import discover as discovery
from trailmix.app.plans import Saved
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


def add_sample_runner(database: Database) -> list[str]:
    """Store the sample runner's profile and, the first time, their discovered trails; the
    names of the trails added."""
    Athletes(database).save(SAMPLE_ATHLETE)
    return add_sample_trails(database)


def plan_sample_race(database: Database, today: date) -> Saved:
    """The sample runner's half-marathon plan from today, stored as the current plan."""
    plan = build_plan(SAMPLE_ATHLETE, sample_race(today), today, Trails(database).all())
    return Saved(plan, Plans(database).save(plan), database.url)
