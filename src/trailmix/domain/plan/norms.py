"""The coaching norms a generated road plan is held to, each with its source, and the coach
metrics that measure a plan against them (the property tests and benchmarks/plan_quality.py
use the same functions).

Sources (../shared/docs/science.md sections 4, 5 and 9; docs/plan-quality.md): Daniels'
*Running Formula* (session limits), Higdon's Novice/Intermediate plans (long-run share and
steps), Pfitzinger & Douglas' *Advanced Marathoning* 18/55 (long-run peak, alternation,
3-week taper), Hansons' beginner marathon (long run capped by time), Bosquet et al. 2007 and
Mujika & Padilla 2003 (a progressive taper). A number no source gives is a trailmix default
and says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from trailmix.domain.types import Kind, Phase, Plan, RaceDistance, Session, Step, StepType

# --- Long run -----------------------------------------------------------------------------

LONG_SHARE_CAP_BY_DAYS = {3: 0.50, 4: 0.50, 5: 0.45, 6: 0.37, 7: 0.33}
"""The long run's largest share of a week's running minutes by run days. Higdon's Novice 1
(4 days) has the long run at 40-50 % of the week, his Intermediate 1 (5 days) up to ~45 %;
Pfitzinger's 18/55 (5-6 days) 20 of 55 miles, ~37 %; Daniels' 25-30 % assumes 6-7 days
(trailmix takes 33 % for 7, between Daniels and Pfitzinger)."""

LONG_PEAK_KM = {
    RaceDistance.K5: 14.0,
    RaceDistance.K10: 16.0,
    RaceDistance.HALF: 19.0,
    RaceDistance.MARATHON: 32.0,
}
"""The long run a plan builds to. Marathon: Pfitzinger 18/55 and Higdon Novice 1 peak at 32 km
(20 mi). Half: Higdon's novice half reaches 16 km (10 mi), his intermediate 19 km (12 mi).
5K/10K: trailmix defaults inside Daniels' <= 150 min."""

LONG_NORM_KM = {RaceDistance.HALF: 16.0, RaceDistance.MARATHON: 29.0}
"""The longest run a half or marathon plan must reach (issue 12's norm): 29 km (18 mi, the
shortest of Pfitzinger's long runs in the peak weeks) for a marathon, 16 km (Higdon's novice
half) for a half. A plan that cannot says why and what would."""

LONG_NORM_FROM = {
    RaceDistance.HALF: (25.0, 12),
    RaceDistance.MARATHON: (40.0, 16),
}
"""(weekly km, weeks) from which the norm must be met: Higdon's Novice 1 starts near 24 km a
week over 18 weeks; 16 weeks is the usual marathon build and 10 the usual half (science.md 5)."""

LONG_STEP_KM = (1.0, 2.5)
"""trailmix default from Higdon's novice plans: the long run grows by 1-2 miles (1.6-3.2 km) a
build week; trailmix spreads the growth evenly inside 1-2.5 km."""

LONG_CUTBACK = 0.75
"""Higdon's step-back weeks: the long run drops to about three quarters before the next rise."""

LONG_ALTERNATE = 0.85
"""Pfitzinger 18/55 alternates 32 km (20 mi) runs with ~27 km (17 mi) ones: after a long run
at the peak the next is at most 85 % of it."""

LONG_MAX_MIN = {
    RaceDistance.K5: 120.0,
    RaceDistance.K10: 135.0,
    RaceDistance.HALF: 150.0,
    RaceDistance.MARATHON: 210.0,
}
"""The long run's time limit. Daniels: 150 min for most runners; for the marathon trailmix
allows 3 h 30 (trailmix default: Higdon's 20-miler takes a 5-hour marathoner about that long;
Hansons cap theirs at 16 mi for the same reason, time on feet)."""

TAPER_LONG = {
    RaceDistance.MARATHON: (0.85, 0.65),
    RaceDistance.HALF: (0.75,),
    RaceDistance.K10: (0.70,),
    RaceDistance.K5: (0.70,),
}
"""The taper's long runs as shares of the peak long run, first taper week first (race week has
the race instead). Pfitzinger 18/55: ~27 then ~21 km three and two weeks out; Higdon 32 km ->
19 km -> 13 km: the long run steps down, it does not collapse."""

