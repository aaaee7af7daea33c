"""Parsing what runners type, and effort / heart-rate targets."""

from __future__ import annotations

import pytest

from trailmix.domain.effort import heart_rate_model, tanaka_hr_max
from trailmix.domain.types import Athlete, Intensity
from trailmix.domain.units import (
    format_pace,
    parse_distance,
    parse_duration,
    parse_pace,
    parse_race_result,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("48:30", 2910), ("1:45:00", 6300), ("2:59:59.5", 10799.5), ("0:19:57", 1197)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["fast", "", "48", "48:75", "1:75:00", "-1:00", "0:00"])
def test_parse_duration_refuses_non_times(text: str) -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "km"),
    [("10k", 10), ("half", 21.0975), ("Marathon", 42.195), ("10mi", 16.09344), ("800m", 0.8)],
)
def test_parse_distance(text: str, km: float) -> None:
    assert parse_distance(text) == pytest.approx(km)


def test_parse_race_result_and_errors() -> None:
    rr = parse_race_result("10k=48:30")
    assert (rr.distance_km, rr.time_s) == (10, 2910)
    with pytest.raises(ValueError, match="DISTANCE=TIME"):
        parse_race_result("10k 48:30")
    with pytest.raises(ValueError, match="not a race distance"):
        parse_race_result("banana=48:30")


def test_parse_pace_km_and_mile() -> None:
    assert parse_pace("5:30") == 330
    assert parse_pace("8:51/mi") == pytest.approx(531 / 1.609344)
    assert format_pace(330.4) == "5:30"
    with pytest.raises(ValueError):
        parse_pace("-5:30")


def test_tanaka() -> None:
    assert tanaka_hr_max(40) == 180
    assert tanaka_hr_max(20) == 194


def test_karvonen_when_resting_hr_known() -> None:
    model = heart_rate_model(Athlete(hr_max=190, hr_rest=50))
    assert model is not None
    assert "Karvonen" in model.method
    lo, hi = model.range_for(Intensity.E) or (0, 0)
    assert (lo, hi) == (round(50 + 0.59 * 140), round(50 + 0.74 * 140))
    assert model.range_for(Intensity.R) is None  # HR lags short reps


def test_hrmax_percent_when_no_resting_hr_and_tanaka_from_age() -> None:
    model = heart_rate_model(Athlete(age=40))
    assert model is not None
    assert model.hr_max == 180
    assert "Tanaka" in model.method and "% of HRmax" in model.method
    assert model.range_for(Intensity.T) == (round(0.88 * 180), round(0.92 * 180))


def test_no_hr_model_without_hrmax_or_age() -> None:
    assert heart_rate_model(Athlete()) is None


def test_hr_ranges_rise_with_intensity() -> None:
    model = heart_rate_model(Athlete(hr_max=185, hr_rest=55))
    assert model is not None
    order = [Intensity.RECOVERY, Intensity.E, Intensity.M, Intensity.T, Intensity.I]
    lows = [(model.range_for(i) or (0, 0))[0] for i in order]
    assert lows == sorted(lows)
