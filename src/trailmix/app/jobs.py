"""Import jobs: an upload's import kept in the database, run in process or by a queue worker.

Every upload becomes a row of `import_jobs` holding its files until it is imported, so the
page after the upload and `GET /api/v1/imports/{id}` can be answered by any app worker. Without
a queue (the SQLite default) the request imports the files itself, at once, as before; with a
queue (`queue_url`, RQ on Redis) the request only stores the job and enqueues its key, and a
`trailmix worker` imports it into the uploading user's data, writing its progress (`done` of
`total` run files) as it goes.

RQ rather than procrastinate: the queue must serve the SQLite default as well as PostgreSQL
(procrastinate needs PostgreSQL), Redis runs on the project's machines already, and RQ is a
small library whose `SimpleWorker` runs a job in the calling process, which keeps the tests
fast. The jobs carry only the job's key (JSON-serialised, never pickled), so nothing in Redis
is more than a pointer to the row: the files, the progress and the report live in the database
and a lost Redis loses no data.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from trailmix.app import log_import as training_log
from trailmix.app.log_json import record_json
from trailmix.errors import FileFormatError, InputError, NotFoundError, TrailmixError
from trailmix.formats.archive import open_archive
from trailmix.formats.readers import NamedBytes
from trailmix.storage.db import Database
from trailmix.storage.jobs import DONE, FAILED, RUNNING, ImportJobRecord, ImportJobs

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue

QUEUE_NAME = "trailmix-imports"
"""trailmix default: the RQ queue's name (`?queue=NAME` on the queue URL picks another)."""
IMPORT_TIMEOUT_S = 4 * 3600
"""trailmix default: a queued import may run 4 hours (RQ's own default, 180 s, is too short for
an export of thousands of runs; one run takes ~0.05-0.3 s)."""
STALE_AFTER_S = IMPORT_TIMEOUT_S + 600
"""A job still `running` this long after it started lost its worker (killed, machine gone)."""
PROGRESS_INTERVAL_S = 0.5
"""trailmix default: the least time between two progress writes of one job (the bar polls once
a second; a write per run would double a fast import's commits)."""
_STALE = timedelta(seconds=STALE_AFTER_S)
QUEUE_SCHEMES = ("redis", "rediss", "unix")


class QueueError(TrailmixError):
    """The job queue cannot be reached (answered as HTTP 503)."""


@dataclass(frozen=True)
class ImportJob:
    """An import as the faces show it: `done` of `total` run files, the report (the JSON of
    `trailmix log import --format json`) once finished, the error when it failed."""

    key: str
    status: str  # queued | running | done | failed
    done: int
    total: int
    report: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    def json(self) -> dict[str, Any]:
        """`GET /api/v1/imports/{id}` (docs/web.md)."""
        return {
            "id": self.key,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "report": self.report,
            "error": self.error,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def _view(rec: ImportJobRecord) -> ImportJob:
    return ImportJob(
        key=rec.key,
        status=rec.status,
        done=rec.done,
        total=rec.total,
        report=rec.report,
        error=rec.error,
        created_at=rec.created_at,
        started_at=rec.started_at,
        finished_at=rec.finished_at,
    )


def report_json(report: training_log.ImportReport) -> dict[str, Any]:
    """The import report as `trailmix log import --format json` prints it."""

    def rows(items: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"file": f, "reason": m} for f, m in items]

    return {
        "imported": [record_json(r) for r in report.imported],
        "duplicates": rows(report.duplicates),
        "skipped": rows(report.skipped),
        "problems": rows(report.problems),
    }


def count_runs(files: Sequence[NamedBytes]) -> int:
    """How many run files the uploads hold: 1 for a run file, an export's own count (read from
    its zip directory, not unpacked) for an archive; the progress bar's `total`."""
    total = 0
    for f in files:
        if PurePosixPath(f.name).suffix.lower() in training_log.SINGLE_FILE_SUFFIXES:
            total += 1
            continue
        try:
            with open_archive(f.data, f.name) as archive:
                total += archive.total
        except FileFormatError:
            total += 1  # reported by the import as a problem: one step of the bar
    return total


