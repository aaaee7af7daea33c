"""The main job in one call: a road plan for the race, with the trail running mixed in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from trailmix.domain import rules
from trailmix.domain.effort import heart_rate_model
from trailmix.domain.plan.mixer import athlete_options, check_options, mix
from trailmix.domain.plan.planner import MIN_RUN_MIN_PER_DAY, plan_road, run_days_of
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.trail.model import Trail
from trailmix.domain.types import Athlete, Plan, Race, Session, Week


def build_plan(
    athlete: Athlete,
    race: Race,
    start: date,
    trails: tuple[Trail, ...] = (),
    cap: float | None = None,
) -> Plan:
    """Validate, generate the road plan, mix trails in by R1-R12. Raises InputError."""
    return mix_road_plan(plan_road(athlete, race, start), athlete, trails, cap)


def mix_road_plan(
    road: Plan, athlete: Athlete, trails: tuple[Trail, ...] = (), cap: float | None = None
) -> Plan:
    """Any road plan (generated, or the runner's own) with trails mixed in by R1-R12, with the
    runner's paces and heart rate. Raises InputError for options the mixer refuses."""
    options = athlete_options(athlete, trails, cap)
    check_options(options)
    assert road.paces is not None
    return mix(road, options, Prescriber(road.paces, heart_rate_model(athlete)))


def explain(plan: Plan, day: date) -> tuple[Session, ...]:
    """The sessions of a day, each carrying its reasons; empty on a rest day."""
    return plan.sessions_on(day)


# trailmix default: a re-plan needs a week to the race (the generator's 3 weeks are for a plan
# from scratch; the taper of an existing plan may still be rebuilt).
MIN_UPDATE_DAYS = 7


@dataclass(frozen=True)
class TrainingHistory:
    """What the log says the runner has done, for a re-plan."""

    weekly_min: float | None
    trail_weeks_done: int
    first_trail: date | None


def update_plan(
    plan: Plan,
    today: date,
    history: TrainingHistory,
    trails: tuple[Trail, ...] = (),
) -> Plan:
    """Rebuild the plan from `today` to race day after missed or extra sessions, keeping every
    rule of the engine: the days before `today` stay as they were; from today on, a new plan
    starts from the volume actually run lately, without a second trail ramp-in, and with the
    R4 window counted from the first trail run done."""
    athlete = plan.athlete
    if history.weekly_min is not None:
        # Never below what the run days need (the generator refuses less): the log may hold
        # a light or partly imported fortnight.
        days = len(run_days_of(athlete))
        weekly = max(history.weekly_min, MIN_RUN_MIN_PER_DAY * days)
        athlete = replace(athlete, weekly_min=round(weekly), weekly_km=None)
    options = replace(
        athlete_options(athlete, trails, plan.trail_cap or None),
        trail_weeks_done=history.trail_weeks_done,
        first_trail=history.first_trail,
    )
    check_options(options)
    road = plan_road(athlete, plan.race, today, min_days=MIN_UPDATE_DAYS)
    assert road.paces is not None
    fresh = mix(road, options, Prescriber(road.paces, heart_rate_model(athlete)))
    note = rules.default(
        f"Re-planned on {today.isoformat()} from your log"
        + (
            f": about {history.weekly_min:.0f} min a week lately."
            if history.weekly_min is not None
            else "."
        )
    )
    kept = [s for s in plan.sessions if s.date < today]
    new = [s.with_reason(note) for s in fresh.sessions if s.date >= today]
    weeks: list[Week] = []
    by_start: dict[date, list[Session]] = {}
    for s in (*kept, *new):
        by_start.setdefault(s.date - timedelta(days=s.date.weekday()), []).append(s)
    old_weeks = {w.start: w for w in plan.weeks}
    new_weeks = {w.start: w for w in fresh.weeks}
    for i, start in enumerate(sorted(by_start)):
        template = new_weeks.get(start) or old_weeks[start]
        weeks.append(
            replace(
                template,
                index=i + 1,
                sessions=tuple(sorted(by_start[start], key=lambda s: s.date)),
            )
        )
    return replace(
        fresh,
        athlete=plan.athlete,
        start=plan.start,
        weeks=tuple(weeks),
        source=plan.source,
        notes=(*fresh.notes, note),
    )
