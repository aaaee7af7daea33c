"""Re-planning over many logs (issue 13): logs that follow the plan, follow it in part, miss a
block of 3-21 days or run 10-40 % more, on the planned surfaces, all on trails or all on the
road. The re-planned plan keeps R1-R12 (the trail-mix engine's own property checks,
tests/plan/test_mixer.py), the original's weeks, phases, cut-backs and taper, the trail caps
(counting the days before today, planned and logged), the past untouched, and never a week,
a peak or a long run above the original's."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

import test_mixer as engine  # the engine's rule checks, called on the re-planned plan
from hypothesis import assume, given
from hypothesis import strategies as st

from support.strategies import athletes, caps, libraries, preferences, races, shoes, starts
from trailmix.domain.plan.build import build_plan
from trailmix.domain.plan.replan import (
    QUALITY_FREE_DAYS,
    RAMP,
    RE_PLANNED,
    Replan,
    TrainingHistory,
    history_from_runs,
    replan,
)
from trailmix.domain.rules import TRAIL_SHARE_CAP
from trailmix.domain.trail.model import Trail
from trailmix.domain.types import Kind, Phase, Plan, Surface, Week
from trailmix.errors import InputError

LOGS = ["followed", "partial", "missed", "extra"]
SURFACES = ["planned", "trail", "road"]


@dataclass(frozen=True)
class Case:
    before: Plan
    library: tuple[Trail, ...]
    cap: float
    today: date
    log: str
    runs: list[tuple[date, float, bool]]
    history: TrainingHistory
    result: Replan

    @property
    def after(self) -> Plan:
        return self.result.plan


def _log(
    plan: Plan, today: date, kind: str, surface: str, rnd: random.Random
) -> list[tuple[date, float, bool]]:
    """Runs on the planned days before today, as `kind` and `surface` say."""
    off: tuple[date, date] | None = None
    if kind == "missed":
        days = rnd.randint(3, 21)
        last = today - timedelta(days=1 + rnd.randint(0, 6))
        off = (last - timedelta(days=days - 1), last)
    factor = rnd.uniform(1.1, 1.4) if kind == "extra" else 1.0
    out = []
    for s in plan.sessions:
        if not s.kind.is_running or s.kind is Kind.RACE or s.date >= today:
            continue
        if off and off[0] <= s.date <= off[1]:
            continue
        minutes = s.duration_min * factor
        if kind == "partial":
            if rnd.random() < 0.3:
                continue
            minutes *= rnd.uniform(0.5, 1.0)
        trail = {"planned": s.surface is Surface.TRAIL, "trail": True, "road": False}[surface]
        out.append((s.date, minutes, trail))
    return out


@st.composite
def cases(draw: st.DrawFn) -> Case:
    start = draw(starts)
    athlete = replace(
        draw(athletes()),
        trail_preference=draw(preferences),
        trail_shoe=draw(shoes),
        trail_cap=draw(caps),
    )
    library = draw(libraries())
    try:
        plan = build_plan(athlete, draw(races(start)), start, library)
    except InputError as exc:
        assume("a run;" not in exc.message)
        raise
    span = (plan.race.date - start).days - 7
    assume(span > 7)
    today = start + timedelta(days=draw(st.integers(min_value=7, max_value=span)))
    kind = draw(st.sampled_from(LOGS))
    runs = _log(plan, today, kind, draw(st.sampled_from(SURFACES)), draw(st.randoms()))
    history = history_from_runs(runs, today, plan.start)
    return Case(
        plan,
        library,
        athlete.trail_cap or TRAIL_SHARE_CAP,
        today,
        kind,
        runs,
        history,
        replan(plan, today, history),
    )


def _volume(w: Week) -> float:
    return sum(s.running_min for s in w.sessions if s.kind is not Kind.RACE)


def _long(w: Week) -> float:
    return max((s.duration_min for s in w.sessions if s.kind is Kind.LONG), default=0.0)


def _logged_trail_filled(case: Case) -> set[int]:
    """Weeks where the log's trail runs already filled the week's trail share (R1), so the
    rest of the week went to the road; R2's weekly trail run is then in the log."""
    return {
        w.index
        for w in case.after.weeks
        for x in case.after.warnings
        if x.text.startswith(f"Week {w.index}: your log's trail runs")
    }


