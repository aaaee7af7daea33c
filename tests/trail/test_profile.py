"""The profile: distance against gpxpy, gain against documented references, and properties."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import gpxpy
import gpxpy.gpx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.domain.trail.profile import (
    ProfileError,
    build_profile,
    gain_loss,
    remove_spikes,
    smooth,
)
from trailmix.formats.gpx import track_to_gpx
from trailmix.formats.readers import read_track
from trailmix.formats.track import Track

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
ALL_FILES = sorted(p for p in ACTIVITIES.glob("*/*") if p.is_file())
M_PER_DEG = 6_371_008.8 * np.pi / 180

# Smoothed-gain references (m) and how each was obtained; docs/trails.md has the same table.
#  "issue": the figure the issue and data/README.md give for the Fenix 2 run after smoothing.
#  "device": the total_ascent the watch wrote into the FIT file's session message.
#  "gpxpy": gpxpy 1.6.2 get_uphill_downhill() on the same points (the GPX file parsed by gpxpy
#           itself; FIT/TCX points copied into an in-memory gpxpy GPX). No DEM tile covers any
#           shared activity, so an independent implementation is the check left.
GAIN_REFERENCES: dict[str, tuple[float, str]] = {
    "fenix2_stavanger_run.fit": (114.0, "issue"),
    "fr645m_heidelberg_hill_run.fit": (234.0, "device"),
    "black_forest_multiday_hike.gpx": (3005.2, "gpxpy"),
    "gpxpy_korita_zbevnica_hike.gpx": (703.8, "gpxpy"),
    "applewatch_healthfit_run.gpx.gz": (30.4, "gpxpy"),
    "fr410_rolling_road_run.tcx": (133.0, "gpxpy"),
    "stryd_lisbon_run_power.fit": (82.6, "gpxpy"),
    "polar_m400_vosges_run.tcx": (80.5, "gpxpy"),
    "recife_2020-12-02T06_08_29-300_Running.tcx": (17.4, "gpxpy"),
    "recife_2020-12-04T19_09_21-300_Running.tcx": (10.7, "gpxpy"),
    "recife_2020-12-06T06_36_21-300_Running.tcx": (17.1, "gpxpy"),
    "recife_2020-12-08T06_36_12-300_Running.tcx": (5.7, "gpxpy"),
    "recife_2020-12-13T07_25_55-300_Running.tcx": (22.4, "gpxpy"),
    "recife_2020-12-16T05_44_18-300_Running.tcx": (7.8, "gpxpy"),
    "recife_2020-12-20T05_50_47-300_Running.tcx": (29.5, "gpxpy"),
    "recife_2020-12-26T06_03_49-300_Running.tcx": (3.8, "gpxpy"),
}


@cache
def _track(path: Path) -> Track:
    return read_track(path)


def _gpxpy_doc(path: Path, track: Track) -> gpxpy.gpx.GPX:
    """gpxpy's own view: the GPX file parsed by gpxpy, or the points copied into gpxpy."""
    if track.source_format == "gpx":
        data = path.read_bytes()
        return gpxpy.parse((gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode())
    return track_to_gpx(track)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_distance_within_1_percent_of_gpxpy(path: Path) -> None:
    track = _track(path)
    reference = _gpxpy_doc(path, track).length_2d()
    assert build_profile(track).length_km * 1000 == pytest.approx(reference, rel=0.01)


def test_every_file_with_altitude_has_a_gain_reference() -> None:
    with_altitude = {p.name for p in ALL_FILES if _track(p).has_elevation}
    assert with_altitude == set(GAIN_REFERENCES)


@pytest.mark.parametrize("name", sorted(GAIN_REFERENCES))
def test_smoothed_gain_within_15_percent_of_reference(name: str) -> None:
    path = next(p for p in ALL_FILES if p.name == name)
    reference, _how = GAIN_REFERENCES[name]
    profile = build_profile(_track(path))
    assert profile.elevation_source == "file"
    assert profile.gain_m == pytest.approx(reference, rel=0.15)


def test_fenix2_noise_and_spike_are_smoothed_away() -> None:
    profile = build_profile(_track(ACTIVITIES / "road" / "fenix2_stavanger_run.fit"))
    assert profile.raw_gain_m == pytest.approx(257.0, abs=0.5)
    assert profile.gain_m is not None and 97 <= profile.gain_m <= 131
    assert any("spike" in n for n in profile.notes)


def test_barometric_offset_does_not_change_gain() -> None:
    # the FR645M's barometer was uncalibrated: about 110 m low
    track = _track(ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit")
    lifted = Track(
        track.name,
        track.source_format,
        track.lat,
        track.lon,
        track.elevation + 110.0,
        track.time_s,
        track.heart_rate,
        track.segment,
    )
    a, b = build_profile(track), build_profile(lifted)
    assert a.gain_m == pytest.approx(b.gain_m, abs=1e-6)
    assert a.loss_m == pytest.approx(b.loss_m, abs=1e-6)


def test_grade_distribution_and_sustained_grades_on_real_hill() -> None:
    profile = build_profile(_track(ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit"))
    assert sum(b.share for b in profile.grade_bins) == pytest.approx(1.0)
    assert len(profile.grade_bins) == 8
    assert profile.max_sustained_grade_200m is not None
    assert profile.max_sustained_grade_50m is not None
    assert 0.10 < profile.max_sustained_grade_200m <= profile.max_sustained_grade_50m


# --------------------------------------------------------------------------- synthetic


def _line(elevations: list[float], step_m: float = 5.0, **extra: object) -> Track:
    """A straight route due north, one point every `step_m`, with these elevations."""
    n = len(elevations)
    lat = 46.0 + np.arange(n) * step_m / M_PER_DEG
    return Track(
        "line",
        "gpx",
        lat,
        np.full(n, 7.0),
        np.asarray(elevations, dtype=np.float64),
        **extra,  # type: ignore[arg-type]
    )


def test_ramp_gain_and_grade() -> None:
    # 500 m flat, 1000 m at 5 %, 500 m flat
    d = np.arange(0, 2000.1, 5.0)
    e = np.clip((d - 500) * 0.05, 0, 50) + 300
    profile = build_profile(_line(e.tolist()))
    assert profile.length_km == pytest.approx(2.0, rel=1e-3)
    assert profile.gain_m == pytest.approx(50.0, abs=0.5)
    assert profile.loss_m == pytest.approx(0.0, abs=0.5)
    assert profile.max_sustained_grade_200m == pytest.approx(0.05, abs=0.002)
    assert profile.max_sustained_grade_50m == pytest.approx(0.05, abs=0.002)
    assert profile.max_sustained_descent_200m == pytest.approx(0.0, abs=1e-6)
    assert profile.distance_m[1] - profile.distance_m[0] == 10.0


def test_spike_is_removed() -> None:
    e = [100.0] * 400
    e[200:203] = [190.0, 190.0, 190.0]  # a 15 m wide, 90 m high spike
    profile = build_profile(_line(e))
    assert profile.gain_m == pytest.approx(0.0, abs=0.5)
    cleaned, n = remove_spikes(np.array([0.0, 0.0, 0.0, 50.0, 0.0, 0.0, 0.0]))
    assert n == 1 and cleaned.tolist() == [0.0] * 7


def test_missing_elevation_gaps_are_filled_but_mostly_missing_is_none() -> None:
    e = np.linspace(100, 150, 400)
    e[100:120] = np.nan  # 5 % missing: interpolated
    assert build_profile(_line(e.tolist())).gain_m == pytest.approx(50.0, abs=1.0)
    e[:300] = np.nan  # 75 % missing: unusable
    profile = build_profile(_line(e.tolist()))
    assert profile.elevation_source == "none" and profile.gain_m is None
    assert "only 25%" in profile.notes[0]


def test_placeholder_and_absurd_altitude_count_as_none() -> None:
    zeros = build_profile(_line([0.0] * 100))
    assert zeros.elevation_source == "none" and "placeholder" in zeros.notes[0]
    absurd = build_profile(_line([-9999.0] * 100))
    assert absurd.elevation_source == "none" and "outside" in absurd.notes[0]
    none = build_profile(_line([np.nan] * 100))
    assert none.notes[0].startswith("no elevation: the file has no elevation")
    assert none.grade_bins == () and none.max_sustained_grade_50m is None


def test_segment_breaks_add_no_distance_and_no_gain() -> None:
    e = [100.0] * 50 + [400.0] * 50  # the second day starts 300 m higher (barometer reset)
    seg = np.array([0] * 50 + [1] * 50)
    track = _line(e, segment=seg)
    lat = track.lat.copy()
    lat[50:] += 0.05  # and 5.5 km further north
    track = Track("days", "gpx", lat, track.lon, track.elevation, segment=seg)
    profile = build_profile(track)
    assert profile.length_km == pytest.approx(2 * 49 * 5 / 1000, rel=1e-3)
    assert profile.gain_m == pytest.approx(0.0, abs=1e-6)


def test_domain_errors_name_the_problem() -> None:
    with pytest.raises(ProfileError, match="at least 2"):
        build_profile(_line([1.0]))
    with pytest.raises(ProfileError, match="no length"):
        build_profile(Track("x", "gpx", np.full(3, 46.0), np.full(3, 7.0)))
    jump = _line([1.0] * 6)
    lat = jump.lat.copy()
    lat[3:] += 4.5
    with pytest.raises(ProfileError, match=r"jumps 500\.\d km between point 3 and point 4"):
        build_profile(Track("x", "gpx", lat, jump.lon))
    times = np.array([0.0, 10, 20, 5000, 40, 50])
    with pytest.raises(ProfileError, match="timestamps out of order: point 5"):
        build_profile(_line([1.0] * 6, time_s=times))


# elevations to the centimetre, as files record them (no 1e-200 m differences)
elevations = st.lists(
    st.floats(min_value=-400, max_value=8800, allow_nan=False).map(lambda v: round(v, 2)),
    min_size=2,
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(elevations, st.floats(min_value=2.0, max_value=40.0))
def test_gain_properties(values: list[float], step_m: float) -> None:
    profile = build_profile(_line(values, step_m=step_m))
    if profile.gain_m is None:  # a constant profile is read as a placeholder
        assert len(set(values)) == 1
        return
    assert profile.gain_m >= 0 and profile.loss_m is not None and profile.loss_m >= 0
    e = profile.elevation_m
    assert profile.gain_m - profile.loss_m == pytest.approx(e[-1] - e[0], abs=1e-6)
    assert profile.gain_m <= (profile.raw_gain_m or 0) + 1e-6 or profile.notes


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=-1000, max_value=1000, allow_nan=False), min_size=2, max_size=200),
    st.floats(min_value=0.0, max_value=60.0),
)
def test_smoothing_never_increases_gain(values: list[float], sigma_m: float) -> None:
    e = np.asarray(values)
    seg = np.zeros(len(e), dtype=np.int64)
    before, _ = gain_loss(e, seg)
    after, _ = gain_loss(smooth(e, sigma_m, 10.0), seg)
    assert after <= before + 1e-6


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.floats(min_value=-40, max_value=8000, allow_nan=False).map(lambda v: round(v, 2)),
        min_size=2,
        max_size=120,
    ),
    st.floats(min_value=-400, max_value=400).map(lambda v: round(v, 2)),
)
def test_offset_never_changes_gain(values: list[float], offset: float) -> None:
    a = build_profile(_line(values))
    b = build_profile(_line([v + offset for v in values]))
    assert (a.gain_m is None) == (b.gain_m is None)
    assert a.gain_m == pytest.approx(b.gain_m, abs=1e-6)
