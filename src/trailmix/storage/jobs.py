"""Import jobs: an upload's import, its progress and its report (tables `import_jobs` and
`import_job_files`, migration 0006).

A job is made `queued` with its uploaded files in one transaction; whoever imports it (the app
worker itself without a queue, an RQ worker with one) claims it with `start`, which only one
claimer wins; `progress` moves `done` forward; `finish` stores the report or the error and
deletes the files in one transaction. Every read names the user, so a job key of another user
is not found."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from trailmix.storage.db import Database
from trailmix.storage.models import ImportFileRow, ImportJobRow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)
FINISHED = (DONE, FAILED)
JOBS_KEPT = 20
"""trailmix default: the finished import jobs kept per user (their reports, for the page after
an upload); older ones are deleted when a new job is made."""


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; every stored one is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ImportJobRecord:
    id: int
    key: str
    user_id: int
    status: str
    total: int
    done: int
    report: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


_COLUMNS = (
    ImportJobRow.id,
    ImportJobRow.key,
    ImportJobRow.user_id,
    ImportJobRow.status,
    ImportJobRow.total,
    ImportJobRow.done,
    ImportJobRow.report,
    ImportJobRow.error,
    ImportJobRow.created_at,
    ImportJobRow.started_at,
    ImportJobRow.finished_at,
)


def _record(row: Any) -> ImportJobRecord:
    return ImportJobRecord(
        id=row.id,
        key=row.key,
        user_id=row.user_id,
        status=row.status,
        total=row.total,
        done=row.done,
        report=row.report,
        error=row.error,
        created_at=_aware(row.created_at) or datetime.now(UTC),
        started_at=_aware(row.started_at),
        finished_at=_aware(row.finished_at),
    )


class ImportJobs:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, user_id: int, files: list[tuple[str, bytes]], total: int) -> ImportJobRecord:
        """A queued job holding `files` (name, bytes) for `user_id`, in one transaction; the
        user's finished jobs beyond the latest `JOBS_KEPT` are deleted."""
        key = secrets.token_urlsafe(12)
        now = datetime.now(UTC)
        with self.db.begin() as conn:
            job_id = conn.execute(
                insert(ImportJobRow)
                .values(
                    key=key, user_id=user_id, status=QUEUED, total=total, done=0, created_at=now
                )
                .returning(ImportJobRow.id)
            ).scalar_one()
            if files:
                conn.execute(
                    insert(ImportFileRow),
                    [{"job_id": job_id, "name": name, "data": data} for name, data in files],
                )
            old = (
                select(ImportJobRow.id)
                .where(ImportJobRow.user_id == user_id, ImportJobRow.status.in_(FINISHED))
                .order_by(ImportJobRow.id.desc())
                .offset(JOBS_KEPT)
            )
            stale = list(conn.scalars(old))
            if stale:
                conn.execute(delete(ImportFileRow).where(ImportFileRow.job_id.in_(stale)))
                conn.execute(delete(ImportJobRow).where(ImportJobRow.id.in_(stale)))
        found = self.get(key)
        assert found is not None
        return found

    def get(self, key: str, user_id: int | None = None) -> ImportJobRecord | None:
        """The job `key`; with `user_id`, only when it is that user's (else None)."""
        query = select(*_COLUMNS).where(ImportJobRow.key == key)
        if user_id is not None:
            query = query.where(ImportJobRow.user_id == user_id)
        with self.db.begin() as conn:
            row = conn.execute(query).first()
        return _record(row) if row is not None else None

    def files(self, job_id: int) -> list[tuple[str, bytes]]:
        """The job's uploaded files, in the order they were sent (empty once finished)."""
        query = (
            select(ImportFileRow.name, ImportFileRow.data)
            .where(ImportFileRow.job_id == job_id)
            .order_by(ImportFileRow.id)
        )
        with self.db.begin() as conn:
            return [(r.name, r.data) for r in conn.execute(query)]

    def file_count(self) -> int:
        """Uploaded files still stored, of every job (the tests check none is left behind)."""
        with self.db.begin() as conn:
            return int(conn.scalar(select(func.count()).select_from(ImportFileRow)) or 0)

    def start(self, key: str) -> ImportJobRecord | None:
        """Claim a queued job: it is `running` from now; None when it was not queued (another
        worker has it, or it is finished), so a job delivered twice is imported once."""
        with self.db.begin() as conn:
            claimed = conn.execute(
                update(ImportJobRow)
                .where(ImportJobRow.key == key, ImportJobRow.status == QUEUED)
                .values(status=RUNNING, started_at=datetime.now(UTC))
            ).rowcount
        return self.get(key) if claimed == 1 else None

    def progress(self, key: str, done: int, total: int) -> None:
        with self.db.begin() as conn:
            conn.execute(
                update(ImportJobRow).where(ImportJobRow.key == key).values(done=done, total=total)
            )

    def finish(
        self,
        key: str,
        status: str,
        *,
        report: dict[str, Any] | None = None,
        error: str | None = None,
        done: int | None = None,
        total: int | None = None,
    ) -> None:
        """Done or failed, with the report or the error; the uploaded files deleted with it."""
        assert status in FINISHED
        values: dict[str, Any] = {
            "status": status,
            "report": report,
            "error": error,
            "finished_at": datetime.now(UTC),
        }
        if done is not None:
            values["done"] = done
        if total is not None:
            values["total"] = total
        with self.db.begin() as conn:
            job_id = conn.execute(
                select(ImportJobRow.id).where(ImportJobRow.key == key)
            ).scalar_one_or_none()
            if job_id is None:
                return
            conn.execute(delete(ImportFileRow).where(ImportFileRow.job_id == job_id))
            conn.execute(update(ImportJobRow).where(ImportJobRow.id == job_id).values(**values))

    def delete(self, key: str) -> None:
        """Forget a job that was never started (its enqueueing failed)."""
        with self.db.begin() as conn:
            job_id = conn.execute(
                select(ImportJobRow.id).where(ImportJobRow.key == key)
            ).scalar_one_or_none()
            if job_id is not None:
                conn.execute(delete(ImportFileRow).where(ImportFileRow.job_id == job_id))
                conn.execute(delete(ImportJobRow).where(ImportJobRow.id == job_id))
