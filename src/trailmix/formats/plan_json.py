"""The plan's JSON contract (docs/plan-json.md) and its CSV flattening.

`plan_to_dict` and `plan_from_dict` round-trip a Plan exactly; storage keeps plans in this form,
so other programs, exports and the web app all read the same thing.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from trailmix.domain.types import (
    AdaptationWindow,
    Athlete,
    Benefit,
    Intensity,
    Kind,
    Paces,
    Phase,
    Plan,
    Race,
    RaceDistance,
    RaceResult,
    Reason,
    Session,
    Sex,
    Shoe,
    Step,
    StepType,
    Surface,
    Target,
    TrailPreference,
    TrailRef,
    TrailShoe,
    Week,
    Weekday,
)

SCHEMA_ID = "trailmix.plan/1"

Json = dict[str, Any]


def _pair(value: tuple[float, float] | tuple[int, int] | None) -> list[float] | None:
    return [value[0], value[1]] if value is not None else None


def reason_to_dict(r: Reason) -> Json:
    return {"rule": r.rule, "text": r.text}


def step_to_dict(s: Step) -> Json:
    return {
        "type": s.type.value,
        "duration_min": s.target.duration_min,
        "distance_km": s.target.distance_km,
        "effort_rpe": _pair(s.target.rpe),
        "pace_s_per_km": _pair(s.target.pace_s_per_km),
        "hr_bpm": _pair(s.target.hr_bpm),
        "note": s.note,
        "repeat": s.repeat,
        "steps": [step_to_dict(c) for c in s.steps],
    }


def session_to_dict(s: Session) -> Json:
    return {
        "date": s.date.isoformat(),
        "kind": s.kind.value,
        "title": s.title,
        "surface": s.surface.value,
        "duration_min": s.target.duration_min,
        "distance_km": s.target.distance_km,
        "effort_rpe": _pair(s.target.rpe),
        "pace_s_per_km": _pair(s.target.pace_s_per_km),
        "hr_bpm": _pair(s.target.hr_bpm),
        "intensity": s.intensity.value,
        "race_specific": s.race_specific,
        "steps": [step_to_dict(st) for st in s.steps],
        "trail": {"id": s.trail.id, "name": s.trail.name} if s.trail else None,
        "trail_hint": s.trail_hint,
        "shoe": s.shoe.value if s.shoe else None,
        "benefits": [b.value for b in s.benefits],
        "reasons": [reason_to_dict(r) for r in s.reasons],
    }


def week_to_dict(w: Week) -> Json:
    summary = w.summary
    return {
        "index": w.index,
        "start": w.start.isoformat(),
        "phase": w.phase.value,
        "cutback": w.cutback,
        "sessions": [session_to_dict(s) for s in w.sessions],
        "summary": {
            "total_min": summary.total_min,
            "road_min": summary.road_min,
            "trail_min": summary.trail_min,
            "trail_share": summary.trail_share,
            "trail_cap": w.trail_cap,
            "benefits": [b.value for b in summary.benefits],
        },
    }


def athlete_to_dict(a: Athlete) -> Json:
    return {
        "name": a.name,
        "age": a.age,
        "sex": a.sex.value if a.sex else None,
        "hr_max": a.hr_max,
        "hr_rest": a.hr_rest,
        "recent_race": (
            {
                "distance_km": a.recent_race.distance_km,
                "time_s": a.recent_race.time_s,
                "label": a.recent_race.label,
            }
            if a.recent_race
            else None
        ),
        "weekly_km": a.weekly_km,
        "weekly_min": a.weekly_min,
        "days_per_week": a.days_per_week,
        "long_run_day": a.long_run_day.label,
        "run_days": [d.label for d in a.run_days] if a.run_days else None,
        "trail_preference": a.trail_preference.value,
        "trail_cap": a.trail_cap,
        "trail_shoe": a.trail_shoe.value,
        # Only when set: a profile without a zone has the same document as before.
        **({"timezone": a.timezone} if a.timezone else {}),
    }


def athlete_from_dict(d: Json) -> Athlete:
    rr = d.get("recent_race")
    return Athlete(
        name=d.get("name") or "runner",
        age=d.get("age"),
        sex=Sex(d["sex"]) if d.get("sex") else None,
        hr_max=d.get("hr_max"),
        hr_rest=d.get("hr_rest"),
        recent_race=RaceResult(rr["distance_km"], rr["time_s"], rr.get("label", ""))
        if rr
        else None,
        weekly_km=d.get("weekly_km"),
        weekly_min=d.get("weekly_min"),
        days_per_week=d.get("days_per_week", 5),
        long_run_day=Weekday.parse(d.get("long_run_day", "sun")),
        run_days=tuple(Weekday.parse(x) for x in d["run_days"]) if d.get("run_days") else None,
        trail_preference=TrailPreference(d.get("trail_preference", "enjoy")),
        trail_cap=d.get("trail_cap"),
        trail_shoe=TrailShoe(d.get("trail_shoe", "yes")),
        timezone=d.get("timezone") or None,
    )


def plan_to_dict(plan: Plan) -> Json:
    p = plan.paces
    return {
        "schema": SCHEMA_ID,
        "source": plan.source,
        "race": {
            "distance": plan.race.distance.value,
            "distance_km": plan.race.distance.km,
            "date": plan.race.date.isoformat(),
            "name": plan.race.name,
            "goal_time_s": plan.race.goal_time_s,
        },
        "athlete": athlete_to_dict(plan.athlete),
        "start": plan.start.isoformat(),
        "trail_preference": plan.trail_preference.value,
        "trail_cap": round(plan.trail_cap, 4),
        "paces": (
            {
                "vdot": p.vdot,
                "easy": _pair(p.easy),
                "recovery": _pair(p.recovery),
                "marathon": _pair(p.marathon),
                "threshold": _pair(p.threshold),
                "interval": _pair(p.interval),
                "repetition": _pair(p.repetition),
            }
            if p
            else None
        ),
        "hr_method": plan.hr_method,
        "adaptation": (
            {
                "first_trail": plan.adaptation.first_trail.isoformat(),
                "benefits_from": plan.adaptation.benefits_from.isoformat(),
                "benefits_full": plan.adaptation.benefits_full.isoformat(),
                "fits": plan.adaptation.fits,
            }
            if plan.adaptation
            else None
        ),
        "warnings": [reason_to_dict(r) for r in plan.warnings],
        "notes": [reason_to_dict(r) for r in plan.notes],
        "weeks": [week_to_dict(w) for w in plan.weeks],
    }


def _range(v: list[float] | None) -> tuple[float, float] | None:
    return (float(v[0]), float(v[1])) if v else None


def _irange(v: list[int] | None) -> tuple[int, int] | None:
    return (int(v[0]), int(v[1])) if v else None


def _target(d: Json) -> Target:
    return Target(
        duration_min=d.get("duration_min"),
        distance_km=d.get("distance_km"),
        pace_s_per_km=_range(d.get("pace_s_per_km")),
        rpe=_irange(d.get("effort_rpe")) or (1, 10),
        hr_bpm=_irange(d.get("hr_bpm")),
    )


def step_from_dict(d: Json) -> Step:
    return Step(
        type=StepType(d["type"]),
        target=_target(d),
        note=d.get("note", ""),
        repeat=d.get("repeat", 1),
        steps=tuple(step_from_dict(c) for c in d.get("steps", [])),
    )


def session_from_dict(d: Json) -> Session:
    trail = d.get("trail")
    return Session(
        date=date.fromisoformat(d["date"]),
        kind=Kind(d["kind"]),
        title=d.get("title", ""),
        target=_target(d),
        intensity=Intensity(d.get("intensity", "E")),
        surface=Surface(d["surface"]),
        steps=tuple(step_from_dict(s) for s in d.get("steps", [])),
        reasons=tuple(Reason(r["rule"], r["text"]) for r in d.get("reasons", [])),
        race_specific=bool(d.get("race_specific", False)),
        trail=TrailRef(trail["id"], trail["name"]) if trail else None,
        trail_hint=d.get("trail_hint"),
        shoe=Shoe(d["shoe"]) if d.get("shoe") else None,
        benefits=tuple(Benefit(b) for b in d.get("benefits", [])),
    )


def plan_from_dict(d: Json) -> Plan:
    p = d.get("paces")
    a = d.get("adaptation")
    race = d["race"]
    return Plan(
        race=Race(
            distance=RaceDistance(race["distance"]),
            date=date.fromisoformat(race["date"]),
            name=race.get("name", ""),
            goal_time_s=race.get("goal_time_s"),
        ),
        athlete=athlete_from_dict(d["athlete"]),
        start=date.fromisoformat(d["start"]),
        weeks=tuple(
            Week(
                index=w["index"],
                start=date.fromisoformat(w["start"]),
                phase=Phase(w["phase"]),
                sessions=tuple(session_from_dict(s) for s in w["sessions"]),
                cutback=w.get("cutback", False),
                trail_cap=w["summary"].get("trail_cap", 0.0),
            )
            for w in d["weeks"]
        ),
        paces=(
            Paces(
                vdot=p["vdot"],
                easy=_range(p["easy"]) or (0.0, 0.0),
                recovery=_range(p["recovery"]) or (0.0, 0.0),
                marathon=_range(p["marathon"]) or (0.0, 0.0),
                threshold=_range(p["threshold"]) or (0.0, 0.0),
                interval=_range(p["interval"]) or (0.0, 0.0),
                repetition=_range(p["repetition"]) or (0.0, 0.0),
            )
            if p
            else None
        ),
        hr_method=d.get("hr_method"),
        warnings=tuple(Reason(r["rule"], r["text"]) for r in d.get("warnings", [])),
        trail_preference=TrailPreference(d.get("trail_preference", "off")),
        trail_cap=d.get("trail_cap", 0.0),
        adaptation=(
            AdaptationWindow(
                first_trail=date.fromisoformat(a["first_trail"]),
                benefits_from=date.fromisoformat(a["benefits_from"]),
                benefits_full=date.fromisoformat(a["benefits_full"]),
                fits=a["fits"],
            )
            if a
            else None
        ),
        source=d.get("source", "generated"),
        notes=tuple(Reason(r["rule"], r["text"]) for r in d.get("notes", [])),
    )


def plan_to_json(plan: Plan, indent: int | None = 2) -> str:
    return json.dumps(plan_to_dict(plan), indent=indent, ensure_ascii=False)


CSV_FIELDS = (
    "week",
    "phase",
    "date",
    "weekday",
    "kind",
    "surface",
    "title",
    "duration_min",
    "distance_km",
    "rpe_low",
    "rpe_high",
    "pace_fast_s_per_km",
    "pace_slow_s_per_km",
    "hr_low",
    "hr_high",
    "trail",
    "shoe",
    "reasons",
    "benefits",
)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cells a spreadsheet would run as a formula (OWASP, "CSV Injection")."""


