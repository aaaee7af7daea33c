"""TCX reader: one safe lxml parse (`track.parse_xml`: no entities, DTD, network or huge trees).

Each `<Activity>` (or `<Course>`, what route planners export) is one segment; its laps are
contiguous, so they are not split. Trackpoints without a `<Position>` (treadmill stretches,
GPS dropouts) are dropped; a file where no trackpoint has one is refused.

Elements are matched by their local name in any namespace (Garmin's TCX v2 namespace, none, or
a tool's own). A trackpoint's few children are read in one pass over them rather than by a
path lookup per value, which is most of the reading time of a large file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from lxml import etree

from trailmix.errors import FileFormatError
from trailmix.formats.track import Track, TrackBuilder, parse_xml

_NS = "{*}"


def _local(tag: object) -> str | None:
    """An element's name without its namespace; None for what is not an element."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else None


def read_tcx(data: bytes, path: str) -> Track:
    """Parse TCX bytes into a `Track` (unchecked: `readers.parse_track` checks it)."""
    root = parse_xml(data, path)

    builder = TrackBuilder()
    trackpoints = 0
    containers = [*root.iter(f"{_NS}Activity"), *root.iter(f"{_NS}Course")]
    for container in containers:
        builder.new_segment()
        for point in container.iter(f"{_NS}Trackpoint"):
            trackpoints += 1
            _add_trackpoint(builder, point, path)

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


def _first_text(element: etree._Element, name: str) -> str | None:
    """The stripped text of the first child called `name` (any namespace), as `_text`."""
    for child in element:
        if _local(child.tag) == name:
            return _stripped(child.text)
    return None


def _stripped(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def _add_trackpoint(builder: TrackBuilder, point: etree._Element, path: str) -> None:
    # The first child of each name, as a path lookup per value would find it.
    found: dict[str, etree._Element] = {}
    for child in point:
        local = _local(child.tag)
        if local is not None and local not in found:
            found[local] = child
    position = found.get("Position")
    if position is None:
        return
    lat = _number(_first_text(position, "LatitudeDegrees"), "LatitudeDegrees", path)
    lon = _number(_first_text(position, "LongitudeDegrees"), "LongitudeDegrees", path)
    if lat is None or lon is None:
        return
    time_el = found.get("Time")
    time_text = _stripped(time_el.text) if time_el is not None else None
    time = None
    if time_text:
        try:
            time = datetime.fromisoformat(time_text)
        except ValueError as exc:
            raise FileFormatError(path, f"a trackpoint has a bad <Time>: {time_text!r}") from exc
    altitude = found.get("AltitudeMeters")
    heart = found.get("HeartRateBpm")
    builder.add(
        lat=lat,
        lon=lon,
        elevation=_number(
            _stripped(altitude.text) if altitude is not None else None, "AltitudeMeters", path
        ),
        time=time,
        heart_rate=_number(
            _first_text(heart, "Value") if heart is not None else None, "Value", path
        ),
    )


def _text(element: etree._Element, xpath: str) -> str | None:
    found = element.find(xpath)
    return None if found is None else _stripped(found.text)


def _number(text: str | None, tag: str, path: str) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise FileFormatError(path, f"a trackpoint has a bad <{tag}>: {text!r}") from exc
