"""The rule checks a coach's change must pass (domain/plan/checks.py) agree with the engine:
a plan the engine makes breaks nothing they check, except what the engine itself warns about
(a cap too low for a weekly trail run); and the hand-made edits (domain/plan/edits.py) are
refused exactly when they would break a rule, R9's hike first included."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from support.strategies import athletes, caps, libraries, preferences, races, shoes, starts
from trailmix.domain.plan.build import build_plan
from trailmix.domain.plan.checks import new_breaks, rule_breaks
from trailmix.domain.plan.edits import coach_reason, move, replace_session
from trailmix.domain.trail.model import Trail, TrailCategory
from trailmix.domain.types import (
    Athlete,
    Kind,
    Plan,
    Race,
    RaceDistance,
    RaceResult,
    Surface,
    TrailPreference,
)
from trailmix.errors import InputError

WHY = coach_reason("Carla", "a test")


@st.composite
def engine_plans(draw: st.DrawFn) -> Plan:
    start = draw(starts)
    athlete = replace(
        draw(athletes()),
        trail_preference=draw(preferences),
        trail_shoe=draw(shoes),
        trail_cap=draw(caps),
    )
    try:
        return build_plan(athlete, draw(races(start)), start, draw(libraries()))
    except InputError as exc:
        assume("a run;" not in exc.message)
        raise


@settings(max_examples=15)
@given(engine_plans())
def test_the_engines_plans_break_nothing_the_checks_check(plan: Plan) -> None:
    broken = rule_breaks(plan)
    low_cap = any(w.rule == "R1" for w in plan.warnings)
    for r in broken:
        # Only the runner's own low cap may leave a week without its trail run, and it warns.
        assert r.rule == "R2" and low_cap, r


@settings(max_examples=10)
@given(engine_plans(), st.data())
def test_a_move_is_refused_or_breaks_nothing_new(plan: Plan, data: st.DataObject) -> None:
    movable = [s for s in plan.sessions if s.kind is not Kind.RACE]
    assume(movable)
    s = data.draw(st.sampled_from(movable))
    to = s.date + timedelta(days=data.draw(st.integers(-6, 6)))
    try:
        after = move(plan, s.date, plan.sessions_on(s.date).index(s), to, WHY)
    except InputError as exc:
        assert any(k in exc.message for k in ("R1", "R2", "R3", "R5", "R9", "R11", "to:"))
        return
    assert new_breaks(plan, after) == ()
    assert sorted(x.duration_min for x in after.sessions) == sorted(
        x.duration_min for x in plan.sessions
    )
    assert after.sessions_on(to)[0].reasons[-1] == WHY


RIDGE = Trail(7, "Rocky ridge", TrailCategory.TECHNICAL, 6.0, 200.0, 200.0)
RUNNER = Athlete(recent_race=RaceResult(10, 48 * 60 + 30, "10k"), weekly_km=45, hr_max=185)


def _ridge_plan() -> Plan:
    start = date(2027, 1, 4)
    race = Race(RaceDistance.HALF, start + timedelta(weeks=16) - timedelta(days=1))
    return build_plan(RUNNER, race, start, (RIDGE,))


def test_r9_a_run_on_a_technical_trail_never_comes_before_its_hike() -> None:
    plan = _ridge_plan()
    hike = next(s for s in plan.sessions if s.kind is Kind.HIKE)
    first = min(
        (s for s in plan.sessions if s.trail and s.trail.id == RIDGE.id and s.kind.is_running),
        key=lambda s: s.date,
    )
    assert rule_breaks(plan) == ()
    with pytest.raises(InputError, match="R9"):  # the hike taken away
        replace_session(plan, hike.date, 0, Kind.REST, Surface.ROAD, WHY)
    free = next(
        hike.date - timedelta(d)
        for d in range(1, 7)
        if not plan.sessions_on(hike.date - timedelta(d))
    )
    with pytest.raises(InputError, match="R9"):  # the first run moved before the hike
        move(plan, first.date, 0, free, WHY)


def test_replacing_keeps_the_minutes_and_says_who_and_why() -> None:
    plan = _ridge_plan()
    assert plan.trail_preference is TrailPreference.ENJOY
    s = next(x for x in plan.sessions if x.kind is Kind.EASY and x.surface is Surface.ROAD)
    after = replace_session(plan, s.date, 0, Kind.RECOVERY, Surface.ROAD, WHY)
    new = after.sessions_on(s.date)[0]
    assert new.kind is Kind.RECOVERY and new.duration_min == pytest.approx(s.duration_min)
    assert new.target.pace_s_per_km is not None and new.reasons == (WHY,)
    long = next(x for x in plan.sessions if x.kind is Kind.LONG)
    with pytest.raises(InputError, match="R3"):
        replace_session(plan, long.date, 0, Kind.LONG, Surface.TRAIL, WHY)
    race = plan.sessions[-1]
    with pytest.raises(InputError, match="race"):
        move(plan, race.date, 0, race.date - timedelta(days=1), WHY)


def test_made_again_mid_plan_keeps_the_past_and_goes_on_from_this_weeks_volume() -> None:
    from trailmix.domain.plan.edits import remade_from

    plan = _ridge_plan()
    today = plan.start + timedelta(weeks=8, days=2)
    this = next(w for w in plan.weeks if w.start <= today <= w.end)
    athlete = replace(plan.athlete, trail_cap=0.25, days_per_week=6)
    after = remade_from(plan, athlete, today, (RIDGE,))
    assert [s for s in after.sessions if s.date < today] == [
        s for s in plan.sessions if s.date < today
    ]
    assert after.athlete.trail_cap == 0.25 and after.start == plan.start
    assert [w.index for w in after.weeks] == list(range(1, len(after.weeks) + 1))
    later = [w for w in after.weeks if w.start > today]
    assert all(w.summary.trail_min <= 0.25 * w.summary.total_min + 0.5 for w in later)
    nxt = later[0].summary.total_min
    assert nxt >= 0.8 * this.summary.total_min  # no restart from the first weeks' volume
    assert rule_breaks(after) == ()