def csv_cell(value: object) -> object:
    """A text cell made inert for spreadsheets: one starting with = + - @ (or a tab or CR)
    gets a leading apostrophe, as OWASP recommends, so a title `=cmd|' /C calc'!A0` is shown,
    not run. Numbers are left as they are (a negative number is no formula)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def plan_to_csv(plan: Plan) -> str:
    """One row per session; reasons joined as 'R3: ...; Daniels: ...'. Text cells are made
    inert for spreadsheets (`csv_cell`)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for w in plan.weeks:
        for s in w.sessions:
            t = s.target
            writer.writerow(
                map(
                    csv_cell,
                    [
                        w.index,
                        w.phase.value,
                        s.date.isoformat(),
                        Weekday(s.date.weekday()).label,
                        s.kind.value,
                        s.surface.value,
                        s.title,
                        t.duration_min,
                        t.distance_km if t.distance_km is not None else "",
                        t.rpe[0],
                        t.rpe[1],
                        t.pace_s_per_km[0] if t.pace_s_per_km else "",
                        t.pace_s_per_km[1] if t.pace_s_per_km else "",
                        t.hr_bpm[0] if t.hr_bpm else "",
                        t.hr_bpm[1] if t.hr_bpm else "",
                        _trail_cell(s),
                        s.shoe.value if s.shoe else "",
                        "; ".join(f"{r.rule}: {r.text}" for r in s.reasons),
                        "; ".join(b.value for b in s.benefits),
                    ],
                )
            )
    return buf.getvalue()


def _trail_cell(s: Session) -> str:
    if s.trail:
        return s.trail.name
    return s.trail_hint or "" if s.surface is Surface.TRAIL else ""
