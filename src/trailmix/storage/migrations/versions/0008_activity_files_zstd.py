"""Run files compressed in `activity_files` (`compression`: 'zstd', or NULL for the bytes as
imported).

Rows stored before stay as they are (NULL); every new import compresses its file when that
saves space (`storage/filepack.py`, issue 21).

Revision ID: 0008_activity_files_zstd
Revises: 0007_activity_files
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_activity_files_zstd"
down_revision = "0007_activity_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("activity_files", sa.Column("compression", sa.String(8), nullable=True))


def downgrade() -> None:
    # Back to plain bytes first: the older schema has no way to say a row is compressed.
    from trailmix.storage.filepack import unpack

    conn = op.get_bind()
    files = sa.table(
        "activity_files",
        sa.column("activity_id", sa.Integer),
        sa.column("data", sa.LargeBinary),
        sa.column("compression", sa.String),
    )
    rows = conn.execute(
        sa.select(files.c.activity_id, files.c.data, files.c.compression).where(
            files.c.compression.is_not(None)
        )
    ).all()
    for activity_id, data, compression in rows:
        conn.execute(
            files.update()
            .where(files.c.activity_id == activity_id)
            .values(data=unpack(data, compression), compression=None)
        )
    with op.batch_alter_table("activity_files") as batch:
        batch.drop_column("compression")
