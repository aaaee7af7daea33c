"""Tables. Plans are stored whole in their JSON contract form (docs/plan-json.md), with the
columns other queries need alongside; trails keep their original file so analysis can be rerun.

A run's original file (hundreds of kB) is in `activity_files`, beside its row, and a trail's
file and route footprint are deferred columns: no query loads them unless it names them, so
reading a log of 10,000 runs reads the numbers, not the files."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
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


def _user_id(*, primary_key: bool = False, index: bool = True) -> Mapped[int]:
    """Whose row this is (migration 0006): every repository reads and writes one user's rows
    only (storage/repo.py). Rows stored before users existed belong to user 1, the local
    runner."""
    return mapped_column(
        ForeignKey("users.id"),
        primary_key=primary_key,
        server_default=text("1"),
        index=index and not primary_key,
    )


class AthleteRow(Base):
    __tablename__ = "athletes"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_athletes_user_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_id()
    name: Mapped[str] = mapped_column(String(200))
    profile: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_id()
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athletes.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    race_date: Mapped[date] = mapped_column(Date)
    distance: Mapped[str] = mapped_column(String(20))
    trail_preference: Mapped[str] = mapped_column(String(20))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    document: Mapped[str] = mapped_column(Text)


class TrailRow(Base):
    __tablename__ = "trails"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_trails_user_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_id()
    name: Mapped[str] = mapped_column(String(200))
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
    __table_args__ = (
        UniqueConstraint("user_id", "file_sha256", name="uq_activities_user_file"),
        # One user's runs by start time: what every log query asks.
        Index("ix_activities_user_start", "user_id", "start_utc"),
        # One user's runs by their local day (migration 0006_log21): the day filters and sums.
        Index("ix_activities_user_local_start", "user_id", "local_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_id(index=False)
    file_sha256: Mapped[str] = mapped_column(String(64))
    start_utc: Mapped[datetime] = mapped_column(DateTime(timezone=True))
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
    # The runner's pair (migration 0006_shoes): linked from `gear` on import, or set per run.
    shoe_id: Mapped[int | None] = mapped_column(ForeignKey("shoes.id"), nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # The original file is in `activity_files` (migration 0007): kept in this row, its hundreds
    # of kB made SQLite walk the blob's overflow pages to reach every column after it.
    summary: Mapped[dict[str, object]] = mapped_column(JSON)
    # What was done (`domain.log.kinds.ActivityKind`: run, hike, walk; migration 0006) and
    # whether a GPS track came with it (False: a treadmill or manual run, counted from the
    # export's time and distance).
    kind: Mapped[str] = mapped_column(String(10), default="run", server_default="run")
    has_track: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # The run's time zone (migration 0006): the offset of its start from UTC in minutes east,
    # the IANA zone when known, where they came from, and the start on the runner's own clock
    # (start_utc + utc_offset_min, naive; derived, kept by the repository, indexed: a day of the
    # log is a day of `local_start`).
    utc_offset_min: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    timezone_source: Mapped[str] = mapped_column(String(20), default="utc", server_default="utc")
    local_start: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=False), nullable=True, default=_local_start
    )


class ShoeRow(Base):
    """One of the runner's pairs (R10): a road trainer, a road-to-trail hybrid or a trail shoe,
    with the distance at which to replace it. Its kilometres are summed from its runs."""

    __tablename__ = "shoes"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_shoes_user_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_id()
    name: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(100), nullable=True)
    model: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kind: Mapped[str | None] = mapped_column(String(10), nullable=True)  # road|hybrid|trail
    retire_km: Mapped[float] = mapped_column(Float)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class CalendarEventRow(Base):
    """One event the last iCalendar export held (a session, or the cancellation of one)."""

    __tablename__ = "calendar_events"

    user_id: Mapped[int] = _user_id(primary_key=True)
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


class ImportJobRow(Base):
    """One upload's import (issue 19): queued, running, done or failed, with its progress
    (`done` of `total` run files) and, when finished, its report as the API's JSON. The page
    after an upload and `GET /api/v1/imports/{key}` read it here, so any app worker can
    answer; `key` is the random id the runner sees."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))  # queued | running | done | failed
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ImportFileRow(Base):
    """An uploaded file waiting for its import job: the bytes a queue worker on another
    process (or machine) reads. Deleted when the job finishes, done or failed."""

    __tablename__ = "import_job_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(
        ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class WebSessionRow(Base):
    """A signed-in browser (multi-user server). `id` is the SHA-256 of the random cookie token,
    so a copy of the table signs nobody in; `csrf_token` is the token every form of this
    session sends back (web/auth.py)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ApiTokenRow(Base):
    """A personal API token (`Authorization: Bearer ...`): stored as its SHA-256 only, the
    token itself is shown once when it is made."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginAttemptRow(Base):
    """One sign-in attempt, for throttling that holds across several app workers (the count
    lives in the database, never in one process's memory)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


# --- Coach mode (issue 19): squads, notes, the record of plan changes, shared trails ---------


class CoachLinkRow(Base):
    """A coach and a runner: invited (by either), active once the other accepts, or declined.
    A coach sees and changes a runner's data only while the link is active."""

    __tablename__ = "coach_links"
    __table_args__ = (UniqueConstraint("coach_id", "runner_id", name="uq_coach_links_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # invited | active | declined
    invited_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SessionNoteRow(Base):
    """A note on one session of a runner's plan (the `slot`-th session of that day), by the
    runner's coach (or the runner), shown on the runner's session page."""

    __tablename__ = "session_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class PlanChangeRow(Base):
    """One change made to a runner's plan by someone (their coach): what and why."""

    __tablename__ = "plan_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)


class SquadTrailRow(Base):
    """A coach's trail shared with their squad: each active runner's plan may use it."""

    __tablename__ = "squad_trails"

    coach_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    trail_id: Mapped[int] = mapped_column(
        ForeignKey("trails.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ActivityFileRow(Base):
    """A run's original file, as it was imported (`activities.file_sha256` is its hash), beside
    its row rather than in it: a list or a sum over the log never touches these bytes. `data`
    is compressed as `compression` says (`storage/filepack.py`; NULL: as imported)."""

    __tablename__ = "activity_files"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    compression: Mapped[str | None] = mapped_column(String(8), nullable=True)
