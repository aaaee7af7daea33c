"""TCX reader: one safe lxml parse (`track.parse_xml`: no entities, DTD, network or huge trees).

Each `<Activity>` (or `<Course>`, what route planners export) is one segment; its laps are
contiguous, so they are not split. Trackpoints without a `<Position>` (treadmill stretches,
GPS dropouts) are dropped; a file where no trackpoint has one is refused.

Elements are matched by their local name in any namespace (Garmin's TCX v2 namespace, none, or
a tool's own). Per trackpoint the reader takes the first `Time` and `AltitudeMeters` child, the
first `LatitudeDegrees` / `LongitudeDegrees` of a `Position` child and the first `Value` of a
`HeartRateBpm` child.

How, fast: the tree leaves out the whitespace between elements (values are read from
elements' texts, never tails), the values are gathered one channel at a time (lxml's own tag
filter, in C, finds the elements; a dict from trackpoint to its row places each value), then
every channel is converted at once: numbers by `float`, timestamps of one shape
(`2020-12-02T09:08:34Z`) by numpy, others by `datetime.fromisoformat`. Anything unusual (a
value that is not a number or blank, half a position, trackpoints inside trackpoints) sends
the container down the careful path, one trackpoint at a time, which also words the errors;
both paths give the same track (`tests/formats/test_tcx_fast.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePath

import numpy as np
from lxml import etree

from trailmix.errors import FileFormatError
from trailmix.formats.track import Track, TrackBuilder, epoch_seconds, parse_xml

_NS = "{*}"
_VALUE_TAGS = (
    "{*}Trackpoint",
    "{*}LatitudeDegrees",
    "{*}LongitudeDegrees",
    "{*}Time",
    "{*}AltitudeMeters",
    "{*}Value",
)


def read_tcx(data: bytes, path: str) -> Track:
    """Parse TCX bytes into a `Track` (unchecked: `readers.parse_track` checks it)."""
    # Values are read from elements' texts, never their tails: the indentation can go.
    root = parse_xml(data, path, remove_blank_text=True)

    # Activities first, then courses, each in document order: one pass over the tree.
    activities: list[etree._Element] = []
    courses: list[etree._Element] = []
    for container in root.iter(f"{_NS}Activity", f"{_NS}Course"):
        (courses if container.tag.endswith("Course") else activities).append(container)

    builder = TrackBuilder()
    trackpoints = 0
    for container in (*activities, *courses):
        builder.new_segment()
        trackpoints += _read_trackpoints(container, builder, path)

    if trackpoints == 0:
        raise FileFormatError(path, "the TCX file has no trackpoints")
    if not builder.lat:
        raise FileFormatError(
            path,
            f"none of the {trackpoints} trackpoints has a position (no GPS: a treadmill or "
            "indoor run?), so there is no route to analyse",
        )
    # The first activity's <Id> (else the first course's <Name>); the root is not searched,
    # as in the path `.//Activity/Id`.
    name = _child_text(activities, root, f"{_NS}Id") or _child_text(courses, root, f"{_NS}Name")
    return builder.build(name or PurePath(path).stem, "tcx")


def _child_text(containers: list[etree._Element], root: etree._Element, tag: str) -> str | None:
    """The stripped text of the first `tag` child of the containers below `root` (None when
    that child's text is blank or there is none)."""
    for container in containers:
        if container is root:
            continue
        for child in container.iterchildren(tag):
            return child.text.strip() or None if child.text is not None else None
    return None


def _read_trackpoints(container: etree._Element, builder: TrackBuilder, path: str) -> int:
    """Add the container's trackpoints to `builder`; how many trackpoints there were (with a
    position or not)."""
    columns: _Columns | None
    found = _fast_columns(container) if _fast_columns is not None else None
    if found is not None:
        count, columns = found
    else:
        points = list(container.iter(f"{_NS}Trackpoint"))
        count, columns = len(points), _columns(container, points) if points else None
    if count == 0:
        return 0
    if columns is None or not _add_columns(builder, columns):
        _walk_trackpoints(container, builder, path)
    return count


# One list of texts per channel, a row per trackpoint: latitude, longitude, time, altitude,
# heart rate (None when the trackpoint has no such element).
_Columns = tuple[
    list[str | None], list[str | None], list[str | None], list[str | None], list[str | None]
]


_FastColumns = Callable[[etree._Element], tuple[int, _Columns] | None]
_fast_columns: _FastColumns | None
try:  # the compiled `_columns` (setup.py): the same texts, without an object per element
    from trailmix.formats._tcxfast import columns as _fast_columns
except ImportError:  # not built (no C compiler at install): the Python path below
    _fast_columns = None


def _columns(container: etree._Element, points: list[etree._Element]) -> _Columns | None:
    """The texts of each channel of `points`, gathered a channel at a time: lxml's tag filter
    (in C) finds a channel's elements, the trackpoint they belong to gives the row. None when
    a trackpoint lies inside another (not TCX): the careful walk decides whose values are
    whose then.

    lxml hands out one Python object per element while one is alive, so with `points` kept,
    `getparent()` of a value returns the very object that keys `row` (and cheaply)."""
    if _nested(points):
        return None
    n = len(points)
    row = {point: i for i, point in enumerate(points)}.get
    lat: list[str | None] = [None] * n
    lon: list[str | None] = [None] * n
    time: list[str | None] = [None] * n
    alt: list[str | None] = [None] * n
    hr: list[str | None] = [None] * n
    # time and altitude: children of the trackpoint
    for texts, tag in ((time, "Time"), (alt, "AltitudeMeters")):
        for el in container.iter(_NS + tag):
            i = row(el.getparent())
            if i is not None and texts[i] is None:
                texts[i] = el.text or ""
    # latitude, longitude and heart rate: children of a `Position` / `HeartRateBpm` child.
    # The holders are gathered first and kept alive, so a value's `getparent()` is the very
    # object that keys `held` (no parent object made, no tag read, per value).
    for holder, channels in (
        ("Position", ((lat, "LatitudeDegrees"), (lon, "LongitudeDegrees"))),
        ("HeartRateBpm", ((hr, "Value"),)),
    ):
        holders = list(container.iter(_NS + holder))
        held = {h: i for h in holders if (i := row(h.getparent())) is not None}.get
        for texts, tag in channels:
            for el in container.iter(_NS + tag):
                i = held(el.getparent())
                if i is not None and texts[i] is None:
                    texts[i] = el.text or ""
    return lat, lon, time, alt, hr


def _nested(points: list[etree._Element]) -> bool:
    """Whether a trackpoint lies inside another. In document order the trackpoints inside one
    come right after it, so comparing neighbours suffices; the ancestors are looked at only
    where the parent changes (a new lap)."""
    parents = [p.getparent() for p in points]
    for before, parent, prev_parent in zip(points, parents[1:], parents, strict=False):
        if parent is prev_parent:
            continue
        ancestor = parent
        while ancestor is not None:
            if ancestor is before:
                return True
            ancestor = ancestor.getparent()
    return False


def _add_columns(builder: TrackBuilder, columns: _Columns) -> bool:
    """Convert the texts a channel at a time and add the trackpoints with a position to
    `builder`; False (nothing added) when a text needs the careful path."""
    lat_t, lon_t, time_t, alt_t, hr_t = columns
    if not (all(lat_t) and all(lon_t)):  # points without a position are dropped
        if any(bool(a) != bool(b) for a, b in zip(lat_t, lon_t, strict=True)):
            return False  # half a position: the careful walk decides if that is an error
        rows = [i for i, a in enumerate(lat_t) if a]
        lat_t, lon_t, time_t, alt_t, hr_t = ([c[i] for i in rows] for c in columns)
    try:
        lat = list(map(float, lat_t))  # type: ignore[arg-type]  # no None left: see rows
        lon = list(map(float, lon_t))  # type: ignore[arg-type]
        elevation = _floats(alt_t)
        heart_rate = _floats(hr_t)
    except ValueError:
        return False
    time_s = _epoch_seconds(time_t)
    if time_s is None:
        return False
    builder.extend(lat, lon, elevation, time_s, heart_rate)
    return True


def _floats(texts: list[str | None]) -> list[float]:
    """Numbers of `texts`, NaN where a trackpoint has none (ValueError on a bad one)."""
    if all(texts):
        return list(map(float, texts))  # type: ignore[arg-type]
    return [float(t) if t else math.nan for t in texts]


def _epoch_seconds(texts: list[str | None]) -> list[float] | None:
    """Seconds since 1970 of `texts`, NaN where a trackpoint has none; None when one is not a
    timestamp `datetime.fromisoformat` reads (the careful path words the error)."""
    if texts and all(texts):
        fast = _uniform_utc_seconds(texts)  # type: ignore[arg-type]  # all texts: no None
        if fast is not None:
            return fast
    out: list[float] = []
    for text in texts:
        if not text:
            out.append(math.nan)
            continue
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        out.append(moment.timestamp())
    return out


_DIGIT_COLUMNS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
_LITERAL_COLUMNS = {4: "-", 7: "-", 10: "T", 13: ":", 16: ":"}
_YEAR_1 = np.datetime64("0001-01-01", "us")


def _uniform_utc_seconds(texts: list[str]) -> list[float] | None:
    """`_epoch_seconds` of timestamps that all have one shape, `2020-12-02T09:08:34`, with
    the same number of decimals (up to 6) or none and a `Z` or none, as a device writes
    them; None for anything else (the caller reads those one at a time).

    The shape is checked column by column on the bytes at once; numpy then reads the dates
    and refuses an impossible day or hour, as `datetime.fromisoformat` does (year 0 is
    numpy's only: refused after). Whole microseconds since 1970 as int64, then divided: the
    float `datetime.timestamp()` gives (both round the same exact quotient once, while the
    microseconds fit a float exactly: 1685 to 2255)."""
    first = texts[0]
    zulu = first.endswith("Z")
    width = len(first) - zulu  # without the Z
    decimals = width - 20  # after "SS."
    if width != 19 and not 1 <= decimals <= 6:
        return None
    lines = "\n".join(texts) + "\n"
    if len(lines) != len(texts) * (len(first) + 1) or not lines.isascii():
        return None
    grid = np.frombuffer(lines.encode("ascii"), np.uint8).reshape(len(texts), len(first) + 1)
    digits = [*_DIGIT_COLUMNS, *range(20, width)]
    literals = {**_LITERAL_COLUMNS, **({19: "."} if width > 19 else {}), width + zulu: "\n"}
    if zulu:
        literals[width] = "Z"
    if not (
        bool(((grid[:, digits] - ord("0")) < 10).all())  # uint8: below "0" wraps round
        and all(bool((grid[:, col] == ord(ch)).all()) for col, ch in literals.items())
    ):
        return None
    try:
        stamps = grid[:, :width].copy().view(f"S{width}").ravel().astype("datetime64[us]")
    except ValueError:  # a month, day or hour out of range: the careful path says which
        return None
    micros = stamps.astype(np.int64)
    if stamps.min() < _YEAR_1 or int(np.abs(micros).max()) > 2**53:
        return None  # year 0; or beyond 2255, where int64 -> float would round twice
    return (micros / 1e6).tolist()  # type: ignore[no-any-return]


# What the walk does with an element, by its local name.
_POINT, _LAT, _LON, _TIME, _ALT, _VALUE, _OTHER = range(7)
_KINDS = {
    "Trackpoint": _POINT,
    "LatitudeDegrees": _LAT,
    "LongitudeDegrees": _LON,
    "Time": _TIME,
    "AltitudeMeters": _ALT,
    "Value": _VALUE,
}


def _kind(kinds: dict[str, int], tag: str, names: dict[str, int]) -> int:
    """The kind of a namespaced tag, remembered per document (a few distinct tags)."""
    kind = names.get(tag[tag.rfind("}") + 1 :], _OTHER)
    kinds[tag] = kind
    return kind


def _walk_trackpoints(container: etree._Element, builder: TrackBuilder, path: str) -> int:
    """The careful path: add the container's trackpoints to `builder` one at a time, from one
    walk over the elements that hold values; how many trackpoints there were."""
    count = 0
    point: etree._Element | None = None
    texts: list[str | None] = [None] * 5  # latitude, longitude, time, altitude, heart rate
    kinds: dict[str, int] = {}
    holders: dict[str, int] = {}
    holder_names = {"Position": _LAT, "HeartRateBpm": _VALUE}
    for el in container.iter(*_VALUE_TAGS):
        tag = el.tag
        kind = kinds.get(tag)
        if kind is None:
            kind = _kind(kinds, tag, _KINDS)
        if kind == _POINT:
            if point is not None:
                _add_trackpoint(builder, texts, path)
                texts = [None] * 5
            point = el
            count += 1
            continue
        if point is None:
            continue
        parent = el.getparent()
        if kind in (_TIME, _ALT):
            slot = 2 if kind == _TIME else 3
            if texts[slot] is None and parent is point:
                texts[slot] = el.text or ""
            continue
        if parent is None or parent.getparent() is not point:
            continue
        ptag = parent.tag
        holder = holders.get(ptag)
        if holder is None:
            holder = _kind(holders, ptag, holder_names)
        if kind == _VALUE:
            if holder == _VALUE and texts[4] is None:
                texts[4] = el.text or ""
        elif holder == _LAT:
            slot = 0 if kind == _LAT else 1
            if texts[slot] is None:
                texts[slot] = el.text or ""
    if point is not None:
        _add_trackpoint(builder, texts, path)
    return count


def _add_trackpoint(builder: TrackBuilder, texts: list[str | None], path: str) -> None:
    """One trackpoint's values; a point without a position is dropped."""
    lat_text, lon_text, time_text, alt_text, hr_text = texts
    try:
        # The usual case, fast: float() ignores surrounding whitespace as `_number` does; a
        # blank or bad value raises and takes the careful path, which says what was wrong.
        if not lat_text or not lon_text:
            raise ValueError
        lat, lon = float(lat_text), float(lon_text)
        time_s = math.nan
        if time_text:
            moment = datetime.fromisoformat(time_text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            time_s = moment.timestamp()
        elevation = float(alt_text) if alt_text else math.nan
        heart_rate = float(hr_text) if hr_text else math.nan
    except ValueError:
        _add_trackpoint_carefully(builder, texts, path)
        return
    builder.lat.append(lat)
    builder.lon.append(lon)
    builder.elevation.append(elevation)
    builder.time_s.append(time_s)
    builder.heart_rate.append(heart_rate)
    builder.mark_point()


def _add_trackpoint_carefully(builder: TrackBuilder, texts: list[str | None], path: str) -> None:
    lat = _number(texts[0], "LatitudeDegrees", path)
    lon = _number(texts[1], "LongitudeDegrees", path)
    if lat is None or lon is None:
        return
    time_s = math.nan
    time_text = texts[2].strip() if texts[2] else None
    if time_text:
        try:
            time_s = epoch_seconds(datetime.fromisoformat(time_text))
        except ValueError as exc:
            raise FileFormatError(path, f"a trackpoint has a bad <Time>: {time_text!r}") from exc
    elevation = _number(texts[3], "AltitudeMeters", path)
    heart_rate = _number(texts[4], "Value", path)
    builder.lat.append(lat)
    builder.lon.append(lon)
    builder.elevation.append(math.nan if elevation is None else elevation)
    builder.time_s.append(time_s)
    builder.heart_rate.append(math.nan if heart_rate is None else heart_rate)
    builder.mark_point()


def _number(text: str | None, tag: str, path: str) -> float | None:
    """A value's text as a number; None when missing or blank, an error when not a number."""
    if not text:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise FileFormatError(path, f"a trackpoint has a bad <{tag}>: {text!r}") from exc
