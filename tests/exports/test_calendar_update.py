"""A changed plan updates the runner's calendar exactly, in a real client (khal, from PyPI):
importing export 1 then export 2 leaves the same live events as importing export 2 alone (no
stale sessions, no doubled days), also when the race moves by a week. And the subscription feed
`/api/v1/calendar.ics` serves the same calendar."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import icalendar
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.app import exports
from trailmix.app.exports import ExportKind
from trailmix.domain.plan.build import build_plan
from trailmix.domain.types import Athlete, Plan, Race, RaceDistance, RaceResult, TrailPreference
from trailmix.formats.ics_export import calendar_state, event_uid, plan_to_ics
from trailmix.formats.plan_import import plan_from_ics
from trailmix.formats.plan_json import plan_to_dict
from trailmix.storage.db import Database
from trailmix.storage.repo import Plans

KHAL = Path(sys.executable).with_name("khal")
START = date(2027, 1, 4)
RUNNER = Athlete(
    recent_race=RaceResult(10.0, 48 * 60 + 30, "10k"),
    age=40,
    hr_rest=52,
    days_per_week=6,
    trail_preference=TrailPreference.ENJOY,
)


def _plan(days: int = 6, race_day: date = date(2027, 2, 21)) -> Plan:
    return build_plan(replace(RUNNER, days_per_week=days), Race(RaceDistance.HALF, race_day), START)


class Khal:
    """A khal calendar in a folder (vdir), fed by `khal import --batch`."""

    def __init__(self, folder: Path) -> None:
        if not KHAL.exists():
            pytest.skip("khal is not installed (pip install khal; it is in the dev extras)")
        self.folder = folder
        (folder / "cal").mkdir(parents=True)
        self.config = folder / "config"
        self.config.write_text(
            "[calendars]\n[[plan]]\n"
            f"path = {folder / 'cal'}\ntype = calendar\n"
            "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\n"
            f"[default]\ndefault_calendar = plan\n[sqlite]\npath = {folder / 'khal.db'}\n"
        )

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [str(KHAL), "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return done.stdout

    def load(self, data: bytes) -> None:
        path = self.folder / "in.ics"
        path.write_bytes(data)
        self._run("import", "--batch", str(path))

    def events(self) -> set[tuple[str, str, str]]:
        """(uid, start day, title) of every event khal shows that is not cancelled."""
        out = self._run(
            "list", "--format", "{uid}|{start-date}|{status}|{title}", "2026-12-01", "2027-06-01"
        )
        events = set()
        for line in out.splitlines():
            if line.count("|") < 3:
                continue  # khal's day headings
            uid, day, status, title = line.split("|", 3)
            if "CANCELLED" not in status:
                events.add((uid, day, title))
        return events


def _export(db: Database, plan: Plan) -> bytes:
    Plans(db).save(plan)
    return exports.export(db, ExportKind.ICS).content


def test_export_2_over_export_1_equals_export_2_alone(
    tmp_path: Path, db_url: str, template_db: Path
) -> None:
    """The issue's two changes at once: four days a week instead of six (sessions go), and the
    race a week later (every UID used to change)."""
    from conftest import copy_of

    first_plan, second_plan = _plan(), _plan(days=4, race_day=date(2027, 2, 28))
    db = Database(db_url)
    one = _export(db, first_plan)
    two = _export(db, second_plan)
    fresh = Database(copy_of(template_db, tmp_path / "fresh.db"))
    alone = _export(fresh, second_plan)

    both = Khal(tmp_path / "both")
    both.load(one)
    both.load(two)
    only = Khal(tmp_path / "only")
    only.load(alone)
    assert only.events() and both.events() == only.events()
    # The sessions that went are cancelled with a raised SEQUENCE; the kept days keep UIDs.
    events = list(icalendar.Calendar.from_ical(two).walk("VEVENT"))
    cancelled = [e for e in events if str(e.get("status")) == "CANCELLED"]
    gone = {s.date for s in first_plan.sessions} - {s.date for s in second_plan.sessions}
    assert gone and {e.get("dtstart").dt for e in cancelled} == gone
    assert all(int(e.get("sequence")) == 1 for e in cancelled)
    kept = {str(e.get("uid")) for e in list(icalendar.Calendar.from_ical(one).walk("VEVENT"))}
    live = {str(e.get("uid")) for e in events if str(e.get("status")) != "CANCELLED"}
    assert len(kept & live) > len(live) // 2  # the days both plans use keep their events
    # trailmix reads its own updated calendar back exactly, the cancellations skipped.
    back = plan_from_ics(two)
    assert back is not None and plan_to_dict(back) == plan_to_dict(second_plan)


def test_sequence_rises_only_on_change(db_url: str) -> None:
    db = Database(db_url)
    plan = _plan()
    one = list(icalendar.Calendar.from_ical(_export(db, plan)).walk("VEVENT"))
    again = list(icalendar.Calendar.from_ical(_export(db, plan)).walk("VEVENT"))
    assert [int(e.get("sequence")) for e in again] == [0] * len(one)
    week = plan.weeks[1]
    changed = replace(week, sessions=(replace(week.sessions[0], title="Easy 55 min"),))
    edited = replace(plan, weeks=(plan.weeks[0], changed, *plan.weeks[2:]))
    events = list(icalendar.Calendar.from_ical(_export(db, edited)).walk("VEVENT"))
    uid = event_uid(plan.athlete.name, week.sessions[0].date)
    by_uid = {str(e.get("uid")): e for e in events}
    assert int(by_uid[uid].get("sequence")) == 1
    others = [e for u, e in by_uid.items() if u != uid and str(e.get("status")) != "CANCELLED"]
    assert others and all(int(e.get("sequence")) == 0 for e in others)


def test_uids_do_not_depend_on_the_race_date() -> None:
    a, b = _plan(), _plan(race_day=date(2027, 2, 28))
    uids = {str(e.get("uid")) for e in icalendar.Calendar.from_ical(plan_to_ics(a)).walk("VEVENT")}
    days = {s.date for s in a.sessions} & {s.date for s in b.sessions}
    assert {event_uid(b.athlete.name, d) for d in days} <= uids


def test_the_calendar_feed(planned: TestClient) -> None:
    r = planned.get("/api/v1/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert "attachment" not in r.headers.get("content-disposition", "")
    events = list(icalendar.Calendar.from_ical(r.content).walk("VEVENT"))
    assert events and all(int(e.get("sequence")) == 0 for e in events)
    again = list(
        icalendar.Calendar.from_ical(planned.get("/api/v1/calendar.ics").content).walk("VEVENT")
    )
    assert [str(e.get("uid")) for e in again] == [str(e.get("uid")) for e in events]
    assert all(int(e.get("sequence")) == 0 for e in again)  # polling changes nothing
    assert planned.get("/api/v1/calendar.ics", params={"tz": "Europe/Berlin"}).status_code == 400


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_any_change_then_export_equals_the_new_plan_alone(data: st.DataObject) -> None:
    """For any two plans (sessions kept, dropped or edited), what a calendar holds after export
    1 then export 2 (applied by UID, the higher SEQUENCE winning) is export 2 alone, plus
    cancellations of exactly the sessions that went."""
    base = _BASE
    sessions = list(base.sessions)
    keep1 = data.draw(st.lists(st.booleans(), min_size=len(sessions), max_size=len(sessions)))
    keep2 = data.draw(st.lists(st.booleans(), min_size=len(sessions), max_size=len(sessions)))
    edit2 = data.draw(st.lists(st.booleans(), min_size=len(sessions), max_size=len(sessions)))

    def plan_of(keep: list[bool], edit: list[bool] | None = None) -> Plan:
        weeks = []
        for w in base.weeks:
            kept = []
            for s in w.sessions:
                i = sessions.index(s)
                if keep[i]:
                    kept.append(replace(s, title=s.title + " (moved)") if edit and edit[i] else s)
            weeks.append(replace(w, sessions=tuple(kept)))
        return replace(base, weeks=tuple(weeks))

    one, two = plan_of(keep1), plan_of(keep2, edit2)
    state1 = {e.uid: e for e in calendar_state(one)}
    state2 = calendar_state(two, state1)
    calendar: dict[str, tuple[int, str, bool]] = {}
    for state in (list(state1.values()), state2):
        for e in state:
            old = calendar.get(e.uid)
            if old is None or e.sequence >= old[0]:
                calendar[e.uid] = (e.sequence, e.digest, e.cancelled)
    alone = {e.uid: e.digest for e in calendar_state(two)}
    live = {uid: digest for uid, (_, digest, cancelled) in calendar.items() if not cancelled}
    assert live == alone
    gone = set(state1) - set(alone)
    assert {uid for uid, (_, _, c) in calendar.items() if c} == gone


_BASE = _plan(days=4)
