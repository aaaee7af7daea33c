"""What each logged activity was (logkinds, issue 13): a run, a hike or a walk, and whether it
has a GPS track (a treadmill or manual run from a Strava export has none).

Every activity stored before this migration was imported as a run with a track, so the columns
start as `kind = 'run'` and `has_track = true`.

Revision ID: 0006_logkinds_activity_kind
Revises: 0005_users
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_logkinds_activity_kind"
down_revision = "0006_scope_user_columns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="run"))
        batch.add_column(
            sa.Column("has_track", sa.Boolean, nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("has_track")
        batch.drop_column("kind")
