"""The road-race plan generator: a periodized week-by-week road plan from start to race day.

Sources (science.md): Daniels for intensities and session caps (section 4), Bosquet et al. 2007
for the taper (section 5), Nielsen 2014 for the weekly ramp bound (section 5). Where no source
decides, the choice is marked as a trailmix default here and in the session's reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from trailmix.domain import rules
from trailmix.domain.effort import RACE_RPE, heart_rate_model
from trailmix.domain.plan import vdot, workouts
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.types import (
    Athlete,
    Intensity,
    Kind,
    Phase,
    Plan,
    Race,
    RaceDistance,
    Reason,
    Session,
    Step,
    StepType,
    Target,
    Week,
    Weekday,
)
from trailmix.errors import InputError

MIN_PLAN_DAYS = 21
MAX_PLAN_WEEKS = 52
MIN_DAYS, MAX_DAYS = 3, 7

# trailmix default: weekly volume may rise at most 10 % on the week before; after a cut-back
# week the comparison is with the week before the cut-back. Nielsen 2014 (JOSPT) linked rises
# above 30 % over two weeks with injuries; 10 % a week stays well inside that.
RAMP_BOUND = 0.10
RAMP_STEP = 0.07  # the planned rise, leaving room under the bound
CUTBACK_FACTOR = 0.80  # trailmix default: a cut-back week runs 80 % of the week before

# trailmix default: peak weekly volume as a multiple of the runner's current volume.
PEAK_FACTOR = {
    RaceDistance.K5: 1.20,
    RaceDistance.K10: 1.25,
    RaceDistance.HALF: 1.35,
    RaceDistance.MARATHON: 1.50,
}
MAX_WEEK_MIN = 12 * 60.0  # trailmix default ceiling: 12 h a week

# Long run: at most 30 % of the week (Daniels, science.md 4: long E run <= 25-30 %), and by
# distance and time (trailmix defaults; Daniels suggests 150 min, marathon plans go to 3 h).
LONG_SHARE = 0.28
LONG_SHARE_CAP = 0.30
# trailmix default: with fewer run days each run is a bigger share of the week, so a 3- or
# 4-day runner's long run may take more than Daniels' 25-30 % (which assumes 5+ days) to stay
# the longest run of the week.
_FEW_DAYS_SHARE = {3: (0.40, 0.45), 4: (0.31, 0.34)}


def long_share(days: int) -> float:
    return _FEW_DAYS_SHARE.get(days, (LONG_SHARE, LONG_SHARE_CAP))[0]


def long_share_cap(days: int) -> float:
    """The long run's largest share of a week for a runner running `days` days a week."""
    return _FEW_DAYS_SHARE.get(days, (LONG_SHARE, LONG_SHARE_CAP))[1]


LONG_KM_CAP = {
    RaceDistance.K5: 16.0,
    RaceDistance.K10: 19.0,
    RaceDistance.HALF: 22.0,
    RaceDistance.MARATHON: 32.0,
}
LONG_MIN_CAP = {
    RaceDistance.K5: 120.0,
    RaceDistance.K10: 135.0,
    RaceDistance.HALF: 150.0,
    RaceDistance.MARATHON: 180.0,
}

# Bosquet et al. 2007 (MSSE 39:1358): taper ~2 weeks, volume cut 41-60 %, intensity kept.
# Share of pre-taper daily volume run in each taper week (first, race week): the cut lands
# near 50 % whatever the race weekday. 5K/10K: one week when the race falls on a
# weekend, the same two otherwise (trailmix default, Bosquet scaled down to 7-10 days).
TAPER_SHARES = (0.52, 0.42)
TAPER_DROP_RANGE = (0.41, 0.60)

# trailmix default, from coaching convention: the longest run a half or marathon plan usually
# reaches; below it the plan says so.
LONG_RUN_WANTED_KM = {RaceDistance.HALF: 16.0, RaceDistance.MARATHON: 26.0}

# Recommended plan lengths (coaching convention, science.md 5), in weeks.
RECOMMENDED_WEEKS = {
    RaceDistance.K5: 6,
    RaceDistance.K10: 6,
    RaceDistance.HALF: 10,
    RaceDistance.MARATHON: 16,
}

# trailmix default: which days someone running N days a week runs, as days before the long run.
_RUN_OFFSETS = {
    3: (0, 3, 5),
    4: (0, 2, 4, 5),
    5: (0, 1, 3, 4, 5),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}

MIN_RUN_MIN = 20.0
MIN_RUN_MIN_PER_DAY = 30.0  # trailmix default: below this a week has too many days for its volume
MIN_TAPER_RUN_MIN = 15.0
MAX_EASY_MIN = 75.0  # trailmix default: an easy run longer than this is a long run


def default_run_days(days: int, long_day: Weekday) -> tuple[Weekday, ...]:
    return tuple(sorted(Weekday((long_day - off) % 7) for off in _RUN_OFFSETS[days]))


