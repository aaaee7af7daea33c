"""The plan corpus (tests/support/plans): at least 12 files written the ways coaches, books,
apps and spreadsheets write plans, read as a coach would read them; compound sessions priced as
their parts; a plan with paces but no race gives the runner's level."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from support.export_helpers import DATA, RUNNER
from support.plan_corpus import TODAY, plan_files, read_corpus
from trailmix.domain.imports.plan import import_plan
from trailmix.domain.imports.words import Confidence
from trailmix.domain.plan.mixer import MixOptions, mix
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.types import Kind, Plan, StepType, Surface, TrailPreference
from trailmix.formats.plan_import import read_plan_file


def test_the_corpus_is_read_as_a_coach_reads_it() -> None:
    assert len(plan_files()) >= 12
    reads = read_corpus()
    recognised = sum(r.confidence is Confidence.RECOGNISED for r in reads) / len(reads)
    assert recognised >= 0.85
    # A misread is never passed off as recognised: when unsure, trailmix says "guessed".
    silent = [r for r in reads if r.misread and r.confidence is Confidence.RECOGNISED]
    assert silent == []
    assert sum(r.misread for r in reads) <= 0.01 * len(reads)


def _pfitz() -> Plan:
    return import_plan(
        read_plan_file(DATA / "us-pfitz-marathon-miles.csv", today=TODAY), RUNNER
    ).plan


def test_compound_sessions_are_their_parts() -> None:
    plan = _pfitz()
    by_title = {s.title: s for s in plan.sessions}
    lt = by_title["LT 7 mi w/ 3 mi @ tempo"]
    assert [st.type for st in lt.steps] == [StepType.WARMUP, StepType.WORK, StepType.COOLDOWN]
    work = lt.steps[1]
    assert work.target.distance_km == pytest.approx(3 * 1.609, abs=0.01)
    assert work.target.pace_s_per_km == plan.paces.threshold  # type: ignore[union-attr]
    assert 18 <= work.target.duration_min <= 26  # ~22 min at T, not 51  # type: ignore[operator]
    total = sum(st.target.distance_km or 0 for st in lt.steps)
    assert total == pytest.approx(7 * 1.609, abs=0.02)
    assert lt.target.distance_km == pytest.approx(7 * 1.609, abs=0.02)  # the session's total
    lr = by_title["LR 15 mi w/ last 8 @ MP"]
    assert lr.kind is Kind.LONG and lr.race_specific  # the plan's key marathon work (R3)
    assert [st.type for st in lr.steps] == [StepType.WARMUP, StepType.WORK]  # last 8 at MP
    mp = lr.steps[1].target.pace_s_per_km
    assert mp is not None and plan.paces is not None
    assert abs(sum(mp) / 2 - sum(plan.paces.marathon) / 2) < 5  # at marathon pace
    lr12 = by_title["LR 17 mi w/ 12 @ MP"]
    assert lr12.steps[1].target.distance_km == pytest.approx(12 * 1.609, abs=0.01)
    dress = by_title["Dress rehearsal 7 mi w/ 2 mi @ MP"]
    assert dress.steps[1].target.distance_km == pytest.approx(2 * 1.609, abs=0.01)
    assert sum(st.target.distance_km or 0 for st in dress.steps) == pytest.approx(7 * 1.609, 0.01)


def test_a_medium_long_run_is_not_the_long_run_so_each_week_gets_its_trail_run() -> None:
    plan = _pfitz()
    assert all(s.kind is Kind.EASY for s in plan.sessions if "edium" in s.title)
    assert plan.paces is not None
    mixed = mix(plan, MixOptions(TrailPreference.MINIMUM), Prescriber(plan.paces))
    last_two = {w.index for w in mixed.weeks[-2:]}
    for w in mixed.weeks:
        if w.index not in last_two:
            assert any(s.surface is Surface.TRAIL for s in w.sessions), f"week {w.index}"


def test_sets_of_reps_nest() -> None:
    plan = import_plan(read_plan_file(DATA / "uk-club-10k-slashes.csv", today=TODAY), RUNNER).plan
    s = next(s for s in plan.sessions if s.title.startswith("2 sets of 4 x 400"))
    outer = next(st for st in s.steps if st.type is StepType.REPEAT)
    inner = outer.steps[0]
    assert outer.repeat == 2 and inner.type is StepType.REPEAT and inner.repeat == 4
    assert inner.steps[0].target.distance_km == pytest.approx(0.4)


def test_a_plan_without_a_race_gives_the_level_from_its_paces() -> None:
    entries = read_plan_file(DATA / "runner-paces-written.csv", today=TODAY)
    imported = import_plan(entries, replace(RUNNER, recent_race=None))
    note = next(n.text for n in imported.plan.notes if "No recent race" in n.text)
    assert "8 x 400 @ 1:45" in note or "7:30/mi" in note
    assert imported.plan.paces is not None
    # Tempo at 7:30/mi (280 s/km) is about T pace for the level read: within 15 s/km.
    t_fast, t_slow = imported.plan.paces.threshold
    assert abs((t_fast + t_slow) / 2 - 279.6) < 15


def test_no_race_and_no_paces_asks_for_a_race() -> None:
    from trailmix.errors import InputError

    entries = read_plan_file(DATA / "book-10k.csv")
    with pytest.raises(InputError, match="paces written in your plan"):
        import_plan(entries, replace(RUNNER, recent_race=None))


def test_no_room_for_a_trail_run_at_the_maximum_cap_says_what_helps() -> None:
    """The cap is already R1's third: 'Raise --trail-cap' would not help; more running would."""
    from trailmix.domain.imports.plan import Entry

    start = date(2027, 1, 4)
    entries = [
        Entry(start + timedelta(days=7 * w + d), "Easy 15 min") for w in range(8) for d in (0, 2)
    ]
    entries.append(Entry(start + timedelta(days=7 * 8 + 6), "10K race day"))
    plan = import_plan(entries, RUNNER).plan
    assert plan.paces is not None
    mixed = mix(plan, MixOptions(TrailPreference.ENJOY), Prescriber(plan.paces))
    text = " ".join(r.text for r in mixed.warnings)
    assert "no trail run" in text.lower() or "No trail run" in text
    assert "Raise --trail-cap" not in text
    assert "already the most R1 allows" in text and "60 min of running" in text
