"""The main job in one call: a road plan for the race, with the trail running mixed in."""

from __future__ import annotations

from datetime import date

from trailmix.domain.effort import heart_rate_model
from trailmix.domain.mixer import athlete_options, check_options, mix
from trailmix.domain.planner import plan_road
from trailmix.domain.prescribe import Prescriber
from trailmix.domain.trails import Trail
from trailmix.domain.types import Athlete, Plan, Race, Session


def build_plan(
    athlete: Athlete,
    race: Race,
    start: date,
    trails: tuple[Trail, ...] = (),
    cap: float | None = None,
) -> Plan:
    """Validate, generate the road plan, mix trails in by R1-R12. Raises InputError."""
    options = athlete_options(athlete, trails, cap)
    check_options(options)
    road = plan_road(athlete, race, start)
    assert road.paces is not None
    return mix(road, options, Prescriber(road.paces, heart_rate_model(athlete)))


def explain(plan: Plan, day: date) -> tuple[Session, ...]:
    """The sessions of a day, each carrying its reasons; empty on a rest day."""
    return plan.sessions_on(day)