def run_days_of(athlete: Athlete) -> tuple[Weekday, ...]:
    if athlete.run_days:
        return tuple(sorted(set(athlete.run_days)))
    return default_run_days(athlete.days_per_week, athlete.long_run_day)


def validate_athlete(a: Athlete) -> None:
    """Refuse profile values no runner has, naming the flag and what is accepted. The trail
    cap is not checked here: `app.inputs.parse_cap` checks it at the edge, naming the flag, and
    `mixer.check_options` before any mix (R1)."""
    if a.age is not None and not 10 <= a.age <= 100:
        raise InputError(f"{a.age} is not accepted; give an age from 10 to 100.", "--age")
    if a.hr_max is not None and not 120 <= a.hr_max <= 230:
        raise InputError(f"{a.hr_max} is not accepted; give 120 to 230 bpm.", "--hr-max")
    if a.hr_rest is not None and not 25 <= a.hr_rest <= 110:
        raise InputError(f"{a.hr_rest} is not accepted; give 25 to 110 bpm.", "--hr-rest")
    if a.hr_max is not None and a.hr_rest is not None and a.hr_rest >= a.hr_max - 40:
        raise InputError(
            f"a resting HR of {a.hr_rest} is too close to an HRmax of {a.hr_max}; check both.",
            "--hr-rest",
        )
    days = _days(a)
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InputError(f"{days} is not accepted; run 3 to 7 days a week.", "--days")
    if a.run_days and a.long_run_day not in a.run_days:
        raise InputError(
            f"{a.long_run_day.label} is not one of your run days "
            f"({', '.join(d.label for d in sorted(set(a.run_days)))}); pick one of them.",
            "--long-run-day",
        )
    if a.weekly_km is not None and not 10 <= a.weekly_km <= 250:
        raise InputError(
            f"{a.weekly_km:g} km a week is not accepted; give 10 to 250.", "--weekly-km"
        )
    if a.weekly_min is not None and not 60 <= a.weekly_min <= MAX_WEEK_MIN * 1.5:
        raise InputError(
            f"{a.weekly_min:g} minutes a week is not accepted; give 60 to 1080.",
            "--weekly-min",
        )
    if a.recent_race is not None:
        _check_volume_per_day(
            a, check_performance(a.recent_race.distance_km, a.recent_race.time_s, "--recent-race")
        )


def validate(athlete: Athlete, race: Race, start: date, min_days: int = MIN_PLAN_DAYS) -> None:
    """Refuse what no plan can be built from, naming the flag and what is accepted."""
    validate_athlete(athlete)
    if race.date < start:
        raise InputError(
            f"{race.date.isoformat()} is in the past; give a race date after {start.isoformat()}.",
            "--race-date",
        )
    if (race.date - start).days < min_days:
        raise InputError(
            f"{race.date.isoformat()} is only {(race.date - start).days} days away; trailmix "
            f"needs at least {min_days} days ({min_days // 7} week"
            f"{'s' if min_days >= 14 else ''}) to build a plan.",
            "--race-date",
        )
    if (race.date - start).days > MAX_PLAN_WEEKS * 7:
        raise InputError(
            f"{race.date.isoformat()} is more than {MAX_PLAN_WEEKS} weeks away; plan for a race "
            "within a year.",
            "--race-date",
        )
    if athlete.recent_race is None and race.goal_time_s is None:
        raise InputError(
            "trailmix needs a recent race (e.g. --recent-race 10k=48:30) or a goal time "
            "(--goal-time 1:45:00) to set your training paces.",
            "--recent-race",
        )
    _check_volume_per_day(athlete, fitness_vdot(athlete, race))


def _check_volume_per_day(athlete: Athlete, fit_vdot: float) -> None:
    days = _days(athlete)
    p = Prescriber(vdot.training_paces(fit_vdot))
    week_min, _ = current_weekly_min(athlete, p)
    if week_min < MIN_RUN_MIN_PER_DAY * days:
        flag = "--weekly-min" if athlete.weekly_min is not None else "--weekly-km"
        raise InputError(
            f"about {week_min:.0f} min a week over {days} days is under "
            f"{MIN_RUN_MIN_PER_DAY:.0f} min a run; run fewer days (--days) or give your real "
            "weekly volume.",
            flag,
        )


def _days(athlete: Athlete) -> int:
    return len(set(athlete.run_days)) if athlete.run_days else athlete.days_per_week


def fitness_vdot(athlete: Athlete, race: Race) -> float:
    """VDOT from the recent race, else from the goal time; refuses impossible performances."""
    if athlete.recent_race is not None:
        return check_performance(
            athlete.recent_race.distance_km, athlete.recent_race.time_s, "--recent-race"
        )
    assert race.goal_time_s is not None
    return check_performance(race.distance.km, race.goal_time_s, "--goal-time")


