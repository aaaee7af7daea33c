"""The time models: reference models pinned to science.md, properties of trailmix's models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.domain.plan.vdot import training_paces
from trailmix.domain.terrain import reference as tm
from trailmix.domain.terrain.footing import footing_from_evidence
from trailmix.domain.terrain.personal import PersonalModel, fit_personal
from trailmix.domain.terrain.population import (
    POPULATION,
    Route,
    best_fill,
    distance_for_minutes,
    flat_speed_for_effort,
    population_cost,
    predict,
)
from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.errors import InputError


def test_minetti_published_numbers() -> None:
    assert float(tm.minetti_cost(np.asarray([0.10]))[0]) == pytest.approx(1.66, abs=0.01)
    assert float(tm.minetti_cost(np.asarray([0.20]))[0]) == pytest.approx(2.50, abs=0.01)
    assert float(tm.minetti_cost(np.asarray([-0.10]))[0]) == pytest.approx(0.60, abs=0.01)
    grid = np.linspace(-0.45, 0.45, 9001)
    cost = tm.minetti_run_cost(grid)
    assert float(grid[np.argmin(cost)]) == pytest.approx(-0.18, abs=0.01)
    assert float(cost.min()) == pytest.approx(1.78, abs=0.01)
    assert float(tm.minetti_walk_cost(0.0)) == pytest.approx(2.5)


def test_naismith_tobler_itra_published_numbers() -> None:
    assert tm.naismith_hours(10.0, 600.0) == pytest.approx(3.0)
    assert float(tm.tobler_kmh(0.0)) == pytest.approx(5.04, abs=0.005)
    assert float(tm.tobler_kmh(-0.05)) == pytest.approx(6.0)
    assert tm.itra_km_effort(65.0, 3500.0) == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("pct", "factor"),
    [(-45, 2.096), (-20, 1.081), (-10, 0.876), (-2, 0.96), (0, 1.0), (10, 1.459), (30, 3.158)],
)
def test_gap_table(pct: int, factor: float) -> None:
    assert float(tm.gap_factor(pct / 100)) == pytest.approx(factor)


def test_reference_costs_agree_with_their_formulas() -> None:
    # Naismith on a steady 6 % climb: 10 km + 600 m = 3 h at 5 km/h.
    steps, grade = np.full(1000, 10.0), np.full(1000, 0.06)
    s = tm.route_seconds(tm.naismith_cost, steps, grade, 5 / 3.6)
    assert s / 3600 == pytest.approx(3.0)
    # ITRA: 10 km + 600 m = 16 km-effort.
    assert tm.equivalent_flat_m(tm.itra_cost, steps, grade) == pytest.approx(16_000)


def _route(grades: list[float], category: TrailCategory | None = None) -> Route:
    g = np.repeat(np.asarray(grades, np.float64), 10)
    steps = np.full(len(g), 10.0)
    return Route(steps, g, np.arange(len(g)) * 10.0, category=category)


grades = st.lists(st.floats(min_value=-0.5, max_value=0.5), min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(grades, st.floats(min_value=1.0, max_value=6.0), st.floats(min_value=1.01, max_value=2.0))
def test_faster_flat_speed_means_less_time(gs: list[float], v: float, k: float) -> None:
    r = _route(gs)
    assert predict(r, 5, v * k).minutes < predict(r, 5, v).minutes


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=0.0, max_value=0.6), st.floats(min_value=0.5, max_value=7.0))
def test_uphill_never_faster_than_flat(g: float, v: float) -> None:
    assert float(population_cost(np.asarray([g]), v)[0]) >= 1.0


def test_steep_descents_are_braked() -> None:
    g = np.linspace(-0.45, 0.0, 451)
    cost = population_cost(g, 3.0)
    # fastest at the brake point (-9 %), never below the GAP table's fastest by much, and
    # slower again the steeper it gets: -30 % costs more than the flat
    assert float(g[np.argmin(cost)]) == pytest.approx(-0.09, abs=0.002)
    assert float(cost.min()) > 0.85
    assert np.all(np.diff(cost[g <= -0.09]) <= 1e-12)
    assert float(population_cost(np.asarray([-0.30]), 3.0)[0]) > 1.0


@settings(max_examples=30, deadline=None)
@given(grades, st.floats(min_value=1.0, max_value=6.0))
def test_personal_with_no_runs_is_population(gs: list[float], v: float) -> None:
    personal = fit_personal([])
    r = _route(gs, TrailCategory.DIRT)
    assert predict(r, 4, v, personal).minutes == pytest.approx(predict(r, 4, v).minutes)
    assert personal == PersonalModel(name="personal", notes=personal.notes)
    assert personal.b_up == personal.b_down == 0.0


def test_prediction_range_and_notes() -> None:
    # a category alone (the analysis's, from grades) is not evidence: no footing factor
    p = predict(_route([0.0] * 10, TrailCategory.TECHNICAL), 3, 3.0)
    assert p.low < p.minutes < p.high
    assert p.minutes == pytest.approx(1000 / 3.0 / 60)
    assert any("no surface evidence" in n for n in p.notes)
    rocky = Route(
        np.full(10, 100.0),
        np.zeros(10),
        np.arange(10) * 100.0,
        footing=footing_from_evidence(tags=["rocky"]),
    )
    assert predict(rocky, 3, 3.0).minutes == pytest.approx(1000 / 3.0 / 60 * 1.20)
    flat = Route(np.full(10, 10.0), np.full(10, np.nan), np.arange(10) * 10.0, has_elevation=False)
    assert any("no elevation" in n for n in predict(flat, 3, 3.0).notes)


@pytest.mark.parametrize("effort", [0, 11, -1, float("nan")])
def test_effort_outside_scale_is_refused(effort: float) -> None:
    with pytest.raises(InputError, match="1-10"):
        predict(_route([0.0]), effort, 3.0)


def test_no_pace_says_what_to_give() -> None:
    with pytest.raises(InputError, match="--flat-pace"):
        predict(_route([0.0]), 3, None)


def test_effort_from_paces_is_monotonic() -> None:
    paces = training_paces(45.0)
    speeds = [flat_speed_for_effort(paces, e) for e in range(1, 11)]
    assert speeds == sorted(speeds)
    e_mid = 2000.0 / sum(paces.easy)
    assert flat_speed_for_effort(paces, 3.5) == pytest.approx(e_mid)


def test_inverse_fills_the_minutes() -> None:
    r = _route([0.0] * 10)
    lap = predict(r, 3, 3.0).minutes
    fill = distance_for_minutes(r, 2.5 * lap, 3, 3.0)
    assert fill.laps == pytest.approx(2.5, abs=0.01)
    assert fill.distance_km == pytest.approx(2.5 * r.length_km, rel=0.01)
    hilly = _route([0.08, -0.08] * 5)
    whole = distance_for_minutes(hilly, 3 * predict(hilly, 3, 3.0).minutes, 3, 3.0)
    assert whole.laps == pytest.approx(3.0, abs=1e-6)
    short = _route([0.0] * 3)
    ranked = best_fill([short, r], lap, 3, 3.0)
    assert ranked[0].laps == pytest.approx(1.0)


def test_route_from_trail_summary() -> None:
    hill = Hill(start_km=1.0, length_m=500.0, gain_m=30.0, avg_grade=0.06, max_grade=0.08)
    trail = Trail(1, "t", TrailCategory.HILLY, 5.0, gain_m=80.0, loss_m=80.0, hills=(hill,))
    r = Route.from_trail(trail)
    assert r.length_km == pytest.approx(5.0)
    climb = float(np.sum(r.step_m * np.maximum(r.grade, 0)))
    assert climb == pytest.approx(80.0, rel=1e-6)
    p = predict(r, 3, 3.0)
    assert len(p.per_hill) == 1 and p.per_hill[0].minutes > 500 / 3.0 / 60
    assert p.minutes > 5000 / 3.0 / 60
    assert POPULATION.name == "population"


def test_relief_within_altimeter_drift_is_predicted_flat() -> None:
    """A route climbing and descending 3 m per km (the Recife runs' altimeter drift) is timed
    as flat and says so; one with 20 m per km keeps its grades."""
    d = np.arange(0.0, 3010.0, 10.0)  # 3 km
    wave = np.sin(d / 500.0 * np.pi)  # 3 ups and 3 downs, 1 m amplitude
    drift = Route.from_grid(d, 0.75 * wave)  # about 3 m up and down per km
    assert drift.relief_unresolved
    assert np.all(drift.grade == 0.0)
    p = predict(drift, 3, 3.0)
    assert p.minutes == pytest.approx(3000.0 / 3.0 / 60.0)
    assert any("predicted as flat" in n for n in p.notes)
    hilly = Route.from_grid(d, 5.0 * wave)  # about 20 m up and down per km
    assert not hilly.relief_unresolved
    assert np.any(hilly.grade != 0.0)
    assert predict(hilly, 3, 3.0).minutes > p.minutes
    assert not any("predicted as flat" in n for n in predict(hilly, 3, 3.0).notes)
