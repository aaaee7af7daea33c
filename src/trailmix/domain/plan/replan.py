"""Re-planning as a coach does it (issue 13, `trailmix plan update`).

The plan's weeks, phases, cut-back weeks and taper stay where they are; only the load inside
them changes, and only from `today` on (the past is what it was):

- **On track** (the log within `ON_TRACK` of the plan's minutes over the last two weeks):
  the plan as it was.
- **Ahead** (more than planned): the plan as it was, never a higher peak; the notes say the
  runner is ahead and show Foster's monotony and strain and the acute:chronic trend.
- **Behind** (less than planned, no break): this week at most 10 % above what was run, then
  back to the plan by at most 10 % a week.
- **Back from a break** (`BREAK_MIN_DAYS` or more without a run): return by the length of the
  break (Mujika & Padilla 2000 on detraining; science.md 9): after 1-2 weeks off the first week
  back is at 75-50 % of the planned minutes, with no hard session in its first 7 days, and the
  load rebuilds over about as many weeks as were missed, at most 10 % a week. When the planned
  long runs can no longer be reached before the taper, the notes say so and offer a revised
  goal time (VDOT), a later race and a shorter one.

Every changed session says why in its reasons. Pure: the log comes in as a `TrainingHistory`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from trailmix.domain import rules
from trailmix.domain.effort import heart_rate_model, rpe_for
from trailmix.domain.log import load
from trailmix.domain.plan import mixer, planner, vdot
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.rules import MIN_TRAIL_MIN
from trailmix.domain.types import (
    Benefit,
    Intensity,
    Kind,
    Phase,
    Plan,
    RaceDistance,
    Reason,
    Session,
    Step,
    StepType,
    Surface,
    Week,
)
from trailmix.domain.units import format_duration

# --- The numbers, each with its source or marked as ours ------------------------------------

HISTORY_DAYS = 56
"""trailmix default: the log's last 8 weeks are read for a re-plan (the 28-day chronic load
of Williams et al. 2017 twice over)."""

WINDOW_DAYS = 14
"""trailmix default: the runner is judged on the last two weeks of the log against the plan's
minutes on the same days (issue 13: "the last 2-3 weeks")."""

ON_TRACK = 0.10
"""trailmix default: within 10 % of the plan's minutes is on track."""

BREAK_MIN_DAYS = 5
"""trailmix default: 5 days or more without a run, missing at least 2 planned runs, is a break
to return from; a shorter gap is carried on from (the missed runs are not made up)."""

SHORT_MISS_DAYS = 3
"""trailmix default: a gap of 3-4 days with missed runs is left out of the comparison with the
plan (the runner carries on from it)."""

BACK_RECENT_DAYS = 7
"""trailmix default: a break counts as the one to return from while the runner has been back
for at most a week (after that the log's minutes since the return tell where they are)."""

RETURN_SHARE = ((7, 0.75), (14, 0.50), (28, 0.35))
"""The first week back as a share of the planned minutes, by days off: 75 % after one week, 50 %
after two (the coaching convention in science.md 9 after Mujika & Padilla 2000: resume at
~50-75 % after 1-2 weeks off), in between linearly; longer breaks scale further, to 35 % after
four weeks and 30 % beyond (trailmix defaults)."""
RETURN_SHARE_FLOOR = 0.30

QUALITY_FREE_DAYS = 7
"""Coaching convention (science.md 9): no hard session in the first week back."""

RAMP = planner.RAMP_BOUND
"""The 10 % rule, week to week: a heuristic (Buist 2008 found no fewer injuries with it than with
~24 % a week; Nielsen 2014 linked more than 30 % over two weeks with injuries); the planner's
own bound, a trailmix default."""

MIN_SCALE = 0.30
"""trailmix default: a week is never cut below 30 % of its planned minutes."""

LONG_SHORTFALL = 0.90
"""trailmix default: a longest run left before the taper under 90 % of the plan's means the
race cannot be run as planned."""

DETRAIN_VDOT_PER_WEEK = 0.01
"""trailmix default: a revised goal assumes 1 % of VDOT lost per week off. Mujika & Padilla 2000
measured VO2max falling within 2-4 weeks of detraining; the size per week is ours."""

ACWR_HIGH = 1.3
"""The top of Gabbett's "sweet spot" (0.8-1.3, science.md 3): above it the acute:chronic trend
is flagged as rising, as a description only (`load.CAVEAT`)."""

RE_PLANNED = "Re-planned on"
"""How every re-plan's reasons and notes begin (an older re-plan's notes are replaced)."""

NIELSEN = "Nielsen 2014; Buist 2008"
MUJIKA = "Mujika & Padilla 2000"


# --- What the log says -------------------------------------------------------------------------


@dataclass(frozen=True)
class LoggedDay:
    """One day of the log: running minutes, of them on trails, and the number of runs."""

    day: date
    minutes: float
    trail_min: float = 0.0
    runs: int = 1


@dataclass(frozen=True)
class TrainingHistory:
    """What the log says the runner has done, for a re-plan: the average weekly minutes of the
    last two full weeks, the weeks with a trail run and the first one (from the plan's start),
    and day by day the last `HISTORY_DAYS` before today (`days`, from `window_from`; days
    without a run are left out) with the last run before today (`last_run`). A history made
    without days (`window_from` None) is judged on `weekly_min` alone."""

    weekly_min: float | None
    trail_weeks_done: int
    first_trail: date | None
    days: tuple[LoggedDay, ...] = ()
    window_from: date | None = None
    last_run: date | None = None

    def on(self, day: date) -> LoggedDay | None:
        return next((d for d in self.days if d.day == day), None)


