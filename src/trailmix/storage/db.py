"""Opening the database: engine, migrations to the latest schema, one transaction per unit
(or a savepoint per unit inside a batch of them, `Database.batched`)."""

from __future__ import annotations

import contextlib
import copy
import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    DatabaseError,
    DataError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker

from trailmix.domain.types import Plan
from trailmix.errors import TrailmixError
from trailmix.storage.config import resolve_url
from trailmix.storage.models import LOCAL_USER_ID
from trailmix.storage.schema import MIGRATIONS as _MIGRATIONS
from trailmix.storage.schema import head_revisions as _head_revisions

# (_MIGRATIONS and _head_revisions keep their names here for the tests that check them.)


class StorageError(TrailmixError):
    """The database could not be opened or written."""


class BusyError(StorageError):
    """Another writer held the database longer than we wait (SQLite's lock, a PostgreSQL
    deadlock): nothing was stored, and the same request a moment later will do. A web answer
    of 503 (web/app.py: `status`), not the runner's mistake."""

    status = 503


class DuplicateError(StorageError):
    """A row that must be unique (a file's SHA-256) was stored by someone else meanwhile: two
    imports of the same folder at once, two identical uploads. A duplicate, not a fault."""


def _first_line(exc: BaseException | None) -> str:
    """The first line of an error's words (PostgreSQL's run to a DETAIL and a HINT)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _storage_error(url: str, exc: OperationalError) -> StorageError:
    """The one-line error for a database fault: `BusyError` when it was busy."""
    words = str(exc.orig).lower()
    read_only = "readonly" in words or "read-only" in words
    busy = not read_only and any(w in words for w in BUSY_WORDS)
    return (BusyError if busy else StorageError)(_fault(url, exc))


BUSY_WORDS = ("locked", "busy", "deadlock", "could not serialize")


def _fault(url: str, exc: OperationalError) -> str:
    """A database fault in words: read-only, disk full, locked or in a deadlock, a server
    that does not answer; else the database's own words (SQLite's, PostgreSQL's first line)."""
    shown = _shown(url)
    words = str(exc.orig).lower()
    if "readonly" in words or "read-only" in words:
        return f"the database {shown} is read-only; give a database you may write (--db)"
    if "disk is full" in words or "no space left" in words:
        return f"the disk of the database {shown} is full; nothing was stored: free some space"
    if any(w in words for w in BUSY_WORDS):
        return f"the database {shown} is busy with another trailmix; try again"
    if "database" in words and "does not exist" in words:
        name = make_url(url).database
        return (
            f"the database {shown} does not exist on its server; create it first (createdb {name})"
        )
    if any(w in words for w in ("connection refused", "could not connect", "connection failed")):
        return (
            f"cannot reach the database server of {shown} ({_first_line(exc.orig)}); "
            "is PostgreSQL running there?"
        )
    return f"cannot use the database {shown}: {_first_line(exc.orig)}"


def _shown(url: str) -> str:
    """A URL as it may be printed: without its password."""
    if "@" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return url


def _is_unique_violation(exc: IntegrityError) -> bool:
    """A UNIQUE constraint refused the row (SQLite's words; PostgreSQL's SQLSTATE 23505)."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "unique" in str(exc.orig).lower()


def _refused(url: str, exc: DataError) -> str:
    """A value the database will not store (PostgreSQL: text longer than its column, a NUL
    character); SQLite stores them all."""
    return (
        f"the database {_shown(url)} refused a value, nothing was stored: {_first_line(exc.orig)}"
    )


def _finite(value: object) -> object:
    """`value` with every non-finite float as its text ("Infinity", "-Infinity", "NaN"),
    which the records read back with float() (a grade bin's open end is -Infinity)."""
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _strict_json(value: object) -> str:
    """JSON as PostgreSQL takes it: no Infinity or NaN tokens (SQLite keeps Python's)."""
    try:
        return json.dumps(value, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), allow_nan=False)


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_batches = threading.local()
"""Each thread's open `Database.batched` batches, by engine (`by_engine`)."""


