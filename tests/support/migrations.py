"""Running the Alembic migrations to a given revision, for the tests of one migration."""

from __future__ import annotations

import sqlalchemy as sa

from trailmix.storage import db as storage_db


def alembic(url: str, verb: str, target: str) -> None:
    """`alembic upgrade|downgrade TARGET` on the database at `url`, in one transaction."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(storage_db._MIGRATIONS))
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, verb)(cfg, target)
    finally:
        engine.dispose()
