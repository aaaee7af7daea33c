"""Bring-your-own plan: six realistic plan files recognised and mixed by the rules, and every
kind of bad input refused with a clear message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from support.export_helpers import assert_mixed_by_the_rules
from trailmix.domain.effort import heart_rate_model
from trailmix.domain.imports.plan import Entry, Imported, import_plan
from trailmix.domain.imports.words import Confidence
from trailmix.domain.plan.mixer import MixOptions, athlete_options, mix
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.types import Athlete, Kind, Phase, Plan, RaceDistance, TrailPreference
from trailmix.errors import FileFormatError, InputError
from trailmix.formats.plan_import import read_csv, read_ics, read_plan_file

# file, race day, distance, sessions recognised / guessed / not understood, weeks
FILES = {
    "coach-half-km.ics": (date(2027, 3, 14), RaceDistance.HALF, (69, 0, 0), 10),
    "app-marathon-miles.ics": (date(2027, 4, 25), RaceDistance.MARATHON, (70, 1, 0), 12),
    "book-10k.csv": (date(2027, 4, 25), RaceDistance.K10, (55, 0, 0), 8),
    "club-5k-semicolon.csv": (date(2027, 5, 30), RaceDistance.K5, (39, 0, 1), 8),
    "runner-half-miles.csv": (date(2027, 7, 4), RaceDistance.HALF, (41, 4, 0), 9),
    "spreadsheet-marathon-km.tsv": (date(2027, 8, 15), RaceDistance.MARATHON, (69, 0, 0), 10),
}


def _import(path: Path, runner: Athlete) -> Imported:
    return import_plan(read_plan_file(path), runner)


def _mixed(plan: Plan, runner: Athlete, preference: TrailPreference) -> Plan:
    assert plan.paces is not None
    options = MixOptions(preference)
    return mix(plan, options, Prescriber(plan.paces, heart_rate_model(runner)))


@pytest.mark.parametrize("name", sorted(FILES))
def test_plan_files_are_recognised_as_expected(name: str, data: Path, runner: Athlete) -> None:
    race_day, distance, counts, n_weeks = FILES[name]
    imported = _import(data / name, runner)
    plan = imported.plan
    assert (plan.race.date, plan.race.distance) == (race_day, distance)
    got = tuple(imported.count(c) for c in Confidence)
    assert got == counts, [
        (r.entry.title, r.confidence.value, r.recognition.guesses)
        for r in imported.recognised
        if r.confidence is not Confidence.RECOGNISED
    ]
    assert len(plan.weeks) == n_weeks and plan.source == "imported"
    assert plan.sessions[-1].kind is Kind.RACE and plan.sessions[-1].date == race_day
    assert plan.weeks[-1].phase is Phase.TAPER and plan.weeks[0].phase is Phase.BASE
    # Every entry is accounted for: a session, a rest day, or kept as written.
    assert len(imported.recognised) == len(read_plan_file(data / name))
    for s in plan.sessions:
        assert s.reasons and s.reasons[0].rule in ("your plan", "goal race")
        if s.kind.is_running:
            assert s.duration_min > 0  # distance sessions carry their time (R5)
            assert s.steps


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize("preference", [TrailPreference.ENJOY, TrailPreference.MINIMUM])
def test_imported_plans_are_mixed_by_the_rules(
    name: str, preference: TrailPreference, data: Path, runner: Athlete
) -> None:
    mixed = _mixed(_import(data / name, runner).plan, runner, preference)
    assert_mixed_by_the_rules(mixed)


def test_sessions_read_as_the_coach_wrote_them(data: Path, runner: Athlete) -> None:
    plan = _import(data / "coach-half-km.ics", runner).plan
    day = {s.date: s for s in plan.sessions}
    intervals = day[date(2027, 1, 6)]
    assert intervals.kind is Kind.INTERVALS
    block = intervals.steps[1]
    assert block.repeat == 6 and block.steps[0].target.distance_km == 0.8
    tempo = day[date(2027, 1, 9)]
    assert tempo.kind is Kind.TEMPO and tempo.race_specific  # @ HMP in a half plan
    long_run = day[date(2027, 1, 10)]
    assert long_run.kind is Kind.LONG and long_run.target.distance_km == 14
    assert 70 < long_run.duration_min < 100  # 14 km at E pace
    cross = day[date(2027, 1, 8)]
    assert cross.kind is Kind.REST and not cross.kind.is_running  # cross-training kept
    assert date(2027, 1, 4) not in day  # "Rest": a rest day, no session
    assert plan.race.name == "Riverside Half"


def test_miles_are_converted(data: Path, runner: Athlete) -> None:
    plan = _import(data / "app-marathon-miles.ics", runner).plan
    lr = next(s for s in plan.sessions if s.title == "LR 12mi")
    assert lr.target.distance_km == pytest.approx(19.31, abs=0.01)
    half = _import(data / "runner-half-miles.csv", runner).plan
    first_long = next(s for s in half.sessions if s.kind is Kind.LONG)
    assert first_long.target.distance_km == pytest.approx(8 * 1.609344, abs=0.01)


def test_not_understood_is_reported_and_kept_never_dropped(data: Path, runner: Athlete) -> None:
    imported = _import(data / "club-5k-semicolon.csv", runner)
    lost = [r for r in imported.recognised if r.confidence is Confidence.NOT_UNDERSTOOD]
    assert [r.entry.title for r in lost] == ["Coach call"]
    kept = imported.plan.sessions_on(date(2027, 5, 28))
    assert kept and kept[0].title == "Coach call" and kept[0].kind is Kind.REST
    assert any("Coach call" in w.text for w in imported.plan.warnings)


def test_tune_up_race_stays_a_race_on_the_road(data: Path, runner: Athlete) -> None:
    plan = _mixed(
        _import(data / "club-5k-semicolon.csv", runner).plan, runner, TrailPreference.ENJOY
    )
    parkrun = plan.sessions_on(date(2027, 5, 1))[0]
    assert parkrun.kind is Kind.RACE and parkrun.race_specific
    assert parkrun.surface.value == "road"


# --- bad input ---------------------------------------------------------------------------------


def test_an_ics_that_is_not_icalendar(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="not an iCalendar file"):
        read_ics(b"date,title\n2027-01-01,Easy 40 min\n", "plan.ics")
    with pytest.raises(FileFormatError, match="not valid iCalendar"):
        read_ics(b"BEGIN:VCALENDAR\nthis is not a content line\nEND:VCALENDAR\n", "x.ics")


def test_an_event_with_no_date() -> None:
    doc = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "SUMMARY:Easy 40 min\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(FileFormatError, match=r"event 1 'Easy 40 min' has no date"):
        read_ics(doc.encode(), "plan.ics")


def test_a_calendar_with_no_events() -> None:
    doc = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n"
    with pytest.raises(FileFormatError, match="no events"):
        read_ics(doc.encode(), "plan.ics")


def test_csv_with_unknown_columns() -> None:
    with pytest.raises(FileFormatError, match=r"unknown columns 'heart rate', 'shoe'"):
        read_csv("date,title,heart rate,shoe\n2027-01-04,Easy 40 min,140,Pegasus\n", "p.csv")


def test_csv_with_a_different_delimiter() -> None:
    with pytest.raises(FileFormatError, match=r"separated by '\|'"):
        read_csv("date|title\n2027-01-04|Easy 40 min\n", "p.csv")


def test_csv_row_with_another_delimiter_than_the_header() -> None:
    with pytest.raises(FileFormatError, match="line 3 has 1 field where the header has 2"):
        read_csv("date,title\n2027-01-04,Easy 40 min\n2027-01-05;Tempo 20 min\n", "p.csv")


def test_csv_dates_out_of_order_or_duplicated() -> None:
    with pytest.raises(FileFormatError, match=r"line 3: 2027-01-03 comes after 2027-01-04"):
        read_csv("date,title\n2027-01-04,Easy 40 min\n2027-01-03,Rest\n", "p.csv")
    with pytest.raises(FileFormatError, match=r"line 3: 2027-01-04 again \(also line 2\)"):
        read_csv("date,title\n2027-01-04,Easy 40 min\n2027-01-04,Rest\n", "p.csv")


def test_csv_bad_date_and_missing_title_column() -> None:
    with pytest.raises(FileFormatError, match=r"line 2: '2027-13-45' is not a date"):
        read_csv("date,title\n2027-13-45,Easy 40 min\n", "p.csv")
    with pytest.raises(FileFormatError, match=r"line 2: 'soon' is not a date"):
        read_csv("date,title\nsoon,Easy 40 min\n", "p.csv")
    with pytest.raises(FileFormatError, match="has no title column"):
        read_csv("date,notes\n2027-01-04,Easy 40 min\n", "p.csv")


def test_two_events_on_one_day(runner: Athlete) -> None:
    entries = [
        Entry(date(2027, 1, 4), "Easy 40 min", where="event 1"),
        Entry(date(2027, 1, 4), "Easy 20 min", where="event 2"),
        Entry(date(2027, 2, 7), "Race day"),
    ]
    with pytest.raises(InputError, match=r"two sessions on 2027-01-04 \(event 1 and event 2\)"):
        import_plan(entries, runner, distance=RaceDistance.HALF)


def test_a_plan_with_no_race(runner: Athlete) -> None:
    entries = [Entry(date(2027, 1, 4), "Easy 40 min"), Entry(date(2027, 1, 6), "Long run 12 km")]
    with pytest.raises(InputError, match="--race-date: the plan has no race"):
        import_plan(entries, runner, distance=RaceDistance.HALF)


def test_a_plan_that_ends_after_the_race(runner: Athlete) -> None:
    entries = [
        Entry(date(2027, 1, 4), "Easy 40 min"),
        Entry(date(2027, 2, 7), "Race day"),
        Entry(date(2027, 2, 9), "Recovery 20 min", where="line 4"),
    ]
    with pytest.raises(InputError, match=r"goes on after its race on 2027-02-07: 2027-02-09"):
        import_plan(entries, runner, distance=RaceDistance.HALF)
    with pytest.raises(
        InputError, match=r"--race-date: the plan goes on after race day 2027-02-08"
    ):
        import_plan(entries, runner, distance=RaceDistance.HALF, race_date=date(2027, 2, 8))


def test_race_distance_must_be_known(runner: Athlete) -> None:
    entries = [Entry(date(2027, 1, 4), "Easy 40 min"), Entry(date(2027, 2, 7), "Race day")]
    with pytest.raises(InputError, match="--distance"):
        import_plan(entries, runner)


def test_a_race_date_with_no_session_adds_the_race(runner: Athlete) -> None:
    entries = [Entry(date(2027, 1, 4 + 7 * k), "Easy 40 min") for k in range(4)]
    plan = import_plan(entries, runner, distance=RaceDistance.K10, race_date=date(2027, 2, 6)).plan
    assert plan.sessions[-1].kind is Kind.RACE and plan.sessions[-1].date == date(2027, 2, 6)


def test_paces_need_a_recent_race_or_a_goal_time() -> None:
    entries = [Entry(date(2027, 1, 4), "Easy 40 min"), Entry(date(2027, 2, 7), "Race day")]
    with pytest.raises(InputError, match="--recent-race"):
        import_plan(entries, Athlete(), distance=RaceDistance.HALF)
    plan = import_plan(entries, Athlete(), distance=RaceDistance.HALF, goal_time_s=6300).plan
    assert plan.paces is not None


def test_athlete_options_apply(data: Path, runner: Athlete) -> None:
    plan = _import(data / "book-10k.csv", runner).plan
    assert plan.paces is not None
    mixed = mix(plan, athlete_options(runner), Prescriber(plan.paces))
    assert mixed.adaptation is not None
