"""OpenStreetMap extracts (`.osm.pbf`, `.osm`, `.osm.gz`, `.osm.bz2`): the ways a runner can run
near a start point, streamed with pyosmium.

Memory stays bounded however big the extract:

- **Streaming.** pyosmium reads the file block by block; nothing but the kept ways stays in
  Python.
- **Tag filter first, in C++.** `osmium.filter.KeyFilter("highway")` drops every object
  without a `highway` tag before Python sees it; nodes never reach Python at all (the handler
  has no `node` callback).
- **Area filter next.** A way is kept only when one of its nodes lies within the radius of
  the start (a cheap degree box first, then the great-circle distance), so a country extract
  yields only the few thousand ways near home.
- **Node locations.** Ways carry node ids only; pyosmium's location index (`locations=True`)
  remembers every node's position while the nodes stream past. For files up to
  `MEM_INDEX_MAX_BYTES` it is `flex_mem` (in memory; libosmium switches between a sparse and a
  dense array itself). Above that it is `sparse_file_array` in a temporary file: 16 bytes per
  node on disk (about 7 GB for Germany's ~450 M nodes) that the operating system pages in and
  out, so the process's memory does not grow with the extract. (`dense_file_array` would
  need 8 bytes times the highest node id, ~100 GB of sparse file: it pays off only for the
  whole planet.)
"""

from __future__ import annotations

import math
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import osmium

from trailmix.domain.osm.graph import Way
from trailmix.domain.osm.tags import KEPT_TAGS, way_role
from trailmix.domain.trail.profile import EARTH_RADIUS_M, haversine_m
from trailmix.errors import FileFormatError

MEM_INDEX_MAX_BYTES = 100 * 1024 * 1024
"""trailmix default: extracts up to 100 MB (a region, ~15 M nodes, ~250 MB of in-memory index
at most) keep node locations in memory; bigger ones use a file-backed index."""

FORMATS = {"pbf": "pbf", "xml": "osm", "gzip": "osm.gz", "bzip2": "osm.bz2"}


def sniff_format(path: Path) -> str:
    """The pyosmium format of an OSM file from its first bytes (not its name): `pbf`,
    `osm`, `osm.gz` or `osm.bz2`. Anything else is refused."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError as exc:
        raise FileFormatError(str(path), f"cannot read the file: {exc.strerror}") from exc
    if head.startswith(b"\x1f\x8b"):
        return "osm.gz"
    if head.startswith(b"BZh"):
        return "osm.bz2"
    if len(head) > 14 and head[4:6] == b"\x0a\x09" and head[6:15] == b"OSMHeader":
        return "pbf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<?xml") or text.startswith(b"<osm"):
        return "osm"
    raise FileFormatError(
        str(path),
        "not an OpenStreetMap file (.osm.pbf, .osm, .osm.gz or .osm.bz2: none of their "
        "signatures is at the start of the file)",
    )


@dataclass(frozen=True, eq=False)
class OsmArea:
    """The runnable ways near a start, and what the reader saw on the way."""

    path: str
    ways: tuple[Way, ...]
    highway_ways: int
    bounds: tuple[float, float, float, float] | None
    index: str

    def contains(self, lat: float, lon: float) -> bool | None:
        """Whether (lat, lon) is inside the extract's bounds; None when unknown."""
        if self.bounds is None:
            return None
        s, w, n, e = self.bounds
        return s <= lat <= n and w <= lon <= e


_READ_TAGS = frozenset((*KEPT_TAGS, "area"))
"""The tags read from each highway: the kept ones, and `area` (to leave squares out)."""


