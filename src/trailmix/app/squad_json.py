"""Coach mode's JSON shapes (docs/web.md "Coach mode"), shared by `trailmix coach ... --format
json` and the HTTP API under /api/v1/coach so the two cannot drift."""

from __future__ import annotations

from typing import Any

from trailmix.app.squad import SquadRow
from trailmix.storage.squads import ChangeRecord, LinkRecord, NoteRecord, UserRecord


def user_json(u: UserRecord) -> dict[str, Any]:
    return {"id": u.id, "login": u.login, "name": u.display_name, "role": u.role}


def squad_row_json(r: SquadRow) -> dict[str, Any]:
    w = r.week
    p = r.plan
    return {
        "runner": user_json(r.runner),
        "plan": None
        if p is None
        else {
            "distance": p.race.distance.value,
            "race_date": p.race.date.isoformat(),
            "start": p.start.isoformat(),
            "trail_preference": p.trail_preference.value,
            "trail_cap": round(p.trail_cap, 4),
        },
        "week": {
            "start": w.week_start.isoformat() if w.week_start else None,
            "planned_min": w.planned_min,
            "done_min": w.done_min,
            "planned_trail_min": w.planned_trail_min,
            "trail_min": w.trail_min,
            "trail_share": w.trail_share,
            "trail_cap": w.trail_cap,
            "over_cap": w.over_cap,
        },
        "r4": {
            "state": w.r4.value,
            "weeks_since_first": w.trail_weeks,
            "weeks_with_trail": w.weeks_with_trail,
        },
        "missed_trail_weeks": list(w.missed_trail_weeks),
        "load": {
            "week_load": w.load,
            "monotony": w.monotony,
            "monotony_high": w.monotony_high,
            "acwr": w.acwr,
            "acwr_flag": w.acwr_flag,
        },
        "flags": list(w.flags),
    }


def link_json(link: LinkRecord) -> dict[str, Any]:
    return {
        "coach": user_json(link.coach),
        "runner": user_json(link.runner),
        "status": link.status,
        "invited_by": link.invited_by,
        "created_at": link.created_at.isoformat(),
        "accepted_at": link.accepted_at.isoformat() if link.accepted_at else None,
    }


def note_json(n: NoteRecord) -> dict[str, Any]:
    return {
        "id": n.id,
        "runner_id": n.user_id,
        "date": n.day.isoformat(),
        "slot": n.slot,
        "author": user_json(n.author),
        "text": n.text,
        "created_at": n.created_at.isoformat(),
    }


def change_json(c: ChangeRecord) -> dict[str, Any]:
    return {
        "id": c.id,
        "runner_id": c.user_id,
        "author": user_json(c.author),
        "at": c.at.isoformat(),
        "what": c.what,
        "why": c.why,
    }
