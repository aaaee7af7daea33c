"""The training log's JSON shapes (docs/log.md), shared by `trailmix log --format json` and the
HTTP API so the two cannot drift."""

from __future__ import annotations

from typing import Any

from trailmix.app import log as tlog
from trailmix.domain.log.adherence import Adherence
from trailmix.storage.records import ActivityRecord


def record_json(r: ActivityRecord) -> dict[str, Any]:
    s = r.summary
    return {
        "id": r.id,
        "date": tlog.local_day(r).isoformat(),
        "start_utc": r.start_utc.isoformat(),
        "utc_offset_min": r.utc_offset_min,
        "timezone": r.timezone,
        "timezone_source": r.timezone_source,
        "name": r.name,
        "activity_type": r.activity_type,
        "gear": r.gear,
        "shoe_id": r.shoe_id,
        "elapsed_min": round(r.elapsed_s / 60, 1),
        "moving_min": round(r.moving_s / 60, 1),
        "distance_km": round(r.distance_km, 3),
        "gain_m": r.gain_m,
        "loss_m": r.loss_m,
        "avg_pace_s_per_km": s.avg_pace_s_per_km,
        "gap_s_per_km": s.gap_s_per_km,
        "avg_hr": r.avg_hr,
        "max_hr": r.max_hr,
        "hr_zone_s": list(s.hr_zone_s) if s.hr_zone_s is not None else None,
        "surface": r.surface,
        "surface_source": r.surface_source,
        "surface_confidence": round(r.surface_confidence, 2),
        "surface_reason": s.surface_reason,
        "trail_id": r.trail_id,
        "rpe": r.rpe,
        "rpe_estimated": r.rpe_estimated,
        "load": round(tlog.load_of(r), 1),
        "trimp": s.trimp,
        "source": r.source,
        "file_name": r.file_name,
        "kind": r.kind,
        "has_track": r.has_track,
        "notes": list(s.notes),
    }


def adherence_json(a: Adherence, index: int) -> dict[str, Any]:
    w = a.weeks[index]
    return {
        "week": w.week.index,
        "start": w.week.start.isoformat(),
        "phase": w.week.phase.value,
        "sessions": [
            {
                "date": m.session.date.isoformat(),
                "kind": m.session.kind.value,
                "surface": m.session.surface.value,
                "title": m.session.title,
                "planned_min": m.session.duration_min,
                "status": m.status.value,
                "run_id": m.run.id if m.run else None,
                "run_min": round(m.run.minutes, 1) if m.run else None,
                "reason": {"rule": m.reason.rule, "text": m.reason.text},
            }
            for m in w.matches
        ],
        "extra_runs": [{"id": r.id, "date": r.day.isoformat()} for r in w.extra_runs],
        "planned_road_min": round(w.planned_road_min, 1),
        "planned_trail_min": round(w.planned_trail_min, 1),
        "road_min": round(w.road_min, 1),
        "trail_min": round(w.trail_min, 1),
        "trail_share": round(w.trail_share, 3),
        "target_share": round(w.target_share, 3),
        "trail_cap": w.trail_cap,
        "over_cap": w.over_cap,
        "trail_run_kept": w.trail_run_kept,
        "reasons": [{"rule": r.rule, "text": r.text} for r in w.reasons],
        "trail_weeks": {
            "first_trail": a.trail_weeks.first_trail.isoformat()
            if a.trail_weeks.first_trail
            else None,
            "weeks_since_first": round(a.trail_weeks.weeks_since_first, 1),
            "weeks_with_trail": a.trail_weeks.weeks_with_trail,
            "benefits_from": a.trail_weeks.benefits_from.isoformat()
            if a.trail_weeks.benefits_from
            else None,
            "in_time_for_race": a.trail_weeks.in_time_for_race,
            "reason": {"rule": a.trail_weeks.reason.rule, "text": a.trail_weeks.reason.text},
        },
    }


def stats_json(st: tlog.Stats) -> dict[str, Any]:
    """`trailmix log stats --format json`."""
    return {
        "first": st.first.isoformat(),
        "last": st.last.isoformat(),
        "weeks": [
            {
                "start": w.start.isoformat(),
                "road_min": round(road, 1),
                "trail_min": round(trail, 1),
                "trail_share": round(trail / (road + trail), 3) if road + trail else 0.0,
                "load": round(w.load, 1),
                "monotony": round(w.monotony, 2),
                "strain": round(w.strain, 1),
                "monotony_high": w.monotony_high,
            }
            for w, road, trail in zip(st.weeks, st.road_min, st.trail_min, strict=True)
        ],
        "acwr": [
            {
                "date": p.day.isoformat(),
                "acute": round(p.acute, 1),
                "chronic": round(p.chronic, 1),
                "ratio": None if p.ratio is None else round(p.ratio, 2),
            }
            for p in st.acwr
        ],
        "acwr_caveat": st.caveat,
        "runs_without_rpe": st.runs_without_rpe,
        "trail_cap": round(st.trail_cap, 4),
    }
