"""The GPX, TCX, FIT and SRTM readers on the shared real files and on bad files made here."""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from trailmix.domain.trail.profile import build_profile
from trailmix.errors import FileFormatError
from trailmix.formats.readers import read_track, sniff
from trailmix.formats.srtm import DemFolder, read_tile, tile_name
from trailmix.formats.track import Track

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
ALL_FILES = sorted(p for p in ACTIVITIES.glob("*/*") if p.is_file())
BOULDER = sorted(ACTIVITIES.glob("trail_hill/boulder_*.fit"))
FENIX = ACTIVITIES / "road" / "fenix2_stavanger_run.fit"
HEIDELBERG = ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit"
VOSGES = ACTIVITIES / "trail_hill" / "polar_m400_vosges_run.tcx"
APPLE = ACTIVITIES / "road" / "applewatch_healthfit_run.gpx.gz"
KORITA = ACTIVITIES / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx"

Write = Callable[[str, bytes | str], Path]


def _expected_format(path: Path) -> str:
    return {"fit": "fit", "tcx": "tcx"}.get(path.suffix.lstrip("."), "gpx")


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_shared_activity_reads(path: Path) -> None:
    track = read_track(path)
    assert track.source_format == _expected_format(path)
    assert len(track) > 300
    assert np.all(np.abs(track.lat) <= 90) and np.all(np.abs(track.lon) <= 180)
    assert track.has_elevation == ("no_altitude" not in path.name)
    assert len(track.lat) == len(track.elevation) == len(track.time_s) == len(track.segment)


def test_fit_semicircles_become_degrees_and_fields_are_read() -> None:
    track = read_track(FENIX)
    # first record: position_lat 703410450, position_long 68347712 semicircles (2^31 = 180 deg)
    assert track.lat[0] == pytest.approx(703410450 * 180 / 2**31)
    assert track.lon[0] == pytest.approx(68347712 * 180 / 2**31)
    assert track.lat[0] == pytest.approx(58.959, abs=1e-3)
    assert track.elevation[0] == 55.0
    assert track.has_heart_rate and track.has_time
    assert len(track) == 2809


def test_fit_records_without_position_are_dropped() -> None:
    # the FR645M writes 1202 records, the first 45 before it had a GPS fix
    track = read_track(HEIDELBERG)
    assert len(track) == 1157


def test_tcx_fields_and_gpx_segments() -> None:
    tcx = read_track(VOSGES)
    assert tcx.source_format == "tcx" and tcx.has_heart_rate
    assert 900 < np.nanmin(tcx.elevation) < np.nanmax(tcx.elevation) < 960
    korita = read_track(KORITA)
    # an empty first track, a track without times, then two timed tracks: 3 segments
    assert sorted(set(korita.segment.tolist())) == [0, 1, 2]
    assert np.isnan(korita.time_s[korita.segment == 0]).all()
    assert np.isfinite(korita.time_s[korita.segment == 2]).all()


def test_content_decides_not_the_name(write: Write) -> None:
    fit_named_gpx = write("actually_fit.gpx", FENIX.read_bytes())
    assert read_track(fit_named_gpx).source_format == "fit"
    plain_gpx = write("route.dat", gzip.decompress(APPLE.read_bytes()))
    assert read_track(plain_gpx).source_format == "gpx"
    gz_tcx = write("vosges.bin", gzip.compress(VOSGES.read_bytes()))
    assert read_track(gz_tcx).source_format == "tcx"
    gz_fit = write("fenix.fit.gz", gzip.compress(FENIX.read_bytes()))
    assert len(read_track(gz_fit)) == 2809


def test_sniff() -> None:
    assert sniff(FENIX.read_bytes()[:64]) == "fit"
    assert sniff(b"<?xml version='1.0'?><gpx version='1.1'>") == "gpx"
    assert sniff(b"<TrainingCenterDatabase xmlns='x'>") == "tcx"
    assert sniff(b"<html><body>gpx</body></html>") is None
    assert sniff(b"\x00\x01<gpx ") is None


