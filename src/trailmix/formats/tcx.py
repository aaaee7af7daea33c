"""TCX reader: lxml with entity resolution, network access and huge trees turned off.

Each `<Activity>` (or `<Course>`, what route planners export) is one segment; its laps are
contiguous, so they are not split. Trackpoints without a `<Position>` (treadmill stretches,
GPS dropouts) are dropped; a file where no trackpoint has one is refused.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from lxml import etree

from trailmix.errors import FileFormatError
from trailmix.formats.track import Track, TrackBuilder, refuse_unsafe_xml

_NS = "{*}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )


def read_tcx(data: bytes, path: str) -> Track:
    """Parse TCX bytes into a `Track` (unchecked: `readers.parse_track` checks it)."""
    refuse_unsafe_xml(data, path)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise FileFormatError(path, f"not well-formed XML: {exc}") from exc

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


def _add_trackpoint(builder: TrackBuilder, point: etree._Element, path: str) -> None:
    lat = _number(point, f"{_NS}Position/{_NS}LatitudeDegrees", path)
    lon = _number(point, f"{_NS}Position/{_NS}LongitudeDegrees", path)
    if lat is None or lon is None:
        return
    time_text = _text(point, f"{_NS}Time")
    time = None
    if time_text:
        try:
            time = datetime.fromisoformat(time_text)
        except ValueError as exc:
            raise FileFormatError(path, f"a trackpoint has a bad <Time>: {time_text!r}") from exc
    builder.add(
        lat=lat,
        lon=lon,
        elevation=_number(point, f"{_NS}AltitudeMeters", path),
        time=time,
        heart_rate=_number(point, f"{_NS}HeartRateBpm/{_NS}Value", path),
    )


def _text(element: etree._Element, xpath: str) -> str | None:
    found = element.find(xpath)
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text or None


def _number(element: etree._Element, xpath: str, path: str) -> float | None:
    text = _text(element, xpath)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError as exc:
        tag = xpath.rsplit("}", 1)[-1]
        raise FileFormatError(path, f"a trackpoint has a bad <{tag}>: {text!r}") from exc