def check_performance(km: float, t: float, flag: str) -> float:
    """The VDOT of `km` in `t` seconds, refusing what no runner can do or what is not running."""
    # trailmix default: slower than a brisk walk (6 km/h) is not a running performance.
    if km / (t / 3600) < 6.0:
        raise InputError(
            f"{km:g} km in {t / 60:.0f} min is slower than walking; give a race you ran.", flag
        )
    value = vdot.vdot_from_race(km * 1000, t)
    if value > vdot.MAX_VDOT:
        raise InputError(
            f"{km:g} km in {t / 60:.1f} min means a VDOT of {value:.0f}, beyond any human "
            f"(the world records are near {vdot.MAX_VDOT:.0f}); check the time.",
            flag,
        )
    if value < vdot.MIN_VDOT:
        raise InputError(
            f"{km:g} km in {t / 60:.0f} min means a VDOT of {value:.0f}, below the "
            f"{vdot.MIN_VDOT:.0f} that Daniels' tables start at; give a faster recent race.",
            flag,
        )
    return value


@dataclass(frozen=True)
class _WeekFrame:
    index: int
    start: date
    phase: Phase
    days: tuple[date, ...]
    target_min: float
    cutback: bool
    taper_share: float | None
    partial: bool = False


def phases(n_weeks: int, n_taper: int) -> list[Phase]:
    """Base, build, peak and taper lengths (trailmix default proportions: 40/35/25 %)."""
    m = n_weeks - n_taper
    if m <= 0:
        return [Phase.TAPER] * n_weeks
    if m == 1:
        pre = [Phase.PEAK]
    elif m == 2:
        pre = [Phase.BUILD, Phase.PEAK]
    else:
        peak = max(1, round(m * 0.25))
        base = max(1, round(m * 0.40))
        build = max(1, m - peak - base)
        base = m - peak - build
        pre = [Phase.BASE] * base + [Phase.BUILD] * build + [Phase.PEAK] * peak
    return pre + [Phase.TAPER] * n_taper


def taper_weeks(race: Race) -> int:
    if race.distance in (RaceDistance.K5, RaceDistance.K10) and race.date.weekday() >= 5:
        return 1
    return 2


def current_weekly_min(athlete: Athlete, p: Prescriber) -> tuple[float, Reason | None]:
    if athlete.weekly_min is not None:
        return athlete.weekly_min, None
    if athlete.weekly_km is not None:
        return p.minutes_for_km(Intensity.E, athlete.weekly_km), None
    km = 30.0
    return p.minutes_for_km(Intensity.E, km), rules.default(
        f"Your weekly volume is not known, so the plan starts from {km:g} km a week; set it "
        "with --weekly-km or --weekly-min."
    )


def _frames(athlete: Athlete, race: Race, start: date, p: Prescriber) -> list[_WeekFrame]:
    first_monday = start - timedelta(days=start.weekday())
    race_monday = race.date - timedelta(days=race.date.weekday())
    n = (race_monday - first_monday).days // 7 + 1
    n_taper = min(taper_weeks(race), n - 1)
    week_phases = phases(n, n_taper)
    run_days = set(run_days_of(athlete))
    v0, _ = current_weekly_min(athlete, p)
    v0 = min(v0, MAX_WEEK_MIN)
    peak = min(v0 * PEAK_FACTOR[race.distance], MAX_WEEK_MIN)
    # trailmix default: runners over 50 take a cut-back every third week instead of every fourth.
    cycle = 3 if (athlete.age or 0) >= 50 else 4
    frames: list[_WeekFrame] = []
    level = v0
    pre_taper = [i for i, ph in enumerate(week_phases) if ph is not Phase.TAPER]
    last_pre = pre_taper[-1] if pre_taper else -1
    taper_i = 0
    for i, phase in enumerate(week_phases):
        wk_start = first_monday + timedelta(weeks=i)
        days = tuple(
            d
            for d in (wk_start + timedelta(days=k) for k in range(7))
            if start <= d <= race.date and (Weekday(d.weekday()) in run_days or d == race.date)
        )
        if race.date in days and len(days) > len(run_days):
            # The race is an extra day this week: the run closest before it becomes rest.
            days = tuple(d for d in days if d != max(d for d in days if d < race.date))
        cutback = False
        share: float | None = None
        if phase is Phase.TAPER:
            # A one-week taper (5K/10K on a weekend) runs half the volume: a 50 % cut.
            share = TAPER_SHARES[min(taper_i, len(TAPER_SHARES) - 1)] if n_taper == 2 else 0.50
            target = level * share
            taper_i += 1
        else:
            if i > 0 and (i + 1) % cycle == 0 and i != last_pre:
                cutback = True
                target = level * CUTBACK_FACTOR
            else:
                if i > 0:
                    level = min(level * (1 + RAMP_STEP), max(peak, v0))
                target = level
        if wk_start < start:
            # A plan starting mid-week asks only for the days left in that week.
            target *= (7 - (start - wk_start).days) / 7
        partial = wk_start < start
        frames.append(_WeekFrame(i + 1, wk_start, phase, days, target, cutback, share, partial))
    return frames


