"""A recorded or planned route as the readers make it (`Track`), and what the readers share.

This module imports none of the readers: `formats.gpx`, `formats.tcx` and `formats.fit` build
a `Track` with `TrackBuilder` and use the XML helpers here; `formats.readers` picks the reader
by the bytes (`parse_track`, `read_track`) and checks the result.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import numpy as np
import numpy.typing as npt
from lxml import etree

from trailmix.errors import FileFormatError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SourceFormat = Literal["gpx", "fit", "tcx"]

MAX_FILE_BYTES = 50 * 1024 * 1024
"""trailmix default: 50 MB. The longest real activity file seen (a multi-day hike, GPX) is under
1 MB per day of recording; 50 MB leaves room for weeks of 1 s data while keeping a hostile or
mistaken upload from filling memory. The limit applies to the file and, separately, to its
unpacked content when it is gzip-compressed."""

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a reader builds a file's objects.

    Reading a TCX or GPX file makes one object per element or point (lxml's element objects,
    gpxpy's points), none of them in a reference cycle: all go when the reader is done. Each
    700 new objects start a collection pass, which in a process holding a web app or an
    import's libraries walks hundreds of thousands of live objects and finds nothing; in a
    1,000-file import those passes were 40 % of the TCX reader's time. Only the outermost
    pause turns collection back on, and only when it was on before, so overlapping readers in
    threads leave it on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _float_array(values: list[float] | None = None) -> FloatArray:
    return np.asarray(values if values is not None else [], dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Track:
    """The points of a route, one array per channel, all the same length.

    Missing values are NaN (elevation, time, heart rate); positions are never missing, because
    readers drop points without one. `time_s` is seconds since 1970-01-01 UTC. `segment` numbers
    the pieces of the route that were recorded (or drawn) separately, e.g. the days of a
    multi-day hike; distance is not counted across a segment break, as gpxpy does.
    """

    name: str
    source_format: SourceFormat
    lat: FloatArray
    lon: FloatArray
    elevation: FloatArray = field(default_factory=_float_array)
    time_s: FloatArray = field(default_factory=_float_array)
    heart_rate: FloatArray = field(default_factory=_float_array)
    segment: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    utc_offset_s: float | None = None
    """The device's local time minus UTC, when the file says (a FIT activity's
    `local_timestamp`); None otherwise (GPX and TCX carry UTC only)."""

    def __post_init__(self) -> None:
        n = len(self.lat)
        nan = np.full(n, np.nan)
        for name in ("elevation", "time_s", "heart_rate"):
            if len(getattr(self, name)) == 0 and n:
                object.__setattr__(self, name, nan.copy())
        if len(self.segment) == 0 and n:
            object.__setattr__(self, "segment", np.zeros(n, dtype=np.int64))
        lengths = {
            len(a)
            for a in (
                self.lon,
                self.elevation,
                self.time_s,
                self.heart_rate,
                self.segment,
            )
        }
        if lengths != {n}:
            raise ValueError("Track channels must all have one value per point")

    def __len__(self) -> int:
        return len(self.lat)

    @property
    def has_elevation(self) -> bool:
        """True when at least one point carries an elevation."""
        return bool(np.isfinite(self.elevation).any())

    @property
    def has_time(self) -> bool:
        return bool(np.isfinite(self.time_s).any())

    @property
    def has_heart_rate(self) -> bool:
        return bool(np.isfinite(self.heart_rate).any())


class TrackBuilder:
    """Collects points one at a time for the readers, then makes a `Track`."""

    def __init__(self) -> None:
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.elevation: list[float] = []
        self.time_s: list[float] = []
        self.heart_rate: list[float] = []
        self.segment: list[int] = []
        self._segment = 0
        self._segment_used = False

    def add(
        self,
        lat: float,
        lon: float,
        elevation: float | None = None,
        time: datetime | None = None,
        heart_rate: float | None = None,
    ) -> None:
        self.lat.append(lat)
        self.lon.append(lon)
        self.elevation.append(np.nan if elevation is None else elevation)
        self.time_s.append(np.nan if time is None else epoch_seconds(time))
        self.heart_rate.append(np.nan if heart_rate is None else heart_rate)
        self.mark_point()

    def mark_point(self) -> None:
        """Record the segment of a point whose channels a reader appended itself (a reader's
        fast path: the same lists `add` fills, without a datetime per point)."""
        self.segment.append(self._segment)
        self._segment_used = True

    def extend(
        self,
        lat: list[float],
        lon: list[float],
        elevation: list[float],
        time_s: list[float],
        heart_rate: list[float],
    ) -> None:
        """Add many points of the current segment at once (a reader's channel-at-a-time
        path): equal-length lists, NaN where a value is missing, times as `epoch_seconds`."""
        self.lat.extend(lat)
        self.lon.extend(lon)
        self.elevation.extend(elevation)
        self.time_s.extend(time_s)
        self.heart_rate.extend(heart_rate)
        self.segment.extend([self._segment] * len(lat))
        if lat:
            self._segment_used = True

    def new_segment(self) -> None:
        """Start a new segment, unless the current one is still empty."""
        if self._segment_used:
            self._segment += 1
            self._segment_used = False

    def build(self, name: str, source_format: SourceFormat) -> Track:
        return Track(
            name=name,
            source_format=source_format,
            lat=_float_array(self.lat),
            lon=_float_array(self.lon),
            elevation=_float_array(self.elevation),
            time_s=_float_array(self.time_s),
            heart_rate=_float_array(self.heart_rate),
            segment=np.asarray(self.segment, dtype=np.int64),
        )


def epoch_seconds(time: datetime) -> float:
    """Seconds since 1970-01-01 UTC; a time without a zone is taken as UTC (GPX, TCX and FIT
    all specify UTC)."""
    if time.tzinfo is None:
        time = time.replace(tzinfo=UTC)
    return time.timestamp()


def _safe_parser(*, remove_blank_text: bool = False) -> etree.XMLParser:
    """lxml with everything that makes XML dangerous turned off: no entity substitution in
    content, no DTD loading, no network, libxml2's size limits on (no huge trees). A new parser
    per document: lxml parsers are not to be shared between threads (the web app's)."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_blank_text=remove_blank_text,
    )


