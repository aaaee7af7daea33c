"""A run's time zone (issue 13: a runner's days are their local days).

Each run keeps the offset from UTC of its start (`utc_offset_min`, minutes east of UTC), the
IANA zone when known (`timezone`), where they came from (`timezone_source`: "file", "coordinates",
"athlete", or "utc" for runs stored before this migration), and its local start time
(`local_start`, the start in the runner's own clock: start_utc + utc_offset_min, derived and
indexed, so days are counted, filtered and grouped by the runner's day in SQL).

Runs stored before this migration keep UTC (offset 0, source "utc"): their days stay what the
log showed (docs/log.md, "Local days").

Revision ID: 0006_log21_activity_timezone
Revises: 0006_auth_sessions_tokens
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_log21_activity_timezone"
down_revision = "0006_coach_squads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(
            sa.Column("utc_offset_min", sa.Integer, nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("timezone_source", sa.String(20), nullable=False, server_default="utc")
        )
        batch.add_column(sa.Column("local_start", sa.DateTime(timezone=False), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # start_utc is an instant (timestamptz): its UTC wall-clock time, whatever the session's
        # time zone.
        op.execute("UPDATE activities SET local_start = start_utc AT TIME ZONE 'UTC'")
    else:  # SQLite keeps the UTC wall-clock text already
        op.execute("UPDATE activities SET local_start = start_utc")
    op.create_index("ix_activities_user_local_start", "activities", ["user_id", "local_start"])


def downgrade() -> None:
    op.drop_index("ix_activities_user_local_start", table_name="activities")
    with op.batch_alter_table("activities") as batch:
        for name in ("local_start", "timezone_source", "timezone", "utc_offset_min"):
            batch.drop_column(name)
