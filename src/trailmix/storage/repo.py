"""Repositories: read and write domain objects; the only place that knows the tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, bindparam, case, cast, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.domain.types import Athlete, Plan
from trailmix.errors import InputError, NotFoundError
from trailmix.formats.plan_json import (
    athlete_from_dict,
    athlete_to_dict,
    plan_from_dict,
    plan_to_dict,
)
from trailmix.storage import filepack
from trailmix.storage.db import Database
from trailmix.storage.models import (
    ActivityFileRow,
    ActivityRow,
    AthleteRow,
    CalendarEventRow,
    PlanRow,
    TrailRow,
)
from trailmix.storage.records import ActivityRecord as ActivityRecord  # the log's records
from trailmix.storage.records import DayTotals as DayTotals
from trailmix.storage.records import RunSession as RunSession
from trailmix.storage.records import RunStart as RunStart
from trailmix.storage.records import RunSummaryRecord, TrailAnalysisRecord, local_start

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

# numpy is imported inside the footprint helpers only: `trailmix plan show` opens the database
# through this module and never touches a footprint, and numpy costs ~0.15 s of CPU to import.


class Athletes:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, athlete: Athlete) -> int:
        with self.db.transaction() as s:
            row = s.scalar(
                select(AthleteRow).where(
                    AthleteRow.user_id == self.db.user_id, AthleteRow.name == athlete.name
                )
            )
            if row is None:
                row = AthleteRow(
                    user_id=self.db.user_id, name=athlete.name, profile=athlete_to_dict(athlete)
                )
                s.add(row)
            else:
                row.profile = athlete_to_dict(athlete)
            s.flush()
            return row.id

    def get(self, name: str | None = None) -> Athlete | None:
        """The named athlete, or the most recently updated one."""
        with self.db.transaction() as s:
            q = select(AthleteRow).where(AthleteRow.user_id == self.db.user_id)
            q = (
                q.where(AthleteRow.name == name)
                if name
                else q.order_by(AthleteRow.updated_at.desc())
            )
            row = s.scalars(q).first()
            return athlete_from_dict(row.profile) if row else None


# How many parsed plans a Database keeps (one per user whose plan was read lately): a trailmix
# default, a few MB at most; beyond it the cache starts again empty.
_PARSED_PLANS_KEPT = 256


class Plans:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, plan: Plan) -> int:
        """Store a plan as the current one (the previous current plan is kept, not current)."""
        doc = json.dumps(plan_to_dict(plan), ensure_ascii=False)
        with self.db.transaction() as s:
            user = self.db.user_id
            athlete = s.scalar(
                select(AthleteRow).where(
                    AthleteRow.user_id == user, AthleteRow.name == plan.athlete.name
                )
            )
            s.execute(
                update(PlanRow)
                .where(PlanRow.user_id == user, PlanRow.current.is_(True))
                .values(current=False)
            )
            row = PlanRow(
                user_id=user,
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
            row_id = s.scalar(
                select(PlanRow.id).where(
                    PlanRow.user_id == self.db.user_id, PlanRow.current.is_(True)
                )
            )
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
            cache = self.db.parsed_plans  # shared by every user's view: changed in place
            if len(cache) >= _PARSED_PLANS_KEPT:
                cache.clear()
            cache[row_id] = plan
            return plan


@dataclass(frozen=True)
class TrailFootprint:
    """A stored trail's line as route matching needs it: latitude / longitude in degrees."""

    id: int
    name: str
    lat: FloatArray
    lon: FloatArray


@dataclass(frozen=True)
class TrailBox:
    """A trail's bounding box, degrees."""

    id: int
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def _footprint_bytes(lat: FloatArray, lon: FloatArray) -> bytes:
    """Little-endian float64 latitude, longitude pairs: exact, and read back without parsing."""
    import numpy as np

    pairs = np.column_stack([np.asarray(lat, "<f8"), np.asarray(lon, "<f8")])
    return pairs.astype("<f8").tobytes()


def _footprint_values(lat: FloatArray, lon: FloatArray) -> dict[str, Any]:
    """The footprint columns of a trail's line: the points and their bounding box."""
    import numpy as np

    values: dict[str, Any] = {"footprint": _footprint_bytes(lat, lon)}
    if len(lat):
        values.update(
            min_lat=float(np.min(lat)),
            max_lat=float(np.max(lat)),
            min_lon=float(np.min(lon)),
            max_lon=float(np.max(lon)),
        )
    else:
        values.update(min_lat=None, max_lat=None, min_lon=None, max_lon=None)
    return values


