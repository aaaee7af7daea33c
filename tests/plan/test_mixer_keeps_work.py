"""Mixing trails in keeps the road plan's work (issue 12): each week's minutes within 5 % and
its hard minutes within 15 % of the same plan with trails off, hikes of a few hours on a day
that leaves the runner fresh, recovery runs never on technical or steep trails, no technical
trail in the last weeks; over runners (3-7 days), races, preferences and trail libraries (flat
dirt, a hill behind a steep climb, a technical multi-day route, none, and mixes of them)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from support.strategies import athletes, races, starts
from trailmix.domain.plan.build import build_plan
from trailmix.domain.plan.mixer import hard_min
from trailmix.domain.plan.planner import plan_road
from trailmix.domain.plan.selection import is_recovery_trail, repeat_hill
from trailmix.domain.rules import HIKE_EVE_MAX_MIN, HIKE_MAX_MIN, TRAIL_SHARE_CAP
from trailmix.domain.trail.classify import STEEP_GRADE
from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.domain.types import (
    Athlete,
    Kind,
    Plan,
    Race,
    RaceDistance,
    RaceResult,
    StepType,
    Surface,
    TrailPreference,
    TrailShoe,
    Weekday,
)
from trailmix.errors import InputError

# A fraction of the profile's examples: each example builds a road plan and a mixed one, up to
# 30 weeks long (hypothesis profiles in tests/conftest.py; 'thorough' runs many more).
EXAMPLES = max(8, settings().max_examples // 6)


def flat_dirt(tid: int, km: float) -> Trail:
    return Trail(tid, f"dirt {tid}", TrailCategory.DIRT, km, 15.0)


def hill_behind_a_steep_climb(tid: int, start_km: float) -> Trail:
    """A hilly trail whose repeat hill (6 %) lies behind a short 20 % climb."""
    steep = Hill(0.3, 120, 24, 0.2, 0.23)
    repeat = Hill(start_km, 300, 19, 0.063, 0.08, suits_repeats=True)
    return Trail(tid, f"hill {tid}", TrailCategory.HILLY, 6.0, 120.0, hills=(steep, repeat))


def multi_day_route(tid: int, km: float, hiked: bool) -> Trail:
    hills = tuple(Hill(3.0 * i + 1, 900, 90, 0.1, 0.24, suits_repeats=False) for i in range(8))
    return Trail(
        tid, f"route {tid}", TrailCategory.TECHNICAL, km, 40.0 * km, 40.0 * km, hills, hiked
    )


@st.composite
def library(draw: st.DrawFn) -> tuple[Trail, ...]:
    kinds = draw(
        st.lists(st.sampled_from(["flat dirt", "hill", "technical route"]), max_size=3, unique=True)
    )
    out: list[Trail] = []
    for i, kind in enumerate(kinds):
        if kind == "flat dirt":
            out.append(flat_dirt(i + 1, draw(st.floats(3.0, 12.0))))
        elif kind == "hill":
            out.append(hill_behind_a_steep_climb(i + 1, draw(st.floats(0.6, 2.5))))
        else:
            out.append(multi_day_route(i + 1, draw(st.floats(40.0, 120.0)), draw(st.booleans())))
    return tuple(out)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Plan, Plan, tuple[Trail, ...]]:
    """The same runner's plan with trails on (enjoy or minimum) and off."""
    start = draw(starts)
    athlete = replace(
        draw(athletes()),
        trail_preference=draw(st.sampled_from([TrailPreference.ENJOY, TrailPreference.MINIMUM])),
        trail_shoe=draw(st.sampled_from([TrailShoe.YES, TrailShoe.YES, TrailShoe.UNSURE])),
        trail_cap=None,
    )
    lib = draw(library())
    race = draw(races(start))
    try:
        road = plan_road(athlete, race, start)
    except InputError as exc:
        assume("a run;" not in exc.message)
        raise
    return build_plan(athlete, race, start, lib), road, lib


def _race_week(plan: Plan) -> int:
    return next(i for i, w in enumerate(plan.weeks) if w.start <= plan.race.date <= w.end)


