"""What a logged activity was (domain/log/kinds.py) and what activities.csv says of it
(formats/archive.py): hikes and walks by type or by speed on a technical trail, treadmill and
manual runs without a track, and the CSV's new columns read safely (fuzzed)."""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.kindsdata import STRAVA_HEADER, csv_text, strava_row, strava_zip
from trailmix.domain.log.kinds import (
    NO_TRACK_NOTE,
    WALK_RUN_TRANSITION_MS,
    ActivityKind,
    decide_kind,
    kind_by_speed,
    untracked,
)
from trailmix.domain.trail.model import TrailCategory
from trailmix.formats.archive import (
    _from_csv,
    csv_number,
    open_archive,
    strava_date,
)

T0 = datetime(2027, 3, 3, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("activity_type", "kind"),
    [
        ("Hike", ActivityKind.HIKE),
        ("hiking", ActivityKind.HIKE),  # FIT sport, GPX type
        ("Walk", ActivityKind.WALK),
        ("walking", ActivityKind.WALK),
        ("Run", ActivityKind.RUN),
        ("Trail Run", ActivityKind.RUN),
        ("Virtual Run", ActivityKind.RUN),
        ("treadmill_running", ActivityKind.RUN),
        ("Running", ActivityKind.RUN),  # TCX Sport
    ],
)
def test_the_type_decides(activity_type: str, kind: ActivityKind) -> None:
    decision = decide_kind(activity_type, 1.2, 0.9, TrailCategory.TECHNICAL, "Ridge")
    assert decision.kind is kind
    assert activity_type in decision.reason  # the type wins even at walking speed


def test_a_hike_by_its_speeds_on_a_technical_trail_only() -> None:
    hike = decide_kind(None, 1.1, 0.8, TrailCategory.TECHNICAL, "Ridge")
    assert hike.kind is ActivityKind.HIKE
    assert "Ridge" in hike.reason and "Hreljac" in hike.reason
    # the same speeds elsewhere: a slow run
    for category in (None, TrailCategory.DIRT, TrailCategory.HILLY):
        assert decide_kind(None, 1.1, 0.8, category).kind is ActivityKind.RUN
    # running speed, or mostly above walking pace: a run
    assert kind_by_speed(WALK_RUN_TRANSITION_MS, 0.9, TrailCategory.TECHNICAL) is None
    assert kind_by_speed(1.8, 0.3, TrailCategory.TECHNICAL) is None
    assert kind_by_speed(None, None, TrailCategory.TECHNICAL) is None


def test_untracked_runs() -> None:
    treadmill = untracked("Virtual Run", 1800, None, 5000)
    assert treadmill is not None
    assert (treadmill.kind, treadmill.surface, treadmill.surface_source) == (
        ActivityKind.RUN,
        "road",
        "treadmill",
    )
    assert "not a trail" in treadmill.surface_reason
    assert NO_TRACK_NOTE.lower() in treadmill.surface_reason.lower()
    flagged = untracked("Run", 1800, 1700, 5000, trainer=True)
    assert flagged is not None and flagged.surface_source == "treadmill"
    assert flagged.moving_s == 1700 and flagged.elapsed_s == 1800
    fit_sub = untracked("running", 1800, None, 5000, sub_sport="treadmill")
    assert fit_sub is not None and fit_sub.surface_source == "treadmill"
    manual = untracked("Run", 2400, None, None)
    assert manual is not None and (manual.surface, manual.distance_m) == ("road", None)
    trail = untracked("Trail Run", 3600, None, 8000)
    assert trail is not None and trail.surface == "trail"
    hike = untracked("Hike", 7200, None, 9000)
    assert hike is not None and hike.kind is ActivityKind.HIKE
    assert untracked("Run", None, None, 5000) is None
    assert untracked("Run", 0, 0, 5000) is None


def test_strava_dates_and_numbers() -> None:
    assert strava_date("Mar 3, 2027, 5:30:00 PM") == T0
    assert strava_date("2027-03-03T17:30:00Z") == T0
    assert strava_date("2027-03-03 19:30:00+02:00") == T0
    assert strava_date("yesterday") is None and strava_date("") is None
    assert csv_number("9.0") == 9.0
    assert csv_number("10,021.5") == 10021.5
    assert csv_number("9,5") == 9.5
    assert csv_number("-3") is None and csv_number("nan") is None and csv_number("") is None


