"""The plan for a calendar, a watch, a printer or another program: one dispatch from a kind of
export to its file, shared by `trailmix export`, `trailmix mix -o`, the API and the pages."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from zoneinfo import ZoneInfo

from trailmix.app.inputs import parse_clock, parse_zone
from trailmix.domain.types import Plan
from trailmix.errors import InputError
from trailmix.formats.fit_workout import plan_to_fit
from trailmix.formats.html_plan import plan_to_html
from trailmix.formats.ics_export import EventState, calendar_state, plan_to_ics
from trailmix.formats.plan_json import plan_to_csv, plan_to_json
from trailmix.storage.db import Database
from trailmix.storage.repo import CalendarEventRecord, CalendarEvents, Plans


class ExportKind(StrEnum):
    ICS = "ics"
    FIT = "fit"
    HTML = "html"
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True)
class CalendarTimes:
    """When the calendar's events happen: all-day (no time), or at a time of day in a zone."""

    at: time | None = None
    tz: ZoneInfo | None = None


def calendar_times(at: str | None, tz: str | None) -> CalendarTimes:
    """`--time HH:MM` and `--tz ZONE` checked together: a zone needs a time of day."""
    clock = parse_clock(at) if at else None
    zone = parse_zone(tz) if tz else None
    if zone is not None and clock is None:
        raise InputError(
            "a time zone needs a time of day (--time 07:00); without one the "
            "sessions are all-day events.",
            "--tz",
        )
    return CalendarTimes(clock, zone)


@dataclass(frozen=True)
class ExportFile:
    """One exported file: its bytes, what they are, and a name to save them under."""

    content: bytes
    media_type: str
    file_name: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


_MEDIA = {
    ExportKind.ICS: ("text/calendar", "trailmix-plan.ics"),
    ExportKind.FIT: ("application/zip", "trailmix-workouts.zip"),
    ExportKind.HTML: ("text/html", "trailmix-plan.html"),
    ExportKind.JSON: ("application/json", "trailmix-plan.json"),
    ExportKind.CSV: ("text/csv", "trailmix-plan.csv"),
}


def render(plan: Plan, kind: ExportKind, times: CalendarTimes | None = None) -> ExportFile:
    """The plan as one file of `kind` (the FIT workouts as one zip)."""
    content: bytes
    if kind is ExportKind.ICS:
        t = times or CalendarTimes()
        content = plan_to_ics(plan, at=t.at, tz=t.tz)
    elif kind is ExportKind.FIT:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in plan_to_fit(plan):
                archive.writestr(name, data)
        content = buffer.getvalue()
    elif kind is ExportKind.HTML:
        content = plan_to_html(plan).encode("utf-8")
    elif kind is ExportKind.CSV:
        content = plan_to_csv(plan).encode("utf-8")
    else:
        content = plan_to_json(plan).encode("utf-8")
    media_type, file_name = _MEDIA[kind]
    return ExportFile(content, media_type, file_name)


def export(db: Database, kind: ExportKind, times: CalendarTimes | None = None) -> ExportFile:
    """The stored plan as one file of `kind`. A calendar is written against what the last
    calendar export held (stored), so it updates the runner's calendar exactly."""
    plan = Plans(db).current()
    if kind is ExportKind.ICS:
        return calendar(db, plan, times)
    return render(plan, kind, times)


def calendar(db: Database, plan: Plan, times: CalendarTimes | None = None) -> ExportFile:
    """`plan` as an iCalendar file that updates the calendar the last export went to: changed
    sessions with a raised SEQUENCE, the ones that are gone as cancelled events. The state it
    gave the calendar is stored for the next export (an unchanged plan gives the same events
    and SEQUENCE numbers again, so a subscribed calendar polling the feed sees no change)."""
    t = times or CalendarTimes()
    repo = CalendarEvents(db)
    previous = {
        r.uid: EventState(r.uid, r.day, r.sequence, r.digest, r.summary, r.cancelled)
        for r in repo.all()
    }
    content = plan_to_ics(plan, at=t.at, tz=t.tz, previous=previous)
    states = calendar_state(plan, previous, at=t.at, tz=t.tz)
    repo.replace_all(
        [
            CalendarEventRecord(e.uid, e.day, e.sequence, e.digest, e.summary, e.cancelled)
            for e in states
        ]
    )
    media_type, file_name = _MEDIA[ExportKind.ICS]
    return ExportFile(content, media_type, file_name)


def current_fit_workouts(db: Database) -> list[tuple[str, bytes]]:
    """The stored plan's FIT workouts, one file each (`trailmix export fit -o FOLDER`)."""
    return plan_to_fit(Plans(db).current())
