"""The plan as an iCalendar file (the icalendar library): one event per session.

Each event is titled so a glance says it ("Trail recovery 40 min, RPE 2-3"); its description
holds the steps, the trail, the shoe, the predicted time and the reasons.

A changed plan updates the runner's calendar exactly. A UID names a session's slot (the runner,
the day, its place that day), never the race, so moving the race date or re-planning keeps every
day's event. Given what the previous export held (`EventState`, which the application layer
stores), an event's SEQUENCE is raised only when its content changed, and a session that no
longer exists is sent once more as STATUS:CANCELLED, so the calendar drops it (RFC 5546 3.2.5).
Events are all-day, or at the runner's time of day in their time zone. Each event also carries
the session as trailmix's JSON (X-TRAILMIX-SESSION) and the calendar the plan's header
(X-TRAILMIX-PLAN), so trailmix reads its own calendar back exactly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

from trailmix.domain.types import Kind, Plan, Session, Step, StepType, Surface
from trailmix.domain.units import format_duration, format_minutes, format_pace_range
from trailmix.formats.plan_json import plan_to_dict, session_to_dict

PRODID = "-//trailmix//trailmix training plan//EN"
X_SESSION = "X-TRAILMIX-SESSION"
X_PLAN = "X-TRAILMIX-PLAN"
UID_DOMAIN = "trailmix"
MIN_EVENT_MIN = 15.0  # trailmix default: the shortest event a calendar shows for a session
_SHOE = {
    "road_trainer": "your road trainer",
    "hybrid": "a road-to-trail hybrid",
    "trail": "a trail shoe",
}
_STEP = {
    StepType.WARMUP: "Warm-up",
    StepType.WORK: "Work",
    StepType.RECOVER: "Recover",
    StepType.COOLDOWN: "Cool-down",
    StepType.STEADY: "Run",
    StepType.REPEAT: "Repeat",
}


def event_title(s: Session) -> str:
    """What a glance at the calendar should say: the session and its effort."""
    if s.kind in (Kind.REST, Kind.HIKE, Kind.RACE) or ", RPE" in s.title:
        return s.title
    lo, hi = s.target.rpe
    rpe = f"{lo}" if lo == hi else f"{lo}-{hi}"
    return f"{s.title}, RPE {rpe}"


def event_uid(runner: str, day: date, n: int = 0) -> str:
    """A session's slot: the runner, the day, and its place that day (for a second session).
    Not the race: a plan for a moved race date, or re-planned, keeps each day's event."""
    who = re.sub(r"[^a-z0-9]+", "-", runner.lower()).strip("-") or "runner"
    extra = f"-{n + 1}" if n else ""
    return f"{who}-{day.strftime('%Y%m%d')}{extra}@{UID_DOMAIN}"


@dataclass(frozen=True)
class EventState:
    """What an export told the calendar about one UID: its day, SEQUENCE, a digest of its
    content and its title; `cancelled` when it was sent as STATUS:CANCELLED."""

    uid: str
    day: date
    sequence: int
    digest: str
    summary: str
    cancelled: bool = False


def _target_text(minutes: float | None, km: float | None, s: Step) -> str:
    parts = []
    if minutes:
        parts.append(format_minutes(minutes) if minutes >= 1 else f"{round(minutes * 60)} s")
    if km:
        parts.append(f"{round(km * 1000)} m" if km < 1 else f"{km:g} km")
    lo, hi = s.target.rpe
    parts.append(f"RPE {lo}-{hi}")
    if s.target.pace_s_per_km:
        parts.append(format_pace_range(s.target.pace_s_per_km))
    if s.target.hr_bpm:
        parts.append(f"HR {s.target.hr_bpm[0]}-{s.target.hr_bpm[1]}")
    return ", ".join(parts)


def step_lines(steps: tuple[Step, ...], indent: str = "") -> list[str]:
    """The steps in words, repeats indented under their count."""
    lines: list[str] = []
    for st in steps:
        if st.type is StepType.REPEAT:
            lines.append(f"{indent}- {st.repeat} x:")
            lines.extend(step_lines(st.steps, indent + "  "))
            continue
        size = _target_text(st.target.duration_min, st.target.distance_km, st)
        text = f"{indent}- {_STEP[st.type]} {size}"
        if st.note:
            text += f" ({st.note})"
        lines.append(text)
    return lines


def predicted(s: Session) -> str:
    """How long the session takes, in words."""
    if s.kind is Kind.REST or s.duration_min <= 0:
        return ""
    if s.surface is Surface.TRAIL:
        return f"{format_minutes(s.duration_min)} by time and effort (R5)"
    if s.target.distance_km:
        return f"about {format_duration(s.duration_min * 60)} for {s.target.distance_km:g} km"
    return f"about {format_minutes(s.duration_min)}"


