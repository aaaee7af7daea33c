"""Trail footprints (migration 0003_logscale): a trail keeps the line route matching needs, a
database from before gets them at the next import, pruning by bounding box never drops a trail
that could match, and a database at the latest schema opens without Alembic."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from alembic import command
from alembic.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from support.logdata import ACTIVITIES
from trailmix.app import log_import as training_log
from trailmix.app import trails as library
from trailmix.domain.log.activity import ROUTE_MATCH_SHARE, TrailRoute, route_overlap
from trailmix.formats.readers import read_track
from trailmix.storage import db as storage_db
from trailmix.storage.db import Database
from trailmix.storage.repo import TrailBox, Trails

HILL = ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit"


def test_a_trail_stores_its_line_and_matching_reads_it_back(db_url: str) -> None:
    db = Database(db_url)
    rec = library.add_file(db, HILL)
    track = read_track(HILL)
    [route] = training_log.trail_routes(db, track)
    assert route.id == rec.id
    assert np.array_equal(route.lat, track.lat) and np.array_equal(route.lon, track.lon)
    # a run 50 km away is not compared with it at all
    assert (
        training_log.trail_routes(
            db, read_track(ACTIVITIES / "road" / "fr410_rolling_road_run.tcx")
        )
        == []
    )
    db.dispose()


def test_a_database_from_before_gets_footprints_at_the_next_import(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(storage_db._MIGRATIONS))
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(
            text(
                "INSERT INTO trails (name, category, category_source, length_km, gain_m, loss_m,"
                " hiked, analysis, file_name, file_bytes, created_at) VALUES ('hill', 'hilly',"
                " 'analysis', 5.3, 80, 80, 0, '{}', :name, :data, '2026-01-01 00:00:00')"
            ),
            {"name": HILL.name, "data": HILL.read_bytes()},
        )
    engine.dispose()
    db = Database(url)  # migrates to the latest schema; the footprint is not there yet
    assert Trails(db).without_footprint() == [(1, HILL.name)]
    [route] = training_log.trail_routes(db)
    assert np.array_equal(route.lat, read_track(HILL).lat)
    assert Trails(db).without_footprint() == []
    db.dispose()


def test_a_database_at_the_latest_schema_is_recognised_without_alembic(db_url: str) -> None:
    db = Database(db_url)
    assert storage_db._head_revisions() and db._at_head()
    db.dispose()


# A trail and a run near each other: a few points each, within about 2 km of 47.0 N 8.0 E.
POINTS = st.lists(st.tuples(st.floats(-0.02, 0.02), st.floats(-0.03, 0.03)), min_size=2, max_size=8)


@settings(max_examples=40)
@given(trail=POINTS, run=POINTS, shift=st.floats(-0.05, 0.05))
def test_pruning_never_drops_a_trail_that_could_match(
    trail: list[tuple[float, float]], run: list[tuple[float, float]], shift: float
) -> None:
    t_lat = np.array([47.0 + a for a, _ in trail])
    t_lon = np.array([8.0 + b for _, b in trail])
    r_lat = np.array([47.0 + a + shift for a, _ in run])
    r_lon = np.array([8.0 + b for _, b in run])
    box = TrailBox(1, t_lat.min(), t_lat.max(), t_lon.min(), t_lon.max())
    share = route_overlap(r_lat, r_lon, TrailRoute(1, "t", t_lat, t_lon))
    if not training_log.could_match(r_lat, r_lon, box):
        assert share < ROUTE_MATCH_SHARE
    if share >= ROUTE_MATCH_SHARE:
        assert training_log.could_match(r_lat, r_lon, box)
    assert not math.isnan(share)
