"""Fuzzing every reader: real shared files, mutated, fed to each reader and to `mix`.

One engine for three users: the hypothesis suite of tests/fuzz (a few dozen examples, a few
seconds), `fuzz/count_crashes.py` (thousands of seeded random mutations, a crash count per
reader, the figures of docs/reliability.md) and the atheris harnesses of fuzz/ (coverage-guided
bytes). A mutation is a list of plain tuples (`Op`), so hypothesis can shrink it and a crash
found by the counter can be replayed by hand.

The promise checked (`outcome`): a reader either returns, or raises a `TrailmixError` whose
message is one line. Anything else (another exception, a Rust panic, a message over several
lines) is a crash.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from random import Random

from trailmix.errors import TrailmixError

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
PLANS = Path(__file__).resolve().parent / "plans"

# Values that have broken readers: huge numbers, overflowing floats, dates at the ends of the
# calendar, a zone that is a folder, long digit runs (regular-expression backtracking).
NASTY = (
    "0",
    "-1",
    "-0",
    "1e309",
    "-1e309",
    "nan",
    "inf",
    "99999999999999999999",
    "9" * 400,
    "1" * 4000,
    "",
    "00:00:01",
    "0:10:00",
    "24:00:00",
    "1900-01-01",
    "0001-01-01",
    "9999-12-31",
    "20270314T070000Z",
    "2027031",
    "P9999999W",
    "PT99999999H",
    "Europe",
    "8000",
    "-8000",
    "\u202e",
    "[/]",
    "=cmd|' /C calc'!A0",
)
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")

Op = tuple[str, int, int, int]
"""(kind, a, b, c): what to do and where; `a` and `b` are taken modulo the data's length, `c`
picks a byte, a line or a nasty value. Plain ints, so hypothesis shrinks them."""

BYTE_OPS = ("flip", "set", "truncate", "insert", "delete", "duplicate")
LINE_OPS = ("line_delete", "line_duplicate", "line_swap", "number", "nasty_line")
FIT_OPS = ("fit_flip_crc", "fit_chain", "fit_set_crc")
ZIP_OPS = ("zip_method", "zip_encrypt", "zip_nest", "zip_csv", "zip_member")
ICS_OPS = ("ics_dtstart", "ics_tzid", "ics_cr", "ics_duration", "ics_rdate", "ics_title")


# --------------------------------------------------------------------------------------- seeds


@cache
def seeds(kind: str) -> tuple[tuple[str, bytes], ...]:
    """The real files of one kind: (name, bytes). Tracks are cut to their first 40 KB of points
    where they are XML (a mutation in a 3 MB file costs time and finds nothing more)."""
    if kind == "fit":
        files = sorted(ACTIVITIES.rglob("*.fit"))
        return tuple((f.name, f.read_bytes()) for f in files)
    if kind == "xml":
        out = []
        for f in sorted([*ACTIVITIES.rglob("*.gpx"), *ACTIVITIES.rglob("*.tcx")]):
            out.append((f.name, _shorten_xml(f.read_bytes())))
        return tuple(out)
    if kind == "ics":
        return tuple((f.name, f.read_bytes()) for f in sorted(PLANS.glob("*.ics")))
    if kind == "csv":
        files = [*PLANS.glob("*.csv"), *PLANS.glob("*.tsv")]
        return tuple((f.name, f.read_bytes()) for f in sorted(files))
    if kind == "zip":
        return tuple(_zip_seeds())
    raise ValueError(kind)


def _shorten_xml(data: bytes, keep: int = 40_000) -> bytes:
    """The file's first `keep` bytes of points, closed again so it is still a valid file."""
    if len(data) <= keep:
        return data
    for tag in (b"</trkpt>", b"</Trackpoint>"):
        cut = data.rfind(tag, 0, keep)
        if cut > 0:
            head = data[: cut + len(tag)]
            if tag == b"</trkpt>":
                return head + b"</trkseg></trk></gpx>\n"
            return head + b"</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    return data[:keep]


