"""`log week` matching by day, kind and surface (domain/log/adherence.py): a moved session is
found in its week, two runs on a day go to two sessions, a hike is not a run; and, as
properties, the order and the days of the runs inside a week never change how many sessions
were done, and a run is matched once at most."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from support.sessions import on_day
from trailmix.domain.log.adherence import LoggedRun, Status, adherence
from trailmix.domain.types import (
    Athlete,
    Kind,
    Phase,
    Plan,
    Race,
    RaceDistance,
    Session,
    Surface,
    Week,
)

MON = date(2027, 3, 1)
AFTER = MON + timedelta(days=20)  # both weeks are over
DONE_LIKE = {Status.DONE, Status.PARTIAL, Status.MOVED}


def _s(day: int, kind: Kind, minutes: float, surface: Surface = Surface.ROAD) -> Session:
    return on_day(MON, day, kind, minutes, surface)


def _plan() -> Plan:
    week1 = Week(
        index=1,
        start=MON,
        phase=Phase.BASE,
        trail_cap=1 / 3,
        sessions=(
            _s(0, Kind.REST, 0),
            _s(1, Kind.EASY, 40),
            _s(2, Kind.RECOVERY, 30, Surface.TRAIL),
            _s(3, Kind.TEMPO, 50),
            _s(4, Kind.HIKE, 60, Surface.TRAIL),  # R9: hike the technical trail first
            _s(5, Kind.EASY, 40),
            _s(6, Kind.LONG, 90),
        ),
    )
    week2 = Week(
        index=2,
        start=MON + timedelta(days=7),
        phase=Phase.BASE,
        trail_cap=1 / 3,
        sessions=(
            _s(8, Kind.RECOVERY, 30, Surface.TRAIL),
            _s(10, Kind.EASY, 45),
            _s(13, Kind.LONG, 95),
        ),
    )
    return Plan(
        race=Race(RaceDistance.HALF, MON + timedelta(weeks=12)),
        athlete=Athlete(),
        start=MON,
        weeks=(week1, week2),
        trail_cap=1 / 3,
    )


def _run(
    i: int, day: int, minutes: float, surface: Surface = Surface.ROAD, running: bool = True
) -> LoggedRun:
    return LoggedRun(
        id=i, day=MON + timedelta(days=day), minutes=minutes, surface=surface, running=running
    )


def _by_day(plan_week_matches: tuple) -> dict[int, object]:
    return {m.session.date.weekday(): m for m in plan_week_matches}


def test_a_session_moved_in_its_week_is_found() -> None:
    """The long run planned Sunday, run on Wednesday (no session took it): moved, found."""
    a = adherence(_plan(), [_run(1, 9, 95)], AFTER)
    w2 = _by_day(a.weeks[1].matches)
    long_run = w2[6]
    assert long_run.status is Status.MOVED
    assert long_run.run.id == 1
    assert "instead of" in long_run.reason.text


def test_the_nearest_run_of_the_same_surface_is_taken() -> None:
    """Tuesday's trail recovery session was not run on Tuesday: of Monday's road run and
    Wednesday's trail run (both a day away), the trail run is the one moved there."""
    runs = [_run(1, 7, 30), _run(2, 9, 30, Surface.TRAIL), _run(3, 13, 95)]
    a = adherence(_plan(), runs, AFTER)
    w2 = _by_day(a.weeks[1].matches)
    assert w2[1].run.id == 2
    assert w2[1].status is Status.MOVED
    assert w2[3].run.id == 1  # Thu easy <- Mon road run


def test_two_runs_on_a_day() -> None:
    """Saturday's easy run and the long run both run on Saturday: each session gets one run,
    the long one the long run (closest duration), nothing is matched twice."""
    runs = [_run(1, 5, 42), _run(2, 5, 88)]
    a = adherence(_plan(), runs, AFTER)
    w1 = _by_day(a.weeks[0].matches)
    assert w1[5].run.id == 1 and w1[5].status is Status.DONE
    assert w1[6].run.id == 2 and w1[6].status is Status.MOVED
    # Two runs, one session on the day, nothing else in the week free: one is an extra.
    plan = _plan()
    a2 = adherence(
        plan, [_run(1, 1, 40), _run(2, 1, 20)] + [_run(9, d, 40) for d in (2, 3, 5, 6)], AFTER
    )
    w1 = _by_day(a2.weeks[0].matches)
    assert w1[1].run.id == 1  # the closer duration
    assert [r.id for r in a2.weeks[0].extra_runs] == [2]


