"""Trail category and its reasons; analyse_track and to_trail."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trailmix.domain.trail.classify import analyse_track, classify
from trailmix.domain.trail.hills import find_hills
from trailmix.domain.trail.model import TrailCategory
from trailmix.domain.trail.profile import build_profile
from trailmix.formats.readers import read_track
from trailmix.formats.track import Track

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
M_PER_DEG = 6_371_008.8 * np.pi / 180


def _route(*legs: tuple[float, float]) -> Track:
    d, e = [0.0], [200.0]
    for length, grade in legs:
        for _ in range(round(length / 5)):
            d.append(d[-1] + 5)
            e.append(e[-1] + 5 * grade)
    n = len(d)
    return Track("route", "gpx", 46.0 + np.asarray(d) / M_PER_DEG, np.full(n, 7.0), np.asarray(e))


FLAT = _route((1500, 0.0), (1500, 0.005), (1500, -0.005))
STEEP = _route((300, 0), (400, 0.2), (1500, 0))
REPEAT_HILL = _route((1000, 0), (300, 0.06), (300, -0.06), (2000, 0))  # 5 m/km: flat + a hill
ROLLING_REPEAT_HILL = _route((400, 0), (300, 0.06), (300, -0.06), (600, 0.03), (600, -0.03))
HILLY = _route(*[(200, 0.12), (200, -0.12)] * 4)  # 60 m/km, too steep for repeats


def _classify(track: Track, surface: str | None = None, tags: set[str] | None = None):  # type: ignore[no-untyped-def]
    profile = build_profile(track)
    return classify(profile, find_hills(profile), surface, tags or set())


def test_declared_technical_wins_even_when_flat() -> None:
    category, reasons = _classify(FLAT, "gravel", {"Rocky", "roots"})
    assert category is TrailCategory.TECHNICAL
    assert reasons[-1].rule == "R9" and "rocky, roots" in reasons[-1].text
    assert "hike" in reasons[-1].text
    category, _ = _classify(FLAT, "scree")
    assert category is TrailCategory.TECHNICAL


def test_steep_numbers_make_it_technical_unless_declared_smooth() -> None:
    category, reasons = _classify(STEEP)
    assert category is TrailCategory.TECHNICAL
    assert reasons[0].rule == "R9" and "20 % over 200 m" in reasons[0].text
    category, reasons = _classify(STEEP, "asphalt")
    # Steep but paved: a smooth trail by its footing (R10: road trainers), its climb noted (R6).
    assert category is TrailCategory.SMOOTH
    assert {r.rule for r in reasons} == {"R6", "R10"}


def test_steep_descent_counts_too() -> None:
    category, reasons = _classify(_route((300, 0), (400, -0.2), (1500, 0)))
    assert category is TrailCategory.TECHNICAL and "drops" in reasons[0].text


def test_hilly_by_gain_per_km_or_by_a_repeat_hill() -> None:
    category, reasons = _classify(HILLY)
    assert category is TrailCategory.HILLY
    assert reasons[0].rule == "R6" and "m per km" in reasons[0].text
    category, reasons = _classify(ROLLING_REPEAT_HILL)
    assert category is TrailCategory.HILLY and "hill for repeats" in reasons[0].text


def test_one_climb_does_not_make_a_flat_route_hilly() -> None:
    category, reasons = _classify(REPEAT_HILL)
    assert category is TrailCategory.DIRT
    assert "still suits hill repeats" in reasons[0].text


def test_smooth_when_declared_and_flat() -> None:
    for surface in ("gravel", "Wood chips", "rail-trail", "paved"):
        category, reasons = _classify(FLAT, surface)
        assert category is TrailCategory.SMOOTH, surface
        assert reasons[-1].rule == "R10" and "road trainers" in reasons[-1].text


def test_dirt_by_default() -> None:
    category, reasons = _classify(FLAT)
    assert category is TrailCategory.DIRT
    assert [r.rule for r in reasons] == ["R6", "trailmix default"]
    category, reasons = _classify(FLAT, "dirt")
    assert category is TrailCategory.DIRT and [r.rule for r in reasons] == ["R6"]


def test_unknown_tags_are_reported() -> None:
    category, reasons = _classify(FLAT, None, {"sparkly"})
    assert category is TrailCategory.DIRT
    assert "sparkly" in reasons[0].text and reasons[0].rule == "trailmix default"


def test_no_elevation_is_dirt_with_a_plain_reason() -> None:
    track = Track("x", "gpx", FLAT.lat, FLAT.lon)
    category, reasons = _classify(track)
    assert category is TrailCategory.DIRT
    assert "No elevation" in reasons[0].text


def test_analyse_track_and_to_trail() -> None:
    analysis = analyse_track(REPEAT_HILL, name="Park loop", declared_surface="woodchips")
    assert analysis.category is TrailCategory.SMOOTH and analysis.hills
    trail = analysis.to_trail(7)
    assert trail.id == 7 and trail.name == "Park loop"
    assert trail.length_km == pytest.approx(3.6, abs=0.01)
    assert trail.gain_m == pytest.approx(18, abs=1) and trail.hills == analysis.hills
    technical = analyse_track(FLAT, name="Ridge", declared_technical={"rocky"}).to_trail(1)
    assert technical.needs_hike


def test_real_files() -> None:
    heidelberg = read_track(ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit")
    assert analyse_track(heidelberg, name="h").category is TrailCategory.TECHNICAL  # 23 % / 200 m
    recife = read_track(ACTIVITIES / "road" / "recife_2020-12-08T06_36_12-300_Running.tcx")
    assert analyse_track(recife, name="r", declared_surface="asphalt").category is (
        TrailCategory.SMOOTH
    )
    boulder = analyse_track(
        read_track(ACTIVITIES / "trail_hill" / "boulder_fr35_run_no_altitude.fit"), name="b"
    )
    assert boulder.category is TrailCategory.DIRT
    assert boulder.notes[0].startswith("no elevation")
    trail = boulder.to_trail(3)
    assert trail.gain_m == 0.0 and trail.hills == ()