def history_from_runs(
    runs: Iterable[tuple[date, float, bool]], today: date, since: date | None = None
) -> TrainingHistory:
    """A `TrainingHistory` from the log's runs before `today`, each (day, minutes, on a
    trail). `since` (the plan's start) bounds the trail weeks; the caller passes every run
    from `min(since, today - HISTORY_DAYS)` on."""
    monday = today - timedelta(days=today.weekday())
    window_from = today - timedelta(days=HISTORY_DAYS)
    by_day: dict[date, list[tuple[float, bool]]] = {}
    for day, minutes, trail in runs:
        if day < today:
            by_day.setdefault(day, []).append((minutes, trail))
    two_weeks = [
        m for d, rs in by_day.items() if monday - timedelta(weeks=2) <= d < monday for m, _ in rs
    ]
    weekly = sum(two_weeks) / 2 if two_weeks else None
    trail_days = sorted(
        d for d, rs in by_day.items() if any(t for _, t in rs) and (since is None or d >= since)
    )
    weeks = {d - timedelta(days=d.weekday()) for d in trail_days}
    days = tuple(
        LoggedDay(d, sum(m for m, _ in rs), sum(m for m, t in rs if t), len(rs))
        for d, rs in sorted(by_day.items())
        if d >= window_from
    )
    return TrainingHistory(
        weekly_min=weekly,
        trail_weeks_done=len(weeks),
        first_trail=trail_days[0] if trail_days else None,
        days=days,
        window_from=window_from,
        last_run=max(by_day) if by_day else None,
    )


# --- Judging the log against the plan ---------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Days without a run, first to last inclusive, and the planned runs they missed."""

    first: date
    last: date
    missed: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def words(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()} ({self.days} days)"


@dataclass(frozen=True)
class Assessment:
    """Where the runner is against the plan: `status` is "no log", "on track", "ahead",
    "behind" or "break"; `scale` the share of each future week's planned minutes kept."""

    status: str
    window: tuple[date, date] | None
    logged_min: float
    planned_min: float
    runs: int
    gap: Gap | None
    short_miss: Gap | None
    scale: dict[date, float]

    @property
    def ratio(self) -> float | None:
        return self.logged_min / self.planned_min if self.planned_min > 0 else None


@dataclass(frozen=True)
class Replan:
    """A re-plan's result: the plan, how the runner was judged, and the messages it added."""

    plan: Plan
    assessment: Assessment
    messages: tuple[Reason, ...]
    goal: GoalChoices | None = None
    load: LoadFlags | None = None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _volume(w: Week) -> float:
    """A week's planned running minutes, the race left out."""
    return sum(s.running_min for s in w.sessions if s.kind is not Kind.RACE)


def _planned_by_day(plan: Plan) -> dict[date, float]:
    out: dict[date, float] = {}
    for s in plan.sessions:
        if s.kind.is_running and s.kind is not Kind.RACE:
            out[s.date] = out.get(s.date, 0.0) + s.duration_min
    return out


def _gaps(plan: Plan, today: date, history: TrainingHistory) -> list[Gap]:
    """The stretches without a run inside the plan, up to yesterday, latest last."""
    planned = _planned_by_day(plan)
    run_days = sorted(d.day for d in history.days if d.minutes > 0)
    if history.last_run is not None and history.last_run not in run_days:
        run_days.insert(0, history.last_run)
    if not run_days:
        return []
    edges = [*run_days, today]
    out: list[Gap] = []
    for a, b in itertools.pairwise(edges):
        first = max(a + timedelta(days=1), plan.start)
        last = b - timedelta(days=1)
        if last < first:
            continue
        missed = sum(
            1 for k in range((last - first).days + 1) if first + timedelta(days=k) in planned
        )
        out.append(Gap(first, last, missed))
    return out


def return_share(days_off: int) -> float:
    """The first week back as a share of the planned minutes (`RETURN_SHARE`)."""
    prev_d, prev_s = 0, 1.0
    for d, s in RETURN_SHARE:
        if days_off <= d:
            if prev_d == 0:
                return s
            return prev_s + (s - prev_s) * (days_off - prev_d) / (d - prev_d)
        prev_d, prev_s = d, s
    return RETURN_SHARE_FLOOR