# --- Days around the long run ---------------------------------------------------------------

AROUND_LONG_MAX_MIN = 45.0
"""trailmix default, after Pfitzinger's recovery runs (6-8 km): the run on the eve of the long
run and on the day after it is short and easy, at most 45 minutes."""

# --- Quality work, in kilometres (Daniels) --------------------------------------------------

I_SHARE, I_MAX_KM = 0.08, 10.0
"""Daniels: I (and 5K/10K race-pace) work <= 8 % of the week's kilometres and <= 10 km."""
T_SHARE = 0.10
"""Daniels: T work <= 10 % of the week's kilometres."""
R_SHARE, R_MAX_KM = 0.05, 8.0
"""Daniels: R work <= 5 % of the week's kilometres and <= 8 km."""
M_SHARE, M_MAX_KM = 0.15, 16.0
"""Marathon-pace work: Daniels allows <= 20 % of the week and 29 km in one run; Hansons' and
Pfitzinger's marathon-pace runs are 10-16 km. trailmix keeps 15 % and 16 km, since it shares
the week with the long run."""

RACE_PACE_REP = {
    RaceDistance.K5: (1.0, (8, 9)),
    RaceDistance.K10: (2.0, (7, 8)),
}
"""5K/10K race-pace work comes in reps (Daniels): 1000 m at 5K pace (RPE 8-9), 2 km at 10K
pace (RPE 7-8), with 2-3 minutes of jogging between."""
RACE_PACE_JOG_MIN = (2.0, 3.0)

# --- Taper ------------------------------------------------------------------------------------

TAPER_SHARES = {
    RaceDistance.MARATHON: (0.80, 0.60, 0.42),
    RaceDistance.HALF: (0.60, 0.40),
}
"""Each taper week's volume as a share of the last full pre-taper week: a progressive taper
(Mujika & Padilla 2003) of about 3 weeks for a marathon (Pfitzinger) and 2 for a half
(Bosquet 2007: 41-60 % less over ~2 weeks, intensity kept)."""
SHORT_TAPER_SHARES = {1: (0.50,), 2: (0.55, 0.42)}
"""5K/10K: a 7-10-day taper (Daniels; Bosquet 2007 scaled down): race week at half volume
when the race falls on a weekend; a midweek race starts the cut the week before."""

TAPER_DROP_RANGE = (0.41, 0.60)
"""Bosquet 2007: the volume cut over the last ~2 weeks (see `taper_drop`)."""

# --- Key sessions ---------------------------------------------------------------------------

MASTERS_AGE = 50
"""trailmix default (Pfitzinger's masters advice: more days between hard sessions): from 50 a
runner gets a cut-back every third week and, with 4 run days or fewer, at most 2 key sessions
(long run included) a week."""
MASTERS_KEYS_FEW_DAYS = 2

# --- Coach metrics ---------------------------------------------------------------------------


def step_km(step: Step) -> float:
    """Kilometres of a step: its distance, else its minutes at the middle of its pace."""
    if step.type is StepType.REPEAT:
        return step.repeat * sum(step_km(s) for s in step.steps)
    t = step.target
    if t.distance_km:
        return t.distance_km
    if t.pace_s_per_km and t.duration_min:
        return t.duration_min * 60 / ((t.pace_s_per_km[0] + t.pace_s_per_km[1]) / 2)
    return 0.0


def session_km(s: Session) -> float:
    if s.steps:
        return sum(step_km(st) for st in s.steps)
    return s.target.distance_km or 0.0


def work_km(s: Session, *, race_pace: bool | None = None) -> float:
    """Kilometres of a session's WORK steps (at or above marathon effort)."""
    total = 0.0
    stack: list[tuple[Step, int]] = [(st, 1) for st in s.steps]
    while stack:
        st, times = stack.pop()
        if st.type is StepType.REPEAT:
            stack.extend((c, times * st.repeat) for c in st.steps)
        elif st.type is StepType.WORK:
            total += times * step_km(st)
    if race_pace is not None and s.race_specific != race_pace:
        return 0.0
    return total


