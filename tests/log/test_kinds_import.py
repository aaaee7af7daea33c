"""Hikes, treadmill and manual runs through the whole import (app/log_import.py): a small
Strava export built from the shared real files (../shared/data) and generated CSV rows and
FIT files; what is stored, what counts in the week's volume, R9's hiked mark, re-imports."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fit_tool.profile.profile_type import SubSport

from support.kindsdata import fit_activity, strava_row, strava_zip
from support.logdata import ACTIVITIES
from trailmix.app import log as training_log
from trailmix.app import trails as library
from trailmix.app.log_import import import_files
from trailmix.app.log_json import record_json
from trailmix.domain.log.adherence import Status
from trailmix.domain.log.kinds import NO_TRACK_NOTE
from trailmix.domain.types import (
    Athlete,
    Kind,
    Phase,
    Plan,
    Race,
    RaceDistance,
    Session,
    Surface,
    Target,
    Week,
)
from trailmix.formats.readers import NamedBytes
from trailmix.storage.db import Database

HIKE = ACTIVITIES / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx"
ROAD = ACTIVITIES / "road" / "fenix2_stavanger_run.fit"
MON = date(2027, 3, 1)


def _at(day: int, hour: int = 7) -> datetime:
    return datetime(MON.year, MON.month, MON.day, hour, tzinfo=UTC) + timedelta(days=day)


def _export(with_files: bool = True) -> bytes:
    """The export; without its files, only the rows with no file (and the ride)."""
    treadmill_fit = fit_activity(_at(2), 2400, 7000, sub_sport=SubSport.TREADMILL)
    rows = [
        strava_row("1", _at(0), "Belt", "Virtual Run", 1800, 5000),
        strava_row("2", _at(1), "Typed in", "Run", 3000, 8000),
        strava_row("3", _at(2), "Gym run", "Run", 2400, 7000, file="activities/3.fit.gz"),
        strava_row("4", _at(3), "Sunday hike", "Hike", 7200, 9000),
        strava_row("5", _at(4), "Croatia", "Hike", 7086, 14897, file="activities/5.gpx"),
        strava_row("6", _at(5), "Stavanger", "Run", 2832, 9008, file="activities/6.fit"),
        strava_row("7", _at(6), "Spin", "Ride", 3600, 30000),
    ]
    if not with_files:
        return strava_zip([r for r in rows if not r[7]])
    return strava_zip(
        rows,
        {
            "activities/3.fit.gz": gzip.compress(treadmill_fit),
            "activities/5.gpx": HIKE.read_bytes(),
            "activities/6.fit": ROAD.read_bytes(),
        },
    )


def _plan() -> Plan:
    def s(day: int, kind: Kind, minutes: float, surface: Surface = Surface.ROAD) -> Session:
        return Session(
            date=MON + timedelta(days=day),
            kind=kind,
            title=kind.value,
            target=Target(duration_min=minutes),
            surface=surface,
        )

    week = Week(
        index=1,
        start=MON,
        phase=Phase.BASE,
        trail_cap=1 / 3,
        sessions=(
            s(0, Kind.EASY, 30),
            s(1, Kind.EASY, 50),
            s(2, Kind.TEMPO, 40),
            s(3, Kind.HIKE, 120, Surface.TRAIL),
            s(5, Kind.EASY, 45),
            s(6, Kind.LONG, 90),
        ),
    )
    return Plan(
        race=Race(RaceDistance.HALF, MON + timedelta(weeks=12)),
        athlete=Athlete(),
        start=MON,
        weeks=(week,),
        trail_cap=1 / 3,
    )


def test_a_strava_export_with_hikes_and_runs_without_a_track(db_url: str) -> None:
    db = Database(db_url)
    try:
        ridge = library.add_file(db, HIKE, name="Korita ridge", technical=["rocky", "steep"])
        assert ridge.category == "technical" and not ridge.hiked
        report = import_files(db, [NamedBytes("export.zip", _export())])
        assert not report.problems, report.problems
        by_name = {r.name: r for r in report.imported}
        assert sorted(by_name) == [
            "Belt",
            "Croatia",
            "Gym run",
            "Stavanger",
            "Sunday hike",
            "Typed in",
        ]
        assert [why for _, why in report.skipped if "Ride" in why]
        # runs without a track: counted from the export (or the FIT session), road, say so
        for name, source in (
            ("Belt", "treadmill"),
            ("Typed in", "export"),
            ("Gym run", "treadmill"),
        ):
            rec = by_name[name]
            assert (rec.kind, rec.has_track, rec.surface) == ("run", False, "road"), name
            assert rec.surface_source == source, name
            assert NO_TRACK_NOTE in rec.summary.notes, name
        assert by_name["Belt"].moving_s == 1800 and by_name["Belt"].distance_km == 5.0
        assert by_name["Gym run"].moving_s == 2400 and by_name["Gym run"].avg_hr == 130
        assert by_name["Gym run"].file_name == "3.fit.gz"
        # hikes: logged as hikes; the one on the technical ridge marks it hiked (R9)
        assert by_name["Sunday hike"].kind == "hike" and not by_name["Sunday hike"].has_track
        croatia = by_name["Croatia"]
        assert (croatia.kind, croatia.has_track, croatia.trail_id) == ("hike", True, ridge.id)
        assert library.get(db, ridge.id).hiked
        r9 = [n for n in croatia.summary.notes if n.startswith("R9")]
        assert r9 and "Korita ridge" in r9[0] and "Croatia" in r9[0] and f"#{croatia.id}" in r9[0]
        doc = record_json(croatia)
        assert doc["kind"] == "hike" and doc["has_track"] and any("R9" in n for n in doc["notes"])
        assert by_name["Stavanger"].kind == "run" and by_name["Stavanger"].has_track

        # the week's volume: the three runs without a track count, the hike does not (the
        # Stavanger file carries its own start, in 2015: the file's time wins over the CSV's)
        assert by_name["Stavanger"].start_utc.year == 2015
        stats = training_log.stats(db, 1, MON + timedelta(days=6))
        assert abs(stats.road_min[-1] - (1800 + 3000 + 2400) / 60) < 0.01
        assert stats.trail_min[-1] == 0
        # and the load: a rated run counts, a rated hike does not
        training_log.set_rpe(db, str(by_name["Belt"].id), 4)
        hike = training_log.set_rpe(db, str(by_name["Sunday hike"].id), 5)
        assert training_log.load_of(hike) == 0
        assert training_log.stats(db, 1, MON + timedelta(days=6)).weeks[-1].load == 4 * 30

        # log week: runs do running sessions, the hike does the hike session
        week = training_log.week_against_plan(db, _plan(), MON + timedelta(days=8))
        status = {m.session.date.weekday(): (m.status, m.run) for m in week.weeks[0].matches}
        assert status[0][0] is Status.DONE  # the treadmill run
        assert status[1][0] is Status.DONE  # the manual run
        assert status[2][0] is Status.DONE  # the FIT treadmill run
        assert status[3][0] is Status.DONE and status[3][1] is not None  # the hike session
        assert status[3][1].id == by_name["Sunday hike"].id
        assert status[5][0] is Status.MISSED  # no run left (Stavanger was in 2015)
        assert status[6][0] is Status.MISSED  # the Croatian hike (2010) is no long run either
        assert week.weeks[0].trail_min == 0

        # re-importing the export changes nothing
        again = import_files(db, [NamedBytes("export.zip", _export())])
        assert not again.imported and len(again.duplicates) == 6
    finally:
        db.dispose()


def test_a_manual_run_that_duplicates_a_recorded_one(db_url: str) -> None:
    """The same run typed in by hand and recorded by a watch is stored once."""
    db = Database(db_url)
    try:
        first = import_files(db, [NamedBytes("run.fit", ROAD.read_bytes())])
        (rec,) = first.imported
        row = strava_row("9", rec.start_utc + timedelta(seconds=20), "Typed", "Run", 2832, 9000)
        report = import_files(db, [NamedBytes("export.zip", strava_zip([row]))])
        assert not report.imported
        assert [why for _, why in report.duplicates if f"#{rec.id}" in why]
    finally:
        db.dispose()


def test_the_faces_show_hikes_and_runs_without_a_track(
    cli: Any, client: Any, tmp_path: Path
) -> None:
    """`log import` and `log list --format json` (CLI); the log page and the upload (web)."""
    export = tmp_path / "export.zip"
    export.write_bytes(_export(with_files=False))
    run = cli("log", "import", str(export), "--format", "json")
    assert run.exit_code == 1, run.output  # 1: something skipped (the ride)
    assert len(json.loads(run.stdout)["imported"]) == 3
    listed = json.loads(cli("log", "list", "--format", "json").stdout)
    rows = listed if isinstance(listed, list) else listed["runs"]
    kinds = {r["name"]: (r["kind"], r["has_track"]) for r in rows}
    assert kinds["Sunday hike"] == ("hike", False) and kinds["Belt"] == ("run", False)
    text = cli("log", "list").stdout
    assert "hike" in text and "no GPS" in text

    r = client.post(
        "/log/upload", files={"files": ("export.zip", _export(False), "application/zip")}
    )
    assert r.status_code in (200, 303), r.text
    page = client.get("/log").text
    assert "hike on trail" in page and "no GPS track" in page


def test_a_broken_track_is_not_taken_for_a_treadmill_run(db_url: str) -> None:
    """A FIT file with one positioned point cannot be read as a track; it has positions, so
    it is reported as a problem, never logged as a run without a track."""
    one_point = fit_activity(_at(0), 1800, 5000, points=[(0.0, 49.4, 8.7)])
    treadmill = fit_activity(_at(1), 1800, 5000, sub_sport=SubSport.TREADMILL)
    db = Database(db_url)
    try:
        report = import_files(
            db, [NamedBytes("broken.fit", one_point), NamedBytes("belt.fit", treadmill)]
        )
        assert [w for w, _ in report.problems] == ["broken.fit: broken.fit"]
        (belt,) = report.imported
        assert not belt.has_track and belt.surface_source == "treadmill"
        assert belt.file_name == "belt.fit" and belt.name == "belt"
    finally:
        db.dispose()
