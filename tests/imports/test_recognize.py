"""Recognising sessions as plans really write them (domain.recognize)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailmix.domain.imports.words import MILE_KM, Confidence, Unit, recognize
from trailmix.domain.types import Intensity, Kind, RaceDistance

R, G, N = Confidence.RECOGNISED, Confidence.GUESSED, Confidence.NOT_UNDERSTOOD

CASES = [
    # text, kind, intensity, minutes, km, confidence
    ("Easy 40 min", Kind.EASY, Intensity.E, 40, None, R),
    ("Long run 18 km", Kind.LONG, Intensity.E, None, 18, R),
    ("LR 11mi", Kind.LONG, Intensity.E, None, 11 * MILE_KM, R),
    ("Recovery 30'", Kind.RECOVERY, Intensity.RECOVERY, 30, None, R),
    ("Rest", Kind.REST, Intensity.RECOVERY, None, None, R),
    ("Off", Kind.REST, Intensity.RECOVERY, None, None, R),
    ("Cross-train", Kind.REST, Intensity.RECOVERY, None, None, R),
    ("Yoga 45 min", Kind.REST, Intensity.RECOVERY, 45, None, R),
    ("Easy 1:15", Kind.EASY, Intensity.E, 75, None, R),
    ("Long 1h45", Kind.LONG, Intensity.E, 105, None, R),
    ("E 45'", Kind.EASY, Intensity.E, 45, None, R),
    ("10 km easy", Kind.EASY, Intensity.E, None, 10, R),
    ("Easy 40-45 min", Kind.EASY, Intensity.E, 42.5, None, R),
    ("shakeout 20 min", Kind.RECOVERY, Intensity.RECOVERY, 20, None, R),
    ("Steady 60 min", Kind.STEADY, Intensity.M, 60, None, R),
    ("Tempo run 45 min", Kind.TEMPO, Intensity.T, 45, None, R),
    ("Easy 5", Kind.EASY, Intensity.E, None, 5, G),
    ("5 miles", Kind.EASY, Intensity.E, None, 5 * MILE_KM, G),
    ("Easy run", Kind.EASY, Intensity.E, 40, None, G),
    ("Coach call", Kind.REST, Intensity.RECOVERY, None, None, N),
    ("", Kind.REST, Intensity.RECOVERY, None, None, N),
]


@pytest.mark.parametrize(("text", "kind", "intensity", "minutes", "km", "confidence"), CASES)
def test_sessions_as_plans_write_them(
    text: str,
    kind: Kind,
    intensity: Intensity,
    minutes: float | None,
    km: float | None,
    confidence: Confidence,
) -> None:
    r = recognize(text, RaceDistance.HALF)
    assert (r.kind, r.intensity, r.confidence) == (kind, intensity, confidence), r
    assert r.minutes == (pytest.approx(minutes) if minutes is not None else None)
    assert r.km == (pytest.approx(km, abs=0.01) if km is not None else None)
    if confidence is not N:
        assert r.words, "the words that decided it are kept"


def test_intervals_with_pace_and_jog_recovery() -> None:
    r = recognize("6 x 800m @ 5K pace w/ 400 jog", RaceDistance.HALF)
    assert r.kind is Kind.INTERVALS and r.confidence is R
    assert r.work is not None
    assert (r.work.reps, r.work.km, r.work.recover_km) == (6, 0.8, 0.4)
    assert r.work.intensity is Intensity.I and r.work.pace_label == "5K pace"
    assert not r.race_specific  # 5K pace is not a half marathon's race pace
    assert recognize("6 x 800m @ 5K pace w/ 400 jog", RaceDistance.K5).race_specific


def test_tempo_at_half_marathon_pace_is_race_specific_for_a_half() -> None:
    r = recognize("Tempo 5 km @ HMP", RaceDistance.HALF)
    assert r.kind is Kind.TEMPO and r.race_specific and r.work is not None
    assert r.work.km == 5.0 and r.work.reps == 1
    assert not recognize("Tempo 5 km @ HMP", RaceDistance.MARATHON).race_specific


def test_cruise_intervals_hills_fartlek_strides() -> None:
    t = recognize("2 x 20 min @ T")
    assert t.kind is Kind.TEMPO and t.work and (t.work.reps, t.work.minutes) == (2, 20.0)
    assert t.work.recover_minutes == 1.0  # Daniels: cruise intervals rest 1 min
    h = recognize("Hills 8 x 60 s")
    assert h.kind is Kind.HILL_REPEATS and h.work and (h.work.reps, h.work.minutes) == (8, 1.0)
    f = recognize("Fartlek 10 x 1 min")
    assert f.kind is Kind.FARTLEK and f.work and f.work.reps == 10
    s = recognize("Easy 8 km + 6 strides")
    assert s.kind is Kind.STRIDES and s.strides == 6 and s.km == 8.0


def test_warm_up_and_cool_down_in_miles() -> None:
    r = recognize("WU 2 mi, 4 x 1 mi @ T w/ 2 min jog, CD 2 mi")
    assert r.work and r.work.reps == 4 and r.work.km == pytest.approx(MILE_KM)
    assert r.warmup_km == pytest.approx(2 * MILE_KM) and r.cooldown_km == pytest.approx(2 * MILE_KM)
    assert r.work.recover_minutes == 2.0


def test_races_goal_and_tune_up() -> None:
    goal = recognize("Race day", RaceDistance.HALF)
    assert goal.kind is Kind.RACE and goal.race and not goal.tune_up and goal.race_specific
    named = recognize("Race: Berlin Marathon")
    assert named.race_distance is RaceDistance.MARATHON
    tune = recognize("Parkrun 5K", RaceDistance.HALF)
    assert tune.race and tune.tune_up and tune.km == 5.0
    assert recognize("Half Marathon").confidence is G  # a race from its name alone
    # Race *pace* is work, not a race.
    work = recognize("3 x 2 km @ race pace", RaceDistance.HALF)
    assert work.kind is Kind.INTERVALS and work.race_specific and not work.race


def test_bare_numbers_follow_the_plans_unit() -> None:
    assert recognize("Easy 5", unit=Unit.MI).km == pytest.approx(5 * MILE_KM, abs=0.001)
    assert recognize("Easy 5", unit=Unit.KM).km == 5.0


_PACE_WORDS = {
    "5K pace": Intensity.I,
    "10K pace": Intensity.T,
    "HMP": Intensity.T,
    "MP": Intensity.M,
    "T": Intensity.T,
    "I": Intensity.I,
    "R": Intensity.R,
}


@given(
    reps=st.integers(min_value=2, max_value=20),
    metres=st.sampled_from([200, 300, 400, 600, 800, 1000, 1200, 1600, 2000]),
    pace=st.sampled_from(sorted(_PACE_WORDS)),
    spacing=st.sampled_from(["{n} x {d}m", "{n}x{d}m", "{n} × {d} m", "{n}x{d}"]),
    recovery=st.sampled_from(["", " w/ 400 jog", " with 90s rec", " w/ 2 min jog"]),
)
def test_generated_repeats_are_recognised(
    reps: int, metres: int, pace: str, spacing: str, recovery: str
) -> None:
    text = spacing.format(n=reps, d=metres) + f" @ {pace}" + recovery
    r = recognize(text, RaceDistance.MARATHON)
    assert r.confidence is R, r
    assert r.work is not None
    assert r.work.reps == reps
    assert r.work.km == pytest.approx(metres / 1000)
    assert r.work.intensity is _PACE_WORDS[pace]
    assert r.work.race_pace == (pace == "MP")
    if "400 jog" in recovery:
        assert r.work.recover_km == pytest.approx(0.4)
    elif "90s" in recovery:
        assert r.work.recover_minutes == pytest.approx(1.5)
    elif "2 min" in recovery:
        assert r.work.recover_minutes == pytest.approx(2.0)


COMPOUND = [
    # text, kind, work intensity, work km, easy before km, easy after km
    ("LT 7 mi w/ 3 mi @ tempo", Kind.TEMPO, Intensity.T, 3, 2, 2),
    ("LR 16 mi w/ last 8 @ MP", Kind.LONG, Intensity.M, 8, 8, None),
    ("LR 17 mi w/ 12 @ MP", Kind.LONG, Intensity.M, 12, 2.5, 2.5),
    ("Dress rehearsal 7 mi w/ 2 mi @ MP", Kind.STEADY, Intensity.M, 2, 2.5, 2.5),
]


@pytest.mark.parametrize(("text", "kind", "intensity", "work", "before", "after"), COMPOUND)
def test_compound_sessions_are_read_as_their_parts(
    text: str,
    kind: Kind,
    intensity: Intensity,
    work: float,
    before: float,
    after: float | None,
) -> None:
    r = recognize(text, RaceDistance.MARATHON, Unit.MI)
    assert r.kind is kind and r.confidence is R, r
    assert r.work is not None and r.work.intensity is intensity and r.work.reps == 1
    assert r.work.km == pytest.approx(work * MILE_KM)
    assert r.warmup_km == pytest.approx(before * MILE_KM)
    if after is None:
        assert r.cooldown_min == 0.0  # "last 8": the run ends with the work
    else:
        assert r.cooldown_km == pytest.approx(after * MILE_KM)
    if intensity is Intensity.M:
        assert r.race_specific  # marathon-pace work for a marathon: stays on the road (R3)


def test_medium_long_sets_and_rep_times() -> None:
    assert recognize("Medium long run 11 mi", unit=Unit.MI).kind is Kind.EASY
    assert recognize("MLR 12 mi", unit=Unit.MI).kind is Kind.EASY
    sets = recognize("2 sets of 4 x 400")
    assert sets.work is not None and (sets.work.sets, sets.work.reps) == (2, 4)
    assert sets.confidence is R
    timed = recognize("8 x 400 @ 1:45")
    assert timed.pace_s_per_km == pytest.approx(105 / 0.4)  # 1:45 per 400 m
    assert timed.minutes is None  # not 1 h 45 min


def test_numbers_left_unread_make_it_a_guess() -> None:
    r = recognize("Easy 40 min then 3 laps of 1.2 km loop")
    assert r.confidence is G and any("not read" in g for g in r.guesses)
