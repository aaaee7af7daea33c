"""VDOT and training paces against Daniels' published tables (Daniels' Running Formula)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailmix.domain.plan import vdot

# Race times from Daniels' VDOT table (Daniels' Running Formula, 3rd ed., table 5.1), seconds.
DANIELS_RACES = [
    (30, 5000, 30 * 60 + 40),
    (30, 10000, 63 * 60 + 46),
    (40, 5000, 24 * 60 + 8),
    (40, 10000, 50 * 60 + 3),
    (40, 21097.5, 1 * 3600 + 50 * 60 + 59),
    (40, 42195, 3 * 3600 + 49 * 60 + 45),
    (50, 5000, 19 * 60 + 57),
    (50, 10000, 41 * 60 + 21),
    (50, 21097.5, 1 * 3600 + 31 * 60 + 35),
    (50, 42195, 3 * 3600 + 10 * 60 + 49),
    (60, 5000, 17 * 60 + 3),
    (60, 10000, 35 * 60 + 22),
    (60, 21097.5, 1 * 3600 + 18 * 60 + 9),
    (60, 42195, 2 * 3600 + 43 * 60 + 25),
]

# Training paces per km from Daniels' table 5.2, seconds: (vdot, kind, pace).
DANIELS_PACES = [
    (40, "T", 5 * 60 + 6),
    (40, "I", 4 * 60 + 42),
    (40, "M", 5 * 60 + 29),
    (50, "T", 4 * 60 + 15),
    (50, "I", 3 * 60 + 55),
    (50, "M", 4 * 60 + 31),
    (50, "R", 3 * 60 + 40),  # 88 s per 400 m
]


def test_issue_example_10k_in_50_minutes_is_vdot_40() -> None:
    assert vdot.vdot_from_race(10000, 50 * 60) == pytest.approx(40.0, abs=0.05)
    paces = vdot.training_paces(40.0)
    t_mid = sum(paces.threshold) / 2
    assert t_mid == pytest.approx(5 * 60 + 5, abs=3)


@pytest.mark.parametrize(("v", "metres", "seconds"), DANIELS_RACES)
def test_race_times_match_daniels_table_within_1_percent(
    v: int, metres: float, seconds: int
) -> None:
    assert vdot.race_time(v, metres) == pytest.approx(seconds, rel=0.01)
    assert vdot.vdot_from_race(metres, seconds) == pytest.approx(v, rel=0.01)


@pytest.mark.parametrize(("v", "kind", "pace"), DANIELS_PACES)
def test_training_paces_match_daniels_table_within_1_percent(v: int, kind: str, pace: int) -> None:
    p = vdot.training_paces(v)
    rng = {"T": p.threshold, "I": p.interval, "M": p.marathon, "R": p.repetition}[kind]
    assert sum(rng) / 2 == pytest.approx(pace, rel=0.01)


@given(st.floats(min_value=vdot.MIN_VDOT, max_value=vdot.MAX_VDOT))
def test_paces_are_ordered_r_i_t_m_e(v: float) -> None:
    p = vdot.training_paces(v)
    mid = {k: sum(r) / 2 for k, r in vars(p).items() if k != "vdot"}
    assert mid["repetition"] < mid["interval"] < mid["threshold"] < mid["marathon"]
    assert mid["marathon"] < mid["easy"] < mid["recovery"]
    for rng in (p.easy, p.marathon, p.threshold, p.interval, p.repetition, p.recovery):
        assert rng[0] <= rng[1]  # (fast, slow)


@given(
    st.sampled_from([1500, 5000, 10000, 21097.5, 42195]),
    st.floats(min_value=25, max_value=80),
)
def test_race_time_inverts_vdot(metres: float, v: float) -> None:
    assert vdot.vdot_from_race(metres, vdot.race_time(v, metres)) == pytest.approx(v, abs=0.01)


@given(st.floats(min_value=25, max_value=80), st.floats(min_value=25, max_value=80))
def test_higher_vdot_is_faster(a: float, b: float) -> None:
    if b - a > 0.01:  # closer than that, race times differ by less than the bisection's tolerance
        assert vdot.race_time(a, 10000) > vdot.race_time(b, 10000)
        # paces are rounded to 0.1 s/km: VDOTs a hair apart may share one
        slower, faster = vdot.training_paces(a).threshold, vdot.training_paces(b).threshold
        assert sum(slower) >= sum(faster)
        if b - a > 0.2:
            assert sum(slower) > sum(faster)