class _Batch:
    """The one connection and open transaction of a `Database.batched` view."""

    def __init__(
        self,
        conn: Connection,
        seconds: float,
        errors: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self.conn = conn
        self.seconds = seconds
        self.errors = errors  # the database's errors as trailmix's (`_errors_translated`)
        self.since = 0.0

    def start(self) -> None:
        self.conn.begin()
        if self.conn.dialect.name == "sqlite":
            # pysqlite opens a transaction only before a write; a savepoint before that would
            # open (and its release commit) one of its own: open the batch's here.
            self.conn.exec_driver_sql("BEGIN")
        self.since = time.monotonic()

    def unit_done(self) -> None:
        """A unit of work ended: commit the batch when it is due and no unit is open. A
        failed commit (a full disk) is a `StorageError` that ends the batch's work: the
        units since the last commit are not stored, and none is reported as if it were."""
        if self.conn.in_nested_transaction():
            return
        if time.monotonic() - self.since >= self.seconds:
            try:
                with self.errors():
                    self.conn.commit()
            except StorageError:
                with contextlib.suppress(SQLAlchemyError):
                    self.conn.rollback()  # not stored: never committed later by `finish`
                raise
            with self.errors():
                self.start()

    def commit_now(self) -> None:
        """Commit what the batch holds now (outside any unit), and go on batching."""
        if self.conn.in_nested_transaction():
            return
        self.since = -math.inf
        self.unit_done()

    def finish(self, *, quietly: bool = False) -> None:
        try:
            with self.errors():
                if self.conn.in_transaction():
                    self.conn.commit()
        except StorageError:
            if not quietly:
                raise


class Database:
    """A trailmix database at a URL, migrated to the current schema when opened, as seen by
    one user: `user_id` (the local runner, LOCAL_USER_ID, for `Database(url)`). Every
    repository reads and writes only that user's rows; `for_user` gives another user's view
    of the same database (same engine, sessions and caches)."""

    user_id: int

    def __init__(self, url: str | None = None) -> None:
        self.user_id = LOCAL_USER_ID
        self.url = resolve_url(url)
        if self.url.startswith("sqlite:///"):
            path = Path(self.url.removeprefix("sqlite:///"))
            # (a `file:...?uri=true` name is SQLite's URI form, not a folder to make)
            if str(path) != ":memory:" and not str(path).startswith("file:"):
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StorageError(f"cannot create {path.parent}: {exc.strerror}") from exc
        try:
            postgres = self.url.startswith("postgresql")
            self.engine: Engine = create_engine(
                self.url, **({"json_serializer": _strict_json} if postgres else {})
            )
        except ImportError as exc:
            raise StorageError(
                f"the database driver for {self.url.split('://')[0]} is not installed "
                f"({exc.name or exc}); install it, e.g. pip install 'psycopg[binary]' for "
                "PostgreSQL"
            ) from exc
        except (SQLAlchemyError, ValueError) as exc:
            raise StorageError(
                f"{self.url!r} is not a database URL trailmix can open (use e.g. "
                "sqlite:///plan.db or postgresql+psycopg://user@host/db)"
            ) from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Parsed plans by row id (see Plans.current); plans are never modified, and a row id
        # is one user's, so every user's view shares this cache (bounded there).
        self.parsed_plans: dict[int, Plan] = {}
        self.migrate()

    def for_user(self, user_id: int) -> Database:
        """This database as `user_id` sees it: a cheap view (no new engine, no migration)
        sharing the engine, the sessions and the parsed-plan cache. Its repositories read and
        write only `user_id`'s rows (a user of the users table: a write for an id that is
        not there is refused by its foreign key). Disposing of any view disposes of the shared
        engine."""
        if user_id == self.user_id:
            return self
        view = copy.copy(self)  # shallow: the same engine, sessionmaker and cache objects
        view.user_id = user_id
        return view

    def migrate(self) -> None:
        """Upgrade to the latest schema. A database already there is recognised by one query,
        without loading Alembic (a third of a second of every command's start)."""
        if self._at_head():
            return
        from alembic import command
        from alembic.config import Config
        from alembic.util.exc import CommandError

        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        sqlite = self.engine.dialect.name == "sqlite"
        try:
            with self.engine.connect() as conn:
                if sqlite:
                    # SQLite rebuilds a table to change its constraints (batch mode): dropping
                    # the old copy must not cascade into, or be refused by, the rows that
                    # point at it. Off outside the transaction (inside, SQLite ignores it),
                    # then every key checked before the work is committed.
                    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                    conn.commit()
                try:
                    with conn.begin():
                        cfg.attributes["connection"] = conn
                        command.upgrade(cfg, "head")
                        if sqlite:
                            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                            if bad is not None:
                                raise StorageError(
                                    f"the database {self.url} has a row in {bad[0]} whose "
                                    f"{bad[2]} is gone; nothing was migrated"
                                )
                finally:
                    if sqlite:
                        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                        conn.commit()
        except CommandError as exc:
            # alembic names a revision it does not know: a later trailmix migrated this file.
            raise StorageError(
                f"the database {_shown(self.url)} was made by a newer trailmix (schema {exc}); "
                "upgrade trailmix to open it"
            ) from exc
        except OperationalError as exc:
            raise _storage_error(self.url, exc) from exc
        except DatabaseError as exc:
            raise StorageError(
                f"cannot open the database {_shown(self.url)}: {_first_line(exc.orig)} "
                "(is it a trailmix database?)"
            ) from exc

    def _at_head(self) -> bool:
        heads = _head_revisions()
        if not heads:
            return False
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(text("SELECT version_num FROM alembic_version"))
                stored = {r[0] for r in rows}
        except SQLAlchemyError:
            return False  # a new database (or not ours): Alembic decides
        return stored == heads

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed whole, or rolled back whole on any error."""
        batch = self._batch
        if batch is not None:
            session = Session(bind=batch.conn, join_transaction_mode="create_savepoint")
        else:
            session = self._sessions()
        try:
            with self._errors_translated(session.rollback):
                yield session
                session.commit()
        finally:
            session.close()
            if batch is not None:
                batch.unit_done()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """`transaction` for Core statements: one connection in one transaction, committed
        whole or rolled back whole, the same errors, without an ORM session's bookkeeping
        (a third of the cost of a one-row insert or a point query: the import's)."""
        batch = self._batch
        if batch is not None:
            try:
                with self._errors_translated(), batch.conn.begin_nested():
                    yield batch.conn
            finally:
                batch.unit_done()
            return
        with self._errors_translated(), self.engine.begin() as conn:
            yield conn

    def commit_batch(self) -> None:
        """Inside `batched`: commit the units done so far now, before long work that should
        not hold the database's write lock (SQLite's is the whole file's). Elsewhere, nothing
        to do."""
        batch = self._batch
        if batch is not None:
            batch.commit_now()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for Core queries that only read: no transaction of their own to
        commit, no savepoint inside a batch (`batched`: the batch's own connection, which sees
        the batch's work). The same errors as `begin`."""
        batch = self._batch
        if batch is not None:
            with self._errors_translated():
                yield batch.conn
            return
        with self._errors_translated(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _errors_translated(self, rollback: Callable[[], None] | None = None) -> Iterator[None]:
        """The database's errors as trailmix's (`rollback` first, when given): a duplicate,
        a busy or read-only or full database, a value the database refuses."""
        try:
            yield
        except IntegrityError as exc:
            if rollback:
                rollback()
            if _is_unique_violation(exc):
                raise DuplicateError(f"already stored ({_first_line(exc.orig)})") from exc
            raise
        except OperationalError as exc:  # read-only, disk full, locked: one line, nothing kept
            if rollback:
                rollback()
            raise _storage_error(self.url, exc) from exc
        except DataError as exc:
            if rollback:
                rollback()
            raise StorageError(_refused(self.url, exc)) from exc
        except BaseException:
            if rollback:
                rollback()
            raise

    @property
    def _batch(self) -> _Batch | None:
        """The batch this thread has open on this database's engine, if any."""
        return getattr(_batches, "by_engine", {}).get(id(self.engine))

    @contextmanager
    def batched(self, seconds: float = 0.2) -> Iterator[Database]:
        """This database with this thread's units of work gathered into fewer commits: while
        it is open, `begin` and `transaction` on any view of the same engine (`for_user`) in
        this thread are savepoints inside one transaction, committed every `seconds`
        (between units, never inside one) and at the end. Inside another batch, the outer
        one goes on.

        Each unit is still whole or nothing (a failed unit rolls back to its savepoint and the
        rest stand); what changes is when the work is made durable. Committing costs a
        journal and a sync of the file each time, about a millisecond on SQLite, as much as
        storing a run: a bulk import commits a few times a second instead of once a run. An
        interruption loses at most the last `seconds` of work, which the same import run
        again redoes. On leaving, whatever completed is committed, even when an error ends
        the work early. One connection serves the whole batch, so the thread's own writes
        never wait for its own lock (an import job's progress, written as it goes)."""
        if self._batch is not None:
            yield self
            return
        by_engine: dict[int, _Batch] = _batches.__dict__.setdefault("by_engine", {})
        with self.engine.connect() as conn:
            batch = by_engine[id(self.engine)] = _Batch(conn, seconds, self._errors_translated)
            try:
                batch.start()
                try:
                    yield self
                except BaseException:
                    batch.finish(quietly=True)
                    raise
                batch.finish()
            finally:
                del by_engine[id(self.engine)]

    def dispose(self) -> None:
        self.engine.dispose()