def _footprint_arrays(data: bytes) -> tuple[FloatArray, FloatArray]:
    import numpy as np

    pairs = np.frombuffer(data, dtype="<f8").reshape(-1, 2).astype(np.float64)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


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
    """The runner's trail library (this user's trails only)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _mine(self) -> ColumnElement[bool]:
        return TrailRow.user_id == self.db.user_id

    def _row(self, s: Session, trail_id: int) -> TrailRow | None:
        """This user's trail with this id (another user's is None, as a missing one)."""
        return s.scalar(select(TrailRow).where(TrailRow.id == trail_id, self._mine()))

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
        footprint: tuple[FloatArray, FloatArray] | None = None,
    ) -> TrailRecord:
        """Store a trail, with its line for route matching when given (`set_footprint`)."""
        with self.db.transaction() as s:
            if s.scalar(select(TrailRow.id).where(self._mine(), TrailRow.name == name)) is not None:
                raise InputError(
                    f"a trail named {name!r} is already stored (see 'trailmix trails list'); "
                    "give this one another name with --name.",
                    "--name",
                )
            row = TrailRow(
                user_id=self.db.user_id,
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
                **(_footprint_values(*footprint) if footprint is not None else {}),
            )
            s.add(row)
            s.flush()
            return _record(row)

    def records(self) -> list[TrailRecord]:
        with self.db.transaction() as s:
            rows = s.scalars(select(TrailRow).where(self._mine()).order_by(TrailRow.id))
            return [_record(r) for r in rows]

    def all(self) -> tuple[Trail, ...]:
        return tuple(self.to_domain(r) for r in self.records())

    def get(self, key: str) -> TrailRecord:
        """A trail by id or by name (case-insensitive)."""
        with self.db.transaction() as s:
            row = None
            if key.strip().isdigit():
                row = self._row(s, int(key))
            if row is None:
                row = s.scalars(
                    select(TrailRow)
                    .where(self._mine(), func.lower(TrailRow.name) == key.strip().lower())
                    .order_by(TrailRow.id)
                ).first()
            if row is None:
                names = ", ".join(
                    s.scalars(select(TrailRow.name).where(self._mine()).order_by(TrailRow.id))
                ) or ("none yet")
                raise NotFoundError(
                    f"no trail {key!r}; stored trails: {names} (add one with 'trailmix trails "
                    "add FILE')."
                )
            return _record(row)

    def file_bytes(self, trail_id: int) -> bytes | None:
        with self.db.transaction() as s:
            return s.scalar(
                select(TrailRow.file_bytes).where(TrailRow.id == trail_id, self._mine())
            )

    def _update(self, trail_id: int, **values: Any) -> TrailRecord:
        with self.db.transaction() as s:
            row = self._row(s, trail_id)
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
        footprint: tuple[FloatArray, FloatArray] | None = None,
    ) -> TrailRecord:
        return self._update(
            trail_id,
            category=category,
            length_km=length_km,
            gain_m=gain_m,
            loss_m=loss_m,
            analysis=analysis.to_json(),
            **(_footprint_values(*footprint) if footprint is not None else {}),
        )

    def set_footprint(self, trail_id: int, lat: FloatArray, lon: FloatArray) -> None:
        """Store a trail's line for route matching (empty arrays: the trail has none)."""
        values = _footprint_values(lat, lon)
        with self.db.transaction() as s:
            s.execute(
                update(TrailRow).where(TrailRow.id == trail_id, self._mine()).values(**values)
            )

    def without_footprint(self) -> list[tuple[int, str | None]]:
        """Trails whose footprint was never computed (stored before migration 0003): id and
        file name."""
        with self.db.transaction() as s:
            rows = s.execute(
                select(TrailRow.id, TrailRow.file_name)
                .where(self._mine(), TrailRow.footprint.is_(None))
                .order_by(TrailRow.id)
            ).all()
            return [(r[0], r[1]) for r in rows]

    def footprint_boxes(self) -> list[TrailBox]:
        """Every trail's bounding box (trails with a route only), by id: a narrow query."""
        with self.db.transaction() as s:
            rows = s.execute(
                select(
                    TrailRow.id,
                    TrailRow.min_lat,
                    TrailRow.max_lat,
                    TrailRow.min_lon,
                    TrailRow.max_lon,
                )
                .where(self._mine(), TrailRow.min_lat.is_not(None))
                .order_by(TrailRow.id)
            ).all()
            return [TrailBox(r[0], *(float(v or 0.0) for v in r[1:])) for r in rows]

    def footprints(self, ids: list[int]) -> list[TrailFootprint]:
        """The stored lines of these trails, by id."""
        if not ids:
            return []
        with self.db.transaction() as s:
            rows = s.execute(
                select(TrailRow.id, TrailRow.name, TrailRow.footprint)
                .where(self._mine(), TrailRow.id.in_(ids))
                .order_by(TrailRow.id)
            ).all()
        out = []
        for trail_id, name, data in rows:
            lat, lon = _footprint_arrays(data or b"")
            if len(lat):
                out.append(TrailFootprint(trail_id, name, lat, lon))
        return out

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
        kind=row.kind or "run",
        has_track=row.has_track if row.has_track is not None else True,
        shoe_id=row.shoe_id,
        utc_offset_min=row.utc_offset_min or 0,
        timezone=row.timezone,
        timezone_source=row.timezone_source or "utc",
    )


