"""PostgreSQL for the tests: the server to use, one database per xdist worker, clean per test.

The server is `TRAILMIX_TEST_PG` (a URL of a server and database where the tests may create
databases, e.g. postgresql://postgres@127.0.0.1:5432/postgres), else PostgreSQL on
127.0.0.1:5432 as user postgres if it answers within a second. Each worker (each pytest process)
creates its own database `trailmix_<worker>_<random>`, migrates it once and drops it at the end
of the session; each test gets it clean (`WorkerDatabase.reset`: every row deleted, the ids
restarted, the local runner back; 10-40 ms, where a fresh copy of a template database costs a
second and TRUNCATE a fifth of one: both rewrite files, a few small DELETEs do not).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ENV = "TRAILMIX_TEST_PG"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
HOW = (
    f"set {ENV} to a PostgreSQL URL where the tests may create databases, e.g. "
    f"{ENV}=postgresql://postgres@127.0.0.1:5432/postgres"
)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://...) as libpq reads it (postgresql://...)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def sqlalchemy_url(url: str) -> str:
    """A PostgreSQL URL as trailmix's --db takes it (postgresql+psycopg://...)."""
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def find_server() -> tuple[str | None, str]:
    """The server's libpq URL, or None and why not (a sentence naming TRAILMIX_TEST_PG)."""
    given = os.environ.get(ENV, "").strip()
    url = libpq_url(given) if given else DEFAULT_SERVER
    try:
        with psycopg.connect(url, connect_timeout=1, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if given:
            return None, f"{ENV}={given} does not answer ({first})"
        return None, f"no PostgreSQL server answers on 127.0.0.1:5432 ({first}); {HOW}"
    return url, ""


@dataclass
class WorkerDatabase:
    """This worker's own database on the server, created and migrated once."""

    server: str  # libpq URL of the server's database we connect to for CREATE / DROP
    worker: str
    name: str = field(init=False)
    url: str = field(init=False)  # what trailmix is given: postgresql+psycopg://.../name
    _conn: psycopg.Connection[tuple[object, ...]] | None = field(init=False, default=None)
    _tables: list[str] = field(init=False, default_factory=list)
    _sequences: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.name = f"trailmix_{self.worker}_{uuid.uuid4().hex[:10]}"
        self.url = sqlalchemy_url(str(make_url(self.server).set(database=self.name)))

    def create(self, *, migrate: bool = True) -> None:
        """Create the database; migrated to the latest schema unless `migrate` is False (then
        empty, for a test that migrates it itself)."""
        from trailmix.storage.db import Database

        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        if not migrate:
            return
        Database(self.url).dispose()  # migrated once; every test then starts from here
        self._conn = psycopg.connect(libpq_url(self.url), autocommit=True)
        self._tables = [
            r[0]
            for r in self._conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        ]
        self._sequences = [
            r[0]
            for r in self._conn.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            )
        ]

    def reset(self) -> None:
        """Every row gone, every id sequence restarted, the local runner (user 1, as
        migration 0005 makes it) back; connections a previous test left open are closed."""
        conn = self._conn
        assert conn is not None
        with conn.transaction():
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            conn.execute("SET LOCAL session_replication_role = replica")  # no FK order needed
            for table in self._tables:
                conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            for seq in self._sequences:
                conn.execute("SELECT setval(%s, 1, false)", (seq,))
            if "users" in self._tables:
                conn.execute(
                    "INSERT INTO users (id, login, display_name, role, password_hash, active, "
                    "created_at) VALUES (1, 'local', 'Local runner', 'runner', NULL, true, now())"
                )
                conn.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), 1)")

    def drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
