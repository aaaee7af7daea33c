"""Issue 13's three re-planning cases, as a coach would try them: a marathon plan started
2026-08-31 for a race on 2027-01-03, a log of runs on the planned days, re-planned on
2026-11-30 (4.9 weeks out):

1. followed exactly;
2. 12 days off sick (2026-11-18 to 2026-11-29), the plan followed before;
3. 30 % over the plan on every run.

For each, the weekly minutes and the long run of every week from the re-plan on, before and
after, and the messages the re-plan adds. Run: `.venv/bin/python benchmarks/replan_cases.py`.
"""

from __future__ import annotations

import textwrap
from datetime import date

from trailmix.domain.plan.build import build_plan
from trailmix.domain.plan.replan import Replan, history_from_runs, replan
from trailmix.domain.types import (
    Athlete,
    Kind,
    Plan,
    Race,
    RaceDistance,
    RaceResult,
    Surface,
    Week,
    Weekday,
)

START = date(2026, 8, 31)
RACE = Race(RaceDistance.MARATHON, date(2027, 1, 3))
TODAY = date(2026, 11, 30)
SICK = (date(2026, 11, 18), date(2026, 11, 29))
RUNNER = Athlete(
    recent_race=RaceResult(10, 48 * 60 + 30, "10k"),
    weekly_km=40.0,
    days_per_week=5,
    long_run_day=Weekday.SUN,
    age=40,
    hr_rest=50,
)


def marathon_plan() -> Plan:
    return build_plan(RUNNER, RACE, START)


def planned_log(
    plan: Plan, today: date, factor: float = 1.0, off: tuple[date, date] | None = None
) -> list[tuple[date, float, bool]]:
    """Runs on the planned days before `today`, `factor` times the planned minutes, none on
    the days `off`: (day, minutes, on a trail)."""
    return [
        (s.date, s.duration_min * factor, s.surface is Surface.TRAIL)
        for s in plan.sessions
        if s.kind.is_running
        and s.kind is not Kind.RACE
        and s.date < today
        and not (off and off[0] <= s.date <= off[1])
    ]


def case(name: str, factor: float = 1.0, off: tuple[date, date] | None = None) -> Replan:
    plan = marathon_plan()
    history = history_from_runs(planned_log(plan, TODAY, factor, off), TODAY, plan.start)
    return replan(plan, TODAY, history)


def _minutes(w: Week) -> float:
    return sum(s.running_min for s in w.sessions if s.kind is not Kind.RACE)


def _long(w: Week) -> float:
    return max((s.target.distance_km or 0 for s in w.sessions if s.kind is Kind.LONG), default=0)


def table(name: str, before: Plan, result: Replan) -> str:
    after = result.plan
    rows = [
        f"## {name}: {result.assessment.status}",
        f"{'week':>4} {'start':>10} {'phase':>6}  {'min before':>10} {'after':>6} {'%':>4}  "
        f"{'long km before':>14} {'after':>6}",
    ]
    for b, a in zip(before.weeks, after.weeks, strict=True):
        if b.end < TODAY:
            continue
        mb, ma = _minutes(b), _minutes(a)
        rows.append(
            f"{b.index:>4} {b.start.isoformat():>10} {b.phase.value:>6}  {mb:>10.0f} {ma:>6.0f} "
            f"{ma / mb if mb else 0:>4.0%}  {_long(b):>14.1f} {_long(a):>6.1f}"
        )
    for m in result.messages:
        rows.extend(textwrap.wrap(f"[{m.rule}] {m.text}", 96, subsequent_indent="    "))
    return "\n".join(rows)


def main() -> None:
    plan = marathon_plan()
    print(f"Marathon plan {START} to {RACE.date}, re-planned on {TODAY}\n")
    for name, result in (
        ("Followed exactly", case("followed")),
        (f"12 days off sick ({SICK[0]} to {SICK[1]})", case("sick", off=SICK)),
        ("30 % over the plan", case("over", factor=1.3)),
    ):
        print(table(name, plan, result))
        print()


if __name__ == "__main__":
    main()
