"""The road plan generator's invariants over many generated runners and races (issue 2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from support.strategies import athletes, races, starts
from trailmix.domain.plan.planner import (
    LONG_KM_CAP,
    LONG_MIN_CAP,
    LONG_RUN_WANTED_KM,
    RAMP_BOUND,
    TAPER_DROP_RANGE,
    long_share_cap,
    plan_road,
    run_days_of,
    taper_drop,
    taper_weeks,
)
from trailmix.domain.types import Athlete, Kind, Phase, Plan, Race, RaceDistance, RaceResult
from trailmix.errors import InputError


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    start = draw(starts)
    try:
        return plan_road(draw(athletes()), draw(races(start)), start)
    except InputError as exc:
        # Generated volumes too small for the days drawn are refused; that refusal has its own
        # test below, so such runners are not plans to check.
        assume("a run;" not in exc.message)
        raise


def full_weeks(plan: Plan) -> list[int]:
    return [i for i, w in enumerate(plan.weeks) if w.start >= plan.start]


@given(plans())
def test_weekly_volume_rises_at_most_the_bound_except_after_cutback(plan: Plan) -> None:
    weeks = plan.weeks
    full = full_weeks(plan)
    for i in full[1:]:
        w = weeks[i]
        if w.phase is Phase.TAPER:
            continue
        ref_i = i - 2 if weeks[i - 1].cutback and (i - 2) in full else i - 1
        ref = weeks[ref_i].summary.total_min
        assert w.summary.total_min <= ref * (1 + RAMP_BOUND) + 1.0, (i, ref, w.summary)


@given(plans())
def test_taper_drop_in_bosquet_range(plan: Plan) -> None:
    drop = taper_drop(plan)
    if drop is None:
        return
    lo, hi = TAPER_DROP_RANGE
    assert lo <= drop <= hi, drop


@given(plans())
def test_long_run_never_exceeds_its_caps(plan: Plan) -> None:
    d = plan.race.distance
    for w in plan.weeks:
        total = w.summary.total_min
        for s in w.sessions:
            if s.kind is Kind.LONG:
                assert (
                    s.duration_min <= long_share_cap(len(run_days_of(plan.athlete))) * total + 0.5
                )
                assert s.duration_min <= LONG_MIN_CAP[d] + 0.5
                assert (s.target.distance_km or 0) <= LONG_KM_CAP[d]


@given(plans())
def test_race_is_the_last_session(plan: Plan) -> None:
    last = plan.sessions[-1]
    assert last.kind is Kind.RACE
    assert last.date == plan.race.date
    assert sum(1 for s in plan.sessions if s.kind is Kind.RACE) == 1
    assert all(plan.start <= s.date <= plan.race.date for s in plan.sessions)


@given(plans())
def test_sessions_only_on_run_days_and_well_formed(plan: Plan) -> None:
    days = set(run_days_of(plan.athlete))
    seen: set[date] = set()
    for s in plan.sessions:
        assert s.date not in seen  # one session a day
        seen.add(s.date)
        if s.kind is not Kind.RACE:
            assert s.date.weekday() in days
        assert s.duration_min > 0
        lo, hi = s.target.rpe
        assert 1 <= lo <= hi <= 10
        if s.target.pace_s_per_km:
            assert s.target.pace_s_per_km[0] <= s.target.pace_s_per_km[1]
        assert s.reasons and all(r.rule and r.text for r in s.reasons)


@given(plans())
def test_every_week_with_two_runs_has_an_easy_run_and_at_most_two_quality(plan: Plan) -> None:
    for w in plan.weeks:
        runs = [s for s in w.sessions if s.kind is not Kind.RACE]
        assert sum(1 for s in runs if s.kind.is_quality) <= 2
        if len(runs) >= 3:
            assert any(s.kind in (Kind.EASY, Kind.RECOVERY) for s in runs)


@given(plans())
def test_paces_ordered_in_every_plan(plan: Plan) -> None:
    p = plan.paces
    assert p is not None
    assert p.repetition[1] < p.interval[0] or p.repetition < p.interval
    assert sum(p.interval) < sum(p.threshold) < sum(p.marathon) < sum(p.easy)


@given(plans())
def test_phases_run_base_build_peak_taper_in_order(plan: Plan) -> None:
    order = [Phase.BASE, Phase.BUILD, Phase.PEAK, Phase.TAPER]
    idx = [order.index(w.phase) for w in plan.weeks]
    assert idx == sorted(idx)
    assert plan.weeks[-1].phase is Phase.TAPER


def _athlete(**kw: object) -> Athlete:
    base = {"recent_race": RaceResult(10, 2910, "10k"), "weekly_km": 40.0}
    base.update(kw)
    return Athlete(**base)  # type: ignore[arg-type]


START = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("athlete", "race", "flag", "words"),
    [
        (_athlete(), Race(RaceDistance.HALF, START - timedelta(days=1)), "--race-date", "past"),
        (_athlete(), Race(RaceDistance.HALF, START + timedelta(days=20)), "--race-date", "21"),
        (
            _athlete(recent_race=RaceResult(10, 20 * 60)),
            Race(RaceDistance.K10, START + timedelta(weeks=10)),
            "--recent-race",
            "VDOT",
        ),
        (
            _athlete(recent_race=RaceResult(10, 3 * 3600)),
            Race(RaceDistance.K10, START + timedelta(weeks=10)),
            "--recent-race",
            "walking",
        ),
        (
            _athlete(weekly_km=-5.0),
            Race(RaceDistance.K10, START + timedelta(weeks=10)),
            "--weekly-km",
            "10 to 250",
        ),
        (
            _athlete(weekly_km=900.0),
            Race(RaceDistance.K10, START + timedelta(weeks=10)),
            "--weekly-km",
            "10 to 250",
        ),
        (
            _athlete(days_per_week=2),
            Race(RaceDistance.K10, START + timedelta(weeks=10)),
            "--days",
            "3 to 7",
        ),
        (
            _athlete(recent_race=None),
            Race(RaceDistance.K10, START + timedelta(weeks=10)),
            "--recent-race",
            "goal time",
        ),
    ],
)
def test_bad_input_names_the_flag(athlete: Athlete, race: Race, flag: str, words: str) -> None:
    with pytest.raises(InputError) as exc:
        plan_road(athlete, race, START)
    assert exc.value.option == flag
    assert words in exc.value.message


def test_long_run_day_must_be_a_run_day() -> None:
    from trailmix.domain.types import Weekday

    a = _athlete(run_days=(Weekday.MON, Weekday.WED, Weekday.FRI), long_run_day=Weekday.SUN)
    with pytest.raises(InputError, match="sun is not one of your run days"):
        plan_road(a, Race(RaceDistance.K10, START + timedelta(weeks=10)), START)


def test_goal_time_alone_sets_paces_and_race_pace() -> None:
    race = Race(RaceDistance.HALF, START + timedelta(weeks=14), goal_time_s=6300)
    plan = plan_road(_athlete(recent_race=None), race, START)
    assert plan.sessions[-1].target.pace_s_per_km == pytest.approx(
        (6300 / 21.0975 - 3, 6300 / 21.0975 + 3), abs=0.1
    )


def test_short_plan_warns_about_coaching_convention() -> None:
    race = Race(RaceDistance.MARATHON, START + timedelta(weeks=6))
    plan = plan_road(_athlete(), race, START)
    assert any("short for a marathon" in w.text for w in plan.warnings)


def test_marathon_plan_has_race_specific_marathon_pace_work_in_peak() -> None:
    race = Race(RaceDistance.MARATHON, START + timedelta(weeks=18))
    plan = plan_road(_athlete(weekly_km=60.0), race, START)
    peak = [s for w in plan.weeks if w.phase is Phase.PEAK for s in w.sessions]
    assert any(s.race_specific and "marathon pace" in s.title for s in peak)
    taper = [w for w in plan.weeks if w.phase is Phase.TAPER]
    # About three weeks for a marathon (Pfitzinger), a week more for this Tuesday race.
    assert len(taper) == 3 + (race.date.weekday() <= 2) == taper_weeks(race)


def test_a_marathon_plan_whose_long_run_stays_short_says_so() -> None:
    race = Race(RaceDistance.MARATHON, START + timedelta(weeks=22))
    seen = set()
    for km in (30.0, 40.0, 60.0, 90.0, 120.0):
        plan = plan_road(_athlete(weekly_km=km), race, START)
        longest = max(s.target.distance_km or 0 for s in plan.sessions if s.kind is Kind.LONG)
        warned = any("longest run" in w.text for w in plan.warnings)
        assert warned == (longest < LONG_RUN_WANTED_KM[RaceDistance.MARATHON]), (km, longest)
        seen.add(warned)
    assert seen == {True, False}  # both cases happen in this range
