"""`parse_track` reads bytes exactly as `read_track` reads the file they came from, refuses bad
bytes with the same messages, and on any bytes at all either returns a Track or raises
FileFormatError; the readers import no circle."""

from __future__ import annotations

import ast
import gzip
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from fitdecode.utils import compute_crc
from hypothesis import example, given
from hypothesis import strategies as st

from trailmix.errors import FileFormatError
from trailmix.formats import fit, readers
from trailmix.formats.readers import parse_track, read_track
from trailmix.formats.track import Track

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
ALL_FILES = sorted(p for p in ACTIVITIES.glob("*/*") if p.is_file())
FENIX = ACTIVITIES / "road" / "fenix2_stavanger_run.fit"
TCX = ACTIVITIES / "road" / "fr410_rolling_road_run.tcx"
GPX_GZ = ACTIVITIES / "road" / "applewatch_healthfit_run.gpx.gz"
FORMATS = Path(readers.__file__).parent
CHANNELS = ("lat", "lon", "elevation", "time_s", "heart_rate", "segment")


def _same(a: Track, b: Track) -> None:
    assert (a.name, a.source_format, len(a)) == (b.name, b.source_format, len(b))
    for channel in CHANNELS:
        np.testing.assert_array_equal(getattr(a, channel), getattr(b, channel), err_msg=channel)


def test_every_kind_of_shared_file_is_covered() -> None:
    suffixes = {"".join(p.suffixes[-2:]) if p.suffix == ".gz" else p.suffix for p in ALL_FILES}
    assert {".gpx", ".gpx.gz", ".fit", ".tcx"} <= suffixes


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_bytes_read_as_the_file_does(path: Path) -> None:
    from_file = read_track(path)
    _same(parse_track(path.read_bytes(), str(path)), from_file)
    # another name changes only what the track is called when the file has no name
    other = parse_track(path.read_bytes(), "upload.bin")
    for channel in CHANNELS:
        np.testing.assert_array_equal(getattr(other, channel), getattr(from_file, channel))


def _refusal(data: bytes, name: str, **kwargs: int) -> str:
    with pytest.raises(FileFormatError) as info:
        parse_track(data, name, **kwargs)
    assert info.value.path == name
    return info.value.problem


