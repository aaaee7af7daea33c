"""The plan as an iCalendar file (the icalendar library): one event per session.

Each event is titled so a glance says it ("Trail recovery 40 min, RPE 2-3"); its description
holds the steps, the trail, the shoe, the predicted time and the reasons. UIDs come from the race
and the session's date, so importing an updated plan into a calendar updates its events instead
of duplicating them; SEQUENCE grows with the export time so calendars take the newer version.
Events are all-day, or at the runner's time of day in their time zone. Each event also carries
the session as trailmix's JSON (X-TRAILMIX-SESSION) and the calendar the plan's header
(X-TRAILMIX-PLAN), so trailmix reads its own calendar back exactly.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

from trailmix.domain.types import Kind, Plan, Race, Session, Step, StepType, Surface
from trailmix.domain.units import format_duration, format_minutes, format_pace_range
from trailmix.formats.plan_json import plan_to_dict, session_to_dict

PRODID = "-//trailmix//trailmix training plan//EN"
X_SESSION = "X-TRAILMIX-SESSION"
X_PLAN = "X-TRAILMIX-PLAN"
UID_DOMAIN = "trailmix"
MIN_EVENT_MIN = 15.0  # trailmix default: the shortest event a calendar shows for a session
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
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


def event_uid(race: Race, day: date, n: int = 0) -> str:
    """Stable across exports of plans for the same race: the race and the session's day (and
    its place that day, for a second session)."""
    extra = f"-{n + 1}" if n else ""
    return (
        f"{race.date.strftime('%Y%m%d')}-{race.distance.value}-{day.strftime('%Y%m%d')}{extra}"
        f"@{UID_DOMAIN}"
    )


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


def plan_to_ics(
    plan: Plan,
    *,
    at: time | None = None,
    tz: ZoneInfo | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The plan as an iCalendar document. `at`: the runner's time of day (else all-day events);
    `tz`: their time zone (else floating local time); `stamp`: the export time (default now)."""
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
    sequence = int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60)
    seen: dict[date, int] = {}
    for s in plan.sessions:
        n = seen.get(s.date, 0)
        seen[s.date] = n + 1
        ev = icalendar.Event()
        ev.add("uid", event_uid(race, s.date, n))
        ev.add("dtstamp", stamp)
        ev.add("sequence", sequence)
        ev.add("summary", event_title(s))
        ev.add("description", description(s))
        if at is None:
            ev.add("dtstart", s.date)
            ev.add("dtend", s.date + timedelta(days=1))
            ev.add("transp", "TRANSPARENT")
        else:
            start = datetime.combine(s.date, at, tzinfo=tz)
            ev.add("dtstart", start)
            ev.add("duration", timedelta(minutes=round(max(s.duration_min, MIN_EVENT_MIN))))
        ev.add("categories", [s.surface.value, s.kind.value])
        if s.trail:
            ev.add("location", s.trail.name)
        ev.add(X_SESSION, json.dumps(session_to_dict(s), ensure_ascii=False, separators=(",", ":")))
        cal.add_component(ev)
    if tz is not None and at is not None:
        cal.add_missing_timezones()
    out: bytes = cal.to_ical()
    return out
