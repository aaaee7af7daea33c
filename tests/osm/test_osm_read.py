"""Reading OSM extracts: formats by content, the area filter, what is kept, bad files."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import numpy as np
import pytest

from support.osmdata import ANDORRA, BAYREUTH, BAYREUTH_HOME, DEM, OAKLAND
from trailmix.domain.osm.tags import way_role
from trailmix.domain.trail.profile import haversine_m
from trailmix.errors import FileFormatError
from trailmix.formats.osm import OsmArea, read_runnable_ways, sniff_format


def test_formats_are_sniffed_from_content(tmp_path: Path) -> None:
    assert sniff_format(BAYREUTH) == "osm.gz"
    assert sniff_format(ANDORRA) == "pbf"
    assert sniff_format(OAKLAND) == "osm.bz2"
    plain = tmp_path / "oakland-renamed.pbf"
    plain.write_bytes(bz2.decompress(OAKLAND.read_bytes()))
    assert sniff_format(plain) == "osm"
    area = read_runnable_ways(plain, 37.8075, -122.3005, 1.0)
    assert area.ways and area.index == "flex_mem"


def test_area_filter_keeps_only_ways_near_the_start(bayreuth_area: OsmArea) -> None:
    assert 0 < len(bayreuth_area.ways) < bayreuth_area.highway_ways
    lat, lon = BAYREUTH_HOME
    for w in bayreuth_area.ways:
        d = haversine_m(np.full(len(w.lat), lat), np.full(len(w.lon), lon), w.lat, w.lon)
        assert d.min() <= 4000.0
        assert way_role(w.tags) is not None
        assert w.tags.get("access") not in ("no", "private") or w.tags.get("foot") in (
            "yes",
            "designated",
            "permissive",
        )
        assert w.tags.get("highway") not in ("motorway", "trunk", "primary")


def test_bounds_and_contains(bayreuth_area: OsmArea) -> None:
    assert bayreuth_area.contains(*BAYREUTH_HOME)
    assert bayreuth_area.contains(48.0, 11.5) is False


def test_file_backed_index_gives_the_same_ways(tmp_path: Path) -> None:
    idx = f"sparse_file_array,{tmp_path / 'nodes.idx'}"
    a = read_runnable_ways(ANDORRA, 42.5191, 1.5691, 2.0)
    b = read_runnable_ways(ANDORRA, 42.5191, 1.5691, 2.0, index=idx)
    assert [w.id for w in a.ways] == [w.id for w in b.ways]
    assert b.index == "sparse_file_array"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("junk.osm.pbf", b"hello world, not a map"),
        ("track.osm", b'<?xml version="1.0"?><gpx version="1.1"></gpx>'),
        ("broken.osm.gz", gzip.compress(b"garbage that is no xml", mtime=0)),
        ("empty.osm.pbf", b""),
    ],
    ids=["junk.osm.pbf", "track.osm", "broken.osm.gz", "empty.osm.pbf"],
)
def test_a_file_that_is_not_osm_is_refused(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FileFormatError) as exc:
        read_runnable_ways(path, 50.0, 11.5, 5.0)
    assert str(path) in exc.value.message
    assert "OpenStreetMap" in exc.value.message


def test_a_dem_tile_is_not_an_osm_file() -> None:
    with pytest.raises(FileFormatError, match="not an OpenStreetMap file"):
        read_runnable_ways(DEM / "N49E011.hgt.zip", 50.0, 11.5, 5.0)


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="cannot read"):
        read_runnable_ways(tmp_path / "nope.osm.pbf", 50.0, 11.5, 5.0)
