"""Load numbers against hand-computed values from science.md section 3, and properties."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailmix.domain.log.load import (
    CAVEAT,
    MONOTONY_CAP,
    DayLoad,
    acwr,
    banister_trimp,
    banister_trimp_histogram,
    daily_loads,
    ewma,
    monotony,
    session_rpe_load,
    week_load,
    weekly_loads,
)
from trailmix.domain.types import Sex

MON = date(2027, 3, 1)  # a Monday


def test_session_rpe_example_from_science_md() -> None:
    assert session_rpe_load(6, 120) == 720  # "120 min at RPE 6 = 720 AU"
    with pytest.raises(ValueError):
        session_rpe_load(11, 30)


def test_banister_trimp_by_hand() -> None:
    # 30 min at 150 bpm, HRrest 50, HRmax 190: HRr = 100/140 = 0.714286
    # men:   30 x 0.714286 x 0.64 x e^(1.92 x 0.714286) = 30 x 0.714286 x 0.64 x 3.94098 = 54.05
    # women: 30 x 0.714286 x 0.86 x e^(1.67 x 0.714286) = 30 x 0.714286 x 0.86 x 3.29649 = 60.75
    hrr = 100 / 140
    men = 30 * hrr * 0.64 * math.exp(1.92 * hrr)
    women = 30 * hrr * 0.86 * math.exp(1.67 * hrr)
    assert men == pytest.approx(54.05, abs=0.01)
    assert women == pytest.approx(60.75, abs=0.01)
    per_second = banister_trimp([150.0] * 1800, [1.0] * 1800, hr_rest=50, hr_max=190, sex=Sex.MALE)
    per_minute = banister_trimp([150.0] * 30, [60.0] * 30, hr_rest=50, hr_max=190, sex=Sex.MALE)
    assert per_second == pytest.approx(men) and per_minute == pytest.approx(men)
    hist = banister_trimp_histogram([(150, 1800.0)], hr_rest=50, hr_max=190, sex=Sex.FEMALE)
    assert hist == pytest.approx(women)


# Foster: a week of loads, by hand.
WEEK = [300.0, 0.0, 450.0, 300.0, 0.0, 600.0, 450.0]
# total 2100; mean 300; deviations 0, -300, 150, 0, -300, 300, 150
# variance = (0 + 90000 + 22500 + 0 + 90000 + 90000 + 22500) / 7 = 315000 / 7 = 45000
# SD = 212.132; monotony = 300 / 212.132 = 1.4142; strain = 2100 x 1.4142 = 2969.8


def test_monotony_and_strain_by_hand() -> None:
    assert monotony(WEEK) == pytest.approx(1.4142, abs=1e-4)
    days = daily_loads(
        [(MON + timedelta(days=i), v) for i, v in enumerate(WEEK)], MON, MON + timedelta(days=6)
    )
    w = week_load(days, MON)
    assert w.load == 2100
    assert w.strain == pytest.approx(2969.8, abs=0.1)
    assert not w.monotony_high


def test_monotony_threshold_and_cap() -> None:
    same = [300.0] * 7
    assert monotony(same) == MONOTONY_CAP  # SD 0: Fellrnr caps at 10
    # six days of 300 and one of 200: mean 285.71, SD 34.99, monotony 8.17 > 2.0
    days = [DayLoad(MON + timedelta(days=i), v) for i, v in enumerate([300.0] * 6 + [200.0])]
    w = week_load(days, MON)
    assert w.monotony == pytest.approx(8.165, abs=0.001) and w.monotony_high
    assert monotony([0.0] * 7) == 0.0


def test_ewma_by_hand() -> None:
    # acute N = 7: lambda = 2/8 = 0.25; loads 400, 0, 800 from 0:
    # day 1: 0.25 x 400 = 100; day 2: 0.75 x 100 = 75; day 3: 0.25 x 800 + 0.75 x 75 = 256.25
    assert ewma([400, 0, 800], 7) == pytest.approx((100.0, 75.0, 256.25))
    # chronic N = 28: lambda = 2/29 = 0.068966
    # day 1: 27.586; day 2: 0.931034 x 27.586 = 25.684; day 3: 55.172 + 0.931034 x 25.684 = 79.085
    assert ewma([400, 0, 800], 28) == pytest.approx((27.586, 25.684, 79.085), abs=1e-3)
    days = [DayLoad(MON + timedelta(days=i), v) for i, v in enumerate([400.0, 0.0, 800.0])]
    points = acwr(days)
    assert points[2].ratio == pytest.approx(256.25 / 79.085, abs=1e-3)  # 3.240
    assert all(p.warming_up for p in points)
    assert "descriptive trend" in CAVEAT and "Lolli" in CAVEAT and "Impellizzeri" in CAVEAT


def test_weekly_loads_cover_every_week() -> None:
    days = daily_loads(
        [(MON + timedelta(days=2), 300.0), (MON + timedelta(days=9), 200.0)],
        MON,
        MON + timedelta(days=13),
    )
    weeks = weekly_loads(days)
    assert [w.start for w in weeks] == [MON, MON + timedelta(days=7)]
    assert [w.load for w in weeks] == [300.0, 200.0]


loads = st.lists(st.floats(0, 2000, allow_nan=False), min_size=1, max_size=60)


@given(st.floats(0, 10), st.floats(0, 300), st.floats(0, 300))
def test_session_load_non_negative_and_additive(rpe: float, a: float, b: float) -> None:
    assert session_rpe_load(rpe, a) >= 0
    assert session_rpe_load(rpe, a + b) == pytest.approx(
        session_rpe_load(rpe, a) + session_rpe_load(rpe, b)
    )


@given(st.lists(st.floats(30, 220), min_size=2, max_size=50), st.integers(1, 49))
def test_trimp_non_negative_and_additive(hr: list[float], cut: int) -> None:
    secs = [5.0] * len(hr)
    cut = min(cut, len(hr) - 1)
    whole = banister_trimp(hr, secs, hr_rest=50, hr_max=190)
    parts = banister_trimp(hr[:cut], secs[:cut], hr_rest=50, hr_max=190) + banister_trimp(
        hr[cut:], secs[cut:], hr_rest=50, hr_max=190
    )
    assert whole >= 0 and whole == pytest.approx(parts)


@given(st.lists(st.floats(0, 2000, allow_nan=False), min_size=7, max_size=7))
def test_monotony_non_negative(week: list[float]) -> None:
    assert 0 <= monotony(week) <= MONOTONY_CAP


@given(loads, st.sampled_from([7, 28]))
def test_ewma_bounded_by_the_loads(values: list[float], n: int) -> None:
    seed = values[0]
    for v in ewma(values, n, seed=seed):
        assert min(values) - 1e-9 <= v <= max(values) + 1e-9