def _added(new_id: int, values: dict[str, Any]) -> ActivityRecord:
    """The record of a row just inserted from `values` (`_activity` of it, without reading
    it back): the columns not given take their defaults (None, or False)."""
    get = values.get
    return ActivityRecord(
        id=new_id,
        start_utc=_utc(values["start_utc"]),
        elapsed_s=values["elapsed_s"],
        moving_s=values["moving_s"],
        distance_km=values["distance_km"],
        gain_m=get("gain_m"),
        loss_m=get("loss_m"),
        avg_hr=get("avg_hr"),
        max_hr=get("max_hr"),
        surface=values["surface"],
        surface_source=values["surface_source"],
        surface_confidence=values["surface_confidence"],
        trail_id=get("trail_id"),
        rpe=get("rpe"),
        rpe_estimated=bool(get("rpe_estimated", False)),
        name=get("name"),
        activity_type=get("activity_type"),
        gear=get("gear"),
        source=values["source"],
        file_name=get("file_name"),
        summary=RunSummaryRecord.from_json(get("summary") or {}),
        kind=get("kind") or "run",
        has_track=bool(get("has_track", True)),
        shoe_id=get("shoe_id"),
        utc_offset_min=get("utc_offset_min") or 0,
        timezone=get("timezone"),
        timezone_source=get("timezone_source") or "utc",
    )


def _encoded(values: dict[str, Any]) -> dict[str, Any]:
    """Column values with a typed summary turned into its stored JSON."""
    summary = values.get("summary")
    if isinstance(summary, RunSummaryRecord):
        return {**values, "summary": summary.to_json()}
    return values


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """The runner's days first..last as `local_start` bounds (naive: the runner's clock)."""
    return (
        datetime.combine(first, time.min),
        datetime.combine(last + timedelta(days=1), time.min),
    )


# The import's per-run statements, built once (a statement built per call costs about as
# much as running a query).
# Each takes the user's id as the bound parameter "user".
_INSERT_RUN = insert(ActivityRow)
_INSERT_FILE = insert(ActivityFileRow)
_HAS_FILE = select(ActivityRow.id).where(
    ActivityRow.user_id == bindparam("user"), ActivityRow.file_sha256 == bindparam("sha256")
)
_STARTS_NEAR = select(
    ActivityRow.id, ActivityRow.start_utc, ActivityRow.distance_km, ActivityRow.file_name
).where(
    ActivityRow.user_id == bindparam("user"),
    ActivityRow.start_utc.between(bindparam("lo"), bindparam("hi")),
)


