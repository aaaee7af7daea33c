"""Imports from bytes: an export opened from its bytes is the one opened from its path,
`import_files` reports as `import_paths` does (by the names given), and no import, upload or
trail analysis writes a temporary file."""

from __future__ import annotations

import builtins
import gzip
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from support.logdata import ACTIVITIES
from trailmix.app import log_import as training_log
from trailmix.app import trails as library
from trailmix.app.log_import import ImportReport, import_files, import_paths
from trailmix.errors import FileFormatError
from trailmix.formats.archive import Archive, open_archive
from trailmix.formats.readers import NamedBytes
from trailmix.storage.db import Database
from trailmix.storage.repo import Activities, Trails

FIT = ACTIVITIES / "road" / "fenix2_stavanger_run.fit"
TCX = ACTIVITIES / "road" / "fr410_rolling_road_run.tcx"
GPX_GZ = ACTIVITIES / "road" / "applewatch_healthfit_run.gpx.gz"
HILL = ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit"
HIKE = ACTIVITIES / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx"
RECIFE = ACTIVITIES / "road" / "recife_2020-12-16T05_44_18-300_Running.tcx"

HEADER = "Activity ID,Activity Name,Activity Type,Activity Gear,Filename\n"


def _export() -> bytes:
    """A Strava-style export: runs gzipped and not, a ride, a manual entry, a file the CSV
    names but the zip lacks, an unreadable run, and a photo."""
    rows = [
        ("1", "Stavanger", "Run", "Pegasus", "activities/1.fit.gz"),
        ("2", "Rolling", "Run", "", "activities/2.tcx"),
        ("3", "Virginia", "Run", "", "activities/3.gpx.gz"),
        ("4", "Hill", "Trail Run", "Speedgoat", "activities/4.fit"),
        ("5", "Commute", "Ride", "Bike", "activities/5.fit.gz"),
        ("6", "Treadmill", "Run", "", ""),
        ("7", "Lost", "Run", "", "activities/7.gpx"),
        ("8", "Broken", "Run", "", "activities/8.gpx"),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities.csv", HEADER + "".join(f"{','.join(r)}\n" for r in rows))
        zf.writestr("activities/1.fit.gz", gzip.compress(FIT.read_bytes()))
        zf.writestr("activities/2.tcx", TCX.read_bytes())
        zf.writestr("activities/3.gpx.gz", GPX_GZ.read_bytes())
        zf.writestr("activities/4.fit", HILL.read_bytes())
        zf.writestr("activities/5.fit.gz", gzip.compress(FIT.read_bytes()))
        zf.writestr("activities/8.gpx", b"<gpx><trk></trk></gpx>")
        zf.writestr("media/photo.jpg", b"\xff\xd8" + b"x" * 100)
    return buffer.getvalue()


def _contents(archive: Archive) -> tuple[Any, ...]:
    with archive:
        entries = [(e.name, e.data, e.meta) for e in archive]
        return (
            archive.kind,
            archive.total,
            entries,
            [(s.name, s.reason) for s in archive.skipped],
            [(p.name, p.reason) for p in archive.problems],
        )


def test_an_archive_from_bytes_is_the_archive_from_its_path(tmp_path: Path) -> None:
    data = _export()
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    from_path = _contents(open_archive(path))
    from_bytes = _contents(open_archive(data, "export.zip"))
    assert from_bytes == from_path
    kind, total, entries, skipped, problems = from_bytes
    assert (kind, total) == ("strava", 7)  # every CSV row with a file
    assert [name for name, _, _ in entries] == [
        f"activities/{i}" for i in ("1.fit.gz", "2.tcx", "3.gpx.gz", "4.fit", "8.gpx")
    ]
    assert [name for name, _ in skipped] == ["activity 6 (Treadmill)", "activities/5.fit.gz"]
    assert [name for name, _ in problems] == ["activities/7.gpx"]
    assert open_archive(path).name == str(path)
    assert open_archive(data, "export.zip").name == "export.zip"
    assert open_archive(data).name == "archive"


def _zip(*members: tuple[zipfile.ZipInfo | str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_zip(("a.fit", b"x"), (zipfile.ZipInfo("../evil.gpx"), b"x")), "zip slip"),
        (_zip(("activities/bomb.gpx", b"\0" * (20 * 1024 * 1024))), "zip bomb"),
        (b"PK\x03\x04 truncated", "not a readable zip archive"),
    ],
    ids=["slip", "bomb", "truncated"],
)
def test_unsafe_archives_from_bytes_are_refused_by_name(
    tmp_path: Path, data: bytes, words: str
) -> None:
    with pytest.raises(FileFormatError, match=words) as from_bytes:
        open_archive(data, "upload.zip")
    assert from_bytes.value.path == "upload.zip"
    path = tmp_path / "upload.zip"
    path.write_bytes(data)
    with pytest.raises(FileFormatError) as from_path:
        open_archive(path)
    assert from_path.value.problem == from_bytes.value.problem


