"""What the pages and the API do, as calls into the library: the routes only call these.

Each function takes the database (and the settings or today's date when it needs them), calls
the same library functions as the CLI (and its flag parsers, so bad input gets the CLI's
message) and returns domain objects or the JSON shapes the CLI prints with `--format json`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, time, timedelta
from typing import Any

from trailmix.app import log as training_log
from trailmix.app import trails as library
from trailmix.app.inputs import (
    apply_athlete_flags,
    parse_clock,
    parse_date,
    parse_time,
    parse_zone,
)
from trailmix.app.log_json import adherence_json, record_json, stats_json
from trailmix.domain.plan.build import build_plan, explain, update_plan
from trailmix.domain.trail.model import TrailCategory
from trailmix.domain.types import Athlete, Plan, Race, RaceDistance, Session, TrailShoe
from trailmix.errors import InputError, NotFoundError
from trailmix.formats.fit_workout import plan_to_fit
from trailmix.formats.html_plan import plan_to_html
from trailmix.formats.ics_export import plan_to_ics
from trailmix.formats.plan_json import plan_to_csv, plan_to_json
from trailmix.storage.db import Database
from trailmix.storage.repo import Activities, Athletes, Plans, TrailRecord, Trails
from trailmix.web.schemas import PlanCreate, TrailPatch
from trailmix.web.settings import Settings
from trailmix.web.uploads import UploadLike, read_uploads

# --- Plans -------------------------------------------------------------------------------------


def parse_distance(text: str | None) -> RaceDistance:
    try:
        return RaceDistance((text or "").strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a race distance; give 5k, 10k, half or marathon.", "--distance"
        ) from None


def athlete_from(req: PlanCreate, stored: Athlete) -> Athlete:
    """The stored profile with the onboarding answers laid over it (the CLI's flag rules)."""
    return apply_athlete_flags(
        stored,
        age=req.age,
        sex=req.sex,
        hr_max=req.hr_max,
        hr_rest=req.hr_rest,
        recent_race=req.recent_race or None,
        weekly_km=req.weekly_km,
        weekly_min=req.weekly_min,
        days=req.days,
        run_days=req.run_days or None,
        long_run_day=req.long_run_day or None,
        trail_preference=req.trail_preference or None,
        trail_cap=req.trail_cap or None,
        trail_shoe=req.trail_shoe or None,
    )


def make_plan(db: Database, req: PlanCreate, today: date) -> Plan:
    """`trailmix plan` with these answers: build, store the profile and the plan."""
    distance = parse_distance(req.distance)
    if not req.race_date:
        raise InputError("when is the race? give the date as YYYY-MM-DD.", "--race-date")
    day = parse_date(req.race_date, "--race-date")
    first = parse_date(req.start, "--start") if req.start else today
    goal = parse_time(req.goal_time, "--goal-time") if req.goal_time else None
    athletes = Athletes(db)
    athlete = athlete_from(req, athletes.get() or Athlete())
    race = Race(distance=distance, date=day, name=req.race_name or "", goal_time_s=goal)
    plan = build_plan(athlete, race, first, Trails(db).all())
    athletes.save(athlete)
    Plans(db).save(plan)
    return plan


def current_plan(db: Database) -> Plan:
    return Plans(db).current()


def remake_plan(db: Database, today: date) -> Plan:
    """The stored plan made again for the same runner and race with today's trail library
    (from its first day, or from today once it has started)."""
    plan = Plans(db).current()
    start = max(plan.start, today)
    fresh = build_plan(plan.athlete, plan.race, start, Trails(db).all())
    Plans(db).save(fresh)
    return fresh


def replan(db: Database, day: str | None, today: date) -> Plan:
    """`trailmix plan update`: the rest of the plan rebuilt from the log's volume."""
    when = parse_date(day, "--date") if day else today
    plans = Plans(db)
    plan = plans.current()
    if when < plan.start or when > plan.race.date:
        raise InputError(
            f"{when.isoformat()} is outside the plan ({plan.start.isoformat()} to "
            f"{plan.race.date.isoformat()}).",
            "--date",
        )
    hist = training_log.history(db, when, plan.start)
    fresh = update_plan(plan, when, hist, Trails(db).all())
    plans.save(fresh)
    return fresh


def sessions_between(plan: Plan, first: str | None, last: str | None) -> list[Session]:
    lo = parse_date(first, "from") if first else plan.start
    hi = parse_date(last, "to") if last else plan.race.date
    if hi < lo:
        raise InputError(f"{hi.isoformat()} is before {lo.isoformat()}.", "to")
    return [s for s in plan.sessions if lo <= s.date <= hi]


def sessions_on(plan: Plan, day: str) -> tuple[date, tuple[Session, ...]]:
    """`trailmix explain DATE`: the day and its sessions, each with its reasons."""
    when = parse_date(day, "DATE")
    return when, explain(plan, when)


# --- Trails ------------------------------------------------------------------------------------


def owns_trail_shoe(db: Database) -> TrailShoe:
    athlete = Athletes(db).get()
    return athlete.trail_shoe if athlete else TrailShoe.YES


def add_trail(
    db: Database,
    settings: Settings,
    upload: UploadLike,
    *,
    name: str | None = None,
    surface: str | None = None,
    technical: str | None = None,
) -> TrailRecord:
    """`trailmix trails add FILE`: read by content, analyse, store; messages name the upload."""
    tags = [t.strip() for t in (technical or "").split(",") if t.strip()]
    dem = library.dem_folder(str(settings.dem_dir) if settings.dem_dir else None)
    received = read_uploads([upload], settings.max_upload_bytes)[0]
    return library.add_bytes(
        db,
        received.file.data,
        received.file.name,
        name=(name or "").strip() or trail_name_of(received.original),
        surface=(surface or "").strip() or None,
        technical=tags,
        dem=dem,
        label=received.original,
    )


def trail_name_of(file_name: str) -> str:
    """A trail's default name from its file's: `forest_loop.gpx.gz` -> `forest loop`."""
    stem = file_name
    for suffix in (".gz", ".gpx", ".tcx", ".fit"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem.replace("_", " ").strip() or file_name


def trail_list(db: Database) -> list[dict[str, Any]]:
    owns = owns_trail_shoe(db)
    return [library.trail_summary(r, owns) for r in Trails(db).records()]


def trail_list_item(db: Database, rec: TrailRecord) -> dict[str, Any]:
    return library.trail_summary(rec, owns_trail_shoe(db))


def trail_record(db: Database, trail_id: int) -> TrailRecord:
    return Trails(db).get(str(trail_id))


def trail_detail(db: Database, trail_id: int) -> dict[str, Any]:
    return library.trail_detail(trail_record(db, trail_id), owns_trail_shoe(db))


def mark_hiked(db: Database, trail_id: int, hiked: bool) -> dict[str, Any]:
    """R9: a technical trail hiked once may carry runs."""
    trails = Trails(db)
    rec = trails.set_hiked(trails.get(str(trail_id)).id, hiked)
    return library.trail_summary(rec, owns_trail_shoe(db))


def parse_category(text: str) -> TrailCategory:
    try:
        return TrailCategory(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a category; use smooth, dirt, hilly or technical.", "--category"
        ) from None


def correct_trail(db: Database, trail_id: int, patch: TrailPatch) -> dict[str, Any]:
    """`trailmix trails set`: the runner's category, surface or name."""
    trails = Trails(db)
    rec = trails.get(str(trail_id))
    category = parse_category(patch.category) if patch.category else None
    rename = (patch.name or "").strip() or None
    taken = {r.name.lower() for r in trails.records()} - {rec.name.lower()}
    if rename is not None and rename.lower() in taken:
        raise InputError(f"a trail named {rename!r} is already stored.", "--rename")
    rec = trails.correct(
        rec.id,
        category=category.value if category else None,
        name=rename,
        surface=(patch.surface or "").strip() or None,
    )
    return library.trail_summary(rec, owns_trail_shoe(db))


# --- The log -----------------------------------------------------------------------------------


def import_runs(db: Database, settings: Settings, uploads: Sequence[UploadLike]) -> dict[str, Any]:
    """`trailmix log import`: run files or export zips; the report as `--format json`."""
    received = read_uploads(uploads, settings.max_upload_bytes)
    report = training_log.import_files(db, [r.file for r in received])

    def rows(items: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"file": f, "reason": m} for f, m in items]

    return {
        "imported": [record_json(r) for r in report.imported],
        "duplicates": rows(report.duplicates),
        "skipped": rows(report.skipped),
        "problems": rows(report.problems),
    }


def run_list(db: Database, weeks: int | None, since: str | None, today: date) -> list[Any]:
    """`trailmix log list`."""
    log = Activities(db)
    if since:
        records = log.between(parse_date(since, "--since"), today + timedelta(days=1))
    elif weeks:
        if not 1 <= weeks <= 520:
            raise InputError(f"{weeks} is not accepted; give 1 to 520 weeks.", "--weeks")
        records = log.between(today - timedelta(weeks=weeks), today + timedelta(days=1))
    else:
        records = log.all()
    return [record_json(r) for r in records]


def rate_run(db: Database, run_id: int, rpe: float) -> dict[str, Any]:
    """`trailmix log rpe ID RPE`."""
    return record_json(training_log.set_rpe(db, str(run_id), rpe))


def week_report(db: Database, day: str | None, today: date) -> dict[str, Any]:
    """`trailmix log week`: the week of `day` against the plan, judged as of today."""
    shown = parse_date(day, "--date") if day else today
    plan = Plans(db).current()
    a = training_log.week_against_plan(db, plan, today)
    index = next((i for i, w in enumerate(a.weeks) if w.week.start <= shown <= w.week.end), None)
    if index is None:
        raise InputError(
            f"{shown.isoformat()} is outside the plan ({plan.start.isoformat()} to "
            f"{plan.race.date.isoformat()}).",
            "--date",
        )
    return adherence_json(a, index)


def stats_report(db: Database, weeks: int, day: str | None, today: date) -> dict[str, Any]:
    """`trailmix log stats --format json`."""
    when = parse_date(day, "--date") if day else today
    return stats_json(training_log.stats(db, weeks, when))


# --- Exports -----------------------------------------------------------------------------------


def export_ics(db: Database, at: str | None, tz: str | None) -> bytes:
    """`trailmix export ics`: all-day events, or at a time of day in a zone."""
    clock: time | None = parse_clock(at) if at else None
    zone = parse_zone(tz) if tz else None
    if zone is not None and clock is None:
        raise InputError(
            "a time zone needs a time of day (--time 07:00); without one the "
            "sessions are all-day events.",
            "--tz",
        )
    return plan_to_ics(Plans(db).current(), at=clock, tz=zone)


def export_fit_zip(db: Database) -> bytes:
    """`trailmix export fit`, as one zip of FIT workouts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in plan_to_fit(Plans(db).current()):
            archive.writestr(name, data)
    return buffer.getvalue()


def export_text(db: Database, kind: str) -> str:
    """`trailmix export html|json|csv`."""
    plan = Plans(db).current()
    if kind == "html":
        return plan_to_html(plan)
    if kind == "csv":
        return plan_to_csv(plan)
    return plan_to_json(plan)


# --- For the pages -----------------------------------------------------------------------------


def plan_or_none(db: Database) -> Plan | None:
    """The current plan, or None before the first one is made."""
    try:
        return Plans(db).current()
    except NotFoundError:
        return None


def stored_athlete(db: Database) -> Athlete | None:
    return Athletes(db).get()


def week_or_none(db: Database, today: date) -> dict[str, Any] | None:
    """This week against the plan, or None with no plan or outside it."""
    try:
        return week_report(db, None, today)
    except (NotFoundError, InputError):
        return None
