"""Hypothesis strategies shared by the property tests: runners, races, trail libraries."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from trailmix.domain.plan import vdot
from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.domain.types import (
    Athlete,
    Race,
    RaceDistance,
    RaceResult,
    Sex,
    TrailPreference,
    TrailShoe,
    Weekday,
)

RECENT = [(5.0, "5k"), (10.0, "10k"), (21.0975, "half"), (42.195, "marathon")]


@st.composite
def athletes(draw: st.DrawFn) -> Athlete:
    km, label = draw(st.sampled_from(RECENT))
    v = draw(st.floats(min_value=30, max_value=70))
    time_s = vdot.race_time(v, km * 1000)
    days = draw(st.integers(min_value=3, max_value=7))
    long_day = draw(st.sampled_from(list(Weekday)))
    hr = draw(st.sampled_from(["none", "age", "karvonen"]))
    age = draw(st.integers(min_value=18, max_value=75))
    volume_km = draw(st.one_of(st.none(), st.floats(min_value=15, max_value=120)))
    volume_min = None if volume_km else draw(st.floats(min_value=120, max_value=600))
    return Athlete(
        name="prop",
        age=age if hr != "none" else None,
        sex=draw(st.sampled_from([None, Sex.FEMALE, Sex.MALE])),
        hr_max=190 if hr == "karvonen" else None,
        hr_rest=draw(st.integers(min_value=38, max_value=70)) if hr == "karvonen" else None,
        recent_race=RaceResult(km, time_s, label),
        weekly_km=volume_km,
        weekly_min=volume_min,
        days_per_week=days,
        long_run_day=long_day,
    )


@st.composite
def races(draw: st.DrawFn, start: date) -> Race:
    distance = draw(st.sampled_from(list(RaceDistance)))
    days = draw(st.integers(min_value=21, max_value=30 * 7))
    return Race(distance, start + timedelta(days=days))


starts = st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31))


def _hill(draw: st.DrawFn) -> Hill:
    grade = draw(st.floats(min_value=0.03, max_value=0.2))
    length = draw(st.floats(min_value=40, max_value=1500))
    return Hill(
        start_km=draw(st.floats(min_value=0.0, max_value=4.0)),
        length_m=length,
        gain_m=length * grade,
        avg_grade=grade,
        max_grade=grade * 1.4,
        suits_repeats=0.04 <= grade <= 0.10 and length >= 100,
        suits_sprints=0.06 <= grade <= 0.10,
    )


@st.composite
def trails_of(draw: st.DrawFn, category: TrailCategory, tid: int) -> Trail:
    hilly = category in (TrailCategory.HILLY, TrailCategory.TECHNICAL)
    hills = tuple(_hill(draw) for _ in range(draw(st.integers(1, 3)))) if hilly else ()
    return Trail(
        id=tid,
        name=f"{category.value} {tid}",
        category=category,
        length_km=draw(st.floats(min_value=1.0, max_value=15.0)),
        gain_m=draw(st.floats(min_value=0, max_value=80)) + sum(h.gain_m for h in hills),
        hills=hills,
        hiked=draw(st.booleans()) if category is TrailCategory.TECHNICAL else False,
    )


LIBRARY_KINDS = ["none", "flat", "hilly", "technical", "mixed"]


@st.composite
def libraries(draw: st.DrawFn) -> tuple[Trail, ...]:
    kind = draw(st.sampled_from(LIBRARY_KINDS))
    cats = {
        "none": [],
        "flat": [TrailCategory.DIRT, TrailCategory.SMOOTH],
        "hilly": [TrailCategory.HILLY],
        "technical": [TrailCategory.TECHNICAL],
        "mixed": list(TrailCategory),
    }[kind]
    if not cats:
        return ()
    n = draw(st.integers(min_value=1, max_value=4))
    return tuple(draw(trails_of(draw(st.sampled_from(cats)), i + 1)) for i in range(n))


preferences = st.sampled_from(list(TrailPreference))
shoes = st.sampled_from(list(TrailShoe))
caps = st.one_of(st.just(1 / 3), st.floats(min_value=0.1, max_value=1 / 3))
