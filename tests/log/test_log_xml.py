"""Importing XML: one safe parse refuses every entity trick (internal, external, parameter, in
an attribute), loads nothing, and the TCX walk reads exactly what a path lookup per value read
(first value of each name, blanks as missing, a bad value named)."""

from __future__ import annotations

import math

import pytest

from trailmix.errors import FileFormatError
from trailmix.formats.readers import parse_track
from trailmix.formats.track import parse_xml

UNSAFE = {
    "parameter entity": b'<!DOCTYPE gpx [<!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe;]><gpx/>',
    "external entity": b'<!DOCTYPE gpx [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]><gpx>&x;</gpx>',
    "bomb in an attribute": (
        b'<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        + b'<!ENTITY b "'
        + b"&a;" * 64
        + b'">'
        + b'<!ENTITY c "'
        + b"&b;" * 64
        + b'">'
        + b'<!ENTITY d "'
        + b"&c;" * 64
        + b'">]><gpx creator="&d;"/>'
    ),
    "unused internal entity": b'<!DOCTYPE gpx [<!ENTITY x "y">]><gpx/>',
}


@pytest.mark.parametrize("what", UNSAFE)
def test_entities_of_any_kind_are_refused(what: str) -> None:
    with pytest.raises(FileFormatError, match="refused: the XML declares entities"):
        parse_xml(UNSAFE[what], "evil.gpx")


def test_a_doctype_without_entities_is_read_and_nothing_is_fetched() -> None:
    # an unreachable DTD: it would fail (or hang) if the parser tried to load it
    root = parse_xml(b'<!DOCTYPE gpx SYSTEM "http://127.0.0.1:9/gpx.dtd"><gpx a="1"/>', "x")
    assert root.get("a") == "1"
    with pytest.raises(FileFormatError, match="not well-formed XML"):
        parse_xml(b"<gpx><trk></gpx>", "broken.gpx")


def _tcx(points: str) -> bytes:
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:x="urn:other"><Activities><Activity><Id>run</Id><Lap><Track>'
        f"{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


POINT = (
    "<Trackpoint><Time>{time}</Time><Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
    "<LongitudeDegrees>8.0</LongitudeDegrees></Position>{alt}{hr}{ext}</Trackpoint>"
)


def test_tcx_values_are_read_as_before() -> None:
    points = "".join(
        [
            POINT.format(
                time="2024-05-01T06:00:00Z",
                lat=" 47.0 ",
                alt="<AltitudeMeters>400</AltitudeMeters><AltitudeMeters>9</AltitudeMeters>",
                hr="<HeartRateBpm><Value>120</Value></HeartRateBpm>",
                ext="<Extensions><x:Time>1999-01-01T00:00:00Z</x:Time></Extensions>",
            ),
            POINT.format(
                time=" 2024-05-01T06:00:05+00:00 ",
                lat="47.001",
                alt="<AltitudeMeters> </AltitudeMeters>",
                hr="",
                ext="",
            ),
            "<Trackpoint><Time>2024-05-01T06:00:07Z</Time></Trackpoint>",  # no position
            POINT.format(time="2024-05-01T06:00:10", lat="47.002", alt="", hr="", ext=""),
        ]
    )
    track = parse_track(_tcx(points), "run.tcx")
    assert track.lat.tolist() == [47.0, 47.001, 47.002]
    assert track.time_s.tolist() == [1714543200.0, 1714543205.0, 1714543210.0]
    assert track.elevation[0] == 400.0 and math.isnan(track.elevation[1])
    assert track.heart_rate[0] == 120.0 and math.isnan(track.heart_rate[2])
    assert track.segment.tolist() == [0, 0, 0] and track.name == "run"


@pytest.mark.parametrize(
    ("time", "lat", "words"),
    [
        ("yesterday", "47.0", "bad <Time>: 'yesterday'"),
        ("2024-05-01T06:00:00Z", "north", "bad <LatitudeDegrees>: 'north'"),
    ],
)
def test_a_bad_tcx_value_is_named(time: str, lat: str, words: str) -> None:
    doc = _tcx(POINT.format(time=time, lat=lat, alt="", hr="", ext="") * 2)
    with pytest.raises(FileFormatError, match=words.replace("(", r"\(")):
        parse_track(doc, "bad.tcx")
