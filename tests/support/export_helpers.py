"""Helpers for the import/export tests: the plan files, a runner, the rules' invariants, and the
CLI with `mix` and `export` registered on a test app (trailmix.cli.app itself is left alone)."""

from __future__ import annotations

from pathlib import Path

from support.cliharness import Cli, Run, run_cli
from trailmix.domain.rules import TRAIL_SHARE_CAP
from trailmix.domain.types import (
    Athlete,
    Kind,
    Plan,
    RaceResult,
    Step,
    Surface,
    TrailPreference,
)

DATA = Path(__file__).parent / "plans"
__all__ = ["Cli", "Run", "run_cli"]


RUNNER = Athlete(recent_race=RaceResult(10.0, 48 * 60 + 30, "10k"), age=40, hr_rest=52)


def _steps(steps: tuple[Step, ...]) -> list[Step]:
    out: list[Step] = []
    for s in steps:
        out.append(s)
        out.extend(_steps(s.steps))
    return out


def assert_mixed_by_the_rules(plan: Plan) -> None:
    """The trail-mix engine's invariants (tests/plan/test_mixer.py), for an imported plan."""
    race_week = next(i for i, w in enumerate(plan.weeks) if w.start <= plan.race.date <= w.end)
    runs = [s for s in plan.sessions if s.surface is Surface.TRAIL and s.kind.is_running]
    assert runs, "the plan has trail runs"
    first = min(s.date for s in runs)
    for i, w in enumerate(plan.weeks):
        sm = w.summary
        assert sm.trail_min <= TRAIL_SHARE_CAP * sm.total_min + 0.5, f"week {w.index} over R1's cap"
        assert sm.trail_min <= w.trail_cap * sm.total_min + 0.5
        if w.end >= first and i < race_week:
            assert any(
                s.surface is Surface.TRAIL and s.kind in (Kind.EASY, Kind.RECOVERY)
                for s in w.sessions
            ), f"week {w.index} has no trail easy/recovery run"
        if i >= race_week - 1:
            assert sm.trail_min < sm.road_min or sm.total_min == 0
    for s in plan.sessions:
        assert s.reasons and all(r.rule.strip() and r.text.strip() for r in s.reasons)
        if s.kind in (Kind.LONG, Kind.RACE) or s.race_specific:
            assert s.surface is Surface.ROAD
            assert any(r.rule == "R3" for r in s.reasons) or s.kind is Kind.RACE
        if s.surface is Surface.TRAIL:
            assert s.target.pace_s_per_km is None and s.target.distance_km is None
            assert s.duration_min > 0
            assert 1 <= s.target.rpe[0] <= s.target.rpe[1] <= 10
            assert all(st.target.pace_s_per_km is None for st in _steps(s.steps))
    if plan.trail_preference is TrailPreference.MINIMUM:
        for w in plan.weeks:
            trail = [s for s in w.sessions if s.surface is Surface.TRAIL and s.kind.is_running]
            assert len(trail) <= 1 and all(s.kind is Kind.RECOVERY for s in trail)