class _Collector(osmium.SimpleHandler):
    """Keeps runnable ways with a node within the radius; tracks the extent of all highways."""

    def __init__(self, lat: float, lon: float, radius_m: float) -> None:
        super().__init__()
        self.lat, self.lon, self.radius_m = lat, lon, radius_m
        dlat = math.degrees(radius_m / EARTH_RADIUS_M)
        dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
        self.box = (lat - dlat, lon - dlon, lat + dlat, lon + dlon)
        self.ways: list[Way] = []
        self.seen = 0
        self.extent = [math.inf, math.inf, -math.inf, -math.inf]

    def way(self, w: osmium.osm.Way) -> None:
        self.seen += 1
        wt = w.tags
        tags = {k: wt[k] for k in _READ_TAGS if k in wt}
        s, west, n, e = self.box
        ids: list[int] = []
        lats: list[float] = []
        lons: list[float] = []
        near = False
        try:
            for nd in w.nodes:
                loc = nd.location
                la, lo = loc.lat, loc.lon
                ids.append(nd.ref)
                lats.append(la)
                lons.append(lo)
                if not near and s <= la <= n and west <= lo <= e:
                    near = True
        except osmium.InvalidLocationError:
            return  # a way whose nodes are not in the extract (cut at its border)
        if lats:
            # the extent of every node of every highway (not only its first node: a start
            # between first nodes near the edge is still inside the data)
            ext = self.extent
            ext[0], ext[1] = min(ext[0], min(lats)), min(ext[1], min(lons))
            ext[2], ext[3] = max(ext[2], max(lats)), max(ext[3], max(lons))
        if not near or len(ids) < 2 or way_role(tags) is None:
            return
        la_arr = np.asarray(lats)
        lo_arr = np.asarray(lons)
        d = haversine_m(
            np.full(len(la_arr), self.lat), np.full(len(la_arr), self.lon), la_arr, lo_arr
        )
        if float(d.min()) > self.radius_m:
            return
        tags.pop("area", None)
        self.ways.append(Way(int(w.id), np.asarray(ids, np.int64), la_arr, lo_arr, tags))


def _box(header: osmium.io.Header) -> tuple[float, float, float, float] | None:
    box = header.box()
    if not box.valid():
        return None
    return (box.bottom_left.lat, box.bottom_left.lon, box.top_right.lat, box.top_right.lon)


def _header_bounds(path: Path, fmt: str) -> tuple[float, float, float, float] | None:
    """The bounding box in the file's header, if it has one."""
    try:
        reader = osmium.io.Reader(
            osmium.io.File(str(path), fmt), osmium.osm.osm_entity_bits.NOTHING
        )
        box = _box(reader.header())
        reader.close()
    except RuntimeError:
        return None
    return box


def read_runnable_ways(
    path: Path, lat: float, lon: float, radius_km: float, *, index: str | None = None
) -> OsmArea:
    """The ways a runner can run (`osm_classify.way_role`) with a node within `radius_km` of
    (lat, lon), streamed from an OSM extract. `index` overrides the node location index
    (a pyosmium map type such as `flex_mem` or `sparse_file_array,/path`)."""
    path = Path(path)
    fmt = sniff_format(path)
    collector = _Collector(lat, lon, radius_km * 1000.0)
    big = path.stat().st_size > MEM_INDEX_MAX_BYTES
    # a temporary folder only for the file-backed index (making and removing one costs more
    # than reading a small extract)
    with tempfile.TemporaryDirectory(prefix="trailmix-osm-") if big else nullcontext(None) as tmp:
        if index is None:
            index = f"sparse_file_array,{Path(tmp) / 'nodes.idx'}" if tmp else "flex_mem"
        try:
            # one reader for the header's box and the ways (`SimpleHandler.apply_file` with
            # `locations=True`, without opening the file a second time for its header)
            locations = osmium.NodeLocationsForWays(osmium.index.create_map(index))
            locations.ignore_errors()
            bits = osmium.osm.osm_entity_bits
            with osmium.io.Reader(osmium.io.File(str(path), fmt), bits.NODE | bits.WAY) as rd:
                bounds = _box(rd.header())
                osmium.apply(rd, locations, osmium.filter.KeyFilter("highway"), collector)
        except RuntimeError as exc:
            raise FileFormatError(str(path), f"not a readable OpenStreetMap file: {exc}") from exc
    if collector.seen and math.isfinite(collector.extent[0]):
        s, w, n, e = collector.extent
        if bounds is None:
            bounds = (s, w, n, e)
        else:
            bounds = (min(bounds[0], s), min(bounds[1], w), max(bounds[2], n), max(bounds[3], e))
    return OsmArea(
        path=str(path),
        ways=tuple(collector.ways),
        highway_ways=collector.seen,
        bounds=bounds,
        index=index.split(",")[0],
    )
