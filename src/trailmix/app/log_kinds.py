"""The import's side of what a logged activity was (issue 13): hikes and walks logged as such
(and a technical trail they were on marked hiked, R9), and runs without a GPS track (a treadmill
or manual run from a Strava export) logged from the export's time and distance.

`app.log` calls these from its import; the decisions are `domain.log.kinds`', the numbers come
from `formats.archive` (activities.csv rows, FIT session totals).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from trailmix.app.log import local_day
from trailmix.app.zones import run_zone
from trailmix.domain.log.activity import ActivitySummary, Fingerprint
from trailmix.domain.log.kinds import (
    ActivityKind,
    KindDecision,
    UntrackedActivity,
    decide_kind,
    hiked_reason,
    is_treadmill,
    untracked,
)
from trailmix.domain.trail.model import TrailCategory
from trailmix.formats.archive import ArchiveEntry, fit_totals, sniff_activity_type
from trailmix.storage.db import Database
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import Activities, ActivityRecord, Trails


def kind_of(
    db: Database, entry: ArchiveEntry, summary: ActivitySummary, trail_id: int | None
) -> tuple[KindDecision, int | None]:
    """The kind of an imported activity with a track (`domain.log.kinds.decide_kind`): the
    export's type, else the one the file states, else its speeds; and the id of the
    technical trail it hiked that is not marked hiked yet (None: nothing to mark)."""
    activity_type = entry.meta.activity_type or sniff_activity_type(entry.data)
    category: TrailCategory | None = None
    name: str | None = None
    hiked = True
    if trail_id is not None:
        rec = Trails(db).get(str(trail_id))
        category = TrailCategory(rec.category)
        name, hiked = rec.name, rec.hiked
    speed = (
        summary.moving_distance_m / summary.moving_s
        if summary.moving_s and summary.moving_distance_m
        else None
    )
    decision = decide_kind(activity_type, speed, summary.walk_share, category, name)
    marks = (
        trail_id
        if decision.kind is not ActivityKind.RUN
        and category is TrailCategory.TECHNICAL
        and not hiked
        else None
    )
    return decision, marks


def mark_hiked(db: Database, rec: ActivityRecord, trail_id: int) -> str:
    """R9: the technical trail `rec` hiked is marked hiked, as `trailmix trails hiked` does;
    the sentence saying which hike is kept with the hike (its summary's notes) and returned."""
    trails = Trails(db)
    trail = trails.set_hiked(trail_id, True)
    reason = hiked_reason(local_day(rec), rec.id, rec.name, trail.name)
    Activities(db).update(rec.id, summary=replace(rec.summary, notes=(*rec.summary.notes, reason)))
    return reason


def manual_sha(entry: ArchiveEntry) -> str:
    """A manual entry's identity in the log (its row has no file): the export's activity id
    with its start, time and distance, so importing the export again finds it stored."""
    m = entry.meta
    key = "|".join(
        str(x)
        for x in (
            "strava-manual",
            m.activity_id,
            m.start_utc.isoformat() if m.start_utc else None,
            m.elapsed_s,
            m.moving_s,
            m.distance_m,
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class _Untracked:
    activity: UntrackedActivity
    start_utc: datetime
    avg_hr: float | None = None
    max_hr: float | None = None


def untracked_of(entry: ArchiveEntry) -> _Untracked | None:
    """A manual entry, or a FIT file without positions (a treadmill), as it is logged, with
    the columns the file gives (start, heart rate); None when it cannot be (no time, or not
    a FIT file with a session)."""
    m = entry.meta
    if entry.manual:
        found = untracked(m.activity_type, m.elapsed_s, m.moving_s, m.distance_m, None, m.trainer)
        if found is None or m.start_utc is None:
            return None
        return _Untracked(found, m.start_utc)
    totals = fit_totals(entry.data)
    if totals is None or totals.start_utc is None or totals.has_positions:
        return None  # not a FIT file, or one with a track that cannot be read: its problem
    kind_type = m.activity_type or totals.sport
    found = untracked(
        kind_type,
        totals.elapsed_s,
        totals.timer_s,
        totals.distance_m,
        totals.sub_sport,
        m.trainer or is_treadmill(totals.sport, totals.sub_sport),
    )
    if found is None:
        return None
    return _Untracked(found, totals.start_utc, totals.avg_hr, totals.max_hr)


def store_untracked(
    log: Activities, entry: ArchiveEntry, sha: str, zone_name: str = "UTC"
) -> ActivityRecord | str | None:
    """Store a run without a track (one transaction). The record; or a sentence when it is a
    duplicate of a stored run (same start within 60 s and distance within 2 %); or None when
    it cannot be logged (no time to count). Its day is counted in the runner's zone
    `zone_name` (no position to take one from; docs/log.md, "Local days")."""
    found = untracked_of(entry)
    if found is None:
        return None
    act, start = found.activity, found.start_utc
    distance = act.distance_m or 0.0
    if distance > 0:
        mine = Fingerprint(start.timestamp(), distance)
        for other in log.starts_near(start):
            if mine.same_run(Fingerprint(other.start_utc.timestamp(), other.distance_km * 1000)):
                return (
                    f"the same run as #{other.id} ({other.file_name or 'no file'}) from "
                    "another source"
                )
    pace = act.moving_s / (distance / 1000) if distance > 0 else None
    summary = RunSummaryRecord(
        moving_distance_m=distance or None,
        avg_pace_s_per_km=round(pace, 1) if pace else None,
        surface_reason=act.surface_reason,
        notes=(act.note, act.kind_reason),
    )
    m = entry.meta
    zone = run_zone(start, file_offset_s=None, lat=None, lon=None, athlete_zone_name=zone_name)
    return log.add(
        file_sha256=sha,
        start_utc=start,
        elapsed_s=act.elapsed_s,
        moving_s=act.moving_s,
        distance_km=distance / 1000,
        gain_m=None,
        loss_m=None,
        avg_hr=found.avg_hr,
        max_hr=found.max_hr,
        surface=act.surface,
        surface_source=act.surface_source,
        surface_confidence=1.0 if act.surface_source in ("tag", "treadmill") else 0.5,
        trail_id=None,
        rpe=None,
        rpe_estimated=False,
        name=m.name or (Path(entry.name).stem if not entry.manual else None),
        activity_type=m.activity_type,
        gear=m.gear,
        source="strava" if m.activity_id else "file",
        file_name=None if entry.manual else Path(entry.name).name,
        file_bytes=None if entry.manual else entry.data,
        summary=summary,
        kind=act.kind.value,
        has_track=False,
        utc_offset_min=zone.utc_offset_min,
        timezone=zone.name,
        timezone_source=zone.source,
    )