class Activities:
    """The training log's runs (this user's runs only). The original files are in a table of
    their own (`activity_files`), read only by `file_bytes`: a list or a sum over ten years of
    runs reads numbers only."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _mine(self) -> ColumnElement[bool]:
        return ActivityRow.user_id == self.db.user_id

    def _row(self, s: Session, activity_id: int) -> ActivityRow | None:
        """This user's run with this id (another user's is None, as a missing one)."""
        return s.scalar(select(ActivityRow).where(ActivityRow.id == activity_id, self._mine()))

    def has_file(self, sha256: str) -> bool:
        with self.db.reading() as conn:
            found = conn.execute(_HAS_FILE, {"user": self.db.user_id, "sha256": sha256})
            return found.first() is not None

    def near(self, start: datetime, seconds: float = 120.0) -> list[ActivityRecord]:
        """Runs that started within `seconds` of `start` (duplicate candidates)."""
        lo, hi = start - timedelta(seconds=seconds), start + timedelta(seconds=seconds)
        with self.db.transaction() as s:
            rows = s.scalars(
                select(ActivityRow).where(self._mine(), ActivityRow.start_utc.between(lo, hi))
            ).all()
            return [_activity(r) for r in rows]

    def starts_near(self, start: datetime, seconds: float = 120.0) -> list[RunStart]:
        """`near`, read narrowly: id, start, distance and file name only."""
        lo, hi = start - timedelta(seconds=seconds), start + timedelta(seconds=seconds)
        with self.db.reading() as conn:
            rows = conn.execute(_STARTS_NEAR, {"user": self.db.user_id, "lo": lo, "hi": hi}).all()
            return [RunStart(r[0], _utc(r[1]), r[2], r[3]) for r in rows]

    def add(self, **values: Any) -> ActivityRecord:
        """Store one run in one transaction: either the whole row or nothing. A Core insert
        (the row is not read back: the record is made from `values` and the new id)."""
        values = {**_encoded(values), "user_id": self.db.user_id}
        data = values.pop("file_bytes", None)
        packed = filepack.pack(data) if data is not None else None
        with self.db.begin() as conn:
            key = conn.execute(_INSERT_RUN, values).inserted_primary_key
            assert key is not None  # a single-row insert always has its key
            if packed is not None:
                stored, compression = packed
                conn.execute(
                    _INSERT_FILE,
                    {"activity_id": int(key[0]), "data": stored, "compression": compression},
                )
        return _added(int(key[0]), values)

    def file_bytes(self, activity_id: int) -> bytes | None:
        """The run's original file as imported (None for a run without one, or not the
        user's)."""
        with self.db.begin() as conn:
            found = conn.execute(
                select(ActivityFileRow.data, ActivityFileRow.compression)
                .join(ActivityRow, ActivityRow.id == ActivityFileRow.activity_id)
                .where(ActivityRow.id == activity_id, self._mine())
            ).first()
        return filepack.unpack(found[0], found[1]) if found is not None else None

    def get(self, activity_id: int) -> ActivityRecord | None:
        with self.db.transaction() as s:
            row = self._row(s, activity_id)
            return _activity(row) if row is not None else None

    def between(self, first: date, last: date) -> list[ActivityRecord]:
        """Runs that started on the runner's days first..last, oldest first."""
        lo, hi = _day_range(first, last)
        with self.db.transaction() as s:
            rows = s.scalars(
                select(ActivityRow)
                .where(self._mine(), ActivityRow.local_start >= lo, ActivityRow.local_start < hi)
                .order_by(ActivityRow.start_utc, ActivityRow.id)
            ).all()
            return [_activity(r) for r in rows]

    def all(self) -> list[ActivityRecord]:
        with self.db.transaction() as s:
            rows = s.scalars(
                select(ActivityRow)
                .where(self._mine())
                .order_by(ActivityRow.start_utc, ActivityRow.id)
            ).all()
            return [_activity(r) for r in rows]

    def latest(
        self,
        *,
        first: date | None = None,
        last: date | None = None,
        limit: int | None = None,
        before: int | None = None,
    ) -> tuple[list[ActivityRecord], int]:
        """A page of runs: the newest `limit` (all when None) on the days first..last that
        started before run `before` (by start, then id: a cursor that stays put while runs
        are added), oldest first; and how many older runs in the range are left out."""
        conds: list[ColumnElement[bool]] = [self._mine()]
        if first is not None:
            conds.append(ActivityRow.local_start >= _day_range(first, first)[0])
        if last is not None:
            conds.append(ActivityRow.local_start < _day_range(last, last)[1])
        with self.db.transaction() as s:
            if before is not None:
                edge = s.execute(
                    select(ActivityRow.start_utc, ActivityRow.id).where(
                        ActivityRow.id == before, self._mine()
                    )
                ).first()
                if edge is None:
                    raise NotFoundError(f"no run with id {before} in the log (the page cursor).")
                conds.append(
                    or_(
                        ActivityRow.start_utc < edge[0],
                        (ActivityRow.start_utc == edge[0]) & (ActivityRow.id < edge[1]),
                    )
                )
            q = (
                select(ActivityRow)
                .where(*conds)
                .order_by(ActivityRow.start_utc.desc(), ActivityRow.id.desc())
            )
            if limit is not None:
                q = q.limit(limit)
            rows = s.scalars(q).all()
            left = 0
            if limit is not None and len(rows) == limit:
                total = s.scalar(select(func.count()).select_from(ActivityRow).where(*conds))
                left = int(total or 0) - len(rows)
            return [_activity(r) for r in reversed(rows)], left

    def sessions(self, first: date, last: date) -> list[RunSession]:
        """Activities (runs, hikes, walks: see `kind`) on the days first..last, oldest first,
        read narrowly (no summary, no file)."""
        lo, hi = _day_range(first, last)
        with self.db.transaction() as s:
            rows = s.execute(
                select(
                    ActivityRow.id,
                    ActivityRow.start_utc,
                    ActivityRow.moving_s,
                    ActivityRow.surface,
                    ActivityRow.rpe,
                    ActivityRow.kind,
                    ActivityRow.utc_offset_min,
                )
                .where(self._mine(), ActivityRow.local_start >= lo, ActivityRow.local_start < hi)
                .order_by(ActivityRow.start_utc, ActivityRow.id)
            ).all()
            return [
                RunSession(r[0], _utc(r[1]), r[2], r[3], r[4], r[5] or "run", r[6] or 0)
                for r in rows
            ]

    def day_totals(self, first: date, last: date) -> list[DayTotals]:
        """Per day with runs on first..last (the runner's days, as `app.log.local_day`), summed
        by the database: GROUP BY day over the local start's index, whatever the log's size.
        Runs only: hikes and walks are neither running volume nor running load (docs/log.md,
        Hikes)."""
        lo, hi = _day_range(first, last)
        day = _local_day(self.db.engine.dialect.name)
        minutes = ActivityRow.moving_s / 60.0
        rated = ActivityRow.rpe.is_not(None)

        def moving_on(surface: str) -> ColumnElement[float]:
            return func.sum(case((ActivityRow.surface == surface, ActivityRow.moving_s), else_=0.0))

        q = (
            select(
                day,
                func.sum(case((rated, ActivityRow.rpe * minutes), else_=0.0)),
                moving_on("road"),
                moving_on("trail"),
                func.sum(case((ActivityRow.rpe.is_(None), 1), else_=0)),
            )
            .where(
                self._mine(),
                ActivityRow.local_start >= lo,
                ActivityRow.local_start < hi,
                ActivityRow.kind == "run",
            )
            .group_by(day)
            .order_by(day)
        )
        with self.db.transaction() as s:
            return [
                DayTotals(
                    r[0] if isinstance(r[0], date) else date.fromisoformat(str(r[0])),
                    float(r[1] or 0.0),
                    float(r[2] or 0.0),
                    float(r[3] or 0.0),
                    int(r[4] or 0),
                )
                for r in s.execute(q).all()
            ]

    def update(self, activity_id: int, **values: Any) -> ActivityRecord:
        values = _encoded(values)
        with self.db.transaction() as s:
            row = self._row(s, activity_id)
            if row is None:
                raise NotFoundError(f"no run with id {activity_id} in the log.")
            for k, v in values.items():
                setattr(row, k, v)
            if "start_utc" in values or "utc_offset_min" in values:
                row.local_start = local_start(row.start_utc, row.utc_offset_min or 0)
            s.flush()
            return _activity(row)


