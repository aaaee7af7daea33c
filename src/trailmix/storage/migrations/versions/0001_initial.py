"""Athletes, plans and trails.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("athlete_id", sa.Integer, sa.ForeignKey("athletes.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("race_date", sa.Date, nullable=False),
        sa.Column("distance", sa.String(20), nullable=False),
        sa.Column("trail_preference", sa.String(20), nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "trails",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("category_source", sa.String(20), nullable=False),
        sa.Column("length_km", sa.Float, nullable=False),
        sa.Column("gain_m", sa.Float, nullable=False),
        sa.Column("loss_m", sa.Float, nullable=False),
        sa.Column("hiked", sa.Boolean, nullable=False),
        sa.Column("declared_surface", sa.String(40), nullable=True),
        sa.Column("declared_technical", sa.String(200), nullable=True),
        sa.Column("analysis", sa.JSON, nullable=False),
        sa.Column("file_name", sa.String(500), nullable=True),
        sa.Column("file_bytes", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("trails")
    op.drop_table("plans")
    op.drop_table("athletes")