def _quality_days(days: list[date], long_day: date | None, count: int) -> list[date]:
    """Quality days spread as far as possible from each other and from the long run."""
    if count <= 0:
        return []
    candidates = [d for d in days if d != long_day]
    anchors = [long_day] if long_day else []

    def gap(a: date, b: date) -> int:
        return min((a - b).days % 7, (b - a).days % 7)

    best: list[date] = []
    best_score = -1
    from itertools import combinations

    for combo in combinations(candidates, min(count, len(candidates))):
        pts = anchors + list(combo)
        score = min((gap(a, b) for a, b in combinations(pts, 2)), default=7)
        if score > best_score:
            best, best_score = list(combo), score
    if len(best) > 1 and best_score < 2:
        best = best[:1]
    return sorted(best)


@dataclass(frozen=True)
class _Ctx:
    athlete: Athlete
    race: Race
    p: Prescriber
    race_pace: tuple[float, float]
    week_km: float


def _quality_plan(distance: RaceDistance, phase: Phase, n: int, n_days: int) -> list[str]:
    """Which quality sessions a week holds, by race distance and phase (Daniels' phases I-IV,
    as trailmix defaults: base is E plus strides, build adds T and I, peak turns race-specific,
    the taper keeps intensity with less volume)."""
    by_phase: dict[Phase, dict[RaceDistance, list[str]]] = {
        Phase.BASE: {
            RaceDistance.K5: ["strides", "fartlek"],
            RaceDistance.K10: ["strides", "fartlek"],
            RaceDistance.HALF: ["strides", "steady"],
            RaceDistance.MARATHON: ["strides", "steady"],
        },
        Phase.BUILD: {
            RaceDistance.K5: ["intervals", "tempo"],
            RaceDistance.K10: ["intervals", "tempo"],
            RaceDistance.HALF: ["tempo", "intervals"],
            RaceDistance.MARATHON: ["tempo", "intervals"],
        },
        Phase.PEAK: {
            RaceDistance.K5: ["race_pace", "reps"],
            RaceDistance.K10: ["race_pace", "tempo"],
            RaceDistance.HALF: ["race_pace", "intervals"],
            RaceDistance.MARATHON: ["race_pace", "tempo"],
        },
        Phase.TAPER: {d: ["race_pace", "strides"] for d in RaceDistance},
    }
    wanted = by_phase[phase][distance]
    if n_days <= 3 or (phase is Phase.BASE and n_days < 5):
        wanted = wanted[:1]
    return wanted[:n]


_QUALITY_NATURAL = {
    # minutes of work as a share of the week (Daniels: T <= 10 %, I <= 8 % of weekly volume)
    "tempo": 0.10,
    "intervals": 0.08,
    "reps": 0.05,
    "race_pace": 0.12,
    "fartlek": 0.08,
    "steady": 0.15,
    "strides": 0.0,
}


def _build_quality(
    ctx: _Ctx, name: str, day: date, budget: float, week_min: float, phase: Phase
) -> Session:
    p, distance = ctx.p, ctx.race.distance
    work_cap = max(8.0, _QUALITY_NATURAL.get(name, 0.1) * week_min)
    reasons: list[Reason] = []
    race_specific = False
    if name == "tempo":
        w = workouts.tempo(p, budget, work_cap)
        kind, intensity = Kind.TEMPO, Intensity.T
        reasons.append(
            rules.source(
                "Daniels",
                "Threshold (T) running raises the pace you can hold for about an hour; "
                "T work is kept under 10 % of the week.",
            )
        )
    elif name == "intervals":
        w = workouts.intervals(p, budget, work_cap)
        kind, intensity = Kind.INTERVALS, Intensity.I
        reasons.append(
            rules.source(
                "Daniels",
                "Intervals at I pace build VO2max: 2-5 min bouts, jog recoveries no longer than "
                "the bout, under 8 % of the week.",
            )
        )
    elif name == "reps":
        w = workouts.repetitions(p, budget, work_cap)
        kind, intensity = Kind.INTERVALS, Intensity.R
        reasons.append(
            rules.source(
                "Daniels", "Repetitions at R pace sharpen speed and economy for a 5K finish."
            )
        )
    elif name == "race_pace":
        w = workouts.race_pace(p, budget, work_cap, distance.label, ctx.race_pace)
        kind = Kind.TEMPO if distance in (RaceDistance.HALF, RaceDistance.K10) else Kind.STEADY
        if distance is RaceDistance.K5:
            kind = Kind.INTERVALS
        intensity, race_specific = Intensity.M, True
        reasons.append(
            rules.default(
                f"Race-specific work at your goal {distance.label} pace teaches the rhythm of "
                "race day."
            )
        )
        if phase is Phase.TAPER:
            reasons.append(
                rules.source(
                    "Bosquet 2007",
                    "In the taper the volume drops but the intensity stays: keep this short and "
                    "sharp.",
                )
            )
    elif name == "fartlek":
        w = workouts.intervals(p, budget, work_cap, Intensity.I, True, "I effort")
        w = workouts.Workout(w.steps, "Fartlek: " + w.title.replace(" @ I effort", " hard"))
        kind, intensity = Kind.FARTLEK, Intensity.I
        reasons.append(
            rules.default("A fartlek brings some faster running into the base phase, by feel.")
        )
    elif name == "steady":
        w = workouts.continuous(p, budget, Intensity.M, f"Steady {round(budget)} min")
        kind, intensity = Kind.STEADY, Intensity.M
        reasons.append(
            rules.default(
                "A steady run at a moderate effort builds the aerobic base for long races."
            )
        )
    else:  # strides
        w = workouts.strides(p, budget)
        kind, intensity = Kind.STRIDES, Intensity.E
        reasons.append(
            rules.source(
                "Daniels",
                "Strides keep your legs quick while the base is built, without adding fatigue.",
            )
        )
    minutes = w.minutes
    target = p.target(intensity, minutes=minutes, rpe=_session_rpe(w))
    if w.distance_km is None:
        target = replace(target, distance_km=None)
    return Session(
        date=day,
        kind=kind,
        title=w.title,
        target=replace(target, pace_s_per_km=_work_pace(w) or target.pace_s_per_km),
        intensity=intensity,
        steps=w.steps,
        reasons=tuple(reasons),
        race_specific=race_specific,
    )


