"""Data scoped by user (issue 19): every runner's rows carry their user's id.

A `user_id` column (NOT NULL, default 1: the local runner, FK users.id, indexed) on athletes,
plans, trails, activities and calendar_events; what was unique for the one runner becomes
unique per user: a trail's name, an activity's file (SHA-256), an athlete's name, a calendar
event's UID (now part of the primary key). Every existing row goes to user 1, the local runner
of a single-runner database (migration 0005).

SQLite cannot alter a constraint in place: `batch_alter_table` rebuilds the table (the unnamed
UNIQUE constraints of 0001/0002 are found by the naming convention below); PostgreSQL alters
the table, dropping the constraints by the names it gave them.

Revision ID: 0006_scope_user_columns
Revises: 0005_users
Create Date: 2026-12-01
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0006_scope_user_columns"
down_revision = "0005_users"
branch_labels = None
depends_on = None

SCOPED = ("athletes", "plans", "trails", "activities", "calendar_events")

# table -> (column that was unique for the one runner, the new per-user constraint's name)
_PER_USER_UNIQUE = {
    "athletes": ("name", "uq_athletes_user_name"),
    "trails": ("name", "uq_trails_user_name"),
    "activities": ("file_sha256", "uq_activities_user_file"),
}

# SQLite's reflected unnamed UNIQUE constraints get these names inside batch mode.
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _index(table: str) -> tuple[str, list[str]] | None:
    """The user_id index: the log's queries are one user's runs by start time, so activities
    have it on (user_id, start_utc) (it replaces the index on start_utc alone); a calendar
    event's primary key starts with user_id."""
    if table == "activities":
        return "ix_activities_user_start", ["user_id", "start_utc"]
    if table == "calendar_events":
        return None
    return f"ix_{table}_user_id", ["user_id"]


@contextmanager
def _quiet_primary_key() -> Iterator[None]:
    """SQLAlchemy warns that the rebuilt calendar_events names other primary key columns
    than the reflected table: that is the change this migration makes."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Table '_alembic_tmp_calendar_events' specifies")
        yield


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in SCOPED:
        with (
            _quiet_primary_key(),
            op.batch_alter_table(
                table, naming_convention=_SQLITE_NAMES, recreate="always" if sqlite else "auto"
            ) as batch,
        ):
            batch.add_column(
                sa.Column("user_id", sa.Integer, nullable=False, server_default=sa.text("1"))
            )
            batch.create_foreign_key(f"fk_{table}_user_id", "users", ["user_id"], ["id"])
            index = _index(table)
            if index is not None:
                batch.create_index(*index)
            if table == "activities":
                batch.drop_index("ix_activities_start_utc")
            if table in _PER_USER_UNIQUE:
                old, new = _PER_USER_UNIQUE[table]
                batch.drop_constraint(
                    f"uq_{table}_{old}" if sqlite else f"{table}_{old}_key", type_="unique"
                )
                batch.create_unique_constraint(new, ["user_id", old])
            if table == "calendar_events":
                if not sqlite:
                    batch.drop_constraint("calendar_events_pkey", type_="primary")
                batch.create_primary_key("calendar_events_pkey", ["user_id", "uid"])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in reversed(SCOPED):
        # Another user's rows cannot keep their uniqueness without the column: only the
        # local runner's data survives a downgrade.
        op.execute(sa.text(f"DELETE FROM {table} WHERE user_id <> 1"))
        with (
            _quiet_primary_key(),
            op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch,
        ):
            if table == "calendar_events":
                batch.drop_constraint("calendar_events_pkey", type_="primary")
                batch.create_primary_key("calendar_events_pkey", ["uid"])
            if table in _PER_USER_UNIQUE:
                old, new = _PER_USER_UNIQUE[table]
                batch.drop_constraint(new, type_="unique")
                batch.create_unique_constraint(
                    f"uq_{table}_{old}" if sqlite else f"{table}_{old}_key", [old]
                )
            index = _index(table)
            if index is not None:
                batch.drop_index(index[0])
            if table == "activities":
                batch.create_index("ix_activities_start_utc", ["start_utc"])
            batch.drop_constraint(f"fk_{table}_user_id", type_="foreignkey")
            batch.drop_column("user_id")
