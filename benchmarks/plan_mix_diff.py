"""What mixing trails in does to the road plan's work: trails on vs trails off, week by week.

Run: PYTHONPATH=src .venv/bin/python benchmarks/plan_mix_diff.py [--weeks] [--quick]

For a grid of runners (3-7 run days, 5K to marathon, low to high volume) and four trail
libraries read from ../shared/data (flat dirt loops, a hill, a technical multi-day route, none),
the plan is built twice from the same road plan: trails off, and trails on ('enjoy', R1's cap).
For each pair it prints the worst week of:

- total minutes: trails-on minus trails-off, in % of the road week (issue 12: within 5 %);
- hard minutes (work at RPE 6 or more, `mixer.hard_min`): the same (within 15 %);
- long-run share of the week: trails on, and the change against trails off;
- largest rise over 2 weeks (Nielsen 2014 flags 30 %), trails on and off;
- how many harder trail workouts (R11) the plan has;
- the longest hike (R9) and whether a hike falls the day after a long run;
- recovery runs on technical or steep trails (R6), technical trail runs in race week.

`--weeks` also prints every week of every pair.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from trailmix.domain.plan.build import build_plan
from trailmix.domain.plan.mixer import hard_min
from trailmix.domain.plan.selection import is_recovery_trail
from trailmix.domain.trail.classify import analyse_track
from trailmix.domain.trail.model import Trail, TrailCategory
from trailmix.domain.types import (
    Athlete,
    Kind,
    Plan,
    Race,
    RaceDistance,
    RaceResult,
    Surface,
    TrailPreference,
    Week,
)
from trailmix.formats.readers import read_track

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "activities"
START = date(2026, 12, 7)


def _trail(
    path: Path, tid: int, technical: tuple[str, ...] = (), surface: str | None = None
) -> Trail:
    a = analyse_track(
        read_track(path), name=path.stem, declared_technical=technical, declared_surface=surface
    )
    return a.to_trail(tid)


def libraries() -> dict[str, tuple[Trail, ...]]:
    if not DATA.is_dir():
        raise SystemExit(f"{DATA} is missing: clone the repository beside ../shared")
    road = DATA / "road"
    return {
        "flat dirt": tuple(
            _trail(p, i + 1, surface="dirt")
            for i, p in enumerate(sorted(road.glob("recife_*.tcx"))[:3])
        ),
        "hill": (_trail(DATA / "trail_hill" / "fr645m_heidelberg_hill_run.fit", 11),),
        "technical route": (
            _trail(DATA / "hike_route" / "black_forest_multiday_hike.gpx", 21, ("rocky", "steep")),
            _trail(DATA / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx", 22),
        ),
        "none": (),
    }


@dataclass(frozen=True)
class Runner:
    label: str
    distance: RaceDistance
    weeks: int
    recent: RaceResult
    weekly_km: float
    days: int


def runners(quick: bool) -> list[Runner]:
    grid = [
        Runner("M 50km 5d", RaceDistance.MARATHON, 18, RaceResult(21.0975, 6600, "half"), 50, 5),
        Runner("M 30km 3d", RaceDistance.MARATHON, 18, RaceResult(10, 3300, "10k"), 30, 3),
        Runner("M 30km 4d", RaceDistance.MARATHON, 18, RaceResult(10, 3300, "10k"), 30, 4),
        Runner("M 110km 7d", RaceDistance.MARATHON, 18, RaceResult(21.0975, 4800, "half"), 110, 7),
        Runner("H 40km 3d", RaceDistance.HALF, 12, RaceResult(10, 2900, "10k"), 40, 3),
        Runner("H 45km 6d", RaceDistance.HALF, 14, RaceResult(10, 2910, "10k"), 45, 6),
        Runner("10K 45km 4d", RaceDistance.K10, 10, RaceResult(5, 1380, "5k"), 45, 4),
        Runner("5K 55km 6d", RaceDistance.K5, 10, RaceResult(5, 1170, "5k"), 55, 6),
        Runner("5K 25km 3d", RaceDistance.K5, 8, RaceResult(5, 1680, "5k"), 25, 3),
        Runner(
            "M 70km 7d", RaceDistance.MARATHON, 16, RaceResult(42.195, 11700, "marathon"), 70, 7
        ),
    ]
    return grid[:4] if quick else grid


def _weeks(plan: Plan) -> list[Week]:
    return [w for w in plan.weeks if w.start >= plan.start]


def _rise2(totals: list[float]) -> float:
    rises = [totals[i] / totals[i - 2] - 1 for i in range(2, len(totals)) if totals[i - 2] > 0]
    return max(rises, default=0.0)


def _long_share(w: Week) -> float:
    total = w.summary.total_min
    long = max((s.duration_min for s in w.sessions if s.kind is Kind.LONG), default=0.0)
    return long / total if total else 0.0


def compare(r: Runner, library: tuple[Trail, ...]) -> tuple[dict[str, str], list[str]]:
    athlete = Athlete(
        recent_race=r.recent, weekly_km=r.weekly_km, days_per_week=r.days, age=40, sex=None
    )
    race = Race(r.distance, START + timedelta(weeks=r.weeks) - timedelta(days=1))
    on = build_plan(athlete, race, START, library)
    off = build_plan(replace(athlete, trail_preference=TrailPreference.OFF), race, START, library)
    by_id = {t.id: t for t in library}
    rows: list[str] = []
    d_total = d_hard = d_share = 0.0
    for w_on, w_off in zip(_weeks(on), _weeks(off), strict=True):
        t_on, t_off = w_on.summary.total_min, w_off.summary.total_min
        h_on = sum(hard_min(s) for s in w_on.sessions)
        h_off = sum(hard_min(s) for s in w_off.sessions)
        dt = (t_on - t_off) / t_off if t_off else 0.0
        dh = (h_on - h_off) / h_off if h_off else 0.0
        ds = _long_share(w_on) - _long_share(w_off)
        d_total = max(d_total, abs(dt))
        d_hard = max(d_hard, abs(dh)) if h_off >= 10 else d_hard
        d_share = max(d_share, ds)
        rows.append(
            f"wk {w_on.index:2d} {w_on.phase.value:5s} total {t_off:5.0f} -> {t_on:5.0f} "
            f"({dt:+.1%})  hard {h_off:4.0f} -> {h_on:4.0f} ({dh:+.1%})  long share "
            f"{_long_share(w_off):.0%} -> {_long_share(w_on):.0%}  "
            f"trail {w_on.summary.trail_share:.0%}"
        )
    longs = {s.date for s in on.sessions if s.kind is Kind.LONG}
    keys = {
        s.date
        for s in on.sessions
        if s.kind in (Kind.LONG, Kind.RACE) or (s.kind.is_quality and s.kind is not Kind.STRIDES)
    }
    hikes = [s for s in on.sessions if s.kind is Kind.HIKE]
    bad_recovery = 0
    race_week_technical = 0
    race_monday = race.date - timedelta(days=race.date.weekday())
    for s in on.sessions:
        if s.surface is not Surface.TRAIL or s.trail is None or not s.kind.is_running:
            continue
        t = by_id[s.trail.id]
        if s.kind is Kind.RECOVERY and not is_recovery_trail(t):
            bad_recovery += 1
        if t.category is TrailCategory.TECHNICAL and s.date >= race_monday:
            race_week_technical += 1
    totals_on = [w.summary.total_min for w in _weeks(on)]
    totals_off = [w.summary.total_min for w in _weeks(off)]
    shares_on = [_long_share(w) for w in _weeks(on)]
    row = {
        "total": f"{d_total:.1%}",
        "hard": f"{d_hard:.1%}",
        "long share": f"{max(shares_on):.0%} ({d_share:+.1%})",
        "2-wk rise on/off": f"{_rise2(totals_on):+.0%} / {_rise2(totals_off):+.0%}",
        "trail workouts": str(
            sum(s.surface is Surface.TRAIL and s.kind.is_quality for s in on.sessions)
        ),
        "longest hike": f"{max((h.duration_min for h in hikes), default=0):.0f} min",
        "hike after long": str(sum((h.date - timedelta(days=1)) in longs for h in hikes)),
        "hike eve of key": str(sum((h.date + timedelta(days=1)) in keys for h in hikes)),
        "recovery tech/steep": str(bad_recovery),
        "race wk technical": str(race_week_technical),
    }
    return row, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", action="store_true", help="print each week of some runners")
    parser.add_argument("--quick", action="store_true", help="four runners only")
    args = parser.parse_args()
    console = Console(width=200)
    libs = libraries()
    table = Table(title="Trails on vs trails off, worst week per plan (issue 12: 5 % / 15 %)")
    for col in (
        "runner",
        "library",
        "total",
        "hard",
        "long share",
        "2-wk rise on/off",
        "trail workouts",
        "longest hike",
        "hike after long",
        "hike eve of key",
        "recovery tech/steep",
        "race wk technical",
    ):
        table.add_column(col, justify="left" if col in ("runner", "library") else "right")
    started = time.perf_counter()
    n = 0
    for name, lib in libs.items():
        for r in runners(args.quick):
            row, weeks = compare(r, lib)
            n += 1
            table.add_row(r.label, name, *row.values())
            if args.weeks:
                console.print(f"[bold]{r.label}, {name}[/bold]")
                for line in weeks:
                    console.print(line)
    console.print(table)
    console.print(f"{n} plan pairs in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