def test_a_hike_is_not_a_run() -> None:
    """A hike on the day of a running session does not do it; it does the hike session, and
    it is neither road nor trail running minutes."""
    runs = [_run(1, 1, 60, Surface.TRAIL, running=False)]
    a = adherence(_plan(), runs, AFTER)
    w1 = _by_day(a.weeks[0].matches)
    assert w1[1].status is Status.MISSED
    assert w1[4].status is Status.MOVED and w1[4].run.id == 1
    assert (a.weeks[0].road_min, a.weeks[0].trail_min) == (0, 0)
    # and a run never does the hike session
    a2 = adherence(_plan(), [_run(2, 4, 60, Surface.TRAIL)], AFTER)
    assert _by_day(a2.weeks[0].matches)[4].status is Status.MISSED


def test_a_session_is_not_matched_across_weeks() -> None:
    """A run on Monday of week 2 is week 2's: it does not do week 1's missed Sunday."""
    a = adherence(_plan(), [_run(1, 7, 90)], AFTER)
    assert _by_day(a.weeks[0].matches)[6].status is Status.MISSED
    assert [m.session.kind for m in a.weeks[1].matches if m.run is not None] == [Kind.LONG]


_runs = st.lists(
    st.tuples(
        st.integers(0, 13),  # day
        st.floats(5, 150),  # minutes
        st.sampled_from([Surface.ROAD, Surface.TRAIL]),
        st.booleans() | st.just(True),  # running (mostly)
    ),
    max_size=14,
)


def _make(specs: list[tuple[int, float, Surface, bool]]) -> list[LoggedRun]:
    return [_run(i, d, m, s, r) for i, (d, m, s, r) in enumerate(specs)]


def _done(a: object) -> Counter[int]:
    return Counter(wi for wi, w in enumerate(a.weeks) for m in w.matches if m.status in DONE_LIKE)


@settings(max_examples=40, deadline=None)
@given(_runs, st.randoms(use_true_random=False))
def test_order_of_the_runs_changes_nothing(
    specs: list[tuple[int, float, Surface, bool]], rnd: random.Random
) -> None:
    runs = _make(specs)
    shuffled = list(runs)
    rnd.shuffle(shuffled)
    assert adherence(_plan(), runs, AFTER) == adherence(_plan(), shuffled, AFTER)


@settings(max_examples=40, deadline=None)
@given(_runs, st.randoms(use_true_random=False))
def test_moving_runs_inside_their_week_keeps_the_count_done(
    specs: list[tuple[int, float, Surface, bool]], rnd: random.Random
) -> None:
    """Permuting the days of the runs within each week never changes how many sessions of
    each week were done (done, partial or moved), and a run is matched at most once."""
    runs = _make(specs)
    moved = []
    for r in runs:
        monday = MON + timedelta(days=7 * ((r.day - MON).days // 7))
        moved.append(
            LoggedRun(
                r.id, monday + timedelta(days=rnd.randrange(7)), r.minutes, r.surface, r.running
            )
        )
    a, b = adherence(_plan(), runs, AFTER), adherence(_plan(), moved, AFTER)
    assert _done(a) == _done(b)
    for result in (a, b):
        ids = [
            m.run.id
            for w in result.weeks
            for m in w.matches
            if m.run is not None and m.session.kind is not Kind.REST
        ]
        assert len(ids) == len(set(ids))
        # every run is a session's, a rest day's, an extra or unplanned: each exactly once
        rest = [
            m.run.id
            for w in result.weeks
            for m in w.matches
            if m.run is not None and m.session.kind is Kind.REST
        ]
        extras = [r.id for w in result.weeks for r in w.extra_runs]
        every = ids + rest + extras + [r.id for r in result.unplanned_runs]
        assert sorted(every) == sorted(r.id for r in runs)
