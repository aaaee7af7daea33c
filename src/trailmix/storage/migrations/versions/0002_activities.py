"""Activities: the training log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("start_utc", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("elapsed_s", sa.Float, nullable=False),
        sa.Column("moving_s", sa.Float, nullable=False),
        sa.Column("distance_km", sa.Float, nullable=False),
        sa.Column("gain_m", sa.Float, nullable=True),
        sa.Column("loss_m", sa.Float, nullable=True),
        sa.Column("avg_hr", sa.Float, nullable=True),
        sa.Column("max_hr", sa.Float, nullable=True),
        sa.Column("surface", sa.String(10), nullable=False),
        sa.Column("surface_source", sa.String(20), nullable=False),
        sa.Column("surface_confidence", sa.Float, nullable=False),
        sa.Column("trail_id", sa.Integer, sa.ForeignKey("trails.id"), nullable=True),
        sa.Column("rpe", sa.Float, nullable=True),
        sa.Column("rpe_estimated", sa.Boolean, nullable=False),
        sa.Column("name", sa.String(300), nullable=True),
        sa.Column("activity_type", sa.String(60), nullable=True),
        sa.Column("gear", sa.String(200), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=True),
        sa.Column("file_bytes", sa.LargeBinary, nullable=True),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("activities")
