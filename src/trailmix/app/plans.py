"""The plan's use cases: make, show, update (re-plan), make again, mix your own plan, explain.

Each takes parsed values (dates, a race distance, the profile answers) and returns typed
results; the CLI and the web app call these and only render what comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from trailmix.domain.trail.model import Trail
from trailmix.domain.types import Athlete, Plan, Race, RaceDistance, Session
from trailmix.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from trailmix.app.inputs import ProfileFlags
    from trailmix.domain.imports.plan import Imported
    from trailmix.domain.plan.replan import Judgement
    from trailmix.domain.types import DateOrder
    from trailmix.storage.db import Database

# The planner (numpy), the training log (scipy for GPS tracks) and the plan readers
# (icalendar) are imported by the use cases that need them, so that showing a plan starts
# fast (benchmarks/cli_startup.py). So are the repositories (SQLAlchemy): `show` may not need
# them at all.


@dataclass(frozen=True)
class Saved:
    """A plan as stored: the plan, its row id and where it was stored."""

    plan: Plan
    plan_id: int
    where: str


@dataclass(frozen=True)
class RaceGoal:
    """The race a plan is for, as the runner gave it."""

    distance: RaceDistance | None
    date: date | None
    name: str = ""
    goal_time_s: float | None = None


def _race(goal: RaceGoal) -> Race:
    if goal.distance is None:
        raise InputError("which race? give 5k, 10k, half or marathon.", "--distance")
    if goal.date is None:
        raise InputError("when is the race? give the date as YYYY-MM-DD.", "--race-date")
    return Race(
        distance=goal.distance, date=goal.date, name=goal.name, goal_time_s=goal.goal_time_s
    )


def _library(db: Database) -> tuple[Trail, ...]:
    """The runner's trails and those their active coaches share with the squad (issue 19)."""
    from trailmix.storage.squads import runner_library

    return runner_library(db, db.user_id)


def _trails(db: Database, trail_ids: Sequence[int] = ()) -> tuple[Trail, ...]:
    library = _library(db)
    if not trail_ids:
        return library
    known = {t.id: t for t in library}
    if any(i not in known for i in trail_ids):
        from trailmix.storage.repo import Trails

        Trails(db).by_ids(list(trail_ids))  # the one message naming the unknown ids
    return tuple(known[i] for i in trail_ids)


def _save(db: Database, plan: Plan) -> Saved:
    from trailmix.storage.repo import Plans

    return Saved(plan, Plans(db).save(plan), db.url)


def make(
    db: Database,
    goal: RaceGoal,
    profile: ProfileFlags,
    start: date,
    trail_ids: Sequence[int] = (),
    *,
    remember_profile: bool = False,
) -> Saved:
    """`trailmix plan`: the stored profile with these answers, a plan for the race from
    `start`, stored as the current plan. The answers are for this plan only (a flag on `plan`
    leaves the stored profile alone) unless `remember_profile`, as in the web's onboarding,
    where the answers are the profile."""
    from trailmix.domain.plan.build import build_plan
    from trailmix.storage.repo import Athletes

    race = _race(goal)
    if date.today() <= race.date <= start:  # the race is ahead: the first day is the mistake
        raise InputError(
            f"the plan's first day {start.isoformat()} is not before race day "
            f"{race.date.isoformat()}; start earlier.",
            "--start",
        )
    athletes = Athletes(db)
    athlete = profile.apply(athletes.get() or Athlete())
    plan = build_plan(athlete, race, start, _trails(db, trail_ids))
    if remember_profile:
        athletes.save(athlete)
    return _save(db, plan)


def onboard(db: Database, goal: RaceGoal, profile: ProfileFlags, start: date) -> Saved:
    """The web's onboarding: the answers become the stored profile, and the plan is made."""
    return make(db, goal, profile, start, remember_profile=True)


def current(db: Database) -> Plan:
    """The current plan (NotFoundError before the first one)."""
    from trailmix.storage.repo import Plans

    return Plans(db).current()


def current_at(url: str | None) -> Plan:
    """`trailmix plan show`: the current plan of the database at `url` (as `open_store`
    resolves it). A SQLite file at the latest schema is read with sqlite3 alone
    (storage/quick.py: no SQLAlchemy to import); anything else is opened the ordinary way."""
    import json

    from trailmix.formats.plan_json import plan_from_dict
    from trailmix.storage.config import resolve_url
    from trailmix.storage.quick import current_plan_document

    doc = current_plan_document(resolve_url(url))
    if doc is not None:
        return plan_from_dict(json.loads(doc))  # as Plans.current parses it
    from trailmix.app.store import open_store

    return current(open_store(url))


def current_or_none(db: Database) -> Plan | None:
    """The current plan, or None before the first one is made."""
    from trailmix.storage.repo import Plans

    try:
        return Plans(db).current()
    except NotFoundError:
        return None


