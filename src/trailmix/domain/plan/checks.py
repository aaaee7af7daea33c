"""The article's rules checked on a finished plan, as the planner and the trail-mix engine keep
them (tests/plan/test_mixer.py holds the same invariants): used to refuse a hand-made change
(a coach moving or replacing a session) that would break one. Pure, no I/O.

`rule_breaks` lists what a plan breaks, each a Reason naming the rule and the week or day;
`new_breaks` is what a changed plan breaks that the plan before it did not (a plan the engine
made may carry a break it warned about, e.g. a cap too low for a weekly trail run: a change is
refused only for what it breaks itself)."""

from __future__ import annotations

from trailmix.domain import rules
from trailmix.domain.rules import (
    NO_TRAIL_DAYS_BEFORE_RACE,
    ROAD_WEEKS,
    TRAIL_SHARE_CAP,
)
from trailmix.domain.types import Kind, Phase, Plan, Reason, Session, Surface, TrailPreference

SLACK_MIN = 0.5
"""trailmix default: half a minute of rounding is allowed on a weekly trail cap (as the
engine's own tests allow)."""

_HARD_TRAIL = (Kind.HILL_REPEATS, Kind.FARTLEK, Kind.STEADY, Kind.TEMPO, Kind.INTERVALS)


def _trail_run(s: Session) -> bool:
    return s.surface is Surface.TRAIL and s.kind.is_running


def _race_week(plan: Plan) -> int:
    for i, w in enumerate(plan.weeks):
        if w.start <= plan.race.date <= w.end:
            return i
    return len(plan.weeks) - 1


def rule_breaks(plan: Plan) -> tuple[Reason, ...]:
    """Every break of R1, R2, R3, R5, R9, R11 and of the plan's one-session-a-day layout."""
    out: list[Reason] = []
    rw = _race_week(plan)
    runs = [s for s in plan.sessions if _trail_run(s)]
    first_trail = min((s.date for s in runs), default=None)
    hikes = {s.trail.id: s.date for s in plan.sessions if s.kind is Kind.HIKE and s.trail}
    days: dict[object, int] = {}
    for s in plan.sessions:
        days[s.date] = days.get(s.date, 0) + 1
    for day, n in sorted(days.items(), key=lambda x: str(x[0])):
        if n > 1:
            out.append(
                rules.default(f"{day}: {n} sessions on one day; the plan has one a day at most.")
            )
    for s in plan.sessions:
        if not plan.start <= s.date <= plan.race.date:
            out.append(
                rules.default(
                    f"{s.date}: outside the plan ({plan.start} to race day {plan.race.date})."
                )
            )
    for i, w in enumerate(plan.weeks):
        sm = w.summary
        cap = min(w.trail_cap or plan.trail_cap, TRAIL_SHARE_CAP)
        if sm.trail_min > cap * sm.total_min + SLACK_MIN:
            out.append(
                rules.rule(
                    "R1",
                    f"week {w.index}: {sm.trail_min:.0f} of {sm.total_min:.0f} min on trails, "
                    f"over the cap of {rules.cap_words(cap)} ({cap * sm.total_min:.0f} min).",
                )
            )
        trail_in_week = [s for s in w.sessions if _trail_run(s)]
        if (
            plan.trail_preference is not TrailPreference.OFF
            and first_trail is not None
            and w.end >= first_trail
            and i < rw
            and not any(s.kind in (Kind.EASY, Kind.RECOVERY) for s in trail_in_week)
        ):
            out.append(
                rules.rule(
                    "R2",
                    f"week {w.index} has no trail recovery run: one easy trail run a week "
                    "brings the benefits, fewer injuries included.",
                )
            )
        if plan.trail_preference is TrailPreference.MINIMUM and (
            len(trail_in_week) > 1 or any(s.kind is not Kind.RECOVERY for s in trail_in_week)
        ):
            out.append(
                rules.rule(
                    "R2",
                    f"week {w.index}: a runner on the minimum gets one trail recovery run a "
                    "week, no more.",
                )
            )
        if i >= rw - (ROAD_WEEKS - 1):
            if sm.total_min and sm.trail_min >= sm.road_min:
                out.append(
                    rules.rule(
                        "R3",
                        f"week {w.index} is one of the last {ROAD_WEEKS} weeks: they stay on "
                        f"the road ({sm.trail_min:.0f} min trail against {sm.road_min:.0f} "
                        "road).",
                    )
                )
            for s in trail_in_week:
                if s.kind not in (Kind.EASY, Kind.RECOVERY):
                    out.append(
                        rules.rule(
                            "R3",
                            f"{s.date}: no hard trail session in the last {ROAD_WEEKS} weeks; "
                            "easy trail running only.",
                        )
                    )
        hard = [s for s in trail_in_week if s.kind in _HARD_TRAIL]
        if len(hard) > 1:
            out.append(rules.rule("R11", f"week {w.index}: one harder trail workout a week."))
        for s in hard:
            if w.phase not in (Phase.BASE, Phase.BUILD):
                out.append(
                    rules.rule(
                        "R11",
                        f"{s.date}: harder trail workouts belong to base and build weeks, "
                        f"not a {w.phase.value} week.",
                    )
                )
    for s in plan.sessions:
        if s.surface is Surface.TRAIL and (s.kind in (Kind.LONG, Kind.RACE) or s.race_specific):
            what = (
                "the race"
                if s.kind is Kind.RACE
                else ("a long run" if s.kind is Kind.LONG else "race-specific work")
            )
            out.append(
                rules.rule(
                    "R3",
                    f"{s.date}: {what} stays on the road: on race day your body must be used "
                    "to long stretches of pavement.",
                )
            )
        if _trail_run(s):
            days_out = (plan.race.date - s.date).days
            if 0 <= days_out < NO_TRAIL_DAYS_BEFORE_RACE and s.date >= plan.weeks[rw].start:
                out.append(
                    rules.rule(
                        "R3",
                        f"{s.date}: no trail run within {NO_TRAIL_DAYS_BEFORE_RACE} days of "
                        "the race.",
                    )
                )
            if s.target.pace_s_per_km is not None or s.target.distance_km is not None:
                out.append(
                    rules.rule("R5", f"{s.date}: a trail session is run by time and effort.")
                )
            needs_hike = s.trail is not None and (
                s.trail.id in hikes
                or any(r.rule == "R9" and "after the hike" in r.text for r in s.reasons)
            )
            if s.trail is not None and needs_hike:
                hiked = hikes.get(s.trail.id)
                if hiked is None or hiked >= s.date:
                    when = f"before its hike on {hiked}" if hiked else "with no hike before it"
                    out.append(
                        rules.rule(
                            "R9",
                            f"{s.date}: {s.trail.name} is run {when}; hike a technical trail "
                            "once before you run it.",
                        )
                    )
    return tuple(out)


def new_breaks(before: Plan, after: Plan) -> tuple[Reason, ...]:
    """The breaks of `after` that `before` did not have."""
    old = set(rule_breaks(before))
    return tuple(r for r in rule_breaks(after) if r not in old)
