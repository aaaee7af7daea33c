"""Discover trails near home: read an OSM extract and SRTM tiles, find the routes a workout
needs, write them as GPX with the OSM attribution, and add chosen ones to the trail library.

The application layer (docs/discover.md): formats.osm reads, domain.osm.graph builds the
network and domain.osm.routes searches it, this module checks the input, writes files and
calls `library.add_bytes`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import gpxpy
import gpxpy.gpx
import numpy as np

from trailmix.app import trails as library
from trailmix.domain.osm.graph import (
    MAX_SNAP_M,
    Graph,
    build_graph,
    nearest_node,
    nearest_way_m,
    start_node,
)
from trailmix.domain.osm.match import same_route
from trailmix.domain.osm.routes import (
    Candidate,
    Purpose,
    hill_routes,
    recovery_routes,
    technical_routes,
)
from trailmix.domain.terrain.population import check_effort
from trailmix.domain.trail.model import shoe_for
from trailmix.domain.trail.profile import ElevationModel
from trailmix.domain.types import TrailShoe
from trailmix.errors import InputError, TrailmixError
from trailmix.formats.files import write_file
from trailmix.formats.osm import OsmArea, read_runnable_ways
from trailmix.formats.readers import parse_track
from trailmix.formats.srtm import DemFolder
from trailmix.storage.db import Database
from trailmix.storage.records import OsmTagsRecord
from trailmix.storage.repo import TrailRecord, Trails

ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"
"""Required on anything derived from OSM data (ODbL 1.0; ../shared/data/README.md)."""

SRTM_CREDIT = "Elevation: NASA/USGS SRTM (public domain)"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"

MAX_RADIUS_KM = 50.0
"""trailmix default: the largest radius read. A 3-hour run out and back reaches about 18 km
from home; 50 km already covers every trail a run from one start can use. A bigger radius
only costs memory and time (see `radius_cost`)."""

WARN_RADIUS_KM = 20.0
"""trailmix default: above 20 km the reading takes noticeably longer; say so."""

WAYS_PER_KM2 = 16.0
BYTES_PER_WAY = 3_200.0
SECONDS_PER_KM2 = 0.004
"""Measured (tracemalloc, perf_counter) on north-bayreuth.osm.gz within 6 km of its middle:
16 runnable ways per km² of rolling farmland, 3.2 kB held per kept way once the network is
built (12 kB at the peak), 4 ms of reading and building per km². Used only to say what a
huge radius would cost."""

ALL_PURPOSES = (Purpose.RECOVERY, Purpose.HILLS, Purpose.TECHNICAL)


def radius_cost(radius_km: float) -> str:
    """Rough memory and time for a radius, in words, from the measured densities above."""
    area = math.pi * radius_km**2
    ways = area * WAYS_PER_KM2
    gb = ways * BYTES_PER_WAY / 1e9
    minutes = area * SECONDS_PER_KM2 / 60
    return (
        f"a {radius_km:g} km radius is {area:,.0f} km²: in farmland like north of Bayreuth "
        f"about {ways / 1e6:,.1f} million runnable ways, {gb:,.1f} GB of memory for the "
        f"network and {minutes:,.0f} minutes or more to build it"
    )


def check_radius(radius_km: float) -> list[str]:
    """Refuse a radius that is not positive or over `MAX_RADIUS_KM` (with its cost); a
    warning above `WARN_RADIUS_KM`."""
    if not (math.isfinite(radius_km) and radius_km > 0):
        raise InputError(f"{radius_km:g} km is not a radius; give a distance above 0.", "--radius")
    if radius_km > MAX_RADIUS_KM:
        raise InputError(
            f"{radius_km:g} km is too far to search: {radius_cost(radius_km)}, and no run "
            f"from one start reaches beyond {MAX_RADIUS_KM:g} km. Use a radius of at most "
            f"{MAX_RADIUS_KM:g} km (5-10 km finds the trails you can run from home).",
            "--radius",
        )
    if radius_km > WARN_RADIUS_KM:
        return [f"radius {radius_km:g} km: {radius_cost(radius_km)}; 5-10 km is usually enough"]
    return []


def parse_near(text: str) -> tuple[float, float]:
    """'LAT,LON' in degrees."""
    try:
        a, b = (float(x) for x in text.replace(" ", "").split(","))
    except ValueError:
        raise InputError(
            f"{text!r} is not a position; write it as LAT,LON in degrees, e.g. 49.98,11.62.",
            "--near",
        ) from None
    if not (math.isfinite(a) and math.isfinite(b) and -90 <= a <= 90 and -180 <= b <= 180):
        raise InputError(f"{text!r} is not on Earth (lat -90..90, lon -180..180).", "--near")
    return a, b


@dataclass(frozen=True, eq=False)
class Discovery:
    """What a search found, and what it had to assume."""

    area: OsmArea
    graph: Graph
    start: tuple[float, float]
    snap_m: float
    candidates: tuple[Candidate, ...]
    purposes: tuple[Purpose, ...]
    minutes: float
    notes: tuple[str, ...]


def discover(
    osm: Path,
    near: tuple[float, float],
    radius_km: float,
    *,
    dem: ElevationModel | None,
    purposes: tuple[Purpose, ...] = ALL_PURPOSES,
    minutes: float = 40.0,
    effort: float = 3.0,
    flat_speed_ms: float = 1000.0 / 330.0,
    index: str | None = None,
) -> Discovery:
    """Read the ways within `radius_km` of `near`, build the network, and find candidates for
    each purpose. Raises `InputError` when nothing useful can be done (start outside the
    extract, no runnable way near it)."""
    check_effort(effort)
    if not (math.isfinite(minutes) and 5 <= minutes <= 600):
        raise InputError(f"{minutes:g} minutes: give 5 to 600 minutes.", "--minutes")
    notes = check_radius(radius_km)
    lat, lon = near
    area = read_runnable_ways(osm, lat, lon, radius_km, index=index)
    inside = area.contains(lat, lon)
    if not area.ways:
        if inside is False and area.bounds is not None:
            s, w, n, e = area.bounds
            raise InputError(
                f"{lat:g},{lon:g} is outside {Path(area.path).name}, which covers lat "
                f"{s:.3f}..{n:.3f}, lon {w:.3f}..{e:.3f}: give a start inside it, or an "
                "extract that covers your home.",
                "--near",
            )
        raise InputError(
            f"no runnable way (path, track, footway, minor road) within {radius_km:g} km of "
            f"{lat:g},{lon:g} in {Path(area.path).name}: give a larger --radius or another "
            "start.",
            "--near",
        )
    if inside is False:
        notes.append("the start is outside the extract's bounds; trails near its edge are used")
    graph = build_graph(area.ways, dem, flat_speed_ms=flat_speed_ms, effort=effort)
    notes.extend(graph.notes)
    way_m = nearest_way_m(graph, lat, lon)
    if way_m > MAX_SNAP_M:
        raise InputError(
            f"the nearest runnable way is {way_m / 1000:.1f} km from {lat:g},{lon:g} (more "
            f"than {MAX_SNAP_M / 1000:g} km): give a start on or near a path or road.",
            "--near",
        )
    start, snap = start_node(graph, lat, lon)
    if snap > 100:
        _, nearest = nearest_node(graph, lat, lon)
        where = "" if nearest >= snap - 1 else " on the connected network"
        notes.append(
            f"the routes start at the nearest junction{where}, {snap:.0f} m from your start"
        )
    found: list[Candidate] = []
    for p in purposes:
        if p is Purpose.RECOVERY:
            got = recovery_routes(graph, start, minutes, dem)
            if not got:
                notes.append(
                    f"no route of {minutes:g} min (±10 %) from here, not even as laps of a "
                    "short loop or an out-and-back run several times: the runnable ways "
                    "reached from the start are too few"
                )
            elif got[0].fit != "flat, unpaved":
                notes.append(
                    f"no flat, mostly unpaved route of {minutes:g} min from here: these are "
                    f"the best this area offers (R7: any trail helps; R8: work with what "
                    "you've got); each says how it falls short"
                )
        elif p is Purpose.HILLS:
            got = hill_routes(graph, start, dem)
            if not got:
                notes.append(
                    "no hill that suits repeats could be found"
                    + (" (no elevation tiles)" if dem is None else " within reach on trails")
                )
        else:
            got = technical_routes(graph, start, dem)
            if not got:
                notes.append(
                    "no way tagged technical (sac_scale, trail_visibility, smoothness, "
                    "mtb:scale, rock or mud, a 15 % incline) within reach: nothing here needs "
                    "hiking first (R9)"
                )
        found.extend(got)
    return Discovery(
        area=area,
        graph=graph,
        start=(float(graph.node_lat[start]), float(graph.node_lon[start])),
        snap_m=snap,
        candidates=tuple(found),
        purposes=purposes,
        minutes=minutes,
        notes=tuple(notes),
    )


def dem_for(path: str | None) -> tuple[DemFolder | None, list[str]]:
    """The DEM folder (None and a note without one, or when it holds no tile)."""
    folder = library.dem_folder(path)
    if folder is None:
        return None, ["no elevation tiles given (--dem): discovering on a flat network"]
    if not folder.tiles:
        return None, [f"{folder.path} holds no SRTM tiles: discovering on a flat network"]
    return folder, []


def dem_coverage_note(dem: DemFolder | None, lat: float, lon: float) -> list[str]:
    if dem is not None and not dem.covers(lat, lon):
        return [
            f"no elevation tile for {lat:.3f},{lon:.3f} in {dem.path} (have "
            f"{', '.join(dem.tiles)}): flat where tiles are missing"
        ]
    return []


# ----------------------------------------------------------------------------- output


def candidate_to_dict(c: Candidate, rank: int, owns: TrailShoe = TrailShoe.YES) -> dict[str, Any]:
    """The JSON fields of one candidate (docs/discover.md)."""
    p = c.prediction
    hill = None
    if c.hill is not None:
        h = c.hill.hill
        hill = {
            "way_name": c.hill.way_name,
            "length_m": round(h.length_m, 1),
            "gain_m": round(h.gain_m, 1),
            "avg_grade": round(h.avg_grade, 4),
            "max_grade": round(h.max_grade, 4),
            "suits_repeats": h.suits_repeats,
            "suits_sprints": h.suits_sprints,
            "climb_minutes": round(c.hill.climb_minutes, 2),
            "approach_minutes": round(c.hill.approach_minutes, 2),
            "ways": c.hill.ways,
        }
    return {
        "rank": rank,
        "name": c.name,
        "purpose": c.purpose.value,
        "kind": c.kind,
        "laps": c.laps,
        "fit": c.fit,
        "category": c.category.value,
        "length_km": round(c.length_km, 3),
        "gain_m": None if c.profile.gain_m is None else round(c.profile.gain_m, 1),
        "loss_m": None if c.profile.loss_m is None else round(c.profile.loss_m, 1),
        "gain_per_km": None if c.profile.gain_per_km is None else round(c.profile.gain_per_km, 1),
        "effort": p.effort,
        "minutes": round(p.minutes, 2),
        "low_minutes": round(p.low, 2),
        "high_minutes": round(p.high, 2),
        "target_minutes": c.target_minutes,
        "surface_km": {k: round(v, 3) for k, v in c.surface_km.items()},
        "unpaved_share": round(c.unpaved_share, 3),
        "surface_assumed_km": round(c.surface_assumed_km, 3),
        "shoe": shoe_for(c.category, owns).value,
        "hike_first": c.hike_first,
        "reasons": [{"rule": r.rule, "text": r.text} for r in c.reasons],
        "technical_ways": [
            {"way_id": t.way_id, "name": t.name, "tags": dict(t.tags), "reasons": list(t.reasons)}
            for t in c.technical_ways
        ],
        "hill": hill,
        "way_names": list(c.way_names),
        "osm_way_ids": list(c.way_ids),
        "points": len(c.lat),
        "notes": list(c.notes),
        "attribution": ATTRIBUTION,
    }


def discovery_to_dict(d: Discovery, owns: TrailShoe = TrailShoe.YES) -> dict[str, Any]:
    return {
        "osm": d.area.path,
        "start": {"lat": round(d.start[0], 7), "lon": round(d.start[1], 7)},
        "snap_m": round(d.snap_m, 1),
        "purposes": [p.value for p in d.purposes],
        "minutes": d.minutes,
        "effort": d.graph.effort,
        "flat_pace_s_per_km": round(1000 / d.graph.flat_speed_ms, 1),
        "elevation_share": round(d.graph.elevation_share, 4),
        "network": {
            "ways": len(d.area.ways),
            "highway_ways_read": d.area.highway_ways,
            "nodes": d.graph.n_nodes,
            "edges": d.graph.n_edges,
            "km": round(d.graph.length_km, 2),
            "location_index": d.area.index,
        },
        "candidates": [candidate_to_dict(c, i + 1, owns) for i, c in enumerate(d.candidates)],
        "notes": list(d.notes),
        "attribution": ATTRIBUTION,
    }


def to_gpx(c: Candidate, name: str | None = None) -> str:
    """The candidate as GPX 1.1 text: one track, DEM elevations, the ODbL attribution in the
    metadata's copyright and description."""
    gpx = gpxpy.gpx.GPX()
    gpx.name = name or c.name
    gpx.description = (
        f"{c.purpose.value}: {c.category.value}, {c.length_km:.2f} km, found by trailmix from "
        f"OpenStreetMap. {ATTRIBUTION}. {SRTM_CREDIT}."
    )
    gpx.author_name = "OpenStreetMap contributors"
    gpx.copyright_author = "OpenStreetMap contributors"
    gpx.copyright_license = ODBL_URL
    gpx.creator = "trailmix"
    if c.technical_ways:
        # the OSM tags that made it technical travel with the file too (R9)
        gpx.keywords = "; ".join(
            f"way {t.way_id} " + " ".join(f"{k}={v}" for k, v in t.tags) for t in c.technical_ways
        )
    track = gpxpy.gpx.GPXTrack(name=gpx.name, description=ATTRIBUTION)
    seg = gpxpy.gpx.GPXTrackSegment()
    for la, lo, el in zip(c.lat.tolist(), c.lon.tolist(), c.elevation.tolist(), strict=True):
        seg.points.append(
            gpxpy.gpx.GPXTrackPoint(
                round(la, 7), round(lo, 7), elevation=round(el, 1) if np.isfinite(el) else None
            )
        )
    track.segments.append(seg)
    gpx.tracks.append(track)
    return str(gpx.to_xml(version="1.1"))