@pytest.mark.parametrize(
    "data",
    [
        b"just some notes about a run\n",
        FENIX.read_bytes()[:2000],
        gzip.compress(TCX.read_bytes())[:300],
        b'<?xml version="1.0"?><gpx><trk><trkseg><trkpt lat="1"',
        gzip.compress(b""),
    ],
    ids=["text", "cut-fit", "cut-gzip", "bad-xml", "empty-gzip"],
)
def test_bad_bytes_get_the_file_readers_message(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.gpx"
    path.write_bytes(data)
    with pytest.raises(FileFormatError) as from_file:
        read_track(path)
    assert _refusal(data, "bad.gpx") == from_file.value.problem
    assert from_file.value.path == str(path)


def test_size_limits_on_bytes() -> None:
    assert _refusal(b"", "empty.gpx") == "the file is empty"
    assert "larger than the 0.1 MB limit" in _refusal(
        TCX.read_bytes(), "big.tcx", max_bytes=100_000
    )
    bomb = gzip.compress(b"<gpx>" + b" " * 2_000_000 + b"</gpx>")
    assert "unpacks to more than" in _refusal(bomb, "bomb.gpx.gz", max_bytes=100_000)


# --------------------------------------------------------------------------- any bytes at all


def _fit_file(body: bytes, header: bytes) -> bytes:
    """A FIT file around `body` whose sizes and CRCs are right, so the readers get past the
    checks that refuse most random bytes and decode the records."""
    head = bytearray(header)
    struct.pack_into("<I", head, 4, len(body))
    if len(head) >= 14:
        struct.pack_into("<H", head, 12, compute_crc(head, end=12))
    data = bytes(head) + body
    return data + struct.pack("<H", compute_crc(data))


def _fenix_cut(length: int, changes: dict[int, int]) -> bytes:
    data = FENIX.read_bytes()
    header, body = data[: data[0]], bytearray(data[data[0] : -2][:length])
    for at, value in changes.items():
        if body:
            body[at % len(body)] = value
    return _fit_file(bytes(body), header)


def _gpx(points: int = 12) -> bytes:
    rows = "".join(
        f'<trkpt lat="{47 + i * 1e-4:.6f}" lon="8.0"><ele>{400 + i}</ele>'
        f"<time>2020-01-01T10:00:{i:02d}Z</time><extensions><gpxtpx:TrackPointExtension>"
        f"<gpxtpx:hr>{140 + i}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>t</name><trkseg>{rows}</trkseg></trk></gpx>"
    ).encode()


def _tcx(points: int = 12) -> bytes:
    rows = "".join(
        f"<Trackpoint><Time>2020-01-01T10:00:{i:02d}Z</Time><Position>"
        f"<LatitudeDegrees>{47 + i * 1e-4:.6f}</LatitudeDegrees>"
        "<LongitudeDegrees>8.0</LongitudeDegrees></Position>"
        f"<AltitudeMeters>{400 + i}</AltitudeMeters>"
        f"<HeartRateBpm><Value>{140 + i}</Value></HeartRateBpm></Trackpoint>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        f"<Activity Sport='Running'><Id>2020-01-01T10:00:00Z</Id><Lap><Track>{rows}"
        "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


_NUMBER = re.compile(rb"-?\d[\d.:TZ-]*")
_ODD_VALUES = [b"nan", b"inf", b"-1e400", b"1e400", b"", b"abc", b"-91", b"181", b"9" * 30]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A small GPX, TCX or FIT file with a few values made odd (XML) or bytes changed, cut
    or inserted, maybe gzipped (and the gzip maybe cut)."""
    kind = draw(st.sampled_from(["gpx", "tcx", "fit"]))
    if kind == "fit":
        length = draw(st.integers(0, 3000))
        changes = draw(st.dictionaries(st.integers(0, 3000), st.integers(0, 255), max_size=8))
        data = _fenix_cut(length, changes)
    else:
        base = bytearray(_gpx() if kind == "gpx" else _tcx())
        numbers = list(_NUMBER.finditer(base))
        for m in reversed(draw(st.lists(st.sampled_from(numbers), max_size=4, unique=True))):
            base[m.start() : m.end()] = draw(st.sampled_from(_ODD_VALUES))
        for _ in range(draw(st.integers(0, 2))):
            at = draw(st.integers(0, len(base)))
            what = draw(st.sampled_from(["change", "cut", "insert"]))
            if what == "change" and at < len(base):
                base[at] = draw(st.integers(0, 255))
            elif what == "cut":
                del base[at : at + draw(st.integers(1, 40))]
            else:
                base[at:at] = draw(st.sampled_from([b"-", b"<", b"&", b"\x00", b"\xff", b"99"]))
        data = bytes(base)
    wrap = draw(st.sampled_from(["plain", "plain", "plain", "gzip", "cut gzip"]))
    if wrap != "plain":
        data = gzip.compress(data)
        if wrap == "cut gzip":
            data = data[: draw(st.integers(0, len(data)))]
    return data


SIGNATURES = [
    b"",
    b"\x1f\x8b",
    b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT",
    b"<gpx>",
    b"<tcx:TrainingCenterDatabase>",
]


@given(
    st.one_of(
        mutated(),
        st.builds(lambda head, tail: head + tail, st.sampled_from(SIGNATURES), st.binary()),
    )
)
@example(_fenix_cut(300, {120: 0xFF}))  # made fitfast panic (divisor of zero)
@example(_gpx().replace(b'gpxtpx="http:', b'gpxtpx="$ttp:'))  # lxml's ValueError via gpxpy
@pytest.mark.filterwarnings("ignore::UserWarning:fitdecode")  # its words on damaged FIT
def test_any_bytes_give_a_track_or_a_file_format_error(data: bytes) -> None:
    try:
        track = parse_track(data, "fuzz.gpx")
    except FileFormatError as exc:
        assert exc.path == "fuzz.gpx" and exc.problem
        return
    assert isinstance(track, Track) and len(track) >= 2


def test_a_bad_namespace_is_a_file_format_error() -> None:
    # what hypothesis found: lxml, called by gpxpy, raised ValueError for these
    for good, bad in ((b'xmlns:gpxtpx="http:', b'xmlns:gpxtpx="$ttp:'), (b"xmlns=", b"xmlns-=")):
        data = _gpx().replace(good, bad, 1)
        assert data != _gpx()
        assert "not a valid GPX file" in _refusal(data, "ns.gpx")


@pytest.mark.skipif(fit.fitfast is None, reason="fitfast is not installed here")
def test_a_panic_in_fitfast_falls_back_to_fitdecode(monkeypatch: pytest.MonkeyPatch) -> None:
    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def panic(data: bytes) -> None:
        raise PanicException("attempt to calculate the remainder with a divisor of zero")

    data = FENIX.read_bytes()
    expected = read_track(FENIX)
    monkeypatch.setattr(fit.fitfast, "records", panic)
    _same(parse_track(data, str(FENIX)), expected)  # read by fitdecode instead

    def interrupt(data: bytes) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fit.fitfast, "records", interrupt)
    with pytest.raises(KeyboardInterrupt):  # anything else that is no Exception goes through
        parse_track(data, "x.fit")


# --------------------------------------------------------------------------- no import circle


def _trailmix_imports(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("trailmix"):
            names.update(
                f"{node.module}.{a.name}" if node.module == "trailmix.formats" else node.module
                for a in node.names
            )
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("trailmix"))
    return names


@pytest.mark.parametrize("reader", ["fit", "gpx", "tcx"])
def test_readers_import_only_track_and_errors(reader: str) -> None:
    assert _trailmix_imports(FORMATS / f"{reader}.py") <= {
        "trailmix.formats.track",
        "trailmix.errors",
        f"trailmix.formats._{reader}fast",  # the reader's own compiled part, if it has one
    }


def test_no_import_circle_in_formats() -> None:
    graph = {
        f"trailmix.formats.{p.stem}": {
            m for m in _trailmix_imports(p) if m.startswith("trailmix.formats.")
        }
        for p in FORMATS.glob("*.py")
    }
    assert "trailmix.formats.readers" not in graph["trailmix.formats.track"]

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, set()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = [m for m in graph if reaches(m, m, {m})]
    assert circles == []