# --- The queue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueAddress:
    """A queue URL taken apart: Redis's own URL, and the queue's name."""

    redis_url: str
    name: str
    shown: str  # the URL without a password, for messages

    @classmethod
    def parse(cls, url: str, option: str = "--queue") -> QueueAddress:
        parts = urlsplit(url.strip())
        if parts.scheme not in QUEUE_SCHEMES:
            raise InputError(
                f"{url!r} is not a queue URL trailmix can use (e.g. redis://127.0.0.1:6379/0).",
                option,
            )
        query = parse_qsl(parts.query, keep_blank_values=True)
        names = [v for k, v in query if k == "queue"]
        rest = urlencode([(k, v) for k, v in query if k != "queue"])
        name = names[-1].strip() if names else QUEUE_NAME
        if not name or not all(c.isalnum() or c in "-_." for c in name):
            raise InputError(f"{name!r} is not a queue name (letters, digits, - _ .).", option)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        shown = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        redis_url = urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))
        return cls(redis_url, name, shown)


class ImportQueue:
    """RQ's queue of import jobs on Redis. rq and redis are imported here only, when a queue is
    used: the SQLite default and every CLI command start without them."""

    def __init__(self, url: str) -> None:
        from redis import Redis
        from rq import Queue
        from rq.serializers import JSONSerializer

        self.address = QueueAddress.parse(url)
        self.redis: Redis = Redis.from_url(
            self.address.redis_url, socket_connect_timeout=5, health_check_interval=30
        )
        self.rq: Queue = Queue(
            self.address.name,
            connection=self.redis,
            serializer=JSONSerializer,
            default_timeout=IMPORT_TIMEOUT_S,
        )

    @contextmanager
    def _reached(self) -> Iterator[None]:
        from redis.exceptions import RedisError

        try:
            yield
        except RedisError as exc:
            raise QueueError(
                f"the import queue {self.address.shown} cannot be reached ({exc}); is Redis "
                "running?"
            ) from exc

    def enqueue(self, key: str) -> None:
        with self._reached():
            self.rq.enqueue_call(
                queued_import,
                args=(key,),
                job_id=f"{self.address.name.replace('.', '-')}-{key}",
                result_ttl=3600,
                failure_ttl=7 * 86400,
                description=f"trailmix import {key}",
            )

    def ping(self) -> None:
        with self._reached():
            self.redis.ping()


_queues: dict[str, ImportQueue] = {}


def queue_for(url: str) -> ImportQueue:
    """This process's connection to the queue at `url` (a pool, made once per URL)."""
    if url not in _queues:
        _queues[url] = ImportQueue(url)
    return _queues[url]


# --- The use cases -------------------------------------------------------------------------------


def submit(db: Database, files: Sequence[NamedBytes], queue_url: str | None = None) -> ImportJob:
    """Store an import of `files` for `db`'s user; with a queue, store the files with it and
    enqueue it, returning at once (queued); without, import the files now, from memory, and
    return the job finished. A TrailmixError of an import run here (a database fault) is
    recorded on the job and raised, as the upload raised before."""
    jobs = ImportJobs(db)
    total = count_runs(files)
    if queue_url is None:
        rec = jobs.create(db.user_id, [], total)
        run_import(db, rec.key, files=files, raise_errors=True)
        return job(db, rec.key)
    rec = jobs.create(db.user_id, [(f.name, f.data) for f in files], total)
    try:
        queue_for(queue_url).enqueue(rec.key)
    except QueueError:
        jobs.delete(rec.key)  # nothing stored: the upload can be sent again
        raise
    return job(db, rec.key)


def job(db: Database, key: str) -> ImportJob:
    """The import job `key` of `db`'s user; NotFoundError for an unknown key or one of another
    user. A job `running` for longer than any import may take lost its worker: it is failed."""
    jobs = ImportJobs(db)
    rec = jobs.get(key, db.user_id)
    if rec is None:
        raise NotFoundError(f"no import {key!r}: it is not yours, or it is too old to be kept.")
    started = rec.started_at
    if rec.status == RUNNING and started and datetime.now(UTC) - started > _STALE:
        jobs.finish(key, FAILED, error="the import worker stopped before finishing: upload again.")
        rec = jobs.get(key, db.user_id) or rec
    return _view(rec)


