"""`trails discover` end to end: JSON, adding to the library with a GPX file, bad input."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import gpxpy
from rich.console import Console

from support.osmdata import ANDORRA, BAYREUTH, BAYREUTH_HOME, DEM, run_cli
from trailmix.app.discover import ATTRIBUTION, radius_cost
from trailmix.cli import discover_cmd
from trailmix.cli.common import console
from trailmix.formats.osm import OsmArea
from trailmix.storage.db import Database
from trailmix.storage.repo import Trails

NEAR = f"{BAYREUTH_HOME[0]},{BAYREUTH_HOME[1]}"


def _args(*extra: str, osm: Path = BAYREUTH, near: str = NEAR) -> list[str]:
    return ["discover", "--osm", str(osm), "--near", near, "--radius", "4", *extra]


def test_json_lists_candidates_with_attribution(tmp_path: Path) -> None:
    r = run_cli(*_args("--dem", str(DEM), "--for", "recovery", "--minutes", "30"), "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc["attribution"] == ATTRIBUTION
    assert doc["candidates"]
    c = doc["candidates"][0]
    for key in (
        "category",
        "length_km",
        "gain_m",
        "minutes",
        "surface_km",
        "shoe",
        "hike_first",
        "reasons",
    ):
        assert key in c
    assert abs(c["minutes"] - 30) <= 3.0
    assert doc["network"]["location_index"] == "flex_mem"


def test_table_and_add_puts_a_gpx_trail_in_the_library(tmp_path: Path, db_url: str) -> None:
    db = db_url
    keep = tmp_path / "gpx"
    r = run_cli(
        *_args("--dem", str(DEM), "--for", "recovery", "--minutes", "30"),
        *("--add", "1", "--gpx-dir", str(keep), "--db", db),
    )
    assert r.exit_code == 0, r.stderr
    assert "OpenStreetMap contributors" in r.stdout and "added" in r.stdout
    recs = Trails(Database(db)).records()
    assert len(recs) == 1
    data = Trails(Database(db)).file_bytes(recs[0].id)
    assert data is not None
    gpx = gpxpy.parse(data.decode("utf-8"))
    assert ATTRIBUTION in (gpx.description or "")
    assert gpx.copyright_author == "OpenStreetMap contributors"
    assert "odbl" in (gpx.copyright_license or "").lower()
    assert len(gpx.tracks[0].segments[0].points) > 50
    assert all(p.elevation is not None for p in gpx.tracks[0].segments[0].points)
    assert list(keep.glob("*.gpx"))
    assert recs[0].analysis.elevation_source == "file"


def test_added_technical_trail_is_technical_in_the_library(tmp_path: Path, db_url: str) -> None:
    db = db_url
    r = run_cli(
        *_args("--dem", str(DEM), "--for", "technical", osm=ANDORRA, near="42.596,1.52"),
        *("--add-all", "-f", "json", "--db", db),
    )
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc["added"] and all(c["hike_first"] for c in doc["candidates"])
    assert {a["category"] for a in doc["added"]} == {"technical"}
    # the OSM tags that made each technical are listed, and kept with the stored trail
    for c in doc["candidates"]:
        assert c["technical_ways"] and "sac_scale" in c["technical_ways"][0]["tags"]
        assert c["fit"].startswith("hike first: sac_scale=")
    for rec in Trails(Database(db)).records():
        kept = rec.analysis.osm_technical
        assert kept and all(dict(w.tags).get("sac_scale") for w in kept)
        assert all(w.way_id > 0 and w.reasons for w in kept)
    # re-analysis from the stored file keeps the tags the file cannot give again
    before = {r.id: r.analysis.osm_technical for r in Trails(Database(db)).records()}
    assert run_cli("reanalyse", "--db", db).exit_code == 0
    after = {r.id: r.analysis.osm_technical for r in Trails(Database(db)).records()}
    assert after == before


def test_add_twice_stores_the_route_once(tmp_path: Path, db_url: str) -> None:
    db = db_url
    args = (*_args("--dem", str(DEM), "--for", "recovery", "--minutes", "30"), "--db", db)
    first = run_cli(*args, "--add", "1", "-f", "json")
    assert first.exit_code == 0, first.stderr
    assert first.json()["added"][0]["already"] is False
    again = run_cli(*args, "--add", "1")
    assert again.exit_code == 0, again.stderr
    assert "already in your trails" in again.stdout
    recs = Trails(Database(db)).records()
    assert len(recs) == 1 and str(recs[0].id) in again.stdout


def test_not_an_osm_file(tmp_path: Path) -> None:
    bad = tmp_path / "home.osm.pbf"
    bad.write_text("not a map")
    r = run_cli(*_args(osm=bad))
    assert r.exit_code == 2
    assert "not an OpenStreetMap file" in r.message
    assert len(r.stderr.strip().splitlines()) == 1


def test_bounds_cover_every_node_so_a_start_inside_is_inside(bayreuth_area: OsmArea) -> None:
    assert bayreuth_area.bounds is not None
    for w in bayreuth_area.ways:
        for la, lo in zip(w.lat.tolist(), w.lon.tolist(), strict=True):
            assert bayreuth_area.contains(la, lo)


def test_table_reads_at_80_and_120_columns() -> None:
    reason = {"rule": "R7", "text": "a long reason " * 20}
    cand = {
        "rank": 1,
        "purpose": "recovery",
        "name": "2 laps of a 3.4 km loop (Crottendorfer Weg)",
        "minutes": 41.2,
        "length_km": 6.8,
        "gain_m": 120.0,
        "unpaved_share": 0.82,
        "category": "hilly",
        "fit": "2 laps, flattest here: 18 m/km",
        "reasons": [reason] * 3,
        "shoe": "trail",
        "hike_first": False,
        "surface_km": {"paved": 1.0, "dirt": 5.8},
        "notes": [],
    }
    doc = {
        "candidates": [cand, {**cand, "rank": 2, "purpose": "hills"}],
        "start": {"lat": 50.0, "lon": 11.5},
        "effort": 3.0,
    }
    for width in (80, 120):
        out = io.StringIO()
        discover_cmd.console = Console(file=out, width=width)
        try:
            discover_cmd._print_table(doc, why=False)
        finally:
            discover_cmd.console = console
        lines = out.getvalue().splitlines()
        assert all(len(x) <= width for x in lines)
        assert "a long reason" not in out.getvalue()  # reasons go to --why and JSON
        assert len(lines) <= 9 + 3 * 2  # title, header, footer; at most 3 lines a route
        assert "flattest" in out.getvalue() and "18 m/km" in out.getvalue()


def test_start_outside_the_extract() -> None:
    r = run_cli(*_args(near="48.137,11.575"))
    assert r.exit_code == 2
    assert "outside north-bayreuth.osm.gz" in r.message


def test_no_runnable_way_within_the_radius(tmp_path: Path) -> None:
    r = run_cli(*_args(near="50.0321,11.5352"), "--radius", "0.01")
    assert r.exit_code == 2
    assert "no runnable way" in r.message or "nearest runnable way" in r.message


def test_missing_dem_tiles_discover_flat_and_say_so(tmp_path: Path) -> None:
    tiles = tmp_path / "dem"
    tiles.mkdir()
    shutil.copy(DEM / "N43E007.hgt.zip", tiles)  # Monaco's tile only
    r = run_cli(*_args("--dem", str(tiles), "--for", "recovery", "--minutes", "30"))
    assert r.exit_code == 0, r.stderr
    assert "no elevation tile for" in r.message
    assert "no elevation" in r.message


def test_no_dem_at_all_says_flat() -> None:
    r = run_cli(*_args("--for", "recovery", "--minutes", "30"))
    assert r.exit_code == 0, r.stderr
    assert "flat network" in r.message


def test_a_500_km_radius_is_refused_with_its_cost() -> None:
    r = run_cli("discover", "--osm", str(BAYREUTH), "--near", NEAR, "--radius", "500")
    assert r.exit_code == 2
    assert "500 km is too far" in r.message and "GB of memory" in r.message
    assert "785,398 km²" in radius_cost(500)


def test_bad_flags() -> None:
    assert run_cli(*_args(near="north of Bayreuth")).exit_code == 2
    assert run_cli(*_args(near="95,11")).exit_code == 2
    r = run_cli(*_args("--effort", "12"))
    assert r.exit_code == 2 and "1-10" in r.message
    r = run_cli(*_args("--flat-pace", "fast"))
    assert r.exit_code == 2
    r = run_cli(*_args("--for", "recovery", "--minutes", "30", "--add", "99"))
    assert r.exit_code == 2 and "no candidate 99" in r.message
