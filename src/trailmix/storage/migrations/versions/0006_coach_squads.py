"""Coach mode: coach-runner links, notes on sessions, the record of plan changes, and trails
a coach shares with the squad (issue 19).

Revision ID: 0006_coach_squads
Revises: 0006_shoes
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_coach_squads"
down_revision = "0006_auth_sessions_tokens"
branch_labels = None
depends_on = None


def _user(name: str, *, index: bool = False, primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "coach_links",
        sa.Column("id", sa.Integer, primary_key=True),
        _user("coach_id", index=True),
        _user("runner_id", index=True),
        sa.Column("status", sa.String(20), nullable=False),
        _user("invited_by"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("coach_id", "runner_id", name="uq_coach_links_pair"),
    )
    op.create_table(
        "session_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        _user("user_id", index=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("slot", sa.Integer, nullable=False),
        _user("author_id"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "plan_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        _user("user_id", index=True),
        _user("author_id"),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
    )
    op.create_table(
        "squad_trails",
        _user("coach_id", primary_key=True),
        sa.Column(
            "trail_id",
            sa.Integer,
            sa.ForeignKey("trails.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("squad_trails", "plan_changes", "session_notes", "coach_links"):
        op.drop_table(table)
