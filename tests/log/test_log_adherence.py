"""Planned sessions against logged runs on a small hand-built plan."""

from __future__ import annotations

from datetime import date, timedelta

from support.sessions import on_day
from trailmix.domain.log.adherence import LoggedRun, Status, adherence, trail_weeks
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
            _s(2, Kind.RECOVERY, 30, Surface.TRAIL),  # R2 run
            _s(3, Kind.TEMPO, 50),
            _s(4, Kind.REST, 0),
            _s(5, Kind.EASY, 40),
            _s(6, Kind.LONG, 90),
        ),
    )
    week2 = Week(
        index=2,
        start=MON + timedelta(days=7),
        phase=Phase.BASE,
        trail_cap=1 / 3,
        sessions=(_s(8, Kind.RECOVERY, 30, Surface.TRAIL), _s(13, Kind.LONG, 90)),
    )
    return Plan(
        race=Race(RaceDistance.HALF, MON + timedelta(weeks=12)),
        athlete=Athlete(),
        start=MON,
        weeks=(week1, week2),
        trail_cap=1 / 3,
    )


def _run(i: int, day: int, minutes: float, surface: Surface = Surface.ROAD) -> LoggedRun:
    return LoggedRun(id=i, day=MON + timedelta(days=day), minutes=minutes, surface=surface)


def test_done_partial_moved_missed() -> None:
    runs = [
        _run(1, 1, 42),  # Tue easy 40: done
        _run(2, 2, 35, Surface.TRAIL),  # Wed trail recovery: done
        _run(3, 4, 50),  # tempo Thu run on Fri: moved
        _run(4, 6, 60),  # long 90 run for 60: 67 % -> partial
        _run(5, 0, 20),  # Monday rest: ran on a rest day (the Sat session, moved)
    ]
    result = adherence(_plan(), runs, today=MON + timedelta(days=9))
    w1 = result.weeks[0]
    status = {m.session.date.weekday(): m.status for m in w1.matches}
    assert status == {
        0: Status.REST_RUN,
        1: Status.DONE,
        2: Status.DONE,
        3: Status.MOVED,
        4: Status.REST_RUN,  # Friday rest: the tempo was moved here
        5: Status.MOVED,  # Sat easy 40: Monday's run, the only one of the week left
        6: Status.PARTIAL,
    }
    assert all(m.reason.text for m in w1.matches)
    # minutes: road 42 + 50 + 60 + 20 = 172, trail 35: share 35 / 207 = 16.9 %
    assert (w1.road_min, w1.trail_min) == (172, 35)
    assert round(w1.trail_share, 3) == 0.169
    assert not w1.over_cap
    assert w1.trail_run_kept is True
    assert any(r.rule == "R1" for r in w1.reasons) and any(r.rule == "R2" for r in w1.reasons)
    w2 = result.weeks[1]
    assert w2.matches[0].status is Status.MISSED  # Tue 9th trail recovery, today Wed 10th
    assert w2.matches[1].status is Status.PLANNED
    assert w2.trail_run_kept is None  # the week is not over yet


def test_over_the_cap_and_r2_missed() -> None:
    runs = [_run(1, 1, 60, Surface.TRAIL), _run(2, 6, 60)]
    w1 = adherence(_plan(), runs, today=MON + timedelta(days=20)).weeks[0]
    assert w1.over_cap  # 50 % > one third (R1)
    w2 = adherence(_plan(), [_run(1, 1, 40)], today=MON + timedelta(days=20)).weeks[1]
    assert w2.trail_run_kept is False
    assert any(r.rule == "R2" and "No trail run" in r.text for r in w2.reasons)


def test_trail_weeks_against_the_window() -> None:
    runs = [_run(i, 7 * i + 2, 30, Surface.TRAIL) for i in range(7)]
    tw = trail_weeks(_plan(), runs, today=MON + timedelta(days=7 * 6 + 3))
    assert tw.first_trail == MON + timedelta(days=2)
    assert tw.weeks_with_trail == 7
    assert 6 <= tw.weeks_since_first < 8
    assert tw.in_time_for_race is True
    assert tw.reason.rule == "R4" and "starting to show" in tw.reason.text
    none = trail_weeks(_plan(), [], today=MON)
    assert none.first_trail is None and none.reason.rule == "R4"
