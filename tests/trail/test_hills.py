"""Climb detection on synthetic profiles and on the Heidelberg hill run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trailmix.domain.trail.hills import find_hills, is_climb
from trailmix.domain.trail.profile import build_profile
from trailmix.formats.readers import read_track
from trailmix.formats.track import Track

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
M_PER_DEG = 6_371_008.8 * np.pi / 180


def _route(*legs: tuple[float, float]) -> Track:
    """A straight route north made of (length_m, grade) legs, a point every 5 m."""
    d, e = [0.0], [200.0]
    for length, grade in legs:
        for _ in range(round(length / 5)):
            d.append(d[-1] + 5)
            e.append(e[-1] + 5 * grade)
    n = len(d)
    return Track("route", "gpx", 46.0 + np.asarray(d) / M_PER_DEG, np.full(n, 7.0), np.asarray(e))


def test_one_clean_hill() -> None:
    hills = find_hills(build_profile(_route((500, 0), (300, 0.06), (500, 0))))
    assert len(hills) == 1
    (h,) = hills
    assert h.start_km == pytest.approx(0.5, abs=0.02)
    assert h.length_m == pytest.approx(300, abs=20)
    assert h.gain_m == pytest.approx(18, abs=0.5)
    assert h.avg_grade == pytest.approx(0.06, abs=0.005)
    assert h.max_grade == pytest.approx(0.06, abs=0.005)
    assert h.suits_repeats and h.suits_sprints


def test_short_dip_merges_long_descent_splits() -> None:
    merged = find_hills(
        build_profile(_route((300, 0), (200, 0.06), (50, -0.04), (200, 0.06), (300, 0)))
    )
    assert len(merged) == 1 and merged[0].gain_m == pytest.approx(24 - 2, abs=1)
    split = find_hills(
        build_profile(_route((300, 0), (300, 0.06), (400, -0.04), (300, 0.06), (300, 0)))
    )
    assert len(split) == 2
    assert split[1].start_km == pytest.approx(1.0, abs=0.03)


def test_flat_landing_longer_than_100_m_splits() -> None:
    hills = find_hills(
        build_profile(_route((300, 0), (300, 0.06), (300, 0), (300, 0.06), (300, 0)))
    )
    assert len(hills) == 2


def test_small_bump_is_not_a_hill_but_a_short_steep_one_is() -> None:
    assert find_hills(build_profile(_route((300, 0), (100, 0.03), (300, 0)))) == ()
    (sprint,) = find_hills(build_profile(_route((300, 0), (60, 0.08), (300, 0))))
    assert sprint.suits_sprints and not sprint.suits_repeats  # 60 m: too short for repeats
    assert is_climb(200, 6) and is_climb(10, 15) and not is_climb(150, 4) and not is_climb(0, 0)


def test_very_steep_hill_suits_neither() -> None:
    (steep,) = find_hills(build_profile(_route((300, 0), (300, 0.2), (300, 0))))
    assert steep.avg_grade == pytest.approx(0.2, abs=0.02)  # smoothing rounds the corners
    assert not steep.suits_repeats and not steep.suits_sprints


def test_no_elevation_no_hills() -> None:
    track = _route((300, 0), (300, 0.06))
    flat = Track("x", "gpx", track.lat, track.lon)
    assert find_hills(build_profile(flat)) == ()


def test_descents_are_not_climbs() -> None:
    assert find_hills(build_profile(_route((300, 0), (500, -0.08), (300, 0)))) == ()


def test_heidelberg_hill_run_hills() -> None:
    profile = build_profile(
        read_track(ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit")
    )
    hills = find_hills(profile)
    # the run climbs about 210 m in the first 2 km (foot at the start), then comes back down
    assert len(hills) >= 1
    main = max(hills, key=lambda h: h.gain_m)
    assert main.start_km < 0.2
    assert main.gain_m == pytest.approx(209, abs=15)
    assert 1800 < main.length_m < 2300
    assert main.max_grade > 0.2  # a very steep stretch on the way up
    assert main.suits_repeats and main.suits_sprints
    for h in hills:
        assert h.gain_m > 0 and h.length_m > 0 and h.max_grade >= h.avg_grade


def test_fenix_hill() -> None:
    profile = build_profile(read_track(ACTIVITIES / "road" / "fenix2_stavanger_run.fit"))
    hills = find_hills(profile)
    assert [round(h.start_km, 1) for h in hills] == [7.9]
    assert hills[0].suits_repeats
