"""Bulk exports: a generated Strava-style zip, a Garmin folder, zip slip and zip bombs."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from support.logdata import ACTIVITIES
from trailmix.errors import FileFormatError
from trailmix.formats.archive import open_archive, sniff_activity_type
from trailmix.formats.readers import parse_track

FIT = ACTIVITIES / "road" / "fenix2_stavanger_run.fit"
TCX = ACTIVITIES / "road" / "fr410_rolling_road_run.tcx"
GPX_GZ = ACTIVITIES / "road" / "applewatch_healthfit_run.gpx.gz"
HILL = ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit"

HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
    "Elapsed Time,Distance,Activity Gear,Filename,Elapsed Time,Distance\n"
)


def _strava_zip(path: Path) -> Path:
    """A Strava-style export: activities.csv + activities/ with .gz members, a Ride to skip,
    a manual entry without a file, a member whose data is damaged, and one CSV row whose
    file is missing."""
    rows = [
        ("101", "Stavanger run", "Run", "Pegasus 40", "activities/101.fit.gz"),
        ("102", "Rolling road", "Run", "Pegasus 40", "activities/102.tcx.gz"),
        ("103", "Virginia flat", "Run", "", "activities/103.gpx.gz"),
        ("104", "Hill loop", "Trail Run", "Speedgoat", "activities/104.fit"),
        ("105", "Commute", "Ride", "Bike", "activities/105.fit.gz"),
        ("106", "Treadmill log", "Run", "", ""),
        ("107", "Broken", "Run", "", "activities/107.fit.gz"),
        ("108", "Lost", "Run", "", "activities/108.gpx"),
    ]
    csv_text = HEADER + "".join(
        f'{i},"Mar 3, 2027, 7:00:00 AM",{name},{kind},,3000,9.0,{gear},{file},3000,9000.0\n'
        for i, name, kind, gear, file in rows
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities.csv", csv_text)
        zf.writestr("activities/101.fit.gz", gzip.compress(FIT.read_bytes()))
        zf.writestr("activities/102.tcx.gz", gzip.compress(TCX.read_bytes()))
        zf.writestr("activities/103.gpx.gz", GPX_GZ.read_bytes())
        zf.writestr("activities/104.fit", HILL.read_bytes())
        zf.writestr("activities/105.fit.gz", gzip.compress(FIT.read_bytes()))
        zf.writestr("activities/107.fit.gz", gzip.compress(FIT.read_bytes()))
        zf.writestr("media/photo.jpg", b"\xff\xd8" + b"x" * 100)
    # Damage member 107's compressed data in place: its CRC check must fail.
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("activities/107.fit.gz")
    raw = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + 40
    for k in range(start, start + 200):
        raw[k] ^= 0x5A
    path.write_bytes(bytes(raw))
    return path


def test_strava_export(tmp_path: Path) -> None:
    archive_path = _strava_zip(tmp_path / "export_12345678.zip")
    with open_archive(archive_path) as archive:
        assert archive.kind == "strava"
        assert archive.total == 8  # every CSV row with a file, and the manual run
        entries = list(archive)
        skipped = {s.name: s.reason for s in archive.skipped}
        problems = {p.name: p.reason for p in archive.problems}
    assert [e.name for e in entries] == [
        "activities/101.fit.gz",
        "activities/102.tcx.gz",
        "activities/103.gpx.gz",
        "activities/104.fit",
        "activity 106 (Treadmill log)",
    ]
    manual = entries[4]
    assert manual.manual and manual.data == b""
    assert (manual.meta.elapsed_s, manual.meta.distance_m) == (3000.0, 9000.0)
    assert manual.meta.start_utc is not None and manual.meta.start_utc.hour == 7
    entries = entries[:4]
    first = entries[0].meta
    assert (first.activity_type, first.name, first.gear, first.activity_id) == (
        "Run",
        "Stavanger run",
        "Pegasus 40",
        "101",
    )
    assert entries[3].meta.activity_type == "Trail Run"
    assert (
        "Ride" in skipped["activities/105.fit.gz"]
        and "not a run" in skipped["activities/105.fit.gz"]
    )
    assert "damaged" in problems["activities/107.fit.gz"]
    assert "not in the archive" in problems["activities/108.gpx"]
    # Each entry reads as a track from its bytes (gzip unpacked by parse_track).
    for entry in entries:
        assert len(parse_track(entry.data, entry.name)) > 100


def test_garmin_folder_type_from_content(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.fit").write_bytes(FIT.read_bytes())
    (tmp_path / "sub" / "b.tcx.gz").write_bytes(gzip.compress(TCX.read_bytes()))
    ride = TCX.read_bytes().replace(b'Sport="Running"', b'Sport="Biking"')
    (tmp_path / "ride.tcx").write_bytes(ride)
    (tmp_path / "notes.txt").write_text("not an activity")
    with open_archive(tmp_path) as archive:
        names = [e.name for e in archive]
        assert names == ["a.fit", "sub/b.tcx.gz"]
        assert [s.name for s in archive.skipped] == ["ride.tcx"]
        assert "Biking" in archive.skipped[0].reason


def test_sniff_types() -> None:
    assert sniff_activity_type(FIT.read_bytes()) == "running"
    assert sniff_activity_type(TCX.read_bytes()) == "Running"
    assert sniff_activity_type(GPX_GZ.read_bytes()) == "running"
    assert sniff_activity_type(b"junk") is None


@pytest.mark.parametrize("evil", ["../evil.gpx", "/etc/evil.gpx", "a/../../evil.fit", "C:/x.fit"])
def test_zip_slip_is_refused(tmp_path: Path, evil: str) -> None:
    path = tmp_path / "slip.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("activities/ok.fit", FIT.read_bytes())
        zf.writestr(zipfile.ZipInfo(evil), b"x")
    with pytest.raises(FileFormatError, match="zip slip"):
        open_archive(path)


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities/bomb.gpx", b"\0" * (20 * 1024 * 1024))  # ~1000x
    with pytest.raises(FileFormatError, match="zip bomb"):
        open_archive(path)


def test_zip_bomb_total_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trailmix.formats.archive as archive_mod

    monkeypatch.setattr(archive_mod, "MAX_TOTAL_BYTES", 1_000_000)
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for i in range(3):
            zf.writestr(f"activities/{i}.fit", FIT.read_bytes() * 3)
    with pytest.raises(FileFormatError, match="over the"):
        open_archive(path)


def test_overlapping_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "overlap.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("activities/a.fit", FIT.read_bytes())
        zf.writestr("activities/b.fit", FIT.read_bytes())
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    infos[1].header_offset = infos[0].header_offset  # two entries, one body
    from trailmix.formats.archive import check_zip_safety

    with pytest.raises(FileFormatError, match="overlapping"):
        check_zip_safety(infos, str(path))


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(FileFormatError, match="not a readable zip"):
        open_archive(path)