def description(s: Session) -> str:
    """Steps, trail, shoe, predicted time and the reasons, as plain text."""
    lines = [s.title]
    time_text = predicted(s)
    if time_text:
        lines.append(f"Predicted time: {time_text}")
    if s.steps:
        lines.append("Steps:")
        lines.extend(step_lines(s.steps))
    if s.surface is Surface.TRAIL:
        where = s.trail.name if s.trail else "any trail (R7)"
        lines.append(f"Trail: {where}")
        if s.trail_hint:
            lines.append(f"Where: {s.trail_hint}")
        if s.shoe:
            lines.append(f"Shoe: {_SHOE[s.shoe.value]} (R10)")
        if s.benefits:
            lines.append(f"Builds: {', '.join(b.value for b in s.benefits)} (R12)")
    if s.reasons:
        lines.append("Why:")
        lines.extend(f"- {r.rule}: {r.text}" for r in s.reasons)
    return "\n".join(lines)


def _digest(s: Session, at: time | None, tz: ZoneInfo | None) -> str:
    """What the calendar shows of a session, hashed: equal digests need no update."""
    doc = json.dumps([session_to_dict(s), str(at), str(tz)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()


def calendar_state(
    plan: Plan,
    previous: Mapping[str, EventState] | None = None,
    *,
    at: time | None = None,
    tz: ZoneInfo | None = None,
) -> list[EventState]:
    """Every event this export holds, given the previous export's: a new UID starts at
    SEQUENCE 0, a changed one goes up by one, an unchanged one keeps its number; a previous UID
    with no session now is cancelled (its SEQUENCE raised once, then kept)."""
    before = dict(previous or {})
    out: list[EventState] = []
    seen: dict[date, int] = {}
    for s in plan.sessions:
        n = seen.get(s.date, 0)
        seen[s.date] = n + 1
        uid = event_uid(plan.athlete.name, s.date, n)
        digest = _digest(s, at, tz)
        old = before.pop(uid, None)
        if old is None:
            sequence = 0
        elif old.digest == digest and not old.cancelled:
            sequence = old.sequence
        else:
            sequence = old.sequence + 1
        out.append(EventState(uid, s.date, sequence, digest, event_title(s)))
    for old in before.values():
        sequence = old.sequence if old.cancelled else old.sequence + 1
        out.append(EventState(old.uid, old.day, sequence, "", old.summary, cancelled=True))
    return out


def plan_to_ics(
    plan: Plan,
    *,
    at: time | None = None,
    tz: ZoneInfo | None = None,
    stamp: datetime | None = None,
    previous: Mapping[str, EventState] | None = None,
) -> bytes:
    """The plan as an iCalendar document. `at`: the runner's time of day (else all-day events);
    `tz`: their time zone (else floating local time); `stamp`: the export time (default now);
    `previous`: what the last export held, by UID (for SEQUENCE and cancellations)."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    race = plan.race
    cal.add("x-wr-calname", f"trailmix: {race.name or race.distance.label} {race.date}")
    header = plan_to_dict(plan)
    for w in header["weeks"]:
        w["sessions"] = []
    header["n_sessions"] = len(plan.sessions)
    cal.add(X_PLAN, json.dumps(header, ensure_ascii=False, separators=(",", ":")))
    states = calendar_state(plan, previous, at=at, tz=tz)
    for s, state in zip(plan.sessions, states, strict=False):
        ev = icalendar.Event()
        ev.add("uid", state.uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", state.sequence)
        ev.add("summary", event_title(s))
        ev.add("description", description(s))
        _add_time(ev, s.date, at, tz, s.duration_min)
        ev.add("categories", [s.surface.value, s.kind.value])
        if s.trail:
            ev.add("location", s.trail.name)
        ev.add(X_SESSION, json.dumps(session_to_dict(s), ensure_ascii=False, separators=(",", ":")))
        cal.add_component(ev)
    for state in states[len(plan.sessions) :]:
        ev = icalendar.Event()
        ev.add("uid", state.uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", state.sequence)
        ev.add("status", "CANCELLED")
        ev.add("summary", f"Cancelled: {state.summary}")
        ev.add("description", "This session is no longer in the plan.")
        _add_time(ev, state.day, at, tz, MIN_EVENT_MIN)
        cal.add_component(ev)
    if tz is not None and at is not None:
        cal.add_missing_timezones()
    out: bytes = cal.to_ical()
    return out


def _add_time(
    ev: icalendar.Event, day: date, at: time | None, tz: ZoneInfo | None, minutes: float
) -> None:
    if at is None:
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
    else:
        ev.add("dtstart", datetime.combine(day, at, tzinfo=tz))
        ev.add("duration", timedelta(minutes=round(max(minutes, MIN_EVENT_MIN))))
