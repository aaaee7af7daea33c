"""The road-race plan generator: a periodized week-by-week road plan from start to race day.

Sources (science.md): Daniels for intensities and session limits in km (section 4), Higdon and
Pfitzinger for the long run (section 9), Bosquet et al. 2007 and Mujika & Padilla 2003 for a
progressive taper (sections 5, 9), Nielsen 2014 for the weekly ramp bound (section 5); the
numbers with their sources are in `norms.py` (docs/plan-quality.md). Where no source decides,
the choice is marked as a trailmix default here and in the session's reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from trailmix.domain import rules
from trailmix.domain.effort import RACE_RPE, heart_rate_model
from trailmix.domain.plan import norms, vdot, workouts
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

# Long run: its share of the week grows with fewer run days (norms.LONG_SHARE_CAP_BY_DAYS:
# Higdon's 4-5 day plans reach 40-50 %, Pfitzinger's 6-day 18/55 ~37 %, Daniels' 25-30 % for
# 6-7 days), and it is capped by distance and time (norms.LONG_MAX_MIN).


def long_share_cap(days: int) -> float:
    """The long run's largest share of a week for a runner running `days` days a week."""
    return norms.LONG_SHARE_CAP_BY_DAYS[min(max(days, MIN_DAYS), MAX_DAYS)]


def usual_long_share(days: int) -> float:
    """trailmix default: a runner's current long run is taken as 80 % of the cap's share of the
    current week (e.g. 36 % of the week for 5 days): where the long-run build starts."""
    return 0.8 * long_share_cap(days)


LONG_KM_CAP = {
    RaceDistance.K5: 16.0,
    RaceDistance.K10: 19.0,
    RaceDistance.HALF: 22.0,
    RaceDistance.MARATHON: 32.0,
}
LONG_MIN_CAP = norms.LONG_MAX_MIN

# The taper (norms.TAPER_SHARES): progressive (Mujika & Padilla 2003), ~3 weeks for a marathon,
# ~2 for a half, 7-10 days for 5K/10K, cutting 41-60 % over the last two weeks (Bosquet 2007).
TAPER_DROP_RANGE = norms.TAPER_DROP_RANGE
LONG_RUN_WANTED_KM = norms.LONG_NORM_KM

# trailmix default: a long-run-driven build may raise a half or marathon runner's weekly volume
# to at most twice the current one (Higdon's Novice 1 goes from ~24 to ~64 km, 2.7 times).
MAX_PEAK_FACTOR = 2.0

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
    5: (0, 2, 3, 4, 5),  # the eve of the long run and the day after it are rest days
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}

MIN_RUN_MIN = 20.0
MIN_RUN_MIN_PER_DAY = 30.0  # trailmix default: below this a week has too many days for its volume
MIN_TAPER_RUN_MIN = 15.0
MAX_RECOVERY_MIN = 60.0
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
    long_km: float | None = None


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


def _early_race(race: Race) -> bool:
    """A race on a Monday to Wednesday leaves its calendar week almost empty: the taper's last
    step is then the week before as well (trailmix default)."""
    return race.date.weekday() <= 2


def taper_weeks(race: Race) -> int:
    """Taper length in calendar weeks (norms.TAPER_SHARES): 3 for a marathon, 2 for a half,
    one more when the race falls early in its week; 5K/10K one week when the race falls on a
    weekend, else the cut starts the week before (7-10 days)."""
    if race.distance in (RaceDistance.K5, RaceDistance.K10):
        return 1 if race.date.weekday() >= 5 else 2
    return len(norms.TAPER_SHARES[race.distance]) + (1 if _early_race(race) else 0)


def _taper_shares(race: Race, n_taper: int) -> tuple[float, ...]:
    if race.distance in (RaceDistance.K5, RaceDistance.K10):
        return norms.SHORT_TAPER_SHARES[min(n_taper, 2)][-n_taper:]
    shares = norms.TAPER_SHARES[race.distance]
    if _early_race(race):
        # The week before an early-week race is nearly its last week: midway between the two
        # last steps, the race week's few days at the last.
        shares = (*shares[:-1], round((shares[-2] + shares[-1]) / 2, 3), shares[-1])
    return shares[-n_taper:]


