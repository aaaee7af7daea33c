"""The trail version of a road quality session: the same purpose, time and effort (R5, R11).

A road session moved to a trail keeps its minutes and its intended effort (R5): the trail
version keeps the road session's work (the same minutes at the same RPE, in the same reps with
the same work-to-recovery ratio), its warm-up and cool-down, and its length. Only what the
ground changes is changed: the pace goes (R5), and on a hill the reps are fitted to the climb
(R8), more and shorter on a short hill, never fewer minutes of work. The three shapes (hill
repeats, trail fartlek, sustained effort) are R11's; the article's list is cut off, so their
details are trailmix's design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.plan.workouts import GENERIC_HILL, climb_minutes
from trailmix.domain.rules import HILL_REP_MAX_MIN, MAX_HILL_REPS
from trailmix.domain.trail.model import Hill
from trailmix.domain.types import Intensity, IntRange, Session, Step, StepType, Target
from trailmix.domain.units import format_minutes

EASE_MIN = 5.0
"""trailmix default (R11): a session with no warm-up of its own on the road (a steady run)
gets 5 min of easing in and 5 of easing out on the trail."""


@dataclass(frozen=True)
class RoadWork:
    """The work of a road quality session, read from its steps: what its trail version keeps."""

    reps: int
    rep_min: float
    recover_min: float
    warmup_min: float
    cooldown_min: float
    intensity: Intensity
    rpe: IntRange
    continuous: bool

    @property
    def work_min(self) -> float:
        return self.reps * self.rep_min


@dataclass(frozen=True)
class TrailWorkout:
    steps: tuple[Step, ...]
    title: str

    @property
    def minutes(self) -> float:
        return sum(s.total_min for s in self.steps)

    @property
    def work_min(self) -> float:
        """Minutes of work (the reps, or the one block), recoveries not counted."""
        return sum(_work_min(s) for s in self.steps)


def _work_min(step: Step) -> float:
    if step.type is StepType.REPEAT:
        return step.repeat * sum(_work_min(c) for c in step.steps)
    return step.total_min if step.type is StepType.WORK else 0.0


def road_work(s: Session) -> RoadWork:
    """The reps, their recoveries, warm-up and cool-down of a road session (a session without
    steps, as some imported plans have, is one block of work at its own effort)."""
    warm = sum(st.total_min for st in s.steps if st.type is StepType.WARMUP)
    cool = sum(st.total_min for st in s.steps if st.type is StepType.COOLDOWN)
    for st in s.steps:
        if st.type is StepType.REPEAT:
            work = [c for c in st.steps if c.type is StepType.WORK]
            rec = [c for c in st.steps if c.type is StepType.RECOVER]
            if work:
                return RoadWork(
                    st.repeat,
                    work[0].total_min,
                    rec[0].total_min if rec else 0.0,
                    warm,
                    cool,
                    s.intensity,
                    work[0].target.rpe,
                    False,
                )
    body = [st for st in s.steps if st.type in (StepType.WORK, StepType.STEADY)]
    if body:
        minutes = sum(st.total_min for st in body)
        return RoadWork(1, minutes, 0.0, warm, cool, s.intensity, body[0].target.rpe, True)
    return RoadWork(1, s.duration_min, 0.0, 0.0, 0.0, s.intensity, s.target.rpe, True)


def _step(
    p: Prescriber,
    kind: StepType,
    intensity: Intensity,
    minutes: float,
    note: str,
    rpe: IntRange | None = None,
) -> Step:
    return Step(kind, p.target(intensity, minutes=minutes, road=False, rpe=rpe), note)


def _frame(rw: RoadWork, duration: float) -> tuple[float, float, float]:
    """Warm-up, work block budget and cool-down minimum of the trail version: the road's own,
    or `EASE_MIN` either side carved from a continuous run that had none (R11)."""
    wu, cd = rw.warmup_min, rw.cooldown_min
    work = rw.work_min
    if wu <= 0 or cd <= 0:
        wu, cd = max(wu, EASE_MIN), max(cd, EASE_MIN)
        if rw.continuous:
            work = max(EASE_MIN, min(work, duration - wu - cd))
    return wu, work, cd


def _block(
    p: Prescriber,
    rw: RoadWork,
    reps: int,
    rep: float,
    recover: float,
    work_note: str,
    recover_note: str,
) -> Step:
    work = _step(p, StepType.WORK, rw.intensity, rep, work_note, rw.rpe)
    if reps <= 1 and recover <= 0:
        return work
    rec = _step(p, StepType.RECOVER, Intensity.RECOVERY, recover, recover_note)
    return Step(StepType.REPEAT, Target(rpe=rw.rpe), repeat=reps, steps=(work, rec))


def _finish(
    p: Prescriber, wu: Step, block: Step, duration: float, cd_min: float, cd_note: str
) -> tuple[Step, ...]:
    """The cool-down that brings the session to the road's `duration` (never below `cd_min`;
    the reps' rounding to 6 s may take a minute or so off the road's cool-down)."""
    cd = max(cd_min, duration - wu.total_min - block.total_min)
    return (wu, block, _step(p, StepType.COOLDOWN, Intensity.E, cd, cd_note))


def _effort_words(rw: RoadWork) -> str:
    return f"RPE {rw.rpe[0]}-{rw.rpe[1]}"


def sustained(p: Prescriber, s: Session, rw: RoadWork) -> TrailWorkout:
    """Threshold or steady work held by feel over runnable trail: the road's reps (or its one
    block) at the road's effort."""
    wu_min, work, _ = _frame(rw, s.duration_min)
    feel = "comfortably hard" if rw.rpe[0] >= 6 else "steady, moderate"
    wu = _step(p, StepType.WARMUP, Intensity.E, wu_min, "easy warm-up")
    if rw.continuous:
        block = _step(p, StepType.WORK, rw.intensity, work, f"{feel} by feel", rw.rpe)
        title = f"Trail sustained effort {round(work)} min @ {_effort_words(rw)}"
    else:
        block = _block(p, rw, rw.reps, rw.rep_min, rw.recover_min, f"{feel} by feel", "jog")
        title = (
            f"Trail sustained effort {rw.reps} x {format_minutes(rw.rep_min)} @ {_effort_words(rw)}"
        )
    return TrailWorkout(_finish(p, wu, block, s.duration_min, EASE_MIN, "easy cool-down"), title)


