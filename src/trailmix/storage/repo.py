"""Repositories: read and write domain objects; the only place that knows the tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.domain.types import Athlete, Plan
from trailmix.errors import InputError, NotFoundError
from trailmix.formats.plan_json import (
    athlete_from_dict,
    athlete_to_dict,
    plan_from_dict,
    plan_to_dict,
)
from trailmix.storage.db import Database
from trailmix.storage.models import (
    ActivityRow,
    AthleteRow,
    CalendarEventRow,
    PlanRow,
    TrailRow,
)
from trailmix.storage.records import RunSummaryRecord, TrailAnalysisRecord


class Athletes:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, athlete: Athlete) -> int:
        with self.db.transaction() as s:
            row = s.scalar(select(AthleteRow).where(AthleteRow.name == athlete.name))
            if row is None:
                row = AthleteRow(name=athlete.name, profile=athlete_to_dict(athlete))
                s.add(row)
            else:
                row.profile = athlete_to_dict(athlete)
            s.flush()
            return row.id

    def get(self, name: str | None = None) -> Athlete | None:
        """The named athlete, or the most recently updated one."""
        with self.db.transaction() as s:
            q = select(AthleteRow)
            q = (
                q.where(AthleteRow.name == name)
                if name
                else q.order_by(AthleteRow.updated_at.desc())
            )
            row = s.scalars(q).first()
            return athlete_from_dict(row.profile) if row else None


class Plans:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, plan: Plan) -> int:
        """Store a plan as the current one (the previous current plan is kept, not current)."""
        doc = json.dumps(plan_to_dict(plan), ensure_ascii=False)
        with self.db.transaction() as s:
            athlete = s.scalar(select(AthleteRow).where(AthleteRow.name == plan.athlete.name))
            s.execute(update(PlanRow).where(PlanRow.current.is_(True)).values(current=False))
            row = PlanRow(
                athlete_id=athlete.id if athlete else None,
                race_date=plan.race.date,
                distance=plan.race.distance.value,
                trail_preference=plan.trail_preference.value,
                current=True,
                document=doc,
            )
            s.add(row)
            s.flush()
            return row.id

    def current(self) -> Plan:
        """The current plan. A stored plan never changes (an update is a new row), so the
        parsed plan is kept per row id on the Database: a long-running process (the web app)
        reads only the id after the first time."""
        with self.db.transaction() as s:
            row_id = s.scalar(select(PlanRow.id).where(PlanRow.current.is_(True)))
            if row_id is None:
                raise NotFoundError(
                    "no plan is stored yet; make one with 'trailmix plan --distance ... "
                    "--race-date ...' (or try 'trailmix demo')."
                )
            cached = self.db.parsed_plans.get(row_id)
            if cached is not None:
                return cached
            doc = s.scalar(select(PlanRow.document).where(PlanRow.id == row_id))
            assert doc is not None
            plan = plan_from_dict(json.loads(doc))
            self.db.parsed_plans = {row_id: plan}
            return plan


@dataclass(frozen=True)
class TrailRecord:
    """A stored trail: what the runner declared and corrected, and the analysis."""

    id: int
    name: str
    category: str
    category_source: str
    length_km: float
    gain_m: float
    loss_m: float
    hiked: bool
    declared_surface: str | None
    declared_technical: str | None
    analysis: TrailAnalysisRecord
    file_name: str | None


def _record(row: TrailRow) -> TrailRecord:
    return TrailRecord(
        id=row.id,
        name=row.name,
        category=row.category,
        category_source=row.category_source,
        length_km=row.length_km,
        gain_m=row.gain_m,
        loss_m=row.loss_m,
        hiked=row.hiked,
        declared_surface=row.declared_surface,
        declared_technical=row.declared_technical,
        analysis=TrailAnalysisRecord.from_json(row.analysis or {}),
        file_name=row.file_name,
    )


class Trails:
    """The runner's trail library."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def to_domain(rec: TrailRecord) -> Trail:
        hills = tuple(
            Hill(
                start_km=h.start_km,
                length_m=h.length_m,
                gain_m=h.gain_m,
                avg_grade=h.avg_grade,
                max_grade=h.max_grade,
                suits_repeats=h.suits_repeats,
                suits_sprints=h.suits_sprints,
            )
            for h in rec.analysis.hills
        )
        return Trail(
            id=rec.id,
            name=rec.name,
            category=TrailCategory(rec.category),
            length_km=rec.length_km,
            gain_m=rec.gain_m,
            loss_m=rec.loss_m,
            hills=hills,
            hiked=rec.hiked,
        )

    def add(
        self,
        *,
        name: str,
        category: str,
        length_km: float,
        gain_m: float,
        loss_m: float,
        declared_surface: str | None,
        declared_technical: str | None,
        analysis: TrailAnalysisRecord,
        file_name: str | None,
        file_bytes: bytes | None,
    ) -> TrailRecord:
        with self.db.transaction() as s:
            if s.scalar(select(TrailRow.id).where(TrailRow.name == name)) is not None:
                raise InputError(
                    f"a trail named {name!r} is already stored (see 'trailmix trails list'); "
                    "give this one another name with --name.",
                    "--name",
                )
            row = TrailRow(
                name=name,
                category=category,
                category_source="analysis",
                length_km=length_km,
                gain_m=gain_m,
                loss_m=loss_m,
                hiked=False,
                declared_surface=declared_surface,
                declared_technical=declared_technical,
                analysis=analysis.to_json(),
                file_name=file_name,
                file_bytes=file_bytes,
            )
            s.add(row)
            s.flush()
            return _record(row)

    def records(self) -> list[TrailRecord]:
        with self.db.transaction() as s:
            return [_record(r) for r in s.scalars(select(TrailRow).order_by(TrailRow.id))]

    def all(self) -> tuple[Trail, ...]:
        return tuple(self.to_domain(r) for r in self.records())

    def get(self, key: str) -> TrailRecord:
        """A trail by id or by name (case-insensitive)."""
        with self.db.transaction() as s:
            row = None
            if key.strip().isdigit():
                row = s.get(TrailRow, int(key))
            if row is None:
                row = s.scalars(
                    select(TrailRow).where(func.lower(TrailRow.name) == key.strip().lower())
                ).first()
            if row is None:
                names = ", ".join(s.scalars(select(TrailRow.name).order_by(TrailRow.id))) or (
                    "none yet"
                )
                raise NotFoundError(
                    f"no trail {key!r}; stored trails: {names} (add one with 'trailmix trails "
                    "add FILE')."
                )
            return _record(row)

    def file_bytes(self, trail_id: int) -> bytes | None:
        with self.db.transaction() as s:
            return s.scalar(select(TrailRow.file_bytes).where(TrailRow.id == trail_id))

    def _update(self, trail_id: int, **values: Any) -> TrailRecord:
        with self.db.transaction() as s:
            row = s.get(TrailRow, trail_id)
            if row is None:
                raise NotFoundError(f"no trail with id {trail_id}.")
            for k, v in values.items():
                setattr(row, k, v)
            s.flush()
            return _record(row)

    def set_hiked(self, trail_id: int, hiked: bool = True) -> TrailRecord:
        return self._update(trail_id, hiked=hiked)

    def correct(
        self,
        trail_id: int,
        *,
        category: str | None = None,
        name: str | None = None,
        surface: str | None = None,
    ) -> TrailRecord:
        """The runner's corrections; a corrected category is kept through re-analysis."""
        values: dict[str, Any] = {}
        if category is not None:
            values.update(category=category, category_source="runner")
        if name is not None:
            values["name"] = name
        if surface is not None:
            values["declared_surface"] = surface
        return self._update(trail_id, **values)

    def update_analysis(
        self,
        trail_id: int,
        *,
        category: str,
        length_km: float,
        gain_m: float,
        loss_m: float,
        analysis: TrailAnalysisRecord,
    ) -> TrailRecord:
        return self._update(
            trail_id,
            category=category,
            length_km=length_km,
            gain_m=gain_m,
            loss_m=loss_m,
            analysis=analysis.to_json(),
        )

    def by_ids(self, ids: list[int]) -> tuple[Trail, ...]:
        trails = {t.id: t for t in self.all()}
        missing = [i for i in ids if i not in trails]
        if missing:
            known = ", ".join(str(i) for i in sorted(trails)) or "none yet"
            raise NotFoundError(
                f"--trail: no trail with id {', '.join(map(str, missing))} (stored trails: "
                f"{known}; see 'trailmix trails list')."
            )
        return tuple(trails[i] for i in ids)