def _local_day(dialect: str) -> ColumnElement[Any]:
    """The runner's day of a stored run: the date of its `local_start` (a naive time on the
    runner's clock, so no time zone of the database session enters): SQLite keeps it as text
    ('YYYY-MM-DD ...'), so its date(); elsewhere a cast."""
    if dialect == "sqlite":
        return func.date(ActivityRow.local_start)
    return cast(ActivityRow.local_start, Date)


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
            rows = s.scalars(
                select(CalendarEventRow)
                .where(CalendarEventRow.user_id == self.db.user_id)
                .order_by(CalendarEventRow.uid)
            ).all()
            return [
                CalendarEventRecord(r.uid, r.day, r.sequence, r.digest, r.summary, r.cancelled)
                for r in rows
            ]

    def replace_all(self, records: list[CalendarEventRecord]) -> None:
        """The new state, whole (one transaction: never half of the old and half the new)."""
        with self.db.transaction() as s:
            s.execute(delete(CalendarEventRow).where(CalendarEventRow.user_id == self.db.user_id))
            s.add_all(
                CalendarEventRow(
                    user_id=self.db.user_id,
                    uid=r.uid,
                    day=r.day,
                    sequence=r.sequence,
                    digest=r.digest,
                    summary=r.summary[:300],
                    cancelled=r.cancelled,
                )
                for r in records
            )