def _rows(report: ImportReport) -> dict[str, Any]:
    return {
        "imported": [
            (r.file_name, r.name, r.activity_type, round(r.distance_km, 6)) for r in report.imported
        ],
        "duplicates": report.duplicates,
        "skipped": report.skipped,
        "problems": report.problems,
    }


def test_import_files_reports_as_import_paths(tmp_path: Path) -> None:
    export = tmp_path / "export.zip"
    export.write_bytes(_export())
    broken = tmp_path / "broken.fit"
    broken.write_bytes(FIT.read_bytes()[:3000])
    paths = [export, broken, HIKE]
    seen: list[tuple[int, str]] = []
    by_path = import_paths(Database(f"sqlite:///{tmp_path / 'a.db'}"), paths)
    by_bytes = import_files(
        Database(f"sqlite:///{tmp_path / 'b.db'}"),
        [NamedBytes(p.name, p.read_bytes()) for p in paths],
        lambda total, name: seen.append((total, name)),
    )
    expected = _rows(by_path)
    for key in ("duplicates", "skipped", "problems"):
        expected[key] = [(f.replace(f"{tmp_path}/", ""), why) for f, why in expected[key]]
    assert _rows(by_bytes) == expected
    assert len(by_bytes.imported) == 5
    # labels: a member after its archive's name, a lone file by its name (as the web shows)
    assert (
        "export.zip: activities/7.gpx",
        "listed in activities.csv but not in the archive",
    ) in by_bytes.problems
    assert [f for f, _ in by_bytes.problems if "broken" in f] == ["broken.fit: broken.fit"]
    assert seen[0] == (7, "activities/1.fit.gz") and seen[-1] == (1, HIKE.name)


# --------------------------------------------------------------------------- no temporary files


@dataclass
class _Upload:
    filename: str
    file: BinaryIO


@pytest.fixture
def no_temp_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way of writing a temporary file, and opening any file for writing from
    Python, fail the test; yields what was attempted."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(what)
            raise AssertionError(f"{what} called: the import wrote a temporary file")

        return refused

    for name in (
        "mkstemp",
        "mkdtemp",
        "TemporaryDirectory",
        "NamedTemporaryFile",
        "TemporaryFile",
        "SpooledTemporaryFile",
    ):
        monkeypatch.setattr(tempfile, name, refuse(f"tempfile.{name}"))
    real_open = builtins.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(c in mode for c in "wax+"):
            attempts.append(f"open({file!r}, {mode!r})")
            raise AssertionError(f"{file} opened for writing during the import")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(io, "open", read_only_open)
    return attempts


def test_no_temporary_file_is_written(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    folder = tmp_path / "garmin"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.fit").write_bytes(FIT.read_bytes())
    (folder / "sub" / "b.tcx.gz").write_bytes(gzip.compress(TCX.read_bytes()))
    (folder / "sub" / "c.tcx").write_bytes(RECIFE.read_bytes())
    export = _export()
    db = Database(f"sqlite:///{tmp_path / 'log.db'}")
    attempts: list[str] = request.getfixturevalue("no_temp_files")

    # a trail from bytes and from a path: the importer matches runs against stored trails,
    # whose files it parses again on every import
    hill = library.add_bytes(db, HILL.read_bytes(), "hill.fit", name="Hill")
    library.add_file(db, HIKE, name="Hike")
    library.reanalyse(db, str(hill.id))
    assert len(training_log.trail_routes(db)) == 2

    zipped = import_files(db, [NamedBytes("export.zip", export)])
    assert len(zipped.imported) == 4 and not zipped.duplicates
    walked = import_paths(db, [folder])
    # a.fit and b.tcx.gz hold the runs of 1.fit.gz and 2.tcx: read, and recognised
    assert len(walked.imported) == 1 and len(walked.duplicates) == 2

    from trailmix.web import uploads
    from trailmix.web.settings import Settings

    settings = Settings(db_url=str(tmp_path / "log.db"), data_dir=tmp_path)
    upload = _Upload("export", io.BytesIO(export))  # a zip by its content, not its name
    report = uploads.import_runs(db, settings, [upload]).report
    assert report is not None
    assert len(report["duplicates"]) == 4 and report["problems"][0]["file"].startswith(
        "export.zip: "
    )
    trail = uploads.add_trail(db, settings, _Upload("route.txt", io.BytesIO(GPX_GZ.read_bytes())))
    assert (trail.name, trail.file_name) == ("route.txt", "route.txt.gz")

    assert attempts == []
    assert len(Activities(db).all()) == 5 and len(Trails(db).records()) == 3
