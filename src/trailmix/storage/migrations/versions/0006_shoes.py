"""Shoes: the runner's pairs (R10), and the pair each run was run in.

`activities.gear` (the export's gear name) stays as the file said it; `activities.shoe_id`
is the pair it is linked to (on import, from the gear name, or set by the runner).

Revision ID: 0006_shoes
Revises: 0006_scope_user_columns
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_shoes"
down_revision = "0006_logkinds_activity_kind"
branch_labels = None
depends_on = None

RETIRE_KM = 700.0
"""trailmix default (as `domain.log.shoes.RETIRE_KM`, repeated here: a migration never
imports the code it migrates for)."""


def upgrade() -> None:
    op.create_table(
        "shoes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id"),
            nullable=False,
            server_default=sa.text("1"),
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("brand", sa.String(100), nullable=True),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("kind", sa.String(10), nullable=True),
        sa.Column("retire_km", sa.Float, nullable=False, server_default=str(RETIRE_KM)),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "name", name="uq_shoes_user_name"),
    )
    op.create_index("ix_shoes_user_id", "shoes", ["user_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in place; Alembic's separate foreign-key
        # constraint would need the whole table (files and all) copied.
        op.execute("ALTER TABLE activities ADD COLUMN shoe_id INTEGER REFERENCES shoes (id)")
    else:
        op.add_column(
            "activities",
            sa.Column("shoe_id", sa.Integer, sa.ForeignKey("shoes.id"), nullable=True),
        )
    op.create_index("ix_activities_shoe_id", "activities", ["shoe_id"])


def downgrade() -> None:
    op.drop_index("ix_activities_shoe_id", table_name="activities")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("shoe_id")
    op.drop_index("ix_shoes_user_id", table_name="shoes")
    op.drop_table("shoes")