def assess(plan: Plan, today: date, history: TrainingHistory) -> Assessment:
    """Judge the log against the plan and set each future week's share of its minutes."""
    future = [w for w in plan.weeks if w.end >= today]
    planned = _planned_by_day(plan)
    ones = dict.fromkeys((w.start for w in future), 1.0)
    gaps = _gaps(plan, today, history) if history.window_from is not None else []
    gap = next(
        (
            g
            for g in reversed(gaps)
            if g.days >= BREAK_MIN_DAYS
            and g.missed >= 2
            and (today - g.last).days <= BACK_RECENT_DAYS + 1
        ),
        None,
    )
    lo = max(plan.start, today - timedelta(days=WINDOW_DAYS))
    hi = today - timedelta(days=1)
    short = next(
        (
            g
            for g in reversed(gaps)
            if SHORT_MISS_DAYS <= g.days < BREAK_MIN_DAYS and g.missed >= 1 and g.last >= lo
        ),
        None,
    )
    window_days = [
        lo + timedelta(days=k)
        for k in range(max(0, (hi - lo).days + 1))
        if short is None or not short.first <= lo + timedelta(days=k) <= short.last
    ]
    planned_min = sum(planned.get(d, 0.0) for d in window_days)
    if history.window_from is not None:
        logged = [history.on(d) for d in window_days]
        logged_min = sum(x.minutes for x in logged if x is not None)
        runs = sum(x.runs for x in logged if x is not None)
    else:
        logged_min = (history.weekly_min or 0.0) * len(window_days) / 7
        runs = 0
    window = (lo, hi) if window_days else None
    no_log = history.last_run is None and not history.weekly_min
    if gap is not None:
        scale = _return_scale(plan, future, gap)
        return Assessment("break", window, logged_min, planned_min, runs, gap, short, scale)
    # trailmix default: under 60 planned minutes in the window (a plan a few days old) is too
    # little to judge on: the plan stays.
    if no_log or planned_min < 60 or window is None:
        status = "no log" if no_log else "on track"
        return Assessment(status, window, logged_min, planned_min, runs, None, short, ones)
    ratio = logged_min / planned_min
    if ratio > 1 + ON_TRACK:
        return Assessment("ahead", window, logged_min, planned_min, runs, None, short, ones)
    if ratio >= 1 - ON_TRACK:
        return Assessment("on track", window, logged_min, planned_min, runs, None, short, ones)
    weekly = logged_min * 7 / len(window_days)
    scale = _behind_scale(future, weekly)
    return Assessment("behind", window, logged_min, planned_min, runs, None, short, scale)


def _chain(future: list[Week], first: float, step: float) -> dict[date, float]:
    """Each week's share of its planned minutes: `first` this week, then up by `step` a week
    (to 1, the plan's load), never more than `RAMP` above the last full week's minutes (the
    week before a cut-back week for the week after it), held through the taper so it keeps
    its shape."""
    out: dict[date, float] = {}
    level = f = max(MIN_SCALE, min(1.0, first))
    ref: float | None = None
    for i, w in enumerate(future):
        p = _volume(w)
        if i > 0:
            level = min(1.0, level + step)
            # The taper keeps the share reached: it takes its shares of that level.
            if w.phase is not Phase.TAPER:
                f = level
                if not w.cutback and ref and p > 0:
                    f = max(MIN_SCALE, min(level, (1 + RAMP) * ref / p))
        out[w.start] = f
        if w.phase is not Phase.TAPER and not w.cutback:
            ref = f * p
    return out


def _return_scale(plan: Plan, future: list[Week], gap: Gap) -> dict[date, float]:
    """From the week of the first day back: `return_share` of the break's length, then up to
    the plan's load over about as many weeks as the break lasted (science.md 9)."""
    r = return_share(gap.days)
    n = max(1, math.ceil(gap.days / 7))
    back = _monday(gap.last + timedelta(days=1))
    out = _chain([w for w in plan.weeks if w.end >= back], r, (1 - r) / n)
    return {w.start: out.get(w.start, r) for w in future}


def _behind_scale(future: list[Week], weekly: float) -> dict[date, float]:
    """This week at most `RAMP` above the minutes run lately, then by the 10 % rule alone."""
    if not future:
        return {}
    p = _volume(future[0]) or 1.0
    return _chain(future, (1 + RAMP) * weekly / p, 1.0)


# --- Changing the sessions ------------------------------------------------------------------


@dataclass(frozen=True)
class _Tools:
    """The planner's session builders for this plan's runner and race."""

    ctx: planner._Ctx
    p: Prescriber


def _tools(plan: Plan) -> _Tools:
    assert plan.paces is not None
    p = Prescriber(plan.paces, heart_rate_model(plan.athlete))
    race = plan.race
    if race.goal_time_s is not None:
        rp = race.goal_time_s / race.distance.km
    else:
        rp = vdot.race_pace(plan.paces.vdot, race.distance.km)
    ctx = planner._Ctx(plan.athlete, race, p, (round(rp - 3, 1), round(rp + 3, 1)), 0.0)
    return _Tools(ctx, p)


def _floor(s: Session, phase: Phase) -> float:
    if s.surface is Surface.TRAIL:
        return min(s.duration_min, MIN_TRAIL_MIN)
    least = planner.MIN_TAPER_RUN_MIN if phase is Phase.TAPER else planner.MIN_RUN_MIN
    return min(s.duration_min, least)


def _minutes(s: Session, k: float, phase: Phase) -> float:
    return float(max(_floor(s, phase), math.floor(s.duration_min * k)))


_FIRST_NUMBER = re.compile(r"\d+(?= min| x)")


def _retitle(title: str, number: float) -> str:
    return _FIRST_NUMBER.sub(str(round(number)), title, count=1)


def resize_trail(s: Session, minutes: float) -> Session:
    """A trail easy or recovery run resized: its one step, its time, its title (R5: time and
    effort, no pace)."""
    target = replace(s.target, duration_min=round(minutes, 1))
    steps = tuple(
        replace(st, target=replace(st.target, duration_min=target.duration_min)) for st in s.steps
    )
    return replace(s, target=target, steps=steps, title=_retitle(s.title, minutes))