def _session_rpe(w: workouts.Workout) -> tuple[int, int]:
    """The effort of a session is the effort of its hardest step (strides excepted: they are
    a few seconds on an easy run, whose effort the session keeps)."""
    if w.title.startswith("Easy") and "strides" in w.title:
        return (3, 4)
    best = (1, 1)
    stack = list(w.steps)
    while stack:
        s = stack.pop()
        stack.extend(s.steps)
        if s.type.value in ("work", "steady") and s.target.rpe > best:
            best = s.target.rpe
    return best if best != (1, 1) else (3, 4)


def _work_pace(w: workouts.Workout) -> tuple[float, float] | None:
    stack = list(w.steps)
    while stack:
        s = stack.pop(0)
        stack.extend(s.steps)
        if s.type.value == "work" and s.target.pace_s_per_km:
            return s.target.pace_s_per_km
    return None


def _easy(ctx: _Ctx, day: date, minutes: float, recovery: bool) -> Session:
    intensity = Intensity.RECOVERY if recovery else Intensity.E
    label = "Recovery" if recovery else "Easy"
    w = workouts.continuous(ctx.p, minutes, intensity, f"{label} {round(minutes)} min")
    reason = (
        rules.default(
            "The day after a hard session or the long run is a short, very easy recovery run."
        )
        if recovery
        else rules.source(
            "Daniels",
            "Easy (E) running builds the aerobic base and the legs with little fatigue; it is "
            "most of the week.",
        )
    )
    return Session(
        date=day,
        kind=Kind.RECOVERY if recovery else Kind.EASY,
        title=w.title,
        target=ctx.p.target(intensity, minutes=minutes, km=w.distance_km),
        intensity=intensity,
        steps=w.steps,
        reasons=(reason,),
    )


def _long(ctx: _Ctx, day: date, minutes: float) -> Session:
    p, d = ctx.p, ctx.race.distance
    km = p.km_for_minutes(Intensity.E, minutes)
    km = max(1.0, math.floor(km * 2) / 2)  # whole or half kilometres, rounded down
    minutes = p.minutes_for_km(Intensity.E, km)
    if minutes < MIN_TAPER_RUN_MIN:
        km = math.ceil(p.km_for_minutes(Intensity.E, MIN_TAPER_RUN_MIN) * 2) / 2
        minutes = p.minutes_for_km(Intensity.E, km)
    w = workouts.continuous(p, minutes, Intensity.E, f"Long run {km:g} km")
    return Session(
        date=day,
        kind=Kind.LONG,
        title=w.title,
        target=p.target(Intensity.E, minutes=minutes, km=km),
        intensity=Intensity.E,
        steps=w.steps,
        reasons=(
            rules.source(
                "Daniels",
                f"The long run builds endurance; it is kept under "
                f"{long_share_cap(len(run_days_of(ctx.athlete))):.0%} of the "
                f"week, {LONG_KM_CAP[d]:g} km and {LONG_MIN_CAP[d]:g} min for a {d.label}.",
            ),
        ),
    )


def _race_session(ctx: _Ctx) -> Session:
    race = ctx.race
    km = race.distance.km
    minutes = km * (ctx.race_pace[0] + ctx.race_pace[1]) / 2 / 60
    name = race.name or f"{race.distance.label} race"
    target = Target(
        duration_min=round(minutes, 1),
        distance_km=round(km, 3),
        pace_s_per_km=ctx.race_pace,
        rpe=RACE_RPE[race.distance],
        hr_bpm=None,
    )
    return Session(
        date=race.date,
        kind=Kind.RACE,
        title=f"Race day: {name}",
        target=target,
        intensity=Intensity.RACE,
        steps=(Step(StepType.WORK, target, "race"),),
        reasons=(Reason("goal race", f"Your {race.distance.label}: the day this plan leads to."),),
        race_specific=True,
    )