def test_gpx_route_points_heart_rate_and_stray_point(write: Write) -> None:
    route = write(
        "planned.gpx",
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        "<rte><name>Loop</name>"
        '<rtept lat="47.0" lon="8.0"><ele>400</ele></rtept>'
        '<rtept lat="47.001" lon="8.0"><ele>405</ele></rtept>'
        '<rtept lat="47.002" lon="8.0"><ele>410</ele></rtept>'
        "</rte></gpx>",
    )
    track = read_track(route)
    assert track.name == "Loop" and len(track) == 3 and not track.has_time

    hr = write(
        "hr.gpx",
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        "<trk><trkseg>"
        '<trkpt lat="47.0" lon="8.0"><extensions><gpxtpx:TrackPointExtension>'
        "<gpxtpx:hr>141</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"
        '<trkpt lat="47.001" lon="8.0"><extensions><gpxtpx:TrackPointExtension>'
        "<gpxtpx:hr>143</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"
        "</trkseg></trk></gpx>",
    )
    assert read_track(hr).heart_rate.tolist() == [141.0, 143.0]


def test_a_single_stray_point_is_dropped_not_refused(
    write: Write, gpx_doc: Callable[..., str]
) -> None:
    pts = [(47.0 + i * 0.0001, 8.0, 400.0 + i, f"2020-01-01T10:00:{i:02d}Z") for i in range(20)]
    pts[10] = (0.0, 0.0, 400.0, "2020-01-01T10:00:10Z")  # "null island" glitch
    track = read_track(write("stray.gpx", gpx_doc(pts)))
    profile = build_profile(track)
    assert any("dropped 1 stray GPS point" in note for note in profile.notes)
    assert profile.length_km == pytest.approx(19 * 0.0001 * 111.195, rel=0.01)


def test_boulder_files_get_no_elevation_from_the_shared_tiles() -> None:
    dem = DemFolder(SHARED / "data" / "dem")
    assert "N40W106" not in dem.tiles and "N39W106" not in dem.tiles
    for path in BOULDER:
        profile = build_profile(read_track(path), dem)
        assert profile.elevation_source == "none"
        assert profile.gain_m is None and profile.max_sustained_grade_200m is None
        assert any(n.startswith("no elevation") and "do not cover" in n for n in profile.notes), (
            profile.notes
        )


def _write_plane_tile(folder: Path, lat: int, lon: int, side: int = 1201) -> None:
    """A synthetic tile whose sample at (row r, col c) is 1500 + (side-1-r) + 2c metres: in
    degrees, e = 1500 + 1200 (lat - lat0) + 2400 (lon - lon0) for SRTM3."""
    r = np.arange(side)[:, None]
    c = np.arange(side)[None, :]
    data = (1500 + (side - 1 - r) + 2 * c).astype(">i2")
    (folder / f"{tile_name(lat, lon)}.hgt").write_bytes(data.tobytes())


def test_boulder_uses_a_dem_tile_when_one_covers_it(tmp_path: Path) -> None:
    # The Flatirons run crosses latitude 40: it needs N39W106 and N40W106.
    _write_plane_tile(tmp_path, 39, -106)
    _write_plane_tile(tmp_path, 40, -106)
    dem = DemFolder(tmp_path)
    track = read_track(BOULDER[0])
    expected = 1500 + 1200 * (track.lat - np.floor(track.lat)) + 2400 * (track.lon + 106)
    # bilinear interpolation is exact on a plane (tile edges shared between tiles)
    got = dem.elevations(track.lat, track.lon)
    assert np.allclose(got, expected, atol=1e-6)
    profile = build_profile(track, dem)
    assert profile.elevation_source == "dem"
    assert profile.gain_m is not None and profile.gain_m > 0
    assert any("elevation from the DEM" in n for n in profile.notes)