def _scale_steps(steps: tuple[Step, ...], k: float) -> tuple[Step, ...]:
    """A structured session made smaller: fewer reps (at least one), a shorter block of
    continuous work and a shorter cool-down (never under 5 min); the warm-up stays (on a trail
    it is the way to the hill, R8)."""
    out: list[Step] = []
    for st in steps:
        if st.type is StepType.REPEAT:
            out.append(replace(st, repeat=max(1, round(st.repeat * k))))
        elif st.type in (StepType.WORK, StepType.STEADY, StepType.COOLDOWN):
            least = min(st.total_min, 5.0)
            minutes = max(least, st.total_min * k)
            km = st.target.distance_km
            out.append(
                replace(
                    st,
                    target=replace(
                        st.target,
                        duration_min=round(minutes, 1),
                        distance_km=km and round(km * minutes / max(st.total_min, 0.1), 2),
                    ),
                )
            )
        else:
            out.append(st)
    return tuple(out)


def _scale_structured(s: Session, k: float) -> Session:
    if not s.steps:
        minutes = max(min(s.duration_min, 20.0), s.duration_min * k)
        km = s.target.distance_km
        target = replace(
            s.target,
            duration_min=round(minutes, 1),
            distance_km=km and round(km * minutes / max(s.duration_min, 0.1), 2),
        )
        return replace(s, target=target)
    steps = _scale_steps(s.steps, k)
    minutes = round(sum(st.total_min for st in steps), 1)
    if minutes >= s.duration_min:
        return s
    reps = [st.repeat for st in steps if st.type is StepType.REPEAT]
    title = s.title
    if reps and re.search(r"\d+ x", title):
        title = re.sub(r"\d+(?= x)", str(reps[0]), title, count=1)
    else:
        work = sum(st.total_min for st in steps if st.type in (StepType.WORK, StepType.STEADY))
        title = _retitle(title, work)
    km = s.target.distance_km
    target = replace(
        s.target,
        duration_min=minutes,
        distance_km=km and round(km * minutes / max(s.duration_min, 0.1), 2),
    )
    return replace(s, target=target, steps=steps, title=title)


def _road_quality_name(s: Session) -> str | None:
    if s.kind is Kind.STRIDES:
        return "strides"
    return planner._quality_name(s)


def _scale_quality(t: _Tools, s: Session, k: float, week_min: float, phase: Phase) -> Session:
    """A quality session made smaller: on the road rebuilt by the planner at the smaller size
    (Daniels' limits on the smaller week hold), on a trail with fewer reps."""
    name = _road_quality_name(s) if s.surface is Surface.ROAD else None
    if name is not None and s.steps:
        budget = max(30.0, s.duration_min * k)
        new = planner._build_quality(t.ctx, name, s.date, budget, week_min, phase)
        if new.duration_min < s.duration_min - 0.5:
            return replace(new, reasons=s.reasons)
        return s
    return _scale_structured(s, k)


def _as_easy(t: _Tools, s: Session, minutes: float, why: Reason) -> Session:
    """A quality session turned into an easy run of `minutes`, on its own surface."""
    if s.surface is Surface.ROAD:
        return planner._easy(t.ctx, s.date, minutes, recovery=False).with_reason(why)
    target = t.p.target(Intensity.E, minutes=minutes, road=False)
    rpe = rpe_for(Intensity.E)
    step = Step(StepType.STEADY, target, "easy by feel, walk the steep bits")
    kept = tuple(
        r
        for r in s.reasons
        if r.rule not in ("R8", "R11", "R12") and not r.text.startswith("The trail version")
    )
    return replace(
        s,
        kind=Kind.EASY,
        title=f"Trail easy run {minutes:.0f} min, RPE {rpe[0]}-{rpe[1]}",
        target=target,
        intensity=Intensity.E,
        steps=(step,),
        trail_hint=None if s.trail is not None else "Any runnable trail, easy by feel.",
        benefits=(Benefit.STABILITY, Benefit.FEWER_INJURIES, Benefit.FRESH_MIND),
        reasons=(
            *kept,
            rules.rule(
                "R12", "What this builds: stability and form, fewer overuse injuries, fresh mind."
            ),
            why,
        ),
    )


def _road_easy(t: _Tools, s: Session, minutes: float) -> Session:
    """A trail easy or recovery run moved to the road, the same minutes."""
    recovery = s.kind is Kind.RECOVERY
    easy = planner._easy(t.ctx, s.date, minutes, recovery)
    return easy.with_reason(*(r for r in s.reasons if RE_PLANNED in r.text))


def _scale_week(
    t: _Tools,
    w: Week,
    today: date,
    k: float,
    quality_free_until: date | None,
    why: Reason,
    easy_why: Reason,
) -> list[Session]:
    """The week's sessions from `today` on, `k` of their planned minutes."""
    week_min = _volume(w) * k
    out: list[Session] = []
    for s in w.sessions:
        if s.date < today or not s.kind.is_running or s.kind is Kind.RACE:
            out.append(s)
            continue
        minutes = _minutes(s, k, w.phase)
        if s.kind.is_quality and quality_free_until and s.date < quality_free_until:
            out.append(_as_easy(t, s, max(minutes, _floor(s, w.phase)), easy_why).with_reason(why))
            continue
        if k >= 0.995:
            out.append(s)
            continue
        if s.kind.is_quality:
            new = _scale_quality(t, s, k, week_min, w.phase)
        elif s.surface is Surface.TRAIL:
            new = resize_trail(s, minutes) if minutes < s.duration_min else s
        elif s.kind in (Kind.EASY, Kind.RECOVERY, Kind.LONG):
            new = planner.resize_run(s, minutes) if minutes < s.duration_min else s
        else:
            new = _scale_structured(s, k)
        out.append(new.with_reason(why) if new != s else s)
    return out


