"""A run's original file in a table of its own (`activity_files`), out of its `activities` row.

In the row, a file of hundreds of kB sat before the columns later migrations added (kind, shoe,
time zone, local start): SQLite then walked the blob's overflow pages to read any of them, and
a page of 50 runs cost 15-25 ms at 10,000 runs instead of a fraction of one (issue 21).

Revision ID: 0007_activity_files
Revises: 0006_log21_activity_timezone
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_activity_files"
down_revision = "0006_log21_activity_timezone"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_files",
        sa.Column(
            "activity_id",
            sa.Integer,
            sa.ForeignKey("activities.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.execute(
        "INSERT INTO activity_files (activity_id, data) "
        "SELECT id, file_bytes FROM activities WHERE file_bytes IS NOT NULL"
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a plain column in place (rewriting the rows without the blob).
        op.execute("ALTER TABLE activities DROP COLUMN file_bytes")
    else:
        op.drop_column("activities", "file_bytes")


def downgrade() -> None:
    op.add_column("activities", sa.Column("file_bytes", sa.LargeBinary, nullable=True))
    op.execute(
        "UPDATE activities SET file_bytes = (SELECT data FROM activity_files "
        "WHERE activity_files.activity_id = activities.id)"
    )
    op.drop_table("activity_files")