def _taper_long_shares(race: Race, n_taper: int) -> tuple[float | None, ...]:
    """The taper's long runs as shares of the peak one (norms.TAPER_LONG), aligned with the
    taper weeks: none in race week, nor in the week before an early-week race."""
    shares: tuple[float | None, ...] = norms.TAPER_LONG[race.distance]
    if race.distance in (RaceDistance.K5, RaceDistance.K10):
        shares = shares[: taper_weeks(race) - 1]
    shares = (*shares, None)
    if race.distance in (RaceDistance.HALF, RaceDistance.MARATHON) and _early_race(race):
        shares = (*shares, None)
    return shares[-n_taper:]


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


def peak_long_km(athlete: Athlete, race: Race, p: Prescriber) -> float:
    """The long run this plan builds to: the race's usual peak (norms.LONG_PEAK_KM), within the
    distance cap and the time limit at the runner's easy pace."""
    d = race.distance
    by_time = p.km_for_minutes(Intensity.E, LONG_MIN_CAP[d])
    return min(norms.LONG_PEAK_KM[d], LONG_KM_CAP[d], math.floor(by_time * 2) / 2)


def _peak_volume(athlete: Athlete, race: Race, p: Prescriber, v0: float) -> float:
    """Peak weekly minutes: the trailmix default multiple of the current volume, raised for a
    half or marathon runner to what the peak long run needs at the long run's share of the week
    (Higdon's novice plans build the week around the long run), at most MAX_PEAK_FACTOR."""
    d = race.distance
    peak = v0 * PEAK_FACTOR[d]
    if d in (RaceDistance.HALF, RaceDistance.MARATHON):
        need = p.minutes_for_km(Intensity.E, peak_long_km(athlete, race, p)) / long_share_cap(
            _days(athlete)
        )
        peak = max(peak, min(need, v0 * MAX_PEAK_FACTOR))
    return min(peak, MAX_WEEK_MIN)


def _long_schedule(
    athlete: Athlete, race: Race, p: Prescriber, v0: float, frames: list[_WeekFrame]
) -> list[float | None]:
    """The long run's distance week by week (km; None in race week). It starts from the
    runner's usual long run, grows by an even 1-2.5 km a build week (Higdon) to reach the peak
    about three build weeks before the taper, steps back to 75 % in cut-back weeks (Higdon),
    alternates a peak run with one of at most 85 % of it for a marathon (Pfitzinger 18/55),
    and steps down through the taper (norms.TAPER_LONG)."""
    d = race.distance
    days = _days(athlete)
    share = long_share_cap(days)
    peak = peak_long_km(athlete, race, p)
    start_km = min(peak, usual_long_share(days) * p.km_for_minutes(Intensity.E, v0))
    pre = [f for f in frames if f.phase is not Phase.TAPER]
    ups = sum(1 for f in pre[1:] if not f.cutback)
    lo, hi = norms.LONG_STEP_KM

    def room(f: _WeekFrame) -> float:
        """The longest long run the week's volume holds at the long run's share."""
        return share * p.km_for_minutes(Intensity.E, f.target_min)

    # The peak the weeks can hold: alternation is measured against it (Pfitzinger 18/55).
    top = min(peak, max((room(f) for f in pre), default=peak))
    step = min(hi, max(lo, (peak - start_km) / max(1, ups - 2)))
    out: list[float | None] = []
    level = start_km
    prev = 0.0
    reached = start_km
    taper_i = 0
    taper_long = _taper_long_shares(race, sum(1 for f in frames if f.phase is Phase.TAPER))
    for i, f in enumerate(frames):
        if f.phase is Phase.TAPER:
            k = taper_long[taper_i]
            taper_i += 1
            out.append(None if k is None else k * reached)
            continue
        if f.cutback:
            km = min(norms.LONG_CUTBACK * level, room(f))
        else:
            if i > 0:
                level = min(peak, level + step)
            km = min(level, room(f))
            if d is RaceDistance.MARATHON and prev >= 0.95 * top and km >= 0.95 * top:
                km = norms.LONG_ALTERNATE * top
        reached = max(reached, km)
        prev = km
        out.append(km)
    return out