def _trail(sessions: Iterable[Session]) -> float:
    return sum(s.running_min for s in sessions if s.surface is Surface.TRAIL)


def _total(sessions: Iterable[Session]) -> float:
    return sum(s.running_min for s in sessions)


def _hold_cap(
    t: _Tools,
    sessions: list[Session],
    today: date,
    cap: float,
    past_trail: float,
    past_total: float,
    why: Reason,
    convert: bool = True,
) -> tuple[list[Session], bool]:
    """R1 over the whole week: the days before today (`past_*`) and the sessions from today on.
    Trail easy runs are shortened first (to `MIN_TRAIL_MIN`), then moved to the road, then
    trail workouts go back to the road. True when a change was needed."""
    out = list(sessions)
    future = [i for i, s in enumerate(out) if s.date >= today]

    def over() -> float:
        """Trail minutes above the cap (the engine's own half-minute tolerance)."""
        fut = [out[i] for i in future]
        return past_trail + _trail(fut) - cap * (past_total + _total(fut))

    changed = False
    if over() <= 0.5:
        return out, False
    excess = over() / (1 - cap)  # shortening a trail run shortens the week too
    easy = [
        i
        for i in future
        if out[i].surface is Surface.TRAIL and out[i].kind in (Kind.EASY, Kind.RECOVERY)
    ]
    slack = sum(max(0.0, out[i].duration_min - MIN_TRAIL_MIN) for i in easy)
    if slack > 0:
        share = min(1.0, (excess + 0.5) / slack)
        for i in easy:
            s = out[i]
            minutes = math.floor(s.duration_min - share * max(0.0, s.duration_min - MIN_TRAIL_MIN))
            if minutes < s.duration_min:
                out[i] = resize_trail(s, minutes).with_reason(why)
                changed = True
    order = sorted(
        (i for i in future if out[i].surface is Surface.TRAIL and out[i].kind.is_running),
        key=lambda i: (out[i].kind.is_quality, out[i].duration_min),
    )
    for i in order if convert else []:
        if over() <= 0.5:
            break
        s = out[i]
        if s.kind.is_quality:
            name = {Kind.HILL_REPEATS: "intervals", Kind.FARTLEK: "fartlek"}.get(
                s.kind, "tempo" if s.intensity is Intensity.T else "steady"
            )
            new = planner._build_quality(
                t.ctx, name, s.date, s.duration_min, _total(out), Phase.BUILD
            )
        else:
            new = _road_easy(t, s, s.duration_min)
        out[i] = new.with_reason(why)
        changed = True
    return out, changed


def _why_break(today: date, gap: Gap, k: float, planned: float, runs: int) -> Reason:
    return rules.source(
        MUJIKA,
        f"{RE_PLANNED} {today.isoformat()}: no run in your log from {gap.words()}, "
        f"{gap.missed} planned runs missed. After 1-2 weeks off fitness drops measurably "
        f"(Mujika & Padilla 2000), so this week is {k:.0%} of its planned {planned:.0f} min and "
        f"the load comes back over about {max(1, math.ceil(gap.days / 7))} week"
        f"{'s' if gap.days > 7 else ''}, at most 10 % a week.",
    )


def _why_behind(today: date, a: Assessment, k: float, planned: float) -> Reason:
    days = f" from {a.window[0].isoformat()} to {a.window[1].isoformat()}" if a.window else ""
    return rules.source(
        NIELSEN,
        f"{RE_PLANNED} {today.isoformat()}: your log shows {a.logged_min:.0f} of the "
        f"{a.planned_min:.0f} planned min ({a.runs} runs){days}, so this week is {k:.0%} "
        f"of its planned {planned:.0f} min: "
        "the load rises at most 10 % a week from what you ran (the 10 % rule, a heuristic: "
        "Nielsen 2014 linked more than 30 % over two weeks with injuries).",
    )


def _why_easy(gap: Gap) -> Reason:
    return Reason(
        "coaching convention",
        f"No hard session in the first {QUALITY_FREE_DAYS} days back after {gap.days} days "
        "off (after illness, easy running only until the symptoms are gone): an easy run in "
        "place of this workout.",
    )


# --- Messages ---------------------------------------------------------------------------------

_SHORTER = {
    RaceDistance.MARATHON: RaceDistance.HALF,
    RaceDistance.HALF: RaceDistance.K10,
    RaceDistance.K10: RaceDistance.K5,
}


def _long_km(sessions: Iterable[Session]) -> float:
    return max((s.target.distance_km or 0.0 for s in sessions if s.kind is Kind.LONG), default=0.0)


@dataclass(frozen=True)
class GoalChoices:
    """When the race can no longer be run as planned: the long runs planned and left before
    the taper, a revised goal (VDOT), a later race and a shorter one (`choices`, in words, in
    that order), and the message a re-plan notes."""

    planned_long_km: float
    left_long_km: float
    plan_vdot: float
    vdot: float
    goal_time_s: float
    later_from: date
    shorter: RaceDistance | None
    shorter_time_s: float | None
    choices: tuple[str, ...]
    message: Reason


