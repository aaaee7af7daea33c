"""Calendar events: what the last iCalendar export told the runner's calendar.

Each exported event's UID, day, SEQUENCE, a digest of its content and its title, so the next
export raises SEQUENCE only on a change and cancels (STATUS:CANCELLED) sessions that are gone.

Revision ID: 0004_calendar_events
Revises: 0003_logscale
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_calendar_events"
down_revision = "0003_logscale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_events",
        sa.Column("uid", sa.String(200), primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("cancelled", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("calendar_events")