def _week_sessions(ctx: _Ctx, f: _WeekFrame, n_days_per_week: int) -> list[Session]:
    athlete, race = ctx.athlete, ctx.race
    days = [d for d in f.days if d != race.date]
    has_race = race.date in f.days
    long_day = next((d for d in days if d.weekday() == athlete.long_run_day), None)
    if has_race or (f.partial and len(days) < 3):
        # Race week: the race is the long effort. A short first week just starts easy.
        long_day = None
    n_quality = 0 if not days else min(2, max(0, len(days) - (2 if long_day else 1)))
    if f.partial and len(days) < 3:
        n_quality = 0
    names = _quality_plan(race.distance, f.phase, n_quality, n_days_per_week)
    if has_race:
        # Race week: one short race-pace session at least 3 days out, strides closer to the day.
        names = [n for n in ["race_pace", "strides"] if n][: max(0, len(days) - 1)]
        q_days = _race_week_days(days, race.date, len(names))
    else:
        q_days = _quality_days(days, long_day, len(names))
    names = names[: len(q_days)]
    # Budgets: long run, quality sessions at their natural size, easy runs share the rest.
    v = f.target_min
    if f.taper_share is not None and has_race:
        # Race week: the share of a normal week's run days that fall before the race.
        v = v * len(days) / n_days_per_week
    long_min = 0.0
    if long_day:
        d = race.distance
        long_min = min(
            long_share(n_days_per_week) * v,
            LONG_MIN_CAP[d],
            ctx.p.minutes_for_km(Intensity.E, LONG_KM_CAP[d]),
        )
    q_budgets = [_natural_budget(n, v) for n in names]
    others = [d for d in days if d not in q_days and d != long_day]
    rest = v - long_min - sum(q_budgets)
    easy_each = rest / len(others) if others else 0.0
    floor = MIN_TAPER_RUN_MIN if f.phase is Phase.TAPER else MIN_RUN_MIN
    if others and easy_each < floor:
        # Not enough volume for everything at natural size: scale quality and long run down.
        need = floor * len(others) - rest
        scalable = long_min + sum(q_budgets)
        k = max(0.4, 1 - need / scalable) if scalable else 1.0
        long_min *= k
        q_budgets = [b * k for b in q_budgets]
        easy_each = floor
    # trailmix default: an easy run stays under 75 min (90 for a 3-day runner), or under 18 %
    # (30 % with 3 days) of a big week, else it is a second long run.
    cap = max(MAX_EASY_MIN, 0.18 * v) if n_days_per_week > 3 else max(90.0, 0.30 * v)
    easy_each = min(easy_each, cap)
    if long_min:
        easy_each = min(easy_each, long_min)  # the long run stays the longest run
    sessions: list[Session] = []
    hard_days = {*q_days, *([long_day] if long_day else [])}
    for day in days:
        if day == long_day:
            sessions.append(_long(ctx, day, long_min))
        elif day in q_days:
            i = q_days.index(day)
            sessions.append(_build_quality(ctx, names[i], day, q_budgets[i], v, f.phase))
        else:
            after_hard = (day - timedelta(days=1)) in hard_days
            recovery = after_hard and n_days_per_week >= 4
            minutes = max(floor, easy_each * (0.75 if recovery else 1.0))
            sessions.append(_easy(ctx, day, round(minutes), recovery))
    if f.phase is Phase.TAPER:
        sessions = _fit_taper(sessions, v, has_race)
    if has_race:
        sessions.append(_race_session(ctx))
    return sessions


def _fit_taper(sessions: list[Session], target: float, race_week: bool) -> list[Session]:
    """Bring a taper week down to its volume (Bosquet 2007): shorten the easy runs and the long
    run first; when the sessions' minimum lengths still leave too much, drop easy runs (keeping
    one before race week; in race week strides may go too), which only a very low-volume week
    needs."""
    total = sum(s.duration_min for s in sessions)
    if total <= target:
        return sessions
    flexible = [s for s in sessions if s.kind in (Kind.EASY, Kind.RECOVERY, Kind.LONG)]
    pool = sum(s.duration_min - MIN_TAPER_RUN_MIN for s in flexible)
    cut = total - target
    out: list[Session] = []
    for s in sessions:
        if s in flexible and pool > 0:
            share = (s.duration_min - MIN_TAPER_RUN_MIN) / pool
            s = resize_run(s, max(MIN_TAPER_RUN_MIN, math.floor(s.duration_min - cut * share)))
        out.append(s)
    easy = [s for s in out if s.kind in (Kind.EASY, Kind.RECOVERY)]
    if race_week:
        easy += [s for s in out if s.kind is Kind.STRIDES]
    while len(easy) > (0 if race_week else 1):
        now = sum(s.duration_min for s in out)
        after = now - easy[0].duration_min
        if now <= target or abs(after - target) >= abs(now - target):
            break
        out.remove(easy.pop(0))
    return out