def _goal(before: Plan, after: Plan, today: date, a: Assessment) -> GoalChoices | None:
    """When the longest run left before the taper falls short of the plan's: say so and offer
    a revised goal time (VDOT), a later race and a shorter one."""
    pre = [w for w in before.weeks if w.phase is not Phase.TAPER]
    planned = _long_km(s for w in pre for s in w.sessions if s.date >= today)
    left = _long_km(
        s for w in after.weeks if w.phase is not Phase.TAPER for s in w.sessions if s.date >= today
    )
    if planned <= 0 or left >= LONG_SHORTFALL * planned or before.paces is None:
        return None
    race = before.race
    weeks_off = a.gap.days / 7 if a.gap else 0.0
    v = before.paces.vdot * (1 - DETRAIN_VDOT_PER_WEEK * weeks_off)
    goal = vdot.race_time(v, race.distance.km * 1000)
    lo_step = 2.5  # norms.LONG_STEP_KM's top: the long run grows at most 2.5 km a week
    more = math.ceil((planned - left) / lo_step * 4 / 3)
    later = race.date + timedelta(weeks=max(2, more))
    why = f"after {a.gap.days} days off" if a.gap else "with less running than planned"
    choices = [
        f"run the {race.distance.label} on {race.date.isoformat()} for about "
        f"{format_duration(goal)} (VDOT {v:.1f}"
        + (
            f", {DETRAIN_VDOT_PER_WEEK:.0%} less per week off, a trailmix default"
            if weeks_off
            else ""
        )
        + f", where the plan's VDOT {before.paces.vdot:.1f} gave "
        f"{format_duration(vdot.race_time(before.paces.vdot, race.distance.km * 1000))}; "
        "Daniels' tables assume the long runs were done, so start at that pace or slower)",
        f"a later {race.distance.label}, on or after {later.isoformat()}, to build back to the "
        f"planned {planned:.0f} km",
    ]
    shorter = _SHORTER.get(race.distance)
    shorter_time = vdot.race_time(v, shorter.km * 1000) if shorter is not None else None
    if shorter is not None and shorter_time is not None:
        choices.append(
            f"a {shorter.label} on {race.date.isoformat()}, which the runs left cover "
            f"(about {format_duration(shorter_time)})"
        )
    message = rules.source(
        f"{MUJIKA}; Daniels",
        f"{RE_PLANNED} {today.isoformat()}: {why}, the longest run left before the taper is "
        f"{left:.1f} km where the plan had {planned:.1f} km: the {race.distance.label} cannot "
        f"be run as planned. Your choices: "
        + "; ".join(f"({i + 1}) {c}" for i, c in enumerate(choices))
        + ".",
    )
    return GoalChoices(
        planned_long_km=planned,
        left_long_km=left,
        plan_vdot=before.paces.vdot,
        vdot=v,
        goal_time_s=goal,
        later_from=later,
        shorter=shorter,
        shorter_time_s=shorter_time,
        choices=tuple(choices),
        message=message,
    )


@dataclass(frozen=True)
class LoadFlags:
    """When the runner is ahead: Foster's monotony and strain of the last 7 days, the mean
    acute:chronic ratio of those days (a trend, `load.CAVEAT`), the warnings in words and the
    message a re-plan notes."""

    monotony: float
    strain: float
    acwr: float | None
    flags: tuple[str, ...]
    message: Reason


def _ahead(today: date, a: Assessment, history: TrainingHistory) -> LoadFlags:
    assert a.window is not None
    start = today - timedelta(days=7)
    days = [history.on(start + timedelta(days=k)) for k in range(7)]
    minutes = [d.minutes if d else 0.0 for d in days]
    mono = load.monotony(minutes)
    strain = sum(minutes) * mono
    daily = load.daily_loads(
        ((d.day, d.minutes) for d in history.days),
        history.window_from or today - timedelta(days=HISTORY_DAYS),
        today - timedelta(days=1),
    )
    # The trend over the last 7 days: one day's EWMA ratio swings with the week's pattern
    # (a long run yesterday lifts it), their mean does not (trailmix default).
    ratios = [p.ratio for p in load.acwr(daily)[-7:] if p.ratio is not None]
    ratio = sum(ratios) / len(ratios) if ratios else None
    flags: list[str] = []
    if mono > load.MONOTONY_HIGH:
        flags.append(
            f"your last 7 days are monotonous (Foster's monotony {mono:.1f} on your daily "
            f"minutes, above {load.MONOTONY_HIGH:.1f}; strain {strain:.0f}): make the easy days "
            "easier or take a rest day"
        )
    if ratio is not None and ratio > ACWR_HIGH:
        flags.append(
            f"your acute:chronic trend is rising ({ratio:.2f}, above {ACWR_HIGH:.1f}): "
            + load.CAVEAT
        )
    figures = f"monotony {mono:.1f}, strain {strain:.0f}" + (
        f", acute:chronic {ratio:.2f}" if ratio is not None else ""
    )
    message = rules.source(
        "trailmix default; Foster 1998",
        f"{RE_PLANNED} {today.isoformat()}: you are ahead of the plan, {a.logged_min:.0f} min "
        f"run of {a.planned_min:.0f} planned ({a.ratio or 0:.0%}) from {a.window[0].isoformat()} "
        f"to {a.window[1].isoformat()}. The plan keeps its load and its peak: more running "
        f"than planned raises the risk, not the fitness the race needs ({figures}). "
        + (_sentence("; ".join(flags)) if flags else "No warning sign in the log."),
    )
    return LoadFlags(mono, strain, ratio, tuple(flags), message)


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _status_message(today: date, a: Assessment) -> Reason | None:
    if a.status == "no log":
        return rules.default(
            f"{RE_PLANNED} {today.isoformat()}: no run in your log since the plan started, so "
            "the plan stays as it was; import your runs (trailmix log import) and re-planning "
            "follows them."
        )
    if a.status == "on track":
        done = (
            f"{a.logged_min:.0f} of {a.planned_min:.0f} planned min from "
            f"{a.window[0].isoformat()} to {a.window[1].isoformat()}"
            if a.window and a.planned_min
            else "too few planned days to judge yet"
        )
        return rules.default(
            f"{RE_PLANNED} {today.isoformat()}: on track ({done}): the plan stays as it was."
        )
    return None