def test_dem_folder_bilinear_voids_zip_and_gaps(tmp_path: Path) -> None:
    side = 1201
    data = np.zeros((side, side), dtype=">i2")
    data[0, 0], data[0, 1], data[1, 0], data[1, 1] = 100, 200, 300, -32768
    data[5:7, 5:7] = -32768
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("N49E011.hgt", data.tobytes())
    (tmp_path / "N49E011.hgt.zip").write_bytes(buf.getvalue())
    dem = DemFolder(tmp_path)
    assert dem.tiles == ("N49E011",) and dem.covers(49.5, 11.5) and not dem.covers(48.5, 11.5)
    step = 1 / (side - 1)
    lat = np.array([50.0, 50.0 - step / 2, 50 - 5.5 * step, 10.0])
    lon = np.array([11.0, 11.0 + step / 2, 11 + 5.5 * step, 10.0])
    got = dem.elevations(lat, lon)
    assert got[0] == 100.0  # the north-west corner sample
    assert got[1] == pytest.approx((100 + 200 + 300) / 3)  # the void corner is left out
    assert np.isnan(got[2]) and np.isnan(got[3])  # all four void; no tile


def test_real_srtm_tile_reads() -> None:
    tile = read_tile(SHARED / "data" / "dem" / "N42E001.hgt.zip")
    assert tile.shape == (1201, 1201)
    assert (tile == -32768).sum() == 7652  # as the data README says
    dem = DemFolder(SHARED / "data" / "dem")
    assert 1000 < dem.elevations(np.array([42.5]), np.array([1.5]))[0] < 3000


def test_bad_srtm_tile(tmp_path: Path) -> None:
    (tmp_path / "N10E010.hgt").write_bytes(b"\x00" * 1000)
    with pytest.raises(FileFormatError, match="not an SRTM tile"):
        DemFolder(tmp_path).elevations(np.array([10.5]), np.array([10.5]))
    with pytest.raises(FileFormatError, match="not a folder"):
        DemFolder(tmp_path / "missing")


# --------------------------------------------------------------------------- bad files


def _refused(path: Path, *words: str, **kwargs: int) -> FileFormatError:
    with pytest.raises(FileFormatError) as info:
        read_track(path, **kwargs)
    err = info.value
    assert err.path == str(path) and str(path) in str(err)
    for word in words:
        assert word in err.problem, err.problem
    return err


def test_empty_file(write: Write) -> None:
    _refused(write("empty.gpx", b""), "empty")


def test_gpx_with_one_point(write: Write, gpx_doc: Callable[..., str]) -> None:
    _refused(write("one.gpx", gpx_doc([(47.0, 8.0, 400.0, None)])), "1 point", "at least 2")


def test_gpx_without_points(write: Write, gpx_doc: Callable[..., str]) -> None:
    _refused(write("none.gpx", gpx_doc([])), "0 points")


def test_track_that_jumps_500_km(write: Write, gpx_doc: Callable[..., str]) -> None:
    pts = [(47.0 + i * 0.0001, 8.0, 400.0, f"2020-01-01T10:00:{i:02d}Z") for i in range(10)]
    # after point 5 the track continues 4.5 degrees (500 km) further north
    pts[5:] = [(lat + 4.4966, lon, ele, t) for lat, lon, ele, t in pts[5:]]
    _refused(write("jump.gpx", gpx_doc(pts)), "jumps 500", "point 5 and point 6")


def test_jump_without_timestamps(write: Write, gpx_doc: Callable[..., str]) -> None:
    pts = [(47.0 + i * 0.0001, 8.0, None, None) for i in range(6)] + [
        (52.0 + i * 0.0001, 8.0, None, None) for i in range(6)
    ]
    _refused(write("jump_route.gpx", gpx_doc(pts)), "jumps", "km")


def test_timestamps_out_of_order(write: Write, gpx_doc: Callable[..., str]) -> None:
    pts = [(47.0 + i * 0.0001, 8.0, 400.0, f"2020-01-01T10:{i:02d}:00Z") for i in range(10)]
    pts[6] = (*pts[6][:3], "2020-01-01T09:00:00Z")
    _refused(write("order.gpx", gpx_doc(pts)), "timestamps out of order", "point 7")


def test_small_clock_backstep_is_tolerated() -> None:
    # the Forerunner 35 writes one record 2 s back in time: real files must still read
    assert len(read_track(BOULDER[0])) == 5040