def write_gpx(c: Candidate, path: Path, name: str | None = None) -> Path:
    return write_file(path, to_gpx(c, name), "--gpx-dir")


def _file_stem(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_ " else " " for ch in name)
    return "_".join(keep.split())[:80] or "trail"


def library_has(db: Database, c: Candidate) -> TrailRecord | None:
    """The stored trail that is this candidate's route on the ground (`match.same_route`:
    either direction, any start), if the library has one."""
    for rec in Trails(db).records():
        if abs(rec.length_km - c.length_km) > 0.1 * max(rec.length_km, c.length_km):
            continue
        data = Trails(db).file_bytes(rec.id)
        if not data:
            continue
        try:
            track = parse_track(data, rec.file_name or rec.name)
        except TrailmixError:
            continue
        if same_route(c.lat, c.lon, track.lat, track.lon):
            return rec
    return None


@dataclass(frozen=True)
class Added:
    """A candidate put in the library, or found there already (`already`)."""

    record: TrailRecord
    already: bool


def add_or_find(
    db: Database,
    c: Candidate,
    *,
    dem: DemFolder | None,
    name: str | None = None,
    gpx_dir: Path | None = None,
) -> Added:
    """`add_candidate`, unless the library already has the route (by its geometry): then
    that trail, and nothing is stored twice."""
    have = library_has(db, c)
    if have is not None:
        return Added(have, True)
    return Added(add_candidate(db, c, dem=dem, name=name, gpx_dir=gpx_dir), False)


def add_candidate(
    db: Database,
    c: Candidate,
    *,
    dem: DemFolder | None,
    name: str | None = None,
    gpx_dir: Path | None = None,
) -> TrailRecord:
    """Make the candidate's GPX and store it in the trail library with those bytes (the
    library analyses them as it does any route file), writing it into `gpx_dir` too when
    given. Technical ground is declared, so the stored trail is technical and hike-first (R9)
    as listed, and the OSM tags that made it so are kept in its stored analysis
    (`osm_technical`) and in the GPX's keywords."""
    taken = {r.name.lower() for r in Trails(db).records()}
    trail_name = name or c.name
    base, n = trail_name, 2
    while trail_name.lower() in taken:
        trail_name, n = f"{base} {n}", n + 1
    technical = ("technical",) if any(r.rule == "R9" for r in c.reasons) else ()
    surface = None
    if c.unpaved_share < 0.2:
        surface = "paved"
    elif c.surface_km.get("gravel", 0.0) >= 0.8 * sum(c.surface_km.values()):
        surface = "gravel"
    file_name = f"{_file_stem(trail_name)}.gpx"
    data = to_gpx(c, trail_name).encode("utf-8")
    label = file_name
    if gpx_dir is not None:
        label = str(write_file(gpx_dir / file_name, data, "--gpx-dir"))
    rec = library.add_bytes(
        db,
        data,
        file_name,
        name=trail_name,
        surface=surface,
        technical=technical,
        dem=dem,
        label=label,
    )
    if not c.technical_ways:
        return rec
    tags = tuple(OsmTagsRecord(t.way_id, t.name, t.tags, t.reasons) for t in c.technical_ways)
    return Trails(db).update_analysis(
        rec.id,
        category=rec.category,
        length_km=rec.length_km,
        gain_m=rec.gain_m,
        loss_m=rec.loss_m,
        analysis=replace(rec.analysis, osm_technical=tags),
    )