def update(db: Database, day: date) -> Saved:
    """`trailmix plan update`: the plan from `day` on adjusted to the log (issue 13: its weeks,
    phases and taper kept, the load inside them following what was run)."""
    from trailmix.app.inputs import check_in_plan
    from trailmix.domain.plan.build import update_plan
    from trailmix.storage.repo import Plans

    plan = Plans(db).current()
    check_in_plan(plan, day, "--date")
    from trailmix.app import log as training_log

    hist = training_log.history(db, day, plan.start)
    return _save(db, update_plan(plan, day, hist))


def assessment(db: Database, day: date) -> Judgement:
    """What `update` would judge on `day` (on track, ahead, behind, back from a break; the
    return, the goal's choices, the load flags), worked out from the same log and the same
    re-planner, with nothing stored (the web log page's card, `GET
    /api/v1/plans/current/assessment`)."""
    from trailmix.app.inputs import check_in_plan
    from trailmix.domain.plan.replan import judge
    from trailmix.storage.repo import Plans

    plan = Plans(db).current()
    check_in_plan(plan, day, "--date")
    from trailmix.app import log as training_log

    return judge(plan, day, training_log.history(db, day, plan.start))


def assessment_or_none(db: Database, day: date) -> Judgement | None:
    """`assessment`, or None without a plan or on a day outside it."""
    plan = current_or_none(db)
    if plan is None or not plan.start <= day <= plan.race.date:
        return None
    return assessment(db, day)


def remake(db: Database, today: date) -> Saved:
    """The current plan made again for the same runner and race with today's trail library
    (from its first day, or from today once it has started)."""
    from trailmix.domain.plan.build import build_plan
    from trailmix.storage.repo import Plans

    plan = Plans(db).current()
    fresh = build_plan(plan.athlete, plan.race, max(plan.start, today), _library(db))
    return _save(db, fresh)


@dataclass(frozen=True)
class Mixed:
    """`trailmix mix`: what was read in the runner's plan, and the plan with trails mixed in."""

    imported: Imported
    saved: Saved


def mix_file(
    db: Database,
    plan_file: Path,
    goal: RaceGoal,
    profile: ProfileFlags,
    trail_ids: Sequence[int] = (),
    date_order: DateOrder | None = None,
) -> Mixed:
    """Read the runner's own plan (.ics/.csv), recognise each entry, mix trails in by R1-R12
    and store the result as the current plan. `date_order` settles ambiguous numeric dates."""
    from trailmix.app.inputs import check_goal_time
    from trailmix.domain.imports.plan import import_plan
    from trailmix.domain.plan.build import mix_road_plan
    from trailmix.formats.plan_import import read_plan_file
    from trailmix.storage.repo import Athletes

    entries = read_plan_file(plan_file, date_order)
    athlete = profile.apply(Athletes(db).get() or Athlete())
    if goal.goal_time_s is not None and goal.distance is None:
        found = import_plan(entries, athlete, goal_time_s=goal.goal_time_s).plan.race.distance
        check_goal_time(found, goal.goal_time_s)
    imported = import_plan(
        entries,
        athlete,
        distance=goal.distance,
        race_date=goal.date,
        race_name=goal.name,
        goal_time_s=goal.goal_time_s,
    )
    mixed = mix_road_plan(imported.plan, athlete, _trails(db, trail_ids))
    return Mixed(imported, _save(db, mixed))


@dataclass(frozen=True)
class Day:
    """One day of the plan and its sessions, each with its reasons (`trailmix explain`)."""

    plan: Plan
    date: date
    sessions: tuple[Session, ...]

    @property
    def in_plan(self) -> bool:
        return self.plan.start <= self.date <= self.plan.race.date


def day(db: Database, when: date) -> Day:
    """Why each session of `when` is what it is, where it is."""
    from trailmix.domain.plan.build import explain
    from trailmix.storage.repo import Plans

    plan = Plans(db).current()
    return Day(plan, when, explain(plan, when))


def sessions_between(plan: Plan, first: date | None, last: date | None) -> list[Session]:
    """The plan's sessions from `first` to `last` (default: the whole plan), in date order."""
    lo = first or plan.start
    hi = last or plan.race.date
    if hi < lo:
        raise InputError(f"{hi.isoformat()} is before {lo.isoformat()}.", "to")
    return [s for s in plan.sessions if lo <= s.date <= hi]


def race_goal(
    distance: str | None, race_date: str | None, name: str = "", goal_time: str | None = None
) -> RaceGoal:
    """The race as typed or sent: each part checked, naming its flag."""
    from trailmix.app.inputs import check_goal_time, parse_date, parse_distance, parse_time

    goal = RaceGoal(
        distance=parse_distance(distance) if distance else None,
        date=parse_date(race_date, "--race-date") if race_date else None,
        name=name,
        goal_time_s=parse_time(goal_time, "--goal-time") if goal_time else None,
    )
    if goal.distance is not None and goal.goal_time_s is not None:
        check_goal_time(goal.distance, goal.goal_time_s)
    return goal