def test_fit_cut_in_half(write: Write) -> None:
    data = FENIX.read_bytes()
    err = _refused(write("half.fit", data[: len(data) // 2]), "cut short")
    # fitdecode could decode the first half; we still refuse, and say how much was readable
    assert "records were readable" in err.problem


def test_fit_with_broken_header(write: Write) -> None:
    data = bytearray(FENIX.read_bytes()[:200])
    data[0] = 99  # impossible header size
    _refused(write("broken.fit", bytes(data)), "FIT")


def test_tcx_with_no_positions(write: Write) -> None:
    tcx = (
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        "<Activities><Activity Sport='Running'><Id>2020-01-01T10:00:00Z</Id><Lap><Track>"
        + "".join(
            f"<Trackpoint><Time>2020-01-01T10:00:{i:02d}Z</Time>"
            f"<DistanceMeters>{i * 3}</DistanceMeters></Trackpoint>"
            for i in range(20)
        )
        + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    _refused(write("treadmill.tcx", tcx), "none of the 20 trackpoints has a position")


def test_tcx_course_is_read(write: Write) -> None:
    tcx = (
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        "<Courses><Course><Name>Hill loop</Name><Track>"
        + "".join(
            f"<Trackpoint><Position><LatitudeDegrees>{47 + i * 1e-4}</LatitudeDegrees>"
            f"<LongitudeDegrees>8.0</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{400 + i}</AltitudeMeters></Trackpoint>"
            for i in range(5)
        )
        + "</Track></Course></Courses></TrainingCenterDatabase>"
    )
    track = read_track(write("course.tcx", tcx))
    assert track.name == "Hill loop" and track.elevation.tolist() == [400, 401, 402, 403, 404]


def test_binary_file_named_gpx(write: Write) -> None:
    junk = random.Random(7).randbytes(4096)
    _refused(write("junk.gpx", junk), "not a GPX, TCX or FIT file")


def test_text_that_is_no_route(write: Write) -> None:
    _refused(write("notes.gpx", "just some notes about a run\n"), "not a GPX, TCX or FIT")


def test_not_well_formed_gpx(write: Write) -> None:
    _refused(write("cut.gpx", '<?xml version="1.0"?><gpx><trk><trkseg><trkpt lat="1"'), "XML")


def test_oversized_file_with_a_lowered_limit() -> None:
    err = _refused(VOSGES, "larger than", max_bytes=100_000)
    assert "1.3 MB" in err.problem


def test_gzip_that_unpacks_past_the_limit(write: Write) -> None:
    bomb = write("bomb.gpx.gz", gzip.compress(b"<gpx>" + b" " * 2_000_000 + b"</gpx>"))
    assert bomb.stat().st_size < 100_000
    _refused(bomb, "unpacks to more than", max_bytes=100_000)


def test_damaged_gzip(write: Write) -> None:
    data = gzip.compress(APPLE.read_bytes())
    _refused(write("damaged.gpx.gz", data[:200]), "gzip")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE gpx [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" creator="&lol9;"><trk><trkseg>
<trkpt lat="47.0" lon="8.0"/><trkpt lat="47.001" lon="8.0"/>
</trkseg></trk></gpx>
"""


def test_xml_bomb(write: Write) -> None:
    _refused(write("bomb.gpx", BILLION_LAUGHS), "refused", "entities")


def test_external_entity_gpx(write: Write, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<gpx version="1.1" creator="t"><trk><name>&xxe;</name><trkseg>'
        '<trkpt lat="47.0" lon="8.0"/><trkpt lat="47.001" lon="8.0"/></trkseg></trk></gpx>'
    )
    err = _refused(write("xxe.gpx", xxe), "refused", "external")
    assert "s3cret" not in str(err)


def test_external_entity_tcx(write: Write) -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE TrainingCenterDatabase '
        '[<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<TrainingCenterDatabase><Activities><Activity><Id>&xxe;</Id>"
        "</Activity></Activities></TrainingCenterDatabase>"
    )
    _refused(write("xxe.tcx", xxe), "refused", "entities")


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.gpx", "cannot open")


def test_track_type_checks_lengths() -> None:
    with pytest.raises(ValueError, match="one value per point"):
        Track("x", "gpx", np.zeros(3), np.zeros(3), elevation=np.zeros(2))
    t = Track("x", "gpx", np.zeros(2), np.ones(2))
    assert not t.has_elevation and not t.has_time and t.segment.tolist() == [0, 0]
