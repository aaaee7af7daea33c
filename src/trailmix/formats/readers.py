"""Reading a route file: the bytes decide the reader.

`parse_track` takes a file's content and the name it goes by (a path, an upload's name, an
archive member's name): gzip is unpacked (with its own size limit), then a FIT header, a GPX
root or a TCX root picks the reader (`formats.fit`, `formats.gpx`, `formats.tcx`), and the
track is checked. `read_track` reads a file from disk, with the same size limit, and hands its
bytes to `parse_track`. Every problem with a file (too big, empty, unknown content, unsafe
XML, a broken FIT, a track the profile cannot use) becomes a `FileFormatError` that names the
file and the problem; nothing is ever written to disk.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from trailmix.domain import limits
from trailmix.domain.trail.profile import JUMP_M, ProfileError, check_track, step_lengths
from trailmix.errors import FileFormatError
from trailmix.formats import fit, gpx, tcx
from trailmix.formats.track import MAX_FILE_BYTES, SourceFormat, Track, gc_paused

GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 64 * 1024
_READERS = {"fit": fit.read_fit, "gpx": gpx.read_gpx, "tcx": tcx.read_tcx}
_GPX_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?gpx[\s>/]")
_TCX_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?TrainingCenterDatabase[\s>/]")


@dataclass(frozen=True)
class NamedBytes:
    """A file's content in memory and the name it goes by (an upload's name, a file's name):
    what `parse_track` and the importers read instead of a path."""

    name: str
    data: bytes


def parse_track(data: bytes, name: str, *, max_bytes: int = MAX_FILE_BYTES) -> Track:
    """Read GPX, TCX or FIT bytes (each possibly gzip-compressed) into a checked `Track`.

    The content decides the reader, not `name`, which only names the file in messages (and
    the track, when the file has no name of its own). The track is checked for what would make
    its profile meaningless (fewer than two positions, timestamps going backwards, a jump of
    many kilometres between two points) and each of those is a `FileFormatError` too.
    """
    if len(data) > max_bytes:
        raise FileFormatError(name, _too_big(len(data), max_bytes))
    if not data:
        raise FileFormatError(name, "the file is empty")
    if data[:2] == GZIP_MAGIC:
        data = _gunzip(data, name, max_bytes)
        if not data:
            raise FileFormatError(name, "the gzip file unpacks to nothing")

    kind = sniff(data)
    if kind is not None:
        with gc_paused():
            track = _READERS[kind](data, name)
    else:
        raise FileFormatError(
            name,
            "not a GPX, TCX or FIT file: the content has no FIT header, no <gpx> and no "
            "<TrainingCenterDatabase> root (the file name does not matter)",
        )
    try:
        check_track(track)
    except ProfileError as exc:
        raise FileFormatError(name, exc.message) from exc
    check_limits(track, name)
    return track


def check_limits(track: Track, name: str) -> None:
    """Refuse a track whose values no run or walk can have (`domain.limits`): elevations
    beyond the Earth's, more climb than 1,000 m per km (elevation alternating 0/8,000 m), an
    average speed no human reaches, a recording over two weeks long (two files years apart
    chained into one), a start outside the accepted dates."""
    ele = track.elevation[np.isfinite(track.elevation)]
    if len(ele) and not (
        limits.ELEVATION_M.ok(float(ele.min())) and limits.ELEVATION_M.ok(float(ele.max()))
    ):
        worst = (
            float(ele.min()) if not limits.ELEVATION_M.ok(float(ele.min())) else float(ele.max())
        )
        raise FileFormatError(name, _refused(limits.ELEVATION_M, worst, f"{worst:,.0f} m"))
    steps = step_lengths(track)
    # Stray points (a jump out and back) are the profile's to drop, not a reason to refuse.
    length_km = float(steps[steps < JUMP_M].sum()) / 1000
    if len(ele) > 1 and length_km > 0:
        climb = float(np.clip(np.diff(ele), 0, None).sum()) / length_km
        if not limits.CLIMB_M_PER_KM.ok(climb):
            shown = f"{climb:,.0f} m/km (elevation spikes?)"
            raise FileFormatError(name, _refused(limits.CLIMB_M_PER_KM, climb, shown))
    times = track.time_s[np.isfinite(track.time_s)]
    if len(times) < 2:
        return
    first, span = float(times.min()), float(times.max() - times.min())
    start = datetime.fromtimestamp(max(min(first, 4e12), -6e10), UTC).date()
    if not limits.date_ok(start):
        raise FileFormatError(name, f"the recording starts on {limits.date_refusal(start)}")
    days = span / 86400
    if not limits.ACTIVITY_DAYS.ok(days):
        shown = f"{days:,.0f} days (files recorded far apart, chained into one?)"
        raise FileFormatError(name, _refused(limits.ACTIVITY_DAYS, days, shown))
    if span > 0:
        speed = length_km * 1000 / span
        if not limits.SPEED_M_S.ok(speed):
            shown = f"{speed:,.1f} m/s ({length_km:.1f} km in {span:,.1f} s)"
            raise FileFormatError(name, _refused(limits.SPEED_M_S, speed, shown))


def _refused(limit: limits.Limit, value: float, shown: str) -> str:
    return f"refused: {limit.refusal(value, shown)}"


def read_track(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Track:
    """`parse_track` on a file's bytes, read with the size limit; messages name the path."""
    return parse_track(read_file(path, max_bytes=max_bytes), str(path), max_bytes=max_bytes)


def read_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A route file's bytes: refused (`FileFormatError` naming the path) when it cannot be
    read, is empty, or is larger than `max_bytes`, which is checked before reading."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileFormatError(name, f"cannot open the file: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise FileFormatError(name, _too_big(size, max_bytes))
    if size == 0:
        raise FileFormatError(name, "the file is empty")
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise FileFormatError(name, f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:  # grew while we looked
        raise FileFormatError(name, f"the file is larger than the {_mb(max_bytes)} limit")
    return data


def sniff(data: bytes) -> SourceFormat | None:
    """Which format the bytes hold: FIT by its header signature, GPX and TCX by their root."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        # UTF-16 XML is not used by any GPS device or app trailmix knows; binary junk is.
        return None
    if _TCX_ROOT.search(head):
        return "tcx"
    if _GPX_ROOT.search(head):
        return "gpx"
    return None


def _gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """Unpack gzip data, refusing more than `max_bytes` of output (a gzip bomb)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileFormatError(name, f"the gzip data is damaged: {exc}") from exc
    if len(out) > max_bytes:
        raise FileFormatError(
            name, f"the gzip file unpacks to more than the {_mb(max_bytes)} limit"
        )
    return out


def _too_big(size: int, max_bytes: int) -> str:
    return f"the file is {_mb(size)}, larger than the {_mb(max_bytes)} limit for a route file"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