@settings(max_examples=EXAMPLES)
@given(pairs())
def test_mixing_keeps_the_weeks_work_and_places_trails_by_the_rules(
    case: tuple[Plan, Plan, tuple[Trail, ...]],
) -> None:
    on, road, lib = case
    assert [w.start for w in on.weeks] == [w.start for w in road.weeks]
    for w_on, w_off in zip(on.weeks, road.weeks, strict=True):
        total_on, total_off = w_on.summary.total_min, w_off.summary.total_min
        assert abs(total_on - total_off) <= 0.05 * total_off + 1.0, w_on.index
        hard_on = sum(hard_min(s) for s in w_on.sessions)
        hard_off = sum(hard_min(s) for s in w_off.sessions)
        assert abs(hard_on - hard_off) <= 0.15 * hard_off + 0.5, w_on.index
        # The long run is the road plan's, and so is its share of the week (within 5 %).
        long_on = [s.duration_min for s in w_on.sessions if s.kind is Kind.LONG]
        long_off = [s.duration_min for s in w_off.sessions if s.kind is Kind.LONG]
        assert long_on == long_off
        # R1 still holds.
        assert w_on.summary.trail_min <= TRAIL_SHARE_CAP * total_on + 0.5
    _hikes_recovery_trails_and_race_weeks(on, lib)


def _hikes_recovery_trails_and_race_weeks(on: Plan, lib: tuple[Trail, ...]) -> None:
    """Hikes of a few hours on a fresh day (R9), recovery on gentle trails (R6), no technical
    trail in the last weeks (R3), warm-ups that say what they are (R8)."""
    by_id = {t.id: t for t in lib}
    by_day = {s.date: s for s in on.sessions if s.kind is not Kind.HIKE}
    hikes = [s for s in on.sessions if s.kind is Kind.HIKE]
    one = timedelta(days=1)
    for h in hikes:
        # R9: a few hours at most, on a rest day, never the day after a long run.
        assert 0 < h.duration_min <= HIKE_MAX_MIN + 0.5
        assert h.date not in by_day
        before = by_day.get(h.date - one)
        assert before is None or before.kind is not Kind.LONG
        assert h.date <= on.race.date - timedelta(days=7)
        after = by_day.get(h.date + one)
        key = after is not None and (
            after.kind is Kind.LONG or (after.kind.is_quality and after.kind is not Kind.STRIDES)
        )
        if key:
            assert h.duration_min <= HIKE_EVE_MAX_MIN + 0.5
    rw = _race_week(on)
    late = {w.index for w in on.weeks[max(0, rw - 1) :]}
    for w in on.weeks:
        for s in w.sessions:
            if s.surface is not Surface.TRAIL or not s.kind.is_running or s.trail is None:
                continue
            t = by_id[s.trail.id]
            # R6: a recovery run never goes on a technical or steep trail.
            if s.kind is Kind.RECOVERY:
                assert is_recovery_trail(t), s.title
                assert not any("flattest" in r.text for r in s.reasons)
            # R3: no technical trail in the last two weeks (race week included).
            if w.index in late:
                assert t.category is not TrailCategory.TECHNICAL
            # R9: a technical trail is run only after its hike.
            if t.needs_hike:
                assert any(h.trail and h.trail.id == t.id and h.date < s.date for h in hikes)
            # R8: a warm-up over a steep climb is not called easy.
            if s.kind is Kind.HILL_REPEATS:
                hill = repeat_hill(t)
                assert hill is not None
                steep_before = any(
                    h.max_grade >= STEEP_GRADE and h.start_km < hill.start_km for h in t.hills
                )
                warm = s.steps[0]
                assert warm.type is StepType.WARMUP
                assert ("easy" not in warm.note) == steep_before, warm.note
    # Every session, hikes included, still cites its reasons.
    for s in on.sessions:
        assert s.reasons and all(r.rule and r.text for r in s.reasons)


# --- The examples ----------------------------------------------------------------------

START = date(2026, 12, 7)
ROUTE = multi_day_route(10, 81.5, hiked=False)


def _marathoner(days: int) -> Athlete:
    return Athlete(
        recent_race=RaceResult(21.0975, 6600, "half"),
        weekly_km=50.0,
        days_per_week=days,
        long_run_day=Weekday.SUN,
    )


