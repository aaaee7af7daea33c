"""Tables. Plans are stored whole in their JSON contract form (docs/plan-json.md), with the
columns other queries need alongside; trails keep their original file so analysis can be rerun.

The original files (`file_bytes`, hundreds of kB each) and a trail's route footprint are
deferred: no query loads them unless it names them, so reading a log of 10,000 runs reads the
numbers, not the files."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from trailmix.storage.records import local_start


def _now() -> datetime:
    return datetime.now(UTC)


def _local_start(context: DefaultExecutionContext) -> datetime:
    """A new run's `local_start` when the insert does not give it (every insert, ORM or Core):
    start_utc + utc_offset_min."""
    values = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return local_start(values["start_utc"], values.get("utc_offset_min") or 0)


class Base(DeclarativeBase):
    pass


class AthleteRow(Base):
    __tablename__ = "athletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    profile: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athletes.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    race_date: Mapped[date] = mapped_column(Date)
    distance: Mapped[str] = mapped_column(String(20))
    trail_preference: Mapped[str] = mapped_column(String(20))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    document: Mapped[str] = mapped_column(Text)


class TrailRow(Base):
    __tablename__ = "trails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    category_source: Mapped[str] = mapped_column(String(20), default="analysis")
    length_km: Mapped[float] = mapped_column(Float)
    gain_m: Mapped[float] = mapped_column(Float, default=0.0)
    loss_m: Mapped[float] = mapped_column(Float, default=0.0)
    hiked: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_surface: Mapped[str | None] = mapped_column(String(40), nullable=True)
    declared_technical: Mapped[str | None] = mapped_column(String(200), nullable=True)
    analysis: Mapped[dict[str, object]] = mapped_column(JSON)
    file_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    file_bytes: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    # What route matching needs of the trail (`storage.records.TrailFootprint`): its line as
    # float64 latitude / longitude pairs, and its bounding box, so an import compares a run
    # only with the trails near it and never parses a trail's file again. None until computed
    # (trails stored before migration 0003 get it at the next import).
    footprint: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    min_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    min_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ActivityRow(Base):
    """A run that was actually done, imported from a file; `summary` keeps every measured number
    (zones, grade-adjusted pace, load), the columns are what queries filter and sort on."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    start_utc: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    elapsed_s: Mapped[float] = mapped_column(Float)
    moving_s: Mapped[float] = mapped_column(Float)
    distance_km: Mapped[float] = mapped_column(Float)
    gain_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    loss_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_hr: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_hr: Mapped[float | None] = mapped_column(Float, nullable=True)
    surface: Mapped[str] = mapped_column(String(10))
    surface_source: Mapped[str] = mapped_column(String(20))
    surface_confidence: Mapped[float] = mapped_column(Float)
    trail_id: Mapped[int | None] = mapped_column(ForeignKey("trails.id"), nullable=True)
    rpe: Mapped[float | None] = mapped_column(Float, nullable=True)
    rpe_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    activity_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    gear: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    file_bytes: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    summary: Mapped[dict[str, object]] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # The run's time zone (migration 0006): the offset of its start from UTC in minutes east,
    # the IANA zone when known, where they came from, and the start on the runner's own clock
    # (start_utc + utc_offset_min, naive; derived, kept by the repository, indexed: a day of the
    # log is a day of `local_start`).
    utc_offset_min: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    timezone_source: Mapped[str] = mapped_column(String(20), default="utc", server_default="utc")
    local_start: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=False), nullable=True, index=True, default=_local_start
    )


class CalendarEventRow(Base):
    """One event the last iCalendar export held (a session, or the cancellation of one)."""

    __tablename__ = "calendar_events"

    uid: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(300))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


LOCAL_USER_ID = 1
"""The one user of a single-runner database (created by migration 0005): the CLI and the
single-user web app act as this user; a multi-user server signs people in as others."""


class UserRow(Base):
    """Someone who signs in: a runner or a coach. Every runner's data is scoped by `users.id`
    (migration 0006 on). The local user (id 1) has no password: it is the single-runner mode."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="runner")  # runner | coach
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