def _zip_seeds() -> list[tuple[str, bytes]]:
    fit = seeds("fit")[0]
    gpx = next(s for s in seeds("xml") if s[0].endswith(".gpx"))
    tcx = next(s for s in seeds("xml") if s[0].endswith(".tcx"))
    garmin = _zip([(fit[0], fit[1]), (tcx[0], tcx[1]), (gpx[0] + ".gz", gzip.compress(gpx[1]))])
    rows = [
        ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"],
        ["1", "Dec 2, 2020, 6:08:29 AM", "Morning Run", "Run", f"activities/{fit[0]}"],
        ["2", "Dec 4, 2020, 7:09:21 PM", "Evening Ride", "Ride", f"activities/{tcx[0]}"],
        ["3", "Dec 6, 2020, 6:36:21 AM", "Trail", "Trail Run", f"activities/{gpx[0]}.gz"],
        ["4", "Dec 8, 2020, 6:36:12 AM", "Treadmill", "Run", ""],
    ]
    strava = _zip(
        [
            ("activities.csv", _csv(rows)),
            (f"activities/{fit[0]}", fit[1]),
            (f"activities/{tcx[0]}", tcx[1]),
            (f"activities/{gpx[0]}.gz", gzip.compress(gpx[1])),
        ]
    )
    return [("garmin.zip", garmin), ("strava_export.zip", strava)]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------- mutations


def mutate(data: bytes, ops: list[Op]) -> bytes:
    """`data` with each op applied in turn."""
    for op in ops:
        data = apply(data, op)
    return data


def apply(data: bytes, op: Op) -> bytes:
    kind, a, b, c = op
    n = len(data)
    if kind in LINE_OPS:
        return _line_op(data, kind, a, b, c)
    if kind in FIT_OPS:
        return _fit_op(data, kind, a, b, c)
    if kind in ZIP_OPS:
        return _zip_op(data, kind, a, b, c)
    if kind in ICS_OPS:
        return _ics_op(data, kind, a, c)
    if n == 0:
        return bytes([c % 256]) if kind in ("insert", "set") else data
    i = a % n
    if kind == "flip":
        return data[:i] + bytes([data[i] ^ (1 << (c % 8))]) + data[i + 1 :]
    if kind == "set":
        return data[:i] + bytes([c % 256]) + data[i + 1 :]
    if kind == "truncate":
        return data[:i]
    if kind == "insert":
        return data[:i] + bytes([(c + k) % 256 for k in range(1 + b % 16)]) + data[i:]
    if kind == "delete":
        return data[:i] + data[i + 1 + b % 64 :]
    if kind == "duplicate":
        piece = data[i : i + 1 + b % 256]
        return data[:i] + piece + data[i:]
    raise ValueError(kind)


def _line_op(data: bytes, kind: str, a: int, b: int, c: int) -> bytes:
    lines = data.split(b"\n")
    n = len(lines)
    i, j = a % n, b % n
    if kind == "line_delete":
        del lines[i]
    elif kind == "line_duplicate":
        lines.insert(i, lines[i])
    elif kind == "line_swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "number":
        numbers = list(_NUMBER.finditer(lines[i]))
        if numbers:
            m = numbers[b % len(numbers)]
            value = NASTY[c % len(NASTY)].encode()
            lines[i] = lines[i][: m.start()] + value + lines[i][m.end() :]
    elif kind == "nasty_line":
        lines.insert(i, NASTY[c % len(NASTY)].encode())
    return b"\n".join(lines)


def _fit_op(data: bytes, kind: str, a: int, b: int, c: int) -> bytes:
    """FIT edits that keep the header's size and the CRC right, so the fast reader (which
    checks both) reads the damaged records instead of handing the file to fitdecode."""
    if len(data) < 16 or data[8:12] != b".FIT":
        return data
    header = data[0]
    if kind == "fit_chain":
        # Two files back to back: the second starts at `a`-th record's time again.
        return data + data
    body = bytearray(data[header:-2])
    if not body:
        return data
    if kind == "fit_flip_crc":
        i = a % len(body)
        body[i] ^= 1 << (c % 8)
        if b % 2:
            body[(a + b) % len(body)] = c % 256
    return fit_seal(data[:header], bytes(body))


