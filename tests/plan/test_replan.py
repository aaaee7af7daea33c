"""Re-planning keeps the past and every rule of the engine (issue 6, `plan update`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from support.strategies import athletes, caps, libraries, preferences, races, starts
from trailmix.domain.plan.build import MIN_UPDATE_DAYS, TrainingHistory, build_plan, update_plan
from trailmix.domain.rules import TRAIL_SHARE_CAP
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


@st.composite
def replans(draw: st.DrawFn) -> tuple[Plan, Plan, TrainingHistory]:
    start = draw(starts)
    athlete = replace(draw(athletes()), trail_preference=draw(preferences), trail_cap=draw(caps))
    library = draw(libraries())
    race = draw(races(start))
    try:
        plan = build_plan(athlete, race, start, library)
    except InputError as exc:
        assume("a run;" not in exc.message)
        raise
    span = (race.date - start).days - MIN_UPDATE_DAYS
    assume(span > 0)
    today = start + timedelta(days=draw(st.integers(min_value=0, max_value=span)))
    history = TrainingHistory(
        weekly_min=draw(st.one_of(st.none(), st.floats(min_value=60, max_value=700))),
        trail_weeks_done=draw(st.integers(min_value=0, max_value=10)),
        first_trail=draw(st.one_of(st.none(), st.just(start))),
    )
    return plan, update_plan(plan, today, history, library), history


def test_a_replan_refuses_a_cap_above_a_third() -> None:
    """A stored plan whose cap is above R1's third (edited by hand: it never passed the flag's
    check) is not re-planned: the mixer refuses it, naming the flag (R1)."""
    start = date(2026, 12, 1)
    runner = Athlete(recent_race=RaceResult(10, 2910, "10k"), weekly_km=40.0)
    plan = build_plan(runner, Race(RaceDistance.HALF, date(2027, 3, 7)), start)
    with pytest.raises(InputError, match="R1") as exc:
        update_plan(
            replace(plan, trail_cap=0.5), start + timedelta(weeks=3), TrainingHistory(None, 0, None)
        )
    assert exc.value.option == "--trail-cap"


@given(replans())
def test_the_past_stays_and_the_rules_hold(case: tuple[Plan, Plan, TrainingHistory]) -> None:
    before, after, history = case
    today = min(
        (s.date for s in after.sessions if any("Re-planned" in r.text for r in s.reasons)),
        default=after.race.date,
    )
    old = {s.date: s for s in before.sessions}
    for s in after.sessions:
        if s.date < today:
            assert s == old[s.date]
    assert after.sessions[-1].kind is Kind.RACE and after.sessions[-1].date == after.race.date
    assert sum(1 for s in after.sessions if s.kind is Kind.RACE) == 1
    dates = [s.date for s in after.sessions]
    assert dates == sorted(dates) and len(dates) == len(set(dates))
    for w in after.weeks:
        sm = w.summary
        if all(s.date >= today for s in w.sessions):
            assert sm.trail_min <= TRAIL_SHARE_CAP * sm.total_min + 0.5
    for s in after.sessions:
        if s.kind is Kind.LONG or s.race_specific:
            assert s.surface is Surface.ROAD
        if s.surface is Surface.TRAIL:
            assert s.target.pace_s_per_km is None and s.duration_min > 0
        assert s.reasons
    if after.trail_preference is TrailPreference.OFF:
        assert not any(s.surface is Surface.TRAIL and s.date >= today for s in after.sessions)
    if history.first_trail is not None and after.adaptation is not None:
        assert after.adaptation.first_trail <= history.first_trail