def _short_message(today: date, gap: Gap) -> Reason:
    return rules.default(
        f"{RE_PLANNED} {today.isoformat()}: no run from {gap.words()}; a gap this short is "
        "carried on from: the plan goes on as written and the missed runs are not made up."
    )


# --- The re-plan ------------------------------------------------------------------------------


def replan(plan: Plan, today: date, history: TrainingHistory) -> Replan:
    """The plan from `today` on adjusted to what the log shows; the past is untouched."""
    a = assess(plan, today, history)
    if plan.paces is None:  # a plan without training paces cannot have its sessions rebuilt
        note = rules.default(
            f"{RE_PLANNED} {today.isoformat()}: this plan has no training paces, so its "
            "sessions stay as they were; make it again (trailmix plan) to re-plan it."
        )
        return Replan(replace(plan, notes=(*plan.notes, note)), a, (note,))
    t = _tools(plan)
    quality_free = a.gap.last + timedelta(days=1 + QUALITY_FREE_DAYS) if a.gap is not None else None
    monday = _monday(today)
    weeks: list[Week] = []
    warnings: list[Reason] = []
    ref: float | None = None
    last_k: float | None = None
    scale: dict[date, float] = {}
    for w in plan.weeks:
        if w.end < today:
            weeks.append(w)
            continue
        k = a.scale.get(w.start, 1.0)
        planned = _volume(w)
        # The 10 % rule on the minutes the weeks really hold (the runs' floors and rounding
        # move them off the shares a little): a scaled week never rises more over the last
        # full week.
        bound = ref is not None and k < 1 and w.phase is not Phase.TAPER and not w.cutback
        if bound and ref is not None and planned > 0:
            k = min(k, (1 + RAMP) * ref / planned)
        if w.phase is Phase.TAPER and last_k is not None:
            k = min(k, last_k)  # the taper steps down from the level really reached
        past = [s for s in w.sessions if s.date < today]
        cap = w.trail_cap
        r1 = rules.rule(
            "R1",
            f"{RE_PLANNED} {today.isoformat()}: trails stay within {rules.cap_words(cap)} of "
            "this week, counting the days before today.",
        )

        def build(
            k: float, w: Week = w, past: list[Session] = past, cap: float = cap, r1: Reason = r1
        ) -> list[Session]:
            if a.gap is not None:
                why = _why_break(today, a.gap, k, _volume(w), a.runs)
            else:
                why = _why_behind(today, a, k, _volume(w))
            easy_why = _why_easy(a.gap) if a.gap else why
            out = _scale_week(t, w, today, k, quality_free, why, easy_why)
            if out != list(w.sessions):
                out, _ = _hold_cap(t, out, today, cap, _trail(past), _total(past), r1, False)
            return out

        for _ in range(6):
            sessions = build(k)
            if (
                not bound
                or ref is None
                or _volume(replace(w, sessions=tuple(sessions))) <= (1 + RAMP) * ref + 0.5
            ):
                break
            k *= 0.95
        # R1 over the whole week: where the trail runs cannot shrink enough (the days before
        # today ran trails, or a trail run is at its shortest), the week is cut less.
        while k < 1 and _trail(sessions) > cap * _total(sessions) + 0.5:
            k = min(1.0, k + 0.05)
            sessions = build(k)
        scale[w.start] = k
        if w.phase is not Phase.TAPER:
            last_k = k
        if w.start == monday and history.window_from is not None and past:
            logged = [history.on(s) for s in (w.start + timedelta(days=i) for i in range(7))]
            done = [x for x in logged if x is not None and x.day < today]
            sessions, changed = _hold_cap(
                t,
                sessions,
                today,
                cap,
                sum(x.trail_min for x in done),
                sum(x.minutes for x in done),
                rules.rule(
                    "R1",
                    f"{RE_PLANNED} {today.isoformat()}: your log already has "
                    f"{sum(x.trail_min for x in done):.0f} min on trails this week; the rest "
                    f"of the week keeps trails within {rules.cap_words(cap)} of it.",
                ),
            )
            if changed:
                warnings.append(
                    rules.rule(
                        "R1",
                        f"Week {w.index}: your log's trail runs this week fill its trail "
                        "share (R1); the rest of the week is on the road, and your weekly "
                        "trail run (R2) is done.",
                    )
                )
        new_week = replace(w, sessions=tuple(sorted(sessions, key=lambda s: s.date)))
        if w.phase is not Phase.TAPER and not w.cutback:
            ref = _volume(new_week)
        weeks.append(new_week)
    a = replace(a, scale=scale)
    after = replace(plan, weeks=tuple(weeks))
    messages: list[Reason] = []
    status = _status_message(today, a)
    if status is not None:
        messages.append(status)
    if a.short_miss is not None and a.gap is None:
        messages.append(_short_message(today, a.short_miss))
    flags = _ahead(today, a, history) if a.status == "ahead" else None
    if flags is not None:
        messages.append(flags.message)
    if a.status == "break" and a.gap is not None:
        k = a.scale.get(monday, 1.0)
        messages.append(
            rules.source(
                MUJIKA,
                f"{RE_PLANNED} {today.isoformat()}: back from {a.gap.words()} without a run. "
                f"This week is {k:.0%} of the plan, easy only for the first "
                f"{QUALITY_FREE_DAYS} days back; the load rises toward the plan's over about "
                f"{max(1, math.ceil(a.gap.days / 7))} weeks where the 10 % rule allows "
                f"({NIELSEN}): {_shares(plan, after, today)}. The phases and the taper "
                "stay where they were; the taper steps down from the level reached.",
            )
        )
    if a.status == "behind":
        messages.append(
            _why_behind(today, a, a.scale.get(monday, 1.0), _volume(_week_of(plan, today)))
        )
    goal = _goal(plan, after, today, a) if a.status in ("break", "behind") else None
    if goal is not None:
        messages.append(goal.message)
    after = _adaptation(plan, after)
    notes = tuple(n for n in after.notes if not n.text.startswith(RE_PLANNED))
    after = replace(
        after,
        notes=(*notes, *messages),
        warnings=(*after.warnings, *warnings),
    )
    return Replan(after, a, tuple(messages), goal, flags)