def _race_week_days(days: list[date], race_day: date, count: int) -> list[date]:
    picks: list[date] = []
    far = [d for d in days if (race_day - d).days >= 3]
    if far and count >= 1:
        picks.append(far[-1] if (race_day - far[-1]).days <= 5 else far[0])
    near = [d for d in days if 1 <= (race_day - d).days <= 2 and d not in picks]
    if near and count >= 2:
        picks.append(near[0])
    return sorted(picks)


def _natural_budget(name: str, week_min: float) -> float:
    """A quality session's natural length: warm-up, work sized to the week, cool-down."""
    if name == "strides":
        return max(30.0, min(50.0, 0.12 * week_min))
    if name == "steady":
        return max(30.0, min(70.0, _QUALITY_NATURAL["steady"] * week_min + 15))
    work = _QUALITY_NATURAL.get(name, 0.1) * week_min
    recov = work if name in ("intervals", "fartlek") else (2 * work if name == "reps" else 0)
    return max(30.0, min(100.0, workouts.WARMUP_MIN + workouts.COOLDOWN_MIN + work + recov))


def _phase_reason(f: _WeekFrame) -> Reason:
    if f.phase is Phase.TAPER:
        return rules.source(
            "Bosquet 2007",
            "Taper: about two weeks with the volume cut by 41-60 % and the intensity kept, "
            "so you arrive fresh and sharp.",
        )
    if f.cutback:
        return rules.default(
            f"Cut-back week: {CUTBACK_FACTOR:.0%} of last week's volume to absorb the training "
            "(every 3-4 weeks)."
        )
    text = {
        Phase.BASE: "Base phase: easy volume and strides build the engine.",
        Phase.BUILD: "Build phase: threshold and interval work on top of the base.",
        Phase.PEAK: "Peak phase: race-specific work at goal pace.",
    }[f.phase]
    return rules.default(text)


def enforce_ramp(weeks: list[Week], first_full: int, days: int) -> list[Week]:
    """Shorten easy runs where a week would rise more than RAMP_BOUND over its reference week
    (the week before, or the week before a cut-back week)."""
    out: list[Week] = []
    for i, w in enumerate(weeks):
        w = _cap_long(w, days)
        if i > first_full and w.phase is not Phase.TAPER:
            ref_i = i - 2 if (weeks[i - 1].cutback and i - 2 >= first_full) else i - 1
            ref = out[ref_i].summary.total_min
            total = w.summary.total_min
            allowed = ref * (1 + RAMP_BOUND)
            if total > allowed:
                w = _cap_long(_shrink(w, total - allowed), days)
        out.append(w)
    return out


def _cap_long(week: Week, days: int) -> Week:
    """Keep the long run within its share of the week it ends up in (Daniels; fewer days,
    `long_share_cap`), and still the longest run: no easy run is left longer than it."""
    cap = long_share_cap(days)
    out = list(week.sessions)
    for _ in range(6):  # each pass only shortens; a few settle both conditions
        total = sum(s.running_min for s in out)
        changed = False
        for i, s in enumerate(out):
            if s.kind is Kind.LONG and s.duration_min > cap * total + 0.01:
                limit = cap * (total - s.duration_min) / (1 - cap)
                out[i] = resize_run(s, math.floor(limit))
                changed = True
        long_min = max((s.duration_min for s in out if s.kind is Kind.LONG), default=None)
        for i, s in enumerate(out):
            easy = s.kind in (Kind.EASY, Kind.RECOVERY)
            if long_min is not None and easy and s.duration_min > long_min:
                out[i] = resize_run(s, math.floor(long_min))
                changed = True
        if not changed:
            break
    return replace(week, sessions=tuple(out))


def _shrink(week: Week, excess: float) -> Week:
    easy = [s for s in week.sessions if s.kind in (Kind.EASY, Kind.RECOVERY, Kind.LONG)]
    pool = sum(s.duration_min - MIN_TAPER_RUN_MIN for s in easy)
    if pool <= 0:
        return week
    k = min(1.0, (excess + 0.5) / pool)
    new: list[Session] = []
    for s in week.sessions:
        if s in easy:
            minutes = math.floor(s.duration_min - k * (s.duration_min - MIN_TAPER_RUN_MIN))
            s = resize_run(s, minutes)
        new.append(s)
    return replace(week, sessions=tuple(new))


def resize_run(s: Session, minutes: float) -> Session:
    """A continuous run resized to `minutes` (distance follows at the same pace)."""
    old = s.duration_min or 1.0
    km = s.target.distance_km * minutes / old if s.target.distance_km else None
    target = replace(s.target, duration_min=round(minutes, 1), distance_km=km and round(km, 2))
    steps = tuple(
        replace(st, target=replace(st.target, duration_min=target.duration_min, distance_km=km))
        for st in s.steps
    )
    title = s.title
    if s.kind is Kind.LONG and km:
        title = f"Long run {km:.1f} km"
    elif s.kind in (Kind.EASY, Kind.RECOVERY):
        title = f"{'Recovery' if s.kind is Kind.RECOVERY else 'Easy'} {round(minutes)} min"
    return replace(s, target=target, steps=steps, title=title)