def fit_seal(header: bytes, body: bytes) -> bytes:
    """A FIT file of `header` and `body` with the header's data size and the file CRC right."""
    head = bytearray(header)
    struct.pack_into("<I", head, 4, len(body))
    if len(head) >= 14:
        struct.pack_into("<H", head, 12, fit_crc(bytes(head[:12])))
    out = bytes(head) + body
    return out + struct.pack("<H", fit_crc(out))


def fit_crc(data: bytes) -> int:
    """The FIT protocol's CRC-16 (FIT SDK, 'FIT File Protocol', CRC section)."""
    table = (
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    )  # fmt: skip
    crc = 0
    for byte in data:
        tmp = table[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[byte & 0xF]
        tmp = table[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[(byte >> 4) & 0xF]
    return crc


def _zip_op(data: bytes, kind: str, a: int, b: int, c: int) -> bytes:
    """Structural edits of a zip: re-packed with another method, a member marked encrypted, a
    zip inside the zip, a hostile activities.csv, one member mutated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()]
    except Exception:
        return data
    if not members:
        return data
    if kind == "zip_method":
        methods = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
        return _zip(members, methods[c % len(methods)])
    if kind == "zip_encrypt":
        # Set the "encrypted" flag bit of the local and central headers of one member.
        out = bytearray(data)
        for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            starts = [m.start() for m in re.finditer(re.escape(sig), data)]
            if starts:
                k = starts[a % len(starts)]
                out[k + flag_at] |= 1
        return bytes(out)
    if kind == "zip_nest":
        return _zip([*members, (f"inner{a % 3}.zip", data)])
    if kind == "zip_csv":
        hostile = (
            "../outside.gpx",
            "/etc/hostname",
            "activities/" + "x" * 200_000,
            "activities\\..\\..\\x.fit",
            members[a % len(members)][0],
        )
        rows = [
            ["Activity ID", "Activity Name", "Activity Type", "Filename"],
            ["9", NASTY[c % len(NASTY)], "Run", hostile[b % len(hostile)]],
        ]
        kept = [m for m in members if m[0] != "activities.csv"]
        return _zip([("activities.csv", _csv(rows)), *kept])
    if kind == "zip_member":
        i = a % len(members)
        name, body = members[i]
        members[i] = (name, apply(body, (BYTE_OPS[c % len(BYTE_OPS)], b, c, a)))
        return _zip(members)
    return data


def _ics_op(data: bytes, kind: str, a: int, c: int) -> bytes:
    """Edits of an iCalendar plan that broke `mix` before: a second or malformed DTSTART, a
    zone that is a folder, CR-only line ends, huge durations, RDATE repeats, digit titles."""
    text = data.decode("utf-8", "replace")
    events = [m.start() for m in re.finditer(r"BEGIN:VEVENT\r?\n", text)]
    if kind == "ics_cr":
        return re.sub(r"\r?\n", "\r", text).encode()
    if not events:
        return data
    at = text.index("\n", events[a % len(events)]) + 1
    extra = {
        "ics_dtstart": (
            "DTSTART;VALUE=DATE:20270101",
            "DTSTART:2027-01-01",
            "DTSTART;TZID=Europe/Berlin:20270301T070000\r\nDTEND:20270301T080000",
            "DTSTART:99991231T235959Z",
        ),
        "ics_tzid": ("DTSTART;TZID=Europe:20270301T070000", "DTSTART;TZID=../../etc:20270301"),
        "ics_duration": ("DURATION:PT" + "9" * 5000 + "M", "DURATION:P99999999W", "DURATION:-PT5M"),
        "ics_rdate": ("RDATE;VALUE=DATE:20270305,20270312", "RRULE:FREQ=WEEKLY;COUNT=3"),
        "ics_title": ("SUMMARY:" + "1" * 4000, "SUMMARY:Easy " + "9" * 400 + " min"),
    }[kind]
    return (text[:at] + extra[c % len(extra)] + "\r\n" + text[at:]).encode()


def random_ops(rng: Random, kinds: tuple[str, ...], count: int = 3) -> list[Op]:
    """`count` random ops of `kinds` (the counter's mutations; hypothesis draws its own)."""
    return [
        (
            rng.choice(kinds),
            rng.randrange(1 << 24),
            rng.randrange(1 << 16),
            rng.randrange(256),
        )
        for _ in range(rng.randint(1, count))
    ]


# ------------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """A reader to fuzz: its name, its seed files and the mutations that suit them, and what
    to call with a mutated file's bytes (and the name it goes by)."""

    name: str
    seed_kind: str
    ops: tuple[str, ...]
    call: Callable[[bytes, str], object]


def read_track(data: bytes, name: str) -> object:
    """A route file, parsed, then analysed as a run and as a trail (values in the file that
    the readers let through must not break the analysis either)."""
    from trailmix.domain.log.activity import summarise
    from trailmix.domain.trail.classify import analyse_track
    from trailmix.formats.readers import parse_track

    track = parse_track(data, name)
    summarise(track, hr_model=None, name=name)
    return analyse_track(track, None, name=name)


def read_archive(data: bytes, name: str) -> object:
    """An export zip opened, and each activity in it parsed (what `log import` does)."""
    from trailmix.formats.archive import open_archive
    from trailmix.formats.readers import parse_track

    parsed = 0
    with open_archive(data, name) as archive:
        for entry in archive:
            try:
                parse_track(entry.data, entry.name)
                parsed += 1
            except TrailmixError as exc:
                check_message(exc)
    return parsed


def read_ics_plan(data: bytes, name: str) -> object:
    from trailmix.formats.plan_import import plan_from_ics, read_ics

    read_ics(data, name)
    return plan_from_ics(data, name)


def read_csv_plan(data: bytes, name: str) -> object:
    from trailmix.formats.plan_import import _decode, read_csv

    return read_csv(_decode(data, name), name)


def mix_plan(data: bytes, name: str) -> object:
    """`trailmix mix` without the database: read, recognise, mix, and render every export."""
    from trailmix.app.exports import ExportKind, render
    from trailmix.domain.imports.plan import import_plan
    from trailmix.domain.plan.build import mix_road_plan
    from trailmix.formats.plan_import import _decode, read_csv, read_ics

    entries = read_ics(data, name) if name.endswith(".ics") else read_csv(_decode(data, name), name)
    runner = _runner()
    imported = import_plan(entries, runner)
    plan = mix_road_plan(imported.plan, runner)
    for kind in ExportKind:
        render(plan, kind)
    return plan


@cache
def _runner() -> object:
    from support.export_helpers import RUNNER

    return RUNNER


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("fit", "fit", BYTE_OPS + FIT_OPS, read_track),
        Target("gpx/tcx", "xml", BYTE_OPS + LINE_OPS, read_track),
        Target("zip", "zip", BYTE_OPS + ZIP_OPS, read_archive),
        Target("ics", "ics", BYTE_OPS + LINE_OPS + ICS_OPS, read_ics_plan),
        Target("csv", "csv", BYTE_OPS + LINE_OPS, read_csv_plan),
        Target("mix", "ics+csv", LINE_OPS + ICS_OPS, mix_plan),
    )
}


def target_seeds(target: Target) -> tuple[tuple[str, bytes], ...]:
    if target.seed_kind == "ics+csv":
        return seeds("ics") + seeds("csv")
    return seeds(target.seed_kind)


def check_message(exc: TrailmixError) -> None:
    message = str(exc)
    assert message.strip(), f"{type(exc).__name__} with an empty message"
    assert "\n" not in message and "\r" not in message, f"a message of several lines: {message!r}"


def outcome(target: Target, data: bytes, name: str) -> str | None:
    """None when the promise holds; else where it broke (exception type and code site)."""
    try:
        target.call(data, name)
    except TrailmixError as exc:
        try:
            check_message(exc)
        except AssertionError as bad:
            return f"{type(exc).__name__}: {str(bad).split(':')[0]}"
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a Rust panic derives from BaseException
        return _site(exc)
    return None


def _site(exc: BaseException) -> str:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    where = f"{Path(last.tb_frame.f_code.co_filename).name}:{last.tb_lineno}" if last else "?"
    return f"{type(exc).__name__} at {where}"