def test_activities_csv_rows_without_a_file() -> None:
    rows = [
        strava_row("1", T0, "Treadmill", "Run", 1800, 5000),
        strava_row("2", T0, "Belt", "Virtual Run", 1500, 4200),
        strava_row("3", T0, "Hike by hand", "Hike", 7200, 9000),
        strava_row("4", T0, "Spin", "Ride", 3600, 20000),
        ["5", "", "No date", "Run", "1800", "5.00", "", "", "1800", "1800", "5000"],
        ["6", "Mar 3, 2027, 5:30:00 PM", "No time", "Run", "", "5.00", "", "", "", "", ""],
    ]
    names, meta, skipped, manual = _from_csv(csv_text(rows), "", [])
    assert names == ["activity 1 (Treadmill)", "activity 2 (Belt)", "activity 3 (Hike by hand)"]
    assert set(manual) == set(names) and not meta
    one = manual["activity 1 (Treadmill)"]
    assert (one.start_utc, one.elapsed_s, one.moving_s, one.distance_m) == (T0, 1800, 1800, 5000)
    why = {s.name: s.reason for s in skipped}
    assert "not a run, hike or walk" in why["activity 4 (Spin)"]
    assert "no date" in why["activity 5 (No date)"]
    assert "no time" in why["activity 6 (No time)"]


def test_one_distance_column_is_in_kilometres() -> None:
    header = ["Activity ID", "Activity Date", "Activity Type", "Elapsed Time", "Distance"]
    text = csv_text([["1", "Mar 3, 2027, 5:30:00 PM", "Run", "1800", "5.25"]], header)
    _, _, _, manual = _from_csv(text, "", [])
    assert next(iter(manual.values())).distance_m == pytest.approx(5250)


def test_hikes_in_an_export_are_read_not_skipped() -> None:
    gpx = (
        b'<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>hiking</type></trk></gpx>'
    )
    rows = [
        strava_row("1", T0, "Hike", "Hike", 7200, 9000, file="activities/1.gpx"),
        strava_row("2", T0, "Walk", "Walk", 1800, 2000, file="activities/2.gpx"),
        strava_row("3", T0, "Ride", "Ride", 1800, 9000, file="activities/3.gpx"),
    ]
    data = strava_zip(rows, {f"activities/{i}.gpx": gpx for i in (1, 2, 3)})
    with open_archive(data, "export.zip") as archive:
        entries = list(archive)
        skipped = [s.name for s in archive.skipped]
    assert [e.meta.activity_type for e in entries] == ["Hike", "Walk"]
    assert skipped == ["activities/3.gpx"]


_field = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_field, min_size=0, max_size=len(STRAVA_HEADER) + 2), max_size=8))
def test_fuzzed_activities_csv_never_breaks_the_reader(rows: list[list[str]]) -> None:
    """Any text in any column: the reader returns, and every manual entry it keeps is one
    that can be logged (a start, a time over 0, a distance of 0-1,000 km or none)."""
    buf = io.StringIO()
    csv.writer(buf).writerows([STRAVA_HEADER, *rows])
    names, _, skipped, manual = _from_csv(buf.getvalue(), "", [])
    assert set(manual) <= set(names)
    for m in manual.values():
        assert m.start_utc is not None and m.start_utc.tzinfo is not None
        seconds = m.moving_s or m.elapsed_s
        assert seconds is not None and seconds > 0 and math.isfinite(seconds)
        assert m.distance_m is None or 0 <= m.distance_m <= 1_000_000
        assert untracked(m.activity_type, m.elapsed_s, m.moving_s, m.distance_m) is not None
    assert all(s.reason for s in skipped)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 100_000),
    st.floats(0, 500_000, allow_nan=False),
    st.sampled_from(["Run", "Virtual Run", "Hike", "Walk", "Trail Run"]),
)
def test_generated_rows_read_back(seconds: int, metres: float, kind: str) -> None:
    row = strava_row("7", T0, "Generated", kind, seconds, metres)
    _, _, _, manual = _from_csv(csv_text([row]), "", [])
    (m,) = manual.values()
    assert m.activity_type == kind and m.start_utc == T0
    assert m.elapsed_s == pytest.approx(seconds, abs=0.5)
    assert m.distance_m == pytest.approx(metres, abs=0.1)