def plan_road(athlete: Athlete, race: Race, start: date, min_days: int = MIN_PLAN_DAYS) -> Plan:
    """A periodized road plan from `start` to race day; raises InputError on impossible input."""
    validate(athlete, race, start, min_days)
    fit_vdot = fitness_vdot(athlete, race)
    paces = vdot.training_paces(fit_vdot)
    hr = heart_rate_model(athlete)
    p = Prescriber(paces, hr)
    if race.goal_time_s is not None:
        rp = race.goal_time_s / race.distance.km
    else:
        rp = vdot.race_pace(fit_vdot, race.distance.km)
    race_pace_range = (round(rp - 3, 1), round(rp + 3, 1))
    v0, volume_note = current_weekly_min(athlete, p)
    ctx = _Ctx(athlete, race, p, race_pace_range, p.km_for_minutes(Intensity.E, v0))
    frames = _frames(athlete, race, start, p)
    n_days = len(run_days_of(athlete))
    first_full = 0 if start.weekday() == 0 else 1

    def build(f: _WeekFrame) -> Week:
        sessions = [s.with_reason(_phase_reason(f)) for s in _week_sessions(ctx, f, n_days)]
        return Week(f.index, f.start, f.phase, tuple(sessions), cutback=f.cutback)

    weeks = enforce_ramp(
        [build(f) for f in frames if f.phase is not Phase.TAPER], first_full, n_days
    )
    # The taper is cut from the volume actually run in the last full pre-taper week.
    full = [w for w in weeks if w.start >= start]
    for f in frames:
        if f.phase is Phase.TAPER:
            if full and f.taper_share is not None:
                f = replace(f, target_min=full[-1].summary.total_min * f.taper_share)
            weeks.append(_cap_long(build(f), n_days))
    warnings: list[Reason] = []
    if volume_note:
        warnings.append(volume_note)
    n_weeks = len(weeks)
    if n_weeks < RECOMMENDED_WEEKS[race.distance]:
        warnings.append(
            Reason(
                "coaching convention",
                f"{n_weeks} weeks is short for a {race.distance.label} (usually "
                f"{RECOMMENDED_WEEKS[race.distance]}+ weeks): the plan compresses its phases.",
            )
        )
    longest = max(
        (s.target.distance_km or 0.0 for w in weeks for s in w.sessions if s.kind is Kind.LONG),
        default=0.0,
    )
    wanted = LONG_RUN_WANTED_KM.get(race.distance)
    if wanted is not None and longest < wanted:
        warnings.append(
            Reason(
                "coaching convention",
                f"Your longest run is {longest:g} km: {race.distance.label} plans usually reach "
                f"{wanted:g} km or more. From your current volume the long run stays within its "
                "share of the week; more weekly volume or a longer build would let it grow.",
            )
        )
    if athlete.recent_race and race.goal_time_s:
        goal_vdot = vdot.vdot_from_race(race.distance.km * 1000, race.goal_time_s)
        if goal_vdot > fit_vdot + 3:
            warnings.append(
                rules.source(
                    "Daniels",
                    f"Your goal asks for VDOT {goal_vdot:.1f}, your recent race shows "
                    f"{fit_vdot:.1f}: training paces follow your current fitness, race-pace work "
                    "your goal.",
                )
            )
    return Plan(
        race=race,
        athlete=athlete,
        start=start,
        weeks=tuple(weeks),
        paces=paces,
        hr_method=hr.method if hr else None,
        warnings=tuple(warnings),
    )


def taper_drop(plan: Plan) -> float | None:
    """Volume cut of the taper (Bosquet 2007): 1 - (running minutes per run day in the taper,
    race excluded) / (running minutes per run day in the last full pre-taper week).

    Per run day, so a race early in its week (few run days left before it) is measured fairly.
    None without a full pre-taper week or without run days in the taper.
    """
    pre = [w for w in plan.weeks if w.phase is not Phase.TAPER and w.start >= plan.start]
    taper = [w for w in plan.weeks if w.phase is Phase.TAPER]
    run_days = set(run_days_of(plan.athlete))
    if not pre or not taper:
        return None
    ref = pre[-1].summary.total_min / len(run_days)
    days = 0
    minutes = 0.0
    for w in taper:
        week_days = [
            d
            for d in (w.start + timedelta(days=k) for k in range(7))
            if plan.start <= d < plan.race.date and d.weekday() in run_days
        ]
        if w.start <= plan.race.date <= w.end and len(week_days) + 1 > len(run_days):
            week_days.pop()  # the race took one run day's place (see _frames)
        days += len(week_days)
        minutes += sum(s.running_min for s in w.sessions if s.kind is not Kind.RACE)
    if days == 0 or ref == 0:
        return None
    return 1 - (minutes / days) / ref
