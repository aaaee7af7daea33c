"""One moving-time definition for the whole product (issue 13): the log's summary and the
terrain model's timed profile count the same seconds (`domain.moving.moving_steps`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.logdata import ACTIVITIES, load_track
from trailmix.domain.log.activity import summarise
from trailmix.domain.moving import MAX_STEP_S, MIN_STOP_S, STOP_SPEED_MS, moving_steps
from trailmix.domain.terrain.moving import timed_profile
from trailmix.domain.trail.profile import _checked_keep_mask, _subset
from trailmix.formats.track import Track

SHARED = [
    ACTIVITIES / "road" / "recife_2020-12-13T07_25_55-300_Running.tcx",  # long recording gaps
    ACTIVITIES / "trail_hill" / "boulder_mountain_run_3h_no_altitude.fit",  # power-hiking
    ACTIVITIES / "trail_hill" / "polar_m400_vosges_run.tcx",  # long stops
    ACTIVITIES / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx",  # times on part of it only
]


@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_the_log_and_the_terrain_model_count_the_same_moving_time(path: Path) -> None:
    track = load_track(path)
    log_s = summarise(track).moving_s
    assert log_s is not None
    terrain_s = timed_profile(track).moving_minutes * 60
    # the same steps; the terrain's grid cuts the route's two ends to whole 10 m steps
    assert terrain_s == pytest.approx(log_s, rel=0.003, abs=15.0)


def _walk(pieces: list[tuple[float, float]], dt: float = 1.0) -> Track:
    """A straight line north: each piece is (seconds, speed m/s), a point every `dt` s."""
    t, d = [0.0], [0.0]
    for seconds, speed in pieces:
        for _ in range(int(seconds / dt)):
            t.append(t[-1] + dt)
            d.append(d[-1] + speed * dt)
    lat = 47.0 + np.asarray(d) / 111_195.0
    n = len(lat)
    return Track("w", "gpx", lat, np.full(n, 8.0), np.full(n, 500.0), 1.7e9 + np.asarray(t))


def test_a_power_hike_is_moving_a_standstill_is_a_stop_in_both() -> None:
    """Running, 5 minutes of steep power-hiking at 0.6 m/s (a walk), a 60 s standstill, a 5 s
    shoelace, running again."""
    track = _walk([(300, 3.0), (300, 0.6), (60, 0.0), (5, 0.0), (300, 3.0)])
    s = summarise(track)
    assert STOP_SPEED_MS < 0.6 and 60 >= MIN_STOP_S > 5
    assert s.moving_s is not None and s.elapsed_s is not None
    assert len(s.stops) == 1
    # the standstill (and the smoothing's edge of it) is the only time left out
    assert s.elapsed_s - s.moving_s == pytest.approx(60.0, abs=12.0)
    assert timed_profile(track).moving_minutes * 60 == pytest.approx(s.moving_s, abs=10.0)


def test_a_slow_crawl_is_a_stop_in_both() -> None:
    """2 minutes at 0.3 m/s (GPS wander at a traffic light, under the 0.5 m/s threshold) between
    two runs is a stop: the target the time models are fitted to leaves it out."""
    track = _walk([(300, 3.0), (120, 0.3), (300, 3.0)])
    s = summarise(track)
    assert s.moving_s is not None and s.elapsed_s is not None
    # the smoothing blurs the stop's two edges into the running on either side
    assert s.elapsed_s - s.moving_s == pytest.approx(120.0, abs=25.0)
    assert timed_profile(track).moving_minutes * 60 == pytest.approx(s.moving_s, abs=10.0)


def test_an_auto_pause_is_a_stop_and_a_short_gap_while_running_is_not() -> None:
    """A recording gap of 2 minutes is a stop, covered at under 0.5 m/s (an auto-pause) or not
    (over a minute, the way between its ends is unknown); a 30 s gap covered at running speed
    (lost signal in a tunnel) is moving, in both."""
    paused = _walk([(120, 3.0), (120, 0.1), (120, 3.0)], dt=1.0)
    keep = np.ones(len(paused), dtype=bool)
    keep[121:240] = False  # the device wrote nothing during the pause
    gap = Track(
        "p", "gpx", paused.lat[keep], paused.lon[keep], paused.elevation[keep], paused.time_s[keep]
    )
    s = summarise(gap)
    assert s.moving_s == pytest.approx(240.0, abs=2.0)
    assert timed_profile(gap).moving_minutes * 60 == pytest.approx(s.moving_s, abs=5.0)
    assert MAX_STEP_S < 120
    tunnel = _walk([(120, 3.0), (120, 3.0), (120, 3.0)])
    for gap_s, moving_s in ((30, 360.0), (120, 240.0)):
        keep = np.ones(len(tunnel), dtype=bool)
        keep[121 : 120 + gap_s] = False
        lost = Track(
            "t",
            "gpx",
            tunnel.lat[keep],
            tunnel.lon[keep],
            tunnel.elevation[keep],
            tunnel.time_s[keep],
        )
        s = summarise(lost)
        assert s.moving_s == pytest.approx(moving_s, abs=2.0), gap_s
        assert timed_profile(lost).moving_minutes * 60 == pytest.approx(s.moving_s, abs=5.0)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.5, 120.0), st.floats(0.0, 5.0)),
        min_size=2,
        max_size=60,
    )
)
def test_no_step_over_a_minute_is_moving_and_moving_time_is_part_of_the_timed_time(
    steps: list[tuple[float, float]],
) -> None:
    """Any recording (random gaps of 0.5-120 s at 0-5 m/s): a step over `MAX_STEP_S` is never
    moving, and the moving time is at most the sum of the valid steps' durations."""
    t, d = [0.0], [0.0]
    for dt, speed in [(5.0, 3.0), *steps]:  # a first running step: the track has a length
        t.append(t[-1] + dt)
        d.append(d[-1] + speed * dt)
    lat = 47.0 + np.asarray(d) / 111_195.0
    n = len(lat)
    track = Track("h", "gpx", lat, np.full(n, 8.0), np.full(n, 500.0), 1.7e9 + np.asarray(t))
    points = _subset(track, _checked_keep_mask(track))
    classified = moving_steps(points)
    assert not (classified.moving & (classified.dt > MAX_STEP_S)).any()
    assert classified.moving_s <= float(classified.dt[classified.valid].sum()) + 1e-6
