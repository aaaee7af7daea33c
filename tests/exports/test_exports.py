"""Exports: iCalendar (round trip, stable UIDs, time of day and zone), FIT workouts (Garmin's
SDK decodes them, integrity check included), the printable HTML page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import garmin_fit_sdk
import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.strategies import athletes, libraries, preferences, races, starts
from trailmix.domain.effort import heart_rate_model
from trailmix.domain.imports.plan import import_plan
from trailmix.domain.plan.build import build_plan
from trailmix.domain.plan.mixer import MixOptions, mix
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.types import Athlete, Plan, Surface, TrailPreference
from trailmix.errors import InputError
from trailmix.formats.fit_workout import (
    HR_MIN_STEP_MIN,
    FitStep,
    clip,
    fit_steps,
    plan_to_fit,
    session_to_fit,
    short_title,
    workout_name,
)
from trailmix.formats.html_plan import plan_to_html
from trailmix.formats.ics_export import calendar_state, event_title, event_uid, plan_to_ics
from trailmix.formats.plan_import import plan_from_ics, read_ics, read_plan_file
from trailmix.formats.plan_json import plan_to_dict

STAMP = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _mixed(path: Path, runner: Athlete) -> Plan:
    plan = import_plan(read_plan_file(path), runner).plan
    assert plan.paces is not None
    return mix(
        plan, MixOptions(TrailPreference.ENJOY), Prescriber(plan.paces, heart_rate_model(runner))
    )


@pytest.fixture(scope="module")
def coach_plan() -> Plan:
    from support.export_helpers import DATA, RUNNER

    return _mixed(DATA / "coach-half-km.ics", RUNNER)


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# --- iCalendar ---------------------------------------------------------------------------------


def test_ics_round_trip_gives_the_same_plan(coach_plan: Plan) -> None:
    data = plan_to_ics(coach_plan, stamp=STAMP)
    back = plan_from_ics(data)
    assert back is not None
    assert plan_to_dict(back) == plan_to_dict(coach_plan)


def test_one_event_per_session_titled_for_a_glance(coach_plan: Plan) -> None:
    events = _events(plan_to_ics(coach_plan, stamp=STAMP))
    assert len(events) == len(coach_plan.sessions)
    trail = [e for e in events if "trail" in [str(c) for c in e.get("categories").cats]]
    assert trail
    for ev in trail:
        summary = str(ev.get("summary"))
        assert summary.startswith("Trail") and "RPE" in summary
        text = str(ev.get("description"))
        assert "Trail:" in text and "Shoe:" in text and "Why:" in text and "R5:" in text
        assert "Predicted time:" in text and "Steps:" in text
    race = next(e for e in events if str(e.get("summary")).startswith("Race day"))
    assert "Predicted time: about 1:" in str(race.get("description"))


def test_uids_are_stable_and_a_change_keeps_them(coach_plan: Plan, runner: Athlete) -> None:
    first = _events(plan_to_ics(coach_plan, stamp=STAMP))
    uids = [str(e.get("uid")) for e in first]
    assert len(set(uids)) == len(uids)
    assert uids[0] == event_uid(coach_plan.athlete.name, coach_plan.sessions[0].date)
    # The runner changes a session and the plan is exported again, later.
    s = coach_plan.weeks[2].sessions[1]
    changed_week = replace(
        coach_plan.weeks[2],
        sessions=(
            coach_plan.weeks[2].sessions[0],
            replace(s, title="Easy 50 min"),
            *coach_plan.weeks[2].sessions[2:],
        ),
    )
    changed = replace(
        coach_plan, weeks=(*coach_plan.weeks[:2], changed_week, *coach_plan.weeks[3:])
    )
    previous = {e.uid: e for e in calendar_state(coach_plan)}
    again = _events(plan_to_ics(changed, stamp=STAMP + timedelta(days=3), previous=previous))
    assert [str(e.get("uid")) for e in again] == uids
    sequences = {str(e.get("uid")): int(e.get("sequence")) for e in again}
    edited_uid = event_uid(coach_plan.athlete.name, s.date)
    assert sequences.pop(edited_uid) == 1 and set(sequences.values()) == {0}
    # Mixed another way, the same days keep their UIDs too.
    plan = import_plan(read_ics(plan_to_ics(coach_plan)), runner).plan
    minimum = mix(plan, MixOptions(TrailPreference.MINIMUM), Prescriber(plan.paces))  # type: ignore[arg-type]
    by_day = {s.date: event_uid(minimum.athlete.name, s.date) for s in minimum.sessions}
    assert set(by_day.values()) <= set(uids)


def test_edited_event_is_read_from_its_words(coach_plan: Plan) -> None:
    cal = icalendar.Calendar.from_ical(plan_to_ics(coach_plan, stamp=STAMP))
    target = event_title(coach_plan.weeks[1].sessions[1])
    event = next(e for e in cal.walk("VEVENT") if str(e.get("summary")) == target)
    event["summary"] = icalendar.vText("Rest")
    edited = cal.to_ical()
    assert plan_from_ics(edited) is None  # not the exported plan any more
    entries = read_ics(edited)
    assert sum(e.session is None for e in entries) == 1


def test_reimporting_a_mixed_calendar_mixes_the_road_plan_again(
    coach_plan: Plan, runner: Athlete
) -> None:
    entries = read_ics(plan_to_ics(coach_plan, stamp=STAMP))
    road = import_plan(entries, runner).plan
    assert all(s.surface is Surface.ROAD for s in road.sessions)
    assert road.paces is not None
    again = mix(road, MixOptions(TrailPreference.ENJOY), Prescriber(road.paces))
    from support.export_helpers import assert_mixed_by_the_rules

    assert_mixed_by_the_rules(again)


def test_time_of_day_and_time_zone(coach_plan: Plan) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    data = plan_to_ics(coach_plan, at=time(7, 0), tz=berlin, stamp=STAMP)
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/Berlin" in data
    ev = _events(data)[0]
    start = ev.get("dtstart").dt
    assert isinstance(start, datetime) and start.hour == 7 and start.tzinfo is not None
    assert start.utcoffset() == timedelta(hours=1)  # January in Berlin
    assert ev.get("duration").dt == timedelta(minutes=round(coach_plan.sessions[0].duration_min))
    all_day = _events(plan_to_ics(coach_plan, stamp=STAMP))[0].get("dtstart").dt
    assert isinstance(all_day, date) and not isinstance(all_day, datetime)


@settings(max_examples=15)
@given(start=starts, data=st.data())
def test_ics_round_trip_of_generated_plans(start: date, data: st.DataObject) -> None:
    athlete = replace(data.draw(athletes()), trail_preference=data.draw(preferences))
    try:
        plan = build_plan(athlete, data.draw(races(start)), start, data.draw(libraries()))
    except InputError:
        return
    back = plan_from_ics(plan_to_ics(plan, stamp=STAMP))
    assert back is not None and plan_to_dict(back) == plan_to_dict(plan)


# --- FIT ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> dict[str, list[dict[str, object]]]:
    assert garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data))).is_fit()
    check = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
    assert check.check_integrity()
    messages, errors = garmin_fit_sdk.Decoder(
        garmin_fit_sdk.Stream.from_byte_array(bytearray(data))
    ).read()
    assert errors == []
    return messages


def _expect(decoded: dict[str, object], f: FitStep) -> None:
    if f.repeat_from is not None:
        assert decoded["duration_type"] == "repeat_until_steps_cmplt"
        assert decoded["duration_step"] == f.repeat_from
        assert decoded["repeat_steps"] == f.repeat
        return
    assert decoded["wkt_step_name"] == f.name and "RPE" in f.name
    assert "RPE" in str(decoded["notes"])
    if f.meters:
        assert decoded["duration_type"] == "distance"
        assert decoded["duration_distance"] == pytest.approx(f.meters, abs=0.01)
    elif f.seconds:
        assert decoded["duration_type"] == "time"
        assert decoded["duration_time"] == pytest.approx(f.seconds, abs=0.001)
    target = decoded.get("target_type")
    if f.target is not None and f.target.name == "HEART_RATE":
        assert target == "heart_rate"
        assert decoded["custom_target_heart_rate_low"] == int(f.low or 0) + 100
    elif f.target is not None and f.target.name == "SPEED":
        assert target == "speed"
        assert decoded["custom_target_speed_low"] == pytest.approx(f.low, abs=0.002)
    else:
        assert target == "open"


@pytest.mark.parametrize("name", ["coach-half-km.ics", "book-10k.csv", "runner-half-miles.csv"])
def test_every_fit_file_decodes_to_its_steps(name: str, data: Path, runner: Athlete) -> None:
    plan = _mixed(data / name, runner)
    files = plan_to_fit(plan)
    running = [s for s in plan.sessions if s.kind.is_running]
    assert len(files) == len(running) and len({n for n, _ in files}) == len(files)
    for (_name, blob), session in zip(files, running, strict=True):
        messages = _decode(blob)
        assert messages["file_id_mesgs"][0]["type"] == "workout"
        workout = messages["workout_mesgs"][0]
        steps = messages["workout_step_mesgs"]
        expected = fit_steps(session)
        assert workout["num_valid_steps"] == len(steps) == len(expected)
        assert len(str(workout["wkt_name"]).encode()) <= 31
        for got, f in zip(steps, expected, strict=True):
            _expect(got, f)
        # Timed sessions add up to the session's minutes, repeats counted.
        if not any(f.meters for f in expected):
            total = _fit_seconds(expected) / 60
            assert total == pytest.approx(session.duration_min, abs=1.0)
        if session.surface is Surface.TRAIL:
            assert all(s.get("target_type") != "speed" for s in steps)  # R5: no pace on trails
            assert all(s.get("duration_type") != "distance" for s in steps)  # R5: by time
        # A name is whole words: every word of it is a word of the short title or the date.
        name = str(workout["wkt_name"])
        assert set(name.split()[1:]) <= set(short_title(session.title).split())


def _fit_seconds(steps: list[FitStep]) -> float:
    total = 0.0
    extra: dict[int, float] = {}
    for i, f in enumerate(steps):
        if f.repeat_from is not None:
            block = sum((g.seconds or 0) for g in steps[f.repeat_from : i] if g.repeat_from is None)
            extra[i] = block * (f.repeat - 1)
        else:
            total += f.seconds or 0
    return total + sum(extra.values())


def test_fit_repeats_and_hr_targets(coach_plan: Plan) -> None:
    intervals = next(s for s in coach_plan.sessions if s.title.startswith("6 x 800m"))
    steps = _decode(session_to_fit(intervals))["workout_step_mesgs"]
    assert [s.get("intensity") for s in steps] == ["warmup", "active", "recovery", None, "cooldown"]
    assert steps[3]["repeat_steps"] == 6 and steps[3]["duration_step"] == 1
    assert steps[1]["target_type"] == "speed"  # a road session with a pace
    # 800 m reps stay 800 m on the watch: it beeps at the distance, not at a predicted time.
    assert steps[1]["duration_type"] == "distance"
    assert steps[1]["duration_distance"] == pytest.approx(800.0)
    assert steps[2]["duration_distance"] == pytest.approx(400.0)
    trail = next(s for s in coach_plan.sessions if s.surface is Surface.TRAIL)
    decoded = _decode(session_to_fit(trail))
    assert decoded["workout_mesgs"][0]["sub_sport"] == "trail"
    assert decoded["workout_step_mesgs"][0]["target_type"] == "heart_rate"  # HR known


def test_fit_open_targets_without_heart_rate(data: Path) -> None:
    from support.export_helpers import RUNNER

    plan = _mixed(data / "book-10k.csv", replace(RUNNER, age=None, hr_rest=None))
    trail = next(s for s in plan.sessions if s.surface is Surface.TRAIL)
    steps = _decode(session_to_fit(trail))["workout_step_mesgs"]
    assert {s["target_type"] for s in steps if "target_type" in s} == {"open"}
    assert all("RPE" in str(s["wkt_step_name"]) for s in steps if "wkt_step_name" in s)


def _fitdecode_steps(data: bytes) -> list[dict[str, object]]:
    import fitdecode

    out = []
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                out.append({f.name: f.value for f in frame.fields})
    return out


def test_fit_distance_steps_on_road_time_on_trail(coach_plan: Plan) -> None:
    """Long run and race day are distance steps (read back by fitdecode and Garmin's SDK);
    trail sessions stay timed (R5)."""
    long_run = next(s for s in coach_plan.sessions if s.title == "Long run 14 km")
    race = next(s for s in coach_plan.sessions if s.kind.value == "race")
    for session, meters in ((long_run, 14000.0), (race, race.target.distance_km * 1000)):
        blob = session_to_fit(session)
        garmin = _decode(blob)["workout_step_mesgs"]
        assert [s["duration_type"] for s in garmin] == ["distance"]
        assert garmin[0]["duration_distance"] == pytest.approx(meters, abs=0.01)
        fd = _fitdecode_steps(blob)
        assert fd[0]["duration_type"] == "distance"
        assert fd[0]["duration_distance"] == pytest.approx(meters, abs=0.01)
    for session in (s for s in coach_plan.sessions if s.surface is Surface.TRAIL):
        assert {s["duration_type"] for s in _fitdecode_steps(session_to_fit(session))} <= {
            "time",
            "repeat_until_steps_cmplt",
        }


def test_fit_a_session_written_in_minutes_stays_timed(coach_plan: Plan) -> None:
    """'Easy 40 min' with an estimated distance (as generated plans carry) is still 40 min."""
    easy = next(s for s in coach_plan.sessions if s.title == "Easy 40 min")
    step = replace(easy.steps[0], target=replace(easy.steps[0].target, distance_km=6.6))
    estimated = replace(easy, steps=(step,), target=replace(easy.target, distance_km=6.6))
    (f,) = fit_steps(estimated)
    assert f.seconds == pytest.approx(2400) and f.meters is None


def test_fit_no_heart_rate_target_on_short_reps(coach_plan: Plan) -> None:
    """Heart rate cannot follow an 83 s hill rep: open target, the RPE in the name instead."""
    hills = next(s for s in coach_plan.sessions if s.kind.value == "hill_repeats" and s.steps)
    for f in fit_steps(hills):
        if f.repeat_from is None and f.seconds and f.seconds < HR_MIN_STEP_MIN * 60:
            assert f.target is not None and f.target.name != "HEART_RATE"
            assert "RPE" in f.name
    work = [
        s
        for s in _decode(session_to_fit(hills))["workout_step_mesgs"]
        if s.get("intensity") == "active"
    ]
    assert work and all(s["target_type"] in ("open", "speed") for s in work)
    # A long enough step keeps its heart-rate target.
    assert any(f.target is not None and f.target.name == "HEART_RATE" for f in fit_steps(hills))


def test_fit_names_fit_the_field_in_whole_words(coach_plan: Plan) -> None:
    hills = next(s for s in coach_plan.sessions if s.title.startswith("Trail hill repeats"))
    name = workout_name(hills)
    assert len(name.encode()) <= 31 and name.endswith(" up")  # "Tr hill reps 7x1:23 up"
    assert clip("Easy run (stop short of the hill if tired)", 20) == "Easy run"
    assert clip("Tempo 4 km @ HMP", 12) == "Tempo 4 km"
    notes = fit_steps(hills)[0].notes
    assert notes.startswith("RPE") and "Trail hill repeats" in notes
    for _, blob in plan_to_fit(coach_plan):
        for step in _decode(blob)["workout_step_mesgs"]:
            text = str(step.get("notes", ""))
            assert text.count("(") == text.count(")")  # nothing cut inside brackets


# --- HTML --------------------------------------------------------------------------------------


def test_html_is_well_formed_and_shows_road_and_trail(coach_plan: Plan) -> None:
    page = plan_to_html(coach_plan)
    root = ET.fromstring(page.split("\n", 1)[1])
    ns = "{http://www.w3.org/1999/xhtml}"
    assert root.find(f"{ns}head/{ns}style") is not None
    assert "http" not in page.replace("http://www.w3.org/1999/xhtml", "")  # no external assets
    classes = [el.get("class", "") for el in root.iter(f"{ns}div")]
    assert "s trail" in classes and "s road" in classes
    assert sum(c == "bar" for c in classes) == len(coach_plan.weeks)
    assert "@media print" in page


def test_html_escapes_a_hostile_title(coach_plan: Plan) -> None:
    s = coach_plan.weeks[0].sessions[0]
    evil = replace(s, title='<script>alert("x")</script> & <b>')
    week = replace(coach_plan.weeks[0], sessions=(evil, *coach_plan.weeks[0].sessions[1:]))
    page = plan_to_html(replace(coach_plan, weeks=(week, *coach_plan.weeks[1:])))
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    ET.fromstring(page.split("\n", 1)[1])
