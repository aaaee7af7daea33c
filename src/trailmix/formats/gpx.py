"""GPX reader: gpxpy reads the document, parsed once by lxml safely (`track.parse_xml`).

gpxpy's own `parse` builds its tree with a default lxml parser, which substitutes entities; so
the steps of `gpxpy.parser.GPXParser.parse` are taken here, with the tree from `parse_xml`
(entities, DTD loading, network and huge trees off, entity declarations refused) handed to
gpxpy's field reader. The result is gpxpy's, from one parse instead of two.

Tracks come first; a file with no track points but a route (`<rte>`, what route planners
export) is read from its route points. Each track segment or route is one `Track` segment.
Heart rate is read from the Garmin TrackPointExtension (`<gpxtpx:hr>`) when present.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

import gpxpy
import gpxpy.gpx
import gpxpy.gpxfield
import numpy as np
from lxml import etree

from trailmix.errors import FileFormatError
from trailmix.formats.track import Track, TrackBuilder, decode_xml_text, parse_xml

_HR_TAGS = ("hr", "heartrate")
# gpxpy.parser.GPXParser.parse's own expressions: namespace declarations, the schema
# locations, and the default namespace it removes so that its field reader finds plain names.
_XMLNS = re.compile(r'\sxmlns:?[^=]*="[^"]+"')
_SCHEMA_LOCATION = re.compile(r'\sxsi:schemaLocation="[^"]+"')
_DEFAULT_NS = re.compile(r"""\sxmlns=(['"])[^'"]+\1""")


def _gpxpy_parse(text: str, path: str) -> gpxpy.gpx.GPX:
    """`gpxpy.parse(text)`, its tree built by `parse_xml` (see the module docstring)."""
    doc = gpxpy.gpx.GPX()
    for namespace in _XMLNS.findall(text):
        prefix, _, uri = namespace[6:].partition("=")
        prefix = prefix.lstrip(":")
        if prefix == "":
            prefix = "defaultns"
        else:
            registered = "noglobal_" + prefix if prefix.startswith("ns") else prefix
            etree.register_namespace(registered, uri.strip('"'))
        doc.nsmap[prefix] = uri.strip('"')
    schema_loc = _SCHEMA_LOCATION.search(text)
    if schema_loc:
        doc.schema_locations = schema_loc.group(0).partition("=")[2].strip('"').split()
    root = parse_xml(_DEFAULT_NS.sub("", text, count=1).encode("utf-8"), path)
    gpxpy.gpxfield.gpx_fields_from_xml(doc, root, root.get("version"))
    return doc


def read_gpx(data: bytes, path: str) -> Track:
    """Parse GPX bytes into a `Track` (unchecked: `readers.parse_track` checks it)."""
    text = decode_xml_text(data, path)
    try:
        doc = _gpxpy_parse(text, path)
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        # each xmlns declaration goes to lxml, which raises ValueError for a bad one (an
        # invalid namespace URI or prefix) before anything is parsed, as in gpxpy
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
