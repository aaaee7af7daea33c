"""Structured workouts for the watch: one FIT workout file per running session (fit-tool).

Steps are time-based (a step with no time is open: the lap button ends it); repeats are a
REPEAT_UNTIL_STEPS_CMPLT step pointing back at their first child. Targets: a speed range on road
steps that have a pace; else a heart-rate range when the step has one (FIT's custom HR values are
bpm + 100); else open. FIT has no RPE target, so the RPE is in every step's name and notes. Trail
sessions never get a pace target (R5). Names are cut to lengths watches show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from trailmix.domain.types import Plan, Session, Step, StepType, Surface

# trailmix defaults, from what watches display: names are cut to these many UTF-8 bytes.
WORKOUT_NAME_MAX = 31
STEP_NAME_MAX = 15
NOTES_MAX = 50
HR_OFFSET = 100  # FIT: custom heart-rate values above 100 are bpm + 100

_INTENSITY = {
    StepType.WARMUP: Intensity.WARMUP,
    StepType.COOLDOWN: Intensity.COOLDOWN,
    StepType.RECOVER: Intensity.RECOVERY,
    StepType.WORK: Intensity.ACTIVE,
    StepType.STEADY: Intensity.ACTIVE,
}
_SHORT = {
    StepType.WARMUP: "WU",
    StepType.COOLDOWN: "CD",
    StepType.RECOVER: "Rec",
    StepType.WORK: "Work",
    StepType.STEADY: "Run",
}


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, never inside a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore").rstrip()


@dataclass(frozen=True)
class FitStep:
    """One FIT workout step as trailmix writes it (also what the tests expect to decode)."""

    name: str
    intensity: Intensity | None
    seconds: float | None  # None: open (or a repeat)
    target: WorkoutStepTarget | None
    low: float | None = None  # m/s for speed, bpm for heart rate
    high: float | None = None
    notes: str = ""
    repeat_from: int | None = None  # a repeat step: the index of its first child
    repeat: int = 1


def _rpe(st: Step) -> str:
    lo, hi = st.target.rpe
    return f"RPE {lo}" if lo == hi else f"RPE {lo}-{hi}"


def fit_steps(session: Session) -> list[FitStep]:
    """The session's steps flattened the FIT way, repeats after their children."""
    road = session.surface is Surface.ROAD
    out: list[FitStep] = []

    def walk(steps: tuple[Step, ...]) -> None:
        for st in steps:
            if st.type is StepType.REPEAT:
                first = len(out)
                walk(st.steps)
                out.append(
                    FitStep(f"{st.repeat}x", None, None, None, repeat_from=first, repeat=st.repeat)
                )
                continue
            t = st.target
            target: WorkoutStepTarget = WorkoutStepTarget.OPEN
            low = high = None
            if road and t.pace_s_per_km:
                target = WorkoutStepTarget.SPEED
                low, high = 1000 / t.pace_s_per_km[1], 1000 / t.pace_s_per_km[0]
            elif t.hr_bpm:
                target = WorkoutStepTarget.HEART_RATE
                low, high = float(t.hr_bpm[0]), float(t.hr_bpm[1])
            seconds = round(t.duration_min * 60, 1) if t.duration_min else None
            notes = _rpe(st) + (f": {st.note}" if st.note else "")
            out.append(
                FitStep(
                    name=clip(f"{_SHORT[st.type]} {_rpe(st)}", STEP_NAME_MAX),
                    intensity=_INTENSITY[st.type],
                    seconds=seconds,
                    target=target,
                    low=low,
                    high=high,
                    notes=clip(notes, NOTES_MAX),
                )
            )

    steps = session.steps or (Step(StepType.STEADY, session.target),)
    walk(steps)
    return out


def _message(i: int, f: FitStep) -> WorkoutStepMessage:
    m = WorkoutStepMessage()
    m.message_index = i
    if f.repeat_from is not None:
        m.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
        m.duration_step = f.repeat_from
        m.target_repeat_steps = f.repeat
        return m
    m.workout_step_name = f.name
    if f.intensity is not None:
        m.intensity = f.intensity
    if f.seconds:
        m.duration_type = WorkoutStepDuration.TIME
        m.duration_time = f.seconds
    else:
        m.duration_type = WorkoutStepDuration.OPEN
    target = f.target or WorkoutStepTarget.OPEN
    m.target_type = target
    if target is WorkoutStepTarget.SPEED and f.low is not None and f.high is not None:
        m.target_value = 0
        m.custom_target_speed_low = round(f.low, 3)
        m.custom_target_speed_high = round(f.high, 3)
    elif target is WorkoutStepTarget.HEART_RATE and f.low is not None and f.high is not None:
        m.target_value = 0
        m.custom_target_heart_rate_low = int(f.low) + HR_OFFSET
        m.custom_target_heart_rate_high = int(f.high) + HR_OFFSET
    if f.notes:
        m.notes = f.notes
    return m


def workout_name(session: Session) -> str:
    return clip(f"{session.date.strftime('%m-%d')} {session.title}", WORKOUT_NAME_MAX)


def session_to_fit(session: Session) -> bytes:
    """One FIT workout file for a running session."""
    created = datetime(session.date.year, session.date.month, session.date.day, tzinfo=UTC)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.WORKOUT
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    fid.product = 0
    fid.serial_number = session.date.toordinal()
    fid.time_created = round(created.timestamp() * 1000)
    builder.add(fid)
    steps = fit_steps(session)
    w = WorkoutMessage()
    w.workout_name = workout_name(session)
    w.sport = Sport.RUNNING
    if session.surface is Surface.TRAIL:
        w.sub_sport = SubSport.TRAIL
    w.num_valid_steps = len(steps)
    builder.add(w)
    for i, f in enumerate(steps):
        builder.add(_message(i, f))
    data: bytes = builder.build_bytes()
    return data


def file_name(session: Session) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", session.title.lower()).strip("-")[:40] or "session"
    return f"{session.date.isoformat()}-{slug}.fit"


def plan_to_fit(plan: Plan) -> list[tuple[str, bytes]]:
    """(file name, FIT bytes) for every running session of the plan, in date order."""
    return [(file_name(s), session_to_fit(s)) for s in plan.sessions if s.kind.is_running]
