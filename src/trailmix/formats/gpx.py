"""GPX reader: gpxpy does the parsing, after defusedxml has refused entity tricks.

Tracks come first; a file with no track points but a route (`<rte>`, what route planners
export) is read from its route points. Each track segment or route is one `Track` segment.
Heart rate is read from the Garmin TrackPointExtension (`<gpxtpx:hr>`) when present.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import gpxpy
import gpxpy.gpx
import numpy as np

from trailmix.errors import FileFormatError
from trailmix.formats.track import Track, TrackBuilder, decode_xml_text, refuse_unsafe_xml

_HR_TAGS = ("hr", "heartrate")


def read_gpx(data: bytes, path: str) -> Track:
    """Parse GPX bytes into a `Track` (unchecked: `readers.parse_track` checks it)."""
    refuse_unsafe_xml(data, path)
    text = decode_xml_text(data, path)
    try:
        doc = gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        # gpxpy hands each xmlns declaration to lxml, which raises ValueError for a bad one
        # (an invalid namespace URI or prefix) before gpxpy parses anything
        raise FileFormatError(path, f"not a valid GPX file: {exc}") from exc

    builder = TrackBuilder()
    for track in doc.tracks:
        for segment in track.segments:
            builder.new_segment()
            for point in segment.points:
                _add(builder, point)
    if not builder.lat:
        for route in doc.routes:
            builder.new_segment()
            for route_point in route.points:
                _add(builder, route_point)

    name = next((t.name for t in doc.tracks if t.name), None) or doc.name
    if not name and doc.routes:
        name = next((r.name for r in doc.routes if r.name), None)
    return builder.build(name or PurePath(path).stem, "gpx")


def _add(builder: TrackBuilder, point: Any) -> None:
    builder.add(
        lat=float(point.latitude),
        lon=float(point.longitude),
        elevation=None if point.elevation is None else float(point.elevation),
        time=point.time,
        heart_rate=_heart_rate(point),
    )


def _heart_rate(point: Any) -> float | None:
    """Heart rate from a point's extensions, e.g. `<gpxtpx:TrackPointExtension><gpxtpx:hr>`."""
    extensions = getattr(point, "extensions", None)
    if not extensions:
        return None
    for extension in extensions:
        for element in extension.iter():
            tag = element.tag
            if not isinstance(tag, str):
                continue
            local = tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
            if local in _HR_TAGS and element.text:
                try:
                    return float(element.text)
                except ValueError:
                    return None
    return None


def track_to_gpx(track: Track) -> gpxpy.gpx.GPX:
    """The track's points as a gpxpy document, one GPX track per recorded segment (for
    comparing with gpxpy's own measures, and for writing a route any app can open)."""
    doc = gpxpy.gpx.GPX()
    for seg in np.unique(track.segment):
        gtrack, gseg = gpxpy.gpx.GPXTrack(), gpxpy.gpx.GPXTrackSegment()
        doc.tracks.append(gtrack)
        gtrack.segments.append(gseg)
        m = track.segment == seg
        for lat, lon, ele in zip(track.lat[m], track.lon[m], track.elevation[m], strict=True):
            gseg.points.append(
                gpxpy.gpx.GPXTrackPoint(
                    float(lat), float(lon), elevation=None if np.isnan(ele) else float(ele)
                )
            )
    return doc
