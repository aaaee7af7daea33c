"""The trail-mix engine's invariants (issue 3), over many runners, races, preferences and trail
libraries (none, only flat, only hilly, only technical, mixed)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from support.strategies import athletes, caps, libraries, preferences, races, shoes, starts
from trailmix.domain.plan import trail_workouts
from trailmix.domain.plan.build import build_plan
from trailmix.domain.plan.mixer import MixOptions, check_options, hard_min, mix
from trailmix.domain.plan.planner import plan_road
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.rules import LAST_WEEKS_CAP, MAX_HILL_REPS, TRAIL_SHARE_CAP
from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.domain.types import (
    Athlete,
    Intensity,
    Kind,
    Phase,
    Plan,
    Race,
    RaceDistance,
    RaceResult,
    Session,
    Shoe,
    Step,
    StepType,
    Surface,
    Target,
    TrailPreference,
    TrailShoe,
    Week,
)
from trailmix.errors import InputError


@st.composite
def mixed(draw: st.DrawFn) -> tuple[Plan, tuple[Trail, ...], float]:
    start = draw(starts)
    athlete = draw(athletes())
    athlete = replace(
        athlete,
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
    return plan, library, athlete.trail_cap or TRAIL_SHARE_CAP


def trail_runs(plan: Plan) -> list[Session]:
    return [s for s in plan.sessions if s.surface is Surface.TRAIL and s.kind.is_running]


def _weeks_named(text: str) -> set[int]:
    m = re.match(r"Weeks? ([\d, ]+): no trail run fits", text)
    return {int(n) for n in m.group(1).split(",")} if m else set()


def trail_runs_in(w: Week) -> list[Session]:
    return [s for s in w.sessions if s.surface is Surface.TRAIL and s.kind.is_running]


def race_week_index(plan: Plan) -> int:
    return next(i for i, w in enumerate(plan.weeks) if w.start <= plan.race.date <= w.end)


@given(mixed())
def test_weekly_trail_time_within_the_cap(case: tuple[Plan, tuple[Trail, ...], float]) -> None:
    plan, _, cap = case
    for w in plan.weeks:
        sm = w.summary
        assert sm.trail_min <= TRAIL_SHARE_CAP * sm.total_min + 0.5
        if plan.trail_preference is TrailPreference.ENJOY:
            assert w.trail_cap <= cap + 1e-4
        assert sm.trail_min <= w.trail_cap * sm.total_min + 0.5


@given(mixed())
def test_a_trail_easy_run_every_week_from_the_first_trail_week(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, _, _ = case
    if plan.trail_preference is TrailPreference.OFF:
        assert not trail_runs(plan)
        return
    runs = trail_runs(plan)
    if not runs:
        # Only a cap too low for one MIN_TRAIL_MIN run leaves none, and the plan says so.
        assert any(w.rule == "R1" and "No trail run fits" in w.text for w in plan.warnings)
        return
    first = min(s.date for s in runs)
    rw = race_week_index(plan)
    for w in plan.weeks[:rw]:
        if w.end < first:
            continue
        has_run = any(
            s.surface is Surface.TRAIL and s.kind in (Kind.EASY, Kind.RECOVERY) for s in w.sessions
        )
        # Only the runner's own low cap can leave a week without one, and the plan says so.
        named = any(x.rule == "R1" and w.index in _weeks_named(x.text) for x in plan.warnings)
        assert has_run or (
            named and plan.athlete.trail_cap and plan.athlete.trail_cap < TRAIL_SHARE_CAP
        ), f"week {w.index} has no trail recovery or easy run"


@given(mixed())
def test_minimum_is_exactly_one_trail_recovery_run_a_week(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, _, _ = case
    if plan.trail_preference is not TrailPreference.MINIMUM:
        return
    for w in plan.weeks:
        runs = [s for s in w.sessions if s.surface is Surface.TRAIL and s.kind.is_running]
        assert len(runs) <= 1
        assert all(s.kind is Kind.RECOVERY for s in runs)


@given(mixed())
def test_long_runs_and_race_specific_work_stay_on_the_road(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, _, _ = case
    for s in plan.sessions:
        if s.kind in (Kind.LONG, Kind.RACE) or s.race_specific:
            assert s.surface is Surface.ROAD
            if plan.trail_preference is not TrailPreference.OFF:
                assert any(r.rule == "R3" for r in s.reasons) or s.kind is Kind.RACE


def _steps(steps: tuple[Step, ...]) -> list[Step]:
    out: list[Step] = []
    for s in steps:
        out.append(s)
        out.extend(_steps(s.steps))
    return out


@given(mixed())
def test_trail_sessions_have_time_and_effort_never_pace(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, _, _ = case
    for s in plan.sessions:
        if s.surface is not Surface.TRAIL:
            continue
        assert s.target.pace_s_per_km is None
        assert s.target.distance_km is None
        assert s.duration_min > 0
        lo, hi = s.target.rpe
        assert 1 <= lo <= hi <= 10
        assert all(st.target.pace_s_per_km is None for st in _steps(s.steps))
        assert s.shoe is not None
        assert s.trail is not None or s.trail_hint
        assert any(r.rule == "R5" for r in s.reasons) or s.kind is Kind.HIKE
        assert s.benefits


@given(mixed())
def test_a_technical_trail_is_hiked_before_it_is_run(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, library, _ = case
    by_id = {t.id: t for t in library}
    hikes = {s.trail.id: s.date for s in plan.sessions if s.kind is Kind.HIKE and s.trail}
    for s in trail_runs(plan):
        if s.trail is None:
            continue
        t = by_id[s.trail.id]
        if t.category is TrailCategory.TECHNICAL and not t.hiked:
            assert t.id in hikes and hikes[t.id] < s.date


@given(mixed())
def test_no_technical_trail_without_a_trail_shoe(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, library, _ = case
    if plan.athlete.trail_shoe is TrailShoe.YES:
        return
    technical = {t.id for t in library if t.category is TrailCategory.TECHNICAL}
    for s in plan.sessions:
        if s.surface is Surface.TRAIL:
            assert s.trail is None or s.trail.id not in technical
            assert s.shoe in (Shoe.HYBRID, Shoe.ROAD_TRAINER)
            assert s.kind is not Kind.HIKE


@given(mixed())
def test_every_session_has_a_cited_reason(case: tuple[Plan, tuple[Trail, ...], float]) -> None:
    plan, _, _ = case
    days = [s.date for s in plan.sessions]
    assert len(days) == len(set(days)), "one session a day, hikes included"
    for s in plan.sessions:
        assert s.reasons
        assert all(r.rule.strip() and r.text.strip() for r in s.reasons)


@given(mixed())
def test_r4_warning_exactly_when_the_window_does_not_fit(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, _, _ = case
    warned = any(w.rule == "R4" for w in plan.warnings)
    runs = trail_runs(plan)
    if not runs:
        assert not warned and plan.adaptation is None
        return
    first = min(s.date for s in runs)
    assert plan.adaptation is not None and plan.adaptation.first_trail == first
    fits = first + timedelta(weeks=6) <= plan.race.date
    assert warned == (not fits)


@given(mixed())
def test_last_two_weeks_are_road_dominant_and_race_week_has_no_hard_trail(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, _, _ = case
    rw = race_week_index(plan)
    for w in plan.weeks[max(0, rw - 1) :]:
        sm = w.summary
        assert sm.trail_min < sm.road_min or sm.total_min == 0
        for s in w.sessions:
            if s.surface is Surface.TRAIL and s.kind.is_running:
                assert s.kind in (Kind.EASY, Kind.RECOVERY)
        if plan.trail_preference is TrailPreference.ENJOY and w.trail_cap > LAST_WEEKS_CAP:
            # Only a week too small for one easy trail run under the late cap gets R1's cap,
            # and then for that one run only; race week never does.
            assert w.index == rw and len(trail_runs_in(w)) == 1
    for w in plan.weeks[: rw + 1]:
        close = [s for s in trail_runs_in(w) if (plan.race.date - s.date).days < 3]
        if w.index == rw + 1:
            assert not close, "race week: no trail run in the 3 days before the race"
        elif close:
            # Only the week before race week's one easy run may be that close (R2).
            others = [
                s
                for s in w.sessions
                if s.kind in (Kind.EASY, Kind.RECOVERY) and (plan.race.date - s.date).days >= 3
            ]
            assert len(close) == 1 and not others


@given(mixed())
def test_harder_trail_workouts_only_in_base_and_build_weeks(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    plan, _, _ = case
    for w in plan.weeks:
        hard = [
            s
            for s in w.sessions
            if s.surface is Surface.TRAIL
            and s.kind in (Kind.HILL_REPEATS, Kind.FARTLEK, Kind.STEADY)
        ]
        assert len(hard) <= 1
        if hard:
            assert w.phase in (Phase.BASE, Phase.BUILD)
            assert plan.trail_preference is TrailPreference.ENJOY
            s = hard[0]
            assert s.steps[0].type is StepType.WARMUP and s.steps[-1].type is StepType.COOLDOWN
            assert any(r.rule == "R11" for r in s.reasons)
            assert sum(st.total_min for st in s.steps) == pytest.approx(s.duration_min, abs=1.0)


# --- Examples a coach would check by hand ---------------------------------------------------

START = date(2026, 12, 7)
RUNNER = Athlete(
    recent_race=RaceResult(10, 48 * 60 + 30, "10k"),
    weekly_km=45.0,
    days_per_week=5,
    hr_max=185,
    hr_rest=50,
)
HALF = Race(RaceDistance.HALF, START + timedelta(weeks=18) - timedelta(days=1))
HILL = Trail(
    3,
    "Hill",
    TrailCategory.HILLY,
    4.0,
    150,
    hills=(Hill(0.8, 300, 20, 0.066, 0.09, True),),
)
SHORT_HILL = replace(
    HILL,
    id=4,
    name="Short hill",
    hills=(Hill(0.3, 60, 4, 0.066, 0.08),),
)
FOREST = Trail(1, "Forest loop", TrailCategory.DIRT, 5.2, 40)
RIDGE = Trail(2, "Ridge", TrailCategory.TECHNICAL, 7.0, 300)


def test_recovery_runs_go_to_flat_dirt_first_r6() -> None:
    plan = build_plan(RUNNER, HALF, START, (RIDGE, HILL, FOREST))
    easy = [s for s in trail_runs(plan) if s.kind in (Kind.EASY, Kind.RECOVERY)]
    assert easy and all(s.trail and s.trail.name == "Forest loop" for s in easy)
    assert all(s.shoe is Shoe.TRAIL for s in easy)  # dirt with rocks and ruts: trail shoe (R10)


def test_hill_repeats_fitted_to_the_hill_r8() -> None:
    long_plan = build_plan(RUNNER, HALF, START, (FOREST, HILL))
    short_plan = build_plan(RUNNER, HALF, START, (FOREST, SHORT_HILL))
    road = {s.date: s for s in plan_road(RUNNER, HALF, START).sessions}

    def reps(plan: Plan) -> dict[date, tuple[int, float, float]]:
        out = {}
        for s in plan.sessions:
            if s.kind is Kind.HILL_REPEATS:
                block = next(st for st in s.steps if st.type is StepType.REPEAT)
                out[s.date] = (block.repeat, block.steps[0].target.duration_min or 0, hard_min(s))
        return out

    long_reps, short_reps = reps(long_plan), reps(short_plan)
    assert long_reps and short_reps, "base/build weeks get hill repeats"
    both = set(long_reps) & set(short_reps)
    assert both
    # A shorter hill means more (or as many, at most MAX_HILL_REPS), shorter repeats, never a
    # skipped session, and never fewer minutes of work than the road session asked for (R5).
    for day in both:
        (n_long, d_long, w_long), (n_short, d_short, w_short) = long_reps[day], short_reps[day]
        assert n_short >= n_long and d_short <= d_long
        assert w_long == pytest.approx(hard_min(road[day]), abs=0.5)
        assert w_short == pytest.approx(hard_min(road[day]), abs=0.5)
    assert max(n for n, _, _ in short_reps.values()) <= MAX_HILL_REPS


def test_a_shorter_hill_means_more_shorter_reps_with_the_same_work_r8() -> None:
    """R8 on one road session, 3 x 3 min @ I: a 300 m hill takes fewer, longer reps than a
    60 m one; the work (9 min at RPE 8-9) and the session's time stay the road's (R5)."""
    road = plan_road(RUNNER, HALF, START)
    assert road.paces is not None
    p = Prescriber(road.paces)
    rep = Step(StepType.WORK, p.target(Intensity.I, minutes=3.0), "rep")
    jog = Step(StepType.RECOVER, p.target(Intensity.RECOVERY, minutes=3.0), "jog")
    session = Session(
        date=START,
        kind=Kind.INTERVALS,
        title="3 x 3 min @ I",
        target=p.target(Intensity.I, minutes=43.0),
        intensity=Intensity.I,
        steps=(
            Step(StepType.WARMUP, p.target(Intensity.E, minutes=15.0)),
            Step(StepType.REPEAT, Target(rpe=(8, 9)), repeat=3, steps=(rep, jog)),
            Step(StepType.COOLDOWN, p.target(Intensity.E, minutes=10.0)),
        ),
    )
    rw = trail_workouts.road_work(session)
    assert rw.work_min == pytest.approx(9.0)

    def block(hill: Hill) -> tuple[int, float, float, str]:
        w = trail_workouts.hill_repeats(p, session, rw, hill, None, 0.15)
        b = next(st for st in w.steps if st.type is StepType.REPEAT)
        assert w.minutes == pytest.approx(43.0, abs=0.5)
        return b.repeat, b.steps[0].total_min, b.repeat * b.steps[0].total_min, b.steps[0].note

    n_long, d_long, work_long, _ = block(HILL.hills[0])
    n_short, d_short, work_short, note = block(SHORT_HILL.hills[0])
    assert n_short > n_long and d_short < d_long
    # Each rep is rounded to 6 s (the Target's 0.1 min): the work is the road's within 5 %.
    assert work_long == pytest.approx(9.0, rel=0.05) and work_short == pytest.approx(9.0, rel=0.05)
    assert n_short <= MAX_HILL_REPS and "over the top" in note


def test_technical_trail_gets_a_hike_on_an_easy_day_before_any_run_on_it_r9() -> None:
    plan = build_plan(RUNNER, HALF, START, (RIDGE,))
    hikes = [s for s in plan.sessions if s.kind is Kind.HIKE]
    assert len(hikes) == 1 and hikes[0].trail and hikes[0].trail.name == "Ridge"
    runs_on_ridge = [s for s in trail_runs(plan) if s.trail and s.trail.name == "Ridge"]
    assert runs_on_ridge and min(s.date for s in runs_on_ridge) > hikes[0].date
    days_taken = [s.date for s in plan.sessions if s.date == hikes[0].date]
    assert days_taken == [hikes[0].date]  # the hike takes a rest day, not a run
    hiked = build_plan(RUNNER, HALF, START, (replace(RIDGE, hiked=True),))
    assert not [s for s in hiked.sessions if s.kind is Kind.HIKE]


def test_no_trails_known_still_plans_trail_sessions_with_advice_r7() -> None:
    plan = build_plan(RUNNER, HALF, START, ())
    runs = trail_runs(plan)
    assert runs and all(s.trail is None and s.trail_hint for s in runs)
    assert all(any(r.rule == "R7" for r in s.reasons) for s in runs)


def test_hybrid_shoe_when_unsure_r10() -> None:
    plan = build_plan(replace(RUNNER, trail_shoe=TrailShoe.UNSURE), HALF, START, (FOREST, RIDGE))
    assert {s.shoe for s in trail_runs(plan)} == {Shoe.HYBRID}


def test_late_start_warns_r4_but_mind_benefit_is_immediate() -> None:
    race = Race(RaceDistance.K10, START + timedelta(weeks=4))
    plan = build_plan(RUNNER, race, START, ())
    warning = next(w for w in plan.warnings if w.rule == "R4")
    assert "fresh mind comes at once" in warning.text
    assert plan.adaptation is not None and not plan.adaptation.fits


def test_moved_sessions_keep_duration_and_effort_r5() -> None:
    road = plan_road(RUNNER, HALF, START)
    mixed_plan = build_plan(RUNNER, HALF, START, (FOREST,))
    before = {s.date: s for s in road.sessions}
    for s in trail_runs(mixed_plan):
        if s.kind in (Kind.EASY, Kind.RECOVERY) and not any(
            "Shortened" in r.text for r in s.reasons
        ):
            orig = before[s.date]
            assert s.duration_min == pytest.approx(orig.duration_min, abs=0.1)
            assert s.target.hr_bpm is not None  # HR data known: HR range kept
            assert orig.target.pace_s_per_km is not None  # it had a pace on the road


def test_preference_cap_lower_than_a_third() -> None:
    plan = build_plan(replace(RUNNER, trail_cap=0.2), HALF, START, (FOREST, HILL))
    assert all(w.summary.trail_share <= 0.2 + 1e-3 for w in plan.weeks)


@pytest.mark.parametrize("cap", [0.34, 0.5, 1.0])
def test_cap_above_a_third_is_refused_citing_r1(cap: float) -> None:
    with pytest.raises(InputError, match="R1"):
        check_options(MixOptions(TrailPreference.ENJOY, cap=cap))


@pytest.mark.parametrize("cap", [0.5, 0.01])
def test_a_cap_that_never_passed_the_edge_is_refused_by_the_mixer(cap: float) -> None:
    """The profile check no longer looks at the cap: a stored or hand-made profile with a cap
    out of range still gets no plan, refused by the mixer naming the flag."""
    with pytest.raises(InputError) as exc:
        build_plan(replace(RUNNER, trail_cap=cap), HALF, START, (FOREST, HILL))
    assert exc.value.option == "--trail-cap"


def test_engine_works_on_any_road_plan_not_only_generated_ones() -> None:
    """A hand-written coach's week: the rules hold for it exactly as for a generated plan."""
    race = Race(RaceDistance.K10, date(2027, 3, 7))
    paces = plan_road(RUNNER, race, date(2026, 12, 1)).paces
    assert paces is not None
    p = Prescriber(paces)

    def run(day: date, kind: Kind, minutes: float, intensity: Intensity, **kw: object) -> Session:
        return Session(
            date=day,
            kind=kind,
            title=f"{kind.value} {minutes}",
            target=p.target(intensity, minutes=minutes),
            intensity=intensity,
            reasons=(),
            **kw,  # type: ignore[arg-type]
        )

    weeks = []
    monday = date(2027, 1, 4)
    for i in range(9):
        m = monday + timedelta(weeks=i)
        sessions = [
            run(m + timedelta(days=1), Kind.INTERVALS, 55, Intensity.I),
            run(m + timedelta(days=2), Kind.EASY, 40, Intensity.E),
            run(m + timedelta(days=3), Kind.TEMPO, 45, Intensity.T, race_specific=i > 5),
            run(m + timedelta(days=6), Kind.LONG, 80, Intensity.E),
        ]
        if m + timedelta(days=6) >= race.date:
            sessions = [*sessions[:3], run(race.date, Kind.RACE, 45, Intensity.RACE)]
        weeks.append(Week(i + 1, m, Phase.BUILD if i < 6 else Phase.TAPER, tuple(sessions)))
    coach = Plan(race=race, athlete=RUNNER, start=monday, weeks=tuple(weeks), source="coach.ics")
    out = mix(coach, MixOptions(TrailPreference.ENJOY, trails=(FOREST, HILL)), p)
    for w in out.weeks[:-1]:
        assert any(s.surface is Surface.TRAIL and s.kind is Kind.EASY for s in w.sessions)
        assert w.summary.trail_min <= w.summary.total_min / 3 + 0.5
    assert all(s.surface is Surface.ROAD for s in out.sessions if s.kind is Kind.LONG)
    assert all(s.surface is Surface.ROAD for s in out.sessions if s.race_specific)