@dataclass(frozen=True)
class ActivityRecord:
    """A stored run, without its file bytes."""

    id: int
    start_utc: datetime
    elapsed_s: float
    moving_s: float
    distance_km: float
    gain_m: float | None
    loss_m: float | None
    avg_hr: float | None
    max_hr: float | None
    surface: str
    surface_source: str
    surface_confidence: float
    trail_id: int | None
    rpe: float | None
    rpe_estimated: bool
    name: str | None
    activity_type: str | None
    gear: str | None
    source: str
    file_name: str | None
    summary: RunSummaryRecord


def _activity(row: ActivityRow) -> ActivityRecord:
    start = row.start_utc if row.start_utc.tzinfo else row.start_utc.replace(tzinfo=UTC)
    return ActivityRecord(
        id=row.id,
        start_utc=start,
        elapsed_s=row.elapsed_s,
        moving_s=row.moving_s,
        distance_km=row.distance_km,
        gain_m=row.gain_m,
        loss_m=row.loss_m,
        avg_hr=row.avg_hr,
        max_hr=row.max_hr,
        surface=row.surface,
        surface_source=row.surface_source,
        surface_confidence=row.surface_confidence,
        trail_id=row.trail_id,
        rpe=row.rpe,
        rpe_estimated=row.rpe_estimated,
        name=row.name,
        activity_type=row.activity_type,
        gear=row.gear,
        source=row.source,
        file_name=row.file_name,
        summary=RunSummaryRecord.from_json(row.summary or {}),
    )