def _refused(path: str, what: str) -> FileFormatError:
    return FileFormatError(
        path,
        f"refused: the XML declares entities or external references ({what}); GPX and TCX "
        "files never need them, and they are how XML bombs and external-entity attacks work",
    )


def parse_xml(data: bytes, path: str, *, remove_blank_text: bool = False) -> etree._Element:
    """Parse XML bytes once with lxml, safely, and refuse entity declarations.

    Safety is checked in this one parse, not in a separate one before it: the parser never
    loads a DTD or anything over the network and substitutes no entity in text, and a document
    whose DOCTYPE declares an entity (internal, external or parameter) is refused, which stops
    the billion-laughs bomb and external-entity (XXE) reads. libxml2's amplification limit stops
    a bomb hidden in an attribute value while parsing; that error is reported as the refusal
    too. A plain DOCTYPE without entities is allowed.

    `remove_blank_text` leaves out the whitespace between elements (the indentation of a
    pretty-printed file, about half its nodes): quicker to build and to walk, for a reader
    that never reads an element's tail. Whitespace inside an element with no children is kept.
    """
    try:
        root = etree.fromstring(data, parser=_safe_parser(remove_blank_text=remove_blank_text))
    except etree.XMLSyntaxError as exc:
        if b"<!ENTITY" in data:
            raise _refused(path, "entity declarations") from exc
        raise FileFormatError(path, f"not well-formed XML: {exc}") from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(iter(dtd.iterentities()), None) is not None:
        raise _refused(path, "entity declarations")
    return root


def decode_xml_text(data: bytes, path: str) -> str:
    """Decode XML bytes by their declared encoding (UTF-8 when none is declared)."""
    match = _XML_ENCODING.match(data.lstrip(b"\xef\xbb\xbf"))
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"text is not valid {encoding}: {exc}") from exc
    return text.lstrip("\ufeff")