def test_a_plan_with_no_runnable_days_is_refused() -> None:
    race = Race(RaceDistance.K10, date(2027, 3, 7))
    empty = Plan(race=race, athlete=RUNNER, start=date(2027, 1, 4), weeks=())
    paces = plan_road(RUNNER, race, date(2026, 12, 1)).paces
    assert paces is not None
    with pytest.raises(InputError, match="no runnable days"):
        mix(empty, MixOptions(TrailPreference.ENJOY), Prescriber(paces))


def test_off_is_a_road_plan() -> None:
    plan = build_plan(replace(RUNNER, trail_preference=TrailPreference.OFF), HALF, START, (FOREST,))
    assert not trail_runs(plan)
    assert all(s.target.pace_s_per_km for s in plan.sessions if s.kind is not Kind.STRIDES)
    assert all(w.trail_cap == 0 for w in plan.weeks)


@given(mixed())
def test_mixing_keeps_the_weeks_volume_when_a_road_easy_run_can_take_it(
    case: tuple[Plan, tuple[Trail, ...], float],
) -> None:
    """R5: a moved session keeps its minutes; minutes cut to respect the cap go back to the
    week's road easy runs, so the week runs what the road plan asked for."""
    plan, _, _ = case
    road = plan_road(plan.athlete, plan.race, plan.start)
    before = {w.start: w.summary.total_min for w in road.weeks}
    for w in plan.weeks:
        road_easy = [
            s
            for s in w.sessions
            if s.surface is Surface.ROAD and s.kind in (Kind.EASY, Kind.RECOVERY)
        ]
        if road_easy:
            assert w.summary.total_min >= before[w.start] - len(w.sessions), w.index
