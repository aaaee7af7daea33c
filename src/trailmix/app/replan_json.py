"""A re-plan's judgement as JSON (docs/web.md, `GET /api/v1/plans/current/assessment`), also
what the web log page's card shows, so the two cannot drift."""

from __future__ import annotations

from typing import Any

from trailmix.domain.plan.replan import Judgement
from trailmix.domain.units import format_duration

HEADLINES = {
    "no log": "No runs in your log yet",
    "on track": "On track",
    "ahead": "Ahead of the plan",
    "behind": "Behind the plan",
}


def headline(j: Judgement) -> str:
    gap = j.assessment.gap
    if j.assessment.status == "break" and gap is not None:
        return f"Back from a break of {gap.days} days"
    return HEADLINES.get(j.assessment.status, j.assessment.status)


def _r(x: float | None, nd: int = 1) -> float | None:
    return None if x is None else round(x, nd)


def judgement_json(j: Judgement) -> dict[str, Any]:
    a = j.assessment
    gap, short = a.gap, a.short_miss
    goal, load = j.goal, j.load
    return {
        "date": j.today.isoformat(),
        "status": a.status,
        "headline": headline(j),
        "window": {"from": a.window[0].isoformat(), "to": a.window[1].isoformat()}
        if a.window
        else None,
        "logged_min": round(a.logged_min, 1),
        "planned_min": round(a.planned_min, 1),
        "ratio": _r(a.ratio, 3),
        "runs": a.runs,
        "break": None
        if gap is None
        else {
            "first": gap.first.isoformat(),
            "last": gap.last.isoformat(),
            "days": gap.days,
            "missed_runs": gap.missed,
            "return_share": _r(j.return_share, 3),
            "rebuild_weeks": j.rebuild_weeks,
            "easy_until": j.easy_until.isoformat() if j.easy_until else None,
        },
        "short_gap": None
        if short is None
        else {
            "first": short.first.isoformat(),
            "last": short.last.isoformat(),
            "days": short.days,
            "missed_runs": short.missed,
        },
        "weeks": [
            {
                "week": w.index,
                "start": w.start.isoformat(),
                "phase": w.phase.value,
                "planned_min": round(w.planned_min, 1),
                "replanned_min": round(w.replanned_min, 1),
                "changed_sessions": w.changed,
            }
            for w in j.weeks
        ],
        "changed_sessions": j.changed,
        "goal": None
        if goal is None
        else {
            "planned_long_km": round(goal.planned_long_km, 1),
            "left_long_km": round(goal.left_long_km, 1),
            "plan_vdot": round(goal.plan_vdot, 1),
            "vdot": round(goal.vdot, 1),
            "goal_time": format_duration(goal.goal_time_s),
            "goal_time_s": round(goal.goal_time_s),
            "later_race_from": goal.later_from.isoformat(),
            "shorter_distance": goal.shorter.value if goal.shorter else None,
            "shorter_time": format_duration(goal.shorter_time_s)
            if goal.shorter_time_s is not None
            else None,
            "choices": [
                {"kind": kind, "text": text}
                for kind, text in zip(
                    ("revised goal", "later race", "shorter race"), goal.choices, strict=False
                )
            ],
            "source": goal.message.rule,
        },
        "load": None
        if load is None
        else {
            "monotony": round(load.monotony, 2),
            "strain": round(load.strain),
            "acwr": _r(load.acwr, 2),
            "flags": list(load.flags),
            "source": load.message.rule,
        },
        "messages": [{"rule": m.rule, "text": m.text} for m in j.messages],
    }