def _frames(athlete: Athlete, race: Race, start: date, p: Prescriber) -> list[_WeekFrame]:
    first_monday = start - timedelta(days=start.weekday())
    race_monday = race.date - timedelta(days=race.date.weekday())
    n = (race_monday - first_monday).days // 7 + 1
    # A short plan keeps most of its weeks for training: the taper takes at most a quarter.
    n_taper = min(taper_weeks(race), n - 1, max(2, n // 4))
    shares = _taper_shares(race, n_taper)
    week_phases = phases(n, n_taper)
    run_days = set(run_days_of(athlete))
    v0, _ = current_weekly_min(athlete, p)
    v0 = min(v0, MAX_WEEK_MIN)
    peak = _peak_volume(athlete, race, p, v0)
    cycle = 3 if (athlete.age or 0) >= norms.MASTERS_AGE else 4
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
            share = shares[min(taper_i, len(shares) - 1)]
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
    longs = _long_schedule(athlete, race, p, v0, frames)
    return [replace(f, long_km=km) for f, km in zip(frames, longs, strict=True)]


def _quality_days(
    days: list[date], long_day: date | None, count: int, long_dates: frozenset[date] = frozenset()
) -> list[date]:
    """Quality days spread as far as possible from each other and from the long run, this
    week's (counted round the week, as the pattern repeats) and a neighbouring week's (counted
    in days): never the day after a long run when another day will do."""
    if count <= 0:
        return []
    one = timedelta(days=1)
    candidates = [d for d in days if d != long_day]
    anchors = [long_day] if long_day else []
    outside = [d for d in long_dates if d != long_day and days and abs((d - days[0]).days) <= 8]

    def gap(a: date, b: date) -> int:
        return min((a - b).days % 7, (b - a).days % 7)

    best: list[date] = []
    best_score = (-1, -1)
    from itertools import combinations

    for combo in combinations(candidates, min(count, len(candidates))):
        pts = anchors + list(combo)
        inner = min((gap(a, b) for a, b in combinations(pts, 2)), default=7)
        near = min((abs((a - b).days) for a in combo for b in outside), default=7)
        score = (min(inner, near), -sum(1 for d in combo if d - one in long_dates))
        if score > best_score:
            best, best_score = list(combo), score
    if len(best) > 1 and best_score[0] < 2:
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
    # trailmix default: the share of the week a session's work aims at, in minutes; Daniels'
    # limits in km (norms.I_SHARE, T_SHARE, R_SHARE, M_SHARE) cap it in `_work_cap_min`.
    "tempo": 0.10,
    "intervals": 0.08,
    "reps": 0.05,
    "race_pace": 0.12,
    "fartlek": 0.08,
    "steady": 0.15,
    "strides": 0.0,
}


def _work_cap_min(p: Prescriber, name: str, distance: RaceDistance, week_min: float) -> float:
    """The most work minutes a session may hold: Daniels' limits, in km of the week's volume
    (the week counted at easy pace, a little under its real km), at the work's own pace."""
    km = p.km_for_minutes(Intensity.E, week_min)
    if name == "tempo":
        return norms.T_SHARE * km * p.pace_mid(Intensity.T) / 60
    if name in ("intervals", "fartlek"):
        return min(norms.I_SHARE * km, norms.I_MAX_KM) * p.pace_mid(Intensity.I) / 60
    if name == "reps":
        return min(norms.R_SHARE * km, norms.R_MAX_KM) * p.pace_mid(Intensity.R) / 60
    if name == "race_pace":
        if distance in (RaceDistance.K5, RaceDistance.K10):
            return min(norms.I_SHARE * km, norms.I_MAX_KM) * p.pace_mid(Intensity.I) / 60
        if distance is RaceDistance.HALF:
            return norms.T_SHARE * km * p.pace_mid(Intensity.T) / 60
        return min(norms.M_SHARE * km, norms.M_MAX_KM) * p.pace_mid(Intensity.M) / 60
    if name == "steady":
        return min(norms.M_SHARE * km, norms.M_MAX_KM) * p.pace_mid(Intensity.M) / 60
    return _QUALITY_NATURAL.get(name, 0.1) * week_min


def _race_hr(p: Prescriber, distance: RaceDistance) -> tuple[int, int] | None:
    """Heart rate at race pace: Daniels' M for a marathon, T for a half, between T and I for a
    10K, I for a 5K (None without an HR model)."""
    if p.hr is None:
        return None
    if distance is RaceDistance.MARATHON:
        return p.hr.range_for(Intensity.M)
    if distance is RaceDistance.HALF:
        return p.hr.range_for(Intensity.T)
    t, i = p.hr.range_for(Intensity.T), p.hr.range_for(Intensity.I)
    if distance is RaceDistance.K10 and t and i:
        return (t[1], i[0])
    return i


# Effort at race pace (R5's RPE scale): 5K pace is very hard, 10K hard, half comfortably hard,
# marathon moderate (norms.RACE_PACE_REP for 5K/10K; trailmix default for half and marathon).
_RACE_PACE_RPE = {RaceDistance.HALF: (6, 7), RaceDistance.MARATHON: (5, 6)}


def _build_quality(
    ctx: _Ctx, name: str, day: date, budget: float, week_min: float, phase: Phase
) -> Session:
    p, distance = ctx.p, ctx.race.distance
    work_cap = max(4.0, _work_cap_min(p, name, distance, week_min))
    reasons: list[Reason] = []
    race_specific = False
    if name == "tempo":
        w = workouts.tempo(p, budget, work_cap)
        kind, intensity = Kind.TEMPO, Intensity.T
        reasons.append(
            rules.source(
                "Daniels",
                "Threshold (T) running raises the pace you can hold for about an hour; "
                "T work is kept under 10 % of the week's kilometres.",
            )
        )
    elif name == "intervals":
        w = workouts.intervals(p, budget, work_cap)
        kind, intensity = Kind.INTERVALS, Intensity.I
        reasons.append(
            rules.source(
                "Daniels",
                "Intervals at I pace build VO2max: 2-5 min bouts, jog recoveries no longer than "
                "the bout, under 8 % of the week's kilometres and 10 km.",
            )
        )
    elif name == "reps":
        w = workouts.repetitions(p, budget, work_cap)
        kind, intensity = Kind.INTERVALS, Intensity.R
        reasons.append(
            rules.source(
                "Daniels",
                "Repetitions at R pace sharpen speed and economy for a 5K finish; under 5 % of "
                "the week's kilometres.",
            )
        )
    elif name == "race_pace":
        race_specific = True
        hr = _race_hr(p, distance)
        if distance in (RaceDistance.K5, RaceDistance.K10):
            rep_km, rpe = norms.RACE_PACE_REP[distance]
            cap_km = work_cap * 60 / p.pace_mid(Intensity.I)
            w = workouts.race_pace_reps(
                p, budget, cap_km, rep_km, distance.label, ctx.race_pace, rpe, hr
            )
            kind = Kind.INTERVALS
            intensity = Intensity.I if distance is RaceDistance.K5 else Intensity.T
            reasons.append(
                rules.source(
                    "Daniels",
                    f"{distance.label} race pace in reps with short jogs (RPE {rpe[0]}-{rpe[1]}): "
                    "the rhythm of race day in pieces you can hold; at most 8 % of the week's "
                    "kilometres and 10 km.",
                )
            )
        else:
            rpe = _RACE_PACE_RPE[distance]
            own = Intensity.M if distance is RaceDistance.MARATHON else Intensity.T
            # The limit in km, run at goal race pace.
            work = work_cap * p.pace_mid(own) / ((ctx.race_pace[0] + ctx.race_pace[1]) / 2)
            w = workouts.race_pace(p, budget, work, distance.label, ctx.race_pace, rpe, hr)
            kind = Kind.TEMPO if distance is RaceDistance.HALF else Kind.STEADY
            intensity = Intensity.T if distance is RaceDistance.HALF else Intensity.M
            reasons.append(
                rules.source(
                    "Pfitzinger; Hansons" if distance is RaceDistance.MARATHON else "Daniels",
                    f"Race-specific work at your goal {distance.label} pace (RPE {rpe[0]}-"
                    f"{rpe[1]}) teaches the rhythm of race day; "
                    + (
                        "at most 15 % of the week's kilometres and 16 km."
                        if distance is RaceDistance.MARATHON
                        else "at most 10 % of the week's kilometres, like threshold work."
                    ),
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
        w = workouts.steady(p, budget, work_cap)
        kind, intensity = Kind.STEADY, Intensity.M
        reasons.append(
            rules.source(
                "Daniels; Higdon",
                "A steady run with a block at marathon (M) effort builds the aerobic base for "
                "long races (Higdon's pace runs); M work stays under 15 % of the week's "
                "kilometres.",
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


def _quality_name(s: Session) -> str | None:
    """The quality builder a session came from, for the ones Daniels limits in km."""
    if s.kind is Kind.RACE or s.kind is Kind.STRIDES:
        return None
    if s.race_specific:
        return "race_pace"
    if s.kind is Kind.FARTLEK:
        return "fartlek"
    if s.kind is Kind.STEADY:
        return "steady"
    if s.kind is Kind.TEMPO:
        return "tempo"
    if s.kind is Kind.INTERVALS:
        return "reps" if s.intensity is Intensity.R else "intervals"
    return None


def _hold_work_limits(ctx: _Ctx, week: Week) -> Week:
    """Daniels' limits hold on the km the week really runs: a week that ended up shorter than
    planned (easy-run caps, the ramp bound) has its quality work rebuilt, same minutes, less
    work (the rest becomes cool-down)."""
    out = list(week.sessions)
    for _ in range(3):
        week_km = sum(norms.session_km(s) for s in out if s.kind is not Kind.RACE)
        as_min = ctx.p.minutes_for_km(Intensity.E, 0.97 * week_km)
        changed = False
        for i, s in enumerate(out):
            name = _quality_name(s)
            if name is None:
                continue
            cap_min = _work_cap_min(ctx.p, name, ctx.race.distance, as_min)
            own = {
                "tempo": Intensity.T,
                "steady": Intensity.M,
                "reps": Intensity.R,
                "race_pace": Intensity.M
                if ctx.race.distance is RaceDistance.MARATHON
                else (Intensity.T if ctx.race.distance is RaceDistance.HALF else Intensity.I),
            }.get(name, Intensity.I)
            cap_km = cap_min * 60 / ctx.p.pace_mid(own)
            if norms.work_km(s) <= cap_km + 0.05:
                continue
            new = _build_quality(ctx, name, s.date, s.duration_min, as_min, week.phase)
            if new.duration_min > s.duration_min + 0.5 or norms.work_km(new) >= norms.work_km(s):
                continue  # a session's smallest form: nothing shorter to give
            out[i] = replace(new, reasons=s.reasons)
            changed = True
        if not changed:
            break
    return replace(week, sessions=tuple(out))


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


def _easy(
    ctx: _Ctx, day: date, minutes: float, recovery: bool, around: str | None = None
) -> Session:
    intensity = Intensity.RECOVERY if recovery else Intensity.E
    label = "Recovery" if recovery else "Easy"
    w = workouts.continuous(ctx.p, minutes, intensity, f"{label} {round(minutes)} min")
    reasons: list[Reason] = [
        rules.default(
            "The day after a hard session or the long run is a short, very easy recovery run."
        )
        if recovery
        else rules.source(
            "Daniels",
            "Easy (E) running builds the aerobic base and the legs with little fatigue; it is "
            "most of the week.",
        )
    ]
    if around == "eve":
        reasons.append(
            rules.default(
                f"The eve of the long run: rest or a short easy run (at most "
                f"{norms.AROUND_LONG_MAX_MIN:.0f} min), so you start the long run fresh."
            )
        )
    elif around == "after":
        reasons.append(
            rules.source(
                "Pfitzinger",
                f"The day after the long run: a short recovery run (at most "
                f"{norms.AROUND_LONG_MAX_MIN:.0f} min) or rest, while the legs absorb it.",
            )
        )
    return Session(
        date=day,
        kind=Kind.RECOVERY if recovery else Kind.EASY,
        title=w.title,
        target=ctx.p.target(intensity, minutes=minutes, km=w.distance_km),
        intensity=intensity,
        steps=w.steps,
        reasons=tuple(reasons),
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
    days = len(run_days_of(ctx.athlete))
    share = long_share_cap(days)
    return Session(
        date=day,
        kind=Kind.LONG,
        title=w.title,
        target=p.target(Intensity.E, minutes=minutes, km=km),
        intensity=Intensity.E,
        steps=w.steps,
        reasons=(
            rules.source(
                "Higdon" if days <= 5 else ("Pfitzinger" if days == 6 else "Daniels"),
                f"The long run builds endurance. It grows about 1-2 km a build week and steps "
                f"back in cut-back weeks (Higdon); with {days} run days it may take up to "
                f"{share:.0%} of the week, at most {LONG_KM_CAP[d]:g} km and "
                f"{LONG_MIN_CAP[d]:.0f} min for a {d.label}.",
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


def _fill_easy(
    rest: float, weights: dict[date, float], caps: dict[date, float], floor: float
) -> dict[date, float]:
    """Share `rest` minutes over the easy days by weight, none above its cap (what a capped day
    cannot take goes to the others), none below `floor`."""
    alloc: dict[date, float] = {}
    free = dict(weights)
    remaining = rest
    while free:
        total = sum(free.values())
        share = {d: remaining * w / total for d, w in free.items()}
        over = [d for d in free if share[d] > caps[d]]
        if not over:
            alloc.update(share)
            break
        for d in over:
            alloc[d] = caps[d]
            remaining -= caps[d]
            del free[d]
    return {d: max(floor, a) for d, a in alloc.items()}


def _week_sessions(
    ctx: _Ctx, f: _WeekFrame, n_days_per_week: int, long_dates: frozenset[date]
) -> list[Session]:
    athlete, race = ctx.athlete, ctx.race
    days = [d for d in f.days if d != race.date]
    has_race = race.date in f.days
    long_day = next((d for d in days if d in long_dates), None)
    n_quality = 0 if not days else min(2, max(0, len(days) - (2 if long_day else 1)))
    if f.partial and len(days) < 3:
        n_quality = 0
    masters = (athlete.age or 0) >= norms.MASTERS_AGE and n_days_per_week <= 4
    if masters:
        n_quality = min(n_quality, norms.MASTERS_KEYS_FEW_DAYS - (1 if long_day else 0))
    names = _quality_plan(race.distance, f.phase, n_quality, n_days_per_week)
    if has_race:
        # Race week: one short race-pace session at least 3 days out, strides closer to the day.
        names = [n for n in ["race_pace", "strides"] if n][: max(0, len(days) - 1)]
        q_days = _race_week_days(days, race.date, len(names), long_dates)
    else:
        q_days = _quality_days(days, long_day, len(names), long_dates)
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
            ctx.p.minutes_for_km(Intensity.E, f.long_km or 0.0),
            long_share_cap(n_days_per_week) * v,
            LONG_MIN_CAP[d],
            ctx.p.minutes_for_km(Intensity.E, LONG_KM_CAP[d]),
        )
    q_budgets = [_natural_budget(ctx.p, race.distance, n, v) for n in names]
    others = [d for d in days if d not in q_days and d != long_day]
    rest = v - long_min - sum(q_budgets)
    floor = MIN_TAPER_RUN_MIN if f.phase is Phase.TAPER else MIN_RUN_MIN
    if others and rest < floor * len(others):
        # Not enough volume for everything at natural size: scale quality and long run down.
        need = floor * len(others) - rest
        scalable = long_min + sum(q_budgets)
        k = max(0.4, 1 - need / scalable) if scalable else 1.0
        long_min *= k
        q_budgets = [b * k for b in q_budgets]
        rest = floor * len(others)
    # trailmix default: an easy run stays under 75 min (90 for a 3-day runner), or under 18 %
    # (30 % with 3 days) of a big week, else it is a second long run.
    cap = max(MAX_EASY_MIN, 0.18 * v) if n_days_per_week > 3 else max(90.0, 0.30 * v)
    if long_min:
        cap = min(cap, long_min)  # the long run stays the longest run
    # Strides are an easy run with a few seconds of speed: the day after is no recovery day.
    hard_days = {*(d for d, n in zip(q_days, names, strict=False) if n != "strides"), *long_dates}
    one = timedelta(days=1)
    after_long = {d for d in others if d - one in long_dates}
    eve = {d for d in others if d + one in long_dates}
    recovery = {
        d for d in others if d - one in hard_days and (n_days_per_week >= 4 or d in after_long)
    }
    # The eve of the long run and the day after it: short and easy (norms.AROUND_LONG_MAX_MIN).
    caps = {
        d: min(cap, norms.AROUND_LONG_MAX_MIN) if d in after_long or d in eve else cap
        for d in others
    }
    weights = {d: 0.75 if d in recovery else 1.0 for d in others}
    easy = _fill_easy(rest, weights, caps, floor) if others else {}
    # trailmix default: after a quality session a run of more than an hour is a general easy
    # run (Pfitzinger's general aerobic run), not a recovery run.
    recovery = {d for d in recovery if d in after_long or easy[d] <= MAX_RECOVERY_MIN}
    sessions: list[Session] = []
    for day in days:
        if day == long_day:
            sessions.append(_long(ctx, day, long_min))
        elif day in q_days:
            i = q_days.index(day)
            sessions.append(_build_quality(ctx, names[i], day, q_budgets[i], v, f.phase))
        else:
            around = "after" if day in after_long else ("eve" if day in eve else None)
            sessions.append(_easy(ctx, day, round(easy[day]), day in recovery, around))
    if masters and f.phase is not Phase.TAPER:
        sessions = [
            s.with_reason(
                rules.default(
                    f"From {norms.MASTERS_AGE} on, with {n_days_per_week} run days: at most "
                    f"{norms.MASTERS_KEYS_FEW_DAYS} key sessions a week (long run included), "
                    "so each hard day has time to be absorbed (after Pfitzinger's advice "
                    "for masters runners)."
                )
            )
            if norms.is_key(s)
            else s
            for s in sessions
        ]
    if f.phase is Phase.TAPER:
        sessions = _fit_taper(sessions, v, has_race)
    if has_race:
        sessions.append(_race_session(ctx))
    return sessions


def _fit_taper(sessions: list[Session], target: float, race_week: bool) -> list[Session]:
    """Bring a taper week down to its volume (Bosquet 2007): shorten the easy runs first, then
    the long run (it steps down, norms.TAPER_LONG, it does not collapse); when the sessions'
    minimum lengths still leave too much, drop easy runs (keeping one before race week; in race
    week strides may go too), which only a very low-volume week needs."""
    out = list(sessions)
    for kinds in ((Kind.EASY, Kind.RECOVERY), (Kind.LONG,)):
        total = sum(s.duration_min for s in out)
        if total <= target:
            return out
        flexible = [s for s in out if s.kind in kinds]
        pool = sum(s.duration_min - MIN_TAPER_RUN_MIN for s in flexible)
        cut = min(total - target, pool)
        if pool <= 0:
            continue
        out = [
            resize_run(
                s,
                max(
                    MIN_TAPER_RUN_MIN,
                    math.floor(s.duration_min - cut * (s.duration_min - MIN_TAPER_RUN_MIN) / pool),
                ),
            )
            if s in flexible
            else s
            for s in out
        ]
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


def _long_day(f: _WeekFrame, athlete: Athlete, race: Race) -> date | None:
    """The long run's date in a week: its weekday, except in race week (the race is the long
    effort) and in a first week too short to hold one."""
    days = [d for d in f.days if d != race.date]
    if race.date in f.days or (f.partial and len(days) < 3) or f.long_km is None:
        return None
    return next((d for d in days if d.weekday() == athlete.long_run_day), None)


def _race_week_days(
    days: list[date], race_day: date, count: int, long_dates: frozenset[date] = frozenset()
) -> list[date]:
    """Race week: the race-pace session 3-5 days out (not the day after a long run), strides
    1-2 days out."""
    picks: list[date] = []
    far = [d for d in days if (race_day - d).days >= 3 and d - timedelta(days=1) not in long_dates]
    if far and count >= 1:
        picks.append(far[-1] if (race_day - far[-1]).days <= 5 else far[0])
    near = [d for d in days if 1 <= (race_day - d).days <= 2 and d not in picks]
    if near and count >= 2:
        picks.append(near[0])
    return sorted(picks)


def _natural_budget(p: Prescriber, distance: RaceDistance, name: str, week_min: float) -> float:
    """A quality session's natural length: warm-up, work sized to the week, cool-down."""
    if name == "strides":
        return max(30.0, min(50.0, 0.12 * week_min))
    if name == "steady":
        return max(30.0, min(70.0, _QUALITY_NATURAL["steady"] * week_min + 15))
    work = min(
        _QUALITY_NATURAL.get(name, 0.1) * week_min, _work_cap_min(p, name, distance, week_min)
    )
    reps = name == "race_pace" and distance in (RaceDistance.K5, RaceDistance.K10)
    recov = work if name in ("intervals", "fartlek") else (2 * work if name == "reps" else 0)
    recov = 0.6 * work if reps else recov
    return max(30.0, min(100.0, workouts.WARMUP_MIN + workouts.COOLDOWN_MIN + work + recov))


def _phase_reason(f: _WeekFrame, race: Race) -> Reason:
    if f.phase is Phase.TAPER:
        length = {
            RaceDistance.MARATHON: "about three weeks for a marathon (Pfitzinger)",
            RaceDistance.HALF: "about two weeks for a half",
        }.get(race.distance, f"7-10 days for a {race.distance.label}")
        return rules.source(
            "Bosquet 2007; Mujika & Padilla 2003",
            f"Taper, {length}: the volume steps down week by week (this week "
            f"{f.taper_share or 0:.0%} of your last full week), 41-60 % less over the last two "
            "weeks, with the intensity kept, so you arrive fresh and sharp.",
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

    long_dates = frozenset(
        d for d in (_long_day(f, athlete, race) for f in frames) if d is not None
    )

    def build(f: _WeekFrame) -> Week:
        sessions = [
            s.with_reason(_phase_reason(f, race))
            for s in _week_sessions(ctx, f, n_days, long_dates)
        ]
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
    weeks = [_hold_work_limits(ctx, w) for w in weeks]
    warnings: list[Reason] = []
    if volume_note:
        warnings.append(volume_note)
    n_weeks = len(weeks)
    if n_weeks < RECOMMENDED_WEEKS[race.distance]:
        warnings.append(
            Reason(
                "coaching convention",
                f"{n_weeks} weeks is short for a {race.distance.label} (usually "
                f"{RECOMMENDED_WEEKS[race.distance]}+ weeks): the plan compresses its phases. "
                f"A race on or after "
                f"{(start + timedelta(weeks=RECOMMENDED_WEEKS[race.distance])).isoformat()} "
                "would give the full build.",
            )
        )
    longest = max(
        (s.target.distance_km or 0.0 for w in weeks for s in w.sessions if s.kind is Kind.LONG),
        default=0.0,
    )
    wanted = LONG_RUN_WANTED_KM.get(race.distance)
    if wanted is not None and longest < wanted:
        warnings.append(_long_run_advice(athlete, race, start, p, v0, longest, n_weeks))
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


def _hm(minutes: float) -> str:
    h, m = divmod(round(minutes), 60)
    return f"{h}h{m:02d}"


def _long_run_advice(
    athlete: Athlete,
    race: Race,
    start: date,
    p: Prescriber,
    v0: float,
    longest: float,
    n_weeks: int,
) -> Reason:
    """Why the long run stays under the race's norm, and what would reach it: more weeks (a
    later race), more weekly volume, fewer and longer run days, or a smaller goal."""
    d = race.distance
    norm = norms.LONG_NORM_KM[d]
    days = _days(athlete)
    share = long_share_cap(days)
    v0_km = p.km_for_minutes(Intensity.E, v0)
    need_week = norm / share
    why: list[str] = []
    offers: list[str] = []
    norm_min = p.minutes_for_km(Intensity.E, norm)
    if norm_min > LONG_MIN_CAP[d]:
        why.append(
            f"at your easy pace {norm:g} km takes {_hm(norm_min)}, more than the "
            f"{_hm(LONG_MIN_CAP[d])} a long run should last"
        )
        offers.append(
            f"more fitness first (a faster recent race fits {norm:g} km in {_hm(LONG_MIN_CAP[d])})"
        )
    else:
        # Weeks to build the volume (7 % a build week, a cut-back every 4th) and the long run
        # (up to 2.5 km a build week) from where they start.
        reachable = min(need_week, v0_km * MAX_PEAK_FACTOR)
        ups_volume = math.log(max(1.0, reachable / v0_km)) / math.log(1 + RAMP_STEP)
        ups_long = (norm - usual_long_share(days) * v0_km) / norms.LONG_STEP_KM[1]
        weeks_needed = math.ceil(max(ups_volume, ups_long, 0) * 4 / 3) + taper_weeks(race) + 1
        weeks_needed = max(weeks_needed, norms.LONG_NORM_FROM[d][1])
        if n_weeks < weeks_needed:
            later = start + timedelta(weeks=weeks_needed)
            why.append(f"{n_weeks} weeks are too few to build up to it")
            offers.append(f"a later race (on or after {later.isoformat()})")
        if need_week > v0_km * MAX_PEAK_FACTOR:
            why.append(
                f"with {days} run days it needs a week of about {need_week:.0f} km, more than "
                f"twice your {v0_km:.0f} km"
            )
            offers.append(f"building to about {need_week / MAX_PEAK_FACTOR:.0f} km a week first")
            if days >= 6:
                offers.append("fewer, longer run days (--days 5)")
    smaller = {RaceDistance.MARATHON: "a half marathon", RaceDistance.HALF: "a 10K"}[d]
    offers.append(f"a smaller goal ({smaller})")
    return rules.source(
        "Pfitzinger; Higdon" if d is RaceDistance.MARATHON else "Higdon",
        f"Your longest run is {longest:g} km: {d.label} plans usually reach {norm:g} km or "
        f"more, but {' and '.join(why) or 'the long run stays within its share of the week'}. "
        f"What would get you there: {'; '.join(offers)}.",
    )


def taper_drop(plan: Plan) -> float | None:
    """Volume cut of the taper (Bosquet 2007: 41-60 % over ~2 weeks): 1 - (running minutes per
    run day in the last two taper weeks, race excluded) / (running minutes per run day in the
    last full pre-taper week). A marathon's 3-week taper starts a week earlier with a smaller
    cut (Mujika & Padilla 2003's progressive taper), outside Bosquet's window.

    Per run day, so a race early in its week (few run days left before it) is measured fairly.
    None without a full pre-taper week or without run days in the taper.
    """
    pre = [w for w in plan.weeks if w.phase is not Phase.TAPER and w.start >= plan.start]
    taper = [w for w in plan.weeks if w.phase is Phase.TAPER][-2:]
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