class _Progress:
    """The import's progress callback: `done` counts the run files started before the current
    one, written to the job at most every PROGRESS_INTERVAL_S."""

    def __init__(self, jobs: ImportJobs, key: str, total: int) -> None:
        self.jobs, self.key, self.total = jobs, key, total
        self.started = 0
        self._written = time.monotonic()

    @property
    def done(self) -> int:
        return max(self.started - 1, 0)

    def __call__(self, _source_total: int, _name: str) -> None:
        self.started += 1
        self.total = max(self.total, self.started)
        now = time.monotonic()
        if now - self._written >= PROGRESS_INTERVAL_S:
            self.jobs.progress(self.key, self.done, self.total)
            self._written = now


def _nothing_read(report: training_log.ImportReport) -> bool:
    return bool(report.problems) and not (report.imported or report.duplicates or report.skipped)


def run_import(
    db: Database,
    key: str,
    *,
    files: Sequence[NamedBytes] | None = None,
    raise_errors: bool = False,
) -> ImportJob | None:
    """Import the job `key` (its stored files, or `files` when the caller has them in memory)
    into its user's data, if it is still queued (None when another worker has it or it is
    finished). Each run is stored whole or not at all (app.log_import), so a stopped import
    leaves whole runs only. The job ends `done` with the report, or `failed`:
    with the report and a message when not one of its files could be read, with the error's
    message when the import stopped (the uploaded files are deleted either way)."""
    jobs = ImportJobs(db)
    rec = jobs.start(key)
    if rec is None:
        return None
    if files is None:
        files = [NamedBytes(name, data) for name, data in jobs.files(rec.id)]
    progress = _Progress(jobs, key, rec.total)
    try:
        report = training_log.import_files(db.for_user(rec.user_id), files, progress)
    except TrailmixError as exc:
        jobs.finish(key, FAILED, error=exc.message, done=progress.done, total=progress.total)
        if raise_errors:
            raise
        return _view(jobs.get(key) or rec)
    except BaseException as exc:  # a bug, a timeout, a shutdown: recorded, then RQ's to log
        jobs.finish(
            key,
            FAILED,
            error=f"the import stopped: {type(exc).__name__}: {exc}",
            done=progress.done,
            total=progress.total,
        )
        raise
    data = report_json(report)
    done = max(progress.started, progress.total)
    if _nothing_read(report):
        first = "; ".join(f"{f}: {m}" for f, m in report.problems[:3])
        more = f" (and {len(report.problems) - 3} more)" if len(report.problems) > 3 else ""
        error = f"nothing could be imported: {first}{more}"
        jobs.finish(key, FAILED, report=data, error=error, done=done, total=done)
    else:
        jobs.finish(key, DONE, report=data, done=done, total=done)
    return _view(jobs.get(key) or rec)


# --- The worker ----------------------------------------------------------------------------------

_worker_db: Database | None = None


def queued_import(key: str) -> str:
    """The RQ job: import `key` into the database of the `trailmix worker` running it (or,
    under a bare `rq worker`, TRAILMIX_DB's). Returns the job's status."""
    global _worker_db
    from trailmix.app.store import open_store

    if _worker_db is None:
        _worker_db = open_store(None)
    done = run_import(_worker_db, key)
    return done.status if done else "skipped"


def work(queue_url: str, db: Database, *, burst: bool = False, quiet: bool = False) -> bool:
    """Run an import worker on the queue at `queue_url`, importing into `db`, until stopped
    (Ctrl-C or SIGTERM: the job at hand is finished first), or in `burst` mode until the queue
    is empty. RQ's `SimpleWorker`: the jobs run in this process, one at a time (run more
    workers for more at once), with no fork per job. True when any job was run. RQ's own
    Ctrl-C / SIGTERM handlers are this call's only: the caller's are back when it returns."""
    global _worker_db
    import signal

    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    queue = ImportQueue(queue_url)
    queue.ping()
    name = f"{queue.address.name}-{os.getpid()}-{secrets.token_hex(3)}"  # says what it serves
    worker = SimpleWorker([queue.rq], name=name, connection=queue.redis, serializer=JSONSerializer)
    _worker_db = db
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return bool(worker.work(burst=burst, logging_level="WARNING" if quiet else "INFO"))
    finally:
        _worker_db = None
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
