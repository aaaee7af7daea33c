"""Storage: SQLAlchemy 2 models and repositories, SQLite by default, migrated with Alembic."""

from trailmix.storage.config import resolve_url
from trailmix.storage.db import Database

__all__ = ["Database", "resolve_url"]
