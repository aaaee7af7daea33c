"""Re-planning keeps the past and every rule of the engine (issue 6, `plan update`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from support.strategies import athletes, caps, libraries, preferences, races, starts
from trailmix.domain.plan.build import MIN_UPDATE_DAYS, History, build_plan, update_plan
from trailmix.domain.plan.mixer import MAX_CAP
from trailmix.domain.types import Kind, Plan, Surface, TrailPreference
from trailmix.errors import InputError


@st.composite
def replans(draw: st.DrawFn) -> tuple[Plan, Plan, History]:
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
    history = History(
        weekly_min=draw(st.one_of(st.none(), st.floats(min_value=60, max_value=700))),
        trail_weeks_done=draw(st.integers(min_value=0, max_value=10)),
        first_trail=draw(st.one_of(st.none(), st.just(start))),
    )
    return plan, update_plan(plan, today, history, library), history


@given(replans())
def test_the_past_stays_and_the_rules_hold(case: tuple[Plan, Plan, History]) -> None:
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
            assert sm.trail_min <= MAX_CAP * sm.total_min + 0.5
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