def _encoded(values: dict[str, Any]) -> dict[str, Any]:
    """Column values with a typed summary turned into its stored JSON."""
    summary = values.get("summary")
    if isinstance(summary, RunSummaryRecord):
        return {**values, "summary": summary.to_json()}
    return values


class Activities:
    """The training log's runs."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def has_file(self, sha256: str) -> bool:
        with self.db.transaction() as s:
            return (
                s.scalar(select(ActivityRow.id).where(ActivityRow.file_sha256 == sha256))
                is not None
            )

    def near(self, start: datetime, seconds: float = 120.0) -> list[ActivityRecord]:
        """Runs that started within `seconds` of `start` (duplicate candidates)."""
        lo, hi = start - timedelta(seconds=seconds), start + timedelta(seconds=seconds)
        with self.db.transaction() as s:
            rows = s.scalars(select(ActivityRow).where(ActivityRow.start_utc.between(lo, hi))).all()
            return [_activity(r) for r in rows]

    def add(self, **values: Any) -> ActivityRecord:
        """Store one run in one transaction: either the whole row or nothing."""
        values = _encoded(values)
        with self.db.transaction() as s:
            row = ActivityRow(**values)
            s.add(row)
            s.flush()
            return _activity(row)

    def between(self, first: date, last: date) -> list[ActivityRecord]:
        """Runs whose start (UTC) falls on the days first..last, oldest first."""
        lo = datetime.combine(first, time.min, tzinfo=UTC)
        hi = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
        with self.db.transaction() as s:
            rows = s.scalars(
                select(ActivityRow)
                .where(ActivityRow.start_utc >= lo, ActivityRow.start_utc < hi)
                .order_by(ActivityRow.start_utc)
            ).all()
            return [_activity(r) for r in rows]

    def all(self) -> list[ActivityRecord]:
        with self.db.transaction() as s:
            rows = s.scalars(select(ActivityRow).order_by(ActivityRow.start_utc)).all()
            return [_activity(r) for r in rows]

    def update(self, activity_id: int, **values: Any) -> ActivityRecord:
        values = _encoded(values)
        with self.db.transaction() as s:
            row = s.get(ActivityRow, activity_id)
            if row is None:
                raise NotFoundError(f"no run with id {activity_id} in the log.")
            for k, v in values.items():
                setattr(row, k, v)
            s.flush()
            return _activity(row)


@dataclass(frozen=True)
class CalendarEventRecord:
    """An event as the last iCalendar export wrote it (see formats.ics_export.EventState)."""

    uid: str
    day: date
    sequence: int
    digest: str
    summary: str
    cancelled: bool


class CalendarEvents:
    """What the runner's calendar was last given, so the next export updates it exactly."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[CalendarEventRecord]:
        with self.db.transaction() as s:
            rows = s.scalars(select(CalendarEventRow).order_by(CalendarEventRow.uid)).all()
            return [
                CalendarEventRecord(r.uid, r.day, r.sequence, r.digest, r.summary, r.cancelled)
                for r in rows
            ]

    def replace_all(self, records: list[CalendarEventRecord]) -> None:
        """The new state, whole (one transaction: never half of the old and half the new)."""
        with self.db.transaction() as s:
            s.execute(delete(CalendarEventRow))
            s.add_all(
                CalendarEventRow(
                    uid=r.uid,
                    day=r.day,
                    sequence=r.sequence,
                    digest=r.digest,
                    summary=r.summary[:300],
                    cancelled=r.cancelled,
                )
                for r in records
            )