def _adaptation(before: Plan, after: Plan) -> Plan:
    """R4's window again when the re-plan moved the plan's first trail run to the road (the
    log's trail runs filled that week): it starts at the first trail run left."""

    def first(p: Plan) -> date | None:
        return next(
            (s.date for s in p.sessions if s.surface is Surface.TRAIL and s.kind.is_running), None
        )

    if before.adaptation is None or first(after) == first(before):
        return after
    bare = replace(
        after,
        adaptation=None,
        warnings=tuple(w for w in after.warnings if w.rule != "R4"),
        notes=tuple(n for n in after.notes if n.rule != "R4"),
    )
    return mixer._with_adaptation(bare)


def _shares(before: Plan, after: Plan, today: date) -> str:
    """The weeks from today on, in minutes, re-planned against planned."""
    pairs = [(b, a) for b, a in zip(before.weeks, after.weeks, strict=True) if b.end >= today]
    return (
        ", ".join(f"{_volume(a):.0f}" for _, a in pairs)
        + " min a week from here to race week (planned "
        + ", ".join(f"{_volume(b):.0f}" for b, _ in pairs)
        + ")"
    )


def _week_of(plan: Plan, day: date) -> Week:
    return next(w for w in plan.weeks if w.start <= day <= w.end)


# --- The judgement alone (the web log page's card, GET /api/v1/plans/current/assessment) -------


@dataclass(frozen=True)
class WeekChange:
    """One week from today on: its planned running minutes and what a re-plan gives it."""

    index: int
    start: date
    phase: Phase
    planned_min: float
    replanned_min: float
    changed: int
    """How many of its sessions the re-plan changes."""


@dataclass(frozen=True)
class Judgement:
    """What a re-plan would judge on `today`, without storing a plan: the assessment, the
    weeks from today on (planned against re-planned minutes), for a break the first week
    back's share, the weeks to rebuild and the last easy-only day, the goal's choices when the
    race cannot be run as planned, the load flags when ahead, and the messages (each with its
    rule or source) the re-plan would add to the plan's notes."""

    today: date
    assessment: Assessment
    weeks: tuple[WeekChange, ...]
    messages: tuple[Reason, ...]
    goal: GoalChoices | None
    load: LoadFlags | None
    return_share: float | None
    rebuild_weeks: int | None
    easy_until: date | None

    @property
    def changed(self) -> int:
        return sum(w.changed for w in self.weeks)


def judge(plan: Plan, today: date, history: TrainingHistory) -> Judgement:
    """The re-plan of `today` worked out and described, nothing stored (`replan` is pure)."""
    result = replan(plan, today, history)
    a = result.assessment
    weeks = tuple(
        WeekChange(
            b.index,
            b.start,
            b.phase,
            _volume(b),
            _volume(w),
            sum(1 for x, y in zip(b.sessions, w.sessions, strict=False) if x != y)
            + abs(len(b.sessions) - len(w.sessions)),
        )
        for b, w in zip(plan.weeks, result.plan.weeks, strict=True)
        if b.end >= today
    )
    gap = a.gap
    return Judgement(
        today=today,
        assessment=a,
        weeks=weeks,
        messages=result.messages,
        goal=result.goal,
        load=result.load,
        return_share=return_share(gap.days) if gap else None,
        rebuild_weeks=max(1, math.ceil(gap.days / 7)) if gap else None,
        easy_until=gap.last + timedelta(days=QUALITY_FREE_DAYS) if gap else None,
    )