def fartlek(p: Prescriber, s: Session, rw: RoadWork) -> TrailWorkout:
    """Surges by feel over rolling trail: the road's reps, recoveries and effort."""
    if rw.continuous:
        return sustained(p, s, rw)
    wu_min, _, _ = _frame(rw, s.duration_min)
    wu = _step(p, StepType.WARMUP, Intensity.E, wu_min, "easy warm-up")
    block = _block(
        p, rw, rw.reps, rw.rep_min, rw.recover_min, "surge: hard, by feel", "easy, recover"
    )
    hard, easy = format_minutes(rw.rep_min), format_minutes(rw.recover_min)
    title = f"Trail fartlek {rw.reps} x {hard} hard / {easy} easy"
    return TrailWorkout(_finish(p, wu, block, s.duration_min, EASE_MIN, "easy cool-down"), title)


@dataclass(frozen=True)
class Approach:
    """The way from the start of the trail to the foot of the repeat hill (R8: the warm-up
    covers it): its minutes at easy effort, and the steepest grade on it."""

    minutes: float
    km: float
    steepest: float


def approach(hills: tuple[Hill, ...], hill: Hill, easy_pace_s_per_km: float) -> Approach:
    """Minutes to the foot of `hill` at easy effort: its distance from the start, plus what the
    climbs before it cost (trailmix's population time model, `climb_minutes`)."""
    flat = hill.start_km * easy_pace_s_per_km / 60
    before = [h for h in hills if h.start_km + h.length_m / 1000 <= hill.start_km + 1e-6]
    extra = sum(
        max(0.0, climb_minutes(h, easy_pace_s_per_km) - h.length_m / 1000 * easy_pace_s_per_km / 60)
        for h in before
    )
    steepest = max((h.max_grade for h in before), default=0.0)
    return Approach(flat + extra, hill.start_km, steepest)


def _reps_for(work: float, climb: float) -> int:
    """How many reps share `work` minutes on a climb of `climb` minutes: as many as the climb
    needs, at most `MAX_HILL_REPS`, and (a rep being written to 6 s) a count whose reps add up
    to the work within 2 %."""
    most = min(MAX_HILL_REPS, max(2, math.ceil(work / climb - 1e-6)))
    counts = range(most, 1, -1)

    def error(n: int) -> float:
        return abs(n * round(work / n, 1) - work)

    return next((n for n in counts if error(n) <= 0.02 * work), min(counts, key=error, default=2))


def hill_repeats(
    p: Prescriber,
    s: Session,
    rw: RoadWork,
    hill: Hill | None,
    way: Approach | None,
    steep: float,
) -> TrailWorkout:
    """R8: the road's work, uphill. A rep lasts what the climb takes at the road's effort (at
    most `HILL_REP_MAX_MIN`); a hill shorter than the road's rep means more, shorter reps (at
    most `MAX_HILL_REPS`, then each goes on over the top at the same effort), so the minutes
    of work stay the road's. The jog back down keeps the road's work-to-recovery ratio; the
    warm-up covers the way to the foot of the hill, and says what that way is."""
    h = hill or GENERIC_HILL
    effort = rw.intensity if rw.intensity in (Intensity.I, Intensity.R) else Intensity.I
    full_climb = climb_minutes(h, p.pace_mid(effort))
    climb = min(full_climb, HILL_REP_MAX_MIN)
    work = rw.work_min
    ratio = rw.recover_min / rw.rep_min if (rw.rep_min > 0 and not rw.continuous) else 1.0
    if rw.continuous:
        # One block of hard work (a session without steps, as in some imported plans): reps
        # with equal jogs fill the time between its warm-up and cool-down.
        wu_min, body, cd_min = _frame(rw, s.duration_min)
        work = max(EASE_MIN, (min(body, s.duration_min - wu_min - cd_min)) / (1 + ratio))
    reps, rep = rw.reps, rw.rep_min
    if rw.continuous or rep > climb:
        reps = _reps_for(work, climb)
        rep = round(work / reps, 1)
    note = "hard uphill, strong arms, tall"
    if rep > full_climb * 1.05:
        note += " (up the hill and on over the top at the same effort)"
    elif rep < full_climb * 0.9:
        note += " (stop short of the top)"
    recover = rep * max(ratio, 0.5)
    wu_min, _, _ = _frame(rw, s.duration_min)
    to_foot = way.minutes if way else h.start_km * p.pace_mid(Intensity.E) / 60
    wu_note = "easy, to the foot of the hill"
    if way is not None and way.steepest >= steep:
        wu_note = (
            f"warm-up to the foot of the hill, {way.km:.1f} km: the way climbs "
            f"{way.steepest:.0%} in places, so hike the steep part and keep the effort low"
        )
    wu = _step(p, StepType.WARMUP, Intensity.E, max(wu_min, to_foot), wu_note)
    block = _block(p, rw, reps, rep, recover, note, "jog or walk back down")
    steps = _finish(p, wu, block, s.duration_min, max(EASE_MIN, to_foot), "easy, back to start")
    return TrailWorkout(steps, f"Trail hill repeats {reps} x {format_minutes(rep)} uphill")
