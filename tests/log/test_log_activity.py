"""summarise() on every real shared activity: moving time, distance, heart rate; duplicates,
RPE estimate, surface guess."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import fitdecode
import gpxpy.gpx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.logdata import ACTIVITY_FILES, load_summary, load_track
from trailmix.domain.effort import HeartRateModel
from trailmix.domain.log.activity import (
    ActivitySummary,
    Fingerprint,
    TrailRoute,
    estimate_rpe,
    route_overlap,
    summarise,
    surface_guess,
)
from trailmix.domain.trail.profile import haversine_m, step_lengths
from trailmix.domain.types import Surface
from trailmix.formats.track import Track

IDS = [p.name for p in ACTIVITY_FILES]
STOP_SPEED = 0.5  # m/s, the trailmix walking-pace threshold (docs/log.md, "Moving time")
MAX_STEP = 60.0  # s: a longer single step is never moving


def independent_moving_s(track: Track) -> float:
    """Timed time minus detected stops, defined here without the module's code.

    A point is still when the straight line between the raw points about 15 s before and
    after it (not across a gap over 10 s) is covered at under 0.5 m/s. A step is stopped when
    both its ends are still, when it is a recording gap (> 10 s) covered at under 0.5 m/s, or
    when it lasts over a minute.
    """
    t, lat, lon, seg = track.time_s, track.lat, track.lon, track.segment
    n = len(t)
    ok = np.isfinite(t)
    still = np.zeros(n, dtype=bool)
    for i in range(n):
        if not ok[i]:
            continue
        a = i
        while (
            a > 0
            and ok[a - 1]
            and seg[a - 1] == seg[i]
            and t[i] - t[a - 1] <= 15
            and t[a] - t[a - 1] <= 10
        ):
            a -= 1
        b = i
        while (
            b < n - 1
            and ok[b + 1]
            and seg[b + 1] == seg[i]
            and t[b + 1] - t[i] <= 15
            and t[b + 1] - t[b] <= 10
        ):
            b += 1
        span = t[b] - t[a]
        if span >= 10:
            d = haversine_m(lat[a : a + 1], lon[a : a + 1], lat[b : b + 1], lon[b : b + 1])[0]
            still[i] = d / span < STOP_SPEED
    steps = step_lengths(track)
    moving = 0.0
    for i in range(1, n):
        if not (ok[i] and ok[i - 1]) or seg[i] != seg[i - 1]:
            continue
        dt = t[i] - t[i - 1]
        if dt <= 0:
            continue
        stopped = (
            dt > MAX_STEP
            or (dt > 10 and steps[i] / dt < STOP_SPEED)
            or (dt <= 10 and still[i] and still[i - 1])
        )
        if not stopped:
            moving += dt
    return moving


@pytest.mark.parametrize("path", ACTIVITY_FILES, ids=IDS)
def test_moving_time_matches_elapsed_minus_detected_stops(path: Path) -> None:
    track = load_track(path)
    s = load_summary(path)
    assert s.start is not None and s.elapsed_s is not None and s.moving_s is not None
    expected = independent_moving_s(track)
    # near the walking-pace threshold the two smoothings (a straight line over +-15 s here, a
    # Gaussian in the module) disagree on a few steps: up to ~3 % of a steep trail run's time
    assert s.moving_s == pytest.approx(expected, rel=0.035)
    assert s.moving_s <= s.elapsed_s + 1e-6
    assert s.stopped_s is not None
    assert s.moving_s + s.stopped_s <= s.elapsed_s + 1e-6


def _gpxpy_length(track: Track) -> float:
    gpx = gpxpy.gpx.GPX()
    trk = gpxpy.gpx.GPXTrack()
    gpx.tracks.append(trk)
    segments: dict[int, gpxpy.gpx.GPXTrackSegment] = {}
    for lat, lon, seg in zip(track.lat, track.lon, track.segment, strict=True):
        if int(seg) not in segments:
            segments[int(seg)] = gpxpy.gpx.GPXTrackSegment()
            trk.segments.append(segments[int(seg)])
        segments[int(seg)].points.append(gpxpy.gpx.GPXTrackPoint(lat, lon))
    return float(gpx.length_2d())


@pytest.mark.parametrize("path", ACTIVITY_FILES, ids=IDS)
def test_distance_within_1_percent_of_gpxpy(path: Path) -> None:
    track = load_track(path)
    if ".gpx" in path.name:  # parsed by gpxpy itself
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
        reference = gpxpy.parse(text).length_2d()
    else:
        reference = _gpxpy_length(track)
    assert load_summary(path).distance_m == pytest.approx(reference, rel=0.01)


def _fit_session_distance(path: Path) -> float | None:
    with fitdecode.FitReader(io.BytesIO(path.read_bytes())) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                value = frame.get_value("total_distance", fallback=None)
                return float(value) if value is not None else None
    return None


# The device's own distance is not a GPS-track length on these files; measured differences.
DEVICE_DISTANCE_DIFFERS = {
    # FR645M: the watch's distance is 5,840 m, the recorded GPS track 5,304 m (-9.2 %);
    # the watch mixes in its wrist accelerometer.
    "fr645m_heidelberg_hill_run.fit": -0.092,
    # FR35 on slow steep trails: the GPS wanders while hiking and standing (+5.7 %, +3.2 %);
    # the watch filters it, a plain haversine sum does not.
    "boulder_flatirons_trail_run_no_altitude.fit": 0.057,
    "boulder_mountain_run_3h_no_altitude.fit": 0.032,
}

FIT_FILES = [p for p in ACTIVITY_FILES if p.suffix == ".fit"]


@pytest.mark.parametrize("path", FIT_FILES, ids=[p.name for p in FIT_FILES])
def test_fit_distance_against_the_files_own_total(path: Path) -> None:
    device = _fit_session_distance(path)
    assert device is not None
    diff = load_summary(path).distance_m / device - 1
    if path.name in DEVICE_DISTANCE_DIFFERS:
        assert diff == pytest.approx(DEVICE_DISTANCE_DIFFERS[path.name], abs=0.002)
    else:
        assert abs(diff) <= 0.01


def test_vosges_long_stops_are_removed() -> None:
    s = load_summary(next(p for p in ACTIVITY_FILES if "vosges" in p.name))
    assert s.elapsed_s is not None and s.moving_s is not None
    assert s.elapsed_s / 60 == pytest.approx(65.1, abs=0.1)
    # data/README: "65.1 (44 moving)"
    assert s.moving_s / 60 == pytest.approx(44, rel=0.05)
    assert len(s.stops) >= 3


@pytest.mark.parametrize("path", ACTIVITY_FILES, ids=IDS)
def test_heart_rate_stats_and_zones(path: Path) -> None:
    model = HeartRateModel(hr_max=190, hr_rest=50, method="test")
    s = summarise(load_track(path), hr_model=model)
    hr = s.heart_rate
    if not load_track(path).has_heart_rate:
        assert hr is None
        return
    assert hr is not None and hr.zone_s is not None and hr.below_zones_s is not None
    assert 30 <= hr.avg_bpm <= hr.max_bpm <= 240
    assert sum(hr.zone_s) + hr.below_zones_s == pytest.approx(hr.seconds)
    assert sum(sec for _, sec in hr.seconds_by_bpm) == pytest.approx(hr.seconds)
    assert s.elapsed_s is not None and hr.seconds <= s.elapsed_s + 1e-6


def test_gain_uses_the_profile_smoothing() -> None:
    s = load_summary(next(p for p in ACTIVITY_FILES if "fenix2" in p.name))
    assert s.gain_m == pytest.approx(103.5, abs=1.0)  # docs/trails.md: 257 raw, 103.5 smoothed
    no_alt = load_summary(next(p for p in ACTIVITY_FILES if "fr35" in p.name))
    assert no_alt.gain_m is None and no_alt.elevation_source == "none"


def test_start_is_utc_and_pace_from_moving_time() -> None:
    s = load_summary(next(p for p in ACTIVITY_FILES if "2020-12-02" in p.name))
    assert s.start is not None and s.start.tzinfo is UTC
    assert s.start.date().isoformat() == "2020-12-02"
    assert s.avg_pace_s_per_km is not None and s.moving_s is not None
    assert s.avg_pace_s_per_km == pytest.approx(s.moving_s / (s.moving_distance_m / 1000))


# ----------------------------------------------------------------------------- duplicates


def _fp(start: float, km: float) -> Fingerprint:
    return Fingerprint(start_s=start, distance_m=km * 1000)


def test_same_run_from_two_sources_is_a_duplicate() -> None:
    a = load_summary(next(p for p in ACTIVITY_FILES if "stryd" in p.name)).fingerprint
    assert a.start_s is not None
    assert a.same_run(_fp(a.start_s + 45, a.distance_m / 1000 * 1.015))
    assert not a.same_run(_fp(a.start_s + 90, a.distance_m / 1000))
    assert not a.same_run(_fp(a.start_s, a.distance_m / 1000 * 1.05))
    assert not a.same_run(Fingerprint(None, a.distance_m))


@given(
    st.floats(0, 2e9),
    st.floats(-200, 200),
    st.floats(0.1, 100),
    st.floats(0.9, 1.1),
)
def test_duplicate_detection_is_symmetric(start: float, shift: float, km: float, k: float) -> None:
    a, b = _fp(start, km), _fp(start + shift, km * k)
    assert a.same_run(b) == b.same_run(a)
    assert a.same_run(a)


# ----------------------------------------------------------------------------- RPE


def _with_hr(avg: float) -> ActivitySummary:
    s = load_summary(next(p for p in ACTIVITY_FILES if "fenix2" in p.name))
    assert s.heart_rate is not None
    from dataclasses import replace

    return replace(s, heart_rate=replace(s.heart_rate, avg_bpm=avg))


def test_rpe_estimate_inverts_the_prescription_tables() -> None:
    karvonen = HeartRateModel(hr_max=190, hr_rest=50, method="test")
    # E is 59-74 % of HRR (midpoint 66.5 %) at RPE 3-4: 50 + 0.665 x 140 = 143.1 bpm -> 3.5
    e = estimate_rpe(_with_hr(143.1), karvonen)
    assert e is not None and e.estimated and e.basis == "hrr"
    assert e.value == pytest.approx(3.5, abs=0.01)
    # T is 83-88 % (85.5 %) at RPE 6-7 -> 6.5; I is 95-100 % (97.5 %) at 8-9 -> 8.5.
    # 170 bpm = 120/140 = 85.71 % -> 6.5 + (0.8571 - 0.855) / 0.12 x 2 = 6.536 -> RPE 7
    t = estimate_rpe(_with_hr(170), karvonen)
    assert t is not None and t.value == pytest.approx(6.536, abs=0.001) and t.rpe == 7
    daniels = HeartRateModel(hr_max=200, hr_rest=None, method="test")
    # M is 80-89 % of HRmax (84.5 %) at RPE 5-6: 169 bpm -> 5.5
    m = estimate_rpe(_with_hr(169), daniels)
    assert m is not None and m.basis == "hrmax" and m.value == pytest.approx(5.5, abs=0.01)
    assert "Estimated" in m.reason.text


def test_rpe_estimate_needs_heart_rate() -> None:
    s = load_summary(next(p for p in ACTIVITY_FILES if "applewatch" in p.name))
    assert estimate_rpe(s, HeartRateModel(190, 50, "t")) is None


# ----------------------------------------------------------------------------- surface


def test_runner_tag_wins() -> None:
    path = next(p for p in ACTIVITY_FILES if "heidelberg" in p.name)
    g = surface_guess(load_summary(path), load_track(path), (), tag=Surface.ROAD)
    assert (g.surface, g.source, g.confidence) == (Surface.ROAD, "tag", 1.0)


def test_library_trail_match() -> None:
    path = next(p for p in ACTIVITY_FILES if "heidelberg" in p.name)
    track = load_track(path)
    every_20th = TrailRoute(7, "Hill loop", track.lat[::20], track.lon[::20])
    elsewhere = TrailRoute(8, "Far away", track.lat + 0.01, track.lon)
    # a point every ~40 s (100-200 m) cuts a few switchbacks by more than 30 m
    assert route_overlap(track.lat, track.lon, every_20th) > 0.9
    assert route_overlap(track.lat, track.lon, TrailRoute(9, "same", track.lat, track.lon)) == 1
    assert route_overlap(track.lat, track.lon, elsewhere) == 0.0
    g = surface_guess(load_summary(path), track, [elsewhere, every_20th])
    assert (g.surface, g.source, g.trail_id) == (Surface.TRAIL, "trail", 7)
    assert g.confidence > 0.9


ROAD = [p for p in ACTIVITY_FILES if p.parent.name == "road"]
TRAIL = [
    p
    for p in ACTIVITY_FILES
    if p.parent.name == "trail_hill" and "fr35" not in p.name  # "run, Boulder": not said
]


@pytest.mark.parametrize("path", ROAD + TRAIL, ids=[p.name for p in ROAD + TRAIL])
def test_surface_inferred_from_the_data(path: Path) -> None:
    g = surface_guess(load_summary(path), load_track(path))
    assert g.source == "inferred"
    assert g.surface is (Surface.ROAD if path in ROAD else Surface.TRAIL)
    assert 0.3 <= g.confidence <= 0.7
    assert g.reason.rule == "trailmix default"


def test_a_track_without_times() -> None:
    lat = np.linspace(47.0, 47.01, 50)
    track = Track("drawn", "gpx", lat, np.full(50, 8.0))
    s = summarise(track)
    assert s.start is None and s.moving_s is None and s.avg_pace_s_per_km is None
    assert s.distance_m == pytest.approx(1112, rel=0.01)
    assert s.fingerprint.start_s is None


def test_a_standing_watch_is_a_stop() -> None:
    """10 min running at 3 m/s, 2 min standing with 3 m of GPS wander, 10 min running."""
    rng = np.random.default_rng(1)
    t0 = datetime(2027, 3, 3, 7, tzinfo=UTC).timestamp()
    speed = np.r_[np.full(600, 3.0), np.zeros(120), np.full(600, 3.0)]
    north = np.cumsum(speed) + np.r_[np.zeros(600), rng.normal(0, 3, 120), np.zeros(600)]
    lat = 47.0 + north / 111_195.0
    track = Track(
        "t", "fit", lat, np.full(len(lat), 8.0), time_s=t0 + np.arange(len(lat), dtype=float)
    )
    s = summarise(track)
    # the +-15 s smoothing blurs each edge of the stop by a few seconds
    assert s.moving_s == pytest.approx(1200, abs=20)
    assert len(s.stops) == 1 and s.stops[0].duration_s == pytest.approx(120, abs=20)
