"""The main job in one call: a road plan for the race, with the trail running mixed in."""

from __future__ import annotations

from datetime import date

from trailmix.domain.effort import heart_rate_model
from trailmix.domain.plan.mixer import athlete_options, check_options, mix
from trailmix.domain.plan.planner import plan_road
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.plan.replan import (
    HISTORY_DAYS,
    LoggedDay,
    TrainingHistory,
    history_from_runs,
    replan,
)
from trailmix.domain.trail.model import Trail
from trailmix.domain.types import Athlete, Plan, Race, Session

__all__ = [
    "HISTORY_DAYS",
    "MIN_UPDATE_DAYS",
    "LoggedDay",
    "TrainingHistory",
    "build_plan",
    "explain",
    "history_from_runs",
    "mix_road_plan",
    "update_plan",
]


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


# trailmix default (before issue 13, a re-plan rebuilt the rest from scratch and needed a week
# to the race): kept for the callers that name it; re-planning now only adjusts the load.
MIN_UPDATE_DAYS = 7


def update_plan(
    plan: Plan,
    today: date,
    history: TrainingHistory,
    trails: tuple[Trail, ...] = (),
) -> Plan:
    """The plan after missed, partial or extra running (domain/plan/replan.py, issue 13): its
    weeks, phases and taper stay where they are and the load inside them follows the log from
    `today` on, each changed session saying why; the days before `today` stay as they were.
    The stored trail library (`trails`) is not re-mixed: the plan keeps its trails and hikes.
    Raises InputError for a trail cap the mixer refuses (R1)."""
    del trails  # the plan's own trail choices are kept (R6-R9 as mixed)
    check_options(athlete_options(plan.athlete, (), plan.trail_cap or None))
    return replan(plan, today, history).plan
