"""Storage: SQLAlchemy 2 models and repositories, SQLite by default, migrated with Alembic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailmix.storage.config import resolve_url

if TYPE_CHECKING:
    from trailmix.storage.db import Database

__all__ = ["Database", "resolve_url"]


def __getattr__(name: str) -> Any:
    # `Database` is loaded on first use: importing this package (storage/quick.py, the quick
    # read of a stored plan) must not import SQLAlchemy.
    if name == "Database":
        from trailmix.storage.db import Database

        return Database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