@given(cases())
def test_the_past_the_shape_and_the_peak_stay(case: Case) -> None:
    before, after, today = case.before, case.after, case.today
    assert len(after.weeks) == len(before.weeks)
    for b, a in zip(before.weeks, after.weeks, strict=True):
        assert (a.index, a.start, a.phase, a.cutback, a.trail_cap) == (
            b.index,
            b.start,
            b.phase,
            b.cutback,
            b.trail_cap,
        )
        assert [s for s in a.sessions if s.date < today] == [
            s for s in b.sessions if s.date < today
        ]
        # Never more than planned: no week, long run or session rises (the peak included).
        assert _volume(a) <= _volume(b) + 0.5
        assert _long(a) <= _long(b) + 0.01
        olds = {s.date: s for s in b.sessions}
        for s in a.sessions:
            if s.kind.is_running and s.date in olds and olds[s.date].kind.is_running:
                assert s.duration_min <= olds[s.date].duration_min + 0.5
            if s.date >= today and s != olds.get(s.date):
                assert any(RE_PLANNED in r.text for r in s.reasons), s
    assert max(map(_volume, after.weeks)) <= max(map(_volume, before.weeks)) + 0.5
    # The race is where it was, the last session, once.
    races = [s for s in after.sessions if s.kind is Kind.RACE]
    assert races == [s for s in before.sessions if s.kind is Kind.RACE]
    assert after.sessions[-1].kind is Kind.RACE
    # The taper keeps its shape: each of its weeks no bigger than the week before it when the
    # original's was not (the race left out), give or take a run's floor, or 15 % of the
    # week where R1 held the cut back (in the last weeks' 20 % cap a trail run at its floor
    # cannot shrink, so the week is cut less: R1 comes before the taper's exact shape; a
    # counterexample of 221 after 200.5 min was found, see the issue 13 note).
    taper = [
        (b, a) for b, a in zip(before.weeks, after.weeks, strict=True) if b.phase is Phase.TAPER
    ]
    for (b0, a0), (b1, a1) in itertools.pairwise(taper):
        if _volume(b1) <= _volume(b0) and a1.start > today:
            assert _volume(a1) <= _volume(a0) + max(20.0, 0.15 * _volume(a0))


@given(cases())
def test_the_engine_rules_hold_after_a_replan(case: Case) -> None:
    """R1-R12 as the engine's own property tests check them, on the re-planned plan."""
    triple = (case.after, case.library, case.cap)
    for check in (
        engine.test_weekly_trail_time_within_the_cap,
        engine.test_minimum_is_exactly_one_trail_recovery_run_a_week,
        engine.test_long_runs_and_race_specific_work_stay_on_the_road,
        engine.test_trail_sessions_have_time_and_effort_never_pace,
        engine.test_a_technical_trail_is_hiked_before_it_is_run,
        engine.test_no_technical_trail_without_a_trail_shoe,
        engine.test_every_session_has_a_cited_reason,
        engine.test_r4_warning_exactly_when_the_window_does_not_fit,
        engine.test_last_two_weeks_are_road_dominant_and_race_week_has_no_hard_trail,
        engine.test_harder_trail_workouts_only_in_base_and_build_weeks,
    ):
        check.hypothesis.inner_test(triple)  # type: ignore[attr-defined]
    if not _logged_trail_filled(case):
        engine.test_a_trail_easy_run_every_week_from_the_first_trail_week.hypothesis.inner_test(  # type: ignore[attr-defined]
            triple
        )


@given(cases())
def test_the_trail_cap_counts_the_days_before_today(case: Case) -> None:
    """R1 in the week of today: the planned days before today and the log's both count."""
    today = case.today
    week = next(w for w in case.after.weeks if w.start <= today <= w.end)
    past = [d for d in case.runs if week.start <= d[0] < today]
    future = [s for s in week.sessions if s.date >= today]
    trail = sum(m for _, m, t in past if t) + sum(
        s.running_min for s in future if s.surface is Surface.TRAIL
    )
    total = sum(m for _, m, _ in past) + sum(s.running_min for s in future)
    future_trail = sum(s.running_min for s in future if s.surface is Surface.TRAIL)
    assert future_trail == 0 or trail <= week.trail_cap * total + 0.5
    sm = week.summary
    assert sm.trail_min <= week.trail_cap * sm.total_min + 0.5


@given(cases())
def test_a_return_is_gentle_and_follows_the_10_percent_rule(case: Case) -> None:
    a = case.result.assessment
    if a.status != "break":
        if case.log in ("followed", "extra") and not _logged_trail_filled(case):
            # On track or ahead: the plan as it was from today on.
            assert a.status in ("on track", "ahead", "no log")
            assert case.after.sessions == case.before.sessions
        return
    assert a.gap is not None
    back = a.gap.last + timedelta(days=1)
    for s in case.after.sessions:
        if case.today <= s.date < back + timedelta(days=QUALITY_FREE_DAYS):
            assert not s.kind.is_quality, s
    pairs = [
        (b, w)
        for b, w in zip(case.before.weeks, case.after.weeks, strict=True)
        if w.start > case.today and w.phase is not Phase.TAPER
    ]
    ref: float | None = None
    for b, w in pairs:
        scaled = _volume(w) < _volume(b) - 0.5
        if ref is not None and scaled and not w.cutback:
            # Runs' floors (20 min) may lift a small week a little above the bound.
            assert _volume(w) <= (1 + RAMP) * ref + 25, (w.index, _volume(w), ref)
        if not w.cutback:
            ref = _volume(w)
