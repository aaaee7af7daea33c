"""Users: the people who sign in to a multi-user server (runners and coaches).

A single-runner database has one user, the local one (id 1, login "local", no password); the
CLI and `trailmix serve` without --multi-user act as that user.

Revision ID: 0005_users
Revises: 0004_calendar_events
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_users"
down_revision = "0004_calendar_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    users = op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(200), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False, server_default="runner"),
        sa.Column("password_hash", sa.String(300), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        users.insert().values(
            id=1,
            login="local",
            display_name="Local runner",
            role="runner",
            password_hash=None,
            active=True,
            created_at=sa.func.now(),
        )
    )
    if op.get_bind().dialect.name == "postgresql":
        # An explicit id does not move PostgreSQL's sequence: the next user must get 2.
        op.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), 1)")


def downgrade() -> None:
    op.drop_table("users")
