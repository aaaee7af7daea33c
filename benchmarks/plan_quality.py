"""Plan quality: the coach metrics of generated road plans beside the published plans'.

    PYTHONPATH=src python benchmarks/plan_quality.py

For a grid of runners (race x weekly volume x run days x age) it builds the road plan with
trails off (`road_plan`) and prints what a coach reads off a plan: peak long run and its share
of the week, weeks at the peak long run, the largest weekly rise, key sessions a week and the
fewest days between two, the longest run on the eve of or the day after a long run
(eve+, minutes), the taper's weekly volumes and long runs (shares of the last full
week), and the most race-pace work in a week (km and share of the week's km). Below it come
the same figures for the published plans (`PUBLISHED`, sources in docs/plan-quality.md).

`road_plan(runner)` is the hook for a trails-on column: build the same runner with
`build_plan(..., trails)` and diff the weeks.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trailmix.domain.plan import norms, vdot
from trailmix.domain.plan.planner import plan_road
from trailmix.domain.types import (
    Athlete,
    Plan,
    Race,
    RaceDistance,
    RaceResult,
    TrailPreference,
    Weekday,
)

START = date(2026, 12, 7)  # a Monday, as in issue 12


@dataclass(frozen=True)
class Runner:
    label: str
    distance: RaceDistance
    weeks: int
    weekly_km: float
    days: int
    vdot: float
    age: int | None = None

    def athlete(self) -> Athlete:
        return Athlete(
            name=self.label,
            age=self.age,
            recent_race=RaceResult(10.0, vdot.race_time(self.vdot, 10_000), "10k"),
            weekly_km=self.weekly_km,
            days_per_week=self.days,
            long_run_day=Weekday.SUN,
            trail_preference=TrailPreference.OFF,
        )

    def race(self) -> Race:
        return Race(self.distance, START + timedelta(weeks=self.weeks - 1, days=6))


M, H, K10, K5 = RaceDistance.MARATHON, RaceDistance.HALF, RaceDistance.K10, RaceDistance.K5

GRID = (
    Runner("marathon 30km 4d", M, 18, 30, 4, 38),
    Runner("marathon 40km 4d", M, 18, 40, 4, 40),
    Runner("marathon 50km 5d", M, 18, 50, 5, 41),
    Runner("marathon 45km 5d 28wk", M, 28, 45, 5, 41),
    Runner("marathon 70km 6d", M, 18, 70, 6, 48),
    Runner("marathon 110km 7d", M, 18, 110, 7, 58),
    Runner("marathon 40km 4d age 60", M, 18, 40, 4, 38, 60),
    Runner("marathon 40km 3d", M, 16, 40, 3, 40),
    Runner("half 25km 4d", H, 12, 25, 4, 36),
    Runner("half 40km 5d", H, 12, 40, 5, 44),
    Runner("half 60km 6d", H, 14, 60, 6, 52),
    Runner("10k 40km 5d", K10, 10, 40, 5, 45),
    Runner("10k 60km 6d", K10, 12, 60, 6, 52),
    Runner("5k 30km 4d", K5, 8, 30, 4, 42),
    Runner("5k 55km 6d", K5, 12, 55, 6, 50),
)


def road_plan(runner: Runner) -> Plan:
    """The runner's road plan with trails off (the reference for a trails-on comparison)."""
    return plan_road(runner.athlete(), runner.race(), START)


@dataclass(frozen=True)
class Published:
    """A published plan's headline figures (docs/plan-quality.md gives the sources)."""

    label: str
    weeks: int
    days: str
    peak_week_km: float
    peak_long_km: float
    peak_long_share: float
    weeks_at_peak_long: int
    keys_per_week: str
    taper: str
    taper_long_km: str
    race_pace_km: str


PUBLISHED = (
    Published(
        "Pfitzinger 18/55 (marathon)",
        18,
        "5-6",
        89,
        32,
        0.36,
        5,
        "2-3 (LT, MLR, long)",
        "3 wk ~80/65/40 %",
        "27, 21",
        "MP runs 13-22 km (8-14 mi)",
    ),
    Published(
        "Higdon Novice 1 (marathon)",
        18,
        "4",
        64,
        32,
        0.50,
        1,
        "1 (long)",
        "3 wk ~80/60/40 %",
        "19, 13",
        "none (pace by feel)",
    ),
    Published(
        "Higdon Intermediate 1 (marathon)",
        18,
        "5",
        70,
        32,
        0.46,
        3,
        "2 (pace run, long)",
        "3 wk ~80/60/40 %",
        "19, 13",
        "pace runs 8-16 km",
    ),
    Published(
        "Hansons beginner (marathon)",
        18,
        "6",
        92,
        26,
        0.28,
        3,
        "3 (speed/strength, tempo, long)",
        "10 days",
        "-",
        "tempo at MP 8-16 km",
    ),
    Published(
        "Higdon Novice half",
        12,
        "4",
        40,
        16,
        0.45,
        1,
        "1 (long)",
        "race week only",
        "-",
        "none",
    ),
    Published(
        "Daniels 5K/10K (phases I-IV)",
        12,
        "5-7",
        0,
        0,
        0.30,
        0,
        "2 Q sessions",
        "~1 wk, intensity kept",
        "-",
        "I/race pace <= 8 % & 10 km, reps",
    ),
)


def _row(label: str, m: norms.PlanMetrics) -> str:
    taper = "/".join(f"{t:.0%}" for t in m.taper)
    tl = ",".join(f"{x:.1f}" for x in m.taper_long_km if x) or "-"
    return (
        f"{label:26} {m.weeks:3} {m.peak_week_km:5.0f} {m.peak_long_km:5.1f} "
        f"{m.peak_long_share:5.0%} {m.weeks_at_peak_long:4} {m.max_ramp:5.0%} "
        f"{m.keys_per_week:4.1f} {m.min_key_gap_days:3} {taper:16} {tl:11} "
        f"{m.race_pace_km_max:5.1f} {m.race_pace_share_max:5.0%} {m.around_long_max_min:4.0f}"
    )


def main() -> None:
    head = (
        f"{'generated (trails off)':26} {'wk':>3} {'pk km':>5} {'long':>5} {'share':>5} "
        f"{'@pk':>4} {'ramp':>5} {'keys':>4} {'gap':>3} {'taper (vol)':16} {'taper long':11} "
        f"{'RP km':>5} {'RP %':>5} {'eve+':>4}"
    )
    print(head)
    print("-" * len(head))
    for r in GRID:
        plan = road_plan(r)
        m = norms.metrics(plan)
        note = ""
        norm = norms.LONG_NORM_KM.get(r.distance)
        if norm and m.peak_long_km < norm:
            note = "  (under the norm: warned)"
        print(_row(r.label, m) + note)
    print()
    print(
        f"{'published':34} {'wk':>3} {'days':>4} {'pk km':>5} {'long':>5} {'share':>5} "
        f"{'@pk':>4}  keys / taper / taper long / race pace"
    )
    print("-" * len(head))
    for p in PUBLISHED:
        peak = f"{p.peak_week_km:5.0f}" if p.peak_week_km else "  any"
        long = f"{p.peak_long_km:5.0f}" if p.peak_long_km else "  any"
        print(
            f"{p.label:34} {p.weeks:3} {p.days:>4} {peak} {long} {p.peak_long_share:5.0%} "
            f"{p.weeks_at_peak_long:4}  {p.keys_per_week}; {p.taper}; {p.taper_long_km}; "
            f"{p.race_pace_km}"
        )


if __name__ == "__main__":
    main()
