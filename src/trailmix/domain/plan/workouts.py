"""Structured workouts: each builder fits a session's steps into a time budget.

Road workouts follow Daniels (science.md 4: T <= 10 % and I <= 8 % of the week, I bouts of
2-5 min with recovery no longer than the bout). The trail workouts are R11's three harder
sessions (hill repeats, trail fartlek, sustained effort) which the article's cut-off list does
not spell out: their shape is trailmix's design. Every builder returns steps whose durations
add up to the budget it was given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trailmix.domain.plan import norms
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.rules import HILL_REP_MAX_MIN
from trailmix.domain.terrain.population import population_cost
from trailmix.domain.trail.model import Hill
from trailmix.domain.types import Intensity, Step, StepType, Target
from trailmix.domain.units import format_minutes

# trailmix default: warm-up and cool-down of quality sessions (Daniels uses 10-20 min of E).
WARMUP_MIN = 15.0
COOLDOWN_MIN = 10.0
MIN_WARMUP_MIN = 8.0


@dataclass(frozen=True)
class Workout:
    steps: tuple[Step, ...]
    title: str
    distance_km: float | None = None

    @property
    def minutes(self) -> float:
        return sum(s.total_min for s in self.steps)


def _step(
    p: Prescriber,
    kind: StepType,
    intensity: Intensity,
    minutes: float,
    road: bool,
    note: str = "",
    km: float | None = None,
) -> Step:
    return Step(kind, p.target(intensity, minutes=minutes, km=km, road=road), note)


def _warm_cool(
    p: Prescriber, budget: float, road: bool, warmup: float = WARMUP_MIN
) -> tuple[Step, Step, float]:
    """Warm-up and cool-down sized for the budget; returns them and the minutes left for work."""
    scale = min(1.0, budget / 60.0)
    wu = max(MIN_WARMUP_MIN, warmup * max(scale, 0.6))
    cd = max(5.0, COOLDOWN_MIN * max(scale, 0.6))
    wu_step = _step(p, StepType.WARMUP, Intensity.E, wu, road, "easy warm-up")
    cd_step = _step(p, StepType.COOLDOWN, Intensity.E, cd, road, "easy cool-down")
    return wu_step, cd_step, budget - wu - cd


def _with_leftover(p: Prescriber, cd: Step, unused: float, road: bool) -> Step:
    """The cool-down, lengthened by the minutes of the budget the work did not use."""
    return _step(
        p, StepType.COOLDOWN, Intensity.E, cd.total_min + max(0.0, unused), road, "easy cool-down"
    )


def continuous(
    p: Prescriber, minutes: float, intensity: Intensity, title: str, road: bool = True
) -> Workout:
    """An easy, recovery, long or steady run: one step at one intensity."""
    km = p.km_for_minutes(intensity, minutes) if road else None
    step = _step(p, StepType.STEADY, intensity, minutes, road, km=km)
    return Workout((step,), title, round(km, 1) if km is not None else None)


def tempo(p: Prescriber, budget: float, max_work_min: float, road: bool = True) -> Workout:
    """Threshold work: continuous up to 20 min, else cruise intervals with 1-min jogs (Daniels)."""
    wu, cd, left = _warm_cool(p, budget, road)
    work = max(8.0, min(max_work_min, left))
    if work <= 20:
        body: tuple[Step, ...] = (
            _step(p, StepType.WORK, Intensity.T, work, road, "comfortably hard, steady"),
        )
        title = f"Tempo {round(work)} min @ T"
    else:
        reps = max(2, round(work / 10))
        rep = (work - (reps - 1)) / reps
        block = Step(
            StepType.REPEAT,
            Target(rpe=(6, 7)),
            repeat=reps,
            steps=(
                _step(p, StepType.WORK, Intensity.T, rep, road, "cruise interval"),
                _step(p, StepType.RECOVER, Intensity.RECOVERY, 1.0, road, "jog"),
            ),
        )
        body = (block,)
        title = f"Cruise intervals {reps} x {format_minutes(rep)} @ T"
    cd = _with_leftover(p, cd, left - sum(s.total_min for s in body), road)
    return Workout((wu, *body, cd), title)


def intervals(
    p: Prescriber,
    budget: float,
    max_work_min: float,
    intensity: Intensity = Intensity.I,
    road: bool = True,
    label: str = "I",
) -> Workout:
    """Repeats of 2-5 min at I (or race pace) with equal jog recoveries (Daniels)."""
    wu, cd, left = _warm_cool(p, budget, road)
    pace = p.pace_mid(intensity)
    # Rep length: the standard track distance whose rep time is nearest 3.5 min, inside 2-5 min;
    # shorter when the week's limit (Daniels, in km) does not hold two of them.
    options = [0.4, 0.6, 0.8, 1.0, 1.2, 1.6]
    fits = [km for km in options if 2 * km * pace / 60 <= max_work_min] or options[:1]
    rep_km = min(fits, key=lambda km: abs(km * pace / 60 - 3.5))
    rep_min = rep_km * pace / 60
    work = min(max_work_min, left / 2)
    reps = max(2, min(10, math.floor(work / rep_min + 1e-9)))
    while reps > 2 and reps * rep_min * 2 > left:
        reps -= 1
    block = Step(
        StepType.REPEAT,
        Target(rpe=p.target(intensity).rpe),
        repeat=reps,
        steps=(
            _step(p, StepType.WORK, intensity, rep_min, road, f"{round(rep_km * 1000)} m", rep_km),
            _step(
                p, StepType.RECOVER, Intensity.RECOVERY, rep_min, road, "jog, as long as the rep"
            ),
        ),
    )
    cd = _with_leftover(p, cd, left - block.total_min, road)
    title = f"{reps} x {round(rep_km * 1000)} m @ {label}"
    return Workout((wu, block, cd), title)


def repetitions(p: Prescriber, budget: float, max_work_min: float) -> Workout:
    """R pace: 200-400 m reps with full jog recovery (twice the rep time; Daniels)."""
    wu, cd, left = _warm_cool(p, budget, True)
    rep_km = 0.4
    rep_min = rep_km * p.pace_mid(Intensity.R) / 60
    reps = max(4, min(12, math.floor(min(max_work_min, left / 3) / rep_min)))
    block = Step(
        StepType.REPEAT,
        Target(rpe=(9, 10)),
        repeat=reps,
        steps=(
            _step(p, StepType.WORK, Intensity.R, rep_min, True, "400 m, fast and relaxed", rep_km),
            _step(p, StepType.RECOVER, Intensity.RECOVERY, 2 * rep_min, True, "easy jog"),
        ),
    )
    cd = _with_leftover(p, cd, left - block.total_min, True)
    return Workout((wu, block, cd), f"{reps} x 400 m @ R")


def strides(p: Prescriber, budget: float, road: bool = True) -> Workout:
    """An easy run finished with 6 x 20 s strides (R effort) and 40 s easy between."""
    n = 6
    block_min = n * 1.0
    easy = max(10.0, budget - block_min)
    block = Step(
        StepType.REPEAT,
        Target(rpe=(7, 8)),
        repeat=n,
        steps=(
            Step(StepType.WORK, Target(duration_min=20 / 60, rpe=(7, 8)), "stride: quick, relaxed"),
            Step(StepType.RECOVER, Target(duration_min=40 / 60, rpe=(2, 3)), "walk or jog"),
        ),
    )
    run = _step(p, StepType.STEADY, Intensity.E, easy, road, "easy")
    return Workout((run, block), f"Easy {round(easy)} min + {n} strides")


def steady(p: Prescriber, budget: float, max_work_min: float) -> Workout:
    """A steady run: easy warm-up, a block at marathon (M) effort within the week's limit
    (Daniels' M work, norms.M_SHARE), easy cool-down with the rest of the budget."""
    wu, cd, left = _warm_cool(p, budget, True, warmup=10.0)
    work = max(10.0, min(max_work_min, left))
    block = _step(p, StepType.WORK, Intensity.M, work, True, "steady, marathon effort")
    cd = _with_leftover(p, cd, left - work, True)
    return Workout((wu, block, cd), f"Steady {round(budget)} min, {round(work)} @ M")


def race_pace(
    p: Prescriber,
    budget: float,
    work_min: float,
    race_label: str,
    pace: tuple[float, float],
    rpe: tuple[int, int] = (5, 6),
    hr: tuple[int, int] | None = None,
) -> Workout:
    """Half or marathon race-specific work: one block at goal race pace, always on the road
    (R3), at the race's own effort."""
    wu, cd, left = _warm_cool(p, budget, True)
    work = max(6.0, min(work_min, left))
    km = work * 60 / ((pace[0] + pace[1]) / 2)
    step = Step(
        StepType.WORK,
        Target(
            duration_min=round(work, 1),
            distance_km=round(km, 2),
            pace_s_per_km=pace,
            rpe=rpe,
            hr_bpm=hr,
        ),
        f"at {race_label} race pace",
    )
    cd = _with_leftover(p, cd, left - work, True)
    return Workout((wu, step, cd), f"{round(work)} min @ {race_label} pace")


def race_pace_reps(
    p: Prescriber,
    budget: float,
    max_work_km: float,
    rep_km: float,
    race_label: str,
    pace: tuple[float, float],
    rpe: tuple[int, int],
    hr: tuple[int, int] | None = None,
) -> Workout:
    """5K/10K race-specific work as reps at goal race pace with 2-3 min jogs (Daniels: e.g.
    5-6 x 1000 m at 5K pace, 3-4 x 2 km at 10K pace), within the week's limit in km; always on
    the road (R3). Fewer or shorter reps when the limit or the budget is small."""
    wu, cd, left = _warm_cool(p, budget, True)
    mid = (pace[0] + pace[1]) / 2
    while rep_km > 0.4 and 2 * rep_km > max_work_km:
        rep_km /= 2
    rep_min = rep_km * mid / 60
    lo, hi = norms.RACE_PACE_JOG_MIN
    jog = min(hi, max(lo, 0.6 * rep_min if rep_km < 1.5 else 0.3 * rep_min))
    reps = max(2, min(math.floor(max_work_km / rep_km + 1e-9), 8))
    while reps > 2 and reps * (rep_min + jog) > left:
        reps -= 1
    block = Step(
        StepType.REPEAT,
        Target(rpe=rpe, hr_bpm=hr),
        repeat=reps,
        steps=(
            Step(
                StepType.WORK,
                Target(
                    duration_min=round(rep_min, 2),
                    distance_km=round(rep_km, 2),
                    pace_s_per_km=pace,
                    rpe=rpe,
                    hr_bpm=hr,
                ),
                f"{round(rep_km * 1000)} m at {race_label} race pace",
            ),
            _step(p, StepType.RECOVER, Intensity.RECOVERY, jog, True, "easy jog"),
        ),
    )
    cd = _with_leftover(p, cd, left - block.total_min, True)
    return Workout((wu, block, cd), f"{reps} x {round(rep_km * 1000)} m @ {race_label} pace")


# --- The three harder trail workouts (R11; their shape is trailmix's design) ----------------

# trailmix default when no hill is known: a typical repeat hill, 5-6 % over 250 m (science.md 7
# puts longer repeats at 5-6 %).
GENERIC_HILL = Hill(start_km=1.5, length_m=250.0, gain_m=14.0, avg_grade=0.056, max_grade=0.07)


def climb_minutes(hill: Hill, flat_pace_s_per_km: float) -> float:
    """Time to run up a hill at the effort of `flat_pace`: trailmix's population time model
    (`terrain.population_cost`, docs/time-model.md) at the hill's average grade."""
    cost = float(population_cost(np.asarray([hill.avg_grade]), 1000.0 / flat_pace_s_per_km)[0])
    return hill.length_m / 1000 * flat_pace_s_per_km * cost / 60


def hill_repeats(
    p: Prescriber, budget: float, hill: Hill | None, easy_pace_s_per_km: float
) -> Workout:
    """R8: repeats sized to the hill there is. A rep is the climb at hard effort (capped at
    `HILL_REP_MAX_MIN`, 3 min: the top part is skipped on longer hills); the jog down takes
    1.5 x the rep; reps fill the budget; the warm-up covers the way from the start to the foot
    of the hill."""
    h = hill or GENERIC_HILL
    to_foot = h.start_km * easy_pace_s_per_km / 60
    warmup = max(WARMUP_MIN, to_foot)
    wu = _step(p, StepType.WARMUP, Intensity.E, warmup, False, "easy, to the foot of the hill")
    cd_min = max(COOLDOWN_MIN, to_foot)
    work_budget = budget - warmup - cd_min
    rep = climb_minutes(h, p.pace_mid(Intensity.I))
    capped = rep > HILL_REP_MAX_MIN
    rep = min(rep, HILL_REP_MAX_MIN)
    down = 1.5 * rep
    if rep < 0.25:
        # A very short hill: short sprints with full recovery (Hudson, science.md 7).
        down = max(down, 2.0)
    reps = max(3, min(20, math.floor(work_budget / (rep + down))))
    if reps * (rep + down) > work_budget:
        scale = work_budget / (reps * (rep + down))
        rep, down = rep * max(scale, 0.5), down * max(scale, 0.5)
    note = "hard uphill, strong arms, tall" + (" (stop short of the top)" if capped else "")
    block = Step(
        StepType.REPEAT,
        Target(rpe=(8, 9)),
        repeat=reps,
        steps=(
            _step(p, StepType.WORK, Intensity.I, rep, False, note),
            _step(p, StepType.RECOVER, Intensity.RECOVERY, down, False, "jog or walk down"),
        ),
    )
    leftover = max(0.0, budget - warmup - block.total_min - cd_min)
    cd = _step(p, StepType.COOLDOWN, Intensity.E, cd_min + leftover, False, "easy, back to start")
    secs = round(rep * 60)
    return Workout((wu, block, cd), f"Hill repeats {reps} x {format_minutes(secs / 60)} uphill")


def trail_fartlek(p: Prescriber, budget: float) -> Workout:
    """Surges by feel on rolling trail: 2 min hard (RPE 7-8), 2 min easy."""
    wu, cd, left = _warm_cool(p, budget, False)
    reps = max(3, min(12, math.floor(left / 4)))
    block = Step(
        StepType.REPEAT,
        Target(rpe=(7, 8)),
        repeat=reps,
        steps=(
            Step(StepType.WORK, Target(duration_min=2.0, rpe=(7, 8)), "surge: hard, by feel"),
            Step(StepType.RECOVER, Target(duration_min=2.0, rpe=(3, 4)), "easy, recover"),
        ),
    )
    cd = _with_leftover(p, cd, left - block.total_min, False)
    return Workout((wu, block, cd), f"Trail fartlek {reps} x 2 min hard / 2 min easy")


def sustained_effort(p: Prescriber, budget: float, max_work_min: float) -> Workout:
    """A sustained, comfortably hard effort (RPE 6-7, threshold feel) held over rolling trail."""
    wu, cd, left = _warm_cool(p, budget, False)
    work = max(10.0, min(max_work_min, left))
    step = _step(p, StepType.WORK, Intensity.T, work, False, "steady, comfortably hard by feel")
    cd = _with_leftover(p, cd, left - work, False)
    return Workout((wu, step, cd), f"Sustained effort {round(work)} min @ RPE 6-7")
