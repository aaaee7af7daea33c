"""TCX reader: one safe lxml parse (`track.parse_xml`: no entities, DTD, network or huge trees).

Each `<Activity>` (or `<Course>`, what route planners export) is one segment; its laps are
contiguous, so they are not split. Trackpoints without a `<Position>` (treadmill stretches,
GPS dropouts) are dropped; a file where no trackpoint has one is refused.

Elements are matched by their local name in any namespace (Garmin's TCX v2 namespace, none, or
a tool's own). The values are read in one pass over the elements that hold them (lxml's own
tag filter, in C), not by a path lookup per value, which used to be most of the reading time:
per trackpoint, the first `Time` and `AltitudeMeters` child, the first `LatitudeDegrees` /
`LongitudeDegrees` of a `Position` child and the first `Value` of a `HeartRateBpm` child.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import PurePath

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
    root = parse_xml(data, path)

    builder = TrackBuilder()
    trackpoints = 0
    containers = [*root.iter(f"{_NS}Activity"), *root.iter(f"{_NS}Course")]
    for container in containers:
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
    name = _text(root, f".//{_NS}Activity/{_NS}Id") or _text(root, f".//{_NS}Course/{_NS}Name")
    return builder.build(name or PurePath(path).stem, "tcx")


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


def _read_trackpoints(container: etree._Element, builder: TrackBuilder, path: str) -> int:
    """Add the container's trackpoints to `builder` from one walk over the elements that hold
    values; how many trackpoints there were (with a position or not)."""
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


def _text(element: etree._Element, xpath: str) -> str | None:
    found = element.find(xpath)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


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
