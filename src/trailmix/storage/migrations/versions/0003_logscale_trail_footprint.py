"""Trail footprints for route matching (logscale, issue 21): each trail's line and bounding box.

An import matches a run against the trails near it using these, instead of parsing every stored
trail file again. Existing trails get theirs at the next import (the columns start empty).

Revision ID: 0003_logscale
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_logscale"
down_revision = "0002"
branch_labels = None
depends_on = None

_BOX = ("min_lat", "max_lat", "min_lon", "max_lon")


def upgrade() -> None:
    with op.batch_alter_table("trails") as batch:
        batch.add_column(sa.Column("footprint", sa.LargeBinary, nullable=True))
        for name in _BOX:
            batch.add_column(sa.Column(name, sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trails") as batch:
        for name in (*_BOX, "footprint"):
            batch.drop_column(name)