def is_key(s: Session) -> bool:
    """A key session: the long run or a quality session other than strides."""
    return s.kind is Kind.LONG or (s.kind.is_quality and s.kind is not Kind.STRIDES)


@dataclass(frozen=True)
class PlanMetrics:
    """What a coach reads off a plan: the figures `docs/plan-quality.md` compares."""

    weeks: int
    peak_week_km: float
    peak_long_km: float
    peak_long_share: float  # of its week's running minutes
    weeks_at_peak_long: int  # weeks with a long run >= 95 % of the peak
    max_ramp: float  # largest week-on-week rise in minutes (full weeks, taper excluded)
    keys_per_week: float  # mean key sessions in full pre-taper weeks
    min_key_gap_days: int  # fewest days between two key sessions, across weeks
    taper: tuple[float, ...]  # taper weeks' volume as shares of the last pre-taper week
    taper_long_km: tuple[float, ...]
    race_pace_km_max: float  # most race-pace work km in one week
    race_pace_share_max: float  # of that week's km
    around_long_max_min: float  # longest run on the eve of or the day after a long run


def metrics(plan: Plan) -> PlanMetrics:
    full = [w for w in plan.weeks if w.start >= plan.start]
    pre = [w for w in full if w.phase is not Phase.TAPER]
    taper = [w for w in plan.weeks if w.phase is Phase.TAPER]
    longs = [(w, s) for w in plan.weeks for s in w.sessions if s.kind is Kind.LONG]
    peak_long = max((s.target.distance_km or 0.0 for _, s in longs), default=0.0)
    share = max(
        (s.duration_min / w.summary.total_min for w, s in longs if w.summary.total_min),
        default=0.0,
    )
    ramp = 0.0
    for a, b in itertools.pairwise(pre):
        if a.summary.total_min and not a.cutback:
            ramp = max(ramp, b.summary.total_min / a.summary.total_min - 1)
    keys = [s for s in plan.sessions if is_key(s)]
    gap = min(((b.date - a.date).days for a, b in itertools.pairwise(keys)), default=7)
    ref = pre[-1].summary.total_min if pre else 0.0
    rp = [
        (sum(work_km(s, race_pace=True) for s in w.sessions if s.kind is not Kind.RACE), w)
        for w in plan.weeks
    ]
    rp_max = max(rp, key=lambda x: x[0], default=(0.0, None))
    week_km = (
        sum(session_km(s) for s in rp_max[1].sessions if s.kind is not Kind.RACE)
        if rp_max[1]
        else 0.0
    )
    by_day = {s.date: s for s in plan.sessions if s.kind is not Kind.RACE}
    one = timedelta(days=1)
    around = [
        by_day[d].duration_min
        for s in plan.sessions
        if s.kind is Kind.LONG
        for d in (s.date - one, s.date + one)
        if d in by_day
    ]
    return PlanMetrics(
        weeks=len(plan.weeks),
        peak_week_km=max(
            (sum(session_km(s) for s in w.sessions if s.kind is not Kind.RACE) for w in full),
            default=0.0,
        ),
        peak_long_km=peak_long,
        peak_long_share=share,
        weeks_at_peak_long=sum(
            1 for _, s in longs if (s.target.distance_km or 0) >= 0.95 * peak_long
        ),
        max_ramp=ramp,
        keys_per_week=sum(sum(1 for s in w.sessions if is_key(s)) for w in pre) / len(pre)
        if pre
        else 0.0,
        min_key_gap_days=gap,
        taper=tuple(
            round(sum(s.running_min for s in w.sessions if s.kind is not Kind.RACE) / ref, 2)
            if ref
            else 0.0
            for w in taper
        ),
        taper_long_km=tuple(
            max((s.target.distance_km or 0.0 for s in w.sessions if s.kind is Kind.LONG), default=0)
            for w in taper
        ),
        race_pace_km_max=rp_max[0],
        race_pace_share_max=rp_max[0] / week_km if week_km else 0.0,
        around_long_max_min=max(around, default=0.0),
    )
