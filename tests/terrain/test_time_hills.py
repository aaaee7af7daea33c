"""Hills in the time model: footing from evidence, altitude kinds, the fitted curve, the
personal hill terms and the range (docs/time-model.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.domain.osm.tags import Stretch, classify_way
from trailmix.domain.terrain.altitude import AltitudeKind, classify_altitude
from trailmix.domain.terrain.calibration import (
    PRIOR_CURVE,
    GradeCurve,
    SplitRun,
    Terrain,
    fit_curve,
    fit_range,
    split_errors,
)
from trailmix.domain.terrain.footing import footing_from_evidence, footing_of_ways
from trailmix.domain.terrain.moving import timed_profile
from trailmix.domain.terrain.personal import MIN_CLIMB_M, fit_personal
from trailmix.domain.terrain.population import GRADE_CURVE, POPULATION, Route, predict
from trailmix.domain.trail.model import TrailCategory
from trailmix.formats.track import Track

# ----------------------------------------------------------------------------- footing


@pytest.mark.parametrize(
    ("kwargs", "factor"),
    [
        ({}, None),
        ({"surface": "asphalt"}, 1.0),
        ({"surface": "gravel"}, 1.02),
        ({"surface": "wood chips"}, 1.02),
        ({"surface": "dirt"}, 1.08),
        ({"tags": ["roots"]}, 1.20),
        ({"tags": ["sac_scale=hiking"]}, 1.08),
        ({"tags": ["sac_scale=demanding_mountain_hiking"]}, 1.20),
        ({"tags": ["tracktype=grade2"]}, 1.02),
        ({"osm_tags": {"surface": "ground", "smoothness": "bad"}}, 1.08),
        ({"osm_tags": {"smoothness": "very_horrible"}}, 1.20),
        ({"confirmed_category": TrailCategory.SMOOTH}, 1.02),
        # hilly says how a trail climbs, not what its ground is
        ({"confirmed_category": TrailCategory.HILLY}, None),
        # the roughest evidence wins
        ({"surface": "paved", "tags": ["rocky"]}, 1.20),
        # a word trailmix does not know is no evidence
        ({"surface": "lovely"}, None),
    ],
)
def test_footing_from_evidence(kwargs: dict[str, object], factor: float | None) -> None:
    f = footing_from_evidence(**kwargs)  # type: ignore[arg-type]
    assert (f.factor if f else None) == factor
    if f is not None:
        assert f.evidence and f.note


def test_footing_of_osm_ways_is_length_weighted() -> None:
    paved = classify_way({"highway": "footway", "surface": "asphalt"})
    rocky = classify_way({"highway": "path", "sac_scale": "mountain_hiking"})
    f = footing_of_ways([Stretch(750.0, paved), Stretch(250.0, rocky)])
    assert f is not None and f.factor == pytest.approx(0.75 * 1.0 + 0.25 * 1.20)
    assert footing_of_ways([]) is None


# ----------------------------------------------------------------------------- altitude


def _track(elevation: np.ndarray, step_m: float = 3.0, speed_ms: float = 3.0) -> Track:
    n = len(elevation)
    lat = 45.0 + np.arange(n) * step_m / 111_195.0
    return Track(
        "t",
        "gpx",
        lat,
        np.full(n, 7.0),
        np.asarray(elevation, np.float64),
        1.6e9 + np.arange(n) * step_m / speed_ms,
    )


def test_gps_noise_is_told_from_a_barometer() -> None:
    rng = np.random.default_rng(1)
    ground = 100 + 20 * np.sin(np.arange(1500) * 3.0 / 400.0)
    baro = classify_altitude(_track(ground + rng.normal(0, 0.1, 1500)), "file")
    gps = classify_altitude(_track(ground + rng.normal(0, 3.0, 1500)), "file")
    assert baro.kind is AltitudeKind.BAROMETRIC and baro.grade_window_m == 50.0
    assert gps.kind is AltitudeKind.GPS and gps.grade_window_m == 150.0
    assert gps.note is not None and "GPS-only" in gps.note
    assert classify_altitude(None, "dem").kind is AltitudeKind.DEM
    assert classify_altitude(None, "file").kind is AltitudeKind.UNKNOWN


# ----------------------------------------------------------------------------- the curve

curves = st.builds(
    GradeCurve,
    st.floats(0.0, 8.0),
    st.floats(0.0, 3.0),
    st.floats(0.0, 5.0),
)


@settings(max_examples=30, deadline=None)
@given(curves, st.lists(st.floats(-0.6, 0.6), min_size=1, max_size=30))
def test_terrain_integrals_equal_the_curve(curve: GradeCurve, grades: list[float]) -> None:
    g = np.asarray(grades)
    d = np.full(len(g), 10.0)
    assert Terrain.of(d, g).flat_m(curve) == pytest.approx(float(np.sum(d * curve.cost(g))))


def test_shipped_curve_holds_on_hills() -> None:
    c = GRADE_CURVE
    up = c.cost(np.asarray([0.0, 0.05, 0.10, 0.20]))
    assert np.all(np.diff(up) > 0) and up[0] == 1.0  # climbing always costs
    # a descent helps a little, a steep one is braked: -25 % is slower than -9 %
    assert float(c.cost(np.asarray([-0.09]))[0]) < 1.0 < float(c.cost(np.asarray([-0.30]))[0])


def _synthetic_runs(truth: GradeCurve, n: int, seed: int) -> list[SplitRun]:
    rng = np.random.default_rng(seed)
    runs = []
    for i in range(n):
        halves = []
        for _ in range(2):
            g = rng.normal(rng.uniform(-0.1, 0.1), 0.08, 300)
            halves.append(Terrain.of(np.full(300, 10.0), g))
        v = rng.uniform(2.0, 3.5)
        secs = [h.flat_m(truth) / v for h in halves]
        runs.append(SplitRun(f"r{i}", halves[0], halves[1], secs[0], secs[1]))
    return runs


def test_fit_recovers_a_known_curve_and_keeps_the_prior_without_data() -> None:
    truth = GradeCurve(up=2.5, credit=0.8, brake=3.0)
    fitted = fit_curve(_synthetic_runs(truth, 12, 3), ridge=1e-6)
    assert fitted.as_tuple() == pytest.approx(truth.as_tuple(), abs=0.05)
    assert all(abs(e) < 1e-3 for r in _synthetic_runs(truth, 3, 4) for e in split_errors(r, fitted))
    assert fit_curve([], ridge=0.03) == PRIOR_CURVE


def test_range_quantile_covers_about_80_percent() -> None:
    rng = np.random.default_rng(5)
    relief = rng.uniform(0, 100, 400)
    err = np.abs(rng.normal(0, 0.03 + 0.001 * relief))
    model = fit_range(err.tolist(), relief.tolist())
    inside = err <= np.asarray([model.half_width(r) for r in relief])
    assert 0.75 <= float(inside.mean()) <= 0.85
    assert model.per_relief > 0


@settings(max_examples=20, deadline=None)
@given(st.floats(0.0, 0.15), st.floats(0.0, 0.15))
def test_hillier_routes_get_wider_ranges(g1: float, g2: float) -> None:
    lo, hi = sorted((g1, g2))

    def width(g: float) -> float:
        grade = np.tile([g, -g], 50)
        p = predict(Route(np.full(100, 10.0), grade, np.arange(100) * 10.0), 3, 3.0)
        return math.log(p.high / p.low)

    assert width(hi) >= width(lo) - 1e-12


# ----------------------------------------------------------------------------- personal


def _hilly_run(uphill_factor: float, seed: int) -> Track:
    """A 6 km run over 200 m hills (8 %), 3 m/s on the flat, `uphill_factor` x the population
    time on every climb (a runner who climbs slower or faster than the population)."""
    rng = np.random.default_rng(seed)
    d = np.arange(0, 6000, 3.0)
    phase = (d % 500) / 500
    ele = 100 + np.where(phase < 0.5, phase * 40, (1 - phase) * 40) + rng.normal(0, 0.05, len(d))
    grade = np.gradient(ele, d)
    cost = GRADE_CURVE.cost(grade) * np.where(grade > 0.01, uphill_factor, 1.0)
    t = np.concatenate([[0.0], np.cumsum(np.diff(d) * cost[1:] / 3.0)])
    lat = 45.0 + d / 111_195.0
    return Track("h", "gpx", lat, np.full(len(d), 7.0), ele, 1.6e9 + t)


def test_personal_hill_terms_move_only_with_enough_climbing() -> None:
    runs = [timed_profile(_hilly_run(1.25, s)) for s in range(3)]
    model = fit_personal(runs)
    assert model.climb_m >= MIN_CLIMB_M
    assert model.b_up > 0.3  # slower climber than the population: the term moved up
    assert any("climbing learned" in n and "moved +" in n for n in model.notes)
    one = fit_personal(runs[:1])
    assert one.climb_m < MIN_CLIMB_M and one.b_up == 0.0
    assert any("climbing not learned" in n for n in one.notes)
    assert fit_personal([]).b_up == 0.0
    assert POPULATION.curve == GRADE_CURVE