MARATHON = Race(RaceDistance.MARATHON, date(2027, 4, 11))


def test_a_multi_day_route_gets_a_hike_of_a_few_hours_on_the_part_the_runs_use() -> None:
    plan = build_plan(_marathoner(5), MARATHON, START, (ROUTE, flat_dirt(1, 6.0)))
    hikes = [s for s in plan.sessions if s.kind is Kind.HIKE]
    assert len(hikes) == 1
    hike = hikes[0]
    assert hike.duration_min <= HIKE_MAX_MIN
    assert "first" in hike.title and "and back" in hike.title
    runs = [s for s in plan.sessions if s.trail and s.trail.id == ROUTE.id and s.kind.is_running]
    assert runs and all(s.date > hike.date for s in runs)
    assert all("Turn around by km" in (s.trail_hint or "") for s in runs)
    sessions = {s.date: s for s in plan.sessions}
    assert sessions.get(hike.date - timedelta(days=1)) is None or (
        sessions[hike.date - timedelta(days=1)].kind is not Kind.LONG
    )
    nxt = sessions.get(hike.date + timedelta(days=1))
    fresh = nxt is None or nxt.kind in (Kind.EASY, Kind.RECOVERY)
    # Fresh for the next key session: or, when the only rest day is its eve, a short walk.
    assert fresh or hike.duration_min <= HIKE_EVE_MAX_MIN


def test_three_day_runner_keeps_the_week_and_the_long_run_share() -> None:
    athlete = replace(_marathoner(3), weekly_km=30.0)
    plan = build_plan(athlete, MARATHON, START, (flat_dirt(1, 6.0),))
    road = plan_road(athlete, MARATHON, START)
    for w_on, w_off in zip(plan.weeks, road.weeks, strict=True):
        assert w_on.summary.total_min == pytest.approx(w_off.summary.total_min, rel=0.05, abs=1)
    moved = [s for s in plan.sessions if any("Minutes moved here" in r.text for r in s.reasons)]
    assert moved and all(s.surface is Surface.ROAD and s.kind is not Kind.LONG for s in moved)


def test_quality_sessions_keep_their_work_on_the_trail() -> None:
    plan = build_plan(_marathoner(5), MARATHON, START, (flat_dirt(1, 6.0),))
    road = {s.date: s for s in plan_road(_marathoner(5), MARATHON, START).sessions}
    moved = [s for s in plan.sessions if s.surface is Surface.TRAIL and s.kind.is_quality]
    assert moved
    for s in moved:
        before = road[s.date]
        assert s.duration_min == pytest.approx(before.duration_min, abs=1.0)
        assert hard_min(s) == pytest.approx(hard_min(before), rel=0.05, abs=0.5)
        assert s.intensity is before.intensity, "the same intended effort (R5)"


def test_race_weeks_easy_run_is_not_cut_to_fit_a_trail() -> None:
    """Found by the property above on 2026-12-02: a 3-day runner's race week holds one easy
    run and the marathon. Its easy run went to a trail cut from 53 to 41 min to fit the late
    weeks' cap, and with no other road run to take the 12 min, the taper week lost them. In
    race week the run now moves whole or stays on the road (R5)."""
    athlete = Athlete(
        name="three days",
        recent_race=RaceResult(distance_km=5.0, time_s=1037.7, label="5k"),
        weekly_km=74.0,
        days_per_week=3,
        long_run_day=Weekday.FRI,
        trail_preference=TrailPreference.ENJOY,
        trail_shoe=TrailShoe.YES,
    )
    race = Race(RaceDistance.MARATHON, date(2027, 3, 12))
    start = date(2026, 9, 6)
    on, road = build_plan(athlete, race, start, ()), plan_road(athlete, race, start)
    week_on, week_off = on.weeks[_race_week(on)], road.weeks[_race_week(road)]
    assert week_on.summary.total_min == pytest.approx(week_off.summary.total_min, abs=1.0)
    easy = [s for s in week_on.sessions if s.kind is Kind.EASY]
    assert easy and all(s.duration_min == 53 for s in easy)
