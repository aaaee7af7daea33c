"""Structured workouts for the watch: one FIT workout file per running session (fit-tool).

A road step the plan wrote as a distance ("6 x 800 m", "Long run 11.5 km", race day) keeps a
distance duration, so the watch beeps at 800 m and not at a predicted time; every other step is
timed (a step with neither is open: the lap button ends it), and trail steps are always timed
(R5: time and effort, not distance). Repeats are a REPEAT_UNTIL_STEPS_CMPLT step pointing back at
their first child. Targets: a speed range on road steps that have a pace; else a heart-rate range
when the step has one (FIT's custom HR values are bpm + 100) and lasts long enough for heart rate
to follow (`HR_MIN_STEP_MIN`); else open. FIT has no RPE target, so the RPE is in every step's
name and notes. Names are short forms that fit the field whole words at a time; the full title
goes in the first step's notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
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

from trailmix.domain.types import Kind, Plan, Session, Step, StepType, Surface

# trailmix defaults, from what watches display: names are cut to these many UTF-8 bytes.
WORKOUT_NAME_MAX = 31
STEP_NAME_MAX = 15
NOTES_MAX = 50
HR_OFFSET = 100  # FIT: custom heart-rate values above 100 are bpm + 100
# trailmix default: heart rate takes minutes to settle after an effort changes, so it cannot
# steer a short rep (Achten & Jeukendrup 2003, "Heart rate monitoring: applications and
# limitations", Sports Med 33:517, on HR's slow response). A step shorter than this gets no HR
# target (open, the RPE in its name; a speed target on road when it has a pace).
HR_MIN_STEP_MIN = 3.0

_WRITTEN_DISTANCE = re.compile(
    r"\d(?:[\d.,]*)\s*(?:km|k|mi|miles?|m|meters?|metres?)(?![a-z])", re.IGNORECASE
)
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
    """`text` cut to at most `limit` UTF-8 bytes at a word boundary (never inside a word or a
    character), without a dangling opening bracket or trailing punctuation."""
    if len(text.encode("utf-8")) <= limit:
        return text
    words = text.split()
    out = ""
    for w in words:
        candidate = f"{out} {w}" if out else w
        if len(candidate.encode("utf-8")) > limit:
            break
        out = candidate
    if not out:  # one word longer than the field: cut it, whole characters only
        out = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    out = re.sub(r"\s*\([^)]*$", "", out)  # "(stop shor": drop an unclosed bracket
    return out.rstrip(" ,;:-(/@+")


# Short forms for names on a watch (trailmix default): whole words, the common abbreviations.
_ABBREV = (
    (r",?\s*(?:@\s*)?RPE \d+(?:-\d+)?", ""),
    (r"\s*\bx\s+(?=\d)", "x"),
    (r"(\d)\s*x\s*", r"\1x"),
    (r"(\d+) s\b", r"\1s"),
    (r"(\d+) m\b", r"\1m"),
    (r"(\d+) min\b", r"\1'"),
    (r"(\d+(?:\.\d+)?) km\b", r"\1k"),
    (r"\brepeats\b", "reps"),
    (r"\brecovery\b", "recov"),
    (r"\buphill\b", "up"),
    (r"\bwith\b|\bw/", "w/"),
    (r"\bTrail\b", "Tr"),
    (r"\bLong run\b", "Long"),
    (r"\s+", " "),
)


def short_title(title: str) -> str:
    """A session's title in the fewest words a watch needs ("Tr hill reps 4x18s")."""
    t = title
    for pattern, repl in _ABBREV:
        t = re.sub(pattern, repl, t)
    return t.strip()


@dataclass(frozen=True)
class FitStep:
    """One FIT workout step as trailmix writes it (also what the tests expect to decode)."""

    name: str
    intensity: Intensity | None
    seconds: float | None  # None: open (or a repeat, or a distance step)
    target: WorkoutStepTarget | None
    low: float | None = None  # m/s for speed, bpm for heart rate
    high: float | None = None
    notes: str = ""
    repeat_from: int | None = None  # a repeat step: the index of its first child
    repeat: int = 1
    meters: float | None = None  # a distance step: its length (then `seconds` is None)


def _rpe(st: Step) -> str:
    lo, hi = st.target.rpe
    return f"RPE {lo}" if lo == hi else f"RPE {lo}-{hi}"


def fit_steps(session: Session) -> list[FitStep]:
    """The session's steps flattened the FIT way, repeats after their children."""
    road = session.surface is Surface.ROAD
    # A distance the plan wrote ("6 x 800 m", "Long run 11.5 km", race day), not one estimated
    # for a session written in minutes ("Easy 30 min" carries ~4.9 km as an estimate).
    by_distance = road and (
        session.kind is Kind.RACE or _WRITTEN_DISTANCE.search(session.title) is not None
    )
    out: list[FitStep] = []

    def walk(steps: tuple[Step, ...], in_repeat: bool = False) -> None:
        for st in steps:
            if st.type is StepType.REPEAT:
                first = len(out)
                walk(st.steps, True)
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
            elif t.hr_bpm and not _too_short_for_hr(st, in_repeat):
                target = WorkoutStepTarget.HEART_RATE
                low, high = float(t.hr_bpm[0]), float(t.hr_bpm[1])
            meters = round(t.distance_km * 1000, 1) if by_distance and t.distance_km else None
            seconds = round(t.duration_min * 60, 1) if t.duration_min and not meters else None
            notes = _rpe(st) + (f": {st.note}" if st.note else "")
            if target is WorkoutStepTarget.OPEN and t.hr_bpm:
                notes = _rpe(st) + ": by effort, too short for heart rate"
            out.append(
                FitStep(
                    name=clip(f"{_SHORT[st.type]} {_rpe(st)}", STEP_NAME_MAX),
                    intensity=_INTENSITY[st.type],
                    seconds=seconds,
                    target=target,
                    low=low,
                    high=high,
                    notes=clip(notes, NOTES_MAX),
                    meters=meters,
                )
            )

    steps = session.steps or (Step(StepType.STEADY, session.target),)
    walk(steps)
    if out and out[0].repeat_from is None:
        # The full title, cleanly, where the watch shows text: the first step's notes.
        rpe = out[0].notes.split(":")[0]
        title = re.sub(r",?\s*(?:@\s*)?RPE \d+(?:-\d+)?", "", session.title)
        out[0] = replace(out[0], notes=clip(f"{rpe}: {title}", NOTES_MAX))
    return out


def _too_short_for_hr(st: Step, in_repeat: bool) -> bool:
    """A rep (or its recovery) shorter than heart rate takes to follow it."""
    minutes = st.target.duration_min
    if minutes is None:
        return in_repeat
    return minutes < HR_MIN_STEP_MIN


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
    if f.meters:
        m.duration_type = WorkoutStepDuration.DISTANCE
        m.duration_distance = f.meters
    elif f.seconds:
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
    """The date and the short title, whole words only, within the watch's field."""
    return clip(f"{session.date.strftime('%m-%d')} {short_title(session.title)}", WORKOUT_NAME_MAX)


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
